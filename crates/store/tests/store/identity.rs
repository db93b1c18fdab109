//! Users, sign-in counting, sessions and API tokens.

use std::time::Duration;

use kuajing_store::StoreError;
use kuajing_store::sessions::{self, Session};
use kuajing_store::tokens::{self, NewApiToken};
use kuajing_store::users::{self, NewUser};
use kuajing_testkit::dual_backend_tests;

use super::*;

async fn org_with_user(store: &Store) -> users::User {
    let org = file(store, &new_org("2224960001", "ebc", "MA0Y1K2P")).await;
    let mut tx = store.begin().await.unwrap();
    let user = users::insert(
        &mut tx,
        &NewUser {
            organisation_id: org.id,
            login: "li.na".into(),
            display_name: "李娜".into(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        },
        Timestamp::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    user
}

dual_backend_tests! {
    async fn a_login_is_unique(db: TestDatabase) {
        let store = migrated(&db).await;
        let user = org_with_user(&store).await;
        assert_eq!(user.organisation_code, "2224960001");
        let mut tx = store.begin().await.unwrap();
        let again = users::insert(
            &mut tx,
            &NewUser {
                organisation_id: user.organisation_id.clone(),
                login: "li.na".into(),
                display_name: "另一个李娜".into(),
                password_hash: "x".into(),
            },
            Timestamp::now(),
        )
        .await;
        assert!(matches!(again, Err(StoreError::Duplicate { field: "login", .. })));
    }

    async fn concurrent_failed_sign_ins_are_all_counted_and_lock_the_account(db: TestDatabase) {
        let store = migrated(&db).await;
        let user = org_with_user(&store).await;
        let lock_until = Timestamp::now().plus(Duration::from_secs(900));
        let mut tasks = Vec::new();
        for _ in 0..12 {
            let store = store.clone();
            let id = user.id.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = store.begin().await.unwrap();
                let n = users::record_failed_sign_in(&mut tx, &id, 5, lock_until).await.unwrap();
                tx.commit().await.unwrap();
                n
            }));
        }
        let mut counts = Vec::new();
        for task in tasks {
            counts.push(task.await.unwrap());
        }
        counts.sort_unstable();
        assert_eq!(counts, (1..=12).collect::<Vec<i64>>());
        let mut conn = store.reader().await.unwrap();
        let locked = users::find_by_id(&mut conn, &user.id).await.unwrap().unwrap();
        assert_eq!(locked.failed_sign_ins, 12);
        assert_eq!(locked.locked_until, Some(lock_until));
        drop(conn);

        let mut tx = store.begin().await.unwrap();
        users::record_successful_sign_in(&mut tx, &user.id).await.unwrap();
        tx.commit().await.unwrap();
        let mut conn = store.reader().await.unwrap();
        let cleared = users::find_by_login(&mut conn, "li.na").await.unwrap().unwrap();
        assert_eq!((cleared.failed_sign_ins, cleared.locked_until), (0, None));
    }

    async fn sessions_lapse_slide_and_end(db: TestDatabase) {
        let store = migrated(&db).await;
        let user = org_with_user(&store).await;
        let now = Timestamp::now();
        let session = Session {
            token_hash: "h1".into(),
            user_id: user.id.clone(),
            csrf_token: "c1".into(),
            created_at: now,
            last_seen_at: now,
            expires_at: now.plus(Duration::from_secs(60)),
        };
        let mut tx = store.begin().await.unwrap();
        sessions::insert(&mut tx, &session, Some("127.0.0.1")).await.unwrap();
        tx.commit().await.unwrap();

        let mut conn = store.reader().await.unwrap();
        assert_eq!(sessions::find_live(&mut conn, "h1", now).await.unwrap(), Some(session.clone()));
        let later = now.plus(Duration::from_secs(61));
        assert_eq!(sessions::find_live(&mut conn, "h1", later).await.unwrap(), None, "lapsed");
        drop(conn);

        let mut tx = store.begin().await.unwrap();
        sessions::touch(&mut tx, "h1", later, later.plus(Duration::from_secs(60))).await.unwrap();
        tx.commit().await.unwrap();
        let mut conn = store.reader().await.unwrap();
        assert!(sessions::find_live(&mut conn, "h1", later).await.unwrap().is_some(), "slid forward");
        drop(conn);

        let mut tx = store.begin().await.unwrap();
        assert_eq!(sessions::delete_expired(&mut tx, later).await.unwrap(), 0);
        sessions::delete(&mut tx, "h1").await.unwrap();
        tx.commit().await.unwrap();
        let mut conn = store.reader().await.unwrap();
        assert!(sessions::find_live(&mut conn, "h1", now).await.unwrap().is_none());
    }

    async fn tokens_are_found_by_hash_until_revoked(db: TestDatabase) {
        let store = migrated(&db).await;
        let user = org_with_user(&store).await;
        let mut tx = store.begin().await.unwrap();
        let token = tokens::insert(
            &mut tx,
            &NewApiToken {
                organisation_id: &user.organisation_id,
                token_hash: "abc123",
                prefix: "kj_abcd",
                label: "订单系统",
                created_by: "operator",
            },
            Timestamp::now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(token.organisation_code, "2224960001");

        let mut conn = store.reader().await.unwrap();
        assert_eq!(tokens::find_live_by_hash(&mut conn, "abc123").await.unwrap().unwrap().id, token.id);
        assert_eq!(tokens::list(&mut conn, Some("2224960001")).await.unwrap().len(), 1);
        assert!(tokens::list(&mut conn, Some("2224960002")).await.unwrap().is_empty());
        drop(conn);

        let mut tx = store.begin().await.unwrap();
        assert!(tokens::revoke(&mut tx, &token.id, "li.na", Timestamp::now()).await.unwrap());
        assert!(!tokens::revoke(&mut tx, &token.id, "li.na", Timestamp::now()).await.unwrap(), "only once");
        tx.commit().await.unwrap();
        let mut conn = store.reader().await.unwrap();
        assert!(tokens::find_live_by_hash(&mut conn, "abc123").await.unwrap().is_none());
        let listed = tokens::list(&mut conn, None).await.unwrap();
        assert_eq!(listed[0].revoked_by.as_deref(), Some("li.na"));
    }
}
