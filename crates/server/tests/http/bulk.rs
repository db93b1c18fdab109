//! Bulk commodity filing from CSV and XLSX, and exports through the sharing
//! policy.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use kuajing_core::role::Role;
use kuajing_testkit::dual_backend_tests;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::support::{
    TestApp, eventually, expect_error, header, id_of, json, multipart, send, spawn,
};

const HEADER: &str = "item_no,name,specification,brand,hs_code,origin_country,declared_elements,unit1,unit2,reference_price,currency,barcode,regional_brand";

/// Uploads `file` as a bulk filing (submitting each row when `submit`).
async fn upload(app: &TestApp, token: &str, file: &[u8], submit: bool) -> reqwest::Response {
    let fields = [("submit", if submit { "true" } else { "false" })];
    let (content_type, body) = multipart(&fields, file);
    let request = app.api(Method::POST, "/api/filings/commodities/bulk", token);
    send(request.header(CONTENT_TYPE, content_type).body(body)).await
}

/// Waits for job `id` to finish; returns it.
async fn finished(app: &TestApp, token: &str, id: &str) -> Value {
    eventually("the bulk job to finish", || async {
        let job = app.get_json(token, &format!("/api/bulk-jobs/{id}")).await;
        (job["status"] != "running").then_some(job)
    })
    .await
}

/// The (item number, status) of the owner's commodity filings, sorted.
async fn goods(app: &TestApp, token: &str) -> Vec<(String, String)> {
    let page = app
        .get_json(token, "/api/filings?mine=true&kind=commodity")
        .await;
    let mut list: Vec<(String, String)> = page["filings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["subject_key"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    list.sort();
    list
}

/// The export's CSV rows as cells, the header first (the BOM removed).
async fn export_csv(app: &TestApp, token: &str, query: &str) -> Vec<Vec<String>> {
    let response = send(app.api(
        Method::GET,
        &format!("/api/filings/export?format=csv&{query}"),
        token,
    ))
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "content-type").starts_with("text/csv"));
    let bytes = response.bytes().await.unwrap();
    let text = std::str::from_utf8(&bytes)
        .unwrap()
        .strip_prefix('\u{feff}')
        .expect("a BOM")
        .to_owned();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .into_records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

