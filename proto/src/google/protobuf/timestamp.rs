//! `google.protobuf.Timestamp` with the proto3 JSON form Flipt's gateway produces.
//!
//! pbjson-types serializes timestamps with chrono's `to_rfc3339`, which ends in `+00:00`; the
//! protobuf JSON mapping (and every Flipt client) expects a `Z` suffix. The wire format is the
//! standard one (field 1 `seconds` int64, field 2 `nanos` int32).

use chrono::{DateTime, Utc};
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
        let mut buf = [0u8; RFC3339_MAX];
        let len = self.write_rfc3339(&mut buf)?;
        Some(String::from_utf8_lossy(&buf[..len]).into_owned())
    }

    /// Writes [`Timestamp::to_rfc3339`]'s text into `buf` without allocating (responses carry
    /// one per evaluation, documents two per flag); returns its length. Same output as chrono's
    /// `to_rfc3339_opts(SecondsFormat::AutoSi, true)`, which the tests compare against.
    fn write_rfc3339(&self, buf: &mut [u8; RFC3339_MAX]) -> Option<usize> {
        if !(MIN_SECONDS..=MAX_SECONDS).contains(&self.seconds) {
            return None;
        }
        let nanos = u32::try_from(self.nanos)
            .ok()
            .filter(|n| *n < 1_000_000_000)?;
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let mut w = Digits { buf, len: 0 };
        w.num(year, 4);
        w.byte(b'-');
        w.num(i64::from(month), 2);
        w.byte(b'-');
        w.num(i64::from(day), 2);
        w.byte(b'T');
        w.num(secs / 3600, 2);
        w.byte(b':');
        w.num(secs / 60 % 60, 2);
        w.byte(b':');
        w.num(secs % 60, 2);
        // SecondsFormat::AutoSi: the shortest of 0, 3, 6 or 9 digits that is exact.
        if nanos != 0 {
            w.byte(b'.');
            if nanos % 1_000_000 == 0 {
                w.num(i64::from(nanos / 1_000_000), 3);
            } else if nanos % 1_000 == 0 {
                w.num(i64::from(nanos / 1_000), 6);
            } else {
                w.num(i64::from(nanos), 9);
            }
        }
        w.byte(b'Z');
        Some(w.len)
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

/// Length of the longest rendering, `9999-12-31T23:59:59.999999999Z`.
const RFC3339_MAX: usize = 30;

/// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March first
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Zero-padded decimal writer over a fixed buffer (callers stay within its length).
struct Digits<'a> {
    buf: &'a mut [u8; RFC3339_MAX],
    len: usize,
}

impl Digits<'_> {
    fn byte(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    /// `value` (non-negative) in exactly `width` digits.
    fn num(&mut self, mut value: i64, width: usize) {
        let end = self.len + width;
        for i in (self.len..end).rev() {
            if let Some(slot) = self.buf.get_mut(i) {
                *slot = b'0' + (value % 10) as u8;
            }
            value /= 10;
        }
        self.len = end.min(RFC3339_MAX);
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
        let mut buf = [0u8; RFC3339_MAX];
        let len = self.write_rfc3339(&mut buf).ok_or_else(|| {
            serde::ser::Error::custom(format!(
                "invalid timestamp: seconds={} nanos={}",
                self.seconds, self.nanos
            ))
        })?;
        // Only ASCII digits and separators were written.
        let text = std::str::from_utf8(&buf[..len]).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(text)
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::SecondsFormat;

    fn chrono_text(ts: Timestamp) -> Option<String> {
        DateTime::<Utc>::try_from(ts)
            .ok()
            .map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }

    #[test]
    fn rfc3339_matches_chrono() {
        let mut cases = vec![
            (MIN_SECONDS, 0),
            (MAX_SECONDS, 999_999_999),
            (0, 0),
            (-1, 999_999_999),
            (951_782_400, 120_000_000),   // 2000-02-29
            (4_107_542_400, 1_000),       // 2100-02-28 + 1 day is March (no leap day)
            (-2_208_988_800, 100),        // 1900-01-01
            (1_709_288_130, 123_456_000), // 2024-03-01T10:15:30.123456Z
        ];
        // A deterministic sweep over the whole range and every fraction shape.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let span = (MAX_SECONDS - MIN_SECONDS) as u64 + 1;
        for i in 0..200_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let seconds = MIN_SECONDS + (x % span) as i64;
            let nanos = match i % 4 {
                0 => 0,
                1 => (x >> 20) as i32 % 1000 * 1_000_000,
                2 => (x >> 20) as i32 % 1_000_000 * 1_000,
                _ => (x >> 20) as i32 % 1_000_000_000,
            };
            cases.push((seconds, nanos.abs()));
        }
        for (seconds, nanos) in cases {
            let ts = Timestamp { seconds, nanos };
            assert_eq!(ts.to_rfc3339(), chrono_text(ts), "{seconds} {nanos}");
        }
    }

    #[test]
    fn out_of_range_timestamps_do_not_render() {
        for (seconds, nanos) in [
            (MIN_SECONDS - 1, 0),
            (MAX_SECONDS + 1, 0),
            (0, -1),
            (0, 1_000_000_000),
        ] {
            let ts = Timestamp { seconds, nanos };
            assert_eq!(ts.to_rfc3339(), None);
            assert!(serde_json::to_string(&ts).is_err());
        }
        assert_eq!(
            serde_json::to_string(&Timestamp {
                seconds: 0,
                nanos: 5
            })
            .unwrap(),
            "\"1970-01-01T00:00:00.000000005Z\""
        );
    }
}
