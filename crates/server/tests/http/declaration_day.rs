//! Issue #14, finding 2 — the declarer does not choose the quota year. A
//! list counts on the China day the platform received it: the quota year,
//! the limits in force and the birth-date check follow that day, not the
//! `declTime` the declarer wrote; a `declTime` (an export list's `appTime`)
//! outside the tolerance is refused naming the field, and nothing of the
//! list is decided. The cancellation and return windows count China days
//! from the platform's own release. The platform's clock is set where a
//! test needs a New Year's Eve or the last day of a window. Both backends.

use kuajing_ceb::Message;
use kuajing_ceb::sample::Parcel;
use kuajing_ceb::sample::export::ExportMode;
use kuajing_core::timestamp::Timestamp;
use kuajing_exchange::clock::Clock;
use kuajing_store::ceb_documents::{self as store_docs, Kind};
use kuajing_testkit::dual_backend_tests;

use crate::clearance::{
    Zone, cancellation, goods_return, infos, parcel, sandbox, statuses, this_year,
};
use crate::exports::{Exporters, shipment};

/// The annual limit, fen (CNY 26,000).
const LIMIT_FEN: i64 = 2_600_000;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn buyer_of(p: &Parcel) -> String {
    p.list.inventory[0].inventory_head.buyer_id_number.clone()
}

