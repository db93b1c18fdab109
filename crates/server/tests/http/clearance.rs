//! Retail import clearance end to end over HTTP with CEB XML: four
//! enterprises, each with its own token, send an order, a payment, a
//! waybill and a declaration list; the platform answers each message with
//! its receipt, decides the list when all four are in, and owes every
//! later receipt (120, 399, 800, the CEB816 tax bill) through the feed.

use std::collections::BTreeMap;

use kuajing_ceb::sample::Parcel;
use kuajing_ceb::{Message, MessageType, decode, encode, sample};
use kuajing_core::role::Role;
use kuajing_server::ServerConfig;
use kuajing_testkit::{TestDatabase, dual_backend_tests};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::support::{TestApp, config, json, send, spawn_with};

/// The parties of the codec's example parcel.
const EBP: &str = Parcel::EBP;
const EBC: &str = Parcel::EBC;
const PAY: &str = Parcel::PAY;
const LOGISTICS: &str = Parcel::LOGISTICS;

/// A zone with the four enterprises of a parcel and customs, each with a
/// token.
pub(crate) struct Zone {
    pub(crate) app: TestApp,
    pub(crate) ebp: String,
    pub(crate) ebc: String,
    pub(crate) pay: String,
    pub(crate) logistics: String,
    pub(crate) customs: String,
    /// The zone warehouse keeping the lists' bonded account book.
    pub(crate) warehouse: String,
}

/// The test settings with unsigned lists accepted (the signature has its
/// own test).
pub(crate) fn sandbox() -> ServerConfig {
    let mut settings = config();
    settings.clearance.allow_unsigned_messages = true;
    settings
}

impl Zone {
    pub(crate) async fn new(db: &TestDatabase, settings: ServerConfig) -> Zone {
        let app = spawn_with(db, settings).await;
        let ebp = app.member(EBP, &["ebp"]).await;
        let ebc = app.member(EBC, &["ebc", "declarer"]).await;
        let pay = app.member(PAY, &["payment"]).await;
        let logistics = app.member(LOGISTICS, &["logistics"]).await;
        let customs = app.agency(Role::Customs).await;
        // The example lists are 1210 lists: their book, well stocked.
        let warehouse = app.stocked_book("100000").await;
        Zone {
            app,
            ebp,
            ebc,
            pay,
            logistics,
            customs,
            warehouse,
        }
    }

    /// POSTs `body` to `/api/ceb` with `token`: the status and the text.
    pub(crate) async fn post(&self, token: &str, body: &str) -> (StatusCode, String) {
        let response = send(
            self.app
                .client
                .post(self.app.url("/api/ceb"))
                .bearer_auth(token)
                .header(CONTENT_TYPE, "application/xml")
                .body(body.to_owned()),
        )
        .await;
        let status = response.status();
        (status, response.text().await.unwrap())
    }

    /// Sends `message`; it must be read (200): its receipt.
    pub(crate) async fn send(&self, token: &str, message: &Message) -> Message {
        let (status, text) = self.post(token, &encode(message)).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        decode(text.as_bytes()).unwrap().message
    }

    /// Sends the four documents of `parcel` in `order` (0 order, 1 payment,
    /// 2 waybill, 3 list), each from its own sender.
    pub(crate) async fn send_parcel(&self, parcel: &Parcel, order: [usize; 4]) {
        for which in order {
            let (token, message) = match which {
                0 => (&self.ebp, Message::Ceb311(parcel.order.clone())),
                1 => (&self.pay, Message::Ceb411(parcel.payment.clone())),
                2 => (&self.logistics, Message::Ceb511(parcel.waybill.clone())),
                _ => (&self.ebc, Message::Ceb621(parcel.list.clone())),
            };
            let receipt = self.send(token, &message).await;
            assert_eq!(statuses(&receipt), vec!["2".to_owned()], "{receipt:?}");
        }
    }

    /// Every receipt owed to `token`'s enterprise, from the start.
    pub(crate) async fn feed(&self, token: &str) -> Vec<(String, Message)> {
        let mut receipts = Vec::new();
        let mut after = 0;
        loop {
            let page = self
                .app
                .get_json(token, &format!("/api/ceb/receipts?after={after}&limit=100"))
                .await;
            let items = page["receipts"].as_array().unwrap();
            for item in items {
                let xml = item["xml"].as_str().unwrap();
                let kind = item["type"].as_str().unwrap().to_owned();
                receipts.push((kind, decode(xml.as_bytes()).unwrap().message));
            }
            let next = page["next"].as_i64().unwrap();
            if items.is_empty() {
                assert_eq!(next, after, "an empty page keeps the cursor");
                return receipts;
            }
            assert!(next > after);
            after = next;
        }
    }

    /// The CEB622 statuses each list (by copNo) went through, in order,
    /// as its declarer's feed tells them.
    pub(crate) async fn list_statuses(&self) -> BTreeMap<String, Vec<String>> {
        self.list_statuses_of(&self.ebc).await
    }

    /// The CEB622 statuses of the lists `token`'s enterprise declared.
    pub(crate) async fn list_statuses_of(&self, token: &str) -> BTreeMap<String, Vec<String>> {
        let mut lists: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (_, receipt) in self.feed(token).await {
            if let Message::Ceb622(m) = receipt {
                for r in m.inventory_return {
                    lists.entry(r.cop_no).or_default().push(r.return_status);
                }
            }
        }
        lists
    }
}

/// The `returnStatus` of each return entity of a receipt, in order.
pub(crate) fn statuses(receipt: &Message) -> Vec<String> {
    match receipt {
        Message::Ceb312(m) => m
            .order_return
            .iter()
            .map(|r| r.return_status.clone())
            .collect(),
        Message::Ceb412(m) => m
            .payment_return
            .iter()
            .map(|r| r.return_status.clone())
            .collect(),
        Message::Ceb512(m) => m
            .logistics_return
            .iter()
            .map(|r| r.return_status.clone())
            .collect(),
        Message::Ceb622(m) => m
            .inventory_return
            .iter()
            .map(|r| r.return_status.clone())
            .collect(),
        other => panic!("not a business receipt: {other:?}"),
    }
}

/// The `returnInfo` of each return entity of a CEB622.
pub(crate) fn infos(receipt: &Message) -> Vec<String> {
    match receipt {
        Message::Ceb622(m) => m
            .inventory_return
            .iter()
            .map(|r| r.return_info.clone())
            .collect(),
        Message::Ceb312(m) => m
            .order_return
            .iter()
            .map(|r| r.return_info.clone())
            .collect(),
        other => panic!("not a CEB622/312: {other:?}"),
    }
}

