//! Go-compatible parsers for constraint values (evaluation.md §2.2–2.5).
//!
//! Flipt v1 parses context and constraint values with Go's standard library, and results must
//! match it bit for bit, so each function here reproduces one Go routine, quirks included:
//! [`go_parse_float`] is `strconv.ParseFloat(s, 64)`, [`go_parse_bool`] is `strconv.ParseBool`,
//! [`parse_datetime`] is `time.Parse(time.RFC3339, s)` then `time.Parse("2006-01-02", s)`, and
//! [`json_string_array`] / [`json_number_array`] are `encoding/json` into `[]string` /
//! `[]float64`. Nothing here allocates except the decoded arrays.

/// An instant with nanosecond precision: seconds since the Unix epoch and nanoseconds
/// (`0..1_000_000_000`). Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    pub seconds: i64,
    pub nanos: u32,
}

/// Why a value did not parse. The engine only needs "it did not"; the variants help tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// The text is not in the accepted grammar.
    Syntax,
    /// The text is well-formed but its value is out of range (`1e400`, day 30 of February).
    Range,
}

/// Parses a number exactly like Go's `strconv.ParseFloat(s, 64)`.
///
/// Accepts decimal and hexadecimal (`0x1.8p1`) floats, underscores between digits, `inf`,
/// `infinity` (signed, any case) and `nan` (unsigned, any case). A finite spelling whose value
/// rounds beyond `f64::MAX` is a [`ParseError::Range`] error, as in Go; underflow gives zero.
pub fn go_parse_float(s: &str) -> Result<f64, ParseError> {
    if let Some(v) = special(s) {
        return v;
    }
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    if let Some(&c) = b.first() {
        if c == b'+' || c == b'-' {
            neg = c == b'-';
            i = 1;
        }
    }
    let hex = i + 2 < b.len() && b[i] == b'0' && (b[i + 1] | 0x20) == b'x';
    let value = if hex {
        parse_hex(b, i + 2, neg)?
    } else {
        parse_decimal(s, i)?
    };
    if !underscore_ok(b) {
        return Err(ParseError::Syntax);
    }
    Ok(value)
}

/// Go's `special`: optional sign then `inf`/`infinity`, or `nan` without sign. Returns `None`
/// when the text does not start like a special value (the numeric grammar applies then).
fn special(s: &str) -> Option<Result<f64, ParseError>> {
    let b = s.as_bytes();
    let first = *b.first()?;
    let (sign, rest, nsign) = match first {
        b'+' => (1.0, &b[1..], 1),
        b'-' => (-1.0, &b[1..], 1),
        _ => (1.0, b, 0),
    };
    if nsign == 1 || first == b'i' || first == b'I' {
        let mut n = common_prefix_ignore_case(rest, b"infinity");
        if 3 < n && n < 8 {
            n = 3;
        }
        if n == 3 || n == 8 {
            return Some(if nsign + n == b.len() {
                Ok(sign * f64::INFINITY)
            } else {
                Err(ParseError::Syntax)
            });
        }
        return None;
    }
    if (first == b'n' || first == b'N') && common_prefix_ignore_case(b, b"nan") == 3 {
        return Some(if b.len() == 3 {
            Ok(f64::NAN)
        } else {
            Err(ParseError::Syntax)
        });
    }
    None
}

fn common_prefix_ignore_case(s: &[u8], prefix: &[u8]) -> usize {
    s.iter()
        .zip(prefix)
        .take_while(|(a, b)| a.to_ascii_lowercase() == **b)
        .count()
}

