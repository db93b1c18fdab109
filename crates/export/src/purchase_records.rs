//! The 无票免税 purchase record (issue #7; policy-rules.md §2.4,
//! 财税〔2018〕103号): a pilot-zone retail exporter (9610) without purchase
//! invoices records, for goods it bought on the platform, the purchase
//! date, goods name, unit, quantity, unit price, amount and seller, linked
//! to the released export lists (`invtNo`) the goods left on. The tax
//! office exempts the export from VAT and consumption tax on this record;
//! it reads and downloads it (CSV or XLSX) with customs.
//!
//! The amount must be the quantity times the unit price rounded to the fen
//! half up (四舍五入到分): 103号 asks for the amount to be recorded but
//! fixes no rounding, so the platform uses its one rule for money, the
//! customs rule "computed to the fen, rounded half up" (GACC Order 124
//! art. 16, policy-rules.md §1.7; `kuajing_core::money::round_to_fen`).
//! Quantities are exact decimals of at most five places, prices and
//! amounts exact CNY of at most two; money is stored as integer fen.
//!
//! Recording checks every field and every linked list (it exists, it is an
//! export list of the caller's, it has been released or has exited) before
//! anything is written: a refusal names the field, the rule and the value,
//! and changes nothing.

use kuajing_core::access::Action;
use kuajing_core::money::{from_fen, round_to_fen, to_fen};
use kuajing_core::quantity::{UNIT_SCALE, display_units, units};
use kuajing_core::timestamp::Timestamp;
use kuajing_reference::ReferenceKind;
use kuajing_store::Store;
use kuajing_store::purchase_records::{self as store, NewRecord, PurchaseRecord, RecordFilter};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use kuajing_registry::actor::Actor;
use kuajing_registry::downloads::{Format, write_table};
use kuajing_registry::error::{Error, Result};
use kuajing_registry::filing::commodity::known_code;

/// The most export lists one record links to.
pub const MAX_LISTS: usize = 50;

/// The most records one list or file holds.
pub const MAX_RECORDS: i64 = 10_000;

/// The columns of the file for the tax office, in order (a contract: the
/// headers never change).
pub const COLUMNS: [&str; 8] = [
    "purchase_date",
    "goods_name",
    "unit",
    "quantity",
    "unit_price",
    "amount",
    "seller",
    "invt_no",
];

/// A purchase to record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseInput {
    /// The day bought, `YYYY-MM-DD`, not after today.
    pub purchase_date: String,
    /// The goods' name (1–250 characters).
    pub goods_name: String,
    /// The 3-digit unit code (e.g. `007` 个, `035` 千克), in the reference
    /// unit table.
    pub unit: String,
    /// The quantity, a positive decimal of at most five places (text).
    pub quantity: String,
    /// The unit price in CNY, a positive decimal of at most two places.
    pub unit_price: String,
    /// The amount in CNY: quantity × unit price rounded to the fen half up.
    pub amount: String,
    /// Who sold the goods (1–200 characters).
    pub seller: String,
    /// The released export lists (`invtNo`) the goods left on: 1–50, each
    /// an export list of the caller's that is released (`800`) or exited.
    pub invt_nos: Vec<String>,
}

/// A recorded purchase as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PurchaseView {
    /// Its key, in order of recording.
    pub id: i64,
    /// The exporter's customs code.
    pub owner_code: String,
    /// The day bought.
    pub purchase_date: String,
    /// Goods name.
    pub goods_name: String,
    /// Unit code.
    pub unit: String,
    /// Quantity, exact decimal.
    pub quantity: String,
    /// Unit price in CNY, two decimals.
    pub unit_price: String,
    /// Amount in CNY, two decimals.
    pub amount: String,
    /// Seller.
    pub seller: String,
    /// The export lists it is linked to.
    pub invt_nos: Vec<String>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub recorded_at: String,
}

