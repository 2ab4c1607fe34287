//! Flag routes over REST (api.md §4.2): both flag types, validation (§13.1–13.2), paging
//! (§2.6), full-replacement updates with the metadata exception (§4.0, §14.6), the default
//! variant, cascading deletes (§14.1) and lenient request decoding (§2.2).
//!
//! The small helpers at the top are shared with the variant and legacy-route tests.

use serde_json::{json, Value};

use crate::backend_tests;
use crate::harness::{assert_error, Backend, TestApp};

/// The sorted member names of a JSON object, to assert a response's exact field set.
pub(crate) fn fields(value: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    names
}

/// Asserts an RFC 3339 UTC timestamp with 0, 3, 6 or 9 fractional digits (api.md §2.1).
pub(crate) fn assert_timestamp(value: &Value) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("timestamp is not a string: {value}"));
    let bytes = text.as_bytes();
    let digits_at = |positions: &[usize]| positions.iter().all(|&i| bytes[i].is_ascii_digit());
    assert!(text.len() >= 20, "timestamp too short: {text}");
    assert!(
        digits_at(&[0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18])
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes[10] == b'T'
            && bytes[13] == b':'
            && bytes[16] == b':'
            && text.ends_with('Z'),
        "not an RFC 3339 UTC timestamp: {text}"
    );
    let fraction = &text[19..text.len() - 1];
    if !fraction.is_empty() {
        assert!(
            fraction.starts_with('.')
                && [4, 7, 10].contains(&fraction.len())
                && fraction[1..].bytes().all(|b| b.is_ascii_digit()),
            "fraction must have 3, 6 or 9 digits: {text}"
        );
    }
}

/// Asserts a server-generated UUID v4 id.
pub(crate) fn assert_uuid(value: &Value) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("id is not a string: {value}"));
    let id = uuid::Uuid::parse_str(text).unwrap_or_else(|_| panic!("not a uuid: {text}"));
    assert_eq!(id.get_version_num(), 4, "not a v4 uuid: {text}");
}

/// Drops `metadata` when it is `{}`: Flipt's list items carry `{}` where get omits it, and
/// api.md §4.2 lets clients treat both alike.
pub(crate) fn normalized(flag: &Value) -> Value {
    let mut flag = flag.clone();
    if flag.get("metadata") == Some(&json!({})) {
        flag.as_object_mut().map(|o| o.remove("metadata"));
    }
    flag
}

/// Creates a flag in `ns` through the namespaced route.
pub(crate) async fn create_flag(app: &TestApp, ns: &str, body: Value) -> Value {
    app.post_ok(&format!("/api/v1/namespaces/{ns}/flags"), body)
        .await
}

/// Creates a variant with just a key.
pub(crate) async fn create_variant(app: &TestApp, ns: &str, flag: &str, key: &str) -> Value {
    app.post_ok(
        &format!("/api/v1/namespaces/{ns}/flags/{flag}/variants"),
        json!({"key": key}),
    )
    .await
}

/// Fetches a flag, asserting 200.
pub(crate) async fn get_flag(app: &TestApp, ns: &str, key: &str) -> Value {
    let (status, body) = app
        .get(&format!("/api/v1/namespaces/{ns}/flags/{key}"))
        .await;
    assert_eq!(status, 200, "GET flag {ns}/{key}: {body}");
    body
}

backend_tests!(
    variant_flag_created_with_defaults,
    boolean_flag_with_metadata,
    create_validation_in_order,
    create_conflicts_and_not_found,
    list_in_creation_order_with_paging,
    list_paging_errors_and_sdk_parameters,
    update_is_full_replacement,
    update_metadata_rules,
    default_variant_must_belong_to_the_flag,
    delete_is_idempotent_and_cascades,
    lenient_request_decoding,
    dashboard_copy_posts_whole_flag,
);

async fn variant_flag_created_with_defaults(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let before = app.revision("default").await;

    let created = create_flag(
        &app,
        "default",
        json!({"key": "checkout", "name": "Checkout"}),
    )
    .await;

    assert_eq!(
        fields(&created),
        [
            "createdAt",
            "description",
            "enabled",
            "key",
            "name",
            "namespaceKey",
            "type",
            "updatedAt",
            "variants"
        ]
    );
    assert_eq!(created["key"], "checkout");
    assert_eq!(created["name"], "Checkout");
    assert_eq!(created["description"], "");
    assert_eq!(created["enabled"], false);
    assert_eq!(created["variants"], json!([]));
    assert_eq!(created["namespaceKey"], "default");
    assert_eq!(created["type"], "VARIANT_FLAG_TYPE");
    assert_timestamp(&created["createdAt"]);
    assert_eq!(created["createdAt"], created["updatedAt"]);
    assert_eq!(app.revision("default").await, before + 1);

    let fetched = get_flag(&app, "default", "checkout").await;
    assert_eq!(fetched, created);

    app.shutdown().await;
}

