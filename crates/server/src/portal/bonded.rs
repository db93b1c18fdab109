//! The bonded e-account book pages (电子账册, issue #6): the books a
//! warehouse keeps (every book, for customs); one book's stock lines, the
//! lists holding stock, its ledger (filtered by item and kind, stock
//! exported as CSV or XLSX), returned goods awaiting inspection, the exit
//! verification and gate release lists, the reconciliation and the monthly
//! report, with the forms of its keeper and of customs; and the officers'
//! reconciliation findings. The same use cases as `/api/ems/…`
//! (`kuajing_bonded::books`).

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kuajing_core::access::Action;
use kuajing_store::ems_books::{MovementKind, Purpose};
use serde::Deserialize;

use crate::api::filings::read_upload;
use crate::error::{Error, HttpError, Result};
use crate::extract::FormBody;
use crate::files::file_response;
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::i18n::Texts;
use crate::state::AppState;
use kuajing_bonded::books::exit::{self, GateReleaseInput, VerificationInput};
use kuajing_bonded::books::quarantine::{self, InspectionInput};
use kuajing_bonded::books::reconciliation::{
    self, CloseInput, DayInput, FindingQuery, FindingView,
};
use kuajing_bonded::books::{self as bonded, BookSheet, BookView, LedgerQuery, MovementInput};
use kuajing_registry::downloads::{Format, write_table};

#[derive(Template)]
#[template(path = "bonded.html")]
struct BooksPage {
    page: Page,
    books: Vec<BookView>,
}

#[derive(Template)]
#[template(path = "bonded_book.html")]
struct BookPage {
    page: Page,
    sheet: BookSheet,
    keeper: bool,
    supervisor: bool,
    kinds: Vec<(&'static str, &'static str)>,
    purposes: Vec<(&'static str, &'static str)>,
    filter: LedgerQuery,
    filtered: bool,
    quarantined: bool,
    today: String,
    this_month: String,
    last_month: String,
    done: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "bonded_findings.html")]
struct FindingsPage {
    page: Page,
    findings: Vec<FindingView>,
    state: String,
    supervisor: bool,
    done: Option<String>,
    error: Option<String>,
}

/// `GET /bonded`: the books the signed-in organisation may read.
pub async fn books(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let books = bonded::list_books(state.store(), actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let page = ctx.page(Section::Bonded);
    Ok(render(StatusCode::OK, &BooksPage { page, books }))
}

/// `GET /bonded/{ems_no}`: a book's sheet, its ledger filtered by
/// `?item_no=` and `?kind=`.
pub async fn book(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ems_no): Path<String>,
    Query(filter): Query<LedgerQuery>,
) -> Result<Response, PortalError> {
    let shown = Shown {
        status: StatusCode::OK,
        done: None,
        error: None,
    };
    book_page(&state, &ctx, &ems_no, filter, shown).await
}

/// `GET /bonded/{ems_no}/export?format=csv|xlsx`: the book's stock lines
/// as a file.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ems_no): Path<String>,
    Query(query): Query<FormatQuery>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let format = Format::parse(&query.format).map_err(|e| ctx.fail(e))?;
    let book = bonded::read_book(state.store(), actor, &ems_no)
        .await
        .map_err(|e| ctx.fail(e))?;
    let columns: Vec<String> = [
        "ems_no",
        "item_no",
        "hs_code",
        "goods_name",
        "unit",
        "currency",
        "unit_value",
        "stock",
        "reserved",
        "quarantined",
        "available",
    ]
    .map(String::from)
    .to_vec();
    let body: Vec<Vec<String>> = book
        .lines
        .iter()
        .map(|l| {
            vec![
                book.ems_no.clone(),
                l.item_no.clone(),
                l.hs_code.clone(),
                l.goods_name.clone(),
                l.unit.clone(),
                l.currency.clone(),
                l.unit_value.clone(),
                l.stock.clone(),
                l.reserved.clone(),
                l.quarantined.clone(),
                l.available.clone(),
            ]
        })
        .collect();
    let bytes = write_table(format, "stock", &columns, &body).map_err(|e| ctx.fail(e))?;
    let name = format!("ems-{}-stock.{}", book.ems_no, format.extension());
    Ok(file_response(format, &name, bytes))
}

