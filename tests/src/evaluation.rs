//! Evaluation on a separate read instance (evaluation.md §4–§8, api.md §5): state written
//! through the write tier's REST API, evaluated over REST and gRPC on a `ReadApp` over the same
//! database, on every backend. Bucketing is checked against the CRC-32 rule computed here.
//!
//! The fixtures at the top (`Fx`, `synced`, the bucketing helpers and the shape assertions) are
//! shared with the snapshot, OFREP, read-tier and SDK tests.

use std::collections::BTreeMap;

use flipt_proto::flipt as pb;
use flipt_proto::flipt::evaluation as ev;
use flipt_proto::flipt::evaluation::evaluation_service_client::EvaluationServiceClient;
use serde_json::{json, Value};

use crate::backend_tests;
use crate::harness::{assert_error, Backend, TestApp};
use crate::read_harness::ReadApp;

// ---------------------------------------------------------------------------------------------
// Fixtures shared by the read-tier test modules.
// ---------------------------------------------------------------------------------------------

/// Writes state through the write tier's REST API in one namespace.
pub(crate) struct Fx<'a> {
    pub app: &'a TestApp,
    pub ns: String,
}

impl<'a> Fx<'a> {
    /// Uses namespace `ns`, creating it unless it is `default`.
    pub async fn new(app: &'a TestApp, ns: &str) -> Fx<'a> {
        if ns != "default" {
            app.post_ok("/api/v1/namespaces", json!({"key": ns, "name": ns}))
                .await;
        }
        Fx {
            app,
            ns: ns.to_owned(),
        }
    }

    fn path(&self, rest: &str) -> String {
        format!("/api/v1/namespaces/{}{rest}", self.ns)
    }

    /// Creates a flag (boolean or variant) with the given `enabled`.
    pub async fn flag(&self, key: &str, boolean: bool, enabled: bool) {
        let kind = if boolean {
            "BOOLEAN_FLAG_TYPE"
        } else {
            "VARIANT_FLAG_TYPE"
        };
        self.app
            .post_ok(
                &self.path("/flags"),
                json!({"key": key, "name": key, "type": kind, "enabled": enabled}),
            )
            .await;
    }

    /// Creates a variant; returns its id.
    pub async fn variant(&self, flag: &str, key: &str, attachment: &str) -> String {
        let v = self
            .app
            .post_ok(
                &self.path(&format!("/flags/{flag}/variants")),
                json!({"key": key, "name": key, "attachment": attachment}),
            )
            .await;
        v["id"].as_str().expect("variant id").to_owned()
    }

    /// Sets the flag's default variant (PUT replaces: name and enabled are restated).
    pub async fn default_variant(&self, flag: &str, enabled: bool, variant_id: &str) {
        let (status, body) = self
            .app
            .put(
                &self.path(&format!("/flags/{flag}")),
                json!({"name": flag, "enabled": enabled, "defaultVariantId": variant_id}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    /// Creates a segment (`any`: ANY match type, else ALL).
    pub async fn segment(&self, key: &str, any: bool) {
        let match_type = if any {
            "ANY_MATCH_TYPE"
        } else {
            "ALL_MATCH_TYPE"
        };
        self.app
            .post_ok(
                &self.path("/segments"),
                json!({"key": key, "name": key, "matchType": match_type}),
            )
            .await;
    }

    /// Adds a constraint (`kind` is the storage type name without `_COMPARISON_TYPE`); returns
    /// its id.
    pub async fn constraint(
        &self,
        segment: &str,
        kind: &str,
        property: &str,
        op: &str,
        value: &str,
    ) -> String {
        let c = self
            .app
            .post_ok(
                &self.path(&format!("/segments/{segment}/constraints")),
                json!({
                    "type": format!("{kind}_COMPARISON_TYPE"),
                    "property": property,
                    "operator": op,
                    "value": value,
                }),
            )
            .await;
        c["id"].as_str().expect("constraint id").to_owned()
    }

    /// Creates a rule; returns its id.
    pub async fn rule(&self, flag: &str, rank: i32, segments: &[&str], and: bool) -> String {
        let op = if and {
            "AND_SEGMENT_OPERATOR"
        } else {
            "OR_SEGMENT_OPERATOR"
        };
        let rule = self
            .app
            .post_ok(
                &self.path(&format!("/flags/{flag}/rules")),
                json!({"rank": rank, "segmentKeys": segments, "segmentOperator": op}),
            )
            .await;
        rule["id"].as_str().expect("rule id").to_owned()
    }

    /// Adds a distribution to a rule.
    pub async fn dist(&self, flag: &str, rule: &str, variant_id: &str, rollout: f32) {
        self.app
            .post_ok(
                &self.path(&format!("/flags/{flag}/rules/{rule}/distributions")),
                json!({"variantId": variant_id, "rollout": rollout}),
            )
            .await;
    }

    /// Adds a threshold rollout.
    pub async fn threshold(&self, flag: &str, rank: i32, percentage: f32, value: bool) {
        self.app
            .post_ok(
                &self.path(&format!("/flags/{flag}/rollouts")),
                json!({"rank": rank, "threshold": {"percentage": percentage, "value": value}}),
            )
            .await;
    }

    /// Adds a segment rollout.
    pub async fn segment_rollout(
        &self,
        flag: &str,
        rank: i32,
        segments: &[&str],
        and: bool,
        value: bool,
    ) {
        let op = if and {
            "AND_SEGMENT_OPERATOR"
        } else {
            "OR_SEGMENT_OPERATOR"
        };
        self.app
            .post_ok(
                &self.path(&format!("/flags/{flag}/rollouts")),
                json!({"rank": rank, "segment": {"segmentKeys": segments, "segmentOperator": op, "value": value}}),
            )
            .await;
    }
}

/// The snapshot ETag a server currently reports for `ns` (`None` without one).
pub(crate) async fn etag_of(http: &reqwest::Client, base: &str, ns: &str) -> Option<String> {
    let resp = http
        .get(format!(
            "{base}/internal/v1/evaluation/snapshot/namespace/{ns}"
        ))
        .send()
        .await
        .expect("snapshot request");
    resp.headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Waits until the read instance serves the same revision of `ns` as the (standalone) write
/// tier, which refreshes its own snapshot right after each commit.
pub(crate) async fn synced(app: &TestApp, read: &ReadApp, ns: &str) {
    let want = etag_of(&app.http, &app.http_base, ns)
        .await
        .unwrap_or_else(|| panic!("write tier has no ETag for {ns}"));
    read.eventually(move || {
        let want = want.clone();
        async move { (etag_of(&read.http, &read.http_base, ns).await == Some(want)).then_some(()) }
    })
    .await;
}

/// Sends a raw body to a read instance; returns status and JSON body (`Null` if not JSON).
pub(crate) async fn post_raw(read: &ReadApp, path: &str, body: &str) -> (u16, Value) {
    let resp = read
        .http
        .post(format!("{}{path}", read.http_base))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("request sent");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body read");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// `crc32(flag ++ entity) mod 1000` (evaluation.md §3.2).
pub(crate) fn variant_bucket(flag: &str, entity: &str) -> u32 {
    crc32fast::hash(format!("{flag}{entity}").as_bytes()) % 1000
}

/// `crc32(entity ++ flag) mod 100` (evaluation.md §3.3).
pub(crate) fn threshold_value(entity: &str, flag: &str) -> u32 {
    crc32fast::hash(format!("{entity}{flag}").as_bytes()) % 100
}

/// The index of the distribution a bucket falls in (evaluation.md §3.4), over the rollouts in
/// creation order; `None` past the last boundary.
pub(crate) fn distribution_index(rollouts: &[f32], bucket: u32) -> Option<usize> {
    let mut acc: i64 = 0;
    let valid: Vec<(usize, f32)> = rollouts
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, r)| *r > 0.0)
        .collect();
    for (i, rollout) in valid {
        #[allow(clippy::cast_possible_truncation)]
        let width = (rollout * 10.0_f32) as i64;
        acc += width;
        if acc > i64::from(bucket) {
            return Some(i);
        }
    }
    None
}

/// Whether a threshold rollout of `percentage` matches the entity.
pub(crate) fn threshold_matches(entity: &str, flag: &str, percentage: f32) -> bool {
    #[allow(clippy::cast_precision_loss)]
    let t = threshold_value(entity, flag) as f32;
    t < percentage
}

/// The first `user-N` whose variant bucket for `flag` satisfies `pred`.
pub(crate) fn entity_where(flag: &str, pred: impl Fn(u32) -> bool) -> String {
    (0..100_000)
        .map(|i| format!("user-{i}"))
        .find(|e| pred(variant_bucket(flag, e)))
        .expect("an entity in range")
}

/// Asserts a generated request id: a lower-case hyphenated UUID v4.
pub(crate) fn assert_uuid(value: &Value) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("requestId {value}"));
    let id = uuid::Uuid::parse_str(text).unwrap_or_else(|e| panic!("requestId {text}: {e}"));
    assert_eq!(id.get_version_num(), 4, "requestId {text}");
    assert_eq!(id.hyphenated().to_string(), text);
}

/// Asserts an RFC 3339 UTC timestamp as the gateway writes it.
pub(crate) fn assert_timestamp(value: &Value) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("timestamp {value}"));
    assert!(text.ends_with('Z'), "timestamp {text}");
    chrono::DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("timestamp {text}: {e}"));
}

