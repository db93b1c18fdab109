//! A bonded (1210) parcel's whole life in its zone warehouse's book, over
//! HTTP with CEB XML (issue #6): stocked, sold, cleared, shipped out on
//! the day's verification and gate release lists, returned into quarantine
//! and inspected; the daily and monthly reconciliation finding planted
//! differences for officers to close; the monthly report as JSON, CSV,
//! XLSX and through the agency feed; and the site operator's warehouse-entry
//! detail list (CEB711) matched to the waybills it lists. Both backends.

use kuajing_ceb::sample::Parcel;
use kuajing_ceb::{Message, MessageType, sample};
use kuajing_testkit::dual_backend_tests;
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::clearance::{Zone, goods_return, guid, parcel, sandbox};
use crate::support::{html, json, multipart, send};

fn book(path: &str) -> String {
    format!("/api/ems/books/{}{path}", Parcel::BOOK)
}

/// Today in China (UTC+8), `yyyy-mm-dd`: the business day of what the test
/// releases now.
fn china_today() -> time::Date {
    kuajing_core::timestamp::Timestamp::now().in_china().date()
}

fn month_of(day: time::Date) -> String {
    format!("{:04}-{:02}", day.year(), u8::from(day.month()))
}

impl Zone {
    async fn line(&self) -> Value {
        self.app.get_json(&self.warehouse, &book("")).await["lines"][0].clone()
    }

    async fn upload_count(&self, period: &str, file: &[u8]) -> reqwest::Response {
        let (content_type, body) = multipart(&[("period", period)], file);
        send(
            self.app
                .api(
                    reqwest::Method::POST,
                    &book("/stock-counts"),
                    &self.warehouse,
                )
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body),
        )
        .await
    }
}

/// A 422 naming `field` and `code`.
async fn refused(response: reqwest::Response, field: &str, code: &str) -> Value {
    let body = json(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (body["field"].as_str(), body["code"].as_str()),
        (Some(field), Some(code)),
        "{body}"
    );
    body
}

fn quantities(line: &Value) -> [&str; 4] {
    ["stock", "reserved", "quarantined", "available"].map(|k| line[k].as_str().unwrap())
}

/// A CEB711 from the warehouse (the site operator) listing `waybills` of
/// the example parcels' logistics company.
fn entry_list(cop_no: &str, operator: &str, waybills: &[&str]) -> Message {
    let Message::Ceb711(mut m) = sample::sample(MessageType::Ceb711) else {
        unreachable!()
    };
    m.guid = guid();
    m.base_transfer.cop_code = Parcel::WAREHOUSE.to_owned();
    let head = &mut m.delivery.delivery_head;
    head.guid = m.guid.clone();
    head.app_type = "1".to_owned();
    head.app_status = "2".to_owned();
    head.cop_no = Some(cop_no.to_owned());
    head.operator_code = operator.to_owned();
    head.logistics_code = Parcel::LOGISTICS.to_owned();
    let template = m.delivery.delivery_list[0].clone();
    m.delivery.delivery_list = waybills
        .iter()
        .enumerate()
        .map(|(i, no)| {
            let mut line = template.clone();
            line.gnum = i as i64 + 1;
            line.logistics_no = (*no).to_owned();
            line
        })
        .collect();
    Message::Ceb711(m)
}

fn delivery_return(receipt: &Message) -> (String, String) {
    let Message::Ceb712(m) = receipt else {
        panic!("not a CEB712: {receipt:?}")
    };
    let r = &m.delivery_return[0];
    (r.return_status.clone(), r.return_info.clone())
}

