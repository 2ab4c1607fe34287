import { describe, expect, it } from 'vitest';
import type { Distribution, Rule } from '../api/types';
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
  planRuleUpdate,
  ruleFormError,
  ruleFormFor,
  ruleInputOf,
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

describe('rule forms and update plans (type changes, later variants)', () => {
  const vs = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  const rule = (over: Partial<Rule>): Rule => ({
    id: 'r1',
    flagKey: 'f',
    segmentKey: 's1',
    segmentKeys: [],
    segmentOperator: 'OR_SEGMENT_OPERATOR',
    distributions: [],
    rank: 1,
    namespaceKey: 'default',
    createdAt: '',
    updatedAt: '',
    ...over,
  });

  it('fills the form from a rule, with a field for every variant', () => {
    const f = ruleFormFor(vs, rule({ distributions: [dist('1', 'a', 70), dist('2', 'b', 30)] }));
    expect(f).toEqual({ segments: ['s1'], operator: 'OR_SEGMENT_OPERATOR', kind: 'multi', single: '', percents: { a: '70', b: '30', c: '0' } });
    expect(ruleFormFor(vs, rule({ distributions: [dist('1', 'b', 100)] })).single).toBe('b');
    expect(ruleFormFor(vs, null)).toEqual({
      segments: [''],
      operator: 'OR_SEGMENT_OPERATOR',
      kind: 'none',
      single: '',
      percents: { a: '33.34', b: '33.33', c: '33.33' },
    });
  });
  it('drops empty picker rows and the operator of a single segment', () => {
    expect(ruleInputOf({ segments: ['s1', ''], operator: 'AND_SEGMENT_OPERATOR' })).toEqual({
      segmentKeys: ['s1'],
      segmentOperator: 'OR_SEGMENT_OPERATOR',
    });
    expect(ruleInputOf({ segments: ['s1', 's2'], operator: 'AND_SEGMENT_OPERATOR' }).segmentOperator).toBe('AND_SEGMENT_OPERATOR');
  });
  it('reports what blocks saving', () => {
    const base = ruleFormFor(vs, null);
    expect(ruleFormError(base, vs)).toBe('Select at least one segment.');
    expect(ruleFormError({ ...base, segments: ['s1'] }, vs)).toBeNull();
    expect(ruleFormError({ ...base, segments: ['s1'], kind: 'single' }, vs)).toBe('Select a variant.');
    expect(ruleFormError({ ...base, segments: ['s1'], kind: 'multi', percents: { a: '60', b: '40', c: '1' } }, vs)).toBe(MSG_OVER_100);
  });
  it('sends the rule only when segments or operator changed', () => {
    const r = rule({ segmentKey: '', segmentKeys: ['s1', 's2'], segmentOperator: 'AND_SEGMENT_OPERATOR' });
    const form = ruleFormFor(vs, r);
    expect(planRuleUpdate(r, { ...form, segments: ['s2', 's1'] }, vs).rule).toBeNull();
    expect(planRuleUpdate(r, { ...form, operator: 'OR_SEGMENT_OPERATOR' }, vs).rule).toEqual({
      segmentKeys: ['s1', 's2'],
      segmentOperator: 'OR_SEGMENT_OPERATOR',
    });
    expect(planRuleUpdate(r, { ...form, segments: ['s1', ''] }, vs).rule).toEqual({ segmentKeys: ['s1'], segmentOperator: 'OR_SEGMENT_OPERATOR' });
  });
  it('none -> single creates one distribution at 100', () => {
    const r = rule({});
    const plan = planRuleUpdate(r, { ...ruleFormFor(vs, r), kind: 'single', single: 'b' }, vs);
    expect(plan).toEqual({ rule: null, distributions: [{ op: 'create', variantId: 'b', rollout: 100 }] });
  });
  it('single -> multi updates the kept variant and creates the others, skipping 0%', () => {
    const r = rule({ distributions: [dist('1', 'a', 100)] });
    const plan = planRuleUpdate(r, { ...ruleFormFor(vs, r), kind: 'multi', percents: { a: '40', b: '60', c: '0' } }, vs);
    expect(plan.distributions).toEqual([
      { op: 'update', id: '1', variantId: 'a', rollout: 40 },
      { op: 'create', variantId: 'b', rollout: 60 },
    ]);
  });
  it('multi -> single deletes the other distributions and updates the chosen one', () => {
    const r = rule({ distributions: [dist('1', 'a', 50), dist('2', 'b', 50)] });
    const plan = planRuleUpdate(r, { ...ruleFormFor(vs, r), kind: 'single', single: 'b' }, vs);
    expect(plan.distributions).toEqual([
      { op: 'delete', id: '1', variantId: 'a' },
      { op: 'update', id: '2', variantId: 'b', rollout: 100 },
    ]);
  });
  it('single -> single with another variant replaces the distribution', () => {
    const r = rule({ distributions: [dist('1', 'a', 100)] });
    const plan = planRuleUpdate(r, { ...ruleFormFor(vs, r), single: 'c' }, vs);
    expect(plan.distributions).toEqual([
      { op: 'delete', id: '1', variantId: 'a' },
      { op: 'create', variantId: 'c', rollout: 100 },
    ]);
  });
  it('multi -> none deletes every distribution', () => {
    const r = rule({ distributions: [dist('1', 'a', 50), dist('2', 'b', 50)] });
    expect(planRuleUpdate(r, { ...ruleFormFor(vs, r), kind: 'none' }, vs).distributions).toEqual([
      { op: 'delete', id: '1', variantId: 'a' },
      { op: 'delete', id: '2', variantId: 'b' },
    ]);
  });
  it('adds a variant created after the rule to its distribution', () => {
    const r = rule({ distributions: [dist('1', 'a', 50), dist('2', 'b', 50)] });
    const plan = planRuleUpdate(r, { ...ruleFormFor(vs, r), percents: { a: '34', b: '33', c: '33' } }, vs);
    expect(plan.distributions).toEqual([
      { op: 'update', id: '2', variantId: 'b', rollout: 33 },
      { op: 'update', id: '1', variantId: 'a', rollout: 34 },
      { op: 'create', variantId: 'c', rollout: 33 },
    ]);
  });
  it('keeps an existing variant at 0% rather than deleting it', () => {
    const r = rule({ distributions: [dist('1', 'a', 50), dist('2', 'b', 50)] });
    const plan = planRuleUpdate(r, { ...ruleFormFor(vs, r), percents: { a: '100', b: '0', c: '0' } }, vs);
    expect(plan.distributions).toEqual([
      { op: 'update', id: '2', variantId: 'b', rollout: 0 },
      { op: 'update', id: '1', variantId: 'a', rollout: 100 },
    ]);
  });
  it('plans nothing when nothing changed', () => {
    const r = rule({ distributions: [dist('1', 'a', 50), dist('2', 'b', 50)] });
    expect(planRuleUpdate(r, ruleFormFor(vs, r), vs)).toEqual({ rule: null, distributions: [] });
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
