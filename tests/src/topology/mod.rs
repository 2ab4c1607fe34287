//! The production topology on one machine (DESIGN.md §2, §4): a private PostgreSQL primary and a
//! real streaming replica (`pg_basebackup -R`), a private Redis, one write tier on the primary,
//! two read instances on the replica sharing the Redis, and nginx in front of the read instances.
//!
//! Every part runs for one test and is torn down when the [`Topology`] is dropped (also when the
//! test panics): nginx, the read instances, the write tier, Redis, both clusters
//! (`pg_ctl stop -m fast`), then the temporary directory. The clusters run as the `postgres`
//! OS user when the tests run as root.
//!
//! Binaries: PostgreSQL from `TEST_PG_BIN` (default `/usr/lib/postgresql/15/bin`, else `PATH`),
//! `redis-server` and `nginx` from `PATH` (or `/usr/sbin`).

mod bench;
mod tests;

use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use flipt_shared::cache::RedisSettings;
use flipt_shared::config::RedisMode;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{json, Value};

use crate::harness::{init_tracing, test_settings};
use crate::read_harness::read_settings;

/// The namespace every topology test works in (it exists after the migrations).
pub const NS: &str = "default";

/// How long a topology test waits for a condition before failing.
pub const WAIT: Duration = Duration::from_secs(20);

/// Polls `check` until it returns `Some`, failing the test with `what` after `timeout`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not reached within {timeout:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A free loopback TCP port (bound and released; good enough on a test machine).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn id_of(flag: &str) -> u32 {
    let out = std::process::Command::new("id")
        .args([flag, "postgres"])
        .output()
        .expect("run id");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("the postgres OS user exists")
}

fn pg_bin(name: &str) -> PathBuf {
    let dir = std::env::var("TEST_PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into());
    let path = Path::new(&dir).join(name);
    if path.exists() {
        path
    } else {
        PathBuf::from(name)
    }
}

fn sbin(name: &str) -> PathBuf {
    let sbin = Path::new("/usr/sbin").join(name);
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(name).exists()))
        .unwrap_or(false);
    if !on_path && sbin.exists() {
        sbin
    } else {
        PathBuf::from(name)
    }
}

/// A PostgreSQL command, run as the `postgres` OS user when we are root.
fn pg_command(name: &str) -> std::process::Command {
    let bin = pg_bin(name);
    if running_as_root() {
        let mut cmd = std::process::Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(bin);
        cmd
    } else {
        std::process::Command::new(bin)
    }
}

/// Runs a blocking command to completion, failing the test with its output on error.
fn run(mut cmd: std::process::Command, what: &str) {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs a blocking command off the async worker threads.
async fn run_async(cmd: std::process::Command, what: &str) {
    let what = what.to_owned();
    tokio::task::spawn_blocking(move || run(cmd, &what))
        .await
        .expect("command task");
}

/// One PostgreSQL cluster in a directory of the topology's temporary directory.
pub struct PgCluster {
    pub name: &'static str,
    pub port: u16,
    data: PathBuf,
    log: PathBuf,
    running: bool,
}

impl PgCluster {
    fn new(root: &Path, name: &'static str) -> PgCluster {
        PgCluster {
            name,
            port: free_port(),
            data: root.join(name),
            log: root.join(format!("{name}.log")),
            running: false,
        }
    }

    /// `postgres://postgres@127.0.0.1:<port>/postgres`.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn ctl(&self, action: &str) -> std::process::Command {
        let mut cmd = pg_command("pg_ctl");
        cmd.arg("-D").arg(&self.data).args(["-w", "-t", "60"]);
        match action {
            "start" => {
                cmd.arg("-l").arg(&self.log).arg("start");
            }
            _ => {
                cmd.args(["-m", "fast", "stop"]);
            }
        }
        cmd
    }

    /// `pg_ctl -w start`.
    pub async fn start(&mut self) {
        run_async(self.ctl("start"), &format!("start {} cluster", self.name)).await;
        self.running = true;
    }

    /// `pg_ctl -m fast stop`.
    pub async fn stop(&mut self) {
        run_async(self.ctl("stop"), &format!("stop {} cluster", self.name)).await;
        self.running = false;
    }

    /// Runs SQL as the superuser in the `postgres` database.
    pub async fn execute(&self, sql: &str) {
        let db = Database::connect(self.url())
            .await
            .unwrap_or_else(|e| panic!("connect to {}: {e}", self.name));
        db.execute_unprepared(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql} on {}: {e}", self.name));
        db.close().await.ok();
    }

    /// The revision of a namespace as this cluster stores it.
    pub async fn revision(&self, namespace: &str) -> i64 {
        let db = Database::connect(self.url())
            .await
            .unwrap_or_else(|e| panic!("connect to {}: {e}", self.name));
        let row = db
            .query_one(Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                "SELECT revision FROM namespaces WHERE \"key\" = $1",
                [namespace.into()],
            ))
            .await
            .expect("query revision")
            .expect("namespace exists");
        db.close().await.ok();
        row.try_get::<i64>("", "revision").expect("revision")
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if self.running {
            let _ = self.ctl("stop").stdin(Stdio::null()).output();
        }
    }
}

