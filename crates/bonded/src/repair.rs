//! Bonded after-sales repair (保税维修, issue #6; policy-rules.md §7.3) for
//! the zone warehouse enterprise and customs: open a repair order (维修单)
//! when faulty goods arrive, record what becomes of them — repaired,
//! unrepairable, shipped (re-exported 复运出境 when they came from abroad,
//! returned 复运回境内 when from the domestic market) — and the repair
//! materials used (料件) and the scrap that left as domestic solid waste
//! (固体废物); read the orders and the repair account book (维修账册) that
//! GACC 2015 No. 59 asks the enterprise to keep, networked with customs.
//!
//! The same access rules as the bonded e-account book (`crate::books`):
//! the warehouse keeps and reads its own book (`KeepBooks`, `ReadBooks`),
//! customs reads every book. Input is checked field by field before
//! anything is written (a refusal names the field, the rule and the value,
//! and changes nothing); every write is audited in its own transaction.

use kuajing_core::access::Action;
use kuajing_core::ids::HsCode;
use kuajing_core::quantity::{display_units, units};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Store;
use kuajing_store::repair::{
    self as store, BookTotals, Material, Movement, MovementKind, NewMaterial, NewMovement,
    NewOrder, NewScrap, Order, OrderFilter, OrderState, Origin, Outcome, Scrap,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::books::{readable_owner, visible_refusal};
use kuajing_registry::actor::Actor;
use kuajing_registry::error::{Error, Result};

/// The most orders one list shows.
pub const MAX_ORDERS: i64 = 500;

/// Goods received for repair: the order to open (the caller's enterprise
/// repairs them).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    /// `abroad` (境外: re-exported after repair) or `domestic` (境内:
    /// returned after repair).
    pub origin: String,
    /// Whose goods they are (1–100 characters).
    pub customer_name: String,
    /// The goods' name (1–250 characters).
    pub goods_name: String,
    /// The goods' 10-digit HS code.
    pub hs_code: String,
    /// The 3-digit legal unit code the order counts in (e.g. `001` piece).
    pub unit: String,
    /// The quantity received, a positive decimal of at most five places.
    pub quantity: String,
    /// The 3-digit currency code of the declared value (e.g. `142` CNY).
    pub currency: String,
    /// The declared value of the goods, a positive decimal (text, exact).
    pub declared_value: String,
    /// The day the goods arrived, `YYYY-MM-DD`, not after today.
    pub received_on: String,
    /// The document they entered on (entry list, return record; up to 64
    /// characters).
    #[serde(default)]
    pub reference: String,
}

/// A step of an order's goods.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RepairMovementInput)]
pub struct MovementInput {
    /// `repaired`, `unrepairable` (both from the units awaiting repair),
    /// `shipped-repaired` or `shipped-unrepairable` (re-exported or
    /// returned, by the order's origin).
    pub kind: String,
    /// The quantity, a positive decimal of at most five places.
    pub quantity: String,
    /// The document it follows: required when goods are shipped (the
    /// re-export declaration or the return record; up to 64 characters).
    #[serde(default)]
    pub reference: String,
    /// A note: required for `unrepairable` (why; up to 500 characters).
    #[serde(default)]
    pub note: String,
}

/// Repair materials (料件) used on an order.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaterialInput {
    /// The material's name (1–250 characters).
    pub name: String,
    /// Its 10-digit HS code.
    pub hs_code: String,
    /// Its 3-digit unit code.
    pub unit: String,
    /// The quantity used, a positive decimal of at most five places.
    pub quantity: String,
}

/// Bad parts or scrap (坏件、边角料) that left the zone as domestic solid
/// waste.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScrapInput {
    /// What it is (1–250 characters).
    pub description: String,
    /// Its weight in kg, a positive decimal of at most five places.
    pub weight_kg: String,
    /// The enterprise that took it for disposal (1–100 characters).
    pub disposal_enterprise: String,
    /// The disposal record's number (1–64 characters).
    pub disposal_record_no: String,
}

