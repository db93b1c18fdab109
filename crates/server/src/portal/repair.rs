//! The repair desk (维修台, issue #6): bonded after-sales repair (保税维修)
//! in the portal. The desk shows the repair account book's totals and the
//! orders (by state and origin), with the form that opens an order for the
//! warehouse; an order's page shows its ledger, materials and scrap with
//! the forms that record each step for its keeper. Customs reads every
//! enterprise's desk. The same use cases as `/api/repair`
//! (`kuajing_bonded::repair`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kuajing_core::access::Action;
use kuajing_store::repair::{MovementKind, OrderState, Origin};
use serde::Deserialize;

use crate::error::{Error, HttpError};
use crate::extract::FormBody;
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::i18n::Texts;
use crate::state::AppState;
use kuajing_bonded::repair::{
    self, BookView, MaterialInput, MovementInput, OrderInput, OrderQuery, OrderView, ScrapInput,
};

#[derive(Template)]
#[template(path = "repair.html")]
struct DeskPage {
    page: Page,
    book: BookView,
    orders: Vec<OrderView>,
    keeper: bool,
    states: Vec<Choice>,
    origins: Vec<Choice>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "repair_order.html")]
struct OrderPage {
    page: Page,
    order: OrderView,
    origin_label: &'static str,
    keeper: bool,
    kinds: Vec<(&'static str, &'static str)>,
    recorded: Option<String>,
    error: Option<String>,
}

/// An option of a filter or a form.
struct Choice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

/// The desk's filters, as the filter form sends them (empty for all).
#[derive(Debug, Default, Deserialize)]
pub struct DeskQuery {
    state: Option<String>,
    origin: Option<String>,
}

/// `GET /repair`: the book's totals and the orders the filter selects.
pub async fn desk(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<DeskQuery>,
) -> Result<Response, PortalError> {
    desk_page(&state, &ctx, query, StatusCode::OK, None).await
}

