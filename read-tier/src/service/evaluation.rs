//! `flipt.evaluation.EvaluationService`: variant, boolean and batch evaluation (api.md §5.1).
//!
//! The use cases take any [`EvalInput`] (a gRPC message, or a REST body decoded in place) and
//! hand their answer, which borrows from the snapshot and the request, to a `render` closure:
//! gRPC builds its messages from it, REST writes JSON from it without building them.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use flipt_proto::flipt::evaluation as ev;
use flipt_proto::google::protobuf::Timestamp;
use flipt_shared::engine::{self, BooleanOutcome, Context, FlagType, VariantOutcome};
use flipt_shared::{Error, Result};

use super::{
    eval_error, flag_not_found, millis_since, namespace_or_default, new_request_id, now,
    record_boolean, record_variant,
};
use crate::cache::{Entry, SnapshotCache};

/// What an evaluation request carries, however it was decoded.
pub trait EvalInput {
    type Context: Context;
    fn request_id(&self) -> &str;
    fn namespace_key(&self) -> &str;
    fn flag_key(&self) -> &str;
    fn entity_id(&self) -> &str;
    fn context(&self) -> &Self::Context;
}

impl EvalInput for ev::EvaluationRequest {
    type Context = BTreeMap<String, String>;
    fn request_id(&self) -> &str {
        &self.request_id
    }
    fn namespace_key(&self) -> &str {
        &self.namespace_key
    }
    fn flag_key(&self) -> &str {
        &self.flag_key
    }
    fn entity_id(&self) -> &str {
        &self.entity_id
    }
    fn context(&self) -> &Self::Context {
        &self.context
    }
}

/// A single evaluation's answer: the engine's outcome and the bookkeeping fields.
pub struct Answer<'a, O> {
    pub outcome: O,
    pub request_id: Cow<'a, str>,
    pub flag_key: &'a str,
    pub duration_millis: f64,
    pub timestamp: Timestamp,
}

/// One item of a batch answer (its timestamp and duration are the batch's).
pub enum Item<'a> {
    Variant {
        outcome: VariantOutcome<'a>,
        request_id: &'a str,
        flag_key: &'a str,
    },
    Boolean {
        outcome: BooleanOutcome<'a>,
        request_id: &'a str,
        flag_key: &'a str,
    },
    /// The flag (or its namespace) does not exist; the namespace key as the request gave it.
    NotFound {
        flag_key: &'a str,
        namespace_key: &'a str,
    },
}

/// A batch's answer.
pub struct BatchAnswer<'a> {
    pub request_id: Cow<'a, str>,
    pub items: Vec<Item<'a>>,
    pub duration_millis: f64,
    pub timestamp: Timestamp,
}

/// What one inner evaluation produced.
enum Outcome<'s> {
    Variant(VariantOutcome<'s>),
    Boolean(BooleanOutcome<'s>),
}

/// Evaluates one request against `entry`, the snapshot of its namespace (`None`: no such
/// namespace); `Ok(None)` when the flag does not exist. `want` is the endpoint's flag type
/// (`None`: the flag's own, for batches).
fn evaluate_in<'s, R: EvalInput>(
    cache: &SnapshotCache,
    entry: Option<&'s Entry>,
    req: &R,
    want: Option<FlagType>,
) -> Result<Option<Outcome<'s>>> {
    let Some(entry) = entry else {
        return Ok(None);
    };
    let Some((index, flag)) = entry.snapshot.flag_with_index(req.flag_key()) else {
        return Ok(None);
    };
    if want.is_none() && !matches!(flag.type_number(), 0 | 1) {
        return Err(eval_error(engine::EvalError::UnknownFlagType(
            flag.type_number(),
        )));
    }
    let kind = want.unwrap_or(flag.flag_type());
    let started = Instant::now();
    Ok(Some(match kind {
        FlagType::Variant => {
            let out =
                engine::evaluate_variant(flag, req.flag_key(), req.entity_id(), req.context());
            record_variant(cache, entry, index, flag, &out, started);
            Outcome::Variant(out.map_err(eval_error)?)
        }
        FlagType::Boolean => {
            let out = engine::evaluate_boolean(flag, req.entity_id(), req.context());
            record_boolean(cache, entry, index, flag, &out, started);
            Outcome::Boolean(out.map_err(eval_error)?)
        }
    }))
}

/// The request's id, or a fresh one when it gave none.
fn request_id(given: &str) -> Cow<'_, str> {
    if given.is_empty() {
        Cow::Owned(new_request_id())
    } else {
        Cow::Borrowed(given)
    }
}

