//! The compiled, immutable evaluation model of a flag: what `Snapshot::build` produces and the
//! evaluators read. Everything that can be decided ahead of a request is decided here: rules
//! and rollouts are in rank order, distribution ranges are precomputed, constraint values are
//! parsed, attachments are compacted, segment keys are sorted.

use std::fmt;
use std::sync::Arc;

use super::parse::{self, Instant};

/// The type of a flag as evaluation sees it.
///
/// Only two types exist on the wire; a stored number outside {0, 1} is kept in
/// [`Flag::type_number`] and reported as [`FlagType::Variant`] here (as Flipt's snapshot does),
/// while the evaluators reject it with `flag type <n> invalid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlagType {
    Variant,
    Boolean,
}

impl FlagType {
    /// The enum number shared by `flipt.FlagType` and `flipt.evaluation.EvaluationFlagType`.
    pub fn number(self) -> i32 {
        match self {
            FlagType::Variant => 0,
            FlagType::Boolean => 1,
        }
    }

    /// The proto enum name (`VARIANT_FLAG_TYPE`, `BOOLEAN_FLAG_TYPE`).
    pub fn name(self) -> &'static str {
        match self {
            FlagType::Variant => "VARIANT_FLAG_TYPE",
            FlagType::Boolean => "BOOLEAN_FLAG_TYPE",
        }
    }
}

/// A stored flag-type number rendered like Go's `FlagType.String()`: the enum name when known,
/// the number otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FlagTypeNumber(pub i32);

impl fmt::Display for FlagTypeNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => f.write_str(FlagType::Variant.name()),
            1 => f.write_str(FlagType::Boolean.name()),
            n => write!(f, "{n}"),
        }
    }
}

/// How a segment combines its constraints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchType {
    All,
    Any,
    /// A stored number outside {0, 1}: the segment never matches (Flipt's `default` arm).
    Unknown(i32),
}

impl MatchType {
    pub(crate) fn from_number(n: i32) -> Self {
        match n {
            0 => MatchType::All,
            1 => MatchType::Any,
            n => MatchType::Unknown(n),
        }
    }

    /// The stored enum number.
    pub fn number(self) -> i32 {
        match self {
            MatchType::All => 0,
            MatchType::Any => 1,
            MatchType::Unknown(n) => n,
        }
    }
}

/// How a rule or segment rollout combines its segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentOperator {
    Or,
    And,
    /// A stored number outside {0, 1}: the rule passes unconditionally, as in Flipt.
    Unknown(i32),
}

impl SegmentOperator {
    pub(crate) fn from_number(n: i32) -> Self {
        match n {
            0 => SegmentOperator::Or,
            1 => SegmentOperator::And,
            n => SegmentOperator::Unknown(n),
        }
    }

    /// The stored enum number.
    pub fn number(self) -> i32 {
        match self {
            SegmentOperator::Or => 0,
            SegmentOperator::And => 1,
            SegmentOperator::Unknown(n) => n,
        }
    }
}

/// The comparison type of a constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstraintType {
    String,
    Number,
    Boolean,
    DateTime,
    EntityId,
    /// Any other stored number (including 0): reaching it fails the evaluation with
    /// `unknown constraint type`.
    Unknown(i32),
}

impl ConstraintType {
    pub(crate) fn from_number(n: i32) -> Self {
        match n {
            1 => ConstraintType::String,
            2 => ConstraintType::Number,
            3 => ConstraintType::Boolean,
            4 => ConstraintType::DateTime,
            5 => ConstraintType::EntityId,
            n => ConstraintType::Unknown(n),
        }
    }

    /// The stored enum number.
    pub fn number(self) -> i32 {
        match self {
            ConstraintType::String => 1,
            ConstraintType::Number => 2,
            ConstraintType::Boolean => 3,
            ConstraintType::DateTime => 4,
            ConstraintType::EntityId => 5,
            ConstraintType::Unknown(n) => n,
        }
    }
}

