import { createContext, Suspense, useContext, useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useMatch, useNavigate } from 'react-router';
import { useNamespaces } from './Namespaces';
import { ErrorState, Spinner } from './States';
import { applyTheme, readThemePref, writeThemePref, type ThemePref } from '../lib/theme';

/** Namespace-level list pages, where switching namespace makes sense (§1.3). */
const SWITCHABLE = /^\/namespaces\/[^/]+\/(flags|segments|console)\/?$/;

export function useTheme(): [ThemePref, (p: ThemePref) => void] {
  const [pref, setPref] = useState<ThemePref>(readThemePref);
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

export function Layout() {
  const { current, loading, error, reload } = useNamespaces();
  const [drawer, setDrawer] = useState(false);
  const theme = useTheme();
  const location = useLocation();
  const detail = useMatch('/namespaces/:ns/:kind/:key/*');
  const ns = encodeURIComponent(current);

  useEffect(() => setDrawer(false), [location.pathname]);

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
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className={`sidebar${drawer ? ' open' : ''}`} aria-label="Sidebar">
        <div className="sidebar-head">
          <Link to={`/namespaces/${ns}/flags`} className="logo">
            <span className="logo-mark" aria-hidden="true">F</span> Flipt
          </Link>
          <button type="button" className="icon-btn drawer-close" aria-label="Close sidebar" onClick={() => setDrawer(false)}>
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
        </nav>
        <ThemeToggle />
      </aside>
      <div className="main-col">
        <header className="topbar">
          <button type="button" className="icon-btn hamburger" aria-label="Open sidebar" onClick={() => setDrawer(true)}>
            ☰
          </button>
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
        <footer className="footer">Flipt-compatible dashboard</footer>
      </div>
    </div>
    </ThemeCtx.Provider>
  );
}
