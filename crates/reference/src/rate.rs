//! Tax and duty rates as exact decimals (`0.13`, never a float).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// A rate as a fraction (`0.13` = 13%), exact, with at most 6 decimal places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(Decimal);

/// Why a text is not a rate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    /// Not a plain decimal number.
    #[error("'{0}' is not a decimal such as 0.13")]
    NotDecimal(String),
    /// Outside the allowed range.
    #[error("{value} is outside {min} to {max}")]
    OutOfRange {
        /// The value.
        value: String,
        /// Smallest allowed.
        min: String,
        /// Largest allowed (exclusive for VAT and consumption-tax rates).
        max: String,
    },
}

impl Rate {
    /// Zero.
    pub const ZERO: Rate = Rate(Decimal::ZERO);

    /// Parses a plain decimal (`0.13`, `0`, `1.5`), refusing signs, exponents
    /// and more than 6 decimal places, and checks `0 <= rate < max`.
    pub fn parse_below(text: &str, max: Decimal) -> Result<Rate, RateError> {
        let plain = !text.is_empty()
            && text.chars().all(|c| c.is_ascii_digit() || c == '.')
            && text.matches('.').count() <= 1
            && !text.starts_with('.')
            && !text.ends_with('.')
            && text
                .split('.')
                .nth(1)
                .is_none_or(|decimals| decimals.len() <= 6);
        if !plain {
            return Err(RateError::NotDecimal(text.to_owned()));
        }
        let value = Decimal::from_str(text).map_err(|_| RateError::NotDecimal(text.to_owned()))?;
        if value >= max {
            return Err(RateError::OutOfRange {
                value: text.to_owned(),
                min: "0".to_owned(),
                max: max.to_string(),
            });
        }
        Ok(Rate(value.normalize()))
    }

    /// The rate as a decimal fraction.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals_below_the_limit() {
        let one = Decimal::ONE;
        assert_eq!(Rate::parse_below("0.13", one).unwrap().to_string(), "0.13");
        assert_eq!(Rate::parse_below("0.130", one).unwrap().to_string(), "0.13");
        assert_eq!(Rate::parse_below("0", one).unwrap(), Rate::ZERO);
        for bad in [
            "",
            "-0.1",
            "1e-2",
            ".5",
            "0.",
            "13%",
            "0.1234567",
            "0..1",
            " 0.1",
        ] {
            assert!(
                matches!(Rate::parse_below(bad, one), Err(RateError::NotDecimal(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            Rate::parse_below("1", one),
            Err(RateError::OutOfRange { .. })
        ));
    }
}
