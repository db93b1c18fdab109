//! Whether a list may clear as a retail import, and under which tax
//! regime: the single-transaction limit (单次交易限值) and the buyer's annual
//! limit (个人年度交易限值), policy-rules.md §1.2–1.3 and ceb-messages.md
//! A12.

use rust_decimal::Decimal;

use crate::settings::{Limits, OneItemRule, TaxSettings};
use crate::tax::Regime;

/// Official code: "purchase amount exceeds the single-transaction limit"
/// (ceb-messages.md, CEB622 receipt codes).
pub const OVER_SINGLE_LIMIT: i32 = -621005;
/// Official code: "would exceed the annual limit".
pub const OVER_ANNUAL_LIMIT: i32 = -621018;

/// What a list is, for the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purchase {
    /// Its dutiable value, CNY (the sum of its lines' dutiable values).
    pub value: Decimal,
    /// How many goods lines it has.
    pub lines: usize,
    /// The quantity of its first line (what "one item" looks at).
    pub first_line_quantity: Decimal,
}

/// The outcome of the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Eligibility {
    /// Within both limits: the retail regime (duty 0, 70 %).
    WithinLimits,
    /// Over the single-transaction limit, but one indivisible item and
    /// within the annual limit: still a retail import, taxed in full
    /// (财关税〔2018〕49号).
    SingleItemInFull,
    /// Not a retail import (general trade): refused.
    Refused(Refusal),
}

impl Eligibility {
    /// The tax regime of an eligible list; `None` if refused.
    pub fn regime(&self) -> Option<Regime> {
        match self {
            Eligibility::WithinLimits => Some(Regime::WithinLimits),
            Eligibility::SingleItemInFull => Some(Regime::Full),
            Eligibility::Refused(_) => None,
        }
    }
}

/// Why the limits refuse a list, with the official code and both numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Official receipt code ([`OVER_SINGLE_LIMIT`] or [`OVER_ANNUAL_LIMIT`]).
    pub code: i32,
    /// The limit, CNY.
    pub limit: Decimal,
    /// What was measured against it, CNY: the list's value, or the buyer's
    /// year total with the list added.
    pub value: Decimal,
}

impl Refusal {
    /// The refusal in Chinese, for the receipt's returnInfo.
    pub fn message_zh(&self) -> String {
        match self.code {
            OVER_SINGLE_LIMIT => format!(
                "订单完税价格 {} 元超过单次交易限值 {} 元，且不是单件不可分割商品",
                self.value, self.limit
            ),
            _ => format!(
                "订购人本年度交易额加本单后为 {} 元，超过年度交易限值 {} 元",
                self.value, self.limit
            ),
        }
    }

    /// The refusal in English.
    pub fn message_en(&self) -> String {
        match self.code {
            OVER_SINGLE_LIMIT => format!(
                "dutiable value CNY {} is over the single-transaction limit of CNY {} and the order is not one indivisible item",
                self.value, self.limit
            ),
            _ => format!(
                "the buyer's total for the year with this list would be CNY {}, over the annual limit of CNY {}",
                self.value, self.limit
            ),
        }
    }
}

/// Classifies `purchase` for a buyer who has already used `used_this_year`
/// (released lists plus reservations) of the annual limit.
///
/// Equality is within a limit (policy-rules.md §1.2, "boundary"). Over the
/// single limit, only one item (as [`OneItemRule`] reads it) may pass, and
/// only within the annual limit; anything that would take the year's total
/// over the annual limit is refused (§1.3).
pub fn classify(
    purchase: &Purchase,
    used_this_year: Decimal,
    limits: &Limits,
    settings: &TaxSettings,
) -> Eligibility {
    let year_total = used_this_year.saturating_add(purchase.value);
    let over_annual = Refusal {
        code: OVER_ANNUAL_LIMIT,
        limit: limits.annual,
        value: year_total,
    };
    if purchase.value <= limits.single_transaction {
        return if year_total <= limits.annual {
            Eligibility::WithinLimits
        } else {
            Eligibility::Refused(over_annual)
        };
    }
    if !is_one_item(purchase, settings.one_item) {
        return Eligibility::Refused(Refusal {
            code: OVER_SINGLE_LIMIT,
            limit: limits.single_transaction,
            value: purchase.value,
        });
    }
    if year_total <= limits.annual {
        Eligibility::SingleItemInFull
    } else {
        Eligibility::Refused(over_annual)
    }
}

fn is_one_item(purchase: &Purchase, rule: OneItemRule) -> bool {
    purchase.lines == 1
        && match rule {
            OneItemRule::OneLineQuantityOne => purchase.first_line_quantity == Decimal::ONE,
            OneItemRule::OneLine => true,
        }
}
