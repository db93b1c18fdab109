//! The documents of the import and export messages as the intake sees
//! them: what each is keyed by (ceb-messages.md §3.1), what it links to,
//! which official codes refuse it (table 7-2, §3.4), and whether its state
//! allows a change or a deletion (`appType` 2/3, §2.5).

use kuajing_ceb::entity::entity_to_json;
use kuajing_ceb::model::export;
use kuajing_ceb::model::import::{Inventory, Logistics, Order, Payment};
use kuajing_ceb::{Message, MessageType};
use kuajing_core::role::Role;
use kuajing_store::ceb_documents::Kind;

/// One document of a message.
#[derive(Debug, Clone, Copy)]
pub enum Doc<'m> {
    /// An order (CEB311 `Order`).
    Order(&'m Order),
    /// A payment (CEB411 `Payment`).
    Payment(&'m Payment),
    /// A waybill (CEB511 `Logistics`).
    Waybill(&'m Logistics),
    /// A declaration list (CEB621 `Inventory`).
    List(&'m Inventory),
    /// An export order or booking (CEB303 `Order`).
    ExportOrder(&'m export::Order),
    /// A receipt of payment (CEB403 `Receipts`, 收款单).
    Collection(&'m export::Receipts),
    /// An export waybill (CEB505 `Logistics`).
    ExportWaybill(&'m export::Logistics),
    /// An export list (CEB603 `Inventory`).
    ExportList(&'m export::Inventory),
}

/// The official codes a kind of document is refused with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codes {
    /// A document with the same key exists (-301010 order, -401007
    /// payment, -504012 waybill, -621004 list).
    pub duplicate: i32,
    /// A change or deletion names no document (-301009 order, -621011
    /// list; payment -401009 and waybill -504000 are the kinds' general
    /// codes: table 7-2 as quoted names no specific one).
    pub not_found: i32,
    /// The document's state allows no change (-301011 order, -401008
    /// payment, -504016 waybill, -621012 list).
    pub state: i32,
    /// Its fields break a business rule (-301008, -401009, -504000,
    /// -621001).
    pub invalid: i32,
}

/// The role a message's sender must hold, any of them (issue #5: order →
/// ebp/ebc, payment → payment, waybill → logistics, list → declarer or
/// ebc; cancellation and return → declarer or ebc; waybill status →
/// logistics; issue #7 the same for the export documents, the departure
/// from the logistics enterprise, the arrival from the supervised site's
/// operator, the master/sub-waybill list from the declarer, the summary
/// application from the declarer or ebc).
pub fn sender_roles(message_type: MessageType) -> Option<&'static [Role]> {
    match message_type {
        MessageType::Ceb311 | MessageType::Ceb303 => Some(&[Role::Ebp, Role::Ebc]),
        MessageType::Ceb411 | MessageType::Ceb403 => Some(&[Role::Payment]),
        MessageType::Ceb511 | MessageType::Ceb513 => Some(&[Role::Logistics]),
        MessageType::Ceb505 | MessageType::Ceb509 => Some(&[Role::Logistics]),
        // The supervised site (监管作业场所) is run by the zone's warehouse
        // or site-operating enterprise, or by a logistics company.
        MessageType::Ceb507 => Some(&[Role::Warehouse, Role::Logistics]),
        MessageType::Ceb603 | MessageType::Ceb605 | MessageType::Ceb607 => {
            Some(&[Role::Declarer, Role::Ebc])
        }
        // The site operator's entry list: in Hunchun's bonded zone the
        // warehouse enterprise runs the site; a logistics company may run
        // a supervised site of its own.
        MessageType::Ceb711 => Some(&[Role::Warehouse, Role::Logistics]),
        MessageType::Ceb621 | MessageType::Ceb623 | MessageType::Ceb625 => {
            Some(&[Role::Declarer, Role::Ebc])
        }
        // The summary application (汇总申请单) comes from the declarer of
        // the lists, which may be the e-commerce enterprise itself.
        MessageType::Ceb701 => Some(&[Role::Declarer, Role::Ebc]),
        // The export return request (退货申请单) comes from the list's
        // declarer; its tally detail (理货明细单) from the supervised site's
        // operator, as the arrival (ceb-messages.md §2.6).
        MessageType::Ceb213 => Some(&[Role::Declarer, Role::Ebc]),
        MessageType::Ceb215 => Some(&[Role::Warehouse, Role::Logistics]),
        _ => None,
    }
}

/// The documents of a message, in order; `None` for a message the intake
/// does not process.
pub fn documents_of(message: &Message) -> Option<Vec<Doc<'_>>> {
    Some(match message {
        Message::Ceb311(m) => m.order.iter().map(Doc::Order).collect(),
        Message::Ceb411(m) => m.payment.iter().map(Doc::Payment).collect(),
        Message::Ceb511(m) => m.logistics.iter().map(Doc::Waybill).collect(),
        Message::Ceb621(m) => m.inventory.iter().map(Doc::List).collect(),
        Message::Ceb303(m) => m.order.iter().map(Doc::ExportOrder).collect(),
        Message::Ceb403(m) => m.receipts.iter().map(Doc::Collection).collect(),
        Message::Ceb505(m) => m.logistics.iter().map(Doc::ExportWaybill).collect(),
        Message::Ceb603(m) => m.inventory.iter().map(Doc::ExportList).collect(),
        _ => return None,
    })
}

/// The element that repeats once per document in a message of this type
/// (how issue paths say which document they are about).
pub fn document_element(message_type: MessageType) -> &'static str {
    match message_type {
        MessageType::Ceb311 | MessageType::Ceb303 => "Order",
        MessageType::Ceb411 => "Payment",
        MessageType::Ceb403 => "Receipts",
        MessageType::Ceb511 | MessageType::Ceb505 => "Logistics",
        MessageType::Ceb507 => "Arrival",
        MessageType::Ceb509 => "Departure",
        MessageType::Ceb605 => "InvtCancel",
        MessageType::Ceb607 => "WayBill",
        MessageType::Ceb513 => "LogisticsStatus",
        MessageType::Ceb711 => "Delivery",
        MessageType::Ceb701 => "SummaryApply",
        MessageType::Ceb213 => "InvtRefund",
        MessageType::Ceb215 => "InvtRefundDetail",
        _ => "Inventory",
    }
}

impl Doc<'_> {
    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Doc::Order(_) => Kind::Order,
            Doc::Payment(_) => Kind::Payment,
            Doc::Waybill(_) => Kind::Waybill,
            Doc::List(_) => Kind::List,
            Doc::ExportOrder(_) => Kind::ExportOrder,
            Doc::Collection(_) => Kind::Collection,
            Doc::ExportWaybill(_) => Kind::ExportWaybill,
            Doc::ExportList(_) => Kind::ExportList,
        }
    }

    /// Its key (§3.1), parts joined by `/`: order ebpCode/ebcCode/orderNo,
    /// payment payCode/payTransactionId, waybill logisticsCode/logisticsNo,
    /// list ebpCode/ebcCode/orderNo (one list per order: a third-party
    /// status list names "orderNo + ebcCode" the list's business key). The
    /// export documents alike: order and list by the order, the receipt of
    /// payment by its order too (one per order: CEB404 answers it by
    /// ebcCode + orderNo), the waybill by logisticsCode/logisticsNo.
    pub fn key(&self) -> String {
        match self {
            Doc::ExportOrder(o) => order_key(
                &o.order_head.ebp_code,
                &o.order_head.ebc_code,
                &o.order_head.order_no,
            ),
            Doc::Collection(r) => order_key(&r.ebp_code, &r.ebc_code, &r.order_no),
            Doc::ExportWaybill(w) => waybill_key(&w.logistics_code, &w.logistics_no),
            Doc::ExportList(l) => order_key(
                &l.inventory_head.ebp_code,
                &l.inventory_head.ebc_code,
                &l.inventory_head.order_no,
            ),
            Doc::Order(o) => order_key(
                &o.order_head.ebp_code,
                &o.order_head.ebc_code,
                &o.order_head.order_no,
            ),
            Doc::Payment(p) => format!(
                "{}/{}",
                p.payment_head.pay_code, p.payment_head.pay_transaction_id
            ),
            Doc::Waybill(w) => waybill_key(
                &w.logistics_head.logistics_code,
                &w.logistics_head.logistics_no,
            ),
            Doc::List(l) => order_key(
                &l.inventory_head.ebp_code,
                &l.inventory_head.ebc_code,
                &l.inventory_head.order_no,
            ),
        }
    }

    /// `appType` (1 new, 2 change, 3 delete) and `appStatus` (1 draft, 2
    /// declare).
    pub fn app(&self) -> (&str, &str) {
        match self {
            Doc::Order(o) => (&o.order_head.app_type, &o.order_head.app_status),
            Doc::Payment(p) => (&p.payment_head.app_type, &p.payment_head.app_status),
            Doc::Waybill(w) => (&w.logistics_head.app_type, &w.logistics_head.app_status),
            Doc::List(l) => (&l.inventory_head.app_type, &l.inventory_head.app_status),
            Doc::ExportOrder(o) => (&o.order_head.app_type, &o.order_head.app_status),
            Doc::Collection(r) => (&r.app_type, &r.app_status),
            Doc::ExportWaybill(w) => (&w.app_type, &w.app_status),
            Doc::ExportList(l) => (&l.inventory_head.app_type, &l.inventory_head.app_status),
        }
    }

    /// The platform code it names (none on a waybill).
    pub fn ebp_code(&self) -> Option<&str> {
        match self {
            Doc::Order(o) => Some(&o.order_head.ebp_code),
            Doc::Payment(p) => Some(&p.payment_head.ebp_code),
            Doc::Waybill(_) => None,
            Doc::List(l) => Some(&l.inventory_head.ebp_code),
            Doc::ExportOrder(o) => Some(&o.order_head.ebp_code),
            Doc::Collection(r) => Some(&r.ebp_code),
            Doc::ExportWaybill(_) => None,
            Doc::ExportList(l) => Some(&l.inventory_head.ebp_code),
        }
    }

    /// The order number it belongs to (none on an export waybill, which
    /// names no order: empty).
    pub fn order_no(&self) -> &str {
        match self {
            Doc::ExportOrder(o) => &o.order_head.order_no,
            Doc::Collection(r) => &r.order_no,
            Doc::ExportWaybill(_) => "",
            Doc::ExportList(l) => &l.inventory_head.order_no,
            Doc::Order(o) => &o.order_head.order_no,
            Doc::Payment(p) => &p.payment_head.order_no,
            Doc::Waybill(w) => &w.logistics_head.order_no,
            Doc::List(l) => &l.inventory_head.order_no,
        }
    }

    /// `logisticsCode/logisticsNo` of a waybill or list.
    pub fn waybill_key(&self) -> Option<String> {
        match self {
            Doc::Waybill(w) => Some(waybill_key(
                &w.logistics_head.logistics_code,
                &w.logistics_head.logistics_no,
            )),
            Doc::List(l) => Some(waybill_key(
                &l.inventory_head.logistics_code,
                &l.inventory_head.logistics_no,
            )),
            Doc::ExportWaybill(w) => Some(waybill_key(&w.logistics_code, &w.logistics_no)),
            Doc::ExportList(l) => Some(waybill_key(
                &l.inventory_head.logistics_code,
                &l.inventory_head.logistics_no,
            )),
            Doc::Order(_) | Doc::Payment(_) | Doc::ExportOrder(_) | Doc::Collection(_) => None,
        }
    }

    /// The document's JSON form (kept, so matching never decodes the whole
    /// message again).
    pub fn json(&self) -> String {
        match self {
            Doc::Order(o) => entity_to_json(*o),
            Doc::Payment(p) => entity_to_json(*p),
            Doc::Waybill(w) => entity_to_json(*w),
            Doc::List(l) => entity_to_json(*l),
            Doc::ExportOrder(o) => entity_to_json(*o),
            Doc::Collection(r) => entity_to_json(*r),
            Doc::ExportWaybill(w) => entity_to_json(*w),
            Doc::ExportList(l) => entity_to_json(*l),
        }
        .to_string()
    }

    /// The codes it is refused with.
    pub fn codes(&self) -> Codes {
        codes(self.kind())
    }
}

