//! Building and running the write tier: database, migrations, both listeners, shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::{web, App, HttpServer};
use anyhow::Context as _;
use flipt_proto::flipt::extensions::extensions_server::ExtensionsServer;
use flipt_proto::flipt::flipt_server::FliptServer;
use flipt_proto::flipt::meta::metadata_service_server::MetadataServiceServer;
use flipt_shared::gateway;
use flipt_shared::store::{self, PoolOptions};
use tokio_stream::wrappers::TcpListenerStream;
use tonic_health::ServingStatus;

use flipt_read::cache::SnapshotCache;
use flipt_read::grpc::ReadApi;
use flipt_read::metrics::Metrics;
use flipt_read::state::ReadState;

use crate::grpc::{ExtensionsApi, FliptApi, MetaApi};
use crate::http;
use crate::state::{AppState, Health, Notifier};

/// What the write tier needs to start, resolved from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// HTTP listener; port 0 picks a free port.
    pub http_addr: SocketAddr,
    /// gRPC listener; port 0 picks a free port.
    pub grpc_addr: SocketAddr,
    /// sqlx URL of the primary database.
    pub database_url: String,
    pub pool: PoolOptions,
    /// `storage.read_only`.
    pub read_only: bool,
    /// How long in-flight requests may take to finish at shutdown.
    pub grace_period: Duration,
    /// HTTP worker threads (`None`: one per core).
    pub http_workers: Option<usize>,
    /// Whether this process also serves evaluation (`server.role: all`, standalone).
    pub serve_evaluation: bool,
    /// How often the mounted evaluation cache polls revisions (writes of other processes).
    pub poll_interval: Duration,
    /// OFREP's advertised polling interval, when the evaluation cache is enabled.
    pub ofrep_polling_ms: Option<u32>,
    /// Redis to announce commits on (`cache.invalidation.publish`).
    pub publish: Option<flipt_shared::cache::RedisSettings>,
    /// What the Meta API reports (`/meta/info`, `/meta/config`); its `read_only` is taken from
    /// [`Settings::read_only`] at build time.
    pub meta: crate::service::meta::Meta,
}

/// A built write tier: connected, migrated, both ports bound, not yet serving.
pub struct Application {
    state: AppState,
    http: std::net::TcpListener,
    grpc: tokio::net::TcpListener,
    settings: Settings,
}

impl Application {
    /// Connects to the database, applies pending migrations under the database lock, and binds
    /// both listeners.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = store::connect(&settings.database_url, &settings.pool)
            .await
            .context("failed to connect to database")?;
        flipt_migrations::migrate(&db)
            .await
            .context("failed to apply database migrations")?;
        let http = std::net::TcpListener::bind(settings.http_addr)
            .with_context(|| format!("failed to bind HTTP listener on {}", settings.http_addr))?;
        http.set_nonblocking(true)?;
        let grpc = tokio::net::TcpListener::bind(settings.grpc_addr)
            .await
            .with_context(|| format!("failed to bind gRPC listener on {}", settings.grpc_addr))?;
        let metrics = Metrics::new();
        let reader = if settings.serve_evaluation {
            let cache = Arc::new(SnapshotCache::new(db.clone(), None, metrics.clone()));
            cache
                .sync()
                .await
                .context("failed to load evaluation snapshots")?;
            Some(ReadState {
                cache,
                ofrep_polling_ms: settings.ofrep_polling_ms,
            })
        } else {
            None
        };
        let notifier = match &settings.publish {
            Some(redis) => Some(Notifier {
                redis: redis
                    .handle()
                    .map_err(|e| anyhow::anyhow!("cache.redis: {e}"))?,
                channel: redis.channel.clone(),
            }),
            None => None,
        };
        let mut meta = settings.meta.clone();
        meta.read_only = settings.read_only;
        let state = AppState {
            db,
            read_only: settings.read_only,
            meta: Arc::new(meta),
            health: Health::default(),
            reader,
            notifier,
            metrics,
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

    /// The tier's state (tests use its database handle).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves or a server fails; then reports not-serving, stops
    /// accepting, and lets in-flight requests finish within the grace period.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
        let Application {
            state,
            http,
            grpc,
            settings,
        } = self;
        let http_addr = http.local_addr()?;
        let grpc_addr = grpc.local_addr()?;

        let http_server = http_server(&state, http, &settings)?;
        let http_handle = http_server.handle();

        let (health_reporter, health_service) = tonic_health::server::health_reporter();
        health_reporter.set_serving::<FliptServer<FliptApi>>().await;
        health_reporter
            .set_service_status("", ServingStatus::Serving)
            .await;
        let reflection = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(flipt_proto::FILE_DESCRIPTOR_SET)
            .build_v1()
            .context("failed to build gRPC reflection")?;
        let (stop_grpc, grpc_stopped) = tokio::sync::oneshot::channel::<()>();
        let read_api = state.reader.clone().map(ReadApi::new);
        let grpc_server = tonic::transport::Server::builder()
            .add_service(health_service)
            .add_service(reflection)
            .add_service(FliptServer::new(FliptApi::new(state.clone())))
            .add_service(MetadataServiceServer::new(MetaApi::new(state.clone())))
            .add_service(ExtensionsServer::new(ExtensionsApi::new(state.clone())))
            .add_optional_service(read_api.as_ref().map(ReadApi::evaluation_service))
            .add_optional_service(read_api.as_ref().map(ReadApi::data_service))
            .add_optional_service(read_api.as_ref().map(ReadApi::ofrep_service))
            .serve_with_incoming_shutdown(TcpListenerStream::new(grpc), async move {
                let _ = grpc_stopped.await;
            });
        let (stop_poll, poll_stopped) = tokio::sync::oneshot::channel::<()>();
        let poller = state.reader.as_ref().map(|reader| {
            tokio::spawn(
                reader
                    .cache
                    .clone()
                    .poll(settings.poll_interval, async move {
                        let _ = poll_stopped.await;
                    }),
            )
        });

        let mut http_task = tokio::spawn(http_server);
        let mut grpc_task = tokio::spawn(grpc_server);
        state.health.set_serving(true);
        tracing::info!(address = %format!("http://{http_addr}/api/v1"), "api available");
        tracing::info!(address = %grpc_addr, "grpc available");

        let early = tokio::select! {
            _ = shutdown => None,
            res = &mut http_task => Some(("http", res.map(|r| r.map_err(anyhow::Error::from)))),
            res = &mut grpc_task => Some(("grpc", res.map(|r| r.map_err(anyhow::Error::from)))),
        };
        tracing::info!("shutting down...");
        state.health.set_serving(false);
        health_reporter
            .set_service_status("", ServingStatus::NotServing)
            .await;
        health_reporter
            .set_not_serving::<FliptServer<FliptApi>>()
            .await;
        http_handle.stop(true).await;
        let _ = stop_grpc.send(());
        let _ = stop_poll.send(());
        if let Some(poller) = poller {
            let _ = poller.await;
        }
        if let Some((which, res)) = early {
            res.context("server task panicked")??;
            anyhow::bail!("{which} server stopped unexpectedly");
        }
        http_task.await.context("http server task panicked")??;
        grpc_task.await.context("grpc server task panicked")??;
        state.db.clone().close().await.ok();
        Ok(())
    }
}

