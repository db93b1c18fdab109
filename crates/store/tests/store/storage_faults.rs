//! A full disk or a read-only database (issue #14, findings 3 and 12):
//! the failure names its cause, leaves the writer usable, the write probe
//! follows it, and a database that takes no writes is refused at once.

use kuajing_store::size_limit::hold_at_current_size;
use kuajing_store::{StorageFault, StoreError, settings};
use kuajing_testkit::faults::postgres_read_only;
use kuajing_testkit::{TestBackend, dual_backend_tests};

use super::*;

/// Makes the store's database refuse writes (`true`) or take them again:
/// a full file on SQLite, a read-only database on PostgreSQL.
async fn refuse_writes(db: &TestDatabase, store: &Store, refuse: bool) {
    match db.backend {
        TestBackend::Sqlite => {
            let mut tx = store.begin().await.expect("the writer");
            hold_at_current_size(&mut tx, refuse).await.unwrap();
            tx.commit().await.expect("commit");
        }
        TestBackend::Postgres => postgres_read_only(db, refuse).await,
    }
}

/// The fault the backend's refusal is.
fn expected(db: &TestDatabase) -> StorageFault {
    match db.backend {
        TestBackend::Sqlite => StorageFault::Full,
        TestBackend::Postgres => StorageFault::ReadOnly,
    }
}

/// Writes a setting of 256 KiB (more pages than any file has free).
async fn big_write(store: &Store, key: &str) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    settings::put(&mut tx, key, &"x".repeat(256 * 1024)).await?;
    tx.commit().await.map_err(StoreError::from)
}

dual_backend_tests! {
    async fn a_write_refused_by_the_storage_names_it_and_leaves_the_writer_usable(db: TestDatabase) {
        let store = migrated(&db).await;
        refuse_writes(&db, &store, true).await;
        let error = big_write(&store, "a").await.unwrap_err();
        assert_eq!(error.storage_fault(), Some(expected(&db)), "{error}");
        // The server notes such a failure; the probe then follows it.
        store.note_write_failure(expected(&db));
        // Still refused (SQLite: the writer may have been replaced, which
        // forgets the limit: set it again, the disk being still full).
        refuse_writes(&db, &store, true).await;
        let probe = store.check_writes().await.unwrap_err();
        assert_eq!(probe.storage_fault(), Some(expected(&db)), "{probe}");
        assert_eq!(store.write_fault(), Some(expected(&db)));
        // Space freed: the probe goes through and clears the fault, and so
        // do writes — no restart.
        refuse_writes(&db, &store, false).await;
        store.check_writes().await.unwrap();
        assert_eq!(store.write_fault(), None);
        big_write(&store, "b").await.unwrap();
        let mut conn = store.reader().await.unwrap();
        assert!(settings::get(&mut conn, "b").await.unwrap().is_some());
        assert!(settings::get(&mut conn, "a").await.unwrap().is_none(), "the refused write left nothing");
        assert!(settings::get(&mut conn, "storage_probe").await.unwrap().is_none(), "the probe leaves no row");
    }

    async fn a_database_that_takes_no_writes_is_refused_at_once_naming_why(db: TestDatabase) {
        migrated(&db).await.close().await;
        let url = match db.backend {
            // Root ignores file modes, so a read-only file is simulated by
            // opening it read-only, which is what SQLite does with one.
            TestBackend::Sqlite => format!("{}?mode=ro", db.url),
            TestBackend::Postgres => {
                postgres_read_only(&db, true).await;
                db.url.clone()
            }
        };
        let started = std::time::Instant::now();
        let error = Store::connect(&url).await.unwrap_err();
        assert_eq!(error.storage_fault(), Some(StorageFault::ReadOnly), "{error}");
        assert!(error.to_string().contains("read-only"), "{error}");
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "not the pool's 30 s timeout");
    }
}

#[tokio::test]
async fn a_sqlite_file_in_a_missing_directory_cannot_be_opened() {
    let db = TestDatabase::create(TestBackend::Sqlite).await;
    let url = db.url.replace("kuajing.db", "no/such/dir/kuajing.db");
    let error = Store::connect(&url).await.unwrap_err();
    assert_eq!(
        error.storage_fault(),
        Some(StorageFault::CannotOpen),
        "{error}"
    );
}
