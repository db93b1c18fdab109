//! Bonded after-sales repair (保税维修, issue #6; policy-rules.md §7.3):
//! repair orders (维修单) of a zone warehouse enterprise, the append-only
//! ledger of what became of their goods, the repair materials used (料件)
//! and the scrap that left as domestic solid waste (固体废物) — together the
//! repair account book (维修账册) that GACC 2015 No. 59 asks the enterprise
//! to keep, networked with customs (migration 0012).
//!
//! Quantities are integers of 1/100000 of the order's unit ([`UNIT_SCALE`]),
//! scrap weights of 1/100000 kg. An order's goods are received, then each
//! unit is repaired or found unrepairable, then shipped: re-exported (复运出境)
//! when it came from abroad, returned (复运回境内) when it came from the
//! domestic market. Every step is one conditional `UPDATE` of the order's
//! counters, so the book balances at every moment — received = awaiting +
//! repaired + unrepairable, shipped never more than repaired or
//! unrepairable — and two steps racing for the last unit cannot both pass:
//! PostgreSQL re-evaluates the condition on the locked row, SQLite has one
//! writer. The movement is written in the same transaction, so each counter
//! is the sum of the order's movements ([`ledger_differences`] checks it).

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::parse_time;

/// Quantities and weights are stored as integers of 1/`UNIT_SCALE` of the
/// unit (`kuajing_core::quantity`).
pub use kuajing_core::quantity::UNIT_SCALE;

/// Where the goods to repair came from (GACC 2015 No. 59), which says where
/// they go after repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// 境外: from abroad, re-exported after repair (复运出境).
    Abroad,
    /// 境内: from the domestic market, returned after repair (复运回境内).
    Domestic,
}

impl Origin {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Abroad => "abroad",
            Origin::Domestic => "domestic",
        }
    }

    /// The origin a stored name names.
    pub fn parse(name: &str) -> Option<Origin> {
        [Origin::Abroad, Origin::Domestic]
            .into_iter()
            .find(|o| o.as_str() == name)
    }
}

/// The kinds of movement in the repair ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovementKind {
    /// Goods received for repair (written when the order is opened): they
    /// await repair.
    Received,
    /// Units that awaited repair are repaired.
    Repaired,
    /// Units that awaited repair cannot be repaired.
    Unrepairable,
    /// Repaired units leave: re-exported or returned, by the order's origin.
    ShippedRepaired,
    /// Unrepairable units leave the same way, unrepaired.
    ShippedUnrepairable,
}

impl MovementKind {
    /// Every kind, in the order goods move through them.
    pub const ALL: [MovementKind; 5] = [
        MovementKind::Received,
        MovementKind::Repaired,
        MovementKind::Unrepairable,
        MovementKind::ShippedRepaired,
        MovementKind::ShippedUnrepairable,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Received => "received",
            MovementKind::Repaired => "repaired",
            MovementKind::Unrepairable => "unrepairable",
            MovementKind::ShippedRepaired => "shipped-repaired",
            MovementKind::ShippedUnrepairable => "shipped-unrepairable",
        }
    }

    /// The kind a stored name names.
    pub fn parse(name: &str) -> Option<MovementKind> {
        MovementKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// Which orders to list, by where their goods stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderState {
    /// Some units await repair.
    Awaiting,
    /// Some repaired units have not left yet.
    Repaired,
    /// Some unrepairable units have not left yet.
    Unrepairable,
    /// Every unit has been dealt with and has left: the order is closed.
    Shipped,
}

impl OrderState {
    /// Every state, for filters.
    pub const ALL: [OrderState; 4] = [
        OrderState::Awaiting,
        OrderState::Repaired,
        OrderState::Unrepairable,
        OrderState::Shipped,
    ];

