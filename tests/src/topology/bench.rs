//! Propagation benchmark: the time from a write acknowledged by the write tier to the new answer
//! at each read instance, over the topology with and without change notifications (poll
//! interval 1 s), and on the standalone process (SQLite, evaluation served by the write tier).
//!
//! `cargo nextest run -p flipt-tests --run-ignored only propagation_benchmark --no-capture`
//! (`TEST_PROPAGATION_WRITES` overrides the 200 writes per setup).

use std::time::{Duration, Instant};

use super::{boolean, set_flag, wait_answer, Options, Topology};
use crate::harness::{Backend, TestApp};

const FLAG: &str = "bench";

/// Polls `base` until it answers `enabled`; the time since `acked`, and how many evaluations it
/// took.
async fn until_answer(
    http: &reqwest::Client,
    base: &str,
    enabled: bool,
    acked: Instant,
) -> (Duration, usize) {
    let deadline = acked + Duration::from_secs(30);
    let mut tries = 0;
    loop {
        tries += 1;
        if boolean(http, base, FLAG).await == Ok(enabled) {
            return (acked.elapsed(), tries);
        }
        assert!(
            Instant::now() < deadline,
            "{base}: write not visible in 30s"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn row(setup: &str, instance: &str, mut samples: Vec<Duration>) -> String {
    samples.sort();
    format!(
        "| {setup} | {instance} | {} | {} | {} | {} |",
        samples.len(),
        ms(percentile(&samples, 0.50)),
        ms(percentile(&samples, 0.99)),
        ms(samples.last().copied().unwrap_or_default()),
    )
}

async fn topology_rows(notify: bool, writes: usize) -> Vec<String> {
    let t = Topology::start(Options {
        notify,
        poll_interval: Duration::from_secs(1),
        l2_wait: Duration::from_secs(2),
    })
    .await;
    t.create_flag(FLAG, false).await;
    t.wait_visible(FLAG, false).await;
    let bases = t.read_bases();
    let mut per_instance: Vec<Vec<Duration>> = vec![Vec::new(); bases.len()];
    let mut all = Vec::new();
    // Without notifications, a write right after the previous answer arrived would land just
    // after a poll every time (the worst case); a pseudo-random pause in [0, poll interval)
    // spreads the writes over the poll cycle, as real writes are.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..writes {
        if !notify {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            tokio::time::sleep(Duration::from_millis(seed % 1000)).await;
        }
        let enabled = i % 2 == 0;
        set_flag(&t.http, &t.write.base, FLAG, enabled).await;
        let acked = Instant::now();
        let seen = futures::future::join_all(
            bases
                .iter()
                .map(|base| until_answer(&t.http, base, enabled, acked)),
        )
        .await;
        for (k, (elapsed, _)) in seen.iter().enumerate() {
            per_instance[k].push(*elapsed);
        }
        all.push(seen.iter().map(|(d, _)| *d).max().unwrap_or_default());
    }
    let setup = if notify {
        "topology, notifications on, poll 1 s"
    } else {
        "topology, polling only, 1 s (writes at random points of the poll cycle)"
    };
    let mut rows: Vec<String> = per_instance
        .into_iter()
        .enumerate()
        .map(|(k, samples)| row(setup, &format!("read instance {}", k + 1), samples))
        .collect();
    rows.push(row(setup, "both instances (slower of the two)", all));
    rows
}

async fn standalone_rows(writes: usize) -> (Vec<String>, usize) {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.post_ok(
        "/api/v1/namespaces/default/flags",
        serde_json::json!({"key": FLAG, "name": FLAG, "type": "BOOLEAN_FLAG_TYPE", "enabled": false}),
    )
    .await;
    wait_answer(&app.http, &app.http_base, FLAG, false).await;
    let mut samples = Vec::new();
    let mut first_try = 0;
    for i in 0..writes {
        let enabled = i % 2 == 0;
        set_flag(&app.http, &app.http_base, FLAG, enabled).await;
        let acked = Instant::now();
        let (elapsed, tries) = until_answer(&app.http, &app.http_base, enabled, acked).await;
        samples.push(elapsed);
        if tries == 1 {
            first_try += 1;
        }
    }
    app.shutdown().await;
    (
        vec![row("standalone (SQLite)", "the write process", samples)],
        first_try,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: cargo nextest run -p flipt-tests --run-ignored only propagation_benchmark --no-capture"]
async fn propagation_benchmark() {
    let writes: usize = std::env::var("TEST_PROPAGATION_WRITES")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(200);
    let mut rows = Vec::new();
    rows.extend(topology_rows(true, writes).await);
    rows.extend(topology_rows(false, writes).await);
    let (standalone, first_try) = standalone_rows(writes).await;
    rows.extend(standalone);
    let mut table = String::from(
        "| Setup | Where | Writes | p50 (ms) | p99 (ms) | max (ms) |\n|---|---|---|---|---|---|\n",
    );
    for row in rows {
        table.push_str(&row);
        table.push('\n');
    }
    println!("\n{table}");
    println!(
        "standalone: {first_try} of {writes} writes answered by the first evaluation after the write"
    );
    assert_eq!(first_try, writes, "standalone is read-your-writes");
}
