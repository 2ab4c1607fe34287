//! The client-side snapshot document (`flipt.evaluation.EvaluationNamespaceSnapshot`,
//! evaluation.md §9 and api.md §6) and the `X-Flipt-Accept-Server-Version` gate.
//!
//! Differences from Flipt v1.61.1, by decision (DESIGN.md §6): each multi-segment rule is
//! emitted once with its distributions once (Flipt repeats both per segment), and segment
//! arrays are in ascending key order (Flipt's are random). Kept quirks: segments are shared by
//! key across the document and the first encounter decides their constraints, whose ids are
//! `""` when first met through a rollout; default variants carry the verbatim attachment while
//! distributions carry the compacted one.

use std::collections::HashMap;

use flipt_proto::flipt::evaluation as ev;
use flipt_proto::google::protobuf::Timestamp;

use super::Snapshot;
use crate::engine::{ConstraintType, Flag, MatchType, RolloutRule, Segment};

/// A client's announced server version (`X-Flipt-Accept-Server-Version`), parsed like
/// blang/semver's `ParseTolerant`.
///
/// Ordered by major, minor, patch, then release above pre-release. Two different
/// pre-releases of the same version compare equal: the only comparisons that matter are
/// against the releases 1.38.0 and 1.47.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientVersion {
    major: u64,
    minor: u64,
    patch: u64,
    /// `true` without a pre-release part (so a release sorts above its pre-releases).
    release: bool,
}

impl ClientVersion {
    /// What a client that sends no (or an unparseable) header gets: 1.37.1.
    pub const DEFAULT: ClientVersion = ClientVersion::new(1, 37, 1);
    /// The first version that receives ENTITY_ID constraints with their real type.
    pub const ENTITY_ID_CONSTRAINTS: ClientVersion = ClientVersion::new(1, 38, 0);
    /// The first version that receives `defaultVariant`.
    pub const DEFAULT_VARIANTS: ClientVersion = ClientVersion::new(1, 47, 0);

    /// A release version.
    pub const fn new(major: u64, minor: u64, patch: u64) -> Self {
        ClientVersion {
            major,
            minor,
            patch,
            release: true,
        }
    }

    /// Reads the header's first value: absent, empty or unparseable gives 1.37.1.
    pub fn parse_header(value: Option<&str>) -> ClientVersion {
        value
            .and_then(ClientVersion::parse_tolerant)
            .unwrap_or(ClientVersion::DEFAULT)
    }

    /// blang/semver `ParseTolerant`: trims whitespace, drops one leading `v`, drops leading
    /// zeros, fills a missing minor/patch with 0 (not allowed with a pre-release or build
    /// suffix), then parses strict semver (`1.47.0-rc.1+build`).
    pub fn parse_tolerant(s: &str) -> Option<ClientVersion> {
        let s = s.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let mut parts: Vec<String> = s.splitn(3, '.').map(str::to_owned).collect();
        for part in &mut parts {
            if part.len() > 1 {
                let trimmed = part.trim_start_matches('0');
                *part = if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
                    trimmed.to_owned()
                } else {
                    format!("0{trimmed}")
                };
            }
        }
        if parts.len() < 3 {
            if parts
                .last()
                .is_some_and(|p| p.contains('+') || p.contains('-'))
            {
                return None;
            }
            parts.resize(3, "0".to_owned());
        }
        let [major, minor, rest] = <[String; 3]>::try_from(parts).ok()?;
        let major = numeric(&major)?;
        let minor = numeric(&minor)?;
        let (rest, build) = match rest.split_once('+') {
            Some((head, build)) => (head, Some(build)),
            None => (rest.as_str(), None),
        };
        let (patch, pre) = match rest.split_once('-') {
            Some((head, pre)) => (head, Some(pre)),
            None => (rest, None),
        };
        let patch = numeric(patch)?;
        if let Some(pre) = pre {
            for id in pre.split('.') {
                if !identifier(id) {
                    return None;
                }
                if id.bytes().all(|b| b.is_ascii_digit()) && id.len() > 1 && id.starts_with('0') {
                    return None;
                }
            }
        }
        if let Some(build) = build {
            if !build.split('.').all(identifier) {
                return None;
            }
        }
        Some(ClientVersion {
            major,
            minor,
            patch,
            release: pre.is_none(),
        })
    }

    /// Whether ENTITY_ID constraints are sent with their type (≥ 1.38.0).
    pub fn supports_entity_id_constraints(&self) -> bool {
        *self >= ClientVersion::ENTITY_ID_CONSTRAINTS
    }

    /// Whether default variants are sent (≥ 1.47.0).
    pub fn supports_default_variants(&self) -> bool {
        *self >= ClientVersion::DEFAULT_VARIANTS
    }
}