/// Which records to list or download.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PurchaseQuery {
    /// Only purchases in this month, `YYYY-MM`.
    pub month: Option<String>,
    /// Only records linked to this export list (`invtNo`).
    pub invt_no: Option<String>,
    /// `json` (default), `csv` or `xlsx` (the file for the tax office).
    pub format: Option<String>,
}

/// Records a purchase of the caller's enterprise.
pub async fn record(store: &Store, actor: &Actor, input: &PurchaseInput) -> Result<PurchaseView> {
    let owner = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(
            store,
            Action::RecordPurchases,
            &owner,
            "purchase.record",
            "",
        )
        .await?;
    let purchase_date = purchase_date(&input.purchase_date)?;
    let goods_name = text("goods_name", &input.goods_name, 250)?;
    let quantity = quantity(&input.quantity)?;
    let unit_price = money("unit_price", &input.unit_price)?;
    let amount = money("amount", &input.amount)?;
    let expected = expected_amount(quantity, unit_price)?;
    if amount != expected {
        return Err(Error::invalid(
            "amount",
            "PURCHASE_AMOUNT",
            format!(
                "金额须等于数量 × 单价（四舍五入到分）：{} × {} = {}（申报值“{}”）",
                display_units(quantity),
                from_fen(unit_price),
                from_fen(expected),
                input.amount.trim()
            ),
            format!(
                "the amount must be quantity × unit price rounded to the fen half up: {} × {} = {} (given '{}')",
                display_units(quantity),
                from_fen(unit_price),
                from_fen(expected),
                input.amount.trim()
            ),
        ));
    }
    let seller = text("seller", &input.seller, 200)?;
    let invt_nos = list_numbers(&input.invt_nos)?;
    let mut conn = store.reader().await?;
    let unit = known_code(
        &mut conn,
        ReferenceKind::Unit,
        "unit",
        &input.unit,
        Timestamp::now(),
    )
    .await?;
    drop(conn);
    let new = NewRecord {
        owner_code: &owner,
        purchase_date: &purchase_date,
        goods_name,
        unit: &unit,
        quantity,
        unit_price_fen: unit_price,
        amount_fen: amount,
        seller_name: seller,
        invt_nos: &invt_nos,
        recorded_by: &actor.name,
    };
    let mut tx = store.begin().await?;
    // The lists are checked in the write's transaction, so one cancelled
    // meanwhile (CEB605 after release) is never linked.
    check_lists(&mut tx, &owner, &invt_nos).await?;
    let saved = store::record(&mut tx, &new, Timestamp::now()).await?;
    let detail = format!("{} {}", from_fen(amount), invt_nos.join(","));
    actor
        .commit(
            tx,
            "purchase.record",
            Some(&saved.record_id.to_string()),
            Some(&detail),
        )
        .await?;
    Ok(view(saved))
}

/// The records the caller may read (its own; every exporter's for the tax
/// office and customs) that the query selects, by purchase date.
pub async fn list(
    store: &Store,
    actor: &Actor,
    query: &PurchaseQuery,
) -> Result<Vec<PurchaseView>> {
    let owner_code = if actor.may(Action::ReadPurchases, "").is_ok() {
        None
    } else {
        let own = actor.organisation_code.clone().unwrap_or_default();
        actor
            .authorize(store, Action::ReadPurchases, &own, "purchase.read", "")
            .await?;
        Some(own)
    };
    let (from, until) = match query.month.as_deref().map(str::trim) {
        None | Some("") => (None, None),
        Some(text) => {
            let (first, next) = month(text)?;
            (Some(first.to_string()), Some(next.to_string()))
        }
    };
    let filter = RecordFilter {
        owner_code,
        from,
        until,
        invt_no: query
            .invt_no
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        limit: MAX_RECORDS,
    };
    let mut conn = store.reader().await?;
    let found = store::list(&mut conn, &filter).await?;
    Ok(found.into_iter().map(view).collect())
}

