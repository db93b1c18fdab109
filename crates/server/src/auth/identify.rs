//! Turning a request into an [`Actor`]: a Bearer token for systems, or the
//! session cookie for people. Either way the organisation must be active.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::audit::ActorKind;
use kuajing_store::organisations::{self, Organisation, OrganisationStatus};
use kuajing_store::{Conn, StoreError, sessions, tokens, users};

use crate::auth::cookies;
use crate::config::ServerConfig;
use crate::error::{Error, Result, WebError};
use crate::state::AppState;
use kuajing_registry::actor::{Actor, SessionInfo};
use kuajing_registry::auth::secret;

/// A session is extended at most this often, so that browsing does not
/// write on every page.
const TOUCH_INTERVAL: Duration = Duration::from_secs(60);

/// The client's address: the peer, or the first `X-Forwarded-For` hop when
/// the server is configured to trust its proxy.
pub fn client_ip(parts: &Parts, config: &ServerConfig) -> Option<IpAddr> {
    if config.trust_forwarded_for {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

/// Identifies the caller; `Ok(None)` if the request carries no credentials
/// (or a lapsed session). A present but invalid token is an error: a system
/// that sends a wrong token should hear so, not be treated as anonymous.
pub async fn identify(state: &AppState, parts: &Parts) -> Result<Option<Actor>> {
    let ip = client_ip(parts, state.config()).map(|ip| ip.to_string());
    if let Some(authorization) = parts.headers.get(header::AUTHORIZATION) {
        let token = authorization
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(Error::Unauthenticated)?;
        return by_token(state, token, ip).await.map(Some);
    }
    match cookies::get(&parts.headers, cookies::SESSION) {
        Some(secret) => by_session(state, secret, ip).await,
        None => Ok(None),
    }
}

async fn by_token(state: &AppState, token: &str, ip: Option<String>) -> Result<Actor> {
    let mut conn = state.store().reader().await?;
    let record = tokens::find_live_by_hash(&mut conn, &secret::hash_secret(token))
        .await?
        .ok_or(Error::Unauthenticated)?;
    let org = active_organisation(&mut conn, &record.organisation_code).await?;
    Ok(Actor {
        kind: ActorKind::Token,
        id: Some(record.id),
        name: record.prefix,
        display_name: None,
        organisation_code: Some(org.customs_code.to_string()),
        organisation_name: Some(org.name),
        roles: org.roles,
        ip,
        session: None,
    })
}

async fn by_session(state: &AppState, cookie: &str, ip: Option<String>) -> Result<Option<Actor>> {
    let now = Timestamp::now();
    let token_hash = secret::hash_secret(cookie);
    let mut conn = state.store().reader().await?;
    let Some(session) = sessions::find_live(&mut conn, &token_hash, now).await? else {
        return Ok(None);
    };
    let Some(user) = users::find_by_id(&mut conn, &session.user_id).await? else {
        return Ok(None);
    };
    if !user.active {
        return Ok(None);
    }
    let org = active_organisation(&mut conn, &user.organisation_code).await?;
    drop(conn);
    if session.last_seen_at.plus(TOUCH_INTERVAL) < now {
        let mut tx = state.store().begin().await?;
        let expires = now.plus(state.config().session_idle);
        sessions::touch(&mut tx, &token_hash, now, expires).await?;
        tx.commit().await.map_err(StoreError::from)?;
    }
    Ok(Some(Actor {
        kind: ActorKind::User,
        id: Some(user.id),
        name: user.login,
        display_name: Some(user.display_name),
        organisation_code: Some(org.customs_code.to_string()),
        organisation_name: Some(org.name),
        roles: org.roles,
        ip,
        session: Some(SessionInfo {
            token_hash,
            csrf_token: session.csrf_token,
        }),
    }))
}

async fn active_organisation(conn: &mut Conn, code: &str) -> Result<Organisation> {
    let org = organisations::find_by_code(conn, code)
        .await?
        .ok_or(Error::Unauthenticated)?;
    if org.status != OrganisationStatus::Active {
        return Err(Error::Suspended(code.to_owned()));
    }
    Ok(org)
}

/// Rejects a state-changing call made with a session cookie unless it
/// carries the session's CSRF token (header `X-CSRF-Token`). Calls with a
/// Bearer token are not exposed to cross-site requests and need none.
fn check_api_csrf(actor: &Actor, headers: &HeaderMap) -> Result<()> {
    let Some(session) = &actor.session else {
        return Ok(());
    };
    let sent = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if secret::same_secret(sent, &session.csrf_token) {
        Ok(())
    } else {
        Err(Error::Csrf)
    }
}

/// The client's address, as [`client_ip`] determines it.
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> std::result::Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts, state.config())))
    }
}

/// Handlers of the JSON API take an [`Actor`]; a request without valid
/// credentials is answered 401 before the handler runs. A state-changing
/// request (any method but GET, HEAD, OPTIONS and TRACE) made with the
/// session cookie must carry the session's `X-CSRF-Token`, or it is
/// answered 403 `CSRF_REJECTED` before the handler reads its body
/// ([`check_api_csrf`]): so no write — `POST /api/ceb` included, which
/// takes any media type — can be driven cross-site by a browser that holds
/// a session, and a route added later cannot forget the check.
impl FromRequestParts<AppState> for Actor {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> std::result::Result<Self, WebError> {
        let actor = identify(state, parts)
            .await?
            .ok_or(Error::Unauthenticated)?;
        if !parts.method.is_safe() {
            check_api_csrf(&actor, &parts.headers)?;
        }
        Ok(actor)
    }
}
