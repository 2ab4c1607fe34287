//! REST JSON for the generated messages, matching Flipt's grpc-gateway (Go `protojson`).
//!
//! Writing ([`to_vec`], [`to_writer`], [`to_string`]): the pbjson impls already produce the
//! proto3 JSON shape (camelCase names, defaults emitted, enums by name); this module adds what
//! serde_json cannot do on its own:
//! - `float`/`double` values print as Go does: the shortest decimal that round-trips at the
//!   field's own width (f32 is never widened), no `.0` on integral values (`100`, `33.3`), and
//!   exponent notation only below 1e-6 or from 1e21 up (`1e-7`, `1e+21`);
//! - NaN and ±Infinity print as the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (serde_json
//!   would print `null`).
//!
//! Reading ([`from_slice`], [`from_value`]): request bodies are normalised against the message
//! schema (from [`crate::FILE_DESCRIPTOR_SET`]) before the pbjson impls run, because pbjson
//! alone rejects some inputs Flipt accepts:
//! - `null` for a field means "absent" (pbjson errors on `null` for scalar fields), except for
//!   `google.protobuf.Value` fields, where `null` is a value;
//! - `null` values in a `map<string, string>` become `""`;
//! - when both the camelCase and the snake_case name of a field occur, the camelCase one wins
//!   (pbjson would report a duplicate field);
//! - an empty (or whitespace-only) body is an empty message.
//!
//! Not reproduced: the gateway's `?pretty` mode (indented output without zero values).

use std::collections::HashMap;
use std::io;
use std::sync::OnceLock;

use prost::Message as _;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FieldDescriptorProto, FileDescriptorSet};
use serde::de::DeserializeOwned;
use serde::ser::{
    SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant, SerializeTuple,
    SerializeTupleStruct, SerializeTupleVariant,
};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::ser::Formatter;
use serde_json::{Map, Value};

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/// Serializes `value` as compact protobuf JSON in Flipt's gateway format.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    // Room for a typical response, so that most need no reallocation.
    let mut out = Vec::with_capacity(1024);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, ProtoJsonFormatter);
    value.serialize(NonFinite(&mut ser))?;
    Ok(out)
}

/// Serializes `value` like [`to_vec`] into `writer`, without buffering the whole text.
pub fn to_writer<W: io::Write, T: Serialize + ?Sized>(
    writer: W,
    value: &T,
) -> Result<(), serde_json::Error> {
    let mut ser = serde_json::Serializer::with_formatter(writer, ProtoJsonFormatter);
    value.serialize(NonFinite(&mut ser))
}

/// Like [`to_vec`], returning a `String`.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let bytes = to_vec(value)?;
    // serde_json only ever writes valid UTF-8
    String::from_utf8(bytes).map_err(|e| serde::ser::Error::custom(e.to_string()))
}

/// Formats a finite `f32` as Go's `protojson` does (shortest round-trip digits at 32 bits).
pub fn format_f32(value: f32) -> String {
    let mut out = Vec::with_capacity(16);
    // Writing into a Vec cannot fail, and only ASCII is written.
    let _ = write_float(&mut out, value, plain_range_f32(value.abs()));
    String::from_utf8(out).unwrap_or_default()
}

/// Formats a finite `f64` as Go's `protojson` does (shortest round-trip digits).
pub fn format_f64(value: f64) -> String {
    let mut out = Vec::with_capacity(24);
    let _ = write_float(&mut out, value, plain_range(value.abs()));
    String::from_utf8(out).unwrap_or_default()
}

/// Whether Go prints a float of this magnitude without an exponent.
fn plain_range(abs: f64) -> bool {
    abs == 0.0 || (1e-6..1e21).contains(&abs)
}

/// [`plain_range`] at 32 bits (the bounds are f32 literals, as Go compares them).
fn plain_range_f32(abs: f32) -> bool {
    abs == 0.0 || (1e-6..1e21).contains(&abs)
}

/// Writes a finite float: plain decimal (Rust's `Display`: shortest round-trip digits, no
/// exponent, no `.0`) or Go's exponent form. Rust writes `1e21` / `1e-7`; Go writes `1e+21` /
/// `1e-7` (after protojson's cleanup of `e-07`); positive exponents are always >= 21 here, so
/// no zero padding is needed. Formats on the stack: responses carry a float each.
fn write_float<W, F>(writer: &mut W, value: F, plain: bool) -> io::Result<()>
where
    W: ?Sized + io::Write,
    F: std::fmt::Display + std::fmt::LowerExp,
{
    use std::fmt::Write as _;
    let mut text = StackText::default();
    let written = if plain {
        write!(text, "{value}")
    } else {
        write!(text, "{value:e}")
    };
    if written.is_err() {
        // Longer than any f32/f64 rendering; kept correct all the same.
        let long = if plain {
            format!("{value}")
        } else {
            format!("{value:e}")
        };
        return write_go_exponent(writer, long.as_bytes());
    }
    write_go_exponent(writer, text.as_bytes())
}

