//! Export returns end to end over HTTP with CEB XML (出口退货, issue #7;
//! policy-rules.md §7.2): a 9610 parcel is shipped and released; its
//! declarer asks one of two units back (CEB213 → CEB214 120 with the tax
//! consequence), the supervised site tallies it in (CEB215 → CEB216 120,
//! the return `tallied`); over-returns, a taken coElNo, another
//! enterprise's list and a list released too long ago are refused with
//! their codes; food is taxable, other goods exempt. Both backends.

use std::time::Duration;

use kuajing_ceb::Message;
use kuajing_ceb::sample::export::{ExportMode, ExportParcel};
use kuajing_core::timestamp::Timestamp;
use kuajing_testkit::dual_backend_tests;
use rust_decimal::Decimal;

use kuajing_clearance::export_return::ReturnPolicy;

use crate::clearance::{guid, sandbox};
use crate::exports::{Exporters, shipment};

/// Ships `parcel` (9610: order, receipt of payment, waybill, list) and
/// returns its list number once released.
async fn released(ex: &Exporters, parcel: &ExportParcel) -> String {
    ex.ship(parcel, &[0, 1, 2, 3]).await;
    let (statuses, info, invt_no) = ex.list(&parcel.list_head().cop_no).await;
    assert_eq!(
        statuses.last().map(String::as_str),
        Some("800"),
        "{statuses:?} {info}"
    );
    invt_no
}

/// A return request of `qty` units numbered `co_el_no`, under a new guid.
fn request(parcel: &ExportParcel, invt_no: &str, qty: i64, co_el_no: &str) -> Message {
    let mut message = parcel.goods_return(invt_no, Decimal::from(qty));
    message.guid = guid();
    message.invt_refund[0].invt_refund_head.co_el_no = co_el_no.to_owned();
    Message::Ceb213(message)
}