/// Asserts a duration in milliseconds: a non-negative JSON number.
pub(crate) fn assert_duration(value: &Value) {
    let ms = value
        .as_f64()
        .unwrap_or_else(|| panic!("requestDurationMillis {value}"));
    assert!((0.0..10_000.0).contains(&ms), "requestDurationMillis {ms}");
}

/// Asserts a `VariantEvaluationResponse` field by field (evaluation.md §6.5); the request id,
/// timestamp and duration are checked for form only.
#[allow(clippy::too_many_arguments)]
pub(crate) fn assert_variant(
    resp: &Value,
    flag: &str,
    matched: bool,
    reason: &str,
    variant: &str,
    attachment: &str,
    segments: &[&str],
) {
    assert_timestamp(&resp["timestamp"]);
    assert_duration(&resp["requestDurationMillis"]);
    assert!(resp["requestId"].is_string(), "{resp}");
    assert_eq!(
        resp,
        &json!({
            "match": matched,
            "segmentKeys": segments,
            "reason": format!("{reason}_EVALUATION_REASON"),
            "variantKey": variant,
            "variantAttachment": attachment,
            "requestId": resp["requestId"],
            "requestDurationMillis": resp["requestDurationMillis"],
            "timestamp": resp["timestamp"],
            "flagKey": flag,
        }),
    );
}

/// Asserts a `BooleanEvaluationResponse` field by field.
pub(crate) fn assert_boolean(
    resp: &Value,
    flag: &str,
    enabled: bool,
    reason: &str,
    segments: &[&str],
) {
    assert_timestamp(&resp["timestamp"]);
    assert_duration(&resp["requestDurationMillis"]);
    assert!(resp["requestId"].is_string(), "{resp}");
    assert_eq!(
        resp,
        &json!({
            "enabled": enabled,
            "reason": format!("{reason}_EVALUATION_REASON"),
            "requestId": resp["requestId"],
            "requestDurationMillis": resp["requestDurationMillis"],
            "timestamp": resp["timestamp"],
            "flagKey": flag,
            "segmentKeys": segments,
        }),
    );
}

