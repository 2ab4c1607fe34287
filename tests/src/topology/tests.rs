//! The topology's behaviour under change and failure (DESIGN.md §4): propagation through the
//! replica and the shared cache, a lagging replica, Redis, replica and write-tier outages, and
//! one database build per revision across instances.

use std::time::{Duration, Instant};

use super::{boolean, eventually, scrape, Load, Options, Topology, NS, WAIT};

async fn ready(t: &Topology, base: &str) -> u16 {
    t.http
        .get(format!("{base}/health/ready"))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

fn assert_no_failures(what: &str, report: &super::LoadReport, total: usize) {
    assert!(
        report.failures.is_empty(),
        "{what}: {} of {total} evaluations failed, e.g. {:?}",
        report.failures.len(),
        &report.failures[..report.failures.len().min(5)]
    );
    assert_eq!(report.ok, total, "{what}: every evaluation answered");
}

/// Writes on the write tier reach both read instances, directly and through nginx.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_reach_both_read_instances() {
    let t = Topology::start(Options::default()).await;
    t.create_flag("launch", true).await;
    t.wait_visible("launch", true).await;
    t.set_flag("launch", false).await;
    t.wait_visible("launch", false).await;
    t.create_flag("second", true).await;
    t.wait_visible("second", true).await;
    let revision = t.wait_synced().await;
    for m in t.metrics().await {
        assert_eq!(m.revision(NS), revision as f64);
    }
}

/// With replay paused on the replica, instances keep serving the revision they had (never an
/// older one) across many polls and notifications; the new revision arrives after resuming.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lagging_replica_never_serves_an_older_revision() {
    let t = Topology::start(Options {
        notify: true,
        poll_interval: Duration::from_millis(100),
        ..Options::default()
    })
    .await;
    t.create_flag("before", true).await;
    t.wait_visible("before", true).await;
    let served = t.wait_synced().await;

    t.replica.execute("SELECT pg_wal_replay_pause()").await;
    t.set_flag("before", false).await;
    t.create_flag("during", true).await;
    let newer = t.primary.revision(NS).await;
    assert!(newer > served);

    let bases = t.read_bases();
    let start: Vec<f64> = t.metrics().await.iter().map(|m| m.hits("l1")).collect();
    let mut highest = vec![served as f64; bases.len()];
    let deadline = Instant::now() + WAIT;
    loop {
        let mut polled = 0;
        for (i, base) in bases.iter().enumerate() {
            let m = scrape(&t.http, base).await;
            let revision = m.revision(NS);
            assert!(
                revision >= highest[i],
                "{base} went back from revision {} to {revision}",
                highest[i]
            );
            assert!(
                revision < newer as f64,
                "{base} serves revision {revision}, which the paused replica cannot have"
            );
            highest[i] = revision;
            assert_eq!(
                boolean(&t.http, base, "before").await,
                Ok(true),
                "{base} serves its last snapshot while the replica lags"
            );
            assert!(
                boolean(&t.http, base, "during").await.is_err(),
                "{base}: flag of a revision the replica has not replayed"
            );
            if m.hits("l1") >= start[i] + 10.0 {
                polled += 1;
            }
        }
        assert_eq!(
            t.replica.revision(NS).await,
            served,
            "replay is paused on the replica"
        );
        if polled == bases.len() {
            break;
        }
        assert!(Instant::now() < deadline, "instances did not poll");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    t.replica.execute("SELECT pg_wal_replay_resume()").await;
    t.wait_visible("before", false).await;
    t.wait_visible("during", true).await;
    assert!(t.wait_synced().await >= newer);
}

