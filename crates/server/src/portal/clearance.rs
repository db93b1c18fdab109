//! The clearance pages: an enterprise's documents and their status; the
//! officers' review queue; a list with its four documents side by side,
//! its decisions and receipt history, and (for an officer, while it waits)
//! the decision form; the live board; and the consumer's quota lookup.

use std::collections::HashMap;
use std::time::Duration;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kuajing_ceb::{Message, decode};
use kuajing_core::access::Action;
use kuajing_core::personal::PersonalKind;
use kuajing_core::timestamp::Timestamp;
use kuajing_reference::ReferenceKind;
use kuajing_reference::codes::CodeEntry;
use kuajing_registry::reference_data;
use kuajing_store::ceb_documents::{Kind, OwnerFilter};
use serde::Deserialize;

use crate::portal::list_tools;
use crate::portal::views::Choice;
use serde_json::Value;

use crate::auth::identify::ClientIp;
use crate::error::{Error, HttpError};
use crate::extract::FormBody;
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::portal::glossary;
use crate::portal::i18n::Texts;
use crate::state::AppState;
use kuajing_import::lookup::{self, FoundBy};
use kuajing_import::overview;
use kuajing_import::quota_lookup::{self, QuotaView};
use kuajing_import::review::{self, ListDetail, OFFICER_STATUSES, OfficerAction};

#[derive(Template)]
#[template(path = "clearance.html")]
struct OverviewPage {
    page: Page,
    /// Reads every list: the queue and the board (customs, the zone
    /// administration).
    reader: bool,
    /// Decides on lists and keeps the watch list (customs).
    officer: bool,
    queue: Vec<QueueRow>,
    documents: Vec<DocumentRow>,
    /// What was just done to the watch list: the notice's element id and
    /// its text (the buyer masked); or the form's error.
    notice: Option<(&'static str, String)>,
    error: Option<String>,
    /// The watch list (customs), ID numbers masked, times in China time.
    watch_list: Vec<review::WatchView>,
    /// What a look-up found.
    found: Option<FoundRows>,
    /// The filters, pages and downloads of the enterprise's documents.
    listing: DocumentListing,
}

/// The enterprise's documents list's filters, pages and downloads.
struct DocumentListing {
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    q: String,
    filtered: bool,
    newer_href: Option<String>,
    older_href: Option<String>,
    csv_href: String,
    xlsx_href: String,
}

/// The lists a look-up found, and what its text was taken to be.
struct FoundRows {
    by: Option<&'static str>,
    lists: Vec<FoundRow>,
}

struct FoundRow {
    id: String,
    key: String,
    owner: String,
    status: String,
    status_name: &'static str,
    invt_no: String,
    buyer: String,
    created: String,
}

struct QueueRow {
    id: String,
    key: String,
    owner: String,
    status: String,
    status_name: &'static str,
    buyer: String,
    reasons: Vec<String>,
    updated: String,
}

struct DocumentRow {
    id: String,
    kind: &'static str,
    is_list: bool,
    key: String,
    status: String,
    status_name: &'static str,
    updated: String,
}

fn kind_label(t: &Texts, kind: Kind) -> &'static str {
    match kind {
        Kind::Order => t.kind_order,
        Kind::Payment => t.kind_payment,
        Kind::Waybill => t.kind_waybill,
        Kind::List => t.kind_list,
        Kind::ExportOrder => t.kind_export_order,
        Kind::Collection => t.kind_collection,
        Kind::ExportWaybill => t.kind_export_waybill,
        Kind::ExportList => t.kind_export_list,
    }
}

/// `/clearance`: the officers' queue, or the enterprise's documents.
pub async fn overview(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<DocumentQuery>,
) -> Result<Response, PortalError> {
    if let Some(format) = query.format.as_deref() {
        return download_documents(&state, &ctx, &query, format).await;
    }
    overview_page(&state, &ctx, StatusCode::OK, None, None, None, &query).await
}

/// The filters, page and download of an enterprise's documents, from the
/// address.
#[derive(Debug, Default, Deserialize)]
pub struct DocumentQuery {
    kind: Option<String>,
    status: Option<String>,
    q: Option<String>,
    /// Kept as text: a hostile or mistyped offset reads as the first page
    /// rather than failing the page.
    offset: Option<String>,
    format: Option<String>,
}

