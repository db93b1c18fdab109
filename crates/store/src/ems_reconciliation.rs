//! Reconciliation of bonded e-account books (issue #6 item 5;
//! policy-rules.md §5 "engine model": per day, released lists against the
//! verification lists; per month, book stock against the warehouse's stock
//! count; differences become findings) and the monthly report to customs
//! (zone operators send last month's inbound, outbound, transfer and stock
//! data before the 10th, policy-rules.md §5 "monthly data"). Migration 0011.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::{parse_optional_time, parse_time};

/// Which check found a difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A day's released lists against its verification lists.
    Daily,
    /// The book's stock against a month's stock count.
    Monthly,
}

impl Source {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Daily => "daily",
            Source::Monthly => "monthly",
        }
    }

    fn parse(name: &str) -> Option<Source> {
        [Source::Daily, Source::Monthly]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// What a difference suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// 短少: fewer goods counted than the book holds — goods may have left
    /// the zone without a list.
    Short,
    /// 溢余: more goods counted than the book holds — goods may have
    /// entered undeclared.
    Long,
    /// Released lists not yet on a verification list.
    Unverified,
    /// Verification lists covering more than was released.
    OverVerified,
}

impl Reason {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Short => "short",
            Reason::Long => "long",
            Reason::Unverified => "unverified",
            Reason::OverVerified => "over-verified",
        }
    }

    fn parse(name: &str) -> Option<Reason> {
        [
            Reason::Short,
            Reason::Long,
            Reason::Unverified,
            Reason::OverVerified,
        ]
        .into_iter()
        .find(|r| r.as_str() == name)
    }
}

/// A difference to record.
#[derive(Debug, Clone, Copy)]
pub struct NewFinding<'a> {
    /// The book.
    pub ems_no: &'a str,
    /// The check.
    pub source: Source,
    /// The day (`yyyy-mm-dd`) or month (`yyyy-mm`) checked.
    pub period: &'a str,
    /// The item number.
    pub item_no: &'a str,
    /// What the book (or the released lists) says, 1/100000 units.
    pub expected: i64,
    /// What was found (counted, or verified), 1/100000 units.
    pub found: i64,
    /// What it suggests.
    pub reason: Reason,
    /// The lists or count it concerns, in words.
    pub detail: &'a str,
}

/// A recorded finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Its id.
    pub id: String,
    /// The book.
    pub ems_no: String,
    /// The check.
    pub source: Source,
    /// The day or month checked.
    pub period: String,
    /// The item number.
    pub item_no: String,
    /// What the book says.
    pub expected: i64,
    /// What was found.
    pub found: i64,
    /// What it suggests.
    pub reason: Reason,
    /// In words.
    pub detail: String,
    /// `open` or `closed`.
    pub state: String,
    /// When found.
    pub created_at: Timestamp,
    /// The officer who closed it.
    pub closed_by: Option<String>,
    /// What the officer found.
    pub closing_note: Option<String>,
    /// When closed.
    pub closed_at: Option<Timestamp>,
}

/// Which findings to list.
#[derive(Debug, Clone, Default)]
pub struct FindingFilter {
    /// Of the books of this warehouse enterprise only.
    pub owner_code: Option<String>,
    /// Of this book only.
    pub ems_no: Option<String>,
    /// `open` or `closed` only.
    pub state: Option<String>,
    /// Found by this check, for this day or month, only.
    pub checked: Option<(Source, String)>,
}

/// A stock count uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockCount {
    /// Its id.
    pub id: String,
    /// The book.
    pub ems_no: String,
    /// The month (`yyyy-mm`).
    pub period: String,
    /// The uploaded file's name.
    pub file_name: String,
    /// How many items it counted.
    pub lines: i64,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When.
    pub uploaded_at: Timestamp,
}

/// One item of a month's report: opening stock, what came in and went out
/// by kind, closing stock (1/100000 units; outbound figures positive).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthLine {
    /// The item number.
    pub item_no: String,
    /// HS code.
    pub hs_code: String,
    /// Goods name.
    pub goods_name: String,
    /// Unit code.
    pub unit: String,
    /// Stock at the start of the month.
    pub opening: i64,
    /// 一线入区 entries.
    pub entered: i64,
    /// Transfers in.
    pub transferred_in: i64,
    /// Customer returns in.
    pub returned: i64,
    /// Retail exits (released 1210 lists).
    pub retail_out: i64,
    /// General-trade exits.
    pub general_trade: i64,
    /// Transfers out.
    pub transferred_out: i64,
    /// Re-exports.
    pub re_exported: i64,
    /// Adjustments (signed).
    pub adjusted: i64,
    /// Stock at the end of the month.
    pub closing: i64,
}

