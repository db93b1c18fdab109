//! `/api/ceb` and `/api/clearance`: the CEB message intake, the receipt
//! feed, and the officers' review of declaration lists.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::error::{ErrorBody, WebResult as Result};
use crate::extract::{ApiJson, ApiPath, ApiQuery, RawBody};
use crate::state::AppState;
use kuajing_exchange::receipts_feed::{self, FeedPage};
use kuajing_export::summaries::{self, DueMonth};
use kuajing_import::review::{self, ListDetail, ListView, OfficerAction, QueueItem};
use kuajing_intake::receive as intake;
use kuajing_intake::reply::Outcome;
use kuajing_registry::actor::Actor;

/// Receives one CEB business message (CEB311 order, CEB411 payment, CEB511
/// waybill, CEB621 declaration list; up to 100 documents each) or a
/// `DxpMsg` carrying one, and answers with its receipt message: 200 with
/// the receipt (CEB312/412/512/622, one return entity per document, in
/// order) whether each document was accepted or refused by a business
/// rule; 400 with a CEB900 for a message that cannot be read or breaks the
/// schema; 409 with a CEB900 for other content under a guid the sender used
/// before for that type (the same message sent again gets its first
/// receipt, 200); 401/403 JSON when the token's enterprise is not the
/// message's `BaseTransfer/copCode` or lacks the role the message needs
/// (unless a party delegated the message's documents to it). Each document
/// must name the sender in the sender's role — an order as `ebpCode` or
/// `ebcCode`, a payment as `payCode`, a waybill as `logisticsCode`, a list
/// as `agentCode` or `ebcCode`, a site's report as `operatorCode` — or a
/// party that delegated that scope to it (`/api/delegations`); a change,
/// deletion, cancellation or return is taken only from the enterprise that
/// declared the document or a party it names. Otherwise the document is
/// refused in the receipt (the kind's validation code, e.g. -301008,
/// -621001) naming the fields, and nothing changes.
///
/// Meant for systems with a Bearer token. A call with a browser session is
/// taken only with the session's `X-CSRF-Token` header (from `/api/me`),
/// like every other write; without it the answer is 403 `CSRF_REJECTED`
/// and nothing is kept.
#[utoipa::path(post, path = "/api/ceb", tag = "clearance",
    request_body(content = String, content_type = "application/xml"),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "the receipt message", content_type = "application/xml", body = String),
        (status = 400, description = "a CEB900 format-check receipt", content_type = "application/xml", body = String),
        (status = 409, description = "a CEB900: other content under a guid used before", content_type = "application/xml", body = String),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn receive(
    State(state): State<AppState>,
    actor: Actor,
    RawBody(body): RawBody,
) -> Result<Response> {
    let reply = intake::receive(state.intake(), &actor, &body).await?;
    let status = match reply.outcome {
        Outcome::Read => StatusCode::OK,
        Outcome::Unreadable => StatusCode::BAD_REQUEST,
        Outcome::GuidReused => StatusCode::CONFLICT,
    };
    Ok(xml_response(status, reply.xml))
}

/// The store's floor (issue #16; mounted only with `--bench-store-floor`):
/// the message scanned, hashed and kept through the intake's group commit,
/// answered 200 with a fixed receipt (400 when it is not well-formed XML).
/// Not part of the API: `kuajing bench clearance` measures the intake
/// against it. Any signed-in caller may send.
pub async fn store_floor(
    State(state): State<AppState>,
    _actor: Actor,
    RawBody(body): RawBody,
) -> Result<Response> {
    let reply = kuajing_intake::floor::keep(state.intake(), &body).await?;
    let status = match reply.outcome {
        Outcome::Read => StatusCode::OK,
        Outcome::Unreadable | Outcome::GuidReused => StatusCode::BAD_REQUEST,
    };
    Ok(xml_response(status, reply.xml))
}

/// An XML answer with its content type.
fn xml_response(status: StatusCode, xml: String) -> Response {
    let mut response = (status, xml).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    response
}

