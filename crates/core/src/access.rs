//! Who may do what: the one table of access rules.
//!
//! Every handler, HTML or JSON, asks [`authorize`] (for one record) or
//! [`scope`] (for a list) before it touches data, so the rules are read and
//! tested here and nowhere else. The principle (`DESIGN.md`, non-negotiables):
//! an enterprise sees only its own records; an agency sees what its role is
//! entitled to and takes the decisions that are its own; the zone
//! administration manages organisations and users and reads.

use crate::role::{Role, RoleKind, RoleSet};

/// Something a principal wants to do. Each later system adds its actions here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// List organisations (name, code, roles, status; no personal data).
    ListOrganisations,
    /// Read one organisation's record, including its contact person (personal data).
    ReadOrganisation,
    /// File, approve, suspend and reinstate organisations.
    ManageOrganisations,
    /// List an organisation's users (names are personal data).
    ReadUsers,
    /// Create users for an organisation.
    ManageUsers,
    /// List, issue and revoke an organisation's API tokens.
    ManageTokens,
    /// Read the audit trail.
    ReadAudit,
    /// Read reference data (tariff, code lists).
    ReadReference,
    /// Import reference data.
    ImportReference,
    /// Write, change and submit one's own filings (enterprise, commodities).
    File,
    /// Read filings (agencies see the fields the sharing policy gives them).
    ReadFilings,
    /// Decide on filings: approve, return, suspend, reinstate, revoke (which
    /// agency decides which filing is the workflow's rule, `filing`).
    DecideFilings,
    /// Follow shared records: the pull feed and webhook subscriptions.
    Subscribe,
    /// Send customs business messages (orders, payments, waybills, lists)
    /// and read one's own documents and receipts.
    Declare,
    /// Read declaration lists and their decisions (customs reads every
    /// list; an enterprise its own through [`Action::Declare`]).
    ReadClearance,
    /// Decide on lists the rules sent to manual review: release, inspect,
    /// detain, refuse; keep the watch list.
    DecideClearance,
    /// Keep one's own bonded e-account books (电子账册): open them, add
    /// stock lines, record movements (the zone warehouse enterprise).
    KeepBooks,
    /// Read bonded e-account books, their stock and ledger (the warehouse
    /// its own; customs every book).
    ReadBooks,
    /// Supervise bonded books: close reconciliation findings, record a
    /// vehicle passing the gate on its gate release list (customs).
    SuperviseBooks,
    /// Decide on overseas-warehouse registrations (海外仓备案): approve
    /// or return them (customs; the exporter registers them through
    /// [`Action::File`]).
    DecideWarehouses,
    /// Record one's own 无票免税 purchases (policy-rules.md §2.4): the
    /// retail exporter (e-commerce enterprise or platform) without purchase
    /// invoices.
    RecordPurchases,
    /// Read and export 无票免税 purchase records (the exporter its own; the
    /// tax office, which exempts on them, and customs every exporter's).
    ReadPurchases,
    /// Grant and revoke one's own delegations (委托申报): name the
    /// enterprises that may declare documents naming one's own
    /// organisation (`kuajing_core::delegation`).
    Delegate,
    /// Read delegations (an enterprise those it granted or received;
    /// customs and the zone administration every one).
    ReadDelegations,
    /// See in full the personal information on a declaration list's
    /// documents — the buyer's and payer's ID number, name and telephone,
    /// the consignee's name, telephone and address — which every page
    /// shows masked (`crate::personal`); each showing is audited. Customs,
    /// which checks the buyer, on every list; the declaring enterprise,
    /// which sent them, on its own.
    RevealPersonal,
}

impl Action {
    /// Every action, for exhaustive tests and documentation.
    pub const ALL: &'static [Action] = &[
        Action::ListOrganisations,
        Action::ReadOrganisation,
        Action::ManageOrganisations,
        Action::ReadUsers,
        Action::ManageUsers,
        Action::ManageTokens,
        Action::ReadAudit,
        Action::ReadReference,
        Action::ImportReference,
        Action::File,
        Action::ReadFilings,
        Action::DecideFilings,
        Action::Subscribe,
        Action::Declare,
        Action::ReadClearance,
        Action::DecideClearance,
        Action::KeepBooks,
        Action::ReadBooks,
        Action::SuperviseBooks,
        Action::DecideWarehouses,
        Action::RecordPurchases,
        Action::ReadPurchases,
        Action::Delegate,
        Action::ReadDelegations,
        Action::RevealPersonal,
    ];
}

