//! Rollout routes of boolean flags over REST (api.md §4.8, §13.4, §14.2, §14.3).

use serde_json::{json, Value};

use crate::backend_tests;
use crate::harness::{assert_error, Backend, TestApp};

backend_tests!(
    threshold_and_segment_rollouts,
    rollout_validation_and_not_found,
    rollout_update,
    rollout_order_and_delete,
    rollout_list_pagination,
);

const ROLLOUTS: &str = "/api/v1/namespaces/default/flags/b/rollouts";

/// Asserts a timestamp as the wire carries it: an RFC 3339 string in UTC.
fn assert_timestamp(value: &Value) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("timestamp {value}"));
    assert!(text.ends_with('Z') && text.len() >= 20, "timestamp {text}");
}

/// Percent-encodes a page token (standard base64 may hold `+`, `/`, `=`) for a query string.
fn encode_query(token: &str) -> String {
    token
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

/// Boolean flag `b` in `default`, plus the given segments.
async fn setup(app: &TestApp, segments: &[&str]) {
    app.post_ok(
        "/api/v1/namespaces/default/flags",
        json!({"key": "b", "name": "B", "type": "BOOLEAN_FLAG_TYPE"}),
    )
    .await;
    for key in segments {
        app.post_ok(
            "/api/v1/namespaces/default/segments",
            json!({"key": key, "name": key}),
        )
        .await;
    }
}

async fn list(app: &TestApp) -> Value {
    let (status, list) = app.get(ROLLOUTS).await;
    assert_eq!(status, 200, "{list}");
    list
}

fn ranks_and_ids(list: &Value) -> Vec<(i64, String)> {
    list["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["rank"].as_i64().unwrap(), id(r)))
        .collect()
}

async fn threshold_and_segment_rollouts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["s", "t", "a"]).await;

    let before = app.revision("default").await;
    let threshold = app
        .post_ok(
            ROLLOUTS,
            json!({
                "rank": 1,
                "description": "a third",
                "threshold": {"percentage": 33.3, "value": true},
            }),
        )
        .await;
    assert_eq!(app.revision("default").await, before + 1);
    assert_timestamp(&threshold["createdAt"]);
    // Exactly one oneof member, no `segment` key at all.
    assert_eq!(
        threshold,
        json!({
            "id": threshold["id"],
            "namespaceKey": "default",
            "flagKey": "b",
            "type": "THRESHOLD_ROLLOUT_TYPE",
            "rank": 1,
            "description": "a third",
            "createdAt": threshold["createdAt"],
            "updatedAt": threshold["createdAt"],
            "threshold": {"percentage": 33.3, "value": true},
        })
    );

    // A single segment forces OR, whatever was asked.
    let segment = app
        .post_ok(
            ROLLOUTS,
            json!({
                "rank": 2,
                "segment": {"segmentKey": "s", "value": false, "segmentOperator": "AND_SEGMENT_OPERATOR"},
            }),
        )
        .await;
    assert_eq!(
        segment,
        json!({
            "id": segment["id"],
            "namespaceKey": "default",
            "flagKey": "b",
            "type": "SEGMENT_ROLLOUT_TYPE",
            "rank": 2,
            "description": "",
            "createdAt": segment["createdAt"],
            "updatedAt": segment["createdAt"],
            "segment": {
                "segmentKey": "s",
                "value": false,
                "segmentKeys": [],
                "segmentOperator": "OR_SEGMENT_OPERATOR",
            },
        })
    );

    // Several segments with AND: keys sorted, duplicates removed, segmentKey empty.
    let multi = app
        .post_ok(
            ROLLOUTS,
            json!({
                "rank": 3,
                "segment": {
                    "segmentKeys": ["t", "a", "t"],
                    "value": true,
                    "segmentOperator": "AND_SEGMENT_OPERATOR",
                },
            }),
        )
        .await;
    assert_eq!(multi["type"], "SEGMENT_ROLLOUT_TYPE");
    assert_eq!(
        multi["segment"],
        json!({
            "segmentKey": "",
            "value": true,
            "segmentKeys": ["a", "t"],
            "segmentOperator": "AND_SEGMENT_OPERATOR",
        })
    );
    assert!(multi.get("threshold").is_none());

    let full = app
        .post_ok(
            ROLLOUTS,
            json!({"rank": 4, "threshold": {"percentage": 100, "value": false}}),
        )
        .await;
    assert_eq!(
        full["threshold"],
        json!({"percentage": 100, "value": false})
    );

    // The list carries the items under `rules` (trap), each equal to its create response.
    let listed = list(&app).await;
    assert_eq!(
        listed,
        json!({
            "rules": [threshold, segment, multi, full],
            "nextPageToken": "",
            "totalCount": 4,
        })
    );
    assert!(listed.get("rollouts").is_none());
    for rollout in [&threshold, &segment, &multi, &full] {
        let (status, fetched) = app.get(&format!("{ROLLOUTS}/{}", id(rollout))).await;
        assert_eq!(status, 200);
        assert_eq!(&fetched, rollout);
    }

    // An unknown flag lists nothing.
    let (status, empty) = app.get("/api/v1/namespaces/default/flags/x/rollouts").await;
    assert_eq!(status, 200);
    assert_eq!(
        empty,
        json!({"rules": [], "nextPageToken": "", "totalCount": 0})
    );

    app.shutdown().await;
}

