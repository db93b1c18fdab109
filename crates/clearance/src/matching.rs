//! The three-document match (三单对碰): a declaration list (清单, CEB621)
//! against its order (订单, CEB311), payment (支付单, CEB411) and waybill
//! (运单, CEB511), by the field agreements of ceb-messages.md §3.2.
//!
//! Each disagreement is a [`Mismatch`] naming both documents, both fields and
//! both values; a list with any of them is refused (status 100) with the
//! official code [`MISMATCH_CODE`].

use kuajing_ceb::model::import::{Inventory, Logistics, Order, Payment};
use rust_decimal::Decimal;

/// Official code of a list that fails its checks: "inventory validation
/// failed [*]" (table 7-2, ceb-messages.md §3.4), the `[*]` being the
/// mismatch's own text.
pub const MISMATCH_CODE: i32 = -621001;

/// The settings of the match, for the points the sources leave open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchSettings {
    /// How far two amounts that must agree may differ, CNY (A13: sources
    /// conflict; exact by default).
    pub tolerance: Decimal,
    /// Whether the payer must be the buyer (A9: required where the buyer's
    /// identity is not otherwise verified, which is the platform's case).
    pub buyer_must_be_payer: bool,
}

impl Default for MatchSettings {
    fn default() -> Self {
        MatchSettings {
            tolerance: Decimal::ZERO,
            buyer_must_be_payer: true,
        }
    }
}

/// Which agreement of ceb-messages.md §3.2 failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// A2: the order's acturalPaid is the payment's amountPaid.
    PaidAmount,
    /// A5: the order's consignee is the waybill's.
    Consignee,
    /// A6: the list refers to its order and waybill, and repeats the
    /// order's buyer and address.
    ListHead,
    /// The payment and the waybill refer to the order.
    References,
    /// A7: list lines one-to-one with order lines.
    Lines,
    /// A8: the list's freight and insurance are the waybill's.
    Freight,
    /// A9: the payer is the buyer.
    BuyerIsPayer,
}

impl Agreement {
    /// The rule's number in ceb-messages.md §3.2.
    pub fn rule(self) -> &'static str {
        match self {
            Agreement::PaidAmount => "A2",
            Agreement::Consignee => "A5",
            Agreement::ListHead | Agreement::References => "A6",
            Agreement::Lines => "A7",
            Agreement::Freight => "A8",
            Agreement::BuyerIsPayer => "A9",
        }
    }
}

/// One field of one document, with its value as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// The document (`CEB621`, `CEB311`, `CEB411`, `CEB511`).
    pub document: &'static str,
    /// The field, as the specification names it (with the line for list
    /// lines: `InventoryList[2]/qty`).
    pub field: String,
    /// Its value (empty if absent).
    pub value: String,
}

/// Two fields that must agree and do not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The agreement.
    pub agreement: Agreement,
    /// One side.
    pub left: Side,
    /// The other side.
    pub right: Side,
}

impl Mismatch {
    /// In Chinese, for the receipt's returnInfo.
    pub fn message_zh(&self) -> String {
        self.describe("三单对碰不一致（", "）：", "为“", "”，", "”")
    }

    /// In English.
    pub fn message_en(&self) -> String {
        self.describe("documents disagree (", "): ", " is '", "', ", "'")
    }

    /// `open rule close left.doc left.field is left.value sep right… end`.
    fn describe(&self, open: &str, close: &str, is: &str, sep: &str, end: &str) -> String {
        let side = |s: &Side| format!("{} {}{is}{}", s.document, s.field, s.value);
        format!(
            "{open}{}{close}{}{sep}{}{end}",
            self.agreement.rule(),
            side(&self.left),
            side(&self.right)
        )
    }
}

/// The four documents of one parcel.
#[derive(Debug, Clone, Copy)]
pub struct Parcel<'a> {
    /// The declaration list.
    pub list: &'a Inventory,
    /// Its order.
    pub order: &'a Order,
    /// The order's payment.
    pub payment: &'a Payment,
    /// The order's waybill.
    pub waybill: &'a Logistics,
}

