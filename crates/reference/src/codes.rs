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
    /// Name in English, where the table carries one.
    pub name_en: Option<String>,
    /// Name in Russian, where the table carries one.
    pub name_ru: Option<String>,
}

impl CodeEntry {
    /// The name in `language` (`"en"`, `"ru"`; anything else is Chinese),
    /// the Chinese name where the table has none in that language.
    pub fn name_in(&self, language: &str) -> &str {
        let translated = match language {
            "en" => self.name_en.as_deref(),
            "ru" => self.name_ru.as_deref(),
            _ => None,
        };
        translated.unwrap_or(&self.name_zh)
    }
}
