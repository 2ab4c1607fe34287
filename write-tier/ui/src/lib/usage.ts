import type { Namespace } from '../api/types';
import { validateKey } from './validation';

export interface SegmentFlagUsage {
  flagKey: string;
  ruleIds?: string[];
  rolloutIds?: string[];
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Used by 2 flags" for the segments list. */
export const usedByLabel = (count: number) => `Used by ${plural(count, 'flag')}`;

/** "2 rules, 1 rollout" for one flag in a segment's "Used by" section. */
export function usageSummary(u: SegmentFlagUsage): string {
  const parts: string[] = [];
  const rules = u.ruleIds?.length ?? 0;
  const rollouts = u.rolloutIds?.length ?? 0;
  if (rules > 0) parts.push(plural(rules, 'rule'));
  if (rollouts > 0) parts.push(plural(rollouts, 'rollout'));
  return parts.join(', ');
}

/** Segment key → number of flags using it; segments missing from the answer count 0. */
export function usageCounts(list: { segmentKey: string; flagCount?: number }[] | undefined): Map<string, number> {
  return new Map((list ?? []).map((s) => [s.segmentKey, s.flagCount ?? 0]));
}

/** Why deletion is blocked, or null when the segment is unused. */
export function deleteBlockedReason(flags: SegmentFlagUsage[] | undefined): string | null {
  const n = flags?.length ?? 0;
  if (n === 0) return null;
  return `Used by ${plural(n, 'flag')}: remove it from their rules and rollouts before deleting it`;
}

/** Namespaces offered as copy targets: the others first (first one preselected), the source last. */
export function copyTargets(namespaces: Namespace[], source: string): Namespace[] {
  return [...namespaces.filter((n) => n.key !== source), ...namespaces.filter((n) => n.key === source)];
}

/** Validates the copy dialog; the target key defaults to the source key. */
export function copyError(
  source: { ns: string; key: string },
  target: { ns: string; key: string },
  noun: 'flag' | 'segment' = 'flag',
): string | null {
  if (!target.ns) return 'Choose a namespace';
  const key = target.key.trim();
  if (key !== '') {
    const err = validateKey(key);
    if (err) return err;
  }
  if (target.ns === source.ns && (key === '' || key === source.key)) {
    return `Choose a new key to copy the ${noun} within the same namespace`;
  }
  return null;
}
