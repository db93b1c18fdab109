//! Filing organisations and reading them back.

use kuajing_core::role::Role;
use kuajing_store::StoreError;
use kuajing_store::organisations::{self, OrganisationFilter, OrganisationStatus};
use kuajing_testkit::dual_backend_tests;

use super::*;

dual_backend_tests! {
    async fn an_organisation_reads_back_as_filed(db: TestDatabase) {
        let store = migrated(&db).await;
        let new = new_org("2224960001", "ebp,ebc", "MA0Y1K2P");
        let filed = file(&store, &new).await;
        assert_eq!(filed.customs_code.as_str(), "2224960001");
        assert_eq!(filed.status, OrganisationStatus::Active);
        assert!(filed.roles.contains(Role::Ebp) && filed.roles.contains(Role::Ebc));
        assert_eq!(filed.uscc, new.uscc);
        assert_eq!(filed.contact_name.as_deref(), Some("张伟"));
        let mut conn = store.reader().await.unwrap();
        let found = organisations::find_by_code(&mut conn, "2224960001").await.unwrap().unwrap();
        assert_eq!(found, filed);
    }

    async fn a_customs_code_or_uscc_is_filed_only_once(db: TestDatabase) {
        let store = migrated(&db).await;
        file(&store, &new_org("2224960001", "ebc", "MA0Y1K2P")).await;

        let mut tx = store.begin().await.unwrap();
        let same_code = organisations::insert(&mut tx, &new_org("2224960001", "ebc", "MA0Y1K3Q"), Timestamp::now()).await;
        assert!(matches!(same_code, Err(StoreError::Duplicate { field: "customs_code", .. })), "{same_code:?}");
        drop(tx);

        let mut tx = store.begin().await.unwrap();
        let same_uscc = organisations::insert(&mut tx, &new_org("2224960002", "ebc", "MA0Y1K2P"), Timestamp::now()).await;
        assert!(matches!(same_uscc, Err(StoreError::Duplicate { field: "uscc", .. })), "{same_uscc:?}");
    }

    async fn lists_filter_by_role_status_and_code(db: TestDatabase) {
        let store = migrated(&db).await;
        file(&store, &new_org("2224960001", "ebp,ebc", "MA0Y1K2P")).await;
        file(&store, &new_org("2224960002", "logistics", "MA0Y1K3Q")).await;
        file(&store, &new_org("2224910001", "customs", "MA0Y1K4R")).await;
        let mut tx = store.begin().await.unwrap();
        organisations::set_status(&mut tx, "2224960002", OrganisationStatus::Suspended, Timestamp::now())
            .await
            .unwrap()
            .unwrap();
        tx.commit().await.unwrap();

        let mut conn = store.reader().await.unwrap();
        let codes = |orgs: Vec<organisations::Organisation>| -> Vec<String> {
            orgs.into_iter().map(|o| o.customs_code.to_string()).collect()
        };
        let all = organisations::list(&mut conn, &OrganisationFilter::default()).await.unwrap();
        assert_eq!(codes(all.clone()), ["2224910001", "2224960001", "2224960002"]);
        assert!(all[1].roles.contains(Role::Ebp), "roles come with lists");

        let ebc = OrganisationFilter { role: Some(Role::Ebc), ..Default::default() };
        assert_eq!(codes(organisations::list(&mut conn, &ebc).await.unwrap()), ["2224960001"]);
        let suspended = OrganisationFilter { status: Some(OrganisationStatus::Suspended), ..Default::default() };
        assert_eq!(codes(organisations::list(&mut conn, &suspended).await.unwrap()), ["2224960002"]);
        let own = OrganisationFilter { customs_code: Some("2224910001".into()), ..Default::default() };
        assert_eq!(codes(organisations::list(&mut conn, &own).await.unwrap()), ["2224910001"]);

        let counts = organisations::count_by_role(&mut conn).await.unwrap();
        assert!(counts.contains(&(Role::Logistics, 0, 1)), "{counts:?}");
        assert!(counts.contains(&(Role::Ebp, 1, 0)), "{counts:?}");
    }

    async fn a_hostile_code_is_just_a_value(db: TestDatabase) {
        let store = migrated(&db).await;
        file(&store, &new_org("2224960001", "ebc", "MA0Y1K2P")).await;
        let mut conn = store.reader().await.unwrap();
        let found = organisations::find_by_code(&mut conn, "' OR '1'='1").await.unwrap();
        assert!(found.is_none());
        let filter = OrganisationFilter { customs_code: Some("x' OR 1=1 --".into()), ..Default::default() };
        assert!(organisations::list(&mut conn, &filter).await.unwrap().is_empty());
    }
}
