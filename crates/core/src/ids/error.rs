//! Why an identifier was refused: which kind, which rule, which value.

use crate::error::Localized;

/// The kind of identifier an [`IdError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// Unified social credit code (统一社会信用代码), GB 32100-2015.
    Uscc,
    /// Organisation code (组织机构代码), GB 11714-1997.
    OrganisationCode,
    /// Customs registration code (海关注册编码), 10 characters.
    CustomsCode,
    /// Commodity code (商品编码), 10 digits.
    HsCode,
    /// GTIN barcode (商品条码).
    Gtin,
    /// Resident identity number (公民身份号码), GB 11643-1999.
    ResidentId,
}

impl IdKind {
    /// English name used in messages.
    pub fn name_en(self) -> &'static str {
        match self {
            IdKind::Uscc => "unified social credit code",
            IdKind::OrganisationCode => "organisation code",
            IdKind::CustomsCode => "customs registration code",
            IdKind::HsCode => "commodity code",
            IdKind::Gtin => "barcode (GTIN)",
            IdKind::ResidentId => "resident identity number",
        }
    }

    /// Chinese name used in messages.
    pub fn name_zh(self) -> &'static str {
        match self {
            IdKind::Uscc => "统一社会信用代码",
            IdKind::OrganisationCode => "组织机构代码",
            IdKind::CustomsCode => "海关注册编码",
            IdKind::HsCode => "商品编码",
            IdKind::Gtin => "商品条码",
            IdKind::ResidentId => "公民身份号码",
        }
    }
}

/// An identifier that failed its rule. Carries the offending value so the
/// message can name it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Wrong number of characters.
    #[error("{} must have {expected} characters, got {actual} in '{value}'", kind.name_en())]
    Length {
        /// Which identifier.
        kind: IdKind,
        /// Required length.
        expected: usize,
        /// Length found (in characters).
        actual: usize,
        /// The value as given.
        value: String,
    },
    /// A character outside the identifier's alphabet.
    #[error("{} '{value}' has '{found}' at position {position}, which is not allowed there", kind.name_en())]
    Character {
        /// Which identifier.
        kind: IdKind,
        /// 1-based position of the character.
        position: usize,
        /// The character found.
        found: char,
        /// The value as given.
        value: String,
    },
    /// The check character does not match the one computed from the others.
    #[error("{} '{value}' has check character '{found}', expected '{expected}'", kind.name_en())]
    CheckCharacter {
        /// Which identifier.
        kind: IdKind,
        /// Check character found.
        found: char,
        /// Check character computed.
        expected: char,
        /// The value as given.
        value: String,
    },
}

impl Localized for IdError {
    fn code(&self) -> &'static str {
        match self {
            IdError::Length { .. } => "ID_LENGTH",
            IdError::Character { .. } => "ID_CHARACTER",
            IdError::CheckCharacter { .. } => "ID_CHECK_CHARACTER",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            IdError::Length {
                kind,
                expected,
                actual,
                value,
            } => format!("{}应为{expected}位，“{value}”为{actual}位", kind.name_zh()),
            IdError::Character {
                kind,
                position,
                found,
                value,
            } => format!(
                "{}“{value}”第{position}位的字符“{found}”不允许出现在此处",
                kind.name_zh()
            ),
            IdError::CheckCharacter {
                kind,
                found,
                expected,
                value,
            } => format!(
                "{}“{value}”的校验码为“{found}”，按国家标准应为“{expected}”",
                kind.name_zh()
            ),
        }
    }

    fn message_en(&self) -> String {
        self.to_string()
    }
}

/// Checks the character count, counting characters rather than bytes so that
/// a Chinese character counts once.
pub(crate) fn check_length(kind: IdKind, value: &str, expected: usize) -> Result<(), IdError> {
    let actual = value.chars().count();
    if actual == expected {
        Ok(())
    } else {
        Err(IdError::Length {
            kind,
            expected,
            actual,
            value: value.to_owned(),
        })
    }
}
