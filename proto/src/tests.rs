//! JSON rules of api.md §2.1 (responses) and §2.2 (request bodies) on the generated types,
//! plus a few wire-contract spot checks against the descriptor set.

use prost::Message as _;
use serde_json::json;

use crate::flipt::evaluation;
use crate::flipt::{
    rollout, CreateFlagRequest, Distribution, EvaluationResponse, Flag, FlagType, ListFlagRequest,
    Rollout, RolloutSegment, RolloutThreshold, SegmentOperator, Variant,
};
use crate::google::protobuf::Timestamp;
use crate::json::{format_f32, format_f64, from_slice, to_string, to_vec};

fn value_of<T: serde::Serialize>(message: &T) -> serde_json::Value {
    serde_json::from_slice(&to_vec(message).unwrap()).unwrap()
}

fn ts(seconds: i64, nanos: i32) -> Timestamp {
    Timestamp { seconds, nanos }
}

// --- responses ---------------------------------------------------------------------------

#[test]
fn zero_values_are_emitted_and_unset_messages_omitted() {
    let text = to_string(&Flag::default()).unwrap();
    assert_eq!(
        text,
        r#"{"key":"","name":"","description":"","enabled":false,"variants":[],"namespaceKey":"","type":"VARIANT_FLAG_TYPE"}"#
    );
}