impl std::fmt::Display for ClientVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.release {
            f.write_str("-pre")?;
        }
        Ok(())
    }
}

/// A semver numeric part: digits only, no leading zero, fits u64.
fn numeric(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

/// A semver pre-release or build identifier: non-empty `[0-9A-Za-z-]+`.
fn identifier(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn timestamp((seconds, nanos): (i64, i32)) -> Option<Timestamp> {
    Some(Timestamp { seconds, nanos })
}

/// Builds the document, sharing segments by key as Flipt does.
struct DocumentBuilder {
    accept: ClientVersion,
    /// Segment key → the segment as first emitted.
    segments: HashMap<String, ev::EvaluationSegment>,
}

impl DocumentBuilder {
    /// The segment as emitted: first encounter decides; constraint ids only via rules.
    fn segment(&mut self, segment: &Segment, via_rule: bool) -> ev::EvaluationSegment {
        if let Some(done) = self.segments.get(&segment.key) {
            return done.clone();
        }
        let entity_ids = self.accept.supports_entity_id_constraints();
        let emitted = ev::EvaluationSegment {
            key: segment.key.clone(),
            name: String::new(),
            description: String::new(),
            match_type: match segment.match_type {
                MatchType::All => ev::EvaluationSegmentMatchType::AllSegmentMatchType as i32,
                // Flipt maps unknown match types to ANY in the document.
                MatchType::Any | MatchType::Unknown(_) => {
                    ev::EvaluationSegmentMatchType::AnySegmentMatchType as i32
                }
            },
            created_at: None,
            updated_at: None,
            constraints: segment
                .constraints
                .iter()
                .map(|c| ev::EvaluationConstraint {
                    id: if via_rule {
                        c.id.clone()
                    } else {
                        String::new()
                    },
                    r#type: match c.constraint_type {
                        ConstraintType::EntityId if !entity_ids => 0,
                        ConstraintType::Unknown(_) => 0,
                        known => known.number(),
                    },
                    property: c.property.clone(),
                    operator: c.operator.clone(),
                    value: c.value.clone(),
                })
                .collect(),
        };
        self.segments.insert(segment.key.clone(), emitted.clone());
        emitted
    }

    fn flag(&mut self, flag: &Flag) -> ev::EvaluationFlag {
        let mut out = ev::EvaluationFlag {
            key: flag.key.clone(),
            name: flag.name.clone(),
            description: flag.description.clone(),
            enabled: flag.enabled,
            // Flipt maps unknown flag types to VARIANT in the document.
            r#type: flag.flag_type().number(),
            created_at: timestamp(flag.created_at),
            updated_at: timestamp(flag.updated_at),
            rules: Vec::new(),
            rollouts: Vec::new(),
            default_variant: None,
        };
        match flag.type_number {
            0 => {
                if self.accept.supports_default_variants() {
                    out.default_variant =
                        flag.default_variant
                            .as_deref()
                            .map(|v| ev::EvaluationVariant {
                                id: v.id.clone(),
                                key: v.key.clone(),
                                // Flipt v1 compatibility: verbatim, not compacted.
                                attachment: v.attachment.clone(),
                            });
                }
                out.rules = flag
                    .rules
                    .iter()
                    .map(|rule| ev::EvaluationRule {
                        id: rule.id.clone(),
                        segments: rule
                            .segments
                            .iter()
                            .map(|s| self.segment(s, true))
                            .collect(),
                        rank: rule.rank,
                        segment_operator: operator_number(rule.operator),
                        distributions: rule
                            .distributions
                            .iter()
                            .map(|d| ev::EvaluationDistribution {
                                id: String::new(),
                                rule_id: String::new(),
                                variant_id: d.variant.id.clone(),
                                variant_key: d.variant.key.clone(),
                                variant_attachment: d.variant.attachment_compact.clone(),
                                rollout: d.rollout,
                            })
                            .collect(),
                    })
                    .collect();
            }
            1 => {
                out.rollouts = flag
                    .rollouts
                    .iter()
                    .map(|r| ev::EvaluationRollout {
                        r#type: match r.rollout_type {
                            1 | 2 => r.rollout_type,
                            _ => 0,
                        },
                        rank: r.rank,
                        rule: match &r.rule {
                            RolloutRule::Threshold { percentage, value } => {
                                Some(ev::evaluation_rollout::Rule::Threshold(
                                    ev::EvaluationRolloutThreshold {
                                        percentage: *percentage,
                                        value: *value,
                                    },
                                ))
                            }
                            RolloutRule::Segment {
                                value,
                                operator,
                                segments,
                                ..
                            } => Some(ev::evaluation_rollout::Rule::Segment(
                                ev::EvaluationRolloutSegment {
                                    value: *value,
                                    segment_operator: operator_number(*operator),
                                    segments: segments
                                        .iter()
                                        .map(|s| self.segment(s, false))
                                        .collect(),
                                },
                            )),
                            RolloutRule::None => None,
                        },
                    })
                    .collect();
            }
            _ => {}
        }
        out
    }
}

