//! `/api/organisations`: the registry of organisations and their users.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kuajing_store::organisations::OrganisationFilter;
use serde::Deserialize;

use crate::api::views::{OrganisationView, UserView};
use crate::error::{Error, ErrorBody, WebResult as Result};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use kuajing_registry::actor::Actor;
use kuajing_registry::organisations::{
    self as registry, OrganisationInput, UserInput, parse_status,
};

/// Filters of the organisation list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only organisations holding this role (e.g. `logistics`).
    pub role: Option<String>,
    /// `active` or `suspended`.
    pub status: Option<String>,
    /// Text in the name (Chinese or English), customs code or USCC.
    pub q: Option<String>,
}

impl ListQuery {
    fn parse(&self) -> Result<OrganisationFilter> {
        let role = match self.role.as_deref() {
            Some(name) => Some(registry::parse_roles(&[name.to_owned()]).map_err(|_| {
                Error::invalid(
                    "role",
                    "ROLE_UNKNOWN",
                    format!("未知角色“{name}”"),
                    format!("unknown role '{name}'"),
                )
            })?),
            None => None,
        };
        let status = match self.status.as_deref() {
            Some(text) => Some(parse_status("status", text)?),
            None => None,
        };
        Ok(OrganisationFilter {
            customs_code: None,
            role: role.and_then(|set| set.iter().next()),
            status,
            search: kuajing_registry::validate::optional("q", self.q.as_deref(), 100)?,
        })
    }
}

/// Lists organisations: all for agencies and the zone administration, only
/// its own for an enterprise. No personal data.
#[utoipa::path(get, path = "/api/organisations", tag = "registry", params(ListQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = Vec<OrganisationView>),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<Vec<OrganisationView>>> {
    let filter = query.parse()?;
    let list = registry::list_organisations(state.store(), &actor, filter).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Files and approves an organisation (zone administration).
#[utoipa::path(post, path = "/api/organisations", tag = "registry", request_body = OrganisationInput,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, body = OrganisationView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<OrganisationInput>,
) -> Result<(StatusCode, Json<OrganisationView>)> {
    let new = input.parse(false)?;
    let org = registry::file_organisation(state.store(), &actor, &new).await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

/// Reads one organisation with its contact person (the read is audited).
#[utoipa::path(get, path = "/api/organisations/{code}", tag = "registry",
    params(("code" = String, Path, description = "Customs registration code")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = OrganisationView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<OrganisationView>> {
    let org = registry::read_organisation(state.store(), &actor, &code).await?;
    Ok(Json(org.into()))
}

/// A change of an organisation's status.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// `active` or `suspended`.
    pub status: String,
    /// Why (kept in the audit trail).
    pub reason: String,
}

/// Suspends or reinstates an organisation (zone administration).
#[utoipa::path(post, path = "/api/organisations/{code}/status", tag = "registry", request_body = StatusChange,
    params(("code" = String, Path, description = "Customs registration code")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = OrganisationView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_status(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(code): ApiPath<String>,
    ApiJson(change): ApiJson<StatusChange>,
) -> Result<Json<OrganisationView>> {
    let status = parse_status("status", &change.status)?;
    let org =
        registry::set_organisation_status(state.store(), &actor, &code, status, &change.reason)
            .await?;
    Ok(Json(org.into()))
}

/// Lists an organisation's users (own organisation or zone administration;
/// audited).
#[utoipa::path(get, path = "/api/organisations/{code}/users", tag = "registry",
    params(("code" = String, Path, description = "Customs registration code")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = Vec<UserView>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Vec<UserView>>> {
    let users = registry::list_users(state.store(), &actor, &code).await?;
    Ok(Json(users.into_iter().map(Into::into).collect()))
}

/// Creates a user for an organisation (zone administration).
#[utoipa::path(post, path = "/api/organisations/{code}/users", tag = "registry", request_body = UserInput,
    params(("code" = String, Path, description = "Customs registration code")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, body = UserView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<UserInput>,
) -> Result<(StatusCode, Json<UserView>)> {
    let user = registry::add_user(state.store(), state.passwords(), &actor, &code, &input).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}
