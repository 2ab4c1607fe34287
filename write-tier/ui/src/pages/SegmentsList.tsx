import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import type { Segment } from '../api/types';
import { ListToolbar } from '../components/ListToolbar';
import { Pagination } from '../components/Pagination';
import { EmptyState, ErrorState, ListSkeleton, Time } from '../components/States';
import { useAsync } from '../lib/useAsync';
import { CreateLink, useReadOnly } from '../components/Meta';
import { usageCounts, usedByLabel } from '../lib/usage';
import { useListState } from '../lib/useListState';
import { listMode, listView } from '../lib/listView';
import { matchesSearch, pageCount, pageToken } from '../lib/urlState';

const SORT_FIELDS = [
  { value: 'key', label: 'Key' },
  { value: 'name', label: 'Name' },
  { value: 'matchType', label: 'Match Type' },
  { value: 'createdAt', label: 'Created' },
  { value: 'updatedAt', label: 'Updated' },
];
const SORTABLE = SORT_FIELDS.map((f) => f.value);
const matchLabel = (s: Segment) => (s.matchType === 'ANY_MATCH_TYPE' ? 'Matches Any' : 'Matches All');

export default function SegmentsList() {
  const { ns = '' } = useParams();
  const { state, search, setSearch, update, params, setFilter } = useListState(SORTABLE);
  const unusedOnly = params.get('unused') === '1';
  const mode = listMode(state, unusedOnly);
  // Page mode asks for one page; searching, sorting or filtering loads the namespace once.
  const list = useAsync(
    () =>
      mode === 'page'
        ? api.listSegments(ns, { limit: state.limit, pageToken: pageToken(state.page, state.limit) })
        : api.listSegments(ns),
    [ns, mode, mode === 'page' ? state.page : 0, mode === 'page' ? state.limit : 0],
  );
  const usage = useAsync(() => api.segmentsUsage(ns), [ns]);
  const counts = usage.data ? usageCounts(usage.data.segments) : null;
  const readOnly = useReadOnly();
  const base = `/namespaces/${encodeURIComponent(ns)}/segments`;
  const view = listView(mode, list.data?.segments ?? [], list.data?.totalCount ?? 0, state, {
    matches: (s, q) => matchesSearch(q, [s.key, s.name, s.description]),
    field: (s, field) => String(s[field as keyof Segment] ?? ''),
    // Until the usage counts arrive nothing is known to be unused.
    keep: unusedOnly ? (s) => counts !== null && (counts.get(s.key) ?? 0) === 0 : undefined,
  });
  const segments = view.rows;
  const total = list.data ? Math.max(list.data.totalCount ?? 0, list.data.segments.length) : 0;
  const setUnusedOnly = (on: boolean) => setFilter('unused', on ? '1' : null);

  return (
    <>
      <div className="page-header">
        <h1>Segments</h1>
        <CreateLink to={`${base}/new`}>New Segment</CreateLink>
      </div>
      {list.loading && !list.data ? (
        <ListSkeleton />
      ) : list.error ? (
        <ErrorState message={errorMessage(list.error)} onRetry={() => void list.reload()} />
      ) : total === 0 ? (
        <EmptyState>
          Segments let you target requests by criteria.
          {!readOnly && (
            <>
              {' '}Create a <Link to={`${base}/new`}>new segment</Link> to get started.
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
          <label className="filter-check">
            <input type="checkbox" checked={unusedOnly} onChange={(e) => setUnusedOnly(e.target.checked)} />
            Only unused segments
          </label>
          {segments.length === 0 ? (
            <EmptyState>{unusedOnly && !state.q.trim() ? 'Every segment is used by a flag.' : 'No segments matched your search.'}</EmptyState>
          ) : (
            <ul className="rows" aria-label="Segments">
              {segments.map((s) => (
                <li key={s.key}>
                  <Link className="row-link" to={`${base}/${encodeURIComponent(s.key)}`}>
                    <div className="row-line1">
                      <span className="row-name">{s.name}</span>
                      <span className="key-badge">{s.key}</span>
                    </div>
                    {s.description && <p className="row-desc">{s.description}</p>}
                    <div className="row-meta">
                      <span className="badge badge-type">{matchLabel(s)}</span>
                      {counts && (
                        <span className={`badge ${(counts.get(s.key) ?? 0) === 0 ? 'badge-unused' : 'badge-usage'}`}>
                          {usedByLabel(counts.get(s.key) ?? 0)}
                        </span>
                      )}
                      <span className="hide-narrow">
                        <Time iso={s.createdAt} prefix="Created" />
                      </span>
                      <Time iso={s.updatedAt} prefix="Updated" />
                    </div>
                  </Link>
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
