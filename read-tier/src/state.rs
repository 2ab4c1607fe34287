//! The read tier's shared state: the snapshot cache and what the handlers need to answer.

use std::sync::Arc;

use crate::cache::SnapshotCache;
use crate::metrics::Metrics;

/// State shared by the HTTP and gRPC adapters (also mounted by the standalone write tier).
#[derive(Clone)]
pub struct ReadState {
    pub cache: Arc<SnapshotCache>,
    /// OFREP's advertised polling interval: `Some` when the evaluation cache is enabled.
    pub ofrep_polling_ms: Option<u32>,
}

impl ReadState {
    /// The read path's instruments.
    pub fn metrics(&self) -> &Metrics {
        self.cache.metrics()
    }

    /// Prometheus text of the read path's instruments, with fresh age gauges.
    pub fn render_metrics(&self) -> String {
        self.cache.update_age_metrics();
        self.metrics().render()
    }
}