/// Builds the actix server (kept out of async code: its builder is not `Send`).
fn http_server(
    state: &AppState,
    listener: std::net::TcpListener,
    settings: &Settings,
) -> std::io::Result<actix_web::dev::Server> {
    let data = web::Data::new(state.clone());
    let reader = state.reader.clone().map(web::Data::new);
    let mut server = HttpServer::new(move || {
        let mut app = App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(gateway::MAX_BODY_BYTES))
            .wrap_fn(gateway::normalize);
        // Evaluation routes first: `/api/v1/namespaces/{ns}/evaluate` must not be taken for a
        // management path.
        if let Some(reader) = &reader {
            app = app
                .app_data(reader.clone())
                .configure(flipt_read::http::routes);
        }
        app.configure(http::routes)
            .default_service(web::to(http::not_found))
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
    /// Resolves the settings from the loaded configuration; port and address errors name the
    /// configuration key at fault.
    pub fn from_config(config: &flipt_shared::config::Config) -> anyhow::Result<Self> {
        use flipt_shared::config::{ServerProtocol, ServerRole};
        let server = &config.server;
        if server.role == ServerRole::Read {
            anyhow::bail!(
                "server.role: read is served by flipt-read; flipt-write takes all or write"
            );
        }
        if server.protocol == ServerProtocol::Https {
            anyhow::bail!("server.protocol: https is not supported yet; terminate TLS in front of flipt-write");
        }
        let addr = |port: u16, key: &str| -> anyhow::Result<SocketAddr> {
            let host = server.host.trim();
            let host = if host.is_empty() { "0.0.0.0" } else { host };
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let ip: std::net::IpAddr = host
                .parse()
                .or_else(|_| {
                    if host == "localhost" {
                        Ok(std::net::IpAddr::from([127, 0, 0, 1]))
                    } else {
                        Err(())
                    }
                })
                .map_err(|_| {
                    anyhow::anyhow!("server.host: {host:?} is not an IP address ({key})")
                })?;
            Ok(SocketAddr::new(ip, port))
        };
        let url = config.db.resolved_url()?;
        url.ensure_sqlite_parent_dir()
            .with_context(|| format!("db.url: cannot create the directory of {}", url.as_str()))?;
        Ok(Settings {
            http_addr: addr(server.http_port, "server.http_port")?,
            grpc_addr: addr(server.grpc_port, "server.grpc_port")?,
            database_url: url.as_str().to_owned(),
            pool: PoolOptions {
                max_connections: config.db.max_connections(url.driver()),
                acquire_timeout: config.db.acquire_timeout,
                idle_timeout: config.db.conn_max_idle_time,
                max_lifetime: config.db.conn_max_lifetime,
            },
            read_only: config.storage.read_only,
            grace_period: server.shutdown.grace_period,
            http_workers: None,
            serve_evaluation: config.server.role == ServerRole::All,
            poll_interval: config.cache.invalidation.poll_interval,
            ofrep_polling_ms: config
                .cache
                .enabled
                .then(|| u32::try_from(config.cache.ttl.as_millis()).unwrap_or(u32::MAX)),
            publish: if config.cache.invalidation.publish {
                Some(
                    flipt_shared::cache::RedisSettings::connection(&config.cache)
                        .map_err(|e| anyhow::anyhow!(e))?,
                )
            } else {
                None
            },
            meta: crate::service::meta::Meta::from_config(config, url.as_str()),
        })
    }
}
