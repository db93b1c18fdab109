//! `/api/filings`: enterprise and commodity filings, their workflow,
//! history, attachments, search and export.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kuajing_core::filing::{FilingKind, FilingStatus, Step};
use serde::Deserialize;

use crate::error::{Error, ErrorBody, WebResult as Result};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use kuajing_registry::actor::Actor;
use kuajing_registry::filing::attachments::{self, Purpose};
use kuajing_registry::filing::commodity::CommodityInput;
use kuajing_registry::filing::enterprise::EnterpriseInput;
use kuajing_registry::filing::record::AttachmentRef;
use kuajing_registry::filing::{self, FilingPage, FilingView, History, ListQuery};
use kuajing_registry::validate;

/// Filters of the filing list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FilingQuery {
    /// `enterprise` or `commodity`.
    pub kind: Option<String>,
    /// `draft`, `submitted`, `returned`, `active`, `suspended`, `revoked`.
    pub status: Option<String>,
    /// Owner's customs code.
    pub owner: Option<String>,
    /// Commodity code prefix.
    pub hs_code: Option<String>,
    /// Text search (name, codes, brand, barcode).
    pub q: Option<String>,
    /// `true`: only the caller's own filings.
    pub mine: Option<bool>,
    /// `true`: only filings waiting for the caller's agency's decision.
    pub awaiting: Option<bool>,
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

impl FilingQuery {
    /// The use case's query, each filter checked.
    pub fn parse(&self) -> kuajing_registry::Result<ListQuery> {
        let kind = match self.kind.as_deref().filter(|k| !k.is_empty()) {
            Some(text) => Some(FilingKind::parse(text).ok_or_else(|| {
                Error::invalid(
                    "kind",
                    "FILING_KIND_UNKNOWN",
                    format!("未知备案类型“{text}”"),
                    format!("unknown filing kind '{text}'; use enterprise or commodity"),
                )
            })?),
            None => None,
        };
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            Some(text) => Some(FilingStatus::parse(text).ok_or_else(|| {
                Error::invalid(
                    "status",
                    "FILING_STATUS_UNKNOWN",
                    format!("未知备案状态“{text}”"),
                    format!("unknown filing status '{text}'"),
                )
            })?),
            None => None,
        };
        Ok(ListQuery {
            kind,
            status,
            mine: self.mine.unwrap_or(false),
            awaiting_me: self.awaiting.unwrap_or(false),
            owner: validate::optional("owner", self.owner.as_deref(), 10)?,
            hs_code: validate::optional("hs_code", self.hs_code.as_deref(), 10)?,
            search: validate::optional("q", self.q.as_deref(), 100)?,
            limit: self.limit.unwrap_or(50),
            offset: self.offset.unwrap_or(0),
        })
    }
}

/// Lists and searches filings the caller may see (agencies: the fields the
/// sharing policy gives them; no personal data in lists).
#[utoipa::path(get, path = "/api/filings", tag = "filing", params(FilingQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FilingPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<FilingQuery>,
) -> Result<Json<FilingPage>> {
    Ok(Json(
        filing::list(state.store(), &actor, &query.parse()?).await?,
    ))
}

/// One filing as the caller may see it (reads of personal data are audited).
#[utoipa::path(get, path = "/api/filings/{id}", tag = "filing", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FilingView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<FilingView>> {
    Ok(Json(filing::read(state.store(), &actor, &id).await?))
}

/// A filing's versions with their differences, and every workflow event.
#[utoipa::path(get, path = "/api/filings/{id}/history", tag = "filing", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = History), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<History>> {
    Ok(Json(filing::history(state.store(), &actor, &id).await?))
}

/// The caller's organisation's enterprise filing.
#[utoipa::path(get, path = "/api/filings/enterprise", tag = "filing",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FilingView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn own_enterprise(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<FilingView>> {
    let found = filing::own_enterprise_filing(state.store(), &actor).await?;
    let own = actor.organisation_code.clone().unwrap_or_default();
    let found = found.ok_or(Error::NotFound {
        what: "filing",
        key: own,
    })?;
    Ok(Json(filing::read(state.store(), &actor, &found.id).await?))
}

