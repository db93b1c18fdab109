//! Bonded e-account books (电子账册, issue #6; policy-rules.md §5): books,
//! their stock lines, the append-only ledger of movements and the
//! reservations of 1210 lists (migration 0010).
//!
//! Quantities are integers of 1/100000 of the line's unit ([`UNIT_SCALE`]).
//! Every change of a line's stock or reservation is one conditional
//! `UPDATE` of the line, so stock can never go below what is reserved, nor
//! reserved below zero, and two changes racing for the last units cannot
//! both pass: PostgreSQL re-evaluates the condition on the locked row,
//! SQLite has one writer. The movement is written in the same transaction
//! as the change, so a line's stock is always the sum of its movements
//! ([`ledger_differences`] checks it).

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::parse_time;

/// Quantities are stored as integers of 1/`UNIT_SCALE` of the unit
/// (`kuajing_core::quantity`).
pub use kuajing_core::quantity::UNIT_SCALE;

/// An account book to open.
#[derive(Debug, Clone, Copy)]
pub struct NewBook<'a> {
    /// The book number (`emsNo` of the lists that draw on it).
    pub ems_no: &'a str,
    /// The warehouse enterprise's customs code (`areaCode`).
    pub owner_code: &'a str,
    /// The customs code of the zone (e.g. `1909` 珲春).
    pub zone_code: &'a str,
    /// The book's name.
    pub name: &'a str,
}

/// An account book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Book {
    /// The book number.
    pub ems_no: String,
    /// The warehouse enterprise's customs code.
    pub owner_code: String,
    /// The zone's customs code.
    pub zone_code: String,
    /// The book's name.
    pub name: String,
    /// When it was opened.
    pub created_at: Timestamp,
}

/// A stock line to add to a book.
#[derive(Debug, Clone, Copy)]
pub struct NewLine<'a> {
    /// The book.
    pub ems_no: &'a str,
    /// The item number (料号, `itemRecordNo`).
    pub item_no: &'a str,
    /// The goods' 10-digit HS code.
    pub hs_code: &'a str,
    /// The goods' name.
    pub goods_name: &'a str,
    /// The legal unit code the line counts in.
    pub unit: &'a str,
    /// The currency of the declared value.
    pub currency: &'a str,
    /// The declared unit value, decimal text.
    pub unit_value: &'a str,
}

/// A stock line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The book.
    pub ems_no: String,
    /// The item number.
    pub item_no: String,
    /// HS code.
    pub hs_code: String,
    /// Goods name.
    pub goods_name: String,
    /// Unit code.
    pub unit: String,
    /// Currency of the declared value.
    pub currency: String,
    /// Declared unit value, decimal text.
    pub unit_value: String,
    /// Stock, in 1/[`UNIT_SCALE`] units.
    pub stock: i64,
    /// Held by lists not yet released, in 1/[`UNIT_SCALE`] units.
    pub reserved: i64,
    /// Returned goods awaiting inspection (待检), in 1/[`UNIT_SCALE`]
    /// units: in stock, not sellable until inspection releases them.
    pub quarantined: i64,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

impl Line {
    /// What can still be sold or moved out: stock less reservations and
    /// less what waits for inspection.
    pub fn available(&self) -> i64 {
        self.stock - self.reserved - self.quarantined
    }
}

/// The kinds of movement (policy-rules.md §5, "engine model").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovementKind {
    /// 一线入区: goods entering the zone on an entry record and a bonded
    /// verification list (in).
    FirstLineIn,
    /// 零售出区: the lines of a released 1210 list (out).
    RetailOut,
    /// Goods leaving otherwise: general-trade import, transfer to another
    /// zone or within the zone, re-export (out).
    GoodsOut,
    /// 退货入区: an accepted customer return (in).
    ReturnIn,
    /// Destruction or a stock-take difference, with reason and approver
    /// (either sign).
    Adjustment,
}

