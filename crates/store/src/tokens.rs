//! API tokens for system-to-system calls (Bearer). The secret is shown once
//! when issued; only its SHA-256 is stored, with a short prefix so people can
//! tell tokens apart in lists.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::{parse_optional_time, parse_time};

/// A token as stored (never the secret itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    /// Id (UUID v7), used to revoke it.
    pub id: String,
    /// Customs code of the organisation it acts for.
    pub organisation_code: String,
    /// The first characters of the secret, for recognition.
    pub prefix: String,
    /// What it is for, as its issuer described it.
    pub label: String,
    /// Who issued it (a login, or `operator` for the command line).
    pub created_by: String,
    /// When it was issued.
    pub created_at: Timestamp,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
    /// Who revoked it.
    pub revoked_by: Option<String>,
}

/// What is needed to store a new token.
#[derive(Debug, Clone)]
pub struct NewApiToken<'a> {
    /// Internal id of the organisation.
    pub organisation_id: &'a str,
    /// SHA-256 (hex) of the secret.
    pub token_hash: &'a str,
    /// First characters of the secret.
    pub prefix: &'a str,
    /// What it is for.
    pub label: &'a str,
    /// Who issues it.
    pub created_by: &'a str,
}

const SELECT: &str = "SELECT t.id, o.customs_code, t.prefix, t.label, t.created_by, t.created_at, \
     t.revoked_at, t.revoked_by FROM api_tokens t JOIN organisations o ON o.id = t.organisation_id";

/// Stores a new token; returns it.
pub async fn insert(
    conn: &mut Conn,
    new: &NewApiToken<'_>,
    now: Timestamp,
) -> Result<ApiToken, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    crate::sql::query(
        "INSERT INTO api_tokens (id, organisation_id, token_hash, prefix, label, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(new.organisation_id)
    .bind(new.token_hash)
    .bind(new.prefix)
    .bind(new.label)
    .bind(new.created_by)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    find_by_id(conn, &id).await?.ok_or(StoreError::NotFound {
        what: "API token",
        key: id,
    })
}

/// Finds a token by id (revoked or not).
pub async fn find_by_id(conn: &mut Conn, id: &str) -> Result<Option<ApiToken>, StoreError> {
    if has_nul(id) {
        return Ok(None);
    }
    let sql = format!("{SELECT} WHERE t.id = $1");
    let row = crate::sql::query_text(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Finds the unrevoked token with this secret hash.
pub async fn find_live_by_hash(
    conn: &mut Conn,
    token_hash: &str,
) -> Result<Option<ApiToken>, StoreError> {
    let sql = format!("{SELECT} WHERE t.token_hash = $1 AND t.revoked_at IS NULL");
    let row = crate::sql::query_text(sql)
        .bind(token_hash)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Lists tokens, newest first; of one organisation if `customs_code` is given.
pub async fn list(
    conn: &mut Conn,
    customs_code: Option<&str>,
) -> Result<Vec<ApiToken>, StoreError> {
    let rows = match customs_code {
        Some(code) if has_nul(code) => Vec::new(),
        Some(code) => {
            let sql =
                format!("{SELECT} WHERE o.customs_code = $1 ORDER BY t.created_at DESC, t.id DESC");
            crate::sql::query_text(sql)
                .bind(code)
                .fetch_all(conn)
                .await?
        }
        None => {
            let sql = format!("{SELECT} ORDER BY t.created_at DESC, t.id DESC");
            crate::sql::query_text(sql).fetch_all(conn).await?
        }
    };
    rows.iter().map(from_row).collect()
}

/// Revokes a token; returns whether it was live before.
pub async fn revoke(
    conn: &mut Conn,
    id: &str,
    by: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = crate::sql::query(
        "UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL",
    )
    .bind(now.to_string())
    .bind(by)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: row.try_get(0)?,
        organisation_code: row.try_get(1)?,
        prefix: row.try_get(2)?,
        label: row.try_get(3)?,
        created_by: row.try_get(4)?,
        created_at: parse_time(row, "created_at")?,
        revoked_at: parse_optional_time(row, "revoked_at")?,
        revoked_by: row.try_get(7)?,
    })
}
