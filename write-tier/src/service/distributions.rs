//! Distributions of a rule over the flag's variants.

use flipt_proto::flipt as pb;
use flipt_shared::store::entity::distribution;
use flipt_shared::store::{now, read};
use flipt_shared::{Error, Result};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{begin, bump_revision, namespace_or_default, require};
use crate::state::AppState;

/// Tolerance for f32 rounding when summing a rule's rollouts (33.3 + 33.3 + 33.4).
const SUM_EPSILON: f64 = 1e-3;

fn check_rollout(rollout: f32) -> Result<()> {
    if rollout.is_nan() || rollout < 0.0 {
        return Err(Error::invalid_field(
            "rollout",
            "must be greater than or equal to '0'",
        ));
    }
    if rollout > 100.0 {
        return Err(Error::invalid_field(
            "rollout",
            "must be less than or equal to '100'",
        ));
    }
    Ok(())
}

/// Checks that the rule, the variant and the flag exist in the namespace and belong together.
async fn check_references(
    db: &impl ConnectionTrait,
    ns: &str,
    flag_key: &str,
    rule_id: &str,
    variant_id: &str,
) -> Result<()> {
    let rule = read::find_rule(db, ns, rule_id).await?;
    let variant = read::find_variant(db, ns, flag_key, variant_id).await?;
    let flag = read::find_flag(db, ns, flag_key).await?;
    match (rule, variant, flag) {
        (Some(rule), Some(_), Some(_)) if rule.flag_key == flag_key => Ok(()),
        _ => Err(Error::not_found(format!(
            "variant \"{variant_id}\", rule \"{rule_id}\", flag \"{flag_key}\" in namespace \"{ns}\" not found"
        ))),
    }
}

/// Rejects a change that would make the rule's rollouts add up to more than 100 (DESIGN.md §6).
async fn check_sum(
    db: &impl ConnectionTrait,
    rule_id: &str,
    except_id: Option<&str>,
    rollout: f32,
) -> Result<()> {
    let others: f64 = distribution::Entity::find()
        .filter(distribution::Column::RuleId.eq(rule_id))
        .all(db)
        .await?
        .iter()
        .filter(|d| Some(d.id.as_str()) != except_id)
        .map(|d| f64::from(d.rollout as f32))
        .sum();
    if others + f64::from(rollout) > 100.0 + SUM_EPSILON {
        return Err(Error::invalid_field(
            "rollout",
            "the sum of a rule's distributions must not exceed 100",
        ));
    }
    Ok(())
}

/// `CreateDistribution`.
pub async fn create_distribution(
    state: &AppState,
    req: pb::CreateDistributionRequest,
) -> Result<pb::Distribution> {
    require("flagKey", &req.flag_key)?;
    require("ruleId", &req.rule_id)?;
    require("variantId", &req.variant_id)?;
    check_rollout(req.rollout)?;
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    check_references(&txn, &ns, &req.flag_key, &req.rule_id, &req.variant_id).await?;
    check_sum(&txn, &req.rule_id, None, req.rollout).await?;
    let id = super::new_id();
    let at = now();
    distribution::Entity::insert(distribution::ActiveModel {
        id: Set(id.clone()),
        rule_id: Set(req.rule_id.clone()),
        variant_id: Set(req.variant_id),
        rollout: Set(f64::from(req.rollout)),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec_without_returning(&txn)
    .await?;
    bump_revision(&txn, &ns).await?;
    let created = read::get_distribution(&txn, &req.rule_id, &id)
        .await?
        .ok_or_else(|| Error::internal_msg("created distribution vanished"))?;
    super::commit(state, txn, &ns).await?;
    Ok(created)
}

/// `UpdateDistribution`: replaces the variant and rollout.
pub async fn update_distribution(
    state: &AppState,
    req: pb::UpdateDistributionRequest,
) -> Result<pb::Distribution> {
    require("id", &req.id)?;
    require("flagKey", &req.flag_key)?;
    require("ruleId", &req.rule_id)?;
    require("variantId", &req.variant_id)?;
    check_rollout(req.rollout)?;
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    check_references(&txn, &ns, &req.flag_key, &req.rule_id, &req.variant_id).await?;
    let existing = distribution::Entity::find_by_id(req.id.clone())
        .filter(distribution::Column::RuleId.eq(&req.rule_id))
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found(format!("distribution \"{}\" not found", req.id)))?;
    check_sum(&txn, &req.rule_id, Some(&req.id), req.rollout).await?;
    let mut row: distribution::ActiveModel = existing.into();
    row.variant_id = Set(req.variant_id);
    row.rollout = Set(f64::from(req.rollout));
    row.updated_at = Set(now());
    row.update(&txn).await?;
    bump_revision(&txn, &ns).await?;
    let updated = read::get_distribution(&txn, &req.rule_id, &req.id)
        .await?
        .ok_or_else(|| Error::internal_msg("updated distribution vanished"))?;
    super::commit(state, txn, &ns).await?;
    Ok(updated)
}

/// `DeleteDistribution`: idempotent; the row must match id, rule and variant.
pub async fn delete_distribution(
    state: &AppState,
    req: pb::DeleteDistributionRequest,
) -> Result<()> {
    require("id", &req.id)?;
    require("flagKey", &req.flag_key)?;
    require("ruleId", &req.rule_id)?;
    require("variantId", &req.variant_id)?;
    let ns = namespace_or_default(&req.namespace_key);
    let txn = begin(state, &ns).await?;
    // Only rows of a rule in this namespace may go.
    if read::find_rule(&txn, &ns, &req.rule_id).await?.is_some() {
        let deleted = distribution::Entity::delete_many()
            .filter(distribution::Column::Id.eq(&req.id))
            .filter(distribution::Column::RuleId.eq(&req.rule_id))
            .filter(distribution::Column::VariantId.eq(&req.variant_id))
            .exec(&txn)
            .await?;
        if deleted.rows_affected > 0 {
            bump_revision(&txn, &ns).await?;
        }
    }
    super::commit(state, txn, &ns).await?;
    Ok(())
}