fn write_go_exponent<W: ?Sized + io::Write>(writer: &mut W, text: &[u8]) -> io::Result<()> {
    match text.iter().position(|&b| b == b'e') {
        Some(pos) if text.get(pos + 1) != Some(&b'-') => {
            let (mantissa, exponent) = text.split_at(pos + 1);
            writer.write_all(mantissa)?;
            writer.write_all(b"+")?;
            writer.write_all(exponent)
        }
        _ => writer.write_all(text),
    }
}

/// A small text buffer on the stack for formatting numbers.
struct StackText {
    buf: [u8; 48],
    len: usize,
}

impl Default for StackText {
    fn default() -> Self {
        StackText {
            buf: [0; 48],
            len: 0,
        }
    }
}

impl StackText {
    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// serde_json formatter with Go-compatible float output. Non-finite values never reach it
/// (the [`NonFinite`] adapter turns them into strings first).
#[derive(Debug, Clone, Copy, Default)]
pub struct ProtoJsonFormatter;

impl Formatter for ProtoJsonFormatter {
    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        write_float(writer, value, plain_range_f32(value.abs()))
    }

    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        write_float(writer, value, plain_range(value.abs()))
    }
}

fn non_finite_name(is_nan: bool, positive: bool) -> &'static str {
    match (is_nan, positive) {
        (true, _) => "NaN",
        (false, true) => "Infinity",
        (false, false) => "-Infinity",
    }
}

/// Serializer adapter that writes non-finite floats as protobuf JSON strings and passes
/// everything else through to the wrapped serializer (recursively).
struct NonFinite<S>(S);

/// A value to be serialized through [`NonFinite`].
struct Wrap<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for Wrap<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(NonFinite(serializer))
    }
}

macro_rules! forward {
    ($($method:ident($ty:ty);)*) => {
        $(fn $method(self, v: $ty) -> Result<Self::Ok, Self::Error> { self.0.$method(v) })*
    };
}

