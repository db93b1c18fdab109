//! Reading a reference table from CSV: the header must be exactly the kind's
//! columns; every row is checked; every bad row is reported with its line
//! number, field, rule and value; a file with any bad row yields no rows.

use std::collections::HashSet;

use kuajing_core::error::Localized;
use kuajing_core::ids::HsCode;
use kuajing_core::text::{Hidden, first_hidden};
use rust_decimal::Decimal;

use crate::codes::CodeEntry;
use crate::kind::ReferenceKind;
use crate::rate::Rate;
use crate::tariff::{ConsumptionTax, TariffLine};

/// Which columns the file carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Exactly [`ReferenceKind::columns`]: what operators import.
    Import,
    /// Those columns and a last `source` column: the shipped seed set.
    Seed,
}

/// The rows of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rows {
    /// Tariff lines.
    Tariff(Vec<TariffLine>),
    /// Code-list entries.
    Codes(Vec<CodeEntry>),
}

impl Rows {
    /// How many rows.
    pub fn len(&self) -> usize {
        match self {
            Rows::Tariff(lines) => lines.len(),
            Rows::Codes(entries) => entries.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A parsed table: every row good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Which table.
    pub kind: ReferenceKind,
    /// Its rows.
    pub rows: Rows,
    /// Each row's source (seed files), in row order; `None` for imports.
    pub sources: Vec<Option<String>>,
    /// Each row's line number in the file, in row order.
    pub lines: Vec<u64>,
}

/// One bad row: where, which field, which rule, which value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// Line number in the file (the header is line 1).
    pub line: u64,
    /// The column.
    pub field: String,
    /// The value found.
    pub value: String,
    /// Stable code of the rule.
    pub rule: &'static str,
    /// Why, in Chinese.
    pub message_zh: String,
    /// Why, in English.
    pub message_en: String,
}

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Not readable as UTF-8 CSV.
    #[error("line {line}: not readable as UTF-8 CSV: {detail}")]
    Unreadable {
        /// Where reading stopped.
        line: u64,
        /// What the reader said.
        detail: String,
    },
    /// The header is not the kind's columns.
    #[error("the header must be exactly '{expected}', found '{found}'")]
    Header {
        /// The required header.
        expected: String,
        /// The header found.
        found: String,
    },
    /// A header and no rows.
    #[error("the file has no rows")]
    NoRows,
    /// One or more bad rows; nothing is used.
    #[error("{} bad rows (first: line {}, {}: {})", .0.len(), .0[0].line, .0[0].field, .0[0].message_en)]
    Rows(Vec<RowError>),
}

impl Localized for ImportError {
    fn code(&self) -> &'static str {
        match self {
            ImportError::Unreadable { .. } => "IMPORT_UNREADABLE",
            ImportError::Header { .. } => "IMPORT_HEADER",
            ImportError::NoRows => "IMPORT_EMPTY",
            ImportError::Rows(_) => "IMPORT_BAD_ROWS",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            ImportError::Unreadable { line, detail } => {
                format!("第 {line} 行无法按 UTF-8 CSV 读取：{detail}")
            }
            ImportError::Header { expected, found } => {
                format!("表头必须为“{expected}”，实际为“{found}”")
            }
            ImportError::NoRows => "文件没有数据行".to_owned(),
            ImportError::Rows(rows) => format!(
                "共 {} 行有误，未导入任何数据（首个：第 {} 行 {}：{}）",
                rows.len(),
                rows[0].line,
                rows[0].field,
                rows[0].message_zh
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            ImportError::Rows(rows) => format!(
                "{} bad rows, nothing imported (first: line {}, {}: {})",
                rows.len(),
                rows[0].line,
                rows[0].field,
                rows[0].message_en
            ),
            other => other.to_string(),
        }
    }
}

/// The most rows one file may hold (the full tariff has about 9,000).
pub const MAX_ROWS: usize = 200_000;

