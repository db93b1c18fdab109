//! The audit trail: who did what, for which organisation, from where, with
//! what outcome; its filters and cursor; and that refusals are recorded too.

use kuajing_testkit::{TestDatabase, dual_backend_tests};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{
    Browser, ENTERPRISE, TestApp, ZONE_ADMIN, expect_error, filing, json as json_of, send, spawn,
};

/// The zone administration's user.
const ADMIN: &str = "admin.wang";
/// The organisation the administration files over the API.
const FILED: &str = "2224960077";

/// A server where the administration has signed in, filed [`FILED`] and
/// read it, and the enterprise holds a token.
struct Trail {
    app: TestApp,
    admin: Browser,
    enterprise: String,
}

async fn start(db: &TestDatabase) -> Trail {
    let app = spawn(db).await;
    app.file(ZONE_ADMIN, &["zone-admin"]).await;
    app.add_user(ZONE_ADMIN, ADMIN).await;
    let enterprise = app.enterprise().await;
    let admin = app.signed_in(ADMIN).await;
    let input = filing(FILED, &["logistics"]);
    let body = json!({
        "customs_code": input.customs_code,
        "name": input.name,
        "roles": input.roles,
        "contact_name": input.contact_name,
    });
    let created = admin.post_json("/api/organisations", &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let read = admin.get(&format!("/api/organisations/{FILED}")).await;
    let org = json_of(read, StatusCode::OK).await;
    assert_eq!(org["contact_name"], "张伟", "{org}");
    Trail {
        app,
        admin,
        enterprise,
    }
}

impl Trail {
    /// A page of the trail as the administration reads it with `query`.
    async fn page(&self, query: &str) -> Value {
        let response = self.admin.get(&format!("/api/audit?{query}")).await;
        json_of(response, StatusCode::OK).await
    }

    /// The entries `query` selects.
    async fn entries(&self, query: &str) -> Vec<Value> {
        let page = self.page(query).await;
        page["entries"].as_array().expect("entries").clone()
    }
}

/// The newest entry of `action` on `target`.
fn find<'a>(entries: &'a [Value], action: &str, target: &str) -> &'a Value {
    entries
        .iter()
        .find(|e| e["action"] == action && e["target"] == target)
        .unwrap_or_else(|| panic!("no {action} on {target} in {entries:#?}"))
}

/// The entry has these values.
fn assert_fields(entry: &Value, expected: &[(&str, &str)]) {
    for (field, value) in expected {
        assert_eq!(entry[*field], *value, "{field} of {entry}");
    }
}

/// Every entry has `value` in `field`, and there is at least one.
fn assert_all(entries: &[Value], field: &str, value: impl Fn(&str) -> bool) {
    assert!(!entries.is_empty(), "nothing matched {field}");
    for entry in entries {
        let found = entry[field].as_str().unwrap_or("");
        assert!(value(found), "{field} of {entry}");
    }
}

fn seqs(entries: &[Value]) -> Vec<i64> {
    entries.iter().map(|e| e["seq"].as_i64().unwrap()).collect()
}

dual_backend_tests! {
    async fn the_trail_records_who_did_what_for_whom_from_where(db: TestDatabase) {
        let trail = start(&db).await;
        let entries = trail.entries("").await;
        let by_admin = [
            ("actor_kind", "user"),
            ("actor_name", ADMIN),
            ("organisation_code", ZONE_ADMIN),
            ("ip", "127.0.0.1"),
            ("outcome", "success"),
        ];
        assert_fields(find(&entries, "sign_in", ADMIN), &by_admin);
        assert_fields(find(&entries, "organisation.create", FILED), &by_admin);
        assert_fields(find(&entries, "organisation.read_personal", FILED), &by_admin);
        assert!(seqs(&entries).is_sorted_by(|a, b| a > b), "not newest first");
    }

    async fn filters_and_the_cursor_narrow_the_trail(db: TestDatabase) {
        let trail = start(&db).await;
        let other = format!("/api/organisations/{ZONE_ADMIN}");
        let denied = send(trail.app.api(Method::GET, &other, &trail.enterprise)).await;
        expect_error(denied, StatusCode::FORBIDDEN, "ACCESS_DENIED", None).await;

        let organisation_actions = trail.entries("action=organisation.").await;
        assert_all(&organisation_actions, "action", |a| a.starts_with("organisation."));
        assert_all(&trail.entries("outcome=denied").await, "outcome", |o| o == "denied");
        let enterprise = trail.entries(&format!("organisation={ENTERPRISE}")).await;
        assert_all(&enterprise, "organisation_code", |c| c == ENTERPRISE);
        assert_eq!(find(&enterprise, "organisation.read", ZONE_ADMIN)["outcome"], "denied");
        let signs = trail.entries(&format!("actor={ADMIN}&action=sign")).await;
        assert_all(&signs, "action", |a| a == "sign_in");

        let first = trail.page("action=organisation.&limit=2").await;
        let cursor = first["next_before"].as_i64().expect("a cursor");
        let second = trail.page(&format!("action=organisation.&limit=2&before={cursor}")).await;
        let mut paged = seqs(first["entries"].as_array().unwrap());
        paged.extend(seqs(second["entries"].as_array().unwrap()));
        assert_eq!(paged[1], cursor);
        assert!(paged.len() == 4 && paged[2] < cursor, "{paged:?}");
        assert_eq!(paged, seqs(&organisation_actions)[..4]);
        assert_eq!(trail.page("limit=500").await["next_before"], Value::Null);

        for (query, code, field) in [
            ("outcome=maybe", "OUTCOME_UNKNOWN", "outcome"),
            ("limit=0", "LIMIT_RANGE", "limit"),
            ("from=yesterday", "TIME_FORMAT", "from"),
        ] {
            let response = trail.admin.get(&format!("/api/audit?{query}")).await;
            expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, code, Some(field)).await;
        }
    }

    async fn an_enterprise_is_refused_and_the_refusal_is_recorded(db: TestDatabase) {
        let trail = start(&db).await;
        let response = send(trail.app.api(Method::GET, "/api/audit", &trail.enterprise)).await;
        expect_error(response, StatusCode::FORBIDDEN, "ACCESS_DENIED", None).await;

        let refusals = trail.entries("action=audit.read&outcome=denied").await;
        assert_eq!(refusals.len(), 1, "{refusals:#?}");
        assert_fields(&refusals[0], &[
            ("actor_kind", "token"),
            ("actor_name", &trail.enterprise[..9]),
            ("organisation_code", ENTERPRISE),
            ("target", "audit_log"),
            ("ip", "127.0.0.1"),
        ]);
    }
    async fn a_token_revoked_twice_is_recorded_once(db: TestDatabase) {
        let trail = start(&db).await;
        let issued = trail.admin.post_json("/api/tokens", &json!({"label": "订单系统"})).await;
        let issued = json_of(issued, StatusCode::CREATED).await;
        let id = issued["token"]["id"].as_str().unwrap().to_owned();
        let csrf = trail.admin.csrf().await;
        for _ in 0..2 {
            let request = trail.admin.request(Method::DELETE, &format!("/api/tokens/{id}"));
            let revoked = json_of(send(request.header("x-csrf-token", &csrf)).await, StatusCode::OK).await;
            assert!(revoked["revoked_at"].is_string(), "{revoked}");
        }
        let revocations = trail.entries("action=token.revoke").await;
        assert_eq!(revocations.len(), 1, "{revocations:#?}");
        assert_fields(&revocations[0], &[("target", &id), ("outcome", "success")]);
    }
}