pub(crate) fn guid() -> String {
    uuid::Uuid::new_v4().to_string().to_ascii_uppercase()
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// This year in China, the year the lists sent now count in (a list counts
/// on the day the platform receives it).
pub(crate) fn this_year() -> i32 {
    kuajing_ceb::sample::today()[..4].parse().unwrap()
}

/// The codec's example parcel number `n`, with fresh message guids.
/// Sends one parcel that is released and one refused (payment 300.00
/// against 377.49); the declarer's browser.
async fn one_released_one_refused(zone: &Zone) -> crate::support::Browser {
    zone.send_parcel(&parcel(1), [0, 1, 2, 3]).await;
    let mut refused = parcel(2);
    refused.payment.payment[0].payment_head.amount_paid = d("300.00");
    zone.send_parcel(&refused, [0, 1, 2, 3]).await;
    zone.app.add_user(EBC, "declarer").await;
    zone.app.signed_in("declarer").await
}

pub(crate) fn parcel(n: u32) -> Parcel {
    let mut parcel = Parcel::numbered(n);
    parcel.set_guids(|_| guid());
    parcel
}

/// Every order of the four documents' arrival.
fn permutations() -> Vec<[usize; 4]> {
    let mut all = Vec::new();
    for a in 0..4 {
        for b in 0..4 {
            for c in 0..4 {
                for e in 0..4 {
                    let p = [a, b, c, e];
                    let mut seen = p.to_vec();
                    seen.sort_unstable();
                    seen.dedup();
                    if seen.len() == 4 {
                        all.push(p);
                    }
                }
            }
        }
    }
    all
}

dual_backend_tests! {
    async fn a_parcel_clears_whatever_order_its_documents_arrive_in(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let orders = permutations();
        assert_eq!(orders.len(), 24);
        for (n, order) in orders.iter().enumerate() {
            zone.send_parcel(&parcel(n as u32 + 1), *order).await;
        }
        let lists = zone.list_statuses().await;
        assert_eq!(lists.len(), 24);
        for (cop_no, statuses) in &lists {
            assert_eq!(statuses, &["2", "120", "399", "800"], "{cop_no}");
        }
        // Order, payment and waybill were each told they matched (120).
        for (token, kind) in [(&zone.ebp, "CEB312"), (&zone.pay, "CEB412"), (&zone.logistics, "CEB512")] {
            let receipts = zone.feed(token).await;
            let matched = receipts.iter().filter(|(t, m)| t == kind && statuses(m) == ["120"]).count();
            assert_eq!(matched, 24, "{kind}");
            assert!(receipts.iter().all(|(t, _)| t == kind), "{kind} feed holds only its own receipts");
        }
        // The tax bill: 2 × 168.00 honey + 10.00 freight, VAT 9 % at 70 %:
        // 346.00 × 0.09 × 0.7 = 21.798 → 21.80 (policy-rules.md §1.6).
        let bills: Vec<_> = zone.feed(&zone.ebc).await.into_iter()
            .filter_map(|(_, m)| match m { Message::Ceb816(b) => Some(b), _ => None })
            .collect();
        assert_eq!(bills.len(), 24);
        let head = &bills[0].tax[0].tax_head_rd;
        assert_eq!(head.customs_tax, Decimal::ZERO);
        assert_eq!(head.consumption_tax, Decimal::ZERO);
        assert_eq!(head.value_added_tax, d("21.80"));
        assert_eq!(bills[0].tax[0].tax_list_rd[0].tax_price, d("346.00"));
        assert_eq!(head.invt_no.len(), 18);
    }

    async fn a_resend_gets_the_same_receipt_and_a_taken_key_is_refused(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let parcel = parcel(1);
        let xml = encode(&Message::Ceb311(parcel.order.clone()));
        let (first_status, first) = zone.post(&zone.ebp, &xml).await;
        let (again_status, again) = zone.post(&zone.ebp, &xml).await;
        assert_eq!((first_status, again_status), (StatusCode::OK, StatusCode::OK));
        assert_eq!(first, again, "the resend gets the first receipt, byte for byte");
        // The same order in a new message: the key is taken.
        let mut second = parcel.clone();
        second.set_guids(|_| guid());
        let receipt = zone.send(&zone.ebp, &Message::Ceb311(second.order.clone())).await;
        assert_eq!(statuses(&receipt), ["-301010"]);
        let receipt = zone.send(&zone.pay, &Message::Ceb411(parcel.payment.clone())).await;
        assert_eq!(statuses(&receipt), ["2"]);
        let receipt = zone.send(&zone.pay, &Message::Ceb411(second.payment.clone())).await;
        assert_eq!(statuses(&receipt), ["-401007"]);
        // Only the first order's receipt and the refusal are in the feed:
        // the resend owed nothing new.
        let feed = zone.feed(&zone.ebp).await;
        assert_eq!(feed.len(), 2);
    }

    async fn a_message_of_many_documents_is_answered_one_entity_each_in_order(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let parcels: Vec<Parcel> = (1..=5).map(parcel).collect();
        let mut orders = parcels[0].order.clone();
        orders.order = parcels.iter().map(|p| p.order.order[0].clone()).collect();
        // The third is the first again: refused on its own, the others kept.
        orders.order[2] = parcels[0].order.order[0].clone();
        let receipt = zone.send(&zone.ebp, &Message::Ceb311(orders)).await;
        assert_eq!(statuses(&receipt), ["2", "2", "-301010", "2", "2"]);
        let Message::Ceb312(m) = &receipt else { panic!() };
        let numbers: Vec<&str> = m.order_return.iter().map(|r| r.order_no.as_str()).collect();
        assert_eq!(numbers, ["HC-T000001", "HC-T000002", "HC-T000001", "HC-T000004", "HC-T000005"]);
    }

    async fn changes_and_deletions_take_effect_in_the_order_of_the_message(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let first = parcel(1);
        let second = parcel(2);
        // One message: order 1 new, then changed; order 2 new, then deleted.
        let mut orders = first.order.clone();
        let changed = |order: &kuajing_ceb::model::import::Order, app_type: &str| {
            let mut order = order.clone();
            order.order_head.app_type = app_type.to_owned();
            order
        };
        orders.order = vec![
            first.order.order[0].clone(),
            changed(&first.order.order[0], "2"),
            second.order.order[0].clone(),
            changed(&second.order.order[0], "3"),
        ];
        let receipt = zone.send(&zone.ebp, &Message::Ceb311(orders)).await;
        assert_eq!(statuses(&receipt), ["2", "2", "2", "2"]);
        // Order 2 is gone: changing it names no document (-301009).
        let mut again = second.order.clone();
        again.guid = guid();
        again.order = vec![changed(&second.order.order[0], "2")];
        assert_eq!(statuses(&zone.send(&zone.ebp, &Message::Ceb311(again)).await), ["-301009"]);

        // A draft list (appStatus 1) waits for nothing, even with its
        // documents all in; declared by a change in one message, it clears.
        zone.send(&zone.pay, &Message::Ceb411(first.payment.clone())).await;
        zone.send(&zone.logistics, &Message::Ceb511(first.waybill.clone())).await;
        let mut draft = first.list.clone();
        draft.inventory[0].inventory_head.app_status = "1".to_owned();
        assert_eq!(statuses(&zone.send(&zone.ebc, &Message::Ceb621(draft.clone())).await), ["1"]);
        assert!(zone.list_statuses().await.values().all(|s| s == &["1"]), "nothing decided");
        let mut declared = first.list.clone();
        declared.guid = guid();
        declared.inventory[0].inventory_head.app_type = "2".to_owned();
        assert_eq!(statuses(&zone.send(&zone.ebc, &Message::Ceb621(declared.clone())).await), ["2"]);
        let lists = zone.list_statuses().await;
        assert_eq!(lists.values().next().unwrap(), &["1", "2", "120", "399", "800"]);
        // Released, it can no longer be changed (-621012).
        declared.guid = guid();
        assert_eq!(statuses(&zone.send(&zone.ebc, &Message::Ceb621(declared)).await), ["-621012"]);
    }

    async fn what_cannot_be_read_is_answered_with_a_ceb900_and_nothing_is_kept(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        for body in [
            "not xml at all".to_owned(),
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>".to_owned(),
            encode(&Message::Ceb311(parcel(1).order)).replace("<ceb:orderNo>HC-T000001</ceb:orderNo>", ""),
        ] {
            let (status, text) = zone.post(&zone.ebp, &body).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
            let Message::Ceb900(receipt) = decode(text.as_bytes()).unwrap().message else { panic!("{text}") };
            assert!(receipt.message_return.return_status.starts_with('-'));
            assert!(!receipt.message_return.return_info.is_empty());
        }
        // A receipt sent as a declaration is not accepted either.
        let receipt = encode(&sample(MessageType::Ceb312));
        let (status, text) = zone.post(&zone.ebp, &receipt).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert!(zone.feed(&zone.ebp).await.is_empty(), "nothing kept, nothing owed");
    }

    async fn only_the_transmitting_enterprise_with_the_right_role_may_send(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let parcel = parcel(1);
        let order = encode(&Message::Ceb311(parcel.order.clone()));
        // The payment company sending the platform's order: copCode is not its own.
        let (status, text) = zone.post(&zone.pay, &order).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
        // The payment company sending an order in its own name: no ebp/ebc role.
        let mut own = parcel.order.clone();
        own.base_transfer.cop_code = PAY.to_owned();
        let (status, _) = zone.post(&zone.pay, &encode(&Message::Ceb311(own))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // No token.
        let response = send(zone.app.client.post(zone.app.url("/api/ceb")).body(order.clone())).await;
        let body = json(response, StatusCode::UNAUTHORIZED).await;
        assert_eq!(body["code"], "AUTH_REQUIRED");
        // Customs is no sender.
        let (status, _) = zone.post(&zone.customs, &order).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(zone.feed(&zone.ebp).await.is_empty());
    }

    async fn a_disagreement_refuses_the_list_naming_both_documents_and_values(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let mut parcel = parcel(1);
        parcel.payment.payment[0].payment_head.amount_paid = d("300.00");
        zone.send_parcel(&parcel, [0, 1, 2, 3]).await;
        let refusal = zone.feed(&zone.ebc).await.into_iter()
            .map(|(_, m)| m)
            .find(|m| matches!(m, Message::Ceb622(_)) && statuses(m) == ["100"])
            .expect("a refusal");
        let info = &infos(&refusal)[0];
        assert!(info.contains("-621001"), "{info}");
        assert!(info.contains("acturalPaid") && info.contains("377.49"), "{info}");
        assert!(info.contains("amountPaid") && info.contains("300.00"), "{info}");
    }

    /// Issue #17: the home page charts the lists decided per day (an SVG
    /// and its table): the declaring enterprise sees its own, customs sees
    /// every list and how many wait for an officer.
    async fn home_pages_chart_the_lists_decided_per_day(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let declarer = one_released_one_refused(&zone).await;
        let home = declarer.page("/home").await;
        assert!(home.contains("<svg class=\"chart\"") && home.contains("id=\"lists-by-day\""), "{home}");
        assert!(home.contains("· 放行: 1</title>") && home.contains("· 退单: 1</title>"), "{home}");
        assert!(home.contains("<td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td>"), "today's row: {home}");
        assert!(!home.contains("id=\"officer-queue\""), "{home}");

        let customs_code = crate::support::agency_code(Role::Customs);
        zone.app.add_user(&customs_code, "officer").await;
        let officer = zone.app.signed_in("officer").await;
        officer.get("/lang/en").await;
        let home = officer.page("/home").await;
        assert!(home.contains("· Released: 1</title>") && home.contains("id=\"officer-queue\">0</a>"), "{home}");
    }

    /// Issue #17: officers find any list by list number, order number,
    /// waybill number or buyer's ID number (that one audited, masked); a
    /// declaring enterprise finds only its own; an ID number is posted, not
    /// put in the address.
    async fn lists_are_found_by_list_order_waybill_or_buyer(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let sent = parcel(1);
        zone.send_parcel(&sent, [0, 1, 2, 3]).await;
        let head = &sent.list.inventory[0].inventory_head;
        let customs_code = crate::support::agency_code(Role::Customs);
        zone.app.add_user(&customs_code, "officer").await;
        let officer = zone.app.signed_in("officer").await;
        let csrf = officer.csrf().await;
        let find = |text: String| {
            let officer = &officer;
            let csrf = csrf.clone();
            async move { crate::support::html(officer.post_form("/clearance/find", &[("csrf", &csrf), ("find", &text)]).await, StatusCode::OK).await }
        };
        let by_order = find(head.order_no.clone()).await;
        assert!(by_order.contains("id=\"found-lists\"") && by_order.contains("按订单编号找到 (1)"), "{by_order}");
        let invt_no = by_order.split("<small class=\"code\">").nth(1).and_then(|rest| rest.split('<').next()).unwrap().to_owned();
        assert!(find(invt_no.clone()).await.contains("按清单编号找到 (1)"));
        assert!(find(head.logistics_no.clone()).await.contains("按运单编号找到 (1)"));
        let by_buyer = find(head.buyer_id_number.clone()).await;
        assert!(by_buyer.contains("按订购人证件号码找到 (1)") && !by_buyer.contains(&head.buyer_id_number), "masked: {by_buyer}");
        assert!(find("NO-SUCH-NUMBER".to_owned()).await.contains("id=\"found-nothing\""));
        let admin = zone.app.zone_admin().await;
        let audit = zone.app.get_json(&admin, "/api/audit?action=clearance.find_buyer").await;
        let entries = audit["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{audit}");
        assert!(!audit.to_string().contains(&head.buyer_id_number), "the trail keeps the number masked: {audit}");

        // The declaring enterprise finds its own list; the platform, a party
        // but not the declarer, finds nothing.
        zone.app.add_user(EBC, "declarer").await;
        let declarer = zone.app.signed_in("declarer").await;
        let csrf = declarer.csrf().await;
        let own = crate::support::html(declarer.post_form("/clearance/find", &[("csrf", &csrf), ("find", &invt_no)]).await, StatusCode::OK).await;
        assert!(own.contains("按清单编号找到 (1)"), "{own}");
        let platform_code = head.ebp_code.clone();
        zone.app.add_user(&platform_code, "platform").await;
        let platform = zone.app.signed_in("platform").await;
        let csrf = platform.csrf().await;
        let other = platform.post_form("/clearance/find", &[("csrf", &csrf), ("find", &invt_no)]).await;
        let other = crate::support::html(other, StatusCode::OK).await;
        assert!(other.contains("id=\"found-nothing\""), "{other}");
    }

    /// Issue #17: an enterprise's documents filter by kind, status and key
    /// (in the address), page, and download as shown.
    async fn an_enterprise_filters_pages_and_downloads_its_documents(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let declarer = one_released_one_refused(&zone).await;
        let all = declarer.page("/clearance").await;
        assert!(all.contains("id=\"doc-kind\"") && all.contains("format=csv"), "{all}");
        let refusals = declarer.page("/clearance?kind=list&status=100").await;
        let rows = refusals.split("id=\"my-documents\"").nth(1).unwrap_or_default();
        assert_eq!(rows.matches("<tr>").count() - 1, 1, "one refused list: {refusals}");
        assert!(rows.contains("退单") || rows.contains("海关退单"), "{rows}");
        let none = declarer.page("/clearance?q=NO-SUCH-KEY").await;
        assert!(none.contains("没有符合筛选条件的记录") && !none.contains("id=\"my-documents\""), "{none}");
        let csv = declarer.get("/clearance?kind=list&format=csv").await;
        assert_eq!(csv.status(), StatusCode::OK);
        let text = csv.text().await.unwrap();
        assert_eq!(text.lines().count(), 1 + 2, "a header and the two lists: {text}");
        assert_eq!(declarer.get("/clearance?format=pdf").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(declarer.get("/clearance?offset=abc").await.status(), StatusCode::OK, "a bad offset is the first page");
    }

    async fn the_single_transaction_limit_holds_at_exactly_5000(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        // Two jars: 2 × 2,495.00 + 10.00 freight = 5,000.00 exactly: within.
        zone.send_parcel(&parcel(1).priced(d("2495.00")), [0, 1, 2, 3]).await;
        // The same with 10.01 freight: 5,000.01, two items over the limit, refused.
        zone.send_parcel(&parcel(2).priced(d("2495.00")).with_freight(d("10.01")), [0, 1, 2, 3]).await;
        let lists = zone.list_statuses().await;
        assert_eq!(lists["HCINV-T000001"], ["2", "120", "399", "800"]);
        assert_eq!(lists["HCINV-T000002"], ["2", "100"]);
        let refusal = zone.feed(&zone.ebc).await.into_iter().map(|(_, m)| m)
            .find(|m| matches!(m, Message::Ceb622(_)) && statuses(m) == ["100"]).unwrap();
        assert!(infos(&refusal)[0].contains("-621005"), "{:?}", infos(&refusal));
    }

    async fn the_annual_limit_reached_exactly_is_within_and_a_fen_more_is_not(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        // The buyer of parcels 1 and 2 has used 26,000.00 − 346.00.
        let mut first = parcel(1);
        let mut second = parcel(2);
        let buyer = first.list.inventory[0].inventory_head.buyer_id_number.clone();
        second.order.order[0].order_head.buyer_id_number.clone_from(&buyer);
        second.payment.payment[0].payment_head.payer_id_number.clone_from(&buyer);
        second.list.inventory[0].inventory_head.buyer_id_number.clone_from(&buyer);
        let mut tx = zone.app.store.begin().await.unwrap();
        kuajing_store::quota::reserve(&mut tx, "earlier", &buyer, this_year(), 2_565_400, 2_600_000, kuajing_core::timestamp::Timestamp::now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // 346.00 takes the year to 26,000.00 exactly: within.
        first.set_guids(|_| guid());
        zone.send_parcel(&first, [0, 1, 2, 3]).await;
        assert_eq!(zone.used(&first).await, 2_600_000);
        // Anything more is over: -621018, and the year stays at the limit.
        zone.send_parcel(&second.with_freight(d("0.01")).priced(d("0.01")), [0, 1, 2, 3]).await;
        let lists = zone.list_statuses().await;
        assert_eq!(lists["HCINV-T000001"], ["2", "120", "399", "800"]);
        assert_eq!(lists["HCINV-T000002"], ["2", "100"]);
        let refusal = zone.feed(&zone.ebc).await.into_iter().map(|(_, m)| m)
            .find(|m| matches!(m, Message::Ceb622(_)) && statuses(m) == ["100"]).unwrap();
        assert!(infos(&refusal)[0].contains("-621018"), "{:?}", infos(&refusal));
        assert_eq!(zone.used(&first).await, 2_600_000);
    }

    async fn a_message_in_a_dxp_envelope_is_answered_like_the_message(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let order = encode(&Message::Ceb311(parcel(1).order));
        let routing = kuajing_ceb::envelope::Routing {
            cop_msg_id: guid(),
            sender_id: "DXPENT0000224960".to_owned(),
            receiver_ids: vec!["DXPEDCCEB0000002".to_owned()],
            created: "2026-11-27T10:30:00".to_owned(),
        };
        let envelope = kuajing_ceb::envelope::wrap(order.as_bytes(), MessageType::Ceb311, &routing);
        let wrapped = kuajing_ceb::envelope::encode_envelope(&kuajing_ceb::envelope::Envelope::Terminal(Box::new(envelope)));
        let (status, text) = zone.post(&zone.ebp, &wrapped).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert_eq!(statuses(&decode(text.as_bytes()).unwrap().message), ["2"]);
        // The same order bare is the same message: its receipt again.
        let (_, bare) = zone.post(&zone.ebp, &order).await;
        assert_eq!(bare, text);
        // An envelope whose Data is not Base64 is a CEB900.
        let broken = wrapped.replacen("Data>", "Data>!!!", 1);
        let (status, text) = zone.post(&zone.ebp, &broken).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert!(text.contains("CEB900Message"));
    }

    async fn a_list_whose_documents_never_all_arrive_is_refused_after_the_wait(db: TestDatabase) {
        let mut settings = sandbox();
        settings.clearance.incomplete_after = std::time::Duration::ZERO;
        let zone = Zone::new(&db, settings.clone()).await;
        let lonely = parcel(1);
        zone.send(&zone.ebc, &Message::Ceb621(lonely.list.clone())).await;
        assert_eq!(zone.list_statuses().await["HCINV-T000001"], ["2"]);
        // What the server's minute task does.
        let state = kuajing_server::AppState::new(zone.app.store.clone(), settings, false);
        assert_eq!(kuajing_intake::timeouts::refuse_overdue(state.intake()).await.unwrap(), 1);
        assert_eq!(zone.list_statuses().await["HCINV-T000001"], ["2", "100"]);
        let refusal = zone.feed(&zone.ebc).await.into_iter().map(|(_, m)| m)
            .find(|m| matches!(m, Message::Ceb622(_)) && statuses(m) == ["100"]).unwrap();
        assert!(infos(&refusal)[0].contains("三单不齐"), "{:?}", infos(&refusal));
        assert_eq!(kuajing_intake::timeouts::refuse_overdue(state.intake()).await.unwrap(), 0, "once");
    }

    async fn a_list_the_rules_flag_waits_for_an_officer_who_decides_in_writing(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let parcel = parcel(7);
        let buyer = parcel.list.inventory[0].inventory_head.buyer_id_number.clone();
        // Customs puts the buyer on the watch list, in writing; nobody else may.
        let watch = serde_json::json!({"buyer_id": buyer, "reason": "布控测试"});
        let response = zone.app.post_json(&zone.ebc, "/api/clearance/watch-list", &watch).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let bad = serde_json::json!({"buyer_id": "330106199001010010", "reason": "布控测试"});
        let response = zone.app.post_json(&zone.customs, "/api/clearance/watch-list", &bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "not a valid ID number");
        let watched = json(zone.app.post_json(&zone.customs, "/api/clearance/watch-list", &watch).await, StatusCode::OK).await;
        assert!(watched["buyer"].as_str().unwrap().contains('*'), "{watched}");
        zone.send_parcel(&parcel, [3, 2, 1, 0]).await;
        assert_eq!(zone.list_statuses().await["HCINV-T000007"], ["2", "120", "300"]);

        let queue = zone.app.get_json(&zone.customs, "/api/clearance/reviews").await;
        let items = queue.as_array().unwrap();
        assert_eq!(items.len(), 1);
        let reasons = items[0]["reasons"].to_string();
        assert!(reasons.contains("watch-list/1"), "{reasons}");
        let id = items[0]["list"]["id"].as_str().unwrap().to_owned();
        // The enterprise cannot see the queue, nor decide.
        let response = send(zone.app.api(reqwest::Method::GET, "/api/clearance/reviews", &zone.ebc)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let path = format!("/api/clearance/lists/{id}/decision");
        let release = serde_json::json!({"action": "release", "reason": "查验无误，予以放行"});
        let response = zone.app.post_json(&zone.ebc, &path, &release).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        // A decision needs a written reason.
        let silent = serde_json::json!({"action": "release", "reason": "  "});
        let response = zone.app.post_json(&zone.customs, &path, &silent).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // Only its declarer and customs read it: not another party.
        let response = send(zone.app.api(reqwest::Method::GET, &format!("/api/clearance/lists/{id}"), &zone.pay)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let mine = zone.app.get_json(&zone.ebc, &format!("/api/clearance/lists/{id}")).await;
        assert_eq!(mine["list"]["id"], id.as_str());
        let detail = zone.app.get_json(&zone.customs, &format!("/api/clearance/lists/{id}")).await;
        for side in ["list", "order", "payment", "waybill"] {
            assert!(detail["documents"][side].is_object(), "{side} side by side");
        }
        let engine: &Value = &detail["decisions"][0];
        assert_eq!(engine["status"], "300");
        assert!(engine["rule_set"].as_str().unwrap().starts_with("kuajing-builtin/"));
        assert!(engine["tariff_version"].as_str().unwrap().starts_with("tariff v"));
        assert!(engine["tax_bill"].is_object());

        let released = json(zone.app.post_json(&zone.customs, &path, &release).await, StatusCode::OK).await;
        assert_eq!(released["status"], "800");
        assert_eq!(zone.list_statuses().await["HCINV-T000007"], ["2", "120", "300", "399", "800"]);
        assert!(zone.feed(&zone.ebc).await.iter().any(|(t, _)| t == "CEB816"));
        // Once decided it is no longer in the queue, and cannot be decided again.
        let queue = zone.app.get_json(&zone.customs, "/api/clearance/reviews").await;
        assert!(queue.as_array().unwrap().is_empty());
        let response = zone.app.post_json(&zone.customs, &path, &release).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}

dual_backend_tests! {
    async fn a_list_must_carry_a_signature_by_a_certificate_its_sender_registered(db: TestDatabase) {
        let zone = Zone::new(&db, config()).await;
        let registered = kuajing_testkit::certificates::sm2_identity();
        let stranger = kuajing_testkit::certificates::rsa_identity();
        kuajing_registry::organisations::register_certificate(
            &zone.app.store,
            &kuajing_registry::actor::Actor::operator(),
            EBC,
            &registered.certificate_pem,
        )
        .await
        .unwrap();
        let sign = |parcel: &Parcel, who: &kuajing_testkit::certificates::Identity| {
            let signer = kuajing_ceb::Signer::from_pem(&who.key_pem, &who.certificate_pem, None).unwrap();
            kuajing_ceb::sign::sign(&mut Message::Ceb621(parcel.list.clone()), &signer).unwrap()
        };
        // The sample's placeholder signature does not verify.
        let unsigned = zone.send(&zone.ebc, &Message::Ceb621(parcel(1).list)).await;
        assert_eq!(statuses(&unsigned), ["-621029"]);
        // Signed by a certificate nobody registered.
        let (status, text) = zone.post(&zone.ebc, &sign(&parcel(2), &stranger)).await;
        assert_eq!(status, StatusCode::OK);
        let receipt = decode(text.as_bytes()).unwrap().message;
        assert_eq!(statuses(&receipt), ["-621029"]);
        assert!(infos(&receipt)[0].contains(&stranger.serial), "{:?}", infos(&receipt));
        // Signed with the registered one: accepted, and it clears.
        let third = parcel(3);
        for (token, message) in [
            (&zone.ebp, Message::Ceb311(third.order.clone())),
            (&zone.pay, Message::Ceb411(third.payment.clone())),
            (&zone.logistics, Message::Ceb511(third.waybill.clone())),
        ] {
            zone.send(token, &message).await;
        }
        let (status, text) = zone.post(&zone.ebc, &sign(&third, &registered)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(statuses(&decode(text.as_bytes()).unwrap().message), ["2"]);
        assert_eq!(zone.list_statuses().await["HCINV-T000003"], ["2", "120", "399", "800"]);
        // A signed message changed after signing does not verify.
        let tampered = sign(&parcel(4), &registered).replace("HC-T000004", "HC-T000005");
        let (_, text) = zone.post(&zone.ebc, &tampered).await;
        assert_eq!(statuses(&decode(text.as_bytes()).unwrap().message), ["-621029"]);
    }
}

/// A cancellation (CEB623) of parcel `p`'s list, from its declarer.
pub(crate) fn cancellation(p: &Parcel, invt_no: &str) -> Message {
    let mut m = p.cancellation(invt_no);
    m.guid = guid();
    Message::Ceb623(m)
}

/// A return (CEB625) of `qty` of line 1 of parcel `p`'s list.
pub(crate) fn goods_return(p: &Parcel, invt_no: &str, qty: &str) -> Message {
    let mut m = p.goods_return(invt_no, d(qty));
    m.guid = guid();
    Message::Ceb625(m)
}

impl Zone {
    /// The first CEB622 return entity of the list `cop_no` at `status`
    /// in the declarer's feed.
    pub(crate) async fn list_return(
        &self,
        cop_no: &str,
        status: &str,
    ) -> Option<kuajing_ceb::model::import::InventoryReturn> {
        self.feed(&self.ebc)
            .await
            .into_iter()
            .find_map(|(_, m)| match m {
                Message::Ceb622(m) => m
                    .inventory_return
                    .into_iter()
                    .find(|r| r.cop_no == cop_no && r.return_status == status),
                _ => None,
            })
    }

    /// The list number customs gave parcel `cop_no`'s list (on storing it,
    /// 120).
    pub(crate) async fn invt_no(&self, cop_no: &str) -> String {
        self.list_return(cop_no, "120")
            .await
            .and_then(|r| r.invt_no)
            .expect("released")
    }

    /// What the buyer of `p` has used of this year, fen.
    pub(crate) async fn used(&self, p: &Parcel) -> i64 {
        let buyer = &p.list.inventory[0].inventory_head.buyer_id_number;
        let mut conn = self.app.store.reader().await.unwrap();
        kuajing_store::quota::used_fen(&mut conn, buyer, this_year())
            .await
            .unwrap()
    }

    /// The types of the receipts owed to the declarer, in order.
    async fn declarer_types(&self) -> Vec<String> {
        self.feed(&self.ebc)
            .await
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    }
}

dual_backend_tests! {
    async fn returns_and_cancellations_give_the_quota_back_and_void_the_tax_bill(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let first = parcel(1);
        zone.send_parcel(&first, [0, 1, 2, 3]).await;
        let invt_no = zone.invt_no("HCINV-T000001").await;
        assert_eq!(zone.used(&first).await, 34_600, "2 × 168.00 + 10.00 freight");

        // Half the goods back: half the value leaves the year, the bill is
        // voided and reissued for what stays (VAT 21.80 → 10.90).
        let receipt = zone.send(&zone.ebc, &goods_return(&first, &invt_no, "1")).await;
        let Message::Ceb626(answer) = &receipt else { panic!("{receipt:?}") };
        assert_eq!(answer.invt_refund_return[0].return_status, "2");
        assert_eq!(zone.used(&first).await, 17_300);
        let feed = zone.feed(&zone.ebc).await;
        let tail: Vec<&str> = feed.iter().rev().take(3).map(|(t, _)| t.as_str()).collect();
        assert_eq!(tail, ["CEB816", "CEB818", "CEB626"], "approval, void, new bill");
        let Some((_, Message::Ceb816(bill))) = feed.last() else { panic!() };
        assert_eq!(bill.tax[0].tax_head_rd.value_added_tax, d("10.90"));
        assert_eq!(bill.tax[0].tax_head_rd.tax_no, format!("{invt_no}02"));

        // More than is left is refused; the rest is accepted and the year is clear.
        let receipt = zone.send(&zone.ebc, &goods_return(&first, &invt_no, "2")).await;
        let Message::Ceb626(answer) = &receipt else { panic!() };
        assert_eq!(answer.invt_refund_return[0].return_status, "-625001");
        zone.send(&zone.ebc, &goods_return(&first, &invt_no, "1")).await;
        assert_eq!(zone.used(&first).await, 0);
        // A returned list cannot be cancelled.
        let receipt = zone.send(&zone.ebc, &cancellation(&first, &invt_no)).await;
        let Message::Ceb624(answer) = &receipt else { panic!() };
        assert_eq!(answer.invt_cancel_return[0].return_status, "-623005");

        // A list waiting for an officer is cancelled: its reservation goes.
        let second = parcel(2);
        let buyer = second.list.inventory[0].inventory_head.buyer_id_number.clone();
        let mut tx = zone.app.store.begin().await.unwrap();
        kuajing_store::clearance::watch_buyer(&mut tx, &buyer, "布控", "officer", kuajing_core::timestamp::Timestamp::now()).await.unwrap();
        tx.commit().await.unwrap();
        zone.send_parcel(&second, [0, 1, 2, 3]).await;
        assert_eq!(zone.used(&second).await, 34_600, "reserved while in review");
        let second_no = zone.invt_no("HCINV-T000002").await;
        let receipt = zone.send(&zone.ebc, &cancellation(&second, &second_no)).await;
        let Message::Ceb624(answer) = &receipt else { panic!() };
        assert_eq!(answer.invt_cancel_return[0].return_status, "2");
        assert_eq!(zone.used(&second).await, 0);
        assert_eq!(zone.declarer_types().await.last().map(String::as_str), Some("CEB624"));
        let queue = zone.app.get_json(&zone.customs, "/api/clearance/reviews").await;
        assert!(queue.as_array().unwrap().is_empty(), "a cancelled list leaves the queue");
        // Nothing to return of a list never released; nor of another's list.
        let receipt = zone.send(&zone.ebc, &goods_return(&second, &second_no, "1")).await;
        let Message::Ceb626(answer) = &receipt else { panic!() };
        assert_eq!(answer.invt_refund_return[0].return_status, "-625001");
    }
}

dual_backend_tests! {
    async fn a_bonded_list_holds_its_stock_until_release_comes_back_on_return_and_cannot_overdraw(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let warehouse = &zone.warehouse;
        let book = |path: &str| format!("/api/ems/books/{}{path}", Parcel::BOOK);
        // Leave five units in the book (each list takes two).
        let out = serde_json::json!({"item_no": Parcel::ITEM, "kind": "goods-out", "quantity": "99995",
            "unit": Parcel::UNIT, "reference": "核注清单 HZ2991260001", "reason": "区间调拨 / transfer", "purpose": "transfer-out"});
        json(zone.app.post_json(warehouse, &book("/movements"), &out).await, StatusCode::CREATED).await;
        let line = || async { zone.app.get_json(warehouse, &book("")).await["lines"][0].clone() };

        // Released: its two units leave the book as a retail-out of the list.
        let first = parcel(1);
        zone.send_parcel(&first, [0, 1, 2, 3]).await;
        let after = line().await;
        assert_eq!((after["stock"].as_str(), after["reserved"].as_str()), (Some("3"), Some("0")));
        let ledger = zone.app.get_json(warehouse, &book("/movements")).await;
        let last = &ledger.as_array().unwrap()[2];
        assert_eq!((last["kind"].as_str(), last["quantity"].as_str()), (Some("retail-out"), Some("-2")));
        assert_eq!(last["reference"].as_str(), Some(zone.invt_no("HCINV-T000001").await.as_str()), "the list's number");

        // Sent to an officer: it holds two units until decided.
        let held = parcel(3);
        let buyer = held.list.inventory[0].inventory_head.buyer_id_number.clone();
        let watch = serde_json::json!({"buyer_id": buyer, "reason": "布控测试"});
        json(zone.app.post_json(&zone.customs, "/api/clearance/watch-list", &watch).await, StatusCode::OK).await;
        zone.send_parcel(&held, [0, 1, 2, 3]).await;
        let holding = line().await;
        assert_eq!((holding["reserved"].as_str(), holding["available"].as_str()), (Some("2"), Some("1")));

        // Two more units than are available: refused, naming the book's item.
        let short = parcel(2);
        zone.send_parcel(&short, [0, 1, 2, 3]).await;
        let lists = zone.list_statuses().await;
        assert_eq!(lists["HCINV-T000001"].last().unwrap(), "800");
        assert_eq!(lists["HCINV-T000003"].last().unwrap(), "300");
        assert_eq!(lists["HCINV-T000002"].last().unwrap(), "100");
        let refusal = zone.feed(&zone.ebc).await.into_iter().find_map(|(_, m)| match m {
            Message::Ceb622(m) => m.inventory_return.into_iter().find(|r| r.cop_no == "HCINV-T000002" && r.return_status == "100"),
            _ => None,
        }).unwrap();
        assert!(refusal.return_info.contains("可用库存 1") && refusal.return_info.contains("-621001"), "{}", refusal.return_info);
        assert_eq!(line().await["reserved"], "2", "the refused list holds nothing");

        // Cancelled before release: what it held is free again.
        let invt_no = zone.invt_no("HCINV-T000003").await;
        let receipt = zone.send(&zone.ebc, &cancellation(&held, &invt_no)).await;
        let Message::Ceb624(answer) = &receipt else { panic!("{receipt:?}") };
        assert_eq!(answer.invt_cancel_return[0].return_status, "2", "accepted");
        let freed = line().await;
        assert_eq!((freed["stock"].as_str(), freed["reserved"].as_str()), (Some("3"), Some("0")));

        // One jar of the released list comes back (CEB625 accepted): into
        // the book, referenced by the list's number.
        let first_no = zone.invt_no("HCINV-T000001").await;
        let receipt = zone.send(&zone.ebc, &goods_return(&first, &first_no, "1")).await;
        let Message::Ceb626(answer) = &receipt else { panic!("{receipt:?}") };
        assert_eq!(answer.invt_refund_return[0].return_status, "2");
        assert_eq!(line().await["stock"], "4");
        let ledger = zone.app.get_json(warehouse, &book("/movements")).await;
        let back = ledger.as_array().unwrap().last().unwrap().clone();
        assert_eq!((back["kind"].as_str(), back["quantity"].as_str(), back["reference"].as_str()),
            (Some("return-in"), Some("1"), Some(first_no.as_str())));

        // A list naming another warehouse's book, or a book the platform
        // does not keep: refused on the field.
        let mut stranger = parcel(4);
        stranger.list.inventory[0].inventory_head.area_code = Some("2224990009".to_owned());
        zone.send_parcel(&stranger, [0, 1, 2, 3]).await;
        let mut unknown = parcel(5);
        unknown.list.inventory[0].inventory_head.ems_no = Some("T2991W999999".to_owned());
        zone.send_parcel(&unknown, [0, 1, 2, 3]).await;
        let infos: Vec<String> = zone.feed(&zone.ebc).await.into_iter().filter_map(|(_, m)| match m {
            Message::Ceb622(m) => m.inventory_return.into_iter()
                .find(|r| ["HCINV-T000004", "HCINV-T000005"].contains(&r.cop_no.as_str()) && r.return_status == "100")
                .map(|r| r.return_info),
            _ => None,
        }).collect();
        assert_eq!(infos.len(), 2, "{infos:?}");
        assert!(infos[0].contains("areaCode") && infos[0].contains("2224990009"), "{}", infos[0]);
        assert!(infos[1].contains("emsNo") && infos[1].contains("T2991W999999"), "{}", infos[1]);
        assert_eq!(line().await["stock"], "4", "nothing drawn");
    }

    async fn the_portal_shows_documents_the_queue_the_board_and_a_buyers_quota(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let clean = parcel(1);
        zone.send_parcel(&clean, [0, 1, 2, 3]).await;
        let watched = parcel(2);
        let buyer = watched.list.inventory[0].inventory_head.buyer_id_number.clone();
        // The officer puts the buyer on the watch list through the portal.
        let customs_code = crate::support::agency_code(Role::Customs);
        zone.app.add_user(&customs_code, "officer").await;
        let officer = zone.app.signed_in("officer").await;
        let csrf = officer.csrf().await;
        let response = officer.post_form("/clearance/watch-list", &[("csrf", &csrf), ("buyer_id", &buyer), ("reason", "线索核查")]).await;
        let page = crate::support::html(response, StatusCode::OK).await;
        assert!(page.contains("id=\"watched\""), "{page}");
        // The watch list is there to see, the number masked (issue #17).
        let masked = kuajing_core::ids::ResidentId::mask(&buyer);
        let list = page.split("id=\"watch-list\"").nth(1).unwrap_or_default();
        assert!(list.contains(&masked) && list.contains("线索核查") && !page.contains(&buyer), "{page}");
        zone.send_parcel(&watched, [0, 1, 2, 3]).await;

        // The declarer sees its lists and their status, with the sandbox banner.
        zone.app.add_user(EBC, "declarer").await;
        let declarer = zone.app.signed_in("declarer").await;
        let page = declarer.page("/clearance").await;
        assert!(page.contains("id=\"my-documents\""), "{page}");
        assert!(page.contains("2224960001/2224960004/HC-T000001"));
        assert!(page.contains("--allow-unsigned-messages"), "the sandbox says so");
        assert!(!page.contains("id=\"review-queue\""));
        // It cannot open the board or decide.
        assert_eq!(declarer.get("/clearance/board").await.status(), StatusCode::FORBIDDEN);

        // The officer sees the watched buyer's list in the queue, opens it
        // and releases it in writing.
        let page = officer.page("/clearance").await;
        assert!(page.contains("id=\"review-queue\""), "{page}");
        assert!(page.contains("HC-T000002") && page.contains("watch-list/1"), "{page}");
        assert!(!page.contains("HC-T000001"), "a released list is not in the queue");
        let queue = zone.app.get_json(&zone.customs, "/api/clearance/reviews").await;
        let id = queue[0]["list"]["id"].as_str().unwrap().to_owned();
        let page = officer.page(&format!("/clearance/lists/{id}")).await;
        assert!(page.contains("PAY-T000002") && page.contains("HCEX-T000002"), "documents side by side");
        assert!(page.contains("action=\"/clearance/lists/"), "the decision form");
        let csrf = officer.csrf().await;
        let path = format!("/clearance/lists/{id}/decide");
        let response = officer.post_form(&path, &[("csrf", &csrf), ("action", "release"), ("reason", "")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
        let response = officer.post_form(&path, &[("csrf", &csrf), ("action", "release"), ("reason", "人工核验订购人身份无误")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let page = officer.page(&format!("/clearance/lists/{id}")).await;
        assert!(page.contains("人工核验订购人身份无误") && page.contains(">800<"), "{page}");
        assert!(!page.contains("action=\"/clearance/lists/"), "decided: no form");

        // The officer takes the buyer off the list, naming the number and
        // why; a number not on it is named as such.
        let csrf = officer.csrf().await;
        let response = officer.post_form("/clearance/watch-list/remove", &[("csrf", &csrf), ("buyer_id", &buyer), ("reason", "核查结束")]).await;
        let page = crate::support::html(response, StatusCode::OK).await;
        assert!(page.contains("id=\"unwatched\"") && !page.contains("id=\"watch-list\""), "{page}");
        let again = officer.post_form("/clearance/watch-list/remove", &[("csrf", &csrf), ("buyer_id", &buyer), ("reason", "核查结束")]).await;
        assert_eq!(again.status(), StatusCode::NOT_FOUND);
        let audit = zone.app.get_json(&zone.app.zone_admin().await, "/api/audit?action=clearance.unwatch").await;
        assert!(audit.to_string().contains(&masked) && !audit.to_string().contains(&buyer), "{audit}");

        // The board counts them.
        let board = officer.page("/clearance/board").await;
        assert!(board.contains("id=\"per-minute\""), "{board}");
        assert!(!board.contains("http-equiv=\"refresh\""), "no reload unasked: {board}");
        assert!(board.contains("id=\"start-refresh\""), "{board}");
        let auto = officer.page("/clearance/board?auto=1").await;
        assert!(auto.contains("http-equiv=\"refresh\"") && auto.contains("id=\"stop-refresh\""), "{auto}");

        // A buyer looks up the year's quota: 346.00 used of 26,000.
        let visitor = zone.app.browser();
        let name = clean.list.inventory[0].inventory_head.buyer_name.clone();
        let id_number = clean.list.inventory[0].inventory_head.buyer_id_number.clone();
        let response = visitor.post_form("/quota", &[("id_number", &id_number), ("name", &name)]).await;
        let page = crate::support::html(response, StatusCode::OK).await;
        assert!(page.contains("¥346.00") && page.contains("¥25654.00"), "{page}");
        // The wrong name proves nothing.
        let response = visitor.post_form("/quota", &[("id_number", &id_number), ("name", "李四")]).await;
        let page = crate::support::html(response, StatusCode::NOT_FOUND).await;
        assert!(page.contains("id=\"not-found\"") && !page.contains("¥346.00"));
        // Nor does an invalid ID number.
        let response = visitor.post_form("/quota", &[("id_number", "330106199001010010"), ("name", &name)]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}

dual_backend_tests! {
    async fn agencies_receive_releases_tax_bills_and_payments_and_receipts_are_pushed(db: TestDatabase) {
        let zone = Zone::new(&db, ServerConfig { clearance: sandbox().clearance, ..crate::support::fast_webhooks() }).await;
        let (receiver, url) = crate::webhooks::Receiver::start().await;
        receiver.fail_next(1);
        zone.app.subscribe(&zone.ebc, &url, &["receipt"]).await;
        zone.send_parcel(&parcel(1), [0, 1, 2, 3]).await;

        // Each agency reads what its work needs, and nothing else.
        let topics_of = |feed: &Value| -> Vec<String> {
            feed["events"].as_array().unwrap().iter()
                .map(|e| e["topic"].as_str().unwrap().to_owned())
                .filter(|t| t != "enterprise" && t != "commodity")
                .collect()
        };
        for (role, expected) in [
            (Role::Tax, vec!["tax-bill"]),
            (Role::Forex, vec!["payment"]),
            (Role::Commerce, vec!["release"]),
            (Role::Customs, vec!["release", "tax-bill", "payment"]),
            (Role::Transport, vec![]),
        ] {
            let token = zone.app.agency(role).await;
            let feed = zone.app.get_json(&token, "/api/feed?limit=500").await;
            assert_eq!(topics_of(&feed), expected, "{role}");
        }
        let token = zone.app.agency(Role::Forex).await;
        let feed = zone.app.get_json(&token, "/api/feed?topics=payment").await;
        let payment = &feed["events"][0]["record"];
        assert_eq!(payment["amount_paid"], "377.49");
        assert!(payment["payer_id_number"].as_str().unwrap().contains('*'), "the payer's ID is masked");
        // The payment company sees its own receipts, not the releases.
        let feed = zone.app.get_json(&zone.pay, "/api/feed?limit=500").await;
        assert!(topics_of(&feed).iter().all(|t| t == "receipt"), "{feed}");

        // The declarer's receipts reach its webhook, the first attempt
        // failing and retried (a retried one may arrive after later ones:
        // the pull feed is the ordered record, the push is at least once).
        let pushed = crate::support::eventually("the release pushed", || async {
            let bodies: Vec<Value> = receiver.received().iter().filter(|r| r.answered == 200).map(|r| r.json()).collect();
            let released = bodies.iter().any(|b| b["record"]["xml"].as_str().is_some_and(|x| x.contains("<ceb:returnStatus>800<")));
            let billed = bodies.iter().any(|b| b["record"]["type"] == "CEB816");
            (released && billed).then_some(bodies)
        }).await;
        let mut types: Vec<&str> = pushed.iter().map(|b| b["record"]["type"].as_str().unwrap()).collect();
        types.sort_unstable();
        types.dedup();
        assert_eq!(types, ["CEB622", "CEB816"]);
        assert!(receiver.received().iter().any(|r| r.answered == 500), "a failure was retried");
    }
}

dual_backend_tests! {
    async fn beyond_its_bound_the_intake_answers_503_with_retry_after_and_keeps_nothing(db: TestDatabase) {
        let mut settings = sandbox();
        settings.clearance.gate = kuajing_exchange::gate::GateSettings { in_flight: 1, queue: 1, retry_after_secs: 3 };
        let zone = Zone::new(&db, settings).await;
        let orders: Vec<String> = (1..=24).map(|n| encode(&Message::Ceb311(parcel(n).order))).collect();
        let tasks: Vec<_> = orders
            .iter()
            .map(|body| tokio::spawn(post_raw(zone.app.client.clone(), zone.app.url("/api/ceb"), zone.ebp.clone(), body.clone())))
            .collect();
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.unwrap());
        }
        let mut refused = Vec::new();
        for (body, (status, retry_after, text)) in orders.iter().zip(answers) {
            match status {
                StatusCode::OK => {}
                StatusCode::SERVICE_UNAVAILABLE => {
                    assert_eq!(retry_after.as_deref(), Some("3"), "{text}");
                    assert!(text.contains("OVERLOADED"), "{text}");
                    refused.push(body.clone());
                }
                other => panic!("{other}: {text}"),
            }
        }
        assert!(!refused.is_empty(), "24 at once through a gate of 1 + 1 waiting");
        let kept = zone.feed(&zone.ebp).await.len();
        assert_eq!(kept, 24 - refused.len(), "what was refused was not kept");
        // Sent again later, each is taken.
        for body in &refused {
            let (status, _) = zone.post(&zone.ebp, body).await;
            assert_eq!(status, StatusCode::OK);
        }
        assert_eq!(zone.feed(&zone.ebp).await.len(), 24);
    }
}

/// POSTs `body` to `url` with `token`: the status, the Retry-After
/// header and the text.
async fn post_raw(
    client: reqwest::Client,
    url: String,
    token: String,
    body: String,
) -> (StatusCode, Option<String>, String) {
    let response = send(
        client
            .post(url)
            .bearer_auth(token)
            .header(CONTENT_TYPE, "application/xml")
            .body(body),
    )
    .await;
    let status = response.status();
    let retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, retry, response.text().await.unwrap())
}

/// Parcel 1 after the e-commerce enterprise filed its honey at a
/// reference price of CNY 1,000.00 (the list says 168.00, under 0.3 of
/// it): the list's statuses and the engine's decision.
async fn low_value(db: &TestDatabase, monitor: bool) -> (Vec<String>, Value) {
    let mut settings = sandbox();
    if monitor {
        settings.clearance.risk = settings.clearance.risk.clone().all_monitoring();
    }
    let zone = Zone::new(db, settings).await;
    let mut honey = crate::support::honey("HONEY-500");
    honey["reference_price"] = Value::from("1000.00");
    let id = crate::support::id_of(&zone.app.file_commodity(&zone.ebc, &honey).await);
    zone.app.stepped(&zone.ebc, &id, "submit", None).await;
    let approved = zone.app.stepped(&zone.customs, &id, "approve", None).await;
    assert_eq!(approved["status"], "active", "{approved}");
    zone.send_parcel(&parcel(1), [0, 1, 2, 3]).await;
    let statuses = zone.list_statuses().await["HCINV-T000001"].clone();
    let mut conn = zone.app.store.reader().await.unwrap();
    let list = kuajing_store::ceb_documents::find_document(
        &mut conn,
        kuajing_store::ceb_documents::Kind::List,
        "2224960001/2224960004/HC-T000001",
    )
    .await
    .unwrap()
    .unwrap();
    drop(conn);
    let detail = zone
        .app
        .get_json(&zone.customs, &format!("/api/clearance/lists/{}", list.id))
        .await;
    (statuses, detail["decisions"][0].clone())
}

dual_backend_tests! {
    async fn a_price_far_below_the_filed_reference_sends_the_list_to_an_officer(db: TestDatabase) {
        let (statuses, decision) = low_value(&db, false).await;
        assert_eq!(statuses, ["2", "120", "300"]);
        assert!(decision["reasons"].to_string().contains("R05-low-value/1"), "{decision}");
    }

    async fn in_monitor_mode_the_rule_is_recorded_and_holds_nothing(db: TestDatabase) {
        let (statuses, decision) = low_value(&db, true).await;
        assert_eq!(statuses, ["2", "120", "399", "800"]);
        let hits = decision["risk_hits"].to_string();
        assert!(hits.contains("R05-low-value/1") && hits.contains("monitor"), "{decision}");
    }
}

/// A signed-for report (CEB513) of parcel `p`'s waybill.
fn signed_for(p: &Parcel) -> Message {
    let Message::Ceb513(mut m) = sample(MessageType::Ceb513) else {
        panic!()
    };
    let w = &p.waybill.logistics[0].logistics_head;
    m.logistics_status[0]
        .logistics_code
        .clone_from(&w.logistics_code);
    m.logistics_status[0]
        .logistics_no
        .clone_from(&w.logistics_no);
    m.base_transfer.cop_code = LOGISTICS.to_owned();
    m.guid = guid();
    Message::Ceb513(m)
}

dual_backend_tests! {
    async fn the_logistics_company_reports_a_parcel_signed_for_once(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let first = parcel(1);
        zone.send_parcel(&first, [0, 1, 2, 3]).await;
        let status_of = |receipt: &Message| match receipt {
            Message::Ceb514(m) => m.logistics_status_return[0].return_status.clone(),
            other => panic!("{other:?}"),
        };
        let receipt = zone.send(&zone.logistics, &signed_for(&first)).await;
        assert_eq!(status_of(&receipt), "2");
        let again = zone.send(&zone.logistics, &signed_for(&first)).await;
        assert_eq!(status_of(&again), "-505012", "reported before");
        let unknown = zone.send(&zone.logistics, &signed_for(&parcel(2))).await;
        assert_eq!(status_of(&unknown), "-505000", "no such waybill");
        // Only the logistics company reports it.
        let (status, _) = zone.post(&zone.ebc, &encode(&signed_for(&first))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    /// One masking rule on the list page (issue #17): the buyer's and
    /// payer's ID number, name and telephone and the consignee's address
    /// are masked for every reader; customs and the declarer may ask to see
    /// them in full, which is audited; the zone administration, which reads
    /// lists, may not. Fields are named in business language, not by their
    /// CEB element.
    async fn a_list_page_masks_personal_information_until_an_allowed_reader_asks(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let watched = parcel(3);
        let head = watched.list.inventory[0].inventory_head.clone();
        let customs_code = crate::support::agency_code(Role::Customs);
        zone.app.add_user(&customs_code, "officer").await;
        let officer = zone.app.signed_in("officer").await;
        let csrf = officer.csrf().await;
        let response = officer.post_form("/clearance/watch-list", &[("csrf", &csrf), ("buyer_id", &head.buyer_id_number), ("reason", "线索核查")]).await;
        crate::support::html(response, StatusCode::OK).await;
        zone.send_parcel(&watched, [0, 1, 2, 3]).await;
        let queue = zone.app.get_json(&zone.customs, "/api/clearance/reviews").await;
        let id = queue[0]["list"]["id"].as_str().unwrap().to_owned();
        let path = format!("/clearance/lists/{id}");
        let in_full = [head.buyer_id_number.as_str(), head.buyer_telephone.as_str(), head.consignee_address.as_str()];

        let page = officer.page(&path).await;
        for value in in_full {
            assert!(!page.contains(value), "{value} shown in full: {page}");
        }
        // The list waits for an officer: the inbox says so, its count in
        // the menu (issue #17).
        assert!(page.contains("id=\"inbox-badge\""), "{page}");
        let inbox = officer.page("/inbox").await;
        assert!(inbox.contains("href=\"/clearance\"><strong>1</strong> 待关员处理的清单"), "{inbox}");
        assert!(page.contains("订购人证件号码") && page.contains("电商企业代码"), "business language: {page}");
        // Reference codes by name, the code beside: currency, country, unit.
        for expected in ["人民币 (142)", "中国 (142)", "个 (007)"] {
            assert!(page.contains(expected), "{expected}: {page}");
        }
        assert!(!page.contains("<dt>buyerIdNumber</dt>") && !page.contains("<dt>ebpCode</dt>"), "{page}");
        assert!(page.contains("id=\"show-personal\""), "customs may ask: {page}");
        let decide = page.split("/decide\"").nth(1).unwrap_or_default();
        let asks = decide.find("<details class=\"confirm\">");
        assert!(asks.is_some() && asks < decide.find("type=\"submit\""), "a decision asks first: {page}");

        let shown = officer.page(&format!("{path}?show=personal")).await;
        for value in in_full {
            assert!(shown.contains(value), "{value} not shown: {shown}");
        }
        let admin = zone.app.zone_admin().await;
        let audit = zone.app.get_json(&admin, "/api/audit?action=clearance.read_personal").await;
        let entries = audit["entries"].as_array().unwrap();
        assert!(entries.iter().any(|e| e["target"] == id.as_str() && e["outcome"] == "success"), "audited: {audit}");

        // In English and Russian: statuses, who decided, field names and
        // codes in the reader's language, no Chinese label left.
        officer.get("/lang/en").await;
        let english = officer.page(&path).await;
        for expected in ["Manual review", "Rules engine", "Buyer&#39;s ID number", "Submission type", "New (1)", "China time", "Renminbi (Chinese Yuan) (142)", "China (142)", "piece (007)"] {
            assert!(english.contains(expected), "{expected}: {english}");
        }
        for chinese in ["人工审核", "规则引擎", "订购人证件号码", "报送类型"] {
            assert!(!english.contains(chinese), "{chinese} on an English page: {english}");
        }
        officer.get("/lang/ru").await;
        let russian = officer.page(&path).await;
        for expected in ["Ручная проверка", "Номер документа покупателя", "Китайский юань (жэньминьби) (142)", "Китай (142)", "штука (007)"] {
            assert!(russian.contains(expected), "{expected}: {russian}");
        }

        // The declarer sees its own list's data in full when it asks.
        zone.app.add_user(EBC, "declarer").await;
        let declarer = zone.app.signed_in("declarer").await;
        assert!(declarer.page(&path).await.contains("id=\"show-personal\""));
        assert!(declarer.page(&format!("{path}?show=personal")).await.contains(&head.buyer_id_number));

        // The zone administration reads the list, masked, and may not ask.
        zone.app.add_user(crate::support::ZONE_ADMIN, "zoneadmin").await;
        let zone_admin = zone.app.signed_in("zoneadmin").await;
        let page = zone_admin.page(&path).await;
        assert!(!page.contains(&head.buyer_id_number) && !page.contains("id=\"show-personal\""), "{page}");
        let refused = zone_admin.get(&format!("{path}?show=personal")).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let audit = zone.app.get_json(&admin, "/api/audit?action=clearance.read_personal").await;
        let entries = audit["entries"].as_array().unwrap();
        assert!(entries.iter().any(|e| e["outcome"] == "denied"), "the refusal is audited: {audit}");
    }
}