/// Reads `bytes` as a table of `kind` in `format`.
pub fn parse(kind: ReferenceKind, bytes: &[u8], format: Format) -> Result<Table, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let columns = check_header(kind, format, &mut reader)?;
    let mut parser = RowParser::new(kind, columns);
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(ImportError::Unreadable {
                    line: e.position().map_or(line, |p| p.line()),
                    detail: e.to_string(),
                });
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        if parser.lines.len() >= MAX_ROWS {
            return Err(ImportError::Unreadable {
                line,
                detail: format!("more than {MAX_ROWS} rows"),
            });
        }
        parser.row(line, &record, format);
    }
    parser.finish()
}

/// Checks the header; returns the columns the rows carry: the kind's
/// columns, or for a code list those and its names in English and Russian
/// ([`ReferenceKind::translated_columns`]).
fn check_header(
    kind: ReferenceKind,
    format: Format,
    reader: &mut csv::Reader<&[u8]>,
) -> Result<&'static [&'static str], ImportError> {
    let header = reader.headers().map_err(|e| ImportError::Unreadable {
        line: 1,
        detail: e.to_string(),
    })?;
    let found: Vec<&str> = header.iter().collect();
    let with_source = |columns: &[&'static str]| {
        let mut expected = columns.to_vec();
        if format == Format::Seed {
            expected.push("source");
        }
        expected
    };
    let forms = std::iter::once(kind.columns()).chain(kind.translated_columns());
    for columns in forms {
        if found == with_source(columns) {
            return Ok(columns);
        }
    }
    let mut expected = with_source(kind.columns()).join(",");
    if let Some(translated) = kind.translated_columns() {
        expected = format!("{expected}' or '{}", with_source(translated).join(","));
    }
    Err(ImportError::Header {
        expected,
        found: found.join(","),
    })
}

/// Checks rows one by one, keeping the good ones and the errors.
struct RowParser {
    kind: ReferenceKind,
    columns: &'static [&'static str],
    tariff: Vec<TariffLine>,
    codes: Vec<CodeEntry>,
    sources: Vec<Option<String>>,
    lines: Vec<u64>,
    seen: HashSet<String>,
    errors: Vec<RowError>,
}

/// The fields of one row and the errors found in them.
struct Fields<'a> {
    line: u64,
    record: &'a csv::StringRecord,
    columns: &'static [&'static str],
    errors: Vec<RowError>,
}

