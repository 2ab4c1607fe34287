// Settings → Namespaces (dashboard.md §2.10.2): search, sort and paging of the namespaces table,
// the copy-namespace form rules, and the copy-flag preview (§2.5.8).
import type { Namespace, Rollout, Rule } from '../api/types';
import { listView, type ListView } from './listView';
import type { ListState, SortDir } from './urlState';
import { PAGE_SIZES, matchesSearch } from './urlState';
import { validateKey, validateRequired } from './validation';

/** The columns a click on their header sorts by. */
export const NAMESPACE_SORTABLE = ['key', 'name', 'description', 'flags', 'segments', 'created', 'updated'] as const;
export type NamespaceSortField = (typeof NAMESPACE_SORTABLE)[number];

/** How many flags and segments a namespace holds (undefined while loading or when unknown). */
export interface NamespaceCounts {
  flags?: number;
  segments?: number;
}

/** The search box appears from this many namespaces (or while a search is active). */
export const SEARCH_FROM = 10;

export const showSearch = (total: number, q: string) => total >= SEARCH_FROM || q.trim() !== '';

/** Pagination appears above the smallest page size (or once a larger size was chosen). */
export const showPagination = (total: number, limit: number) => total > PAGE_SIZES[0] || limit !== PAGE_SIZES[0];

/** The sort after clicking a header: a new column sorts ascending, the same one flips. */
export function nextSort(current: { sort: string | null; dir: SortDir }, field: string): { sort: string; dir: SortDir } {
  if (current.sort === field) return { sort: field, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { sort: field, dir: 'asc' };
}

/** `aria-sort` of a header. */
export function ariaSort(current: { sort: string | null; dir: SortDir }, field: string): 'ascending' | 'descending' | 'none' {
  if (current.sort !== field) return 'none';
  return current.dir === 'asc' ? 'ascending' : 'descending';
}

/** A count as a sortable string: zero-padded so that text order is numeric order; unknown first. */
const countKey = (n: number | undefined) => (n === undefined ? '' : String(n).padStart(12, '0'));

/** The rows of the current page: search over key, name and description, then sort, then page. */
export function namespaceView(
  namespaces: Namespace[],
  counts: Record<string, NamespaceCounts>,
  state: Pick<ListState, 'q' | 'sort' | 'dir' | 'page' | 'limit'>,
): ListView<Namespace> {
  return listView('all', namespaces, namespaces.length, state, {
    matches: (n, q) => matchesSearch(q, [n.key, n.name, n.description]),
    field: (n, field) => {
      switch (field) {
        case 'flags':
          return countKey(counts[n.key]?.flags);
        case 'segments':
          return countKey(counts[n.key]?.segments);
        case 'created':
          return n.createdAt;
        case 'updated':
          return n.updatedAt;
        case 'name':
          return n.name;
        case 'description':
          return n.description;
        default:
          return n.key;
      }
    },
  });
}

/**
 * Page numbers to show for `page` of `pages`: the first, the last, and the neighbours of the
 * current page; `null` marks an ellipsis.
 */
export function pageNumbers(page: number, pages: number): (number | null)[] {
  const wanted = new Set([1, pages, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pages));
  const sorted = [...wanted].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const p of sorted) {
    const prev = out[out.length - 1];
    if (typeof prev === 'number' && p - prev === 2) out.push(prev + 1);
    else if (typeof prev === 'number' && p - prev > 2) out.push(null);
    out.push(p);
  }
  return out;
}

export const MSG_NAMESPACE_EXISTS = 'A namespace with this key already exists';

/** Errors of the copy-namespace form; `existing` are the keys already taken. */
export function copyNamespaceErrors(
  form: { key: string; name: string },
  existing: string[],
): { key: string | null; name: string | null } {
  const key = validateKey(form.key) ?? (existing.includes(form.key) ? MSG_NAMESPACE_EXISTS : null);
  return { key, name: validateRequired(form.name) };
}

/** A free key for a copy: `{key}-copy`, then `{key}-copy-2`, … */
export function suggestCopyKey(key: string, existing: string[]): string {
  const base = `${key}-copy`;
  if (!existing.includes(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!existing.includes(candidate)) return candidate;
  }
}

/** The segment keys a flag's rules and rollouts reference, first use first, without repeats. */
export function flagSegmentKeys(rules: Pick<Rule, 'segmentKey' | 'segmentKeys'>[], rollouts: Pick<Rollout, 'segment'>[]): string[] {
  const keys: string[] = [];
  const add = (k: string | undefined) => {
    if (k && !keys.includes(k)) keys.push(k);
  };
  for (const r of rules) {
    if (r.segmentKeys.length > 0) r.segmentKeys.forEach(add);
    else add(r.segmentKey);
  }
  for (const r of rollouts) {
    if (r.segment?.segmentKeys && r.segment.segmentKeys.length > 0) r.segment.segmentKeys.forEach(add);
    else add(r.segment?.segmentKey);
  }
  return keys;
}

export interface CopyPreview {
  /** Segments the target already has: the copy uses them as they are. */
  reused: string[];
  /** Segments the copy creates in the target. */
  created: string[];
  /** Why the copy cannot proceed, or null. */
  conflict: string | null;
}

/** What copying a flag will do, from the target's answers. */
export function copyPreview(
  segmentKeys: string[],
  existsInTarget: (segmentKey: string) => boolean,
  target: { ns: string; key: string; flagExists: boolean },
): CopyPreview {
  const reused = segmentKeys.filter(existsInTarget);
  const created = segmentKeys.filter((k) => !existsInTarget(k));
  const conflict = target.flagExists
    ? `The namespace ${target.ns} already has a flag with the key ${target.key}. Choose another key or namespace.`
    : null;
  return { reused, created, conflict };
}
