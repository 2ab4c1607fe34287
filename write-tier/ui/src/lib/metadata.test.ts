import { describe, expect, it } from 'vitest';
import {
  MSG_META_ARRAY,
  MSG_META_KEY_REQUIRED,
  MSG_META_KEY_UNIQUE,
  MSG_META_NUMBER,
  MSG_META_OBJECT,
  MSG_META_VALUE_REQUIRED,
  changeType,
  emptyRow,
  initialMetadataState,
  lineColumn,
  metadataFromRows,
  metadataOf,
  parseJson,
  rowsBlocked,
  rowsFromMetadata,
  sameMetadata,
  stableStringify,
  switchMode,
  validateMetaValue,
  validateRawMetadata,
  validateRows,
  type MetaRow,
} from './metadata';

const row = (key: string, type: MetaRow['type'], value: string): MetaRow => ({ id: key || 'blank', key, type, value });

describe('rowsFromMetadata', () => {
  it('maps every JSON type to a row, sorted by key', () => {
    const rows = rowsFromMetadata({ team: 'web', weight: 2.5, beta: false, owners: { a: 1 }, regions: ['eu'] })!;
    expect(rows.map((r) => [r.key, r.type])).toEqual([
      ['beta', 'boolean'],
      ['owners', 'object'],
      ['regions', 'array'],
      ['team', 'string'],
      ['weight', 'number'],
    ]);
    expect(rows.map((r) => r.value)).toEqual(['false', '{\n  "a": 1\n}', '[\n  "eu"\n]', 'web', '2.5']);
    expect(rows.every((r) => r.loaded !== undefined)).toBe(true);
  });
  it('treats absent metadata as no rows', () => {
    expect(rowsFromMetadata(undefined)).toEqual([]);
    expect(rowsFromMetadata({})).toEqual([]);
  });
  it('refuses what rows cannot show', () => {
    expect(rowsFromMetadata({ a: null })).toBeNull();
    expect(rowsFromMetadata(['x'])).toBeNull();
    expect(rowsFromMetadata('text')).toBeNull();
  });
  it('falls back to the raw JSON editor', () => {
    const s = initialMetadataState({ a: null, b: 1 });
    expect(s).toEqual({ mode: 'json', text: '{\n  "a": null,\n  "b": 1\n}' });
    expect(initialMetadataState({ b: 1 }).mode).toBe('rows');
  });
});

describe('metadataFromRows', () => {
  it('serialises typed values and skips rows without a key', () => {
    const meta = metadataFromRows([
      row('team', 'string', 'web'),
      row('n', 'number', ' -1.5e2 '),
      row('on', 'boolean', 'true'),
      row('off', 'boolean', 'false'),
      row('obj', 'object', '{"x": [1, 2]}'),
      row('arr', 'array', '[{"y": true}]'),
      row('', 'string', 'ignored'),
    ]);
    expect(meta).toEqual({ team: 'web', n: -150, on: true, off: false, obj: { x: [1, 2] }, arr: [{ y: true }] });
  });
  it('round-trips stored metadata unchanged', () => {
    const stored = { a: 'x', b: 0, c: true, d: { e: [1, { f: null }] }, g: [] };
    expect(metadataFromRows(rowsFromMetadata(stored)!)).toEqual(stored);
  });
});

