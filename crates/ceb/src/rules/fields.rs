//! Rules that follow a field wherever it appears: the code lists and
//! formats the XSD leaves to business logic (ceb-messages.md §2.1, §2.3).
//! One table, keyed by the specification's element name, so that
//! `appType` is checked the same way in all 23 declarations.

use rust_decimal::Decimal;

use super::dates;
use crate::entity::{FieldValue, Visitor};
use crate::issue::{Issue, Path, Rule};
use crate::model::{Direction, MessageType, Role};

/// Kept here too, where the other field rules are looked for.
pub use crate::model::guid_key;

/// `appType` (企业报送类型): 1 new, 2 change, 3 delete.
pub const APP_TYPE: &[&str] = &["1", "2", "3"];
/// `appType` of a cancellation (CEB623, CEB605): new only.
pub const APP_TYPE_NEW_ONLY: &[&str] = &["1"];
/// `appStatus` (业务状态): 1 draft (暂存), 2 declare (申报).
pub const APP_STATUS: &[&str] = &["1", "2"];
/// Currency of every import amount: 142, CNY (ceb-messages.md §2.3).
pub const IMPORT_CURRENCY: &[&str] = &["142"];
/// `buyerIdType`/`payerIdType` on import: 1, resident identity card.
pub const IMPORT_ID_TYPE: &[&str] = &["1"];
/// `ieFlag` of an import message.
pub const IE_IMPORT: &[&str] = &["I"];
/// `ieFlag` of an export message.
pub const IE_EXPORT: &[&str] = &["E"];
/// `orderType` of an import order.
pub const ORDER_TYPE_IMPORT: &[&str] = &["I"];
/// `orderType` of an export order: E B2C, B B2B, W overseas-warehouse booking.
pub const ORDER_TYPE_EXPORT: &[&str] = &["E", "B", "W"];
/// Import `tradeMode` (监管方式): 9610 direct purchase, 1210 bonded, 1239
/// bonded "A" (used in some pilot cities).
pub const TRADE_MODE_IMPORT: &[&str] = &["9610", "1210", "1239"];
/// Export `tradeMode`: 9610 retail, 9710 B2B direct, 9810 overseas
/// warehouse, 1210 bonded.
pub const TRADE_MODE_EXPORT: &[&str] = &["9610", "9710", "9810", "1210"];
/// `logisticsStatus` (CEB513): S, signed for.
pub const LOGISTICS_STATUS: &[&str] = &["S"];
/// `status` of a tax bill (CEB816/818): 1 generated, 2 summarised, 3 void.
pub const TAX_STATUS: &[&str] = &["1", "2", "3"];
/// Export `statisticsFlag`: A simplified, B summary declaration.
pub const STATISTICS_FLAG: &[&str] = &["A", "B"];
/// Export `fFlag`/`iFlag`: 1 rate, 2 unit price, 3 total.
pub const FEE_FLAG: &[&str] = &["1", "2", "3"];
/// Export `summaryFlag`: 1 by consignor, 2 by consignor and producer/seller.
pub const SUMMARY_FLAG: &[&str] = &["1", "2"];
/// `BaseSubscribe/status`: data and receipts, data, receipts.
pub const SUBSCRIBE_STATUS: &[&str] = &["ALL", "DATA", "RET"];
/// `dxpMode`: the China E-Port data exchange platform.
pub const DXP_MODE: &[&str] = &["DXP"];
/// `packNo` of an import parcel: one parcel per waybill.
pub const IMPORT_PACK_NO: i64 = 1;

/// Walks a message applying the field table.
pub struct FieldRules<'i> {
    message_type: MessageType,
    issues: &'i mut Vec<Issue>,
}

impl<'i> FieldRules<'i> {
    /// Rules for a message of `message_type`, adding to `issues`.
    pub fn new(message_type: MessageType, issues: &'i mut Vec<Issue>) -> Self {
        FieldRules {
            message_type,
            issues,
        }
    }

    fn import(&self) -> bool {
        self.message_type.direction() == Direction::Import
    }