/// An export's format.
#[derive(Debug, Deserialize)]
pub struct FormatQuery {
    format: String,
}

/// `POST /bonded/{ems_no}/movements`: the keeper records a movement.
pub async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ems_no): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = MovementInput {
        item_no: form.text("item_no").to_owned(),
        kind: form.text("kind").to_owned(),
        quantity: form.text("quantity").to_owned(),
        unit: form.text("unit").to_owned(),
        reference: form.text("reference").to_owned(),
        reason: form.text("reason").to_owned(),
        approved_by: optional(&form, "approved_by"),
        purpose: optional(&form, "purpose"),
    };
    let t = ctx.lang.texts();
    let result = bonded::record_movement(
        state.store(),
        &state.config().clearance,
        actor,
        &ems_no,
        &input,
    )
    .await
    .map(|m| {
        let kind = kind_label(t, &m.kind);
        format!("{} {} {kind} {}", t.bonded_recorded, m.item_no, m.quantity)
    });
    after(&state, &ctx, &ems_no, result).await
}

/// `POST /bonded/{ems_no}/inspections`: the keeper records an inspection
/// of returned goods.
pub async fn inspect(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ems_no): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = InspectionInput {
        item_no: form.text("item_no").to_owned(),
        quantity: form.text("quantity").to_owned(),
        decision: form.text("decision").to_owned(),
        reference: form.text("reference").to_owned(),
        reason: form.text("reason").to_owned(),
        approved_by: optional(&form, "approved_by"),
    };
    let t = ctx.lang.texts();
    let result = quarantine::inspect(state.store(), actor, &ems_no, &input)
        .await
        .map(|v| {
            let decision = decision_label(t, input.decision.trim());
            format!(
                "{} {} {decision} {}",
                t.item_no,
                v.line.item_no,
                input.quantity.trim()
            )
        });
    after(&state, &ctx, &ems_no, result).await
}

/// `POST /bonded/{ems_no}/verifications`: the keeper generates a day's
/// exit verification list.
pub async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ems_no): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = VerificationInput {
        business_day: form.text("business_day").to_owned(),
    };
    let result = exit::generate(state.store(), actor, &ems_no, &input)
        .await
        .map(|v| format!("{} {}", v.number, v.business_day));
    after(&state, &ctx, &ems_no, result).await
}

/// `POST /bonded/{ems_no}/gate-releases`: the keeper files the gate
/// release list of a verification list (`verification`, `vehicle_no`).
pub async fn gate_release(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ems_no): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = GateReleaseInput {
        vehicle_no: form.text("vehicle_no").to_owned(),
    };
    let result = exit::file_gate_release(state.store(), actor, form.text("verification"), &input)
        .await
        .map(|g| format!("{} {}", g.number, g.vehicle_no));
    after(&state, &ctx, &ems_no, result).await
}

/// `POST /bonded/{ems_no}/gate-passes`: customs records a vehicle passing
/// the gate (`verification`).
pub async fn pass_gate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ems_no): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let result = exit::pass_gate(state.store(), actor, form.text("verification"))
        .await
        .map(|v| v.number);
    after(&state, &ctx, &ems_no, result).await
}

/// `POST /bonded/{ems_no}/reconciliations`: a day's check.
pub async fn reconcile(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ems_no): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = DayInput {
        business_day: form.text("business_day").to_owned(),
    };
    let result = reconciliation::reconcile_day(state.store(), actor, &ems_no, &input)
        .await
        .map(|found| {
            format!(
                "{} {}: {}",
                input.business_day,
                ctx.lang.texts().bonded_findings,
                found.len()
            )
        });
    after(&state, &ctx, &ems_no, result).await
}

