//! The client-side snapshot on a read instance (evaluation.md §9, api.md §6; DESIGN.md §6:
//! each multi-segment rule emitted once, segment keys sorted): document shape field by field,
//! ETag and `If-None-Match`, version gating, unknown namespaces, gRPC `DataService`.

use flipt_proto::flipt::evaluation as ev;
use flipt_proto::flipt::evaluation::data_service_client::DataServiceClient;
use serde_json::{json, Value};

use crate::backend_tests;
use crate::evaluation::{synced, Fx};
use crate::harness::{Backend, TestApp};
use crate::read_harness::ReadApp;

const PATH: &str = "/internal/v1/evaluation/snapshot/namespace";

/// A snapshot answer: status, ETag header, raw body.
struct Reply {
    status: u16,
    etag: Option<String>,
    content_type: Option<String>,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn fetch(read: &ReadApp, ns: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = read.http.get(format!("{}{PATH}/{ns}", read.http_base));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.expect("snapshot request");
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let etag = header("etag");
    let content_type = header("content-type");
    let status = resp.status().as_u16();
    Reply {
        status,
        etag,
        content_type,
        body: resp.text().await.expect("body"),
    }
}

/// Ids the expected document needs.
struct Ids {
    blue: String,
    red: String,
    rule_and: String,
    rule_one: String,
    c_plan: String,
    c_entity: String,
    color: Value,
    newui: Value,
}

/// Namespace `snap`: segments `s1` (ALL: plan eq pro, entity id eq vip) and `s2` (ANY, no
/// constraints); variant flag `color` with a two-segment AND rule (50/50) and a one-segment
/// rule, default variant red; boolean flag `newui` with a segment and a threshold rollout.
async fn build(app: &TestApp) -> Ids {
    let fx = Fx::new(app, "snap").await;
    fx.segment("s1", false).await;
    let c_plan = fx.constraint("s1", "STRING", "plan", "eq", "pro").await;
    let c_entity = fx
        .constraint("s1", "ENTITY_ID", "entityId", "eq", "vip")
        .await;
    fx.segment("s2", true).await;

    app.post_ok(
        "/api/v1/namespaces/snap/flags",
        json!({"key": "color", "name": "Color", "description": "colours", "enabled": true}),
    )
    .await;
    let blue = fx.variant("color", "blue", "{ \"hex\": \"#00f\" }").await;
    // Already compact, so the verbatim default-variant text equals the compacted one here
    // (`evaluation::attachment_text_preserved` covers the difference).
    let red = fx.variant("color", "red", r##"{"hex":"#f00"}"##).await;
    let (status, body) = app
        .put(
            "/api/v1/namespaces/snap/flags/color",
            json!({"name": "Color", "description": "colours", "enabled": true, "defaultVariantId": red}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let rule_and = fx.rule("color", 1, &["s2", "s1"], true).await;
    fx.dist("color", &rule_and, &blue, 50.0).await;
    fx.dist("color", &rule_and, &red, 50.0).await;
    let rule_one = fx.rule("color", 2, &["s1"], false).await;
    fx.dist("color", &rule_one, &blue, 33.3).await;

    app.post_ok(
        "/api/v1/namespaces/snap/flags",
        json!({"key": "newui", "name": "New UI", "type": "BOOLEAN_FLAG_TYPE"}),
    )
    .await;
    fx.segment_rollout("newui", 1, &["s1"], false, true).await;
    fx.threshold("newui", 2, 25.0, true).await;

    let (_, color) = app.get("/api/v1/namespaces/snap/flags/color").await;
    let (_, newui) = app.get("/api/v1/namespaces/snap/flags/newui").await;
    Ids {
        blue,
        red,
        rule_and,
        rule_one,
        c_plan,
        c_entity,
        color,
        newui,
    }
}

/// The document expected for a client announcing 1.47.0 or later.
fn expected(ids: &Ids, entity_type: &str, default_variant: bool) -> Value {
    let s1 = json!({
        "key": "s1", "name": "", "description": "", "matchType": "ALL_SEGMENT_MATCH_TYPE",
        "constraints": [
            {"id": ids.c_plan, "type": "STRING_CONSTRAINT_COMPARISON_TYPE", "property": "plan", "operator": "eq", "value": "pro"},
            {"id": ids.c_entity, "type": entity_type, "property": "entityId", "operator": "eq", "value": "vip"},
        ],
    });
    let s2 = json!({
        "key": "s2", "name": "", "description": "", "matchType": "ANY_SEGMENT_MATCH_TYPE",
        "constraints": [],
    });
    let dist = |variant_id: &str, key: &str, attachment: &str, rollout: Value| {
        json!({"id": "", "ruleId": "", "variantId": variant_id, "variantKey": key,
               "variantAttachment": attachment, "rollout": rollout})
    };
    let mut color = json!({
        "key": "color",
        "name": "Color",
        "description": "colours",
        "enabled": true,
        "type": "VARIANT_FLAG_TYPE",
        "createdAt": ids.color["createdAt"],
        "updatedAt": ids.color["updatedAt"],
        "rules": [
            {
                "id": ids.rule_and,
                // Sorted by key; the rule appears once with its distributions once.
                "segments": [s1, s2],
                "rank": 1,
                "segmentOperator": "AND_SEGMENT_OPERATOR",
                "distributions": [
                    dist(&ids.blue, "blue", r##"{"hex":"#00f"}"##, json!(50)),
                    dist(&ids.red, "red", r##"{"hex":"#f00"}"##, json!(50)),
                ],
            },
            {
                "id": ids.rule_one,
                "segments": [s1],
                "rank": 2,
                "segmentOperator": "OR_SEGMENT_OPERATOR",
                "distributions": [dist(&ids.blue, "blue", r##"{"hex":"#00f"}"##, json!(33.3))],
            },
        ],
        "rollouts": [],
    });
    if default_variant {
        color["defaultVariant"] =
            json!({"id": ids.red, "key": "red", "attachment": r##"{"hex":"#f00"}"##});
    }
    let newui = json!({
        "key": "newui",
        "name": "New UI",
        "description": "",
        "enabled": false,
        "type": "BOOLEAN_FLAG_TYPE",
        "createdAt": ids.newui["createdAt"],
        "updatedAt": ids.newui["updatedAt"],
        "rules": [],
        "rollouts": [
            {"type": "SEGMENT_ROLLOUT_TYPE", "rank": 1,
             "segment": {"value": true, "segmentOperator": "OR_SEGMENT_OPERATOR", "segments": [s1]}},
            {"type": "THRESHOLD_ROLLOUT_TYPE", "rank": 2,
             "threshold": {"percentage": 25, "value": true}},
        ],
    });
    json!({"namespace": {"key": "snap"}, "flags": [color, newui]})
}

backend_tests!(snapshot_document_and_etag);

async fn snapshot_document_and_etag(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ids = build(&app).await;
    let read = ReadApp::spawn(app.database_url()).await;
    synced(&app, &read, "snap").await;

    // Current SDKs: full document.
    let full = fetch(
        &read,
        "snap",
        &[("X-Flipt-Accept-Server-Version", "1.47.0")],
    )
    .await;
    assert_eq!(full.status, 200, "{}", full.body);
    assert_eq!(full.content_type.as_deref(), Some("application/json"));
    let etag = full.etag.clone().expect("ETag header");
    assert_eq!(etag.len(), 40, "{etag}");
    assert!(
        etag.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{etag}"
    );
    let doc = full.json();
    let want = expected(&ids, "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE", true);
    assert_eq!(doc["namespace"], want["namespace"]);
    assert_eq!(doc["flags"][0], want["flags"][0]);
    assert_eq!(doc["flags"][1], want["flags"][1]);
    assert_eq!(doc, want);
    // The standalone write tier serves the same document and ETag.
    let resp = app
        .http
        .get(format!("{}{PATH}/snap", app.http_base))
        .header("X-Flipt-Accept-Server-Version", "1.47.0")
        .send()
        .await
        .expect("request");
    assert_eq!(
        resp.headers().get("etag").and_then(|v| v.to_str().ok()),
        Some(etag.as_str())
    );
    assert_eq!(resp.json::<Value>().await.expect("json"), want);

    // Version gating.
    let none = fetch(&read, "snap", &[]).await;
    assert_eq!(none.status, 200);
    assert_eq!(none.etag.as_deref(), Some(etag.as_str()));
    assert_eq!(
        none.json(),
        expected(&ids, "UNKNOWN_CONSTRAINT_COMPARISON_TYPE", false)
    );
    for (version, entity_type, default_variant) in [
        ("1.38.0", "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE", false),
        ("1.37.9", "UNKNOWN_CONSTRAINT_COMPARISON_TYPE", false),
        ("1.47.0-rc1", "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE", false),
        ("v1.47", "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE", true),
        ("1.61.1", "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE", true),
        ("garbage", "UNKNOWN_CONSTRAINT_COMPARISON_TYPE", false),
    ] {
        let reply = fetch(&read, "snap", &[("X-Flipt-Accept-Server-Version", version)]).await;
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.json(),
            expected(&ids, entity_type, default_variant),
            "version {version}"
        );
    }

    // Conditional requests: exact match → 304, empty body, ETag still sent.
    let not_modified = fetch(&read, "snap", &[("If-None-Match", etag.as_str())]).await;
    assert_eq!(not_modified.status, 304);
    assert_eq!(not_modified.body, "");
    assert_eq!(not_modified.etag.as_deref(), Some(etag.as_str()));
    for other in [
        format!("\"{etag}\""),
        format!("W/\"{etag}\""),
        "*".to_owned(),
        "x".to_owned(),
    ] {
        let reply = fetch(&read, "snap", &[("If-None-Match", other.as_str())]).await;
        assert_eq!(reply.status, 200, "If-None-Match {other}");
        assert_eq!(reply.etag.as_deref(), Some(etag.as_str()));
    }
    // `reference` is ignored.
    let with_ref = read
        .http
        .get(format!("{}{PATH}/snap?reference=main", read.http_base))
        .header("If-None-Match", etag.as_str())
        .send()
        .await
        .expect("request");
    assert_eq!(with_ref.status().as_u16(), 304);

    // The route's edges, on the read instance and on the standalone write tier alike: one
    // trailing slash is dropped, the key is percent-decoded, other methods and deeper or empty
    // paths get the gateway's errors.
    for base in [read.http_base.as_str(), app.http_base.as_str()] {
        let get = |path: String| read.http.get(format!("{base}{path}")).send();
        let slash = get(format!("{PATH}/snap/")).await.expect("request");
        assert_eq!(slash.status().as_u16(), 200);
        assert_eq!(
            slash.headers().get("etag").and_then(|v| v.to_str().ok()),
            Some(etag.as_str())
        );
        let encoded = get(format!("{PATH}/sn%61p")).await.expect("request");
        assert_eq!(
            encoded.headers().get("etag").and_then(|v| v.to_str().ok()),
            Some(etag.as_str()),
            "percent-encoded key"
        );
        for path in [
            format!("{PATH}/snap/flags"),
            format!("{PATH}/"),
            PATH.to_owned(),
            "/internal/v1/evaluation/snapshot".to_owned(),
            "/internal/v1/other".to_owned(),
        ] {
            let resp = get(path.clone()).await.expect("request");
            assert_eq!(resp.status().as_u16(), 404, "{path}");
            let body: Value = resp.json().await.expect("json error body");
            assert_eq!(body["code"], 5, "{path}: {body}");
            assert_eq!(body["message"], "Not Found", "{path}: {body}");
        }
        let post = read
            .http
            .post(format!("{base}{PATH}/snap"))
            .send()
            .await
            .expect("request");
        assert_eq!(post.status().as_u16(), 501);
        let body: Value = post.json().await.expect("json error body");
        assert_eq!(body["code"], 12, "{body}");
        assert_eq!(body["message"], "Method Not Allowed", "{body}");
    }

    // A write changes the ETag, on the write tier at once and on the read instance eventually.
    let (status, body) = app
        .put(
            "/api/v1/namespaces/snap/flags/newui",
            json!({"name": "New UI", "enabled": true}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    synced(&app, &read, "snap").await;
    let changed = fetch(&read, "snap", &[("If-None-Match", etag.as_str())]).await;
    assert_eq!(changed.status, 200);
    let new_etag = changed.etag.clone().expect("ETag");
    assert_ne!(new_etag, etag);
    assert_eq!(changed.json()["flags"][1]["enabled"], true);
    let again = fetch(&read, "snap", &[("If-None-Match", new_etag.as_str())]).await;
    assert_eq!(again.status, 304);

    // Unknown namespace: an empty document, no ETag, never a 304.
    let unknown = fetch(&read, "nope", &[("If-None-Match", etag.as_str())]).await;
    assert_eq!(unknown.status, 200);
    assert_eq!(unknown.etag, None);
    assert_eq!(unknown.body, r#"{"namespace":{"key":"nope"},"flags":[]}"#);
    // An existing namespace without flags has a version and an empty flag list.
    let default = fetch(&read, "default", &[]).await;
    assert_eq!(default.status, 200);
    assert_eq!(
        default.json(),
        json!({"namespace": {"key": "default"}, "flags": []})
    );

    // gRPC DataService: the same document.
    let mut grpc = DataServiceClient::connect(read.grpc_addr.clone())
        .await
        .expect("grpc connects");
    let mut request = tonic::Request::new(ev::EvaluationNamespaceSnapshotRequest {
        key: "snap".into(),
        reference: String::new(),
    });
    request.metadata_mut().insert(
        "x-flipt-accept-server-version",
        "1.47.0".parse().expect("ascii"),
    );
    let got = grpc
        .evaluation_snapshot_namespace(request)
        .await
        .expect("grpc snapshot")
        .into_inner();
    let got: Value =
        serde_json::from_slice(&flipt_proto::json::to_vec(&got).expect("encode")).expect("json");
    let rest = fetch(
        &read,
        "snap",
        &[("X-Flipt-Accept-Server-Version", "1.47.0")],
    )
    .await;
    assert_eq!(got, rest.json());
    let gated = grpc
        .evaluation_snapshot_namespace(ev::EvaluationNamespaceSnapshotRequest {
            key: "snap".into(),
            reference: String::new(),
        })
        .await
        .expect("grpc snapshot")
        .into_inner();
    assert!(gated.flags[0].default_variant.is_none());
    assert_eq!(
        gated.flags[0].rules[0].segments[0].constraints[1].r#type,
        ev::EvaluationConstraintComparisonType::UnknownConstraintComparisonType as i32
    );
    let empty = grpc
        .evaluation_snapshot_namespace(ev::EvaluationNamespaceSnapshotRequest {
            key: "nope".into(),
            reference: String::new(),
        })
        .await
        .expect("grpc snapshot")
        .into_inner();
    assert_eq!(empty.namespace.expect("namespace").key, "nope");
    assert!(empty.flags.is_empty());
    app.shutdown().await;
}

/// A snapshot answer as bytes, with the headers the encoding tests look at.
struct RawReply {
    status: u16,
    etag: Option<String>,
    encoding: Option<String>,
    vary: Option<String>,
    length: Option<u64>,
    body: Vec<u8>,
}

async fn fetch_raw(
    http: &reqwest::Client,
    base: &str,
    ns: &str,
    headers: &[(&str, &str)],
) -> RawReply {
    let mut req = http.get(format!("{base}{PATH}/{ns}"));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.expect("snapshot request");
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    RawReply {
        status: resp.status().as_u16(),
        etag: header("etag"),
        encoding: header("content-encoding"),
        vary: header("vary"),
        length: header("content-length").and_then(|v| v.parse().ok()),
        body: resp.bytes().await.expect("body").to_vec(),
    }
}

fn join<'a>(a: &[(&'a str, &'a str)], b: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    a.iter().chain(b).copied().collect()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read as _;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a valid gzip body");
    out
}

backend_tests!(snapshot_gzip_and_identity_encodings);

/// `Accept-Encoding: gzip` gets the document gzip-compressed, everyone else the JSON text; both
/// decode to the same bytes, with the same ETag, and `If-None-Match` answers 304 either way.
/// Covers a small document (kept as text too) and one over 64 KiB (kept only compressed and
/// decompressed per response).
async fn snapshot_gzip_and_identity_encodings(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    build(&app).await;
    // Namespace `big`: one variant whose 96 KiB attachment appears in every gate's document.
    let fx = Fx::new(&app, "big").await;
    let attachment = serde_json::to_string(
        &(0..4500)
            .map(|i| (format!("key-{i:05}"), Value::from(format!("value {i}"))))
            .collect::<serde_json::Map<_, _>>(),
    )
    .expect("json");
    assert!(attachment.len() > 96 * 1024, "{}", attachment.len());
    fx.segment("everyone", false).await;
    fx.flag("huge", false, true).await;
    let variant = fx.variant("huge", "on", &attachment).await;
    let rule = fx.rule("huge", 1, &["everyone"], false).await;
    fx.dist("huge", &rule, &variant, 100.0).await;
    let read = ReadApp::spawn(app.database_url()).await;
    synced(&app, &read, "snap").await;
    synced(&app, &read, "big").await;
    // Without reqwest's own decompression, whatever features are enabled.
    let http = reqwest::Client::builder()
        .no_gzip()
        .build()
        .expect("client");

    for ns in ["snap", "big"] {
        for version in [None, Some("1.47.0")] {
            let mut base: Vec<(&str, &str)> = Vec::new();
            if let Some(v) = version {
                base.push(("X-Flipt-Accept-Server-Version", v));
            }
            let what = format!("{ns}, version {version:?}");

            let identity = fetch_raw(&http, &read.http_base, ns, &base).await;
            assert_eq!(identity.status, 200, "{what}");
            assert_eq!(identity.encoding, None, "{what}");
            assert_eq!(identity.vary.as_deref(), Some("Accept-Encoding"), "{what}");
            assert_eq!(identity.length, Some(identity.body.len() as u64), "{what}");
            let doc: Value = serde_json::from_slice(&identity.body).expect("json document");
            assert_eq!(doc["namespace"]["key"], ns, "{what}");
            if ns == "big" {
                assert!(identity.body.len() > 96 * 1024, "{what}");
                assert_eq!(
                    doc["flags"][0]["rules"][0]["distributions"][0]["variantAttachment"],
                    attachment,
                    "{what}"
                );
            }
            let etag = identity.etag.clone().expect("ETag");

            for accept in ["gzip", "deflate, gzip;q=0.5", "br, *"] {
                let gzip = fetch_raw(
                    &http,
                    &read.http_base,
                    ns,
                    &join(&base, &[("Accept-Encoding", accept)]),
                )
                .await;
                assert_eq!(gzip.status, 200, "{what}, {accept}");
                assert_eq!(gzip.encoding.as_deref(), Some("gzip"), "{what}, {accept}");
                assert_eq!(gzip.vary.as_deref(), Some("Accept-Encoding"), "{what}");
                assert_eq!(
                    gzip.etag.as_deref(),
                    Some(etag.as_str()),
                    "{what}, {accept}"
                );
                assert_eq!(gzip.length, Some(gzip.body.len() as u64), "{what}");
                if ns == "big" {
                    assert!(
                        gzip.body.len() * 4 < identity.body.len(),
                        "{what}: compresses"
                    );
                }
                assert_eq!(gunzip(&gzip.body), identity.body, "{what}, {accept}");
            }
            for accept in ["identity", "gzip;q=0", "br", "gzip;q=0, *"] {
                let plain = fetch_raw(
                    &http,
                    &read.http_base,
                    ns,
                    &join(&base, &[("Accept-Encoding", accept)]),
                )
                .await;
                assert_eq!(plain.encoding, None, "{what}, {accept}");
                assert_eq!(plain.body, identity.body, "{what}, {accept}");
            }

            // Conditional requests: 304, empty body, unaffected by the encoding.
            for accept in [None, Some("gzip")] {
                let mut h = join(&base, &[("If-None-Match", etag.as_str())]);
                if let Some(a) = accept {
                    h.push(("Accept-Encoding", a));
                }
                let not_modified = fetch_raw(&http, &read.http_base, ns, &h).await;
                assert_eq!(not_modified.status, 304, "{what}, {accept:?}");
                assert!(not_modified.body.is_empty(), "{what}");
                assert_eq!(not_modified.encoding, None, "{what}");
                assert_eq!(not_modified.etag.as_deref(), Some(etag.as_str()), "{what}");
            }
        }
    }

    // The standalone write tier serves the same encodings.
    let gzip = fetch_raw(&http, &app.http_base, "big", &[("Accept-Encoding", "gzip")]).await;
    let identity = fetch_raw(&http, &read.http_base, "big", &[]).await;
    assert_eq!(gzip.encoding.as_deref(), Some("gzip"));
    assert_eq!(gunzip(&gzip.body), identity.body);
    app.shutdown().await;
}
