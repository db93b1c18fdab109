//! Exports of filing lists as CSV or XLSX: the same filters as the search,
//! the same sharing policy — each column a field the caller may see — and no
//! personal data.

use std::borrow::Cow;

use kuajing_core::sharing::{COMMODITY_FIELDS, ENTERPRISE_FIELDS};
use kuajing_store::Store;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::filing::{self, FilingView, ListQuery};

/// The most filings one export holds.
pub const MAX_ROWS: i64 = 10_000;

/// An export's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values, UTF-8 with a byte-order mark (so that
    /// spreadsheet programs read Chinese correctly).
    Csv,
    /// Office Open XML workbook.
    Xlsx,
}

impl Format {
    /// Parses `csv` or `xlsx`.
    pub fn parse(text: &str) -> Result<Format> {
        match text {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            _ => Err(Error::invalid(
                "format",
                "EXPORT_FORMAT",
                format!("未知导出格式“{text}”，应为 csv 或 xlsx"),
                format!("unknown export format '{text}'; use csv or xlsx"),
            )),
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Every filing the query selects (up to [`MAX_ROWS`]), as the caller may see it.
async fn all(store: &Store, actor: &Actor, query: &ListQuery) -> Result<Vec<FilingView>> {
    let mut rows = Vec::new();
    let mut page = ListQuery {
        limit: 500,
        offset: 0,
        ..query.clone()
    };
    loop {
        let found = filing::list(store, actor, &page).await?;
        let count = found.filings.len() as i64;
        rows.extend(found.filings);
        page.offset += count;
        if count < 500 || page.offset >= MAX_ROWS || page.offset >= found.total {
            break;
        }
    }
    rows.truncate(usize::try_from(MAX_ROWS).unwrap_or(usize::MAX));
    Ok(rows)
}

/// The columns: kind, key, title, owner, status, versions, then every field
/// of the kinds present that any row shows.
fn table(rows: &[FilingView]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut columns: Vec<String> = [
        "kind",
        "subject_key",
        "title",
        "owner",
        "status",
        "version_no",
        "active_version_no",
    ]
    .map(String::from)
    .to_vec();
    for field in ENTERPRISE_FIELDS.iter().chain(COMMODITY_FIELDS) {
        let shown = rows.iter().any(|r| r.record.get(*field).is_some());
        if shown
            && !columns.iter().any(|c| c == field)
            && *field != "attachments"
            && *field != "photo"
        {
            columns.push((*field).to_owned());
        }
    }
    let body = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| match c.as_str() {
                    "kind" => r.kind.clone(),
                    "subject_key" => r.subject_key.clone(),
                    "title" => r.title.clone(),
                    "owner" => r.owner.clone(),
                    "status" => r.status.clone(),
                    "version_no" => r.version_no.to_string(),
                    "active_version_no" => r
                        .active_version_no
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                    field => text(r.record.get(field)),
                })
                .collect()
        })
        .collect();
    (columns, body)
}

fn text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| text(Some(i)))
            .collect::<Vec<_>>()
            .join(","),
        Some(other) => other.to_string(),
    }
}

/// The export file's bytes.
pub async fn export(
    store: &Store,
    actor: &Actor,
    query: &ListQuery,
    format: Format,
) -> Result<Vec<u8>> {
    let rows = all(store, actor, query).await?;
    let (columns, body) = table(&rows);
    write_table(format, "filings", &columns, &body)
}

/// A table as a file: a header row of `columns`, then `body`, every cell as
/// text (codes keep their leading zeros); an XLSX has one sheet, `sheet`.
///
/// Every CSV the platform writes comes from here, so every cell passes
/// [`neutralise`]. An XLSX needs no such care: `write_string` stores a
/// typed string cell (`t="s"`, never an `<f>` formula element), which a
/// spreadsheet shows as text however it begins.
pub fn write_table(
    format: Format,
    sheet_name: &str,
    columns: &[String],
    body: &[Vec<String>],
) -> Result<Vec<u8>> {
    match format {
        Format::Csv => Ok(csv_file(columns, body)),
        Format::Xlsx => {
            let failed =
                |e: rust_xlsxwriter::XlsxError| Error::Internal(format!("XLSX export: {e}"));
            let mut workbook = Workbook::new();
            let sheet = workbook.add_worksheet();
            sheet.set_name(sheet_name).map_err(failed)?;
            for (col, name) in columns.iter().enumerate() {
                sheet
                    .write_string(0, u16::try_from(col).unwrap_or(u16::MAX), name)
                    .map_err(failed)?;
            }
            for (r, row) in body.iter().enumerate() {
                for (col, value) in row.iter().enumerate() {
                    // Everything as text: codes keep their leading zeros.
                    sheet
                        .write_string(
                            u32::try_from(r + 1).unwrap_or(u32::MAX),
                            u16::try_from(col).unwrap_or(u16::MAX),
                            value,
                        )
                        .map_err(failed)?;
                }
            }
            workbook.save_to_buffer().map_err(failed)
        }
    }
}

