// What a list page shows for its URL state (dashboard.md §2.3, §2.6).
//
// Without a search, a sort or a filter the page asks the server for exactly one page (`limit` and
// a page token), so a namespace with thousands of flags costs one small request. Searching,
// sorting or filtering must consider the whole namespace, so the page then loads every item once
// (`limit` 0 means "all" in Flipt's list API) and pages in the browser.
import { sortItems, type ListState } from './urlState';

export type ListMode = 'page' | 'all';

/** 'all' when search, sort or an extra filter is active; 'page' otherwise. */
export function listMode(state: Pick<ListState, 'q' | 'sort'>, filtered = false): ListMode {
  return state.q.trim() !== '' || state.sort !== null || filtered ? 'all' : 'page';
}

export interface ListView<T> {
  /** The items of the current page. */
  rows: T[];
  /** How many items match (all of the namespace in page mode). */
  total: number;
  /** The page shown, clamped to the last page when the URL asks for one past the end. */
  page: number;
}

interface ViewOptions<T> {
  /** Does the item match the (trimmed, non-empty) search text? */
  matches: (item: T, q: string) => boolean;
  /** The string a field sorts by. */
  field: (item: T, field: string) => string;
  /** An extra filter (for example "only unused segments"). */
  keep?: (item: T) => boolean;
}

/**
 * The rows to render. In page mode `items` is the server's page and `serverTotal` its
 * `totalCount`; in all mode `items` is the whole namespace.
 */
export function listView<T>(
  mode: ListMode,
  items: T[],
  serverTotal: number,
  state: Pick<ListState, 'q' | 'sort' | 'dir' | 'page' | 'limit'>,
  opts: ViewOptions<T>,
): ListView<T> {
  if (mode === 'page') return { rows: items, total: serverTotal, page: state.page };
  const q = state.q.trim();
  const matching = items.filter((i) => (q === '' || opts.matches(i, q)) && (opts.keep ? opts.keep(i) : true));
  const sorted = sortItems(matching, state.sort, state.dir, opts.field);
  const pages = Math.max(1, Math.ceil(sorted.length / state.limit));
  const page = Math.min(state.page, pages);
  return { rows: sorted.slice((page - 1) * state.limit, page * state.limit), total: sorted.length, page };
}

/** Flag filter chips (dashboard.md §2.3): type and status, kept in the URL as `type` / `status`. */
export interface FlagFilters {
  type: 'variant' | 'boolean' | null;
  status: 'enabled' | 'disabled' | null;
}

export function readFlagFilters(params: URLSearchParams): FlagFilters {
  const type = params.get('type');
  const status = params.get('status');
  return {
    type: type === 'variant' || type === 'boolean' ? type : null,
    status: status === 'enabled' || status === 'disabled' ? status : null,
  };
}

/** Does a flag pass the chips? For boolean flags "enabled" is the default value true. */
export function flagPasses(f: FlagFilters, flag: { type?: string; enabled: boolean }): boolean {
  const isBoolean = flag.type === 'BOOLEAN_FLAG_TYPE';
  if (f.type === 'variant' && isBoolean) return false;
  if (f.type === 'boolean' && !isBoolean) return false;
  if (f.status === 'enabled' && !flag.enabled) return false;
  if (f.status === 'disabled' && flag.enabled) return false;
  return true;
}
