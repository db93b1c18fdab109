//! Migrations and transactions.

use kuajing_store::organisations;
use kuajing_testkit::dual_backend_tests;

use super::*;

dual_backend_tests! {
    async fn migrations_apply_once_and_record_their_version(db: TestDatabase) {
        let store = Store::connect(&db.url).await.unwrap();
        assert!(store.applied_versions().await.unwrap().is_empty());
        // Versions are numbered without gaps from 1.
        let every: Vec<i64> = (1..=store.latest_version()).collect();
        assert!(every.len() >= 17, "migration 0017 (delegations) is known");
        assert_eq!(store.migrate().await.unwrap(), every);
        assert!(store.migrate().await.unwrap().is_empty(), "second run applies nothing");
        assert_eq!(store.applied_versions().await.unwrap(), every);
        store.ping().await.unwrap();
    }

    async fn a_dropped_transaction_writes_nothing(db: TestDatabase) {
        let store = migrated(&db).await;
        {
            let mut tx = store.begin().await.unwrap();
            organisations::insert(&mut tx, &new_org("2224960001", "ebc", "MA0Y1K2P"), Timestamp::now())
                .await
                .unwrap();
            // dropped without commit
        }
        let mut conn = store.reader().await.unwrap();
        assert!(organisations::find_by_code(&mut conn, "2224960001").await.unwrap().is_none());
        assert!(!organisations::any_exist(&mut conn).await.unwrap());
    }
}