/// `POST /bonded/{ems_no}/stock-counts` (multipart: `csrf`, `period`,
/// `file`): the keeper uploads a month's stock count.
pub async fn upload_count(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ems_no): Path<String>,
    multipart: Multipart,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let upload = match read_upload(multipart, state.config().body_limit).await {
        Ok(upload) => upload,
        Err(e) => return after(&state, &ctx, &ems_no, Err(e)).await,
    };
    ctx.check_csrf(&FormBody(vec![("csrf".to_owned(), upload.csrf.clone())]))?;
    let result = reconciliation::upload_count(
        state.store(),
        actor,
        &ems_no,
        &upload.period,
        &upload.file_name,
        &upload.bytes,
    )
    .await
    .map(|c| {
        let t = ctx.lang.texts();
        format!("{} {}: {}", c.period, t.bonded_findings, c.findings.len())
    });
    after(&state, &ctx, &ems_no, result).await
}

/// `POST /bonded/{ems_no}/reports`: the keeper sends a month's report
/// (`period`) to customs.
pub async fn send_report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ems_no): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let result = reconciliation::send_report(state.store(), actor, &ems_no, form.text("period"))
        .await
        .map(|r| format!("{} {}", r.ems_no, r.period));
    after(&state, &ctx, &ems_no, result).await
}

/// `GET /bonded/findings?state=`: the findings the caller may see.
pub async fn findings(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<FindingQuery>,
) -> Result<Response, PortalError> {
    findings_page(&state, &ctx, query, StatusCode::OK, None, None).await
}