async fn rollout_validation_and_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["s"]).await;
    app.post_ok(
        ROLLOUTS,
        json!({"rank": 2, "threshold": {"percentage": 50, "value": true}}),
    )
    .await;
    let before = app.revision("default").await;

    let cases = [
        (
            json!({"rank": 1, "threshold": {"percentage": 101, "value": true}}),
            "invalid field threshold.percentage: must be within range [0, 100]",
        ),
        (
            json!({"rank": 1, "threshold": {"percentage": 200}}),
            "invalid field threshold.percentage: must be within range [0, 100]",
        ),
        (
            json!({"rank": 1, "threshold": {"percentage": -1}}),
            "invalid field threshold.percentage: must be within range [0, 100]",
        ),
        (
            json!({"rank": 1, "segment": {"value": true}}),
            "invalid field segmentKey or segmentKeys: must not be empty",
        ),
        (
            json!({"rank": 1, "segment": {"segmentKey": "s", "segmentKeys": ["s"]}}),
            "invalid field segmentKey or segmentKeys: only one can be present",
        ),
        (
            json!({"rank": 2, "threshold": {"percentage": 10}}),
            "rank number: 2 already exists",
        ),
        // The rank check comes before the missing member.
        (json!({"rank": 2}), "rank number: 2 already exists"),
        (json!({"rank": 3}), "rollout rule is missing"),
        (
            json!({"rank": 3, "description": "nothing"}),
            "rollout rule is missing",
        ),
    ];
    for (body, message) in cases {
        let (status, got) = app.post(ROLLOUTS, body.clone()).await;
        assert_eq!(status, 400, "{body} -> {got}");
        assert_error(status, &got, 400, 3, message);
    }

    let (status, body) = app
        .post(
            "/api/v1/namespaces/default/flags/x/rollouts",
            json!({"rank": 1, "threshold": {"percentage": 10}}),
        )
        .await;
    assert_error(status, &body, 404, 5, "flag \"default/x\" not found");
    let (status, body) = app
        .post(
            ROLLOUTS,
            json!({"rank": 3, "segment": {"segmentKey": "nope", "value": true}}),
        )
        .await;
    assert_error(
        status,
        &body,
        404,
        5,
        "flag \"default/b or segment nope\" not found",
    );
    let (status, body) = app
        .post(
            "/api/v1/namespaces/default/flags/x/rollouts",
            json!({"rank": 1, "segment": {"segmentKey": "s"}}),
        )
        .await;
    assert_error(
        status,
        &body,
        404,
        5,
        "flag \"default/x or segment s\" not found",
    );
    // With the list field the deprecated single field is empty in the message.
    let (status, body) = app
        .post(
            ROLLOUTS,
            json!({"rank": 3, "segment": {"segmentKeys": ["s", "nope"]}}),
        )
        .await;
    assert_error(
        status,
        &body,
        404,
        5,
        "flag \"default/b or segment \" not found",
    );
    assert_eq!(app.revision("default").await, before);

    let (status, body) = app.get(&format!("{ROLLOUTS}/nope")).await;
    assert_error(status, &body, 404, 5, "rollout \"default/nope\" not found");
    assert_eq!(list(&app).await["totalCount"], 1);

    app.shutdown().await;
}

