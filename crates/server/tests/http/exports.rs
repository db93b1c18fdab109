//! Exports end to end over HTTP with CEB XML (issue #7): a Hunchun
//! exporter ships retail parcels to Russia (9610), a B2B consignment to
//! Korea (9710) and stock to its overseas warehouse in Japan (9810); each
//! export list waits for what its mode needs, is released (清单核放) or
//! refused with the field and value, and exits once an arrival (CEB507)
//! and a departure (CEB509) both name its waybill; a cancellation (CEB605)
//! is refused once the goods are out. Both backends.

use kuajing_ceb::Message;
use kuajing_ceb::sample::export::{ExportMode, ExportParcel};
use kuajing_testkit::{TestDatabase, dual_backend_tests};
use reqwest::StatusCode;

use crate::clearance::{Zone, guid, sandbox};

/// The exporting zone: the import zone's enterprises and the supervised
/// site's operator.
pub(crate) struct Exporters {
    pub(crate) zone: Zone,
    pub(crate) site: String,
}

impl Exporters {
    pub(crate) async fn new(db: &TestDatabase) -> Exporters {
        Exporters::with(db, sandbox()).await
    }

    pub(crate) async fn with(
        db: &TestDatabase,
        settings: kuajing_server::ServerConfig,
    ) -> Exporters {
        let zone = Zone::new(db, settings).await;
        let site = zone.app.member(ExportParcel::SITE, &["warehouse"]).await;
        Exporters { zone, site }
    }

    /// Sends `message` from `token`: the status and the `returnStatus`
    /// and `returnInfo` of each entity of its receipt.
    pub(crate) async fn send(&self, token: &str, message: &Message) -> Vec<(String, String)> {
        returns(&self.zone.send(token, message).await)
    }

    /// Sends the documents of `parcel` its mode uses (`which`: 0 order, 1
    /// receipt of payment, 2 waybill, 3 list), each answered 2.
    pub(crate) async fn ship(&self, parcel: &ExportParcel, which: &[usize]) {
        let z = &self.zone;
        for &w in which {
            let (token, message) = match w {
                0 => (&z.ebp, Message::Ceb303(parcel.order.clone())),
                1 => (&z.pay, Message::Ceb403(parcel.collection.clone())),
                2 => (&z.logistics, Message::Ceb505(parcel.waybill.clone())),
                _ => (&z.ebc, Message::Ceb603(parcel.list.clone())),
            };
            let answered = self.send(token, &message).await;
            assert_eq!(answered.len(), 1);
            assert_eq!(answered[0].0, "2", "{answered:?}");
        }
    }

    /// The CEB604 statuses the list `cop_no` went through, in order, and
    /// the last one's text and list number.
    pub(crate) async fn list(&self, cop_no: &str) -> (Vec<String>, String, String) {
        let mut statuses = Vec::new();
        let (mut info, mut invt_no) = (String::new(), String::new());
        for (_, receipt) in self.zone.feed(&self.zone.ebc).await {
            if let Message::Ceb604(m) = receipt {
                for r in m
                    .inventory_return
                    .into_iter()
                    .filter(|r| r.cop_no == cop_no)
                {
                    statuses.push(r.return_status);
                    info = r.return_info;
                    if !r.invt_no.is_empty() {
                        invt_no = r.invt_no;
                    }
                }
            }
        }
        (statuses, info, invt_no)
    }
}

/// `returnStatus` and `returnInfo` of each entity of an export receipt.
pub(crate) fn returns(receipt: &Message) -> Vec<(String, String)> {
    macro_rules! pairs {
        ($list:expr) => {
            $list
                .iter()
                .map(|r| (r.return_status.clone(), r.return_info.clone()))
                .collect()
        };
    }
    match receipt {
        Message::Ceb304(m) => pairs!(m.order_return),
        Message::Ceb404(m) => pairs!(m.receipts_return),
        Message::Ceb506(m) => pairs!(m.logistics_return),
        Message::Ceb604(m) => pairs!(m.inventory_return),
        Message::Ceb508(m) => pairs!(m.arrival_return),
        Message::Ceb510(m) => pairs!(m.departure_return),
        Message::Ceb606(m) => pairs!(m.invt_cancel_return),
        Message::Ceb608(m) => pairs!(m.way_bill_return),
        Message::Ceb214(m) => pairs!(m.refund_return),
        Message::Ceb216(m) => pairs!(m.invt_refund_detail_return),
        other => panic!("not an export receipt: {other:?}"),
    }
}

