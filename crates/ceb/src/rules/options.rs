//! How strictly [`validate_with`](super::validate_with) holds a message:
//! the edition of the specification and the tolerance of its arithmetic.

use rust_decimal::Decimal;

/// Which edition of the specification to hold a message to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Edition {
    /// The 202205 edition (海关总署 2022-05), the one in force.
    #[default]
    E202205,
    /// The 2018 trial edition (海关总署公告2018年第113号, import schema
    /// labelled 2016-08): `InventoryList/itemNo` up to 30 characters and
    /// `InventoryList/tradeCountry` exactly 3 (ceb-messages.md §0).
    Trial2018,
}

impl Edition {
    /// The edition named `2022`/`202205` or `2018`/`2016`.
    pub fn parse(name: &str) -> Option<Edition> {
        match name.trim() {
            "202205" | "2022" | "2022-05" => Some(Edition::E202205),
            "2018" | "2016" | "2016-08" | "trial" => Some(Edition::Trial2018),
            _ => None,
        }
    }
}

/// How strictly to validate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The edition of the specification.
    pub edition: Edition,
    /// How far a declared amount may differ from what its formula gives
    /// (ceb-messages.md A13: sources disagree; exact by default).
    pub tolerance: Decimal,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            edition: Edition::E202205,
            tolerance: Decimal::ZERO,
        }
    }
}
