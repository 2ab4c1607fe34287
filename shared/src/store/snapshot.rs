//! Loading one namespace for evaluation: every row in one read-only, repeatable-read
//! transaction together with the namespace's revision, so a snapshot labelled R holds exactly
//! R's data even on a lagging replica. Only SELECTs: this runs as a SELECT-only user.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    IsolationLevel, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::entity::{
    constraint, distribution, flag, namespace, rollout, rollout_segment, rollout_segment_reference,
    rollout_threshold, rule, rule_segment, segment, variant,
};
use super::DbTime;
use crate::snapshot::raw::{
    RawConstraint, RawDistribution, RawFlag, RawNamespace, RawRollout, RawRolloutMember, RawRule,
    RawSegment, RawVariant,
};

fn pair(at: DbTime) -> (i64, i32) {
    let utc = at.0.and_utc();
    (utc.timestamp(), utc.timestamp_subsec_nanos() as i32)
}

/// Which state of a namespace a snapshot holds. Ordered: a namespace deleted and created again
/// starts its revisions over, so the creation time comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub created_at: (i64, i32),
    pub revision: i64,
}

/// Every namespace's key and version: the cheap query read instances poll.
pub async fn versions(db: &impl ConnectionTrait) -> Result<Vec<(String, Version)>, DbErr> {
    let rows: Vec<(String, i64, DbTime)> = namespace::Entity::find()
        .select_only()
        .column(namespace::Column::Key)
        .column(namespace::Column::Revision)
        .column(namespace::Column::CreatedAt)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(key, revision, created_at)| {
            (
                key,
                Version {
                    created_at: pair(created_at),
                    revision,
                },
            )
        })
        .collect())
}

/// One namespace's version; `None` when it does not exist. Read inside a mutation's transaction
/// it is the version that mutation produces.
pub async fn version_of(db: &impl ConnectionTrait, key: &str) -> Result<Option<Version>, DbErr> {
    let row: Option<(i64, DbTime)> = namespace::Entity::find_by_id(key.to_owned())
        .select_only()
        .column(namespace::Column::Revision)
        .column(namespace::Column::CreatedAt)
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.map(|(revision, created_at)| Version {
        created_at: pair(created_at),
        revision,
    }))
}

/// Loads a namespace and its version consistently; `None` when it does not exist.
pub async fn load_namespace(
    db: &DatabaseConnection,
    key: &str,
) -> Result<Option<(Version, RawNamespace)>, DbErr> {
    let txn = match db.get_database_backend() {
        // SQLite transactions are serializable already and take no isolation options.
        DbBackend::Sqlite => db.begin().await?,
        _ => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await?
        }
    };
    let loaded = load_in(&txn, key).await;
    // Read-only: nothing to keep; rolling back also ends the snapshot on every database.
    txn.rollback().await?;
    loaded
}

