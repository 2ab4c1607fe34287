//! Time per evaluation of the engine (docs/benchmarks.md):
//!
//! ```sh
//! cargo bench -p flipt-shared --bench engine
//! ```
//!
//! The flags are described in `common/mod.rs`. Entity ids are pre-generated and cycled, so
//! every iteration hashes a different id and lands in either half of the 50/50 split.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use flipt_shared::engine::{self, FlagType};

/// Checks, once and outside any timing, that the fixture exercises the intended paths: the
/// third rule matches with both variants drawn, the threshold enables about a quarter.
fn check_fixture() {
    let snap = common::snapshot();
    let ctx = common::context();
    let ids = common::entity_ids();
    let flag = snap.flag("variant-0").expect("variant flag");
    let (mut control, mut treatment) = (0usize, 0usize);
    for id in &ids {
        let out = engine::evaluate_variant(flag, "variant-0", id, &ctx).expect("variant");
        assert!(out.matched);
        assert_eq!(out.segment_keys, ["beta-pro"]);
        match out.variant_key {
            "control" => control += 1,
            "treatment" => treatment += 1,
            other => panic!("unexpected variant {other}"),
        }
    }
    assert!(control > ids.len() / 3 && treatment > ids.len() / 3);
    let flag = snap.flag("boolean-0").expect("boolean flag");
    let enabled = ids
        .iter()
        .filter(|id| {
            engine::evaluate_boolean(flag, id, &ctx)
                .expect("boolean")
                .enabled
        })
        .count();
    assert!(enabled > ids.len() / 6 && enabled < ids.len() / 3);
}

fn bench_engine(c: &mut Criterion) {
    check_fixture();
    let snap = common::snapshot();
    let ctx = common::context();
    let ids = common::entity_ids();
    let mask = ids.len() - 1;

    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(1));

    let variant = snap.flag("variant-0").expect("variant flag");
    let mut i = 0usize;
    group.bench_function("variant", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            let id = &ids[i & mask];
            black_box(engine::evaluate_variant(
                black_box(variant),
                "variant-0",
                id,
                &ctx,
            ))
        })
    });

    let mut i = 0usize;
    group.bench_function("variant_with_lookup", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            let id = &ids[i & mask];
            let flag = snap.flag(black_box("variant-0")).expect("flag");
            black_box(engine::evaluate_variant(flag, "variant-0", id, &ctx))
        })
    });

    let boolean = snap.flag("boolean-0").expect("boolean flag");
    let mut i = 0usize;
    group.bench_function("boolean", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            let id = &ids[i & mask];
            black_box(engine::evaluate_boolean(black_box(boolean), id, &ctx))
        })
    });

    // A 10-flag batch as the read tier runs it: look each flag up, dispatch on its type.
    let keys: Vec<String> = (0..common::VARIANT_FLAGS)
        .map(common::variant_key)
        .chain((0..common::BOOLEAN_FLAGS).map(common::boolean_key))
        .collect();
    group.throughput(Throughput::Elements(keys.len() as u64));
    let mut i = 0usize;
    group.bench_function("batch10", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            let id = &ids[i & mask];
            for key in &keys {
                let flag = snap.flag(key).expect("flag");
                match flag.flag_type() {
                    FlagType::Variant => {
                        let _ = black_box(engine::evaluate_variant(flag, key, id, &ctx));
                    }
                    FlagType::Boolean => {
                        let _ = black_box(engine::evaluate_boolean(flag, id, &ctx));
                    }
                }
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = bench_engine
}
criterion_main!(benches);
