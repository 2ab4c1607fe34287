//! Use cases of the read tier, shared by REST and gRPC. Everything here is synchronous over the
//! in-process snapshots: the I/O happened when the snapshot was loaded.

pub mod evaluation;
pub mod legacy;
pub mod ofrep;
pub mod snapshot;

use std::time::Instant;

use flipt_shared::engine::{BooleanOutcome, EvalError, VariantOutcome};
use flipt_shared::Error;

use crate::cache::SnapshotCache;

/// Applies Flipt's defaulting rule: an empty namespace key means `default`.
pub fn namespace_or_default(key: &str) -> &str {
    if key.is_empty() {
        "default"
    } else {
        key
    }
}

/// The not-found error of evaluation (`flag "<ns>/<key>" not found`; `flag "<ns>" not found`
/// when the key is empty, as Flipt prints it).
pub fn flag_not_found(namespace: &str, flag_key: &str) -> Error {
    if flag_key.is_empty() {
        Error::not_found(format!("flag \"{namespace}\" not found"))
    } else {
        Error::not_found(format!("flag \"{namespace}/{flag_key}\" not found"))
    }
}

/// Maps an engine error to its class.
pub fn eval_error(err: EvalError) -> Error {
    if err.is_invalid_argument() {
        Error::invalid(err.to_string())
    } else {
        Error::internal_msg(err)
    }
}

/// A fresh request id (UUID v4).
pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Milliseconds since `start`, with sub-millisecond precision.
pub fn millis_since(start: std::time::Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// The current time as a protobuf timestamp.
pub fn now() -> flipt_proto::google::protobuf::Timestamp {
    flipt_proto::google::protobuf::Timestamp::from(chrono::Utc::now())
}

/// Records a variant evaluation in the metrics.
pub fn record_variant(
    cache: &SnapshotCache,
    namespace: &str,
    flag: &str,
    result: &Result<VariantOutcome<'_>, EvalError>,
    started: Instant,
) {
    let metrics = cache.metrics();
    match result {
        Ok(out) => metrics.record_result(
            namespace,
            flag,
            "variant",
            out.reason.v2().as_str_name(),
            out.variant_key,
            if out.matched { "true" } else { "false" },
            &out.segment_keys.join(","),
            started.elapsed(),
        ),
        Err(_) => metrics.record_error(namespace, flag),
    }
}

/// Records a boolean evaluation in the metrics.
pub fn record_boolean(
    cache: &SnapshotCache,
    namespace: &str,
    flag: &str,
    result: &Result<BooleanOutcome<'_>, EvalError>,
    started: Instant,
) {
    let metrics = cache.metrics();
    match result {
        Ok(out) => metrics.record_result(
            namespace,
            flag,
            "boolean",
            out.reason.v2().as_str_name(),
            if out.enabled { "true" } else { "false" },
            "",
            "",
            started.elapsed(),
        ),
        Err(_) => metrics.record_error(namespace, flag),
    }
}
