import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import type { Flag } from '../api/types';
import { ListToolbar } from '../components/ListToolbar';
import { Pagination } from '../components/Pagination';
import { EmptyState, ErrorState, ListSkeleton, Time } from '../components/States';
import { useAsync } from '../lib/useAsync';
import { CreateLink, useReadOnly } from '../components/Meta';
import { useListState } from '../lib/useListState';
import { flagPasses, listMode, listView, readFlagFilters, type FlagFilters } from '../lib/listView';
import { useToast } from '../components/Toasts';
import { READ_ONLY_TITLE } from '../lib/meta';
import { matchesSearch, pageCount, pageToken } from '../lib/urlState';

const SORT_FIELDS = [
  { value: 'key', label: 'Key' },
  { value: 'name', label: 'Name' },
  { value: 'type', label: 'Type' },
  { value: 'createdAt', label: 'Created' },
  { value: 'updatedAt', label: 'Updated' },
];
const SORTABLE = SORT_FIELDS.map((f) => f.value);

export const typeName = (f: Flag) => (f.type === 'BOOLEAN_FLAG_TYPE' ? 'Boolean' : 'Variant');

export function StatusBadge({ flag }: { flag: Flag }) {
  if (flag.type === 'BOOLEAN_FLAG_TYPE') {
    return <span className={`badge ${flag.enabled ? 'badge-on' : 'badge-off-red'}`}>{flag.enabled ? 'True' : 'False'}</span>;
  }
  return <span className={`badge ${flag.enabled ? 'badge-on' : 'badge-off'}`}>{flag.enabled ? 'Enabled' : 'Disabled'}</span>;
}

export default function FlagsList() {
  const { ns = '' } = useParams();
  const { state, search, setSearch, update, params, setFilter } = useListState(SORTABLE);
  const filters = readFlagFilters(params);
  const filtered = filters.type !== null || filters.status !== null;
  const mode = listMode(state, filtered);
  // Page mode asks for one page; searching or sorting loads the namespace once (see listView).
  const list = useAsync(
    () =>
      mode === 'page'
        ? api.listFlags(ns, { limit: state.limit, pageToken: pageToken(state.page, state.limit) })
        : api.listFlags(ns),
    [ns, mode, mode === 'page' ? state.page : 0, mode === 'page' ? state.limit : 0],
  );
  const readOnly = useReadOnly();
  const base = `/namespaces/${encodeURIComponent(ns)}/flags`;

  const view = listView(mode, list.data?.flags ?? [], list.data?.totalCount ?? 0, state, {
    matches: (f, q) => matchesSearch(q, [f.key, f.name, f.description, typeName(f)]),
    field: (f, field) => (field === 'type' ? typeName(f) : String(f[field as keyof Flag] ?? '')),
    keep: filtered ? (f) => flagPasses(filters, f) : undefined,
  });
  // After a quick toggle: the saved flag replaces its row, wherever the list came from.
  const replaceFlag = (updated: Flag) => {
    if (!list.data) return;
    list.setData({ ...list.data, flags: list.data.flags.map((f) => (f.key === updated.key ? updated : f)) });
  };
  const flags = view.rows;
  // An empty namespace shows the onboarding text, not "no match".
  const total = list.data ? Math.max(list.data.totalCount ?? 0, list.data.flags.length) : 0;

  return (
    <>
      <div className="page-header">
        <h1>Flags</h1>
        <CreateLink to={`${base}/new`}>New Flag</CreateLink>
      </div>
      {list.loading && !list.data ? (
        <ListSkeleton />
      ) : list.error ? (
        <ErrorState message={errorMessage(list.error)} onRetry={() => void list.reload()} />
      ) : total === 0 ? (
        <EmptyState>
          Flags let you control and roll out new functionality dynamically.
          {!readOnly && (
            <>
              {' '}Create a <Link to={`${base}/new`}>new flag</Link> to get started.
            </>
          )}
        </EmptyState>
      ) : (
        <>
          <ListToolbar
            search={search}
            onSearch={setSearch}
            sortFields={SORT_FIELDS}
            sort={state.sort}
            dir={state.dir}
            onSort={(sort, dir) => update({ sort, dir })}
          />
          <FilterChips filters={filters} onChange={setFilter} />
          {flags.length === 0 ? (
            <EmptyState>{filtered && !state.q.trim() ? 'No flags match these filters.' : 'No flags matched your search.'}</EmptyState>
          ) : (
            <ul className="rows" aria-label="Flags">
              {flags.map((f) => (
                <li key={f.key} className="row-with-action">
                  <Link className="row-link" to={`${base}/${encodeURIComponent(f.key)}`}>
                    <div className="row-line1">
                      <span className="row-name">{f.name}</span>
                      <span className="key-badge">{f.key}</span>
                    </div>
                    {f.description && <p className="row-desc">{f.description}</p>}
                    <div className="row-meta">
                      <StatusBadge flag={f} />
                      <span className="badge badge-type">{typeName(f)}</span>
                      <span className="hide-narrow">
                        <Time iso={f.createdAt} prefix="Created" />
                      </span>
                      <Time iso={f.updatedAt} prefix="Updated" />
                    </div>
                  </Link>
                  <QuickToggle ns={ns} flag={f} readOnly={readOnly} onSaved={replaceFlag} />
                </li>
              ))}
            </ul>
          )}
          {view.total > 20 && (
            <Pagination
              page={view.page}
              pages={pageCount(view.total, state.limit)}
              limit={state.limit}
              onPage={(page) => update({ page })}
              onLimit={(limit) => update({ limit, page: 1 })}
            />
          )}
        </>
      )}
    </>
  );
}

