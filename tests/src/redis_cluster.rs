//! The shared cache on a Redis Cluster (`cache.redis.mode: cluster`): snapshots shared by two
//! read instances, change notifications from the write tier, the loss and return of a node, and
//! the `flipt-read` binary configured for a cluster.
//!
//! Each test starts its own cluster of three masters without replicas (`redis-server
//! --cluster-enabled yes` on free ports in a temporary directory, joined by `redis-cli --cluster
//! create`); [`RedisCluster`] stops the servers when dropped, also when the test panics.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use flipt_shared::cache::RedisSettings;
use flipt_shared::config::{CacheBackend, CacheConfig, Config, RedisMode, Secret};
use serde_json::json;

use crate::harness::{Backend, TestApp, TestDatabase};
use crate::read_harness::{read_settings, ReadApp};
use crate::topology::{
    boolean, eventually, free_port, scrape, set_flag, wait_answer, Metrics, NS, WAIT,
};

/// One `redis-server` of the cluster.
struct ClusterNode {
    port: u16,
    bus_port: u16,
    child: Option<Child>,
}

/// How the nodes are reached.
#[derive(Default)]
struct Security {
    /// TLS on client and bus ports with a test CA (`ca.pem` in the cluster's directory).
    tls: bool,
    /// An ACL user `(name, password)`; the default user is then disabled.
    user: Option<(&'static str, &'static str)>,
}

/// A three-master Redis Cluster on loopback, private to one test.
pub struct RedisCluster {
    nodes: Vec<ClusterNode>,
    security: Security,
    dir: tempfile::TempDir,
}

impl RedisCluster {
    /// Starts three plain nodes, joins them into a cluster and waits until it reports `ok`.
    pub async fn start() -> RedisCluster {
        Self::start_with(Security::default()).await
    }

