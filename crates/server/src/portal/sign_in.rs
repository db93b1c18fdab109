//! The sign-in page, signing out, and the language switch.

use std::time::Duration;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::cookies;
use crate::auth::identify::ClientIp;
use crate::error::Error;
use crate::extract::FormBody;
use crate::portal::context::{Ctx, Page, PortalError, Section, after_sign_in, render, safe_next};
use crate::portal::i18n::Lang;
use crate::state::AppState;
use kuajing_registry::auth::{secret, sign_in};

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    page: Page,
    csrf: String,
    next: String,
    login: String,
    error: Option<&'static str>,
}

/// Where to go after signing in.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `/`: home when signed in, otherwise the sign-in page.
pub async fn root(ctx: Ctx) -> Redirect {
    if ctx.actor.is_some() {
        Redirect::to("/home")
    } else {
        Redirect::to("/login")
    }
}

/// The sign-in form. Its CSRF token is double-submitted: a cookie and a
/// hidden field that must match.
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, PortalError> {
    if ctx.actor.is_some() {
        return Ok(
            Redirect::to(after_sign_in(query.next.as_deref().unwrap_or("/home"))).into_response(),
        );
    }
    let csrf = match cookies::get(&headers, cookies::SIGN_IN_CSRF) {
        Some(existing) if existing.len() == 43 => existing.to_owned(),
        _ => secret::new_secret("").map_err(|e| ctx.fail(e))?,
    };
    let next = after_sign_in(query.next.as_deref().unwrap_or("/home")).to_owned();
    let page = SignInPage {
        page: ctx.page(Section::None),
        csrf: csrf.clone(),
        next,
        login: String::new(),
        error: None,
    };
    let mut response = render(StatusCode::OK, &page);
    let secure = state.config().secure_cookies();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(cookies::SIGN_IN_CSRF, &csrf, None, true, secure),
    );
    Ok(response)
}

/// Checks the credentials; on success sets the session cookie and goes on.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    form: FormBody,
) -> Response {
    let t = ctx.lang.texts();
    let login = form.text("login").trim().to_owned();
    let next = after_sign_in(form.text("next")).to_owned();
    let cookie_csrf = cookies::get(&headers, cookies::SIGN_IN_CSRF).unwrap_or("");
    let again = |status: StatusCode, error: &'static str| {
        let page = SignInPage {
            page: ctx.page(Section::None),
            csrf: cookie_csrf.to_owned(),
            next: next.clone(),
            login: login.clone(),
            error: Some(error),
        };
        render(status, &page)
    };
    if cookie_csrf.is_empty() || !secret::same_secret(form.text("csrf"), cookie_csrf) {
        return again(StatusCode::FORBIDDEN, t.form_expired);
    }
    match sign_in::sign_in(state.sign_in_gate(), &login, form.text("password"), ip).await {
        Ok(signed_in) => {
            let secure = state.config().secure_cookies();
            let mut response = Redirect::to(&next).into_response();
            let session = cookies::set(
                cookies::SESSION,
                &signed_in.cookie_secret,
                None,
                true,
                secure,
            );
            response.headers_mut().append(header::SET_COOKIE, session);
            response.headers_mut().append(
                header::SET_COOKIE,
                cookies::clear(cookies::SIGN_IN_CSRF, secure),
            );
            response
        }
        Err(Error::TooManyRequests { retry_after_secs }) => {
            let mut response = again(StatusCode::TOO_MANY_REQUESTS, t.sign_in_throttled);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after_secs.into());
            response
        }
        // More password checks waiting than the bound takes (auth::password).
        Err(Error::Overloaded { retry_after_secs }) => {
            let mut response = again(StatusCode::SERVICE_UNAVAILABLE, t.sign_in_busy);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after_secs.into());
            response
        }
        Err(Error::Suspended(_)) => again(StatusCode::FORBIDDEN, t.sign_in_suspended),
        Err(Error::SignInFailed) => again(StatusCode::UNAUTHORIZED, t.sign_in_failed),
        Err(other) => ctx.fail(other).into_response(),
    }
}

/// Ends the session.
pub async fn sign_out(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    sign_in::sign_out(state.store(), actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let secure = state.config().secure_cookies();
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookies::clear(cookies::SESSION, secure));
    Ok(response)
}

/// Switches the language for a year and goes back to the page.
pub async fn switch_language(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    Query(query): Query<NextQuery>,
) -> Response {
    let lang = Lang::from_tag(&tag).unwrap_or_default();
    let next = safe_next(query.next.as_deref().unwrap_or("/"));
    let secure = state.config().secure_cookies();
    let year = Duration::from_secs(365 * 24 * 3600);
    let mut response = Redirect::to(next).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(cookies::LANG, lang.tag(), Some(year), false, secure),
    );
    response
}