/// An order as shown: quantities as decimals in the order's unit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrderView {
    /// Order number (维修单号).
    pub order_no: String,
    /// The repairing enterprise.
    pub owner_code: String,
    /// `abroad` or `domestic`.
    pub origin: String,
    /// Whose goods.
    pub customer_name: String,
    /// Goods name.
    pub goods_name: String,
    /// HS code.
    pub hs_code: String,
    /// Unit code.
    pub unit: String,
    /// Currency code.
    pub currency: String,
    /// Declared value.
    pub declared_value: String,
    /// Day received.
    pub received_on: String,
    /// Received.
    pub received: String,
    /// Awaiting repair.
    pub awaiting: String,
    /// Repaired (shipped or not).
    pub repaired: String,
    /// Unrepairable (shipped or not).
    pub unrepairable: String,
    /// Repaired and shipped.
    pub shipped_repaired: String,
    /// Unrepairable and shipped.
    pub shipped_unrepairable: String,
    /// Every unit dealt with and gone.
    pub closed: bool,
    /// Opened (RFC 3339).
    pub created_at: String,
    /// Its ledger, oldest first (in the order's view; empty in lists).
    pub movements: Vec<MovementView>,
    /// Materials used (in the order's view; empty in lists).
    pub materials: Vec<MaterialView>,
    /// Scrap that left as solid waste (in the order's view; empty in lists).
    pub scrap: Vec<ScrapView>,
}

/// A movement as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = RepairMovementView)]
pub struct MovementView {
    /// Place in the ledger.
    pub seq: i64,
    /// Kind.
    pub kind: String,
    /// Quantity in the order's unit.
    pub quantity: String,
    /// The document it follows.
    pub reference: String,
    /// Note.
    pub note: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// Materials used, as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MaterialView {
    /// Place in the record.
    pub seq: i64,
    /// Name.
    pub name: String,
    /// HS code.
    pub hs_code: String,
    /// Unit code.
    pub unit: String,
    /// Quantity used.
    pub quantity: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// Scrap, as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ScrapView {
    /// Place in the record.
    pub seq: i64,
    /// What it is.
    pub description: String,
    /// Weight in kg.
    pub weight_kg: String,
    /// Disposal enterprise.
    pub disposal_enterprise: String,
    /// Disposal record number.
    pub disposal_record_no: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// The repair account book: goods by unit (quantities in different units
/// are never added), materials by HS code and unit, scrap weight.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = RepairBookView)]
pub struct BookView {
    /// The enterprise whose book it is; none when customs reads every book.
    pub owner_code: Option<String>,
    /// The goods, by unit.
    pub goods: Vec<UnitTotalsView>,
    /// The materials used, by HS code and unit.
    pub materials: Vec<MaterialTotalView>,
    /// Scrap that left as solid waste, kg.
    pub scrap_kg: String,
    /// Orders whose counters are not the sums of their ledger (each named
    /// with both figures): empty when the book agrees with its ledger.
    pub ledger_differences: Vec<String>,
}

/// The goods of the orders counting in one unit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitTotalsView {
    /// Unit code.
    pub unit: String,
    /// Orders.
    pub orders: i64,
    /// Received.
    pub received: String,
    /// Awaiting repair.
    pub awaiting: String,
    /// Repaired.
    pub repaired: String,
    /// Unrepairable.
    pub unrepairable: String,
    /// Shipped (repaired and unrepairable).
    pub shipped: String,
    /// received = awaiting + repaired + unrepairable, and no more shipped
    /// than repaired or unrepairable.
    pub balances: bool,
}

/// Materials of one HS code and unit used.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MaterialTotalView {
    /// HS code.
    pub hs_code: String,
    /// Unit code.
    pub unit: String,
    /// Quantity used.
    pub quantity: String,
}

/// Which orders to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrderQuery {
    /// Only orders with goods `awaiting` repair, `repaired` or
    /// `unrepairable` and not yet shipped, or all `shipped` (closed).
    pub state: Option<String>,
    /// Only goods from `abroad` or `domestic`.
    pub origin: Option<String>,
    /// At most this many, newest first (1–500, default 100).
    pub limit: Option<i64>,
}

