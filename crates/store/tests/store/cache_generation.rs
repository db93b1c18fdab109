//! The cache generation (migration 0021): every change to a record the
//! intake caches gives it a value never seen before, in the change's own
//! transaction; a change rolled back leaves it as it was; what changes with
//! every list (a book line's stock) leaves it alone. On both backends.

use kuajing_store::cache_generation;
use kuajing_store::ems_books::{self as books, MovementKind};
use kuajing_store::organisations::{self, OrganisationStatus};
use kuajing_testkit::dual_backend_tests;

use super::ems_books::{book, movement};
use super::*;

/// The generation a reader sees now.
async fn seen(store: &Store) -> i64 {
    let mut conn = store.reader().await.unwrap();
    cache_generation::current(&mut conn).await.unwrap()
}

dual_backend_tests! {
    async fn a_committed_change_gives_a_generation_never_seen(db: TestDatabase) {
        let store = migrated(&db).await;
        let first = seen(&store).await;
        file(&store, &new_org("2224960001", "ebc", "MA0Y1K2P")).await;
        let filed = seen(&store).await;
        assert_ne!(filed, first, "filing an organisation");

        let mut tx = store.begin().await.unwrap();
        organisations::set_status(&mut tx, "2224960001", OrganisationStatus::Suspended, Timestamp::now())
            .await
            .unwrap()
            .unwrap();
        let inside = cache_generation::current(&mut tx).await.unwrap();
        assert_ne!(inside, filed, "the changing transaction sees its own generation");
        assert_eq!(seen(&store).await, filed, "others see the old one until the commit");
        drop(tx);
        assert_eq!(seen(&store).await, filed, "a change rolled back leaves it as it was");

        let mut tx = store.begin().await.unwrap();
        organisations::set_status(&mut tx, "2224960001", OrganisationStatus::Suspended, Timestamp::now())
            .await
            .unwrap()
            .unwrap();
        tx.commit().await.unwrap();
        let suspended = seen(&store).await;
        for earlier in [first, filed, inside] {
            assert_ne!(suspended, earlier, "never a value seen before");
        }
    }

    async fn a_book_lines_stock_leaves_the_generation_alone(db: TestDatabase) {
        let store = book(&db).await;
        let opened = seen(&store).await;
        super::ems_books::record(&store, &movement(MovementKind::FirstLineIn, 5, "ENTRY-1")).await;
        assert_eq!(seen(&store).await, opened, "a movement changes stock, not what is cached");
        let mut tx = store.begin().await.unwrap();
        let line = books::NewLine {
            ems_no: super::ems_books::BOOK,
            item_no: "SQUID-1KG",
            hs_code: "0307430000",
            goods_name: "冻鱿鱼 1kg",
            unit: "035",
            currency: "142",
            unit_value: "60.00",
        };
        books::add_line(&mut tx, &line, Timestamp::now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_ne!(seen(&store).await, opened, "a new line is");
    }
}