/// The evaluation fixture in namespace `ns` (see each flag's comment). Returns after the
/// write tier committed everything.
pub(crate) async fn build_fixture(fx: &Fx<'_>) {
    // Segments: one per constraint type, an ANY segment and a match-everything segment.
    fx.segment("str", false).await;
    fx.constraint("str", "STRING", "plan", "eq", "pro").await;
    fx.segment("num", false).await;
    fx.constraint("num", "NUMBER", "age", "gte", "18").await;
    fx.segment("bool", false).await;
    fx.constraint("bool", "BOOLEAN", "admin", "true", "").await;
    fx.segment("dt", false).await;
    fx.constraint("dt", "DATETIME", "signup", "lt", "2030-01-01T00:00:00Z")
        .await;
    fx.segment("ent", false).await;
    fx.constraint(
        "ent",
        "ENTITY_ID",
        "entityId",
        "isoneof",
        r#"["vip-1","vip-2"]"#,
    )
    .await;
    fx.segment("anyc", true).await;
    fx.constraint("anyc", "STRING", "country", "eq", "fr").await;
    fx.constraint("anyc", "STRING", "country", "eq", "de").await;
    fx.segment("everyone", false).await;

    // color: 50/50 blue/red for `str`, default red.
    fx.flag("color", false, true).await;
    let blue = fx.variant("color", "blue", "{ \"hex\": \"#00f\" }").await;
    let red = fx.variant("color", "red", "").await;
    fx.default_variant("color", true, &red).await;
    let rule = fx.rule("color", 1, &["str"], false).await;
    fx.dist("color", &rule, &blue, 50.0).await;
    fx.dist("color", &rule, &red, 50.0).await;

    // disabled: a disabled flag whose rule would match; default variant v.
    fx.flag("disabled", false, false).await;
    let v = fx.variant("disabled", "v", "[1, 2]").await;
    fx.default_variant("disabled", false, &v).await;
    let rule = fx.rule("disabled", 1, &["everyone"], false).await;
    fx.dist("disabled", &rule, &v, 100.0).await;

    // plain: enabled, a variant, no rules, no default.
    fx.flag("plain", false, true).await;
    fx.variant("plain", "a", "").await;

    // typed: one rule per segment combination, each 100% to its own variant.
    fx.flag("typed", false, true).await;
    let ent = fx.variant("typed", "ent", "").await;
    let and = fx.variant("typed", "and", "").await;
    let or = fx.variant("typed", "or", "").await;
    let any = fx.variant("typed", "any", "").await;
    let r1 = fx.rule("typed", 1, &["ent"], false).await;
    fx.dist("typed", &r1, &ent, 100.0).await;
    let r2 = fx.rule("typed", 2, &["str", "num"], true).await;
    fx.dist("typed", &r2, &and, 100.0).await;
    let r3 = fx.rule("typed", 3, &["dt", "bool"], false).await;
    fx.dist("typed", &r3, &or, 100.0).await;
    let r4 = fx.rule("typed", 4, &["anyc"], false).await;
    fx.dist("typed", &r4, &any, 100.0).await;

    // nodist: a passing rule without distributions returns the default variant with MATCH.
    fx.flag("nodist", false, true).await;
    let x = fx.variant("nodist", "x", "{\"a\": 1}").await;
    fx.default_variant("nodist", true, &x).await;
    fx.rule("nodist", 1, &["everyone"], false).await;

    // partial: 10% p; a bucket past 100 stops evaluation (rule 2 is never tried).
    fx.flag("partial", false, true).await;
    let p = fx.variant("partial", "p", "").await;
    let q = fx.variant("partial", "q", "").await;
    let r1 = fx.rule("partial", 1, &["everyone"], false).await;
    fx.dist("partial", &r1, &p, 10.0).await;
    let r2 = fx.rule("partial", 2, &["everyone"], false).await;
    fx.dist("partial", &r2, &q, 100.0).await;

    // Boolean flags.
    // pct: disabled, 50% threshold → true; rollouts still evaluated.
    fx.flag("pct", true, false).await;
    fx.threshold("pct", 1, 50.0, true).await;
    // segbool: enabled; `str` → false; otherwise the fallback (enabled = true).
    fx.flag("segbool", true, true).await;
    fx.segment_rollout("segbool", 1, &["str"], false, false)
        .await;
    // andbool: disabled; AND of `str` and `num` → true.
    fx.flag("andbool", true, false).await;
    fx.segment_rollout("andbool", 1, &["str", "num"], true, true)
        .await;
    // always: disabled, 100% threshold → true.
    fx.flag("always", true, false).await;
    fx.threshold("always", 1, 100.0, true).await;
}

/// A write tier (standalone) plus a read instance, with the fixture in `default`, synced.
async fn fixture(backend: Backend) -> (TestApp, ReadApp) {
    let app = TestApp::spawn(backend).await;
    let fx = Fx::new(&app, "default").await;
    build_fixture(&fx).await;
    let read = ReadApp::spawn(app.database_url()).await;
    synced(&app, &read, "default").await;
    (app, read)
}

fn req(flag: &str, entity: &str, context: Value) -> Value {
    json!({"flagKey": flag, "entityId": entity, "context": context})
}

async fn variant(read: &ReadApp, flag: &str, entity: &str, context: Value) -> Value {
    let (status, body) = read
        .post("/evaluate/v1/variant", req(flag, entity, context))
        .await;
    assert_eq!(status, 200, "variant {flag}/{entity}: {body}");
    body
}

async fn boolean(read: &ReadApp, flag: &str, entity: &str, context: Value) -> Value {
    let (status, body) = read
        .post("/evaluate/v1/boolean", req(flag, entity, context))
        .await;
    assert_eq!(status, 200, "boolean {flag}/{entity}: {body}");
    body
}

fn grpc_request(flag: &str, entity: &str, context: &Value) -> ev::EvaluationRequest {
    let context: BTreeMap<String, String> = context
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    ev::EvaluationRequest {
        flag_key: flag.to_owned(),
        entity_id: entity.to_owned(),
        context,
        ..Default::default()
    }
}

/// A gRPC message as the REST gateway would print it.
fn as_json<T: serde::Serialize>(message: &T) -> Value {
    serde_json::from_slice(&flipt_proto::json::to_vec(message).expect("encode")).expect("json")
}

/// Drops the per-call fields so two answers to the same question compare equal.
fn without_bookkeeping(mut value: Value) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.remove("requestId");
        map.remove("timestamp");
        map.remove("requestDurationMillis");
    }
    value
}

backend_tests!(
    variant_evaluation,
    variant_bucketing_matches_crc32,
    boolean_evaluation,
    batch_evaluation,
    legacy_evaluation,
    evaluation_errors,
);

