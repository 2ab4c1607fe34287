//! `flipt-write`: the write tier (and, with `server.role: all`, the standalone product).

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use flipt_shared::config;
use flipt_write::startup::{Application, Settings};

#[derive(Parser)]
#[command(
    name = "flipt-write",
    version,
    about = "Flipt-compatible feature flags: write tier"
)]
struct Cli {
    /// Configuration file (YAML or JSON); default: Flipt's search paths.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Applies pending database migrations, then exits.
    Migrate {
        /// Only reports whether migrations are pending (exit status 1 if so).
        #[arg(long)]
        check: bool,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let (config, file) = config::load(cli.config.as_deref())?;
    flipt_shared::telemetry::init("flipt-write", &config.log)?;
    match &file {
        Some(path) => tracing::info!(path = %path.display(), "configuration loaded"),
        None => tracing::info!("no configuration file found, using defaults"),
    }
    let settings = Settings::from_config(&config)?;

    match cli.command {
        Some(Command::Migrate { check }) => migrate(&settings, check).await,
        None => {
            let app = Application::build(settings).await?;
            app.run_until_stopped(shutdown_signal()).await
        }
    }
}

async fn migrate(settings: &Settings, check: bool) -> anyhow::Result<()> {
    let db = flipt_shared::store::connect(&settings.database_url, &settings.pool)
        .await
        .context("failed to connect to database")?;
    if check {
        let pending = flipt_migrations::pending(&db).await?;
        println!("{pending} migration(s) pending");
        if pending > 0 {
            std::process::exit(1);
        }
        return Ok(());
    }
    flipt_migrations::migrate(&db).await?;
    println!("migrations applied");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
