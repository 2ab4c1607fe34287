//! Baseline: Flipt v1.61.1's relational schema after all of its own migrations
//! (operations.md §2.3, per-driver differences §2.4), plus golang-migrate's `schema_migrations`
//! bookkeeping row so Flipt itself accepts a database we created.
//!
//! An existing Flipt database (its `schema_migrations` at Flipt's latest version, not dirty) is
//! adopted: nothing is created. One that is behind or dirty is refused, because replaying Flipt's
//! history is Flipt's job (`flipt migrate`), not ours.
//!
//! The DDL is raw SQL per backend on purpose: exact column types (JSON vs JSONB vs TEXT, 4-byte
//! MySQL FLOAT, TIMESTAMP(6)) and constraint names matter for compatibility, and the schema builder
//! obscures them. This file is history: never edit it once merged.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};
use tracing::info;

use crate::flipt_schema_version;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let expected = flipt_schema_version(backend);
        let db = manager.get_connection();

        let has_bookkeeping = manager.has_table("schema_migrations").await?;
        if has_bookkeeping {
            if let Some((version, dirty)) = recorded_flipt_version(db, backend).await? {
                if dirty || version < expected {
                    return Err(DbErr::Migration(format!(
                        "existing Flipt database is at schema_migrations version {version} \
                         (dirty: {dirty}) but version {expected} (not dirty) is required for \
                         {backend:?}; back up the database and run Flipt v1.61.1's `flipt migrate` \
                         first, then start again"
                    )));
                }
                info!(version, "adopting existing flipt v1 database schema");
                return Ok(());
            }
            // An empty bookkeeping table means golang-migrate applied nothing: create everything.
        }

        for sql in create_statements(backend) {
            db.execute_unprepared(sql).await?;
        }
        if !has_bookkeeping {
            for sql in bookkeeping_statements(backend) {
                db.execute_unprepared(sql).await?;
            }
        }
        db.execute_unprepared(&format!(
            "INSERT INTO schema_migrations (version, dirty) VALUES ({expected}, false)"
        ))
        .await?;
        Ok(())
    }

    /// Drops every Flipt table and the golang-migrate bookkeeping table, data included, also
    /// when the schema was adopted rather than created. Meant for tests and fresh databases.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        match backend {
            DbBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "DROP TABLE IF EXISTS {} CASCADE",
                    DROP_ORDER.join(", ")
                ))
                .await?;
            }
            DbBackend::MySql => {
                // flags and variants reference each other; MariaDB refuses to drop either while
                // the other's foreign key exists, even in one DROP TABLE statement.
                let rows = db
                    .query_all(Statement::from_string(
                        backend,
                        "SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS \
                         WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'flags' \
                         AND REFERENCED_TABLE_NAME = 'variants'",
                    ))
                    .await?;
                for row in rows {
                    let name: String = row.try_get_by_index(0)?;
                    db.execute_unprepared(&format!(
                        "ALTER TABLE flags DROP FOREIGN KEY `{}`",
                        name.replace('`', "``")
                    ))
                    .await?;
                }
                for table in DROP_ORDER {
                    db.execute_unprepared(&format!("DROP TABLE IF EXISTS {table}"))
                        .await?;
                }
            }
            DbBackend::Sqlite => {
                for table in DROP_ORDER {
                    db.execute_unprepared(&format!("DROP TABLE IF EXISTS {table}"))
                        .await?;
                }
            }
        }
        Ok(())
    }
}

/// Children before parents, so no backend refuses a drop over a foreign key.
const DROP_ORDER: [&str; 15] = [
    "rollout_segment_references",
    "rollout_segments",
    "rollout_thresholds",
    "rollouts",
    "distributions",
    "rule_segments",
    "rules",
    "constraints",
    "variants",
    "flags",
    "segments",
    "namespaces",
    "authentications",
    "operation_lock",
    "schema_migrations",
];