async fn variant_evaluation(backend: Backend) {
    let (app, read) = fixture(backend).await;
    let mut grpc = EvaluationServiceClient::connect(read.grpc_addr.clone())
        .await
        .expect("grpc connects");

    let blue_entity = entity_where("color", |b| b < 500);
    let red_entity = entity_where("color", |b| b >= 500);
    let low = entity_where("partial", |b| b < 100);
    let high = entity_where("partial", |b| b >= 100);
    let pro = json!({"plan": "pro"});

    // (flag, entity, context, match, reason, variant, attachment, segments)
    type Case<'c> = (
        &'c str,
        &'c str,
        Value,
        bool,
        &'c str,
        &'c str,
        &'c str,
        Vec<&'c str>,
    );
    let cases: Vec<Case> = vec![
        // Distribution: the bucket decides; attachments are compacted.
        (
            "color",
            &blue_entity,
            pro.clone(),
            true,
            "MATCH",
            "blue",
            r##"{"hex":"#00f"}"##,
            vec!["str"],
        ),
        (
            "color",
            &red_entity,
            pro.clone(),
            true,
            "MATCH",
            "red",
            "",
            vec!["str"],
        ),
        // No rule matches: the default variant.
        (
            "color",
            "anyone",
            json!({}),
            false,
            "DEFAULT",
            "red",
            "",
            vec![],
        ),
        (
            "color",
            "anyone",
            json!({"plan": "Pro"}),
            false,
            "DEFAULT",
            "red",
            "",
            vec![],
        ),
        // Disabled: FLAG_DISABLED keeps the default variant.
        (
            "disabled",
            "anyone",
            json!({}),
            false,
            "FLAG_DISABLED",
            "v",
            "[1,2]",
            vec![],
        ),
        // No rules, no default: UNKNOWN.
        (
            "plain",
            "anyone",
            json!({}),
            false,
            "UNKNOWN",
            "",
            "",
            vec![],
        ),
        // Each constraint type, AND/OR rules, ANY segments; segment keys sorted.
        (
            "typed",
            "vip-2",
            json!({}),
            true,
            "MATCH",
            "ent",
            "",
            vec!["ent"],
        ),
        (
            "typed",
            "vip-3",
            json!({}),
            false,
            "UNKNOWN",
            "",
            "",
            vec![],
        ),
        (
            "typed",
            "u",
            json!({"plan": "pro", "age": "21"}),
            true,
            "MATCH",
            "and",
            "",
            vec!["num", "str"],
        ),
        (
            "typed",
            "u",
            json!({"plan": "pro", "age": "18.0"}),
            true,
            "MATCH",
            "and",
            "",
            vec!["num", "str"],
        ),
        (
            "typed",
            "u",
            json!({"plan": "pro", "age": "17"}),
            false,
            "UNKNOWN",
            "",
            "",
            vec![],
        ),
        (
            "typed",
            "u",
            json!({"plan": "pro", "age": "21", "admin": "true"}),
            true,
            "MATCH",
            "and",
            "",
            vec!["num", "str"],
        ),
        (
            "typed",
            "u",
            json!({"admin": "true", "signup": "2024-05-01T00:00:00Z"}),
            true,
            "MATCH",
            "or",
            "",
            vec!["bool", "dt"],
        ),
        (
            "typed",
            "u",
            json!({"admin": "T"}),
            true,
            "MATCH",
            "or",
            "",
            vec!["bool"],
        ),
        (
            "typed",
            "u",
            json!({"signup": "2029-12-31"}),
            true,
            "MATCH",
            "or",
            "",
            vec!["dt"],
        ),
        (
            "typed",
            "u",
            json!({"signup": "2031-01-01", "admin": "no"}),
            false,
            "UNKNOWN",
            "",
            "",
            vec![],
        ),
        (
            "typed",
            "u",
            json!({"country": "de"}),
            true,
            "MATCH",
            "any",
            "",
            vec!["anyc"],
        ),
        (
            "typed",
            "u",
            json!({"country": "es"}),
            false,
            "UNKNOWN",
            "",
            "",
            vec![],
        ),
        // A passing rule without distributions: MATCH with the default variant.
        (
            "nodist",
            "anyone",
            json!({}),
            true,
            "MATCH",
            "x",
            r#"{"a":1}"#,
            vec!["everyone"],
        ),
        // A bucket past the distributions stops evaluation: no match, segment keys kept.
        (
            "partial",
            &low,
            json!({}),
            true,
            "MATCH",
            "p",
            "",
            vec!["everyone"],
        ),
        (
            "partial",
            &high,
            json!({}),
            false,
            "UNKNOWN",
            "",
            "",
            vec!["everyone"],
        ),
    ];

    for (flag, entity, context, matched, reason, variant_key, attachment, segments) in cases {
        let rest = variant(&read, flag, entity, context.clone()).await;
        assert_uuid(&rest["requestId"]);
        assert_variant(
            &rest,
            flag,
            matched,
            reason,
            variant_key,
            attachment,
            &segments,
        );

        let resp = grpc
            .variant(grpc_request(flag, entity, &context))
            .await
            .unwrap_or_else(|s| panic!("grpc variant {flag}: {s:?}"))
            .into_inner();
        assert_eq!(resp.r#match, matched);
        assert_eq!(resp.variant_key, variant_key);
        assert!(resp.timestamp.is_some());
        assert_uuid(&json!(resp.request_id));
        assert_eq!(
            without_bookkeeping(as_json(&resp)),
            without_bookkeeping(rest),
            "{flag}/{entity}"
        );
    }

    // A given request id is echoed; snake_case names are accepted.
    let body = read
        .post(
            "/evaluate/v1/variant",
            json!({"request_id": "my-id", "namespace_key": "default", "flag_key": "plain", "entity_id": "e", "context": null}),
        )
        .await
        .1;
    assert_eq!(body["requestId"], "my-id");
    assert_eq!(body["reason"], "UNKNOWN_EVALUATION_REASON");

    // An empty entity id is legal and hashes as "".
    let empty = variant(&read, "color", "", pro.clone()).await;
    let expected = if variant_bucket("color", "") < 500 {
        "blue"
    } else {
        "red"
    };
    assert_eq!(empty["variantKey"], expected);

    // gRPC reason numbering is the v2 enum's.
    let resp = grpc
        .variant(grpc_request("disabled", "e", &json!({})))
        .await
        .expect("grpc")
        .into_inner();
    assert_eq!(
        resp.reason,
        ev::EvaluationReason::FlagDisabledEvaluationReason as i32
    );
    app.shutdown().await;
}

