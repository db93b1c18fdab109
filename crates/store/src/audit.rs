//! The audit trail (审计日志): every write, every sign-in and every read of
//! personal data, with who, for which organisation, what, when, from where and
//! how it ended.
//!
//! Append-only: this module has no update or delete, and the schema's
//! triggers make the database refuse them too.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::storable;
use crate::dynamic::Statement;
use crate::error::StoreError;
use crate::organisations::parse_time;

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    /// A person signed in to the web portal.
    User,
    /// A system calling with an API token.
    Token,
    /// The operator at the command line (`kuajing …`).
    Operator,
    /// Someone not (yet) identified, e.g. a failed sign-in.
    Anonymous,
    /// The platform itself (demo load, housekeeping).
    System,
}

/// How the action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Done.
    Success,
    /// Refused by the access rules, or a failed sign-in.
    Denied,
    /// Attempted but failed (bad input, conflict).
    Failed,
}

macro_rules! text_enum {
    ($ty:ident { $($variant:ident = $name:literal),* }) => {
        impl $ty {
            /// The stored and API name.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),* }
            }
            /// Parses the stored and API name.
            pub fn parse(value: &str) -> Option<Self> {
                match value { $($name => Some($ty::$variant),)* _ => None }
            }
        }
    };
}

text_enum!(ActorKind { User = "user", Token = "token", Operator = "operator", Anonymous = "anonymous", System = "system" });
text_enum!(Outcome { Success = "success", Denied = "denied", Failed = "failed" });

/// An entry to append.
#[derive(Debug, Clone)]
pub struct NewAuditEntry<'a> {
    /// Who acted.
    pub actor_kind: ActorKind,
    /// User id or token id.
    pub actor_id: Option<&'a str>,
    /// Login, token prefix or `operator`.
    pub actor_name: Option<&'a str>,
    /// Customs code of the organisation acted for.
    pub organisation_code: Option<&'a str>,
    /// What was done, as `area.verb` (e.g. `organisation.create`, `sign_in`).
    pub action: &'a str,
    /// The record acted on (e.g. a customs code, a token id).
    pub target: Option<&'a str>,
    /// How it ended.
    pub outcome: Outcome,
    /// Client address.
    pub ip: Option<&'a str>,
    /// Further detail (JSON text or a short note); never a secret.
    pub detail: Option<&'a str>,
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// Position in the trail; strictly increasing.
    pub seq: i64,
    /// When.
    pub at: Timestamp,
    /// Who acted.
    pub actor_kind: ActorKind,
    /// User id or token id.
    pub actor_id: Option<String>,
    /// Login, token prefix or `operator`.
    pub actor_name: Option<String>,
    /// Organisation acted for.
    pub organisation_code: Option<String>,
    /// What was done.
    pub action: String,
    /// The record acted on.
    pub target: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// Client address.
    pub ip: Option<String>,
    /// Further detail.
    pub detail: Option<String>,
}

/// Filters for [`list`]; all optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Organisation acted for.
    pub organisation_code: Option<String>,
    /// Action, or the start of one (`organisation.` matches all organisation actions).
    pub action_prefix: Option<String>,
    /// Outcome.
    pub outcome: Option<Outcome>,
    /// Login or token prefix of the actor.
    pub actor_name: Option<String>,
    /// At or after.
    pub from: Option<Timestamp>,
    /// Before.
    pub to: Option<Timestamp>,
    /// Only entries older than this position (the cursor of the previous page).
    pub before_seq: Option<i64>,
    /// Page size.
    pub limit: i64,
}

/// Appends one entry.
pub async fn append(
    conn: &mut Conn,
    entry: &NewAuditEntry<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query(
        "INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, organisation_code, action, \
         target, outcome, ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(now.to_string())
    .bind(entry.actor_kind.as_str())
    .bind(storable(entry.actor_id))
    .bind(storable(entry.actor_name))
    .bind(storable(entry.organisation_code))
    .bind(entry.action)
    .bind(storable(entry.target))
    .bind(entry.outcome.as_str())
    .bind(storable(entry.ip))
    .bind(storable(entry.detail))
    .execute(conn)
    .await?;
    Ok(())
}

/// Lists entries matching `filter`, newest first.
pub async fn list(conn: &mut Conn, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
    let mut query = Statement::new(
        "SELECT seq, at, actor_kind, actor_id, actor_name, organisation_code, action, target, \
         outcome, ip, detail FROM audit_log WHERE 1 = 1",
    );
    if let Some(code) = &filter.organisation_code {
        query.push(" AND organisation_code = ").bind(code.clone());
    }
    if let Some(prefix) = &filter.action_prefix {
        query
            .push(" AND action LIKE ")
            .bind(format!("{}%", crate::dynamic::escape_like(prefix)))
            .push(" ESCAPE '\\'");
    }
    if let Some(outcome) = filter.outcome {
        query
            .push(" AND outcome = ")
            .bind(outcome.as_str().to_owned());
    }
    if let Some(name) = &filter.actor_name {
        query.push(" AND actor_name = ").bind(name.clone());
    }
    if let Some(from) = filter.from {
        query.push(" AND at >= ").bind(from.to_string());
    }
    if let Some(to) = filter.to {
        query.push(" AND at < ").bind(to.to_string());
    }
    if let Some(before) = filter.before_seq {
        query.push(" AND seq < ").bind(before);
    }
    query
        .push(" ORDER BY seq DESC LIMIT ")
        .bind(filter.limit.clamp(1, 1000));
    let rows = query.fetch_all(conn).await?;
    rows.iter().map(from_row).collect()
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<AuditEntry, StoreError> {
    let kind: String = row.try_get(2)?;
    let outcome: String = row.try_get(8)?;
    Ok(AuditEntry {
        seq: row.try_get(0)?,
        at: parse_time(row, "at")?,
        actor_kind: ActorKind::parse(&kind)
            .ok_or_else(|| StoreError::corrupt("actor kind", &kind))?,
        actor_id: row.try_get(3)?,
        actor_name: row.try_get(4)?,
        organisation_code: row.try_get(5)?,
        action: row.try_get(6)?,
        target: row.try_get(7)?,
        outcome: Outcome::parse(&outcome)
            .ok_or_else(|| StoreError::corrupt("outcome", &outcome))?,
        ip: row.try_get(9)?,
        detail: row.try_get(10)?,
    })
}
