//! `/api/overseas-warehouses`: the overseas-warehouse registry (海外仓备案,
//! issue #7) — an exporting enterprise registers the overseas warehouses it
//! ships 9810 stock to and files them with customs, which approves or
//! returns them with a reason; agencies read every registration.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::error::{ErrorBody, WebResult as Result};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use kuajing_export::overseas_warehouses::{
    self as warehouses, DecisionInput, WarehouseInput, WarehouseQuery, WarehouseView,
};
use kuajing_registry::actor::Actor;

/// The overseas warehouses the caller may read (an enterprise its own,
/// agencies every enterprise's), in order of registration.
#[utoipa::path(get, path = "/api/overseas-warehouses", tag = "exports", params(WarehouseQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<WarehouseView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<WarehouseQuery>,
) -> Result<Json<Vec<WarehouseView>>> {
    Ok(Json(warehouses::list(state.store(), &actor, &query).await?))
}

/// Registers an overseas warehouse of the caller's enterprise and files it
/// with customs (`filed`); 409 `DUPLICATE` if its code is taken.
#[utoipa::path(post, path = "/api/overseas-warehouses", tag = "exports",
    request_body = WarehouseInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = WarehouseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<WarehouseInput>,
) -> Result<(StatusCode, Json<WarehouseView>)> {
    let warehouse = warehouses::register(state.store(), &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(warehouse)))
}

/// Files a returned warehouse of the caller's enterprise again with new
/// particulars (its code stays).
#[utoipa::path(put, path = "/api/overseas-warehouses/{id}", tag = "exports",
    params(("id" = i64, Path, description = "The warehouse's key in the registry")),
    request_body = WarehouseInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = WarehouseView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn refile(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<WarehouseInput>,
) -> Result<Json<WarehouseView>> {
    Ok(Json(
        warehouses::refile(state.store(), &actor, id, &input).await?,
    ))
}

/// Customs approves a filed warehouse or returns it with a reason (422
/// `WAREHOUSE_NOT_FILED` if it is not waiting for a decision).
#[utoipa::path(post, path = "/api/overseas-warehouses/{id}/decision", tag = "exports",
    params(("id" = i64, Path, description = "The warehouse's key in the registry")),
    request_body = DecisionInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = WarehouseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<WarehouseView>> {
    Ok(Json(
        warehouses::decide(state.store(), &actor, id, &input).await?,
    ))
}
