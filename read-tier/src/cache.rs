//! L1: the compiled snapshot of every namespace, in process, swapped atomically.
//!
//! Evaluation reads `get` (one atomic load and a hash lookup, no lock). Writers — the poller,
//! notifications, and the write tier in standalone mode — serialise on a mutex, obtain the rows
//! (from L2 in Redis when configured, else the database), compile them and publish a new map.
//! A snapshot is only ever replaced by a newer version of its namespace.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use actix_web::http::header::HeaderValue;
use arc_swap::ArcSwap;
use flipt_shared::snapshot::raw::RawNamespace;
use flipt_shared::snapshot::{etag_of_version, ClientVersion, Snapshot};
use flipt_shared::store::snapshot::{load_namespace, versions, Version};
use sea_orm::{DatabaseConnection, DbErr};

use crate::document::{Document, IDENTITY_LIMIT};
use crate::l2::{Lock, SharedSnapshots};
use crate::metrics::{FlagInstruments, Metrics};

/// One namespace at one version, with its client-side document rendered lazily per gate.
pub struct Entry {
    pub version: Version,
    pub snapshot: Snapshot,
    pub etag: String,
    /// `etag` as a header value, validated once (cloning it shares the bytes).
    pub etag_header: HeaderValue,
    /// The client document for each accept-version gate (see `gate`).
    documents: [OnceLock<Arc<Document>>; 3],
    /// Each flag's metric instruments, by position in the snapshot, looked up on first use.
    instruments: Box<[OnceLock<Box<FlagInstruments>>]>,
}

/// Which of the three document variants a client version gets: before entity-id constraints,
/// before default variants, or everything.
fn gate(accept: &ClientVersion) -> usize {
    if !accept.supports_entity_id_constraints() {
        0
    } else if !accept.supports_default_variants() {
        1
    } else {
        2
    }
}

impl Entry {
    fn new(version: Version, snapshot: Snapshot) -> Self {
        // The namespace's creation time is part of the ETag: a namespace deleted and created
        // again starts its revisions over, and a client must not get a 304 for the old one.
        let etag = etag_of_version(&format!(
            "{}@{}.{:09}@{}",
            snapshot.namespace(),
            version.created_at.0,
            version.created_at.1,
            version.revision
        ));
        let instruments = (0..snapshot.len()).map(|_| OnceLock::new()).collect();
        // The ETag is hex digits, always a valid header value.
        let etag_header =
            HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static(""));
        Entry {
            version,
            snapshot,
            etag,
            etag_header,
            documents: Default::default(),
            instruments,
        }
    }

    /// The metric instruments of the flag at `index` in the snapshot (`None` for an index the
    /// snapshot does not have).
    pub fn instruments(
        &self,
        metrics: &Metrics,
        index: usize,
        flag_key: &str,
    ) -> Option<&FlagInstruments> {
        let slot = self.instruments.get(index)?;
        Some(slot.get_or_init(|| {
            Box::new(metrics.flag_instruments(self.snapshot.namespace(), flag_key))
        }))
    }

    /// The client-side snapshot document, rendered once per gate and version.
    pub fn document(&self, accept: &ClientVersion) -> Arc<Document> {
        self.documents[gate(accept)]
            .get_or_init(|| {
                let namespace = self.snapshot.namespace();
                let doc = self.snapshot.client_document_lazy(namespace, *accept);
                let rendered = Document::render(&doc, IDENTITY_LIMIT).unwrap_or_else(|err| {
                    // Not expected: serializing into memory does not fail.
                    tracing::error!(namespace, error = %err, "rendering the snapshot document failed");
                    Document::text(bytes::Bytes::new())
                });
                Arc::new(rendered)
            })
            .clone()
    }
}

/// Namespace key → entry (foldhash: keys are the database's namespaces, requests only look up).
type Map = foldhash::HashMap<String, Arc<Entry>>;

