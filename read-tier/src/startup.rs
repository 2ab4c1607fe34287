//! Building and running a read instance: replica pool, snapshot cache and poller, both
//! listeners, shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use anyhow::Context as _;
use flipt_proto::flipt::evaluation::evaluation_service_server::EvaluationServiceServer;
use flipt_shared::cache::RedisSettings;
use flipt_shared::gateway::{self, is_gateway_path};
use flipt_shared::store::{self, PoolOptions};
use flipt_shared::transport::ErrorBody;
use tokio_stream::wrappers::TcpListenerStream;
use tonic_health::ServingStatus;

use crate::cache::SnapshotCache;
use crate::grpc::ReadApi;
use crate::l2::SharedSnapshots;
use crate::metrics::Metrics;
use crate::state::ReadState;

/// What a read instance needs to start, resolved from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub http_addr: SocketAddr,
    pub grpc_addr: SocketAddr,
    /// sqlx URL of the database to read (a replica in production).
    pub database_url: String,
    pub pool: PoolOptions,
    /// How often namespace revisions are polled.
    pub poll_interval: Duration,
    /// OFREP's advertised polling interval (`None`: not advertised).
    pub ofrep_polling_ms: Option<u32>,
    pub grace_period: Duration,
    pub http_workers: Option<usize>,
    /// The shared Redis cache (L2) and invalidation channel, when configured.
    pub redis: Option<RedisSettings>,
    /// How long an instance waits for another's build of a snapshot before building itself.
    pub l2_wait: Duration,
}

/// A built read instance: connected, first snapshots loaded if the database answered.
pub struct Application {
    state: ReadState,
    http: std::net::TcpListener,
    grpc: tokio::net::TcpListener,
    settings: Settings,
}

/// The answer to management routes on a read instance.
async fn not_served(req: HttpRequest) -> HttpResponse {
    if req.path().starts_with("/api/v1/") || req.path() == "/api/v1" {
        ErrorBody::new(
            tonic::Code::Unimplemented,
            "the management API is served by the write tier, not by a read instance",
        )
        .into_response()
    } else if is_gateway_path(req.path()) {
        flipt_shared::gateway::not_found_response()
    } else {
        HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("404 page not found\n")
    }
}

/// `GET /health`: liveness, Flipt's contract (the process answers while it runs).
async fn health() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"{"status":"SERVING"}"#)
}

impl Application {
    /// Connects to the database and loads every namespace once (a failure here is logged and
    /// retried by the poller; the instance then serves nothing until a load succeeds).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = store::connect(&settings.database_url, &settings.pool)
            .await
            .context("failed to connect to database")?;
        let metrics = Metrics::new();
        let l2 = match &settings.redis {
            Some(redis) => Some(
                SharedSnapshots::new(redis.clone(), settings.l2_wait, metrics.clone())
                    .map_err(|e| anyhow::anyhow!("cache.redis: {e}"))?,
            ),
            None => None,
        };
        let cache = Arc::new(SnapshotCache::new(db, l2, metrics));
        if let Err(err) = cache.sync().await {
            tracing::warn!(error = %err, "initial snapshot load failed; will retry");
        }
        let http = std::net::TcpListener::bind(settings.http_addr)
            .with_context(|| format!("failed to bind HTTP listener on {}", settings.http_addr))?;
        http.set_nonblocking(true)?;
        let grpc = tokio::net::TcpListener::bind(settings.grpc_addr)
            .await
            .with_context(|| format!("failed to bind gRPC listener on {}", settings.grpc_addr))?;
        let state = ReadState {
            cache,
            ofrep_polling_ms: settings.ofrep_polling_ms,
        };
        Ok(Application {
            state,
            http,
            grpc,
            settings,
        })
    }

    /// The bound HTTP port.
    pub fn http_port(&self) -> u16 {
        self.http.local_addr().map(|a| a.port()).unwrap_or_default()
    }

    /// The bound gRPC port.
    pub fn grpc_port(&self) -> u16 {
        self.grpc.local_addr().map(|a| a.port()).unwrap_or_default()
    }

    /// The instance's state.
    pub fn state(&self) -> &ReadState {
        &self.state
    }

    /// Serves until `shutdown` resolves or a server fails, polling for changes meanwhile.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
        let Application {
            state,
            http,
            grpc,
            settings,
        } = self;
        let http_server = http_server(&state, http, &settings)?;
        let http_handle = http_server.handle();

        let (health_reporter, health_service) = tonic_health::server::health_reporter();
        health_reporter
            .set_serving::<EvaluationServiceServer<ReadApi>>()
            .await;
        health_reporter
            .set_service_status("", ServingStatus::Serving)
            .await;
        let reflection = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(flipt_proto::FILE_DESCRIPTOR_SET)
            .build_v1()
            .context("failed to build gRPC reflection")?;
        let api = ReadApi::new(state.clone());
        let (stop_grpc, grpc_stopped) = tokio::sync::oneshot::channel::<()>();
        let grpc_server = tonic::transport::Server::builder()
            .add_service(health_service)
            .add_service(reflection)
            .add_service(api.evaluation_service())
            .add_service(api.data_service())
            .add_service(api.ofrep_service())
            .add_service(api.flipt_service())
            .serve_with_incoming_shutdown(TcpListenerStream::new(grpc), async move {
                let _ = grpc_stopped.await;
            });

        let (stop_poll, poll_stopped) = tokio::sync::watch::channel(false);
        let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stop| *stop).await;
        };
        let poller = tokio::spawn(
            state
                .cache
                .clone()
                .poll(settings.poll_interval, stopped(poll_stopped.clone())),
        );
        let subscriber = settings.redis.clone().map(|redis| {
            tokio::spawn(crate::notify::subscribe(
                state.cache.clone(),
                redis,
                stopped(poll_stopped.clone()),
            ))
        });
        let mut http_task = tokio::spawn(http_server);
        let mut grpc_task = tokio::spawn(grpc_server);

        let early = tokio::select! {
            _ = shutdown => None,
            res = &mut http_task => Some(("http", res.map(|r| r.map_err(anyhow::Error::from)))),
            res = &mut grpc_task => Some(("grpc", res.map(|r| r.map_err(anyhow::Error::from)))),
        };
        tracing::info!("shutting down...");
        health_reporter
            .set_service_status("", ServingStatus::NotServing)
            .await;
        http_handle.stop(true).await;
        let _ = stop_grpc.send(());
        let _ = stop_poll.send(true);
        let _ = poller.await;
        if let Some(subscriber) = subscriber {
            let _ = subscriber.await;
        }
        if let Some((which, res)) = early {
            res.context("server task panicked")??;
            anyhow::bail!("{which} server stopped unexpectedly");
        }
        http_task.await.context("http server task panicked")??;
        grpc_task.await.context("grpc server task panicked")??;
        Ok(())
    }
}

