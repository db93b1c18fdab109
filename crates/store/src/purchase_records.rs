//! The 无票免税 purchase record (issue #7; policy-rules.md §2.4,
//! 财税〔2018〕103号): a pilot-zone retail exporter without purchase
//! invoices records, for goods it bought on the platform, the date, name,
//! unit, quantity, unit price, amount and seller, linked to the released
//! export lists (`invtNo`) the goods left on — the record the tax office
//! reads to exempt the export from VAT and consumption tax (migration 0014).
//!
//! Quantities are integers of 1/[`UNIT_SCALE`] of the unit; money is
//! integer fen of CNY. Records are append-only. The store checks nothing the
//! server has not checked already except what the schema says (positive
//! quantity and money); [`export_lists`] gives the server what it needs to
//! check the links.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::parse_time;

pub use kuajing_core::quantity::UNIT_SCALE;

/// The statuses of an export list that has been released (清单核放, `800`)
/// or has since left the country (`exited`): the lists a purchase record may
/// be linked to.
pub const RELEASED_STATUSES: [&str; 2] = ["800", "exited"];

/// A purchase to record.
#[derive(Debug, Clone, Copy)]
pub struct NewRecord<'a> {
    /// The exporter (its customs code).
    pub owner_code: &'a str,
    /// The day bought, `YYYY-MM-DD`.
    pub purchase_date: &'a str,
    /// The goods' name.
    pub goods_name: &'a str,
    /// The 3-digit unit code.
    pub unit: &'a str,
    /// Quantity in 1/[`UNIT_SCALE`] units, positive.
    pub quantity: i64,
    /// Unit price in fen of CNY, positive.
    pub unit_price_fen: i64,
    /// Amount in fen of CNY, positive (quantity × unit price, to the fen).
    pub amount_fen: i64,
    /// Who sold the goods.
    pub seller_name: &'a str,
    /// The released export lists (`invtNo`) it is linked to, at least one.
    pub invt_nos: &'a [&'a str],
    /// Who recorded it.
    pub recorded_by: &'a str,
}

/// A recorded purchase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseRecord {
    /// Internal key, in order of recording.
    pub record_id: i64,
    /// The exporter.
    pub owner_code: String,
    /// The day bought, `YYYY-MM-DD`.
    pub purchase_date: String,
    /// Goods name.
    pub goods_name: String,
    /// Unit code.
    pub unit: String,
    /// Quantity in 1/[`UNIT_SCALE`] units.
    pub quantity: i64,
    /// Unit price in fen.
    pub unit_price_fen: i64,
    /// Amount in fen.
    pub amount_fen: i64,
    /// Seller.
    pub seller_name: String,
    /// The export lists it is linked to, in order.
    pub invt_nos: Vec<String>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub created_at: Timestamp,
}

/// An export list as a link check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportListStanding {
    /// Its number (`invtNo`).
    pub invt_no: String,
    /// The exporter that declared it (customs code).
    pub owner_code: String,
    /// Its status (`800` released, `exited`, or not yet released).
    pub status: String,
}

impl ExportListStanding {
    /// Released or exited: it may carry purchase records.
    pub fn is_released(&self) -> bool {
        RELEASED_STATUSES.contains(&self.status.as_str())
    }
}

/// The export lists (`kind = 'export-list'`) numbered among `invt_nos` that
/// exist, whoever declared them and whatever their status.
pub async fn export_lists(
    conn: &mut Conn,
    invt_nos: &[&str],
) -> Result<Vec<ExportListStanding>, StoreError> {
    let numbers: Vec<String> = invt_nos
        .iter()
        .filter(|n| !has_nul(n))
        .map(|n| (*n).to_owned())
        .collect();
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let mut statement = crate::dynamic::Statement::new(
        "SELECT invt_no, owner_code, status FROM ceb_documents \
         WHERE kind = 'export-list' AND invt_no IN (",
    );
    statement.bind_list(numbers).push(") ORDER BY invt_no");
    let rows = statement.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok(ExportListStanding {
                invt_no: row.try_get("invt_no")?,
                owner_code: row.try_get("owner_code")?,
                status: row.try_get("status")?,
            })
        })
        .collect()
}

