//! The 无票免税 purchase record over HTTP (issue #7; policy-rules.md §2.4,
//! 财税〔2018〕103号): a retail exporter records purchases linked to its
//! released export lists, lists them by month and by list, downloads the
//! file for the tax office (CSV and XLSX with the fixed headers); the tax
//! office reads every exporter's; bad input — unknown unit, zero or
//! negative quantity, an amount that is not quantity × price to the fen, a
//! list not the exporter's or not released — is refused with field, rule
//! and value and changes nothing; the portal page does the same. Both
//! backends.

use kuajing_core::role::Role;
use kuajing_core::timestamp::Timestamp;
use kuajing_testkit::dual_backend_tests;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{
    TestApp, agency_code, expect_error, header, hidden_csrf, html, json, send, spawn,
};

const EXPORTER: &str = "2224960001";
const OTHER_EXPORTER: &str = "2224960002";

/// Puts an export list numbered `invt_no` of `owner` at `status` in the
/// store, as the intake of export lists (CEB603) leaves it.
pub(crate) async fn export_list(app: &TestApp, owner: &str, invt_no: &str, status: &str) {
    let now = Timestamp::now().to_string();
    let message_id = format!("msg-{invt_no}");
    let mut tx = app.store.begin().await.unwrap();
    kuajing_store::sql::query(
        "INSERT INTO ceb_messages (id, sender_code, message_type, guid, sha256, size_bytes, body, received_at) \
         VALUES ($1, $2, 'CEB603Message', $1, 'test', 0, $3, $4)",
    )
    .bind(&message_id)
    .bind(owner)
    .bind(Vec::<u8>::new())
    .bind(&now)
    .execute(&mut tx)
    .await
    .unwrap();
    kuajing_store::sql::query(
        "INSERT INTO ceb_documents (id, kind, business_key, owner_code, ebp_code, order_no, message_id, position, \
         status, awaiting, body, created_at, updated_at, invt_no) \
         VALUES ($1, 'export-list', $1, $2, $2, $1, $3, 1, $4, 0, '{}', $5, $5, $6)",
    )
    .bind(format!("doc-{invt_no}"))
    .bind(owner)
    .bind(&message_id)
    .bind(status)
    .bind(&now)
    .bind(invt_no)
    .execute(&mut tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

fn honey(date: &str, lists: &[&str]) -> Value {
    json!({"purchase_date": date, "goods_name": "椴树蜜 / linden honey", "unit": "035",
        "quantity": "2.5", "unit_price": "3.33", "amount": "8.33", "seller": "珲春市蜂业合作社",
        "invt_nos": lists})
}

async fn record(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post_json(token, "/api/purchase-records", body).await
}

fn dates(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["purchase_date"].as_str().unwrap())
        .collect()
}

dual_backend_tests! {
    async fn an_exporter_records_purchases_linked_to_its_released_lists(db: TestDatabase) {
        let app = spawn(&db).await;
        let exporter = app.member(EXPORTER, &["ebc"]).await;
        export_list(&app, EXPORTER, "22242026I000000001", "800").await;
        export_list(&app, EXPORTER, "22242026I000000002", "exited").await;
        let saved = json(record(&app, &exporter, &honey("2026-10-31", &["22242026I000000001", "22242026I000000002"])).await, StatusCode::CREATED).await;
        assert_eq!((saved["quantity"].as_str(), saved["unit_price"].as_str(), saved["amount"].as_str()), (Some("2.5"), Some("3.33"), Some("8.33")));
        assert_eq!(saved["invt_nos"], json!(["22242026I000000001", "22242026I000000002"]));
        let mut kilo = honey("2026-11-02", &["22242026I000000002"]);
        kilo["quantity"] = json!("0.333");
        kilo["unit_price"] = json!("0.05");
        kilo["amount"] = json!("0.02");
        json(record(&app, &exporter, &kilo).await, StatusCode::CREATED).await;

        let november = app.get_json(&exporter, "/api/purchase-records?month=2026-11").await;
        assert_eq!(dates(&november), ["2026-11-02"]);
        let by_list = app.get_json(&exporter, "/api/purchase-records?invt_no=22242026I000000002").await;
        assert_eq!(dates(&by_list), ["2026-10-31", "2026-11-02"]);
        let tax = app.agency(Role::Tax).await;
        assert_eq!(dates(&app.get_json(&tax, "/api/purchase-records?month=2026-10").await), ["2026-10-31"]);
        let other = app.member(OTHER_EXPORTER, &["ebc"]).await;
        assert_eq!(app.get_json(&other, "/api/purchase-records").await, json!([]));
        let logistics = app.member("2224960003", &["logistics"]).await;
        assert_eq!(send(app.api(Method::GET, "/api/purchase-records", &logistics)).await.status(), StatusCode::FORBIDDEN);

        // The file for the tax office: fixed headers, one row per linked list.
        let csv = send(app.api(Method::GET, "/api/purchase-records?month=2026-10&format=csv", &tax)).await;
        assert_eq!(csv.status(), StatusCode::OK);
        assert!(header(&csv, "content-type").starts_with("text/csv"));
        assert!(header(&csv, "content-disposition").contains("purchase-records-2026-10.csv"));
        let text = csv.text().await.unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], "purchase_date,goods_name,unit,quantity,unit_price,amount,seller,invt_no");
        assert_eq!(lines[1..], [
            "2026-10-31,椴树蜜 / linden honey,035,2.5,3.33,8.33,珲春市蜂业合作社,22242026I000000001",
            "2026-10-31,椴树蜜 / linden honey,035,2.5,3.33,8.33,珲春市蜂业合作社,22242026I000000002",
        ]);
        let xlsx = send(app.api(Method::GET, "/api/purchase-records?format=xlsx", &exporter)).await;
        assert_eq!(xlsx.status(), StatusCode::OK);
        assert!(header(&xlsx, "content-type").contains("spreadsheetml"));
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"), "a zip");
    }

    async fn bad_purchases_are_refused_with_field_rule_and_value_and_change_nothing(db: TestDatabase) {
        let app = spawn(&db).await;
        let exporter = app.member(EXPORTER, &["ebc"]).await;
        export_list(&app, EXPORTER, "22242026I000000001", "800").await;
        export_list(&app, EXPORTER, "22242026I000000003", "120").await;
        export_list(&app, OTHER_EXPORTER, "22242026I000000009", "800").await;
        let ok = ["22242026I000000001"];
        let with = |field: &str, value: Value| {
            let mut body = honey("2026-10-31", &ok);
            body[field] = value;
            body
        };
        for (body, field, code) in [
            (with("unit", json!("999")), "unit", "CODE_UNKNOWN"),
            (with("quantity", json!("0")), "quantity", "PURCHASE_QUANTITY"),
            (with("quantity", json!("-1")), "quantity", "PURCHASE_QUANTITY"),
            (with("quantity", json!("0.000001")), "quantity", "PURCHASE_QUANTITY"),
            (with("amount", json!("8.32")), "amount", "PURCHASE_AMOUNT"),
            (with("amount", json!("8.325")), "amount", "PURCHASE_MONEY"),
            (with("unit_price", json!("0")), "unit_price", "PURCHASE_MONEY"),
            (with("purchase_date", json!("2999-01-01")), "purchase_date", "PURCHASE_DATE"),
            (with("purchase_date", json!("2026-02-30")), "purchase_date", "PURCHASE_DATE"),
            (with("seller", json!(" ")), "seller", "PURCHASE_TEXT"),
            (with("invt_nos", json!([])), "invt_nos", "PURCHASE_LISTS"),
            (with("invt_nos", json!(["22242026I000000001", "22242026I000000001"])), "invt_nos", "PURCHASE_LIST_TWICE"),
            (with("invt_nos", json!(["22242026I000000001", "22242026I000000404"])), "invt_nos", "PURCHASE_LIST_UNKNOWN"),
            (with("invt_nos", json!(["22242026I000000009"])), "invt_nos", "PURCHASE_LIST_UNKNOWN"),
            (with("invt_nos", json!(["22242026I000000003"])), "invt_nos", "PURCHASE_LIST_NOT_RELEASED"),
        ] {
            expect_error(record(&app, &exporter, &body).await, StatusCode::UNPROCESSABLE_ENTITY, code, Some(field)).await;
        }
        let mismatch = expect_error(record(&app, &exporter, &with("amount", json!("8.32"))).await, StatusCode::UNPROCESSABLE_ENTITY, "PURCHASE_AMOUNT", Some("amount")).await;
        assert!(mismatch["message_en"].as_str().unwrap().contains("2.5 × 3.33 = 8.33"), "{mismatch}");
        let bad_month = send(app.api(Method::GET, "/api/purchase-records?month=2026-13", &exporter)).await;
        expect_error(bad_month, StatusCode::UNPROCESSABLE_ENTITY, "PURCHASE_MONTH", Some("month")).await;
        let customs = app.agency(Role::Customs).await;
        assert_eq!(record(&app, &customs, &honey("2026-10-31", &ok)).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.get_json(&exporter, "/api/purchase-records").await, json!([]), "nothing was written");
    }

    async fn the_purchase_page_records_shows_the_month_and_offers_the_files(db: TestDatabase) {
        let app = spawn(&db).await;
        app.file(EXPORTER, &["ebc"]).await;
        app.add_user(EXPORTER, "seller").await;
        export_list(&app, EXPORTER, "22242026I000000001", "800").await;
        let browser = app.signed_in("seller").await;
        let page = browser.page("/purchase-records").await;
        assert!(page.contains("href=\"/purchase-records\""), "nav entry");
        let csrf = hidden_csrf(&page);
        let fields = |amount: &'static str| vec![("csrf", csrf.clone()), ("purchase_date", "2026-10-31".to_owned()),
            ("goods_name", "椴树蜜".to_owned()), ("unit", "035".to_owned()), ("quantity", "2.5".to_owned()),
            ("unit_price", "3.33".to_owned()), ("amount", amount.to_owned()), ("seller", "珲春市蜂业合作社".to_owned()),
            ("invt_nos", "22242026I000000001".to_owned())];
        let as_pairs = |f: &[(&'static str, String)]| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
        let wrong = as_pairs(&fields("8.32"));
        let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = html(browser.post_form("/purchase-records", &wrong).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(refused.contains("id=\"form-error\"") && refused.contains("8.33"), "{refused}");
        assert!(refused.contains("value=\"8.32\""), "the form keeps what was typed");
        let right = as_pairs(&fields("8.33"));
        let right: Vec<(&str, &str)> = right.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let done = html(browser.post_form("/purchase-records", &right).await, StatusCode::OK).await;
        assert!(done.contains("id=\"form-done\"") && done.contains("id=\"total\">8.33<"), "{done}");
        assert!(done.contains("/purchase-records/export?format=csv&#38;month=2026-10"), "{done}");
        let csv = browser.get("/purchase-records/export?format=csv&month=2026-10").await;
        assert_eq!(csv.status(), StatusCode::OK);
        assert!(csv.text().await.unwrap().contains("2026-10-31,椴树蜜,035,2.5,3.33,8.33,珲春市蜂业合作社,22242026I000000001"));
        let xlsx = browser.get("/purchase-records/export?format=xlsx&month=2026-10").await;
        assert_eq!(xlsx.status(), StatusCode::OK);

        // The tax officer reads it without a form.
        app.agency(Role::Tax).await;
        app.add_user(&agency_code(Role::Tax), "taxman").await;
        let officer = app.signed_in("taxman").await;
        let page = officer.page("/purchase-records?month=2026-10").await;
        assert!(page.contains("22242026I000000001") && !page.contains("method=\"post\" action=\"/purchase-records\""), "{page}");
    }
}
