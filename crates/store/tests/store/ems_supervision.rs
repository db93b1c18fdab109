//! The supervision of a bonded book in the store: returned goods held for
//! inspection and decided on, exit verification lists claiming each
//! released list once (also when two generations race), gate release
//! lists, reconciliation findings recorded once and closed once, stock
//! counts once a month, and the monthly summary from the ledger, on both
//! backends.

use kuajing_core::timestamp::Timestamp;
use kuajing_store::StoreError;
use kuajing_store::ems_books::{self as books, MovementKind, Outcome, Purpose, UNIT_SCALE};
use kuajing_store::ems_quarantine::{self, Decision, Inspection};
use kuajing_store::ems_reconciliation::{self as recon, FindingFilter, NewFinding, Reason, Source};
use kuajing_store::ems_verifications::{self as exits, NewVerification};
use kuajing_testkit::dual_backend_tests;

use super::ems_books::{BOOK, HONEY, book, line, movement, no_differences, record, reserve};
use super::*;

fn inspection(quantity: i64, decision: Decision) -> Inspection<'static> {
    Inspection {
        ems_no: BOOK,
        item_no: HONEY,
        quantity: quantity * UNIT_SCALE,
        decision,
        reference: "查验记录 CY001",
        reason: "外包装破损 / damaged",
        approved_by: Some("王关员"),
        decided_by: "warehouse-clerk",
    }
}

