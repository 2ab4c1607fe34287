import { useState } from 'react';
import { Link, NavLink, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import { ApiError, errorMessage } from '../api/errors';
import type { Flag, Variant } from '../api/types';
import { ActionsMenu } from '../components/ActionsMenu';
import { AnalyticsTab } from '../components/AnalyticsTab';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyFlagDialog } from '../components/CopyFlagDialog';
import { roProps, useReadOnly } from '../components/Meta';
import { FlagForm } from '../components/FlagForm';
import { ErrorState, ResourceNotFound, Spinner, Time } from '../components/States';
import { useToast } from '../components/Toasts';
import { VariantPanel } from '../components/VariantPanel';
import { RulesTab } from '../components/RulesTab';
import { RolloutsTab } from '../components/RolloutsTab';
import { useAsync } from '../lib/useAsync';

type Tab = 'default' | 'rules' | 'rollouts' | 'analytics';

export default function FlagDetail({ tab }: { tab: Tab }) {
  const { ns = '', flag: key = '' } = useParams();
  const navigate = useNavigate();
  const toast = useToast();
  const flag = useAsync(() => api.getFlag(ns, key), [ns, key]);
  const [deleting, setDeleting] = useState(false);
  const [copying, setCopying] = useState<'copy' | 'duplicate' | null>(null);
  const readOnly = useReadOnly();
  const listUrl = `/namespaces/${encodeURIComponent(ns)}/flags`;

  if (flag.loading && !flag.data) return <Spinner />;
  if (flag.error instanceof ApiError && flag.error.isNotFound) {
    return <ResourceNotFound what={`The flag "${key}" does not exist in this namespace.`} backTo={listUrl} backLabel="Back to flags" />;
  }
  if (flag.error || !flag.data) return <ErrorState message={errorMessage(flag.error)} onRetry={() => void flag.reload()} />;

  const f = flag.data;
  const isBoolean = f.type === 'BOOLEAN_FLAG_TYPE';
  const url = `${listUrl}/${encodeURIComponent(f.key)}`;
  const tabs: [string, string][] = isBoolean
    ? [[url, 'Rollouts'], [`${url}/analytics`, 'Analytics']]
    : [[url, 'Variants'], [`${url}/rules`, 'Rules'], [`${url}/analytics`, 'Analytics']];

  return (
    <>
      <div className="page-header">
        <div>
          <h1>{f.name}</h1>
          <p className="muted">
            <Time iso={f.createdAt} prefix="Created" /> · <Time iso={f.updatedAt} prefix="Updated" />
          </p>
        </div>
        <div className="header-actions">
        <Link className="btn" to={`/namespaces/${encodeURIComponent(ns)}/console?flag=${encodeURIComponent(f.key)}`}>
          Evaluate
        </Link>
        <ActionsMenu>
          <button type="button" className="menu-item" {...roProps(readOnly)} onClick={() => setCopying('copy')}>
            Copy to Namespace
          </button>
          <button type="button" className="menu-item" {...roProps(readOnly)} onClick={() => setCopying('duplicate')}>
            Duplicate
          </button>
          <hr className="menu-sep" />
          <button type="button" className="menu-item danger" {...roProps(readOnly)} onClick={() => setDeleting(true)}>
            Delete
          </button>
        </ActionsMenu>
        </div>
      </div>
      <FlagForm
        key={f.updatedAt + f.enabled + JSON.stringify(f.metadata ?? {})}
        mode="edit"
        initial={{ key: f.key, name: f.name, description: f.description, enabled: f.enabled, type: f.type, metadata: f.metadata ?? {} }}
        onSubmit={async (v) => {
          try {
            const updated = await api.updateFlag(ns, f.key, {
              name: v.name,
              description: v.description,
              enabled: v.enabled,
              defaultVariantId: f.defaultVariant?.id ?? null,
              // Always sent: absent would keep the stored metadata, `{}` clears it (api.md §4.2).
              metadata: v.metadata,
            });
            flag.setData(updated);
            toast.success('Successfully updated flag');
          } catch (err) {
            toast.error(err);
          }
        }}
      />
      <nav className="tabs" aria-label="Flag sections">
        {tabs.map(([to, label]) => (
          <NavLink key={label} to={to} end replace>
            {label}
          </NavLink>
        ))}
      </nav>
      {tab === 'default' && !isBoolean && <VariantsTab ns={ns} flag={f} reload={flag.reload} />}
      {tab === 'rules' && !isBoolean && <RulesTab ns={ns} flag={f} onFlagUpdated={flag.setData} />}
      {(tab === 'default' || tab === 'rollouts') && isBoolean && <RolloutsTab ns={ns} flag={f} onFlagUpdated={flag.setData} />}
      {((tab === 'rules' && isBoolean) || (tab === 'rollouts' && !isBoolean)) && (
        <div className="empty-state">This tab does not apply to {isBoolean ? 'boolean' : 'variant'} flags.</div>
      )}
      {tab === 'analytics' && <AnalyticsTab />}
      {!readOnly && (
        <CopyFlagDialog
          open={copying !== null}
          ns={ns}
          flagKey={f.key}
          initialTarget={copying === 'duplicate' ? ns : undefined}
          onClose={() => setCopying(null)}
        />
      )}
      <ConfirmDialog
        open={deleting}
        title="Delete Flag"
        confirmText={f.enabled ? f.key : undefined}
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          await api.deleteFlag(ns, f.key);
          toast.success('Successfully deleted flag');
          navigate(listUrl);
        }}
      >
        Are you sure you want to delete the flag <strong>{f.key}</strong>? This action cannot be undone.
      </ConfirmDialog>
    </>
  );
}

