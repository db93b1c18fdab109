//! Bonded e-account books (电子账册, issue #6) for the zone warehouse
//! enterprise and customs: open a book, add its stock lines, record
//! movements in its ledger, read stock and ledger. Input is checked field
//! by field before anything is written (a refusal names the field, the
//! rule and the value, and changes nothing); every write is audited in its
//! own transaction.
//!
//! The book's exit flow (verification and gate release lists), the
//! inspection of returned goods and the reconciliation with its monthly
//! report are its submodules.

pub mod exit;
pub mod quarantine;
pub mod reconciliation;
mod sheet;

use kuajing_core::access::Action;
use kuajing_core::ids::HsCode;
use kuajing_core::quantity::{display_units, units};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Store;
use kuajing_store::ems_books::{
    self as books, Book, LedgerFilter, Line, Movement, MovementKind, NewBook, NewLine, NewMovement,
    Outcome, Purpose,
};
use kuajing_store::ems_quarantine;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use kuajing_exchange::ClearanceSettings;
use kuajing_registry::actor::Actor;
use kuajing_registry::error::{Error, Result};

pub use sheet::{BookSheet, HoldView, book_sheet};

/// A book to open (the caller's enterprise keeps it).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookInput {
    /// The book number lists name as `emsNo` (1–30 letters and digits).
    pub ems_no: String,
    /// The zone's 4-digit customs code (e.g. `1909` 珲春).
    pub zone_code: String,
    /// The book's name (1–100 characters).
    pub name: String,
}

/// A stock line to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    /// The item record number (料号, `itemRecordNo`; 1–30 characters).
    pub item_no: String,
    /// The goods' 10-digit HS code.
    pub hs_code: String,
    /// The goods' name (1–250 characters).
    pub goods_name: String,
    /// The 3-digit legal unit code the line counts in (e.g. `035` kg).
    pub unit: String,
    /// The 3-digit currency code of the declared value (e.g. `142` CNY).
    pub currency: String,
    /// The declared unit value, a positive decimal.
    pub unit_value: String,
}

/// A movement to record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = BookMovementInput)]
pub struct MovementInput {
    /// The item record number.
    pub item_no: String,
    /// `first-line-in`, `goods-out`, `return-in` or `adjustment` (a
    /// `retail-out` is written by the clearance of a 1210 list, never by
    /// hand).
    pub kind: String,
    /// The quantity, a decimal of at most five places: positive for every
    /// kind (its direction is the kind's); signed for an adjustment.
    pub quantity: String,
    /// The unit the quantity is in: must be the line's.
    pub unit: String,
    /// The document it follows: entry list, verification list, destruction
    /// record… (1–64 characters).
    pub reference: String,
    /// Why (required for an adjustment and a goods-out: general trade,
    /// transfer, re-export; up to 500 characters).
    #[serde(default)]
    pub reason: String,
    /// Who approved an adjustment (required for one).
    #[serde(default)]
    pub approved_by: Option<String>,
    /// What the goods came in or went out for: `entry` (the default of a
    /// first-line-in) or `transfer-in`; `general-trade`, `transfer-out` or
    /// `re-export` (required for a goods-out). The monthly report counts
    /// transfers apart.
    #[serde(default)]
    pub purpose: Option<String>,
}

/// A book as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = AccountBookView)]
pub struct BookView {
    /// Book number.
    pub ems_no: String,
    /// Warehouse enterprise.
    pub owner_code: String,
    /// Zone customs code.
    pub zone_code: String,
    /// Name.
    pub name: String,
    /// Opened (RFC 3339).
    pub created_at: String,
    /// Its stock lines (in the book's view; empty in lists of books).
    pub lines: Vec<LineView>,
}

/// A stock line as shown: quantities as decimals in the line's unit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LineView {
    /// Item record number.
    pub item_no: String,
    /// HS code.
    pub hs_code: String,
    /// Goods name.
    pub goods_name: String,
    /// Unit code.
    pub unit: String,
    /// Currency code.
    pub currency: String,
    /// Declared unit value.
    pub unit_value: String,
    /// Stock.
    pub stock: String,
    /// Held by 1210 lists not yet released.
    pub reserved: String,
    /// Returned goods waiting for inspection (待检).
    pub quarantined: String,
    /// Stock less reservations and what waits for inspection.
    pub available: String,
}

