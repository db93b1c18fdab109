//! The reference-data pages: the tariff in force with its sources, the code
//! lists, the versions, and importing a table.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kuajing_core::access::Action;
use kuajing_core::timestamp::Timestamp;
use kuajing_reference::ReferenceKind;
use kuajing_reference::codes::CodeEntry;
use serde::Deserialize;

use crate::api::filings::read_upload;
use crate::error::{Error, HttpError};
use crate::extract::FormBody;
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::glossary;
use crate::portal::i18n::Lang;
use crate::portal::views::Choice;
use crate::state::AppState;
use kuajing_registry::reference_data;

#[derive(Template)]
#[template(path = "reference.html")]
struct ReferencePage {
    page: Page,
    kind: &'static str,
    tab_label: &'static str,
    tabs: Vec<Choice>,
    import_kinds: Vec<Choice>,
    q: String,
    tariff: Vec<TariffRow>,
    codes: Vec<CodeRow>,
    versions: Vec<VersionRow>,
    can_import: bool,
    notice: Option<String>,
    error: Option<String>,
    bad_rows: Vec<BadRow>,
    /// The legal source of the table shown.
    legal_source: &'static str,
    /// Whether the reader's language is Chinese (else the Chinese name has
    /// its own column).
    chinese: bool,
}

struct TariffRow {
    hs_code: String,
    name_zh: String,
    /// The legal unit's name in the reader's language, with its code.
    unit1: String,
    unit2: String,
    vat: String,
    ct: String,
    mfn: String,
    positive: &'static str,
    version_no: i64,
    source: String,
}

struct CodeRow {
    code: String,
    name: String,
    name_zh: String,
    iso: String,
    version_no: i64,
    source: String,
}

struct VersionRow {
    kind: String,
    version_no: i64,
    effective_from: String,
    imported_by: String,
    file_name: String,
    rows_added: i64,
    rows_updated: i64,
    rows_unchanged: i64,
}

struct BadRow {
    line: u64,
    field: String,
    value: String,
    rule: &'static str,
    message: String,
}

/// Which tab.
#[derive(Debug, Deserialize)]
pub struct TabQuery {
    kind: Option<String>,
    q: Option<String>,
}

fn label(ctx: &Ctx, kind: ReferenceKind) -> &'static str {
    match ctx.lang {
        Lang::ZhCn => kind.label_zh(),
        Lang::En => kind.label_en(),
        Lang::Ru => kind.label_ru(),
    }
}

/// The table's legal source in the reader's language.
fn legal_source(ctx: &Ctx, kind: ReferenceKind) -> &'static str {
    let [zh, en, ru] = kind.legal_source();
    match ctx.lang {
        Lang::ZhCn => zh,
        Lang::En => en,
        Lang::Ru => ru,
    }
}

/// A percentage from a stored fraction (`0.13` → `13%`).
fn percent(rate: &str) -> String {
    rate.parse::<rust_decimal::Decimal>()
        .map(|r| format!("{}%", (r * rust_decimal::Decimal::ONE_HUNDRED).normalize()))
        .unwrap_or_else(|_| rate.to_owned())
}

