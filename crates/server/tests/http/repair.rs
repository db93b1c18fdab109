//! Bonded after-sales repair over HTTP (保税维修, issue #6; GACC 2015
//! No. 59): a zone warehouse receives goods from abroad and from the
//! domestic market, records them repaired or unrepairable and shipped, the
//! materials used and the scrap that left as solid waste, and reads its
//! repair book; customs reads every book; nobody else sees one; bad input
//! is refused with field, rule and value and changes nothing; the repair
//! desk in the portal does the same. Both backends.

use kuajing_core::role::Role;
use kuajing_testkit::dual_backend_tests;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, agency_code, expect_error, html, json, location, send, spawn};

const WAREHOUSE: &str = "2224960005";
const OTHER_WAREHOUSE: &str = "2224960006";

/// Goods received for repair, `quantity` of them, from `origin`.
fn goods(origin: &str, quantity: &str) -> Value {
    json!({"origin": origin, "customer_name": "Владивосток Электроника ООО",
        "goods_name": "笔记本电脑 / laptop", "hs_code": "8471300000", "unit": "001",
        "quantity": quantity, "currency": "142", "declared_value": "12000.50",
        "received_on": "2026-01-05", "reference": "QD1909260100"})
}

/// Opens an order with `token`: its number.
async fn open(app: &TestApp, token: &str, body: &Value) -> String {
    let order = json(
        app.post_json(token, "/api/repair/orders", body).await,
        StatusCode::CREATED,
    )
    .await;
    order["order_no"].as_str().unwrap().to_owned()
}

fn step(kind: &str, quantity: &str) -> Value {
    json!({"kind": kind, "quantity": quantity, "reference": format!("{kind} doc"),
        "note": "换主板 / board replaced"})
}

async fn post(
    app: &TestApp,
    token: &str,
    order_no: &str,
    what: &str,
    body: &Value,
) -> reqwest::Response {
    app.post_json(
        token,
        &format!("/api/repair/orders/{order_no}/{what}"),
        body,
    )
    .await
}

async fn order(app: &TestApp, token: &str, order_no: &str) -> Value {
    app.get_json(token, &format!("/api/repair/orders/{order_no}"))
        .await
}

/// A 422 naming `field` and `code`.
async fn refused(response: reqwest::Response, field: &str, code: &str) {
    expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        code,
        Some(field),
    )
    .await;
}

/// A form's fields with the session's CSRF token.
fn with_csrf<'a>(fields: &[(&'a str, &'a str)], csrf: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut all = fields.to_vec();
    all.push(("csrf", csrf));
    all
}

fn numbers(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_no"].as_str().unwrap())
        .collect()
}

