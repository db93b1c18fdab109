//! The receipts the platform owes, as CEB messages: the return entities of
//! `kuajing_clearance::receipts` put in their messages (CEB312, 412, 512,
//! 622) and the electronic tax bill (CEB816), each addressed to the
//! enterprises that are party to the document and none other.

use kuajing_ceb::model::export;
use kuajing_ceb::model::import::{
    CEB816Message, CEB818Message, Inventory, Logistics, Order, Payment, Tax816, Tax818, TaxHeadRd,
    TaxHeadStatus, TaxListRd,
};
use kuajing_ceb::{Message, encode};
use kuajing_clearance::export_receipts;
use kuajing_clearance::receipts::{
    self, Answer, ceb312, ceb412, ceb512, ceb622, inventory_return, logistics_return, order_return,
    payment_return,
};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::ceb_documents::Document;
use kuajing_store::clearance::{NewReceipt, append_receipts};
use kuajing_store::outbox::{self, NewOutboxEvent};
use kuajing_store::{Conn, StoreError};

use super::record::StoredBill;
use super::time_format::return_time;

/// A receipt owed to an enterprise, or (with `shared`) an event shared
/// with the agencies; both are written at the end of the transaction, in
/// order, by [`deliver`], so the advisory lock that orders the outbox is
/// taken last and never held while row locks are still to come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owed {
    /// Customs code of the enterprise owed it.
    pub recipient: String,
    /// Its type (`CEB622`).
    pub receipt_type: &'static str,
    /// The document it is about.
    pub document_id: Option<String>,
    /// The message it answers (the synchronous answer).
    pub message_id: Option<String>,
    /// The receipt message (a shared event: its JSON record).
    pub xml: String,
    /// For an event shared with the agencies: its topic and record key
    /// (`recipient` is then the event's owner).
    pub shared: Option<(&'static str, String)>,
}

impl Owed {
    /// An event of `topic` about `document` (owned by its sender), with
    /// `record` as its payload.
    pub fn shared(
        topic: &'static str,
        key: &str,
        document: &Document,
        record: &serde_json::Value,
    ) -> Owed {
        Owed {
            recipient: document.owner_code.clone(),
            receipt_type: topic,
            document_id: Some(document.id.clone()),
            message_id: None,
            xml: record.to_string(),
            shared: Some((topic, key.to_owned())),
        }
    }
}

/// The synchronous answer to message `message_id`, owed to its sender.
pub fn answer(sender: &str, message_id: &str, receipt_type: &'static str, xml: &str) -> Owed {
    Owed {
        recipient: sender.to_owned(),
        receipt_type,
        document_id: None,
        message_id: Some(message_id.to_owned()),
        xml: xml.to_owned(),
        shared: None,
    }
}

/// Delivers what is owed, in order, in the caller's transaction: each
/// receipt to the pull feed of its recipient and to the outbox (topic
/// `receipt`, owned by the recipient) from which its webhooks push it with
/// retries; each shared event to the outbox.
pub async fn deliver(conn: &mut Conn, owed: &[Owed], now: Timestamp) -> Result<(), StoreError> {
    let receipts: Vec<NewReceipt<'_>> = owed
        .iter()
        .filter(|o| o.shared.is_none())
        .map(|o| NewReceipt {
            recipient_code: &o.recipient,
            receipt_type: o.receipt_type,
            message_id: o.message_id.as_deref(),
            document_id: o.document_id.as_deref(),
            xml: &o.xml,
        })
        .collect();
    // A receipt is stored once: its outbox event names its row in the
    // feed, from which readers compose the payload (issue #16, item 4).
    let mut positions = append_receipts(conn, &receipts, now).await?.into_iter();
    let events: Vec<NewOutboxEvent<'_>> = owed
        .iter()
        .map(|o| {
            let (topic, event, key, payload, receipt_seq) = match &o.shared {
                Some((topic, key)) => (*topic, "released", key.as_str(), o.xml.as_str(), None),
                None => (
                    "receipt",
                    o.receipt_type,
                    o.receipt_type,
                    "",
                    positions.next(),
                ),
            };
            NewOutboxEvent {
                topic,
                event,
                record_id: o
                    .document_id
                    .as_deref()
                    .or(o.message_id.as_deref())
                    .unwrap_or(""),
                record_key: key,
                owner_code: &o.recipient,
                version_no: 1,
                payload,
                receipt_seq,
            }
        })
        .collect();
    outbox::append_all(conn, &events, now).await
}