/// Opens a repair order of the caller's enterprise: its goods are received
/// and await repair.
pub async fn open_order(store: &Store, actor: &Actor, input: &OrderInput) -> Result<OrderView> {
    let owner = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::KeepBooks, &owner, "repair.open", "")
        .await?;
    let origin = origin(&input.origin)?;
    let customer_name = text("customer_name", &input.customer_name, 100)?;
    let goods_name = text("goods_name", &input.goods_name, 250)?;
    let hs_code = hs_code("hs_code", &input.hs_code)?;
    let unit = digits("unit", input.unit.trim(), 3)?;
    let quantity = quantity("quantity", &input.quantity)?;
    let currency = digits("currency", input.currency.trim(), 3)?;
    let declared_value = positive_decimal("declared_value", &input.declared_value)?;
    let received_on = received_on(&input.received_on)?;
    let reference = optional_text("reference", &input.reference, 64)?;
    let new = NewOrder {
        owner_code: &owner,
        origin,
        customer_name,
        goods_name,
        hs_code: hs_code.as_str(),
        unit,
        currency,
        declared_value: &declared_value,
        received_on: &received_on,
        quantity,
        reference,
        recorded_by: &actor.name,
    };
    let mut tx = store.begin().await?;
    let order = store::open_order(&mut tx, &new, Timestamp::now()).await?;
    let detail = format!("{} {} {unit}", origin.as_str(), display_units(quantity));
    actor
        .commit(tx, "repair.open", Some(&order.order_no), Some(&detail))
        .await?;
    Ok(order_view(order))
}

/// Records a step of one of the caller's orders: its counters move in the
/// same transaction, or nothing happens (a step that takes more than the
/// order has in the state it takes from is named).
pub async fn record_movement(
    store: &Store,
    actor: &Actor,
    order_no: &str,
    input: &MovementInput,
) -> Result<MovementView> {
    let order = own_order(store, actor, order_no, Action::KeepBooks, "repair.move").await?;
    let kind = movement_kind(&input.kind)?;
    let quantity = quantity("quantity", &input.quantity)?;
    let reference = optional_text("reference", &input.reference, 64)?;
    let note = optional_text("note", &input.note, 500)?;
    explained(kind, reference, note)?;
    let new = NewMovement {
        order_id: order.order_id,
        kind,
        quantity,
        reference,
        note,
        recorded_by: &actor.name,
    };
    let mut tx = store.begin().await?;
    let movement = match store::record(&mut tx, &new, Timestamp::now()).await? {
        Outcome::Done(movement) => movement,
        Outcome::Overdrawn { available } => {
            return Err(overdrawn(&order, kind, quantity, available));
        }
    };
    let detail = format!("{} {}", kind.as_str(), display_units(quantity));
    actor
        .commit(tx, "repair.move", Some(&order.order_no), Some(&detail))
        .await?;
    Ok(movement_view(movement))
}

/// Records repair materials used on one of the caller's orders.
pub async fn use_material(
    store: &Store,
    actor: &Actor,
    order_no: &str,
    input: &MaterialInput,
) -> Result<MaterialView> {
    let order = own_order(store, actor, order_no, Action::KeepBooks, "repair.material").await?;
    let name = text("name", &input.name, 250)?;
    let hs_code = hs_code("hs_code", &input.hs_code)?;
    let unit = digits("unit", input.unit.trim(), 3)?;
    let quantity = quantity("quantity", &input.quantity)?;
    let new = NewMaterial {
        order_id: order.order_id,
        name,
        hs_code: hs_code.as_str(),
        unit,
        quantity,
        recorded_by: &actor.name,
    };
    let mut tx = store.begin().await?;
    let material = store::use_material(&mut tx, &new, Timestamp::now()).await?;
    let detail = format!("{} {} {unit}", hs_code.as_str(), display_units(quantity));
    actor
        .commit(tx, "repair.material", Some(&order.order_no), Some(&detail))
        .await?;
    Ok(material_view(material))
}

