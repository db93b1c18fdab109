//! A full disk or a read-only database while serving (issue #14, finding
//! 3): writes are refused naming the cause (not "overloaded"), `/readyz`
//! answers 503 with the cause meanwhile, and writes resume by themselves
//! once the cause is gone — no restart. The fault is injected
//! (`kuajing_testkit::faults`): a SQLite file that may not grow, a
//! read-only PostgreSQL database.

use kuajing_ceb::{Message, encode};
use kuajing_store::size_limit::hold_at_current_size;
use kuajing_testkit::faults::postgres_read_only;
use kuajing_testkit::{TestBackend, TestDatabase, dual_backend_tests};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

use crate::clearance::{Zone, parcel, sandbox};
use crate::support::{TestApp, header, send};

/// Makes the database refuse writes (`true`) or take them again.
async fn refuse_writes(db: &TestDatabase, app: &TestApp, refuse: bool) {
    match db.backend {
        TestBackend::Sqlite => {
            let mut tx = app.store.begin().await.expect("the writer");
            hold_at_current_size(&mut tx, refuse).await.unwrap();
            tx.commit().await.expect("commit");
        }
        TestBackend::Postgres => postgres_read_only(db, refuse).await,
    }
}

/// The code the backend's refusal is answered with.
fn expected(db: &TestDatabase) -> &'static str {
    match db.backend {
        TestBackend::Sqlite => "STORAGE_FULL",
        TestBackend::Postgres => "STORAGE_READ_ONLY",
    }
}

/// POSTs a CEB message: status, Retry-After and body.
async fn post_ceb(zone: &Zone, body: &str) -> (StatusCode, String, String) {
    let response = send(
        zone.app
            .client
            .post(zone.app.url("/api/ceb"))
            .bearer_auth(&zone.ebp)
            .header(CONTENT_TYPE, "application/xml")
            .body(body.to_owned()),
    )
    .await;
    let status = response.status();
    let retry_after = header(&response, "retry-after");
    (status, retry_after, response.text().await.unwrap())
}

/// `/readyz`: status and body.
async fn readyz(app: &TestApp) -> (StatusCode, Value) {
    let response = send(app.client.get(app.url("/readyz"))).await;
    let status = response.status();
    (status, response.json().await.unwrap())
}

dual_backend_tests! {
    async fn writes_refused_by_the_storage_name_it_readyz_follows_and_they_resume_without_restart(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        assert_eq!(readyz(&zone.app).await.0, StatusCode::OK);
        refuse_writes(&db, &zone.app, true).await;
        // Orders until one needs room the database has not (SQLite fills
        // what free space its pages have first).
        let mut refused = None;
        for n in 1..=40 {
            let order = encode(&Message::Ceb311(parcel(n).order));
            let (status, retry_after, text) = post_ceb(&zone, &order).await;
            match status {
                StatusCode::OK => continue,
                StatusCode::SERVICE_UNAVAILABLE => {
                    refused = Some((order, retry_after, text));
                    break;
                }
                other => panic!("{other}: {text}"),
            }
        }
        let (order, retry_after, text) = refused.expect("a write refused");
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["code"], expected(&db), "{body}");
        assert_eq!(retry_after, "10", "{body}");
        assert!(body["message_zh"].as_str().unwrap().contains("只读") || body["message_zh"].as_str().unwrap().contains("已满"), "{body}");
        assert!(body["message_en"].as_str().unwrap().contains("resume"), "{body}");

        // The disk is still full. (SQLite: each failure replaces the writer
        // connection, and a new one starts without the injected limit: it
        // is set again before each step that means the disk still full.)
        refuse_writes(&db, &zone.app, true).await;
        let (status, health) = readyz(&zone.app).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{health}");
        assert_eq!(health["cause"], expected(&db), "{health}");
        refuse_writes(&db, &zone.app, true).await;
        let (status, _, text) = post_ceb(&zone, &order).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
        assert!(text.contains(expected(&db)), "{text}");

        // Space freed: ready again and the same message is taken, by the
        // same running server.
        refuse_writes(&db, &zone.app, false).await;
        let (status, health) = readyz(&zone.app).await;
        assert_eq!(status, StatusCode::OK, "{health}");
        assert!(health.get("cause").is_none(), "{health}");
        let (status, _, text) = post_ceb(&zone, &order).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let receipt = kuajing_ceb::decode(text.as_bytes()).unwrap().message;
        assert_eq!(crate::clearance::statuses(&receipt), vec!["2".to_owned()], "{receipt:?}");
    }
}
