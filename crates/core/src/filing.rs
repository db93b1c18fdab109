//! The filing workflow (备案流程), the same for enterprises and commodities:
//! draft → submitted → approved by every agency the filing needs (→ active)
//! or returned with reasons (→ edit → submitted again); an active filing can
//! be changed (a new version goes through the same steps while the approved
//! one stays in force), suspended, reinstated and revoked.
//!
//! Pure rules: which step is allowed from which status, and which agencies
//! must approve. The store keeps versions and events; the use cases in the
//! server apply these rules.

use std::fmt;

use crate::role::{Role, RoleSet};

/// What is filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilingKind {
    /// An enterprise files itself (企业备案).
    Enterprise,
    /// An enterprise files a commodity (商品备案).
    Commodity,
}

impl FilingKind {
    /// The stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            FilingKind::Enterprise => "enterprise",
            FilingKind::Commodity => "commodity",
        }
    }

    /// Parses the stored and API name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "enterprise" => Some(FilingKind::Enterprise),
            "commodity" => Some(FilingKind::Commodity),
            _ => None,
        }
    }
}

/// Where a filing stands: the workflow state of its latest version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilingStatus {
    /// Being written by its owner; not yet sent.
    Draft,
    /// Sent; waiting for the agencies' decisions.
    Submitted,
    /// An agency sent it back with reasons; the owner must change it.
    Returned,
    /// Approved by every agency it needs; in force.
    Active,
    /// In force no longer until reinstated.
    Suspended,
    /// Withdrawn for good.
    Revoked,
}

impl FilingStatus {
    /// Every status.
    pub const ALL: [FilingStatus; 6] = [
        FilingStatus::Draft,
        FilingStatus::Submitted,
        FilingStatus::Returned,
        FilingStatus::Active,
        FilingStatus::Suspended,
        FilingStatus::Revoked,
    ];

    /// The stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            FilingStatus::Draft => "draft",
            FilingStatus::Submitted => "submitted",
            FilingStatus::Returned => "returned",
            FilingStatus::Active => "active",
            FilingStatus::Suspended => "suspended",
            FilingStatus::Revoked => "revoked",
        }
    }

    /// Parses the stored and API name.
    pub fn parse(text: &str) -> Option<Self> {
        FilingStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl fmt::Display for FilingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// The owner writes or changes the filing.
    Edit,
    /// The owner sends it for approval.
    Submit,
    /// An agency approves the submitted version.
    Approve,
    /// An agency returns it with reasons.
    Return,
    /// An authority suspends it.
    Suspend,
    /// An authority lifts a suspension.
    Reinstate,
    /// An authority revokes it for good.
    Revoke,
}

impl Step {
    /// Every step.
    pub const ALL: [Step; 7] = [
        Step::Edit,
        Step::Submit,
        Step::Approve,
        Step::Return,
        Step::Suspend,
        Step::Reinstate,
        Step::Revoke,
    ];

    /// The name used in events and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Edit => "edit",
            Step::Submit => "submit",
            Step::Approve => "approve",
            Step::Return => "return",
            Step::Suspend => "suspend",
            Step::Reinstate => "reinstate",
            Step::Revoke => "revoke",
        }
    }

    /// Whether the step needs a written reason (who, when and why).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Step::Return | Step::Suspend | Step::Reinstate | Step::Revoke
        )
    }
}

/// A step the current status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a filing that is {from} cannot be {step}ed", step = step.as_str())]
pub struct NotAllowed {
    /// The status.
    pub from: FilingStatus,
    /// The step tried.
    pub step: Step,
}

/// The status after `step` from `from`. Approval leaves a filing submitted
/// until the last needed agency approves ([`after_approval`]).
pub fn next(from: FilingStatus, step: Step) -> Result<FilingStatus, NotAllowed> {
    use FilingStatus::*;
    let to = match (from, step) {
        (Draft | Returned | Active, Step::Edit) => Draft,
        (Draft, Step::Submit) => Submitted,
        (Submitted, Step::Approve) => Submitted,
        (Submitted, Step::Return) => Returned,
        (Active | Draft | Submitted | Returned, Step::Suspend) => Suspended,
        (Suspended, Step::Reinstate) => Active,
        (Active | Suspended | Draft | Submitted | Returned, Step::Revoke) => Revoked,
        _ => return Err(NotAllowed { from, step }),
    };
    Ok(to)
}

/// Suspension and revocation concern a filing in force; a filing that has
/// never been approved is simply returned or left as a draft.
pub fn needs_version_in_force(step: Step) -> bool {
    matches!(step, Step::Suspend | Step::Revoke)
}

