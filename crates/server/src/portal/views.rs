//! Rows and fact lists shared by several pages, already in the visitor's
//! language.

use kuajing_store::audit::{AuditEntry, Outcome};
use kuajing_store::organisations::{Organisation, OrganisationStatus};

use crate::portal::context::Ctx;

/// An organisation's facts for `org_facts.html`.
pub struct OrgFacts {
    pub customs_code: String,
    pub uscc: Option<String>,
    pub name: String,
    pub name_en: Option<String>,
    pub roles: Vec<&'static str>,
    pub active: bool,
    pub status_label: &'static str,
    pub status_class: &'static str,
    pub park: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub is_demo: bool,
    pub created_at: String,
    pub created_at_local: String,
}

impl OrgFacts {
    /// Facts of `org` in the visitor's language.
    pub fn new(ctx: &Ctx, org: Organisation) -> OrgFacts {
        let (status_label, status_class) = status(ctx, org.status);
        OrgFacts {
            customs_code: org.customs_code.to_string(),
            uscc: org.uscc.map(|u| u.to_string()),
            roles: org.roles.iter().map(|r| ctx.lang.role(r)).collect(),
            active: org.status == OrganisationStatus::Active,
            status_label,
            status_class,
            name: org.name,
            name_en: org.name_en,
            park: org.park,
            address: org.address,
            contact_name: org.contact_name,
            contact_phone: org.contact_phone,
            is_demo: org.is_demo,
            created_at: org.created_at.to_string(),
            created_at_local: ctx.local_time(org.created_at),
        }
    }
}

/// Label and style of an organisation's status.
pub fn status(ctx: &Ctx, status: OrganisationStatus) -> (&'static str, &'static str) {
    let t = ctx.lang.texts();
    match status {
        OrganisationStatus::Active => (t.status_active, "tag-ok"),
        OrganisationStatus::Suspended => (t.status_suspended, "tag-bad"),
    }
}

/// One row of `audit_table.html`.
pub struct AuditRow {
    pub at: String,
    pub at_local: String,
    pub actor: String,
    pub organisation: String,
    pub action: String,
    /// The action's name in the visitor's language (the key when it has
    /// none).
    pub action_label: String,
    pub target: String,
    pub detail: String,
    pub outcome_label: &'static str,
    pub outcome_class: &'static str,
    pub ip: String,
}

impl AuditRow {
    /// A row for `entry` in the visitor's language.
    pub fn new(ctx: &Ctx, entry: AuditEntry) -> AuditRow {
        let t = ctx.lang.texts();
        let (outcome_label, outcome_class) = match entry.outcome {
            Outcome::Success => (t.outcome_success, "tag-ok"),
            Outcome::Denied => (t.outcome_denied, "tag-bad"),
            Outcome::Failed => (t.outcome_failed, "tag-warn"),
        };
        AuditRow {
            at: entry.at.to_string(),
            at_local: ctx.local_time(entry.at),
            actor: entry
                .actor_name
                .unwrap_or_else(|| entry.actor_kind.as_str().to_owned()),
            organisation: entry.organisation_code.unwrap_or_default(),
            action_label: super::glossary::audit_action(ctx.lang, &entry.action)
                .map_or_else(|| entry.action.clone(), str::to_owned),
            action: entry.action,
            target: entry.target.unwrap_or_default(),
            detail: entry.detail.unwrap_or_default(),
            outcome_label,
            outcome_class,
            ip: entry.ip.unwrap_or_default(),
        }
    }
}

/// An option of a `<select>` or a checkbox.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}