function VariantsTab({ ns, flag, reload }: { ns: string; flag: Flag; reload: () => Promise<void> }) {
  const toast = useToast();
  const [editing, setEditing] = useState<Variant | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Variant | null>(null);
  const readOnly = useReadOnly();
  const variants = flag.variants ?? [];

  return (
    <section aria-labelledby="variants-heading">
      <div className="section-header">
        <div>
          <h2 id="variants-heading">Variants</h2>
          <p className="muted">Variants are the values a flag can return; rules decide which one.</p>
        </div>
        {variants.length > 0 && (
          <button type="button" className="btn btn-primary" {...roProps(readOnly)} onClick={() => setEditing('new')}>
            New Variant
          </button>
        )}
      </div>
      {variants.length === 0 ? (
        <button type="button" className="empty-button" {...roProps(readOnly)} onClick={() => setEditing('new')}>
          <span aria-hidden="true">+</span> New Variant
        </button>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col" className="hide-narrow">
                Name
              </th>
              <th scope="col" className="hide-narrow">
                Description
              </th>
              <th scope="col" className="hide-narrow">
                Attachment
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {variants.map((v) => (
              <tr key={v.id}>
                <td className="mono">{v.key}</td>
                <td className="hide-narrow">{v.name}</td>
                <td className="hide-narrow truncate">{v.description}</td>
                <td className="hide-narrow truncate mono" title={v.attachment}>
                  {v.attachment}
                </td>
                <td className="actions">
                  {!readOnly && (<>
                  <button type="button" className="link-btn" onClick={() => setEditing(v)} aria-label={`Edit, ${v.key}`}>
                    Edit<span className="sr-only">, {v.key}</span>
                  </button>
                  <span aria-hidden="true"> | </span>
                  <button type="button" className="link-btn danger" onClick={() => setDeleting(v)} aria-label={`Delete, ${v.key}`}>
                    Delete<span className="sr-only">, {v.key}</span>
                  </button>
                  </>)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <VariantPanel
          variant={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSave={async (input) => {
            try {
              if (editing === 'new') {
                await api.createVariant(ns, flag.key, input);
                toast.success('Successfully created variant.');
              } else {
                await api.updateVariant(ns, flag.key, editing.id, input);
                toast.success('Successfully updated variant.');
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
        title="Delete Variant"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await api.deleteVariant(ns, flag.key, deleting.id);
          toast.success('Successfully deleted variant.');
          await reload();
        }}
      >
        Are you sure you want to delete the variant <strong>{deleting?.key}</strong>? This action cannot be undone.
        {deleting && flag.defaultVariant?.id === deleting.id && ' It is the default variant of this flag, which will be cleared.'}
      </ConfirmDialog>
    </section>
  );
}
