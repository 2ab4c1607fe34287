//! Flag evaluation, exactly as Flipt v1.61.1 does it (evaluation.md §2–§5).
//!
//! Synchronous and I/O-free: callers look a [`Flag`] up in a compiled
//! [`Snapshot`](crate::snapshot::Snapshot), then ask [`evaluate_variant`] or
//! [`evaluate_boolean`]. No clock, no randomness, no logging. Everything that can be prepared
//! ahead of a request (rank order, bucket ranges, parsed constraint values, compacted
//! attachments, sorted segment keys) was prepared when the snapshot was built, so matching and
//! bucketing allocate nothing; the only allocation is the returned `segment_keys` vector.
//!
//! Module map: [`model`] holds the compiled types, [`parse`] the Go-compatible parsers,
//! `matching` the constraint/segment rules; this file the evaluators, outcomes, errors,
//! hashing and attachment compaction.

mod matching;
pub mod model;
pub mod parse;

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use flipt_proto::flipt as pb;
use flipt_proto::flipt::evaluation as ev;
use flipt_proto::flipt::ofrep;

pub use model::{
    Constraint, ConstraintType, Distribution, Flag, FlagType, FlagTypeNumber, MatchType, Rollout,
    RolloutRule, Rule, Segment, SegmentOperator, Variant,
};

/// The evaluation context: string properties looked up by exact (case-sensitive) key.
pub trait Context {
    /// The value of `key`, or `None` when absent (which evaluation treats like `""`).
    fn get(&self, key: &str) -> Option<&str>;
}

impl Context for BTreeMap<String, String> {
    fn get(&self, key: &str) -> Option<&str> {
        // Contexts are usually a handful of properties: a scan whose equality test compares
        // lengths first reads fewer bytes than the ordered search, which compares the text of
        // every key it passes.
        if self.len() <= SMALL_CONTEXT {
            return self
                .iter()
                .find(|(k, _)| k.as_str() == key)
                .map(|(_, v)| v.as_str());
        }
        BTreeMap::get(self, key).map(String::as_str)
    }
}

/// Up to this many properties, a context is scanned rather than searched.
const SMALL_CONTEXT: usize = 8;

impl<S: BuildHasher> Context for HashMap<String, String, S> {
    fn get(&self, key: &str) -> Option<&str> {
        HashMap::get(self, key).map(String::as_str)
    }
}

/// Why an evaluation produced its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    Unknown,
    FlagDisabled,
    Match,
    Default,
}

impl Reason {
    /// The v2 `flipt.evaluation.EvaluationReason` (numbers 0, 1, 2, 3).
    pub fn v2(self) -> ev::EvaluationReason {
        match self {
            Reason::Unknown => ev::EvaluationReason::UnknownEvaluationReason,
            Reason::FlagDisabled => ev::EvaluationReason::FlagDisabledEvaluationReason,
            Reason::Match => ev::EvaluationReason::MatchEvaluationReason,
            Reason::Default => ev::EvaluationReason::DefaultEvaluationReason,
        }
    }

    /// The legacy `flipt.EvaluationReason` (numbers 0, 1, 3, 5: MATCH is 3 there, not 2).
    pub fn legacy(self) -> pb::EvaluationReason {
        match self {
            Reason::Unknown => pb::EvaluationReason::UnknownEvaluationReason,
            Reason::FlagDisabled => pb::EvaluationReason::FlagDisabledEvaluationReason,
            Reason::Match => pb::EvaluationReason::MatchEvaluationReason,
            Reason::Default => pb::EvaluationReason::DefaultEvaluationReason,
        }
    }

    /// The OFREP `flipt.ofrep.EvaluateReason` (numbers 0, 1, 2, 3).
    pub fn ofrep(self) -> ofrep::EvaluateReason {
        match self {
            Reason::Unknown => ofrep::EvaluateReason::Unknown,
            Reason::FlagDisabled => ofrep::EvaluateReason::Disabled,
            Reason::Match => ofrep::EvaluateReason::TargetingMatch,
            Reason::Default => ofrep::EvaluateReason::Default,
        }
    }

