//! Summary declarations of retail exports (汇总申报, migration 0015): the
//! released export lists of an exporter in a period, the applications
//! kept, and each list in one summary at most.

use kuajing_store::StoreError;
use kuajing_store::ceb_documents::Document;
use kuajing_store::export_summaries::{self as summaries, NewDeclaration, NewSummary};
use kuajing_testkit::dual_backend_tests;

use super::*;

const EXPORTER: &str = "2224960001";
const OTHER: &str = "2224960002";

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// An export list of `owner` numbered `invt_no`, released at `released`
/// (status 800) or left at `status`.
async fn export_list(
    store: &Store,
    owner: &str,
    invt_no: &str,
    status: &str,
    released: Option<&str>,
) -> Document {
    super::export_list(store, owner, invt_no, status, released.map(at))
        .await
        .0
}

fn declaration(no: &str, lists: &[&Document]) -> NewDeclaration {
    NewDeclaration {
        decl_seq_no: no.to_owned(),
        seq: 1,
        consignor: EXPORTER.to_owned(),
        transport_mode: "4".to_owned(),
        producer: EXPORTER.to_owned(),
        arrival_country: "344".to_owned(),
        exit_customs: "1901".to_owned(),
        dec_state: "1".to_owned(),
        gross_weight: "2.5".to_owned(),
        net_weight: "2".to_owned(),
        lines: 1,
        lists: lists
            .iter()
            .map(|d| (d.id.clone(), d.order_no.clone()))
            .collect(),
    }
}

fn summary<'a>(
    cop_no: &'a str,
    sum_no: &'a str,
    message_id: &'a str,
    declarations: &'a [NewDeclaration],
) -> NewSummary<'a> {
    NewSummary {
        sender_code: EXPORTER,
        cop_no,
        pre_no: sum_no,
        sum_no,
        customs_code: "1901",
        ebc_code: EXPORTER,
        ebc_name: "珲春蜂业",
        decl_agent_code: EXPORTER,
        period_start: at("2026-09-30T16:00:00Z"),
        period_end: at("2026-10-31T16:00:00Z"),
        message_id,
        declarations,
    }
}

async fn keep(store: &Store, new: &NewSummary<'_>) -> Result<String, StoreError> {
    let mut tx = store.begin().await.unwrap();
    let kept = summaries::keep(&mut tx, new, Timestamp::now()).await;
    if kept.is_ok() {
        tx.commit().await.unwrap();
    }
    kept
}

dual_backend_tests! {
    async fn released_export_lists_of_an_exporter_are_found_by_period_and_claimed_once(db: TestDatabase) {
        let store = migrated(&db).await;
        // October in China: 2026-09-30T16:00Z to 2026-10-31T16:00Z.
        let first = export_list(&store, EXPORTER, "19012026E000001", "800", Some("2026-09-30T16:00:00Z")).await;
        let second = export_list(&store, EXPORTER, "19012026E000002", "exited", Some("2026-10-31T15:59:59Z")).await;
        let november = export_list(&store, EXPORTER, "19012026E000003", "800", Some("2026-10-31T16:00:00Z")).await;
        let _refused = export_list(&store, EXPORTER, "19012026E000004", "100", None).await;
        let _cancelled = export_list(&store, EXPORTER, "19012026E000005", "cancelled", Some("2026-10-02T00:00:00Z")).await;
        let others = export_list(&store, OTHER, "19012026E000006", "800", Some("2026-10-02T00:00:00Z")).await;
        let (start, end) = (at("2026-09-30T16:00:00Z"), at("2026-10-31T16:00:00Z"));

        let mut conn = store.reader().await.unwrap();
        let ids = |found: Vec<Document>| found.into_iter().map(|d| d.id).collect::<Vec<_>>();
        let october = summaries::released_lists(&mut conn, EXPORTER, start, end).await.unwrap();
        assert_eq!(ids(october), vec![first.id.clone(), second.id.clone()], "released in October, oldest first");
        let due = summaries::unsummarised_lists(&mut conn, Some(EXPORTER), None, end, 100).await.unwrap();
        assert_eq!(ids(due), vec![first.id.clone(), second.id.clone()]);
        let everyone = summaries::unsummarised_lists(&mut conn, None, Some(start), end, 100).await.unwrap();
        assert_eq!(ids(everyone), vec![first.id.clone(), others.id.clone(), second.id.clone()]);
        let numbered = summaries::export_lists_numbered(&mut conn, &["19012026E000003", "NONE", "19012026E000001"]).await.unwrap();
        let mut found = ids(numbered);
        found.sort();
        let mut expected = vec![first.id.clone(), november.id.clone()];
        expected.sort();
        assert_eq!(found, expected);
        assert!(summaries::by_cop_no(&mut conn, EXPORTER, "SUM-1").await.unwrap().is_none());
        drop(conn);

        let declarations = [declaration("D20261105000000001", &[&first])];
        let message_id = first.message_id.clone();
        keep(&store, &summary("SUM-1", "H20261105000000001", &message_id, &declarations)).await.unwrap();

        let mut conn = store.reader().await.unwrap();
        let due = summaries::unsummarised_lists(&mut conn, Some(EXPORTER), None, end, 100).await.unwrap();
        assert_eq!(ids(due), vec![second.id.clone()], "the summarised list is no longer due");
        let claimed = summaries::summarised(&mut conn, &[first.id.as_str(), second.id.as_str()]).await.unwrap();
        assert_eq!(claimed, vec![(first.id.clone(), "H20261105000000001".to_owned())]);
        assert_eq!(
            summaries::by_cop_no(&mut conn, EXPORTER, "SUM-1").await.unwrap().as_deref(),
            Some("H20261105000000001")
        );
        assert!(summaries::by_cop_no(&mut conn, OTHER, "SUM-1").await.unwrap().is_none(), "copNo is per sender");
        drop(conn);

        // The same copNo again, or the same list in another summary: refused, nothing kept.
        let again = [declaration("D20261105000000002", &[&second])];
        let taken = keep(&store, &summary("SUM-1", "H20261105000000002", &message_id, &again)).await;
        assert!(matches!(taken, Err(StoreError::Duplicate { field: "copNo", .. })), "{taken:?}");
        let twice = [declaration("D20261105000000003", &[&second, &first])];
        let claimed = keep(&store, &summary("SUM-2", "H20261105000000003", &message_id, &twice)).await;
        assert!(matches!(claimed, Err(StoreError::Duplicate { field: "invtNo", .. })), "{claimed:?}");

        let mut conn = store.reader().await.unwrap();
        let filed = summaries::summaries(&mut conn, Some(EXPORTER), 10).await.unwrap();
        assert_eq!(filed.len(), 1);
        let only = &filed[0];
        assert_eq!((only.cop_no.as_str(), only.sum_no.as_str(), only.state.as_str()), ("SUM-1", "H20261105000000001", "accepted"));
        assert_eq!((only.period_start, only.period_end), (start, end));
        assert_eq!(only.declarations.len(), 1);
        assert_eq!(only.declarations[0].lists, 1);
        assert_eq!(only.declarations[0].gross_weight, "2.5");
        assert!(summaries::summaries(&mut conn, Some(OTHER), 10).await.unwrap().is_empty());
        assert_eq!(summaries::summaries(&mut conn, None, 10).await.unwrap().len(), 1);
        let due = summaries::unsummarised_lists(&mut conn, Some(EXPORTER), None, end, 100).await.unwrap();
        assert_eq!(ids(due), vec![second.id], "the refused summaries claimed nothing");
    }
}