impl<'a> Fields<'a> {
    fn get(&self, column: &str) -> &'a str {
        self.columns
            .iter()
            .position(|c| *c == column)
            .and_then(|i| self.record.get(i))
            .unwrap_or("")
    }

    fn fail(&mut self, field: &str, rule: &'static str, zh: String, en: String) {
        self.errors.push(RowError {
            line: self.line,
            field: field.to_owned(),
            value: self.get(field).to_owned(),
            rule,
            message_zh: zh,
            message_en: en,
        });
    }

    fn required_text(&mut self, field: &str, max: usize) -> Option<String> {
        let value = self.get(field);
        if value.is_empty() {
            self.fail(
                field,
                "FIELD_REQUIRED",
                format!("{field} 不能为空"),
                format!("{field} is required"),
            );
            return None;
        }
        self.text(field, max)
    }

    fn optional_text(&mut self, field: &str, max: usize) -> Option<String> {
        if self.get(field).is_empty() {
            None
        } else {
            self.text(field, max)
        }
    }

    fn text(&mut self, field: &str, max: usize) -> Option<String> {
        let value = self.get(field);
        let length = value.chars().count();
        if length > max {
            self.fail(
                field,
                "FIELD_TOO_LONG",
                format!("{field} 最多 {max} 个字符，当前为 {length} 个"),
                format!("{field} may have at most {max} characters, got {length}"),
            );
            return None;
        }
        // The one rule for texts people read (kuajing_core::text).
        if let Some(found) = first_hidden(value) {
            let code = u32::from(found.character);
            let position = found.position;
            match found.kind {
                Hidden::Control => self.fail(
                    field,
                    "FIELD_CONTROL_CHARACTER",
                    format!("{field} 第 {position} 个字符是控制字符 U+{code:04X}"),
                    format!("{field} contains the control character U+{code:04X} at character {position}"),
                ),
                Hidden::Bidi(name) => self.fail(
                    field,
                    "FIELD_BIDI_CONTROL",
                    format!("{field} 第 {position} 个字符是双向文本控制字符 U+{code:04X}（{name}）"),
                    format!(
                        "{field} contains the bidirectional control character U+{code:04X} ({name}) at character {position}"
                    ),
                ),
            }
            return None;
        }
        Some(value.to_owned())
    }

    fn digits(&mut self, field: &str, digits: usize, required: bool) -> Option<String> {
        let value = self.get(field);
        if value.is_empty() && !required {
            return None;
        }
        if value.len() == digits && value.chars().all(|c| c.is_ascii_digit()) {
            Some(value.to_owned())
        } else {
            self.fail(
                field,
                "CODE_FORMAT",
                format!("{field} 应为 {digits} 位数字"),
                format!("{field} must be {digits} digits"),
            );
            None
        }
    }

    fn rate(&mut self, field: &str, below: Decimal) -> Option<Rate> {
        match Rate::parse_below(self.get(field), below) {
            Ok(rate) => Some(rate),
            Err(e) => {
                self.fail(
                    field,
                    "RATE_FORMAT",
                    format!("{field} 应为 0 到 {below}（不含）之间的小数，如 0.13"),
                    format!("{field}: {e}; use a decimal from 0 up to (not including) {below}, such as 0.13"),
                );
                None
            }
        }
    }

    fn amount(&mut self, field: &str) -> Option<Decimal> {
        match Rate::parse_below(self.get(field), Decimal::from(1_000_000)) {
            Ok(rate) if rate.value() > Decimal::ZERO => Some(rate.value()),
            _ => {
                self.fail(
                    field,
                    "AMOUNT_FORMAT",
                    format!("{field} 应为大于 0 的金额（元），最多 6 位小数"),
                    format!(
                        "{field} must be an amount in CNY above 0 with at most 6 decimal places"
                    ),
                );
                None
            }
        }
    }

    fn must_be_empty(&mut self, field: &str, ct_kind: &str) {
        if !self.get(field).is_empty() {
            self.fail(
                field,
                "CT_FIELD_UNEXPECTED",
                format!("消费税方式为 {ct_kind} 时 {field} 应为空"),
                format!("{field} must be empty when ct_kind is {ct_kind}"),
            );
        }
    }
}

impl RowParser {
    fn new(kind: ReferenceKind, columns: &'static [&'static str]) -> Self {
        RowParser {
            kind,
            columns,
            tariff: Vec::new(),
            codes: Vec::new(),
            sources: Vec::new(),
            lines: Vec::new(),
            seen: HashSet::new(),
            errors: Vec::new(),
        }
    }

    fn row(&mut self, line: u64, record: &csv::StringRecord, format: Format) {
        let mut fields = Fields {
            line,
            record,
            columns: self.columns,
            errors: Vec::new(),
        };
        let source = match format {
            Format::Seed => record.get(self.columns.len()).map(str::to_owned),
            Format::Import => None,
        };
        let key = match self.kind {
            ReferenceKind::Tariff => tariff_line(&mut fields, format).map(|l| {
                let key = l.hs_code.to_string();
                self.tariff.push(l);
                key
            }),
            kind => code_entry(kind, &mut fields).map(|e| {
                let key = e.code.clone();
                self.codes.push(e);
                key
            }),
        };
        if let Some(key) = key {
            if !self.seen.insert(key.clone()) {
                let field = self.kind.columns()[0];
                fields.fail(
                    field,
                    "DUPLICATE_CODE",
                    format!("{key} 在文件中重复出现"),
                    format!("{key} appears more than once in the file"),
                );
            }
            self.sources.push(source);
            self.lines.push(line);
        }
        self.errors.append(&mut fields.errors);
    }

    fn finish(self) -> Result<Table, ImportError> {
        if !self.errors.is_empty() {
            return Err(ImportError::Rows(self.errors));
        }
        let rows = match self.kind {
            ReferenceKind::Tariff => Rows::Tariff(self.tariff),
            _ => Rows::Codes(self.codes),
        };
        if rows.is_empty() {
            return Err(ImportError::NoRows);
        }
        Ok(Table {
            kind: self.kind,
            rows,
            sources: self.sources,
            lines: self.lines,
        })
    }
}