/// A movement as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = BookMovementView)]
pub struct MovementView {
    /// Place in the ledger.
    pub seq: i64,
    /// Item record number.
    pub item_no: String,
    /// Kind.
    pub kind: String,
    /// Signed quantity in the line's unit.
    pub quantity: String,
    /// The document it follows.
    pub reference: String,
    /// Why.
    pub reason: String,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// What an entry or a goods-out was for.
    pub purpose: Option<String>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// Opens a book kept by the caller's enterprise.
pub async fn open_book(store: &Store, actor: &Actor, input: &BookInput) -> Result<BookView> {
    let owner = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::KeepBooks, &owner, "ems.open", &input.ems_no)
        .await?;
    let ems_no = book_number(&input.ems_no)?;
    let zone_code = digits("zone_code", input.zone_code.trim(), 4)?;
    let name = text("name", &input.name, 100)?;
    let new = NewBook {
        ems_no,
        owner_code: &owner,
        zone_code,
        name,
    };
    let mut tx = store.begin().await?;
    let book = books::open_book(&mut tx, &new, Timestamp::now()).await?;
    actor.commit(tx, "ems.open", Some(ems_no), None).await?;
    Ok(book_view(book, Vec::new()))
}

/// Adds a stock line to one of the caller's books.
pub async fn add_line(
    store: &Store,
    actor: &Actor,
    ems_no: &str,
    input: &LineInput,
) -> Result<LineView> {
    let book = own_book(store, actor, ems_no, Action::KeepBooks, "ems.line").await?;
    let item_no = text("item_no", &input.item_no, 30)?;
    let hs_code =
        HsCode::parse(input.hs_code.trim()).map_err(|e| Error::invalid_id("hs_code", &e))?;
    let goods_name = text("goods_name", &input.goods_name, 250)?;
    let unit = digits("unit", input.unit.trim(), 3)?;
    let currency = digits("currency", input.currency.trim(), 3)?;
    let unit_value = positive_decimal("unit_value", &input.unit_value)?;
    let value_text = unit_value.normalize().to_string();
    let new = NewLine {
        ems_no: &book.ems_no,
        item_no,
        hs_code: hs_code.as_str(),
        goods_name,
        unit,
        currency,
        unit_value: &value_text,
    };
    let mut tx = store.begin().await?;
    let line = books::add_line(&mut tx, &new, Timestamp::now()).await?;
    let target = format!("{}/{item_no}", book.ems_no);
    actor.commit(tx, "ems.line", Some(&target), None).await?;
    Ok(line_view(line))
}

/// Records a movement on one of the caller's books: the line's stock
/// changes in the same transaction, or nothing happens (an unknown item, a
/// unit other than the line's, a quantity that would take stock below
/// what is held: each named). A customer return waits for inspection when
/// the setting says so (`ClearanceSettings::returns_quarantined`).
pub async fn record_movement(
    store: &Store,
    settings: &ClearanceSettings,
    actor: &Actor,
    ems_no: &str,
    input: &MovementInput,
) -> Result<MovementView> {
    let book = own_book(store, actor, ems_no, Action::KeepBooks, "ems.move").await?;
    let kind = movement_kind(&input.kind)?;
    let quantity = signed_quantity(kind, &input.quantity)?;
    let item_no = text("item_no", &input.item_no, 30)?;
    let reference = text("reference", &input.reference, 64)?;
    let reason = input.reason.trim();
    let approved_by = given(input.approved_by.as_deref());
    explained(kind, reason, approved_by)?;
    let purpose = purpose_of(kind, input.purpose.as_deref())?;
    let mut tx = store.begin().await?;
    let line = books::find_line(&mut tx, &book.ems_no, item_no)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: "account book line",
            key: format!("{}/{item_no}", book.ems_no),
        })?;
    if input.unit.trim() != line.unit {
        return Err(Error::invalid(
            "unit",
            "EMS_UNIT",
            format!(
                "须为账册料号 {item_no} 的计量单位 {}（申报值“{}”）",
                line.unit, input.unit
            ),
            format!(
                "must be the unit of item {item_no}, {} (given '{}')",
                line.unit, input.unit
            ),
        ));
    }
    let new = NewMovement {
        ems_no: &book.ems_no,
        item_no,
        kind,
        quantity,
        reference,
        reason,
        approved_by,
        purpose,
        recorded_by: &actor.name,
    };
    let now = Timestamp::now();
    let movement = match books::record(&mut tx, &new, now).await? {
        Outcome::Done(movement) => movement,
        Outcome::Overdrawn { available } => return Err(overdrawn(item_no, quantity, available)),
    };
    if kind == MovementKind::ReturnIn && settings.returns_quarantined {
        ems_quarantine::hold(
            &mut tx,
            &book.ems_no,
            item_no,
            quantity,
            reference,
            &actor.name,
            now,
        )
        .await?;
    }
    let target = format!("{}/{item_no}", book.ems_no);
    let detail = format!("{} {}", kind.as_str(), display_units(quantity));
    actor
        .commit(tx, "ems.move", Some(&target), Some(&detail))
        .await?;
    Ok(movement_view(movement))
}

