//! Connecting, migrating and transactions, the same on both backends.

use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use tokio::sync::Mutex as AsyncMutex;

use crate::conn::{Conn, SharedWriter, WriteTx};
use crate::error::{StorageFault, StoreError};
use crate::native::NativeSqlite;

/// Which database engine a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (the default).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Picks the backend from a URL's scheme.
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact(url)))
        }
    }

    /// Short name for logs and `/readyz`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The database: a pool for reads and the way to write.
///
/// On SQLite the one writer is a synchronous connection of its own
/// ([`crate::native`]), taken by one transaction at a time, so writers
/// queue in the process instead of fighting over the file lock, and a
/// statement is no hand-off to another thread (issue #16); the migrations
/// run on a connection of the read pool before anything is served. On
/// PostgreSQL reads and writes share one sqlx pool.
#[derive(Clone, Debug)]
pub struct Store {
    read: AnyPool,
    /// The pool sqlx writes through (PostgreSQL) and the migrations run on
    /// (on SQLite, the read pool).
    write: AnyPool,
    /// SQLite's one writer; `None` on PostgreSQL.
    writer: Option<SharedWriter>,
    backend: Backend,
    health: Arc<WriteHealth>,
}

/// Whether writes are known to fail for a storage fault: set when one
/// fails so (see [`Store::note_write_failure`]), cleared when the probe of
/// [`Store::check_writes`] commits.
#[derive(Debug, Default)]
struct WriteHealth {
    fault: Mutex<Option<StorageFault>>,
}

/// Key of the write probe in `settings`; the row never outlives its
/// transaction.
const PROBE_KEY: &str = "storage_probe";

/// Size of the write probe's row: room for one typical CEB message. It is
/// larger than a SQLite page, so the probe needs pages the file may not be
/// able to give (SQLite allocates them, failing with `SQLITE_FULL`, before
/// the row is removed again) and its commit writes to the log.
const PROBE_BYTES: usize = 64 * 1024;

