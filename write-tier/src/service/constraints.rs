//! Constraints of a segment, with Flipt's type/operator/value validation (api.md §13.3).

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use flipt_proto::flipt as pb;
use flipt_shared::store::entity::constraint;
use flipt_shared::store::{now, read};
use flipt_shared::{Error, Result};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{begin, bump_revision, check_len, namespace_or_default, require};
use crate::state::AppState;

const STRING_OPERATORS: &[&str] = &[
    "eq",
    "neq",
    "empty",
    "notempty",
    "prefix",
    "suffix",
    "isoneof",
    "isnotoneof",
    "contains",
    "notcontains",
];
const NUMBER_OPERATORS: &[&str] = &[
    "eq",
    "neq",
    "lt",
    "lte",
    "gt",
    "gte",
    "present",
    "notpresent",
    "isoneof",
    "isnotoneof",
];
const BOOLEAN_OPERATORS: &[&str] = &["true", "false", "present", "notpresent"];
const ENTITY_ID_OPERATORS: &[&str] = &[
    "eq",
    "neq",
    "isoneof",
    "isnotoneof",
    "contains",
    "notcontains",
];
/// Operators that take no value; their value is stored as `""`.
const NO_VALUE_OPERATORS: &[&str] = &[
    "empty",
    "notempty",
    "present",
    "notpresent",
    "true",
    "false",
];
/// Most items an `isoneof`/`isnotoneof` list may hold.
const MAX_LIST_ITEMS: usize = 100;

/// The validated, normalised form of a constraint request.
#[derive(Debug, PartialEq)]
pub(crate) struct ValidConstraint {
    pub operator: String,
    pub value: String,
}

/// Validates type, operator and value as Flipt does and returns what is stored.
pub(crate) fn validate(
    constraint_type: i32,
    property: &str,
    operator: &str,
    value: &str,
) -> Result<ValidConstraint> {
    let op = operator.to_lowercase();
    let kind = pb::ComparisonType::try_from(constraint_type).ok();
    let (allowed, type_name) = match kind {
        Some(pb::ComparisonType::StringComparisonType) => (STRING_OPERATORS, "string"),
        Some(pb::ComparisonType::NumberComparisonType) => (NUMBER_OPERATORS, "number"),
        Some(pb::ComparisonType::BooleanComparisonType) => (BOOLEAN_OPERATORS, "boolean"),
        Some(pb::ComparisonType::DatetimeComparisonType) => (NUMBER_OPERATORS, "datetime"),
        Some(pb::ComparisonType::EntityIdComparisonType) => (ENTITY_ID_OPERATORS, "entityId"),
        Some(pb::ComparisonType::UnknownComparisonType) | None => {
            let name = kind
                .map(|k| k.as_str_name().to_owned())
                .unwrap_or_else(|| constraint_type.to_string());
            return Err(Error::invalid(format!(
                "invalid constraint type: \"{name}\""
            )));
        }
    };
    if !allowed.contains(&op.as_str()) {
        return Err(Error::invalid(format!(
            "constraint operator \"{operator}\" is not valid for type {type_name}"
        )));
    }
    if kind == Some(pb::ComparisonType::EntityIdComparisonType) && property != "entityId" {
        return Err(Error::invalid(format!(
            "property is {property} instead of \"entityId\""
        )));
    }

    let needs_value = !NO_VALUE_OPERATORS.contains(&op.as_str());
    if needs_value && value.is_empty() {
        return Err(Error::empty_field("value"));
    }
    let mut stored = value.to_owned();
    if kind == Some(pb::ComparisonType::DatetimeComparisonType) && !value.is_empty() {
        stored = normalise_datetime(value)?;
    }
    // Datetime lists pass the operator check but were parsed as one datetime above (Flipt quirk).
    if (op == "isoneof" || op == "isnotoneof") && type_name != "datetime" {
        check_list(type_name, property, value)?;
    }
    if !needs_value {
        stored.clear();
    }
    Ok(ValidConstraint {
        operator: op,
        value: stored,
    })
}