/// Reads golang-migrate's single bookkeeping row, `None` when the table is empty.
async fn recorded_flipt_version<C: ConnectionTrait>(
    db: &C,
    backend: DbBackend,
) -> Result<Option<(i64, bool)>, DbErr> {
    let row = db
        .query_one(Statement::from_string(
            backend,
            "SELECT version, dirty FROM schema_migrations ORDER BY version DESC LIMIT 1",
        ))
        .await?;
    match row {
        Some(row) => Ok(Some((
            row.try_get::<i64>("", "version")?,
            row.try_get::<bool>("", "dirty")?,
        ))),
        None => Ok(None),
    }
}

/// golang-migrate's own DDL for its bookkeeping table, per driver.
fn bookkeeping_statements(backend: DbBackend) -> &'static [&'static str] {
    match backend {
        DbBackend::Sqlite => &[
            "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64, dirty bool)",
            "CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version)",
        ],
        DbBackend::Postgres | DbBackend::MySql => {
            &["CREATE TABLE IF NOT EXISTS schema_migrations \
             (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)"]
        }
    }
}

fn create_statements(backend: DbBackend) -> &'static [&'static str] {
    match backend {
        DbBackend::Postgres => POSTGRES,
        DbBackend::MySql => MYSQL,
        DbBackend::Sqlite => SQLITE,
    }
}

const SEED_DEFAULT_NAMESPACE: &str =
    "INSERT INTO namespaces (\"key\", name, description, protected) \
     VALUES ('default', 'Default', 'Default namespace', true)";

