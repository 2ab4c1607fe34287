//! The JSON of evaluation answers, written straight from the service's answers: the same
//! fields, order and formatting as the messages (`flipt_proto::json`), without building them.
//! Tests hold each view to the message's JSON.

use flipt_proto::flipt::evaluation as ev;
use flipt_proto::google::protobuf::Timestamp;
use flipt_shared::engine::{BooleanOutcome, VariantOutcome};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::service::evaluation::{Answer, BatchAnswer, Item};

/// The fields of a variant or boolean answer (`O`: the engine's outcome), for its JSON.
pub struct AnswerJson<'r, O> {
    pub outcome: &'r O,
    pub request_id: &'r str,
    pub flag_key: &'r str,
    pub duration_millis: f64,
    pub timestamp: &'r Timestamp,
}

/// A variant answer's JSON view.
pub type VariantJson<'r, 'a> = AnswerJson<'r, VariantOutcome<'a>>;
/// A boolean answer's JSON view.
pub type BooleanJson<'r, 'a> = AnswerJson<'r, BooleanOutcome<'a>>;

impl<'r, O> AnswerJson<'r, O> {
    pub fn of(answer: &'r Answer<'_, O>) -> Self {
        AnswerJson {
            outcome: &answer.outcome,
            request_id: &answer.request_id,
            flag_key: answer.flag_key,
            duration_millis: answer.duration_millis,
            timestamp: &answer.timestamp,
        }
    }

    /// A batch item's fields: its own request id and flag key, the batch's time and duration.
    fn in_batch(
        batch: &'r BatchAnswer<'_>,
        outcome: &'r O,
        request_id: &'r str,
        flag_key: &'r str,
    ) -> Self {
        AnswerJson {
            outcome,
            request_id,
            flag_key,
            duration_millis: batch.duration_millis,
            timestamp: &batch.timestamp,
        }
    }
}

/// `flipt.evaluation.VariantEvaluationResponse`.
impl Serialize for VariantJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("flipt.evaluation.VariantEvaluationResponse", 9)?;
        s.serialize_field("match", &self.outcome.matched)?;
        s.serialize_field("segmentKeys", &self.outcome.segment_keys)?;
        s.serialize_field("reason", &self.outcome.reason.v2())?;
        s.serialize_field("variantKey", self.outcome.variant_key)?;
        s.serialize_field("variantAttachment", self.outcome.variant_attachment)?;
        s.serialize_field("requestId", self.request_id)?;
        s.serialize_field("requestDurationMillis", &self.duration_millis)?;
        s.serialize_field("timestamp", self.timestamp)?;
        s.serialize_field("flagKey", self.flag_key)?;
        s.end()
    }
}

/// `flipt.evaluation.BooleanEvaluationResponse`.
impl Serialize for BooleanJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("flipt.evaluation.BooleanEvaluationResponse", 7)?;
        s.serialize_field("enabled", &self.outcome.enabled)?;
        s.serialize_field("reason", &self.outcome.reason.v2())?;
        s.serialize_field("requestId", self.request_id)?;
        s.serialize_field("requestDurationMillis", &self.duration_millis)?;
        s.serialize_field("timestamp", self.timestamp)?;
        s.serialize_field("flagKey", self.flag_key)?;
        s.serialize_field("segmentKeys", &self.outcome.segment_keys)?;
        s.end()
    }
}

/// `flipt.evaluation.BatchEvaluationResponse`.
pub struct BatchJson<'r, 'a>(pub &'r BatchAnswer<'a>);

impl Serialize for BatchJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let answer = self.0;
        let mut s = serializer.serialize_struct("flipt.evaluation.BatchEvaluationResponse", 3)?;
        s.serialize_field("requestId", &*answer.request_id)?;
        s.serialize_field("responses", &Items(answer))?;
        s.serialize_field("requestDurationMillis", &answer.duration_millis)?;
        s.end()
    }
}

/// A batch's `responses`.
struct Items<'r, 'a>(&'r BatchAnswer<'a>);

impl Serialize for Items<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.items.iter().map(|item| ItemJson(self.0, item)))
    }
}

/// `flipt.evaluation.EvaluationResponse`: one item with the batch's timestamp and duration.
struct ItemJson<'r, 'a>(&'r BatchAnswer<'a>, &'r Item<'a>);

impl Serialize for ItemJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ItemJson(batch, item) = *self;
        let mut s = serializer.serialize_struct("flipt.evaluation.EvaluationResponse", 2)?;
        match item {
            Item::Variant {
                outcome,
                request_id,
                flag_key,
            } => {
                s.serialize_field(
                    "type",
                    &ev::EvaluationResponseType::VariantEvaluationResponseType,
                )?;
                s.serialize_field(
                    "variantResponse",
                    &AnswerJson::in_batch(batch, outcome, request_id, flag_key),
                )?;
            }
            Item::Boolean {
                outcome,
                request_id,
                flag_key,
            } => {
                s.serialize_field(
                    "type",
                    &ev::EvaluationResponseType::BooleanEvaluationResponseType,
                )?;
                s.serialize_field(
                    "booleanResponse",
                    &AnswerJson::in_batch(batch, outcome, request_id, flag_key),
                )?;
            }
            Item::NotFound {
                flag_key,
                namespace_key,
            } => {
                s.serialize_field(
                    "type",
                    &ev::EvaluationResponseType::ErrorEvaluationResponseType,
                )?;
                s.serialize_field(
                    "errorResponse",
                    &ErrorJson {
                        flag_key,
                        namespace_key,
                    },
                )?;
            }
        }
        s.end()
    }
}

