//! Inspection of returned goods (待检) in a bonded book (issue #6 item 4;
//! policy-rules.md §7.1: returned parcels re-enter the zone, are inspected
//! and tallied, and can be sold again after release). A return waits in
//! quarantine (`kuajing_store::ems_quarantine`); the warehouse records what
//! inspection decided: sellable (available again) or unsellable (out of
//! the book by an approved adjustment: destroyed or returned abroad).

use kuajing_core::access::Action;
use kuajing_core::quantity::display_units;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Store;
use kuajing_store::ems_books::{self as books, MovementKind, Outcome};
use kuajing_store::ems_quarantine::{self, Decision, Inspection};
use serde::{Deserialize, Serialize};

use super::{
    LineView, MovementView, explained, given, line_view, movement_view, own_book, remarks,
    signed_quantity, text,
};
use kuajing_registry::actor::Actor;
use kuajing_registry::error::{Error, Result};

/// An inspection decision to record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionInput {
    /// The item record number.
    pub item_no: String,
    /// How much of what waits the decision covers (positive, at most five
    /// decimals, in the line's unit).
    pub quantity: String,
    /// `sellable` or `unsellable`.
    pub decision: String,
    /// The inspection record (1–64 characters).
    pub reference: String,
    /// Why (required when unsellable: destroyed, returned abroad…).
    #[serde(default)]
    pub reason: String,
    /// Who approved taking unsellable goods out of the book (required when
    /// unsellable).
    #[serde(default)]
    pub approved_by: Option<String>,
}

/// What an inspection did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InspectionView {
    /// The line afterwards.
    pub line: LineView,
    /// The adjustment that took unsellable goods out of the book.
    pub movement: Option<MovementView>,
}

/// One entry of a book's quarantine ledger.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QuarantineEntryView {
    /// Place in the quarantine ledger.
    pub seq: i64,
    /// Item record number.
    pub item_no: String,
    /// Signed quantity: held (+) or decided (−).
    pub quantity: String,
    /// `held`, `sellable` or `unsellable`.
    pub decision: String,
    /// The return or the inspection record.
    pub reference: String,
    /// Who held or decided.
    pub decided_by: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// Records an inspection of returned goods on one of the caller's books.
pub async fn inspect(
    store: &Store,
    actor: &Actor,
    ems_no: &str,
    input: &InspectionInput,
) -> Result<InspectionView> {
    let book = own_book(store, actor, ems_no, Action::KeepBooks, "ems.inspect").await?;
    let decision = Decision::parse(input.decision.trim()).ok_or_else(|| {
        Error::invalid(
            "decision",
            "EMS_DECISION",
            format!("须为 sellable 或 unsellable（申报值“{}”）", input.decision),
            format!(
                "must be sellable or unsellable (given '{}')",
                input.decision
            ),
        )
    })?;
    let quantity = signed_quantity(MovementKind::FirstLineIn, &input.quantity)?;
    let item_no = text("item_no", &input.item_no, 30)?;
    let reference = text("reference", &input.reference, 64)?;
    let reason = input.reason.trim();
    let approved_by = given(input.approved_by.as_deref());
    remarks(reason, approved_by)?;
    if decision == Decision::Unsellable {
        explained(MovementKind::Adjustment, reason, approved_by)?;
    }
    let inspection = Inspection {
        ems_no: &book.ems_no,
        item_no,
        quantity,
        decision,
        reference,
        reason,
        approved_by,
        decided_by: &actor.name,
    };
    let mut tx = store.begin().await?;
    let movement = match ems_quarantine::inspect(&mut tx, &inspection, Timestamp::now()).await? {
        Outcome::Done(movement) => movement,
        Outcome::Overdrawn { available } => return Err(not_waiting(item_no, quantity, available)),
    };
    let line = books::find_line(&mut tx, &book.ems_no, item_no)
        .await?
        .ok_or_else(|| Error::Internal(format!("line {item_no} vanished")))?;
    let target = format!("{}/{item_no}", book.ems_no);
    let detail = format!("{} {}", decision.as_str(), display_units(quantity));
    actor
        .commit(tx, "ems.inspect", Some(&target), Some(&detail))
        .await?;
    Ok(InspectionView {
        line: line_view(line),
        movement: movement.map(movement_view),
    })
}

/// The latest entries of a book's quarantine ledger, newest first.
pub async fn entries(
    store: &Store,
    actor: &Actor,
    ems_no: &str,
    limit: i64,
) -> Result<Vec<QuarantineEntryView>> {
    let book = own_book(store, actor, ems_no, Action::ReadBooks, "ems.read").await?;
    let mut conn = store.reader().await?;
    read_entries(&mut conn, &book.ems_no, limit).await
}

/// A book's latest quarantine entries as shown (the caller checked
/// access).
pub(crate) async fn read_entries(
    conn: &mut kuajing_store::Conn,
    ems_no: &str,
    limit: i64,
) -> Result<Vec<QuarantineEntryView>> {
    let found = ems_quarantine::entries_of(conn, ems_no, limit.clamp(1, 500)).await?;
    Ok(found
        .into_iter()
        .map(|e| QuarantineEntryView {
            seq: e.seq,
            item_no: e.item_no,
            quantity: display_units(e.quantity),
            decision: e.decision,
            reference: e.reference,
            decided_by: e.decided_by,
            created_at: e.created_at.to_string(),
        })
        .collect())
}

fn not_waiting(item_no: &str, quantity: i64, waiting: i64) -> Error {
    let (asked, left) = (display_units(quantity), display_units(waiting));
    Error::invalid(
        "quantity",
        "EMS_NOT_QUARANTINED",
        format!("料号 {item_no} 待检 {left}，不足 {asked}；账册未变"),
        format!(
            "item {item_no} has {left} awaiting inspection, not {asked}; the book is unchanged"
        ),
    )
}
