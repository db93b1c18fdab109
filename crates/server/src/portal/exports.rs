//! Exports in the portal (出口, issue #7): the exporter's export lists
//! (mode, country, status, released, arrived, departed, master bill) and
//! the manifests that moved them; customs sees every enterprise's. The
//! same views as `/api/exports` (`kuajing_export::views`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kuajing_core::access::{Action, Scope};

use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::glossary;
use crate::portal::i18n::Texts;
use crate::state::AppState;
use kuajing_export::return_views::{self as export_returns, ExportReturnView};
use kuajing_export::views::{self as exports, ExportListView, ExportsQuery, ManifestView};

#[derive(Template)]
#[template(path = "exports.html")]
struct ExportsPage {
    page: Page,
    officer: bool,
    /// The related pages this reader may open (the same rules as the menu).
    related: Vec<(&'static str, &'static str)>,
    lists: Vec<ListRow>,
    manifests: Vec<ManifestRow>,
    statuses: Vec<Choice>,
    counts: Vec<(&'static str, usize)>,
    returns: Vec<ReturnRow>,
}

/// An export return (出口退货) as a table row.
struct ReturnRow {
    view: ExportReturnView,
    state: &'static str,
    tax: &'static str,
    lines: String,
    requested: String,
}

/// A list as a table row.
struct ListRow {
    view: ExportListView,
    mode: &'static str,
    status_name: &'static str,
    /// The status's code, if it is one of the specification's.
    status_code: String,
    released: String,
    way_out: &'static str,
}

/// A manifest as a table row.
struct ManifestRow {
    view: ManifestView,
    kind: &'static str,
    received: String,
}

/// An option of the status filter.
struct Choice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

/// `GET /exports`: the export lists (filtered by status) and manifests.
pub async fn overview(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ExportsQuery>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let t = ctx.lang.texts();
    let views = exports::list_exports(state.store(), actor, &query)
        .await
        .map_err(|e| ctx.fail(e))?;
    let manifests = exports::list_manifests(state.store(), actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let local = |text: &str| ctx.local_text(text);
    let lists: Vec<ListRow> = views
        .into_iter()
        .map(|view| ListRow {
            mode: mode_label(t, &view.trade_mode),
            status_name: glossary::status_name(ctx.lang, &view.status),
            status_code: glossary::status_code(&view.status),
            released: view.released_at.as_deref().map(local).unwrap_or_default(),
            way_out: way_out(t, &view),
            view,
        })
        .collect();
    let counts = [
        (t.export_released, "released"),
        (t.export_exited, "exited"),
        (t.export_refused, "100"),
    ]
    .into_iter()
    .map(|(label, which)| {
        let n = lists
            .iter()
            .filter(|l| match which {
                "released" => l.view.status == "800",
                other => l.view.status == other,
            })
            .count();
        (label, n)
    })
    .collect();
    let selected = query.status.as_deref().unwrap_or("");
    let statuses = [
        ("released", t.export_released_or_exited),
        ("800", t.export_released),
        ("exited", t.export_exited),
        ("2", t.export_waiting),
        ("100", t.export_refused),
        ("cancelled", t.export_cancelled),
    ]
    .into_iter()
    .map(|(value, label)| Choice {
        value,
        label,
        selected: value == selected,
    })
    .collect();
    let page = ExportsPage {
        page: ctx.page(Section::Exports),
        officer: actor.scope(Action::ReadClearance) == Some(Scope::All),
        related: ctx
            .page(Section::Exports)
            .nav
            .iter()
            .filter(|item| {
                [
                    "/exports/summaries",
                    "/overseas-warehouses",
                    "/purchase-records",
                ]
                .contains(&item.href)
            })
            .map(|item| (item.href, item.label))
            .collect(),
        lists,
        manifests: manifests
            .into_iter()
            .map(|view| ManifestRow {
                kind: manifest_label(t, &view.kind),
                received: local(&view.received_at),
                view,
            })
            .collect(),
        statuses,
        counts,
        returns: export_returns::list_returns(state.store(), actor)
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .map(|view| ReturnRow {
                state: if view.state == "tallied" {
                    t.export_return_tallied
                } else {
                    t.export_return_requested
                },
                tax: if view.tax == "exempt" {
                    t.export_return_exempt
                } else {
                    t.export_return_taxable
                },
                lines: view
                    .lines
                    .iter()
                    .map(|l| format!("{} {} {} × {}", l.gnum, l.gcode, l.gname, l.qty))
                    .collect::<Vec<_>>()
                    .join("; "),
                requested: local(&view.requested_at),
                view,
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// The mode's name.
fn mode_label(t: &Texts, trade_mode: &str) -> &'static str {
    match trade_mode {
        "9610" => t.export_mode_retail,
        "9710" => t.export_mode_b2b,
        "9810" => t.export_mode_overseas,
        _ => t.export_mode_other,
    }
}

/// Where the list's goods are on their way out.
fn way_out(t: &Texts, view: &ExportListView) -> &'static str {
    match (view.arrived, view.left_at.is_some()) {
        (true, true) => t.export_departed,
        (true, false) => t.export_arrived,
        (false, true) => t.export_departed_not_arrived,
        (false, false) => t.export_not_arrived,
    }
}

/// The manifest kind's name.
fn manifest_label(t: &Texts, kind: &str) -> &'static str {
    match kind {
        "arrival" => t.export_manifest_arrival,
        "departure" => t.export_manifest_departure,
        _ => t.export_manifest_bill,
    }
}
