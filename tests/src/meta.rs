//! The Meta API on the write tier (api.md §9): `/meta/info` and `/meta/config` over REST and
//! `flipt.meta.MetadataService` over gRPC.

use flipt_proto::flipt::meta::metadata_service_client::MetadataServiceClient;
use flipt_proto::pbjson_types::Empty;
use flipt_shared::config::{Config, UiTheme};
use flipt_write::service::meta::Meta;
use serde_json::{json, Value};

use crate::backend_tests;
use crate::flags::fields;
use crate::harness::{Backend, TestApp};

/// How many object keys named `name` (any case) appear at any depth.
fn keys_named(value: &Value, name: &str) -> usize {
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| usize::from(k.eq_ignore_ascii_case(name)) + keys_named(v, name))
            .sum(),
        Value::Array(items) => items.iter().map(|v| keys_named(v, name)).sum(),
        _ => 0,
    }
}

async fn info_with_defaults(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, info) = app.get("/meta/info").await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(
        fields(&info),
        vec![
            "analytics",
            "arch",
            "authentication",
            "goVersion",
            "isRelease",
            "os",
            "storage",
            "ui",
            "updateAvailable",
            "version"
        ]
    );
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert!(info["goVersion"].as_str().is_some_and(|v| !v.is_empty()));
    assert_eq!(info["updateAvailable"], false);
    assert_eq!(info["isRelease"], !cfg!(debug_assertions));
    assert_eq!(info["os"], std::env::consts::OS);
    assert_eq!(info["arch"], std::env::consts::ARCH);
    assert_eq!(info["authentication"], json!({"required": false}));
    assert_eq!(info["storage"], json!({"type": "database"}));
    assert_eq!(info["analytics"], json!({}));
    assert_eq!(info["ui"], json!({"theme": "system"}));

    // Content type, and `?pretty` indents.
    let resp = app
        .http
        .get(format!("{}/meta/info?pretty", app.http_base))
        .send()
        .await
        .expect("request sent");
    assert_eq!(
        resp.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let text = resp.text().await.expect("body");
    assert!(text.contains('\n'), "{text}");
    assert_eq!(
        serde_json::from_str::<Value>(&text).expect("json"),
        info,
        "pretty is the same document"
    );

    // Only GET.
    let (status, _) = app.post("/meta/info", json!({})).await;
    assert_eq!(status, 501);
}

async fn info_reflects_configuration(backend: Backend) {
    let database = crate::harness::TestDatabase::create(backend).await;
    let app = TestApp::spawn_with(database, |s| {
        let mut config = Config::default();
        config.authentication.required = true;
        config.ui.default_theme = UiTheme::Dark;
        config.ui.topbar.color = "#ff0000".into();
        s.meta = Meta::from_config(&config, &s.database_url);
        s.read_only = true;
    })
    .await;
    let (status, info) = app.get("/meta/info").await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["authentication"], json!({"required": true}));
    assert_eq!(
        info["storage"],
        json!({"type": "database", "readOnly": true})
    );
    assert_eq!(
        info["ui"],
        json!({"theme": "dark", "topbarColor": "#ff0000"})
    );
}

async fn config_without_secrets(backend: Backend) {
    let database = crate::harness::TestDatabase::create(backend).await;
    let app = TestApp::spawn_with(database, |s| {
        let mut config = Config::default();
        config.db.password = "hunter2".into();
        config.cache.redis.password = "hunter2".into();
        config.cache.redis.url = "redis://user:hunter2@cache:6379/0".into();
        s.meta = Meta::from_config(&config, &s.database_url);
    })
    .await;
    let (status, config) = app.get("/meta/config").await;
    assert_eq!(status, 200, "{config}");
    for key in [
        "log",
        "ui",
        "authentication",
        "cache",
        "cors",
        "server",
        "storage",
        "db",
    ] {
        assert!(
            config[key].as_object().is_some_and(|o| !o.is_empty()),
            "{key} missing or empty in {config}"
        );
    }
    assert_eq!(keys_named(&config, "password"), 0, "{config}");
    let text = config.to_string();
    assert!(!text.contains("hunter2"), "{text}");
    let url = config["db"]["url"].as_str().expect("db.url");
    assert!(
        !url.is_empty() && !url.contains('@'),
        "credentials in {url}"
    );
    assert_eq!(config["server"]["httpPort"], 8080);
    assert_eq!(config["db"]["maxIdleConn"], 2);
    assert_eq!(config["cache"]["ttl"], 60_000_000_000_u64);
    assert_eq!(config["cache"]["redis"]["url"], "redis://cache:6379/0");
}

async fn grpc_metadata_service(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut client = MetadataServiceClient::connect(app.grpc_addr.clone())
        .await
        .expect("grpc connects");
    let info = client
        .get_info(Empty {})
        .await
        .expect("GetInfo")
        .into_inner();
    assert_eq!(info.content_type, "application/json");
    let info: Value = serde_json::from_slice(&info.data).expect("info json");
    let (_, rest_info) = app.get("/meta/info").await;
    assert_eq!(info, rest_info);

    let config = client
        .get_configuration(Empty {})
        .await
        .expect("GetConfiguration")
        .into_inner();
    assert_eq!(config.content_type, "application/json");
    let config: Value = serde_json::from_slice(&config.data).expect("config json");
    let (_, rest_config) = app.get("/meta/config").await;
    assert_eq!(config, rest_config);
    assert_eq!(keys_named(&config, "password"), 0);
}

backend_tests!(
    info_with_defaults,
    info_reflects_configuration,
    config_without_secrets,
    grpc_metadata_service,
);
