//! The store's floor (issue #16): what any intake must write for a message —
//! the message as received, its bytes and SHA-256, one row — with none of
//! the business work, so that `kuajing bench clearance` can put the
//! clearance's rate beside what the same database gives at best. The table
//! exists only in a database a server was started on with
//! `--bench-store-floor` (the bench's own): [`create_table`] makes it then;
//! the migrations never do, so production schemas do not carry it.

use kuajing_core::timestamp::Timestamp;

use crate::{Backend, Conn, Store, StoreError};

/// Creates the floor's table if it is missing: the columns of a kept
/// message that any intake writes (`ceb_messages`' id, digest, size, body
/// and time of receipt).
pub async fn create_table(store: &Store) -> Result<(), StoreError> {
    let sql = match store.backend() {
        Backend::Sqlite => {
            "CREATE TABLE IF NOT EXISTS store_floor (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, \
             size_bytes INTEGER NOT NULL, body BLOB NOT NULL, received_at TEXT NOT NULL)"
        }
        Backend::Postgres => {
            "CREATE TABLE IF NOT EXISTS store_floor (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, \
             size_bytes BIGINT NOT NULL, body BYTEA NOT NULL, received_at TEXT NOT NULL)"
        }
    };
    let mut tx = store.begin().await?;
    crate::sql::query(sql).execute(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Keeps one message: one insert, in the caller's transaction (the group
/// commit's).
pub async fn keep(
    conn: &mut Conn,
    id: &str,
    sha256: &str,
    body: &[u8],
    received_at: Timestamp,
) -> Result<(), StoreError> {
    let size = i64::try_from(body.len()).unwrap_or(i64::MAX);
    crate::sql::query(
        "INSERT INTO store_floor (id, sha256, size_bytes, body, received_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(sha256)
    .bind(size)
    .bind(body.to_vec())
    .bind(received_at.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How many messages the floor kept (the bench checks its count).
pub async fn count(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(crate::sql::query_scalar("SELECT COUNT(*) FROM store_floor")
        .fetch_one(&mut *conn)
        .await?)
}