/// How far a grant reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Only records owned by the principal's own organisation.
    Own,
    /// Records of every organisation.
    All,
}

/// Who is asking: an organisation (by customs code) and the roles it holds.
/// Users and API tokens both act for their organisation.
#[derive(Debug, Clone, Copy)]
pub struct Principal<'a> {
    /// Customs registration code of the acting organisation.
    pub organisation: &'a str,
    /// Roles the acting organisation holds.
    pub roles: RoleSet,
}

/// A refusal: the principal may not do `action` on records of `owner`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{organisation} may not {action:?} records of {owner}")]
pub struct Denied {
    /// Who asked.
    pub organisation: String,
    /// What was asked.
    pub action: Action,
    /// Whose record it was.
    pub owner: String,
}

/// What every organisation may do with its own records, whatever its roles.
fn base_grant(action: Action) -> Option<Scope> {
    match action {
        Action::ListOrganisations
        | Action::ReadOrganisation
        | Action::ReadUsers
        | Action::ManageTokens
        | Action::ReadFilings
        | Action::ReadDelegations
        | Action::Subscribe => Some(Scope::Own),
        // The tariff and the code lists are public facts every filer needs.
        Action::ReadReference => Some(Scope::All),
        Action::ManageOrganisations
        | Action::ManageUsers
        | Action::ReadAudit
        | Action::ImportReference
        | Action::File
        | Action::DecideFilings
        | Action::Declare
        | Action::ReadClearance
        | Action::DecideClearance
        | Action::KeepBooks
        | Action::ReadBooks
        | Action::SuperviseBooks
        | Action::DecideWarehouses
        | Action::RecordPurchases
        | Action::ReadPurchases
        | Action::Delegate
        | Action::RevealPersonal => None,
    }
}

/// What one role adds to the base grant.
fn role_grant(role: Role, action: Action) -> Option<Scope> {
    match (role, action) {
        // The zone administration runs the registry and reads (issue #14,
        // finding 11: separation of duties). Each decision belongs to its
        // agency or owner: customs releases lists and keeps the watch list,
        // a warehouse keeps its books, an enterprise files, declares and
        // holds its own API tokens (a token acts as its organisation, so
        // nobody issues another's; the operator's `kuajing token issue` is
        // the out-of-band path).
        (Role::ZoneAdmin, action) => zone_admin_grant(action),
        // Customs keeps the tariff.
        (Role::Customs, Action::ImportReference) => Some(Scope::All),
        // Enterprises file themselves and their goods; agencies are filed by
        // the zone administration and decide, so they never file (and so
        // never approve what they filed).
        (r, Action::File) if r.kind() == RoleKind::Enterprise => Some(Scope::Own),
        // Enterprises declare their own documents; which message needs which
        // role is the intake's rule (order → ebp/ebc, payment → payment, …).
        (r, Action::Declare) if r.kind() == RoleKind::Enterprise => Some(Scope::Own),
        // Customs decides on declaration lists (the platform plays the
        // customs side, issue #5) and reads all of them.
        (Role::Customs, Action::ReadClearance | Action::DecideClearance) => Some(Scope::All),
        // The zone warehouse enterprise keeps its bonded account books;
        // customs supervises every book (policy-rules.md §5).
        (Role::Warehouse, Action::KeepBooks | Action::ReadBooks) => Some(Scope::Own),
        (Role::Customs, Action::ReadBooks | Action::SuperviseBooks) => Some(Scope::All),
        // Customs files overseas warehouses for 9810 (policy-rules.md §2.3).
        (Role::Customs, Action::DecideWarehouses) => Some(Scope::All),
        // The retail exporter keeps its 无票免税 purchase record; the tax
        // office exempts on it and customs, where the lists were declared,
        // reads it (policy-rules.md §2.4).
        (Role::Ebc | Role::Ebp, Action::RecordPurchases | Action::ReadPurchases) => {
            Some(Scope::Own)
        }
        (Role::Tax | Role::Customs, Action::ReadPurchases) => Some(Scope::All),
        // An enterprise names who may declare for it (委托申报, issue #14);
        // customs, which receives the documents, reads every delegation.
        (r, Action::Delegate) if r.kind() == RoleKind::Enterprise => Some(Scope::Own),
        (Role::Customs, Action::ReadDelegations) => Some(Scope::All),
        // Personal information on the lists (PIPL art. 51): customs, which
        // checks the buyer, sees it on every list; the enterprise that
        // declared it, on its own; nobody else (the zone administration
        // reads lists, masked).
        (Role::Customs, Action::RevealPersonal) => Some(Scope::All),
        (r, Action::RevealPersonal) if r.kind() == RoleKind::Enterprise => Some(Scope::Own),
        // Agencies share the one registry of filed enterprises and goods
        // ("一次备案、多主体共享"), see the fields the sharing policy gives
        // them, and decide on the filings their role approves.
        (
            r,
            Action::ListOrganisations
            | Action::ReadOrganisation
            | Action::ReadFilings
            | Action::DecideFilings,
        ) if r.kind() == RoleKind::Agency => Some(Scope::All),
        _ => None,
    }
}

