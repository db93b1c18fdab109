//! The help page (帮助): how the clearance of a parcel runs, what each
//! status means, and the glossary of the fields and codes the pages and the
//! customs messages use, in the reader's language with the Chinese term
//! beside — open to everyone, signed in or not.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::glossary::{self, GlossaryEntry};

#[derive(Template)]
#[template(path = "help.html")]
struct HelpPage {
    page: Page,
    /// Whether the reader's language is Chinese (else the Chinese term has
    /// its own column).
    chinese: bool,
    statuses: Vec<StatusRow>,
    fields: Vec<GlossaryEntry>,
    codes: Vec<(&'static str, &'static str, &'static str, &'static str)>,
}

struct StatusRow {
    code: &'static str,
    chinese: &'static str,
    name: &'static str,
}

/// `GET /help`.
pub async fn page(ctx: Ctx) -> Result<Response, PortalError> {
    let lang = ctx.lang;
    let page = HelpPage {
        page: ctx.page(Section::Help),
        chinese: lang == crate::portal::i18n::Lang::ZhCn,
        statuses: glossary::STATUS_CODES
            .iter()
            .map(|&code| StatusRow {
                code,
                chinese: glossary::status_name(crate::portal::i18n::Lang::ZhCn, code),
                name: glossary::status_name(lang, code),
            })
            .collect(),
        fields: glossary::all_fields(lang),
        codes: glossary::all_codes(lang),
    };
    Ok(render(StatusCode::OK, &page))
}
