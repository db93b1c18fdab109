//! The checks of a declaration list (申报清单, CEB621) on its own merits,
//! before the match and the limits: the buyer's identity number, the
//! currency, and each goods line against the tariff line of its code (on
//! the positive list, its remark, its legal units).
//!
//! A check either refuses the list (status 100, code [`LIST_CHECK_CODE`])
//! or sends it to an officer (status 300) when the data cannot decide, e.g.
//! a tariff line whose positive-list status no source confirmed.

use kuajing_ceb::model::import::{Inventory, InventoryList};
use kuajing_core::ids::{HsCode, ResidentId};
use kuajing_reference::tariff::TariffLine;
use time::Date;

/// Official code of a refused list: "inventory validation failed [*]"
/// (table 7-2, ceb-messages.md §3.4), the `[*]` being the finding's text.
pub const LIST_CHECK_CODE: i32 = -621001;

/// The renminbi's customs currency code: every import list is in it (A11).
pub const CNY_CUSTOMS_CODE: &str = "142";

/// Trade mode of direct-purchase retail imports (直购进口).
pub const DIRECT_PURCHASE: &str = "9610";
/// Trade mode of bonded retail imports (网购保税进口).
pub const BONDED: &str = "1210";

/// What a finding asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The list is refused.
    Refuse,
    /// An officer decides (manual review).
    Review,
}

/// Which check found something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListRule {
    /// The buyer's resident ID number (GB 11643-1999) is not valid, or its
    /// birth date is after the declaration.
    BuyerIdNumber,
    /// A currency other than CNY (A11).
    Currency,
    /// A goods code that is not in the tariff table in force.
    NotInTariff,
    /// A goods line not on the positive list (正面清单, policy-rules.md §3).
    NotOnPositiveList,
    /// A line whose positive-list status the tariff table does not know.
    PositiveListUnknown,
    /// The positive list's remark restricts the line to the other mode.
    ModeRestricted,
    /// A remark the engine cannot evaluate: an officer reads it.
    RemarkToRead,
    /// A legal unit (法定计量单位) other than the tariff line's.
    LegalUnit,
}

/// One finding, with the field, the value and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Refuse or review.
    pub outcome: Outcome,
    /// The check.
    pub rule: ListRule,
    /// Where (`InventoryHead/buyerIdNumber`, `InventoryList[2]/gcode`).
    pub field: String,
    /// The value found (an ID number masked).
    pub value: String,
    /// In Chinese.
    pub message_zh: String,
    /// In English.
    pub message_en: String,
}

/// The findings on `list`, received by the platform on the China day
/// `received_on` (the day it counts as declared: `crate::declaration_day`),
/// with `tariff` the table in force then (the caller picks the version).
pub fn check_list<'t>(
    list: &Inventory,
    received_on: Date,
    tariff: impl Fn(&HsCode) -> Option<&'t TariffLine>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    buyer_id(list, received_on, &mut findings);
    currency(list, &mut findings);
    for (index, line) in list.inventory_list.iter().enumerate() {
        goods_line(list, index + 1, line, &tariff, &mut findings);
    }
    findings
}

fn finding(
    outcome: Outcome,
    rule: ListRule,
    field: String,
    value: &str,
    message_zh: String,
    message_en: String,
) -> Finding {
    Finding {
        outcome,
        rule,
        field,
        value: value.to_owned(),
        message_zh,
        message_en,
    }
}

/// GB 11643-1999: check character and a real birth date, not after the
/// day the list counts as declared, the day the platform received it
/// (policy-rules.md §4). Only for ID type 1 (resident card).
fn buyer_id(list: &Inventory, received_on: Date, findings: &mut Vec<Finding>) {
    let head = &list.inventory_head;
    if head.buyer_id_type != "1" {
        return;
    }
    let field = "InventoryHead/buyerIdNumber".to_owned();
    match ResidentId::parse(&head.buyer_id_number.to_uppercase()) {
        Err(error) => {
            use kuajing_core::error::Localized;
            findings.push(finding(
                Outcome::Refuse,
                ListRule::BuyerIdNumber,
                field,
                &ResidentId::mask(&head.buyer_id_number),
                format!("订购人身份证件号码无效：{}", error.message_zh()),
                format!("the buyer's ID number is not valid: {}", error.message_en()),
            ));
        }
        Ok(id) => {
            let born = id.expose().get(6..14).unwrap_or_default();
            let declared = crate::declaration_day::compact_day(received_on);
            if born > declared.as_str() {
                findings.push(finding(
                    Outcome::Refuse,
                    ListRule::BuyerIdNumber,
                    field,
                    &id.masked(),
                    format!("订购人身份证件号码中的出生日期 {born} 晚于申报日期 {declared}"),
                    format!(
                        "the birth date {born} in the buyer's ID number is after the declaration ({declared})"
                    ),
                ));
            }
        }
    }
}

/// A11: the head and every line in CNY (142).
fn currency(list: &Inventory, findings: &mut Vec<Finding>) {
    let head = std::iter::once((
        "InventoryHead/currency".to_owned(),
        &list.inventory_head.currency,
    ));
    let lines = list
        .inventory_list
        .iter()
        .enumerate()
        .map(|(i, l)| (format!("InventoryList[{}]/currency", i + 1), &l.currency));
    for (field, value) in head.chain(lines) {
        if value != CNY_CUSTOMS_CODE {
            findings.push(finding(
                Outcome::Refuse,
                ListRule::Currency,
                field,
                value,
                format!("币制应为人民币（142），实为 {value}"),
                format!("the currency must be CNY (142), found {value}"),
            ));
        }
    }
}

