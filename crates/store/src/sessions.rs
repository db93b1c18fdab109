//! Web sessions. The cookie carries a random secret; only its SHA-256 is
//! stored, so a copy of the database cannot be used to sign in.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::error::StoreError;
use crate::organisations::parse_time;

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 (hex) of the cookie secret.
    pub token_hash: String,
    /// The signed-in user.
    pub user_id: String,
    /// The synchroniser token that forms posted in this session must carry.
    pub csrf_token: String,
    /// When the user signed in.
    pub created_at: Timestamp,
    /// Last request seen.
    pub last_seen_at: Timestamp,
    /// When it lapses unless used again.
    pub expires_at: Timestamp,
}

/// Stores a new session.
pub async fn insert(
    conn: &mut Conn,
    session: &Session,
    ip: Option<&str>,
) -> Result<(), StoreError> {
    crate::sql::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&session.token_hash)
    .bind(&session.user_id)
    .bind(&session.csrf_token)
    .bind(session.created_at.to_string())
    .bind(session.last_seen_at.to_string())
    .bind(session.expires_at.to_string())
    .bind(ip)
    .execute(conn)
    .await?;
    Ok(())
}

/// Finds a session that has not lapsed at `now`.
pub async fn find_live(
    conn: &mut Conn,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<Session>, StoreError> {
    let row = crate::sql::query(
        "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at \
         FROM sessions WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(Session {
            token_hash: row.try_get(0)?,
            user_id: row.try_get(1)?,
            csrf_token: row.try_get(2)?,
            created_at: parse_time(&row, "created_at")?,
            last_seen_at: parse_time(&row, "last_seen_at")?,
            expires_at: parse_time(&row, "expires_at")?,
        })
    })
    .transpose()
}

/// Extends a session that is in use (sliding expiry).
pub async fn touch(
    conn: &mut Conn,
    token_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query(
        "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3",
    )
    .bind(now.to_string())
    .bind(expires_at.to_string())
    .bind(token_hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends a session (sign-out).
pub async fn delete(conn: &mut Conn, token_hash: &str) -> Result<(), StoreError> {
    crate::sql::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes lapsed sessions; returns how many.
pub async fn delete_expired(conn: &mut Conn, now: Timestamp) -> Result<u64, StoreError> {
    let done = crate::sql::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
