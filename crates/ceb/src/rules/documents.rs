//! Rules of each document as a whole (ceb-messages.md §2.5, §3.2): the
//! arithmetic of orders and lists, line numbers, and the fields a trade
//! mode requires or forbids.

use rust_decimal::{Decimal, RoundingStrategy};

use super::options::Options;
use crate::issue::{Issue, Path, Rule};
use crate::model::{Message, export, import};

/// Line totals: `totalPrice = price × qty` (A3).
const LINE_TOTAL: &str = "totalPrice = price × qty";
/// Amount paid: `acturalPaid = goodsValue + freight + taxTotal − discount`
/// (A1; the element name's spelling is official).
const ACTUAL_PAID: &str = "acturalPaid = goodsValue + freight + taxTotal − discount";

/// What the line checks need of a goods line (order or list).
struct GoodsLine {
    gnum: i64,
    price: Decimal,
    qty: Decimal,
    total: Decimal,
    /// For lists: whether `qty2` and `unit2` are declared.
    second_unit: Option<(bool, bool)>,
}

/// The checks of one document, collecting issues.
pub struct DocumentRules<'a> {
    options: &'a Options,
    issues: &'a mut Vec<Issue>,
}

impl<'a> DocumentRules<'a> {
    /// Rules with `options` (tolerance), adding to `issues`.
    pub fn new(options: &'a Options, issues: &'a mut Vec<Issue>) -> Self {
        DocumentRules { options, issues }
    }

    /// Checks `message`.
    pub fn check(&mut self, message: &Message) {
        let root = Path::root(message.message_type().root_name());
        match message {
            Message::Ceb311(m) => {
                for (i, order) in m.order.iter().enumerate() {
                    self.import_order(order, &root.nth("Order", i + 1));
                }
            }
            Message::Ceb621(m) => {
                for (i, inventory) in m.inventory.iter().enumerate() {
                    self.import_inventory(inventory, &root.nth("Inventory", i + 1));
                }
            }
            Message::Ceb711(m) => {
                let delivery = root.child("Delivery");
                let gnums = m.delivery.delivery_list.iter().map(|l| l.gnum);
                self.sequence(&delivery, "DeliveryList", gnums);
            }
            Message::Ceb816(m) => {
                for (i, tax) in m.tax.iter().enumerate() {
                    self.tax_bill(tax, &root.nth("Tax", i + 1));
                }
            }
            Message::Ceb303(m) => {
                for (i, order) in m.order.iter().enumerate() {
                    self.export_order(order, &root.nth("Order", i + 1));
                }
            }
            Message::Ceb603(m) => {
                for (i, inventory) in m.inventory.iter().enumerate() {
                    self.export_inventory(inventory, &root.nth("Inventory", i + 1));
                }
            }
            Message::Ceb507(m) => {
                for (i, arrival) in m.arrival.iter().enumerate() {
                    let head = &arrival.arrival_head;
                    let path = root.nth("Arrival", i + 1);
                    self.batch(&path.child("ArrivalHead"), head.msg_count, head.msg_seq_no);
                }
            }
            Message::Ceb509(m) => {
                for (i, departure) in m.departure.iter().enumerate() {
                    let head = &departure.departure_head;
                    let path = root.nth("Departure", i + 1);
                    self.batch(
                        &path.child("DepartureHead"),
                        head.msg_count,
                        head.msg_seq_no,
                    );
                }
            }
            Message::Ceb607(m) => {
                for (i, way_bill) in m.way_bill.iter().enumerate() {
                    let head = &way_bill.way_bill_head;
                    let path = root.nth("WayBill", i + 1);
                    self.batch(&path.child("WayBillHead"), head.msg_count, head.msg_seq_no);
                    let gnums = way_bill.way_bill_list.iter().map(|l| l.gnum);
                    self.sequence(&path, "WayBillList", gnums);
                }
            }
            Message::Ceb701(m) => {
                for (i, apply) in m.summary_apply.iter().enumerate() {
                    let head = &apply.summary_apply_head;
                    let path = root.nth("SummaryApply", i + 1);
                    self.batch(
                        &path.child("SummaryApplyHead"),
                        head.msg_count,
                        head.msg_seq_no,
                    );
                }
            }
            _ => {}
        }
    }

