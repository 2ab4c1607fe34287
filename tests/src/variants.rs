//! Variant routes over REST (api.md §4.3): attachments, uniqueness within a flag, the
//! update-not-found quirk, and what deleting a variant does to the flag's default variant and
//! to distributions (§14.1).

use serde_json::{json, Value};

use crate::backend_tests;
use crate::flags::{assert_timestamp, assert_uuid, create_flag, create_variant, fields, get_flag};
use crate::harness::{assert_error, Backend, TestApp};

const VARIANTS: &str = "/api/v1/namespaces/default/flags/f/variants";

/// A running app with flag `default/f`.
async fn app_with_flag(backend: Backend) -> TestApp {
    let app = TestApp::spawn(backend).await;
    create_flag(&app, "default", json!({"key": "f", "name": "F"})).await;
    app
}

backend_tests!(
    create_variant_fields,
    attachments_are_json_and_compacted,
    create_validation_and_conflicts,
    attachment_size_limit,
    update_replaces_fields,
    update_errors,
    variants_listed_in_creation_order,
    delete_clears_default_and_distributions,
);

async fn create_variant_fields(backend: Backend) {
    let app = app_with_flag(backend).await;
    let before = app.revision("default").await;

    let created = app
        .post_ok(
            VARIANTS,
            json!({"key": "blue", "name": "Blue", "description": "the blue one", "attachment": "{ \"a\" : [1, 2] }"}),
        )
        .await;

    assert_eq!(app.revision("default").await, before + 1);
    assert_eq!(
        fields(&created),
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
    assert_uuid(&created["id"]);
    assert_eq!(created["flagKey"], "f");
    assert_eq!(created["key"], "blue");
    assert_eq!(created["name"], "Blue");
    assert_eq!(created["description"], "the blue one");
    assert_eq!(created["attachment"], "{\"a\":[1,2]}");
    assert_eq!(created["namespaceKey"], "default");
    assert_timestamp(&created["createdAt"]);
    assert_eq!(created["createdAt"], created["updatedAt"]);

    // Only a key is required, and variant keys have no format rule.
    let minimal = create_variant(&app, "default", "f", "green.v2 ✓").await;
    assert_eq!(minimal["key"], "green.v2 ✓");
    assert_eq!(minimal["name"], "");
    assert_eq!(minimal["description"], "");
    assert_eq!(minimal["attachment"], "");
    assert_ne!(minimal["id"], created["id"]);

    let flag = get_flag(&app, "default", "f").await;
    assert_eq!(flag["variants"], json!([created, minimal]));
    // A child does not touch its parent's updatedAt.
    assert_eq!(flag["updatedAt"], flag["createdAt"]);

    // Variants may be created on boolean flags too (not checked).
    create_flag(
        &app,
        "default",
        json!({"key": "bool", "name": "Bool", "type": "BOOLEAN_FLAG_TYPE"}),
    )
    .await;
    let on_boolean = create_variant(&app, "default", "bool", "x").await;
    assert_eq!(on_boolean["flagKey"], "bool");

    app.shutdown().await;
}

async fn attachments_are_json_and_compacted(backend: Backend) {
    let app = app_with_flag(backend).await;
    let cases = [
        ("[1, true, null, \"s\"]", "[1,true,null,\"s\"]"),
        ("  42 ", "42"),
        ("\"text\"", "\"text\""),
        (
            "{\n  \"nested\": {\"deep\": [ {} , [] ]}\n}",
            "{\"nested\":{\"deep\":[{},[]]}}",
        ),
        ("null", "null"),
    ];
    for (i, (given, compact)) in cases.into_iter().enumerate() {
        let created = app
            .post_ok(
                VARIANTS,
                json!({"key": format!("v{i}"), "attachment": given}),
            )
            .await;
        assert_eq!(created["attachment"], compact, "attachment {given:?}");
        let flag = get_flag(&app, "default", "f").await;
        assert_eq!(flag["variants"][i]["attachment"], compact, "{given:?}");
    }

    app.shutdown().await;
}

async fn create_validation_and_conflicts(backend: Backend) {
    let app = app_with_flag(backend).await;
    let cases = [
        (json!({}), "invalid field key: must not be empty"),
        // The key is checked before the attachment.
        (
            json!({"attachment": "{bad"}),
            "invalid field key: must not be empty",
        ),
        (
            json!({"key": "k", "attachment": "{bad"}),
            "invalid field attachment: must be a json string",
        ),
        (
            json!({"key": "k", "attachment": "{\"a\": 1} trailing"}),
            "invalid field attachment: must be a json string",
        ),
    ];
    for (body, message) in cases {
        let (status, resp) = app.post(VARIANTS, body).await;
        assert_error(status, &resp, 400, 3, message);
    }
    assert_eq!(get_flag(&app, "default", "f").await["variants"], json!([]));

    let (status, body) = app
        .post(
            "/api/v1/namespaces/default/flags/x/variants",
            json!({"key": "k"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "flag \"default/x\" not found");
    let (status, body) = app
        .post(
            "/api/v1/namespaces/missing/flags/f/variants",
            json!({"key": "k"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "flag \"missing/f\" not found");

    create_variant(&app, "default", "f", "k").await;
    let before = app.revision("default").await;
    let (status, body) = app.post(VARIANTS, json!({"key": "k", "name": "dup"})).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "variant \"k\" is not unique for flag \"default/f\"",
    );
    assert_eq!(app.revision("default").await, before);

    // Unique per flag only.
    create_flag(&app, "default", json!({"key": "g", "name": "G"})).await;
    let other = create_variant(&app, "default", "g", "k").await;
    assert_eq!(other["flagKey"], "g");

    app.shutdown().await;
}

async fn attachment_size_limit(backend: Backend) {
    let app = app_with_flag(backend).await;

    // Exactly 1,024,000 bytes is accepted.
    let max = format!("\"{}\"", "x".repeat(1_024_000 - 2));
    let created = app
        .post_ok(VARIANTS, json!({"key": "max", "attachment": max}))
        .await;
    assert_eq!(
        created["attachment"].as_str().map(str::len),
        Some(1_024_000)
    );
    let id = created["id"].as_str().expect("id").to_owned();

    // One byte more is not; validity is checked before size.
    let too_big = format!("\"{}\"", "x".repeat(1_024_000 - 1));
    let too_big_invalid = format!("{{{}", "x".repeat(1_024_001));
    let cases = [
        (
            too_big,
            "invalid field attachment: must be less than 1000 KB",
        ),
        (
            too_big_invalid,
            "invalid field attachment: must be a json string",
        ),
    ];
    for (attachment, message) in cases {
        let (status, body) = app
            .post(VARIANTS, json!({"key": "k", "attachment": attachment}))
            .await;
        assert_error(status, &body, 400, 3, message);
        let (status, body) = app
            .put(
                &format!("{VARIANTS}/{id}"),
                json!({"key": "max", "attachment": attachment}),
            )
            .await;
        assert_error(status, &body, 400, 3, message);
    }
    assert_eq!(
        get_flag(&app, "default", "f").await["variants"],
        json!([created])
    );

    app.shutdown().await;
}

async fn update_replaces_fields(backend: Backend) {
    let app = app_with_flag(backend).await;
    let created = app
        .post_ok(
            VARIANTS,
            json!({"key": "v1", "name": "One", "description": "first", "attachment": "{\"a\": 1}"}),
        )
        .await;
    let id = created["id"].as_str().expect("id").to_owned();
    let path = format!("{VARIANTS}/{id}");

    let before = app.revision("default").await;
    let (status, updated) = app
        .put(
            &path,
            json!({"key": "v1b", "name": "One B", "description": "changed", "attachment": "[ 1 ,2 ]"}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(app.revision("default").await, before + 1);
    assert_eq!(fields(&updated), fields(&created));
    assert_eq!(updated["id"], id);
    assert_eq!(updated["flagKey"], "f");
    assert_eq!(updated["namespaceKey"], "default");
    assert_eq!(updated["key"], "v1b");
    assert_eq!(updated["name"], "One B");
    assert_eq!(updated["description"], "changed");
    assert_eq!(updated["attachment"], "[1,2]");
    assert_eq!(updated["createdAt"], created["createdAt"]);
    assert_timestamp(&updated["updatedAt"]);
    assert_ne!(updated["updatedAt"], created["updatedAt"]);
    assert_eq!(
        get_flag(&app, "default", "f").await["variants"],
        json!([updated])
    );

    // Full replacement: omitted name, description and attachment are cleared.
    let (status, cleared) = app.put(&path, json!({"key": "v1b"})).await;
    assert_eq!(status, 200, "{cleared}");
    assert_eq!(cleared["name"], "");
    assert_eq!(cleared["description"], "");
    assert_eq!(cleared["attachment"], "");
    assert_eq!(
        get_flag(&app, "default", "f").await["variants"],
        json!([cleared])
    );

    // Updating a variant keeps the flag's default variant pointing at it, with new contents.
    app.put(
        "/api/v1/namespaces/default/flags/f",
        json!({"name": "F", "defaultVariantId": id}),
    )
    .await;
    let (status, renamed) = app
        .put(&path, json!({"key": "final", "name": "Final"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        get_flag(&app, "default", "f").await["defaultVariant"],
        renamed
    );

    app.shutdown().await;
}

async fn update_errors(backend: Backend) {
    let app = app_with_flag(backend).await;
    let v1 = create_variant(&app, "default", "f", "v1").await;
    create_variant(&app, "default", "f", "v2").await;
    let id = v1["id"].as_str().expect("id").to_owned();
    let path = format!("{VARIANTS}/{id}");

    let (status, body) = app.put(&path, json!({"name": "no key"})).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field key: must not be empty",
    );
    let (status, body) = app
        .put(&path, json!({"key": "v1", "attachment": "nope"}))
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field attachment: must be a json string",
    );

    // Key clash with a sibling.
    let (status, body) = app.put(&path, json!({"key": "v2"})).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "variant \"v2\" is not unique for flag \"default/f\"",
    );

    // Not found: the message names the requested new key, not the id.
    let (status, body) = app
        .put(&format!("{VARIANTS}/no-such-id"), json!({"key": "newkey"}))
        .await;
    assert_error(status, &body, 404, 5, "variant \"newkey\" not found");
    // The variant is matched by flag too.
    create_flag(&app, "default", json!({"key": "g", "name": "G"})).await;
    let (status, body) = app
        .put(
            &format!("/api/v1/namespaces/default/flags/g/variants/{id}"),
            json!({"key": "newkey"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "variant \"newkey\" not found");
    // ... and by namespace.
    let (status, body) = app
        .put(
            &format!("/api/v1/namespaces/missing/flags/f/variants/{id}"),
            json!({"key": "newkey"}),
        )
        .await;
    assert_error(status, &body, 404, 5, "variant \"newkey\" not found");

    // Nothing changed.
    assert_eq!(get_flag(&app, "default", "f").await["variants"][0], v1);

    app.shutdown().await;
}

async fn variants_listed_in_creation_order(backend: Backend) {
    let app = app_with_flag(backend).await;
    let mut created = Vec::new();
    for key in ["zeta", "alpha", "mid"] {
        created.push(create_variant(&app, "default", "f", key).await);
    }
    // Updating the first one does not move it.
    let (status, updated) = app
        .put(
            &format!("{VARIANTS}/{}", created[0]["id"].as_str().expect("id")),
            json!({"key": "zeta", "name": "Zeta"}),
        )
        .await;
    assert_eq!(status, 200);
    created[0] = updated;

    let flag = get_flag(&app, "default", "f").await;
    assert_eq!(flag["variants"], Value::Array(created.clone()));
    let (_, list) = app.get("/api/v1/namespaces/default/flags").await;
    assert_eq!(list["flags"][0]["variants"], Value::Array(created));

    app.shutdown().await;
}

async fn delete_clears_default_and_distributions(backend: Backend) {
    let app = app_with_flag(backend).await;
    let v1 = create_variant(&app, "default", "f", "v1").await;
    let v2 = create_variant(&app, "default", "f", "v2").await;
    let v1_id = v1["id"].as_str().expect("id").to_owned();
    let (status, _) = app
        .put(
            "/api/v1/namespaces/default/flags/f",
            json!({"name": "F", "enabled": true, "defaultVariantId": v1_id}),
        )
        .await;
    assert_eq!(status, 200);

    app.post_ok(
        "/api/v1/namespaces/default/segments",
        json!({"key": "all", "name": "All"}),
    )
    .await;
    let rules = "/api/v1/namespaces/default/flags/f/rules";
    let rule = app
        .post_ok(rules, json!({"segmentKey": "all", "rank": 1}))
        .await;
    let rule_id = rule["id"].as_str().expect("rule id").to_owned();
    let distributions = format!("{rules}/{rule_id}/distributions");
    app.post_ok(&distributions, json!({"variantId": v1_id, "rollout": 30}))
        .await;
    let kept = app
        .post_ok(
            &distributions,
            json!({"variantId": v2["id"], "rollout": 70}),
        )
        .await;
    // A second rule using v1 only.
    let rule2 = app
        .post_ok(rules, json!({"segmentKey": "all", "rank": 2}))
        .await;
    let rule2_id = rule2["id"].as_str().expect("rule id").to_owned();
    app.post_ok(
        &format!("{rules}/{rule2_id}/distributions"),
        json!({"variantId": v1_id, "rollout": 100}),
    )
    .await;

    let before = app.revision("default").await;
    let (status, body) = app.delete(&format!("{VARIANTS}/{v1_id}")).await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.revision("default").await, before + 1);

    let flag = get_flag(&app, "default", "f").await;
    assert_eq!(flag["variants"], json!([v2]));
    assert!(flag.get("defaultVariant").is_none(), "{flag}");
    // The rest of the flag is untouched.
    assert_eq!(flag["enabled"], true);

    let (status, rule) = app.get(&format!("{rules}/{rule_id}")).await;
    assert_eq!(status, 200);
    assert_eq!(rule["distributions"], json!([kept]));
    let (status, rule2) = app.get(&format!("{rules}/{rule2_id}")).await;
    assert_eq!(status, 200);
    assert_eq!(rule2["distributions"], json!([]));

    // Idempotent: deleting again, or an unknown id, is still `{}`.
    for path in [
        format!("{VARIANTS}/{v1_id}"),
        format!("{VARIANTS}/no-such-id"),
        format!("/api/v1/namespaces/missing/flags/f/variants/{v1_id}"),
    ] {
        let (status, body) = app.delete(&path).await;
        assert_eq!((status, body), (200, json!({})), "DELETE {path}");
    }
    // A variant is deleted only through its own flag.
    create_flag(&app, "default", json!({"key": "g", "name": "G"})).await;
    let (status, _) = app
        .delete(&format!(
            "/api/v1/namespaces/default/flags/g/variants/{}",
            v2["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        get_flag(&app, "default", "f").await["variants"],
        json!([v2])
    );

    // The key can be reused.
    let again = create_variant(&app, "default", "f", "v1").await;
    assert_ne!(again["id"], v1["id"]);

    app.shutdown().await;
}
