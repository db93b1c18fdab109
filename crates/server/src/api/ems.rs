//! `/api/ems/books`: the bonded e-account books (电子账册) of the zone
//! warehouse enterprises — opened and kept by their warehouse, read by it
//! and by customs (issue #6).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::error::{ErrorBody, WebResult as Result};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use kuajing_bonded::books::{
    self as bonded, BookInput, BookView, LineInput, LineView, MovementInput, MovementView,
};
use kuajing_registry::actor::Actor;

/// The books the caller may read: a warehouse enterprise its own, customs
/// every book.
#[utoipa::path(get, path = "/api/ems/books", tag = "bonded",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<BookView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<BookView>>> {
    Ok(Json(bonded::list_books(state.store(), &actor).await?))
}

/// Opens a book kept by the caller's enterprise (a zone warehouse).
#[utoipa::path(post, path = "/api/ems/books", tag = "bonded",
    request_body = BookInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = BookView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<BookInput>,
) -> Result<(StatusCode, Json<BookView>)> {
    let book = bonded::open_book(state.store(), &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(book)))
}

/// A book with its stock lines (stock, held by 1210 lists, available).
#[utoipa::path(get, path = "/api/ems/books/{ems_no}", tag = "bonded",
    params(("ems_no" = String, Path, description = "The book number (emsNo)")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = BookView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(ems_no): ApiPath<String>,
) -> Result<Json<BookView>> {
    Ok(Json(
        bonded::read_book(state.store(), &actor, &ems_no).await?,
    ))
}

/// Adds a stock line (an item record number and its goods) to a book.
#[utoipa::path(post, path = "/api/ems/books/{ems_no}/lines", tag = "bonded",
    params(("ems_no" = String, Path, description = "The book number (emsNo)")),
    request_body = LineInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = LineView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_line(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(ems_no): ApiPath<String>,
    ApiJson(input): ApiJson<LineInput>,
) -> Result<(StatusCode, Json<LineView>)> {
    let line = bonded::add_line(state.store(), &actor, &ems_no, &input).await?;
    Ok((StatusCode::CREATED, Json(line)))
}

/// Where to read a book's ledger from.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LedgerPage {
    /// Only this item record number.
    pub item_no: Option<String>,
    /// Only this kind of movement.
    pub kind: Option<String>,
    /// Ledger position to read after (0 from the start).
    pub after: Option<i64>,
    /// Page size, 1–500 (default 100).
    pub limit: Option<i64>,
}

/// A page of a book's ledger, oldest first.
#[utoipa::path(get, path = "/api/ems/books/{ems_no}/movements", tag = "bonded",
    params(("ems_no" = String, Path, description = "The book number (emsNo)"), LedgerPage),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<MovementView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn movements(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(ems_no): ApiPath<String>,
    ApiQuery(query): ApiQuery<LedgerPage>,
) -> Result<Json<Vec<MovementView>>> {
    let filter = bonded::LedgerQuery {
        item_no: query.item_no,
        kind: query.kind,
    };
    let page = bonded::ledger(
        state.store(),
        &actor,
        &ems_no,
        &filter,
        query.after.unwrap_or(0),
        query.limit.unwrap_or(100),
    )
    .await?;
    Ok(Json(page))
}

/// Records a movement (first-line entry, goods out, customer return,
/// adjustment): the line's stock changes with it, or nothing changes and
/// the refusal names the field, the rule and the value (422
/// `EMS_OVERDRAWN` when stock would fall below what is held).
#[utoipa::path(post, path = "/api/ems/books/{ems_no}/movements", tag = "bonded",
    params(("ems_no" = String, Path, description = "The book number (emsNo)")),
    request_body = MovementInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = MovementView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(ems_no): ApiPath<String>,
    ApiJson(input): ApiJson<MovementInput>,
) -> Result<(StatusCode, Json<MovementView>)> {
    let movement = bonded::record_movement(
        state.store(),
        &state.config().clearance,
        &actor,
        &ems_no,
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(movement)))
}
