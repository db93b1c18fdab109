//! Behavioural tests of the store, each run on SQLite and on PostgreSQL.
//!
//! One test binary for the crate (link time matters on 2 cores): add modules
//! here rather than new files under `tests/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod audit_trail;
mod ceb_documents;
mod ems_books;
mod ems_supervision;
mod export_returns;
mod export_summaries;
mod identity;
mod organisations;
mod overseas_warehouses;
mod purchase_records;
mod quota;
mod repair;
mod schema;

use kuajing_core::ids::{CustomsCode, Uscc};
use kuajing_core::role::RoleSet;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Store;
use kuajing_store::organisations::{NewOrganisation, Organisation};
use kuajing_testkit::TestDatabase;

/// Connects to the test database and brings it to the current schema.
pub async fn migrated(db: &TestDatabase) -> Store {
    let store = Store::connect(&db.url).await.expect("connect");
    store.migrate().await.expect("migrate");
    store
}

/// A valid new organisation with the given code, roles and USCC body.
pub fn new_org(code: &str, roles: &str, uscc_body: &str) -> NewOrganisation {
    NewOrganisation {
        customs_code: CustomsCode::parse(code).unwrap(),
        name: format!("测试企业{code}"),
        name_en: None,
        uscc: Some(Uscc::from_parts("91222404", uscc_body).unwrap()),
        roles: RoleSet::parse_list(roles).unwrap(),
        park: Some("珲春综合保税区".into()),
        address: None,
        contact_name: Some("张伟".into()),
        contact_phone: Some("13904331234".into()),
        is_demo: false,
    }
}

/// Files `new` in its own transaction.
pub async fn file(store: &Store, new: &NewOrganisation) -> Organisation {
    let mut tx = store.begin().await.unwrap();
    let org = kuajing_store::organisations::insert(&mut tx, new, Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    org
}
