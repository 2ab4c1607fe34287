//! Segments and their match type; constraints live in `constraints`.

use flipt_proto::flipt as pb;
use flipt_shared::paging::Page;
use flipt_shared::store::entity::{rollout_segment_reference, rule_segment, segment};
use flipt_shared::store::{now, read, unique_violation};
use flipt_shared::{Error, Result};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::{
    begin, bump_revision, check_key_format, check_len, namespace_or_default, namespaces, require,
};
use crate::state::AppState;

pub(crate) fn not_found(namespace_key: &str, key: &str) -> Error {
    Error::not_found(format!("segment \"{namespace_key}/{key}\" not found"))
}

fn check_match_type(value: i32) -> Result<()> {
    pb::MatchType::try_from(value)
        .map(|_| ())
        .map_err(|_| Error::invalid_field("matchType", "invalid match type"))
}

/// `GetSegment`.
pub async fn get_segment(state: &AppState, req: pb::GetSegmentRequest) -> Result<pb::Segment> {
    require("key", &req.key)?;
    let ns = namespace_or_default(&req.namespace_key);
    read::get_segment(&state.db, &ns, &req.key)
        .await?
        .ok_or_else(|| not_found(&ns, &req.key))
}

/// `ListSegments`: creation order; an unknown namespace lists nothing.
pub async fn list_segments(
    state: &AppState,
    req: pb::ListSegmentRequest,
) -> Result<pb::SegmentList> {
    let page = Page::from_request(req.limit, req.offset, &req.page_token, true)?;
    let ns = namespace_or_default(&req.namespace_key);
    let list = read::list_segments(&state.db, &ns, &page).await?;
    Ok(pb::SegmentList {
        segments: list.items,
        next_page_token: list.next_page_token,
        total_count: list.total_count,
    })
}

/// `CreateSegment`.
pub async fn create_segment(
    state: &AppState,
    req: pb::CreateSegmentRequest,
) -> Result<pb::Segment> {
    require("key", &req.key)?;
    check_key_format(&req.key)?;
    require("name", &req.name)?;
    check_len("key", &req.key)?;
    check_len("name", &req.name)?;
    check_match_type(req.match_type)?;
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    namespaces::ensure_exists(&txn, &ns).await?;
    let at = now();
    let row = segment::ActiveModel {
        namespace_key: Set(ns.clone()),
        key: Set(req.key.clone()),
        name: Set(req.name),
        description: Set(req.description),
        match_type: Set(req.match_type),
        created_at: Set(at),
        updated_at: Set(at),
    };
    segment::Entity::insert(row)
        .exec_without_returning(&txn)
        .await
        .map_err(|e| {
            unique_violation(e, || format!("segment \"{ns}/{}\" is not unique", req.key))
        })?;
    bump_revision(&txn, &ns).await?;
    let created = read::get_segment(&txn, &ns, &req.key)
        .await?
        .ok_or_else(|| not_found(&ns, &req.key))?;
    super::commit(state, txn, &ns).await?;
    Ok(created)
}

/// `UpdateSegment`: replaces name, description and match type.
pub async fn update_segment(
    state: &AppState,
    req: pb::UpdateSegmentRequest,
) -> Result<pb::Segment> {
    require("key", &req.key)?;
    require("name", &req.name)?;
    check_len("name", &req.name)?;
    check_match_type(req.match_type)?;
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    let existing = read::find_segment(&txn, &ns, &req.key)
        .await?
        .ok_or_else(|| not_found(&ns, &req.key))?;
    let mut row: segment::ActiveModel = existing.into();
    row.name = Set(req.name);
    row.description = Set(req.description);
    row.match_type = Set(req.match_type);
    row.updated_at = Set(now());
    row.update(&txn).await?;
    bump_revision(&txn, &ns).await?;
    let updated = read::get_segment(&txn, &ns, &req.key)
        .await?
        .ok_or_else(|| not_found(&ns, &req.key))?;
    super::commit(state, txn, &ns).await?;
    Ok(updated)
}

/// `DeleteSegment`: idempotent; refused while a rule or rollout references the segment.
pub async fn delete_segment(state: &AppState, req: pb::DeleteSegmentRequest) -> Result<()> {
    require("key", &req.key)?;
    let ns = namespace_or_default(&req.namespace_key);
    let txn = begin(state, &ns).await?;
    if read::find_segment(&txn, &ns, &req.key).await?.is_some() {
        let rules = rule_segment::Entity::find()
            .filter(rule_segment::Column::NamespaceKey.eq(&ns))
            .filter(rule_segment::Column::SegmentKey.eq(&req.key))
            .count(&txn)
            .await?;
        let rollouts = rollout_segment_reference::Entity::find()
            .filter(rollout_segment_reference::Column::NamespaceKey.eq(&ns))
            .filter(rollout_segment_reference::Column::SegmentKey.eq(&req.key))
            .count(&txn)
            .await?;
        if rules + rollouts > 0 {
            return Err(Error::invalid(format!(
                "segment \"{ns}/{}\" is in use",
                req.key
            )));
        }
        segment::Entity::delete_by_id((ns.clone(), req.key.clone()))
            .exec(&txn)
            .await?;
        bump_revision(&txn, &ns).await?;
    }
    super::commit(state, txn, &ns).await?;
    Ok(())
}
