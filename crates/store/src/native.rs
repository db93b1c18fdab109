//! The SQLite writer as a synchronous connection (issue #16, item 2).
//!
//! sqlx drives each SQLite connection from a worker thread of its own, so
//! every statement is a hand-off between the calling task and that thread
//! and back — about 26 of them a parcel in the intake's transaction, which
//! made the hand-off, not SQLite, the limit of the clearance. The writer is
//! instead a [`rusqlite`] connection owned by whoever holds the store's
//! write lock: a statement is prepared once (rusqlite's statement cache),
//! bound and stepped on the caller's own thread, and its rows come back as
//! the same [`AnyRow`]s the sqlx path gives, so the store's functions read
//! them with the same code on every backend. The statements' text is the
//! store's one SQL (`$1` placeholders are SQLite's numbered parameters).
//!
//! Errors become [`sqlx::Error::Database`] with the extended result code,
//! exactly as sqlx reports SQLite's, so storage faults, unique violations
//! and every other classification read the same on both paths.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{OpenFlags, ffi};
use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow, AnyTypeInfo, AnyTypeInfoKind};
use sqlx::error::{DatabaseError, ErrorKind};
use sqlx_core::any::{AnyColumn, AnyValue, AnyValueKind};
use sqlx_core::ext::ustr::UStr;

/// How many distinct statements the writer keeps prepared. The intake's
/// transaction uses a few dozen; chunked inserts add one per chunk size.
const STATEMENT_CACHE: usize = 512;

/// The most column-name maps kept (one per distinct query text); past it
/// the map is cleared and rebuilt as statements come (dynamic filters make
/// texts without bound).
const COLUMN_NAMES_CACHE: usize = 1024;

/// A synchronous SQLite connection with its caches.
pub(crate) struct NativeSqlite {
    conn: rusqlite::Connection,
    columns: HashMap<Box<str>, Columns>,
}

/// What is worked out once per statement text: its column names, by name
/// (for `try_get("name")`) and in order, and which argument each of its
/// parameters takes.
#[derive(Clone)]
struct Columns {
    by_name: Arc<sqlx_core::HashMap<UStr, usize>>,
    in_order: Arc<[UStr]>,
    arguments: Arc<[usize]>,
}

impl std::fmt::Debug for NativeSqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeSqlite")
            .field("autocommit", &self.conn.is_autocommit())
            .finish()
    }
}

/// What a statement gives back: the rows it returned, and how many rows it
/// changed.
pub(crate) struct Output {
    pub(crate) rows: Vec<AnyRow>,
    pub(crate) result: AnyQueryResult,
}

