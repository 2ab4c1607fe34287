//! Test helpers: a small builder of raw namespaces, shared by the engine and snapshot tests.

use std::collections::BTreeMap;

use crate::snapshot::raw::{
    RawConstraint, RawDistribution, RawFlag, RawNamespace, RawRollout, RawRolloutMember, RawRule,
    RawSegment, RawVariant,
};
use crate::snapshot::Snapshot;

pub const VARIANT: i32 = 0;
pub const BOOLEAN: i32 = 1;
pub const ALL: i32 = 0;
pub const ANY: i32 = 1;
pub const OR: i32 = 0;
pub const AND: i32 = 1;
pub const STRING: i32 = 1;
pub const NUMBER: i32 = 2;
pub const BOOL: i32 = 3;
pub const DATETIME: i32 = 4;
pub const ENTITY_ID: i32 = 5;

/// Builds a `RawNamespace`; every created row gets a later creation time than the previous.
pub struct Ns {
    pub raw: RawNamespace,
    clock: i64,
}

impl Ns {
    pub fn new(key: &str) -> Self {
        Ns {
            raw: RawNamespace {
                key: key.to_owned(),
                revision: 1,
                ..Default::default()
            },
            clock: 1_700_000_000,
        }
    }

    fn tick(&mut self) -> (i64, i32) {
        self.clock += 1;
        (self.clock, 123_456_000)
    }

    pub fn flag(&mut self, key: &str, flag_type: i32, enabled: bool) -> &mut Self {
        let at = self.tick();
        self.raw.flags.push(RawFlag {
            key: key.to_owned(),
            name: format!("{key} name"),
            description: format!("{key} description"),
            enabled,
            flag_type,
            default_variant_id: None,
            created_at: at,
            updated_at: (at.0 + 10, 0),
        });
        self
    }

    pub fn variant(&mut self, flag: &str, key: &str, attachment: &str) -> &mut Self {
        self.raw.variants.push(RawVariant {
            id: variant_id(flag, key),
            flag_key: flag.to_owned(),
            key: key.to_owned(),
            attachment: attachment.to_owned(),
        });
        self
    }

    pub fn default_variant(&mut self, flag: &str, key: &str) -> &mut Self {
        for f in &mut self.raw.flags {
            if f.key == flag {
                f.default_variant_id = Some(variant_id(flag, key));
            }
        }
        self
    }

    pub fn segment(&mut self, key: &str, match_type: i32) -> &mut Self {
        self.raw.segments.push(RawSegment {
            key: key.to_owned(),
            match_type,
        });
        self
    }

    pub fn constraint(
        &mut self,
        segment: &str,
        constraint_type: i32,
        property: &str,
        operator: &str,
        value: &str,
    ) -> &mut Self {
        let id = format!("c{}", self.raw.constraints.len() + 1);
        self.raw.constraints.push(RawConstraint {
            id,
            segment_key: segment.to_owned(),
            constraint_type,
            property: property.to_owned(),
            operator: operator.to_owned(),
            value: value.to_owned(),
        });
        self
    }

    /// Adds a rule; its id is `<flag>-r<rank>`.
    pub fn rule(&mut self, flag: &str, rank: i32, operator: i32, segments: &[&str]) -> &mut Self {
        let at = self.tick();
        self.raw.rules.push(RawRule {
            id: format!("{flag}-r{rank}"),
            flag_key: flag.to_owned(),
            rank,
            segment_operator: operator,
            segment_keys: segments.iter().map(|s| (*s).to_owned()).collect(),
            created_at: at,
        });
        self
    }

    /// Adds a distribution to rule `<flag>-r<rank>` for the flag's variant `variant`.
    pub fn dist(&mut self, flag: &str, rank: i32, variant: &str, rollout: f32) -> &mut Self {
        let at = self.tick();
        let id = format!("d{}", self.raw.distributions.len() + 1);
        self.raw.distributions.push(RawDistribution {
            id,
            rule_id: format!("{flag}-r{rank}"),
            variant_id: variant_id(flag, variant),
            rollout,
            created_at: at,
        });
        self
    }

    pub fn threshold(&mut self, flag: &str, rank: i32, percentage: f32, value: bool) -> &mut Self {
        let at = self.tick();
        self.raw.rollouts.push(RawRollout {
            id: format!("{flag}-ro{rank}"),
            flag_key: flag.to_owned(),
            rank,
            rollout_type: 2,
            member: Some(RawRolloutMember::Threshold { percentage, value }),
            created_at: at,
        });
        self
    }

    pub fn segment_rollout(
        &mut self,
        flag: &str,
        rank: i32,
        operator: i32,
        segments: &[&str],
        value: bool,
    ) -> &mut Self {
        let at = self.tick();
        self.raw.rollouts.push(RawRollout {
            id: format!("{flag}-ro{rank}"),
            flag_key: flag.to_owned(),
            rank,
            rollout_type: 1,
            member: Some(RawRolloutMember::Segment {
                value,
                segment_operator: operator,
                segment_keys: segments.iter().map(|s| (*s).to_owned()).collect(),
            }),
            created_at: at,
        });
        self
    }

    pub fn build(&self) -> Snapshot {
        Snapshot::build(self.raw.clone())
    }
}

pub fn variant_id(flag: &str, key: &str) -> String {
    format!("{flag}/{key}")
}

pub fn ctx(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}
