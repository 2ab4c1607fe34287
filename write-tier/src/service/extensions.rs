//! This implementation's additions for the dashboard (package `flipt.extensions`, not Flipt v1):
//! server-side flag, segment and namespace copy, and segment usage.

use std::collections::{BTreeMap, HashMap, HashSet};

use flipt_proto::flipt as pb;
use flipt_proto::flipt::extensions as ext;
use flipt_shared::store::entity::{
    constraint, distribution, flag, namespace, rollout, rollout_segment, rollout_segment_reference,
    rollout_threshold, rule, rule_segment, segment, variant,
};
use flipt_shared::store::{now, read, unique_violation, DbTime};
use flipt_shared::{Error, Result};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{begin, bump_revision, check_len, namespace_or_default, namespaces, new_id, require};
use crate::state::AppState;

/// The `n`th creation time of a copy: `at` plus `n` microseconds, so copied rows that are
/// listed in creation order (variants, distributions, constraints) keep the source's order.
fn nth(at: DbTime, n: usize) -> DbTime {
    DbTime(at.0 + chrono::Duration::microseconds(i64::try_from(n).unwrap_or(i64::MAX)))
}

/// Validates the key of a copy like a flag or segment key (`^[-_,A-Za-z0-9]+$`, 255 at most).
fn check_target_key(target_key: &str) -> Result<()> {
    let valid_key = target_key
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b',');
    if !valid_key {
        return Err(Error::invalid_field(
            "targetKey",
            "contains invalid characters",
        ));
    }
    check_len("targetKey", target_key)
}

/// Checks a copy request's source key and target, and returns the target key: the source's
/// own key when none is given.
fn copy_target(key: &str, target_namespace_key: &str, target_key: &str) -> Result<String> {
    require("key", key)?;
    require("targetNamespaceKey", target_namespace_key)?;
    let target = if target_key.is_empty() {
        key
    } else {
        target_key
    };
    check_target_key(target)?;
    Ok(target.to_owned())
}

fn not_unique(namespace_key: &str, key: &str) -> Error {
    Error::invalid(format!("flag \"{namespace_key}/{key}\" is not unique"))
}

