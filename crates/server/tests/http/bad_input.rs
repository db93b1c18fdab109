//! Bad input is refused with the status, code and field that say what is
//! wrong, and a refused request writes nothing.

use kuajing_server::ServerConfig;
use kuajing_testkit::{TestDatabase, dual_backend_tests};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};

use crate::support::{
    ENTERPRISE, TestApp, ZONE_ADMIN, config, expect_error, json as json_of, send, spawn_with, uscc,
};

/// The body limit of these tests' server.
const LIMIT: usize = 1024;

/// A server with a small body limit, and the zone administration's token.
async fn start(db: &TestDatabase) -> (TestApp, String) {
    let small = ServerConfig {
        body_limit: LIMIT,
        ..config()
    };
    let app = spawn_with(db, small).await;
    let admin = app.zone_admin().await;
    (app, admin)
}

/// A valid filing of `code` as the API takes it.
fn filing(code: &str) -> Value {
    json!({
        "customs_code": code,
        "name": "珲春新设商贸有限公司",
        "uscc": uscc("MA0Y1K2P"),
        "roles": ["ebp", "ebc"],
        "contact_name": "王芳",
        "contact_phone": "0433-7512345",
    })
}

/// The enterprise's filing with `field` set to `value`.
fn filing_with(field: &str, value: Value) -> Value {
    let mut body = filing(ENTERPRISE);
    body[field] = value;
    body
}

/// POST /api/organisations as the administration.
fn create(app: &TestApp, admin: &str) -> RequestBuilder {
    app.api(Method::POST, "/api/organisations", admin)
}

/// POST /api/organisations with the raw `body` of `content_type`.
fn create_raw(app: &TestApp, admin: &str, content_type: &str, body: String) -> RequestBuilder {
    create(app, admin)
        .header(CONTENT_TYPE, content_type)
        .body(body)
}

/// Sends `request`, expects the error, and checks that the registry did not
/// change.
async fn refused(
    app: &TestApp,
    admin: &str,
    request: RequestBuilder,
    (status, code, field): (StatusCode, &str, Option<&str>),
) -> Value {
    let before = app.organisation_codes(admin).await;
    let body = expect_error(send(request).await, status, code, field).await;
    assert_eq!(
        app.organisation_codes(admin).await,
        before,
        "written after {body}"
    );
    body
}

/// Values that would change a query if pasted into its text, including a
/// NUL byte (which PostgreSQL text cannot hold).
const INJECTIONS: [&str; 4] = [
    "2224960001' OR '1'='1",
    "1; DROP TABLE organisations; --",
    "2224960001\0",
    "%",
];

/// `value` percent-encoded for a path segment.
fn encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const MALFORMED: StatusCode = StatusCode::BAD_REQUEST;
const INVALID: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

