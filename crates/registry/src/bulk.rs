//! Bulk commodity filing: an enterprise uploads a CSV or XLSX file of goods;
//! each row is checked and filed as a draft (and submitted, if asked) in the
//! background, and the uploader follows the progress and reads a per-row
//! report of what was refused and why.
//!
//! A job whose server stops (a crash, a kill, a restart) is not resumed: it
//! is failed with a reason that says how far it came, and the owner uploads
//! the file again (issue #14, finding 8). Resuming would mean keeping every
//! uploaded file and acting later, on another server, for a user or token
//! that may since have been revoked; uploading again costs the owner one
//! click and changes nothing twice, because a row is keyed by its item
//! number. The server running a job writes a heartbeat with its progress
//! (every ten rows, and at least every quarter of the lease); [`supervise`]
//! fails, at start and then every half lease, each running job whose
//! heartbeat is older than the lease — on any server sharing the database,
//! never a live one.

use std::io::Cursor;
use std::time::{Duration, Instant};

use calamine::{Data, Reader, Xlsx};
use kuajing_core::access::Action;
use kuajing_core::error::Localized;
use kuajing_core::filing::Step;
use kuajing_core::sharing::COMMODITY_FIELDS;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::bulk_jobs::{self, BulkJob, Ending, NewJob, Progress};
use kuajing_store::{Store, organisations};
use serde::Serialize;

use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::filing::{self, commodity::CommodityInput};

/// The columns of a bulk file, in order, with a header row: the commodity
/// record's fields (`kuajing_core::sharing::COMMODITY_FIELDS`) but the photo,
/// which is uploaded on its own.
pub fn columns() -> Vec<&'static str> {
    COMMODITY_FIELDS
        .iter()
        .copied()
        .filter(|f| *f != "photo")
        .collect()
}

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 5_000;

/// One refused row of a bulk file.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RowReport {
    /// Line in the file (the header is line 1).
    pub line: u64,
    /// Item number, if the row had one.
    pub item_no: String,
    /// The field at fault, if known.
    pub field: Option<String>,
    /// Stable code of the rule.
    pub code: String,
    /// Why, in Chinese.
    pub message_zh: String,
    /// Why, in English.
    pub message_en: String,
}

fn file_error(code: &'static str, zh: String, en: String) -> Error {
    Error::invalid("file", code, zh, en)
}

/// Reads the rows of a bulk commodity file, checking the header; returns
/// (line, cells) per row.
pub fn read_rows(bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>> {
    read_table(bytes, &columns(), MAX_ROWS)
}

/// Reads the rows of a CSV or XLSX file (told apart by content) whose
/// header must be exactly `columns`, with at most `max_rows` rows besides;
/// blank rows are skipped. Returns (line, cells) per row.
pub fn read_table(
    bytes: &[u8],
    columns: &[&str],
    max_rows: usize,
) -> Result<Vec<(u64, Vec<String>)>> {
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        xlsx_rows(bytes, max_rows)?
    } else {
        csv_rows(bytes, max_rows)?
    };
    let Some((_, header)) = rows.first() else {
        return Err(file_error(
            "IMPORT_EMPTY",
            "文件为空".into(),
            "the file is empty".into(),
        ));
    };
    let header: Vec<&str> = header.iter().map(|h| h.trim()).collect();
    if header != columns {
        return Err(file_error(
            "IMPORT_HEADER",
            format!(
                "表头必须为“{}”，实际为“{}”",
                columns.join(","),
                header.join(",")
            ),
            format!(
                "the header must be exactly '{}', found '{}'",
                columns.join(","),
                header.join(",")
            ),
        ));
    }
    let body: Vec<(u64, Vec<String>)> = rows
        .into_iter()
        .skip(1)
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if body.is_empty() {
        return Err(file_error(
            "IMPORT_EMPTY",
            "文件没有数据行".into(),
            "the file has no rows".into(),
        ));
    }
    if body.len() > max_rows {
        return Err(file_error(
            "IMPORT_TOO_MANY_ROWS",
            format!("一次最多 {max_rows} 行"),
            format!("at most {max_rows} rows per file"),
        ));
    }
    Ok(body)
}

fn csv_rows(bytes: &[u8], max_rows: usize) -> Result<Vec<(u64, Vec<String>)>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            file_error(
                "IMPORT_UNREADABLE",
                format!("无法按 UTF-8 CSV 读取：{e}"),
                format!("not readable as UTF-8 CSV: {e}"),
            )
        })?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push((line, record.iter().map(str::to_owned).collect()));
        if rows.len() > max_rows + 1 {
            break;
        }
    }
    Ok(rows)
}

