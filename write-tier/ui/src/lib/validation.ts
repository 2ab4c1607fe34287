// Client-side validation rules (dashboard.md §3). Client and server rules are kept identical.

/** Flag, segment and namespace keys: the server's `^[-_,A-Za-z0-9]+$`. */
export const KEY_PATTERN = /^[-_,A-Za-z0-9]+$/;
/** Variant keys (the dashboard rule; the server does not check variant keys). */
export const VARIANT_KEY_PATTERN = /^[-_.A-Za-z0-9]+$/;

export const MSG_REQUIRED = 'Required';
export const MSG_KEY = 'Only letters, numbers, hyphens and underscores allowed';
export const MSG_VARIANT_KEY = 'Only letters, numbers, hyphens, dots and underscores allowed';
export const MSG_JSON = 'Must be valid JSON';
export const MSG_JSON_SIZE = 'Must be less than 1000 KB';

/** Largest attachment the server accepts, in bytes of UTF-8 text. */
export const MAX_ATTACHMENT_BYTES = 1_024_000;

export function validateKey(key: string): string | null {
  if (key.trim() === '') return MSG_REQUIRED;
  return KEY_PATTERN.test(key) ? null : MSG_KEY;
}

export function validateVariantKey(key: string): string | null {
  if (key.trim() === '') return MSG_REQUIRED;
  return VARIANT_KEY_PATTERN.test(key) ? null : MSG_VARIANT_KEY;
}

export function validateRequired(value: string): string | null {
  return value.trim() === '' ? MSG_REQUIRED : null;
}

/** A variant attachment: empty, or any JSON value of at most 1000 KB. */
export function validateAttachment(text: string): string | null {
  if (text.trim() === '') return null;
  if (new TextEncoder().encode(text).length > MAX_ATTACHMENT_BYTES) return MSG_JSON_SIZE;
  try {
    JSON.parse(text);
    return null;
  } catch {
    return MSG_JSON;
  }
}

/** Pretty-prints a JSON attachment for editing; returns the text unchanged if it is not JSON. */
export function formatAttachment(text: string): string {
  if (text.trim() === '') return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Key normalisation while typing: whitespace runs become single hyphens, case is kept. */
export function normalizeKey(value: string): string {
  return value.replace(/\s+/g, '-');
}

/** The key derived automatically from a name. */
export function keyFromName(name: string): string {
  return normalizeKey(name.trim());
}
