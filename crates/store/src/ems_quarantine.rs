//! Returned goods awaiting inspection (待检) in a bonded e-account book
//! (issue #6 item 4; policy-rules.md §7.1: returned parcels re-enter, are
//! inspected and tallied, and can be sold again after customs release).
//!
//! A line's `quarantined` quantity is a hold on its stock like a list's
//! reservation: in the book, not available. Its own ledger
//! (`ems_quarantine`, migration 0011) records each hold and each
//! inspection decision, so the hold is always the ledger's sum
//! (`ems_books::ledger_differences` checks it). Inspection either makes the
//! goods sellable (the hold ends) or finds them unsellable (they leave the
//! book by an approved adjustment in the same statement).

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::ems_books::{Movement, MovementKind, NewMovement, Outcome, append};
use crate::error::StoreError;
use crate::organisations::parse_time;

/// What inspection decided about returned goods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Fit to sell again: the hold ends, the goods are available.
    Sellable,
    /// Not fit (damaged, not the original goods…): they leave the book by
    /// an adjustment (destruction or return abroad, with its approver).
    Unsellable,
}

impl Decision {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Sellable => "sellable",
            Decision::Unsellable => "unsellable",
        }
    }

    /// The decision a name names.
    pub fn parse(name: &str) -> Option<Decision> {
        [Decision::Sellable, Decision::Unsellable]
            .into_iter()
            .find(|d| d.as_str() == name)
    }
}

/// One entry of a line's quarantine ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its place in the ledger.
    pub seq: i64,
    /// The book.
    pub ems_no: String,
    /// The item number.
    pub item_no: String,
    /// Signed quantity: positive when goods are held, negative when an
    /// inspection ends a hold.
    pub quantity: i64,
    /// `held`, `sellable` or `unsellable`.
    pub decision: String,
    /// The return, or the inspection record.
    pub reference: String,
    /// Who held or decided.
    pub decided_by: String,
    /// When.
    pub created_at: Timestamp,
}

/// An inspection to record.
#[derive(Debug, Clone, Copy)]
pub struct Inspection<'a> {
    /// The book.
    pub ems_no: &'a str,
    /// The item number.
    pub item_no: &'a str,
    /// How much of what waits the decision covers (positive).
    pub quantity: i64,
    /// The decision.
    pub decision: Decision,
    /// The inspection record.
    pub reference: &'a str,
    /// Why (the adjustment's reason when unsellable).
    pub reason: &'a str,
    /// Who approved the adjustment (required when unsellable).
    pub approved_by: Option<&'a str>,
    /// Who decided.
    pub decided_by: &'a str,
}

/// Holds `quantity` of a line for inspection: goods just returned into
/// the book (the caller wrote their return-in movement in the same
/// transaction, so the stock covers the hold).
pub async fn hold(
    conn: &mut Conn,
    ems_no: &str,
    item_no: &str,
    quantity: i64,
    reference: &str,
    decided_by: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    if quantity <= 0 {
        return Err(StoreError::corrupt(
            "quarantined quantity",
            quantity.to_string(),
        ));
    }
    let now_text = now.to_string();
    let held: Option<i64> = crate::sql::query_scalar(
        "UPDATE ems_lines SET quarantined = quarantined + $3, updated_at = $4 \
         WHERE ems_no = $1 AND item_no = $2 AND stock - reserved - quarantined >= $3 \
         RETURNING quarantined",
    )
    .bind(ems_no)
    .bind(item_no)
    .bind(quantity)
    .bind(&now_text)
    .fetch_optional(&mut *conn)
    .await?;
    if held.is_none() {
        return Err(StoreError::corrupt(
            "quarantine without stock",
            format!("{ems_no}/{item_no} {quantity}"),
        ));
    }
    write_entry(
        conn, ems_no, item_no, quantity, "held", reference, decided_by, &now_text,
    )
    .await
}

