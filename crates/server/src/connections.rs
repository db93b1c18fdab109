//! Taking connections in (issue #14, finding 4: 20,000 sockets that sent
//! half a request each held the server's descriptors until it could accept
//! no one).
//!
//! Each connection is served by hyper's HTTP/1.1 server with a header-read
//! timeout; every connection is counted, in total and per client address,
//! and one beyond either cap is answered at once with 503, Retry-After and
//! `Connection: close` (written without reading the request, so a refusal
//! costs nothing but the answer), then closed. The handlers see the peer as
//! `ConnectInfo<SocketAddr>`, as before.
//!
//! HTTP/1.1 only: cleartext HTTP/2 (h2c) is not spoken by browsers, reverse
//! proxies reach the platform over HTTP/1.1, and the header timeout that
//! cuts slow clients off is HTTP/1's.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::Service;

use crate::error::{Error, HttpError};

/// Limits on connections: documented settings (`kuajing serve --help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections open at once. Kept below the process's limit on open
    /// files (`kuajing serve` lowers it to fit, with a warning), so that
    /// the database, logs and webhooks always have descriptors left.
    pub max_total: usize,
    /// Connections open at once from one client address (the TCP peer).
    /// Not applied behind a trusted reverse proxy
    /// ([`crate::ServerConfig::trust_forwarded_for`]), whose own address is
    /// every client's: the proxy limits its clients.
    pub max_per_address: usize,
    /// Longest a connection may take to deliver a complete request head
    /// (request line and headers), counted from when it is ready for a
    /// request: when it opens, and again after each answer. It cuts off
    /// clients that send headers slowly or not at all, and closes idle
    /// keep-alive connections after as long.
    pub header_read_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_total: 2048,
            max_per_address: 128,
            header_read_timeout: Duration::from_secs(10),
        }
    }
}

/// Refusals being written at once; beyond, a refused connection is closed
/// without an answer.
const REFUSALS_AT_ONCE: usize = 64;

/// Longest a refusal is given to be written and read.
const REFUSAL_TIME: Duration = Duration::from_secs(1);

