import { useEffect, useId, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import type { Namespace, NamespaceInput } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DateTime } from '../components/DateTime';
import { Field, invalidProps } from '../components/Field';
import { KeyNameFields } from '../components/KeyNameFields';
import { roProps, useReadOnly } from '../components/Meta';
import { Modal } from '../components/Modal';
import { useNamespaces } from '../components/Namespaces';
import { Panel } from '../components/Panel';
import { useToast } from '../components/Toasts';
import {
  NAMESPACE_SORTABLE,
  ariaSort,
  copyNamespaceErrors,
  namespaceView,
  nextSort,
  pageNumbers,
  showPagination,
  showSearch,
  suggestCopyKey,
  type NamespaceCounts,
} from '../lib/namespaceTable';
import { plural } from '../lib/usage';
import { PAGE_SIZES, pageCount, type ListState } from '../lib/urlState';
import { useListState } from '../lib/useListState';
import { validateKey, validateRequired } from '../lib/validation';
import './settingsNamespaces.css';

/** Requests in flight at once while counting flags and segments of every namespace. */
const COUNT_CONCURRENCY = 4;

/**
 * Flag and segment counts per namespace, from the list endpoints' `totalCount` (one item
 * requested), refetched when the set of namespaces or `version` changes.
 */
function useNamespaceCounts(namespaces: Namespace[], version: number): Record<string, NamespaceCounts> {
  const [counts, setCounts] = useState<Record<string, NamespaceCounts>>({});
  const keys = namespaces.map((n) => n.key).join('\n');
  useEffect(() => {
    let cancelled = false;
    const queue = keys === '' ? [] : keys.split('\n');
    const worker = async () => {
      for (let key = queue.shift(); key !== undefined && !cancelled; key = queue.shift()) {
        try {
          const [flags, segments] = await Promise.all([api.listFlags(key, { limit: 1 }), api.listSegments(key, { limit: 1 })]);
          const k = key;
          if (!cancelled) setCounts((c) => ({ ...c, [k]: { flags: flags.totalCount ?? 0, segments: segments.totalCount ?? 0 } }));
        } catch {
          // Left unknown: the cell shows a dash.
        }
      }
    };
    void Promise.all(Array.from({ length: COUNT_CONCURRENCY }, worker));
    return () => {
      cancelled = true;
    };
  }, [keys, version]);
  return counts;
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

/** "Copy Namespace": a new namespace with every flag and segment of `source`, in one call. */
function CopyNamespaceDialog({ source, existing, onClose, onCopied }: { source: Namespace; existing: string[]; onClose: () => void; onCopied: (copy: Namespace) => Promise<void> }) {
  const id = useId();
  const [form, setForm] = useState(() => ({
    key: suggestCopyKey(source.key, existing),
    name: `Copy of ${source.name}`,
    description: source.description,
  }));
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const errors = copyNamespaceErrors(form, existing);
  const invalid = errors.key !== null || errors.name !== null;
  const keyErr = touched || form.key !== '' ? errors.key : null;
  const nameErr = touched || form.name !== '' ? errors.name : null;
  return (
    <Modal open onClose={onClose} labelledBy={`${id}-title`}>
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setTouched(true);
          if (invalid || busy) return;
          setBusy(true);
          setFailure(null);
          try {
            const copy = await api.copyNamespace(source.key, {
              targetKey: form.key.trim(),
              targetName: form.name.trim(),
              targetDescription: form.description,
            });
            await onCopied(copy);
          } catch (error) {
            // Shown inside the dialog: toasts sit behind a modal dialog.
            setFailure(errorMessage(error));
            setBusy(false);
          }
        }}
      >
        <div className="dialog-body">
          <div className="dialog-icon" aria-hidden="true">⧉</div>
          <div>
            <h2 id={`${id}-title`}>Copy Namespace</h2>
            <p className="dialog-text">
              Create a new namespace with a copy of every flag (variants, rules, rollouts and metadata) and every segment
              of <strong>{source.key}</strong>, in one step.
            </p>
            <Field id={`${id}-key`} label="Key" error={keyErr}>
              <input
                id={`${id}-key`}
                value={form.key}
                autoComplete="off"
                onChange={(e) => setForm({ ...form, key: e.target.value.replace(/\s/g, '-') })}
                {...invalidProps(`${id}-key`, keyErr)}
              />
            </Field>
            <Field id={`${id}-name`} label="Name" error={nameErr}>
              <input
                id={`${id}-name`}
                value={form.name}
                autoComplete="off"
                onChange={(e) => setForm({ ...form, name: e.target.value })}
                {...invalidProps(`${id}-name`, nameErr)}
              />
            </Field>
            <Field id={`${id}-description`} label="Description" optional>
              <input id={`${id}-description`} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
            </Field>
            {failure && (
              <p className="field-error" role="alert">
                {failure}
              </p>
            )}
          </div>
        </div>
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || invalid}>
            {busy && <span className="spinner" aria-hidden="true" />}Copy
          </button>
        </div>
      </form>
    </Modal>
  );
}