/// Evaluates a single request of the endpoint's type `want` and renders the answer.
fn single<R: EvalInput, T>(
    cache: &SnapshotCache,
    req: &R,
    want: FlagType,
    render: impl FnOnce(Answer<'_, Outcome<'_>>) -> T,
) -> Result<T> {
    let start = Instant::now();
    let request_id = request_id(req.request_id());
    let namespace = namespace_or_default(req.namespace_key());
    let entry = cache.get(namespace);
    match evaluate_in(cache, entry.as_deref(), req, Some(want))? {
        Some(outcome) => Ok(render(Answer {
            outcome,
            request_id,
            flag_key: req.flag_key(),
            timestamp: now(),
            duration_millis: millis_since(start),
        })),
        None => Err(flag_not_found(namespace, req.flag_key())),
    }
}

/// `Variant`: evaluates a variant flag and renders the answer.
pub fn variant_with<R: EvalInput, T>(
    cache: &SnapshotCache,
    req: &R,
    render: impl FnOnce(&Answer<'_, VariantOutcome<'_>>) -> T,
) -> Result<T> {
    single(cache, req, FlagType::Variant, |answer| {
        match answer.outcome {
            Outcome::Variant(outcome) => Ok(render(&Answer {
                outcome,
                request_id: answer.request_id,
                flag_key: answer.flag_key,
                duration_millis: answer.duration_millis,
                timestamp: answer.timestamp,
            })),
            Outcome::Boolean(_) => {
                Err(Error::internal_msg("variant evaluation produced a boolean"))
            }
        }
    })?
}

/// `Boolean`: evaluates a boolean flag and renders the answer.
pub fn boolean_with<R: EvalInput, T>(
    cache: &SnapshotCache,
    req: &R,
    render: impl FnOnce(&Answer<'_, BooleanOutcome<'_>>) -> T,
) -> Result<T> {
    single(cache, req, FlagType::Boolean, |answer| {
        match answer.outcome {
            Outcome::Boolean(outcome) => Ok(render(&Answer {
                outcome,
                request_id: answer.request_id,
                flag_key: answer.flag_key,
                duration_millis: answer.duration_millis,
                timestamp: answer.timestamp,
            })),
            Outcome::Variant(_) => {
                Err(Error::internal_msg("boolean evaluation produced a variant"))
            }
        }
    })?
}

/// The snapshots a batch needs, looked up once per namespace (in order of first use).
struct Namespaces<'r> {
    entries: Vec<(&'r str, Option<Arc<Entry>>)>,
    /// Namespace → position in `entries`, once a batch names more than a few namespaces.
    index: Option<foldhash::HashMap<&'r str, usize>>,
}

/// Up to this many distinct namespaces, a batch finds its snapshots by scanning.
const SCAN_NAMESPACES: usize = 8;

impl<'r> Namespaces<'r> {
    fn collect<R: EvalInput>(cache: &SnapshotCache, requests: &'r [R]) -> Self {
        let mut all = Namespaces {
            entries: Vec::with_capacity(1),
            index: None,
        };
        for req in requests {
            let namespace = namespace_or_default(req.namespace_key());
            if all.position(namespace).is_none() {
                all.entries.push((namespace, cache.get(namespace)));
                let at = all.entries.len() - 1;
                if let Some(index) = &mut all.index {
                    index.insert(namespace, at);
                } else if all.entries.len() > SCAN_NAMESPACES {
                    all.index = Some(
                        all.entries
                            .iter()
                            .enumerate()
                            .map(|(i, (ns, _))| (*ns, i))
                            .collect(),
                    );
                }
            }
        }
        all
    }

    fn position(&self, namespace: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(namespace).copied(),
            None => self.entries.iter().position(|(ns, _)| *ns == namespace),
        }
    }

    fn get(&self, namespace: &str) -> Option<&Entry> {
        let at = self.position(namespace)?;
        self.entries.get(at).and_then(|(_, entry)| entry.as_deref())
    }
}

