//! The overseas-warehouse registry in the portal (海外仓备案, issue #7):
//! the exporter registers its overseas warehouses and sees where each
//! stands with customs (changing and filing again a returned one); the
//! customs officer approves or returns filed ones with a reason. The same
//! use cases as `/api/overseas-warehouses` (`kuajing_export::overseas_warehouses`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kuajing_core::access::Action;
use kuajing_reference::ReferenceKind;

use crate::error::Error;
use crate::extract::FormBody;
use crate::portal::code_lists::{CodeList, code_list_id, code_lists};
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::i18n::Texts;
use crate::state::AppState;
use kuajing_export::overseas_warehouses::{
    self as warehouses, DecisionInput, WarehouseInput, WarehouseQuery, WarehouseView,
};

#[derive(Template)]
#[template(path = "overseas_warehouses.html")]
struct RegistryPage {
    page: Page,
    rows: Vec<Row>,
    registers: bool,
    units: Vec<(&'static str, &'static str)>,
    /// The countries, for the country fields to search.
    countries: CodeList,
    done: Option<String>,
    error: Option<String>,
}

/// A warehouse as the page shows it, with what the viewer may do to it.
struct Row {
    w: WarehouseView,
    status_label: &'static str,
    unit_label: &'static str,
    /// When it was decided, in China time with the zone.
    decided_at: String,
    /// The country by name, the code beside.
    country: String,
    decidable: bool,
    refilable: bool,
}

/// `GET /overseas-warehouses`: the registry the viewer may read.
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PortalError> {
    registry_page(&state, &ctx, StatusCode::OK, None, None).await
}

fn input(form: &FormBody) -> WarehouseInput {
    WarehouseInput {
        warehouse_code: form.text("warehouse_code").to_owned(),
        name: form.text("name").to_owned(),
        operator_name: form.text("operator_name").to_owned(),
        country: form.text("country").to_owned(),
        address: form.text("address").to_owned(),
        capacity: form.text("capacity").to_owned(),
        capacity_unit: form.text("capacity_unit").to_owned(),
    }
}

/// `POST /overseas-warehouses`: the exporter registers a warehouse.
pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let done = warehouses::register(state.store(), actor, &input(&form))
        .await
        .map(|w| done_text(ctx.lang.texts(), &w));
    after_form(&state, &ctx, done).await
}

/// `POST /overseas-warehouses/{id}/refile`: the exporter changes a
/// returned warehouse and files it again.
pub async fn refile(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let done = warehouses::refile(state.store(), actor, id, &input(&form))
        .await
        .map(|w| done_text(ctx.lang.texts(), &w));
    after_form(&state, &ctx, done).await
}

/// `POST /overseas-warehouses/{id}/decision`: the officer approves or
/// returns a filed warehouse.
pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let decision = DecisionInput {
        decision: form.text("decision").to_owned(),
        reason: form.text("reason").to_owned(),
    };
    let done = warehouses::decide(state.store(), actor, id, &decision)
        .await
        .map(|w| done_text(ctx.lang.texts(), &w));
    after_form(&state, &ctx, done).await
}

fn done_text(t: &'static Texts, w: &WarehouseView) -> String {
    format!(
        "{} {} {}: {}",
        t.warehouse_code,
        w.warehouse_code,
        w.name,
        status_label(t, &w.status)
    )
}

/// The registry after a form: with what was done, or with the refusal (the
/// form's status) when the person can put it right.
async fn after_form(
    state: &AppState,
    ctx: &Ctx,
    done: Result<String, Error>,
) -> Result<Response, PortalError> {
    let (status, done, error) = ctx.after_form(done)?;
    registry_page(state, ctx, status, done, error).await
}

async fn registry_page(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    done: Option<String>,
    error: Option<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let query = WarehouseQuery {
        limit: Some(warehouses::MAX_WAREHOUSES),
        ..WarehouseQuery::default()
    };
    let found = warehouses::list(state.store(), actor, &query)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.lang.texts();
    let own = actor.organisation_code.as_deref().unwrap_or_default();
    let countries = code_lists(state, ctx, &[ReferenceKind::Country])
        .await?
        .pop()
        .unwrap_or(CodeList {
            id: code_list_id(ReferenceKind::Country),
            options: Vec::new(),
        });
    let rows = found
        .into_iter()
        .map(|w| Row {
            country: countries.named(&w.country),
            status_label: status_label(t, &w.status),
            unit_label: unit_label(t, &w.capacity_unit),
            decided_at: w
                .decided_at
                .as_deref()
                .map(|at| ctx.local_text(at))
                .unwrap_or_default(),
            decidable: w.status == "filed" && warehouses::decides(actor, &w.owner_code),
            refilable: w.status == "returned"
                && w.owner_code == own
                && actor.may(Action::File, own).is_ok(),
            w,
        })
        .collect();
    let units = ["m2", "m3", "pallet"]
        .into_iter()
        .map(|u| (u, unit_label(t, u)))
        .collect();
    let page = RegistryPage {
        page: ctx.page(Section::Warehouses),
        rows,
        registers: !own.is_empty() && actor.may(Action::File, own).is_ok(),
        units,
        countries,
        done,
        error,
    };
    Ok(render(status, &page))
}

fn status_label(t: &'static Texts, status: &str) -> &'static str {
    match status {
        "filed" => t.warehouse_status_filed,
        "approved" => t.warehouse_status_approved,
        _ => t.warehouse_status_returned,
    }
}

fn unit_label(t: &'static Texts, unit: &str) -> &'static str {
    match unit {
        "m2" => t.warehouse_unit_m2,
        "m3" => t.warehouse_unit_m3,
        _ => t.warehouse_unit_pallet,
    }
}
