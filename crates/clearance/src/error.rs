//! The clearance rules' error type, and its bilingual form.

use kuajing_core::error::Localized;
use rust_decimal::Decimal;

/// Why a tax or limit computation could not be made. These are faults in
/// the input the caller assembled (a list line without the quantity its
/// consumption tax needs, a negative amount), never a business refusal:
/// refusals are values ([`crate::limits::Eligibility`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxError {
    /// An amount that must not be negative is.
    #[error("{field} must not be negative, got {value}")]
    Negative {
        /// Which amount.
        field: &'static str,
        /// Its value.
        value: Decimal,
    },
    /// Freight or insurance to spread over a list without lines.
    #[error("freight or insurance declared on a list without goods lines")]
    NoLines,
    /// A specific or compound consumption tax needs the quantity in its
    /// unit, and the line declares none in that unit.
    #[error(
        "line {gnum}: consumption tax is per unit {unit}, and the line declares no quantity in it"
    )]
    NoQuantityInUnit {
        /// The line's number (gnum).
        gnum: u32,
        /// The unit code the tariff's specific amount is per.
        unit: String,
    },
    /// An ad valorem consumption-tax rate of 100 % or more (the composite
    /// price divides by `1 − rate`).
    #[error("line {gnum}: consumption tax rate {rate} must be below 1")]
    RateNotBelowOne {
        /// The line's number.
        gnum: u32,
        /// The rate.
        rate: Decimal,
    },
    /// An amount too large to compute exactly.
    #[error("an amount is too large to compute exactly")]
    Overflow,
}

impl Localized for TaxError {
    fn code(&self) -> &'static str {
        match self {
            TaxError::Negative { .. } => "TAX_NEGATIVE_AMOUNT",
            TaxError::NoLines => "TAX_NO_LINES",
            TaxError::NoQuantityInUnit { .. } => "TAX_NO_QUANTITY_IN_UNIT",
            TaxError::RateNotBelowOne { .. } => "TAX_RATE_NOT_BELOW_ONE",
            TaxError::Overflow => "TAX_OVERFLOW",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            TaxError::Negative { field, value } => format!("{field}不得为负数，实为 {value}"),
            TaxError::NoLines => "清单无商品项，却申报了运费或保费".to_owned(),
            TaxError::NoQuantityInUnit { gnum, unit } => {
                format!("第{gnum}项：消费税从量计征单位为 {unit}，该项未申报此单位的数量")
            }
            TaxError::RateNotBelowOne { gnum, rate } => {
                format!("第{gnum}项：消费税税率 {rate} 须小于 1")
            }
            TaxError::Overflow => "金额过大，无法精确计算".to_owned(),
        }
    }

    fn message_en(&self) -> String {
        self.to_string()
    }
}