impl MovementKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::FirstLineIn => "first-line-in",
            MovementKind::RetailOut => "retail-out",
            MovementKind::GoodsOut => "goods-out",
            MovementKind::ReturnIn => "return-in",
            MovementKind::Adjustment => "adjustment",
        }
    }

    /// Every kind.
    pub const ALL: [MovementKind; 5] = [
        MovementKind::FirstLineIn,
        MovementKind::RetailOut,
        MovementKind::GoodsOut,
        MovementKind::ReturnIn,
        MovementKind::Adjustment,
    ];

    /// The kind a stored name names.
    pub fn parse(name: &str) -> Option<MovementKind> {
        MovementKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// What goods entering or leaving otherwise than by retail were for: the
/// monthly report counts transfers apart from entries and exits
/// (policy-rules.md §5: transfers between zones and within a zone, each
/// with its own verification lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// 一线入区: goods from abroad (a first-line-in).
    Entry,
    /// 区间/区内调拨入: goods transferred in from another zone or
    /// warehouse (a first-line-in).
    TransferIn,
    /// 一般贸易进口: goods leaving into the country under general trade
    /// (a goods-out).
    GeneralTrade,
    /// 调拨出: goods transferred to another zone or warehouse (a goods-out).
    TransferOut,
    /// 退运出境: goods returned abroad (a goods-out).
    ReExport,
}

impl Purpose {
    /// Every purpose.
    pub const ALL: [Purpose; 5] = [
        Purpose::Entry,
        Purpose::TransferIn,
        Purpose::GeneralTrade,
        Purpose::TransferOut,
        Purpose::ReExport,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Entry => "entry",
            Purpose::TransferIn => "transfer-in",
            Purpose::GeneralTrade => "general-trade",
            Purpose::TransferOut => "transfer-out",
            Purpose::ReExport => "re-export",
        }
    }

    /// The purpose a stored name names.
    pub fn parse(name: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// The kind of movement the purpose belongs to.
    pub fn kind(self) -> MovementKind {
        match self {
            Purpose::Entry | Purpose::TransferIn => MovementKind::FirstLineIn,
            Purpose::GeneralTrade | Purpose::TransferOut | Purpose::ReExport => {
                MovementKind::GoodsOut
            }
        }
    }
}

/// A movement to record.
#[derive(Debug, Clone, Copy)]
pub struct NewMovement<'a> {
    /// The book.
    pub ems_no: &'a str,
    /// The item number.
    pub item_no: &'a str,
    /// Its kind.
    pub kind: MovementKind,
    /// Signed quantity in 1/[`UNIT_SCALE`] units (in positive, out
    /// negative), never zero.
    pub quantity: i64,
    /// The document it follows (entry list, declaration list, verification
    /// list number).
    pub reference: &'a str,
    /// Why (required for an adjustment; may be empty otherwise).
    pub reason: &'a str,
    /// Who approved an adjustment.
    pub approved_by: Option<&'a str>,
    /// What an entry or a goods-out was for (none for the other kinds).
    pub purpose: Option<Purpose>,
    /// Who recorded it.
    pub recorded_by: &'a str,
}

/// A recorded movement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    /// Its place in the ledger.
    pub seq: i64,
    /// The book.
    pub ems_no: String,
    /// The item number.
    pub item_no: String,
    /// Its kind.
    pub kind: MovementKind,
    /// Signed quantity.
    pub quantity: i64,
    /// The document it follows.
    pub reference: String,
    /// Why.
    pub reason: String,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// What an entry or a goods-out was for.
    pub purpose: Option<Purpose>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub created_at: Timestamp,
}

/// What became of a change of stock or reservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    /// Done.
    Done(T),
    /// Refused: it would take the line's stock below what is reserved (or
    /// below zero); nothing changed. `available` is what could be taken.
    Overdrawn {
        /// Stock less reservations, now.
        available: i64,
    },
}

/// Opens a book; a book number taken is [`StoreError::Duplicate`].
pub async fn open_book(
    conn: &mut Conn,
    new: &NewBook<'_>,
    now: Timestamp,
) -> Result<Book, StoreError> {
    crate::sql::query(
        "INSERT INTO ems_books (ems_no, owner_code, zone_code, name, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new.ems_no)
    .bind(new.owner_code)
    .bind(new.zone_code)
    .bind(new.name)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique("ems_no", new.ems_no))?;
    Ok(Book {
        ems_no: new.ems_no.to_owned(),
        owner_code: new.owner_code.to_owned(),
        zone_code: new.zone_code.to_owned(),
        name: new.name.to_owned(),
        created_at: now,
    })
}