/// The records as the file for the tax office: one row per record and
/// linked list, with exactly the [`COLUMNS`] as headers.
pub fn file(records: &[PurchaseView], format: Format) -> Result<Vec<u8>> {
    let columns: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    let body: Vec<Vec<String>> = records
        .iter()
        .flat_map(|r| {
            r.invt_nos.iter().map(move |invt_no| {
                vec![
                    r.purchase_date.clone(),
                    r.goods_name.clone(),
                    r.unit.clone(),
                    r.quantity.clone(),
                    r.unit_price.clone(),
                    r.amount.clone(),
                    r.seller.clone(),
                    invt_no.clone(),
                ]
            })
        })
        .collect();
    write_table(format, "purchases", &columns, &body)
}

/// Whether the caller records purchases for itself (the portal shows the
/// form only then).
pub fn records(actor: &Actor) -> bool {
    let own = actor.organisation_code.clone().unwrap_or_default();
    !own.is_empty() && actor.may(Action::RecordPurchases, &own).is_ok()
}

/// Amount in fen: quantity (in 1/[`UNIT_SCALE`]) × unit price (fen),
/// rounded to the fen half up.
fn expected_amount(quantity: i64, unit_price_fen: i64) -> Result<i64> {
    let qty = Decimal::from(quantity) / Decimal::from(UNIT_SCALE);
    let exact = qty
        .checked_mul(from_fen(unit_price_fen))
        .map(round_to_fen)
        .and_then(to_fen);
    exact.ok_or_else(|| {
        Error::invalid(
            "amount",
            "PURCHASE_AMOUNT",
            "数量 × 单价超出可记录的范围",
            "quantity × unit price is too large to record",
        )
    })
}

