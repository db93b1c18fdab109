//! The rules of an export list (出口清单, CEB603; issue #7): what each
//! export mode needs before the list can be decided, and the checks that
//! release it (清单核放) or refuse it. Pure functions: the caller finds the
//! documents, the code tables and whether the exporter has a filed
//! overseas warehouse.
//!
//! The modes (policy-rules.md §2.1, §2.3):
//! - 9610 retail export (跨境电商零售出口): the order (CEB303, `orderType`
//!   E), the waybill (CEB505) and, where the settings require it (the
//!   default), the receipt of payment (CEB403) — "order, receipt of
//!   payment, waybill before declaration" [V] S3.
//! - 9710 B2B direct export (跨境电商B2B直接出口): the B2B order
//!   (`orderType` B), the "electronic transaction data" of GACC 2020 No. 75.
//! - 9810 export to an overseas warehouse (跨境电商出口海外仓): the booking
//!   (`orderType` W), and the exporter must have filed the overseas
//!   warehouse with customs (GACC 2020 No. 75): an approved warehouse in
//!   the list's country of arrival.
//!
//! Exports carry no tax bill and no quota: a list that passes is released.

use kuajing_ceb::model::export::{Inventory, Logistics, Order, Receipts};
use rust_decimal::Decimal;

use crate::decision::Reason;

/// The official code of a refused export list: the export edition's table
/// 7-2 has no codes of its own for CEB603, and lists "inventory
/// validation failed [*]" (-621001) under its caption "出口统一版业务报文
/// 错误信息" (ceb-messages.md §3.4).
pub const EXPORT_LIST_CODE: i32 = -621001;

/// How exports are checked: every point the sources leave open, with its
/// documented default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportSettings {
    /// Whether a 9610 list waits for the receipt of payment (CEB403) as
    /// well as the order and waybill. Default true: policy-rules.md §2.3
    /// "Data: order, receipt of payment, waybill before declaration" [V].
    pub collection_required: bool,
    /// Whether lists may carry the simplified goods codes pilot zones
    /// allow: 4 digits for 9610, 6 for 9710 and 9810 (policy-rules.md §2.3
    /// and §8, [S] S21 — "verify"). Default true (Hunchun is a pilot zone);
    /// off, every code has the 10 digits of the XSD.
    pub simplified_codes: bool,
}

impl Default for ExportSettings {
    fn default() -> Self {
        ExportSettings {
            collection_required: true,
            simplified_codes: true,
        }
    }
}

/// An export mode (监管方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportMode {
    /// 9610 retail export.
    Retail,
    /// 9710 B2B direct export.
    B2b,
    /// 9810 export to an overseas warehouse.
    OverseasWarehouse,
}

impl ExportMode {
    /// The mode of a list's `tradeMode`, if it is an export mode this
    /// flow takes.
    pub fn of(trade_mode: &str) -> Option<ExportMode> {
        match trade_mode {
            "9610" => Some(ExportMode::Retail),
            "9710" => Some(ExportMode::B2b),
            "9810" => Some(ExportMode::OverseasWarehouse),
            _ => None,
        }
    }

    /// The `orderType` of the order the mode needs: E (retail), B (B2B),
    /// W (overseas-warehouse booking).
    pub fn order_type(self) -> &'static str {
        match self {
            ExportMode::Retail => "E",
            ExportMode::B2b => "B",
            ExportMode::OverseasWarehouse => "W",
        }
    }

    /// The digits a simplified goods code of the mode has (4 for 9610, 6
    /// for 9710/9810).
    pub fn simplified_digits(self) -> usize {
        match self {
            ExportMode::Retail => 4,
            ExportMode::B2b | ExportMode::OverseasWarehouse => 6,
        }
    }
}

/// What a list waits for before it is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// The order (or booking).
    pub order: bool,
    /// The receipt of payment.
    pub collection: bool,
    /// The waybill.
    pub waybill: bool,
}

/// What a list of `mode` needs under `settings` (the module's rules).
pub fn needs(mode: ExportMode, settings: &ExportSettings) -> Needs {
    match mode {
        ExportMode::Retail => Needs {
            order: true,
            collection: settings.collection_required,
            waybill: true,
        },
        ExportMode::B2b | ExportMode::OverseasWarehouse => Needs {
            order: true,
            collection: false,
            waybill: false,
        },
    }
}

/// A list with the documents found for it.
#[derive(Debug, Clone, Copy)]
pub struct Shipment<'a> {
    /// The list.
    pub list: &'a Inventory,
    /// Its order or booking, if in.
    pub order: Option<&'a Order>,
    /// Its receipt of payment, if in.
    pub collection: Option<&'a Receipts>,
    /// Its waybill, if in.
    pub waybill: Option<&'a Logistics>,
}

