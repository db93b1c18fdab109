//! Delegations (委托申报, issue #14 finding 1): an enterprise names the
//! enterprises that may declare customs documents naming it — a platform
//! letting a customs broker send its orders, an e-commerce enterprise
//! letting a declarer send its lists — and revokes them. The intake
//! (`clearance::authority`) accepts a document from its sender only if the
//! sender is the party the document names in the sender's role, or that
//! party delegated the document's scope to the sender.
//!
//! Access: an enterprise grants and revokes its own delegations
//! ([`Action::Delegate`]); it reads those it granted and those it received;
//! customs, which receives the documents, reads every one
//! ([`Action::ReadDelegations`]). Every grant and revocation is audited in
//! its own transaction; input is checked field by field before anything is
//! written.

use std::time::Duration;

use kuajing_core::access::{Action, Scope as AccessScope};
use kuajing_core::delegation::Scope;
use kuajing_core::ids::CustomsCode;
use kuajing_core::role::RoleKind;
use kuajing_core::timestamp::{CHINA_STANDARD_TIME, Timestamp};
use kuajing_store::Store;
use kuajing_store::delegations::{self as store, Delegation, DelegationFilter, NewDelegation};
use kuajing_store::organisations::{self, OrganisationStatus};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::validate;

/// The most delegations one list shows.
pub const MAX_DELEGATIONS: i64 = 1000;

/// A delegation to grant: one agent, one or more scopes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelegationInput {
    /// The enterprise that may declare (受托方): its 10-character customs
    /// code; it must be filed, active and hold an enterprise role.
    pub agent_code: String,
    /// What it may declare: one or more of `orders`, `payments`,
    /// `waybills`, `lists`, `site` — each one the caller's roles name it in
    /// (a payment company delegates `payments`, a warehouse `site`).
    pub scopes: Vec<String>,
    /// The last day (China date, `YYYY-MM-DD`) on which it is in force;
    /// absent until revoked.
    #[serde(default)]
    pub valid_through: Option<String>,
    /// A note, e.g. the agreement it rests on (at most 500 characters).
    #[serde(default)]
    pub note: String,
}

/// A delegation as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DelegationView {
    /// Its key (in the URL of its revocation).
    pub id: i64,
    /// The party delegating (委托方).
    pub principal_code: String,
    /// The enterprise that may declare (受托方).
    pub agent_code: String,
    /// `orders`, `payments`, `waybills`, `lists` or `site`.
    pub scope: String,
    /// The last day (China date) on which it is in force, if limited.
    pub valid_through: Option<String>,
    /// The principal's note.
    pub note: String,
    /// Whether it lets the agent declare now.
    pub in_force: bool,
    /// Who granted it.
    pub granted_by: String,
    /// When (RFC 3339, UTC).
    pub granted_at: String,
    /// Who revoked it.
    pub revoked_by: Option<String>,
    /// When (RFC 3339, UTC).
    pub revoked_at: Option<String>,
}

/// Which delegations to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DelegationQuery {
    /// Only those this enterprise granted or received (customs code). An
    /// enterprise always sees only its own; customs may name any.
    pub party: Option<String>,
    /// Also those revoked (default false).
    pub include_revoked: Option<bool>,
    /// At most this many, newest first (1–1000, default 200).
    pub limit: Option<i64>,
}

/// Grants the caller's enterprise's delegations of `input.scopes` to
/// `input.agent_code`, all or none (409 `DUPLICATE` naming `scope` if one
/// is in force already).
pub async fn grant(
    store: &Store,
    actor: &Actor,
    input: &DelegationInput,
) -> Result<Vec<DelegationView>> {
    let principal = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(
            store,
            Action::Delegate,
            &principal,
            "delegation.grant",
            &input.agent_code,
        )
        .await?;
    let scopes = scopes(actor, &input.scopes)?;
    let valid_until = valid_until(input.valid_through.as_deref())?;
    let note = validate::optional("note", Some(&input.note), 500)?.unwrap_or_default();
    let agent = agent(store, &principal, &input.agent_code).await?;
    let now = Timestamp::now();
    let mut tx = store.begin().await?;
    let mut granted = Vec::with_capacity(scopes.len());
    for scope in &scopes {
        let new = NewDelegation {
            principal_code: &principal,
            agent_code: &agent,
            scope: *scope,
            valid_until,
            note: &note,
            granted_by: &actor.name,
        };
        granted.push(store::grant(&mut tx, &new, now).await?);
    }
    let names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    let detail = format!("{agent} {}", names.join(","));
    let ids: Vec<String> = granted
        .iter()
        .map(|d| d.delegation_id.to_string())
        .collect();
    actor
        .commit(tx, "delegation.grant", Some(&ids.join(",")), Some(&detail))
        .await?;
    Ok(granted.into_iter().map(|d| view(d, now)).collect())
}

/// Revokes the caller's enterprise's delegation `id` (404 if it is not one
/// the caller granted; 409 `DELEGATION_REVOKED` if revoked already).
pub async fn revoke(store: &Store, actor: &Actor, id: i64) -> Result<DelegationView> {
    let not_found = || Error::NotFound {
        what: "delegation",
        key: id.to_string(),
    };
    let mut conn = store.reader().await?;
    let found = store::find(&mut conn, id).await?.ok_or_else(not_found)?;
    drop(conn);
    actor
        .authorize(
            store,
            Action::Delegate,
            &found.principal_code,
            "delegation.revoke",
            &id.to_string(),
        )
        .await
        .map_err(|_| not_found())?;
    let now = Timestamp::now();
    let mut tx = store.begin().await?;
    let Some(revoked) = store::revoke(&mut tx, id, &found.principal_code, &actor.name, now).await?
    else {
        return Err(Error::invalid(
            "id",
            "DELEGATION_REVOKED",
            format!("委托 {id} 已被撤销"),
            format!("delegation {id} is revoked already"),
        ));
    };
    let detail = format!("{} {}", revoked.agent_code, revoked.scope);
    actor
        .commit(
            tx,
            "delegation.revoke",
            Some(&id.to_string()),
            Some(&detail),
        )
        .await?;
    Ok(view(revoked, now))
}