    async fn start_with(security: Security) -> RedisCluster {
        let dir = tempfile::Builder::new()
            .prefix("flipt-redis-cluster-")
            .tempdir()
            .expect("temporary directory");
        if security.tls {
            crate::redis_tls::make_certificates(dir.path());
        }
        let mut cluster = RedisCluster {
            nodes: (0..3)
                .map(|_| ClusterNode {
                    port: free_port(),
                    bus_port: free_port(),
                    child: None,
                })
                .collect(),
            security,
            dir,
        };
        for i in 0..cluster.nodes.len() {
            cluster.start_node(i).await;
        }
        let addresses: Vec<String> = cluster
            .ports()
            .iter()
            .map(|p| format!("127.0.0.1:{p}"))
            .collect();
        let mut create = tokio::process::Command::new("redis-cli");
        if cluster.security.tls {
            create
                .args(["--tls", "--cacert"])
                .arg(cluster.dir.path().join("ca.pem"));
        }
        if let Some((user, password)) = cluster.security.user {
            create.args(["--user", user, "--pass", password]);
        }
        let creating = create
            .args(["--cluster", "create"])
            .args(&addresses)
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output();
        let out = tokio::time::timeout(WAIT, creating)
            .await
            .expect("redis-cli --cluster create finishes (nodes that cannot meet make it wait)")
            .expect("redis-cli runs");
        assert!(
            out.status.success(),
            "redis-cli --cluster create failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        cluster.wait_ok().await;
        cluster
    }

    /// The client ports of the nodes.
    pub fn ports(&self) -> Vec<u16> {
        self.nodes.iter().map(|n| n.port).collect()
    }

    /// Settings for the tiers, seeded with the first node only (as Flipt v1 seeds a cluster).
    pub fn settings(&self, prefix: &str) -> RedisSettings {
        RedisSettings {
            mode: RedisMode::Cluster,
            urls: vec![format!("redis://127.0.0.1:{}", self.nodes[0].port)],
            prefix: prefix.to_owned(),
            pool_size: 4,
            min_idle: 0,
            connect_timeout: Duration::from_millis(500),
            idle_timeout: None,
            ttl: Duration::from_secs(300),
            channel: format!("{prefix}:invalidate"),
            ca_cert: None,
        }
    }

    async fn start_node(&mut self, i: usize) {
        let node = &self.nodes[i];
        assert!(node.child.is_none(), "node {i} already running");
        let dir = self.dir.path();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(format!("node-{}.log", node.port)))
            .expect("node log");
        let mut server = Command::new("redis-server");
        if self.security.tls {
            server
                .args(["--port", "0", "--tls-port", &node.port.to_string()])
                .args(["--tls-cluster", "yes", "--tls-auth-clients", "no"])
                .args([
                    "--tls-cert-file",
                    "server.pem",
                    "--tls-key-file",
                    "server.key",
                ])
                .args(["--tls-ca-cert-file", "ca.pem"]);
        } else {
            server.args(["--port", &node.port.to_string()]);
        }
        if let Some((user, password)) = self.security.user {
            // One argument per word, as in a configuration file line.
            server
                .args(["--user", user, "on", &format!(">{password}")])
                .args(["~*", "&*", "+@all", "--user", "default", "off"]);
        }
        let child = server
            .current_dir(dir)
            .args(["--cluster-enabled", "yes"])
            .args([
                "--cluster-config-file",
                &format!("nodes-{}.conf", node.port),
            ])
            .args(["--cluster-port", &node.bus_port.to_string()])
            // Quick failure detection, so a killed node turns the cluster down within a second.
            .args(["--cluster-node-timeout", "1000"])
            .args(["--save", "", "--appendonly", "no", "--bind", "127.0.0.1"])
            .arg("--dir")
            .arg(dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .expect("redis-server starts");
        let port = node.port;
        self.nodes[i].child = Some(child);
        let this = &*self;
        eventually(&format!("redis node {port} answers"), WAIT, || async move {
            this.query::<String>(port, redis::cmd("PING"))
                .await
                .ok()
                .filter(|r| r == "PONG")
        })
        .await;
    }

    /// Kills node `i` (SIGKILL: no goodbye to the cluster or the clients).
    pub async fn kill(&mut self, i: usize) {
        if let Some(mut child) = self.nodes[i].child.take() {
            let _ = child.kill();
            let _ = tokio::task::spawn_blocking(move || child.wait()).await;
        }
    }

    /// Restarts node `i` with its cluster configuration (same id and slots, empty data) and
    /// waits until the cluster is whole again.
    pub async fn restart(&mut self, i: usize) {
        self.start_node(i).await;
        self.wait_ok().await;
    }

    /// Waits until every running node reports `cluster_state:ok`.
    pub async fn wait_ok(&self) {
        for port in self.running_ports() {
            eventually(
                &format!("cluster state ok on {port}"),
                WAIT,
                || async move {
                    let info = self
                        .query::<String>(port, redis::cmd("CLUSTER").arg("INFO").clone())
                        .await
                        .ok()?;
                    info.contains("cluster_state:ok").then_some(())
                },
            )
            .await;
        }
    }

    /// Waits until every running node reports `cluster_state:fail`.
    pub async fn wait_down(&self) {
        for port in self.running_ports() {
            eventually(
                &format!("cluster state fail on {port}"),
                WAIT,
                || async move {
                    let info = self
                        .query::<String>(port, redis::cmd("CLUSTER").arg("INFO").clone())
                        .await
                        .ok()?;
                    info.contains("cluster_state:fail").then_some(())
                },
            )
            .await;
        }
    }

    fn running_ports(&self) -> Vec<u16> {
        self.nodes
            .iter()
            .filter(|n| n.child.is_some())
            .map(|n| n.port)
            .collect()
    }

    /// The keys matching `pattern` on every running node.
    pub async fn keys(&self, pattern: &str) -> Vec<String> {
        let mut all = Vec::new();
        for port in self.running_ports() {
            let keys: Vec<String> = self
                .query(port, redis::cmd("KEYS").arg(pattern).clone())
                .await
                .expect("KEYS");
            all.extend(keys);
        }
        all
    }

    /// Subscribers of `channel` over all running nodes.
    pub async fn subscribers(&self, channel: &str) -> u64 {
        let mut total = 0;
        for port in self.running_ports() {
            let numsub = redis::cmd("PUBSUB").arg("NUMSUB").arg(channel).clone();
            if let Ok((_, count)) = self.query::<(String, u64)>(port, numsub).await {
                total += count;
            }
        }
        total
    }

    /// Runs one command on one node over a connection of its own.
    async fn query<T: redis::FromRedisValue>(
        &self,
        port: u16,
        cmd: redis::Cmd,
    ) -> redis::RedisResult<T> {
        let auth = match self.security.user {
            Some((user, password)) => format!("{user}:{password}@"),
            None => String::new(),
        };
        let client = if self.security.tls {
            let ca = std::fs::read(self.dir.path().join("ca.pem")).expect("ca.pem");
            redis::Client::build_with_tls(
                format!("rediss://{auth}127.0.0.1:{port}"),
                redis::TlsCertificates {
                    client_tls: None,
                    root_cert: Some(ca),
                },
            )?
        } else {
            redis::Client::open(format!("redis://{auth}127.0.0.1:{port}"))?
        };
        let mut conn = tokio::time::timeout(
            Duration::from_secs(1),
            client.get_multiplexed_async_connection(),
        )
        .await
        .map_err(|_| redis::RedisError::from((redis::ErrorKind::Io, "connect timed out")))??;
        cmd.query_async(&mut conn).await
    }
}

impl Drop for RedisCluster {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            if let Some(mut child) = node.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

async fn metrics(http: &reqwest::Client, bases: &[&str]) -> Vec<Metrics> {
    let mut all = Vec::new();
    for base in bases {
        all.push(scrape(http, base).await);
    }
    all
}

/// Snapshot builds across instances: (from the database, from Redis).
fn builds(ms: &[Metrics]) -> (f64, f64) {
    (
        ms.iter().map(|m| m.builds("database")).sum(),
        ms.iter().map(|m| m.builds("l2")).sum(),
    )
}

/// Waits until every instance serves [`NS`] at `revision` or later.
async fn wait_revision(http: &reqwest::Client, bases: &[&str], revision: i64) {
    for base in bases {
        eventually(&format!("{base} serves revision {revision}"), WAIT, || async move {
            (scrape(http, base).await.revision(NS) >= revision as f64).then_some(())
        })
        .await;
    }
}

async fn create_flag(app: &TestApp, key: &str, enabled: bool) {
    app.post_ok(
        &format!("/api/v1/namespaces/{NS}/flags"),
        json!({"key": key, "name": key, "type": "BOOLEAN_FLAG_TYPE", "enabled": enabled}),
    )
    .await;
}

/// A write tier publishing on the cluster and two read instances sharing it. Polling is slowed
/// to two minutes, so a change that arrives came through a notification.
async fn tiers(cluster: &RedisCluster, settings: RedisSettings) -> (TestApp, ReadApp, ReadApp) {
    let publish = settings.clone();
    let app = TestApp::spawn_with(TestDatabase::create(Backend::Postgres).await, |s| {
        s.publish = Some(publish);
    })
    .await;
    create_flag(&app, "f", true).await;
    let mut reads = Vec::new();
    for _ in 0..2 {
        let mut read = read_settings(app.database_url());
        read.redis = Some(settings.clone());
        read.poll_interval = Duration::from_secs(120);
        read.l2_wait = Duration::from_secs(5);
        reads.push(ReadApp::spawn_with(read).await);
    }
    let channel = settings.channel.as_str();
    eventually("both read instances subscribe", WAIT, || async move {
        (cluster.subscribers(channel).await >= 2).then_some(())
    })
    .await;
    let second = reads.pop().expect("two instances");
    let first = reads.pop().expect("two instances");
    (app, first, second)
}

/// Two read instances share snapshots through the cluster: each revision, announced through the
/// cluster, is built from the database once and taken from Redis by the other instance.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_shares_snapshots_and_notifications() {
    let cluster = RedisCluster::start().await;
    let (app, a, b) = tiers(&cluster, cluster.settings("shared")).await;
    let http = reqwest::Client::new();
    let bases = [a.http_base.as_str(), b.http_base.as_str()];
    wait_revision(&http, &bases, app.revision(NS).await).await;

