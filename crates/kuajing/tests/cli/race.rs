//! The scale-out setup (issue #5, "quotas"): two `kuajing serve` processes
//! sharing one PostgreSQL. Eight lists of one buyer, for whom less than
//! one list's value remains of the year, arrive at both servers at once:
//! exactly one may take the rest, every other is refused -621018, and the
//! year never goes over the limit.

use std::sync::Arc;

use kuajing_ceb::sample::{Parcel, resident_id};
use kuajing_ceb::{Message, decode, encode};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Store;
use kuajing_testkit::{TestBackend, TestDatabase};

use super::*;

/// Sends `message` with `token` to `base`: the receipt.
async fn send(client: &reqwest::Client, base: &str, token: &str, message: &Message) -> Message {
    let response = client
        .post(format!("{base}/api/ceb"))
        .bearer_auth(token)
        .header("content-type", "application/xml")
        .body(encode(message))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    decode(response.text().await.unwrap().as_bytes())
        .unwrap()
        .message
}

#[tokio::test]
async fn two_servers_on_one_postgresql_never_overspend_a_buyers_year() {
    let db = TestDatabase::create(TestBackend::Postgres).await;
    let tokens = Arc::new(crash::senders(&db.url));
    crash::stock_book(&db.url).await;
    // The buyer has used CNY 25,654.00 - 100.00: CNY 446.00 remain, less
    // than two lists of 346.00 (2 × 168.00 + 10.00 freight).
    let buyer = resident_id(1);
    // The year the lists count in: the day the platform receives them.
    let year: i32 = kuajing_ceb::sample::today()[..4].parse().unwrap();
    let store = Store::connect(&db.url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    kuajing_store::quota::reserve(
        &mut tx,
        "earlier/lists",
        &buyer,
        year,
        2_555_400,
        2_600_000,
        Timestamp::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let first = Served::start(&db.url, &["--allow-unsigned-messages"]);
    let second = Served::start(&db.url, &["--allow-unsigned-messages"]);
    let bases = [first.base.clone(), second.base.clone()];
    let client = reqwest::Client::new();
    let parcels: Vec<Parcel> = (1..=8)
        .map(|n| {
            let mut parcel = Parcel::numbered(n);
            parcel.order.order[0]
                .order_head
                .buyer_id_number
                .clone_from(&buyer);
            parcel.payment.payment[0]
                .payment_head
                .payer_id_number
                .clone_from(&buyer);
            parcel.list.inventory[0]
                .inventory_head
                .buyer_id_number
                .clone_from(&buyer);
            parcel
        })
        .collect();
    for (i, parcel) in parcels.iter().enumerate() {
        let base = &bases[i % 2];
        send(
            &client,
            base,
            &tokens[0],
            &Message::Ceb311(parcel.order.clone()),
        )
        .await;
        send(
            &client,
            base,
            &tokens[1],
            &Message::Ceb411(parcel.payment.clone()),
        )
        .await;
        send(
            &client,
            base,
            &tokens[2],
            &Message::Ceb511(parcel.waybill.clone()),
        )
        .await;
    }
    // The eight lists at once, four to each server.
    let tasks: Vec<_> = parcels
        .iter()
        .enumerate()
        .map(|(i, parcel)| {
            let (client, base, token) = (client.clone(), bases[i % 2].clone(), tokens[3].clone());
            let list = Message::Ceb621(parcel.list.clone());
            tokio::spawn(async move { send(&client, &base, &token, &list).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }

    let mut conn = store.reader().await.unwrap();
    let used = kuajing_store::quota::used_fen(&mut conn, &buyer, year)
        .await
        .unwrap();
    assert!(used <= 2_600_000, "the year went over: {used}");
    assert_eq!(used, 2_555_400 + 34_600, "exactly one list took the rest");
    let counts = kuajing_store::ceb_documents::status_counts(&mut conn)
        .await
        .unwrap();
    let lists = |status: &str| {
        counts
            .iter()
            .filter(|(k, s, _)| *k == kuajing_store::ceb_documents::Kind::List && s == status)
            .map(|(_, _, n)| *n)
            .sum::<i64>()
    };
    assert_eq!(lists("100"), 7, "{counts:?}");
    assert_eq!(lists("800") + lists("300"), 1, "{counts:?}");
    let problems = kuajing_store::clearance::inconsistencies(&mut conn)
        .await
        .unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
    drop(conn);
    store.close().await;
    drop((first, second));
    drop(db);
}