/// Go's `underscoreOK`: underscores only between digits, or between a base prefix and a digit.
fn underscore_ok(b: &[u8]) -> bool {
    if !b.contains(&b'_') {
        return true;
    }
    let mut s = b;
    if let Some(&c) = s.first() {
        if c == b'+' || c == b'-' {
            s = &s[1..];
        }
    }
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if s.len() >= 2 && s[0] == b'0' && matches!(s[1] | 0x20, b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = (s[1] | 0x20) == b'x';
    }
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c.is_ascii_digit() || (hex && (c | 0x20).is_ascii_hexdigit()) {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

/// Decimal branch of Go's `readFloat`: validates the grammar, then lets Rust's correctly
/// rounded parser compute the value of the text without underscores.
fn parse_decimal(s: &str, start: usize) -> Result<f64, ParseError> {
    let b = s.as_bytes();
    let mut i = start;
    let mut saw_dot = false;
    let mut saw_digits = false;
    while i < b.len() {
        match b[i] {
            b'_' => {}
            b'.' if !saw_dot => saw_dot = true,
            c if c.is_ascii_digit() => saw_digits = true,
            _ => break,
        }
        i += 1;
    }
    if !saw_digits {
        return Err(ParseError::Syntax);
    }
    if i < b.len() && (b[i] | 0x20) == b'e' {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if i >= b.len() || !b[i].is_ascii_digit() {
            return Err(ParseError::Syntax);
        }
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    if i != b.len() {
        return Err(ParseError::Syntax);
    }
    let parsed = if s.contains('_') {
        s.replace('_', "").parse::<f64>()
    } else {
        s.parse::<f64>()
    };
    match parsed {
        Ok(v) if v.is_infinite() => Err(ParseError::Range),
        Ok(v) => Ok(v),
        Err(_) => Err(ParseError::Syntax),
    }
}

/// Hexadecimal branch of Go's `readFloat` plus `atofHex` (round half to even).
fn parse_hex(b: &[u8], start: usize, neg: bool) -> Result<f64, ParseError> {
    const MAX_MANT_DIGITS: i64 = 16;
    let mut i = start;
    let mut mantissa: u64 = 0;
    let mut saw_dot = false;
    let mut saw_digits = false;
    let mut nd: i64 = 0;
    let mut nd_mant: i64 = 0;
    let mut dp: i64 = 0;
    let mut trunc = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'_' => {}
            b'.' => {
                if saw_dot {
                    break;
                }
                saw_dot = true;
                dp = nd;
            }
            _ if c.is_ascii_hexdigit() => {
                saw_digits = true;
                if c == b'0' && nd == 0 {
                    // Leading zeros only move the point.
                    dp -= 1;
                } else {
                    nd += 1;
                    if nd_mant < MAX_MANT_DIGITS {
                        let digit = match c {
                            b'0'..=b'9' => c - b'0',
                            _ => (c | 0x20) - b'a' + 10,
                        };
                        mantissa = mantissa * 16 + u64::from(digit);
                        nd_mant += 1;
                    } else if c != b'0' {
                        trunc = true;
                    }
                }
            }
            _ => break,
        }
        i += 1;
    }
    if !saw_digits {
        return Err(ParseError::Syntax);
    }
    if !saw_dot {
        dp = nd;
    }
    dp *= 4;
    nd_mant *= 4;
    // The binary exponent is mandatory for hex floats.
    if i >= b.len() || (b[i] | 0x20) != b'p' {
        return Err(ParseError::Syntax);
    }
    i += 1;
    let mut esign = 1;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        if b[i] == b'-' {
            esign = -1;
        }
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return Err(ParseError::Syntax);
    }
    let mut e: i64 = 0;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        if b[i] != b'_' && e < 10000 {
            e = e * 10 + i64::from(b[i] - b'0');
        }
        i += 1;
    }
    if i != b.len() {
        return Err(ParseError::Syntax);
    }
    dp += e * esign;
    let exp = if mantissa != 0 { dp - nd_mant } else { 0 };
    atof_hex(mantissa, exp, neg, trunc)
}

