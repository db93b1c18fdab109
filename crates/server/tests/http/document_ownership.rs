//! Whose documents an enterprise may declare (issue #14, finding 1): a
//! bystander enterprise holding every sending role tries to change, delete
//! and squat another enterprise's orders, payments, waybills and lists —
//! each refused with a business receipt naming the fields, nothing changed,
//! and the victim's parcel still clears; an enterprise the party delegated
//! to may declare for it (without the role itself), may not change what
//! the party declared, and is refused again once the delegation is revoked.

use kuajing_ceb::Message;
use kuajing_ceb::sample::Parcel;
use kuajing_testkit::dual_backend_tests;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::clearance::{Zone, cancellation, goods_return, guid, parcel, sandbox, statuses};
use crate::support::json as body_of;

/// An enterprise holding every sending role, party to none of the parcels.
const BYSTANDER: &str = "2224960077";
/// A customs broker (申报企业) holding only the declarer role.
const BROKER: &str = "2224960088";

/// The return info of each entity of a business receipt.
fn infos(receipt: &Message) -> Vec<String> {
    match receipt {
        Message::Ceb312(m) => m
            .order_return
            .iter()
            .map(|r| r.return_info.clone())
            .collect(),
        Message::Ceb412(m) => m
            .payment_return
            .iter()
            .map(|r| r.return_info.clone())
            .collect(),
        Message::Ceb512(m) => m
            .logistics_return
            .iter()
            .map(|r| r.return_info.clone())
            .collect(),
        Message::Ceb622(m) => m
            .inventory_return
            .iter()
            .map(|r| r.return_info.clone())
            .collect(),
        other => panic!("not a business receipt: {other:?}"),
    }
}

/// `message` sent again by the bystander: its own copCode, a fresh guid,
/// `app_type`, and a buyer name of its choosing on orders and lists.
fn hijacked(message: &Message, app_type: &str) -> Message {
    let mut message = message.clone();
    match &mut message {
        Message::Ceb311(m) => {
            m.guid = guid();
            m.base_transfer.cop_code = BYSTANDER.to_owned();
            for o in &mut m.order {
                o.order_head.app_type = app_type.to_owned();
                o.order_head.buyer_name = "冒名者".to_owned();
            }
        }
        Message::Ceb411(m) => {
            m.guid = guid();
            m.base_transfer.cop_code = BYSTANDER.to_owned();
            for p in &mut m.payment {
                p.payment_head.app_type = app_type.to_owned();
            }
        }
        Message::Ceb511(m) => {
            m.guid = guid();
            m.base_transfer.cop_code = BYSTANDER.to_owned();
            for w in &mut m.logistics {
                w.logistics_head.app_type = app_type.to_owned();
            }
        }
        Message::Ceb621(m) => {
            m.guid = guid();
            m.base_transfer.cop_code = BYSTANDER.to_owned();
            for l in &mut m.inventory {
                l.inventory_head.app_type = app_type.to_owned();
                l.inventory_head.buyer_name = "冒名者".to_owned();
            }
        }
        other => panic!("not a document message: {other:?}"),
    }
    message
}

/// The four messages of `p` (order, payment, waybill, list).
fn four(p: &Parcel) -> [Message; 4] {
    [
        Message::Ceb311(p.order.clone()),
        Message::Ceb411(p.payment.clone()),
        Message::Ceb511(p.waybill.clone()),
        Message::Ceb621(p.list.clone()),
    ]
}

/// The fields a refusal of each kind must name.
const NAMED: [&[&str]; 4] = [
    &["ebpCode", "ebcCode"],
    &["payCode"],
    &["logisticsCode"],
    &["agentCode", "ebcCode"],
];

/// The code a refusal of each kind carries (table 7-2's validation codes).
const CODES: [&str; 4] = ["-301008", "-401009", "-504000", "-621001"];

/// Sends `p`'s order, payment and waybill, each from its own party.
async fn order_payment_waybill(zone: &Zone, p: &Parcel) {
    for (token, message) in [(&zone.ebp, 0), (&zone.pay, 1), (&zone.logistics, 2)] {
        let receipt = zone.send(token, &four(p)[message]).await;
        assert_eq!(statuses(&receipt), ["2"], "{receipt:?}");
    }
}