/// The books the caller may read: its own, or every book for customs.
pub async fn list_books(store: &Store, actor: &Actor) -> Result<Vec<BookView>> {
    let owner = readable_owner(store, actor, "ems.read").await?;
    let mut conn = store.reader().await?;
    let found = books::books_of(&mut conn, owner.as_deref()).await?;
    Ok(found
        .into_iter()
        .map(|b| book_view(b, Vec::new()))
        .collect())
}

/// A book with its stock lines.
pub async fn read_book(store: &Store, actor: &Actor, ems_no: &str) -> Result<BookView> {
    let book = own_book(store, actor, ems_no, Action::ReadBooks, "ems.read").await?;
    let mut conn = store.reader().await?;
    let lines = books::lines_of(&mut conn, &book.ems_no).await?;
    Ok(book_view(book, lines))
}

/// A page of a book's ledger (of one item, of one kind, if given), after
/// ledger position `after`, oldest first.
pub async fn ledger(
    store: &Store,
    actor: &Actor,
    ems_no: &str,
    filter: &LedgerQuery,
    after: i64,
    limit: i64,
) -> Result<Vec<MovementView>> {
    let book = own_book(store, actor, ems_no, Action::ReadBooks, "ems.read").await?;
    let filter = filter.parse()?;
    let mut conn = store.reader().await?;
    let moves =
        books::movements_of(&mut conn, &book.ems_no, filter, after, limit.clamp(1, 500)).await?;
    Ok(moves.into_iter().map(movement_view).collect())
}

/// Which movements of a ledger to show, as given.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// Only this item record number.
    pub item_no: Option<String>,
    /// Only this kind (`first-line-in`, `retail-out`, `goods-out`,
    /// `return-in`, `adjustment`).
    pub kind: Option<String>,
}

impl LedgerQuery {
    /// The filter; an unknown kind is refused on `kind`.
    fn parse(&self) -> Result<LedgerFilter<'_>> {
        let kind = match given(self.kind.as_deref()) {
            None => None,
            Some(kind) => Some(MovementKind::parse(kind).ok_or_else(|| {
                Error::invalid(
                    "kind",
                    "EMS_KIND",
                    format!("未知的变动类型“{kind}”"),
                    format!("unknown movement kind '{kind}'"),
                )
            })?),
        };
        Ok(LedgerFilter {
            item_no: given(self.item_no.as_deref()),
            kind,
        })
    }
}

/// An optional text field's value, trimmed, if it says anything.
pub(crate) fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|t| !t.is_empty())
}

/// The book `ems_no` if the caller may do `action` on it; an unknown book
/// and one the caller may not see are both "not found" (its existence is
/// its keeper's and customs' business).
pub(crate) async fn own_book(
    store: &Store,
    actor: &Actor,
    ems_no: &str,
    action: Action,
    audit_action: &str,
) -> Result<Book> {
    let mut conn = store.reader().await?;
    let book = books::find_book(&mut conn, ems_no.trim()).await?;
    drop(conn);
    let not_found = || Error::NotFound {
        what: "account book",
        key: ems_no.to_owned(),
    };
    let book = book.ok_or_else(not_found)?;
    actor
        .authorize(store, action, &book.owner_code, audit_action, ems_no)
        .await
        .map_err(|refused| visible_refusal(actor, &book.owner_code, refused, not_found()))?;
    Ok(book)
}

/// How a refused step on a book or repair record of `owner` is answered:
/// 403 to those who may read the record (customs, the zone administration:
/// they see it, so its existence is no secret), 404 to anyone else.
pub(crate) fn visible_refusal(actor: &Actor, owner: &str, refused: Error, hidden: Error) -> Error {
    if actor.may(Action::ReadBooks, owner).is_ok() {
        refused
    } else {
        hidden
    }
}

