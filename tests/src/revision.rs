//! Namespace revisions (DESIGN.md §4): every successful mutation bumps its namespace's
//! `revision` exactly once, in the same transaction; nothing else moves it.

use serde_json::{json, Value};

use crate::backend_tests;
use crate::harness::{Backend, TestApp};

backend_tests!(
    every_mutation_bumps_once,
    failures_and_reads_do_not_bump,
    grpc_mutations_bump_once,
    concurrent_mutations_each_bump_once,
);

/// Both namespaces' revisions.
async fn revisions(app: &TestApp) -> (i64, i64) {
    (app.revision("a").await, app.revision("b").await)
}

/// Runs `op`, which must succeed, and asserts it bumped `a` by exactly one and left `b` alone.
async fn bumps_once(
    app: &TestApp,
    what: &str,
    op: impl std::future::Future<Output = (u16, Value)>,
) -> Value {
    let (a0, b0) = revisions(app).await;
    let (status, body) = op.await;
    assert_eq!(status, 200, "{what}: {body}");
    let (a1, b1) = revisions(app).await;
    let backend = app.backend;
    assert_eq!(
        a1,
        a0 + 1,
        "{what} must bump namespace a exactly once ({backend:?})"
    );
    assert_eq!(b1, b0, "{what} must not touch namespace b ({backend:?})");
    body
}

/// Runs `op`, which must fail with `want_status`, and asserts no revision moved.
async fn no_bump(
    app: &TestApp,
    what: &str,
    want_status: u16,
    op: impl std::future::Future<Output = (u16, Value)>,
) {
    let before = revisions(app).await;
    let (status, body) = op.await;
    assert_eq!(status, want_status, "{what}: {body}");
    assert_eq!(revisions(app).await, before, "{what} must not bump");
}

async fn setup(app: &TestApp) {
    for key in ["a", "b"] {
        app.post_ok("/api/v1/namespaces", json!({"key": key, "name": key}))
            .await;
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id in response").to_owned()
}

const A: &str = "/api/v1/namespaces/a";

async fn every_mutation_bumps_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app).await;
    let default_before = app.revision("default").await;

    bumps_once(&app, "update namespace", app.put(A, json!({"name": "A2"}))).await;

    // Flags and variants.
    bumps_once(
        &app,
        "create flag",
        app.post(&format!("{A}/flags"), json!({"key": "f", "name": "F"})),
    )
    .await;
    bumps_once(
        &app,
        "update flag",
        app.put(
            &format!("{A}/flags/f"),
            json!({"name": "F2", "enabled": true}),
        ),
    )
    .await;
    let v1 = bumps_once(
        &app,
        "create variant",
        app.post(&format!("{A}/flags/f/variants"), json!({"key": "v1"})),
    )
    .await;
    let v2 = bumps_once(
        &app,
        "create variant",
        app.post(&format!("{A}/flags/f/variants"), json!({"key": "v2"})),
    )
    .await;
    bumps_once(
        &app,
        "update variant",
        app.put(
            &format!("{A}/flags/f/variants/{}", id(&v2)),
            json!({"key": "v2", "name": "two"}),
        ),
    )
    .await;
    bumps_once(
        &app,
        "set default variant",
        app.put(
            &format!("{A}/flags/f"),
            json!({"name": "F2", "defaultVariantId": id(&v1)}),
        ),
    )
    .await;

    // Segments and constraints.
    for key in ["s1", "s2"] {
        bumps_once(
            &app,
            "create segment",
            app.post(&format!("{A}/segments"), json!({"key": key, "name": key})),
        )
        .await;
    }
    bumps_once(
        &app,
        "update segment",
        app.put(
            &format!("{A}/segments/s1"),
            json!({"name": "S1", "matchType": "ANY_MATCH_TYPE"}),
        ),
    )
    .await;
    let c = bumps_once(
        &app,
        "create constraint",
        app.post(
            &format!("{A}/segments/s1/constraints"),
            json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "x"}),
        ),
    )
    .await;
    bumps_once(
        &app,
        "update constraint",
        app.put(
            &format!("{A}/segments/s1/constraints/{}", id(&c)),
            json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "neq", "value": "y"}),
        ),
    )
    .await;

    // Rules, order, distributions.
    let r1 = bumps_once(
        &app,
        "create rule",
        app.post(
            &format!("{A}/flags/f/rules"),
            json!({"segmentKey": "s1", "rank": 1}),
        ),
    )
    .await;
    let r2 = bumps_once(
        &app,
        "create rule",
        app.post(
            &format!("{A}/flags/f/rules"),
            json!({"segmentKeys": ["s1", "s2"], "rank": 2}),
        ),
    )
    .await;
    bumps_once(
        &app,
        "update rule",
        app.put(
            &format!("{A}/flags/f/rules/{}", id(&r1)),
            json!({"segmentKey": "s2"}),
        ),
    )
    .await;
    bumps_once(
        &app,
        "order rules",
        app.put(
            &format!("{A}/flags/f/rules/order"),
            json!({"ruleIds": [id(&r2), id(&r1)]}),
        ),
    )
    .await;
    let d = bumps_once(
        &app,
        "create distribution",
        app.post(
            &format!("{A}/flags/f/rules/{}/distributions", id(&r1)),
            json!({"variantId": id(&v1), "rollout": 50}),
        ),
    )
    .await;
    bumps_once(
        &app,
        "update distribution",
        app.put(
            &format!("{A}/flags/f/rules/{}/distributions/{}", id(&r1), id(&d)),
            json!({"variantId": id(&v2), "rollout": 40}),
        ),
    )
    .await;
    bumps_once(
        &app,
        "delete distribution",
        app.delete(&format!(
            "{A}/flags/f/rules/{}/distributions/{}?variantId={}",
            id(&r1),
            id(&d),
            id(&v2)
        )),
    )
    .await;

    // Rollouts.
    bumps_once(
        &app,
        "create flag",
        app.post(
            &format!("{A}/flags"),
            json!({"key": "b", "name": "B", "type": "BOOLEAN_FLAG_TYPE"}),
        ),
    )
    .await;
    let t = bumps_once(
        &app,
        "create rollout",
        app.post(
            &format!("{A}/flags/b/rollouts"),
            json!({"rank": 1, "threshold": {"percentage": 10, "value": true}}),
        ),
    )
    .await;
    let s = bumps_once(
        &app,
        "create rollout",
        app.post(
            &format!("{A}/flags/b/rollouts"),
            json!({"rank": 2, "segment": {"segmentKey": "s1", "value": true}}),
        ),
    )
    .await;
    bumps_once(
        &app,
        "update rollout",
        app.put(
            &format!("{A}/flags/b/rollouts/{}", id(&t)),
            json!({"threshold": {"percentage": 20, "value": false}}),
        ),
    )
    .await;
    bumps_once(
        &app,
        "order rollouts",
        app.put(
            &format!("{A}/flags/b/rollouts/order"),
            json!({"rolloutIds": [id(&s), id(&t)]}),
        ),
    )
    .await;
    bumps_once(
        &app,
        "delete rollout",
        app.delete(&format!("{A}/flags/b/rollouts/{}", id(&s))),
    )
    .await;

    // Deletes of everything else.
    bumps_once(
        &app,
        "delete rule",
        app.delete(&format!("{A}/flags/f/rules/{}", id(&r2))),
    )
    .await;
    bumps_once(
        &app,
        "delete constraint",
        app.delete(&format!("{A}/segments/s1/constraints/{}", id(&c))),
    )
    .await;
    bumps_once(
        &app,
        "delete variant",
        app.delete(&format!("{A}/flags/f/variants/{}", id(&v2))),
    )
    .await;
    bumps_once(&app, "delete flag", app.delete(&format!("{A}/flags/f"))).await;
    bumps_once(
        &app,
        "delete segment",
        app.delete(&format!("{A}/segments/s2")),
    )
    .await;

    // Legacy routes bump `default` only.
    let a = app.revision("a").await;
    let (status, body) = app
        .post("/api/v1/flags", json!({"key": "legacy", "name": "L"}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.revision("default").await, default_before + 1);
    assert_eq!(app.revision("a").await, a);

    app.shutdown().await;
}