    for i in 0..4 {
        let before = builds(&metrics(&http, &bases).await);
        let enabled = i % 2 == 1;
        set_flag(&http, &app.http_base, "f", enabled).await;
        let revision = app.revision(NS).await;
        wait_revision(&http, &bases, revision).await;
        let after = builds(&metrics(&http, &bases).await);
        assert_eq!(
            (after.0 - before.0, after.1 - before.1),
            (1.0, 1.0),
            "revision {revision}: (database, l2) builds across both instances"
        );
        for base in bases {
            assert_eq!(boolean(&http, base, "f").await, Ok(enabled));
        }
    }
    let stored = cluster.keys("shared:v1:snapshot:*").await;
    assert!(
        stored.len() >= 4,
        "snapshots stored in the cluster: {stored:?}"
    );
    for m in metrics(&http, &bases).await {
        assert_eq!(
            m.value("flipt_cache_error_total", "cache=\"l2\""),
            0.0,
            "no cache errors on a healthy cluster"
        );
    }
}

/// A master is killed: the cluster reports itself down, every evaluation still answers (the
/// cache misses and snapshots come from the database), notifications still arrive through the
/// surviving nodes (the subscribers held the killed seed node and move on, catching up on what
/// they missed meanwhile). Once the node is back, snapshots are shared through the cluster
/// again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_node_loss_keeps_evaluations_working() {
    let mut cluster = RedisCluster::start().await;
    let (app, a, b) = tiers(&cluster, cluster.settings("loss")).await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("http client");
    let bases = [a.http_base.as_str(), b.http_base.as_str()];
    for base in bases {
        wait_answer(&http, base, "f", true).await;
    }