fn http_server(
    state: &ReadState,
    listener: std::net::TcpListener,
    settings: &Settings,
) -> std::io::Result<actix_web::dev::Server> {
    let data = web::Data::new(state.clone());
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(gateway::MAX_BODY_BYTES))
            .wrap_fn(gateway::normalize)
            .route("/health", web::get().to(health))
            .configure(crate::http::operational_routes)
            .configure(crate::http::routes)
            .default_service(web::to(not_served))
    })
    .listen(listener)?
    .disable_signals()
    .shutdown_timeout(settings.grace_period.as_secs().max(1));
    if let Some(workers) = settings.http_workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}

impl Settings {
    /// Resolves the settings from the configuration: the first of `db.replicas`, else `db.url`.
    pub fn from_config(config: &flipt_shared::config::Config) -> anyhow::Result<Self> {
        let server = &config.server;
        let host = server.host.trim();
        let host = if host.is_empty() { "0.0.0.0" } else { host };
        let ip: std::net::IpAddr = if host == "localhost" {
            std::net::IpAddr::from([127, 0, 0, 1])
        } else {
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .parse()
                .map_err(|_| anyhow::anyhow!("server.host: {host:?} is not an IP address"))?
        };
        let replicas = config.db.resolved_replica_urls()?;
        let url = match replicas.into_iter().next() {
            Some(url) => url,
            None => config.db.resolved_url()?,
        };
        let redis = RedisSettings::from_config(&config.cache).map_err(|e| anyhow::anyhow!(e))?;
        let ofrep_polling_ms = config
            .cache
            .enabled
            .then(|| u32::try_from(config.cache.ttl.as_millis()).unwrap_or(u32::MAX));
        Ok(Settings {
            http_addr: SocketAddr::new(ip, server.http_port),
            grpc_addr: SocketAddr::new(ip, server.grpc_port),
            database_url: url.as_str().to_owned(),
            pool: PoolOptions {
                max_connections: config.db.max_connections(url.driver()),
                acquire_timeout: config.db.acquire_timeout,
                idle_timeout: config.db.conn_max_idle_time,
                max_lifetime: config.db.conn_max_lifetime,
            },
            poll_interval: config.cache.invalidation.poll_interval,
            ofrep_polling_ms,
            grace_period: server.shutdown.grace_period,
            http_workers: None,
            redis,
            l2_wait: Duration::from_secs(2),
        })
    }
}