/// What the zone administration (综试区管委会) may do beyond the base grant.
/// It manages organisations and their users, reads the audit trail, decides
/// the filings the workflow names it approver or authority of
/// (`crate::filing::enterprise_approvers`, `commodity_approvers`,
/// `authorities`: agencies' filings, the regional brand, suspensions), and
/// reads trade — clearance, bonded books, purchase records — because the
/// zone plan gives it a view of the zone's trade ("综试区实时掌握贸易运行").
/// It follows the feed and looks after every organisation's webhook
/// subscriptions. Nothing else: no customs decision, no book keeping, no
/// filing or declaring, no tariff import, and API tokens only of its own.
fn zone_admin_grant(action: Action) -> Option<Scope> {
    match action {
        Action::ListOrganisations
        | Action::ReadOrganisation
        | Action::ManageOrganisations
        | Action::ReadUsers
        | Action::ManageUsers
        | Action::ReadAudit
        | Action::ReadReference
        | Action::ReadFilings
        | Action::DecideFilings
        | Action::Subscribe
        | Action::ReadClearance
        | Action::ReadBooks
        | Action::ReadPurchases
        | Action::ReadDelegations => Some(Scope::All),
        Action::ManageTokens => Some(Scope::Own),
        Action::ImportReference
        | Action::File
        | Action::Declare
        | Action::DecideClearance
        | Action::KeepBooks
        | Action::SuperviseBooks
        | Action::DecideWarehouses
        | Action::RecordPurchases
        | Action::Delegate
        | Action::RevealPersonal => None,
    }
}

/// The widest scope the roles give for `action`, or `None` if none does.
pub fn scope(roles: RoleSet, action: Action) -> Option<Scope> {
    roles
        .iter()
        .filter_map(|role| role_grant(role, action))
        .chain(base_grant(action))
        .max()
}

