//! Rules of variant flags: segments combined with AND/OR, ranks, ordering.

use flipt_proto::flipt as pb;
use flipt_shared::paging::Page;
use flipt_shared::store::entity::{distribution, rule, rule_segment};
use flipt_shared::store::{now, read};
use flipt_shared::{Error, Result};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{
    begin, bump_revision, check_segment_fields, namespace_or_default, require, segment_keys,
};
use crate::state::AppState;

/// The columns ordering touches.
const RANKED: super::Ranked<rule::Column> = super::Ranked {
    id: rule::Column::Id,
    namespace_key: rule::Column::NamespaceKey,
    flag_key: rule::Column::FlagKey,
    rank: rule::Column::Rank,
    created_at: rule::Column::CreatedAt,
    updated_at: rule::Column::UpdatedAt,
};

fn not_found(ns: &str, id: &str) -> Error {
    Error::not_found(format!("rule \"{ns}/{id}\" not found"))
}

/// Resolves the stored operator: a single segment is always OR.
pub(crate) fn effective_operator(keys: &[String], requested: i32) -> Result<i32> {
    pb::SegmentOperator::try_from(requested)
        .map_err(|_| Error::invalid_field("segmentOperator", "invalid segment operator"))?;
    Ok(if keys.len() == 1 {
        pb::SegmentOperator::OrSegmentOperator as i32
    } else {
        requested
    })
}

