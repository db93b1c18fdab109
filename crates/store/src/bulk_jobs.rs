//! Bulk jobs: a file of many commodity filings processed in the background,
//! with progress and a per-row report that the uploader can follow.
//!
//! The server running a job writes a heartbeat with its progress; a job
//! whose heartbeat is older than the lease lost its server (stopped or
//! killed) and is failed by [`fail_interrupted`], so that no job stays
//! `running` forever and another server's live job is never touched
//! (issue #14, finding 8).

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Conn;

use crate::error::StoreError;
use crate::organisations::{parse_optional_time, parse_time};

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BulkJob {
    /// Id.
    pub id: String,
    /// Owner's customs code.
    pub organisation_code: String,
    /// What it files (`commodity`).
    pub kind: String,
    /// The uploaded file's name.
    pub file_name: String,
    /// `running`, `done` or `failed`.
    pub status: String,
    /// Rows in the file.
    pub total_rows: i64,
    /// Rows handled so far.
    pub processed_rows: i64,
    /// Rows filed.
    pub succeeded_rows: i64,
    /// Rows refused.
    pub failed_rows: i64,
    /// The per-row report (JSON array).
    pub report: String,
    /// Who uploaded it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// When it finished.
    pub finished_at: Option<Timestamp>,
    /// When its server last said it was working on it.
    pub heartbeat_at: Option<Timestamp>,
    /// Why it failed: [`INTERRUPTED`] or [`FAILED`].
    pub failure_code: Option<String>,
}

/// The failure code of a job whose server stopped while it ran.
pub const INTERRUPTED: &str = "BULK_INTERRUPTED";
/// The failure code of a job an error ended.
pub const FAILED: &str = "BULK_FAILED";

/// A job to start.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    /// Owner's organisation id.
    pub organisation_id: &'a str,
    /// What it files.
    pub kind: &'a str,
    /// The uploaded file's name.
    pub file_name: &'a str,
    /// Rows in the file.
    pub total_rows: i64,
    /// Who uploaded it.
    pub by: &'a str,
}

/// Starts a job record.
pub async fn create(
    conn: &mut Conn,
    new: &NewJob<'_>,
    now: Timestamp,
) -> Result<BulkJob, StoreError> {
    let NewJob {
        organisation_id,
        kind,
        file_name,
        total_rows,
        by,
    } = *new;
    let id = uuid::Uuid::now_v7().to_string();
    crate::sql::query(
        "INSERT INTO bulk_jobs (id, organisation_id, kind, file_name, status, total_rows, processed_rows, \
         succeeded_rows, failed_rows, report, created_by, created_at, heartbeat_at) \
         VALUES ($1, $2, $3, $4, 'running', $5, 0, 0, 0, '[]', $6, $7, $7)",
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(kind)
    .bind(file_name)
    .bind(total_rows)
    .bind(by)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    find(conn, &id).await?.ok_or(StoreError::NotFound {
        what: "bulk job",
        key: id,
    })
}

/// How far a job has come.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Rows handled.
    pub processed: i64,
    /// Rows filed.
    pub succeeded: i64,
    /// Rows refused.
    pub failed: i64,
}

/// Whether a progress write ends the job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It goes on.
    Running,
    /// Every row was handled.
    Done,
    /// An error ended it ([`FAILED`]).
    Failed,
}

/// Records progress and the report so far, with the heartbeat `now`; an
/// ending other than [`Ending::Running`] ends the job. Returns whether the
/// job was still running: `false` means it was failed meanwhile (its
/// heartbeat outlived the lease) and its server must stop working on it.
pub async fn progress(
    conn: &mut Conn,
    id: &str,
    counts: Progress,
    report: &str,
    ending: Ending,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let Progress {
        processed,
        succeeded,
        failed,
    } = counts;
    let (status, finished_at, failure_code) = match ending {
        Ending::Running => ("running", None, None),
        Ending::Done => ("done", Some(now.to_string()), None),
        Ending::Failed => ("failed", Some(now.to_string()), Some(FAILED)),
    };
    let done = crate::sql::query(
        "UPDATE bulk_jobs SET processed_rows = $1, succeeded_rows = $2, failed_rows = $3, report = $4, \
         status = $5, finished_at = $6, failure_code = $7, heartbeat_at = $8 \
         WHERE id = $9 AND status = 'running'",
    )
    .bind(processed)
    .bind(succeeded)
    .bind(failed)
    .bind(report)
    .bind(status)
    .bind(finished_at)
    .bind(failure_code)
    .bind(now.to_string())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One job.
pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<BulkJob>, StoreError> {
    if crate::db::has_nul(id) {
        return Ok(None);
    }
    let row = crate::sql::query(
        "SELECT j.id, o.customs_code, j.kind, j.file_name, j.status, j.total_rows, j.processed_rows, \
         j.succeeded_rows, j.failed_rows, j.report, j.created_by, j.created_at, j.finished_at, \
         j.heartbeat_at, j.failure_code \
         FROM bulk_jobs j JOIN organisations o ON o.id = j.organisation_id WHERE j.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Fails, as [`INTERRUPTED`] at `now`, every running job whose heartbeat is
/// older than `stale_before` (its server stopped: a live server writes the
/// heartbeat well within the lease). A job's rows are idempotent per item
/// number, so its owner can upload the file again. Returns how many.
pub async fn fail_interrupted(
    conn: &mut Conn,
    stale_before: Timestamp,
    now: Timestamp,
) -> Result<u64, StoreError> {
    let done = crate::sql::query(
        "UPDATE bulk_jobs SET status = 'failed', failure_code = $1, finished_at = $2 \
         WHERE status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < $3)",
    )
    .bind(INTERRUPTED)
    .bind(now.to_string())
    .bind(stale_before.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

fn from_row(row: &AnyRow) -> Result<BulkJob, StoreError> {
    Ok(BulkJob {
        id: row.try_get("id")?,
        organisation_code: row.try_get("customs_code")?,
        kind: row.try_get("kind")?,
        file_name: row.try_get("file_name")?,
        status: row.try_get("status")?,
        total_rows: row.try_get("total_rows")?,
        processed_rows: row.try_get("processed_rows")?,
        succeeded_rows: row.try_get("succeeded_rows")?,
        failed_rows: row.try_get("failed_rows")?,
        report: row.try_get("report")?,
        created_by: row.try_get("created_by")?,
        created_at: parse_time(row, "created_at")?,
        finished_at: parse_optional_time(row, "finished_at")?,
        heartbeat_at: parse_optional_time(row, "heartbeat_at")?,
        failure_code: row.try_get("failure_code")?,
    })
}
