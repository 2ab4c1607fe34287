import { describe, expect, it } from 'vitest';
import type { Namespace } from '../api/types';
import { copyError, copyTargets, deleteBlockedReason, plural, usageCounts, usageSummary, usedByLabel } from './usage';
import { MSG_KEY } from './validation';

const ns = (key: string): Namespace => ({ key, name: key, description: '', protected: false, createdAt: '', updatedAt: '' });

describe('segment usage labels', () => {
  it('pluralizes', () => {
    expect(plural(0, 'flag')).toBe('0 flags');
    expect(plural(1, 'flag')).toBe('1 flag');
    expect(usedByLabel(2)).toBe('Used by 2 flags');
    expect(usedByLabel(1)).toBe('Used by 1 flag');
  });
  it('summarizes rules and rollouts of one flag', () => {
    expect(usageSummary({ flagKey: 'f', ruleIds: ['a', 'b'] })).toBe('2 rules');
    expect(usageSummary({ flagKey: 'f', rolloutIds: ['a'] })).toBe('1 rollout');
    expect(usageSummary({ flagKey: 'f', ruleIds: ['a'], rolloutIds: ['x', 'y'] })).toBe('1 rule, 2 rollouts');
    expect(usageSummary({ flagKey: 'f' })).toBe('');
  });
  it('maps counts by segment key', () => {
    const m = usageCounts([{ segmentKey: 's', flagCount: 2 }, { segmentKey: 't' }]);
    expect(m.get('s')).toBe(2);
    expect(m.get('t')).toBe(0);
    expect(m.get('missing')).toBeUndefined();
    expect(usageCounts(undefined).size).toBe(0);
  });
  it('blocks deletion only while in use', () => {
    expect(deleteBlockedReason(undefined)).toBeNull();
    expect(deleteBlockedReason([])).toBeNull();
    expect(deleteBlockedReason([{ flagKey: 'f' }])).toMatch(/^Used by 1 flag: remove it/);
  });
});

describe('copy flag', () => {
  it('offers the other namespaces first and the source last', () => {
    expect(copyTargets([ns('default'), ns('a'), ns('b')], 'a').map((n) => n.key)).toEqual(['default', 'b', 'a']);
    expect(copyTargets([ns('a')], 'a').map((n) => n.key)).toEqual(['a']);
  });
  it('validates the target', () => {
    const src = { ns: 'a', key: 'f' };
    expect(copyError(src, { ns: 'b', key: '' })).toBeNull();
    expect(copyError(src, { ns: 'b', key: 'f2' })).toBeNull();
    expect(copyError(src, { ns: 'b', key: 'bad key' })).toBe(MSG_KEY);
    expect(copyError(src, { ns: '', key: '' })).toBe('Choose a namespace');
    expect(copyError(src, { ns: 'a', key: '' })).toMatch(/new key to copy the flag/);
    expect(copyError(src, { ns: 'a', key: '' }, 'segment')).toMatch(/new key to copy the segment/);
    expect(copyError(src, { ns: 'a', key: 'f' })).toMatch(/new key/);
    expect(copyError(src, { ns: 'a', key: 'f-copy' })).toBeNull();
  });
});