/// A variant of a flag. `attachment` is the stored text; evaluation returns the compacted form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub(crate) id: String,
    pub(crate) key: String,
    pub(crate) attachment: String,
    pub(crate) attachment_compact: String,
}

impl Variant {
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn key(&self) -> &str {
        &self.key
    }
    /// The attachment as stored (verbatim; `""` when none).
    pub fn attachment(&self) -> &str {
        &self.attachment
    }
    /// The attachment with whitespace outside strings removed (what evaluation returns).
    pub fn attachment_compact(&self) -> &str {
        &self.attachment_compact
    }
}

/// A constraint with its value parsed ahead of time.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub(crate) id: String,
    pub(crate) constraint_type: ConstraintType,
    pub(crate) property: String,
    pub(crate) operator: String,
    pub(crate) value: String,
    pub(crate) matcher: Matcher,
}

impl Constraint {
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn constraint_type(&self) -> ConstraintType {
        self.constraint_type
    }
    pub fn property(&self) -> &str {
        &self.property
    }
    pub fn operator(&self) -> &str {
        &self.operator
    }
    /// The stored value text.
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// A comparison operator over parsed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl Cmp {
    fn from_operator(op: &str) -> Option<Self> {
        Some(match op {
            "eq" => Cmp::Eq,
            "neq" => Cmp::Neq,
            "lt" => Cmp::Lt,
            "lte" => Cmp::Lte,
            "gt" => Cmp::Gt,
            "gte" => Cmp::Gte,
            _ => return None,
        })
    }

    pub(crate) fn apply<T: PartialOrd>(self, left: T, right: T) -> bool {
        match self {
            Cmp::Eq => left == right,
            Cmp::Neq => left != right,
            Cmp::Lt => left < right,
            Cmp::Lte => left <= right,
            Cmp::Gt => left > right,
            Cmp::Gte => left >= right,
        }
    }
}

