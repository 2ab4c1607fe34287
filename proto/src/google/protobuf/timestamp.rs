//! `google.protobuf.Timestamp` with the proto3 JSON form Flipt's gateway produces.
//!
//! pbjson-types serializes timestamps with chrono's `to_rfc3339`, which ends in `+00:00`; the
//! protobuf JSON mapping (and every Flipt client) expects a `Z` suffix. The wire format is the
//! standard one (field 1 `seconds` int64, field 2 `nanos` int32).

use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Smallest valid `seconds`: 0001-01-01T00:00:00Z.
const MIN_SECONDS: i64 = -62_135_596_800;
/// Largest valid `seconds`: 9999-12-31T23:59:59Z.
const MAX_SECONDS: i64 = 253_402_300_799;

/// A point in time, independent of any time zone, with nanosecond resolution.
#[derive(Clone, Copy, PartialEq, Eq, Hash, ::prost::Message)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    #[prost(int64, tag = "1")]
    pub seconds: i64,
    /// Non-negative fraction of a second, `0..=999_999_999`.
    #[prost(int32, tag = "2")]
    pub nanos: i32,
}

impl ::prost::Name for Timestamp {
    const NAME: &'static str = "Timestamp";
    const PACKAGE: &'static str = "google.protobuf";

    fn full_name() -> String {
        "google.protobuf.Timestamp".into()
    }

    fn type_url() -> String {
        "type.googleapis.com/google.protobuf.Timestamp".into()
    }
}

impl Timestamp {
    /// RFC 3339 in UTC with a `Z` suffix and 0, 3, 6 or 9 fractional digits (the shortest that
    /// is exact), e.g. `2024-03-01T10:15:30.120Z`. `None` when outside years 1..=9999 or when
    /// `nanos` is out of range.
    pub fn to_rfc3339(&self) -> Option<String> {
        DateTime::<Utc>::try_from(*self)
            .ok()
            .map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }

    /// Parses an RFC 3339 timestamp with any offset.
    pub fn parse_rfc3339(s: &str) -> Result<Self, String> {
        let t = DateTime::parse_from_rfc3339(s).map_err(|e| e.to_string())?;
        let ts = Self::from(t.with_timezone(&Utc));
        if !(MIN_SECONDS..=MAX_SECONDS).contains(&ts.seconds) {
            return Err(format!("timestamp out of range: {s}"));
        }
        Ok(ts)
    }
}

impl TryFrom<Timestamp> for DateTime<Utc> {
    type Error = &'static str;

    fn try_from(value: Timestamp) -> Result<Self, Self::Error> {
        if !(MIN_SECONDS..=MAX_SECONDS).contains(&value.seconds) {
            return Err("timestamp seconds out of range");
        }
        let nanos = u32::try_from(value.nanos)
            .ok()
            .filter(|n| *n < 1_000_000_000)
            .ok_or("timestamp nanos out of range")?;
        DateTime::from_timestamp(value.seconds, nanos).ok_or("timestamp out of range")
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(value: DateTime<Utc>) -> Self {
        Self {
            seconds: value.timestamp(),
            // subsec nanos are < 2e9 (leap second representation), so this always fits
            nanos: i32::try_from(value.timestamp_subsec_nanos()).unwrap_or(i32::MAX),
        }
    }
}

impl From<std::time::SystemTime> for Timestamp {
    fn from(value: std::time::SystemTime) -> Self {
        DateTime::<Utc>::from(value).into()
    }
}

impl From<pbjson_types::Timestamp> for Timestamp {
    fn from(value: pbjson_types::Timestamp) -> Self {
        Self {
            seconds: value.seconds,
            nanos: value.nanos,
        }
    }
}

impl From<Timestamp> for pbjson_types::Timestamp {
    fn from(value: Timestamp) -> Self {
        Self {
            seconds: value.seconds,
            nanos: value.nanos,
        }
    }
}

impl From<prost_types::Timestamp> for Timestamp {
    fn from(value: prost_types::Timestamp) -> Self {
        Self {
            seconds: value.seconds,
            nanos: value.nanos,
        }
    }
}

impl From<Timestamp> for prost_types::Timestamp {
    fn from(value: Timestamp) -> Self {
        Self {
            seconds: value.seconds,
            nanos: value.nanos,
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.to_rfc3339().ok_or_else(|| {
            serde::ser::Error::custom(format!(
                "invalid timestamp: seconds={} nanos={}",
                self.seconds, self.nanos
            ))
        })?;
        serializer.serialize_str(&text)
    }
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("an RFC 3339 timestamp string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Timestamp::parse_rfc3339(v).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TimestampVisitor)
    }
}
