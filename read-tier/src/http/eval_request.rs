//! REST evaluation bodies decoded in place: the strings of a request borrow from the body
//! (unless they contain escapes), and the context is a short list of pairs, so an evaluation
//! request costs no allocation per property.
//!
//! The in-place decoder takes the common shape only: an object whose known fields (under
//! either of their proto3 JSON names) are strings, whose `context` holds string values under
//! distinct keys, and whose unknown fields are skipped. Anything else (nulls, a field given
//! twice, a repeated context key, a very large context, a malformed body) is decoded again by
//! the canonical decoder, [`flipt_shared::gateway::decode`], so the result or the error is
//! always the one that decoder gives.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use flipt_proto::flipt::evaluation as ev;
use flipt_shared::engine::Context;
use flipt_shared::gateway::decode;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::service::evaluation::EvalInput;

/// Most context properties the in-place decoder keeps as a list.
const MAX_PAIRS: usize = 32;

/// An evaluation request of `/evaluate/v1/variant` and `/boolean`, and a batch item.
#[derive(Debug, Default, PartialEq)]
pub struct EvalRequest<'a> {
    request_id: Cow<'a, str>,
    namespace_key: Cow<'a, str>,
    flag_key: Cow<'a, str>,
    entity_id: Cow<'a, str>,
    context: Properties<'a>,
}

/// A request's context.
#[derive(Debug, PartialEq)]
pub enum Properties<'a> {
    /// Distinct keys, in body order.
    Pairs(Vec<(Cow<'a, str>, Cow<'a, str>)>),
    /// From the canonical decoder.
    Map(BTreeMap<String, String>),
}

impl Default for Properties<'_> {
    fn default() -> Self {
        Properties::Pairs(Vec::new())
    }
}

impl Context for Properties<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        match self {
            Properties::Pairs(pairs) => pairs
                .iter()
                .find(|(k, _)| k.as_ref() == key)
                .map(|(_, v)| v.as_ref()),
            Properties::Map(map) => Context::get(map, key),
        }
    }
}

impl<'a> EvalInput for EvalRequest<'a> {
    type Context = Properties<'a>;
    fn request_id(&self) -> &str {
        &self.request_id
    }
    fn namespace_key(&self) -> &str {
        &self.namespace_key
    }
    fn flag_key(&self) -> &str {
        &self.flag_key
    }
    fn entity_id(&self) -> &str {
        &self.entity_id
    }
    fn context(&self) -> &Self::Context {
        &self.context
    }
}

impl From<ev::EvaluationRequest> for EvalRequest<'static> {
    fn from(m: ev::EvaluationRequest) -> Self {
        EvalRequest {
            request_id: Cow::Owned(m.request_id),
            namespace_key: Cow::Owned(m.namespace_key),
            flag_key: Cow::Owned(m.flag_key),
            entity_id: Cow::Owned(m.entity_id),
            context: Properties::Map(m.context),
        }
    }
}

/// A batch request of `/evaluate/v1/batch`.
#[derive(Debug, Default, PartialEq)]
pub struct BatchRequest<'a> {
    pub request_id: Cow<'a, str>,
    pub requests: Vec<EvalRequest<'a>>,
}

impl From<ev::BatchEvaluationRequest> for BatchRequest<'static> {
    fn from(m: ev::BatchEvaluationRequest) -> Self {
        BatchRequest {
            request_id: Cow::Owned(m.request_id),
            requests: m.requests.into_iter().map(EvalRequest::from).collect(),
        }
    }
}

/// Decodes an evaluation request body.
pub fn decode_one(body: &[u8]) -> flipt_shared::Result<EvalRequest<'_>> {
    if let Ok(InPlace(req)) = serde_json::from_slice::<InPlace<EvalRequest<'_>>>(body) {
        return Ok(req);
    }
    decode::<ev::EvaluationRequest>(body).map(EvalRequest::from)
}

/// Decodes a batch request body.
pub fn decode_batch(body: &[u8]) -> flipt_shared::Result<BatchRequest<'_>> {
    if let Ok(InPlace(req)) = serde_json::from_slice::<InPlace<BatchRequest<'_>>>(body) {
        return Ok(req);
    }
    decode::<ev::BatchEvaluationRequest>(body).map(BatchRequest::from)
}

/// A value decoded by the in-place decoder (which refuses what it does not take; the error
/// text does not matter, the canonical decoder runs next).
struct InPlace<T>(T);

/// A JSON string, borrowed from the body when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

/// Sets a field once; a second value (under either name) is refused.
fn set_once<'a, E: de::Error>(slot: &mut Option<Cow<'a, str>>, value: Text<'a>) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::custom("field given twice"));
    }
    *slot = Some(value.0);
    Ok(())
}

