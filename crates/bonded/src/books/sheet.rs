//! A book's sheet (账册总览): everything a person looking at a book wants to
//! see, read with one check of the caller's access — its lines, the latest
//! movements, the holds of 1210 lists, the exit verification lists and the
//! quarantine entries.

use kuajing_core::access::Action;
use kuajing_core::quantity::display_units;
use kuajing_registry::actor::Actor;
use kuajing_registry::error::Result;
use kuajing_store::Store;
use kuajing_store::ems_books as books;
use serde::Serialize;

use super::exit::{self, VerificationView};
use super::quarantine::{self, QuarantineEntryView};
use super::{BookView, LedgerQuery, MovementView, book_view, movement_view, own_book};

/// A live hold of a 1210 list on a line, as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HoldView {
    /// The list's key (its declarer and copNo).
    pub list_key: String,
    /// Item record number.
    pub item_no: String,
    /// How much it holds.
    pub quantity: String,
    /// Since when (RFC 3339).
    pub created_at: String,
}

/// Everything a person looking at a book wants to see, read with one
/// check of the caller's access: its stock lines, its latest movements
/// (filtered), the lists holding stock, its verification lists and the
/// latest quarantine entries.
pub struct BookSheet {
    /// The book and its lines.
    pub book: BookView,
    /// The latest movements the filter selects, newest first.
    pub movements: Vec<MovementView>,
    /// Live holds of 1210 lists.
    pub holds: Vec<HoldView>,
    /// Verification lists, newest first.
    pub verifications: Vec<VerificationView>,
    /// Quarantine entries, newest first.
    pub quarantine: Vec<QuarantineEntryView>,
}

/// A book's sheet (see [`BookSheet`]), the latest `limit` movements.
pub async fn book_sheet(
    store: &Store,
    actor: &Actor,
    ems_no: &str,
    filter: &LedgerQuery,
    limit: i64,
) -> Result<BookSheet> {
    let book = own_book(store, actor, ems_no, Action::ReadBooks, "ems.read").await?;
    let parsed = filter.parse()?;
    let mut conn = store.reader().await?;
    let ems_no = book.ems_no.clone();
    let lines = books::lines_of(&mut conn, &ems_no).await?;
    let moves = books::latest_movements(&mut conn, &ems_no, parsed, limit.clamp(1, 500)).await?;
    let holds = books::holds_of(&mut conn, &ems_no, 200).await?;
    let verifications = exit::read_verifications(&mut conn, &ems_no, 50).await?;
    let quarantine = quarantine::read_entries(&mut conn, &ems_no, 50).await?;
    Ok(BookSheet {
        book: book_view(book, lines),
        movements: moves.into_iter().map(movement_view).collect(),
        holds: holds
            .into_iter()
            .map(|h| HoldView {
                list_key: h.list_key,
                item_no: h.item_no,
                quantity: display_units(h.quantity),
                created_at: h.created_at.to_string(),
            })
            .collect(),
        verifications,
        quarantine,
    })
}
