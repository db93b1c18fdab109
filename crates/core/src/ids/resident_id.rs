//! Resident identity number (公民身份号码), GB 11643-1999: 6-digit division,
//! 8-digit birth date, 3-digit sequence (odd = male), check character.
//!
//! A consumer's ID number is personal data: this type never shows the full
//! number in `Debug`, and [`ResidentId::masked`] gives the form to display.

use std::fmt;

use super::error::{IdError, IdKind, check_length};

/// Weights of the first 17 digits: 2^(17−i) mod 11 (GB 11643-1999 §5.2).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check characters indexed by Σ mod 11.
const CHECKS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// An 18-character resident identity number with a real birth date and the
/// right check character.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

impl ResidentId {
    /// Parses a number; the check character may be `X` but not `x`.
    pub fn parse(value: &str) -> Result<Self, IdError> {
        check_length(IdKind::ResidentId, value, 18)?;
        let chars: Vec<char> = value.chars().collect();
        let mut sum = 0;
        for (index, (&ch, weight)) in chars.iter().zip(WEIGHTS).enumerate() {
            let digit = ch.to_digit(10).ok_or_else(|| IdError::Character {
                kind: IdKind::ResidentId,
                position: index + 1,
                found: ch,
                value: masked(value),
            })?;
            sum += digit * weight;
        }
        let birth: String = chars[6..14].iter().collect();
        if !is_real_date(&birth) {
            return Err(IdError::Character {
                kind: IdKind::ResidentId,
                position: 7,
                found: chars[6],
                value: masked(value),
            });
        }
        let expected = CHECKS[(sum % 11) as usize];
        if chars[17] != expected {
            return Err(IdError::CheckCharacter {
                kind: IdKind::ResidentId,
                found: chars[17],
                expected,
                value: masked(value),
            });
        }
        Ok(Self(value.to_owned()))
    }

    /// The full number (for storage and matching; never for display).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The number as it may be shown: first 6 and last 4 characters.
    pub fn masked(&self) -> String {
        masked(&self.0)
    }

    /// Any text given as an ID number, valid or not, as it may be shown
    /// (in refusals of a number that does not parse): see [`ResidentId::masked`].
    pub fn mask(text: &str) -> String {
        masked(text)
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

/// `220403********123X`: keeps the division and the last four. A text of
/// another length keeps no more: characters 7 to 14 are hidden whatever the
/// length, and so is everything between the sixth and the last four.
fn masked(value: &str) -> String {
    let count = value.chars().count();
    value
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i >= 6 && (i < 14 || i + 4 < count) {
                '*'
            } else {
                c
            }
        })
        .collect()
}

/// Whether `yyyymmdd` is a date of the Gregorian calendar from 1900 on.
fn is_real_date(yyyymmdd: &str) -> bool {
    let number =
        |range: std::ops::Range<usize>| yyyymmdd.get(range).and_then(|s| s.parse::<u32>().ok());
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(4..6), number(6..8)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1900 && (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The check character computed independently, with the weights
    /// derived as 2^(17−i) mod 11 rather than read from the table.
    fn independent_check(first17: &str) -> char {
        let sum: u64 = first17
            .chars()
            .enumerate()
            .map(|(i, c)| u64::from(c.to_digit(10).unwrap()) * (2u64.pow(17 - i as u32) % 11))
            .sum();
        let value = (12 - sum % 11) % 11;
        if value == 10 {
            'X'
        } else {
            char::from_digit(value as u32, 10).unwrap()
        }
    }

    #[test]
    fn the_standards_example_and_masking() {
        // GB 11643-1999 Appendix A example.
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(ResidentId::mask("1101051949100100"), "110105********00");
        assert_eq!(
            ResidentId::mask("11010519491001002X99"),
            "110105**********2X99"
        );
        assert_eq!(format!("{id:?}"), "ResidentId(110105********002X)");
        let bad = ResidentId::parse("110105194912310021").unwrap_err();
        assert!(matches!(bad, IdError::CheckCharacter { expected: 'X', .. }));
        assert!(
            !bad.to_string().contains("19491231"),
            "errors do not leak the birth date"
        );
    }

    #[test]
    fn birth_dates_must_exist() {
        assert!(!is_real_date("20230229"));
        assert!(is_real_date("20240229"));
        assert!(!is_real_date("19991301"));
    }

    proptest! {
        #[test]
        fn agrees_with_an_independent_computation(
            division in "[1-6][0-9]{5}",
            year in 1950u32..2020,
            month in 1u32..=12,
            day in 1u32..=28,
            sequence in "[0-9]{3}",
        ) {
            let first17 = format!("{division}{year:04}{month:02}{day:02}{sequence}");
            let check = independent_check(&first17);
            let good = format!("{first17}{check}");
            prop_assert!(ResidentId::parse(&good).is_ok());
            let wrong = format!("{first17}{}", if check == '1' { '2' } else { '1' });
            prop_assert!(ResidentId::parse(&wrong).is_err());
        }
    }
}