impl<'de> Deserialize<'de> for InPlace<EvalRequest<'de>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RequestVisitor;
        impl<'de> Visitor<'de> for RequestVisitor {
            type Value = InPlace<EvalRequest<'de>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an evaluation request")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut request_id, mut namespace_key, mut flag_key, mut entity_id) =
                    (None, None, None, None);
                let (mut reference, mut context) = (None, None);
                while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
                    let slot = match key.as_ref() {
                        "requestId" | "request_id" => &mut request_id,
                        "namespaceKey" | "namespace_key" => &mut namespace_key,
                        "flagKey" | "flag_key" => &mut flag_key,
                        "entityId" | "entity_id" => &mut entity_id,
                        "reference" => &mut reference,
                        "context" => {
                            if context.is_some() {
                                return Err(de::Error::custom("field given twice"));
                            }
                            context = Some(map.next_value::<InPlace<Properties<'de>>>()?.0);
                            continue;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    set_once(slot, map.next_value::<Text<'de>>()?)?;
                }
                Ok(InPlace(EvalRequest {
                    request_id: request_id.unwrap_or_default(),
                    namespace_key: namespace_key.unwrap_or_default(),
                    flag_key: flag_key.unwrap_or_default(),
                    entity_id: entity_id.unwrap_or_default(),
                    context: context.unwrap_or_default(),
                }))
            }
        }
        deserializer.deserialize_map(RequestVisitor)
    }
}

impl<'de> Deserialize<'de> for InPlace<Properties<'de>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PropertiesVisitor;
        impl<'de> Visitor<'de> for PropertiesVisitor {
            type Value = InPlace<Properties<'de>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs: Vec<(Cow<'de, str>, Cow<'de, str>)> =
                    Vec::with_capacity(map.size_hint().unwrap_or(8).min(MAX_PAIRS));
                while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
                    if pairs.len() == MAX_PAIRS || pairs.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom("context left to the canonical decoder"));
                    }
                    let Text(value) = map.next_value::<Text<'de>>()?;
                    pairs.push((key, value));
                }
                Ok(InPlace(Properties::Pairs(pairs)))
            }
        }
        deserializer.deserialize_map(PropertiesVisitor)
    }
}

