//! Small key–value facts about the database itself, such as whether it holds
//! the demo data set.

use crate::Conn;

use crate::error::StoreError;

/// Key under which a demo load records itself.
pub const DEMO: &str = "demo_data";

/// Reads a setting.
pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<String>, StoreError> {
    Ok(
        crate::sql::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(conn)
            .await?,
    )
}

/// Writes a setting, replacing any earlier value.
pub async fn put(conn: &mut Conn, key: &str, value: &str) -> Result<(), StoreError> {
    crate::sql::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}