/// The status once an agency has approved: active when every needed agency
/// has, otherwise still submitted.
pub fn after_approval(needed: RoleSet, approved: RoleSet) -> FilingStatus {
    if needed.iter().all(|role| approved.contains(role)) {
        FilingStatus::Active
    } else {
        FilingStatus::Submitted
    }
}

/// The agencies that must approve an enterprise filing with these roles
/// (a named setting of the platform, not a published rule: the zone plan
/// has commerce file the enterprise and customs register it; forex watches
/// payment companies; the postal administration, express and logistics
/// operators; agencies are filed by the zone administration).
pub fn enterprise_approvers(roles: RoleSet) -> RoleSet {
    let mut needed = RoleSet::EMPTY;
    for role in roles.iter() {
        let add: &[Role] = match role {
            Role::Ebp | Role::Ebc | Role::BorderTrader => &[Role::Commerce, Role::Customs],
            Role::Payment => &[Role::Customs, Role::Forex],
            Role::Logistics => &[Role::Customs, Role::Post],
            Role::Declarer | Role::Warehouse => &[Role::Customs],
            _ => &[Role::ZoneAdmin],
        };
        for &r in add {
            needed = needed.with(r);
        }
    }
    needed
}

/// The agencies that must approve a commodity filing: customs (classification,
/// origin, declared elements), and the zone administration too when the
/// commodity claims the regional brand (珲字号), whose registry it keeps.
pub fn commodity_approvers(regional_brand: bool) -> RoleSet {
    let needed = RoleSet::EMPTY.with(Role::Customs);
    if regional_brand {
        needed.with(Role::ZoneAdmin)
    } else {
        needed
    }
}

/// The agencies that may suspend, reinstate or revoke a filing: those that
/// approve it, and the zone administration.
pub fn authorities(approvers: RoleSet) -> RoleSet {
    approvers.with(Role::ZoneAdmin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use FilingStatus::*;

    /// The allowed steps, written out: every pair not listed is refused.
    const ALLOWED: &[(FilingStatus, Step, FilingStatus)] = &[
        (Draft, Step::Edit, Draft),
        (Returned, Step::Edit, Draft),
        (Active, Step::Edit, Draft),
        (Draft, Step::Submit, Submitted),
        (Submitted, Step::Approve, Submitted),
        (Submitted, Step::Return, Returned),
        (Active, Step::Suspend, Suspended),
        (Draft, Step::Suspend, Suspended),
        (Submitted, Step::Suspend, Suspended),
        (Returned, Step::Suspend, Suspended),
        (Suspended, Step::Reinstate, Active),
        (Active, Step::Revoke, Revoked),
        (Suspended, Step::Revoke, Revoked),
        (Draft, Step::Revoke, Revoked),
        (Submitted, Step::Revoke, Revoked),
        (Returned, Step::Revoke, Revoked),
    ];

    #[test]
    fn every_status_and_step_is_allowed_or_refused_as_written() {
        for from in FilingStatus::ALL {
            for step in Step::ALL {
                let expected = ALLOWED
                    .iter()
                    .find(|(f, s, _)| *f == from && *s == step)
                    .map(|(_, _, to)| *to);
                match (next(from, step), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want, "{from} {step:?}"),
                    (Err(e), None) => assert_eq!(e, NotAllowed { from, step }),
                    (got, want) => panic!("{from} {step:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn revoked_is_final_and_submitted_cannot_be_edited() {
        for step in Step::ALL {
            assert!(next(Revoked, step).is_err(), "{step:?}");
        }
        assert!(next(Submitted, Step::Edit).is_err());
        assert!(next(Active, Step::Submit).is_err());
    }

    #[test]
    fn active_only_when_every_needed_agency_approved() {
        let needed = enterprise_approvers(RoleSet::parse_list("ebp,ebc").unwrap());
        assert_eq!(needed, RoleSet::parse_list("customs,commerce").unwrap());
        let customs = RoleSet::EMPTY.with(Role::Customs);
        assert_eq!(after_approval(needed, customs), Submitted);
        assert_eq!(after_approval(needed, customs.with(Role::Commerce)), Active);
        assert_eq!(
            enterprise_approvers(RoleSet::parse_list("payment,logistics").unwrap()),
            RoleSet::parse_list("customs,forex,post").unwrap()
        );
        assert_eq!(
            commodity_approvers(true),
            RoleSet::parse_list("customs,zone-admin").unwrap()
        );
        assert!(authorities(commodity_approvers(false)).contains(Role::ZoneAdmin));
    }
}
