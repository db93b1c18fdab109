//! The kinds of reference table and their CSV columns.

use std::fmt;
use std::str::FromStr;

/// A reference table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReferenceKind {
    /// The customs tariff (税则): commodity code → name, legal units, rates.
    Tariff,
    /// Customs country (region) codes (国别(地区)代码), 3 digits, with ISO alpha-2.
    Country,
    /// Customs currency codes (币制代码), 3 digits, with ISO alpha-3.
    Currency,
    /// Measurement-unit codes (计量单位代码), 3 digits.
    Unit,
    /// Customs district and port codes (关区代码), 4 digits; CEB `customsCode`
    /// and `portCode` both take them.
    Customs,
    /// Administrative division codes (行政区划代码, GB/T 2260), 6 digits.
    Division,
}

impl ReferenceKind {
    /// Every kind, in loading order (units before the tariff that uses them).
    pub const ALL: [ReferenceKind; 6] = [
        ReferenceKind::Unit,
        ReferenceKind::Country,
        ReferenceKind::Currency,
        ReferenceKind::Customs,
        ReferenceKind::Division,
        ReferenceKind::Tariff,
    ];

    /// The name used on the command line and in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceKind::Tariff => "tariff",
            ReferenceKind::Country => "country",
            ReferenceKind::Currency => "currency",
            ReferenceKind::Unit => "unit",
            ReferenceKind::Customs => "customs",
            ReferenceKind::Division => "division",
        }
    }

    /// The exact header row an import file must have (the contract of
    /// `kuajing reference import`).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ReferenceKind::Tariff => &[
                "hs_code",
                "name_zh",
                "unit1",
                "unit2",
                "vat_rate",
                "ct_kind",
                "ct_ad_valorem_rate",
                "ct_specific_amount",
                "ct_specific_unit",
                "mfn_duty_rate",
                "positive_list",
                "positive_list_remark",
            ],
            ReferenceKind::Country => &["code", "name_zh", "iso_alpha2"],
            ReferenceKind::Currency => &["code", "name_zh", "iso_alpha3"],
            ReferenceKind::Unit | ReferenceKind::Customs | ReferenceKind::Division => {
                &["code", "name_zh"]
            }
        }
    }

    /// Digits in a code of this kind (`None` for the tariff, whose key is a
    /// commodity code).
    pub fn code_digits(self) -> Option<usize> {
        match self {
            ReferenceKind::Tariff => None,
            ReferenceKind::Country | ReferenceKind::Currency | ReferenceKind::Unit => Some(3),
            ReferenceKind::Customs => Some(4),
            ReferenceKind::Division => Some(6),
        }
    }

    /// Name in Chinese, for messages and pages.
    pub fn label_zh(self) -> &'static str {
        match self {
            ReferenceKind::Tariff => "税则",
            ReferenceKind::Country => "国别(地区)代码",
            ReferenceKind::Currency => "币制代码",
            ReferenceKind::Unit => "计量单位代码",
            ReferenceKind::Customs => "关区代码",
            ReferenceKind::Division => "行政区划代码",
        }
    }

    /// Name in English.
    pub fn label_en(self) -> &'static str {
        match self {
            ReferenceKind::Tariff => "tariff",
            ReferenceKind::Country => "country codes",
            ReferenceKind::Currency => "currency codes",
            ReferenceKind::Unit => "measurement-unit codes",
            ReferenceKind::Customs => "customs district and port codes",
            ReferenceKind::Division => "administrative division codes",
        }
    }
}

impl fmt::Display for ReferenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind name that is not one of [`ReferenceKind::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown reference kind '{0}'; use tariff, country, currency, unit, customs or division")]
pub struct UnknownKind(pub String);

impl FromStr for ReferenceKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReferenceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}
