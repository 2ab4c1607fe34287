//! Logging: the one tracing subscriber of a process, built from `log.*` (`operations.md` §1.5).
//!
//! `RUST_LOG`, when set, replaces the filter derived from `log.level`; `log.encoding: json`
//! writes one JSON object per line with Flipt's field names (`log.keys`, default `L`, `T`, `M`);
//! `log.file` appends to a file instead of stdout. Writes are synchronous, so there is nothing
//! to flush at exit. Span export (OpenTelemetry) is not part of this module yet.

use std::fmt;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::{self, FormatEvent, FormatFields, JsonFields};
use tracing_subscriber::fmt::writer::BoxMakeWriter;
use tracing_subscriber::fmt::{FmtContext, FormattedFields};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::{LogConfig, LogEncoding, LogKeys, LogLevel};

/// Why logging could not be set up; start-up stops on it, as Flipt does.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    #[error("cannot open log file {}: {source}", .path.display())]
    LogFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid RUST_LOG filter: {0}")]
    Filter(String),
}

/// Installs the global subscriber. A second call (tests) leaves the first subscriber in place
/// and returns `Ok`. An invalid `log.level` logs a warning and falls back to INFO.
pub fn init(service_name: &str, log: &LogConfig) -> Result<(), TelemetryError> {
    let rust_log = std::env::var("RUST_LOG")
        .ok()
        .filter(|value| !value.trim().is_empty());
    let filter = match rust_log {
        Some(directives) => {
            EnvFilter::try_new(directives).map_err(|err| TelemetryError::Filter(err.to_string()))?
        }
        None => EnvFilter::new(default_directives(log)),
    };
    let (writer, ansi) = if log.file.is_empty() {
        (
            BoxMakeWriter::new(std::io::stdout),
            std::io::stdout().is_terminal(),
        )
    } else {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log.file)
            .map_err(|source| TelemetryError::LogFile {
                path: PathBuf::from(&log.file),
                source,
            })?;
        (BoxMakeWriter::new(Arc::new(file)), false)
    };
    let installed = subscriber(log, filter, writer, ansi).try_init().is_ok();
    if installed {
        if log.level().is_none() {
            tracing::warn!(level = %log.level, "invalid log level, defaulting to INFO");
        }
        tracing::debug!(service = service_name, "logging initialised");
    }
    Ok(())
}

/// `flipt=<log.level>` for our crates (`flipt_shared`, `flipt_write`, ... all start with
/// `flipt`), `log.grpc_level` for the gRPC stack, `warn` (or `error`) for other dependencies.
fn default_directives(log: &LogConfig) -> String {
    let level = log.level().unwrap_or(LogLevel::Info);
    let grpc = log.grpc_level().unwrap_or(LogLevel::Error);
    let dependencies = if level == LogLevel::Error {
        "error"
    } else {
        "warn"
    };
    format!(
        "{dependencies},flipt={},tonic={grpc},h2={grpc}",
        level.as_directive(),
        grpc = grpc.as_directive()
    )
}

fn subscriber(
    log: &LogConfig,
    filter: EnvFilter,
    writer: BoxMakeWriter,
    ansi: bool,
) -> impl Subscriber + Send + Sync + for<'a> LookupSpan<'a> {
    let fmt_layer = match log.encoding {
        LogEncoding::Console => tracing_subscriber::fmt::layer()
            .with_writer(writer)
            .with_ansi(ansi)
            .boxed(),
        LogEncoding::Json => tracing_subscriber::fmt::layer()
            .fmt_fields(JsonFields::new())
            .event_format(FliptJson {
                keys: log.keys.clone(),
            })
            .with_writer(writer)
            .boxed(),
    };
    tracing_subscriber::registry().with(filter).with(fmt_layer)
}

/// One JSON object per event, shaped like Flipt's zap output: level, time (RFC 3339, UTC),
/// message under `log.keys`, then the fields of the enclosing spans and of the event.
struct FliptJson {
    keys: LogKeys,
}

