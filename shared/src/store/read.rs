//! Read queries that return API messages: namespaces, flags with their variants, segments with
//! their constraints, rules with segments and distributions, rollouts with their member.
//!
//! Orders follow Flipt: creation time for namespaces, flags, segments, variants, constraints and
//! distributions; rank for rules and rollouts; ties broken by key or id so paging is stable.
//! A rule's or rollout's segment keys are reported sorted, on every database.

use std::collections::HashMap;

use flipt_proto::flipt as pb;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use super::entity::{
    constraint, distribution, flag, namespace, rollout, rollout_segment, rollout_segment_reference,
    rollout_threshold, rule, rule_segment, segment, variant,
};
use super::{timestamp, JsonText};
use crate::paging::Page;

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage<T> {
    pub items: Vec<T>,
    pub next_page_token: String,
    pub total_count: i32,
}

/// Largest number of bind parameters used in one `IN (…)` list.
const IN_CHUNK: usize = 500;

fn paged<E: EntityTrait>(select: Select<E>, page: &Page) -> Select<E> {
    match (page.fetch_limit(), page.offset) {
        (None, 0) => select,
        // SQLite cannot take OFFSET without LIMIT: "all rows" is the largest LIMIT every
        // database accepts.
        (None, offset) => select.offset(offset).limit(i64::MAX as u64),
        (Some(limit), offset) => select.offset(offset).limit(limit),
    }
}

async fn finish_page<T, M>(
    rows: Vec<M>,
    page: &Page,
    total: u64,
    key_of: impl Fn(&M) -> String,
    build: impl AsyncFnOnce(Vec<M>) -> Result<Vec<T>, DbErr>,
) -> Result<ListPage<T>, DbErr> {
    let (rows, next_page_token) = page.finish(rows, key_of);
    Ok(ListPage {
        items: build(rows).await?,
        next_page_token,
        total_count: i32::try_from(total).unwrap_or(i32::MAX),
    })
}

// ---------------------------------------------------------------- namespaces

/// Converts a namespace row.
pub fn namespace_message(row: namespace::Model) -> pb::Namespace {
    pb::Namespace {
        key: row.key,
        name: row.name,
        description: row.description,
        protected: row.protected,
        created_at: Some(timestamp(row.created_at)),
        updated_at: Some(timestamp(row.updated_at)),
    }
}

/// Finds a namespace row by key.
pub async fn find_namespace(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<namespace::Model>, DbErr> {
    namespace::Entity::find_by_id(key.to_owned()).one(db).await
}

/// Lists namespaces in creation order.
pub async fn list_namespaces(
    db: &impl ConnectionTrait,
    page: &Page,
) -> Result<ListPage<pb::Namespace>, DbErr> {
    let total = namespace::Entity::find().count(db).await?;
    let rows = paged(
        namespace::Entity::find()
            .order_by_asc(namespace::Column::CreatedAt)
            .order_by_asc(namespace::Column::Key),
        page,
    )
    .all(db)
    .await?;
    finish_page(
        rows,
        page,
        total,
        |r| r.key.clone(),
        async |rows| Ok(rows.into_iter().map(namespace_message).collect()),
    )
    .await
}

// ---------------------------------------------------------------- flags and variants

/// A stored attachment in compact form (insignificant whitespace removed, nothing else
/// changed; `""` when there is none).
pub fn attachment_text(value: &Option<JsonText>) -> String {
    match value {
        None => String::new(),
        Some(text) => crate::engine::compact_json(&text.0),
    }
}

/// Converts a variant row.
pub fn variant_message(row: variant::Model) -> pb::Variant {
    pb::Variant {
        attachment: attachment_text(&row.attachment),
        id: row.id,
        flag_key: row.flag_key,
        key: row.key,
        name: row.name,
        description: row.description,
        created_at: Some(timestamp(row.created_at)),
        updated_at: Some(timestamp(row.updated_at)),
        namespace_key: row.namespace_key,
    }
}

/// Converts stored flag metadata: reported only when it is a non-empty object.
pub fn metadata_message(value: Option<serde_json::Value>) -> Option<pbjson_types::Struct> {
    match value {
        Some(serde_json::Value::Object(map)) if !map.is_empty() => {
            serde_json::from_value(serde_json::Value::Object(map)).ok()
        }
        _ => None,
    }
}

fn flag_message(row: flag::Model, variants: Vec<variant::Model>) -> pb::Flag {
    let default_variant = row.default_variant_id.as_ref().and_then(|id| {
        variants
            .iter()
            .find(|v| &v.id == id)
            .cloned()
            .map(variant_message)
    });
    pb::Flag {
        key: row.key,
        name: row.name,
        description: row.description,
        enabled: row.enabled,
        created_at: Some(timestamp(row.created_at)),
        updated_at: Some(timestamp(row.updated_at)),
        variants: variants.into_iter().map(variant_message).collect(),
        namespace_key: row.namespace_key,
        r#type: row.flag_type,
        default_variant,
        metadata: metadata_message(row.metadata),
    }
}

async fn flags_with_variants(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    rows: Vec<flag::Model>,
) -> Result<Vec<pb::Flag>, DbErr> {
    let mut by_flag: HashMap<String, Vec<variant::Model>> = HashMap::new();
    let keys: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    for chunk in keys.chunks(IN_CHUNK) {
        let variants = variant::Entity::find()
            .filter(variant::Column::NamespaceKey.eq(namespace_key))
            .filter(variant::Column::FlagKey.is_in(chunk.iter().cloned()))
            .order_by_asc(variant::Column::CreatedAt)
            .order_by_asc(variant::Column::Id)
            .all(db)
            .await?;
        for v in variants {
            by_flag.entry(v.flag_key.clone()).or_default().push(v);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let variants = by_flag.remove(&row.key).unwrap_or_default();
            flag_message(row, variants)
        })
        .collect())
}