impl<'de> Deserialize<'de> for InPlace<BatchRequest<'de>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BatchVisitor;
        impl<'de> Visitor<'de> for BatchVisitor {
            type Value = InPlace<BatchRequest<'de>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a batch evaluation request")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut request_id, mut reference, mut requests) = (None, None, None);
                while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
                    match key.as_ref() {
                        "requestId" | "request_id" => {
                            set_once(&mut request_id, map.next_value::<Text<'de>>()?)?
                        }
                        "reference" => set_once(&mut reference, map.next_value::<Text<'de>>()?)?,
                        "requests" => {
                            if requests.is_some() {
                                return Err(de::Error::custom("field given twice"));
                            }
                            requests = Some(map.next_value::<InPlace<Items<'de>>>()?.0 .0);
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(InPlace(BatchRequest {
                    request_id: request_id.unwrap_or_default(),
                    requests: requests.unwrap_or_default(),
                }))
            }
        }
        deserializer.deserialize_map(BatchVisitor)
    }
}

/// A batch's `requests` list.
struct Items<'a>(Vec<EvalRequest<'a>>);

impl<'de> Deserialize<'de> for InPlace<Items<'de>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor;
        impl<'de> Visitor<'de> for ItemsVisitor {
            type Value = InPlace<Items<'de>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of evaluation requests")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(8).min(1024));
                while let Some(InPlace(item)) = seq.next_element::<InPlace<EvalRequest<'de>>>()? {
                    items.push(item);
                }
                Ok(InPlace(Items(items)))
            }
        }
        deserializer.deserialize_seq(ItemsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request as plain values, for comparing the two decoders.
    type Plain = (String, String, String, String, BTreeMap<String, String>);

    fn plain(req: &EvalRequest<'_>) -> Plain {
        let context = match &req.context {
            Properties::Pairs(pairs) => pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            Properties::Map(map) => map.clone(),
        };
        (
            req.request_id.to_string(),
            req.namespace_key.to_string(),
            req.flag_key.to_string(),
            req.entity_id.to_string(),
            context,
        )
    }

    fn canonical(body: &str) -> Result<Plain, String> {
        decode::<ev::EvaluationRequest>(body.as_bytes())
            .map(|m| plain(&EvalRequest::from(m)))
            .map_err(|e| e.to_string())
    }

    fn in_place(body: &str) -> bool {
        serde_json::from_slice::<InPlace<EvalRequest<'_>>>(body.as_bytes()).is_ok()
    }

    const BODIES: &[&str] = &[
        r#"{"namespaceKey":"default","flagKey":"f","entityId":"u1","context":{"a":"1","b":"2"}}"#,
        r#"{"namespace_key":"ns","flag_key":"f","entity_id":"u1","request_id":"r"}"#,
        r#"{"flagKey":"f","entityId":"u1","requestId":"r","reference":"main"}"#,
        r#"{"flagKey":"f","entityId":"u1","extra":{"x":[1,{"y":null}]},"more":3}"#,
        r#"{"flagKey":"f\u00e9\n","entityId":"\"quoted\"","context":{"k\u0041":"v\\"}}"#,
        r#"  {"flagKey":"f"}  "#,
        r#"{}"#,
        r#"{"flagKey":"f","context":{}}"#,
        r#"{"flagKey":"ünïcødé ✓","entityId":"😀","context":{"ключ":"значение"}}"#,
        // Left to the canonical decoder: each must give its answer.
        r#"{"flagKey":"f","flag_key":"g"}"#,
        r#"{"flagKey":"f","flagKey":"f"}"#,
        r#"{"flagKey":"f","context":{"a":"1","a":"2"}}"#,
        r#"{"flagKey":null,"entityId":"u1"}"#,
        r#"{"flagKey":"f","context":{"a":null}}"#,
        r#"{"flagKey":"f","context":null}"#,
        r#"{"flagKey":"f","context":{"a":1}}"#,
        r#"{"flagKey":"f","context":{"a":true}}"#,
        r#"{"flagKey":1}"#,
        r#"{"flagKey":"f","context":"x"}"#,
        r#"{"flagKey":"f","context":{"a":"1"},"context":{"b":"2"}}"#,
        r#"{"flagKey":"f""#,
        r#"{"flagKey":"f"} x"#,
        r#"[]"#,
        r#""f""#,
        r#"null"#,
        "",
        "   ",
    ];

    #[test]
    fn both_decoders_agree() {
        for body in BODIES {
            let got = decode_one(body.as_bytes())
                .map(|r| plain(&r))
                .map_err(|e| e.to_string());
            assert_eq!(got, canonical(body), "{body}");
        }
    }

    #[test]
    fn common_bodies_are_decoded_in_place_and_borrowed() {
        for body in &BODIES[..9] {
            assert!(in_place(body), "{body}");
        }
        for body in &BODIES[9..] {
            assert!(!in_place(body), "{body}");
        }
        let body = BODIES[0].as_bytes();
        let req = decode_one(body).unwrap();
        assert!(matches!(req.flag_key, Cow::Borrowed("f")));
        let Properties::Pairs(pairs) = &req.context else {
            panic!("pairs expected");
        };
        assert!(pairs
            .iter()
            .all(|(k, v)| matches!((k, v), (Cow::Borrowed(_), Cow::Borrowed(_)))));
        assert_eq!(req.context.get("b"), Some("2"));
        assert_eq!(req.context.get("c"), None);
    }

    #[test]
    fn large_contexts_take_the_canonical_decoder() {
        let pairs: Vec<String> = (0..=MAX_PAIRS)
            .map(|i| format!("\"k{i}\":\"{i}\""))
            .collect();
        let body = format!(r#"{{"flagKey":"f","context":{{{}}}}}"#, pairs.join(","));
        assert!(!in_place(&body));
        let req = decode_one(body.as_bytes()).unwrap();
        assert!(matches!(req.context, Properties::Map(_)));
        assert_eq!(req.context.get("k32"), Some("32"));
        let small = format!(
            r#"{{"flagKey":"f","context":{{{}}}}}"#,
            pairs[..MAX_PAIRS].join(",")
        );
        assert!(in_place(&small));
        assert_eq!(
            decode_one(small.as_bytes()).map(|r| plain(&r)).unwrap(),
            canonical(&small).unwrap()
        );
    }

    #[test]
    fn batches_agree_with_the_canonical_decoder() {
        let canonical_batch = |body: &str| {
            decode::<ev::BatchEvaluationRequest>(body.as_bytes())
                .map(|m| {
                    let b = BatchRequest::from(m);
                    (
                        b.request_id.to_string(),
                        b.requests.iter().map(plain).collect::<Vec<_>>(),
                    )
                })
                .map_err(|e| e.to_string())
        };
        let bodies = [
            format!(
                r#"{{"requestId":"r","requests":[{},{}]}}"#,
                BODIES[0], BODIES[1]
            ),
            format!(
                r#"{{"request_id":"r","reference":"x","requests":[{}],"other":1}}"#,
                BODIES[4]
            ),
            r#"{"requests":[]}"#.to_owned(),
            r#"{}"#.to_owned(),
            format!(r#"{{"requests":[{},{}]}}"#, BODIES[0], BODIES[11]),
            r#"{"requests":[null]}"#.to_owned(),
            r#"{"requests":null}"#.to_owned(),
            r#"{"requests":{}}"#.to_owned(),
            r#"{"requestId":"a","request_id":"b","requests":[]}"#.to_owned(),
            r#"{"requests":[{"flagKey":"f"}],"requests":[]}"#.to_owned(),
            "[".to_owned(),
        ];
        for body in &bodies {
            let got = decode_batch(body.as_bytes())
                .map(|b| {
                    (
                        b.request_id.to_string(),
                        b.requests.iter().map(plain).collect(),
                    )
                })
                .map_err(|e| e.to_string());
            assert_eq!(got, canonical_batch(body), "{body}");
        }
        assert!(serde_json::from_str::<InPlace<BatchRequest<'_>>>(&bodies[0]).is_ok());
        assert!(serde_json::from_str::<InPlace<BatchRequest<'_>>>(&bodies[4]).is_err());
    }
}