dual_backend_tests! {
    async fn a_csv_file_files_its_good_rows_and_reports_the_bad_ones(db: TestDatabase) {
        let app = spawn(&db).await;
        let owner = app.enterprise().await;
        let file = format!(
            "{HEADER}\n\
             B-1,椴树蜂蜜,500克/瓶,远东,0409000000,344,,035,,88.5,142,6901234567892,false\n\
             B-2,未知编码,,,0409000001,344,,035,,10,142,,false\n\
             B-3,错误条码,,,0409000000,344,,035,,10,142,6901234567893,false\n\
             B-4,冻狭鳕鱼,1千克/袋,,0303670000,344,,035,,68,142,,false\n"
        );
        let started = json(upload(&app, &owner, file.as_bytes(), true).await, StatusCode::ACCEPTED).await;
        let job = finished(&app, &owner, &id_of(&started)).await;
        assert_eq!((&job["status"], &job["total_rows"], &job["succeeded_rows"], &job["failed_rows"]), (&"done".into(), &4.into(), &2.into(), &2.into()), "{job}");
        let report: Vec<(u64, &str, &str)> = job["report"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["line"].as_u64().unwrap(), r["field"].as_str().unwrap(), r["code"].as_str().unwrap()))
            .collect();
        assert_eq!(report, [(3, "hs_code", "HS_CODE_NOT_IN_TARIFF"), (4, "barcode", "ID_CHECK_CHARACTER")]);
        assert_eq!(goods(&app, &owner).await, [("B-1".into(), "submitted".into()), ("B-4".into(), "submitted".into())]);

        let other = app.member("2224960002", &["ebc"]).await;
        let hidden = send(app.api(Method::GET, &format!("/api/bulk-jobs/{}", id_of(&job)), &other)).await;
        expect_error(hidden, StatusCode::NOT_FOUND, "NOT_FOUND", None).await;
        let wrong = upload(&app, &owner, b"item,name\nx,y\n", false).await;
        expect_error(wrong, StatusCode::UNPROCESSABLE_ENTITY, "IMPORT_HEADER", Some("file")).await;
    }

    async fn an_xlsx_file_is_read_like_a_csv_one(db: TestDatabase) {
        let app = spawn(&db).await;
        let owner = app.enterprise().await;
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (col, name) in HEADER.split(',').enumerate() {
            sheet.write_string(0, col as u16, name).unwrap();
        }
        let row = ["X-1", "椴树蜂蜜", "", "", "0409000000", "344", "", "035", "", "", "142", "", "false"];
        for (col, value) in row.iter().enumerate() {
            sheet.write_string(1, col as u16, *value).unwrap();
        }
        // A price typed as a number, as spreadsheets do.
        sheet.write_number(1, 9, 88.5).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let started = json(upload(&app, &owner, &bytes, false).await, StatusCode::ACCEPTED).await;
        let job = finished(&app, &owner, &id_of(&started)).await;
        assert_eq!(job["succeeded_rows"], 1, "{job}");
        assert_eq!(goods(&app, &owner).await, [("X-1".into(), "draft".into())]);
    }

    async fn an_export_holds_the_columns_the_caller_may_see(db: TestDatabase) {
        let app = spawn(&db).await;
        let owner = app.enterprise().await;
        let customs = app.agency(Role::Customs).await;
        let forex = app.agency(Role::Forex).await;
        app.active_commodity(&owner, &customs, "E-1").await;

        let by_forex = export_csv(&app, &forex, "kind=commodity").await;
        let columns = &by_forex[0];
        assert!(columns.contains(&"reference_price".to_owned()) && columns.contains(&"currency".to_owned()), "{columns:?}");
        assert!(!columns.contains(&"declared_elements".to_owned()) && !columns.contains(&"barcode".to_owned()), "{columns:?}");
        assert_eq!(by_forex.len(), 2, "one filing and the header");
        let by_customs = export_csv(&app, &customs, "kind=commodity").await;
        assert!(by_customs[0].contains(&"declared_elements".to_owned()));

        let xlsx = send(app.api(Method::GET, "/api/filings/export?format=xlsx&kind=commodity", &forex)).await;
        assert_eq!(xlsx.status(), StatusCode::OK);
        let bytes = xlsx.bytes().await.unwrap();
        let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
        let range = workbook.worksheet_range_at(0).unwrap().unwrap();
        let first: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        assert_eq!(&first, columns);
        let codes: Vec<String> = range.rows().nth(1).unwrap().iter().map(|c| c.to_string()).collect();
        assert!(codes.contains(&"E-1".to_owned()));

        let pdf = send(app.api(Method::GET, "/api/filings/export?format=pdf", &forex)).await;
        expect_error(pdf, StatusCode::UNPROCESSABLE_ENTITY, "EXPORT_FORMAT", Some("format")).await;
    }
}

/// Writes a running job of `owner` the way a server leaves it when it is
/// killed: `processed` of `total` rows recorded, the last heartbeat
/// `silent` ago, started `started` ago. Its id.
async fn left_running(
    store: &kuajing_store::Store,
    owner: &str,
    (processed, total): (i64, i64),
    silent: std::time::Duration,
    started: std::time::Duration,
) -> String {
    use kuajing_core::timestamp::Timestamp;
    use kuajing_store::bulk_jobs::{self, Ending, NewJob, Progress};
    let mut tx = store.begin().await.unwrap();
    let org = kuajing_store::organisations::find_by_code(&mut tx, owner)
        .await
        .unwrap()
        .unwrap();
    let new = NewJob {
        organisation_id: &org.id,
        kind: "commodity",
        file_name: "goods.csv",
        total_rows: total,
        by: "li.na",
    };
    let now = Timestamp::now();
    let job = bulk_jobs::create(&mut tx, &new, now.minus(started))
        .await
        .unwrap();
    let counts = Progress {
        processed,
        succeeded: processed,
        failed: 0,
    };
    assert!(
        bulk_jobs::progress(
            &mut tx,
            &job.id,
            counts,
            "[]",
            Ending::Running,
            now.minus(silent)
        )
        .await
        .unwrap()
    );
    tx.commit().await.unwrap();
    job.id
}

