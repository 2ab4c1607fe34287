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
import { matchesSearch, pageCount, pageToken, sortItems } from '../lib/urlState';

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
  const { state, search, setSearch, update } = useListState(SORTABLE);
  const list = useAsync(
    () => api.listFlags(ns, { limit: state.limit, pageToken: pageToken(state.page, state.limit) }),
    [ns, state.page, state.limit],
  );
  const readOnly = useReadOnly();
  const base = `/namespaces/${encodeURIComponent(ns)}/flags`;

  const flags = sortItems(
    (list.data?.flags ?? []).filter((f) => matchesSearch(state.q, [f.key, f.name, f.description, typeName(f)])),
    state.sort,
    state.dir,
    (f, field) => (field === 'type' ? typeName(f) : String(f[field as keyof Flag] ?? '')),
  );
  const total = list.data?.totalCount ?? 0;

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
          {flags.length === 0 ? (
            <EmptyState>No flags matched your search.</EmptyState>
          ) : (
            <ul className="rows" aria-label="Flags">
              {flags.map((f) => (
                <li key={f.key}>
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
                </li>
              ))}
            </ul>
          )}
          {total > 20 && (
            <Pagination
              page={state.page}
              pages={pageCount(total, state.limit)}
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
