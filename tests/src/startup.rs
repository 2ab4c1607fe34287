//! Start-up, health, migrations, concurrent instances, graceful shutdown and read-only mode of
//! the write tier (api.md §11, operations; DESIGN.md §5).

use std::sync::Arc;

use flipt_proto::flipt as pb;
use flipt_proto::flipt::flipt_client::FliptClient;
use flipt_shared::store::entity::namespace;
use flipt_write::startup::Application;
use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use tonic::transport::Channel;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::HealthCheckRequest;

use crate::backend_tests;
use crate::harness::{assert_error, init_tracing, test_settings, Backend, TestApp, TestDatabase};

backend_tests!(
    http_health,
    grpc_health,
    comes_up_on_an_empty_database,
    restart_keeps_data,
    graceful_shutdown_loses_nothing,
    read_only_refuses_every_mutation,
);

// Concurrent migrations need a database other processes can share.
mod concurrent_start {
    use crate::harness::Backend;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::two_instances_start_at_once(Backend::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn mysql() {
        super::two_instances_start_at_once(Backend::MySql).await;
    }
}

/// A write tier run by the test itself (for tests that outlive one instance or share a database).
struct Running {
    http_base: String,
    grpc_addr: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Running {
    fn start(app: Application) -> Running {
        let http_base = format!("http://127.0.0.1:{}", app.http_port());
        let grpc_addr = format!("http://127.0.0.1:{}", app.grpc_port());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until_stopped(async move {
            let _ = stopped.await;
        }));
        Running {
            http_base,
            grpc_addr,
            stop,
            task,
        }
    }

    async fn build(url: &str) -> Running {
        init_tracing();
        let app = Application::build(test_settings(url))
            .await
            .expect("write tier builds");
        Running::start(app)
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.task
            .await
            .expect("server task")
            .expect("server stopped cleanly");
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let resp = reqwest::get(format!("{}{path}", self.http_base))
            .await
            .expect("request sent");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let resp = reqwest::Client::new()
            .post(format!("{}{path}", self.http_base))
            .json(&body)
            .send()
            .await
            .expect("request sent");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

async fn health_client(grpc_addr: &str) -> HealthClient<Channel> {
    let channel = Channel::from_shared(grpc_addr.to_owned())
        .expect("grpc address")
        .connect()
        .await
        .expect("grpc connects");
    HealthClient::new(channel)
}

async fn http_health(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let resp = app
        .http
        .get(format!("{}/health", app.http_base))
        .send()
        .await
        .expect("request sent");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    assert_eq!(resp.text().await.expect("body"), r#"{"status":"SERVING"}"#);

    let (status, body) = app.get("/health?service=flipt.Flipt").await;
    assert_eq!((status, body), (200, json!({"status": "SERVING"})));
    let (status, body) = app.get("/health?service=").await;
    assert_eq!((status, body), (200, json!({"status": "SERVING"})));
    let (status, body) = app.get("/health?service=unknown").await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["code"], 5, "{body}");
    assert_eq!(body["details"], json!([]), "{body}");
    app.shutdown().await;
}

async fn grpc_health(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut health = health_client(&app.grpc_addr).await;
    for service in ["", "flipt.Flipt"] {
        let resp = health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .expect("health check")
            .into_inner();
        assert_eq!(resp.status(), ServingStatus::Serving, "service {service:?}");
    }
    let err = health
        .check(HealthCheckRequest {
            service: "unknown".into(),
        })
        .await
        .expect_err("unknown service");
    assert_eq!(err.code(), tonic::Code::NotFound);
    app.shutdown().await;
}

async fn comes_up_on_an_empty_database(backend: Backend) {
    // TestApp::spawn starts on a freshly created, empty database: the migrations create the
    // schema and the `default` namespace.
    let app = TestApp::spawn(backend).await;
    let (status, body) = app.get("/api/v1/namespaces").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["totalCount"], 1);
    let ns = &body["namespaces"][0];
    assert_eq!(ns["key"], "default");
    assert_eq!(ns["name"], "Default");
    assert_eq!(ns["description"], "Default namespace");
    assert_eq!(ns["protected"], true);
    assert!(ns["createdAt"].is_string());
    for path in [
        "/api/v1/namespaces/default/flags",
        "/api/v1/namespaces/default/segments",
    ] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["totalCount"], 0);
    }
    assert!(app.revision("default").await >= 0);
    app.shutdown().await;
}