async fn bystander_refused(zone: &Zone, token: &str, message: &Message, kind: usize) {
    let receipt = zone.send(token, message).await;
    assert_eq!(statuses(&receipt), [CODES[kind]], "{receipt:?}");
    let info = &infos(&receipt)[0];
    for field in NAMED[kind] {
        assert!(info.contains(field), "{info}");
    }
    assert!(info.contains(BYSTANDER), "{info}");
}

dual_backend_tests! {
    async fn a_bystander_can_neither_change_delete_nor_squat_anothers_documents(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let bystander = zone.app.member(BYSTANDER, &["ebp", "ebc", "payment", "logistics", "declarer"]).await;

        // Squatting: the bystander declares parcel 1's four documents first,
        // naming the victims as the parties. Each is refused and nothing is
        // kept, so the victims' own documents go through afterwards.
        let first = parcel(1);
        for (kind, message) in four(&first).iter().enumerate() {
            bystander_refused(&zone, &bystander, &hijacked(message, "1"), kind).await;
        }
        // A payment in the bystander's own name for the same order number
        // (a different amount) is its own document and is kept, but the
        // list matches the payment its order names, not the first to come.
        let mut decoy = first.payment.clone();
        decoy.guid = guid();
        decoy.base_transfer.cop_code = BYSTANDER.to_owned();
        decoy.payment[0].payment_head.pay_code = BYSTANDER.to_owned();
        decoy.payment[0].payment_head.amount_paid += rust_decimal::Decimal::ONE;
        assert_eq!(statuses(&zone.send(&bystander, &Message::Ceb411(decoy)).await), ["2"]);
        zone.send_parcel(&first, [0, 1, 2, 3]).await;
        let released = zone.list_statuses().await;
        assert_eq!(released["HCINV-T000001"].last().map(String::as_str), Some("800"), "{released:?}");

        // Takeover and deletion: parcel 2's documents are in, its list is
        // waiting for nothing but would match; the bystander's changes
        // (appType 2, another buyer name) and deletions (3) are refused.
        let second = parcel(2);
        order_payment_waybill(&zone, &second).await;
        let [order, payment, waybill, list] = four(&second);
        for (kind, message) in [order, payment, waybill].iter().enumerate() {
            bystander_refused(&zone, &bystander, &hijacked(message, "2"), kind).await;
            bystander_refused(&zone, &bystander, &hijacked(message, "3"), kind).await;
        }
        // The victim's list still matches the untouched order and clears.
        let receipt = zone.send(&zone.ebc, &list).await;
        assert_eq!(statuses(&receipt), ["2"]);
        assert_eq!(zone.list_statuses().await["HCINV-T000002"].last().map(String::as_str), Some("800"));

        // A list declared by its e-commerce enterprise: the bystander can
        // neither change it, nor cancel or return it, even naming itself
        // as the declaring agent.
        let third = parcel(3);
        order_payment_waybill(&zone, &third).await;
        let mut draft = third.list.clone();
        draft.inventory[0].inventory_head.app_status = "1".to_owned();
        assert_eq!(statuses(&zone.send(&zone.ebc, &Message::Ceb621(draft.clone())).await), ["1"]);
        let mut as_agent = hijacked(&Message::Ceb621(draft), "2");
        if let Message::Ceb621(m) = &mut as_agent {
            m.inventory[0].inventory_head.agent_code = BYSTANDER.to_owned();
        }
        let receipt = zone.send(&bystander, &as_agent).await;
        assert_eq!(statuses(&receipt), ["-621001"], "{receipt:?}");
        assert!(infos(&receipt)[0].contains("neither declared it nor is named in it"), "{receipt:?}");
        let invt_no = zone.invt_no("HCINV-T000002").await;
        for (message, code) in [
            (cancellation(&second, &invt_no), "-623003"),
            (goods_return(&second, &invt_no, "1"), "-625001"),
        ] {
            let mut message = message;
            match &mut message {
                Message::Ceb623(m) => m.base_transfer.cop_code = BYSTANDER.to_owned(),
                Message::Ceb625(m) => m.base_transfer.cop_code = BYSTANDER.to_owned(),
                _ => unreachable!(),
            }
            let receipt = zone.send(&bystander, &message).await;
            let status = match &receipt {
                Message::Ceb624(m) => m.invt_cancel_return[0].return_status.clone(),
                Message::Ceb626(m) => m.invt_refund_return[0].return_status.clone(),
                other => panic!("{other:?}"),
            };
            assert_eq!(status, code, "{receipt:?}");
        }
        // Parcel 2 is still released and its buyer's quota still used.
        assert_eq!(zone.list_statuses().await["HCINV-T000002"].last().map(String::as_str), Some("800"));
    }

    async fn a_delegate_declares_for_its_principal_until_the_delegation_is_revoked(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let broker = zone.app.member(BROKER, &["declarer"]).await;

        // Without a delegation the broker may not send the platform's
        // orders: it lacks the role (403) and is named in none.
        let first = parcel(1);
        let mut order = first.order.clone();
        order.base_transfer.cop_code = BROKER.to_owned();
        let (status, _) = zone.post(&broker, &kuajing_ceb::encode(&Message::Ceb311(order.clone()))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // The platform delegates its orders, the e-commerce enterprise its
        // lists; both are audited and both sides read them.
        let granted = body_of(
            zone.app.post_json(&zone.ebp, "/api/delegations", &json!({"agent_code": BROKER, "scopes": ["orders"], "note": "报关委托协议 2026-018"})).await,
            StatusCode::CREATED,
        ).await;
        assert_eq!(granted[0]["scope"], "orders");
        assert_eq!(granted[0]["in_force"], true);
        let lists = body_of(
            zone.app.post_json(&zone.ebc, "/api/delegations", &json!({"agent_code": BROKER, "scopes": ["lists"]})).await,
            StatusCode::CREATED,
        ).await;
        let seen = zone.app.get_json(&broker, "/api/delegations").await;
        assert_eq!(seen.as_array().unwrap().len(), 2, "{seen}");
        let all = zone.app.get_json(&zone.customs, "/api/delegations").await;
        assert_eq!(all.as_array().unwrap().len(), 2, "{all}");

        // Now the broker sends the platform's order and the enterprise's
        // list under its own copCode, and the parcel clears.
        order.guid = guid();
        assert_eq!(statuses(&zone.send(&broker, &Message::Ceb311(order)).await), ["2"]);
        zone.send(&zone.pay, &Message::Ceb411(first.payment.clone())).await;
        zone.send(&zone.logistics, &Message::Ceb511(first.waybill.clone())).await;
        // The list names the enterprise as agentCode and ebcCode: the
        // broker is named nowhere, it declares under the delegation.
        let mut list = first.list.clone();
        list.base_transfer.cop_code = BROKER.to_owned();
        assert_eq!(statuses(&zone.send(&broker, &Message::Ceb621(list)).await), ["2"]);
        assert_eq!(zone.list_statuses_of(&broker).await["HCINV-T000001"].last().map(String::as_str), Some("800"));

        // A delegate may not change what its principal declared itself.
        let second = parcel(2);
        zone.send(&zone.ebc, &Message::Ceb621(second.list.clone())).await;
        let mut change = second.list.clone();
        change.guid = guid();
        change.base_transfer.cop_code = BROKER.to_owned();
        change.inventory[0].inventory_head.app_type = "2".to_owned();
        let receipt = zone.send(&broker, &Message::Ceb621(change)).await;
        assert_eq!(statuses(&receipt), ["-621001"], "{receipt:?}");

        // Another enterprise cannot revoke the enterprise's delegation
        // (it is not found for it); the enterprise can, and then the
        // broker is refused, naming the fields.
        let id = lists[0]["id"].as_i64().unwrap();
        let path = format!("/api/delegations/{id}/revoke");
        let response = zone.app.post_json(&zone.ebp, &path, &Value::Null).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let revoked = body_of(zone.app.post_json(&zone.ebc, &path, &Value::Null).await, StatusCode::OK).await;
        assert_eq!(revoked["in_force"], false);
        let again = zone.app.post_json(&zone.ebc, &path, &Value::Null).await;
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let third = parcel(3);
        let mut list = third.list.clone();
        list.base_transfer.cop_code = BROKER.to_owned();
        let receipt = zone.send(&broker, &Message::Ceb621(list.clone())).await;
        assert_eq!(statuses(&receipt), ["-621001"], "{receipt:?}");
        for field in ["agentCode", "ebcCode", BROKER] {
            assert!(infos(&receipt)[0].contains(field), "{receipt:?}");
        }
        // Named itself as the declaring agent, the broker declares its own
        // list (a list is its agentCode's or its ebcCode's).
        list.guid = guid();
        list.inventory[0].inventory_head.agent_code = BROKER.to_owned();
        assert_eq!(statuses(&zone.send(&broker, &Message::Ceb621(list)).await), ["2"]);

        // Bad grants change nothing and name the field.
        for (body, field) in [
            (json!({"agent_code": BROKER, "scopes": ["payments"]}), "scopes[0]"),
            (json!({"agent_code": BROKER, "scopes": ["everything"]}), "scopes[0]"),
            (json!({"agent_code": BROKER, "scopes": []}), "scopes"),
            (json!({"agent_code": Parcel::EBC, "scopes": ["lists"]}), "agent_code"),
            (json!({"agent_code": "2224969999", "scopes": ["lists"]}), "agent_code"),
            (json!({"agent_code": BROKER, "scopes": ["lists"], "valid_through": "2020-01-01"}), "valid_through"),
        ] {
            let error = body_of(zone.app.post_json(&zone.ebc, "/api/delegations", &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(error["field"], field, "{body}: {error}");
        }
        let duplicate = zone.app.post_json(&zone.ebp, "/api/delegations", &json!({"agent_code": BROKER, "scopes": ["orders"]})).await;
        assert_eq!(duplicate.status(), StatusCode::CONFLICT);
        let active = zone.app.get_json(&zone.ebc, "/api/delegations").await;
        assert!(active.as_array().unwrap().is_empty(), "{active}");
        let history = zone.app.get_json(&zone.ebc, "/api/delegations?include_revoked=true").await;
        assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
    }
}

dual_backend_tests! {
    async fn in_the_portal_an_enterprise_grants_and_after_confirming_revokes_a_delegation(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        zone.app.member(BROKER, &["declarer"]).await;
        zone.app.add_user(Parcel::EBC, "seller").await;
        let seller = zone.app.signed_in("seller").await;
        for lang in ["zh-CN", "en", "ru"] {
            let page = seller.page(&format!("/delegations?lang={lang}")).await;
            assert!(page.contains(r#"name="agent_code""#), "{lang}: {page}");
        }
        let page = seller.page("/delegations?lang=en").await;
        // The e-commerce enterprise may delegate orders and lists, not
        // payments or a site's reports.
        assert!(page.contains(r#"value="orders""#) && page.contains(r#"value="lists""#), "{page}");
        assert!(!page.contains(r#"value="payments""#) && !page.contains(r#"value="site""#), "{page}");
        let csrf = crate::support::hidden_csrf(&page);
        let refused = crate::support::html(
            seller.post_form("/delegations", &[("csrf", &csrf), ("agent_code", "2224969999"), ("scopes", "lists")]).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        ).await;
        assert!(refused.contains("2224969999"), "the refusal names the value: {refused}");
        let done = crate::support::html(
            seller.post_form("/delegations", &[("csrf", &csrf), ("agent_code", BROKER), ("scopes", "lists"), ("scopes", "orders"), ("valid_through", "2099-12-31"), ("note", "报关委托协议")]).await,
            StatusCode::OK,
        ).await;
        assert!(done.contains("form-done") && done.contains("2099-12-31"), "{done}");
        // Revoking is behind a confirmation; the revocation form is there.
        let listed = zone.app.get_json(&zone.ebc, "/api/delegations").await;
        let id = listed[0]["id"].as_i64().unwrap();
        assert!(done.contains(r#"<details class="confirm">"#), "{done}");
        assert!(done.contains(&format!(r#"action="/delegations/{id}/revoke""#)), "{done}");
        let revoked = crate::support::html(
            seller.post_form(&format!("/delegations/{id}/revoke"), &[("csrf", &csrf)]).await,
            StatusCode::OK,
        ).await;
        assert!(revoked.contains("form-done"), "{revoked}");
        let still = zone.app.get_json(&zone.ebc, "/api/delegations").await;
        assert_eq!(still.as_array().unwrap().len(), 1, "one of the two revoked: {still}");
        // Without the form's token nothing is revoked.
        let other = still[0]["id"].as_i64().unwrap();
        let forged = seller.post_form(&format!("/delegations/{other}/revoke"), &[("csrf", "forged")]).await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        assert_eq!(zone.app.get_json(&zone.ebc, "/api/delegations").await.as_array().unwrap().len(), 1);
    }
}

dual_backend_tests! {
    async fn the_same_holds_for_export_documents_and_manifests(db: TestDatabase) {
        use kuajing_ceb::sample::export::{ExportMode, ExportParcel};

        use crate::exports::{Exporters, shipment};
        let ex = Exporters::new(&db).await;
        let z = &ex.zone;
        let bystander = z.app.member(BYSTANDER, &["ebp", "ebc", "payment", "logistics", "declarer", "warehouse"]).await;
        let parcel = shipment(1, ExportMode::Retail);
        // Squatting the export order, receipt of payment, waybill and list.
        let mut order = parcel.order.clone();
        order.base_transfer.cop_code = BYSTANDER.to_owned();
        let mut collection = parcel.collection.clone();
        collection.base_transfer.cop_code = BYSTANDER.to_owned();
        let mut waybill = parcel.waybill.clone();
        waybill.base_transfer.cop_code = BYSTANDER.to_owned();
        let mut list = parcel.list.clone();
        list.base_transfer.cop_code = BYSTANDER.to_owned();
        for (message, code, field) in [
            (Message::Ceb303(order), "-301008", "ebpCode"),
            (Message::Ceb403(collection), "-401009", "payCode"),
            (Message::Ceb505(waybill), "-504000", "logisticsCode"),
            (Message::Ceb603(list), "-621001", "agentCode"),
        ] {
            let answered = ex.send(&bystander, &message).await;
            assert_eq!(answered[0].0, code, "{answered:?}");
            assert!(answered[0].1.contains(field) && answered[0].1.contains(BYSTANDER), "{answered:?}");
        }
        // The exporter's own documents go through and the list is released.
        ex.ship(&parcel, &[0, 1, 2, 3]).await;
        let (statuses, _, invt_no) = ex.list(&parcel.list_head().cop_no).await;
        assert_eq!(statuses.last().map(String::as_str), Some("800"), "{statuses:?}");

        // Reporting the site's arrival or the carrier's departure in their
        // name, or cancelling the exporter's list, is refused.
        let mut arrival = ExportParcel::arrival(&[&parcel], "ARR-STRANGER");
        arrival.base_transfer.cop_code = BYSTANDER.to_owned();
        let answered = ex.send(&bystander, &Message::Ceb507(arrival)).await;
        assert_eq!(answered[0].0, "-507000", "{answered:?}");
        assert!(answered[0].1.contains("operatorCode"), "{answered:?}");
        let mut departure = ExportParcel::departure(&[&parcel], "DEP-STRANGER");
        departure.base_transfer.cop_code = BYSTANDER.to_owned();
        let answered = ex.send(&bystander, &Message::Ceb509(departure)).await;
        assert_eq!(answered[0].0, "-509000", "{answered:?}");
        assert!(answered[0].1.contains("logisticsCode"), "{answered:?}");
        let mut cancel = parcel.cancellation(&invt_no);
        cancel.guid = guid();
        cancel.base_transfer.cop_code = BYSTANDER.to_owned();
        cancel.invt_cancel[0].agent_code = BYSTANDER.to_owned();
        let answered = ex.send(&bystander, &Message::Ceb605(cancel)).await;
        assert_eq!(answered[0].0, "-605003", "{answered:?}");
        let (statuses, _, _) = ex.list(&parcel.list_head().cop_no).await;
        assert_eq!(statuses.last().map(String::as_str), Some("800"), "still released");
    }
}
