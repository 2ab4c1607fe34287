// List state kept in the URL query (dashboard.md §1.4): search, sort, page, page size.

export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

export type SortDir = 'asc' | 'desc';

export interface ListState {
  q: string;
  page: number;
  limit: number;
  sort: string | null;
  dir: SortDir;
}

export function readListState(params: URLSearchParams, sortable: readonly string[] = []): ListState {
  const page = Number.parseInt(params.get('page') ?? '', 10);
  const limit = Number.parseInt(params.get('limit') ?? '', 10);
  const sort = params.get('sort');
  return {
    q: params.get('q') ?? '',
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE,
    sort: sort && sortable.includes(sort) ? sort : null,
    dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
  };
}

/** Writes list state back as query parameters, omitting defaults so URLs stay short. */
export function writeListState(state: Partial<ListState>, base?: URLSearchParams): URLSearchParams {
  const p = new URLSearchParams(base);
  const set = (k: string, v: string | null, dflt: string | null) => {
    if (v === null || v === dflt || v === '') p.delete(k);
    else p.set(k, v);
  };
  if ('q' in state) set('q', state.q ?? '', '');
  if ('page' in state) set('page', String(state.page ?? 1), '1');
  if ('limit' in state) set('limit', String(state.limit ?? DEFAULT_PAGE_SIZE), String(DEFAULT_PAGE_SIZE));
  if ('sort' in state) set('sort', state.sort ?? null, null);
  if ('dir' in state) set('dir', state.dir ?? 'asc', 'asc');
  return p;
}

/**
 * The API page token for a 1-based page: Flipt's documented token is standard base64 of the
 * compact JSON `{"offset":n}` (api.md §2.6). Page 1 needs no token.
 */
export function pageToken(page: number, limit: number): string | undefined {
  const offset = (page - 1) * limit;
  if (offset <= 0) return undefined;
  return btoa(JSON.stringify({ offset }));
}

export function pageCount(total: number, limit: number): number {
  return Math.max(1, Math.ceil(total / limit));
}

/** Case-insensitive substring search across the given fields. */
export function matchesSearch(q: string, fields: (string | undefined)[]): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  return fields.some((f) => (f ?? '').toLowerCase().includes(needle));
}

// One collator for every sort: `localeCompare` with options builds a new one per call, which
// made sorting a 5,000-flag namespace take seconds.
const collator = new Intl.Collator(undefined, { numeric: true });

/** Sorts a copy of items by a field; null sort keeps server order. */
export function sortItems<T>(items: T[], sort: string | null, dir: SortDir, get: (item: T, field: string) => string): T[] {
  if (!sort) return items;
  const keyed = items.map((item) => ({ item, key: get(item, sort) }));
  keyed.sort((a, b) => collator.compare(a.key, b.key));
  const sorted = keyed.map((k) => k.item);
  return dir === 'desc' ? sorted.reverse() : sorted;
}
