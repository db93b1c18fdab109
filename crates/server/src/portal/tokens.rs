//! The API tokens page: issue (the secret shown once), list, revoke.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::error::HttpError;
use crate::extract::FormBody;
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::state::AppState;
use kuajing_registry::auth::tokens;

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    page: Page,
    tokens: Vec<TokenRow>,
    new_secret: Option<String>,
    error: Option<String>,
}

struct TokenRow {
    id: String,
    prefix: String,
    label: String,
    organisation_code: String,
    created_by: String,
    created_at_local: String,
    revoked_at_local: Option<String>,
}

/// Lists the tokens the visitor manages.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PortalError> {
    page(&state, &ctx, StatusCode::OK, None, None).await
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    new_secret: Option<String>,
    error: Option<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let list = tokens::list(state.store(), actor, None)
        .await
        .map_err(|e| ctx.fail(e))?;
    let rows = list
        .into_iter()
        .map(|t| TokenRow {
            created_at_local: ctx.local_time(t.created_at),
            revoked_at_local: t.revoked_at.map(|at| ctx.local_time(at)),
            id: t.id,
            prefix: t.prefix,
            label: t.label,
            organisation_code: t.organisation_code,
            created_by: t.created_by,
        })
        .collect();
    let page = TokensPage {
        page: ctx.page(Section::Tokens),
        tokens: rows,
        new_secret,
        error,
    };
    Ok(render(status, &page))
}

/// Issues a token for the visitor's organisation and shows its secret once.
pub async fn issue(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let own = actor.organisation_code.clone().unwrap_or_default();
    match tokens::issue(state.store(), actor, &own, form.text("label")).await {
        Ok((_, secret)) => page(&state, &ctx, StatusCode::CREATED, Some(secret), None).await,
        Err(e) if e.is_correctable() => {
            let message = ctx.message(&e);
            page(&state, &ctx, e.status(), None, Some(message)).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// Revokes a token.
pub async fn revoke(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    tokens::revoke(state.store(), actor, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to("/tokens").into_response())
}