/// The book `ems_no`, if opened.
pub async fn find_book(conn: &mut Conn, ems_no: &str) -> Result<Option<Book>, StoreError> {
    if has_nul(ems_no) {
        return Ok(None);
    }
    let row = crate::sql::query(
        "SELECT ems_no, owner_code, zone_code, name, created_at FROM ems_books WHERE ems_no = $1",
    )
    .bind(ems_no)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| book_from_row(&row)).transpose()
}

/// The books of `owner_code` (every book for `None`), by number.
pub async fn books_of(conn: &mut Conn, owner_code: Option<&str>) -> Result<Vec<Book>, StoreError> {
    if owner_code.is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT ems_no, owner_code, zone_code, name, created_at FROM ems_books \
         WHERE CAST($1 AS TEXT) IS NULL OR owner_code = $1 ORDER BY ems_no",
    )
    .bind(owner_code)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(book_from_row).collect()
}

fn book_from_row(row: &sqlx::any::AnyRow) -> Result<Book, StoreError> {
    Ok(Book {
        ems_no: row.try_get("ems_no")?,
        owner_code: row.try_get("owner_code")?,
        zone_code: row.try_get("zone_code")?,
        name: row.try_get("name")?,
        created_at: parse_time(row, "created_at")?,
    })
}

/// Adds a stock line (empty) to a book; an item number the book has is
/// [`StoreError::Duplicate`], an unknown book [`StoreError::NotFound`].
pub async fn add_line(
    conn: &mut Conn,
    new: &NewLine<'_>,
    now: Timestamp,
) -> Result<Line, StoreError> {
    if find_book(conn, new.ems_no).await?.is_none() {
        return Err(StoreError::NotFound {
            what: "account book",
            key: new.ems_no.to_owned(),
        });
    }
    let now_text = now.to_string();
    crate::sql::query(
        "INSERT INTO ems_lines (ems_no, item_no, hs_code, goods_name, unit, currency, unit_value, \
         stock, reserved, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $8, $8)",
    )
    .bind(new.ems_no)
    .bind(new.item_no)
    .bind(new.hs_code)
    .bind(new.goods_name)
    .bind(new.unit)
    .bind(new.currency)
    .bind(new.unit_value)
    .bind(&now_text)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique("item_no", new.item_no))?;
    Ok(Line {
        ems_no: new.ems_no.to_owned(),
        item_no: new.item_no.to_owned(),
        hs_code: new.hs_code.to_owned(),
        goods_name: new.goods_name.to_owned(),
        unit: new.unit.to_owned(),
        currency: new.currency.to_owned(),
        unit_value: new.unit_value.to_owned(),
        stock: 0,
        reserved: 0,
        quarantined: 0,
        created_at: now,
        updated_at: now,
    })
}

/// A query of stock lines: the columns, then `$rest` (a literal).
macro_rules! select_lines {
    ($rest:literal) => {
        concat!(
            "SELECT ems_no, item_no, hs_code, goods_name, unit, currency, unit_value, stock, ",
            "reserved, quarantined, created_at, updated_at FROM ems_lines ",
            $rest
        )
    };
}

/// One stock line, if the book has the item.
pub async fn find_line(
    conn: &mut Conn,
    ems_no: &str,
    item_no: &str,
) -> Result<Option<Line>, StoreError> {
    if has_nul(ems_no) || has_nul(item_no) {
        return Ok(None);
    }
    let row = crate::sql::query(select_lines!("WHERE ems_no = $1 AND item_no = $2"))
        .bind(ems_no)
        .bind(item_no)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| line_from_row(&row)).transpose()
}

/// Every stock line of a book, by item number.
pub async fn lines_of(conn: &mut Conn, ems_no: &str) -> Result<Vec<Line>, StoreError> {
    if has_nul(ems_no) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_lines!("WHERE ems_no = $1 ORDER BY item_no"))
        .bind(ems_no)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(line_from_row).collect()
}

