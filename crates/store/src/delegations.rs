//! Delegations (委托申报, issue #14; migration 0017): the party named in
//! customs documents (the principal) lets another enterprise (the agent)
//! declare one scope of them for it, until it revokes the delegation or
//! the delegation lapses. Rows are never deleted: a revocation records who
//! and when, so the audit of who could declare what on a day stays
//! answerable from the table itself.
//!
//! At most one delegation of a scope between two enterprises is in force
//! (a partial unique index), so a second grant is [`StoreError::Duplicate`]
//! naming `scope`; a revocation is one conditional `UPDATE … WHERE
//! revoked_at IS NULL`, so two revocations cannot both succeed.

use kuajing_core::delegation::Scope;
use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::{parse_optional_time, parse_time};

/// A delegation to grant.
#[derive(Debug, Clone, Copy)]
pub struct NewDelegation<'a> {
    /// The party delegating (委托方): the enterprise named in the documents.
    pub principal_code: &'a str,
    /// The enterprise that may declare them (受托方).
    pub agent_code: &'a str,
    /// Which documents.
    pub scope: Scope,
    /// Until when (exclusive); `None` until revoked.
    pub valid_until: Option<Timestamp>,
    /// The principal's note (e.g. the contract it rests on), may be empty.
    pub note: &'a str,
    /// Who granted it (the user's name).
    pub granted_by: &'a str,
}

/// A delegation as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delegation {
    /// Its key, in order of granting.
    pub delegation_id: i64,
    /// The party delegating.
    pub principal_code: String,
    /// The enterprise that may declare.
    pub agent_code: String,
    /// Which documents.
    pub scope: Scope,
    /// Until when (exclusive), if limited.
    pub valid_until: Option<Timestamp>,
    /// The principal's note.
    pub note: String,
    /// Who granted it.
    pub granted_by: String,
    /// When.
    pub granted_at: Timestamp,
    /// Who revoked it, if revoked.
    pub revoked_by: Option<String>,
    /// When.
    pub revoked_at: Option<Timestamp>,
}

impl Delegation {
    /// Whether it lets the agent declare at `at`: not revoked, not lapsed.
    pub fn in_force(&self, at: Timestamp) -> bool {
        self.revoked_at.is_none() && self.valid_until.is_none_or(|until| at < until)
    }
}

const COLUMNS: &str = "delegation_id, principal_code, agent_code, scope, valid_until, note, \
     granted_by, granted_at, revoked_by, revoked_at";

/// Grants a delegation ([`StoreError::Duplicate`] naming `scope` if one of
/// the same scope between the same two enterprises is not revoked yet).
pub async fn grant(
    conn: &mut Conn,
    new: &NewDelegation<'_>,
    now: Timestamp,
) -> Result<Delegation, StoreError> {
    let id: i64 = crate::sql::query_scalar(
        "INSERT INTO delegations (principal_code, agent_code, scope, valid_until, note, \
         granted_by, granted_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING delegation_id",
    )
    .bind(new.principal_code)
    .bind(new.agent_code)
    .bind(new.scope.as_str())
    .bind(new.valid_until.map(|t| t.to_string()))
    .bind(new.note)
    .bind(new.granted_by)
    .bind(now.to_string())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::on_unique("scope", new.scope.as_str()))?;
    find(conn, id)
        .await?
        .ok_or_else(|| StoreError::corrupt("delegation", id.to_string()))
}

/// Revokes the principal's delegation `delegation_id`: `None` if it is not
/// the principal's or is revoked already (nothing changes then).
pub async fn revoke(
    conn: &mut Conn,
    delegation_id: i64,
    principal_code: &str,
    revoked_by: &str,
    now: Timestamp,
) -> Result<Option<Delegation>, StoreError> {
    let changed = crate::sql::query(
        "UPDATE delegations SET revoked_by = $1, revoked_at = $2 \
         WHERE delegation_id = $3 AND principal_code = $4 AND revoked_at IS NULL",
    )
    .bind(revoked_by)
    .bind(now.to_string())
    .bind(delegation_id)
    .bind(principal_code)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(None);
    }
    find(conn, delegation_id).await
}

/// The delegation with key `delegation_id`, if there is one.
pub async fn find(conn: &mut Conn, delegation_id: i64) -> Result<Option<Delegation>, StoreError> {
    let row = crate::sql::query_text(format!(
        "SELECT {COLUMNS} FROM delegations WHERE delegation_id = $1"
    ))
    .bind(delegation_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// The principals that delegated to `agent_code` a scope in force at `at`,
/// with the scope: what the intake asks once per message whose documents
/// name a party other than their sender.
pub async fn in_force_for_agent(
    conn: &mut Conn,
    agent_code: &str,
    at: Timestamp,
) -> Result<Vec<(String, Scope)>, StoreError> {
    if has_nul(agent_code) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT principal_code, scope FROM delegations WHERE agent_code = $1 \
         AND revoked_at IS NULL AND (valid_until IS NULL OR valid_until > $2) \
         ORDER BY principal_code, scope",
    )
    .bind(agent_code)
    .bind(at.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let principal: String = row.try_get("principal_code")?;
            let scope: String = row.try_get("scope")?;
            let scope = scope
                .parse()
                .map_err(|_| StoreError::corrupt("delegation scope", scope))?;
            Ok((principal, scope))
        })
        .collect()
}

/// Which delegations to list.
#[derive(Debug, Clone, Default)]
pub struct DelegationFilter {
    /// Only those this enterprise granted or received; `None` for all.
    pub party: Option<String>,
    /// Also those revoked.
    pub include_revoked: bool,
    /// At most this many (1–1000), newest first.
    pub limit: i64,
}

/// The delegations `filter` selects, newest first.
pub async fn list(
    conn: &mut Conn,
    filter: &DelegationFilter,
) -> Result<Vec<Delegation>, StoreError> {
    if filter.party.as_deref().is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let mut statement =
        crate::dynamic::Statement::new(format!("SELECT {COLUMNS} FROM delegations WHERE 1 = 1"));
    if let Some(party) = &filter.party {
        statement
            .push(" AND (principal_code = ")
            .bind(party.clone())
            .push(" OR agent_code = ")
            .bind(party.clone())
            .push(")");
    }
    if !filter.include_revoked {
        statement.push(" AND revoked_at IS NULL");
    }
    statement
        .push(" ORDER BY delegation_id DESC LIMIT ")
        .bind(filter.limit.clamp(1, 1000));
    let rows = statement.fetch_all(conn).await?;
    rows.iter().map(from_row).collect()
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Delegation, StoreError> {
    let scope: String = row.try_get("scope")?;
    Ok(Delegation {
        delegation_id: row.try_get("delegation_id")?,
        principal_code: row.try_get("principal_code")?,
        agent_code: row.try_get("agent_code")?,
        scope: scope
            .parse()
            .map_err(|_| StoreError::corrupt("delegation scope", scope))?,
        valid_until: parse_optional_time(row, "valid_until")?,
        note: row.try_get("note")?,
        granted_by: row.try_get("granted_by")?,
        granted_at: parse_time(row, "granted_at")?,
        revoked_by: row.try_get("revoked_by")?,
        revoked_at: parse_optional_time(row, "revoked_at")?,
    })
}