    cluster.kill(0).await;
    // Announced while the subscribers (on the killed seed) may still be moving: the notification
    // or, if it was missed, the sync that follows resubscribing brings it.
    create_flag(&app, "early", true).await;
    wait_revision(&http, &bases, app.revision(NS).await).await;
    cluster.wait_down().await;
    let channel = cluster.settings("loss").channel;
    let (survivors, channel) = (&cluster, channel.as_str());
    eventually(
        "both subscribers move to a surviving node",
        WAIT,
        || async move { (survivors.subscribers(channel).await >= 2).then_some(()) },
    )
    .await;
    for (i, key) in ["g", "h"].into_iter().enumerate() {
        let enabled = i % 2 == 0;
        create_flag(&app, key, enabled).await;
        let revision = app.revision(NS).await;
        wait_revision(&http, &bases, revision).await;
        for _ in 0..20 {
            for base in bases {
                assert_eq!(boolean(&http, base, "f").await, Ok(true), "{base}");
                assert_eq!(boolean(&http, base, key).await, Ok(enabled), "{base}");
            }
        }
    }
    let errors: f64 = metrics(&http, &bases)
        .await
        .iter()
        .map(|m| m.value("flipt_cache_error_total", "cache=\"l2\""))
        .sum();
    assert!(
        errors > 0.0,
        "cache errors are counted while the cluster is down"
    );

    cluster.restart(0).await;
    let deadline = Instant::now() + WAIT;
    let mut enabled = true;
    loop {
        let before = builds(&metrics(&http, &bases).await);
        enabled = !enabled;
        set_flag(&http, &app.http_base, "f", enabled).await;
        wait_revision(&http, &bases, app.revision(NS).await).await;
        let after = builds(&metrics(&http, &bases).await);
        if after.1 > before.1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no snapshot was shared through the cluster after the node came back"
        );
    }
    for base in bases {
        assert_eq!(boolean(&http, base, "f").await, Ok(enabled));
    }
}

