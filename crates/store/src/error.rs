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
    Database(#[from] sqlx::Error),
    /// Bringing the schema up to date failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
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

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Duplicate`] naming
    /// `field`, and passes every other error through.
    pub(crate) fn on_unique(field: &'static str, value: &str) -> impl FnOnce(sqlx::Error) -> Self {
        move |error| match error.as_database_error() {
            Some(db) if db.is_unique_violation() => StoreError::Duplicate {
                field,
                value: value.to_owned(),
            },
            _ => StoreError::Database(error),
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
            StoreError::Migrate(_) => "the database schema could not be upgraded".to_owned(),
            other => other.to_string(),
        }
    }
}