/// What a constraint does with the context value, decided at build time.
/// `None` inside a variant means the constraint value did not parse: the constraint is false.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Matcher {
    /// The constraint type is unknown: evaluation fails when it is reached.
    UnknownType,
    /// STRING or ENTITY_ID (`entity` says where the value comes from).
    String {
        entity: bool,
        op: StringOp,
    },
    Number(NumberOp),
    Boolean(BooleanOp),
    DateTime(DateTimeOp),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StringOp {
    Empty,
    NotEmpty,
    Eq,
    Neq,
    Prefix,
    Suffix,
    Contains,
    NotContains,
    /// Sorted list for binary search; `None` when the value is not a JSON string array.
    IsOneOf(Option<Box<[Box<str>]>>),
    IsNotOneOf(Option<Box<[Box<str>]>>),
    /// Any other operator: always false.
    Never,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NumberOp {
    Present,
    NotPresent,
    Cmp(Cmp, Option<f64>),
    IsOneOf(Option<Box<[f64]>>),
    IsNotOneOf(Option<Box<[f64]>>),
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BooleanOp {
    Present,
    NotPresent,
    True,
    False,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateTimeOp {
    Present,
    NotPresent,
    Cmp(Cmp, Option<Instant>),
    Never,
}

impl Matcher {
    /// Compiles a constraint: parses its value once, per its type and operator.
    pub(crate) fn compile(constraint_type: ConstraintType, operator: &str, value: &str) -> Self {
        match constraint_type {
            ConstraintType::String => Matcher::String {
                entity: false,
                op: StringOp::compile(operator, value),
            },
            ConstraintType::EntityId => Matcher::String {
                entity: true,
                op: StringOp::compile(operator, value),
            },
            ConstraintType::Number => Matcher::Number(match operator {
                "present" => NumberOp::Present,
                "notpresent" => NumberOp::NotPresent,
                "isoneof" => NumberOp::IsOneOf(number_list(value)),
                "isnotoneof" => NumberOp::IsNotOneOf(number_list(value)),
                op => match Cmp::from_operator(op) {
                    Some(cmp) => NumberOp::Cmp(cmp, parse::go_parse_float(value).ok()),
                    None => NumberOp::Never,
                },
            }),
            ConstraintType::Boolean => Matcher::Boolean(match operator {
                "present" => BooleanOp::Present,
                "notpresent" => BooleanOp::NotPresent,
                "true" => BooleanOp::True,
                "false" => BooleanOp::False,
                _ => BooleanOp::Never,
            }),
            ConstraintType::DateTime => Matcher::DateTime(match operator {
                "present" => DateTimeOp::Present,
                "notpresent" => DateTimeOp::NotPresent,
                op => match Cmp::from_operator(op) {
                    Some(cmp) => DateTimeOp::Cmp(cmp, parse::parse_datetime(value).ok()),
                    None => DateTimeOp::Never,
                },
            }),
            ConstraintType::Unknown(_) => Matcher::UnknownType,
        }
    }
}

impl StringOp {
    fn compile(operator: &str, value: &str) -> Self {
        match operator {
            "empty" => StringOp::Empty,
            "notempty" => StringOp::NotEmpty,
            "eq" => StringOp::Eq,
            "neq" => StringOp::Neq,
            "prefix" => StringOp::Prefix,
            "suffix" => StringOp::Suffix,
            "contains" => StringOp::Contains,
            "notcontains" => StringOp::NotContains,
            "isoneof" => StringOp::IsOneOf(string_list(value)),
            "isnotoneof" => StringOp::IsNotOneOf(string_list(value)),
            _ => StringOp::Never,
        }
    }
}

fn string_list(value: &str) -> Option<Box<[Box<str>]>> {
    let mut list: Vec<Box<str>> = parse::json_string_array(value)
        .ok()?
        .into_iter()
        .map(String::into_boxed_str)
        .collect();
    list.sort_unstable();
    list.dedup();
    Some(list.into_boxed_slice())
}

fn number_list(value: &str) -> Option<Box<[f64]>> {
    parse::json_number_array(value)
        .ok()
        .map(Vec::into_boxed_slice)
}

/// A segment: a key, a match type and its constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub(crate) key: String,
    pub(crate) match_type: MatchType,
    pub(crate) constraints: Vec<Constraint>,
    /// Whether any constraint has an unknown type (checked before short-circuit matching).
    pub(crate) has_unknown: bool,
}

impl Segment {
    pub fn key(&self) -> &str {
        &self.key
    }
    pub fn match_type(&self) -> MatchType {
        self.match_type
    }
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }
}

/// A distribution of a rule, in creation order; `rollout` is the stored f32 percentage.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    pub(crate) id: String,
    pub(crate) variant: Arc<Variant>,
    pub(crate) rollout: f32,
}

impl Distribution {
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn variant(&self) -> &Variant {
        &self.variant
    }
    pub fn rollout(&self) -> f32 {
        self.rollout
    }
}

/// One bucket range of a rule: buckets `[previous upper, upper)` choose `variant`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BucketRange {
    pub(crate) upper: u64,
    pub(crate) variant: Arc<Variant>,
}

/// A rule of a variant flag.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub(crate) id: String,
    pub(crate) rank: i32,
    pub(crate) operator: SegmentOperator,
    /// Sorted by key, without duplicates; never empty.
    pub(crate) segments: Vec<Arc<Segment>>,
    pub(crate) has_unknown: bool,
    /// Every distribution, in creation order (as the snapshot document lists them).
    pub(crate) distributions: Vec<Distribution>,
    /// The distributions with rollout > 0 as cumulative ranges (evaluation.md §3.4).
    pub(crate) ranges: Vec<BucketRange>,
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn rank(&self) -> i32 {
        self.rank
    }
    pub fn segment_operator(&self) -> SegmentOperator {
        self.operator
    }
    /// The rule's segments in ascending key order.
    pub fn segments(&self) -> impl ExactSizeIterator<Item = &Segment> {
        self.segments.iter().map(|s| &**s)
    }
    pub fn distributions(&self) -> &[Distribution] {
        &self.distributions
    }
    /// The cumulative upper bounds of the non-zero distributions (`[500, 1000]` for 50/50).
    pub fn boundaries(&self) -> impl ExactSizeIterator<Item = u64> + '_ {
        self.ranges.iter().map(|r| r.upper)
    }
}

