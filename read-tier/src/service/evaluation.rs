//! `flipt.evaluation.EvaluationService`: variant, boolean and batch evaluation (api.md §5.1).

use std::sync::Arc;
use std::time::Instant;

use flipt_proto::flipt::evaluation as ev;
use flipt_shared::engine::{self, FlagType};
use flipt_shared::{Error, Result};

use super::{
    eval_error, flag_not_found, millis_since, namespace_or_default, new_request_id, now,
    record_boolean, record_variant,
};
use crate::cache::{Entry, SnapshotCache};

/// What one inner evaluation produced, before the bookkeeping fields are filled in.
enum Outcome {
    Variant(ev::VariantEvaluationResponse),
    Boolean(ev::BooleanEvaluationResponse),
}

/// Evaluates one request against the current snapshot, without request id or timing.
fn evaluate(
    cache: &SnapshotCache,
    req: &ev::EvaluationRequest,
    want: Option<FlagType>,
) -> Result<Option<Outcome>> {
    let entry = cache.get(namespace_or_default(&req.namespace_key));
    evaluate_in(cache, entry.as_deref(), req, want)
}

/// Evaluates one request against `entry`, the snapshot of its namespace (`None`: no such
/// namespace).
fn evaluate_in(
    cache: &SnapshotCache,
    entry: Option<&Entry>,
    req: &ev::EvaluationRequest,
    want: Option<FlagType>,
) -> Result<Option<Outcome>> {
    let Some(entry) = entry else {
        return Ok(None);
    };
    let Some((index, flag)) = entry.snapshot.flag_with_index(&req.flag_key) else {
        return Ok(None);
    };
    if want.is_none() && !matches!(flag.type_number(), 0 | 1) {
        return Err(eval_error(engine::EvalError::UnknownFlagType(
            flag.type_number(),
        )));
    }
    let kind = want.unwrap_or(flag.flag_type());
    let started = Instant::now();
    match kind {
        FlagType::Variant => {
            let out = engine::evaluate_variant(flag, &req.flag_key, &req.entity_id, &req.context);
            record_variant(cache, entry, index, flag, &out, started);
            let out = out.map_err(eval_error)?;
            Ok(Some(Outcome::Variant(ev::VariantEvaluationResponse {
                r#match: out.matched,
                segment_keys: out.segment_keys.iter().map(|k| (*k).to_owned()).collect(),
                reason: out.reason.v2() as i32,
                variant_key: out.variant_key.to_owned(),
                variant_attachment: out.variant_attachment.to_owned(),
                flag_key: req.flag_key.clone(),
                ..Default::default()
            })))
        }
        FlagType::Boolean => {
            let out = engine::evaluate_boolean(flag, &req.entity_id, &req.context);
            record_boolean(cache, entry, index, flag, &out, started);
            let out = out.map_err(eval_error)?;
            Ok(Some(Outcome::Boolean(ev::BooleanEvaluationResponse {
                enabled: out.enabled,
                reason: out.reason.v2() as i32,
                flag_key: flag.key().to_owned(),
                segment_keys: out.segment_keys.iter().map(|k| (*k).to_owned()).collect(),
                ..Default::default()
            })))
        }
    }
}

fn request_id(given: String) -> String {
    if given.is_empty() {
        new_request_id()
    } else {
        given
    }
}

/// `Variant`: evaluates a variant flag.
pub fn variant(
    cache: &SnapshotCache,
    req: ev::EvaluationRequest,
) -> Result<ev::VariantEvaluationResponse> {
    let start = Instant::now();
    let request_id = request_id(req.request_id.clone());
    match evaluate(cache, &req, Some(FlagType::Variant))? {
        Some(Outcome::Variant(mut resp)) => {
            resp.request_id = request_id;
            resp.timestamp = Some(now());
            resp.request_duration_millis = millis_since(start);
            Ok(resp)
        }
        Some(Outcome::Boolean(_)) => {
            Err(Error::internal_msg("variant evaluation produced a boolean"))
        }
        None => Err(flag_not_found(
            namespace_or_default(&req.namespace_key),
            &req.flag_key,
        )),
    }
}

/// `Boolean`: evaluates a boolean flag.
pub fn boolean(
    cache: &SnapshotCache,
    req: ev::EvaluationRequest,
) -> Result<ev::BooleanEvaluationResponse> {
    let start = Instant::now();
    let request_id = request_id(req.request_id.clone());
    match evaluate(cache, &req, Some(FlagType::Boolean))? {
        Some(Outcome::Boolean(mut resp)) => {
            resp.request_id = request_id;
            resp.timestamp = Some(now());
            resp.request_duration_millis = millis_since(start);
            Ok(resp)
        }
        Some(Outcome::Variant(_)) => {
            Err(Error::internal_msg("boolean evaluation produced a variant"))
        }
        None => Err(flag_not_found(
            namespace_or_default(&req.namespace_key),
            &req.flag_key,
        )),
    }
}

/// `Batch`: evaluates each request with its flag's own type; unknown flags become error items,
/// any other failure fails the whole batch.
pub fn batch(
    cache: &SnapshotCache,
    req: ev::BatchEvaluationRequest,
) -> Result<ev::BatchEvaluationResponse> {
    use ev::evaluation_response::Response;
    let start = Instant::now();
    let request_id = request_id(req.request_id);
    let mut responses = Vec::with_capacity(req.requests.len());
    // Items usually share a namespace: look its snapshot up once per run of equal keys.
    let mut snapshot: Option<(&str, Option<Arc<Entry>>)> = None;
    for inner in &req.requests {
        let namespace = namespace_or_default(&inner.namespace_key);
        if snapshot.as_ref().is_none_or(|(ns, _)| *ns != namespace) {
            snapshot = Some((namespace, cache.get(namespace)));
        }
        let entry = snapshot.as_ref().and_then(|(_, e)| e.as_deref());
        let item = match evaluate_in(cache, entry, inner, None)? {
            Some(Outcome::Variant(mut resp)) => {
                resp.request_id = inner.request_id.clone();
                ev::EvaluationResponse {
                    r#type: ev::EvaluationResponseType::VariantEvaluationResponseType as i32,
                    response: Some(Response::VariantResponse(resp)),
                }
            }
            Some(Outcome::Boolean(mut resp)) => {
                resp.request_id = inner.request_id.clone();
                ev::EvaluationResponse {
                    r#type: ev::EvaluationResponseType::BooleanEvaluationResponseType as i32,
                    response: Some(Response::BooleanResponse(resp)),
                }
            }
            None => ev::EvaluationResponse {
                r#type: ev::EvaluationResponseType::ErrorEvaluationResponseType as i32,
                response: Some(Response::ErrorResponse(ev::ErrorEvaluationResponse {
                    flag_key: inner.flag_key.clone(),
                    namespace_key: inner.namespace_key.clone(),
                    reason: ev::ErrorEvaluationReason::NotFoundErrorEvaluationReason as i32,
                })),
            },
        };
        responses.push(item);
    }
    let timestamp = now();
    let duration = millis_since(start);
    for item in &mut responses {
        match &mut item.response {
            Some(Response::VariantResponse(r)) => {
                r.timestamp = Some(timestamp);
                r.request_duration_millis = duration;
            }
            Some(Response::BooleanResponse(r)) => {
                r.timestamp = Some(timestamp);
                r.request_duration_millis = duration;
            }
            _ => {}
        }
    }
    Ok(ev::BatchEvaluationResponse {
        request_id,
        responses,
        request_duration_millis: duration,
    })
}