    /// The name used in filters.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Awaiting => "awaiting",
            OrderState::Repaired => "repaired",
            OrderState::Unrepairable => "unrepairable",
            OrderState::Shipped => "shipped",
        }
    }

    /// The state a filter names.
    pub fn parse(name: &str) -> Option<OrderState> {
        OrderState::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// A repair order to open: its goods are received and await repair.
#[derive(Debug, Clone, Copy)]
pub struct NewOrder<'a> {
    /// The zone warehouse enterprise that repairs (its customs code).
    pub owner_code: &'a str,
    /// Where the goods came from.
    pub origin: Origin,
    /// Whose goods they are.
    pub customer_name: &'a str,
    /// The goods' name.
    pub goods_name: &'a str,
    /// The goods' 10-digit HS code.
    pub hs_code: &'a str,
    /// The 3-digit legal unit code the order counts in.
    pub unit: &'a str,
    /// The 3-digit currency code of the declared value.
    pub currency: &'a str,
    /// The declared value of the goods, exact decimal text.
    pub declared_value: &'a str,
    /// The day the goods were received (`YYYY-MM-DD`).
    pub received_on: &'a str,
    /// The quantity received, in 1/[`UNIT_SCALE`] units (positive).
    pub quantity: i64,
    /// The document the goods entered on (may be empty).
    pub reference: &'a str,
    /// Who recorded it.
    pub recorded_by: &'a str,
}

/// A repair order and where its goods stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// Internal key.
    pub order_id: i64,
    /// The order number (维修单号): `WX`, the opening date, the key.
    pub order_no: String,
    /// The repairing enterprise.
    pub owner_code: String,
    /// Where the goods came from.
    pub origin: Origin,
    /// Whose goods they are.
    pub customer_name: String,
    /// Goods name.
    pub goods_name: String,
    /// HS code.
    pub hs_code: String,
    /// Unit code.
    pub unit: String,
    /// Currency code of the declared value.
    pub currency: String,
    /// Declared value, decimal text.
    pub declared_value: String,
    /// Day received.
    pub received_on: String,
    /// Received, in 1/[`UNIT_SCALE`] units.
    pub received: i64,
    /// Awaiting repair.
    pub awaiting: i64,
    /// Repaired (shipped or not).
    pub repaired: i64,
    /// Found unrepairable (shipped or not).
    pub unrepairable: i64,
    /// Repaired units that have left.
    pub shipped_repaired: i64,
    /// Unrepairable units that have left.
    pub shipped_unrepairable: i64,
    /// Who opened it.
    pub recorded_by: String,
    /// Opened.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

impl Order {
    /// Every unit has been dealt with and has left.
    pub fn is_closed(&self) -> bool {
        self.awaiting == 0
            && self.shipped_repaired == self.repaired
            && self.shipped_unrepairable == self.unrepairable
    }
}

/// The order number of order `order_id` opened at `created_at`: `WX`, the
/// date in China Standard Time (UTC+8, where the zone is) and the key in at
/// least six digits — unique because the key is.
pub fn order_number(order_id: i64, created_at: Timestamp) -> String {
    let date = created_at.in_china().date();
    format!(
        "WX{:04}{:02}{:02}{order_id:06}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The key an order number carries, if it has the form `WX` + 8 digits of
/// date + at least 6 digits of key (the date is checked on reading).
fn order_key(order_no: &str) -> Option<i64> {
    let rest = order_no.strip_prefix("WX")?;
    let key = rest.get(8..)?;
    let well_formed = rest.len() >= 14 && rest.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return None;
    }
    key.parse().ok()
}

/// A movement to record on an order.
#[derive(Debug, Clone, Copy)]
pub struct NewMovement<'a> {
    /// The order's key.
    pub order_id: i64,
    /// Its kind (not [`MovementKind::Received`], written on opening).
    pub kind: MovementKind,
    /// Quantity in 1/[`UNIT_SCALE`] units, positive.
    pub quantity: i64,
    /// The document it follows (re-export declaration, return record…;
    /// may be empty for repair steps).
    pub reference: &'a str,
    /// A note (what was done, why it cannot be repaired).
    pub note: &'a str,
    /// Who recorded it.
    pub recorded_by: &'a str,
}

/// A recorded movement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    /// Its place in the ledger.
    pub seq: i64,
    /// The order's key.
    pub order_id: i64,
    /// Its kind.
    pub kind: MovementKind,
    /// Quantity, positive.
    pub quantity: i64,
    /// The document it follows.
    pub reference: String,
    /// Note.
    pub note: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub created_at: Timestamp,
}

/// What became of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    /// Done.
    Done(T),
    /// Refused: the order has fewer units in the state the step takes from
    /// (awaiting repair; repaired or unrepairable and not yet shipped);
    /// nothing changed. `available` is how many it has, now.
    Overdrawn {
        /// Units in the state the step takes from.
        available: i64,
    },
}

