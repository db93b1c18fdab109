//! Attachments of filings over the API: stored with their SHA-256, the type
//! read from the content, the size bounded, and downloaded only by whoever
//! may see them.

use kuajing_core::role::Role;
use kuajing_server::ServerConfig;
use kuajing_testkit::dual_backend_tests;
use reqwest::{Method, StatusCode};
use sha2::{Digest, Sha256};

use crate::support::{
    PDF, PNG, TestApp, config, expect_error, header, honey, id_of, json, send, spawn_with,
};

const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

/// Licences may have 5 MiB; requests may be larger, so that the attachment
/// rule (not the body limit) is what refuses a bigger file.
async fn start(db: &kuajing_testkit::TestDatabase) -> TestApp {
    let roomy = ServerConfig {
        body_limit: 8 * 1024 * 1024,
        ..config()
    };
    spawn_with(db, roomy).await
}

/// Downloads attachment `id` as `token`.
async fn download(app: &TestApp, token: &str, id: &str) -> reqwest::Response {
    send(app.api(Method::GET, &format!("/api/attachments/{id}"), token)).await
}

dual_backend_tests! {
    async fn a_licence_is_stored_with_its_digest_and_shown_to_whom_it_may_be(db: TestDatabase) {
        let app = start(&db).await;
        let owner = app.enterprise().await;
        let customs = app.agency(Role::Customs).await;
        let forex = app.agency(Role::Forex).await;
        let other = app.member("2224960002", &["ebc"]).await;
        let filing = id_of(&app.get_json(&owner, "/api/filings/enterprise").await);

        let uploaded = app.upload(&owner, &filing, "business_licence", PDF).await;
        let attachment = json(uploaded, StatusCode::CREATED).await;
        assert_eq!(attachment["sha256"], hex::encode(Sha256::digest(PDF)), "{attachment}");
        assert_eq!(attachment["size_bytes"], PDF.len(), "{attachment}");
        assert_eq!(attachment["media_type"], "application/pdf", "{attachment}");
        assert_eq!(attachment["purpose"], "business_licence", "{attachment}");
        let id = id_of(&attachment);
        let own = app.get_json(&owner, &format!("/api/filings/{filing}")).await;
        assert_eq!(own["record"]["attachments"][0], attachment, "{own}");

        let by_customs = download(&app, &customs, &id).await;
        assert_eq!(by_customs.status(), StatusCode::OK);
        assert_eq!(header(&by_customs, "content-type"), "application/pdf");
        assert_eq!(header(&by_customs, "x-content-sha256"), attachment["sha256"]);
        assert_eq!(by_customs.bytes().await.unwrap().as_ref(), PDF);
        for token in [&other, &forex] {
            let refused = download(&app, token, &id).await;
            expect_error(refused, StatusCode::NOT_FOUND, "NOT_FOUND", None).await;
        }
        // Another enterprise's filing does not exist for it, to upload to
        // as to read.
        let upload_to_others = app.upload(&other, &filing, "other", PDF).await;
        expect_error(upload_to_others, StatusCode::NOT_FOUND, "NOT_FOUND", None).await;
    }

    async fn an_attachment_of_the_wrong_type_or_size_is_refused(db: TestDatabase) {
        let app = start(&db).await;
        let owner = app.enterprise().await;
        let commodity = id_of(&app.file_commodity(&owner, &honey("HONEY-PHOTO")).await);
        let before = app.get_json(&owner, &format!("/api/filings/{commodity}")).await;
        let pdf_photo = app.upload(&owner, &commodity, "photo", PDF).await;
        expect_error(pdf_photo, UNPROCESSABLE, "ATTACHMENT_TYPE", Some("file")).await;
        let licence_on_goods = app.upload(&owner, &commodity, "business_licence", PDF).await;
        expect_error(licence_on_goods, UNPROCESSABLE, "ATTACHMENT_PURPOSE", Some("purpose")).await;

        let filing = id_of(&app.get_json(&owner, "/api/filings/enterprise").await);
        let mut big = PDF.to_vec();
        big.resize(5 * 1024 * 1024 + 1, b' ');
        let too_large = app.upload(&owner, &filing, "business_licence", &big).await;
        expect_error(too_large, UNPROCESSABLE, "ATTACHMENT_TOO_LARGE", Some("file")).await;
        assert_eq!(app.get_json(&owner, &format!("/api/filings/{commodity}")).await, before);

        let photo = app.upload(&owner, &commodity, "photo", PNG).await;
        let photo = json(photo, StatusCode::CREATED).await;
        let after = app.get_json(&owner, &format!("/api/filings/{commodity}")).await;
        assert_eq!(after["record"]["photo"], photo, "{after}");
        assert_eq!(after["version_no"], 1, "a draft is changed in place: {after}");
    }

    async fn the_attachment_of_an_unsent_draft_is_its_owners_alone(db: TestDatabase) {
        let app = start(&db).await;
        let owner = app.enterprise().await;
        let customs = app.agency(Role::Customs).await;
        let commodity = id_of(&app.file_commodity(&owner, &honey("HONEY-DRAFT")).await);
        let photo = json(app.upload(&owner, &commodity, "photo", PNG).await, StatusCode::CREATED).await;
        let unseen = send(app.api(Method::GET, &format!("/api/filings/{commodity}"), &customs)).await;
        expect_error(unseen, StatusCode::NOT_FOUND, "NOT_FOUND", None).await;
        let hidden = download(&app, &customs, &id_of(&photo)).await;
        expect_error(hidden, StatusCode::NOT_FOUND, "NOT_FOUND", None).await;
        assert_eq!(download(&app, &owner, &id_of(&photo)).await.status(), StatusCode::OK);

        app.stepped(&owner, &commodity, "submit", None).await;
        let shown = download(&app, &customs, &id_of(&photo)).await;
        assert_eq!(shown.status(), StatusCode::OK);
        assert_eq!(shown.bytes().await.unwrap().as_ref(), PNG);
    }
}