async fn failures_and_reads_do_not_bump(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app).await;
    app.post_ok(&format!("{A}/flags"), json!({"key": "f", "name": "F"}))
        .await;
    app.post_ok(
        &format!("{A}/flags"),
        json!({"key": "b", "name": "B", "type": "BOOLEAN_FLAG_TYPE"}),
    )
    .await;
    app.post_ok(&format!("{A}/segments"), json!({"key": "s", "name": "S"}))
        .await;
    let v = app
        .post_ok(&format!("{A}/flags/f/variants"), json!({"key": "v"}))
        .await;
    let r = app
        .post_ok(
            &format!("{A}/flags/f/rules"),
            json!({"segmentKey": "s", "rank": 1}),
        )
        .await;
    app.post_ok(
        &format!("{A}/flags/b/rollouts"),
        json!({"rank": 1, "threshold": {"percentage": 10, "value": true}}),
    )
    .await;

    // Validation errors.
    no_bump(
        &app,
        "flag without name",
        400,
        app.post(&format!("{A}/flags"), json!({"key": "x"})),
    )
    .await;
    no_bump(&app, "namespace without name", 400, app.put(A, json!({}))).await;
    no_bump(
        &app,
        "rule rank 0",
        400,
        app.post(
            &format!("{A}/flags/f/rules"),
            json!({"segmentKey": "s", "rank": 0}),
        ),
    )
    .await;
    no_bump(
        &app,
        "malformed json",
        400,
        app.call_raw(reqwest::Method::POST, &format!("{A}/flags"), "{\"key\":"),
    )
    .await;
    // Conflicts found by the database or after writes began.
    no_bump(
        &app,
        "duplicate flag",
        400,
        app.post(&format!("{A}/flags"), json!({"key": "f", "name": "dup"})),
    )
    .await;
    no_bump(
        &app,
        "duplicate variant",
        400,
        app.post(&format!("{A}/flags/f/variants"), json!({"key": "v"})),
    )
    .await;
    no_bump(
        &app,
        "duplicate segment",
        400,
        app.post(&format!("{A}/segments"), json!({"key": "s", "name": "S"})),
    )
    .await;
    no_bump(
        &app,
        "duplicate rollout rank",
        400,
        app.post(
            &format!("{A}/flags/b/rollouts"),
            json!({"rank": 1, "threshold": {"percentage": 10, "value": true}}),
        ),
    )
    .await;
    no_bump(
        &app,
        "segment in use",
        400,
        app.delete(&format!("{A}/segments/s")),
    )
    .await;
    no_bump(&app, "namespace with flags", 400, app.delete(A)).await;
    // Not found.
    no_bump(
        &app,
        "update unknown flag",
        404,
        app.put(&format!("{A}/flags/nope"), json!({"name": "x"})),
    )
    .await;
    no_bump(
        &app,
        "update unknown rule",
        404,
        app.put(
            &format!("{A}/flags/f/rules/nope"),
            json!({"segmentKey": "s"}),
        ),
    )
    .await;
    no_bump(
        &app,
        "variant on unknown flag",
        404,
        app.post(&format!("{A}/flags/nope/variants"), json!({"key": "v"})),
    )
    .await;
    no_bump(
        &app,
        "distribution with unknown variant",
        404,
        app.post(
            &format!("{A}/flags/f/rules/{}/distributions", id(&r)),
            json!({"variantId": "nope", "rollout": 10}),
        ),
    )
    .await;
    no_bump(
        &app,
        "update unknown variant",
        404,
        app.put(&format!("{A}/flags/f/variants/nope"), json!({"key": "k"})),
    )
    .await;

    // Reads.
    for path in [
        A.to_owned(),
        "/api/v1/namespaces".to_owned(),
        format!("{A}/flags"),
        format!("{A}/flags/f"),
        format!("{A}/segments"),
        format!("{A}/segments/s"),
        format!("{A}/flags/f/rules"),
        format!("{A}/flags/f/rules/{}", id(&r)),
        format!("{A}/flags/b/rollouts"),
    ] {
        no_bump(&app, &format!("GET {path}"), 200, app.get(&path)).await;
    }
    let _ = v;
    app.shutdown().await;
}