    fn import_order(&mut self, order: &import::Order, path: &Path<'_>) {
        let lines = order.order_list.iter().map(|l| GoodsLine {
            gnum: l.gnum,
            price: l.price,
            qty: l.qty,
            total: l.total_price,
            second_unit: None,
        });
        self.goods_lines(path, "OrderList", lines);
        let head = &order.order_head;
        let paid = head.goods_value + head.freight + head.tax_total - head.discount;
        self.amount(
            &path.child("OrderHead"),
            "acturalPaid",
            head.actural_paid,
            paid,
            ACTUAL_PAID,
        );
    }

    fn import_inventory(&mut self, inventory: &import::Inventory, path: &Path<'_>) {
        let head = &inventory.inventory_head;
        let head_path = path.child("InventoryHead");
        match head.trade_mode.as_str() {
            // 9610 direct purchase: the cross-border conveyance is declared
            // (ceb-messages.md §2.5).
            "9610" => {
                let when = "tradeMode is 9610 (直购进口)";
                self.required(&head_path, "trafNo", head.traf_no.as_deref(), when);
                self.required(&head_path, "voyageNo", head.voyage_no.as_deref(), when);
                self.required(&head_path, "billNo", head.bill_no.as_deref(), when);
            }
            // 1210 bonded: the account book, the zone warehouse and the
            // item record numbers; the country is China (142).
            "1210" => {
                let when = "tradeMode is 1210 (网购保税进口)";
                self.required(&head_path, "emsNo", head.ems_no.as_deref(), when);
                self.required(&head_path, "areaCode", head.area_code.as_deref(), when);
                self.required(&head_path, "areaName", head.area_name.as_deref(), when);
                if head.country != "142" {
                    self.issues.push(Issue::new(
                        &head_path.child("country"),
                        Rule::Code {
                            list: "country 起运国 (1210: China)",
                            allowed: &["142"],
                        },
                        Some(&head.country),
                    ));
                }
                for (i, line) in inventory.inventory_list.iter().enumerate() {
                    let here = path.nth("InventoryList", i + 1);
                    self.required(&here, "itemRecordNo", line.item_record_no.as_deref(), when);
                }
            }
            _ => {}
        }
        let lines = inventory.inventory_list.iter().map(|l| GoodsLine {
            gnum: l.gnum,
            price: l.price,
            qty: l.qty,
            total: l.total_price,
            second_unit: Some((l.qty2.is_some(), l.unit2.is_some())),
        });
        self.goods_lines(path, "InventoryList", lines);
    }

    fn tax_bill(&mut self, tax: &import::Tax816, path: &Path<'_>) {
        let head = &tax.tax_head_rd;
        let head_path = path.child("TaxHeadRd");
        let lines = &tax.tax_list_rd;
        let sums = [
            (
                "customsTax",
                head.customs_tax,
                lines.iter().map(|l| l.customs_tax).sum::<Decimal>(),
                "customsTax = Σ TaxListRd/customsTax",
            ),
            (
                "valueAddedTax",
                head.value_added_tax,
                lines.iter().map(|l| l.value_added_tax).sum(),
                "valueAddedTax = Σ TaxListRd/valueAddedTax",
            ),
            (
                "consumptionTax",
                head.consumption_tax,
                lines.iter().map(|l| l.consumption_tax).sum(),
                "consumptionTax = Σ TaxListRd/consumptionTax",
            ),
        ];
        for (name, declared, sum, formula) in sums {
            self.amount(&head_path, name, declared, sum, formula);
        }
        self.sequence(path, "TaxListRd", lines.iter().map(|l| l.gnum));
    }

    fn export_order(&mut self, order: &export::Order, path: &Path<'_>) {
        let lines = order.order_list.iter().map(|l| GoodsLine {
            gnum: l.gnum,
            price: l.price,
            qty: l.qty,
            total: l.total_price,
            second_unit: None,
        });
        self.goods_lines(path, "OrderList", lines);
    }