/// A private `redis-server`, a child process that can be stopped and started again.
pub struct Redis {
    pub port: u16,
    dir: PathBuf,
    child: Option<std::process::Child>,
}

impl Redis {
    fn new(root: &Path) -> Redis {
        Redis {
            port: free_port(),
            dir: root.to_owned(),
            child: None,
        }
    }

    /// Settings for the tiers (a short connect timeout: tests stop this Redis).
    pub fn settings(&self) -> RedisSettings {
        RedisSettings {
            mode: RedisMode::Single,
            urls: vec![format!("redis://127.0.0.1:{}/0", self.port)],
            prefix: "flipt".into(),
            pool_size: 4,
            min_idle: 0,
            connect_timeout: Duration::from_millis(500),
            idle_timeout: None,
            ttl: Duration::from_secs(300),
            channel: "flipt-invalidation".into(),
            ca_cert: None,
        }
    }

    /// Starts the server and waits until it answers PING.
    pub async fn start(&mut self) {
        assert!(self.child.is_none(), "redis already running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("redis.log"))
            .expect("redis log");
        let child = std::process::Command::new("redis-server")
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("redis log"))
            .stderr(log)
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let port = self.port;
        eventually("redis answers PING", WAIT, || async move {
            ping(port).await.then_some(())
        })
        .await;
    }

    /// Kills the server (no save: its data is gone, as after a crash).
    pub async fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = tokio::task::spawn_blocking(move || child.wait()).await;
        }
    }
}

/// How many clients are subscribed to `channel` (`PUBSUB NUMSUB`).
pub async fn subscribers(port: u16, channel: &str) -> Option<u64> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    stream
        .write_all(format!("PUBSUB NUMSUB {channel}\r\n").as_bytes())
        .await
        .ok()?;
    let mut buf = [0u8; 256];
    let n = tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buf))
        .await
        .ok()?
        .ok()?;
    // `*2 $len channel :count`: the count is the last integer reply.
    let text = String::from_utf8_lossy(&buf[..n]);
    text.lines()
        .rev()
        .find_map(|l| l.strip_prefix(':'))
        .and_then(|c| c.trim().parse().ok())
}

async fn ping(port: u16) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
        return false;
    };
    if stream.write_all(b"PING\r\n").await.is_err() {
        return false;
    }
    let mut buf = [0u8; 16];
    matches!(
        tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buf)).await,
        Ok(Ok(n)) if buf[..n].starts_with(b"+PONG")
    )
}

