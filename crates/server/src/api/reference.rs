//! `/api/reference`: the tariff table and the code lists in force, their
//! versions, and imports.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kuajing_core::timestamp::Timestamp;
use kuajing_reference::ReferenceKind;
use kuajing_reference::csv_import::RowError;
use kuajing_store::reference::{ReferenceVersion, StoredCode, StoredTariffLine};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorBody, HttpError, WebResult as Result};
use crate::extract::{ApiPath, ApiQuery, RawBody};
use crate::state::AppState;
use kuajing_registry::actor::Actor;
use kuajing_registry::reference_data;
use kuajing_registry::validate;

/// A tariff line as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TariffLineView {
    /// 10-digit commodity code.
    pub hs_code: String,
    /// Name in Chinese.
    pub name_zh: String,
    /// Legal first unit.
    pub unit1: String,
    /// Legal second unit.
    pub unit2: Option<String>,
    /// VAT rate, e.g. `0.13`.
    pub vat_rate: String,
    /// `none`, `ad_valorem`, `specific` or `compound`.
    pub ct_kind: String,
    /// Consumption tax ad valorem rate.
    pub ct_ad_valorem_rate: Option<String>,
    /// Consumption tax amount (CNY) per `ct_specific_unit`.
    pub ct_specific_amount: Option<String>,
    /// Unit of the specific amount.
    pub ct_specific_unit: Option<String>,
    /// MFN duty rate.
    pub mfn_duty_rate: String,
    /// On the positive list (`null` = not confirmed by a source).
    pub positive_list: Option<bool>,
    /// The positive list's remark.
    pub positive_list_remark: Option<String>,
    /// Version the row comes from.
    pub version_no: i64,
    /// Version id (what a decision cites).
    pub version_id: String,
    /// In force from (UTC).
    pub effective_from: String,
    /// Where the row came from.
    pub source: Option<String>,
}

impl From<StoredTariffLine> for TariffLineView {
    fn from(stored: StoredTariffLine) -> Self {
        let line = stored.line;
        let ct = &line.consumption_tax;
        TariffLineView {
            hs_code: line.hs_code.to_string(),
            ct_kind: ct.kind_name().to_owned(),
            ct_ad_valorem_rate: ct.rate().map(|r| r.to_string()),
            ct_specific_amount: ct.specific().map(|(a, _)| a.normalize().to_string()),
            ct_specific_unit: ct.specific().map(|(_, u)| u.to_owned()),
            name_zh: line.name_zh,
            unit1: line.unit1,
            unit2: line.unit2,
            vat_rate: line.vat_rate.to_string(),
            mfn_duty_rate: line.mfn_duty_rate.to_string(),
            positive_list: line.positive_list,
            positive_list_remark: line.positive_list_remark,
            version_no: stored.version.version_no,
            version_id: stored.version.id,
            effective_from: stored.version.effective_from.to_string(),
            source: stored.source,
        }
    }
}

/// A code-list entry as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CodeView {
    /// The code.
    pub code: String,
    /// Name in Chinese.
    pub name_zh: String,
    /// ISO code (countries, currencies).
    pub iso: Option<String>,
    /// Name in English, where the table carries one.
    pub name_en: Option<String>,
    /// Name in Russian, where the table carries one.
    pub name_ru: Option<String>,
    /// Version the row comes from.
    pub version_no: i64,
    /// In force from (UTC).
    pub effective_from: String,
    /// Where the row came from.
    pub source: Option<String>,
}

impl From<StoredCode> for CodeView {
    fn from(stored: StoredCode) -> Self {
        CodeView {
            code: stored.entry.code,
            name_zh: stored.entry.name_zh,
            iso: stored.entry.iso,
            name_en: stored.entry.name_en,
            name_ru: stored.entry.name_ru,
            version_no: stored.version.version_no,
            effective_from: stored.version.effective_from.to_string(),
            source: stored.source,
        }
    }
}

/// A version as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ReferenceVersionView)]
pub struct VersionView {
    /// Id.
    pub id: String,
    /// Table.
    pub kind: String,
    /// Number within the table.
    pub version_no: i64,
    /// In force from (UTC).
    pub effective_from: String,
    /// When imported (UTC).
    pub imported_at: String,
    /// By whom.
    pub imported_by: String,
    /// File name.
    pub file_name: Option<String>,
    /// SHA-256 of the file.
    pub file_sha256: Option<String>,
    /// Rows new in this version.
    pub rows_added: i64,
    /// Rows changed.
    pub rows_updated: i64,
    /// Rows already so.
    pub rows_unchanged: i64,
}

impl From<ReferenceVersion> for VersionView {
    fn from(v: ReferenceVersion) -> Self {
        VersionView {
            id: v.version.id,
            kind: v.kind,
            version_no: v.version.version_no,
            effective_from: v.version.effective_from.to_string(),
            imported_at: v.imported_at.to_string(),
            imported_by: v.imported_by,
            file_name: v.file_name,
            file_sha256: v.file_sha256,
            rows_added: v.rows_added,
            rows_updated: v.rows_updated,
            rows_unchanged: v.rows_unchanged,
        }
    }
}

/// A refused import: the error and every bad row.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportErrorBody {
    /// Stable code (`IMPORT_BAD_ROWS`, `IMPORT_HEADER`, …).
    pub code: String,
    /// Message in Chinese.
    pub message_zh: String,
    /// Message in English.
    pub message_en: String,
    /// `file`.
    pub field: Option<String>,
    /// Every bad row: line, field, value, rule, messages.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<RowError>,
}