    fn export_inventory(&mut self, inventory: &export::Inventory, path: &Path<'_>) {
        let lines = inventory.inventory_list.iter().map(|l| GoodsLine {
            gnum: l.gnum,
            price: l.price,
            qty: l.qty,
            total: l.total_price,
            second_unit: Some((l.qty2.is_some(), l.unit2.is_some())),
        });
        self.goods_lines(path, "InventoryList", lines);
    }

    /// The goods lines of an order or list: each line's total, its second
    /// quantity and unit together, and line numbers 1, 2, 3 ….
    fn goods_lines(
        &mut self,
        path: &Path<'_>,
        name: &'static str,
        lines: impl Iterator<Item = GoodsLine>,
    ) {
        let mut gnums = Vec::new();
        for (i, line) in lines.enumerate() {
            let here = path.nth(name, i + 1);
            self.line_total(&here, line.price, line.qty, line.total);
            if let Some((has_qty2, has_unit2)) = line.second_unit {
                self.pair(&here, "qty2", has_qty2, "unit2", has_unit2);
            }
            gnums.push(line.gnum);
        }
        self.sequence(path, name, gnums.into_iter());
    }

    /// `totalPrice = price × qty`, the product rounded to the precision the
    /// declared total is written with (half away from zero), then compared
    /// within the tolerance (A3, A13).
    fn line_total(&mut self, path: &Path<'_>, price: Decimal, qty: Decimal, total: Decimal) {
        let Some(product) = price.checked_mul(qty) else {
            return;
        };
        self.amount(path, "totalPrice", total, product, LINE_TOTAL);
    }

    fn amount(
        &mut self,
        path: &Path<'_>,
        name: &'static str,
        declared: Decimal,
        computed: Decimal,
        formula: &'static str,
    ) {
        let expected = computed
            .round_dp_with_strategy(declared.scale(), RoundingStrategy::MidpointAwayFromZero);
        if (declared - expected).abs() > self.options.tolerance {
            self.issues.push(Issue::new(
                &path.child(name),
                Rule::Arithmetic {
                    formula,
                    expected: expected.to_string(),
                },
                Some(&declared.to_string()),
            ));
        }
    }

    /// Line numbers 1, 2, 3 … in order (ceb-messages.md §2.4: `gnum` from 1,
    /// contiguous).
    fn sequence(&mut self, path: &Path<'_>, name: &'static str, gnums: impl Iterator<Item = i64>) {
        for (i, gnum) in gnums.enumerate() {
            let expected = i64::try_from(i + 1).unwrap_or(i64::MAX);
            if gnum != expected {
                let here = path.nth(name, i + 1);
                self.issues.push(Issue::new(
                    &here.child("gnum"),
                    Rule::Sequence,
                    Some(&gnum.to_string()),
                ));
                return;
            }
        }
    }

    fn required(
        &mut self,
        path: &Path<'_>,
        name: &'static str,
        value: Option<&str>,
        when: &'static str,
    ) {
        if value.is_none_or(|v| v.trim().is_empty()) {
            self.issues.push(Issue::new(
                &path.child(name),
                Rule::Required { when },
                value,
            ));
        }
    }

    /// A second quantity and its unit come together.
    fn pair(
        &mut self,
        path: &Path<'_>,
        first: &'static str,
        has_first: bool,
        second: &'static str,
        has_second: bool,
    ) {
        if has_first != has_second {
            let (missing, when) = if has_first {
                (second, "qty2 is declared")
            } else {
                (first, "unit2 is declared")
            };
            self.issues.push(Issue::new(
                &path.child(missing),
                Rule::Required { when },
                None,
            ));
        }
    }

    /// `msgSeqNo` of `msgCount` parts: 1 ≤ msgSeqNo ≤ msgCount.
    fn batch(&mut self, path: &Path<'_>, count: i64, sequence: i64) {
        if sequence > count {
            self.issues.push(Issue::new(
                &path.child("msgSeqNo"),
                Rule::Mismatch {
                    other: "msgCount (msgSeqNo ≤ msgCount)".to_owned(),
                    other_value: count.to_string(),
                },
                Some(&sequence.to_string()),
            ));
        }
    }
}