async fn inspect(store: &Store, inspection: &Inspection<'_>) -> Outcome<Option<books::Movement>> {
    let mut tx = store.begin().await.unwrap();
    let outcome = ems_quarantine::inspect(&mut tx, inspection, Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    outcome
}

/// `units` returned into the book and held for inspection.
async fn returned(store: &Store, units: i64) {
    let mut tx = store.begin().await.unwrap();
    let back = movement(MovementKind::ReturnIn, units, "INVT-RETURNED");
    books::record(&mut tx, &back, Timestamp::now())
        .await
        .unwrap();
    ems_quarantine::hold(
        &mut tx,
        BOOK,
        HONEY,
        units * UNIT_SCALE,
        "INVT-RETURNED",
        "clerk",
        Timestamp::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// A list released: it holds `units`, then its release deducts them.
async fn released(store: &Store, list: &str, units: i64) {
    assert_eq!(reserve(store, list, units).await, Outcome::Done(()));
    let mut tx = store.begin().await.unwrap();
    books::deduct(&mut tx, list, list, "customs", Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn day_bounds() -> (Timestamp, Timestamp) {
    let now = Timestamp::now();
    (
        now.minus(std::time::Duration::from_secs(3600)),
        now.plus(std::time::Duration::from_secs(3600)),
    )
}

/// Generates a verification list of what is unverified: `None` when
/// nothing is left (the generation that lost the race on SQLite, where
/// writers queue).
async fn create_verification(
    store: &Store,
    number: &str,
) -> Result<Option<exits::Verification>, StoreError> {
    let (from, to) = day_bounds();
    let mut tx = store.begin().await.unwrap();
    let released = exits::unverified(&mut tx, BOOK, from, to).await.unwrap();
    if released.is_empty() {
        return Ok(None);
    }
    let new = NewVerification {
        number,
        ems_no: BOOK,
        business_day: "2026-11-27",
        created_by: "clerk",
        released: &released,
    };
    let created = exits::create(&mut tx, &new, Timestamp::now()).await?;
    tx.commit().await.unwrap();
    Ok(Some(created))
}

dual_backend_tests! {
    async fn returned_goods_wait_for_inspection_then_sell_or_leave_the_book(db: TestDatabase) {
        let store = book(&db).await;
        record(&store, &movement(MovementKind::FirstLineIn, 2, "entry")).await;
        returned(&store, 3).await;
        let held = line(&store).await;
        assert_eq!((held.stock, held.quarantined, held.available()), (5 * UNIT_SCALE, 3 * UNIT_SCALE, 2 * UNIT_SCALE));
        // What waits cannot be sold nor moved out.
        assert_eq!(reserve(&store, "L/over", 3).await, Outcome::Overdrawn { available: 2 * UNIT_SCALE });
        assert_eq!(record(&store, &movement(MovementKind::GoodsOut, -3, "out")).await, Outcome::Overdrawn { available: 2 * UNIT_SCALE });
        // More than waits: refused, nothing changed.
        assert_eq!(inspect(&store, &inspection(4, Decision::Sellable)).await, Outcome::Overdrawn { available: 3 * UNIT_SCALE });
        // Sellable: available again; unsellable: out by an adjustment.
        assert_eq!(inspect(&store, &inspection(1, Decision::Sellable)).await, Outcome::Done(None));
        let Outcome::Done(Some(out)) = inspect(&store, &inspection(2, Decision::Unsellable)).await else { panic!() };
        assert_eq!((out.kind, out.quantity, out.approved_by.as_deref()), (MovementKind::Adjustment, -2 * UNIT_SCALE, Some("王关员")));
        let after = line(&store).await;
        assert_eq!((after.stock, after.quarantined, after.available()), (3 * UNIT_SCALE, 0, 3 * UNIT_SCALE));
        let mut conn = store.reader().await.unwrap();
        let entries = ems_quarantine::entries_of(&mut conn, BOOK, 10).await.unwrap();
        let decisions: Vec<(&str, i64)> = entries.iter().map(|e| (e.decision.as_str(), e.quantity / UNIT_SCALE)).collect();
        assert_eq!(decisions, [("unsellable", -2), ("sellable", -1), ("held", 3)]);
        drop(conn);
        no_differences(&store).await;
        // An unknown line is not found.
        let mut unknown = inspection(1, Decision::Sellable);
        unknown.item_no = "NO-SUCH-ITEM";
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(ems_quarantine::inspect(&mut tx, &unknown, Timestamp::now()).await, Err(StoreError::NotFound { .. })));
    }

    async fn a_quarantine_changed_outside_its_ledger_is_found(db: TestDatabase) {
        let store = book(&db).await;
        returned(&store, 2).await;
        let mut tx = store.begin().await.unwrap();
        kuajing_store::sql::query("DELETE FROM ems_quarantine").execute(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        let mut conn = store.reader().await.unwrap();
        let found = books::ledger_differences(&mut conn).await.unwrap();
        assert_eq!(found, vec![format!("{BOOK}/{HONEY}: quarantined 200000 but its quarantine ledger sums to 0")]);
    }

    async fn each_released_list_is_verified_once_even_when_generations_race(db: TestDatabase) {
        let store = book(&db).await;
        record(&store, &movement(MovementKind::FirstLineIn, 10, "entry")).await;
        released(&store, "INVT-1", 2).await;
        released(&store, "INVT-2", 3).await;
        let tasks: Vec<_> = ["QD-A", "QD-B"].into_iter().map(|number| {
            let store = store.clone();
            tokio::spawn(async move { create_verification(&store, number).await })
        }).collect();
        let mut created = Vec::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(Some(v)) => created.push(v),
                Ok(None) => {}
                Err(StoreError::Duplicate { .. }) => {}
                // PostgreSQL may also find the race a serialization or
                // deadlock failure of the loser: still only one wins.
                Err(StoreError::Database(_)) => {}
                Err(other) => panic!("{other}"),
            }
        }
        assert_eq!(created.len(), 1, "one generation takes the lists");
        let verification = &created[0];
        assert_eq!((verification.lists, verification.lines.clone()), (2, vec![(HONEY.to_owned(), 5 * UNIT_SCALE)]));
        let (from, to) = day_bounds();
        let mut conn = store.reader().await.unwrap();
        assert!(exits::unverified(&mut conn, BOOK, from, to).await.unwrap().is_empty());
        assert_eq!(exits::released_of(&mut conn, BOOK, from, to).await.unwrap()[HONEY], 5 * UNIT_SCALE);
        assert_eq!(exits::verified_of_day(&mut conn, BOOK, "2026-11-27").await.unwrap()[HONEY], 5 * UNIT_SCALE);
        drop(conn);

        // The gate release list once; the vehicle passes once.
        let mut tx = store.begin().await.unwrap();
        let gate = exits::file_gate_release(&mut tx, verification, "HF-A", "吉H12345", "clerk", Timestamp::now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(exits::file_gate_release(&mut tx, verification, "HF-B", "吉H1", "clerk", Timestamp::now()).await, Err(StoreError::Duplicate { .. })));
        drop(tx);
        let mut tx = store.begin().await.unwrap();
        assert!(exits::pass_gate(&mut tx, &gate.number, "officer", Timestamp::now()).await.unwrap());
        assert!(!exits::pass_gate(&mut tx, &gate.number, "officer", Timestamp::now()).await.unwrap());
        tx.commit().await.unwrap();
        let mut conn = store.reader().await.unwrap();
        let found = exits::find(&mut conn, &verification.number).await.unwrap().unwrap();
        assert_eq!(found.gate_release.unwrap().passed_by.as_deref(), Some("officer"));
    }

    async fn findings_are_recorded_once_and_closed_once(db: TestDatabase) {
        let store = book(&db).await;
        let finding = NewFinding {
            ems_no: BOOK,
            source: Source::Monthly,
            period: "2026-11",
            item_no: HONEY,
            expected: 10 * UNIT_SCALE,
            found: 7 * UNIT_SCALE,
            reason: Reason::Short,
            detail: "count short",
        };
        let mut tx = store.begin().await.unwrap();
        assert!(recon::record_finding(&mut tx, &finding, Timestamp::now()).await.unwrap());
        assert!(!recon::record_finding(&mut tx, &finding, Timestamp::now()).await.unwrap(), "once");
        recon::record_count(&mut tx, BOOK, "2026-11", "count.csv", 1, "clerk", Timestamp::now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let again = recon::record_count(&mut tx, BOOK, "2026-11", "count.csv", 1, "clerk", Timestamp::now()).await;
        assert!(matches!(again, Err(StoreError::Duplicate { field: "period", .. })), "{again:?}");
        drop(tx);

        let mut conn = store.reader().await.unwrap();
        let mine = FindingFilter { owner_code: Some("2224960005".to_owned()), ..FindingFilter::default() };
        let theirs = FindingFilter { owner_code: Some("2224960006".to_owned()), ..FindingFilter::default() };
        let found = recon::findings(&mut conn, &mine, 10).await.unwrap();
        assert_eq!((found.len(), found[0].reason, found[0].found - found[0].expected), (1, Reason::Short, -3 * UNIT_SCALE));
        assert!(recon::findings(&mut conn, &theirs, 10).await.unwrap().is_empty());
        drop(conn);
        let mut tx = store.begin().await.unwrap();
        assert!(recon::close_finding(&mut tx, &found[0].id, "officer", "recounted", Timestamp::now()).await.unwrap());
        assert!(!recon::close_finding(&mut tx, &found[0].id, "officer", "again", Timestamp::now()).await.unwrap());
        tx.commit().await.unwrap();
        let mut conn = store.reader().await.unwrap();
        let open = FindingFilter { state: Some("open".to_owned()), ..FindingFilter::default() };
        assert!(recon::findings(&mut conn, &open, 10).await.unwrap().is_empty());
        let closed = recon::find_finding(&mut conn, &found[0].id).await.unwrap().unwrap();
        assert_eq!((closed.state.as_str(), closed.closing_note.as_deref()), ("closed", Some("recounted")));
    }

    async fn the_monthly_summary_adds_up_from_the_ledger(db: TestDatabase) {
        let store = book(&db).await;
        let before = Timestamp::now();
        record(&store, &movement(MovementKind::FirstLineIn, 100, "entry")).await;
        let mut transfer_in = movement(MovementKind::FirstLineIn, 20, "transfer");
        transfer_in.purpose = Some(Purpose::TransferIn);
        record(&store, &transfer_in).await;
        for (purpose, units) in [(Purpose::GeneralTrade, 5), (Purpose::TransferOut, 7), (Purpose::ReExport, 1)] {
            let mut out = movement(MovementKind::GoodsOut, -units, "out");
            out.purpose = Some(purpose);
            record(&store, &out).await;
        }
        released(&store, "INVT-1", 4).await;
        returned(&store, 2).await;
        record(&store, &movement(MovementKind::Adjustment, -1, "adjust")).await;
        let after = Timestamp::now().plus(std::time::Duration::from_secs(1));
        let mut conn = store.reader().await.unwrap();
        let lines = recon::month_summary(&mut conn, BOOK, before, after).await.unwrap();
        let l = &lines[0];
        let figures = [l.opening, l.entered, l.transferred_in, l.returned, l.retail_out, l.general_trade,
            l.transferred_out, l.re_exported, l.adjusted, l.closing].map(|q| q / UNIT_SCALE);
        assert_eq!(figures, [0, 100, 20, 2, 4, 5, 7, 1, -1, 104]);
        assert_eq!(l.closing, line(&store).await.stock, "closing stock is the book's");
        // Everything before the period is its opening stock.
        let later = recon::month_summary(&mut conn, BOOK, after, after.plus(std::time::Duration::from_secs(60))).await.unwrap();
        assert_eq!((later[0].opening, later[0].entered, later[0].closing), (104 * UNIT_SCALE, 0, 104 * UNIT_SCALE));
    }
}