/// Records a movement: the line's stock changes by its quantity, unless
/// that would take it below what is reserved ([`Outcome::Overdrawn`],
/// nothing changed). An unknown line is [`StoreError::NotFound`]; a zero
/// quantity, or a quantity whose sign the kind does not allow, is
/// [`StoreError::Corrupt`] (the caller validates input before).
pub async fn record(
    conn: &mut Conn,
    new: &NewMovement<'_>,
    now: Timestamp,
) -> Result<Outcome<Movement>, StoreError> {
    let sign_allowed = match new.kind {
        MovementKind::FirstLineIn | MovementKind::ReturnIn => new.quantity > 0,
        MovementKind::RetailOut | MovementKind::GoodsOut => new.quantity < 0,
        MovementKind::Adjustment => new.quantity != 0,
    };
    let purpose_fits = new.purpose.is_none_or(|p| p.kind() == new.kind);
    if !purpose_fits {
        return Err(StoreError::corrupt(
            "movement purpose",
            new.purpose.map(Purpose::as_str).unwrap_or_default(),
        ));
    }
    if !sign_allowed {
        return Err(StoreError::corrupt(
            "movement quantity",
            new.quantity.to_string(),
        ));
    }
    let now_text = now.to_string();
    let changed: Option<i64> = crate::sql::query_scalar(
        "UPDATE ems_lines SET stock = stock + $3, updated_at = $4 \
         WHERE ems_no = $1 AND item_no = $2 AND stock + $3 >= reserved + quarantined \
         RETURNING stock",
    )
    .bind(new.ems_no)
    .bind(new.item_no)
    .bind(new.quantity)
    .bind(&now_text)
    .fetch_optional(&mut *conn)
    .await?;
    if changed.is_none() {
        return refused(conn, new.ems_no, new.item_no).await;
    }
    let movement = append(conn, new, &now_text, now).await?;
    Ok(Outcome::Done(movement))
}

/// Appends a movement row (the line was changed by the caller).
pub(crate) async fn append(
    conn: &mut Conn,
    new: &NewMovement<'_>,
    now_text: &str,
    now: Timestamp,
) -> Result<Movement, StoreError> {
    let seq: i64 = crate::sql::query_scalar(
        "INSERT INTO ems_movements (ems_no, item_no, kind, quantity, reference, reason, \
         approved_by, recorded_by, created_at, purpose) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq",
    )
    .bind(new.ems_no)
    .bind(new.item_no)
    .bind(new.kind.as_str())
    .bind(new.quantity)
    .bind(new.reference)
    .bind(new.reason)
    .bind(new.approved_by)
    .bind(new.recorded_by)
    .bind(now_text)
    .bind(new.purpose.map(Purpose::as_str))
    .fetch_one(&mut *conn)
    .await?;
    Ok(Movement {
        seq,
        ems_no: new.ems_no.to_owned(),
        item_no: new.item_no.to_owned(),
        kind: new.kind,
        quantity: new.quantity,
        reference: new.reference.to_owned(),
        reason: new.reason.to_owned(),
        approved_by: new.approved_by.map(str::to_owned),
        purpose: new.purpose,
        recorded_by: new.recorded_by.to_owned(),
        created_at: now,
    })
}

/// Why a conditional change of a line found no row: the line does not
/// exist, or it has too little available.
async fn refused<T>(
    conn: &mut Conn,
    ems_no: &str,
    item_no: &str,
) -> Result<Outcome<T>, StoreError> {
    match find_line(conn, ems_no, item_no).await? {
        Some(line) => Ok(Outcome::Overdrawn {
            available: line.available(),
        }),
        None => Err(StoreError::NotFound {
            what: "account book line",
            key: format!("{ems_no}/{item_no}"),
        }),
    }
}

/// Which of a book's movements to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct LedgerFilter<'a> {
    /// Of this item only.
    pub item_no: Option<&'a str>,
    /// Of this kind only.
    pub kind: Option<MovementKind>,
}