/// Repair materials (料件) used on an order.
#[derive(Debug, Clone, Copy)]
pub struct NewMaterial<'a> {
    /// The order's key.
    pub order_id: i64,
    /// The material's name.
    pub name: &'a str,
    /// Its 10-digit HS code.
    pub hs_code: &'a str,
    /// Its 3-digit unit code.
    pub unit: &'a str,
    /// Quantity used, in 1/[`UNIT_SCALE`] units, positive.
    pub quantity: i64,
    /// Who recorded it.
    pub recorded_by: &'a str,
}

/// Recorded use of repair materials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Material {
    /// Its place in the record.
    pub seq: i64,
    /// The order's key.
    pub order_id: i64,
    /// Name.
    pub name: String,
    /// HS code.
    pub hs_code: String,
    /// Unit code.
    pub unit: String,
    /// Quantity used.
    pub quantity: i64,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub created_at: Timestamp,
}

/// Bad parts or scrap (坏件、边角料) of an order that left the zone as
/// domestic solid waste (MOFCOM / MEE / GACC 2020 No. 16 and the later GACC
/// amendment).
#[derive(Debug, Clone, Copy)]
pub struct NewScrap<'a> {
    /// The order's key.
    pub order_id: i64,
    /// What it is.
    pub description: &'a str,
    /// Weight in 1/[`UNIT_SCALE`] kg, positive.
    pub weight: i64,
    /// The enterprise that took it for disposal.
    pub disposal_enterprise: &'a str,
    /// The disposal record's number.
    pub disposal_record_no: &'a str,
    /// Who recorded it.
    pub recorded_by: &'a str,
}

/// Recorded scrap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scrap {
    /// Its place in the record.
    pub seq: i64,
    /// The order's key.
    pub order_id: i64,
    /// What it is.
    pub description: String,
    /// Weight in 1/[`UNIT_SCALE`] kg.
    pub weight: i64,
    /// Disposal enterprise.
    pub disposal_enterprise: String,
    /// Disposal record number.
    pub disposal_record_no: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub created_at: Timestamp,
}

/// The totals of the orders counting in one unit (quantities in different
/// units are never added together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTotals {
    /// Unit code.
    pub unit: String,
    /// Orders counting in it.
    pub orders: i64,
    /// Received.
    pub received: i64,
    /// Awaiting repair.
    pub awaiting: i64,
    /// Repaired.
    pub repaired: i64,
    /// Unrepairable.
    pub unrepairable: i64,
    /// Repaired and shipped.
    pub shipped_repaired: i64,
    /// Unrepairable and shipped.
    pub shipped_unrepairable: i64,
}

impl UnitTotals {
    /// received = awaiting + repaired + unrepairable, and no more shipped
    /// than repaired or unrepairable.
    pub fn balances(&self) -> bool {
        self.received == self.awaiting + self.repaired + self.unrepairable
            && self.shipped_repaired <= self.repaired
            && self.shipped_unrepairable <= self.unrepairable
    }
}

/// The materials of one HS code and unit used on the book's orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialTotal {
    /// HS code.
    pub hs_code: String,
    /// Unit code.
    pub unit: String,
    /// Quantity used.
    pub quantity: i64,
}

/// The repair account book of one enterprise (or of every enterprise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookTotals {
    /// The goods, by unit.
    pub goods: Vec<UnitTotals>,
    /// The materials used, by HS code and unit.
    pub materials: Vec<MaterialTotal>,
    /// Scrap that left as solid waste, 1/[`UNIT_SCALE`] kg.
    pub scrap_weight: i64,
}