/// PostgreSQL: Flipt's canonical schema at migration 16. Unnamed constraints get PostgreSQL's
/// generated names, which are the names Flipt's own migrations produced (and later referenced,
/// e.g. `rule_segments_namespace_key_segment_key_fkey`).
const POSTGRES: &[&str] = &[
    r#"CREATE TABLE namespaces (
  "key" VARCHAR(255) PRIMARY KEY NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  protected BOOLEAN DEFAULT FALSE NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  state_modified_at TIMESTAMP
)"#,
    SEED_DEFAULT_NAMESPACE,
    r#"CREATE TABLE flags (
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default' REFERENCES namespaces ("key") ON DELETE CASCADE,
  "key" VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  enabled BOOLEAN DEFAULT FALSE NOT NULL,
  type INTEGER DEFAULT 0 NOT NULL,
  default_variant_id VARCHAR(255),
  metadata JSON,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  PRIMARY KEY (namespace_key, "key")
)"#,
    r#"CREATE TABLE variants (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default' REFERENCES namespaces ("key") ON DELETE CASCADE,
  flag_key VARCHAR(255) NOT NULL,
  "key" VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  attachment JSONB,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT variants_namespace_flag_key UNIQUE (namespace_key, flag_key, "key"),
  FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, "key") ON DELETE CASCADE
)"#,
    // flags and variants reference each other: this foreign key can only follow variants.
    r#"ALTER TABLE flags ADD CONSTRAINT flags_default_variant_id_fkey
  FOREIGN KEY (default_variant_id) REFERENCES variants (id) ON DELETE SET NULL"#,
    r#"CREATE TABLE segments (
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default' REFERENCES namespaces ("key") ON DELETE CASCADE,
  "key" VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  match_type INTEGER DEFAULT 0 NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  PRIMARY KEY (namespace_key, "key")
)"#,
    r#"CREATE TABLE constraints (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default' REFERENCES namespaces ("key") ON DELETE CASCADE,
  segment_key VARCHAR(255) NOT NULL,
  type INTEGER DEFAULT 0 NOT NULL,
  property VARCHAR(255) NOT NULL,
  operator VARCHAR(255) NOT NULL,
  value TEXT NOT NULL,
  description TEXT,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, "key") ON DELETE CASCADE
)"#,
    r#"CREATE TABLE rules (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default' REFERENCES namespaces ("key") ON DELETE CASCADE,
  flag_key VARCHAR(255) NOT NULL,
  "rank" INTEGER DEFAULT 1 NOT NULL,
  segment_operator INTEGER DEFAULT 0 NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, "key") ON DELETE CASCADE
)"#,
    r#"CREATE TABLE rule_segments (
  rule_id VARCHAR(255) NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
  namespace_key VARCHAR(255) NOT NULL,
  segment_key VARCHAR(255) NOT NULL,
  UNIQUE (rule_id, namespace_key, segment_key),
  FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, "key") ON DELETE RESTRICT
)"#,
    r#"CREATE TABLE distributions (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  rule_id VARCHAR(255) NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
  variant_id VARCHAR(255) NOT NULL REFERENCES variants (id) ON DELETE CASCADE,
  rollout FLOAT DEFAULT 0 NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)"#,
    r#"CREATE TABLE rollouts (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  namespace_key VARCHAR(255) NOT NULL REFERENCES namespaces ("key") ON DELETE CASCADE,
  flag_key VARCHAR(255) NOT NULL,
  type INTEGER DEFAULT 0 NOT NULL,
  description TEXT NOT NULL,
  "rank" INTEGER DEFAULT 1 NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, "key") ON DELETE CASCADE
)"#,
    r#"CREATE TABLE rollout_thresholds (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  namespace_key VARCHAR(255) NOT NULL REFERENCES namespaces ("key") ON DELETE CASCADE,
  rollout_id VARCHAR(255) UNIQUE NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
  percentage FLOAT DEFAULT 0 NOT NULL,
  value BOOLEAN DEFAULT FALSE NOT NULL
)"#,
    r#"CREATE TABLE rollout_segments (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  rollout_id VARCHAR(255) NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
  value BOOLEAN DEFAULT FALSE NOT NULL,
  segment_operator INTEGER DEFAULT 0 NOT NULL
)"#,
    r#"CREATE TABLE rollout_segment_references (
  rollout_segment_id VARCHAR(255) NOT NULL REFERENCES rollout_segments (id) ON DELETE CASCADE,
  namespace_key VARCHAR(255) NOT NULL,
  segment_key VARCHAR(255) NOT NULL,
  UNIQUE (rollout_segment_id, namespace_key, segment_key),
  FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, "key") ON DELETE RESTRICT
)"#,
    r#"CREATE TABLE authentications (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  hashed_client_token VARCHAR(255) UNIQUE NOT NULL,
  method INTEGER DEFAULT 0 NOT NULL,
  metadata TEXT,
  expires_at TIMESTAMP,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)"#,
    "CREATE UNIQUE INDEX hashed_client_token_authentications_index \
     ON authentications (hashed_client_token)",
    r#"CREATE TABLE operation_lock (
  operation VARCHAR(255) PRIMARY KEY NOT NULL,
  version INTEGER DEFAULT 0 NOT NULL,
  last_acquired_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  acquired_until TIMESTAMP DEFAULT CURRENT_TIMESTAMP
)"#,
];

