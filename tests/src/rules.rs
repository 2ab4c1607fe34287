//! Rule and distribution routes over REST (api.md §4.6, §4.7, §14.3; DESIGN.md §6).

use serde_json::{json, Value};

use crate::backend_tests;
use crate::harness::{assert_error, Backend, TestApp};

backend_tests!(
    rule_create_single_and_multiple_segments,
    rule_validation_and_not_found,
    rule_update,
    rule_order,
    rule_delete_reranks,
    rule_list_pagination,
    distribution_crud,
    distribution_validation_and_not_found,
    distribution_sum_over_100_rejected,
    distribution_delete,
);

const FLAGS: &str = "/api/v1/namespaces/default/flags";
const RULES: &str = "/api/v1/namespaces/default/flags/f/rules";

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

/// Flag `f` (variant type) in `default`, plus the given segments.
async fn setup(app: &TestApp, segments: &[&str]) {
    app.post_ok(
        FLAGS,
        json!({"key": "f", "name": "F", "type": "VARIANT_FLAG_TYPE", "enabled": true}),
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

async fn create_variant(app: &TestApp, flag: &str, key: &str) -> String {
    let variant = app
        .post_ok(&format!("{FLAGS}/{flag}/variants"), json!({"key": key}))
        .await;
    id(&variant)
}

async fn create_rule(app: &TestApp, body: Value) -> Value {
    app.post_ok(RULES, body).await
}

async fn list_rules(app: &TestApp) -> Value {
    let (status, list) = app.get(RULES).await;
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

async fn rule_create_single_and_multiple_segments(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["zeta", "alpha", "beta"]).await;

    // The deprecated single field; AND is forced to OR for a single segment.
    let before = app.revision("default").await;
    let single = create_rule(
        &app,
        json!({"segmentKey": "zeta", "rank": 1, "segmentOperator": "AND_SEGMENT_OPERATOR"}),
    )
    .await;
    assert_eq!(app.revision("default").await, before + 1);
    assert_timestamp(&single["createdAt"]);
    assert_eq!(
        single,
        json!({
            "id": single["id"],
            "flagKey": "f",
            "segmentKey": "zeta",
            "distributions": [],
            "rank": 1,
            "createdAt": single["createdAt"],
            "updatedAt": single["createdAt"],
            "namespaceKey": "default",
            "segmentKeys": [],
            "segmentOperator": "OR_SEGMENT_OPERATOR",
        })
    );

    // Two segments through the list field, reported sorted (DESIGN.md §6), AND kept.
    let multi = create_rule(
        &app,
        json!({"segmentKeys": ["beta", "alpha"], "rank": 2, "segmentOperator": "AND_SEGMENT_OPERATOR"}),
    )
    .await;
    assert_eq!(
        multi,
        json!({
            "id": multi["id"],
            "flagKey": "f",
            "segmentKey": "",
            "distributions": [],
            "rank": 2,
            "createdAt": multi["createdAt"],
            "updatedAt": multi["createdAt"],
            "namespaceKey": "default",
            "segmentKeys": ["alpha", "beta"],
            "segmentOperator": "AND_SEGMENT_OPERATOR",
        })
    );

    // Duplicates are removed; one distinct key is reported in segmentKey, OR forced.
    let deduped = create_rule(
        &app,
        json!({"segmentKeys": ["alpha", "alpha"], "rank": 3, "segmentOperator": "AND_SEGMENT_OPERATOR"}),
    )
    .await;
    assert_eq!(deduped["segmentKey"], "alpha");
    assert_eq!(deduped["segmentKeys"], json!([]));
    assert_eq!(deduped["segmentOperator"], "OR_SEGMENT_OPERATOR");
    let three = create_rule(
        &app,
        json!({"segmentKeys": ["zeta", "beta", "zeta", "alpha"], "rank": 4}),
    )
    .await;
    assert_eq!(three["segmentKey"], "");
    assert_eq!(three["segmentKeys"], json!(["alpha", "beta", "zeta"]));
    assert_eq!(three["segmentOperator"], "OR_SEGMENT_OPERATOR");

    // Rank uniqueness is not enforced.
    let same_rank = create_rule(&app, json!({"segmentKey": "beta", "rank": 1})).await;
    assert_eq!(same_rank["rank"], 1);

    // Get and list return exactly what create returned; list is in rank order.
    for rule in [&single, &multi, &deduped, &three] {
        let (status, fetched) = app.get(&format!("{RULES}/{}", id(rule))).await;
        assert_eq!(status, 200);
        assert_eq!(&fetched, rule);
    }
    let list = list_rules(&app).await;
    assert_eq!(list["totalCount"], 5);
    assert_eq!(list["nextPageToken"], "");
    let rules = list["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 5);
    assert_eq!(
        rules
            .iter()
            .map(|r| r["rank"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![1, 1, 2, 3, 4]
    );
    assert_eq!(rules[2], multi);
    assert_eq!(rules[3], deduped);
    assert_eq!(rules[4], three);
    assert!(rules[..2].contains(&single) && rules[..2].contains(&same_rank));

    // Unknown flag lists nothing.
    let (status, list) = app.get(&format!("{FLAGS}/nope/rules")).await;
    assert_eq!(status, 200);
    assert_eq!(
        list,
        json!({"rules": [], "nextPageToken": "", "totalCount": 0})
    );

    app.shutdown().await;
}

async fn rule_validation_and_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["s"]).await;
    let before = app.revision("default").await;

    let cases = [
        (
            json!({"rank": 1}),
            "invalid field segmentKey or segmentKeys: must not be empty",
        ),
        (
            json!({"rank": 1, "segmentKeys": []}),
            "invalid field segmentKey or segmentKeys: must not be empty",
        ),
        (
            json!({"rank": 1, "segmentKey": "s", "segmentKeys": ["s"]}),
            "invalid field segmentKey or segmentKeys: only one can be present",
        ),
        (
            json!({"segmentKey": "s"}),
            "invalid field rank: must be greater than 0",
        ),
        (
            json!({"segmentKey": "s", "rank": -1}),
            "invalid field rank: must be greater than 0",
        ),
    ];
    for (body, message) in cases {
        let (status, got) = app.post(RULES, body).await;
        assert_error(status, &got, 400, 3, message);
    }

    // Unknown flag or segment: the message names the deprecated single field's value.
    let (status, body) = app
        .post(
            &format!("{FLAGS}/nope/rules"),
            json!({"segmentKey": "s", "rank": 1}),
        )
        .await;
    assert_error(
        status,
        &body,
        404,
        5,
        "flag \"default/nope\" or segment \"default/s\" not found",
    );
    let (status, body) = app
        .post(RULES, json!({"segmentKey": "missing", "rank": 1}))
        .await;
    assert_error(
        status,
        &body,
        404,
        5,
        "flag \"default/f\" or segment \"default/missing\" not found",
    );
    let (status, body) = app
        .post(RULES, json!({"segmentKeys": ["s", "missing"], "rank": 1}))
        .await;
    assert_error(
        status,
        &body,
        404,
        5,
        "flag \"default/f\" or segment \"default/\" not found",
    );

    // A segment of another namespace is not visible.
    app.post_ok(
        "/api/v1/namespaces",
        json!({"key": "other", "name": "Other"}),
    )
    .await;
    app.post_ok(
        "/api/v1/namespaces/other/segments",
        json!({"key": "everyone", "name": "Everyone"}),
    )
    .await;
    let (status, body) = app
        .post(RULES, json!({"segmentKey": "everyone", "rank": 1}))
        .await;
    assert_error(
        status,
        &body,
        404,
        5,
        "flag \"default/f\" or segment \"default/everyone\" not found",
    );
    assert_eq!(app.revision("default").await, before);

    let (status, body) = app.get(&format!("{RULES}/nope")).await;
    assert_error(status, &body, 404, 5, "rule \"default/nope\" not found");
    let (status, list) = app.get(RULES).await;
    assert_eq!((status, list["totalCount"].clone()), (200, json!(0)));

    app.shutdown().await;
}

async fn rule_update(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["a", "b", "c"]).await;
    let variant = create_variant(&app, "f", "v1").await;
    let rule = create_rule(&app, json!({"segmentKey": "a", "rank": 1})).await;
    let rule_id = id(&rule);
    let path = format!("{RULES}/{rule_id}");
    let dist = app
        .post_ok(
            &format!("{path}/distributions"),
            json!({"variantId": variant, "rollout": 50}),
        )
        .await;

    // Segments and operator are replaced; rank and distributions stay.
    let before = app.revision("default").await;
    let (status, updated) = app
        .put(
            &path,
            json!({"segmentKeys": ["c", "b"], "segmentOperator": "AND_SEGMENT_OPERATOR"}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(app.revision("default").await, before + 1);
    assert_timestamp(&updated["updatedAt"]);
    assert_eq!(
        updated,
        json!({
            "id": rule_id,
            "flagKey": "f",
            "segmentKey": "",
            "distributions": [dist],
            "rank": 1,
            "createdAt": rule["createdAt"],
            "updatedAt": updated["updatedAt"],
            "namespaceKey": "default",
            "segmentKeys": ["b", "c"],
            "segmentOperator": "AND_SEGMENT_OPERATOR",
        })
    );
    let (_, fetched) = app.get(&path).await;
    assert_eq!(fetched, updated);

    // Back to one segment: reported in segmentKey, OR forced.
    let (status, updated) = app
        .put(
            &path,
            json!({"segmentKey": "b", "segmentOperator": "AND_SEGMENT_OPERATOR"}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["segmentKey"], "b");
    assert_eq!(updated["segmentKeys"], json!([]));
    assert_eq!(updated["segmentOperator"], "OR_SEGMENT_OPERATOR");
    assert_eq!(updated["rank"], 1);
    assert_eq!(updated["distributions"], json!([dist]));
    assert_eq!(list_rules(&app).await["rules"][0], updated);

    // Segment "a" is free now; "b" is in use.
    let (status, _) = app.delete("/api/v1/namespaces/default/segments/a").await;
    assert_eq!(status, 200);
    let (status, body) = app.delete("/api/v1/namespaces/default/segments/b").await;
    assert_error(status, &body, 400, 3, "segment \"default/b\" is in use");

    let cases = [
        (
            json!({}),
            "invalid field segmentKey or segmentKeys: must not be empty",
        ),
        (
            json!({"segmentKey": "b", "segmentKeys": ["c"]}),
            "invalid field segmentKey or segmentKeys: only one can be present",
        ),
    ];
    for (body, message) in cases {
        let (status, got) = app.put(&path, body).await;
        assert_error(status, &got, 400, 3, message);
    }
    let (status, body) = app
        .put(&format!("{RULES}/nope"), json!({"segmentKey": "b"}))
        .await;
    assert_error(status, &body, 404, 5, "rule \"default/nope\" not found");
    let (status, body) = app
        .put(&path, json!({"segmentKeys": ["b", "missing"]}))
        .await;
    assert_error(
        status,
        &body,
        404,
        5,
        &format!("rule \"default/{rule_id}\" not found"),
    );
    let (_, fetched) = app.get(&path).await;
    assert_eq!(fetched, updated);

    app.shutdown().await;
}

async fn rule_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["s"]).await;
    let mut ids = Vec::new();
    for rank in 1..=3 {
        ids.push(id(&create_rule(
            &app,
            json!({"segmentKey": "s", "rank": rank}),
        )
        .await));
    }
    let order = format!("{RULES}/order");

    for ids in [json!([]), json!([ids[0]])] {
        let (status, body) = app.put(&order, json!({"ruleIds": ids})).await;
        assert_error(
            status,
            &body,
            400,
            3,
            "invalid field ruleIds: must contain atleast 2 elements",
        );
    }

    let before = app.revision("default").await;
    let (status, body) = app
        .put(&order, json!({"ruleIds": [ids[2], ids[0], ids[1]]}))
        .await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.revision("default").await, before + 1);

    let list = list_rules(&app).await;
    assert_eq!(
        ranks_and_ids(&list),
        vec![
            (1, ids[2].clone()),
            (2, ids[0].clone()),
            (3, ids[1].clone())
        ]
    );
    let rules = list["rules"].as_array().unwrap();
    assert_timestamp(&rules[0]["updatedAt"]);
    assert!(rules
        .iter()
        .all(|r| r["updatedAt"] == rules[0]["updatedAt"]));
    assert!(rules.iter().all(|r| r["updatedAt"] != r["createdAt"]));
    for rule in rules {
        let (_, fetched) = app.get(&format!("{RULES}/{}", id(rule))).await;
        assert_eq!(&fetched, rule);
    }

    // Unknown ids are ignored; unlisted rules keep their rank.
    let (status, body) = app.put(&order, json!({"ruleIds": [ids[1], "nope"]})).await;
    assert_eq!((status, body), (200, json!({})));
    let list = list_rules(&app).await;
    let mut ranks = ranks_and_ids(&list);
    ranks.sort();
    assert_eq!(ranks, {
        let mut want = vec![
            (1, ids[1].clone()),
            (1, ids[2].clone()),
            (2, ids[0].clone()),
        ];
        want.sort();
        want
    });

    app.shutdown().await;
}

async fn rule_delete_reranks(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["s"]).await;
    let variant = create_variant(&app, "f", "v1").await;
    let mut ids = Vec::new();
    for rank in [1, 2, 5, 9] {
        ids.push(id(&create_rule(
            &app,
            json!({"segmentKey": "s", "rank": rank}),
        )
        .await));
    }
    app.post_ok(
        &format!("{RULES}/{}/distributions", ids[1]),
        json!({"variantId": variant, "rollout": 10}),
    )
    .await;

    let before = app.revision("default").await;
    let (status, body) = app.delete(&format!("{RULES}/{}", ids[1])).await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.revision("default").await, before + 1);
    let (status, body) = app.get(&format!("{RULES}/{}", ids[1])).await;
    assert_error(
        status,
        &body,
        404,
        5,
        &format!("rule \"default/{}\" not found", ids[1]),
    );

    let list = list_rules(&app).await;
    assert_eq!(list["totalCount"], 3);
    assert_eq!(
        ranks_and_ids(&list),
        vec![
            (1, ids[0].clone()),
            (2, ids[2].clone()),
            (3, ids[3].clone())
        ]
    );
    let rules = list["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .all(|r| r["updatedAt"] == rules[0]["updatedAt"]));

    // Idempotent.
    let (status, body) = app.delete(&format!("{RULES}/{}", ids[1])).await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(ranks_and_ids(&list_rules(&app).await).len(), 3);

    // The segment is free once no rule uses it.
    for rule in &[&ids[0], &ids[2], &ids[3]] {
        let (status, _) = app.delete(&format!("{RULES}/{rule}")).await;
        assert_eq!(status, 200);
    }
    let (status, body) = app.delete("/api/v1/namespaces/default/segments/s").await;
    assert_eq!((status, body), (200, json!({})));

    app.shutdown().await;
}

async fn rule_list_pagination(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["s"]).await;
    let mut rules = Vec::new();
    for rank in 1..=5 {
        rules.push(create_rule(&app, json!({"segmentKey": "s", "rank": rank})).await);
    }

    let (status, page) = app.get(&format!("{RULES}?limit=2")).await;
    assert_eq!(status, 200);
    assert_eq!(page["rules"], json!([rules[0], rules[1]]));
    assert_eq!(page["totalCount"], 5);
    let token = encode_query(page["nextPageToken"].as_str().unwrap());
    assert!(!token.is_empty());

    let (status, page) = app.get(&format!("{RULES}?limit=2&pageToken={token}")).await;
    assert_eq!(status, 200);
    assert_eq!(page["rules"], json!([rules[2], rules[3]]));
    let token = encode_query(page["nextPageToken"].as_str().unwrap());
    assert!(!token.is_empty());

    let (status, page) = app.get(&format!("{RULES}?limit=2&pageToken={token}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        page,
        json!({"rules": [rules[4]], "nextPageToken": "", "totalCount": 5})
    );

    let (status, page) = app.get(&format!("{RULES}?limit=10&offset=3")).await;
    assert_eq!(status, 200);
    assert_eq!(page["rules"], json!([rules[3], rules[4]]));
    assert_eq!(page["nextPageToken"], "");

    let (status, body) = app.get(&format!("{RULES}?pageToken={token}")).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "limit must be set when offset or pageToken is set",
    );
    let (status, body) = app
        .get(&format!("{RULES}?limit=1&pageToken=Hello%20World"))
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "pageToken is not valid: \"Hello World\"",
    );

    app.shutdown().await;
}

