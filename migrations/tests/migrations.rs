//! Migrations against real databases: SQLite (temp files), PostgreSQL and MySQL/MariaDB (a fresh
//! `flipt_mig_<uuid>` database per test, from `TEST_POSTGRES_URL` / `TEST_MYSQL_URL`).

use flipt_migrations::{flipt_schema_version, migrate, pending, rollback_all, Migrator};
use sea_orm_migration::sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
};
use sea_orm_migration::{MigratorTrait, SchemaManager};
use std::path::PathBuf;
use uuid::Uuid;

const FLIPT_TABLES: [&str; 14] = [
    "namespaces",
    "flags",
    "variants",
    "segments",
    "constraints",
    "rules",
    "rule_segments",
    "distributions",
    "rollouts",
    "rollout_thresholds",
    "rollout_segments",
    "rollout_segment_references",
    "authentications",
    "operation_lock",
];

#[derive(Clone, Copy, Debug)]
enum Kind {
    Sqlite,
    Postgres,
    MySql,
}

/// A fresh, empty database of one kind, removed (best effort) when dropped.
struct TestDb {
    kind: Kind,
    url: String,
    name: String,
    server: String,
    file: Option<PathBuf>,
}

/// `scheme://user@host:port` without any path or query.
fn server_url(var: &str, default: &str) -> String {
    let url = std::env::var(var).unwrap_or_else(|_| default.to_owned());
    let (scheme, rest) = url.split_once("://").expect("database url has a scheme");
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    format!("{scheme}://{authority}")
}

impl TestDb {
    async fn create(kind: Kind) -> TestDb {
        let name = format!("flipt_mig_{}", Uuid::new_v4().simple());
        match kind {
            Kind::Sqlite => {
                let file = std::env::temp_dir().join(format!("{name}.db"));
                TestDb {
                    kind,
                    url: format!("sqlite://{}?mode=rwc", file.display()),
                    name,
                    server: String::new(),
                    file: Some(file),
                }
            }
            Kind::Postgres => {
                let server = server_url("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432");
                let admin = Database::connect(format!("{server}/postgres"))
                    .await
                    .expect("connect to postgres server");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create postgres database");
                admin.close().await.ok();
                TestDb {
                    kind,
                    url: format!("{server}/{name}"),
                    name,
                    server,
                    file: None,
                }
            }
            Kind::MySql => {
                let server = server_url("TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306");
                let admin = Database::connect(server.clone())
                    .await
                    .expect("connect to mysql server");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create mysql database");
                admin.close().await.ok();
                TestDb {
                    kind,
                    url: format!("{server}/{name}"),
                    name,
                    server,
                    file: None,
                }
            }
        }
    }

    async fn connect(&self) -> DatabaseConnection {
        Database::connect(self.url.clone())
            .await
            .expect("connect to test database")
    }

    /// Quotes an identifier (`key` and `rank` are reserved on MySQL).
    fn q(&self, ident: &str) -> String {
        match self.kind {
            Kind::MySql => format!("`{ident}`"),
            Kind::Sqlite | Kind::Postgres => format!("\"{ident}\""),
        }
    }
}

impl Drop for TestDb {
    /// Removes the database even when the test panicked; best effort. Runs on its own thread
    /// and runtime because `Drop` cannot await.
    fn drop(&mut self) {
        let (kind, name, server, file) = (
            self.kind,
            self.name.clone(),
            self.server.clone(),
            self.file.clone(),
        );
        let cleanup = move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(drop_database(kind, &name, &server, file));
        };
        std::thread::spawn(cleanup).join().ok();
    }
}

async fn drop_database(kind: Kind, name: &str, server: &str, file: Option<PathBuf>) {
    match kind {
        Kind::Sqlite => {
            if let Some(file) = file {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut path = file.clone().into_os_string();
                    path.push(suffix);
                    std::fs::remove_file(path).ok();
                }
            }
        }
        Kind::Postgres => {
            if let Ok(admin) = Database::connect(format!("{server}/postgres")).await {
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .ok();
                admin.close().await.ok();
            }
        }
        Kind::MySql => {
            if let Ok(admin) = Database::connect(server.to_owned()).await {
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
                    .await
                    .ok();
                admin.close().await.ok();
            }
        }
    }
}