async fn variant_bucketing_matches_crc32(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let fx = Fx::new(&app, "buckets").await;
    fx.segment("everyone", false).await;
    // (flag, rollouts): even thirds, f32-truncation traps, a tail without a match.
    let flags: [(&str, &[f32]); 4] = [
        ("thirds", &[33.3, 33.3, 33.4]),
        ("traps", &[0.7, 66.7, 32.6]),
        ("tail", &[12.34, 56.78]),
        ("quarters", &[25.0, 0.0, 75.0]),
    ];
    for (flag, rollouts) in flags {
        fx.flag(flag, false, true).await;
        let rule = fx.rule(flag, 1, &["everyone"], false).await;
        for (i, rollout) in rollouts.iter().enumerate() {
            let v = fx.variant(flag, &format!("v{i}"), "").await;
            fx.dist(flag, &rule, &v, *rollout).await;
        }
    }
    fx.flag("pct", true, false).await;
    fx.threshold("pct", 1, 37.5, true).await;
    let read = ReadApp::spawn(app.database_url()).await;
    synced(&app, &read, "buckets").await;

    let entities: Vec<String> = (0..250).map(|i| format!("entity-{i}")).collect();
    let mut seen_none = false;
    for (flag, rollouts) in flags {
        let requests: Vec<Value> = entities
            .iter()
            .map(|e| json!({"namespaceKey": "buckets", "flagKey": flag, "entityId": e}))
            .collect();
        let (status, batch) = read
            .post("/evaluate/v1/batch", json!({"requests": requests}))
            .await;
        assert_eq!(status, 200, "{batch}");
        let responses = batch["responses"].as_array().expect("responses");
        assert_eq!(responses.len(), entities.len());
        for (entity, item) in entities.iter().zip(responses) {
            let resp = &item["variantResponse"];
            let bucket = variant_bucket(flag, entity);
            match distribution_index(rollouts, bucket) {
                Some(i) => {
                    assert_eq!(
                        resp["variantKey"],
                        format!("v{i}"),
                        "{flag}/{entity} bucket {bucket}"
                    );
                    assert_eq!(resp["match"], true);
                }
                None => {
                    seen_none = true;
                    assert_eq!(resp["variantKey"], "", "{flag}/{entity} bucket {bucket}");
                    assert_eq!(resp["match"], false);
                    assert_eq!(resp["reason"], "UNKNOWN_EVALUATION_REASON");
                    assert_eq!(resp["segmentKeys"], json!(["everyone"]));
                }
            }
        }
    }
    assert!(
        seen_none,
        "the tail flag should leave some entities unmatched"
    );

    // Boolean thresholds: entity first, modulo 100, strict <.
    let requests: Vec<Value> = entities
        .iter()
        .map(|e| json!({"namespaceKey": "buckets", "flagKey": "pct", "entityId": e}))
        .collect();
    let (status, batch) = read
        .post("/evaluate/v1/batch", json!({"requests": requests}))
        .await;
    assert_eq!(status, 200, "{batch}");
    let mut trues = 0;
    for (entity, item) in entities
        .iter()
        .zip(batch["responses"].as_array().expect("responses"))
    {
        let resp = &item["booleanResponse"];
        let expected = threshold_matches(entity, "pct", 37.5);
        trues += usize::from(expected);
        assert_eq!(resp["enabled"], expected, "pct/{entity}");
        let reason = if expected { "MATCH" } else { "DEFAULT" };
        assert_eq!(resp["reason"], format!("{reason}_EVALUATION_REASON"));
    }
    assert!(
        trues > 50 && trues < 150,
        "{trues} of 250 in a 37.5% rollout"
    );

    // The spec's own vectors for the helpers (evaluation.md §11.1–11.4).
    assert_eq!(variant_bucket("foo", "1"), 244);
    assert_eq!(variant_bucket("foo", "user-603"), 999);
    assert_eq!(threshold_value("test-entity", "test-flag"), 65);
    assert_eq!(distribution_index(&[33.33, 33.33, 33.34], 999), None);
    assert_eq!(distribution_index(&[0.7, 99.3], 6), Some(0));
    assert_eq!(distribution_index(&[0.7, 99.3], 7), Some(1));
    app.shutdown().await;
}

async fn boolean_evaluation(backend: Backend) {
    let (app, read) = fixture(backend).await;
    let mut grpc = EvaluationServiceClient::connect(read.grpc_addr.clone())
        .await
        .expect("grpc connects");

    let on = (0..1000)
        .map(|i| format!("user-{i}"))
        .find(|e| threshold_matches(e, "pct", 50.0))
        .expect("entity");
    let off = (0..1000)
        .map(|i| format!("user-{i}"))
        .find(|e| !threshold_matches(e, "pct", 50.0))
        .expect("entity");

    type Case<'c> = (&'c str, &'c str, Value, bool, &'c str, Vec<&'c str>);
    let cases: Vec<Case> = vec![
        // A disabled flag still evaluates its threshold; the fallback is `enabled` (false).
        ("pct", &on, json!({}), true, "MATCH", vec![]),
        ("pct", &off, json!({}), false, "DEFAULT", vec![]),
        // Segment rollout, then the fallback to enabled = true.
        (
            "segbool",
            "u",
            json!({"plan": "pro"}),
            false,
            "MATCH",
            vec!["str"],
        ),
        ("segbool", "u", json!({}), true, "DEFAULT", vec![]),
        // AND rollout: both segments reported, sorted.
        (
            "andbool",
            "u",
            json!({"plan": "pro", "age": "30"}),
            true,
            "MATCH",
            vec!["num", "str"],
        ),
        (
            "andbool",
            "u",
            json!({"plan": "pro"}),
            false,
            "DEFAULT",
            vec![],
        ),
        // 100% threshold on a disabled flag.
        ("always", "u", json!({}), true, "MATCH", vec![]),
    ];
    for (flag, entity, context, enabled, reason, segments) in cases {
        let rest = boolean(&read, flag, entity, context.clone()).await;
        assert_uuid(&rest["requestId"]);
        assert_boolean(&rest, flag, enabled, reason, &segments);
        let resp = grpc
            .boolean(grpc_request(flag, entity, &context))
            .await
            .unwrap_or_else(|s| panic!("grpc boolean {flag}: {s:?}"))
            .into_inner();
        assert_eq!(resp.enabled, enabled);
        assert_eq!(
            without_bookkeeping(as_json(&resp)),
            without_bookkeeping(rest),
            "{flag}/{entity}"
        );
    }
    let given = read
        .post(
            "/evaluate/v1/boolean",
            json!({"requestId": "r-1", "flagKey": "always", "entityId": "u"}),
        )
        .await
        .1;
    assert_eq!(given["requestId"], "r-1");
    app.shutdown().await;
}

