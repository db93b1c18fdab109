//! The repair account book (维修账册, GACC 2015 No. 59): every step of an
//! order's goods, steps that would take more than there is refused, the
//! race for the last unit awaiting repair, materials and scrap, the book's
//! totals balancing, and the check that each counter is the sum of the
//! ledger, on both backends.

use kuajing_store::StoreError;
use kuajing_store::repair::{
    self, MovementKind, NewMaterial, NewMovement, NewOrder, NewScrap, Order, OrderFilter,
    OrderState, Origin, Outcome, UNIT_SCALE,
};
use kuajing_testkit::dual_backend_tests;

use super::*;

const WAREHOUSE: &str = "2224960005";
const OTHER_WAREHOUSE: &str = "2224960006";

fn new_order(owner_code: &str, origin: Origin, units: i64) -> NewOrder<'_> {
    NewOrder {
        owner_code,
        origin,
        customer_name: "Владивосток Электроника ООО",
        goods_name: "笔记本电脑 / laptop",
        hs_code: "8471300000",
        unit: "001",
        currency: "142",
        declared_value: "12000.50",
        received_on: "2026-11-20",
        quantity: units * UNIT_SCALE,
        reference: "进境备案清单 QD1909260100",
        recorded_by: "repair-clerk",
    }
}

async fn open(store: &Store, new: &NewOrder<'_>) -> Order {
    let mut tx = store.begin().await.unwrap();
    let order = repair::open_order(&mut tx, new, Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    order
}

fn step(order: &Order, kind: MovementKind, units: i64) -> NewMovement<'static> {
    NewMovement {
        order_id: order.order_id,
        kind,
        quantity: units * UNIT_SCALE,
        reference: "",
        note: "",
        recorded_by: "repair-clerk",
    }
}

