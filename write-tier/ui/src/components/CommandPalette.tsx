import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api } from '../api/client';
import {
  entityItems,
  filterItems,
  isNamespaceListPath,
  listPageOf,
  moveActive,
  namespaceItems,
  rootItems,
  switchNamespacePath,
  themeItems,
  type EntityHit,
  type PaletteItem,
  type SubPage,
} from '../lib/palette';
import { useThemePref } from './Layout';
import { useReadOnly } from './Meta';
import { useNamespaces } from './Namespaces';
import './shell.css';

/** How many flags and segments the palette loads per namespace, and how many rows it shows. */
const ENTITY_LIMIT = 1000;
const ENTITY_ROWS = 8;

interface Entities {
  flags: EntityHit[];
  segments: EntityHit[];
  /** The namespace has more flags or segments than were loaded. */
  truncated: boolean;
}

/**
 * Flags and segments of a namespace, through the public list API (it has no search parameter, so
 * the palette loads one page of keys and names once per opening and matches in the browser).
 */
async function loadEntities(ns: string): Promise<Entities> {
  const [f, s] = await Promise.all([api.listFlags(ns, { limit: ENTITY_LIMIT }), api.listSegments(ns, { limit: ENTITY_LIMIT })]);
  return {
    flags: (f.flags ?? []).map(({ key, name }) => ({ key, name })),
    segments: (s.segments ?? []).map(({ key, name }) => ({ key, name })),
    truncated: Boolean(f.nextPageToken) || Boolean(s.nextPageToken),
  };
}

const PAGE_LABEL: Record<SubPage, string> = { namespaces: 'Switch to Namespace', theme: 'Change Theme' };

interface Props {
  open: boolean;
  onClose: () => void;
  onHelp: () => void;
}

/**
 * The command palette (§1.11): a modal `<dialog>` with a combobox search field and a listbox of
 * commands, flags and segments. Arrow keys move (wrapping), Enter runs, Escape closes, and
 * Backspace or Escape in an empty field goes back from a sub-list.
 */
