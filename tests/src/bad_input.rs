//! Hostile and unusual REST input (api.md §2.2, §2.4, §13.1): every rejection is Flipt's error
//! body with the right status, never a 500 or a dead server; lenient decoding rules hold.

use serde_json::{json, Value};

use crate::backend_tests;
use crate::harness::{assert_error, Backend, TestApp};

backend_tests!(
    malformed_bodies,
    lenient_decoding,
    empty_bodies,
    oversize_values,
    unicode_keys_rejected,
    unknown_resources_in_paths,
    path_wins_over_body,
    query_garbage,
    sql_like_and_odd_text_is_stored_verbatim,
    percent_encoded_path_segments_are_decoded,
    control_characters_in_text_are_not_a_server_error,
);

/// Asserts the server still answers its health check.
async fn assert_alive(app: &TestApp) {
    let (status, body) = app.get("/health").await;
    assert_eq!((status, body), (200, json!({"status": "SERVING"})));
}

/// Asserts Flipt's error body (exactly `code`, `message`, `details: []`) with the given status
/// and code, then that the server is alive; returns the message.
async fn rejected(app: &TestApp, got: (u16, Value), want_status: u16, want_code: i64) -> String {
    let (status, body) = got;
    assert_eq!(status, want_status, "status of {body}");
    let obj = body
        .as_object()
        .unwrap_or_else(|| panic!("error body is not a JSON object: {body}"));
    assert_eq!(obj.len(), 3, "only code, message, details: {body}");
    assert_eq!(body["code"], want_code, "code of {body}");
    assert_eq!(body["details"], json!([]), "details of {body}");
    let message = body["message"]
        .as_str()
        .unwrap_or_else(|| panic!("message is not a string: {body}"))
        .to_owned();
    assert!(!message.is_empty(), "empty message: {body}");
    assert_alive(app).await;
    message
}

/// Like `rejected`, with the exact message.
async fn rejected_with(
    app: &TestApp,
    got: (u16, Value),
    want_status: u16,
    want_code: i64,
    want_message: &str,
) {
    let (status, body) = got;
    assert_error(status, &body, want_status, want_code, want_message);
    assert_alive(app).await;
}

/// Asserts a 200 and returns the body.
#[track_caller]
fn accepted(got: (u16, Value)) -> Value {
    let (status, body) = got;
    assert_eq!(status, 200, "body {body}");
    body
}

const FLAGS: &str = "/api/v1/namespaces/default/flags";