    /// The v2 enum number.
    pub fn v2_number(self) -> i32 {
        self.v2() as i32
    }

    /// The legacy enum number.
    pub fn legacy_number(self) -> i32 {
        self.legacy() as i32
    }

    /// The OFREP reason string (`UNKNOWN`, `DISABLED`, `TARGETING_MATCH`, `DEFAULT`).
    pub fn ofrep_str(self) -> &'static str {
        match self {
            Reason::Unknown => "UNKNOWN",
            Reason::FlagDisabled => "DISABLED",
            Reason::Match => "TARGETING_MATCH",
            Reason::Default => "DEFAULT",
        }
    }
}

/// The result of a variant evaluation; strings borrow from the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantOutcome<'s> {
    pub matched: bool,
    pub reason: Reason,
    pub variant_key: &'s str,
    /// Compacted attachment (`""` when none).
    pub variant_attachment: &'s str,
    /// Matched segment keys in ascending order.
    pub segment_keys: Vec<&'s str>,
}

/// The result of a boolean evaluation; segment keys borrow from the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BooleanOutcome<'s> {
    pub enabled: bool,
    pub reason: Reason,
    /// Matched segment keys in ascending order (empty unless a segment rollout matched).
    pub segment_keys: Vec<&'s str>,
}

/// An evaluation failure; the `Display` texts are Flipt's wire messages (evaluation.md §7.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// The flag is not of the type the endpoint evaluates (InvalidArgument). Carries the
    /// flag's own type: `flag type BOOLEAN_FLAG_TYPE invalid` on the variant endpoint.
    #[error("flag type {0} invalid")]
    WrongFlagType(FlagTypeNumber),
    /// A constraint of unknown type was reached (InvalidArgument).
    #[error("unknown constraint type")]
    UnknownConstraintType,
    /// Rule ranks decrease (InvalidArgument); impossible with a built snapshot.
    #[error("rule rank: {0} detected out of order")]
    RuleRankOutOfOrder(i32),
    /// Rollout ranks decrease (Internal); impossible with a built snapshot.
    #[error("rollout rank: {0} detected out of order")]
    RolloutRankOutOfOrder(i32),
    /// A batch met a flag of unknown stored type (InvalidArgument). Not produced by the
    /// evaluators; for callers that dispatch on [`Flag::type_number`].
    #[error("unknown flag type: {0}")]
    UnknownFlagType(i32),
}

impl EvalError {
    /// Whether the error is a gRPC InvalidArgument (every variant but the rollout rank error).
    pub fn is_invalid_argument(&self) -> bool {
        !self.is_internal()
    }

    /// Whether the error is a gRPC Internal (only `rollout rank: <n> detected out of order`).
    pub fn is_internal(&self) -> bool {
        matches!(self, EvalError::RolloutRankOutOfOrder(_))
    }

    /// The error's class.
    pub fn kind(&self) -> crate::ErrorKind {
        if self.is_internal() {
            crate::ErrorKind::Internal
        } else {
            crate::ErrorKind::InvalidArgument
        }
    }
}

