//! Schema migrations for the relational store: Flipt v1.61.1's schema on SQLite, PostgreSQL and
//! MySQL/MariaDB, plus our additive changes, as a sea-orm-migration [`Migrator`].
//!
//! What lives here:
//! - the baseline migration, which creates Flipt's tables and golang-migrate's `schema_migrations`
//!   row on an empty database, or adopts an existing Flipt v1 database whose `schema_migrations`
//!   is at Flipt's latest version (DESIGN.md §6), or refuses one that is behind;
//! - our own additive migrations (`namespaces.revision`, MySQL `state_modified_at` precision);
//! - [`migrate`], which applies them under a database-wide lock so several write-tier instances
//!   may start together against one database.
//!
//! What does not: entities and queries (`flipt-shared`'s store) and connection setup (the tiers).
//! Migrations import no entities or domain types, because those change and history must not.
//!
//! Our own progress is recorded in sea-orm-migration's `seaql_migrations` table; golang-migrate's
//! `schema_migrations` stays at Flipt's latest version so Flipt v1.61.1 (and its `flipt migrate`)
//! still accept the database.
//!
//! SQLite enforces foreign keys only when each connection enables them: connect with
//! `sqlx::sqlite::SqliteConnectOptions` whose `foreign_keys` is on (sqlx's default, also for
//! `sea_orm::Database::connect("sqlite://…")`), as Flipt does with `_fk=true`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbBackend, Statement, TransactionTrait,
};
use tracing::info;

mod m20261201_000001_flipt_schema;
mod m20261201_000002_namespaces_revision;
mod m20261201_000003_mysql_state_modified_at_precision;

/// Seconds to wait for another instance's MySQL migration lock before giving up.
const MYSQL_LOCK_TIMEOUT_SECS: u32 = 600;

/// PostgreSQL advisory lock key ("flipt_mg"); advisory locks are already scoped per database.
const POSTGRES_LOCK_KEY: i64 = 0x666C_6970_745F_6D67;

/// All migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261201_000001_flipt_schema::Migration),
            Box::new(m20261201_000002_namespaces_revision::Migration),
            Box::new(m20261201_000003_mysql_state_modified_at_precision::Migration),
        ]
    }
}

/// Returns the golang-migrate version of Flipt v1.61.1's last migration for a backend: the value
/// its `schema_migrations` table holds on an up-to-date database (SQLite 15, PostgreSQL 16,
/// MySQL 15).
pub fn flipt_schema_version(backend: DbBackend) -> i64 {
    match backend {
        DbBackend::Sqlite | DbBackend::MySql => 15,
        DbBackend::Postgres => 16,
    }
}

/// Applies all pending migrations while holding a database-wide lock, so concurrent callers
/// against one database apply each migration once.
///
/// - PostgreSQL: everything runs in one transaction holding `pg_advisory_xact_lock`; DDL is
///   transactional there, so a failure leaves nothing half-applied.
/// - MySQL/MariaDB: `GET_LOCK` on one pinned connection (named per database), released after.
///   DDL commits implicitly there, so a failure can leave earlier migrations applied.
/// - SQLite: one `BEGIN IMMEDIATE` transaction (the database's single writer lock).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    locked(db, Direction::Up).await
}

/// Returns how many migrations have not been applied yet (for `migrate --check`). Takes no lock
/// and creates nothing.
pub async fn pending(db: &DatabaseConnection) -> Result<usize, DbErr> {
    if !SchemaManager::new(db).has_table("seaql_migrations").await? {
        return Ok(Migrator::migrations().len());
    }
    Ok(Migrator::get_pending_migrations(db).await?.len())
}

/// Rolls back every migration under the same lock as [`migrate`]: drops all Flipt tables and
/// their data, including `schema_migrations`. For tests and throwaway databases only.
pub async fn rollback_all(db: &DatabaseConnection) -> Result<(), DbErr> {
    locked(db, Direction::Down).await
}

#[derive(Clone, Copy)]
enum Direction {
    Up,
    Down,
}

async fn run(txn: &DatabaseTransaction, direction: Direction) -> Result<(), DbErr> {
    match direction {
        Direction::Up => Migrator::up(txn, None).await,
        Direction::Down => Migrator::down(txn, None).await,
    }
}

async fn locked(db: &DatabaseConnection, direction: Direction) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    // A transaction pins one pooled connection: session locks must be taken and released on the
    // same connection, and all statements must see the lock.
    let txn = db.begin().await?;
    match backend {
        DbBackend::Postgres => {
            txn.execute_unprepared(&format!(
                "SELECT pg_advisory_xact_lock({POSTGRES_LOCK_KEY})"
            ))
            .await?;
            info!("acquired migration lock");
            run(&txn, direction).await?;
        }
        DbBackend::MySql => {
            const LOCK_NAME: &str =
                "LEFT(CONCAT('flipt_migrations:', COALESCE(DATABASE(), '')), 64)";
            let row = txn
                .query_one(Statement::from_string(
                    backend,
                    format!("SELECT GET_LOCK({LOCK_NAME}, {MYSQL_LOCK_TIMEOUT_SECS}) AS acquired"),
                ))
                .await?;
            let acquired = match row {
                Some(row) => row.try_get::<Option<i64>>("", "acquired")?,
                None => None,
            };
            if acquired != Some(1) {
                return Err(DbErr::Migration(format!(
                    "could not acquire the migration lock within {MYSQL_LOCK_TIMEOUT_SECS}s; \
                     is another instance migrating this database?"
                )));
            }
            info!("acquired migration lock");
            let result = run(&txn, direction).await;
            let released = txn
                .execute_unprepared(&format!("DO RELEASE_LOCK({LOCK_NAME})"))
                .await;
            result?;
            released?;
        }
        DbBackend::Sqlite => {
            // sea-orm 1.1 only begins deferred transactions; swap the still-empty one for an
            // immediate one on the same connection, so a concurrent migrator waits (busy
            // timeout) for the write lock instead of failing on lock upgrade.
            txn.execute_unprepared("COMMIT").await?;
            txn.execute_unprepared("BEGIN IMMEDIATE").await?;
            info!("acquired migration lock");
            run(&txn, direction).await?;
        }
    }
    txn.commit().await
}
