//! Prometheus metrics of the evaluating process, with Flipt's names where Flipt has them
//! (operations.md §4.2). One registry per process state, so tests can run several instances.

use std::sync::RwLock;
use std::time::Duration;

use prometheus::{
    Encoder, Gauge, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec,
    Opts, Registry, TextEncoder,
};

/// OpenTelemetry's default histogram buckets, which Flipt's latency histogram uses (ms).
const LATENCY_BUCKETS_MS: &[f64] = &[
    0.0, 5.0, 10.0, 25.0, 50.0, 75.0, 100.0, 250.0, 500.0, 750.0, 1000.0, 2500.0, 5000.0, 7500.0,
    10000.0,
];

/// Buckets of the propagation lag (seconds).
const LAG_BUCKETS_S: &[f64] = &[0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0];

/// The labels of one evaluation outcome in `flipt_evaluations_results_total` (besides
/// namespace and flag).
pub struct OutcomeLabels<'a> {
    /// `variant` or `boolean`.
    pub kind: &'static str,
    /// The v2 reason's name.
    pub reason: &'static str,
    /// The variant key, or `true`/`false` for a boolean flag.
    pub value: &'a str,
    /// `true`/`false` for a variant flag, `""` for a boolean flag.
    pub matched: &'static str,
    /// The matched segment keys (the label joins them with commas).
    pub segments: &'a [&'a str],
}

/// The instruments of one flag, looked up once per snapshot and flag: finding a labelled
/// series hashes every label value, which costs more than evaluating the flag.
pub struct FlagInstruments {
    requests: IntCounter,
    latency: Histogram,
    /// Result series seen so far (a flag has few distinct outcomes).
    results: RwLock<Vec<ResultSeries>>,
}

struct ResultSeries {
    kind: &'static str,
    reason: &'static str,
    value: String,
    matched: &'static str,
    segments: Vec<String>,
    counter: IntCounter,
}

impl ResultSeries {
    fn matches(&self, o: &OutcomeLabels<'_>) -> bool {
        self.kind == o.kind
            && self.reason == o.reason
            && self.matched == o.matched
            && self.value == o.value
            && self.segments.len() == o.segments.len()
            && self.segments.iter().zip(o.segments).all(|(a, b)| a == b)
    }
}

/// The read path's instruments.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    pub evaluation_requests: IntCounterVec,
    pub evaluation_results: IntCounterVec,
    pub evaluation_errors: IntCounterVec,
    pub evaluation_latency: HistogramVec,
    pub cache_hits: IntCounterVec,
    pub cache_misses: IntCounterVec,
    pub cache_errors: IntCounterVec,
    pub snapshot_builds: IntCounterVec,
    pub snapshot_revision: GaugeVec,
    pub snapshot_age: GaugeVec,
    pub database_errors: IntCounter,
    pub propagation_lag: Histogram,
    pub last_sync_age: Gauge,
}

fn counter(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    let c = IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric");
    registry
        .register(Box::new(c.clone()))
        .expect("unique metric");
    c
}

