//! Bonded e-account books over HTTP (issue #6): a zone warehouse keeps its
//! book — opens it, adds a stock line, records entries, goods out, returns
//! and adjustments — and reads stock and ledger; customs reads every book;
//! nobody else sees one; bad input is refused with field, rule and value
//! and changes nothing. Both backends.

use kuajing_core::role::Role;
use kuajing_testkit::dual_backend_tests;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, json, spawn};

const WAREHOUSE: &str = "2224960005";
const OTHER_WAREHOUSE: &str = "2224960006";
const BOOK: &str = "T1909W000001";

/// The warehouse's token, with its book and one line (honey, kg).
async fn warehouse_with_book(app: &TestApp) -> String {
    let token = app.member(WAREHOUSE, &["warehouse"]).await;
    let book = json!({"ems_no": BOOK, "zone_code": "1909", "name": "珲春综保区保税仓"});
    let opened = json(
        app.post_json(&token, "/api/ems/books", &book).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(opened["owner_code"], WAREHOUSE);
    let line = json!({"item_no": "HONEY-500G", "hs_code": "0409000000", "goods_name": "椴树蜂蜜",
        "unit": "035", "currency": "142", "unit_value": "84.00"});
    let added = json(
        app.post_json(&token, &format!("/api/ems/books/{BOOK}/lines"), &line)
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (added["stock"].as_str(), added["unit_value"].as_str()),
        (Some("0"), Some("84"))
    );
    token
}

/// A movement body.
fn movement(kind: &str, quantity: &str, reason: &str, approver: Option<&str>) -> Value {
    json!({"item_no": "HONEY-500G", "kind": kind, "quantity": quantity, "unit": "035",
        "reference": format!("{kind} record"), "reason": reason, "approved_by": approver,
        "purpose": (kind == "goods-out").then_some("transfer-out")})
}

async fn record(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post_json(token, &format!("/api/ems/books/{BOOK}/movements"), body)
        .await
}

async fn stock(app: &TestApp, token: &str) -> String {
    let book = app.get_json(token, &format!("/api/ems/books/{BOOK}")).await;
    book["lines"][0]["stock"].as_str().unwrap().to_owned()
}

/// A 422 naming `field` and `code`.
async fn refused(response: reqwest::Response, field: &str, code: &str) {
    let body = json(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (body["field"].as_str(), body["code"].as_str()),
        (Some(field), Some(code)),
        "{body}"
    );
    assert!(body["message_zh"].is_string() && body["message_en"].is_string());
}

dual_backend_tests! {
    async fn a_warehouse_keeps_its_book_and_customs_reads_it(db: TestDatabase) {
        let app = spawn(&db).await;
        let token = warehouse_with_book(&app).await;
        let steps = [
            (movement("first-line-in", "100", "", None), "100"),
            (movement("goods-out", "10.5", "区间调拨 / transfer to another zone", None), "89.5"),
            (movement("return-in", "2", "", None), "91.5"),
            (movement("adjustment", "-0.5", "破损销毁 / destroyed, damaged", Some("王海关")), "91"),
        ];
        for (body, after) in &steps {
            json(record(&app, &token, body).await, StatusCode::CREATED).await;
            assert_eq!(stock(&app, &token).await, *after, "{body}");
        }
        let ledger = app.get_json(&token, &format!("/api/ems/books/{BOOK}/movements?after=0")).await;
        let quantities: Vec<&str> = ledger.as_array().unwrap().iter().map(|m| m["quantity"].as_str().unwrap()).collect();
        assert_eq!(quantities, ["100", "-10.5", "2", "-0.5"]);
        assert_eq!(ledger[3]["approved_by"], "王海关");

        // Customs reads every book; another warehouse and an enterprise of
        // another role see none.
        let customs = app.agency(Role::Customs).await;
        assert_eq!(app.get_json(&customs, &format!("/api/ems/books/{BOOK}")).await["lines"][0]["stock"], "91");
        assert_eq!(app.get_json(&customs, "/api/ems/books").await.as_array().unwrap().len(), 1);
        let other = app.member(OTHER_WAREHOUSE, &["warehouse"]).await;
        assert_eq!(app.get_json(&other, "/api/ems/books").await, json!([]));
        let hidden = crate::support::send(app.api(reqwest::Method::GET, &format!("/api/ems/books/{BOOK}"), &other)).await;
        assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
        let ebc = app.member("2224960007", &["ebc"]).await;
        let denied = crate::support::send(app.api(reqwest::Method::GET, "/api/ems/books", &ebc)).await;
        assert_eq!(denied.status(), StatusCode::FORBIDDEN);
    }

    async fn bad_movements_are_refused_with_field_rule_and_value_and_change_nothing(db: TestDatabase) {
        let app = spawn(&db).await;
        let token = warehouse_with_book(&app).await;
        json(record(&app, &token, &movement("first-line-in", "5", "", None)).await, StatusCode::CREATED).await;

        refused(record(&app, &token, &movement("goods-out", "6", "一般贸易 / general trade", None)).await, "quantity", "EMS_OVERDRAWN").await;
        refused(record(&app, &token, &movement("first-line-in", "0", "", None)).await, "quantity", "EMS_QUANTITY").await;
        refused(record(&app, &token, &movement("first-line-in", "-3", "", None)).await, "quantity", "EMS_QUANTITY").await;
        refused(record(&app, &token, &movement("first-line-in", "0.000001", "", None)).await, "quantity", "EMS_QUANTITY").await;
        refused(record(&app, &token, &movement("retail-out", "1", "", None)).await, "kind", "EMS_KIND").await;
        refused(record(&app, &token, &movement("goods-out", "1", "", None)).await, "reason", "EMS_REASON").await;
        refused(record(&app, &token, &movement("adjustment", "-1", "盘亏", None)).await, "approved_by", "EMS_APPROVER").await;
        let mut other_unit = movement("first-line-in", "1", "", None);
        other_unit["unit"] = json!("007");
        refused(record(&app, &token, &other_unit).await, "unit", "EMS_UNIT").await;
        let mut unknown = movement("first-line-in", "1", "", None);
        unknown["item_no"] = json!("NO-SUCH-ITEM");
        assert_eq!(record(&app, &token, &unknown).await.status(), StatusCode::NOT_FOUND);
        // Another warehouse cannot move this book's goods: it does not see it.
        let other = app.member(OTHER_WAREHOUSE, &["warehouse"]).await;
        assert_eq!(record(&app, &other, &movement("first-line-in", "1", "", None)).await.status(), StatusCode::NOT_FOUND);
        // A book number taken, or malformed.
        let again = json!({"ems_no": BOOK, "zone_code": "1909", "name": "x"});
        assert_eq!(app.post_json(&token, "/api/ems/books", &again).await.status(), StatusCode::CONFLICT);
        let malformed = json!({"ems_no": "t1909'; DROP TABLE ems_books;--", "zone_code": "1909", "name": "x"});
        refused(app.post_json(&token, "/api/ems/books", &malformed).await, "ems_no", "EMS_NUMBER").await;

        assert_eq!(stock(&app, &token).await, "5", "nothing changed");
        let ledger = app.get_json(&token, &format!("/api/ems/books/{BOOK}/movements")).await;
        assert_eq!(ledger.as_array().unwrap().len(), 1);
    }

    async fn the_portal_shows_the_book_and_its_keeper_records_movements(db: TestDatabase) {
        let app = spawn(&db).await;
        warehouse_with_book(&app).await;
        app.add_user(WAREHOUSE, "clerk").await;
        let clerk = app.signed_in("clerk").await;
        let books = clerk.page("/bonded").await;
        assert!(books.contains("id=\"books\"") && books.contains(BOOK), "{books}");
        let page = clerk.page(&format!("/bonded/{BOOK}")).await;
        assert!(page.contains("id=\"stock\"") && page.contains("HONEY-500G"), "{page}");
        assert!(page.contains(&format!("action=\"/bonded/{BOOK}/movements\"")), "the keeper's form");

        // Recorded through the form; a bad quantity is named, nothing kept.
        let csrf = clerk.csrf().await;
        let path = format!("/bonded/{BOOK}/movements");
        let fields = |quantity: &'static str| {
            vec![("kind", "first-line-in"), ("item_no", "HONEY-500G"), ("quantity", quantity),
                ("unit", "035"), ("reference", "QD1909260009"), ("reason", ""), ("approved_by", "")]
        };
        let mut good = fields("12.5");
        good.push(("csrf", &csrf));
        let page = crate::support::html(clerk.post_form(&path, &good).await, StatusCode::OK).await;
        assert!(page.contains("id=\"recorded\"") && page.contains("12.5"), "{page}");
        let mut bad = fields("-1");
        bad.push(("csrf", &csrf));
        let page = crate::support::html(clerk.post_form(&path, &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(page.contains("id=\"form-error\""), "{page}");
        assert_eq!(stock(&app, &app.issue_token(WAREHOUSE).await.1).await, "12.5");

        // Customs reads the book, without the form; another warehouse cannot.
        app.agency(Role::Customs).await;
        let customs = crate::support::agency_code(Role::Customs);
        app.add_user(&customs, "officer").await;
        let officer = app.signed_in("officer").await;
        let page = officer.page(&format!("/bonded/{BOOK}")).await;
        assert!(page.contains("id=\"ledger\"") && page.contains("QD1909260009"), "{page}");
        assert!(!page.contains(&format!("action=\"/bonded/{BOOK}/movements\"")), "no movement form for customs");
        app.member(OTHER_WAREHOUSE, &["warehouse"]).await;
        app.add_user(OTHER_WAREHOUSE, "stranger").await;
        let stranger = app.signed_in("stranger").await;
        assert_eq!(stranger.get(&format!("/bonded/{BOOK}")).await.status(), StatusCode::NOT_FOUND);
    }
}
