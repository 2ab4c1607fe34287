//! Use cases of the management API, one function per RPC, shared by REST and gRPC.
//!
//! Functions take the request message and return the response message of the API, so the two
//! transports are thin and cannot drift. Every mutation runs in one transaction that also bumps
//! its namespace's `revision` (the read tier's cache key), exactly once per call.

pub mod constraints;
pub mod distributions;
pub mod extensions;
pub mod flags;
pub mod meta;
pub mod namespaces;
pub mod rollouts;
pub mod rules;
pub mod segments;
pub mod variants;

use flipt_shared::store::entity::namespace;
use flipt_shared::store::now;
use flipt_shared::{Error, Result};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

use crate::state::AppState;

/// The namespace every empty `namespace_key` means.
pub const DEFAULT_NAMESPACE: &str = "default";

/// Longest key, name, id, property or operator the schema stores (VARCHAR(255)).
pub const MAX_FIELD_LEN: usize = 255;

/// Applies Flipt's defaulting rule: an empty namespace key means `default`.
pub fn namespace_or_default(key: &str) -> String {
    if key.is_empty() {
        DEFAULT_NAMESPACE.to_owned()
    } else {
        key.to_owned()
    }
}

/// Starts the transaction of a mutation in `namespace_key`, refusing it in read-only mode.
///
/// The namespace row is locked first: every mutation ends by bumping it, and taking that lock
/// up front keeps concurrent writers of one namespace in line instead of deadlocking (on MySQL
/// a child row's foreign-key check holds a shared lock on the row the bump must then upgrade).
pub(crate) async fn begin(state: &AppState, namespace_key: &str) -> Result<DatabaseTransaction> {
    let txn = begin_unlocked(state).await?;
    if txn.get_database_backend() != sea_orm::DbBackend::Sqlite {
        namespace::Entity::find_by_id(namespace_key.to_owned())
            .lock_exclusive()
            .one(&txn)
            .await?;
    }
    Ok(txn)
}

/// Commits a mutation, then makes it visible to this process's evaluations (standalone mode)
/// before the caller answers, so a write is seen by the next evaluation.
pub(crate) async fn commit(
    state: &AppState,
    txn: DatabaseTransaction,
    namespace_key: &str,
) -> Result<()> {
    // The version this commit produces, read inside the transaction: announced to read
    // instances, and lets this process skip a reload another commit's reload already covered.
    let written = if state.notifier.is_some() || state.reader.is_some() {
        flipt_shared::store::snapshot::version_of(&txn, namespace_key).await?
    } else {
        None
    };
    let revision = written.map(|v| v.revision);
    txn.commit().await?;
    if let (Some(notifier), Some(revision)) = (&state.notifier, revision) {
        // Off the request path: a slow or absent Redis must not slow writes (polling covers it).
        let notifier = notifier.clone();
        let note = flipt_shared::cache::Invalidation {
            namespace: namespace_key.to_owned(),
            revision,
        };
        tokio::spawn(async move {
            if let Err(err) =
                flipt_shared::cache::publish(&notifier.redis, &notifier.channel, &note).await
            {
                tracing::warn!(namespace = %note.namespace, error = %err, "invalidation not published");
            }
        });
    }
    if let Some(reader) = &state.reader {
        if let Err(err) = reader.cache.refresh(namespace_key, written).await {
            // The poller retries; evaluations see the change at its next tick.
            tracing::warn!(namespace = namespace_key, error = %err, "snapshot refresh after commit failed");
        }
    }
    Ok(())
}

/// Starts a mutation's transaction without locking a namespace (namespace creation).
pub(crate) async fn begin_unlocked(state: &AppState) -> Result<DatabaseTransaction> {
    if state.read_only {
        return Err(Error::ReadOnly);
    }
    Ok(state.db.begin().await?)
}

/// Bumps the namespace's revision and state timestamp inside the mutation's transaction.
pub(crate) async fn bump_revision(db: &impl ConnectionTrait, namespace_key: &str) -> Result<()> {
    namespace::Entity::update_many()
        .col_expr(
            namespace::Column::Revision,
            Expr::col(namespace::Column::Revision).add(1),
        )
        .col_expr(namespace::Column::StateModifiedAt, Expr::value(now()))
        .filter(namespace::Column::Key.eq(namespace_key))
        .exec(db)
        .await?;
    Ok(())
}

/// Rejects an empty required field with Flipt's message.
pub(crate) fn require(field: &'static str, value: &str) -> Result<()> {
    if value.is_empty() {
        Err(Error::empty_field(field))
    } else {
        Ok(())
    }
}

