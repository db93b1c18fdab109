//! GTIN barcodes (商品条码): EAN-8, UPC-A (12), EAN-13 and GTIN-14, with
//! the GS1 mod-10 check digit (domain/codes.md: from the digit next to the
//! check digit leftwards, weights 3, 1, 3, 1, …; check = (10 − Σ mod 10) mod 10).

use std::fmt;

use super::error::{IdError, IdKind};

/// A GTIN whose check digit is right.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Gtin(String);

impl Gtin {
    /// Parses 8, 12, 13 or 14 digits and verifies the check digit.
    pub fn parse(value: &str) -> Result<Self, IdError> {
        let length = value.chars().count();
        if ![8, 12, 13, 14].contains(&length) {
            return Err(IdError::Length {
                kind: IdKind::Gtin,
                expected: 13,
                actual: length,
                value: value.to_owned(),
            });
        }
        let mut digits = Vec::with_capacity(length);
        for (index, ch) in value.chars().enumerate() {
            let digit = ch.to_digit(10).ok_or_else(|| IdError::Character {
                kind: IdKind::Gtin,
                position: index + 1,
                found: ch,
                value: value.to_owned(),
            })?;
            digits.push(digit);
        }
        let (body, check) = digits.split_at(length - 1);
        let expected = check_digit(body);
        if check[0] != expected {
            return Err(IdError::CheckCharacter {
                kind: IdKind::Gtin,
                found: char::from_digit(check[0], 10).unwrap_or('?'),
                expected: char::from_digit(expected, 10).unwrap_or('?'),
                value: value.to_owned(),
            });
        }
        Ok(Self(value.to_owned()))
    }

    /// The code as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The check digit for the digits before it.
fn check_digit(body: &[u32]) -> u32 {
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_real_barcodes_of_every_length() {
        // EAN-13 of a Chinese product (prefix 69), EAN-8, UPC-A, GTIN-14.
        for code in [
            "6901234567892",
            "96385074",
            "036000291452",
            "10012345678902",
        ] {
            assert!(Gtin::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn names_the_expected_check_digit() {
        assert!(matches!(
            Gtin::parse("6901234567893"),
            Err(IdError::CheckCharacter {
                found: '3',
                expected: '2',
                ..
            })
        ));
        assert!(matches!(
            Gtin::parse("690123"),
            Err(IdError::Length { actual: 6, .. })
        ));
    }

    /// The check digit computed independently: weights counted from the
    /// left of a number padded to 18 digits (GS1 General Specifications
    /// §7.9.1: positions alternate 3 and 1 ending with 3 next to the check).
    fn independent_check(body: &str) -> u32 {
        let padded = format!("{body:0>17}");
        let sum: u32 = padded
            .chars()
            .enumerate()
            .map(|(i, c)| c.to_digit(10).unwrap() * if i % 2 == 0 { 3 } else { 1 })
            .sum();
        (10 - sum % 10) % 10
    }

    proptest! {
        #[test]
        fn agrees_with_an_independent_computation(body in "[0-9]{7}|[0-9]{11}|[0-9]{12}|[0-9]{13}") {
            let check = independent_check(&body);
            let good = format!("{body}{check}");
            prop_assert!(Gtin::parse(&good).is_ok());
            let bad = format!("{body}{}", (check + 1) % 10);
            prop_assert!(Gtin::parse(&bad).is_err());
        }
    }
}