/// Which codes the reference tables know (country, currency, unit).
pub trait CodeTables {
    /// A customs country (region) code.
    fn country(&self, code: &str) -> bool;
    /// A customs currency code.
    fn currency(&self, code: &str) -> bool;
    /// A measurement-unit code.
    fn unit(&self, code: &str) -> bool;
}

/// Every reason to refuse `shipment`, empty when it may be released.
/// `warehouse_filed`: whether the exporter has an approved overseas
/// warehouse in the list's country of arrival (9810 only).
pub fn check(
    shipment: &Shipment<'_>,
    settings: &ExportSettings,
    codes: &dyn CodeTables,
    warehouse_filed: bool,
) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let head = &shipment.list.inventory_head;
    if head.ie_flag != "E" {
        reasons.push(refusal(
            "InventoryHead/ieFlag",
            &head.ie_flag,
            "出口清单的进出口标志应为 E",
            "an export list's ieFlag is E",
        ));
    }
    let Some(mode) = ExportMode::of(&head.trade_mode) else {
        reasons.push(refusal(
            "InventoryHead/tradeMode",
            &head.trade_mode,
            "出口清单的监管方式应为 9610、9710 或 9810",
            "an export list's tradeMode is 9610, 9710 or 9810",
        ));
        return reasons;
    };
    code_fields(shipment.list, codes, &mut reasons);
    goods_codes(shipment.list, mode, settings, &mut reasons);
    if let Some(order) = shipment.order {
        against_order(shipment.list, order, mode, &mut reasons);
        if let Some(collection) = shipment.collection {
            against_collection(order, collection, &mut reasons);
        }
    }
    if mode == ExportMode::OverseasWarehouse && !warehouse_filed {
        reasons.push(refusal(
            "InventoryHead/country",
            &head.country,
            "9810 出口海外仓须有在海关备案（已核准）的、位于运抵国的海外仓",
            "a 9810 export needs an overseas warehouse in the country of arrival filed with (approved by) customs",
        ));
    }
    reasons
}

/// A refusal naming the field, its value and the rule.
fn refusal(field: &str, value: &str, rule_zh: &str, rule_en: &str) -> Reason {
    Reason {
        code: EXPORT_LIST_CODE,
        message_zh: format!("{field}「{value}」：{rule_zh}"),
        message_en: format!("{field} '{value}': {rule_en}"),
    }
}

/// Country, currency and unit codes against the reference tables.
fn code_fields(list: &Inventory, codes: &dyn CodeTables, reasons: &mut Vec<Reason>) {
    let head = &list.inventory_head;
    if !codes.country(&head.country) {
        reasons.push(unknown(
            "InventoryHead/country",
            &head.country,
            "国别(地区)",
            "country",
        ));
    }
    for (field, value) in [
        ("InventoryHead/fCurrency", &head.f_currency),
        ("InventoryHead/iCurrency", &head.i_currency),
    ] {
        if !codes.currency(value) {
            reasons.push(unknown(field, value, "币制", "currency"));
        }
    }
    for (index, line) in list.inventory_list.iter().enumerate() {
        let at = |name: &str| format!("InventoryList[{}]/{name}", index + 1);
        if !codes.country(&line.country) {
            reasons.push(unknown(
                &at("country"),
                &line.country,
                "国别(地区)",
                "country",
            ));
        }
        if !codes.currency(&line.currency) {
            reasons.push(unknown(&at("currency"), &line.currency, "币制", "currency"));
        }
        let units = [
            ("unit", Some(&line.unit)),
            ("unit1", Some(&line.unit1)),
            ("unit2", line.unit2.as_ref().filter(|u| !u.is_empty())),
        ];
        for (name, unit) in units {
            if let Some(unit) = unit
                && !codes.unit(unit)
            {
                reasons.push(unknown(&at(name), unit, "计量单位", "unit"));
            }
        }
    }
}

fn unknown(field: &str, value: &str, table_zh: &str, table_en: &str) -> Reason {
    refusal(
        field,
        value,
        &format!("不是海关{table_zh}代码表中的代码"),
        &format!("not a code of the customs {table_en} table"),
    )
}