/// Writes the caller's organisation's enterprise filing as a draft (a change
/// to the approved one stays a draft until submitted and approved).
#[utoipa::path(put, path = "/api/filings/enterprise", tag = "filing", request_body = EnterpriseInput,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = FilingView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_enterprise(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<EnterpriseInput>,
) -> Result<Json<FilingView>> {
    let saved = filing::save_enterprise(state.store(), &actor, &input).await?;
    Ok(Json(filing::read(state.store(), &actor, &saved.id).await?))
}

/// Writes a commodity filing of the caller's organisation as a draft; the
/// item number is the key (a new one, or a change to an existing one).
#[utoipa::path(post, path = "/api/filings/commodities", tag = "filing", request_body = CommodityInput,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = FilingView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_commodity(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<CommodityInput>,
) -> Result<Json<FilingView>> {
    let saved = filing::save_commodity(state.store(), &actor, &input).await?;
    Ok(Json(filing::read(state.store(), &actor, &saved.id).await?))
}

/// Why (for steps that need it).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Required to return, suspend, reinstate or revoke.
    #[serde(default)]
    pub reason: Option<String>,
}

async fn step(
    state: &AppState,
    actor: &Actor,
    id: &str,
    step: Step,
    decision: &Decision,
) -> Result<Json<FilingView>> {
    let after = filing::act(state.store(), actor, id, step, decision.reason.as_deref()).await?;
    Ok(Json(filing::read(state.store(), actor, &after.id).await?))
}

macro_rules! step_route {
    ($name:ident, $path:literal, $step:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "filing", params(("id" = String, Path)), request_body = Decision,
            security(("bearer" = []), ("session" = [])),
            responses(
                (status = 200, body = FilingView),
                (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
                (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
        pub async fn $name(
            State(state): State<AppState>,
            actor: Actor,
            ApiPath(id): ApiPath<String>,
            ApiJson(decision): ApiJson<Decision>,
        ) -> Result<Json<FilingView>> {
            step(&state, &actor, &id, $step, &decision).await
        }
    };
}

step_route!(
    submit,
    "/api/filings/{id}/submit",
    Step::Submit,
    "Sends the owner's draft for approval."
);
step_route!(
    approve,
    "/api/filings/{id}/approve",
    Step::Approve,
    "Approves as each of the caller's agency roles the filing needs; active once all have."
);
step_route!(
    return_filing,
    "/api/filings/{id}/return",
    Step::Return,
    "Returns the filing to its owner with reasons."
);
step_route!(
    suspend,
    "/api/filings/{id}/suspend",
    Step::Suspend,
    "Suspends a filing in force (approving agencies, zone administration)."
);
step_route!(
    reinstate,
    "/api/filings/{id}/reinstate",
    Step::Reinstate,
    "Lifts a suspension."
);
step_route!(
    revoke,
    "/api/filings/{id}/revoke",
    Step::Revoke,
    "Revokes a filing for good."
);

/// Uploads an attachment (multipart: `purpose` = `business_licence`,
/// `other` or `photo`; `file`). The type is read from the content; licences
/// and documents up to 5 MiB (PDF, JPEG, PNG), photos up to 2 MiB (JPEG, PNG,
/// WebP).
#[utoipa::path(post, path = "/api/filings/{id}/attachments", tag = "filing", params(("id" = String, Path)),
    request_body(content_type = "multipart/form-data", content = String),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, body = AttachmentRef),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<AttachmentRef>)> {
    let upload = read_upload(multipart, state.config().body_limit).await?;
    let purpose = Purpose::parse(&upload.purpose)?;
    let (_, reference) = attachments::upload(
        state.store(),
        &actor,
        &id,
        purpose,
        &upload.file_name,
        &upload.bytes,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(reference)))
}

