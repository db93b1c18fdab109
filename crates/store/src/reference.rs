//! Reference data: versions with effective dates, the tariff table and the
//! code lists.
//!
//! An import is a version of one kind. Only rows that differ from the row in
//! force at the version's effective date are stored again, and rows the file
//! does not mention stay as they are (an import never deletes). The row in
//! force at instant T is the newest row with `effective_from <= T`; every
//! answer names its version so that a decision can cite it.

use std::collections::HashMap;

use kuajing_core::ids::HsCode;
use kuajing_core::timestamp::Timestamp;
use kuajing_reference::ReferenceKind;
use kuajing_reference::codes::CodeEntry;
use kuajing_reference::csv_import::{Rows, Table};
use kuajing_reference::rate::Rate;
use kuajing_reference::tariff::{ConsumptionTax, TariffLine};
use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Conn;

use crate::dynamic::Statement;
use crate::error::StoreError;
use crate::organisations::parse_time;

/// Which version a row came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VersionRef {
    /// Version id.
    pub id: String,
    /// Sequence number within its kind (1, 2, …).
    pub version_no: i64,
    /// In force from.
    pub effective_from: Timestamp,
}

/// An imported version of one kind.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReferenceVersion {
    /// Id, number and effective date.
    #[serde(flatten)]
    pub version: VersionRef,
    /// Which table.
    pub kind: String,
    /// When imported.
    pub imported_at: Timestamp,
    /// By whom (`seed`, `operator`, a login).
    pub imported_by: String,
    /// The file's name, if known.
    pub file_name: Option<String>,
    /// SHA-256 of the file.
    pub file_sha256: Option<String>,
    /// Rows new in this version.
    pub rows_added: i64,
    /// Rows that changed.
    pub rows_updated: i64,
    /// Rows in the file that were already so.
    pub rows_unchanged: i64,
}

/// What is known about an import before it is stored.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    /// In force from.
    pub effective_from: Timestamp,
    /// By whom.
    pub imported_by: &'a str,
    /// The file's name.
    pub file_name: Option<&'a str>,
    /// SHA-256 of the file.
    pub file_sha256: Option<&'a str>,
}

/// A tariff line with the version it comes from and its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTariffLine {
    /// The line.
    pub line: TariffLine,
    /// Its version.
    pub version: VersionRef,
    /// Where the row came from (seed rows name a public source).
    pub source: Option<String>,
}

/// A code-list entry with its version and source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCode {
    /// The entry.
    pub entry: CodeEntry,
    /// Its version.
    pub version: VersionRef,
    /// Where the row came from.
    pub source: Option<String>,
}

