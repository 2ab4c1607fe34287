//! The read tier as a process of its own (DESIGN.md §2, §4): it reads a database it cannot
//! write (a SELECT-only PostgreSQL role), follows the write tier's changes by polling, answers
//! `/health`, and refuses the management API. Also the standalone write tier, which serves
//! evaluation itself and is read-your-writes.

use flipt_proto::flipt as pb;
use flipt_proto::flipt::evaluation as ev;
use flipt_proto::flipt::evaluation::evaluation_service_client::EvaluationServiceClient;
use serde_json::{json, Value};

use crate::backend_tests;
use crate::evaluation::{assert_boolean, assert_variant, synced, Fx};
use crate::harness::{assert_error, Backend, TestApp};
use crate::read_harness::{select_only_url, ReadApp};

const NOT_SERVED: &str = "the management API is served by the write tier, not by a read instance";

/// Polls `POST path` on the read instance until `accept(status, body)` holds.
async fn until(
    read: &ReadApp,
    path: &str,
    body: Value,
    accept: impl Fn(u16, &Value) -> bool,
) -> Value {
    let accept = &accept;
    read.eventually(move || {
        let body = body.clone();
        async move {
            let (status, got) = read.post(path, body).await;
            accept(status, &got).then_some(got)
        }
    })
    .await
}