async fn rollout_update(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["s", "t", "u"]).await;
    app.post_ok(
        "/api/v1/namespaces/default/flags",
        json!({"key": "c", "name": "C", "type": "BOOLEAN_FLAG_TYPE"}),
    )
    .await;
    let threshold = app
        .post_ok(
            ROLLOUTS,
            json!({"rank": 1, "description": "d", "threshold": {"percentage": 10, "value": true}}),
        )
        .await;
    let segment = app
        .post_ok(
            ROLLOUTS,
            json!({"rank": 2, "segment": {"segmentKey": "s", "value": true}}),
        )
        .await;
    let threshold_path = format!("{ROLLOUTS}/{}", id(&threshold));
    let segment_path = format!("{ROLLOUTS}/{}", id(&segment));

    let before = app.revision("default").await;
    let (status, updated_threshold) = app
        .put(
            &threshold_path,
            json!({"description": "changed", "threshold": {"percentage": 33.3, "value": false}}),
        )
        .await;
    assert_eq!(status, 200, "{updated_threshold}");
    assert_eq!(app.revision("default").await, before + 1);
    assert_timestamp(&updated_threshold["updatedAt"]);
    assert_eq!(
        updated_threshold,
        json!({
            "id": threshold["id"],
            "namespaceKey": "default",
            "flagKey": "b",
            "type": "THRESHOLD_ROLLOUT_TYPE",
            "rank": 1,
            "description": "changed",
            "createdAt": threshold["createdAt"],
            "updatedAt": updated_threshold["updatedAt"],
            "threshold": {"percentage": 33.3, "value": false},
        })
    );

    let (status, updated_segment) = app
        .put(
            &segment_path,
            json!({
                "segment": {
                    "segmentKeys": ["u", "t"],
                    "value": false,
                    "segmentOperator": "AND_SEGMENT_OPERATOR",
                },
            }),
        )
        .await;
    assert_eq!(status, 200, "{updated_segment}");
    assert_eq!(
        updated_segment,
        json!({
            "id": segment["id"],
            "namespaceKey": "default",
            "flagKey": "b",
            "type": "SEGMENT_ROLLOUT_TYPE",
            "rank": 2,
            "description": "",
            "createdAt": segment["createdAt"],
            "updatedAt": updated_segment["updatedAt"],
            "segment": {
                "segmentKey": "",
                "value": false,
                "segmentKeys": ["t", "u"],
                "segmentOperator": "AND_SEGMENT_OPERATOR",
            },
        })
    );
    // Update responses equal the later list items (§14.2).
    assert_eq!(
        list(&app).await["rules"],
        json!([updated_threshold, updated_segment])
    );

    // `s` is no longer referenced; `t` is.
    let (status, _) = app.delete("/api/v1/namespaces/default/segments/s").await;
    assert_eq!(status, 200);
    let (status, body) = app.delete("/api/v1/namespaces/default/segments/t").await;
    assert_error(status, &body, 400, 3, "segment \"default/t\" is in use");

    let before = app.revision("default").await;
    let (status, body) = app
        .put(
            &threshold_path,
            json!({"segment": {"segmentKey": "t", "value": true}}),
        )
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "cannot change type of rollout: have \"THRESHOLD_ROLLOUT_TYPE\" attempted \"SEGMENT_ROLLOUT_TYPE\"",
    );
    let (status, body) = app
        .put(&segment_path, json!({"threshold": {"percentage": 5}}))
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "cannot change type of rollout: have \"SEGMENT_ROLLOUT_TYPE\" attempted \"THRESHOLD_ROLLOUT_TYPE\"",
    );
    let (status, body) = app
        .put(&threshold_path, json!({"description": "no member"}))
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field rule: invalid rollout rule type",
    );
    let (status, body) = app
        .put(
            &threshold_path,
            json!({"threshold": {"percentage": 101, "value": true}}),
        )
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field threshold.percentage: must be within range [0, 100]",
    );
    let (status, body) = app
        .put(&segment_path, json!({"segment": {"value": true}}))
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field segmentKey or segmentKeys: must not be empty",
    );
    let (status, body) = app
        .put(
            &format!("{ROLLOUTS}/nope"),
            json!({"threshold": {"percentage": 5}}),
        )
        .await;
    assert_error(status, &body, 404, 5, "rollout \"default/nope\" not found");
    // A rollout of another flag is not found through this flag.
    let (status, body) = app
        .put(
            &format!(
                "/api/v1/namespaces/default/flags/c/rollouts/{}",
                id(&threshold)
            ),
            json!({"threshold": {"percentage": 5}}),
        )
        .await;
    assert_error(
        status,
        &body,
        404,
        5,
        &format!("rollout \"default/{}\" not found", id(&threshold)),
    );
    // An unknown segment is a 404, not Flipt's 500.
    let (status, body) = app
        .put(&segment_path, json!({"segment": {"segmentKey": "nope"}}))
        .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["code"], 5);
    assert_eq!(app.revision("default").await, before);
    assert_eq!(
        list(&app).await["rules"],
        json!([updated_threshold, updated_segment])
    );

    app.shutdown().await;
}