async fn grpc_mutations_bump_once(backend: Backend) {
    use flipt_proto::flipt as pb;

    let app = TestApp::spawn(backend).await;
    setup(&app).await;
    let mut c = app.grpc().await;
    let before = revisions(&app).await;
    c.create_flag(pb::CreateFlagRequest {
        key: "g".into(),
        name: "G".into(),
        namespace_key: "a".into(),
        ..Default::default()
    })
    .await
    .expect("create flag");
    assert_eq!(revisions(&app).await, (before.0 + 1, before.1));
    let err = c
        .create_flag(pb::CreateFlagRequest {
            key: "g".into(),
            name: "G".into(),
            namespace_key: "a".into(),
            ..Default::default()
        })
        .await
        .expect_err("duplicate");
    assert_eq!(err.code(), tonic::Code::InvalidArgument);
    assert_eq!(revisions(&app).await, (before.0 + 1, before.1));
    c.delete_flag(pb::DeleteFlagRequest {
        key: "g".into(),
        namespace_key: "a".into(),
    })
    .await
    .expect("delete flag");
    assert_eq!(revisions(&app).await, (before.0 + 2, before.1));
    app.shutdown().await;
}

/// Concurrent writers in one namespace all succeed and none of their bumps is lost.
async fn concurrent_mutations_each_bump_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app).await;
    let before = revisions(&app).await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (http, url) = (app.http.clone(), format!("{}{A}/flags", app.http_base));
        tasks.push(tokio::spawn(async move {
            let resp = http
                .post(url)
                .json(&json!({"key": format!("f{i}"), "name": "F"}))
                .send()
                .await
                .expect("request sent");
            let status = resp.status().as_u16();
            (status, resp.text().await.unwrap_or_default())
        }));
    }
    let mut c = app.grpc().await;
    for i in 0..20 {
        let mut c = c.clone();
        tasks.push(tokio::spawn(async move {
            match c
                .create_segment(flipt_proto::flipt::CreateSegmentRequest {
                    key: format!("s{i}"),
                    name: "S".into(),
                    namespace_key: "a".into(),
                    ..Default::default()
                })
                .await
            {
                Ok(_) => (200, String::new()),
                Err(status) => (500, format!("{status:?}")),
            }
        }));
    }
    for task in tasks {
        let (status, body) = task.await.expect("request task");
        assert_eq!(status, 200, "concurrent write failed: {body}");
    }
    assert_eq!(revisions(&app).await, (before.0 + 40, before.1));
    let list = c
        .list_flags(flipt_proto::flipt::ListFlagRequest {
            namespace_key: "a".into(),
            ..Default::default()
        })
        .await
        .expect("list flags")
        .into_inner();
    assert_eq!(list.total_count, 20);
    app.shutdown().await;
}
