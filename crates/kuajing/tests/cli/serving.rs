//! `kuajing serve`: the demo data set, and stopping without losing requests.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use kuajing_testkit::dual_backend_tests;

use super::*;

const DEMO_PASSWORD: &str = "Hunchun-Demo-2026";

dual_backend_tests! {
    async fn the_demo_zone_is_served_with_a_sign_in_for_every_role(db: TestDatabase) {
        let served = Served::start(&db.url, &["--demo"]);
        let banner = served.banner.join("\n");
        assert!(banner.contains("47 organisations, 17 users"), "{banner}");
        assert!(banner.contains(DEMO_PASSWORD));
        for login in ["ebp", "logistics", "border-trader", "customs", "zone-admin"] {
            assert!(banner.contains(login), "{login} missing from {banner}");
        }

        let admin = signed_in(&served.base, "zone-admin", DEMO_PASSWORD).await;
        let all: Vec<serde_json::Value> = admin.get(served.url("/api/organisations")).send().await.unwrap().json().await.unwrap();
        assert_eq!(all.len(), 47);
        assert!(all.iter().all(|o| o["is_demo"] == true));
        let home = admin.get(served.url("/home")).send().await.unwrap().text().await.unwrap();
        assert!(home.contains("演示环境"), "the demo is marked as demo");

        let seller = signed_in(&served.base, "ebc", DEMO_PASSWORD).await;
        let own: Vec<serde_json::Value> = seller.get(served.url("/api/organisations")).send().await.unwrap().json().await.unwrap();
        assert_eq!(own.len(), 1, "an enterprise sees only itself");
        drop(served);

        // Serving the demo again reuses it.
        let again = Served::start(&db.url, &["--demo"]);
        assert!(again.banner.join("\n").contains("already loaded"));
    }
}

/// A request that is half-way through when SIGTERM arrives is still answered,
/// and then the process exits cleanly.
#[test]
fn sigterm_finishes_requests_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kuajing.db").display());
    let mut served = Served::start(&db, &[]);
    let address = served.base.trim_start_matches("http://").to_owned();

    let body = br#"{"customs_code":"2224960001","name":"x","roles":["ebc"]}"#;
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST /api/organisations HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body[..10]).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));

    served.terminate();
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(&body[10..]).unwrap();

    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 401"),
        "the request in flight was answered: {answer}"
    );
    assert!(answer.contains("AUTH_REQUIRED"));

    let started = Instant::now();
    let status = loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    assert!(TcpStream::connect(&address).is_err(), "no longer listening");
}

/// `--metrics-token` reaches the server: behind a declared proxy only the
/// token reads `/metrics`; a token too short to keep the network out is
/// refused before anything starts (issue #14, finding 12).
#[tokio::test]
async fn the_metrics_token_opens_metrics_and_a_short_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kuajing.db").display());
    let short = kuajing(
        &db,
        &["serve", "--addr", "127.0.0.1:0", "--metrics-token", "short"],
        "",
    );
    assert_exit(&short, 2);
    assert!(String::from_utf8_lossy(&short.stderr).contains("--metrics-token"));

    let token = "scrape-7MA4YWxkTrZu0gW";
    let served = Served::start(&db, &["--trust-forwarded-for", "--metrics-token", token]);
    let client = reqwest::Client::new();
    let anonymous = client.get(served.url("/metrics")).send().await.unwrap();
    assert_eq!(anonymous.status(), reqwest::StatusCode::FORBIDDEN);
    let scraped = client
        .get(served.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(scraped.status(), reqwest::StatusCode::OK);
    assert!(scraped.text().await.unwrap().contains("kuajing_build_info"));
}
