//! Who may call what: every route of the OpenAPI document, called with a
//! token of an organisation of each role, against a table that restates the
//! rules of `kuajing_core::access` and the workflow rules of
//! `kuajing_core::filing`:
//!
//! - every organisation lists organisations (an enterprise sees only itself),
//!   reads itself, and manages its own API tokens;
//! - agencies also read any organisation's record;
//! - the zone administration manages organisations and users, reads the
//!   audit trail and trade (lists, books, purchase records), and takes no
//!   decision that belongs to an agency or an owner (issue #14, finding 11):
//!   no customs decision or watch list, no book keeping, no filing, no
//!   tariff import, and no API token of another organisation;
//! - another organisation's token is "not found" rather than "forbidden";
//! - everyone reads the reference data; the zone administration and customs
//!   import it;
//! - every enterprise files itself and its goods (one by one or in bulk);
//!   every organisation exports what it may see, follows the feed and
//!   manages its own webhooks (the zone administration anyone's); the zone
//!   administration reads anyone's bulk jobs;
//! - agencies read others' filings, through the sharing policy (an
//!   enterprise is told another's filing does not exist); an attachment is
//!   seen by those the policy shows it to;
//! - a commodity without the regional brand is approved or returned by
//!   customs alone, suspended, reinstated and revoked by customs and the zone
//!   administration; an enterprise never decides.

use std::collections::BTreeSet;
use std::time::Duration;

use kuajing_core::role::{Role, RoleKind};
use kuajing_registry::webhooks::{self, DispatchSettings};
use kuajing_server::ServerConfig;
use kuajing_testkit::dual_backend_tests;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;

use crate::support::{
    ENTERPRISE, PDF, PNG, TestApp, config, expect_unauthenticated, honey, id_of, json, multipart,
    send, spawn_with, uscc,
};

