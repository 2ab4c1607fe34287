import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyPress, type ShortcutContext } from './shortcuts';

const key = (k: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  repeat: false,
  ...mods,
});
const ctx: ShortcutContext = { typing: false, otherDialogOpen: false, dialogOpen: false, pathname: '/namespaces/prod/flags', readOnly: false, hasSearch: true };

describe('shortcutFor', () => {
  it('toggles the palette with Ctrl+K or Cmd+K, even while typing or with the palette open', () => {
    expect(shortcutFor(key('k', { ctrlKey: true }), ctx)).toEqual({ kind: 'palette' });
    expect(shortcutFor(key('K', { metaKey: true }), { ...ctx, typing: true, dialogOpen: true })).toEqual({ kind: 'palette' });
  });

  it('leaves Ctrl+K alone on top of another dialog and with other modifiers', () => {
    expect(shortcutFor(key('k', { ctrlKey: true }), { ...ctx, otherDialogOpen: true, dialogOpen: true })).toBeNull();
    expect(shortcutFor(key('k', { ctrlKey: true, shiftKey: true }), ctx)).toBeNull();
    expect(shortcutFor(key('k', { ctrlKey: true, altKey: true }), ctx)).toBeNull();
  });

  it('maps / c ? when no field has focus', () => {
    expect(shortcutFor(key('/'), ctx)).toEqual({ kind: 'search' });
    expect(shortcutFor(key('c'), ctx)).toEqual({ kind: 'new', to: '/namespaces/prod/flags/new' });
    expect(shortcutFor(key('c'), { ...ctx, pathname: '/namespaces/prod/segments/' })).toEqual({ kind: 'new', to: '/namespaces/prod/segments/new' });
    expect(shortcutFor(key('?', { shiftKey: true }), ctx)).toEqual({ kind: 'help' });
  });

  it('ignores single keys while typing, in dialogs, on repeat and with modifiers', () => {
    for (const k of ['/', 'c', '?']) {
      expect(shortcutFor(key(k), { ...ctx, typing: true })).toBeNull();
      expect(shortcutFor(key(k), { ...ctx, dialogOpen: true })).toBeNull();
      expect(shortcutFor(key(k, { repeat: true }), ctx)).toBeNull();
      expect(shortcutFor(key(k, { ctrlKey: true }), ctx)).toBeNull();
      expect(shortcutFor(key(k, { altKey: true }), ctx)).toBeNull();
    }
    expect(shortcutFor(key('C', { shiftKey: true }), ctx)).toBeNull();
  });

  it('creates only from the flags and segments lists, and not in read-only mode', () => {
    expect(shortcutFor(key('c'), { ...ctx, readOnly: true })).toBeNull();
    for (const pathname of ['/namespaces/prod/console', '/namespaces/prod/flags/x', '/settings/namespaces', '/namespaces/prod/flags/new']) {
      expect(shortcutFor(key('c'), { ...ctx, pathname })).toBeNull();
    }
  });

  it('does nothing for / without a list search', () => {
    expect(shortcutFor(key('/'), { ...ctx, hasSearch: false })).toBeNull();
  });
});