impl NativeSqlite {
    /// Opens `path` for writing with the store's settings: WAL, `synchronous
    /// = FULL` (a commit is on disk before it returns), foreign keys on and
    /// a 5 s busy timeout — the same as sqlx sets on its connections — and
    /// a 64 MiB page cache, since a group of 100-document messages touches
    /// far more than SQLite's 2 MiB default (issue #16).
    /// `read_only` follows the URL's `mode=ro`; `create` its `mode=rwc`.
    pub(crate) fn open(path: &Path, read_only: bool, create: bool) -> Result<Self, sqlx::Error> {
        let mut flags = OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        if read_only {
            flags |= OpenFlags::SQLITE_OPEN_READ_ONLY;
        } else {
            flags |= OpenFlags::SQLITE_OPEN_READ_WRITE;
            if create {
                flags |= OpenFlags::SQLITE_OPEN_CREATE;
            }
        }
        let conn = rusqlite::Connection::open_with_flags(path, flags).map_err(database_error)?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(database_error)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
             PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;",
        )
        .map_err(database_error)?;
        Ok(NativeSqlite {
            conn,
            columns: HashMap::new(),
        })
    }

    /// Runs a script of several statements without arguments, in order.
    pub(crate) fn run_script(&self, script: &str) -> Result<(), sqlx::Error> {
        self.conn.execute_batch(script).map_err(database_error)
    }

    /// Whether no transaction is open.
    pub(crate) fn is_autocommit(&self) -> bool {
        self.conn.is_autocommit()
    }

    /// Runs `sql` with `arguments`: every row it returns, and the rows it
    /// changed.
    pub(crate) fn run(
        &mut self,
        sql: &str,
        arguments: AnyArguments,
    ) -> Result<Output, sqlx::Error> {
        self.run_up_to(sql, arguments, usize::MAX)
    }

    /// Runs `sql` with `arguments`: up to `max_rows` of the rows it
    /// returns (the statement is stepped no further), and the rows it
    /// changed.
    pub(crate) fn run_up_to(
        &mut self,
        sql: &str,
        arguments: AnyArguments,
        max_rows: usize,
    ) -> Result<Output, sqlx::Error> {
        if std::env::var_os("KUAJING_SQL_TRACE").is_some() {
            eprintln!(
                "SQLTRACE {}",
                sql.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
        let mut statement = self.conn.prepare_cached(sql).map_err(database_error)?;
        let names = match self.columns.get(sql) {
            Some(names) => names.clone(),
            None => {
                let names = columns(&statement);
                if self.columns.len() >= COLUMN_NAMES_CACHE {
                    self.columns.clear();
                }
                self.columns.insert(sql.into(), names.clone());
                names
            }
        };
        bind(&mut statement, &names.arguments, arguments)?;
        let width = statement.column_count();
        let mut output = Vec::new();
        {
            let mut rows = statement.raw_query();
            while output.len() < max_rows {
                let Some(row) = rows.next().map_err(database_error)? else {
                    break;
                };
                let mut any = AnyRow {
                    column_names: names.by_name.clone(),
                    columns: Vec::with_capacity(width),
                    values: Vec::with_capacity(width),
                };
                for index in 0..width {
                    let (kind, type_kind) = value_kind(row.get_ref(index).map_err(database_error)?);
                    any.columns.push(AnyColumn {
                        ordinal: index,
                        name: names.in_order[index].clone(),
                        type_info: AnyTypeInfo { kind: type_kind },
                    });
                    any.values.push(AnyValue { kind });
                }
                output.push(any);
            }
        }
        let changed = if statement.readonly() {
            0
        } else {
            self.conn.changes()
        };
        Ok(Output {
            rows: output,
            result: AnyQueryResult {
                rows_affected: changed,
                last_insert_id: None,
            },
        })
    }
}

/// Which argument each parameter of `statement` takes: `$N` (and `?N`)
/// the N-th, as sqlx binds them; an anonymous `?` the next in order.
fn argument_numbers(statement: &rusqlite::Statement<'_>) -> Arc<[usize]> {
    (1..=statement.parameter_count())
        .map(|position| {
            statement
                .parameter_name(position)
                .and_then(|name| name.strip_prefix(['$', '?']))
                .and_then(|digits| digits.parse::<usize>().ok())
                .filter(|number| *number > 0)
                .unwrap_or(position)
        })
        .collect()
}

/// Binds `arguments` to `statement`, parameter by parameter as `numbers`
/// says.
fn bind(
    statement: &mut rusqlite::Statement<'_>,
    numbers: &[usize],
    arguments: AnyArguments,
) -> Result<(), sqlx::Error> {
    let values = arguments.values.0;
    for (index, number) in numbers.iter().copied().enumerate() {
        let position = index + 1;
        let value = values.get(number - 1).ok_or_else(|| {
            sqlx::Error::Protocol(format!(
                "the statement names argument {number} and {} were given",
                values.len()
            ))
        })?;
        statement
            .raw_bind_parameter(position, ToSqlOutput::Borrowed(to_sql(value)?))
            .map_err(database_error)?;
    }
    Ok(())
}

/// An sqlx argument as an SQLite value, as sqlx's SQLite driver maps it;
/// text and bytes are lent, not copied (SQLite copies them as it binds).
fn to_sql(value: &AnyValueKind) -> Result<ValueRef<'_>, sqlx::Error> {
    Ok(match value {
        AnyValueKind::Null(_) => ValueRef::Null,
        AnyValueKind::Bool(b) => ValueRef::Integer(i64::from(*b)),
        AnyValueKind::SmallInt(i) => ValueRef::Integer(i64::from(*i)),
        AnyValueKind::Integer(i) => ValueRef::Integer(i64::from(*i)),
        AnyValueKind::BigInt(i) => ValueRef::Integer(*i),
        AnyValueKind::Real(r) => ValueRef::Real(f64::from(*r)),
        AnyValueKind::Double(d) => ValueRef::Real(*d),
        AnyValueKind::Text(t) => ValueRef::Text(t.as_bytes()),
        AnyValueKind::TextSlice(t) => ValueRef::Text(t.as_bytes()),
        AnyValueKind::Blob(b) => ValueRef::Blob(b.as_slice()),
        other => {
            return Err(sqlx::Error::Protocol(format!(
                "no SQLite value for the argument {other:?}"
            )));
        }
    })
}

/// A value read from SQLite as the `Any` driver holds it, with its type:
/// by the value's own type, as sqlx's SQLite driver maps it (an integer is
/// a `BigInt`, a float a `Double`).
fn value_kind(value: ValueRef<'_>) -> (AnyValueKind, AnyTypeInfoKind) {
    match value {
        ValueRef::Null => (
            AnyValueKind::Null(AnyTypeInfoKind::Null),
            AnyTypeInfoKind::Null,
        ),
        ValueRef::Integer(i) => (AnyValueKind::BigInt(i), AnyTypeInfoKind::BigInt),
        ValueRef::Real(f) => (AnyValueKind::Double(f), AnyTypeInfoKind::Double),
        ValueRef::Text(bytes) => (
            AnyValueKind::Text(Arc::new(String::from_utf8_lossy(bytes).into_owned())),
            AnyTypeInfoKind::Text,
        ),
        ValueRef::Blob(bytes) => (
            AnyValueKind::Blob(Arc::new(bytes.to_vec())),
            AnyTypeInfoKind::Blob,
        ),
    }
}

/// The statement's column names.
fn columns(statement: &rusqlite::Statement<'_>) -> Columns {
    let in_order: Arc<[UStr]> = statement
        .column_names()
        .into_iter()
        .map(UStr::new)
        .collect();
    let by_name = in_order
        .iter()
        .enumerate()
        .map(|(index, name)| (name.clone(), index))
        .collect();
    Columns {
        by_name: Arc::new(by_name),
        in_order,
        arguments: argument_numbers(statement),
    }
}

/// A rusqlite error as the sqlx error the same failure gives on sqlx's
/// SQLite driver.
pub(crate) fn database_error(error: rusqlite::Error) -> sqlx::Error {
    match error {
        rusqlite::Error::SqliteFailure(failure, message) => {
            let message = message.unwrap_or_else(|| failure.to_string());
            sqlx::Error::Database(Box::new(NativeError {
                code: failure.extended_code,
                message,
            }))
        }
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

/// An error SQLite reported on the native writer: its extended result code
/// and message.
#[derive(Debug)]
pub struct NativeError {
    /// SQLite's extended result code (its low byte the primary code).
    pub code: i32,
    message: String,
}

impl std::fmt::Display for NativeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "(code: {}) {}", self.code, self.message)
    }
}

impl std::error::Error for NativeError {}

impl DatabaseError for NativeError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.code.to_string()))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> ErrorKind {
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}