impl<S: Serializer> Serializer for NonFinite<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = NonFinite<S::SerializeSeq>;
    type SerializeTuple = NonFinite<S::SerializeTuple>;
    type SerializeTupleStruct = NonFinite<S::SerializeTupleStruct>;
    type SerializeTupleVariant = NonFinite<S::SerializeTupleVariant>;
    type SerializeMap = SortedMap<S::SerializeMap>;
    type SerializeStruct = NonFinite<S::SerializeStruct>;
    type SerializeStructVariant = NonFinite<S::SerializeStructVariant>;

    forward! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_unit_struct(&'static str);
    }

    fn serialize_f32(self, v: f32) -> Result<Self::Ok, Self::Error> {
        if v.is_finite() {
            self.0.serialize_f32(v)
        } else {
            self.0
                .serialize_str(non_finite_name(v.is_nan(), v.is_sign_positive()))
        }
    }

    fn serialize_f64(self, v: f64) -> Result<Self::Ok, Self::Error> {
        if v.is_finite() {
            self.0.serialize_f64(v)
        } else {
            self.0
                .serialize_str(non_finite_name(v.is_nan(), v.is_sign_positive()))
        }
    }

    fn serialize_none(self) -> Result<Self::Ok, Self::Error> {
        self.0.serialize_none()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Self::Error> {
        self.0.serialize_some(&Wrap(value))
    }

    fn serialize_unit(self) -> Result<Self::Ok, Self::Error> {
        self.0.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        variant_index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok, Self::Error> {
        self.0.serialize_unit_variant(name, variant_index, variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Self::Error> {
        self.0.serialize_newtype_struct(name, &Wrap(value))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        variant_index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Self::Error> {
        self.0
            .serialize_newtype_variant(name, variant_index, variant, &Wrap(value))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, Self::Error> {
        self.0.serialize_seq(len).map(NonFinite)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, Self::Error> {
        self.0.serialize_tuple(len).map(NonFinite)
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, Self::Error> {
        self.0.serialize_tuple_struct(name, len).map(NonFinite)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        variant_index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, Self::Error> {
        self.0
            .serialize_tuple_variant(name, variant_index, variant, len)
            .map(NonFinite)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, Self::Error> {
        Ok(SortedMap {
            inner: self.0.serialize_map(len)?,
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, Self::Error> {
        self.0.serialize_struct(name, len).map(NonFinite)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        variant_index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, Self::Error> {
        self.0
            .serialize_struct_variant(name, variant_index, variant, len)
            .map(NonFinite)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

impl<S: SerializeSeq> SerializeSeq for NonFinite<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_element(&Wrap(value))
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: SerializeTuple> SerializeTuple for NonFinite<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_element(&Wrap(value))
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: SerializeTupleStruct> SerializeTupleStruct for NonFinite<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_field(&Wrap(value))
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: SerializeTupleVariant> SerializeTupleVariant for NonFinite<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_field(&Wrap(value))
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

/// A map written in key order, as Go's `protojson` writes every map. Most maps here are
/// `BTreeMap`s and sorted already, but `google.protobuf.Struct` (flag metadata) is a `HashMap`
/// in pbjson-types, whose order would change from one response to the next. Entries are
/// rendered on their own, then written sorted by key.
struct SortedMap<S> {
    inner: S,
    entries: Vec<(String, Box<serde_json::value::RawValue>)>,
    key: Option<String>,
}

impl<S: SerializeMap> SerializeMap for SortedMap<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), S::Error> {
        // Proto JSON map keys are always strings (integer and boolean keys are quoted).
        let key = match serde_json::to_value(key).map_err(serde::ser::Error::custom)? {
            Value::String(key) => key,
            other => other.to_string(),
        };
        self.key = Some(key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| serde::ser::Error::custom("map value without a key"))?;
        let text = to_string(value).map_err(serde::ser::Error::custom)?;
        let raw =
            serde_json::value::RawValue::from_string(text).map_err(serde::ser::Error::custom)?;
        self.entries.push((key, raw));
        Ok(())
    }

    fn end(mut self) -> Result<S::Ok, S::Error> {
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, value) in &self.entries {
            self.inner.serialize_entry(key, value)?;
        }
        self.inner.end()
    }
}

impl<S: SerializeStruct> SerializeStruct for NonFinite<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, &Wrap(value))
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: SerializeStructVariant> SerializeStructVariant for NonFinite<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, &Wrap(value))
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/// Parses a request body into message `T` (see the module docs for the accepted forms).
///
/// Errors are serde_json errors: malformed JSON, type mismatches, unknown enum names.
pub fn from_slice<T: DeserializeOwned + prost::Name>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    let value = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        // Fast path: a body that needs none of the normalisations (no nulls, no field given
        // under both names) decodes directly, without building a `Value` tree first. Every
        // body the normalisations change makes the generated decoder fail (null where a
        // string or map value is expected, a duplicate field), so falling back on error gives
        // the same result as always normalising.
        if let Ok(message) = serde_json::from_slice::<T>(bytes) {
            return Ok(message);
        }
        serde_json::from_slice(bytes)?
    };
    from_value(value)
}

/// Like [`from_slice`] for an already parsed JSON value (e.g. one built from query parameters).
pub fn from_value<T: DeserializeOwned + prost::Name>(
    mut value: Value,
) -> Result<T, serde_json::Error> {
    normalize(&mut value, &T::full_name());
    serde_json::from_value(value)
}

/// Applies the request normalisation rules of the module docs to `value`, read as message
/// `full_name` (e.g. `"flipt.CreateFlagRequest"`). Unknown message names leave `value` as is.
pub fn normalize(value: &mut Value, full_name: &str) {
    let schema = schema();
    let name = full_name.trim_start_matches('.');
    if let Some(message) = schema.get(name) {
        normalize_message(schema, message, value);
    }
}

type Schema = HashMap<String, DescriptorProto>;

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut messages = HashMap::new();
        // The descriptor set is produced by our own build script; a decode failure would be a
        // build bug, and then normalisation simply finds no messages.
        let fds = FileDescriptorSet::decode(crate::FILE_DESCRIPTOR_SET).unwrap_or_default();
        for file in fds.file {
            let package = file.package.unwrap_or_default();
            for message in file.message_type {
                collect(&mut messages, &package, message);
            }
        }
        messages
    })
}

fn collect(messages: &mut Schema, scope: &str, message: DescriptorProto) {
    let full = if scope.is_empty() {
        message.name().to_owned()
    } else {
        format!("{scope}.{}", message.name())
    };
    for nested in &message.nested_type {
        collect(messages, &full, nested.clone());
    }
    messages.insert(full, message);
}

/// What a field's JSON value is, for normalisation purposes.
enum Shape<'a> {
    /// A message of ours: normalise recursively.
    Message(&'a DescriptorProto),
    /// A map field; the entry message's value field decides how values are treated.
    Map(&'a FieldDescriptorProto),
    /// `google.protobuf.Value`, where `null` is a value.
    ProtoValue,
    /// Scalars, enums and the other well-known types: left as is.
    Opaque,
}

fn shape<'a>(schema: &'a Schema, field: &FieldDescriptorProto) -> Shape<'a> {
    if field.r#type() != Type::Message {
        return Shape::Opaque;
    }
    let type_name = field.type_name().trim_start_matches('.');
    if type_name == "google.protobuf.Value" {
        return Shape::ProtoValue;
    }
    if type_name.starts_with("google.protobuf.") {
        return Shape::Opaque;
    }
    match schema.get(type_name) {
        Some(entry) if entry.options.as_ref().is_some_and(|o| o.map_entry()) => entry
            .field
            .iter()
            .find(|f| f.number() == 2)
            .map_or(Shape::Opaque, Shape::Map),
        Some(message) => Shape::Message(message),
        None => Shape::Opaque,
    }
}

fn normalize_message(schema: &Schema, message: &DescriptorProto, value: &mut Value) {
    let Value::Object(object) = value else {
        return;
    };
    for field in &message.field {
        let proto_name = field.name();
        let json_name = field
            .json_name
            .clone()
            .unwrap_or_else(|| lower_camel(proto_name));
        if json_name != proto_name && object.contains_key(&json_name) {
            object.remove(proto_name);
        }
        let key = if object.contains_key(&json_name) {
            json_name
        } else if object.contains_key(proto_name) {
            proto_name.to_owned()
        } else {
            continue;
        };
        let shape = shape(schema, field);
        let repeated = field.label() == Label::Repeated;
        let is_null = object.get(&key).is_some_and(Value::is_null);
        if is_null {
            if repeated || !matches!(shape, Shape::ProtoValue) {
                object.remove(&key);
            }
            continue;
        }
        let Some(inner) = object.get_mut(&key) else {
            continue;
        };
        match shape {
            Shape::Message(nested) if repeated => {
                if let Value::Array(items) = inner {
                    for item in items {
                        normalize_message(schema, nested, item);
                    }
                }
            }
            Shape::Message(nested) => normalize_message(schema, nested, inner),
            Shape::Map(value_field) => {
                if let Value::Object(entries) = inner {
                    normalize_map_values(schema, value_field, entries);
                }
            }
            Shape::ProtoValue | Shape::Opaque => {}
        }
    }
}

fn normalize_map_values(
    schema: &Schema,
    value_field: &FieldDescriptorProto,
    entries: &mut Map<String, Value>,
) {
    match shape(schema, value_field) {
        Shape::Message(nested) => {
            for entry in entries.values_mut() {
                normalize_message(schema, nested, entry);
            }
        }
        Shape::Opaque if value_field.r#type() == Type::String => {
            for entry in entries.values_mut() {
                if entry.is_null() {
                    *entry = Value::String(String::new());
                }
            }
        }
        _ => {}
    }
}

/// protoc's JSON name rule (used only if a descriptor lacks `json_name`).
fn lower_camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// An enum field as requests carry it: the value's name, or any int32 (kept even when the
/// enum does not define it, so validation can name it, as Flipt does).
pub struct OpenEnum<E>(pub i32, std::marker::PhantomData<E>);

impl<'de, E> Deserialize<'de> for OpenEnum<E>
where
    E: Deserialize<'de> + Into<i32>,
{
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<E>(std::marker::PhantomData<E>);

        impl<'de, E> serde::de::Visitor<'de> for Visitor<E>
        where
            E: Deserialize<'de> + Into<i32>,
        {
            type Value = OpenEnum<E>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an enum value name or an int32")
            }

            fn visit_i64<Er: serde::de::Error>(self, v: i64) -> Result<Self::Value, Er> {
                i32::try_from(v)
                    .map(|n| OpenEnum(n, std::marker::PhantomData))
                    .map_err(|_| Er::invalid_value(serde::de::Unexpected::Signed(v), &self))
            }

            fn visit_u64<Er: serde::de::Error>(self, v: u64) -> Result<Self::Value, Er> {
                i32::try_from(v)
                    .map(|n| OpenEnum(n, std::marker::PhantomData))
                    .map_err(|_| Er::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
            }

            fn visit_str<Er: serde::de::Error>(self, v: &str) -> Result<Self::Value, Er> {
                let named = E::deserialize(serde::de::value::StrDeserializer::<Er>::new(v))?;
                Ok(OpenEnum(named.into(), std::marker::PhantomData))
            }
        }

        deserializer.deserialize_any(Visitor(std::marker::PhantomData))
    }
}
