//! Configuration: Flipt v1's key tree (`operations.md` §1), loaded and validated once in `main`.
//!
//! Sources, lowest precedence first: built-in defaults ([`Config::default`]), one YAML or JSON
//! file, then `FLIPT_*` environment variables. Nothing else in the workspace reads the environment.
//!
//! The environment mapping is schema driven: the known key paths are taken from the serialized
//! default configuration, so `FLIPT_SERVER_HTTP_PORT` binds `server.http_port` and
//! `FLIPT_CACHE_REDIS_REQUIRE_TLS` binds `cache.redis.require_tls` without ever splitting on `_`.
//! Adding a field to a struct below adds its variable too. The same schema drives value
//! normalisation for both the file and the environment: Go booleans (`t`, `FALSE`, ...), numbers
//! given as strings, strings given where a list is expected (split on whitespace), numbers given
//! where a string is expected, and `${NAME}` substitution.
//!
//! Unknown keys are ignored, as Flipt does (old configs carry removed keys, and the sections we do
//! not model yet must not stop start-up).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use figment::providers::Serialized;
use figment::value::{Dict, Map, Num, Value};
use figment::{Figment, Metadata, Profile, Provider};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The file Flipt's container image ships; used when no user config file exists (Linux only).
pub const SYSTEM_CONFIG_FILE: &str = "/etc/flipt/config/default.yml";

/// Directory whose presence selects the default SQLite database location (Flipt's packages create it).
pub const SYSTEM_DATA_DIR: &str = "/var/opt/flipt";

/// Pool size used when `db.max_open_conn` is 0 ("unlimited" in Flipt, not representable in sqlx).
pub const DEFAULT_MAX_CONNECTIONS: u32 = 100;

const ENV_PREFIX: &str = "FLIPT_";
const ENV_SOURCE_NAME: &str = "environment variable(s)";

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why the configuration could not be loaded; every message names the file or the key at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "unsupported configuration file format {}: use YAML (.yml, .yaml) or JSON (.json)",
        .path.display()
    )]
    UnsupportedFormat { path: PathBuf },
    #[error("unsupported configuration source {0}: only local files are supported")]
    UnsupportedSource(String),
    #[error("invalid configuration file {}: {message}", .path.display())]
    Parse { path: PathBuf, message: String },
    #[error("invalid version: {0}")]
    Version(String),
    #[error("invalid configuration: {key}: {message}")]
    Invalid { key: String, message: String },
}

impl ConfigError {
    fn invalid(key: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError::Invalid {
            key: key.into(),
            message: message.into(),
        }
    }

    /// Translates figment's first error, naming the key and where its value came from.
    fn from_figment(err: figment::Error) -> Self {
        let key = err.path.join(".");
        let mut message = err.kind.to_string();
        if let Some(metadata) = &err.metadata {
            if metadata.name == ENV_SOURCE_NAME && !key.is_empty() {
                message.push_str(&format!(" (from {})", env_var_name(&key)));
            } else if let Some(path) = metadata.source.as_ref().and_then(|s| s.file_path()) {
                message.push_str(&format!(" (in {})", path.display()));
            }
        }
        if key.is_empty() {
            ConfigError::invalid("<root>", message)
        } else {
            ConfigError::Invalid { key, message }
        }
    }
}

/// Returns the environment variable that sets `path` (`server.http_port` -> `FLIPT_SERVER_HTTP_PORT`).
pub fn env_var_name(path: &str) -> String {
    format!(
        "{ENV_PREFIX}{}",
        path.replace('.', "_").to_ascii_uppercase()
    )
}

// ---------------------------------------------------------------------------------------------
// The key tree
// ---------------------------------------------------------------------------------------------

/// The whole configuration. `Serialize` exists for the defaults layer and tests: it writes
/// secrets in clear, so never serialize a `Config` into anything a user sees (`/meta/config`
/// needs its own view with Flipt's camelCase names and omissions).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Optional; must be `"1.0"` when present.
    pub version: Option<String>,
    pub log: LogConfig,
    pub ui: UiConfig,
    pub cors: CorsConfig,
    pub cache: CacheConfig,
    pub server: ServerConfig,
    pub db: DatabaseConfig,
    pub storage: StorageConfig,
    pub meta: MetaConfig,
    pub authentication: AuthenticationConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogConfig {
    /// `debug`, `info`, `warn`, `error`, `dpanic`, `panic`, `fatal` in any case; an invalid value
    /// falls back to INFO with a warning (see [`LogConfig::level`]).
    pub level: String,
    /// Minimum level of the gRPC library's own logs; an invalid value fails start-up.
    pub grpc_level: String,
    pub encoding: LogEncoding,
    /// Empty: stdout; otherwise the file is appended to.
    pub file: String,
    pub keys: LogKeys,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "INFO".into(),
            grpc_level: "ERROR".into(),
            encoding: LogEncoding::Console,
            file: String::new(),
            keys: LogKeys::default(),
        }
    }
}

impl LogConfig {
    /// Returns the parsed `log.level`, or `None` when it is not a level name.
    pub fn level(&self) -> Option<LogLevel> {
        LogLevel::parse(&self.level)
    }

    /// Returns the parsed `log.grpc_level` (validated at load time, so `None` only for hand-built configs).
    pub fn grpc_level(&self) -> Option<LogLevel> {
        LogLevel::parse(&self.grpc_level)
    }
}

/// Zap's levels folded onto tracing's: `dpanic`, `panic` and `fatal` are `Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

impl LogLevel {
    /// Parses a zap level name in any case; the empty string is INFO, as in zap.
    pub fn parse(level: &str) -> Option<Self> {
        match level.trim().to_ascii_lowercase().as_str() {
            "debug" => Some(LogLevel::Debug),
            "info" | "" => Some(LogLevel::Info),
            "warn" => Some(LogLevel::Warn),
            "error" | "dpanic" | "panic" | "fatal" => Some(LogLevel::Error),
            _ => None,
        }
    }

