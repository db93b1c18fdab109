//! The bilingual error contract shared by every crate.
//!
//! Each crate keeps its own typed error (thiserror); each such error also says,
//! through [`Localized`], its stable machine code and its message in Chinese and
//! English. The server maps these to HTTP in exactly one place.

/// An error that can be shown to a user of the platform in Chinese and English.
///
/// The `code` is stable: clients and tests match on it, so a code is never reused
/// for another meaning.
pub trait Localized {
    /// Stable machine code, `UPPER_SNAKE_CASE`, e.g. `USCC_CHECK_CHARACTER`.
    fn code(&self) -> &'static str;
    /// Message in simplified Chinese (the platform's first language).
    fn message_zh(&self) -> String;
    /// Message in English.
    fn message_en(&self) -> String;
}
