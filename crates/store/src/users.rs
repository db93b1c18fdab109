//! People who sign in to the web portal, each acting for one organisation.
//!
//! Passwords are stored only as Argon2id PHC strings (hashed by the server).
//! Failed sign-ins are counted per user; the server locks an account after
//! repeated failures by setting `locked_until`.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::{parse_optional_time, parse_time};

/// A user as stored, with the customs code of the organisation it acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Internal id (UUID v7).
    pub id: String,
    /// Internal id of the organisation.
    pub organisation_id: String,
    /// Customs code of the organisation.
    pub organisation_code: String,
    /// Sign-in name, unique across the platform.
    pub login: String,
    /// The person's name (personal data).
    pub display_name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Whether the account may sign in at all.
    pub active: bool,
    /// Consecutive failed sign-ins since the last success.
    pub failed_sign_ins: i64,
    /// Sign-in refused until this instant, after too many failures.
    pub locked_until: Option<Timestamp>,
    /// When the account was created.
    pub created_at: Timestamp,
}

/// What is needed to create a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Internal id of the organisation.
    pub organisation_id: String,
    /// Sign-in name.
    pub login: String,
    /// The person's name.
    pub display_name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
}

const SELECT: &str = "SELECT u.id, u.organisation_id, o.customs_code, u.login, u.display_name, \
     u.password_hash, u.status, u.failed_sign_ins, u.locked_until, u.created_at \
     FROM users u JOIN organisations o ON o.id = u.organisation_id";

/// Creates an active user; a taken login is [`StoreError::Duplicate`].
pub async fn insert(conn: &mut Conn, new: &NewUser, now: Timestamp) -> Result<User, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    crate::sql::query(
        "INSERT INTO users (id, organisation_id, login, display_name, password_hash, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'active', $6)",
    )
    .bind(&id)
    .bind(&new.organisation_id)
    .bind(&new.login)
    .bind(&new.display_name)
    .bind(&new.password_hash)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique("login", &new.login))?;
    find_by_id(conn, &id).await?.ok_or(StoreError::NotFound {
        what: "user",
        key: id,
    })
}

/// Finds a user by sign-in name.
pub async fn find_by_login(conn: &mut Conn, login: &str) -> Result<Option<User>, StoreError> {
    if has_nul(login) {
        return Ok(None);
    }
    let sql = format!("{SELECT} WHERE u.login = $1");
    let row = crate::sql::query_text(sql)
        .bind(login)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Finds a user by id.
pub async fn find_by_id(conn: &mut Conn, id: &str) -> Result<Option<User>, StoreError> {
    let sql = format!("{SELECT} WHERE u.id = $1");
    let row = crate::sql::query_text(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Lists an organisation's users by login.
pub async fn list_for_organisation(
    conn: &mut Conn,
    organisation_id: &str,
) -> Result<Vec<User>, StoreError> {
    let sql = format!("{SELECT} WHERE u.organisation_id = $1 ORDER BY u.login");
    let rows = crate::sql::query_text(sql)
        .bind(organisation_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Counts one more failed sign-in, in one statement so that concurrent
/// attempts cannot lose a count; once the count reaches `threshold` the
/// account is locked until `lock_until`. Returns the new count.
pub async fn record_failed_sign_in(
    conn: &mut Conn,
    user_id: &str,
    threshold: i64,
    lock_until: Timestamp,
) -> Result<i64, StoreError> {
    let count: i64 = crate::sql::query_scalar(
        "UPDATE users SET failed_sign_ins = failed_sign_ins + 1, \
         locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3 ELSE locked_until END \
         WHERE id = $1 RETURNING failed_sign_ins",
    )
    .bind(user_id)
    .bind(threshold)
    .bind(lock_until.to_string())
    .fetch_one(conn)
    .await?;
    Ok(count)
}

/// Clears the failure count and any lock after a successful sign-in.
pub async fn record_successful_sign_in(conn: &mut Conn, user_id: &str) -> Result<(), StoreError> {
    crate::sql::query("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets a user's password (its hash) after a reset by the zone
/// administration, clears its failure count and lock, and ends every
/// session the user had (whoever held one signed in with the old
/// password). Returns whether the user exists.
pub async fn set_password(
    conn: &mut Conn,
    user_id: &str,
    password_hash: &str,
) -> Result<bool, StoreError> {
    let changed = crate::sql::query(
        "UPDATE users SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL WHERE id = $1",
    )
    .bind(user_id)
    .bind(password_hash)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    crate::sql::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(changed == 1)
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    let status: String = row.try_get(6)?;
    Ok(User {
        id: row.try_get(0)?,
        organisation_id: row.try_get(1)?,
        organisation_code: row.try_get(2)?,
        login: row.try_get(3)?,
        display_name: row.try_get(4)?,
        password_hash: row.try_get(5)?,
        active: match status.as_str() {
            "active" => true,
            "disabled" => false,
            _ => return Err(StoreError::corrupt("user status", status)),
        },
        failed_sign_ins: row.try_get(7)?,
        locked_until: parse_optional_time(row, "locked_until")?,
        created_at: parse_time(row, "created_at")?,
    })
}
