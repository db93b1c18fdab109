//! Reconciliation of the bonded books and the monthly report to customs
//! (issue #6 item 5; policy-rules.md §5): per day, the lists released
//! against the verification lists covering that day; per month, the
//! book's stock against the warehouse's stock count (盘点, uploaded as CSV
//! or XLSX). Every difference becomes a finding with its reason — short
//! (goods may have left without a list), long (goods may have entered
//! undeclared), lists released but not verified — for officers to close
//! in writing. The monthly report (inbound, outbound, transfers, stock per
//! item, from the ledger) is downloadable as CSV or XLSX and sent to
//! customs through the agency feed (topic `bonded-report`; the 2016
//! circular asks for it before the 10th of the next month).

use std::collections::{BTreeMap, BTreeSet};

use kuajing_core::access::Action;
use kuajing_core::quantity::{display_units, units};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Store;
use kuajing_store::ems_books::{self as books, Book};
use kuajing_store::ems_reconciliation::{
    self as recon, Finding, FindingFilter, MonthLine, NewFinding, Reason, Source,
};
use kuajing_store::ems_verifications as exits;
use kuajing_store::outbox::{self, NewOutboxEvent};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::exit::{day_bounds, past_day};
use super::{own_book, readable_owner, text};
use kuajing_exchange::time_format::{china_date, china_day_start};
use kuajing_registry::actor::Actor;
use kuajing_registry::bulk::read_table;
use kuajing_registry::downloads::{Format, write_table};
use kuajing_registry::error::{Error, Result};

/// The columns of a stock count file, in order, with a header row.
pub const COUNT_COLUMNS: [&str; 2] = ["item_no", "quantity"];

/// The most items one stock count may hold.
pub const MAX_COUNT_ROWS: usize = 20_000;

/// The day to reconcile.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayInput {
    /// The China day, `yyyy-mm-dd`, today or earlier.
    pub business_day: String,
}

/// An officer's closing of a finding.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    /// What the officer found and did (1–500 characters).
    pub note: String,
}

/// Which findings to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FindingQuery {
    /// `open` or `closed`.
    pub state: Option<String>,
    /// One book only.
    pub ems_no: Option<String>,
}

/// A finding as shown: quantities in the line's unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FindingView {
    /// Its id.
    pub id: String,
    /// The book.
    pub ems_no: String,
    /// `daily` or `monthly`.
    pub source: String,
    /// The day or month checked.
    pub period: String,
    /// Item record number.
    pub item_no: String,
    /// What the book (or the released lists) says.
    pub expected: String,
    /// What was counted (or verified).
    pub found: String,
    /// Found less expected.
    pub difference: String,
    /// `short`, `long`, `unverified` or `over-verified`.
    pub reason: String,
    /// What it concerns, in words.
    pub detail: String,
    /// `open` or `closed`.
    pub state: String,
    /// When found (RFC 3339).
    pub created_at: String,
    /// The officer who closed it.
    pub closed_by: Option<String>,
    /// What the officer found.
    pub closing_note: Option<String>,
    /// When closed (RFC 3339).
    pub closed_at: Option<String>,
}

/// A stock count taken in and what it found.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CountView {
    /// The book.
    pub ems_no: String,
    /// The month counted.
    pub period: String,
    /// How many items the file counted.
    pub lines: i64,
    /// The differences found (none when the count agrees with the book).
    pub findings: Vec<FindingView>,
}

/// One item of a monthly report, in the line's unit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MonthLineView {
    /// Item record number.
    pub item_no: String,
    /// HS code.
    pub hs_code: String,
    /// Goods name.
    pub goods_name: String,
    /// Unit code.
    pub unit: String,
    /// Stock at the start of the month.
    pub opening: String,
    /// First-line entries.
    pub entered: String,
    /// Transfers in.
    pub transferred_in: String,
    /// Customer returns.
    pub returned: String,
    /// Retail exits (released 1210 lists).
    pub retail_out: String,
    /// General-trade exits.
    pub general_trade: String,
    /// Transfers out.
    pub transferred_out: String,
    /// Re-exports.
    pub re_exported: String,
    /// Adjustments (signed).
    pub adjusted: String,
    /// Stock at the end of the month.
    pub closing: String,
}