describe('validation', () => {
  it('checks values by type', () => {
    expect(validateMetaValue('string', '')).toBe(MSG_META_VALUE_REQUIRED);
    expect(validateMetaValue('string', ' x ')).toBeNull();
    expect(validateMetaValue('number', '12')).toBeNull();
    expect(validateMetaValue('number', '1e3')).toBeNull();
    expect(validateMetaValue('number', '0x10')).toBe(MSG_META_NUMBER);
    expect(validateMetaValue('number', 'abc')).toBe(MSG_META_NUMBER);
    expect(validateMetaValue('number', '')).toBe(MSG_META_VALUE_REQUIRED);
    expect(validateMetaValue('boolean', 'true')).toBeNull();
    expect(validateMetaValue('boolean', 'yes')).toBe(MSG_META_VALUE_REQUIRED);
    expect(validateMetaValue('object', '{"a": 1}')).toBeNull();
    expect(validateMetaValue('object', '[1]')).toBe(MSG_META_OBJECT);
    expect(validateMetaValue('object', 'null')).toBe(MSG_META_OBJECT);
    expect(validateMetaValue('array', '[1]')).toBeNull();
    expect(validateMetaValue('array', '{}')).toBe(MSG_META_ARRAY);
    expect(validateMetaValue('array', '')).toBe(MSG_META_VALUE_REQUIRED);
    expect(validateMetaValue('object', '{"a": }')).toMatch(/^Must be valid JSON/);
  });
  it('names the line and column of a JSON error', () => {
    const r = parseJson('{\n  "a": 1,\n  }');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^Must be valid JSON.*line 3/);
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
  it('flags duplicate and missing keys', () => {
    const rows = [row('a', 'string', 'x'), row('a', 'number', '1'), row('', 'string', ''), row('b', 'string', '')];
    expect(validateRows(rows)).toEqual([
      { key: MSG_META_KEY_UNIQUE, value: null },
      { key: MSG_META_KEY_UNIQUE, value: null },
      { key: MSG_META_KEY_REQUIRED, value: null },
      { key: null, value: MSG_META_VALUE_REQUIRED },
    ]);
    expect(rowsBlocked(rows)).toBe(true);
  });
  it('ignores rows without a key when deciding whether saving is blocked', () => {
    expect(rowsBlocked([row('a', 'string', 'x'), row('', 'object', 'not json')])).toBe(false);
    expect(rowsBlocked([emptyRow()])).toBe(false);
    expect(metadataOf({ mode: 'rows', rows: [emptyRow()] })).toEqual({});
  });
  it('does not re-judge stored rows the user has not touched', () => {
    const [stored] = rowsFromMetadata({ legacy: '' })!;
    expect(validateRows([stored])).toEqual([{ key: null, value: null }]);
    expect(rowsBlocked([stored])).toBe(false);
    const edited = { ...stored, value: ' ' };
    expect(validateRows([edited])[0].value).toBe(MSG_META_VALUE_REQUIRED);
  });
  it('validates the raw JSON editor', () => {
    expect(validateRawMetadata('')).toBeNull();
    expect(validateRawMetadata('{"a": null}')).toBeNull();
    expect(validateRawMetadata('[]')).toBe(MSG_META_OBJECT);
    expect(validateRawMetadata('{')).toMatch(/^Must be valid JSON/);
    expect(metadataOf({ mode: 'json', text: '' })).toEqual({});
    expect(metadataOf({ mode: 'json', text: '{"a": null}' })).toEqual({ a: null });
    expect(metadataOf({ mode: 'json', text: '{' })).toBeNull();
  });
});

describe('editing', () => {
  it('converts values when the type changes', () => {
    expect(changeType(row('k', 'string', '12'), 'number').value).toBe('12');
    expect(changeType(row('k', 'string', 'x'), 'number').value).toBe('');
    expect(changeType(row('k', 'string', 'false'), 'boolean').value).toBe('false');
    expect(changeType(row('k', 'string', 'x'), 'boolean').value).toBe('true');
    expect(changeType(row('k', 'string', 'x'), 'object').value).toBe('{}');
    expect(changeType(row('k', 'string', '[1]'), 'array').value).toBe('[1]');
    expect(changeType(row('k', 'object', '{}'), 'string').value).toBe('');
    expect(changeType(row('k', 'number', '3'), 'string').value).toBe('3');
  });
  it('switches between rows and raw JSON', () => {
    const rows = { mode: 'rows' as const, rows: [row('a', 'number', '1')] };
    const json = switchMode(rows);
    expect(json).toEqual({ mode: 'json', text: '{\n  "a": 1\n}' });
    const back = switchMode(json!);
    expect(back?.mode === 'rows' && back.rows.map((r) => [r.key, r.type, r.value, r.loaded])).toEqual([['a', 'number', '1', undefined]]);
    expect(switchMode({ mode: 'json', text: '{"a": null}' })).toBeNull();
    expect(switchMode({ mode: 'rows', rows: [row('a', 'number', 'x')] })).toBeNull();
  });
  it('compares metadata regardless of key order, absent equal to empty', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(sameMetadata({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameMetadata(undefined, {})).toBe(true);
    expect(sameMetadata({ a: 1 }, { a: '1' })).toBe(false);
  });
});