    /// Returns the tracing directive name (`debug`, `info`, ...).
    pub fn as_directive(self) -> &'static str {
        match self {
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogEncoding {
    #[default]
    Console,
    Json,
}

/// Field names of the JSON log encoding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogKeys {
    pub time: String,
    pub level: String,
    pub message: String,
}

impl Default for LogKeys {
    fn default() -> Self {
        Self {
            time: "T".into(),
            level: "L".into(),
            message: "M".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiConfig {
    pub enabled: bool,
    pub default_theme: UiTheme,
    pub topbar: UiTopbarConfig,
}

impl Default for UiConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            default_theme: UiTheme::System,
            topbar: UiTopbarConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UiTheme {
    Light,
    Dark,
    #[default]
    System,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UiTopbarConfig {
    /// Hex colour (`#abc`, `#aabbcc`); empty = unset.
    pub color: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CorsConfig {
    pub enabled: bool,
    pub allowed_origins: Vec<String>,
    pub allowed_headers: Vec<String>,
}

impl Default for CorsConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            allowed_origins: vec!["*".into()],
            allowed_headers: [
                "Accept",
                "Authorization",
                "Content-Type",
                "X-CSRF-Token",
                "X-Fern-Language",
                "X-Fern-SDK-Name",
                "X-Fern-SDK-Version",
                "X-Flipt-Namespace",
                "X-Flipt-Accept-Server-Version",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CacheConfig {
    pub enabled: bool,
    pub backend: CacheBackend,
    #[serde(with = "go_duration")]
    pub ttl: Duration,
    pub memory: MemoryCacheConfig,
    pub redis: RedisCacheConfig,
    pub invalidation: InvalidationConfig,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            backend: CacheBackend::Memory,
            ttl: Duration::from_secs(60),
            memory: MemoryCacheConfig::default(),
            redis: RedisCacheConfig::default(),
            invalidation: InvalidationConfig::default(),
        }
    }
}

/// How evaluating processes learn about writes (our addition, DESIGN.md §4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvalidationConfig {
    /// How often read instances poll every namespace's revision.
    #[serde(with = "go_duration")]
    pub poll_interval: Duration,
    /// Write tier: publish `{namespace, revision}` on Redis after each commit.
    pub publish: bool,
    /// The Redis channel of those notifications (read instances subscribe when Redis is on).
    pub channel: String,
}

impl Default for InvalidationConfig {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(1),
            publish: false,
            channel: "flipt:invalidate".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CacheBackend {
    #[default]
    Memory,
    Redis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemoryCacheConfig {
    /// Sweep period for expired entries; zero = never sweep.
    #[serde(with = "go_duration")]
    pub eviction_interval: Duration,
}

impl Default for MemoryCacheConfig {
    fn default() -> Self {
        Self {
            eviction_interval: Duration::from_secs(300),
        }
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RedisCacheConfig {
    pub host: String,
    pub port: u16,
    pub mode: RedisMode,
    pub db: u32,
    pub username: String,
    pub password: Secret,
    /// Key prefix; empty means `flipt` (see [`RedisCacheConfig::effective_prefix`]).
    pub prefix: String,
    pub require_tls: bool,
    pub ca_cert_path: String,
    pub ca_cert_bytes: String,
    pub insecure_skip_tls: bool,
    /// 0 = client default.
    pub pool_size: u32,
    pub min_idle_conn: u32,
    /// `None` (0 in the file) = client default.
    #[serde(with = "opt_go_duration")]
    pub conn_max_idle_time: Option<Duration>,
    /// Dial timeout; read, write and pool timeouts are twice this. `None` = client defaults.
    #[serde(with = "opt_go_duration")]
    pub net_timeout: Option<Duration>,
    /// `redis://` or `rediss://` URL; when set it replaces host, port, db, credentials and TLS flag.
    pub url: String,
    /// Cluster seed nodes (`host:port`); when set they replace `host` and `port` as seeds.
    /// Cluster mode only. From the environment: whitespace-separated.
    pub addresses: Vec<String>,
}

impl Default for RedisCacheConfig {
    fn default() -> Self {
        Self {
            host: "localhost".into(),
            port: 6379,
            mode: RedisMode::Single,
            db: 0,
            username: String::new(),
            password: Secret::default(),
            prefix: String::new(),
            require_tls: false,
            ca_cert_path: String::new(),
            ca_cert_bytes: String::new(),
            insecure_skip_tls: false,
            pool_size: 0,
            min_idle_conn: 0,
            conn_max_idle_time: None,
            net_timeout: None,
            url: String::new(),
            addresses: Vec::new(),
        }
    }
}

impl RedisCacheConfig {
    /// Returns the key prefix actually used: `flipt` when none is configured.
    pub fn effective_prefix(&self) -> &str {
        if self.prefix.is_empty() {
            "flipt"
        } else {
            &self.prefix
        }
    }
}

impl fmt::Debug for RedisCacheConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisCacheConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("mode", &self.mode)
            .field("db", &self.db)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("prefix", &self.prefix)
            .field("require_tls", &self.require_tls)
            .field("ca_cert_path", &self.ca_cert_path)
            .field("ca_cert_bytes", &self.ca_cert_bytes.len())
            .field("insecure_skip_tls", &self.insecure_skip_tls)
            .field("pool_size", &self.pool_size)
            .field("min_idle_conn", &self.min_idle_conn)
            .field("conn_max_idle_time", &self.conn_max_idle_time)
            .field("net_timeout", &self.net_timeout)
            .field("url", &redact_url(&self.url))
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RedisMode {
    #[default]
    Single,
    Cluster,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerConfig {
    pub protocol: ServerProtocol,
    pub host: String,
    pub http_port: u16,
    pub https_port: u16,
    pub grpc_port: u16,
    pub cert_file: String,
    pub cert_key: String,
    /// gRPC keepalive; `None` (unset or 0) = infinite.
    #[serde(with = "opt_go_duration")]
    pub grpc_conn_max_idle_time: Option<Duration>,
    #[serde(with = "opt_go_duration")]
    pub grpc_conn_max_age: Option<Duration>,
    #[serde(with = "opt_go_duration")]
    pub grpc_conn_max_age_grace: Option<Duration>,
    /// Which surfaces this process serves (`operations.md` §1.9).
    pub role: ServerRole,
    pub shutdown: ShutdownConfig,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            protocol: ServerProtocol::Http,
            host: "0.0.0.0".into(),
            http_port: 8080,
            https_port: 443,
            grpc_port: 9000,
            cert_file: String::new(),
            cert_key: String::new(),
            grpc_conn_max_idle_time: None,
            grpc_conn_max_age: None,
            grpc_conn_max_age_grace: None,
            role: ServerRole::All,
            shutdown: ShutdownConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServerProtocol {
    #[default]
    Http,
    Https,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServerRole {
    /// Standalone: write tier plus the read tier's evaluation surfaces in one process.
    #[default]
    All,
    Write,
    Read,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShutdownConfig {
    /// How long in-flight requests may take to finish once shutdown starts.
    #[serde(with = "go_duration")]
    pub grace_period: Duration,
    /// How long to report NOT_SERVING before the listeners close (load-balancer drain).
    #[serde(with = "go_duration")]
    pub drain_delay: Duration,
}

impl Default for ShutdownConfig {
    fn default() -> Self {
        Self {
            grace_period: Duration::from_secs(5),
            drain_delay: Duration::ZERO,
        }
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DatabaseConfig {
    /// Connection URL; when set the discrete fields are ignored. See [`DatabaseConfig::resolved_url`].
    pub url: String,
    #[serde(with = "opt_protocol")]
    pub protocol: Option<DatabaseProtocol>,
    pub host: String,
    /// 0 = the driver's default port.
    pub port: u16,
    pub name: String,
    pub user: String,
    pub password: Secret,
    pub max_idle_conn: u32,
    /// 0 = unlimited (we use [`DEFAULT_MAX_CONNECTIONS`]); forced to 1 for SQLite.
    pub max_open_conn: u32,
    /// `None` (unset or 0) = unlimited.
    #[serde(with = "opt_go_duration")]
    pub conn_max_lifetime: Option<Duration>,
    pub prepared_statements_enabled: bool,
    /// Read-replica URLs for the read tier; empty = read from `url`.
    pub replicas: Vec<String>,
    /// How long a request waits for a pooled connection.
    #[serde(with = "go_duration")]
    pub acquire_timeout: Duration,
    /// Idle connections are closed after this long; `None` (0) = never.
    #[serde(with = "opt_go_duration")]
    pub conn_max_idle_time: Option<Duration>,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: String::new(),
            protocol: None,
            host: String::new(),
            port: 0,
            name: String::new(),
            user: String::new(),
            password: Secret::default(),
            max_idle_conn: 2,
            max_open_conn: 0,
            conn_max_lifetime: None,
            prepared_statements_enabled: true,
            replicas: Vec::new(),
            acquire_timeout: Duration::from_secs(5),
            conn_max_idle_time: Some(Duration::from_secs(600)),
        }
    }
}

impl fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let replicas: Vec<String> = self.replicas.iter().map(|r| redact_url(r)).collect();
        f.debug_struct("DatabaseConfig")
            .field("url", &redact_url(&self.url))
            .field("protocol", &self.protocol)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("name", &self.name)
            .field("user", &self.user)
            .field("password", &self.password)
            .field("max_idle_conn", &self.max_idle_conn)
            .field("max_open_conn", &self.max_open_conn)
            .field("conn_max_lifetime", &self.conn_max_lifetime)
            .field(
                "prepared_statements_enabled",
                &self.prepared_statements_enabled,
            )
            .field("replicas", &replicas)
            .field("acquire_timeout", &self.acquire_timeout)
            .field("conn_max_idle_time", &self.conn_max_idle_time)
            .finish()
    }
}

/// `db.protocol`; `file` is an alias of `sqlite`, `cockroach` of `cockroachdb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseProtocol {
    Sqlite,
    Postgres,
    MySql,
    CockroachDb,
    LibSql,
}

impl DatabaseProtocol {
    const NAMES: &'static [&'static str] = &[
        "sqlite",
        "file",
        "postgres",
        "mysql",
        "cockroach",
        "cockroachdb",
        "libsql",
    ];

    fn parse(value: &str) -> Option<Self> {
        match value {
            "sqlite" | "file" => Some(Self::Sqlite),
            "postgres" => Some(Self::Postgres),
            "mysql" => Some(Self::MySql),
            "cockroach" | "cockroachdb" => Some(Self::CockroachDb),
            "libsql" => Some(Self::LibSql),
            _ => None,
        }
    }

    /// Returns the canonical name, which is also the URL scheme built from discrete fields.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
            Self::MySql => "mysql",
            Self::CockroachDb => "cockroachdb",
            Self::LibSql => "libsql",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StorageConfig {
    #[serde(rename = "type")]
    pub kind: StorageType,
    pub read_only: bool,
}

/// Flipt's storage types; only `database` is supported, the others are refused at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageType {
    #[default]
    Database,
    Local,
    Git,
    Object,
    Oci,
}

impl StorageType {
    fn as_str(self) -> &'static str {
        match self {
            Self::Database => "database",
            Self::Local => "local",
            Self::Git => "git",
            Self::Object => "object",
            Self::Oci => "oci",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MetaConfig {
    pub check_for_updates: bool,
    pub telemetry_enabled: bool,
    /// Default `<user config dir>/flipt`.
    pub state_directory: String,
}

impl Default for MetaConfig {
    fn default() -> Self {
        Self {
            check_for_updates: true,
            telemetry_enabled: true,
            state_directory: dirs::config_dir()
                .map(|dir| dir.join("flipt").display().to_string())
                .unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthenticationConfig {
    /// Enforcement switch: methods may be enabled without it.
    pub required: bool,
    pub exclude: AuthenticationExclude,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthenticationExclude {
    pub management: bool,
    pub evaluation: bool,
    pub ofrep: bool,
    /// Deprecated in Flipt, no effect.
    pub metadata: bool,
}

/// A string that never shows in `Debug` output. `expose` is the one way to read it.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// Returns the secret value; keep it out of logs and error messages.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("Secret(\"\")")
        } else {
            f.write_str("Secret(\"***\")")
        }
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.into())
    }
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

/// Loads, merges and validates the configuration.
///
/// `path` is the `--config` flag; without it the file is discovered as Flipt does
/// (`<user config dir>/flipt/config.yml`, then [`SYSTEM_CONFIG_FILE`]). Returns the file used, if
/// any, so the caller can log `no configuration file found, using defaults` once logging is up.
pub fn load(path: Option<&Path>) -> Result<(Config, Option<PathBuf>), ConfigError> {
    let file = match path {
        Some(path) => Some(path.to_path_buf()),
        None => discover(
            dirs::config_dir().as_deref(),
            cfg!(target_os = "linux").then_some(Path::new(SYSTEM_CONFIG_FILE)),
        ),
    };
    let env: HashMap<String, String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let config = load_from(file.as_deref(), &env)?;
    Ok((config, file))
}

fn discover(user_config_dir: Option<&Path>, system_file: Option<&Path>) -> Option<PathBuf> {
    let user = user_config_dir.map(|dir| dir.join("flipt").join("config.yml"));
    user.into_iter()
        .chain(system_file.map(Path::to_path_buf))
        .find(|candidate| candidate.is_file())
}

/// Loads from an explicit file and environment; `load` without the discovery and process env.
fn load_from(file: Option<&Path>, env: &HashMap<String, String>) -> Result<Config, ConfigError> {
    let mut figment = Figment::from(Serialized::defaults(Config::default()));
    if let Some(path) = file {
        figment = figment.merge(FileSource::read(path, env)?);
    }
    figment = figment.merge(EnvSource { env });
    let config: Config = figment.extract().map_err(ConfigError::from_figment)?;
    config.validate()?;
    Ok(config)
}

impl Config {
    /// Checks the cross-field rules of `operations.md` §1.4 that apply to the keys modelled here.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(version) = &self.version {
            if version.trim() != "1.0" {
                return Err(ConfigError::Version(version.clone()));
            }
        }
        if self.log.grpc_level().is_none() {
            return Err(ConfigError::invalid(
                "log.grpc_level",
                format!("unknown level {:?}", self.log.grpc_level),
            ));
        }
        if self.server.protocol == ServerProtocol::Https {
            for (key, value) in [
                ("server.cert_file", &self.server.cert_file),
                ("server.cert_key", &self.server.cert_key),
            ] {
                if value.is_empty() {
                    return Err(ConfigError::invalid(
                        key,
                        "non-empty value is required when server.protocol is https",
                    ));
                }
                if !Path::new(value).is_file() {
                    return Err(ConfigError::invalid(key, format!("cannot find {value:?}")));
                }
            }
        }
        self.db.validate()?;
        if self.cache.invalidation.poll_interval.is_zero() {
            return Err(ConfigError::invalid(
                "cache.invalidation.poll_interval",
                "must be greater than 0",
            ));
        }
        if self.storage.kind != StorageType::Database {
            return Err(ConfigError::invalid(
                "storage.type",
                format!(
                    "{:?} is not supported: only \"database\" storage is supported",
                    self.storage.kind.as_str()
                ),
            ));
        }
        let redis = &self.cache.redis;
        if self.cache.enabled
            && self.cache.backend == CacheBackend::Redis
            && !redis.ca_cert_bytes.is_empty()
            && !redis.ca_cert_path.is_empty()
        {
            return Err(ConfigError::invalid(
                "cache.redis",
                "please provide exclusively one of ca_cert_bytes or ca_cert_path",
            ));
        }
        if !redis.url.is_empty()
            && !["redis://", "rediss://", "unix://", "redis+unix://"]
                .iter()
                .any(|scheme| redis.url.starts_with(scheme))
        {
            return Err(ConfigError::invalid(
                "cache.redis.url",
                "must start with redis:// or rediss://",
            ));
        }
        if !self.ui.topbar.color.is_empty() && !is_hex_colour(&self.ui.topbar.color) {
            return Err(ConfigError::invalid(
                "ui.topbar.color",
                format!("{:?} is not a hex colour", self.ui.topbar.color),
            ));
        }
        Ok(())
    }
}

fn is_hex_colour(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|hex| {
        (hex.len() == 3 || hex.len() == 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

// ---------------------------------------------------------------------------------------------
// Providers and the schema that drives them
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Num,
    Bool,
    List,
    /// A map whose keys come from the file or the environment (default: empty dict).
    Map,
    /// Unset by default (`Option`); values pass through unchanged.
    Other,
}

struct Schema {
    /// Key path -> kind of value, for every leaf of the default configuration.
    kinds: HashMap<String, Kind>,
    /// `server_http_port` -> `server.http_port`.
    env: HashMap<String, String>,
    /// Map-typed paths, longest first.
    maps: Vec<String>,
}

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let defaults = Value::serialize(Config::default()).unwrap_or_else(|_| Dict::new().into());
        let mut schema = Schema {
            kinds: HashMap::new(),
            env: HashMap::new(),
            maps: Vec::new(),
        };
        if let Value::Dict(_, dict) = &defaults {
            collect_paths(dict, "", &mut schema);
        }
        schema
            .maps
            .sort_by_key(|path| std::cmp::Reverse(path.len()));
        schema
    })
}

fn collect_paths(dict: &Dict, prefix: &str, schema: &mut Schema) {
    for (key, value) in dict {
        let path = join_path(prefix, key);
        let kind = match value {
            Value::Dict(_, inner) if !inner.is_empty() => {
                collect_paths(inner, &path, schema);
                continue;
            }
            Value::Dict(..) => Kind::Map,
            Value::String(..) | Value::Char(..) => Kind::Str,
            Value::Num(..) => Kind::Num,
            Value::Bool(..) => Kind::Bool,
            Value::Array(..) => Kind::List,
            Value::Empty(..) => Kind::Other,
        };
        if kind == Kind::Map {
            schema.maps.push(path.clone());
        } else {
            schema.env.insert(path.replace('.', "_"), path.clone());
        }
        schema.kinds.insert(path, kind);
    }
}

fn join_path(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// The configuration file, parsed up front so that read and syntax errors name the file.
struct FileSource {
    path: PathBuf,
    dict: Dict,
}

impl FileSource {
    fn read(path: &Path, env: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let shown = path.display().to_string();
        if ["s3://", "azblob://", "gs://", "googlecloud://"]
            .iter()
            .any(|scheme| shown.starts_with(scheme))
        {
            return Err(ConfigError::UnsupportedSource(shown));
        }
        let contents = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let parse_error = |message: String| ConfigError::Parse {
            path: path.to_path_buf(),
            message,
        };
        let value: Value = match extension.as_deref() {
            Some("yml" | "yaml") => {
                serde_yaml::from_str(&contents).map_err(|e| parse_error(e.to_string()))?
            }
            Some("json") => {
                serde_json::from_str(&contents).map_err(|e| parse_error(e.to_string()))?
            }
            _ => {
                return Err(ConfigError::UnsupportedFormat {
                    path: path.to_path_buf(),
                })
            }
        };
        let mut dict = match value {
            Value::Dict(_, dict) => lowercase_keys(dict),
            Value::Empty(..) => Dict::new(),
            _ => return Err(parse_error("the top level must be a mapping".into())),
        };
        normalize_dict(&mut dict, "", schema(), env);
        Ok(FileSource {
            path: path.to_path_buf(),
            dict,
        })
    }
}

/// Flipt (viper) treats keys case-insensitively; we lower-case them once.
fn lowercase_keys(dict: Dict) -> Dict {
    dict.into_iter()
        .map(|(key, value)| {
            let value = match value {
                Value::Dict(tag, inner) => Value::Dict(tag, lowercase_keys(inner)),
                other => other,
            };
            (key.to_lowercase(), value)
        })
        .collect()
}

impl Provider for FileSource {
    fn metadata(&self) -> Metadata {
        Metadata::from("configuration file", self.path.as_path())
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        Ok(Map::from([(Profile::Default, self.dict.clone())]))
    }
}

/// `FLIPT_*` variables bound to the schema's known paths (and map-typed nodes).
struct EnvSource<'a> {
    env: &'a HashMap<String, String>,
}

impl Provider for EnvSource<'_> {
    fn metadata(&self) -> Metadata {
        Metadata::named(ENV_SOURCE_NAME)
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        let schema = schema();
        let mut dict = Dict::new();
        for (name, raw) in self.env {
            let Some(rest) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            // Variables are looked up by their exact upper-case names, as Go's os.Getenv does.
            if rest.is_empty() || rest.bytes().any(|b| b.is_ascii_lowercase()) {
                continue;
            }
            let key = rest.to_ascii_lowercase();
            let value = Value::from(raw.clone());
            if let Some(path) = schema.env.get(&key) {
                insert_path(&mut dict, &path.split('.').collect::<Vec<_>>(), value);
            } else if let Some(map) = schema.maps.iter().find(|map| {
                key.len() > map.len() + 1 && key.starts_with(&format!("{}_", map.replace('.', "_")))
            }) {
                let entry = &key[map.len() + 1..];
                let mut components: Vec<&str> = map.split('.').collect();
                components.push(entry);
                insert_path(&mut dict, &components, value);
            }
        }
        normalize_dict(&mut dict, "", schema, self.env);
        Ok(Map::from([(Profile::Default, dict)]))
    }
}

fn insert_path(dict: &mut Dict, path: &[&str], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        dict.insert(first.to_string(), value);
        return;
    }
    let child = dict
        .entry(first.to_string())
        .or_insert_with(|| Dict::new().into());
    if !matches!(child, Value::Dict(..)) {
        *child = Dict::new().into();
    }
    if let Value::Dict(_, inner) = child {
        insert_path(inner, rest, value);
    }
}

fn normalize_dict(dict: &mut Dict, prefix: &str, schema: &Schema, env: &HashMap<String, String>) {
    for (key, value) in dict.iter_mut() {
        let path = join_path(prefix, key);
        normalize_value(value, &path, schema, env);
    }
}

/// Coerces a value from a file or the environment to what its key expects, as viper's weak
/// decoding does; anything that does not fit is left alone for serde to report with its key.
fn normalize_value(value: &mut Value, path: &str, schema: &Schema, env: &HashMap<String, String>) {
    substitute(value, env);
    let kind = schema.kinds.get(path).copied();
    let tag = value.tag();
    let replacement = match (kind, &mut *value) {
        (_, Value::Dict(_, inner)) => {
            normalize_dict(inner, path, schema, env);
            None
        }
        (_, Value::Array(_, items)) => {
            items.iter_mut().for_each(|item| substitute(item, env));
            None
        }
        (Some(Kind::Str), Value::Num(_, num)) => Some(Value::String(tag, num_to_string(*num))),
        (Some(Kind::Str), Value::Bool(_, b)) => Some(Value::String(tag, b.to_string())),
        (Some(Kind::Num), Value::String(_, s)) => parse_num(s).map(|n| Value::Num(tag, n)),
        (Some(Kind::Bool), Value::String(_, s)) => parse_go_bool(s).map(|b| Value::Bool(tag, b)),
        (Some(Kind::List), Value::String(_, s)) => Some(Value::Array(
            tag,
            s.split_whitespace().map(Value::from).collect(),
        )),
        _ => None,
    };
    if let Some(replacement) = replacement {
        *value = replacement;
    }
}

/// Flipt v1 compatibility: a string that is exactly `${NAME}` becomes the variable's value
/// (empty if unset); partial interpolation is not performed.
fn substitute(value: &mut Value, env: &HashMap<String, String>) {
    if let Value::String(_, s) = value {
        if let Some(name) = s.strip_prefix("${").and_then(|s| s.strip_suffix('}')) {
            let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if valid {
                *s = env.get(name).cloned().unwrap_or_default();
            }
        }
    }
}

fn num_to_string(num: Num) -> String {
    if let Some(u) = num.to_u128() {
        u.to_string()
    } else if let Some(i) = num.to_i128() {
        i.to_string()
    } else {
        num.to_f64().map(|f| f.to_string()).unwrap_or_default()
    }
}

fn parse_num(s: &str) -> Option<Num> {
    let s = s.trim();
    if let Ok(u) = s.parse::<u64>() {
        Some(Num::U64(u))
    } else if let Ok(i) = s.parse::<i64>() {
        Some(Num::I64(i))
    } else {
        s.parse::<f64>().ok().map(Num::F64)
    }
}

/// Parses a boolean the way Go's `strconv.ParseBool` does.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------

/// Parses a Go duration string (`90s`, `1h30m`, `1.5h`, `500ms`, `0`). Negative values are refused.
pub fn parse_go_duration(input: &str) -> Result<Duration, String> {
    let invalid = || format!("invalid duration {input:?}");
    let mut s = input;
    if let Some(rest) = s.strip_prefix('+') {
        s = rest;
    } else if let Some(rest) = s.strip_prefix('-') {
        if rest.chars().all(|c| c == '0' || c == '.') && !rest.is_empty() {
            return Ok(Duration::ZERO);
        }
        return Err(format!("negative duration {input:?} is not allowed"));
    }
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u128 = 0;
    while !s.is_empty() {
        let int_len = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (int_part, rest) = s.split_at(int_len);
        let (frac_part, rest) = match rest.strip_prefix('.') {
            Some(after) => {
                let len = after
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(after.len());
                after.split_at(len)
            }
            None => ("", rest),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let (unit, rest) = rest.split_at(unit_len);
        let unit_nanos: u128 = match unit {
            "ns" => 1,
            "us" | "\u{00b5}s" | "\u{03bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            "" => return Err(format!("missing unit in duration {input:?}")),
            other => return Err(format!("unknown unit {other:?} in duration {input:?}")),
        };
        let int: u128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| invalid())?
        };
        let mut nanos = int.checked_mul(unit_nanos).ok_or_else(invalid)?;
        if !frac_part.is_empty() {
            let digits = frac_part.len().min(18) as u32;
            let frac: u128 = frac_part[..digits as usize]
                .parse()
                .map_err(|_| invalid())?;
            nanos += frac * unit_nanos / 10u128.pow(digits);
        }
        total = total.checked_add(nanos).ok_or_else(invalid)?;
        s = rest;
    }
    let total = u64::try_from(total).map_err(|_| invalid())?;
    Ok(Duration::from_nanos(total))
}

/// Formats a duration as Go's `time.Duration.String` does (`1m0s`, `1h30m0s`, `500ms`).
pub fn format_go_duration(duration: Duration) -> String {
    fn with_fraction(value: u128, unit: u128, suffix: &str) -> String {
        let int = value / unit;
        let rem = value % unit;
        if rem == 0 {
            return format!("{int}{suffix}");
        }
        let width = unit.ilog10() as usize;
        let frac = format!("{rem:0width$}");
        format!("{int}.{}{suffix}", frac.trim_end_matches('0'))
    }
    let ns = duration.as_nanos();
    match ns {
        0 => "0s".into(),
        1..=999 => format!("{ns}ns"),
        1_000..=999_999 => with_fraction(ns, 1_000, "\u{00b5}s"),
        1_000_000..=999_999_999 => with_fraction(ns, 1_000_000, "ms"),
        _ => {
            let hours = ns / 3_600_000_000_000;
            let minutes = (ns / 60_000_000_000) % 60;
            let seconds = with_fraction(ns % 60_000_000_000, 1_000_000_000, "s");
            if hours > 0 {
                format!("{hours}h{minutes}m{seconds}")
            } else if minutes > 0 {
                format!("{minutes}m{seconds}")
            } else {
                seconds
            }
        }
    }
}

/// A duration as configured: a Go duration string, or a bare integer of nanoseconds.
struct GoDuration(Duration);

impl<'de> Deserialize<'de> for GoDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = GoDuration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as \"90s\" or \"1h30m\"")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<GoDuration, E> {
                // Flipt v1 compatibility: a bare integer is nanoseconds (`ttl: 60` is 60ns).
                Ok(GoDuration(Duration::from_nanos(v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<GoDuration, E> {
                u64::try_from(v)
                    .map(|v| GoDuration(Duration::from_nanos(v)))
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<GoDuration, E> {
                let v = v.trim();
                if v.is_empty() {
                    return Ok(GoDuration(Duration::ZERO));
                }
                if let Ok(nanos) = v.parse::<u64>() {
                    return Ok(GoDuration(Duration::from_nanos(nanos)));
                }
                parse_go_duration(v).map(GoDuration).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

mod go_duration {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_go_duration(*value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        GoDuration::deserialize(deserializer).map(|d| d.0)
    }
}

/// An optional duration where zero means unset, as Go's zero value does.
mod opt_go_duration {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &Option<Duration>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(d) => serializer.serialize_str(&format_go_duration(*d)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Duration>, D::Error> {
        let value = Option::<GoDuration>::deserialize(deserializer)?;
        Ok(value.map(|d| d.0).filter(|d| !d.is_zero()))
    }
}

/// `db.protocol`: unset or empty is `None`.
mod opt_protocol {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &Option<DatabaseProtocol>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(p) => serializer.serialize_str(p.as_str()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DatabaseProtocol>, D::Error> {
        let value = Option::<String>::deserialize(deserializer)?;
        match value.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(name) => DatabaseProtocol::parse(name)
                .map(Some)
                .ok_or_else(|| serde::de::Error::unknown_variant(name, DatabaseProtocol::NAMES)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Database URLs (operations.md §2.2)
// ---------------------------------------------------------------------------------------------

/// The database family a URL speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseDriver {
    Sqlite,
    /// PostgreSQL wire protocol; CockroachDB too (see [`DatabaseUrl::is_cockroach`]).
    Postgres,
    MySql,
}

/// A connection URL that sqlx and sea-orm accept. `Debug` and `Display` hide the password;
/// [`DatabaseUrl::as_str`] is the one way to the full URL.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    driver: DatabaseDriver,
    url: String,
    cockroach: bool,
    sqlite_path: Option<PathBuf>,
}

impl DatabaseUrl {
    /// Parses a Flipt `db.url` (`file:`, `sqlite:`, `postgres://`, `cockroach://`, `mysql://`, ...).
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        let (scheme, rest) = match url.split_once(':') {
            Some((scheme, rest))
                if !scheme.is_empty()
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
            {
                (scheme.to_ascii_lowercase(), rest)
            }
            // dburl treats a bare path as a SQLite file.
            _ => return Ok(Self::sqlite(url, None)),
        };
        match scheme.as_str() {
            "file" | "sqlite" | "sqlite3" => {
                let rest = rest.strip_prefix("//").unwrap_or(rest);
                let (path, query) = match rest.split_once('?') {
                    Some((path, query)) => (path, Some(query)),
                    None => (rest, None),
                };
                if path.is_empty() {
                    return Err("missing SQLite database path".into());
                }
                Ok(Self::sqlite(path, query))
            }
            "postgres" | "postgresql" | "pgx" => Ok(DatabaseUrl {
                driver: DatabaseDriver::Postgres,
                url: format!("postgres:{rest}"),
                cockroach: false,
                sqlite_path: None,
            }),
            "cockroach" | "cockroachdb" | "crdb" => Ok(DatabaseUrl {
                driver: DatabaseDriver::Postgres,
                url: cockroach_to_postgres(rest),
                cockroach: true,
                sqlite_path: None,
            }),
            "mysql" => Ok(DatabaseUrl {
                driver: DatabaseDriver::MySql,
                url: url.to_string(),
                cockroach: false,
                sqlite_path: None,
            }),
            "libsql" | "http" | "https" => Err("libsql (Turso) databases are unsupported".into()),
            other => Err(format!("unknown database driver for {other:?}")),
        }
    }

    fn sqlite(path: &str, query: Option<&str>) -> Self {
        // sqlx rejects go-sqlite3's own parameters (`_fk`, ...): keep those it knows.
        let mut params: Vec<&str> = query
            .unwrap_or_default()
            .split('&')
            .filter(|p| {
                let key = p.split('=').next().unwrap_or_default();
                matches!(key, "mode" | "cache" | "immutable" | "vfs")
            })
            .collect();
        if !params.iter().any(|p| p.starts_with("mode=")) {
            params.insert(0, "mode=rwc");
        }
        let encoded = path
            .replace('%', "%25")
            .replace('?', "%3F")
            .replace('#', "%23");
        DatabaseUrl {
            driver: DatabaseDriver::Sqlite,
            url: format!("sqlite://{encoded}?{}", params.join("&")),
            cockroach: false,
            sqlite_path: (path != ":memory:").then(|| PathBuf::from(path)),
        }
    }

    pub fn driver(&self) -> DatabaseDriver {
        self.driver
    }

    /// True for CockroachDB, which speaks the Postgres protocol but has its own migrations.
    pub fn is_cockroach(&self) -> bool {
        self.cockroach
    }

    /// Returns the full URL, credentials included: pass it to the driver, never to a log.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// Returns the SQLite database file (relative paths are relative to the working directory).
    pub fn sqlite_path(&self) -> Option<&Path> {
        self.sqlite_path.as_deref()
    }

    /// Creates the parent directory of a SQLite database file (mode 0700 for new directories
    /// on Unix); does nothing for other drivers. `resolved_url` itself never touches the disk
    /// beyond checking whether [`SYSTEM_DATA_DIR`] exists, so call this before connecting.
    pub fn ensure_sqlite_parent_dir(&self) -> std::io::Result<()> {
        let Some(parent) = self.sqlite_path().and_then(Path::parent) else {
            return Ok(());
        };
        if parent.as_os_str().is_empty() || parent.is_dir() {
            return Ok(());
        }
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(parent)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_url(&self.url))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseUrl")
            .field("driver", &self.driver)
            .field("url", &redact_url(&self.url))
            .field("cockroach", &self.cockroach)
            .finish()
    }
}

/// `cockroach://…` -> `postgres://…` with CockroachDB's default port and `sslmode=disable`.
fn cockroach_to_postgres(rest: &str) -> String {
    let body = rest.strip_prefix("//").unwrap_or(rest);
    let authority_end = body.find(['/', '?']).unwrap_or(body.len());
    let (authority, tail) = body.split_at(authority_end);
    let host_part = authority.rsplit('@').next().unwrap_or(authority);
    let has_port = match host_part.rfind(']') {
        Some(bracket) => host_part[bracket..].contains(':'),
        None => host_part.contains(':'),
    };
    let mut url = format!("postgres://{authority}");
    if !has_port && !host_part.is_empty() {
        url.push_str(":26257");
    }
    url.push_str(tail);
    if !tail.contains("sslmode=") {
        url.push(if tail.contains('?') { '&' } else { '?' });
        url.push_str("sslmode=disable");
    }
    url
}

impl DatabaseConfig {
    fn any_discrete_field(&self) -> bool {
        self.protocol.is_some()
            || !self.host.is_empty()
            || self.port != 0
            || !self.name.is_empty()
            || !self.user.is_empty()
            || !self.password.is_empty()
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.resolved_url()?;
        for (i, replica) in self.replicas.iter().enumerate() {
            DatabaseUrl::parse(replica)
                .map_err(|message| ConfigError::invalid(format!("db.replicas.{i}"), message))?;
        }
        Ok(())
    }

    /// Resolves the primary's connection URL: `db.url` if set, else the discrete fields
    /// (`<protocol>://user:password@host:port/name`), else the default SQLite file
    /// (`/var/opt/flipt/flipt.db` when `/var/opt/flipt` exists, else
    /// `<user config dir>/flipt/flipt.db`). Reads nothing but that directory's existence;
    /// call [`DatabaseUrl::ensure_sqlite_parent_dir`] before connecting.
    pub fn resolved_url(&self) -> Result<DatabaseUrl, ConfigError> {
        let invalid_url = |message: String| ConfigError::invalid("db.url", message);
        if !self.url.trim().is_empty() {
            return DatabaseUrl::parse(&self.url).map_err(invalid_url);
        }
        if !self.any_discrete_field() {
            return default_sqlite_path()
                .map(|path| DatabaseUrl::sqlite(&path.display().to_string(), None))
                .ok_or_else(|| {
                    invalid_url(
                        "no default database location (no user config directory): set db.url"
                            .into(),
                    )
                });
        }
        let Some(protocol) = self.protocol else {
            return Err(ConfigError::invalid(
                "db.protocol",
                "non-empty value is required",
            ));
        };
        if self.host.is_empty() {
            return Err(ConfigError::invalid(
                "db.host",
                "non-empty value is required",
            ));
        }
        if self.name.is_empty() {
            return Err(ConfigError::invalid(
                "db.name",
                "non-empty value is required",
            ));
        }
        let mut url = format!("{}://", protocol.as_str());
        if !self.user.is_empty() {
            url.push_str(&percent_encode_userinfo(&self.user));
            if !self.password.is_empty() {
                url.push(':');
                url.push_str(&percent_encode_userinfo(self.password.expose()));
            }
            url.push('@');
        }
        url.push_str(&self.host);
        if self.port != 0 {
            url.push_str(&format!(":{}", self.port));
        }
        url.push('/');
        url.push_str(&self.name);
        DatabaseUrl::parse(&url).map_err(|message| ConfigError::invalid("db.protocol", message))
    }

    /// Resolves each `db.replicas` entry; empty when no replicas are configured.
    pub fn resolved_replica_urls(&self) -> Result<Vec<DatabaseUrl>, ConfigError> {
        self.replicas
            .iter()
            .enumerate()
            .map(|(i, replica)| {
                DatabaseUrl::parse(replica)
                    .map_err(|message| ConfigError::invalid(format!("db.replicas.{i}"), message))
            })
            .collect()
    }

    /// Returns the pool's maximum size: 1 for SQLite, `max_open_conn`, or
    /// [`DEFAULT_MAX_CONNECTIONS`] when that is 0 (unlimited in Flipt).
    pub fn max_connections(&self, driver: DatabaseDriver) -> u32 {
        match (driver, self.max_open_conn) {
            (DatabaseDriver::Sqlite, _) => 1,
            (_, 0) => DEFAULT_MAX_CONNECTIONS,
            (_, n) => n,
        }
    }
}

fn default_sqlite_path() -> Option<PathBuf> {
    let system = Path::new(SYSTEM_DATA_DIR);
    if cfg!(target_os = "linux") && system.is_dir() {
        return Some(system.join("flipt.db"));
    }
    dirs::config_dir().map(|dir| dir.join("flipt").join("flipt.db"))
}

fn percent_encode_userinfo(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Replaces the password of a URL (`user:***@host`, `password=***`) for logs and `Debug`.
pub fn redact_url(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = url.find("://") {
        let start = scheme_end + 3;
        let authority_end = url[start..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |i| start + i);
        if let Some(at) = url[start..authority_end].rfind('@') {
            let userinfo = &url[start..start + at];
            if let Some(colon) = userinfo.find(':') {
                out = format!(
                    "{}{}:***{}",
                    &url[..start],
                    &userinfo[..colon],
                    &url[start + at..]
                );
            }
        }
    }
    if let Some(query_start) = out.find('?') {
        let (head, query) = out.split_at(query_start + 1);
        let query: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_string(),
            })
            .collect();
        out = format!("{head}{}", query.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::Jail;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn load_str(
        file_name: &str,
        contents: &str,
        vars: &[(&str, &str)],
    ) -> Result<Config, ConfigError> {
        let dir = std::env::temp_dir().join(format!("flipt-config-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(file_name);
        std::fs::write(&path, contents).expect("write config");
        let result = load_from(Some(&path), &env(vars));
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    #[test]
    fn defaults_match_flipt() {
        let config = load_from(None, &HashMap::new()).expect("defaults load");
        assert_eq!(config.log.level, "INFO");
        assert_eq!(config.log.grpc_level, "ERROR");
        assert_eq!(config.log.encoding, LogEncoding::Console);
        assert_eq!(
            config.log.keys,
            LogKeys {
                time: "T".into(),
                level: "L".into(),
                message: "M".into()
            }
        );
        assert_eq!(config.server.http_port, 8080);
        assert_eq!(config.server.https_port, 443);
        assert_eq!(config.server.grpc_port, 9000);
        assert_eq!(config.server.host, "0.0.0.0");
        assert_eq!(config.server.role, ServerRole::All);
        assert_eq!(config.server.shutdown.grace_period, Duration::from_secs(5));
        assert_eq!(config.db.max_idle_conn, 2);
        assert_eq!(config.db.max_open_conn, 0);
        assert!(config.db.prepared_statements_enabled);
        assert_eq!(config.db.acquire_timeout, Duration::from_secs(5));
        assert_eq!(config.db.conn_max_idle_time, Some(Duration::from_secs(600)));
        assert_eq!(config.cache.ttl, Duration::from_secs(60));
        assert_eq!(
            config.cache.memory.eviction_interval,
            Duration::from_secs(300)
        );
        assert_eq!(config.cache.redis.port, 6379);
        assert_eq!(config.cache.redis.effective_prefix(), "flipt");
        assert_eq!(config.cors.allowed_origins, vec!["*"]);
        assert!(config.ui.enabled);
        assert_eq!(config.storage.kind, StorageType::Database);
        assert_eq!(
            config,
            Config {
                meta: config.meta.clone(),
                ..Config::default()
            }
        );
    }

    #[test]
    fn shipped_default_yml_lists_every_key_at_its_default() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/default.yml");
        let config = load_from(Some(&path), &HashMap::new()).expect("default.yml loads");
        let defaults = Config::default();
        assert_eq!(
            config,
            Config {
                version: Some("1.0".into()),
                ..defaults
            }
        );

        let text = std::fs::read_to_string(&path).expect("read default.yml");
        let value: Value = serde_yaml::from_str(&text).expect("parse default.yml");
        let mut in_file = Schema {
            kinds: HashMap::new(),
            env: HashMap::new(),
            maps: Vec::new(),
        };
        if let Value::Dict(_, dict) = &value {
            collect_paths(dict, "", &mut in_file);
        }
        let documented_elsewhere = ["meta.state_directory", "authentication.exclude.metadata"];
        for path in schema().kinds.keys() {
            if !documented_elsewhere.contains(&path.as_str()) {
                assert!(
                    in_file.kinds.contains_key(path),
                    "config/default.yml lacks {path}"
                );
            }
        }
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure signature
    fn precedence_is_defaults_then_file_then_env() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file(
                "config.yml",
                "server:\n  http_port: 8081\n  grpc_port: 9001\nlog:\n  level: debug\n",
            )?;
            jail.set_env("FLIPT_SERVER_HTTP_PORT", "8082");
            let (config, file) = load(Some(Path::new("config.yml"))).expect("config loads");
            assert_eq!(file.as_deref(), Some(Path::new("config.yml")));
            assert_eq!(config.server.http_port, 8082, "env beats file");
            assert_eq!(config.server.grpc_port, 9001, "file beats default");
            assert_eq!(config.server.https_port, 443, "default kept");
            assert_eq!(config.log.level, "debug");
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure signature
    fn env_names_with_underscores_map_to_their_keys() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("FLIPT_DB_MAX_OPEN_CONN", "7");
            jail.set_env("FLIPT_DB_MAX_IDLE_CONN", "3");
            jail.set_env("FLIPT_CACHE_REDIS_REQUIRE_TLS", "T");
            jail.set_env("FLIPT_CACHE_REDIS_HOST", "redis.internal");
            jail.set_env("FLIPT_CACHE_REDIS_ADDRESSES", "r0:7000 r1:7001");
            jail.set_env("FLIPT_SERVER_ROLE", "read");
            jail.set_env("FLIPT_SERVER_SHUTDOWN_GRACE_PERIOD", "1m30s");
            jail.set_env(
                "FLIPT_DB_REPLICAS",
                "postgres://r1/flipt  postgres://r2/flipt",
            );
            jail.set_env(
                "FLIPT_CORS_ALLOWED_ORIGINS",
                "https://a.example https://b.example",
            );
            jail.set_env("FLIPT_LOG_KEYS_TIME", "time");
            jail.set_env("FLIPT_UI_DEFAULT_THEME", "dark");
            jail.set_env("FLIPT_AUTHENTICATION_REQUIRED", "1");
            jail.set_env("FLIPT_DB_PREPARED_STATEMENTS_ENABLED", "False");
            jail.set_env("FLIPT_SOMETHING_UNKNOWN", "ignored");
            jail.set_env("flipt_server_http_port", "1");
            let home = jail.directory().display().to_string();
            jail.set_env("XDG_CONFIG_HOME", home);
            let (config, _file) = load(None).expect("env loads");
            assert_eq!(config.db.max_open_conn, 7);
            assert_eq!(config.db.max_idle_conn, 3);
            assert!(config.cache.redis.require_tls);
            assert_eq!(config.cache.redis.host, "redis.internal");
            assert_eq!(config.cache.redis.addresses, vec!["r0:7000", "r1:7001"]);
            assert_eq!(config.server.role, ServerRole::Read);
            assert_eq!(config.server.http_port, 8080);
            assert_eq!(config.server.shutdown.grace_period, Duration::from_secs(90));
            assert_eq!(
                config.db.replicas,
                vec!["postgres://r1/flipt", "postgres://r2/flipt"]
            );
            assert_eq!(
                config.cors.allowed_origins,
                vec!["https://a.example", "https://b.example"]
            );
            assert_eq!(config.log.keys.time, "time");
            assert_eq!(config.ui.default_theme, UiTheme::Dark);
            assert!(config.authentication.required);
            assert!(!config.db.prepared_statements_enabled);
            Ok(())
        });
    }

    #[test]
    fn env_table_has_no_collisions_and_covers_nested_keys() {
        let schema = schema();
        assert_eq!(schema.env.len(), schema.kinds.len() - schema.maps.len());
        for (env, path) in [
            ("server_http_port", "server.http_port"),
            ("cache_redis_require_tls", "cache.redis.require_tls"),
            ("db_conn_max_idle_time", "db.conn_max_idle_time"),
            (
                "server_shutdown_grace_period",
                "server.shutdown.grace_period",
            ),
            ("storage_type", "storage.type"),
            ("version", "version"),
        ] {
            assert_eq!(schema.env.get(env).map(String::as_str), Some(path), "{env}");
        }
        assert_eq!(
            env_var_name("cache.redis.require_tls"),
            "FLIPT_CACHE_REDIS_REQUIRE_TLS"
        );
    }

    #[test]
    fn exact_placeholders_are_substituted() {
        let config = load_str(
            "config.yml",
            "db:\n  url: ${MY_DB_URL}\n  user: prefix-${MY_USER}\nserver:\n  http_port: ${MY_PORT}\ncache:\n  redis:\n    password: ${UNSET_SECRET}\n",
            &[("MY_DB_URL", "postgres://u@db/flipt"), ("MY_USER", "x"), ("MY_PORT", "8181")],
        )
        .expect("config loads");
        assert_eq!(config.db.url, "postgres://u@db/flipt");
        assert_eq!(
            config.db.user, "prefix-${MY_USER}",
            "partial interpolation is not performed"
        );
        assert_eq!(config.server.http_port, 8181);
        assert!(config.cache.redis.password.is_empty());

        let config = load_from(
            None,
            &env(&[
                ("FLIPT_LOG_FILE", "${LOG_TARGET}"),
                ("LOG_TARGET", "/tmp/f.log"),
            ]),
        )
        .expect("env loads");
        assert_eq!(config.log.file, "/tmp/f.log");
    }

    #[test]
    fn durations_accept_go_strings_and_nanosecond_integers() {
        let config = load_str(
            "config.yml",
            "cache:\n  ttl: 60\n  memory:\n    eviction_interval: 1h30m\nserver:\n  grpc_conn_max_age: 500ms\n  grpc_conn_max_idle_time: 0s\ndb:\n  conn_max_lifetime: 1.5h\n",
            &[],
        )
        .expect("config loads");
        assert_eq!(config.cache.ttl, Duration::from_nanos(60));
        assert_eq!(
            config.cache.memory.eviction_interval,
            Duration::from_secs(5400)
        );
        assert_eq!(
            config.server.grpc_conn_max_age,
            Some(Duration::from_millis(500))
        );
        assert_eq!(config.server.grpc_conn_max_idle_time, None);
        assert_eq!(config.db.conn_max_lifetime, Some(Duration::from_secs(5400)));

        assert_eq!(
            parse_go_duration("1h2m3.5s"),
            Ok(Duration::from_millis(3_723_500))
        );
        assert_eq!(parse_go_duration("2us"), Ok(Duration::from_micros(2)));
        assert_eq!(parse_go_duration("2µs"), Ok(Duration::from_micros(2)));
        assert_eq!(parse_go_duration("0"), Ok(Duration::ZERO));
        assert!(parse_go_duration("10").is_err());
        assert!(parse_go_duration("5x").is_err());
        assert!(parse_go_duration("-5s").is_err());
        for d in [
            0,
            1,
            1_500,
            2_000_000,
            60_000_000_000,
            5_400_000_000_000,
            3_723_500_000_000,
        ] {
            let d = Duration::from_nanos(d);
            assert_eq!(parse_go_duration(&format_go_duration(d)), Ok(d));
        }
        assert_eq!(format_go_duration(Duration::from_secs(60)), "1m0s");
        assert_eq!(format_go_duration(Duration::from_secs(5400)), "1h30m0s");
        assert_eq!(format_go_duration(Duration::from_millis(1500)), "1.5s");

        let err = load_from(None, &env(&[("FLIPT_CACHE_TTL", "soon")])).expect_err("bad duration");
        let message = err.to_string();
        assert!(
            message.starts_with("invalid configuration: cache.ttl: "),
            "{message}"
        );
        assert!(message.contains("FLIPT_CACHE_TTL"), "{message}");
    }

    #[test]
    fn booleans_accept_go_forms_only() {
        for (raw, expected) in [
            ("1", true),
            ("t", true),
            ("TRUE", true),
            ("True", true),
            ("0", false),
            ("F", false),
            ("false", false),
        ] {
            let config =
                load_from(None, &env(&[("FLIPT_CACHE_ENABLED", raw)])).expect("bool loads");
            assert_eq!(config.cache.enabled, expected, "{raw}");
        }
        let err = load_from(None, &env(&[("FLIPT_CACHE_ENABLED", "yes")]))
            .expect_err("yes is not a Go bool");
        assert!(
            err.to_string().starts_with(
                "invalid configuration: cache.enabled: invalid type: found string \"yes\""
            ),
            "{err}"
        );
    }

    #[test]
    fn errors_name_the_key() {
        let err =
            load_from(None, &env(&[("FLIPT_SERVER_HTTP_PORT", "abc")])).expect_err("bad port");
        assert_eq!(
            err.to_string(),
            "invalid configuration: server.http_port: invalid type: found string \"abc\", expected u16 (from FLIPT_SERVER_HTTP_PORT)"
        );

        let err =
            load_str("config.yml", "server:\n  http_port: 99999\n", &[]).expect_err("port too big");
        assert!(
            err.to_string()
                .starts_with("invalid configuration: server.http_port: "),
            "{err}"
        );
        assert!(err.to_string().contains("config.yml"), "{err}");

        let err = load_str("config.yml", "log:\n  encoding: xml\n", &[]).expect_err("bad enum");
        assert!(
            err.to_string()
                .starts_with("invalid configuration: log.encoding: unknown variant"),
            "{err}"
        );

        let err = load_str("config.yml", "server: [\n", &[]).expect_err("bad yaml");
        assert!(matches!(err, ConfigError::Parse { .. }), "{err}");

        let err = load_str("config.toml", "a = 1", &[]).expect_err("toml");
        assert!(
            matches!(err, ConfigError::UnsupportedFormat { .. }),
            "{err}"
        );

        let err = load(Some(Path::new("/nonexistent/flipt.yml"))).expect_err("missing file");
        assert!(
            err.to_string()
                .starts_with("cannot read configuration file /nonexistent/flipt.yml"),
            "{err}"
        );
    }

    #[test]
    fn json_files_and_unknown_keys_are_accepted() {
        let config = load_str(
            "config.json",
            r#"{"server": {"http_port": 8090, "not_a_key": 1}, "tracing": {"enabled": true}, "version": "1.0"}"#,
            &[],
        )
        .expect("json loads");
        assert_eq!(config.server.http_port, 8090);
        let config = load_str("config.yml", "# only comments\n", &[]).expect("empty file loads");
        assert_eq!(config.server.http_port, 8080);
    }

    #[test]
    fn cross_field_rules_are_enforced() {
        let err = load_str("c.yml", "version: \"2.0\"\n", &[]).expect_err("bad version");
        assert_eq!(err.to_string(), "invalid version: 2.0");

        let err = load_str("c.yml", "server:\n  protocol: https\n", &[]).expect_err("no cert");
        assert!(
            err.to_string()
                .starts_with("invalid configuration: server.cert_file: "),
            "{err}"
        );

        let err = load_str("c.yml", "db:\n  host: db.internal\n  name: flipt\n", &[])
            .expect_err("no protocol");
        assert_eq!(
            err.to_string(),
            "invalid configuration: db.protocol: non-empty value is required"
        );

        let err =
            load_str("c.yml", "db:\n  protocol: postgres\n  host: db\n", &[]).expect_err("no name");
        assert_eq!(
            err.to_string(),
            "invalid configuration: db.name: non-empty value is required"
        );

        let err = load_str("c.yml", "storage:\n  type: git\n", &[]).expect_err("git storage");
        assert!(
            err.to_string()
                .contains("storage.type: \"git\" is not supported"),
            "{err}"
        );

        let err = load_str("c.yml", "db:\n  url: libsql://x.turso.io\n", &[]).expect_err("libsql");
        assert!(err.to_string().contains("unsupported"), "{err}");

        let err = load_str("c.yml", "log:\n  grpc_level: loud\n", &[]).expect_err("grpc level");
        assert!(
            err.to_string()
                .starts_with("invalid configuration: log.grpc_level"),
            "{err}"
        );

        let config =
            load_str("c.yml", "log:\n  level: loud\n", &[]).expect("bad log.level only warns");
        assert_eq!(config.log.level(), None);
    }

    #[test]
    fn discovery_prefers_user_config_then_system_file() {
        let dir = std::env::temp_dir().join(format!("flipt-discover-{}", uuid::Uuid::new_v4()));
        let system = dir.join("system.yml");
        assert_eq!(discover(Some(&dir), Some(&system)), None);
        std::fs::create_dir_all(dir.join("flipt")).expect("mkdir");
        std::fs::write(&system, "").expect("write");
        assert_eq!(discover(Some(&dir), Some(&system)), Some(system.clone()));
        std::fs::write(dir.join("flipt/config.yml"), "").expect("write");
        assert_eq!(
            discover(Some(&dir), Some(&system)),
            Some(dir.join("flipt/config.yml"))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn db(url: &str) -> DatabaseConfig {
        DatabaseConfig {
            url: url.into(),
            ..DatabaseConfig::default()
        }
    }

    #[test]
    fn database_urls_resolve_per_driver() {
        let cases = [
            (
                "file:flipt.db",
                DatabaseDriver::Sqlite,
                "sqlite://flipt.db?mode=rwc",
            ),
            (
                "file:/abs/x.db",
                DatabaseDriver::Sqlite,
                "sqlite:///abs/x.db?mode=rwc",
            ),
            (
                "file:///abs/x.db?_fk=true&cache=shared",
                DatabaseDriver::Sqlite,
                "sqlite:///abs/x.db?mode=rwc&cache=shared",
            ),
            (
                "sqlite:data/f.db",
                DatabaseDriver::Sqlite,
                "sqlite://data/f.db?mode=rwc",
            ),
            (
                "sqlite3:///tmp/f.db?mode=ro",
                DatabaseDriver::Sqlite,
                "sqlite:///tmp/f.db?mode=ro",
            ),
            (
                "postgres://u:p@h:5432/flipt?sslmode=disable",
                DatabaseDriver::Postgres,
                "postgres://u:p@h:5432/flipt?sslmode=disable",
            ),
            (
                "postgresql://h/flipt",
                DatabaseDriver::Postgres,
                "postgres://h/flipt",
            ),
            (
                "pgx://h/flipt",
                DatabaseDriver::Postgres,
                "postgres://h/flipt",
            ),
            (
                "cockroach://root@crdb/defaultdb",
                DatabaseDriver::Postgres,
                "postgres://root@crdb:26257/defaultdb?sslmode=disable",
            ),
            (
                "mysql://u:p@h:3306/flipt",
                DatabaseDriver::MySql,
                "mysql://u:p@h:3306/flipt",
            ),
        ];
        for (input, driver, expected) in cases {
            let url = db(input).resolved_url().expect(input);
            assert_eq!(url.driver(), driver, "{input}");
            assert_eq!(url.as_str(), expected, "{input}");
        }
        assert!(db("cockroach://crdb/x")
            .resolved_url()
            .expect("crdb")
            .is_cockroach());
        assert_eq!(
            db("file:/abs/x.db")
                .resolved_url()
                .expect("sqlite")
                .sqlite_path(),
            Some(Path::new("/abs/x.db"))
        );
        assert!(db("libsql://db.turso.io").resolved_url().is_err());
        assert!(db("redis://x").resolved_url().is_err());
    }

    #[test]
    fn database_url_from_discrete_fields_and_default() {
        let discrete = DatabaseConfig {
            protocol: Some(DatabaseProtocol::Postgres),
            host: "db.internal".into(),
            port: 5433,
            name: "flipt".into(),
            user: "flipt".into(),
            password: Secret::new("p@ss word"),
            ..DatabaseConfig::default()
        };
        let url = discrete.resolved_url().expect("discrete");
        assert_eq!(url.driver(), DatabaseDriver::Postgres);
        assert_eq!(
            url.as_str(),
            "postgres://flipt:p%40ss%20word@db.internal:5433/flipt"
        );
        assert_eq!(
            url.to_string(),
            "postgres://flipt:***@db.internal:5433/flipt"
        );
        assert!(!format!("{url:?}").contains("p%40ss"));
        assert!(!format!("{discrete:?}").contains("p@ss"));

        let mysql = DatabaseConfig {
            protocol: Some(DatabaseProtocol::MySql),
            host: "m".into(),
            name: "flipt".into(),
            ..DatabaseConfig::default()
        };
        assert_eq!(
            mysql.resolved_url().expect("mysql").as_str(),
            "mysql://m/flipt"
        );

        let default = DatabaseConfig::default().resolved_url().expect("default");
        assert_eq!(default.driver(), DatabaseDriver::Sqlite);
        let path = default.sqlite_path().expect("sqlite path");
        assert!(path.ends_with("flipt/flipt.db"), "{}", path.display());
        assert_eq!(
            DatabaseConfig::default().max_connections(DatabaseDriver::Sqlite),
            1
        );
        assert_eq!(
            DatabaseConfig::default().max_connections(DatabaseDriver::Postgres),
            100
        );
    }

    #[test]
    fn ensure_sqlite_parent_dir_creates_it() {
        let dir = std::env::temp_dir().join(format!("flipt-db-{}", uuid::Uuid::new_v4()));
        let url = db(&format!("file:{}/nested/flipt.db", dir.display()))
            .resolved_url()
            .expect("url");
        url.ensure_sqlite_parent_dir().expect("mkdir");
        assert!(dir.join("nested").is_dir());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let config = load_from(
            None,
            &env(&[
                (
                    "FLIPT_DB_URL",
                    "postgres://flipt:hunter2@db/flipt?password=hunter2",
                ),
                ("FLIPT_CACHE_REDIS_PASSWORD", "hunter2"),
                ("FLIPT_DB_REPLICAS", "postgres://r:hunter2@replica/flipt"),
            ]),
        )
        .expect("loads");
        let debug = format!("{config:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert_eq!(config.cache.redis.password.expose(), "hunter2");
        assert_eq!(redact_url("redis://:pw@h:6379/0"), "redis://:***@h:6379/0");
    }
}