/// `Batch`: evaluates each request with its flag's own type and renders the answer; unknown
/// flags become not-found items, any other failure fails the whole batch.
pub fn batch_with<R: EvalInput, T>(
    cache: &SnapshotCache,
    given_request_id: &str,
    requests: &[R],
    render: impl FnOnce(&BatchAnswer<'_>) -> T,
) -> Result<T> {
    let start = Instant::now();
    let request_id = request_id(given_request_id);
    let namespaces = Namespaces::collect(cache, requests);
    let mut items = Vec::with_capacity(requests.len());
    for inner in requests {
        let entry = namespaces.get(namespace_or_default(inner.namespace_key()));
        items.push(match evaluate_in(cache, entry, inner, None)? {
            Some(Outcome::Variant(outcome)) => Item::Variant {
                outcome,
                request_id: inner.request_id(),
                flag_key: inner.flag_key(),
            },
            Some(Outcome::Boolean(outcome)) => Item::Boolean {
                outcome,
                request_id: inner.request_id(),
                flag_key: inner.flag_key(),
            },
            None => Item::NotFound {
                flag_key: inner.flag_key(),
                namespace_key: inner.namespace_key(),
            },
        });
    }
    let timestamp = now();
    let duration_millis = millis_since(start);
    Ok(render(&BatchAnswer {
        request_id,
        items,
        duration_millis,
        timestamp,
    }))
}

// --- gRPC: the answers as messages -----------------------------------------------------------

fn keys(segment_keys: &[&str]) -> Vec<String> {
    segment_keys.iter().map(|k| (*k).to_owned()).collect()
}

/// A variant answer's fields as a message.
pub fn variant_message(
    outcome: &VariantOutcome<'_>,
    request_id: &str,
    flag_key: &str,
    duration_millis: f64,
    timestamp: Timestamp,
) -> ev::VariantEvaluationResponse {
    ev::VariantEvaluationResponse {
        r#match: outcome.matched,
        segment_keys: keys(&outcome.segment_keys),
        reason: outcome.reason.v2() as i32,
        variant_key: outcome.variant_key.to_owned(),
        variant_attachment: outcome.variant_attachment.to_owned(),
        request_id: request_id.to_owned(),
        request_duration_millis: duration_millis,
        timestamp: Some(timestamp),
        flag_key: flag_key.to_owned(),
    }
}

/// A boolean answer's fields as a message.
pub fn boolean_message(
    outcome: &BooleanOutcome<'_>,
    request_id: &str,
    flag_key: &str,
    duration_millis: f64,
    timestamp: Timestamp,
) -> ev::BooleanEvaluationResponse {
    ev::BooleanEvaluationResponse {
        enabled: outcome.enabled,
        reason: outcome.reason.v2() as i32,
        request_id: request_id.to_owned(),
        request_duration_millis: duration_millis,
        timestamp: Some(timestamp),
        flag_key: flag_key.to_owned(),
        segment_keys: keys(&outcome.segment_keys),
    }
}

/// A batch answer as a message.
pub fn batch_message(answer: &BatchAnswer<'_>) -> ev::BatchEvaluationResponse {
    use ev::evaluation_response::Response;
    let (duration, timestamp) = (answer.duration_millis, answer.timestamp);
    let responses = answer
        .items
        .iter()
        .map(|item| match item {
            Item::Variant {
                outcome,
                request_id,
                flag_key,
            } => ev::EvaluationResponse {
                r#type: ev::EvaluationResponseType::VariantEvaluationResponseType as i32,
                response: Some(Response::VariantResponse(variant_message(
                    outcome, request_id, flag_key, duration, timestamp,
                ))),
            },
            Item::Boolean {
                outcome,
                request_id,
                flag_key,
            } => ev::EvaluationResponse {
                r#type: ev::EvaluationResponseType::BooleanEvaluationResponseType as i32,
                response: Some(Response::BooleanResponse(boolean_message(
                    outcome, request_id, flag_key, duration, timestamp,
                ))),
            },
            Item::NotFound {
                flag_key,
                namespace_key,
            } => ev::EvaluationResponse {
                r#type: ev::EvaluationResponseType::ErrorEvaluationResponseType as i32,
                response: Some(Response::ErrorResponse(ev::ErrorEvaluationResponse {
                    flag_key: (*flag_key).to_owned(),
                    namespace_key: (*namespace_key).to_owned(),
                    reason: ev::ErrorEvaluationReason::NotFoundErrorEvaluationReason as i32,
                })),
            },
        })
        .collect();
    ev::BatchEvaluationResponse {
        request_id: answer.request_id.clone().into_owned(),
        responses,
        request_duration_millis: duration,
    }
}

/// `Variant` over gRPC.
pub fn variant(
    cache: &SnapshotCache,
    req: ev::EvaluationRequest,
) -> Result<ev::VariantEvaluationResponse> {
    variant_with(cache, &req, |a| {
        variant_message(
            &a.outcome,
            &a.request_id,
            a.flag_key,
            a.duration_millis,
            a.timestamp,
        )
    })
}

/// `Boolean` over gRPC.
pub fn boolean(
    cache: &SnapshotCache,
    req: ev::EvaluationRequest,
) -> Result<ev::BooleanEvaluationResponse> {
    boolean_with(cache, &req, |a| {
        boolean_message(
            &a.outcome,
            &a.request_id,
            a.flag_key,
            a.duration_millis,
            a.timestamp,
        )
    })
}

/// `Batch` over gRPC.
pub fn batch(
    cache: &SnapshotCache,
    req: ev::BatchEvaluationRequest,
) -> Result<ev::BatchEvaluationResponse> {
    batch_with(cache, &req.request_id, &req.requests, batch_message)
}
