//! The legacy unscoped management routes (api.md §4.9) and the gateway's routing rules
//! (§2.2 trailing slash, §2.4 routing errors).
//!
//! Every legacy route is exercised twice: without a namespace (meaning `default`) and with
//! `namespaceKey` in the body (POST/PUT) or the query string (GET/DELETE); each write is
//! checked through the namespaced routes.

use serde_json::{json, Value};

use crate::backend_tests;
use crate::flags::get_flag;
use crate::harness::{assert_error, Backend, TestApp};

backend_tests!(
    legacy_routes_default_namespace,
    legacy_routes_other_namespace,
    legacy_snake_case_query_namespace,
    trailing_slash_is_stripped,
    routing_errors,
);

/// Adds `namespaceKey` to a body when a namespace is given.
fn with_ns(mut body: Value, ns: Option<&str>) -> Value {
    if let Some(ns) = ns {
        body["namespaceKey"] = json!(ns);
    }
    body
}

/// Appends `namespaceKey` to a path's query string when a namespace is given.
fn q(path: &str, ns: Option<&str>) -> String {
    match ns {
        None => path.to_owned(),
        Some(ns) if path.contains('?') => format!("{path}&namespaceKey={ns}"),
        Some(ns) => format!("{path}?namespaceKey={ns}"),
    }
}

async fn ok(app: &TestApp, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
    let (status, resp) = app.call(method.clone(), path, body).await;
    assert_eq!(status, 200, "{method} {path}: {resp}");
    resp
}