/// Whose books and repair records the caller may read: every
/// enterprise's (`None`, customs and the zone administration) or its own
/// (`Some`, a warehouse); anyone else is refused, the refusal audited as
/// `audit_action`.
pub(crate) async fn readable_owner(
    store: &Store,
    actor: &Actor,
    audit_action: &str,
) -> Result<Option<String>> {
    if actor.may(Action::ReadBooks, "").is_ok() {
        return Ok(None);
    }
    let own = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::ReadBooks, &own, audit_action, "")
        .await?;
    Ok(Some(own))
}

fn movement_kind(kind: &str) -> Result<MovementKind> {
    match MovementKind::parse(kind.trim()) {
        Some(MovementKind::RetailOut) | None => Err(Error::invalid(
            "kind",
            "EMS_KIND",
            format!(
                "须为 first-line-in、goods-out、return-in 或 adjustment（申报值“{kind}”；retail-out 由 1210 清单放行写入）"
            ),
            format!(
                "must be first-line-in, goods-out, return-in or adjustment (given '{kind}'; retail-out is written by the release of a 1210 list)"
            ),
        )),
        Some(kind) => Ok(kind),
    }
}

/// The signed quantity in 1/100000 units: the kind's direction, or the
/// adjustment's own sign.
pub(crate) fn signed_quantity(kind: MovementKind, quantity: &str) -> Result<i64> {
    let value: Option<Decimal> = quantity.trim().parse().ok();
    let invalid = || {
        Error::invalid(
            "quantity",
            "EMS_QUANTITY",
            format!("须为非零数量，至多五位小数（申报值“{quantity}”）"),
            format!("must be a non-zero quantity with at most five decimals (given '{quantity}')"),
        )
    };
    let value = value.ok_or_else(invalid)?;
    let magnitude = units(value.abs()).ok_or_else(invalid)?;
    let negative = value.is_sign_negative();
    match kind {
        MovementKind::Adjustment if negative => Ok(-magnitude),
        MovementKind::Adjustment => Ok(magnitude),
        // Every other kind takes a positive quantity: its direction is
        // the kind's.
        _ if negative => Err(invalid()),
        MovementKind::FirstLineIn | MovementKind::ReturnIn => Ok(magnitude),
        MovementKind::GoodsOut | MovementKind::RetailOut => Ok(-magnitude),
    }
}

/// An adjustment needs a reason and an approver; goods leaving otherwise
/// than on a list need a reason (general trade, transfer, re-export).
pub(crate) fn explained(kind: MovementKind, reason: &str, approved_by: Option<&str>) -> Result<()> {
    remarks(reason, approved_by)?;
    if reason.chars().count() > 500 {
        return Err(Error::invalid(
            "reason",
            "EMS_REASON",
            "理由至多 500 个字符",
            "the reason is at most 500 characters",
        ));
    }
    let needs_reason = matches!(kind, MovementKind::Adjustment | MovementKind::GoodsOut);
    if needs_reason && reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            "EMS_REASON",
            format!("{} 须写明理由", kind.as_str()),
            format!("a {} needs a written reason", kind.as_str()),
        ));
    }
    if kind == MovementKind::Adjustment && approved_by.is_none() {
        return Err(Error::invalid(
            "approved_by",
            "EMS_APPROVER",
            "调整（销毁、盘点差异）须写明批准人",
            "an adjustment (destruction, stock-take difference) needs its approver",
        ));
    }
    Ok(())
}

/// A reason and an approver, when given, are texts people read: no
/// control or bidirectional formatting characters.
pub(crate) fn remarks(reason: &str, approved_by: Option<&str>) -> Result<()> {
    kuajing_registry::validate::printable_prose("reason", reason)?;
    approved_by.map_or(Ok(()), |name| {
        kuajing_registry::validate::printable("approved_by", name)
    })
}

