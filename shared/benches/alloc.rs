//! Heap allocations per evaluation, counted by an instrumented global allocator
//! (docs/benchmarks.md):
//!
//! ```sh
//! cargo bench -p flipt-shared --bench alloc
//! ```
//!
//! The engine promises that matching and bucketing allocate nothing: the only allocation is
//! the returned `segment_keys` vector, made when segments matched. Each case states how many
//! outcome vectors it builds per evaluation; the binary prints the measured counts and exits
//! non-zero when an evaluation allocates more than its outcome vectors.

mod common;

use std::alloc::System;
use std::collections::HashMap;
use std::hint::black_box;
use std::process::ExitCode;

use flipt_shared::engine::{self, FlagType};
use flipt_shared::snapshot::Snapshot;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const ROUNDS: usize = 100_000;

struct Case {
    name: &'static str,
    /// Evaluations per round.
    evaluations: usize,
    /// Outcome vectors (matched segment keys) built per round: the allowed allocations.
    outcome_vecs: usize,
    run: Box<dyn FnMut(&str)>,
}

fn cases(snap: &'static Snapshot) -> Vec<Case> {
    let ctx: &'static HashMap<String, String> = Box::leak(Box::new(common::context()));
    let nomatch: &'static HashMap<String, String> = Box::leak(Box::new(HashMap::new()));
    let internal: &'static HashMap<String, String> = Box::leak(Box::new(
        [("email".to_owned(), "ops@flipt.io".to_owned())].into(),
    ));
    let variant = snap.flag("variant-0").expect("variant flag");
    let boolean = snap.flag("boolean-0").expect("boolean flag");
    let keys: Vec<String> = (0..common::VARIANT_FLAGS)
        .map(common::variant_key)
        .chain((0..common::BOOLEAN_FLAGS).map(common::boolean_key))
        .collect();
    vec![
        Case {
            name: "variant, rule 3 matches (1+2+4 constraints, 50/50 bucket)",
            evaluations: 1,
            outcome_vecs: 1,
            run: Box::new(move |id| {
                let out = engine::evaluate_variant(variant, "variant-0", id, ctx);
                assert_eq!(out.as_ref().map(|o| o.matched), Ok(true));
                let _ = black_box(out);
            }),
        },
        Case {
            name: "variant, no rule matches (default variant)",
            evaluations: 1,
            outcome_vecs: 0,
            run: Box::new(move |id| {
                let out = engine::evaluate_variant(variant, "variant-0", id, nomatch);
                assert_eq!(out.as_ref().map(|o| o.matched), Ok(false));
                let _ = black_box(out);
            }),
        },
        Case {
            name: "boolean, segment rollout fails, 25% threshold",
            evaluations: 1,
            outcome_vecs: 0,
            run: Box::new(move |id| {
                let _ = black_box(engine::evaluate_boolean(boolean, id, ctx));
            }),
        },
        Case {
            name: "boolean, segment rollout matches",
            evaluations: 1,
            outcome_vecs: 1,
            run: Box::new(move |id| {
                let out = engine::evaluate_boolean(boolean, id, internal);
                assert_eq!(out.as_ref().map(|o| o.segment_keys.len()), Ok(1));
                let _ = black_box(out);
            }),
        },
        Case {
            name: "batch of 10 (5 variant matching, 5 boolean), with flag lookups",
            evaluations: keys.len(),
            outcome_vecs: common::VARIANT_FLAGS,
            run: Box::new(move |id| {
                for key in &keys {
                    let flag = snap.flag(key).expect("flag");
                    match flag.flag_type() {
                        FlagType::Variant => {
                            let _ = black_box(engine::evaluate_variant(flag, key, id, ctx));
                        }
                        FlagType::Boolean => {
                            let _ = black_box(engine::evaluate_boolean(flag, id, ctx));
                        }
                    }
                }
            }),
        },
    ]
}

fn main() -> ExitCode {
    let snap: &'static Snapshot = Box::leak(Box::new(common::snapshot()));
    let ids = common::entity_ids();
    let mask = ids.len() - 1;
    let mut failed = false;
    println!(
        "{:<66} {:>10} {:>10} {:>10} {:>8}",
        "case (per evaluation)", "allocs", "bytes", "allowed", "verdict"
    );
    for mut case in cases(snap) {
        // Warm up outside the counted region (lazy statics, first-use growth).
        for id in ids.iter().take(16) {
            (case.run)(id);
        }
        let region = Region::new(GLOBAL);
        for i in 0..ROUNDS {
            (case.run)(&ids[i & mask]);
        }
        let stats = region.change();
        let evals = (ROUNDS * case.evaluations) as f64;
        let allocs = (stats.allocations + stats.reallocations) as f64 / evals;
        let bytes = stats.bytes_allocated as f64 / evals;
        let allowed = case.outcome_vecs as f64 / case.evaluations as f64;
        let ok = allocs <= allowed;
        failed |= !ok;
        println!(
            "{:<66} {:>10.3} {:>10.1} {:>10.3} {:>8}",
            case.name,
            allocs,
            bytes,
            allowed,
            if ok { "ok" } else { "EXCEEDED" }
        );
    }
    if failed {
        eprintln!("an evaluation allocated more than its outcome vectors");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