/// `flipt.evaluation.ErrorEvaluationResponse` (not found).
struct ErrorJson<'r> {
    flag_key: &'r str,
    namespace_key: &'r str,
}

impl Serialize for ErrorJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("flipt.evaluation.ErrorEvaluationResponse", 3)?;
        s.serialize_field("flagKey", self.flag_key)?;
        s.serialize_field("namespaceKey", self.namespace_key)?;
        s.serialize_field(
            "reason",
            &ev::ErrorEvaluationReason::NotFoundErrorEvaluationReason,
        )?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::evaluation::{batch_message, boolean_message, variant_message};
    use flipt_proto::json::to_vec;
    use flipt_shared::engine::Reason;

    fn text(json: serde_json::Result<Vec<u8>>) -> String {
        String::from_utf8(json.expect("serializes")).expect("utf-8")
    }

    const REASONS: [Reason; 4] = [
        Reason::Unknown,
        Reason::FlagDisabled,
        Reason::Match,
        Reason::Default,
    ];
    const KEYS: [&[&str]; 3] = [&[], &["one"], &["a\"quoted\"", "ünï\n", "z"]];
    const DURATIONS: [f64; 6] = [0.0, 0.012345, 1e-7, 3.0, 1234.5678, 2.5e21];
    const TIMES: [Timestamp; 3] = [
        Timestamp {
            seconds: 0,
            nanos: 0,
        },
        Timestamp {
            seconds: 1_767_225_600,
            nanos: 123_456_789,
        },
        Timestamp {
            seconds: 1_767_225_600,
            nanos: 5_000,
        },
    ];

    #[test]
    fn variant_and_boolean_views_write_the_messages_json() {
        let mut cases = 0;
        for (i, reason) in REASONS.into_iter().enumerate() {
            for (j, keys) in KEYS.into_iter().enumerate() {
                let duration = DURATIONS[(i + j) % DURATIONS.len()];
                let timestamp = TIMES[(i + 2 * j) % TIMES.len()];
                let (request_id, flag_key) = [("", "flag"), ("req-1", "f\\lag ✓")][(i + j) % 2];
                let variant = VariantOutcome {
                    matched: i % 2 == 0,
                    reason,
                    variant_key: ["", "control", "vär\"iant"][j],
                    variant_attachment: ["", r#"{"a":[1,2]}"#, "\u{1}"][i % 3],
                    segment_keys: keys.to_vec(),
                };
                let view = VariantJson {
                    outcome: &variant,
                    request_id,
                    flag_key,
                    duration_millis: duration,
                    timestamp: &timestamp,
                };
                let message = variant_message(&variant, request_id, flag_key, duration, timestamp);
                assert_eq!(text(to_vec(&view)), text(to_vec(&message)));
                let boolean = BooleanOutcome {
                    enabled: j % 2 == 1,
                    reason,
                    segment_keys: keys.to_vec(),
                };
                let view = BooleanJson {
                    outcome: &boolean,
                    request_id,
                    flag_key,
                    duration_millis: duration,
                    timestamp: &timestamp,
                };
                let message = boolean_message(&boolean, request_id, flag_key, duration, timestamp);
                assert_eq!(text(to_vec(&view)), text(to_vec(&message)));
                cases += 1;
            }
        }
        assert_eq!(cases, 12);
    }

    #[test]
    fn batch_view_writes_the_messages_json() {
        let items = || {
            vec![
                Item::Variant {
                    outcome: VariantOutcome {
                        matched: true,
                        reason: Reason::Match,
                        variant_key: "control",
                        variant_attachment: r#"{"x":1}"#,
                        segment_keys: vec!["beta", "eu"],
                    },
                    request_id: "",
                    flag_key: "v",
                },
                Item::NotFound {
                    flag_key: "missing",
                    namespace_key: "",
                },
                Item::Boolean {
                    outcome: BooleanOutcome {
                        enabled: true,
                        reason: Reason::Default,
                        segment_keys: vec![],
                    },
                    request_id: "inner",
                    flag_key: "b",
                },
                Item::NotFound {
                    flag_key: "x\"y",
                    namespace_key: "team",
                },
            ]
        };
        for (request_id, items, duration) in [
            ("batch-1", items(), 0.5),
            ("", Vec::new(), 0.0),
            ("r", items(), 1e-9),
        ] {
            let answer = BatchAnswer {
                request_id: request_id.into(),
                items,
                duration_millis: duration,
                timestamp: TIMES[1],
            };
            assert_eq!(
                text(to_vec(&BatchJson(&answer))),
                text(to_vec(&batch_message(&answer)))
            );
        }
    }
}
