//! A receipt is stored once (issue #16, item 4): its outbox event names
//! its row in the pull feed and reads back with the payload it always had,
//! `{"type": …, "xml": …}`; other events keep their own payloads.

use kuajing_core::timestamp::Timestamp;
use kuajing_store::clearance::{NewReceipt, append_receipts, receipts_after};
use kuajing_store::outbox::{self, NewOutboxEvent};
use kuajing_testkit::dual_backend_tests;

use super::*;

/// A receipt owed to `recipient`.
fn receipt<'a>(recipient: &'a str, receipt_type: &'a str, xml: &'a str) -> NewReceipt<'a> {
    NewReceipt {
        recipient_code: recipient,
        receipt_type,
        message_id: None,
        document_id: None,
        xml,
    }
}

/// An event carrying the receipt at `receipt_seq`, or a record of its own.
fn event<'a>(owner: &'a str, payload: &'a str, receipt_seq: Option<i64>) -> NewOutboxEvent<'a> {
    NewOutboxEvent {
        topic: if receipt_seq.is_some() {
            "receipt"
        } else {
            "release"
        },
        event: "CEB622",
        record_id: "",
        record_key: "CEB622",
        owner_code: owner,
        version_no: 1,
        payload,
        receipt_seq,
    }
}

dual_backend_tests! {
    async fn a_receipt_is_kept_once_and_its_event_reads_as_before(db: TestDatabase) {
        let store = migrated(&db).await;
        let xml_a = "<CEB622Message guid=\"A\">\"引号\" &amp; 文字</CEB622Message>";
        let xml_b = "<CEB816Message/>";
        let mut tx = store.begin().await.unwrap();
        // More receipts than one insert holds, so that positions come from
        // two statements in order.
        let many: Vec<NewReceipt<'_>> = (0..40)
            .map(|i| receipt("2224960001", if i % 2 == 0 { "CEB622" } else { "CEB816" }, if i % 2 == 0 { xml_a } else { xml_b }))
            .collect();
        let positions = append_receipts(&mut tx, &many, Timestamp::now()).await.unwrap();
        assert_eq!(positions.len(), 40);
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        let events: Vec<NewOutboxEvent<'_>> = vec![
            event("2224960001", "", Some(positions[0])),
            event("2224960001", "{\"record\":1}", None),
            event("2224960001", "", Some(positions[39])),
        ];
        outbox::append_all(&mut tx, &events, Timestamp::now()).await.unwrap();
        tx.commit().await.unwrap();

        let mut conn = store.reader().await.unwrap();
        let feed = receipts_after(&mut conn, "2224960001", 0, 100).await.unwrap();
        assert_eq!(feed.iter().map(|r| r.seq).collect::<Vec<_>>(), positions, "the positions returned are the feed's");
        let read = outbox::after(&mut conn, 0, Some("2224960001"), &[], 10).await.unwrap();
        let payloads: Vec<&str> = read.iter().map(|e| e.payload.as_str()).collect();
        let expected_a = serde_json::json!({ "type": "CEB622", "xml": xml_a }).to_string();
        let expected_b = serde_json::json!({ "type": "CEB816", "xml": xml_b }).to_string();
        assert_eq!(payloads, [expected_a.as_str(), "{\"record\":1}", expected_b.as_str()]);
        let one = outbox::by_seq(&mut conn, read[2].seq).await.unwrap().unwrap();
        assert_eq!(one, read[2]);
        // Topic filters still apply to the events themselves.
        let receipts_only = outbox::after(&mut conn, 0, None, &["receipt".to_owned()], 10).await.unwrap();
        assert_eq!(receipts_only.len(), 2);
    }
}