/// Documents per page of an enterprise's list.
const DOCUMENTS_PER_PAGE: i64 = 50;

/// The most documents one download holds.
const DOCUMENTS_PER_DOWNLOAD: i64 = 5_000;

impl DocumentQuery {
    fn filter(&self) -> OwnerFilter {
        OwnerFilter {
            kind: self.kind.as_deref().and_then(Kind::from_name),
            statuses: self
                .status
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect(),
            key: self
                .q
                .as_deref()
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(|q| q.chars().take(64).collect()),
        }
    }

    fn offset(&self) -> i64 {
        self.offset
            .as_deref()
            .and_then(|o| o.parse::<i64>().ok())
            .unwrap_or(0)
            .clamp(0, i64::from(i32::MAX))
    }

    /// This list's address with another offset or a download format.
    fn href(&self, offset: Option<i64>, format: Option<&str>) -> String {
        let mut link = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("kind", &self.kind),
            ("status", &self.status),
            ("q", &self.q),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                link.append_pair(name, value);
            }
        }
        if let Some(offset) = offset.filter(|o| *o > 0) {
            link.append_pair("offset", &offset.to_string());
        }
        if let Some(format) = format {
            link.append_pair("format", format);
        }
        format!("/clearance?{}", link.finish())
    }
}

/// The enterprise's documents as the filters find them, as CSV or XLSX.
async fn download_documents(
    state: &AppState,
    ctx: &Ctx,
    query: &DocumentQuery,
    format: &str,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let documents = overview::own_documents_filtered(
        state.store(),
        actor,
        &query.filter(),
        DOCUMENTS_PER_DOWNLOAD,
        0,
    )
    .await
    .map_err(|e| ctx.fail(e))?;
    let t = ctx.lang.texts();
    let columns = [
        t.document_kind,
        t.business_key,
        t.status,
        t.status,
        t.updated_at,
    ];
    let body: Vec<Vec<String>> = documents
        .iter()
        .map(|d| {
            vec![
                kind_label(t, d.kind).to_owned(),
                d.business_key.clone(),
                d.status.clone(),
                glossary::status_name(ctx.lang, &d.status).to_owned(),
                format!("{} {}", ctx.local_time(d.updated_at), t.china_time_zone),
            ]
        })
        .collect();
    list_tools::download(ctx, format, "documents", &columns, &body)
}

/// `POST /clearance/watch-list`: an officer puts a buyer on the watch list.
pub async fn watch(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    change_watch_list(&state, &ctx, &form, false).await
}

/// `POST /clearance/watch-list/remove`: an officer takes a buyer off the
/// watch list, naming the full ID number and a written reason.
pub async fn unwatch(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    change_watch_list(&state, &ctx, &form, true).await
}