async fn batch_evaluation(backend: Backend) {
    let (app, read) = fixture(backend).await;
    let blue_entity = entity_where("color", |b| b < 500);
    let (status, batch) = read
        .post(
            "/evaluate/v1/batch",
            json!({
                "requestId": "batch-1",
                "requests": [
                    {"requestId": "a", "flagKey": "segbool", "entityId": "u", "context": {"plan": "pro"}},
                    {"requestId": "b", "namespaceKey": "", "flagKey": "missing", "entityId": "u"},
                    {"flagKey": "color", "namespaceKey": "default", "entityId": blue_entity, "context": {"plan": "pro"}},
                    {"requestId": "d", "namespaceKey": "nowhere", "flagKey": "color", "entityId": "u"},
                    {"requestId": "e", "flagKey": "disabled", "entityId": "u"},
                ],
            }),
        )
        .await;
    assert_eq!(status, 200, "{batch}");
    assert_eq!(batch["requestId"], "batch-1");
    assert_duration(&batch["requestDurationMillis"]);
    let items = batch["responses"].as_array().expect("responses");
    assert_eq!(items.len(), 5, "{batch}");
    // Every item has exactly `type` and its one response.
    for item in items {
        assert_eq!(item.as_object().expect("item").len(), 2, "{item}");
    }

    assert_eq!(items[0]["type"], "BOOLEAN_EVALUATION_RESPONSE_TYPE");
    let b = &items[0]["booleanResponse"];
    assert_boolean(b, "segbool", false, "MATCH", &["str"]);
    assert_eq!(b["requestId"], "a");

    assert_eq!(
        items[1],
        json!({"type": "ERROR_EVALUATION_RESPONSE_TYPE", "errorResponse": {
            "flagKey": "missing", "namespaceKey": "", "reason": "NOT_FOUND_ERROR_EVALUATION_REASON"}})
    );

    assert_eq!(items[2]["type"], "VARIANT_EVALUATION_RESPONSE_TYPE");
    let v = &items[2]["variantResponse"];
    assert_variant(
        v,
        "color",
        true,
        "MATCH",
        "blue",
        r##"{"hex":"#00f"}"##,
        &["str"],
    );
    // No id is generated for inner requests.
    assert_eq!(v["requestId"], "");

    assert_eq!(
        items[3],
        json!({"type": "ERROR_EVALUATION_RESPONSE_TYPE", "errorResponse": {
            "flagKey": "color", "namespaceKey": "nowhere", "reason": "NOT_FOUND_ERROR_EVALUATION_REASON"}})
    );
    let d = &items[4]["variantResponse"];
    assert_variant(d, "disabled", false, "FLAG_DISABLED", "v", "[1,2]", &[]);
    assert_eq!(d["requestId"], "e");

    // One timestamp and duration for every inner response: the batch's.
    for inner in [b, v, d] {
        assert_eq!(inner["timestamp"], b["timestamp"]);
        assert_eq!(
            inner["requestDurationMillis"],
            batch["requestDurationMillis"]
        );
    }

    // Empty batch; generated top-level id.
    let (status, empty) = read
        .post("/evaluate/v1/batch", json!({"requests": []}))
        .await;
    assert_eq!(status, 200, "{empty}");
    assert_uuid(&empty["requestId"]);
    assert_duration(&empty["requestDurationMillis"]);
    assert_eq!(
        empty,
        json!({"requestId": empty["requestId"], "responses": [], "requestDurationMillis": empty["requestDurationMillis"]})
    );
    let (status, nobody) = post_raw(&read, "/evaluate/v1/batch", "").await;
    assert_eq!(status, 200);
    assert_eq!(nobody["responses"], json!([]));

    // gRPC batch mirrors REST.
    let mut grpc = EvaluationServiceClient::connect(read.grpc_addr.clone())
        .await
        .expect("grpc connects");
    let resp = grpc
        .batch(ev::BatchEvaluationRequest {
            request_id: "g".into(),
            requests: vec![
                grpc_request("always", "u", &json!({})),
                grpc_request("missing", "u", &json!({})),
                grpc_request("typed", "vip-1", &json!({})),
            ],
            ..Default::default()
        })
        .await
        .expect("grpc batch")
        .into_inner();
    assert_eq!(resp.request_id, "g");
    let got = as_json(&resp);
    assert_eq!(got["responses"][0]["booleanResponse"]["enabled"], true);
    assert_eq!(
        got["responses"][1]["errorResponse"],
        json!({"flagKey": "missing", "namespaceKey": "", "reason": "NOT_FOUND_ERROR_EVALUATION_REASON"})
    );
    assert_eq!(got["responses"][2]["variantResponse"]["variantKey"], "ent");
    app.shutdown().await;
}