impl Store {
    /// Connects to `url` (`sqlite://PATH` or `postgres://…`). A SQLite file is
    /// created if missing, and put in WAL mode with full synchronous commits so
    /// that an acknowledged write survives a crash of the process or the
    /// machine.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        match backend {
            Backend::Sqlite => {
                let url = sqlite_url(url);
                let options = AnyConnectOptions::from_str(&url)?;
                check_sqlite_writable(&options).await?;
                let writer = open_native_writer(&url)?;
                let read = sqlite_pool(4).connect_with(options).await?;
                Ok(Store {
                    read: read.clone(),
                    write: read,
                    writer: Some(writer),
                    backend,
                    health: Arc::default(),
                })
            }
            Backend::Postgres => {
                let options = AnyConnectOptions::from_str(url)?;
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_release(|conn, _meta| Box::pin(async move { Ok(settled(conn)) }))
                    .connect_with(options)
                    .await?;
                check_postgres_writable(&pool).await?;
                Ok(Store {
                    read: pool.clone(),
                    write: pool,
                    writer: None,
                    backend,
                    health: Arc::default(),
                })
            }
        }
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Brings the schema to the current version; returns the versions applied.
    pub async fn migrate(&self) -> Result<Vec<i64>, StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let before = self.applied_versions().await?;
        migrator.run(&self.write).await?;
        let after = self.applied_versions().await?;
        Ok(after.into_iter().filter(|v| !before.contains(v)).collect())
    }

    /// The schema versions recorded as applied (empty for a new database).
    pub async fn applied_versions(&self) -> Result<Vec<i64>, StoreError> {
        let exists = match self.backend {
            Backend::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '_sqlx_migrations' AND table_schema = current_schema()"
            }
        };
        let count: i64 = sqlx::query_scalar(exists).fetch_one(&self.read).await?;
        if count == 0 {
            return Ok(Vec::new());
        }
        let versions = sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success = (1 = 1) ORDER BY version",
        )
        .fetch_all(&self.read)
        .await?;
        Ok(versions)
    }

    /// The newest schema version this build knows.
    pub fn latest_version(&self) -> i64 {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// Checks that the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.read.execute("SELECT 1").await?;
        Ok(())
    }

    /// The database's size in bytes as the engine counts it: SQLite's pages
    /// (`page_count × page_size`, committed WAL pages included), PostgreSQL's
    /// `pg_database_size`. The clearance bench reports what a parcel costs
    /// from its growth.
    pub async fn size_bytes(&self) -> Result<i64, StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
            }
            Backend::Postgres => "SELECT pg_database_size(current_database())",
        };
        Ok(sqlx::query_scalar(sql).fetch_one(&self.read).await?)
    }

    /// A connection for reads.
    pub async fn reader(&self) -> Result<Conn, StoreError> {
        Ok(Conn::pooled(self.read.acquire().await?))
    }

    /// Begins a write transaction. On SQLite it takes the writer and the
    /// write lock at once (`BEGIN IMMEDIATE`), so a transaction that reads
    /// before it writes can never fail half-way on a lock upgrade.
    pub async fn begin(&self) -> Result<WriteTx, StoreError> {
        let tx = match &self.writer {
            Some(writer) => WriteTx::native(writer).await,
            None => self.write.begin().await.map(WriteTx::sqlx),
        };
        tx.map_err(|error| self.noted(StoreError::from(error)))
    }

    /// Records that a write failed with `fault`: until the probe of
    /// [`Store::check_writes`] commits, [`Store::write_fault`] names it and
    /// `check_writes` probes before it answers.
    pub fn note_write_failure(&self, fault: StorageFault) {
        if let Ok(mut known) = self.health.fault.lock() {
            if known.is_none() {
                tracing::error!(fault = fault.code(), "writes fail: {}", fault.describe_en());
            }
            *known = Some(fault);
        }
    }

    /// Passes `error` through, noting it first if it is a storage fault.
    fn noted(&self, error: StoreError) -> StoreError {
        if let Some(fault) = error.storage_fault() {
            self.note_write_failure(fault);
        }
        error
    }

    /// The storage fault the last failed write met, while no probe has
    /// committed since.
    pub fn write_fault(&self) -> Option<StorageFault> {
        self.health.fault.lock().ok().and_then(|known| *known)
    }

    /// Whether writes go through (for `/readyz`). Free while no write has
    /// failed for a storage fault; after one, a probe: a transaction that
    /// writes a row of [`PROBE_BYTES`] into `settings`, removes it and
    /// commits. Its success clears the fault — writes resume without a
    /// restart — and its failure keeps it.
    pub async fn check_writes(&self) -> Result<(), StoreError> {
        if self.write_fault().is_none() {
            return Ok(());
        }
        match self.probe_write().await {
            Ok(()) => {
                if let Ok(mut known) = self.health.fault.lock() {
                    *known = None;
                }
                tracing::info!("writes go through again");
                Ok(())
            }
            Err(error) => Err(self.noted(error)),
        }
    }

    async fn probe_write(&self) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let payload = "k".repeat(PROBE_BYTES);
        crate::settings::put(&mut tx, PROBE_KEY, &payload).await?;
        crate::sql::query("DELETE FROM settings WHERE key = $1")
            .bind(PROBE_KEY)
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes every connection (on shutdown).
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// Runs one of the fixed savepoint statements (`SAVEPOINT name`, `RELEASE
/// SAVEPOINT name`, `ROLLBACK TO SAVEPOINT name`) on the caller's
/// transaction; the same text on both backends.
pub async fn savepoint(conn: &mut Conn, statement: &'static str) -> Result<(), StoreError> {
    let allowed = ["SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT "];
    if !allowed.iter().any(|p| statement.starts_with(p)) {
        return Err(StoreError::corrupt("savepoint statement", statement));
    }
    crate::sql::query(statement).execute(conn).await?;
    Ok(())
}

/// Whether `text` holds a NUL character, which PostgreSQL text cannot store
/// (SQLite's can). No stored key holds one, so a lookup by such a key (say,
/// from a request path) finds nothing on either backend instead of failing
/// on PostgreSQL.
pub(crate) fn has_nul(text: &str) -> bool {
    text.contains('\0')
}

/// `text` with every NUL replaced by U+FFFD, so that free text such as a
/// login an attacker typed is recorded the same way on both backends.
pub(crate) fn storable(text: Option<&str>) -> Option<String> {
    text.map(|t| t.replace('\0', "\u{FFFD}"))
}

fn sqlite_pool(size: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _meta| Box::pin(async move { sqlite_pragmas(conn).await }))
        .after_release(|conn, _meta| {
            Box::pin(async move {
                if !conn.is_in_transaction() {
                    return Ok(true);
                }
                // A transaction dropped without commit queues its ROLLBACK on
                // the connection's worker thread; the ping waits for it.
                conn.ping().await?;
                Ok(settled(conn))
            })
        })
}

