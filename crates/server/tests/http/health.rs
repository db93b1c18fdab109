//! Liveness, readiness, metrics and the OpenAPI document.

use kuajing_testkit::{TestBackend, dual_backend_tests};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{TestApp, header, json, send, spawn};

/// Every path of the JSON API (besides the document itself).
const API_PATHS: &[&str] = &[
    "/api/attachments/{id}",
    "/api/audit",
    "/api/bulk-jobs/{id}",
    "/api/ceb",
    "/api/ceb/receipts",
    "/api/clearance/lists/{id}",
    "/api/clearance/lists/{id}/decision",
    "/api/clearance/reviews",
    "/api/clearance/watch-list",
    "/api/delegations",
    "/api/delegations/{id}/revoke",
    "/api/ems/books",
    "/api/ems/books/{ems_no}",
    "/api/ems/books/{ems_no}/inspections",
    "/api/ems/books/{ems_no}/lines",
    "/api/ems/books/{ems_no}/movements",
    "/api/ems/books/{ems_no}/quarantine",
    "/api/ems/books/{ems_no}/reconciliations",
    "/api/ems/books/{ems_no}/reports/{period}",
    "/api/ems/books/{ems_no}/stock-counts",
    "/api/ems/books/{ems_no}/verifications",
    "/api/ems/findings",
    "/api/ems/findings/{id}/close",
    "/api/ems/verifications/{number}/gate-release",
    "/api/ems/verifications/{number}/pass",
    "/api/export-summaries/due",
    "/api/exports/lists",
    "/api/exports/manifests",
    "/api/exports/returns",
    "/api/feed",
    "/api/filings",
    "/api/filings/commodities",
    "/api/filings/commodities/bulk",
    "/api/filings/enterprise",
    "/api/filings/export",
    "/api/filings/{id}",
    "/api/filings/{id}/approve",
    "/api/filings/{id}/attachments",
    "/api/filings/{id}/history",
    "/api/filings/{id}/reinstate",
    "/api/filings/{id}/return",
    "/api/filings/{id}/revoke",
    "/api/filings/{id}/submit",
    "/api/filings/{id}/suspend",
    "/api/me",
    "/api/organisations",
    "/api/organisations/{code}",
    "/api/organisations/{code}/status",
    "/api/organisations/{code}/users",
    "/api/overseas-warehouses",
    "/api/overseas-warehouses/{id}",
    "/api/overseas-warehouses/{id}/decision",
    "/api/purchase-records",
    "/api/reference/codes/{kind}",
    "/api/reference/import/{kind}",
    "/api/reference/tariff",
    "/api/reference/tariff/{hs_code}",
    "/api/reference/versions",
    "/api/repair/book",
    "/api/repair/orders",
    "/api/repair/orders/{order_no}",
    "/api/repair/orders/{order_no}/materials",
    "/api/repair/orders/{order_no}/movements",
    "/api/repair/orders/{order_no}/scrap",
    "/api/tokens",
    "/api/tokens/{id}",
    "/api/webhook-deliveries/{id}/replay",
    "/api/webhooks",
    "/api/webhooks/{id}/deliveries",
    "/api/webhooks/{id}/pause",
    "/api/webhooks/{id}/resume",
];

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    send(app.client.get(app.url(path))).await
}

dual_backend_tests! {
    async fn liveness_readiness_and_metrics_answer(db: TestDatabase) {
        let app = spawn(&db).await;
        let health = json(get(&app, "/healthz").await, StatusCode::OK).await;
        assert_eq!(health["status"], "ok");
        assert!(health.get("database").is_none(), "{health}");

        let ready = json(get(&app, "/readyz").await, StatusCode::OK).await;
        let backend = match db.backend {
            TestBackend::Sqlite => "sqlite",
            TestBackend::Postgres => "postgres",
        };
        assert_eq!(ready["status"], "ok");
        assert_eq!(ready["database"], backend, "{ready}");

        let metrics = get(&app, "/metrics").await;
        assert_eq!(metrics.status(), StatusCode::OK);
        assert!(header(&metrics, CONTENT_TYPE.as_str()).starts_with("text/plain"));
        let text = metrics.text().await.unwrap();
        assert!(text.contains("# TYPE kuajing_http_requests_total counter"), "{text}");
        let healthz = text
            .lines()
            .filter(|l| l.starts_with("kuajing_http_requests_total"))
            .find(|l| l.contains(r#"route="/healthz""#))
            .unwrap_or_else(|| panic!("no /healthz count in {text}"));
        assert!(healthz.contains(r#"status="200""#), "{healthz}");
    }

    async fn the_openapi_document_lists_every_api_path(db: TestDatabase) {
        let app = spawn(&db).await;
        let doc = json(get(&app, "/api/openapi.json").await, StatusCode::OK).await;
        assert!(doc["openapi"].as_str().unwrap().starts_with('3'), "{doc}");
        let paths = doc["paths"].as_object().expect("paths");
        let mut api: Vec<&str> = paths
            .keys()
            .map(String::as_str)
            .filter(|p| p.starts_with("/api/"))
            .collect();
        api.sort_unstable();
        assert_eq!(api, API_PATHS);
        for path in ["/healthz", "/readyz", "/metrics"] {
            assert!(paths.contains_key(path), "{path} missing");
        }
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes["bearer"]["scheme"], "bearer", "{schemes}");
        assert_eq!(schemes["session"]["name"], "kj_session", "{schemes}");
    }
    async fn every_answer_carries_the_security_headers(db: TestDatabase) {
        let app = spawn(&db).await;
        for path in ["/healthz", "/login", "/api/me", "/no-such-page"] {
            let response = get(&app, path).await;
            assert!(header(&response, "content-security-policy").contains("script-src 'none'"), "{path}");
            assert_eq!(header(&response, "x-content-type-options"), "nosniff", "{path}");
            assert_eq!(header(&response, "x-frame-options"), "DENY", "{path}");
            assert!(!header(&response, "x-request-id").is_empty(), "{path}");
        }
    }

    async fn a_request_that_takes_too_long_is_answered_408(db: TestDatabase) {
        let slow = kuajing_server::ServerConfig {
            request_timeout: std::time::Duration::from_secs(1),
            ..crate::support::config()
        };
        let app = crate::support::spawn_with(&db, slow).await;
        let admin = app.zone_admin().await;
        let address = app.base.trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        // Promise a body and never finish sending it.
        let head = format!(
            "POST /api/organisations HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {admin}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut answer = vec![0u8; 4096];
        let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
            .await
            .expect("answered within the timeout")
            .unwrap();
        let answer = String::from_utf8_lossy(&answer[..read]);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    }
}
