//! `/api/tokens`: API tokens of the caller's organisation.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::api::views::{IssuedTokenView, TokenView};
use crate::error::{Error, ErrorBody, WebResult as Result};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use kuajing_registry::actor::Actor;
use kuajing_registry::auth::tokens;

/// Which organisation's tokens to list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Customs code; only the caller's own is listed (a token acts as its
    /// organisation, so each organisation manages its own: 403 otherwise).
    pub organisation: Option<String>,
}

/// Lists tokens, newest first.
#[utoipa::path(get, path = "/api/tokens", tag = "access", params(ListQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<TokenView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<Vec<TokenView>>> {
    let list = tokens::list(state.store(), &actor, query.organisation.as_deref()).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// A request for a new token.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for, e.g. `订单系统`.
    pub label: String,
    /// Customs code of the organisation: the caller's own (the default).
    /// A token acts as its organisation, so none is issued for another
    /// (403); the operator's `kuajing token issue` is the out-of-band path.
    #[serde(default)]
    pub organisation: Option<String>,
}

/// Issues a token; the secret is in this answer only.
#[utoipa::path(post, path = "/api/tokens", tag = "access", request_body = TokenRequest,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, body = IssuedTokenView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn issue(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<IssuedTokenView>)> {
    let organisation = request
        .organisation
        .or_else(|| actor.organisation_code.clone())
        .ok_or_else(|| {
            Error::invalid(
                "organisation",
                "FIELD_REQUIRED",
                "organisation 不能为空",
                "organisation is required",
            )
        })?;
    let (token, secret) =
        tokens::issue(state.store(), &actor, &organisation, &request.label).await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedTokenView {
            token: token.into(),
            secret,
        }),
    ))
}

/// Revokes a token. Another organisation's token is 404.
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "access",
    params(("id" = String, Path, description = "Token id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = TokenView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<TokenView>> {
    let token = tokens::revoke(state.store(), &actor, &id).await?;
    Ok(Json(token.into()))
}
