//! The shared Redis cache: connection settings from Flipt's `cache.redis.*` keys, one handle over
//! either a single server (a bb8 pool) or a Redis Cluster (one multiplexed cluster connection),
//! versioned keys, and the invalidation notifications the write tier publishes and the read tier
//! subscribes to.
//!
//! Redis is an accelerator everywhere: callers treat every error here as a miss.

use std::sync::Arc;
use std::time::{Duration, Instant};

use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;
use redis::cluster_routing::{RoutingInfo, SingleNodeRoutingInfo};
use redis::{ConnectionAddr, ConnectionInfo, IntoConnectionInfo, RedisError, TlsMode};
use serde::{Deserialize, Serialize};

use crate::config::{CacheBackend, CacheConfig, RedisCacheConfig, RedisMode};

/// A pool of connections to a single Redis server.
pub type RedisPool = bb8::Pool<RedisManager>;

/// After a failed cluster connect, commands fail at once for this long instead of each waiting
/// out another connect (Redis down must not slow every snapshot build by a timeout).
const CLUSTER_RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// Opens pooled connections from a client that carries the TLS settings (a custom CA cannot
/// be expressed in a URL, so the pool is built from a client rather than a URL).
#[derive(Clone)]
pub struct RedisManager {
    client: redis::Client,
    /// Dial timeout `net_timeout`, command timeout twice that.
    config: redis::AsyncConnectionConfig,
}

impl bb8::ManageConnection for RedisManager {
    type Connection = redis::aio::MultiplexedConnection;
    type Error = redis::RedisError;

    async fn connect(&self) -> Result<Self::Connection, Self::Error> {
        self.client
            .get_multiplexed_async_connection_with_config(&self.config)
            .await
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
    /// One server, or a Redis Cluster reached through seed nodes.
    pub mode: RedisMode,
    /// `redis://` or `rediss://` URLs (credentials included; never logged): the server in single
    /// mode (exactly one), the seed nodes in cluster mode (at least one).
    pub urls: Vec<String>,
    /// Key prefix (`flipt` when unset).
    pub prefix: String,
    /// Single mode: the pool's maximum size (a cluster connection multiplexes one connection
    /// per node).
    pub pool_size: u32,
    pub min_idle: u32,
    /// Time to get a connection (also the dial timeout); commands time out after twice this.
    pub connect_timeout: Duration,
    pub idle_timeout: Option<Duration>,
    /// How long a stored snapshot lives.
    pub ttl: Duration,
    /// The invalidation channel.
    pub channel: String,
    /// PEM CA certificate(s) trusted in addition to the built-in roots (`ca_cert_path` or
    /// `ca_cert_bytes`); used only over TLS.
    pub ca_cert: Option<Vec<u8>>,
}

impl std::fmt::Debug for RedisSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let urls: Vec<String> = self
            .urls
            .iter()
            .map(|u| crate::config::redact_url(u))
            .collect();
        f.debug_struct("RedisSettings")
            .field("mode", &self.mode)
            .field("urls", &urls)
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
        let urls = node_urls(redis)?;
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
            mode: redis.mode,
            urls,
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

    /// The connection details of every configured node (one in single mode, the seeds in
    /// cluster mode).
    fn node_infos(&self) -> Result<Vec<ConnectionInfo>, RedisError> {
        if self.urls.is_empty() {
            return Err(config_error("no redis address configured"));
        }
        self.urls
            .iter()
            .map(|u| u.as_str().into_connection_info())
            .collect()
    }

    /// The certificates to trust over TLS: the configured CA added to the built-in roots.
    fn certificates(&self) -> Option<redis::TlsCertificates> {
        self.ca_cert.as_ref().map(|pem| redis::TlsCertificates {
            client_tls: None,
            root_cert: Some(trust_bundle(pem)),
        })
    }

    /// A single-server client for one node (TLS with the configured CA when there is one).
    fn client_for(&self, info: ConnectionInfo) -> Result<redis::Client, RedisError> {
        match (self.certificates(), info.addr()) {
            (Some(certs), ConnectionAddr::TcpTls { .. }) => {
                redis::Client::build_with_tls(info, certs)
            }
            _ => redis::Client::open(info),
        }
    }

    /// A single-server client for the first configured node.
    pub fn client(&self) -> Result<redis::Client, RedisError> {
        let info = self
            .node_infos()?
            .into_iter()
            .next()
            .ok_or_else(|| config_error("no redis address configured"))?;
        self.client_for(info)
    }

