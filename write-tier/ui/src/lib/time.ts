// Time display (§1.12): relative times with an absolute tooltip, one absolute format everywhere
// (`YYYY-MM-DD HH:mm:ss`, local or UTC with a " UTC" suffix), and the conversions of the
// date-time constraint picker (§2.8.1), which enters local or UTC time and stores RFC 3339 UTC.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function parse(value: string | Date): Date | null {
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "3 days ago" style relative time; empty for an unparsable timestamp. */
export function relativeTime(iso: string, now: Date = new Date()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const secs = Math.round((now.getTime() - t) / 1000);
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31536000],
    ['month', 2592000],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, s] of units) {
    if (Math.abs(secs) >= s) return rtf.format(-Math.round(secs / s), unit);
  }
  return 'just now';
}

/**
 * The one absolute format of the dashboard: `YYYY-MM-DD HH:mm:ss` in the browser's time zone, or
 * in UTC followed by " UTC". Empty for an unparsable timestamp.
 */
export function formatDateTime(value: string | Date, utc: boolean): string {
  const d = parse(value);
  if (!d) return '';
  if (utc) {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
  }
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `formatDateTime` in local time (kept for callers that do not know the preference). */
export function absoluteTime(iso: string): string {
  return formatDateTime(iso, false);
}

/** The values of a date input (`YYYY-MM-DD`) and a time input (`HH:mm`). */
export interface PickerParts {
  date: string;
  time: string;
}

/** Splits a stored timestamp into picker values in local time or in UTC; empty when unparsable. */
export function toPickerParts(iso: string, utc: boolean): PickerParts {
  const d = iso ? parse(iso) : null;
  if (!d) return { date: '', time: '' };
  if (utc) {
    return {
      date: `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
      time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    };
  }
  return {
    date: `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Joins picker values into an RFC 3339 UTC timestamp (`2024-05-01T13:30:00Z`). The values are
 * read in the browser's time zone, or as UTC. A date without a time means midnight. Returns null
 * when the date is missing or invalid (for example February 30th).
 */
export function fromPickerParts(date: string, time: string, utc: boolean): string | null {
  const dm = DATE.exec(date.trim());
  if (!dm) return null;
  const tm = time.trim() === '' ? ['', '00', '00', '00'] : TIME.exec(time.trim());
  if (!tm) return null;
  const [y, mo, d] = [Number(dm[1]), Number(dm[2]) - 1, Number(dm[3])];
  const [h, mi, s] = [Number(tm[1]), Number(tm[2]), Number(tm[3] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return null;
  let at: Date;
  if (utc) {
    at = new Date(Date.UTC(y, mo, d, h, mi, s));
    if (at.getUTCFullYear() !== y || at.getUTCMonth() !== mo || at.getUTCDate() !== d) return null;
  } else {
    at = new Date(y, mo, d, h, mi, s);
    // A date that rolled over (Feb 30th) is invalid; a local time skipped by a DST change is
    // moved forward by the browser, which is the sensible reading of it.
    if (at.getFullYear() !== y || at.getMonth() !== mo || at.getDate() !== d) return null;
  }
  if (Number.isNaN(at.getTime())) return null;
  return toRfc3339Utc(at);
}

/** `2024-05-01T13:30:00Z`: RFC 3339 in UTC, whole seconds. */
export function toRfc3339Utc(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