dual_backend_tests! {
    async fn a_bonded_parcel_is_stocked_sold_shipped_out_returned_and_reconciled(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let (app, w) = (&zone.app, &zone.warehouse);
        let today = china_today().to_string();

        // Sold and cleared: two lists released, two jars each.
        let (first, second) = (parcel(1), parcel(2));
        zone.send_parcel(&first, [0, 1, 2, 3]).await;
        zone.send_parcel(&second, [0, 1, 2, 3]).await;
        assert_eq!(quantities(&zone.line().await), ["99996", "0", "0", "99996"]);

        // Shipped out: the day's verification list sums both lists per item.
        let verification = json(app.post_json(w, &book("/verifications"), &json!({"business_day": today})).await, StatusCode::CREATED).await;
        let number = verification["number"].as_str().unwrap().to_owned();
        assert!(number.starts_with("QD2991"), "{number}");
        assert_eq!(verification["lists"], 2);
        assert_eq!(verification["lines"], json!([{"item_no": Parcel::ITEM, "quantity": "4"}]));
        refused(app.post_json(w, &book("/verifications"), &json!({"business_day": today})).await, "business_day", "EMS_NOTHING_TO_VERIFY").await;
        refused(app.post_json(w, &book("/verifications"), &json!({"business_day": "2999-01-01"})).await, "business_day", "EMS_DAY").await;
        let reconciled = json(app.post_json(w, &book("/reconciliations"), &json!({"business_day": today})).await, StatusCode::OK).await;
        assert_eq!(reconciled, json!([]), "every released list is verified");

        // The gate release list, once; customs records the vehicle passing.
        let gate = format!("/api/ems/verifications/{number}/gate-release");
        let filed = json(app.post_json(w, &gate, &json!({"vehicle_no": "吉H12345"})).await, StatusCode::CREATED).await;
        assert_eq!(filed["number"].as_str().unwrap(), format!("HF{}", &number[2..]));
        assert_eq!(app.post_json(w, &gate, &json!({"vehicle_no": "吉H54321"})).await.status(), StatusCode::CONFLICT);
        let pass = format!("/api/ems/verifications/{number}/pass");
        assert_eq!(app.post_json(w, &pass, &json!({})).await.status(), StatusCode::NOT_FOUND, "the warehouse does not open the gate");
        let passed = json(app.post_json(&zone.customs, &pass, &json!({})).await, StatusCode::OK).await;
        assert!(passed["gate_release"]["passed_at"].is_string(), "{passed}");
        assert_eq!(app.post_json(&zone.customs, &pass, &json!({})).await.status(), StatusCode::CONFLICT);

        // A list released after the day's verification list: the daily
        // check finds it released and not verified.
        let third = parcel(3);
        zone.send_parcel(&third, [0, 1, 2, 3]).await;
        let third_no = zone.invt_no("HCINV-T000003").await;
        let found = json(app.post_json(w, &book("/reconciliations"), &json!({"business_day": today})).await, StatusCode::OK).await;
        assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
        assert_eq!((found[0]["reason"].as_str(), found[0]["expected"].as_str(), found[0]["found"].as_str()),
            (Some("unverified"), Some("6"), Some("4")));
        assert!(found[0]["detail"].as_str().unwrap().contains(&third_no), "{found}");

        // Returned: a jar of the first list comes back and waits for
        // inspection; sellable, it is available again.
        let first_no = zone.invt_no("HCINV-T000001").await;
        let Message::Ceb626(answer) = zone.send(&zone.ebc, &goods_return(&first, &first_no, "1")).await else { panic!() };
        assert_eq!(answer.invt_refund_return[0].return_status, "2");
        assert_eq!(quantities(&zone.line().await), ["99995", "0", "1", "99994"]);
        let inspection = |quantity: &str, decision: &str, approver: Option<&str>| json!({"item_no": Parcel::ITEM,
            "quantity": quantity, "decision": decision, "reference": "查验记录 CY001",
            "reason": "外包装破损 / damaged", "approved_by": approver});
        refused(app.post_json(w, &book("/inspections"), &inspection("2", "sellable", None)).await, "quantity", "EMS_NOT_QUARANTINED").await;
        refused(app.post_json(w, &book("/inspections"), &inspection("1", "maybe", None)).await, "decision", "EMS_DECISION").await;
        json(app.post_json(w, &book("/inspections"), &inspection("1", "sellable", None)).await, StatusCode::CREATED).await;
        assert_eq!(quantities(&zone.line().await), ["99995", "0", "0", "99995"]);

        // A jar of the second list comes back damaged: unsellable, it leaves
        // the book by an approved adjustment.
        let second_no = zone.invt_no("HCINV-T000002").await;
        zone.send(&zone.ebc, &goods_return(&second, &second_no, "1")).await;
        refused(app.post_json(w, &book("/inspections"), &inspection("1", "unsellable", None)).await, "approved_by", "EMS_APPROVER").await;
        let done = json(app.post_json(w, &book("/inspections"), &inspection("1", "unsellable", Some("王关员"))).await, StatusCode::CREATED).await;
        assert_eq!((done["movement"]["kind"].as_str(), done["movement"]["quantity"].as_str()), (Some("adjustment"), Some("-1")));
        assert_eq!(quantities(&zone.line().await), ["99995", "0", "0", "99995"]);
        let entries = app.get_json(w, &book("/quarantine")).await;
        let decisions: Vec<&str> = entries.as_array().unwrap().iter().map(|e| e["decision"].as_str().unwrap()).collect();
        assert_eq!(decisions, ["unsellable", "held", "sellable", "held"]);

        // The month's stock count: five jars short, and an item the book
        // does not know.
        let month = month_of(china_today());
        let count = format!("item_no,quantity\n{},99990\nGHOST-ITEM,3\n", Parcel::ITEM);
        let counted = json(zone.upload_count(&month, count.as_bytes()).await, StatusCode::CREATED).await;
        let reasons: Vec<(&str, &str, &str)> = counted["findings"].as_array().unwrap().iter()
            .map(|f| (f["item_no"].as_str().unwrap(), f["reason"].as_str().unwrap(), f["difference"].as_str().unwrap())).collect();
        assert!(reasons.contains(&(Parcel::ITEM, "short", "-5")) && reasons.contains(&("GHOST-ITEM", "long", "3")), "{reasons:?}");
        assert_eq!(zone.upload_count(&month, count.as_bytes()).await.status(), StatusCode::CONFLICT, "one count a month");
        refused(zone.upload_count("2001-01", b"item,qty\n1,2\n").await, "file", "IMPORT_HEADER").await;
        refused(zone.upload_count("2001-02", b"item_no,quantity\n1,-2\n").await, "file[2].quantity", "EMS_COUNT").await;
        refused(zone.upload_count("2999-01", count.as_bytes()).await, "period", "EMS_MONTH").await;

        // Customs sees every finding and closes one in writing; the
        // warehouse may not.
        let open = app.get_json(&zone.customs, "/api/ems/findings?state=open").await;
        assert_eq!(open.as_array().unwrap().len(), 3, "{open}");
        let short = open.as_array().unwrap().iter().find(|f| f["reason"] == "short").unwrap();
        let close = format!("/api/ems/findings/{}/close", short["id"].as_str().unwrap());
        assert_eq!(app.post_json(w, &close, &json!({"note": "x"})).await.status(), StatusCode::FORBIDDEN);
        refused(app.post_json(&zone.customs, &close, &json!({"note": " "})).await, "note", "EMS_TEXT").await;
        let closed = json(app.post_json(&zone.customs, &close, &json!({"note": "盘点错误，复盘相符 / recount agrees"})).await, StatusCode::OK).await;
        assert_eq!(closed["state"], "closed");
        assert_eq!(app.post_json(&zone.customs, &close, &json!({"note": "again"})).await.status(), StatusCode::CONFLICT);
        assert_eq!(app.get_json(w, "/api/ems/findings?state=open").await.as_array().unwrap().len(), 2, "the warehouse sees its own");

        // The month's report from the ledger, as JSON, CSV and XLSX.
        let report = app.get_json(w, &book(&format!("/reports/{month}"))).await;
        let line = &report["lines"][0];
        let figures = ["opening", "entered", "returned", "retail_out", "adjusted", "closing"].map(|k| line[k].as_str().unwrap());
        assert_eq!(figures, ["0", "100000", "2", "6", "-1", "99995"], "{report}");
        let csv = send(app.api(reqwest::Method::GET, &book(&format!("/reports/{month}?format=csv")), w)).await;
        assert_eq!(csv.status(), StatusCode::OK);
        let text = csv.text().await.unwrap();
        assert!(text.contains("opening,entered") && text.contains(",99995"), "{text}");
        let xlsx = send(app.api(reqwest::Method::GET, &book(&format!("/reports/{month}?format=xlsx")), w)).await;
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));

        // Sent to customs through the agency feed, for a month that is over.
        refused(app.post_json(w, &book(&format!("/reports/{month}")), &json!({})).await, "period", "EMS_MONTH_OPEN").await;
        let last_month = month_of(china_today().replace_day(1).unwrap() - Duration::days(1));
        let sent = json(app.post_json(w, &book(&format!("/reports/{last_month}")), &json!({})).await, StatusCode::CREATED).await;
        assert!(sent["sent_at"].is_string());
        assert_eq!(app.post_json(w, &book(&format!("/reports/{last_month}")), &json!({})).await.status(), StatusCode::CONFLICT);
        let feed = app.get_json(&zone.customs, "/api/feed?after=0&limit=500").await;
        let reports: Vec<&Value> = feed["events"].as_array().unwrap().iter().filter(|e| e["topic"] == "bonded-report").collect();
        assert_eq!(reports.len(), 1, "{feed}");
        assert_eq!(reports[0]["record"]["period"], last_month.as_str());

        // The books agree with their ledgers at the end.
        let mut conn = app.store.reader().await.unwrap();
        assert_eq!(kuajing_store::clearance::inconsistencies(&mut conn).await.unwrap(), Vec::<String>::new());
    }

    async fn the_site_operator_lists_the_waybills_that_entered_and_each_is_matched(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let filed = parcel(1);
        zone.send(&zone.logistics, &Message::Ceb511(filed.waybill.clone())).await;
        let waybill = filed.waybill.logistics[0].logistics_head.logistics_no.clone();

        let entry = entry_list("RKD-0001", Parcel::WAREHOUSE, &[&waybill]);
        let receipt = zone.send(&zone.warehouse, &entry).await;
        assert_eq!(delivery_return(&receipt).0, "120", "{receipt:?}");
        assert_eq!(zone.send(&zone.warehouse, &entry).await, receipt, "a resend gets the same receipt");

        let again = zone.send(&zone.warehouse, &entry_list("RKD-0001", Parcel::WAREHOUSE, &[&waybill])).await;
        assert_eq!(delivery_return(&again).0, "-800003");
        let unknown = zone.send(&zone.warehouse, &entry_list("RKD-0002", Parcel::WAREHOUSE, &[&waybill, "NO-SUCH-WAYBILL"])).await;
        let (code, info) = delivery_return(&unknown);
        assert_eq!(code, "-800001");
        assert!(info.contains("NO-SUCH-WAYBILL (2)"), "{info}");
        let stranger = zone.send(&zone.warehouse, &entry_list("RKD-0003", "2224990009", &[&waybill])).await;
        assert_eq!(delivery_return(&stranger).0, "-800000");

        // Only a site operator (warehouse or logistics) sends one.
        let Message::Ceb711(mut from_ebc) = entry_list("RKD-0004", Parcel::EBC, &[&waybill]) else { unreachable!() };
        from_ebc.base_transfer.cop_code = Parcel::EBC.to_owned();
        let (status, _) = zone.post(&zone.ebc, &kuajing_ceb::encode(&Message::Ceb711(from_ebc))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    async fn the_portal_takes_keeper_and_officer_through_exit_and_reconciliation(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let app = &zone.app;
        zone.send_parcel(&parcel(1), [0, 1, 2, 3]).await;
        let path = format!("/bonded/{}", Parcel::BOOK);
        app.add_user(Parcel::WAREHOUSE, "keeper").await;
        let keeper = app.signed_in("keeper").await;
        let csrf = keeper.csrf().await;
        let page = keeper.page(&path).await;
        for form in ["verify-form", "reconcile-form", "count-form", "report-form", "ledger-filter"] {
            assert!(page.contains(&format!("id=\"{form}\"")), "{form}: {page}");
        }

        // The day's verification list, then its gate release list.
        let today = china_today().to_string();
        let done = html(keeper.post_form(&format!("{path}/verifications"), &[("csrf", &csrf), ("business_day", &today)]).await, StatusCode::OK).await;
        assert!(done.contains("id=\"recorded\"") && done.contains("QD2991"), "{done}");
        let number = app.get_json(&zone.warehouse, &book("/verifications")).await[0]["number"].as_str().unwrap().to_owned();
        let fields = [("csrf", csrf.as_str()), ("verification", number.as_str()), ("vehicle_no", "吉H12345")];
        let done = html(keeper.post_form(&format!("{path}/gate-releases"), &fields).await, StatusCode::OK).await;
        assert!(done.contains(&format!("HF{}", &number[2..])), "{done}");
        let again = html(keeper.post_form(&format!("{path}/verifications"), &[("csrf", &csrf), ("business_day", &today)]).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(again.contains("id=\"form-error\""), "{again}");

        // A stock count uploaded through the form; the stock exported.
        let month = month_of(china_today());
        let count = format!("item_no,quantity\n{},99997\n", Parcel::ITEM);
        let (content_type, body) = multipart(&[("csrf", &csrf), ("period", &month)], count.as_bytes());
        let uploaded = keeper.request(reqwest::Method::POST, &format!("{path}/stock-counts"))
            .header(reqwest::header::CONTENT_TYPE, content_type).body(body);
        let done = html(send(uploaded).await, StatusCode::OK).await;
        assert!(done.contains("id=\"recorded\"") && done.contains(&month), "{done}");
        let exported = keeper.get(&format!("{path}/export?format=csv")).await;
        assert_eq!(exported.status(), StatusCode::OK);
        let text = exported.text().await.unwrap();
        assert!(text.contains("quarantined") && text.contains("99998"), "{text}");
        let filtered = keeper.page(&format!("{path}?kind=retail-out")).await;
        assert!(filtered.contains("id=\"ledger\"") && !filtered.contains("进境备案清单"), "only retail-outs: {filtered}");

        // The officer sees the finding and closes it; passes the vehicle.
        let customs = crate::support::agency_code(kuajing_core::role::Role::Customs);
        app.add_user(&customs, "officer").await;
        let officer = app.signed_in("officer").await;
        let officer_csrf = officer.csrf().await;
        let findings = officer.page("/bonded/findings?state=open").await;
        assert!(findings.contains("id=\"findings\"") && findings.contains("99997"), "{findings}");
        // The platform's own two-language reason shows in the reader's
        // language only (issue #17: it showed "中文 / English" everywhere).
        assert!(findings.contains("盘点") && !findings.contains(" / count"), "{findings}");
        officer.get("/lang/en").await;
        let english = officer.page("/bonded/findings?state=open").await;
        assert!(english.contains("count") && !english.contains("盘点"), "{english}");
        officer.get("/lang/zh-CN").await;
        let id = app.get_json(&zone.customs, "/api/ems/findings?state=open").await[0]["id"].as_str().unwrap().to_owned();
        let closed = html(officer.post_form(&format!("/bonded/findings/{id}/close"), &[("csrf", &officer_csrf), ("note", "复盘相符")]).await, StatusCode::OK).await;
        assert!(closed.contains("id=\"recorded\""), "{closed}");
        let none = html(keeper.post_form(&format!("/bonded/findings/{id}/close"), &[("csrf", &csrf), ("note", "x")]).await, StatusCode::FORBIDDEN).await;
        assert!(none.contains("id=\"form-error\""), "{none}");
        let passed = html(officer.post_form(&format!("{path}/gate-passes"), &[("csrf", &officer_csrf), ("verification", &number)]).await, StatusCode::OK).await;
        assert!(passed.contains("id=\"recorded\""), "{passed}");
        let book_page = officer.page(&path).await;
        assert!(!book_page.contains("id=\"verify-form\""), "the officer does not keep the book");
    }
}
