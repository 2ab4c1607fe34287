//! OFREP, the OpenFeature Remote Evaluation Protocol (api.md §7, evaluation.md §10).

use std::collections::BTreeMap;

use flipt_proto::flipt::ofrep as pb;
use flipt_proto::pbjson_types::{value::Kind, Struct, Value};
use flipt_shared::engine::{self, FlagType};

use super::{namespace_or_default, new_request_id};
use crate::cache::SnapshotCache;

/// OFREP's error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    FlagNotFound,
    InvalidContext,
    General,
}

impl ErrorCode {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::FlagNotFound => "FLAG_NOT_FOUND",
            ErrorCode::InvalidContext => "INVALID_CONTEXT",
            ErrorCode::General => "GENERAL",
        }
    }

    /// The HTTP status of this code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::FlagNotFound => 404,
            ErrorCode::InvalidContext => 400,
            ErrorCode::General => 500,
        }
    }

    /// The gRPC code of this error class.
    pub fn grpc_code(self) -> tonic::Code {
        match self {
            ErrorCode::FlagNotFound => tonic::Code::NotFound,
            ErrorCode::InvalidContext => tonic::Code::InvalidArgument,
            ErrorCode::General => tonic::Code::Internal,
        }
    }
}

/// An OFREP failure: `{"key", "errorCode", "errorDetails"}` on the wire.
#[derive(Debug, Clone, PartialEq)]
pub struct OfrepError {
    pub key: Option<String>,
    pub code: ErrorCode,
    pub details: String,
}

impl OfrepError {
    /// The error body, with a trailing newline as Flipt writes it.
    pub fn body(&self) -> String {
        let mut map = serde_json::Map::new();
        if let Some(key) = &self.key {
            map.insert("key".into(), key.clone().into());
        }
        map.insert("errorCode".into(), self.code.as_str().into());
        map.insert("errorDetails".into(), self.details.clone().into());
        let mut text = serde_json::Value::Object(map).to_string();
        text.push('\n');
        text
    }
}

/// Provider configuration: polling is advertised when the evaluation cache is enabled.
pub fn configuration(polling_interval_ms: Option<u32>) -> pb::GetProviderConfigurationResponse {
    pb::GetProviderConfigurationResponse {
        name: "flipt".to_owned(),
        capabilities: Some(pb::Capabilities {
            cache_invalidation: Some(pb::CacheInvalidation {
                polling: Some(pb::Polling {
                    enabled: polling_interval_ms.is_some(),
                    min_polling_interval_ms: polling_interval_ms.unwrap_or(0),
                }),
            }),
            flag_evaluation: Some(pb::FlagEvaluation {
                supported_types: vec!["string".to_owned(), "boolean".to_owned()],
            }),
        }),
    }
}

fn string_value(s: &str) -> Value {
    Value {
        kind: Some(Kind::StringValue(s.to_owned())),
    }
}

/// Evaluates one flag. The entity is `targetingKey` when present, else a random id per call.
pub fn evaluate_flag(
    cache: &SnapshotCache,
    namespace: &str,
    key: &str,
    context: &BTreeMap<String, String>,
) -> Result<pb::EvaluatedFlag, OfrepError> {
    if key.is_empty() {
        return Err(OfrepError {
            key: None,
            code: ErrorCode::InvalidContext,
            details: "flag key was not provided".to_owned(),
        });
    }
    let namespace = namespace_or_default(namespace);
    let not_found = || OfrepError {
        key: Some(key.to_owned()),
        code: ErrorCode::FlagNotFound,
        details: format!("flag was not found {key}"),
    };
    let entry = cache.get(namespace).ok_or_else(not_found)?;
    let (index, flag) = entry.snapshot.flag_with_index(key).ok_or_else(not_found)?;
    let random_entity;
    let entity_id = match context.get("targetingKey") {
        Some(id) => id.as_str(),
        None => {
            random_entity = new_request_id();
            random_entity.as_str()
        }
    };
    let engine_error = |err: engine::EvalError| {
        if err.is_invalid_argument() {
            OfrepError {
                key: Some(key.to_owned()),
                code: ErrorCode::InvalidContext,
                details: err.to_string(),
            }
        } else {
            OfrepError {
                key: None,
                code: ErrorCode::General,
                details: err.to_string(),
            }
        }
    };
    match flag.flag_type() {
        FlagType::Variant => {
            let started = std::time::Instant::now();
            let out = engine::evaluate_variant(flag, key, entity_id, context);
            super::record_variant(cache, &entry, index, flag, &out, started);
            let out = out.map_err(engine_error)?;
            let mut metadata = Struct::default();
            if !out.segment_keys.is_empty() {
                metadata.fields.insert(
                    "segments".to_owned(),
                    string_value(&out.segment_keys.join(",")),
                );
            }
            if !out.variant_attachment.is_empty() {
                metadata.fields.insert(
                    "attachment".to_owned(),
                    string_value(out.variant_attachment),
                );
            }
            Ok(pb::EvaluatedFlag {
                key: key.to_owned(),
                reason: out.reason.ofrep() as i32,
                variant: out.variant_key.to_owned(),
                metadata: Some(metadata),
                value: Some(string_value(out.variant_key)),
            })
        }
        FlagType::Boolean => {
            let started = std::time::Instant::now();
            let out = engine::evaluate_boolean(flag, entity_id, context);
            super::record_boolean(cache, &entry, index, flag, &out, started);
            let out = out.map_err(engine_error)?;
            Ok(pb::EvaluatedFlag {
                key: flag.key().to_owned(),
                reason: out.reason.ofrep() as i32,
                variant: out.enabled.to_string(),
                metadata: Some(Struct::default()),
                value: Some(Value {
                    kind: Some(Kind::BoolValue(out.enabled)),
                }),
            })
        }
    }
}