    /// A cluster client seeded with every configured node; credentials and TLS come from the
    /// node URLs, the CA from the settings.
    pub fn cluster_client(&self) -> Result<ClusterClient, RedisError> {
        let seeds = self.node_infos()?;
        let tls = seeds.first().and_then(|s| match s.addr() {
            ConnectionAddr::TcpTls { insecure, .. } => Some(if *insecure {
                TlsMode::Insecure
            } else {
                TlsMode::Secure
            }),
            _ => None,
        });
        let mut builder = redis::cluster::ClusterClientBuilder::new(seeds)
            .connection_timeout(self.connect_timeout)
            .response_timeout(self.connect_timeout * 2)
            // Failing fast is the point: a miss goes to the database, which is never wrong.
            .retries(2)
            .min_retry_wait(10)
            .max_retry_wait(100);
        if let Some(tls) = tls {
            builder = builder.tls(tls);
            if let Some(certs) = self.certificates() {
                builder = builder.certs(certs);
            }
        }
        builder.build()
    }

    /// A lazily connecting handle: Redis being down at start-up does not stop the process.
    pub fn handle(&self) -> Result<RedisHandle, RedisError> {
        let backend = match self.mode {
            RedisMode::Single => Backend::Single(self.pool()?),
            RedisMode::Cluster => Backend::Cluster(Arc::new(ClusterState {
                client: self.cluster_client()?,
                connect_timeout: self.connect_timeout * 3,
                conn: tokio::sync::Mutex::new(ClusterSlot::Idle),
            })),
        };
        Ok(RedisHandle { backend })
    }

