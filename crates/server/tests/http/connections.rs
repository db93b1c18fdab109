//! Slow, idle and too many clients (issue #14, finding 4): half a request
//! is cut off after the header-read timeout, an idle keep-alive connection
//! is closed after as long, and connections beyond the caps (per address,
//! in total) are answered 503 at once while those within still are served.
//! The timeouts are set to a second here; the bounds the tests wait are
//! generous, and say only that the connection closed, not how fast.

use std::net::SocketAddr;
use std::time::Duration;

use kuajing_server::ServerConfig;
use kuajing_server::connections::ConnectionLimits;
use kuajing_testkit::{TestBackend, TestDatabase};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::support::{TestApp, config, spawn_with};

/// Longest a test waits for what should come within a second or two.
const GENEROUS: Duration = Duration::from_secs(15);

/// A server with `limits`.
async fn start(db: &TestDatabase, limits: ConnectionLimits) -> (TestApp, SocketAddr) {
    let settings = ServerConfig {
        connections: limits,
        ..config()
    };
    let app = spawn_with(db, settings).await;
    let addr = app.base.trim_start_matches("http://").parse().unwrap();
    (app, addr)
}

/// A connection to `server` from the loopback address `127.0.0.N`.
async fn connect_from(n: u8, server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from(([127, 0, 0, n], 0))).unwrap();
    socket.connect(server).await.unwrap()
}

/// Sends `GET /healthz` on `stream` and reads one answer: its status and
/// text. The connection stays open (HTTP/1.1 keep-alive).
async fn healthz(stream: &mut TcpStream) -> (u16, String) {
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    tokio::time::timeout(GENEROUS, read_answer(stream))
        .await
        .expect("an answer in time")
}

/// Reads one HTTP answer with a Content-Length.
async fn read_answer(stream: &mut TcpStream) -> (u16, String) {
    let mut bytes = Vec::new();
    let mut chunk = [0_u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(
            n > 0,
            "closed before a whole answer: {}",
            String::from_utf8_lossy(&bytes)
        );
        bytes.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let Some((head, body)) = text.split_once("\r\n\r\n") else {
            continue;
        };
        let length: usize = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse().unwrap())
            })
            .unwrap_or(0);
        if body.len() >= length {
            let status = head[9..12].parse().unwrap();
            return (status, text);
        }
    }
}

/// Waits until the server closes `stream` (read gives end of file or a
/// reset), failing after [`GENEROUS`].
async fn closed_by_server(stream: &mut TcpStream) {
    let mut sink = [0_u8; 1024];
    let closed = tokio::time::timeout(GENEROUS, async {
        loop {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the server kept the connection open");
}

fn one_second() -> ConnectionLimits {
    ConnectionLimits {
        header_read_timeout: Duration::from_secs(1),
        ..ConnectionLimits::default()
    }
}

#[tokio::test]
async fn half_a_request_is_cut_off_after_the_header_timeout() {
    let db = TestDatabase::create(TestBackend::Sqlite).await;
    let (_app, server) = start(&db, one_second()).await;
    let mut slow = connect_from(1, server).await;
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    closed_by_server(&mut slow).await;
    // A fresh client is served meanwhile and after.
    let mut fresh = connect_from(1, server).await;
    assert_eq!(healthz(&mut fresh).await.0, 200);
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let db = TestDatabase::create(TestBackend::Sqlite).await;
    let (_app, server) = start(&db, one_second()).await;
    let mut client = connect_from(1, server).await;
    assert_eq!(healthz(&mut client).await.0, 200);
    assert_eq!(
        healthz(&mut client).await.0,
        200,
        "kept alive between requests"
    );
    closed_by_server(&mut client).await;
}

#[tokio::test]
async fn beyond_the_caps_connections_are_refused_at_once_and_those_within_are_served() {
    let db = TestDatabase::create(TestBackend::Sqlite).await;
    // A long header timeout: connections held open stay counted, and a
    // refusal that came only after it would fail the bounds below.
    let limits = ConnectionLimits {
        max_total: 3,
        max_per_address: 2,
        header_read_timeout: Duration::from_secs(60),
    };
    let (_app, server) = start(&db, limits).await;
    // Two from 127.0.0.1, served and held open.
    let mut held_a = connect_from(1, server).await;
    assert_eq!(healthz(&mut held_a).await.0, 200);
    let mut held_b = connect_from(1, server).await;
    assert_eq!(healthz(&mut held_b).await.0, 200);
    // A third from the same address is refused at once.
    let mut third = connect_from(1, server).await;
    let (status, text) = healthz(&mut third).await;
    assert_eq!(status, 503, "{text}");
    let lower = text.to_ascii_lowercase();
    assert!(
        lower.contains("retry-after: 1") && lower.contains("connection: close"),
        "{text}"
    );
    assert!(
        text.contains("OVERLOADED") && text.contains("message_zh"),
        "{text}"
    );
    closed_by_server(&mut third).await;
    // Another address is within its own cap and the total: served.
    let mut other = connect_from(2, server).await;
    assert_eq!(healthz(&mut other).await.0, 200);
    // Three open: a fourth, from a third address, is beyond the total.
    let mut fourth = connect_from(3, server).await;
    assert_eq!(healthz(&mut fourth).await.0, 503);
    // One of the held ones leaves: its place is taken again.
    drop(held_a);
    let served = tokio::time::timeout(GENEROUS, async {
        loop {
            let mut again = connect_from(3, server).await;
            if healthz(&mut again).await.0 == 200 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(served.is_ok(), "the place of a closed connection came back");
    assert_eq!(
        healthz(&mut held_b).await.0,
        200,
        "the held connection is still served"
    );
}
