//! Reference data as the platform uses it: importing a table (checked row by
//! row and against the other tables, all or nothing, audited), loading the
//! shipped seed set into a new database, and looking rows up.

use std::collections::{HashMap, HashSet};

use kuajing_core::access::Action;
use kuajing_core::error::Localized;
use kuajing_core::timestamp::Timestamp;
use kuajing_reference::ReferenceKind;
use kuajing_reference::codes::CodeEntry;
use kuajing_reference::csv_import::{self, Format, ImportError, RowError, Rows, Table};
use kuajing_reference::seed;
use kuajing_store::reference::{self, NewVersion, ReferenceVersion, StoredCode, StoredTariffLine};
use kuajing_store::{Conn, Store, StoreError};
use sha2::{Digest, Sha256};

use crate::actor::Actor;
use crate::error::{Error, Result};

/// When the shipped seed rows take effect: the start of the oldest tariff
/// year they were read from, 2024 (`crates/reference/seed/SOURCES.md`).
pub const SEED_EFFECTIVE_FROM: &str = "2024-01-01T00:00:00Z";

/// A refused import: the file-level reason, or every bad row.
#[derive(Debug)]
pub struct ImportRefusal {
    /// The error to answer with.
    pub error: Error,
    /// Every bad row (empty for file-level problems).
    pub rows: Vec<RowError>,
}

impl From<Error> for ImportRefusal {
    fn from(error: Error) -> Self {
        ImportRefusal {
            error,
            rows: Vec::new(),
        }
    }
}

impl From<StoreError> for ImportRefusal {
    fn from(error: StoreError) -> Self {
        Error::from(error).into()
    }
}

fn refused(error: ImportError) -> ImportRefusal {
    let rows = match &error {
        ImportError::Rows(rows) => rows.clone(),
        _ => Vec::new(),
    };
    ImportRefusal {
        error: Error::invalid("file", error.code(), error.message_zh(), error.message_en()),
        rows,
    }
}

/// Imports `bytes` (CSV) as the next version of `kind`, in force from
/// `effective_from` (default: now). Nothing is stored unless every row is
/// good, including the units a tariff line names.
pub async fn import(
    store: &Store,
    actor: &Actor,
    kind: ReferenceKind,
    bytes: &[u8],
    file_name: Option<&str>,
    effective_from: Option<Timestamp>,
) -> Result<ReferenceVersion, ImportRefusal> {
    actor
        .authorize(
            store,
            Action::ImportReference,
            "",
            "reference.import",
            kind.as_str(),
        )
        .await?;
    let table = csv_import::parse(kind, bytes, Format::Import).map_err(refused)?;
    let effective_from = effective_from.unwrap_or_else(Timestamp::now);
    let sha256 = hex::encode(Sha256::digest(bytes));
    let mut tx = store.begin().await?;
    check_units(&mut tx, &table, effective_from)
        .await
        .map_err(refused)?;
    let new = NewVersion {
        effective_from,
        imported_by: &actor.name,
        file_name,
        file_sha256: Some(&sha256),
    };
    let version = reference::store_table(&mut tx, &table, &new).await?;
    let detail = format!(
        "version {}; {} added, {} updated, {} unchanged; sha256 {sha256}",
        version.version.version_no,
        version.rows_added,
        version.rows_updated,
        version.rows_unchanged
    );
    actor
        .commit(tx, "reference.import", Some(kind.as_str()), Some(&detail))
        .await?;
    Ok(version)
}

