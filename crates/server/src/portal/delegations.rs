//! Delegated declaration in the portal (委托申报, issue #14): an
//! enterprise names who may declare its documents and revokes it (after a
//! confirmation), and sees who delegated to it; customs reads every
//! delegation. The same use cases as `/api/delegations`
//! (`kuajing_registry::delegations`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kuajing_core::access::Action;
use kuajing_core::delegation::Scope;
use kuajing_core::timestamp::Timestamp;

use crate::error::Error;
use crate::extract::FormBody;
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::i18n::Lang;
use crate::state::AppState;
use kuajing_registry::delegations::{self, DelegationInput, DelegationQuery, DelegationView};

#[derive(Template)]
#[template(path = "delegations.html")]
struct DelegationsPage {
    page: Page,
    /// The scopes the viewer may grant (value, label); empty: no form.
    grantable: Vec<(&'static str, &'static str)>,
    /// Granted by the viewer, granted to it, and (customs) the others'.
    groups: Vec<Group>,
    done: Option<String>,
    error: Option<String>,
}

/// One table of the page.
struct Group {
    heading: &'static str,
    id: &'static str,
    rows: Vec<Row>,
    /// Shown even when empty.
    always: bool,
}

/// A delegation as the page shows it.
struct Row {
    d: DelegationView,
    scope_label: &'static str,
    granted_at: String,
    revoked_at: Option<String>,
    revocable: bool,
}

/// `GET /delegations`.
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PortalError> {
    delegations_page(&state, &ctx, StatusCode::OK, None, None).await
}

/// `POST /delegations`: the enterprise grants the scopes ticked.
pub async fn grant(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = DelegationInput {
        agent_code: form.text("agent_code").to_owned(),
        scopes: form.all("scopes"),
        valid_through: form.get("valid_through").map(str::to_owned),
        note: form.text("note").to_owned(),
    };
    let t = ctx.lang.texts();
    let done = delegations::grant(state.store(), actor, &input)
        .await
        .map(|granted| format!("{} {}", t.delegation_granted, granted.len()));
    after_form(&state, &ctx, done).await
}

/// `POST /delegations/{id}/revoke`: the enterprise revokes one (the page
/// asked it to confirm first).
pub async fn revoke(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let t = ctx.lang.texts();
    let done = delegations::revoke(state.store(), actor, id)
        .await
        .map(|d| {
            format!(
                "{} {} · {}",
                t.delegation_revoked,
                d.agent_code,
                scope_label(ctx.lang, &d.scope)
            )
        });
    after_form(&state, &ctx, done).await
}

async fn after_form(
    state: &AppState,
    ctx: &Ctx,
    done: Result<String, Error>,
) -> Result<Response, PortalError> {
    let (status, done, error) = ctx.after_form(done)?;
    delegations_page(state, ctx, status, done, error).await
}

async fn delegations_page(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    done: Option<String>,
    error: Option<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let query = DelegationQuery {
        include_revoked: Some(true),
        limit: Some(delegations::MAX_DELEGATIONS),
        ..DelegationQuery::default()
    };
    let found = delegations::list(state.store(), actor, &query)
        .await
        .map_err(|e| ctx.fail(e))?;
    let own = actor.organisation_code.as_deref().unwrap_or_default();
    let delegates = !own.is_empty() && actor.may(Action::Delegate, own).is_ok();
    let row = |d: DelegationView| Row {
        scope_label: scope_label(ctx.lang, &d.scope),
        granted_at: local(ctx, &d.granted_at),
        revoked_at: d.revoked_at.as_deref().map(|at| local(ctx, at)),
        revocable: delegates && d.principal_code == own && d.revoked_at.is_none(),
        d,
    };
    let (mut granted, mut received, mut others) = (Vec::new(), Vec::new(), Vec::new());
    for d in found {
        if d.principal_code == own {
            granted.push(row(d));
        } else if d.agent_code == own {
            received.push(row(d));
        } else {
            others.push(row(d));
        }
    }
    let grantable = if delegates {
        Scope::ALL
            .into_iter()
            .filter(|s| s.delegable_by(actor.roles))
            .map(|s| (s.as_str(), scope_label(ctx.lang, s.as_str())))
            .collect()
    } else {
        Vec::new()
    };
    let t = ctx.lang.texts();
    let groups = vec![
        Group {
            heading: t.delegations_granted,
            id: "granted",
            rows: granted,
            always: true,
        },
        Group {
            heading: t.delegations_received,
            id: "received",
            rows: received,
            always: true,
        },
        Group {
            heading: t.delegations_others,
            id: "others",
            rows: others,
            always: false,
        },
    ];
    let page = DelegationsPage {
        page: ctx.page(Section::Delegations),
        grantable,
        groups,
        done,
        error,
    };
    Ok(render(status, &page))
}

/// A stored UTC time in the zone's local time, with the zone named.
fn local(ctx: &Ctx, at: &str) -> String {
    at.parse::<Timestamp>()
        .map(|at| {
            format!(
                "{} {}",
                ctx.local_time(at),
                ctx.lang.texts().china_time_zone
            )
        })
        .unwrap_or_else(|_| at.to_owned())
}

/// A scope's name in the reader's language.
fn scope_label(lang: Lang, scope: &str) -> &'static str {
    let Ok(scope) = scope.parse::<Scope>() else {
        return "";
    };
    match lang {
        Lang::ZhCn => scope.label_zh(),
        Lang::En => scope.label_en(),
        Lang::Ru => scope.label_ru(),
    }
}