/// Uses up the quota of `year` of the buyer of `p` to the fen.
async fn fill_year(zone: &Zone, p: &Parcel, year: i32) {
    let mut tx = zone.app.store.begin().await.unwrap();
    let key = format!("earlier/{}/{year}", buyer_of(p));
    kuajing_store::quota::reserve(
        &mut tx,
        &key,
        &buyer_of(p),
        year,
        LIMIT_FEN,
        LIMIT_FEN,
        Timestamp::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// What the buyer of `p` has used of `year`, fen.
async fn used(zone: &Zone, p: &Parcel, year: i32) -> i64 {
    let mut conn = zone.app.store.reader().await.unwrap();
    kuajing_store::quota::used_fen(&mut conn, &buyer_of(p), year)
        .await
        .unwrap()
}

/// Sends the documents `which` of `p` (0 order, 1 payment, 2 waybill, 3
/// list), each answered 2.
async fn send_some(zone: &Zone, p: &Parcel, which: &[usize]) {
    for &w in which {
        let (token, message) = match w {
            0 => (&zone.ebp, Message::Ceb311(p.order.clone())),
            1 => (&zone.pay, Message::Ceb411(p.payment.clone())),
            2 => (&zone.logistics, Message::Ceb511(p.waybill.clone())),
            _ => (&zone.ebc, Message::Ceb621(p.list.clone())),
        };
        let receipt = zone.send(token, &message).await;
        assert_eq!(statuses(&receipt), ["2"], "{receipt:?}");
    }
}

/// The returnInfo of the CEB622 that refused (100) the list `cop_no`.
async fn refusal(zone: &Zone, cop_no: &str) -> String {
    zone.list_return(cop_no, "100")
        .await
        .map(|r| r.return_info)
        .unwrap_or_else(|| panic!("{cop_no} was not refused"))
}

/// `p` bought by a buyer born on `born` (`yyyyMMdd`): a valid resident ID
/// number (GB 11643) in the order, the payment and the list.
fn born_on(mut p: Parcel, born: &str) -> Parcel {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let body = format!("330106{born}001");
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let id = format!("{body}{}", char::from(CHECK[(sum % 11) as usize]));
    p.order.order[0].order_head.buyer_id_number.clone_from(&id);
    p.payment.payment[0]
        .payment_head
        .payer_id_number
        .clone_from(&id);
    p.list.inventory[0].inventory_head.buyer_id_number = id;
    p
}

dual_backend_tests! {
    async fn lists_dated_into_last_or_next_year_are_refused_naming_the_field_and_decide_nothing(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let year = this_year();
        let back = parcel(1).declared_on(&format!("{}1215", year - 1));
        let ahead = parcel(2).declared_on(&format!("{}0115", year + 1));
        for (p, value) in [(&back, format!("{}1215", year - 1)), (&ahead, format!("{}0115", year + 1))] {
            // The buyer's year, by the platform's clock, is used to the fen.
            fill_year(&zone, p, year).await;
            send_some(&zone, p, &[0, 1, 2]).await;
            let receipt = zone.send(&zone.ebc, &Message::Ceb621(p.list.clone())).await;
            assert_eq!(statuses(&receipt), ["-621001"], "{receipt:?}");
            let info = &infos(&receipt)[0];
            for said in ["/CEB621Message/Inventory[1]/InventoryHead/declTime", &value, "容差", "至多早3日、晚1日", "tolerance", "at most 3 days before and 1 day after"] {
                assert!(info.contains(said), "{said} in {info}");
            }
            // Nothing of it is decided: no list kept, no year touched, its
            // documents still waiting for a list.
            let cop_no = p.list.inventory[0].inventory_head.cop_no.clone().unwrap();
            assert_eq!(zone.list_statuses().await[&cop_no], ["-621001"]);
            let key = format!("{}/{}/{}", Parcel::EBP, Parcel::EBC, p.list.inventory[0].inventory_head.order_no);
            let mut conn = zone.app.store.reader().await.unwrap();
            assert!(store_docs::find_document(&mut conn, Kind::List, &key).await.unwrap().is_none());
            let order = store_docs::find_document(&mut conn, Kind::Order, &key).await.unwrap().unwrap();
            assert_eq!(order.status, "2");
            drop(conn);
            for y in [year - 1, year, year + 1] {
                assert_eq!(used(&zone, p, y).await, if y == year { LIMIT_FEN } else { 0 }, "{y}");
            }
        }
        // Dated today, the same list is decided by the year it was received
        // in — full: -621018.
        let mut today = back.clone().declared_on(&kuajing_ceb::sample::today());
        today.list.guid = crate::clearance::guid();
        send_some(&zone, &today, &[3]).await;
        assert_eq!(zone.list_statuses().await["HCINV-T000001"], ["-621001", "2", "100"]);
        assert!(refusal(&zone, "HCINV-T000001").await.contains("-621018"));
        assert_eq!(used(&zone, &back, year).await, LIMIT_FEN);
    }

    async fn across_new_year_the_quota_year_is_the_day_the_platform_received_the_list(db: TestDatabase) {
        let settings = sandbox();
        let clock: Clock = settings.clearance.clock.clone();
        let zone = Zone::new(&db, settings).await;

        // 00:00:05 on 1 January 2027 in China; the list says 31 December
        // (within the tolerance). The buyer's 2027 is full: refused.
        clock.set(at("2026-12-31T16:00:05Z"));
        let eve = parcel(1).declared_on("20261231");
        fill_year(&zone, &eve, 2027).await;
        zone.send_parcel(&eve, [0, 1, 2, 3]).await;
        assert_eq!(zone.list_statuses().await["HCINV-T000001"], ["2", "100"]);
        assert!(refusal(&zone, "HCINV-T000001").await.contains("-621018"));
        assert_eq!((used(&zone, &eve, 2026).await, used(&zone, &eve, 2027).await), (0, LIMIT_FEN));

        // 23:58 on 31 December 2026; the list says 1 January. The buyer's
        // 2026 is full: refused.
        clock.set(at("2026-12-31T15:58:00Z"));
        let new_year = parcel(2).declared_on("20270101");
        fill_year(&zone, &new_year, 2026).await;
        zone.send_parcel(&new_year, [0, 1, 2, 3]).await;
        assert_eq!(zone.list_statuses().await["HCINV-T000002"], ["2", "100"]);
        assert!(refusal(&zone, "HCINV-T000002").await.contains("-621018"));
        assert_eq!((used(&zone, &new_year, 2026).await, used(&zone, &new_year, 2027).await), (LIMIT_FEN, 0));

        // A list received on 31 December whose waybill completes it on 1
        // January counts in 2026, when it was received.
        let waiting = parcel(3).declared_on("20261231");
        fill_year(&zone, &waiting, 2027).await;
        send_some(&zone, &waiting, &[3, 0, 1]).await;
        clock.set(at("2026-12-31T16:10:00Z"));
        send_some(&zone, &waiting, &[2]).await;
        assert_eq!(zone.list_statuses().await["HCINV-T000003"], ["2", "120", "399", "800"]);
        assert_eq!((used(&zone, &waiting, 2026).await, used(&zone, &waiting, 2027).await), (34_600, LIMIT_FEN));
    }

    async fn the_birth_date_is_checked_against_the_day_of_receipt(db: TestDatabase) {
        let settings = sandbox();
        let clock = settings.clearance.clock.clone();
        let zone = Zone::new(&db, settings).await;
        // Noon on 10 March 2027 in China; a buyer born on 11 March, and a
        // list dated 11 March (a day ahead: within the tolerance).
        clock.set(at("2027-03-10T04:00:00Z"));
        let p = born_on(parcel(1).declared_on("20270311"), "20270311");
        zone.send_parcel(&p, [0, 1, 2, 3]).await;
        assert_eq!(zone.list_statuses().await["HCINV-T000001"], ["2", "100"]);
        let info = refusal(&zone, "HCINV-T000001").await;
        assert!(info.contains("出生日期 20270311 晚于申报日期 20270310"), "{info}");
    }

    async fn return_and_cancellation_windows_count_china_days_from_the_platforms_release(db: TestDatabase) {
        let settings = sandbox();
        let clock = settings.clearance.clock.clone();
        let zone = Zone::new(&db, settings).await;
        // Released by the platform at 00:30 on 1 January 2027 (China); the
        // declarer dated the lists 31 December.
        clock.set(at("2026-12-31T16:30:00Z"));
        let parcels: Vec<Parcel> = (1..=4).map(|n| parcel(n).declared_on("20261231")).collect();
        let mut numbers = Vec::new();
        for (n, p) in (1..).zip(&parcels) {
            zone.send_parcel(p, [0, 1, 2, 3]).await;
            numbers.push(zone.invt_no(&format!("HCINV-T{n:06}")).await);
        }
        // 10:00 on 31 January: the 30th day after the day of release (more
        // than 30 × 24 hours after it, and 31 days after the declared day):
        // still within both windows.
        clock.set(at("2027-01-31T02:00:00Z"));
        let receipt = zone.send(&zone.ebc, &goods_return(&parcels[0], &numbers[0], "1")).await;
        let Message::Ceb626(answer) = &receipt else { panic!("{receipt:?}") };
        assert_eq!(answer.invt_refund_return[0].return_status, "2", "{answer:?}");
        let receipt = zone.send(&zone.ebc, &cancellation(&parcels[1], &numbers[1])).await;
        let Message::Ceb624(answer) = &receipt else { panic!("{receipt:?}") };
        assert_eq!(answer.invt_cancel_return[0].return_status, "2", "{answer:?}");
        // 00:00:30 on 1 February: the 31st day, out of both.
        clock.set(at("2027-01-31T16:00:30Z"));
        let receipt = zone.send(&zone.ebc, &goods_return(&parcels[2], &numbers[2], "1")).await;
        let Message::Ceb626(answer) = &receipt else { panic!("{receipt:?}") };
        let refused = &answer.invt_refund_return[0];
        assert_eq!(refused.return_status, "-625001");
        assert!(refused.return_info.contains("20270101") && refused.return_info.contains("20270131"), "{}", refused.return_info);
        let receipt = zone.send(&zone.ebc, &cancellation(&parcels[3], &numbers[3])).await;
        let Message::Ceb624(answer) = &receipt else { panic!("{receipt:?}") };
        assert_eq!(answer.invt_cancel_return[0].return_status, "-623005");
    }

    async fn an_export_list_is_dated_by_receipt_and_cancelled_within_china_days_of_release(db: TestDatabase) {
        let settings = sandbox();
        let clock = settings.clearance.clock.clone();
        let ex = Exporters::with(&db, settings).await;
        let z = &ex.zone;
        // An export list carries its date in appTime: a week old is refused.
        clock.set(at("2026-12-31T16:30:00Z"));
        let stale = shipment(1, ExportMode::B2b).declared_on("20261224");
        ex.ship(&stale, &[0]).await;
        let answered = ex.send(&z.ebc, &Message::Ceb603(stale.list.clone())).await;
        assert_eq!(answered[0].0, "-621001", "{answered:?}");
        assert!(answered[0].1.contains("InventoryHead/appTime") && answered[0].1.contains("20261224000000"), "{answered:?}");
        // Released at 00:30 on 1 January (China), dated the day before.
        let first = shipment(2, ExportMode::B2b).declared_on("20261231");
        let second = shipment(3, ExportMode::B2b).declared_on("20261231");
        let mut numbers = Vec::new();
        for p in [&first, &second] {
            ex.ship(p, &[0, 3]).await;
            let (statuses, _, invt_no) = ex.list(&p.list_head().cop_no).await;
            assert_eq!(statuses, ["2", "120", "399", "800"]);
            numbers.push(invt_no);
        }
        // 10:00 on 31 January is within the 30 days; 1 February is not.
        clock.set(at("2027-01-31T02:00:00Z"));
        let cancelled = ex.send(&z.ebc, &Message::Ceb605(first.cancellation(&numbers[0]))).await;
        assert_eq!(cancelled[0].0, "399", "{cancelled:?}");
        clock.set(at("2027-01-31T16:00:30Z"));
        let late = ex.send(&z.ebc, &Message::Ceb605(second.cancellation(&numbers[1]))).await;
        assert_eq!(late[0].0, "-605005", "{late:?}");
    }
}