/// The codes of a kind of document. The export documents take the codes
/// of their import counterparts: the official table 7-2 is captioned
/// "出口统一版业务报文错误信息" (the export unified edition's business
/// message errors) and lists exactly these order, payment, waybill and
/// list codes (ceb-messages.md §3.4); it has no others for CEB303–603.
pub fn codes(kind: Kind) -> Codes {
    match kind {
        Kind::Order | Kind::ExportOrder => Codes {
            duplicate: -301010,
            not_found: -301009,
            state: -301011,
            invalid: -301008,
        },
        Kind::Payment | Kind::Collection => Codes {
            duplicate: -401007,
            not_found: -401009,
            state: -401008,
            invalid: -401009,
        },
        Kind::Waybill | Kind::ExportWaybill => Codes {
            duplicate: -504012,
            not_found: -504000,
            state: -504016,
            invalid: -504000,
        },
        Kind::List | Kind::ExportList => Codes {
            duplicate: -621004,
            not_found: -621011,
            state: -621012,
            invalid: -621001,
        },
    }
}

/// An order's key (and its list's).
pub fn order_key(ebp_code: &str, ebc_code: &str, order_no: &str) -> String {
    format!("{ebp_code}/{ebc_code}/{order_no}")
}

/// A waybill's key.
pub fn waybill_key(logistics_code: &str, logistics_no: &str) -> String {
    format!("{logistics_code}/{logistics_no}")
}

/// Whether a document standing at `status` may still be changed or
/// deleted: a draft (1) or one being declared (2) that no decision has
/// used, or a refused list (100), which the declarer corrects and sends
/// again. Orders, payments and waybills that a list matched (120) are
/// used (-301011 and kin).
pub fn changeable(kind: Kind, status: &str) -> bool {
    match kind {
        Kind::List | Kind::ExportList => matches!(status, "1" | "2" | "100"),
        Kind::Order
        | Kind::Payment
        | Kind::Waybill
        | Kind::ExportOrder
        | Kind::Collection
        | Kind::ExportWaybill => matches!(status, "1" | "2"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn used_or_decided_documents_cannot_change() {
        assert!(changeable(Kind::List, "100"));
        assert!(!changeable(Kind::List, "800"));
        assert!(!changeable(Kind::List, "300"));
        assert!(changeable(Kind::Order, "2"));
        assert!(!changeable(Kind::Order, "120"));
        assert!(!changeable(Kind::Order, "100"));
    }
}