async fn malformed_bodies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let post = reqwest::Method::POST;

    // Syntax errors: 400 with the parser's text.
    for raw in [
        r#"{"key":"#,
        "not json",
        r#"{"key":"a","name":"b"} trailing"#,
        r#"{"key":"a",}"#,
        "{\"key\":\"a\u{0}\"",
    ] {
        rejected(&app, app.call_raw(post.clone(), FLAGS, raw).await, 400, 3).await;
    }

    // Type mismatches: Flipt's fixed text.
    for raw in [
        r#"{"key": 1, "name": "x"}"#,
        r#"{"key": "f", "name": "x", "enabled": "yes"}"#,
        r#"{"key": "f", "name": "x", "enabled": 1}"#,
        r#"{"key": "f", "name": ["x"]}"#,
        r#"{"key": {"a": 1}, "name": "x"}"#,
        r#"{"key": true, "name": "x"}"#,
    ] {
        rejected_with(
            &app,
            app.call_raw(post.clone(), FLAGS, raw).await,
            400,
            3,
            "invalid values for key(s) in json body",
        )
        .await;
    }

    // Other invalid values: 400 INVALID_ARGUMENT.
    for raw in [
        r#"{"key": "f", "name": "x", "type": "NOPE_FLAG_TYPE"}"#,
        r#"{"key": "f", "name": "x", "type": 1.5}"#,
        r#"{"key": "f", "name": "x", "metadata": "not an object"}"#,
        r#"{"key": "f", "name": "x", "metadata": [1]}"#,
        "[]",
        "\"just a string\"",
        "42",
    ] {
        rejected(&app, app.call_raw(post.clone(), FLAGS, raw).await, 400, 3).await;
    }

    // Integers: out of range, fractional, not numeric.
    app.post_ok(
        "/api/v1/namespaces/default/segments",
        json!({"key": "s", "name": "S"}),
    )
    .await;
    app.post_ok(FLAGS, json!({"key": "f", "name": "F"})).await;
    let rules = format!("{FLAGS}/f/rules");
    for rank in [r#""abc""#, "1.5", "99999999999", r#""99999999999""#, "true"] {
        let raw = format!(r#"{{"segmentKey": "s", "rank": {rank}}}"#);
        rejected(&app, app.call_raw(post.clone(), &rules, &raw).await, 400, 3).await;
    }
    // Floats: not a number at all.
    let rule = app
        .post_ok(&rules, json!({"segmentKey": "s", "rank": 1}))
        .await;
    let v = app
        .post_ok(&format!("{FLAGS}/f/variants"), json!({"key": "v"}))
        .await;
    let dists = format!("{rules}/{}/distributions", rule["id"].as_str().expect("id"));
    let raw = format!(r#"{{"variantId": {}, "rollout": "lots"}}"#, v["id"]);
    rejected(&app, app.call_raw(post.clone(), &dists, &raw).await, 400, 3).await;

    // Nothing was created by any rejected request.
    let list = accepted(app.get(FLAGS).await);
    assert_eq!(list["totalCount"], 1);
    let list = accepted(app.get(&rules).await);
    assert_eq!(list["totalCount"], 1);

    app.shutdown().await;
}

async fn lenient_decoding(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    // Enum as a number.
    let flag = app
        .post_ok(FLAGS, json!({"key": "b", "name": "B", "type": 1}))
        .await;
    assert_eq!(flag["type"], "BOOLEAN_FLAG_TYPE");
    // `null` means absent.
    let flag = app
        .post_ok(
            FLAGS,
            json!({"key": "n", "name": "N", "description": null, "enabled": null, "type": null, "metadata": null}),
        )
        .await;
    assert_eq!(flag["description"], "");
    assert_eq!(flag["enabled"], false);
    assert_eq!(flag["type"], "VARIANT_FLAG_TYPE");
    assert!(flag.get("metadata").is_none(), "{flag}");
    // Unknown fields ignored (the dashboard's copy posts a whole Flag).
    let flag = app
        .post_ok(
            FLAGS,
            json!({"key": "u", "name": "U", "bogus": {"x": [1]}, "createdAt": "2020-01-01T00:00:00Z",
                   "variants": [{"key": "ignored"}], "defaultVariant": null}),
        )
        .await;
    assert_eq!(flag["variants"], json!([]));
    assert_ne!(flag["createdAt"], "2020-01-01T00:00:00Z");
    // snake_case names; camelCase wins when both occur.
    app.post_ok(
        "/api/v1/namespaces/default/segments",
        json!({"key": "s1", "name": "S1", "match_type": "ANY_MATCH_TYPE"}),
    )
    .await;
    let seg = app
        .post_ok(
            "/api/v1/namespaces/default/segments",
            json!({"key": "s2", "name": "S2", "match_type": "ALL_MATCH_TYPE", "matchType": "ANY_MATCH_TYPE"}),
        )
        .await;
    assert_eq!(seg["matchType"], "ANY_MATCH_TYPE");

    // Integers as strings, enums as numbers.
    app.post_ok(FLAGS, json!({"key": "f", "name": "F"})).await;
    let rule = app
        .post_ok(
            &format!("{FLAGS}/f/rules"),
            json!({"segment_keys": ["s1", "s2"], "rank": "1", "segmentOperator": 1}),
        )
        .await;
    assert_eq!(rule["rank"], 1);
    assert_eq!(rule["segmentOperator"], "AND_SEGMENT_OPERATOR");
    // Floats as strings.
    let v = app
        .post_ok(&format!("{FLAGS}/f/variants"), json!({"key": "v"}))
        .await;
    let d = app
        .post_ok(
            &format!(
                "{FLAGS}/f/rules/{}/distributions",
                rule["id"].as_str().expect("id")
            ),
            json!({"variantId": v["id"], "rollout": "12.5"}),
        )
        .await;
    assert_eq!(d["rollout"], 12.5);
    // Constraint type by number.
    let c = app
        .post_ok(
            "/api/v1/namespaces/default/segments/s1/constraints",
            json!({"type": 2, "property": "age", "operator": "gt", "value": "3"}),
        )
        .await;
    assert_eq!(c["type"], "NUMBER_COMPARISON_TYPE");

    app.shutdown().await;
}

async fn empty_bodies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let post = reqwest::Method::POST;
    let put = reqwest::Method::PUT;
    // An empty body is the default message: the answer is a validation error, not a decode error.
    for body in ["", "  \n", "{}"] {
        rejected_with(
            &app,
            app.call_raw(post.clone(), FLAGS, body).await,
            400,
            3,
            "invalid field key: must not be empty",
        )
        .await;
        rejected_with(
            &app,
            app.call_raw(put.clone(), "/api/v1/namespaces/default", body)
                .await,
            400,
            3,
            "invalid field name: must not be empty",
        )
        .await;
    }
    // Without any content type either.
    let resp = app
        .http
        .post(format!("{}{FLAGS}", app.http_base))
        .send()
        .await
        .expect("request sent");
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.expect("json body");
    rejected_with(
        &app,
        (status, body),
        400,
        3,
        "invalid field key: must not be empty",
    )
    .await;
    app.shutdown().await;
}

