//! The clearance rules' tests: the worked examples of policy-rules.md
//! §1.10, every limit boundary, and properties over generated lists.

#![allow(clippy::unwrap_used, clippy::panic)]

mod decision;
mod limits;
mod list_checks;
mod matching;
mod properties;
mod tax;

use std::str::FromStr;

use kuajing_clearance::tax::{LineRates, Quantity, TaxLine, TaxList};
use kuajing_reference::rate::Rate;
use kuajing_reference::tariff::ConsumptionTax;
use rust_decimal::Decimal;

/// A decimal from its text.
pub fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// A rate from its text (`0.13`).
pub fn rate(text: &str) -> Rate {
    Rate::parse_below(text, Decimal::ONE).unwrap()
}

/// Rates with no consumption tax.
pub fn plain(duty: &str, vat: &str) -> LineRates {
    LineRates {
        duty: d(duty),
        vat: d(vat),
        consumption: ConsumptionTax::None,
    }
}

/// A one-line list of `value` with `freight`, no insurance.
pub fn one_line(
    value: &str,
    freight: &str,
    rates: LineRates,
    quantities: Vec<Quantity>,
) -> TaxList {
    TaxList {
        lines: vec![TaxLine {
            gnum: 1,
            value: d(value),
            quantities,
            rates,
        }],
        freight: d(freight),
        insurance: Decimal::ZERO,
    }
}
