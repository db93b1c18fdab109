//! Storage faults made on purpose, so that tests can watch the platform
//! meet a full disk or a read-only database and recover (issue #14,
//! finding 3) without mounting a small file system (which needs
//! privileges CI may not have).
//!
//! - SQLite: `PRAGMA max_page_count` at the file's current size makes every
//!   write that needs a new page fail with `SQLITE_FULL`, exactly as a full
//!   disk does, and raising it again is space freed. The setting belongs to
//!   one connection: give it the store's writer (the one connection of its
//!   write pool, reached through a write transaction). A connection the
//!   store replaces starts without it — set it again where the test means
//!   the disk to be still full.
//! - PostgreSQL: `default_transaction_read_only` on the database, with every
//!   other session ended so that the pool reconnects under it, makes every
//!   write fail with `25006 read_only_sql_transaction`; resetting it (and
//!   ending the sessions again) lets writes through. A disk-full
//!   (`53100`) cannot be provoked without filling the server's disk.

use sqlx::{AnyConnection, Connection, Executor};

use crate::TestDatabase;

/// SQLite: lets the database file on `writer` grow by no page (`true`), or
/// by any number again (`false`).
pub async fn sqlite_full(writer: &mut AnyConnection, full: bool) {
    let limit: i64 = if full {
        sqlx::query_scalar("PRAGMA page_count")
            .fetch_one(&mut *writer)
            .await
            .expect("page count")
    } else {
        // SQLite's own default maximum.
        4_294_967_294
    };
    writer
        .execute(sqlx::AssertSqlSafe(format!(
            "PRAGMA max_page_count = {limit}"
        )))
        .await
        .expect("max_page_count");
}

/// PostgreSQL: makes `db` refuse writes (`true`) or take them again
/// (`false`), ending every other session so that new ones follow.
pub async fn postgres_read_only(db: &TestDatabase, read_only: bool) {
    let mut admin = sqlx::PgConnection::connect(&db.url)
        .await
        .expect("connect to the test database");
    let name: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut admin)
        .await
        .expect("database name");
    let setting = if read_only { "on" } else { "off" };
    // This session may have started read-only itself.
    sqlx::raw_sql("SET default_transaction_read_only = off")
        .execute(&mut admin)
        .await
        .expect("a writable session");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "ALTER DATABASE {name} SET default_transaction_read_only = {setting}"
    )))
    .execute(&mut admin)
    .await
    .expect("alter database");
    sqlx::raw_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(&mut admin)
    .await
    .expect("end the other sessions");
    let _ = admin.close().await;
}
