//! Who is acting: a signed-in user, a system with an API token, or the
//! operator at the command line. Every use case takes an [`Actor`], asks it
//! whether the access rules allow the action ([`Actor::authorize`]), and
//! writes what it did to the audit trail under the actor's name.

use kuajing_core::access::{self, Action, Denied, Principal, Scope};
use kuajing_core::role::RoleSet;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::audit::{self, ActorKind, NewAuditEntry, Outcome};
use kuajing_store::{Store, StoreError, WriteTx};

use crate::error::Result;

/// The web session an actor came through (absent for tokens and the operator).
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// SHA-256 of the session cookie.
    pub token_hash: String,
    /// The session's CSRF token, which its forms must carry.
    pub csrf_token: String,
}

/// Someone acting on the platform.
#[derive(Debug, Clone)]
pub struct Actor {
    /// User, token, operator or system.
    pub kind: ActorKind,
    /// User id or token id.
    pub id: Option<String>,
    /// Login, token prefix, `operator` or `system`.
    pub name: String,
    /// Display name of a signed-in user.
    pub display_name: Option<String>,
    /// Customs code of the organisation acted for.
    pub organisation_code: Option<String>,
    /// Name of that organisation.
    pub organisation_name: Option<String>,
    /// Roles of that organisation.
    pub roles: RoleSet,
    /// Client address.
    pub ip: Option<String>,
    /// The web session, if any.
    pub session: Option<SessionInfo>,
}

impl Actor {
    /// The operator at the command line. Whoever can run `kuajing` against the
    /// database already holds it, so the operator passes every access rule;
    /// what the operator does is still audited.
    pub fn operator() -> Actor {
        Actor::local(ActorKind::Operator, "operator")
    }

    /// The platform itself (demo load, housekeeping).
    pub fn system() -> Actor {
        Actor::local(ActorKind::System, "system")
    }

    fn local(kind: ActorKind, name: &str) -> Actor {
        Actor {
            kind,
            id: None,
            name: name.to_owned(),
            display_name: None,
            organisation_code: None,
            organisation_name: None,
            roles: RoleSet::EMPTY,
            ip: None,
            session: None,
        }
    }

    fn is_local(&self) -> bool {
        matches!(self.kind, ActorKind::Operator | ActorKind::System)
    }

    fn principal(&self) -> Principal<'_> {
        Principal {
            organisation: self.organisation_code.as_deref().unwrap_or(""),
            roles: self.roles,
        }
    }

    /// The widest scope the access rules give this actor for `action`.
    pub fn scope(&self, action: Action) -> Option<Scope> {
        if self.is_local() {
            return Some(Scope::All);
        }
        access::scope(self.roles, action)
    }

    /// Whether the actor may do `action` on a record owned by `owner`
    /// (`kuajing_core::access`, the one table of rules).
    pub fn may(&self, action: Action, owner: &str) -> Result<(), Denied> {
        if self.is_local() {
            return Ok(());
        }
        access::authorize(self.principal(), action, owner)
    }

    /// Like [`Actor::may`], but a refusal is written to the audit trail
    /// (`audit_action` on `target`) before it is returned.
    pub async fn authorize(
        &self,
        store: &Store,
        action: Action,
        owner: &str,
        audit_action: &str,
        target: &str,
    ) -> Result<()> {
        match self.may(action, owner) {
            Ok(()) => Ok(()),
            Err(denied) => {
                record(
                    store,
                    &self.entry(audit_action, Some(target), Outcome::Denied, None),
                )
                .await?;
                Err(denied.into())
            }
        }
    }

    /// An audit entry for something this actor did.
    pub fn entry<'a>(
        &'a self,
        action: &'a str,
        target: Option<&'a str>,
        outcome: Outcome,
        detail: Option<&'a str>,
    ) -> NewAuditEntry<'a> {
        NewAuditEntry {
            actor_kind: self.kind,
            actor_id: self.id.as_deref(),
            actor_name: Some(&self.name),
            organisation_code: self.organisation_code.as_deref(),
            action,
            target,
            outcome,
            ip: self.ip.as_deref(),
            detail,
        }
    }
}

impl Actor {
    /// Appends this actor's successful `action` on `target` to the audit trail
    /// inside `tx` and commits: a write and its record land together or not
    /// at all.
    pub async fn commit(
        &self,
        mut tx: WriteTx,
        action: &str,
        target: Option<&str>,
        detail: Option<&str>,
    ) -> Result<()> {
        let entry = self.entry(action, target, Outcome::Success, detail);
        audit::append(&mut tx, &entry, Timestamp::now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

/// Appends one audit entry in its own transaction (for reads and refusals,
/// which have no business write to share a transaction with).
pub async fn record(store: &Store, entry: &NewAuditEntry<'_>) -> Result<()> {
    let mut tx = store.begin().await?;
    audit::append(&mut tx, entry, Timestamp::now()).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}
