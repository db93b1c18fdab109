//! SQLite's database size limit (`PRAGMA max_page_count`) on the writer.
//!
//! Held at the file's current size, every write that needs a new page
//! fails with `SQLITE_FULL`, exactly as a full disk does, and raising it
//! again is space freed — how the tests watch the platform meet a full
//! disk and recover (issue #14, finding 3) without mounting a small file
//! system. The setting belongs to one connection: give it the store's
//! writer, reached through a write transaction ([`crate::Store::begin`]).

use crate::Conn;
use crate::sql::{query_scalar, query_text};

/// SQLite's own default maximum page count.
const SQLITE_MAX_PAGES: i64 = 4_294_967_294;

/// Lets the database file on `writer` grow by no page (`true`), or by any
/// number again (`false`).
pub async fn hold_at_current_size(writer: &mut Conn, full: bool) -> Result<(), sqlx::Error> {
    let limit = if full {
        query_scalar::<i64>("PRAGMA page_count")
            .fetch_one(&mut *writer)
            .await?
    } else {
        SQLITE_MAX_PAGES
    };
    query_text(format!("PRAGMA max_page_count = {limit}"))
        .execute(writer)
        .await?;
    Ok(())
}
