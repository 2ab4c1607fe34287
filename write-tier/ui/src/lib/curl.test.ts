import { describe, expect, it } from 'vitest';
import { buildCurl, evaluationUrl, randomEntityId, shellQuote } from './curl';

describe('shellQuote', () => {
  it('wraps in single quotes and escapes embedded ones', () => {
    expect(shellQuote('abc')).toBe("'abc'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});

describe('buildCurl', () => {
  const body = { namespaceKey: 'default', flagKey: 'f', entityId: 'u1', context: { name: "O'Brien" } };
  it('builds a POST with JSON headers and body', () => {
    const cmd = buildCurl({ url: 'http://h:8080/evaluate/v1/variant', body });
    expect(cmd.startsWith("curl -sS -X POST 'http://h:8080/evaluate/v1/variant' \\\n  -H")).toBe(true);
    expect(cmd).toContain("-H 'Content-Type: application/json'");
    expect(cmd).not.toContain('Authorization');
    expect(cmd).toContain(`-d '{"namespaceKey":"default","flagKey":"f","entityId":"u1","context":{"name":"O'\\''Brien"}}'`);
  });
  it('adds the bearer placeholder when auth is on', () => {
    expect(buildCurl({ url: 'http://h/x', body: {}, auth: true })).toContain("-H 'Authorization: Bearer <api-token>'");
  });
});

describe('evaluationUrl', () => {
  it('joins origin, base path and kind', () => {
    expect(evaluationUrl('http://h', '/', 'variant')).toBe('http://h/evaluate/v1/variant');
    expect(evaluationUrl('http://h', '/flipt/', 'boolean')).toBe('http://h/flipt/evaluate/v1/boolean');
    expect(evaluationUrl('http://h', '/flipt', 'boolean')).toBe('http://h/flipt/evaluate/v1/boolean');
  });
});

describe('randomEntityId', () => {
  it('returns distinct UUIDs', () => {
    const a = randomEntityId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(randomEntityId()).not.toBe(a);
  });
});
