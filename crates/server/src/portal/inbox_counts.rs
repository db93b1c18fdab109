//! What waits for the signed-in organisation (待办): the counts behind the
//! menu's inbox badge and the inbox page, each from an indexed count or a
//! small table — cheap enough to ask on every page.

use kuajing_bonded::books::reconciliation::{self, FindingQuery};
use kuajing_core::access::Action;
use kuajing_core::filing::FilingStatus;
use kuajing_import::overview;
use kuajing_registry::actor::Actor;
use kuajing_registry::error::Result;
use kuajing_registry::filing::{self, ListQuery};

use crate::state::AppState;

/// A kind of thing waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// Filings whose next decision is the reader's agency's.
    FilingsToDecide,
    /// The organisation's own filings an agency sent back for changes.
    FilingsReturned,
    /// Lists waiting for an officer (customs).
    ListsForOfficer,
    /// Open findings of the bonded books (the warehouse, customs).
    OpenFindings,
}

impl Waiting {
    /// Where the reader deals with it.
    pub fn href(self) -> &'static str {
        match self {
            Waiting::FilingsToDecide => "/filings?awaiting=true",
            Waiting::FilingsReturned => "/filings?mine=true&status=returned",
            Waiting::ListsForOfficer => "/clearance",
            Waiting::OpenFindings => "/bonded/findings?state=open",
        }
    }
}

/// Each kind of thing waiting for `actor`'s organisation that its roles
/// deal with, with how many; kinds with none are left out.
pub async fn waiting(state: &AppState, actor: &Actor) -> Result<Vec<(Waiting, i64)>> {
    let store = state.store();
    let mut found = Vec::new();
    if actor.roles.has_agency_role() {
        let query = ListQuery {
            awaiting_me: true,
            limit: 1,
            ..Default::default()
        };
        found.push((
            Waiting::FilingsToDecide,
            filing::list(store, actor, &query).await?.total,
        ));
    }
    if actor.scope(Action::File).is_some() {
        let query = ListQuery {
            mine: true,
            status: Some(FilingStatus::Returned),
            limit: 1,
            ..Default::default()
        };
        found.push((
            Waiting::FilingsReturned,
            filing::list(store, actor, &query).await?.total,
        ));
    }
    if actor.scope(Action::DecideClearance).is_some()
        && let Some(count) = overview::officer_queue_count(store, actor).await?
    {
        found.push((Waiting::ListsForOfficer, count));
    }
    if actor.scope(Action::SuperviseBooks).is_some() || actor.scope(Action::KeepBooks).is_some() {
        let query = FindingQuery {
            state: Some("open".to_owned()),
            ems_no: None,
        };
        let open = reconciliation::findings(store, actor, &query).await?.len();
        found.push((
            Waiting::OpenFindings,
            i64::try_from(open).unwrap_or(i64::MAX),
        ));
    }
    found.retain(|(_, n)| *n > 0);
    Ok(found)
}
