//! The stock a bonded (1210) list holds in its e-account book (issue #6):
//! held when the list passes its checks (with its quota), deducted when it
//! is released (a `retail-out` movement of the book's ledger), freed when
//! it is refused or cancelled before release; goods of an accepted return
//! (CEB625) come back into the book (`return-in`, policy-rules.md §7.1:
//! "the returned goods re-enter the account book … and can be sold again").
//! A 9610 list draws on no book and costs nothing here.
//!
//! A 1210 list is refused (-621001, naming the field, the rule and the
//! value) when it names no book the platform keeps, a book of another
//! warehouse enterprise than its `areaCode`, an item the book does not
//! have, a unit other than the book line's, or more than is available
//! (stock less what other lists hold). Holds are one conditional update
//! of the line each, so lists racing for the last units cannot both pass
//! (`kuajing_store::ems_books`).

use kuajing_ceb::model::import::Inventory;
use kuajing_clearance::bonded::{BookDraw, book_draw, reason};
use kuajing_clearance::decision::Reason;
use kuajing_clearance::list_checks::BONDED;
use kuajing_core::quantity::{display_units, units};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Conn;
use kuajing_store::ceb_documents::Document;
use kuajing_store::ems_books::{self, MovementKind, NewMovement, Outcome};
use kuajing_store::ems_quarantine;
use rust_decimal::Decimal;

use kuajing_exchange::lookups::Lookups;
use kuajing_registry::error::{Error, Result};

/// Holds what `inventory` draws from its book for `list`: `None` when all
/// is held (or the list is not 1210), or why the list is refused (nothing
/// then stays held).
pub async fn hold(
    conn: &mut Conn,
    lookups: &mut Lookups,
    list: &Document,
    inventory: &Inventory,
    now: Timestamp,
) -> Result<Option<Vec<Reason>>> {
    let draw = match book_draw(inventory) {
        Ok(None) => return Ok(None),
        Ok(Some(draw)) => draw,
        Err(reasons) => return Ok(Some(reasons)),
    };
    if let Some(refusal) = book_refusal(conn, lookups, &draw).await? {
        return Ok(Some(vec![refusal]));
    }
    for item in &draw.draws {
        let unit = lookups.line_unit(conn, &draw.ems_no, &item.item_no).await?;
        let refusal = match unit {
            None => Some(reason(
                "itemRecordNo",
                &format!("须为账册 {} 的料号", draw.ems_no),
                &format!("must be an item of book {}", draw.ems_no),
                &item.item_no,
            )),
            Some(unit) if unit != item.unit => Some(reason(
                "unit",
                &format!("须为账册料号 {} 的计量单位 {unit}", item.item_no),
                &format!("must be the unit of book item {}, {unit}", item.item_no),
                &item.unit,
            )),
            Some(_) => {
                let held = ems_books::reserve(
                    conn,
                    &list.business_key,
                    &draw.ems_no,
                    &item.item_no,
                    item.quantity,
                    now,
                )
                .await?;
                match held {
                    Outcome::Done(()) => None,
                    Outcome::Overdrawn { available } => Some(reason(
                        "qty",
                        &format!(
                            "超过账册料号 {} 的可用库存 {}",
                            item.item_no,
                            display_units(available)
                        ),
                        &format!(
                            "exceeds what book item {} has available, {}",
                            item.item_no,
                            display_units(available)
                        ),
                        &display_units(item.quantity),
                    )),
                }
            }
        };
        if let Some(refusal) = refusal {
            ems_books::release(conn, &list.business_key, now).await?;
            return Ok(Some(vec![refusal]));
        }
    }
    Ok(None)
}

/// The book must be one the platform keeps, of the list's warehouse.
async fn book_refusal(
    conn: &mut Conn,
    lookups: &mut Lookups,
    draw: &BookDraw,
) -> Result<Option<Reason>> {
    Ok(match lookups.book(conn, &draw.ems_no).await? {
        None => Some(reason(
            "emsNo",
            "须为本平台登记的保税账册",
            "must be a bonded account book kept on the platform",
            &draw.ems_no,
        )),
        Some(book) if book.owner_code != draw.area_code => Some(reason(
            "areaCode",
            &format!(
                "须为账册 {} 的区内仓储企业 {}",
                book.ems_no, book.owner_code
            ),
            &format!(
                "must be the zone warehouse keeping book {}, {}",
                book.ems_no, book.owner_code
            ),
            &draw.area_code,
        )),
        Some(_) => None,
    })
}

/// On release: what the list held leaves its book, referenced by the
/// list's number (invtNo).
pub async fn deduct(
    conn: &mut Conn,
    list: &Document,
    inventory: &Inventory,
    decided_by: &str,
    now: Timestamp,
) -> Result<()> {
    if is_bonded(inventory) {
        let reference = list.invt_no.as_deref().unwrap_or(&list.business_key);
        ems_books::deduct(conn, &list.business_key, reference, decided_by, now).await?;
    }
    Ok(())
}

/// On refusal, or cancellation before release: what the list held is
/// available again.
pub async fn free(
    conn: &mut Conn,
    list: &Document,
    inventory: &Inventory,
    now: Timestamp,
) -> Result<()> {
    if is_bonded(inventory) {
        ems_books::release(conn, &list.business_key, now).await?;
    }
    Ok(())
}

/// On an accepted return: the returned quantity of each line (by `gnum`)
/// comes back into the book as a `return-in` movement of the line's item,
/// referenced by the list's number, and waits for inspection in quarantine
/// when `quarantined` (the setting
/// [`returns_quarantined`](super::ClearanceSettings::returns_quarantined)).
/// The goods are taken as back in the zone when the return is accepted,
/// within the 30 days of the application window, so within the 45 days
/// GACC 2020 No. 45 allows for their arrival.
pub async fn returned(
    conn: &mut Conn,
    list: &Document,
    inventory: &Inventory,
    lines: &[(i64, Decimal)],
    recorded_by: &str,
    quarantined: bool,
    now: Timestamp,
) -> Result<()> {
    let head = &inventory.inventory_head;
    let (true, Some(ems_no)) = (is_bonded(inventory), head.ems_no.as_deref()) else {
        return Ok(());
    };
    let reference = list.invt_no.as_deref().unwrap_or(&list.business_key);
    for (gnum, qty) in lines {
        let original = inventory.inventory_list.iter().find(|l| l.gnum == *gnum);
        let (Some(item_no), Some(quantity)) = (
            original.and_then(|l| l.item_record_no.as_deref()),
            units(*qty),
        ) else {
            return Err(Error::Internal(format!(
                "returned line {gnum} of {reference} has no item or quantity to restock"
            )));
        };
        let movement = NewMovement {
            ems_no,
            item_no,
            kind: MovementKind::ReturnIn,
            quantity,
            reference,
            reason: "退货入区 / customer return (CEB625)",
            approved_by: None,
            purpose: None,
            recorded_by,
        };
        ems_books::record(conn, &movement, now).await?;
        if quarantined {
            ems_quarantine::hold(conn, ems_no, item_no, quantity, reference, recorded_by, now)
                .await?;
        }
    }
    Ok(())
}

fn is_bonded(inventory: &Inventory) -> bool {
    inventory.inventory_head.trade_mode == BONDED
}
