//! Exports of filing lists as CSV or XLSX: the same filters as the search,
//! the same sharing policy — each column a field the caller may see — and no
//! personal data.

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

/// A file as a download: its media type and a `Content-Disposition` naming
/// it `name` (ASCII).
pub fn file_response(format: Format, name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A table as a file: a header row of `columns`, then `body`, every cell as
/// text (codes keep their leading zeros); an XLSX has one sheet, `sheet`.
pub fn write_table(
    format: Format,
    sheet_name: &str,
    columns: &[String],
    body: &[Vec<String>],
) -> Result<Vec<u8>> {
    match format {
        Format::Csv => {
            let mut out = b"\xEF\xBB\xBF".to_vec();
            {
                let mut writer = csv::Writer::from_writer(&mut out);
                let failed = |e: csv::Error| Error::Internal(format!("CSV export: {e}"));
                writer.write_record(columns).map_err(failed)?;
                for row in body {
                    writer.write_record(row).map_err(failed)?;
                }
                writer
                    .flush()
                    .map_err(|e| Error::Internal(format!("CSV export: {e}")))?;
            }
            Ok(out)
        }
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
