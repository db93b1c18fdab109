//! Signing in and out, and what guards it: the lockout, the per-address
//! throttle, suspension, session expiry and CSRF tokens.

use std::time::Duration;

use kuajing_server::ServerConfig;
use kuajing_testkit::{TestDatabase, dual_backend_tests};
use reqwest::header::{COOKIE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{
    Browser, ENTERPRISE, PASSWORD, TestApp, config, expect_error, expect_unauthenticated, header,
    html, json as json_of, location, send, spawn_with,
};

/// The enterprise's user.
const LOGIN: &str = "li.na";
const WRONG: &str = "wrong-password-1";
/// How long locks and idle sessions last in these tests: short, but long
/// enough for the requests before the wait on a busy machine.
const LAPSE: Duration = Duration::from_secs(2);

/// A server with `config`, and the enterprise with its user.
async fn start(db: &TestDatabase, config: ServerConfig) -> TestApp {
    let app = spawn_with(db, config).await;
    app.file(ENTERPRISE, &["ebp", "ebc"]).await;
    app.add_user(ENTERPRISE, LOGIN).await;
    app
}

/// Signs in with `password` and expects a refusal page with `status` and
/// no session; returns the response's `Retry-After`.
async fn sign_in_refused(browser: &Browser, password: &str, status: StatusCode) -> String {
    let response = browser.sign_in(LOGIN, password).await;
    let retry_after = header(&response, RETRY_AFTER.as_str());
    let page = html(response, status).await;
    assert!(page.contains(r#"id="sign-in-error""#), "no error shown");
    assert_signed_out(browser).await;
    retry_after
}

/// The browser holds no session and `/api/me` says 401.
async fn assert_signed_out(browser: &Browser) {
    assert_eq!(browser.session(), None);
    expect_unauthenticated(browser.get("/api/me").await).await;
}

/// `/api/me` with `token`, expecting `status`.
async fn me_with_token(app: &TestApp, token: &str, status: StatusCode) -> Value {
    json_of(send(app.api(Method::GET, "/api/me", token)).await, status).await
}

/// The zone administration sets the enterprise's status.
async fn set_status(app: &TestApp, admin: &str, status: &str) {
    let path = format!("/api/organisations/{ENTERPRISE}/status");
    let change = json!({"status": status, "reason": "海关通报"});
    let org = json_of(app.post_json(admin, &path, &change).await, StatusCode::OK).await;
    assert_eq!(org["status"], status);
}

dual_backend_tests! {
    async fn a_wrong_password_gives_no_session_and_the_right_one_does(db: TestDatabase) {
        let app = start(&db, config()).await;
        let browser = app.browser();
        sign_in_refused(&browser, WRONG, StatusCode::UNAUTHORIZED).await;
        for login in ["no.such.user", "li.na' OR '1'='1", "li.na\0"] {
            let unknown = browser.sign_in(login, PASSWORD).await;
            html(unknown, StatusCode::UNAUTHORIZED).await;
        }
        assert_signed_out(&browser).await;

        let browser = app.signed_in(LOGIN).await;
        let (status, me) = browser.me().await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!((me["kind"].as_str(), me["name"].as_str()), (Some("user"), Some(LOGIN)));
        assert_eq!(me["organisation_code"], ENTERPRISE);
        assert_eq!(me["csrf_token"].as_str().map(str::len), Some(43), "{me}");
    }

    async fn repeated_failures_lock_the_account_until_the_lock_passes(db: TestDatabase) {
        let lockout = ServerConfig {
            lockout_threshold: 3,
            lockout_duration: LAPSE,
            ..config()
        };
        let app = start(&db, lockout).await;
        let browser = app.browser();
        for _ in 0..3 {
            sign_in_refused(&browser, WRONG, StatusCode::UNAUTHORIZED).await;
        }
        sign_in_refused(&browser, PASSWORD, StatusCode::UNAUTHORIZED).await;
        tokio::time::sleep(LAPSE + Duration::from_millis(300)).await;
        app.signed_in(LOGIN).await;
    }

    async fn too_many_attempts_from_one_address_are_throttled(db: TestDatabase) {
        let throttle = ServerConfig {
            sign_in_burst: 2,
            sign_in_refill: Duration::from_secs(60),
            ..config()
        };
        let app = start(&db, throttle).await;
        let browser = app.browser();
        for _ in 0..2 {
            sign_in_refused(&browser, WRONG, StatusCode::UNAUTHORIZED).await;
        }
        let retry_after = sign_in_refused(&browser, PASSWORD, StatusCode::TOO_MANY_REQUESTS).await;
        let seconds: u64 = retry_after.parse().expect("Retry-After in seconds");
        assert!((1..=60).contains(&seconds), "{seconds}");
    }

    async fn a_suspended_organisation_is_shut_out_until_reinstated(db: TestDatabase) {
        let app = start(&db, config()).await;
        let admin = app.zone_admin().await;
        let token = app.issue_token(ENTERPRISE).await.1;
        let browser = app.signed_in(LOGIN).await;
        me_with_token(&app, &token, StatusCode::OK).await;

        set_status(&app, &admin, "suspended").await;
        let by_token = send(app.api(Method::GET, "/api/me", &token)).await;
        for response in [by_token, browser.get("/api/me").await] {
            expect_error(response, StatusCode::FORBIDDEN, "ORGANISATION_SUSPENDED", None).await;
        }
        sign_in_refused(&app.browser(), PASSWORD, StatusCode::FORBIDDEN).await;

        set_status(&app, &admin, "active").await;
        me_with_token(&app, &token, StatusCode::OK).await;
    }

    async fn signing_out_ends_the_session_on_the_server(db: TestDatabase) {
        let app = start(&db, config()).await;
        let browser = app.signed_in(LOGIN).await;
        let cookie = browser.session().unwrap();
        let csrf = browser.csrf().await;

        let forged = browser.post_form("/logout", &[("csrf", "forged")]).await;
        html(forged, StatusCode::FORBIDDEN).await;
        assert_eq!(browser.me().await.0, StatusCode::OK, "a forged sign-out worked");

        let out = browser.post_form("/logout", &[("csrf", csrf.as_str())]).await;
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&out), "/login");
        assert_signed_out(&browser).await;
        let replayed = app.client.get(app.url("/api/me"));
        let replayed = replayed.header(COOKIE, format!("kj_session={cookie}"));
        expect_unauthenticated(send(replayed).await).await;
    }

    async fn an_idle_session_lapses(db: TestDatabase) {
        let short = ServerConfig {
            session_idle: LAPSE,
            ..config()
        };
        let app = start(&db, short).await;
        let browser = app.signed_in(LOGIN).await;
        assert_eq!(browser.me().await.0, StatusCode::OK);
        tokio::time::sleep(LAPSE + Duration::from_millis(300)).await;
        expect_unauthenticated(browser.get("/api/me").await).await;
        let home = browser.get("/home").await;
        assert_eq!(home.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&home), "/login?next=%2Fhome");
    }

    async fn forms_and_json_writes_need_the_session_csrf_token(db: TestDatabase) {
        let app = start(&db, config()).await;
        let stranger = app.browser();
        stranger.page("/login").await;
        let fields = [("csrf", "forged"), ("login", LOGIN), ("password", PASSWORD)];
        html(stranger.post_form("/login", &fields).await, StatusCode::FORBIDDEN).await;
        assert_signed_out(&stranger).await;

        let browser = app.signed_in(LOGIN).await;
        for fields in [&[("csrf", "forged"), ("label", "订单系统")][..], &[("label", "订单系统")]] {
            let refused = browser.post_form("/tokens", fields).await;
            let page = html(refused, StatusCode::FORBIDDEN).await;
            assert!(page.contains("CSRF_REJECTED"), "{page}");
        }
        let tokens = json_of(browser.get("/api/tokens").await, StatusCode::OK).await;
        assert_eq!(tokens, json!([]), "a token was issued without the CSRF token");

        let label = json!({"label": "订单系统"});
        for csrf in [None, Some("forged")] {
            let mut request = browser.request(Method::POST, "/api/tokens").json(&label);
            if let Some(csrf) = csrf {
                request = request.header("x-csrf-token", csrf);
            }
            expect_error(send(request).await, StatusCode::FORBIDDEN, "CSRF_REJECTED", None).await;
        }
        let issued = browser.post_json("/api/tokens", &label).await;
        let issued = json_of(issued, StatusCode::CREATED).await;
        assert_eq!(issued["token"]["organisation_code"], ENTERPRISE);
        assert!(issued["secret"].as_str().unwrap().starts_with("kj_"), "{issued}");

        let revoke = format!("/api/tokens/{}", issued["token"]["id"].as_str().unwrap());
        let unguarded = send(browser.request(Method::DELETE, &revoke)).await;
        expect_error(unguarded, StatusCode::FORBIDDEN, "CSRF_REJECTED", None).await;
        let guarded = browser.request(Method::DELETE, &revoke);
        let guarded = guarded.header("x-csrf-token", browser.csrf().await);
        let revoked = json_of(send(guarded).await, StatusCode::OK).await;
        assert!(revoked["revoked_at"].is_string(), "{revoked}");
    }
}