/// Finds a flag row.
pub async fn find_flag(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    key: &str,
) -> Result<Option<flag::Model>, DbErr> {
    flag::Entity::find_by_id((namespace_key.to_owned(), key.to_owned()))
        .one(db)
        .await
}

/// Gets a flag with its variants and default variant.
pub async fn get_flag(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    key: &str,
) -> Result<Option<pb::Flag>, DbErr> {
    let Some(row) = find_flag(db, namespace_key, key).await? else {
        return Ok(None);
    };
    Ok(flags_with_variants(db, namespace_key, vec![row])
        .await?
        .pop())
}

/// Lists a namespace's flags in creation order.
pub async fn list_flags(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    page: &Page,
) -> Result<ListPage<pb::Flag>, DbErr> {
    let scope = flag::Entity::find().filter(flag::Column::NamespaceKey.eq(namespace_key));
    let total = scope.clone().count(db).await?;
    let rows = paged(
        scope
            .order_by_asc(flag::Column::CreatedAt)
            .order_by_asc(flag::Column::Key),
        page,
    )
    .all(db)
    .await?;
    finish_page(
        rows,
        page,
        total,
        |r| r.key.clone(),
        async |rows| flags_with_variants(db, namespace_key, rows).await,
    )
    .await
}

/// Finds a variant by id within a namespace and flag.
pub async fn find_variant(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    flag_key: &str,
    id: &str,
) -> Result<Option<variant::Model>, DbErr> {
    variant::Entity::find_by_id(id.to_owned())
        .filter(variant::Column::NamespaceKey.eq(namespace_key))
        .filter(variant::Column::FlagKey.eq(flag_key))
        .one(db)
        .await
}

// ---------------------------------------------------------------- segments and constraints

/// Converts a constraint row.
pub fn constraint_message(row: constraint::Model) -> pb::Constraint {
    pb::Constraint {
        id: row.id,
        segment_key: row.segment_key,
        r#type: row.constraint_type,
        property: row.property,
        operator: row.operator,
        value: row.value,
        created_at: Some(timestamp(row.created_at)),
        updated_at: Some(timestamp(row.updated_at)),
        namespace_key: row.namespace_key,
        description: row.description.unwrap_or_default(),
    }
}

async fn segments_with_constraints(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    rows: Vec<segment::Model>,
) -> Result<Vec<pb::Segment>, DbErr> {
    let mut by_segment: HashMap<String, Vec<constraint::Model>> = HashMap::new();
    let keys: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    for chunk in keys.chunks(IN_CHUNK) {
        let constraints = constraint::Entity::find()
            .filter(constraint::Column::NamespaceKey.eq(namespace_key))
            .filter(constraint::Column::SegmentKey.is_in(chunk.iter().cloned()))
            .order_by_asc(constraint::Column::CreatedAt)
            .order_by_asc(constraint::Column::Id)
            .all(db)
            .await?;
        for c in constraints {
            by_segment.entry(c.segment_key.clone()).or_default().push(c);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| pb::Segment {
            constraints: by_segment
                .remove(&row.key)
                .unwrap_or_default()
                .into_iter()
                .map(constraint_message)
                .collect(),
            key: row.key,
            name: row.name,
            description: row.description,
            created_at: Some(timestamp(row.created_at)),
            updated_at: Some(timestamp(row.updated_at)),
            match_type: row.match_type,
            namespace_key: row.namespace_key,
        })
        .collect())
}

/// Finds a segment row.
pub async fn find_segment(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    key: &str,
) -> Result<Option<segment::Model>, DbErr> {
    segment::Entity::find_by_id((namespace_key.to_owned(), key.to_owned()))
        .one(db)
        .await
}