fn tariff_line(f: &mut Fields<'_>, format: Format) -> Option<TariffLine> {
    let before = f.errors.len();
    let hs_code = match HsCode::parse(f.get("hs_code")) {
        Ok(code) => Some(code),
        Err(e) => {
            f.fail("hs_code", e.code(), e.message_zh(), e.message_en());
            None
        }
    };
    let name_zh = f.required_text("name_zh", 200);
    let unit1 = f.digits("unit1", 3, true);
    let unit2 = f.digits("unit2", 3, false);
    let vat_rate = f.rate("vat_rate", Decimal::ONE);
    let consumption_tax = consumption_tax(f);
    let mfn_duty_rate = f.rate("mfn_duty_rate", Decimal::from(10));
    let positive_list = match (f.get("positive_list"), format) {
        ("true", _) => Some(Some(true)),
        ("false", _) => Some(Some(false)),
        // The seed set marks lines no source confirmed as unknown.
        ("", Format::Seed) => Some(None),
        _ => {
            f.fail(
                "positive_list",
                "BOOLEAN_FORMAT",
                "positive_list 应为 true 或 false".to_owned(),
                "positive_list must be true or false".to_owned(),
            );
            None
        }
    };
    let positive_list_remark = f.optional_text("positive_list_remark", 200);
    if f.errors.len() > before {
        return None;
    }
    Some(TariffLine {
        hs_code: hs_code?,
        name_zh: name_zh?,
        unit1: unit1?,
        unit2,
        vat_rate: vat_rate?,
        consumption_tax: consumption_tax?,
        mfn_duty_rate: mfn_duty_rate?,
        positive_list: positive_list?,
        positive_list_remark,
    })
}

/// The consumption-tax columns: which are required and which must be empty
/// depends on `ct_kind`.
fn consumption_tax(f: &mut Fields<'_>) -> Option<ConsumptionTax> {
    let kind = f.get("ct_kind");
    match kind {
        "none" => {
            for field in [
                "ct_ad_valorem_rate",
                "ct_specific_amount",
                "ct_specific_unit",
            ] {
                f.must_be_empty(field, kind);
            }
            Some(ConsumptionTax::None)
        }
        "ad_valorem" => {
            f.must_be_empty("ct_specific_amount", kind);
            f.must_be_empty("ct_specific_unit", kind);
            Some(ConsumptionTax::AdValorem {
                rate: f.rate("ct_ad_valorem_rate", Decimal::ONE)?,
            })
        }
        "specific" => {
            f.must_be_empty("ct_ad_valorem_rate", kind);
            let amount = f.amount("ct_specific_amount");
            let unit = f.digits("ct_specific_unit", 3, true);
            Some(ConsumptionTax::Specific {
                amount: amount?,
                unit: unit?,
            })
        }
        "compound" => {
            let rate = f.rate("ct_ad_valorem_rate", Decimal::ONE);
            let amount = f.amount("ct_specific_amount");
            let unit = f.digits("ct_specific_unit", 3, true);
            Some(ConsumptionTax::Compound {
                rate: rate?,
                amount: amount?,
                unit: unit?,
            })
        }
        _ => {
            f.fail(
                "ct_kind",
                "CT_KIND_UNKNOWN",
                "ct_kind 应为 none、ad_valorem、specific 或 compound".to_owned(),
                "ct_kind must be none, ad_valorem, specific or compound".to_owned(),
            );
            None
        }
    }
}