    fn code(
        &mut self,
        path: &Path<'_>,
        name: &'static str,
        value: &str,
        list: &'static str,
        allowed: &'static [&'static str],
    ) {
        if !allowed.contains(&value) {
            self.issues.push(Issue::new(
                &path.child(name),
                Rule::Code { list, allowed },
                Some(value),
            ));
        }
    }

    fn format(
        &mut self,
        path: &Path<'_>,
        name: &'static str,
        value: &str,
        ok: bool,
        format: &'static str,
    ) {
        if !ok {
            self.issues.push(Issue::new(
                &path.child(name),
                Rule::Format { format },
                Some(value),
            ));
        }
    }

    fn text(&mut self, path: &Path<'_>, name: &'static str, value: &str) {
        if self.message_type.role() == Role::Receipt {
            self.receipt_text(path, name, value);
            return;
        }
        let import = self.import();
        match name {
            "appType" => {
                let allowed =
                    if matches!(self.message_type, MessageType::Ceb623 | MessageType::Ceb605) {
                        APP_TYPE_NEW_ONLY
                    } else {
                        APP_TYPE
                    };
                self.code(path, name, value, "appType 企业报送类型", allowed);
            }
            "appStatus" => self.code(path, name, value, "appStatus 业务状态", APP_STATUS),
            "appTime" | "payTime" | "logisticsTime" | "accountingDate" | "startTime"
            | "endTime" => {
                self.format(
                    path,
                    name,
                    value,
                    dates::valid_date_time(value),
                    "a time as yyyyMMddHHmmss",
                );
            }
            "declTime" | "ieDate" => {
                self.format(
                    path,
                    name,
                    value,
                    dates::valid_date(value),
                    "a date as yyyyMMdd",
                );
            }
            "currency" | "fCurrency" | "iCurrency" if import => {
                self.code(
                    path,
                    name,
                    value,
                    "currency 币制 (import: CNY)",
                    IMPORT_CURRENCY,
                );
            }
            "currency" | "fCurrency" | "iCurrency" => {
                self.format(
                    path,
                    name,
                    value,
                    digits(value, 3),
                    "a 3-digit customs currency code",
                );
            }
            "buyerIdType" | "payerIdType" if import => {
                self.code(
                    path,
                    name,
                    value,
                    "id type 证件类型 (import: identity card)",
                    IMPORT_ID_TYPE,
                );
            }
            "ieFlag" => {
                // An export return (出口退货, CEB213/215) brings goods back
                // in: "出口退货填写I" (export XSD).
                let inbound = import
                    || matches!(self.message_type, MessageType::Ceb213 | MessageType::Ceb215);
                let (list, allowed) = if inbound {
                    ("ieFlag 进出口标记 (inbound)", IE_IMPORT)
                } else {
                    ("ieFlag 进出口标记 (export)", IE_EXPORT)
                };
                self.code(path, name, value, list, allowed);
            }
            "orderType" => {
                let allowed = if import {
                    ORDER_TYPE_IMPORT
                } else {
                    ORDER_TYPE_EXPORT
                };
                self.code(path, name, value, "orderType 订单类型", allowed);
            }
            "tradeMode" => {
                let allowed = if import {
                    TRADE_MODE_IMPORT
                } else {
                    TRADE_MODE_EXPORT
                };
                self.code(path, name, value, "tradeMode 贸易方式", allowed);
            }
            "logisticsStatus" => self.code(
                path,
                name,
                value,
                "logisticsStatus 物流签收状态",
                LOGISTICS_STATUS,
            ),
            "status" if path_ends(path, "BaseSubscribe") => {
                self.code(path, name, value, "BaseSubscribe status", SUBSCRIBE_STATUS);
            }
            "dxpMode" => self.code(path, name, value, "dxpMode", DXP_MODE),
            "statisticsFlag" => self.code(
                path,
                name,
                value,
                "statisticsFlag 申报业务类型",
                STATISTICS_FLAG,
            ),
            "fFlag" | "iFlag" => self.code(path, name, value, "fFlag/iFlag 运费保费标志", FEE_FLAG),
            "summaryFlag" => self.code(path, name, value, "summaryFlag 汇总标志", SUMMARY_FLAG),
            "gcode" => self.format(path, name, value, digits(value, 10), "a 10-digit HS code"),
            "unit" | "unit1" | "unit2" => {
                self.format(
                    path,
                    name,
                    value,
                    digits(value, 3),
                    "a 3-digit customs unit code (JGS-20)",
                );
            }
            "country" | "tradeCountry" => {
                self.format(
                    path,
                    name,
                    value,
                    digits(value, 3),
                    "a 3-digit customs country code (JGS-20)",
                );
            }
            "customsCode" | "portCode" => {
                self.format(
                    path,
                    name,
                    value,
                    digits(value, 4),
                    "a 4-digit customs district code",
                );
            }
            "consigneeDistrict" => {
                self.format(
                    path,
                    name,
                    value,
                    digits(value, 6),
                    "a 6-digit administrative division code",
                );
            }
            "guid" => {
                self.format(
                    path,
                    name,
                    value,
                    is_guid(value),
                    "36 characters: letters (upper case by the specification), digits, - or _",
                );
            }
            _ => {}
        }
    }

    /// Receipts are written by customs: only their times, status codes and
    /// tax-bill states are checked (the official receipt samples echo
    /// declarations' values as they were).
    fn receipt_text(&mut self, path: &Path<'_>, name: &'static str, value: &str) {
        match name {
            "returnTime" => {
                let ok = dates::valid_date_time_millis(value);
                self.format(path, name, value, ok, "a time as yyyyMMddHHmmssSSS");
            }
            "returnStatus" => {
                let integer = value.strip_prefix('-').unwrap_or(value);
                let ok = !integer.is_empty() && integer.bytes().all(|b| b.is_ascii_digit());
                self.format(path, name, value, ok, "an integer status code");
            }
            "status" if matches!(self.message_type, MessageType::Ceb816 | MessageType::Ceb818) => {
                self.code(path, name, value, "status 电子税单状态", TAX_STATUS);
            }
            _ => {}
        }
    }

    fn decimal(&mut self, path: &Path<'_>, name: &'static str, value: &Decimal) {
        let non_negative = matches!(
            name,
            "goodsValue"
                | "freight"
                | "discount"
                | "taxTotal"
                | "acturalPaid"
                | "amountPaid"
                | "insuredFee"
                | "weight"
                | "grossWeight"
                | "netWeight"
                | "qty"
                | "qty1"
                | "qty2"
                | "price"
                | "totalPrice"
                | "charge"
                | "taxPrice"
                | "customsTax"
                | "valueAddedTax"
                | "consumptionTax"
        );
        if non_negative && value.is_sign_negative() && !value.is_zero() {
            self.issues.push(Issue::new(
                &path.child(name),
                Rule::Format {
                    format: "a non-negative amount",
                },
                Some(&value.to_string()),
            ));
        }
    }

    fn int(&mut self, path: &Path<'_>, name: &'static str, value: i64) {
        if name == "packNo" && self.import() && value != IMPORT_PACK_NO {
            self.issues.push(Issue::new(
                &path.child(name),
                Rule::Code {
                    list: "packNo 件数 (import: one parcel per waybill)",
                    allowed: &["1"],
                },
                Some(&value.to_string()),
            ));
        }
        if matches!(name, "gnum" | "packNo" | "msgCount" | "msgSeqNo") && value < 1 {
            self.issues.push(Issue::new(
                &path.child(name),
                Rule::Format {
                    format: "a positive integer",
                },
                Some(&value.to_string()),
            ));
        }
    }
}