/// Records a finding, once: a finding for the same book, check, period and
/// item exists already → false, nothing changed (re-running a check does
/// not duplicate what it found).
pub async fn record_finding(
    conn: &mut Conn,
    new: &NewFinding<'_>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let inserted = crate::sql::query(
        "INSERT INTO ems_findings (id, ems_no, source, period, item_no, expected, found, reason, \
         detail, state, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10) \
         ON CONFLICT (ems_no, source, period, item_no) DO NOTHING",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(new.ems_no)
    .bind(new.source.as_str())
    .bind(new.period)
    .bind(new.item_no)
    .bind(new.expected)
    .bind(new.found)
    .bind(new.reason.as_str())
    .bind(new.detail)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Findings, newest first, at most `limit`.
pub async fn findings(
    conn: &mut Conn,
    filter: &FindingFilter,
    limit: i64,
) -> Result<Vec<Finding>, StoreError> {
    let period = filter.checked.as_ref().map(|(_, p)| p.as_str());
    let texts = [
        filter.owner_code.as_deref(),
        filter.ems_no.as_deref(),
        filter.state.as_deref(),
        period,
    ];
    if texts.iter().any(|t| t.is_some_and(has_nul)) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT f.* FROM ems_findings f JOIN ems_books b ON b.ems_no = f.ems_no \
         WHERE (CAST($1 AS TEXT) IS NULL OR b.owner_code = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR f.ems_no = $2) \
         AND (CAST($3 AS TEXT) IS NULL OR f.state = $3) \
         AND (CAST($4 AS TEXT) IS NULL OR (f.source = $4 AND f.period = $5)) \
         ORDER BY f.created_at DESC, f.id DESC LIMIT $6",
    )
    .bind(filter.owner_code.as_deref())
    .bind(filter.ems_no.as_deref())
    .bind(filter.state.as_deref())
    .bind(filter.checked.as_ref().map(|(s, _)| s.as_str()))
    .bind(period)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(finding_from_row).collect()
}

/// One finding.
pub async fn find_finding(conn: &mut Conn, id: &str) -> Result<Option<Finding>, StoreError> {
    if has_nul(id) {
        return Ok(None);
    }
    let row = crate::sql::query("SELECT * FROM ems_findings WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(finding_from_row).transpose()
}

/// Closes an open finding with the officer's note; false if it was not
/// open (closed already, or no such finding).
pub async fn close_finding(
    conn: &mut Conn,
    id: &str,
    closed_by: &str,
    note: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = crate::sql::query(
        "UPDATE ems_findings SET state = 'closed', closed_by = $2, closing_note = $3, \
         closed_at = $4 WHERE id = $1 AND state = 'open'",
    )
    .bind(id)
    .bind(closed_by)
    .bind(note)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Records that a month's stock count was uploaded; a second count of the
/// same book and month is [`StoreError::Duplicate`] (field `period`).
pub async fn record_count(
    conn: &mut Conn,
    ems_no: &str,
    period: &str,
    file_name: &str,
    lines: i64,
    uploaded_by: &str,
    now: Timestamp,
) -> Result<StockCount, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    crate::sql::query(
        "INSERT INTO ems_stock_counts (id, ems_no, period, file_name, lines, uploaded_by, \
         uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(ems_no)
    .bind(period)
    .bind(file_name)
    .bind(lines)
    .bind(uploaded_by)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique("period", period))?;
    Ok(StockCount {
        id,
        ems_no: ems_no.to_owned(),
        period: period.to_owned(),
        file_name: file_name.to_owned(),
        lines,
        uploaded_by: uploaded_by.to_owned(),
        uploaded_at: now,
    })
}

/// A book's stock counts, newest month first.
pub async fn counts_of(conn: &mut Conn, ems_no: &str) -> Result<Vec<StockCount>, StoreError> {
    let rows = crate::sql::query(
        "SELECT id, ems_no, period, file_name, lines, uploaded_by, uploaded_at \
         FROM ems_stock_counts WHERE ems_no = $1 ORDER BY period DESC",
    )
    .bind(ems_no)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StockCount {
                id: row.try_get("id")?,
                ems_no: row.try_get("ems_no")?,
                period: row.try_get("period")?,
                file_name: row.try_get("file_name")?,
                lines: row.try_get("lines")?,
                uploaded_by: row.try_get("uploaded_by")?,
                uploaded_at: parse_time(row, "uploaded_at")?,
            })
        })
        .collect()
}

