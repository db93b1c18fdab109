//! Migrations and transactions.

use kuajing_store::organisations;
use kuajing_testkit::dual_backend_tests;

use super::*;

dual_backend_tests! {
    async fn migrations_apply_once_and_record_their_version(db: TestDatabase) {
        let store = Store::connect(&db.url).await.unwrap();
        assert!(store.applied_versions().await.unwrap().is_empty());
        assert_eq!(store.migrate().await.unwrap(), vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18]);
        assert!(store.migrate().await.unwrap().is_empty(), "second run applies nothing");
        assert_eq!(store.applied_versions().await.unwrap(), vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, store.latest_version()]);
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