/// Every disagreement among the four documents, in a stable order.
pub fn match_parcel(parcel: &Parcel<'_>, settings: &MatchSettings) -> Vec<Mismatch> {
    let mut found = Found {
        settings,
        mismatches: Vec::new(),
    };
    list_head(&mut found, parcel);
    references(&mut found, parcel);
    paid_amount(&mut found, parcel);
    consignee(&mut found, parcel);
    freight(&mut found, parcel);
    if settings.buyer_must_be_payer {
        buyer_is_payer(&mut found, parcel);
    }
    lines(&mut found, parcel);
    found.mismatches
}

/// The mismatches found so far.
struct Found<'s> {
    settings: &'s MatchSettings,
    mismatches: Vec<Mismatch>,
}

/// A field of a document: (document, field name, value).
type Field<'a> = (&'static str, &'a str, &'a str);

impl Found<'_> {
    /// Records a mismatch unless the texts are equal.
    fn text(&mut self, agreement: Agreement, left: Field<'_>, right: Field<'_>) {
        if left.2 != right.2 {
            self.push(agreement, left, right);
        }
    }

    /// Records a mismatch unless the amounts agree within the tolerance.
    fn amount(
        &mut self,
        agreement: Agreement,
        left: (&'static str, &str, Decimal),
        right: (&'static str, &str, Decimal),
    ) {
        if (left.2 - right.2).abs() > self.settings.tolerance {
            self.push(
                agreement,
                (left.0, left.1, &left.2.to_string()),
                (right.0, right.1, &right.2.to_string()),
            );
        }
    }

    fn push(&mut self, agreement: Agreement, left: Field<'_>, right: Field<'_>) {
        let side = |(document, field, value): Field<'_>| Side {
            document,
            field: field.to_owned(),
            value: value.to_owned(),
        };
        self.mismatches.push(Mismatch {
            agreement,
            left: side(left),
            right: side(right),
        });
    }
}

const LIST: &str = "CEB621";
const ORDER: &str = "CEB311";
const PAYMENT: &str = "CEB411";
const WAYBILL: &str = "CEB511";

/// A6: the list's keys, buyer and address are its order's and waybill's.
fn list_head(found: &mut Found<'_>, p: &Parcel<'_>) {
    let (list, order, waybill) = (
        &p.list.inventory_head,
        &p.order.order_head,
        &p.waybill.logistics_head,
    );
    let a = Agreement::ListHead;
    for (field, l, o) in [
        ("orderNo", &list.order_no, &order.order_no),
        ("ebpCode", &list.ebp_code, &order.ebp_code),
        ("ebcCode", &list.ebc_code, &order.ebc_code),
        ("buyerName", &list.buyer_name, &order.buyer_name),
        (
            "buyerTelephone",
            &list.buyer_telephone,
            &order.buyer_telephone,
        ),
        (
            "consigneeAddress",
            &list.consignee_address,
            &order.consignee_address,
        ),
    ] {
        found.text(a, (LIST, field, l), (ORDER, field, o));
    }
    found.text(
        a,
        (LIST, "buyerIdNumber", &list.buyer_id_number.to_uppercase()),
        (
            ORDER,
            "buyerIdNumber",
            &order.buyer_id_number.to_uppercase(),
        ),
    );
    for (field, l, w) in [
        (
            "logisticsCode",
            &list.logistics_code,
            &waybill.logistics_code,
        ),
        ("logisticsNo", &list.logistics_no, &waybill.logistics_no),
    ] {
        found.text(a, (LIST, field, l), (WAYBILL, field, w));
    }
}

/// The payment and the waybill name the order they belong to.
fn references(found: &mut Found<'_>, p: &Parcel<'_>) {
    let order = &p.order.order_head;
    let payment = &p.payment.payment_head;
    let a = Agreement::References;
    found.text(
        a,
        (PAYMENT, "orderNo", &payment.order_no),
        (ORDER, "orderNo", &order.order_no),
    );
    found.text(
        a,
        (PAYMENT, "ebpCode", &payment.ebp_code),
        (ORDER, "ebpCode", &order.ebp_code),
    );
    found.text(
        a,
        (WAYBILL, "orderNo", &p.waybill.logistics_head.order_no),
        (ORDER, "orderNo", &order.order_no),
    );
}