/// A book's report for a month.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MonthReportView {
    /// The book.
    pub ems_no: String,
    /// The warehouse enterprise.
    pub owner_code: String,
    /// The month, `yyyy-mm`.
    pub period: String,
    /// Per item.
    pub lines: Vec<MonthLineView>,
    /// Who sent it to customs, once sent.
    pub sent_by: Option<String>,
    /// When it was sent (RFC 3339).
    pub sent_at: Option<String>,
}

/// Checks a day's released lists of a book against its verification lists
/// and records each difference as a finding; the day's findings.
pub async fn reconcile_day(
    store: &Store,
    actor: &Actor,
    ems_no: &str,
    input: &DayInput,
) -> Result<Vec<FindingView>> {
    let book = own_book(store, actor, ems_no, Action::ReadBooks, "ems.reconcile").await?;
    let now = Timestamp::now();
    let day = past_day("business_day", &input.business_day, now)?;
    let (from, to) = day_bounds(day)?;
    let period = day.to_string();
    let mut tx = store.begin().await?;
    let released = exits::released_of(&mut tx, &book.ems_no, from, to).await?;
    let verified = exits::verified_of_day(&mut tx, &book.ems_no, &period).await?;
    let unverified = exits::unverified(&mut tx, &book.ems_no, from, to).await?;
    for (item_no, expected, found) in differences(&released, &verified) {
        let lists: Vec<&str> = unverified
            .iter()
            .filter(|r| r.item_no == item_no)
            .map(|r| r.reference.as_str())
            .take(20)
            .collect();
        let (reason, detail) = if expected > found {
            (
                Reason::Unverified,
                format!(
                    "{period} 放行未核注 / released, not verified: {}",
                    lists.join(", ")
                ),
            )
        } else {
            (
                Reason::OverVerified,
                format!("{period} 核注多于放行 / verified more than released"),
            )
        };
        let finding = NewFinding {
            ems_no: &book.ems_no,
            source: Source::Daily,
            period: &period,
            item_no: &item_no,
            expected,
            found,
            reason,
            detail: &detail,
        };
        recon::record_finding(&mut tx, &finding, now).await?;
    }
    actor
        .commit(tx, "ems.reconcile", Some(&book.ems_no), Some(&period))
        .await?;
    findings_of_period(store, &book, Source::Daily, &period).await
}