async fn restart_keeps_data(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let first = Running::build(&database.url).await;
    let (status, created) = first
        .post(
            "/api/v1/namespaces/default/flags",
            json!({"key": "kept", "name": "Kept"}),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    first.stop().await;

    // Migrations on an up-to-date database are a no-op; the data is still there.
    let second = Running::build(&database.url).await;
    let (status, body) = second.get("/api/v1/namespaces/default/flags/kept").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, created);
    let (_, list) = second.get("/api/v1/namespaces").await;
    assert_eq!(list["totalCount"], 1);
    second.stop().await;
}

async fn two_instances_start_at_once(backend: Backend) {
    init_tracing();
    let database = TestDatabase::create(backend).await;
    let (a, b) = tokio::join!(
        Application::build(test_settings(&database.url)),
        Application::build(test_settings(&database.url)),
    );
    let a = Running::start(a.expect("first instance builds"));
    let b = Running::start(b.expect("second instance builds"));
    for instance in [&a, &b] {
        let (status, body) = instance.get("/health").await;
        assert_eq!((status, body), (200, json!({"status": "SERVING"})));
        let (status, body) = instance.get("/api/v1/namespaces").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["totalCount"], 1, "one default namespace: {body}");
    }
    // Each sees the other's writes.
    let (status, created) = a
        .post(
            "/api/v1/namespaces/default/flags",
            json!({"key": "from-a", "name": "A"}),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let (status, body) = b.get("/api/v1/namespaces/default/flags/from-a").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, created);
    let mut grpc = FliptClient::connect(b.grpc_addr.clone())
        .await
        .expect("grpc connects");
    grpc.create_flag(pb::CreateFlagRequest {
        key: "from-b".into(),
        name: "B".into(),
        ..Default::default()
    })
    .await
    .expect("create over gRPC on b");
    let (status, _) = a.get("/api/v1/namespaces/default/flags/from-b").await;
    assert_eq!(status, 200);
    a.stop().await;
    b.stop().await;
}

/// Outcome of one request fired at a server that is shutting down.
#[derive(Debug)]
enum Outcome {
    /// Answered 200: must be stored.
    Created(String),
    /// Never answered (refused, reset): must not be stored.
    Lost(String),
}

