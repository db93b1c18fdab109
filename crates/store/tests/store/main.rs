//! Behavioural tests of the store, each run on SQLite and on PostgreSQL.
//!
//! One test binary for the crate (link time matters on 2 cores): add modules
//! here rather than new files under `tests/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod audit_trail;
mod cache_generation;
mod ceb_documents;
mod ems_books;
mod ems_supervision;
mod export_returns;
mod export_summaries;
mod identity;
mod native_writer;
mod organisations;
mod outbox_receipts;
mod overseas_warehouses;
mod purchase_records;
mod quota;
mod repair;
mod schema;
mod storage_faults;
mod webhooks;

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

/// Keeps a CEB603 message of `owner` and an export list in it numbered
/// `invt_no` (its body a stand-in: these tests read only its columns), at
/// `status` and released at `released`: the list and the message's id.
/// The export-list rows the summary, return and purchase tests build on.
pub async fn export_list(
    store: &Store,
    owner: &str,
    invt_no: &str,
    status: &str,
    released: Option<Timestamp>,
) -> (kuajing_store::ceb_documents::Document, String) {
    use kuajing_store::ceb_documents::{self as docs, Kept, Kind, NewDocument, NewMessage};
    let mut tx = store.begin().await.unwrap();
    let guid = format!("G-{invt_no}");
    let message = NewMessage {
        sender_code: owner,
        message_type: "CEB603",
        guid: &guid,
        sha256: "ab12",
        body: b"<CEB603Message/>",
    };
    let Kept::New(m) = docs::keep_message(&mut tx, &message, Timestamp::now())
        .await
        .unwrap()
    else {
        panic!("new message")
    };
    let key = format!("{owner}/{owner}/{invt_no}");
    let new = NewDocument {
        kind: Kind::ExportList,
        business_key: &key,
        owner_code: owner,
        ebp_code: Some(owner),
        order_no: invt_no,
        waybill_key: None,
        message_id: &m.id,
        position: 1,
        status: "2",
        awaiting: false,
        body: "{}",
        buyer_id: None,
        consignee_address: None,
        buyer_telephone: None,
        pre_no: None,
    };
    let kept = docs::keep_documents(&mut tx, &[new], Timestamp::now())
        .await
        .unwrap();
    let document = kept.into_iter().next().unwrap().unwrap();
    let now = Timestamp::now();
    docs::finish_list(&mut tx, &document.id, status, Some(invt_no), released, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let document = docs::get_document(&mut store.reader().await.unwrap(), &document.id)
        .await
        .unwrap()
        .unwrap();
    (document, m.id)
}