fn boolean_req(ns: &str, flag: &str) -> Value {
    json!({"namespaceKey": ns, "flagKey": flag, "entityId": "u"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_only_postgres_reader_follows_writes() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let fx = Fx::new(&app, "prod").await;
    fx.flag("launch", true, false).await;
    fx.threshold("launch", 1, 100.0, true).await;

    let url = select_only_url(&app).await;
    let read = ReadApp::spawn(&url).await;
    synced(&app, &read, "prod").await;
    let resp = until(
        &read,
        "/evaluate/v1/boolean",
        boolean_req("prod", "launch"),
        |s, _| s == 200,
    )
    .await;
    assert_boolean(&resp, "launch", true, "MATCH", &[]);

    // New writes arrive within the poll interval (100 ms here).
    fx.flag("later", false, true).await;
    let v = fx.variant("later", "on", "").await;
    fx.default_variant("later", true, &v).await;
    let resp = until(
        &read,
        "/evaluate/v1/variant",
        json!({"namespaceKey": "prod", "flagKey": "later", "entityId": "u"}),
        |s, b| s == 200 && b["variantKey"] == "on",
    )
    .await;
    assert_variant(&resp, "later", false, "DEFAULT", "on", "", &[]);

    // A new namespace too.
    let other = Fx::new(&app, "other").await;
    other.flag("x", true, true).await;
    let resp = until(
        &read,
        "/evaluate/v1/boolean",
        boolean_req("other", "x"),
        |s, _| s == 200,
    )
    .await;
    assert_boolean(&resp, "x", true, "DEFAULT", &[]);
    synced(&app, &read, "other").await;
    app.shutdown().await;
}

backend_tests!(
    read_instance_follows_writes,
    standalone_reads_its_own_writes,
    concurrent_writers_read_their_own_writes
);

async fn read_instance_follows_writes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let read = ReadApp::spawn(app.database_url()).await;
    // Nothing yet: unknown flag.
    let (status, err) = read
        .post("/evaluate/v1/boolean", boolean_req("team", "f"))
        .await;
    assert_error(status, &err, 404, 5, "flag \"team/f\" not found");

    let fx = Fx::new(&app, "team").await;
    fx.flag("f", true, true).await;
    let resp = until(
        &read,
        "/evaluate/v1/boolean",
        boolean_req("team", "f"),
        |s, _| s == 200,
    )
    .await;
    assert_boolean(&resp, "f", true, "DEFAULT", &[]);

    // An update: a rollout flips the answer.
    fx.threshold("f", 1, 100.0, false).await;
    let resp = until(
        &read,
        "/evaluate/v1/boolean",
        boolean_req("team", "f"),
        |_, b| b["enabled"] == false,
    )
    .await;
    assert_boolean(&resp, "f", false, "MATCH", &[]);

    // Deleting the namespace (force: it holds a flag) makes its flags unknown and its
    // snapshot empty.
    let (status, body) = app.delete("/api/v1/namespaces/team?force=true").await;
    assert_eq!(status, 200, "{body}");
    let err = until(
        &read,
        "/evaluate/v1/boolean",
        boolean_req("team", "f"),
        |s, _| s == 404,
    )
    .await;
    assert_eq!(
        err,
        json!({"code": 5, "message": "flag \"team/f\" not found", "details": []})
    );
    let resp = read
        .http
        .get(format!(
            "{}/internal/v1/evaluation/snapshot/namespace/team",
            read.http_base
        ))
        .send()
        .await
        .expect("snapshot");
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.headers().get("etag").is_none());
    assert_eq!(
        resp.text().await.expect("body"),
        r#"{"namespace":{"key":"team"},"flags":[]}"#
    );
    let (status, body) = read
        .post(
            "/evaluate/v1/batch",
            json!({"requests": [boolean_req("team", "f")]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["responses"][0]["errorResponse"]["reason"],
        "NOT_FOUND_ERROR_EVALUATION_REASON"
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_instance_health_and_management_routes() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let read = ReadApp::spawn(app.database_url()).await;

    let resp = read
        .http
        .get(format!("{}/health", read.http_base))
        .send()
        .await
        .expect("health");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    assert_eq!(
        resp.json::<Value>().await.expect("json"),
        json!({"status": "SERVING"})
    );
    let channel = tonic::transport::Endpoint::from_shared(read.grpc_addr.clone())
        .expect("endpoint")
        .connect()
        .await
        .expect("grpc connects");
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    let status = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        })
        .await
        .expect("health check")
        .into_inner();
    assert_eq!(
        status.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );

    // Management routes: 501 with gRPC code 12 (Unimplemented), for every method.
    for (method, path) in [
        (reqwest::Method::GET, "/api/v1/namespaces"),
        (reqwest::Method::POST, "/api/v1/namespaces"),
        (reqwest::Method::GET, "/api/v1/namespaces/default/flags"),
        (reqwest::Method::POST, "/api/v1/namespaces/default/flags"),
        (reqwest::Method::PUT, "/api/v1/namespaces/default/flags/f"),
        (
            reqwest::Method::DELETE,
            "/api/v1/namespaces/default/flags/f",
        ),
        (reqwest::Method::GET, "/api/v1/namespaces/default/segments"),
        (reqwest::Method::GET, "/api/v1/flags"),
    ] {
        let resp = read
            .http
            .request(method, format!("{}{path}", read.http_base))
            .json(&json!({"key": "k", "name": "n"}))
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        assert_error(status, &body, 501, 12, NOT_SERVED);
    }
    // And nothing was written.
    let (status, list) = app.get("/api/v1/namespaces/default/flags").await;
    assert_eq!(status, 200);
    assert_eq!(list["flags"], json!([]));

    // gRPC flipt.Flipt management methods: Unimplemented.
    let mut flipt = pb::flipt_client::FliptClient::connect(read.grpc_addr.clone())
        .await
        .expect("grpc connects");
    let status = flipt
        .list_flags(pb::ListFlagRequest {
            namespace_key: "default".into(),
            ..Default::default()
        })
        .await
        .expect_err("not served");
    assert_eq!(status.code(), tonic::Code::Unimplemented);
    assert_eq!(status.message(), NOT_SERVED);
    let status = flipt
        .create_flag(pb::CreateFlagRequest {
            key: "f".into(),
            name: "F".into(),
            ..Default::default()
        })
        .await
        .expect_err("not served");
    assert_eq!(status.code(), tonic::Code::Unimplemented);
    let status = flipt
        .delete_namespace(pb::DeleteNamespaceRequest {
            key: "default".into(),
            ..Default::default()
        })
        .await
        .expect_err("not served");
    assert_eq!(status.code(), tonic::Code::Unimplemented);
    app.shutdown().await;
}

/// The standalone write tier answers evaluations of what the previous request wrote, without
/// waiting for a poll.
async fn standalone_reads_its_own_writes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let fx = Fx::new(&app, "default").await;

    fx.flag("b", true, true).await;
    let (status, resp) = app.post("/evaluate/v1/boolean", boolean_req("", "b")).await;
    assert_eq!(status, 200, "{resp}");
    assert_boolean(&resp, "b", true, "DEFAULT", &[]);

    fx.threshold("b", 1, 100.0, false).await;
    let (_, resp) = app.post("/evaluate/v1/boolean", boolean_req("", "b")).await;
    assert_boolean(&resp, "b", false, "MATCH", &[]);

    fx.flag("v", false, true).await;
    let (_, resp) = app.post("/evaluate/v1/variant", boolean_req("", "v")).await;
    assert_variant(&resp, "v", false, "UNKNOWN", "", "", &[]);
    fx.segment("all", false).await;
    let id = fx.variant("v", "one", "{\"x\": 1}").await;
    let rule = fx.rule("v", 1, &["all"], false).await;
    fx.dist("v", &rule, &id, 100.0).await;
    let (_, resp) = app.post("/evaluate/v1/variant", boolean_req("", "v")).await;
    assert_variant(&resp, "v", true, "MATCH", "one", r#"{"x":1}"#, &["all"]);
    let (_, resp) = app.post("/api/v1/evaluate", boolean_req("", "v")).await;
    assert_eq!(resp["value"], "one");

    // gRPC evaluation on the write tier's own port sees it too.
    let mut grpc = EvaluationServiceClient::connect(app.grpc_addr.clone())
        .await
        .expect("grpc connects");
    let resp = grpc
        .variant(ev::EvaluationRequest {
            flag_key: "v".into(),
            entity_id: "u".into(),
            ..Default::default()
        })
        .await
        .expect("grpc variant")
        .into_inner();
    assert_eq!(resp.variant_key, "one");

    let (status, _) = app.delete("/api/v1/namespaces/default/flags/v").await;
    assert_eq!(status, 200);
    let (status, err) = app.post("/evaluate/v1/variant", boolean_req("", "v")).await;
    assert_error(status, &err, 404, 5, "flag \"default/v\" not found");
    app.shutdown().await;
}

/// Writes to one namespace committed at the same time share the snapshot reloads after them
/// (a reload that began after a commit covers it); each writer still evaluates its own write
/// in the very next request.
async fn concurrent_writers_read_their_own_writes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let fx = Fx::new(&app, "default").await;
    for round in 0..4 {
        let writers = (0..8).map(|i| {
            let (app, fx) = (&app, &fx);
            async move {
                let key = format!("c{round}-{i}");
                fx.flag(&key, true, i % 2 == 0).await;
                let (status, resp) = app
                    .post("/evaluate/v1/boolean", boolean_req("", &key))
                    .await;
                assert_eq!(status, 200, "{key}: {resp}");
                assert_boolean(&resp, &key, i % 2 == 0, "DEFAULT", &[]);
            }
        });
        futures::future::join_all(writers).await;
    }
    app.shutdown().await;
}