/// The fields of an upload form.
pub struct Upload {
    /// `purpose` field.
    pub purpose: String,
    /// `period` field (a stock count's month).
    pub period: String,
    /// The file's name.
    pub file_name: String,
    /// Its content.
    pub bytes: Vec<u8>,
    /// The CSRF token, for forms posted from the portal.
    pub csrf: String,
    /// `submit` field: `true` to submit what is filed.
    pub submit: bool,
}

/// Reads `purpose`, `csrf` and `file` from a multipart form; a form over
/// the body limit (`limit` bytes, the server's `body_limit`) is refused
/// naming it.
pub async fn read_upload(
    mut multipart: Multipart,
    limit: usize,
) -> kuajing_registry::Result<Upload> {
    let malformed = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::BodyTooLarge { limit }
        } else {
            Error::MalformedBody {
                field: None,
                detail: e.body_text(),
            }
        }
    };
    let mut upload = Upload {
        purpose: String::new(),
        period: String::new(),
        file_name: String::new(),
        bytes: Vec::new(),
        csrf: String::new(),
        submit: false,
    };
    let mut has_file = false;
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        match field.name().unwrap_or("") {
            "file" => {
                upload.file_name = field.file_name().unwrap_or("upload").to_owned();
                upload.bytes = field.bytes().await.map_err(malformed)?.to_vec();
                has_file = true;
            }
            "purpose" => upload.purpose = field.text().await.map_err(malformed)?,
            "period" => upload.period = field.text().await.map_err(malformed)?,
            "csrf" => upload.csrf = field.text().await.map_err(malformed)?,
            "submit" => upload.submit = field.text().await.map_err(malformed)? == "true",
            _ => {}
        }
    }
    if !has_file || upload.bytes.is_empty() {
        return Err(Error::invalid(
            "file",
            "FIELD_REQUIRED",
            "请选择要上传的文件",
            "choose a file to upload",
        ));
    }
    Ok(upload)
}

/// Downloads an attachment (for whoever may see it; audited).
#[utoipa::path(get, path = "/api/attachments/{id}", tag = "filing", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Response> {
    let (attachment, content) = attachments::download(state.store(), &actor, &id).await?;
    let mut response = content.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&attachment.media_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        percent_encode(&attachment.file_name)
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        "x-content-sha256",
        HeaderValue::from_str(&attachment.sha256).unwrap_or(HeaderValue::from_static("")),
    );
    Ok(response)
}

/// RFC 5987 encoding of a file name for `Content-Disposition`.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// What to export.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `csv` or `xlsx`.
    pub format: String,
    /// `enterprise` or `commodity`.
    pub kind: Option<String>,
    /// Status.
    pub status: Option<String>,
    /// Owner's customs code.
    pub owner: Option<String>,
    /// Commodity code prefix.
    pub hs_code: Option<String>,
    /// Text search.
    pub q: Option<String>,
    /// Only the caller's own filings.
    pub mine: Option<bool>,
}

/// Exports the filings a search selects (up to 10,000), as CSV (UTF-8 with
/// BOM) or XLSX; columns are the fields the caller may see; no personal data.
#[utoipa::path(get, path = "/api/filings/export", tag = "filing", params(ExportQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> Result<Response> {
    let format = kuajing_registry::downloads::Format::parse(&query.format)?;
    let list = FilingQuery {
        kind: query.kind,
        status: query.status,
        owner: query.owner,
        hs_code: query.hs_code,
        q: query.q,
        mine: query.mine,
        ..Default::default()
    }
    .parse()?;
    let bytes = kuajing_registry::downloads::export(state.store(), &actor, &list, format).await?;
    let name = format!("filings.{}", format.extension());
    Ok(crate::files::file_response(format, &name, bytes))
}

