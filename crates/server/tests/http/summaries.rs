//! The monthly summary declaration of retail exports (汇总申报, issue #7)
//! over HTTP: last month's released export lists are due by the 15th
//! (the due API and the exporter's page group them as they would be
//! declared); the declarer's CEB701 is answered with a CEB702 (120 with
//! preNo and sumNo) and one CEB792 per declaration in its feed; what breaks
//! a rule is refused with its code naming the field and value, and
//! changes nothing; a resend gets the first answer.
//!
//! The released lists are written to the store directly (the lead's CEB603
//! intake is not merged into this branch yet).

use kuajing_ceb::entity::entity_to_json;
use kuajing_ceb::model::export::{CEB701Message, SummaryApplyList};
use kuajing_ceb::sample::export::{ExportMode, ExportParcel};
use kuajing_ceb::{Message, MessageType, encode, sample};
use kuajing_clearance::summary;
use kuajing_core::role::Role;
use kuajing_core::timestamp::{CHINA_STANDARD_TIME, Timestamp};
use kuajing_store::ceb_documents::{self as docs, Kept, Kind, NewDocument, NewMessage};
use kuajing_testkit::dual_backend_tests;
use reqwest::StatusCode;
use rust_decimal::Decimal;
use time::{Date, PrimitiveDateTime, Time};

use crate::clearance::{Zone, guid, sandbox};

const EBC: &str = ExportParcel::EBC;

/// The invtNo of shipment `n`.
fn invt_no(n: u32) -> String {
    format!("19012026E{n:06}")
}

/// Day 10 of last month, noon in China, and the first day of last month.
fn last_month() -> (Timestamp, Date) {
    let today = Timestamp::now().in_china().date();
    let last = today.replace_day(1).unwrap().previous_day().unwrap();
    let day = last.replace_day(10).unwrap();
    let at = PrimitiveDateTime::new(day, Time::from_hms(12, 0, 0).unwrap())
        .assume_offset(CHINA_STANDARD_TIME);
    (Timestamp::from_datetime(at), last.replace_day(1).unwrap())
}

