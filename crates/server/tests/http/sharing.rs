//! The sharing policy over the API: once an enterprise and a commodity are
//! filed and active, each agency reads exactly the fields its role is given
//! (restated here from the platform's policy), other enterprises do not see
//! them at all, and lists never carry personal data.

use std::collections::BTreeSet;

use kuajing_core::role::Role;
use kuajing_testkit::dual_backend_tests;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::support::{
    ENTERPRISE, TestApp, enterprise_filing, expect_error, id_of, json, keys, send, spawn,
};

/// What every viewer sees besides the record's fields.
const ENVELOPE: &[&str] = &["owner", "status", "version"];

/// Every field of an enterprise record (`foreign` goes with `uscc`).
const ENTERPRISE_ALL: &[&str] = &[
    "customs_code",
    "uscc",
    "foreign",
    "name",
    "name_en",
    "roles",
    "park",
    "registered_address",
    "business_address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "email",
    "domestic_agent",
    "attachments",
];

/// Every field of a commodity record.
const COMMODITY_ALL: &[&str] = &[
    "item_no",
    "name",
    "specification",
    "brand",
    "hs_code",
    "origin_country",
    "declared_elements",
    "unit1",
    "unit2",
    "reference_price",
    "currency",
    "barcode",
    "photo",
    "regional_brand",
];

/// The policy: per agency role, the enterprise fields and the commodity
/// fields it sees.
const POLICY: &[(Role, &[&str], &[&str])] = &[
    (Role::Customs, ENTERPRISE_ALL, COMMODITY_ALL),
    (Role::MarketRegulation, ENTERPRISE_ALL, COMMODITY_ALL),
    (
        Role::Tax,
        &[
            "customs_code",
            "uscc",
            "foreign",
            "name",
            "name_en",
            "roles",
            "park",
            "registered_address",
            "business_address",
            "legal_representative",
            "domestic_agent",
        ],
        &[
            "item_no",
            "name",
            "hs_code",
            "origin_country",
            "unit1",
            "unit2",
            "reference_price",
            "currency",
        ],
    ),
    (
        Role::Forex,
        &[
            "customs_code",
            "uscc",
            "foreign",
            "name",
            "name_en",
            "roles",
            "domestic_agent",
        ],
        &[
            "item_no",
            "name",
            "origin_country",
            "reference_price",
            "currency",
        ],
    ),
    (
        Role::Bank,
        &[
            "customs_code",
            "uscc",
            "foreign",
            "name",
            "name_en",
            "roles",
        ],
        &["item_no", "name", "hs_code", "reference_price", "currency"],
    ),
    (
        Role::Post,
        &[
            "customs_code",
            "uscc",
            "foreign",
            "name",
            "name_en",
            "roles",
            "business_address",
            "contact_name",
            "contact_phone",
        ],
        &["item_no", "name", "hs_code", "unit1"],
    ),
];

/// Personal data, never in a list.
const PERSONAL: &[&str] = &[
    "legal_representative",
    "contact_name",
    "contact_phone",
    "email",
];

fn expected(fields: &[&str]) -> BTreeSet<String> {
    fields
        .iter()
        .chain(ENVELOPE)
        .map(|f| (*f).to_owned())
        .collect()
}

/// The target enterprise's filing and commodity, both active: their ids.
async fn active_records(app: &TestApp, owner: &str) -> (String, String) {
    let customs = app.agency(Role::Customs).await;
    let commerce = app.agency(Role::Commerce).await;
    let body = enterprise_filing(ENTERPRISE, &["ebp", "ebc"]);
    let response = app.put_json(owner, "/api/filings/enterprise", &body).await;
    let enterprise = id_of(&json(response, StatusCode::OK).await);
    app.stepped(owner, &enterprise, "submit", None).await;
    app.stepped(&commerce, &enterprise, "approve", None).await;
    let active = app.stepped(&customs, &enterprise, "approve", None).await;
    assert_eq!(active["status"], "active", "{active}");
    let commodity = app.active_commodity(owner, &customs, "HONEY-SHARED").await;
    (enterprise, commodity)
}

dual_backend_tests! {
    async fn each_agency_sees_exactly_the_fields_of_its_role(db: TestDatabase) {
        let app = spawn(&db).await;
        let owner = app.enterprise().await;
        let (enterprise, commodity) = active_records(&app, &owner).await;
        for (role, enterprise_fields, commodity_fields) in POLICY {
            let token = app.agency(*role).await;
            for (id, fields) in [(&enterprise, enterprise_fields), (&commodity, commodity_fields)] {
                let seen = app.get_json(&token, &format!("/api/filings/{id}")).await;
                let record = &seen["record"];
                assert_eq!(keys(record), expected(fields), "{role} reads {record}");
                assert_eq!(record["owner"], ENTERPRISE);
                assert_eq!(record["status"], "active");
                assert_eq!(record["version"], seen["version_no"]);
            }
        }
        let own = app.get_json(&owner, &format!("/api/filings/{enterprise}")).await;
        assert_eq!(keys(&own["record"]), expected(ENTERPRISE_ALL), "the owner sees everything");
        let forex = app.agency(Role::Forex).await;
        let seen = app.get_json(&forex, &format!("/api/filings/{enterprise}")).await;
        assert_eq!(seen["record"]["uscc"], own["record"]["uscc"], "{seen}");
    }

    async fn another_enterprise_sees_nothing_and_lists_hold_no_personal_data(db: TestDatabase) {
        let app = spawn(&db).await;
        let owner = app.enterprise().await;
        let (enterprise, commodity) = active_records(&app, &owner).await;
        let other = app.member("2224960002", &["ebc"]).await;
        for id in [&enterprise, &commodity] {
            for path in [format!("/api/filings/{id}"), format!("/api/filings/{id}/history")] {
                let response = send(app.api(Method::GET, &path, &other)).await;
                expect_error(response, StatusCode::NOT_FOUND, "NOT_FOUND", None).await;
            }
        }
        let others = app.get_json(&other, &format!("/api/filings?owner={ENTERPRISE}")).await;
        let listed: Vec<&Value> = others["filings"].as_array().unwrap().iter().collect();
        assert!(listed.iter().all(|f| f["owner"] != ENTERPRISE), "{others}");

        let post = app.agency(Role::Post).await;
        let customs = app.agency(Role::Customs).await;
        for token in [&owner, &post, &customs] {
            let list = app.get_json(token, "/api/filings").await;
            let filings = list["filings"].as_array().unwrap();
            assert!(filings.iter().any(|f| id_of(f) == enterprise), "{list}");
            for filing in filings {
                let shown = keys(&filing["record"]);
                assert!(PERSONAL.iter().all(|p| !shown.contains(*p)), "personal data in {filing}");
            }
        }
        let read = app.get_json(&post, &format!("/api/filings/{enterprise}")).await;
        assert_eq!(read["record"]["contact_phone"], "13904335678", "one filing shows them: {read}");
        let admin = app.zone_admin().await;
        let audit = app.get_json(&admin, "/api/audit?action=filing.read_personal").await;
        let entries = audit["entries"].as_array().unwrap();
        assert!(entries.iter().any(|e| e["target"] == enterprise.as_str()), "not audited: {audit}");
    }
}
