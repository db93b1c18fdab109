//! The storage error type.

use kuajing_core::error::Localized;

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not one Kuajing understands.
    #[error("unsupported database URL '{0}': use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    /// The database could not be reached or a statement failed.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The storage under the database refuses the work: full, read-only,
    /// failing, or not there. Distinct from [`StoreError::Database`] because
    /// the remedy is the operator's (free space, make it writable), not a
    /// resend a second later.
    #[error("{}: {detail}", fault.describe_en())]
    Storage {
        /// What is wrong with the storage.
        fault: StorageFault,
        /// The driver's words, for the log and the command line (never sent
        /// to HTTP clients).
        detail: String,
    },
    /// Bringing the schema up to date failed.
    #[error("migration failed: {0}")]
    Migrate(sqlx::migrate::MigrateError),
    /// A unique key is already taken (e.g. a customs code filed twice).
    #[error("{field} '{value}' is already registered")]
    Duplicate {
        /// The field whose value is taken.
        field: &'static str,
        /// The value.
        value: String,
    },
    /// A referenced record does not exist.
    #[error("{what} '{key}' does not exist")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// Its key.
        key: String,
    },
    /// A stored value does not parse; the database was changed outside Kuajing.
    #[error("stored {what} '{value}' is not valid")]
    Corrupt {
        /// What was read.
        what: &'static str,
        /// The value found.
        value: String,
    },
}

/// What is wrong with the storage under the database, as SQLite's result
/// codes (<https://www.sqlite.org/rescode.html>) and PostgreSQL's SQLSTATE
/// classes (Appendix A of its manual) tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageFault {
    /// No room to write: `SQLITE_FULL` (13), PostgreSQL `53100 disk_full`.
    Full,
    /// Writes are refused: `SQLITE_READONLY` (8: a read-only file,
    /// directory or mount, or a database opened with `mode=ro`), PostgreSQL
    /// `25006 read_only_sql_transaction` (a standby, or
    /// `default_transaction_read_only`).
    ReadOnly,
    /// The disk failed a read or write: `SQLITE_IOERR` (10), PostgreSQL
    /// `58030 io_error`.
    Io,
    /// The database file cannot be opened or created: `SQLITE_CANTOPEN`
    /// (14; a missing directory, no permission).
    CannotOpen,
}

impl StorageFault {
    /// The fault behind a driver error, if the error is one.
    pub fn of(error: &sqlx::Error) -> Option<StorageFault> {
        let sqlx::Error::Database(db) = error else {
            return None;
        };
        let sqlite = db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
            || db
                .try_downcast_ref::<crate::native::NativeError>()
                .is_some();
        if sqlite {
            // The code is the extended result code; its low byte is the
            // primary one.
            let code: i32 = db.code()?.parse().ok()?;
            return match code & 0xff {
                8 => Some(StorageFault::ReadOnly),
                10 => Some(StorageFault::Io),
                13 => Some(StorageFault::Full),
                14 => Some(StorageFault::CannotOpen),
                _ => None,
            };
        }
        match db.code()?.as_ref() {
            "53100" => Some(StorageFault::Full),
            "25006" => Some(StorageFault::ReadOnly),
            "58030" => Some(StorageFault::Io),
            _ => None,
        }
    }

    /// The stable machine code of the fault.
    pub fn code(self) -> &'static str {
        match self {
            StorageFault::Full => "STORAGE_FULL",
            StorageFault::ReadOnly => "STORAGE_READ_ONLY",
            StorageFault::Io => "STORAGE_IO_ERROR",
            StorageFault::CannotOpen => "STORAGE_CANNOT_OPEN",
        }
    }

    /// What an operator reads, in English.
    pub fn describe_en(self) -> &'static str {
        match self {
            StorageFault::Full => "the storage is full (disk or database size limit)",
            StorageFault::ReadOnly => {
                "the database is read-only (a read-only file, directory or mount, a read-only URL, or a read-only PostgreSQL server)"
            }
            StorageFault::Io => "the disk failed a read or write (I/O error)",
            StorageFault::CannotOpen => {
                "the database cannot be opened (missing directory or no permission)"
            }
        }
    }

    /// What an operator reads, in Chinese.
    pub fn describe_zh(self) -> &'static str {
        match self {
            StorageFault::Full => "存储空间已满（磁盘或数据库容量上限）",
            StorageFault::ReadOnly => {
                "数据库为只读（文件、目录或挂载只读，地址指定只读，或 PostgreSQL 服务器只读）"
            }
            StorageFault::Io => "磁盘读写失败（I/O 错误）",
            StorageFault::CannotOpen => "无法打开数据库（目录不存在或无权限）",
        }
    }
}