/// What an entry or goods-out was for: a first-line-in is an entry unless
/// it says `transfer-in`; a goods-out must say which of general trade,
/// transfer or re-export; the other kinds have none.
fn purpose_of(kind: MovementKind, purpose: Option<&str>) -> Result<Option<Purpose>> {
    let Some(named) = given(purpose) else {
        return match kind {
            MovementKind::FirstLineIn => Ok(Some(Purpose::Entry)),
            MovementKind::GoodsOut => Err(wrong_purpose(kind, "")),
            _ => Ok(None),
        };
    };
    match Purpose::parse(named) {
        Some(purpose) if purpose.kind() == kind => Ok(Some(purpose)),
        _ => Err(wrong_purpose(kind, named)),
    }
}

fn wrong_purpose(kind: MovementKind, given: &str) -> Error {
    let allowed: Vec<&str> = Purpose::ALL
        .iter()
        .filter(|p| p.kind() == kind)
        .map(|p| p.as_str())
        .collect();
    let allowed = if allowed.is_empty() {
        "（无 / none）".to_owned()
    } else {
        allowed.join(", ")
    };
    let kind = kind.as_str();
    Error::invalid(
        "purpose",
        "EMS_PURPOSE",
        format!("{kind} 的用途须为 {allowed}（申报值“{given}”）"),
        format!("a {kind}'s purpose must be one of {allowed} (given '{given}')"),
    )
}

/// The refusal of a quantity larger than what a line has available.
pub(crate) fn overdrawn(item_no: &str, quantity: i64, available: i64) -> Error {
    let (wanted, left) = (display_units(-quantity), display_units(available));
    Error::invalid(
        "quantity",
        "EMS_OVERDRAWN",
        format!("料号 {item_no} 可用库存 {left}，不足出库 {wanted}；账册未变"),
        format!("item {item_no} has {left} available, not {wanted}; the book is unchanged"),
    )
}

fn book_number(ems_no: &str) -> Result<&str> {
    let ems_no = ems_no.trim();
    let valid = (1..=30).contains(&ems_no.len())
        && ems_no
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !valid {
        return Err(Error::invalid(
            "ems_no",
            "EMS_NUMBER",
            format!("账册编号须为 1 至 30 位大写字母或数字（申报值“{ems_no}”）"),
            format!("must be 1 to 30 upper-case letters or digits (given '{ems_no}')"),
        ));
    }
    Ok(ems_no)
}

pub(crate) fn digits<'a>(field: &str, value: &'a str, length: usize) -> Result<&'a str> {
    if value.len() == length && value.chars().all(|c| c.is_ascii_digit()) {
        return Ok(value);
    }
    Err(Error::invalid(
        field,
        "EMS_CODE",
        format!("须为 {length} 位数字代码（申报值“{value}”）"),
        format!("must be a {length}-digit code (given '{value}')"),
    ))
}

/// A book's required text (`EMS_TEXT`), by the shared rule.
pub(crate) fn text<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str> {
    kuajing_registry::validate::text(field, "EMS_TEXT", value, max)
}

fn positive_decimal(field: &str, value: &str) -> Result<Decimal> {
    match value.trim().parse::<Decimal>() {
        Ok(d) if d > Decimal::ZERO => Ok(d),
        _ => Err(Error::invalid(
            field,
            "EMS_VALUE",
            format!("须为正数（申报值“{value}”）"),
            format!("must be a positive decimal (given '{value}')"),
        )),
    }
}

fn book_view(book: Book, lines: Vec<Line>) -> BookView {
    BookView {
        ems_no: book.ems_no,
        owner_code: book.owner_code,
        zone_code: book.zone_code,
        name: book.name,
        created_at: book.created_at.to_string(),
        lines: lines.into_iter().map(line_view).collect(),
    }
}

pub(crate) fn line_view(line: Line) -> LineView {
    LineView {
        stock: display_units(line.stock),
        reserved: display_units(line.reserved),
        quarantined: display_units(line.quarantined),
        available: display_units(line.available()),
        item_no: line.item_no,
        hs_code: line.hs_code,
        goods_name: line.goods_name,
        unit: line.unit,
        currency: line.currency,
        unit_value: line.unit_value,
    }
}

pub(crate) fn movement_view(movement: Movement) -> MovementView {
    MovementView {
        seq: movement.seq,
        item_no: movement.item_no,
        kind: movement.kind.as_str().to_owned(),
        quantity: display_units(movement.quantity),
        reference: movement.reference,
        reason: movement.reason,
        approved_by: movement.approved_by,
        purpose: movement.purpose.map(|p| p.as_str().to_owned()),
        recorded_by: movement.recorded_by,
        created_at: movement.created_at.to_string(),
    }
}
