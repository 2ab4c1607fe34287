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
