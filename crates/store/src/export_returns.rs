//! Export returns (出口退货, issue #7; policy-rules.md §7.2; CEB213–CEB216,
//! ceb-messages.md §2.6; migration 0016): the return requests accepted for
//! released export lists, the lines each brings back, the tax consequence
//! decided on acceptance, and whether the supervised site has tallied the
//! goods back in (CEB215 理货明细单).
//!
//! A request is unique per sender and `coElNo` (the sender's own number);
//! only accepted requests are kept, so every kept line counts against what
//! may still be returned of its list.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::{parse_optional_time, parse_time};

/// A return waiting for its goods (`requested`) or with its goods tallied
/// back in (`tallied`).
pub const REQUESTED: &str = "requested";
/// The goods are back: the site's tally detail (CEB215) was accepted.
pub const TALLIED: &str = "tallied";

/// One line returned, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnLine {
    /// The original list's line number (`gnum`).
    pub gnum: i64,
    /// Goods code (`gcode`), as the original list's line.
    pub gcode: String,
    /// Goods name (`gname`).
    pub gname: String,
    /// Quantity returned, exact decimal text in the declared unit.
    pub qty: String,
    /// Declared unit (`unit`).
    pub unit: String,
}

/// An accepted return request to keep (CEB213 `InvtRefundHead`).
#[derive(Debug, Clone, Copy)]
pub struct NewReturn<'a> {
    /// The sender (the list's declarer, `agentCode`).
    pub sender_code: &'a str,
    /// The sender's own number for it (`coElNo`), unique per sender.
    pub co_el_no: &'a str,
    /// The platform's pre-entry number (`preNo`).
    pub pre_no: &'a str,
    /// The export list returned from (its `ceb_documents` id).
    pub document_id: &'a str,
    /// The export list's number (`invtNo`).
    pub invt_no: &'a str,
    /// The e-commerce enterprise (`ebcCode`).
    pub ebc_code: &'a str,
    /// The export's supervision mode (the list's `tradeMode`).
    pub trade_mode: &'a str,
    /// The return parcel's waybill number (`logisticsNo`), by which the
    /// site's tally detail names it too.
    pub logistics_no: &'a str,
    /// When the list was released.
    pub released_at: Timestamp,
    /// Why the goods come back (`reason`).
    pub reason: &'a str,
    /// `exempt` or `taxable`.
    pub tax: &'a str,
    /// Why: the rule and its source.
    pub tax_basis: &'a str,
    /// The message it came in.
    pub message_id: &'a str,
    /// The lines returned.
    pub lines: &'a [ReturnLine],
}

/// A kept return request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReturn {
    /// Id (UUID v7).
    pub id: String,
    /// The sender (declarer).
    pub sender_code: String,
    /// `coElNo`.
    pub co_el_no: String,
    /// `preNo`.
    pub pre_no: String,
    /// The export list's document id.
    pub document_id: String,
    /// The export list's `invtNo`.
    pub invt_no: String,
    /// `ebcCode`.
    pub ebc_code: String,
    /// The list's `tradeMode`.
    pub trade_mode: String,
    /// The return parcel's `logisticsNo`.
    pub logistics_no: String,
    /// When the list was released.
    pub released_at: Timestamp,
    /// `reason`.
    pub reason: String,
    /// `exempt` or `taxable`.
    pub tax: String,
    /// The basis of the tax consequence.
    pub tax_basis: String,
    /// `requested` or `tallied`.
    pub state: String,
    /// When accepted.
    pub created_at: Timestamp,
    /// When tallied.
    pub tallied_at: Option<Timestamp>,
    /// Who tallied it (the site operator).
    pub tally_sender_code: Option<String>,
    /// Where the goods were put (`location`).
    pub tally_location: Option<String>,
    /// The lines, by `gnum`.
    pub lines: Vec<ReturnLine>,
}

/// `SELECT` of every request column, then `$tail`.
macro_rules! select_returns {
    ($tail:literal) => {
        concat!(
            "SELECT id, sender_code, co_el_no, pre_no, document_id, invt_no, ebc_code, \
             trade_mode, logistics_no, released_at, reason, tax, tax_basis, state, created_at, \
             tallied_at, tally_sender_code, tally_location FROM export_returns ",
            $tail
        )
    };
}

/// Keeps an accepted request and its lines; its id, or `None` when the
/// sender used the `coElNo` before (nothing is written then; the insert
/// does not fail, so a PostgreSQL transaction goes on).
pub async fn keep(
    conn: &mut Conn,
    new: &NewReturn<'_>,
    now: Timestamp,
) -> Result<Option<String>, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    let inserted: Option<String> = crate::sql::query_scalar(
        "INSERT INTO export_returns (id, sender_code, co_el_no, pre_no, document_id, invt_no, \
         ebc_code, trade_mode, logistics_no, released_at, reason, tax, tax_basis, state, \
         message_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         'requested', $14, $15) ON CONFLICT (sender_code, co_el_no) DO NOTHING RETURNING id",
    )
    .bind(&id)
    .bind(new.sender_code)
    .bind(new.co_el_no)
    .bind(new.pre_no)
    .bind(new.document_id)
    .bind(new.invt_no)
    .bind(new.ebc_code)
    .bind(new.trade_mode)
    .bind(new.logistics_no)
    .bind(new.released_at.to_string())
    .bind(new.reason)
    .bind(new.tax)
    .bind(new.tax_basis)
    .bind(new.message_id)
    .bind(now.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    if inserted.is_none() {
        return Ok(None);
    }
    for line in new.lines {
        crate::sql::query(
            "INSERT INTO export_return_lines (return_id, gnum, gcode, gname, qty, unit) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(line.gnum)
        .bind(&line.gcode)
        .bind(&line.gname)
        .bind(&line.qty)
        .bind(&line.unit)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::on_unique("gnum", &line.gnum.to_string()))?;
    }
    Ok(Some(id))
}