async fn boolean_flag_with_metadata(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.post_ok("/api/v1/namespaces", json!({"key": "team", "name": "Team"}))
        .await;
    let metadata = json!({"owner": "payments", "weight": 3, "nested": {"list": [1, "x", true]}});

    let created = create_flag(
        &app,
        "team",
        json!({
            "key": "dark-mode",
            "name": "Dark mode",
            "description": "UI theme",
            "enabled": true,
            "type": "BOOLEAN_FLAG_TYPE",
            "metadata": metadata,
        }),
    )
    .await;

    assert_eq!(created["key"], "dark-mode");
    assert_eq!(created["name"], "Dark mode");
    assert_eq!(created["description"], "UI theme");
    assert_eq!(created["enabled"], true);
    assert_eq!(created["type"], "BOOLEAN_FLAG_TYPE");
    assert_eq!(created["namespaceKey"], "team");
    assert_eq!(created["variants"], json!([]));
    assert_eq!(created["metadata"], metadata);
    assert!(created.get("defaultVariant").is_none(), "{created}");
    assert_eq!(created["createdAt"], created["updatedAt"]);

    assert_eq!(get_flag(&app, "team", "dark-mode").await, created);
    // The flag lives in its namespace only.
    let (status, body) = app.get("/api/v1/namespaces/default/flags/dark-mode").await;
    assert_error(
        status,
        &body,
        404,
        5,
        "flag \"default/dark-mode\" not found",
    );

    app.shutdown().await;
}

async fn create_validation_in_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let path = "/api/v1/namespaces/default/flags";
    let cases = [
        (json!({}), "invalid field key: must not be empty"),
        (
            json!({"key": "", "name": "x"}),
            "invalid field key: must not be empty",
        ),
        // Key format is checked before the name.
        (
            json!({"key": "a.b"}),
            "invalid field key: contains invalid characters",
        ),
        (
            json!({"key": "a b", "name": "x"}),
            "invalid field key: contains invalid characters",
        ),
        (
            json!({"key": "a/b", "name": "x"}),
            "invalid field key: contains invalid characters",
        ),
        (
            json!({"key": "äb", "name": "x"}),
            "invalid field key: contains invalid characters",
        ),
        (
            json!({"key": "a,b"}),
            "invalid field name: must not be empty",
        ),
        (
            json!({"key": "a,b", "name": ""}),
            "invalid field name: must not be empty",
        ),
    ];
    for (body, message) in cases {
        let (status, resp) = app.post(path, body.clone()).await;
        assert_error(status, &resp, 400, 3, message);
    }

    // Comma, dash, underscore, digits and both cases make a valid key.
    let created = create_flag(&app, "default", json!({"key": "a,B-1_z", "name": "ok"})).await;
    assert_eq!(created["key"], "a,B-1_z");
    assert_eq!(get_flag(&app, "default", "a,B-1_z").await, created);

    // 255 characters fit the schema; one more is rejected as invalid, not a database error.
    let long_key = "k".repeat(255);
    let long_name = "n".repeat(255);
    let created = create_flag(&app, "default", json!({"key": long_key, "name": long_name})).await;
    assert_eq!(created["key"], long_key);
    assert_eq!(created["name"], long_name);
    for (body, field) in [
        (json!({"key": "k".repeat(256), "name": "x"}), "key"),
        (json!({"key": "short", "name": "n".repeat(256)}), "name"),
    ] {
        let (status, resp) = app.post(path, body).await;
        assert_eq!(status, 400, "{resp}");
        assert_eq!(resp["code"], 3);
        assert_eq!(resp["details"], json!([]));
        let message = resp["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with(&format!("invalid field {field}: ")),
            "{message}"
        );
    }
    // Rejected creates store nothing.
    let (_, list) = app.get(path).await;
    assert_eq!(list["totalCount"], 2);

    app.shutdown().await;
}