/// Evaluates the flags named in `context["flags"]` (comma-separated), or else every boolean
/// flag and every enabled variant flag of the namespace; the first failure fails the call.
pub fn evaluate_bulk(
    cache: &SnapshotCache,
    namespace: &str,
    context: &BTreeMap<String, String>,
) -> Result<pb::BulkEvaluationResponse, OfrepError> {
    let keys: Vec<String> = match context.get("flags") {
        Some(list) => list.split(',').map(|k| k.trim().to_owned()).collect(),
        None => match cache.get(namespace_or_default(namespace)) {
            Some(entry) => entry
                .snapshot
                .flags()
                .filter(|f| f.flag_type() == FlagType::Boolean || f.enabled())
                .map(|f| f.key().to_owned())
                .collect(),
            None => Vec::new(),
        },
    };
    let mut flags = Vec::with_capacity(keys.len());
    for key in keys {
        if key.is_empty() {
            // An empty entry is looked up as an empty key and fails as not found.
            return Err(OfrepError {
                key: Some(String::new()),
                code: ErrorCode::FlagNotFound,
                details: "flag was not found ".to_owned(),
            });
        }
        flags.push(evaluate_flag(cache, namespace, &key, context)?);
    }
    Ok(pb::BulkEvaluationResponse { flags })
}

/// Converts an OFREP context object: strings as they are, numbers and booleans as their JSON
/// text (DESIGN.md §6), `null` as `""`. Objects and arrays are refused.
pub fn context_from_json(
    value: Option<&serde_json::Value>,
) -> Result<BTreeMap<String, String>, OfrepError> {
    let invalid = || OfrepError {
        key: None,
        code: ErrorCode::InvalidContext,
        details: "invalid values for key(s) in json body".to_owned(),
    };
    let mut context = BTreeMap::new();
    match value {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::Object(map)) => {
            for (k, v) in map {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::Bool(b) => b.to_string(),
                    serde_json::Value::Number(n) => n.to_string(),
                    _ => return Err(invalid()),
                };
                context.insert(k.clone(), text);
            }
        }
        Some(_) => return Err(invalid()),
    }
    Ok(context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_shape() {
        let err = OfrepError {
            key: Some("f".into()),
            code: ErrorCode::FlagNotFound,
            details: "flag was not found f".into(),
        };
        assert_eq!(
            err.body(),
            "{\"key\":\"f\",\"errorCode\":\"FLAG_NOT_FOUND\",\"errorDetails\":\"flag was not found f\"}\n"
        );
    }

    #[test]
    fn context_conversion() {
        let v = serde_json::json!({"a": "x", "n": 5, "b": true, "z": null});
        let ctx = context_from_json(Some(&v)).unwrap();
        assert_eq!(ctx["a"], "x");
        assert_eq!(ctx["n"], "5");
        assert_eq!(ctx["b"], "true");
        assert_eq!(ctx["z"], "");
        assert!(context_from_json(Some(&serde_json::json!({"o": {}}))).is_err());
    }
}