/// Drives every legacy flag, variant, rule, distribution, segment and constraint route in
/// `ns` (`None` = no namespace given) and checks the effect through the namespaced routes.
async fn exercise_legacy_routes(app: &TestApp, ns: Option<&str>) {
    use reqwest::Method;
    let eff = ns.unwrap_or("default");
    let scoped = format!("/api/v1/namespaces/{eff}");

    // ---- flags
    let flag = ok(
        app,
        Method::POST,
        "/api/v1/flags",
        Some(with_ns(json!({"key": "legacy", "name": "Legacy"}), ns)),
    )
    .await;
    assert_eq!(flag["namespaceKey"], eff);
    assert_eq!(flag["key"], "legacy");
    assert_eq!(flag["variants"], json!([]));
    assert_eq!(get_flag(app, eff, "legacy").await, flag);
    assert_eq!(
        ok(app, Method::GET, &q("/api/v1/flags/legacy", ns), None).await,
        flag
    );
    let list = ok(app, Method::GET, &q("/api/v1/flags", ns), None).await;
    assert_eq!(list["totalCount"], 1);
    assert_eq!(list["flags"][0]["key"], "legacy");
    assert_eq!(list["flags"][0]["namespaceKey"], eff);
    let page = ok(
        app,
        Method::GET,
        &q("/api/v1/flags?limit=1&offset=0", ns),
        None,
    )
    .await;
    assert_eq!(page["flags"][0]["key"], "legacy");

    // ---- variants
    let variant = ok(
        app,
        Method::POST,
        "/api/v1/flags/legacy/variants",
        Some(with_ns(
            json!({"key": "v1", "attachment": "{ \"x\": 1 }"}),
            ns,
        )),
    )
    .await;
    assert_eq!(variant["namespaceKey"], eff);
    assert_eq!(variant["flagKey"], "legacy");
    assert_eq!(variant["attachment"], "{\"x\":1}");
    let vid = variant["id"].as_str().expect("variant id").to_owned();
    let variant = ok(
        app,
        Method::PUT,
        &format!("/api/v1/flags/legacy/variants/{vid}"),
        Some(with_ns(json!({"key": "v1", "name": "Renamed"}), ns)),
    )
    .await;
    assert_eq!(variant["name"], "Renamed");
    assert_eq!(variant["namespaceKey"], eff);
    let spare = ok(
        app,
        Method::POST,
        "/api/v1/flags/legacy/variants",
        Some(with_ns(json!({"key": "spare"}), ns)),
    )
    .await;

    // ---- flag update with a default variant
    let updated = ok(
        app,
        Method::PUT,
        "/api/v1/flags/legacy",
        Some(with_ns(
            json!({"name": "Legacy 2", "enabled": true, "defaultVariantId": vid}),
            ns,
        )),
    )
    .await;
    assert_eq!(updated["name"], "Legacy 2");
    assert_eq!(updated["enabled"], true);
    assert_eq!(updated["defaultVariant"], variant);
    assert_eq!(updated["variants"], json!([variant, spare]));
    assert_eq!(get_flag(app, eff, "legacy").await, updated);

    // ---- segments
    let segment = ok(
        app,
        Method::POST,
        "/api/v1/segments",
        Some(with_ns(json!({"key": "seg", "name": "Seg"}), ns)),
    )
    .await;
    assert_eq!(segment["namespaceKey"], eff);
    assert_eq!(segment["matchType"], "ALL_MATCH_TYPE");
    assert_eq!(segment["constraints"], json!([]));
    let other_segment = ok(
        app,
        Method::POST,
        "/api/v1/segments",
        Some(with_ns(json!({"key": "seg2", "name": "Seg 2"}), ns)),
    )
    .await;
    assert_eq!(other_segment["namespaceKey"], eff);
    let segment = ok(
        app,
        Method::PUT,
        "/api/v1/segments/seg",
        Some(with_ns(
            json!({"name": "Seg renamed", "matchType": "ANY_MATCH_TYPE"}),
            ns,
        )),
    )
    .await;
    assert_eq!(segment["name"], "Seg renamed");
    assert_eq!(segment["matchType"], "ANY_MATCH_TYPE");

    // ---- constraints
    let constraint = ok(
        app,
        Method::POST,
        "/api/v1/segments/seg/constraints",
        Some(with_ns(
            json!({"type": "STRING_COMPARISON_TYPE", "property": "plan", "operator": "eq", "value": "pro"}),
            ns,
        )),
    )
    .await;
    assert_eq!(constraint["namespaceKey"], eff);
    assert_eq!(constraint["segmentKey"], "seg");
    assert_eq!(constraint["property"], "plan");
    let cid = constraint["id"].as_str().expect("constraint id").to_owned();
    let constraint = ok(
        app,
        Method::PUT,
        &format!("/api/v1/segments/seg/constraints/{cid}"),
        Some(with_ns(
            json!({"type": "STRING_COMPARISON_TYPE", "property": "plan", "operator": "neq", "value": "free"}),
            ns,
        )),
    )
    .await;
    assert_eq!(constraint["operator"], "neq");
    assert_eq!(constraint["value"], "free");
    let fetched = ok(app, Method::GET, &q("/api/v1/segments/seg", ns), None).await;
    assert_eq!(fetched["constraints"], json!([constraint]));
    assert_eq!(fetched["name"], "Seg renamed");
    let (status, scoped_segment) = app.get(&format!("{scoped}/segments/seg")).await;
    assert_eq!((status, &scoped_segment), (200, &fetched));
    let segments = ok(app, Method::GET, &q("/api/v1/segments", ns), None).await;
    assert_eq!(segments["totalCount"], 2);
    assert_eq!(segments["segments"][0], fetched);

    // ---- rules
    let rule = ok(
        app,
        Method::POST,
        "/api/v1/flags/legacy/rules",
        Some(with_ns(json!({"segmentKey": "seg", "rank": 1}), ns)),
    )
    .await;
    assert_eq!(rule["namespaceKey"], eff);
    assert_eq!(rule["flagKey"], "legacy");
    assert_eq!(rule["segmentKey"], "seg");
    assert_eq!(rule["rank"], 1);
    let rule_id = rule["id"].as_str().expect("rule id").to_owned();
    let rule2 = ok(
        app,
        Method::POST,
        "/api/v1/flags/legacy/rules",
        Some(with_ns(json!({"segmentKey": "seg2", "rank": 2}), ns)),
    )
    .await;
    let rule2_id = rule2["id"].as_str().expect("rule id").to_owned();
    let rule = ok(
        app,
        Method::PUT,
        &format!("/api/v1/flags/legacy/rules/{rule_id}"),
        Some(with_ns(
            json!({"segmentKeys": ["seg", "seg2"], "segmentOperator": "AND_SEGMENT_OPERATOR"}),
            ns,
        )),
    )
    .await;
    assert_eq!(rule["segmentKey"], "");
    assert_eq!(rule["segmentOperator"], "AND_SEGMENT_OPERATOR");
    let mut keys: Vec<String> =
        serde_json::from_value(rule["segmentKeys"].clone()).expect("segment keys");
    keys.sort();
    assert_eq!(keys, ["seg", "seg2"]);
    let order = ok(
        app,
        Method::PUT,
        "/api/v1/flags/legacy/rules/order",
        Some(with_ns(json!({"ruleIds": [rule2_id, rule_id]}), ns)),
    )
    .await;
    assert_eq!(order, json!({}));
    let rules = ok(app, Method::GET, &q("/api/v1/flags/legacy/rules", ns), None).await;
    assert_eq!(rules["totalCount"], 2);
    assert_eq!(rules["rules"][0]["id"], rule2_id.as_str());
    assert_eq!(rules["rules"][0]["rank"], 1);
    assert_eq!(rules["rules"][1]["id"], rule_id.as_str());
    assert_eq!(rules["rules"][1]["rank"], 2);

    // ---- distributions
    let dist = ok(
        app,
        Method::POST,
        &format!("/api/v1/flags/legacy/rules/{rule_id}/distributions"),
        Some(with_ns(json!({"variantId": vid, "rollout": 40}), ns)),
    )
    .await;
    assert_eq!(dist["ruleId"], rule_id.as_str());
    assert_eq!(dist["variantId"], vid.as_str());
    assert_eq!(dist["rollout"], 40);
    let dist_id = dist["id"].as_str().expect("distribution id").to_owned();
    let dist = ok(
        app,
        Method::PUT,
        &format!("/api/v1/flags/legacy/rules/{rule_id}/distributions/{dist_id}"),
        Some(with_ns(json!({"variantId": vid, "rollout": 33.3}), ns)),
    )
    .await;
    assert_eq!(dist["rollout"], 33.3);
    let fetched_rule = ok(
        app,
        Method::GET,
        &q(&format!("/api/v1/flags/legacy/rules/{rule_id}"), ns),
        None,
    )
    .await;
    assert_eq!(fetched_rule["distributions"], json!([dist]));
    let (status, scoped_rule) = app
        .get(&format!("{scoped}/flags/legacy/rules/{rule_id}"))
        .await;
    assert_eq!((status, &scoped_rule), (200, &fetched_rule));
    let deleted = ok(
        app,
        Method::DELETE,
        &q(
            &format!(
                "/api/v1/flags/legacy/rules/{rule_id}/distributions/{dist_id}?variantId={vid}"
            ),
            ns,
        ),
        None,
    )
    .await;
    assert_eq!(deleted, json!({}));
    let (_, scoped_rule) = app
        .get(&format!("{scoped}/flags/legacy/rules/{rule_id}"))
        .await;
    assert_eq!(scoped_rule["distributions"], json!([]));

    // ---- deletes
    let deleted = ok(
        app,
        Method::DELETE,
        &q(&format!("/api/v1/flags/legacy/rules/{rule2_id}"), ns),
        None,
    )
    .await;
    assert_eq!(deleted, json!({}));
    let (_, rules) = app.get(&format!("{scoped}/flags/legacy/rules")).await;
    assert_eq!(rules["totalCount"], 1);
    assert_eq!(rules["rules"][0]["id"], rule_id.as_str());
    assert_eq!(rules["rules"][0]["rank"], 1);

    let deleted = ok(
        app,
        Method::DELETE,
        &q(&format!("/api/v1/segments/seg/constraints/{cid}"), ns),
        None,
    )
    .await;
    assert_eq!(deleted, json!({}));
    let (_, seg) = app.get(&format!("{scoped}/segments/seg")).await;
    assert_eq!(seg["constraints"], json!([]));

    let deleted = ok(
        app,
        Method::DELETE,
        &q(&format!("/api/v1/flags/legacy/variants/{vid}"), ns),
        None,
    )
    .await;
    assert_eq!(deleted, json!({}));
    let flag = get_flag(app, eff, "legacy").await;
    assert_eq!(flag["variants"], json!([spare]));
    assert!(flag.get("defaultVariant").is_none(), "{flag}");

    let deleted = ok(app, Method::DELETE, &q("/api/v1/flags/legacy", ns), None).await;
    assert_eq!(deleted, json!({}));
    let (status, body) = app.get(&format!("{scoped}/flags/legacy")).await;
    assert_error(
        status,
        &body,
        404,
        5,
        &format!("flag \"{eff}/legacy\" not found"),
    );

    // With the flag gone, the segments are free.
    for key in ["seg", "seg2"] {
        let deleted = ok(
            app,
            Method::DELETE,
            &q(&format!("/api/v1/segments/{key}"), ns),
            None,
        )
        .await;
        assert_eq!(deleted, json!({}));
    }
    let (_, segments) = app.get(&format!("{scoped}/segments")).await;
    assert_eq!(segments["totalCount"], 0);
}