async fn exec(db: &DatabaseConnection, sql: &str) {
    db.execute_unprepared(sql)
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"));
}

async fn try_exec(db: &DatabaseConnection, sql: &str) -> Result<(), DbErr> {
    db.execute_unprepared(sql).await.map(|_| ())
}

async fn count(db: &DatabaseConnection, from_where: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) AS n FROM {from_where}");
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            sql.clone(),
        ))
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
        .expect("count returns a row");
    row.try_get::<i64>("", "n").expect("count is an integer")
}

async fn has_table(db: &DatabaseConnection, table: &str) -> bool {
    SchemaManager::new(db)
        .has_table(table)
        .await
        .expect("table lookup")
}

async fn has_column(db: &DatabaseConnection, table: &str, column: &str) -> bool {
    SchemaManager::new(db)
        .has_column(table, column)
        .await
        .expect("column lookup")
}

async fn flipt_bookkeeping(db: &DatabaseConnection) -> Vec<(i64, bool)> {
    db.query_all(Statement::from_string(
        db.get_database_backend(),
        "SELECT version, dirty FROM schema_migrations",
    ))
    .await
    .expect("read schema_migrations")
    .into_iter()
    .map(|row| {
        (
            row.try_get::<i64>("", "version").expect("version"),
            row.try_get::<bool>("", "dirty").expect("dirty"),
        )
    })
    .collect()
}

fn backend(kind: Kind) -> DbBackend {
    match kind {
        Kind::Sqlite => DbBackend::Sqlite,
        Kind::Postgres => DbBackend::Postgres,
        Kind::MySql => DbBackend::MySql,
    }
}

async fn up_on_empty_database_creates_schema(kind: Kind) {
    let t = TestDb::create(kind).await;
    let db = t.connect().await;
    assert_eq!(pending(&db).await.expect("pending"), 3);
    assert!(
        !has_table(&db, "seaql_migrations").await,
        "pending creates nothing"
    );

    migrate(&db).await.expect("migrate");

    for table in FLIPT_TABLES {
        assert!(has_table(&db, table).await, "{table} exists");
    }
    assert!(has_column(&db, "namespaces", "revision").await);
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT name, description, protected, revision FROM namespaces WHERE {} = 'default'",
                t.q("key")
            ),
        ))
        .await
        .expect("read default namespace")
        .expect("default namespace exists");
    assert_eq!(
        row.try_get::<String>("", "name").expect("query succeeds"),
        "Default"
    );
    assert_eq!(
        row.try_get::<String>("", "description")
            .expect("query succeeds"),
        "Default namespace"
    );
    assert!(row
        .try_get::<bool>("", "protected")
        .expect("query succeeds"));
    assert_eq!(
        row.try_get::<i64>("", "revision").expect("query succeeds"),
        0
    );
    assert_eq!(
        flipt_bookkeeping(&db).await,
        vec![(flipt_schema_version(backend(kind)), false)]
    );
    assert_eq!(pending(&db).await.expect("pending"), 0);

    if let Kind::MySql = kind {
        let precision = db
            .query_one(Statement::from_string(
                DbBackend::MySql,
                "SELECT DATETIME_PRECISION AS p FROM information_schema.COLUMNS \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'namespaces' \
                 AND COLUMN_NAME = 'state_modified_at'",
            ))
            .await
            .expect("query succeeds")
            .expect("query succeeds")
            .try_get::<u64>("", "p")
            .expect("query succeeds");
        assert_eq!(precision, 6);
        assert_eq!(
            count(
                &db,
                "information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() \
                 AND TABLE_NAME = 'flags' AND REFERENCED_TABLE_NAME = 'variants' \
                 AND DELETE_RULE = 'SET NULL'"
            )
            .await,
            1
        );
    }

    db.close().await.ok();
}

