//! Legacy evaluation (`flipt.Flipt/Evaluate`, `BatchEvaluate`; api.md §5.2): variant flags
//! only, with the legacy reason numbering and its own validation.

use std::time::Instant;

use flipt_proto::flipt as pb;
use flipt_shared::engine;
use flipt_shared::{Error, Result};

use super::{
    eval_error, flag_not_found, millis_since, namespace_or_default, new_request_id, now,
    record_variant,
};
use crate::cache::SnapshotCache;

/// Evaluates one legacy request; `None` when the flag does not exist.
fn evaluate(
    cache: &SnapshotCache,
    namespace: &str,
    req: &pb::EvaluationRequest,
) -> Result<Option<pb::EvaluationResponse>> {
    let Some(entry) = cache.get(namespace) else {
        return Ok(None);
    };
    let Some((index, flag)) = entry.snapshot.flag_with_index(&req.flag_key) else {
        return Ok(None);
    };
    let started = Instant::now();
    let out = engine::evaluate_variant(flag, &req.flag_key, &req.entity_id, &req.context);
    record_variant(cache, &entry, index, flag, &out, started);
    let out = out.map_err(eval_error)?;
    let segment_keys: Vec<String> = out.segment_keys.iter().map(|k| (*k).to_owned()).collect();
    Ok(Some(pb::EvaluationResponse {
        entity_id: req.entity_id.clone(),
        request_context: req.context.clone(),
        r#match: out.matched,
        flag_key: req.flag_key.clone(),
        segment_key: segment_keys.first().cloned().unwrap_or_default(),
        value: out.variant_key.to_owned(),
        attachment: out.variant_attachment.to_owned(),
        reason: out.reason.legacy() as i32,
        segment_keys,
        ..Default::default()
    }))
}

/// `Evaluate`: validates `flagKey` and `entityId`; echoes the raw namespace key.
pub fn evaluate_one(
    cache: &SnapshotCache,
    req: pb::EvaluationRequest,
) -> Result<pb::EvaluationResponse> {
    let start = Instant::now();
    if req.flag_key.is_empty() {
        return Err(Error::empty_field("flagKey"));
    }
    if req.entity_id.is_empty() {
        return Err(Error::empty_field("entityId"));
    }
    let request_id = if req.request_id.is_empty() {
        new_request_id()
    } else {
        req.request_id.clone()
    };
    let namespace = namespace_or_default(&req.namespace_key);
    let mut resp = evaluate(cache, namespace, &req)?
        .ok_or_else(|| flag_not_found(namespace, &req.flag_key))?;
    resp.request_id = request_id;
    resp.namespace_key = req.namespace_key;
    resp.timestamp = Some(now());
    resp.request_duration_millis = millis_since(start);
    Ok(resp)
}

/// `BatchEvaluate`: one namespace for every request; unknown flags fail the call unless
/// `excludeNotFound` is set.
pub fn evaluate_batch(
    cache: &SnapshotCache,
    req: pb::BatchEvaluationRequest,
) -> Result<pb::BatchEvaluationResponse> {
    let start = Instant::now();
    let namespace = namespace_or_default(&req.namespace_key).to_owned();
    if req
        .requests
        .iter()
        .any(|r| !r.namespace_key.is_empty() && r.namespace_key != namespace)
    {
        return Err(Error::invalid(
            "invalid field namespace_key: must be the same for all requests if specified",
        ));
    }
    let request_id = if req.request_id.is_empty() {
        new_request_id()
    } else {
        req.request_id
    };
    let mut responses = Vec::with_capacity(req.requests.len());
    for inner in &req.requests {
        match evaluate(cache, &namespace, inner)? {
            Some(resp) => responses.push(resp),
            None if req.exclude_not_found => {}
            None => return Err(flag_not_found(&namespace, &inner.flag_key)),
        }
    }
    let timestamp = now();
    for resp in &mut responses {
        resp.request_id = String::new();
        resp.namespace_key = namespace.clone();
        resp.timestamp = Some(timestamp);
        resp.request_duration_millis = 0.0;
    }
    Ok(pb::BatchEvaluationResponse {
        request_id,
        responses,
        request_duration_millis: millis_since(start),
    })
}