/// Redis dies under a steady load through nginx: no evaluation fails, a write still arrives
/// (built from the replica directly), and once Redis is back the shared cache is used again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_outage_fails_no_evaluation() {
    let mut t = Topology::start(Options {
        notify: true,
        ..Options::default()
    })
    .await;
    t.create_flag("steady", true).await;
    t.create_flag("other", false).await;
    t.wait_visible("steady", true).await;
    t.wait_visible("other", false).await;

    let total = 800;
    let load = Load::start(
        t.http.clone(),
        vec![t.lb()],
        "steady",
        true,
        total,
        Duration::from_millis(10),
    );
    load.reached(total / 3).await;
    t.redis.stop().await;
    t.set_flag("other", true).await;
    t.wait_visible("other", true).await;
    let report = load.finish().await;
    assert_no_failures("redis outage", &report, total);

    t.redis.start().await;
    // The cache is used again: a new revision is stored by one instance and read by the other.
    let l2_reads = |ms: &[super::Metrics]| ms.iter().map(|m| m.hits("l2")).sum::<f64>();
    let before = l2_reads(&t.metrics().await);
    let deadline = Instant::now() + WAIT;
    let mut enabled = true;
    loop {
        enabled = !enabled;
        t.set_flag("other", enabled).await;
        t.wait_visible("other", enabled).await;
        t.wait_synced().await;
        if l2_reads(&t.metrics().await) > before {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no snapshot was read from redis after it came back"
        );
    }
}

/// The replica stops: warm instances keep answering (directly and through nginx) and stay
/// ready, the snapshot age shows; after it returns, new writes arrive again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replica_outage_keeps_serving() {
    let mut t = Topology::start(Options::default()).await;
    t.create_flag("steady", true).await;
    t.create_flag("other", false).await;
    t.wait_visible("steady", true).await;

    let mut targets = t.read_bases();
    targets.push(t.lb());
    let total = 600;
    let load = Load::start(
        t.http.clone(),
        targets,
        "steady",
        true,
        total,
        Duration::from_millis(10),
    );
    load.reached(total / 4).await;
    t.replica.stop().await;
    // A write the replica will only see when it is back.
    t.set_flag("other", true).await;
    while load.progress.load(std::sync::atomic::Ordering::SeqCst) < total {
        for base in t.read_bases() {
            assert_eq!(ready(&t, &base).await, 200, "{base} stays ready");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let report = load.finish().await;
    assert_no_failures("replica outage", &report, total);
    for base in t.read_bases() {
        eventually("snapshot age shows the outage", WAIT, || {
            let (http, base) = (t.http.clone(), base.clone());
            async move {
                let age = scrape(&http, &base)
                    .await
                    .value("flipt_snapshot_age_seconds", &format!("namespace=\"{NS}\""));
                (age > 0.5).then_some(())
            }
        })
        .await;
        assert_eq!(ready(&t, &base).await, 200);
    }

    t.replica.start().await;
    t.wait_visible("other", true).await;
    t.set_flag("other", false).await;
    t.wait_visible("other", false).await;
    t.wait_synced().await;
}

/// The write tier stops under load: evaluations are unaffected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn write_tier_outage_does_not_affect_reads() {
    let mut t = Topology::start(Options::default()).await;
    t.create_flag("steady", true).await;
    t.wait_visible("steady", true).await;

    let mut targets = t.read_bases();
    targets.push(t.lb());
    let total = 400;
    let load = Load::start(
        t.http.clone(),
        targets,
        "steady",
        true,
        total,
        Duration::from_millis(5),
    );
    load.reached(total / 4).await;
    t.write.stop().await;
    let report = load.finish().await;
    assert_no_failures("write tier outage", &report, total);
    for base in t.read_bases() {
        assert_eq!(ready(&t, &base).await, 200);
    }
}

/// Two instances sharing Redis, told of each revision at once by notification: the replica
/// builds each revision's snapshot once; the other instance takes it from Redis.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_database_build_per_revision() {
    let t = Topology::start(Options {
        notify: true,
        // Long enough that only notifications tell the instances of a change.
        poll_interval: Duration::from_secs(120),
        l2_wait: Duration::from_secs(5),
    })
    .await;
    t.create_flag("f", true).await;
    t.wait_synced().await;
    let sums = |ms: &[super::Metrics]| {
        (
            ms.iter().map(|m| m.builds("database")).sum::<f64>(),
            ms.iter().map(|m| m.builds("l2")).sum::<f64>(),
        )
    };
    for i in 0..5 {
        let (database, l2) = sums(&t.metrics().await);
        t.set_flag("f", i % 2 == 1).await;
        let revision = t.wait_synced().await;
        let (database_after, l2_after) = sums(&t.metrics().await);
        assert_eq!(
            (database_after - database, l2_after - l2),
            (1.0, 1.0),
            "revision {revision}: (database, l2) builds across both instances"
        );
    }
}