/// Evaluates a variant flag (evaluation.md §4.1). `flag_key` is the key as requested (it is
/// hashed); it equals `flag.key()` under exact-match lookup.
pub fn evaluate_variant<'s>(
    flag: &'s Flag,
    flag_key: &str,
    entity_id: &str,
    ctx: &impl Context,
) -> Result<VariantOutcome<'s>, EvalError> {
    if flag.type_number != FlagType::Variant.number() {
        return Err(EvalError::WrongFlagType(FlagTypeNumber(flag.type_number)));
    }
    let mut out = VariantOutcome {
        matched: false,
        reason: Reason::Unknown,
        variant_key: "",
        variant_attachment: "",
        segment_keys: Vec::new(),
    };
    if let Some(default) = flag.default_variant.as_deref() {
        out.reason = Reason::Default;
        out.variant_key = &default.key;
        out.variant_attachment = &default.attachment_compact;
    }
    if !flag.enabled {
        // Flipt v1 compatibility: the default variant's key and attachment stay set.
        out.reason = Reason::FlagDisabled;
        return Ok(out);
    }
    let mut last_rank = 0;
    for rule in &flag.rules {
        if rule.rank < last_rank {
            return Err(EvalError::RuleRankOutOfOrder(rule.rank));
        }
        last_rank = rule.rank;
        let Some(keys) = matching::match_segments(
            &rule.segments,
            rule.operator,
            rule.has_unknown,
            entity_id,
            ctx,
        )?
        else {
            continue;
        };
        out.segment_keys = keys;
        if rule.ranges.is_empty() {
            // Flipt v1 compatibility: a passing rule without distributions is a match that
            // returns the default variant (or nothing).
            out.matched = true;
            out.reason = Reason::Match;
            return Ok(out);
        }
        let bucket = u64::from(variant_bucket(flag_key, entity_id));
        let index = rule.ranges.partition_point(|r| r.upper <= bucket);
        if let Some(range) = rule.ranges.get(index) {
            out.matched = true;
            out.reason = Reason::Match;
            out.variant_key = &range.variant.key;
            out.variant_attachment = &range.variant.attachment_compact;
        }
        // Flipt v1 compatibility: a bucket past the last range stops here with match=false,
        // keeping the segment keys; later rules are not tried.
        return Ok(out);
    }
    Ok(out)
}

/// Evaluates a boolean flag (evaluation.md §5). Rollouts are evaluated even when the flag is
/// disabled; `enabled` is only the fallback.
pub fn evaluate_boolean<'s>(
    flag: &'s Flag,
    entity_id: &str,
    ctx: &impl Context,
) -> Result<BooleanOutcome<'s>, EvalError> {
    if flag.type_number != FlagType::Boolean.number() {
        return Err(EvalError::WrongFlagType(FlagTypeNumber(flag.type_number)));
    }
    let mut last_rank = 0;
    for rollout in &flag.rollouts {
        if rollout.rank < last_rank {
            return Err(EvalError::RolloutRankOutOfOrder(rollout.rank));
        }
        last_rank = rollout.rank;
        match &rollout.rule {
            RolloutRule::Threshold { percentage, value } => {
                let t = threshold_value(entity_id, &flag.key);
                if (t as f32) < *percentage {
                    return Ok(BooleanOutcome {
                        enabled: *value,
                        reason: Reason::Match,
                        segment_keys: Vec::new(),
                    });
                }
            }
            RolloutRule::Segment {
                value,
                operator,
                segments,
                has_unknown,
            } => {
                if let Some(keys) =
                    matching::match_segments(segments, *operator, *has_unknown, entity_id, ctx)?
                {
                    return Ok(BooleanOutcome {
                        enabled: *value,
                        reason: Reason::Match,
                        segment_keys: keys,
                    });
                }
            }
            RolloutRule::None => {}
        }
    }
    Ok(BooleanOutcome {
        enabled: flag.enabled,
        reason: Reason::Default,
        segment_keys: Vec::new(),
    })
}

/// The variant bucket of an entity: `crc32(flag_key ++ entity_id) mod 1000` (flag key first).
pub fn variant_bucket(flag_key: &str, entity_id: &str) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(flag_key.as_bytes());
    hasher.update(entity_id.as_bytes());
    hasher.finalize() % 1000
}

/// The boolean threshold value of an entity: `crc32(entity_id ++ flag_key) mod 100` (entity id
/// first, the reverse of [`variant_bucket`]).
pub fn threshold_value(entity_id: &str, flag_key: &str) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(entity_id.as_bytes());
    hasher.update(flag_key.as_bytes());
    hasher.finalize() % 100
}

/// Removes JSON whitespace (space, tab, CR, LF) outside strings and changes nothing else (key
/// order, number spelling and escapes are kept), like Go's `json.Compact` on valid JSON. Never
/// fails: invalid JSON is compacted by the same rule.
pub fn compact_json(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in s.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else {
            match c {
                ' ' | '\t' | '\r' | '\n' => {}
                '"' => {
                    in_string = true;
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod testkit;
#[cfg(test)]
mod tests;
