// Runs in a fixed zone with a DST change so local-time conversions are checked for real, not
// only in whatever zone the machine happens to use (restored afterwards: test files may share a
// process).
const originalTz = process.env.TZ;
process.env.TZ = 'Europe/Berlin';

import { afterAll, describe, expect, it } from 'vitest';
import { formatDateTime, fromPickerParts, relativeTime, toPickerParts, toRfc3339Utc } from './time';
import { readUtcPref } from './timePref';

afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('test set-up', () => {
  it('runs in Europe/Berlin', () => {
    expect(new Date(Date.UTC(2024, 0, 15)).getTimezoneOffset()).toBe(-60);
    expect(new Date(Date.UTC(2024, 6, 15)).getTimezoneOffset()).toBe(-120);
  });
});

describe('formatDateTime', () => {
  const iso = '2024-03-05T07:08:09Z';

  it('formats year-month-day hours:minutes:seconds in local time', () => {
    expect(formatDateTime(iso, false)).toBe('2024-03-05 08:08:09');
    expect(formatDateTime('2024-07-01T23:30:00Z', false)).toBe('2024-07-02 01:30:00');
  });

  it('formats in UTC with a suffix', () => {
    expect(formatDateTime(iso, true)).toBe('2024-03-05 07:08:09 UTC');
    expect(formatDateTime('2024-07-01T23:30:00+02:00', true)).toBe('2024-07-01 21:30:00 UTC');
  });

  it('accepts dates and ignores fractions of seconds', () => {
    expect(formatDateTime(new Date(Date.UTC(2030, 11, 31, 23, 59, 59, 999)), true)).toBe('2030-12-31 23:59:59 UTC');
    expect(formatDateTime('2024-03-05T07:08:09.123456Z', true)).toBe('2024-03-05 07:08:09 UTC');
  });

  it('is empty for garbage', () => {
    expect(formatDateTime('not a date', true)).toBe('');
    expect(formatDateTime('', false)).toBe('');
  });
});

describe('relativeTime', () => {
  const now = new Date('2024-06-10T12:00:00Z');
  it.each([
    ['2024-06-10T11:59:40Z', 'just now'],
    ['2024-06-10T11:55:00Z', '5 minutes ago'],
    ['2024-06-10T09:00:00Z', '3 hours ago'],
    ['2024-06-09T12:00:00Z', 'yesterday'],
    ['2024-06-07T12:00:00Z', '3 days ago'],
    ['2024-03-10T12:00:00Z', '3 months ago'],
    ['2022-06-10T12:00:00Z', '2 years ago'],
    ['2024-06-10T14:00:00Z', 'in 2 hours'],
  ])('%s is %s', (iso, text) => {
    expect(relativeTime(iso, now)).toBe(text);
  });

  it('is empty for garbage', () => {
    expect(relativeTime('soon', now)).toBe('');
  });
});

describe('date-time picker conversion', () => {
  it('splits a stored timestamp in local time or UTC', () => {
    expect(toPickerParts('2024-01-15T23:30:00Z', false)).toEqual({ date: '2024-01-16', time: '00:30' });
    expect(toPickerParts('2024-01-15T23:30:00Z', true)).toEqual({ date: '2024-01-15', time: '23:30' });
    expect(toPickerParts('', true)).toEqual({ date: '', time: '' });
    expect(toPickerParts('garbage', false)).toEqual({ date: '', time: '' });
  });

  it('stores local input as RFC 3339 UTC', () => {
    expect(fromPickerParts('2024-01-16', '00:30', false)).toBe('2024-01-15T23:30:00Z');
    expect(fromPickerParts('2024-07-16', '00:30', false)).toBe('2024-07-15T22:30:00Z');
  });

  it('stores UTC input unchanged', () => {
    expect(fromPickerParts('2024-01-15', '23:30', true)).toBe('2024-01-15T23:30:00Z');
  });

  it('reads a date without time as midnight in the chosen zone', () => {
    expect(fromPickerParts('2024-01-15', '', true)).toBe('2024-01-15T00:00:00Z');
    expect(fromPickerParts('2024-01-15', '', false)).toBe('2024-01-14T23:00:00Z');
  });

  it('round-trips in both zones', () => {
    for (const utc of [false, true]) {
      for (const iso of ['2024-03-31T00:59:00Z', '2024-10-27T03:30:00Z', '1999-12-31T23:59:00Z']) {
        const p = toPickerParts(iso, utc);
        expect(fromPickerParts(p.date, p.time, utc)).toBe(iso);
      }
    }
  });

  it('rejects a missing or impossible date or time', () => {
    expect(fromPickerParts('', '10:00', false)).toBeNull();
    expect(fromPickerParts('2024-02-30', '10:00', true)).toBeNull();
    expect(fromPickerParts('2023-02-29', '', false)).toBeNull();
    expect(fromPickerParts('2024-01-01', '24:00', true)).toBeNull();
    expect(fromPickerParts('2024-01-01', '7pm', true)).toBeNull();
  });

  it('moves a local time skipped by the spring DST change forward', () => {
    // 02:30 does not exist in Berlin on 2024-03-31; the browser reads it as 03:30 CEST.
    expect(fromPickerParts('2024-03-31', '02:30', false)).toBe('2024-03-31T01:30:00Z');
  });

  it('reads a local time repeated by the autumn DST change as its first occurrence', () => {
    // 02:30 happens twice in Berlin on 2024-10-27 (CEST, then CET); minutes cannot tell them apart.
    expect(fromPickerParts('2024-10-27', '02:30', false)).toBe('2024-10-27T00:30:00Z');
    expect(fromPickerParts('2024-10-27', '02:30', true)).toBe('2024-10-27T02:30:00Z');
  });

  it('writes whole seconds with a Z', () => {
    expect(toRfc3339Utc(new Date(Date.UTC(2024, 0, 1, 2, 3, 4, 567)))).toBe('2024-01-01T02:03:04Z');
  });
});

describe('readUtcPref', () => {
  it('is true only for a stored "true"', () => {
    const store = (v: string | null) => ({ getItem: () => v });
    expect(readUtcPref(store('true'))).toBe(true);
    expect(readUtcPref(store('false'))).toBe(false);
    expect(readUtcPref(store(null))).toBe(false);
    expect(readUtcPref(null)).toBe(false);
  });
});
