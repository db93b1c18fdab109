//! What the clearance pages show besides the officers' queue: an
//! enterprise's own documents (what it declared and where each stands) and
//! customs' board (通关看板: how many documents stand at each status, and
//! the decisions of the last minutes).

use kuajing_core::access::Action;
use kuajing_core::timestamp::Timestamp;
use kuajing_exchange::time_format;
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

/// The documents the actor's enterprise declared that `filter` keeps,
/// newest first, `limit` from `offset`; only a declaring enterprise may
/// read them, each only its own.
pub async fn own_documents_filtered(
    store: &Store,
    actor: &Actor,
    filter: &store_docs::OwnerFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<Document>> {
    let own = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::Declare, &own, "clearance.documents", &own)
        .await?;
    let mut conn = store.reader().await?;
    Ok(store_docs::documents_of_owner_filtered(&mut conn, &own, filter, limit, offset).await?)
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

/// A day's decisions on lists (China calendar day), by outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOutcomes {
    /// The day, `YYYY-MM-DD`, China time.
    pub day: String,
    /// Released (800) or concluded (399, 899).
    pub released: i64,
    /// Refused (100).
    pub refused: i64,
    /// Sent to an officer: review, inspection, detention.
    pub to_officer: i64,
}

/// The decisions on lists in each of the last `days` China calendar days
/// (today included), oldest first: of every list for who reads them all
/// (customs, the zone administration), of its own for a declaring
/// enterprise; nothing for anyone else.
pub async fn decisions_by_day(store: &Store, actor: &Actor, days: u32) -> Result<Vec<DayOutcomes>> {
    let own = actor.organisation_code.clone().unwrap_or_default();
    let owner = if actor.may(Action::ReadClearance, "").is_ok() {
        None
    } else if actor.may(Action::Declare, &own).is_ok() {
        Some(own)
    } else {
        return Ok(Vec::new());
    };
    let today = time_format::china_date(Timestamp::now());
    let first = (1..days).fold(today, |d, _| d.previous_day().unwrap_or(d));
    let mut conn = store.reader().await?;
    let hours = store_clearance::decisions_per_hour(
        &mut conn,
        time_format::china_day_start(first),
        owner.as_deref(),
    )
    .await?;
    let mut out: Vec<DayOutcomes> = Vec::new();
    let mut day = first;
    loop {
        out.push(DayOutcomes {
            day: day.to_string(),
            released: 0,
            refused: 0,
            to_officer: 0,
        });
        if day >= today {
            break;
        }
        day = day.next_day().unwrap_or(today);
    }
    for (hour, status, n) in hours {
        let Ok(at) = format!("{hour}:00:00Z").parse::<Timestamp>() else {
            continue;
        };
        let day = time_format::china_date(at).to_string();
        if let Some(row) = out.iter_mut().find(|r| r.day == day) {
            match status.as_str() {
                "800" | "399" | "899" => row.released += n,
                "100" => row.refused += n,
                _ => row.to_officer += n,
            }
        }
    }
    Ok(out)
}

/// How many lists wait for an officer (review, inspection, detention), for
/// who reads every list (customs, the zone administration); `None` for
/// anyone else. An indexed count, not the board's scan.
pub async fn officer_queue_count(store: &Store, actor: &Actor) -> Result<Option<i64>> {
    if actor.may(Action::ReadClearance, "").is_err() {
        return Ok(None);
    }
    let mut conn = store.reader().await?;
    Ok(Some(
        store_docs::count_lists_in_status(&mut conn, &crate::review::OFFICER_STATUSES).await?,
    ))
}
