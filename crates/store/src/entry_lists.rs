//! Warehouse-entry detail lists (CEB711 入库明细单, issue #6 item 3;
//! ceb-messages.md §2.4 "CEB711 / CEB712"): the supervision-site operator
//! reports the waybills whose parcels entered its site; each listed waybill
//! is matched to a filed waybill (CEB511) before the list is kept
//! (migration 0011).

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::parse_time;

/// One waybill of an entry list, matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryWaybill {
    /// The line number (`gnum`).
    pub gnum: i64,
    /// The waybill number (`logisticsNo`).
    pub logistics_no: String,
    /// The matched waybill document's id.
    pub waybill_id: String,
}

/// An entry list to keep.
#[derive(Debug, Clone, Copy)]
pub struct NewEntryList<'a> {
    /// The head's `guid`.
    pub guid: &'a str,
    /// The site operator (`operatorCode`, the sender).
    pub operator_code: &'a str,
    /// The operator's number for it (`copNo`, else `preNo`, else `rkdNo`).
    pub doc_no: &'a str,
    /// Declaring customs (`customsCode`).
    pub customs_code: &'a str,
    /// `I` import or `E` export.
    pub ie_flag: &'a str,
    /// Master bill (`billNo`).
    pub bill_no: &'a str,
    /// The logistics enterprise of its waybills (`logisticsCode`).
    pub logistics_code: &'a str,
    /// Declared (`appStatus` 2) rather than a draft.
    pub declared: bool,
    /// The message it came in.
    pub message_id: &'a str,
    /// Its waybills, matched.
    pub waybills: &'a [EntryWaybill],
}

/// A kept entry list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryList {
    /// The head's `guid`.
    pub guid: String,
    /// The site operator.
    pub operator_code: String,
    /// The operator's number for it.
    pub doc_no: String,
    /// Declaring customs.
    pub customs_code: String,
    /// `I` or `E`.
    pub ie_flag: String,
    /// Master bill.
    pub bill_no: String,
    /// The logistics enterprise.
    pub logistics_code: String,
    /// Declared rather than a draft.
    pub declared: bool,
    /// When received.
    pub received_at: Timestamp,
    /// Its waybills.
    pub waybills: Vec<EntryWaybill>,
}

/// Keeps an entry list and its matched waybills. A `guid`, or an
/// operator's number, taken before is [`StoreError::Duplicate`].
pub async fn keep(
    conn: &mut Conn,
    new: &NewEntryList<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query(
        "INSERT INTO entry_lists (guid, operator_code, doc_no, customs_code, ie_flag, bill_no, \
         logistics_code, declared, message_id, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new.guid)
    .bind(new.operator_code)
    .bind(new.doc_no)
    .bind(new.customs_code)
    .bind(new.ie_flag)
    .bind(new.bill_no)
    .bind(new.logistics_code)
    .bind(i64::from(new.declared))
    .bind(new.message_id)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique("doc_no", new.doc_no))?;
    for waybill in new.waybills {
        crate::sql::query(
            "INSERT INTO entry_list_waybills (guid, gnum, logistics_no, waybill_id) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(new.guid)
        .bind(waybill.gnum)
        .bind(&waybill.logistics_no)
        .bind(&waybill.waybill_id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::on_unique("gnum", &waybill.gnum.to_string()))?;
    }
    Ok(())
}

/// Whether an operator has an entry list of that number (or guid).
pub async fn exists(
    conn: &mut Conn,
    operator_code: &str,
    doc_no: &str,
    guid: &str,
) -> Result<bool, StoreError> {
    if [operator_code, doc_no, guid].iter().any(|t| has_nul(t)) {
        return Ok(false);
    }
    let found: Option<String> = crate::sql::query_scalar(
        "SELECT guid FROM entry_lists WHERE (operator_code = $1 AND doc_no = $2) OR guid = $3",
    )
    .bind(operator_code)
    .bind(doc_no)
    .bind(guid)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// The latest entry lists (of one operator if given), newest first, with
/// their waybills.
pub async fn entry_lists(
    conn: &mut Conn,
    operator_code: Option<&str>,
    limit: i64,
) -> Result<Vec<EntryList>, StoreError> {
    if operator_code.is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT guid, operator_code, doc_no, customs_code, ie_flag, bill_no, logistics_code, \
         declared, received_at FROM entry_lists \
         WHERE (CAST($1 AS TEXT) IS NULL OR operator_code = $1) \
         ORDER BY received_at DESC, guid LIMIT $2",
    )
    .bind(operator_code)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut lists = Vec::with_capacity(rows.len());
    for row in &rows {
        let guid: String = row.try_get("guid")?;
        let waybills = crate::sql::query(
            "SELECT gnum, logistics_no, waybill_id FROM entry_list_waybills \
             WHERE guid = $1 ORDER BY gnum",
        )
        .bind(&guid)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|w| {
            Ok(EntryWaybill {
                gnum: w.try_get("gnum")?,
                logistics_no: w.try_get("logistics_no")?,
                waybill_id: w.try_get("waybill_id")?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
        let declared: i64 = row.try_get("declared")?;
        lists.push(EntryList {
            guid,
            operator_code: row.try_get("operator_code")?,
            doc_no: row.try_get("doc_no")?,
            customs_code: row.try_get("customs_code")?,
            ie_flag: row.try_get("ie_flag")?,
            bill_no: row.try_get("bill_no")?,
            logistics_code: row.try_get("logistics_code")?,
            declared: declared == 1,
            received_at: parse_time(row, "received_at")?,
            waybills,
        });
    }
    Ok(lists)
}