/// The reference pages.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<TabQuery>,
) -> Result<Response, PortalError> {
    ctx.member()?;
    let tab = query.kind.unwrap_or_else(|| "tariff".to_owned());
    render_page(
        &state,
        &ctx,
        &tab,
        query.q.unwrap_or_default(),
        StatusCode::OK,
        None,
        None,
        Vec::new(),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn render_page(
    state: &AppState,
    ctx: &Ctx,
    tab: &str,
    q: String,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    bad_rows: Vec<BadRow>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let t = ctx.lang.texts();
    let kind: &'static str = ReferenceKind::ALL
        .iter()
        .map(|k| k.as_str())
        .chain(["versions"])
        .find(|k| *k == tab)
        .unwrap_or("tariff");
    let now = Timestamp::now();
    let store = state.store();
    let fail = |e: Error| ctx.fail(e);
    let mut page = ReferencePage {
        kind,
        tab_label: t.code_lists,
        tabs: Vec::new(),
        import_kinds: ReferenceKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str(),
                label: label(ctx, *k),
                selected: k.as_str() == kind,
            })
            .collect(),
        q: q.clone(),
        tariff: Vec::new(),
        codes: Vec::new(),
        versions: Vec::new(),
        can_import: actor.scope(Action::ImportReference).is_some(),
        notice,
        error,
        bad_rows,
        legal_source: "",
        chinese: ctx.lang == Lang::ZhCn,
        page: ctx.page(Section::Reference),
    };
    // The tariff first: it is what people come for.
    let mut kinds = ReferenceKind::ALL.to_vec();
    kinds.rotate_right(1);
    page.tabs = kinds
        .iter()
        .map(|k| Choice {
            value: k.as_str(),
            label: label(ctx, *k),
            selected: k.as_str() == kind,
        })
        .chain([Choice {
            value: "versions",
            label: t.versions,
            selected: kind == "versions",
        }])
        .collect();
    match kind.parse::<ReferenceKind>() {
        Ok(ReferenceKind::Tariff) => {
            let search = Some(q.trim()).filter(|s| !s.is_empty());
            page.legal_source = legal_source(ctx, ReferenceKind::Tariff);
            let units: HashMap<String, CodeEntry> =
                reference_data::codes_in_force(store, actor, ReferenceKind::Unit, now)
                    .await
                    .map_err(fail)?
                    .into_iter()
                    .map(|c| (c.entry.code.clone(), c.entry))
                    .collect();
            let unit = |code: &str| match units.get(code) {
                Some(entry) => format!("{} ({code})", glossary::reference_name(ctx.lang, entry)),
                None => code.to_owned(),
            };
            page.tariff = reference_data::tariff_in_force(store, actor, now, search)
                .await
                .map_err(fail)?
                .into_iter()
                .map(|stored| {
                    let line = stored.line;
                    let ct = &line.consumption_tax;
                    let ct_text = match (ct.rate(), ct.specific()) {
                        (None, None) => "—".to_owned(),
                        (Some(rate), None) => percent(&rate.to_string()),
                        (None, Some((amount, per))) => {
                            format!("{} {}{}", amount.normalize(), t.cny_per, unit(per))
                        }
                        (Some(rate), Some((amount, per))) => format!(
                            "{} + {} {}{}",
                            percent(&rate.to_string()),
                            amount.normalize(),
                            t.cny_per,
                            unit(per)
                        ),
                    };
                    TariffRow {
                        hs_code: line.hs_code.to_string(),
                        name_zh: line.name_zh,
                        unit1: unit(&line.unit1),
                        unit2: line.unit2.as_deref().map(unit).unwrap_or_default(),
                        vat: percent(&line.vat_rate.to_string()),
                        ct: ct_text,
                        mfn: percent(&line.mfn_duty_rate.to_string()),
                        positive: match line.positive_list {
                            Some(true) => t.yes,
                            Some(false) => t.no,
                            None => t.unknown,
                        },
                        version_no: stored.version.version_no,
                        source: stored.source.unwrap_or_default(),
                    }
                })
                .collect();
        }
        Ok(other) => {
            page.tab_label = label(ctx, other);
            page.legal_source = legal_source(ctx, other);
            page.codes = reference_data::codes_in_force(store, actor, other, now)
                .await
                .map_err(fail)?
                .into_iter()
                .map(|c| CodeRow {
                    name: glossary::reference_name(ctx.lang, &c.entry).to_owned(),
                    code: c.entry.code,
                    name_zh: c.entry.name_zh,
                    iso: c.entry.iso.unwrap_or_default(),
                    version_no: c.version.version_no,
                    source: c.source.unwrap_or_default(),
                })
                .collect();
        }
        Err(_) => {
            page.versions = reference_data::versions(store, actor, None)
                .await
                .map_err(fail)?
                .into_iter()
                .map(|v| VersionRow {
                    kind: v.kind,
                    version_no: v.version.version_no,
                    effective_from: ctx.local_time(v.version.effective_from),
                    imported_by: v.imported_by,
                    file_name: v.file_name.unwrap_or_default(),
                    rows_added: v.rows_added,
                    rows_updated: v.rows_updated,
                    rows_unchanged: v.rows_unchanged,
                })
                .collect();
        }
    }
    Ok(render(status, &page))
}

/// The reference page again with the reason an upload was refused before
/// any row was read (unreadable form, unknown table).
async fn refused_upload(state: &AppState, ctx: &Ctx, e: &Error) -> Result<Response, PortalError> {
    render_page(
        state,
        ctx,
        "tariff",
        String::new(),
        e.status(),
        None,
        Some(ctx.message(e)),
        Vec::new(),
    )
    .await
}

/// Imports an uploaded CSV (the form's `purpose` field carries the kind).
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Multipart,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let upload = match read_upload(multipart, state.config().body_limit).await {
        Ok(upload) => upload,
        Err(e) => return refused_upload(&state, &ctx, &e).await,
    };
    ctx.check_csrf(&FormBody(vec![("csrf".to_owned(), upload.csrf.clone())]))?;
    let Ok(kind) = upload.purpose.parse::<ReferenceKind>() else {
        let e = Error::invalid(
            "kind",
            "REFERENCE_KIND_UNKNOWN",
            "未知参数表",
            "unknown table",
        );
        return refused_upload(&state, &ctx, &e).await;
    };
    match reference_data::import(
        state.store(),
        actor,
        kind,
        &upload.bytes,
        Some(&upload.file_name),
        None,
    )
    .await
    {
        Ok(version) => {
            let t = ctx.lang.texts();
            let notice = format!(
                "{} v{}: {} {}, {} {}, {} {}",
                label(&ctx, kind),
                version.version.version_no,
                t.rows_added,
                version.rows_added,
                t.rows_updated,
                version.rows_updated,
                t.rows_unchanged,
                version.rows_unchanged
            );
            render_page(
                &state,
                &ctx,
                kind.as_str(),
                String::new(),
                StatusCode::CREATED,
                Some(notice),
                None,
                Vec::new(),
            )
            .await
        }
        Err(refusal) if refusal.error.is_correctable() => {
            let rows = refusal
                .rows
                .iter()
                .map(|r| BadRow {
                    line: r.line,
                    field: r.field.clone(),
                    value: r.value.clone(),
                    rule: r.rule,
                    message: match ctx.lang {
                        crate::portal::i18n::Lang::ZhCn => r.message_zh.clone(),
                        _ => r.message_en.clone(),
                    },
                })
                .collect();
            let message = ctx.message(&refusal.error);
            render_page(
                &state,
                &ctx,
                kind.as_str(),
                String::new(),
                refusal.error.status(),
                None,
                Some(message),
                rows,
            )
            .await
        }
        Err(refusal) => Err(ctx.fail(refusal.error)),
    }
}
