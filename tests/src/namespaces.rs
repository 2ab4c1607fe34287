//! Namespace routes over REST (api.md §4.1).

use serde_json::json;

use crate::backend_tests;
use crate::harness::{assert_error, Backend, TestApp};

backend_tests!(namespace_crud, default_namespace_is_protected);

async fn namespace_crud(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let created = app
        .post_ok(
            "/api/v1/namespaces",
            json!({"key": "team-a", "name": "Team A"}),
        )
        .await;
    assert_eq!(created["key"], "team-a");
    assert_eq!(created["name"], "Team A");
    assert_eq!(created["description"], "");
    assert_eq!(created["protected"], false);
    assert_eq!(created["createdAt"], created["updatedAt"]);

    let (status, fetched) = app.get("/api/v1/namespaces/team-a").await;
    assert_eq!(status, 200);
    assert_eq!(fetched, created);

    let (status, list) = app.get("/api/v1/namespaces").await;
    assert_eq!(status, 200);
    assert_eq!(list["totalCount"], 2);
    assert_eq!(list["nextPageToken"], "");
    assert_eq!(list["namespaces"][0]["key"], "default");
    assert_eq!(list["namespaces"][1], created);

    let (status, body) = app
        .post(
            "/api/v1/namespaces",
            json!({"key": "team-a", "name": "again"}),
        )
        .await;
    assert_error(status, &body, 400, 3, "namespace \"team-a\" is not unique");

    let (status, updated) = app
        .put("/api/v1/namespaces/team-a", json!({"name": "Renamed"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["createdAt"], created["createdAt"]);

    let (status, body) = app.delete("/api/v1/namespaces/team-a").await;
    assert_eq!((status, body), (200, json!({})));
    let (status, body) = app.get("/api/v1/namespaces/team-a").await;
    assert_error(status, &body, 404, 5, "namespace \"team-a\" not found");
    let (status, body) = app.delete("/api/v1/namespaces/team-a").await;
    assert_error(status, &body, 404, 5, "namespace \"team-a\" not found");

    app.shutdown().await;
}

async fn default_namespace_is_protected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, body) = app
        .post("/api/v1/namespaces", json!({"key": "default", "name": "x"}))
        .await;
    assert_error(status, &body, 400, 3, "namespace \"default\" is not unique");
    for path in [
        "/api/v1/namespaces/default",
        "/api/v1/namespaces/default?force=true",
    ] {
        let (status, body) = app.delete(path).await;
        assert_error(status, &body, 400, 3, "namespace \"default\" is protected");
    }
    let (status, body) = app.get("/api/v1/namespaces/default").await;
    assert_eq!(status, 200);
    assert_eq!(body["protected"], true);
}