fn xlsx_rows(bytes: &[u8], max_rows: usize) -> Result<Vec<(u64, Vec<String>)>> {
    let unreadable = |e: String| {
        file_error(
            "IMPORT_UNREADABLE",
            format!("无法读取 XLSX：{e}"),
            format!("not a readable XLSX file: {e}"),
        )
    };
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| unreadable(e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("no worksheet".into()))?
        .map_err(|e| unreadable(e.to_string()))?;
    Ok(range
        .rows()
        .take(max_rows + 2)
        .enumerate()
        .map(|(i, cells)| (i as u64 + 1, cells.iter().map(cell_text).collect()))
        .collect())
}

/// A cell as text; whole numbers without a decimal point (codes typed as
/// numbers in a spreadsheet lose leading zeros, which the checks then name).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn input(cells: &[String]) -> CommodityInput {
    let columns = columns();
    let cell = |name: &str| {
        columns
            .iter()
            .position(|c| *c == name)
            .and_then(|i| cells.get(i))
            .map(|c| c.trim().to_owned())
            .unwrap_or_default()
    };
    let optional = |name: &str| Some(cell(name)).filter(|c| !c.is_empty());
    CommodityInput {
        item_no: cell("item_no"),
        name: cell("name"),
        specification: optional("specification"),
        brand: optional("brand"),
        hs_code: cell("hs_code"),
        origin_country: cell("origin_country"),
        declared_elements: optional("declared_elements"),
        unit1: cell("unit1"),
        unit2: optional("unit2"),
        reference_price: cell("reference_price"),
        currency: cell("currency"),
        barcode: optional("barcode"),
        regional_brand: matches!(
            cell("regional_brand").to_lowercase().as_str(),
            "true" | "1" | "yes" | "是"
        ),
    }
}

/// Starts a bulk filing of the actor's organisation's goods; returns the job
/// at once, the rows being filed in the background with a heartbeat at
/// least every quarter of `lease` (`ServerConfig::bulk_job_lease`).
pub async fn start(
    store: &Store,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
    submit: bool,
    lease: Duration,
) -> Result<BulkJob> {
    let own = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::File, &own, "filing.bulk", &own)
        .await?;
    let rows = read_rows(bytes)?;
    let mut tx = store.begin().await?;
    let org = organisations::find_by_code(&mut tx, &own)
        .await?
        .ok_or(Error::NotFound {
            what: "organisation",
            key: own.clone(),
        })?;
    let name: String = file_name.chars().take(200).collect();
    let new = NewJob {
        organisation_id: &org.id,
        kind: "commodity",
        file_name: &name,
        total_rows: i64::try_from(rows.len()).unwrap_or(i64::MAX),
        by: &actor.name,
    };
    let job = bulk_jobs::create(&mut tx, &new, Timestamp::now()).await?;
    let detail = format!("{} rows; submit={submit}", rows.len());
    actor
        .commit(tx, "filing.bulk", Some(&job.id), Some(&detail))
        .await?;
    let mut running = Running {
        store: store.clone(),
        id: job.id.clone(),
        counts: Progress::default(),
        report: Vec::new(),
        beat: Instant::now(),
        beat_every: lease / 4,
    };
    let actor = actor.clone();
    tokio::spawn(async move {
        if let Err(error) = running.run(&actor, rows, submit).await {
            tracing::error!(%error, job = %running.id, "bulk job failed");
            if let Err(error) = running.save(Ending::Failed).await {
                tracing::error!(%error, job = %running.id, "the failed bulk job could not be recorded");
            }
        }
    });
    Ok(job)
}

/// A job being worked on: how far it came, and when its heartbeat was last
/// written.
struct Running {
    store: Store,
    id: String,
    counts: Progress,
    report: Vec<RowReport>,
    beat: Instant,
    beat_every: Duration,
}

impl Running {
    /// Files each row, recording progress (the heartbeat) every ten rows
    /// and whenever a quarter of the lease has passed, and the report at
    /// the end. Stops early, without error, if the job was failed meanwhile
    /// (its heartbeat outlived the lease: the rows after are not filed).
    async fn run(
        &mut self,
        actor: &Actor,
        rows: Vec<(u64, Vec<String>)>,
        submit: bool,
    ) -> Result<()> {
        for (line, cells) in rows {
            let input = input(&cells);
            let item_no = input.item_no.clone();
            let result = match filing::save_commodity(&self.store, actor, &input).await {
                Ok(saved) if submit => {
                    filing::act(&self.store, actor, &saved.id, Step::Submit, None)
                        .await
                        .map(|_| ())
                }
                Ok(_) => Ok(()),
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    self.counts.processed += 1;
                    self.counts.succeeded += 1;
                }
                Err(error) if error.is_correctable() => {
                    self.counts.processed += 1;
                    self.counts.failed += 1;
                    self.report.push(RowReport {
                        line,
                        item_no,
                        field: error.field().map(str::to_owned),
                        code: error.code().to_owned(),
                        message_zh: error.message_zh(),
                        message_en: error.message_en(),
                    });
                }
                Err(error) => return Err(error),
            }
            let due = self.counts.processed % 10 == 0 || self.beat.elapsed() >= self.beat_every;
            if due && !self.save(Ending::Running).await? {
                tracing::warn!(job = %self.id, "bulk job was ended as interrupted while it ran; stopping");
                return Ok(());
            }
        }
        self.save(Ending::Done).await.map(|_| ())
    }

    /// Writes the progress, the report and the heartbeat; whether the job
    /// was still running.
    async fn save(&mut self, ending: Ending) -> Result<bool> {
        let text =
            serde_json::to_string(&self.report).map_err(|e| Error::Internal(e.to_string()))?;
        let mut tx = self.store.begin().await?;
        let running = bulk_jobs::progress(
            &mut tx,
            &self.id,
            self.counts,
            &text,
            ending,
            Timestamp::now(),
        )
        .await?;
        tx.commit().await.map_err(kuajing_store::StoreError::from)?;
        self.beat = Instant::now();
        Ok(running)
    }
}

