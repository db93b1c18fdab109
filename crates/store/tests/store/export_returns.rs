//! Export returns (出口退货, migration 0016): a request kept once per
//! sender and coElNo with its lines, the lines counted against its list,
//! tallied once, and read by its sender, its e-commerce enterprise or
//! customs.

use kuajing_store::export_returns::{self as returns, NewReturn, ReturnLine};
use kuajing_testkit::dual_backend_tests;

use super::*;

const DECLARER: &str = "2224960001";
const EBC: &str = "2224960003";

/// A released export list of `owner` numbered `invt_no`: (the message
/// id, the list's document id).
async fn released_list(store: &Store, owner: &str, invt_no: &str) -> (String, String) {
    let (list, message_id) =
        export_list(store, owner, invt_no, "800", Some(Timestamp::now())).await;
    (message_id, list.id)
}

fn line(gnum: i64, qty: &str) -> ReturnLine {
    ReturnLine {
        gnum,
        gcode: "6109100021".to_owned(),
        gname: "棉制针织T恤衫".to_owned(),
        qty: qty.to_owned(),
        unit: "011".to_owned(),
    }
}

dual_backend_tests! {
    async fn a_return_is_kept_once_counted_against_its_list_and_tallied_once(db: TestDatabase) {
        let store = migrated(&db).await;
        let (message_id, document_id) = released_list(&store, DECLARER, "299120261000000001").await;
        let lines = [line(1, "1"), line(2, "0.5")];
        let new = NewReturn {
            sender_code: DECLARER,
            co_el_no: "RET-1",
            pre_no: "B20261128000000001",
            document_id: &document_id,
            invt_no: "299120261000000001",
            ebc_code: EBC,
            trade_mode: "9610",
            logistics_no: "HCXL-E000001",
            released_at: Timestamp::now(),
            reason: "买家退货",
            tax: "exempt",
            tax_basis: "2026 No. 16",
            message_id: &message_id,
            lines: &lines,
        };
        let mut tx = store.begin().await.unwrap();
        assert!(returns::keep(&mut tx, &new, Timestamp::now()).await.unwrap().is_some());
        // The coElNo again: nothing written, and the transaction goes on.
        let again = NewReturn { pre_no: "B20261128000000002", ..new };
        assert!(returns::keep(&mut tx, &again, Timestamp::now()).await.unwrap().is_none());
        assert!(returns::co_el_no_taken(&mut tx, DECLARER, "RET-1").await.unwrap());
        assert!(!returns::co_el_no_taken(&mut tx, EBC, "RET-1").await.unwrap());
        let mut counted = returns::returned_lines(&mut tx, &document_id).await.unwrap();
        counted.sort();
        assert_eq!(counted, [(1, "1".to_owned()), (2, "0.5".to_owned())]);

        let found = returns::by_co_el_no(&mut tx, "RET-1").await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].state, returns::REQUESTED);
        assert_eq!(found[0].lines, lines);
        assert!(returns::mark_tallied(&mut tx, &found[0].id, "2224990001", Some("A-01"), &message_id, Timestamp::now()).await.unwrap());
        assert!(!returns::mark_tallied(&mut tx, &found[0].id, "2224990001", None, &message_id, Timestamp::now()).await.unwrap(), "once");
        tx.commit().await.unwrap();

        let mut conn = store.reader().await.unwrap();
        for party in [Some(DECLARER), Some(EBC), None] {
            let read = returns::returns(&mut conn, party, 10).await.unwrap();
            assert_eq!(read.len(), 1, "{party:?}");
            assert_eq!(read[0].state, returns::TALLIED);
            assert_eq!(read[0].tally_location.as_deref(), Some("A-01"));
            assert!(read[0].tallied_at.is_some());
        }
        assert!(returns::returns(&mut conn, Some("2224960009"), 10).await.unwrap().is_empty());
        assert!(returns::returns(&mut conn, Some("2224960001\0"), 10).await.unwrap().is_empty());
    }
}