/// Takes a month's stock count of one of the caller's books (a CSV or
/// XLSX file with the header `item_no,quantity`) and records each item
/// whose count differs from the book's stock now as a finding: short or
/// long. A bad file is refused whole, naming the line, field and value.
pub async fn upload_count(
    store: &Store,
    actor: &Actor,
    ems_no: &str,
    period: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<CountView> {
    let book = own_book(store, actor, ems_no, Action::KeepBooks, "ems.count").await?;
    let now = Timestamp::now();
    let month = past_month("period", period, now)?;
    let period = month_text(month);
    let file_name = text("file", file_name, 200)?;
    let counted = read_count(bytes)?;
    let mut tx = store.begin().await?;
    let lines = books::lines_of(&mut tx, &book.ems_no).await?;
    let count = i64::try_from(counted.len()).unwrap_or(i64::MAX);
    recon::record_count(
        &mut tx,
        &book.ems_no,
        &period,
        file_name,
        count,
        &actor.name,
        now,
    )
    .await?;
    let stock: BTreeMap<String, i64> = lines.iter().map(|l| (l.item_no.clone(), l.stock)).collect();
    for (item_no, expected, found) in differences(&stock, &counted) {
        let reason = if found < expected {
            Reason::Short
        } else {
            Reason::Long
        };
        let detail = match reason {
            Reason::Short => format!(
                "{period} 盘点（{file_name}）短少：货物可能无单出区 / count short: goods may have left without a list"
            ),
            _ if !stock.contains_key(&item_no) => format!(
                "{period} 盘点（{file_name}）发现账册外料号：可能未申报入区 / item not in the book: possibly an undeclared entry"
            ),
            _ => format!(
                "{period} 盘点（{file_name}）溢余：可能未申报入区 / count long: possibly an undeclared entry"
            ),
        };
        let finding = NewFinding {
            ems_no: &book.ems_no,
            source: Source::Monthly,
            period: &period,
            item_no: &item_no,
            expected,
            found,
            reason,
            detail: &detail,
        };
        recon::record_finding(&mut tx, &finding, now).await?;
    }
    actor
        .commit(tx, "ems.count", Some(&book.ems_no), Some(&period))
        .await?;
    Ok(CountView {
        findings: findings_of_period(store, &book, Source::Monthly, &period).await?,
        ems_no: book.ems_no,
        period,
        lines: count,
    })
}

/// Findings the caller may see (customs every book's, a warehouse its
/// own), newest first.
pub async fn findings(
    store: &Store,
    actor: &Actor,
    query: &FindingQuery,
) -> Result<Vec<FindingView>> {
    let owner = readable_owner(store, actor, "ems.findings").await?;
    let state_filter = query
        .state
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(wanted) = state_filter
        && !["open", "closed"].contains(&wanted)
    {
        return Err(Error::invalid(
            "state",
            "EMS_FINDING_STATE",
            format!("须为 open 或 closed（申报值“{wanted}”）"),
            format!("must be open or closed (given '{wanted}')"),
        ));
    }
    let filter = FindingFilter {
        owner_code: owner,
        ems_no: query.ems_no.clone().filter(|e| !e.trim().is_empty()),
        state: state_filter.map(str::to_owned),
        checked: None,
    };
    let mut conn = store.reader().await?;
    let found = recon::findings(&mut conn, &filter, 500).await?;
    Ok(found.into_iter().map(finding_view).collect())
}

/// An officer closes an open finding, saying what was found and done.
pub async fn close_finding(
    store: &Store,
    actor: &Actor,
    id: &str,
    input: &CloseInput,
) -> Result<FindingView> {
    let not_found = || Error::NotFound {
        what: "finding",
        key: id.to_owned(),
    };
    let mut conn = store.reader().await?;
    let finding = recon::find_finding(&mut conn, id.trim())
        .await?
        .ok_or_else(not_found)?;
    drop(conn);
    let book = own_book(
        store,
        actor,
        &finding.ems_no,
        Action::ReadBooks,
        "ems.findings",
    )
    .await
    .map_err(|_| not_found())?;
    actor
        .authorize(
            store,
            Action::SuperviseBooks,
            &book.owner_code,
            "ems.finding.close",
            id,
        )
        .await?;
    let note = text("note", &input.note, 500)?;
    let mut tx = store.begin().await?;
    if !recon::close_finding(&mut tx, &finding.id, &actor.name, note, Timestamp::now()).await? {
        return Err(Error::Conflict {
            field: "finding",
            value: finding.id,
        });
    }
    let closed = recon::find_finding(&mut tx, &finding.id)
        .await?
        .ok_or_else(not_found)?;
    actor
        .commit(tx, "ems.finding.close", Some(&finding.id), Some(note))
        .await?;
    Ok(finding_view(closed))
}

/// A book's report for a month (`yyyy-mm`, this month or earlier): per
/// item, opening stock, what came in and went out by kind, closing stock.
pub async fn month_report(
    store: &Store,
    actor: &Actor,
    ems_no: &str,
    period: &str,
) -> Result<MonthReportView> {
    let book = own_book(store, actor, ems_no, Action::ReadBooks, "ems.report").await?;
    let month = past_month("period", period, Timestamp::now())?;
    let mut conn = store.reader().await?;
    report_of(&mut conn, &book, month).await
}

/// Sends a completed month's report of one of the caller's books to
/// customs through the agency feed, once.
pub async fn send_report(
    store: &Store,
    actor: &Actor,
    ems_no: &str,
    period: &str,
) -> Result<MonthReportView> {
    let book = own_book(store, actor, ems_no, Action::KeepBooks, "ems.report.send").await?;
    let now = Timestamp::now();
    let month = past_month("period", period, now)?;
    if month == first_of_month(china_date(now)) {
        return Err(Error::invalid(
            "period",
            "EMS_MONTH_OPEN",
            "本月尚未结束，月报须在月结后报送",
            "the month is not over yet: a monthly report is sent after it ends",
        ));
    }
    let period = month_text(month);
    let mut tx = store.begin().await?;
    recon::record_report(&mut tx, &book.ems_no, &period, &actor.name, now).await?;
    let mut report = report_of(&mut tx, &book, month).await?;
    report.sent_by = Some(actor.name.clone());
    report.sent_at = Some(now.to_string());
    let payload = serde_json::to_string(&report)
        .map_err(|e| Error::Internal(format!("monthly report: {e}")))?;
    let key = format!("{}/{period}", book.ems_no);
    let event = NewOutboxEvent {
        topic: "bonded-report",
        event: "sent",
        record_id: &key,
        record_key: &key,
        owner_code: &book.owner_code,
        version_no: 1,
        payload: &payload,
        receipt_seq: None,
    };
    outbox::append(&mut tx, &event, now).await?;
    actor
        .commit(tx, "ems.report.send", Some(&key), None)
        .await?;
    Ok(report)
}

/// A monthly report as a file: one row per item.
pub fn report_file(report: &MonthReportView, format: Format) -> Result<Vec<u8>> {
    let columns: Vec<String> = [
        "ems_no",
        "period",
        "item_no",
        "hs_code",
        "goods_name",
        "unit",
        "opening",
        "entered",
        "transferred_in",
        "returned",
        "retail_out",
        "general_trade",
        "transferred_out",
        "re_exported",
        "adjusted",
        "closing",
    ]
    .map(String::from)
    .to_vec();
    let body: Vec<Vec<String>> = report
        .lines
        .iter()
        .map(|l| {
            vec![
                report.ems_no.clone(),
                report.period.clone(),
                l.item_no.clone(),
                l.hs_code.clone(),
                l.goods_name.clone(),
                l.unit.clone(),
                l.opening.clone(),
                l.entered.clone(),
                l.transferred_in.clone(),
                l.returned.clone(),
                l.retail_out.clone(),
                l.general_trade.clone(),
                l.transferred_out.clone(),
                l.re_exported.clone(),
                l.adjusted.clone(),
                l.closing.clone(),
            ]
        })
        .collect();
    write_table(format, "monthly report", &columns, &body)
}

async fn report_of(
    conn: &mut kuajing_store::Conn,
    book: &Book,
    month: Date,
) -> Result<MonthReportView> {
    let next = next_month(month)?;
    let (from, to) = (china_day_start(month), china_day_start(next));
    let period = month_text(month);
    let lines = recon::month_summary(conn, &book.ems_no, from, to).await?;
    let sent = recon::report_sent(conn, &book.ems_no, &period).await?;
    Ok(MonthReportView {
        ems_no: book.ems_no.clone(),
        owner_code: book.owner_code.clone(),
        period,
        lines: lines.into_iter().map(month_line_view).collect(),
        sent_by: sent.as_ref().map(|(by, _)| by.clone()),
        sent_at: sent.map(|(_, at)| at.to_string()),
    })
}

async fn findings_of_period(
    store: &Store,
    book: &Book,
    source: Source,
    period: &str,
) -> Result<Vec<FindingView>> {
    let filter = FindingFilter {
        ems_no: Some(book.ems_no.clone()),
        checked: Some((source, period.to_owned())),
        ..FindingFilter::default()
    };
    let mut conn = store.reader().await?;
    let found = recon::findings(&mut conn, &filter, 10_000).await?;
    Ok(found.into_iter().map(finding_view).collect())
}

/// Every item whose quantity differs between `expected` and `found` (an
/// item missing from one side counts as zero there): (item, expected,
/// found), by item.
fn differences(
    expected: &BTreeMap<String, i64>,
    found: &BTreeMap<String, i64>,
) -> Vec<(String, i64, i64)> {
    let items: BTreeSet<&String> = expected.keys().chain(found.keys()).collect();
    items
        .into_iter()
        .filter_map(|item| {
            let (e, f) = (
                expected.get(item).copied().unwrap_or(0),
                found.get(item).copied().unwrap_or(0),
            );
            (e != f).then(|| (item.clone(), e, f))
        })
        .collect()
}

/// The counted quantity per item of a stock count file.
fn read_count(bytes: &[u8]) -> Result<BTreeMap<String, i64>> {
    let rows = read_table(bytes, &COUNT_COLUMNS, MAX_COUNT_ROWS)?;
    let mut counted = BTreeMap::new();
    for (line, cells) in rows {
        let cell = |i: usize| cells.get(i).map(|c| c.trim()).unwrap_or("");
        let item_no = cell(0);
        if item_no.is_empty() || item_no.chars().count() > 30 {
            return Err(count_error(
                line,
                "item_no",
                item_no,
                "须为 1 至 30 个字符",
                "must be 1 to 30 characters",
            ));
        }
        let quantity = counted_quantity(cell(1)).ok_or_else(|| {
            count_error(
                line,
                "quantity",
                cell(1),
                "须为零或正数，至多五位小数",
                "must be zero or positive with at most five decimals",
            )
        })?;
        if counted.insert(item_no.to_owned(), quantity).is_some() {
            return Err(count_error(
                line,
                "item_no",
                item_no,
                "料号重复",
                "the item appears twice",
            ));
        }
    }
    Ok(counted)
}

/// A counted quantity in 1/100000 units: zero or positive, at most five
/// decimals.
fn counted_quantity(text: &str) -> Option<i64> {
    let value: Decimal = text.parse().ok()?;
    if value.is_zero() {
        return Some(0);
    }
    units(value)
}

fn count_error(line: u64, field: &str, value: &str, zh: &str, en: &str) -> Error {
    Error::invalid(
        &format!("file[{line}].{field}"),
        "EMS_COUNT",
        format!("第 {line} 行 {field}：{zh}（值“{value}”）"),
        format!("line {line}, {field}: {en} (given '{value}')"),
    )
}

/// A `yyyy-mm` month not after this one (China time), as its first day.
fn past_month(field: &str, text: &str, now: Timestamp) -> Result<Date> {
    let parsed = text.trim().split_once('-').and_then(|(y, m)| {
        let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u8>().ok()?);
        (y.len() == 4 && m.len() == 2).then_some(())?;
        Date::from_calendar_date(year, Month::try_from(month).ok()?, 1).ok()
    });
    match parsed {
        Some(month) if month <= first_of_month(china_date(now)) => Ok(month),
        _ => Err(Error::invalid(
            field,
            "EMS_MONTH",
            format!("须为本月或之前的月份 yyyy-mm（申报值“{text}”）"),
            format!("must be a month yyyy-mm, this month or earlier (given '{text}')"),
        )),
    }
}