dual_backend_tests! {
    async fn malformed_json_names_the_field_and_writes_nothing(db: TestDatabase) {
        let (app, admin) = start(&db).await;
        let cases: [(String, Option<&str>); 6] = [
            (filing_with("roles", json!(["ebp", 7])).to_string(), Some("roles[1]")),
            (json!({"customs_code": ENTERPRISE, "roles": ["ebp"]}).to_string(), Some("name")),
            (filing_with("admin", json!(true)).to_string(), Some("admin")),
            (filing_with("customs_code", json!(2224960001_u64)).to_string(), Some("customs_code")),
            (r#"{"customs_code": "2224960001", "name": "x", "#.to_owned(), None),
            (format!("{} []", filing(ENTERPRISE)), None),
        ];
        for (text, field) in cases {
            let request = create_raw(&app, &admin, "application/json", text);
            refused(&app, &admin, request, (MALFORMED, "BODY_MALFORMED", field)).await;
        }
    }

    async fn wrong_media_types_and_oversized_bodies_are_refused(db: TestDatabase) {
        let (app, admin) = start(&db).await;
        let text = filing(ENTERPRISE).to_string();
        let unsupported = (StatusCode::UNSUPPORTED_MEDIA_TYPE, "BODY_MEDIA_TYPE", None);
        let wrong_types = ["text/plain", "application/x-www-form-urlencoded", "application/jsonx"];
        for content_type in wrong_types {
            let request = create_raw(&app, &admin, content_type, text.clone());
            refused(&app, &admin, request, unsupported).await;
        }
        refused(&app, &admin, create(&app, &admin).body(text), unsupported).await;

        let huge = filing_with("address", json!("珲".repeat(LIMIT))).to_string();
        let request = create_raw(&app, &admin, "application/json", huge);
        let too_large = (StatusCode::PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE", None);
        let body = refused(&app, &admin, request, too_large).await;
        assert!(body["message_en"].as_str().unwrap().contains("1024"), "{body}");
    }

    async fn broken_rules_and_duplicates_name_the_field_and_write_nothing(db: TestDatabase) {
        let (app, admin) = start(&db).await;
        let good = uscc("MA0Y1K2P");
        let wrong = if good.ends_with('0') { '1' } else { '0' };
        let wrong_check = format!("{}{wrong}", &good[..17]);
        let cases = [
            ("uscc", json!(wrong_check), "ID_CHECK_CHARACTER", "uscc"),
            ("customs_code", json!("2224"), "ID_LENGTH", "customs_code"),
            ("roles", json!(["ebp", "admin"]), "ROLE_UNKNOWN", "roles[1]"),
            ("roles", json!([]), "ROLES_REQUIRED", "roles"),
            ("name", json!("  "), "FIELD_REQUIRED", "name"),
            ("contact_phone", json!("call me"), "PHONE_FORMAT", "contact_phone"),
        ];
        for (name, value, code, field) in cases {
            let request = create(&app, &admin).json(&filing_with(name, value));
            refused(&app, &admin, request, (INVALID, code, Some(field))).await;
        }

        let created = create(&app, &admin).json(&filing(ENTERPRISE));
        assert_eq!(send(created).await.status(), StatusCode::CREATED);
        let same_code = create(&app, &admin).json(&filing_with("uscc", json!(uscc("MA0Y1K3Q"))));
        let duplicate = |field| (StatusCode::CONFLICT, "DUPLICATE", Some(field));
        refused(&app, &admin, same_code, duplicate("customs_code")).await;
        let same_uscc = create(&app, &admin).json(&filing("2224960002"));
        refused(&app, &admin, same_uscc, duplicate("uscc")).await;
    }

    async fn injection_looking_values_are_plain_data(db: TestDatabase) {
        let (app, admin) = start(&db).await;
        let enterprise = app.enterprise().await;
        let user = json!({"login": "clerk", "display_name": "李娜", "password": "correct-horse-42"});
        let suspend = json!({"status": "suspended", "reason": "x"});
        let get = |path: &str, (name, value): (&str, &str)| {
            app.api(Method::GET, path, &admin).query(&[(name, value)])
        };
        let not_found = (StatusCode::NOT_FOUND, "NOT_FOUND", None);
        for value in INJECTIONS {
            let org = |rest: &str| format!("/api/organisations/{}{rest}", encoded(value));
            let token = json!({"label": "x", "organisation": value});
            let calls = [
                app.api(Method::GET, &org(""), &admin),
                app.api(Method::GET, &org("/users"), &admin),
                app.api(Method::POST, &org("/users"), &admin).json(&user),
                app.api(Method::POST, &org("/status"), &admin).json(&suspend),
                app.api(Method::DELETE, &format!("/api/tokens/{}", encoded(value)), &admin),
            ];
            for request in calls {
                refused(&app, &admin, request, not_found).await;
            }
            // Another organisation's tokens are nobody's to issue or list
            // (the value is compared with the caller's code, never looked up).
            let denied = (StatusCode::FORBIDDEN, "ACCESS_DENIED", None);
            let foreign = app.api(Method::GET, &org(""), &enterprise);
            refused(&app, &admin, foreign, denied).await;
            let issue = app.api(Method::POST, "/api/tokens", &admin).json(&token);
            refused(&app, &admin, issue, denied).await;
            refused(&app, &admin, get("/api/tokens", ("organisation", value)), denied).await;
        }

        let refusals = [
            ("/api/organisations", ("role", "ebp' OR 1=1--"), INVALID, "ROLE_UNKNOWN"),
            ("/api/organisations", ("status", "active';DROP TABLE x"), INVALID, "STATUS_UNKNOWN"),
            ("/api/audit", ("before", "1 OR 1=1"), MALFORMED, "BODY_MALFORMED"),
            ("/api/audit", ("actor", "admin\0"), INVALID, "FIELD_CONTROL_CHARACTER"),
        ];
        for (path, query, status, code) in refusals {
            refused(&app, &admin, get(path, query), (status, code, Some(query.0))).await;
        }
        let harmless = [
            ("action", "x' OR '1'='1"),
            ("organisation", "' OR 1=1 --"),
            ("actor", "%' OR ''='"),
        ];
        for query in harmless {
            let page = json_of(send(get("/api/audit", query)).await, StatusCode::OK).await;
            assert_eq!(page["entries"], json!([]), "{query:?}: {page}");
        }
        assert_eq!(app.organisation_codes(&admin).await, [ZONE_ADMIN, ENTERPRISE]);
    }
    async fn wrong_methods_and_malformed_paths_answer_in_the_error_format(db: TestDatabase) {
        let (app, admin) = start(&db).await;
        let not_allowed = (StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", None);
        for (method, path) in [(Method::PUT, "/api/organisations"), (Method::DELETE, "/healthz")] {
            refused(&app, &admin, app.api(method, path, &admin), not_allowed).await;
        }
        let bad_utf8 = app.api(Method::GET, "/api/organisations/%FF%FE", &admin);
        refused(&app, &admin, bad_utf8, (MALFORMED, "BODY_MALFORMED", Some("path"))).await;
    }
}