/// Opens an order: its goods are received (a `received` movement) and
/// await repair.
pub async fn open_order(
    conn: &mut Conn,
    new: &NewOrder<'_>,
    now: Timestamp,
) -> Result<Order, StoreError> {
    if new.quantity <= 0 {
        return Err(StoreError::corrupt(
            "received quantity",
            new.quantity.to_string(),
        ));
    }
    let now_text = now.to_string();
    let order_id: i64 = crate::sql::query_scalar(
        "INSERT INTO repair_orders (owner_code, origin, customer_name, goods_name, hs_code, unit, \
         currency, declared_value, received_on, received, awaiting, recorded_by, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $12) \
         RETURNING order_id",
    )
    .bind(new.owner_code)
    .bind(new.origin.as_str())
    .bind(new.customer_name)
    .bind(new.goods_name)
    .bind(new.hs_code)
    .bind(new.unit)
    .bind(new.currency)
    .bind(new.declared_value)
    .bind(new.received_on)
    .bind(new.quantity)
    .bind(new.recorded_by)
    .bind(&now_text)
    .fetch_one(&mut *conn)
    .await?;
    let received = NewMovement {
        order_id,
        kind: MovementKind::Received,
        quantity: new.quantity,
        reference: new.reference,
        note: "",
        recorded_by: new.recorded_by,
    };
    append(conn, &received, &now_text, now).await?;
    find_by_key(conn, order_id)
        .await?
        .ok_or_else(|| StoreError::corrupt("repair order", order_id.to_string()))
}

/// A query of orders: the columns, then `$rest` (a literal).
macro_rules! select_orders {
    ($rest:literal) => {
        concat!(
            "SELECT order_id, owner_code, origin, customer_name, goods_name, hs_code, unit, ",
            "currency, declared_value, received_on, received, awaiting, repaired, unrepairable, ",
            "shipped_repaired, shipped_unrepairable, recorded_by, created_at, updated_at ",
            "FROM repair_orders ",
            $rest
        )
    };
}

/// The order numbered `order_no`, if there is one.
pub async fn find_order(conn: &mut Conn, order_no: &str) -> Result<Option<Order>, StoreError> {
    let Some(key) = order_key(order_no) else {
        return Ok(None);
    };
    let order = find_by_key(conn, key).await?;
    // The date part must be the order's own: `WX19700101000001` is not
    // another name for `WX20261127000001`.
    Ok(order.filter(|o| o.order_no == order_no))
}

async fn find_by_key(conn: &mut Conn, order_id: i64) -> Result<Option<Order>, StoreError> {
    let row = crate::sql::query(select_orders!("WHERE order_id = $1"))
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| order_from_row(&row)).transpose()
}

/// Which orders to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct OrderFilter<'a> {
    /// Only this enterprise's (every enterprise's for `None`).
    pub owner_code: Option<&'a str>,
    /// Only goods of this origin.
    pub origin: Option<Origin>,
    /// Only orders with goods in this state.
    pub state: Option<OrderState>,
}

/// The orders the filter selects, newest first, at most `limit`.
pub async fn orders(
    conn: &mut Conn,
    filter: &OrderFilter<'_>,
    limit: i64,
) -> Result<Vec<Order>, StoreError> {
    if filter.owner_code.is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_orders!(
        "WHERE (CAST($1 AS TEXT) IS NULL OR owner_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR origin = $2) \
         AND (CAST($3 AS TEXT) IS NULL \
           OR ($3 = 'awaiting' AND awaiting > 0) \
           OR ($3 = 'repaired' AND repaired > shipped_repaired) \
           OR ($3 = 'unrepairable' AND unrepairable > shipped_unrepairable) \
           OR ($3 = 'shipped' AND awaiting = 0 AND shipped_repaired = repaired \
               AND shipped_unrepairable = unrepairable)) \
         ORDER BY order_id DESC LIMIT $4"
    ))
    .bind(filter.owner_code)
    .bind(filter.origin.map(Origin::as_str))
    .bind(filter.state.map(OrderState::as_str))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(order_from_row).collect()
}

