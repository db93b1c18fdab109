//! The annual quota ledger: reservations within the limit (equality
//! included), idempotent resends, commit, release and returns, and the race
//! for the last of a quota, on both backends.

use kuajing_store::quota::{self, Change, EntryState, Reservation};
use kuajing_testkit::dual_backend_tests;

use super::*;

const BUYER: &str = "22240419900307002X";
/// CNY 26,000 in fen.
const LIMIT: i64 = 2_600_000;

async fn reserve(store: &Store, list: &str, buyer: &str, fen: i64) -> Reservation {
    let mut tx = store.begin().await.unwrap();
    let outcome = quota::reserve(&mut tx, list, buyer, 2026, fen, LIMIT, Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    outcome
}

async fn used(store: &Store, buyer: &str) -> i64 {
    let mut conn = store.reader().await.unwrap();
    quota::used_fen(&mut conn, buyer, 2026).await.unwrap()
}

async fn change(store: &Store, what: &str, list: &str, fen: i64) -> Change {
    let mut tx = store.begin().await.unwrap();
    let now = Timestamp::now();
    let outcome = match what {
        "commit" => quota::commit(&mut tx, list, now).await,
        "release" => quota::release(&mut tx, list, now).await,
        _ => quota::give_back(&mut tx, list, fen, now).await,
    }
    .unwrap();
    tx.commit().await.unwrap();
    outcome
}

/// Races `lists` reservations of `fen` each for one buyer, each in its own
/// transaction on its own connection; returns how many passed.
async fn race(store: &Store, buyer: &'static str, lists: usize, fen: i64) -> usize {
    let tasks: Vec<_> = (0..lists)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(
                async move { reserve(&store, &format!("race/{buyer}/{i}"), buyer, fen).await },
            )
        })
        .collect();
    let mut passed = 0;
    for task in tasks {
        if matches!(task.await.unwrap(), Reservation::Reserved { .. }) {
            passed += 1;
        }
    }
    passed
}