/// `POST /bonded/findings/{id}/close`: an officer closes a finding.
pub async fn close_finding(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = CloseInput {
        note: form.text("note").to_owned(),
    };
    let open = FindingQuery {
        state: Some("open".to_owned()),
        ems_no: None,
    };
    match reconciliation::close_finding(state.store(), actor, &id, &input).await {
        Ok(closed) => {
            let t = ctx.lang.texts();
            let done = format!(
                "{} {} {} {}",
                t.bonded_done, closed.ems_no, t.item_no, closed.item_no
            );
            findings_page(&state, &ctx, open, StatusCode::OK, Some(done), None).await
        }
        Err(e) if e.is_correctable() || e.status() == StatusCode::FORBIDDEN => {
            let message = ctx.message(&e);
            findings_page(&state, &ctx, open, e.status(), None, Some(message)).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// How a book page is shown after a form.
struct Shown {
    status: StatusCode,
    done: Option<String>,
    error: Option<String>,
}

/// The book page after a form: what was done, or why not (a refusal the
/// user can correct is shown on the page with the book unchanged).
async fn after(
    state: &AppState,
    ctx: &Ctx,
    ems_no: &str,
    result: Result<String>,
) -> Result<Response, PortalError> {
    let shown = match result {
        Ok(done) => Shown {
            status: StatusCode::OK,
            done: Some(format!("{} {done}", ctx.lang.texts().bonded_done)),
            error: None,
        },
        Err(e) if e.is_correctable() || matches!(e, Error::BodyTooLarge { .. }) => Shown {
            status: e.status(),
            done: None,
            error: Some(ctx.message(&e)),
        },
        Err(e) => return Err(ctx.fail(e)),
    };
    book_page(state, ctx, ems_no, LedgerQuery::default(), shown).await
}

async fn book_page(
    state: &AppState,
    ctx: &Ctx,
    ems_no: &str,
    filter: LedgerQuery,
    shown: Shown,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let mut sheet = bonded::book_sheet(state.store(), actor, ems_no, &filter, 100)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.lang.texts();
    for m in &mut sheet.movements {
        m.kind = kind_label(t, &m.kind).to_owned();
        m.purpose = m.purpose.as_deref().map(|p| purpose_label(t, p).to_owned());
    }
    for e in &mut sheet.quarantine {
        e.decision = decision_label(t, &e.decision).to_owned();
        e.decided_by = crate::portal::glossary::decided_by(ctx.lang, &e.decided_by);
        e.created_at = ctx.local_text(&e.created_at);
    }
    let owner = sheet.book.owner_code.clone();
    let kinds = MovementKind::ALL
        .into_iter()
        .map(|k| (k.as_str(), kind_label(t, k.as_str())))
        .collect();
    let purposes = Purpose::ALL
        .into_iter()
        .map(|p| (p.as_str(), purpose_label(t, p.as_str())))
        .collect();
    let (today, this_month, last_month) = calendar();
    let page = BookPage {
        page: ctx.page(Section::Bonded),
        quarantined: sheet.book.lines.iter().any(|l| l.quarantined != "0"),
        sheet,
        keeper: actor.may(Action::KeepBooks, &owner).is_ok(),
        supervisor: actor.may(Action::SuperviseBooks, &owner).is_ok(),
        kinds,
        purposes,
        filtered: filter.item_no.is_some() || filter.kind.is_some(),
        filter,
        today,
        this_month,
        last_month,
        done: shown.done,
        error: shown.error,
    };
    Ok(render(shown.status, &page))
}

async fn findings_page(
    state: &AppState,
    ctx: &Ctx,
    query: FindingQuery,
    status: StatusCode,
    done: Option<String>,
    error: Option<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let mut findings = reconciliation::findings(state.store(), actor, &query)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.lang.texts();
    for f in &mut findings {
        f.reason = reason_label(t, &f.reason).to_owned();
        f.source = match f.source.as_str() {
            "daily" => t.finding_source_daily.to_owned(),
            "monthly" => t.finding_source_monthly.to_owned(),
            other => other.to_owned(),
        };
    }
    let page = FindingsPage {
        page: ctx.page(Section::Bonded),
        findings,
        state: query.state.unwrap_or_default(),
        supervisor: actor.scope(Action::SuperviseBooks).is_some(),
        done,
        error,
    };
    Ok(render(status, &page))
}

/// Today, this month and last month in China, for the forms' defaults.
fn calendar() -> (String, String, String) {
    let today =
        kuajing_exchange::time_format::china_date(kuajing_core::timestamp::Timestamp::now());
    let first = today.replace_day(1).unwrap_or(today);
    let last = first.previous_day().unwrap_or(first);
    (
        today.to_string(),
        reconciliation::month_text(today),
        reconciliation::month_text(last),
    )
}

fn optional(form: &FormBody, name: &str) -> Option<String> {
    Some(form.text(name).trim().to_owned()).filter(|v| !v.is_empty())
}

/// A movement kind's name in the page's language.
fn kind_label(t: &Texts, kind: &str) -> &'static str {
    match MovementKind::parse(kind) {
        Some(MovementKind::FirstLineIn) => t.kind_first_line_in,
        Some(MovementKind::GoodsOut) => t.kind_goods_out,
        Some(MovementKind::ReturnIn) => t.kind_return_in,
        Some(MovementKind::Adjustment) => t.kind_adjustment,
        Some(MovementKind::RetailOut) | None => t.kind_retail_out,
    }
}

/// A purpose's name in the page's language.
fn purpose_label(t: &Texts, purpose: &str) -> &'static str {
    match Purpose::parse(purpose) {
        Some(Purpose::Entry) | None => t.purpose_entry,
        Some(Purpose::TransferIn) => t.purpose_transfer_in,
        Some(Purpose::GeneralTrade) => t.purpose_general_trade,
        Some(Purpose::TransferOut) => t.purpose_transfer_out,
        Some(Purpose::ReExport) => t.purpose_re_export,
    }
}

/// A quarantine decision's name in the page's language.
fn decision_label(t: &Texts, decision: &str) -> &'static str {
    match decision {
        "sellable" => t.decision_sellable,
        "unsellable" => t.decision_unsellable,
        _ => t.decision_held,
    }
}

/// A finding's reason in the page's language.
fn reason_label(t: &Texts, reason: &str) -> &'static str {
    match reason {
        "short" => t.reason_short,
        "long" => t.reason_long,
        "unverified" => t.reason_unverified,
        _ => t.reason_over_verified,
    }
}
