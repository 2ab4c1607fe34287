//! OFREP on a read instance (evaluation.md §10, api.md §7; DESIGN.md §6: numeric and boolean
//! context values are accepted and converted to strings): configuration, single and bulk
//! evaluation, OFREP's own error body, the `X-Flipt-Namespace` header.

use serde_json::{json, Value};

use crate::evaluation::{build_fixture, entity_where, synced, Fx};
use crate::harness::{Backend, TestApp};
use crate::read_harness::ReadApp;

/// A raw OFREP answer.
struct Reply {
    status: u16,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// Asserts OFREP's error body, byte for byte (keys in order, trailing newline).
    fn assert_error(&self, status: u16, key: Option<&str>, code: &str, details: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.content_type, "application/json");
        let mut want = serde_json::Map::new();
        if let Some(key) = key {
            want.insert("key".into(), key.into());
        }
        want.insert("errorCode".into(), code.into());
        want.insert("errorDetails".into(), details.into());
        assert_eq!(self.body, format!("{}\n", Value::Object(want)));
    }
}

async fn call(read: &ReadApp, path: &str, namespace: Option<&str>, body: &str) -> Reply {
    let mut req = read
        .http
        .post(format!("{}{path}", read.http_base))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(ns) = namespace {
        req = req.header("X-Flipt-Namespace", ns);
    }
    let resp = req.send().await.expect("ofrep request");
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Reply {
        status,
        content_type,
        body: resp.text().await.expect("body"),
    }
}

