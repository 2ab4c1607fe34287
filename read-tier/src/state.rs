//! The read tier's shared state: the snapshot cache and what the handlers need to answer.

use std::sync::Arc;

use crate::cache::SnapshotCache;

/// State shared by the HTTP and gRPC adapters (also mounted by the standalone write tier).
#[derive(Clone)]
pub struct ReadState {
    pub cache: Arc<SnapshotCache>,
    /// OFREP's advertised polling interval: `Some` when the evaluation cache is enabled.
    pub ofrep_polling_ms: Option<u32>,
}
