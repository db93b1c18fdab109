//! The 无票免税 purchase record (issue #7; policy-rules.md §2.4): records
//! with their linked lists, listed by month and by list, each exporter
//! seeing its own, money in fen and quantities in 1/100000 exactly, and the
//! link check's view of export lists, on both backends.

use kuajing_store::purchase_records::{
    self as purchases, NewRecord, PurchaseRecord, RecordFilter, UNIT_SCALE,
};
use kuajing_testkit::dual_backend_tests;

use super::*;

const EXPORTER: &str = "2224960001";
const OTHER_EXPORTER: &str = "2224960002";

fn purchase<'a>(owner_code: &'a str, date: &'a str, lists: &'a [&'a str]) -> NewRecord<'a> {
    NewRecord {
        owner_code,
        purchase_date: date,
        goods_name: "蜂蜜 / honey",
        unit: "035",
        quantity: 2 * UNIT_SCALE + UNIT_SCALE / 2,
        unit_price_fen: 333,
        amount_fen: 833,
        seller_name: "珲春市蜂业合作社",
        invt_nos: lists,
        recorded_by: "exporter-clerk",
    }
}

async fn record(store: &Store, new: &NewRecord<'_>) -> PurchaseRecord {
    let mut tx = store.begin().await.unwrap();
    let saved = purchases::record(&mut tx, new, Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    saved
}

async fn dates(store: &Store, filter: &RecordFilter) -> Vec<String> {
    let mut conn = store.reader().await.unwrap();
    purchases::list(&mut conn, filter)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.purchase_date)
        .collect()
}

dual_backend_tests! {
    async fn purchases_are_listed_by_month_and_by_list_for_their_exporter(db: TestDatabase) {
        let store = migrated(&db).await;
        let saved = record(&store, &purchase(EXPORTER, "2026-10-31", &["2224202610000001", "2224202610000002"])).await;
        assert_eq!((saved.quantity, saved.unit_price_fen, saved.amount_fen), (250_000, 333, 833));
        assert_eq!(saved.invt_nos, ["2224202610000001", "2224202610000002"]);
        record(&store, &purchase(EXPORTER, "2026-11-01", &["2224202611000003"])).await;
        record(&store, &purchase(EXPORTER, "2026-11-30", &["2224202610000002"])).await;
        record(&store, &purchase(OTHER_EXPORTER, "2026-11-15", &["2224202611000009"])).await;

        let mine = |from: &str, until: &str| RecordFilter {
            owner_code: Some(EXPORTER.into()),
            from: Some(from.into()),
            until: Some(until.into()),
            ..Default::default()
        };
        assert_eq!(dates(&store, &mine("2026-11-01", "2026-12-01")).await, ["2026-11-01", "2026-11-30"]);
        assert_eq!(dates(&store, &mine("2026-10-01", "2026-11-01")).await, ["2026-10-31"]);
        let by_list = RecordFilter { owner_code: Some(EXPORTER.into()), invt_no: Some("2224202610000002".into()), ..Default::default() };
        assert_eq!(dates(&store, &by_list).await, ["2026-10-31", "2026-11-30"]);
        let all = RecordFilter { from: Some("2026-11-01".into()), until: Some("2026-12-01".into()), ..Default::default() };
        assert_eq!(dates(&store, &all).await, ["2026-11-01", "2026-11-15", "2026-11-30"], "tax office: every exporter");
        let nul = RecordFilter { invt_no: Some("x\0".into()), ..Default::default() };
        assert!(dates(&store, &nul).await.is_empty());

        // Export lists are looked up by number: none exist in this store.
        let mut conn = store.reader().await.unwrap();
        assert!(purchases::export_lists(&mut conn, &["2224202610000001", "bad\0"]).await.unwrap().is_empty());
        assert!(purchases::export_lists(&mut conn, &[]).await.unwrap().is_empty());
    }

    async fn a_purchase_needs_a_list_and_positive_money(db: TestDatabase) {
        let store = migrated(&db).await;
        let mut tx = store.begin().await.unwrap();
        let none = purchases::record(&mut tx, &purchase(EXPORTER, "2026-11-01", &[]), Timestamp::now()).await;
        assert!(none.is_err(), "a record without a list");
        drop(tx);
        let mut tx = store.begin().await.unwrap();
        let mut free = purchase(EXPORTER, "2026-11-01", &["2224202611000003"]);
        free.amount_fen = 0;
        assert!(purchases::record(&mut tx, &free, Timestamp::now()).await.is_err(), "the schema refuses 0 fen");
        drop(tx);
        assert!(dates(&store, &RecordFilter::default()).await.is_empty(), "nothing was written");
    }
}
