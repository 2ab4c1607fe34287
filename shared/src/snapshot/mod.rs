//! The compiled, immutable state of one namespace at one revision, built once per revision
//! from the rows the store loaded ([`raw::RawNamespace`]) and read by every evaluation.
//!
//! Building never fails and never panics on bad data; it does what Flipt's SQL loaders would:
//! a rule or segment rollout whose segments are all missing disappears (inner join), a missing
//! segment of a multi-segment rule is dropped, a distribution of a missing variant disappears,
//! a default variant that does not exist is no default variant, an unknown constraint type is
//! kept so that evaluation fails with `unknown constraint type`.
//!
//! Ordering decisions (evaluation.md §1.10 leaves ties open): flags by creation time then key;
//! rules and rollouts by rank, then creation time, then id; distributions by creation time
//! then id; segments of a rule or rollout by key (so `segment_keys` come out sorted);
//! constraints in the order the store delivered them (irrelevant to results).
//!
//! Pure: no I/O, no clock, no randomness. The client-side document is built by
//! `Snapshot::client_document` (module `client`).

mod client;
pub mod raw;

use std::collections::HashMap;
use std::hash::BuildHasher as _;
use std::sync::Arc;

use crate::engine::model::{bucket_ranges, Matcher};
use crate::engine::{
    compact_json, Constraint, ConstraintType, Distribution, Flag, MatchType, Rollout, RolloutRule,
    Rule, Segment, SegmentOperator, Variant,
};
pub use client::{ClientDocument, ClientVersion};
use raw::{RawNamespace, RawRolloutMember};

/// Sort key of rules and rollouts: rank, then creation time (then id, compared separately).
type RankKey = (i32, (i64, i32));

/// The compiled state of one namespace at one revision.
#[derive(Debug, Clone)]
pub struct Snapshot {
    namespace: String,
    revision: i64,
    /// In creation order (then key).
    flags: Vec<Flag>,
    /// Flag key → index into `flags`.
    index: FlagIndex,
}

/// Two snapshots are equal when they hold the same flags (the index follows from them).
impl PartialEq for Snapshot {
    fn eq(&self, other: &Self) -> bool {
        self.namespace == other.namespace
            && self.revision == other.revision
            && self.flags == other.flags
    }
}

/// Flag key → position in the snapshot's flags. The table holds positions only, the keys are
/// the flags' own (a namespace of 10,000 flags spends 40 KB on it, not a copy of every key).
/// foldhash: keys come from the namespace's own flags and lookups never insert, so a fast hash
/// without flooding resistance is enough.
#[derive(Clone, Default)]
struct FlagIndex {
    table: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl std::fmt::Debug for FlagIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlagIndex")
            .field("len", &self.table.len())
            .finish()
    }
}

impl FlagIndex {
    fn with_capacity(n: usize) -> Self {
        FlagIndex {
            table: hashbrown::HashTable::with_capacity(n),
            hasher: Default::default(),
        }
    }

    /// The position of the flag keyed `key` in `flags`.
    fn find(&self, flags: &[Flag], key: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(key);
        self.table
            .find(hash, |&at| {
                flags.get(at as usize).is_some_and(|f| f.key == key)
            })
            .map(|&at| at as usize)
    }

    /// Records that `flags[at]` is keyed `key` (a key not yet in the index).
    fn insert(&mut self, flags: &[Flag], key: &str, at: usize) {
        let FlagIndex { table, hasher } = self;
        let Ok(at) = u32::try_from(at) else {
            return;
        };
        table.insert_unique(hasher.hash_one(key), at, |&other| {
            hasher.hash_one(flags.get(other as usize).map_or("", |f| f.key.as_str()))
        });
    }
}

