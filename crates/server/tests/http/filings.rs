//! The filing workflow over the API: an enterprise files its goods and
//! itself, the agencies its filings need approve or return them, every
//! check names its field, a refused step changes nothing, and every version
//! is kept with its differences.

use std::collections::BTreeSet;

use kuajing_core::role::{Role, RoleSet};
use kuajing_store::filings;
use kuajing_testkit::dual_backend_tests;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::support::{
    ENTERPRISE, TestApp, agency_code, enterprise_filing, expect_error, honey, id_of, json, spawn,
    uscc,
};

/// An enterprise (ebp, ebc) and customs, with their tokens.
struct Desk {
    app: TestApp,
    enterprise: String,
    customs: String,
}

async fn desk(db: &kuajing_testkit::TestDatabase) -> Desk {
    let app = spawn(db).await;
    let enterprise = app.enterprise().await;
    let customs = app.agency(Role::Customs).await;
    Desk {
        app,
        enterprise,
        customs,
    }
}

impl Desk {
    /// The filing and its history as the enterprise sees them.
    async fn snapshot(&self, id: &str) -> (Value, Value) {
        let app = &self.app;
        (
            app.get_json(&self.enterprise, &format!("/api/filings/{id}"))
                .await,
            app.get_json(&self.enterprise, &format!("/api/filings/{id}/history"))
                .await,
        )
    }

    /// `refused` is a 422 FILING_STEP_NOT_ALLOWED and filing `id` is as it
    /// was.
    async fn assert_refused(&self, id: &str, refused: Response, before: &(Value, Value)) {
        let status = Some("status");
        expect_error(refused, UNPROCESSABLE, "FILING_STEP_NOT_ALLOWED", status).await;
        assert_eq!(
            &self.snapshot(id).await,
            before,
            "a refused step changed the filing"
        );
    }
}

const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;
const AGENT: &str = "domestic_agent";

/// A JSON list as a set of strings.
fn set(list: &Value) -> BTreeSet<&str> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

/// The filing stands at `status`, its latest version is `version` and the
/// version in force `active`.
fn assert_stage(filing: &Value, status: &str, version: i64, active: Option<i64>) {
    let stage = (
        &filing["status"],
        &filing["version_no"],
        &filing["active_version_no"],
    );
    assert_eq!(
        stage,
        (&status.into(), &version.into(), &active.into()),
        "{filing}"
    );
}

/// `base` with `changes` written over it.
fn with(mut base: Value, changes: &Value) -> Value {
    for (key, value) in changes.as_object().unwrap() {
        base[key] = value.clone();
    }
    base
}

/// The first page of `limit` of the officer's review queue.
async fn queue(app: &TestApp, token: &str, limit: u32) -> Value {
    app.get_json(token, &format!("/api/filings?awaiting=true&limit={limit}"))
        .await
}

/// The item numbers or customs codes of a page of filings.
fn keys(page: &Value) -> Vec<String> {
    let list = page["filings"].as_array().unwrap();
    list.iter()
        .map(|f| f["subject_key"].as_str().unwrap().to_owned())
        .collect()
}