async fn graceful_shutdown_loses_nothing(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let server = Running::build(&database.url).await;
    let http = reqwest::Client::new();
    let grpc = FliptClient::connect(server.grpc_addr.clone())
        .await
        .expect("grpc connects");
    let first_done = Arc::new(tokio::sync::Notify::new());

    let mut tasks = Vec::new();
    // Namespace creations: each request writes its own row, so the load measures shutdown only
    // (not lock contention between writers of one namespace).
    for i in 0..50 {
        let key = format!("ns{i}");
        let first_done = first_done.clone();
        if i % 2 == 0 {
            let (http, url) = (
                http.clone(),
                format!("{}/api/v1/namespaces", server.http_base),
            );
            tasks.push(tokio::spawn(async move {
                let resp = http
                    .post(url)
                    .json(&json!({"key": key, "name": key}))
                    .send()
                    .await;
                let outcome = match resp {
                    Ok(resp) => {
                        let status = resp.status().as_u16();
                        let body = resp.text().await.unwrap_or_default();
                        assert_eq!(status, 200, "{key}: answered but not created: {body}");
                        Outcome::Created(key)
                    }
                    Err(_) => Outcome::Lost(key),
                };
                first_done.notify_one();
                outcome
            }));
        } else {
            let mut grpc = grpc.clone();
            tasks.push(tokio::spawn(async move {
                let resp = grpc
                    .create_namespace(pb::CreateNamespaceRequest {
                        key: key.clone(),
                        name: key.clone(),
                        description: String::new(),
                    })
                    .await;
                let outcome = match resp {
                    Ok(_) => Outcome::Created(key),
                    Err(status) => {
                        // Refused streams and closed connections only; never a server error.
                        assert!(
                            matches!(
                                status.code(),
                                tonic::Code::Unavailable
                                    | tonic::Code::Unknown
                                    | tonic::Code::Cancelled
                            ),
                            "{key}: {status:?}"
                        );
                        Outcome::Lost(key)
                    }
                };
                first_done.notify_one();
                outcome
            }));
        }
    }
    // Stop while the load is in flight: right after the first answer.
    first_done.notified().await;
    server.stop().await;

    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("request task"));
    }
    let db = Database::connect(&database.url)
        .await
        .expect("connect after shutdown");
    let stored: Vec<String> = namespace::Entity::find()
        .filter(namespace::Column::Key.ne("default"))
        .all(&db)
        .await
        .expect("list namespaces")
        .into_iter()
        .map(|n| n.key)
        .collect();
    let created: Vec<&String> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Created(k) => Some(k),
            Outcome::Lost(_) => None,
        })
        .collect();
    eprintln!(
        "graceful shutdown: {} acknowledged, {} refused",
        created.len(),
        outcomes.len() - created.len()
    );
    assert!(!created.is_empty());
    for outcome in &outcomes {
        match outcome {
            Outcome::Created(key) => {
                assert!(
                    stored.contains(key),
                    "{key} was acknowledged but is not stored"
                )
            }
            Outcome::Lost(key) => {
                assert!(
                    !stored.contains(key),
                    "{key} was stored but never acknowledged"
                )
            }
        }
    }
    assert_eq!(stored.len(), created.len(), "stored {stored:?}");
    db.close().await.ok();
}

