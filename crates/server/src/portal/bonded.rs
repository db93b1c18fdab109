//! The bonded e-account book pages (电子账册, issue #6): the books a
//! warehouse keeps (every book, for customs), and one book's stock lines
//! and ledger, with the movement form for its keeper. The same use cases
//! as `/api/ems/books` (`crate::bonded`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kuajing_core::access::Action;
use kuajing_store::ems_books::MovementKind;
use serde::Deserialize;

use crate::bonded::{self, BookView, MovementInput, MovementView};
use crate::extract::FormBody;
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::i18n::Texts;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "bonded.html")]
struct BooksPage {
    page: Page,
    books: Vec<BookView>,
}

#[derive(Template)]
#[template(path = "bonded_book.html")]
struct BookPage {
    page: Page,
    book: BookView,
    keeper: bool,
    kinds: Vec<(&'static str, &'static str)>,
    item_no: Option<String>,
    movements: Vec<MovementView>,
    recorded: Option<String>,
    error: Option<String>,
}

/// Which item's ledger to show.
#[derive(Debug, Deserialize)]
pub struct ItemQuery {
    item_no: Option<String>,
}

/// `GET /bonded`: the books the signed-in organisation may read.
pub async fn books(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let books = bonded::list_books(&state, actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let page = ctx.page(Section::Bonded);
    Ok(render(StatusCode::OK, &BooksPage { page, books }))
}

/// `GET /bonded/{ems_no}`: a book's stock lines and its latest movements
/// (of one item with `?item_no=`).
pub async fn book(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ems_no): Path<String>,
    Query(query): Query<ItemQuery>,
) -> Result<Response, PortalError> {
    let item = query.item_no.filter(|i| !i.trim().is_empty());
    book_page(&state, &ctx, &ems_no, item, StatusCode::OK, None, None).await
}

/// `POST /bonded/{ems_no}/movements`: the keeper records a movement.
pub async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ems_no): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let approved_by = Some(form.text("approved_by").to_owned()).filter(|a| !a.trim().is_empty());
    let input = MovementInput {
        item_no: form.text("item_no").to_owned(),
        kind: form.text("kind").to_owned(),
        quantity: form.text("quantity").to_owned(),
        unit: form.text("unit").to_owned(),
        reference: form.text("reference").to_owned(),
        reason: form.text("reason").to_owned(),
        approved_by,
        purpose: Some(form.text("purpose").to_owned()),
    };
    match bonded::record_movement(&state, actor, &ems_no, &input).await {
        Ok(m) => {
            let t = ctx.lang.texts();
            let done = format!(
                "{} {} {} {}",
                t.bonded_recorded,
                m.item_no,
                kind_label(t, &m.kind),
                m.quantity
            );
            book_page(
                &state,
                &ctx,
                &ems_no,
                None,
                StatusCode::OK,
                Some(done),
                None,
            )
            .await
        }
        Err(e) if e.is_correctable() => {
            let message = ctx.message(&e);
            book_page(&state, &ctx, &ems_no, None, e.status(), None, Some(message)).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

async fn book_page(
    state: &AppState,
    ctx: &Ctx,
    ems_no: &str,
    item_no: Option<String>,
    status: StatusCode,
    recorded: Option<String>,
    error: Option<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let (book, mut movements) =
        bonded::read_book_with_latest(state, actor, ems_no, item_no.as_deref(), 100)
            .await
            .map_err(|e| ctx.fail(e))?;
    let t = ctx.lang.texts();
    for m in &mut movements {
        m.kind = kind_label(t, &m.kind).to_owned();
    }
    let keeper = actor.may(Action::KeepBooks, &book.owner_code).is_ok();
    let kinds = [
        MovementKind::FirstLineIn,
        MovementKind::GoodsOut,
        MovementKind::ReturnIn,
        MovementKind::Adjustment,
    ]
    .into_iter()
    .map(|k| (k.as_str(), kind_label(t, k.as_str())))
    .collect();
    let page = BookPage {
        page: ctx.page(Section::Bonded),
        book,
        keeper,
        kinds,
        item_no,
        movements,
        recorded,
        error,
    };
    Ok(render(status, &page))
}

/// A movement kind's name in the page's language.
fn kind_label(t: &Texts, kind: &str) -> &'static str {
    match MovementKind::parse(kind) {
        Some(MovementKind::FirstLineIn) => t.kind_first_line_in,
        Some(MovementKind::GoodsOut) => t.kind_goods_out,
        Some(MovementKind::ReturnIn) => t.kind_return_in,
        Some(MovementKind::Adjustment) => t.kind_adjustment,
        Some(MovementKind::RetailOut) | None => t.kind_retail_out,
    }
}
