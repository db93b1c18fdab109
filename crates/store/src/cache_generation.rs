//! The generation (缓存代次) of the rarely-changing records the intake
//! keeps in memory (issue #16, item 3): the parties' standing and roles,
//! the tariff, the filed commodities, the bonded books and their lines'
//! units. Migration 0021 gives the one row of `cache_generation` a value
//! never used before in the same transaction as any change to those
//! tables (a trigger on each), so an entry read under one generation may be
//! used exactly while the database still shows it — on this server or any
//! other sharing the database — and never after a change has committed.

use crate::{Conn, StoreError};

/// The generation the database shows now. Read it before the records a
/// cache keeps under it: a record read after it is as new as it or newer,
/// never older.
pub async fn current(conn: &mut Conn) -> Result<i64, StoreError> {
    let generation =
        crate::sql::query_scalar("SELECT generation FROM cache_generation WHERE id = 1")
            .fetch_one(conn)
            .await?;
    Ok(generation)
}
