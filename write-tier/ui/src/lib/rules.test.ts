import { describe, expect, it } from 'vitest';
import type { Distribution } from '../api/types';
import {
  MSG_OVER_100,
  MSG_PERCENT,
  byRank,
  desiredDistributions,
  evenSplit,
  formatTotal,
  moveById,
  moveItem,
  parsePercent,
  planDistributions,
  ruleKind,
  segmentKeysOf,
  sumHundredths,
  validateDistribution,
} from './rules';

const dist = (id: string, variantId: string, rollout: number): Distribution => ({
  id,
  ruleId: 'r',
  variantId,
  rollout,
  createdAt: '',
  updatedAt: '',
});

describe('segmentKeysOf', () => {
  it('reads either wire form', () => {
    expect(segmentKeysOf({ segmentKey: 'a', segmentKeys: [] })).toEqual(['a']);
    expect(segmentKeysOf({ segmentKey: '', segmentKeys: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(segmentKeysOf({})).toEqual([]);
  });
});

describe('percentages', () => {
  it('parses numbers in range only', () => {
    expect(parsePercent('50')).toBe(50);
    expect(parsePercent(' 33.33 ')).toBe(33.33);
    expect(parsePercent('100.01')).toBeNull();
    expect(parsePercent('-1')).toBeNull();
    expect(parsePercent('abc')).toBeNull();
    expect(parsePercent('')).toBeNull();
  });
  it('sums without floating point drift', () => {
    expect(sumHundredths([33.33, 33.33, 33.34])).toBe(10000);
    expect(sumHundredths([0.1, 0.2])).toBe(30);
    expect(formatTotal([50, 50])).toBe('100%');
    expect(formatTotal([33.33, 33.33])).toBe('66.66%');
  });
  it('validates the distribution total', () => {
    expect(validateDistribution(['50', '50'])).toBeNull();
    expect(validateDistribution(['33.33', '33.33', '33.34'])).toBeNull();
    expect(validateDistribution(['10', '20'])).toBeNull();
    expect(validateDistribution(['50', '50.01'])).toBe(MSG_OVER_100);
    expect(validateDistribution(['101'])).toBe(MSG_PERCENT);
    expect(validateDistribution(['x', '1'])).toBe(MSG_PERCENT);
    expect(validateDistribution([])).toBeNull();
  });
  it('splits evenly to exactly 100', () => {
    expect(evenSplit(2)).toEqual([50, 50]);
    expect(evenSplit(3)).toEqual([33.34, 33.33, 33.33]);
    expect(evenSplit(7).reduce((a, b) => a + Math.round(b * 100), 0)).toBe(10000);
    expect(evenSplit(0)).toEqual([]);
  });
});

describe('rule kinds and distribution plans', () => {
  it('derives the kind', () => {
    expect(ruleKind([])).toBe('none');
    expect(ruleKind([{ rollout: 100 }])).toBe('single');
    expect(ruleKind([{ rollout: 60 }])).toBe('multi');
    expect(ruleKind([{ rollout: 50 }, { rollout: 50 }])).toBe('multi');
  });
  it('builds desired distributions from the form', () => {
    const vs = [{ id: 'a' }, { id: 'b' }];
    expect(desiredDistributions('none', vs, '', {})).toEqual([]);
    expect(desiredDistributions('single', vs, 'b', {})).toEqual([{ variantId: 'b', rollout: 100 }]);
    expect(desiredDistributions('multi', vs, '', { a: '30', b: '70' })).toEqual([
      { variantId: 'a', rollout: 30 },
      { variantId: 'b', rollout: 70 },
    ]);
  });
  it('creates everything for a new rule', () => {
    expect(planDistributions([], [{ variantId: 'a', rollout: 50 }, { variantId: 'b', rollout: 50 }])).toEqual([
      { op: 'create', variantId: 'a', rollout: 50 },
      { op: 'create', variantId: 'b', rollout: 50 },
    ]);
  });
  it('updates, deletes and creates to match, leaving equal ones alone', () => {
    const current = [dist('1', 'a', 50), dist('2', 'b', 50), dist('3', 'c', 0), dist('4', 'a', 10)];
    const ops = planDistributions(current, [
      { variantId: 'a', rollout: 50 },
      { variantId: 'b', rollout: 20 },
      { variantId: 'd', rollout: 30 },
    ]);
    expect(ops).toEqual([
      { op: 'delete', id: '3', variantId: 'c' },
      { op: 'delete', id: '4', variantId: 'a' },
      { op: 'update', id: '2', variantId: 'b', rollout: 20 },
      { op: 'create', variantId: 'd', rollout: 30 },
    ]);
  });
  it('orders updates so the total never exceeds 100 in between', () => {
    const ops = planDistributions([dist('1', 'a', 20), dist('2', 'b', 80)], [
      { variantId: 'a', rollout: 80 },
      { variantId: 'b', rollout: 20 },
    ]);
    expect(ops.map((o) => (o.op === 'update' ? o.variantId : o.op))).toEqual(['b', 'a']);
  });
  it('deletes everything when switching to none', () => {
    expect(planDistributions([dist('1', 'a', 100)], [])).toEqual([{ op: 'delete', id: '1', variantId: 'a' }]);
  });
});

describe('reordering', () => {
  const items = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  it('moves by index', () => {
    expect(moveItem(items, 0, 2).map((x) => x.id)).toEqual(['b', 'c', 'a']);
    expect(moveItem(items, 2, 0).map((x) => x.id)).toEqual(['c', 'a', 'b']);
    expect(moveItem(items, 1, 5).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(moveItem(items, 1, 1)).not.toBe(items);
  });
  it('moves by id one step', () => {
    expect(moveById(items, 'b', -1)?.map((x) => x.id)).toEqual(['b', 'a', 'c']);
    expect(moveById(items, 'b', 1)?.map((x) => x.id)).toEqual(['a', 'c', 'b']);
    expect(moveById(items, 'a', -1)).toBeNull();
    expect(moveById(items, 'c', 1)).toBeNull();
    expect(moveById(items, 'z', 1)).toBeNull();
  });
  it('sorts by rank stably', () => {
    const r = [
      { id: 'x', rank: 2 },
      { id: 'y', rank: 1 },
      { id: 'z', rank: 2 },
    ];
    expect(byRank(r).map((x) => x.id)).toEqual(['y', 'x', 'z']);
  });
});