async fn up_twice_is_a_no_op(kind: Kind) {
    let t = TestDb::create(kind).await;
    let db = t.connect().await;
    migrate(&db).await.expect("first migrate");
    exec(
        &db,
        &format!(
            "INSERT INTO flags (namespace_key, {}, name, description) VALUES ('default', 'f', 'F', '')",
            t.q("key")
        ),
    )
    .await;

    migrate(&db).await.expect("second migrate");

    assert_eq!(count(&db, "seaql_migrations").await, 3);
    assert_eq!(count(&db, "namespaces").await, 1);
    assert_eq!(count(&db, "flags").await, 1);
    assert_eq!(flipt_bookkeeping(&db).await.len(), 1);
    assert_eq!(pending(&db).await.expect("pending"), 0);
    db.close().await.ok();
}

async fn rollback_all_then_up_again(kind: Kind) {
    let t = TestDb::create(kind).await;
    let db = t.connect().await;
    migrate(&db).await.expect("migrate");

    rollback_all(&db).await.expect("rollback");

    for table in FLIPT_TABLES.iter().chain(&["schema_migrations"]) {
        assert!(!has_table(&db, table).await, "{table} dropped");
    }
    assert_eq!(pending(&db).await.expect("pending"), 3);

    migrate(&db).await.expect("migrate again");

    for table in FLIPT_TABLES {
        assert!(has_table(&db, table).await, "{table} exists again");
    }
    assert_eq!(count(&db, "namespaces").await, 1);
    assert_eq!(flipt_bookkeeping(&db).await.len(), 1);
    assert_eq!(pending(&db).await.expect("pending"), 0);
    db.close().await.ok();
}

