import { describe, expect, it } from 'vitest';
import {
  buildCli,
  buildHttpRequest,
  buildJsonBody,
  CONTEXT_INVALID,
  contextText,
  HISTORY_SIZE,
  loadHistory,
  parseContext,
  reasonText,
  rememberContext,
  summarize,
} from './console';

describe('parseContext', () => {
  it('accepts an object of strings; blank means empty', () => {
    expect(parseContext('{"plan": "pro", "region": "eu"}')).toEqual({
      context: { plan: 'pro', region: 'eu' },
      error: null,
      detail: null,
      converted: [],
    });
    expect(parseContext('{}').context).toEqual({});
    expect(parseContext('  ').context).toEqual({});
  });
  it('converts numbers and booleans to strings and says which', () => {
    const p = parseContext('{"age": 42, "beta": true, "ratio": 0.5, "name": "x"}');
    expect(p.error).toBeNull();
    expect(p.context).toEqual({ age: '42', beta: 'true', ratio: '0.5', name: 'x' });
    expect(p.converted).toEqual(['age', 'beta', 'ratio']);
  });
  it('rejects arrays, nested objects, null values and bad JSON with the message', () => {
    for (const text of ['[]', '["a"]', '{"a": {"b": "c"}}', '{"a": ["b"]}', '{"a": null}', '"str"', '42', 'null', '{"a": ', "{'a': 'b'}"]) {
      const p = parseContext(text);
      expect(p.error, text).toBe(CONTEXT_INVALID);
      expect(p.context, text).toBeNull();
      expect(p.detail, text).toBeTruthy();
    }
    expect(parseContext('{"a": {"b": "c"}}').detail).toContain('"a" is an object');
    expect(parseContext('[1]').detail).toContain('not an array');
  });
  it('round-trips through contextText', () => {
    expect(contextText({})).toBe('{}');
    expect(parseContext(contextText({ a: '1', 'b c': 'd' })).context).toEqual({ a: '1', 'b c': 'd' });
  });
});

const body = { namespaceKey: 'prod', flagKey: 'checkout', entityId: 'user-1', context: { plan: 'pro', name: "O'Brien x" } };

describe('buildCli', () => {
  it('builds flipt evaluate with address, namespace, entity id and one --context per entry', () => {
    expect(buildCli({ address: 'http://h:8080', body })).toBe(
      "flipt evaluate checkout --address http://h:8080 --namespace prod --entity-id user-1 --context plan=pro --context 'name=O'\\''Brien x'",
    );
  });
  it('adds the token placeholder when auth is on and omits --context for an empty context', () => {
    const cmd = buildCli({ address: 'http://h', body: { ...body, context: {} }, auth: true });
    expect(cmd).toBe("flipt evaluate checkout --address http://h --namespace prod --entity-id user-1 --token '<api-token>'");
  });
});

describe('buildHttpRequest', () => {
  it('writes a raw HTTP/1.1 request with headers and the JSON body', () => {
    const req = buildHttpRequest({ url: 'http://h:8080/flipt/evaluate/v1/variant', body: { ...body, context: {} } });
    const [head, payload] = req.split('\n\n');
    const lines = head.split('\n');
    expect(lines[0]).toBe('POST /flipt/evaluate/v1/variant HTTP/1.1');
    expect(lines).toContain('Host: h:8080');
    expect(lines).toContain('Content-Type: application/json');
    expect(lines).not.toContain('Authorization: Bearer <api-token>');
    expect(lines).toContain(`Content-Length: ${new TextEncoder().encode(payload).length}`);
    expect(JSON.parse(payload)).toEqual({ ...body, context: {} });
  });
  it('adds the bearer placeholder when auth is on', () => {
    expect(buildHttpRequest({ url: 'http://h/evaluate/v1/boolean', body, auth: true })).toContain('\nAuthorization: Bearer <api-token>\n');
  });
});

describe('buildJsonBody', () => {
  it('is the pretty request body', () => {
    expect(JSON.parse(buildJsonBody(body))).toEqual(body);
    expect(buildJsonBody(body)).toContain('\n  "flagKey": "checkout"');
  });
});

describe('summarize', () => {
  it('summarizes a variant match', () => {
    expect(
      summarize('variant', { match: true, reason: 'MATCH_EVALUATION_REASON', variantKey: 'blue', segmentKeys: ['pro', 'eu'] }),
    ).toEqual({ matched: true, reason: reasonText('MATCH_EVALUATION_REASON'), valueLabel: 'Variant', value: 'blue', segmentKeys: ['pro', 'eu'] });
  });
  it('summarizes a variant miss and a boolean default', () => {
    const miss = summarize('variant', { match: false, reason: 'UNKNOWN_EVALUATION_REASON' });
    expect(miss.matched).toBe(false);
    expect(miss.value).toBe('');
    expect(miss.reason).toBe('No rule matched the request.');
    const b = summarize('boolean', { enabled: true, reason: 'DEFAULT_EVALUATION_REASON' });
    expect(b).toMatchObject({ matched: false, valueLabel: 'Value', value: 'true', segmentKeys: [] });
    expect(summarize('boolean', { enabled: false, reason: 'MATCH_EVALUATION_REASON' })).toMatchObject({ matched: true, value: 'false' });
  });
  it('keeps unknown reasons as they are', () => {
    expect(reasonText('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });
});

describe('history', () => {
  const memory = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
  };
  it('keeps the newest contexts per flag, without duplicates, at most HISTORY_SIZE', () => {
    const s = memory();
    rememberContext(s, 'ns', 'f', { a: '1' });
    rememberContext(s, 'ns', 'f', { a: '2' });
    expect(rememberContext(s, 'ns', 'f', { a: '1' })).toEqual(['{"a":"1"}', '{"a":"2"}']);
    expect(loadHistory(s, 'ns', 'other')).toEqual([]);
    for (let i = 0; i < 10; i++) rememberContext(s, 'ns', 'f', { i: String(i) });
    const list = loadHistory(s, 'ns', 'f');
    expect(list.length).toBe(HISTORY_SIZE);
    expect(list[0]).toBe('{"i":"9"}');
  });
  it('survives broken or missing storage', () => {
    expect(loadHistory({ getItem: () => 'not json' }, 'ns', 'f')).toEqual([]);
    expect(loadHistory(undefined, 'ns', 'f')).toEqual([]);
    expect(rememberContext(undefined, 'ns', 'f', { a: 'b' })).toEqual(['{"a":"b"}']);
  });
});
