//! `POST /bench/store-floor` (issue #16): the store's floor the clearance
//! bench measures against. Absent unless the server is started for it; then
//! it takes a signed-in caller's well-formed message, keeps it once (bytes,
//! SHA-256) through the intake's group commit and answers a fixed receipt;
//! anything else keeps nothing.

use kuajing_ceb::{Message, encode, sample::Parcel};
use kuajing_server::ServerConfig;
use kuajing_store::store_floor;
use kuajing_testkit::{TestDatabase, dual_backend_tests};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use sqlx::Row;

use crate::support::{TestApp, config, send, spawn_with};

async fn post(app: &TestApp, token: Option<&str>, body: &str) -> (StatusCode, String) {
    let mut request = app
        .client
        .post(app.url("/bench/store-floor"))
        .header(CONTENT_TYPE, "application/xml")
        .body(body.to_owned());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = send(request).await;
    let status = response.status();
    (status, response.text().await.unwrap())
}

async fn kept(app: &TestApp) -> i64 {
    let mut conn = app.store.reader().await.unwrap();
    store_floor::count(&mut conn).await.unwrap()
}

async fn floor_server(db: &TestDatabase) -> TestApp {
    let app = spawn_with(
        db,
        ServerConfig {
            bench_store_floor: true,
            ..config()
        },
    )
    .await;
    // `kuajing serve --bench-store-floor` creates the table before it listens.
    store_floor::create_table(&app.store).await.unwrap();
    app
}

dual_backend_tests! {
    async fn the_floor_is_not_there_unless_the_server_is_started_for_it(db: TestDatabase) {
        let app = spawn_with(&db, config()).await;
        let token = app.enterprise().await;
        let (status, _) = post(&app, Some(&token), "<a/>").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn the_floor_keeps_each_message_once_with_its_digest_and_nothing_else(db: TestDatabase) {
        let app = floor_server(&db).await;
        let token = app.enterprise().await;
        let message = encode(&Message::Ceb311(Parcel::numbered(1).order));

        let (status, text) = post(&app, Some(&token), &message).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert_eq!(text, kuajing_intake::floor::KEPT);
        assert_eq!(kept(&app).await, 1);
        let mut conn = app.store.reader().await.unwrap();
        let row = kuajing_store::sql::query("SELECT sha256, body FROM store_floor").fetch_one(&mut conn).await.unwrap();
        let (sha256, body): (String, Vec<u8>) = (row.get("sha256"), row.get("body"));
        drop(conn);
        assert_eq!(body, message.as_bytes());
        assert_eq!(sha256.len(), 64);

        // The same bytes again are simply kept again: the floor has no
        // business logic (no guid, no resend rule).
        let (status, _) = post(&app, Some(&token), &message).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(kept(&app).await, 2);

        // Not well-formed, or nobody signed in: nothing kept.
        let (status, text) = post(&app, Some(&token), "<a><b></a>").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        let (status, _) = post(&app, None, &message).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(kept(&app).await, 2);
    }
}