/// Gets a segment with its constraints.
pub async fn get_segment(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    key: &str,
) -> Result<Option<pb::Segment>, DbErr> {
    let Some(row) = find_segment(db, namespace_key, key).await? else {
        return Ok(None);
    };
    Ok(segments_with_constraints(db, namespace_key, vec![row])
        .await?
        .pop())
}

/// Lists a namespace's segments in creation order.
pub async fn list_segments(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    page: &Page,
) -> Result<ListPage<pb::Segment>, DbErr> {
    let scope = segment::Entity::find().filter(segment::Column::NamespaceKey.eq(namespace_key));
    let total = scope.clone().count(db).await?;
    let rows = paged(
        scope
            .order_by_asc(segment::Column::CreatedAt)
            .order_by_asc(segment::Column::Key),
        page,
    )
    .all(db)
    .await?;
    finish_page(
        rows,
        page,
        total,
        |r| r.key.clone(),
        async |rows| segments_with_constraints(db, namespace_key, rows).await,
    )
    .await
}

/// Gets a constraint by id within a namespace and segment.
pub async fn get_constraint(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    segment_key: &str,
    id: &str,
) -> Result<Option<pb::Constraint>, DbErr> {
    Ok(constraint::Entity::find_by_id(id.to_owned())
        .filter(constraint::Column::NamespaceKey.eq(namespace_key))
        .filter(constraint::Column::SegmentKey.eq(segment_key))
        .one(db)
        .await?
        .map(constraint_message))
}

// ---------------------------------------------------------------- rules and distributions

/// Splits segment keys into Flipt's output representation: one key goes in `segment_key`,
/// any other count in `segment_keys`.
pub fn segment_key_fields(mut keys: Vec<String>) -> (String, Vec<String>) {
    keys.sort();
    if keys.len() == 1 {
        (keys.remove(0), Vec::new())
    } else {
        (String::new(), keys)
    }
}

/// Converts a distribution row; the rollout is a 32-bit float on the wire.
pub fn distribution_message(row: distribution::Model) -> pb::Distribution {
    pb::Distribution {
        id: row.id,
        rule_id: row.rule_id,
        variant_id: row.variant_id,
        rollout: row.rollout as f32,
        created_at: Some(timestamp(row.created_at)),
        updated_at: Some(timestamp(row.updated_at)),
    }
}

async fn rules_with_children(
    db: &impl ConnectionTrait,
    rows: Vec<rule::Model>,
) -> Result<Vec<pb::Rule>, DbErr> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut segments: HashMap<String, Vec<String>> = HashMap::new();
    let mut distributions: HashMap<String, Vec<distribution::Model>> = HashMap::new();
    for chunk in ids.chunks(IN_CHUNK) {
        for link in rule_segment::Entity::find()
            .filter(rule_segment::Column::RuleId.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            segments
                .entry(link.rule_id)
                .or_default()
                .push(link.segment_key);
        }
        for d in distribution::Entity::find()
            .filter(distribution::Column::RuleId.is_in(chunk.iter().cloned()))
            .order_by_asc(distribution::Column::CreatedAt)
            .order_by_asc(distribution::Column::Id)
            .all(db)
            .await?
        {
            distributions.entry(d.rule_id.clone()).or_default().push(d);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let (segment_key, segment_keys) =
                segment_key_fields(segments.remove(&row.id).unwrap_or_default());
            pb::Rule {
                distributions: distributions
                    .remove(&row.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(distribution_message)
                    .collect(),
                id: row.id,
                flag_key: row.flag_key,
                segment_key,
                rank: row.rank,
                created_at: Some(timestamp(row.created_at)),
                updated_at: Some(timestamp(row.updated_at)),
                namespace_key: row.namespace_key,
                segment_keys,
                segment_operator: row.segment_operator,
            }
        })
        .collect())
}

/// Finds a rule row by id within a namespace.
pub async fn find_rule(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    id: &str,
) -> Result<Option<rule::Model>, DbErr> {
    rule::Entity::find_by_id(id.to_owned())
        .filter(rule::Column::NamespaceKey.eq(namespace_key))
        .one(db)
        .await
}

/// Gets a rule by id within a namespace (Flipt does not compare the flag key here).
pub async fn get_rule(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    id: &str,
) -> Result<Option<pb::Rule>, DbErr> {
    let Some(row) = find_rule(db, namespace_key, id).await? else {
        return Ok(None);
    };
    Ok(rules_with_children(db, vec![row]).await?.pop())
}

