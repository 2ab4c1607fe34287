//! Segment and constraint routes over REST (api.md §4.4, §4.5, §13.3, §14.1).

use serde_json::{json, Value};

use crate::backend_tests;
use crate::harness::{assert_error, Backend, TestApp};

backend_tests!(
    segment_crud,
    segment_validation,
    segment_delete_refused_while_in_use,
    segment_list_pagination,
    constraints_of_every_type,
    constraint_validation,
    constraint_type_undefined_number,
    constraint_lists,
    constraint_update_and_delete,
);

const SEGMENTS: &str = "/api/v1/namespaces/default/segments";

/// Asserts a timestamp as the wire carries it: an RFC 3339 string in UTC.
fn assert_timestamp(value: &Value) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("timestamp {value}"));
    assert!(text.ends_with('Z') && text.len() >= 20, "timestamp {text}");
}

async fn create_segment(app: &TestApp, key: &str) -> Value {
    app.post_ok(SEGMENTS, json!({"key": key, "name": key}))
        .await
}

async fn create_constraint(app: &TestApp, segment: &str, body: Value) -> Value {
    app.post_ok(&format!("{SEGMENTS}/{segment}/constraints"), body)
        .await
}

async fn segment_crud(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let before = app.revision("default").await;
    let created = app
        .post_ok(
            SEGMENTS,
            json!({"key": "s", "name": "Segment", "description": "some users"}),
        )
        .await;
    assert_eq!(app.revision("default").await, before + 1);
    assert_timestamp(&created["createdAt"]);
    assert_eq!(created["createdAt"], created["updatedAt"]);
    assert_eq!(
        created,
        json!({
            "key": "s",
            "name": "Segment",
            "description": "some users",
            "createdAt": created["createdAt"],
            "updatedAt": created["createdAt"],
            "constraints": [],
            "matchType": "ALL_MATCH_TYPE",
            "namespaceKey": "default",
        })
    );

    let (status, fetched) = app.get(&format!("{SEGMENTS}/s")).await;
    assert_eq!(status, 200);
    assert_eq!(fetched, created);

    let (status, body) = app
        .post(SEGMENTS, json!({"key": "s", "name": "again"}))
        .await;
    assert_error(status, &body, 400, 3, "segment \"default/s\" is not unique");

    let (status, updated) = app
        .put(
            &format!("{SEGMENTS}/s"),
            json!({"name": "Renamed", "description": "d2", "matchType": "ANY_MATCH_TYPE"}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["key"], "s");
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["description"], "d2");
    assert_eq!(updated["matchType"], "ANY_MATCH_TYPE");
    assert_eq!(updated["constraints"], json!([]));
    assert_eq!(updated["namespaceKey"], "default");
    assert_eq!(updated["createdAt"], created["createdAt"]);
    assert_timestamp(&updated["updatedAt"]);
    let (_, fetched) = app.get(&format!("{SEGMENTS}/s")).await;
    assert_eq!(fetched, updated);

    // PUT replaces everything: an omitted matchType is ALL, an omitted description is "".
    let (status, updated) = app
        .put(&format!("{SEGMENTS}/s"), json!({"name": "Again"}))
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["matchType"], "ALL_MATCH_TYPE");
    assert_eq!(updated["description"], "");
    assert_eq!(updated["name"], "Again");

    let (status, body) = app
        .put(&format!("{SEGMENTS}/nope"), json!({"name": "x"}))
        .await;
    assert_error(status, &body, 404, 5, "segment \"default/nope\" not found");

    // Created with ANY from the start.
    let any = app
        .post_ok(
            SEGMENTS,
            json!({"key": "any", "name": "Any", "matchType": "ANY_MATCH_TYPE"}),
        )
        .await;
    assert_eq!(any["matchType"], "ANY_MATCH_TYPE");

    let before = app.revision("default").await;
    let (status, body) = app.delete(&format!("{SEGMENTS}/s")).await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.revision("default").await, before + 1);
    let (status, body) = app.get(&format!("{SEGMENTS}/s")).await;
    assert_error(status, &body, 404, 5, "segment \"default/s\" not found");
    // Idempotent, and nothing to bump.
    let (status, body) = app.delete(&format!("{SEGMENTS}/s")).await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.revision("default").await, before + 1);

    app.shutdown().await;
}

