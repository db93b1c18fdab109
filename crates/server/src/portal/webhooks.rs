//! The subscriptions page: subscribe a URL (the signing secret shown once),
//! pause and resume, see deliveries and replay them.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::error::HttpError;
use crate::extract::FormBody;
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::state::AppState;
use kuajing_registry::webhooks;

#[derive(Template)]
#[template(path = "webhooks.html")]
struct WebhooksPage {
    page: Page,
    new_secret: Option<String>,
    error: Option<String>,
    subscriptions: Vec<SubscriptionRow>,
}

struct SubscriptionRow {
    id: String,
    url: String,
    topics: String,
    organisation: String,
    active: bool,
    deliveries: Vec<DeliveryRow>,
}

struct DeliveryRow {
    id: String,
    outbox_seq: i64,
    status: String,
    class: &'static str,
    attempts: i64,
    last_error: String,
    replayable: bool,
}

/// The page.
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PortalError> {
    render_page(&state, &ctx, StatusCode::OK, None, None).await
}

async fn render_page(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    new_secret: Option<String>,
    error: Option<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let list = webhooks::list(state.store(), actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut subscriptions = Vec::new();
    for sub in list {
        let deliveries = webhooks::deliveries(state.store(), actor, &sub.id, 20)
            .await
            .map_err(|e| ctx.fail(e))?;
        subscriptions.push(SubscriptionRow {
            deliveries: deliveries
                .into_iter()
                .map(|d| DeliveryRow {
                    class: match d.status.as_str() {
                        "delivered" => "tag-ok",
                        "dead" => "tag-bad",
                        _ => "tag-warn",
                    },
                    replayable: matches!(d.status.as_str(), "delivered" | "dead"),
                    id: d.id,
                    outbox_seq: d.outbox_seq,
                    status: d.status,
                    attempts: d.attempts,
                    last_error: d.last_error.unwrap_or_default(),
                })
                .collect(),
            id: sub.id,
            url: sub.url,
            topics: sub.topics.join(", "),
            organisation: sub.organisation,
            active: sub.active,
        });
    }
    let page = WebhooksPage {
        page: ctx.page(Section::Webhooks),
        new_secret,
        error,
        subscriptions,
    };
    Ok(render(status, &page))
}

/// Subscribes from the form; shows the secret once.
pub async fn subscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let settings = &state.config().webhooks;
    match webhooks::subscribe(
        state.store(),
        settings,
        actor,
        form.text("url"),
        &form.all("topics"),
    )
    .await
    {
        Ok((_, secret)) => render_page(&state, &ctx, StatusCode::CREATED, Some(secret), None).await,
        Err(e) if e.is_correctable() => {
            let message = ctx.message(&e);
            render_page(&state, &ctx, e.status(), None, Some(message)).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// Pauses or resumes.
pub async fn toggle(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let active = match action.as_str() {
        "resume" => true,
        "pause" => false,
        _ => {
            return Err(ctx.fail(crate::error::Error::NotFound {
                what: "page",
                key: action,
            }));
        }
    };
    webhooks::set_active(state.store(), actor, &id, active)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to("/webhooks").into_response())
}

/// Replays a delivery.
pub async fn replay(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    webhooks::replay(state.store(), actor, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to("/webhooks").into_response())
}