async fn flag(read: &ReadApp, key: &str, context: Value) -> Value {
    let reply = call(
        read,
        &format!("/ofrep/v1/evaluate/flags/{key}"),
        None,
        &json!({"context": context}).to_string(),
    )
    .await;
    assert_eq!(reply.status, 200, "{key}: {}", reply.body);
    reply.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ofrep_configuration_and_evaluation() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let fx = Fx::new(&app, "default").await;
    build_fixture(&fx).await;
    let team = Fx::new(&app, "team").await;
    team.flag("only-team", true, true).await;
    let read = ReadApp::spawn(app.database_url()).await;
    synced(&app, &read, "default").await;
    synced(&app, &read, "team").await;

    // Configuration: no evaluation cache, so no polling is advertised.
    let (status, config) = read.get("/ofrep/v1/configuration").await;
    assert_eq!(status, 200);
    assert_eq!(
        config,
        json!({"name": "flipt", "capabilities": {
            "cacheInvalidation": {"polling": {"enabled": false, "minPollingIntervalMs": 0}},
            "flagEvaluation": {"supportedTypes": ["string", "boolean"]}}})
    );

    // Variant flags: metadata carries matched segments and the compacted attachment.
    let blue = entity_where("color", |b| b < 500);
    assert_eq!(
        flag(&read, "color", json!({"targetingKey": blue, "plan": "pro"})).await,
        json!({"key": "color", "reason": "TARGETING_MATCH", "variant": "blue",
               "metadata": {"segments": "str", "attachment": r##"{"hex":"#00f"}"##}, "value": "blue"})
    );
    assert_eq!(
        flag(&read, "color", json!({"targetingKey": "u"})).await,
        json!({"key": "color", "reason": "DEFAULT", "variant": "red", "metadata": {}, "value": "red"})
    );
    assert_eq!(
        flag(
            &read,
            "typed",
            json!({"targetingKey": "u", "plan": "pro", "age": "30"})
        )
        .await,
        json!({"key": "typed", "reason": "TARGETING_MATCH", "variant": "and",
               "metadata": {"segments": "num,str"}, "value": "and"})
    );
    assert_eq!(
        flag(&read, "disabled", json!({"targetingKey": "u"})).await,
        json!({"key": "disabled", "reason": "DISABLED", "variant": "v",
               "metadata": {"attachment": "[1,2]"}, "value": "v"})
    );
    assert_eq!(
        flag(&read, "plain", json!({"targetingKey": "u"})).await,
        json!({"key": "plain", "reason": "UNKNOWN", "variant": "", "metadata": {}, "value": ""})
    );
    // The entity id comes from targetingKey (an entity-id constraint sees it).
    assert_eq!(
        flag(&read, "typed", json!({"targetingKey": "vip-1"})).await["variant"],
        "ent"
    );

    // Boolean flags: variant "true"/"false", a JSON bool, no segment metadata.
    assert_eq!(
        flag(
            &read,
            "segbool",
            json!({"targetingKey": "u", "plan": "pro"})
        )
        .await,
        json!({"key": "segbool", "reason": "TARGETING_MATCH", "variant": "false", "metadata": {}, "value": false})
    );
    assert_eq!(
        flag(&read, "segbool", json!({"targetingKey": "u"})).await,
        json!({"key": "segbool", "reason": "DEFAULT", "variant": "true", "metadata": {}, "value": true})
    );
    assert_eq!(
        flag(&read, "always", json!({})).await,
        json!({"key": "always", "reason": "TARGETING_MATCH", "variant": "true", "metadata": {}, "value": true})
    );

    // Numbers and booleans in the context are accepted and converted to strings.
    assert_eq!(
        flag(
            &read,
            "typed",
            json!({"targetingKey": "u", "plan": "pro", "age": 21})
        )
        .await["variant"],
        "and"
    );
    assert_eq!(
        flag(&read, "typed", json!({"targetingKey": "u", "admin": true})).await,
        json!({"key": "typed", "reason": "TARGETING_MATCH", "variant": "or",
               "metadata": {"segments": "bool"}, "value": "or"})
    );
    assert_eq!(
        flag(
            &read,
            "typed",
            json!({"targetingKey": "u", "plan": "pro", "age": 17.5})
        )
        .await["reason"],
        "UNKNOWN"
    );
    // An empty body is an empty context.
    let reply = call(&read, "/ofrep/v1/evaluate/flags/always", None, "").await;
    assert_eq!(reply.status, 200, "{}", reply.body);

    // Bulk: every boolean flag and every enabled variant flag, in creation order.
    let reply = call(
        &read,
        "/ofrep/v1/evaluate/flags",
        None,
        &json!({"context": {"targetingKey": "u", "plan": "pro"}}).to_string(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let bulk = reply.json();
    let keys: Vec<&str> = bulk["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .filter_map(|f| f["key"].as_str())
        .collect();
    assert_eq!(
        keys,
        ["color", "plain", "typed", "nodist", "partial", "pct", "segbool", "andbool", "always"]
    );
    assert_eq!(
        bulk["flags"][6],
        json!({"key": "segbool", "reason": "TARGETING_MATCH", "variant": "false", "metadata": {}, "value": false})
    );
    // The `flags` context key picks and orders the flags (and stays in the context).
    let reply = call(
        &read,
        "/ofrep/v1/evaluate/flags",
        None,
        &json!({"context": {"targetingKey": "u", "flags": " segbool , disabled"}}).to_string(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.json(),
        json!({"flags": [
            {"key": "segbool", "reason": "DEFAULT", "variant": "true", "metadata": {}, "value": true},
            {"key": "disabled", "reason": "DISABLED", "variant": "v", "metadata": {"attachment": "[1,2]"}, "value": "v"},
        ]})
    );
    // One unknown flag fails the whole request.
    call(
        &read,
        "/ofrep/v1/evaluate/flags",
        None,
        &json!({"context": {"flags": "color,nope"}}).to_string(),
    )
    .await
    .assert_error(
        404,
        Some("nope"),
        "FLAG_NOT_FOUND",
        "flag was not found nope",
    );

    // X-Flipt-Namespace selects the namespace, for single and bulk.
    call(&read, "/ofrep/v1/evaluate/flags/only-team", None, "{}")
        .await
        .assert_error(
            404,
            Some("only-team"),
            "FLAG_NOT_FOUND",
            "flag was not found only-team",
        );
    let reply = call(
        &read,
        "/ofrep/v1/evaluate/flags/only-team",
        Some("team"),
        "{}",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.json(),
        json!({"key": "only-team", "reason": "DEFAULT", "variant": "true", "metadata": {}, "value": true})
    );
    let reply = call(&read, "/ofrep/v1/evaluate/flags", Some("team"), "{}").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["flags"].as_array().map(Vec::len), Some(1));
    let reply = call(&read, "/ofrep/v1/evaluate/flags", Some("ghost"), "{}").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json(), json!({"flags": []}));
    call(&read, "/ofrep/v1/evaluate/flags/color", Some("ghost"), "{}")
        .await
        .assert_error(
            404,
            Some("color"),
            "FLAG_NOT_FOUND",
            "flag was not found color",
        );

    // Errors.
    call(
        &read,
        "/ofrep/v1/evaluate/flags/x",
        None,
        "{\"context\": {}}",
    )
    .await
    .assert_error(404, Some("x"), "FLAG_NOT_FOUND", "flag was not found x");
    call(
        &read,
        "/ofrep/v1/evaluate/flags/color",
        None,
        "{\"context\": {\"o\": {\"nested\": 1}}}",
    )
    .await
    .assert_error(
        400,
        None,
        "INVALID_CONTEXT",
        "invalid values for key(s) in json body",
    );
    call(
        &read,
        "/ofrep/v1/evaluate/flags/color",
        None,
        "{\"context\": [1]}",
    )
    .await
    .assert_error(
        400,
        None,
        "INVALID_CONTEXT",
        "invalid values for key(s) in json body",
    );
    let reply = call(&read, "/ofrep/v1/evaluate/flags/color", None, "{oops").await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(reply.json()["errorCode"], "INVALID_CONTEXT");
    assert!(reply.body.ends_with('\n'));
    app.shutdown().await;
}
