import { describe, expect, it } from 'vitest';
import { flagPasses, listMode, listView, readFlagFilters } from './listView';

interface Item {
  key: string;
  n: number;
}
const items: Item[] = Array.from({ length: 45 }, (_, i) => ({ key: `flag-${String(i).padStart(2, '0')}`, n: i }));
const opts = {
  matches: (i: Item, q: string) => i.key.includes(q),
  field: (i: Item, f: string) => (f === 'n' ? String(i.n) : i.key),
};
const state = { q: '', sort: null, dir: 'asc' as const, page: 1, limit: 20 };

describe('list mode', () => {
  it('pages on the server unless search, sort or a filter is active', () => {
    expect(listMode({ q: '', sort: null })).toBe('page');
    expect(listMode({ q: '  ', sort: null })).toBe('page');
    expect(listMode({ q: 'x', sort: null })).toBe('all');
    expect(listMode({ q: '', sort: 'key' })).toBe('all');
    expect(listMode({ q: '', sort: null }, true)).toBe('all');
  });
});

describe('list view', () => {
  it('shows the server page as it is in page mode', () => {
    const v = listView('page', items.slice(0, 20), 5000, { ...state, page: 3 }, opts);
    expect(v).toEqual({ rows: items.slice(0, 20), total: 5000, page: 3 });
  });
  it('searches the whole namespace and pages the matches', () => {
    const v = listView('all', items, 45, { ...state, q: 'flag-4' }, opts);
    expect(v.total).toBe(5);
    expect(v.rows.map((i) => i.n)).toEqual([40, 41, 42, 43, 44]);
  });
  it('sorts before paging, numerically and in both directions', () => {
    const asc = listView('all', items, 45, { ...state, sort: 'n', page: 2 }, opts);
    expect(asc.rows[0].n).toBe(20);
    const desc = listView('all', items, 45, { ...state, sort: 'n', dir: 'desc', page: 1 }, opts);
    expect(desc.rows.slice(0, 3).map((i) => i.n)).toEqual([44, 43, 42]);
  });
  it('applies the extra filter', () => {
    const v = listView('all', items, 45, state, { ...opts, keep: (i) => i.n % 10 === 0 });
    expect(v.rows.map((i) => i.n)).toEqual([0, 10, 20, 30, 40]);
  });
  it('clamps a page past the end to the last page', () => {
    const v = listView('all', items, 45, { ...state, q: 'flag-1', page: 9 }, opts);
    expect(v.page).toBe(1);
    expect(v.rows).toHaveLength(10);
  });
});

describe('flag filter chips', () => {
  it('reads only known values from the URL', () => {
    expect(readFlagFilters(new URLSearchParams('type=boolean&status=disabled'))).toEqual({ type: 'boolean', status: 'disabled' });
    expect(readFlagFilters(new URLSearchParams('type=evil&status='))).toEqual({ type: null, status: null });
  });
  it('combines type and status', () => {
    const on = { type: 'BOOLEAN_FLAG_TYPE', enabled: true };
    const off = { type: 'VARIANT_FLAG_TYPE', enabled: false };
    expect(flagPasses({ type: null, status: null }, on)).toBe(true);
    expect(flagPasses({ type: 'boolean', status: null }, off)).toBe(false);
    expect(flagPasses({ type: 'variant', status: 'disabled' }, off)).toBe(true);
    expect(flagPasses({ type: 'boolean', status: 'disabled' }, on)).toBe(false);
    expect(flagPasses({ type: null, status: 'enabled' }, on)).toBe(true);
  });
});