impl Visitor for FieldRules<'_> {
    fn field(&mut self, path: &Path<'_>, name: &'static str, value: FieldValue<'_>) {
        match value {
            FieldValue::Text(text) => self.text(path, name, text),
            FieldValue::Decimal(decimal) => self.decimal(path, name, decimal),
            FieldValue::Int(int) => self.int(path, name, int),
        }
    }
}

fn digits(value: &str, count: usize) -> bool {
    value.len() == count && value.bytes().all(|b| b.is_ascii_digit())
}

fn path_ends(path: &Path<'_>, name: &str) -> bool {
    let rendered = path.render();
    rendered.ends_with(&format!("/{name}")) || rendered.contains(&format!("/{name}["))
}

/// The specification's guid. The XSDs restrict it only to a string of
/// exactly 36 characters (`<xs:length value="36"/>` on every root `guid`
/// attribute and head `guid` element of `ceb-import-202205.xsd` and
/// `ceb-export-202205.xsd`; the length is checked with the schema); their
/// annotation and the manual add "36位系统唯一序号（英文字母大写）", a
/// system-unique number whose letters are upper case. Real clients send
/// more than UUIDs — a public e-port signing tool's CEB621 carries
/// `CEB621_HNZB_FXJK_20220208175054_0034` — and the official samples' root
/// guids (and CEB215's and CEB701's head guids) are lower-case UUIDs. So a
/// guid is 36 ASCII letters of either case, digits, `-` or `_` (issue #14,
/// finding 13); resends compare guids without regard to case
/// ([`guid_key`]).
pub fn is_guid(value: &str) -> bool {
    value.len() == 36
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