impl Drop for Redis {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// nginx as the read tier's load balancer, a child process in the foreground.
pub struct Nginx {
    pub port: u16,
    dir: PathBuf,
    child: Option<std::process::Child>,
}

impl Nginx {
    async fn start(root: &Path, upstreams: &[u16]) -> Nginx {
        let dir = root.join("nginx");
        std::fs::create_dir_all(&dir).expect("nginx dir");
        let port = free_port();
        let servers: String = upstreams
            .iter()
            .map(|p| format!("        server 127.0.0.1:{p} max_fails=0;\n"))
            .collect();
        let user = if running_as_root() {
            "user root root;\n"
        } else {
            ""
        };
        let d = dir.display();
        let conf = format!(
            "{user}worker_processes 1;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n\
             \x20   access_log off;\n\
             \x20   client_body_temp_path {d}/client_body;\n\
             \x20   proxy_temp_path {d}/proxy;\n\
             \x20   fastcgi_temp_path {d}/fastcgi;\n\
             \x20   uwsgi_temp_path {d}/uwsgi;\n\
             \x20   scgi_temp_path {d}/scgi;\n\
             \x20   upstream read_tier {{\n{servers}        keepalive 16;\n    }}\n\
             \x20   server {{\n\
             \x20       listen 127.0.0.1:{port};\n\
             \x20       location / {{\n\
             \x20           proxy_pass http://read_tier;\n\
             \x20           proxy_http_version 1.1;\n\
             \x20           proxy_set_header Connection \"\";\n\
             \x20           proxy_set_header Host $host;\n\
             \x20       }}\n\
             \x20   }}\n\
             }}\n"
        );
        let conf_path = dir.join("nginx.conf");
        std::fs::write(&conf_path, conf).expect("write nginx.conf");
        let globals = format!(
            "daemon off; pid {d}/nginx.pid; error_log {d}/error.log;",
            d = dir.display()
        );
        let child = std::process::Command::new(sbin("nginx"))
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(&conf_path)
            .arg("-p")
            .arg(&dir)
            .args(["-g", &globals])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts (is it installed?)");
        let mut nginx = Nginx {
            port,
            dir,
            child: Some(child),
        };
        let http = reqwest::Client::new();
        let base = nginx.base();
        let log = nginx.dir.join("error.log");
        eventually("nginx proxies /health", WAIT, || {
            let (http, base) = (http.clone(), base.clone());
            async move {
                let resp = http.get(format!("{base}/health")).send().await.ok()?;
                (resp.status() == 200).then_some(())
            }
        })
        .await;
        if let Some(child) = nginx.child.as_mut() {
            assert!(
                matches!(child.try_wait(), Ok(None)),
                "nginx exited; see {}",
                log.display()
            );
        }
        nginx
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // SIGTERM: the master stops its workers too (a SIGKILL would orphan them).
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// An in-process server (write tier or read instance) running until stopped or dropped.
pub struct Server {
    pub base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl Server {
    fn spawn<F>(base: String, run: impl FnOnce(tokio::sync::oneshot::Receiver<()>) -> F) -> Server
    where
        F: std::future::Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(run(stopped));
        Server {
            base,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops the server and waits until it has stopped cleanly.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("server task")
                .expect("server stopped cleanly");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// How a topology is configured.
#[derive(Debug, Clone)]
pub struct Options {
    /// Whether the write tier publishes change notifications on Redis.
    pub notify: bool,
    /// The read instances' revision poll interval.
    pub poll_interval: Duration,
    /// How long a read instance waits for another's build before building itself.
    pub l2_wait: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            notify: false,
            poll_interval: Duration::from_millis(200),
            l2_wait: Duration::from_secs(2),
        }
    }
}

/// Everything production runs, on this machine. Fields drop in declaration order: the load
/// balancer first, the temporary directory last.
pub struct Topology {
    pub nginx: Nginx,
    pub reads: Vec<Server>,
    pub write: Server,
    pub redis: Redis,
    pub replica: PgCluster,
    pub primary: PgCluster,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Topology {
    /// Brings the whole topology up: primary, replica, Redis, write tier, two read instances
    /// and nginx.
    pub async fn start(options: Options) -> Topology {
        init_tracing();
        let dir = tempfile::Builder::new()
            .prefix("flipt-topology-")
            .tempdir()
            .expect("temporary directory");
        let root = dir.path().to_owned();
        std::fs::set_permissions(&root, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("chmod temporary directory");
        if running_as_root() {
            std::os::unix::fs::chown(&root, Some(id_of("-u")), Some(id_of("-g")))
                .expect("chown temporary directory to postgres");
        }

        // The primary: a fresh cluster, trust auth, replication allowed from loopback.
        let mut primary = PgCluster::new(&root, "primary");
        let mut initdb = pg_command("initdb");
        initdb.arg("-D").arg(&primary.data).args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        ]);
        run_async(initdb, "initdb").await;
        let conf = format!(
            "\nport = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
             wal_level = replica\nhot_standby = on\nmax_wal_senders = 5\nwal_keep_size = 128MB\n\
             fsync = off\nfull_page_writes = off\nshared_buffers = 16MB\nmax_connections = 60\n",
            primary.port,
            root.display()
        );
        append(&primary.data.join("postgresql.conf"), &conf);
        append(
            &primary.data.join("pg_hba.conf"),
            "\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n",
        );
        primary.start().await;

        // The replica: a base backup of the primary, streaming from it.
        let mut replica = PgCluster::new(&root, "replica");
        let mut backup = pg_command("pg_basebackup");
        backup
            .args(["-h", "127.0.0.1", "-p", &primary.port.to_string()])
            .args(["-U", "postgres", "-D"])
            .arg(&replica.data)
            .args(["-R", "-X", "stream", "-c", "fast", "--no-sync"]);
        run_async(backup, "pg_basebackup").await;
        append(
            &replica.data.join("postgresql.auto.conf"),
            &format!("port = {}\n", replica.port),
        );
        replica.start().await;

        let mut redis = Redis::new(&root);
        redis.start().await;

        // The write tier on the primary (it migrates the schema, which replicates).
        let mut settings = test_settings(&primary.url());
        settings.serve_evaluation = false;
        settings.publish = options.notify.then(|| redis.settings());
        let app = flipt_write::startup::Application::build(settings)
            .await
            .expect("write tier builds");
        let write = Server::spawn(format!("http://127.0.0.1:{}", app.http_port()), |stop| {
            app.run_until_stopped(async move {
                let _ = stop.await;
            })
        });

        // The read instances wait for the schema on the replica.
        let replica_url = replica.url();
        eventually("the schema reaches the replica", WAIT, || {
            let url = replica_url.clone();
            async move {
                let db = Database::connect(url).await.ok()?;
                let found = db
                    .query_one(Statement::from_string(
                        sea_orm::DbBackend::Postgres,
                        "SELECT revision FROM namespaces WHERE \"key\" = 'default'",
                    ))
                    .await
                    .ok()
                    .flatten()
                    .is_some();
                db.close().await.ok();
                found.then_some(())
            }
        })
        .await;
        let mut reads = Vec::new();
        for _ in 0..2 {
            let mut settings = read_settings(&replica_url);
            settings.redis = Some(redis.settings());
            settings.poll_interval = options.poll_interval;
            settings.l2_wait = options.l2_wait;
            let app = flipt_read::startup::Application::build(settings)
                .await
                .expect("read instance builds");
            reads.push(Server::spawn(
                format!("http://127.0.0.1:{}", app.http_port()),
                |stop| {
                    app.run_until_stopped(async move {
                        let _ = stop.await;
                    })
                },
            ));
        }
        let ports: Vec<u16> = reads
            .iter()
            .map(|r| r.base.rsplit(':').next().and_then(|p| p.parse().ok()))
            .map(|p| p.expect("read port"))
            .collect();
        if options.notify {
            let (port, channel) = (redis.port, redis.settings().channel);
            eventually("both read instances subscribe", WAIT, || {
                let channel = channel.clone();
                async move { (subscribers(port, &channel).await? >= 2).then_some(()) }
            })
            .await;
        }
        let nginx = Nginx::start(&root, &ports).await;
        let topology = Topology {
            nginx,
            reads,
            write,
            redis,
            replica,
            primary,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("http client"),
            _dir: dir,
        };
        for base in topology.read_bases() {
            eventually("read instance ready", WAIT, || {
                let (http, base) = (topology.http.clone(), base.clone());
                async move {
                    let resp = http.get(format!("{base}/health/ready")).send().await.ok()?;
                    (resp.status() == 200).then_some(())
                }
            })
            .await;
        }
        topology
    }

    /// The base URLs of the read instances.
    pub fn read_bases(&self) -> Vec<String> {
        self.reads.iter().map(|r| r.base.clone()).collect()
    }

    /// nginx's base URL.
    pub fn lb(&self) -> String {
        self.nginx.base()
    }

    /// Sends a management call to the write tier, asserting 200.
    pub async fn manage(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let resp = self
            .http
            .request(method.clone(), format!("{}{path}", self.write.base))
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 200, "{method} {path}: {body}");
        body
    }

    /// Creates a boolean flag in [`NS`].
    pub async fn create_flag(&self, key: &str, enabled: bool) {
        self.manage(
            reqwest::Method::POST,
            &format!("/api/v1/namespaces/{NS}/flags"),
            json!({"key": key, "name": key, "type": "BOOLEAN_FLAG_TYPE", "enabled": enabled}),
        )
        .await;
    }

    /// Sets a boolean flag's `enabled`.
    pub async fn set_flag(&self, key: &str, enabled: bool) {
        set_flag(&self.http, &self.write.base, key, enabled).await;
    }

    /// Waits until every read instance, directly and through nginx, answers `enabled` for `flag`.
    pub async fn wait_visible(&self, flag: &str, enabled: bool) {
        for base in self.read_bases() {
            wait_answer(&self.http, &base, flag, enabled).await;
        }
        // Through the load balancer: enough consecutive answers to have reached both upstreams.
        let lb = self.lb();
        eventually(&format!("{flag}={enabled} through nginx"), WAIT, || {
            let (http, lb) = (self.http.clone(), lb.clone());
            async move {
                for _ in 0..6 {
                    if boolean(&http, &lb, flag).await.ok()? != enabled {
                        return None;
                    }
                }
                Some(())
            }
        })
        .await;
    }

    /// Scrapes every read instance's `/metrics`.
    pub async fn metrics(&self) -> Vec<Metrics> {
        let mut all = Vec::new();
        for base in self.read_bases() {
            all.push(scrape(&self.http, &base).await);
        }
        all
    }

    /// Waits until every read instance serves [`NS`] at the primary's current revision; returns it.
    pub async fn wait_synced(&self) -> i64 {
        let want = self.primary.revision(NS).await;
        for base in self.read_bases() {
            eventually(&format!("{base} serves revision {want}"), WAIT, || {
                let (http, base) = (self.http.clone(), base.clone());
                async move {
                    let m = scrape(&http, &base).await;
                    (m.revision(NS) >= want as f64).then_some(())
                }
            })
            .await;
        }
        want
    }
}

fn append(path: &Path, text: &str) {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    file.write_all(text.as_bytes())
        .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Sets a boolean flag's `enabled` through the management API at `base`.
pub async fn set_flag(http: &reqwest::Client, base: &str, key: &str, enabled: bool) {
    let path = format!("/api/v1/namespaces/{NS}/flags/{key}");
    let resp = http
        .put(format!("{base}{path}"))
        .json(&json!({"name": key, "enabled": enabled}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("PUT {path}: {e}"));
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 200, "PUT {path}: {body}");
}

/// Evaluates a boolean flag of [`NS`] at `base`; `Err` describes a failed evaluation.
pub async fn boolean(http: &reqwest::Client, base: &str, flag: &str) -> Result<bool, String> {
    let resp = http
        .post(format!("{base}/evaluate/v1/boolean"))
        .json(&json!({"namespaceKey": NS, "flagKey": flag, "entityId": "user-1"}))
        .send()
        .await
        .map_err(|e| format!("request to {base}: {e}"))?;
    let status = resp.status().as_u16();
    let body: Value = resp
        .json()
        .await
        .map_err(|e| format!("body from {base}: {e}"))?;
    if status != 200 {
        return Err(format!("{base}: {status} {body}"));
    }
    body["enabled"]
        .as_bool()
        .ok_or_else(|| format!("{base}: no `enabled` in {body}"))
}

/// Waits until `base` answers `enabled` for `flag`.
pub async fn wait_answer(http: &reqwest::Client, base: &str, flag: &str, enabled: bool) {
    eventually(
        &format!("{flag}={enabled} at {base}"),
        WAIT,
        || async move { (boolean(http, base, flag).await.ok()? == enabled).then_some(()) },
    )
    .await;
}

/// The samples of one `/metrics` scrape.
#[derive(Debug, Clone)]
pub struct Metrics(String);

impl Metrics {
    /// The value of the sample `name{labels}` (labels as rendered, e.g. `source="l2"`; empty for
    /// none); 0 when absent.
    pub fn value(&self, name: &str, labels: &str) -> f64 {
        let want = if labels.is_empty() {
            name.to_owned()
        } else {
            format!("{name}{{{labels}}}")
        };
        self.0
            .lines()
            .filter(|l| !l.starts_with('#'))
            .find_map(|l| {
                let (series, value) = l.rsplit_once(' ')?;
                (series == want).then(|| value.parse().ok()).flatten()
            })
            .unwrap_or(0.0)
    }

    /// `flipt_snapshot_revision{namespace}`.
    pub fn revision(&self, namespace: &str) -> f64 {
        self.value(
            "flipt_snapshot_revision",
            &format!("namespace=\"{namespace}\""),
        )
    }

    /// `flipt_snapshot_builds_total{source}`.
    pub fn builds(&self, source: &str) -> f64 {
        self.value(
            "flipt_snapshot_builds_total",
            &format!("source=\"{source}\""),
        )
    }

    /// `flipt_cache_hit_total{cache}`.
    pub fn hits(&self, cache: &str) -> f64 {
        self.value("flipt_cache_hit_total", &format!("cache=\"{cache}\""))
    }
}

/// Scrapes `base/metrics`.
pub async fn scrape(http: &reqwest::Client, base: &str) -> Metrics {
    let resp = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {base}/metrics: {e}"));
    assert_eq!(resp.status(), 200, "GET {base}/metrics");
    Metrics(resp.text().await.expect("metrics body"))
}

/// What a steady evaluation load saw.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub ok: usize,
    pub failures: Vec<String>,
}

/// A steady evaluation load: `workers` loops evaluating `flag` at `targets` in turn (expecting
/// `enabled`) until `total` requests were sent. `progress` counts completed requests, so a test
/// can disturb the topology part-way through.
pub struct Load {
    pub progress: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    task: tokio::task::JoinHandle<LoadReport>,
}

impl Load {
    pub fn start(
        http: reqwest::Client,
        targets: Vec<String>,
        flag: &str,
        enabled: bool,
        total: usize,
        pace: Duration,
    ) -> Load {
        use std::sync::atomic::Ordering;
        let progress = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let workers = 4;
        let counter = progress.clone();
        let flag = flag.to_owned();
        let task = tokio::spawn(async move {
            let mut handles = Vec::new();
            for w in 0..workers {
                let (http, targets, flag, counter) =
                    (http.clone(), targets.clone(), flag.clone(), counter.clone());
                handles.push(tokio::spawn(async move {
                    let mut report = LoadReport::default();
                    let mut i = w;
                    loop {
                        let n = counter.fetch_add(1, Ordering::SeqCst);
                        if n >= total {
                            counter.fetch_sub(1, Ordering::SeqCst);
                            break;
                        }
                        let target = &targets[i % targets.len()];
                        i += 1;
                        match boolean(&http, target, &flag).await {
                            Ok(got) if got == enabled => report.ok += 1,
                            Ok(got) => report.failures.push(format!("{target}: enabled={got}")),
                            Err(e) => report.failures.push(e),
                        }
                        tokio::time::sleep(pace).await;
                    }
                    report
                }));
            }
            let mut all = LoadReport::default();
            for h in handles {
                let r = h.await.expect("load worker");
                all.ok += r.ok;
                all.failures.extend(r.failures);
            }
            all
        });
        Load { progress, task }
    }

    /// Waits until at least `n` requests were sent.
    pub async fn reached(&self, n: usize) {
        let progress = self.progress.clone();
        eventually(&format!("{n} load requests"), Duration::from_secs(60), || {
            let progress = progress.clone();
            async move { (progress.load(std::sync::atomic::Ordering::SeqCst) >= n).then_some(()) }
        })
        .await;
    }

    /// Waits for the end of the load.
    pub async fn finish(self) -> LoadReport {
        self.task.await.expect("load task")
    }
}