/// A CSV file (RFC 4180, `\n` line ends) in UTF-8 with a byte-order mark
/// (so that spreadsheet programs read Chinese correctly): the header row,
/// then the body, each cell [`neutralise`]d.
fn csv_file(columns: &[String], body: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    for row in std::iter::once(columns).chain(body.iter().map(Vec::as_slice)) {
        if let [only] = row
            && only.is_empty()
        {
            // A lone empty cell, quoted: an empty line is no row to a reader.
            out.push_str("\"\"\n");
            continue;
        }
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_cell(&mut out, cell);
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// Appends one cell: neutralised, and quoted (inner quotes doubled) when it
/// was neutralised or holds a comma, a quote or a line break.
fn csv_cell(out: &mut String, cell: &str) {
    let text = neutralise(cell);
    let neutralised = matches!(text, Cow::Owned(_));
    if neutralised || text.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&text);
    }
}

/// A CSV cell made safe from formula injection (OWASP, "CSV Injection"): a
/// cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return —
/// what spreadsheet programs take for the start of a formula — gets a
/// leading `'`, so that it is shown as the text it is; the CSV writer then
/// quotes it. A plain negative number (`-3`, `-12.50`: `-`, digits, at most
/// one `.` followed by digits) is not a formula and stays as it is, so
/// quantities and amounts remain numbers.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let formula_like = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula_like && !is_plain_negative_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// `-` then digits, optionally `.` and more digits: `-3`, `-12.50`.
fn is_plain_negative_number(cell: &str) -> bool {
    let Some(magnitude) = cell.strip_prefix('-') else {
        return false;
    };
    let (whole, fraction) = magnitude.split_once('.').unwrap_or((magnitude, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a CSV reader (the `csv` crate, as a spreadsheet would) reads
    /// back from a file of `rows`.
    fn read_back(bytes: &[u8]) -> Vec<Vec<String>> {
        let text = std::str::from_utf8(bytes).unwrap_or_default();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| {
                r.map(|r| r.iter().map(str::to_owned).collect())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn formulas_are_neutralised_and_negative_numbers_kept() {
        for (cell, written) in [
            ("=1+2", "'=1+2"),
            (
                "=HYPERLINK(\"http://evil.example\",\"x\")",
                "'=HYPERLINK(\"http://evil.example\",\"x\")",
            ),
            ("+86 433-7512345", "'+86 433-7512345"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("-5.", "'-5."),
            ("-1e5", "'-1e5"),
            ("-3", "-3"),
            ("-12.50", "-12.50"),
            ("12.50", "12.50"),
            ("椴树蜜", "椴树蜜"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), written, "{cell:?}");
        }
    }

    #[test]
    fn neutralised_cells_are_quoted_and_others_written_as_before() {
        let columns = ["name".to_owned(), "amount".to_owned()];
        let body = [
            vec!["=1+2".to_owned(), "-12.50".to_owned()],
            vec!["椴树蜜, 500 g".to_owned(), "8.33".to_owned()],
        ];
        let bytes = csv_file(&columns, &body);
        assert_eq!(
            String::from_utf8_lossy(&bytes),
            "\u{feff}name,amount\n\"'=1+2\",-12.50\n\"椴树蜜, 500 g\",8.33\n"
        );
    }

    #[test]
    fn an_xlsx_holds_strings_never_formulas() {
        use calamine::{Data, Reader, Xlsx};
        let columns = ["name".to_owned()];
        let body = [vec!["=1+2".to_owned()], vec!["-3".to_owned()]];
        let bytes = write_table(Format::Xlsx, "t", &columns, &body).unwrap_or_default();
        let mut workbook: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let formulas = workbook.worksheet_formula("t").unwrap();
        assert!(formulas.cells().all(|(_, _, f)| f.is_empty()), "no formula");
        let values = workbook.worksheet_range("t").unwrap();
        assert_eq!(values.get((1, 0)), Some(&Data::String("=1+2".to_owned())));
        assert_eq!(values.get((2, 0)), Some(&Data::String("-3".to_owned())));
    }

    proptest! {
        /// Whatever a cell holds, what a reader gets back either does not
        /// begin like a formula or is a plain negative number; a cell that
        /// did not begin like one comes back unchanged, one that did comes
        /// back behind a `'`.
        #[test]
        fn no_cell_reads_back_as_a_formula(
            cells in proptest::collection::vec(
                prop_oneof![
                    r"[=+\-@\t\r]?[ -~\t\r\n椴蜜]{0,12}",
                    r"-[0-9]{1,6}(\.[0-9]{1,3})?",
                    any::<String>(),
                ],
                1..6,
            )
        ) {
            let bytes = csv_file(&cells, &[]);
            let back = read_back(&bytes);
            prop_assert_eq!(back.len(), 1);
            prop_assert_eq!(back[0].len(), cells.len());
            for (given, read) in cells.iter().zip(&back[0]) {
                let triggers = ['=', '+', '-', '@', '\t', '\r'];
                prop_assert!(
                    !read.starts_with(triggers) || is_plain_negative_number(read),
                    "{:?} read back as {:?}", given, read
                );
                if given.starts_with(triggers) && !is_plain_negative_number(given) {
                    prop_assert_eq!(read, &format!("'{given}"));
                } else {
                    prop_assert_eq!(read, given);
                }
            }
        }
    }
}
