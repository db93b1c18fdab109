//! Endpoints for operators and orchestrators: liveness, readiness, metrics.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use serde::Serialize;

use crate::error::Error;
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
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process is alive", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        database: None,
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "The database does not answer", body = Health)))]
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let database = Some(state.store().backend().name());
    let version = env!("CARGO_PKG_VERSION");
    match state.store().ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database,
                version,
            }),
        ),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            let health = Health {
                status: "unavailable",
                database,
                version,
            };
            (StatusCode::SERVICE_UNAVAILABLE, Json(health))
        }
    }
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
) -> Result<impl IntoResponse, Error> {
    admit(state.config(), peer, &headers)?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics().render(),
    ))
}
