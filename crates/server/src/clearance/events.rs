//! What clearance shares with the agencies through the outbox of the
//! filing registry (DESIGN.md: one outbox, pull feed and webhooks): on each
//! release, the release itself (topic `release`, the zone's statistics),
//! its tax bill (`tax-bill`, for tax) and the parcel's payment (`payment`,
//! for forex). Who sees which topic is the feed's rule
//! (`crate::feed`); each event is owned by the list's declarer.

use kuajing_ceb::model::import::{Inventory, Payment};
use kuajing_core::ids::ResidentId;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::AnyConnection;
use kuajing_store::ceb_documents::{self as store_docs, Document, Kind};
use kuajing_store::outbox::{self, NewOutboxEvent};
use serde_json::{Value, json};

use super::engine::{StoredBill, from_body};
use crate::error::Result;

/// Appends the release, tax-bill and payment events of a released list.
pub async fn released(
    conn: &mut AnyConnection,
    list: &Document,
    inventory: &Inventory,
    bill: Option<&StoredBill>,
    now: Timestamp,
) -> Result<()> {
    let head = &inventory.inventory_head;
    let invt_no = list.invt_no.clone().unwrap_or_default();
    let release = json!({
        "invt_no": invt_no,
        "customs_code": head.customs_code,
        "port_code": head.port_code,
        "trade_mode": head.trade_mode,
        "country": head.country,
        "ebp_code": head.ebp_code,
        "ebc_code": head.ebc_code,
        "agent_code": head.agent_code,
        "released_at": now.to_string(),
        "lines": inventory.inventory_list.iter().map(|l| json!({
            "gnum": l.gnum, "gcode": l.gcode, "gname": l.gname, "country": l.country,
            "qty": l.qty.to_string(), "unit": l.unit, "total_price": l.total_price.to_string(),
            "currency": l.currency,
        })).collect::<Vec<_>>(),
    });
    let mut shared: Vec<(&str, String, Value)> = vec![("release", invt_no.clone(), release)];
    if let Some(bill) = bill {
        let tax = json!({
            "invt_no": invt_no,
            "tax_no": format!("{invt_no}01"),
            "ebc_code": head.ebc_code,
            "agent_code": head.agent_code,
            "assure_code": head.assure_code,
            "bill": bill,
        });
        shared.push(("tax-bill", invt_no.clone(), tax));
    }
    let payments =
        store_docs::documents_of_order(conn, Kind::Payment, &head.ebp_code, &head.order_no).await?;
    if let Some(document) = payments.iter().find(|p| p.status == "120") {
        let payment: Payment = from_body(&document.body)?;
        let p = &payment.payment_head;
        let payer = ResidentId::mask(&p.payer_id_number);
        let record = json!({
            "invt_no": invt_no,
            "pay_code": p.pay_code,
            "pay_transaction_id": p.pay_transaction_id,
            "order_no": p.order_no,
            "ebp_code": p.ebp_code,
            "payer_name": p.payer_name,
            "payer_id_number": payer,
            "amount_paid": p.amount_paid.to_string(),
            "currency": p.currency,
            "pay_time": p.pay_time,
        });
        shared.push(("payment", p.pay_transaction_id.clone(), record));
    }
    append(conn, list, &shared, now).await
}

/// The events, owned by the list's declarer, in one statement.
async fn append(
    conn: &mut AnyConnection,
    list: &Document,
    shared: &[(&str, String, Value)],
    now: Timestamp,
) -> Result<()> {
    let payloads: Vec<String> = shared
        .iter()
        .map(|(_, _, record)| record.to_string())
        .collect();
    let events: Vec<NewOutboxEvent<'_>> = shared
        .iter()
        .zip(&payloads)
        .map(|((topic, key, _), payload)| NewOutboxEvent {
            topic,
            event: "released",
            record_id: &list.id,
            record_key: key,
            owner_code: &list.owner_code,
            version_no: 1,
            payload,
        })
        .collect();
    outbox::append_all(conn, &events, now).await?;
    Ok(())
}
