//! Rollouts of boolean flags: segment rollouts and percentage thresholds, ranked per flag.

use flipt_proto::flipt as pb;
use flipt_proto::flipt::rollout::Rule as Member;
use flipt_shared::paging::Page;
use flipt_shared::store::entity::{
    rollout, rollout_segment, rollout_segment_reference, rollout_threshold,
};
use flipt_shared::store::{now, read};
use flipt_shared::{Error, Result};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use super::rules::{effective_operator, segments_exist};
use super::{
    begin, bump_revision, check_segment_fields, namespace_or_default, require, segment_keys,
};
use crate::state::AppState;

/// The columns ordering touches.
const RANKED: super::Ranked<rollout::Column> = super::Ranked {
    id: rollout::Column::Id,
    namespace_key: rollout::Column::NamespaceKey,
    flag_key: rollout::Column::FlagKey,
    rank: rollout::Column::Rank,
    created_at: rollout::Column::CreatedAt,
    updated_at: rollout::Column::UpdatedAt,
};

fn not_found(ns: &str, id: &str) -> Error {
    Error::not_found(format!("rollout \"{ns}/{id}\" not found"))
}

/// The request messages carry their own copy of the `rule` oneof; this maps them to one type.
fn from_create(rule: Option<pb::create_rollout_request::Rule>) -> Option<Member> {
    rule.map(|r| match r {
        pb::create_rollout_request::Rule::Segment(s) => Member::Segment(s),
        pb::create_rollout_request::Rule::Threshold(t) => Member::Threshold(t),
    })
}

fn from_update(rule: Option<pb::update_rollout_request::Rule>) -> Option<Member> {
    rule.map(|r| match r {
        pb::update_rollout_request::Rule::Segment(s) => Member::Segment(s),
        pb::update_rollout_request::Rule::Threshold(t) => Member::Threshold(t),
    })
}

fn check_member(member: &Option<Member>) -> Result<()> {
    match member {
        Some(Member::Threshold(t)) if !(0.0..=100.0).contains(&t.percentage) => Err(
            Error::invalid_field("threshold.percentage", "must be within range [0, 100]"),
        ),
        Some(Member::Segment(s)) => check_segment_fields(&s.segment_key, &s.segment_keys),
        _ => Ok(()),
    }
}

fn type_of(member: &Member) -> pb::RolloutType {
    match member {
        Member::Segment(_) => pb::RolloutType::SegmentRolloutType,
        Member::Threshold(_) => pb::RolloutType::ThresholdRolloutType,
    }
}

/// Writes the member rows of a rollout, replacing any previous ones.
async fn write_member(
    db: &impl ConnectionTrait,
    ns: &str,
    rollout_id: &str,
    member: Member,
) -> Result<()> {
    match member {
        Member::Threshold(t) => {
            rollout_threshold::Entity::delete_many()
                .filter(rollout_threshold::Column::RolloutId.eq(rollout_id))
                .exec(db)
                .await?;
            rollout_threshold::Entity::insert(rollout_threshold::ActiveModel {
                id: Set(super::new_id()),
                namespace_key: Set(ns.to_owned()),
                rollout_id: Set(rollout_id.to_owned()),
                percentage: Set(f64::from(t.percentage)),
                value: Set(t.value),
            })
            .exec_without_returning(db)
            .await?;
        }
        Member::Segment(s) => {
            let keys = segment_keys(&s.segment_key, &s.segment_keys);
            let operator = effective_operator(&keys, s.segment_operator)?;
            let old: Vec<String> = rollout_segment::Entity::find()
                .filter(rollout_segment::Column::RolloutId.eq(rollout_id))
                .all(db)
                .await?
                .into_iter()
                .map(|m| m.id)
                .collect();
            if !old.is_empty() {
                rollout_segment_reference::Entity::delete_many()
                    .filter(
                        Expr::col(rollout_segment_reference::Column::RolloutSegmentId)
                            .is_in(old.clone()),
                    )
                    .exec(db)
                    .await?;
                rollout_segment::Entity::delete_many()
                    .filter(rollout_segment::Column::Id.is_in(old))
                    .exec(db)
                    .await?;
            }
            let member_id = super::new_id();
            rollout_segment::Entity::insert(rollout_segment::ActiveModel {
                id: Set(member_id.clone()),
                rollout_id: Set(rollout_id.to_owned()),
                value: Set(s.value),
                segment_operator: Set(operator),
            })
            .exec_without_returning(db)
            .await?;
            for key in keys {
                rollout_segment_reference::Entity::insert(rollout_segment_reference::ActiveModel {
                    rollout_segment_id: Set(member_id.clone()),
                    namespace_key: Set(ns.to_owned()),
                    segment_key: Set(key),
                })
                .exec_without_returning(db)
                .await?;
            }
        }
    }
    Ok(())
}