/// Records a step of an order's goods: the counters move in one
/// conditional `UPDATE`, unless the order has too few units in the state
/// the step takes from ([`Outcome::Overdrawn`], nothing changed). An
/// unknown order is [`StoreError::NotFound`]; a quantity that is not
/// positive, or a `received` movement (written only on opening), is
/// [`StoreError::Corrupt`] (the caller validates input before).
pub async fn record(
    conn: &mut Conn,
    new: &NewMovement<'_>,
    now: Timestamp,
) -> Result<Outcome<Movement>, StoreError> {
    let statement = match new.kind {
        MovementKind::Repaired => concat!(
            "UPDATE repair_orders SET awaiting = awaiting - $2, repaired = repaired + $2, ",
            "updated_at = $3 WHERE order_id = $1 AND awaiting >= $2 RETURNING order_id"
        ),
        MovementKind::Unrepairable => concat!(
            "UPDATE repair_orders SET awaiting = awaiting - $2, unrepairable = unrepairable + $2, ",
            "updated_at = $3 WHERE order_id = $1 AND awaiting >= $2 RETURNING order_id"
        ),
        MovementKind::ShippedRepaired => concat!(
            "UPDATE repair_orders SET shipped_repaired = shipped_repaired + $2, updated_at = $3 ",
            "WHERE order_id = $1 AND shipped_repaired + $2 <= repaired RETURNING order_id"
        ),
        MovementKind::ShippedUnrepairable => concat!(
            "UPDATE repair_orders SET shipped_unrepairable = shipped_unrepairable + $2, ",
            "updated_at = $3 WHERE order_id = $1 AND shipped_unrepairable + $2 <= unrepairable ",
            "RETURNING order_id"
        ),
        MovementKind::Received => {
            return Err(StoreError::corrupt("repair movement kind", "received"));
        }
    };
    if new.quantity <= 0 {
        return Err(StoreError::corrupt(
            "repair movement quantity",
            new.quantity.to_string(),
        ));
    }
    let now_text = now.to_string();
    let changed: Option<i64> = crate::sql::query_scalar(statement)
        .bind(new.order_id)
        .bind(new.quantity)
        .bind(&now_text)
        .fetch_optional(&mut *conn)
        .await?;
    if changed.is_none() {
        return refused(conn, new.order_id, new.kind).await;
    }
    let movement = append(conn, new, &now_text, now).await?;
    Ok(Outcome::Done(movement))
}

/// Why a step found no row: the order does not exist, or it has too few
/// units in the state the step takes from.
async fn refused<T>(
    conn: &mut Conn,
    order_id: i64,
    kind: MovementKind,
) -> Result<Outcome<T>, StoreError> {
    let order = find_by_key(conn, order_id)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "repair order",
            key: order_id.to_string(),
        })?;
    let available = match kind {
        MovementKind::Received => 0,
        MovementKind::Repaired | MovementKind::Unrepairable => order.awaiting,
        MovementKind::ShippedRepaired => order.repaired - order.shipped_repaired,
        MovementKind::ShippedUnrepairable => order.unrepairable - order.shipped_unrepairable,
    };
    Ok(Outcome::Overdrawn { available })
}

/// Appends a movement row (the order was changed by the caller).
async fn append(
    conn: &mut Conn,
    new: &NewMovement<'_>,
    now_text: &str,
    now: Timestamp,
) -> Result<Movement, StoreError> {
    let seq: i64 = crate::sql::query_scalar(
        "INSERT INTO repair_movements (order_id, kind, quantity, reference, note, recorded_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq",
    )
    .bind(new.order_id)
    .bind(new.kind.as_str())
    .bind(new.quantity)
    .bind(new.reference)
    .bind(new.note)
    .bind(new.recorded_by)
    .bind(now_text)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Movement {
        seq,
        order_id: new.order_id,
        kind: new.kind,
        quantity: new.quantity,
        reference: new.reference.to_owned(),
        note: new.note.to_owned(),
        recorded_by: new.recorded_by.to_owned(),
        created_at: now,
    })
}