/// The delegations the caller may read that the query selects, newest
/// first: an enterprise those it granted or received; customs every one
/// (or one party's).
pub async fn list(
    store: &Store,
    actor: &Actor,
    query: &DelegationQuery,
) -> Result<Vec<DelegationView>> {
    let own = actor.organisation_code.clone().unwrap_or_default();
    let asked = query
        .party
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let party = match actor.scope(Action::ReadDelegations) {
        Some(AccessScope::All) => asked.map(str::to_owned),
        _ => {
            let party = asked.unwrap_or(&own);
            actor
                .authorize(
                    store,
                    Action::ReadDelegations,
                    party,
                    "delegation.read",
                    party,
                )
                .await?;
            Some(party.to_owned())
        }
    };
    let filter = DelegationFilter {
        party,
        include_revoked: query.include_revoked.unwrap_or(false),
        limit: query.limit.unwrap_or(200).clamp(1, MAX_DELEGATIONS),
    };
    let mut conn = store.reader().await?;
    let found = store::list(&mut conn, &filter).await?;
    let now = Timestamp::now();
    Ok(found.into_iter().map(|d| view(d, now)).collect())
}

/// The scopes asked for, each named once and each one the caller's roles
/// let it delegate.
fn scopes(actor: &Actor, asked: &[String]) -> Result<Vec<Scope>> {
    if asked.is_empty() {
        return Err(Error::invalid(
            "scopes",
            "DELEGATION_SCOPE",
            "至少选择一类委托申报的单证（orders、payments、waybills、lists、site）",
            "name at least one scope (orders, payments, waybills, lists, site)",
        ));
    }
    let mut scopes: Vec<Scope> = Vec::with_capacity(asked.len());
    for (index, name) in asked.iter().enumerate() {
        let field = format!("scopes[{index}]");
        let scope: Scope = name.trim().parse().map_err(|_| {
            Error::invalid(
                &field,
                "DELEGATION_SCOPE",
                format!("须为 orders、payments、waybills、lists 或 site（申报值“{name}”）"),
                format!("must be orders, payments, waybills, lists or site (given '{name}')"),
            )
        })?;
        if !scope.delegable_by(actor.roles) {
            let roles: Vec<&str> = scope.principal_roles().iter().map(|r| r.as_str()).collect();
            return Err(Error::invalid(
                &field,
                "DELEGATION_SCOPE",
                format!(
                    "本机构不具备 {} 角色，不能委托 {scope} 类单证",
                    roles.join("、")
                ),
                format!(
                    "only an enterprise holding {} can delegate {scope}",
                    roles.join(" or ")
                ),
            ));
        }
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    Ok(scopes)
}

/// The end of a delegation limited to `valid_through` (a China date,
/// inclusive): the next China midnight, as a UTC instant. A day before
/// today is refused.
fn valid_until(valid_through: Option<&str>) -> Result<Option<Timestamp>> {
    let Some(text) = valid_through.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let invalid = || {
        Error::invalid(
            "valid_through",
            "DELEGATION_VALID_THROUGH",
            format!("须为今天或以后的日期 YYYY-MM-DD（中国时间，申报值“{text}”）"),
            format!("must be a date YYYY-MM-DD, today or later in China time (given '{text}')"),
        )
    };
    let day = validate::parse_date(text).ok_or_else(invalid)?;
    if day < Timestamp::now().in_china().date() {
        return Err(invalid());
    }
    let midnight = day.midnight().assume_offset(CHINA_STANDARD_TIME);
    Ok(Some(
        Timestamp::from_datetime(midnight).plus(Duration::from_secs(24 * 3600)),
    ))
}

/// The agent: a filed, active enterprise other than the principal.
async fn agent(store: &Store, principal: &str, asked: &str) -> Result<String> {
    let code = CustomsCode::parse(asked.trim())
        .map_err(|error| Error::invalid_id("agent_code", &error))?;
    if code.as_str() == principal {
        return Err(Error::invalid(
            "agent_code",
            "DELEGATION_SELF",
            "不能委托本机构自己",
            "an enterprise cannot delegate to itself",
        ));
    }
    let mut conn = store.reader().await?;
    let found = organisations::find_by_code(&mut conn, code.as_str()).await?;
    let usable = found.is_some_and(|o| {
        o.status == OrganisationStatus::Active
            && o.roles.iter().any(|r| r.kind() == RoleKind::Enterprise)
    });
    if !usable {
        return Err(Error::invalid(
            "agent_code",
            "DELEGATION_AGENT",
            format!("受托方 {code} 不是本平台已备案、状态正常的企业"),
            format!("agent {code} is not an active enterprise filed with the platform"),
        ));
    }
    Ok(code.as_str().to_owned())
}

fn view(d: Delegation, now: Timestamp) -> DelegationView {
    let in_force = d.in_force(now);
    DelegationView {
        id: d.delegation_id,
        valid_through: d.valid_until.map(|until| {
            until
                .minus(Duration::from_secs(1))
                .in_china()
                .date()
                .to_string()
        }),
        principal_code: d.principal_code,
        agent_code: d.agent_code,
        scope: d.scope.as_str().to_owned(),
        note: d.note,
        in_force,
        granted_by: d.granted_by,
        granted_at: d.granted_at.to_string(),
        revoked_by: d.revoked_by,
        revoked_at: d.revoked_at.map(|t| t.to_string()),
    }
}
