//! Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters —
//! registration authority, organisation type, 6-digit administrative division,
//! 9-character organisation code (GB 11714) and a check character.

use std::fmt;

use super::error::{IdError, IdKind, check_length};
use super::organisation_code::{OrganisationCode, check_character_for};

/// The 31 characters a USCC may use (no I, O, S, V, Z); a character's value is
/// its index here (GB 32100-2015 §4.2).
const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1–17: 3^i mod 31 (GB 32100-2015 §4.3).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// An 18-character unified social credit code whose check character, and the
/// check character of the organisation code inside it, are right.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Uscc(String);

impl Uscc {
    /// Parses a code such as `91330100716105852F`. Letters must be upper case.
    pub fn parse(value: &str) -> Result<Self, IdError> {
        check_length(IdKind::Uscc, value, 18)?;
        let chars: Vec<char> = value.chars().collect();
        let sum = weighted_sum(&chars[..17], value)?;
        let found = chars[17];
        let expected = check_character(sum);
        if found != expected {
            return Err(IdError::CheckCharacter {
                kind: IdKind::Uscc,
                found,
                expected,
                value: value.to_owned(),
            });
        }
        OrganisationCode::parse(&value[8..17])?;
        Ok(Self(value.to_owned()))
    }

    /// Builds a valid code from its first 8 characters (authority, type,
    /// division) and the 8 body characters of its organisation code, computing
    /// both check characters. Used to make realistic demo and test data.
    pub fn from_parts(prefix: &str, organisation_body: &str) -> Result<Self, IdError> {
        let org_check = check_character_for(organisation_body).ok_or_else(|| IdError::Length {
            kind: IdKind::OrganisationCode,
            expected: 8,
            actual: organisation_body.chars().count(),
            value: organisation_body.to_owned(),
        })?;
        let first17 = format!("{prefix}{organisation_body}{org_check}");
        let chars: Vec<char> = first17.chars().collect();
        if chars.len() != 17 {
            return Err(IdError::Length {
                kind: IdKind::Uscc,
                expected: 17,
                actual: chars.len(),
                value: first17,
            });
        }
        let sum = weighted_sum(&chars, &first17)?;
        Self::parse(&format!("{first17}{}", check_character(sum)))
    }

    /// The code as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The organisation code inside (positions 9–17).
    pub fn organisation_code(&self) -> &str {
        &self.0[8..17]
    }

    /// The 6-digit administrative division code (positions 3–8), e.g.
    /// `222404` for Hunchun.
    pub fn division_code(&self) -> &str {
        &self.0[2..8]
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Σ value × weight over the first 17 characters, refusing any character
/// outside the alphabet with its position.
fn weighted_sum(first17: &[char], value: &str) -> Result<u32, IdError> {
    let mut sum = 0;
    for (index, (&ch, weight)) in first17.iter().zip(WEIGHTS).enumerate() {
        let digit = alphabet_value(ch).ok_or_else(|| IdError::Character {
            kind: IdKind::Uscc,
            position: index + 1,
            found: ch,
            value: value.to_owned(),
        })?;
        sum += digit * weight;
    }
    Ok(sum)
}

fn alphabet_value(ch: char) -> Option<u32> {
    ALPHABET.find(ch).and_then(|i| u32::try_from(i).ok())
}

/// Check value = (31 − sum mod 31) mod 31, written with the alphabet.
fn check_character(sum: u32) -> char {
    let index = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(index as usize).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const REAL: [&str; 4] = [
        "91330100716105852F",
        "91440300708461136T",
        "9144030071526726XG",
        "91110000802100433B",
    ];

    #[test]
    fn accepts_real_public_codes() {
        for code in REAL {
            let uscc = Uscc::parse(code).unwrap();
            assert_eq!(uscc.as_str(), code);
        }
        assert_eq!(
            Uscc::parse(REAL[0]).unwrap().organisation_code(),
            "716105852"
        );
    }

    #[test]
    fn names_the_expected_check_character() {
        let err = Uscc::parse("91330100716105852G").unwrap_err();
        assert_eq!(
            err,
            IdError::CheckCharacter {
                kind: IdKind::Uscc,
                found: 'G',
                expected: 'F',
                value: "91330100716105852G".into()
            }
        );
    }

    #[test]
    fn refuses_letters_outside_the_alphabet_with_their_position() {
        let err = Uscc::parse("9I330100716105852F").unwrap_err();
        assert!(matches!(
            err,
            IdError::Character {
                position: 2,
                found: 'I',
                ..
            }
        ));
    }

    #[test]
    fn counts_characters_not_bytes() {
        let err = Uscc::parse("珲春").unwrap_err();
        assert!(matches!(err, IdError::Length { actual: 2, .. }));
    }

    #[test]
    fn builds_hunchun_codes_from_parts() {
        let uscc = Uscc::from_parts("91222404", "MA0Y1K2P").unwrap();
        assert_eq!(uscc.division_code(), "222404");
        assert!(Uscc::parse(uscc.as_str()).is_ok());
    }

    /// The check character computed independently: weights as 3^i mod 31
    /// computed here rather than read from the table.
    fn independent_check(first17: &str) -> char {
        let alphabet: Vec<char> = "0123456789ABCDEFGHJKLMNPQRTUWXY".chars().collect();
        let sum: u64 = first17
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let value = alphabet.iter().position(|a| *a == c).unwrap() as u64;
                value * (3u64.pow(i as u32) % 31)
            })
            .sum();
        alphabet[((31 - sum % 31) % 31) as usize]
    }

    proptest! {
        #[test]
        fn agrees_with_an_independent_computation(body in "[0-9A-HJ-NP-RTUW-Y]{8}") {
            let uscc = Uscc::from_parts("91222404", &body).unwrap();
            let text = uscc.as_str();
            prop_assert_eq!(text.chars().last().unwrap(), independent_check(&text[..17]));
        }

        /// Any body over the alphabet yields a code that parses, and changing
        /// any one of its first 17 characters is caught (single-error
        /// detection, the purpose of the mod-31 check).
        #[test]
        fn every_single_substitution_is_detected(
            body in "[0-9A-HJ-NP-RTUW-Y]{8}",
            position in 0usize..17,
            replacement in "[0-9A-HJ-NP-RTUW-Y]",
        ) {
            let uscc = Uscc::from_parts("91222404", &body).unwrap();
            let mut chars: Vec<char> = uscc.as_str().chars().collect();
            let new = replacement.chars().next().unwrap();
            prop_assume!(chars[position] != new);
            chars[position] = new;
            let changed: String = chars.into_iter().collect();
            prop_assert!(Uscc::parse(&changed).is_err());
        }
    }
}