/// Refuses tariff lines whose units are not in the unit table in force.
async fn check_units(
    conn: &mut Conn,
    table: &Table,
    at: Timestamp,
) -> std::result::Result<(), ImportError> {
    let Rows::Tariff(lines) = &table.rows else {
        return Ok(());
    };
    let known: HashSet<String> = reference::codes_in_force(conn, ReferenceKind::Unit, at)
        .await
        .map_err(|e| ImportError::Unreadable {
            line: 0,
            detail: e.to_string(),
        })?
        .into_iter()
        .map(|c| c.entry.code)
        .collect();
    let mut errors = Vec::new();
    for (line, row) in lines.iter().zip(&table.lines) {
        for (field, unit) in line.unit_codes() {
            if !known.contains(unit) {
                errors.push(RowError {
                    line: *row,
                    field: field.to_owned(),
                    value: unit.to_owned(),
                    rule: "UNIT_UNKNOWN",
                    message_zh: format!("计量单位代码 {unit} 不在计量单位代码表中"),
                    message_en: format!("unit code {unit} is not in the measurement-unit table"),
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ImportError::Rows(errors))
    }
}

/// Loads the shipped seed set into a database that has no reference data
/// yet; returns the versions stored (none if some data was there).
pub async fn load_seed(store: &Store) -> Result<Vec<ReferenceVersion>> {
    let mut conn = store.reader().await?;
    let loaded = reference::any_loaded(&mut conn).await?;
    drop(conn);
    if loaded {
        return Ok(Vec::new());
    }
    let tables =
        seed::tables().map_err(|(kind, e)| Error::Internal(format!("seed table {kind}: {e}")))?;
    let effective_from: Timestamp = SEED_EFFECTIVE_FROM
        .parse()
        .map_err(|e| Error::Internal(format!("seed date: {e}")))?;
    let mut tx = store.begin().await?;
    let mut versions = Vec::new();
    for table in &tables {
        let new = NewVersion {
            effective_from,
            imported_by: "seed",
            file_name: Some(table.kind.as_str()),
            file_sha256: None,
        };
        versions.push(reference::store_table(&mut tx, table, &new).await?);
    }
    let detail = format!("{} tables", versions.len());
    Actor::system()
        .commit(tx, "reference.seed", None, Some(&detail))
        .await?;
    Ok(versions)
}

/// The tariff lines in force at `at` (税则查询), those whose code starts with
/// or whose name holds `search` when given; anyone signed in may read them.
pub async fn tariff_in_force(
    store: &Store,
    actor: &Actor,
    at: Timestamp,
    search: Option<&str>,
) -> Result<Vec<StoredTariffLine>> {
    actor.may(Action::ReadReference, "")?;
    let mut conn = store.reader().await?;
    Ok(reference::tariff_in_force(&mut conn, at, search).await?)
}

/// The tariff line of `hs_code` in force at `at`, with the version it
/// comes from; "not found" when no version has it.
pub async fn tariff_line(
    store: &Store,
    actor: &Actor,
    hs_code: &str,
    at: Timestamp,
) -> Result<StoredTariffLine> {
    actor.may(Action::ReadReference, "")?;
    let mut conn = store.reader().await?;
    reference::tariff_line(&mut conn, hs_code, at)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: "tariff line",
            key: hs_code.to_owned(),
        })
}

/// The entries of a code list (country, currency, unit, customs, division)
/// in force at `at`.
pub async fn codes_in_force(
    store: &Store,
    actor: &Actor,
    kind: ReferenceKind,
    at: Timestamp,
) -> Result<Vec<StoredCode>> {
    actor.may(Action::ReadReference, "")?;
    let mut conn = store.reader().await?;
    Ok(reference::codes_in_force(&mut conn, kind, at).await?)
}

/// The versions imported, newest first, of one table or all.
pub async fn versions(
    store: &Store,
    actor: &Actor,
    kind: Option<ReferenceKind>,
) -> Result<Vec<ReferenceVersion>> {
    actor.may(Action::ReadReference, "")?;
    let mut conn = store.reader().await?;
    Ok(reference::versions(&mut conn, kind).await?)
}

/// The entries in force at `at` for the codes a page shows (a list's
/// currency, countries, units, customs offices), keyed by kind and code;
/// codes no version has are left out (the page shows the bare code).
/// Anyone signed in may read them.
pub async fn code_names(
    store: &Store,
    actor: &Actor,
    at: Timestamp,
    wanted: &[(ReferenceKind, String)],
) -> Result<HashMap<(ReferenceKind, String), CodeEntry>> {
    actor.may(Action::ReadReference, "")?;
    let mut names = HashMap::new();
    if wanted.is_empty() {
        return Ok(names);
    }
    let mut conn = store.reader().await?;
    for (kind, code) in wanted {
        if names.contains_key(&(*kind, code.clone())) {
            continue;
        }
        if let Some(stored) = reference::code(&mut conn, *kind, code, at).await? {
            names.insert((*kind, code.clone()), stored.entry);
        }
    }
    Ok(names)
}
