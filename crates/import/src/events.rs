//! What clearance shares with the agencies through the outbox of the
//! filing registry (DESIGN.md: one outbox, pull feed and webhooks): on each
//! release, the release itself (topic `release`, the zone's statistics),
//! its tax bill (`tax-bill`, for tax) and the parcel's payment (`payment`,
//! for forex). Who sees which topic is the feed's rule
//! (`kuajing_registry::feed`); each event is owned by the list's declarer.

use kuajing_ceb::model::import::{Inventory, Payment};
use kuajing_core::ids::ResidentId;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Conn;
use kuajing_store::ceb_documents::{self as store_docs, Document, Kind};
use serde_json::json;

use kuajing_exchange::receipts_out::Owed;
use kuajing_exchange::record::{StoredBill, from_body};
use kuajing_registry::error::Result;

/// Owes the release, tax-bill and payment events of a released list
/// (written with the receipts, at the end of the transaction): `bill` is
/// the decision's tax bill, `payment` the parcel's payment when the decider
/// has it at hand (read here otherwise).
pub(crate) async fn released(
    conn: &mut Conn,
    list: &Document,
    inventory: &Inventory,
    bill: Option<&StoredBill>,
    payment: Option<&Payment>,
    now: Timestamp,
    owed: &mut Vec<Owed>,
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
    owed.push(Owed::shared("release", &invt_no, list, &release));
    if let Some(bill) = bill {
        let tax = json!({
            "invt_no": invt_no,
            "tax_no": format!("{invt_no}01"),
            "ebc_code": head.ebc_code,
            "agent_code": head.agent_code,
            "assure_code": head.assure_code,
            "bill": bill,
        });
        owed.push(Owed::shared("tax-bill", &invt_no, list, &tax));
    }
    let read;
    let payment = match payment {
        Some(payment) => Some(payment),
        None => {
            read = matched_payment(conn, inventory).await?;
            read.as_ref()
        }
    };
    if let Some(payment) = payment {
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
        owed.push(Owed::shared(
            "payment",
            &p.pay_transaction_id,
            list,
            &record,
        ));
    }
    Ok(())
}

/// The parcel's matched payment (120), read from its kept JSON.
async fn matched_payment(conn: &mut Conn, inventory: &Inventory) -> Result<Option<Payment>> {
    let head = &inventory.inventory_head;
    let payments =
        store_docs::documents_of_order(conn, Kind::Payment, &head.ebp_code, &head.order_no).await?;
    payments
        .iter()
        .find(|p| p.status == "120")
        .map(|document| from_body(&document.body))
        .transpose()
}
