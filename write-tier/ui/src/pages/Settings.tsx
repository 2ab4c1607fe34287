import { NavLink } from 'react-router';
import { Field } from '../components/Field';
import { useThemePref } from '../components/Layout';
import type { ThemePref } from '../lib/theme';
import { formatDateTime } from '../lib/time';
import { useNow, useUtcPref } from '../lib/timePref';
import { NamespacesSettings } from './SettingsNamespaces';

type Tab = 'general' | 'namespaces' | 'tokens';

export default function Settings({ tab }: { tab: Tab }) {
  return (
    <>
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <nav className="tabs" aria-label="Settings sections">
        <NavLink to="/settings" end>
          General
        </NavLink>
        <NavLink to="/settings/namespaces">Namespaces</NavLink>
        <NavLink to="/settings/tokens">API Tokens</NavLink>
      </nav>
      {tab === 'general' && <General />}
      {tab === 'namespaces' && <NamespacesSettings />}
      {tab === 'tokens' && <div className="empty-state">API token management is not available in this version of the dashboard yet.</div>}
    </>
  );
}

function General() {
  const [pref, setPref] = useThemePref();
  const [utc, setUtc] = useUtcPref();
  const now = useNow(1000);
  return (
    <section aria-labelledby="prefs-heading" className="card form">
      <h2 id="prefs-heading">Preferences</h2>
      <p className="muted">How information is displayed in this browser. These settings are stored in this browser only.</p>
      <Field id="pref-theme" label="Theme" hint="System follows the light or dark setting of your operating system.">
        <select id="pref-theme" value={pref} onChange={(e) => setPref(e.target.value as ThemePref)}>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
          <option value="system">System</option>
        </select>
      </Field>
      <div className="switch-row">
        <input
          type="checkbox"
          role="switch"
          id="pref-utc"
          className="switch"
          checked={utc}
          onChange={(e) => setUtc(e.target.checked)}
          aria-describedby="pref-utc-help pref-utc-example"
        />
        <label htmlFor="pref-utc">UTC Timezone</label>
        <p id="pref-utc-help" className="hint">
          Show dates and times in UTC instead of your local time zone, and enter date-time constraint values in UTC.
        </p>
        <p id="pref-utc-example" className="hint">
          Current time: <time dateTime={now.toISOString()} data-testid="pref-utc-example">{formatDateTime(now, utc)}</time>
        </p>
      </div>
    </section>
  );
}
