//! Reference data imports over the API: all rows or none, every bad row
//! named, counts of what changed, effective dates, and the file's form.

use kuajing_core::role::Role;
use kuajing_testkit::dual_backend_tests;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, Response, StatusCode};
use serde_json::Value;

use crate::support::{TestApp, expect_error, json, send, spawn};

const HEADER: &str = "hs_code,name_zh,unit1,unit2,vat_rate,ct_kind,ct_ad_valorem_rate,\
                      ct_specific_amount,ct_specific_unit,mfn_duty_rate,positive_list,positive_list_remark";
/// Not in the seed tariff.
const NEW_LINE: &str = "0409000010,蜂蜜制品（测试）,035,,0.09,none,,,,0.15,false,";
/// The seed's line of other bee products, its MFN rate changed.
const CHANGED_LINE: &str = "0410902900,其他蜂产品,035,,0.13,none,,,,0.10,false,";
/// The seed's honey line as it is.
const SAME_LINE: &str = "0409000000,天然蜂蜜,035,,0.09,none,,,,0.15,true,";

fn csv(rows: &[&str]) -> String {
    let mut file = HEADER.to_owned();
    for row in rows {
        file.push('\n');
        file.push_str(row);
    }
    file.push('\n');
    file
}

/// Imports `body` as `kind` with `content_type` (query `query`) as `token`.
async fn import(
    app: &TestApp,
    token: &str,
    kind: &str,
    query: &str,
    content_type: &str,
    body: String,
) -> Response {
    let path = format!("/api/reference/import/{kind}?{query}");
    let request = app.api(Method::POST, &path, token);
    send(request.header(CONTENT_TYPE, content_type).body(body)).await
}

/// Imports tariff lines `rows` as `token`.
async fn import_tariff(app: &TestApp, token: &str, rows: &[&str]) -> Response {
    import(app, token, "tariff", "", "text/csv", csv(rows)).await
}

/// The versions and the whole tariff in force, to compare before and after.
async fn snapshot(app: &TestApp, token: &str) -> (Value, Value) {
    (
        app.get_json(token, "/api/reference/versions").await,
        app.get_json(token, "/api/reference/tariff").await,
    )
}

