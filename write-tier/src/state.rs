//! The write tier's shared state, built once at start-up and cloned into both transports.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use sea_orm::DatabaseConnection;

/// Everything a request needs: the primary database and the process's serving state.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    /// `storage.read_only`: every management mutation is refused.
    pub read_only: bool,
    pub health: Health,
    /// The evaluation surfaces mounted in this process (`server.role: all`).
    pub reader: Option<flipt_read::state::ReadState>,
    /// Where commits are announced to read instances (`cache.invalidation.publish`).
    pub notifier: Option<Notifier>,
    /// What the Meta API reports.
    pub meta: Arc<crate::service::meta::Meta>,
    /// The process's instruments (the evaluation ones when `reader` is mounted).
    pub metrics: flipt_read::metrics::Metrics,
}

/// Publishes `{namespace, revision}` on Redis after commits.
#[derive(Clone)]
pub struct Notifier {
    pub redis: flipt_shared::cache::RedisHandle,
    pub channel: String,
}

/// Whether the process is serving; flips to not-serving when shutdown begins.
#[derive(Clone, Default)]
pub struct Health(Arc<AtomicBool>);

impl Health {
    /// Marks the process as serving or not.
    pub fn set_serving(&self, serving: bool) {
        self.0.store(serving, Ordering::SeqCst);
    }

    /// Whether the process is serving.
    pub fn is_serving(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