    /// A lazily connecting pool to the (single) server.
    fn pool(&self) -> Result<RedisPool, RedisError> {
        let manager = RedisManager {
            client: self.client()?,
            config: redis::AsyncConnectionConfig::new()
                .set_connection_timeout(Some(self.connect_timeout))
                .set_response_timeout(Some(self.connect_timeout * 2)),
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

fn config_error(message: &'static str) -> RedisError {
    RedisError::from((redis::ErrorKind::InvalidClientConfig, message))
}

/// The node URLs of `cache.redis.*`: `url` when set (in cluster mode a comma-separated list),
/// else built from the discrete fields (in cluster mode `host` may list several seeds).
fn node_urls(redis: &RedisCacheConfig) -> Result<Vec<String>, String> {
    let cluster = redis.mode == RedisMode::Cluster;
    let addresses: Vec<&str> = redis
        .addresses
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    if !addresses.is_empty() && !cluster {
        return Err(
            "cache.redis.addresses: seed nodes apply only with cache.redis.mode: cluster"
                .to_owned(),
        );
    }
    if !redis.url.trim().is_empty() {
        let urls: Vec<String> = if cluster {
            redis
                .url
                .split(',')
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_owned)
                .collect()
        } else {
            vec![redis.url.trim().to_owned()]
        };
        return Ok(urls);
    }
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
    if !cluster {
        let host = bracket_ipv6(&redis.host);
        return Ok(vec![format!(
            "{scheme}://{auth}{host}:{}/{}{insecure}",
            redis.port, redis.db
        )]);
    }
    // Flipt v1 seeds a cluster with `host:port` alone; a comma-separated list of further seeds
    // (`host` or `host:port`, the port defaulting to `cache.redis.port`) is our extension.
    // `db` does not apply: a cluster has only database 0.
    // `cache.redis.addresses`, when given, replaces `host` (and `port`) as the seed list.
    let (key, seeds): (&str, Vec<&str>) = if addresses.is_empty() {
        (
            "cache.redis.host",
            redis
                .host
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .collect(),
        )
    } else {
        ("cache.redis.addresses", addresses)
    };
    let mut urls = Vec::new();
    for entry in seeds {
        let (host, port) = parse_seed(entry, redis.port)
            .ok_or_else(|| format!("{key}: invalid seed address {entry:?}"))?;
        urls.push(format!(
            "{scheme}://{auth}{}:{port}{insecure}",
            bracket_ipv6(&host)
        ));
    }
    if urls.is_empty() {
        return Err("cache.redis.host: cluster mode needs at least one seed address".to_owned());
    }
    Ok(urls)
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`; a bare IPv6 address is a host without a port.
fn parse_seed(entry: &str, default_port: u16) -> Option<(String, u16)> {
    if let Some(rest) = entry.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after {
            "" => default_port,
            p => p.strip_prefix(':')?.parse().ok()?,
        };
        return Some((host.to_owned(), port));
    }
    match entry.split_once(':') {
        Some((host, port)) if !port.contains(':') => {
            (!host.is_empty()).then_some(())?;
            Some((host.to_owned(), port.parse().ok()?))
        }
        _ => Some((entry.to_owned(), default_port)),
    }
}

fn bracket_ipv6(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

fn encode(part: &str) -> String {
    percent_encoding::utf8_percent_encode(part, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The configured CA followed by the built-in roots, as PEM: redis-rs trusts only the roots it
/// is given once any are given, so the built-in ones (the same Mozilla set it uses without a CA)
/// are passed along. Flipt v1 likewise appends the CA to the system pool.
fn trust_bundle(ca: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    let mut pem = ca.to_vec();
    if !pem.ends_with(b"\n") {
        pem.push(b'\n');
    }
    for cert in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
        let b64 = base64::engine::general_purpose::STANDARD.encode(cert.as_ref());
        pem.extend_from_slice(b"-----BEGIN CERTIFICATE-----\n");
        for line in b64.as_bytes().chunks(64) {
            pem.extend_from_slice(line);
            pem.push(b'\n');
        }
        pem.extend_from_slice(b"-----END CERTIFICATE-----\n");
    }
    pem
}

fn io_error(message: &'static str) -> RedisError {
    RedisError::from((redis::ErrorKind::Io, message))
}

/// A handle on the configured Redis, whichever the mode; cheap to clone. Callers run commands
/// on a [`RedisConnection`] and never need to know whether a cluster is behind it.
#[derive(Clone)]
pub struct RedisHandle {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Single(RedisPool),
    Cluster(Arc<ClusterState>),
}

/// The one cluster connection of a process. It routes each command to the node owning its key,
/// follows redirections and reconnects to nodes by itself once it exists; until the first
/// connect succeeds, this retries at most every [`CLUSTER_RECONNECT_AFTER`].
struct ClusterState {
    client: ClusterClient,
    connect_timeout: Duration,
    conn: tokio::sync::Mutex<ClusterSlot>,
}

enum ClusterSlot {
    Idle,
    Connected(ClusterConnection),
    Failed(Instant),
}

impl ClusterState {
    async fn connection(&self) -> Result<ClusterConnection, RedisError> {
        let mut slot = self.conn.lock().await;
        match &*slot {
            ClusterSlot::Connected(conn) => return Ok(conn.clone()),
            ClusterSlot::Failed(at) if at.elapsed() < CLUSTER_RECONNECT_AFTER => {
                return Err(io_error("redis cluster unreachable at the last attempt"));
            }
            ClusterSlot::Idle | ClusterSlot::Failed(_) => {}
        }
        let connected =
            tokio::time::timeout(self.connect_timeout, self.client.get_async_connection())
                .await
                .unwrap_or_else(|_| Err(io_error("timed out connecting to the redis cluster")));
        match connected {
            Ok(conn) => {
                *slot = ClusterSlot::Connected(conn.clone());
                Ok(conn)
            }
            Err(err) => {
                *slot = ClusterSlot::Failed(Instant::now());
                Err(err)
            }
        }
    }
}

impl RedisHandle {
    /// A connection to run commands on: pooled in single mode, the shared multiplexed
    /// connection in cluster mode.
    pub async fn connection(&self) -> Result<RedisConnection, RedisError> {
        match &self.backend {
            Backend::Single(pool) => match pool.get_owned().await {
                Ok(conn) => Ok(RedisConnection::Single(conn)),
                Err(bb8::RunError::User(err)) => Err(err),
                Err(bb8::RunError::TimedOut) => {
                    Err(io_error("timed out waiting for a redis connection"))
                }
            },
            Backend::Cluster(state) => state.connection().await.map(RedisConnection::Cluster),
        }
    }
}

/// A connection from a [`RedisHandle`]; commands and scripts run on it as on any redis-rs
/// async connection.
pub enum RedisConnection {
    Single(bb8::PooledConnection<'static, RedisManager>),
    Cluster(ClusterConnection),
}

impl redis::aio::ConnectionLike for RedisConnection {
    fn req_packed_command<'a>(
        &'a mut self,
        cmd: &'a redis::Cmd,
    ) -> redis::RedisFuture<'a, redis::Value> {
        match self {
            RedisConnection::Single(conn) => conn.req_packed_command(cmd),
            RedisConnection::Cluster(conn) => conn.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a redis::Pipeline,
        offset: usize,
        count: usize,
    ) -> redis::RedisFuture<'a, Vec<redis::Value>> {
        match self {
            RedisConnection::Single(conn) => conn.req_packed_commands(pipeline, offset, count),
            RedisConnection::Cluster(conn) => conn.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            RedisConnection::Single(conn) => conn.get_db(),
            RedisConnection::Cluster(conn) => conn.get_db(),
        }
    }
}

/// What the write tier announces after a commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invalidation {
    pub namespace: String,
    pub revision: i64,
}

/// Publishes a notification; errors are the caller's to log (polling covers a lost one).
pub async fn publish(
    redis: &RedisHandle,
    channel: &str,
    message: &Invalidation,
) -> Result<(), String> {
    let payload = serde_json::to_string(message).map_err(|e| e.to_string())?;
    let mut command = redis::cmd("PUBLISH");
    command.arg(channel).arg(payload);
    match redis.connection().await.map_err(|e| e.to_string())? {
        RedisConnection::Single(mut conn) => command
            .query_async::<i64>(&mut *conn)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        RedisConnection::Cluster(mut conn) => {
            // PUBLISH names no key, and whichever node receives it forwards it over the cluster
            // bus (even while the cluster reports itself down): any reachable node will do. The
            // default routing would hash the channel name and so depend on one node.
            let mut last_error = String::new();
            for _ in 0..3 {
                let random = RoutingInfo::SingleNode(SingleNodeRoutingInfo::Random);
                match conn.route_command(command.clone(), random).await {
                    Ok(_) => return Ok(()),
                    Err(err) => last_error = err.to_string(),
                }
            }
            Err(last_error)
        }
    }
}

/// Opens subscriptions to the invalidation channel, one at a time.
///
/// In cluster mode a classic `PUBLISH` on any node reaches the subscribers of every node (it is
/// broadcast over the cluster bus), so one node is enough. The seeds and the nodes learnt from
/// `CLUSTER NODES` are tried in turn, starting after the node that served last, so a node that
/// just went away is tried last.
pub struct Subscriber {
    settings: RedisSettings,
    /// Every node known so far, seeds first (single mode: the server).
    nodes: Vec<ConnectionInfo>,
    next: usize,
}

impl Subscriber {
    /// A subscriber for these settings (no connection yet).
    pub fn new(settings: RedisSettings) -> Result<Self, RedisError> {
        let nodes = settings.node_infos()?;
        Ok(Subscriber {
            settings,
            nodes,
            next: 0,
        })
    }

    /// Connects to one node and subscribes to the channel.
    pub async fn subscribe(&mut self) -> Result<redis::aio::PubSub, RedisError> {
        let mut last_error = None;
        for _ in 0..self.nodes.len() {
            let index = self.next % self.nodes.len();
            self.next = index + 1;
            match self.subscribe_on(self.nodes[index].clone()).await {
                Ok((pubsub, learnt)) => {
                    self.learn(learnt);
                    return Ok(pubsub);
                }
                Err(err) => last_error = Some(err),
            }
        }
        Err(last_error.unwrap_or_else(|| config_error("no redis address configured")))
    }

    /// The nodes currently known (seeds and learnt ones), as `host:port`.
    pub fn known_nodes(&self) -> Vec<String> {
        self.nodes
            .iter()
            .filter_map(host_port)
            .map(|(host, port)| format!("{host}:{port}"))
            .collect()
    }

    async fn subscribe_on(
        &self,
        node: ConnectionInfo,
    ) -> Result<(redis::aio::PubSub, Vec<(String, u16)>), RedisError> {
        let client = self.settings.client_for(node)?;
        let cluster = self.settings.mode == RedisMode::Cluster;
        let channel = &self.settings.channel;
        let work = async {
            let mut learnt = Vec::new();
            if cluster {
                // Best effort: more nodes to fall back on when this one goes away.
                if let Ok(mut conn) = client.get_multiplexed_async_connection().await {
                    if let Ok(text) = redis::cmd("CLUSTER")
                        .arg("NODES")
                        .query_async::<String>(&mut conn)
                        .await
                    {
                        learnt = parse_cluster_nodes(&text);
                    }
                }
            }
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.subscribe(channel).await?;
            Ok((pubsub, learnt))
        };
        tokio::time::timeout(self.settings.connect_timeout * 2, work)
            .await
            .unwrap_or_else(|_| Err(io_error("timed out subscribing")))
    }

    fn learn(&mut self, learnt: Vec<(String, u16)>) {
        let Some(template) = self.nodes.first().cloned() else {
            return;
        };
        for (host, port) in learnt {
            let known = self
                .nodes
                .iter()
                .filter_map(host_port)
                .any(|(h, p)| h == host && p == port);
            if known {
                continue;
            }
            let addr = match template.addr() {
                ConnectionAddr::TcpTls { insecure, .. } => ConnectionAddr::TcpTls {
                    host,
                    port,
                    insecure: *insecure,
                    tls_params: None,
                },
                _ => ConnectionAddr::Tcp(host, port),
            };
            self.nodes.push(template.clone().set_addr(addr));
        }
    }
}

fn host_port(info: &ConnectionInfo) -> Option<(String, u16)> {
    match info.addr() {
        ConnectionAddr::Tcp(host, port) | ConnectionAddr::TcpTls { host, port, .. } => {
            Some((host.clone(), *port))
        }
        _ => None,
    }
}

/// The client addresses in a `CLUSTER NODES` reply (`<id> <ip:port@cport[,hostname]> <flags> …`
/// per line), skipping nodes without an address or still in handshake.
fn parse_cluster_nodes(text: &str) -> Vec<(String, u16)> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (_, address, flags) = (fields.next()?, fields.next()?, fields.next()?);
            if flags.contains("noaddr") || flags.contains("handshake") {
                return None;
            }
            let address = address.split(['@', ',']).next()?;
            let (host, port) = address.rsplit_once(':')?;
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let port: u16 = port.parse().ok()?;
            (!host.is_empty() && port != 0).then(|| (host.to_owned(), port))
        })
        .collect()
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
        assert_eq!(s.mode, RedisMode::Single);
        assert_eq!(s.urls, ["redis://:p%40ss@redis.local:6380/2"]);
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
        assert_eq!(s.urls, ["rediss://localhost:6379/0#insecure"]);
        let c = cache(|c| c.redis.url = "redis://u:p@h:1/3".into());
        assert_eq!(
            RedisSettings::from_config(&c).unwrap().unwrap().urls,
            ["redis://u:p@h:1/3"]
        );
    }

    #[test]
    fn cluster_seeds() {
        // Flipt v1: one seed from host and port; db does not apply.
        let c = cache(|c| {
            c.redis.mode = RedisMode::Cluster;
            c.redis.host = "redis-0".into();
            c.redis.port = 7000;
            c.redis.db = 3;
            c.redis.username = "app".into();
            c.redis.password = crate::config::Secret::new("pw");
        });
        let s = RedisSettings::from_config(&c).unwrap().unwrap();
        assert_eq!(s.mode, RedisMode::Cluster);
        assert_eq!(s.urls, ["redis://app:pw@redis-0:7000"]);
        s.cluster_client().expect("a cluster client");

        // Several seeds, with or without their own port.
        let c = cache(|c| {
            c.redis.mode = RedisMode::Cluster;
            c.redis.host = " a:7001, b ,[::1]:7003,::1".into();
            c.redis.port = 7000;
            c.redis.require_tls = true;
        });
        let s = RedisSettings::from_config(&c).unwrap().unwrap();
        assert_eq!(
            s.urls,
            [
                "rediss://a:7001",
                "rediss://b:7000",
                "rediss://[::1]:7003",
                "rediss://[::1]:7000"
            ]
        );
        s.cluster_client().expect("a TLS cluster client");

        // A URL list replaces the discrete fields.
        let c = cache(|c| {
            c.redis.mode = RedisMode::Cluster;
            c.redis.url = "redis://h1:1, redis://h2:2".into();
        });
        let s = RedisSettings::from_config(&c).unwrap().unwrap();
        assert_eq!(s.urls, ["redis://h1:1", "redis://h2:2"]);

        for bad in ["", " , ", "h:port", ":7000", "[::1"] {
            let c = cache(|c| {
                c.redis.mode = RedisMode::Cluster;
                c.redis.host = bad.into();
            });
            assert!(
                RedisSettings::from_config(&c)
                    .unwrap_err()
                    .starts_with("cache.redis.host"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn cluster_seed_addresses() {
        // cache.redis.addresses replaces host and port as the seed list.
        let c = cache(|c| {
            c.redis.mode = RedisMode::Cluster;
            c.redis.host = "ignored".into();
            c.redis.port = 7000;
            c.redis.addresses = vec!["n1:7001".into(), " n2 ".into(), "".into()];
        });
        let s = RedisSettings::from_config(&c).unwrap().unwrap();
        assert_eq!(s.urls, ["redis://n1:7001", "redis://n2:7000"]);

        let c = cache(|c| {
            c.redis.mode = RedisMode::Cluster;
            c.redis.addresses = vec!["n1:port".into()];
        });
        assert!(RedisSettings::from_config(&c)
            .unwrap_err()
            .starts_with("cache.redis.addresses: invalid seed address"));

        // Seeds make no sense for one server: say so rather than ignore them.
        let c = cache(|c| c.redis.addresses = vec!["n1:7001".into()]);
        assert!(RedisSettings::from_config(&c)
            .unwrap_err()
            .contains("only with cache.redis.mode: cluster"));
    }

    #[test]
    fn cluster_nodes_reply() {
        let reply = "\
07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004,host-4 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 4 connected
67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@31002 master - 0 1426238316232 2 connected 5461-10922
e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@31001 myself,master - 0 0 1 connected 0-5460
6ec23923021cf3ffec47632106199cb7f496ce01 :0@0 master,noaddr - 1426238316232 1426238315232 5 disconnected
aaaa23923021cf3ffec47632106199cb7f496ce0 ::1:30005@31005 master,fail - 0 0 6 connected
";
        assert_eq!(
            parse_cluster_nodes(reply),
            [
                ("127.0.0.1".to_owned(), 30004),
                ("127.0.0.1".to_owned(), 30002),
                ("127.0.0.1".to_owned(), 30001),
                ("::1".to_owned(), 30005),
            ]
        );
    }

    #[test]
    fn subscriber_learns_each_node_once() {
        let c = cache(|c| {
            c.redis.mode = RedisMode::Cluster;
            c.redis.host = "127.0.0.1:7000".into();
        });
        let s = RedisSettings::from_config(&c).unwrap().unwrap();
        let mut subscriber = Subscriber::new(s).unwrap();
        subscriber.learn(vec![
            ("127.0.0.1".into(), 7000),
            ("127.0.0.1".into(), 7001),
            ("127.0.0.1".into(), 7001),
        ]);
        assert_eq!(
            subscriber.known_nodes(),
            ["127.0.0.1:7000", "127.0.0.1:7001"]
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
    fn configured_ca_joins_the_built_in_roots() {
        // One of the built-in roots stands in for a private CA: the bundle holds it and every
        // built-in root, and redis-rs accepts all of them as trust anchors.
        use base64::Engine as _;
        let der = webpki_root_certs::TLS_SERVER_ROOT_CERTS[0].as_ref();
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        let ca = format!("-----BEGIN CERTIFICATE-----\n{b64}\n-----END CERTIFICATE-----");
        let bundle = trust_bundle(ca.as_bytes());
        let text = String::from_utf8(bundle.clone()).unwrap();
        assert!(text.starts_with(&ca));
        assert_eq!(
            text.matches("-----BEGIN CERTIFICATE-----").count(),
            webpki_root_certs::TLS_SERVER_ROOT_CERTS.len() + 1
        );
        redis::Client::build_with_tls(
            "rediss://localhost:6379",
            redis::TlsCertificates {
                client_tls: None,
                root_cert: Some(bundle),
            },
        )
        .expect("every root parses");
    }

    #[test]
    fn ca_only_applies_over_tls() {
        let c = cache(|c| {
            c.redis.ca_cert_bytes = "not a certificate".into();
        });
        let s = RedisSettings::from_config(&c).unwrap().unwrap();
        assert!(s.client().is_ok(), "plain TCP ignores the CA");
        let c = cache(|c| {
            c.redis.require_tls = true;
            c.redis.ca_cert_bytes = "not a certificate".into();
        });
        let s = RedisSettings::from_config(&c).unwrap().unwrap();
        assert!(s.client().is_ok(), "no PEM block: only the built-in roots");
    }

    #[test]
    fn memory_backend_means_no_redis() {
        let c = cache(|c| c.backend = CacheBackend::Memory);
        assert!(RedisSettings::from_config(&c).unwrap().is_none());
    }
}
