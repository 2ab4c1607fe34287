import { describe, expect, it } from 'vitest';
import {
  entityItems,
  filterItems,
  isNamespaceListPath,
  listPageOf,
  moveActive,
  namespaceItems,
  rootItems,
  scoreItem,
  switchNamespacePath,
  themeItems,
  type PaletteContext,
  type PaletteItem,
} from './palette';

const ctx: PaletteContext = { ns: 'prod', canSwitchNamespace: true, readOnly: false, hasSupport: false, listPage: 'flags' };
const names = (items: PaletteItem[]) => items.map((i) => i.name);

describe('rootItems', () => {
  it('lists navigation, actions and settings for the current namespace', () => {
    const items = rootItems(ctx);
    expect(names(items)).toEqual([
      'Flags',
      'Segments',
      'Console',
      'Switch Namespaces',
      'New flag',
      'New segment',
      'Settings: General',
      'Settings: Namespaces',
      'Settings: API Tokens',
      'Preferences: Change Theme',
      'Keyboard Shortcuts',
    ]);
    expect(items[0].action).toEqual({ kind: 'navigate', to: '/namespaces/prod/flags' });
    expect(items.every((i) => i.description && i.description.length > 0)).toBe(true);
  });

  it('hides namespace switching where it makes no sense and "new" actions in read-only mode', () => {
    const items = rootItems({ ...ctx, canSwitchNamespace: false, readOnly: true });
    expect(names(items)).not.toContain('Switch Namespaces');
    expect(names(items)).not.toContain('New flag');
    expect(names(items)).not.toContain('New segment');
  });

  it('shows Support only when the page exists and hints the c shortcut on the matching list', () => {
    expect(names(rootItems({ ...ctx, hasSupport: true }))).toContain('Support');
    const items = rootItems({ ...ctx, listPage: 'segments' });
    expect(items.find((i) => i.id === 'new-segment')?.shortcut).toBe('c');
    expect(items.find((i) => i.id === 'new-flag')?.shortcut).toBeUndefined();
  });

  it('encodes the namespace key in URLs', () => {
    expect(rootItems({ ...ctx, ns: 'a b' })[1].action).toEqual({ kind: 'navigate', to: '/namespaces/a%20b/segments' });
  });
});

describe('matching', () => {
  const items = rootItems(ctx);

  it('matches names, keywords and descriptions case-insensitively', () => {
    expect(names(filterItems(items, 'SEGM'))).toEqual(['Segments', 'New segment']);
    expect(names(filterItems(items, 'debug'))).toEqual(['Console']);
    expect(names(filterItems(items, 'dark'))).toEqual(['Preferences: Change Theme']);
    expect(names(filterItems(items, 'utc'))).toEqual(['Settings: General']);
  });

  it('needs every word of the query to match', () => {
    expect(names(filterItems(items, 'settings tok'))).toEqual(['Settings: API Tokens']);
    expect(filterItems(items, 'settings zebra')).toEqual([]);
  });

  it('returns nothing for a query that matches nothing', () => {
    expect(filterItems(items, 'qwertyuiop')).toEqual([]);
  });

  it('keeps everything, in order, for an empty query', () => {
    expect(filterItems(items, '   ')).toEqual(items);
  });

  it('ranks exact and prefix matches above substring matches within a group', () => {
    const hits = entityItems('flag', 'prod', [
      { key: 'new-checkout', name: 'Checkout redesign' },
      { key: 'checkout', name: 'Old checkout' },
      { key: 'pay', name: 'Payment checkout' },
    ]);
    expect(filterItems(hits, 'checkout').map((i) => i.id)).toEqual(['flag:checkout', 'flag:new-checkout', 'flag:pay']);
    expect(scoreItem(hits[1], 'checkout')).toBeGreaterThan(scoreItem(hits[2], 'checkout'));
  });

  it('accepts loosely typed letters in order', () => {
    expect(names(filterItems(items, 'cnsl'))).toEqual(['Console']);
  });

  it('keeps group order and limits rows per group', () => {
    const hits = [
      ...entityItems('flag', 'prod', [1, 2, 3].map((n) => ({ key: `beta-${n}`, name: `Beta ${n}` }))),
      ...entityItems('segment', 'prod', [{ key: 'beta-users', name: 'Beta users' }]),
    ];
    expect(filterItems(hits, 'beta', 2).map((i) => i.id)).toEqual(['flag:beta-1', 'flag:beta-2', 'segment:beta-users']);
  });
});

describe('sub-lists', () => {
  it('lists namespaces by name with the key and marks the current one', () => {
    const items = namespaceItems(
      [
        { key: 'default', name: 'Default' },
        { key: 'prod', name: 'Production' },
      ],
      'prod',
    );
    expect(items.map((i) => [i.name, i.description, i.current])).toEqual([
      ['Default', 'default', false],
      ['Production', 'prod', true],
    ]);
    expect(names(filterItems(items, 'prod'))).toEqual(['Production']);
  });

  it('offers the three themes with the current one marked', () => {
    const items = themeItems('dark');
    expect(items.map((i) => [i.name, i.current])).toEqual([
      ['Light', false],
      ['Dark', true],
      ['System', false],
    ]);
    expect(items[2].action).toEqual({ kind: 'theme', pref: 'system' });
  });

  it('links flags and segments to their pages', () => {
    const [f] = entityItems('flag', 'prod', [{ key: 'a/b', name: '' }]);
    expect(f.name).toBe('a/b');
    expect(f.action).toEqual({ kind: 'navigate', to: '/namespaces/prod/flags/a%2Fb' });
    const [s] = entityItems('segment', 'prod', [{ key: 'eu', name: 'EU' }]);
    expect(s.action).toEqual({ kind: 'navigate', to: '/namespaces/prod/segments/eu' });
  });
});

describe('moveActive', () => {
  it('moves and wraps around at both ends', () => {
    expect(moveActive(0, 3, 1)).toBe(1);
    expect(moveActive(2, 3, 1)).toBe(0);
    expect(moveActive(0, 3, -1)).toBe(2);
    expect(moveActive(-1, 3, 1)).toBe(0);
    expect(moveActive(-1, 3, -1)).toBe(2);
    expect(moveActive(0, 0, 1)).toBe(-1);
  });
});

describe('switchNamespacePath', () => {
  it('keeps the page type', () => {
    expect(switchNamespacePath('/namespaces/a/flags', 'b')).toBe('/namespaces/b/flags');
    expect(switchNamespacePath('/namespaces/a/segments', 'b c')).toBe('/namespaces/b%20c/segments');
    expect(switchNamespacePath('/namespaces/a', 'b')).toBe('/namespaces/b');
    expect(switchNamespacePath('/settings', 'b')).toBe('/namespaces/b/flags');
  });
});

describe('page kinds', () => {
  it('knows the namespace list pages', () => {
    expect(isNamespaceListPath('/namespaces/a/flags')).toBe(true);
    expect(isNamespaceListPath('/namespaces/a/console/')).toBe(true);
    expect(isNamespaceListPath('/namespaces/a/flags/x')).toBe(false);
    expect(isNamespaceListPath('/settings')).toBe(false);
    expect(listPageOf('/namespaces/a/segments')).toBe('segments');
    expect(listPageOf('/namespaces/a/console')).toBeNull();
    expect(listPageOf('/namespaces/a/flags/new')).toBeNull();
  });
});
