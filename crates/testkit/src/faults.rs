//! Storage faults made on purpose, so that tests can watch the platform
//! meet a full disk or a read-only database and recover (issue #14,
//! finding 3) without mounting a small file system (which needs
//! privileges CI may not have).
//!
//! - SQLite: `kuajing_store::size_limit::hold_at_current_size` on the
//!   store's writer makes every write that needs a new page fail with
//!   `SQLITE_FULL`, exactly as a full disk does (it lives in the store,
//!   which owns the writer).
//! - PostgreSQL: `default_transaction_read_only` on the database, with every
//!   other session ended so that the pool reconnects under it, makes every
//!   write fail with `25006 read_only_sql_transaction`; resetting it (and
//!   ending the sessions again) lets writes through. A disk-full
//!   (`53100`) cannot be provoked without filling the server's disk.

use sqlx::Connection;

use crate::TestDatabase;

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