/// Records an inspection of goods that wait: sellable ends the hold;
/// unsellable also takes them out of stock by an adjustment movement
/// (returned). More than waits is [`Outcome::Overdrawn`] with what waits,
/// and nothing changes.
pub async fn inspect(
    conn: &mut Conn,
    inspection: &Inspection<'_>,
    now: Timestamp,
) -> Result<Outcome<Option<Movement>>, StoreError> {
    let quantity = inspection.quantity;
    if quantity <= 0 {
        return Err(StoreError::corrupt(
            "inspected quantity",
            quantity.to_string(),
        ));
    }
    let leaves = i64::from(inspection.decision == Decision::Unsellable) * quantity;
    let now_text = now.to_string();
    let changed: Option<i64> = crate::sql::query_scalar(
        "UPDATE ems_lines SET quarantined = quarantined - $3, stock = stock - $4, updated_at = $5 \
         WHERE ems_no = $1 AND item_no = $2 AND quarantined >= $3 RETURNING quarantined",
    )
    .bind(inspection.ems_no)
    .bind(inspection.item_no)
    .bind(quantity)
    .bind(leaves)
    .bind(&now_text)
    .fetch_optional(&mut *conn)
    .await?;
    if changed.is_none() {
        return waiting(conn, inspection.ems_no, inspection.item_no).await;
    }
    write_entry(
        conn,
        inspection.ems_no,
        inspection.item_no,
        -quantity,
        inspection.decision.as_str(),
        inspection.reference,
        inspection.decided_by,
        &now_text,
    )
    .await?;
    if leaves == 0 {
        return Ok(Outcome::Done(None));
    }
    let movement = NewMovement {
        ems_no: inspection.ems_no,
        item_no: inspection.item_no,
        kind: MovementKind::Adjustment,
        quantity: -leaves,
        reference: inspection.reference,
        reason: inspection.reason,
        approved_by: inspection.approved_by,
        purpose: None,
        recorded_by: inspection.decided_by,
    };
    Ok(Outcome::Done(Some(
        append(conn, &movement, &now_text, now).await?,
    )))
}

/// What waits for inspection on a line, as a refusal; an unknown line is
/// [`StoreError::NotFound`].
async fn waiting<T>(
    conn: &mut Conn,
    ems_no: &str,
    item_no: &str,
) -> Result<Outcome<T>, StoreError> {
    let waiting: Option<i64> = crate::sql::query_scalar(
        "SELECT quarantined FROM ems_lines WHERE ems_no = $1 AND item_no = $2",
    )
    .bind(ems_no)
    .bind(item_no)
    .fetch_optional(&mut *conn)
    .await?;
    match waiting {
        Some(available) => Ok(Outcome::Overdrawn { available }),
        None => Err(StoreError::NotFound {
            what: "account book line",
            key: format!("{ems_no}/{item_no}"),
        }),
    }
}

/// The latest `limit` quarantine entries of a book, newest first.
pub async fn entries_of(
    conn: &mut Conn,
    ems_no: &str,
    limit: i64,
) -> Result<Vec<Entry>, StoreError> {
    if has_nul(ems_no) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT seq, ems_no, item_no, quantity, decision, reference, decided_by, created_at \
         FROM ems_quarantine WHERE ems_no = $1 ORDER BY seq DESC LIMIT $2",
    )
    .bind(ems_no)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Entry {
                seq: row.try_get("seq")?,
                ems_no: row.try_get("ems_no")?,
                item_no: row.try_get("item_no")?,
                quantity: row.try_get("quantity")?,
                decision: row.try_get("decision")?,
                reference: row.try_get("reference")?,
                decided_by: row.try_get("decided_by")?,
                created_at: parse_time(row, "created_at")?,
            })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn write_entry(
    conn: &mut Conn,
    ems_no: &str,
    item_no: &str,
    quantity: i64,
    decision: &str,
    reference: &str,
    decided_by: &str,
    now_text: &str,
) -> Result<(), StoreError> {
    crate::sql::query(
        "INSERT INTO ems_quarantine (ems_no, item_no, quantity, decision, reference, decided_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(ems_no)
    .bind(item_no)
    .bind(quantity)
    .bind(decision)
    .bind(reference)
    .bind(decided_by)
    .bind(now_text)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