#[test]
fn empty_map_is_an_empty_object_and_zero_numbers_print_as_zero() {
    let v = value_of(&EvaluationResponse::default());
    assert_eq!(v["requestContext"], json!({}));
    assert_eq!(v["segmentKeys"], json!([]));
    assert_eq!(v["reason"], json!("UNKNOWN_EVALUATION_REASON"));
    assert!(v.get("timestamp").is_none());
    let text = to_string(&EvaluationResponse::default()).unwrap();
    assert!(text.contains(r#""requestDurationMillis":0,"#), "{text}");
    assert!(!text.contains("null"), "{text}");
}

#[test]
fn set_optional_and_message_fields_are_emitted() {
    let mut metadata = crate::pbjson_types::Struct::default();
    metadata
        .fields
        .insert("team".into(), "growth".to_string().into());
    metadata.fields.insert("n".into(), 2.0_f64.into());
    let flag = Flag {
        key: "f".into(),
        r#type: FlagType::BooleanFlagType as i32,
        created_at: Some(ts(1_709_288_130, 123_456_000)),
        default_variant: Some(Variant {
            key: "v".into(),
            ..Default::default()
        }),
        metadata: Some(metadata),
        ..Default::default()
    };
    let v = value_of(&flag);
    assert_eq!(v["type"], json!("BOOLEAN_FLAG_TYPE"));
    assert_eq!(v["createdAt"], json!("2024-03-01T10:15:30.123456Z"));
    assert!(v.get("updatedAt").is_none());
    assert_eq!(v["defaultVariant"]["key"], json!("v"));
    assert_eq!(v["defaultVariant"]["attachment"], json!(""));
    assert_eq!(v["metadata"], json!({"team": "growth", "n": 2}));
    assert!(to_string(&flag).unwrap().contains(r#""n":2"#));
}

#[test]
fn oneof_emits_only_the_set_member() {
    let segment = Rollout {
        rule: Some(rollout::Rule::Segment(RolloutSegment {
            segment_key: "s".into(),
            value: true,
            segment_keys: vec![],
            segment_operator: SegmentOperator::AndSegmentOperator as i32,
        })),
        ..Default::default()
    };
    let v = value_of(&segment);
    assert!(v.get("threshold").is_none());
    assert_eq!(
        v["segment"],
        json!({"segmentKey": "s", "value": true, "segmentKeys": [], "segmentOperator": "AND_SEGMENT_OPERATOR"})
    );
    assert_eq!(v["type"], json!("UNKNOWN_ROLLOUT_TYPE"));

    let threshold = Rollout {
        rule: Some(rollout::Rule::Threshold(RolloutThreshold {
            percentage: 33.3,
            value: false,
        })),
        ..Default::default()
    };
    let text = to_string(&threshold).unwrap();
    assert!(!text.contains("\"segment\""), "{text}");
    assert!(
        text.contains(r#""threshold":{"percentage":33.3,"value":false}"#),
        "{text}"
    );

    let none = value_of(&Rollout::default());
    assert!(none.get("segment").is_none() && none.get("threshold").is_none());
}

#[test]
fn evaluation_response_oneof() {
    let response = evaluation::EvaluationResponse {
        r#type: evaluation::EvaluationResponseType::ErrorEvaluationResponseType as i32,
        response: Some(evaluation::evaluation_response::Response::ErrorResponse(
            evaluation::ErrorEvaluationResponse {
                flag_key: "x".into(),
                namespace_key: String::new(),
                reason: evaluation::ErrorEvaluationReason::NotFoundErrorEvaluationReason as i32,
            },
        )),
    };
    assert_eq!(
        to_string(&response).unwrap(),
        r#"{"type":"ERROR_EVALUATION_RESPONSE_TYPE","errorResponse":{"flagKey":"x","namespaceKey":"","reason":"NOT_FOUND_ERROR_EVALUATION_REASON"}}"#
    );
}

#[test]
fn timestamps_use_z_and_0_3_6_9_fraction_digits() {
    let cases = [
        (0, "2024-03-01T10:15:30Z"),
        (120_000_000, "2024-03-01T10:15:30.120Z"),
        (123_456_000, "2024-03-01T10:15:30.123456Z"),
        (123_456_789, "2024-03-01T10:15:30.123456789Z"),
        (1, "2024-03-01T10:15:30.000000001Z"),
    ];
    for (nanos, expected) in cases {
        let text = to_string(&ts(1_709_288_130, nanos)).unwrap();
        assert_eq!(text, format!("\"{expected}\""));
    }
    assert!(to_string(&ts(0, -1)).is_err());
    assert!(to_string(&ts(0, 1_000_000_000)).is_err());
}

#[test]
fn floats_print_like_go() {
    let d = Distribution {
        rollout: 33.3,
        ..Default::default()
    };
    assert!(to_string(&d).unwrap().contains(r#""rollout":33.3}"#));
    let d = Distribution {
        rollout: 100.0,
        ..Default::default()
    };
    assert!(to_string(&d).unwrap().contains(r#""rollout":100}"#));
    let d = Distribution::default();
    assert!(to_string(&d).unwrap().contains(r#""rollout":0}"#));

    assert_eq!(format_f32(33.3), "33.3");
    assert_eq!(format_f32(0.1), "0.1");
    assert_eq!(format_f32(12.5), "12.5");
    assert_eq!(format_f32(-0.0), "-0");
    assert_eq!(format_f32(0.000_001), "0.000001");
    assert_eq!(format_f32(1e-7), "1e-7");
    assert_eq!(format_f32(1.5e-10), "1.5e-10");
    assert_eq!(format_f32(1e20), "100000000000000000000");
    assert_eq!(format_f32(1e21), "1e+21");
    assert_eq!(format_f32(f32::MAX), "3.4028235e+38");
    assert_eq!(format_f64(0.1 + 0.2), "0.30000000000000004");
    assert_eq!(format_f64(1.0), "1");
    assert_eq!(format_f64(1e21), "1e+21");
    assert_eq!(format_f64(123_456_789.0), "123456789");
    assert_eq!(format_f64(5e-324), "5e-324");

    let response = evaluation::BooleanEvaluationResponse {
        request_duration_millis: 0.25,
        ..Default::default()
    };
    assert!(to_string(&response)
        .unwrap()
        .contains(r#""requestDurationMillis":0.25,"#));
}

#[test]
fn non_finite_floats_are_strings() {
    let values = crate::flipt::analytics::GetFlagEvaluationsCountResponse {
        timestamps: vec![],
        values: vec![f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 1.0],
    };
    assert_eq!(
        to_string(&values).unwrap(),
        r#"{"timestamps":[],"values":["NaN","Infinity","-Infinity",1]}"#
    );
    let response = evaluation::VariantEvaluationResponse {
        request_duration_millis: f64::NAN,
        ..Default::default()
    };
    assert!(to_string(&response)
        .unwrap()
        .contains(r#""requestDurationMillis":"NaN""#));
}

#[test]
fn status_and_empty_bodies() {
    let status = crate::google::rpc::Status {
        code: 5,
        message: "flag \"default/foo\" not found".into(),
        details: vec![],
    };
    assert_eq!(
        to_string(&status).unwrap(),
        r#"{"code":5,"message":"flag \"default/foo\" not found","details":[]}"#
    );
    assert_eq!(to_string(&crate::pbjson_types::Empty {}).unwrap(), "{}");
}

// --- requests ----------------------------------------------------------------------------

#[test]
fn camel_and_snake_names_are_accepted() {
    let a: CreateFlagRequest =
        from_slice(br#"{"key":"k","namespaceKey":"ns","type":"BOOLEAN_FLAG_TYPE"}"#).unwrap();
    let b: CreateFlagRequest =
        from_slice(br#"{"key":"k","namespace_key":"ns","type":"BOOLEAN_FLAG_TYPE"}"#).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.namespace_key, "ns");
    assert_eq!(a.r#type, FlagType::BooleanFlagType as i32);
}

#[test]
fn camel_case_wins_over_snake_case() {
    let r: CreateFlagRequest =
        from_slice(br#"{"namespace_key":"snake","namespaceKey":"camel"}"#).unwrap();
    assert_eq!(r.namespace_key, "camel");
    let r: CreateFlagRequest =
        from_slice(br#"{"namespaceKey":"camel","namespace_key":"snake"}"#).unwrap();
    assert_eq!(r.namespace_key, "camel");
}

#[test]
fn unknown_fields_are_ignored() {
    // the dashboard's "copy flag" posts a whole Flag to the create route
    let body = br#"{"key":"k","name":"n","variants":[{"key":"v"}],"createdAt":"2024-01-01T00:00:00Z","bogus":{"x":[1,2]}}"#;
    let r: CreateFlagRequest = from_slice(body).unwrap();
    assert_eq!((r.key.as_str(), r.name.as_str()), ("k", "n"));
}

#[test]
fn enums_accept_names_and_numbers_and_reject_unknown_names() {
    let r: CreateFlagRequest = from_slice(br#"{"type":1}"#).unwrap();
    assert_eq!(r.r#type, FlagType::BooleanFlagType as i32);
    let r: CreateFlagRequest = from_slice(br#"{"type":"VARIANT_FLAG_TYPE"}"#).unwrap();
    assert_eq!(r.r#type, FlagType::VariantFlagType as i32);
    assert!(from_slice::<CreateFlagRequest>(br#"{"type":"NOPE"}"#).is_err());
}

#[test]
fn integers_and_floats_accept_strings() {
    let r: ListFlagRequest = from_slice(br#"{"limit":"10","offset":5}"#).unwrap();
    assert_eq!((r.limit, r.offset), (10, 5));
    let d: crate::flipt::CreateDistributionRequest = from_slice(br#"{"rollout":"33.3"}"#).unwrap();
    assert_eq!(d.rollout, 33.3);
    let d: crate::flipt::CreateDistributionRequest = from_slice(br#"{"rollout":50}"#).unwrap();
    assert_eq!(d.rollout, 50.0);
    let d: crate::flipt::CreateDistributionRequest = from_slice(br#"{"rollout":"NaN"}"#).unwrap();
    assert!(d.rollout.is_nan());
    assert!(from_slice::<ListFlagRequest>(br#"{"limit":"ten"}"#).is_err());
    assert!(from_slice::<ListFlagRequest>(br#"{"limit":true}"#).is_err());
}

#[test]
fn null_means_absent() {
    let r: CreateFlagRequest = from_slice(
        br#"{"key":null,"name":"n","enabled":null,"type":null,"metadata":null,"namespace_key":null}"#,
    )
    .unwrap();
    assert_eq!(
        r,
        CreateFlagRequest {
            name: "n".into(),
            ..Default::default()
        }
    );
    let r: crate::flipt::UpdateRolloutRequest =
        from_slice(br#"{"id":"1","segment":null,"threshold":{"percentage":10,"value":null}}"#)
            .unwrap();
    assert_eq!(
        r.rule,
        Some(crate::flipt::update_rollout_request::Rule::Threshold(
            RolloutThreshold {
                percentage: 10.0,
                value: false
            }
        ))
    );
    let r: crate::flipt::OrderRulesRequest = from_slice(br#"{"ruleIds":null}"#).unwrap();
    assert!(r.rule_ids.is_empty());
}

#[test]
fn struct_nulls_are_kept_and_map_nulls_become_empty_strings() {
    let r: CreateFlagRequest = from_slice(br#"{"metadata":{"a":null,"b":{"c":null}}}"#).unwrap();
    let metadata = r.metadata.unwrap();
    assert_eq!(metadata.fields.len(), 2);
    assert_eq!(value_of(&metadata), json!({"a": null, "b": {"c": null}}));

    let r: evaluation::EvaluationRequest =
        from_slice(br#"{"flagKey":"f","context":{"a":"x","b":null}}"#).unwrap();
    assert_eq!(r.context.get("a").map(String::as_str), Some("x"));
    assert_eq!(r.context.get("b").map(String::as_str), Some(""));
    assert!(from_slice::<evaluation::EvaluationRequest>(br#"{"context":{"a":1}}"#).is_err());

    // nested messages are normalised too
    let r: evaluation::BatchEvaluationRequest = from_slice(
        br#"{"requests":[{"flag_key":"f","flagKey":"g","entityId":null,"context":{"k":null}}]}"#,
    )
    .unwrap();
    assert_eq!(r.requests[0].flag_key, "g");
    assert_eq!(r.requests[0].context.get("k").map(String::as_str), Some(""));
}

#[test]
fn empty_body_and_type_errors() {
    let r: CreateFlagRequest = from_slice(b"").unwrap();
    assert_eq!(r, CreateFlagRequest::default());
    let r: CreateFlagRequest = from_slice(b"  \n").unwrap();
    assert_eq!(r, CreateFlagRequest::default());
    assert!(from_slice::<CreateFlagRequest>(b"{").is_err());
    assert!(from_slice::<CreateFlagRequest>(br#"{"enabled":"true"}"#).is_err());
    assert!(from_slice::<CreateFlagRequest>(br#"{"key":1}"#).is_err());
}

#[test]
fn timestamps_parse_any_offset() {
    let r: crate::flipt::auth::CreateTokenRequest =
        from_slice(br#"{"name":"t","expiresAt":"2024-03-01T11:15:30.5+01:00"}"#).unwrap();
    assert_eq!(r.expires_at, Some(ts(1_709_288_130, 500_000_000)));
    let r: crate::flipt::auth::ExpireAuthenticationSelfRequest =
        from_slice(br#"{"expires_at":"2024-03-01T10:15:30Z"}"#).unwrap();
    assert_eq!(r.expires_at, Some(ts(1_709_288_130, 0)));
    assert!(
        from_slice::<crate::flipt::auth::CreateTokenRequest>(br#"{"expiresAt":"yesterday"}"#)
            .is_err()
    );
}

#[test]
fn json_round_trip_of_a_snapshot() {
    let snapshot = evaluation::EvaluationNamespaceSnapshot {
        namespace: Some(evaluation::EvaluationNamespace {
            key: "default".into(),
        }),
        flags: vec![evaluation::EvaluationFlag {
            key: "f".into(),
            rules: vec![evaluation::EvaluationRule {
                distributions: vec![evaluation::EvaluationDistribution {
                    rollout: 33.3,
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }],
    };
    let bytes = to_vec(&snapshot).unwrap();
    let back: evaluation::EvaluationNamespaceSnapshot = from_slice(&bytes).unwrap();
    assert_eq!(back, snapshot);
}

// --- wire contract spot checks -----------------------------------------------------------

#[test]
fn descriptor_set_has_the_expected_services_and_field_numbers() {
    let fds = prost_types::FileDescriptorSet::decode(crate::FILE_DESCRIPTOR_SET).unwrap();
    let services: Vec<String> = fds
        .file
        .iter()
        .flat_map(|f| {
            f.service
                .iter()
                .map(move |s| format!("{}.{}", f.package(), s.name()))
        })
        .collect();
    for expected in [
        "flipt.Flipt",
        "flipt.evaluation.EvaluationService",
        "flipt.evaluation.DataService",
        "flipt.auth.PublicAuthenticationService",
        "flipt.auth.AuthenticationService",
        "flipt.auth.AuthenticationMethodTokenService",
        "flipt.auth.AuthenticationMethodOIDCService",
        "flipt.auth.AuthenticationMethodKubernetesService",
        "flipt.auth.AuthenticationMethodGithubService",
        "flipt.meta.MetadataService",
        "flipt.ofrep.OFREPService",
        "flipt.analytics.AnalyticsService",
    ] {
        assert!(services.iter().any(|s| s == expected), "missing {expected}");
    }
    let flipt = fds.file.iter().find(|f| f.package() == "flipt").unwrap();
    assert_eq!(flipt.service[0].method.len(), 38);

    let number = |package: &str, message: &str, field: &str| -> i32 {
        fds.file
            .iter()
            .filter(|f| f.package() == package)
            .flat_map(|f| f.message_type.iter())
            .find(|m| m.name() == message)
            .and_then(|m| m.field.iter().find(|f| f.name() == field))
            .map(|f| f.number())
            .unwrap()
    };
    assert_eq!(number("flipt", "Rollout", "segment"), 20);
    assert_eq!(number("flipt", "Rollout", "threshold"), 21);
    assert_eq!(number("flipt", "Flag", "metadata"), 11);
    assert_eq!(
        number("flipt.evaluation", "BatchEvaluationRequest", "requests"),
        3
    );
    assert_eq!(number("flipt.auth", "CreateTokenRequest", "metadata"), 7);
    assert_eq!(number("flipt.ofrep", "EvaluateBulkRequest", "context"), 2);
}

#[test]
fn timestamp_wire_format_is_standard() {
    let ours = ts(1_709_288_130, 123_456_000);
    let std_ts = prost_types::Timestamp::from(ours);
    assert_eq!(ours.encode_to_vec(), std_ts.encode_to_vec());
    let flag = Flag {
        created_at: Some(ours),
        ..Default::default()
    };
    let decoded = Flag::decode(flag.encode_to_vec().as_slice()).unwrap();
    assert_eq!(decoded.created_at, Some(ours));
}

#[test]
fn undefined_enum_numbers_reach_the_message() {
    let req: crate::flipt::CreateConstraintRequest =
        crate::json::from_slice(br#"{"type": 9, "property": "p", "operator": "eq"}"#).unwrap();
    assert_eq!(req.r#type, 9);
    let req: crate::flipt::CreateConstraintRequest =
        crate::json::from_slice(br#"{"type": "NUMBER_COMPARISON_TYPE"}"#).unwrap();
    assert_eq!(req.r#type, 2);
    assert!(
        crate::json::from_slice::<crate::flipt::CreateConstraintRequest>(br#"{"type": "NOPE"}"#)
            .is_err()
    );
    assert!(
        crate::json::from_slice::<crate::flipt::CreateConstraintRequest>(
            br#"{"type": 4294967296}"#
        )
        .is_err()
    );
}

/// The stack formatter agrees with formatting through `String`s (the original implementation)
/// over a sweep of bit patterns of both widths.
#[test]
fn float_formatting_matches_string_formatting() {
    fn reference(display: String, exponent: String, plain: bool) -> String {
        if plain {
            display
        } else if exponent.contains("e-") {
            exponent
        } else {
            exponent.replace('e', "e+")
        }
    }
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..200_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let d = f64::from_bits(x);
        if d.is_finite() {
            let abs = d.abs();
            let plain = abs == 0.0 || (1e-6..1e21).contains(&abs);
            assert_eq!(
                format_f64(d),
                reference(format!("{d}"), format!("{d:e}"), plain)
            );
        }
        // Also values of ordinary magnitude, where responses' durations live.
        let m = (x >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((x % 30) as i32 - 8);
        let plain = m == 0.0 || (1e-6..1e21).contains(&m);
        assert_eq!(
            format_f64(m),
            reference(format!("{m}"), format!("{m:e}"), plain)
        );
        let f = f32::from_bits(x as u32);
        if f.is_finite() {
            let abs = f.abs();
            let plain = abs == 0.0 || (1e-6..1e21).contains(&abs);
            assert_eq!(
                format_f32(f),
                reference(format!("{f}"), format!("{f:e}"), plain)
            );
        }
    }
}

#[test]
fn struct_keys_are_written_in_key_order_at_every_depth() {
    use pbjson_types::{value::Kind, Struct, Value};
    let string = |s: &str| Value {
        kind: Some(Kind::StringValue(s.to_owned())),
    };
    let number = |n: f64| Value {
        kind: Some(Kind::NumberValue(n)),
    };
    // Enough keys that a hash map's iteration order is practically never sorted by chance.
    let keys = [
        "zeta", "alpha", "mike", "bravo", "yankee", "charlie", "x-ray", "delta", "echo", "Zulu",
        "émile", "10", "9",
    ];
    let nested = Struct {
        fields: keys.iter().map(|k| (k.to_string(), number(1.5))).collect(),
    };
    let mut fields: std::collections::HashMap<String, Value> =
        keys.iter().map(|k| (k.to_string(), string(k))).collect();
    fields.insert(
        "nested".into(),
        Value {
            kind: Some(Kind::StructValue(nested)),
        },
    );
    let flag = Flag {
        key: "f".into(),
        metadata: Some(Struct { fields }),
        ..Default::default()
    };
    let text = to_string(&flag).unwrap();
    let mut sorted: Vec<&str> = keys.to_vec();
    sorted.sort();
    let inner = sorted
        .iter()
        .map(|k| format!("\"{k}\":1.5"))
        .collect::<Vec<_>>()
        .join(",");
    let mut outer: Vec<String> = sorted.iter().map(|k| format!("\"{k}\":\"{k}\"")).collect();
    outer.push(format!("\"nested\":{{{inner}}}"));
    outer.sort();
    let expected = format!("\"metadata\":{{{}}}", outer.join(","));
    assert!(text.contains(&expected), "{text}\nexpected {expected}");
    // The same bytes every time.
    assert_eq!(text, to_string(&flag).unwrap());
}