/// Adds a buyer to the watch list or (`remove`) takes one off, and shows
/// the clearance page with what was done, or the form's error.
async fn change_watch_list(
    state: &AppState,
    ctx: &Ctx,
    form: &FormBody,
    remove: bool,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(form)?;
    let (buyer_id, reason) = (form.text("buyer_id"), form.text("reason"));
    let outcome = if remove {
        review::unwatch(state.store(), actor, buyer_id, reason).await
    } else {
        review::watch(state.store(), actor, buyer_id, reason).await
    };
    let t = ctx.lang.texts();
    match outcome {
        Ok(masked) => {
            let notice = if remove {
                ("unwatched", format!("{} {masked}", t.watch_list_removed))
            } else {
                ("watched", format!("{} {masked}", t.watch_list_added))
            };
            overview_page(
                state,
                ctx,
                StatusCode::OK,
                Some(notice),
                None,
                None,
                &DocumentQuery::default(),
            )
            .await
        }
        Err(e) if e.is_correctable() || e.status() == StatusCode::NOT_FOUND => {
            overview_refused(state, ctx, &e).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `POST /clearance/find`: the lists a list number, order number, waybill
/// number or buyer's ID number names (posted, so that an ID number stays
/// out of addresses and logs), shown on the clearance page.
pub async fn find(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let text = form.text("find");
    match lookup::find_lists(state.store(), actor, text).await {
        Ok(found) => {
            let t = ctx.lang.texts();
            let rows = FoundRows {
                by: found.by.map(|by| match by {
                    FoundBy::ListNumber => t.found_by_list_number,
                    FoundBy::OrderNumber => t.found_by_order_number,
                    FoundBy::WaybillNumber => t.found_by_waybill_number,
                    FoundBy::Buyer => t.found_by_buyer,
                }),
                lists: found
                    .lists
                    .into_iter()
                    .map(|l| FoundRow {
                        status_name: glossary::status_name(ctx.lang, &l.status),
                        status: glossary::status_code(&l.status),
                        invt_no: l.invt_no.unwrap_or_default(),
                        buyer: l.buyer.unwrap_or_default(),
                        created: ctx.local_text(&l.created_at),
                        id: l.id,
                        key: l.business_key,
                        owner: l.owner_code,
                    })
                    .collect(),
            };
            overview_page(
                &state,
                &ctx,
                StatusCode::OK,
                None,
                None,
                Some(rows),
                &DocumentQuery::default(),
            )
            .await
        }
        Err(e) if e.is_correctable() => overview_refused(&state, &ctx, &e).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

/// The clearance page again with a form's refusal.
async fn overview_refused(state: &AppState, ctx: &Ctx, e: &Error) -> Result<Response, PortalError> {
    let message = ctx.message(e);
    overview_page(
        state,
        ctx,
        e.status(),
        None,
        Some(message),
        None,
        &DocumentQuery::default(),
    )
    .await
}

async fn overview_page(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    notice: Option<(&'static str, String)>,
    error: Option<String>,
    found: Option<FoundRows>,
    docs: &DocumentQuery,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let t = ctx.lang.texts();
    let reader = actor.may(Action::ReadClearance, "").is_ok();
    let officer = actor.may(Action::DecideClearance, "").is_ok();
    let watch_list = if officer {
        review::watch_list(state.store(), actor)
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .map(|mut entry| {
                entry.added_at = ctx.local_text(&entry.added_at);
                entry
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut queue = Vec::new();
    let mut documents = Vec::new();
    if reader {
        for item in review::queue(state.store(), actor, 200)
            .await
            .map_err(|e| ctx.fail(e))?
        {
            let reasons = item
                .reasons
                .as_array()
                .map(|all| {
                    all.iter()
                        .filter_map(|r| r.get(reason_key(ctx)).and_then(Value::as_str))
                        .map(|text| glossary::english_reason(ctx.lang, text).into_owned())
                        .collect()
                })
                .unwrap_or_default();
            queue.push(QueueRow {
                status_name: glossary::status_name(ctx.lang, &item.list.status),
                id: item.list.id,
                key: item.list.business_key,
                owner: item.list.owner_code,
                status: glossary::status_code(&item.list.status),
                buyer: item.list.buyer.unwrap_or_default(),
                reasons,
                updated: ctx.local_text(&item.list.updated_at),
            });
        }
    } else {
        for d in overview::own_documents_filtered(
            state.store(),
            actor,
            &docs.filter(),
            DOCUMENTS_PER_PAGE,
            docs.offset(),
        )
        .await
        .map_err(|e| ctx.fail(e))?
        {
            documents.push(DocumentRow {
                kind: kind_label(t, d.kind),
                is_list: d.kind == Kind::List,
                status_name: glossary::status_name(ctx.lang, &d.status),
                updated: ctx.local_time(d.updated_at),
                id: d.id,
                key: d.business_key,
                status: glossary::status_code(&d.status),
            });
        }
    }
    let offset = docs.offset();
    let listing = DocumentListing {
        kinds: Kind::ALL
            .into_iter()
            .map(|k| Choice {
                value: k.as_str(),
                label: kind_label(t, k),
                selected: docs.kind.as_deref() == Some(k.as_str()),
            })
            .collect(),
        statuses: glossary::STATUS_CODES
            .iter()
            .map(|&code| Choice {
                value: code,
                label: glossary::status_name(ctx.lang, code),
                selected: docs.status.as_deref() == Some(code),
            })
            .collect(),
        q: docs.q.clone().unwrap_or_default(),
        filtered: docs.kind.is_some() || docs.status.is_some() || docs.q.is_some(),
        newer_href: (offset > 0)
            .then(|| docs.href(Some((offset - DOCUMENTS_PER_PAGE).max(0)), None)),
        older_href: (documents.len() as i64 == DOCUMENTS_PER_PAGE)
            .then(|| docs.href(Some(offset + DOCUMENTS_PER_PAGE), None)),
        csv_href: docs.href(None, Some("csv")),
        xlsx_href: docs.href(None, Some("xlsx")),
    };
    let page = OverviewPage {
        listing,
        page: ctx.page(Section::Clearance),
        reader,
        officer,
        queue,
        documents,
        notice,
        error,
        watch_list,
        found,
    };
    Ok(render(status, &page))
}

fn reason_key(ctx: &Ctx) -> &'static str {
    match ctx.lang {
        crate::portal::i18n::Lang::ZhCn => "message_zh",
        _ => "message_en",
    }
}

#[derive(Template)]
#[template(path = "clearance_list.html")]
struct ListPage {
    page: Page,
    id: String,
    key: String,
    status: String,
    status_name: &'static str,
    pre_no: String,
    invt_no: String,
    buyer: String,
    sides: Vec<Side>,
    line_labels: Vec<&'static str>,
    lines: Vec<Vec<String>>,
    /// Personal information shown in full (asked for, allowed, audited).
    revealed: bool,
    /// Whether the reader may ask to see it in full.
    may_reveal: bool,
    pre_no_label: &'static str,
    invt_no_label: &'static str,
    decisions: Vec<DecisionRow>,
    receipts: Vec<ReceiptRow>,
    can_decide: bool,
    actions: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

struct Side {
    title: &'static str,
    fields: Vec<(String, String)>,
}

struct DecisionRow {
    status: String,
    status_name: &'static str,
    decided_by: String,
    rule_set: String,
    tariff_version: String,
    reasons: Vec<String>,
    risk: Vec<String>,
    explanation: String,
    tax: String,
    at: String,
}

struct ReceiptRow {
    kind: String,
    status: String,
    info: String,
    at: String,
}

/// `?show=personal`: the reader asks to see the list's personal
/// information in full.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ShowQuery {
    show: Option<String>,
}

/// `/clearance/lists/{id}`: a list, its documents, decisions, receipts;
/// personal information masked unless `?show=personal` and the reader may
/// see it (audited).
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, PortalError> {
    let reveal = query.show.as_deref() == Some("personal");
    list_page(&state, &ctx, &id, StatusCode::OK, None, reveal).await
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    status: StatusCode,
    error: Option<String>,
    reveal: bool,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let detail = review::detail(state.store(), actor, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    if reveal {
        review::reveal_personal(state.store(), actor, &detail.list)
            .await
            .map_err(|e| ctx.fail(e))?;
    }
    let may_reveal = actor
        .may(Action::RevealPersonal, &detail.list.owner_code)
        .is_ok();
    let t = ctx.lang.texts();
    let can_decide = actor.may(Action::DecideClearance, "").is_ok()
        && OFFICER_STATUSES.contains(&detail.list.status.as_str());
    let names = reference_data::code_names(
        state.store(),
        actor,
        Timestamp::now(),
        &codes_shown(&detail.documents),
    )
    .await
    .map_err(|e| ctx.fail(e))?;
    let view = Shown {
        ctx,
        names: &names,
        reveal,
    };
    let page = ListPage {
        page: ctx.page(Section::Clearance),
        id: detail.list.id.clone(),
        key: detail.list.business_key.clone(),
        status: glossary::status_code(&detail.list.status),
        status_name: glossary::status_name(ctx.lang, &detail.list.status),
        pre_no: detail.list.pre_no.clone().unwrap_or_default(),
        invt_no: detail.list.invt_no.clone().unwrap_or_default(),
        buyer: detail.list.buyer.clone().unwrap_or_default(),
        sides: sides(&view, &detail),
        line_labels: LINE_FIELDS
            .iter()
            .map(|f| glossary::label(ctx.lang, f).unwrap_or(f))
            .collect(),
        lines: goods_lines(
            &Shown {
                reveal: false,
                ..view
            },
            &detail.documents["list"],
        ),
        revealed: reveal,
        may_reveal,
        pre_no_label: glossary::label(ctx.lang, "preNo").unwrap_or_default(),
        invt_no_label: glossary::label(ctx.lang, "invtNo").unwrap_or_default(),
        decisions: decision_rows(ctx, &detail),
        receipts: detail
            .receipts
            .iter()
            .map(|r| {
                let (status, info) = receipt_summary(&r.xml);
                ReceiptRow {
                    kind: r.receipt_type.clone(),
                    status,
                    info,
                    at: ctx.local_text(&r.created_at),
                }
            })
            .collect(),
        can_decide,
        actions: vec![
            ("release", t.action_release),
            ("inspect", t.action_inspect),
            ("detain-clearance", t.action_detain_clearance),
            ("detain-smuggling", t.action_detain_smuggling),
            ("detain-legal", t.action_detain_legal),
            ("detain-other", t.action_detain_other),
            ("refuse", t.action_refuse),
        ],
        error,
    };
    Ok(render(status, &page))
}

/// How a page shows document fields: in the reader's language, reference
/// codes by the names found for them, personal information masked unless
/// `reveal`.
#[derive(Clone, Copy)]
struct Shown<'a> {
    ctx: &'a Ctx,
    names: &'a HashMap<(ReferenceKind, String), CodeEntry>,
    reveal: bool,
}

/// Every reference code the four documents hold (heads and goods lines),
/// with the table it comes from.
fn codes_shown(documents: &Value) -> Vec<(ReferenceKind, String)> {
    let mut wanted = Vec::new();
    let mut collect = |fields: &serde_json::Map<String, Value>| {
        for (element, value) in fields {
            if let (Some(kind), Some(code)) = (glossary::reference_kind(element), value.as_str())
                && !code.is_empty()
            {
                wanted.push((kind, code.to_owned()));
            }
        }
    };
    for (side, head) in [
        ("list", "InventoryHead"),
        ("order", "OrderHead"),
        ("payment", "PaymentHead"),
        ("waybill", "LogisticsHead"),
    ] {
        if let Some(fields) = documents[side][head].as_object() {
            collect(fields);
        }
    }
    for line in documents["list"]["InventoryList"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if let Some(fields) = line.as_object() {
            collect(fields);
        }
    }
    wanted.sort();
    wanted.dedup();
    wanted
}

/// Each document's head fields, in the specification's order, named in
/// the reader's language (`glossary`), codes with their names, CEB times
/// in China time, personal information masked unless `reveal`.
fn sides(view: &Shown<'_>, detail: &ListDetail) -> Vec<Side> {
    let ctx = view.ctx;
    let t = ctx.lang.texts();
    [
        (t.kind_list, "list", "InventoryHead"),
        (t.kind_order, "order", "OrderHead"),
        (t.kind_payment, "payment", "PaymentHead"),
        (t.kind_waybill, "waybill", "LogisticsHead"),
    ]
    .into_iter()
    .map(|(title, side, head)| Side {
        title,
        fields: detail.documents[side][head]
            .as_object()
            .map(|fields| {
                fields
                    .iter()
                    .filter(|(k, _)| k.as_str() != "guid")
                    .map(|(k, v)| {
                        let label = glossary::label(ctx.lang, k).unwrap_or(k.as_str());
                        (label.to_owned(), shown(view, k, &text(v)))
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
    .collect()
}

/// A document field's value as a page shows it: personal information
/// masked unless `reveal` (`kuajing_core::personal`), a listed code or a
/// reference code as its name with the code, a CEB time in China time with
/// the zone, a CEB date as a date.
fn shown(view: &Shown<'_>, element: &str, value: &str) -> String {
    let ctx = view.ctx;
    if value.is_empty() {
        return String::new();
    }
    if let Some(kind) = PersonalKind::of_field(element)
        && !view.reveal
    {
        return kind.mask(value);
    }
    if let Some(name) = glossary::code_name(ctx.lang, element, value) {
        return format!("{name} ({value})");
    }
    if let Some(entry) =
        glossary::reference_kind(element).and_then(|kind| view.names.get(&(kind, value.to_owned())))
    {
        return format!("{} ({value})", glossary::reference_name(ctx.lang, entry));
    }
    if glossary::is_time(element) {
        return format!(
            "{} {}",
            glossary::ceb_time(value),
            ctx.lang.texts().china_time_zone
        );
    }
    if glossary::is_date(element) {
        return glossary::ceb_date(value);
    }
    value.to_owned()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The goods-line fields a list page shows, in order.
const LINE_FIELDS: [&str; 7] = [
    "gnum",
    "gcode",
    "gname",
    "qty",
    "unit",
    "price",
    "totalPrice",
];

/// The list's goods lines: number, code, name, quantity, unit, price, total.
fn goods_lines(view: &Shown<'_>, list: &Value) -> Vec<Vec<String>> {
    list["InventoryList"]
        .as_array()
        .map(|lines| {
            lines
                .iter()
                .map(|line| {
                    LINE_FIELDS
                        .iter()
                        .map(|k| shown(view, k, &text(&line[*k])))
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn decision_rows(ctx: &Ctx, detail: &ListDetail) -> Vec<DecisionRow> {
    let key = reason_key(ctx);
    let messages = |value: &Value| -> Vec<String> {
        value
            .as_array()
            .map(|all| {
                all.iter()
                    .map(|r| {
                        let text = r.get(key).and_then(Value::as_str).unwrap_or_default();
                        let text = glossary::english_reason(ctx.lang, text);
                        match r.get("code").and_then(Value::as_i64) {
                            Some(code) if code != 0 => format!("[{code}] {text}"),
                            _ => match r.get("mode").and_then(Value::as_str) {
                                Some(mode) => {
                                    format!("{text} ({})", glossary::rule_mode(ctx.lang, mode))
                                }
                                None => text.into_owned(),
                            },
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    detail
        .decisions
        .iter()
        .map(|d| DecisionRow {
            status_name: glossary::status_name(ctx.lang, &d.status),
            status: glossary::status_code(&d.status),
            decided_by: glossary::decided_by(ctx.lang, &d.decided_by),
            rule_set: d.rule_set.clone(),
            tariff_version: d.tariff_version.clone(),
            reasons: messages(&d.reasons),
            risk: messages(&d.risk_hits),
            explanation: glossary::in_reader_language(ctx.lang, &d.explanation).into_owned(),
            tax: d
                .tax_bill
                .as_ref()
                .map(|b| {
                    format!(
                        "{} / {} / {} / {} ({})",
                        text(&b["dutiable_value"]),
                        text(&b["duty"]),
                        text(&b["consumption"]),
                        text(&b["vat"]),
                        glossary::tax_regime(ctx.lang, &text(&b["regime"]))
                    )
                })
                .unwrap_or_default(),
            at: ctx.local_text(&d.created_at),
        })
        .collect()
}

/// A receipt's status and text, as its first return entity gives them.
fn receipt_summary(xml: &str) -> (String, String) {
    let Ok(decoded) = decode(xml.as_bytes()) else {
        return (String::new(), String::new());
    };
    let pair = |s: &str, i: &str| (s.to_owned(), i.to_owned());
    match decoded.message {
        Message::Ceb312(m) => m
            .order_return
            .first()
            .map(|r| pair(&r.return_status, &r.return_info)),
        Message::Ceb412(m) => m
            .payment_return
            .first()
            .map(|r| pair(&r.return_status, &r.return_info)),
        Message::Ceb512(m) => m
            .logistics_return
            .first()
            .map(|r| pair(&r.return_status, &r.return_info)),
        Message::Ceb622(m) => m
            .inventory_return
            .first()
            .map(|r| pair(&r.return_status, &r.return_info)),
        Message::Ceb624(m) => m
            .invt_cancel_return
            .first()
            .map(|r| pair(&r.return_status, &r.return_info)),
        Message::Ceb626(m) => m
            .invt_refund_return
            .first()
            .map(|r| pair(&r.return_status, &r.return_info)),
        Message::Ceb816(m) => m.tax.first().map(|t| {
            let h = &t.tax_head_rd;
            let info = format!(
                "{} · 关税 {} 消费税 {} 增值税 {}",
                h.tax_no, h.customs_tax, h.consumption_tax, h.value_added_tax
            );
            pair(&h.status, &info)
        }),
        Message::Ceb818(m) => m
            .tax
            .first()
            .map(|t| pair(&t.tax_head_status.status, &t.tax_head_status.tax_no)),
        _ => None,
    }
    .unwrap_or_default()
}

/// `POST /clearance/lists/{id}/decide`: an officer's decision.
pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let action: OfficerAction =
        serde_json::from_value(Value::String(form.text("action").to_owned())).map_err(|_| {
            ctx.fail(Error::invalid(
                "action",
                "CLEARANCE_ACTION",
                "请选择决定",
                "choose a decision",
            ))
        })?;
    match review::decide(
        state.store(),
        &state.config().clearance,
        actor,
        &id,
        action,
        form.text("reason"),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/clearance/lists/{id}")).into_response()),
        Err(e) if e.is_correctable() => {
            let message = ctx.message(&e);
            list_page(&state, &ctx, &id, e.status(), Some(message), false).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "clearance_board.html")]
struct BoardPage {
    page: Page,
    kinds: Vec<(&'static str, Vec<StatusCount>)>,
    minutes: Vec<(String, Vec<(String, i64)>)>,
    /// Whether it reloads itself (`?auto=1`).
    auto: bool,
}

/// A status (code, name) and how many stand at it.
type StatusCount = (String, &'static str, i64);

/// `?auto=1`: the board reloads itself every 15 seconds until stopped.
#[derive(Debug, Default, serde::Deserialize)]
pub struct BoardQuery {
    auto: Option<String>,
}

/// `/clearance/board`: counts per status, decisions per minute (China
/// time). It reloads itself only when asked (`?auto=1`), with a visible
/// control that stops it: a page that changes under a screen reader or a
/// magnifier unasked is an accessibility failure (WCAG 2.2.1, 2.2.2).
pub async fn board(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<BoardQuery>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let since = Timestamp::now().minus(Duration::from_secs(15 * 60));
    let overview::Board { counts, per_minute } = overview::board(state.store(), actor, since)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.lang.texts();
    let kinds = [Kind::List, Kind::Order, Kind::Payment, Kind::Waybill]
        .into_iter()
        .map(|kind| {
            let rows = counts
                .iter()
                .filter(|(k, _, _)| *k == kind)
                .map(|(_, status, n)| {
                    (
                        glossary::status_code(status),
                        glossary::status_name(ctx.lang, status),
                        *n,
                    )
                })
                .collect();
            (kind_label(t, kind), rows)
        })
        .collect();
    let mut minutes: Vec<(String, Vec<(String, i64)>)> = Vec::new();
    for (minute, status, n) in per_minute {
        // `YYYY-MM-DDTHH:MM` (UTC) as the zone's local minute.
        let minute = ctx
            .local_text(&format!("{minute}:00.000000Z"))
            .chars()
            .take(16)
            .collect::<String>();
        let status = glossary::status_name(ctx.lang, &status).to_owned();
        match minutes.last_mut() {
            Some((m, rows)) if *m == minute => rows.push((status, n)),
            _ => minutes.push((minute, vec![(status, n)])),
        }
    }
    let auto = query.auto.as_deref() == Some("1");
    let mut page = ctx.page(Section::Clearance);
    if auto {
        page.refresh = Some(15);
    }
    Ok(render(
        StatusCode::OK,
        &BoardPage {
            page,
            kinds,
            minutes,
            auto,
        },
    ))
}

#[derive(Template)]
#[template(path = "quota.html")]
struct QuotaPage {
    page: Page,
    id_number: String,
    name: String,
    found: Option<QuotaView>,
    not_found: bool,
    error: Option<String>,
}

/// `GET /quota`: the lookup form (no sign-in: consumers have no account).
pub async fn quota_form(ctx: Ctx) -> Response {
    render(
        StatusCode::OK,
        &QuotaPage {
            page: ctx.page(Section::None),
            id_number: String::new(),
            name: String::new(),
            found: None,
            not_found: false,
            error: None,
        },
    )
}

/// `POST /quota`: the buyer's used and remaining quota this year.
pub async fn quota_lookup(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    form: FormBody,
) -> Result<Response, PortalError> {
    let id_number = form.text("id_number").to_owned();
    let name = form.text("name").to_owned();
    let (status, found, not_found, error) = match quota_lookup::look_up(
        state.store(),
        state.throttle(),
        &state.config().clearance,
        &id_number,
        &name,
        ip,
    )
    .await
    {
        Ok(Some(view)) => (StatusCode::OK, Some(view), false, None),
        Ok(None) => (StatusCode::NOT_FOUND, None, true, None),
        Err(e) if e.is_correctable() || matches!(e, Error::TooManyRequests { .. }) => {
            (e.status(), None, false, Some(ctx.message(&e)))
        }
        Err(e) => return Err(ctx.fail(e)),
    };
    Ok(render(
        status,
        &QuotaPage {
            page: ctx.page(Section::None),
            id_number,
            name,
            found,
            not_found,
            error,
        },
    ))
}