const COLUMNS: { field: (typeof NAMESPACE_SORTABLE)[number]; label: string; narrow?: boolean; numeric?: boolean }[] = [
  { field: 'key', label: 'Key' },
  { field: 'name', label: 'Name' },
  { field: 'description', label: 'Description', narrow: true },
  { field: 'flags', label: 'Flags', numeric: true },
  { field: 'segments', label: 'Segments', numeric: true, narrow: true },
  { field: 'created', label: 'Created', narrow: true },
  { field: 'updated', label: 'Updated', narrow: true },
];

/** A column header that sorts when clicked; the arrow and `aria-sort` show the direction. */
function SortHeader({ label, field, state, onSort, className }: { label: string; field: string; state: ListState; onSort: (field: string) => void; className?: string }) {
  const sort = ariaSort(state, field);
  return (
    <th scope="col" aria-sort={sort} className={className}>
      <button type="button" className="th-sort" onClick={() => onSort(field)}>
        {label}
        <span aria-hidden="true" className="th-sort-arrow">
          {sort === 'ascending' ? '▲' : sort === 'descending' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}

/** Previous/next, page numbers with ellipses, and "Show 20/50/100". */
function NamespacePagination({ page, pages, limit, onPage, onLimit }: { page: number; pages: number; limit: number; onPage: (p: number) => void; onLimit: (l: number) => void }) {
  return (
    <nav className="pagination" aria-label="Namespaces pagination">
      <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => onPage(page - 1)} aria-label="Go to previous page">
        ‹ Previous
      </button>
      {pageNumbers(page, pages).map((p, i) =>
        p === null ? (
          <span key={`gap-${i}`} aria-hidden="true">
            …
          </span>
        ) : (
          <button
            key={p}
            type="button"
            className={`btn btn-small${p === page ? ' btn-current' : ''}`}
            aria-current={p === page ? 'page' : undefined}
            aria-label={`Page ${p}`}
            onClick={() => onPage(p)}
          >
            {p}
          </button>
        ),
      )}
      <button type="button" className="btn btn-small" disabled={page >= pages} onClick={() => onPage(page + 1)} aria-label="Go to next page">
        Next ›
      </button>
      <label htmlFor="ns-page-size">Show</label>
      <select id="ns-page-size" value={limit} onChange={(e) => onLimit(Number(e.target.value))}>
        {PAGE_SIZES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </nav>
  );
}

/** A count, or a dash while it loads (or when it cannot be read). */
function CountCell({ count }: { count: number | undefined }): ReactNode {
  if (count === undefined) return <span className="muted">–</span>;
  return count;
}

/** Settings → Namespaces (dashboard.md §2.10.2). */
export function NamespacesSettings() {
  const { namespaces, reload, current, remember } = useNamespaces();
  const toast = useToast();
  const [editing, setEditing] = useState<Namespace | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Namespace | null>(null);
  const [copying, setCopying] = useState<Namespace | null>(null);
  const [version, setVersion] = useState(0);
  const readOnly = useReadOnly();
  const { state, search, setSearch, update } = useListState(NAMESPACE_SORTABLE);
  const counts = useNamespaceCounts(namespaces, version);
  const view = namespaceView(namespaces, counts, state);
  const pages = pageCount(view.total, state.limit);
  const keys = namespaces.map((n) => n.key);
  const deletingFlags = deleting ? counts[deleting.key]?.flags : undefined;
  const refresh = async () => {
    await reload();
    setVersion((v) => v + 1);
  };

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
      {showSearch(namespaces.length, state.q) && (
        <div className="toolbar">
          <div className="search">
            <label htmlFor="ns-search" className="sr-only">
              Search namespaces
            </label>
            <span aria-hidden="true" className="search-icon">⌕</span>
            <input id="ns-search" type="search" placeholder="Search namespaces" value={search} onChange={(e) => setSearch(e.target.value)} />
          </div>
        </div>
      )}
      <table className="table ns-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <SortHeader
                key={c.field}
                label={c.label}
                field={c.field}
                state={state}
                className={[c.narrow ? 'hide-narrow' : '', c.numeric ? 'num' : ''].filter(Boolean).join(' ') || undefined}
                onSort={(field) => update({ ...nextSort(state, field), page: 1 })}
              />
            ))}
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {view.rows.length === 0 && (
            <tr>
              <td colSpan={COLUMNS.length + 1} className="muted">
                No namespaces match “{state.q}”.
              </td>
            </tr>
          )}
          {view.rows.map((n) => (
            <tr key={n.key}>
              <td className="mono">{n.key}</td>
              <td>
                {readOnly ? (
                  n.name
                ) : (
                  <button type="button" className="link-btn" onClick={() => setEditing(n)} aria-label={`${n.name}, edit`}>
                    {n.name}
                  </button>
                )}
              </td>
              <td className="hide-narrow truncate">{n.description}</td>
              <td className="num" data-testid="ns-flag-count">
                <CountCell count={counts[n.key]?.flags} />
              </td>
              <td className="num hide-narrow" data-testid="ns-segment-count">
                <CountCell count={counts[n.key]?.segments} />
              </td>
              <td className="hide-narrow">
                <DateTime iso={n.createdAt} />
              </td>
              <td className="hide-narrow">
                <DateTime iso={n.updatedAt} />
              </td>
              <td className="actions">
                {readOnly ? null : (
                  <>
                    <button type="button" className="link-btn" onClick={() => setCopying(n)} aria-label={`Copy, ${n.key}`}>
                      Copy
                    </button>{' '}
                    {n.protected ? (
                      <span className="muted disabled-action" title="The default namespace cannot be deleted">
                        Delete<span className="sr-only">, {n.key} (the default namespace cannot be deleted)</span>
                      </span>
                    ) : (
                      <button type="button" className="link-btn danger" onClick={() => setDeleting(n)} aria-label={`Delete, ${n.key}`}>
                        Delete
                      </button>
                    )}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {showPagination(view.total, state.limit) && (
        <NamespacePagination
          page={view.page}
          pages={pages}
          limit={state.limit}
          onPage={(page) => update({ page })}
          onLimit={(limit) => update({ limit, page: 1 })}
        />
      )}
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
              await refresh();
            } catch (err) {
              toast.error(err);
            }
          }}
        />
      )}
      {copying && (
        <CopyNamespaceDialog
          source={copying}
          existing={keys}
          onClose={() => setCopying(null)}
          onCopied={async () => {
            setCopying(null);
            toast.success('Successfully copied namespace');
            await refresh();
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
          await refresh();
        }}
      >
        <p>
          Are you sure you want to delete the namespace <strong>{deleting?.key}</strong>? This action cannot be undone.
        </p>
        <p>
          Only a namespace without flags can be deleted: delete its flags first. Its segments are deleted with it.
          {deletingFlags !== undefined && deletingFlags > 0 && (
            <>
              {' '}
              It still holds <strong>{plural(deletingFlags, 'flag')}</strong>.
            </>
          )}
        </p>
      </ConfirmDialog>
    </section>
  );
}
