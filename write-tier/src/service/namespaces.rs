//! Namespaces: the top-level scope; `default` always exists and is protected.

use flipt_proto::flipt as pb;
use flipt_shared::paging::Page;
use flipt_shared::store::entity::{
    flag, namespace, rollout, rollout_segment_reference, rule, rule_segment, segment,
};
use flipt_shared::store::{now, read, unique_violation};
use flipt_shared::{Error, Result};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::{begin, bump_revision, check_key_format, check_len, require, DEFAULT_NAMESPACE};
use crate::state::AppState;

pub(crate) fn not_found(key: &str) -> Error {
    Error::not_found(format!("namespace \"{key}\" not found"))
}

/// `GetNamespace`: an empty key reads `default`.
pub async fn get_namespace(
    state: &AppState,
    req: pb::GetNamespaceRequest,
) -> Result<pb::Namespace> {
    let key = super::namespace_or_default(&req.key);
    read::find_namespace(&state.db, &key)
        .await?
        .map(read::namespace_message)
        .ok_or_else(|| not_found(&key))
}

/// `ListNamespaces`: creation order, no limit/token validation.
pub async fn list_namespaces(
    state: &AppState,
    req: pb::ListNamespaceRequest,
) -> Result<pb::NamespaceList> {
    let page = Page::from_request(req.limit, req.offset, &req.page_token, false)?;
    let list = read::list_namespaces(&state.db, &page).await?;
    Ok(pb::NamespaceList {
        namespaces: list.items,
        next_page_token: list.next_page_token,
        total_count: list.total_count,
    })
}

/// `CreateNamespace`.
pub async fn create_namespace(
    state: &AppState,
    req: pb::CreateNamespaceRequest,
) -> Result<pb::Namespace> {
    require("key", &req.key)?;
    check_key_format(&req.key)?;
    require("name", &req.name)?;
    check_len("key", &req.key)?;
    check_len("name", &req.name)?;

    // No row to lock yet (locking a missing key would take a MySQL gap lock that concurrent
    // creates deadlock on); the primary key decides between concurrent creates.
    let txn = super::begin_unlocked(state).await?;
    let at = now();
    let row = namespace::ActiveModel {
        key: Set(req.key.clone()),
        name: Set(req.name),
        description: Set(req.description),
        protected: Set(false),
        created_at: Set(at),
        updated_at: Set(at),
        state_modified_at: Set(Some(at)),
        revision: Set(1),
    };
    namespace::Entity::insert(row)
        .exec_without_returning(&txn)
        .await
        .map_err(|e| unique_violation(e, || format!("namespace \"{}\" is not unique", req.key)))?;
    let created = read::find_namespace(&txn, &req.key)
        .await?
        .ok_or_else(|| not_found(&req.key))?;
    super::commit(state, txn, &req.key).await?;
    Ok(read::namespace_message(created))
}

/// `UpdateNamespace`: replaces name and description.
pub async fn update_namespace(
    state: &AppState,
    req: pb::UpdateNamespaceRequest,
) -> Result<pb::Namespace> {
    require("key", &req.key)?;
    require("name", &req.name)?;
    check_len("name", &req.name)?;

    let txn = begin(state, &req.key).await?;
    let existing = read::find_namespace(&txn, &req.key)
        .await?
        .ok_or_else(|| not_found(&req.key))?;
    let mut row: namespace::ActiveModel = existing.into();
    row.name = Set(req.name);
    row.description = Set(req.description);
    row.updated_at = Set(now());
    row.update(&txn).await?;
    bump_revision(&txn, &req.key).await?;
    let updated = read::find_namespace(&txn, &req.key)
        .await?
        .ok_or_else(|| not_found(&req.key))?;
    super::commit(state, txn, &req.key).await?;
    Ok(read::namespace_message(updated))
}

/// `DeleteNamespace`: refuses protected namespaces (`default` even with `force`, DESIGN.md §6)
/// and namespaces that still hold flags unless `force`; otherwise removes everything in it.
pub async fn delete_namespace(state: &AppState, req: pb::DeleteNamespaceRequest) -> Result<()> {
    let key = req.key;
    let txn = begin(state, &key).await?;
    let existing = read::find_namespace(&txn, &key)
        .await?
        .ok_or_else(|| not_found(&key))?;
    if existing.protected && (!req.force || key == DEFAULT_NAMESPACE) {
        return Err(Error::invalid(format!("namespace \"{key}\" is protected")));
    }
    if !req.force {
        let flags = flag::Entity::find()
            .filter(flag::Column::NamespaceKey.eq(&key))
            .count(&txn)
            .await?;
        if flags > 0 {
            return Err(Error::invalid(format!(
                "namespace \"{key}\" cannot be deleted; flags must be deleted first"
            )));
        }
    }
    // Explicit order: segment links first (they RESTRICT segment deletion), then rules and
    // rollouts (CockroachDB lacks the rules→flags cascade), then the namespace cascades the rest.
    rule_segment::Entity::delete_many()
        .filter(rule_segment::Column::NamespaceKey.eq(&key))
        .exec(&txn)
        .await?;
    rollout_segment_reference::Entity::delete_many()
        .filter(rollout_segment_reference::Column::NamespaceKey.eq(&key))
        .exec(&txn)
        .await?;
    rule::Entity::delete_many()
        .filter(rule::Column::NamespaceKey.eq(&key))
        .exec(&txn)
        .await?;
    rollout::Entity::delete_many()
        .filter(rollout::Column::NamespaceKey.eq(&key))
        .exec(&txn)
        .await?;
    super::flags::clear_default_variants(&txn, &key, None).await?;
    flag::Entity::delete_many()
        .filter(flag::Column::NamespaceKey.eq(&key))
        .exec(&txn)
        .await?;
    segment::Entity::delete_many()
        .filter(segment::Column::NamespaceKey.eq(&key))
        .exec(&txn)
        .await?;
    namespace::Entity::delete_by_id(key.clone())
        .exec(&txn)
        .await?;
    super::commit(state, txn, &key).await?;
    Ok(())
}

/// Fails with `namespace "<key>" not found` unless the namespace exists.
pub(crate) async fn ensure_exists(db: &impl sea_orm::ConnectionTrait, key: &str) -> Result<()> {
    match read::find_namespace(db, key).await? {
        Some(_) => Ok(()),
        None => Err(not_found(key)),
    }
}