impl From<sqlx::Error> for StoreError {
    /// Storage faults become [`StoreError::Storage`]; every other driver
    /// error [`StoreError::Database`].
    fn from(error: sqlx::Error) -> Self {
        match StorageFault::of(&error) {
            Some(fault) => StoreError::Storage {
                fault,
                detail: error.to_string(),
            },
            None => StoreError::Database(error),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    /// A migration that failed on a storage fault is that fault.
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        use sqlx::migrate::MigrateError;
        match &error {
            MigrateError::Execute(inner) | MigrateError::ExecuteMigration(inner, _) => {
                if let Some(fault) = StorageFault::of(inner) {
                    return StoreError::Storage {
                        fault,
                        detail: error.to_string(),
                    };
                }
                StoreError::Migrate(error)
            }
            _ => StoreError::Migrate(error),
        }
    }
}

impl StoreError {
    /// The storage fault behind this error, if it is one.
    pub fn storage_fault(&self) -> Option<StorageFault> {
        match self {
            StoreError::Storage { fault, .. } => Some(*fault),
            _ => None,
        }
    }

    /// Maps a unique-constraint violation to [`StoreError::Duplicate`] naming
    /// `field`, and passes every other error through.
    pub(crate) fn on_unique(field: &'static str, value: &str) -> impl FnOnce(sqlx::Error) -> Self {
        move |error| match error.as_database_error() {
            Some(db) if db.is_unique_violation() => StoreError::Duplicate {
                field,
                value: value.to_owned(),
            },
            _ => StoreError::from(error),
        }
    }

    pub(crate) fn corrupt(what: &'static str, value: impl Into<String>) -> Self {
        StoreError::Corrupt {
            what,
            value: value.into(),
        }
    }
}

impl Localized for StoreError {
    fn code(&self) -> &'static str {
        match self {
            StoreError::UnsupportedUrl(_) => "DB_URL_UNSUPPORTED",
            StoreError::Database(_) => "DB_UNAVAILABLE",
            StoreError::Storage { fault, .. } => fault.code(),
            StoreError::Migrate(_) => "DB_MIGRATION_FAILED",
            StoreError::Duplicate { .. } => "DUPLICATE",
            StoreError::NotFound { .. } => "NOT_FOUND",
            StoreError::Corrupt { .. } => "DB_CORRUPT",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            StoreError::UnsupportedUrl(url) => {
                format!("不支持的数据库地址“{url}”：请使用 sqlite://路径 或 postgres://…")
            }
            StoreError::Database(_) => "数据库暂时不可用".to_owned(),
            StoreError::Storage { fault, .. } => {
                format!("{}：写入暂停，原因消除后自动恢复", fault.describe_zh())
            }
            StoreError::Migrate(_) => "数据库结构升级失败".to_owned(),
            StoreError::Duplicate { field, value } => format!("{field}“{value}”已被登记"),
            StoreError::NotFound { what, key } => format!("{what}“{key}”不存在"),
            StoreError::Corrupt { what, value } => {
                format!("数据库中的{what}“{value}”无效")
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            // Never echo driver details to users; they are logged instead.
            StoreError::Database(_) => "the database is temporarily unavailable".to_owned(),
            StoreError::Storage { fault, .. } => format!(
                "{}: writes are paused and resume by themselves once the cause is removed",
                fault.describe_en()
            ),
            StoreError::Migrate(_) => "the database schema could not be upgraded".to_owned(),
            other => other.to_string(),
        }
    }
}