/// A2: what the buyer paid is what the payment company moved.
fn paid_amount(found: &mut Found<'_>, p: &Parcel<'_>) {
    found.amount(
        Agreement::PaidAmount,
        (ORDER, "acturalPaid", p.order.order_head.actural_paid),
        (PAYMENT, "amountPaid", p.payment.payment_head.amount_paid),
    );
}

/// A5: the order's consignee is the waybill's.
fn consignee(found: &mut Found<'_>, p: &Parcel<'_>) {
    let (order, waybill) = (&p.order.order_head, &p.waybill.logistics_head);
    for (field, o, w) in [
        ("consignee", &order.consignee, &waybill.consignee),
        (
            "consigneeTelephone",
            &order.consignee_telephone,
            &waybill.consignee_telephone,
        ),
        (
            "consigneeAddress",
            &order.consignee_address,
            &waybill.consignee_address,
        ),
    ] {
        found.text(Agreement::Consignee, (ORDER, field, o), (WAYBILL, field, w));
    }
}

/// A8: the list declares the freight and insurance the waybill charged
/// (where the waybill states them; both are optional there).
fn freight(found: &mut Found<'_>, p: &Parcel<'_>) {
    let (list, waybill) = (&p.list.inventory_head, &p.waybill.logistics_head);
    for (field, l, w) in [
        ("freight", list.freight, waybill.freight),
        ("insuredFee", list.insured_fee, waybill.insured_fee),
    ] {
        if let Some(w) = w {
            found.amount(Agreement::Freight, (LIST, field, l), (WAYBILL, field, w));
        }
    }
}

/// A9: the payer is the buyer.
fn buyer_is_payer(found: &mut Found<'_>, p: &Parcel<'_>) {
    let (order, payment) = (&p.order.order_head, &p.payment.payment_head);
    found.text(
        Agreement::BuyerIsPayer,
        (PAYMENT, "payerName", &payment.payer_name),
        (ORDER, "buyerName", &order.buyer_name),
    );
    found.text(
        Agreement::BuyerIsPayer,
        (
            PAYMENT,
            "payerIdNumber",
            &payment.payer_id_number.to_uppercase(),
        ),
        (
            ORDER,
            "buyerIdNumber",
            &order.buyer_id_number.to_uppercase(),
        ),
    );
}

/// A7: every list line is the order line of the same gnum (name, quantity,
/// price, total), and no order line is left out.
fn lines(found: &mut Found<'_>, p: &Parcel<'_>) {
    let a = Agreement::Lines;
    for (index, line) in p.list.inventory_list.iter().enumerate() {
        let at = |field: &str| format!("InventoryList[{}]/{field}", index + 1);
        let Some(ordered) = p.order.order_list.iter().find(|o| o.gnum == line.gnum) else {
            found.text(
                a,
                (LIST, &at("gnum"), &line.gnum.to_string()),
                (ORDER, "OrderList/gnum", ""),
            );
            continue;
        };
        let to = |field: &str| format!("OrderList[gnum={}]/{field}", ordered.gnum);
        found.text(
            a,
            (LIST, &at("gname"), &line.gname),
            (ORDER, &to("itemName"), &ordered.item_name),
        );
        for (field, l, o) in [
            ("qty", line.qty, ordered.qty),
            ("price", line.price, ordered.price),
            ("totalPrice", line.total_price, ordered.total_price),
        ] {
            found.amount(a, (LIST, &at(field), l), (ORDER, &to(field), o));
        }
    }
    for ordered in &p.order.order_list {
        if !p.list.inventory_list.iter().any(|l| l.gnum == ordered.gnum) {
            found.text(
                a,
                (ORDER, "OrderList/gnum", &ordered.gnum.to_string()),
                (LIST, "InventoryList/gnum", ""),
            );
        }
    }
}