/// Go's `atofHex` for float64: `mantissa * 2^exp`, rounded half to even.
fn atof_hex(mut mantissa: u64, mut exp: i64, neg: bool, trunc: bool) -> Result<f64, ParseError> {
    const MANT_BITS: u32 = 52;
    const EXP_BITS: u32 = 11;
    const BIAS: i64 = -1023;
    let max_exp = (1i64 << EXP_BITS) + BIAS - 2;
    let min_exp = BIAS + 1;
    exp += i64::from(MANT_BITS);

    while mantissa != 0 && mantissa >> (MANT_BITS + 2) == 0 {
        mantissa <<= 1;
        exp -= 1;
    }
    if trunc {
        mantissa |= 1;
    }
    while mantissa >> (1 + MANT_BITS + 2) != 0 {
        mantissa = (mantissa >> 1) | (mantissa & 1);
        exp += 1;
    }
    while mantissa > 1 && exp < min_exp - 2 {
        mantissa = (mantissa >> 1) | (mantissa & 1);
        exp += 1;
    }
    let mut round = mantissa & 3;
    mantissa >>= 2;
    round |= mantissa & 1;
    exp += 2;
    if round == 3 {
        mantissa += 1;
        if mantissa == 1 << (1 + MANT_BITS) {
            mantissa >>= 1;
            exp += 1;
        }
    }
    if mantissa >> MANT_BITS == 0 {
        exp = BIAS;
    }
    if exp > max_exp {
        return Err(ParseError::Range);
    }
    let mut bits = mantissa & ((1u64 << MANT_BITS) - 1);
    // `exp - BIAS` is in 0..=2046 here, so the cast keeps every bit.
    bits |= (((exp - BIAS) as u64) & ((1u64 << EXP_BITS) - 1)) << MANT_BITS;
    if neg {
        bits |= 1u64 << 63;
    }
    Ok(f64::from_bits(bits))
}

/// Parses a boolean exactly like Go's `strconv.ParseBool`.
pub fn go_parse_bool(s: &str) -> Result<bool, ParseError> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(ParseError::Syntax),
    }
}

/// Parses a datetime like Flipt: Go's `time.Parse(time.RFC3339, s)`, then
/// `time.Parse("2006-01-02", s)` (midnight UTC).
///
/// The RFC 3339 form accepts a 1- or 2-digit hour, a `.` or `,` fraction (first 9 digits
/// count), `Z` or a `±hh:mm` offset with hours up to 24 and minutes up to 60. `T` and `Z` are
/// upper-case only; nothing may follow.
pub fn parse_datetime(s: &str) -> Result<Instant, ParseError> {
    let b = s.as_bytes();
    let (year, month, day, rest) = parse_date(b)?;
    let days = days_from_civil(year, month, day);
    if rest.is_empty() {
        return Ok(Instant {
            seconds: days * 86_400,
            nanos: 0,
        });
    }
    let rest = rest.strip_prefix(b"T").ok_or(ParseError::Syntax)?;
    // Hour: one or two digits.
    let (hour, rest) = match rest {
        [h1, h2, rest @ ..] if h1.is_ascii_digit() && h2.is_ascii_digit() => {
            (i64::from((h1 - b'0') * 10 + (h2 - b'0')), rest)
        }
        [h1, rest @ ..] if h1.is_ascii_digit() => (i64::from(h1 - b'0'), rest),
        _ => return Err(ParseError::Syntax),
    };
    let rest = rest.strip_prefix(b":").ok_or(ParseError::Syntax)?;
    let (minute, rest) = two_digits(rest)?;
    let rest = rest.strip_prefix(b":").ok_or(ParseError::Syntax)?;
    let (second, mut rest) = two_digits(rest)?;
    if hour > 23 || minute > 59 || second > 59 {
        return Err(ParseError::Range);
    }
    let mut nanos: u32 = 0;
    if rest.len() >= 2 && (rest[0] == b'.' || rest[0] == b',') && rest[1].is_ascii_digit() {
        let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        let mut scale = 100_000_000u32;
        for &c in rest[1..].iter().take(digits.min(9)) {
            nanos += u32::from(c - b'0') * scale;
            scale /= 10;
        }
        rest = &rest[1 + digits..];
    }
    let offset = match rest {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2]
            if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) =>
        {
            let hh = i64::from((h1 - b'0') * 10 + (h2 - b'0'));
            let mm = i64::from((m1 - b'0') * 10 + (m2 - b'0'));
            if hh > 24 || mm > 60 {
                return Err(ParseError::Range);
            }
            let off = (hh * 60 + mm) * 60;
            if *sign == b'-' {
                -off
            } else {
                off
            }
        }
        _ => return Err(ParseError::Syntax),
    };
    Ok(Instant {
        seconds: days * 86_400 + hour * 3600 + minute * 60 + second - offset,
        nanos,
    })
}