/// Where to read the receipt feed from.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReceiptQuery {
    /// Cursor: the `next` of the previous page (0 from the start).
    pub after: Option<i64>,
    /// Page size, 1–1000 (default 100).
    pub limit: Option<i64>,
}

/// Every receipt the caller's enterprise is owed after a cursor, in order:
/// the synchronous answers and every later one (status changes, the CEB816
/// tax bill).
#[utoipa::path(get, path = "/api/ceb/receipts", tag = "clearance", params(ReceiptQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FeedPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn receipts(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ReceiptQuery>,
) -> Result<Json<FeedPage>> {
    let page = receipts_feed::read(
        state.store(),
        &actor,
        query.after.unwrap_or(0),
        query.limit.unwrap_or(100),
    )
    .await?;
    Ok(Json(page))
}

/// How many items of the queue.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// At most this many, 1–500 (default 100).
    pub limit: Option<i64>,
}

/// The officers' queue: lists the rules sent to manual review (300) or
/// waiting on an inspection or detention, each with its reasons.
#[utoipa::path(get, path = "/api/clearance/reviews", tag = "clearance", params(QueueQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [QueueItem]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn reviews(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<QueueQuery>,
) -> Result<Json<Vec<QueueItem>>> {
    let limit = query.limit.unwrap_or(100).clamp(1, 500);
    Ok(Json(review::queue(state.store(), &actor, limit).await?))
}

/// A declaration list with its order, payment and waybill side by side,
/// every decision and every receipt (its declarer, or customs).
#[utoipa::path(get, path = "/api/clearance/lists/{id}", tag = "clearance",
    params(("id" = String, Path, description = "The list's document id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_detail(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ListDetail>> {
    Ok(Json(review::detail(state.store(), &actor, &id).await?))
}

/// An officer's decision.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ListDecisionInput)]
pub struct DecisionInput {
    /// `release`, `inspect`, `detain-clearance`, `detain-smuggling`,
    /// `detain-legal`, `detain-other` or `refuse`.
    pub action: OfficerAction,
    /// Why, in writing (1–500 characters).
    pub reason: String,
}

/// Decides on a list waiting for an officer (customs).
#[utoipa::path(post, path = "/api/clearance/lists/{id}/decision", tag = "clearance",
    params(("id" = String, Path, description = "The list's document id")),
    request_body = DecisionInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<ListView>> {
    Ok(Json(
        review::decide(
            state.store(),
            &state.config().clearance,
            &actor,
            &id,
            input.action,
            &input.reason,
        )
        .await?,
    ))
}

/// A buyer to watch.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WatchInput {
    /// The buyer's resident ID number (GB 11643).
    pub buyer_id: String,
    /// Why, in writing (1–500 characters).
    pub reason: String,
}

/// The watched buyer, as recorded.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Watched {
    /// The ID number, masked.
    pub buyer: String,
}

/// Puts a buyer on the watch list (customs): the buyer's next lists go to
/// an officer.
#[utoipa::path(post, path = "/api/clearance/watch-list", tag = "clearance",
    request_body = WatchInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Watched), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn watch(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<WatchInput>,
) -> Result<Json<Watched>> {
    let buyer = review::watch(state.store(), &actor, &input.buyer_id, &input.reason).await?;
    Ok(Json(Watched { buyer }))
}

/// The released export lists still to be declared in summary (汇总申报,
/// policy-rules.md §2.3), per month: the caller's own (an exporter's
/// declarer or e-commerce enterprise) or, for customs, every exporter's;
/// each month grouped as it would be declared, with its deadline (the 15th
/// of the next month or the next working day, Monday to Friday) and the
/// `overdue` and `due_soon` (within 3 days) flags.
#[utoipa::path(get, path = "/api/export-summaries/due", tag = "clearance",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [DueMonth]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn summaries_due(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<DueMonth>>> {
    Ok(Json(
        summaries::due(
            state.store(),
            &actor,
            kuajing_core::timestamp::Timestamp::now(),
        )
        .await?,
    ))
}
