//! `/api/purchase-records`: the 无票免税 purchase record (issue #7;
//! policy-rules.md §2.4, 财税〔2018〕103号) — a retail exporter without
//! purchase invoices records the goods it bought on the platform, linked to
//! its released export lists; the tax office and customs read and download
//! it (CSV or XLSX).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::error::{ErrorBody, WebResult as Result};
use crate::extract::{ApiJson, ApiQuery};
use crate::files::file_response;
use crate::state::AppState;
use kuajing_export::purchase_records::{
    self as purchases, PurchaseInput, PurchaseQuery, PurchaseView,
};
use kuajing_registry::actor::Actor;
use kuajing_registry::downloads::Format;

/// The purchase records the caller may read (an exporter its own; the tax
/// office and customs every exporter's), by month and by export list, as
/// JSON or as the file for the tax office (`format=csv|xlsx`, columns
/// `purchase_date,goods_name,unit,quantity,unit_price,amount,seller,invt_no`,
/// one row per linked list).
#[utoipa::path(get, path = "/api/purchase-records", tag = "exports", params(PurchaseQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<PurchaseView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<PurchaseQuery>,
) -> Result<Response> {
    let format = match query.format.as_deref() {
        None | Some("json") => None,
        Some(other) => Some(Format::parse(other)?),
    };
    let records = purchases::list(state.store(), &actor, &query).await?;
    let Some(format) = format else {
        return Ok(Json(records).into_response());
    };
    let bytes = purchases::file(&records, format)?;
    let month = query.month.as_deref().map(str::trim).unwrap_or("all");
    let name = format!("purchase-records-{month}.{}", format.extension());
    Ok(file_response(format, &name, bytes))
}

/// Records a purchase of the caller's enterprise; every field and every
/// linked list is checked first, and a refusal changes nothing.
#[utoipa::path(post, path = "/api/purchase-records", tag = "exports",
    request_body = PurchaseInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = PurchaseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<PurchaseInput>,
) -> Result<(StatusCode, Json<PurchaseView>)> {
    let saved = purchases::record(state.store(), &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(saved)))
}