impl Snapshot {
    /// Compiles the rows of one namespace. Never fails; see the module documentation for how
    /// inconsistent rows are treated.
    pub fn build(raw: RawNamespace) -> Snapshot {
        let RawNamespace {
            key: namespace,
            revision,
            modified_at: _,
            flags: raw_flags,
            variants: raw_variants,
            segments: raw_segments,
            constraints: raw_constraints,
            rules: raw_rules,
            distributions: raw_distributions,
            rollouts: raw_rollouts,
        } = raw;

        // Variants by id (distributions and default variants reference ids).
        let mut variants: HashMap<String, Arc<Variant>> = HashMap::new();
        for v in raw_variants {
            let attachment_compact = compact_json(&v.attachment);
            variants.entry(v.id.clone()).or_insert_with(|| {
                Arc::new(Variant {
                    id: v.id,
                    key: v.key,
                    attachment: v.attachment,
                    attachment_compact,
                })
            });
        }

        // Constraints grouped by segment, in the order delivered.
        let mut constraints: HashMap<String, Vec<Constraint>> = HashMap::new();
        for c in raw_constraints {
            let constraint_type = ConstraintType::from_number(c.constraint_type);
            let matcher = Matcher::compile(constraint_type, &c.operator, &c.value);
            constraints
                .entry(c.segment_key)
                .or_default()
                .push(Constraint {
                    id: c.id,
                    constraint_type,
                    property: c.property,
                    operator: c.operator,
                    value: c.value,
                    matcher,
                });
        }

        let mut segments: HashMap<String, Arc<Segment>> = HashMap::new();
        for s in raw_segments {
            if segments.contains_key(&s.key) {
                continue;
            }
            let constraints = constraints.remove(&s.key).unwrap_or_default();
            let has_unknown = constraints
                .iter()
                .any(|c| matches!(c.constraint_type, ConstraintType::Unknown(_)));
            segments.insert(
                s.key.clone(),
                Arc::new(Segment {
                    key: s.key,
                    match_type: MatchType::from_number(s.match_type),
                    constraints,
                    has_unknown,
                }),
            );
        }
        let resolve = |keys: Vec<String>| -> Vec<Arc<Segment>> {
            let mut resolved: Vec<Arc<Segment>> = keys
                .iter()
                .filter_map(|k| segments.get(k).cloned())
                .collect();
            resolved.sort_by(|a, b| a.key.cmp(&b.key));
            resolved.dedup_by(|a, b| a.key == b.key);
            resolved
        };

        // Distributions grouped by rule, in creation order (ties by id).
        let mut distributions: HashMap<String, Vec<(raw::RawDistribution, Arc<Variant>)>> =
            HashMap::new();
        for d in raw_distributions {
            if let Some(variant) = variants.get(&d.variant_id) {
                let variant = Arc::clone(variant);
                distributions
                    .entry(d.rule_id.clone())
                    .or_default()
                    .push((d, variant));
            }
        }

        // Rules grouped by flag, in rank order.
        let mut rules: HashMap<String, Vec<(RankKey, Rule)>> = HashMap::new();
        for r in raw_rules {
            let segs = resolve(r.segment_keys);
            if segs.is_empty() {
                continue;
            }
            let mut dists = distributions.remove(&r.id).unwrap_or_default();
            dists.sort_by(|(a, _), (b, _)| {
                a.created_at
                    .cmp(&b.created_at)
                    .then_with(|| a.id.cmp(&b.id))
            });
            let dists: Vec<Distribution> = dists
                .into_iter()
                .map(|(d, variant)| Distribution {
                    id: d.id,
                    variant,
                    rollout: d.rollout,
                })
                .collect();
            let ranges = bucket_ranges(&dists);
            let has_unknown = segs.iter().any(|s| s.has_unknown);
            rules.entry(r.flag_key).or_default().push((
                (r.rank, r.created_at),
                Rule {
                    id: r.id,
                    rank: r.rank,
                    operator: SegmentOperator::from_number(r.segment_operator),
                    segments: segs,
                    has_unknown,
                    distributions: dists,
                    ranges,
                },
            ));
        }

        // Rollouts grouped by flag, in rank order.
        let mut rollouts: HashMap<String, Vec<(RankKey, Rollout)>> = HashMap::new();
        for r in raw_rollouts {
            let rule = match r.member {
                Some(RawRolloutMember::Threshold { percentage, value }) => {
                    RolloutRule::Threshold { percentage, value }
                }
                Some(RawRolloutMember::Segment {
                    value,
                    segment_operator,
                    segment_keys,
                }) => {
                    let segs = resolve(segment_keys);
                    if segs.is_empty() {
                        // Flipt's loader joins the segments: without any, the rollout has no
                        // member and evaluation skips it.
                        RolloutRule::None
                    } else {
                        RolloutRule::Segment {
                            value,
                            operator: SegmentOperator::from_number(segment_operator),
                            has_unknown: segs.iter().any(|s| s.has_unknown),
                            segments: segs,
                        }
                    }
                }
                None => RolloutRule::None,
            };
            rollouts.entry(r.flag_key).or_default().push((
                (r.rank, r.created_at),
                Rollout {
                    id: r.id,
                    rank: r.rank,
                    rollout_type: r.rollout_type,
                    rule,
                },
            ));
        }

        let mut raw_flags = raw_flags;
        raw_flags.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then_with(|| a.key.cmp(&b.key))
        });
        let mut flags = Vec::with_capacity(raw_flags.len());
        let mut index = FlagIndex::with_capacity(raw_flags.len());
        for f in raw_flags {
            if index.find(&flags, &f.key).is_some() {
                continue;
            }
            let mut flag_rules = rules.remove(&f.key).unwrap_or_default();
            flag_rules.sort_by(|(ka, a), (kb, b)| ka.cmp(kb).then_with(|| a.id.cmp(&b.id)));
            let mut flag_rollouts = rollouts.remove(&f.key).unwrap_or_default();
            flag_rollouts.sort_by(|(ka, a), (kb, b)| ka.cmp(kb).then_with(|| a.id.cmp(&b.id)));
            let default_variant = f
                .default_variant_id
                .as_ref()
                .and_then(|id| variants.get(id))
                .cloned();
            index.insert(&flags, &f.key, flags.len());
            flags.push(Flag {
                key: f.key,
                name: f.name,
                description: f.description,
                enabled: f.enabled,
                type_number: f.flag_type,
                created_at: f.created_at,
                updated_at: f.updated_at,
                default_variant,
                rules: flag_rules.into_iter().map(|(_, r)| r).collect(),
                rollouts: flag_rollouts.into_iter().map(|(_, r)| r).collect(),
            });
        }

        Snapshot {
            namespace,
            revision,
            flags,
            index,
        }
    }

    /// The namespace key as stored.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The namespace revision this snapshot holds.
    pub fn revision(&self) -> i64 {
        self.revision
    }

    /// The flag with exactly this key.
    pub fn flag(&self, key: &str) -> Option<&Flag> {
        self.index
            .find(&self.flags, key)
            .and_then(|i| self.flags.get(i))
    }

    /// The flag with exactly this key, with its position in [`Snapshot::flags`] (which callers
    /// may use to keep per-flag data beside the snapshot).
    pub fn flag_with_index(&self, key: &str) -> Option<(usize, &Flag)> {
        let i = self.index.find(&self.flags, key)?;
        self.flags.get(i).map(|f| (i, f))
    }

    /// Every flag, in creation order (ties by key).
    pub fn flags(&self) -> impl ExactSizeIterator<Item = &Flag> {
        self.flags.iter()
    }

    /// The number of flags.
    pub fn len(&self) -> usize {
        self.flags.len()
    }

    /// Whether the namespace has no flags.
    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }

    /// The version string the ETag hashes: `<namespace key>@<revision>`.
    ///
    /// Flipt hashes its `state_modified_at` rendering; clients treat the ETag as opaque, so
    /// ours only has to change whenever the snapshot can change. Every write bumps the
    /// revision, and the key keeps equal revisions of different namespaces apart.
    pub fn version_string(&self) -> String {
        format!("{}@{}", self.namespace, self.revision)
    }

    /// The snapshot ETag: lower-case hex SHA-1 of [`Snapshot::version_string`], unquoted.
    pub fn etag(&self) -> String {
        etag_of_version(&self.version_string())
    }
}

/// Lower-case hex SHA-1 of a version string (Flipt's `fmt.Sprintf("%x", sha1(version))`).
pub fn etag_of_version(version: &str) -> String {
    use sha1::{Digest, Sha1};
    hex::encode(Sha1::digest(version.as_bytes()))
}

#[cfg(test)]
mod tests;
