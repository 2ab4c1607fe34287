//! The Meta API (api.md §9): `GET /meta/info` and `GET /meta/config`, as raw JSON bytes (the
//! gRPC methods wrap them in `google.api.HttpBody`).
//!
//! Both documents are computed once at start-up from the configuration ([`Meta`]), so a request
//! only copies bytes.
//!
//! `goVersion` **[Decision]**: a Rust build has no Go version and the binary's build script
//! belongs to the dashboard build, so the field carries `rust <MSRV>` — the workspace's declared
//! minimum supported Rust version (`rust-version`, read with `CARGO_PKG_RUST_VERSION`), which is
//! the compiler generation the code is written for, not necessarily the exact `rustc` used.

use std::time::Duration;

use flipt_shared::config::Config;
use serde_json::{json, Map, Value};

/// What the Meta API reports, resolved from the configuration.
#[derive(Debug, Clone)]
pub struct Meta {
    /// `authentication.required`.
    pub authentication_required: bool,
    /// `storage.read_only`.
    pub read_only: bool,
    /// `ui.default_theme` (`system`, `light` or `dark`).
    pub ui_theme: String,
    /// `ui.topbar.color`; empty = unset.
    pub topbar_color: String,
    /// The `/meta/config` document: the effective configuration, secrets removed.
    pub configuration: Value,
}

impl Default for Meta {
    /// The Meta view of the default configuration (tests; `from_config` in production).
    fn default() -> Self {
        Meta::from_config(&Config::default(), "")
    }
}

impl Meta {
    /// Resolves the Meta view; `database_url` is the resolved primary URL (credentials are
    /// stripped here).
    pub fn from_config(config: &Config, database_url: &str) -> Self {
        Meta {
            authentication_required: config.authentication.required,
            read_only: config.storage.read_only,
            ui_theme: enum_name(&config.ui.default_theme),
            topbar_color: config.ui.topbar.color.clone(),
            configuration: configuration(config, database_url),
        }
    }

    /// The `/meta/info` document (api.md §9.1).
    pub fn info(&self) -> Value {
        let mut info = Map::new();
        info.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
        // `commit`, `buildDate`, `latestVersion` and `latestVersionURL` are unknown: omitted.
        info.insert("goVersion".into(), json!(rust_version()));
        info.insert("updateAvailable".into(), json!(false));
        info.insert("isRelease".into(), json!(!cfg!(debug_assertions)));
        info.insert("os".into(), json!(std::env::consts::OS));
        info.insert("arch".into(), json!(std::env::consts::ARCH));
        info.insert(
            "authentication".into(),
            json!({"required": self.authentication_required}),
        );
        let mut storage = Map::new();
        storage.insert("type".into(), json!("database"));
        if self.read_only {
            storage.insert("readOnly".into(), json!(true));
        }
        info.insert("storage".into(), Value::Object(storage));
        info.insert("analytics".into(), json!({}));
        let mut ui = Map::new();
        if !self.ui_theme.is_empty() {
            ui.insert("theme".into(), json!(self.ui_theme));
        }
        if !self.topbar_color.is_empty() {
            ui.insert("topbarColor".into(), json!(self.topbar_color));
        }
        info.insert("ui".into(), Value::Object(ui));
        Value::Object(info)
    }
}

/// `goVersion` of `/meta/info`: `rust <minimum supported Rust version>` (see the module doc).
pub fn rust_version() -> String {
    format!("rust {}", env!("CARGO_PKG_RUST_VERSION"))
}

/// Renders a JSON document, indented when the client asked for it (`?pretty` or
/// `Accept: application/json+pretty`).
pub fn render(value: &Value, pretty: bool) -> Vec<u8> {
    let rendered = if pretty {
        serde_json::to_vec_pretty(value)
    } else {
        serde_json::to_vec(value)
    };
    rendered.unwrap_or_default()
}

/// A serde enum's lowercase name (`"system"`, `"redis"`, ...).
fn enum_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(name)) => name,
        _ => String::new(),
    }
}

/// Durations as integer nanoseconds, as Go's `encoding/json` writes `time.Duration`.
fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

/// An optional duration; unset is 0, as in Flipt's configuration.
fn opt_nanos(duration: Option<Duration>) -> u64 {
    duration.map_or(0, nanos)
}

/// A database or Redis URL without credentials: the user-info part and any `password=` query
/// parameter are removed.
pub fn strip_credentials(url: &str) -> String {
    let mut out = url.to_owned();
    if let Some(scheme_end) = url.find("://") {
        let start = scheme_end + 3;
        let authority_end = url[start..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |i| start + i);
        if let Some(at) = url[start..authority_end].rfind('@') {
            out = format!("{}{}", &url[..start], &url[start + at + 1..]);
        }
    }
    if let Some(query_start) = out.find('?') {
        let (head, query) = out.split_at(query_start);
        let kept: Vec<&str> = query[1..]
            .split('&')
            .filter(|pair| {
                let key = pair.split_once('=').map_or(*pair, |(k, _)| k);
                !key.eq_ignore_ascii_case("password")
                    && !key.eq_ignore_ascii_case("user")
                    && !key.eq_ignore_ascii_case("username")
            })
            .collect();
        out = if kept.is_empty() {
            head.to_owned()
        } else {
            format!("{head}?{}", kept.join("&"))
        };
    }
    out
}