/// Flipt maps unknown segment operators to OR in the document.
fn operator_number(op: crate::engine::SegmentOperator) -> i32 {
    match op {
        crate::engine::SegmentOperator::And => 1,
        _ => 0,
    }
}

/// The client-side document of a snapshot as a value to serialize (with
/// `flipt_proto::json::to_writer`), building each flag's message only while it is written: a
/// large namespace is never held as one message. Serializes exactly as the message
/// [`Snapshot::client_document`] returns does.
pub struct ClientDocument<'s> {
    snapshot: &'s Snapshot,
    requested_key: &'s str,
    accept: ClientVersion,
}

impl serde::Serialize for ClientDocument<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // Field order and names as the generated impl of `EvaluationNamespaceSnapshot`.
        let mut doc =
            serializer.serialize_struct("flipt.evaluation.EvaluationNamespaceSnapshot", 2)?;
        doc.serialize_field(
            "namespace",
            &ev::EvaluationNamespace {
                key: self.requested_key.to_owned(),
            },
        )?;
        doc.serialize_field("flags", &LazyFlags(self))?;
        doc.end()
    }
}

/// The `flags` array of a [`ClientDocument`], built flag by flag as it is serialized.
struct LazyFlags<'d, 's>(&'d ClientDocument<'s>);

impl serde::Serialize for LazyFlags<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut builder = DocumentBuilder {
            accept: self.0.accept,
            segments: HashMap::new(),
        };
        serializer.collect_seq(self.0.snapshot.flags().map(|f| builder.flag(f)))
    }
}

impl Snapshot {
    /// The client-side snapshot document for a client announcing `accept`, serialized lazily
    /// (see [`ClientDocument`]); same content as [`Snapshot::client_document`].
    pub fn client_document_lazy<'s>(
        &'s self,
        requested_key: &'s str,
        accept: ClientVersion,
    ) -> ClientDocument<'s> {
        ClientDocument {
            snapshot: self,
            requested_key,
            accept,
        }
    }

    /// Builds the client-side snapshot document for a client announcing `accept`.
    ///
    /// `requested_key` is echoed verbatim as `namespace.key`. Flags come in creation order;
    /// variant flags carry `rules` (rank order, each rule once) and `rollouts: []`, boolean
    /// flags the reverse. `defaultVariant` only for clients ≥ 1.47.0; ENTITY_ID constraints are
    /// typed UNKNOWN for clients < 1.38.0. The result depends on `accept` only through those
    /// two thresholds.
    pub fn client_document(
        &self,
        requested_key: &str,
        accept: ClientVersion,
    ) -> ev::EvaluationNamespaceSnapshot {
        let mut builder = DocumentBuilder {
            accept,
            segments: HashMap::new(),
        };
        ev::EvaluationNamespaceSnapshot {
            namespace: Some(ev::EvaluationNamespace {
                key: requested_key.to_owned(),
            }),
            flags: self.flags().map(|f| builder.flag(f)).collect(),
        }
    }
}