/// Stores `table` as the next version of its kind; returns the version with
/// its counts. Part of the caller's transaction.
pub async fn store_table(
    conn: &mut Conn,
    table: &Table,
    new: &NewVersion<'_>,
) -> Result<ReferenceVersion, StoreError> {
    let kind = table.kind;
    let version_no: i64 = crate::sql::query_scalar(
        "SELECT COALESCE(MAX(version_no), 0) + 1 FROM reference_versions WHERE kind = $1",
    )
    .bind(kind.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let version = VersionRef {
        id: uuid::Uuid::now_v7().to_string(),
        version_no,
        effective_from: new.effective_from,
    };
    // The version row first (rows refer to it), its counts once known.
    let imported_at = Timestamp::now();
    crate::sql::query(
        "INSERT INTO reference_versions (id, kind, version_no, effective_from, imported_at, imported_by, \
         file_name, file_sha256, rows_added, rows_updated, rows_unchanged) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, 0)",
    )
    .bind(&version.id)
    .bind(kind.as_str())
    .bind(version_no)
    .bind(new.effective_from.to_string())
    .bind(imported_at.to_string())
    .bind(new.imported_by)
    .bind(new.file_name)
    .bind(new.file_sha256)
    .execute(&mut *conn)
    .await?;
    let counts = match &table.rows {
        Rows::Tariff(lines) => store_tariff(conn, &version, lines, &table.sources).await?,
        Rows::Codes(entries) => store_codes(conn, kind, &version, entries, &table.sources).await?,
    };
    crate::sql::query(
        "UPDATE reference_versions SET rows_added = $1, rows_updated = $2, rows_unchanged = $3 WHERE id = $4",
    )
    .bind(counts.added)
    .bind(counts.updated)
    .bind(counts.unchanged)
    .bind(&version.id)
    .execute(&mut *conn)
    .await?;
    Ok(ReferenceVersion {
        version,
        kind: kind.as_str().to_owned(),
        imported_at,
        imported_by: new.imported_by.to_owned(),
        file_name: new.file_name.map(str::to_owned),
        file_sha256: new.file_sha256.map(str::to_owned),
        rows_added: counts.added,
        rows_updated: counts.updated,
        rows_unchanged: counts.unchanged,
    })
}

#[derive(Default)]
struct Counts {
    added: i64,
    updated: i64,
    unchanged: i64,
}

impl Counts {
    fn count<T: PartialEq>(&mut self, current: Option<&T>, new: &T) -> bool {
        match current {
            None => {
                self.added += 1;
                true
            }
            Some(old) if old != new => {
                self.updated += 1;
                true
            }
            Some(_) => {
                self.unchanged += 1;
                false
            }
        }
    }
}

async fn store_tariff(
    conn: &mut Conn,
    version: &VersionRef,
    lines: &[TariffLine],
    sources: &[Option<String>],
) -> Result<Counts, StoreError> {
    let current: HashMap<String, TariffLine> = tariff_in_force(conn, version.effective_from, None)
        .await?
        .into_iter()
        .map(|stored| (stored.line.hs_code.to_string(), stored.line))
        .collect();
    let mut counts = Counts::default();
    for (line, source) in lines
        .iter()
        .zip(sources.iter().chain(std::iter::repeat(&None)))
    {
        if !counts.count(current.get(line.hs_code.as_str()), line) {
            continue;
        }
        let ct = &line.consumption_tax;
        let specific = ct.specific();
        crate::sql::query(
            "INSERT INTO tariff_lines (hs_code, version_id, effective_from, version_no, name_zh, unit1, unit2, \
             vat_rate, ct_kind, ct_ad_valorem_rate, ct_specific_amount, ct_specific_unit, mfn_duty_rate, \
             positive_list, positive_list_remark, source) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(line.hs_code.as_str())
        .bind(&version.id)
        .bind(version.effective_from.to_string())
        .bind(version.version_no)
        .bind(&line.name_zh)
        .bind(&line.unit1)
        .bind(line.unit2.as_deref())
        .bind(line.vat_rate.to_string())
        .bind(ct.kind_name())
        .bind(ct.rate().map(|r| r.to_string()))
        .bind(specific.map(|(amount, _)| amount.normalize().to_string()))
        .bind(specific.map(|(_, unit)| unit.to_owned()))
        .bind(line.mfn_duty_rate.to_string())
        .bind(line.positive_list.map(i64::from))
        .bind(line.positive_list_remark.as_deref())
        .bind(source.as_deref())
        .execute(&mut *conn)
        .await?;
    }
    Ok(counts)
}

async fn store_codes(
    conn: &mut Conn,
    kind: ReferenceKind,
    version: &VersionRef,
    entries: &[CodeEntry],
    sources: &[Option<String>],
) -> Result<Counts, StoreError> {
    let current: HashMap<String, CodeEntry> = codes_in_force(conn, kind, version.effective_from)
        .await?
        .into_iter()
        .map(|stored| (stored.entry.code.clone(), stored.entry))
        .collect();
    let mut counts = Counts::default();
    for (given, source) in entries
        .iter()
        .zip(sources.iter().chain(std::iter::repeat(&None)))
    {
        // A file without a translation keeps the one in force: a table
        // imported with Chinese names only does not erase the English and
        // Russian names an earlier version gave.
        let old = current.get(&given.code);
        let entry = &CodeEntry {
            name_en: given
                .name_en
                .clone()
                .or_else(|| old.and_then(|o| o.name_en.clone())),
            name_ru: given
                .name_ru
                .clone()
                .or_else(|| old.and_then(|o| o.name_ru.clone())),
            ..given.clone()
        };
        if !counts.count(old, entry) {
            continue;
        }
        crate::sql::query(
            "INSERT INTO reference_codes (kind, code, version_id, effective_from, version_no, name_zh, iso_code, source, \
             name_en, name_ru) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(kind.as_str())
        .bind(&entry.code)
        .bind(&version.id)
        .bind(version.effective_from.to_string())
        .bind(version.version_no)
        .bind(&entry.name_zh)
        .bind(entry.iso.as_deref())
        .bind(source.as_deref())
        .bind(entry.name_en.as_deref())
        .bind(entry.name_ru.as_deref())
        .execute(&mut *conn)
        .await?;
    }
    Ok(counts)
}

const TARIFF_COLUMNS: &str = "hs_code, version_id, effective_from, version_no, name_zh, unit1, unit2, vat_rate, \
     ct_kind, ct_ad_valorem_rate, ct_specific_amount, ct_specific_unit, mfn_duty_rate, positive_list, \
     positive_list_remark, source";

/// The tariff line of `hs_code` in force at `at`.
pub async fn tariff_line(
    conn: &mut Conn,
    hs_code: &str,
    at: Timestamp,
) -> Result<Option<StoredTariffLine>, StoreError> {
    let sql = format!(
        "SELECT {TARIFF_COLUMNS} FROM tariff_lines WHERE hs_code = $1 AND effective_from <= $2 \
         ORDER BY effective_from DESC, version_no DESC LIMIT 1"
    );
    let row = crate::sql::query_text(sql)
        .bind(hs_code)
        .bind(at.to_string())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(tariff_from_row).transpose()
}

/// Every version of the tariff line of `hs_code`, the newest first (by
/// date in force, then version number): what an in-memory cache keeps of a
/// code, to answer [`tariff_line`] at any instant without a statement.
pub async fn tariff_versions(
    conn: &mut Conn,
    hs_code: &str,
) -> Result<Vec<StoredTariffLine>, StoreError> {
    let sql = format!(
        "SELECT {TARIFF_COLUMNS} FROM tariff_lines WHERE hs_code = $1 \
         ORDER BY effective_from DESC, version_no DESC"
    );
    let rows = crate::sql::query_text(sql)
        .bind(hs_code)
        .fetch_all(conn)
        .await?;
    rows.iter().map(tariff_from_row).collect()
}

/// Every tariff line in force at `at`, by code; with `search`, only lines
/// whose code starts with it or whose name contains it.
pub async fn tariff_in_force(
    conn: &mut Conn,
    at: Timestamp,
    search: Option<&str>,
) -> Result<Vec<StoredTariffLine>, StoreError> {
    let mut query = Statement::new(format!(
        "SELECT {TARIFF_COLUMNS} FROM (SELECT t.*, ROW_NUMBER() OVER \
         (PARTITION BY hs_code ORDER BY effective_from DESC, version_no DESC) AS newest \
         FROM tariff_lines t WHERE effective_from <= "
    ));
    query.bind(at.to_string()).push(") x WHERE newest = 1");
    if let Some(text) = search.filter(|s| !s.is_empty()) {
        query
            .push(" AND (hs_code LIKE ")
            .bind(format!("{}%", crate::dynamic::escape_like(text)))
            .push(" ESCAPE '\\' OR name_zh LIKE ")
            .bind(format!("%{}%", crate::dynamic::escape_like(text)))
            .push(" ESCAPE '\\')");
    }
    query.push(" ORDER BY hs_code");
    let rows = query.fetch_all(conn).await?;
    rows.iter().map(tariff_from_row).collect()
}

/// The entry `code` of `kind` in force at `at`.
pub async fn code(
    conn: &mut Conn,
    kind: ReferenceKind,
    code: &str,
    at: Timestamp,
) -> Result<Option<StoredCode>, StoreError> {
    let row = crate::sql::query(
        "SELECT code, name_zh, iso_code, name_en, name_ru, version_id, effective_from, version_no, source FROM reference_codes \
         WHERE kind = $1 AND code = $2 AND effective_from <= $3 \
         ORDER BY effective_from DESC, version_no DESC LIMIT 1",
    )
    .bind(kind.as_str())
    .bind(code)
    .bind(at.to_string())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(code_from_row).transpose()
}

/// Every entry of `kind` in force at `at`, by code.
pub async fn codes_in_force(
    conn: &mut Conn,
    kind: ReferenceKind,
    at: Timestamp,
) -> Result<Vec<StoredCode>, StoreError> {
    let rows = crate::sql::query(
        "SELECT code, name_zh, iso_code, name_en, name_ru, version_id, effective_from, version_no, source FROM \
         (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY code ORDER BY effective_from DESC, version_no DESC) AS newest \
          FROM reference_codes c WHERE kind = $1 AND effective_from <= $2) x \
         WHERE newest = 1 ORDER BY code",
    )
    .bind(kind.as_str())
    .bind(at.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(code_from_row).collect()
}

/// The versions imported, newest first; of one kind if given.
pub async fn versions(
    conn: &mut Conn,
    kind: Option<ReferenceKind>,
) -> Result<Vec<ReferenceVersion>, StoreError> {
    let mut query = Statement::new(
        "SELECT id, kind, version_no, effective_from, imported_at, imported_by, file_name, file_sha256, \
         rows_added, rows_updated, rows_unchanged FROM reference_versions WHERE 1 = 1",
    );
    if let Some(kind) = kind {
        query.push(" AND kind = ").bind(kind.as_str().to_owned());
    }
    query.push(" ORDER BY imported_at DESC, version_no DESC");
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok(ReferenceVersion {
                version: VersionRef {
                    id: row.try_get("id")?,
                    version_no: row.try_get("version_no")?,
                    effective_from: parse_time(row, "effective_from")?,
                },
                kind: row.try_get("kind")?,
                imported_at: parse_time(row, "imported_at")?,
                imported_by: row.try_get("imported_by")?,
                file_name: row.try_get("file_name")?,
                file_sha256: row.try_get("file_sha256")?,
                rows_added: row.try_get("rows_added")?,
                rows_updated: row.try_get("rows_updated")?,
                rows_unchanged: row.try_get("rows_unchanged")?,
            })
        })
        .collect()
}

/// Whether any reference version exists (the seed set loads only into a
/// database without one).
pub async fn any_loaded(conn: &mut Conn) -> Result<bool, StoreError> {
    let count: i64 = crate::sql::query_scalar("SELECT COUNT(*) FROM reference_versions")
        .fetch_one(conn)
        .await?;
    Ok(count > 0)
}

fn version_from_row(row: &AnyRow) -> Result<VersionRef, StoreError> {
    Ok(VersionRef {
        id: row.try_get("version_id")?,
        version_no: row.try_get("version_no")?,
        effective_from: parse_time(row, "effective_from")?,
    })
}

fn stored_rate(text: &str) -> Result<Rate, StoreError> {
    Rate::parse_below(text, Decimal::from(10)).map_err(|_| StoreError::corrupt("rate", text))
}

fn tariff_from_row(row: &AnyRow) -> Result<StoredTariffLine, StoreError> {
    let code: String = row.try_get("hs_code")?;
    let rate: Option<String> = row.try_get("ct_ad_valorem_rate")?;
    let amount: Option<String> = row.try_get("ct_specific_amount")?;
    let unit: Option<String> = row.try_get("ct_specific_unit")?;
    let kind: String = row.try_get("ct_kind")?;
    let rate = rate.as_deref().map(stored_rate).transpose()?;
    let amount = amount
        .as_deref()
        .map(|a| {
            a.parse::<Decimal>()
                .map_err(|_| StoreError::corrupt("amount", a))
        })
        .transpose()?;
    let consumption_tax = match (kind.as_str(), rate, amount, unit) {
        ("none", _, _, _) => ConsumptionTax::None,
        ("ad_valorem", Some(rate), _, _) => ConsumptionTax::AdValorem { rate },
        ("specific", _, Some(amount), Some(unit)) => ConsumptionTax::Specific { amount, unit },
        ("compound", Some(rate), Some(amount), Some(unit)) => {
            ConsumptionTax::Compound { rate, amount, unit }
        }
        _ => return Err(StoreError::corrupt("consumption tax of", &code)),
    };
    let vat: String = row.try_get("vat_rate")?;
    let mfn: String = row.try_get("mfn_duty_rate")?;
    Ok(StoredTariffLine {
        line: TariffLine {
            hs_code: HsCode::parse(&code)
                .map_err(|_| StoreError::corrupt("commodity code", &code))?,
            name_zh: row.try_get("name_zh")?,
            unit1: row.try_get("unit1")?,
            unit2: row.try_get("unit2")?,
            vat_rate: stored_rate(&vat)?,
            consumption_tax,
            mfn_duty_rate: stored_rate(&mfn)?,
            positive_list: row
                .try_get::<Option<i64>, _>("positive_list")?
                .map(|v| v != 0),
            positive_list_remark: row.try_get("positive_list_remark")?,
        },
        version: version_from_row(row)?,
        source: row.try_get("source")?,
    })
}

fn code_from_row(row: &AnyRow) -> Result<StoredCode, StoreError> {
    Ok(StoredCode {
        entry: CodeEntry {
            code: row.try_get("code")?,
            name_zh: row.try_get("name_zh")?,
            iso: row.try_get("iso_code")?,
            name_en: row.try_get("name_en")?,
            name_ru: row.try_get("name_ru")?,
        },
        version: version_from_row(row)?,
        source: row.try_get("source")?,
    })
}