dual_backend_tests! {
    async fn reaching_the_limit_exactly_passes_and_a_fen_more_does_not(db: TestDatabase) {
        let store = migrated(&db).await;
        let first = reserve(&store, "A/1", BUYER, 2_500_000).await;
        let Reservation::Reserved { entry, used_fen: 2_500_000 } = first else { panic!("{first:?}") };
        let mut conn = store.reader().await.unwrap();
        assert_eq!(quota::find(&mut conn, "A/1").await.unwrap(), Some(entry), "as stored");
        drop(conn);
        let over = reserve(&store, "A/2", BUYER, 100_001).await;
        assert_eq!(over, Reservation::OverLimit { used_fen: 2_500_000, limit_fen: LIMIT });
        let exact = reserve(&store, "A/3", BUYER, 100_000).await;
        assert!(matches!(exact, Reservation::Reserved { used_fen: LIMIT, .. }));
        assert_eq!(used(&store, BUYER).await, LIMIT);
        // The refused list left nothing behind.
        let mut conn = store.reader().await.unwrap();
        assert_eq!(quota::find(&mut conn, "A/2").await.unwrap(), None);
        assert_eq!(quota::entries_of(&mut conn, BUYER, 2026).await.unwrap().len(), 2);
        // Another year and another buyer are untouched.
        assert_eq!(quota::used_fen(&mut conn, BUYER, 2027).await.unwrap(), 0);
        assert_eq!(quota::used_fen(&mut conn, "220204199001010011", 2026).await.unwrap(), 0);
    }

    async fn a_resent_list_reserves_once(db: TestDatabase) {
        let store = migrated(&db).await;
        reserve(&store, "B/1", BUYER, 300_000).await;
        let again = reserve(&store, "B/1", BUYER, 300_000).await;
        let Reservation::Existing(entry) = again else { panic!("{again:?}") };
        assert_eq!(entry.state, EntryState::Reserved);
        assert_eq!(entry.amount_fen, 300_000);
        assert_eq!(used(&store, BUYER).await, 300_000);
        // Matched again when the year is full, it still finds its entry.
        reserve(&store, "B/2", BUYER, LIMIT - 300_000).await;
        assert!(matches!(reserve(&store, "B/1", BUYER, 300_000).await, Reservation::Existing(_)));
        assert_eq!(used(&store, BUYER).await, LIMIT);
        // One list above the whole limit, for a buyer never seen: refused,
        // nothing opened.
        let huge = reserve(&store, "B/3", "220204199001010011", LIMIT + 1).await;
        assert_eq!(huge, Reservation::OverLimit { used_fen: 0, limit_fen: LIMIT });
        let mut conn = store.reader().await.unwrap();
        assert!(quota::entries_of(&mut conn, "220204199001010011", 2026).await.unwrap().is_empty());
    }

    async fn one_list_resent_twice_at_once_reserves_once(db: TestDatabase) {
        let store = migrated(&db).await;
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { reserve(&store, "E/1", BUYER, 700_000).await })
            })
            .collect();
        let mut reserved = 0;
        for task in tasks {
            match task.await.unwrap() {
                Reservation::Reserved { .. } => reserved += 1,
                Reservation::Existing(entry) => assert_eq!(entry.amount_fen, 700_000),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(reserved, 1);
        assert_eq!(used(&store, BUYER).await, 700_000, "counted once");
    }

    async fn release_refusal_and_returns_give_the_quota_back(db: TestDatabase) {
        let store = migrated(&db).await;
        reserve(&store, "C/refused", BUYER, 400_000).await;
        reserve(&store, "C/released", BUYER, 500_000).await;
        assert_eq!(used(&store, BUYER).await, 900_000);

        // Refused: the reservation goes back, once.
        assert!(matches!(change(&store, "release", "C/refused", 0).await, Change::Done(_)));
        assert!(matches!(change(&store, "release", "C/refused", 0).await, Change::Unchanged(_)));
        assert!(matches!(change(&store, "commit", "C/refused", 0).await, Change::NotAllowed(_)));
        assert_eq!(used(&store, BUYER).await, 500_000);

        // Returns only after release, and never more than the list counted.
        assert!(matches!(change(&store, "give_back", "C/released", 100_000).await, Change::NotAllowed(_)));
        assert!(matches!(change(&store, "commit", "C/released", 0).await, Change::Done(_)));
        assert!(matches!(change(&store, "commit", "C/released", 0).await, Change::Unchanged(_)));
        let Change::Done(entry) = change(&store, "give_back", "C/released", 150_000).await else {
            panic!("a partial return is accepted")
        };
        assert_eq!((entry.returned_fen, entry.counted_fen()), (150_000, 350_000));
        assert_eq!(used(&store, BUYER).await, 350_000);
        let Change::Done(entry) = change(&store, "give_back", "C/released", 999_999).await else {
            panic!("the rest is returned")
        };
        assert_eq!(entry.counted_fen(), 0);
        assert!(matches!(change(&store, "give_back", "C/released", 1).await, Change::Unchanged(_)));
        assert_eq!(used(&store, BUYER).await, 0);

        // A list that never reserved is not found.
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(
            quota::commit(&mut tx, "C/unknown", Timestamp::now()).await,
            Err(kuajing_store::StoreError::NotFound { .. })
        ));
    }

    async fn lists_racing_for_the_last_of_a_quota_never_both_pass(db: TestDatabase) {
        let store = migrated(&db).await;
        // A buyer with CNY 1,000 left: eight lists of 1,000 race for it.
        reserve(&store, "D/before", "220204199001010011", 2_500_000).await;
        assert_eq!(race(&store, "220204199001010011", 8, 100_000).await, 1);
        assert_eq!(used(&store, "220204199001010011").await, LIMIT);
        // A buyer never seen: eight lists of CNY 20,000 race to open the year.
        assert_eq!(race(&store, "22020419850505003X", 8, 2_000_000).await, 1);
        assert_eq!(used(&store, "22020419850505003X").await, 2_000_000);
    }
}