/// MySQL/MariaDB: Flipt's schema at migration 15. Backticks because `key` and `rank` are reserved
/// (this runs without `sql_mode=ANSI`, as Flipt's migrations do). Foreign keys are table-level
/// clauses: MySQL silently ignores inline column `REFERENCES`. Unnamed foreign keys get InnoDB's
/// `<table>_ibfk_<n>` names in declaration order, matching Flipt's (`rule_segments_ibfk_2`).
const MYSQL: &[&str] = &[
    r#"CREATE TABLE namespaces (
  `key` VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  protected BOOLEAN DEFAULT FALSE NOT NULL,
  created_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  updated_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  state_modified_at TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`key`)
)"#,
    "INSERT INTO namespaces (`key`, name, description, protected) \
     VALUES ('default', 'Default', 'Default namespace', true)",
    r#"CREATE TABLE flags (
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default',
  `key` VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  enabled BOOLEAN DEFAULT FALSE NOT NULL,
  type INTEGER DEFAULT 0 NOT NULL,
  default_variant_id VARCHAR(255) NULL,
  metadata JSON NULL,
  created_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  updated_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (namespace_key, `key`),
  INDEX `key` (`key`),
  FOREIGN KEY (namespace_key) REFERENCES namespaces (`key`) ON DELETE CASCADE
)"#,
    r#"CREATE TABLE variants (
  id VARCHAR(255) NOT NULL,
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default',
  flag_key VARCHAR(255) NOT NULL,
  `key` VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  attachment JSON NULL,
  created_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  updated_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE INDEX variants_namespace_flag_key (namespace_key, flag_key, `key`),
  FOREIGN KEY (namespace_key) REFERENCES namespaces (`key`) ON DELETE CASCADE,
  FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, `key`) ON DELETE CASCADE
)"#,
    // flags and variants reference each other: this foreign key can only follow variants.
    // (Flipt's own inline `REFERENCES` here was ignored by MySQL; ours really exists.)
    "ALTER TABLE flags ADD CONSTRAINT flags_default_variant_id_fkey \
     FOREIGN KEY (default_variant_id) REFERENCES variants (id) ON DELETE SET NULL",
    r#"CREATE TABLE segments (
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default',
  `key` VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  match_type INTEGER DEFAULT 0 NOT NULL,
  created_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  updated_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (namespace_key, `key`),
  INDEX `key` (`key`),
  FOREIGN KEY (namespace_key) REFERENCES namespaces (`key`) ON DELETE CASCADE
)"#,
    r#"CREATE TABLE constraints (
  id VARCHAR(255) NOT NULL,
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default',
  segment_key VARCHAR(255) NOT NULL,
  type INTEGER DEFAULT 0 NOT NULL,
  property VARCHAR(255) NOT NULL,
  operator VARCHAR(255) NOT NULL,
  value TEXT NOT NULL,
  description TEXT NULL,
  created_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  updated_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (id),
  INDEX constraints_namespace_segment_key (namespace_key, segment_key),
  FOREIGN KEY (namespace_key) REFERENCES namespaces (`key`) ON DELETE CASCADE,
  FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, `key`) ON DELETE CASCADE
)"#,
    r#"CREATE TABLE rules (
  id VARCHAR(255) NOT NULL,
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default',
  flag_key VARCHAR(255) NOT NULL,
  `rank` INTEGER DEFAULT 1 NOT NULL,
  segment_operator INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  updated_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (id),
  INDEX rules_namespace_flag_key (namespace_key, flag_key),
  INDEX rules_namespace_segment_key (namespace_key),
  FOREIGN KEY (namespace_key) REFERENCES namespaces (`key`) ON DELETE CASCADE,
  FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, `key`) ON DELETE CASCADE
)"#,
    r#"CREATE TABLE rule_segments (
  rule_id VARCHAR(255) NOT NULL,
  namespace_key VARCHAR(255) NOT NULL,
  segment_key VARCHAR(255) NOT NULL,
  CONSTRAINT rule_id_namespace_segment UNIQUE (rule_id, namespace_key, segment_key),
  FOREIGN KEY (rule_id) REFERENCES rules (id) ON DELETE CASCADE,
  FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, `key`) ON DELETE RESTRICT
)"#,
    r#"CREATE TABLE distributions (
  id VARCHAR(255) NOT NULL,
  rule_id VARCHAR(255) NOT NULL,
  variant_id VARCHAR(255) NOT NULL,
  rollout FLOAT DEFAULT 0 NOT NULL,
  created_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  updated_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (id),
  FOREIGN KEY (rule_id) REFERENCES rules (id) ON DELETE CASCADE,
  FOREIGN KEY (variant_id) REFERENCES variants (id) ON DELETE CASCADE
)"#,
    r#"CREATE TABLE rollouts (
  id VARCHAR(255) NOT NULL,
  namespace_key VARCHAR(255) NOT NULL,
  flag_key VARCHAR(255) NOT NULL,
  type INTEGER DEFAULT 0 NOT NULL,
  description TEXT NOT NULL,
  `rank` INTEGER DEFAULT 1 NOT NULL,
  created_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  updated_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (id),
  FOREIGN KEY (namespace_key) REFERENCES namespaces (`key`) ON DELETE CASCADE,
  FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, `key`) ON DELETE CASCADE
)"#,
    r#"CREATE TABLE rollout_thresholds (
  id VARCHAR(255) NOT NULL,
  namespace_key VARCHAR(255) NOT NULL,
  rollout_id VARCHAR(255) UNIQUE NOT NULL,
  percentage FLOAT DEFAULT 0 NOT NULL,
  value BOOLEAN DEFAULT FALSE NOT NULL,
  PRIMARY KEY (id),
  FOREIGN KEY (namespace_key) REFERENCES namespaces (`key`) ON DELETE CASCADE,
  FOREIGN KEY (rollout_id) REFERENCES rollouts (id) ON DELETE CASCADE
)"#,
    r#"CREATE TABLE rollout_segments (
  id VARCHAR(255) NOT NULL,
  rollout_id VARCHAR(255) NOT NULL,
  value BOOLEAN DEFAULT FALSE NOT NULL,
  segment_operator INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  FOREIGN KEY (rollout_id) REFERENCES rollouts (id) ON DELETE CASCADE
)"#,
    r#"CREATE TABLE rollout_segment_references (
  rollout_segment_id VARCHAR(255) NOT NULL,
  namespace_key VARCHAR(255) NOT NULL,
  segment_key VARCHAR(255) NOT NULL,
  CONSTRAINT rollout_segment_id_namespace_segment UNIQUE (rollout_segment_id, namespace_key, segment_key),
  FOREIGN KEY (rollout_segment_id) REFERENCES rollout_segments (id) ON DELETE CASCADE,
  FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, `key`) ON DELETE RESTRICT
)"#,
    r#"CREATE TABLE authentications (
  id VARCHAR(255) NOT NULL,
  hashed_client_token VARCHAR(255) UNIQUE NOT NULL,
  method INTEGER DEFAULT 0 NOT NULL,
  metadata TEXT NULL,
  expires_at TIMESTAMP(6) NULL,
  created_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  updated_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (id)
)"#,
    "CREATE UNIQUE INDEX hashed_client_token_authentications_index \
     ON authentications (hashed_client_token)",
    r#"CREATE TABLE operation_lock (
  operation VARCHAR(255) NOT NULL,
  version INTEGER DEFAULT 0 NOT NULL,
  last_acquired_at TIMESTAMP(6) NULL DEFAULT CURRENT_TIMESTAMP(6),
  acquired_until TIMESTAMP(6) NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (operation)
)"#,
];

