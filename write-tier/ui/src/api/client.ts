import { parseErrorBody, ApiError, UNEXPECTED_ERROR } from './errors';
import type {
  Constraint,
  ConstraintInput,
  Distribution,
  DistributionInput,
  EvaluationRequest,
  Rollout,
  RolloutInput,
  RolloutList,
  Rule,
  RuleInput,
  RuleList,
  Flag,
  FlagCreate,
  FlagList,
  FlagUpdate,
  Namespace,
  NamespaceInput,
  NamespaceList,
  PageQuery,
  Segment,
  SegmentInput,
  SegmentList,
  Variant,
  VariantInput,
} from './types';
import { appBasePath } from '../lib/base';
import type { SegmentFlagUsage } from '../lib/usage';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Listeners told about 401 responses (the session is gone). */
const unauthenticatedListeners = new Set<() => void>();
export function onUnauthenticated(fn: () => void): () => void {
  unauthenticatedListeners.add(fn);
  return () => unauthenticatedListeners.delete(fn);
}

const enc = encodeURIComponent;

/** Builds a query string from defined, non-empty values. */
export function queryString(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '' || v === 0) continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  // Paths are relative to the app base so the dashboard works under a proxy prefix.
  const url = appBasePath() + path.replace(/^\//, '');
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'Unable to reach the server.', null);
  }
  const text = await res.text();
  if (!res.ok) {
    const err = parseErrorBody(res.status, text);
    if (err.isUnauthenticated) unauthenticatedListeners.forEach((fn) => fn());
    throw err;
  }
  if (text === '') return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, UNEXPECTED_ERROR, null);
  }
}

const nsPath = (ns: string) => `/api/v1/namespaces/${enc(ns)}`;
const flagPath = (ns: string, flag: string) => `${nsPath(ns)}/flags/${enc(flag)}`;