/// Allows `action` on a record owned by organisation `owner`, or says why not.
pub fn authorize(principal: Principal<'_>, action: Action, owner: &str) -> Result<(), Denied> {
    match scope(principal.roles, action) {
        Some(Scope::All) => Ok(()),
        Some(Scope::Own) if principal.organisation == owner => Ok(()),
        _ => Err(Denied {
            organisation: principal.organisation.to_owned(),
            action,
            owner: owner.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(role: Role) -> RoleSet {
        RoleSet::EMPTY.with(role)
    }

    #[test]
    fn enterprises_see_only_their_own_records() {
        for &role in Role::ALL
            .iter()
            .filter(|r| r.kind() == RoleKind::Enterprise)
        {
            let me = Principal {
                organisation: "2224960001",
                roles: only(role),
            };
            for &action in Action::ALL.iter().filter(|a| **a != Action::ReadReference) {
                assert!(
                    authorize(me, action, "2224960002").is_err(),
                    "{role} {action:?}"
                );
            }
            assert!(authorize(me, Action::ReadOrganisation, "2224960001").is_ok());
            assert!(authorize(me, Action::ManageTokens, "2224960001").is_ok());
            assert!(authorize(me, Action::ManageOrganisations, "2224960001").is_err());
            assert!(authorize(me, Action::ReadAudit, "2224960001").is_err());
            assert!(authorize(me, Action::File, "2224960001").is_ok());
            assert!(authorize(me, Action::DecideFilings, "2224960001").is_err());
            assert!(authorize(me, Action::Declare, "2224960001").is_ok());
            assert!(authorize(me, Action::DecideClearance, "2224960001").is_err());
        }
    }

    /// The masking rule (`crate::personal`): who may see a list's personal
    /// information in full — customs on every list, an enterprise on its
    /// own, no other agency and not the zone administration.
    #[test]
    fn personal_information_in_full_only_to_customs_and_its_declarer() {
        for &role in Role::ALL {
            let me = Principal {
                organisation: "2224960001",
                roles: only(role),
            };
            let own = authorize(me, Action::RevealPersonal, "2224960001").is_ok();
            let other = authorize(me, Action::RevealPersonal, "2224960002").is_ok();
            match role {
                Role::Customs => assert!(own && other, "{role}"),
                r if r.kind() == RoleKind::Enterprise => assert!(own && !other, "{role}"),
                _ => assert!(!own && !other, "{role}"),
            }
        }
    }

    #[test]
    fn agencies_read_the_shared_registry_but_do_not_manage_it() {
        for &role in Role::ALL
            .iter()
            .filter(|r| r.kind() == RoleKind::Agency && **r != Role::ZoneAdmin)
        {
            let officer = Principal {
                organisation: "2224910001",
                roles: only(role),
            };
            assert!(authorize(officer, Action::ReadOrganisation, "2224960002").is_ok());
            assert!(authorize(officer, Action::ManageOrganisations, "2224960002").is_err());
            assert!(authorize(officer, Action::ReadUsers, "2224960002").is_err());
            assert!(authorize(officer, Action::ReadAudit, "2224910001").is_err());
            assert!(
                authorize(officer, Action::File, "2224910001").is_err(),
                "{role} files"
            );
        }
    }

    #[test]
    fn the_zone_administration_manages_organisations_and_reads() {
        let admin = only(Role::ZoneAdmin);
        for action in [
            Action::ListOrganisations,
            Action::ReadOrganisation,
            Action::ManageOrganisations,
            Action::ReadUsers,
            Action::ManageUsers,
            Action::ReadAudit,
            Action::ReadReference,
            Action::ReadFilings,
            Action::DecideFilings,
            Action::Subscribe,
            Action::ReadClearance,
            Action::ReadBooks,
            Action::ReadPurchases,
        ] {
            assert_eq!(scope(admin, action), Some(Scope::All), "{action:?}");
        }
    }

    #[test]
    fn the_zone_administration_takes_no_decision_of_an_agency_or_owner() {
        let admin = Principal {
            organisation: "2224910009",
            roles: only(Role::ZoneAdmin),
        };
        for action in [
            Action::DecideClearance,
            Action::KeepBooks,
            Action::SuperviseBooks,
            Action::DecideWarehouses,
            Action::RecordPurchases,
            Action::Declare,
            Action::File,
            Action::ImportReference,
        ] {
            assert_eq!(scope(admin.roles, action), None, "{action:?}");
            assert!(
                authorize(admin, action, "2224960002").is_err(),
                "{action:?}"
            );
            assert!(
                authorize(admin, action, "2224910009").is_err(),
                "{action:?}"
            );
        }
        // A token acts as its organisation: the administration holds its
        // own, and issues none for another.
        assert_eq!(scope(admin.roles, Action::ManageTokens), Some(Scope::Own));
        assert!(authorize(admin, Action::ManageTokens, "2224910009").is_ok());
        assert!(authorize(admin, Action::ManageTokens, "2224960002").is_err());
    }

    #[test]
    fn customs_keeps_its_decisions() {
        let customs = only(Role::Customs);
        for action in [
            Action::DecideClearance,
            Action::SuperviseBooks,
            Action::DecideWarehouses,
            Action::ImportReference,
        ] {
            assert_eq!(scope(customs, action), Some(Scope::All), "{action:?}");
        }
        assert_eq!(scope(customs, Action::KeepBooks), None);
        assert_eq!(scope(customs, Action::ManageTokens), Some(Scope::Own));
    }

    #[test]
    fn the_widest_grant_of_several_roles_wins() {
        let bank_and_payment = only(Role::Payment).with(Role::Bank);
        assert_eq!(
            scope(bank_and_payment, Action::ListOrganisations),
            Some(Scope::All)
        );
        assert_eq!(
            scope(bank_and_payment, Action::ManageTokens),
            Some(Scope::Own)
        );
        assert_eq!(scope(RoleSet::EMPTY, Action::ReadAudit), None);
    }
}