/// Records a purchase and its links in the caller's transaction.
pub async fn record(
    conn: &mut Conn,
    new: &NewRecord<'_>,
    now: Timestamp,
) -> Result<PurchaseRecord, StoreError> {
    if new.invt_nos.is_empty() {
        return Err(StoreError::corrupt("purchase record lists", ""));
    }
    let record_id: i64 = crate::sql::query_scalar(
        "INSERT INTO purchase_records (owner_code, purchase_date, goods_name, unit, quantity, \
         unit_price_fen, amount_fen, seller_name, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING record_id",
    )
    .bind(new.owner_code)
    .bind(new.purchase_date)
    .bind(new.goods_name)
    .bind(new.unit)
    .bind(new.quantity)
    .bind(new.unit_price_fen)
    .bind(new.amount_fen)
    .bind(new.seller_name)
    .bind(new.recorded_by)
    .bind(now.to_string())
    .fetch_one(&mut *conn)
    .await?;
    for invt_no in new.invt_nos {
        crate::sql::query(
            "INSERT INTO purchase_record_lists (record_id, owner_code, invt_no) VALUES ($1, $2, $3)",
        )
        .bind(record_id)
        .bind(new.owner_code)
        .bind(*invt_no)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::on_unique("invt_no", invt_no))?;
    }
    let mut found = select(conn, Some(record_id), &RecordFilter::default()).await?;
    found
        .pop()
        .ok_or_else(|| StoreError::corrupt("purchase record", record_id.to_string()))
}

/// Which records to list.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    /// Only this exporter's (customs code); `None` for every exporter's.
    pub owner_code: Option<String>,
    /// Only purchases on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Only purchases before this day (`YYYY-MM-DD`).
    pub until: Option<String>,
    /// Only records linked to this export list.
    pub invt_no: Option<String>,
    /// At most this many (1–10000; 0 means 1000), by purchase date.
    pub limit: i64,
}

/// The records `filter` selects, by purchase date then order of recording,
/// each with its linked lists.
pub async fn list(
    conn: &mut Conn,
    filter: &RecordFilter,
) -> Result<Vec<PurchaseRecord>, StoreError> {
    select(conn, None, filter).await
}

async fn select(
    conn: &mut Conn,
    record_id: Option<i64>,
    filter: &RecordFilter,
) -> Result<Vec<PurchaseRecord>, StoreError> {
    let texts = [
        filter.owner_code.as_deref(),
        filter.from.as_deref(),
        filter.until.as_deref(),
        filter.invt_no.as_deref(),
    ];
    if texts.into_iter().flatten().any(has_nul) {
        return Ok(Vec::new());
    }
    let mut statement = crate::dynamic::Statement::new(
        "SELECT record_id, owner_code, purchase_date, goods_name, unit, quantity, unit_price_fen, \
         amount_fen, seller_name, recorded_by, created_at FROM purchase_records r WHERE 1 = 1",
    );
    if let Some(id) = record_id {
        statement.push(" AND record_id = ").bind(id);
    }
    if let Some(owner) = &filter.owner_code {
        statement.push(" AND owner_code = ").bind(owner.clone());
    }
    if let Some(from) = &filter.from {
        statement.push(" AND purchase_date >= ").bind(from.clone());
    }
    if let Some(until) = &filter.until {
        statement.push(" AND purchase_date < ").bind(until.clone());
    }
    if let Some(invt_no) = &filter.invt_no {
        statement
            .push(
                " AND EXISTS (SELECT 1 FROM purchase_record_lists l \
                 WHERE l.record_id = r.record_id AND l.invt_no = ",
            )
            .bind(invt_no.clone())
            .push(")");
    }
    let limit = if filter.limit <= 0 {
        1000
    } else {
        filter.limit.min(10_000)
    };
    statement
        .push(" ORDER BY purchase_date, record_id LIMIT ")
        .bind(limit);
    let rows = statement.fetch_all(&mut *conn).await?;
    let mut records = rows
        .iter()
        .map(from_row)
        .collect::<Result<Vec<_>, StoreError>>()?;
    if records.is_empty() {
        return Ok(records);
    }
    let ids: Vec<i64> = records.iter().map(|r| r.record_id).collect();
    let mut links = crate::dynamic::Statement::new(
        "SELECT record_id, invt_no FROM purchase_record_lists WHERE record_id IN (",
    );
    links.bind_list(ids).push(") ORDER BY record_id, invt_no");
    for row in links.fetch_all(conn).await? {
        let id: i64 = row.try_get("record_id")?;
        let invt_no: String = row.try_get("invt_no")?;
        if let Some(record) = records.iter_mut().find(|r| r.record_id == id) {
            record.invt_nos.push(invt_no);
        }
    }
    Ok(records)
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<PurchaseRecord, StoreError> {
    Ok(PurchaseRecord {
        record_id: row.try_get("record_id")?,
        owner_code: row.try_get("owner_code")?,
        purchase_date: row.try_get("purchase_date")?,
        goods_name: row.try_get("goods_name")?,
        unit: row.try_get("unit")?,
        quantity: row.try_get("quantity")?,
        unit_price_fen: row.try_get("unit_price_fen")?,
        amount_fen: row.try_get("amount_fen")?,
        seller_name: row.try_get("seller_name")?,
        invt_nos: Vec::new(),
        recorded_by: row.try_get("recorded_by")?,
        created_at: parse_time(row, "created_at")?,
    })
}