/// Records bad parts or scrap of one of the caller's orders that left the
/// zone as domestic solid waste. Only goods from the domestic market may
/// leave their scrap so (MOFCOM / MEE / GACC 2020 No. 16 and the later GACC
/// amendment, policy-rules.md §7.3); the scrap of goods from abroad is
/// refused.
pub async fn record_scrap(
    store: &Store,
    actor: &Actor,
    order_no: &str,
    input: &ScrapInput,
) -> Result<ScrapView> {
    let order = own_order(store, actor, order_no, Action::KeepBooks, "repair.scrap").await?;
    if order.origin != Origin::Domestic {
        return Err(Error::invalid(
            "origin",
            "REPAIR_SCRAP_ORIGIN",
            format!(
                "维修单 {} 的货物来自境外：只有境内维修货物的坏件、边角料可作为境内固体废物出区（商务部 生态环境部 海关总署公告2020年第16号及海关总署后续修改）",
                order.order_no
            ),
            format!(
                "the goods of order {} came from abroad: only bad parts and scrap of domestic repair goods may leave as domestic solid waste (MOFCOM / MEE / GACC 2020 No. 16 and the later GACC amendment)",
                order.order_no
            ),
        ));
    }
    let description = text("description", &input.description, 250)?;
    let weight = quantity("weight_kg", &input.weight_kg)?;
    let disposal_enterprise = text("disposal_enterprise", &input.disposal_enterprise, 100)?;
    let disposal_record_no = text("disposal_record_no", &input.disposal_record_no, 64)?;
    let new = NewScrap {
        order_id: order.order_id,
        description,
        weight,
        disposal_enterprise,
        disposal_record_no,
        recorded_by: &actor.name,
    };
    let mut tx = store.begin().await?;
    let scrap = store::record_scrap(&mut tx, &new, Timestamp::now()).await?;
    let detail = format!("{} kg, {disposal_record_no}", display_units(weight));
    actor
        .commit(tx, "repair.scrap", Some(&order.order_no), Some(&detail))
        .await?;
    Ok(scrap_view(scrap))
}

/// The orders the caller may read (its own, or every enterprise's for
/// customs) that the query selects, newest first.
pub async fn list_orders(
    store: &Store,
    actor: &Actor,
    query: &OrderQuery,
) -> Result<Vec<OrderView>> {
    let owner = readable_owner(store, actor, "repair.read").await?;
    let filter = OrderFilter {
        owner_code: owner.as_deref(),
        origin: query.origin.as_deref().map(origin).transpose()?,
        state: query.state.as_deref().map(order_state).transpose()?,
    };
    let limit = query.limit.unwrap_or(100).clamp(1, MAX_ORDERS);
    let mut conn = store.reader().await?;
    let found = store::orders(&mut conn, &filter, limit).await?;
    Ok(found.into_iter().map(order_view).collect())
}

/// An order with its ledger, materials and scrap.
pub async fn read_order(store: &Store, actor: &Actor, order_no: &str) -> Result<OrderView> {
    let order = own_order(store, actor, order_no, Action::ReadBooks, "repair.read").await?;
    let mut conn = store.reader().await?;
    let movements = store::movements_of(&mut conn, order.order_id).await?;
    let materials = store::materials_of(&mut conn, order.order_id).await?;
    let scrap = store::scrap_of(&mut conn, order.order_id).await?;
    let mut view = order_view(order);
    view.movements = movements.into_iter().map(movement_view).collect();
    view.materials = materials.into_iter().map(material_view).collect();
    view.scrap = scrap.into_iter().map(scrap_view).collect();
    Ok(view)
}

/// The repair account book the caller may read: its own enterprise's, or
/// every enterprise's together for customs.
pub async fn read_book(store: &Store, actor: &Actor) -> Result<BookView> {
    let owner = readable_owner(store, actor, "repair.read").await?;
    let mut conn = store.reader().await?;
    let totals = store::book_totals(&mut conn, owner.as_deref()).await?;
    let differences = store::ledger_differences(&mut conn, owner.as_deref()).await?;
    Ok(book_view(owner, totals, differences))
}

/// Whether the caller may keep the book of the order's enterprise (the
/// portal shows its forms only then).
pub fn keeps(actor: &Actor, order: &OrderView) -> bool {
    actor.may(Action::KeepBooks, &order.owner_code).is_ok()
}