/// WAL: readers never block the writer. FULL: a commit is on disk before
/// it returns (DESIGN.md: an acknowledged message is never lost). Foreign
/// keys and the busy timeout are set by sqlx itself (ON, 5 s).
async fn sqlite_pragmas(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    conn.execute("PRAGMA journal_mode = WAL").await?;
    conn.execute("PRAGMA synchronous = FULL").await?;
    Ok(())
}

/// Whether a connection given back to its pool may serve again: only if it
/// is outside any transaction. A failed COMMIT or ROLLBACK leaves the
/// driver's count of open transactions wrong — on a full disk SQLite rolls
/// the transaction back by itself, the driver's ROLLBACK then fails, and
/// every later `BEGIN` on that connection would be refused as nested
/// (issue #14, finding 3). Such a connection is closed instead, and the
/// pool opens a fresh one for the next caller.
fn settled(conn: &AnyConnection) -> bool {
    let clean = !conn.is_in_transaction();
    if !clean {
        tracing::warn!("a connection came back in an unknown transaction state; closing it");
    }
    clean
}

/// Opens the SQLite database once, on its own, and takes the write lock:
/// a file that cannot be opened, written (read-only file, directory or
/// mount, `mode=ro`) or put in WAL mode fails here at once, naming why.
/// The pools retry failed connections until their 30 s timeout and would
/// say only "pool timed out" (issue #14, finding 12).
async fn check_sqlite_writable(options: &AnyConnectOptions) -> Result<(), StoreError> {
    let mut conn = AnyConnection::connect_with(options).await?;
    sqlite_pragmas(&mut conn).await?;
    // SQLite grants the write lock even to a read-only connection; a write
    // is what fails. Writing the header's user version (unused: the schema
    // version lives in `_sqlx_migrations`) with its own value, then rolling
    // back, changes nothing.
    let version: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(&mut conn)
        .await?;
    conn.execute("BEGIN IMMEDIATE").await?;
    let written = conn
        .execute(sqlx::AssertSqlSafe(format!(
            "PRAGMA user_version = {version}"
        )))
        .await;
    conn.execute("ROLLBACK").await?;
    written?;
    conn.close().await?;
    Ok(())
}

/// Opens the SQLite writer on the file `url` names, with the URL's mode
/// (`mode=ro` read-only, `mode=rwc` created if missing).
fn open_native_writer(url: &str) -> Result<SharedWriter, StoreError> {
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let mode = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("mode="))
        .unwrap_or("rwc");
    let writer = NativeSqlite::open(options.get_filename(), mode == "ro", mode == "rwc")?;
    Ok(Arc::new(AsyncMutex::new(writer)))
}

/// Refuses a PostgreSQL server or database that takes no writes (a
/// standby, or `default_transaction_read_only`), naming why.
async fn check_postgres_writable(pool: &AnyPool) -> Result<(), StoreError> {
    let read_only: String = sqlx::query_scalar("SELECT current_setting('transaction_read_only')")
        .fetch_one(pool)
        .await?;
    if read_only == "on" {
        return Err(StoreError::Storage {
            fault: StorageFault::ReadOnly,
            detail: "the server's transactions are read-only (transaction_read_only = on)"
                .to_owned(),
        });
    }
    Ok(())
}

/// Normalises a SQLite URL: creates the file if missing (`mode=rwc`) unless
/// the caller chose a mode.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// Hides a password in a URL before it is shown in an error.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***{}", &url[..scheme_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_backend_from_the_scheme() {
        assert_eq!(
            Backend::from_url("sqlite://kuajing.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert!(matches!(
            Backend::from_url("mysql://root:secret@h/db"),
            Err(StoreError::UnsupportedUrl(u)) if u == "mysql://***@h/db"
        ));
    }

    #[test]
    fn sqlite_files_are_created_unless_a_mode_is_given() {
        assert_eq!(sqlite_url("sqlite://a.db"), "sqlite://a.db?mode=rwc");
        assert_eq!(sqlite_url("sqlite://a.db?mode=ro"), "sqlite://a.db?mode=ro");
    }

    #[test]
    fn migration_folders_match() {
        let names = |m: &sqlx::migrate::Migrator| -> Vec<(i64, String)> {
            m.iter()
                .map(|m| (m.version, m.description.to_string()))
                .collect()
        };
        assert_eq!(names(&SQLITE_MIGRATIONS), names(&POSTGRES_MIGRATIONS));
    }
}
