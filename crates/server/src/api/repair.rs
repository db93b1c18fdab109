//! `/api/repair`: bonded after-sales repair (保税维修, issue #6) — the repair
//! orders (维修单) of the zone warehouse enterprises and their repair
//! account book (维修账册), kept by the warehouse, read by it and by customs
//! (GACC 2015 No. 59).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::error::{ErrorBody, WebResult as Result};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use kuajing_bonded::repair::{
    self, BookView, MaterialInput, MaterialView, MovementInput, MovementView, OrderInput,
    OrderQuery, OrderView, ScrapInput, ScrapView,
};
use kuajing_registry::actor::Actor;

/// The repair orders the caller may read (a warehouse its own, customs
/// every enterprise's), newest first, by state and origin.
#[utoipa::path(get, path = "/api/repair/orders", tag = "repair", params(OrderQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<OrderView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<OrderQuery>,
) -> Result<Json<Vec<OrderView>>> {
    Ok(Json(
        repair::list_orders(state.store(), &actor, &query).await?,
    ))
}

/// Opens a repair order of the caller's enterprise: the goods are received
/// and await repair. The number (`WX…`) is given by the platform.
#[utoipa::path(post, path = "/api/repair/orders", tag = "repair",
    request_body = OrderInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = OrderView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<OrderInput>,
) -> Result<(StatusCode, Json<OrderView>)> {
    let order = repair::open_order(state.store(), &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(order)))
}

/// An order with its ledger, the materials used and its scrap.
#[utoipa::path(get, path = "/api/repair/orders/{order_no}", tag = "repair",
    params(("order_no" = String, Path, description = "The repair order number (WX…)")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = OrderView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(order_no): ApiPath<String>,
) -> Result<Json<OrderView>> {
    Ok(Json(
        repair::read_order(state.store(), &actor, &order_no).await?,
    ))
}

/// Records a step of an order's goods (repaired, unrepairable, shipped):
/// the order's counters move with it, or nothing changes and the refusal
/// names the field, the rule and the value (422 `REPAIR_OVERDRAWN` when the
/// order has fewer units in the state the step takes from).
#[utoipa::path(post, path = "/api/repair/orders/{order_no}/movements", tag = "repair",
    params(("order_no" = String, Path, description = "The repair order number (WX…)")),
    request_body = MovementInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = MovementView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(order_no): ApiPath<String>,
    ApiJson(input): ApiJson<MovementInput>,
) -> Result<(StatusCode, Json<MovementView>)> {
    let movement = repair::record_movement(state.store(), &actor, &order_no, &input).await?;
    Ok((StatusCode::CREATED, Json(movement)))
}

/// Records repair materials (料件) used on an order.
#[utoipa::path(post, path = "/api/repair/orders/{order_no}/materials", tag = "repair",
    params(("order_no" = String, Path, description = "The repair order number (WX…)")),
    request_body = MaterialInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = MaterialView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn use_material(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(order_no): ApiPath<String>,
    ApiJson(input): ApiJson<MaterialInput>,
) -> Result<(StatusCode, Json<MaterialView>)> {
    let material = repair::use_material(state.store(), &actor, &order_no, &input).await?;
    Ok((StatusCode::CREATED, Json(material)))
}

/// Records bad parts or scrap of a domestic order that left the zone as
/// domestic solid waste (MOFCOM / MEE / GACC 2020 No. 16 and the later GACC
/// amendment; 422 `REPAIR_SCRAP_ORIGIN` for goods from abroad).
#[utoipa::path(post, path = "/api/repair/orders/{order_no}/scrap", tag = "repair",
    params(("order_no" = String, Path, description = "The repair order number (WX…)")),
    request_body = ScrapInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ScrapView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_scrap(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(order_no): ApiPath<String>,
    ApiJson(input): ApiJson<ScrapInput>,
) -> Result<(StatusCode, Json<ScrapView>)> {
    let scrap = repair::record_scrap(state.store(), &actor, &order_no, &input).await?;
    Ok((StatusCode::CREATED, Json(scrap)))
}

/// The repair account book: goods awaiting repair, repaired, unrepairable
/// and shipped by unit, materials used, scrap weight (a warehouse its own;
/// customs every enterprise's together).
#[utoipa::path(get, path = "/api/repair/book", tag = "repair",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = BookView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn book(State(state): State<AppState>, actor: Actor) -> Result<Json<BookView>> {
    Ok(Json(repair::read_book(state.store(), &actor).await?))
}