fn gauge(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> GaugeVec {
    let g = GaugeVec::new(Opts::new(name, help), labels).expect("valid metric");
    registry
        .register(Box::new(g.clone()))
        .expect("unique metric");
    g
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Creates and registers every instrument.
    #[allow(clippy::expect_used)] // metric definitions are static: a failure is a programming error
    pub fn new() -> Self {
        let registry = Registry::new();
        // Process figures (resident memory, CPU, file descriptors), as Flipt's Go runtime exports.
        registry
            .register(Box::new(
                prometheus::process_collector::ProcessCollector::for_self(),
            ))
            .expect("unique metric");
        let evaluation_latency = HistogramVec::new(
            HistogramOpts::new(
                "flipt_evaluations_latency_milliseconds",
                "Latency of flag evaluations in milliseconds",
            )
            .buckets(LATENCY_BUCKETS_MS.to_vec()),
            &["namespace", "flag"],
        )
        .expect("valid metric");
        registry
            .register(Box::new(evaluation_latency.clone()))
            .expect("unique metric");
        let propagation_lag = Histogram::with_opts(
            HistogramOpts::new(
                "flipt_snapshot_propagation_lag_seconds",
                "Time from a namespace's last write to its snapshot being served here",
            )
            .buckets(LAG_BUCKETS_S.to_vec()),
        )
        .expect("valid metric");
        registry
            .register(Box::new(propagation_lag.clone()))
            .expect("unique metric");
        let database_errors = IntCounter::new(
            "flipt_database_errors_total",
            "Failed queries against the database snapshots are read from",
        )
        .expect("valid metric");
        registry
            .register(Box::new(database_errors.clone()))
            .expect("unique metric");
        let last_sync_age = Gauge::new(
            "flipt_snapshot_sync_age_seconds",
            "Seconds since the last successful check of every namespace's revision",
        )
        .expect("valid metric");
        registry
            .register(Box::new(last_sync_age.clone()))
            .expect("unique metric");
        Metrics {
            evaluation_requests: counter(
                &registry,
                "flipt_evaluations_requests_total",
                "Flag evaluations attempted",
                &["namespace", "flag"],
            ),
            evaluation_results: counter(
                &registry,
                "flipt_evaluations_results_total",
                "Flag evaluations by outcome",
                &[
                    "namespace",
                    "flag",
                    "type",
                    "reason",
                    "value",
                    "match",
                    "segment",
                ],
            ),
            evaluation_errors: counter(
                &registry,
                "flipt_evaluations_errors_total",
                "Flag evaluations that failed",
                &["namespace", "flag"],
            ),
            evaluation_latency,
            cache_hits: counter(
                &registry,
                "flipt_cache_hit_total",
                "Snapshot cache hits by layer (l1 in process, l2 Redis)",
                &["cache"],
            ),
            cache_misses: counter(
                &registry,
                "flipt_cache_miss_total",
                "Snapshot cache misses by layer",
                &["cache"],
            ),
            cache_errors: counter(
                &registry,
                "flipt_cache_error_total",
                "Snapshot cache failures by layer (Redis unreachable, bad entry)",
                &["cache"],
            ),
            snapshot_builds: counter(
                &registry,
                "flipt_snapshot_builds_total",
                "Snapshots built, by where their rows came from (database or l2)",
                &["source"],
            ),
            snapshot_revision: gauge(
                &registry,
                "flipt_snapshot_revision",
                "Revision of the snapshot served per namespace",
                &["namespace"],
            ),
            snapshot_age: gauge(
                &registry,
                "flipt_snapshot_age_seconds",
                "Seconds since each namespace's snapshot was last confirmed current",
                &["namespace"],
            ),
            database_errors,
            propagation_lag,
            last_sync_age,
            registry,
        }
    }

    /// Looks up the instruments of one flag, for [`Metrics::record_outcome`].
    pub fn flag_instruments(&self, namespace: &str, flag: &str) -> FlagInstruments {
        FlagInstruments {
            requests: self
                .evaluation_requests
                .with_label_values(&[namespace, flag]),
            latency: self
                .evaluation_latency
                .with_label_values(&[namespace, flag]),
            results: RwLock::new(Vec::new()),
        }
    }

    /// Records one evaluation outcome of a flag whose instruments were looked up once: the
    /// same series as [`Metrics::record_result`], without hashing the labels again.
    pub fn record_outcome(
        &self,
        flag: &FlagInstruments,
        namespace: &str,
        flag_key: &str,
        outcome: &OutcomeLabels<'_>,
        elapsed: Duration,
    ) {
        flag.requests.inc();
        self.result_counter(flag, namespace, flag_key, outcome)
            .inc();
        flag.latency.observe(elapsed.as_secs_f64() * 1000.0);
    }

    fn result_counter(
        &self,
        flag: &FlagInstruments,
        namespace: &str,
        flag_key: &str,
        outcome: &OutcomeLabels<'_>,
    ) -> IntCounter {
        let find = |series: &[ResultSeries]| {
            series
                .iter()
                .find(|s| s.matches(outcome))
                .map(|s| s.counter.clone())
        };
        if let Some(counter) = flag.results.read().ok().and_then(|r| find(&r)) {
            return counter;
        }
        let segment = outcome.segments.join(",");
        let counter = self.evaluation_results.with_label_values(&[
            namespace,
            flag_key,
            outcome.kind,
            outcome.reason,
            outcome.value,
            outcome.matched,
            &segment,
        ]);
        if let Ok(mut series) = flag.results.write() {
            if find(&series).is_none() {
                series.push(ResultSeries {
                    kind: outcome.kind,
                    reason: outcome.reason,
                    value: outcome.value.to_owned(),
                    matched: outcome.matched,
                    segments: outcome.segments.iter().map(|k| (*k).to_owned()).collect(),
                    counter: counter.clone(),
                });
            }
        }
        counter
    }

    /// Records one evaluation outcome.
    #[allow(clippy::too_many_arguments)]
    pub fn record_result(
        &self,
        namespace: &str,
        flag: &str,
        kind: &str,
        reason: &str,
        value: &str,
        matched: &str,
        segment: &str,
        elapsed: Duration,
    ) {
        self.evaluation_requests
            .with_label_values(&[namespace, flag])
            .inc();
        self.evaluation_results
            .with_label_values(&[namespace, flag, kind, reason, value, matched, segment])
            .inc();
        self.evaluation_latency
            .with_label_values(&[namespace, flag])
            .observe(elapsed.as_secs_f64() * 1000.0);
    }

    /// Records a failed evaluation of a flag that exists.
    pub fn record_error(&self, namespace: &str, flag: &str) {
        self.evaluation_requests
            .with_label_values(&[namespace, flag])
            .inc();
        self.evaluation_errors
            .with_label_values(&[namespace, flag])
            .inc();
    }

    /// The current value of a labelled counter (tests and diagnostics).
    pub fn count(&self, counter: &IntCounterVec, labels: &[&str]) -> u64 {
        counter.with_label_values(labels).get()
    }

    /// Prometheus text exposition of every instrument.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        let encoder = TextEncoder::new();
        if encoder.encode(&self.registry.gather(), &mut buf).is_err() {
            return String::new();
        }
        String::from_utf8(buf).unwrap_or_default()
    }
}
