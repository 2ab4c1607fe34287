import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { shortcutFor } from '../lib/shortcuts';
import { useReadOnly } from './Meta';
import { Modal } from './Modal';

/** True on Apple platforms, where the palette opens with Cmd+K instead of Ctrl+K. */
export function isMac(): boolean {
  if (typeof navigator === 'undefined') return false;
  return /Mac|iPhone|iPad|iPod/i.test(navigator.platform || navigator.userAgent);
}

export function paletteKeys(): string[] {
  return [isMac() ? '⌘' : 'Ctrl', 'K'];
}

/** Whether a key press happens while the user is typing somewhere. */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  }
  return false;
}

/**
 * The global keyboard shortcuts (§1.11): Ctrl/Cmd+K toggles the command palette everywhere; `/`
 * focuses the list search, `c` opens "new" on the flags and segments lists (not in read-only
 * mode) and `?` shows the help, but only when no text field has focus and no dialog is open.
 */
export function useGlobalShortcuts({ onPalette, onHelp }: { onPalette: () => void; onHelp: () => void }) {
  const navigate = useNavigate();
  const location = useLocation();
  const readOnly = useReadOnly();
  // The handler is registered once; it reads the latest values through a ref.
  const latest = useRef({ onPalette, onHelp, navigate, pathname: location.pathname, readOnly });
  latest.current = { onPalette, onHelp, navigate, pathname: location.pathname, readOnly };

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const l = latest.current;
      const search = document.getElementById('list-search');
      const action = shortcutFor(e, {
        typing: isEditable(e.target),
        otherDialogOpen: document.querySelector('dialog[open]:not(.palette)') !== null,
        dialogOpen: document.querySelector('dialog[open]') !== null,
        pathname: l.pathname,
        readOnly: l.readOnly,
        hasSearch: search instanceof HTMLInputElement && !search.disabled,
      });
      if (!action) return;
      e.preventDefault();
      if (action.kind === 'palette') l.onPalette();
      else if (action.kind === 'help') l.onHelp();
      else if (action.kind === 'new') l.navigate(action.to);
      else if (search instanceof HTMLInputElement) {
        search.focus();
        search.select();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

/** Keys pressed together (`+`) or alternatives (`or`). */
function Keys({ keys, or }: { keys: string[]; or?: boolean }) {
  return (
    <span className="keys">
      {keys.map((k, i) => (
        <span key={k}>
          {i > 0 && (or ? ' or ' : <span aria-hidden="true"> + </span>)}
          <kbd>{k}</kbd>
        </span>
      ))}
    </span>
  );
}

/** The shortcut help dialog (`?`). */
export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const readOnly = useReadOnly();
  const rows: [string[], string][] = [
    [paletteKeys(), 'Open or close the command palette'],
    [['/'], 'Search the list'],
    [['c'], readOnly ? 'Create a flag or segment (not available in read-only mode)' : 'Create a flag or segment from its list'],
    [['?'], 'Show this help'],
    [['Esc'], 'Close a dialog, panel or the palette'],
  ];
  const palette: [string[], string][] = [
    [['↑', '↓'], 'Move through the results (wraps around)'],
    [['Enter'], 'Run the selected command'],
    [['Backspace'], 'Go back from a sub-list (in an empty field)'],
  ];
  return (
    <Modal open={open} onClose={onClose} labelledBy="shortcuts-title" className="modal shortcuts">
      <div className="shortcuts-head">
        <h2 id="shortcuts-title">Keyboard Shortcuts</h2>
        <button type="button" className="icon-btn" aria-label="Close" onClick={onClose} data-autofocus="">
          ×
        </button>
      </div>
      <p className="muted">Single-key shortcuts work when no text field has focus.</p>
      <table className="shortcuts-table">
        <caption className="sr-only">Everywhere</caption>
        <tbody>
          {rows.map(([keys, what]) => (
            <tr key={what}>
              <th scope="row">
                <Keys keys={keys} />
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="shortcuts-sub">In the command palette</h3>
      <table className="shortcuts-table">
        <caption className="sr-only">In the command palette</caption>
        <tbody>
          {palette.map(([keys, what]) => (
            <tr key={what}>
              <th scope="row">
                <Keys keys={keys} or />
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-footer">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
