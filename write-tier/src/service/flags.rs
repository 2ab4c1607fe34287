//! Flags of both types, with their metadata and default variant.

use flipt_proto::flipt as pb;
use flipt_shared::paging::Page;
use flipt_shared::store::entity::{flag, rollout, rule, rule_segment, variant};
use flipt_shared::store::{now, read, unique_violation};
use flipt_shared::{Error, Result};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use super::{
    begin, bump_revision, check_key_format, check_len, namespace_or_default, namespaces, require,
};
use crate::state::AppState;

pub(crate) fn not_found(namespace_key: &str, key: &str) -> Error {
    Error::not_found(format!("flag \"{namespace_key}/{key}\" not found"))
}

/// Converts request metadata to what is stored: `None` for absent or empty objects.
fn stored_metadata(metadata: Option<pbjson_types::Struct>) -> Result<Option<serde_json::Value>> {
    match metadata {
        None => Ok(None),
        Some(s) if s.fields.is_empty() => Ok(None),
        Some(s) => serde_json::to_value(s).map(Some).map_err(Error::internal),
    }
}

/// `GetFlag`.
pub async fn get_flag(state: &AppState, req: pb::GetFlagRequest) -> Result<pb::Flag> {
    require("key", &req.key)?;
    let ns = namespace_or_default(&req.namespace_key);
    read::get_flag(&state.db, &ns, &req.key)
        .await?
        .ok_or_else(|| not_found(&ns, &req.key))
}

/// `ListFlags`: creation order; an unknown namespace lists nothing.
pub async fn list_flags(state: &AppState, req: pb::ListFlagRequest) -> Result<pb::FlagList> {
    let page = Page::from_request(req.limit, req.offset, &req.page_token, true)?;
    let ns = namespace_or_default(&req.namespace_key);
    let list = read::list_flags(&state.db, &ns, &page).await?;
    Ok(pb::FlagList {
        flags: list.items,
        next_page_token: list.next_page_token,
        total_count: list.total_count,
    })
}

/// `CreateFlag`: the type is fixed forever.
pub async fn create_flag(state: &AppState, req: pb::CreateFlagRequest) -> Result<pb::Flag> {
    require("key", &req.key)?;
    check_key_format(&req.key)?;
    require("name", &req.name)?;
    check_len("key", &req.key)?;
    check_len("name", &req.name)?;
    if pb::FlagType::try_from(req.r#type).is_err() {
        return Err(Error::invalid_field("type", "invalid flag type"));
    }
    let ns = namespace_or_default(&req.namespace_key);
    let metadata = stored_metadata(req.metadata)?;

    let txn = begin(state, &ns).await?;
    namespaces::ensure_exists(&txn, &ns).await?;
    let at = now();
    let row = flag::ActiveModel {
        namespace_key: Set(ns.clone()),
        key: Set(req.key.clone()),
        name: Set(req.name),
        description: Set(req.description),
        enabled: Set(req.enabled),
        flag_type: Set(req.r#type),
        default_variant_id: Set(None),
        metadata: Set(metadata),
        created_at: Set(at),
        updated_at: Set(at),
    };
    flag::Entity::insert(row)
        .exec_without_returning(&txn)
        .await
        .map_err(|e| unique_violation(e, || format!("flag \"{ns}/{}\" is not unique", req.key)))?;
    bump_revision(&txn, &ns).await?;
    let created = read::get_flag(&txn, &ns, &req.key)
        .await?
        .ok_or_else(|| not_found(&ns, &req.key))?;
    super::commit(state, txn, &ns).await?;
    Ok(created)
}

/// `UpdateFlag`: full replacement of name, description, enabled and default variant; metadata
/// is replaced only when present (`{}` clears it).
pub async fn update_flag(state: &AppState, req: pb::UpdateFlagRequest) -> Result<pb::Flag> {
    require("key", &req.key)?;
    require("name", &req.name)?;
    check_len("name", &req.name)?;
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    if !req.default_variant_id.is_empty()
        && read::find_variant(&txn, &ns, &req.key, &req.default_variant_id)
            .await?
            .is_none()
    {
        return Err(Error::invalid(format!(
            "variant \"{}\" not found for flag \"{ns}/{}\"",
            req.default_variant_id, req.key
        )));
    }
    let existing = read::find_flag(&txn, &ns, &req.key)
        .await?
        .ok_or_else(|| not_found(&ns, &req.key))?;
    let mut row: flag::ActiveModel = existing.into();
    row.name = Set(req.name);
    row.description = Set(req.description);
    row.enabled = Set(req.enabled);
    row.default_variant_id =
        Set((!req.default_variant_id.is_empty()).then_some(req.default_variant_id));
    if req.metadata.is_some() {
        row.metadata = Set(stored_metadata(req.metadata)?);
    }
    row.updated_at = Set(now());
    row.update(&txn).await?;
    bump_revision(&txn, &ns).await?;
    let updated = read::get_flag(&txn, &ns, &req.key)
        .await?
        .ok_or_else(|| not_found(&ns, &req.key))?;
    super::commit(state, txn, &ns).await?;
    Ok(updated)
}

/// `DeleteFlag`: idempotent; removes the flag's variants, rules and rollouts.
pub async fn delete_flag(state: &AppState, req: pb::DeleteFlagRequest) -> Result<()> {
    require("key", &req.key)?;
    let ns = namespace_or_default(&req.namespace_key);
    let txn = begin(state, &ns).await?;
    if read::find_flag(&txn, &ns, &req.key).await?.is_some() {
        let rule_ids: Vec<String> = rule::Entity::find()
            .select_only()
            .column(rule::Column::Id)
            .filter(rule::Column::NamespaceKey.eq(&ns))
            .filter(rule::Column::FlagKey.eq(&req.key))
            .into_tuple()
            .all(&txn)
            .await?;
        if !rule_ids.is_empty() {
            rule_segment::Entity::delete_many()
                .filter(rule_segment::Column::RuleId.is_in(rule_ids))
                .exec(&txn)
                .await?;
        }
        rule::Entity::delete_many()
            .filter(rule::Column::NamespaceKey.eq(&ns))
            .filter(rule::Column::FlagKey.eq(&req.key))
            .exec(&txn)
            .await?;
        rollout::Entity::delete_many()
            .filter(rollout::Column::NamespaceKey.eq(&ns))
            .filter(rollout::Column::FlagKey.eq(&req.key))
            .exec(&txn)
            .await?;
        clear_default_variants(&txn, &ns, Some(&req.key)).await?;
        variant::Entity::delete_many()
            .filter(variant::Column::NamespaceKey.eq(&ns))
            .filter(variant::Column::FlagKey.eq(&req.key))
            .exec(&txn)
            .await?;
        flag::Entity::delete_by_id((ns.clone(), req.key.clone()))
            .exec(&txn)
            .await?;
        bump_revision(&txn, &ns).await?;
    }
    super::commit(state, txn, &ns).await?;
    Ok(())
}

/// Clears `default_variant_id` of one flag (or of every flag in the namespace) before its
/// variants go, so no database has to resolve the flags↔variants cycle itself.
pub(crate) async fn clear_default_variants(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    flag_key: Option<&str>,
) -> Result<()> {
    let mut update = flag::Entity::update_many()
        .col_expr(
            flag::Column::DefaultVariantId,
            Expr::value(Option::<String>::None),
        )
        .filter(flag::Column::NamespaceKey.eq(namespace_key))
        .filter(flag::Column::DefaultVariantId.is_not_null());
    if let Some(key) = flag_key {
        update = update.filter(flag::Column::Key.eq(key));
    }
    update.exec(db).await?;
    Ok(())
}