/// The in-process snapshots of every namespace the database holds.
pub struct SnapshotCache {
    db: DatabaseConnection,
    l2: Option<SharedSnapshots>,
    metrics: Metrics,
    entries: ArcSwap<Map>,
    ready: AtomicBool,
    /// When every namespace's version was last checked successfully.
    last_sync: Mutex<Option<Instant>>,
    writer: tokio::sync::Mutex<()>,
}

impl SnapshotCache {
    /// An empty cache over `db` (a replica, or the primary in standalone mode), with an
    /// optional shared L2.
    pub fn new(db: DatabaseConnection, l2: Option<SharedSnapshots>, metrics: Metrics) -> Self {
        SnapshotCache {
            db,
            l2,
            metrics,
            entries: ArcSwap::from_pointee(Map::default()),
            ready: AtomicBool::new(false),
            last_sync: Mutex::new(None),
            writer: tokio::sync::Mutex::new(()),
        }
    }

    /// The current snapshot of a namespace.
    pub fn get(&self, namespace: &str) -> Option<Arc<Entry>> {
        self.entries.load().get(namespace).cloned()
    }

    /// Every namespace's served version.
    pub fn versions(&self) -> Vec<(String, Version)> {
        self.entries
            .load()
            .iter()
            .map(|(k, e)| (k.clone(), e.version))
            .collect()
    }

    /// Whether a first full load has succeeded.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Seconds since the last successful check of every namespace's version.
    pub fn sync_age(&self) -> Option<Duration> {
        self.last_sync
            .lock()
            .ok()
            .and_then(|t| t.map(|t| t.elapsed()))
    }

    /// The process's read-path instruments.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The L2 store, if Redis is configured.
    pub fn l2(&self) -> Option<&SharedSnapshots> {
        self.l2.as_ref()
    }

    /// Polls every namespace's version and rebuilds the ones that changed; drops namespaces
    /// that no longer exist. Returns how many snapshots were replaced.
    pub async fn sync(&self) -> Result<usize, DbErr> {
        let _guard = self.writer.lock().await;
        let current = versions(&self.db).await.inspect_err(|_| {
            self.metrics.database_errors.inc();
        })?;
        let old = self.entries.load_full();
        let mut next = Map::with_capacity_and_hasher(current.len(), Default::default());
        let mut replaced = 0;
        for (key, version) in current {
            let existing = old.get(&key);
            match existing {
                Some(entry) if entry.version >= version => {
                    self.metrics.cache_hits.with_label_values(&["l1"]).inc();
                    next.insert(key, entry.clone());
                }
                _ => {
                    self.metrics.cache_misses.with_label_values(&["l1"]).inc();
                    if let Some(entry) = self.build(&key, existing, Some(version)).await? {
                        if existing.is_none_or(|e| !Arc::ptr_eq(e, &entry)) {
                            replaced += 1;
                        }
                        next.insert(key, entry);
                    }
                }
            }
        }
        self.publish(next);
        if let Ok(mut last) = self.last_sync.lock() {
            *last = Some(Instant::now());
        }
        self.ready.store(true, Ordering::Release);
        Ok(replaced)
    }

    /// Reloads one namespace from the database now (standalone mode calls this after each
    /// commit, so the next evaluation sees the write).
    ///
    /// With `written`, the version the caller's commit produced, nothing is reloaded when the
    /// snapshot is already at least that new: when several writes to one namespace commit at
    /// once, the first reload after them covers them all instead of each paying a full build.
    pub async fn refresh(&self, namespace: &str, written: Option<Version>) -> Result<(), DbErr> {
        let _guard = self.writer.lock().await;
        let old = self.entries.load_full();
        if let (Some(written), Some(current)) = (written, old.get(namespace)) {
            if current.version >= written {
                return Ok(());
            }
        }
        let built = self.build(namespace, old.get(namespace), None).await?;
        let mut next: Map = (*old).clone();
        match built {
            Some(entry) => {
                next.insert(namespace.to_owned(), entry);
            }
            None => {
                next.remove(namespace);
            }
        }
        self.publish(next);
        Ok(())
    }

