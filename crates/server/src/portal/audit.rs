//! The audit trail page (zone administration): filters and pages.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::HttpError;
use crate::extract::ApiQuery;
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::views::{AuditRow, Choice};
use crate::state::AppState;
use kuajing_registry::audit_trail::{self, AuditQuery};

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Page,
    filter: FilterValues,
    outcome_options: Vec<Choice>,
    recent: Vec<AuditRow>,
    older_href: Option<String>,
    error: Option<String>,
}

struct FilterValues {
    organisation: String,
    action: String,
    actor: String,
    from: String,
    to: String,
}

/// One page of the trail, newest first.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<ApiQuery<AuditQuery>, crate::error::WebError>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let ApiQuery(mut query) = query.map_err(|e| ctx.fail(e.0))?;
    // Blank form fields mean "no filter".
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
        error,
        page: ctx.page(Section::Audit),
    };
    Ok(render(status, &page))
}

/// The same filters, one page further back.
fn older_link(query: &AuditQuery, before: i64) -> String {
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
    link.append_pair("before", &before.to_string());
    format!("/audit?{}", link.finish())
}