/// TLS on every node (client and bus ports) with a private CA, and an ACL user in place of the
/// default one: the credentials and TLS settings of `cache.redis.*` reach every node the client
/// learns of. Snapshots are shared and notifications arrive; a wrong password only costs misses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_over_tls_with_an_acl_user() {
    let cluster = RedisCluster::start_with(Security {
        tls: true,
        user: Some(("flipt", "s3cret@pass")),
    })
    .await;
    let mut config = CacheConfig {
        enabled: true,
        backend: CacheBackend::Redis,
        ..CacheConfig::default()
    };
    config.redis.mode = RedisMode::Cluster;
    config.redis.host = "127.0.0.1".into();
    config.redis.port = cluster.ports()[0];
    config.redis.username = "flipt".into();
    config.redis.password = Secret::new("s3cret@pass");
    config.redis.require_tls = true;
    config.redis.ca_cert_bytes =
        std::fs::read_to_string(cluster.dir.path().join("ca.pem")).expect("ca.pem");
    config.redis.prefix = "secure".into();
    config.invalidation.channel = "secure:invalidate".into();
    let settings = RedisSettings::from_config(&config)
        .expect("cluster settings")
        .expect("redis cache");
    assert_eq!(
        settings.urls,
        ["rediss://flipt:s3cret%40pass@127.0.0.1:".to_owned() + &cluster.ports()[0].to_string()]
    );

    let (app, a, b) = tiers(&cluster, settings.clone()).await;
    let http = reqwest::Client::new();
    let bases = [a.http_base.as_str(), b.http_base.as_str()];
    wait_revision(&http, &bases, app.revision(NS).await).await;
    let before = builds(&metrics(&http, &bases).await);
    set_flag(&http, &app.http_base, "f", false).await;
    wait_revision(&http, &bases, app.revision(NS).await).await;
    let after = builds(&metrics(&http, &bases).await);
    assert_eq!((after.0 - before.0, after.1 - before.1), (1.0, 1.0));
    for base in bases {
        assert_eq!(boolean(&http, base, "f").await, Ok(false));
        assert_eq!(
            scrape(&http, base)
                .await
                .value("flipt_cache_error_total", "cache=\"l2\""),
            0.0
        );
    }
    assert!(!cluster.keys("secure:v1:snapshot:*").await.is_empty());

    // Every node, not only the seed, is reached with TLS and the ACL user: keys spread over all
    // three masters round-trip through the tiers' handle.
    let redis = settings.handle().expect("handle");
    for i in 0..30 {
        let key = format!("secure:probe:{i}");
        let mut conn = redis.connection().await.expect("cluster connection");
        let () = redis::cmd("SET")
            .arg(&key)
            .arg(i)
            .query_async(&mut conn)
            .await
            .expect("SET");
        let got: i64 = redis::cmd("GET")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .expect("GET");
        assert_eq!(got, i);
    }
    for port in cluster.ports() {
        let keys: Vec<String> = cluster
            .query(port, redis::cmd("KEYS").arg("secure:probe:*").clone())
            .await
            .expect("KEYS");
        assert!(!keys.is_empty(), "node {port} holds some of the keys");
    }

    // The wrong password: the cache fails (counted), evaluations do not.
    let mut wrong = settings;
    wrong.urls = vec![format!(
        "rediss://flipt:wrong@127.0.0.1:{}",
        cluster.ports()[0]
    )];
    let mut read = read_settings(app.database_url());
    read.redis = Some(wrong);
    let locked_out = ReadApp::spawn_with(read).await;
    assert_eq!(boolean(&http, &locked_out.http_base, "f").await, Ok(false));
    let errors = scrape(&http, &locked_out.http_base)
        .await
        .value("flipt_cache_error_total", "cache=\"l2\"");
    assert!(errors > 0.0, "a refused login is a counted cache error");
}

