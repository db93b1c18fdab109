//! The JSON API under `/api`, described by the OpenAPI document it serves at
//! `/api/openapi.json`. Handlers are thin: they parse, call the use case
//! (`registry`, `auth::tokens`, `audit_trail`) and shape the answer.

mod ceb;
mod delegations;
mod ems;
mod ems_supervision;
mod export_returns;
mod exports;
pub(crate) mod filings;
mod organisations;
mod overseas_warehouses;
mod purchase_records;
mod reference;
mod repair;
mod sharing;
mod tokens;
pub mod views;

pub use ceb::store_floor;

use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ErrorBody, WebResult as Result};
use crate::extract::ApiQuery;
use crate::ops;
use crate::state::AppState;
use kuajing_registry::actor::Actor;
use kuajing_registry::audit_trail::{self, AuditQuery};
use views::{AuditPage, MeView};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kuajing (跨境) — single window API",
        description = "JSON API of the online comprehensive service platform of a cross-border e-commerce comprehensive pilot zone. Errors are `{code, message_zh, message_en, field?}`. Systems authenticate with `Authorization: Bearer <token>`; browser sessions send `X-CSRF-Token` on writes.",
    ),
    modifiers(&SecuritySchemes),
    tags(
        (name = "registry", description = "Organisations and their users (备案)"),
        (name = "access", description = "Identity and API tokens"),
        (name = "audit", description = "The audit trail"),
        (name = "reference", description = "Reference data: tariff and code lists, versioned"),
        (name = "filing", description = "Enterprise and commodity filings (备案) and their workflow"),
        (name = "sharing", description = "The shared-record feed and signed webhooks"),
        (name = "clearance", description = "CEB message intake, receipts, and the review of declaration lists (通关)"),
        (name = "bonded", description = "Bonded e-account books of the zone warehouses (电子账册): stock lines and their ledger"),
        (name = "exports", description = "Exports (出口): export lists with their status and way out, and the manifests that moved them"),
        (name = "repair", description = "Bonded after-sales repair (保税维修): repair orders and the repair account book"),
        (name = "exports", description = "Exports (出口): the overseas-warehouse registry (海外仓备案) and the 无票免税 purchase record"),
        (name = "operations", description = "Health, readiness, metrics"),
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::cookies::SESSION,
            ))),
        );
    }
}

/// The API routes and the document describing them.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me))
        .routes(routes!(organisations::list, organisations::create))
        .routes(routes!(organisations::read))
        .routes(routes!(organisations::set_status))
        .routes(routes!(
            organisations::list_users,
            organisations::create_user
        ))
        .routes(routes!(tokens::list, tokens::issue))
        .routes(routes!(tokens::revoke))
        .routes(routes!(audit))
        .routes(routes!(reference::tariff))
        .routes(routes!(reference::tariff_line))
        .routes(routes!(reference::codes))
        .routes(routes!(reference::versions))
        .routes(routes!(reference::import))
        .routes(routes!(filings::list))
        .routes(routes!(filings::own_enterprise, filings::save_enterprise))
        .routes(routes!(filings::save_commodity))
        .routes(routes!(filings::export))
        .routes(routes!(filings::bulk))
        .routes(routes!(filings::bulk_job))
        .routes(routes!(filings::read))
        .routes(routes!(filings::history))
        .routes(routes!(filings::submit))
        .routes(routes!(filings::approve))
        .routes(routes!(filings::return_filing))
        .routes(routes!(filings::suspend))
        .routes(routes!(filings::reinstate))
        .routes(routes!(filings::revoke))
        .routes(routes!(filings::upload))
        .routes(routes!(filings::download))
        .routes(routes!(sharing::read_feed))
        .routes(routes!(sharing::list, sharing::subscribe))
        .routes(routes!(sharing::pause))
        .routes(routes!(sharing::resume))
        .routes(routes!(sharing::deliveries))
        .routes(routes!(sharing::replay))
        .routes(routes!(ceb::receive))
        .routes(routes!(ceb::receipts))
        .routes(routes!(ceb::reviews))
        .routes(routes!(ceb::list_detail))
        .routes(routes!(ceb::decide))
        .routes(routes!(ceb::watch))
        .routes(routes!(ceb::summaries_due))
        .routes(routes!(delegations::list, delegations::grant))
        .routes(routes!(delegations::revoke))
        .routes(routes!(ems::list, ems::open))
        .routes(routes!(ems::read))
        .routes(routes!(ems::add_line))
        .routes(routes!(ems::movements, ems::record))
        .routes(routes!(ems_supervision::inspect))
        .routes(routes!(ems_supervision::quarantine_entries))
        .routes(routes!(
            ems_supervision::verifications,
            ems_supervision::generate_verification
        ))
        .routes(routes!(ems_supervision::gate_release))
        .routes(routes!(ems_supervision::pass_gate))
        .routes(routes!(ems_supervision::reconcile_day))
        .routes(routes!(ems_supervision::upload_count))
        .routes(routes!(ems_supervision::findings))
        .routes(routes!(ems_supervision::close_finding))
        .routes(routes!(
            ems_supervision::report,
            ems_supervision::send_report
        ))
        .routes(routes!(exports::lists))
        .routes(routes!(exports::manifests))
        .routes(routes!(export_returns::returns))
        .routes(routes!(repair::list, repair::open))
        .routes(routes!(repair::read))
        .routes(routes!(repair::record))
        .routes(routes!(repair::use_material))
        .routes(routes!(repair::record_scrap))
        .routes(routes!(repair::book))
        .routes(routes!(
            overseas_warehouses::list,
            overseas_warehouses::register
        ))
        .routes(routes!(overseas_warehouses::refile))
        .routes(routes!(overseas_warehouses::decide))
        .routes(routes!(purchase_records::list, purchase_records::record))
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
        .routes(routes!(ops::metrics))
        .split_for_parts();
    (router, doc)
}

/// Serves the OpenAPI document.
pub async fn openapi(
    State(doc): State<std::sync::Arc<utoipa::openapi::OpenApi>>,
) -> impl IntoResponse {
    Json(doc.as_ref().clone())
}

/// Who the caller is, and for a web session the CSRF token for writes.
#[utoipa::path(get, path = "/api/me", tag = "access",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MeView), (status = 401, body = ErrorBody)))]
async fn me(actor: Actor) -> Json<MeView> {
    Json(MeView::from(&actor))
}

/// A page of the audit trail, newest first (zone administration; the read
/// is itself audited).
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = AuditPage),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn audit(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>> {
    let entries = audit_trail::read(state.store(), &actor, &query).await?;
    let limit = query.limit.unwrap_or(audit_trail::DEFAULT_LIMIT);
    let next_before = (entries.len() as i64 == limit)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    Ok(Json(AuditPage {
        entries: entries.into_iter().map(Into::into).collect(),
        next_before,
    }))
}