/// Checks that the flag and, for segment rollouts, every segment exist.
async fn check_references(
    db: &impl ConnectionTrait,
    ns: &str,
    flag_key: &str,
    member: &Member,
) -> Result<()> {
    let flag_exists = read::find_flag(db, ns, flag_key).await?.is_some();
    match member {
        Member::Segment(s) => {
            let keys = segment_keys(&s.segment_key, &s.segment_keys);
            if !flag_exists || !segments_exist(db, ns, &keys).await? {
                // Flipt v1 compatibility: this exact quoting.
                return Err(Error::not_found(format!(
                    "flag \"{ns}/{flag_key} or segment {}\" not found",
                    s.segment_key
                )));
            }
        }
        Member::Threshold(_) => {
            if !flag_exists {
                return Err(super::flags::not_found(ns, flag_key));
            }
        }
    }
    Ok(())
}

/// `GetRollout`: looked up by id and namespace.
pub async fn get_rollout(state: &AppState, req: pb::GetRolloutRequest) -> Result<pb::Rollout> {
    let ns = namespace_or_default(&req.namespace_key);
    read::get_rollout(&state.db, &ns, &req.id)
        .await?
        .ok_or_else(|| not_found(&ns, &req.id))
}

/// `ListRollouts`: rank order, no validation; items travel under `rules`.
pub async fn list_rollouts(
    state: &AppState,
    req: pb::ListRolloutRequest,
) -> Result<pb::RolloutList> {
    let page = Page::from_request(req.limit, 0, &req.page_token, false)?;
    let ns = namespace_or_default(&req.namespace_key);
    let list = read::list_rollouts(&state.db, &ns, &req.flag_key, &page).await?;
    Ok(pb::RolloutList {
        rules: list.items,
        next_page_token: list.next_page_token,
        total_count: list.total_count,
    })
}