async fn rollout_order_and_delete(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["s"]).await;
    let mut ids = Vec::new();
    for rank in [1, 2, 3, 4] {
        let body = if rank % 2 == 0 {
            json!({"rank": rank, "segment": {"segmentKey": "s", "value": true}})
        } else {
            json!({"rank": rank, "threshold": {"percentage": rank * 10, "value": true}})
        };
        ids.push(id(&app.post_ok(ROLLOUTS, body).await));
    }
    let order = format!("{ROLLOUTS}/order");

    for ids in [json!([]), json!([ids[0]])] {
        let (status, body) = app.put(&order, json!({"rolloutIds": ids})).await;
        assert_error(
            status,
            &body,
            400,
            3,
            "invalid field rolloutIds: must contain atleast 2 elements",
        );
    }

    let before = app.revision("default").await;
    let (status, body) = app
        .put(
            &order,
            json!({"rolloutIds": [ids[3], ids[1], ids[0], ids[2]]}),
        )
        .await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.revision("default").await, before + 1);
    let listed = list(&app).await;
    assert_eq!(
        ranks_and_ids(&listed),
        vec![
            (1, ids[3].clone()),
            (2, ids[1].clone()),
            (3, ids[0].clone()),
            (4, ids[2].clone()),
        ]
    );
    let rules = listed["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .all(|r| r["updatedAt"] == rules[0]["updatedAt"]));
    assert!(rules.iter().all(|r| r["updatedAt"] != r["createdAt"]));

    // Delete the one now at rank 2: the rest become 1..3 in their previous order.
    let before = app.revision("default").await;
    let (status, body) = app.delete(&format!("{ROLLOUTS}/{}", ids[1])).await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.revision("default").await, before + 1);
    let (status, body) = app.get(&format!("{ROLLOUTS}/{}", ids[1])).await;
    assert_error(
        status,
        &body,
        404,
        5,
        &format!("rollout \"default/{}\" not found", ids[1]),
    );
    let listed = list(&app).await;
    assert_eq!(listed["totalCount"], 3);
    assert_eq!(
        ranks_and_ids(&listed),
        vec![
            (1, ids[3].clone()),
            (2, ids[0].clone()),
            (3, ids[2].clone()),
        ]
    );

    // Idempotent.
    let (status, body) = app.delete(&format!("{ROLLOUTS}/{}", ids[1])).await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(list(&app).await["totalCount"], 3);

    // A freed rank can be taken again; the segment is released once unused.
    app.post_ok(ROLLOUTS, json!({"rank": 4, "threshold": {"percentage": 1}}))
        .await;
    let (status, body) = app.delete("/api/v1/namespaces/default/segments/s").await;
    assert_error(status, &body, 400, 3, "segment \"default/s\" is in use");
    let (status, _) = app.delete(&format!("{ROLLOUTS}/{}", ids[3])).await;
    assert_eq!(status, 200);
    let (status, body) = app.delete("/api/v1/namespaces/default/segments/s").await;
    assert_eq!((status, body), (200, json!({})));

    app.shutdown().await;
}

async fn rollout_list_pagination(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &[]).await;
    let mut created = Vec::new();
    for rank in 1..=3 {
        created.push(
            app.post_ok(
                ROLLOUTS,
                json!({"rank": rank, "threshold": {"percentage": rank, "value": true}}),
            )
            .await,
        );
    }
    let (status, page) = app.get(&format!("{ROLLOUTS}?limit=2")).await;
    assert_eq!(status, 200);
    assert_eq!(page["rules"], json!([created[0], created[1]]));
    assert_eq!(page["totalCount"], 3);
    let token = encode_query(page["nextPageToken"].as_str().unwrap());
    assert!(!token.is_empty());
    let (status, page) = app
        .get(&format!("{ROLLOUTS}?limit=2&pageToken={token}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        page,
        json!({"rules": [created[2]], "nextPageToken": "", "totalCount": 3})
    );

    app.shutdown().await;
}
