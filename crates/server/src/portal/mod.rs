//! The web portal (门户): server-rendered HTML in Chinese, English and
//! Russian; forms that work without JavaScript; one embedded stylesheet.

mod assets;
mod audit;
mod bonded;
mod chart;
mod clearance;
mod code_lists;
mod context;
mod delegations;
mod exports;
pub(crate) mod filings;
mod form_errors;
mod form_fields;
mod glossary;
mod help;
mod home;
pub mod i18n;
mod inbox;
mod inbox_counts;
mod list_tools;
mod organisations;
mod overseas_warehouses;
mod purchase_records;
mod reference;
mod repair;
mod russian;
mod sign_in;
mod summaries;
mod tokens;
mod views;
mod webhooks;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub use context::{Ctx, PortalError};

/// The portal's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(sign_in::root))
        .route("/login", get(sign_in::form).post(sign_in::submit))
        .route("/logout", post(sign_in::sign_out))
        .route("/lang/{tag}", get(sign_in::switch_language))
        .route("/home", get(home::home))
        .route("/help", get(help::page))
        .route("/inbox", get(inbox::page))
        .route(
            "/organisations",
            get(organisations::directory).post(organisations::create),
        )
        .route("/organisations/new", get(organisations::new_form))
        .route("/organisations/{code}", get(organisations::show))
        .route(
            "/organisations/{code}/status",
            post(organisations::change_status),
        )
        .route("/organisations/{code}/users", post(organisations::add_user))
        .route(
            "/organisations/{code}/users/{login}/password",
            post(organisations::reset_password),
        )
        .route("/tokens", get(tokens::list).post(tokens::issue))
        .route("/tokens/{id}/revoke", post(tokens::revoke))
        .route("/audit", get(audit::page))
        .route("/audit/download/{format}", get(audit::download))
        .route("/filings", get(filings::list))
        .route(
            "/filings/enterprise",
            get(filings::own_enterprise).post(filings::save_enterprise),
        )
        .route("/filings/enterprise/edit", get(filings::edit_enterprise))
        .route("/filings/commodities", post(filings::save_commodity))
        .route("/filings/commodities/new", get(filings::new_commodity))
        .route(
            "/filings/bulk",
            get(filings::bulk_form).post(filings::bulk_upload),
        )
        .route("/filings/bulk/{id}", get(filings::bulk_job))
        .route("/filings/{id}", get(filings::show_one))
        .route("/filings/{id}/edit", get(filings::edit))
        .route("/filings/{id}/step", post(filings::step))
        .route("/filings/{id}/attachments", post(filings::upload))
        .route("/clearance", get(clearance::overview))
        .route("/clearance/board", get(clearance::board))
        .route("/clearance/find", post(clearance::find))
        .route("/clearance/watch-list", post(clearance::watch))
        .route("/clearance/watch-list/remove", post(clearance::unwatch))
        .route("/bonded", get(bonded::books))
        .route("/bonded/{ems_no}", get(bonded::book))
        .route("/bonded/{ems_no}/movements", post(bonded::record))
        .route("/bonded/{ems_no}/export", get(bonded::export))
        .route("/bonded/{ems_no}/inspections", post(bonded::inspect))
        .route("/bonded/{ems_no}/verifications", post(bonded::verify))
        .route("/bonded/{ems_no}/gate-releases", post(bonded::gate_release))
        .route("/bonded/{ems_no}/gate-passes", post(bonded::pass_gate))
        .route("/bonded/{ems_no}/reconciliations", post(bonded::reconcile))
        .route("/bonded/{ems_no}/stock-counts", post(bonded::upload_count))
        .route("/bonded/{ems_no}/reports", post(bonded::send_report))
        .route("/bonded/findings", get(bonded::findings))
        .route("/bonded/findings/{id}/close", post(bonded::close_finding))
        .route("/exports", get(exports::overview))
        .route(
            "/delegations",
            get(delegations::page).post(delegations::grant),
        )
        .route("/delegations/{id}/revoke", post(delegations::revoke))
        .route(
            "/overseas-warehouses",
            get(overseas_warehouses::page).post(overseas_warehouses::register),
        )
        .route(
            "/overseas-warehouses/{id}/refile",
            post(overseas_warehouses::refile),
        )
        .route(
            "/overseas-warehouses/{id}/decision",
            post(overseas_warehouses::decide),
        )
        .route(
            "/purchase-records",
            get(purchase_records::page).post(purchase_records::record),
        )
        .route("/purchase-records/export", get(purchase_records::export))
        .route("/repair", get(repair::desk))
        .route("/repair/orders", post(repair::open))
        .route("/repair/{order_no}", get(repair::order))
        .route("/repair/{order_no}/movements", post(repair::record))
        .route("/repair/{order_no}/materials", post(repair::use_material))
        .route("/repair/{order_no}/scrap", post(repair::record_scrap))
        .route("/clearance/lists/{id}", get(clearance::list))
        .route("/clearance/lists/{id}/decide", post(clearance::decide))
        .route(
            "/quota",
            get(clearance::quota_form).post(clearance::quota_lookup),
        )
        .route("/exports/summaries", get(summaries::page))
        .route("/reference", get(reference::page))
        .route("/reference/import", post(reference::import))
        .route("/webhooks", get(webhooks::page).post(webhooks::subscribe))
        .route("/webhooks/{id}/{action}", post(webhooks::toggle))
        .route("/webhook-deliveries/{id}/replay", post(webhooks::replay))
        .route(assets::css_path(), get(assets::css))
}