/// One line against its tariff line: in the table, on the positive list,
/// allowed in this mode, in the legal units.
fn goods_line<'t>(
    list: &Inventory,
    number: usize,
    line: &InventoryList,
    tariff: &impl Fn(&HsCode) -> Option<&'t TariffLine>,
    findings: &mut Vec<Finding>,
) {
    let at = |field: &str| format!("InventoryList[{number}]/{field}");
    let Some(tariff_line) = tariff_line_of(line, tariff) else {
        findings.push(not_in_tariff(number, line));
        return;
    };
    match tariff_line.positive_list {
        Some(true) => {}
        Some(false) => findings.push(finding(
            Outcome::Refuse,
            ListRule::NotOnPositiveList,
            at("gcode"),
            &line.gcode,
            format!("商品编码 {} 不在跨境电商零售进口商品清单内", line.gcode),
            format!("goods code {} is not on the retail import positive list", line.gcode),
        )),
        None => findings.push(finding(
            Outcome::Review,
            ListRule::PositiveListUnknown,
            at("gcode"),
            &line.gcode,
            format!("商品编码 {} 是否在正面清单内尚未确认，转人工审核", line.gcode),
            format!(
                "whether goods code {} is on the positive list is not confirmed: an officer decides",
                line.gcode
            ),
        )),
    }
    if let Some(remark) = &tariff_line.positive_list_remark {
        remark_check(
            &list.inventory_head.trade_mode,
            remark,
            &at("gcode"),
            findings,
        );
    }
    legal_units(line, tariff_line, &at, findings);
}

/// The tariff line of a goods line's code, if the code parses and the
/// table has it.
pub(crate) fn tariff_line_of<'t>(
    line: &InventoryList,
    tariff: &impl Fn(&HsCode) -> Option<&'t TariffLine>,
) -> Option<&'t TariffLine> {
    HsCode::parse(&line.gcode)
        .ok()
        .and_then(|code| tariff(&code))
}

/// The refusal of line `number`, whose code is not in the tariff in force.
pub(crate) fn not_in_tariff(number: usize, line: &InventoryList) -> Finding {
    finding(
        Outcome::Refuse,
        ListRule::NotInTariff,
        format!("InventoryList[{number}]/gcode"),
        &line.gcode,
        format!("商品编码 {} 不在现行税则中", line.gcode),
        format!("goods code {} is not in the tariff in force", line.gcode),
    )
}

/// The kinds of remark the engine evaluates (policy-rules.md §3.3): a mode
/// restriction. Any other remark (names, per-person quantities, exclusions)
/// goes to an officer with its text.
fn remark_check(trade_mode: &str, remark: &str, field: &str, findings: &mut Vec<Finding>) {
    let only = if remark.contains("限直购") {
        Some(DIRECT_PURCHASE)
    } else if remark.contains("限网购保税") {
        Some(BONDED)
    } else {
        None
    };
    match only {
        Some(mode) if mode == trade_mode => {}
        Some(mode) => findings.push(finding(
            Outcome::Refuse,
            ListRule::ModeRestricted,
            field.to_owned(),
            trade_mode,
            format!("正面清单备注“{remark}”：仅限监管方式 {mode}，本清单为 {trade_mode}"),
            format!(
                "positive-list remark '{remark}': only trade mode {mode}, this list is {trade_mode}"
            ),
        )),
        None => findings.push(finding(
            Outcome::Review,
            ListRule::RemarkToRead,
            field.to_owned(),
            remark,
            format!("正面清单备注“{remark}”需人工核对"),
            format!("positive-list remark '{remark}' is for an officer to check"),
        )),
    }
}

/// The line's first legal unit is the tariff's, and a second legal unit
/// is declared (with its quantity) exactly when the tariff has one.
fn legal_units(
    line: &InventoryList,
    tariff: &TariffLine,
    at: &impl Fn(&str) -> String,
    findings: &mut Vec<Finding>,
) {
    let mut unit = |field: &str, found: &str, expected: &str| {
        if found != expected {
            findings.push(finding(
                Outcome::Refuse,
                ListRule::LegalUnit,
                at(field),
                found,
                format!("法定计量单位应为 {expected}，实为“{found}”"),
                format!("the legal unit must be {expected}, found '{found}'"),
            ));
        }
    };
    unit("unit1", &line.unit1, &tariff.unit1);
    let declared_second = line.unit2.as_deref().filter(|_| line.qty2.is_some());
    match (&tariff.unit2, declared_second) {
        (Some(expected), found) => unit("unit2", found.unwrap_or(""), expected),
        (None, Some(found)) => findings.push(finding(
            Outcome::Refuse,
            ListRule::LegalUnit,
            at("unit2"),
            found,
            format!("该商品编码无第二法定计量单位，却申报了“{found}”"),
            format!("this goods code has no second legal unit, yet '{found}' is declared"),
        )),
        (None, None) => {}
    }
}
