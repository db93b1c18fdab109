//! The rest of the bonded book's API (issue #6): inspection of returned
//! goods, the exit flow (verification and gate release lists), the
//! reconciliation (a day's check, a month's stock count, the findings
//! officers close) and the monthly report to customs.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::api::filings::read_upload;
use crate::error::{ErrorBody, WebResult as Result};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::files::file_response;
use crate::state::AppState;
use kuajing_bonded::books::exit::{
    self, GateReleaseInput, GateReleaseView, VerificationInput, VerificationView,
};
use kuajing_bonded::books::quarantine::{
    self, InspectionInput, InspectionView, QuarantineEntryView,
};
use kuajing_bonded::books::reconciliation::{
    self, CloseInput, CountView, DayInput, FindingQuery, FindingView, MonthReportView,
};
use kuajing_registry::actor::Actor;
use kuajing_registry::downloads::Format;

/// Records what inspection decided about returned goods waiting in
/// quarantine: `sellable` (available again) or `unsellable` (out of the
/// book by an approved adjustment).
#[utoipa::path(post, path = "/api/ems/books/{ems_no}/inspections", tag = "bonded",
    params(("ems_no" = String, Path, description = "The book number (emsNo)")),
    request_body = InspectionInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = InspectionView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn inspect(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(ems_no): ApiPath<String>,
    ApiJson(input): ApiJson<InspectionInput>,
) -> Result<(StatusCode, Json<InspectionView>)> {
    let done = quarantine::inspect(state.store(), &actor, &ems_no, &input).await?;
    Ok((StatusCode::CREATED, Json(done)))
}

