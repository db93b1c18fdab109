//! `/api/feed` and `/api/webhooks`: following shared records.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kuajing_store::webhooks::Delivery;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorBody, WebResult as Result};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use kuajing_registry::actor::Actor;
use kuajing_registry::feed::{self, FeedPage};
use kuajing_registry::webhooks::{self, SubscriptionView};

/// Where to read from.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    /// Cursor: the `next_after` of the previous page (default 0).
    pub after: Option<i64>,
    /// Page size, 1–500 (default 100).
    pub limit: Option<i64>,
    /// Comma-separated topics (`enterprise,commodity`; default all).
    pub topics: Option<String>,
}

fn topics(list: Option<&str>) -> Vec<String> {
    list.map(|t| {
        t.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

/// Changes to shared records after a cursor, as the caller may see them.
#[utoipa::path(get, path = "/api/feed", tag = "sharing", params(FeedQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FeedPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn read_feed(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<FeedQuery>,
) -> Result<Json<FeedPage>> {
    let topics = topics(query.topics.as_deref());
    Ok(Json(
        feed::read(
            state.store(),
            &actor,
            query.after.unwrap_or(0),
            query.limit.unwrap_or(100),
            &topics,
        )
        .await?,
    ))
}

/// The caller's organisation's subscriptions.
#[utoipa::path(get, path = "/api/webhooks", tag = "sharing",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<SubscriptionView>), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<SubscriptionView>>> {
    Ok(Json(webhooks::list(state.store(), &actor).await?))
}

/// A new subscription.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionRequest {
    /// Where to POST: an `https://` URL of a public address. Loopback,
    /// private, link-local (cloud metadata), CGNAT, multicast and other
    /// internal addresses — literal or resolved — are refused
    /// (`WEBHOOK_TARGET_INTERNAL`) unless the operator allows private
    /// targets (`--webhooks-allow-private`, which also allows `http://`).
    pub url: String,
    /// Topics (`enterprise`, `commodity`); default all.
    #[serde(default)]
    pub topics: Vec<String>,
}

/// A created subscription with its signing secret (shown this once).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedSubscription {
    /// The subscription.
    pub subscription: SubscriptionView,
    /// HMAC-SHA256 key of the `Kuajing-Signature` header. Keep it.
    pub secret: String,
}

/// Subscribes a URL to changes the caller's organisation may see.
#[utoipa::path(post, path = "/api/webhooks", tag = "sharing", request_body = SubscriptionRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CreatedSubscription), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn subscribe(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<SubscriptionRequest>,
) -> Result<(StatusCode, Json<CreatedSubscription>)> {
    let (subscription, secret) = webhooks::subscribe(
        state.store(),
        &state.config().webhooks,
        &actor,
        &request.url,
        &request.topics,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedSubscription {
            subscription,
            secret,
        }),
    ))
}

/// Stops deliveries of a subscription.
#[utoipa::path(post, path = "/api/webhooks/{id}/pause", tag = "sharing", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SubscriptionView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn pause(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<SubscriptionView>> {
    Ok(Json(
        webhooks::set_active(state.store(), &actor, &id, false).await?,
    ))
}

/// Restarts deliveries of a subscription.
#[utoipa::path(post, path = "/api/webhooks/{id}/resume", tag = "sharing", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SubscriptionView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn resume(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<SubscriptionView>> {
    Ok(Json(
        webhooks::set_active(state.store(), &actor, &id, true).await?,
    ))
}

/// The newest deliveries of a subscription, with their attempts.
#[utoipa::path(get, path = "/api/webhooks/{id}/deliveries", tag = "sharing", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<Object>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn deliveries(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<Delivery>>> {
    Ok(Json(
        webhooks::deliveries(state.store(), &actor, &id, 100).await?,
    ))
}

/// Sends a delivered or dead delivery again.
#[utoipa::path(post, path = "/api/webhook-deliveries/{id}/replay", tag = "sharing", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn replay(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Delivery>> {
    Ok(Json(webhooks::replay(state.store(), &actor, &id).await?))
}
