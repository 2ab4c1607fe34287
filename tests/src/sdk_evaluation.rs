//! Real clients we did not write, against a read instance:
//!
//! - the official Python server SDK (`flipt` 2.0.0 on PyPI) evaluating over REST;
//! - the client-side SDK (`flipt-client` 1.4.1 on PyPI), which embeds Flipt's own evaluation
//!   engine, downloads the namespace snapshot and evaluates locally: its answers must agree
//!   with the read tier's wherever evaluation.md §9.7 says the engines agree (string
//!   constraints, integer numbers, `true`/`false`, distributions summing to 100 with exact
//!   widths, thresholds, segment rollouts).
//!
//! `TEST_PYTHON` names a Python with both packages (`.ci/run` creates `.venv` and exports it).
//! Locally: `python3 -m venv .venv && .venv/bin/pip install flipt==2.0.0 flipt-client==1.4.1`
//! and `TEST_PYTHON=$PWD/.venv/bin/python`. Without it the tests fail rather than pass silently.

use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

use crate::evaluation::{build_fixture, entity_where, synced, Fx};
use crate::harness::{Backend, TestApp};
use crate::read_harness::ReadApp;

fn python() -> String {
    match std::env::var("TEST_PYTHON") {
        Ok(path) if !path.is_empty() => path,
        _ => panic!(
            "TEST_PYTHON is not set: point it at a Python with the Flipt SDKs installed \
             (python3 -m venv .venv && .venv/bin/pip install flipt==2.0.0 flipt-client==1.4.1; \
             TEST_PYTHON=$PWD/.venv/bin/python), as .ci/run does"
        ),
    }
}

/// Runs `tests/python/<script>` with the arguments and `input` on stdin; returns its stdout
/// parsed as JSON.
async fn run_script(script: &str, args: &[&str], input: &Value) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("python")
        .join(script);
    let mut child = tokio::process::Command::new(python())
        .arg(&path)
        .args(args)
        .env_remove("PYTHONPATH")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()));
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(input.to_string().as_bytes())
        .await
        .expect("write stdin");
    drop(stdin);
    let output = tokio::time::timeout(
        std::time::Duration::from_secs(120),
        child.wait_with_output(),
    )
    .await
    .unwrap_or_else(|_| panic!("{script} did not finish within 120 s"))
    .expect("script output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed ({}):\nstdout: {stdout}\nstderr: {stderr}",
        output.status
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{script} printed no JSON ({e}):\n{stdout}\nstderr: {stderr}"))
}

fn question(flag: &str, entity: &str, context: Value) -> Value {
    json!({"namespace": "default", "flag": flag, "entity": entity, "context": context})
}

fn rest_request(q: &Value) -> Value {
    json!({"namespaceKey": q["namespace"], "flagKey": q["flag"], "entityId": q["entity"], "context": q["context"]})
}

/// Keeps the fields both answers carry and that do not vary per call.
fn comparable(value: &Value, keys: &[&str]) -> Value {
    Value::Object(
        keys.iter()
            .map(|k| ((*k).to_owned(), value[*k].clone()))
            .collect(),
    )
}