    fn publish(&self, next: Map) {
        for (key, entry) in &next {
            self.metrics
                .snapshot_revision
                .with_label_values(&[key])
                .set(entry.version.revision as f64);
        }
        self.entries.store(Arc::new(next));
    }

    /// Obtains the rows of `namespace` (L2 when `target` is known and Redis is configured,
    /// else the database) and compiles them. Keeps `current` when the source holds an older
    /// version (a lagging replica); `None` when the namespace is gone.
    async fn build(
        &self,
        namespace: &str,
        current: Option<&Arc<Entry>>,
        target: Option<Version>,
    ) -> Result<Option<Arc<Entry>>, DbErr> {
        if let (Some(l2), Some(target)) = (&self.l2, target) {
            if let Some(raw) = l2.get(namespace, &target).await {
                self.metrics.cache_hits.with_label_values(&["l2"]).inc();
                return Ok(Some(self.install(current, target, raw, "l2")));
            }
            self.metrics.cache_misses.with_label_values(&["l2"]).inc();
            let lock = if l2.is_failing() {
                Lock::Unavailable
            } else {
                l2.lock(namespace, &target).await
            };
            match lock {
                Lock::Acquired(token) => {
                    // Another instance may have stored it and released its lock between our
                    // miss and our lock: check again, so the database builds it only once.
                    if let Some(raw) = l2.get(namespace, &target).await {
                        l2.unlock(namespace, &target, &token).await;
                        self.metrics.cache_hits.with_label_values(&["l2"]).inc();
                        return Ok(Some(self.install(current, target, raw, "l2")));
                    }
                    let loaded = self.load(namespace).await;
                    if let Ok(Some((version, raw))) = &loaded {
                        l2.put(namespace, version, raw).await;
                    }
                    l2.unlock(namespace, &target, &token).await;
                    return Ok(loaded?.map(|(v, raw)| self.install(current, v, raw, "database")));
                }
                Lock::Busy => {
                    if let Some(raw) = l2.wait_for(namespace, &target).await {
                        self.metrics.cache_hits.with_label_values(&["l2"]).inc();
                        return Ok(Some(self.install(current, target, raw, "l2")));
                    }
                }
                Lock::Unavailable => {}
            }
        }
        let loaded = self.load(namespace).await?;
        Ok(loaded.map(|(v, raw)| self.install(current, v, raw, "database")))
    }

    async fn load(&self, namespace: &str) -> Result<Option<(Version, RawNamespace)>, DbErr> {
        load_namespace(&self.db, namespace).await.inspect_err(|_| {
            self.metrics.database_errors.inc();
        })
    }

    /// Compiles `raw` unless `current` is already as new.
    fn install(
        &self,
        current: Option<&Arc<Entry>>,
        version: Version,
        raw: RawNamespace,
        source: &str,
    ) -> Arc<Entry> {
        if let Some(entry) = current {
            if entry.version >= version {
                return entry.clone();
            }
        }
        if let Some((secs, nanos)) = raw.modified_at {
            let written = chrono::DateTime::from_timestamp(secs, nanos.max(0) as u32);
            if let Some(written) = written {
                let lag = (chrono::Utc::now() - written).to_std().unwrap_or_default();
                self.metrics.propagation_lag.observe(lag.as_secs_f64());
            }
        }
        let namespace = raw.key.clone();
        let snapshot = Snapshot::build(raw);
        self.metrics
            .snapshot_builds
            .with_label_values(&[source])
            .inc();
        tracing::debug!(
            namespace,
            revision = version.revision,
            source,
            "snapshot built"
        );
        Arc::new(Entry::new(version, snapshot))
    }

    /// Polls for changes every `interval` until `stop` resolves. Failures are logged once and
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

    /// Refreshes the age gauges (called when metrics are scraped).
    pub fn update_age_metrics(&self) {
        let age = self.sync_age().map(|d| d.as_secs_f64()).unwrap_or(f64::NAN);
        self.metrics.last_sync_age.set(age);
        for (key, _) in self.versions() {
            self.metrics
                .snapshot_age
                .with_label_values(&[&key])
                .set(age);
        }
    }
}