/// A bulk job as the API shows it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BulkJobView {
    /// Id (follow it at `/api/bulk-jobs/{id}`).
    pub id: String,
    /// `running`, `done` or `failed`.
    pub status: String,
    /// The uploaded file's name.
    pub file_name: String,
    /// Rows in the file.
    pub total_rows: i64,
    /// Rows handled so far.
    pub processed_rows: i64,
    /// Rows filed.
    pub succeeded_rows: i64,
    /// Rows refused.
    pub failed_rows: i64,
    /// Every refused row: line, item number, field, rule, messages.
    pub report: Vec<kuajing_registry::bulk::RowReport>,
    /// When started (UTC).
    pub created_at: String,
    /// When finished (UTC).
    pub finished_at: Option<String>,
    /// Why a failed job failed: `BULK_INTERRUPTED` (its server stopped;
    /// the message says after which row, and that uploading the file again
    /// finishes it) or `BULK_FAILED` (an error ended it).
    pub failure: Option<JobFailure>,
}

/// Why a bulk job failed.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct JobFailure {
    /// `BULK_INTERRUPTED` or `BULK_FAILED`.
    pub code: String,
    /// Why, and what to do, in Chinese.
    pub message_zh: String,
    /// Why, and what to do, in English.
    pub message_en: String,
}

impl From<kuajing_store::bulk_jobs::BulkJob> for BulkJobView {
    fn from(job: kuajing_store::bulk_jobs::BulkJob) -> Self {
        let failure =
            kuajing_registry::bulk::failure(&job).map(|(code, message_zh, message_en)| {
                JobFailure {
                    code,
                    message_zh,
                    message_en,
                }
            });
        BulkJobView {
            failure,
            report: serde_json::from_str::<Vec<serde_json::Value>>(&job.report)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|row| {
                    Some(kuajing_registry::bulk::RowReport {
                        line: row.get("line")?.as_u64()?,
                        item_no: row.get("item_no")?.as_str()?.to_owned(),
                        field: row.get("field").and_then(|f| f.as_str()).map(str::to_owned),
                        code: row.get("code")?.as_str()?.to_owned(),
                        message_zh: row.get("message_zh")?.as_str()?.to_owned(),
                        message_en: row.get("message_en")?.as_str()?.to_owned(),
                    })
                })
                .collect(),
            id: job.id,
            status: job.status,
            file_name: job.file_name,
            total_rows: job.total_rows,
            processed_rows: job.processed_rows,
            succeeded_rows: job.succeeded_rows,
            failed_rows: job.failed_rows,
            created_at: job.created_at.to_string(),
            finished_at: job.finished_at.map(|t| t.to_string()),
        }
    }
}

/// Files many commodities from a CSV or XLSX file (multipart: `file`, and
/// `submit` = `true` to submit each filed row). Columns, with a header row:
/// item_no,name,specification,brand,hs_code,origin_country,declared_elements,
/// unit1,unit2,reference_price,currency,barcode,regional_brand. Answers at
/// once with the job; rows are filed in the background.
#[utoipa::path(post, path = "/api/filings/commodities/bulk", tag = "filing",
    request_body(content_type = "multipart/form-data", content = String),
    security(("bearer" = []), ("session" = [])),
    responses((status = 202, body = BulkJobView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn bulk(
    State(state): State<AppState>,
    actor: Actor,
    multipart: Multipart,
) -> Result<(StatusCode, Json<BulkJobView>)> {
    let upload = read_upload(multipart, state.config().body_limit).await?;
    let submit = upload.submit;
    let job = kuajing_registry::bulk::start(
        state.store(),
        &actor,
        &upload.file_name,
        &upload.bytes,
        submit,
        state.config().bulk_job_lease,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(job.into())))
}

/// A bulk job's progress and report.
#[utoipa::path(get, path = "/api/bulk-jobs/{id}", tag = "filing", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = BulkJobView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn bulk_job(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<BulkJobView>> {
    Ok(Json(
        kuajing_registry::bulk::job(state.store(), &actor, &id)
            .await?
            .into(),
    ))
}