/// The client engine reports matched segment keys in hash-map order (evaluation.md §4.4:
/// unspecified); the server sorts them (DESIGN.md §6). Compare the client's as a set.
fn sorted_segments(mut answer: Value) -> Value {
    if let Some(keys) = answer["segmentKeys"].as_array_mut() {
        keys.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    answer
}

const VARIANT_FIELDS: &[&str] = &[
    "match",
    "segmentKeys",
    "reason",
    "flagKey",
    "variantKey",
    "variantAttachment",
];
const BOOLEAN_FIELDS: &[&str] = &["enabled", "flagKey", "reason", "segmentKeys"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_sdk_evaluates_on_read_instance() {
    python();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let fx = Fx::new(&app, "default").await;
    build_fixture(&fx).await;
    let read = ReadApp::spawn(app.database_url()).await;
    synced(&app, &read, "default").await;

    let blue = entity_where("color", |b| b < 500);
    let red = entity_where("color", |b| b >= 500);
    let variants = vec![
        question("color", &blue, json!({"plan": "pro"})),
        question("color", &red, json!({"plan": "pro"})),
        question("color", "u", json!({})),
        question("disabled", "u", json!({})),
        question("plain", "u", json!({})),
        question("typed", "u", json!({"plan": "pro", "age": "40"})),
        question("typed", "vip-1", json!({})),
        question("nodist", "u", json!({})),
    ];
    let booleans = vec![
        question("pct", "user-1", json!({})),
        question("pct", "user-2", json!({})),
        question("segbool", "u", json!({"plan": "pro"})),
        question("segbool", "u", json!({})),
        question("andbool", "u", json!({"plan": "pro", "age": "18"})),
        question("always", "u", json!({})),
    ];
    let batch = vec![
        question("segbool", "u", json!({"plan": "pro"})),
        question("missing", "u", json!({})),
        question("color", &blue, json!({"plan": "pro"})),
    ];
    let out = run_script(
        "sdk_server_evaluation.py",
        &[read.http_base.as_str()],
        &json!({
            "variant": variants,
            "boolean": booleans,
            "batch": batch,
            "missing": question("nope", "u", json!({})),
        }),
    )
    .await;

    for (q, got) in variants
        .iter()
        .zip(out["variant"].as_array().expect("variant"))
    {
        let (status, want) = read.post("/evaluate/v1/variant", rest_request(q)).await;
        assert_eq!(status, 200, "{want}");
        assert_eq!(
            comparable(got, VARIANT_FIELDS),
            comparable(&want, VARIANT_FIELDS),
            "{q}"
        );
        crate::evaluation::assert_timestamp(&got["timestamp"]);
    }
    for (q, got) in booleans
        .iter()
        .zip(out["boolean"].as_array().expect("boolean"))
    {
        let (status, want) = read.post("/evaluate/v1/boolean", rest_request(q)).await;
        assert_eq!(status, 200, "{want}");
        assert_eq!(
            comparable(got, BOOLEAN_FIELDS),
            comparable(&want, BOOLEAN_FIELDS),
            "{q}"
        );
    }

    let got = &out["batch"];
    assert_eq!(got["requestId"], "sdk-batch");
    let items = got["responses"].as_array().expect("responses");
    assert_eq!(items.len(), 3, "{got}");
    let requests: Vec<Value> = batch.iter().map(rest_request).collect();
    let (status, want) = read
        .post("/evaluate/v1/batch", json!({"requests": requests}))
        .await;
    assert_eq!(status, 200, "{want}");
    assert_eq!(items[0]["type"], "BOOLEAN_EVALUATION_RESPONSE_TYPE");
    assert_eq!(
        comparable(&items[0]["booleanResponse"], BOOLEAN_FIELDS),
        comparable(&want["responses"][0]["booleanResponse"], BOOLEAN_FIELDS)
    );
    assert_eq!(items[1]["type"], "ERROR_EVALUATION_RESPONSE_TYPE");
    assert_eq!(
        items[1]["errorResponse"],
        json!({"flagKey": "missing", "namespaceKey": "default", "reason": "NOT_FOUND_ERROR_EVALUATION_REASON"})
    );
    assert_eq!(items[2]["type"], "VARIANT_EVALUATION_RESPONSE_TYPE");
    assert_eq!(
        comparable(&items[2]["variantResponse"], VARIANT_FIELDS),
        comparable(&want["responses"][2]["variantResponse"], VARIANT_FIELDS)
    );
    assert_eq!(items[2]["variantResponse"]["variantKey"], "blue");

    assert_eq!(
        out["missing"],
        json!({"status": 404, "message": "flag \"default/nope\" not found"})
    );
    app.shutdown().await;
}

/// Namespace `client`: only constructs on which Flipt's client engine and server agree.
async fn build_client_fixture(fx: &Fx<'_>) {
    fx.segment("pro", false).await;
    fx.constraint("pro", "STRING", "plan", "eq", "pro").await;
    fx.segment("adult", false).await;
    fx.constraint("adult", "NUMBER", "age", "gte", "18").await;
    fx.segment("admin", false).await;
    fx.constraint("admin", "BOOLEAN", "admin", "true", "").await;
    fx.segment("eu", true).await;
    fx.constraint("eu", "STRING", "country", "isoneof", r#"["fr","de"]"#)
        .await;
    fx.constraint("eu", "STRING", "region", "prefix", "eu-")
        .await;
    fx.segment("vip", false).await;
    fx.constraint(
        "vip",
        "ENTITY_ID",
        "entityId",
        "isoneof",
        r#"["user-7","user-77"]"#,
    )
    .await;
    fx.segment("everyone", false).await;

    // exp: AND rule 25/75, ANY-segment rule 50/50, boolean-constraint rule 100; default off.
    fx.flag("exp", false, true).await;
    let a = fx.variant("exp", "a", "{\"k\": \"a\"}").await;
    let b = fx.variant("exp", "b", "").await;
    let c = fx.variant("exp", "c", "").await;
    let d = fx.variant("exp", "d", "").await;
    let e = fx.variant("exp", "e", "").await;
    let off = fx.variant("exp", "off", "").await;
    fx.default_variant("exp", true, &off).await;
    let r = fx.rule("exp", 1, &["vip"], false).await;
    fx.dist("exp", &r, &e, 100.0).await;
    let r = fx.rule("exp", 2, &["pro", "adult"], true).await;
    fx.dist("exp", &r, &a, 25.0).await;
    fx.dist("exp", &r, &b, 75.0).await;
    let r = fx.rule("exp", 3, &["eu"], false).await;
    fx.dist("exp", &r, &c, 50.0).await;
    fx.dist("exp", &r, &d, 50.0).await;
    let r = fx.rule("exp", 4, &["admin"], false).await;
    fx.dist("exp", &r, &e, 100.0).await;

    // split: everyone, four quarters.
    fx.flag("split", false, true).await;
    let r = fx.rule("split", 1, &["everyone"], false).await;
    for key in ["q1", "q2", "q3", "q4"] {
        let v = fx.variant("split", key, "").await;
        fx.dist("split", &r, &v, 25.0).await;
    }

    // noshow: no rules, no default.
    fx.flag("noshow", false, true).await;
    fx.variant("noshow", "x", "").await;

    // Boolean flags.
    fx.flag("rollout", true, true).await;
    fx.threshold("rollout", 1, 30.0, true).await;
    fx.segment_rollout("rollout", 2, &["pro"], false, false)
        .await;
    fx.flag("gated", true, false).await;
    fx.segment_rollout("gated", 1, &["pro", "admin"], true, true)
        .await;
    fx.segment_rollout("gated", 2, &["eu", "vip"], false, true)
        .await;
    fx.flag("half", true, false).await;
    fx.threshold("half", 1, 50.0, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_sdk_agrees_with_read_instance() {
    python();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let fx = Fx::new(&app, "client").await;
    build_client_fixture(&fx).await;
    let read = ReadApp::spawn(app.database_url()).await;
    synced(&app, &read, "client").await;

    let contexts = [
        json!({}),
        json!({"plan": "pro", "age": "30"}),
        json!({"plan": "pro", "age": "12"}),
        json!({"country": "de"}),
        json!({"region": "eu-west", "admin": "true"}),
        json!({"admin": "false", "plan": "pro"}),
        json!({"plan": "pro", "admin": "true", "age": "18"}),
    ];
    let mut variant_q = Vec::new();
    let mut boolean_q = Vec::new();
    for i in 0..600 {
        let entity = format!("user-{i}");
        let context = &contexts[i % contexts.len()];
        for flag in ["exp", "split", "noshow"] {
            variant_q.push(json!([flag, entity, context]));
        }
        for flag in ["rollout", "gated", "half"] {
            boolean_q.push(json!([flag, entity, context]));
        }
    }
    let out = run_script(
        "sdk_client_evaluation.py",
        &[read.http_base.as_str(), "client"],
        &json!({"variant": variant_q, "boolean": boolean_q}),
    )
    .await;
    // The engine lists the snapshot's flags (in no particular order).
    let mut listed: Vec<&str> = out["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    listed.sort_unstable();
    assert_eq!(
        listed,
        ["exp", "gated", "half", "noshow", "rollout", "split"]
    );

    /// The server's answers for the questions, via batches.
    async fn server(read: &ReadApp, questions: &[Value], kind: &str) -> Vec<Value> {
        let mut answers = Vec::new();
        for chunk in questions.chunks(500) {
            let requests: Vec<Value> = chunk
                .iter()
                .map(|q| json!({"namespaceKey": "client", "flagKey": q[0], "entityId": q[1], "context": q[2]}))
                .collect();
            let (status, body) = read
                .post("/evaluate/v1/batch", json!({"requests": requests}))
                .await;
            assert_eq!(status, 200, "{body}");
            for item in body["responses"].as_array().expect("responses") {
                answers.push(item[kind].clone());
            }
        }
        answers
    }

    let want = server(&read, &variant_q, "variantResponse").await;
    let got = out["variant"].as_array().expect("variant");
    assert_eq!(got.len(), want.len());
    let mut variants_seen = std::collections::BTreeSet::new();
    for ((q, got), want) in variant_q.iter().zip(got).zip(&want) {
        assert_eq!(
            sorted_segments(comparable(got, VARIANT_FIELDS)),
            comparable(want, VARIANT_FIELDS),
            "client engine and read tier disagree on {q}"
        );
        variants_seen.insert(want["variantKey"].as_str().unwrap_or_default().to_owned());
    }
    // The questions exercised every outcome of the fixture.
    for key in ["a", "b", "c", "d", "e", "off", "q1", "q2", "q3", "q4", ""] {
        assert!(
            variants_seen.contains(key),
            "no answer was {key:?}: {variants_seen:?}"
        );
    }

    let want = server(&read, &boolean_q, "booleanResponse").await;
    let got = out["boolean"].as_array().expect("boolean");
    assert_eq!(got.len(), want.len());
    let mut reasons = std::collections::BTreeSet::new();
    for ((q, got), want) in boolean_q.iter().zip(got).zip(&want) {
        assert_eq!(
            sorted_segments(comparable(got, BOOLEAN_FIELDS)),
            comparable(want, BOOLEAN_FIELDS),
            "client engine and read tier disagree on {q}"
        );
        reasons.insert(format!("{}/{}", want["reason"], want["enabled"]));
    }
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    app.shutdown().await;
}
