//! The pull feed of receipts (`GET /api/ceb/receipts?after=CURSOR`): every
//! receipt an enterprise is owed — the synchronous answers and every later
//! one — in the order it was owed, only its own.

use kuajing_core::access::Action;
use kuajing_store::clearance;
use serde::Serialize;

use kuajing_registry::actor::Actor;
use kuajing_registry::error::Result;
use kuajing_store::Store;

/// The most receipts one page holds.
pub const MAX_PAGE: i64 = 1000;

/// One receipt of the feed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FeedReceipt {
    /// Its position: pass the last one seen as `after`.
    pub cursor: i64,
    /// `CEB312`, `CEB622`, `CEB816`, …
    #[serde(rename = "type")]
    pub receipt_type: String,
    /// The receipt message.
    pub xml: String,
}

/// A page of the feed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReceiptFeedPage)]
pub struct FeedPage {
    /// The receipts, in order.
    pub receipts: Vec<FeedReceipt>,
    /// The cursor to ask from next (the last receipt's, or `after` when
    /// there was none).
    pub next: i64,
}

/// The receipts owed to the actor's enterprise after `after`.
pub async fn read(store: &Store, actor: &Actor, after: i64, limit: i64) -> Result<FeedPage> {
    let code = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::Declare, &code, "ceb.receipts", &code)
        .await?;
    let mut conn = store.reader().await?;
    let rows =
        clearance::receipts_after(&mut conn, &code, after.max(0), limit.clamp(1, MAX_PAGE)).await?;
    let next = rows.last().map_or(after.max(0), |r| r.seq);
    Ok(FeedPage {
        receipts: rows
            .into_iter()
            .map(|r| FeedReceipt {
                cursor: r.seq,
                receipt_type: r.receipt_type,
                xml: r.xml,
            })
            .collect(),
        next,
    })
}
