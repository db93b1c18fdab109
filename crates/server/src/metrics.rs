//! Prometheus metrics: one recorder per process, request counts and latencies
//! per route, sign-in outcomes (counted in `auth::sign_in`), and who may read
//! them ([`admit`]).

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::config::ServerConfig;
use crate::error::{Error, Result};
use kuajing_registry::auth::secret;

/// Headers a reverse proxy adds when it relays a request: such a request
/// came from elsewhere, whatever the peer's address.
const FORWARDING: [&str; 3] = ["forwarded", "x-forwarded-for", "x-real-ip"];

/// Lets a request read `/metrics` (which tells the routes, their traffic
/// and error rates to whoever reads it) if it presents the configured
/// [`ServerConfig::metrics_token`] as `Authorization: Bearer …`, or comes
/// straight from the server's own host: a loopback peer, no forwarding
/// header, and no proxy declared ([`ServerConfig::trust_forwarded_for`],
/// behind which every peer is the proxy). Anyone else: 403
/// `OPERATORS_ONLY`.
pub fn admit(config: &ServerConfig, peer: Option<SocketAddr>, headers: &HeaderMap) -> Result<()> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let token_ok = match (&config.metrics_token, presented) {
        (Some(expected), Some(given)) => secret::same_secret(given, &expected.0),
        _ => false,
    };
    let local = peer.is_some_and(|p| p.ip().is_loopback())
        && !config.trust_forwarded_for
        && !FORWARDING.iter().any(|h| headers.contains_key(*h));
    if token_ok || local {
        Ok(())
    } else {
        Err(Error::OperatorsOnly)
    }
}

/// The connection's peer address as the socket gives it (never a
/// forwarding header).
pub struct Peer(pub Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> std::result::Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| *addr),
        ))
    }
}

/// The process's recorder handle, installed on first use. Several servers in
/// one process (tests) share it.
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // Fails only if another recorder is already installed; then our
            // handle renders just what this recorder saw (nothing), which is
            // visible at /metrics rather than hidden.
            let _ = metrics::set_global_recorder(recorder);
            metrics::gauge!("kuajing_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
            handle
        })
        .clone()
}

/// Middleware: counts each request and times it, labelled by the route
/// pattern (not the raw path, which would explode the label space).
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("kuajing_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("kuajing_http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MetricsToken;
    use axum::http::HeaderValue;

    fn asks(config: &ServerConfig, peer: &str, headers: &[(&'static str, &'static str)]) -> bool {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_static(value));
        }
        admit(config, peer.parse().ok(), &map).is_ok()
    }

    #[test]
    fn the_servers_own_host_or_the_token_may_read_the_metrics() {
        let plain = ServerConfig::default();
        assert!(asks(&plain, "127.0.0.1:50000", &[]));
        assert!(asks(&plain, "[::1]:50000", &[]));
        assert!(!asks(&plain, "203.0.113.9:50000", &[]));
        assert!(
            !asks(&plain, "10.1.2.3:50000", &[]),
            "a private address is not the host"
        );
        assert!(!asks(
            &plain,
            "127.0.0.1:50000",
            &[("x-forwarded-for", "203.0.113.9")]
        ));
        assert!(!asks(
            &plain,
            "127.0.0.1:50000",
            &[("forwarded", "for=203.0.113.9")]
        ));
        assert!(
            asks(
                &plain,
                "127.0.0.1:50000",
                &[("authorization", "Bearer anything")]
            ),
            "a stray token does not matter on the host"
        );
        let proxied = ServerConfig {
            trust_forwarded_for: true,
            ..ServerConfig::default()
        };
        assert!(
            !asks(&proxied, "127.0.0.1:50000", &[]),
            "behind a proxy every peer is the proxy"
        );

        let with_token = ServerConfig {
            metrics_token: Some(MetricsToken("scrape-0123456789".to_owned())),
            ..proxied
        };
        let bearer = ("authorization", "Bearer scrape-0123456789");
        assert!(asks(&with_token, "203.0.113.9:50000", &[bearer]));
        assert!(asks(
            &with_token,
            "127.0.0.1:50000",
            &[bearer, ("x-forwarded-for", "203.0.113.9")]
        ));
        assert!(!asks(
            &with_token,
            "203.0.113.9:50000",
            &[("authorization", "Bearer scrape-x")]
        ));
        assert!(!asks(&with_token, "203.0.113.9:50000", &[]));
        assert!(
            !asks(&plain, "203.0.113.9:50000", &[bearer]),
            "no token configured, none accepted"
        );
    }
}