async fn distribution_crud(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["s"]).await;
    let v1 = create_variant(&app, "f", "v1").await;
    let v2 = create_variant(&app, "f", "v2").await;
    let rule = create_rule(&app, json!({"segmentKey": "s", "rank": 1})).await;
    let rule_id = id(&rule);
    let path = format!("{RULES}/{rule_id}/distributions");

    let before = app.revision("default").await;
    let first = app
        .post_ok(&path, json!({"variantId": v1, "rollout": 33.3}))
        .await;
    assert_eq!(app.revision("default").await, before + 1);
    assert_timestamp(&first["createdAt"]);
    assert_eq!(
        first,
        json!({
            "id": first["id"],
            "ruleId": rule_id,
            "variantId": v1,
            "rollout": 33.3,
            "createdAt": first["createdAt"],
            "updatedAt": first["createdAt"],
        })
    );
    let second = app
        .post_ok(&path, json!({"variantId": v2, "rollout": 66.7}))
        .await;
    assert_eq!(second["rollout"], json!(66.7));

    // The rule lists them in creation order and is not touched itself.
    let (_, fetched) = app.get(&format!("{RULES}/{rule_id}")).await;
    assert_eq!(fetched["distributions"], json!([first, second]));
    assert_eq!(fetched["updatedAt"], rule["updatedAt"]);
    assert_eq!(list_rules(&app).await["rules"][0], fetched);

    // Update: variant and rollout replaced; 0 and 100 are valid bounds, 100 printed as 100.
    let (status, updated) = app
        .put(
            &format!("{path}/{}", id(&second)),
            json!({"variantId": v1, "rollout": 0}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        updated,
        json!({
            "id": second["id"],
            "ruleId": rule_id,
            "variantId": v1,
            "rollout": 0,
            "createdAt": second["createdAt"],
            "updatedAt": updated["updatedAt"],
        })
    );
    let (status, updated_first) = app
        .put(
            &format!("{path}/{}", id(&first)),
            json!({"variantId": v2, "rollout": 100}),
        )
        .await;
    assert_eq!(status, 200, "{updated_first}");
    assert_eq!(updated_first["rollout"], json!(100));
    assert_eq!(updated_first["variantId"], json!(v2));
    let (_, fetched) = app.get(&format!("{RULES}/{rule_id}")).await;
    assert_eq!(fetched["distributions"], json!([updated_first, updated]));

    let (status, body) = app
        .put(
            &format!("{path}/nope"),
            json!({"variantId": v1, "rollout": 0}),
        )
        .await;
    assert_error(status, &body, 404, 5, "distribution \"nope\" not found");

    // Deleting the variant removes its distributions.
    let (status, _) = app.delete(&format!("{FLAGS}/f/variants/{v2}")).await;
    assert_eq!(status, 200);
    let (_, fetched) = app.get(&format!("{RULES}/{rule_id}")).await;
    assert_eq!(fetched["distributions"], json!([updated]));

    // Deleting the rule removes the rest.
    let (status, _) = app.delete(&format!("{RULES}/{rule_id}")).await;
    assert_eq!(status, 200);
    let (status, body) = app
        .post(&path, json!({"variantId": v1, "rollout": 1}))
        .await;
    assert_error(
        status,
        &body,
        404,
        5,
        &format!(
            "variant \"{v1}\", rule \"{rule_id}\", flag \"f\" in namespace \"default\" not found"
        ),
    );

    app.shutdown().await;
}