fn kind_of(text: &str) -> kuajing_registry::Result<ReferenceKind> {
    text.parse().map_err(|e: kuajing_reference::UnknownKind| {
        Error::invalid(
            "kind",
            "REFERENCE_KIND_UNKNOWN",
            format!("未知参数表“{}”", e.0),
            e.to_string(),
        )
    })
}

fn instant(field: &str, text: Option<&str>) -> kuajing_registry::Result<Timestamp> {
    match validate::optional(field, text, 40)? {
        None => Ok(Timestamp::now()),
        Some(text) => text.parse().map_err(|_| {
            Error::invalid(
                field,
                "TIME_FORMAT",
                format!("“{text}”不是有效时间"),
                format!("'{text}' is not a time like 2026-11-27 or 2026-11-27T10:00:00Z"),
            )
        }),
    }
}

/// Which rows, as of when.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TariffQuery {
    /// Code prefix or text in the name.
    pub q: Option<String>,
    /// In force at this instant or date (default: now).
    pub at: Option<String>,
}

/// Tariff lines in force.
#[utoipa::path(get, path = "/api/reference/tariff", tag = "reference", params(TariffQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<TariffLineView>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn tariff(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<TariffQuery>,
) -> Result<Json<Vec<TariffLineView>>> {
    let at = instant("at", query.at.as_deref())?;
    let search = validate::optional("q", query.q.as_deref(), 100)?;
    let lines =
        reference_data::tariff_in_force(state.store(), &actor, at, search.as_deref()).await?;
    Ok(Json(lines.into_iter().map(Into::into).collect()))
}

/// As of when.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AtQuery {
    /// In force at this instant or date (default: now).
    pub at: Option<String>,
}

/// One tariff line in force, with the version it comes from.
#[utoipa::path(get, path = "/api/reference/tariff/{hs_code}", tag = "reference", params(("hs_code" = String, Path), AtQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = TariffLineView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn tariff_line(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(hs_code): ApiPath<String>,
    ApiQuery(query): ApiQuery<AtQuery>,
) -> Result<Json<TariffLineView>> {
    let at = instant("at", query.at.as_deref())?;
    let line = reference_data::tariff_line(state.store(), &actor, &hs_code, at).await?;
    Ok(Json(line.into()))
}

/// The entries of a code list in force (`country`, `currency`, `unit`,
/// `customs`, `division`).
#[utoipa::path(get, path = "/api/reference/codes/{kind}", tag = "reference", params(("kind" = String, Path), AtQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<CodeView>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn codes(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(kind): ApiPath<String>,
    ApiQuery(query): ApiQuery<AtQuery>,
) -> Result<Json<Vec<CodeView>>> {
    let kind = kind_of(&kind)?;
    if kind == ReferenceKind::Tariff {
        return Err(Error::invalid(
            "kind",
            "REFERENCE_KIND_UNKNOWN",
            "税则请用 /api/reference/tariff",
            "use /api/reference/tariff for the tariff",
        )
        .into());
    }
    let at = instant("at", query.at.as_deref())?;
    let codes = reference_data::codes_in_force(state.store(), &actor, kind, at).await?;
    Ok(Json(codes.into_iter().map(Into::into).collect()))
}

/// Which table's versions.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VersionsQuery {
    /// Only this table.
    pub kind: Option<String>,
}

/// The versions imported, newest first.
#[utoipa::path(get, path = "/api/reference/versions", tag = "reference", params(VersionsQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<VersionView>), (status = 401, body = ErrorBody)))]
pub async fn versions(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<VersionsQuery>,
) -> Result<Json<Vec<VersionView>>> {
    let kind = query.kind.as_deref().map(kind_of).transpose()?;
    let list = reference_data::versions(state.store(), &actor, kind).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// When the import takes effect.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// In force from this instant or date (default: now).
    pub effective_from: Option<String>,
    /// The file's name, for the record.
    pub file_name: Option<String>,
}

/// Imports a table from a CSV body (`text/csv`): all rows or none; a refusal
/// lists every bad row (zone administration, customs).
#[utoipa::path(post, path = "/api/reference/import/{kind}", tag = "reference",
    params(("kind" = String, Path, description = "tariff, country, currency, unit, customs or division"), ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, body = VersionView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ImportErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    ApiPath(kind): ApiPath<String>,
    ApiQuery(query): ApiQuery<ImportQuery>,
    RawBody(body): RawBody,
) -> Result<Response> {
    import_kind(&state, &actor, &headers, &kind, &query, &body).await
}

async fn import_kind(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    kind: &str,
    query: &ImportQuery,
    body: &[u8],
) -> Result<Response> {
    let kind = kind_of(kind)?;
    let media = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .eq_ignore_ascii_case("text/csv")
    {
        return Err(Error::UnsupportedMediaType {
            expected: "text/csv",
        }
        .into());
    }
    let effective_from = match query.effective_from.as_deref() {
        Some(text) => Some(instant("effective_from", Some(text))?),
        None => None,
    };
    let file_name = validate::optional("file_name", query.file_name.as_deref(), 200)?;
    match reference_data::import(
        state.store(),
        actor,
        kind,
        body,
        file_name.as_deref(),
        effective_from,
    )
    .await
    {
        Ok(version) => Ok((StatusCode::CREATED, Json(VersionView::from(version))).into_response()),
        Err(refusal)
            if !refusal.rows.is_empty() || matches!(refusal.error, Error::Invalid { .. }) =>
        {
            let body = refusal.error.body();
            Ok((
                refusal.error.status(),
                Json(ImportErrorBody {
                    code: body.code,
                    message_zh: body.message_zh,
                    message_en: body.message_en,
                    field: body.field,
                    rows: refusal.rows,
                }),
            )
                .into_response())
        }
        Err(refusal) => Err(refusal.error.into()),
    }
}