pub(crate) fn fresh(mut parcel: ExportParcel) -> ExportParcel {
    parcel.order.guid = guid();
    parcel.collection.guid = guid();
    parcel.waybill.guid = guid();
    parcel.list.guid = guid();
    parcel
}

pub(crate) fn shipment(n: u32, mode: ExportMode) -> ExportParcel {
    fresh(ExportParcel::numbered(n, mode))
}

dual_backend_tests! {
    async fn a_retail_parcel_to_russia_is_released_and_exits_after_arrival_and_departure(db: TestDatabase) {
        let ex = Exporters::new(&db).await;
        let z = &ex.zone;
        let parcel = shipment(1, ExportMode::Retail);
        let cop_no = parcel.list_head().cop_no.clone();
        // The list first: it waits for the order, the receipt of payment
        // and the waybill, whatever their order.
        ex.ship(&parcel, &[3, 0, 2]).await;
        assert_eq!(ex.list(&cop_no).await.0, ["2"], "waits for the receipt of payment");
        ex.ship(&parcel, &[1]).await;
        let (statuses, _, invt_no) = ex.list(&cop_no).await;
        assert_eq!(statuses, ["2", "120", "399", "800"]);
        assert_eq!(invt_no.len(), 18, "{invt_no}");
        // Each sender is told its document matched.
        for (token, kind) in [(&z.ebp, "CEB304"), (&z.pay, "CEB404"), (&z.logistics, "CEB506")] {
            let told: Vec<Vec<(String, String)>> = z.feed(token).await.iter()
                .filter(|(t, _)| t == kind).map(|(_, m)| returns(m)).collect();
            assert_eq!(told.len(), 2, "{kind}: the answer and the match");
            assert_eq!(told[1][0].0, "120", "{kind}");
        }

        // Arrival at the supervised site: kept, not yet out.
        let arrival = ExportParcel::arrival(&[&parcel], "ARR-0001");
        let answered = ex.send(&ex.site, &Message::Ceb507(arrival.clone())).await;
        assert_eq!(answered[0].0, "120", "{answered:?}");
        assert_eq!(ex.list(&cop_no).await.0.last().map(String::as_str), Some("800"));
        // A resend is answered as before; the copNo again under a new guid is taken.
        assert_eq!(ex.send(&ex.site, &Message::Ceb507(arrival.clone())).await, answered);
        let mut again = arrival.clone();
        again.guid = guid();
        assert_eq!(ex.send(&ex.site, &Message::Ceb507(again)).await[0].0, "-507003");
        // A waybill nobody declared is named, and nothing is kept.
        let stranger = shipment(99, ExportMode::Retail);
        let unknown = ex.send(&ex.site, &Message::Ceb507(ExportParcel::arrival(&[&parcel, &stranger], "ARR-0002"))).await;
        assert_eq!(unknown[0].0, "-507001");
        assert!(unknown[0].1.contains(stranger.logistics_no()), "{unknown:?}");

        // Departure: the list has exited (结关 899).
        let departure = ExportParcel::departure(&[&parcel], "DEP-0001");
        let answered = ex.send(&z.logistics, &Message::Ceb509(departure)).await;
        assert_eq!(answered[0].0, "120", "{answered:?}");
        assert!(answered[0].1.contains("1"), "{answered:?}");
        let (statuses, info, _) = ex.list(&cop_no).await;
        assert_eq!(statuses, ["2", "120", "399", "800", "899"]);
        assert!(info.contains("离境"), "{info}");

        // The goods are out: the list can no longer be cancelled.
        let cancelled = ex.send(&z.ebc, &Message::Ceb605(parcel.cancellation(&invt_no))).await;
        assert_eq!(cancelled[0].0, "-605005", "{cancelled:?}");
        // Only the site's operator reports arrivals.
        let (status, _) = z.post(&z.ebc, &kuajing_ceb::encode(&Message::Ceb507(ExportParcel::arrival(&[&parcel], "ARR-0003")))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    async fn a_b2b_consignment_needs_only_its_order_and_exits_even_when_released_last(db: TestDatabase) {
        let ex = Exporters::new(&db).await;
        let z = &ex.zone;
        let parcel = shipment(2, ExportMode::B2b);
        let cop_no = parcel.list_head().cop_no.clone();
        // Out before release: the list's waybill is named by the list itself.
        ex.ship(&parcel, &[3]).await;
        assert_eq!(ex.send(&ex.site, &Message::Ceb507(ExportParcel::arrival(&[&parcel], "ARR-B1"))).await[0].0, "120");
        assert_eq!(ex.send(&z.logistics, &Message::Ceb509(ExportParcel::departure(&[&parcel], "DEP-B1"))).await[0].0, "120");
        assert_eq!(ex.list(&cop_no).await.0, ["2"]);
        ex.ship(&parcel, &[0]).await;
        assert_eq!(ex.list(&cop_no).await.0, ["2", "120", "399", "800", "899"]);
    }

    async fn a_list_that_does_not_agree_with_its_order_is_refused_naming_field_and_value(db: TestDatabase) {
        let ex = Exporters::new(&db).await;
        // A 9610 list with a B2B order.
        let mut parcel = shipment(3, ExportMode::Retail);
        parcel.order.order[0].order_head.order_type = "B".to_owned();
        let line = &mut parcel.list.inventory[0].inventory_list[0];
        line.qty = "3".parse().unwrap();
        line.total_price = "504.00".parse().unwrap();
        ex.ship(&parcel, &[0, 1, 2, 3]).await;
        let (statuses, info, _) = ex.list(&parcel.list_head().cop_no).await;
        assert_eq!(statuses, ["2", "100"]);
        assert!(info.contains("-621001") && info.contains("OrderHead/orderType「B」"), "{info}");
        assert!(info.contains("InventoryList[1]/qty「3」"), "{info}");
        // Unknown country of arrival.
        let mut parcel = shipment(4, ExportMode::B2b);
        parcel.list.inventory[0].inventory_head.country = "777".to_owned();
        ex.ship(&parcel, &[0, 3]).await;
        let (statuses, info, _) = ex.list(&parcel.list_head().cop_no).await;
        assert_eq!(statuses, ["2", "100"]);
        assert!(info.contains("InventoryHead/country「777」"), "{info}");
    }

    async fn an_overseas_warehouse_export_needs_a_warehouse_filed_in_the_country(db: TestDatabase) {
        let ex = Exporters::new(&db).await;
        let parcel = shipment(5, ExportMode::OverseasWarehouse);
        ex.ship(&parcel, &[3, 0]).await;
        let (statuses, info, _) = ex.list(&parcel.list_head().cop_no).await;
        assert_eq!(statuses, ["2", "100"]);
        assert!(info.contains("InventoryHead/country「116」") && info.contains("海外仓"), "{info}");

        // Filed with customs and approved: the next booking is released.
        let z = &ex.zone;
        let warehouse = serde_json::json!({"warehouse_code": "JP-NII-01", "name": "新潟海外仓",
            "operator_name": "株式会社ハンチュン物流", "country": "116",
            "address": "新潟県新潟市東区臨港町 1-1", "capacity": "1200", "capacity_unit": "m2"});
        let filed = crate::support::json(z.app.post_json(&z.ebc, "/api/overseas-warehouses", &warehouse).await, StatusCode::CREATED).await;
        let id = filed["id"].as_i64().unwrap();
        let pending = shipment(11, ExportMode::OverseasWarehouse);
        ex.ship(&pending, &[3, 0]).await;
        assert_eq!(ex.list(&pending.list_head().cop_no).await.0, ["2", "100"], "filed, not yet approved");
        let decision = serde_json::json!({"decision": "approve", "reason": ""});
        let decided = z.app.post_json(&z.customs, &format!("/api/overseas-warehouses/{id}/decision"), &decision).await;
        assert_eq!(decided.status(), StatusCode::OK);
        let booked = shipment(12, ExportMode::OverseasWarehouse);
        ex.ship(&booked, &[3, 0]).await;
        assert_eq!(ex.list(&booked.list_head().cop_no).await.0, ["2", "120", "399", "800"]);
        // A warehouse in Japan does not serve a list to Korea.
        let mut korea = shipment(13, ExportMode::OverseasWarehouse);
        korea.list.inventory[0].inventory_head.country = "133".to_owned();
        ex.ship(&korea, &[3, 0]).await;
        assert_eq!(ex.list(&korea.list_head().cop_no).await.0, ["2", "100"]);
    }

    async fn simplified_goods_codes_are_taken_only_where_the_zone_allows_them(db: TestDatabase) {
        let ex = Exporters::new(&db).await;
        let parcel = fresh(ExportParcel::numbered(6, ExportMode::Retail).with_gcode("0409"));
        ex.ship(&parcel, &[0, 1, 2, 3]).await;
        assert_eq!(ex.list(&parcel.list_head().cop_no).await.0, ["2", "120", "399", "800"]);
        // A 9710 list takes 6 digits, not 4: a format error (CEB900).
        let b2b = fresh(ExportParcel::numbered(7, ExportMode::B2b).with_gcode("0409"));
        let (status, text) = ex.zone.post(&ex.zone.ebc, &kuajing_ceb::encode(&Message::Ceb603(b2b.list.clone()))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert!(text.contains("CEB900"), "{text}");
        let b2b = fresh(ExportParcel::numbered(8, ExportMode::B2b).with_gcode("040900"));
        ex.ship(&b2b, &[0, 3]).await;
        assert_eq!(ex.list(&b2b.list_head().cop_no).await.0, ["2", "120", "399", "800"]);
    }

    async fn a_zone_without_simplified_codes_reads_four_digits_as_a_format_error(db: TestDatabase) {
        let mut settings = sandbox();
        settings.clearance.export.simplified_codes = false;
        let strict = Exporters::with(&db, settings).await;
        let parcel = fresh(ExportParcel::numbered(9, ExportMode::Retail).with_gcode("0409"));
        let (status, text) = strict.zone.post(&strict.zone.ebc, &kuajing_ceb::encode(&Message::Ceb603(parcel.list.clone()))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert!(text.contains("gcode"), "{text}");
    }

    async fn a_released_list_is_cancelled_before_its_goods_leave(db: TestDatabase) {
        let ex = Exporters::new(&db).await;
        let z = &ex.zone;
        let parcel = shipment(10, ExportMode::Retail);
        ex.ship(&parcel, &[0, 1, 2, 3]).await;
        let (_, _, invt_no) = ex.list(&parcel.list_head().cop_no).await;
        let cancelled = ex.send(&z.ebc, &Message::Ceb605(parcel.cancellation(&invt_no))).await;
        assert_eq!(cancelled[0].0, "399", "{cancelled:?}");
        // Not twice; not someone else's; not a list that does not exist.
        let mut again = parcel.cancellation(&invt_no);
        again.guid = guid();
        assert_eq!(ex.send(&z.ebc, &Message::Ceb605(again)).await[0].0, "-605005");
        let mut unknown = parcel.cancellation("299120269999999999");
        unknown.guid = guid();
        assert_eq!(ex.send(&z.ebc, &Message::Ceb605(unknown)).await[0].0, "-605003");
        // A cancelled list does not exit.
        ex.send(&ex.site, &Message::Ceb507(ExportParcel::arrival(&[&parcel], "ARR-C1"))).await;
        let departed = ex.send(&z.logistics, &Message::Ceb509(ExportParcel::departure(&[&parcel], "DEP-C1"))).await;
        assert_eq!(departed[0], ("120".to_owned(), "海关入库".to_owned()));
    }
}

/// A CEB701 from the exporter naming `lists`, for today in China.
fn summary_application(cop_no: &str, lists: &[String]) -> Message {
    let kuajing_ceb::Message::Ceb701(mut m) = kuajing_ceb::sample(kuajing_ceb::MessageType::Ceb701)
    else {
        unreachable!()
    };
    m.guid = guid();
    m.base_transfer.cop_code = ExportParcel::EBC.to_owned();
    let apply = &mut m.summary_apply[0];
    let head = &mut apply.summary_apply_head;
    let today = kuajing_core::timestamp::Timestamp::now().in_china().date();
    let day = format!(
        "{:04}{:02}{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    head.guid = guid();
    head.agent_code = ExportParcel::EBC.to_owned();
    head.ebc_code = ExportParcel::EBC.to_owned();
    head.cop_no = cop_no.to_owned();
    head.pre_no = None;
    head.sum_no = None;
    head.start_time = Some(format!("{day}000000"));
    head.end_time = Some(format!("{day}235959"));
    apply.summary_apply_list = lists
        .iter()
        .map(|invt_no| kuajing_ceb::model::export::SummaryApplyList {
            invt_no: invt_no.clone(),
        })
        .collect();
    Message::Ceb701(m)
}

dual_backend_tests! {
    async fn a_month_of_exports_to_russia_korea_and_japan_exits_and_is_declared_in_summary(db: TestDatabase) {
        let ex = Exporters::new(&db).await;
        let z = &ex.zone;
        // The Japanese warehouse is filed and approved.
        let warehouse = serde_json::json!({"warehouse_code": "JP-NII-01", "name": "新潟海外仓",
            "operator_name": "株式会社ハンチュン物流", "country": "116",
            "address": "新潟県新潟市東区臨港町 1-1", "capacity": "1200", "capacity_unit": "m2"});
        let filed = crate::support::json(z.app.post_json(&z.ebc, "/api/overseas-warehouses", &warehouse).await, StatusCode::CREATED).await;
        let decided = z.app.post_json(&z.customs, &format!("/api/overseas-warehouses/{}/decision", filed["id"]), &serde_json::json!({"decision": "approve", "reason": ""})).await;
        assert_eq!(decided.status(), StatusCode::OK);

        // Two retail parcels to Russia, one statistics-only, a B2B
        // consignment to Korea, stock to Japan.
        let retail = [shipment(21, ExportMode::Retail), shipment(22, ExportMode::Retail)];
        let counted = fresh(ExportParcel::numbered(25, ExportMode::Retail).for_statistics_only());
        let b2b = shipment(23, ExportMode::B2b);
        let stock = shipment(24, ExportMode::OverseasWarehouse);
        for p in retail.iter().chain([&counted]) {
            ex.ship(p, &[0, 1, 2, 3]).await;
        }
        ex.ship(&b2b, &[0, 3]).await;
        ex.ship(&stock, &[3, 0]).await;
        let all = [&retail[0], &retail[1], &counted, &b2b, &stock];
        ex.send(&ex.site, &Message::Ceb507(ExportParcel::arrival(&all, "ARR-M1"))).await;
        let departed = ex.send(&z.logistics, &Message::Ceb509(ExportParcel::departure(&all, "DEP-M1"))).await;
        assert_eq!(departed[0].0, "120");
        assert!(departed[0].1.starts_with("5 "), "{departed:?}");
        let mut numbers = Vec::new();
        for p in all {
            let (statuses, _, invt_no) = ex.list(&p.list_head().cop_no).await;
            assert_eq!(statuses.last().map(String::as_str), Some("899"), "{statuses:?}");
            numbers.push(invt_no);
        }
        let exported = z.app.get_json(&z.ebc, "/api/exports/lists?status=exited").await;
        assert_eq!(exported.as_array().unwrap().len(), 5, "{exported}");
        assert!(exported.as_array().unwrap().iter().all(|l| l["arrived"] == true && l["left_at"].is_string()));
        // Customs sees them too; another enterprise does not.
        assert_eq!(z.app.get_json(&z.customs, "/api/exports/lists").await.as_array().unwrap().len(), 5);
        assert_eq!(z.app.get_json(&z.pay, "/api/exports/lists").await.as_array().unwrap().len(), 0);

        // The statistics-only list is not declared in summary.
        let refused = ex.zone.send(&z.ebc, &summary_application("SUM-M0", &numbers[2..3])).await;
        let Message::Ceb702(r) = refused else { panic!() };
        assert_eq!(r.summary_return[0].return_status, "-701006", "{:?}", r.summary_return);
        // The four others: one declaration per head (Russia by road, Korea
        // and Japan by sea), the two Russian parcels merged into one line.
        let declared: Vec<String> = [0, 1, 3, 4].iter().map(|&i| numbers[i].clone()).collect();
        let accepted = ex.zone.send(&z.ebc, &summary_application("SUM-M1", &declared)).await;
        let Message::Ceb702(r) = accepted else { panic!() };
        assert_eq!(r.summary_return[0].return_status, "120", "{:?}", r.summary_return);
        let results: Vec<kuajing_ceb::model::export::SummaryResult> = z.feed(&z.ebc).await.into_iter()
            .filter_map(|(_, m)| match m { Message::Ceb792(m) => Some(m.summary_result), _ => None })
            .flatten()
            .collect();
        assert_eq!(results.len(), 3, "{results:?}");
        let russia = results.iter().find(|r| r.summary_result_list.iter().any(|l| l.invt_no == numbers[0])).unwrap();
        assert_eq!(russia.summary_result_list.len(), 2);
        assert!(russia.summary_result_list.iter().all(|l| l.gseqno == 1));
        assert!(russia.summary_result_list.iter().any(|l| l.invt_no == numbers[1]));

        // The exporter's page shows them out; customs' page shows the manifests.
        let page = crate::support::html(z.app.api(reqwest::Method::GET, "/exports", &z.ebc).send().await.unwrap(), StatusCode::OK).await;
        assert!(page.contains("已离境") && page.contains(&numbers[3]), "{page}");
        let page = crate::support::html(z.app.api(reqwest::Method::GET, "/exports", &z.customs).send().await.unwrap(), StatusCode::OK).await;
        assert!(page.contains("DEP-M1") && page.contains("ARR-M1"), "{page}");
    }
}
