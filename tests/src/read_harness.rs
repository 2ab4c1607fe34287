//! Harness for the read tier: a read instance over the same database as a write tier,
//! optionally as a SELECT-only PostgreSQL user.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use flipt_read::startup::{Application, Settings};
use flipt_shared::store::PoolOptions;
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

use crate::harness::{postgres_server, TestApp};

/// A running read instance.
pub struct ReadApp {
    pub http_base: String,
    pub grpc_addr: String,
    pub http: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

/// Read-instance settings for a test: loopback, random ports, fast polling.
pub fn read_settings(database_url: &str) -> Settings {
    Settings {
        http_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        grpc_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        database_url: database_url.to_owned(),
        pool: PoolOptions {
            max_connections: 3,
            ..PoolOptions::default()
        },
        poll_interval: Duration::from_millis(100),
        ofrep_polling_ms: None,
        grace_period: Duration::from_secs(5),
        http_workers: Some(1),
        redis: None,
        l2_wait: Duration::from_secs(2),
    }
}

impl ReadApp {
    /// Starts a read instance reading `database_url`.
    pub async fn spawn(database_url: &str) -> ReadApp {
        Self::spawn_with(read_settings(database_url)).await
    }

    /// Starts a read instance with the given settings.
    pub async fn spawn_with(settings: Settings) -> ReadApp {
        crate::harness::init_tracing();
        let app = Application::build(settings)
            .await
            .expect("read tier builds");
        let http_base = format!("http://127.0.0.1:{}", app.http_port());
        let grpc_addr = format!("http://127.0.0.1:{}", app.grpc_port());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async move {
            let _ = stopped.await;
        }));
        ReadApp {
            http_base,
            grpc_addr,
            http: reqwest::Client::new(),
            stop: Some(stop),
        }
    }

    /// POSTs JSON; returns status and body.
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{}{}", self.http_base, path))
            .json(&body)
            .send()
            .await
            .expect("request sent");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body read");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// GETs a path; returns status and body.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let resp = self
            .http
            .get(format!("{}{}", self.http_base, path))
            .send()
            .await
            .expect("request sent");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body read");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Polls `check` until it returns `Some`, for at most 10 s.
    pub async fn eventually<T, F, Fut>(&self, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(value) = check().await {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "condition not reached within 10s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for ReadApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Creates a PostgreSQL role that may only SELECT in the write tier's database and returns
/// a URL connecting as it.
pub async fn select_only_url(app: &TestApp) -> String {
    let database = app
        .database_url()
        .rsplit('/')
        .next()
        .expect("database name")
        .to_owned();
    let role = format!("flipt_reader_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(format!("{}/{database}", postgres_server()))
        .await
        .expect("connect as admin");
    for sql in [
        format!("CREATE ROLE {role} LOGIN"),
        format!("GRANT CONNECT ON DATABASE {database} TO {role}"),
        format!("GRANT USAGE ON SCHEMA public TO {role}"),
        format!("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"),
    ] {
        admin.execute_unprepared(&sql).await.expect("grant");
    }
    admin.close().await.ok();
    let server = postgres_server();
    let host = server.rsplit('@').next().expect("host part");
    format!("postgres://{role}@{host}/{database}")
}