/// A new receipt message's guid: an upper-case UUID (the XSD's 36
/// characters, "英文字母大写").
pub fn new_guid() -> String {
    uuid::Uuid::now_v7().to_string().to_ascii_uppercase()
}

/// `message` owed to the sender of `document`, about it.
pub fn owed(document: &Document, receipt_type: &'static str, message: &Message) -> Owed {
    Owed {
        recipient: document.owner_code.clone(),
        receipt_type,
        document_id: Some(document.id.clone()),
        message_id: None,
        xml: encode(message),
        shared: None,
    }
}

/// CEB312 for one order.
pub fn order(document: &Document, order: &Order, answer: &Answer) -> Owed {
    let returns = vec![order_return(&order.order_head, answer)];
    owed(
        document,
        "CEB312",
        &Message::Ceb312(ceb312(&new_guid(), returns)),
    )
}

/// CEB412 for one payment.
pub fn payment(document: &Document, payment: &Payment, answer: &Answer) -> Owed {
    let returns = vec![payment_return(&payment.payment_head, answer)];
    owed(
        document,
        "CEB412",
        &Message::Ceb412(ceb412(&new_guid(), returns)),
    )
}

/// CEB512 for one waybill.
pub fn waybill(document: &Document, waybill: &Logistics, answer: &Answer) -> Owed {
    let returns = vec![logistics_return(&waybill.logistics_head, answer)];
    owed(
        document,
        "CEB512",
        &Message::Ceb512(ceb512(&new_guid(), returns)),
    )
}

/// CEB622 for one list, with the numbers the platform gave it.
pub fn list(document: &Document, list: &Inventory, answer: &Answer) -> Owed {
    let returns = vec![inventory_return(
        &list.inventory_head,
        document.pre_no.as_deref().unwrap_or(""),
        document.invt_no.as_deref(),
        answer,
    )];
    owed(
        document,
        "CEB622",
        &Message::Ceb622(ceb622(&new_guid(), returns)),
    )
}

/// The electronic tax bill (CEB816) of a released list, owed to its
/// declarer and to the e-commerce enterprise (the withholding agent,
/// 代收代缴义务人) when that is another enterprise. The bill's number is
/// the list number followed by the bill's sequence on it (`01`: the first;
/// a corrected bill, CEB818, takes the next).
pub fn tax_bill(
    document: &Document,
    list: &Inventory,
    bill: &StoredBill,
    now: Timestamp,
) -> Vec<Owed> {
    tax_bill_numbered(document, list, bill, "01", now)
}

/// A tax bill (CEB816) of a list with the bill's `sequence` on it (`01`
/// the first; a return's new bill `02`, …).
pub fn tax_bill_numbered(
    document: &Document,
    list: &Inventory,
    bill: &StoredBill,
    sequence: &str,
    now: Timestamp,
) -> Vec<Owed> {
    let head = &list.inventory_head;
    let invt_no = document.invt_no.clone().unwrap_or_default();
    let guid = new_guid();
    let message = CEB816Message {
        guid: guid.clone(),
        version: "1.0".to_owned(),
        tax: vec![Tax816 {
            tax_head_rd: TaxHeadRd {
                guid,
                return_time: return_time(now),
                invt_no: invt_no.clone(),
                tax_no: format!("{invt_no}{sequence}"),
                customs_tax: bill.duty,
                value_added_tax: bill.vat,
                consumption_tax: bill.consumption,
                status: "1".to_owned(),
                ent_duty_no: None,
                note: None,
                assure_code: Some(head.assure_code.clone()),
                ebc_code: Some(head.ebc_code.clone()),
                logistics_code: Some(head.logistics_code.clone()),
                agent_code: Some(head.agent_code.clone()),
                customs_code: Some(head.customs_code.clone()),
            },
            tax_list_rd: bill
                .lines
                .iter()
                .map(|line| TaxListRd {
                    gnum: i64::from(line.gnum),
                    gcode: line.gcode.clone(),
                    tax_price: line.dutiable_value,
                    customs_tax: line.duty,
                    value_added_tax: line.vat,
                    consumption_tax: line.consumption,
                })
                .collect(),
        }],
    };
    to_tax_parties(document, list, "CEB816", &encode(&Message::Ceb816(message)))
}