async fn oversize_values(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let k255 = "k".repeat(255);
    let k256 = "k".repeat(256);

    // Keys and names up to the column size are stored on every database.
    let flag = app
        .post_ok(FLAGS, json!({"key": k255, "name": "n".repeat(255)}))
        .await;
    assert_eq!(flag["key"], k255.as_str());
    let got = accepted(app.get(&format!("{FLAGS}/{k255}")).await);
    assert_eq!(got["name"], "n".repeat(255));

    for (path, body, field) in [
        (FLAGS.to_owned(), json!({"key": k256, "name": "n"}), "key"),
        (FLAGS.to_owned(), json!({"key": "f2", "name": k256}), "name"),
        (
            "/api/v1/namespaces".to_owned(),
            json!({"key": k256, "name": "n"}),
            "key",
        ),
        (
            "/api/v1/namespaces".to_owned(),
            json!({"key": "ns", "name": k256}),
            "name",
        ),
        (
            "/api/v1/namespaces/default/segments".to_owned(),
            json!({"key": k256, "name": "n"}),
            "key",
        ),
        (
            "/api/v1/namespaces/default/segments".to_owned(),
            json!({"key": "s", "name": k256}),
            "name",
        ),
        (
            format!("{FLAGS}/{k255}/variants"),
            json!({"key": k256}),
            "key",
        ),
        (
            format!("{FLAGS}/{k255}/variants"),
            json!({"key": "v", "name": k256}),
            "name",
        ),
    ] {
        let message = rejected(&app, app.post(&path, body).await, 400, 3).await;
        assert!(
            message.starts_with(&format!("invalid field {field}: ")),
            "POST {path}: {message}"
        );
    }
    // Constraint property.
    app.post_ok(
        "/api/v1/namespaces/default/segments",
        json!({"key": "s", "name": "S"}),
    )
    .await;
    let message = rejected(
        &app,
        app.post(
            "/api/v1/namespaces/default/segments/s/constraints",
            json!({"type": "STRING_COMPARISON_TYPE", "property": k256, "operator": "eq", "value": "x"}),
        )
        .await,
        400,
        3,
    )
    .await;
    assert!(message.starts_with("invalid field property: "), "{message}");
    // Update paths check names too.
    let message = rejected(
        &app,
        app.put(&format!("{FLAGS}/{k255}"), json!({"name": k256}))
            .await,
        400,
        3,
    )
    .await;
    assert!(message.starts_with("invalid field name: "), "{message}");

    // Descriptions are unbounded text; multi-byte and 4-byte characters round-trip.
    let long = "d".repeat(20_000);
    let accents = "é".repeat(255);
    let emoji = "🚀 launch ✓ 日本語";
    let flag = app
        .post_ok(
            FLAGS,
            json!({"key": "wide", "name": accents, "description": format!("{emoji} {long}")}),
        )
        .await;
    let got = accepted(app.get(&format!("{FLAGS}/wide")).await);
    assert_eq!(got, flag);
    assert_eq!(got["name"], accents.as_str());
    assert_eq!(got["description"], format!("{emoji} {long}").as_str());
    let ns = app
        .post_ok("/api/v1/namespaces", json!({"key": "emoji", "name": emoji}))
        .await;
    assert_eq!(ns["name"], emoji);

    // Attachments: large but under the limit is fine; over 1,024,000 bytes is not.
    let big = format!("\"{}\"", "a".repeat(600_000));
    let v = app
        .post_ok(
            &format!("{FLAGS}/{k255}/variants"),
            json!({"key": "big", "attachment": big}),
        )
        .await;
    assert_eq!(v["attachment"].as_str().map(str::len), Some(big.len()));
    let too_big = format!("\"{}\"", "a".repeat(1_024_000));
    rejected_with(
        &app,
        app.post(
            &format!("{FLAGS}/{k255}/variants"),
            json!({"key": "too-big", "attachment": too_big}),
        )
        .await,
        400,
        3,
        "invalid field attachment: must be less than 1000 KB",
    )
    .await;
    // A body beyond what the gateway reads at all: Flipt's error body, not a bare 413.
    let huge = format!("\"{}\"", "a".repeat(9 * 1024 * 1024));
    rejected(
        &app,
        app.post(
            &format!("{FLAGS}/{k255}/variants"),
            json!({"key": "huge", "attachment": huge}),
        )
        .await,
        429,
        8,
    )
    .await;
    // Nothing of the rejected requests was stored.
    let list = accepted(app.get(FLAGS).await);
    assert_eq!(list["totalCount"], 2);
    let got = accepted(app.get(&format!("{FLAGS}/{k255}")).await);
    assert_eq!(got["variants"].as_array().map(Vec::len), Some(1));

    app.shutdown().await;
}

