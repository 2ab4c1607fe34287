// Wire types of Flipt v1's management REST API (proto3 JSON, camelCase, defaults emitted).

export interface Namespace {
  key: string;
  name: string;
  description: string;
  protected: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NamespaceList {
  namespaces: Namespace[];
  nextPageToken: string;
  totalCount: number;
}

export type FlagType = 'VARIANT_FLAG_TYPE' | 'BOOLEAN_FLAG_TYPE';

export interface Variant {
  id: string;
  flagKey: string;
  key: string;
  name: string;
  description: string;
  attachment: string;
  namespaceKey: string;
  createdAt: string;
  updatedAt: string;
}

export interface Flag {
  key: string;
  name: string;
  description: string;
  enabled: boolean;
  type: FlagType;
  namespaceKey: string;
  variants: Variant[];
  defaultVariant?: Variant | null;
  metadata?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface FlagList {
  flags: Flag[];
  nextPageToken: string;
  totalCount: number;
}

export type MatchType = 'ALL_MATCH_TYPE' | 'ANY_MATCH_TYPE';

export type ComparisonType =
  | 'STRING_COMPARISON_TYPE'
  | 'NUMBER_COMPARISON_TYPE'
  | 'BOOLEAN_COMPARISON_TYPE'
  | 'DATETIME_COMPARISON_TYPE'
  | 'ENTITY_ID_COMPARISON_TYPE';

export interface Constraint {
  id: string;
  segmentKey: string;
  type: ComparisonType;
  property: string;
  operator: string;
  value: string;
  description: string;
  namespaceKey: string;
  createdAt: string;
  updatedAt: string;
}

export interface Segment {
  key: string;
  name: string;
  description: string;
  matchType: MatchType;
  namespaceKey: string;
  constraints: Constraint[];
  createdAt: string;
  updatedAt: string;
}

export interface SegmentList {
  segments: Segment[];
  nextPageToken: string;
  totalCount: number;
}

export interface NamespaceInput {
  key?: string;
  name: string;
  description: string;
}

export interface FlagCreate {
  key: string;
  name: string;
  description: string;
  enabled: boolean;
  type: FlagType;
  metadata?: Record<string, unknown>;
}

/** PUT is full replacement: every mutable field must be sent. */
export interface FlagUpdate {
  name: string;
  description: string;
  enabled: boolean;
  defaultVariantId: string | null;
  metadata?: Record<string, unknown>;
}

export interface VariantInput {
  key: string;
  name: string;
  description: string;
  attachment: string;
}

export interface SegmentInput {
  key?: string;
  name: string;
  description: string;
  matchType: MatchType;
}

export interface ConstraintInput {
  type: ComparisonType;
  property: string;
  operator: string;
  value: string;
  description: string;
}

export interface PageQuery {
  limit?: number;
  pageToken?: string;
}

export type SegmentOperator = 'OR_SEGMENT_OPERATOR' | 'AND_SEGMENT_OPERATOR';

export interface Distribution {
  id: string;
  ruleId: string;
  variantId: string;
  rollout: number;
  createdAt: string;
  updatedAt: string;
}

/** A rule; one segment travels in `segmentKey` (with `segmentKeys: []`), several in `segmentKeys`. */
export interface Rule {
  id: string;
  flagKey: string;
  segmentKey: string;
  segmentKeys: string[];
  segmentOperator: SegmentOperator;
  distributions: Distribution[];
  rank: number;
  namespaceKey: string;
  createdAt: string;
  updatedAt: string;
}

export interface RuleList {
  rules: Rule[];
  nextPageToken: string;
  totalCount: number;
}

export interface RuleInput {
  segmentKeys: string[];
  segmentOperator: SegmentOperator;
}

export interface DistributionInput {
  variantId: string;
  rollout: number;
}

export type RolloutType = 'SEGMENT_ROLLOUT_TYPE' | 'THRESHOLD_ROLLOUT_TYPE';

export interface RolloutSegment {
  segmentKey?: string;
  segmentKeys?: string[];
  segmentOperator?: SegmentOperator;
  value: boolean;
}

export interface RolloutThreshold {
  percentage: number;
  value: boolean;
}

export interface Rollout {
  id: string;
  namespaceKey: string;
  flagKey: string;
  type: RolloutType;
  rank: number;
  description: string;
  segment?: RolloutSegment;
  threshold?: RolloutThreshold;
  createdAt: string;
  updatedAt: string;
}

/** The list response keeps Flipt's field name `rules`. */
export interface RolloutList {
  rules: Rollout[];
  nextPageToken: string;
  totalCount: number;
}

export interface RolloutInput {
  description: string;
  segment?: { segmentKeys: string[]; segmentOperator: SegmentOperator; value: boolean };
  threshold?: RolloutThreshold;
}

export interface EvaluationRequest {
  namespaceKey: string;
  flagKey: string;
  entityId: string;
  context: Record<string, string>;
}