/// Who a route admits.
#[derive(Debug, Clone, Copy)]
enum Admits {
    /// Anybody, with or without a token (operations endpoints).
    Anyone,
    /// An organisation of any role.
    EveryRole,
    /// Organisations holding an agency role.
    Agencies,
    /// Organisations that file: enterprises. Agencies never file, the zone
    /// administration included.
    Filers,
    /// Filers (their own records) and the zone administration (which reads
    /// every organisation's).
    FilersAndZoneAdmin,
    /// Filers (their own records) and those who read every enterprise's
    /// trade: customs and the zone administration.
    FilersAndReaders,
    /// The zone administration.
    ZoneAdmin,
    /// Organisations holding one of these roles.
    Roles(&'static [Role]),
    /// Decided by the content of the call (which message, whose list):
    /// the named scenario test checks who is admitted; the matrix checks
    /// only that a call without a valid token is refused.
    Elsewhere(&'static str),
}

/// Approve and return a commodity without the regional brand.
const CUSTOMS: Admits = Admits::Roles(&[Role::Customs]);
/// Suspend, reinstate and revoke it: its approvers and the zone administration.
const AUTHORITIES: Admits = Admits::Roles(&[Role::Customs, Role::ZoneAdmin]);
/// Read every declaration list: customs, which decides, and the zone
/// administration, which reads.
const CLEARANCE_READERS: Admits = Admits::Roles(&[Role::Customs, Role::ZoneAdmin]);
/// No one but the owner (who is not among the callers).
const NOBODY: Admits = Admits::Roles(&[]);
/// Keep a bonded or repair book: the warehouse alone.
const BOOK_KEEPERS: Admits = Admits::Roles(&[Role::Warehouse]);
/// The scenario test of a bonded book's exit flow, returns, reconciliation
/// and report: who may do what to a book depends on whose book it is.
const FLOW: &str =
    "bonded_flow::a_bonded_parcel_is_stocked_sold_shipped_out_returned_and_reconciled";
const BOOK_READERS: Admits = Admits::Roles(&[Role::Warehouse, Role::Customs, Role::ZoneAdmin]);
/// Import reference data.
const TARIFF_KEEPERS: Admits = Admits::Roles(&[Role::Customs]);
/// See every field of an enterprise's filing, its attachments included.
const SUPERVISORS: Admits = Admits::Roles(&[
    Role::Customs,
    Role::Commerce,
    Role::MarketRegulation,
    Role::ZoneAdmin,
]);

impl Admits {
    fn admits(self, role: Role) -> bool {
        match self {
            Admits::Anyone | Admits::EveryRole => true,
            Admits::Agencies => role.kind() == RoleKind::Agency,
            Admits::Filers => role.kind() == RoleKind::Enterprise,
            Admits::FilersAndZoneAdmin => {
                role.kind() == RoleKind::Enterprise || role == Role::ZoneAdmin
            }
            Admits::FilersAndReaders => {
                role.kind() == RoleKind::Enterprise
                    || matches!(role, Role::ZoneAdmin | Role::Customs)
            }
            Admits::ZoneAdmin => role == Role::ZoneAdmin,
            Admits::Roles(roles) => roles.contains(&role),
            Admits::Elsewhere(_) => false,
        }
    }
}

/// Whose record a `{id}` names.
#[derive(Debug, Clone, Copy)]
enum Whose {
    /// The caller's own organisation's.
    Caller,
    /// The target enterprise's.
    Target,
}

/// Where a commodity filing of the target stands before the call.
#[derive(Debug, Clone, Copy)]
enum Stage {
    Draft,
    Submitted,
    Active,
    Suspended,
}

/// What the `{id}` in a route is.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// No `{id}`.
    Nothing,
    /// A fresh API token.
    Token(Whose),
    /// A fresh webhook subscription.
    Webhook(Whose),
    /// The target's submitted commodity filing (for reads).
    Commodity,
    /// A fresh commodity filing of the target at this stage (for steps,
    /// which change it).
    Fresh(Stage),
    /// The business licence attached to the target's enterprise filing.
    Attachment,
    /// A dead delivery of the target's webhook.
    Delivery,
    /// A fresh bulk filing job.
    BulkJob(Whose),
}

/// The body of a call.
#[derive(Debug, Clone, Copy)]
enum Body {
    None,
    Json(&'static str),
    Csv(&'static str),
    /// A photo as a multipart upload.
    Photo,
    /// A bulk commodity file as a multipart upload.
    Bulk,
}

/// One row of the table: a call and who it admits. `route` is the
/// document's path; `path` the one called, where `{id}` is the row's
/// [`Target`]. In the path, query and body `{code}` stands for the target
/// enterprise's customs code, `{n}` for a number unique to the call,
/// `{role}` for the caller's role and `{uscc}` for a valid USCC.
#[derive(Debug)]
struct Case {
    method: Method,
    route: &'static str,
    path: &'static str,
    query: &'static str,
    body: Body,
    target: Target,
    admits: Admits,
    refusal: StatusCode,
    /// Refused as "not found" to enterprises even where `refusal` is 403:
    /// another enterprise's filing does not exist for them, while agencies
    /// see it and are refused the step.
    hidden_from_enterprises: bool,
}

fn case(method: Method, route: &'static str, admits: Admits) -> Case {
    Case {
        method,
        route,
        path: route,
        query: "",
        body: Body::None,
        target: Target::Nothing,
        admits,
        refusal: StatusCode::FORBIDDEN,
        hidden_from_enterprises: false,
    }
}

impl Case {
    /// Calls `path` (concrete values for the route's parameters).
    fn at(self, path: &'static str) -> Case {
        Case { path, ..self }
    }

    fn query(self, query: &'static str) -> Case {
        Case { query, ..self }
    }

    fn body(self, body: &'static str) -> Case {
        Case {
            body: Body::Json(body),
            ..self
        }
    }

    fn csv(self, body: &'static str) -> Case {
        Case {
            body: Body::Csv(body),
            ..self
        }
    }

    fn photo(self) -> Case {
        Case {
            body: Body::Photo,
            ..self
        }
    }

    fn bulk(self) -> Case {
        Case {
            body: Body::Bulk,
            ..self
        }
    }

    fn on(self, target: Target) -> Case {
        Case { target, ..self }
    }

    /// Refused as "not found" to enterprises, 403 to agencies that may see
    /// the record but not take the step.
    fn hidden_from_enterprises(self) -> Case {
        Case {
            hidden_from_enterprises: true,
            ..self
        }
    }

    /// The status a refusal of `role` has.
    fn refusal_for(&self, role: Role) -> StatusCode {
        if self.hidden_from_enterprises && role.kind() == RoleKind::Enterprise {
            StatusCode::NOT_FOUND
        } else {
            self.refusal
        }
    }

    /// Refused as "not found": the record's existence is not the caller's
    /// business.
    fn hidden(self) -> Case {
        Case {
            refusal: StatusCode::NOT_FOUND,
            ..self
        }
    }

    /// On a fresh token of `whose`; another organisation's token is 404.
    fn token(self, whose: Whose) -> Case {
        self.owned(Target::Token(whose), whose)
    }

    /// On a fresh webhook of `whose`; another organisation's webhook is 404.
    fn webhook(self, whose: Whose) -> Case {
        self.owned(Target::Webhook(whose), whose)
    }

    /// On a fresh bulk job of `whose`; another organisation's job is 404.
    fn bulk_job(self, whose: Whose) -> Case {
        self.owned(Target::BulkJob(whose), whose)
    }

    fn owned(self, target: Target, whose: Whose) -> Case {
        let case = self.on(target);
        match whose {
            Whose::Caller => case,
            Whose::Target => case.hidden(),
        }
    }

    /// The request of this row, without credentials.
    fn request(&self, app: &TestApp, id: &str, n: usize, role: &str) -> RequestBuilder {
        let fill = |text: &str| {
            text.replace("{code}", ENTERPRISE)
                .replace("{id}", id)
                .replace("{n}", &format!("{n:04}"))
                .replace("{role}", role)
                .replace("{uscc}", &uscc("MA960009"))
        };
        let url = match self.query {
            "" => app.url(&fill(self.path)),
            query => app.url(&format!("{}?{}", fill(self.path), fill(query))),
        };
        let request = app.client.request(self.method.clone(), url);
        let (content_type, body) = match self.body {
            Body::None => return request,
            Body::Json(body) => ("application/json".to_owned(), fill(body).into_bytes()),
            Body::Csv(body) => ("text/csv".to_owned(), body.as_bytes().to_vec()),
            Body::Photo => multipart(&[("purpose", "photo")], PNG),
            Body::Bulk => multipart(&[], BULK_CSV.as_bytes()),
        };
        request.header(CONTENT_TYPE, content_type).body(body)
    }
}

const NEW_ORGANISATION: &str =
    r#"{"customs_code": "222497{n}", "name": "新设企业{n}", "roles": ["ebc"]}"#;
const NEW_USER: &str =
    r#"{"login": "clerk{n}", "display_name": "李娜", "password": "correct-horse-42"}"#;
const REINSTATE: &str = r#"{"status": "active", "reason": "年度复核"}"#;
const UNIT_CSV: &str = "code,name_zh\n999,测试单位\n";
const TARIFF_CSV: &str = "hs_code,name_zh,unit1,unit2,vat_rate,ct_kind,ct_ad_valorem_rate,\
    ct_specific_amount,ct_specific_unit,mfn_duty_rate,positive_list,positive_list_remark\n\
    0409000000,天然蜂蜜,035,,0.09,none,,,,0.15,true,\n";
/// The caller's own enterprise filing, with its role.
const OWN_FILING: &str = r#"{"name": "重新备案机构{n}", "uscc": "{uscc}", "roles": ["{role}"]}"#;
const COMMODITY: &str = r#"{"item_no": "M-{n}", "name": "椴树蜂蜜", "hs_code": "0409000000",
    "origin_country": "344", "unit1": "035", "reference_price": "88.5", "currency": "142"}"#;
/// One commodity in the bulk filing format.
const BULK_CSV: &str = "item_no,name,specification,brand,hs_code,origin_country,declared_elements,\
    unit1,unit2,reference_price,currency,barcode,regional_brand\n\
    BULK-1,椴树蜂蜜,,,0409000000,344,,035,,88.5,142,,false\n";
const NO_REASON: &str = "{}";
const REASON: &str = r#"{"reason": "核查需要"}"#;
const SUBSCRIPTION: &str =
    r#"{"url": "https://forex.example.gov.cn/hook", "topics": ["enterprise"]}"#;

/// The expectations, one row per call.
fn table() -> Vec<Case> {
    use Admits::{
        Agencies, Anyone, EveryRole, Filers, FilersAndReaders, FilersAndZoneAdmin, ZoneAdmin,
    };
    use Method as M;
    use Stage::{Active, Draft, Submitted, Suspended};
    vec![
        case(M::GET, "/healthz", Anyone),
        case(M::GET, "/readyz", Anyone),
        case(M::GET, "/metrics", Anyone),
        case(M::GET, "/api/me", EveryRole),
        case(M::GET, "/api/organisations", EveryRole),
        case(M::POST, "/api/organisations", ZoneAdmin).body(NEW_ORGANISATION),
        case(M::GET, "/api/organisations/{code}", Agencies),
        case(M::POST, "/api/organisations/{code}/status", ZoneAdmin).body(REINSTATE),
        case(M::GET, "/api/organisations/{code}/users", ZoneAdmin),
        case(M::POST, "/api/organisations/{code}/users", ZoneAdmin).body(NEW_USER),
        case(M::GET, "/api/tokens", EveryRole),
        // A token acts as its organisation: nobody lists, issues or revokes
        // another's (the zone administration included).
        case(M::GET, "/api/tokens", NOBODY).query("organisation={code}"),
        case(M::POST, "/api/tokens", EveryRole).body(r#"{"label": "订单系统"}"#),
        case(M::POST, "/api/tokens", NOBODY)
            .body(r#"{"label": "订单系统", "organisation": "{code}"}"#),
        case(M::DELETE, "/api/tokens/{id}", EveryRole).token(Whose::Caller),
        case(M::DELETE, "/api/tokens/{id}", NOBODY).token(Whose::Target),
        case(M::GET, "/api/audit", ZoneAdmin),
        // Reference data.
        case(M::GET, "/api/reference/tariff", EveryRole).query("q=0303"),
        case(M::GET, "/api/reference/tariff/{hs_code}", EveryRole)
            .at("/api/reference/tariff/0303670000"),
        case(M::GET, "/api/reference/codes/{kind}", EveryRole).at("/api/reference/codes/country"),
        case(M::GET, "/api/reference/versions", EveryRole),
        case(M::POST, "/api/reference/import/{kind}", TARIFF_KEEPERS)
            .at("/api/reference/import/unit")
            .csv(UNIT_CSV),
        case(M::POST, "/api/reference/import/{kind}", TARIFF_KEEPERS)
            .at("/api/reference/import/tariff")
            .csv(TARIFF_CSV),
        // Filings.
        case(M::GET, "/api/filings", EveryRole),
        case(M::GET, "/api/filings/enterprise", EveryRole),
        case(M::PUT, "/api/filings/enterprise", Filers).body(OWN_FILING),
        case(M::POST, "/api/filings/commodities", Filers).body(COMMODITY),
        case(M::POST, "/api/filings/commodities/bulk", Filers).bulk(),
        // A filer reads its own job; an agency, which cannot file, is shown
        // the target's job and does not find it, but for the zone
        // administration, which reads anyone's.
        case(M::GET, "/api/bulk-jobs/{id}", FilersAndZoneAdmin)
            .bulk_job(Whose::Caller)
            .hidden(),
        case(M::GET, "/api/bulk-jobs/{id}", ZoneAdmin).bulk_job(Whose::Target),
        case(M::GET, "/api/filings/export", EveryRole).query("format=csv"),
        case(M::GET, "/api/filings/export", EveryRole).query("format=xlsx&kind=commodity"),
        case(M::GET, "/api/filings/{id}", Agencies)
            .on(Target::Commodity)
            .hidden(),
        case(M::GET, "/api/filings/{id}/history", Agencies)
            .on(Target::Commodity)
            .hidden(),
        // Only the owner submits or attaches to its draft, which no one else
        // sees (the zone administration included).
        case(M::POST, "/api/filings/{id}/submit", NOBODY)
            .on(Target::Fresh(Draft))
            .body(NO_REASON)
            .hidden(),
        case(M::POST, "/api/filings/{id}/approve", CUSTOMS)
            .on(Target::Fresh(Submitted))
            .body(NO_REASON)
            .hidden_from_enterprises(),
        case(M::POST, "/api/filings/{id}/return", CUSTOMS)
            .on(Target::Fresh(Submitted))
            .body(REASON)
            .hidden_from_enterprises(),
        case(M::POST, "/api/filings/{id}/suspend", AUTHORITIES)
            .on(Target::Fresh(Active))
            .body(REASON)
            .hidden_from_enterprises(),
        case(M::POST, "/api/filings/{id}/reinstate", AUTHORITIES)
            .on(Target::Fresh(Suspended))
            .body(REASON)
            .hidden_from_enterprises(),
        case(M::POST, "/api/filings/{id}/revoke", AUTHORITIES)
            .on(Target::Fresh(Active))
            .body(REASON)
            .hidden_from_enterprises(),
        case(M::POST, "/api/filings/{id}/attachments", NOBODY)
            .on(Target::Fresh(Draft))
            .photo()
            .hidden(),
        case(M::GET, "/api/attachments/{id}", SUPERVISORS)
            .on(Target::Attachment)
            .hidden(),
        // Sharing.
        case(M::GET, "/api/feed", EveryRole).query("after=0&limit=10"),
        case(M::GET, "/api/webhooks", EveryRole),
        case(M::POST, "/api/webhooks", EveryRole).body(SUBSCRIPTION),
        case(M::POST, "/api/webhooks/{id}/pause", EveryRole).webhook(Whose::Caller),
        case(M::POST, "/api/webhooks/{id}/pause", ZoneAdmin).webhook(Whose::Target),
        case(M::POST, "/api/webhooks/{id}/resume", ZoneAdmin).webhook(Whose::Target),
        case(M::GET, "/api/webhooks/{id}/deliveries", EveryRole).webhook(Whose::Caller),
        case(M::GET, "/api/webhooks/{id}/deliveries", ZoneAdmin).webhook(Whose::Target),
        case(M::POST, "/api/webhook-deliveries/{id}/replay", ZoneAdmin)
            .on(Target::Delivery)
            .hidden(),
        // Clearance.
        case(M::GET, "/api/ceb/receipts", Filers).query("after=0"),
        case(M::GET, "/api/clearance/reviews", CLEARANCE_READERS),
        // Exports: an enterprise reads its own, customs and the zone
        // administration every one's.
        case(M::GET, "/api/exports/lists", FilersAndReaders),
        case(M::GET, "/api/exports/manifests", FilersAndReaders),
        case(M::GET, "/api/exports/returns", FilersAndReaders),
        case(
            M::GET,
            "/api/export-summaries/due",
            Admits::FilersAndReaders,
        ),
        // The watch list is customs' decision.
        case(M::POST, "/api/clearance/watch-list", CUSTOMS)
            .body("{\"buyer_id\": \"11010519491231002X\", \"reason\": \"布控\"}"),
        case(
            M::POST,
            "/api/ceb",
            Admits::Elsewhere(
                "clearance::only_the_transmitting_enterprise_with_the_right_role_may_send",
            ),
        ),
        case(
            M::GET,
            "/api/clearance/lists/{id}",
            Admits::Elsewhere(
                "clearance::a_list_the_rules_flag_waits_for_an_officer_who_decides_in_writing",
            ),
        ),
        case(
            M::POST,
            "/api/clearance/lists/{id}/decision",
            Admits::Elsewhere(
                "clearance::a_list_the_rules_flag_waits_for_an_officer_who_decides_in_writing",
            ),
        )
        .body("{\"action\": \"release\", \"reason\": \"ok\"}"),
        // Bonded e-account books.
        case(M::GET, "/api/ems/books", BOOK_READERS),
        case(M::POST, "/api/ems/books", BOOK_KEEPERS)
            .body("{\"ems_no\": \"T1909W{n}\", \"zone_code\": \"1909\", \"name\": \"保税仓{n}\"}"),
        case(
            M::GET,
            "/api/ems/books/{ems_no}",
            Admits::Elsewhere("bonded::a_warehouse_keeps_its_book_and_customs_reads_it"),
        ),
        case(
            M::POST,
            "/api/ems/books/{ems_no}/lines",
            Admits::Elsewhere("bonded::a_warehouse_keeps_its_book_and_customs_reads_it"),
        ),
        case(
            M::GET,
            "/api/ems/books/{ems_no}/movements",
            Admits::Elsewhere("bonded::a_warehouse_keeps_its_book_and_customs_reads_it"),
        ),
        case(
            M::POST,
            "/api/ems/books/{ems_no}/movements",
            Admits::Elsewhere(
                "bonded::bad_movements_are_refused_with_field_rule_and_value_and_change_nothing",
            ),
        ),
        case(M::GET, "/api/ems/findings", BOOK_READERS),
        case(
            M::POST,
            "/api/ems/books/{ems_no}/inspections",
            Admits::Elsewhere(FLOW),
        ),
        case(
            M::GET,
            "/api/ems/books/{ems_no}/quarantine",
            Admits::Elsewhere(FLOW),
        ),
        case(
            M::GET,
            "/api/ems/books/{ems_no}/verifications",
            Admits::Elsewhere(FLOW),
        ),
        case(
            M::POST,
            "/api/ems/books/{ems_no}/verifications",
            Admits::Elsewhere(FLOW),
        ),
        case(
            M::POST,
            "/api/ems/verifications/{number}/gate-release",
            Admits::Elsewhere(FLOW),
        ),
        case(
            M::POST,
            "/api/ems/verifications/{number}/pass",
            Admits::Elsewhere(FLOW),
        ),
        case(
            M::POST,
            "/api/ems/books/{ems_no}/reconciliations",
            Admits::Elsewhere(FLOW),
        ),
        case(
            M::POST,
            "/api/ems/books/{ems_no}/stock-counts",
            Admits::Elsewhere(FLOW),
        ),
        case(
            M::POST,
            "/api/ems/findings/{id}/close",
            Admits::Elsewhere(FLOW),
        ),
        case(
            M::GET,
            "/api/ems/books/{ems_no}/reports/{period}",
            Admits::Elsewhere(FLOW),
        ),
        case(
            M::POST,
            "/api/ems/books/{ems_no}/reports/{period}",
            Admits::Elsewhere(FLOW),
        ),
        // Bonded after-sales repair: the repair book is kept like the
        // e-account book.
        case(M::GET, "/api/repair/orders", BOOK_READERS),
        case(M::POST, "/api/repair/orders", BOOK_KEEPERS).body(REPAIR_ORDER),
        case(M::GET, "/api/repair/book", BOOK_READERS),
        case(
            M::GET,
            "/api/repair/orders/{order_no}",
            Admits::Elsewhere("repair::a_warehouse_repairs_goods_and_customs_reads_its_book"),
        ),
        case(
            M::POST,
            "/api/repair/orders/{order_no}/movements",
            Admits::Elsewhere(
                "repair::bad_steps_are_refused_with_field_rule_and_value_and_change_nothing",
            ),
        ),
        case(
            M::POST,
            "/api/repair/orders/{order_no}/materials",
            Admits::Elsewhere("repair::a_warehouse_repairs_goods_and_customs_reads_its_book"),
        ),
        case(
            M::POST,
            "/api/repair/orders/{order_no}/scrap",
            Admits::Elsewhere("repair::a_warehouse_repairs_goods_and_customs_reads_its_book"),
        ),
        // Delegations (委托申报): every organisation reads those it granted
        // or received (customs all); which scopes an enterprise may grant
        // depends on its roles, and only the grantor revokes.
        case(M::GET, "/api/delegations", Admits::EveryRole),
        case(
            M::POST,
            "/api/delegations",
            Admits::Elsewhere(
                "document_ownership::a_delegate_declares_for_its_principal_until_the_delegation_is_revoked",
            ),
        ),
        case(
            M::POST,
            "/api/delegations/{id}/revoke",
            Admits::Elsewhere(
                "document_ownership::a_delegate_declares_for_its_principal_until_the_delegation_is_revoked",
            ),
        ),
        // Exports: every organisation reads the overseas warehouses it may
        // see (its own; agencies all) and those that file register them;
        // refiling and deciding depend on the warehouse's owner and status.
        case(M::GET, "/api/overseas-warehouses", Admits::EveryRole),
        case(M::POST, "/api/overseas-warehouses", Admits::Filers).body(WAREHOUSE),
        case(
            M::PUT,
            "/api/overseas-warehouses/{id}",
            Admits::Elsewhere(
                "overseas_warehouses::an_exporter_registers_a_warehouse_customs_returns_then_approves_it",
            ),
        ),
        case(
            M::POST,
            "/api/overseas-warehouses/{id}/decision",
            Admits::Elsewhere(
                "overseas_warehouses::an_exporter_registers_a_warehouse_customs_returns_then_approves_it",
            ),
        ),
        // The 无票免税 purchase record: the retail exporter keeps its own,
        // the tax office and customs read every exporter's; recording needs
        // released export lists of the caller's.
        case(M::GET, "/api/purchase-records", PURCHASE_READERS),
        case(
            M::POST,
            "/api/purchase-records",
            Admits::Elsewhere(
                "purchase_records::an_exporter_records_purchases_linked_to_its_released_lists",
            ),
        ),
    ]
}

/// An overseas warehouse in Japan.
const WAREHOUSE: &str = r#"{"warehouse_code": "JP-{n}", "name": "东京仓 {n}", "operator_name": "株式会社ハンチュン物流",
    "country": "116", "address": "東京都江東区新木場 1-1", "capacity": "1200", "capacity_unit": "m2"}"#;

/// Who reads 无票免税 purchase records.
const PURCHASE_READERS: Admits = Admits::Roles(&[
    Role::Ebp,
    Role::Ebc,
    Role::Tax,
    Role::Customs,
    Role::ZoneAdmin,
]);

/// Goods received for repair.
const REPAIR_ORDER: &str = r#"{"origin": "abroad", "customer_name": "客户{n}", "goods_name": "笔记本电脑",
    "hs_code": "8471300000", "unit": "001", "quantity": "1", "currency": "142",
    "declared_value": "8000", "received_on": "2026-01-05"}"#;

/// An organisation of one role and its token.
struct Member {
    role: Role,
    code: String,
    token: String,
}

/// One organisation per role, each with a token, and the target enterprise
/// with its records.
struct World {
    members: Vec<Member>,
    /// The target enterprise's token.
    target: String,
    /// A customs token, to approve the target's filings.
    customs: String,
    /// The target's submitted commodity filing.
    commodity: String,
    /// The business licence on the target's enterprise filing.
    attachment: String,
    /// A delivery of the target's webhook.
    delivery: String,
}

/// The dispatcher's settings in this test: it never runs by itself; the
/// test sends what is due, with one attempt before a delivery is dead.
fn dispatch() -> DispatchSettings {
    DispatchSettings {
        tick: Duration::from_secs(3600),
        max_attempts: 1,
        allow_private_targets: true,
        ..Default::default()
    }
}

/// Sends every delivery that is due (each fails: the address answers 404).
async fn drain(app: &TestApp) {
    let client = webhooks::WebhookClient::new(&dispatch()).expect("a client");
    while webhooks::send_due(&app.store, &client, &dispatch())
        .await
        .expect("send")
        > 0
    {}
}

async fn world(app: &TestApp) -> World {
    app.file(ENTERPRISE, &["ebc"]).await;
    let mut members = Vec::new();
    for (i, &role) in Role::ALL.iter().enumerate() {
        let code = format!("2224{:06}", 100 + i);
        let token = app.member(&code, &[role.as_str()]).await;
        members.push(Member { role, code, token });
    }
    let target = app.issue_token(ENTERPRISE).await.1;
    let customs = members
        .iter()
        .find(|m| m.role == Role::Customs)
        .expect("customs")
        .token
        .clone();
    let own = app.get_json(&target, "/api/filings/enterprise").await;
    let uploaded = app
        .upload(&target, &id_of(&own), "business_licence", PDF)
        .await;
    let attachment = id_of(&json(uploaded, StatusCode::CREATED).await);
    // The target's webhook answers 404 (a path of this server): its delivery
    // of the next change dies at the first attempt.
    let sink = app.url("/no-such-hook");
    let (hook, _) = app.subscribe(&target, &sink, &["commodity"]).await;
    let commodity = app.submitted_commodity(&target, "TARGET-1").await;
    webhooks::fan_out(&app.store).await.expect("fan out");
    drain(app).await;
    let deliveries = app
        .get_json(&target, &format!("/api/webhooks/{hook}/deliveries"))
        .await;
    assert_eq!(deliveries[0]["status"], "dead", "{deliveries}");
    World {
        members,
        target,
        customs,
        commodity,
        attachment,
        delivery: id_of(&deliveries[0]),
    }
}

impl World {
    /// A fresh commodity filing of the target at `stage`: its id.
    async fn filing(&self, app: &TestApp, stage: Stage, n: usize) -> String {
        let item = format!("F-{n:04}");
        let id = match stage {
            Stage::Draft => return id_of(&app.file_commodity(&self.target, &honey(&item)).await),
            Stage::Submitted => return app.submitted_commodity(&self.target, &item).await,
            Stage::Active | Stage::Suspended => {
                app.active_commodity(&self.target, &self.customs, &item)
                    .await
            }
        };
        if let Stage::Suspended = stage {
            app.stepped(&self.customs, &id, "suspend", Some("抽查"))
                .await;
        }
        id
    }

