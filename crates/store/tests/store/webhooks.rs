//! Fair webhook claims (issue #14, finding 9): round-robin across
//! subscriptions, a bound on each one's deliveries in flight, a back-off
//! per subscriber, and pauses respected.

use std::time::Duration;

use kuajing_core::timestamp::Timestamp;
use kuajing_store::Store;
use kuajing_store::webhooks::{self, Delivery, NewSubscription};
use kuajing_testkit::dual_backend_tests;

use crate::{file, migrated, new_org};

/// Subscribes a new organisation `code`: the subscription's id.
async fn subscription(store: &Store, code: &str, body: &str) -> String {
    let org = file(store, &new_org(code, "forex", body)).await;
    let topics = ["commodity".to_owned()];
    let new = NewSubscription {
        organisation_id: &org.id,
        url: "https://hooks.example.cn/kuajing",
        secret: "whsec_test",
        topics: &topics,
        cursor_seq: 0,
        by: "operator",
    };
    let mut tx = store.begin().await.unwrap();
    let created = webhooks::subscribe(&mut tx, &new, Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    created.id
}

/// Deliveries of outbox positions `seqs` to `subscription`, due from `at`.
async fn enqueue(
    store: &Store,
    subscription: &str,
    seqs: std::ops::RangeInclusive<i64>,
    at: Timestamp,
) {
    let seqs: Vec<i64> = seqs.collect();
    let mut tx = store.begin().await.unwrap();
    webhooks::enqueue(&mut tx, subscription, &seqs, 0, at)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// One claim at `now` (leases of a minute, two in flight per subscriber,
/// at most 20).
async fn claim(store: &Store, now: Timestamp) -> Vec<Delivery> {
    let mut tx = store.begin().await.unwrap();
    let lease = now.plus(Duration::from_secs(60));
    let claimed = webhooks::claim_due(&mut tx, now, lease, 2, 20)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    claimed
}

fn of(claimed: &[Delivery], subscription: &str) -> usize {
    claimed
        .iter()
        .filter(|d| d.subscription_id == subscription)
        .count()
}

dual_backend_tests! {
    async fn a_newcomer_is_claimed_in_the_first_round_behind_thousands_of_another(db: TestDatabase) {
        let store = migrated(&db).await;
        let busy = subscription(&store, "2224960001", "MA960001").await;
        let newcomer = subscription(&store, "2224960002", "MA960002").await;
        let earlier = Timestamp::now().minus(Duration::from_secs(600));
        enqueue(&store, &busy, 1..=3000, earlier).await;
        enqueue(&store, &newcomer, 3001..=3001, Timestamp::now()).await;

        let now = Timestamp::now();
        let first = claim(&store, now).await;
        assert_eq!(of(&first, &newcomer), 1, "the newcomer's delivery is claimed in the first round");
        assert_eq!(of(&first, &busy), 2, "the busy subscriber gets its bound, no more");
        let mut taken: Vec<i64> = first.iter().filter(|d| d.subscription_id == busy).map(|d| d.outbox_seq).collect();
        taken.sort_unstable();
        assert_eq!(taken, [1, 2], "oldest first");

        // Its two are in flight: nothing more of it until one ends.
        assert!(claim(&store, now).await.is_empty());
        let oldest = first.iter().find(|d| d.outbox_seq == 1).unwrap();
        let mut tx = store.begin().await.unwrap();
        webhooks::delivered(&mut tx, &oldest.id, 200, now).await.unwrap();
        tx.commit().await.unwrap();
        let next = claim(&store, now).await;
        assert_eq!((of(&next, &busy), next[0].outbox_seq), (1, 3), "{next:?}");
        // A lease that ran out (its server died) is claimed again.
        let later = now.plus(Duration::from_secs(120));
        let again = claim(&store, later).await;
        assert_eq!(of(&again, &busy), 2, "{again:?}");
        assert!(again.iter().any(|d| d.outbox_seq == 2 || d.outbox_seq == 3), "{again:?}");
    }

    async fn a_backed_off_subscriber_waits_without_delaying_the_others(db: TestDatabase) {
        let store = migrated(&db).await;
        let failing = subscription(&store, "2224960001", "MA960001").await;
        let healthy = subscription(&store, "2224960002", "MA960002").await;
        let now = Timestamp::now();
        enqueue(&store, &failing, 1..=50, now.minus(Duration::from_secs(60))).await;
        enqueue(&store, &healthy, 51..=52, now).await;

        let mut tx = store.begin().await.unwrap();
        assert_eq!(webhooks::subscriber_failed(&mut tx, &failing).await.unwrap(), 1);
        assert_eq!(webhooks::subscriber_failed(&mut tx, &failing).await.unwrap(), 2);
        webhooks::back_off(&mut tx, &failing, now.plus(Duration::from_secs(300))).await.unwrap();
        tx.commit().await.unwrap();
        let claimed = claim(&store, now).await;
        assert_eq!((of(&claimed, &failing), of(&claimed, &healthy)), (0, 2), "{claimed:?}");

        let mut conn = store.reader().await.unwrap();
        let seen = webhooks::subscription(&mut conn, &failing).await.unwrap().unwrap();
        assert_eq!(seen.consecutive_failures, 2);
        drop(conn);
        // Once the back-off is over it is claimed again; a success lifts it.
        let after = claim(&store, now.plus(Duration::from_secs(301))).await;
        assert_eq!(of(&after, &failing), 2, "{after:?}");
        let mut tx = store.begin().await.unwrap();
        webhooks::subscriber_recovered(&mut tx, &failing).await.unwrap();
        let seen = webhooks::subscription(&mut tx, &failing).await.unwrap().unwrap();
        tx.commit().await.unwrap();
        assert_eq!((seen.consecutive_failures, seen.backoff_until), (0, None));
    }

    async fn a_paused_subscription_is_not_claimed_and_a_replay_lifts_a_back_off(db: TestDatabase) {
        let store = migrated(&db).await;
        let paused = subscription(&store, "2224960001", "MA960001").await;
        let now = Timestamp::now();
        enqueue(&store, &paused, 1..=3, now).await;
        let mut tx = store.begin().await.unwrap();
        webhooks::set_active(&mut tx, &paused, false, now).await.unwrap();
        tx.commit().await.unwrap();
        assert!(claim(&store, now).await.is_empty(), "a paused subscription's deliveries wait");

        let mut tx = store.begin().await.unwrap();
        webhooks::set_active(&mut tx, &paused, true, now).await.unwrap();
        tx.commit().await.unwrap();
        let claimed = claim(&store, now).await;
        assert_eq!(claimed.len(), 2);
        let mut tx = store.begin().await.unwrap();
        webhooks::failed(&mut tx, &claimed[0].id, Some(500), "HTTP 500", None).await.unwrap();
        webhooks::subscriber_failed(&mut tx, &paused).await.unwrap();
        webhooks::back_off(&mut tx, &paused, now.plus(Duration::from_secs(3600))).await.unwrap();
        assert!(webhooks::replay(&mut tx, &claimed[0].id, now).await.unwrap(), "a dead delivery is replayable");
        let seen = webhooks::subscription(&mut tx, &paused).await.unwrap().unwrap();
        tx.commit().await.unwrap();
        assert_eq!((seen.consecutive_failures, seen.backoff_until), (0, None), "the replay lifts the back-off");
    }
}