async fn read_only_refuses_every_mutation(backend: Backend) {
    // Populate with a normal instance first.
    let database = TestDatabase::create(backend).await;
    let writer = Running::build(&database.url).await;
    let mut ids = std::collections::HashMap::new();
    for (name, path, body) in [
        (
            "ns",
            "/api/v1/namespaces",
            json!({"key": "team", "name": "Team"}),
        ),
        (
            "flag",
            "/api/v1/namespaces/default/flags",
            json!({"key": "f", "name": "F"}),
        ),
        (
            "bool",
            "/api/v1/namespaces/default/flags",
            json!({"key": "b", "name": "B", "type": "BOOLEAN_FLAG_TYPE"}),
        ),
        (
            "variant",
            "/api/v1/namespaces/default/flags/f/variants",
            json!({"key": "v"}),
        ),
        (
            "segment",
            "/api/v1/namespaces/default/segments",
            json!({"key": "s", "name": "S"}),
        ),
        (
            "constraint",
            "/api/v1/namespaces/default/segments/s/constraints",
            json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "x"}),
        ),
        (
            "rule",
            "/api/v1/namespaces/default/flags/f/rules",
            json!({"segmentKey": "s", "rank": 1}),
        ),
        (
            "rule2",
            "/api/v1/namespaces/default/flags/f/rules",
            json!({"segmentKey": "s", "rank": 2}),
        ),
        (
            "rollout",
            "/api/v1/namespaces/default/flags/b/rollouts",
            json!({"rank": 1, "threshold": {"percentage": 10, "value": true}}),
        ),
        (
            "rollout2",
            "/api/v1/namespaces/default/flags/b/rollouts",
            json!({"rank": 2, "threshold": {"percentage": 20, "value": true}}),
        ),
    ] {
        let (status, created) = writer.post(path, body).await;
        assert_eq!(status, 200, "{name}: {created}");
        ids.insert(name, created["id"].as_str().unwrap_or_default().to_owned());
    }
    let dist_path = format!(
        "/api/v1/namespaces/default/flags/f/rules/{}/distributions",
        ids["rule"]
    );
    let (status, dist) = writer
        .post(
            &dist_path,
            json!({"variantId": ids["variant"], "rollout": 50}),
        )
        .await;
    assert_eq!(status, 200, "{dist}");
    ids.insert("dist", dist["id"].as_str().unwrap_or_default().to_owned());
    writer.stop().await;

    let app = TestApp::spawn_with(database, |settings| settings.read_only = true).await;
    let revision = app.revision("default").await;
    let ns = "/api/v1/namespaces/default";
    let (rule, rule2, variant, constraint, rollout, rollout2, dist) = (
        &ids["rule"],
        &ids["rule2"],
        &ids["variant"],
        &ids["constraint"],
        &ids["rollout"],
        &ids["rollout2"],
        &ids["dist"],
    );
    let post = reqwest::Method::POST;
    let put = reqwest::Method::PUT;
    let delete = reqwest::Method::DELETE;
    let mutations: Vec<(reqwest::Method, String, Option<Value>)> = vec![
        (
            post.clone(),
            "/api/v1/namespaces".into(),
            Some(json!({"key": "x", "name": "X"})),
        ),
        (
            put.clone(),
            "/api/v1/namespaces/team".into(),
            Some(json!({"name": "T"})),
        ),
        (delete.clone(), "/api/v1/namespaces/team".into(), None),
        (
            post.clone(),
            format!("{ns}/flags"),
            Some(json!({"key": "x", "name": "X"})),
        ),
        (
            post.clone(),
            "/api/v1/flags".into(),
            Some(json!({"key": "x", "name": "X"})),
        ),
        (
            put.clone(),
            format!("{ns}/flags/f"),
            Some(json!({"name": "F2"})),
        ),
        (delete.clone(), format!("{ns}/flags/f"), None),
        (
            post.clone(),
            format!("{ns}/flags/f/variants"),
            Some(json!({"key": "v2"})),
        ),
        (
            put.clone(),
            format!("{ns}/flags/f/variants/{variant}"),
            Some(json!({"key": "v3"})),
        ),
        (
            delete.clone(),
            format!("{ns}/flags/f/variants/{variant}"),
            None,
        ),
        (
            post.clone(),
            format!("{ns}/segments"),
            Some(json!({"key": "x", "name": "X"})),
        ),
        (
            put.clone(),
            format!("{ns}/segments/s"),
            Some(json!({"name": "S2"})),
        ),
        (delete.clone(), format!("{ns}/segments/s"), None),
        (
            post.clone(),
            format!("{ns}/segments/s/copy"),
            Some(json!({"targetNamespaceKey": "team"})),
        ),
        (
            post.clone(),
            format!("{ns}/flags/f/copy"),
            Some(json!({"targetNamespaceKey": "team"})),
        ),
        (
            post.clone(),
            "/api/v1/namespaces/default/copy".into(),
            Some(json!({"targetKey": "copy", "targetName": "Copy"})),
        ),
        (
            post.clone(),
            format!("{ns}/segments/s/constraints"),
            Some(
                json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "y"}),
            ),
        ),
        (
            put.clone(),
            format!("{ns}/segments/s/constraints/{constraint}"),
            Some(
                json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "y"}),
            ),
        ),
        (
            delete.clone(),
            format!("{ns}/segments/s/constraints/{constraint}"),
            None,
        ),
        (
            post.clone(),
            format!("{ns}/flags/f/rules"),
            Some(json!({"segmentKey": "s", "rank": 3})),
        ),
        (
            put.clone(),
            format!("{ns}/flags/f/rules/{rule}"),
            Some(json!({"segmentKey": "s"})),
        ),
        (
            put.clone(),
            format!("{ns}/flags/f/rules/order"),
            Some(json!({"ruleIds": [rule2, rule]})),
        ),
        (delete.clone(), format!("{ns}/flags/f/rules/{rule}"), None),
        (
            post.clone(),
            format!("{ns}/flags/f/rules/{rule}/distributions"),
            Some(json!({"variantId": variant, "rollout": 10})),
        ),
        (
            put.clone(),
            format!("{ns}/flags/f/rules/{rule}/distributions/{dist}"),
            Some(json!({"variantId": variant, "rollout": 10})),
        ),
        (
            delete.clone(),
            format!("{ns}/flags/f/rules/{rule}/distributions/{dist}?variantId={variant}"),
            None,
        ),
        (
            post.clone(),
            format!("{ns}/flags/b/rollouts"),
            Some(json!({"rank": 3, "threshold": {"percentage": 5, "value": true}})),
        ),
        (
            put.clone(),
            format!("{ns}/flags/b/rollouts/{rollout}"),
            Some(json!({"threshold": {"percentage": 5, "value": true}})),
        ),
        (
            put.clone(),
            format!("{ns}/flags/b/rollouts/order"),
            Some(json!({"rolloutIds": [rollout2, rollout]})),
        ),
        (
            delete.clone(),
            format!("{ns}/flags/b/rollouts/{rollout}"),
            None,
        ),
    ];
    for (method, path, body) in mutations {
        let (status, resp) = app.call(method.clone(), &path, body).await;
        assert_eq!(status, 500, "{method} {path}: {resp}");
        assert_error(
            status,
            &resp,
            500,
            13,
            "modification is not allowed in read-only mode",
        );
    }

    // gRPC too.
    let mut grpc = app.grpc().await;
    let err = grpc
        .create_flag(pb::CreateFlagRequest {
            key: "x".into(),
            name: "X".into(),
            ..Default::default()
        })
        .await
        .expect_err("read-only");
    assert_eq!(err.code(), tonic::Code::Internal);
    assert_eq!(
        err.message(),
        "modification is not allowed in read-only mode"
    );
    let err = grpc
        .delete_rule(pb::DeleteRuleRequest {
            id: rule.clone(),
            flag_key: "f".into(),
            namespace_key: String::new(),
        })
        .await
        .expect_err("read-only");
    assert_eq!(err.code(), tonic::Code::Internal);
    assert_eq!(
        err.message(),
        "modification is not allowed in read-only mode"
    );

    // Reads work and nothing changed.
    assert_eq!(app.revision("default").await, revision);
    for path in [
        "/api/v1/namespaces".to_owned(),
        "/api/v1/namespaces/team".to_owned(),
        format!("{ns}/flags"),
        format!("{ns}/flags/f"),
        format!("{ns}/segments/s"),
        format!("{ns}/flags/f/rules"),
        format!("{ns}/flags/f/rules/{rule}"),
        format!("{ns}/flags/b/rollouts"),
        format!("{ns}/flags/b/rollouts/{rollout}"),
        "/health".to_owned(),
    ] {
        let (status, body) = app.get(&path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
    }
    let (_, flag) = app.get(&format!("{ns}/flags/f")).await;
    assert_eq!(flag["name"], "F");
    assert_eq!(flag["variants"][0]["key"], "v");
    let (_, rules) = app.get(&format!("{ns}/flags/f/rules")).await;
    assert_eq!(rules["totalCount"], 2);
    assert_eq!(rules["rules"][0]["distributions"][0]["rollout"], 50);
    let got = grpc
        .get_flag(pb::GetFlagRequest {
            key: "f".into(),
            ..Default::default()
        })
        .await
        .expect("gRPC read in read-only mode")
        .into_inner();
    assert_eq!(got.name, "F");
    app.shutdown().await;
}
