//! Commodity code (商品编码): the 10-digit code China Customs uses to
//! classify goods — the 6-digit Harmonized System subheading, two national
//! digits (the 8-digit tariff line) and two supplementary statistical digits.
//! Whether a code exists is a matter for the tariff table (reference data);
//! this type checks only its form.

use std::fmt;

use super::error::{IdError, IdKind, check_length};

/// A well-formed 10-digit commodity code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct HsCode(String);

impl HsCode {
    /// Parses a code of exactly 10 ASCII digits (no dots or spaces).
    pub fn parse(value: &str) -> Result<Self, IdError> {
        check_length(IdKind::HsCode, value, 10)?;
        if let Some((index, found)) = value.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(IdError::Character {
                kind: IdKind::HsCode,
                position: index + 1,
                found,
                value: value.to_owned(),
            });
        }
        Ok(Self(value.to_owned()))
    }

    /// The code as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 2-digit chapter (章), e.g. `03` for fish and crustaceans.
    pub fn chapter(&self) -> &str {
        &self.0[..2]
    }

    /// The 8-digit tariff line (税则号列), the level of the positive list.
    pub fn tariff_line(&self) -> &str {
        &self.0[..8]
    }
}

impl fmt::Display for HsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_digits_and_their_levels() {
        let code = HsCode::parse("0303670000").unwrap();
        assert_eq!((code.chapter(), code.tariff_line()), ("03", "03036700"));
        assert!(matches!(
            HsCode::parse("0303.67"),
            Err(IdError::Length { .. })
        ));
        assert!(matches!(
            HsCode::parse("03036700a0"),
            Err(IdError::Character { position: 9, .. })
        ));
    }
}
