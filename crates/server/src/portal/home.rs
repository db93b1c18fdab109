//! The home page: the same frame for everyone, with what each role needs —
//! the organisation's own facts and duties; for agencies the registry
//! overview; for the zone administration also recent activity.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kuajing_core::access::{Action, Scope};
use kuajing_core::role::{Role, RoleKind};
use kuajing_store::organisations::OrganisationFilter;

use crate::error::Error;
use crate::portal::chart::{Series, StackedBars};
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::i18n::Texts;
use crate::portal::views::{AuditRow, OrgFacts};
use crate::state::AppState;
use kuajing_bonded::books::reconciliation::{self, FindingQuery};
use kuajing_import::overview::{self, DayOutcomes};
use kuajing_registry::audit_trail::{self, AuditQuery};
use kuajing_registry::auth::tokens;
use kuajing_registry::organisations as registry;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    org: OrgFacts,
    filing_status: Option<(&'static str, &'static str)>,
    awaiting: Option<i64>,
    goods: Vec<(&'static str, i64)>,
    duties: Vec<&'static str>,
    live_tokens: usize,
    registry: Vec<RoleCount>,
    recent: Vec<AuditRow>,
    /// Lists decided per day, as a chart with its table (who declares
    /// lists, and who reads them all).
    clearance: Option<ClearanceChart>,
    /// Lists waiting for an officer (who reads every list).
    officer_queue: Option<i64>,
    /// Open findings of the bonded books the reader may see.
    open_findings: Option<usize>,
}

/// The home page's clearance chart: the SVG and the numbers it draws.
struct ClearanceChart {
    svg: String,
    days: Vec<DayOutcomes>,
}

/// Days the home page's clearance chart covers.
const CHART_DAYS: u32 = 14;

struct RoleCount {
    role: &'static str,
    label: &'static str,
    active: i64,
    suspended: i64,
}

/// The home page of the signed-in user.
pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let store = state.store();
    let own = actor.organisation_code.clone().unwrap_or_default();
    let filter = OrganisationFilter {
        customs_code: Some(own.clone()),
        ..Default::default()
    };
    let org = registry::list_organisations(store, actor, filter)
        .await
        .map_err(|e| ctx.fail(e))?
        .into_iter()
        .next()
        .ok_or_else(|| {
            ctx.fail(Error::NotFound {
                what: "organisation",
                key: own.clone(),
            })
        })?;
    let duties = duties(ctx.lang.texts(), org.roles.iter());
    let live_tokens = tokens::list(store, actor, Some(&own))
        .await
        .map_err(|e| ctx.fail(e))?
        .iter()
        .filter(|t| t.revoked_at.is_none())
        .count();
    let registry = if actor.scope(Action::ListOrganisations) == Some(Scope::All) {
        registry::count_by_role(store, actor)
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .map(|(role, active, suspended)| RoleCount {
                role: role.as_str(),
                label: ctx.lang.role(role),
                active,
                suspended,
            })
            .collect()
    } else {
        Vec::new()
    };
    let recent = if actor.may(Action::ReadAudit, &own).is_ok() {
        let query = AuditQuery {
            limit: Some(10),
            ..Default::default()
        };
        audit_trail::read(store, actor, &query)
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .map(|e| AuditRow::new(&ctx, e))
            .collect()
    } else {
        Vec::new()
    };
    let t = ctx.lang.texts();
    let filing_status = kuajing_registry::filing::own_enterprise_filing(store, actor)
        .await
        .map_err(|e| ctx.fail(e))?
        .map(|f| crate::portal::filings::status_label(t, f.status.as_str()));
    let awaiting = if actor.roles.has_agency_role() {
        let query = kuajing_registry::filing::ListQuery {
            awaiting_me: true,
            limit: 500,
            ..Default::default()
        };
        Some(
            kuajing_registry::filing::list(store, actor, &query)
                .await
                .map_err(|e| ctx.fail(e))?
                .total,
        )
    } else {
        None
    };
    let mut goods = Vec::new();
    for status in kuajing_core::filing::FilingStatus::ALL {
        let query = kuajing_registry::filing::ListQuery {
            kind: Some(kuajing_core::filing::FilingKind::Commodity),
            status: Some(status),
            mine: true,
            limit: 1,
            ..Default::default()
        };
        let total = kuajing_registry::filing::list(store, actor, &query)
            .await
            .map_err(|e| ctx.fail(e))?
            .total;
        if total > 0 {
            goods.push((
                crate::portal::filings::status_label(t, status.as_str()).0,
                total,
            ));
        }
    }
    let clearance = clearance_chart(&state, &ctx).await?;
    let officer_queue = overview::officer_queue_count(store, actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let open_findings = if actor.scope(Action::ReadBooks).is_some() {
        let query = FindingQuery {
            state: Some("open".to_owned()),
            ems_no: None,
        };
        Some(
            reconciliation::findings(store, actor, &query)
                .await
                .map_err(|e| ctx.fail(e))?
                .len(),
        )
    } else {
        None
    };
    let page = HomePage {
        clearance,
        officer_queue,
        open_findings,
        filing_status,
        awaiting,
        goods,
        page: ctx.page(Section::Home),
        org: OrgFacts::new(&ctx, org),
        duties,
        live_tokens,
        registry,
        recent,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The lists decided in each of the last [`CHART_DAYS`] days, drawn as
/// stacked bars (released, refused, sent to an officer), if the reader
/// declares lists or reads them all.
async fn clearance_chart(
    state: &AppState,
    ctx: &Ctx,
) -> Result<Option<ClearanceChart>, PortalError> {
    let actor = ctx.member()?;
    let days = overview::decisions_by_day(state.store(), actor, CHART_DAYS)
        .await
        .map_err(|e| ctx.fail(e))?;
    if days.is_empty() {
        return Ok(None);
    }
    let t = ctx.lang.texts();
    let series = [
        Series {
            name: t.chart_released,
            colour: "#1d6b3a",
        },
        Series {
            name: t.chart_to_officer,
            colour: "#8a5300",
        },
        Series {
            name: t.chart_refused,
            colour: "#a61b22",
        },
    ];
    let bars: Vec<(String, Vec<i64>)> = days
        .iter()
        .map(|d| {
            (
                d.day.get(5..).unwrap_or(&d.day).to_owned(),
                vec![d.released, d.to_officer, d.refused],
            )
        })
        .collect();
    let chart = StackedBars {
        title: t.chart_lists_title,
        description: t.chart_lists_description,
        series: &series,
        bars: &bars,
    };
    Ok(Some(ClearanceChart {
        svg: chart.svg("lists-by-day"),
        days,
    }))
}

/// What an organisation with these roles does on the platform (DESIGN.md,
/// "Who uses it"), one line per duty.
fn duties(t: &'static Texts, roles: impl Iterator<Item = Role>) -> Vec<&'static str> {
    let mut lines: Vec<&'static str> = Vec::new();
    for role in roles {
        let line = match role {
            Role::Ebp => t.role_duty_ebp,
            Role::Ebc => t.role_duty_ebc,
            Role::Payment => t.role_duty_payment,
            Role::Logistics => t.role_duty_logistics,
            Role::Declarer => t.role_duty_declarer,
            Role::Warehouse => t.role_duty_warehouse,
            Role::BorderTrader => t.role_duty_border_trader,
            Role::ZoneAdmin => t.role_duty_zone_admin,
            r if r.kind() == RoleKind::Agency => t.role_duty_agency,
            _ => continue,
        };
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines
}
