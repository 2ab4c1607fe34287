import { describe, expect, it } from 'vitest';
import { effectiveThemePref, luminance, parseMeta, readableTextOn } from './meta';
import { readThemePref, storedThemePref } from './theme';

describe('parseMeta', () => {
  it('reads read-only mode, theme and top bar colour', () => {
    const m = parseMeta({
      version: '1.61.1',
      storage: { type: 'database', readOnly: true },
      ui: { theme: 'dark', topbarColor: '#1e40af' },
    });
    expect(m).toEqual({
      version: '1.61.1',
      readOnly: true,
      storageType: 'database',
      theme: 'dark',
      topbarColor: '#1e40af',
      analyticsEnabled: false,
    });
  });

  it('treats an omitted readOnly as writable and ignores malformed values', () => {
    const m = parseMeta({ storage: { type: 'database' }, ui: { theme: 'purple', topbarColor: 'red;background:url(x)' } });
    expect(m.readOnly).toBe(false);
    expect(m.theme).toBeNull();
    expect(m.topbarColor).toBeNull();
    expect(parseMeta({ storage: { readOnly: 'true' } }).readOnly).toBe(false);
  });

  it('survives empty or non-object bodies', () => {
    for (const raw of [null, undefined, 'x', 42, {}]) {
      expect(parseMeta(raw)).toEqual({
        version: '',
        readOnly: false,
        storageType: 'database',
        theme: null,
        topbarColor: null,
        analyticsEnabled: false,
      });
    }
  });

  it('reads analytics.enabled (omitted when off, as Flipt does)', () => {
    expect(parseMeta({ analytics: {} }).analyticsEnabled).toBe(false);
    expect(parseMeta({ analytics: { enabled: true } }).analyticsEnabled).toBe(true);
    expect(parseMeta({ analytics: { enabled: 'yes' } }).analyticsEnabled).toBe(false);
  });

  it('accepts short hex colours', () => {
    expect(parseMeta({ ui: { topbarColor: '#FFF' } }).topbarColor).toBe('#FFF');
  });
});

describe('theme preference', () => {
  const store = (v: string | null) => ({ getItem: () => v });
  it('prefers the stored choice, then the operator default, then system', () => {
    expect(effectiveThemePref('light', 'dark')).toBe('light');
    expect(effectiveThemePref(null, 'dark')).toBe('dark');
    expect(effectiveThemePref(null, null)).toBe('system');
    expect(effectiveThemePref(null, undefined)).toBe('system');
  });
  it('distinguishes "never chosen" from "system"', () => {
    expect(storedThemePref(store(null))).toBeNull();
    expect(storedThemePref(store('bogus'))).toBeNull();
    expect(storedThemePref(store('system'))).toBe('system');
    expect(readThemePref(store(null))).toBe('system');
  });
});

describe('top bar text colour', () => {
  it('computes WCAG luminance', () => {
    expect(luminance('#000000')).toBeCloseTo(0);
    expect(luminance('#ffffff')).toBeCloseTo(1);
    expect(luminance('#fff')).toBeCloseTo(1);
  });
  it('picks the text colour with more contrast', () => {
    expect(readableTextOn('#000000')).toBe('#ffffff');
    expect(readableTextOn('#1e40af')).toBe('#ffffff');
    expect(readableTextOn('#fde047')).toBe('#000000');
    expect(readableTextOn('#ffffff')).toBe('#000000');
  });
});
