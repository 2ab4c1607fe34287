// Pure helpers for the rules and rollouts tabs: segment keys, distributions, reordering.
import type { Distribution, Rule, RuleInput, SegmentOperator, Variant } from '../api/types';

export const MSG_OVER_100 = 'Multi-variate rules must have distributions that add up to 100% or less.';
export const MSG_PERCENT = 'Must be a number between 0 and 100.';

/** A rule's or segment rollout's segment keys, whichever wire form carries them. */
export function segmentKeysOf(x: { segmentKey?: string; segmentKeys?: string[] }): string[] {
  if (x.segmentKeys && x.segmentKeys.length > 0) return x.segmentKeys;
  return x.segmentKey ? [x.segmentKey] : [];
}

export function operatorWord(op: SegmentOperator | undefined): 'AND' | 'OR' {
  return op === 'AND_SEGMENT_OPERATOR' ? 'AND' : 'OR';
}

/** Parses a percentage typed by the user; null when not a number in [0, 100]. */
export function parsePercent(text: string): number | null {
  const t = text.trim();
  if (t === '' || !/^\d+(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  return n >= 0 && n <= 100 ? n : null;
}

/** Sum of percentages in hundredths, so 33.33 + 33.33 + 33.34 is exactly 100. */
export function sumHundredths(values: number[]): number {
  return values.reduce((acc, v) => acc + Math.round(v * 100), 0);
}

export function formatTotal(values: number[]): string {
  return `${(sumHundredths(values) / 100).toFixed(2).replace(/\.00$/, '')}%`;
}

/** The first problem with a multi-variate distribution, or null when it can be saved. */
export function validateDistribution(texts: string[]): string | null {
  const nums: number[] = [];
  for (const t of texts) {
    const n = parsePercent(t);
    if (n === null) return MSG_PERCENT;
    nums.push(n);
  }
  return sumHundredths(nums) > 10000 ? MSG_OVER_100 : null;
}

/** An even split summing to exactly 100 with two decimals; leftover 0.01s go to the first entries. */
export function evenSplit(n: number): number[] {
  if (n <= 0) return [];
  const base = Math.floor(10000 / n);
  const rem = 10000 - base * n;
  return Array.from({ length: n }, (_, i) => (base + (i < rem ? 1 : 0)) / 100);
}

export type RuleKind = 'none' | 'single' | 'multi';

/** The kind of rule a set of distributions represents. */
export function ruleKind(dists: Pick<Distribution, 'rollout'>[]): RuleKind {
  if (dists.length === 0) return 'none';
  if (dists.length === 1 && dists[0].rollout === 100) return 'single';
  return 'multi';
}

export interface DesiredDistribution {
  variantId: string;
  rollout: number;
}

export type DistributionOp =
  | { op: 'create'; variantId: string; rollout: number }
  | { op: 'update'; id: string; variantId: string; rollout: number }
  | { op: 'delete'; id: string; variantId: string };

/**
 * The calls that turn a rule's current distributions into the desired ones: unchanged entries
 * are left alone, changed ones updated, extra ones (including duplicates of a variant) deleted
 * and missing ones created. Deletes go first so a total never exceeds 100 on the way.
 */
export function planDistributions(current: Distribution[], desired: DesiredDistribution[]): DistributionOp[] {
  const ops: DistributionOp[] = [];
  const want = new Map(desired.map((d) => [d.variantId, d.rollout]));
  const seen = new Set<string>();
  const updates: DistributionOp[] = [];
  for (const d of current) {
    if (!want.has(d.variantId) || seen.has(d.variantId)) {
      ops.push({ op: 'delete', id: d.id, variantId: d.variantId });
      continue;
    }
    seen.add(d.variantId);
    const rollout = want.get(d.variantId)!;
    if (Math.round(rollout * 100) !== Math.round(d.rollout * 100)) {
      updates.push({ op: 'update', id: d.id, variantId: d.variantId, rollout });
    }
  }
  // Lower rollouts first, so the running total stays within 100 between calls.
  updates.sort((a, b) => (a.op === 'update' && b.op === 'update' ? a.rollout - b.rollout : 0));
  ops.push(...updates);
  for (const d of desired) if (!seen.has(d.variantId)) ops.push({ op: 'create', variantId: d.variantId, rollout: d.rollout });
  return ops;
}

/** The distributions a rule form describes. */
export function desiredDistributions(
  kind: RuleKind,
  variants: Pick<Variant, 'id'>[],
  single: string,
  percents: Record<string, string>,
): DesiredDistribution[] {
  if (kind === 'none') return [];
  if (kind === 'single') return single ? [{ variantId: single, rollout: 100 }] : [];
  return variants.map((v) => ({ variantId: v.id, rollout: parsePercent(percents[v.id] ?? '0') ?? 0 }));
}

/** What a rule form (the New/Edit panel or a card's quick edit) describes. */
export interface RuleFormValue {
  /** Chosen segment keys; '' marks an empty picker row. */
  segments: string[];
  operator: SegmentOperator;
  kind: RuleKind;
  /** The variant id of a single-variant rule. */
  single: string;
  /** Percentage text per variant id, for multi-variate rules. */
  percents: Record<string, string>;
}

/** The form for a new rule (no rule) or an existing one; every variant gets a percentage field. */
export function ruleFormFor(variants: Pick<Variant, 'id'>[], rule: Pick<Rule, 'segmentKey' | 'segmentKeys' | 'segmentOperator' | 'distributions'> | null): RuleFormValue {
  if (!rule) {
    const split = evenSplit(variants.length);
    return {
      segments: [''],
      operator: 'OR_SEGMENT_OPERATOR',
      kind: 'none',
      single: '',
      percents: Object.fromEntries(variants.map((v, i) => [v.id, String(split[i])])),
    };
  }
  const kind = ruleKind(rule.distributions);
  const byVariant = new Map(rule.distributions.map((d) => [d.variantId, d.rollout]));
  return {
    segments: segmentKeysOf(rule),
    operator: rule.segmentOperator,
    kind,
    single: kind === 'single' ? rule.distributions[0].variantId : '',
    percents: Object.fromEntries(variants.map((v) => [v.id, String(byVariant.get(v.id) ?? 0)])),
  };
}

/** The rule body a form describes: chosen segments, and the operator only when it matters. */
export function ruleInputOf(form: Pick<RuleFormValue, 'segments' | 'operator'>): RuleInput {
  const segmentKeys = form.segments.filter((k) => k !== '');
  return { segmentKeys, segmentOperator: segmentKeys.length > 1 ? form.operator : 'OR_SEGMENT_OPERATOR' };
}

/** The first problem that blocks saving a rule form, or null. */
export function ruleFormError(form: RuleFormValue, variants: Pick<Variant, 'id'>[]): string | null {
  if (form.segments.every((k) => k === '')) return 'Select at least one segment.';
  if (form.kind === 'single' && form.single === '') return 'Select a variant.';
  if (form.kind === 'multi') return validateDistribution(variants.map((v) => form.percents[v.id] ?? ''));
  return null;
}

export interface RuleUpdatePlan {
  /** `PUT …/rules/{id}` body when segments or operator changed, else null. */
  rule: RuleInput | null;
  /** Distribution calls, in order. */
  distributions: DistributionOp[];
}

/**
 * The calls that save an edited rule: the rule itself only when its segment set or operator
 * changed, then the distribution creates/updates/deletes that turn its distributions into what
 * the form describes. This is also how a rule changes type after creation (single ↔ multi ↔
 * none) and how a variant created later joins a multi-variate rule; variants the rule never had
 * are not added at 0%.
 */
export function planRuleUpdate(current: Rule, form: RuleFormValue, variants: Pick<Variant, 'id'>[]): RuleUpdatePlan {
  const input = ruleInputOf(form);
  const before = segmentKeysOf(current);
  const sameSet = [...before].sort().join('\u0000') === [...input.segmentKeys].sort().join('\u0000');
  const opChanged = input.segmentKeys.length > 1 && current.segmentOperator !== input.segmentOperator;
  let desired = desiredDistributions(form.kind, variants, form.single, form.percents);
  if (form.kind === 'multi') {
    const existing = new Set(current.distributions.map((d) => d.variantId));
    desired = desired.filter((d) => d.rollout > 0 || existing.has(d.variantId));
  }
  return { rule: sameSet && !opChanged ? null : input, distributions: planDistributions(current.distributions, desired) };
}

/** Moves the item at `from` to index `to`, returning a new array (unchanged when out of range). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

/** Moves the item with id `id` one step up (-1) or down (+1); null when it cannot move. */
export function moveById<T extends { id: string }>(list: readonly T[], id: string, delta: -1 | 1): T[] | null {
  const from = list.findIndex((x) => x.id === id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= list.length) return null;
  return moveItem(list, from, to);
}

/** Rules sorted by rank (stable for equal ranks). */
export function byRank<T extends Pick<Rule, 'rank'>>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => a.rank - b.rank);
}