dual_backend_tests! {
    async fn sign_ins_beyond_the_hashing_bound_are_answered_at_once_and_healthz_answers_meanwhile(db: TestDatabase) {
        let mut settings = config();
        settings.sign_in_burst = 1000;
        settings.password_hashing = kuajing_registry::auth::password::HashingSettings { concurrent: 1, queue: 0 };
        let app = start(&db, settings).await;
        // Sixteen people with the form open press the button together.
        let mut ready = Vec::new();
        for _ in 0..16 {
            let browser = app.browser();
            let csrf = crate::support::hidden_csrf(&browser.page("/login").await);
            ready.push((browser, csrf));
        }
        let presses: Vec<_> = ready
            .into_iter()
            .map(|(browser, csrf)| {
                tokio::spawn(async move {
                    let fields = [("csrf", csrf.as_str()), ("login", LOGIN), ("password", PASSWORD), ("next", "/home")];
                    let response = browser.post_form("/login", &fields).await;
                    let status = response.status();
                    let retry_after = header(&response, RETRY_AFTER.as_str());
                    (status, retry_after, response.text().await.unwrap())
                })
            })
            .collect();
        // The process answers while the hashes run.
        let health = send(app.client.get(app.url("/healthz"))).await;
        assert_eq!(health.status(), StatusCode::OK);
        let (mut signed_in, mut busy) = (0, 0);
        for press in presses {
            let (status, retry_after, page) = press.await.unwrap();
            match status {
                StatusCode::SEE_OTHER => signed_in += 1,
                StatusCode::SERVICE_UNAVAILABLE => {
                    assert_eq!(retry_after, "1", "{page}");
                    assert!(page.contains(r#"id="sign-in-error""#), "{page}");
                    busy += 1;
                }
                other => panic!("{other}: {page}"),
            }
        }
        assert!(signed_in >= 1, "the first in line is signed in");
        assert!(busy >= 1, "16 at once through 1 hash at a time and none waiting: the rest are told to come back");
        // Once the rush is over, a sign-in goes through again.
        let browser = app.browser();
        assert_eq!(browser.sign_in(LOGIN, PASSWORD).await.status(), StatusCode::SEE_OTHER);
    }
}
