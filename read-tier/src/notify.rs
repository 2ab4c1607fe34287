//! Change notifications: the write tier publishes `{namespace, revision}` on a Redis channel
//! after each commit; a read instance subscribed to it polls its replica at once, retrying until
//! the replica has reached that revision. Polling stays the backbone: a lost message only
//! delays, and a Redis outage only means waiting for the next poll.
//!
//! With a Redis Cluster the subscription is held on one node (a publish on any node reaches
//! them all); when that node goes away the next known node is tried.

use std::sync::Arc;
use std::time::Duration;

use flipt_shared::cache::{Invalidation, RedisSettings, Subscriber};
use futures::StreamExt;

use crate::cache::SnapshotCache;

/// How long a notified instance keeps retrying while its replica lags behind the revision.
const CATCH_UP_FOR: Duration = Duration::from_secs(10);
/// First retry delay while the replica has not replayed the write yet; doubles up to the max.
const CATCH_UP_FIRST_STEP: Duration = Duration::from_millis(2);
const CATCH_UP_MAX_STEP: Duration = Duration::from_millis(50);

/// Listens on the invalidation channel until `stop` resolves, reconnecting with backoff.
pub async fn subscribe(
    cache: Arc<SnapshotCache>,
    settings: RedisSettings,
    stop: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stop);
    let mut subscriber = match Subscriber::new(settings) {
        Ok(subscriber) => subscriber,
        Err(err) => {
            tracing::warn!(error = %err, "invalidation channel unusable; relying on polling");
            return stop.await;
        }
    };
    let mut backoff = Duration::from_millis(250);
    let mut failing = false;
    let mut subscribed_before = false;
    loop {
        let pubsub = tokio::select! {
            _ = &mut stop => return,
            res = subscriber.subscribe() => res,
        };
        let mut pubsub = match pubsub {
            Ok(pubsub) => {
                if failing {
                    tracing::info!("invalidation channel reconnected");
                }
                failing = false;
                backoff = Duration::from_millis(250);
                if subscribed_before {
                    // Announcements made while unsubscribed are lost: look once now rather
                    // than at the next poll.
                    let cache = cache.clone();
                    tokio::spawn(async move {
                        if let Err(err) = cache.sync().await {
                            tracing::debug!(error = %err, "sync after resubscribing failed");
                        }
                    });
                }
                subscribed_before = true;
                pubsub
            }
            Err(err) => {
                if !failing {
                    tracing::warn!(error = %err, "invalidation channel unavailable; relying on polling");
                }
                failing = true;
                tokio::select! {
                    _ = &mut stop => return,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(5));
                continue;
            }
        };
        let mut messages = pubsub.on_message();
        loop {
            let message = tokio::select! {
                _ = &mut stop => return,
                m = messages.next() => m,
            };
            let Some(message) = message else {
                break; // connection lost: reconnect
            };
            let Ok(payload) = message.get_payload::<String>() else {
                continue;
            };
            match serde_json::from_str::<Invalidation>(&payload) {
                Ok(note) => {
                    tokio::spawn(catch_up(cache.clone(), note));
                }
                Err(err) => tracing::debug!(error = %err, "ignoring malformed invalidation"),
            }
        }
    }
}

/// Syncs until the namespace is served at (at least) the notified revision, or gives up to
/// the poller after a bound.
async fn catch_up(cache: Arc<SnapshotCache>, note: Invalidation) {
    let deadline = tokio::time::Instant::now() + CATCH_UP_FOR;
    let mut step = CATCH_UP_FIRST_STEP;
    loop {
        let served = cache
            .get(&note.namespace)
            .map(|e| e.version.revision)
            .unwrap_or(-1);
        if served >= note.revision || tokio::time::Instant::now() >= deadline {
            return;
        }
        if let Err(err) = cache.sync().await {
            tracing::debug!(error = %err, "sync after invalidation failed");
        }
        if cache
            .get(&note.namespace)
            .is_some_and(|e| e.version.revision >= note.revision)
        {
            return;
        }
        tokio::time::sleep(step).await;
        step = (step * 2).min(CATCH_UP_MAX_STEP);
    }
}
