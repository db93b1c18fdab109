//! The JSON shapes the API answers with. Kept apart from the stored types so
//! that storage can change without changing the contract.

use kuajing_store::audit::AuditEntry;
use kuajing_store::organisations::Organisation;
use kuajing_store::tokens::ApiToken;
use kuajing_store::users::User;
use serde::Serialize;

use kuajing_registry::actor::Actor;

/// An organisation. Personal fields (contact person) appear only when one
/// organisation is read, never in lists.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganisationView {
    /// Customs registration code (海关注册编码).
    pub customs_code: String,
    /// Name in Chinese.
    pub name: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Unified social credit code.
    pub uscc: Option<String>,
    /// `active` or `suspended`.
    pub status: String,
    /// Role names.
    pub roles: Vec<String>,
    /// Park or area of the zone.
    pub park: Option<String>,
    /// Registered address.
    pub address: Option<String>,
    /// Contact person (personal data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    /// Contact phone (personal data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    /// Part of the demo data set.
    pub is_demo: bool,
    /// When filed (UTC).
    pub created_at: String,
    /// When last changed (UTC).
    pub updated_at: String,
}

impl From<Organisation> for OrganisationView {
    fn from(o: Organisation) -> Self {
        OrganisationView {
            customs_code: o.customs_code.to_string(),
            name: o.name,
            name_en: o.name_en,
            uscc: o.uscc.map(|u| u.to_string()),
            status: o.status.as_str().to_owned(),
            roles: o.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            park: o.park,
            address: o.address,
            contact_name: o.contact_name,
            contact_phone: o.contact_phone,
            is_demo: o.is_demo,
            created_at: o.created_at.to_string(),
            updated_at: o.updated_at.to_string(),
        }
    }
}

/// A user of an organisation (never the password hash).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    /// Id.
    pub id: String,
    /// Sign-in name.
    pub login: String,
    /// The person's name.
    pub display_name: String,
    /// Customs code of the organisation.
    pub organisation_code: String,
    /// Whether the account may sign in.
    pub active: bool,
    /// Locked after repeated failures until this instant (UTC), if locked.
    pub locked_until: Option<String>,
    /// When created (UTC).
    pub created_at: String,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        UserView {
            id: u.id,
            login: u.login,
            display_name: u.display_name,
            organisation_code: u.organisation_code,
            active: u.active,
            locked_until: u.locked_until.map(|t| t.to_string()),
            created_at: u.created_at.to_string(),
        }
    }
}

/// An API token (never the secret, except once in [`IssuedTokenView`]).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenView {
    /// Id, used to revoke it.
    pub id: String,
    /// Customs code of the organisation it acts for.
    pub organisation_code: String,
    /// First characters of the secret.
    pub prefix: String,
    /// What it is for.
    pub label: String,
    /// Who issued it.
    pub created_by: String,
    /// When issued (UTC).
    pub created_at: String,
    /// When revoked (UTC), if revoked.
    pub revoked_at: Option<String>,
    /// Who revoked it.
    pub revoked_by: Option<String>,
}

impl From<ApiToken> for TokenView {
    fn from(t: ApiToken) -> Self {
        TokenView {
            id: t.id,
            organisation_code: t.organisation_code,
            prefix: t.prefix,
            label: t.label,
            created_by: t.created_by,
            created_at: t.created_at.to_string(),
            revoked_at: t.revoked_at.map(|t| t.to_string()),
            revoked_by: t.revoked_by,
        }
    }
}

/// A newly issued token with its secret, shown this once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssuedTokenView {
    /// The token's record.
    pub token: TokenView,
    /// The secret to send as `Authorization: Bearer …`. Not stored; keep it.
    pub secret: String,
}

/// One entry of the audit trail.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntryView {
    /// Position; pass the last one as `before` for the next page.
    pub seq: i64,
    /// When (UTC).
    pub at: String,
    /// `user`, `token`, `operator`, `anonymous` or `system`.
    pub actor_kind: String,
    /// Login or token prefix.
    pub actor_name: Option<String>,
    /// Organisation acted for.
    pub organisation_code: Option<String>,
    /// What was done.
    pub action: String,
    /// On what.
    pub target: Option<String>,
    /// `success`, `denied` or `failed`.
    pub outcome: String,
    /// Client address.
    pub ip: Option<String>,
    /// Further detail.
    pub detail: Option<String>,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        AuditEntryView {
            seq: e.seq,
            at: e.at.to_string(),
            actor_kind: e.actor_kind.as_str().to_owned(),
            actor_name: e.actor_name,
            organisation_code: e.organisation_code,
            action: e.action,
            target: e.target,
            outcome: e.outcome.as_str().to_owned(),
            ip: e.ip,
            detail: e.detail,
        }
    }
}

/// A page of the audit trail.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    /// Entries, newest first.
    pub entries: Vec<AuditEntryView>,
    /// Cursor for the next (older) page, if there may be one.
    pub next_before: Option<i64>,
}

/// Who the caller is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeView {
    /// `user` or `token`.
    pub kind: String,
    /// Login or token prefix.
    pub name: String,
    /// The person's name, for users.
    pub display_name: Option<String>,
    /// Customs code of the organisation acted for.
    pub organisation_code: Option<String>,
    /// Its name.
    pub organisation_name: Option<String>,
    /// Its roles.
    pub roles: Vec<String>,
    /// For a web session: the token to send as `X-CSRF-Token` on writes.
    pub csrf_token: Option<String>,
}

impl From<&Actor> for MeView {
    fn from(a: &Actor) -> Self {
        MeView {
            kind: a.kind.as_str().to_owned(),
            name: a.name.clone(),
            display_name: a.display_name.clone(),
            organisation_code: a.organisation_code.clone(),
            organisation_name: a.organisation_name.clone(),
            roles: a.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            csrf_token: a.session.as_ref().map(|s| s.csrf_token.clone()),
        }
    }
}
