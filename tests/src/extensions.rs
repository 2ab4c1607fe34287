//! This implementation's additions (package `flipt.extensions`): server-side flag, segment and
//! namespace copy and segment usage, over REST and gRPC.

use flipt_proto::flipt::extensions as ext;
use flipt_proto::flipt::extensions::extensions_client::ExtensionsClient;
use serde_json::{json, Value};
use tonic::transport::Channel;

use crate::backend_tests;
use crate::harness::{assert_error, Backend, TestApp};

const NS: &str = "/api/v1/namespaces";

async fn extensions(app: &TestApp) -> ExtensionsClient<Channel> {
    ExtensionsClient::connect(app.grpc_addr.clone())
        .await
        .expect("grpc connects")
}

async fn get_ok(app: &TestApp, path: &str) -> Value {
    let (status, body) = app.get(path).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

async fn namespace(app: &TestApp, key: &str) {
    app.post_ok(NS, json!({"key": key, "name": key})).await;
}

async fn segment(app: &TestApp, ns: &str, key: &str, name: &str, constraints: &[&str]) {
    app.post_ok(
        &format!("{NS}/{ns}/segments"),
        json!({"key": key, "name": name, "matchType": "ANY_MATCH_TYPE"}),
    )
    .await;
    for property in constraints {
        app.post_ok(
            &format!("{NS}/{ns}/segments/{key}/constraints"),
            json!({"type": "STRING_COMPARISON_TYPE", "property": property, "operator": "eq", "value": "v", "description": "d"}),
        )
        .await;
    }
}

/// A rule or rollout without its ids and timestamps; distributions by variant key.
fn shape(item: &Value, variant_keys: &[(String, String)]) -> Value {
    let mut item = item.clone();
    let obj = item.as_object_mut().expect("object");
    for key in ["id", "flagKey", "namespaceKey", "createdAt", "updatedAt"] {
        obj.remove(key);
    }
    if let Some(Value::Array(ds)) = obj.get_mut("distributions") {
        for d in ds.iter_mut() {
            let variant = d["variantId"].as_str().unwrap_or_default().to_owned();
            let key = variant_keys
                .iter()
                .find(|(id, _)| *id == variant)
                .map(|(_, k)| k.clone())
                .unwrap_or_else(|| panic!("distribution of unknown variant {variant}"));
            *d = json!({"variant": key, "rollout": d["rollout"]});
        }
    }
    item
}

fn variant_keys(flag: &Value) -> Vec<(String, String)> {
    flag["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap_or_default().to_owned(),
                v["key"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn shapes(app: &TestApp, ns: &str, flag: &Value, what: &str) -> Value {
    let key = flag["key"].as_str().expect("key");
    let list = get_ok(app, &format!("{NS}/{ns}/flags/{key}/{what}")).await;
    let keys = variant_keys(flag);
    // Rollout lists name their items `rules` too (Flipt's `RolloutList`).
    Value::Array(
        list["rules"]
            .as_array()
            .expect("list")
            .iter()
            .map(|item| shape(item, &keys))
            .collect(),
    )
}

/// The source of the copy tests: a variant flag with two rules over two segments, and a
/// boolean flag with a threshold and a segment rollout.
async fn seed(app: &TestApp) {
    segment(app, "default", "s1", "Segment 1", &["a", "b"]).await;
    segment(app, "default", "s2", "Segment 2", &["c"]).await;
    app.post_ok(
        &format!("{NS}/default/flags"),
        json!({"key": "f", "name": "F", "description": "desc", "enabled": true,
               "metadata": {"team": "growth"}}),
    )
    .await;
    let a = app
        .post_ok(
            &format!("{NS}/default/flags/f/variants"),
            json!({"key": "a", "name": "A"}),
        )
        .await;
    let b = app
        .post_ok(
            &format!("{NS}/default/flags/f/variants"),
            json!({"key": "b", "name": "B", "attachment": "{\"x\": [1, 2]}"}),
        )
        .await;
    let (status, body) = app
        .put(
            &format!("{NS}/default/flags/f"),
            json!({"name": "F", "description": "desc", "enabled": true, "defaultVariantId": b["id"]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let r1 = app
        .post_ok(
            &format!("{NS}/default/flags/f/rules"),
            json!({"segmentKeys": ["s1", "s2"], "segmentOperator": "AND_SEGMENT_OPERATOR", "rank": 1}),
        )
        .await;
    for (variant, rollout) in [(&a, 30.5), (&b, 69.5)] {
        app.post_ok(
            &format!(
                "{NS}/default/flags/f/rules/{}/distributions",
                r1["id"].as_str().unwrap_or_default()
            ),
            json!({"variantId": variant["id"], "rollout": rollout}),
        )
        .await;
    }
    app.post_ok(
        &format!("{NS}/default/flags/f/rules"),
        json!({"segmentKey": "s2", "rank": 2}),
    )
    .await;

    app.post_ok(
        &format!("{NS}/default/flags"),
        json!({"key": "b", "name": "B", "type": "BOOLEAN_FLAG_TYPE", "enabled": true}),
    )
    .await;
    app.post_ok(
        &format!("{NS}/default/flags/b/rollouts"),
        json!({"rank": 1, "description": "half", "threshold": {"percentage": 50, "value": true}}),
    )
    .await;
    app.post_ok(
        &format!("{NS}/default/flags/b/rollouts"),
        json!({"rank": 2, "segment": {"segmentKey": "s1", "value": true}}),
    )
    .await;
}

async fn copy_flag_with_rules_and_segments(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    seed(&app).await;
    namespace(&app, "target").await;
    // An existing target segment is reused as it is.
    segment(&app, "target", "s2", "Target's own", &[]).await;
    let source_revision = app.revision("default").await;
    let target_revision = app.revision("target").await;

    let copied = app
        .post_ok(
            &format!("{NS}/default/flags/f/copy"),
            json!({"targetNamespaceKey": "target"}),
        )
        .await;
    assert_eq!(app.revision("target").await, target_revision + 1);
    assert_eq!(app.revision("default").await, source_revision);

    let source = get_ok(&app, &format!("{NS}/default/flags/f")).await;
    let fetched = get_ok(&app, &format!("{NS}/target/flags/f")).await;
    assert_eq!(copied, fetched);
    assert_eq!(copied["namespaceKey"], "target");
    for key in ["key", "name", "description", "enabled", "type", "metadata"] {
        assert_eq!(copied[key], source[key], "{key}");
    }
    let source_variants = variant_keys(&source);
    let copied_variants = variant_keys(&copied);
    assert_eq!(
        source_variants.iter().map(|(_, k)| k).collect::<Vec<_>>(),
        copied_variants.iter().map(|(_, k)| k).collect::<Vec<_>>()
    );
    for ((source_id, _), (copied_id, _)) in source_variants.iter().zip(&copied_variants) {
        assert_ne!(source_id, copied_id, "variants get new ids");
    }
    assert_eq!(
        copied["variants"][1]["attachment"],
        source["variants"][1]["attachment"]
    );
    assert_eq!(copied["defaultVariant"]["key"], "b");
    assert_eq!(copied["defaultVariant"]["id"], copied["variants"][1]["id"]);

    let source_rules = shapes(&app, "default", &source, "rules").await;
    let copied_rules = shapes(&app, "target", &copied, "rules").await;
    assert_eq!(source_rules, copied_rules);
    assert_eq!(copied_rules.as_array().map(Vec::len), Some(2));

    // s1 was copied with its constraints; s2 was reused.
    let s1 = get_ok(&app, &format!("{NS}/target/segments/s1")).await;
    assert_eq!(s1["name"], "Segment 1");
    let props: Vec<&Value> = s1["constraints"]
        .as_array()
        .expect("constraints")
        .iter()
        .map(|c| &c["property"])
        .collect();
    assert_eq!(props, vec!["a", "b"]);
    let s2 = get_ok(&app, &format!("{NS}/target/segments/s2")).await;
    assert_eq!(s2["name"], "Target's own");
    assert_eq!(s2["constraints"], json!([]));

    // Boolean flag with rollouts, to a new key in a namespace without segments.
    namespace(&app, "other").await;
    let boolean = app
        .post_ok(
            &format!("{NS}/default/flags/b/copy"),
            json!({"targetNamespaceKey": "other", "targetKey": "b2"}),
        )
        .await;
    assert_eq!(boolean["key"], "b2");
    assert_eq!(boolean["type"], "BOOLEAN_FLAG_TYPE");
    let source_b = get_ok(&app, &format!("{NS}/default/flags/b")).await;
    assert_eq!(
        shapes(&app, "default", &source_b, "rollouts").await,
        shapes(&app, "other", &boolean, "rollouts").await
    );
    let s1 = get_ok(&app, &format!("{NS}/other/segments/s1")).await;
    assert_eq!(s1["constraints"].as_array().map(Vec::len), Some(2));
    let (status, _) = app.get(&format!("{NS}/other/segments/s2")).await;
    assert_eq!(status, 404, "only referenced segments are copied");

    // Same namespace, new key.
    let same = app
        .post_ok(
            &format!("{NS}/default/flags/f/copy"),
            json!({"targetNamespaceKey": "default", "targetKey": "f-copy"}),
        )
        .await;
    assert_eq!(same["namespaceKey"], "default");
    assert_eq!(same["key"], "f-copy");
}

async fn copy_flag_errors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    seed(&app).await;
    namespace(&app, "target").await;
    let before = app.revision("target").await;

    let (status, body) = app
        .post(
            &format!("{NS}/default/flags/nope/copy"),
            json!({"targetNamespaceKey": "target"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "flag \"default/nope\" not found");

    let (status, body) = app
        .post(
            &format!("{NS}/default/flags/f/copy"),
            json!({"targetNamespaceKey": "zzz"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "namespace \"zzz\" not found");

    let (status, body) = app
        .post(
            &format!("{NS}/default/flags/f/copy"),
            json!({"targetNamespaceKey": "target", "targetKey": "a.b"}),
        )
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field targetKey: contains invalid characters",
    );

    let (status, body) = app
        .post(&format!("{NS}/default/flags/f/copy"), json!({}))
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field targetNamespaceKey: must not be empty",
    );

    app.post_ok(
        &format!("{NS}/default/flags/f/copy"),
        json!({"targetNamespaceKey": "target"}),
    )
    .await;
    let after_first = app.revision("target").await;
    assert_eq!(after_first, before + 1);
    let (status, body) = app
        .post(
            &format!("{NS}/default/flags/f/copy"),
            json!({"targetNamespaceKey": "target"}),
        )
        .await;
    assert_error(status, &body, 400, 3, "flag \"target/f\" is not unique");
    assert_eq!(
        app.revision("target").await,
        after_first,
        "failed copies change nothing"
    );
    let (status, _) = app.get(&format!("{NS}/target/segments/s1")).await;
    assert_eq!(status, 200);
}

async fn copy_flag_over_grpc(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    seed(&app).await;
    namespace(&app, "target").await;
    let mut c = extensions(&app).await;
    let flag = c
        .copy_flag(ext::CopyFlagRequest {
            namespace_key: String::new(),
            key: "f".into(),
            target_namespace_key: "target".into(),
            target_key: "g".into(),
        })
        .await
        .expect("CopyFlag")
        .into_inner();
    assert_eq!(flag.namespace_key, "target");
    assert_eq!(flag.key, "g");
    assert_eq!(flag.variants.len(), 2);

    let err = c
        .copy_flag(ext::CopyFlagRequest {
            namespace_key: "default".into(),
            key: "nope".into(),
            target_namespace_key: "target".into(),
            target_key: String::new(),
        })
        .await
        .expect_err("unknown flag");
    assert_eq!(err.code(), tonic::Code::NotFound);
    assert_eq!(err.message(), "flag \"default/nope\" not found");
}

/// A segment without the fields a copy changes (namespace, timestamps, constraint ids).
fn segment_shape(segment: &Value) -> Value {
    let mut segment = segment.clone();
    let obj = segment.as_object_mut().expect("object");
    for key in ["namespaceKey", "createdAt", "updatedAt"] {
        obj.remove(key);
    }
    if let Some(Value::Array(cs)) = obj.get_mut("constraints") {
        for c in cs.iter_mut() {
            let c = c.as_object_mut().expect("constraint");
            for key in ["id", "namespaceKey", "segmentKey", "createdAt", "updatedAt"] {
                c.remove(key);
            }
        }
    }
    segment
}

async fn copy_segment_with_constraints(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    segment(&app, "default", "s1", "Segment 1", &["a", "b", "c"]).await;
    app.put(
        &format!("{NS}/default/segments/s1"),
        json!({"name": "Segment 1", "description": "beta users", "matchType": "ANY_MATCH_TYPE"}),
    )
    .await;
    namespace(&app, "target").await;
    let source_revision = app.revision("default").await;
    let target_revision = app.revision("target").await;

    let copied = app
        .post_ok(
            &format!("{NS}/default/segments/s1/copy"),
            json!({"targetNamespaceKey": "target"}),
        )
        .await;
    assert_eq!(app.revision("target").await, target_revision + 1);
    assert_eq!(app.revision("default").await, source_revision);

    let source = get_ok(&app, &format!("{NS}/default/segments/s1")).await;
    let fetched = get_ok(&app, &format!("{NS}/target/segments/s1")).await;
    assert_eq!(copied, fetched);
    assert_eq!(copied["namespaceKey"], "target");
    assert_eq!(copied["description"], "beta users");
    assert_eq!(segment_shape(&copied), segment_shape(&source));
    let source_ids: Vec<&Value> = source["constraints"]
        .as_array()
        .expect("constraints")
        .iter()
        .map(|c| &c["id"])
        .collect();
    for c in copied["constraints"].as_array().expect("constraints") {
        assert!(!source_ids.contains(&&c["id"]), "constraints get new ids");
        assert_eq!(c["namespaceKey"], "target");
    }

    // Same namespace under a new key; an empty source namespace means `default`.
    let same = app
        .post_ok(
            "/api/v1/namespaces/default/segments/s1/copy",
            json!({"targetNamespaceKey": "default", "targetKey": "s1-copy"}),
        )
        .await;
    assert_eq!(same["key"], "s1-copy");
    assert_eq!(same["namespaceKey"], "default");
    assert_eq!(same["constraints"].as_array().map(Vec::len), Some(3));
    assert_eq!(same["constraints"][0]["segmentKey"], "s1-copy");
    assert_eq!(app.revision("default").await, source_revision + 1);

    // The copy does not depend on its source.
    let (status, _) = app.delete(&format!("{NS}/default/segments/s1")).await;
    assert_eq!(status, 200);
    get_ok(&app, &format!("{NS}/target/segments/s1")).await;
}

async fn copy_segment_errors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    segment(&app, "default", "s1", "Segment 1", &["a"]).await;
    namespace(&app, "target").await;
    let before = app.revision("target").await;

    let (status, body) = app
        .post(
            &format!("{NS}/default/segments/nope/copy"),
            json!({"targetNamespaceKey": "target"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "segment \"default/nope\" not found");

    let (status, body) = app
        .post(
            &format!("{NS}/default/segments/s1/copy"),
            json!({"targetNamespaceKey": "zzz"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "namespace \"zzz\" not found");

    let (status, body) = app
        .post(
            &format!("{NS}/default/segments/s1/copy"),
            json!({"targetNamespaceKey": "target", "targetKey": "a.b"}),
        )
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field targetKey: contains invalid characters",
    );

    let (status, body) = app
        .post(&format!("{NS}/default/segments/s1/copy"), json!({}))
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field targetNamespaceKey: must not be empty",
    );

    // Into its own namespace without a new key: the key is taken.
    let (status, body) = app
        .post(
            &format!("{NS}/default/segments/s1/copy"),
            json!({"targetNamespaceKey": "default"}),
        )
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "segment \"default/s1\" is not unique",
    );

    app.post_ok(
        &format!("{NS}/default/segments/s1/copy"),
        json!({"targetNamespaceKey": "target"}),
    )
    .await;
    let after_first = app.revision("target").await;
    assert_eq!(after_first, before + 1);
    let (status, body) = app
        .post(
            &format!("{NS}/default/segments/s1/copy"),
            json!({"targetNamespaceKey": "target"}),
        )
        .await;
    assert_error(status, &body, 400, 3, "segment \"target/s1\" is not unique");
    assert_eq!(
        app.revision("target").await,
        after_first,
        "failed copies change nothing"
    );
    let copied = get_ok(&app, &format!("{NS}/target/segments/s1")).await;
    assert_eq!(copied["constraints"].as_array().map(Vec::len), Some(1));
}

async fn copy_segment_over_grpc(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    segment(&app, "default", "s1", "Segment 1", &["a", "b"]).await;
    namespace(&app, "target").await;
    let mut c = extensions(&app).await;
    let copied = c
        .copy_segment(ext::CopySegmentRequest {
            namespace_key: String::new(),
            key: "s1".into(),
            target_namespace_key: "target".into(),
            target_key: "t1".into(),
        })
        .await
        .expect("CopySegment")
        .into_inner();
    assert_eq!(copied.namespace_key, "target");
    assert_eq!(copied.key, "t1");
    assert_eq!(copied.name, "Segment 1");
    let props: Vec<&str> = copied
        .constraints
        .iter()
        .map(|c| c.property.as_str())
        .collect();
    assert_eq!(props, vec!["a", "b"]);

    let err = c
        .copy_segment(ext::CopySegmentRequest {
            namespace_key: "default".into(),
            key: "nope".into(),
            target_namespace_key: "target".into(),
            target_key: String::new(),
        })
        .await
        .expect_err("unknown segment");
    assert_eq!(err.code(), tonic::Code::NotFound);
    assert_eq!(err.message(), "segment \"default/nope\" not found");

    let err = c
        .copy_segment(ext::CopySegmentRequest {
            namespace_key: "default".into(),
            key: "s1".into(),
            target_namespace_key: "target".into(),
            target_key: "t1".into(),
        })
        .await
        .expect_err("taken key");
    assert_eq!(err.code(), tonic::Code::InvalidArgument);
    assert_eq!(err.message(), "segment \"target/t1\" is not unique");
}

async fn segment_usage(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    seed(&app).await;
    segment(&app, "default", "s3", "Unused", &[]).await;

    let rules = get_ok(&app, &format!("{NS}/default/flags/f/rules")).await;
    let rule_ids: Vec<&Value> = rules["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| &r["id"])
        .collect();
    let rollouts = get_ok(&app, &format!("{NS}/default/flags/b/rollouts")).await;
    let segment_rollout = &rollouts["rules"][1]["id"];
    assert!(segment_rollout.is_string(), "{rollouts}");

    let usage = get_ok(&app, &format!("{NS}/default/segments/s1/usage")).await;
    assert_eq!(
        usage,
        json!({"flags": [
            {"flagKey": "b", "ruleIds": [], "rolloutIds": [segment_rollout]},
            {"flagKey": "f", "ruleIds": [rule_ids[0]], "rolloutIds": []},
        ]})
    );
    let usage = get_ok(&app, &format!("{NS}/default/segments/s2/usage")).await;
    assert_eq!(
        usage,
        json!({"flags": [{"flagKey": "f", "ruleIds": [rule_ids[0], rule_ids[1]], "rolloutIds": []}]})
    );
    let usage = get_ok(&app, &format!("{NS}/default/segments/s3/usage")).await;
    assert_eq!(usage, json!({"flags": []}));

    let (status, body) = app.get(&format!("{NS}/default/segments/nope/usage")).await;
    assert_error(status, &body, 404, 5, "segment \"default/nope\" not found");

    let list = get_ok(&app, &format!("{NS}/default/segments/usage")).await;
    assert_eq!(
        list,
        json!({"segments": [
            {"segmentKey": "s1", "flagCount": 2},
            {"segmentKey": "s2", "flagCount": 1},
            {"segmentKey": "s3", "flagCount": 0},
        ]})
    );
    // An unknown namespace lists nothing.
    let list = get_ok(&app, &format!("{NS}/nowhere/segments/usage")).await;
    assert_eq!(list, json!({"segments": []}));

    // gRPC.
    let mut c = extensions(&app).await;
    let usage = c
        .get_segment_usage(ext::GetSegmentUsageRequest {
            namespace_key: String::new(),
            key: "s2".into(),
        })
        .await
        .expect("GetSegmentUsage")
        .into_inner();
    assert_eq!(usage.flags.len(), 1);
    assert_eq!(usage.flags[0].flag_key, "f");
    assert_eq!(usage.flags[0].rule_ids.len(), 2);
    let list = c
        .list_segment_usage(ext::ListSegmentUsageRequest {
            namespace_key: "default".into(),
        })
        .await
        .expect("ListSegmentUsage")
        .into_inner();
    assert_eq!(list.segments.len(), 3);
    let err = c
        .get_segment_usage(ext::GetSegmentUsageRequest {
            namespace_key: "default".into(),
            key: "nope".into(),
        })
        .await
        .expect_err("unknown segment");
    assert_eq!(err.code(), tonic::Code::NotFound);
}

/// `GET …/namespaces/{ns}/segments/usage` is the usage list, so a segment keyed `usage` is not
/// readable there; the legacy route reads it, and PUT and DELETE still address it.
async fn segment_named_usage(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    segment(&app, "default", "usage", "Usage", &[]).await;
    let list = get_ok(&app, &format!("{NS}/default/segments/usage")).await;
    assert_eq!(
        list,
        json!({"segments": [{"segmentKey": "usage", "flagCount": 0}]})
    );
    let legacy = get_ok(&app, "/api/v1/segments/usage").await;
    assert_eq!(legacy["key"], "usage");
    let usage = get_ok(&app, &format!("{NS}/default/segments/usage/usage")).await;
    assert_eq!(usage, json!({"flags": []}));
    let (status, body) = app
        .put(
            &format!("{NS}/default/segments/usage"),
            json!({"name": "Renamed", "matchType": "ALL_MATCH_TYPE"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "Renamed");
    let (status, _) = app.delete(&format!("{NS}/default/segments/usage")).await;
    assert_eq!(status, 200);
    let (status, _) = app.get("/api/v1/segments/usage").await;
    assert_eq!(status, 404);
}

/// Removes what differs between two evaluations of the same request (ids, times, durations).
fn strip_evaluation(value: &mut Value) {
    match value {
        Value::Object(obj) => {
            for key in ["requestId", "requestDurationMillis", "timestamp"] {
                obj.remove(key);
            }
            obj.values_mut().for_each(strip_evaluation);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_evaluation),
        _ => {}
    }
}

/// Evaluates both seeded flags for many entities and contexts in namespace `ns` (one batch).
async fn evaluate_seeded(app: &TestApp, ns: &str) -> Value {
    let contexts = [
        json!({}),
        json!({"a": "v"}),
        json!({"c": "v"}),
        json!({"a": "v", "c": "v"}),
        json!({"b": "v", "c": "v"}),
    ];
    let mut requests = Vec::new();
    for entity in 0..40 {
        for context in &contexts {
            for flag in ["f", "b"] {
                requests.push(json!({"namespaceKey": ns, "flagKey": flag,
                    "entityId": format!("user-{entity}"), "context": context}));
            }
        }
    }
    let (status, mut body) = app
        .post("/evaluate/v1/batch", json!({"requests": requests}))
        .await;
    assert_eq!(status, 200, "{body}");
    strip_evaluation(&mut body);
    body
}

/// Every flag of a namespace with its rules and rollouts, ids replaced by variant keys.
async fn namespace_shape(app: &TestApp, ns: &str) -> Value {
    let flags = get_ok(app, &format!("{NS}/{ns}/flags")).await;
    let mut out = Vec::new();
    for flag in flags["flags"].as_array().expect("flags") {
        let mut shaped = flag.clone();
        let obj = shaped.as_object_mut().expect("flag");
        for key in ["namespaceKey", "createdAt", "updatedAt"] {
            obj.remove(key);
        }
        if let Some(Value::Array(vs)) = obj.get_mut("variants") {
            for v in vs.iter_mut() {
                let v = v.as_object_mut().expect("variant");
                for key in ["id", "namespaceKey", "createdAt", "updatedAt"] {
                    v.remove(key);
                }
            }
        }
        if let Some(Value::Object(d)) = obj.get_mut("defaultVariant") {
            for key in ["id", "namespaceKey", "createdAt", "updatedAt"] {
                d.remove(key);
            }
        }
        obj.insert("rules".into(), shapes(app, ns, flag, "rules").await);
        obj.insert("rollouts".into(), shapes(app, ns, flag, "rollouts").await);
        out.push(shaped);
    }
    let segments = get_ok(app, &format!("{NS}/{ns}/segments")).await;
    let segments: Vec<Value> = segments["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .map(segment_shape)
        .collect();
    json!({"flags": out, "segments": segments})
}

async fn copy_namespace_with_everything(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    seed(&app).await;
    segment(&app, "default", "s3", "Unused", &["d"]).await;
    let source_revision = app.revision("default").await;

    let copied = app
        .post_ok(
            &format!("{NS}/default/copy"),
            json!({"targetKey": "staging", "targetName": "Staging", "targetDescription": "copy of default"}),
        )
        .await;
    assert_eq!(copied["key"], "staging");
    assert_eq!(copied["name"], "Staging");
    assert_eq!(copied["description"], "copy of default");
    assert_eq!(copied["protected"], false);
    assert_eq!(copied, get_ok(&app, &format!("{NS}/staging")).await);
    assert_eq!(app.revision("staging").await, 1);
    assert_eq!(app.revision("default").await, source_revision);

    // Same flags (in order), variants, default variant, metadata, rules, distributions,
    // rollouts and segments with constraints.
    let source = namespace_shape(&app, "default").await;
    let copy = namespace_shape(&app, "staging").await;
    assert_eq!(source, copy);
    assert_eq!(copy["flags"].as_array().map(Vec::len), Some(2));
    assert_eq!(copy["segments"].as_array().map(Vec::len), Some(3));
    let f = get_ok(&app, &format!("{NS}/staging/flags/f")).await;
    assert_eq!(f["defaultVariant"]["key"], "b");
    assert_eq!(f["defaultVariant"]["id"], f["variants"][1]["id"]);
    assert_eq!(f["metadata"], json!({"team": "growth"}));
    let source_f = get_ok(&app, &format!("{NS}/default/flags/f")).await;
    for (a, b) in variant_keys(&source_f).iter().zip(variant_keys(&f).iter()) {
        assert_ne!(a.0, b.0, "variants get new ids");
    }
    let source_rules = get_ok(&app, &format!("{NS}/default/flags/f/rules")).await;
    let rules = get_ok(&app, &format!("{NS}/staging/flags/f/rules")).await;
    assert_ne!(source_rules["rules"][0]["id"], rules["rules"][0]["id"]);
    assert_eq!(rules["rules"][0]["namespaceKey"], "staging");

    // The copy evaluates exactly like its source.
    let source_results = evaluate_seeded(&app, "default").await;
    let copy_results = evaluate_seeded(&app, "staging").await;
    assert_eq!(source_results, copy_results);
    let matched = copy_results["responses"]
        .as_array()
        .expect("responses")
        .iter()
        .filter(|r| r["variantResponse"]["match"] == true)
        .count();
    assert!(
        matched > 0,
        "some variant evaluations match: {copy_results}"
    );

    // The copy is independent: deleting the source's flags and namespace leaves it intact.
    for flag in ["f", "b"] {
        let (status, _) = app.delete(&format!("{NS}/default/flags/{flag}")).await;
        assert_eq!(status, 200);
    }
    assert_eq!(namespace_shape(&app, "staging").await, copy);

    // An empty namespace copies to an empty namespace.
    namespace(&app, "empty").await;
    let copied = app
        .post_ok(
            &format!("{NS}/empty/copy"),
            json!({"targetKey": "empty2", "targetName": "Empty 2"}),
        )
        .await;
    assert_eq!(copied["description"], "");
    let flags = get_ok(&app, &format!("{NS}/empty2/flags")).await;
    assert_eq!(flags["totalCount"], 0);
}

async fn copy_namespace_errors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    seed(&app).await;
    namespace(&app, "taken").await;
    let before = app.revision("taken").await;
    let copy = |target: Value| {
        let app = &app;
        async move { app.post(&format!("{NS}/default/copy"), target).await }
    };

    let (status, body) = app
        .post(
            &format!("{NS}/nope/copy"),
            json!({"targetKey": "x", "targetName": "X"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "namespace \"nope\" not found");

    let (status, body) = copy(json!({"targetKey": "taken", "targetName": "T"})).await;
    assert_error(status, &body, 400, 3, "namespace \"taken\" is not unique");
    let (status, body) = copy(json!({"targetKey": "default", "targetName": "D"})).await;
    assert_error(status, &body, 400, 3, "namespace \"default\" is not unique");
    let (status, body) = copy(json!({"targetName": "X"})).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field targetKey: must not be empty",
    );
    let (status, body) = copy(json!({"targetKey": "a.b", "targetName": "X"})).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field targetKey: contains invalid characters",
    );
    let (status, body) = copy(json!({"targetKey": "x"})).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field targetName: must not be empty",
    );
    let (status, body) = copy(json!({"targetKey": "k".repeat(256), "targetName": "X"})).await;
    assert_eq!(status, 400, "{body}");

    // Nothing was created or changed.
    let (status, _) = app.get(&format!("{NS}/x")).await;
    assert_eq!(status, 404);
    let list = get_ok(&app, NS).await;
    assert_eq!(list["totalCount"], 2);
    assert_eq!(app.revision("taken").await, before);
    let flags = get_ok(&app, &format!("{NS}/taken/flags")).await;
    assert_eq!(flags["totalCount"], 0);

    // The copy can be deleted like any namespace once its flags are gone, and copied again.
    app.post_ok(
        &format!("{NS}/default/copy"),
        json!({"targetKey": "x", "targetName": "X"}),
    )
    .await;
    let (status, body) = app.delete(&format!("{NS}/x")).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "namespace \"x\" cannot be deleted; flags must be deleted first",
    );
    for flag in ["f", "b"] {
        let (status, _) = app.delete(&format!("{NS}/x/flags/{flag}")).await;
        assert_eq!(status, 200);
    }
    let (status, _) = app.delete(&format!("{NS}/x")).await;
    assert_eq!(status, 200);
    app.post_ok(
        &format!("{NS}/default/copy"),
        json!({"targetKey": "x", "targetName": "X"}),
    )
    .await;
}

async fn copy_namespace_over_grpc(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    seed(&app).await;
    let mut c = extensions(&app).await;
    let copied = c
        .copy_namespace(ext::CopyNamespaceRequest {
            key: String::new(),
            target_key: "prod".into(),
            target_name: "Production".into(),
            target_description: "d".into(),
        })
        .await
        .expect("CopyNamespace")
        .into_inner();
    assert_eq!(copied.key, "prod");
    assert_eq!(copied.name, "Production");
    assert_eq!(copied.description, "d");
    assert!(!copied.protected);
    assert_eq!(
        namespace_shape(&app, "default").await,
        namespace_shape(&app, "prod").await
    );
    assert_eq!(
        evaluate_seeded(&app, "default").await,
        evaluate_seeded(&app, "prod").await
    );

    let err = c
        .copy_namespace(ext::CopyNamespaceRequest {
            key: "default".into(),
            target_key: "prod".into(),
            target_name: "Again".into(),
            target_description: String::new(),
        })
        .await
        .expect_err("taken key");
    assert_eq!(err.code(), tonic::Code::InvalidArgument);
    assert_eq!(err.message(), "namespace \"prod\" is not unique");
    let err = c
        .copy_namespace(ext::CopyNamespaceRequest {
            key: "nope".into(),
            target_key: "other".into(),
            target_name: "Other".into(),
            target_description: String::new(),
        })
        .await
        .expect_err("unknown namespace");
    assert_eq!(err.code(), tonic::Code::NotFound);
    assert_eq!(err.message(), "namespace \"nope\" not found");
}

backend_tests!(
    copy_flag_with_rules_and_segments,
    copy_flag_errors,
    copy_flag_over_grpc,
    copy_segment_with_constraints,
    copy_segment_errors,
    copy_segment_over_grpc,
    segment_usage,
    segment_named_usage,
    copy_namespace_with_everything,
    copy_namespace_errors,
    copy_namespace_over_grpc,
);