/// Keeps the export list of `parcel` as declared by EBC and released at
/// `released` with the list number of shipment `n`.
async fn released(zone: &Zone, n: u32, parcel: &ExportParcel, released: Timestamp) {
    let store = &zone.app.store;
    let inventory = &parcel.list.inventory[0];
    let head = &inventory.inventory_head;
    let body = entity_to_json(inventory).to_string();
    let mut tx = store.begin().await.unwrap();
    let message = NewMessage {
        sender_code: EBC,
        message_type: "CEB603",
        guid: &parcel.list.guid,
        sha256: "00",
        body: b"<CEB603Message/>",
    };
    let Kept::New(m) = docs::keep_message(&mut tx, &message, Timestamp::now())
        .await
        .unwrap()
    else {
        panic!("new")
    };
    let key = format!("{}/{}/{}", head.ebp_code, head.ebc_code, head.order_no);
    let waybill = format!("{}/{}", head.logistics_code, head.logistics_no);
    let new = NewDocument {
        kind: Kind::ExportList,
        business_key: &key,
        owner_code: EBC,
        ebp_code: Some(&head.ebp_code),
        order_no: &head.order_no,
        waybill_key: Some(&waybill),
        message_id: &m.id,
        position: 1,
        status: "2",
        awaiting: false,
        body: &body,
        buyer_id: None,
        consignee_address: None,
        buyer_telephone: None,
        pre_no: None,
    };
    let document = docs::keep_documents(&mut tx, &[new], Timestamp::now())
        .await
        .unwrap()
        .pop()
        .unwrap()
        .unwrap();
    docs::finish_list(
        &mut tx,
        &document.id,
        "800",
        Some(&invt_no(n)),
        Some(released),
        Timestamp::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// A CEB701 from EBC numbered `cop_no` naming the lists of `shipments`.
fn application(cop_no: &str, shipments: &[u32]) -> CEB701Message {
    let Message::Ceb701(mut m) = sample(MessageType::Ceb701) else {
        panic!("a CEB701")
    };
    m.guid = guid();
    m.base_transfer.cop_code = EBC.to_owned();
    m.summary_apply.truncate(1);
    let apply = &mut m.summary_apply[0];
    let head = &mut apply.summary_apply_head;
    head.guid = guid();
    head.app_type = "1".to_owned();
    head.app_status = "2".to_owned();
    head.agent_code = EBC.to_owned();
    head.ebc_code = EBC.to_owned();
    head.cop_no = cop_no.to_owned();
    head.pre_no = None;
    head.sum_no = None;
    head.start_time = None;
    head.end_time = None;
    head.msg_count = 1;
    head.msg_seq_no = 1;
    apply.summary_apply_list = shipments
        .iter()
        .map(|n| SummaryApplyList {
            invt_no: invt_no(*n),
        })
        .collect();
    m
}

/// (returnStatus, returnInfo, preNo, sumNo) of a CEB702's one entity.
fn answer(receipt: &Message) -> (String, String, String, Option<String>) {
    let Message::Ceb702(m) = receipt else {
        panic!("not a CEB702: {receipt:?}")
    };
    assert_eq!(m.summary_return.len(), 1);
    let r = &m.summary_return[0];
    (
        r.return_status.clone(),
        r.return_info.clone(),
        r.pre_no.clone(),
        r.sum_no.clone(),
    )
}

dual_backend_tests! {
    async fn last_months_lists_are_due_by_the_15th_and_filed_in_summary_with_one_result_per_declaration(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let (last, first_of_last) = last_month();
        // Two retail parcels to Russia by road, one B2B consignment to Korea
        // by sea, one list for statistics only — all released last month —
        // and a retail parcel released this month.
        let russia_1 = ExportParcel::numbered(1, ExportMode::Retail);
        let russia_2 = ExportParcel::numbered(2, ExportMode::Retail);
        let korea = ExportParcel::numbered(3, ExportMode::B2b);
        let statistics = ExportParcel::numbered(4, ExportMode::Retail).for_statistics_only();
        let this_month = ExportParcel::numbered(5, ExportMode::Retail);
        released(&zone, 1, &russia_1, last).await;
        released(&zone, 2, &russia_2, last).await;
        released(&zone, 3, &korea, last).await;
        released(&zone, 4, &statistics, last).await;
        released(&zone, 5, &this_month, Timestamp::now()).await;

        // What is due: last month, two declarations, one list counted apart.
        let due = zone.app.get_json(&zone.ebc, "/api/export-summaries/due").await;
        let months = due.as_array().unwrap();
        assert_eq!(months.len(), 1, "{due}");
        let month = &months[0];
        let deadline = summary::deadline(first_of_last, summary::weekdays).unwrap();
        let deadline_text = format!("{:04}-{:02}-{:02}", deadline.year(), u8::from(deadline.month()), deadline.day());
        assert_eq!(month["deadline"], deadline_text.as_str());
        let days_left = month["days_left"].as_i64().unwrap();
        assert_eq!(month["overdue"], days_left < 0);
        assert_eq!(month["due_soon"], (0..=3).contains(&days_left));
        assert_eq!(month["statistics_only"], 1);
        let groups = month["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 2, "{month}");
        let by_country = |country: &str| groups.iter().find(|g| g["arrival_country"] == country).unwrap().clone();
        assert_eq!(by_country("344")["lists"], serde_json::json!([invt_no(1), invt_no(2)]));
        assert_eq!(by_country("344")["transport_mode"], "4");
        assert_eq!(by_country("133")["lists"], serde_json::json!([invt_no(3)]));

        // The exporter's page shows the deadline, the groups and (when
        // near or past) the warning.
        zone.app.add_user(EBC, "exporter").await;
        let exporter = zone.app.signed_in("exporter").await;
        let page = exporter.page("/exports/summaries").await;
        assert!(page.contains(&deadline_text) && page.contains("class=\"due-groups\""), "{page}");
        assert!(page.contains(&invt_no(1)) && !page.contains(&invt_no(5)), "only last month's lists");
        assert_eq!(page.contains("id=\"summaries-overdue\""), days_left < 0);
        assert_eq!(page.contains("id=\"summaries-due-soon\""), (0..=3).contains(&days_left));
        assert!(page.contains("href=\"/exports/summaries\""), "in the navigation");

        // The application: accepted with the platform's numbers.
        let apply = application("SUM-2026-01", &[1, 2, 3]);
        let receipt = zone.send(&zone.ebc, &Message::Ceb701(apply.clone())).await;
        let (status, info, pre_no, sum_no) = answer(&receipt);
        assert_eq!(status, "120", "{info}");
        assert_eq!(pre_no.len(), 18);
        let sum_no = sum_no.unwrap();
        assert_eq!(sum_no.len(), 18);
        // A resend gets the same answer and keeps nothing more.
        let again = zone.send(&zone.ebc, &Message::Ceb701(apply)).await;
        assert_eq!(encode(&again), encode(&receipt));

        // One CEB792 per declaration in the feed, numbered 1 and 2 of 2.
        let results: Vec<_> = zone
            .feed(&zone.ebc)
            .await
            .into_iter()
            .filter_map(|(kind, m)| match m {
                Message::Ceb792(r) if kind == "CEB792" => Some(r),
                _ => None,
            })
            .collect();
        assert_eq!(results.len(), 2, "one result per declaration, none for the resend");
        let numbered = [(invt_no(1), &russia_1), (invt_no(2), &russia_2), (invt_no(3), &korea)];
        let mut seen = Vec::new();
        for result in &results {
            let head = &result.summary_result[0].summary_result_head;
            let lines = &result.summary_result[0].summary_result_list;
            assert_eq!(head.sum_no, sum_no);
            assert_eq!(head.msg_count, 2);
            assert_eq!(head.decl_seq_no.len(), 18);
            seen.push(head.msg_seq_no);
            let mut lists: Vec<&str> = lines.iter().map(|l| l.invt_no.as_str()).collect();
            lists.dedup();
            let parcels: Vec<&ExportParcel> = if lists.contains(&invt_no(3).as_str()) {
                vec![&korea]
            } else {
                vec![&russia_1, &russia_2]
            };
            let gross: Decimal = parcels.iter().map(|p| p.list_head().gross_weight).sum();
            assert_eq!(head.gross_weight, gross);
            let goods = parcels.iter().map(|p| p.list.inventory[0].inventory_list.len()).sum::<usize>();
            assert_eq!(lines.len(), goods, "every goods line of every list");
            for line in lines {
                assert!(line.gseqno >= 1, "{line:?}");
                let (_, parcel) = numbered.iter().find(|(n, _)| *n == line.invt_no).unwrap();
                assert_eq!(line.logistics_no, parcel.logistics_no());
            }
            // The same goods of both Russian lists went into the same line.
            for line in lines.iter().filter(|l| l.invt_no == invt_no(1)) {
                let twin = lines.iter().find(|l| l.invt_no == invt_no(2) && l.gnum == line.gnum).unwrap();
                assert_eq!(twin.gseqno, line.gseqno);
            }
        }
        seen.sort_unstable();
        assert_eq!(seen, vec![1, 2]);
        assert!(results.iter().all(|r| r.summary_result[0].summary_result_head.net_weight > Decimal::ZERO));

        // Refusals name the field and value; each changes nothing.
        let cases: [(&str, &[u32], &str, &str); 5] = [
            ("SUM-2026-01", &[3], "-701002", "copNo=SUM-2026-01"),
            ("SUM-2026-02", &[1], "-701007", &sum_no),
            ("SUM-2026-03", &[4], "-701006", "statisticsFlag=A"),
            ("SUM-2026-04", &[5], "-701005", &invt_no(5)),
            ("SUM-2026-05", &[99], "-701003", &invt_no(99)),
        ];
        for (cop_no, shipments, code, names) in cases {
            let receipt = zone.send(&zone.ebc, &Message::Ceb701(application(cop_no, shipments))).await;
            let (status, info, _, sum) = answer(&receipt);
            assert_eq!(status, code, "{cop_no}: {info}");
            assert!(info.contains(names), "{cop_no}: {info}");
            assert!(sum.is_none());
        }
        let mut half = application("SUM-2026-06", &[]);
        half.summary_apply[0].summary_apply_head.start_time = Some("20260101000000".to_owned());
        let (status, info, _, _) = answer(&zone.send(&zone.ebc, &Message::Ceb701(half)).await);
        assert_eq!((status.as_str(), info.contains("startTime")), ("-701001", true), "{info}");
        // Sent as the e-commerce enterprise for another declaring agent: the
        // lists must be that agent's (issue #14: the sender may be either).
        let mut other = application("SUM-2026-07", &[3]);
        other.summary_apply[0].summary_apply_head.agent_code = "2224960099".to_owned();
        let (status, info, _, _) = answer(&zone.send(&zone.ebc, &Message::Ceb701(other)).await);
        assert_eq!((status.as_str(), info.contains("2224960099")), ("-701003", true), "{info}");
        // Naming neither itself nor a principal, it is refused outright.
        let mut neither = application("SUM-2026-09", &[3]);
        neither.summary_apply[0].summary_apply_head.agent_code = "2224960099".to_owned();
        neither.summary_apply[0].summary_apply_head.ebc_code = "2224960098".to_owned();
        let (status, info, _, _) = answer(&zone.send(&zone.ebc, &Message::Ceb701(neither)).await);
        assert_eq!((status.as_str(), info.contains("agentCode 2224960099")), ("-701001", true), "{info}");
        // Last month has nothing left to declare: an application by period
        // finds nothing.
        let (status, info, _, _) = answer(&zone.send(&zone.ebc, &Message::Ceb701(application("SUM-2026-08", &[]))).await);
        assert_eq!(status, "-701008", "{info}");

        // Nothing is due any more (the statistics-only list is counted, not due).
        let due = zone.app.get_json(&zone.ebc, "/api/export-summaries/due").await;
        let month = &due.as_array().unwrap()[0];
        assert_eq!(month["groups"].as_array().unwrap().len(), 0, "{due}");
        assert_eq!((month["overdue"].as_bool(), month["due_soon"].as_bool()), (Some(false), Some(false)));
        assert_eq!(month["statistics_only"], 1);

        // The officer sees the filed summary with its two results; the page
        // of the exporter too.
        let customs_code = crate::support::agency_code(Role::Customs);
        zone.app.add_user(&customs_code, "officer").await;
        let officer = zone.app.signed_in("officer").await;
        let page = officer.page("/exports/summaries").await;
        assert!(page.contains("id=\"summaries-filed\"") && page.contains(&sum_no) && page.contains(EBC), "{page}");
        let page = exporter.page("/exports/summaries").await;
        assert!(page.contains(&sum_no) && page.contains("SUM-2026-01"), "{page}");
        let all = zone.app.get_json(&zone.customs, "/api/export-summaries/due").await;
        assert!(all.is_array());
        // Another enterprise sees none of it.
        let other = zone.app.get_json(&zone.pay, "/api/export-summaries/due").await;
        assert_eq!(other, serde_json::json!([]));
    }

    async fn only_the_declarer_or_ebc_may_apply_for_a_summary(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let mut apply = application("SUM-X", &[1]);
        apply.base_transfer.cop_code = ExportParcel::PAY.to_owned();
        let (status, _) = zone.post(&zone.pay, &encode(&Message::Ceb701(apply))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the payment company holds neither role");
        let apply = application("SUM-X", &[1]);
        let (status, _) = zone.post(&zone.pay, &encode(&Message::Ceb701(apply))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "nor speaks for the exporter");
    }
}
