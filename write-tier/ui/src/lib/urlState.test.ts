import { describe, expect, it } from 'vitest';
import { basePathFromUrl, legacyHashPath } from './base';
import { resolveTheme, readThemePref } from './theme';
import { matchesSearch, pageCount, pageToken, readListState, sortItems, writeListState } from './urlState';

describe('list state in the URL', () => {
  it('reads defaults', () => {
    expect(readListState(new URLSearchParams(''), ['key'])).toEqual({ q: '', page: 1, limit: 20, sort: null, dir: 'asc' });
  });
  it('reads valid values and rejects invalid ones', () => {
    expect(readListState(new URLSearchParams('q=abc&page=3&limit=50&sort=key&dir=desc'), ['key'])).toEqual({
      q: 'abc', page: 3, limit: 50, sort: 'key', dir: 'desc',
    });
    expect(readListState(new URLSearchParams('page=-2&limit=7&sort=evil&dir=up'), ['key'])).toEqual({
      q: '', page: 1, limit: 20, sort: null, dir: 'asc',
    });
  });
  it('writes only non-default values and keeps other params', () => {
    expect(writeListState({ q: 'x', page: 1, limit: 20, sort: null, dir: 'asc' }).toString()).toBe('q=x');
    expect(writeListState({ page: 2 }, new URLSearchParams('q=x&other=1')).toString()).toBe('q=x&other=1&page=2');
    expect(writeListState({ q: '' }, new URLSearchParams('q=x')).toString()).toBe('');
  });
  it('round-trips', () => {
    const s = { q: 'a b', page: 4, limit: 100, sort: 'name', dir: 'desc' as const };
    expect(readListState(writeListState(s), ['name'])).toEqual(s);
  });
});

describe('paging', () => {
  it('builds Flipt page tokens (base64 of {"offset":n})', () => {
    expect(pageToken(1, 20)).toBeUndefined();
    expect(pageToken(2, 20)).toBe(btoa('{"offset":20}'));
    expect(atob(pageToken(3, 50)!)).toBe('{"offset":100}');
  });
  it('counts pages', () => {
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(20, 20)).toBe(1);
    expect(pageCount(21, 20)).toBe(2);
  });
});

describe('search and sort', () => {
  it('matches case-insensitively across fields', () => {
    expect(matchesSearch('CHECK', ['checkout', undefined])).toBe(true);
    expect(matchesSearch('zzz', ['a', 'b'])).toBe(false);
    expect(matchesSearch('  ', ['a'])).toBe(true);
  });
  it('sorts a copy', () => {
    const items = [{ k: 'b' }, { k: 'a10' }, { k: 'a2' }];
    const get = (i: { k: string }) => i.k;
    expect(sortItems(items, 'k', 'asc', get).map(get)).toEqual(['a2', 'a10', 'b']);
    expect(sortItems(items, 'k', 'desc', get).map(get)).toEqual(['b', 'a10', 'a2']);
    expect(sortItems(items, null, 'asc', get)).toBe(items);
  });
});

describe('base path and legacy URLs', () => {
  it('derives the base path', () => {
    expect(basePathFromUrl('https://ex.com/flipt/')).toBe('/flipt/');
    expect(basePathFromUrl('https://ex.com/')).toBe('/');
    expect(basePathFromUrl('https://ex.com/flipt/index.html')).toBe('/flipt/');
  });
  it('maps old hash URLs', () => {
    expect(legacyHashPath('#/namespaces/x/flags')).toBe('/namespaces/x/flags');
    expect(legacyHashPath('#section')).toBeNull();
    expect(legacyHashPath('')).toBeNull();
  });
});

describe('theme', () => {
  it('resolves system theme', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
  });
  it('reads a stored preference, defaulting to system', () => {
    expect(readThemePref({ getItem: () => 'dark' })).toBe('dark');
    expect(readThemePref({ getItem: () => 'purple' })).toBe('system');
    expect(readThemePref(null)).toBe('system');
  });
});