/// The ledger of an order, oldest first.
pub async fn movements_of(conn: &mut Conn, order_id: i64) -> Result<Vec<Movement>, StoreError> {
    let rows = crate::sql::query(
        "SELECT seq, order_id, kind, quantity, reference, note, recorded_by, created_at \
         FROM repair_movements WHERE order_id = $1 ORDER BY seq",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(movement_from_row).collect()
}

/// Records repair materials used on an order (which must exist:
/// [`StoreError::NotFound`] otherwise).
pub async fn use_material(
    conn: &mut Conn,
    new: &NewMaterial<'_>,
    now: Timestamp,
) -> Result<Material, StoreError> {
    if new.quantity <= 0 {
        return Err(StoreError::corrupt(
            "material quantity",
            new.quantity.to_string(),
        ));
    }
    exists(conn, new.order_id).await?;
    let seq: i64 = crate::sql::query_scalar(
        "INSERT INTO repair_materials (order_id, name, hs_code, unit, quantity, recorded_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq",
    )
    .bind(new.order_id)
    .bind(new.name)
    .bind(new.hs_code)
    .bind(new.unit)
    .bind(new.quantity)
    .bind(new.recorded_by)
    .bind(now.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Material {
        seq,
        order_id: new.order_id,
        name: new.name.to_owned(),
        hs_code: new.hs_code.to_owned(),
        unit: new.unit.to_owned(),
        quantity: new.quantity,
        recorded_by: new.recorded_by.to_owned(),
        created_at: now,
    })
}

/// The materials used on an order, oldest first.
pub async fn materials_of(conn: &mut Conn, order_id: i64) -> Result<Vec<Material>, StoreError> {
    let rows = crate::sql::query(
        "SELECT seq, order_id, name, hs_code, unit, quantity, recorded_by, created_at \
         FROM repair_materials WHERE order_id = $1 ORDER BY seq",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Material {
                seq: row.try_get("seq")?,
                order_id: row.try_get("order_id")?,
                name: row.try_get("name")?,
                hs_code: row.try_get("hs_code")?,
                unit: row.try_get("unit")?,
                quantity: row.try_get("quantity")?,
                recorded_by: row.try_get("recorded_by")?,
                created_at: parse_time(row, "created_at")?,
            })
        })
        .collect()
}

/// Records scrap of an order that left as solid waste (the order must
/// exist: [`StoreError::NotFound`] otherwise).
pub async fn record_scrap(
    conn: &mut Conn,
    new: &NewScrap<'_>,
    now: Timestamp,
) -> Result<Scrap, StoreError> {
    if new.weight <= 0 {
        return Err(StoreError::corrupt("scrap weight", new.weight.to_string()));
    }
    exists(conn, new.order_id).await?;
    let seq: i64 = crate::sql::query_scalar(
        "INSERT INTO repair_scrap (order_id, description, weight, disposal_enterprise, \
         disposal_record_no, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         RETURNING seq",
    )
    .bind(new.order_id)
    .bind(new.description)
    .bind(new.weight)
    .bind(new.disposal_enterprise)
    .bind(new.disposal_record_no)
    .bind(new.recorded_by)
    .bind(now.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Scrap {
        seq,
        order_id: new.order_id,
        description: new.description.to_owned(),
        weight: new.weight,
        disposal_enterprise: new.disposal_enterprise.to_owned(),
        disposal_record_no: new.disposal_record_no.to_owned(),
        recorded_by: new.recorded_by.to_owned(),
        created_at: now,
    })
}

/// The scrap of an order, oldest first.
pub async fn scrap_of(conn: &mut Conn, order_id: i64) -> Result<Vec<Scrap>, StoreError> {
    let rows = crate::sql::query(
        "SELECT seq, order_id, description, weight, disposal_enterprise, disposal_record_no, \
         recorded_by, created_at FROM repair_scrap WHERE order_id = $1 ORDER BY seq",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Scrap {
                seq: row.try_get("seq")?,
                order_id: row.try_get("order_id")?,
                description: row.try_get("description")?,
                weight: row.try_get("weight")?,
                disposal_enterprise: row.try_get("disposal_enterprise")?,
                disposal_record_no: row.try_get("disposal_record_no")?,
                recorded_by: row.try_get("recorded_by")?,
                created_at: parse_time(row, "created_at")?,
            })
        })
        .collect()
}