/// `CopyFlag`: copies a flag into another namespace (or under another key) in one transaction:
/// the flag (name, description, enabled, type, metadata), its variants (new ids, the default
/// variant mapped), its rules with their segment links and distributions, its rollouts, and
/// every segment those reference (with its constraints) that the target namespace lacks; a
/// target segment of the same key is reused as it is. Bumps the target namespace's revision
/// once.
pub async fn copy_flag(state: &AppState, req: ext::CopyFlagRequest) -> Result<pb::Flag> {
    let target_key = copy_target(&req.key, &req.target_namespace_key, &req.target_key)?;
    let source_ns = namespace_or_default(&req.namespace_key);
    let target_ns = req.target_namespace_key.clone();

    let txn = begin(state, &target_ns).await?;
    let source = read::find_flag(&txn, &source_ns, &req.key)
        .await?
        .ok_or_else(|| super::flags::not_found(&source_ns, &req.key))?;
    namespaces::ensure_exists(&txn, &target_ns).await?;
    if read::find_flag(&txn, &target_ns, &target_key)
        .await?
        .is_some()
    {
        return Err(not_unique(&target_ns, &target_key));
    }

    // The source's dependants, read in the same transaction.
    let variants = variant::Entity::find()
        .filter(variant::Column::NamespaceKey.eq(&source_ns))
        .filter(variant::Column::FlagKey.eq(&req.key))
        .order_by_asc(variant::Column::CreatedAt)
        .order_by_asc(variant::Column::Id)
        .all(&txn)
        .await?;
    let rules = rule::Entity::find()
        .filter(rule::Column::NamespaceKey.eq(&source_ns))
        .filter(rule::Column::FlagKey.eq(&req.key))
        .order_by_asc(rule::Column::Rank)
        .all(&txn)
        .await?;
    let rule_ids: Vec<String> = rules.iter().map(|r| r.id.clone()).collect();
    let (rule_segments, distributions) = if rule_ids.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            rule_segment::Entity::find()
                .filter(rule_segment::Column::RuleId.is_in(rule_ids.clone()))
                .all(&txn)
                .await?,
            distribution::Entity::find()
                .filter(distribution::Column::RuleId.is_in(rule_ids))
                .order_by_asc(distribution::Column::CreatedAt)
                .order_by_asc(distribution::Column::Id)
                .all(&txn)
                .await?,
        )
    };
    let rollouts = rollout::Entity::find()
        .filter(rollout::Column::NamespaceKey.eq(&source_ns))
        .filter(rollout::Column::FlagKey.eq(&req.key))
        .order_by_asc(rollout::Column::Rank)
        .all(&txn)
        .await?;
    let rollout_ids: Vec<String> = rollouts.iter().map(|r| r.id.clone()).collect();
    let (thresholds, rollout_segments) = if rollout_ids.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            rollout_threshold::Entity::find()
                .filter(rollout_threshold::Column::RolloutId.is_in(rollout_ids.clone()))
                .all(&txn)
                .await?,
            rollout_segment::Entity::find()
                .filter(rollout_segment::Column::RolloutId.is_in(rollout_ids))
                .all(&txn)
                .await?,
        )
    };
    let member_ids: Vec<String> = rollout_segments.iter().map(|s| s.id.clone()).collect();
    let references = if member_ids.is_empty() {
        Vec::new()
    } else {
        rollout_segment_reference::Entity::find()
            .filter(rollout_segment_reference::Column::RolloutSegmentId.is_in(member_ids))
            .all(&txn)
            .await?
    };

    // Segments first: the links below reference them.
    let mut segment_keys: Vec<String> = Vec::new();
    for key in rule_segments
        .iter()
        .map(|l| &l.segment_key)
        .chain(references.iter().map(|r| &r.segment_key))
    {
        if !segment_keys.contains(key) {
            segment_keys.push(key.clone());
        }
    }
    for key in &segment_keys {
        copy_segment_if_missing(&txn, &source_ns, &target_ns, key).await?;
    }

    let at = now();
    flag::Entity::insert(flag::ActiveModel {
        namespace_key: Set(target_ns.clone()),
        key: Set(target_key.clone()),
        name: Set(source.name.clone()),
        description: Set(source.description.clone()),
        enabled: Set(source.enabled),
        flag_type: Set(source.flag_type),
        default_variant_id: Set(None),
        metadata: Set(source.metadata.clone()),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec_without_returning(&txn)
    .await
    .map_err(|e| unique_violation(e, || not_unique(&target_ns, &target_key).to_string()))?;

    let mut variant_ids: HashMap<String, String> = HashMap::new();
    for (n, v) in variants.into_iter().enumerate() {
        let id = new_id();
        let attachment = read::attachment_text(&v.attachment);
        variant::Entity::insert(variant::ActiveModel {
            id: Set(id.clone()),
            namespace_key: Set(target_ns.clone()),
            flag_key: Set(target_key.clone()),
            key: Set(v.key),
            name: Set(v.name),
            description: Set(v.description),
            attachment: sea_orm::ActiveValue::NotSet,
            created_at: Set(nth(at, n)),
            updated_at: Set(nth(at, n)),
        })
        .exec_without_returning(&txn)
        .await?;
        if !attachment.is_empty() {
            super::variants::set_attachment(&txn, &id, Some(attachment)).await?;
        }
        variant_ids.insert(v.id, id);
    }
    if let Some(default) = source
        .default_variant_id
        .as_ref()
        .and_then(|id| variant_ids.get(id))
    {
        flag::Entity::update_many()
            .col_expr(flag::Column::DefaultVariantId, Expr::value(default.clone()))
            .filter(flag::Column::NamespaceKey.eq(&target_ns))
            .filter(flag::Column::Key.eq(&target_key))
            .exec(&txn)
            .await?;
    }

    for r in rules {
        let id = new_id();
        rule::Entity::insert(rule::ActiveModel {
            id: Set(id.clone()),
            namespace_key: Set(target_ns.clone()),
            flag_key: Set(target_key.clone()),
            rank: Set(r.rank),
            segment_operator: Set(r.segment_operator),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .exec_without_returning(&txn)
        .await?;
        for link in rule_segments.iter().filter(|l| l.rule_id == r.id) {
            rule_segment::Entity::insert(rule_segment::ActiveModel {
                rule_id: Set(id.clone()),
                namespace_key: Set(target_ns.clone()),
                segment_key: Set(link.segment_key.clone()),
            })
            .exec_without_returning(&txn)
            .await?;
        }
        for (n, d) in distributions
            .iter()
            .filter(|d| d.rule_id == r.id)
            .enumerate()
        {
            let variant_id = variant_ids
                .get(&d.variant_id)
                .cloned()
                .ok_or_else(|| Error::internal_msg("distribution of an unknown variant"))?;
            distribution::Entity::insert(distribution::ActiveModel {
                id: Set(new_id()),
                rule_id: Set(id.clone()),
                variant_id: Set(variant_id),
                rollout: Set(d.rollout),
                created_at: Set(nth(at, n)),
                updated_at: Set(nth(at, n)),
            })
            .exec_without_returning(&txn)
            .await?;
        }
    }

    for r in rollouts {
        let id = new_id();
        rollout::Entity::insert(rollout::ActiveModel {
            id: Set(id.clone()),
            namespace_key: Set(target_ns.clone()),
            flag_key: Set(target_key.clone()),
            rollout_type: Set(r.rollout_type),
            description: Set(r.description.clone()),
            rank: Set(r.rank),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .exec_without_returning(&txn)
        .await?;
        for t in thresholds.iter().filter(|t| t.rollout_id == r.id) {
            rollout_threshold::Entity::insert(rollout_threshold::ActiveModel {
                id: Set(new_id()),
                namespace_key: Set(target_ns.clone()),
                rollout_id: Set(id.clone()),
                percentage: Set(t.percentage),
                value: Set(t.value),
            })
            .exec_without_returning(&txn)
            .await?;
        }
        for s in rollout_segments.iter().filter(|s| s.rollout_id == r.id) {
            let member_id = new_id();
            rollout_segment::Entity::insert(rollout_segment::ActiveModel {
                id: Set(member_id.clone()),
                rollout_id: Set(id.clone()),
                value: Set(s.value),
                segment_operator: Set(s.segment_operator),
            })
            .exec_without_returning(&txn)
            .await?;
            for reference in references.iter().filter(|x| x.rollout_segment_id == s.id) {
                rollout_segment_reference::Entity::insert(rollout_segment_reference::ActiveModel {
                    rollout_segment_id: Set(member_id.clone()),
                    namespace_key: Set(target_ns.clone()),
                    segment_key: Set(reference.segment_key.clone()),
                })
                .exec_without_returning(&txn)
                .await?;
            }
        }
    }

    bump_revision(&txn, &target_ns).await?;
    let created = read::get_flag(&txn, &target_ns, &target_key)
        .await?
        .ok_or_else(|| Error::internal_msg("copied flag vanished"))?;
    super::commit(state, txn, &target_ns).await?;
    Ok(created)
}

/// Copies segment `key` with its constraints from `source_ns` unless `target_ns` has it.
async fn copy_segment_if_missing(
    db: &impl ConnectionTrait,
    source_ns: &str,
    target_ns: &str,
    key: &str,
) -> Result<()> {
    if read::find_segment(db, target_ns, key).await?.is_some() {
        return Ok(());
    }
    let source = read::find_segment(db, source_ns, key)
        .await?
        .ok_or_else(|| super::segments::not_found(source_ns, key))?;
    insert_segment_copy(db, source, target_ns, key).await
}

/// Inserts a copy of `source` (with its constraints, in their order) as `target_ns/target_key`.
async fn insert_segment_copy(
    db: &impl ConnectionTrait,
    source: segment::Model,
    target_ns: &str,
    target_key: &str,
) -> Result<()> {
    let at = now();
    segment::Entity::insert(segment::ActiveModel {
        namespace_key: Set(target_ns.to_owned()),
        key: Set(target_key.to_owned()),
        name: Set(source.name),
        description: Set(source.description),
        match_type: Set(source.match_type),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec_without_returning(db)
    .await
    .map_err(|e| unique_violation(e, || segment_not_unique(target_ns, target_key).to_string()))?;
    let constraints = constraint::Entity::find()
        .filter(constraint::Column::NamespaceKey.eq(&source.namespace_key))
        .filter(constraint::Column::SegmentKey.eq(&source.key))
        .order_by_asc(constraint::Column::CreatedAt)
        .order_by_asc(constraint::Column::Id)
        .all(db)
        .await?;
    for (n, c) in constraints.into_iter().enumerate() {
        constraint::Entity::insert(constraint::ActiveModel {
            id: Set(new_id()),
            namespace_key: Set(target_ns.to_owned()),
            segment_key: Set(target_key.to_owned()),
            constraint_type: Set(c.constraint_type),
            property: Set(c.property),
            operator: Set(c.operator),
            value: Set(c.value),
            description: Set(c.description),
            created_at: Set(nth(at, n)),
            updated_at: Set(nth(at, n)),
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

fn segment_not_unique(namespace_key: &str, key: &str) -> Error {
    Error::invalid(format!("segment \"{namespace_key}/{key}\" is not unique"))
}

/// `CopySegment`: copies a segment (name, description, match type) with its constraints (new
/// ids, same order) into another namespace, or under another key, in one transaction. Bumps the
/// target namespace's revision once.
pub async fn copy_segment(state: &AppState, req: ext::CopySegmentRequest) -> Result<pb::Segment> {
    let target_key = copy_target(&req.key, &req.target_namespace_key, &req.target_key)?;
    let source_ns = namespace_or_default(&req.namespace_key);
    let target_ns = req.target_namespace_key.clone();

    let txn = begin(state, &target_ns).await?;
    let source = read::find_segment(&txn, &source_ns, &req.key)
        .await?
        .ok_or_else(|| super::segments::not_found(&source_ns, &req.key))?;
    namespaces::ensure_exists(&txn, &target_ns).await?;
    if read::find_segment(&txn, &target_ns, &target_key)
        .await?
        .is_some()
    {
        return Err(segment_not_unique(&target_ns, &target_key));
    }
    insert_segment_copy(&txn, source, &target_ns, &target_key).await?;
    bump_revision(&txn, &target_ns).await?;
    let created = read::get_segment(&txn, &target_ns, &target_key)
        .await?
        .ok_or_else(|| Error::internal_msg("copied segment vanished"))?;
    super::commit(state, txn, &target_ns).await?;
    Ok(created)
}

/// The rules and rollouts referencing segments of a namespace, each as
/// `(segment key, flag key, rule or rollout id, rank)`.
struct References {
    rules: Vec<(String, String, String, i32)>,
    rollouts: Vec<(String, String, String, i32)>,
}

/// Collects the references to one segment (or to every segment of `ns` when `None`).
async fn references(
    db: &impl ConnectionTrait,
    ns: &str,
    segment_key: Option<&str>,
) -> Result<References> {
    let mut links = rule_segment::Entity::find().filter(rule_segment::Column::NamespaceKey.eq(ns));
    if let Some(key) = segment_key {
        links = links.filter(rule_segment::Column::SegmentKey.eq(key));
    }
    let links = links.all(db).await?;
    let rule_rows: HashMap<String, rule::Model> = if links.is_empty() {
        HashMap::new()
    } else {
        let ids: HashSet<&String> = links.iter().map(|l| &l.rule_id).collect();
        rule::Entity::find()
            .filter(rule::Column::Id.is_in(ids.into_iter().cloned().collect::<Vec<_>>()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect()
    };
    let rules = links
        .into_iter()
        .filter_map(|l| {
            rule_rows
                .get(&l.rule_id)
                .map(|r| (l.segment_key, r.flag_key.clone(), r.id.clone(), r.rank))
        })
        .collect();

    let mut refs = rollout_segment_reference::Entity::find()
        .filter(rollout_segment_reference::Column::NamespaceKey.eq(ns));
    if let Some(key) = segment_key {
        refs = refs.filter(rollout_segment_reference::Column::SegmentKey.eq(key));
    }
    let refs = refs.all(db).await?;
    let mut rollouts = Vec::new();
    if !refs.is_empty() {
        let member_ids: HashSet<&String> = refs.iter().map(|r| &r.rollout_segment_id).collect();
        let members: HashMap<String, String> = rollout_segment::Entity::find()
            .filter(
                rollout_segment::Column::Id
                    .is_in(member_ids.into_iter().cloned().collect::<Vec<_>>()),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m.rollout_id))
            .collect();
        let rollout_ids: HashSet<&String> = members.values().collect();
        let rollout_rows: HashMap<String, rollout::Model> = rollout::Entity::find()
            .filter(rollout::Column::Id.is_in(rollout_ids.into_iter().cloned().collect::<Vec<_>>()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect();
        for reference in refs {
            if let Some(r) = members
                .get(&reference.rollout_segment_id)
                .and_then(|id| rollout_rows.get(id))
            {
                rollouts.push((
                    reference.segment_key,
                    r.flag_key.clone(),
                    r.id.clone(),
                    r.rank,
                ));
            }
        }
    }
    Ok(References { rules, rollouts })
}

/// `GetSegmentUsage`: the flags whose rules or rollouts reference a segment, by flag key, with
/// those rule and rollout ids in rank order.
pub async fn get_segment_usage(
    state: &AppState,
    req: ext::GetSegmentUsageRequest,
) -> Result<ext::SegmentUsage> {
    require("key", &req.key)?;
    let ns = namespace_or_default(&req.namespace_key);
    if read::find_segment(&state.db, &ns, &req.key)
        .await?
        .is_none()
    {
        return Err(super::segments::not_found(&ns, &req.key));
    }
    let refs = references(&state.db, &ns, Some(&req.key)).await?;
    // Per flag: (rank, id) of its rules and of its rollouts.
    type Ranked = Vec<(i32, String)>;
    let mut by_flag: BTreeMap<String, (Ranked, Ranked)> = BTreeMap::new();
    for (_, flag_key, id, rank) in refs.rules {
        by_flag.entry(flag_key).or_default().0.push((rank, id));
    }
    for (_, flag_key, id, rank) in refs.rollouts {
        by_flag.entry(flag_key).or_default().1.push((rank, id));
    }
    let flags = by_flag
        .into_iter()
        .map(|(flag_key, (mut rules, mut rollouts))| {
            rules.sort();
            rollouts.sort();
            ext::FlagSegmentUsage {
                flag_key,
                rule_ids: rules.into_iter().map(|(_, id)| id).collect(),
                rollout_ids: rollouts.into_iter().map(|(_, id)| id).collect(),
            }
        })
        .collect();
    Ok(ext::SegmentUsage { flags })
}

/// `ListSegmentUsage`: for every segment of the namespace (creation order), how many distinct
/// flags reference it; an unknown namespace lists nothing.
pub async fn list_segment_usage(
    state: &AppState,
    req: ext::ListSegmentUsageRequest,
) -> Result<ext::SegmentUsageList> {
    let ns = namespace_or_default(&req.namespace_key);
    let segments = segment::Entity::find()
        .filter(segment::Column::NamespaceKey.eq(&ns))
        .order_by_asc(segment::Column::CreatedAt)
        .order_by_asc(segment::Column::Key)
        .all(&state.db)
        .await?;
    let refs = references(&state.db, &ns, None).await?;
    let mut flags: HashMap<String, HashSet<String>> = HashMap::new();
    for (segment_key, flag_key, _, _) in refs.rules.into_iter().chain(refs.rollouts) {
        flags.entry(segment_key).or_default().insert(flag_key);
    }
    let segments = segments
        .into_iter()
        .map(|s| ext::SegmentUsageCount {
            flag_count: flags
                .get(&s.key)
                .map_or(0, |f| i32::try_from(f.len()).unwrap_or(i32::MAX)),
            segment_key: s.key,
        })
        .collect();
    Ok(ext::SegmentUsageList { segments })
}

/// Rows per multi-row INSERT of a namespace copy: at most ten columns each, so a statement stays
/// far below every backend's bind-parameter limit (SQLite's historical 999 included).
const INSERT_CHUNK: usize = 50;

/// Inserts `rows` with multi-row statements of at most [`INSERT_CHUNK`] rows.
async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<()>
where
    A: ActiveModelTrait + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(INSERT_CHUNK).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

fn namespace_not_unique(key: &str) -> Error {
    Error::invalid(format!("namespace \"{key}\" is not unique"))
}

/// `CopyNamespace`: creates namespace `target_key` (revision 1, like a create) holding a copy of
/// every segment (with its constraints) and every flag (variants, default variant, metadata,
/// rules with their segments and distributions re-mapped to the new variant ids, rollouts) of
/// namespace `key`, in one transaction. Every row gets a new id; ranks are kept, and rows listed
/// in creation order keep the source's order. The source is locked for the copy, so it sees one
/// consistent state; the target must not exist.
pub async fn copy_namespace(
    state: &AppState,
    req: ext::CopyNamespaceRequest,
) -> Result<pb::Namespace> {
    require("targetKey", &req.target_key)?;
    check_target_key(&req.target_key)?;
    require("targetName", &req.target_name)?;
    check_len("targetName", &req.target_name)?;
    let source_ns = namespace_or_default(&req.key);
    let target_ns = req.target_key.clone();

    // The target has no row to lock yet (see `create_namespace`); the source's row is locked
    // instead, which holds off its writers (they lock it first) until the copy commits.
    let txn = super::begin_unlocked(state).await?;
    let mut source = namespace::Entity::find_by_id(source_ns.clone());
    if txn.get_database_backend() != DbBackend::Sqlite {
        source = source.lock_exclusive();
    }
    if source.one(&txn).await?.is_none() {
        return Err(namespaces::not_found(&source_ns));
    }
    if read::find_namespace(&txn, &target_ns).await?.is_some() {
        return Err(namespace_not_unique(&target_ns));
    }

    let at = now();
    namespace::Entity::insert(namespace::ActiveModel {
        key: Set(target_ns.clone()),
        name: Set(req.target_name),
        description: Set(req.target_description),
        protected: Set(false),
        created_at: Set(at),
        updated_at: Set(at),
        state_modified_at: Set(Some(at)),
        revision: Set(1),
    })
    .exec_without_returning(&txn)
    .await
    .map_err(|e| unique_violation(e, || namespace_not_unique(&target_ns).to_string()))?;

    // Segments and constraints first: rules and rollouts reference them.
    let segments = segment::Entity::find()
        .filter(segment::Column::NamespaceKey.eq(&source_ns))
        .order_by_asc(segment::Column::CreatedAt)
        .order_by_asc(segment::Column::Key)
        .all(&txn)
        .await?;
    let rows = segments
        .into_iter()
        .enumerate()
        .map(|(n, s)| segment::ActiveModel {
            namespace_key: Set(target_ns.clone()),
            key: Set(s.key),
            name: Set(s.name),
            description: Set(s.description),
            match_type: Set(s.match_type),
            created_at: Set(nth(at, n)),
            updated_at: Set(nth(at, n)),
        });
    insert_all(&txn, rows.collect()).await?;
    let constraints = constraint::Entity::find()
        .filter(constraint::Column::NamespaceKey.eq(&source_ns))
        .order_by_asc(constraint::Column::CreatedAt)
        .order_by_asc(constraint::Column::Id)
        .all(&txn)
        .await?;
    let rows = constraints
        .into_iter()
        .enumerate()
        .map(|(n, c)| constraint::ActiveModel {
            id: Set(new_id()),
            namespace_key: Set(target_ns.clone()),
            segment_key: Set(c.segment_key),
            constraint_type: Set(c.constraint_type),
            property: Set(c.property),
            operator: Set(c.operator),
            value: Set(c.value),
            description: Set(c.description),
            created_at: Set(nth(at, n)),
            updated_at: Set(nth(at, n)),
        });
    insert_all(&txn, rows.collect()).await?;

    // Flags without their default variant (it references a variant inserted below).
    let flags = flag::Entity::find()
        .filter(flag::Column::NamespaceKey.eq(&source_ns))
        .order_by_asc(flag::Column::CreatedAt)
        .order_by_asc(flag::Column::Key)
        .all(&txn)
        .await?;
    let defaults: Vec<(String, String)> = flags
        .iter()
        .filter_map(|f| Some((f.key.clone(), f.default_variant_id.clone()?)))
        .collect();
    let rows = flags
        .into_iter()
        .enumerate()
        .map(|(n, f)| flag::ActiveModel {
            namespace_key: Set(target_ns.clone()),
            key: Set(f.key),
            name: Set(f.name),
            description: Set(f.description),
            enabled: Set(f.enabled),
            flag_type: Set(f.flag_type),
            default_variant_id: Set(None),
            metadata: Set(f.metadata),
            created_at: Set(nth(at, n)),
            updated_at: Set(nth(at, n)),
        });
    insert_all(&txn, rows.collect()).await?;

    let variants = variant::Entity::find()
        .filter(variant::Column::NamespaceKey.eq(&source_ns))
        .order_by_asc(variant::Column::CreatedAt)
        .order_by_asc(variant::Column::Id)
        .all(&txn)
        .await?;
    let mut variant_ids: HashMap<String, String> = HashMap::new();
    let mut attachments: Vec<(String, String)> = Vec::new();
    let mut rows = Vec::with_capacity(variants.len());
    for (n, v) in variants.into_iter().enumerate() {
        let id = new_id();
        let attachment = read::attachment_text(&v.attachment);
        if !attachment.is_empty() {
            attachments.push((id.clone(), attachment));
        }
        variant_ids.insert(v.id, id.clone());
        rows.push(variant::ActiveModel {
            id: Set(id),
            namespace_key: Set(target_ns.clone()),
            flag_key: Set(v.flag_key),
            key: Set(v.key),
            name: Set(v.name),
            description: Set(v.description),
            attachment: sea_orm::ActiveValue::NotSet,
            created_at: Set(nth(at, n)),
            updated_at: Set(nth(at, n)),
        });
    }
    insert_all(&txn, rows).await?;
    // The attachment column is JSON on some backends: written through the variants' own path.
    for (id, attachment) in attachments {
        super::variants::set_attachment(&txn, &id, Some(attachment)).await?;
    }
    for (flag_key, source_id) in defaults {
        let Some(id) = variant_ids.get(&source_id) else {
            continue;
        };
        flag::Entity::update_many()
            .col_expr(flag::Column::DefaultVariantId, Expr::value(id.clone()))
            .filter(flag::Column::NamespaceKey.eq(&target_ns))
            .filter(flag::Column::Key.eq(&flag_key))
            .exec(&txn)
            .await?;
    }

    // Rules with their segment links and distributions.
    let rules = rule::Entity::find()
        .filter(rule::Column::NamespaceKey.eq(&source_ns))
        .order_by_asc(rule::Column::FlagKey)
        .order_by_asc(rule::Column::Rank)
        .order_by_asc(rule::Column::CreatedAt)
        .order_by_asc(rule::Column::Id)
        .all(&txn)
        .await?;
    let mut rule_ids: HashMap<String, String> = HashMap::new();
    let rows = rules.into_iter().enumerate().map(|(n, r)| {
        let id = new_id();
        rule_ids.insert(r.id, id.clone());
        rule::ActiveModel {
            id: Set(id),
            namespace_key: Set(target_ns.clone()),
            flag_key: Set(r.flag_key),
            rank: Set(r.rank),
            segment_operator: Set(r.segment_operator),
            created_at: Set(nth(at, n)),
            updated_at: Set(nth(at, n)),
        }
    });
    let rows: Vec<_> = rows.collect();
    insert_all(&txn, rows).await?;
    let links = rule_segment::Entity::find()
        .filter(rule_segment::Column::NamespaceKey.eq(&source_ns))
        .all(&txn)
        .await?;
    let mut rows = Vec::with_capacity(links.len());
    for link in links {
        rows.push(rule_segment::ActiveModel {
            rule_id: Set(mapped(&rule_ids, &link.rule_id, "rule")?),
            namespace_key: Set(target_ns.clone()),
            segment_key: Set(link.segment_key),
        });
    }
    insert_all(&txn, rows).await?;
    let source_rules = Query::select()
        .column(rule::Column::Id)
        .from(rule::Entity)
        .and_where(Expr::col(rule::Column::NamespaceKey).eq(&source_ns))
        .to_owned();
    let distributions = distribution::Entity::find()
        .filter(distribution::Column::RuleId.in_subquery(source_rules))
        .order_by_asc(distribution::Column::CreatedAt)
        .order_by_asc(distribution::Column::Id)
        .all(&txn)
        .await?;
    let mut rows = Vec::with_capacity(distributions.len());
    for (n, d) in distributions.into_iter().enumerate() {
        rows.push(distribution::ActiveModel {
            id: Set(new_id()),
            rule_id: Set(mapped(&rule_ids, &d.rule_id, "rule")?),
            variant_id: Set(mapped(&variant_ids, &d.variant_id, "variant")?),
            rollout: Set(d.rollout),
            created_at: Set(nth(at, n)),
            updated_at: Set(nth(at, n)),
        });
    }
    insert_all(&txn, rows).await?;

    // Rollouts with their threshold or segment member and its segment references.
    let rollouts = rollout::Entity::find()
        .filter(rollout::Column::NamespaceKey.eq(&source_ns))
        .order_by_asc(rollout::Column::FlagKey)
        .order_by_asc(rollout::Column::Rank)
        .order_by_asc(rollout::Column::CreatedAt)
        .order_by_asc(rollout::Column::Id)
        .all(&txn)
        .await?;
    let mut rollout_ids: HashMap<String, String> = HashMap::new();
    let rows = rollouts.into_iter().enumerate().map(|(n, r)| {
        let id = new_id();
        rollout_ids.insert(r.id, id.clone());
        rollout::ActiveModel {
            id: Set(id),
            namespace_key: Set(target_ns.clone()),
            flag_key: Set(r.flag_key),
            rollout_type: Set(r.rollout_type),
            description: Set(r.description),
            rank: Set(r.rank),
            created_at: Set(nth(at, n)),
            updated_at: Set(nth(at, n)),
        }
    });
    let rows: Vec<_> = rows.collect();
    insert_all(&txn, rows).await?;
    let thresholds = rollout_threshold::Entity::find()
        .filter(rollout_threshold::Column::NamespaceKey.eq(&source_ns))
        .all(&txn)
        .await?;
    let mut rows = Vec::with_capacity(thresholds.len());
    for t in thresholds {
        rows.push(rollout_threshold::ActiveModel {
            id: Set(new_id()),
            namespace_key: Set(target_ns.clone()),
            rollout_id: Set(mapped(&rollout_ids, &t.rollout_id, "rollout")?),
            percentage: Set(t.percentage),
            value: Set(t.value),
        });
    }
    insert_all(&txn, rows).await?;
    let source_rollouts = Query::select()
        .column(rollout::Column::Id)
        .from(rollout::Entity)
        .and_where(Expr::col(rollout::Column::NamespaceKey).eq(&source_ns))
        .to_owned();
    let members = rollout_segment::Entity::find()
        .filter(rollout_segment::Column::RolloutId.in_subquery(source_rollouts))
        .all(&txn)
        .await?;
    let mut member_ids: HashMap<String, String> = HashMap::new();
    let mut rows = Vec::with_capacity(members.len());
    for m in members {
        let id = new_id();
        member_ids.insert(m.id, id.clone());
        rows.push(rollout_segment::ActiveModel {
            id: Set(id),
            rollout_id: Set(mapped(&rollout_ids, &m.rollout_id, "rollout")?),
            value: Set(m.value),
            segment_operator: Set(m.segment_operator),
        });
    }
    insert_all(&txn, rows).await?;
    let references = rollout_segment_reference::Entity::find()
        .filter(rollout_segment_reference::Column::NamespaceKey.eq(&source_ns))
        .all(&txn)
        .await?;
    let mut rows = Vec::with_capacity(references.len());
    for r in references {
        rows.push(rollout_segment_reference::ActiveModel {
            rollout_segment_id: Set(mapped(
                &member_ids,
                &r.rollout_segment_id,
                "rollout segment",
            )?),
            namespace_key: Set(target_ns.clone()),
            segment_key: Set(r.segment_key),
        });
    }
    insert_all(&txn, rows).await?;

    let created = read::find_namespace(&txn, &target_ns)
        .await?
        .ok_or_else(|| Error::internal_msg("copied namespace vanished"))?;
    super::commit(state, txn, &target_ns).await?;
    Ok(read::namespace_message(created))
}

/// The copy's id for a source id read in the same transaction.
fn mapped(ids: &HashMap<String, String>, source_id: &str, entity: &str) -> Result<String> {
    ids.get(source_id)
        .cloned()
        .ok_or_else(|| Error::internal_msg(format!("copy references an unknown {entity}")))
}
