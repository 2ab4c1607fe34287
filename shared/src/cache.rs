//! The shared Redis cache: connection settings from Flipt's `cache.redis.*` keys, the bb8 pool,
//! versioned keys, and the invalidation notifications the write tier publishes.
//!
//! Redis is an accelerator everywhere: callers treat every error here as a miss.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::{CacheBackend, CacheConfig, RedisMode};

/// A pool of Redis connections.
pub type RedisPool = bb8::Pool<RedisManager>;

/// Opens pooled connections from a client that carries the TLS settings (a custom CA cannot
/// be expressed in a URL, so the pool is built from a client rather than a URL).
#[derive(Clone, Debug)]
pub struct RedisManager {
    client: redis::Client,
}

impl bb8::ManageConnection for RedisManager {
    type Connection = redis::aio::MultiplexedConnection;
    type Error = redis::RedisError;

    async fn connect(&self) -> Result<Self::Connection, Self::Error> {
        self.client.get_multiplexed_async_connection().await
    }

    async fn is_valid(&self, conn: &mut Self::Connection) -> Result<(), Self::Error> {
        redis::cmd("PING")
            .query_async::<String>(conn)
            .await
            .map(|_| ())
    }

    fn has_broken(&self, _: &mut Self::Connection) -> bool {
        false
    }
}

/// Everything needed to talk to Redis, resolved from the configuration.
#[derive(Clone)]
pub struct RedisSettings {
    /// `redis://` or `rediss://` URL (credentials included; never logged).
    pub url: String,
    /// Key prefix (`flipt` when unset).
    pub prefix: String,
    pub pool_size: u32,
    pub min_idle: u32,
    /// Time to get a connection (also the dial timeout).
    pub connect_timeout: Duration,
    pub idle_timeout: Option<Duration>,
    /// How long a stored snapshot lives.
    pub ttl: Duration,
    /// The invalidation channel.
    pub channel: String,
    /// PEM CA certificate(s) to trust instead of the built-in roots (`ca_cert_path` or
    /// `ca_cert_bytes`).
    pub ca_cert: Option<Vec<u8>>,
}

impl std::fmt::Debug for RedisSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisSettings")
            .field("url", &crate::config::redact_url(&self.url))
            .field("prefix", &self.prefix)
            .field("pool_size", &self.pool_size)
            .field("ttl", &self.ttl)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

impl RedisSettings {
    /// Settings when the configuration selects the Redis cache (`cache.enabled` and
    /// `cache.backend: redis`), else `None`.
    pub fn from_config(cache: &CacheConfig) -> Result<Option<Self>, String> {
        if !cache.enabled || cache.backend != CacheBackend::Redis {
            return Ok(None);
        }
        Self::connection(cache).map(Some)
    }

    /// Settings from `cache.redis.*` regardless of `cache.enabled` (the write tier publishes
    /// notifications without caching anything).
    pub fn connection(cache: &CacheConfig) -> Result<Self, String> {
        let redis = &cache.redis;
        if redis.mode == RedisMode::Cluster {
            return Err("cache.redis.mode: cluster is not supported yet; use single".to_owned());
        }
        let url = if !redis.url.trim().is_empty() {
            redis.url.trim().to_owned()
        } else {
            let scheme = if redis.require_tls { "rediss" } else { "redis" };
            let auth = match (redis.username.is_empty(), redis.password.is_empty()) {
                (true, true) => String::new(),
                (true, false) => format!(":{}@", encode(redis.password.expose())),
                (false, _) => format!(
                    "{}:{}@",
                    encode(&redis.username),
                    encode(redis.password.expose())
                ),
            };
            let insecure = if redis.require_tls && redis.insecure_skip_tls {
                "#insecure"
            } else {
                ""
            };
            format!(
                "{scheme}://{auth}{}:{}/{}{insecure}",
                redis.host, redis.port, redis.db
            )
        };
        let ca_cert = match (redis.ca_cert_path.trim(), redis.ca_cert_bytes.trim()) {
            ("", "") => None,
            ("", pem) => Some(pem.as_bytes().to_vec()),
            (path, "") => Some(
                std::fs::read(path)
                    .map_err(|e| format!("cache.redis.ca_cert_path: cannot read {path:?}: {e}"))?,
            ),
            _ => {
                return Err(
                    "cache.redis.ca_cert_path and cache.redis.ca_cert_bytes are mutually exclusive"
                        .to_owned(),
                )
            }
        };
        let net = redis.net_timeout.unwrap_or(Duration::from_millis(500));
        Ok(RedisSettings {
            url,
            prefix: redis.effective_prefix().to_owned(),
            pool_size: if redis.pool_size == 0 {
                16
            } else {
                redis.pool_size
            },
            min_idle: redis.min_idle_conn,
            connect_timeout: net,
            idle_timeout: redis.conn_max_idle_time,
            ttl: if cache.ttl.is_zero() {
                Duration::from_secs(60)
            } else {
                cache.ttl
            },
            channel: cache.invalidation.channel.clone(),
            ca_cert,
        })
    }