/// SQLite: Flipt's schema at migration 15. Foreign keys are declared in the tables (SQLite allows
/// the forward reference from flags to variants) and are enforced only on connections with
/// `PRAGMA foreign_keys = ON` (sqlx's default for SQLite connect options).
const SQLITE: &[&str] = &[
    r#"CREATE TABLE namespaces (
  "key" VARCHAR(255) PRIMARY KEY NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  protected BOOLEAN DEFAULT FALSE NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  state_modified_at TIMESTAMP
)"#,
    SEED_DEFAULT_NAMESPACE,
    r#"CREATE TABLE flags (
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default' REFERENCES namespaces ("key") ON DELETE CASCADE,
  "key" VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  enabled BOOLEAN DEFAULT FALSE NOT NULL,
  type INTEGER DEFAULT 0 NOT NULL,
  default_variant_id VARCHAR(255) REFERENCES variants (id) ON DELETE SET NULL,
  metadata JSON,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  PRIMARY KEY (namespace_key, "key")
)"#,
    r#"CREATE TABLE variants (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default' REFERENCES namespaces ("key") ON DELETE CASCADE,
  flag_key VARCHAR(255) NOT NULL,
  "key" VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  attachment TEXT,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT variants_namespace_flag_key UNIQUE (namespace_key, flag_key, "key"),
  FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, "key") ON DELETE CASCADE
)"#,
    r#"CREATE TABLE segments (
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default' REFERENCES namespaces ("key") ON DELETE CASCADE,
  "key" VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  match_type INTEGER DEFAULT 0 NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  PRIMARY KEY (namespace_key, "key")
)"#,
    r#"CREATE TABLE constraints (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default' REFERENCES namespaces ("key") ON DELETE CASCADE,
  segment_key VARCHAR(255) NOT NULL,
  type INTEGER DEFAULT 0 NOT NULL,
  property VARCHAR(255) NOT NULL,
  operator VARCHAR(255) NOT NULL,
  value TEXT NOT NULL,
  description TEXT,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, "key") ON DELETE CASCADE
)"#,
    r#"CREATE TABLE rules (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  namespace_key VARCHAR(255) NOT NULL DEFAULT 'default' REFERENCES namespaces ("key") ON DELETE CASCADE,
  flag_key VARCHAR(255) NOT NULL,
  "rank" INTEGER DEFAULT 1 NOT NULL,
  segment_operator INTEGER DEFAULT 0 NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, "key") ON DELETE CASCADE
)"#,
    r#"CREATE TABLE rule_segments (
  rule_id VARCHAR(255) NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
  namespace_key VARCHAR(255) NOT NULL,
  segment_key VARCHAR(255) NOT NULL,
  UNIQUE (rule_id, namespace_key, segment_key),
  FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, "key") ON DELETE RESTRICT
)"#,
    r#"CREATE TABLE distributions (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  rule_id VARCHAR(255) NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
  variant_id VARCHAR(255) NOT NULL REFERENCES variants (id) ON DELETE CASCADE,
  rollout FLOAT DEFAULT 0 NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)"#,
    r#"CREATE TABLE rollouts (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  namespace_key VARCHAR(255) NOT NULL REFERENCES namespaces ("key") ON DELETE CASCADE,
  flag_key VARCHAR(255) NOT NULL,
  type INTEGER DEFAULT 0 NOT NULL,
  description TEXT NOT NULL,
  "rank" INTEGER DEFAULT 1 NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, "key") ON DELETE CASCADE
)"#,
    r#"CREATE TABLE rollout_thresholds (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  namespace_key VARCHAR(255) NOT NULL REFERENCES namespaces ("key") ON DELETE CASCADE,
  rollout_id VARCHAR(255) UNIQUE NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
  percentage FLOAT DEFAULT 0 NOT NULL,
  value BOOLEAN DEFAULT FALSE NOT NULL
)"#,
    r#"CREATE TABLE rollout_segments (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  rollout_id VARCHAR(255) NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
  value BOOLEAN DEFAULT FALSE NOT NULL,
  segment_operator INTEGER DEFAULT 0 NOT NULL
)"#,
    r#"CREATE TABLE rollout_segment_references (
  rollout_segment_id VARCHAR(255) NOT NULL REFERENCES rollout_segments (id) ON DELETE CASCADE,
  namespace_key VARCHAR(255) NOT NULL,
  segment_key VARCHAR(255) NOT NULL,
  UNIQUE (rollout_segment_id, namespace_key, segment_key),
  FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, "key") ON DELETE RESTRICT
)"#,
    r#"CREATE TABLE authentications (
  id VARCHAR(255) PRIMARY KEY NOT NULL,
  hashed_client_token VARCHAR(255) UNIQUE NOT NULL,
  method INTEGER DEFAULT 0 NOT NULL,
  metadata TEXT,
  expires_at TIMESTAMP,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)"#,
    "CREATE UNIQUE INDEX hashed_client_token_authentications_index \
     ON authentications (hashed_client_token)",
    r#"CREATE TABLE operation_lock (
  operation VARCHAR(255) PRIMARY KEY NOT NULL,
  version INTEGER DEFAULT 0 NOT NULL,
  last_acquired_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  acquired_until TIMESTAMP DEFAULT CURRENT_TIMESTAMP
)"#,
];