async fn unicode_keys_rejected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for key in [
        "café",
        "日本",
        "🚀",
        "a.b",
        "a b",
        "a/b",
        "ａｂｃ",
        "a\u{200b}b",
    ] {
        for path in [
            "/api/v1/namespaces",
            FLAGS,
            "/api/v1/namespaces/default/segments",
        ] {
            rejected_with(
                &app,
                app.post(path, json!({"key": key, "name": "n"})).await,
                400,
                3,
                "invalid field key: contains invalid characters",
            )
            .await;
        }
    }
    // The comma is allowed.
    let flag = app
        .post_ok(FLAGS, json!({"key": "a,b-c_D9", "name": "n"}))
        .await;
    assert_eq!(flag["key"], "a,b-c_D9");
    // Variant keys have no format check and round-trip.
    let v = app
        .post_ok(
            &format!("{FLAGS}/a,b-c_D9/variants"),
            json!({"key": "café 🚀"}),
        )
        .await;
    assert_eq!(v["key"], "café 🚀");
    let got = accepted(app.get(&format!("{FLAGS}/a,b-c_D9")).await);
    assert_eq!(got["variants"][0]["key"], "café 🚀");
    app.shutdown().await;
}

async fn unknown_resources_in_paths(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.post_ok(FLAGS, json!({"key": "f", "name": "F"})).await;
    app.post_ok(
        "/api/v1/namespaces/default/segments",
        json!({"key": "s", "name": "S"}),
    )
    .await;

    let cases: Vec<((u16, Value), u16, i64, &str)> = vec![
        (
            app.get("/api/v1/namespaces/nope").await,
            404,
            5,
            "namespace \"nope\" not found",
        ),
        (
            app.put("/api/v1/namespaces/nope", json!({"name": "x"})).await,
            404,
            5,
            "namespace \"nope\" not found",
        ),
        (
            app.delete("/api/v1/namespaces/nope").await,
            404,
            5,
            "namespace \"nope\" not found",
        ),
        (
            app.get("/api/v1/namespaces/nope/flags/x").await,
            404,
            5,
            "flag \"nope/x\" not found",
        ),
        (
            app.post("/api/v1/namespaces/nope/flags", json!({"key": "x", "name": "x"}))
                .await,
            404,
            5,
            "namespace \"nope\" not found",
        ),
        (
            app.post("/api/v1/namespaces/nope/segments", json!({"key": "x", "name": "x"}))
                .await,
            404,
            5,
            "namespace \"nope\" not found",
        ),
        (
            app.get(&format!("{FLAGS}/nope")).await,
            404,
            5,
            "flag \"default/nope\" not found",
        ),
        (
            app.put(&format!("{FLAGS}/nope"), json!({"name": "x"})).await,
            404,
            5,
            "flag \"default/nope\" not found",
        ),
        (
            app.post(&format!("{FLAGS}/nope/variants"), json!({"key": "v"}))
                .await,
            404,
            5,
            "flag \"default/nope\" not found",
        ),
        (
            app.post(
                &format!("{FLAGS}/nope/rules"),
                json!({"segmentKey": "s", "rank": 1}),
            )
            .await,
            404,
            5,
            "flag \"default/nope\" or segment \"default/s\" not found",
        ),
        (
            app.get(&format!("{FLAGS}/f/rules/xyz")).await,
            404,
            5,
            "rule \"default/xyz\" not found",
        ),
        (
            app.get(&format!("{FLAGS}/f/rollouts/xyz")).await,
            404,
            5,
            "rollout \"default/xyz\" not found",
        ),
        (
            app.get("/api/v1/namespaces/default/segments/nope").await,
            404,
            5,
            "segment \"default/nope\" not found",
        ),
        (
            app.post(
                "/api/v1/namespaces/default/segments/nope/constraints",
                json!({"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "v"}),
            )
            .await,
            404,
            5,
            "segment \"default/nope\" not found",
        ),
        (
            app.get("/api/v1/namespaces/default/flags/%27%20OR%201%3D1").await,
            404,
            5,
            "flag \"default/' OR 1=1\" not found",
        ),
        (app.get("/api/v1/nothing-here").await, 404, 5, "Not Found"),
        (
            app.get("/api/v1/namespaces/default/flags/f/variants").await,
            501,
            12,
            "Method Not Allowed",
        ),
        (
            app.delete("/api/v1/namespaces").await,
            501,
            12,
            "Method Not Allowed",
        ),
    ];
    for (got, status, code, message) in cases {
        rejected_with(&app, got, status, code, message).await;
    }
    // Lists in an unknown namespace are empty, not errors.
    for path in [
        "/api/v1/namespaces/nope/flags",
        "/api/v1/namespaces/nope/segments",
        "/api/v1/namespaces/nope/flags/x/rules",
        "/api/v1/namespaces/nope/flags/x/rollouts",
    ] {
        let body = accepted(app.get(path).await);
        assert_eq!(body["totalCount"], 0, "{path}: {body}");
        assert_eq!(body["nextPageToken"], "", "{path}: {body}");
    }
    app.shutdown().await;
}

async fn path_wins_over_body(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for key in ["team", "other"] {
        app.post_ok("/api/v1/namespaces", json!({"key": key, "name": key}))
            .await;
    }
    let flag = app
        .post_ok(
            "/api/v1/namespaces/team/flags",
            json!({"key": "f", "name": "F", "namespaceKey": "other"}),
        )
        .await;
    assert_eq!(flag["namespaceKey"], "team");
    let (status, _) = app.get("/api/v1/namespaces/other/flags/f").await;
    assert_eq!(status, 404);
    let flag = app
        .post_ok(
            "/api/v1/namespaces/team/flags",
            json!({"key": "g", "name": "G", "namespace_key": "other"}),
        )
        .await;
    assert_eq!(flag["namespaceKey"], "team");

    let updated = accepted(
        app.put(
            "/api/v1/namespaces/team/flags/f",
            json!({"key": "zzz", "name": "F2", "namespaceKey": "other"}),
        )
        .await,
    );
    assert_eq!(updated["key"], "f");
    assert_eq!(updated["namespaceKey"], "team");
    assert_eq!(updated["name"], "F2");

    let variant = app
        .post_ok(
            "/api/v1/namespaces/team/flags/f/variants",
            json!({"key": "v", "flagKey": "g", "namespaceKey": "other"}),
        )
        .await;
    assert_eq!(variant["flagKey"], "f");
    assert_eq!(variant["namespaceKey"], "team");

    let ns = accepted(
        app.put(
            "/api/v1/namespaces/team",
            json!({"key": "other", "name": "Team 2"}),
        )
        .await,
    );
    assert_eq!(ns["key"], "team");
    assert_eq!(ns["name"], "Team 2");
    let other = accepted(app.get("/api/v1/namespaces/other").await);
    assert_eq!(other["name"], "other");
    app.shutdown().await;
}

async fn query_garbage(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.post_ok(FLAGS, json!({"key": "f", "name": "F"})).await;
    let lists = [
        "/api/v1/namespaces",
        FLAGS,
        "/api/v1/namespaces/default/segments",
        "/api/v1/namespaces/default/flags/f/rules",
        "/api/v1/namespaces/default/flags/f/rollouts",
    ];
    for list in lists {
        for query in [
            "limit=abc",
            "limit=-1",
            "limit=99999999999",
            "limit=1.5",
            "limit=0x10",
        ] {
            rejected(&app, app.get(&format!("{list}?{query}")).await, 400, 3).await;
        }
        // Huge but valid limits are fine; so are the Go SDK's empty parameters and unknown ones.
        for query in [
            "limit=2147483647",
            "limit=0&offset=0&pageToken=&reference=",
            "unknown=1&reference=main",
            // The Python SDK sends its parameters as a JSON document in the query string.
            "%7B%22limit%22%3A1%7D",
        ] {
            let body = accepted(app.get(&format!("{list}?{query}")).await);
            assert!(
                body["totalCount"].as_i64().is_some(),
                "{list}?{query}: {body}"
            );
        }
        rejected_with(
            &app,
            app.get(&format!("{list}?limit=1&pageToken=Hello%20World"))
                .await,
            400,
            3,
            "pageToken is not valid: \"Hello World\"",
        )
        .await;
    }
    for list in [FLAGS, "/api/v1/namespaces"] {
        rejected(&app, app.get(&format!("{list}?offset=-1")).await, 400, 3).await;
    }
    rejected(
        &app,
        app.delete("/api/v1/namespaces/default?force=maybe").await,
        400,
        3,
    )
    .await;
    // Malformed percent-encoding in the query string is a 4xx, never a crash.
    let (status, body) = app.get(&format!("{FLAGS}?limit=%ZZ")).await;
    assert!(status == 400 || status == 200, "status {status}: {body}");
    assert_alive(&app).await;
    app.shutdown().await;
}

async fn sql_like_and_odd_text_is_stored_verbatim(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let name = "Robert'); DROP TABLE flags;--";
    let description = r#"" OR ""=" \ \\ ` $1 ? %s"#;
    let flag = app
        .post_ok(
            FLAGS,
            json!({"key": "a_b", "name": name, "description": description}),
        )
        .await;
    assert_eq!(flag["name"], name);
    assert_eq!(flag["description"], description);
    // `_` and `%` are not wildcards anywhere.
    rejected_with(
        &app,
        app.get(&format!("{FLAGS}/aXb")).await,
        404,
        5,
        "flag \"default/aXb\" not found",
    )
    .await;

    let variant = app
        .post_ok(
            &format!("{FLAGS}/a_b/variants"),
            json!({"key": "v'; DELETE FROM variants; --", "name": "x\"y", "attachment": "{\"q\": \"' OR 1=1 --\"}"}),
        )
        .await;
    assert_eq!(variant["key"], "v'; DELETE FROM variants; --");
    app.post_ok(
        "/api/v1/namespaces/default/segments",
        json!({"key": "s", "name": "S"}),
    )
    .await;
    let constraint = app
        .post_ok(
            "/api/v1/namespaces/default/segments/s/constraints",
            json!({"type": "STRING_COMPARISON_TYPE", "property": "x' OR '1'='1", "operator": "eq", "value": "' OR '1'='1"}),
        )
        .await;
    assert_eq!(constraint["property"], "x' OR '1'='1");
    assert_eq!(constraint["value"], "' OR '1'='1");

    let got = accepted(app.get(&format!("{FLAGS}/a_b")).await);
    assert_eq!(got["name"], name);
    assert_eq!(got["variants"][0]["key"], "v'; DELETE FROM variants; --");
    assert_eq!(got["variants"][0]["attachment"], r#"{"q":"' OR 1=1 --"}"#);
    let seg = accepted(app.get("/api/v1/namespaces/default/segments/s").await);
    assert_eq!(seg["constraints"][0], constraint);
    let list = accepted(app.get(FLAGS).await);
    assert_eq!(list["totalCount"], 1);

    assert_alive(&app).await;
    app.shutdown().await;
}

/// Path parameters are fully percent-decoded, as Go's router does before grpc-gateway binds them
/// (actix leaves `%25`, `%2B` and `%2F` encoded in its match info).
async fn percent_encoded_path_segments_are_decoded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (raw, decoded) in [("a%25", "a%"), ("a%2Bb", "a+b"), ("caf%C3%A9", "café")] {
        rejected_with(
            &app,
            app.get(&format!("{FLAGS}/{raw}")).await,
            404,
            5,
            &format!("flag \"default/{decoded}\" not found"),
        )
        .await;
    }
    app.shutdown().await;
}

/// Text fields with control characters and NUL: stored verbatim or refused with a 400, never a
/// database error surfacing as a 500 (PostgreSQL refuses NUL in text columns).
async fn control_characters_in_text_are_not_a_server_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, body) = app
        .post(
            FLAGS,
            json!({"key": "ctl", "name": "tab\there\nnewline", "description": "nul\u{0}byte"}),
        )
        .await;
    if status == 200 {
        assert_eq!(body["description"], "nul\u{0}byte");
        let got = accepted(app.get(&format!("{FLAGS}/ctl")).await);
        assert_eq!(got["description"], "nul\u{0}byte");
    } else {
        rejected(&app, (status, body), 400, 3).await;
    }
    assert_alive(&app).await;
    app.shutdown().await;
}