async fn create_conflicts_and_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let (status, body) = app
        .post(
            "/api/v1/namespaces/nope/flags",
            json!({"key": "k", "name": "K"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "namespace \"nope\" not found");

    create_flag(&app, "default", json!({"key": "k", "name": "K"})).await;
    let before = app.revision("default").await;
    let (status, body) = app
        .post(
            "/api/v1/namespaces/default/flags",
            json!({"key": "k", "name": "again", "type": "BOOLEAN_FLAG_TYPE"}),
        )
        .await;
    assert_error(status, &body, 400, 3, "flag \"default/k\" is not unique");
    assert_eq!(app.revision("default").await, before);

    // The same key in another namespace is a different flag.
    app.post_ok(
        "/api/v1/namespaces",
        json!({"key": "other", "name": "Other"}),
    )
    .await;
    let other = create_flag(&app, "other", json!({"key": "k", "name": "Other K"})).await;
    assert_eq!(other["namespaceKey"], "other");
    assert_eq!(get_flag(&app, "default", "k").await["name"], "K");

    let (status, body) = app.get("/api/v1/namespaces/default/flags/x").await;
    assert_error(status, &body, 404, 5, "flag \"default/x\" not found");
    let (status, body) = app.get("/api/v1/namespaces/missing/flags/k").await;
    assert_error(status, &body, 404, 5, "flag \"missing/k\" not found");

    app.shutdown().await;
}

async fn list_in_creation_order_with_paging(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut created = Vec::new();
    for key in ["f1", "f2", "f3", "f4", "f5"] {
        created.push(create_flag(&app, "default", json!({"key": key, "name": key})).await);
    }
    let path = "/api/v1/namespaces/default/flags";

    let (status, all) = app.get(path).await;
    assert_eq!(status, 200);
    assert_eq!(fields(&all), ["flags", "nextPageToken", "totalCount"]);
    assert_eq!(all["totalCount"], 5);
    assert_eq!(all["nextPageToken"], "");
    let listed: Vec<Value> = all["flags"]
        .as_array()
        .expect("flags array")
        .iter()
        .map(normalized)
        .collect();
    assert_eq!(listed, created);

    // Page 1: base64 of {"key":"f3","offset":2}.
    let (status, page) = app.get(&format!("{path}?limit=2")).await;
    assert_eq!(status, 200);
    assert_eq!(page["flags"][0]["key"], "f1");
    assert_eq!(page["flags"][1]["key"], "f2");
    assert_eq!(page["flags"].as_array().map(Vec::len), Some(2));
    assert_eq!(page["nextPageToken"], "eyJrZXkiOiJmMyIsIm9mZnNldCI6Mn0=");
    assert_eq!(page["totalCount"], 5);

    // Page 2 follows the token: base64 of {"key":"f5","offset":4}.
    let token = page["nextPageToken"].as_str().expect("token").to_owned();
    let (status, page) = app.get(&format!("{path}?limit=2&pageToken={token}")).await;
    assert_eq!(status, 200);
    assert_eq!(normalized(&page["flags"][0]), created[2]);
    assert_eq!(normalized(&page["flags"][1]), created[3]);
    assert_eq!(page["flags"].as_array().map(Vec::len), Some(2));
    assert_eq!(page["nextPageToken"], "eyJrZXkiOiJmNSIsIm9mZnNldCI6NH0=");
    assert_eq!(page["totalCount"], 5);

    // Last page.
    let token = page["nextPageToken"].as_str().expect("token").to_owned();
    let (status, page) = app.get(&format!("{path}?limit=2&page_token={token}")).await;
    assert_eq!(status, 200);
    assert_eq!(page["flags"].as_array().map(Vec::len), Some(1));
    assert_eq!(page["flags"][0]["key"], "f5");
    assert_eq!(page["nextPageToken"], "");
    assert_eq!(page["totalCount"], 5);

    // The deprecated offset, with and without more pages.
    let (status, page) = app.get(&format!("{path}?limit=2&offset=1")).await;
    assert_eq!(status, 200);
    assert_eq!(page["flags"][0]["key"], "f2");
    assert_eq!(page["flags"][1]["key"], "f3");
    assert_eq!(page["nextPageToken"], "eyJrZXkiOiJmNCIsIm9mZnNldCI6M30=");
    assert_eq!(page["totalCount"], 5);
    let (status, page) = app.get(&format!("{path}?limit=10&offset=3")).await;
    assert_eq!(status, 200);
    assert_eq!(page["flags"][0]["key"], "f4");
    assert_eq!(page["flags"][1]["key"], "f5");
    assert_eq!(page["nextPageToken"], "");
    // A limit exactly covering the rest yields no token.
    let (status, page) = app.get(&format!("{path}?limit=5")).await;
    assert_eq!(status, 200);
    assert_eq!(page["flags"].as_array().map(Vec::len), Some(5));
    assert_eq!(page["nextPageToken"], "");

    // A token wins over the offset parameter.
    let (status, page) = app
        .get(&format!(
            "{path}?limit=1&offset=0&pageToken=eyJrZXkiOiJmMiIsIm9mZnNldCI6MX0="
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["flags"][0]["key"], "f2");
    assert_eq!(page["nextPageToken"], "eyJrZXkiOiJmMyIsIm9mZnNldCI6Mn0=");

    // Unknown namespaces list nothing.
    let (status, body) = app.get("/api/v1/namespaces/nope/flags").await;
    assert_eq!(
        (status, body),
        (
            200,
            json!({"flags": [], "nextPageToken": "", "totalCount": 0})
        )
    );

    app.shutdown().await;
}

async fn list_paging_errors_and_sdk_parameters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_flag(&app, "default", json!({"key": "a", "name": "A"})).await;
    create_flag(&app, "default", json!({"key": "b", "name": "B"})).await;
    let path = "/api/v1/namespaces/default/flags";

    for query in [
        "offset=1",
        "pageToken=eyJrZXkiOiJmMiIsIm9mZnNldCI6MX0=",
        "limit=0&offset=1",
    ] {
        let (status, body) = app.get(&format!("{path}?{query}")).await;
        assert_error(
            status,
            &body,
            400,
            3,
            "limit must be set when offset or pageToken is set",
        );
    }
    let (status, body) = app
        .get(&format!("{path}?limit=1&pageToken=Hello%20World"))
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "pageToken is not valid: \"Hello World\"",
    );
    // Valid base64 must still hold a JSON object with a non-negative integer offset:
    // `hello`, `[1]`, `{"offset":-1}`, `{"offset":"x"}`.
    for token in [
        "aGVsbG8=",
        "WzFd",
        "eyJvZmZzZXQiOi0xfQ==",
        "eyJvZmZzZXQiOiJ4In0=",
    ] {
        let (status, body) = app.get(&format!("{path}?limit=1&pageToken={token}")).await;
        assert_error(
            status,
            &body,
            400,
            3,
            &format!("pageToken is not valid: \"{token}\""),
        );
    }
    // A token holding only an offset (`{"offset":1}`) is fine.
    let (status, body) = app
        .get(&format!("{path}?limit=1&pageToken=eyJvZmZzZXQiOjF9"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["flags"][0]["key"], "b");
    assert_eq!(body["nextPageToken"], "");
    // Negative limits are rejected rather than misbehaving (api.md §2.6 recommendation).
    let (status, body) = app.get(&format!("{path}?limit=-1")).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], 3);

    // The Go SDK always sends these; empty values mean "default".
    let (status, body) = app
        .get(&format!("{path}?limit=0&offset=0&pageToken=&reference="))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["totalCount"], 2);
    assert_eq!(body["nextPageToken"], "");
    assert_eq!(body["flags"][0]["key"], "a");
    assert_eq!(body["flags"][1]["key"], "b");
    // `reference` is accepted and ignored on get as well.
    let (status, body) = app.get(&format!("{path}/a?reference=main")).await;
    assert_eq!(status, 200);
    assert_eq!(body["key"], "a");

    app.shutdown().await;
}