async fn legacy_evaluation(backend: Backend) {
    let (app, read) = fixture(backend).await;
    // A second namespace for the namespaced routes.
    let team = Fx::new(&app, "team").await;
    team.segment("everyone", false).await;
    team.flag("color", false, true).await;
    let green = team.variant("color", "green", "{ \"g\": true }").await;
    let rule = team.rule("color", 1, &["everyone"], false).await;
    team.dist("color", &rule, &green, 100.0).await;
    synced(&app, &read, "team").await;

    let blue_entity = entity_where("color", |b| b < 500);
    let (status, resp) = read
        .post(
            "/api/v1/evaluate",
            json!({"flagKey": "color", "entityId": blue_entity, "context": {"plan": "pro"}}),
        )
        .await;
    assert_eq!(status, 200, "{resp}");
    assert_uuid(&resp["requestId"]);
    assert_timestamp(&resp["timestamp"]);
    assert_duration(&resp["requestDurationMillis"]);
    assert_eq!(
        resp,
        json!({
            "requestId": resp["requestId"],
            "entityId": blue_entity,
            "requestContext": {"plan": "pro"},
            "match": true,
            "flagKey": "color",
            "segmentKey": "str",
            "timestamp": resp["timestamp"],
            "value": "blue",
            "requestDurationMillis": resp["requestDurationMillis"],
            "attachment": r##"{"hex":"#00f"}"##,
            "reason": "MATCH_EVALUATION_REASON",
            "namespaceKey": "",
            "segmentKeys": ["str"],
        })
    );

    // Legacy reasons: DEFAULT, FLAG_DISABLED, UNKNOWN; multi-segment segmentKey is the first.
    for (flag, entity, context, reason, value, segment_key) in [
        ("color", "u", json!({}), "DEFAULT", "red", ""),
        ("disabled", "u", json!({}), "FLAG_DISABLED", "v", ""),
        ("plain", "u", json!({}), "UNKNOWN", "", ""),
        (
            "typed",
            "u",
            json!({"admin": "1", "signup": "2020-01-01"}),
            "MATCH",
            "or",
            "bool",
        ),
    ] {
        let (status, resp) = read
            .post(
                "/api/v1/evaluate",
                json!({"requestId": "L", "namespaceKey": "default", "flagKey": flag, "entityId": entity, "context": context}),
            )
            .await;
        assert_eq!(status, 200, "{resp}");
        assert_eq!(resp["requestId"], "L");
        assert_eq!(resp["namespaceKey"], "default");
        assert_eq!(
            resp["reason"],
            format!("{reason}_EVALUATION_REASON"),
            "{resp}"
        );
        assert_eq!(resp["value"], value);
        assert_eq!(resp["segmentKey"], segment_key);
    }

    // Namespaced route: the path decides.
    let (status, resp) = read
        .post(
            "/api/v1/namespaces/team/evaluate",
            json!({"flagKey": "color", "entityId": "u"}),
        )
        .await;
    assert_eq!(status, 200, "{resp}");
    assert_eq!(resp["namespaceKey"], "team");
    assert_eq!(resp["value"], "green");
    assert_eq!(resp["attachment"], r#"{"g":true}"#);
    assert_eq!(resp["requestContext"], json!({}));
    assert_eq!(resp["segmentKeys"], json!(["everyone"]));

    // Batch: excludeNotFound skips unknown flags; inner bookkeeping is blanked.
    let (status, batch) = read
        .post(
            "/api/v1/batch-evaluate",
            json!({
                "requestId": "B",
                "excludeNotFound": true,
                "requests": [
                    {"requestId": "x", "flagKey": "color", "entityId": "u"},
                    {"flagKey": "missing", "entityId": "u"},
                    {"flagKey": "plain", "entityId": "", "namespaceKey": "default"},
                ],
            }),
        )
        .await;
    assert_eq!(status, 200, "{batch}");
    assert_eq!(batch["requestId"], "B");
    assert_duration(&batch["requestDurationMillis"]);
    let items = batch["responses"].as_array().expect("responses");
    assert_eq!(items.len(), 2, "{batch}");
    for item in items {
        assert_eq!(item["requestId"], "");
        assert_eq!(item["requestDurationMillis"], 0.0);
        assert_eq!(item["namespaceKey"], "default");
        assert_eq!(item["timestamp"], items[0]["timestamp"]);
        assert_timestamp(&item["timestamp"]);
    }
    assert_eq!(items[0]["value"], "red");
    assert_eq!(items[0]["reason"], "DEFAULT_EVALUATION_REASON");
    assert_eq!(items[1]["flagKey"], "plain");
    assert_eq!(items[1]["entityId"], "");

    // Without excludeNotFound the unknown flag fails the call.
    let (status, err) = read
        .post(
            "/api/v1/batch-evaluate",
            json!({"requests": [{"flagKey": "color", "entityId": "u"}, {"flagKey": "missing", "entityId": "u"}]}),
        )
        .await;
    assert_error(status, &err, 404, 5, "flag \"default/missing\" not found");

    // Namespace mismatch; namespaced batch route.
    let (status, err) = read
        .post(
            "/api/v1/batch-evaluate",
            json!({"namespaceKey": "team", "requests": [{"flagKey": "color", "entityId": "u", "namespaceKey": "default"}]}),
        )
        .await;
    assert_error(
        status,
        &err,
        400,
        3,
        "invalid field namespace_key: must be the same for all requests if specified",
    );
    let (status, batch) = read
        .post(
            "/api/v1/namespaces/team/batch-evaluate",
            json!({"requests": [{"flagKey": "color", "entityId": "u"}]}),
        )
        .await;
    assert_eq!(status, 200, "{batch}");
    assert_eq!(batch["responses"][0]["value"], "green");
    assert_eq!(batch["responses"][0]["namespaceKey"], "team");

    // Validation of the single route.
    let (status, err) = read
        .post("/api/v1/evaluate", json!({"entityId": "u"}))
        .await;
    assert_error(
        status,
        &err,
        400,
        3,
        "invalid field flagKey: must not be empty",
    );
    let (status, err) = read
        .post("/api/v1/evaluate", json!({"flagKey": "color"}))
        .await;
    assert_error(
        status,
        &err,
        400,
        3,
        "invalid field entityId: must not be empty",
    );
    let (status, err) = read
        .post(
            "/api/v1/evaluate",
            json!({"flagKey": "pct", "entityId": "u"}),
        )
        .await;
    assert_error(status, &err, 400, 3, "flag type BOOLEAN_FLAG_TYPE invalid");
    let (status, err) = read
        .post(
            "/api/v1/namespaces/team/evaluate",
            json!({"flagKey": "plain", "entityId": "u"}),
        )
        .await;
    assert_error(status, &err, 404, 5, "flag \"team/plain\" not found");

    // gRPC flipt.Flipt/Evaluate on the read instance.
    let mut flipt = flipt_proto::flipt::flipt_client::FliptClient::connect(read.grpc_addr.clone())
        .await
        .expect("grpc connects");
    let resp = flipt
        .evaluate(pb::EvaluationRequest {
            flag_key: "color".into(),
            entity_id: blue_entity.clone(),
            context: BTreeMap::from([("plan".to_owned(), "pro".to_owned())]),
            ..Default::default()
        })
        .await
        .expect("grpc evaluate")
        .into_inner();
    assert!(resp.r#match);
    assert_eq!(resp.value, "blue");
    assert_eq!(
        resp.reason,
        pb::EvaluationReason::MatchEvaluationReason as i32
    );
    assert_eq!(resp.segment_keys, ["str"]);
    assert_eq!(resp.namespace_key, "");
    assert_uuid(&json!(resp.request_id));
    let status = flipt
        .evaluate(pb::EvaluationRequest {
            flag_key: "nope".into(),
            entity_id: "u".into(),
            ..Default::default()
        })
        .await
        .expect_err("unknown flag");
    assert_eq!(status.code(), tonic::Code::NotFound);
    assert_eq!(status.message(), "flag \"default/nope\" not found");
    let batch = flipt
        .batch_evaluate(pb::BatchEvaluationRequest {
            namespace_key: "team".into(),
            requests: vec![pb::EvaluationRequest {
                flag_key: "color".into(),
                entity_id: "u".into(),
                ..Default::default()
            }],
            ..Default::default()
        })
        .await
        .expect("grpc batch evaluate")
        .into_inner();
    assert_eq!(batch.responses.len(), 1);
    assert_eq!(batch.responses[0].value, "green");
    app.shutdown().await;
}

async fn evaluation_errors(backend: Backend) {
    let (app, read) = fixture(backend).await;

    let (status, err) = read
        .post("/evaluate/v1/variant", req("x", "u", json!({})))
        .await;
    assert_error(status, &err, 404, 5, "flag \"default/x\" not found");
    let (status, err) = read
        .post("/evaluate/v1/boolean", req("x", "u", json!({})))
        .await;
    assert_error(status, &err, 404, 5, "flag \"default/x\" not found");
    let (status, err) = read
        .post("/evaluate/v1/variant", req("", "u", json!({})))
        .await;
    assert_error(status, &err, 404, 5, "flag \"default\" not found");
    // Unknown namespace.
    let (status, err) = read
        .post(
            "/evaluate/v1/variant",
            json!({"namespaceKey": "ghost", "flagKey": "color", "entityId": "u"}),
        )
        .await;
    assert_error(status, &err, 404, 5, "flag \"ghost/color\" not found");

    // Wrong flag type.
    let (status, err) = read
        .post("/evaluate/v1/variant", req("pct", "u", json!({})))
        .await;
    assert_error(status, &err, 400, 3, "flag type BOOLEAN_FLAG_TYPE invalid");
    let (status, err) = read
        .post("/evaluate/v1/boolean", req("color", "u", json!({})))
        .await;
    assert_error(status, &err, 400, 3, "flag type VARIANT_FLAG_TYPE invalid");

    // Context values must be strings (null is "").
    for context in [json!({"age": 21}), json!({"admin": true}), json!({"o": {}})] {
        let (status, err) = read
            .post("/evaluate/v1/variant", req("typed", "u", context))
            .await;
        assert_error(
            status,
            &err,
            400,
            3,
            "invalid values for key(s) in json body",
        );
    }
    let (status, err) = read
        .post(
            "/evaluate/v1/batch",
            json!({"requests": [req("typed", "u", json!({"n": 1.5}))]}),
        )
        .await;
    assert_error(
        status,
        &err,
        400,
        3,
        "invalid values for key(s) in json body",
    );
    let (status, err) = read
        .post("/api/v1/evaluate", req("typed", "u", json!({"n": 1})))
        .await;
    assert_error(
        status,
        &err,
        400,
        3,
        "invalid values for key(s) in json body",
    );
    let ok = boolean(&read, "segbool", "u", json!({"plan": null})).await;
    assert_boolean(&ok, "segbool", true, "DEFAULT", &[]);

    // Malformed JSON.
    let (status, err) = post_raw(&read, "/evaluate/v1/variant", "{\"flagKey\": ").await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(err["code"], 3);
    assert_eq!(err["details"], json!([]));
    let (status, err) = post_raw(&read, "/evaluate/v1/boolean", "not json").await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(err["code"], 3);

    // A huge context is answered.
    let context: serde_json::Map<String, Value> = (0..10_000)
        .map(|i| (format!("key-{i}"), json!(format!("value-{i}"))))
        .collect();
    let mut big = context.clone();
    big.insert("plan".into(), json!("pro"));
    let resp = variant(&read, "typed", "u", Value::Object(big)).await;
    assert_eq!(resp["reason"], "UNKNOWN_EVALUATION_REASON");
    let resp = boolean(&read, "segbool", "u", Value::Object(context)).await;
    assert_eq!(resp["reason"], "DEFAULT_EVALUATION_REASON");

    // gRPC errors.
    let mut grpc = EvaluationServiceClient::connect(read.grpc_addr.clone())
        .await
        .expect("grpc connects");
    let status = grpc
        .variant(grpc_request("x", "u", &json!({})))
        .await
        .expect_err("not found");
    assert_eq!(status.code(), tonic::Code::NotFound);
    assert_eq!(status.message(), "flag \"default/x\" not found");
    let status = grpc
        .boolean(grpc_request("color", "u", &json!({})))
        .await
        .expect_err("wrong type");
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert_eq!(status.message(), "flag type VARIANT_FLAG_TYPE invalid");
    app.shutdown().await;
}

/// Attachments are stored as text and returned compacted by removing whitespace only:
/// number spelling, escapes and key order are kept (evaluation.md §1.4, §1.11 item 6), and the
/// snapshot's `defaultVariant.attachment` is the stored text verbatim (§9.3 item 2). SQLite and
/// MariaDB keep the text as written; PostgreSQL's JSONB column re-renders it (api.md §4.3), so
/// it is left out here.
async fn attachment_text_preserved(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let fx = Fx::new(&app, "default").await;
    fx.segment("everyone", false).await;
    fx.flag("att", false, true).await;
    let text = "{ \"n\": 1.50, \"e\": 1e2, \"s\": \"caf\\u00e9\", \"z\": 0, \"a\": [ 1 ] }";
    let compact = r#"{"n":1.50,"e":1e2,"s":"caf\u00e9","z":0,"a":[1]}"#;
    let v = fx.variant("att", "v", text).await;
    fx.default_variant("att", true, &v).await;
    fx.rule("att", 1, &["everyone"], false).await;
    let read = ReadApp::spawn(app.database_url()).await;
    synced(&app, &read, "default").await;

    let resp = variant(&read, "att", "u", json!({})).await;
    assert_eq!(resp["variantAttachment"], compact, "evaluation attachment");
    let snapshot = read
        .http
        .get(format!(
            "{}/internal/v1/evaluation/snapshot/namespace/default",
            read.http_base
        ))
        .header("X-Flipt-Accept-Server-Version", "1.47.0")
        .send()
        .await
        .expect("snapshot")
        .json::<Value>()
        .await
        .expect("json");
    assert_eq!(
        snapshot["flags"][0]["defaultVariant"]["attachment"], text,
        "snapshot default variant attachment"
    );
    app.shutdown().await;
}

mod attachment_text_preserved {
    use crate::harness::Backend;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::attachment_text_preserved(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn mysql() {
        super::attachment_text_preserved(Backend::MySql).await;
    }
}