/// Lists a flag's rules in rank order.
pub async fn list_rules(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    flag_key: &str,
    page: &Page,
) -> Result<ListPage<pb::Rule>, DbErr> {
    let scope = rule::Entity::find()
        .filter(rule::Column::NamespaceKey.eq(namespace_key))
        .filter(rule::Column::FlagKey.eq(flag_key));
    let total = scope.clone().count(db).await?;
    let rows = paged(
        scope
            .order_by_asc(rule::Column::Rank)
            .order_by_asc(rule::Column::CreatedAt)
            .order_by_asc(rule::Column::Id),
        page,
    )
    .all(db)
    .await?;
    finish_page(
        rows,
        page,
        total,
        |r| r.id.clone(),
        async |rows| rules_with_children(db, rows).await,
    )
    .await
}

/// Gets a distribution by id within a rule.
pub async fn get_distribution(
    db: &impl ConnectionTrait,
    rule_id: &str,
    id: &str,
) -> Result<Option<pb::Distribution>, DbErr> {
    Ok(distribution::Entity::find_by_id(id.to_owned())
        .filter(distribution::Column::RuleId.eq(rule_id))
        .one(db)
        .await?
        .map(distribution_message))
}

// ---------------------------------------------------------------- rollouts

async fn rollouts_with_members(
    db: &impl ConnectionTrait,
    rows: Vec<rollout::Model>,
) -> Result<Vec<pb::Rollout>, DbErr> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut thresholds: HashMap<String, rollout_threshold::Model> = HashMap::new();
    let mut segments: HashMap<String, rollout_segment::Model> = HashMap::new();
    let mut references: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(IN_CHUNK) {
        for t in rollout_threshold::Entity::find()
            .filter(rollout_threshold::Column::RolloutId.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            thresholds.insert(t.rollout_id.clone(), t);
        }
        let members = rollout_segment::Entity::find()
            .filter(rollout_segment::Column::RolloutId.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        let member_ids: Vec<String> = members.iter().map(|m| m.id.clone()).collect();
        for s in members {
            segments.insert(s.rollout_id.clone(), s);
        }
        for r in rollout_segment_reference::Entity::find()
            .filter(
                Expr::col(rollout_segment_reference::Column::RolloutSegmentId).is_in(member_ids),
            )
            .all(db)
            .await?
        {
            references
                .entry(r.rollout_segment_id)
                .or_default()
                .push(r.segment_key);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let rule = if let Some(t) = thresholds.remove(&row.id) {
                Some(pb::rollout::Rule::Threshold(pb::RolloutThreshold {
                    percentage: t.percentage as f32,
                    value: t.value,
                }))
            } else {
                segments.remove(&row.id).map(|s| {
                    let (segment_key, segment_keys) =
                        segment_key_fields(references.remove(&s.id).unwrap_or_default());
                    pb::rollout::Rule::Segment(pb::RolloutSegment {
                        segment_key,
                        value: s.value,
                        segment_keys,
                        segment_operator: s.segment_operator,
                    })
                })
            };
            pb::Rollout {
                id: row.id,
                namespace_key: row.namespace_key,
                flag_key: row.flag_key,
                r#type: row.rollout_type,
                rank: row.rank,
                description: row.description,
                created_at: Some(timestamp(row.created_at)),
                updated_at: Some(timestamp(row.updated_at)),
                rule,
            }
        })
        .collect())
}

/// Finds a rollout row by id within a namespace.
pub async fn find_rollout(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    id: &str,
) -> Result<Option<rollout::Model>, DbErr> {
    rollout::Entity::find_by_id(id.to_owned())
        .filter(rollout::Column::NamespaceKey.eq(namespace_key))
        .one(db)
        .await
}

/// Gets a rollout by id within a namespace.
pub async fn get_rollout(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    id: &str,
) -> Result<Option<pb::Rollout>, DbErr> {
    let Some(row) = find_rollout(db, namespace_key, id).await? else {
        return Ok(None);
    };
    Ok(rollouts_with_members(db, vec![row]).await?.pop())
}

/// Lists a flag's rollouts in rank order.
pub async fn list_rollouts(
    db: &impl ConnectionTrait,
    namespace_key: &str,
    flag_key: &str,
    page: &Page,
) -> Result<ListPage<pb::Rollout>, DbErr> {
    let scope = rollout::Entity::find()
        .filter(rollout::Column::NamespaceKey.eq(namespace_key))
        .filter(rollout::Column::FlagKey.eq(flag_key));
    let total = scope.clone().count(db).await?;
    let rows = paged(
        scope
            .order_by_asc(rollout::Column::Rank)
            .order_by_asc(rollout::Column::CreatedAt)
            .order_by_asc(rollout::Column::Id),
        page,
    )
    .all(db)
    .await?;
    finish_page(
        rows,
        page,
        total,
        |r| r.id.clone(),
        async |rows| rollouts_with_members(db, rows).await,
    )
    .await
}