async fn segment_validation(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let cases = [
        (json!({"name": "n"}), "invalid field key: must not be empty"),
        (
            json!({"key": "a.b", "name": "n"}),
            "invalid field key: contains invalid characters",
        ),
        (json!({"key": "k"}), "invalid field name: must not be empty"),
    ];
    for (body, message) in cases {
        let (status, got) = app.post(SEGMENTS, body).await;
        assert_error(status, &got, 400, 3, message);
    }
    // Commas are allowed in keys.
    let created = create_segment(&app, "a,b-c_d").await;
    assert_eq!(created["key"], "a,b-c_d");

    // Longer than the database column: a clean 400 (DESIGN.md §6), not a database error.
    let long = "k".repeat(256);
    for body in [
        json!({"key": long, "name": "n"}),
        json!({"key": "k", "name": long}),
    ] {
        let (status, got) = app.post(SEGMENTS, body).await;
        assert_eq!(status, 400, "{got}");
        assert_eq!(got["code"], 3);
        assert!(
            got["message"]
                .as_str()
                .unwrap()
                .starts_with("invalid field "),
            "{got}"
        );
    }
    let (status, _) = app.get(&format!("{SEGMENTS}/{long}")).await;
    assert_eq!(status, 404);

    let (status, body) = app
        .post(
            "/api/v1/namespaces/nope/segments",
            json!({"key": "k", "name": "n"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "namespace \"nope\" not found");

    create_segment(&app, "s").await;
    let (status, body) = app.put(&format!("{SEGMENTS}/s"), json!({})).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field name: must not be empty",
    );

    let (status, body) = app.get(&format!("{SEGMENTS}/missing")).await;
    assert_error(
        status,
        &body,
        404,
        5,
        "segment \"default/missing\" not found",
    );

    app.shutdown().await;
}

async fn segment_delete_refused_while_in_use(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_segment(&app, "s").await;

    // A rule uses it.
    app.post_ok(
        "/api/v1/namespaces/default/flags",
        json!({"key": "f", "name": "F", "type": "VARIANT_FLAG_TYPE"}),
    )
    .await;
    let rule = app
        .post_ok(
            "/api/v1/namespaces/default/flags/f/rules",
            json!({"segmentKey": "s", "rank": 1}),
        )
        .await;
    let before = app.revision("default").await;
    let (status, body) = app.delete(&format!("{SEGMENTS}/s")).await;
    assert_error(status, &body, 400, 3, "segment \"default/s\" is in use");
    assert_eq!(app.revision("default").await, before);
    let (status, _) = app.get(&format!("{SEGMENTS}/s")).await;
    assert_eq!(status, 200);

    let rule_path = format!(
        "/api/v1/namespaces/default/flags/f/rules/{}",
        rule["id"].as_str().unwrap()
    );
    let (status, body) = app.delete(&rule_path).await;
    assert_eq!((status, body), (200, json!({})));

    // A rollout uses it.
    app.post_ok(
        "/api/v1/namespaces/default/flags",
        json!({"key": "b", "name": "B", "type": "BOOLEAN_FLAG_TYPE"}),
    )
    .await;
    let rollout = app
        .post_ok(
            "/api/v1/namespaces/default/flags/b/rollouts",
            json!({"rank": 1, "segment": {"segmentKeys": ["s"], "value": true}}),
        )
        .await;
    let (status, body) = app.delete(&format!("{SEGMENTS}/s")).await;
    assert_error(status, &body, 400, 3, "segment \"default/s\" is in use");
    let (status, body) = app
        .delete(&format!(
            "/api/v1/namespaces/default/flags/b/rollouts/{}",
            rollout["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!((status, body), (200, json!({})));

    // Free again: the delete goes through and takes the constraints along.
    create_constraint(
        &app,
        "s",
        json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "v"}),
    )
    .await;
    let (status, body) = app.delete(&format!("{SEGMENTS}/s")).await;
    assert_eq!((status, body), (200, json!({})));
    let (status, body) = app.get(&format!("{SEGMENTS}/s")).await;
    assert_error(status, &body, 404, 5, "segment \"default/s\" not found");
    // Re-created under the same key, it starts without constraints.
    let again = create_segment(&app, "s").await;
    assert_eq!(again["constraints"], json!([]));

    app.shutdown().await;
}

async fn segment_list_pagination(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut created = Vec::new();
    for key in ["s1", "s2", "s3"] {
        created.push(create_segment(&app, key).await);
    }
    create_constraint(
        &app,
        "s2",
        json!({"type": "NUMBER_COMPARISON_TYPE", "property": "age", "operator": "gt", "value": "30"}),
    )
    .await;
    let (_, s2) = app.get(&format!("{SEGMENTS}/s2")).await;

    let (status, list) = app.get(SEGMENTS).await;
    assert_eq!(status, 200);
    assert_eq!(
        list,
        json!({
            "segments": [created[0], s2, created[2]],
            "nextPageToken": "",
            "totalCount": 3,
        })
    );

    let (status, page) = app.get(&format!("{SEGMENTS}?limit=2")).await;
    assert_eq!(status, 200);
    assert_eq!(page["segments"], json!([created[0], s2]));
    assert_eq!(page["totalCount"], 3);
    // base64 of {"key":"s3","offset":2}
    assert_eq!(page["nextPageToken"], "eyJrZXkiOiJzMyIsIm9mZnNldCI6Mn0=");

    let (status, page) = app
        .get(&format!(
            "{SEGMENTS}?limit=2&pageToken=eyJrZXkiOiJzMyIsIm9mZnNldCI6Mn0="
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        page,
        json!({"segments": [created[2]], "nextPageToken": "", "totalCount": 3})
    );

    // The deprecated offset still works without a token.
    let (status, page) = app.get(&format!("{SEGMENTS}?limit=1&offset=1")).await;
    assert_eq!(status, 200);
    assert_eq!(page["segments"], json!([s2]));
    // base64 of {"key":"s3","offset":2}
    assert_eq!(page["nextPageToken"], "eyJrZXkiOiJzMyIsIm9mZnNldCI6Mn0=");

    let (status, body) = app.get(&format!("{SEGMENTS}?offset=1")).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "limit must be set when offset or pageToken is set",
    );
    let (status, body) = app
        .get(&format!("{SEGMENTS}?limit=1&pageToken=Hello%20World"))
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "pageToken is not valid: \"Hello World\"",
    );

    let (status, list) = app.get("/api/v1/namespaces/nope/segments").await;
    assert_eq!(status, 200);
    assert_eq!(
        list,
        json!({"segments": [], "nextPageToken": "", "totalCount": 0})
    );

    app.shutdown().await;
}

async fn constraints_of_every_type(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_segment(&app, "s").await;

    let before = app.revision("default").await;
    let string = create_constraint(
        &app,
        "s",
        json!({
            "type": "STRING_COMPARISON_TYPE",
            "property": "region",
            "operator": "EQ",
            "value": "eu",
            "description": "European users",
        }),
    )
    .await;
    assert_eq!(app.revision("default").await, before + 1);
    assert!(!string["id"].as_str().unwrap().is_empty());
    assert_timestamp(&string["createdAt"]);
    assert_eq!(
        string,
        json!({
            "id": string["id"],
            "segmentKey": "s",
            "type": "STRING_COMPARISON_TYPE",
            "property": "region",
            "operator": "eq",
            "value": "eu",
            "createdAt": string["createdAt"],
            "updatedAt": string["createdAt"],
            "namespaceKey": "default",
            "description": "European users",
        })
    );

    let number = create_constraint(
        &app,
        "s",
        json!({"type": "NUMBER_COMPARISON_TYPE", "property": "age", "operator": "gte", "value": "18"}),
    )
    .await;
    assert_eq!(number["type"], "NUMBER_COMPARISON_TYPE");
    assert_eq!(number["operator"], "gte");
    assert_eq!(number["value"], "18");
    assert_eq!(number["description"], "");

    // No-value operators drop whatever value was sent.
    let boolean = create_constraint(
        &app,
        "s",
        json!({"type": "BOOLEAN_COMPARISON_TYPE", "property": "beta", "operator": "TRUE", "value": "ignored"}),
    )
    .await;
    assert_eq!(boolean["type"], "BOOLEAN_COMPARISON_TYPE");
    assert_eq!(boolean["operator"], "true");
    assert_eq!(boolean["value"], "");

    let datetime = create_constraint(
        &app,
        "s",
        json!({
            "type": "DATETIME_COMPARISON_TYPE",
            "property": "signup",
            "operator": "lt",
            "value": "2024-01-01T10:00:00+02:00",
        }),
    )
    .await;
    assert_eq!(datetime["type"], "DATETIME_COMPARISON_TYPE");
    assert_eq!(datetime["value"], "2024-01-01T08:00:00Z");

    let fraction = create_constraint(
        &app,
        "s",
        json!({
            "type": "DATETIME_COMPARISON_TYPE",
            "property": "signup",
            "operator": "gt",
            "value": "2023-06-01T12:30:45.123456Z",
        }),
    )
    .await;
    assert_eq!(fraction["value"], "2023-06-01T12:30:45Z");

    let date = create_constraint(
        &app,
        "s",
        json!({"type": "DATETIME_COMPARISON_TYPE", "property": "day", "operator": "eq", "value": "2024-03-05"}),
    )
    .await;
    assert_eq!(date["value"], "2024-03-05");

    let entity = create_constraint(
        &app,
        "s",
        json!({"type": "ENTITY_ID_COMPARISON_TYPE", "property": "entityId", "operator": "contains", "value": "admin"}),
    )
    .await;
    assert_eq!(entity["type"], "ENTITY_ID_COMPARISON_TYPE");
    assert_eq!(entity["property"], "entityId");
    assert_eq!(entity["operator"], "contains");

    let present = create_constraint(
        &app,
        "s",
        json!({"type": "NUMBER_COMPARISON_TYPE", "property": "age", "operator": "notpresent", "value": "5"}),
    )
    .await;
    assert_eq!(present["value"], "");
    let empty = create_constraint(
        &app,
        "s",
        json!({"type": "STRING_COMPARISON_TYPE", "property": "name", "operator": "NotEmpty"}),
    )
    .await;
    assert_eq!(empty["operator"], "notempty");
    assert_eq!(empty["value"], "");

    // The enum may also be given by number.
    let by_number = create_constraint(
        &app,
        "s",
        json!({"type": 1, "property": "plan", "operator": "prefix", "value": "pro"}),
    )
    .await;
    assert_eq!(by_number["type"], "STRING_COMPARISON_TYPE");

    // The segment lists its constraints in creation order, exactly as created; the segment
    // itself is not touched.
    let (status, segment) = app.get(&format!("{SEGMENTS}/s")).await;
    assert_eq!(status, 200);
    assert_eq!(
        segment["constraints"],
        json!([
            string, number, boolean, datetime, fraction, date, entity, present, empty, by_number
        ])
    );
    assert_eq!(segment["updatedAt"], segment["createdAt"]);
    let (_, list) = app.get(SEGMENTS).await;
    assert_eq!(list["segments"][0], segment);

    app.shutdown().await;
}

async fn constraint_validation(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_segment(&app, "s").await;
    let path = format!("{SEGMENTS}/s/constraints");
    let before = app.revision("default").await;

    let cases = [
        (
            json!({"type": "STRING_COMPARISON_TYPE", "operator": "eq", "value": "v"}),
            "invalid field property: must not be empty",
        ),
        (
            json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "value": "v"}),
            "invalid field operator: must not be empty",
        ),
        (
            json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "GT", "value": "1"}),
            "constraint operator \"GT\" is not valid for type string",
        ),
        (
            json!({"type": "NUMBER_COMPARISON_TYPE", "property": "p", "operator": "prefix", "value": "1"}),
            "constraint operator \"prefix\" is not valid for type number",
        ),
        (
            json!({"type": "BOOLEAN_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "true"}),
            "constraint operator \"eq\" is not valid for type boolean",
        ),
        (
            json!({"type": "DATETIME_COMPARISON_TYPE", "property": "p", "operator": "contains", "value": "x"}),
            "constraint operator \"contains\" is not valid for type datetime",
        ),
        (
            json!({"type": "ENTITY_ID_COMPARISON_TYPE", "property": "entityId", "operator": "prefix", "value": "x"}),
            "constraint operator \"prefix\" is not valid for type entityId",
        ),
        (
            json!({"type": "ENTITY_ID_COMPARISON_TYPE", "property": "user", "operator": "eq", "value": "x"}),
            "property is user instead of \"entityId\"",
        ),
        (
            json!({"property": "p", "operator": "eq", "value": "v"}),
            "invalid constraint type: \"UNKNOWN_COMPARISON_TYPE\"",
        ),
        (
            json!({"type": "UNKNOWN_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "v"}),
            "invalid constraint type: \"UNKNOWN_COMPARISON_TYPE\"",
        ),
        (
            json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq"}),
            "invalid field value: must not be empty",
        ),
        (
            json!({"type": "NUMBER_COMPARISON_TYPE", "property": "p", "operator": "lt", "value": ""}),
            "invalid field value: must not be empty",
        ),
        (
            json!({"type": "ENTITY_ID_COMPARISON_TYPE", "property": "entityId", "operator": "eq"}),
            "invalid field value: must not be empty",
        ),
        (
            json!({"type": "DATETIME_COMPARISON_TYPE", "property": "p", "operator": "gt", "value": "x"}),
            "parsing datetime from \"x\"",
        ),
        (
            json!({"type": "DATETIME_COMPARISON_TYPE", "property": "p", "operator": "gt", "value": "2024-13-01"}),
            "parsing datetime from \"2024-13-01\"",
        ),
    ];
    for (body, message) in cases {
        let (status, got) = app.post(&path, body.clone()).await;
        assert_eq!(status, 400, "{body} -> {got}");
        assert_error(status, &got, 400, 3, message);
    }
    assert_eq!(app.revision("default").await, before);

    let (status, body) = app
        .post(
            &format!("{SEGMENTS}/nope/constraints"),
            json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "v"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "segment \"default/nope\" not found");

    let (_, segment) = app.get(&format!("{SEGMENTS}/s")).await;
    assert_eq!(segment["constraints"], json!([]));

    app.shutdown().await;
}

/// An enum number without a name passes JSON decoding (proto3 enums are open, api.md §2.2) and
/// is rejected by constraint validation, printed as the number (§13.3).
async fn constraint_type_undefined_number(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_segment(&app, "s").await;
    let (status, body) = app
        .post(
            &format!("{SEGMENTS}/s/constraints"),
            json!({"type": 9, "property": "p", "operator": "eq", "value": "v"}),
        )
        .await;
    assert_error(status, &body, 400, 3, "invalid constraint type: \"9\"");
    app.shutdown().await;
}

async fn constraint_lists(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_segment(&app, "s").await;
    let path = format!("{SEGMENTS}/s/constraints");

    let strings = create_constraint(
        &app,
        "s",
        json!({"type": "STRING_COMPARISON_TYPE", "property": "region", "operator": "isoneof", "value": "[\"eu\",\"us\"]"}),
    )
    .await;
    assert_eq!(strings["operator"], "isoneof");
    assert_eq!(strings["value"], "[\"eu\",\"us\"]");
    let numbers = create_constraint(
        &app,
        "s",
        json!({"type": "NUMBER_COMPARISON_TYPE", "property": "age", "operator": "ISNOTONEOF", "value": "[1, 2.5]"}),
    )
    .await;
    assert_eq!(numbers["operator"], "isnotoneof");
    assert_eq!(numbers["value"], "[1, 2.5]");
    let ids = create_constraint(
        &app,
        "s",
        json!({"type": "ENTITY_ID_COMPARISON_TYPE", "property": "entityId", "operator": "isoneof", "value": "[\"u1\"]"}),
    )
    .await;
    assert_eq!(ids["value"], "[\"u1\"]");

    // Exactly 100 items are fine.
    let hundred: Vec<String> = (0..100).map(|i| format!("u{i}")).collect();
    let value = serde_json::to_string(&hundred).unwrap();
    let max = create_constraint(
        &app,
        "s",
        json!({"type": "STRING_COMPARISON_TYPE", "property": "user", "operator": "isoneof", "value": value}),
    )
    .await;
    assert_eq!(max["value"], value);

    let many_strings =
        serde_json::to_string(&(0..101).map(|i| format!("u{i}")).collect::<Vec<_>>()).unwrap();
    let many_numbers = serde_json::to_string(&(0..101).collect::<Vec<_>>()).unwrap();
    let cases = [
        (
            json!({"type": "STRING_COMPARISON_TYPE", "property": "region", "operator": "isoneof", "value": "eu"}),
            "invalid value provided for property \"region\" of type string",
        ),
        (
            json!({"type": "STRING_COMPARISON_TYPE", "property": "region", "operator": "isnotoneof", "value": "[1, 2]"}),
            "invalid value provided for property \"region\" of type string",
        ),
        (
            json!({"type": "NUMBER_COMPARISON_TYPE", "property": "age", "operator": "isoneof", "value": "[\"a\"]"}),
            "invalid value provided for property \"age\" of type number",
        ),
        (
            json!({"type": "ENTITY_ID_COMPARISON_TYPE", "property": "entityId", "operator": "isoneof", "value": "u1"}),
            "invalid value provided for property \"entityId\" of type entityId",
        ),
        (
            json!({"type": "STRING_COMPARISON_TYPE", "property": "region", "operator": "isoneof", "value": many_strings}),
            "too many values provided for property \"region\" of type string (maximum 100)",
        ),
        (
            json!({"type": "NUMBER_COMPARISON_TYPE", "property": "age", "operator": "isnotoneof", "value": many_numbers}),
            "too many values provided for property \"age\" of type number (maximum 100)",
        ),
        (
            json!({"type": "ENTITY_ID_COMPARISON_TYPE", "property": "entityId", "operator": "isoneof", "value": many_strings}),
            "too many values provided for property \"entityId\" of type entityId (maximum 100)",
        ),
        (
            json!({"type": "STRING_COMPARISON_TYPE", "property": "region", "operator": "isoneof"}),
            "invalid field value: must not be empty",
        ),
    ];
    for (body, message) in cases {
        let (status, got) = app.post(&path, body).await;
        assert_error(status, &got, 400, 3, message);
    }

    let (_, segment) = app.get(&format!("{SEGMENTS}/s")).await;
    assert_eq!(segment["constraints"], json!([strings, numbers, ids, max]));

    app.shutdown().await;
}

async fn constraint_update_and_delete(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_segment(&app, "s").await;
    create_segment(&app, "other").await;
    let first = create_constraint(
        &app,
        "s",
        json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "v", "description": "d"}),
    )
    .await;
    let second = create_constraint(
        &app,
        "s",
        json!({"type": "NUMBER_COMPARISON_TYPE", "property": "n", "operator": "gt", "value": "1"}),
    )
    .await;
    let id = first["id"].as_str().unwrap();
    let path = format!("{SEGMENTS}/s/constraints/{id}");

    // Every field is replaced; the description is cleared when omitted.
    let before = app.revision("default").await;
    let (status, updated) = app
        .put(
            &path,
            json!({
                "type": "DATETIME_COMPARISON_TYPE",
                "property": "at",
                "operator": "GTE",
                "value": "2024-01-01T10:00:00+02:00",
            }),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(app.revision("default").await, before + 1);
    assert_timestamp(&updated["updatedAt"]);
    assert_eq!(
        updated,
        json!({
            "id": id,
            "segmentKey": "s",
            "type": "DATETIME_COMPARISON_TYPE",
            "property": "at",
            "operator": "gte",
            "value": "2024-01-01T08:00:00Z",
            "createdAt": first["createdAt"],
            "updatedAt": updated["updatedAt"],
            "namespaceKey": "default",
            "description": "",
        })
    );
    let (_, segment) = app.get(&format!("{SEGMENTS}/s")).await;
    assert_eq!(segment["constraints"], json!([updated, second]));

    // Updates are validated like creates.
    let (status, body) = app
        .put(
            &path,
            json!({"type": "BOOLEAN_COMPARISON_TYPE", "property": "b", "operator": "eq"}),
        )
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "constraint operator \"eq\" is not valid for type boolean",
    );

    // Matched by id and segment.
    let valid =
        json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "v"});
    let (status, body) = app
        .put(&format!("{SEGMENTS}/s/constraints/nope"), valid.clone())
        .await;
    assert_error(status, &body, 404, 5, "constraint \"nope\" not found");
    let (status, body) = app
        .put(&format!("{SEGMENTS}/other/constraints/{id}"), valid)
        .await;
    assert_error(
        status,
        &body,
        404,
        5,
        &format!("constraint \"{id}\" not found"),
    );

    // Deleting through the wrong segment does nothing.
    let (status, body) = app
        .delete(&format!("{SEGMENTS}/other/constraints/{id}"))
        .await;
    assert_eq!((status, body), (200, json!({})));
    let (_, segment) = app.get(&format!("{SEGMENTS}/s")).await;
    assert_eq!(segment["constraints"].as_array().unwrap().len(), 2);

    let before = app.revision("default").await;
    let (status, body) = app.delete(&path).await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.revision("default").await, before + 1);
    let (_, segment) = app.get(&format!("{SEGMENTS}/s")).await;
    assert_eq!(segment["constraints"], json!([second]));
    // Idempotent.
    let (status, body) = app.delete(&path).await;
    assert_eq!((status, body), (200, json!({})));

    app.shutdown().await;
}
