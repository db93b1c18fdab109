//! Request hygiene (issue #14, finding 6 and parts of finding 12): a
//! cross-site `POST /api/ceb` riding a browser session is refused; error
//! messages read as sentences naming the field (no `Some("label")`, no
//! "larger than 0 bytes"); `/metrics` answers only the server's own host or
//! the metrics token; answers are `Cache-Control: no-store` except the
//! stylesheet; bidirectional formatting characters are refused in texts
//! people read; `Secure` on cookies follows the configuration, not the
//! `Host` header. Both backends.

use std::net::SocketAddr;

use kuajing_ceb::sample::Parcel;
use kuajing_ceb::{Message, decode, encode};
use kuajing_server::{MetricsToken, ServerConfig};
use kuajing_testkit::dual_backend_tests;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, HOST, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::clearance::{parcel, statuses};
use crate::support::{
    PNG, TestApp, config, expect_error, header, html, id_of, json, multipart, send, spawn,
    spawn_with,
};

/// Messages the platform has kept from anyone.
async fn messages_kept(app: &TestApp) -> i64 {
    let mut tx = app.store.begin().await.unwrap();
    let count: i64 = kuajing_store::sql::query_scalar("SELECT COUNT(*) FROM ceb_messages")
        .fetch_one(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    count
}

/// The `Set-Cookie` value of the sign-in form's CSRF cookie when `/login`
/// is asked for with `Host: localhost`.
async fn sign_in_cookie(app: &TestApp) -> String {
    let page = send(app.client.get(app.url("/login")).header(HOST, "localhost")).await;
    assert_eq!(page.status(), StatusCode::OK);
    page.headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("kj_signin_csrf="))
        .expect("the sign-in form sets its CSRF cookie")
}

