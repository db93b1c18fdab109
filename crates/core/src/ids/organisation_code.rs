//! Organisation code (组织机构代码), GB 11714-1997: 8 body characters and a
//! check character. Since 2015 it lives on as positions 9–17 of the unified
//! social credit code.

use std::fmt;

use super::error::{IdError, IdKind, check_length};

/// Weights of the 8 body characters (GB 11714-1997 §5).
const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// A 9-character organisation code whose check character is right.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct OrganisationCode(String);

impl OrganisationCode {
    /// Parses a code such as `71610585-2` written without the hyphen
    /// (`716105852`). Letters must be upper case.
    pub fn parse(value: &str) -> Result<Self, IdError> {
        check_length(IdKind::OrganisationCode, value, 9)?;
        let chars: Vec<char> = value.chars().collect();
        let mut sum = 0;
        for (index, (&ch, weight)) in chars.iter().zip(WEIGHTS).enumerate() {
            let digit = body_value(ch).ok_or_else(|| IdError::Character {
                kind: IdKind::OrganisationCode,
                position: index + 1,
                found: ch,
                value: value.to_owned(),
            })?;
            sum += digit * weight;
        }
        let expected = check_character(sum);
        let found = chars[8];
        if found != expected {
            return Err(IdError::CheckCharacter {
                kind: IdKind::OrganisationCode,
                found,
                expected,
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

impl fmt::Display for OrganisationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Value of a body character: digits as themselves, `A`–`Z` as 10–35.
fn body_value(ch: char) -> Option<u32> {
    match ch {
        '0'..='9' | 'A'..='Z' => ch.to_digit(36),
        _ => None,
    }
}

/// The check character for a weighted sum: C = 11 − (sum mod 11), where 10 is
/// written `X` and 11 is written `0`.
fn check_character(sum: u32) -> char {
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from_digit(c, 10).unwrap_or('0'),
    }
}

/// Computes the check character for 8 body characters; used to build valid
/// codes (demo data, tests). Returns `None` if a character is not allowed.
pub(crate) fn check_character_for(body: &str) -> Option<char> {
    let chars: Vec<char> = body.chars().collect();
    if chars.len() != 8 {
        return None;
    }
    let mut sum = 0;
    for (&ch, weight) in chars.iter().zip(WEIGHTS) {
        sum += body_value(ch)? * weight;
    }
    Some(check_character(sum))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_organisation_codes_inside_real_usccs() {
        // Positions 9–17 of the public codes quoted in domain/codes.md.
        for code in ["716105852", "708461136", "71526726X", "802100433"] {
            assert!(OrganisationCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn refuses_a_wrong_check_character_and_says_which_is_right() {
        let err = OrganisationCode::parse("716105853").unwrap_err();
        assert_eq!(
            err,
            IdError::CheckCharacter {
                kind: IdKind::OrganisationCode,
                found: '3',
                expected: '2',
                value: "716105853".into()
            }
        );
    }

    #[test]
    fn writes_ten_as_x_and_eleven_as_zero() {
        assert_eq!(check_character(1), 'X');
        assert_eq!(check_character(0), '0');
        assert_eq!(check_character(22), '0');
    }

    #[test]
    fn refuses_lower_case_and_punctuation() {
        assert!(matches!(
            OrganisationCode::parse("7161o5852"),
            Err(IdError::Character { position: 5, .. })
        ));
        assert!(matches!(
            OrganisationCode::parse("71610585-"),
            Err(IdError::CheckCharacter { .. })
        ));
    }
}