async fn exists(conn: &mut Conn, order_id: i64) -> Result<(), StoreError> {
    let found: Option<i64> =
        crate::sql::query_scalar("SELECT order_id FROM repair_orders WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(&mut *conn)
            .await?;
    found.map(|_| ()).ok_or_else(|| StoreError::NotFound {
        what: "repair order",
        key: order_id.to_string(),
    })
}

/// The repair account book of `owner_code` (of every enterprise for
/// `None`): its goods by unit, its materials by HS code and unit, and the
/// weight of its scrap.
pub async fn book_totals(
    conn: &mut Conn,
    owner_code: Option<&str>,
) -> Result<BookTotals, StoreError> {
    if owner_code.is_some_and(has_nul) {
        return Ok(BookTotals {
            goods: Vec::new(),
            materials: Vec::new(),
            scrap_weight: 0,
        });
    }
    Ok(BookTotals {
        goods: goods_totals(conn, owner_code).await?,
        materials: material_totals(conn, owner_code).await?,
        scrap_weight: scrap_weight(conn, owner_code).await?,
    })
}

async fn goods_totals(
    conn: &mut Conn,
    owner_code: Option<&str>,
) -> Result<Vec<UnitTotals>, StoreError> {
    let rows = crate::sql::query(
        "SELECT unit, COUNT(*) AS orders, CAST(SUM(received) AS BIGINT) AS received, \
         CAST(SUM(awaiting) AS BIGINT) AS awaiting, CAST(SUM(repaired) AS BIGINT) AS repaired, \
         CAST(SUM(unrepairable) AS BIGINT) AS unrepairable, \
         CAST(SUM(shipped_repaired) AS BIGINT) AS shipped_repaired, \
         CAST(SUM(shipped_unrepairable) AS BIGINT) AS shipped_unrepairable \
         FROM repair_orders WHERE CAST($1 AS TEXT) IS NULL OR owner_code = $1 \
         GROUP BY unit ORDER BY unit",
    )
    .bind(owner_code)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(UnitTotals {
                unit: row.try_get("unit")?,
                orders: row.try_get("orders")?,
                received: row.try_get("received")?,
                awaiting: row.try_get("awaiting")?,
                repaired: row.try_get("repaired")?,
                unrepairable: row.try_get("unrepairable")?,
                shipped_repaired: row.try_get("shipped_repaired")?,
                shipped_unrepairable: row.try_get("shipped_unrepairable")?,
            })
        })
        .collect()
}

async fn material_totals(
    conn: &mut Conn,
    owner_code: Option<&str>,
) -> Result<Vec<MaterialTotal>, StoreError> {
    let rows = crate::sql::query(
        "SELECT m.hs_code, m.unit, CAST(SUM(m.quantity) AS BIGINT) AS quantity \
         FROM repair_materials m JOIN repair_orders o ON o.order_id = m.order_id \
         WHERE CAST($1 AS TEXT) IS NULL OR o.owner_code = $1 \
         GROUP BY m.hs_code, m.unit ORDER BY m.hs_code, m.unit",
    )
    .bind(owner_code)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(MaterialTotal {
                hs_code: row.try_get("hs_code")?,
                unit: row.try_get("unit")?,
                quantity: row.try_get("quantity")?,
            })
        })
        .collect()
}

async fn scrap_weight(conn: &mut Conn, owner_code: Option<&str>) -> Result<i64, StoreError> {
    let weight: i64 = crate::sql::query_scalar(
        "SELECT COALESCE(CAST(SUM(s.weight) AS BIGINT), 0) \
         FROM repair_scrap s JOIN repair_orders o ON o.order_id = s.order_id \
         WHERE CAST($1 AS TEXT) IS NULL OR o.owner_code = $1",
    )
    .bind(owner_code)
    .fetch_one(&mut *conn)
    .await?;
    Ok(weight)
}

/// Every order of `owner_code` (of every enterprise for `None`) whose
/// counters are not the sums of its movements, or whose units awaiting
/// repair are not what its movements leave, as text naming the order, the
/// counter and both figures: empty when the book is right.
pub async fn ledger_differences(
    conn: &mut Conn,
    owner_code: Option<&str>,
) -> Result<Vec<String>, StoreError> {
    if owner_code.is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT o.order_id, o.created_at, o.received, o.repaired, o.unrepairable, \
         o.shipped_repaired, o.shipped_unrepairable, o.awaiting, \
         COALESCE(CAST(SUM(CASE WHEN m.kind = 'received' THEN m.quantity END) AS BIGINT), 0), \
         COALESCE(CAST(SUM(CASE WHEN m.kind = 'repaired' THEN m.quantity END) AS BIGINT), 0), \
         COALESCE(CAST(SUM(CASE WHEN m.kind = 'unrepairable' THEN m.quantity END) AS BIGINT), 0), \
         COALESCE(CAST(SUM(CASE WHEN m.kind = 'shipped-repaired' THEN m.quantity END) AS BIGINT), 0), \
         COALESCE(CAST(SUM(CASE WHEN m.kind = 'shipped-unrepairable' THEN m.quantity END) AS BIGINT), 0) \
         FROM repair_orders o LEFT JOIN repair_movements m ON m.order_id = o.order_id \
         WHERE CAST($1 AS TEXT) IS NULL OR o.owner_code = $1 \
         GROUP BY o.order_id, o.created_at, o.received, o.repaired, o.unrepairable, \
         o.shipped_repaired, o.shipped_unrepairable, o.awaiting ORDER BY o.order_id",
    )
    .bind(owner_code)
    .fetch_all(&mut *conn)
    .await?;
    let mut differences = Vec::new();
    for row in rows {
        differences.extend(differences_of(&row)?);
    }
    Ok(differences)
}