dual_backend_tests! {
    async fn an_enterprise_files_a_commodity_and_customs_activates_it(db: TestDatabase) {
        let app = spawn(&db).await;
        app.file(ENTERPRISE, &["ebp", "ebc"]).await;
        app.add_user(ENTERPRISE, "clerk.li").await;
        let customs = app.agency(Role::Customs).await;
        let clerk = app.signed_in("clerk.li").await;

        let filed = clerk.post_json("/api/filings/commodities", &honey("HONEY-500")).await;
        let filed = json(filed, StatusCode::OK).await;
        assert_eq!((&filed["kind"], &filed["owner"]), (&"commodity".into(), &ENTERPRISE.into()));
        assert_stage(&filed, "draft", 1, None);
        assert_eq!(set(&filed["approvals_needed"]), BTreeSet::from(["customs"]));
        assert_eq!(filed["record"]["hs_code"], "0409000000");
        assert_eq!(filed["record"]["reference_price"], "88.5", "prices are exact decimals");
        let id = id_of(&filed);

        let submitted = clerk.post_json(&format!("/api/filings/{id}/submit"), &json!({})).await;
        assert_eq!(json(submitted, StatusCode::OK).await["status"], "submitted");
        let active = app.stepped(&customs, &id, "approve", None).await;
        assert_stage(&active, "active", 1, Some(1));
        assert_eq!(set(&active["approvals_given"]), BTreeSet::from(["customs"]));
        let seen = json(clerk.get(&format!("/api/filings/{id}")).await, StatusCode::OK).await;
        assert_eq!(seen["status"], "active");
        // Its change form says it changes a filing (it said 新增商品备案).
        let form = clerk.page(&format!("/filings/{id}/edit")).await;
        assert!(form.contains("<h1>变更商品备案</h1>") && !form.contains("新增商品备案"), "{form}");
    }

    async fn a_commodity_is_checked_against_the_reference_tables(db: TestDatabase) {
        let desk = desk(&db).await;
        let app = &desk.app;
        for (change, code, field) in [
            (json!({"hs_code": "0409000099"}), "HS_CODE_NOT_IN_TARIFF", "hs_code"),
            (json!({"hs_code": "04090000"}), "ID_LENGTH", "hs_code"),
            (json!({"unit1": "007"}), "UNIT_NOT_LEGAL", "unit1"),
            (json!({"unit1": "998"}), "CODE_UNKNOWN", "unit1"),
            (json!({"barcode": "6901234567893"}), "ID_CHECK_CHARACTER", "barcode"),
            (json!({"origin_country": "888"}), "CODE_UNKNOWN", "origin_country"),
            (json!({"currency": "888"}), "CODE_UNKNOWN", "currency"),
            (json!({"reference_price": "0"}), "PRICE_FORMAT", "reference_price"),
        ] {
            let body = with(honey("HONEY-BAD"), &change);
            let response = app.post_json(&desk.enterprise, "/api/filings/commodities", &body).await;
            let refusal = expect_error(response, UNPROCESSABLE, code, Some(field)).await;
            let value = change[field].as_str().unwrap();
            assert!(refusal["message_en"].as_str().unwrap().contains(value), "{refusal} names {value}");
        }
        let list = app.get_json(&desk.enterprise, "/api/filings?kind=commodity").await;
        assert_eq!(list["total"], 0, "a refused filing was stored: {list}");
    }

    async fn a_step_the_status_does_not_allow_changes_nothing(db: TestDatabase) {
        let desk = desk(&db).await;
        let (app, owner, customs) = (&desk.app, &desk.enterprise, &desk.customs);
        let id = id_of(&app.file_commodity(owner, &honey("HONEY-1")).await);
        let draft = desk.snapshot(&id).await;
        // A draft never sent is its owner's alone: customs cannot find it to
        // approve or revoke it.
        for (step, reason) in [("approve", None), ("revoke", Some("撤销"))] {
            let refused = app.step(customs, &id, step, reason).await;
            expect_error(refused, StatusCode::NOT_FOUND, "NOT_FOUND", None).await;
            assert_eq!(desk.snapshot(&id).await, draft);
        }

        app.stepped(owner, &id, "submit", None).await;
        let submitted = desk.snapshot(&id).await;
        desk.assert_refused(&id, app.step(owner, &id, "submit", None).await, &submitted).await;
        for (step, reason) in [("revoke", "撤销"), ("suspend", "暂停"), ("reinstate", "恢复")] {
            let refused = app.step(customs, &id, step, Some(reason)).await;
            desk.assert_refused(&id, refused, &submitted).await;
        }
        let edit = with(honey("HONEY-1"), &json!({"name": "改名蜂蜜"}));
        let edited = app.post_json(owner, "/api/filings/commodities", &edit).await;
        desk.assert_refused(&id, edited, &submitted).await;
        let as_enterprise = app.step(owner, &id, "approve", None).await;
        expect_error(as_enterprise, StatusCode::FORBIDDEN, "ACCESS_DENIED", None).await;
        assert_eq!(desk.snapshot(&id).await, submitted);
    }

    async fn a_return_needs_a_reason_and_the_history_keeps_it(db: TestDatabase) {
        let desk = desk(&db).await;
        let (app, owner, customs) = (&desk.app, &desk.enterprise, &desk.customs);
        let id = app.submitted_commodity(owner, "HONEY-2").await;
        let before = desk.snapshot(&id).await;
        for reason in [None, Some("   ")] {
            let response = app.step(customs, &id, "return", reason).await;
            expect_error(response, UNPROCESSABLE, "REASON_REQUIRED", Some("reason")).await;
        }
        assert_eq!(desk.snapshot(&id).await, before);

        let why = "申报要素缺少成分含量";
        let returned = app.stepped(customs, &id, "return", Some(why)).await;
        assert_eq!(returned["status"], "returned");
        let history = app.get_json(owner, &format!("/api/filings/{id}/history")).await;
        let events = history["events"].as_array().unwrap();
        let names: Vec<&str> = events.iter().map(|e| e["event"].as_str().unwrap()).collect();
        assert_eq!(names, ["edit", "submit", "return"], "{history}");
        let returned_by = &events[2];
        assert_eq!(returned_by["reason"], why, "{returned_by}");
        assert_eq!(returned_by["agency_role"], "customs", "{returned_by}");
        assert_eq!(returned_by["actor_organisation"], agency_code(Role::Customs), "{returned_by}");

        let fixed = with(honey("HONEY-2"), &json!({"declared_elements": "天然蜂蜜|成分100%|500克"}));
        let draft = app.file_commodity(owner, &fixed).await;
        assert_stage(&draft, "draft", 2, None);
        assert_eq!(app.stepped(owner, &id, "submit", None).await["status"], "submitted");
    }

    async fn changing_an_active_filing_makes_a_new_version_and_keeps_the_old_in_force(db: TestDatabase) {
        let desk = desk(&db).await;
        let (app, owner, customs) = (&desk.app, &desk.enterprise, &desk.customs);
        let id = app.active_commodity(owner, customs, "HONEY-3").await;
        let change = json!({"name": "椴树蜂蜜（新包装）", "reference_price": "96"});
        let draft = app.file_commodity(owner, &with(honey("HONEY-3"), &change)).await;
        assert_eq!(id_of(&draft), id, "the item number is the key");
        assert_stage(&draft, "draft", 2, Some(1));

        let history = app.get_json(owner, &format!("/api/filings/{id}/history")).await;
        let versions = history["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 2, "{history}");
        let changes: Vec<(&str, &Value, &Value)> = versions[1]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["field"].as_str().unwrap(), &c["before"], &c["after"]))
            .collect();
        assert_eq!(
            changes,
            [
                ("name", &json!("椴树蜂蜜"), &json!("椴树蜂蜜（新包装）")),
                ("reference_price", &json!("88.5"), &json!("96")),
            ],
            "{history}"
        );

        // Until the change is sent, others see the version in force, and the
        // filing stays in their lists.
        let seen = app.get_json(customs, &format!("/api/filings/{id}")).await;
        assert_stage(&seen, "active", 1, Some(1));
        assert_eq!(seen["record"]["name"], "椴树蜂蜜", "{seen}");
        let listed = app.get_json(customs, "/api/filings?q=honey-3").await;
        assert_eq!(listed["total"], 1, "{listed}");
        assert_eq!(listed["filings"][0]["record"]["reference_price"], "88.5");

        app.stepped(owner, &id, "submit", None).await;
        let sent = app.get_json(customs, &format!("/api/filings/{id}")).await;
        assert_stage(&sent, "submitted", 2, Some(1));
        assert_stage(&app.stepped(customs, &id, "approve", None).await, "active", 2, Some(2));
    }

    async fn a_regional_brand_needs_customs_and_the_zone_administration(db: TestDatabase) {
        let desk = desk(&db).await;
        let (app, owner, customs) = (&desk.app, &desk.enterprise, &desk.customs);
        let admin = app.zone_admin().await;
        let body = with(honey("HUN-HONEY"), &json!({"regional_brand": true}));
        let id = id_of(&app.file_commodity(owner, &body).await);
        app.stepped(owner, &id, "submit", None).await;

        let half = app.stepped(customs, &id, "approve", None).await;
        assert_eq!(set(&half["approvals_needed"]), BTreeSet::from(["customs", "zone-admin"]));
        assert_eq!(set(&half["approvals_given"]), BTreeSet::from(["customs"]));
        assert_stage(&half, "submitted", 1, None);
        let twice = app.step(customs, &id, "approve", None).await;
        expect_error(twice, StatusCode::FORBIDDEN, "ACCESS_DENIED", None).await;

        let full = app.stepped(&admin, &id, "approve", None).await;
        assert_stage(&full, "active", 1, Some(1));
    }

    async fn each_officer_s_queue_holds_what_awaits_that_officer_paged_and_counted(db: TestDatabase) {
        let desk = desk(&db).await;
        let (app, owner, customs) = (&desk.app, &desk.enterprise, &desk.customs);
        let admin = app.zone_admin().await;
        let brand = with(honey("HUN-HONEY"), &json!({"regional_brand": true}));
        let mut ids = Vec::new();
        for body in [honey("HONEY-1"), honey("HONEY-2"), brand] {
            let id = id_of(&app.file_commodity(owner, &body).await);
            app.stepped(owner, &id, "submit", None).await;
            ids.push(id);
        }

        let first = queue(app, customs, 2).await;
        assert_eq!((first["total"].as_i64(), keys(&first).len()), (Some(3), 2), "{first}");
        assert_eq!(keys(&queue(app, &admin, 50).await), ["HUN-HONEY"]);
        assert_eq!(keys(&queue(app, owner, 50).await), Vec::<String>::new(), "enterprises approve nothing");

        // Customs has approved the newest one, which still awaits the zone
        // administration: customs' first page is the next one, not empty.
        app.stepped(customs, &ids[2], "approve", None).await;
        let after = queue(app, customs, 1).await;
        assert_eq!((after["total"].as_i64(), keys(&after)), (Some(2), vec!["HONEY-2".to_owned()]));
        assert_eq!(keys(&queue(app, &admin, 50).await), ["HUN-HONEY"]);

        app.stepped(&admin, &ids[2], "approve", None).await;
        assert_eq!(queue(app, &admin, 50).await["total"], 0);
        app.stepped(customs, &ids[0], "return", Some("photo missing")).await;
        assert_eq!(keys(&queue(app, customs, 50).await), ["HONEY-2"], "a returned filing leaves the queue");

        // A filing submitted before the store kept whom it awaits (before
        // migration 0003) is marked when the server prepares its database.
        let mut tx = app.store.begin().await.unwrap();
        filings::set_awaiting(&mut tx, &ids[1], RoleSet::EMPTY).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(queue(app, customs, 50).await["total"], 0);
        kuajing_server::prepare(&app.store).await.unwrap();
        assert_eq!(keys(&queue(app, customs, 50).await), ["HONEY-2"]);
    }

    async fn an_enterprise_files_itself_and_commerce_and_customs_approve(db: TestDatabase) {
        let desk = desk(&db).await;
        let (app, owner, customs) = (&desk.app, &desk.enterprise, &desk.customs);
        let commerce = app.agency(Role::Commerce).await;
        let admin = app.zone_admin().await;
        let organisation = format!("/api/organisations/{ENTERPRISE}");
        let filed_before = app.get_json(&admin, &organisation).await;

        let body = enterprise_filing(ENTERPRISE, &["ebp", "ebc"]);
        let draft = app.put_json(owner, "/api/filings/enterprise", &body).await;
        let draft = json(draft, StatusCode::OK).await;
        assert_eq!(draft["kind"], "enterprise");
        assert_stage(&draft, "draft", 2, Some(1)); // version 1: filed by the operator
        assert_eq!(set(&draft["approvals_needed"]), BTreeSet::from(["commerce", "customs"]));
        let id = id_of(&draft);
        assert_eq!(id_of(&app.get_json(owner, "/api/filings/enterprise").await), id);

        app.stepped(owner, &id, "submit", None).await;
        let half = app.stepped(&commerce, &id, "approve", None).await;
        assert_eq!(half["status"], "submitted", "{half}");
        assert_eq!(app.get_json(&admin, &organisation).await, filed_before, "not yet approved");

        assert_stage(&app.stepped(customs, &id, "approve", None).await, "active", 2, Some(2));
        let filed = app.get_json(&admin, &organisation).await;
        for field in ["name", "name_en", "park", "uscc"] {
            assert_eq!(filed[field], body[field], "{field} of {filed}");
        }
        assert_eq!(filed["address"], body["registered_address"], "{filed}");
        assert_eq!(filed["contact_name"], body["contact_name"], "{filed}");
    }

    async fn an_enterprise_filing_is_checked(db: TestDatabase) {
        let desk = desk(&db).await;
        let (app, owner) = (&desk.app, &desk.enterprise);
        let agent = "2224960002";
        app.file(agent, &["ebc"]).await;
        let before = app.get_json(owner, "/api/filings/enterprise").await;
        let good = enterprise_filing(ENTERPRISE, &["ebp", "ebc"]);
        let mut wrong_check = uscc("MA960001");
        let last = if wrong_check.ends_with('0') { "1" } else { "0" };
        wrong_check.replace_range(17.., last);
        let foreign = json!({"uscc": null, "foreign": true});
        for (change, code, field) in [
            (json!({"uscc": wrong_check}), "ID_CHECK_CHARACTER", "uscc"),
            (json!({"uscc": null}), "USCC_REQUIRED", "uscc"),
            (json!({"roles": ["ebc", "smuggler"]}), "ROLE_UNKNOWN", "roles[1]"),
            (foreign.clone(), "AGENT_REQUIRED", AGENT),
            (with(foreign.clone(), &json!({"domestic_agent": "2224999999"})), "AGENT_NOT_FILED", AGENT),
            (with(foreign.clone(), &json!({"domestic_agent": ENTERPRISE})), "AGENT_NOT_FILED", AGENT),
            (json!({"domestic_agent": agent}), "AGENT_NOT_FOREIGN", AGENT),
        ] {
            let body = with(good.clone(), &change);
            let response = app.put_json(owner, "/api/filings/enterprise", &body).await;
            expect_error(response, UNPROCESSABLE, code, Some(field)).await;
        }
        let after = app.get_json(owner, "/api/filings/enterprise").await;
        assert_eq!(after, before, "a refusal changed the filing");

        let seller = with(good, &with(foreign, &json!({"domestic_agent": agent})));
        let draft = app.put_json(owner, "/api/filings/enterprise", &seller).await;
        let record = &json(draft, StatusCode::OK).await["record"];
        assert_eq!(record["foreign"], true, "{record}");
        assert_eq!(record["domestic_agent"], agent, "{record}");
        assert_eq!(record["uscc"], Value::Null, "{record}");
    }
}