/// A query of a book's movements (of item `$2` and kind `$3` unless null):
/// the columns and the filter, then `$rest` (a literal).
macro_rules! select_movements {
    ($rest:literal) => {
        concat!(
            "SELECT seq, ems_no, item_no, kind, quantity, reference, reason, approved_by, ",
            "recorded_by, created_at, purpose FROM ems_movements ",
            "WHERE ems_no = $1 AND (CAST($2 AS TEXT) IS NULL OR item_no = $2) ",
            "AND (CAST($3 AS TEXT) IS NULL OR kind = $3) ",
            $rest
        )
    };
}

/// The movements of a book the filter selects, after ledger position
/// `after`, oldest first, at most `limit`.
pub async fn movements_of(
    conn: &mut Conn,
    ems_no: &str,
    filter: LedgerFilter<'_>,
    after: i64,
    limit: i64,
) -> Result<Vec<Movement>, StoreError> {
    if has_nul(ems_no) || filter.item_no.is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_movements!("AND seq > $4 ORDER BY seq LIMIT $5"))
        .bind(ems_no)
        .bind(filter.item_no)
        .bind(filter.kind.map(MovementKind::as_str))
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(movement_from_row).collect()
}

/// The latest `limit` movements of a book the filter selects, newest
/// first.
pub async fn latest_movements(
    conn: &mut Conn,
    ems_no: &str,
    filter: LedgerFilter<'_>,
    limit: i64,
) -> Result<Vec<Movement>, StoreError> {
    if has_nul(ems_no) || filter.item_no.is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_movements!("ORDER BY seq DESC LIMIT $4"))
        .bind(ems_no)
        .bind(filter.item_no)
        .bind(filter.kind.map(MovementKind::as_str))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(movement_from_row).collect()
}

/// A list's live hold on a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// The list's key.
    pub list_key: String,
    /// The item number.
    pub item_no: String,
    /// How much it holds, 1/[`UNIT_SCALE`] units.
    pub quantity: i64,
    /// Since when.
    pub created_at: Timestamp,
}

/// The live holds of 1210 lists on a book's lines, oldest first, at most
/// `limit`.
pub async fn holds_of(conn: &mut Conn, ems_no: &str, limit: i64) -> Result<Vec<Hold>, StoreError> {
    if has_nul(ems_no) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT list_key, item_no, quantity, created_at FROM ems_reservations \
         WHERE ems_no = $1 AND state = 'reserved' ORDER BY created_at, list_key LIMIT $2",
    )
    .bind(ems_no)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Hold {
                list_key: row.try_get("list_key")?,
                item_no: row.try_get("item_no")?,
                quantity: row.try_get("quantity")?,
                created_at: parse_time(row, "created_at")?,
            })
        })
        .collect()
}

/// Reserves `quantity` of a line for the 1210 list `list_key`, if that
/// much is available (stock less reservations). A list that holds the line
/// (or was deducted) finds its reservation unchanged; one whose hold was
/// released (refused, then corrected and matched again) holds it anew.
pub async fn reserve(
    conn: &mut Conn,
    list_key: &str,
    ems_no: &str,
    item_no: &str,
    quantity: i64,
    now: Timestamp,
) -> Result<Outcome<()>, StoreError> {
    if quantity <= 0 {
        return Err(StoreError::corrupt(
            "reserved quantity",
            quantity.to_string(),
        ));
    }
    let now_text = now.to_string();
    let held: Option<i64> = crate::sql::query_scalar(
        "UPDATE ems_lines SET reserved = reserved + $3, updated_at = $4 \
         WHERE ems_no = $1 AND item_no = $2 AND stock - reserved - quarantined >= $3 \
         RETURNING reserved",
    )
    .bind(ems_no)
    .bind(item_no)
    .bind(quantity)
    .bind(&now_text)
    .fetch_optional(&mut *conn)
    .await?;
    if held.is_none() {
        let state = reservation_state(conn, list_key, ems_no, item_no).await?;
        if matches!(state.as_deref(), Some("reserved" | "deducted")) {
            return Ok(Outcome::Done(()));
        }
        return refused(conn, ems_no, item_no).await;
    }
    let opened: Option<String> = crate::sql::query_scalar(
        "INSERT INTO ems_reservations (list_key, ems_no, item_no, quantity, state, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, 'reserved', $5, $5) \
         ON CONFLICT (list_key, ems_no, item_no) DO UPDATE \
         SET quantity = $4, state = 'reserved', updated_at = $5 \
         WHERE ems_reservations.state = 'released' RETURNING list_key",
    )
    .bind(list_key)
    .bind(ems_no)
    .bind(item_no)
    .bind(quantity)
    .bind(&now_text)
    .fetch_optional(&mut *conn)
    .await?;
    if opened.is_none() {
        // Held or deducted before: the hold just added is taken back.
        crate::sql::query(
            "UPDATE ems_lines SET reserved = reserved - $3 WHERE ems_no = $1 AND item_no = $2",
        )
        .bind(ems_no)
        .bind(item_no)
        .bind(quantity)
        .execute(&mut *conn)
        .await?;
    }
    Ok(Outcome::Done(()))
}

