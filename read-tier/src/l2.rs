//! L2: snapshots shared by every read instance through Redis, keyed by namespace and version.
//!
//! When an instance needs a version Redis lacks, one instance builds it (a `SET NX` lock with an
//! expiry) while the others wait a bounded time for the entry, then build themselves. Every
//! Redis failure is a miss: the caller goes to the database, and the first failure in a row is
//! logged once.
//!
//! The same code serves a single Redis and a Redis Cluster ([`RedisHandle`]): every command here
//! touches one key (the lock's compare-and-delete script included), so none spans hash slots.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use flipt_shared::cache::{RedisHandle, RedisSettings};
use flipt_shared::snapshot::raw::RawNamespace;
use flipt_shared::store::snapshot::Version;

use crate::metrics::Metrics;

/// How long a build lock lives (a crashed builder releases it by expiry).
const LOCK_TTL: Duration = Duration::from_secs(10);
/// How often a waiting instance looks for the entry another instance is building.
const WAIT_STEP: Duration = Duration::from_millis(25);

/// The outcome of trying to become the builder of one version.
pub enum Lock {
    /// This instance builds; release with the token.
    Acquired(String),
    /// Another instance is building.
    Busy,
    /// Redis did not answer.
    Unavailable,
}

/// The shared snapshot store.
pub struct SharedSnapshots {
    redis: RedisHandle,
    settings: RedisSettings,
    /// How long to wait for another instance's build before building here.
    wait: Duration,
    failing: AtomicBool,
    metrics: Metrics,
}

fn version_tag(version: &Version) -> String {
    format!(
        "{}.{:09}:{}",
        version.created_at.0, version.created_at.1, version.revision
    )
}

impl SharedSnapshots {
    /// A store over a lazily connecting handle (one server or a cluster).
    pub fn new(settings: RedisSettings, wait: Duration, metrics: Metrics) -> Result<Self, String> {
        let redis = settings.handle().map_err(|e| e.to_string())?;
        Ok(SharedSnapshots {
            redis,
            settings,
            wait,
            failing: AtomicBool::new(false),
            metrics,
        })
    }

    /// Whether the last Redis operation failed (then builds skip the lock and go straight to
    /// the database instead of waiting out another connect timeout).
    pub fn is_failing(&self) -> bool {
        self.failing.load(Ordering::Relaxed)
    }

    /// The connection settings (the subscriber opens its own connection).
    pub fn settings(&self) -> &RedisSettings {
        &self.settings
    }

    fn failed(&self, what: &str, err: &dyn std::fmt::Display) {
        self.metrics.cache_errors.with_label_values(&["l2"]).inc();
        if !self.failing.swap(true, Ordering::Relaxed) {
            tracing::warn!(error = %err, operation = what, "redis unavailable; building snapshots from the database");
        }
    }

    fn recovered(&self) {
        if self.failing.swap(false, Ordering::Relaxed) {
            tracing::info!("redis available again");
        }
    }

    /// The stored rows of `namespace` at `version`, if Redis has them.
    pub async fn get(&self, namespace: &str, version: &Version) -> Option<RawNamespace> {
        let key = self.settings.snapshot_key(namespace, &version_tag(version));
        let mut conn = match self.redis.connection().await {
            Ok(conn) => conn,
            Err(err) => {
                self.failed("get", &err);
                return None;
            }
        };
        let bytes: Option<Vec<u8>> = match redis::cmd("GET").arg(&key).query_async(&mut conn).await
        {
            Ok(v) => v,
            Err(err) => {
                self.failed("get", &err);
                return None;
            }
        };
        self.recovered();
        let bytes = bytes?;
        match serde_json::from_slice(&bytes) {
            Ok(raw) => Some(raw),
            Err(err) => {
                self.metrics.cache_errors.with_label_values(&["l2"]).inc();
                tracing::warn!(namespace, error = %err, "unreadable snapshot in redis; ignoring it");
                None
            }
        }
    }

    /// Stores the rows of `namespace` at `version` with the configured TTL.
    pub async fn put(&self, namespace: &str, version: &Version, raw: &RawNamespace) {
        let key = self.settings.snapshot_key(namespace, &version_tag(version));
        let Ok(bytes) = serde_json::to_vec(raw) else {
            return;
        };
        let mut conn = match self.redis.connection().await {
            Ok(conn) => conn,
            Err(err) => return self.failed("put", &err),
        };
        let ttl_ms = self.settings.ttl.as_millis().max(1) as u64;
        let res: Result<(), _> = redis::cmd("SET")
            .arg(&key)
            .arg(bytes)
            .arg("PX")
            .arg(ttl_ms)
            .query_async(&mut conn)
            .await;
        match res {
            Ok(()) => self.recovered(),
            Err(err) => self.failed("put", &err),
        }
    }

    /// Tries to become the one instance that builds `namespace` at `version`.
    pub async fn lock(&self, namespace: &str, version: &Version) -> Lock {
        let key = self.settings.lock_key(namespace, &version_tag(version));
        let token = uuid::Uuid::new_v4().to_string();
        let mut conn = match self.redis.connection().await {
            Ok(conn) => conn,
            Err(err) => {
                self.failed("lock", &err);
                return Lock::Unavailable;
            }
        };
        let res: Result<Option<String>, _> = redis::cmd("SET")
            .arg(&key)
            .arg(&token)
            .arg("NX")
            .arg("PX")
            .arg(LOCK_TTL.as_millis() as u64)
            .query_async(&mut conn)
            .await;
        match res {
            Ok(Some(_)) => Lock::Acquired(token),
            Ok(None) => Lock::Busy,
            Err(err) => {
                self.failed("lock", &err);
                Lock::Unavailable
            }
        }
    }

    /// Releases a build lock if this instance still holds it.
    pub async fn unlock(&self, namespace: &str, version: &Version, token: &str) {
        let key = self.settings.lock_key(namespace, &version_tag(version));
        let Ok(mut conn) = self.redis.connection().await else {
            return;
        };
        // Compare-and-delete, so an expired lock taken over by another instance survives.
        let script = redis::Script::new(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
        );
        let _: Result<i64, _> = script.key(&key).arg(token).invoke_async(&mut conn).await;
    }

    /// Waits up to the configured bound for another instance's build of `version`.
    pub async fn wait_for(&self, namespace: &str, version: &Version) -> Option<RawNamespace> {
        let deadline = tokio::time::Instant::now() + self.wait;
        while tokio::time::Instant::now() < deadline {
            tokio::time::sleep(WAIT_STEP).await;
            if let Some(raw) = self.get(namespace, version).await {
                return Some(raw);
            }
            if self.failing.load(Ordering::Relaxed) {
                return None;
            }
        }
        None
    }
}