/// RFC 3339 values are stored in UTC without fractional seconds; `YYYY-MM-DD` stays as given.
fn normalise_datetime(value: &str) -> Result<String> {
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Ok(at
            .with_timezone(&Utc)
            .to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    if NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok() && value.len() == 10 {
        return Ok(value.to_owned());
    }
    Err(Error::invalid(format!("parsing datetime from {value:?}")))
}

fn check_list(type_name: &str, property: &str, value: &str) -> Result<()> {
    let invalid = || {
        Error::invalid(format!(
            "invalid value provided for property {property:?} of type {type_name}"
        ))
    };
    let items: Vec<serde_json::Value> = serde_json::from_str(value).map_err(|_| invalid())?;
    let well_typed = if type_name == "number" {
        items.iter().all(serde_json::Value::is_number)
    } else {
        items.iter().all(serde_json::Value::is_string)
    };
    if !well_typed {
        return Err(invalid());
    }
    if items.len() > MAX_LIST_ITEMS {
        return Err(Error::invalid(format!(
            "too many values provided for property {property:?} of type {type_name} (maximum {MAX_LIST_ITEMS})"
        )));
    }
    Ok(())
}

fn check_fields(segment_key: &str, property: &str, operator: &str) -> Result<()> {
    require("segmentKey", segment_key)?;
    require("property", property)?;
    require("operator", operator)?;
    check_len("property", property)?;
    check_len("operator", operator)
}

/// `CreateConstraint`.
pub async fn create_constraint(
    state: &AppState,
    req: pb::CreateConstraintRequest,
) -> Result<pb::Constraint> {
    check_fields(&req.segment_key, &req.property, &req.operator)?;
    let valid = validate(req.r#type, &req.property, &req.operator, &req.value)?;
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    if read::find_segment(&txn, &ns, &req.segment_key)
        .await?
        .is_none()
    {
        return Err(super::segments::not_found(&ns, &req.segment_key));
    }
    let id = super::new_id();
    let at = now();
    constraint::Entity::insert(constraint::ActiveModel {
        id: Set(id.clone()),
        namespace_key: Set(ns.clone()),
        segment_key: Set(req.segment_key.clone()),
        constraint_type: Set(req.r#type),
        property: Set(req.property),
        operator: Set(valid.operator),
        value: Set(valid.value),
        description: Set(Some(req.description)),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec_without_returning(&txn)
    .await?;
    bump_revision(&txn, &ns).await?;
    let created = read::get_constraint(&txn, &ns, &req.segment_key, &id)
        .await?
        .ok_or_else(|| Error::internal_msg("created constraint vanished"))?;
    super::commit(state, txn, &ns).await?;
    Ok(created)
}

/// `UpdateConstraint`: replaces every field.
pub async fn update_constraint(
    state: &AppState,
    req: pb::UpdateConstraintRequest,
) -> Result<pb::Constraint> {
    require("id", &req.id)?;
    check_fields(&req.segment_key, &req.property, &req.operator)?;
    let valid = validate(req.r#type, &req.property, &req.operator, &req.value)?;
    let ns = namespace_or_default(&req.namespace_key);

    let txn = begin(state, &ns).await?;
    let existing = constraint::Entity::find_by_id(req.id.clone())
        .filter(constraint::Column::NamespaceKey.eq(&ns))
        .filter(constraint::Column::SegmentKey.eq(&req.segment_key))
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found(format!("constraint \"{}\" not found", req.id)))?;
    let mut row: constraint::ActiveModel = existing.into();
    row.constraint_type = Set(req.r#type);
    row.property = Set(req.property);
    row.operator = Set(valid.operator);
    row.value = Set(valid.value);
    row.description = Set(Some(req.description));
    row.updated_at = Set(now());
    row.update(&txn).await?;
    bump_revision(&txn, &ns).await?;
    let updated = read::get_constraint(&txn, &ns, &req.segment_key, &req.id)
        .await?
        .ok_or_else(|| Error::internal_msg("updated constraint vanished"))?;
    super::commit(state, txn, &ns).await?;
    Ok(updated)
}

/// `DeleteConstraint`: idempotent.
pub async fn delete_constraint(state: &AppState, req: pb::DeleteConstraintRequest) -> Result<()> {
    require("id", &req.id)?;
    require("segmentKey", &req.segment_key)?;
    let ns = namespace_or_default(&req.namespace_key);
    let txn = begin(state, &ns).await?;
    let deleted = constraint::Entity::delete_many()
        .filter(constraint::Column::Id.eq(&req.id))
        .filter(constraint::Column::NamespaceKey.eq(&ns))
        .filter(constraint::Column::SegmentKey.eq(&req.segment_key))
        .exec(&txn)
        .await?;
    if deleted.rows_affected > 0 {
        bump_revision(&txn, &ns).await?;
    }
    super::commit(state, txn, &ns).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRING: i32 = 1;
    const NUMBER: i32 = 2;
    const BOOLEAN: i32 = 3;
    const DATETIME: i32 = 4;
    const ENTITY: i32 = 5;

    fn err(t: i32, p: &str, o: &str, v: &str) -> String {
        validate(t, p, o, v).unwrap_err().to_string()
    }

    #[test]
    fn operators_are_checked_per_type() {
        assert_eq!(
            err(STRING, "p", "GT", "1"),
            "constraint operator \"GT\" is not valid for type string"
        );
        assert_eq!(
            err(BOOLEAN, "p", "eq", "1"),
            "constraint operator \"eq\" is not valid for type boolean"
        );
        assert_eq!(
            err(0, "p", "eq", "1"),
            "invalid constraint type: \"UNKNOWN_COMPARISON_TYPE\""
        );
        assert_eq!(err(9, "p", "eq", "1"), "invalid constraint type: \"9\"");
        assert_eq!(
            err(ENTITY, "user", "eq", "1"),
            "property is user instead of \"entityId\""
        );
    }

    #[test]
    fn operator_is_lowercased_and_value_dropped_when_unused() {
        let v = validate(STRING, "p", "EMPTY", "ignored").unwrap();
        assert_eq!(
            v,
            ValidConstraint {
                operator: "empty".into(),
                value: String::new()
            }
        );
        let v = validate(NUMBER, "p", "Present", "").unwrap();
        assert_eq!(v.operator, "present");
    }

    #[test]
    fn value_required_for_comparing_operators() {
        assert_eq!(
            err(STRING, "p", "eq", ""),
            "invalid field value: must not be empty"
        );
    }

    #[test]
    fn datetimes_are_normalised() {
        let v = validate(DATETIME, "p", "gt", "2024-01-01T10:00:00.5+02:00").unwrap();
        assert_eq!(v.value, "2024-01-01T08:00:00Z");
        let v = validate(DATETIME, "p", "gt", "2024-01-01").unwrap();
        assert_eq!(v.value, "2024-01-01");
        assert_eq!(
            err(DATETIME, "p", "gt", "yesterday"),
            "parsing datetime from \"yesterday\""
        );
    }

    #[test]
    fn lists_are_checked() {
        assert!(validate(STRING, "p", "isoneof", "[\"a\",\"b\"]").is_ok());
        assert_eq!(
            err(STRING, "p", "isoneof", "[1]"),
            "invalid value provided for property \"p\" of type string"
        );
        assert_eq!(
            err(NUMBER, "p", "isoneof", "[\"a\"]"),
            "invalid value provided for property \"p\" of type number"
        );
        let many = format!("[{}]", vec!["1"; 101].join(","));
        assert_eq!(
            err(NUMBER, "p", "isoneof", &many),
            "too many values provided for property \"p\" of type number (maximum 100)"
        );
        assert_eq!(
            err(ENTITY, "entityId", "isoneof", "nope"),
            "invalid value provided for property \"entityId\" of type entityId"
        );
    }
}
