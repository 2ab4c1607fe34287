//! L1: the compiled snapshot of every namespace, in process, swapped atomically.
//!
//! Evaluation reads `get` (one atomic load and a hash lookup, no lock). Writers — the poller,
//! and the write tier in standalone mode — serialise on a mutex, build the new snapshot, and
//! publish a new map. A snapshot is only ever replaced by a newer version of its namespace.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use arc_swap::ArcSwap;
use bytes::Bytes;
use flipt_shared::snapshot::{ClientVersion, Snapshot};
use flipt_shared::store::snapshot::{load_namespace, versions, Version};
use sea_orm::{DatabaseConnection, DbErr};

/// One namespace at one version, with its client-side document rendered lazily per gate.
pub struct Entry {
    pub version: Version,
    pub snapshot: Snapshot,
    pub etag: String,
    /// The client document for each accept-version gate (see `gate`).
    documents: [OnceLock<Bytes>; 3],
}

/// Which of the three document variants a client version gets: before entity-id constraints
/// (< 1.38.0), before default variants (< 1.47.0), or everything.
fn gate(accept: &ClientVersion) -> usize {
    if *accept < ClientVersion::new(1, 38, 0) {
        0
    } else if *accept < ClientVersion::new(1, 47, 0) {
        1
    } else {
        2
    }
}

impl Entry {
    fn new(version: Version, snapshot: Snapshot) -> Self {
        let etag = snapshot.etag();
        Entry {
            version,
            snapshot,
            etag,
            documents: Default::default(),
        }
    }

    /// The client-side snapshot document as JSON, rendered once per gate and version.
    pub fn document(&self, accept: &ClientVersion) -> Bytes {
        self.documents[gate(accept)]
            .get_or_init(|| {
                let doc = self
                    .snapshot
                    .client_document(self.snapshot.namespace(), *accept);
                Bytes::from(flipt_proto::json::to_vec(&doc).unwrap_or_default())
            })
            .clone()
    }
}

type Map = HashMap<String, Arc<Entry>>;

/// The in-process snapshots of every namespace the database holds.
pub struct SnapshotCache {
    db: DatabaseConnection,
    entries: ArcSwap<Map>,
    ready: AtomicBool,
    writer: tokio::sync::Mutex<()>,
}

impl SnapshotCache {
    /// An empty cache over `db` (a replica, or the primary in standalone mode).
    pub fn new(db: DatabaseConnection) -> Self {
        SnapshotCache {
            db,
            entries: ArcSwap::from_pointee(HashMap::new()),
            ready: AtomicBool::new(false),
            writer: tokio::sync::Mutex::new(()),
        }
    }

    /// The current snapshot of a namespace.
    pub fn get(&self, namespace: &str) -> Option<Arc<Entry>> {
        self.entries.load().get(namespace).cloned()
    }

    /// Whether a first full load has succeeded.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Polls every namespace's version and rebuilds the ones that changed; drops namespaces
    /// that no longer exist. Returns how many snapshots were rebuilt.
    pub async fn sync(&self) -> Result<usize, DbErr> {
        let _guard = self.writer.lock().await;
        let current = versions(&self.db).await?;
        let old = self.entries.load_full();
        let mut next: Map = HashMap::with_capacity(current.len());
        let mut rebuilt = 0;
        for (key, version) in current {
            match old.get(&key) {
                Some(entry) if entry.version >= version => {
                    next.insert(key, entry.clone());
                }
                _ => {
                    if let Some(entry) = self.build(&key, old.get(&key)).await? {
                        next.insert(key, entry);
                        rebuilt += 1;
                    }
                }
            }
        }
        self.entries.store(Arc::new(next));
        self.ready.store(true, Ordering::Release);
        Ok(rebuilt)
    }

    /// Reloads one namespace now (standalone mode calls this after each commit).
    pub async fn refresh(&self, namespace: &str) -> Result<(), DbErr> {
        let _guard = self.writer.lock().await;
        let old = self.entries.load_full();
        let built = self.build(namespace, old.get(namespace)).await?;
        let mut next: Map = (*old).clone();
        match built {
            Some(entry) => {
                next.insert(namespace.to_owned(), entry);
            }
            None => {
                next.remove(namespace);
            }
        }
        self.entries.store(Arc::new(next));
        Ok(())
    }

    /// Loads and compiles a namespace; keeps `current` when the database holds an older
    /// version (a lagging replica), and returns `None` when the namespace is gone.
    async fn build(
        &self,
        namespace: &str,
        current: Option<&Arc<Entry>>,
    ) -> Result<Option<Arc<Entry>>, DbErr> {
        let Some((version, raw)) = load_namespace(&self.db, namespace).await? else {
            return Ok(None);
        };
        if let Some(entry) = current {
            if entry.version >= version {
                return Ok(Some(entry.clone()));
            }
        }
        let snapshot = Snapshot::build(raw);
        tracing::debug!(namespace, revision = version.revision, "snapshot built");
        Ok(Some(Arc::new(Entry::new(version, snapshot))))
    }

    /// Polls for changes every `interval` until `stop` resolves. Failures are logged and
    /// retried at the next tick; the last snapshots keep serving.
    pub async fn poll(
        self: Arc<Self>,
        interval: Duration,
        stop: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(stop);
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failing = false;
        loop {
            tokio::select! {
                _ = &mut stop => return,
                _ = ticker.tick() => {}
            }
            match self.sync().await {
                Ok(_) if failing => {
                    failing = false;
                    tracing::info!("snapshot polling recovered");
                }
                Ok(_) => {}
                Err(err) if !failing => {
                    failing = true;
                    tracing::warn!(error = %err, "snapshot polling failed; serving the last snapshots");
                }
                Err(_) => {}
            }
        }
    }
}
