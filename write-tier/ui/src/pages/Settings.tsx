import { useState } from 'react';
import { NavLink } from 'react-router';
import { api } from '../api/client';
import type { Namespace, NamespaceInput } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { KeyNameFields } from '../components/KeyNameFields';
import { useThemePref } from '../components/Layout';
import { useNamespaces } from '../components/Namespaces';
import { Panel } from '../components/Panel';
import { useToast } from '../components/Toasts';
import type { ThemePref } from '../lib/theme';
import { DateTime } from '../components/DateTime';
import { formatDateTime } from '../lib/time';
import { useNow, useUtcPref } from '../lib/timePref';
import { validateKey, validateRequired } from '../lib/validation';
import { roProps, useReadOnly } from '../components/Meta';

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
      {tab === 'namespaces' && <Namespaces />}
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

function NamespacePanel({ ns, onClose, onSave }: { ns: Namespace | null; onClose: () => void; onSave: (v: NamespaceInput) => Promise<void> }) {
  const initial = { key: ns?.key ?? '', name: ns?.name ?? '', description: ns?.description ?? '' };
  const [v, setV] = useState(initial);
  const [busy, setBusy] = useState(false);
  const dirty = JSON.stringify(v) !== JSON.stringify(initial);
  const valid = validateRequired(v.name) === null && (ns !== null || validateKey(v.key) === null);
  return (
    <Panel
      open
      title={ns ? 'Edit Namespace' : 'New Namespace'}
      onClose={onClose}
      dirty={dirty}
      busy={busy}
      submitLabel={ns ? 'Update' : 'Create'}
      submitDisabled={!dirty || !valid}
      onSubmit={async () => {
        setBusy(true);
        try {
          await onSave(v);
        } finally {
          setBusy(false);
        }
      }}
    >
      <KeyNameFields
        idPrefix="namespace"
        name={v.name}
        keyValue={v.key}
        keyDisabled={ns !== null}
        onName={(name, key) => setV({ ...v, name, key })}
        onKey={(key) => setV({ ...v, key })}
      />
      <Field id="namespace-description" label="Description" optional>
        <input id="namespace-description" value={v.description} onChange={(e) => setV({ ...v, description: e.target.value })} />
      </Field>
    </Panel>
  );
}

function Namespaces() {
  const { namespaces, reload, current, remember } = useNamespaces();
  const toast = useToast();
  const [editing, setEditing] = useState<Namespace | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Namespace | null>(null);
  const readOnly = useReadOnly();
  return (
    <section aria-labelledby="ns-heading">
      <div className="section-header">
        <div>
          <h2 id="ns-heading">Namespaces</h2>
          <p className="muted">Namespaces group flags, segments and rules.</p>
        </div>
        <button type="button" className="btn btn-primary" {...roProps(readOnly)} onClick={() => setEditing('new')}>
          New Namespace
        </button>
      </div>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Name</th>
            <th scope="col" className="hide-narrow">
              Description
            </th>
            <th scope="col" className="hide-narrow">
              Created
            </th>
            <th scope="col" className="hide-narrow">
              Updated
            </th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {namespaces.map((n) => (
            <tr key={n.key}>
              <td className="mono">{n.key}</td>
              <td>
                {readOnly ? (
                  n.name
                ) : (
                  <button type="button" className="link-btn" onClick={() => setEditing(n)} aria-label={`${n.name}, edit`}>
                    {n.name}
                    <span className="sr-only">, edit</span>
                  </button>
                )}
              </td>
              <td className="hide-narrow truncate">{n.description}</td>
              <td className="hide-narrow">
                <DateTime iso={n.createdAt} />
              </td>
              <td className="hide-narrow">
                <DateTime iso={n.updatedAt} />
              </td>
              <td className="actions">
                {readOnly ? null : n.protected ? (
                  <span className="muted" title="The default namespace cannot be deleted">
                    Delete
                  </span>
                ) : (
                  <button type="button" className="link-btn danger" onClick={() => setDeleting(n)} aria-label={`Delete, ${n.key}`}>
                    Delete<span className="sr-only">, {n.key}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <NamespacePanel
          ns={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSave={async (v) => {
            try {
              if (editing === 'new') {
                await api.createNamespace(v);
                toast.success('Successfully created namespace.');
              } else {
                await api.updateNamespace(editing.key, v);
                toast.success('Successfully updated namespace.');
              }
              setEditing(null);
              await reload();
            } catch (err) {
              toast.error(err);
            }
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete Namespace"
        confirmText={deleting?.key}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await api.deleteNamespace(deleting.key);
          if (deleting.key === current) remember('default');
          toast.success('Successfully deleted namespace.');
          await reload();
        }}
      >
        Are you sure you want to delete the namespace <strong>{deleting?.key}</strong>? Its flags must be deleted first.
        This action cannot be undone.
      </ConfirmDialog>
    </section>
  );
}
