//! The SQLite writer is a synchronous connection of the store's own
//! (issue #16) while readers go through sqlx: the same statement gives the
//! same values on both, an error classifies the same, and a transaction
//! not committed leaves nothing.

use kuajing_store::sql::query;
use kuajing_store::{StoreError, settings};
use kuajing_testkit::TestBackend;
use sqlx::Row;

use super::*;

/// One statement that returns every kind of value SQLite holds, and bound
/// values used twice and out of order.
const EVERY_KIND: &str = "SELECT 42 AS whole, 'text 文字' AS text, NULL AS absent, 1.5 AS fraction, \
     X'00FF10' AS bytes, $2 AS second, $1 AS first, $2 AS second_again";

/// The values of a row of [`EVERY_KIND`], read as the store reads them.
fn values(
    row: &sqlx::any::AnyRow,
) -> (i64, String, Option<String>, f64, Vec<u8>, i64, String, i64) {
    (
        row.get("whole"),
        row.get("text"),
        row.get("absent"),
        row.get("fraction"),
        row.get("bytes"),
        row.get("second"),
        row.get("first"),
        row.get("second_again"),
    )
}

#[tokio::test]
async fn the_writer_and_a_reader_give_the_same_values_and_errors() {
    let db = TestDatabase::create(TestBackend::Sqlite).await;
    let store = migrated(&db).await;

    let mut tx = store.begin().await.unwrap();
    let written = query(EVERY_KIND)
        .bind("文字 €")
        .bind(7_i64)
        .fetch_one(&mut tx)
        .await
        .unwrap();
    settings::put(&mut tx, "native-check", "kept")
        .await
        .unwrap();
    // A unique violation on the writer is a unique violation, as on sqlx.
    let taken = query("INSERT INTO settings (key, value) VALUES ($1, $2)")
        .bind("native-check")
        .bind("again")
        .execute(&mut tx)
        .await
        .unwrap_err();
    assert!(
        taken
            .as_database_error()
            .is_some_and(|e| e.is_unique_violation()),
        "{taken}"
    );
    tx.commit().await.unwrap();

    let mut reader = store.reader().await.unwrap();
    let read = query(EVERY_KIND)
        .bind("文字 €")
        .bind(7_i64)
        .fetch_one(&mut reader)
        .await
        .unwrap();
    assert_eq!(values(&written), values(&read));
    assert_eq!(values(&read).6, "文字 €");
    assert_eq!(values(&read).4, vec![0x00, 0xFF, 0x10]);
    assert_eq!(
        settings::get(&mut reader, "native-check")
            .await
            .unwrap()
            .as_deref(),
        Some("kept")
    );
    // fetch_optional on several rows takes the first, on both paths.
    let first = "SELECT value FROM (SELECT 1 AS value UNION ALL SELECT 2) ORDER BY value";
    drop(reader);
    let mut tx = store.begin().await.unwrap();
    let on_writer: i64 = query(first)
        .fetch_optional(&mut tx)
        .await
        .unwrap()
        .unwrap()
        .get(0);
    drop(tx);
    let mut reader = store.reader().await.unwrap();
    let on_reader: i64 = query(first)
        .fetch_optional(&mut reader)
        .await
        .unwrap()
        .unwrap()
        .get(0);
    assert_eq!((on_writer, on_reader), (1, 1));
}

#[tokio::test]
async fn a_writer_transaction_dropped_uncommitted_leaves_nothing_and_the_writer_serves_on() {
    let db = TestDatabase::create(TestBackend::Sqlite).await;
    let store = migrated(&db).await;

    let mut tx = store.begin().await.unwrap();
    settings::put(&mut tx, "dropped", "never").await.unwrap();
    drop(tx);

    let mut tx = store.begin().await.unwrap();
    settings::put(&mut tx, "committed", "yes").await.unwrap();
    tx.commit().await.map_err(StoreError::from).unwrap();

    let mut reader = store.reader().await.unwrap();
    assert_eq!(settings::get(&mut reader, "dropped").await.unwrap(), None);
    assert_eq!(
        settings::get(&mut reader, "committed")
            .await
            .unwrap()
            .as_deref(),
        Some("yes")
    );
}
