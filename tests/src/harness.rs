//! Test harness: fresh databases, a running write tier, and REST/gRPC clients for it.

use std::net::SocketAddr;
use std::time::Duration;

use flipt_proto::flipt::flipt_client::FliptClient;
use flipt_shared::store::PoolOptions;
use flipt_write::startup::{Application, Settings};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::Value;
use tonic::transport::Channel;

/// The database kinds every API test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    MySql,
}

pub fn postgres_server() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

fn mysql_server() -> String {
    std::env::var("TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into())
}

/// A database created for one test, dropped (best effort) when the test ends.
pub struct TestDatabase {
    pub backend: Backend,
    pub url: String,
    name: String,
}

impl TestDatabase {
    /// Creates an empty database of the given kind.
    pub async fn create(backend: Backend) -> TestDatabase {
        let name = format!("flipt_test_{}", uuid::Uuid::new_v4().simple());
        let url = match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                format!("sqlite://{}?mode=rwc", path.display())
            }
            Backend::Postgres => {
                let admin = Database::connect(format!("{}/postgres", postgres_server()))
                    .await
                    .expect("connect to postgres");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create database");
                admin.close().await.ok();
                format!("{}/{name}", postgres_server())
            }
            Backend::MySql => {
                let admin = Database::connect(format!("{}/mysql", mysql_server()))
                    .await
                    .expect("connect to mariadb");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create database");
                admin.close().await.ok();
                format!("{}/{name}", mysql_server())
            }
        };
        TestDatabase { backend, url, name }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (backend, name) = (self.backend, self.name.clone());
        if backend == Backend::Sqlite {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            let _ = std::fs::remove_file(path);
            return;
        }
        // Dropping needs async I/O; do it on a thread of its own so Drop works in any runtime.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                let (admin, sql) = match backend {
                    Backend::Postgres => (
                        format!("{}/postgres", postgres_server()),
                        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                    ),
                    _ => (
                        format!("{}/mysql", mysql_server()),
                        format!("DROP DATABASE IF EXISTS {name}"),
                    ),
                };
                if let Ok(db) = Database::connect(admin).await {
                    let _ = db.execute_unprepared(&sql).await;
                    let _ = db.close().await;
                }
            });
        })
        .join();
    }
}

/// A binary of the workspace's debug build (`CARGO_TARGET_DIR` honoured, as `.ci/run` sets it).
pub fn workspace_binary(name: &str) -> std::path::PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let path = target.join("debug").join(name);
    assert!(
        path.exists(),
        "{} not built; build the workspace's binaries first (`cargo build --workspace --bins`)",
        path.display()
    );
    path
}

/// Installs a log subscriber once when `TEST_LOG` is set (e.g. `TEST_LOG=debug`).
pub fn init_tracing() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Ok(filter) = std::env::var("TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
    });
}

/// Write-tier settings for a test: loopback, random ports, one HTTP worker.
pub fn test_settings(database_url: &str) -> Settings {
    Settings {
        http_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        grpc_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        database_url: database_url.to_owned(),
        pool: PoolOptions {
            max_connections: 5,
            ..PoolOptions::default()
        },
        read_only: false,
        grace_period: Duration::from_secs(5),
        http_workers: Some(1),
        serve_evaluation: true,
        poll_interval: Duration::from_secs(1),
        ofrep_polling_ms: None,
        publish: None,
        meta: flipt_write::service::meta::Meta::default(),
    }
}

/// A running write tier on a fresh database, with clients.
pub struct TestApp {
    pub http_base: String,
    pub grpc_addr: String,
    pub http: reqwest::Client,
    pub db: DatabaseConnection,
    pub backend: Backend,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    // Dropped last: the database outlives the server.
    _database: TestDatabase,
}

impl TestApp {
    /// Starts a write tier on a fresh database of the given kind.
    pub async fn spawn(backend: Backend) -> TestApp {
        let database = TestDatabase::create(backend).await;
        Self::spawn_with(database, |_| {}).await
    }

    /// Starts a write tier on `database`, letting the test adjust the settings.
    pub async fn spawn_with(database: TestDatabase, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        init_tracing();
        let mut settings = test_settings(&database.url);
        adjust(&mut settings);
        let app = Application::build(settings)
            .await
            .expect("write tier builds");
        let http_base = format!("http://127.0.0.1:{}", app.http_port());
        let grpc_addr = format!("http://127.0.0.1:{}", app.grpc_port());
        let db = app.state().db.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until_stopped(async move {
            let _ = stopped.await;
        }));
        TestApp {
            http_base,
            grpc_addr,
            http: reqwest::Client::new(),
            db,
            backend: database.backend,
            stop: Some(stop),
            task: Some(task),
            _database: database,
        }
    }

    /// Stops the server and waits for it to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("server task")
                .expect("server ran cleanly");
        }
    }

    /// Sends a request with an optional JSON body; returns status and parsed JSON body
    /// (`Value::Null` when the body is not JSON).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.http_base, path));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body read");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Sends a raw body (for malformed-JSON tests).
    pub async fn call_raw(&self, method: reqwest::Method, path: &str, body: &str) -> (u16, Value) {
        let resp = self
            .http
            .request(method, format!("{}{}", self.http_base, path))
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("request sent");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body read");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::DELETE, path, None).await
    }

    /// Like `post`, asserting 200 and returning the body.
    pub async fn post_ok(&self, path: &str, body: Value) -> Value {
        let (status, json) = self.post(path, body).await;
        assert_eq!(status, 200, "POST {path}: {json}");
        json
    }

    /// A connected gRPC client for `flipt.Flipt`.
    pub async fn grpc(&self) -> FliptClient<Channel> {
        FliptClient::connect(self.grpc_addr.clone())
            .await
            .expect("grpc connects")
    }

    /// The URL of this app's database (for a read instance over the same data).
    pub fn database_url(&self) -> &str {
        &self._database.url
    }

    /// The stored revision of a namespace.
    pub async fn revision(&self, namespace: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let sql = match backend {
            sea_orm::DbBackend::Postgres => "SELECT revision FROM namespaces WHERE \"key\" = $1",
            sea_orm::DbBackend::MySql => "SELECT revision FROM namespaces WHERE `key` = ?",
            sea_orm::DbBackend::Sqlite => "SELECT revision FROM namespaces WHERE \"key\" = ?",
        };
        let row = self
            .db
            .query_one(Statement::from_sql_and_values(
                backend,
                sql,
                [namespace.into()],
            ))
            .await
            .expect("query revision")
            .expect("namespace exists");
        row.try_get::<i64>("", "revision").expect("revision column")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Asserts a Flipt error body: exact code and message, `details: []`, nothing else.
pub fn assert_error(
    status: u16,
    body: &Value,
    want_status: u16,
    want_code: i64,
    want_message: &str,
) {
    assert_eq!(status, want_status, "status of {body}");
    assert_eq!(
        body,
        &serde_json::json!({"code": want_code, "message": want_message, "details": []}),
    );
}

/// Generates one `#[tokio::test]` per backend for an `async fn(Backend)`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use $crate::harness::Backend;

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(Backend::Postgres).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn mysql() {
                    super::$name(Backend::MySql).await;
                }
            }
        )*
    };
}
