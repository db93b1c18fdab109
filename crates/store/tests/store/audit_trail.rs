//! The audit trail is append-only and filterable.

use std::time::Duration;

use kuajing_store::audit::{self, ActorKind, AuditFilter, NewAuditEntry, Outcome};
use kuajing_testkit::dual_backend_tests;

use super::*;

fn entry<'a>(org: &'a str, action: &'a str, outcome: Outcome) -> NewAuditEntry<'a> {
    NewAuditEntry {
        actor_kind: ActorKind::User,
        actor_id: Some("u1"),
        actor_name: Some("li.na"),
        organisation_code: Some(org),
        action,
        target: Some(org),
        outcome,
        ip: Some("10.0.0.7"),
        detail: None,
    }
}

async fn append_all(store: &Store, start: Timestamp) {
    let mut tx = store.begin().await.unwrap();
    let rows = [
        ("2224960001", "sign_in", Outcome::Success),
        ("2224960001", "organisation.read_personal", Outcome::Success),
        ("2224960002", "sign_in", Outcome::Denied),
        ("2224960002", "organisation.create", Outcome::Success),
        ("2224960002", "signin_other", Outcome::Success),
    ];
    for (i, (org, action, outcome)) in rows.into_iter().enumerate() {
        let at = start.plus(Duration::from_secs(60 * i as u64));
        audit::append(&mut tx, &entry(org, action, outcome), at)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

dual_backend_tests! {
    async fn filters_combine_and_pages_follow_the_cursor(db: TestDatabase) {
        let store = migrated(&db).await;
        let start: Timestamp = "2026-11-27T08:00:00Z".parse().unwrap();
        append_all(&store, start).await;
        let mut conn = store.reader().await.unwrap();
        let actions = |entries: &[audit::AuditEntry]| -> Vec<String> {
            entries.iter().map(|e| e.action.clone()).collect()
        };

        let all = audit::list(&mut conn, &AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
        assert_eq!(all.len(), 5);
        assert!(all.windows(2).all(|w| w[0].seq > w[1].seq), "newest first");
        assert_eq!(all[0].ip.as_deref(), Some("10.0.0.7"));

        let sign_ins = AuditFilter { action_prefix: Some("sign_in".into()), limit: 100, ..Default::default() };
        assert_eq!(actions(&audit::list(&mut conn, &sign_ins).await.unwrap()), ["sign_in", "sign_in"], "_ is literal");

        let org_actions = AuditFilter { action_prefix: Some("organisation.".into()), organisation_code: Some("2224960002".into()), limit: 100, ..Default::default() };
        assert_eq!(actions(&audit::list(&mut conn, &org_actions).await.unwrap()), ["organisation.create"]);

        let denied = AuditFilter { outcome: Some(Outcome::Denied), limit: 100, ..Default::default() };
        assert_eq!(audit::list(&mut conn, &denied).await.unwrap().len(), 1);

        let window = AuditFilter {
            from: Some(start.plus(Duration::from_secs(60))),
            to: Some(start.plus(Duration::from_secs(180))),
            limit: 100,
            ..Default::default()
        };
        assert_eq!(actions(&audit::list(&mut conn, &window).await.unwrap()), ["sign_in", "organisation.read_personal"]);

        let page1 = audit::list(&mut conn, &AuditFilter { limit: 2, ..Default::default() }).await.unwrap();
        let page2 = audit::list(&mut conn, &AuditFilter { limit: 2, before_seq: Some(page1[1].seq), ..Default::default() }).await.unwrap();
        assert_eq!(page2.len(), 2);
        assert!(page2[0].seq < page1[1].seq);
    }

    async fn the_database_refuses_to_change_or_delete_entries(db: TestDatabase) {
        let store = migrated(&db).await;
        append_all(&store, Timestamp::now()).await;
        for sql in [
            "UPDATE audit_log SET outcome = 'success' WHERE outcome = 'denied'",
            "DELETE FROM audit_log",
        ] {
            let mut tx = store.begin().await.unwrap();
            let result = kuajing_store::sql::query(sql).execute(&mut tx).await;
            let message = result.expect_err(sql).to_string();
            assert!(message.contains("append-only"), "{message}");
        }
        let mut conn = store.reader().await.unwrap();
        let all = audit::list(&mut conn, &AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
        assert_eq!(all.len(), 5);
        assert_eq!(all.iter().filter(|e| e.outcome == Outcome::Denied).count(), 1);
    }
}
