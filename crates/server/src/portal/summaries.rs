//! `/exports/summaries`: the monthly summary declaration of retail exports
//! (汇总申报, policy-rules.md §2.3). The exporter sees its released lists
//! still to be declared, grouped as they would be declared, with the
//! deadline and a warning when it is within three days or past, the
//! statistics-only lists counted apart, and the applications it filed with
//! their CEB792 results; customs sees every exporter's applications and
//! the months overdue.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kuajing_core::access::{Action, Scope};
use kuajing_core::timestamp::Timestamp;

use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::state::AppState;
use kuajing_export::summaries::{self, DueMonth};

#[derive(Template)]
#[template(path = "summaries.html")]
struct SummariesPage {
    page: Page,
    officer: bool,
    due: Vec<DueMonth>,
    overdue: bool,
    due_soon: bool,
    filed: Vec<FiledRow>,
}

struct FiledRow {
    sender: String,
    sum_no: String,
    cop_no: String,
    ebc_code: String,
    period: String,
    filed_at: String,
    declarations: Vec<DeclarationRow>,
}

struct DeclarationRow {
    decl_seq_no: String,
    head: String,
    dec_state: String,
    lists: i64,
    lines: i64,
    weights: String,
}

/// `/exports/summaries`: what is due and what was filed.
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let officer = actor.scope(Action::ReadClearance) == Some(Scope::All);
    let now = Timestamp::now();
    let mut due = summaries::due(state.store(), actor, now)
        .await
        .map_err(|e| ctx.fail(e))?;
    if officer {
        // Customs follows the months past their deadline.
        due.retain(|m| m.overdue);
    }
    let overdue = due.iter().any(|m| m.overdue);
    let due_soon = due.iter().any(|m| m.due_soon);
    let filed = summaries::filed(state.store(), actor, 200)
        .await
        .map_err(|e| ctx.fail(e))?
        .into_iter()
        .map(|s| FiledRow {
            period: format!(
                "{} – {}",
                ctx.local_time(s.period_start),
                ctx.local_time(s.period_end)
            ),
            filed_at: ctx.local_time(s.created_at),
            sender: s.sender_code,
            sum_no: s.sum_no,
            cop_no: s.cop_no,
            ebc_code: s.ebc_code,
            declarations: s
                .declarations
                .into_iter()
                .map(|d| DeclarationRow {
                    head: [
                        d.consignor,
                        d.transport_mode,
                        d.producer,
                        d.arrival_country,
                        d.exit_customs,
                    ]
                    .join(" · "),
                    weights: format!("{} / {}", d.gross_weight, d.net_weight),
                    decl_seq_no: d.decl_seq_no,
                    dec_state: d.dec_state,
                    lists: d.lists,
                    lines: d.lines,
                })
                .collect(),
        })
        .collect();
    let page = SummariesPage {
        page: ctx.page(Section::Summaries),
        officer,
        due,
        overdue,
        due_soon,
        filed,
    };
    Ok(render(StatusCode::OK, &page))
}