async fn distribution_validation_and_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["s"]).await;
    let v1 = create_variant(&app, "f", "v1").await;
    let rule_id = id(&create_rule(&app, json!({"segmentKey": "s", "rank": 1})).await);
    let path = format!("{RULES}/{rule_id}/distributions");
    let before = app.revision("default").await;

    let cases = [
        (
            json!({"rollout": 10}),
            "invalid field variantId: must not be empty",
        ),
        (
            json!({"variantId": v1, "rollout": -0.5}),
            "invalid field rollout: must be greater than or equal to '0'",
        ),
        (
            json!({"variantId": v1, "rollout": 100.5}),
            "invalid field rollout: must be less than or equal to '100'",
        ),
    ];
    for (body, message) in cases {
        let (status, got) = app.post(&path, body).await;
        assert_error(status, &got, 400, 3, message);
    }

    let not_found = |variant: &str, rule: &str, flag: &str| {
        format!(
            "variant \"{variant}\", rule \"{rule}\", flag \"{flag}\" in namespace \"default\" not found"
        )
    };
    let (status, body) = app
        .post(&path, json!({"variantId": "nope", "rollout": 10}))
        .await;
    assert_error(status, &body, 404, 5, &not_found("nope", &rule_id, "f"));
    let (status, body) = app
        .post(
            &format!("{RULES}/nope/distributions"),
            json!({"variantId": v1, "rollout": 10}),
        )
        .await;
    assert_error(status, &body, 404, 5, &not_found(&v1, "nope", "f"));
    let (status, body) = app
        .post(
            &format!("{FLAGS}/x/rules/{rule_id}/distributions"),
            json!({"variantId": v1, "rollout": 10}),
        )
        .await;
    assert_error(status, &body, 404, 5, &not_found(&v1, &rule_id, "x"));

    // A variant of a flag `f` in another namespace.
    app.post_ok(
        "/api/v1/namespaces",
        json!({"key": "other", "name": "Other"}),
    )
    .await;
    app.post_ok(
        "/api/v1/namespaces/other/flags",
        json!({"key": "f", "name": "F", "type": "VARIANT_FLAG_TYPE"}),
    )
    .await;
    let foreign = app
        .post_ok(
            "/api/v1/namespaces/other/flags/f/variants",
            json!({"key": "v1"}),
        )
        .await;
    let foreign = id(&foreign);
    let (status, body) = app
        .post(&path, json!({"variantId": foreign, "rollout": 10}))
        .await;
    assert_error(status, &body, 404, 5, &not_found(&foreign, &rule_id, "f"));
    assert_eq!(app.revision("default").await, before);

    // Update: same checks.
    let dist = app
        .post_ok(&path, json!({"variantId": v1, "rollout": 10}))
        .await;
    let dist_path = format!("{path}/{}", id(&dist));
    let (status, body) = app
        .put(&dist_path, json!({"variantId": v1, "rollout": 101}))
        .await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field rollout: must be less than or equal to '100'",
    );
    let (status, body) = app.put(&dist_path, json!({"rollout": 1})).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field variantId: must not be empty",
    );
    let (status, body) = app
        .put(&dist_path, json!({"variantId": foreign, "rollout": 10}))
        .await;
    assert_error(status, &body, 404, 5, &not_found(&foreign, &rule_id, "f"));

    let (_, rule) = app.get(&format!("{RULES}/{rule_id}")).await;
    assert_eq!(rule["distributions"], json!([dist]));

    app.shutdown().await;
}