fn code_entry(kind: ReferenceKind, f: &mut Fields<'_>) -> Option<CodeEntry> {
    let before = f.errors.len();
    let code = f.digits("code", kind.code_digits().unwrap_or(0), true);
    let name_zh = f.required_text("name_zh", 100);
    let iso = match kind {
        ReferenceKind::Country => iso_code(f, "iso_alpha2", 2),
        ReferenceKind::Currency => iso_code(f, "iso_alpha3", 3),
        _ => None,
    };
    let name_en = f.optional_text("name_en", 100);
    let name_ru = f.optional_text("name_ru", 100);
    if f.errors.len() > before {
        return None;
    }
    Some(CodeEntry {
        code: code?,
        name_zh: name_zh?,
        iso,
        name_en,
        name_ru,
    })
}

/// An ISO code, or nothing for entries that have none (e.g. 701 国(地)别不详的,
/// 999 中性包装原产国别 in the customs country table).
fn iso_code(f: &mut Fields<'_>, field: &str, letters: usize) -> Option<String> {
    let value = f.get(field);
    if value.is_empty() {
        return None;
    }
    if value.len() == letters && value.chars().all(|c| c.is_ascii_uppercase()) {
        Some(value.to_owned())
    } else {
        f.fail(
            field,
            "ISO_FORMAT",
            format!("{field} 应为 {letters} 个大写字母"),
            format!("{field} must be {letters} upper-case letters"),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARIFF_HEADER: &str = "hs_code,name_zh,unit1,unit2,vat_rate,ct_kind,ct_ad_valorem_rate,ct_specific_amount,ct_specific_unit,mfn_duty_rate,positive_list,positive_list_remark";

    fn tariff(rows: &[&str]) -> Result<Table, ImportError> {
        let text = format!("{TARIFF_HEADER}\n{}\n", rows.join("\n"));
        parse(ReferenceKind::Tariff, text.as_bytes(), Format::Import)
    }

    fn bad_rows(result: Result<Table, ImportError>) -> Vec<(u64, String, &'static str)> {
        match result {
            Err(ImportError::Rows(rows)) => rows
                .into_iter()
                .map(|r| (r.line, r.field, r.rule))
                .collect(),
            other => panic!("expected bad rows, got {other:?}"),
        }
    }

    #[test]
    fn reads_every_consumption_tax_kind() {
        let table = tariff(&[
            "0303670000,冻狭鳕鱼,035,,0.09,none,,,,0.07,true,",
            "3304990029,其他美容化妆品,035,,0.13,ad_valorem,0.15,,,0.01,true,",
            "2203000000,麦芽酿造的啤酒,095,,0.13,specific,,250,036,0,true,",
            "2208600000,伏特加,095,,0.13,compound,0.20,0.5,035,0.05,true,限直购",
        ])
        .unwrap();
        let Rows::Tariff(lines) = &table.rows else {
            panic!()
        };
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[1].consumption_tax.rate().unwrap().to_string(), "0.15");
        assert_eq!(lines[3].positive_list_remark.as_deref(), Some("限直购"));
        assert_eq!(table.lines, [2, 3, 4, 5]);
    }

    #[test]
    fn every_bad_row_is_reported_with_line_field_and_rule() {
        let rows = bad_rows(tariff(&[
            "0303670000,冻狭鳕鱼,035,,0.09,none,,,,0.07,true,",
            "030367000,短编码,035,,0.09,none,,,,0.07,true,",
            "0303680000,名称,35,,1.3,ad_valorem,,,,0.07,yes,",
            "0303670000,重复,035,,0.09,none,0.1,,,0.07,true,",
        ]));
        assert_eq!(
            rows,
            [
                (3, "hs_code".to_owned(), "ID_LENGTH"),
                (4, "unit1".to_owned(), "CODE_FORMAT"),
                (4, "vat_rate".to_owned(), "RATE_FORMAT"),
                (4, "ct_ad_valorem_rate".to_owned(), "RATE_FORMAT"),
                (4, "positive_list".to_owned(), "BOOLEAN_FORMAT"),
                (5, "ct_ad_valorem_rate".to_owned(), "CT_FIELD_UNEXPECTED"),
            ]
        );
    }

    #[test]
    fn duplicates_are_refused() {
        let rows = bad_rows(tariff(&[
            "0303670000,冻狭鳕鱼,035,,0.09,none,,,,0.07,true,",
            "0303670000,冻狭鳕鱼,035,,0.09,none,,,,0.07,true,",
        ]));
        assert_eq!(rows, [(3, "hs_code".to_owned(), "DUPLICATE_CODE")]);
    }

    #[test]
    fn the_header_must_be_exact() {
        let wrong = "code,name\n344,俄罗斯联邦\n";
        let error = parse(ReferenceKind::Country, wrong.as_bytes(), Format::Import).unwrap_err();
        assert!(matches!(error, ImportError::Header { .. }), "{error:?}");
        let seed = "code,name_zh,iso_alpha2,source\n344,俄罗斯联邦,RU,GB/T 2659\n";
        assert!(parse(ReferenceKind::Country, seed.as_bytes(), Format::Import).is_err());
        let table = parse(ReferenceKind::Country, seed.as_bytes(), Format::Seed).unwrap();
        assert_eq!(table.sources, [Some("GB/T 2659".to_owned())]);
    }

    #[test]
    fn code_lists_check_digits_and_iso_codes() {
        let text = "\u{feff}code,name_zh,iso_alpha3\n142,人民币,CNY\n14,短,CN\n999,无,\n";
        let rows = bad_rows(parse(
            ReferenceKind::Currency,
            text.as_bytes(),
            Format::Import,
        ));
        assert_eq!(
            rows,
            [
                (3, "code".to_owned(), "CODE_FORMAT"),
                (3, "iso_alpha3".to_owned(), "ISO_FORMAT")
            ]
        );
        let empty = "code,name_zh\n";
        assert_eq!(
            parse(ReferenceKind::Unit, empty.as_bytes(), Format::Import),
            Err(ImportError::NoRows)
        );
        let hidden = "code,name_zh\n035,千\u{202E}克\n036,克\u{7}\n";
        assert_eq!(
            bad_rows(parse(
                ReferenceKind::Unit,
                hidden.as_bytes(),
                Format::Import
            )),
            [
                (2, "name_zh".to_owned(), "FIELD_BIDI_CONTROL"),
                (3, "name_zh".to_owned(), "FIELD_CONTROL_CHARACTER")
            ]
        );
        let ragged = "code,name_zh\n035,千克,extra\n";
        assert!(matches!(
            parse(ReferenceKind::Unit, ragged.as_bytes(), Format::Import),
            Err(ImportError::Unreadable { line: 2, .. })
        ));
    }

    #[test]
    fn a_code_list_may_carry_english_and_russian_names() {
        let text = "code,name_zh,iso_alpha3,name_en,name_ru\n142,人民币,CNY,Renminbi,Юань\n502,美元,USD,,\n";
        let table = parse(ReferenceKind::Currency, text.as_bytes(), Format::Import).unwrap();
        let Rows::Codes(entries) = table.rows else {
            panic!("codes")
        };
        assert_eq!(
            (
                entries[0].name_in("en"),
                entries[0].name_in("ru"),
                entries[0].name_in("zh")
            ),
            ("Renminbi", "Юань", "人民币")
        );
        assert_eq!(
            entries[1].name_in("ru"),
            "美元",
            "no Russian name: the Chinese one"
        );
        let seed = "code,name_zh,name_en,name_ru,source\n007,个,piece,штука,note\n";
        let table = parse(ReferenceKind::Unit, seed.as_bytes(), Format::Seed).unwrap();
        assert_eq!(table.sources, vec![Some("note".to_owned())]);
        let control = "code,name_zh,name_en,name_ru\n007,个,pie\u{202e}ce,штука\n";
        let rows = bad_rows(parse(
            ReferenceKind::Unit,
            control.as_bytes(),
            Format::Import,
        ));
        assert_eq!(rows, vec![(2, "name_en".to_owned(), "FIELD_BIDI_CONTROL")]);
    }
}