async fn update_is_full_replacement(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let created = create_flag(
        &app,
        "default",
        json!({"key": "f", "name": "F", "description": "desc", "enabled": true, "metadata": {"a": 1}}),
    )
    .await;
    let variant = create_variant(&app, "default", "f", "on").await;
    let path = "/api/v1/namespaces/default/flags/f";

    let before = app.revision("default").await;
    let (status, with_default) = app
        .put(
            path,
            json!({"name": "F", "description": "desc", "enabled": true, "defaultVariantId": variant["id"]}),
        )
        .await;
    assert_eq!(status, 200, "{with_default}");
    assert_eq!(app.revision("default").await, before + 1);
    assert_eq!(with_default["defaultVariant"], variant);
    assert_eq!(with_default["variants"], json!([variant]));
    assert_eq!(with_default["enabled"], true);
    assert_eq!(with_default["metadata"], json!({"a": 1}));
    assert_eq!(get_flag(&app, "default", "f").await, with_default);

    // Omitted fields take their zero values: disabled, no description, no default variant.
    let (status, updated) = app.put(path, json!({"name": "Renamed"})).await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["key"], "f");
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["description"], "");
    assert_eq!(updated["enabled"], false);
    assert!(updated.get("defaultVariant").is_none(), "{updated}");
    assert_eq!(updated["variants"], json!([variant]));
    assert_eq!(updated["type"], "VARIANT_FLAG_TYPE");
    assert_eq!(updated["namespaceKey"], "default");
    assert_eq!(updated["metadata"], json!({"a": 1}));
    assert_eq!(updated["createdAt"], created["createdAt"]);
    assert_timestamp(&updated["updatedAt"]);
    assert_ne!(updated["updatedAt"], created["updatedAt"]);
    assert_eq!(get_flag(&app, "default", "f").await, updated);

    // The type is fixed forever: an update cannot change it.
    let (status, updated) = app
        .put(
            path,
            json!({"name": "Renamed", "type": "BOOLEAN_FLAG_TYPE"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(updated["type"], "VARIANT_FLAG_TYPE");

    let (status, body) = app.put(path, json!({"description": "no name"})).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field name: must not be empty",
    );
    let (status, body) = app
        .put(
            "/api/v1/namespaces/default/flags/nope",
            json!({"name": "x"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "flag \"default/nope\" not found");
    let (status, body) = app
        .put("/api/v1/namespaces/missing/flags/f", json!({"name": "x"}))
        .await;
    assert_error(status, &body, 404, 5, "flag \"missing/f\" not found");

    app.shutdown().await;
}

async fn update_metadata_rules(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_flag(
        &app,
        "default",
        json!({"key": "f", "name": "F", "metadata": {"a": 1, "b": "x"}}),
    )
    .await;
    let path = "/api/v1/namespaces/default/flags/f";

    // Absent: unchanged.
    let (status, updated) = app.put(path, json!({"name": "F"})).await;
    assert_eq!(status, 200);
    assert_eq!(updated["metadata"], json!({"a": 1, "b": "x"}));
    // `null` counts as absent.
    let (status, updated) = app.put(path, json!({"name": "F", "metadata": null})).await;
    assert_eq!(status, 200);
    assert_eq!(updated["metadata"], json!({"a": 1, "b": "x"}));

    // Non-empty: replaced, not merged.
    let (status, updated) = app
        .put(path, json!({"name": "F", "metadata": {"c": [true, null]}}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(updated["metadata"], json!({"c": [true, null]}));
    assert_eq!(
        get_flag(&app, "default", "f").await["metadata"],
        json!({"c": [true, null]})
    );

    // `{}`: cleared (get reports stored metadata only).
    let (status, updated) = app.put(path, json!({"name": "F", "metadata": {}})).await;
    assert_eq!(status, 200);
    assert!(updated.get("metadata").is_none(), "{updated}");
    let fetched = get_flag(&app, "default", "f").await;
    assert!(fetched.get("metadata").is_none(), "{fetched}");
    assert_eq!(fetched, updated);
    let (_, list) = app.get("/api/v1/namespaces/default/flags").await;
    assert!(
        list["flags"][0].get("metadata").is_none() || list["flags"][0]["metadata"] == json!({}),
        "{list}"
    );

    app.shutdown().await;
}

async fn default_variant_must_belong_to_the_flag(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_flag(&app, "default", json!({"key": "mine", "name": "Mine"})).await;
    create_flag(&app, "default", json!({"key": "theirs", "name": "Theirs"})).await;
    let foreign = create_variant(&app, "default", "theirs", "blue").await;
    let id = foreign["id"].as_str().expect("id").to_owned();

    let before = app.revision("default").await;
    let (status, body) = app
        .put(
            "/api/v1/namespaces/default/flags/mine",
            json!({"name": "Mine", "defaultVariantId": id}),
        )
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        &format!("variant \"{id}\" not found for flag \"default/mine\""),
    );
    assert_eq!(app.revision("default").await, before);

    // The variant check runs before the flag's existence check.
    let (status, body) = app
        .put(
            "/api/v1/namespaces/default/flags/ghost",
            json!({"name": "Ghost", "defaultVariantId": "no-such-id"}),
        )
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "variant \"no-such-id\" not found for flag \"default/ghost\"",
    );

    // The right flag accepts it and reports the full variant.
    let (status, updated) = app
        .put(
            "/api/v1/namespaces/default/flags/theirs",
            json!({"name": "Theirs", "enabled": true, "defaultVariantId": id}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["defaultVariant"], foreign);
    assert_eq!(
        fields(&updated["defaultVariant"]),
        [
            "attachment",
            "createdAt",
            "description",
            "flagKey",
            "id",
            "key",
            "name",
            "namespaceKey",
            "updatedAt"
        ]
    );
    let (_, list) = app.get("/api/v1/namespaces/default/flags").await;
    assert_eq!(list["flags"][1]["defaultVariant"], foreign);
    assert!(list["flags"][0].get("defaultVariant").is_none(), "{list}");

    app.shutdown().await;
}

async fn delete_is_idempotent_and_cascades(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_flag(&app, "default", json!({"key": "f", "name": "F"})).await;
    let v1 = create_variant(&app, "default", "f", "v1").await;
    create_variant(&app, "default", "f", "v2").await;
    app.put(
        "/api/v1/namespaces/default/flags/f",
        json!({"name": "F", "defaultVariantId": v1["id"]}),
    )
    .await;
    app.post_ok(
        "/api/v1/namespaces/default/segments",
        json!({"key": "everyone", "name": "Everyone"}),
    )
    .await;
    let rule = app
        .post_ok(
            "/api/v1/namespaces/default/flags/f/rules",
            json!({"segmentKey": "everyone", "rank": 1}),
        )
        .await;
    let rule_id = rule["id"].as_str().expect("rule id").to_owned();
    app.post_ok(
        &format!("/api/v1/namespaces/default/flags/f/rules/{rule_id}/distributions"),
        json!({"variantId": v1["id"], "rollout": 100}),
    )
    .await;
    app.post_ok(
        "/api/v1/namespaces/default/flags/f/rollouts",
        json!({"rank": 1, "threshold": {"percentage": 50, "value": true}}),
    )
    .await;

    let before = app.revision("default").await;
    let (status, body) = app.delete("/api/v1/namespaces/default/flags/f").await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.revision("default").await, before + 1);
    let (status, body) = app.get("/api/v1/namespaces/default/flags/f").await;
    assert_error(status, &body, 404, 5, "flag \"default/f\" not found");
    // Idempotent, also for namespaces that do not exist.
    for path in [
        "/api/v1/namespaces/default/flags/f",
        "/api/v1/namespaces/default/flags/never",
        "/api/v1/namespaces/missing/flags/f",
    ] {
        let (status, body) = app.delete(path).await;
        assert_eq!((status, body), (200, json!({})), "DELETE {path}");
    }

    // Rules went with the flag, so the segment is no longer in use.
    let (status, body) = app
        .get(&format!(
            "/api/v1/namespaces/default/flags/f/rules/{rule_id}"
        ))
        .await;
    assert_error(
        status,
        &body,
        404,
        5,
        &format!("rule \"default/{rule_id}\" not found"),
    );
    let (status, body) = app
        .delete("/api/v1/namespaces/default/segments/everyone")
        .await;
    assert_eq!((status, body), (200, json!({})));

    // The key is free again, and nothing of the old flag comes back.
    let again = create_flag(&app, "default", json!({"key": "f", "name": "F again"})).await;
    assert_eq!(again["variants"], json!([]));
    assert!(again.get("defaultVariant").is_none(), "{again}");
    let recreated_variant = create_variant(&app, "default", "f", "v1").await;
    assert_ne!(recreated_variant["id"], v1["id"]);
    for route in ["rules", "rollouts"] {
        let (status, body) = app
            .get(&format!("/api/v1/namespaces/default/flags/f/{route}"))
            .await;
        assert_eq!(status, 200);
        assert_eq!(body["totalCount"], 0, "{route}: {body}");
        assert_eq!(body["rules"], json!([]), "{route}: {body}");
    }

    app.shutdown().await;
}

async fn lenient_request_decoding(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.post_ok("/api/v1/namespaces", json!({"key": "team", "name": "Team"}))
        .await;

    // snake_case `namespace_key` on the legacy create route, enum as a number.
    let created = app
        .post_ok(
            "/api/v1/flags",
            json!({"key": "num", "name": "Num", "namespace_key": "team", "type": 1}),
        )
        .await;
    assert_eq!(created["namespaceKey"], "team");
    assert_eq!(created["type"], "BOOLEAN_FLAG_TYPE");
    assert_eq!(get_flag(&app, "team", "num").await, created);

    // Numbers 0 and explicit nulls decode as defaults.
    let created = create_flag(
        &app,
        "default",
        json!({"key": "zero", "name": "Zero", "type": 0, "description": null}),
    )
    .await;
    assert_eq!(created["type"], "VARIANT_FLAG_TYPE");
    assert_eq!(created["description"], "");

    // Unknown enum names are rejected.
    let (status, body) = app
        .post(
            "/api/v1/namespaces/default/flags",
            json!({"key": "bad", "name": "Bad", "type": "NOT_A_TYPE"}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], 3);

    // snake_case `default_variant_id`; camelCase wins when both are present.
    let a = create_variant(&app, "default", "zero", "a").await;
    let b = create_variant(&app, "default", "zero", "b").await;
    let (status, updated) = app
        .put(
            "/api/v1/namespaces/default/flags/zero",
            json!({"name": "Zero", "default_variant_id": b["id"]}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["defaultVariant"], b);
    let (status, updated) = app
        .put(
            "/api/v1/namespaces/default/flags/zero",
            json!({"name": "Zero", "default_variant_id": b["id"], "defaultVariantId": a["id"]}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["defaultVariant"], a);

    // An empty body is the default message.
    let (status, body) = app
        .call_raw(
            reqwest::Method::POST,
            "/api/v1/namespaces/default/flags",
            "",
        )
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field key: must not be empty",
    );

    app.shutdown().await;
}

async fn dashboard_copy_posts_whole_flag(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.post_ok("/api/v1/namespaces", json!({"key": "copy", "name": "Copy"}))
        .await;
    create_flag(
        &app,
        "default",
        json!({"key": "src", "name": "Source", "description": "d", "enabled": true, "metadata": {"k": "v"}}),
    )
    .await;
    let v = app
        .post_ok(
            "/api/v1/namespaces/default/flags/src/variants",
            json!({"key": "v", "name": "V", "description": "vd", "attachment": "{\"x\":1}"}),
        )
        .await;
    app.put(
        "/api/v1/namespaces/default/flags/src",
        json!({"name": "Source", "description": "d", "enabled": true, "defaultVariantId": v["id"]}),
    )
    .await;
    let source = get_flag(&app, "default", "src").await;

    // The whole Flag object (variants, defaultVariant, timestamps, namespaceKey "default")
    // is posted to the target namespace; unknown fields are ignored and the path wins.
    let copied = create_flag(&app, "copy", source.clone()).await;
    assert_eq!(copied["key"], "src");
    assert_eq!(copied["name"], "Source");
    assert_eq!(copied["description"], "d");
    assert_eq!(copied["enabled"], true);
    assert_eq!(copied["type"], "VARIANT_FLAG_TYPE");
    assert_eq!(copied["namespaceKey"], "copy");
    assert_eq!(copied["metadata"], json!({"k": "v"}));
    assert_eq!(copied["variants"], json!([]));
    assert!(copied.get("defaultVariant").is_none(), "{copied}");
    assert_ne!(copied["createdAt"], source["createdAt"]);

    // Then each variant object is posted as it is.
    let copied_variant = app
        .post_ok(
            "/api/v1/namespaces/copy/flags/src/variants",
            source["variants"][0].clone(),
        )
        .await;
    assert_ne!(copied_variant["id"], v["id"]);
    assert_eq!(copied_variant["namespaceKey"], "copy");
    assert_eq!(copied_variant["flagKey"], "src");
    assert_eq!(copied_variant["key"], "v");
    assert_eq!(copied_variant["name"], "V");
    assert_eq!(copied_variant["description"], "vd");
    assert_eq!(copied_variant["attachment"], "{\"x\":1}");
    assert_eq!(
        get_flag(&app, "copy", "src").await["variants"],
        json!([copied_variant])
    );
    // The source is untouched.
    assert_eq!(get_flag(&app, "default", "src").await, source);

    app.shutdown().await;
}