/// The latest entries of a book's quarantine ledger (held, sellable,
/// unsellable), newest first.
#[utoipa::path(get, path = "/api/ems/books/{ems_no}/quarantine", tag = "bonded",
    params(("ems_no" = String, Path, description = "The book number (emsNo)")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<QuarantineEntryView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn quarantine_entries(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(ems_no): ApiPath<String>,
) -> Result<Json<Vec<QuarantineEntryView>>> {
    Ok(Json(
        quarantine::entries(state.store(), &actor, &ems_no, 200).await?,
    ))
}

/// A book's exit verification lists (核注清单), newest first.
#[utoipa::path(get, path = "/api/ems/books/{ems_no}/verifications", tag = "bonded",
    params(("ems_no" = String, Path, description = "The book number (emsNo)")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<VerificationView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn verifications(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(ems_no): ApiPath<String>,
) -> Result<Json<Vec<VerificationView>>> {
    Ok(Json(
        exit::verifications(state.store(), &actor, &ems_no, 100).await?,
    ))
}

/// Generates the exit verification list of a China day: the lists released
/// that day and not yet verified, summed per item (422
/// `EMS_NOTHING_TO_VERIFY` when there are none).
#[utoipa::path(post, path = "/api/ems/books/{ems_no}/verifications", tag = "bonded",
    params(("ems_no" = String, Path, description = "The book number (emsNo)")),
    request_body = VerificationInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = VerificationView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn generate_verification(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(ems_no): ApiPath<String>,
    ApiJson(input): ApiJson<VerificationInput>,
) -> Result<(StatusCode, Json<VerificationView>)> {
    let created = exit::generate(state.store(), &actor, &ems_no, &input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Files the gate release list (核放单) of a verification list.
#[utoipa::path(post, path = "/api/ems/verifications/{number}/gate-release", tag = "bonded",
    params(("number" = String, Path, description = "The verification list's number")),
    request_body = GateReleaseInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = GateReleaseView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn gate_release(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(number): ApiPath<String>,
    ApiJson(input): ApiJson<GateReleaseInput>,
) -> Result<(StatusCode, Json<GateReleaseView>)> {
    let filed = exit::file_gate_release(state.store(), &actor, &number, &input).await?;
    Ok((StatusCode::CREATED, Json(filed)))
}

/// Customs records the vehicle of a verification list's gate release list
/// passing the gate.
#[utoipa::path(post, path = "/api/ems/verifications/{number}/pass", tag = "bonded",
    params(("number" = String, Path, description = "The verification list's number")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = VerificationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn pass_gate(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<VerificationView>> {
    Ok(Json(exit::pass_gate(state.store(), &actor, &number).await?))
}

/// Checks a China day's released lists against its verification lists;
/// each difference is recorded as a finding. Returns the day's findings.
#[utoipa::path(post, path = "/api/ems/books/{ems_no}/reconciliations", tag = "bonded",
    params(("ems_no" = String, Path, description = "The book number (emsNo)")),
    request_body = DayInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<FindingView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn reconcile_day(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(ems_no): ApiPath<String>,
    ApiJson(input): ApiJson<DayInput>,
) -> Result<Json<Vec<FindingView>>> {
    Ok(Json(
        reconciliation::reconcile_day(state.store(), &actor, &ems_no, &input).await?,
    ))
}

/// Uploads a month's stock count (multipart: `period` = `yyyy-mm`, `file` =
/// CSV or XLSX with the header `item_no,quantity`); every item whose count
/// differs from the book's stock becomes a finding (short or long).
#[utoipa::path(post, path = "/api/ems/books/{ems_no}/stock-counts", tag = "bonded",
    params(("ems_no" = String, Path, description = "The book number (emsNo)")),
    request_body(content_type = "multipart/form-data", content = String),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CountView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_count(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(ems_no): ApiPath<String>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<CountView>)> {
    let upload = read_upload(multipart, state.config().body_limit).await?;
    let count = reconciliation::upload_count(
        state.store(),
        &actor,
        &ems_no,
        &upload.period,
        &upload.file_name,
        &upload.bytes,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(count)))
}

/// Reconciliation findings: customs sees every book's, a warehouse its
/// own; newest first.
#[utoipa::path(get, path = "/api/ems/findings", tag = "bonded", params(FindingQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<FindingView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn findings(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<FindingQuery>,
) -> Result<Json<Vec<FindingView>>> {
    Ok(Json(
        reconciliation::findings(state.store(), &actor, &query).await?,
    ))
}

/// An officer closes an open finding with a written note.
#[utoipa::path(post, path = "/api/ems/findings/{id}/close", tag = "bonded",
    params(("id" = String, Path, description = "The finding's id")),
    request_body = CloseInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FindingView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn close_finding(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<CloseInput>,
) -> Result<Json<FindingView>> {
    Ok(Json(
        reconciliation::close_finding(state.store(), &actor, &id, &input).await?,
    ))
}

/// How to return a monthly report.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
}

/// A book's monthly report (`yyyy-mm`): per item, opening stock, entries,
/// transfers, returns, retail and other exits, adjustments, closing stock —
/// as JSON, CSV or XLSX.
#[utoipa::path(get, path = "/api/ems/books/{ems_no}/reports/{period}", tag = "bonded",
    params(("ems_no" = String, Path, description = "The book number (emsNo)"),
        ("period" = String, Path, description = "The month, yyyy-mm"), ReportQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MonthReportView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((ems_no, period)): ApiPath<(String, String)>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Response> {
    let format = match query.format.as_deref() {
        None | Some("json") => None,
        Some(other) => Some(Format::parse(other)?),
    };
    let report = reconciliation::month_report(state.store(), &actor, &ems_no, &period).await?;
    let Some(format) = format else {
        return Ok(Json(report).into_response());
    };
    let bytes = reconciliation::report_file(&report, format)?;
    let name = format!(
        "ems-{}-{}.{}",
        report.ems_no,
        report.period,
        format.extension()
    );
    Ok(file_response(format, &name, bytes))
}

/// Sends a completed month's report to customs through the agency feed
/// (topic `bonded-report`), once (409 when sent before).
#[utoipa::path(post, path = "/api/ems/books/{ems_no}/reports/{period}", tag = "bonded",
    params(("ems_no" = String, Path, description = "The book number (emsNo)"),
        ("period" = String, Path, description = "The month, yyyy-mm")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = MonthReportView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send_report(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((ems_no, period)): ApiPath<(String, String)>,
) -> Result<(StatusCode, Json<MonthReportView>)> {
    let sent = reconciliation::send_report(state.store(), &actor, &ems_no, &period).await?;
    Ok((StatusCode::CREATED, Json(sent)))
}
