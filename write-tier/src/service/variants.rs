//! Variants of a flag, with their JSON attachments.

use flipt_proto::flipt as pb;
use flipt_shared::store::entity::{distribution, flag, variant};
use flipt_shared::store::{json_text_expr, now, read, unique_violation};
use flipt_shared::{Error, Result};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{begin, bump_revision, check_len, namespace_or_default, require};
use crate::state::AppState;

/// Largest attachment accepted, in bytes.
pub const MAX_ATTACHMENT_BYTES: usize = 1_024_000;

/// Validates an attachment and returns what is stored: the text as given (`None` for `""`).
pub(crate) fn parse_attachment(text: &str) -> Result<Option<String>> {
    if text.is_empty() {
        return Ok(None);
    }
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map_err(|_| Error::invalid_field("attachment", "must be a json string"))?;
    if text.len() > MAX_ATTACHMENT_BYTES {
        return Err(Error::invalid_field(
            "attachment",
            "must be less than 1000 KB",
        ));
    }
    Ok(Some(text.to_owned()))
}

/// Stores a variant's attachment text (a separate statement: PostgreSQL needs a cast to JSONB).
pub(crate) async fn set_attachment(
    db: &impl ConnectionTrait,
    id: &str,
    attachment: Option<String>,
) -> Result<()> {
    variant::Entity::update_many()
        .col_expr(
            variant::Column::Attachment,
            json_text_expr(db.get_database_backend(), attachment),
        )
        .filter(variant::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

fn not_unique(ns: &str, flag_key: &str, key: &str) -> Error {
    Error::invalid(format!(
        "variant \"{key}\" is not unique for flag \"{ns}/{flag_key}\""
    ))
}

/// `CreateVariant`.
pub async fn create_variant(
    state: &AppState,
    req: pb::CreateVariantRequest,
) -> Result<pb::Variant> {
    require("flagKey", &req.flag_key)?;
    require("key", &req.key)?;
    let attachment = parse_attachment(&req.attachment)?;
    check_len("key", &req.key)?;
    check_len("name", &req.name)?;
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    if read::find_flag(&txn, &ns, &req.flag_key).await?.is_none() {
        return Err(super::flags::not_found(&ns, &req.flag_key));
    }
    let id = super::new_id();
    let at = now();
    let row = variant::ActiveModel {
        id: Set(id.clone()),
        namespace_key: Set(ns.clone()),
        flag_key: Set(req.flag_key.clone()),
        key: Set(req.key.clone()),
        name: Set(req.name),
        description: Set(req.description),
        attachment: sea_orm::ActiveValue::NotSet,
        created_at: Set(at),
        updated_at: Set(at),
    };
    variant::Entity::insert(row)
        .exec_without_returning(&txn)
        .await
        .map_err(|e| {
            unique_violation(e, || not_unique(&ns, &req.flag_key, &req.key).to_string())
        })?;
    set_attachment(&txn, &id, attachment).await?;
    bump_revision(&txn, &ns).await?;
    let created = read::find_variant(&txn, &ns, &req.flag_key, &id)
        .await?
        .ok_or_else(|| Error::internal_msg("created variant vanished"))?;
    super::commit(state, txn, &ns).await?;
    Ok(read::variant_message(created))
}

/// `UpdateVariant`: replaces key, name, description and attachment.
pub async fn update_variant(
    state: &AppState,
    req: pb::UpdateVariantRequest,
) -> Result<pb::Variant> {
    require("id", &req.id)?;
    require("flagKey", &req.flag_key)?;
    require("key", &req.key)?;
    let attachment = parse_attachment(&req.attachment)?;
    check_len("key", &req.key)?;
    check_len("name", &req.name)?;
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    // Flipt v1 compatibility: the not-found message names the requested key, not the id.
    let existing = read::find_variant(&txn, &ns, &req.flag_key, &req.id)
        .await?
        .ok_or_else(|| Error::not_found(format!("variant \"{}\" not found", req.key)))?;
    let mut row: variant::ActiveModel = existing.into();
    row.key = Set(req.key.clone());
    row.name = Set(req.name);
    row.description = Set(req.description);
    row.updated_at = Set(now());
    row.update(&txn).await.map_err(|e| {
        unique_violation(e, || not_unique(&ns, &req.flag_key, &req.key).to_string())
    })?;
    set_attachment(&txn, &req.id, attachment).await?;
    bump_revision(&txn, &ns).await?;
    let updated = read::find_variant(&txn, &ns, &req.flag_key, &req.id)
        .await?
        .ok_or_else(|| Error::internal_msg("updated variant vanished"))?;
    super::commit(state, txn, &ns).await?;
    Ok(read::variant_message(updated))
}

/// `DeleteVariant`: idempotent; removes the distributions that use it and clears it as the
/// flag's default variant.
pub async fn delete_variant(state: &AppState, req: pb::DeleteVariantRequest) -> Result<()> {
    require("id", &req.id)?;
    require("flagKey", &req.flag_key)?;
    let ns = namespace_or_default(&req.namespace_key);
    let txn = begin(state, &ns).await?;
    if read::find_variant(&txn, &ns, &req.flag_key, &req.id)
        .await?
        .is_some()
    {
        distribution::Entity::delete_many()
            .filter(distribution::Column::VariantId.eq(&req.id))
            .exec(&txn)
            .await?;
        flag::Entity::update_many()
            .col_expr(
                flag::Column::DefaultVariantId,
                Expr::value(Option::<String>::None),
            )
            .filter(flag::Column::DefaultVariantId.eq(&req.id))
            .exec(&txn)
            .await?;
        variant::Entity::delete_by_id(req.id.clone())
            .exec(&txn)
            .await?;
        bump_revision(&txn, &ns).await?;
    }
    super::commit(state, txn, &ns).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_rules() {
        assert_eq!(parse_attachment("").unwrap(), None);
        assert!(parse_attachment("{\"a\": 1}").unwrap().is_some());
        assert_eq!(
            parse_attachment("{bad").unwrap_err().to_string(),
            "invalid field attachment: must be a json string"
        );
        let big = format!("\"{}\"", "x".repeat(MAX_ATTACHMENT_BYTES));
        assert_eq!(
            parse_attachment(&big).unwrap_err().to_string(),
            "invalid field attachment: must be less than 1000 KB"
        );
    }
}
