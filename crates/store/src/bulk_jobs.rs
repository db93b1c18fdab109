//! Bulk jobs: a file of many commodity filings processed in the background,
//! with progress and a per-row report that the uploader can follow.

use kuajing_core::timestamp::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

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
}

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
    conn: &mut AnyConnection,
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
    sqlx::query(
        "INSERT INTO bulk_jobs (id, organisation_id, kind, file_name, status, total_rows, processed_rows, \
         succeeded_rows, failed_rows, report, created_by, created_at) \
         VALUES ($1, $2, $3, $4, 'running', $5, 0, 0, 0, '[]', $6, $7)",
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

/// Records progress and the report so far; `finished` ends the job with
/// that status.
pub async fn progress(
    conn: &mut AnyConnection,
    id: &str,
    counts: Progress,
    report: &str,
    finished: Option<(&str, Timestamp)>,
) -> Result<(), StoreError> {
    let Progress {
        processed,
        succeeded,
        failed,
    } = counts;
    let (status, finished_at) = match finished {
        Some((status, at)) => (status.to_owned(), Some(at.to_string())),
        None => ("running".to_owned(), None),
    };
    sqlx::query(
        "UPDATE bulk_jobs SET processed_rows = $1, succeeded_rows = $2, failed_rows = $3, report = $4, \
         status = $5, finished_at = $6 WHERE id = $7",
    )
    .bind(processed)
    .bind(succeeded)
    .bind(failed)
    .bind(report)
    .bind(status)
    .bind(finished_at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// One job.
pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<BulkJob>, StoreError> {
    if crate::db::has_nul(id) {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT j.id, o.customs_code, j.kind, j.file_name, j.status, j.total_rows, j.processed_rows, \
         j.succeeded_rows, j.failed_rows, j.report, j.created_by, j.created_at, j.finished_at \
         FROM bulk_jobs j JOIN organisations o ON o.id = j.organisation_id WHERE j.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Marks jobs left running by a server that stopped as failed (called at
/// start-up; a job's work is idempotent per row, so it can be uploaded again).
pub async fn fail_interrupted(
    conn: &mut AnyConnection,
    before: Timestamp,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE bulk_jobs SET status = 'failed', finished_at = $1 WHERE status = 'running' AND created_at < $1",
    )
    .bind(before.to_string())
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
    })
}