/// Accepts connections on `listener` and serves `router` on each until
/// `shutdown` resolves; then stops accepting, lets each connection finish
/// its request in flight (idle ones close at once) and returns when all
/// are closed. `per_address` applies [`ConnectionLimits::max_per_address`].
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    per_address: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let counter = Counter::new(limits, per_address);
    let refusal = Arc::new(refusal_answer());
    let refusals = Arc::new(Semaphore::new(REFUSALS_AT_ONCE));
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    accept_failed(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(place) = counter.admit(remote.ip()) else {
            refuse(stream, refusal.clone(), &refusals);
            continue;
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            router.clone().call(request)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                // A client cut off (header timeout) or gone: routine.
                tracing::debug!(%error, %remote, "connection ended");
            }
            drop(place);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// An accept that failed. A connection the peer gave up on before it was
/// taken is nothing; anything else (no descriptor or memory left) is
/// logged and waited out, so that the loop does not spin while connections
/// end.
async fn accept_failed(error: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    ) {
        return;
    }
    tracing::error!(%error, "accepting a connection failed; pausing a second");
    metrics::counter!("kuajing_accept_errors_total").increment(1);
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// Answers a connection beyond a cap with [`refusal_answer`] and closes
/// it, on a task of its own bounded in time and in number.
fn refuse(stream: TcpStream, answer: Arc<Vec<u8>>, refusals: &Arc<Semaphore>) {
    metrics::counter!("kuajing_connections_refused_total").increment(1);
    let Ok(slot) = refusals.clone().try_acquire_owned() else {
        return;
    };
    tokio::spawn(async move {
        let _slot = slot;
        let mut stream = stream;
        let _ = tokio::time::timeout(REFUSAL_TIME, async {
            stream.write_all(&answer).await?;
            stream.shutdown().await?;
            // Read what the client sent until it closes: closing with its
            // request unread would reset the connection, and the client
            // might lose the answer.
            let mut sink = [0_u8; 1024];
            while stream.read(&mut sink).await? > 0 {}
            Ok::<(), std::io::Error>(())
        })
        .await;
    });
}

/// The whole HTTP answer to a connection beyond a cap: 503 with the error
/// body of [`Error::Overloaded`] (the one mapping of errors), Retry-After
/// and `Connection: close`.
fn refusal_answer() -> Vec<u8> {
    let retry_after_secs = 1;
    let error = Error::Overloaded { retry_after_secs };
    let body = serde_json::to_string(&error.body()).unwrap_or_default();
    format!(
        "HTTP/1.1 503 Service Unavailable\r\n\
         content-type: application/json\r\n\
         retry-after: {retry_after_secs}\r\n\
         x-content-type-options: nosniff\r\n\
         connection: close\r\n\
         content-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Open connections, in total and per client address.
#[derive(Clone)]
struct Counter {
    open: Arc<Mutex<Open>>,
    limits: ConnectionLimits,
    per_address: bool,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

/// A connection's place in the count; given back when dropped.
struct Place {
    open: Arc<Mutex<Open>>,
    address: IpAddr,
}

impl Counter {
    fn new(limits: ConnectionLimits, per_address: bool) -> Self {
        Counter {
            open: Arc::default(),
            limits,
            per_address,
        }
    }

    /// A place for a connection from `address`, or `None` beyond a cap.
    fn admit(&self, address: IpAddr) -> Option<Place> {
        let mut open = self.open.lock().ok()?;
        if open.total >= self.limits.max_total {
            tracing::warn!(%address, total = open.total, "connection refused: the total cap is reached");
            return None;
        }
        let from_address = open.by_address.get(&address).copied().unwrap_or(0);
        if self.per_address && from_address >= self.limits.max_per_address {
            tracing::warn!(%address, "connection refused: the cap per address is reached");
            return None;
        }
        open.total += 1;
        open.by_address.insert(address, from_address + 1);
        metrics::gauge!("kuajing_connections_open").set(open.total as f64);
        Some(Place {
            open: self.open.clone(),
            address,
        })
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let Ok(mut open) = self.open.lock() else {
            return;
        };
        open.total = open.total.saturating_sub(1);
        // An address without connections leaves the table: the memory of
        // a flood comes back when it ends.
        if let Some(count) = open.by_address.get_mut(&self.address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.by_address.remove(&self.address);
            }
        }
        metrics::gauge!("kuajing_connections_open").set(open.total as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_hold_per_address_and_in_total_and_places_come_back() {
        let limits = ConnectionLimits {
            max_total: 3,
            max_per_address: 2,
            ..ConnectionLimits::default()
        };
        let counter = Counter::new(limits, true);
        let a: IpAddr = [127, 0, 0, 1].into();
        let b: IpAddr = [127, 0, 0, 2].into();
        let first = counter.admit(a).unwrap();
        let _second = counter.admit(a).unwrap();
        assert!(counter.admit(a).is_none(), "a third from one address");
        let _third = counter.admit(b).unwrap();
        assert!(counter.admit(b).is_none(), "a fourth in total");
        drop(first);
        assert!(
            counter.admit(a).is_some(),
            "a place given back is taken again"
        );
        // Behind a trusted proxy only the total counts.
        let proxied = Counter::new(limits, false);
        let places: Vec<_> = (0..3).map(|_| proxied.admit(a).unwrap()).collect();
        assert!(proxied.admit(a).is_none());
        drop(places);
        let open = proxied.open.lock().unwrap();
        assert_eq!(
            (open.total, open.by_address.len()),
            (0, 0),
            "nothing left behind"
        );
    }

    #[test]
    fn the_refusal_is_a_whole_http_answer_with_the_error_body() {
        let answer = String::from_utf8(refusal_answer()).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 503 "), "{head}");
        assert!(
            head.contains("retry-after: 1") && head.contains("connection: close"),
            "{head}"
        );
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{head}"
        );
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["code"], "OVERLOADED");
    }
}