fn first_of_month(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

fn next_month(month: Date) -> Result<Date> {
    let (year, next) = match month.month() {
        Month::December => (month.year() + 1, Month::January),
        other => (month.year(), other.next()),
    };
    Date::from_calendar_date(year, next, 1)
        .map_err(|e| Error::Internal(format!("month after {month}: {e}")))
}

/// The month a day falls in, `yyyy-mm` (how periods are named in
/// reports, counts and findings).
pub fn month_text(month: Date) -> String {
    format!("{:04}-{:02}", month.year(), u8::from(month.month()))
}

fn finding_view(f: Finding) -> FindingView {
    FindingView {
        difference: display_units(f.found - f.expected),
        expected: display_units(f.expected),
        found: display_units(f.found),
        id: f.id,
        ems_no: f.ems_no,
        source: f.source.as_str().to_owned(),
        period: f.period,
        item_no: f.item_no,
        reason: f.reason.as_str().to_owned(),
        detail: f.detail,
        state: f.state,
        created_at: f.created_at.to_string(),
        closed_by: f.closed_by,
        closing_note: f.closing_note,
        closed_at: f.closed_at.map(|t| t.to_string()),
    }
}

fn month_line_view(l: MonthLine) -> MonthLineView {
    MonthLineView {
        opening: display_units(l.opening),
        entered: display_units(l.entered),
        transferred_in: display_units(l.transferred_in),
        returned: display_units(l.returned),
        retail_out: display_units(l.retail_out),
        general_trade: display_units(l.general_trade),
        transferred_out: display_units(l.transferred_out),
        re_exported: display_units(l.re_exported),
        adjusted: display_units(l.adjusted),
        closing: display_units(l.closing),
        item_no: l.item_no,
        hs_code: l.hs_code,
        goods_name: l.goods_name,
        unit: l.unit,
    }
}
