//! `/api/delegations`: delegated declaration (委托申报, issue #14) — an
//! enterprise names the enterprises that may declare customs documents
//! naming it, and revokes them; both sides and customs read them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::error::{ErrorBody, WebResult as Result};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use kuajing_registry::actor::Actor;
use kuajing_registry::delegations::{self, DelegationInput, DelegationQuery, DelegationView};

/// The delegations the caller may read, newest first: an enterprise those
/// it granted and those it received; customs every one.
#[utoipa::path(get, path = "/api/delegations", tag = "clearance", params(DelegationQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<DelegationView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<DelegationQuery>,
) -> Result<Json<Vec<DelegationView>>> {
    Ok(Json(
        delegations::list(state.store(), &actor, &query).await?,
    ))
}

/// Lets `agent_code` declare the caller's documents of each scope named
/// (one delegation per scope, all or none): a document naming the caller
/// in that scope's role is then accepted from the agent's `copCode`.
/// 409 `DUPLICATE` naming `scope` if one is in force already.
#[utoipa::path(post, path = "/api/delegations", tag = "clearance",
    request_body = DelegationInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Vec<DelegationView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn grant(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<DelegationInput>,
) -> Result<(StatusCode, Json<Vec<DelegationView>>)> {
    let granted = delegations::grant(state.store(), &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(granted)))
}

/// Revokes one of the caller's delegations at once: documents the agent
/// sends from now on naming the caller are refused (what it declared
/// before stays). 404 if the caller did not grant it; 422
/// `DELEGATION_REVOKED` if revoked already.
#[utoipa::path(post, path = "/api/delegations/{id}/revoke", tag = "clearance",
    params(("id" = i64, Path, description = "The delegation's key")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DelegationView), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DelegationView>> {
    Ok(Json(delegations::revoke(state.store(), &actor, id).await?))
}