    /// A client for these settings (TLS with the configured CA when there is one).
    pub fn client(&self) -> Result<redis::Client, redis::RedisError> {
        match &self.ca_cert {
            Some(pem) => redis::Client::build_with_tls(
                self.url.as_str(),
                redis::TlsCertificates {
                    client_tls: None,
                    root_cert: Some(pem.clone()),
                },
            ),
            None => redis::Client::open(self.url.as_str()),
        }
    }

    /// A lazily connecting pool: Redis being down at start-up does not stop the process.
    pub fn pool(&self) -> Result<RedisPool, redis::RedisError> {
        let manager = RedisManager {
            client: self.client()?,
        };
        let mut builder = bb8::Pool::builder()
            .max_size(self.pool_size)
            .connection_timeout(self.connect_timeout)
            .retry_connection(false);
        if self.min_idle > 0 {
            builder = builder.min_idle(Some(self.min_idle));
        }
        if let Some(idle) = self.idle_timeout {
            builder = builder.idle_timeout(Some(idle));
        }
        Ok(builder.build_unchecked(manager))
    }

    /// The key of a namespace's snapshot at one version (versioned: `flipt:v1:…`).
    pub fn snapshot_key(&self, namespace: &str, version: &str) -> String {
        format!("{}:v1:snapshot:{namespace}:{version}", self.prefix)
    }

    /// The single-flight lock key of one build.
    pub fn lock_key(&self, namespace: &str, version: &str) -> String {
        format!("{}:v1:build-lock:{namespace}:{version}", self.prefix)
    }
}

fn encode(part: &str) -> String {
    percent_encoding::utf8_percent_encode(part, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// What the write tier announces after a commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invalidation {
    pub namespace: String,
    pub revision: i64,
}

/// Publishes a notification; errors are the caller's to log (polling covers a lost one).
pub async fn publish(
    pool: &RedisPool,
    channel: &str,
    message: &Invalidation,
) -> Result<(), String> {
    let payload = serde_json::to_string(message).map_err(|e| e.to_string())?;
    let mut conn = pool.get().await.map_err(|e| e.to_string())?;
    redis::cmd("PUBLISH")
        .arg(channel)
        .arg(payload)
        .query_async::<i64>(&mut *conn)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(f: impl FnOnce(&mut CacheConfig)) -> CacheConfig {
        let mut c = CacheConfig {
            enabled: true,
            backend: CacheBackend::Redis,
            ..CacheConfig::default()
        };
        f(&mut c);
        c
    }

    #[test]
    fn url_from_discrete_fields() {
        let c = cache(|c| {
            c.redis.host = "redis.local".into();
            c.redis.port = 6380;
            c.redis.db = 2;
            c.redis.password = crate::config::Secret::new("p@ss");
        });
        let s = RedisSettings::from_config(&c).unwrap().unwrap();
        assert_eq!(s.url, "redis://:p%40ss@redis.local:6380/2");
        assert_eq!(s.prefix, "flipt");
        assert_eq!(
            s.snapshot_key("default", "7"),
            "flipt:v1:snapshot:default:7"
        );
    }

    #[test]
    fn tls_and_url_override() {
        let c = cache(|c| {
            c.redis.require_tls = true;
            c.redis.insecure_skip_tls = true;
        });
        let s = RedisSettings::from_config(&c).unwrap().unwrap();
        assert_eq!(s.url, "rediss://localhost:6379/0#insecure");
        let c = cache(|c| c.redis.url = "redis://u:p@h:1/3".into());
        assert_eq!(
            RedisSettings::from_config(&c).unwrap().unwrap().url,
            "redis://u:p@h:1/3"
        );
    }

    #[test]
    fn ca_settings() {
        let c = cache(|c| c.redis.ca_cert_bytes = "-----BEGIN CERTIFICATE-----".into());
        let s = RedisSettings::from_config(&c).unwrap().unwrap();
        assert_eq!(
            s.ca_cert.as_deref(),
            Some(b"-----BEGIN CERTIFICATE-----".as_slice())
        );
        let c = cache(|c| {
            c.redis.ca_cert_bytes = "x".into();
            c.redis.ca_cert_path = "/tmp/x".into();
        });
        assert!(RedisSettings::from_config(&c)
            .unwrap_err()
            .contains("mutually exclusive"));
        let c = cache(|c| c.redis.ca_cert_path = "/nonexistent/ca.pem".into());
        assert!(RedisSettings::from_config(&c)
            .unwrap_err()
            .starts_with("cache.redis.ca_cert_path"));
    }

    #[test]
    fn memory_backend_means_no_redis() {
        let c = cache(|c| c.backend = CacheBackend::Memory);
        assert!(RedisSettings::from_config(&c).unwrap().is_none());
    }
}