async fn record(store: &Store, new: &NewMovement<'_>) -> Outcome<repair::Movement> {
    let mut tx = store.begin().await.unwrap();
    let outcome = repair::record(&mut tx, new, Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    outcome
}

async fn reread(store: &Store, order: &Order) -> Order {
    let mut conn = store.reader().await.unwrap();
    repair::find_order(&mut conn, &order.order_no)
        .await
        .unwrap()
        .unwrap()
}

/// (awaiting, repaired, unrepairable, shipped repaired, shipped unrepairable)
/// in whole units.
fn counters(order: &Order) -> (i64, i64, i64, i64, i64) {
    (
        order.awaiting / UNIT_SCALE,
        order.repaired / UNIT_SCALE,
        order.unrepairable / UNIT_SCALE,
        order.shipped_repaired / UNIT_SCALE,
        order.shipped_unrepairable / UNIT_SCALE,
    )
}

async fn no_differences(store: &Store) {
    let mut conn = store.reader().await.unwrap();
    assert_eq!(
        repair::ledger_differences(&mut conn, None).await.unwrap(),
        Vec::<String>::new()
    );
}

dual_backend_tests! {
    async fn goods_are_received_repaired_or_not_and_shipped_and_the_ledger_says_so(db: TestDatabase) {
        let store = migrated(&db).await;
        let order = open(&store, &new_order(WAREHOUSE, Origin::Abroad, 10)).await;
        assert!(order.order_no.starts_with("WX") && order.order_no.len() == 16, "{}", order.order_no);
        assert_eq!((order.origin, order.declared_value.as_str()), (Origin::Abroad, "12000.50"));
        assert_eq!(counters(&order), (10, 0, 0, 0, 0));
        let steps = [
            (MovementKind::Repaired, 6, (4, 6, 0, 0, 0)),
            (MovementKind::Unrepairable, 3, (1, 6, 3, 0, 0)),
            (MovementKind::ShippedRepaired, 5, (1, 6, 3, 5, 0)),
            (MovementKind::ShippedUnrepairable, 3, (1, 6, 3, 5, 3)),
            (MovementKind::Repaired, 1, (0, 7, 3, 5, 3)),
            (MovementKind::ShippedRepaired, 2, (0, 7, 3, 7, 3)),
        ];
        for (kind, units, after) in steps {
            let Outcome::Done(m) = record(&store, &step(&order, kind, units)).await else {
                panic!("{kind:?} {units}")
            };
            assert_eq!((m.kind, m.quantity), (kind, units * UNIT_SCALE));
            let now = reread(&store, &order).await;
            assert_eq!(counters(&now), after, "after {kind:?} {units}");
            assert_eq!(now.received, now.awaiting + now.repaired + now.unrepairable);
        }
        assert!(reread(&store, &order).await.is_closed());
        let mut conn = store.reader().await.unwrap();
        let ledger = repair::movements_of(&mut conn, order.order_id).await.unwrap();
        let kinds: Vec<_> = ledger.iter().map(|m| m.kind).collect();
        assert_eq!(kinds[0], MovementKind::Received, "opening writes the receipt");
        assert_eq!(ledger[0].reference, "进境备案清单 QD1909260100");
        assert_eq!(ledger.len(), 7);
        assert!(ledger.windows(2).all(|w| w[0].seq < w[1].seq), "in ledger order");
        drop(conn);
        no_differences(&store).await;
    }

    async fn a_step_that_takes_more_than_there_is_is_refused_and_changes_nothing(db: TestDatabase) {
        let store = migrated(&db).await;
        let order = open(&store, &new_order(WAREHOUSE, Origin::Domestic, 3)).await;
        let over = record(&store, &step(&order, MovementKind::Repaired, 4)).await;
        assert_eq!(over, Outcome::Overdrawn { available: 3 * UNIT_SCALE });
        record(&store, &step(&order, MovementKind::Repaired, 2)).await;
        let ship = record(&store, &step(&order, MovementKind::ShippedRepaired, 3)).await;
        assert_eq!(ship, Outcome::Overdrawn { available: 2 * UNIT_SCALE });
        let unrepairable = record(&store, &step(&order, MovementKind::ShippedUnrepairable, 1)).await;
        assert_eq!(unrepairable, Outcome::Overdrawn { available: 0 });
        let more = record(&store, &step(&order, MovementKind::Unrepairable, 2)).await;
        assert_eq!(more, Outcome::Overdrawn { available: UNIT_SCALE });
        assert_eq!(counters(&reread(&store, &order).await), (1, 2, 0, 0, 0));

        // Zero, a second receipt, an unknown order: the caller's mistakes.
        let now = Timestamp::now();
        let mut tx = store.begin().await.unwrap();
        let zero = repair::record(&mut tx, &NewMovement { quantity: 0, ..step(&order, MovementKind::Repaired, 1) }, now).await;
        assert!(matches!(zero, Err(StoreError::Corrupt { .. })), "{zero:?}");
        let again = repair::record(&mut tx, &step(&order, MovementKind::Received, 1), now).await;
        assert!(matches!(again, Err(StoreError::Corrupt { .. })), "{again:?}");
        let unknown = NewMovement { order_id: order.order_id + 1000, ..step(&order, MovementKind::Repaired, 1) };
        assert!(matches!(repair::record(&mut tx, &unknown, now).await, Err(StoreError::NotFound { .. })));
        let material = NewMaterial { order_id: order.order_id + 1000, name: "x", hs_code: "8473309000", unit: "001", quantity: 1, recorded_by: "x" };
        assert!(matches!(repair::use_material(&mut tx, &material, now).await, Err(StoreError::NotFound { .. })));
        drop(tx);
        // A number whose date is not the order's names no order.
        let mut conn = store.reader().await.unwrap();
        let wrong_date = format!("WX19991231{}", &order.order_no[10..]);
        assert_eq!(repair::find_order(&mut conn, &wrong_date).await.unwrap(), None);
        assert_eq!(repair::find_order(&mut conn, "WX'; DROP TABLE repair_orders;--").await.unwrap(), None);
        drop(conn);
        no_differences(&store).await;
    }

    async fn steps_racing_for_the_last_unit_never_overdraw(db: TestDatabase) {
        let store = migrated(&db).await;
        let order = open(&store, &new_order(WAREHOUSE, Origin::Abroad, 3)).await;
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let (store, order) = (store.clone(), order.clone());
                let kind = if i % 2 == 0 { MovementKind::Repaired } else { MovementKind::Unrepairable };
                tokio::spawn(async move { record(&store, &step(&order, kind, 1)).await })
            })
            .collect();
        let mut passed = 0;
        for task in tasks {
            if matches!(task.await.unwrap(), Outcome::Done(_)) {
                passed += 1;
            }
        }
        assert_eq!(passed, 3, "three units, three steps");
        let after = reread(&store, &order).await;
        assert_eq!(after.awaiting, 0);
        assert_eq!(after.repaired + after.unrepairable, 3 * UNIT_SCALE);
        no_differences(&store).await;
    }

    async fn the_book_adds_up_by_unit_with_its_materials_and_scrap(db: TestDatabase) {
        let store = migrated(&db).await;
        let laptops = open(&store, &new_order(WAREHOUSE, Origin::Abroad, 10)).await;
        let phones = open(&store, &new_order(WAREHOUSE, Origin::Domestic, 4)).await;
        let by_weight = NewOrder { unit: "035", ..new_order(WAREHOUSE, Origin::Domestic, 1) };
        let cables = open(&store, &NewOrder { quantity: UNIT_SCALE / 2, ..by_weight }).await;
        let elsewhere = open(&store, &new_order(OTHER_WAREHOUSE, Origin::Abroad, 7)).await;
        record(&store, &step(&laptops, MovementKind::Repaired, 8)).await;
        record(&store, &step(&laptops, MovementKind::Unrepairable, 1)).await;
        record(&store, &step(&laptops, MovementKind::ShippedRepaired, 8)).await;
        record(&store, &step(&phones, MovementKind::Repaired, 4)).await;
        record(&store, &step(&elsewhere, MovementKind::Repaired, 7)).await;
        let now = Timestamp::now();
        let mut tx = store.begin().await.unwrap();
        for (order, quantity) in [(&laptops, 8), (&phones, 4), (&elsewhere, 7)] {
            let screen = NewMaterial { order_id: order.order_id, name: "屏幕 / screen", hs_code: "8473309000", unit: "001", quantity: quantity * UNIT_SCALE, recorded_by: "repair-clerk" };
            repair::use_material(&mut tx, &screen, now).await.unwrap();
        }
        let scrap = NewScrap { order_id: phones.order_id, description: "坏主板 / faulty boards", weight: 1_250_000, disposal_enterprise: "珲春市环保处置有限公司", disposal_record_no: "GF2026-0042", recorded_by: "repair-clerk" };
        repair::record_scrap(&mut tx, &scrap, now).await.unwrap();
        tx.commit().await.unwrap();

        let mut conn = store.reader().await.unwrap();
        let book = repair::book_totals(&mut conn, Some(WAREHOUSE)).await.unwrap();
        let goods: Vec<_> = book.goods.iter().map(|u| (u.unit.as_str(), u.orders, u.received, u.awaiting, u.repaired, u.unrepairable, u.shipped_repaired, u.shipped_unrepairable)).collect();
        let s = UNIT_SCALE;
        assert_eq!(goods, [("001", 2, 14 * s, s, 12 * s, s, 8 * s, 0), ("035", 1, s / 2, s / 2, 0, 0, 0, 0)]);
        assert!(book.goods.iter().all(repair::UnitTotals::balances));
        assert_eq!(book.materials.len(), 1);
        assert_eq!(book.materials[0].quantity, 12 * s, "the other warehouse's screens are its own");
        assert_eq!(book.scrap_weight, 1_250_000);
        let every = repair::book_totals(&mut conn, None).await.unwrap();
        assert_eq!((every.goods[0].orders, every.goods[0].received, every.materials[0].quantity), (3, 21 * s, 19 * s));

        // The orders by state and origin, newest first.
        let numbers = |found: Vec<Order>| found.into_iter().map(|o| o.order_no).collect::<Vec<_>>();
        let own = |state, origin| OrderFilter { owner_code: Some(WAREHOUSE), origin, state };
        let awaiting = repair::orders(&mut conn, &own(Some(OrderState::Awaiting), None), 50).await.unwrap();
        assert_eq!(numbers(awaiting), [cables.order_no.as_str(), laptops.order_no.as_str()]);
        let repaired = repair::orders(&mut conn, &own(Some(OrderState::Repaired), None), 50).await.unwrap();
        assert_eq!(numbers(repaired), [phones.order_no.as_str()]);
        let unrepairable = repair::orders(&mut conn, &own(Some(OrderState::Unrepairable), None), 50).await.unwrap();
        assert_eq!(numbers(unrepairable), [laptops.order_no.as_str()]);
        let domestic = repair::orders(&mut conn, &own(None, Some(Origin::Domestic)), 50).await.unwrap();
        assert_eq!(numbers(domestic), [cables.order_no.as_str(), phones.order_no.as_str()]);
        assert!(repair::orders(&mut conn, &own(Some(OrderState::Shipped), None), 50).await.unwrap().is_empty());
        assert_eq!(repair::orders(&mut conn, &OrderFilter::default(), 50).await.unwrap().len(), 4);
        let materials = repair::materials_of(&mut conn, phones.order_id).await.unwrap();
        assert_eq!((materials[0].name.as_str(), materials[0].quantity), ("屏幕 / screen", 4 * s));
        let scrap = repair::scrap_of(&mut conn, phones.order_id).await.unwrap();
        assert_eq!((scrap[0].weight, scrap[0].disposal_record_no.as_str()), (1_250_000, "GF2026-0042"));
        drop(conn);
        no_differences(&store).await;
    }

    async fn an_order_changed_outside_the_ledger_is_found(db: TestDatabase) {
        let store = migrated(&db).await;
        let order = open(&store, &new_order(WAREHOUSE, Origin::Abroad, 5)).await;
        record(&store, &step(&order, MovementKind::Repaired, 2)).await;
        no_differences(&store).await;
        // Written through the ledger, then the movement row removed: the
        // order keeps a repair the ledger no longer explains.
        let mut tx = store.begin().await.unwrap();
        let planted = NewMovement { reference: "planted", ..step(&order, MovementKind::Repaired, 1) };
        repair::record(&mut tx, &planted, Timestamp::now()).await.unwrap();
        kuajing_store::sql::query("DELETE FROM repair_movements WHERE reference = 'planted'")
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut conn = store.reader().await.unwrap();
        let found = repair::ledger_differences(&mut conn, None).await.unwrap();
        assert_eq!(repair::ledger_differences(&mut conn, Some(WAREHOUSE)).await.unwrap(), found);
        assert!(repair::ledger_differences(&mut conn, Some(OTHER_WAREHOUSE)).await.unwrap().is_empty(), "another enterprise's book is right");
        let no = &order.order_no;
        assert_eq!(found, vec![
            format!("{no}: repaired 300000 but movements sum to 200000"),
            format!("{no}: awaiting 200000 but movements leave 300000"),
        ]);
    }
}
