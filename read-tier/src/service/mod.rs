//! Use cases of the read tier, shared by REST and gRPC. Everything here is synchronous over the
//! in-process snapshots: the I/O happened when the snapshot was loaded.

pub mod evaluation;
pub mod legacy;
pub mod ofrep;
pub mod snapshot;

use std::time::Instant;

use flipt_shared::engine::{BooleanOutcome, EvalError, Flag, VariantOutcome};
use flipt_shared::Error;

use crate::cache::{Entry, SnapshotCache};
use crate::metrics::OutcomeLabels;

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

/// Records a variant evaluation of the flag at `index` in `entry`'s snapshot.
pub fn record_variant(
    cache: &SnapshotCache,
    entry: &Entry,
    index: usize,
    flag: &Flag,
    result: &Result<VariantOutcome<'_>, EvalError>,
    started: Instant,
) {
    let outcome = result.as_ref().ok().map(|out| OutcomeLabels {
        kind: "variant",
        reason: out.reason.v2().as_str_name(),
        value: out.variant_key,
        matched: if out.matched { "true" } else { "false" },
        segments: &out.segment_keys,
    });
    record(cache, entry, index, flag, outcome, started);
}

/// Records a boolean evaluation of the flag at `index` in `entry`'s snapshot.
pub fn record_boolean(
    cache: &SnapshotCache,
    entry: &Entry,
    index: usize,
    flag: &Flag,
    result: &Result<BooleanOutcome<'_>, EvalError>,
    started: Instant,
) {
    let outcome = result.as_ref().ok().map(|out| OutcomeLabels {
        kind: "boolean",
        reason: out.reason.v2().as_str_name(),
        value: if out.enabled { "true" } else { "false" },
        matched: "",
        segments: &[],
    });
    record(cache, entry, index, flag, outcome, started);
}

fn record(
    cache: &SnapshotCache,
    entry: &Entry,
    index: usize,
    flag: &Flag,
    outcome: Option<OutcomeLabels<'_>>,
    started: Instant,
) {
    let metrics = cache.metrics();
    let namespace = entry.snapshot.namespace();
    let Some(outcome) = outcome else {
        // Failures are rare: their series are looked up by label each time.
        return metrics.record_error(namespace, flag.key());
    };
    match entry.instruments(metrics, index, flag.key()) {
        Some(instruments) => metrics.record_outcome(
            instruments,
            namespace,
            flag.key(),
            &outcome,
            started.elapsed(),
        ),
        None => metrics.record_result(
            namespace,
            flag.key(),
            outcome.kind,
            outcome.reason,
            outcome.value,
            outcome.matched,
            &outcome.segments.join(","),
            started.elapsed(),
        ),
    }
}