export default function CommandPalette({ open, onClose, onHelp }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<Element | null>(null);
  const [query, setQuery] = useState('');
  const [page, setPage] = useState<SubPage | null>(null);
  const [active, setActive] = useState(0);
  const [entities, setEntities] = useState<{ ns: string; data: Entities } | null>(null);
  const [searching, setSearching] = useState(false);
  const { namespaces, current, remember } = useNamespaces();
  const [theme, setTheme] = useThemePref();
  const readOnly = useReadOnly();
  const location = useLocation();
  const navigate = useNavigate();

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      setQuery('');
      setPage(null);
      setActive(0);
      setEntities(null);
      d.showModal();
      input.current?.focus();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);

  // Search flags and segments once the user types something on the top level (debounced).
  const wantsEntities = open && page === null && query.trim() !== '';
  useEffect(() => {
    if (!wantsEntities || entities?.ns === current) return;
    let live = true;
    setSearching(true);
    const timer = window.setTimeout(() => {
      loadEntities(current)
        .then((data) => live && setEntities({ ns: current, data }))
        .catch(() => {
          /* the commands still work; the search simply finds no flags or segments */
        })
        .finally(() => live && setSearching(false));
    }, 200);
    return () => {
      live = false;
      window.clearTimeout(timer);
      setSearching(false);
    };
  }, [wantsEntities, current, entities?.ns]);

  const items = useMemo<PaletteItem[]>(() => {
    if (page === 'namespaces') return filterItems(namespaceItems(namespaces, current), query);
    if (page === 'theme') return filterItems(themeItems(theme), query);
    const commands = filterItems(
      rootItems({
        ns: current,
        canSwitchNamespace: isNamespaceListPath(location.pathname) && namespaces.length > 1,
        readOnly,
        hasSupport: true,
        listPage: listPageOf(location.pathname),
      }),
      query,
    );
    if (query.trim() === '' || entities?.ns !== current) return commands;
    const found = [...entityItems('flag', current, entities.data.flags), ...entityItems('segment', current, entities.data.segments)];
    return [...commands, ...filterItems(found, query, ENTITY_ROWS)];
  }, [page, namespaces, current, theme, query, location.pathname, readOnly, entities]);

  const activeIndex = items.length === 0 ? -1 : Math.min(active, items.length - 1);
  const optionId = (i: number) => `palette-option-${i}`;

  useEffect(() => {
    if (activeIndex >= 0) document.getElementById(optionId(activeIndex))?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex]);

  const back = () => {
    setPage(null);
    setQuery('');
    setActive(0);
  };

  const run = (item: PaletteItem) => {
    const a = item.action;
    switch (a.kind) {
      case 'navigate':
        onClose();
        navigate(a.to);
        break;
      case 'page':
        setPage(a.page);
        setQuery('');
        setActive(0);
        break;
      case 'namespace':
        remember(a.key);
        onClose();
        navigate(switchNamespacePath(location.pathname, a.key));
        break;
      case 'theme':
        setTheme(a.pref);
        onClose();
        break;
      case 'help':
        onClose();
        onHelp();
        break;
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(moveActive(activeIndex, items.length, e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Home' && e.ctrlKey) {
      e.preventDefault();
      setActive(0);
    } else if (e.key === 'End' && e.ctrlKey) {
      e.preventDefault();
      setActive(items.length - 1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (activeIndex >= 0) run(items[activeIndex]);
    } else if (e.key === 'Backspace' && query === '' && page) {
      e.preventDefault();
      back();
    } else if (e.key === 'Tab') {
      // The search field is the only focusable control: keep focus inside the palette.
      e.preventDefault();
    }
  };

  // Group consecutive items under their heading, keeping the flat index for keyboard focus.
  const groups: { name: string; rows: { item: PaletteItem; index: number }[] }[] = [];
  items.forEach((item, index) => {
    const last = groups[groups.length - 1];
    if (last && last.name === item.group) last.rows.push({ item, index });
    else groups.push({ name: item.group, rows: [{ item, index }] });
  });

  const placeholder = page === 'namespaces' ? 'Search namespaces…' : page === 'theme' ? 'Choose a theme…' : 'Type a command, or a flag or segment key…';
  const status = items.length === 0 ? 'No results found' : `${items.length} result${items.length === 1 ? '' : 's'}`;

  return (
    <dialog
      ref={dialog}
      className="palette"
      aria-label="Command palette"
      onCancel={(e) => {
        // Escape: back from a sub-list when the field is empty, else close.
        e.preventDefault();
        if (page && query === '') back();
        else onClose();
      }}
      onClose={() => {
        // Closed by the browser (or by us): sync the state and give focus back to the opener.
        if (open) onClose();
        const el = opener.current;
        opener.current = null;
        if (el instanceof HTMLElement && el.isConnected && el !== document.body) el.focus();
      }}
      onClick={(e) => {
        if (e.target === dialog.current) onClose();
      }}
    >
      {open && (
        <div className="palette-body">
          <div className="palette-search">
            <span aria-hidden="true" className="palette-search-icon">
              ⌕
            </span>
            {page && (
              <span className="palette-crumb" aria-hidden="true">
                {PAGE_LABEL[page]}
              </span>
            )}
            <label htmlFor="palette-input" className="sr-only">
              {page ? PAGE_LABEL[page] : 'Search commands, flags and segments'}
            </label>
            <input
              ref={input}
              id="palette-input"
              type="text"
              role="combobox"
              autoComplete="off"
              spellCheck={false}
              aria-expanded={items.length > 0}
              aria-controls="palette-list"
              aria-autocomplete="list"
              aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
              aria-describedby="palette-help"
              placeholder={placeholder}
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setActive(0);
              }}
              onKeyDown={onKeyDown}
            />
          </div>
          {items.length > 0 ? (
            <div id="palette-list" role="listbox" aria-label={page ? PAGE_LABEL[page] : 'Commands'} className="palette-list">
              {groups.map((g, gi) => {
                const headingId = `palette-group-${gi}`;
                return (
                  <div key={`${g.name}-${gi}`} role="group" aria-labelledby={headingId} className="palette-group">
                    <div id={headingId} className="palette-group-name" aria-hidden="true">
                      {g.name}
                    </div>
                    {g.rows.map(({ item, index }) => (
                      <div
                        key={item.id}
                        id={optionId(index)}
                        role="option"
                        aria-selected={index === activeIndex}
                        className="palette-option"
                        onMouseMove={() => index !== activeIndex && setActive(index)}
                        onMouseDown={(e) => e.preventDefault()}
                        onClick={() => run(item)}
                      >
                        <span className="palette-option-text">
                          <span className="palette-option-name">
                            {item.name}
                            {item.current && (
                              <>
                                <span aria-hidden="true" className="palette-check">
                                  {' '}
                                  ✓
                                </span>
                                <span className="sr-only"> (current)</span>
                              </>
                            )}
                          </span>
                          {item.description && <span className="palette-option-desc">{item.description}</span>}
                        </span>
                        {item.shortcut && (
                          <>
                            <kbd className="palette-kbd" aria-hidden="true">
                              {item.shortcut}
                            </kbd>
                            <span className="sr-only">, shortcut {item.shortcut}</span>
                          </>
                        )}
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
          ) : (
            <p className="palette-empty">No results found</p>
          )}
          <div className="sr-only" role="status" aria-live="polite">
            {searching ? 'Searching flags and segments…' : query ? status : ''}
          </div>
          <p id="palette-help" className="palette-footer">
            <span>
              <kbd>↑</kbd> <kbd>↓</kbd> to move
            </span>
            <span>
              <kbd>Enter</kbd> to select
            </span>
            {page ? (
              <span>
                <kbd>Backspace</kbd> to go back
              </span>
            ) : (
              <span>
                <kbd>Esc</kbd> to close
              </span>
            )}
            {searching && <span className="palette-searching">Searching…</span>}
            {!searching && wantsEntities && entities?.data.truncated && (
              <span className="palette-searching">Searching the first {ENTITY_LIMIT.toLocaleString('en')} flags and segments</span>
            )}
          </p>
        </div>
      )}
    </dialog>
  );
}
