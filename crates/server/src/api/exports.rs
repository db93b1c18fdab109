//! `/api/exports`: what exporters and officers read of exports (issue #7)
//! — the export lists with their status and way out, and the manifests
//! (arrival, departure, master/sub-waybill list) that moved them. The
//! documents themselves arrive through `POST /api/ceb`.

use axum::Json;
use axum::extract::State;

use crate::error::{ErrorBody, WebResult as Result};
use crate::extract::ApiQuery;
use crate::state::AppState;
use kuajing_export::views::{self as exports, ExportListView, ExportsQuery, ManifestView};
use kuajing_registry::actor::Actor;

/// The export lists the caller may read (an enterprise those it declared,
/// customs every enterprise's), newest first, with where each waybill
/// stands (arrived, departed, master bill).
#[utoipa::path(get, path = "/api/exports/lists", tag = "exports", params(ExportsQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ExportListView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn lists(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ExportsQuery>,
) -> Result<Json<Vec<ExportListView>>> {
    Ok(Json(
        exports::list_exports(state.store(), &actor, &query).await?,
    ))
}

/// The latest manifests the caller may read (those it sent or carries;
/// customs all), newest first.
#[utoipa::path(get, path = "/api/exports/manifests", tag = "exports",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ManifestView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn manifests(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<ManifestView>>> {
    Ok(Json(exports::list_manifests(state.store(), &actor).await?))
}