    /// The `{id}` of `case` called by `member`.
    async fn id(&self, app: &TestApp, case: &Case, member: &Member, n: usize) -> String {
        let owner = |whose| match whose {
            Whose::Caller => (member.code.as_str(), member.token.as_str()),
            Whose::Target => (ENTERPRISE, self.target.as_str()),
        };
        match case.target {
            Target::Nothing => String::new(),
            Target::Token(whose) => app.issue_token(owner(whose).0).await.0,
            Target::Webhook(whose) => {
                let url = "https://forex.example.gov.cn/hook";
                app.subscribe(owner(whose).1, url, &["enterprise"]).await.0
            }
            Target::Commodity => self.commodity.clone(),
            Target::Fresh(stage) => self.filing(app, stage, n).await,
            Target::Attachment => self.attachment.clone(),
            Target::BulkJob(whose) => {
                let (content_type, body) = multipart(&[], BULK_CSV.as_bytes());
                let files = Admits::Filers.admits(member.role);
                let token = if files {
                    owner(whose).1
                } else {
                    self.target.as_str()
                };
                let request = app.api(Method::POST, "/api/filings/commodities/bulk", token);
                let started = send(request.header(CONTENT_TYPE, content_type).body(body)).await;
                id_of(&json(started, StatusCode::ACCEPTED).await)
            }
            Target::Delivery => {
                // A replayed delivery is due again: let it die again.
                drain(app).await;
                self.delivery.clone()
            }
        }
    }
}

/// Sends `case` as `member`; `n` makes created names unique.
async fn call(app: &TestApp, world: &World, case: &Case, member: &Member, n: usize) -> Response {
    let id = world.id(app, case, member, n).await;
    let request = case.request(app, &id, n, member.role.as_str());
    send(request.bearer_auth(&member.token)).await
}

/// What went wrong with one cell of the matrix, if anything.
async fn mismatch(case: &Case, role: Role, response: Response) -> Option<String> {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let cell = format!("{} {}{} as {role}", case.method, case.path, case.query);
    if case.admits.admits(role) {
        return (!status.is_success())
            .then(|| format!("{cell}: expected 2xx, got {status} {body}"));
    }
    let refusal = case.refusal_for(role);
    let code = match refusal {
        StatusCode::NOT_FOUND => "NOT_FOUND",
        _ => "ACCESS_DENIED",
    };
    let explained = body["message_zh"].is_string() && body["message_en"].is_string();
    let right = status == refusal && body["code"] == code && explained;
    (!right || body.get("field").is_some())
        .then(|| format!("{cell}: expected {refusal} {code}, got {status} {body}"))
}

/// Every (method, path) of the OpenAPI document is in the table, and the
/// table has no route the document lacks.
async fn assert_table_matches_document(app: &TestApp, table: &[Case]) {
    let doc = json(
        send(app.client.get(app.url("/api/openapi.json"))).await,
        StatusCode::OK,
    )
    .await;
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
            if item.get(method).is_some() {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let covered: BTreeSet<(String, String)> = table
        .iter()
        .map(|c| (c.method.to_string(), c.route.to_owned()))
        .collect();
    assert_eq!(
        documented, covered,
        "the table and the OpenAPI document disagree"
    );
}

/// An enterprise lists only itself; an agency lists everyone.
async fn assert_list_scope(app: &TestApp, members: &[Member]) {
    for member in members {
        let codes = app.organisation_codes(&member.token).await;
        if member.role.kind() == RoleKind::Enterprise {
            assert_eq!(codes, [member.code.as_str()], "{}", member.role);
        } else {
            assert_eq!(codes.len(), members.len() + 1, "{}", member.role);
        }
    }
}

/// Sends every request of the table's API rows with `authorization` (or
/// none) and expects 401 AUTH_REQUIRED.
async fn assert_unauthenticated(app: &TestApp, table: &[Case], authorization: Option<&str>) {
    for case in table.iter().filter(|c| c.route.starts_with("/api/")) {
        let mut request = case.request(app, "no-such-token", 0, "ebc");
        if let Some(value) = authorization {
            request = request.header(AUTHORIZATION, value);
        }
        expect_unauthenticated(send(request).await).await;
    }
}

dual_backend_tests! {
    async fn every_route_admits_exactly_the_roles_the_rules_name(db: TestDatabase) {
        let app = spawn_with(&db, ServerConfig { webhooks: dispatch(), ..config() }).await;
        let table = table();
        assert_table_matches_document(&app, &table).await;
        let world = world(&app).await;
        assert_eq!(world.members.len(), 17);
        assert_list_scope(&app, &world.members).await;
        let mut failures = Vec::new();
        let mut n = 0;
        for case in &table {
            if let Admits::Elsewhere(test) = case.admits {
                assert!(
                    ["clearance::", "bonded", "repair::", "overseas_warehouses::", "purchase_records::", "document_ownership::"]
                        .iter()
                        .any(|area| test.starts_with(area)),
                    "{} names its scenario test",
                    case.route
                );
                continue;
            }
            for member in &world.members {
                n += 1;
                let response = call(&app, &world, case, member, n).await;
                failures.extend(mismatch(case, member.role, response).await);
            }
        }
        assert!(failures.is_empty(), "{} wrong answers:\n{}", failures.len(), failures.join("\n"));
    }

    async fn api_routes_refuse_missing_bogus_and_revoked_tokens(db: TestDatabase) {
        let app = crate::support::spawn(&db).await;
        let table = table();
        app.file(ENTERPRISE, &["ebc"]).await;
        let (id, revoked) = app.issue_token(ENTERPRISE).await;
        let operator = kuajing_registry::actor::Actor::operator();
        kuajing_registry::auth::tokens::revoke(&app.store, &operator, &id).await.unwrap();
        let revoked = format!("Bearer {revoked}");
        let bogus = "Bearer kj_0000000000000000000000000000000000000000000";
        for authorization in [None, Some(bogus), Some(revoked.as_str()), Some("Basic a2o6a2o=")] {
            assert_unauthenticated(&app, &table, authorization).await;
        }
        for case in table.iter().filter(|c| matches!(c.admits, Admits::Anyone)) {
            let response = send(app.client.get(app.url(case.route))).await;
            assert_eq!(response.status(), StatusCode::OK, "{}", case.route);
        }
        let doc = send(app.client.get(app.url("/api/openapi.json"))).await;
        assert_eq!(doc.status(), StatusCode::OK);
    }
}

/// Sends `body` to `path` as `token` and expects 403 ACCESS_DENIED.
async fn assert_denied(app: &TestApp, token: &str, method: Method, path: &str, body: Value) {
    let response = send(app.api(method.clone(), path, token).json(&body)).await;
    let status = response.status();
    let answer: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(
        (status, answer["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("ACCESS_DENIED")),
        "{method} {path}: {answer}"
    );
}

dual_backend_tests! {
    /// Finding 11 of issue #14: each decision belongs to its agency or
    /// owner. The zone administration reads a warehouse's book and repair
    /// order, and customs' queue, but is refused (403, as one who sees the
    /// record) the customs decisions, the watch list, a line of the book,
    /// a movement, scrap on the repair order and a token of another
    /// organisation; what it was refused is unchanged.
    async fn the_zone_administration_reads_but_takes_no_decision_of_an_agency_or_owner(db: TestDatabase) {
        use kuajing_ceb::sample::Parcel;
        let app = crate::support::spawn(&db).await;
        let admin = app.zone_admin().await;
        let warehouse = app.stocked_book("10").await;
        let order = json(app.post_json(&warehouse, "/api/repair/orders", &serde_json::json!({
            "origin": "abroad", "customer_name": "客户", "goods_name": "笔记本电脑",
            "hs_code": "8471300000", "unit": "001", "quantity": "1", "currency": "142",
            "declared_value": "8000", "received_on": "2026-01-05"})).await, StatusCode::CREATED).await;
        let order_no = order["order_no"].as_str().expect("order number").to_owned();

        // It reads.
        let book = format!("/api/ems/books/{}", Parcel::BOOK);
        assert_eq!(app.get_json(&admin, &book).await["ems_no"], Parcel::BOOK);
        app.get_json(&admin, &format!("/api/repair/orders/{order_no}")).await;
        app.get_json(&admin, "/api/clearance/reviews").await;
        app.get_json(&admin, "/api/purchase-records").await;

        // It decides nothing of customs'.
        let decision = serde_json::json!({"action": "release", "reason": "放行"});
        assert_denied(&app, &admin, Method::POST, "/api/clearance/lists/any-list/decision", decision).await;
        let watch = serde_json::json!({"buyer_id": "11010519491231002X", "reason": "布控"});
        assert_denied(&app, &admin, Method::POST, "/api/clearance/watch-list", watch).await;
        // Nor keeps the warehouse's books.
        let line = serde_json::json!({"item_no": "ADMIN-1", "hs_code": "0409000000",
            "goods_name": "椴树蜂蜜", "unit": Parcel::UNIT, "currency": "142", "unit_value": "1.00"});
        assert_denied(&app, &admin, Method::POST, &format!("{book}/lines"), line).await;
        let entry = serde_json::json!({"item_no": Parcel::ITEM, "kind": "adjustment", "quantity": "-10",
            "unit": Parcel::UNIT, "reference": "盘亏", "reason": "盘亏", "approved_by": "管委会"});
        assert_denied(&app, &admin, Method::POST, &format!("{book}/movements"), entry).await;
        let scrap = serde_json::json!({"description": "坏主板", "weight_kg": "3.25",
            "disposal_enterprise": "珲春市环保处置有限公司", "disposal_record_no": "GF2026-0042"});
        let scrap_path = format!("/api/repair/orders/{order_no}/scrap");
        assert_denied(&app, &admin, Method::POST, &scrap_path, scrap).await;
        // Nor holds a secret that acts as another organisation.
        let token = serde_json::json!({"label": "代发", "organisation": Parcel::WAREHOUSE});
        assert_denied(&app, &admin, Method::POST, "/api/tokens", token).await;
        let listed = send(app.api(Method::GET, &format!("/api/tokens?organisation={}", Parcel::WAREHOUSE), &admin)).await;
        assert_eq!(listed.status(), StatusCode::FORBIDDEN);

        // Nothing changed: the book has its one line with its stock, the
        // order no scrap, the warehouse one token.
        let seen = app.get_json(&warehouse, &book).await;
        assert_eq!(seen["lines"].as_array().map(Vec::len), Some(1), "{seen}");
        let order = app.get_json(&warehouse, &format!("/api/repair/orders/{order_no}")).await;
        assert_eq!(order["scrap"], serde_json::json!([]), "{order}");
        assert_eq!(app.get_json(&warehouse, "/api/tokens").await.as_array().map(Vec::len), Some(1));
    }
}
