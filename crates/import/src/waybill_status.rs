//! Waybill statuses (CEB513 物流运单状态, answered with CEB514): the
//! logistics company reports that a parcel was signed for (`S`, the only
//! status the specification allows). Each report on its own merits: the
//! sender must be the status's `logisticsCode` or hold a delegation of
//! waybills from it (checked by the intake, issue #14 finding 1), the
//! waybill that logistics company filed must exist (else -505000, the first
//! code of the waybill-status range: table 7-2 as quoted names no specific
//! one), a status reported before is refused -505012 ("status already
//! exists").

use kuajing_ceb::Message;
use kuajing_ceb::model::import::{CEB514Message, LogisticsStatus, LogisticsStatusReturn};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Conn;
use kuajing_store::ceb_documents::{self as store_docs, Kind};

use kuajing_exchange::documents::waybill_key;
use kuajing_exchange::receipts_out::new_guid;
use kuajing_exchange::time_format::return_time;
use kuajing_registry::error::Result;

/// Takes every status of a CEB513; the CEB514. `refusals` holds, per
/// status, why it is refused before it is looked at (the sender may not
/// report for its `logisticsCode`, business-rule problems): -505000 with
/// them.
pub async fn take_all(
    conn: &mut Conn,
    message_id: &str,
    statuses: &[LogisticsStatus],
    refusals: &[Option<String>],
    now: Timestamp,
) -> Result<Message> {
    let mut returns = Vec::with_capacity(statuses.len());
    for (index, status) in statuses.iter().enumerate() {
        let (code, info) = match refusals.get(index).cloned().flatten() {
            Some(problems) => ("-505000".to_owned(), problems),
            None => take(conn, message_id, status, now).await?,
        };
        returns.push(LogisticsStatusReturn {
            guid: status.guid.clone(),
            logistics_code: status.logistics_code.clone(),
            logistics_no: status.logistics_no.clone(),
            logistics_status: status.logistics_status.clone(),
            return_status: code,
            return_time: return_time(now),
            return_info: info,
        });
    }
    Ok(Message::Ceb514(CEB514Message {
        guid: new_guid(),
        version: "1.0".to_owned(),
        logistics_status_return: returns,
    }))
}

async fn take(
    conn: &mut Conn,
    message_id: &str,
    status: &LogisticsStatus,
    now: Timestamp,
) -> Result<(String, String)> {
    let key = waybill_key(&status.logistics_code, &status.logistics_no);
    let waybill = store_docs::find_document(conn, Kind::Waybill, &key).await?;
    let Some(waybill) = waybill else {
        return Ok((
            "-505000".to_owned(),
            format!("未找到运单 {key} / no waybill {key}"),
        ));
    };
    let new = store_docs::keep_waybill_status(
        conn,
        &waybill.id,
        &status.logistics_status,
        &status.logistics_time,
        message_id,
        now,
    )
    .await?;
    if !new {
        return Ok((
            "-505012".to_owned(),
            format!(
                "运单 {key} 的状态 {} 已存在 / waybill {key} already has status {}",
                status.logistics_status, status.logistics_status
            ),
        ));
    }
    Ok(("2".to_owned(), "电子口岸申报中".to_owned()))
}