async fn legacy_routes_default_namespace(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    exercise_legacy_routes(&app, None).await;
    app.shutdown().await;
}

async fn legacy_routes_other_namespace(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.post_ok("/api/v1/namespaces", json!({"key": "team", "name": "Team"}))
        .await;
    // A same-named flag in `default` must stay untouched throughout.
    let untouched = app
        .post_ok(
            "/api/v1/flags",
            json!({"key": "legacy", "name": "In default"}),
        )
        .await;
    assert_eq!(untouched["namespaceKey"], "default");

    exercise_legacy_routes(&app, Some("team")).await;

    assert_eq!(get_flag(&app, "default", "legacy").await, untouched);
    let (status, body) = app.get("/api/v1/flags/legacy?namespaceKey=nope").await;
    assert_error(status, &body, 404, 5, "flag \"nope/legacy\" not found");
    let (status, body) = app
        .post(
            "/api/v1/flags",
            json!({"key": "x", "name": "X", "namespaceKey": "nope"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "namespace \"nope\" not found");
    app.shutdown().await;
}

async fn legacy_snake_case_query_namespace(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.post_ok("/api/v1/namespaces", json!({"key": "team", "name": "Team"}))
        .await;
    let created = app
        .post_ok(
            "/api/v1/flags",
            json!({"key": "f", "name": "F", "namespace_key": "team"}),
        )
        .await;
    assert_eq!(created["namespaceKey"], "team");
    let (status, body) = app.get("/api/v1/flags/f?namespace_key=team").await;
    assert_eq!((status, &body), (200, &created));
    let (status, body) = app.get("/api/v1/flags?namespace_key=team").await;
    assert_eq!(status, 200);
    assert_eq!(body["totalCount"], 1);
    // Namespaced routes ignore a namespace given in the body or query: the path wins.
    let (status, body) = app
        .get("/api/v1/namespaces/default/flags/f?namespaceKey=team")
        .await;
    assert_error(status, &body, 404, 5, "flag \"default/f\" not found");
    let scoped = app
        .post_ok(
            "/api/v1/namespaces/default/flags",
            json!({"key": "f", "name": "F", "namespaceKey": "team"}),
        )
        .await;
    assert_eq!(scoped["namespaceKey"], "default");
    let (status, body) = app.delete("/api/v1/flags/f?namespace_key=team").await;
    assert_eq!((status, body), (200, json!({})));
    let (status, body) = app.get("/api/v1/namespaces/team/flags/f").await;
    assert_error(status, &body, 404, 5, "flag \"team/f\" not found");
    // The default namespace's flag survives.
    assert_eq!(get_flag(&app, "default", "f").await, scoped);
    app.shutdown().await;
}

async fn trailing_slash_is_stripped(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let created = app
        .post_ok(
            "/api/v1/namespaces/default/flags/",
            json!({"key": "f", "name": "F"}),
        )
        .await;
    assert_eq!(created["key"], "f");

    let (status, list) = app.get("/api/v1/namespaces/default/flags/").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["totalCount"], 1);
    assert_eq!(list["flags"][0]["key"], "f");
    let (status, list) = app.get("/api/v1/flags/?limit=1").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["flags"][0]["key"], "f");
    let (status, body) = app.get("/api/v1/namespaces/default/flags/f/").await;
    assert_eq!((status, &body), (200, &created));
    let (status, body) = app.get("/api/v1/flags/f/").await;
    assert_eq!((status, &body), (200, &created));
    let variant = app
        .post_ok("/api/v1/flags/f/variants/", json!({"key": "v"}))
        .await;
    assert_eq!(variant["flagKey"], "f");
    let (status, body) = app
        .put("/api/v1/namespaces/default/flags/f/", json!({"name": "G"}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "G");
    let (status, body) = app.delete("/api/v1/flags/f/").await;
    assert_eq!((status, body), (200, json!({})));
    app.shutdown().await;
}

async fn routing_errors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    use reqwest::Method;

    let not_allowed = [
        (Method::DELETE, "/api/v1/flags"),
        (Method::PUT, "/api/v1/flags"),
        (Method::POST, "/api/v1/flags/f"),
        (Method::PATCH, "/api/v1/namespaces/default/flags/f"),
        (Method::GET, "/api/v1/flags/f/variants"),
        (
            Method::GET,
            "/api/v1/namespaces/default/flags/f/variants/some-id",
        ),
        (Method::POST, "/api/v1/flags/f/variants/some-id"),
        (Method::DELETE, "/api/v1/segments"),
        (Method::GET, "/api/v1/segments/s/constraints"),
        (Method::GET, "/api/v1/flags/f/rules/r/distributions"),
        (Method::DELETE, "/api/v1/namespaces/default/flags/"),
    ];
    for (method, path) in not_allowed {
        let (status, body) = app.call(method.clone(), path, None).await;
        assert_eq!(status, 501, "{method} {path}: {body}");
        assert_eq!(
            body,
            json!({"code": 12, "message": "Method Not Allowed", "details": []}),
            "{method} {path}"
        );
    }

    let not_found = [
        (Method::GET, "/api/v1/nothing"),
        (Method::GET, "/api/v1/flags/f/unknown"),
        (Method::POST, "/api/v1/flags/f/variants/id/extra"),
        // There are no legacy rollout or namespace-less rollout routes.
        (Method::GET, "/api/v1/flags/f/rollouts"),
        (
            Method::GET,
            "/api/v1/namespaces/default/flags/f/rules/r/distributions/d/x",
        ),
    ];
    for (method, path) in not_found {
        let (status, body) = app.call(method.clone(), path, None).await;
        assert_eq!(status, 404, "{method} {path}: {body}");
        assert_eq!(
            body,
            json!({"code": 5, "message": "Not Found", "details": []}),
            "{method} {path}"
        );
    }
    app.shutdown().await;
}

