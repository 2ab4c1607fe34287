//! Constraint, segment and segment-operator matching (evaluation.md §2). Allocation-free: the
//! only allocation is the vector of matched keys, and only when the segments pass.

use std::sync::Arc;

use super::model::{
    BooleanOp, Constraint, DateTimeOp, MatchType, Matcher, NumberOp, Segment, SegmentOperator,
    StringOp,
};
use super::parse;
use super::{Context, EvalError};

/// `blank(x)`: empty after trimming Unicode White_Space (Rust's `trim` uses the same set).
fn blank(v: &str) -> bool {
    v.trim().is_empty()
}

/// Evaluates one constraint. The caller has checked that its type is known.
fn constraint_matches(c: &Constraint, entity_id: &str, ctx: &impl Context) -> bool {
    let from_context = || ctx.get(&c.property).unwrap_or("");
    match &c.matcher {
        Matcher::UnknownType => false,
        Matcher::String { entity, op } => {
            let v = if *entity { entity_id } else { from_context() };
            match_string(op, &c.value, v)
        }
        Matcher::Number(op) => match_number(op, from_context()),
        Matcher::Boolean(op) => match_boolean(*op, from_context()),
        Matcher::DateTime(op) => match_datetime(*op, from_context()),
    }
}

fn match_string(op: &StringOp, value: &str, v: &str) -> bool {
    match op {
        StringOp::Empty => return blank(v),
        StringOp::NotEmpty => return !blank(v),
        _ if v.is_empty() => return false,
        _ => {}
    }
    match op {
        StringOp::Eq => v == value,
        StringOp::Neq => v != value,
        StringOp::Prefix => v.trim().starts_with(value),
        StringOp::Suffix => v.trim().ends_with(value),
        StringOp::Contains => v.contains(value),
        StringOp::NotContains => !v.contains(value),
        StringOp::IsOneOf(Some(list)) => list.binary_search_by(|x| (**x).cmp(v)).is_ok(),
        StringOp::IsNotOneOf(Some(list)) => list.binary_search_by(|x| (**x).cmp(v)).is_err(),
        StringOp::IsOneOf(None) | StringOp::IsNotOneOf(None) => false,
        StringOp::Empty | StringOp::NotEmpty | StringOp::Never => false,
    }
}

fn match_number(op: &NumberOp, v: &str) -> bool {
    match op {
        NumberOp::NotPresent => return blank(v),
        NumberOp::Present => return !blank(v),
        _ if v.is_empty() => return false,
        NumberOp::Never => return false,
        _ => {}
    }
    let Ok(n) = parse::go_parse_float(v) else {
        return false;
    };
    match op {
        NumberOp::IsOneOf(Some(list)) => list.contains(&n),
        NumberOp::IsNotOneOf(Some(list)) => !list.contains(&n),
        NumberOp::Cmp(cmp, Some(c)) => cmp.apply(n, *c),
        _ => false,
    }
}

fn match_boolean(op: BooleanOp, v: &str) -> bool {
    match op {
        BooleanOp::NotPresent => return blank(v),
        BooleanOp::Present => return !blank(v),
        _ if v.is_empty() => return false,
        _ => {}
    }
    let Ok(b) = parse::go_parse_bool(v) else {
        return false;
    };
    match op {
        BooleanOp::True => b,
        BooleanOp::False => !b,
        _ => false,
    }
}

fn match_datetime(op: DateTimeOp, v: &str) -> bool {
    match op {
        DateTimeOp::NotPresent => blank(v),
        DateTimeOp::Present => !blank(v),
        _ if v.is_empty() => false,
        DateTimeOp::Cmp(cmp, Some(c)) => match parse::parse_datetime(v) {
            Ok(d) => cmp.apply(d, c),
            Err(_) => false,
        },
        DateTimeOp::Cmp(_, None) | DateTimeOp::Never => false,
    }
}

/// Whether a segment matches (evaluation.md §2.7). The caller has checked for unknown
/// constraint types, so short-circuiting cannot hide an error.
fn segment_matches(segment: &Segment, entity_id: &str, ctx: &impl Context) -> bool {
    let mut results = segment
        .constraints
        .iter()
        .map(|c| constraint_matches(c, entity_id, ctx));
    match segment.match_type {
        MatchType::All => results.all(|m| m),
        MatchType::Any => segment.constraints.is_empty() || results.any(|m| m),
        MatchType::Unknown(_) => false,
    }
}

/// Applies a segment operator (evaluation.md §2.8). Returns the matched keys (in the
/// segments' ascending key order) when the segments pass, `None` when they do not, and an
/// error when any constraint of these segments has an unknown type.
pub(super) fn match_segments<'s>(
    segments: &'s [Arc<Segment>],
    operator: SegmentOperator,
    has_unknown: bool,
    entity_id: &str,
    ctx: &impl Context,
) -> Result<Option<Vec<&'s str>>, EvalError> {
    if has_unknown {
        return Err(EvalError::UnknownConstraintType);
    }
    match operator {
        SegmentOperator::And => {
            if segments.iter().all(|s| segment_matches(s, entity_id, ctx)) {
                Ok(Some(segments.iter().map(|s| s.key.as_str()).collect()))
            } else {
                Ok(None)
            }
        }
        SegmentOperator::Or | SegmentOperator::Unknown(_) => {
            let mut keys = Vec::new();
            for s in segments {
                if segment_matches(s, entity_id, ctx) {
                    keys.push(s.key.as_str());
                }
            }
            // Flipt v1 compatibility: an unknown operator passes unconditionally.
            if keys.is_empty() && operator == SegmentOperator::Or {
                Ok(None)
            } else {
                Ok(Some(keys))
            }
        }
    }
}