/// `POST /repair/orders`: the warehouse opens an order; on success its
/// page, otherwise the desk again with the refusal.
pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = OrderInput {
        origin: form.text("origin").to_owned(),
        customer_name: form.text("customer_name").to_owned(),
        goods_name: form.text("goods_name").to_owned(),
        hs_code: form.text("hs_code").to_owned(),
        unit: form.text("unit").to_owned(),
        quantity: form.text("quantity").to_owned(),
        currency: form.text("currency").to_owned(),
        declared_value: form.text("declared_value").to_owned(),
        received_on: form.text("received_on").to_owned(),
        reference: form.text("reference").to_owned(),
    };
    match repair::open_order(state.store(), actor, &input).await {
        Ok(order) => Ok(Redirect::to(&format!("/repair/{}", order.order_no)).into_response()),
        Err(e) if e.is_correctable() => {
            let message = ctx.message(&e);
            let query = DeskQuery::default();
            desk_page(&state, &ctx, query, e.status(), Some(message)).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `GET /repair/{order_no}`: an order, its ledger, materials and scrap.
pub async fn order(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(order_no): Path<String>,
) -> Result<Response, PortalError> {
    order_page(&state, &ctx, &order_no, StatusCode::OK, None, None).await
}

/// `POST /repair/{order_no}/movements`: the keeper records a step.
pub async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(order_no): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = MovementInput {
        kind: form.text("kind").to_owned(),
        quantity: form.text("quantity").to_owned(),
        reference: form.text("reference").to_owned(),
        note: form.text("note").to_owned(),
    };
    let done = repair::record_movement(state.store(), actor, &order_no, &input)
        .await
        .map(|m| {
            let t = ctx.lang.texts();
            format!(
                "{} {} {}",
                t.bonded_recorded,
                kind_label(t, &m.kind),
                m.quantity
            )
        });
    after_form(&state, &ctx, &order_no, done).await
}

/// `POST /repair/{order_no}/materials`: the keeper records materials used.
pub async fn use_material(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(order_no): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = MaterialInput {
        name: form.text("name").to_owned(),
        hs_code: form.text("hs_code").to_owned(),
        unit: form.text("unit").to_owned(),
        quantity: form.text("quantity").to_owned(),
    };
    let done = repair::use_material(state.store(), actor, &order_no, &input)
        .await
        .map(|m| {
            let t = ctx.lang.texts();
            format!("{} {} {} {}", t.bonded_recorded, m.name, m.quantity, m.unit)
        });
    after_form(&state, &ctx, &order_no, done).await
}

/// `POST /repair/{order_no}/scrap`: the keeper records scrap that left as
/// solid waste.
pub async fn record_scrap(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(order_no): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = ScrapInput {
        description: form.text("description").to_owned(),
        weight_kg: form.text("weight_kg").to_owned(),
        disposal_enterprise: form.text("disposal_enterprise").to_owned(),
        disposal_record_no: form.text("disposal_record_no").to_owned(),
    };
    let done = repair::record_scrap(state.store(), actor, &order_no, &input)
        .await
        .map(|s| {
            let t = ctx.lang.texts();
            format!("{} {} {} kg", t.bonded_recorded, s.description, s.weight_kg)
        });
    after_form(&state, &ctx, &order_no, done).await
}

/// The order's page after a form: with what was recorded, or with the
/// refusal (the form's status) when the person can put it right.
async fn after_form(
    state: &AppState,
    ctx: &Ctx,
    order_no: &str,
    done: Result<String, Error>,
) -> Result<Response, PortalError> {
    let (status, done, error) = ctx.after_form(done)?;
    order_page(state, ctx, order_no, status, done, error).await
}

async fn desk_page(
    state: &AppState,
    ctx: &Ctx,
    query: DeskQuery,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let wanted = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let query = OrderQuery {
        state: wanted(query.state),
        origin: wanted(query.origin),
        limit: Some(repair::MAX_ORDERS),
    };
    let book = repair::read_book(state.store(), actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut orders = repair::list_orders(state.store(), actor, &query)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.lang.texts();
    for order in &mut orders {
        order.origin = origin_label(t, &order.origin).to_owned();
    }
    let states = OrderState::ALL
        .into_iter()
        .map(|s| choice(s.as_str(), state_label(t, s), query.state.as_deref()))
        .collect();
    let origins = [Origin::Abroad, Origin::Domestic]
        .into_iter()
        .map(|o| {
            choice(
                o.as_str(),
                origin_label(t, o.as_str()),
                query.origin.as_deref(),
            )
        })
        .collect();
    let page = DeskPage {
        page: ctx.page(Section::Repair),
        book,
        orders,
        keeper: actor.scope(Action::KeepBooks).is_some(),
        states,
        origins,
        error,
    };
    Ok(render(status, &page))
}

async fn order_page(
    state: &AppState,
    ctx: &Ctx,
    order_no: &str,
    status: StatusCode,
    recorded: Option<String>,
    error: Option<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let mut order = repair::read_order(state.store(), actor, order_no)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.lang.texts();
    for m in &mut order.movements {
        m.kind = kind_label(t, &m.kind).to_owned();
    }
    let kinds = [
        MovementKind::Repaired,
        MovementKind::Unrepairable,
        MovementKind::ShippedRepaired,
        MovementKind::ShippedUnrepairable,
    ]
    .into_iter()
    .map(|k| (k.as_str(), kind_label(t, k.as_str())))
    .collect();
    let page = OrderPage {
        page: ctx.page(Section::Repair),
        origin_label: origin_label(t, &order.origin),
        keeper: repair::keeps(actor, &order),
        order,
        kinds,
        recorded,
        error,
    };
    Ok(render(status, &page))
}

fn choice(value: &'static str, label: &'static str, current: Option<&str>) -> Choice {
    Choice {
        value,
        label,
        selected: current == Some(value),
    }
}

/// A movement kind's name in the page's language.
fn kind_label(t: &Texts, kind: &str) -> &'static str {
    match MovementKind::parse(kind) {
        Some(MovementKind::Received) | None => t.repair_kind_received,
        Some(MovementKind::Repaired) => t.repair_kind_repaired,
        Some(MovementKind::Unrepairable) => t.repair_kind_unrepairable,
        Some(MovementKind::ShippedRepaired) => t.repair_kind_shipped_repaired,
        Some(MovementKind::ShippedUnrepairable) => t.repair_kind_shipped_unrepairable,
    }
}

/// An origin's name in the page's language.
fn origin_label(t: &Texts, origin: &str) -> &'static str {
    match Origin::parse(origin) {
        Some(Origin::Abroad) | None => t.repair_origin_abroad,
        Some(Origin::Domestic) => t.repair_origin_domestic,
    }
}

/// A state filter's name in the page's language.
fn state_label(t: &Texts, state: OrderState) -> &'static str {
    match state {
        OrderState::Awaiting => t.repair_awaiting,
        OrderState::Repaired => t.repair_repaired,
        OrderState::Unrepairable => t.repair_unrepairable,
        OrderState::Shipped => t.repair_closed,
    }
}