async fn cascade_rules_hold(kind: Kind) {
    let t = TestDb::create(kind).await;
    let db = t.connect().await;
    migrate(&db).await.expect("migrate");
    if let Kind::Sqlite = kind {
        assert_eq!(
            db.query_one(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA foreign_keys"
            ))
            .await
            .expect("query succeeds")
            .expect("query succeeds")
            .try_get_by_index::<i64>(0)
            .expect("query succeeds"),
            1,
            "sqlx enables SQLite foreign keys by default"
        );
    }
    let (k, r) = (t.q("key"), t.q("rank"));
    for sql in [
        format!("INSERT INTO namespaces ({k}, name, description) VALUES ('ns1', 'NS1', '')"),
        format!("INSERT INTO flags (namespace_key, {k}, name, description) VALUES ('ns1', 'f1', 'F1', '')"),
        format!("INSERT INTO variants (id, namespace_key, flag_key, {k}, name, description) VALUES ('v1', 'ns1', 'f1', 'v1', 'V1', '')"),
        format!("INSERT INTO variants (id, namespace_key, flag_key, {k}, name, description) VALUES ('v2', 'ns1', 'f1', 'v2', 'V2', '')"),
        format!("UPDATE flags SET default_variant_id = 'v1' WHERE namespace_key = 'ns1' AND {k} = 'f1'"),
        format!("INSERT INTO segments (namespace_key, {k}, name, description) VALUES ('ns1', 's1', 'S1', '')"),
        "INSERT INTO constraints (id, namespace_key, segment_key, type, property, operator, value) VALUES ('c1', 'ns1', 's1', 1, 'p', 'eq', 'x')".to_owned(),
        format!("INSERT INTO rules (id, namespace_key, flag_key, {r}) VALUES ('r1', 'ns1', 'f1', 1)"),
        "INSERT INTO rule_segments (rule_id, namespace_key, segment_key) VALUES ('r1', 'ns1', 's1')".to_owned(),
        "INSERT INTO distributions (id, rule_id, variant_id, rollout) VALUES ('d1', 'r1', 'v1', 50)".to_owned(),
        "INSERT INTO distributions (id, rule_id, variant_id, rollout) VALUES ('d2', 'r1', 'v2', 50)".to_owned(),
        format!("INSERT INTO rollouts (id, namespace_key, flag_key, type, description, {r}) VALUES ('ro1', 'ns1', 'f1', 1, '', 1)"),
        "INSERT INTO rollout_segments (id, rollout_id, value) VALUES ('rs1', 'ro1', true)".to_owned(),
        "INSERT INTO rollout_segment_references (rollout_segment_id, namespace_key, segment_key) VALUES ('rs1', 'ns1', 's1')".to_owned(),
        format!("INSERT INTO rollouts (id, namespace_key, flag_key, type, description, {r}) VALUES ('ro2', 'ns1', 'f1', 2, '', 2)"),
        "INSERT INTO rollout_thresholds (id, namespace_key, rollout_id, percentage, value) VALUES ('rt1', 'ns1', 'ro2', 50, true)".to_owned(),
    ] {
        exec(&db, &sql).await;
    }

    // Foreign keys are enforced on insert.
    assert!(try_exec(
        &db,
        &format!("INSERT INTO flags (namespace_key, {k}, name, description) VALUES ('nope', 'f', 'F', '')")
    )
    .await
    .is_err());

    // A segment referenced by a rollout or a rule cannot be deleted.
    let delete_segment = format!("DELETE FROM segments WHERE namespace_key = 'ns1' AND {k} = 's1'");
    assert!(try_exec(&db, &delete_segment).await.is_err());
    exec(&db, "DELETE FROM rollouts WHERE id = 'ro1'").await;
    assert_eq!(count(&db, "rollout_segments").await, 0);
    assert_eq!(count(&db, "rollout_segment_references").await, 0);
    assert!(
        try_exec(&db, &delete_segment).await.is_err(),
        "rule_segments restricts segment deletion"
    );
    assert_eq!(count(&db, "segments WHERE namespace_key = 'ns1'").await, 1);

    // Deleting the default variant nulls the flag's reference and removes its distributions.
    exec(&db, "DELETE FROM variants WHERE id = 'v1'").await;
    assert_eq!(
        count(
            &db,
            "flags WHERE namespace_key = 'ns1' AND default_variant_id IS NULL"
        )
        .await,
        1
    );
    assert_eq!(count(&db, "distributions").await, 1);

    // Deleting a flag removes its variants, rules (with their segment links and distributions)
    // and rollouts (with thresholds).
    for sql in [
        format!("INSERT INTO flags (namespace_key, {k}, name, description) VALUES ('ns1', 'f2', 'F2', '')"),
        format!("INSERT INTO variants (id, namespace_key, flag_key, {k}, name, description) VALUES ('v3', 'ns1', 'f2', 'v3', 'V3', '')"),
        format!("INSERT INTO rules (id, namespace_key, flag_key, {r}) VALUES ('r2', 'ns1', 'f2', 1)"),
        "INSERT INTO distributions (id, rule_id, variant_id, rollout) VALUES ('d3', 'r2', 'v3', 100)".to_owned(),
        format!("INSERT INTO rollouts (id, namespace_key, flag_key, type, description, {r}) VALUES ('ro3', 'ns1', 'f2', 2, '', 1)"),
        "INSERT INTO rollout_thresholds (id, namespace_key, rollout_id, percentage, value) VALUES ('rt3', 'ns1', 'ro3', 10, false)".to_owned(),
    ] {
        exec(&db, &sql).await;
    }
    exec(
        &db,
        &format!("DELETE FROM flags WHERE namespace_key = 'ns1' AND {k} = 'f1'"),
    )
    .await;
    assert_eq!(count(&db, "variants WHERE flag_key = 'f1'").await, 0);
    assert_eq!(count(&db, "rules WHERE flag_key = 'f1'").await, 0);
    assert_eq!(count(&db, "rule_segments").await, 0);
    assert_eq!(count(&db, "distributions WHERE rule_id = 'r1'").await, 0);
    assert_eq!(count(&db, "rollouts WHERE flag_key = 'f1'").await, 0);
    assert_eq!(
        count(&db, "rollout_thresholds WHERE rollout_id = 'ro2'").await,
        0
    );

    // Deleting the namespace removes everything left in it. (Flipt v1 compatibility: with a rule
    // or rollout still referencing one of its segments, PostgreSQL refuses this delete because
    // the segment foreign keys are RESTRICT, checked before the rule cascade; callers delete the
    // namespace's flags first.)
    exec(&db, &format!("DELETE FROM namespaces WHERE {k} = 'ns1'")).await;
    for table in [
        "flags",
        "variants",
        "segments",
        "constraints",
        "rules",
        "rule_segments",
        "distributions",
        "rollouts",
        "rollout_thresholds",
        "rollout_segments",
        "rollout_segment_references",
    ] {
        assert_eq!(count(&db, table).await, 0, "{table} emptied by cascade");
    }
    assert_eq!(count(&db, "namespaces").await, 1, "default namespace stays");
    db.close().await.ok();
}

