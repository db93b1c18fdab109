//! One line of the tariff table: what a commodity code means for tax.
//!
//! The fields follow the import format of issue #3; the tax they feed is
//! computed by the clearance engine (policy-rules.md §1.6).

use kuajing_core::ids::HsCode;
use rust_decimal::Decimal;

use crate::rate::Rate;

/// How the consumption tax (消费税) is levied on a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsumptionTax {
    /// Not a consumption-tax good.
    None,
    /// A share of the composite price (e.g. wine 10%, high-end cosmetics 15%).
    AdValorem {
        /// The rate.
        rate: Rate,
    },
    /// An amount per unit (e.g. beer, CNY per tonne).
    Specific {
        /// CNY per one `unit`.
        amount: Decimal,
        /// Measurement-unit code the amount is per.
        unit: String,
    },
    /// Both (e.g. spirits: 20% plus CNY 0.5 per 500 g/ml).
    Compound {
        /// The ad valorem rate.
        rate: Rate,
        /// CNY per one `unit`.
        amount: Decimal,
        /// Measurement-unit code the amount is per.
        unit: String,
    },
}

impl ConsumptionTax {
    /// The `ct_kind` column's value.
    pub fn kind_name(&self) -> &'static str {
        match self {
            ConsumptionTax::None => "none",
            ConsumptionTax::AdValorem { .. } => "ad_valorem",
            ConsumptionTax::Specific { .. } => "specific",
            ConsumptionTax::Compound { .. } => "compound",
        }
    }

    /// The ad valorem rate, if any.
    pub fn rate(&self) -> Option<Rate> {
        match self {
            ConsumptionTax::AdValorem { rate } | ConsumptionTax::Compound { rate, .. } => {
                Some(*rate)
            }
            _ => None,
        }
    }

    /// The specific amount and its unit, if any.
    pub fn specific(&self) -> Option<(Decimal, &str)> {
        match self {
            ConsumptionTax::Specific { amount, unit }
            | ConsumptionTax::Compound { amount, unit, .. } => Some((*amount, unit)),
            _ => None,
        }
    }
}

/// A tariff line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TariffLine {
    /// 10-digit commodity code.
    pub hs_code: HsCode,
    /// Name in Chinese.
    pub name_zh: String,
    /// Legal first unit (法定第一计量单位), a unit code.
    pub unit1: String,
    /// Legal second unit, if the line has one.
    pub unit2: Option<String>,
    /// Import VAT rate (13% general, 9% lower rate).
    pub vat_rate: Rate,
    /// Consumption tax.
    pub consumption_tax: ConsumptionTax,
    /// Most-favoured-nation duty rate (ad valorem).
    pub mfn_duty_rate: Rate,
    /// On the cross-border retail import positive list (正面清单): `None`
    /// when no source confirmed it either way (seed rows only; an import
    /// must say `true` or `false`).
    pub positive_list: Option<bool>,
    /// The list's remark for this line (e.g. 限直购), if any.
    pub positive_list_remark: Option<String>,
}

impl TariffLine {
    /// The unit codes this line refers to (first, second, consumption-tax
    /// unit), for checking them against the unit table.
    pub fn unit_codes(&self) -> Vec<(&'static str, &str)> {
        let mut units = vec![("unit1", self.unit1.as_str())];
        if let Some(unit2) = &self.unit2 {
            units.push(("unit2", unit2.as_str()));
        }
        if let Some((_, unit)) = self.consumption_tax.specific() {
            units.push(("ct_specific_unit", unit));
        }
        units
    }
}