/// The order `order_no` if the caller may do `action` on it; an unknown
/// order and one the caller may not see are both "not found" (its existence
/// is its repairer's and customs' business).
async fn own_order(
    store: &Store,
    actor: &Actor,
    order_no: &str,
    action: Action,
    audit_action: &str,
) -> Result<Order> {
    let mut conn = store.reader().await?;
    let order = store::find_order(&mut conn, order_no.trim()).await?;
    drop(conn);
    let not_found = || Error::NotFound {
        what: "repair order",
        key: order_no.to_owned(),
    };
    let order = order.ok_or_else(not_found)?;
    actor
        .authorize(store, action, &order.owner_code, audit_action, order_no)
        .await
        .map_err(|refused| visible_refusal(actor, &order.owner_code, refused, not_found()))?;
    Ok(order)
}

fn origin(value: &str) -> Result<Origin> {
    Origin::parse(value.trim()).ok_or_else(|| {
        Error::invalid(
            "origin",
            "REPAIR_ORIGIN",
            format!("须为 abroad（境外，修后复运出境）或 domestic（境内，修后复运回境内）（申报值“{value}”）"),
            format!("must be abroad (re-exported after repair) or domestic (returned after repair) (given '{value}')"),
        )
    })
}

fn order_state(value: &str) -> Result<OrderState> {
    OrderState::parse(value.trim()).ok_or_else(|| {
        Error::invalid(
            "state",
            "REPAIR_STATE",
            format!("须为 awaiting、repaired、unrepairable 或 shipped（申报值“{value}”）"),
            format!("must be awaiting, repaired, unrepairable or shipped (given '{value}')"),
        )
    })
}

fn movement_kind(kind: &str) -> Result<MovementKind> {
    match MovementKind::parse(kind.trim()) {
        Some(MovementKind::Received) | None => Err(Error::invalid(
            "kind",
            "REPAIR_KIND",
            format!(
                "须为 repaired、unrepairable、shipped-repaired 或 shipped-unrepairable（申报值“{kind}”；received 在开立维修单时写入）"
            ),
            format!(
                "must be repaired, unrepairable, shipped-repaired or shipped-unrepairable (given '{kind}'; received is written when the order is opened)"
            ),
        )),
        Some(kind) => Ok(kind),
    }
}

/// Goods leaving need their document; goods found unrepairable need the
/// reason.
fn explained(kind: MovementKind, reference: &str, note: &str) -> Result<()> {
    let shipped = matches!(
        kind,
        MovementKind::ShippedRepaired | MovementKind::ShippedUnrepairable
    );
    if shipped && reference.is_empty() {
        return Err(Error::invalid(
            "reference",
            "REPAIR_REFERENCE",
            "货物出区（复运出境或复运回境内）须写明单证编号",
            "goods leaving (re-exported or returned) need the number of their document",
        ));
    }
    if kind == MovementKind::Unrepairable && note.is_empty() {
        return Err(Error::invalid(
            "note",
            "REPAIR_NOTE",
            "不能维修的货物须写明原因",
            "goods that cannot be repaired need the reason",
        ));
    }
    Ok(())
}

fn overdrawn(order: &Order, kind: MovementKind, quantity: i64, available: i64) -> Error {
    let (wanted, left) = (display_units(quantity), display_units(available));
    let (from_zh, from_en) = match kind {
        MovementKind::ShippedRepaired => ("已修好未出区", "repaired and not yet shipped"),
        MovementKind::ShippedUnrepairable => ("不能维修未出区", "unrepairable and not yet shipped"),
        _ => ("待维修", "awaiting repair"),
    };
    let no = &order.order_no;
    Error::invalid(
        "quantity",
        "REPAIR_OVERDRAWN",
        format!("维修单 {no} {from_zh}数量 {left}，不足 {wanted}；账册未变"),
        format!("order {no} has {left} {from_en}, not {wanted}; the book is unchanged"),
    )
}

fn quantity(field: &str, value: &str) -> Result<i64> {
    let parsed: Option<Decimal> = value.trim().parse().ok();
    parsed.and_then(units).ok_or_else(|| {
        Error::invalid(
            field,
            "REPAIR_QUANTITY",
            format!("须为正数，至多五位小数（申报值“{value}”）"),
            format!("must be a positive quantity with at most five decimals (given '{value}')"),
        )
    })
}

fn hs_code(field: &str, value: &str) -> Result<HsCode> {
    HsCode::parse(value.trim()).map_err(|e| Error::invalid_id(field, &e))
}