/// Each line's goods code: the XSD's 10 digits, or where the settings
/// allow, the mode's simplified 4 (9610) or 6 (9710/9810) digits.
fn goods_codes(
    list: &Inventory,
    mode: ExportMode,
    settings: &ExportSettings,
    reasons: &mut Vec<Reason>,
) {
    for (index, line) in list.inventory_list.iter().enumerate() {
        if !goods_code_allowed(&line.gcode, mode, settings) {
            let simplified = mode.simplified_digits();
            let (zh, en) = if settings.simplified_codes {
                (
                    format!("商品编码应为 10 位数字，或本模式的 {simplified} 位简化编码"),
                    format!("a goods code has 10 digits, or the mode's simplified {simplified}"),
                )
            } else {
                (
                    "商品编码应为 10 位数字（本区未启用简化编码）".to_owned(),
                    "a goods code has 10 digits (simplified codes are not enabled)".to_owned(),
                )
            };
            reasons.push(refusal(
                &format!("InventoryList[{}]/gcode", index + 1),
                &line.gcode,
                &zh,
                &en,
            ));
        }
    }
}

/// Whether `gcode` is an acceptable goods code for a list of `mode`.
pub fn goods_code_allowed(gcode: &str, mode: ExportMode, settings: &ExportSettings) -> bool {
    let digits = gcode.chars().all(|c| c.is_ascii_digit());
    let length = gcode.len();
    digits && (length == 10 || (settings.simplified_codes && length == mode.simplified_digits()))
}

/// The list against its order: the order type the mode needs, the
/// currency, each line (gnum, itemNo, quantity, total) and the goods value
/// (the export side of ceb-messages.md §3.2 A4, A7).
fn against_order(list: &Inventory, order: &Order, mode: ExportMode, reasons: &mut Vec<Reason>) {
    let head = &order.order_head;
    if head.order_type != mode.order_type() {
        reasons.push(refusal(
            "OrderHead/orderType",
            &head.order_type,
            &format!(
                "监管方式 {} 须有类型为 {} 的订单",
                list.inventory_head.trade_mode,
                mode.order_type()
            ),
            &format!(
                "tradeMode {} needs an order of type {}",
                list.inventory_head.trade_mode,
                mode.order_type()
            ),
        ));
    }
    let mut total = Decimal::ZERO;
    for (index, line) in list.inventory_list.iter().enumerate() {
        let at = |name: &str| format!("InventoryList[{}]/{name}", index + 1);
        total += line.total_price;
        if line.currency != head.currency {
            reasons.push(refusal(
                &at("currency"),
                &line.currency,
                &format!("与订单币制 {} 不一致", head.currency),
                &format!("differs from the order's currency {}", head.currency),
            ));
        }
        let Some(ordered) = order.order_list.iter().find(|o| o.gnum == line.gnum) else {
            reasons.push(refusal(
                &at("gnum"),
                &line.gnum.to_string(),
                "订单中没有此序号的商品",
                "the order has no line of this number",
            ));
            continue;
        };
        if ordered.item_no != line.item_no {
            reasons.push(refusal(
                &at("itemNo"),
                &line.item_no,
                &format!("与订单商品货号 {} 不一致", ordered.item_no),
                &format!("differs from the order line's itemNo {}", ordered.item_no),
            ));
        }
        if ordered.qty != line.qty {
            reasons.push(refusal(
                &at("qty"),
                &line.qty.to_string(),
                &format!("与订单数量 {} 不一致", ordered.qty),
                &format!("differs from the order line's qty {}", ordered.qty),
            ));
        }
        if ordered.total_price != line.total_price {
            reasons.push(refusal(
                &at("totalPrice"),
                &line.total_price.to_string(),
                &format!("与订单总价 {} 不一致", ordered.total_price),
                &format!(
                    "differs from the order line's totalPrice {}",
                    ordered.total_price
                ),
            ));
        }
    }
    if total != head.goods_value {
        reasons.push(refusal(
            "OrderHead/goodsValue",
            &head.goods_value.to_string(),
            &format!("与清单商品总价合计 {total} 不一致"),
            &format!("differs from the list lines' total {total}"),
        ));
    }
}

/// The receipt of payment against the order: the same currency, and the
/// amount collected the goods value, or the goods value and the freight
/// (the buyer may pay the freight to the seller or to the carrier; the
/// sources say only "the amount collected": an inference, [I]).
fn against_collection(order: &Order, collection: &Receipts, reasons: &mut Vec<Reason>) {
    let head = &order.order_head;
    if collection.currency != head.currency {
        reasons.push(refusal(
            "Receipts/currency",
            &collection.currency,
            &format!("与订单币制 {} 不一致", head.currency),
            &format!("differs from the order's currency {}", head.currency),
        ));
    }
    let with_freight = head.goods_value + head.freight;
    if collection.charge != head.goods_value && collection.charge != with_freight {
        reasons.push(refusal(
            "Receipts/charge",
            &collection.charge.to_string(),
            &format!("收款金额应为订单货值 {} 或货值加运费 {with_freight}", head.goods_value),
            &format!(
                "the amount collected is the order's goods value {} or that and the freight {with_freight}",
                head.goods_value
            ),
        ));
    }
}