const CHIPS: { name: keyof FlagFilters; value: string; label: string }[] = [
  { name: 'type', value: 'variant', label: 'Variant' },
  { name: 'type', value: 'boolean', label: 'Boolean' },
  { name: 'status', value: 'enabled', label: 'Enabled / True' },
  { name: 'status', value: 'disabled', label: 'Disabled / False' },
];

/** Type and status chips; one value per group, pressing the active chip clears its group. */
function FilterChips({ filters, onChange }: { filters: FlagFilters; onChange: (name: keyof FlagFilters, value: string | null) => void }) {
  return (
    <div className="chips" role="group" aria-label="Filters">
      {CHIPS.map((c) => {
        const active = filters[c.name] === c.value;
        return (
          <button
            key={`${c.name}-${c.value}`}
            type="button"
            className={`chip${active ? ' chip-active' : ''}`}
            aria-pressed={active}
            onClick={() => onChange(c.name, active ? null : c.value)}
          >
            {c.label}
          </button>
        );
      })}
    </div>
  );
}

/**
 * The row's enabled switch (variant flags: enabled; boolean flags: default value). Saves at once
 * with a PUT of the flag as it is on the server now (read fresh, so that a stale row never
 * overwrites someone else's edit), and offers "Undo" on the success toast.
 */
function QuickToggle({ ns, flag, readOnly, onSaved }: { ns: string; flag: Flag; readOnly: boolean; onSaved: (f: Flag) => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const isBoolean = flag.type === 'BOOLEAN_FLAG_TYPE';
  const what = isBoolean ? 'Default value' : 'Enabled';

  const save = async (enabled: boolean): Promise<Flag> => {
    const current = await api.getFlag(ns, flag.key);
    // Metadata is left out: an absent field keeps what is stored (api.md §4.2).
    const updated = await api.updateFlag(ns, flag.key, {
      name: current.name,
      description: current.description ?? '',
      enabled,
      defaultVariantId: current.defaultVariant?.id ?? null,
    });
    onSaved(updated);
    return updated;
  };
  const message = (f: Flag) =>
    isBoolean ? `Default value of ${f.key} set to ${f.enabled ? 'True' : 'False'}` : `Flag ${f.key} ${f.enabled ? 'enabled' : 'disabled'}`;

  const toggle = async () => {
    const previous = flag.enabled;
    setBusy(true);
    try {
      const updated = await save(!previous);
      toast.success(message(updated), {
        label: 'Undo',
        run: () => {
          void save(previous)
            .then((f) => toast.success(message(f)))
            .catch((err: unknown) => toast.error(err));
        },
      });
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <input
      type="checkbox"
      role="switch"
      className="switch row-switch"
      aria-label={`${what}, ${flag.key}`}
      checked={flag.enabled}
      disabled={readOnly || busy}
      title={readOnly ? READ_ONLY_TITLE : `${what}: ${flag.enabled ? (isBoolean ? 'True' : 'on') : isBoolean ? 'False' : 'off'}`}
      onChange={() => void toggle()}
    />
  );
}