/// The bad rows of a refused import: (line, field, rule).
fn bad_rows(refusal: &Value) -> Vec<(u64, String, String)> {
    refusal["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("no rows in {refusal}"))
        .iter()
        .map(|r| {
            let text = |key: &str| r[key].as_str().unwrap_or("").to_owned();
            (r["line"].as_u64().unwrap(), text("field"), text("rule"))
        })
        .collect()
}

/// The counts of an import: (added, updated, unchanged).
fn counts(version: &Value) -> (i64, i64, i64) {
    let count = |key: &str| version[key].as_i64().unwrap();
    (
        count("rows_added"),
        count("rows_updated"),
        count("rows_unchanged"),
    )
}

dual_backend_tests! {
    async fn an_import_with_one_bad_row_changes_nothing(db: TestDatabase) {
        let app = spawn(&db).await;
        let customs = app.agency(Role::Customs).await;
        let before = snapshot(&app, &customs).await;
        let bad = "0409000020,坏行,035,,abc,none,,,,0.15,false,";
        let response = import_tariff(&app, &customs, &[NEW_LINE, bad, CHANGED_LINE]).await;
        let refusal = expect_error(
            response, StatusCode::UNPROCESSABLE_ENTITY, "IMPORT_BAD_ROWS", Some("file"),
        ).await;
        assert_eq!(bad_rows(&refusal), [(3, "vat_rate".to_owned(), "RATE_FORMAT".to_owned())]);
        assert_eq!(refusal["rows"][0]["value"], "abc", "{refusal}");
        assert_eq!(snapshot(&app, &customs).await, before, "a refused import changed something");
    }

    async fn an_import_counts_what_it_adds_updates_and_leaves(db: TestDatabase) {
        let app = spawn(&db).await;
        let customs = app.agency(Role::Customs).await;
        let rows = [NEW_LINE, CHANGED_LINE, SAME_LINE];
        let first = json(import_tariff(&app, &customs, &rows).await, StatusCode::CREATED).await;
        assert_eq!(counts(&first), (1, 1, 1), "{first}");
        assert_eq!(first["kind"], "tariff");
        assert_eq!(first["version_no"], 2, "the seed is version 1: {first}");
        let added = app.get_json(&customs, "/api/reference/tariff/0409000010").await;
        assert_eq!(added["version_no"], 2, "{added}");
        let changed = app.get_json(&customs, "/api/reference/tariff/0410902900").await;
        assert_eq!(changed["mfn_duty_rate"], "0.1", "{changed}");
        let kept = app.get_json(&customs, "/api/reference/tariff/0409000000").await;
        assert_eq!(kept["version_no"], 1, "an unchanged row keeps its version: {kept}");
        let untouched = app.get_json(&customs, "/api/reference/tariff/0303670000").await;
        assert_eq!(untouched["version_no"], 1, "a row the file omits stays: {untouched}");

        let again = json(import_tariff(&app, &customs, &rows).await, StatusCode::CREATED).await;
        assert_eq!(counts(&again), (0, 0, 3), "{again}");
    }

    async fn a_tariff_line_must_name_known_units(db: TestDatabase) {
        let app = spawn(&db).await;
        let customs = app.agency(Role::Customs).await;
        let before = snapshot(&app, &customs).await;
        let unknown_unit = "0409000020,蜂蜜制品（测试）,998,,0.09,none,,,,0.15,false,";
        let response = import_tariff(&app, &customs, &[SAME_LINE, unknown_unit]).await;
        let refusal = expect_error(
            response, StatusCode::UNPROCESSABLE_ENTITY, "IMPORT_BAD_ROWS", Some("file"),
        ).await;
        assert_eq!(bad_rows(&refusal), [(3, "unit1".to_owned(), "UNIT_UNKNOWN".to_owned())]);
        assert_eq!(snapshot(&app, &customs).await, before);
    }

    async fn a_future_version_is_in_force_only_from_its_date(db: TestDatabase) {
        let app = spawn(&db).await;
        let customs = app.agency(Role::Customs).await;
        let dearer = "0409000000,天然蜂蜜,035,,0.09,none,,,,0.25,true,";
        let response = import(
            &app, &customs, "tariff", "effective_from=2099-01-01&file_name=2099.csv", "text/csv",
            csv(&[dearer]),
        ).await;
        let version = json(response, StatusCode::CREATED).await;
        assert_eq!(counts(&version), (0, 1, 0), "{version}");
        assert!(version["effective_from"].as_str().unwrap().starts_with("2099-01-01"), "{version}");
        assert_eq!(version["file_name"], "2099.csv");

        let now = app.get_json(&customs, "/api/reference/tariff/0409000000").await;
        assert_eq!((&now["version_no"], &now["mfn_duty_rate"]), (&1.into(), &"0.15".into()), "{now}");
        let then = app.get_json(&customs, "/api/reference/tariff/0409000000?at=2099-01-01").await;
        assert_eq!(then["version_no"], version["version_no"], "{then}");
        assert_eq!(then["mfn_duty_rate"], "0.25", "{then}");
        assert_eq!(then["version_id"], version["id"], "{then}");
        let day_before = app.get_json(&customs, "/api/reference/tariff/0409000000?at=2098-12-31").await;
        assert_eq!(day_before["version_no"], 1, "{day_before}");
    }

    async fn a_file_of_the_wrong_form_is_refused(db: TestDatabase) {
        let app = spawn(&db).await;
        let customs = app.agency(Role::Customs).await;
        let wrong_header = "hs_code,name\n0409000000,天然蜂蜜\n".to_owned();
        let response = import(&app, &customs, "tariff", "", "text/csv", wrong_header).await;
        let refusal = expect_error(
            response, StatusCode::UNPROCESSABLE_ENTITY, "IMPORT_HEADER", Some("file"),
        ).await;
        assert!(refusal["message_en"].as_str().unwrap().contains(HEADER), "{refusal}");

        let as_json = import(&app, &customs, "tariff", "", "application/json", csv(&[SAME_LINE])).await;
        expect_error(as_json, StatusCode::UNSUPPORTED_MEDIA_TYPE, "BODY_MEDIA_TYPE", None).await;

        let units = "code,name_zh\n999,测试单位\n".to_owned();
        let response = import(&app, &customs, "units", "", "text/csv", units).await;
        expect_error(
            response, StatusCode::UNPROCESSABLE_ENTITY, "REFERENCE_KIND_UNKNOWN", Some("kind"),
        ).await;
        let versions = app.get_json(&customs, "/api/reference/versions?kind=tariff").await;
        assert_eq!(versions.as_array().unwrap().len(), 1, "only the seed: {versions}");
    }

    /// Code lists carry their names in English and Russian (issue #17):
    /// the seed has them, an import may add them after the Chinese columns
    /// (or leave them out), the API returns them, and the reference page
    /// shows the name in the reader's language with the table's legal
    /// source, the Chinese name beside for other readers.
    async fn code_lists_are_named_in_each_language(db: TestDatabase) {
        let app = spawn(&db).await;
        let customs = app.agency(Role::Customs).await;
        let currencies = app.get_json(&customs, "/api/reference/codes/currency").await;
        let cny = currencies.as_array().unwrap().iter().find(|c| c["code"] == "142").cloned().unwrap();
        assert_eq!((cny["name_en"].as_str(), cny["name_ru"].as_str()), (Some("Renminbi (Chinese Yuan)"), Some("Китайский юань (жэньминьби)")), "{cny}");

        let units = "code,name_zh,name_en,name_ru\n901,测试单位,test unit,тестовая единица\n".to_owned();
        let response = import(&app, &customs, "unit", "", "text/csv", units).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap_or_default());
        let units = app.get_json(&customs, "/api/reference/codes/unit").await;
        let added = units.as_array().unwrap().iter().find(|c| c["code"] == "901").cloned().unwrap();
        assert_eq!(added["name_ru"], "тестовая единица", "{added}");
        // A file with Chinese names only adds its codes and keeps the
        // translations in force.
        let chinese_only = "code,name_zh\n901,测试单位\n902,测试单位乙\n".to_owned();
        let response = import(&app, &customs, "unit", "", "text/csv", chinese_only).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let units = app.get_json(&customs, "/api/reference/codes/unit").await;
        let kept = units.as_array().unwrap().iter().find(|c| c["code"] == "901").cloned().unwrap();
        assert_eq!(kept["name_ru"], "тестовая единица", "{kept}");
        let half = "code,name_zh,name_en\n903,测试单位丙,third\n".to_owned();
        let response = import(&app, &customs, "unit", "", "text/csv", half).await;
        let refusal = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "IMPORT_HEADER", Some("file")).await;
        assert!(refusal["message_en"].as_str().unwrap().contains("code,name_zh,name_en,name_ru"), "{refusal}");

        app.add_user(&crate::support::agency_code(Role::Customs), "officer").await;
        let officer = app.signed_in("officer").await;
        officer.get("/lang/ru").await;
        let page = officer.page("/reference?kind=country").await;
        for expected in ["Россия", "Таблица кодов стран", "<td lang=\"zh-CN\"><span translate=\"no\">俄罗斯联邦"] {
            assert!(page.contains(expected), "{expected}: {page}");
        }
        let tariff = officer.page("/reference?kind=tariff").await;
        assert!(tariff.contains("килограмм (035)") && tariff.contains("Импортно-экспортный тариф"), "{tariff}");
        officer.get("/lang/en").await;
        let page = officer.page("/reference?kind=currency").await;
        assert!(page.contains("Renminbi (Chinese Yuan)") && page.contains("GACC currency code table"), "{page}");
    }
}
