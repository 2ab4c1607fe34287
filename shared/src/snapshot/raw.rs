//! The uncompiled state of one namespace, as the store loads it: plain rows, no ordering
//! guarantees beyond what each field documents. `Snapshot::build` compiles it.

use serde::{Deserialize, Serialize};

/// Everything evaluation needs from one namespace at one revision.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawNamespace {
    pub key: String,
    /// The namespace's `revision` column, read in the same transaction as the rows.
    pub revision: i64,
    /// When the namespace was last written (`state_modified_at`, UTC), if recorded.
    #[serde(default)]
    pub modified_at: Option<(i64, i32)>,
    pub flags: Vec<RawFlag>,
    pub variants: Vec<RawVariant>,
    pub segments: Vec<RawSegment>,
    pub constraints: Vec<RawConstraint>,
    pub rules: Vec<RawRule>,
    pub distributions: Vec<RawDistribution>,
    pub rollouts: Vec<RawRollout>,
}

/// A flag row. `created_at`/`updated_at` are UTC (seconds, nanos).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawFlag {
    pub key: String,
    pub name: String,
    pub description: String,
    pub enabled: bool,
    /// 0 = variant, 1 = boolean (anything else is carried as is).
    pub flag_type: i32,
    pub default_variant_id: Option<String>,
    pub created_at: (i64, i32),
    pub updated_at: (i64, i32),
}

/// A variant row; `attachment` is the stored JSON text (`""` when none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawVariant {
    pub id: String,
    pub flag_key: String,
    pub key: String,
    pub attachment: String,
}

/// A segment row (`match_type`: 0 = ALL, 1 = ANY).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawSegment {
    pub key: String,
    pub match_type: i32,
}

/// A constraint row (`constraint_type`: 1 string … 5 entity id; others unknown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawConstraint {
    pub id: String,
    pub segment_key: String,
    pub constraint_type: i32,
    pub property: String,
    pub operator: String,
    pub value: String,
}

/// A rule of a variant flag with the keys of its segments (`segment_operator`: 0 = OR, 1 = AND).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawRule {
    pub id: String,
    pub flag_key: String,
    pub rank: i32,
    pub segment_operator: i32,
    pub segment_keys: Vec<String>,
    pub created_at: (i64, i32),
}

/// A distribution row; `rollout` is the stored percentage (0–100), `created_at` orders a rule's
/// distributions (ties broken by `id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawDistribution {
    pub id: String,
    pub rule_id: String,
    pub variant_id: String,
    pub rollout: f32,
    pub created_at: (i64, i32),
}

/// A rollout of a boolean flag with its member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawRollout {
    pub id: String,
    pub flag_key: String,
    pub rank: i32,
    /// 1 = segment, 2 = threshold, 0 = unknown.
    pub rollout_type: i32,
    pub member: Option<RawRolloutMember>,
    pub created_at: (i64, i32),
}

/// The member of a rollout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RawRolloutMember {
    Threshold {
        percentage: f32,
        value: bool,
    },
    Segment {
        value: bool,
        segment_operator: i32,
        segment_keys: Vec<String>,
    },
}