/// The state of a list's reservation of a line (`reserved`, `deducted`,
/// `released`), if it has one.
pub async fn reservation_state(
    conn: &mut Conn,
    list_key: &str,
    ems_no: &str,
    item_no: &str,
) -> Result<Option<String>, StoreError> {
    if [list_key, ems_no, item_no].iter().any(|t| has_nul(t)) {
        return Ok(None);
    }
    let state: Option<String> = crate::sql::query_scalar(
        "SELECT state FROM ems_reservations WHERE list_key = $1 AND ems_no = $2 AND item_no = $3",
    )
    .bind(list_key)
    .bind(ems_no)
    .bind(item_no)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(state)
}

/// On release: each line the list holds leaves the book (a `retail-out`
/// movement of the held quantity, with `reference` — the list's number)
/// and its hold ends. Lines already deducted or released are left as they
/// are. Returns the movements written.
pub async fn deduct(
    conn: &mut Conn,
    list_key: &str,
    reference: &str,
    recorded_by: &str,
    now: Timestamp,
) -> Result<Vec<Movement>, StoreError> {
    let now_text = now.to_string();
    let mut written = Vec::new();
    for (ems_no, item_no, quantity) in end_holds(conn, list_key, "deducted", &now_text).await? {
        crate::sql::query(
            "UPDATE ems_lines SET stock = stock - $3, reserved = reserved - $3, updated_at = $4 \
             WHERE ems_no = $1 AND item_no = $2",
        )
        .bind(&ems_no)
        .bind(&item_no)
        .bind(quantity)
        .bind(&now_text)
        .execute(&mut *conn)
        .await?;
        let movement = NewMovement {
            ems_no: &ems_no,
            item_no: &item_no,
            kind: MovementKind::RetailOut,
            quantity: -quantity,
            reference,
            reason: "",
            approved_by: None,
            purpose: None,
            recorded_by,
        };
        written.push(append(conn, &movement, &now_text, now).await?);
    }
    Ok(written)
}

/// On refusal or cancellation before release: every hold of the list ends
/// and its quantity is available again. Returns how many lines it held.
pub async fn release(conn: &mut Conn, list_key: &str, now: Timestamp) -> Result<usize, StoreError> {
    let now_text = now.to_string();
    let held = end_holds(conn, list_key, "released", &now_text).await?;
    for (ems_no, item_no, quantity) in &held {
        crate::sql::query(
            "UPDATE ems_lines SET reserved = reserved - $3, updated_at = $4 \
             WHERE ems_no = $1 AND item_no = $2",
        )
        .bind(ems_no)
        .bind(item_no)
        .bind(quantity)
        .bind(&now_text)
        .execute(&mut *conn)
        .await?;
    }
    Ok(held.len())
}

/// Ends every live hold of a list, moving it to `state` (`deducted` or
/// `released`) in one statement: the lines it held, (book, item,
/// quantity), by book and item.
async fn end_holds(
    conn: &mut Conn,
    list_key: &str,
    state: &str,
    now_text: &str,
) -> Result<Vec<(String, String, i64)>, StoreError> {
    if has_nul(list_key) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "UPDATE ems_reservations SET state = $2, updated_at = $3 \
         WHERE list_key = $1 AND state = 'reserved' RETURNING ems_no, item_no, quantity",
    )
    .bind(list_key)
    .bind(state)
    .bind(now_text)
    .fetch_all(&mut *conn)
    .await?;
    let mut held: Vec<(String, String, i64)> = rows
        .iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
        .collect::<Result<_, StoreError>>()?;
    held.sort();
    Ok(held)
}