dual_backend_tests! {
    async fn a_warehouse_repairs_goods_and_customs_reads_its_book(db: TestDatabase) {
        let app = spawn(&db).await;
        let token = app.member(WAREHOUSE, &["warehouse"]).await;
        let laptops = open(&app, &token, &goods("abroad", "10")).await;
        let phones = open(&app, &token, &goods("domestic", "2.5")).await;
        assert!(laptops.starts_with("WX") && laptops != phones, "{laptops} {phones}");
        for (kind, quantity) in [("repaired", "7"), ("unrepairable", "2"), ("shipped-repaired", "7"), ("shipped-unrepairable", "2")] {
            json(post(&app, &token, &laptops, "movements", &step(kind, quantity)).await, StatusCode::CREATED).await;
        }
        json(post(&app, &token, &phones, "movements", &step("repaired", "2.5")).await, StatusCode::CREATED).await;
        let screen = json!({"name": "屏幕 / screen", "hs_code": "8473309000", "unit": "001", "quantity": "7"});
        json(post(&app, &token, &laptops, "materials", &screen).await, StatusCode::CREATED).await;
        let scrap = json!({"description": "坏主板 / faulty boards", "weight_kg": "3.25",
            "disposal_enterprise": "珲春市环保处置有限公司", "disposal_record_no": "GF2026-0042"});
        json(post(&app, &token, &phones, "scrap", &scrap).await, StatusCode::CREATED).await;

        let seen = order(&app, &token, &laptops).await;
        assert_eq!((seen["origin"].as_str(), seen["declared_value"].as_str()), (Some("abroad"), Some("12000.5")));
        let counts: Vec<&str> = ["received", "awaiting", "repaired", "unrepairable", "shipped_repaired", "shipped_unrepairable"]
            .iter().map(|k| seen[*k].as_str().unwrap()).collect();
        assert_eq!(counts, ["10", "1", "7", "2", "7", "2"]);
        let kinds: Vec<&str> = seen["movements"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["received", "repaired", "unrepairable", "shipped-repaired", "shipped-unrepairable"]);
        assert_eq!(seen["materials"][0]["quantity"], "7");
        assert_eq!(order(&app, &token, &phones).await["scrap"][0]["weight_kg"], "3.25");

        let book = app.get_json(&token, "/api/repair/book").await;
        assert_eq!(book["owner_code"], WAREHOUSE);
        assert_eq!(book["goods"], json!([{"unit": "001", "orders": 2, "received": "12.5", "awaiting": "1",
            "repaired": "9.5", "unrepairable": "2", "shipped": "9", "balances": true}]));
        assert_eq!(book["materials"], json!([{"hs_code": "8473309000", "unit": "001", "quantity": "7"}]));
        assert_eq!(book["scrap_kg"], "3.25");
        assert_eq!(book["ledger_differences"], json!([]), "the book agrees with its ledger");
        let awaiting = app.get_json(&token, "/api/repair/orders?state=awaiting").await;
        assert_eq!(numbers(&awaiting), [laptops.as_str()]);
        let domestic = app.get_json(&token, "/api/repair/orders?origin=domestic&state=repaired").await;
        assert_eq!(numbers(&domestic), [phones.as_str()]);

        // Customs reads every book; another warehouse and an enterprise of
        // another role see none.
        let customs = app.agency(Role::Customs).await;
        assert_eq!(order(&app, &customs, &laptops).await["awaiting"], "1");
        assert_eq!(app.get_json(&customs, "/api/repair/book").await["owner_code"], Value::Null);
        assert_eq!(numbers(&app.get_json(&customs, "/api/repair/orders").await).len(), 2);
        let denied = post(&app, &customs, &laptops, "movements", &step("repaired", "1")).await;
        assert_eq!(denied.status(), StatusCode::FORBIDDEN, "customs reads, never keeps");
        let other = app.member(OTHER_WAREHOUSE, &["warehouse"]).await;
        assert_eq!(app.get_json(&other, "/api/repair/orders").await, json!([]));
        assert_eq!(app.get_json(&other, "/api/repair/book").await["goods"], json!([]));
        let hidden = send(app.api(Method::GET, &format!("/api/repair/orders/{laptops}"), &other)).await;
        assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
        assert_eq!(post(&app, &other, &laptops, "materials", &screen).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(post(&app, &other, &phones, "scrap", &scrap).await.status(), StatusCode::NOT_FOUND);
        let ebc = app.member("2224960007", &["ebc"]).await;
        for path in ["/api/repair/orders", "/api/repair/book"] {
            assert_eq!(send(app.api(Method::GET, path, &ebc)).await.status(), StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(app.post_json(&ebc, "/api/repair/orders", &goods("abroad", "1")).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(order(&app, &token, &laptops).await["materials"].as_array().unwrap().len(), 1, "nothing added");
    }

    async fn bad_steps_are_refused_with_field_rule_and_value_and_change_nothing(db: TestDatabase) {
        let app = spawn(&db).await;
        let token = app.member(WAREHOUSE, &["warehouse"]).await;
        let abroad = open(&app, &token, &goods("abroad", "3")).await;
        json(post(&app, &token, &abroad, "movements", &step("repaired", "1")).await, StatusCode::CREATED).await;
        let before = order(&app, &token, &abroad).await;

        let moves = |kind: &str, quantity: &str| step(kind, quantity);
        for (body, field, code) in [
            (moves("repaired", "3"), "quantity", "REPAIR_OVERDRAWN"),
            (moves("unrepairable", "2.00001"), "quantity", "REPAIR_OVERDRAWN"),
            (moves("shipped-repaired", "2"), "quantity", "REPAIR_OVERDRAWN"),
            (moves("shipped-unrepairable", "1"), "quantity", "REPAIR_OVERDRAWN"),
            (moves("repaired", "0"), "quantity", "REPAIR_QUANTITY"),
            (moves("repaired", "-1"), "quantity", "REPAIR_QUANTITY"),
            (moves("repaired", "0.000001"), "quantity", "REPAIR_QUANTITY"),
            (moves("repaired", "one"), "quantity", "REPAIR_QUANTITY"),
            (moves("received", "1"), "kind", "REPAIR_KIND"),
            (moves("scrapped", "1"), "kind", "REPAIR_KIND"),
            (json!({"kind": "shipped-repaired", "quantity": "1"}), "reference", "REPAIR_REFERENCE"),
            (json!({"kind": "unrepairable", "quantity": "1", "reference": "x"}), "note", "REPAIR_NOTE"),
        ] {
            refused(post(&app, &token, &abroad, "movements", &body).await, field, code).await;
        }
        let bad_material = json!({"name": "屏幕", "hs_code": "84733090", "unit": "001", "quantity": "1"});
        refused(post(&app, &token, &abroad, "materials", &bad_material).await, "hs_code", "ID_LENGTH").await;
        let no_name = json!({"name": " ", "hs_code": "8473309000", "unit": "001", "quantity": "1"});
        refused(post(&app, &token, &abroad, "materials", &no_name).await, "name", "REPAIR_TEXT").await;
        let scrap = json!({"description": "坏件", "weight_kg": "1", "disposal_enterprise": "x", "disposal_record_no": "y"});
        refused(post(&app, &token, &abroad, "scrap", &scrap).await, "origin", "REPAIR_SCRAP_ORIGIN").await;
        let unknown = post(&app, &token, "WX20260101999999", "movements", &step("repaired", "1")).await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        // The other warehouse cannot step this order: it does not see it.
        let other = app.member(OTHER_WAREHOUSE, &["warehouse"]).await;
        assert_eq!(post(&app, &other, &abroad, "movements", &step("repaired", "1")).await.status(), StatusCode::NOT_FOUND);

        // Opening: each field named.
        let with = |field: &str, value: Value| {
            let mut body = goods("abroad", "1");
            body[field] = value;
            body
        };
        for (body, field, code) in [
            (with("origin", json!("overseas")), "origin", "REPAIR_ORIGIN"),
            (with("quantity", json!("0")), "quantity", "REPAIR_QUANTITY"),
            (with("hs_code", json!("8471")), "hs_code", "ID_LENGTH"),
            (with("unit", json!("pcs")), "unit", "REPAIR_CODE"),
            (with("declared_value", json!("-5")), "declared_value", "REPAIR_VALUE"),
            (with("received_on", json!("2999-01-01")), "received_on", "REPAIR_DATE"),
            (with("received_on", json!("2026-02-30")), "received_on", "REPAIR_DATE"),
            (with("customer_name", json!("")), "customer_name", "REPAIR_TEXT"),
        ] {
            refused(app.post_json(&token, "/api/repair/orders", &body).await, field, code).await;
        }
        let mut missing = goods("abroad", "1");
        missing.as_object_mut().unwrap().remove("goods_name");
        let malformed = app.post_json(&token, "/api/repair/orders", &missing).await;
        expect_error(malformed, StatusCode::BAD_REQUEST, "BODY_MALFORMED", Some("goods_name")).await;
        let bad_filter = send(app.api(Method::GET, "/api/repair/orders?state=lost", &token)).await;
        expect_error(bad_filter, StatusCode::UNPROCESSABLE_ENTITY, "REPAIR_STATE", Some("state")).await;

        // Nothing changed: one order, its ledger as it was.
        assert_eq!(order(&app, &token, &abroad).await, before);
        assert_eq!(numbers(&app.get_json(&token, "/api/repair/orders").await), [abroad.as_str()]);
        let book = app.get_json(&token, "/api/repair/book").await;
        assert_eq!((book["goods"][0]["received"].as_str(), book["scrap_kg"].as_str()), (Some("3"), Some("0")));
    }

    async fn the_repair_desk_shows_the_book_and_its_keeper_records_each_step(db: TestDatabase) {
        let app = spawn(&db).await;
        app.member(WAREHOUSE, &["warehouse"]).await;
        app.add_user(WAREHOUSE, "fixer").await;
        let fixer = app.signed_in("fixer").await;
        let desk = fixer.page("/repair").await;
        assert!(desk.contains("href=\"/repair\"") && desk.contains("action=\"/repair/orders\""), "{desk}");

        // Goods received through the form: the order's page.
        let csrf = fixer.csrf().await;
        let received = [("csrf", csrf.as_str()), ("origin", "domestic"), ("customer_name", "张伟"),
            ("goods_name", "手机 / phone"), ("hs_code", "8517130000"), ("unit", "001"), ("quantity", "4"),
            ("currency", "142"), ("declared_value", "3999"), ("received_on", "2026-01-05"), ("reference", "")];
        let opened = fixer.post_form("/repair/orders", &received).await;
        assert_eq!(opened.status(), StatusCode::SEE_OTHER);
        let path = location(&opened);
        let order_no = path.trim_start_matches("/repair/").to_owned();
        assert!(order_no.starts_with("WX"), "{path}");
        let page = fixer.page(&path).await;
        assert!(page.contains("id=\"ledger\"") && page.contains(&format!("action=\"{path}/movements\"")), "{page}");
        assert!(page.contains(&format!("action=\"{path}/scrap\"")), "domestic goods may leave scrap");

        // Each step through its form; a bad one is named and kept out.
        let form = |fields: &[(&'static str, &'static str)]| with_csrf(fields, &csrf);
        let repaired = form(&[("kind", "repaired"), ("quantity", "3"), ("reference", ""), ("note", "")]);
        let page = html(fixer.post_form(&format!("{path}/movements"), &repaired).await, StatusCode::OK).await;
        assert!(page.contains("id=\"recorded\""), "{page}");
        let too_many = form(&[("kind", "repaired"), ("quantity", "2"), ("reference", ""), ("note", "")]);
        let page = html(fixer.post_form(&format!("{path}/movements"), &too_many).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(page.contains("id=\"form-error\""), "{page}");
        let material = form(&[("name", "电池 / battery"), ("hs_code", "8507600090"), ("unit", "001"), ("quantity", "3")]);
        let page = html(fixer.post_form(&format!("{path}/materials"), &material).await, StatusCode::OK).await;
        assert!(page.contains("id=\"materials\"") && page.contains("8507600090"), "{page}");
        let scrap = form(&[("description", "旧电池 / old batteries"), ("weight_kg", "0.45"),
            ("disposal_enterprise", "珲春市环保处置有限公司"), ("disposal_record_no", "GF2026-0043")]);
        let page = html(fixer.post_form(&format!("{path}/scrap"), &scrap).await, StatusCode::OK).await;
        assert!(page.contains("id=\"scrap\"") && page.contains("GF2026-0043"), "{page}");
        let shipped = form(&[("kind", "shipped-repaired"), ("quantity", "3"), ("reference", "FH2026-0001"), ("note", "")]);
        html(fixer.post_form(&format!("{path}/movements"), &shipped).await, StatusCode::OK).await;

        let token = app.issue_token(WAREHOUSE).await.1;
        let seen = order(&app, &token, &order_no).await;
        assert_eq!((seen["awaiting"].as_str(), seen["repaired"].as_str(), seen["shipped_repaired"].as_str()), (Some("1"), Some("3"), Some("3")));
        let desk = fixer.page("/repair?state=awaiting&origin=domestic").await;
        assert!(desk.contains("id=\"book\"") && desk.contains("id=\"orders\"") && desk.contains(&order_no), "{desk}");
        assert!(desk.contains("0.45 kg") && desk.contains("id=\"ledger-agrees\""), "{desk}");
        let none = fixer.page("/repair?state=shipped").await;
        assert!(!none.contains(&format!("href=\"/repair/{order_no}\"")), "{none}");

        // Customs reads the desk and the order, without forms, in English
        // too; another warehouse cannot see the order.
        app.agency(Role::Customs).await;
        app.add_user(&agency_code(Role::Customs), "officer").await;
        let officer = app.signed_in("officer").await;
        let page = officer.page(&path).await;
        assert!(page.contains("GF2026-0043") && !page.contains("method=\"post\" action=\"/repair"), "{page}");
        assert!(!officer.page("/repair").await.contains("action=\"/repair/orders\""), "no opening for customs");
        officer.get("/lang/en?next=/repair").await;
        assert!(officer.page("/repair").await.contains("Bonded repair desk"));
        app.member(OTHER_WAREHOUSE, &["warehouse"]).await;
        app.add_user(OTHER_WAREHOUSE, "stranger").await;
        let stranger = app.signed_in("stranger").await;
        assert_eq!(stranger.get(&path).await.status(), StatusCode::NOT_FOUND);
        let csrf = stranger.csrf().await;
        let sneak = [("csrf", csrf.as_str()), ("kind", "repaired"), ("quantity", "1"), ("reference", ""), ("note", "")];
        assert_eq!(stranger.post_form(&format!("{path}/movements"), &sneak).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(order(&app, &token, &order_no).await["awaiting"], "1", "nothing changed");
    }
}
