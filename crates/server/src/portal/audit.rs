//! The audit trail page (zone administration): filters and pages.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::HttpError;
use crate::extract::ApiQuery;
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::list_tools;
use crate::portal::views::{AuditRow, Choice};
use crate::state::AppState;
use kuajing_registry::audit_trail::{self, AuditQuery};
use kuajing_registry::downloads::Format;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Page,
    filter: FilterValues,
    outcome_options: Vec<Choice>,
    recent: Vec<AuditRow>,
    older_href: Option<String>,
    /// Back to the newest page, when this is an older one.
    newest_href: Option<String>,
    /// The filtered trail as CSV and as XLSX.
    csv_href: String,
    xlsx_href: String,
    error: Option<String>,
}

struct FilterValues {
    organisation: String,
    action: String,
    actor: String,
    from: String,
    to: String,
}

/// Blank form fields mean "no filter".
fn without_blanks(query: &mut AuditQuery) {
    for field in [
        &mut query.organisation,
        &mut query.action,
        &mut query.actor,
        &mut query.outcome,
        &mut query.from,
        &mut query.to,
    ] {
        if field.as_deref().is_some_and(|v| v.trim().is_empty()) {
            *field = None;
        }
    }
}

/// `GET /audit/download/{format}`: the entries the same filters find (up
/// to the most one read returns), as CSV or XLSX, times in China time with
/// the UTC instant beside, actions by name and key.
pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    query: Result<ApiQuery<AuditQuery>, crate::error::WebError>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    // A wrong format is refused before the trail is read.
    Format::parse(&format).map_err(|e| ctx.fail(e))?;
    let ApiQuery(mut query) = query.map_err(|e| ctx.fail(e.0))?;
    without_blanks(&mut query);
    query.limit = Some(query.limit.unwrap_or(audit_trail::MAX_LIMIT));
    let entries = audit_trail::read(state.store(), actor, &query)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.lang.texts();
    let columns = [
        t.time,
        "UTC",
        t.actor,
        t.organisation,
        t.action,
        t.action,
        t.target,
        t.outcome,
        t.ip_address,
    ];
    let body: Vec<Vec<String>> = entries
        .into_iter()
        .map(|e| {
            let row = AuditRow::new(&ctx, e);
            vec![
                format!("{} {}", row.at_local, t.china_time_zone),
                row.at,
                row.actor,
                row.organisation,
                row.action_label,
                row.action,
                row.target,
                row.outcome_label.to_owned(),
                row.ip,
            ]
        })
        .collect();
    list_tools::download(&ctx, &format, "audit", &columns, &body)
}

/// One page of the trail, newest first.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<ApiQuery<AuditQuery>, crate::error::WebError>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let ApiQuery(mut query) = query.map_err(|e| ctx.fail(e.0))?;
    without_blanks(&mut query);
    let t = ctx.lang.texts();
    let (status, entries, error) = match audit_trail::read(state.store(), actor, &query).await {
        Ok(entries) => (StatusCode::OK, entries, None),
        Err(e) if e.is_correctable() => (e.status(), Vec::new(), Some(ctx.message(&e))),
        Err(e) => return Err(ctx.fail(e)),
    };
    let limit = query.limit.unwrap_or(audit_trail::DEFAULT_LIMIT);
    let older_href = (entries.len() as i64 == limit)
        .then(|| entries.last().map(|e| e.seq))
        .flatten()
        .map(|before| older_link(&query, before));
    let outcome = query.outcome.as_deref().unwrap_or("");
    let page = AuditPage {
        filter: FilterValues {
            organisation: query.organisation.clone().unwrap_or_default(),
            action: query.action.clone().unwrap_or_default(),
            actor: query.actor.clone().unwrap_or_default(),
            from: query.from.clone().unwrap_or_default(),
            to: query.to.clone().unwrap_or_default(),
        },
        outcome_options: [
            ("success", t.outcome_success),
            ("denied", t.outcome_denied),
            ("failed", t.outcome_failed),
        ]
        .into_iter()
        .map(|(value, label)| Choice {
            value,
            label,
            selected: value == outcome,
        })
        .collect(),
        recent: entries
            .into_iter()
            .map(|e| AuditRow::new(&ctx, e))
            .collect(),
        older_href,
        newest_href: query
            .before
            .is_some()
            .then(|| filters_link("/audit", &query)),
        csv_href: filters_link("/audit/download/csv", &query),
        xlsx_href: filters_link("/audit/download/xlsx", &query),
        error,
        page: ctx.page(Section::Audit),
    };
    Ok(render(status, &page))
}

/// The same filters, one page further back.
fn older_link(query: &AuditQuery, before: i64) -> String {
    let link = filters_link("/audit", query);
    let separator = if link.contains('?') { '&' } else { '?' };
    format!("{link}{separator}before={before}")
}

/// `path` with the query's filters and page size (not its page).
fn filters_link(path: &str, query: &AuditQuery) -> String {
    let mut link = form_urlencoded::Serializer::new(String::new());
    let fields = [
        ("organisation", &query.organisation),
        ("action", &query.action),
        ("outcome", &query.outcome),
        ("actor", &query.actor),
        ("from", &query.from),
        ("to", &query.to),
    ];
    for (name, value) in fields {
        if let Some(value) = value {
            link.append_pair(name, value);
        }
    }
    if let Some(limit) = query.limit {
        link.append_pair("limit", &limit.to_string());
    }
    let query = link.finish();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}