/// Turns a database we migrated into what Flipt v1.61.1 alone would leave: its tables and
/// `schema_migrations`, without our bookkeeping or additions.
async fn make_plain_flipt_database(t: &TestDb, db: &DatabaseConnection) {
    migrate(db).await.expect("migrate");
    exec(
        db,
        &format!(
            "INSERT INTO flags (namespace_key, {}, name, description) VALUES ('default', 'marker', 'Marker', '')",
            t.q("key")
        ),
    )
    .await;
    exec(db, "DROP TABLE seaql_migrations").await;
    exec(db, "ALTER TABLE namespaces DROP COLUMN revision").await;
}

async fn adopts_existing_flipt_database(kind: Kind) {
    let t = TestDb::create(kind).await;
    let db = t.connect().await;
    make_plain_flipt_database(&t, &db).await;
    assert_eq!(pending(&db).await.expect("pending"), 3);

    migrate(&db).await.expect("adopt");

    assert_eq!(
        count(&db, &format!("flags WHERE {} = 'marker'", t.q("key"))).await,
        1,
        "existing data kept"
    );
    assert!(has_column(&db, "namespaces", "revision").await);
    assert_eq!(count(&db, "namespaces WHERE revision = 0").await, 1);
    assert_eq!(
        flipt_bookkeeping(&db).await,
        vec![(flipt_schema_version(backend(kind)), false)]
    );
    assert_eq!(pending(&db).await.expect("pending"), 0);
    db.close().await.ok();
}

async fn refuses_outdated_or_dirty_flipt_database(kind: Kind) {
    let t = TestDb::create(kind).await;
    let db = t.connect().await;
    make_plain_flipt_database(&t, &db).await;
    let latest = flipt_schema_version(backend(kind));

    exec(
        &db,
        &format!("UPDATE schema_migrations SET version = {}", latest - 1),
    )
    .await;
    let err = migrate(&db).await.expect_err("outdated database refused");
    assert!(err.to_string().contains("flipt migrate"), "{err}");
    assert!(!has_column(&db, "namespaces", "revision").await);

    exec(
        &db,
        &format!("UPDATE schema_migrations SET version = {latest}, dirty = true"),
    )
    .await;
    let err = migrate(&db).await.expect_err("dirty database refused");
    assert!(err.to_string().contains("dirty: true"), "{err}");

    exec(&db, "UPDATE schema_migrations SET dirty = false").await;
    migrate(&db).await.expect("adopt once repaired");
    assert_eq!(count(&db, "flags").await, 1);
    db.close().await.ok();
}

async fn concurrent_migrations_apply_once(kind: Kind) {
    let t = TestDb::create(kind).await;
    let (a, b) = (t.connect().await, t.connect().await);

    let (ra, rb) = tokio::join!(migrate(&a), migrate(&b));

    ra.expect("first migrator");
    rb.expect("second migrator");
    assert_eq!(count(&a, "seaql_migrations").await, 3);
    assert_eq!(count(&a, "namespaces").await, 1);
    assert_eq!(flipt_bookkeeping(&a).await.len(), 1);
    assert_eq!(
        Migrator::get_pending_migrations(&a)
            .await
            .expect("query succeeds")
            .len(),
        0
    );
    a.close().await.ok();
    b.close().await.ok();
}

macro_rules! per_backend {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Kind::Sqlite).await } )* }
        mod postgres { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Kind::Postgres).await } )* }
        mod mysql { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Kind::MySql).await } )* }
    };
}

per_backend!(
    up_on_empty_database_creates_schema,
    up_twice_is_a_no_op,
    rollback_all_then_up_again,
    cascade_rules_hold,
    adopts_existing_flipt_database,
    refuses_outdated_or_dirty_flipt_database,
    concurrent_migrations_apply_once,
);
