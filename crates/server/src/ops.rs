//! Endpoints for operators and orchestrators: liveness, readiness, metrics.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kuajing_core::error::Localized;
use kuajing_store::StorageFault;
use serde::Serialize;

use crate::error::WebError;
use crate::metrics::{Peer, admit};
use crate::state::AppState;

/// Health answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` when not ready.
    pub status: &'static str,
    /// Database backend (`sqlite` or `postgres`), for `/readyz`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<&'static str>,
    /// Version of this build.
    pub version: &'static str,
    /// Why not ready, for `/readyz` answering 503: the stable code of the
    /// error (e.g. `STORAGE_FULL`, `STORAGE_READ_ONLY`, `DB_UNAVAILABLE`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<&'static str>,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process is alive", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        database: None,
        version: env!("CARGO_PKG_VERSION"),
        cause: None,
    })
}

/// Readiness: the database answers, and takes writes. After a write failed
/// for a storage fault (full disk, read-only database) a probe write
/// decides, so the answer is 503 naming the cause while writes fail and 200
/// again as soon as they go through, without a restart (issue #14,
/// finding 3).
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "The database does not answer or takes no writes; `cause` says why", body = Health)))]
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let database = Some(state.store().backend().name());
    let version = env!("CARGO_PKG_VERSION");
    let store = state.store();
    let checked = match store.ping().await {
        Ok(()) => store.check_writes().await,
        Err(error) => Err(error),
    };
    match checked {
        Ok(()) => (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database,
                version,
                cause: None,
            }),
        ),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            let health = Health {
                status: "unavailable",
                database,
                version,
                cause: Some(error.code()),
            };
            (StatusCode::SERVICE_UNAVAILABLE, Json(health))
        }
    }
}

/// Marks the store's writes as failing when an answer reports a storage
/// fault (the error mapping puts the fault in the answer's extensions), so
/// that `/readyz` probes and says so until writes go through again.
pub(crate) async fn watch_storage(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    if let Some(fault) = response.extensions().get::<StorageFault>() {
        state.store().note_write_failure(*fault);
    }
    response
}

/// Prometheus text exposition, for operators only: a direct connection from
/// the server's own host, or anyone with the metrics token
/// (`Authorization: Bearer …`, `kuajing serve --metrics-token`).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain"),
        (status = 403, description = "Not the server's own host and no metrics token", body = crate::error::ErrorBody)))]
pub async fn metrics(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
) -> Result<impl IntoResponse, WebError> {
    admit(state.config(), peer, &headers)?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics().render(),
    ))
}
