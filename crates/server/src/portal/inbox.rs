//! The inbox page (待办): what waits for the signed-in organisation, each
//! kind with its count and the page where it is dealt with.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::inbox_counts::{self, Waiting};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    page: Page,
    items: Vec<Item>,
}

struct Item {
    label: &'static str,
    count: i64,
    href: &'static str,
}

/// `GET /inbox`.
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let t = ctx.lang.texts();
    let items = inbox_counts::waiting(&state, actor)
        .await
        .map_err(|e| ctx.fail(e))?
        .into_iter()
        .map(|(kind, count)| Item {
            label: match kind {
                Waiting::FilingsToDecide => t.awaiting_my_decision,
                Waiting::FilingsReturned => t.inbox_filings_returned,
                Waiting::ListsForOfficer => t.officer_queue,
                Waiting::OpenFindings => t.open_findings,
            },
            count,
            href: kind.href(),
        })
        .collect();
    let page = InboxPage {
        page: ctx.page(Section::Inbox),
        items,
    };
    Ok(render(StatusCode::OK, &page))
}
