import { createContext, lazy, Suspense, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useMatch, useNavigate } from 'react-router';
import { useNamespaces } from './Namespaces';
import { ErrorState, Spinner } from './States';
import { applyTheme, storedThemePref, writeThemePref, type ThemePref } from '../lib/theme';
import { effectiveThemePref, READ_ONLY_TITLE, readableTextOn } from '../lib/meta';
import { useBuildInfo, useMeta } from './Meta';
import { paletteKeys, ShortcutHelp, useGlobalShortcuts } from './Shortcuts';
import { UpdateBell } from './UpdateBell';
import { versionLabel } from '../lib/buildInfo';
import './shell.css';

// Loaded on first use so the palette's code stays out of the start-up bundle.
const CommandPalette = lazy(() => import('./CommandPalette'));

/** Namespace-level list pages, where switching namespace makes sense (§1.3). */
const SWITCHABLE = /^\/namespaces\/[^/]+\/(flags|segments|console)\/?$/;

export function useTheme(serverDefault?: ThemePref | null): [ThemePref, (p: ThemePref) => void] {
  const [stored, setPref] = useState<ThemePref | null>(() => storedThemePref());
  const pref = effectiveThemePref(stored, serverDefault);
  useEffect(() => {
    applyTheme(pref);
    if (pref !== 'system') return;
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => applyTheme('system');
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, [pref]);
  return [
    pref,
    (p) => {
      writeThemePref(p);
      setPref(p);
    },
  ];
}

function NamespaceSwitcher() {
  const { namespaces, current, remember } = useNamespaces();
  const location = useLocation();
  const navigate = useNavigate();
  const enabled = SWITCHABLE.test(location.pathname);
  return (
    <div className="ns-switcher">
      <label htmlFor="ns-switcher">Namespace</label>
      <select
        id="ns-switcher"
        value={current}
        disabled={!enabled}
        title={enabled ? undefined : 'Switch namespaces from a list page'}
        onChange={(e) => {
          const key = e.target.value;
          remember(key);
          const rest = location.pathname.replace(/^\/namespaces\/[^/]+/, '');
          navigate(`/namespaces/${encodeURIComponent(key)}${rest}`);
        }}
      >
        {!namespaces.some((n) => n.key === current) && <option value={current}>{current}</option>}
        {namespaces.map((n) => (
          <option key={n.key} value={n.key}>
            {n.name}
          </option>
        ))}
      </select>
    </div>
  );
}

const ThemeCtx = createContext<[ThemePref, (p: ThemePref) => void] | null>(null);

/** The theme preference shared by the sidebar toggle and the Settings page. */
export function useThemePref(): [ThemePref, (p: ThemePref) => void] {
  const ctx = useContext(ThemeCtx);
  if (!ctx) throw new Error('useThemePref outside Layout');
  return ctx;
}

function ThemeToggle() {
  const [pref, setPref] = useThemePref();
  return (
    <div className="theme-toggle">
      <label htmlFor="theme-select">Theme</label>
      <select id="theme-select" value={pref} onChange={(e) => setPref(e.target.value as ThemePref)}>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
        <option value="system">System</option>
      </select>
    </div>
  );
}

/** The sidebar's command palette trigger and shortcut help link (§1.2, §1.11). */
function KeyboardHints({ onPalette, onHelp }: { onPalette: () => void; onHelp: () => void }) {
  const keys = paletteKeys();
  return (
    <div className="keyboard-hints">
      <button type="button" className="palette-trigger" onClick={onPalette} aria-keyshortcuts={keys[0] === '⌘' ? 'Meta+K' : 'Control+K'}>
        <span>Search or jump to…</span>
        <span className="keys" aria-hidden="true">
          <kbd>{keys[0]}</kbd>
          <kbd>K</kbd>
        </span>
      </button>
      <button type="button" className="link-btn shortcuts-link" onClick={onHelp} aria-keyshortcuts="Shift+?">
        Keyboard shortcuts <kbd aria-hidden="true">?</kbd>
      </button>
    </div>
  );
}

export function Layout() {
  const { current, loading, error, reload } = useNamespaces();
  const [drawer, setDrawer] = useState(false);
  const [palette, setPalette] = useState(false);
  const [paletteUsed, setPaletteUsed] = useState(false);
  const [help, setHelp] = useState(false);
  const hamburger = useRef<HTMLButtonElement>(null);
  const drawerClose = useRef<HTMLButtonElement>(null);
  const build = useBuildInfo();
  const version = build ? versionLabel(build) : '';
  const togglePalette = useCallback(() => {
    setPaletteUsed(true);
    setPalette((p) => !p);
  }, []);
  const openHelp = useCallback(() => setHelp(true), []);
  useGlobalShortcuts({ onPalette: togglePalette, onHelp: openHelp });
  const meta = useMeta();
  const theme = useTheme(meta?.theme);
  const topbarStyle = meta?.topbarColor ? { background: meta.topbarColor, color: readableTextOn(meta.topbarColor) } : undefined;
  const location = useLocation();
  const detail = useMatch('/namespaces/:ns/:kind/:key/*');
  const ns = encodeURIComponent(current);

  useEffect(() => setDrawer(false), [location.pathname]);

  // The drawer (narrow screens): focus moves into it, Escape closes it, focus returns to the
  // hamburger button.
  const drawerWasOpen = useRef(false);
  useEffect(() => {
    if (drawer) {
      drawerWasOpen.current = true;
      drawerClose.current?.focus();
      const onKey = (e: KeyboardEvent) => {
        if (e.key === 'Escape' && !document.querySelector('dialog[open]')) setDrawer(false);
      };
      document.addEventListener('keydown', onKey);
      return () => document.removeEventListener('keydown', onKey);
    }
    if (drawerWasOpen.current) {
      drawerWasOpen.current = false;
      const active = document.activeElement;
      // Only when focus was left in the drawer (not after following a link to a new page).
      if (!active || active === document.body || active.closest('.sidebar')) hamburger.current?.focus();
    }
  }, [drawer]);

  useEffect(() => {
    const parts = ['Flipt'];
    if (detail?.params.key && detail.params.key !== 'new') {
      const kind = detail.params.kind === 'segments' ? 'Segments' : 'Flags';
      document.title = `${detail.params.key} · ${kind} · ${current}`;
      return;
    }
    document.title = `${parts.join('')} · ${current}`;
  }, [current, detail?.params.key, detail?.params.kind]);

  return (
    <ThemeCtx.Provider value={theme}>
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          // `<base href>` points at the app root, so following "#main" would load the root route.
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <aside className={`sidebar${drawer ? ' open' : ''}`} aria-label="Sidebar">
        <div className="sidebar-head">
          <Link to={`/namespaces/${ns}/flags`} className="logo">
            <span className="logo-mark" aria-hidden="true">F</span> Flipt
          </Link>
          <button ref={drawerClose} type="button" className="icon-btn drawer-close" aria-label="Close sidebar" onClick={() => setDrawer(false)}>
            ×
          </button>
        </div>
        <NamespaceSwitcher />
        <nav aria-label="Primary">
          <NavLink to={`/namespaces/${ns}/flags`}>Flags</NavLink>
          <NavLink to={`/namespaces/${ns}/segments`}>Segments</NavLink>
          <NavLink to={`/namespaces/${ns}/console`}>Console</NavLink>
        </nav>
        <nav aria-label="Secondary" className="nav-secondary">
          <NavLink to="/settings" end={false}>
            Settings
          </NavLink>
          <NavLink to="/support">Support</NavLink>
        </nav>
        <ThemeToggle />
        <KeyboardHints onPalette={togglePalette} onHelp={openHelp} />
      </aside>
      {drawer && <div className="drawer-backdrop" aria-hidden="true" onClick={() => setDrawer(false)} />}
      <div className="main-col">
        <header className="topbar" style={topbarStyle}>
          <button
            ref={hamburger}
            type="button"
            className="icon-btn hamburger"
            aria-label="Open sidebar"
            aria-expanded={drawer}
            onClick={() => setDrawer(true)}
            style={topbarStyle && { color: topbarStyle.color }}
          >
            ☰
          </button>
          <span className="topbar-spacer" />
          {meta?.readOnly && (
            <span className="readonly-badge" title={`${meta.storageType} storage is read-only: ${READ_ONLY_TITLE.toLowerCase()}`}>
              <svg aria-hidden="true" width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.5">
                <ellipse cx="12" cy="5" rx="8" ry="3" />
                <path d="M4 5v14c0 1.7 3.6 3 8 3s8-1.3 8-3V5M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3" />
              </svg>
              Read-Only
            </span>
          )}
          <UpdateBell />
        </header>
        <main id="main" className="main" tabIndex={-1}>
          {loading ? (
            <Spinner />
          ) : error ? (
            <ErrorState message={error} onRetry={() => void reload()} />
          ) : (
            <Suspense fallback={<Spinner />}>
              <Outlet />
            </Suspense>
          )}
        </main>
        <footer className="footer">
          Flipt-compatible dashboard
          {version && (
            <>
              {' · '}
              <span className="footer-version" title={build?.commit ? `Commit ${build.commit}` : undefined}>
                {version}
              </span>
            </>
          )}
        </footer>
      </div>
      {paletteUsed && (
        <Suspense fallback={null}>
          <CommandPalette open={palette} onClose={() => setPalette(false)} onHelp={openHelp} />
        </Suspense>
      )}
      <ShortcutHelp open={help} onClose={() => setHelp(false)} />
    </div>
    </ThemeCtx.Provider>
  );
}