dual_backend_tests! {
    async fn a_returned_unit_is_accepted_exempt_tallied_and_never_returned_twice(db: TestDatabase) {
        // A return policy covering the test's day, whatever the year (the
        // published periods have their own unit test).
        let mut settings = sandbox();
        let today = Timestamp::now().in_china().date();
        settings.clearance.export_return_policies = vec![ReturnPolicy {
            from: today.previous_day().unwrap(),
            to: today.next_day().unwrap(),
            notice: "测试用政策 / the test's policy".to_owned(),
        }];
        let ex = Exporters::with(&db, settings).await;
        let z = &ex.zone;
        // Knitted cotton T-shirts (HS 6109): not food.
        let parcel = shipment(31, ExportMode::Retail).with_gcode("6109100021");
        let invt_no = released(&ex, &parcel).await;

        // One of the two units comes back: stored (120), exempt.
        let first = parcel.goods_return(&invt_no, Decimal::ONE);
        let co_el_no = first.invt_refund[0].invt_refund_head.co_el_no.clone();
        let receipt = z.send(&z.ebc, &Message::Ceb213(first.clone())).await;
        let Message::Ceb214(answer) = &receipt else { panic!("not a CEB214: {receipt:?}") };
        let entity = &answer.refund_return[0];
        assert_eq!(entity.return_status, "120", "{}", entity.return_info);
        assert!(entity.return_info.contains("exempt"), "{}", entity.return_info);
        assert!(entity.return_info.contains("the test's policy"), "{}", entity.return_info);
        assert_eq!(entity.invt_no, invt_no);
        let pre_no = entity.pre_no.clone().expect("the platform's preNo");
        // A resend of the same guid gets the same receipt and changes nothing.
        assert_eq!(z.send(&z.ebc, &Message::Ceb213(first)).await, receipt);
        // The coElNo again under a new guid is taken.
        let again = ex.send(&z.ebc, &request(&parcel, &invt_no, 1, &co_el_no)).await;
        assert_eq!(again[0].0, "-213010", "{again:?}");
        // Two more would be more than the one left.
        let over = ex.send(&z.ebc, &request(&parcel, &invt_no, 2, "RET-OVER")).await;
        assert_eq!(over[0].0, "-213009", "{over:?}");
        assert!(over[0].1.contains("qty 2"), "{over:?}");

        // The site tallies the goods in: the return is tallied.
        let tally = ex.send(&ex.site, &Message::Ceb215(parcel.tally(&invt_no, &co_el_no))).await;
        assert_eq!(tally[0].0, "120", "{tally:?}");
        let mut twice = parcel.tally(&invt_no, &co_el_no);
        twice.guid = guid();
        assert_eq!(ex.send(&ex.site, &Message::Ceb215(twice)).await[0].0, "-215005");
        let unknown = ex.send(&ex.site, &Message::Ceb215(parcel.tally(&invt_no, "RET-NONE"))).await;
        assert_eq!(unknown[0].0, "-215003", "{unknown:?}");

        let returns = z.app.get_json(&z.ebc, "/api/exports/returns").await;
        let returns = returns.as_array().unwrap();
        assert_eq!(returns.len(), 1, "{returns:?}");
        let r = &returns[0];
        assert_eq!((r["state"].as_str(), r["tax"].as_str()), (Some("tallied"), Some("exempt")));
        assert_eq!(r["invt_no"], invt_no.as_str());
        assert_eq!(r["pre_no"], pre_no.as_str());
        assert_eq!(r["lines"][0]["qty"], "1");
        assert_eq!(r["lines"][0]["gcode"], "6109100021");
        assert!(r["tallied_at"].is_string());

        // The last unit may still come back.
        let last = ex.send(&z.ebc, &request(&parcel, &invt_no, 1, "RET-LAST")).await;
        assert_eq!(last[0].0, "120", "{last:?}");
        // A line the list does not have.
        let mut stray = parcel.goods_return(&invt_no, Decimal::ONE);
        stray.guid = guid();
        stray.invt_refund[0].invt_refund_head.co_el_no = "RET-STRAY".to_owned();
        stray.invt_refund[0].invt_refund_list[0].gnum = 9;
        let stray = ex.send(&z.ebc, &Message::Ceb213(stray)).await;
        assert_eq!(stray[0].0, "-213009", "{stray:?}");
        assert!(stray[0].1.contains("gnum 9"), "{stray:?}");
        // Rules, each named: an export return says ieFlag I; a request is
        // not changed; a draft is answered 1 and not kept.
        let mut outbound = parcel.goods_return(&invt_no, Decimal::ONE);
        outbound.guid = guid();
        outbound.invt_refund[0].invt_refund_head.co_el_no = "RET-E".to_owned();
        outbound.invt_refund[0].invt_refund_head.ie_flag = "E".to_owned();
        let outbound = ex.send(&z.ebc, &Message::Ceb213(outbound)).await;
        assert_eq!(outbound[0].0, "-213001", "{outbound:?}");
        // (The codec's rules name it first, under the range's code.)
        assert!(outbound[0].1.contains("ieFlag") && outbound[0].1.contains("\"E\""), "{outbound:?}");
        let mut change = parcel.goods_return(&invt_no, Decimal::ONE);
        change.guid = guid();
        change.invt_refund[0].invt_refund_head.app_type = "2".to_owned();
        let change = ex.send(&z.ebc, &Message::Ceb213(change)).await;
        assert_eq!(change[0].0, "-213001", "{change:?}");
        assert!(change[0].1.contains("appType 2"), "{change:?}");
        let mut draft = parcel.goods_return(&invt_no, Decimal::ONE);
        draft.guid = guid();
        draft.invt_refund[0].invt_refund_head.co_el_no = "RET-DRAFT".to_owned();
        draft.invt_refund[0].invt_refund_head.app_status = "1".to_owned();
        assert_eq!(ex.send(&z.ebc, &Message::Ceb213(draft)).await[0].0, "1");
        // Only the declarer asks for a return; only the site tallies.
        // (Each sends as itself: the role, not the identity, is refused.)
        let Message::Ceb213(mut by_carrier) = request(&parcel, &invt_no, 1, "RET-X") else { unreachable!() };
        by_carrier.base_transfer.cop_code = ExportParcel::LOGISTICS.to_owned();
        let (status, _) = z.post(&z.logistics, &kuajing_ceb::encode(&Message::Ceb213(by_carrier))).await;
        assert_eq!(status, reqwest::StatusCode::FORBIDDEN);
        let mut by_exporter = parcel.tally(&invt_no, "RET-LAST");
        by_exporter.base_transfer.cop_code = ExportParcel::EBC.to_owned();
        let (status, _) = z.post(&z.ebc, &kuajing_ceb::encode(&Message::Ceb215(by_exporter))).await;
        assert_eq!(status, reqwest::StatusCode::FORBIDDEN);
        // Customs reads every return.
        let all = z.app.get_json(&z.customs, "/api/exports/returns").await;
        assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    }

    async fn food_is_taxable_and_other_or_late_lists_are_refused(db: TestDatabase) {
        let ex = Exporters::new(&db).await;
        let z = &ex.zone;
        // Honey (HS 0409, chapter 04): food, excluded from the exemption.
        let parcel = shipment(32, ExportMode::Retail);
        let invt_no = released(&ex, &parcel).await;
        let honey = ex.send(&z.ebc, &request(&parcel, &invt_no, 1, "RET-HONEY")).await;
        assert_eq!(honey[0].0, "120", "{honey:?}");
        assert!(honey[0].1.contains("taxable") && honey[0].1.contains("§7.2"), "{honey:?}");
        let returns = z.app.get_json(&z.ebc, "/api/exports/returns").await;
        assert_eq!(returns[0]["tax"], "taxable", "{returns}");
        assert_eq!(returns[0]["state"], "requested", "{returns}");
        // The exporter's page shows it, with the basis.
        z.app.add_user(ExportParcel::EBC, "exporter").await;
        let page = z.app.signed_in("exporter").await.page("/exports").await;
        assert!(page.contains("id=\"export-returns\"") && page.contains("RET-HONEY"), "{page}");
        assert!(page.contains("出口退货") && page.contains("§7.2"), "{page}");

        // Another enterprise cannot return this exporter's list.
        let other = "2224969031";
        let stranger = z.app.member(other, &["ebc", "declarer"]).await;
        let Message::Ceb213(mut foreign) = request(&parcel, &invt_no, 1, "RET-FOREIGN") else {
            unreachable!()
        };
        foreign.base_transfer.cop_code = other.to_owned();
        foreign.invt_refund[0].invt_refund_head.agent_code = other.to_owned();
        let refused = ex.send(&stranger, &Message::Ceb213(foreign)).await;
        assert_eq!(refused[0].0, "-213003", "{refused:?}");
        assert!(refused[0].1.contains(&invt_no), "{refused:?}");
        assert_eq!(z.app.get_json(&stranger, "/api/exports/returns").await.as_array().unwrap().len(), 0);

        // Released seven months ago: out of the six-month window.
        let long_ago = Timestamp::now().minus(Duration::from_secs(214 * 86_400));
        let mut tx = z.app.store.begin().await.unwrap();
        kuajing_store::sql::query("UPDATE ceb_documents SET released_at = $1 WHERE kind = 'export-list' AND invt_no = $2")
            .bind(long_ago.to_string())
            .bind(&invt_no)
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let late = ex.send(&z.ebc, &request(&parcel, &invt_no, 1, "RET-LATE")).await;
        assert_eq!(late[0].0, "-213005", "{late:?}");
        assert!(late[0].1.contains("6-month"), "{late:?}");

        // A list numbered so by nobody.
        let waiting = shipment(33, ExportMode::Retail);
        let refused = ex.send(&z.ebc, &request(&waiting, "299120260000000000", 1, "RET-NONE")).await;
        assert_eq!(refused[0].0, "-213003", "no list numbered so: {refused:?}");
        // A list that is not released (cancelled, say) has no return.
        let mut tx = z.app.store.begin().await.unwrap();
        kuajing_store::sql::query("UPDATE ceb_documents SET status = 'cancelled', released_at = $1 WHERE kind = 'export-list' AND invt_no = $2")
            .bind(Timestamp::now().to_string())
            .bind(&invt_no)
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let cancelled = ex.send(&z.ebc, &request(&parcel, &invt_no, 1, "RET-CANCELLED")).await;
        assert_eq!(cancelled[0].0, "-213005", "{cancelled:?}");
        assert!(cancelled[0].1.contains("cancelled"), "{cancelled:?}");
    }
}