mod order_segment {
    use crate::harness::{assert_error, Backend, TestApp};
    use serde_json::json;

    /// Only PUT owns `…/order`; GET and DELETE there address a rule or rollout with id "order".
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn get_and_delete_on_order_address_an_id() {
        let app = TestApp::spawn(Backend::Sqlite).await;
        app.post_ok(
            "/api/v1/namespaces/default/flags",
            json!({"key": "f", "name": "F"}),
        )
        .await;
        let (status, body) = app
            .get("/api/v1/namespaces/default/flags/f/rules/order")
            .await;
        assert_error(status, &body, 404, 5, "rule \"default/order\" not found");
        let (status, body) = app.get("/api/v1/flags/f/rules/order").await;
        assert_error(status, &body, 404, 5, "rule \"default/order\" not found");
        let (status, body) = app
            .get("/api/v1/namespaces/default/flags/f/rollouts/order")
            .await;
        assert_error(status, &body, 404, 5, "rollout \"default/order\" not found");
        for path in [
            "/api/v1/namespaces/default/flags/f/rules/order",
            "/api/v1/namespaces/default/flags/f/rollouts/order",
        ] {
            let (status, body) = app.delete(path).await;
            assert_eq!((status, body), (200, json!({})), "DELETE {path}");
        }
        let (status, body) = app
            .call(
                reqwest::Method::POST,
                "/api/v1/namespaces/default/flags/f/rules/order",
                None,
            )
            .await;
        assert_error(status, &body, 501, 12, "Method Not Allowed");
    }
}
