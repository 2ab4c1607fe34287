//! Storage over Flipt's relational schema: sea-orm entities, connection setup, and the read
//! queries both tiers use to turn rows into API messages.
//!
//! Writes live in the write tier's service layer, which owns transactions; every function here
//! takes `&impl ConnectionTrait` so it composes inside those transactions.

pub mod entity;
pub mod read;
pub mod snapshot;

use std::time::Duration;

use chrono::{DateTime as ChronoDateTime, NaiveDateTime, SubsecRound, Utc};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};

use crate::error::Error;

/// How to open a pool.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    pub idle_timeout: Option<Duration>,
    pub max_lifetime: Option<Duration>,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            max_connections: 20,
            acquire_timeout: Duration::from_secs(5),
            idle_timeout: Some(Duration::from_secs(600)),
            max_lifetime: None,
        }
    }
}

/// Opens a pool to `url` (`sqlite://…`, `postgres://…`, `mysql://…`) and checks it answers.
/// SQLite gets one connection, as Flipt forces, with foreign keys on.
pub async fn connect(url: &str, options: &PoolOptions) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    let is_sqlite = url.starts_with("sqlite:");
    opts.max_connections(if is_sqlite {
        1
    } else {
        options.max_connections
    })
    .min_connections(0)
    .acquire_timeout(options.acquire_timeout)
    .connect_timeout(options.acquire_timeout)
    .sqlx_logging(false);
    if let Some(idle) = options.idle_timeout {
        opts.idle_timeout(idle);
    }
    if let Some(lifetime) = options.max_lifetime {
        opts.max_lifetime(lifetime);
    }
    let db = Database::connect(opts).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA foreign_keys = ON").await?;
    }
    db.ping().await?;
    Ok(db)
}

/// A stored timestamp: UTC without time zone in the column.
///
/// A newtype because the drivers disagree on the Rust type of a `TIMESTAMP` column: PostgreSQL
/// and SQLite decode it as a naive date-time, MySQL only as `DateTime<Utc>`. Reading tries both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DbTime(pub NaiveDateTime);

impl From<DbTime> for sea_orm::Value {
    fn from(t: DbTime) -> Self {
        sea_orm::Value::ChronoDateTime(Some(Box::new(t.0)))
    }
}

impl sea_orm::TryGetable for DbTime {
    fn try_get_by<I: sea_orm::ColIdx>(
        res: &sea_orm::QueryResult,
        index: I,
    ) -> Result<Self, sea_orm::TryGetError> {
        match NaiveDateTime::try_get_by(res, index) {
            Ok(at) => Ok(DbTime(at)),
            Err(sea_orm::TryGetError::Null(col)) => Err(sea_orm::TryGetError::Null(col)),
            Err(first) => ChronoDateTime::<Utc>::try_get_by(res, index)
                .map(|at| DbTime(at.naive_utc()))
                .map_err(|_| first),
        }
    }
}

impl sea_orm::sea_query::ValueType for DbTime {
    fn try_from(v: sea_orm::Value) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
        match v {
            sea_orm::Value::ChronoDateTime(Some(at)) => Ok(DbTime(*at)),
            sea_orm::Value::ChronoDateTimeUtc(Some(at)) => Ok(DbTime(at.naive_utc())),
            _ => Err(sea_orm::sea_query::ValueTypeErr),
        }
    }

    fn type_name() -> String {
        "DbTime".to_owned()
    }

    fn array_type() -> sea_orm::sea_query::ArrayType {
        sea_orm::sea_query::ArrayType::ChronoDateTime
    }

    fn column_type() -> sea_orm::sea_query::ColumnType {
        sea_orm::sea_query::ColumnType::DateTime
    }
}

impl sea_orm::sea_query::Nullable for DbTime {
    fn null() -> sea_orm::Value {
        sea_orm::Value::ChronoDateTime(None)
    }
}

/// A JSON column read as its text: verbatim where the database keeps text (SQLite; MariaDB's
/// JSON is text), and the database's own rendering where it does not (PostgreSQL JSONB, MySQL
/// JSON), exactly as Flipt returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonText(pub String);