/// The day received: `YYYY-MM-DD`, a real date, not after today in China
/// (UTC+8).
fn received_on(value: &str) -> Result<String> {
    kuajing_registry::validate::past_date("received_on", "REPAIR_DATE", value)
}

fn digits<'a>(field: &str, value: &'a str, length: usize) -> Result<&'a str> {
    if value.len() == length && value.chars().all(|c| c.is_ascii_digit()) {
        return Ok(value);
    }
    Err(Error::invalid(
        field,
        "REPAIR_CODE",
        format!("须为 {length} 位数字代码（申报值“{value}”）"),
        format!("must be a {length}-digit code (given '{value}')"),
    ))
}

fn text<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str> {
    kuajing_registry::validate::text(field, "REPAIR_TEXT", value, max)
}

fn optional_text<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str> {
    kuajing_registry::validate::text_upto(field, "REPAIR_TEXT", value, max)
}

/// A positive decimal as exact text (trailing zeros dropped), never a
/// float.
fn positive_decimal(field: &str, value: &str) -> Result<String> {
    match value.trim().parse::<Decimal>() {
        Ok(d) if d > Decimal::ZERO => Ok(d.normalize().to_string()),
        _ => Err(Error::invalid(
            field,
            "REPAIR_VALUE",
            format!("须为正数（申报值“{value}”）"),
            format!("must be a positive decimal (given '{value}')"),
        )),
    }
}

fn order_view(order: Order) -> OrderView {
    OrderView {
        closed: order.is_closed(),
        origin: order.origin.as_str().to_owned(),
        received: display_units(order.received),
        awaiting: display_units(order.awaiting),
        repaired: display_units(order.repaired),
        unrepairable: display_units(order.unrepairable),
        shipped_repaired: display_units(order.shipped_repaired),
        shipped_unrepairable: display_units(order.shipped_unrepairable),
        created_at: order.created_at.to_string(),
        order_no: order.order_no,
        owner_code: order.owner_code,
        customer_name: order.customer_name,
        goods_name: order.goods_name,
        hs_code: order.hs_code,
        unit: order.unit,
        currency: order.currency,
        declared_value: order.declared_value,
        received_on: order.received_on,
        movements: Vec::new(),
        materials: Vec::new(),
        scrap: Vec::new(),
    }
}

fn movement_view(movement: Movement) -> MovementView {
    MovementView {
        seq: movement.seq,
        kind: movement.kind.as_str().to_owned(),
        quantity: display_units(movement.quantity),
        reference: movement.reference,
        note: movement.note,
        recorded_by: movement.recorded_by,
        created_at: movement.created_at.to_string(),
    }
}

fn material_view(material: Material) -> MaterialView {
    MaterialView {
        seq: material.seq,
        quantity: display_units(material.quantity),
        name: material.name,
        hs_code: material.hs_code,
        unit: material.unit,
        recorded_by: material.recorded_by,
        created_at: material.created_at.to_string(),
    }
}

fn scrap_view(scrap: Scrap) -> ScrapView {
    ScrapView {
        seq: scrap.seq,
        weight_kg: display_units(scrap.weight),
        description: scrap.description,
        disposal_enterprise: scrap.disposal_enterprise,
        disposal_record_no: scrap.disposal_record_no,
        recorded_by: scrap.recorded_by,
        created_at: scrap.created_at.to_string(),
    }
}

fn book_view(owner_code: Option<String>, totals: BookTotals, differences: Vec<String>) -> BookView {
    BookView {
        owner_code,
        ledger_differences: differences,
        goods: totals
            .goods
            .into_iter()
            .map(|u| UnitTotalsView {
                balances: u.balances(),
                received: display_units(u.received),
                awaiting: display_units(u.awaiting),
                repaired: display_units(u.repaired),
                unrepairable: display_units(u.unrepairable),
                shipped: display_units(u.shipped_repaired + u.shipped_unrepairable),
                orders: u.orders,
                unit: u.unit,
            })
            .collect(),
        materials: totals
            .materials
            .into_iter()
            .map(|m| MaterialTotalView {
                quantity: display_units(m.quantity),
                hs_code: m.hs_code,
                unit: m.unit,
            })
            .collect(),
        scrap_kg: display_units(totals.scrap_weight),
    }
}
