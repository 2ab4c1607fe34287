import { describe, expect, it } from 'vitest';
import {
  MAX_ATTACHMENT_BYTES,
  MSG_JSON,
  MSG_JSON_SIZE,
  MSG_KEY,
  MSG_REQUIRED,
  MSG_VARIANT_KEY,
  formatAttachment,
  keyFromName,
  normalizeKey,
  validateAttachment,
  validateKey,
  validateVariantKey,
} from './validation';

describe('attachment validation', () => {
  it('accepts empty and any JSON value', () => {
    for (const ok of ['', '   ', '{}', '{"a":[1,2,{"b":null}]}', '[1]', '"s"', '1.5', 'true', 'null']) {
      expect(validateAttachment(ok), ok).toBeNull();
    }
  });
  it('rejects invalid JSON', () => {
    for (const bad of ['{', "{'a':1}", 'abc', '{"a":1,}', '[1,2']) {
      expect(validateAttachment(bad), bad).toBe(MSG_JSON);
    }
  });
  it('rejects attachments over 1000 KB (bytes, not characters)', () => {
    const atLimit = JSON.stringify('x'.repeat(MAX_ATTACHMENT_BYTES - 2));
    expect(validateAttachment(atLimit)).toBeNull();
    expect(validateAttachment(JSON.stringify('x'.repeat(MAX_ATTACHMENT_BYTES)))).toBe(MSG_JSON_SIZE);
    // "é" is two bytes in UTF-8.
    expect(validateAttachment(JSON.stringify('é'.repeat(MAX_ATTACHMENT_BYTES / 2)))).toBe(MSG_JSON_SIZE);
  });
  it('formats JSON for editing and leaves other text alone', () => {
    expect(formatAttachment('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(formatAttachment('not json')).toBe('not json');
    expect(formatAttachment('')).toBe('');
  });
});

describe('keys', () => {
  it('validates flag/segment/namespace keys like the server', () => {
    expect(validateKey('')).toBe(MSG_REQUIRED);
    expect(validateKey('ok-key_1,x')).toBeNull();
    expect(validateKey('has.dot')).toBe(MSG_KEY);
    expect(validateKey('has space')).toBe(MSG_KEY);
  });
  it('validates variant keys (dots allowed)', () => {
    expect(validateVariantKey('v1.2')).toBeNull();
    expect(validateVariantKey('a,b')).toBe(MSG_VARIANT_KEY);
    expect(validateVariantKey(' ')).toBe(MSG_REQUIRED);
  });
  it('derives keys from names', () => {
    expect(normalizeKey('My  New\tFlag')).toBe('My-New-Flag');
    expect(keyFromName('  Checkout V2 ')).toBe('Checkout-V2');
  });
});