/// Each linked list exists as an export list of `owner` and has been
/// released or has exited.
async fn check_lists(conn: &mut kuajing_store::Conn, owner: &str, invt_nos: &[&str]) -> Result<()> {
    let found = store::export_lists(conn, invt_nos).await?;
    for invt_no in invt_nos {
        let standing = found
            .iter()
            .find(|l| l.invt_no == *invt_no && l.owner_code == owner);
        match standing {
            None => {
                return Err(Error::invalid(
                    "invt_nos",
                    "PURCHASE_LIST_UNKNOWN",
                    format!("“{invt_no}”不是本企业申报的出口清单"),
                    format!("'{invt_no}' is not an export list declared by your enterprise"),
                ));
            }
            Some(list) if !list.is_released() => {
                return Err(Error::invalid(
                    "invt_nos",
                    "PURCHASE_LIST_NOT_RELEASED",
                    format!(
                        "出口清单 {invt_no} 尚未放行（状态 {}）：只能关联已放行（800）或已离境的清单",
                        list.status
                    ),
                    format!(
                        "export list {invt_no} is not released (status {}): only released (800) or exited lists can be linked",
                        list.status
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn list_numbers(given: &[String]) -> Result<Vec<&str>> {
    let numbers: Vec<&str> = given
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect();
    if numbers.is_empty() || numbers.len() > MAX_LISTS {
        return Err(Error::invalid(
            "invt_nos",
            "PURCHASE_LISTS",
            format!("须关联 1 至 {MAX_LISTS} 份已放行的出口清单（清单编号 invtNo）"),
            format!("must link 1 to {MAX_LISTS} released export lists (invtNo)"),
        ));
    }
    for (i, number) in numbers.iter().enumerate() {
        let shaped = number.len() <= 32 && number.bytes().all(|b| b.is_ascii_alphanumeric());
        if !shaped {
            return Err(Error::invalid(
                "invt_nos",
                "PURCHASE_LIST_UNKNOWN",
                format!("“{number}”不是清单编号（至多 32 位字母或数字）"),
                format!("'{number}' is not a list number (at most 32 letters or digits)"),
            ));
        }
        if numbers[..i].contains(number) {
            return Err(Error::invalid(
                "invt_nos",
                "PURCHASE_LIST_TWICE",
                format!("清单 {number} 重复"),
                format!("list {number} is given twice"),
            ));
        }
    }
    Ok(numbers)
}

/// The purchase date: a day that has happened (`validate::past_date`).
fn purchase_date(value: &str) -> Result<String> {
    kuajing_registry::validate::past_date("purchase_date", "PURCHASE_DATE", value)
}

/// A `YYYY-MM` month as its first day and the first day of the next.
pub fn month(text: &str) -> Result<(Date, Date)> {
    let parsed = text.trim().split_once('-').and_then(|(y, m)| {
        (y.len() == 4 && m.len() == 2 && y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()))
            .then_some(())?;
        let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u8>().ok()?);
        let first = Date::from_calendar_date(year, Month::try_from(month).ok()?, 1).ok()?;
        let (next_year, next) = match first.month() {
            Month::December => (year + 1, Month::January),
            other => (year, other.next()),
        };
        Some((first, Date::from_calendar_date(next_year, next, 1).ok()?))
    });
    parsed.ok_or_else(|| {
        Error::invalid(
            "month",
            "PURCHASE_MONTH",
            format!("须为月份 YYYY-MM（申报值“{text}”）"),
            format!("must be a month YYYY-MM (given '{text}')"),
        )
    })
}

fn quantity(value: &str) -> Result<i64> {
    let parsed: Option<Decimal> = value.trim().parse().ok();
    parsed.and_then(units).ok_or_else(|| {
        Error::invalid(
            "quantity",
            "PURCHASE_QUANTITY",
            format!("须为正数，至多五位小数（申报值“{value}”）"),
            format!("must be a positive quantity with at most five decimals (given '{value}')"),
        )
    })
}

/// A positive CNY amount of at most two decimals, in fen.
fn money(field: &str, value: &str) -> Result<i64> {
    let parsed: Option<Decimal> = value.trim().parse().ok();
    parsed
        .filter(|d| *d > Decimal::ZERO)
        .and_then(to_fen)
        .ok_or_else(|| {
            Error::invalid(
                field,
                "PURCHASE_MONEY",
                format!("须为正的人民币金额，至多两位小数（申报值“{value}”）"),
                format!(
                    "must be a positive CNY amount with at most two decimals (given '{value}')"
                ),
            )
        })
}

fn text<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str> {
    kuajing_registry::validate::text(field, "PURCHASE_TEXT", value, max)
}

fn view(r: PurchaseRecord) -> PurchaseView {
    PurchaseView {
        id: r.record_id,
        owner_code: r.owner_code,
        purchase_date: r.purchase_date,
        goods_name: r.goods_name,
        unit: r.unit,
        quantity: display_units(r.quantity),
        unit_price: from_fen(r.unit_price_fen).to_string(),
        amount: from_fen(r.amount_fen).to_string(),
        seller: r.seller_name,
        invt_nos: r.invt_nos,
        recorded_by: r.recorded_by,
        recorded_at: r.created_at.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_amount_is_quantity_times_price_rounded_half_up_to_the_fen() {
        // 2.5 × 3.33 = 8.325 → 8.33 (half up, not to even).
        assert_eq!(expected_amount(250_000, 333).unwrap(), 833);
        // 0.333 × 0.05 = 0.01665 → 0.02.
        assert_eq!(expected_amount(33_300, 5).unwrap(), 2);
        // 0.1 × 0.04 = 0.004 → 0.00: recording it then fails as money.
        assert_eq!(expected_amount(10_000, 4).unwrap(), 0);
        assert_eq!(expected_amount(300_000, 1999).unwrap(), 5997);
    }

    #[test]
    fn months_are_yyyy_mm_and_end_at_the_next_first() {
        let (first, next) = month("2026-12").unwrap();
        assert_eq!(
            (first.to_string(), next.to_string()),
            ("2026-12-01".into(), "2027-01-01".into())
        );
        assert!(month("2026-13").is_err());
        assert!(month("2026-1").is_err());
        assert!(month("+026-01").is_err());
    }

    #[test]
    fn money_is_positive_with_at_most_two_decimals() {
        assert_eq!(money("amount", "12.30").unwrap(), 1230);
        assert!(money("amount", "0").is_err());
        assert!(money("amount", "-1").is_err());
        assert!(money("amount", "1.001").is_err());
    }
}
