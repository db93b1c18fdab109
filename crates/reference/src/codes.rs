//! One row of a code list (countries, currencies, units, customs, divisions).

/// A code and its name, with the ISO code where the list has one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CodeEntry {
    /// The customs (or GB/T 2260) code.
    pub code: String,
    /// Name in Chinese.
    pub name_zh: String,
    /// ISO 3166-1 alpha-2 (countries) or ISO 4217 alpha-3 (currencies).
    pub iso: Option<String>,
}
