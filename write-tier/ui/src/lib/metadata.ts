// Flag metadata editor model (dashboard.md §2.5.3): rows of key, type and value text, parsed from
// and serialised to the flag's `metadata` JSON object, with the editor's validation rules.
import { normalizeKey } from './validation';

export type MetaType = 'string' | 'number' | 'boolean' | 'object' | 'array';
/** The first type selector of a row: "Primitive", "Object" or "Array". */
export type MetaKind = 'primitive' | 'object' | 'array';

export interface MetaRow {
  /** Client-side identity for React keys and focus; never sent. */
  id: string;
  key: string;
  type: MetaType;
  /** The value as edited: plain text for strings and numbers, "true"/"false", or JSON text. */
  value: string;
  /** The row as loaded from the server (key, type, value), so untouched stored rows are not re-judged. */
  loaded?: string;
}

export type MetadataState = { mode: 'rows'; rows: MetaRow[] } | { mode: 'json'; text: string };

export type Metadata = Record<string, unknown>;

export const MSG_META_KEY_REQUIRED = 'Key is required';
export const MSG_META_KEY_UNIQUE = 'Key must be unique';
export const MSG_META_VALUE_REQUIRED = 'Value is required';
export const MSG_META_NUMBER = 'Must be a number';
export const MSG_META_OBJECT = 'Must be a JSON object';
export const MSG_META_ARRAY = 'Must be a JSON array';
export const MSG_META_JSON = 'Must be valid JSON';

let seq = 0;
export function newRowId(): string {
  seq += 1;
  return `meta-${seq}`;
}

export function kindOf(type: MetaType): MetaKind {
  return type === 'object' || type === 'array' ? type : 'primitive';
}

const rowSignature = (r: Pick<MetaRow, 'key' | 'type' | 'value'>) => JSON.stringify([r.key, r.type, r.value]);

/** A new, empty row (a string entry). */
export function emptyRow(): MetaRow {
  return { id: newRowId(), key: '', type: 'string', value: '' };
}

/**
 * The rows for a stored metadata object, sorted by key (the server does not keep a stable key
 * order), or null when it cannot be shown as rows (not an object, or a value such as `null`
 * that no row type can hold).
 */
export function rowsFromMetadata(meta: unknown): MetaRow[] | null {
  if (meta === undefined || meta === null) return [];
  if (typeof meta !== 'object' || Array.isArray(meta)) return null;
  const rows: MetaRow[] = [];
  const entries = Object.entries(meta as Metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, v] of entries) {
    let type: MetaType;
    let value: string;
    if (typeof v === 'string') [type, value] = ['string', v];
    else if (typeof v === 'number' && Number.isFinite(v)) [type, value] = ['number', String(v)];
    else if (typeof v === 'boolean') [type, value] = ['boolean', String(v)];
    else if (Array.isArray(v)) [type, value] = ['array', JSON.stringify(v, null, 2)];
    else if (v !== null && typeof v === 'object') [type, value] = ['object', JSON.stringify(v, null, 2)];
    else return null;
    const row: MetaRow = { id: newRowId(), key, type, value };
    row.loaded = rowSignature(row);
    rows.push(row);
  }
  return rows;
}

/** The editor state for stored metadata: rows when possible, else the raw JSON editor. */
export function initialMetadataState(meta: unknown): MetadataState {
  const rows = rowsFromMetadata(meta);
  return rows ? { mode: 'rows', rows } : { mode: 'json', text: JSON.stringify(meta ?? {}, null, 2) };
}

/** Line and column (1-based) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** Parses JSON text; on failure a message naming the line and column when the engine tells us the offset. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(detail);
    if (pos && !/line \d+/.test(detail)) {
      const { line, column } = lineColumn(text, Number(pos[1]));
      return { ok: false, error: `${MSG_META_JSON} (line ${line}, column ${column}): ${detail}` };
    }
    return { ok: false, error: `${MSG_META_JSON}: ${detail}` };
  }
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** The problem with a value of the given type, or null. */
export function validateMetaValue(type: MetaType, value: string): string | null {
  if (type === 'boolean') return value === 'true' || value === 'false' ? null : MSG_META_VALUE_REQUIRED;
  if (value.trim() === '') return MSG_META_VALUE_REQUIRED;
  if (type === 'string') return null;
  if (type === 'number') return NUMBER.test(value.trim()) && Number.isFinite(Number(value)) ? null : MSG_META_NUMBER;
  const parsed = parseJson(value);
  if (!parsed.ok) return parsed.error;
  if (type === 'array') return Array.isArray(parsed.value) ? null : MSG_META_ARRAY;
  const v = parsed.value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? null : MSG_META_OBJECT;
}

