//! Customs registration code (海关注册编码): the 10-character code by which
//! customs knows an enterprise, and which CEB messages carry in `copCode`,
//! `ebpCode`, `ebcCode`, `logisticsCode`, `payCode` and the like.
//!
//! Layout (General Administration of Customs registration rules): 4-digit
//! administrative division of the registering customs' city, 1 character for
//! the economic zone, 1 for the enterprise's economic type, 4 serial
//! characters — e.g. `330196000B` in the official CEB samples. There is no
//! published check character, so the format is all that can be checked.

use std::fmt;

use super::error::{IdError, IdKind, check_length};

/// A well-formed 10-character customs registration code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct CustomsCode(String);

impl CustomsCode {
    /// Parses a code: 10 characters, the first 4 digits (division), the rest
    /// digits or upper-case letters.
    pub fn parse(value: &str) -> Result<Self, IdError> {
        check_length(IdKind::CustomsCode, value, 10)?;
        for (index, ch) in value.chars().enumerate() {
            let allowed = if index < 4 {
                ch.is_ascii_digit()
            } else {
                ch.is_ascii_digit() || ch.is_ascii_uppercase()
            };
            if !allowed {
                return Err(IdError::Character {
                    kind: IdKind::CustomsCode,
                    position: index + 1,
                    found: ch,
                    value: value.to_owned(),
                });
            }
        }
        Ok(Self(value.to_owned()))
    }

    /// The code as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CustomsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_codes_of_the_official_samples() {
        for code in ["330196000B", "310131000P", "330198000L", "2224960001"] {
            assert_eq!(CustomsCode::parse(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn refuses_wrong_length_lower_case_and_letters_in_the_division() {
        assert!(matches!(
            CustomsCode::parse("222496000"),
            Err(IdError::Length { actual: 9, .. })
        ));
        assert!(matches!(
            CustomsCode::parse("222496000b"),
            Err(IdError::Character { position: 10, .. })
        ));
        assert!(matches!(
            CustomsCode::parse("22A4960001"),
            Err(IdError::Character { position: 3, .. })
        ));
        assert!(matches!(
            CustomsCode::parse("2224'--001"),
            Err(IdError::Character { position: 5, .. })
        ));
    }
}
