//! What the clearance pages show besides the officers' queue: an
//! enterprise's own documents (what it declared and where each stands) and
//! customs' board (通关看板: how many documents stand at each status, and
//! the decisions of the last minutes).

use kuajing_core::access::Action;
use kuajing_core::timestamp::Timestamp;
use kuajing_registry::actor::Actor;
use kuajing_registry::error::Result;
use kuajing_store::Store;
use kuajing_store::ceb_documents::{self as store_docs, Document, Kind};
use kuajing_store::clearance as store_clearance;

/// The documents the actor's enterprise declared (orders, payments,
/// waybills, lists), newest first, at most `limit`; only a declaring
/// enterprise may read them, each only its own.
pub async fn own_documents(store: &Store, actor: &Actor, limit: i64) -> Result<Vec<Document>> {
    let own = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::Declare, &own, "clearance.documents", &own)
        .await?;
    let mut conn = store.reader().await?;
    Ok(store_docs::documents_of_owner(&mut conn, &own, limit).await?)
}

/// The clearance board as customs reads it.
#[derive(Debug, Clone)]
pub struct Board {
    /// How many documents of each kind stand at each status code.
    pub counts: Vec<(Kind, String, i64)>,
    /// Decisions per minute (`YYYY-MM-DDTHH:MM`, UTC) and status since the
    /// board's start.
    pub per_minute: Vec<(String, String, i64)>,
}

/// The board: counts per status, and the decisions made since `since`; for
/// the agencies that read clearance.
pub async fn board(store: &Store, actor: &Actor, since: Timestamp) -> Result<Board> {
    actor
        .authorize(store, Action::ReadClearance, "", "clearance.board", "")
        .await?;
    let mut conn = store.reader().await?;
    Ok(Board {
        counts: store_docs::status_counts(&mut conn).await?,
        per_minute: store_clearance::decisions_per_minute(&mut conn, since).await?,
    })
}