export interface RowErrors {
  key: string | null;
  value: string | null;
}

/**
 * Per-row messages. Rows with empty keys only say "Key is required" (they are ignored when
 * saving, so their value is not judged); rows unchanged since loading are not re-judged, so a
 * stored empty string does not block saving the rest of the flag.
 */
export function validateRows(rows: MetaRow[]): RowErrors[] {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.key !== '') counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
  return rows.map((r) => {
    if (r.key.trim() === '') return { key: MSG_META_KEY_REQUIRED, value: null };
    const key = (counts.get(r.key) ?? 0) > 1 ? MSG_META_KEY_UNIQUE : null;
    const unchanged = r.loaded !== undefined && r.loaded === rowSignature(r);
    return { key, value: unchanged ? null : validateMetaValue(r.type, r.value) };
  });
}

/** True when the rows cannot be saved: a duplicate key, or a bad value in a row that has a key. */
export function rowsBlocked(rows: MetaRow[]): boolean {
  return validateRows(rows).some((e, i) => rows[i].key.trim() !== '' && (e.key !== null || e.value !== null));
}

function valueOf(r: MetaRow): unknown {
  switch (r.type) {
    case 'string':
      return r.value;
    case 'number':
      return Number(r.value.trim());
    case 'boolean':
      return r.value === 'true';
    default:
      return JSON.parse(r.value);
  }
}

/** The metadata object the rows describe; rows with empty keys are left out. Assumes valid rows. */
export function metadataFromRows(rows: MetaRow[]): Metadata {
  const out: Metadata = {};
  for (const r of rows) {
    if (r.key.trim() === '') continue;
    out[r.key] = valueOf(r);
  }
  return out;
}

/** The problem with raw metadata JSON, or null when it is a JSON object. */
export function validateRawMetadata(text: string): string | null {
  if (text.trim() === '') return null;
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed.error;
  const v = parsed.value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? null : MSG_META_OBJECT;
}

/** The metadata the editor describes, or null while it has blocking errors. */
export function metadataOf(state: MetadataState): Metadata | null {
  if (state.mode === 'json') {
    if (validateRawMetadata(state.text) !== null) return null;
    return state.text.trim() === '' ? {} : (JSON.parse(state.text) as Metadata);
  }
  return rowsBlocked(state.rows) ? null : metadataFromRows(state.rows);
}

/** Normalises a key while typing, like flag keys (whitespace runs become hyphens). */
export const normalizeMetaKey = normalizeKey;

/** Changes a row's type, converting the value where it can and otherwise picking a sensible start. */
export function changeType(row: MetaRow, type: MetaType): MetaRow {
  if (row.type === type) return row;
  let value = row.value;
  const parsed = parseJson(row.value);
  if (type === 'boolean') value = row.value.trim() === 'false' ? 'false' : 'true';
  else if (type === 'number') value = NUMBER.test(row.value.trim()) ? row.value.trim() : '';
  else if (type === 'string') value = row.type === 'object' || row.type === 'array' ? '' : row.value;
  else if (type === 'object')
    value = parsed.ok && parsed.value !== null && typeof parsed.value === 'object' && !Array.isArray(parsed.value) ? row.value : '{}';
  else if (type === 'array') value = parsed.ok && Array.isArray(parsed.value) ? row.value : '[]';
  return { ...row, type, value };
}

/** Switches the editor between rows and raw JSON; null when the JSON cannot be shown as rows. */
export function switchMode(state: MetadataState): MetadataState | null {
  if (state.mode === 'rows') {
    const meta = metadataOf(state);
    if (meta === null) return null;
    return { mode: 'json', text: JSON.stringify(meta, null, 2) };
  }
  const meta = metadataOf(state);
  if (meta === null) return null;
  const rows = rowsFromMetadata(meta);
  if (!rows) return null;
  // Rows coming from the JSON editor count as edited (they are validated in full).
  return { mode: 'rows', rows: rows.map((r) => ({ ...r, loaded: undefined })) };
}

/** JSON with object keys sorted at every level, for comparing metadata regardless of key order. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Metadata)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Whether two metadata objects are equal; absent and `{}` are the same (api.md §4.2). */
export function sameMetadata(a: Metadata | null | undefined, b: Metadata | null | undefined): boolean {
  return stableStringify(a ?? {}) === stableStringify(b ?? {});
}
