//! Who may call what: every route of the OpenAPI document, called with a
//! token of an organisation of each role, against a table that restates the
//! rules of `kuajing_core::access`:
//!
//! - every organisation lists organisations (an enterprise sees only itself),
//!   reads itself, and manages its own API tokens;
//! - agencies also read any organisation's record;
//! - the zone administration may do everything: file and suspend
//!   organisations, manage users and anyone's tokens, read the audit trail;
//! - another organisation's token is "not found" rather than "forbidden".

use std::collections::BTreeSet;

use kuajing_core::role::{Role, RoleKind};
use kuajing_testkit::dual_backend_tests;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;

use crate::support::{ENTERPRISE, TestApp, expect_unauthenticated, json, send, spawn};

/// Who a route admits.
#[derive(Debug, Clone, Copy)]
enum Admits {
    /// Anybody, with or without a token (operations endpoints).
    Anyone,
    /// An organisation of any role.
    EveryRole,
    /// Organisations holding an agency role.
    Agencies,
    /// The zone administration.
    ZoneAdmin,
}

impl Admits {
    fn admits(self, role: Role) -> bool {
        match self {
            Admits::Anyone | Admits::EveryRole => true,
            Admits::Agencies => role.kind() == RoleKind::Agency,
            Admits::ZoneAdmin => role == Role::ZoneAdmin,
        }
    }
}

/// Whose token a `{id}` in the path names.
#[derive(Debug, Clone, Copy)]
enum TokenOf {
    /// The caller's own organisation.
    Caller,
    /// The target enterprise.
    Target,
}

/// One row of the table: a call and who it admits. In the route, query and
/// body, `{code}` stands for the target enterprise's customs code, `{id}`
/// for a fresh token's id and `{n}` for a number unique to the call.
#[derive(Debug)]
struct Case {
    method: Method,
    route: &'static str,
    query: &'static str,
    body: Option<&'static str>,
    token_of: TokenOf,
    admits: Admits,
    refusal: StatusCode,
}

fn case(method: Method, route: &'static str, admits: Admits) -> Case {
    Case {
        method,
        route,
        query: "",
        body: None,
        token_of: TokenOf::Caller,
        admits,
        refusal: StatusCode::FORBIDDEN,
    }
}

impl Case {
    fn query(self, query: &'static str) -> Case {
        Case { query, ..self }
    }

    fn body(self, body: &'static str) -> Case {
        Case {
            body: Some(body),
            ..self
        }
    }

    /// Revokes a token of `whose`; another organisation's token is 404.
    fn revoking(self, whose: TokenOf) -> Case {
        let refusal = match whose {
            TokenOf::Caller => StatusCode::FORBIDDEN,
            TokenOf::Target => StatusCode::NOT_FOUND,
        };
        Case {
            token_of: whose,
            refusal,
            ..self
        }
    }

    /// The request of this row, without credentials.
    fn request(&self, app: &TestApp, token_id: &str, n: usize) -> RequestBuilder {
        let fill = |text: &str| {
            text.replace("{code}", ENTERPRISE)
                .replace("{id}", token_id)
                .replace("{n}", &format!("{n:04}"))
        };
        let url = match self.query {
            "" => app.url(&fill(self.route)),
            query => app.url(&format!("{}?{}", fill(self.route), fill(query))),
        };
        let request = app.client.request(self.method.clone(), url);
        match self.body {
            Some(body) => request
                .header(CONTENT_TYPE, "application/json")
                .body(fill(body)),
            None => request,
        }
    }
}

const NEW_ORGANISATION: &str =
    r#"{"customs_code": "222497{n}", "name": "新设企业{n}", "roles": ["ebc"]}"#;
const NEW_USER: &str =
    r#"{"login": "clerk{n}", "display_name": "李娜", "password": "correct-horse-42"}"#;
const REINSTATE: &str = r#"{"status": "active", "reason": "年度复核"}"#;