impl<S, N> FormatEvent<S, N> for FliptJson
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: format::Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut object = Map::new();
        object.insert(
            self.keys.level.clone(),
            Value::from(event.metadata().level().as_str()),
        );
        object.insert(
            self.keys.time.clone(),
            Value::from(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        );
        object.insert(self.keys.message.clone(), Value::from(""));
        if let Some(scope) = ctx.event_scope() {
            for span in scope.from_root() {
                let extensions = span.extensions();
                let Some(fields) = extensions.get::<FormattedFields<N>>() else {
                    continue;
                };
                if let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(fields) {
                    object.extend(fields);
                }
            }
        }
        event.record(&mut JsonVisitor {
            object: &mut object,
            message_key: &self.keys.message,
        });
        let line = serde_json::to_string(&object).map_err(|_| fmt::Error)?;
        writeln!(writer, "{line}")
    }
}

struct JsonVisitor<'a> {
    object: &'a mut Map<String, Value>,
    message_key: &'a str,
}

impl JsonVisitor<'_> {
    fn insert(&mut self, field: &Field, value: Value) {
        let key = if field.name() == "message" {
            self.message_key.to_string()
        } else {
            field.name().to_string()
        };
        self.object.insert(key, value);
    }
}

impl Visit for JsonVisitor<'_> {
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.insert(field, Value::from(value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.insert(field, Value::from(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.insert(field, Value::from(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.insert(field, Value::from(value));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.insert(field, Value::from(value));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.insert(field, Value::from(value.to_string()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.insert(field, Value::from(format!("{value:?}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::Mutex;

    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);

    impl Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("capture lock").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn captured(log: &LogConfig, emit: impl FnOnce()) -> String {
        let capture = Capture::default();
        let sink = capture.clone();
        let writer = BoxMakeWriter::new(move || sink.clone());
        let filter = EnvFilter::new(default_directives(log));
        tracing::subscriber::with_default(subscriber(log, filter, writer, false), emit);
        let bytes = capture.0.lock().expect("capture lock").clone();
        String::from_utf8(bytes).expect("utf-8 output")
    }

    #[test]
    fn json_lines_use_flipt_keys_and_span_fields() {
        let log = LogConfig {
            encoding: LogEncoding::Json,
            ..LogConfig::default()
        };
        let output = captured(&log, || {
            let span = tracing::info_span!("request", namespace = "default");
            let _entered = span.enter();
            tracing::info!(target: "flipt_read::evaluation", flag = "new-checkout", count = 3, "flag evaluated");
        });
        let line: Value = serde_json::from_str(output.trim()).expect("one JSON line");
        assert_eq!(line["L"], "INFO");
        assert_eq!(line["M"], "flag evaluated");
        assert_eq!(line["flag"], "new-checkout");
        assert_eq!(line["count"], 3);
        assert_eq!(line["namespace"], "default");
        assert!(line["T"].as_str().is_some_and(|t| t.ends_with('Z')));
    }

    #[test]
    fn default_filter_follows_log_level() {
        let log = LogConfig {
            level: "warn".into(),
            ..LogConfig::default()
        };
        assert_eq!(
            default_directives(&log),
            "warn,flipt=warn,tonic=error,h2=error"
        );
        let output = captured(&log, || {
            tracing::info!(target: "flipt_write::startup", "hidden");
            tracing::warn!(target: "flipt_write::startup", "shown");
            tracing::warn!(target: "sqlx::query", "dependency warning");
            tracing::info!(target: "sqlx::query", "dependency info");
        });
        assert!(output.contains("shown"));
        assert!(output.contains("dependency warning"));
        assert!(!output.contains("hidden"));
        assert!(!output.contains("dependency info"));

        let invalid = LogConfig {
            level: "loud".into(),
            ..LogConfig::default()
        };
        assert!(default_directives(&invalid).contains("flipt=info"));
    }

    #[test]
    fn init_twice_is_harmless_and_appends_to_the_log_file() {
        let path = std::env::temp_dir().join(format!("flipt-log-{}.log", uuid::Uuid::new_v4()));
        let log = LogConfig {
            file: path.display().to_string(),
            ..LogConfig::default()
        };
        init("flipt-test", &log).expect("first init");
        init("flipt-test", &log).expect("second init");
        assert!(path.is_file());
        let _ = std::fs::remove_file(&path);

        let unwritable = LogConfig {
            file: "/nonexistent-dir/flipt.log".into(),
            ..LogConfig::default()
        };
        assert!(matches!(
            init("flipt-test", &unwritable),
            Err(TelemetryError::LogFile { .. })
        ));
    }
}
