//! The overseas-warehouse registry over HTTP (海外仓备案, issue #7): an
//! exporter registers a warehouse in Japan, customs returns it with a
//! reason, the exporter changes it and files it again, customs approves it;
//! only customs decides, only the owner refiles, others do not see it; bad
//! input is refused with field, rule and value and changes nothing; the
//! portal page does the same for the exporter and the officer. Both
//! backends.

use kuajing_core::role::Role;
use kuajing_testkit::dual_backend_tests;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, agency_code, expect_error, hidden_csrf, html, json, send, spawn};

const EXPORTER: &str = "2224960001";
const OTHER_EXPORTER: &str = "2224960002";

fn japan(code: &str) -> Value {
    json!({"warehouse_code": code, "name": "新潟海外仓", "operator_name": "株式会社ハンチュン物流",
        "country": "116", "address": "新潟県新潟市東区臨港町 1-1", "capacity": "1200", "capacity_unit": "m2"})
}

async fn register(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post_json(token, "/api/overseas-warehouses", body).await
}

async fn decide(
    app: &TestApp,
    token: &str,
    id: i64,
    decision: &str,
    reason: &str,
) -> reqwest::Response {
    let body = json!({"decision": decision, "reason": reason});
    app.post_json(
        token,
        &format!("/api/overseas-warehouses/{id}/decision"),
        &body,
    )
    .await
}

async fn refile(app: &TestApp, token: &str, id: i64, body: &Value) -> reqwest::Response {
    send(
        app.api(
            Method::PUT,
            &format!("/api/overseas-warehouses/{id}"),
            token,
        )
        .json(body),
    )
    .await
}

fn codes(list: &Value) -> Vec<(&str, &str)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["warehouse_code"].as_str().unwrap(),
                w["status"].as_str().unwrap(),
            )
        })
        .collect()
}

