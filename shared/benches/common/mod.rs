//! The benchmark namespace, shared by `engine.rs` (timings) and `alloc.rs` (allocation counts).
//!
//! It mirrors what `scripts/bench/http.sh` seeds through the write tier, so the criterion and
//! HTTP figures describe the same flags:
//!
//! - segments `internal` (1 constraint: `email` suffix `@flipt.io`), `eu-adults` (2: `country`
//!   isoneof six countries, `age` number gte 18) and `beta-pro` (4: `beta` boolean true, `plan`
//!   isoneof `pro`/`enterprise`, `seats` number gte 10, `email` suffix `.com`);
//! - variant flags `variant-0..4`: rule 1 `internal` → `on` 100 %, rule 2 `eu-adults` → `on`
//!   100 %, rule 3 `beta-pro` → `control`/`treatment` 50/50; default variant `off`;
//! - boolean flags `boolean-0..4`: rollout 1 segment `internal` → true, rollout 2 threshold
//!   25 % → true; flag disabled (the default is false).
//!
//! With [`context`] the first two rules fail and the third matches, so a variant evaluation
//! checks 1 + 2 + 4 constraints and buckets; a boolean evaluation checks one constraint and
//! then the threshold.

#![allow(dead_code)]

use std::collections::HashMap;

use flipt_shared::snapshot::raw::{
    RawConstraint, RawDistribution, RawFlag, RawNamespace, RawRollout, RawRolloutMember, RawRule,
    RawSegment, RawVariant,
};
use flipt_shared::snapshot::Snapshot;

pub const VARIANT_FLAGS: usize = 5;
pub const BOOLEAN_FLAGS: usize = 5;

/// How many distinct entity ids the benchmarks cycle through (a power of two).
pub const ENTITIES: usize = 4096;

pub fn variant_key(i: usize) -> String {
    format!("variant-{i}")
}

pub fn boolean_key(i: usize) -> String {
    format!("boolean-{i}")
}

/// Pre-generated entity ids, cycled by the benchmarks so the bucket varies per call.
pub fn entity_ids() -> Vec<String> {
    (0..ENTITIES)
        .map(|i| format!("user-{:08x}", (i as u32).wrapping_mul(2_654_435_761)))
        .collect()
}

/// A realistic request context (six properties, as an SDK would send).
pub fn context() -> HashMap<String, String> {
    [
        ("email", "jane.doe@example.com"),
        ("country", "us"),
        ("age", "34"),
        ("beta", "true"),
        ("plan", "pro"),
        ("seats", "25"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn t(i: i64) -> (i64, i32) {
    (1_700_000_000 + i, 0)
}

fn constraint(
    id: &str,
    segment: &str,
    constraint_type: i32,
    property: &str,
    operator: &str,
    value: &str,
) -> RawConstraint {
    RawConstraint {
        id: id.to_owned(),
        segment_key: segment.to_owned(),
        constraint_type,
        property: property.to_owned(),
        operator: operator.to_owned(),
        value: value.to_owned(),
    }
}

/// The raw rows of the benchmark namespace.
pub fn raw_namespace() -> RawNamespace {
    const STRING: i32 = 1;
    const NUMBER: i32 = 2;
    const BOOLEAN: i32 = 3;
    let mut ns = RawNamespace {
        key: "default".to_owned(),
        revision: 1,
        ..Default::default()
    };
    for key in ["internal", "eu-adults", "beta-pro"] {
        ns.segments.push(RawSegment {
            key: key.to_owned(),
            match_type: 0,
        });
    }
    ns.constraints = vec![
        constraint("c1", "internal", STRING, "email", "suffix", "@flipt.io"),
        constraint(
            "c2",
            "eu-adults",
            STRING,
            "country",
            "isoneof",
            r#"["de","fr","nl","es","it","pl"]"#,
        ),
        constraint("c3", "eu-adults", NUMBER, "age", "gte", "18"),
        constraint("c4", "beta-pro", BOOLEAN, "beta", "true", ""),
        constraint(
            "c5",
            "beta-pro",
            STRING,
            "plan",
            "isoneof",
            r#"["pro","enterprise"]"#,
        ),
        constraint("c6", "beta-pro", NUMBER, "seats", "gte", "10"),
        constraint("c7", "beta-pro", STRING, "email", "suffix", ".com"),
    ];
    let mut clock = 0;
    let mut tick = || {
        clock += 1;
        t(clock)
    };
    for i in 0..VARIANT_FLAGS {
        let flag = variant_key(i);
        let vid = |v: &str| format!("{flag}-{v}");
        for v in ["off", "on", "control", "treatment"] {
            ns.variants.push(RawVariant {
                id: vid(v),
                flag_key: flag.clone(),
                key: v.to_owned(),
                attachment: String::new(),
            });
        }
        let at = tick();
        ns.flags.push(RawFlag {
            key: flag.clone(),
            name: flag.clone(),
            description: String::new(),
            enabled: true,
            flag_type: 0,
            default_variant_id: Some(vid("off")),
            created_at: at,
            updated_at: at,
        });
        let rules: [(&str, &[(&str, f32)]); 3] = [
            ("internal", &[("on", 100.0)]),
            ("eu-adults", &[("on", 100.0)]),
            ("beta-pro", &[("control", 50.0), ("treatment", 50.0)]),
        ];
        for (rank, (segment, dists)) in rules.iter().enumerate() {
            let rule_id = format!("{flag}-r{rank}");
            ns.rules.push(RawRule {
                id: rule_id.clone(),
                flag_key: flag.clone(),
                rank: rank as i32 + 1,
                segment_operator: 0,
                segment_keys: vec![(*segment).to_owned()],
                created_at: tick(),
            });
            for (variant, rollout) in dists.iter() {
                ns.distributions.push(RawDistribution {
                    id: format!("{rule_id}-{variant}"),
                    rule_id: rule_id.clone(),
                    variant_id: vid(variant),
                    rollout: *rollout,
                    created_at: tick(),
                });
            }
        }
    }
    for i in 0..BOOLEAN_FLAGS {
        let flag = boolean_key(i);
        let at = tick();
        ns.flags.push(RawFlag {
            key: flag.clone(),
            name: flag.clone(),
            description: String::new(),
            enabled: false,
            flag_type: 1,
            default_variant_id: None,
            created_at: at,
            updated_at: at,
        });
        ns.rollouts.push(RawRollout {
            id: format!("{flag}-r1"),
            flag_key: flag.clone(),
            rank: 1,
            rollout_type: 1,
            member: Some(RawRolloutMember::Segment {
                value: true,
                segment_operator: 0,
                segment_keys: vec!["internal".to_owned()],
            }),
            created_at: tick(),
        });
        ns.rollouts.push(RawRollout {
            id: format!("{flag}-r2"),
            flag_key: flag.clone(),
            rank: 2,
            rollout_type: 2,
            member: Some(RawRolloutMember::Threshold {
                percentage: 25.0,
                value: true,
            }),
            created_at: tick(),
        });
    }
    ns
}

pub fn snapshot() -> Snapshot {
    Snapshot::build(raw_namespace())
}