/// Every line whose stock is not the sum of its movements, whose reserved
/// quantity is not the sum of its live reservations, or whose quarantined
/// quantity is not the sum of its quarantine ledger, as text
/// naming the line and both figures: empty when the books are right.
pub async fn ledger_differences(conn: &mut Conn) -> Result<Vec<String>, StoreError> {
    let rows = crate::sql::query(
        "SELECT l.ems_no, l.item_no, l.stock, l.reserved, \
         COALESCE((SELECT CAST(SUM(m.quantity) AS BIGINT) FROM ems_movements m \
           WHERE m.ems_no = l.ems_no AND m.item_no = l.item_no), 0) AS moved, \
         COALESCE((SELECT CAST(SUM(r.quantity) AS BIGINT) FROM ems_reservations r \
           WHERE r.ems_no = l.ems_no AND r.item_no = l.item_no AND r.state = 'reserved'), 0) AS held, \
         l.quarantined, \
         COALESCE((SELECT CAST(SUM(q.quantity) AS BIGINT) FROM ems_quarantine q \
           WHERE q.ems_no = l.ems_no AND q.item_no = l.item_no), 0) AS awaiting \
         FROM ems_lines l ORDER BY l.ems_no, l.item_no",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut differences = Vec::new();
    for row in rows {
        let (ems_no, item_no): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        let (stock, reserved): (i64, i64) = (row.try_get(2)?, row.try_get(3)?);
        let (moved, held): (i64, i64) = (row.try_get(4)?, row.try_get(5)?);
        if stock != moved {
            differences.push(format!(
                "{ems_no}/{item_no}: stock {stock} but movements sum to {moved}"
            ));
        }
        if reserved != held {
            differences.push(format!(
                "{ems_no}/{item_no}: reserved {reserved} but live reservations sum to {held}"
            ));
        }
        let (quarantined, awaiting): (i64, i64) = (row.try_get(6)?, row.try_get(7)?);
        if quarantined != awaiting {
            differences.push(format!(
                "{ems_no}/{item_no}: quarantined {quarantined} but its quarantine ledger sums to {awaiting}"
            ));
        }
    }
    Ok(differences)
}

fn line_from_row(row: &sqlx::any::AnyRow) -> Result<Line, StoreError> {
    Ok(Line {
        ems_no: row.try_get("ems_no")?,
        item_no: row.try_get("item_no")?,
        hs_code: row.try_get("hs_code")?,
        goods_name: row.try_get("goods_name")?,
        unit: row.try_get("unit")?,
        currency: row.try_get("currency")?,
        unit_value: row.try_get("unit_value")?,
        stock: row.try_get("stock")?,
        reserved: row.try_get("reserved")?,
        quarantined: row.try_get("quarantined")?,
        created_at: parse_time(row, "created_at")?,
        updated_at: parse_time(row, "updated_at")?,
    })
}

fn movement_from_row(row: &sqlx::any::AnyRow) -> Result<Movement, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(Movement {
        seq: row.try_get("seq")?,
        ems_no: row.try_get("ems_no")?,
        item_no: row.try_get("item_no")?,
        kind: MovementKind::parse(&kind)
            .ok_or_else(|| StoreError::corrupt("movement kind", kind))?,
        quantity: row.try_get("quantity")?,
        reference: row.try_get("reference")?,
        reason: row.try_get("reason")?,
        approved_by: row.try_get("approved_by")?,
        purpose: purpose_from_row(row)?,
        recorded_by: row.try_get("recorded_by")?,
        created_at: parse_time(row, "created_at")?,
    })
}

fn purpose_from_row(row: &sqlx::any::AnyRow) -> Result<Option<Purpose>, StoreError> {
    let purpose: Option<String> = row.try_get("purpose")?;
    purpose
        .map(|p| Purpose::parse(&p).ok_or_else(|| StoreError::corrupt("movement purpose", p)))
        .transpose()
}