/// `flipt-read` started with `cache.redis.mode: cluster` from the environment, its seed list
/// opening with an address where nothing listens: it becomes ready, stores its snapshot in the
/// cluster, subscribes, and hears of a change the write tier (configured for the cluster the
/// same way) announces.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_mode_starts_from_configuration() {
    let cluster = RedisCluster::start().await;
    let ports = cluster.ports();
    let seeds = format!("127.0.0.1:{},127.0.0.1:{},127.0.0.1", free_port(), ports[1]);

    // The write tier, from a configuration like the binary's.
    let database = TestDatabase::create(Backend::Postgres).await;
    let mut config = Config::default();
    config.db.url = database.url.clone();
    config.cache.backend = CacheBackend::Redis;
    config.cache.redis.mode = RedisMode::Cluster;
    config.cache.redis.host = seeds.clone();
    config.cache.redis.port = ports[2];
    config.cache.redis.prefix = "boot".into();
    config.cache.invalidation.publish = true;
    config.cache.invalidation.channel = "boot:invalidate".into();
    let publish = flipt_write::startup::Settings::from_config(&config)
        .expect("write settings from a cluster configuration")
        .publish
        .expect("publishing configured");
    assert_eq!(publish.urls.len(), 3);
    let app = TestApp::spawn_with(database, |s| s.publish = Some(publish)).await;
    create_flag(&app, "boot", true).await;

    let home = tempfile::tempdir().expect("temp dir");
    let http_port = free_port();
    let log = std::fs::File::create(home.path().join("flipt-read.log")).expect("log file");
    let child = Command::new(crate::harness::workspace_binary("flipt-read"))
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("FLIPT_DB_URL", app.database_url())
        .env("FLIPT_SERVER_HOST", "127.0.0.1")
        .env("FLIPT_SERVER_HTTP_PORT", http_port.to_string())
        .env("FLIPT_SERVER_GRPC_PORT", free_port().to_string())
        .env("FLIPT_CACHE_ENABLED", "true")
        .env("FLIPT_CACHE_BACKEND", "redis")
        .env("FLIPT_CACHE_REDIS_MODE", "cluster")
        .env("FLIPT_CACHE_REDIS_HOST", &seeds)
        .env("FLIPT_CACHE_REDIS_PORT", ports[2].to_string())
        .env("FLIPT_CACHE_REDIS_PREFIX", "boot")
        .env("FLIPT_CACHE_INVALIDATION_CHANNEL", "boot:invalidate")
        .env("FLIPT_CACHE_INVALIDATION_POLL_INTERVAL", "120s")
        .current_dir(home.path())
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log handle"))
        .stderr(log)
        .spawn()
        .expect("flipt-read starts");
    let read = ChildGuard(child, home.path().join("flipt-read.log"));
    let base = format!("http://127.0.0.1:{http_port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("http client");

    let (client, ready) = (&http, format!("{base}/health/ready"));
    let ready = ready.as_str();
    eventually("flipt-read ready", WAIT, || async move {
        let resp = client.get(ready).send().await.ok()?;
        (resp.status() == 200).then_some(())
    })
    .await;
    assert_eq!(boolean(&http, &base, "boot").await, Ok(true));
    let stored = cluster.keys("boot:v1:snapshot:*").await;
    assert!(
        !stored.is_empty(),
        "snapshot stored in the cluster ({})",
        read.log()
    );
    let nodes = &cluster;
    eventually("flipt-read subscribes", WAIT, || async move {
        (nodes.subscribers("boot:invalidate").await >= 1).then_some(())
    })
    .await;

    set_flag(&http, &app.http_base, "boot", false).await;
    wait_answer(&http, &base, "boot", false).await;
    drop(read);
}

/// Kills the child process when the test ends.
struct ChildGuard(Child, std::path::PathBuf);

impl ChildGuard {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.1).unwrap_or_default()
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