/// The expectations, one row per call.
fn table() -> Vec<Case> {
    use Admits::{Agencies, Anyone, EveryRole, ZoneAdmin};
    use Method as M;
    vec![
        case(M::GET, "/healthz", Anyone),
        case(M::GET, "/readyz", Anyone),
        case(M::GET, "/metrics", Anyone),
        case(M::GET, "/api/me", EveryRole),
        case(M::GET, "/api/organisations", EveryRole),
        case(M::POST, "/api/organisations", ZoneAdmin).body(NEW_ORGANISATION),
        case(M::GET, "/api/organisations/{code}", Agencies),
        case(M::POST, "/api/organisations/{code}/status", ZoneAdmin).body(REINSTATE),
        case(M::GET, "/api/organisations/{code}/users", ZoneAdmin),
        case(M::POST, "/api/organisations/{code}/users", ZoneAdmin).body(NEW_USER),
        case(M::GET, "/api/tokens", EveryRole),
        case(M::GET, "/api/tokens", ZoneAdmin).query("organisation={code}"),
        case(M::POST, "/api/tokens", EveryRole).body(r#"{"label": "订单系统"}"#),
        case(M::POST, "/api/tokens", ZoneAdmin)
            .body(r#"{"label": "订单系统", "organisation": "{code}"}"#),
        case(M::DELETE, "/api/tokens/{id}", EveryRole).revoking(TokenOf::Caller),
        case(M::DELETE, "/api/tokens/{id}", ZoneAdmin).revoking(TokenOf::Target),
        case(M::GET, "/api/audit", ZoneAdmin),
    ]
}

/// An organisation of one role and its token.
struct Member {
    role: Role,
    code: String,
    token: String,
}

/// Files one organisation per role, each with a token, and the target
/// enterprise.
async fn members(app: &TestApp) -> Vec<Member> {
    app.file(ENTERPRISE, &["ebc"]).await;
    let mut members = Vec::new();
    for (i, &role) in Role::ALL.iter().enumerate() {
        let code = format!("2224{:06}", 100 + i);
        let token = app.member(&code, &[role.as_str()]).await;
        members.push(Member { role, code, token });
    }
    members
}

/// Sends `case` as `member`; `n` makes created names unique.
async fn call(app: &TestApp, case: &Case, member: &Member, n: usize) -> Response {
    let owner = match case.token_of {
        TokenOf::Caller => member.code.as_str(),
        TokenOf::Target => ENTERPRISE,
    };
    let token_id = if case.route.contains("{id}") {
        app.issue_token(owner).await.0
    } else {
        String::new()
    };
    send(case.request(app, &token_id, n).bearer_auth(&member.token)).await
}

/// What went wrong with one cell of the matrix, if anything.
async fn mismatch(case: &Case, role: Role, response: Response) -> Option<String> {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let cell = format!("{} {}{} as {role}", case.method, case.route, case.query);
    if case.admits.admits(role) {
        return (!status.is_success())
            .then(|| format!("{cell}: expected 2xx, got {status} {body}"));
    }
    let code = match case.refusal {
        StatusCode::NOT_FOUND => "NOT_FOUND",
        _ => "ACCESS_DENIED",
    };
    let explained = body["message_zh"].is_string() && body["message_en"].is_string();
    let right = status == case.refusal && body["code"] == code && explained;
    (!right || body.get("field").is_some()).then(|| {
        format!(
            "{cell}: expected {} {code}, got {status} {body}",
            case.refusal
        )
    })
}

/// Every (method, path) of the OpenAPI document is in the table, and the
/// table has no route the document lacks.
async fn assert_table_matches_document(app: &TestApp, table: &[Case]) {
    let doc = json(
        send(app.client.get(app.url("/api/openapi.json"))).await,
        StatusCode::OK,
    )
    .await;
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
            if item.get(method).is_some() {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let covered: BTreeSet<(String, String)> = table
        .iter()
        .map(|c| (c.method.to_string(), c.route.to_owned()))
        .collect();
    assert_eq!(
        documented, covered,
        "the table and the OpenAPI document disagree"
    );
}

/// An enterprise lists only itself; an agency lists everyone.
async fn assert_list_scope(app: &TestApp, members: &[Member]) {
    for member in members {
        let codes = app.organisation_codes(&member.token).await;
        if member.role.kind() == RoleKind::Enterprise {
            assert_eq!(codes, [member.code.as_str()], "{}", member.role);
        } else {
            assert_eq!(codes.len(), members.len() + 1, "{}", member.role);
        }
    }
}

/// Sends every request of the table's API rows with `authorization` (or
/// none) and expects 401 AUTH_REQUIRED.
async fn assert_unauthenticated(app: &TestApp, table: &[Case], authorization: Option<&str>) {
    for case in table.iter().filter(|c| c.route.starts_with("/api/")) {
        let mut request = case.request(app, "no-such-token", 0);
        if let Some(value) = authorization {
            request = request.header(AUTHORIZATION, value);
        }
        expect_unauthenticated(send(request).await).await;
    }
}

dual_backend_tests! {
    async fn every_route_admits_exactly_the_roles_the_rules_name(db: TestDatabase) {
        let app = spawn(&db).await;
        let table = table();
        assert_table_matches_document(&app, &table).await;
        let members = members(&app).await;
        assert_eq!(members.len(), 17);
        assert_list_scope(&app, &members).await;
        let mut failures = Vec::new();
        let mut n = 0;
        for case in &table {
            for member in &members {
                n += 1;
                let response = call(&app, case, member, n).await;
                failures.extend(mismatch(case, member.role, response).await);
            }
        }
        assert!(failures.is_empty(), "{} wrong answers:\n{}", failures.len(), failures.join("\n"));
    }

    async fn api_routes_refuse_missing_bogus_and_revoked_tokens(db: TestDatabase) {
        let app = spawn(&db).await;
        let table = table();
        app.file(ENTERPRISE, &["ebc"]).await;
        let (id, revoked) = app.issue_token(ENTERPRISE).await;
        let operator = kuajing_server::actor::Actor::operator();
        kuajing_server::auth::tokens::revoke(&app.store, &operator, &id).await.unwrap();
        let revoked = format!("Bearer {revoked}");
        let bogus = "Bearer kj_0000000000000000000000000000000000000000000";
        for authorization in [None, Some(bogus), Some(revoked.as_str()), Some("Basic a2o6a2o=")] {
            assert_unauthenticated(&app, &table, authorization).await;
        }
        for case in table.iter().filter(|c| matches!(c.admits, Admits::Anyone)) {
            let response = send(app.client.get(app.url(case.route))).await;
            assert_eq!(response.status(), StatusCode::OK, "{}", case.route);
        }
        let doc = send(app.client.get(app.url("/api/openapi.json"))).await;
        assert_eq!(doc.status(), StatusCode::OK);
    }
}