export const api = {
  // Namespaces
  listNamespaces: () => request<NamespaceList>('GET', '/api/v1/namespaces'),
  getNamespace: (key: string) => request<Namespace>('GET', nsPath(key)),
  createNamespace: (input: NamespaceInput) => request<Namespace>('POST', '/api/v1/namespaces', input),
  updateNamespace: (key: string, input: NamespaceInput) =>
    request<Namespace>('PUT', nsPath(key), { name: input.name, description: input.description }),
  deleteNamespace: (key: string) => request<object>('DELETE', nsPath(key)),

  // Flags
  listFlags: (ns: string, page: PageQuery = {}) =>
    request<FlagList>('GET', `${nsPath(ns)}/flags${queryString({ limit: page.limit, pageToken: page.pageToken })}`),
  getFlag: (ns: string, key: string) => request<Flag>('GET', `${nsPath(ns)}/flags/${enc(key)}`),
  createFlag: (ns: string, input: FlagCreate) => request<Flag>('POST', `${nsPath(ns)}/flags`, input),
  updateFlag: (ns: string, key: string, input: FlagUpdate) =>
    request<Flag>('PUT', `${nsPath(ns)}/flags/${enc(key)}`, input),
  deleteFlag: (ns: string, key: string) => request<object>('DELETE', `${nsPath(ns)}/flags/${enc(key)}`),

  // Variants
  createVariant: (ns: string, flag: string, input: VariantInput) =>
    request<Variant>('POST', `${nsPath(ns)}/flags/${enc(flag)}/variants`, input),
  updateVariant: (ns: string, flag: string, id: string, input: VariantInput) =>
    request<Variant>('PUT', `${nsPath(ns)}/flags/${enc(flag)}/variants/${enc(id)}`, input),
  deleteVariant: (ns: string, flag: string, id: string) =>
    request<object>('DELETE', `${nsPath(ns)}/flags/${enc(flag)}/variants/${enc(id)}`),

  // Segments
  listSegments: (ns: string, page: PageQuery = {}) =>
    request<SegmentList>('GET', `${nsPath(ns)}/segments${queryString({ limit: page.limit, pageToken: page.pageToken })}`),
  getSegment: (ns: string, key: string) => request<Segment>('GET', `${nsPath(ns)}/segments/${enc(key)}`),
  createSegment: (ns: string, input: SegmentInput) => request<Segment>('POST', `${nsPath(ns)}/segments`, input),
  updateSegment: (ns: string, key: string, input: SegmentInput) =>
    request<Segment>('PUT', `${nsPath(ns)}/segments/${enc(key)}`, {
      name: input.name,
      description: input.description,
      matchType: input.matchType,
    }),
  deleteSegment: (ns: string, key: string) => request<object>('DELETE', `${nsPath(ns)}/segments/${enc(key)}`),

  // Constraints
  createConstraint: (ns: string, segment: string, input: ConstraintInput) =>
    request<Constraint>('POST', `${nsPath(ns)}/segments/${enc(segment)}/constraints`, input),
  updateConstraint: (ns: string, segment: string, id: string, input: ConstraintInput) =>
    request<Constraint>('PUT', `${nsPath(ns)}/segments/${enc(segment)}/constraints/${enc(id)}`, input),
  deleteConstraint: (ns: string, segment: string, id: string) =>
    request<object>('DELETE', `${nsPath(ns)}/segments/${enc(segment)}/constraints/${enc(id)}`),

  // Rules and distributions
  listRules: (ns: string, flag: string) => request<RuleList>('GET', `${flagPath(ns, flag)}/rules?limit=1000`),
  createRule: (ns: string, flag: string, input: RuleInput & { rank: number }) =>
    request<Rule>('POST', `${flagPath(ns, flag)}/rules`, input),
  updateRule: (ns: string, flag: string, id: string, input: RuleInput) =>
    request<Rule>('PUT', `${flagPath(ns, flag)}/rules/${enc(id)}`, input),
  deleteRule: (ns: string, flag: string, id: string) => request<object>('DELETE', `${flagPath(ns, flag)}/rules/${enc(id)}`),
  orderRules: (ns: string, flag: string, ruleIds: string[]) =>
    request<object>('PUT', `${flagPath(ns, flag)}/rules/order`, { ruleIds }),
  createDistribution: (ns: string, flag: string, ruleId: string, input: DistributionInput) =>
    request<Distribution>('POST', `${flagPath(ns, flag)}/rules/${enc(ruleId)}/distributions`, input),
  updateDistribution: (ns: string, flag: string, ruleId: string, id: string, input: DistributionInput) =>
    request<Distribution>('PUT', `${flagPath(ns, flag)}/rules/${enc(ruleId)}/distributions/${enc(id)}`, input),
  deleteDistribution: (ns: string, flag: string, ruleId: string, id: string, variantId: string) =>
    request<object>(
      'DELETE',
      `${flagPath(ns, flag)}/rules/${enc(ruleId)}/distributions/${enc(id)}${queryString({ variantId })}`,
    ),

  // Rollouts
  listRollouts: (ns: string, flag: string) => request<RolloutList>('GET', `${flagPath(ns, flag)}/rollouts?limit=1000`),
  createRollout: (ns: string, flag: string, input: RolloutInput & { rank: number }) =>
    request<Rollout>('POST', `${flagPath(ns, flag)}/rollouts`, input),
  updateRollout: (ns: string, flag: string, id: string, input: RolloutInput) =>
    request<Rollout>('PUT', `${flagPath(ns, flag)}/rollouts/${enc(id)}`, input),
  deleteRollout: (ns: string, flag: string, id: string) =>
    request<object>('DELETE', `${flagPath(ns, flag)}/rollouts/${enc(id)}`),
  orderRollouts: (ns: string, flag: string, rolloutIds: string[]) =>
    request<object>('PUT', `${flagPath(ns, flag)}/rollouts/order`, { rolloutIds }),

  // Evaluation (served by the write tier at the same origin)
  evaluate: (kind: 'variant' | 'boolean', req: EvaluationRequest) =>
    request<Record<string, unknown>>('POST', `/evaluate/v1/${kind}`, req),
  metaInfo: () => request<unknown>('GET', '/meta/info'),

  // Additive write-tier endpoints
  copyFlag: (ns: string, key: string, targetNamespaceKey: string, targetKey?: string) =>
    request<Flag>('POST', `${flagPath(ns, key)}/copy`, { targetNamespaceKey, ...(targetKey ? { targetKey } : {}) }),
  copySegment: (ns: string, key: string, targetNamespaceKey: string, targetKey?: string) =>
    request<Segment>('POST', `${nsPath(ns)}/segments/${enc(key)}/copy`, { targetNamespaceKey, ...(targetKey ? { targetKey } : {}) }),
  copyNamespace: (key: string, target: { targetKey: string; targetName: string; targetDescription: string }) =>
    request<Namespace>('POST', `${nsPath(key)}/copy`, target),
  segmentUsage: (ns: string, key: string) =>
    request<{ flags?: SegmentFlagUsage[] }>('GET', `${nsPath(ns)}/segments/${enc(key)}/usage`),
  segmentsUsage: (ns: string) =>
    request<{ segments?: { segmentKey: string; flagCount?: number }[] }>('GET', `${nsPath(ns)}/segments/usage`),
  authMethods: () => request<{ methods?: { enabled?: boolean }[] }>('GET', '/auth/v1/method'),
};