/// `YYYY-MM-DD` with a valid day for the month; returns the remaining bytes.
fn parse_date(b: &[u8]) -> Result<(i64, i64, i64, &[u8]), ParseError> {
    let [y1, y2, y3, y4, b'-', rest @ ..] = b else {
        return Err(ParseError::Syntax);
    };
    let year_digits = [y1, y2, y3, y4];
    if !year_digits.iter().all(|c| c.is_ascii_digit()) {
        return Err(ParseError::Syntax);
    }
    let year = year_digits
        .iter()
        .fold(0i64, |acc, c| acc * 10 + i64::from(**c - b'0'));
    let (month, rest) = two_digits(rest)?;
    let rest = rest.strip_prefix(b"-").ok_or(ParseError::Syntax)?;
    let (day, rest) = two_digits(rest)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(ParseError::Range);
    }
    Ok((year, month, day, rest))
}

fn two_digits(b: &[u8]) -> Result<(i64, &[u8]), ParseError> {
    match b {
        [d1, d2, rest @ ..] if d1.is_ascii_digit() && d2.is_ascii_digit() => {
            Ok((i64::from((d1 - b'0') * 10 + (d2 - b'0')), rest))
        }
        _ => Err(ParseError::Syntax),
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Decodes a JSON array of strings like Go's `encoding/json` into `[]string`.
///
/// A whole-value `null` is an empty list, a `null` element is `""`, any other non-string
/// element, a non-array value or malformed JSON is an error. Lone UTF-16 surrogates in `\u`
/// escapes become U+FFFD, as in Go.
pub fn json_string_array(s: &str) -> Result<Vec<String>, ParseError> {
    let mut p = JsonReader::new(s);
    p.skip_ws();
    if p.eat_literal(b"null") {
        p.skip_ws();
        return if p.at_end() {
            Ok(Vec::new())
        } else {
            Err(ParseError::Syntax)
        };
    }
    let mut out = Vec::new();
    p.array(|p| {
        if p.eat_literal(b"null") {
            out.push(String::new());
            Ok(())
        } else if p.peek() == Some(b'"') {
            out.push(p.string()?);
            Ok(())
        } else {
            Err(ParseError::Syntax)
        }
    })?;
    Ok(out)
}

/// Decodes a JSON array of numbers like Go's `encoding/json` into `[]float64`.
///
/// Strict JSON numbers only; a `null` element is `0`, a whole-value `null` an empty list; a
/// string element, a number beyond `f64` range or malformed JSON is an error.
pub fn json_number_array(s: &str) -> Result<Vec<f64>, ParseError> {
    let mut p = JsonReader::new(s);
    p.skip_ws();
    if p.eat_literal(b"null") {
        p.skip_ws();
        return if p.at_end() {
            Ok(Vec::new())
        } else {
            Err(ParseError::Syntax)
        };
    }
    let mut out = Vec::new();
    p.array(|p| {
        if p.eat_literal(b"null") {
            out.push(0.0);
        } else {
            out.push(p.number()?);
        }
        Ok(())
    })?;
    Ok(out)
}

/// A minimal strict JSON reader for the two array shapes above.
struct JsonReader<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> JsonReader<'a> {
    fn new(s: &'a str) -> Self {
        JsonReader {
            s,
            b: s.as_bytes(),
            i: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn at_end(&self) -> bool {
        self.i >= self.b.len()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat_literal(&mut self, lit: &[u8]) -> bool {
        if self.b[self.i..].starts_with(lit) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    /// Reads `[ elem (, elem)* ]` or `[]` spanning the whole input (surrounding whitespace
    /// allowed), calling `elem` for each element with the reader on its first byte.
    fn array(
        &mut self,
        mut elem: impl FnMut(&mut Self) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        if self.peek() != Some(b'[') {
            return Err(ParseError::Syntax);
        }
        self.i += 1;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.i += 1;
        } else {
            loop {
                self.skip_ws();
                elem(self)?;
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b']') => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(ParseError::Syntax),
                }
            }
        }
        self.skip_ws();
        if self.at_end() {
            Ok(())
        } else {
            Err(ParseError::Syntax)
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.b.get(at..at + 4)?;
        digits.iter().try_fold(0u32, |acc, c| {
            char::from(*c).to_digit(16).map(|d| acc * 16 + d)
        })
    }

    /// Reads a JSON string starting at `"`, decoding escapes as Go does.
    fn string(&mut self) -> Result<String, ParseError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        let mut run_start = self.i;
        loop {
            let c = self.peek().ok_or(ParseError::Syntax)?;
            match c {
                b'"' => {
                    out.push_str(&self.s[run_start..self.i]);
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.s[run_start..self.i]);
                    let esc = *self.b.get(self.i + 1).ok_or(ParseError::Syntax)?;
                    self.i += 2;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4(self.i).ok_or(ParseError::Syntax)?;
                            self.i += 4;
                            let decoded = if (0xD800..0xE000).contains(&first) {
                                // A surrogate: pair it with a following \u escape if valid.
                                let pair = if self.b.get(self.i..self.i + 2) == Some(b"\\u") {
                                    self.hex4(self.i + 2)
                                } else {
                                    None
                                };
                                match pair {
                                    Some(second)
                                        if (0xD800..0xDC00).contains(&first)
                                            && (0xDC00..0xE000).contains(&second) =>
                                    {
                                        self.i += 6;
                                        char::from_u32(
                                            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00),
                                        )
                                    }
                                    _ => None,
                                }
                            } else {
                                char::from_u32(first)
                            };
                            out.push(decoded.unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(ParseError::Syntax),
                    }
                    run_start = self.i;
                }
                0x00..=0x1f => return Err(ParseError::Syntax),
                _ => self.i += 1,
            }
        }
    }

    /// Reads a strict JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Result<f64, ParseError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.i += 1;
                }
            }
            _ => return Err(ParseError::Syntax),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(ParseError::Syntax);
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(ParseError::Syntax);
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        match self.s[start..self.i].parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            Ok(_) => Err(ParseError::Range),
            Err(_) => Err(ParseError::Syntax),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_float_accepts_go_grammar() {
        let ok: &[(&str, f64)] = &[
            ("42", 42.0),
            ("42.0", 42.0),
            ("+5", 5.0),
            ("-5", -5.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("1e-1", 0.1),
            ("1E+2", 100.0),
            ("1_000", 1000.0),
            ("1e1_0", 1e10),
            ("1_0.2_5", 10.25),
            ("0x1p4", 16.0),
            ("0x1.8p1", 3.0),
            ("0x.8p1", 1.0),
            ("0X1P-2", 0.25),
            ("0x_1p4", 16.0),
            ("-0x1p4", -16.0),
            ("0x1_0p0", 16.0),
            ("1e-400", 0.0),
            ("-0", -0.0),
            ("1.7976931348623157e308", f64::MAX),
            ("0e99999999999", 0.0),
        ];
        for (s, want) in ok {
            assert_eq!(go_parse_float(s), Ok(*want), "{s}");
        }
        for s in ["inf", "Inf", "+INF", "infinity", "+Infinity", "iNfInItY"] {
            assert_eq!(go_parse_float(s), Ok(f64::INFINITY), "{s}");
        }
        for s in ["-inf", "-Infinity"] {
            assert_eq!(go_parse_float(s), Ok(f64::NEG_INFINITY), "{s}");
        }
        for s in ["nan", "NaN", "NAN", "nAn"] {
            assert!(go_parse_float(s).is_ok_and(f64::is_nan), "{s}");
        }
    }

    #[test]
    fn parse_float_rejects_what_go_rejects() {
        for s in [
            "",
            " 1",
            "1 ",
            "_1",
            "1_",
            "1__0",
            "1_.5",
            "1._5",
            "1,000",
            "--1",
            "+-1",
            "0x10",
            "0b1",
            "0o7",
            "0x",
            "0xp1",
            "0x1p",
            "1e",
            "1e+",
            "1e_1",
            "1_e5",
            ".",
            "+",
            "-",
            "+nan",
            "-NaN",
            "nanx",
            "infx",
            "infin",
            "1.2.3",
            "abc",
            "١",
            "1e400",
            "-1e400",
            "1.7976931348623159e308",
            "0x1p1024",
            "0x1p",
            "0x1.",
            "1x",
            "0x1p4_",
            "0x1_p4",
        ] {
            assert!(go_parse_float(s).is_err(), "{s:?} should fail");
        }
        assert_eq!(go_parse_float("1e400"), Err(ParseError::Range));
        assert_eq!(go_parse_float("0x1p1024"), Err(ParseError::Range));
    }

    #[test]
    fn parse_hex_float_rounds_half_even() {
        // 2^53 + 1 is not representable: ties to even (2^53).
        assert_eq!(
            go_parse_float("0x20000000000001p0"),
            Ok(9_007_199_254_740_992.0)
        );
        // 2^53 + 3 rounds up to 2^53 + 4.
        assert_eq!(
            go_parse_float("0x20000000000003p0"),
            Ok(9_007_199_254_740_996.0)
        );
        // Many digits beyond 16 set the sticky bit.
        assert_eq!(
            go_parse_float("0x1.00000000000008000001p0"),
            Ok(1.0 + f64::EPSILON)
        );
        assert_eq!(go_parse_float("0x1p-1074"), Ok(f64::from_bits(1)));
        assert_eq!(go_parse_float("0x1p-1080"), Ok(0.0));
        assert_eq!(go_parse_float("0x1.fffffffffffffp1023"), Ok(f64::MAX));
    }

    #[test]
    fn parse_bool_is_go_parse_bool() {
        for s in ["1", "t", "T", "TRUE", "true", "True"] {
            assert_eq!(go_parse_bool(s), Ok(true));
        }
        for s in ["0", "f", "F", "FALSE", "false", "False"] {
            assert_eq!(go_parse_bool(s), Ok(false));
        }
        for s in ["tRUE", "yes", "on", " true", "", "no", "2"] {
            assert!(go_parse_bool(s).is_err(), "{s}");
        }
    }

    #[test]
    fn datetime_parse_table() {
        for s in [
            "2006-01-02T15:04:05Z",
            "2006-01-02T15:04:05+07:00",
            "2006-01-02T15:04:05-00:00",
            "2006-01-02T15:04:05.123456789Z",
            "2006-01-02T15:04:05,5Z",
            "2006-01-02T1:04:05Z",
            "2006-01-02T15:04:05+23:59",
            "2006-01-02T15:04:05+24:00",
            "2006-01-02T15:04:05+00:60",
            "0000-01-01T00:00:00Z",
            "2006-01-02",
            "2024-02-29",
            "2000-02-29",
        ] {
            assert!(parse_datetime(s).is_ok(), "{s} should parse");
        }
        for s in [
            "2006-01-02t15:04:05z",
            "2006-01-02 15:04:05Z",
            "2006-01-02T15:04:05",
            "2006-01-02T24:00:00Z",
            "2006-01-02T15:04:60Z",
            "2006-02-30T15:04:05Z",
            "2006-1-2",
            "2006-01-02Z",
            "20060102",
            "2006-01-02T15:04Z",
            "2006-01-02T15:04:05+0700",
            "2006-01-02T15:04:05+07",
            "2006-01-02T15:04:05.Z",
            " 2006-01-02",
            "2006-01-02 ",
            "2023-02-29",
            "1900-02-29",
            "2006-13-01",
            "2006-00-01",
            "2006-01-00",
            "2006-01-02T015:04:05Z",
            "2006-01-02T15:04:05+25:00",
            "2006-01-02T15:04:05+00:61",
            "2006-01-02T15:04:05Zjunk",
            "1136214245",
            "",
        ] {
            assert!(parse_datetime(s).is_err(), "{s} should fail");
        }
    }

    #[test]
    fn datetime_instants() {
        let at = |s| parse_datetime(s).expect(s);
        assert_eq!(
            at("2006-01-02T15:04:05Z"),
            Instant {
                seconds: 1_136_214_245,
                nanos: 0
            }
        );
        assert_eq!(
            at("1970-01-01"),
            Instant {
                seconds: 0,
                nanos: 0
            }
        );
        assert_eq!(at("2006-01-02T22:04:05+07:00"), at("2006-01-02T15:04:05Z"));
        assert_eq!(at("2006-01-02T1:04:05Z"), at("2006-01-02T01:04:05Z"));
        assert_eq!(at("2006-01-02T15:04:05+24:00"), at("2006-01-01T15:04:05Z"));
        assert_eq!(at("2006-01-02T00:00:00Z"), at("2006-01-02"));
        assert_eq!(
            at("2006-01-02T15:04:05.0000000001Z"),
            at("2006-01-02T15:04:05Z")
        );
        assert_eq!(at("2006-01-02T15:04:05,5Z").nanos, 500_000_000);
        assert_eq!(at("2006-01-02T15:04:05.123456789Z").nanos, 123_456_789);
        assert_eq!(at("2006-01-02T15:04:05.1234567899Z").nanos, 123_456_789);
        assert!(at("0000-01-01T00:00:00Z").seconds < 0);
        assert_eq!(
            at("2000-03-01"),
            Instant {
                seconds: 951_868_800,
                nanos: 0
            }
        );
    }

    #[test]
    fn string_arrays_follow_encoding_json() {
        let ok: &[(&str, &[&str])] = &[
            (r#"["bar", "baz"]"#, &["bar", "baz"]),
            (r#" [ "a" , null ] "#, &["a", ""]),
            ("null", &[]),
            (" null ", &[]),
            ("[]", &[]),
            ("[ ]", &[]),
            (
                r#"["a\"b", "\u00e9", "\ud83d\ude00", "\t\/"]"#,
                &["a\"b", "é", "😀", "\t/"],
            ),
            (r#"["\ud800"]"#, &["\u{FFFD}"]),
            (r#"["\ud800\u0041"]"#, &["\u{FFFD}A"]),
            (r#"["\udc00\ud800"]"#, &["\u{FFFD}\u{FFFD}"]),
        ];
        for (s, want) in ok {
            let got = json_string_array(s).expect(s);
            assert_eq!(&got, want, "{s}");
        }
        for s in [
            r#"["bar", "baz""#,
            r#"["bar", 5]"#,
            r#""a""#,
            "{}",
            "[true]",
            "[[]]",
            r#"["a",]"#,
            "[,]",
            r#"["a"] x"#,
            "nul",
            "null x",
            "",
            "[\"a\nb\"]",
            r#"["\x"]"#,
            r#"["\u12"]"#,
            "[bad",
        ] {
            assert!(json_string_array(s).is_err(), "{s:?} should fail");
        }
    }

    #[test]
    fn number_arrays_follow_encoding_json() {
        let ok: &[(&str, &[f64])] = &[
            ("[3, 3.25, 4]", &[3.0, 3.25, 4.0]),
            ("[1, null]", &[1.0, 0.0]),
            ("null", &[]),
            ("[-0.5e2, 0, 1E3]", &[-50.0, 0.0, 1000.0]),
            ("[1e-400]", &[0.0]),
        ];
        for (s, want) in ok {
            assert_eq!(&json_number_array(s).expect(s), want, "{s}");
        }
        for s in [
            "[01]",
            "[+1]",
            "[.5]",
            "[NaN]",
            r#"["5"]"#,
            "[5, \"str\"]",
            "[1e400]",
            "[5, 6",
            "[1.]",
            "[-]",
            "[1e]",
            "[true]",
            "5",
            "[0x10]",
            "[1_0]",
        ] {
            assert!(json_number_array(s).is_err(), "{s:?} should fail");
        }
    }
}