async fn distribution_sum_over_100_rejected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["s"]).await;
    let v1 = create_variant(&app, "f", "v1").await;
    let v2 = create_variant(&app, "f", "v2").await;
    let v3 = create_variant(&app, "f", "v3").await;
    let rule_id = id(&create_rule(&app, json!({"segmentKey": "s", "rank": 1})).await);
    let other_rule = id(&create_rule(&app, json!({"segmentKey": "s", "rank": 2})).await);
    let path = format!("{RULES}/{rule_id}/distributions");

    // 33.3 + 33.3 + 33.4 is exactly 100 despite f32 rounding.
    let a = app
        .post_ok(&path, json!({"variantId": v1, "rollout": 33.3}))
        .await;
    let b = app
        .post_ok(&path, json!({"variantId": v2, "rollout": 33.3}))
        .await;
    let c = app
        .post_ok(&path, json!({"variantId": v3, "rollout": 33.4}))
        .await;
    assert_eq!(c["rollout"], json!(33.4));

    let before = app.revision("default").await;
    let (status, body) = app
        .post(&path, json!({"variantId": v1, "rollout": 0.5}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], 3);
    assert_eq!(body["details"], json!([]));

    // Raising one of them past the total is rejected too; lowering is fine.
    let (status, body) = app
        .put(
            &format!("{path}/{}", id(&a)),
            json!({"variantId": v1, "rollout": 40}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], 3);
    assert_eq!(app.revision("default").await, before);
    let (status, lowered) = app
        .put(
            &format!("{path}/{}", id(&a)),
            json!({"variantId": v1, "rollout": 20}),
        )
        .await;
    assert_eq!(status, 200, "{lowered}");
    // Updating a distribution to its own share does not count it twice.
    let (status, _) = app
        .put(
            &format!("{path}/{}", id(&b)),
            json!({"variantId": v2, "rollout": 46.6}),
        )
        .await;
    assert_eq!(status, 200);

    // The sum is per rule.
    app.post_ok(
        &format!("{RULES}/{other_rule}/distributions"),
        json!({"variantId": v1, "rollout": 100}),
    )
    .await;

    let (_, rule) = app.get(&format!("{RULES}/{rule_id}")).await;
    let rollouts: Vec<Value> = rule["distributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rollout"].clone())
        .collect();
    assert_eq!(rollouts, vec![json!(20), json!(46.6), json!(33.4)]);

    app.shutdown().await;
}

