//! The overseas-warehouse registry (海外仓备案, issue #7): registration,
//! one code per owner, customs' decision taken once, a returned warehouse
//! filed again, and `approved_in_country` — the owner's first approved
//! warehouse in a country, nothing for filed, returned or others'
//! warehouses — on both backends.

use kuajing_store::StoreError;
use kuajing_store::overseas_warehouses::{
    self as warehouses, CapacityUnit, Decision, NewWarehouse, OverseasWarehouse, WarehouseFilter,
    WarehouseStatus,
};
use kuajing_testkit::dual_backend_tests;

use super::*;

const EXPORTER: &str = "2224960001";
const OTHER_EXPORTER: &str = "2224960002";
const JAPAN: &str = "116";
const KOREA: &str = "133";

fn warehouse<'a>(owner_code: &'a str, code: &'a str, country: &'a str) -> NewWarehouse<'a> {
    NewWarehouse {
        owner_code,
        warehouse_code: code,
        name: "新潟海外仓",
        operator_name: "株式会社ハンチュン物流",
        country,
        address: "新潟県新潟市東区臨港町 1-1",
        capacity: 1200,
        capacity_unit: CapacityUnit::SquareMetres,
        registered_by: "exporter-clerk",
    }
}

async fn register(store: &Store, new: &NewWarehouse<'_>) -> Result<OverseasWarehouse, StoreError> {
    let mut tx = store.begin().await.unwrap();
    let registered = warehouses::register(&mut tx, new, Timestamp::now()).await?;
    tx.commit().await.unwrap();
    Ok(registered)
}

async fn decide(store: &Store, id: i64, approve: bool, reason: &str) -> Option<OverseasWarehouse> {
    let mut tx = store.begin().await.unwrap();
    let decision = Decision {
        approve,
        reason,
        decided_by: "officer-li",
    };
    let decided = warehouses::decide(&mut tx, id, &decision, Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    decided
}

async fn approved(store: &Store, owner: &str, country: &str) -> Option<String> {
    let mut conn = store.reader().await.unwrap();
    warehouses::approved_in_country(&mut conn, owner, country)
        .await
        .unwrap()
        .map(|w| w.warehouse_code)
}

dual_backend_tests! {
    async fn only_approved_warehouses_count_the_first_by_registration(db: TestDatabase) {
        let store = migrated(&db).await;
        let first = register(&store, &warehouse(EXPORTER, "JP-1", JAPAN)).await.unwrap();
        assert_eq!((first.status, first.capacity, first.capacity_unit), (WarehouseStatus::Filed, 1200, CapacityUnit::SquareMetres));
        assert_eq!((first.decided_by.as_deref(), first.decided_at), (None, None));
        let second = register(&store, &warehouse(EXPORTER, "JP-2", JAPAN)).await.unwrap();
        let korea = register(&store, &warehouse(EXPORTER, "KR-1", KOREA)).await.unwrap();
        let others = register(&store, &warehouse(OTHER_EXPORTER, "JP-1", JAPAN)).await.unwrap();
        assert_eq!(approved(&store, EXPORTER, JAPAN).await, None, "filed is not approved");

        // The second is approved first; the first is returned, then filed
        // again and approved: the first by registration wins.
        let approved_second = decide(&store, second.warehouse_id, true, "").await.unwrap();
        assert_eq!(approved_second.status, WarehouseStatus::Approved);
        assert_eq!(approved_second.decided_by.as_deref(), Some("officer-li"));
        assert!(approved_second.decided_at.is_some());
        assert_eq!(approved(&store, EXPORTER, JAPAN).await.as_deref(), Some("JP-2"));
        let returned = decide(&store, first.warehouse_id, false, "地址不全 / address incomplete").await.unwrap();
        assert_eq!((returned.status, returned.decision_reason.as_deref()), (WarehouseStatus::Returned, Some("地址不全 / address incomplete")));
        assert_eq!(decide(&store, first.warehouse_id, true, "").await, None, "a returned warehouse is not decided again");
        assert_eq!(decide(&store, second.warehouse_id, false, "x").await, None, "nor an approved one");

        let mut tx = store.begin().await.unwrap();
        let mut changed = warehouse(EXPORTER, "JP-1", JAPAN);
        changed.address = "新潟県新潟市東区臨港町 1-1-2";
        changed.capacity = 1500;
        let refiled = warehouses::refile(&mut tx, first.warehouse_id, &changed, Timestamp::now()).await.unwrap().unwrap();
        tx.commit().await.unwrap();
        assert_eq!((refiled.status, refiled.capacity, refiled.decision_reason.clone()), (WarehouseStatus::Filed, 1500, None));
        let mut tx = store.begin().await.unwrap();
        let twice = warehouses::refile(&mut tx, first.warehouse_id, &changed, Timestamp::now()).await.unwrap();
        assert_eq!(twice, None, "a filed warehouse is not filed again");
        let not_theirs = warehouses::refile(&mut tx, first.warehouse_id, &warehouse(OTHER_EXPORTER, "JP-1", JAPAN), Timestamp::now()).await.unwrap();
        assert_eq!(not_theirs, None, "nor by another owner");
        drop(tx);
        decide(&store, first.warehouse_id, true, "").await.unwrap();
        assert_eq!(approved(&store, EXPORTER, JAPAN).await.as_deref(), Some("JP-1"));

        // Korea is filed only; the other exporter's Japanese warehouse is
        // not this exporter's; Russia has none.
        assert_eq!(approved(&store, EXPORTER, KOREA).await, None);
        assert_eq!(korea.status, WarehouseStatus::Filed);
        assert_eq!(approved(&store, OTHER_EXPORTER, JAPAN).await, None);
        decide(&store, others.warehouse_id, true, "").await.unwrap();
        assert_eq!(approved(&store, OTHER_EXPORTER, JAPAN).await.as_deref(), Some("JP-1"));
        assert_eq!(approved(&store, EXPORTER, "344").await, None);
        assert_eq!(approved(&store, "bad\0code", JAPAN).await, None);

        let mut conn = store.reader().await.unwrap();
        let filter = WarehouseFilter { owner_code: Some(EXPORTER.into()), limit: 100, ..Default::default() };
        let mine: Vec<String> = warehouses::list(&mut conn, &filter).await.unwrap().into_iter().map(|w| w.warehouse_code).collect();
        assert_eq!(mine, ["JP-1", "JP-2", "KR-1"]);
        let filter = WarehouseFilter { status: Some(WarehouseStatus::Approved), country: Some(JAPAN.into()), limit: 100, ..Default::default() };
        assert_eq!(warehouses::list(&mut conn, &filter).await.unwrap().len(), 3);
    }

    async fn a_warehouse_code_is_registered_once_per_owner(db: TestDatabase) {
        let store = migrated(&db).await;
        register(&store, &warehouse(EXPORTER, "JP-1", JAPAN)).await.unwrap();
        let again = register(&store, &warehouse(EXPORTER, "JP-1", KOREA)).await;
        assert!(matches!(again, Err(StoreError::Duplicate { field: "warehouse_code", .. })), "{again:?}");
        let mut zero = warehouse(EXPORTER, "JP-0", JAPAN);
        zero.capacity = 0;
        assert!(matches!(register(&store, &zero).await, Err(StoreError::Corrupt { .. })));
        let mut conn = store.reader().await.unwrap();
        let all = warehouses::list(&mut conn, &WarehouseFilter { limit: 10, ..Default::default() }).await.unwrap();
        assert_eq!(all.len(), 1, "nothing else was written");
    }
}