/// Fails every running job whose heartbeat is older than `lease`: its
/// server stopped. Returns how many.
pub async fn end_interrupted(store: &Store, lease: Duration) -> Result<u64> {
    let now = Timestamp::now();
    let mut tx = store.begin().await?;
    let failed = bulk_jobs::fail_interrupted(&mut tx, now.minus(lease), now).await?;
    tx.commit().await.map_err(kuajing_store::StoreError::from)?;
    Ok(failed)
}

/// Ends the jobs that lost their server: at start, then every half lease,
/// until the process stops.
pub async fn supervise(store: Store, lease: Duration) {
    let mut tick = tokio::time::interval((lease / 2).max(Duration::from_millis(100)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match end_interrupted(&store, lease).await {
            Ok(0) => {}
            Ok(failed) => {
                tracing::warn!(failed, "bulk jobs whose server stopped marked interrupted")
            }
            Err(error) => tracing::warn!(%error, "bulk-job supervision failed"),
        }
    }
}

/// Why a failed job failed, for its owner: (code, Chinese, English).
pub fn failure(job: &BulkJob) -> Option<(String, String, String)> {
    let code = job.failure_code.as_deref()?;
    let (n, total) = (job.processed_rows, job.total_rows);
    let (kept_zh, kept_en) = if n == 0 {
        (
            "尚无已处理的行".to_owned(),
            "no row was recorded".to_owned(),
        )
    } else {
        (format!("第 1–{n} 行已保存"), format!("rows 1–{n} are kept"))
    };
    let (zh, en) = if code == bulk_jobs::INTERRUPTED {
        (
            format!(
                "处理中断：服务器在第 {n} 行（共 {total} 行）后停止；{kept_zh}。请重新上传文件以完成处理（各行按料号幂等，不会重复备案）。"
            ),
            format!(
                "interrupted: the server stopped after row {n} of {total}; {kept_en}. Upload the file again to finish (rows are idempotent per item number: none is filed twice)."
            ),
        )
    } else {
        (
            format!(
                "处理因错误在第 {n} 行（共 {total} 行）后停止；{kept_zh}。请稍后重新上传文件（各行按料号幂等，不会重复备案）。"
            ),
            format!(
                "stopped by an error after row {n} of {total}; {kept_en}. Upload the file again later (rows are idempotent per item number: none is filed twice)."
            ),
        )
    };
    Some((code.to_owned(), zh, en))
}

/// A job, for its owner (or the zone administration).
pub async fn job(store: &Store, actor: &Actor, id: &str) -> Result<BulkJob> {
    let mut conn = store.reader().await?;
    let job = bulk_jobs::find(&mut conn, id).await?;
    match job {
        Some(job)
            if actor.may(Action::File, &job.organisation_code).is_ok()
                || actor.may(Action::ManageOrganisations, "").is_ok() =>
        {
            Ok(job)
        }
        _ => Err(Error::NotFound {
            what: "bulk job",
            key: id.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_checked_and_blank_rows_skipped() {
        let good = format!(
            "{}\nRU-1,蜂蜜,,,0409000000,344,,035,,98,142,,false\n,,,,,,,,,,,,\n",
            columns().join(",")
        );
        let rows = read_rows(good.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, 2);
        assert_eq!(input(&rows[0].1).hs_code, "0409000000");
        assert!(read_rows(b"item,name\nx,y\n").is_err());
        assert!(read_rows(format!("{}\n", columns().join(",")).as_bytes()).is_err());
    }

    #[test]
    fn spreadsheet_numbers_become_text() {
        assert_eq!(cell_text(&Data::Float(409000000.0)), "409000000");
        assert_eq!(cell_text(&Data::Float(98.5)), "98.5");
        assert_eq!(cell_text(&Data::Empty), "");
    }
}