/// One row of [`ledger_differences`]' query: the order's key and opening
/// time, its counters in the order of [`MovementKind::ALL`] (columns 2–6),
/// its units awaiting (7), and its ledger sums in the same order (8–12).
fn differences_of(row: &sqlx::any::AnyRow) -> Result<Vec<String>, StoreError> {
    let order_no = order_number(row.try_get(0)?, parse_time(row, "created_at")?);
    let mut differences = Vec::new();
    let mut moved = [0_i64; 5];
    for (i, kind) in MovementKind::ALL.into_iter().enumerate() {
        let kept: i64 = row.try_get(2 + i)?;
        moved[i] = row.try_get(8 + i)?;
        if kept != moved[i] {
            differences.push(format!(
                "{order_no}: {} {kept} but movements sum to {}",
                kind.as_str(),
                moved[i]
            ));
        }
    }
    let awaiting: i64 = row.try_get(7)?;
    let left = moved[0] - moved[1] - moved[2];
    if awaiting != left {
        differences.push(format!(
            "{order_no}: awaiting {awaiting} but movements leave {left}"
        ));
    }
    Ok(differences)
}

fn order_from_row(row: &sqlx::any::AnyRow) -> Result<Order, StoreError> {
    let origin: String = row.try_get("origin")?;
    let order_id: i64 = row.try_get("order_id")?;
    let created_at = parse_time(row, "created_at")?;
    Ok(Order {
        order_id,
        order_no: order_number(order_id, created_at),
        owner_code: row.try_get("owner_code")?,
        origin: Origin::parse(&origin)
            .ok_or_else(|| StoreError::corrupt("repair origin", origin))?,
        customer_name: row.try_get("customer_name")?,
        goods_name: row.try_get("goods_name")?,
        hs_code: row.try_get("hs_code")?,
        unit: row.try_get("unit")?,
        currency: row.try_get("currency")?,
        declared_value: row.try_get("declared_value")?,
        received_on: row.try_get("received_on")?,
        received: row.try_get("received")?,
        awaiting: row.try_get("awaiting")?,
        repaired: row.try_get("repaired")?,
        unrepairable: row.try_get("unrepairable")?,
        shipped_repaired: row.try_get("shipped_repaired")?,
        shipped_unrepairable: row.try_get("shipped_unrepairable")?,
        recorded_by: row.try_get("recorded_by")?,
        created_at,
        updated_at: parse_time(row, "updated_at")?,
    })
}

fn movement_from_row(row: &sqlx::any::AnyRow) -> Result<Movement, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(Movement {
        seq: row.try_get("seq")?,
        order_id: row.try_get("order_id")?,
        kind: MovementKind::parse(&kind)
            .ok_or_else(|| StoreError::corrupt("repair movement kind", kind))?,
        quantity: row.try_get("quantity")?,
        reference: row.try_get("reference")?,
        note: row.try_get("note")?,
        recorded_by: row.try_get("recorded_by")?,
        created_at: parse_time(row, "created_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_carry_the_date_in_china_and_the_key() {
        let late_evening_utc: Timestamp = "2026-11-27T17:30:00.000000Z".parse().unwrap();
        assert_eq!(order_number(42, late_evening_utc), "WX20261128000042");
        assert_eq!(order_key("WX20261128000042"), Some(42));
        assert_eq!(order_key("WX202611281234567"), Some(1_234_567));
        for bad in [
            "WX2026112800004",
            "wx20261128000042",
            "WX2026112800004x",
            "",
        ] {
            assert_eq!(order_key(bad), None, "{bad}");
        }
    }
}
