/*!
The Kuajing (跨境) HTTP server: the JSON API, the web portal, sign-in and
roles, the audit trail, health and metrics.

The layers, from the edge in:

- [`app`] assembles the routes with the middleware every request passes:
  tracing with a request id, panic capture, a timeout, a body-size limit,
  security headers, `Cache-Control: no-store` (unless a handler says
  otherwise) and per-route metrics.
- [`api`] (JSON, described at `/api/openapi.json`) and [`portal`] (HTML) are
  thin: they parse input and shape output.
- The use cases — [`registry`] (organisations and users), [`auth`]
  (sign-in, sessions, API tokens) and [`audit_trail`] — take an
  [`actor::Actor`], ask `kuajing_core::access` whether it may act, do the
  work in one transaction with its audit entry, and are shared by the API,
  the portal and the command line.
- [`error::Error`] is the one mapping from failures to HTTP status, stable
  code and bilingual message.
*/

pub mod api;
pub mod auth;
pub mod config;
pub mod connections;
pub mod error;
pub mod extract;
pub mod files;
mod metrics;
mod ops;
pub mod portal;
pub mod state;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kuajing_core::timestamp::Timestamp;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::{CookieSecurity, MetricsToken, ServerConfig};
pub use error::Error;
pub use state::AppState;

use crate::extract::BodyLimit;

/// Content Security Policy of every answer: our own stylesheet, no scripts,
/// no frames, forms only to ourselves.
const CSP: &str = "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The whole application: API, portal, operations endpoints, middleware.
pub fn app(state: AppState) -> Router {
    let (api_routes, openapi) = api::router();
    let openapi = Arc::new(openapi);
    let limit = state.config().body_limit;
    let timeout = state.config().request_timeout;
    let x_request_id = HeaderName::from_static("x-request-id");

    let mut routes = Router::new().merge(api_routes).merge(portal::router());
    if state.config().bench_store_floor {
        routes = routes.route("/bench/store-floor", post(api::store_floor));
    }
    routes
        .route_layer(axum::middleware::from_fn(metrics::track))
        .route(
            "/api/openapi.json",
            get(api::openapi).with_state(openapi),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ops::watch_storage,
        ))
        .layer(
            ServiceBuilder::new()
                // Answers carry personal and business data: no cache (a
                // browser's, a shared proxy's) keeps one — errors the
                // middleware writes included — unless the handler says
                // otherwise: only the content-named stylesheet does
                // (`portal::assets`).
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-store"),
                ))
                .layer(SetRequestIdLayer::new(x_request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), id)
                }))
                .layer(PropagateRequestIdLayer::new(x_request_id))
                .layer(CatchPanicLayer::custom(|_| {
                    error::response(Error::Internal("handler panicked".into()))
                }))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
                .layer(DefaultBodyLimit::max(limit))
                .layer(axum::Extension(BodyLimit(limit)))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(CSP),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                )),
        )
        .with_state(state)
}

/// Brings a database to the current schema and loads the shipped reference
/// seed set if it has no reference data yet: what `serve` and `migrate` do
/// before anything else. Returns the schema versions applied.
pub async fn prepare(store: &kuajing_store::Store) -> Result<Vec<i64>, Error> {
    let applied = store.migrate().await?;
    kuajing_registry::reference_data::load_seed(store).await?;
    kuajing_registry::filing::mark_awaited_approvals(store).await?;
    Ok(applied)
}

/// Unknown paths: JSON under `/api`, a page elsewhere.
async fn not_found(ctx: Result<portal::Ctx, portal::PortalError>, request: Request) -> Response {
    let error = Error::NotFound {
        what: "page",
        key: request.uri().path().to_owned(),
    };
    if request.uri().path().starts_with("/api/") {
        return error::response(error);
    }
    match ctx {
        Ok(ctx) => ctx.fail(error).into_response(),
        Err(rejection) => rejection.into_response(),
    }
}

/// A known path with an unknown method: 405 with the error body.
async fn method_not_allowed(request: Request) -> Response {
    error::response(Error::MethodNotAllowed {
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
    })
}

/// Serves `app(state)` on `listener` until `shutdown` resolves, then stops
/// accepting connections and finishes the requests in flight. Connections
/// are taken in by [`connections`]: capped in total and per address, slow
/// or idle ones cut off.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let housekeeping = tokio::spawn(housekeeping(state.clone()));
    let dispatcher = tokio::spawn(kuajing_registry::webhooks::run(
        state.store().clone(),
        state.config().webhooks.clone(),
    ));
    let bulk_jobs = tokio::spawn(kuajing_registry::bulk::supervise(
        state.store().clone(),
        state.config().bulk_job_lease,
    ));
    let timeouts = tokio::spawn(kuajing_intake::timeouts::run(state.intake().clone()));
    let limits = state.config().connections;
    // Behind a trusted proxy every connection comes from the proxy.
    let per_address = !state.config().trust_forwarded_for;
    let result = connections::serve(listener, app(state), limits, per_address, shutdown).await;
    housekeeping.abort();
    dispatcher.abort();
    bulk_jobs.abort();
    timeouts.abort();
    result
}

/// Every ten minutes: drop lapsed sessions and idle throttle entries.
async fn housekeeping(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        state.throttle().forget_idle();
        let result = async {
            let mut tx = state.store().begin().await?;
            let removed =
                kuajing_store::sessions::delete_expired(&mut tx, Timestamp::now()).await?;
            tx.commit().await?;
            Ok::<u64, kuajing_store::StoreError>(removed)
        }
        .await;
        match result {
            Ok(removed) if removed > 0 => tracing::info!(removed, "lapsed sessions removed"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "session housekeeping failed"),
        }
    }
}
