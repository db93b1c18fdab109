//! Warehouse-entry detail lists (CEB711 入库明细单, answered with CEB712;
//! issue #6 item 3; ceb-messages.md §2.4): the operator of the customs
//! supervision site reports which waybills' parcels entered its site. The
//! list is kept when every waybill it lists is matched to a filed waybill
//! (CEB511) of the head's logistics enterprise; otherwise it is refused
//! naming the waybills, and nothing is kept.
//!
//! Codes: -800003 "already exists" is official (table 7-2); the range
//! -800000 … -800006 is the entry list's, but the specification as quoted
//! names no other code, so -800001 (a listed waybill is not filed) and
//! -800000 (any other rule) are this platform's choice. The platform plays
//! the customs side and matches at once: a declared list is answered 120
//! (海关入库), a draft (`appStatus` 1) 1. `appType` 2/3 (change, delete)
//! are refused -800000: an entry list records an arrival, which is not
//! changed afterwards; a wrong one is answered by sending a new one.

use std::collections::HashMap;

use kuajing_ceb::Message;
use kuajing_ceb::model::import::{CEB712Message, Delivery, DeliveryReturn};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Conn;
use kuajing_store::ceb_documents::{self as store_docs, Kind};
use kuajing_store::entry_lists::{self, EntryWaybill, NewEntryList};

use kuajing_exchange::documents::waybill_key;
use kuajing_exchange::receipts_out::new_guid;
use kuajing_exchange::time_format::return_time;
use kuajing_registry::error::Result;

/// What the intake knows about the message the list came in.
pub struct Received<'a> {
    /// The sender (`BaseTransfer/copCode`).
    pub sender: &'a str,
    /// The kept message's id.
    pub message_id: &'a str,
    /// Why the whole message is refused before it is looked at (signature,
    /// business-rule issues), as code and text.
    pub refused: Option<(String, String)>,
    /// Now.
    pub now: Timestamp,
}

/// Takes the entry list of a CEB711; the CEB712 answering it.
pub async fn take(
    conn: &mut Conn,
    received: &Received<'_>,
    delivery: &Delivery,
) -> Result<Message> {
    let (code, info) = match &received.refused {
        Some((code, info)) => (code.clone(), info.clone()),
        None => match check(conn, delivery).await? {
            Err(refusal) => refusal,
            Ok(waybills) => keep(conn, received, delivery, &waybills).await?,
        },
    };
    let head = &delivery.delivery_head;
    Ok(Message::Ceb712(CEB712Message {
        guid: new_guid(),
        version: "1.0".to_owned(),
        delivery_return: vec![DeliveryReturn {
            guid: head.guid.clone(),
            customs_code: Some(head.customs_code.clone()),
            operator_code: Some(head.operator_code.clone()),
            cop_no: head.cop_no.clone(),
            pre_no: head.pre_no.clone(),
            rkd_no: head.rkd_no.clone(),
            return_status: code,
            return_time: return_time(received.now),
            return_info: info,
        }],
    }))
}

/// The head's rules and the waybills' matches; a refusal as (code, text).
async fn check(
    conn: &mut Conn,
    delivery: &Delivery,
) -> Result<std::result::Result<Vec<EntryWaybill>, (String, String)>> {
    let head = &delivery.delivery_head;
    let refuse =
        |code: &str, zh: String, en: String| Ok(Err((code.to_owned(), format!("{zh} / {en}"))));
    if head.app_type != "1" {
        return refuse(
            "-800000",
            format!(
                "入库明细单只受理新增（appType 1），申报值 {}",
                head.app_type
            ),
            format!(
                "an entry list is only taken new (appType 1), given {}",
                head.app_type
            ),
        );
    }
    let Some(doc_no) = document_number(delivery) else {
        return refuse(
            "-800000",
            "copNo、preNo、rkdNo 至少填写一项".to_owned(),
            "one of copNo, preNo and rkdNo is required".to_owned(),
        );
    };
    if entry_lists::exists(conn, &head.operator_code, doc_no, &head.guid).await? {
        return refuse(
            "-800003",
            format!("入库明细单 {doc_no} 已存在"),
            format!("entry list {doc_no} already exists"),
        );
    }
    let keys: Vec<String> = delivery
        .delivery_list
        .iter()
        .map(|line| waybill_key(&head.logistics_code, &line.logistics_no))
        .collect();
    // One look-up for all the waybills (issue #16), not one per line.
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let filed: HashMap<String, String> = store_docs::find_documents(conn, Kind::Waybill, &key_refs)
        .await?
        .into_iter()
        .map(|waybill| (waybill.business_key, waybill.id))
        .collect();
    let mut matched = Vec::with_capacity(delivery.delivery_list.len());
    let mut missing = Vec::new();
    for (line, key) in delivery.delivery_list.iter().zip(&keys) {
        match filed.get(key) {
            Some(id) => matched.push(EntryWaybill {
                gnum: line.gnum,
                logistics_no: line.logistics_no.clone(),
                waybill_id: id.clone(),
            }),
            None => missing.push(format!("{} ({})", line.logistics_no, line.gnum)),
        }
    }
    if !missing.is_empty() {
        let list = missing.join(", ");
        return refuse(
            "-800001",
            format!("物流企业 {} 未申报运单：{list}", head.logistics_code),
            format!(
                "waybills not filed by logistics enterprise {}: {list}",
                head.logistics_code
            ),
        );
    }
    Ok(Ok(matched))
}

async fn keep(
    conn: &mut Conn,
    received: &Received<'_>,
    delivery: &Delivery,
    waybills: &[EntryWaybill],
) -> Result<(String, String)> {
    let head = &delivery.delivery_head;
    let declared = head.app_status == "2";
    let new = NewEntryList {
        guid: &head.guid,
        operator_code: &head.operator_code,
        doc_no: document_number(delivery).unwrap_or(""),
        customs_code: &head.customs_code,
        ie_flag: &head.ie_flag,
        bill_no: &head.bill_no,
        logistics_code: &head.logistics_code,
        declared,
        message_id: received.message_id,
        waybills,
    };
    entry_lists::keep(conn, &new, received.now).await?;
    let count = waybills.len();
    Ok(if declared {
        (
            "120".to_owned(),
            format!("海关入库：{count} 个运单已核对 / stored: {count} waybills matched"),
        )
    } else {
        (
            "1".to_owned(),
            "电子口岸已暂存 / saved as a draft".to_owned(),
        )
    })
}

/// The operator's number for the list: `copNo`, else `preNo`, else
/// `rkdNo`.
fn document_number(delivery: &Delivery) -> Option<&str> {
    let head = &delivery.delivery_head;
    [&head.cop_no, &head.pre_no, &head.rkd_no]
        .into_iter()
        .filter_map(|n| n.as_deref())
        .map(str::trim)
        .find(|n| !n.is_empty())
}
