//! The clearance rules' tests: the worked examples of policy-rules.md
//! §1.10, every limit boundary, and properties over generated lists.

#![allow(clippy::unwrap_used, clippy::panic)]

mod decision;
mod declaration_day;
mod export;
mod limits;
mod list_checks;
mod matching;
mod properties;
mod receipts;
mod risk;
mod summary;
mod tax;

use std::str::FromStr;

use kuajing_ceb::model::import::{Inventory, Logistics, Order, Payment};
use kuajing_ceb::{Message, MessageType, sample};
use kuajing_clearance::matching::Parcel;
use kuajing_clearance::tax::{LineRates, Quantity, TaxLine, TaxList};
use kuajing_reference::rate::Rate;
use kuajing_reference::seed;
use kuajing_reference::tariff::ConsumptionTax;
use kuajing_reference::tariff::TariffLine;
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

/// The codec's consistent example parcel (`kuajing ceb sample CEB621` and
/// its order, payment and waybill), one document each.
pub struct Documents {
    /// The declaration list.
    pub list: Inventory,
    /// Its order.
    pub order: Order,
    /// The payment.
    pub payment: Payment,
    /// The waybill.
    pub waybill: Logistics,
}

impl Documents {
    /// The example parcel.
    pub fn example() -> Documents {
        let Message::Ceb621(list) = sample(MessageType::Ceb621) else {
            panic!()
        };
        let Message::Ceb311(order) = sample(MessageType::Ceb311) else {
            panic!()
        };
        let Message::Ceb411(payment) = sample(MessageType::Ceb411) else {
            panic!()
        };
        let Message::Ceb511(waybill) = sample(MessageType::Ceb511) else {
            panic!()
        };
        Documents {
            list: list.inventory[0].clone(),
            order: order.order[0].clone(),
            payment: payment.payment[0].clone(),
            waybill: waybill.logistics[0].clone(),
        }
    }

    /// The four as a parcel.
    pub fn parcel(&self) -> Parcel<'_> {
        Parcel {
            list: &self.list,
            order: &self.order,
            payment: &self.payment,
            waybill: &self.waybill,
        }
    }
}

/// The tariff table shipped as seed data.
pub fn seed_tariff() -> Vec<TariffLine> {
    seed::tariff_lines().unwrap()
}
