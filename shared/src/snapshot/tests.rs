//! Snapshot tests: building from raw rows, the ETag, the client document (§11.9, with each
//! rule emitted once per DESIGN.md §6) and the accept-version gate.

use flipt_proto::flipt::evaluation as ev;

use super::*;
use crate::engine::testkit::*;
use crate::engine::{evaluate_boolean, evaluate_variant, FlagType, Reason};

fn doc(ns: &Ns, accept: &str) -> ev::EvaluationNamespaceSnapshot {
    ns.build()
        .client_document("default", ClientVersion::parse_header(Some(accept)))
}

fn json(d: &ev::EvaluationNamespaceSnapshot) -> serde_json::Value {
    let bytes = flipt_proto::json::to_vec(d).expect("serializes");
    serde_json::from_slice(&bytes).expect("valid json")
}

// ---------------------------------------------------------------------------------------------
// ETag

#[test]
fn etag_vector_and_revision_dependence() {
    assert_eq!(
        etag_of_version("etag"),
        "92e200311a56800b3e475bf2d2442724535e87bf"
    );
    let mut ns = Ns::new("default");
    ns.flag("f", BOOLEAN, true);
    let a = ns.build();
    assert_eq!(a.version_string(), "default@1");
    assert_eq!(a.etag(), etag_of_version("default@1"));
    assert_eq!(a.etag().len(), 40);
    assert!(a
        .etag()
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert_eq!(a.etag(), ns.build().etag(), "deterministic");
    ns.raw.revision = 2;
    let b = ns.build();
    assert_ne!(a.etag(), b.etag());
    let mut other = Ns::new("other");
    other.flag("f", BOOLEAN, true);
    assert_ne!(a.etag(), other.build().etag());
}

// ---------------------------------------------------------------------------------------------
// Accessors and build rules

#[test]
fn accessors_and_flag_order() {
    let mut ns = Ns::new("prod");
    ns.raw.revision = 42;
    ns.flag("b", VARIANT, true)
        .flag("a", BOOLEAN, false)
        .flag("c", VARIANT, false);
    // Same creation time as "a": key breaks the tie.
    ns.raw.flags[2].created_at = ns.raw.flags[1].created_at;
    ns.raw.flags.reverse();
    let snap = ns.build();
    assert_eq!(snap.namespace(), "prod");
    assert_eq!(snap.revision(), 42);
    assert_eq!(snap.len(), 3);
    assert!(!snap.is_empty());
    let keys: Vec<&str> = snap.flags().map(|f| f.key()).collect();
    assert_eq!(keys, ["b", "a", "c"]);
    let a = snap.flag("a").unwrap();
    assert_eq!(a.flag_type(), FlagType::Boolean);
    assert!(!a.enabled());
    assert_eq!(a.name(), "a name");
    assert_eq!(a.description(), "a description");
    assert_eq!(a.created_at(), ns.raw.flags[1].created_at);
    assert_eq!(a.updated_at(), ns.raw.flags[1].updated_at);
    assert!(Snapshot::build(RawNamespace::default()).is_empty());
}

#[test]
fn build_tolerates_inconsistent_rows() {
    let mut ns = Ns::new("default");
    ns.flag("f", VARIANT, true)
        .variant("f", "v", "")
        .segment("s", 9) // unknown match type
        .segment("ok", ALL)
        // A constraint of a segment that does not exist.
        .constraint("ghost", STRING, "p", "eq", "x")
        // Rule whose only segment is missing: dropped.
        .rule("f", 1, OR, &["missing"])
        .dist("f", 1, "v", 100.0)
        // Rule with a missing and a present segment: keeps the present one.
        .rule("f", 2, AND, &["missing", "ok", "ok"])
        // A distribution of an unknown variant: dropped.
        .dist("f", 2, "nope", 50.0)
        .dist("f", 2, "v", 50.0)
        .flag("g", BOOLEAN, true)
        .segment_rollout("g", 1, OR, &["missing"], true)
        .flag("h", 7, true);
    ns.default_variant("f", "gone");
    // Duplicate flag row: the first (by creation) wins.
    ns.raw.flags.push(ns.raw.flags[0].clone());
    ns.raw.flags[3].enabled = false;
    // Rollout with no member, unknown rollout type.
    ns.raw.rollouts.push(raw::RawRollout {
        id: "x".into(),
        flag_key: "g".into(),
        rank: 2,
        rollout_type: 0,
        member: None,
        created_at: (0, 0),
    });
    let snap = ns.build();
    assert_eq!(snap.len(), 3);
    let f = snap.flag("f").unwrap();
    assert!(f.enabled());
    assert!(f.default_variant().is_none());
    assert_eq!(f.rules().len(), 1);
    let rule = &f.rules()[0];
    assert_eq!(rule.rank(), 2);
    assert_eq!(rule.segments().map(|s| s.key()).collect::<Vec<_>>(), ["ok"]);
    assert_eq!(rule.distributions().len(), 1);
    assert_eq!(rule.boundaries().collect::<Vec<_>>(), [500]);
    let g = snap.flag("g").unwrap();
    assert_eq!(g.rollouts().len(), 2);
    assert!(g
        .rollouts()
        .iter()
        .all(|r| *r.rule() == crate::engine::RolloutRule::None));
    let out = evaluate_boolean(g, "e", &ctx(&[])).unwrap();
    assert_eq!((out.enabled, out.reason), (true, Reason::Default));
    // Documented: rule/rollout ids, types survive.
    let d = snap.client_document("default", ClientVersion::new(1, 47, 0));
    assert_eq!(d.flags.len(), 3);
    let h = &d.flags[2];
    assert_eq!(h.key, "h");
    assert_eq!(
        h.r#type, 0,
        "unknown flag types are VARIANT in the document"
    );
    assert!(h.rules.is_empty() && h.rollouts.is_empty());
    let g = &d.flags[1];
    assert_eq!(g.rollouts[0].rule, None);
    assert_eq!(g.rollouts[1].r#type, 0);
}

#[test]
fn rules_and_rollouts_sorted_by_rank_then_creation_then_id() {
    let mut ns = Ns::new("default");
    ns.flag("f", VARIANT, true)
        .segment("s", ALL)
        .rule("f", 3, OR, &["s"])
        .rule("f", 1, OR, &["s"])
        .rule("f", 2, OR, &["s"]);
    ns.raw.rules[2].rank = 1; // tie with f-r1 (created earlier)
    ns.flag("b", BOOLEAN, true)
        .threshold("b", 2, 1.0, true)
        .threshold("b", 1, 1.0, true)
        .threshold("b", 3, 1.0, true);
    ns.raw.rollouts[2].rank = 2;
    ns.raw.rollouts[2].created_at = ns.raw.rollouts[0].created_at;
    let snap = ns.build();
    let ids: Vec<&str> = snap
        .flag("f")
        .unwrap()
        .rules()
        .iter()
        .map(|r| r.id())
        .collect();
    assert_eq!(ids, ["f-r1", "f-r2", "f-r3"]);
    let ids: Vec<&str> = snap
        .flag("b")
        .unwrap()
        .rollouts()
        .iter()
        .map(|r| r.id())
        .collect();
    assert_eq!(ids, ["b-ro1", "b-ro2", "b-ro3"]);
}

// ---------------------------------------------------------------------------------------------
// Client document

fn two_segment_rule() -> Ns {
    let mut ns = Ns::new("default");
    ns.flag("color", VARIANT, true)
        .variant("color", "A", "{ \"a\": 1 }")
        .variant("color", "B", "")
        .segment("s2", ANY)
        .segment("s1", ALL)
        .constraint("s1", STRING, "plan", "eq", "pro")
        .rule("color", 1, AND, &["s2", "s1"])
        .dist("color", 1, "A", 50.0)
        .dist("color", 1, "B", 50.0)
        .rule("color", 2, OR, &["s1"])
        .dist("color", 2, "A", 50.0)
        .dist("color", 2, "B", 50.0);
    ns
}

#[test]
fn multi_segment_rule_is_emitted_once() {
    let d = doc(&two_segment_rule(), "1.47.0");
    let rules = &d.flags[0].rules;
    assert_eq!(rules.len(), 2, "each rule once (DESIGN.md §6)");
    let r1 = &rules[0];
    assert_eq!(r1.id, "color-r1");
    assert_eq!(r1.rank, 1);
    assert_eq!(r1.segment_operator, 1);
    let segs: Vec<&str> = r1.segments.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(segs, ["s1", "s2"], "ascending key order");
    let dists: Vec<(&str, f32)> = r1
        .distributions
        .iter()
        .map(|d| (d.variant_key.as_str(), d.rollout))
        .collect();
    assert_eq!(dists, [("A", 50.0), ("B", 50.0)]);
    let r2 = &rules[1];
    assert_eq!(r2.segments.len(), 1);
    assert_eq!(r2.distributions.len(), 2);
    for d in &r1.distributions {
        assert_eq!((d.id.as_str(), d.rule_id.as_str()), ("", ""));
    }
    assert_eq!(r1.distributions[0].variant_id, variant_id("color", "A"));
    assert_eq!(r1.distributions[0].variant_attachment, r#"{"a":1}"#);
}

fn gated() -> Ns {
    let mut ns = Ns::new("default");
    ns.flag("color", VARIANT, true)
        .variant("color", "red", "{ \"hex\": \"#f00\" }")
        .default_variant("color", "red")
        .segment("ids", ALL)
        .constraint("ids", ENTITY_ID, "entityId", "eq", "user@flipt.io")
        .constraint("ids", STRING, "plan", "eq", "pro")
        .rule("color", 1, OR, &["ids"]);
    ns
}

fn gate_of(d: &ev::EvaluationNamespaceSnapshot) -> (bool, i32) {
    let flag = &d.flags[0];
    (
        flag.default_variant.is_some(),
        flag.rules[0].segments[0].constraints[0].r#type,
    )
}

#[test]
fn accept_version_gating() {
    let ns = gated();
    let snap = ns.build();
    let none = snap.client_document("default", ClientVersion::parse_header(None));
    assert_eq!(gate_of(&none), (false, 0));
    // The STRING constraint keeps its type.
    assert_eq!(none.flags[0].rules[0].segments[0].constraints[1].r#type, 1);
    assert_eq!(gate_of(&doc(&ns, "1.37.9")), (false, 0));
    assert_eq!(gate_of(&doc(&ns, "1.38.0")), (false, 5));
    assert_eq!(gate_of(&doc(&ns, "1.46.99")), (false, 5));
    assert_eq!(gate_of(&doc(&ns, "1.47.0")), (true, 5));
    assert_eq!(gate_of(&doc(&ns, "v1.47")), (true, 5));
    assert_eq!(gate_of(&doc(&ns, "2.0.0")), (true, 5));
    assert_eq!(gate_of(&doc(&ns, "1.47.0-rc1")), (false, 5));
    assert_eq!(gate_of(&doc(&ns, "garbage")), (false, 0));
    assert_eq!(gate_of(&doc(&ns, "")), (false, 0));
    let dv = doc(&ns, "1.47.0").flags[0].default_variant.clone().unwrap();
    assert_eq!(dv.id, variant_id("color", "red"));
    assert_eq!(dv.key, "red");
    assert_eq!(
        dv.attachment, "{ \"hex\": \"#f00\" }",
        "verbatim, not compacted"
    );
}

#[test]
fn client_version_parsing() {
    let v = |s: &str| ClientVersion::parse_tolerant(s);
    assert_eq!(v("1.47.0"), Some(ClientVersion::new(1, 47, 0)));
    assert_eq!(v(" v1.47 "), Some(ClientVersion::new(1, 47, 0)));
    assert_eq!(v("1"), Some(ClientVersion::new(1, 0, 0)));
    assert_eq!(v("01.047.00"), Some(ClientVersion::new(1, 47, 0)));
    assert_eq!(v("1.47.0+build.5"), Some(ClientVersion::new(1, 47, 0)));
    assert!(v("1.47.0-rc1").unwrap() < ClientVersion::new(1, 47, 0));
    assert!(v("1.47.0-rc1").unwrap() > ClientVersion::new(1, 46, 9));
    assert!(v("1.47.0-0").is_some());
    for bad in [
        "",
        "v",
        "vv1.47.0",
        "V1.47.0",
        "1.47-rc1",
        "1.47.0-",
        "1.47.0-01",
        "1.47.0-a..b",
        "1.47.0+",
        "1.x.0",
        "-1.0.0",
        "1.47.0.1",
        "1..0",
        "a.b.c",
        "99999999999999999999.0.0",
        "1.47.0-rc_1",
    ] {
        assert_eq!(v(bad), None, "{bad:?}");
    }
    assert_eq!(
        ClientVersion::parse_header(None),
        ClientVersion::new(1, 37, 1)
    );
    assert_eq!(
        ClientVersion::parse_header(Some("nope")),
        ClientVersion::DEFAULT
    );
    assert!(!ClientVersion::DEFAULT.supports_entity_id_constraints());
    assert!(ClientVersion::new(1, 38, 0).supports_entity_id_constraints());
    assert!(!ClientVersion::new(1, 46, 0).supports_default_variants());
    assert!(ClientVersion::new(1, 47, 0).supports_default_variants());
    assert_eq!(ClientVersion::new(1, 47, 0).to_string(), "1.47.0");
}

#[test]
fn document_shape() {
    let mut ns = gated();
    ns.flag("new-ui", BOOLEAN, false)
        .segment("beta", ALL)
        .constraint("beta", STRING, "plan", "eq", "pro")
        .segment_rollout("new-ui", 1, OR, &["beta", "ids"], true)
        .threshold("new-ui", 2, 25.0, true);
    let snap = ns.build();
    let d = snap.client_document("Default-As-Requested", ClientVersion::new(1, 47, 0));
    assert_eq!(d.namespace.as_ref().unwrap().key, "Default-As-Requested");
    assert_eq!(d.flags.len(), 2);

    let color = &d.flags[0];
    assert_eq!(color.key, "color");
    assert_eq!(color.name, "color name");
    assert_eq!(color.description, "color description");
    assert!(color.enabled);
    assert_eq!(color.r#type, 0);
    let created = snap.flag("color").unwrap().created_at();
    assert_eq!(
        color.created_at.map(|t| (t.seconds, t.nanos)),
        Some(created)
    );
    assert!(color.updated_at.is_some());
    assert!(color.rollouts.is_empty());
    assert_eq!(color.rules.len(), 1);
    let seg = &color.rules[0].segments[0];
    assert_eq!((seg.name.as_str(), seg.description.as_str()), ("", ""));
    assert!(seg.created_at.is_none() && seg.updated_at.is_none());
    assert_eq!(seg.match_type, 0);
    assert_eq!(
        seg.constraints[0].id, "c1",
        "first met through a rule: ids filled"
    );

    let new_ui = &d.flags[1];
    assert_eq!(new_ui.r#type, 1);
    assert!(new_ui.rules.is_empty());
    assert!(new_ui.default_variant.is_none());
    assert_eq!(new_ui.rollouts.len(), 2);
    let r0 = &new_ui.rollouts[0];
    assert_eq!((r0.r#type, r0.rank), (1, 1));
    let Some(ev::evaluation_rollout::Rule::Segment(s)) = &r0.rule else {
        panic!("segment rollout expected");
    };
    assert!(s.value);
    assert_eq!(s.segment_operator, 0);
    let keys: Vec<&str> = s.segments.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["beta", "ids"]);
    // `beta` is first met through a rollout: constraint ids are "" (Flipt's loader quirk);
    // `ids` was first met through a rule and is reused as emitted there.
    assert_eq!(s.segments[0].constraints[0].id, "");
    assert_eq!(s.segments[1].constraints[0].id, "c1");
    let r1 = &new_ui.rollouts[1];
    assert_eq!((r1.r#type, r1.rank), (2, 2));
    assert_eq!(
        r1.rule,
        Some(ev::evaluation_rollout::Rule::Threshold(
            ev::EvaluationRolloutThreshold {
                percentage: 25.0,
                value: true
            }
        ))
    );

    // The JSON form: empty arrays present, no defaultVariant key when absent.
    let v = json(&d);
    assert_eq!(v["namespace"]["key"], "Default-As-Requested");
    assert_eq!(v["flags"][0]["rollouts"], serde_json::json!([]));
    assert_eq!(v["flags"][1]["rules"], serde_json::json!([]));
    assert!(v["flags"][1].get("defaultVariant").is_none());
    assert_eq!(
        v["flags"][0]["defaultVariant"]["attachment"],
        "{ \"hex\": \"#f00\" }"
    );
    assert_eq!(
        v["flags"][0]["rules"][0]["distributions"],
        serde_json::json!([])
    );
    assert_eq!(
        v["flags"][0]["rules"][0]["segments"][0]["constraints"][0]["type"],
        "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE"
    );
    let old = json(&snap.client_document("default", ClientVersion::DEFAULT));
    assert_eq!(
        old["flags"][0]["rules"][0]["segments"][0]["constraints"][0]["type"],
        "UNKNOWN_CONSTRAINT_COMPARISON_TYPE"
    );
    assert!(old["flags"][0].get("defaultVariant").is_none());
}

#[test]
fn lazy_document_serializes_like_the_message() {
    let mut ns = gated();
    ns.flag("new-ui", BOOLEAN, false)
        .segment("beta", ALL)
        .constraint("beta", STRING, "plan", "eq", "pro")
        .segment_rollout("new-ui", 1, OR, &["beta", "ids"], true)
        .threshold("new-ui", 2, 33.3, true);
    let mut two = two_segment_rule();
    two.flag("empty", VARIANT, false);
    for ns in [ns, two, Ns::new("default")] {
        let snap = ns.build();
        for accept in [
            ClientVersion::DEFAULT,
            ClientVersion::ENTITY_ID_CONSTRAINTS,
            ClientVersion::DEFAULT_VARIANTS,
        ] {
            let message = flipt_proto::json::to_vec(&snap.client_document("As-Asked", accept))
                .expect("serializes");
            let mut lazy = Vec::new();
            flipt_proto::json::to_writer(&mut lazy, &snap.client_document_lazy("As-Asked", accept))
                .expect("serializes");
            assert_eq!(
                String::from_utf8(lazy).unwrap(),
                String::from_utf8(message).unwrap(),
                "{accept}"
            );
        }
    }
}

#[test]
fn empty_namespace_document() {
    let snap = Snapshot::build(RawNamespace {
        key: "nope".into(),
        ..Default::default()
    });
    let v = json(&snap.client_document("nope", ClientVersion::DEFAULT));
    assert_eq!(
        v,
        serde_json::json!({"namespace": {"key": "nope"}, "flags": []})
    );
}

#[test]
fn snapshot_evaluates_like_its_document_says() {
    // The document and the engine read the same compiled rules: one rule, ranges [500, 1000].
    let ns = two_segment_rule();
    let snap = ns.build();
    let flag = snap.flag("color").unwrap();
    assert_eq!(
        flag.rules()[0].boundaries().collect::<Vec<_>>(),
        [500, 1000]
    );
    let out = evaluate_variant(flag, "color", "user-1", &ctx(&[("plan", "pro")])).unwrap();
    assert!(out.matched);
    assert_eq!(out.segment_keys, ["s1", "s2"]);
}

#[test]
fn snapshot_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Snapshot>();
    assert_send_sync::<crate::engine::Flag>();
    assert_send_sync::<crate::engine::EvalError>();
}

#[test]
fn flag_index_finds_every_flag_of_a_large_namespace() {
    let mut ns = Ns::new("big");
    for i in 0..5_000 {
        ns.flag(
            &format!("flag-{i}"),
            if i % 2 == 0 { VARIANT } else { BOOLEAN },
            true,
        );
    }
    // A repeated key keeps its first row.
    ns.flag("flag-7", VARIANT, false);
    let snap = ns.build();
    assert_eq!(snap.len(), 5_000);
    for (at, flag) in snap.flags().enumerate() {
        let (found, by_key) = snap.flag_with_index(flag.key()).expect("indexed");
        assert_eq!(found, at);
        assert_eq!(by_key.key(), flag.key());
    }
    assert_eq!(
        snap.flag("flag-7").map(|f| f.flag_type()),
        Some(FlagType::Boolean)
    );
    assert!(snap.flag("flag-7").is_some_and(|f| f.enabled()));
    for missing in ["flag-5000", "flag-", "", "FLAG-1", "flag-1 "] {
        assert!(snap.flag(missing).is_none(), "{missing}");
    }
    assert_eq!(snap.clone(), snap);
}