impl From<JsonText> for sea_orm::Value {
    fn from(t: JsonText) -> Self {
        sea_orm::Value::String(Some(Box::new(t.0)))
    }
}

impl sea_orm::TryGetable for JsonText {
    fn try_get_by<I: sea_orm::ColIdx>(
        res: &sea_orm::QueryResult,
        index: I,
    ) -> Result<Self, sea_orm::TryGetError> {
        match String::try_get_by(res, index) {
            Ok(text) => Ok(JsonText(text)),
            Err(sea_orm::TryGetError::Null(col)) => Err(sea_orm::TryGetError::Null(col)),
            Err(first) => serde_json::Value::try_get_by(res, index)
                .map(|v| JsonText(v.to_string()))
                .map_err(|_| first),
        }
    }
}

impl sea_orm::sea_query::ValueType for JsonText {
    fn try_from(v: sea_orm::Value) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
        match v {
            sea_orm::Value::String(Some(s)) => Ok(JsonText(*s)),
            sea_orm::Value::Json(Some(j)) => Ok(JsonText(j.to_string())),
            _ => Err(sea_orm::sea_query::ValueTypeErr),
        }
    }

    fn type_name() -> String {
        "JsonText".to_owned()
    }

    fn array_type() -> sea_orm::sea_query::ArrayType {
        sea_orm::sea_query::ArrayType::String
    }

    fn column_type() -> sea_orm::sea_query::ColumnType {
        sea_orm::sea_query::ColumnType::Json
    }
}

impl sea_orm::sea_query::Nullable for JsonText {
    fn null() -> sea_orm::Value {
        sea_orm::Value::String(None)
    }
}

/// The SQL expression that stores `text` in a JSON column: PostgreSQL needs an explicit cast
/// from text, the others take the text as is.
pub fn json_text_expr(
    backend: sea_orm::DbBackend,
    text: Option<String>,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::Expr;
    match (backend, text) {
        // An untyped NULL: a NULL bound as text would not fit a JSONB column either.
        (_, None) => Expr::cust("NULL"),
        (sea_orm::DbBackend::Postgres, Some(text)) => {
            Expr::value(text).cast_as(sea_orm::sea_query::Alias::new("jsonb"))
        }
        (_, Some(text)) => Expr::value(text),
    }
}

/// The current time as stored: UTC, truncated to microseconds so that what a create returns
/// equals what a later read returns on every database.
pub fn now() -> DbTime {
    DbTime(Utc::now().naive_utc().trunc_subsecs(6))
}

/// Converts a stored UTC timestamp to the protobuf form.
pub fn timestamp(at: DbTime) -> flipt_proto::google::protobuf::Timestamp {
    let utc = ChronoDateTime::<Utc>::from_naive_utc_and_offset(at.0, Utc);
    flipt_proto::google::protobuf::Timestamp {
        seconds: utc.timestamp(),
        nanos: utc.timestamp_subsec_nanos() as i32,
    }
}

/// Maps a database error of a write to Flipt's classes: unique violations become the given
/// "is not unique" message, everything else is internal.
pub fn unique_violation(err: DbErr, message: impl FnOnce() -> String) -> Error {
    if is_unique_violation(&err) {
        Error::invalid(message())
    } else {
        Error::from(err)
    }
}

/// Whether a database error is a unique or primary-key violation.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Whether a database error is a foreign-key violation.
pub fn is_foreign_key_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_microseconds() {
        let at = chrono::NaiveDate::from_ymd_opt(2024, 3, 1)
            .unwrap()
            .and_hms_micro_opt(10, 15, 30, 123_456)
            .unwrap();
        let ts = timestamp(DbTime(at));
        assert_eq!(ts.nanos, 123_456_000);
        assert_eq!(ts.seconds, 1_709_288_130);
    }

    #[test]
    fn now_is_truncated_to_microseconds() {
        assert_eq!(now().0.and_utc().timestamp_subsec_nanos() % 1000, 0);
    }
}
