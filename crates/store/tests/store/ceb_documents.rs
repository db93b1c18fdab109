//! Messages kept exactly and answered once; documents keyed, refused when
//! their key is taken, and found by the links the match follows.

use std::time::Duration;

use kuajing_store::StoreError;
use kuajing_store::ceb_documents::{self as docs, Document, Kept, Kind, NewDocument, NewMessage};
use kuajing_testkit::dual_backend_tests;

use super::*;

/// A message's bytes with a BOM and Chinese text, as a sender might send.
const BYTES: &[u8] =
    "\u{feff}<ceb:CEB311Message guid=\"G1\">珲春蜂蜜</ceb:CEB311Message>".as_bytes();

fn message(guid: &str) -> NewMessage<'_> {
    NewMessage {
        sender_code: "2224960001",
        message_type: "CEB311",
        guid,
        sha256: "ab12",
        body: BYTES,
    }
}

async fn keep(store: &Store, new: &NewMessage<'_>) -> Kept {
    let mut tx = store.begin().await.unwrap();
    let kept = docs::keep_message(&mut tx, new, Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    kept
}

fn document<'a>(kind: Kind, key: &'a str, message_id: &'a str) -> NewDocument<'a> {
    NewDocument {
        kind,
        business_key: key,
        owner_code: "2224960001",
        ebp_code: (kind != Kind::Waybill).then_some("2224960001"),
        order_no: "HC20261127001",
        waybill_key: matches!(kind, Kind::Waybill | Kind::List).then_some("2224980002/HCW001"),
        message_id,
        position: 1,
        status: "2",
        awaiting: kind == Kind::List,
        body: "{}",
        buyer_id: (kind == Kind::List).then_some("330106200001010013"),
        consignee_address: None,
        buyer_telephone: None,
        pre_no: None,
    }
}

async fn keep_document(store: &Store, new: &NewDocument<'_>) -> Result<Document, StoreError> {
    let mut tx = store.begin().await.unwrap();
    let kept = docs::keep_document(&mut tx, new, Timestamp::now()).await;
    if kept.is_ok() {
        tx.commit().await.unwrap();
    }
    kept
}

dual_backend_tests! {
    async fn documents_are_found_by_many_keys_at_once_each_once_and_of_their_kind_only(db: TestDatabase) {
        let store = migrated(&db).await;
        let Kept::New(m) = keep(&store, &message("GMANY")).await else { panic!("new") };
        // 40 waybills: more keys than one statement takes (32 a chunk).
        let keys: Vec<String> = (0..40).map(|i| format!("2224980002/W{i:02}")).collect();
        let news: Vec<NewDocument<'_>> = keys
            .iter()
            .enumerate()
            .map(|(i, key)| NewDocument { position: i64::try_from(i + 1).unwrap(), ..document(Kind::Waybill, key, &m.id) })
            .collect();
        let mut tx = store.begin().await.unwrap();
        docs::keep_documents(&mut tx, &news, Timestamp::now()).await.unwrap();
        docs::keep_document(&mut tx, &NewDocument { position: 41, ..document(Kind::Order, "2224980002/W00", &m.id) }, Timestamp::now())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut asked: Vec<&str> = keys.iter().map(String::as_str).collect();
        asked.extend(["2224980002/W00", "2224980002/MISSING", "2224980002/W\u{0}01"]);
        let mut conn = store.reader().await.unwrap();
        let found = docs::find_documents(&mut conn, Kind::Waybill, &asked).await.unwrap();
        let mut found_keys: Vec<&str> = found.iter().map(|d| d.business_key.as_str()).collect();
        found_keys.sort_unstable();
        assert_eq!(found_keys, keys.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(found.iter().all(|d| d.kind == Kind::Waybill));
        assert!(docs::find_documents(&mut conn, Kind::Waybill, &[]).await.unwrap().is_empty());
        assert!(docs::find_by_invt_nos(&mut conn, Kind::List, &["none"]).await.unwrap().is_empty());
    }
}

dual_backend_tests! {
    async fn a_message_is_kept_exactly_and_a_resend_finds_it_with_its_receipt(db: TestDatabase) {
        let store = migrated(&db).await;
        let Kept::New(first) = keep(&store, &message("G1")).await else { panic!("new") };
        assert_eq!(first.size_bytes, i64::try_from(BYTES.len()).unwrap());
        let mut conn = store.reader().await.unwrap();
        let stored = docs::find_message(&mut conn, "2224960001", "CEB311", "G1").await.unwrap();
        assert_eq!(stored.as_ref(), Some(&first), "as stored");
        drop(conn);
        let mut tx = store.begin().await.unwrap();
        // The receipt is the feed's row for the message (a later receipt to
        // the same enterprise names no message).
        let receipt = |message_id, xml| kuajing_store::clearance::NewReceipt {
            recipient_code: "2224960001",
            receipt_type: "CEB312",
            message_id,
            document_id: None,
            xml,
        };
        kuajing_store::clearance::append_receipts(
            &mut tx,
            &[receipt(Some(first.id.as_str()), "<CEB312Message/>"), receipt(None, "<CEB312Message>later</CEB312Message>")],
            Timestamp::now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let Kept::Resent(again) = keep(&store, &message("G1")).await else { panic!("resent") };
        assert_eq!(again.id, first.id);
        assert_eq!(again.receipt, Some(("CEB312".to_owned(), "<CEB312Message/>".to_owned())));
        let mut conn = store.reader().await.unwrap();
        assert_eq!(docs::message_body(&mut conn, &first.id).await.unwrap().unwrap(), BYTES);

        // Another guid, or the same guid from another sender, is new.
        assert!(matches!(keep(&store, &message("G2")).await, Kept::New(_)));
        let other = NewMessage { sender_code: "2224960002", ..message("G1") };
        assert!(matches!(keep(&store, &other).await, Kept::New(_)));
    }

    async fn a_guid_in_another_letter_case_is_the_same_guid(db: TestDatabase) {
        // Issue #14, finding 13: `abc…` and `ABC…` are one guid of a sender
        // and type; the store keeps it upper case.
        let store = migrated(&db).await;
        let lower = "311af125-6fed-4603-8c5d-49b1fa4b4b9b";
        let Kept::New(first) = keep(&store, &message(lower)).await else { panic!("new") };
        assert_eq!(first.guid, "311AF125-6FED-4603-8C5D-49B1FA4B4B9B");
        let upper = lower.to_ascii_uppercase();
        let Kept::Resent(again) = keep(&store, &message(&upper)).await else { panic!("resent") };
        assert_eq!((again.id.as_str(), again.sha256.as_str()), (first.id.as_str(), "ab12"));
        let mixed = "311Af125-6fed-4603-8C5D-49b1fa4b4b9b";
        assert!(matches!(keep(&store, &message(mixed)).await, Kept::Resent(m) if m.id == first.id));
        let mut conn = store.reader().await.unwrap();
        let found = docs::find_message(&mut conn, "2224960001", "CEB311", lower).await.unwrap();
        assert_eq!(found.map(|m| m.id), Some(first.id));
    }

    async fn migration_0019_brings_guids_kept_before_into_line(db: TestDatabase) {
        // Messages an earlier build kept with the guid as sent.
        let store = migrated(&db).await;
        let mut tx = store.begin().await.unwrap();
        let rows = [
            ("m1", "CEB311", "abc-lower"),
            // Kept in two cases: the upper-case row keeps the guid.
            ("m2", "CEB311", "def-both"),
            ("m3", "CEB311", "DEF-BOTH"),
            // Kept in two other cases: the earliest row takes it.
            ("m4", "CEB411", "ghi-Two"),
            ("m5", "CEB411", "Ghi-two"),
            // Beyond ASCII: only a to z change, as guid_key changes them.
            ("m6", "CEB511", "é-accent"),
        ];
        for (id, message_type, guid) in rows {
            kuajing_store::sql::query(
                "INSERT INTO ceb_messages (id, sender_code, message_type, guid, sha256, size_bytes, body, received_at) \
                 VALUES ($1, '2224960001', $2, $3, 'ab12', 1, $4, '2026-01-01T00:00:00Z')",
            )
            .bind(id)
            .bind(message_type)
            .bind(guid)
            .bind(b"x".to_vec())
            .execute(&mut tx)
            .await
            .unwrap();
        }
        let migration = match store.backend() {
            kuajing_store::Backend::Sqlite => include_str!("../../migrations/sqlite/0019_guid_key.sql"),
            kuajing_store::Backend::Postgres => include_str!("../../migrations/postgres/0019_guid_key.sql"),
        };
        kuajing_store::sql::execute_script(&mut tx, migration).await.unwrap();
        let mut guids: Vec<(String, String)> = kuajing_store::sql::query("SELECT id, guid FROM ceb_messages ORDER BY id")
            .fetch_all(&mut tx)
            .await
            .unwrap()
            .iter()
            .map(|row| (sqlx::Row::get(row, "id"), sqlx::Row::get(row, "guid")))
            .collect();
        guids.sort();
        tx.commit().await.unwrap();
        let expected = [
            ("m1", "ABC-LOWER"),
            ("m2", "def-both"),
            ("m3", "DEF-BOTH"),
            ("m4", "GHI-TWO"),
            ("m5", "Ghi-two"),
            ("m6", "é-ACCENT"),
        ];
        let expected: Vec<(String, String)> =
            expected.iter().map(|(i, g)| ((*i).to_owned(), (*g).to_owned())).collect();
        assert_eq!(guids, expected);
        // A resend in any case now finds the message it was.
        let resend = NewMessage { guid: "Abc-Lower", ..message("x") };
        assert!(matches!(keep(&store, &resend).await, Kept::Resent(m) if m.id == "m1"));
    }

    async fn a_second_document_with_a_taken_key_is_refused(db: TestDatabase) {
        let store = migrated(&db).await;
        let Kept::New(m) = keep(&store, &message("G1")).await else { panic!() };
        let key = "2224960001/2224960001/HC20261127001";
        keep_document(&store, &document(Kind::Order, key, &m.id)).await.unwrap();
        let again = keep_document(&store, &document(Kind::Order, key, &m.id)).await;
        assert!(matches!(again, Err(StoreError::Duplicate { field: "business_key", .. })), "{again:?}");
        // The same key for another kind is another document.
        keep_document(&store, &document(Kind::List, key, &m.id)).await.unwrap();
    }

    async fn documents_are_found_by_their_links_and_lists_wait_until_matched(db: TestDatabase) {
        let store = migrated(&db).await;
        let Kept::New(m) = keep(&store, &message("G1")).await else { panic!() };
        let payment = keep_document(&store, &document(Kind::Payment, "P1/T1", &m.id)).await.unwrap();
        let waybill = keep_document(&store, &document(Kind::Waybill, "2224980002/HCW001", &m.id)).await.unwrap();
        let list = keep_document(&store, &document(Kind::List, "2224960003/COP1", &m.id)).await.unwrap();
        assert!(list.awaiting);
        let mut conn = store.reader().await.unwrap();
        let stored = docs::find_document(&mut conn, Kind::List, "2224960003/COP1").await.unwrap();
        assert_eq!(stored.as_ref(), Some(&list), "as stored");
        drop(conn);

        let mut conn = store.reader().await.unwrap();
        let payments = docs::documents_of_order(&mut conn, Kind::Payment, "2224960001", "HC20261127001").await.unwrap();
        assert_eq!(payments, vec![payment]);
        // The waiting list is found by its waybill and by its order, once.
        let by_waybill = docs::awaiting_lists(&mut conn, &[], &["2224980002/HCW001"]).await.unwrap();
        assert_eq!(by_waybill, vec![list.clone()]);
        let by_both = docs::awaiting_lists(&mut conn, &[("2224960001", "HC20261127001")], &["2224980002/HCW001"])
            .await
            .unwrap();
        assert_eq!(by_both, vec![list.clone()]);
        assert!(docs::awaiting_lists(&mut conn, &[("2224960001", "OTHER")], &["X/Y"]).await.unwrap().is_empty());
        assert_eq!(waybill.kind, Kind::Waybill);
        assert!(docs::documents_of_order(&mut conn, Kind::Payment, "2224960001", "OTHER").await.unwrap().is_empty());

        // Waiting lists are found by age for the "三单不齐" timeout, until matched.
        let later = Timestamp::now().plus(Duration::from_secs(60));
        assert_eq!(docs::awaiting_since(&mut conn, later, 10).await.unwrap().len(), 1);
        drop(conn);
        let mut tx = store.begin().await.unwrap();
        docs::finish_list(&mut tx, &list.id, "120", None, None, Timestamp::now()).await.unwrap();
        assert!(matches!(
            docs::finish_list(&mut tx, "no-such-id", "120", None, None, Timestamp::now()).await,
            Err(StoreError::NotFound { .. })
        ));
        tx.commit().await.unwrap();
        let mut conn = store.reader().await.unwrap();
        assert!(docs::awaiting_since(&mut conn, later, 10).await.unwrap().is_empty());
        let matched = docs::find_document(&mut conn, Kind::List, "2224960003/COP1").await.unwrap().unwrap();
        assert_eq!((matched.status.as_str(), matched.awaiting), ("120", false));
        // A matched list waits for nothing.
        assert!(docs::awaiting_lists(&mut conn, &[], &["2224980002/HCW001"]).await.unwrap().is_empty());
    }

    async fn a_batch_of_documents_is_kept_in_order_with_each_taken_key_refused_in_its_place(db: TestDatabase) {
        let store = migrated(&db).await;
        let Kept::New(m) = keep(&store, &message("G1")).await else { panic!() };
        keep_document(&store, &document(Kind::Order, "K/TAKEN", &m.id)).await.unwrap();
        // More than one chunk of a multi-row insert (32 rows): a key taken
        // before (position 35) and one repeated within the batch (position
        // 5 repeats position 2: the first wins).
        let keys: Vec<String> = (1..=40)
            .map(|i| match i {
                5 => "K/2".to_owned(),
                35 => "K/TAKEN".to_owned(),
                _ => format!("K/{i}"),
            })
            .collect();
        let news: Vec<NewDocument<'_>> = keys
            .iter()
            .enumerate()
            .map(|(i, key)| NewDocument { position: i64::try_from(i + 1).unwrap(), ..document(Kind::Order, key, &m.id) })
            .collect();
        let mut tx = store.begin().await.unwrap();
        let kept = docs::keep_documents(&mut tx, &news, Timestamp::now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(kept.len(), 40);
        for (i, outcome) in kept.iter().enumerate() {
            let position = i + 1;
            match position {
                5 | 35 => assert!(matches!(outcome, Err(StoreError::Duplicate { .. })), "{position}: {outcome:?}"),
                _ => assert_eq!(outcome.as_ref().map(|d| d.position).ok(), Some(i64::try_from(position).unwrap())),
            }
        }
        let mut conn = store.reader().await.unwrap();
        let second = docs::find_document(&mut conn, Kind::Order, "K/2").await.unwrap().unwrap();
        assert_eq!(second.position, 2, "the first of a repeated key is kept");
        assert_eq!(Some(&second), kept[1].as_ref().ok(), "what was returned is what was stored");
    }

    async fn numbers_are_unique_and_increasing_whether_taken_one_or_a_block_at_a_time(db: TestDatabase) {
        use kuajing_store::clearance::{next_number, next_numbers};
        let store = migrated(&db).await;
        let mut tx = store.begin().await.unwrap();
        let first = next_number(&mut tx, "preNo/20261127").await.unwrap();
        let block = next_numbers(&mut tx, "preNo/20261127", 5).await.unwrap();
        let after = next_number(&mut tx, "preNo/20261127").await.unwrap();
        assert!(next_numbers(&mut tx, "preNo/20261127", 0).await.unwrap().is_empty());
        tx.commit().await.unwrap();
        let mut all = vec![first];
        all.extend(&block);
        all.push(after);
        assert_eq!(block.len(), 5);
        assert!(all.windows(2).all(|w| w[0] < w[1]), "{all:?}");
        if store.backend() == kuajing_store::Backend::Sqlite {
            // One counter row per name on SQLite: no gaps.
            assert_eq!(all, (1..=7).collect::<Vec<i64>>());
        }
    }
}

dual_backend_tests! {
    async fn a_document_counts_as_declared_when_the_message_that_declared_it_arrived(db: TestDatabase) {
        let store = migrated(&db).await;
        // A draft list kept from a message received on day one …
        let day_one: Timestamp = "2026-12-30T02:00:00Z".parse().unwrap();
        let day_three: Timestamp = "2027-01-01T02:00:00Z".parse().unwrap();
        let mut tx = store.begin().await.unwrap();
        let Kept::New(first) = docs::keep_message(&mut tx, &message("G1"), day_one).await.unwrap() else { panic!() };
        let draft = NewDocument { status: "1", awaiting: false, ..document(Kind::List, "2224960003/COP1", &first.id) };
        let a_moment_later = day_one.plus(Duration::from_secs(1));
        let kept = docs::keep_document(&mut tx, &draft, a_moment_later).await.unwrap();
        assert_eq!(kept.declared_at, day_one, "the message's time, as the row reads back");
        // … declared by a change received on day three.
        let Kept::New(second) = docs::keep_message(&mut tx, &message("G2"), day_three).await.unwrap() else { panic!() };
        let declared = document(Kind::List, "2224960003/COP1", &second.id);
        docs::replace_document(&mut tx, &kept.id, &declared, day_three).await.unwrap();
        tx.commit().await.unwrap();
        let mut conn = store.reader().await.unwrap();
        let list = docs::get_document(&mut conn, &kept.id).await.unwrap().unwrap();
        assert_eq!((list.created_at, list.declared_at), (a_moment_later, day_three));
        // The "三单不齐" wait counts from the declaration, not from the
        // draft: a day after the draft it has not begun.
        let day_two = day_one.plus(Duration::from_secs(86_400));
        assert!(docs::awaiting_since(&mut conn, day_two, 10).await.unwrap().is_empty());
        let day_four = day_three.plus(Duration::from_secs(86_400));
        assert_eq!(docs::awaiting_since(&mut conn, day_four, 10).await.unwrap().len(), 1);
    }
}