async fn load_in(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<(Version, RawNamespace)>, DbErr> {
    let Some(ns) = namespace::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };

    let flags = flag::Entity::find()
        .filter(flag::Column::NamespaceKey.eq(key))
        .order_by_asc(flag::Column::CreatedAt)
        .order_by_asc(flag::Column::Key)
        .all(db)
        .await?
        .into_iter()
        .map(|f| RawFlag {
            key: f.key,
            name: f.name,
            description: f.description,
            enabled: f.enabled,
            flag_type: f.flag_type,
            default_variant_id: f.default_variant_id,
            created_at: pair(f.created_at),
            updated_at: pair(f.updated_at),
        })
        .collect();

    let variants = variant::Entity::find()
        .filter(variant::Column::NamespaceKey.eq(key))
        .order_by_asc(variant::Column::CreatedAt)
        .order_by_asc(variant::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|v| RawVariant {
            // Verbatim: evaluation compacts it, the snapshot's default variant shows it as stored.
            attachment: v.attachment.map(|t| t.0).unwrap_or_default(),
            id: v.id,
            flag_key: v.flag_key,
            key: v.key,
        })
        .collect();

    let segments = segment::Entity::find()
        .filter(segment::Column::NamespaceKey.eq(key))
        .all(db)
        .await?
        .into_iter()
        .map(|s| RawSegment {
            key: s.key,
            match_type: s.match_type,
        })
        .collect();

    let constraints = constraint::Entity::find()
        .filter(constraint::Column::NamespaceKey.eq(key))
        .order_by_asc(constraint::Column::CreatedAt)
        .order_by_asc(constraint::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| RawConstraint {
            id: c.id,
            segment_key: c.segment_key,
            constraint_type: c.constraint_type,
            property: c.property,
            operator: c.operator,
            value: c.value,
        })
        .collect();

    let mut rule_segments: HashMap<String, Vec<String>> = HashMap::new();
    for link in rule_segment::Entity::find()
        .filter(rule_segment::Column::NamespaceKey.eq(key))
        .all(db)
        .await?
    {
        rule_segments
            .entry(link.rule_id)
            .or_default()
            .push(link.segment_key);
    }
    let rules = rule::Entity::find()
        .filter(rule::Column::NamespaceKey.eq(key))
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            let mut segment_keys = rule_segments.remove(&r.id).unwrap_or_default();
            segment_keys.sort();
            RawRule {
                segment_keys,
                id: r.id,
                flag_key: r.flag_key,
                rank: r.rank,
                segment_operator: r.segment_operator,
                created_at: pair(r.created_at),
            }
        })
        .collect();

    let rule_ids = Query::select()
        .column(rule::Column::Id)
        .from(rule::Entity)
        .and_where(Expr::col(rule::Column::NamespaceKey).eq(key))
        .to_owned();
    let distributions = distribution::Entity::find()
        .filter(distribution::Column::RuleId.in_subquery(rule_ids))
        .order_by_asc(distribution::Column::CreatedAt)
        .order_by_asc(distribution::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|d| RawDistribution {
            id: d.id,
            rule_id: d.rule_id,
            variant_id: d.variant_id,
            rollout: d.rollout as f32,
            created_at: pair(d.created_at),
        })
        .collect();

    let mut thresholds: HashMap<String, rollout_threshold::Model> =
        rollout_threshold::Entity::find()
            .filter(rollout_threshold::Column::NamespaceKey.eq(key))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.rollout_id.clone(), t))
            .collect();
    let rollout_ids = Query::select()
        .column(rollout::Column::Id)
        .from(rollout::Entity)
        .and_where(Expr::col(rollout::Column::NamespaceKey).eq(key))
        .to_owned();
    let mut members: HashMap<String, rollout_segment::Model> = rollout_segment::Entity::find()
        .filter(rollout_segment::Column::RolloutId.in_subquery(rollout_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.rollout_id.clone(), m))
        .collect();
    let mut references: HashMap<String, Vec<String>> = HashMap::new();
    for r in rollout_segment_reference::Entity::find()
        .filter(rollout_segment_reference::Column::NamespaceKey.eq(key))
        .all(db)
        .await?
    {
        references
            .entry(r.rollout_segment_id)
            .or_default()
            .push(r.segment_key);
    }
    let rollouts = rollout::Entity::find()
        .filter(rollout::Column::NamespaceKey.eq(key))
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            let member = if let Some(t) = thresholds.remove(&r.id) {
                Some(RawRolloutMember::Threshold {
                    percentage: t.percentage as f32,
                    value: t.value,
                })
            } else {
                members.remove(&r.id).map(|m| {
                    let mut segment_keys = references.remove(&m.id).unwrap_or_default();
                    segment_keys.sort();
                    RawRolloutMember::Segment {
                        value: m.value,
                        segment_operator: m.segment_operator,
                        segment_keys,
                    }
                })
            };
            RawRollout {
                id: r.id,
                flag_key: r.flag_key,
                rank: r.rank,
                rollout_type: r.rollout_type,
                member,
                created_at: pair(r.created_at),
            }
        })
        .collect();

    let version = Version {
        created_at: pair(ns.created_at),
        revision: ns.revision,
    };
    Ok(Some((
        version,
        RawNamespace {
            key: ns.key,
            revision: ns.revision,
            modified_at: ns.state_modified_at.map(pair),
            flags,
            variants,
            segments,
            constraints,
            rules,
            distributions,
            rollouts,
        },
    )))
}