/// Rejects values longer than the database column (DESIGN.md §6: 400, not a database error).
pub(crate) fn check_len(field: &'static str, value: &str) -> Result<()> {
    if value.chars().count() > MAX_FIELD_LEN {
        Err(Error::invalid_field(
            field,
            format!("must be at most {MAX_FIELD_LEN} characters"),
        ))
    } else {
        Ok(())
    }
}

/// Validates the key format of namespaces, flags and segments: `^[-_,A-Za-z0-9]+$`.
pub(crate) fn check_key_format(key: &str) -> Result<()> {
    let valid = key
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b',');
    if valid {
        Ok(())
    } else {
        Err(Error::invalid_field("key", "contains invalid characters"))
    }
}

/// A fresh server-assigned id.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// De-duplicates segment keys keeping the first occurrence, from either request field.
pub(crate) fn segment_keys(single: &str, many: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let source: Vec<&str> = if many.is_empty() {
        vec![single]
    } else {
        many.iter().map(String::as_str).collect()
    };
    for key in source {
        if !keys.iter().any(|k| k == key) {
            keys.push(key.to_owned());
        }
    }
    keys
}

/// Checks the "exactly one of segmentKey / segmentKeys" rule shared by rules and rollouts.
pub(crate) fn check_segment_fields(single: &str, many: &[String]) -> Result<()> {
    match (single.is_empty(), many.is_empty()) {
        (true, true) => Err(Error::invalid_field(
            "segmentKey or segmentKeys",
            "must not be empty",
        )),
        (false, false) => Err(Error::invalid_field(
            "segmentKey or segmentKeys",
            "only one can be present",
        )),
        _ => Ok(()),
    }
}

/// The columns of a flag's ranked children (rules, rollouts) that ordering touches.
pub(crate) struct Ranked<C> {
    pub id: C,
    pub namespace_key: C,
    pub flag_key: C,
    pub rank: C,
    pub created_at: C,
    pub updated_at: C,
}

/// Gives the listed ids, in list order, ranks 1..n and one `updated_at`. Ids that are not
/// children of this namespace and flag are ignored (Flipt's ordering semantics).
pub(crate) async fn assign_ranks<E: EntityTrait>(
    db: &impl ConnectionTrait,
    cols: &Ranked<E::Column>,
    namespace_key: &str,
    flag_key: &str,
    ids: &[String],
) -> Result<()> {
    let at = now();
    for (i, id) in ids.iter().enumerate() {
        E::update_many()
            .col_expr(cols.rank, Expr::value(i as i32 + 1))
            .col_expr(cols.updated_at, Expr::value(at))
            .filter(cols.id.eq(id))
            .filter(cols.namespace_key.eq(namespace_key))
            .filter(cols.flag_key.eq(flag_key))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Renumbers every child of a flag 1..n in its current rank order (after a delete) and
/// reports whether there were any.
pub(crate) async fn compact_ranks<E: EntityTrait>(
    db: &impl ConnectionTrait,
    cols: &Ranked<E::Column>,
    namespace_key: &str,
    flag_key: &str,
) -> Result<bool> {
    let ids: Vec<String> = E::find()
        .select_only()
        .column(cols.id)
        .filter(cols.namespace_key.eq(namespace_key))
        .filter(cols.flag_key.eq(flag_key))
        .order_by_asc(cols.rank)
        .order_by_asc(cols.created_at)
        .order_by_asc(cols.id)
        .into_tuple()
        .all(db)
        .await?;
    assign_ranks::<E>(db, cols, namespace_key, flag_key, &ids).await?;
    Ok(!ids.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_format_allows_comma_and_rejects_dot() {
        assert!(check_key_format("a-b_c,1").is_ok());
        assert_eq!(
            check_key_format("a.b").unwrap_err().to_string(),
            "invalid field key: contains invalid characters"
        );
    }

    #[test]
    fn segment_keys_dedupe_keeping_first() {
        let many = vec!["b".to_owned(), "a".to_owned(), "b".to_owned()];
        assert_eq!(segment_keys("", &many), vec!["b", "a"]);
        assert_eq!(segment_keys("x", &[]), vec!["x"]);
    }

    #[test]
    fn segment_field_messages() {
        assert_eq!(
            check_segment_fields("", &[]).unwrap_err().to_string(),
            "invalid field segmentKey or segmentKeys: must not be empty"
        );
        assert_eq!(
            check_segment_fields("a", &["b".to_owned()])
                .unwrap_err()
                .to_string(),
            "invalid field segmentKey or segmentKeys: only one can be present"
        );
    }
}