/// Computes the bucket ranges of a rule's distributions, exactly as evaluation.md §3.4: drop
/// rollouts that are not > 0, multiply in f32, truncate each width, accumulate.
pub(crate) fn bucket_ranges(distributions: &[Distribution]) -> Vec<BucketRange> {
    let mut acc: u64 = 0;
    distributions
        .iter()
        .filter(|d| d.rollout > 0.0)
        .map(|d| {
            // f32 product, then truncation toward zero (`as` saturates; the value is > 0).
            let width = (d.rollout * 10.0_f32) as u64;
            acc = acc.saturating_add(width);
            BucketRange {
                upper: acc,
                variant: Arc::clone(&d.variant),
            }
        })
        .collect()
}

/// The member of a boolean flag's rollout.
#[derive(Debug, Clone, PartialEq)]
pub enum RolloutRule {
    Threshold {
        percentage: f32,
        value: bool,
    },
    Segment {
        value: bool,
        operator: SegmentOperator,
        /// Sorted by key, without duplicates; never empty.
        segments: Vec<Arc<Segment>>,
        has_unknown: bool,
    },
    /// No usable member: skipped by evaluation.
    None,
}

/// A rollout of a boolean flag.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollout {
    pub(crate) id: String,
    pub(crate) rank: i32,
    pub(crate) rollout_type: i32,
    pub(crate) rule: RolloutRule,
}

impl Rollout {
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn rank(&self) -> i32 {
        self.rank
    }
    /// The stored rollout type number (1 segment, 2 threshold, other unknown).
    pub fn rollout_type(&self) -> i32 {
        self.rollout_type
    }
    pub fn rule(&self) -> &RolloutRule {
        &self.rule
    }
}

/// A flag with everything evaluation needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) enabled: bool,
    pub(crate) type_number: i32,
    pub(crate) created_at: (i64, i32),
    pub(crate) updated_at: (i64, i32),
    pub(crate) default_variant: Option<Arc<Variant>>,
    /// In rank order (ties: creation time, then id).
    pub(crate) rules: Vec<Rule>,
    /// In rank order (ties: creation time, then id).
    pub(crate) rollouts: Vec<Rollout>,
}

impl Flag {
    pub fn key(&self) -> &str {
        &self.key
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn description(&self) -> &str {
        &self.description
    }
    pub fn enabled(&self) -> bool {
        self.enabled
    }
    /// The flag's type; an unknown stored number reads as [`FlagType::Variant`] (see
    /// [`Flag::type_number`]).
    pub fn flag_type(&self) -> FlagType {
        if self.type_number == 1 {
            FlagType::Boolean
        } else {
            FlagType::Variant
        }
    }
    /// The stored type number (0 variant, 1 boolean, anything else unknown).
    pub fn type_number(&self) -> i32 {
        self.type_number
    }
    /// Creation time, UTC (seconds, nanos).
    pub fn created_at(&self) -> (i64, i32) {
        self.created_at
    }
    /// Last update time, UTC (seconds, nanos).
    pub fn updated_at(&self) -> (i64, i32) {
        self.updated_at
    }
    pub fn default_variant(&self) -> Option<&Variant> {
        self.default_variant.as_deref()
    }
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
    pub fn rollouts(&self) -> &[Rollout] {
        &self.rollouts
    }
}