/// A tax bill's new status (CEB818: 1 generated, 2 summarised, 3 void),
/// the bill being the list's `sequence`th.
pub fn tax_status(
    document: &Document,
    list: &Inventory,
    sequence: &str,
    status: &str,
    now: Timestamp,
) -> Vec<Owed> {
    let invt_no = document.invt_no.clone().unwrap_or_default();
    let guid = new_guid();
    let message = CEB818Message {
        guid: guid.clone(),
        version: "1.0".to_owned(),
        tax: vec![Tax818 {
            tax_head_status: TaxHeadStatus {
                guid,
                return_time: return_time(now),
                invt_no: invt_no.clone(),
                tax_no: format!("{invt_no}{sequence}"),
                status: status.to_owned(),
                ent_duty_no: None,
                assure_code: Some(list.inventory_head.assure_code.clone()),
            },
        }],
    };
    to_tax_parties(document, list, "CEB818", &encode(&Message::Ceb818(message)))
}

/// A tax message owed to the list's declarer and, when another, its
/// e-commerce enterprise.
fn to_tax_parties(
    document: &Document,
    list: &Inventory,
    receipt_type: &'static str,
    xml: &str,
) -> Vec<Owed> {
    let mut recipients = vec![document.owner_code.clone()];
    if list.inventory_head.ebc_code != document.owner_code {
        recipients.push(list.inventory_head.ebc_code.clone());
    }
    recipients
        .into_iter()
        .map(|recipient| Owed {
            recipient,
            receipt_type,
            document_id: Some(document.id.clone()),
            message_id: None,
            xml: xml.to_owned(),
            shared: None,
        })
        .collect()
}

/// The status name, for pages.
pub fn status_name(code: &str) -> &'static str {
    match code {
        "1" => receipts::Status::Draft.name_zh(),
        "2" => receipts::Status::Declared.name_zh(),
        "100" => receipts::Status::Refused.name_zh(),
        "120" => receipts::Status::Stored.name_zh(),
        "300" => receipts::Status::ManualReview.name_zh(),
        "399" => receipts::Status::Concluded.name_zh(),
        "500" => receipts::Status::Inspection.name_zh(),
        "501" => receipts::Status::Detained(501).name_zh(),
        "502" => receipts::Status::Detained(502).name_zh(),
        "503" => receipts::Status::Detained(503).name_zh(),
        "599" => receipts::Status::Detained(599).name_zh(),
        "800" => receipts::Status::Released.name_zh(),
        // The platform's own status of a cancelled list (the specification
        // has none: the CEB624 says 399 for the cancellation).
        "cancelled" => "已撤销",
        // An export list whose goods arrived at the supervised site and
        // departed (its CEB604 says 899 结关).
        "exited" => "已离境",
        _ => "处理异常",
    }
}

/// CEB304 for one export order.
pub fn export_order(document: &Document, order: &export::Order, answer: &Answer) -> Owed {
    let returns = vec![export_receipts::order_return(&order.order_head, answer)];
    owed(
        document,
        "CEB304",
        &Message::Ceb304(export_receipts::ceb304(&new_guid(), returns)),
    )
}

/// CEB404 for one receipt of payment.
pub fn collection(document: &Document, receipt: &export::Receipts, answer: &Answer) -> Owed {
    let returns = vec![export_receipts::collection_return(receipt, answer)];
    owed(
        document,
        "CEB404",
        &Message::Ceb404(export_receipts::ceb404(&new_guid(), returns)),
    )
}

/// CEB506 for one export waybill.
pub fn export_waybill(document: &Document, waybill: &export::Logistics, answer: &Answer) -> Owed {
    let returns = vec![export_receipts::logistics_return(waybill, answer)];
    owed(
        document,
        "CEB506",
        &Message::Ceb506(export_receipts::ceb506(&new_guid(), returns)),
    )
}

/// CEB604 for one export list, with the numbers the platform gave it.
pub fn export_list(document: &Document, list: &export::Inventory, answer: &Answer) -> Owed {
    let returns = vec![export_receipts::inventory_return(
        &list.inventory_head,
        document.pre_no.as_deref().unwrap_or(""),
        document.invt_no.as_deref(),
        answer,
    )];
    owed(
        document,
        "CEB604",
        &Message::Ceb604(export_receipts::ceb604(&new_guid(), returns)),
    )
}