dual_backend_tests! {
    async fn an_exporter_registers_a_warehouse_customs_returns_then_approves_it(db: TestDatabase) {
        let app = spawn(&db).await;
        let exporter = app.member(EXPORTER, &["ebc"]).await;
        let customs = app.agency(Role::Customs).await;
        let filed = json(register(&app, &exporter, &japan("NIIGATA-1")).await, StatusCode::CREATED).await;
        let id = filed["id"].as_i64().unwrap();
        assert_eq!((filed["status"].as_str(), filed["owner_code"].as_str(), filed["capacity"].as_i64()), (Some("filed"), Some(EXPORTER), Some(1200)));
        assert_eq!(filed["decided_by"], Value::Null);

        // Only customs decides; a return needs a reason.
        let commerce = app.agency(Role::Commerce).await;
        assert_eq!(decide(&app, &commerce, id, "approve", "").await.status(), StatusCode::FORBIDDEN);
        assert_eq!(decide(&app, &exporter, id, "approve", "").await.status(), StatusCode::FORBIDDEN);
        expect_error(decide(&app, &customs, id, "return", " ").await, StatusCode::UNPROCESSABLE_ENTITY, "REASON_REQUIRED", Some("reason")).await;
        expect_error(decide(&app, &customs, id, "maybe", "").await, StatusCode::UNPROCESSABLE_ENTITY, "WAREHOUSE_DECISION", Some("decision")).await;
        let returned = json(decide(&app, &customs, id, "return", "容量单位与租赁合同不符 / capacity differs from the lease").await, StatusCode::OK).await;
        assert_eq!(returned["status"], "returned");
        assert_eq!(returned["decision_reason"], "容量单位与租赁合同不符 / capacity differs from the lease");
        assert!(returned["decided_by"].as_str().is_some() && returned["decided_at"].as_str().is_some(), "{returned}");
        expect_error(decide(&app, &customs, id, "approve", "").await, StatusCode::UNPROCESSABLE_ENTITY, "WAREHOUSE_NOT_FILED", Some("status")).await;

        // The owner changes it and files it again; nobody else may.
        let mut changed = japan("NIIGATA-1");
        changed["capacity"] = json!("800");
        changed["capacity_unit"] = json!("pallet");
        let other = app.member(OTHER_EXPORTER, &["ebc"]).await;
        assert_eq!(refile(&app, &other, id, &changed).await.status(), StatusCode::NOT_FOUND);
        let mut renamed = changed.clone();
        renamed["warehouse_code"] = json!("NIIGATA-2");
        expect_error(refile(&app, &exporter, id, &renamed).await, StatusCode::UNPROCESSABLE_ENTITY, "WAREHOUSE_CODE_FIXED", Some("warehouse_code")).await;
        let again = json(refile(&app, &exporter, id, &changed).await, StatusCode::OK).await;
        assert_eq!((again["status"].as_str(), again["capacity_unit"].as_str(), again["decision_reason"].clone()), (Some("filed"), Some("pallet"), Value::Null));
        expect_error(refile(&app, &exporter, id, &changed).await, StatusCode::UNPROCESSABLE_ENTITY, "WAREHOUSE_NOT_RETURNED", Some("status")).await;
        let approved = json(decide(&app, &customs, id, "approve", "").await, StatusCode::OK).await;
        assert_eq!(approved["status"], "approved");

        // What the lead's 9810 check reads.
        let mut conn = app.store.reader().await.unwrap();
        let found = kuajing_store::overseas_warehouses::approved_in_country(&mut conn, EXPORTER, "116").await.unwrap().unwrap();
        assert_eq!((found.warehouse_code.as_str(), found.capacity), ("NIIGATA-1", 800));
        assert!(kuajing_store::overseas_warehouses::approved_in_country(&mut conn, EXPORTER, "344").await.unwrap().is_none());
        drop(conn);

        // Who sees what.
        json(register(&app, &other, &japan("TOKYO-1")).await, StatusCode::CREATED).await;
        assert_eq!(codes(&app.get_json(&exporter, "/api/overseas-warehouses").await), [("NIIGATA-1", "approved")]);
        assert_eq!(codes(&app.get_json(&other, "/api/overseas-warehouses").await), [("TOKYO-1", "filed")]);
        assert_eq!(codes(&app.get_json(&customs, "/api/overseas-warehouses?status=filed").await), [("TOKYO-1", "filed")]);
        assert_eq!(app.get_json(&customs, "/api/overseas-warehouses?country=116").await.as_array().unwrap().len(), 2);
        assert_eq!(app.get_json(&app.agency(Role::Tax).await, "/api/overseas-warehouses").await.as_array().unwrap().len(), 2);
        let bad_status = send(app.api(Method::GET, "/api/overseas-warehouses?status=active", &customs)).await;
        expect_error(bad_status, StatusCode::UNPROCESSABLE_ENTITY, "WAREHOUSE_STATUS", Some("status")).await;
        assert_eq!(decide(&app, &customs, 999_999, "approve", "").await.status(), StatusCode::NOT_FOUND);
    }

    async fn bad_registrations_are_refused_with_field_rule_and_value_and_change_nothing(db: TestDatabase) {
        let app = spawn(&db).await;
        let exporter = app.member(EXPORTER, &["ebc"]).await;
        json(register(&app, &exporter, &japan("JP-1")).await, StatusCode::CREATED).await;
        let with = |field: &str, value: Value| {
            let mut body = japan("JP-2");
            body[field] = value;
            body
        };
        for (body, field, code) in [
            (with("country", json!("998")), "country", "CODE_UNKNOWN"),
            (with("country", json!("JP")), "country", "CODE_UNKNOWN"),
            (with("capacity", json!("0")), "capacity", "WAREHOUSE_CAPACITY"),
            (with("capacity", json!("-5")), "capacity", "WAREHOUSE_CAPACITY"),
            (with("capacity", json!("12.5")), "capacity", "WAREHOUSE_CAPACITY"),
            (with("capacity_unit", json!("acre")), "capacity_unit", "WAREHOUSE_CAPACITY_UNIT"),
            (with("warehouse_code", json!("东京 1")), "warehouse_code", "WAREHOUSE_CODE"),
            (with("operator_name", json!(" ")), "operator_name", "WAREHOUSE_TEXT"),
            (with("address", json!("")), "address", "WAREHOUSE_TEXT"),
        ] {
            expect_error(register(&app, &exporter, &body).await, StatusCode::UNPROCESSABLE_ENTITY, code, Some(field)).await;
        }
        expect_error(register(&app, &exporter, &japan("JP-1")).await, StatusCode::CONFLICT, "DUPLICATE", Some("warehouse_code")).await;
        let customs = app.agency(Role::Customs).await;
        assert_eq!(register(&app, &customs, &japan("JP-9")).await.status(), StatusCode::FORBIDDEN, "agencies never file");
        assert_eq!(codes(&app.get_json(&exporter, "/api/overseas-warehouses").await), [("JP-1", "filed")], "nothing else was written");
    }

    async fn the_registry_page_registers_and_decides(db: TestDatabase) {
        let app = spawn(&db).await;
        app.file(EXPORTER, &["ebc"]).await;
        app.add_user(EXPORTER, "exporter").await;
        let exporter = app.signed_in("exporter").await;
        let page = exporter.page("/overseas-warehouses").await;
        assert!(page.contains("href=\"/overseas-warehouses\""), "nav entry");
        let csrf = hidden_csrf(&page);
        let fields = |code: &'static str, country: &'static str| vec![("csrf", csrf.clone()), ("warehouse_code", code.into()),
            ("name", "釜山仓".into()), ("operator_name", "Busan Logistics Co.".into()), ("country", country.into()),
            ("address", "부산광역시 강서구 1".into()), ("capacity", "300".into()), ("capacity_unit", "m3".into())];
        let refused = html(exporter.post_form("/overseas-warehouses", &pairs(&fields("KR-1", "000"))).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(refused.contains("id=\"form-error\""), "{refused}");
        let done = html(exporter.post_form("/overseas-warehouses", &pairs(&fields("KR-1", "133"))).await, StatusCode::OK).await;
        assert!(done.contains("id=\"form-done\"") && done.contains("KR-1") && done.contains("已申报待审"), "{done}");
        // The country by name with its code, and a searchable country field (issue #17).
        assert!(done.contains("<td>韩国 (133)</td>") && done.contains("list=\"codes-country\""), "{done}");
        assert!(!done.contains("/decision\""), "an exporter has no decision form");

        let customs = app.agency(Role::Customs).await;
        app.add_user(&agency_code(Role::Customs), "officer").await;
        let officer = app.signed_in("officer").await;
        let page = officer.page("/overseas-warehouses").await;
        assert!(!page.contains("action=\"/overseas-warehouses\""), "no registering for customs");
        let id = app.get_json(&customs, "/api/overseas-warehouses").await[0]["id"].as_i64().unwrap();
        let action = format!("/overseas-warehouses/{id}/decision");
        assert!(page.contains(&action), "{page}");
        let csrf = hidden_csrf(&page);
        let returned = html(officer.post_form(&action, &[("csrf", csrf.as_str()), ("decision", "return"), ("reason", "缺少租赁合同")]).await, StatusCode::OK).await;
        assert!(returned.contains("缺少租赁合同") && returned.contains("已退回"), "{returned}");

        // The exporter refiles from the page, in English; the officer approves.
        let page = exporter.page("/overseas-warehouses").await;
        let refile = format!("/overseas-warehouses/{id}/refile");
        assert!(page.contains(&refile), "{page}");
        let csrf = hidden_csrf(&page);
        let mut again = fields("KR-1", "133");
        again[0].1 = csrf;
        html(exporter.post_form(&refile, &pairs(&again)).await, StatusCode::OK).await;
        let csrf = hidden_csrf(&officer.page("/overseas-warehouses").await);
        let approved = html(officer.post_form(&action, &[("csrf", csrf.as_str()), ("decision", "approve")]).await, StatusCode::OK).await;
        assert!(approved.contains("已备案"), "{approved}");
        assert!(!approved.contains(&action), "decided: no more decision form");
    }
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