/// Whether every key names a segment of the namespace.
pub(crate) async fn segments_exist(
    db: &impl ConnectionTrait,
    ns: &str,
    keys: &[String],
) -> Result<bool> {
    for key in keys {
        if read::find_segment(db, ns, key).await?.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

async fn link_segments(
    db: &impl ConnectionTrait,
    rule_id: &str,
    ns: &str,
    keys: &[String],
) -> Result<()> {
    rule_segment::Entity::delete_many()
        .filter(rule_segment::Column::RuleId.eq(rule_id))
        .exec(db)
        .await?;
    for key in keys {
        rule_segment::Entity::insert(rule_segment::ActiveModel {
            rule_id: Set(rule_id.to_owned()),
            namespace_key: Set(ns.to_owned()),
            segment_key: Set(key.clone()),
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// `GetRule`: looked up by id and namespace (Flipt does not compare the flag key).
pub async fn get_rule(state: &AppState, req: pb::GetRuleRequest) -> Result<pb::Rule> {
    require("id", &req.id)?;
    require("flagKey", &req.flag_key)?;
    let ns = namespace_or_default(&req.namespace_key);
    read::get_rule(&state.db, &ns, &req.id)
        .await?
        .ok_or_else(|| not_found(&ns, &req.id))
}

/// `ListRules`: rank order; an unknown flag lists nothing.
pub async fn list_rules(state: &AppState, req: pb::ListRuleRequest) -> Result<pb::RuleList> {
    require("flagKey", &req.flag_key)?;
    let page = Page::from_request(req.limit, req.offset, &req.page_token, true)?;
    let ns = namespace_or_default(&req.namespace_key);
    let list = read::list_rules(&state.db, &ns, &req.flag_key, &page).await?;
    Ok(pb::RuleList {
        rules: list.items,
        next_page_token: list.next_page_token,
        total_count: list.total_count,
    })
}

/// `CreateRule`: ranks are chosen by the client and may repeat.
pub async fn create_rule(state: &AppState, req: pb::CreateRuleRequest) -> Result<pb::Rule> {
    require("flagKey", &req.flag_key)?;
    check_segment_fields(&req.segment_key, &req.segment_keys)?;
    if req.rank <= 0 {
        return Err(Error::invalid_field("rank", "must be greater than 0"));
    }
    let keys = segment_keys(&req.segment_key, &req.segment_keys);
    let operator = effective_operator(&keys, req.segment_operator)?;
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    if read::find_flag(&txn, &ns, &req.flag_key).await?.is_none()
        || !segments_exist(&txn, &ns, &keys).await?
    {
        return Err(Error::not_found(format!(
            "flag \"{ns}/{}\" or segment \"{ns}/{}\" not found",
            req.flag_key, req.segment_key
        )));
    }
    let id = super::new_id();
    let at = now();
    rule::Entity::insert(rule::ActiveModel {
        id: Set(id.clone()),
        namespace_key: Set(ns.clone()),
        flag_key: Set(req.flag_key.clone()),
        rank: Set(req.rank),
        segment_operator: Set(operator),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec_without_returning(&txn)
    .await?;
    link_segments(&txn, &id, &ns, &keys).await?;
    bump_revision(&txn, &ns).await?;
    let created = read::get_rule(&txn, &ns, &id)
        .await?
        .ok_or_else(|| not_found(&ns, &id))?;
    super::commit(state, txn, &ns).await?;
    Ok(created)
}

/// `UpdateRule`: replaces the segments and operator; rank and distributions stay.
pub async fn update_rule(state: &AppState, req: pb::UpdateRuleRequest) -> Result<pb::Rule> {
    require("id", &req.id)?;
    require("flagKey", &req.flag_key)?;
    check_segment_fields(&req.segment_key, &req.segment_keys)?;
    let keys = segment_keys(&req.segment_key, &req.segment_keys);
    let operator = effective_operator(&keys, req.segment_operator)?;
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    let existing = read::find_rule(&txn, &ns, &req.id)
        .await?
        .filter(|r| r.flag_key == req.flag_key)
        .ok_or_else(|| not_found(&ns, &req.id))?;
    if !segments_exist(&txn, &ns, &keys).await? {
        return Err(not_found(&ns, &req.id));
    }
    let mut row: rule::ActiveModel = existing.into();
    row.segment_operator = Set(operator);
    row.updated_at = Set(now());
    row.update(&txn).await?;
    link_segments(&txn, &req.id, &ns, &keys).await?;
    bump_revision(&txn, &ns).await?;
    let updated = read::get_rule(&txn, &ns, &req.id)
        .await?
        .ok_or_else(|| not_found(&ns, &req.id))?;
    super::commit(state, txn, &ns).await?;
    Ok(updated)
}

/// `OrderRules`: the i-th listed rule of this flag gets rank i; unknown ids are ignored.
pub async fn order_rules(state: &AppState, req: pb::OrderRulesRequest) -> Result<()> {
    require("flagKey", &req.flag_key)?;
    if req.rule_ids.len() < 2 {
        return Err(Error::invalid_field(
            "ruleIds",
            "must contain atleast 2 elements",
        ));
    }
    let ns = namespace_or_default(&req.namespace_key);
    let txn = begin(state, &ns).await?;
    super::assign_ranks::<rule::Entity>(&txn, &RANKED, &ns, &req.flag_key, &req.rule_ids).await?;
    bump_revision(&txn, &ns).await?;
    super::commit(state, txn, &ns).await?;
    Ok(())
}

/// `DeleteRule`: idempotent; the flag's remaining rules are renumbered 1..n.
pub async fn delete_rule(state: &AppState, req: pb::DeleteRuleRequest) -> Result<()> {
    require("id", &req.id)?;
    require("flagKey", &req.flag_key)?;
    let ns = namespace_or_default(&req.namespace_key);
    let txn = begin(state, &ns).await?;
    let target = read::find_rule(&txn, &ns, &req.id)
        .await?
        .filter(|r| r.flag_key == req.flag_key);
    if target.is_some() {
        rule_segment::Entity::delete_many()
            .filter(rule_segment::Column::RuleId.eq(&req.id))
            .exec(&txn)
            .await?;
        distribution::Entity::delete_many()
            .filter(distribution::Column::RuleId.eq(&req.id))
            .exec(&txn)
            .await?;
        rule::Entity::delete_by_id(req.id.clone())
            .exec(&txn)
            .await?;
    }
    // Flipt re-ranks (and touches) the remaining rules even when nothing was deleted.
    let remaining = super::compact_ranks::<rule::Entity>(&txn, &RANKED, &ns, &req.flag_key).await?;
    if target.is_some() || remaining {
        bump_revision(&txn, &ns).await?;
    }
    super::commit(state, txn, &ns).await?;
    Ok(())
}