/// `CreateRollout`: ranks are unique per flag (any integer, as Flipt allows).
pub async fn create_rollout(
    state: &AppState,
    req: pb::CreateRolloutRequest,
) -> Result<pb::Rollout> {
    require("flagKey", &req.flag_key)?;
    let rule = from_create(req.rule);
    check_member(&rule)?;
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    let taken = rollout::Entity::find()
        .filter(rollout::Column::NamespaceKey.eq(&ns))
        .filter(rollout::Column::FlagKey.eq(&req.flag_key))
        .filter(rollout::Column::Rank.eq(req.rank))
        .count(&txn)
        .await?;
    if taken > 0 {
        return Err(Error::invalid(format!(
            "rank number: {} already exists",
            req.rank
        )));
    }
    let Some(member) = rule else {
        return Err(Error::invalid("rollout rule is missing"));
    };
    check_references(&txn, &ns, &req.flag_key, &member).await?;
    let id = super::new_id();
    let at = now();
    rollout::Entity::insert(rollout::ActiveModel {
        id: Set(id.clone()),
        namespace_key: Set(ns.clone()),
        flag_key: Set(req.flag_key.clone()),
        rollout_type: Set(type_of(&member) as i32),
        description: Set(req.description),
        rank: Set(req.rank),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec_without_returning(&txn)
    .await?;
    write_member(&txn, &ns, &id, member).await?;
    bump_revision(&txn, &ns).await?;
    let created = read::get_rollout(&txn, &ns, &id)
        .await?
        .ok_or_else(|| not_found(&ns, &id))?;
    super::commit(state, txn, &ns).await?;
    Ok(created)
}

/// `UpdateRollout`: replaces the description and the member's contents; the type is fixed.
pub async fn update_rollout(
    state: &AppState,
    req: pb::UpdateRolloutRequest,
) -> Result<pb::Rollout> {
    require("id", &req.id)?;
    require("flagKey", &req.flag_key)?;
    let rule = from_update(req.rule);
    check_member(&rule)?;
    let Some(member) = rule else {
        return Err(Error::invalid_field("rule", "invalid rollout rule type"));
    };
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    let existing = read::find_rollout(&txn, &ns, &req.id)
        .await?
        .filter(|r| r.flag_key == req.flag_key)
        .ok_or_else(|| not_found(&ns, &req.id))?;
    let stored = pb::RolloutType::try_from(existing.rollout_type)
        .unwrap_or(pb::RolloutType::UnknownRolloutType);
    let wanted = type_of(&member);
    if stored != wanted {
        return Err(Error::invalid(format!(
            "cannot change type of rollout: have {:?} attempted {:?}",
            stored.as_str_name(),
            wanted.as_str_name()
        )));
    }
    check_references(&txn, &ns, &req.flag_key, &member).await?;
    let mut row: rollout::ActiveModel = existing.into();
    row.description = Set(req.description);
    row.updated_at = Set(now());
    row.update(&txn).await?;
    write_member(&txn, &ns, &req.id, member).await?;
    bump_revision(&txn, &ns).await?;
    let updated = read::get_rollout(&txn, &ns, &req.id)
        .await?
        .ok_or_else(|| not_found(&ns, &req.id))?;
    super::commit(state, txn, &ns).await?;
    Ok(updated)
}

/// `OrderRollouts`: the i-th listed rollout of this flag gets rank i; unknown ids are ignored.
pub async fn order_rollouts(state: &AppState, req: pb::OrderRolloutsRequest) -> Result<()> {
    require("flagKey", &req.flag_key)?;
    if req.rollout_ids.len() < 2 {
        return Err(Error::invalid_field(
            "rolloutIds",
            "must contain atleast 2 elements",
        ));
    }
    let ns = namespace_or_default(&req.namespace_key);
    let txn = begin(state, &ns).await?;
    super::assign_ranks::<rollout::Entity>(&txn, &RANKED, &ns, &req.flag_key, &req.rollout_ids)
        .await?;
    bump_revision(&txn, &ns).await?;
    super::commit(state, txn, &ns).await?;
    Ok(())
}

/// `DeleteRollout`: idempotent; the flag's remaining rollouts are renumbered 1..n.
pub async fn delete_rollout(state: &AppState, req: pb::DeleteRolloutRequest) -> Result<()> {
    require("id", &req.id)?;
    require("flagKey", &req.flag_key)?;
    let ns = namespace_or_default(&req.namespace_key);
    let txn = begin(state, &ns).await?;
    let target = read::find_rollout(&txn, &ns, &req.id)
        .await?
        .filter(|r| r.flag_key == req.flag_key);
    if target.is_some() {
        let members: Vec<String> = rollout_segment::Entity::find()
            .filter(rollout_segment::Column::RolloutId.eq(&req.id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        if !members.is_empty() {
            rollout_segment_reference::Entity::delete_many()
                .filter(
                    Expr::col(rollout_segment_reference::Column::RolloutSegmentId).is_in(members),
                )
                .exec(&txn)
                .await?;
        }
        rollout::Entity::delete_by_id(req.id.clone())
            .exec(&txn)
            .await?;
    }
    // Flipt re-ranks (and touches) the remaining rollouts even when nothing was deleted.
    let remaining =
        super::compact_ranks::<rollout::Entity>(&txn, &RANKED, &ns, &req.flag_key).await?;
    if target.is_some() || remaining {
        bump_revision(&txn, &ns).await?;
    }
    super::commit(state, txn, &ns).await?;
    Ok(())
}