/// The `/meta/config` document: this implementation's effective configuration under Flipt's
/// top-level names with camelCase keys; durations in nanoseconds; every secret (passwords,
/// URL credentials, certificate contents) omitted.
fn configuration(config: &Config, database_url: &str) -> Value {
    let log = &config.log;
    let cache = &config.cache;
    let redis = &cache.redis;
    let server = &config.server;
    let db = &config.db;
    let db_url = if db.url.trim().is_empty() {
        database_url
    } else {
        db.url.as_str()
    };
    let mut database = json!({
        "url": strip_credentials(db_url),
        "host": db.host,
        "port": db.port,
        "name": db.name,
        "maxIdleConn": db.max_idle_conn,
        "maxOpenConn": db.max_open_conn,
        "connMaxLifetime": opt_nanos(db.conn_max_lifetime),
        "preparedStatementsEnabled": db.prepared_statements_enabled,
        "replicas": db.replicas.iter().map(|r| strip_credentials(r)).collect::<Vec<_>>(),
        "acquireTimeout": nanos(db.acquire_timeout),
        "connMaxIdleTime": opt_nanos(db.conn_max_idle_time),
    });
    if let (Some(protocol), Some(map)) = (db.protocol, database.as_object_mut()) {
        map.insert("protocol".into(), json!(protocol.as_str()));
    }
    json!({
        "version": config.version.clone().unwrap_or_else(|| "1.0".to_owned()),
        "log": {
            "level": log.level,
            "grpcLevel": log.grpc_level,
            "encoding": enum_name(&log.encoding),
            "file": log.file,
            "keys": {
                "time": log.keys.time,
                "level": log.keys.level,
                "message": log.keys.message,
            },
        },
        "ui": {
            "enabled": config.ui.enabled,
            "defaultTheme": enum_name(&config.ui.default_theme),
            "topbar": {
                "color": config.ui.topbar.color,
                "label": config.ui.topbar.label,
            },
        },
        "cors": {
            "enabled": config.cors.enabled,
            "allowedOrigins": config.cors.allowed_origins,
            "allowedHeaders": config.cors.allowed_headers,
        },
        "cache": {
            "enabled": cache.enabled,
            "backend": enum_name(&cache.backend),
            "ttl": nanos(cache.ttl),
            "memory": {
                "evictionInterval": nanos(cache.memory.eviction_interval),
            },
            "redis": {
                "host": redis.host,
                "port": redis.port,
                "mode": enum_name(&redis.mode),
                "db": redis.db,
                "prefix": redis.effective_prefix(),
                "requireTLS": redis.require_tls,
                "caCertPath": redis.ca_cert_path,
                "insecureSkipTLS": redis.insecure_skip_tls,
                "poolSize": redis.pool_size,
                "minIdleConn": redis.min_idle_conn,
                "connMaxIdleTime": opt_nanos(redis.conn_max_idle_time),
                "netTimeout": opt_nanos(redis.net_timeout),
                "url": strip_credentials(&redis.url),
            },
            "invalidation": {
                "pollInterval": nanos(cache.invalidation.poll_interval),
                "publish": cache.invalidation.publish,
                "channel": cache.invalidation.channel,
            },
        },
        "server": {
            "protocol": enum_name(&server.protocol),
            "host": server.host,
            "httpPort": server.http_port,
            "httpsPort": server.https_port,
            "grpcPort": server.grpc_port,
            "certFile": server.cert_file,
            "certKey": server.cert_key,
            "grpcConnectionMaxIdleTime": opt_nanos(server.grpc_conn_max_idle_time),
            "grpcConnectionMaxAge": opt_nanos(server.grpc_conn_max_age),
            "grpcConnectionMaxAgeGrace": opt_nanos(server.grpc_conn_max_age_grace),
            "role": enum_name(&server.role),
            "shutdown": {
                "gracePeriod": nanos(server.shutdown.grace_period),
                "drainDelay": nanos(server.shutdown.drain_delay),
            },
        },
        "db": database,
        "storage": {
            "type": enum_name(&config.storage.kind),
            "readOnly": config.storage.read_only,
        },
        "meta": {
            "checkForUpdates": config.meta.check_for_updates,
            "telemetryEnabled": config.meta.telemetry_enabled,
            "stateDirectory": config.meta.state_directory,
        },
        "authentication": {
            "required": config.authentication.required,
            "exclude": {
                "management": config.authentication.exclude.management,
                "evaluation": config.authentication.exclude.evaluation,
                "ofrep": config.authentication.exclude.ofrep,
                "metadata": config.authentication.exclude.metadata,
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn credentials_are_stripped() {
        assert_eq!(
            strip_credentials("postgres://u:secret@db:5432/flipt?sslmode=disable&password=x"),
            "postgres://db:5432/flipt?sslmode=disable"
        );
        assert_eq!(
            strip_credentials("mysql://root@127.0.0.1:3306/f"),
            "mysql://127.0.0.1:3306/f"
        );
        assert_eq!(
            strip_credentials("file:/var/opt/flipt/flipt.db"),
            "file:/var/opt/flipt/flipt.db"
        );
    }

    #[test]
    fn configuration_has_no_secrets() {
        let mut config = Config::default();
        config.db.url = "postgres://flipt:hunter2@db/flipt".into();
        config.db.password = "hunter2".into();
        config.cache.redis.password = "hunter2".into();
        config.cache.redis.url = "redis://:hunter2@cache:6379".into();
        let doc = configuration(&config, "");
        assert_eq!(keys_named(&doc, "password"), 0);
        assert!(!doc.to_string().contains("hunter2"), "{doc}");
        assert_eq!(doc["server"]["httpPort"], 8080);
        assert_eq!(doc["cache"]["ttl"], 60_000_000_000_u64);
    }

    #[test]
    fn info_omits_unset_fields() {
        let info = Meta::default().info();
        assert_eq!(info["storage"], json!({"type": "database"}));
        assert_eq!(info["ui"], json!({"theme": "system"}));
        assert!(info.get("commit").is_none() && info.get("buildDate").is_none());
        assert!(!info["goVersion"].as_str().unwrap_or_default().is_empty());
    }
}
