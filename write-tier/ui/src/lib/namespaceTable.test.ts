import { describe, expect, it } from 'vitest';
import type { Namespace } from '../api/types';
import {
  MSG_NAMESPACE_EXISTS,
  ariaSort,
  copyNamespaceErrors,
  copyPreview,
  flagSegmentKeys,
  namespaceView,
  nextSort,
  pageNumbers,
  showPagination,
  showSearch,
  suggestCopyKey,
} from './namespaceTable';
import { MSG_KEY, MSG_REQUIRED } from './validation';

const ns = (key: string, extra: Partial<Namespace> = {}): Namespace => ({
  key,
  name: key.toUpperCase(),
  description: '',
  protected: false,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...extra,
});

const state = { q: '', sort: null, dir: 'asc' as const, page: 1, limit: 20 };

describe('namespaces table', () => {
  it('shows search from 10 namespaces or while searching', () => {
    expect(showSearch(9, '')).toBe(false);
    expect(showSearch(10, '')).toBe(true);
    expect(showSearch(3, 'x')).toBe(true);
  });

  it('shows pagination above 20 rows or with a larger page size', () => {
    expect(showPagination(20, 20)).toBe(false);
    expect(showPagination(21, 20)).toBe(true);
    expect(showPagination(5, 50)).toBe(true);
  });

  it('sorts a new column ascending and flips the same one', () => {
    expect(nextSort({ sort: null, dir: 'asc' }, 'key')).toEqual({ sort: 'key', dir: 'asc' });
    expect(nextSort({ sort: 'key', dir: 'asc' }, 'key')).toEqual({ sort: 'key', dir: 'desc' });
    expect(nextSort({ sort: 'key', dir: 'desc' }, 'key')).toEqual({ sort: 'key', dir: 'asc' });
    expect(nextSort({ sort: 'key', dir: 'desc' }, 'name')).toEqual({ sort: 'name', dir: 'asc' });
    expect(ariaSort({ sort: 'key', dir: 'desc' }, 'key')).toBe('descending');
    expect(ariaSort({ sort: 'key', dir: 'asc' }, 'key')).toBe('ascending');
    expect(ariaSort({ sort: 'key', dir: 'asc' }, 'name')).toBe('none');
  });

  it('searches key, name and description', () => {
    const list = [ns('alpha'), ns('beta', { description: 'Checkout team' }), ns('gamma')];
    const keys = (q: string) => namespaceView(list, {}, { ...state, q }).rows.map((n) => n.key);
    expect(keys('')).toEqual(['alpha', 'beta', 'gamma']);
    expect(keys('checkout')).toEqual(['beta']);
    expect(keys('GAM')).toEqual(['gamma']);
    expect(keys('zzz')).toEqual([]);
  });

  it('sorts counts numerically, unknown counts first', () => {
    const list = [ns('a'), ns('b'), ns('c'), ns('d')];
    const counts = { a: { flags: 10 }, b: { flags: 9 }, c: { flags: 100 } };
    const view = namespaceView(list, counts, { ...state, sort: 'flags' });
    expect(view.rows.map((n) => n.key)).toEqual(['d', 'b', 'a', 'c']);
    const desc = namespaceView(list, counts, { ...state, sort: 'flags', dir: 'desc' });
    expect(desc.rows.map((n) => n.key)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('sorts by dates and pages', () => {
    const list = Array.from({ length: 45 }, (_, i) =>
      ns(`n${i}`, { createdAt: `2026-01-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z` }),
    );
    const view = namespaceView(list, {}, { ...state, sort: 'created', page: 3 });
    expect(view.total).toBe(45);
    expect(view.page).toBe(3);
    expect(view.rows).toHaveLength(5);
    // Past the end: clamped to the last page.
    expect(namespaceView(list, {}, { ...state, page: 9 }).page).toBe(3);
    const first = namespaceView(list, {}, { ...state, sort: 'created' }).rows[0];
    expect(first.createdAt).toBe('2026-01-01T00:00:00Z');
  });

  it('lists page numbers with ellipses', () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(1, 3)).toEqual([1, 2, 3]);
    expect(pageNumbers(1, 10)).toEqual([1, 2, null, 10]);
    expect(pageNumbers(5, 10)).toEqual([1, null, 4, 5, 6, null, 10]);
    expect(pageNumbers(3, 10)).toEqual([1, 2, 3, 4, null, 10]);
    expect(pageNumbers(10, 10)).toEqual([1, null, 9, 10]);
  });
});

describe('copy namespace form', () => {
  it('validates key and name', () => {
    expect(copyNamespaceErrors({ key: '', name: '' }, [])).toEqual({ key: MSG_REQUIRED, name: MSG_REQUIRED });
    expect(copyNamespaceErrors({ key: 'a b', name: 'x' }, []).key).toBe(MSG_KEY);
    expect(copyNamespaceErrors({ key: 'default', name: 'x' }, ['default']).key).toBe(MSG_NAMESPACE_EXISTS);
    expect(copyNamespaceErrors({ key: 'staging', name: 'Staging' }, ['default'])).toEqual({ key: null, name: null });
  });

  it('suggests a free key', () => {
    expect(suggestCopyKey('prod', ['prod'])).toBe('prod-copy');
    expect(suggestCopyKey('prod', ['prod', 'prod-copy'])).toBe('prod-copy-2');
    expect(suggestCopyKey('prod', ['prod', 'prod-copy', 'prod-copy-2'])).toBe('prod-copy-3');
  });
});

describe('copy flag preview', () => {
  it('collects the segments of rules and rollouts once each', () => {
    const rules = [
      { segmentKey: 's1', segmentKeys: [] },
      { segmentKey: '', segmentKeys: ['s2', 's1'] },
    ];
    const rollouts = [{ segment: { segmentKey: 's3', value: true } }, {}, { segment: { segmentKeys: ['s2', 's4'], value: true } }];
    expect(flagSegmentKeys(rules, rollouts)).toEqual(['s1', 's2', 's3', 's4']);
    expect(flagSegmentKeys([], [])).toEqual([]);
  });

  it('splits reused and created segments and reports a taken key', () => {
    const existing = new Set(['s1']);
    const preview = copyPreview(['s1', 's2'], (k) => existing.has(k), { ns: 'prod', key: 'f', flagExists: false });
    expect(preview).toEqual({ reused: ['s1'], created: ['s2'], conflict: null });
    const taken = copyPreview([], () => false, { ns: 'prod', key: 'f', flagExists: true });
    expect(taken.conflict).toBe('The namespace prod already has a flag with the key f. Choose another key or namespace.');
  });
});