async fn distribution_delete(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    setup(&app, &["s"]).await;
    let v1 = create_variant(&app, "f", "v1").await;
    let v2 = create_variant(&app, "f", "v2").await;
    let rule_id = id(&create_rule(&app, json!({"segmentKey": "s", "rank": 1})).await);
    let path = format!("{RULES}/{rule_id}/distributions");
    let first = app
        .post_ok(&path, json!({"variantId": v1, "rollout": 50}))
        .await;
    let second = app
        .post_ok(&path, json!({"variantId": v2, "rollout": 50}))
        .await;
    let first_path = format!("{path}/{}", id(&first));

    let (status, body) = app.delete(&first_path).await;
    assert_error(
        status,
        &body,
        400,
        3,
        "invalid field variantId: must not be empty",
    );

    // A mismatched variant deletes nothing, and still answers 200.
    let before = app.revision("default").await;
    let (status, body) = app.delete(&format!("{first_path}?variantId={v2}")).await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.revision("default").await, before);
    let (_, rule) = app.get(&format!("{RULES}/{rule_id}")).await;
    assert_eq!(rule["distributions"], json!([first, second]));

    let (status, body) = app.delete(&format!("{first_path}?variantId={v1}")).await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.revision("default").await, before + 1);
    let (_, rule) = app.get(&format!("{RULES}/{rule_id}")).await;
    assert_eq!(rule["distributions"], json!([second]));

    // Idempotent; snake_case query name accepted too.
    let (status, body) = app.delete(&format!("{first_path}?variant_id={v1}")).await;
    assert_eq!((status, body), (200, json!({})));

    app.shutdown().await;
}