dual_backend_tests! {
    /// Issue #14, finding 8: a job whose server was killed at row 770 of
    /// 5,000 (its heartbeat five minutes old) is failed as soon as a server
    /// starts, with the reason on the job's API and page; a job whose
    /// heartbeat is fresh (another server's, live) is left running until
    /// its own heartbeat outlives the lease.
    async fn a_job_whose_server_stopped_is_ended_at_start_with_its_reason(db: TestDatabase) {
        use std::time::Duration;
        let store = kuajing_store::Store::connect(&db.url).await.unwrap();
        kuajing_server::prepare(&store).await.unwrap();
        let filing = crate::support::filing(crate::support::ENTERPRISE, &["ebp", "ebc"]).parse(false).unwrap();
        kuajing_registry::organisations::file_organisation(&store, &kuajing_registry::actor::Actor::operator(), &filing)
            .await
            .unwrap();
        let minutes = |n: u64| Duration::from_secs(60 * n);
        let killed = left_running(&store, crate::support::ENTERPRISE, (770, 5000), minutes(5), minutes(6)).await;
        let live = left_running(&store, crate::support::ENTERPRISE, (30, 5000), Duration::ZERO, minutes(1)).await;

        let lease = Duration::from_secs(4);
        let app = crate::support::spawn_with(&db, kuajing_server::ServerConfig { bulk_job_lease: lease, ..crate::support::config() }).await;
        let owner = app.issue_token(crate::support::ENTERPRISE).await.1;
        let job = finished(&app, &owner, &killed).await;
        assert_eq!((&job["status"], &job["processed_rows"]), (&"failed".into(), &770.into()), "{job}");
        assert!(job["finished_at"].is_string(), "{job}");
        assert_eq!(job["failure"]["code"], "BULK_INTERRUPTED", "{job}");
        let reason = job["failure"]["message_en"].as_str().unwrap();
        assert!(reason.contains("after row 770 of 5000") && reason.contains("rows 1–770 are kept") && reason.contains("Upload the file again"), "{reason}");
        assert!(job["failure"]["message_zh"].as_str().unwrap().contains("第 770 行"), "{job}");
        let still = app.get_json(&owner, &format!("/api/bulk-jobs/{live}")).await;
        assert_eq!(still["status"], "running", "a live server's job is not touched: {still}");
        assert_eq!(still["failure"], serde_json::Value::Null);

        app.add_user(crate::support::ENTERPRISE, "li.na").await;
        let page = app.signed_in("li.na").await.page(&format!("/filings/bulk/{killed}")).await;
        assert!(page.contains("id=\"bulk-failure\"") && page.contains("第 770 行"), "{page}");

        // The live job's server stops writing its heartbeat: once the lease
        // is over, the running server's supervision ends it too.
        let ended = crate::support::eventually("the silent job to be ended", || async {
            let job = app.get_json(&owner, &format!("/api/bulk-jobs/{live}")).await;
            (job["status"] == "failed").then_some(job)
        })
        .await;
        assert_eq!(ended["failure"]["code"], "BULK_INTERRUPTED", "{ended}");
        assert!(ended["failure"]["message_en"].as_str().unwrap().contains("after row 30 of 5000"), "{ended}");
        store.close().await;
    }
}