/// Whether the sender has a request numbered `co_el_no`.
pub async fn co_el_no_taken(
    conn: &mut Conn,
    sender_code: &str,
    co_el_no: &str,
) -> Result<bool, StoreError> {
    if has_nul(sender_code) || has_nul(co_el_no) {
        return Ok(false);
    }
    let found: Option<String> = crate::sql::query_scalar(
        "SELECT id FROM export_returns WHERE sender_code = $1 AND co_el_no = $2",
    )
    .bind(sender_code)
    .bind(co_el_no)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Every line returned before from the export list `document_id` (by every
/// accepted request), as (gnum, qty text).
pub async fn returned_lines(
    conn: &mut Conn,
    document_id: &str,
) -> Result<Vec<(i64, String)>, StoreError> {
    if has_nul(document_id) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT l.gnum, l.qty FROM export_return_lines l \
         JOIN export_returns r ON r.id = l.return_id WHERE r.document_id = $1",
    )
    .bind(document_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("gnum")?, row.try_get("qty")?)))
        .collect()
}

/// The requests numbered `co_el_no` (of any sender: the site operator
/// naming a return is not its declarer), oldest first.
pub async fn by_co_el_no(conn: &mut Conn, co_el_no: &str) -> Result<Vec<ExportReturn>, StoreError> {
    if has_nul(co_el_no) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_returns!(
        "WHERE co_el_no = $1 ORDER BY created_at, id"
    ))
    .bind(co_el_no)
    .fetch_all(&mut *conn)
    .await?;
    with_lines(conn, &rows).await
}

/// Marks the request `id` tallied by `sender_code`, if it is still
/// `requested`; whether it was.
pub async fn mark_tallied(
    conn: &mut Conn,
    id: &str,
    sender_code: &str,
    location: Option<&str>,
    message_id: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = crate::sql::query(
        "UPDATE export_returns SET state = 'tallied', tallied_at = $1, tally_sender_code = $2, \
         tally_location = $3, tally_message_id = $4 WHERE id = $5 AND state = 'requested'",
    )
    .bind(now.to_string())
    .bind(sender_code)
    .bind(location)
    .bind(message_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The requests `party` sent or is the e-commerce enterprise of, or
/// (customs, `None`) every request, newest first, at most `limit`, each
/// with its lines.
pub async fn returns(
    conn: &mut Conn,
    party: Option<&str>,
    limit: i64,
) -> Result<Vec<ExportReturn>, StoreError> {
    if party.is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_returns!(
        "WHERE (CAST($1 AS TEXT) IS NULL OR sender_code = $1 OR ebc_code = $1) \
         ORDER BY created_at DESC, id DESC LIMIT $2"
    ))
    .bind(party)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    with_lines(conn, &rows).await
}

async fn with_lines(
    conn: &mut Conn,
    rows: &[sqlx::any::AnyRow],
) -> Result<Vec<ExportReturn>, StoreError> {
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.try_get("id")?;
        let lines = crate::sql::query(
            "SELECT gnum, gcode, gname, qty, unit FROM export_return_lines \
             WHERE return_id = $1 ORDER BY gnum",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|l| {
            Ok(ReturnLine {
                gnum: l.try_get("gnum")?,
                gcode: l.try_get("gcode")?,
                gname: l.try_get("gname")?,
                qty: l.try_get("qty")?,
                unit: l.try_get("unit")?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
        found.push(ExportReturn {
            id,
            sender_code: row.try_get("sender_code")?,
            co_el_no: row.try_get("co_el_no")?,
            pre_no: row.try_get("pre_no")?,
            document_id: row.try_get("document_id")?,
            invt_no: row.try_get("invt_no")?,
            ebc_code: row.try_get("ebc_code")?,
            trade_mode: row.try_get("trade_mode")?,
            logistics_no: row.try_get("logistics_no")?,
            released_at: parse_time(row, "released_at")?,
            reason: row.try_get("reason")?,
            tax: row.try_get("tax")?,
            tax_basis: row.try_get("tax_basis")?,
            state: row.try_get("state")?,
            created_at: parse_time(row, "created_at")?,
            tallied_at: parse_optional_time(row, "tallied_at")?,
            tally_sender_code: row.try_get("tally_sender_code")?,
            tally_location: row.try_get("tally_location")?,
            lines,
        });
    }
    Ok(found)
}