dual_backend_tests! {
    async fn a_cross_site_ceb_post_riding_a_session_is_refused_and_keeps_nothing(db: TestDatabase) {
        let app = spawn(&db).await;
        app.file(Parcel::EBP, &["ebp"]).await;
        app.add_user(Parcel::EBP, "shop").await;
        let browser = app.signed_in("shop").await;
        let order = encode(&Message::Ceb311(parcel(1).order.clone()));

        // What a page on another site can make a browser send: the cookie,
        // a "simple" content type, its own origin, no CSRF header.
        let attack = browser
            .request(Method::POST, "/api/ceb")
            .header(CONTENT_TYPE, "text/plain")
            .header("origin", "http://evil.example")
            .body(order.clone());
        let refused = expect_error(send(attack).await, StatusCode::FORBIDDEN, "CSRF_REJECTED", None).await;
        assert!(refused["message_en"].as_str().unwrap().contains("CSRF"), "{refused}");
        let forged = browser
            .request(Method::POST, "/api/ceb")
            .header(CONTENT_TYPE, "application/xml")
            .header("x-csrf-token", "forged")
            .body(order.clone());
        expect_error(send(forged).await, StatusCode::FORBIDDEN, "CSRF_REJECTED", None).await;
        assert_eq!(messages_kept(&app).await, 0, "nothing kept");

        // The person's own call, with the session's token, is taken.
        let own = browser
            .request(Method::POST, "/api/ceb")
            .header(CONTENT_TYPE, "application/xml")
            .header("x-csrf-token", browser.csrf().await)
            .body(order);
        let answer = send(own).await;
        assert_eq!(answer.status(), StatusCode::OK);
        let receipt = decode(answer.text().await.unwrap().as_bytes()).unwrap().message;
        assert_eq!(statuses(&receipt), ["2"]);
        assert_eq!(messages_kept(&app).await, 1);

        // A system's Bearer call needs no CSRF token.
        let token = app.issue_token(Parcel::EBP).await.1;
        let order = encode(&Message::Ceb311(parcel(2).order.clone()));
        let system = app.api(Method::POST, "/api/ceb", &token).header(CONTENT_TYPE, "application/xml").body(order);
        assert_eq!(send(system).await.status(), StatusCode::OK);
    }

    async fn no_documented_write_takes_a_session_without_its_csrf_token(db: TestDatabase) {
        let app = spawn(&db).await;
        app.file(crate::support::ENTERPRISE, &["ebp", "ebc"]).await;
        app.add_user(crate::support::ENTERPRISE, "clerk").await;
        let browser = app.signed_in("clerk").await;
        let document = json(send(app.client.get(app.url("/api/openapi.json"))).await, StatusCode::OK).await;
        let mut writes = 0;
        for (path, operations) in document["paths"].as_object().unwrap() {
            let path: String = path
                .split('/')
                .map(|part| if part.starts_with('{') { "x" } else { part })
                .collect::<Vec<_>>()
                .join("/");
            for method in ["post", "put", "patch", "delete"] {
                if operations.get(method).is_none() {
                    continue;
                }
                writes += 1;
                let request = browser
                    .request(method.to_uppercase().parse().unwrap(), &path)
                    .header(CONTENT_TYPE, "text/plain")
                    .body("{}");
                let answer = send(request).await;
                let what = format!("{method} {path}");
                let body = json(answer, StatusCode::FORBIDDEN).await;
                assert_eq!(body["code"], "CSRF_REJECTED", "{what}: {body}");
            }
        }
        assert!(writes > 30, "the document lists the writes ({writes})");
    }

    async fn error_messages_name_the_field_in_plain_words(db: TestDatabase) {
        let app = spawn_with(&db, ServerConfig { body_limit: 64 * 1024, ..config() }).await;
        let owner = app.enterprise().await;

        let wrong_type = app.post_json(&owner, "/api/tokens", &json!({"label": 5})).await;
        let body = expect_error(wrong_type, StatusCode::BAD_REQUEST, "BODY_MALFORMED", Some("label")).await;
        let en = body["message_en"].as_str().unwrap();
        assert!(!en.contains("Some(") && !en.contains("None"), "{en}");
        assert!(en.starts_with("the request is not well-formed: field label: invalid type"), "{en}");

        let filing = id_of(&app.file_commodity(&owner, &crate::support::honey("U-1")).await);
        let path = format!("/api/filings/{filing}/attachments");
        let (content_type, empty) = multipart(&[("purpose", "photo")], b"");
        let upload = app.api(Method::POST, &path, &owner).header(CONTENT_TYPE, content_type.clone());
        let body = expect_error(send(upload.body(empty)).await, StatusCode::UNPROCESSABLE_ENTITY, "FIELD_REQUIRED", Some("file")).await;
        assert_eq!(body["message_en"], "choose a file to upload");

        let mut big = PNG.to_vec();
        big.resize(100 * 1024, 0);
        let (content_type, body) = multipart(&[("purpose", "photo")], &big);
        let upload = app.api(Method::POST, &path, &owner).header(CONTENT_TYPE, content_type);
        let body = expect_error(send(upload.body(body)).await, StatusCode::PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE", None).await;
        assert_eq!(body["message_en"], "the request body is larger than the limit of 65536 bytes");
        assert!(body["message_zh"].as_str().unwrap().contains("65536"), "{body}");
    }

    async fn metrics_answer_the_servers_own_host_or_the_metrics_token(db: TestDatabase) {
        let app = spawn(&db).await;
        let direct = send(app.client.get(app.url("/metrics"))).await;
        assert_eq!(direct.status(), StatusCode::OK);
        assert!(direct.text().await.unwrap().contains("kuajing_"), "the metrics");
        let relayed = app.client.get(app.url("/metrics")).header("x-forwarded-for", "203.0.113.9");
        expect_error(send(relayed).await, StatusCode::FORBIDDEN, "OPERATORS_ONLY", None).await;
        drop(app);

        let token = "scrape-7MA4YWxkTrZu0gW";
        let behind_proxy = ServerConfig {
            trust_forwarded_for: true,
            metrics_token: Some(MetricsToken(token.to_owned())),
            ..config()
        };
        let app = spawn_with(&db, behind_proxy).await;
        let anyone = app.client.get(app.url("/metrics")).header("x-forwarded-for", "203.0.113.9");
        expect_error(send(anyone).await, StatusCode::FORBIDDEN, "OPERATORS_ONLY", None).await;
        let no_header = send(app.client.get(app.url("/metrics"))).await;
        assert_eq!(no_header.status(), StatusCode::FORBIDDEN, "behind a proxy every peer is the proxy");
        let wrong = app.client.get(app.url("/metrics")).bearer_auth("scrape-wrong");
        assert_eq!(send(wrong).await.status(), StatusCode::FORBIDDEN);
        let scraper = app.client.get(app.url("/metrics")).bearer_auth(token).header("x-forwarded-for", "203.0.113.9");
        let scraped = send(scraper).await;
        assert_eq!(scraped.status(), StatusCode::OK);
        assert!(scraped.text().await.unwrap().contains("kuajing_http_requests_total"));
    }

    async fn answers_are_not_stored_except_the_stylesheet(db: TestDatabase) {
        let app = spawn(&db).await;
        let owner = app.enterprise().await;
        let me = send(app.api(Method::GET, "/api/me", &owner)).await;
        assert_eq!(me.status(), StatusCode::OK);
        assert_eq!(header(&me, CACHE_CONTROL.as_str()), "no-store");
        let missing = send(app.api(Method::GET, "/api/nothing-here", &owner)).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(header(&missing, CACHE_CONTROL.as_str()), "no-store");

        app.add_user(crate::support::ENTERPRISE, "clerk").await;
        let browser = app.signed_in("clerk").await;
        let home = browser.get("/home").await;
        assert_eq!(header(&home, CACHE_CONTROL.as_str()), "no-store");
        let page = html(home, StatusCode::OK).await;
        let start = page.find("/static/portal.").expect("the stylesheet's link");
        let end = start + page[start..].find('"').unwrap();
        let css = browser.get(&page[start..end]).await;
        assert_eq!(css.status(), StatusCode::OK);
        assert_eq!(header(&css, CACHE_CONTROL.as_str()), "public, max-age=31536000, immutable");
    }

    async fn bidirectional_controls_are_refused_in_texts_people_read(db: TestDatabase) {
        let app = spawn(&db).await;
        let owner = app.enterprise().await;
        let before = app.get_json(&owner, "/api/tokens").await;
        for c in ['\u{202E}', '\u{2066}', '\u{200F}'] {
            let label = format!("订单系统{c}txt.exe");
            let response = app.post_json(&owner, "/api/tokens", &json!({"label": label})).await;
            let body = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "FIELD_BIDI_CONTROL", Some("label")).await;
            let shown = format!("订单系统<U+{:04X}>txt.exe", u32::from(c));
            assert!(body["message_en"].as_str().unwrap().contains(&shown), "{body}");
            assert!(body["message_en"].as_str().unwrap().contains("at character 5"), "{body}");
        }
        assert_eq!(app.get_json(&owner, "/api/tokens").await, before, "no token issued");

        // The books' own texts pass the same rule.
        let warehouse = app.member(Parcel::WAREHOUSE, &["warehouse"]).await;
        let book = json!({"ems_no": Parcel::BOOK, "zone_code": "2991", "name": "珲春\u{202E}保税仓"});
        let response = app.post_json(&warehouse, "/api/ems/books", &book).await;
        expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "FIELD_BIDI_CONTROL", Some("name")).await;
        // Other scripts and ordinary marks are text.
        let label = json!({"label": "Хуньчунь 훈춘 — «订单» system"});
        json(app.post_json(&owner, "/api/tokens", &label).await, StatusCode::CREATED).await;
    }

    async fn secure_cookies_follow_the_configuration_not_the_host_header(db: TestDatabase) {
        // Listening on every interface: a production server, reached here
        // through a proxy that says `Host: localhost`.
        let production = ServerConfig { addr: SocketAddr::from(([0, 0, 0, 0], 0)), ..config() };
        let app = spawn_with(&db, production).await;
        assert!(sign_in_cookie(&app).await.contains("; Secure"));
        drop(app);
        // On loopback behind a declared proxy: Secure too.
        let proxied = ServerConfig { trust_forwarded_for: true, ..config() };
        let app = spawn_with(&db, proxied).await;
        assert!(sign_in_cookie(&app).await.contains("; Secure"));
        drop(app);
        // The plain-HTTP quick start on loopback: not Secure.
        let app = spawn(&db).await;
        assert!(!sign_in_cookie(&app).await.contains("Secure"));
    }
}