/// Each line of a book over `[from, to)`: opening stock, the movements by
/// kind and purpose, closing stock — from the ledger alone.
pub async fn month_summary(
    conn: &mut Conn,
    ems_no: &str,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<MonthLine>, StoreError> {
    let rows = crate::sql::query(concat!(
        "SELECT l.item_no, l.hs_code, l.goods_name, l.unit, ",
        "CAST(COALESCE(SUM(CASE WHEN m.created_at < $2 THEN m.quantity END), 0) AS BIGINT), ",
        "CAST(COALESCE(SUM(CASE WHEN m.created_at >= $2 AND m.kind = 'first-line-in' ",
        "  AND COALESCE(m.purpose, 'entry') = 'entry' THEN m.quantity END), 0) AS BIGINT), ",
        "CAST(COALESCE(SUM(CASE WHEN m.created_at >= $2 AND m.purpose = 'transfer-in' ",
        "  THEN m.quantity END), 0) AS BIGINT), ",
        "CAST(COALESCE(SUM(CASE WHEN m.created_at >= $2 AND m.kind = 'return-in' ",
        "  THEN m.quantity END), 0) AS BIGINT), ",
        "CAST(COALESCE(SUM(CASE WHEN m.created_at >= $2 AND m.kind = 'retail-out' ",
        "  THEN -m.quantity END), 0) AS BIGINT), ",
        "CAST(COALESCE(SUM(CASE WHEN m.created_at >= $2 AND m.kind = 'goods-out' ",
        "  AND COALESCE(m.purpose, 'general-trade') = 'general-trade' THEN -m.quantity END), 0) AS BIGINT), ",
        "CAST(COALESCE(SUM(CASE WHEN m.created_at >= $2 AND m.purpose = 'transfer-out' ",
        "  THEN -m.quantity END), 0) AS BIGINT), ",
        "CAST(COALESCE(SUM(CASE WHEN m.created_at >= $2 AND m.purpose = 're-export' ",
        "  THEN -m.quantity END), 0) AS BIGINT), ",
        "CAST(COALESCE(SUM(CASE WHEN m.created_at >= $2 AND m.kind = 'adjustment' ",
        "  THEN m.quantity END), 0) AS BIGINT), ",
        "CAST(COALESCE(SUM(m.quantity), 0) AS BIGINT) ",
        "FROM ems_lines l LEFT JOIN ems_movements m ",
        "  ON m.ems_no = l.ems_no AND m.item_no = l.item_no AND m.created_at < $3 ",
        "WHERE l.ems_no = $1 GROUP BY l.item_no, l.hs_code, l.goods_name, l.unit ORDER BY l.item_no",
    ))
    .bind(ems_no)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(MonthLine {
                item_no: row.try_get(0)?,
                hs_code: row.try_get(1)?,
                goods_name: row.try_get(2)?,
                unit: row.try_get(3)?,
                opening: row.try_get(4)?,
                entered: row.try_get(5)?,
                transferred_in: row.try_get(6)?,
                returned: row.try_get(7)?,
                retail_out: row.try_get(8)?,
                general_trade: row.try_get(9)?,
                transferred_out: row.try_get(10)?,
                re_exported: row.try_get(11)?,
                adjusted: row.try_get(12)?,
                closing: row.try_get(13)?,
            })
        })
        .collect()
}

/// Records that a month's report was sent to customs; a second sending is
/// [`StoreError::Duplicate`] (field `period`).
pub async fn record_report(
    conn: &mut Conn,
    ems_no: &str,
    period: &str,
    sent_by: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query(
        "INSERT INTO ems_reports (ems_no, period, sent_by, sent_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(ems_no)
    .bind(period)
    .bind(sent_by)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique("period", period))?;
    Ok(())
}

/// When a month's report was sent, and by whom.
pub async fn report_sent(
    conn: &mut Conn,
    ems_no: &str,
    period: &str,
) -> Result<Option<(String, Timestamp)>, StoreError> {
    let row = crate::sql::query(
        "SELECT sent_by, sent_at FROM ems_reports WHERE ems_no = $1 AND period = $2",
    )
    .bind(ems_no)
    .bind(period)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| Ok((row.try_get("sent_by")?, parse_time(&row, "sent_at")?)))
        .transpose()
}

fn finding_from_row(row: &sqlx::any::AnyRow) -> Result<Finding, StoreError> {
    let source: String = row.try_get("source")?;
    let reason: String = row.try_get("reason")?;
    Ok(Finding {
        id: row.try_get("id")?,
        ems_no: row.try_get("ems_no")?,
        source: Source::parse(&source).ok_or_else(|| StoreError::corrupt("source", source))?,
        period: row.try_get("period")?,
        item_no: row.try_get("item_no")?,
        expected: row.try_get("expected")?,
        found: row.try_get("found")?,
        reason: Reason::parse(&reason).ok_or_else(|| StoreError::corrupt("reason", reason))?,
        detail: row.try_get("detail")?,
        state: row.try_get("state")?,
        created_at: parse_time(row, "created_at")?,
        closed_by: row.try_get("closed_by")?,
        closing_note: row.try_get("closing_note")?,
        closed_at: parse_optional_time(row, "closed_at")?,
    })
}
