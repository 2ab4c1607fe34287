//! `flipt-read`: a read instance (evaluation over a replica).

use std::path::PathBuf;

use clap::Parser;
use flipt_read::startup::{Application, Settings};
use flipt_shared::config;

#[derive(Parser)]
#[command(
    name = "flipt-read",
    version,
    about = "Flipt-compatible feature flags: read tier"
)]
struct Cli {
    /// Configuration file (YAML or JSON); default: Flipt's search paths.
    #[arg(long)]
    config: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let (mut config, file) = config::load(cli.config.as_deref())?;
    // A read instance has its own default ports (8081/9001), so it can run beside a write
    // tier on one host; ports left at Flipt's defaults move there.
    if config.server.http_port == 8080 {
        config.server.http_port = 8081;
    }
    if config.server.grpc_port == 9000 {
        config.server.grpc_port = 9001;
    }
    flipt_shared::telemetry::init("flipt-read", &config.log)?;
    match &file {
        Some(path) => tracing::info!(path = %path.display(), "configuration loaded"),
        None => tracing::info!("no configuration file found, using defaults"),
    }
    let settings = Settings::from_config(&config)?;
    let app = Application::build(settings).await?;
    app.run_until_stopped(shutdown_signal()).await
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
