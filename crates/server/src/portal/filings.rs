//! Filing pages: search and the review queue, one filing with its decisions
//! and history, the enterprise and commodity forms, attachment uploads.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kuajing_core::access::Action;
use kuajing_core::filing::{self as rules, FilingStatus, Step};
use kuajing_core::role::Role;
use kuajing_core::sharing::{COMMODITY_FIELDS, ENTERPRISE_FIELDS};
use kuajing_reference::ReferenceKind;
use serde_json::Value;

use crate::api::filings::{FilingQuery, read_upload};
use crate::error::{Error, HttpError};
use crate::extract::FormBody;
use crate::portal::code_lists::{CodeList, code_list_id, code_lists};
use crate::portal::context::{Ctx, Page, PortalError, SavedQuery, Section, render};
use crate::portal::form_errors::{any_field_starts_with, error_summary, field_message};
use crate::portal::form_fields::field_label;
use crate::portal::i18n::Texts;
use crate::portal::views::Choice;
use crate::state::AppState;
use kuajing_registry::filing::attachments::{self, Purpose};
use kuajing_registry::filing::commodity::CommodityInput;
use kuajing_registry::filing::enterprise::EnterpriseInput;
use kuajing_registry::filing::{self, FilingView};

/// A status's label and style.
pub fn status_label(t: &'static Texts, status: &str) -> (&'static str, &'static str) {
    match status {
        "draft" => (t.status_draft, "tag-warn"),
        "submitted" => (t.status_submitted, ""),
        "returned" => (t.status_returned, "tag-warn"),
        "active" => (t.status_active, "tag-ok"),
        "suspended" => (t.status_suspended, "tag-bad"),
        _ => (t.status_revoked, "tag-bad"),
    }
}

fn kind_label(t: &'static Texts, kind: &str) -> &'static str {
    if kind == "enterprise" {
        t.kind_enterprise
    } else {
        t.kind_commodity
    }
}

/// A JSON value as text for a page.
fn show(ctx: &Ctx, field: &str, value: &Value) -> String {
    let t = ctx.lang.texts();
    match value {
        Value::Null => "—".to_owned(),
        Value::Bool(true) => t.yes.to_owned(),
        Value::Bool(false) => t.no.to_owned(),
        Value::String(text) => text.clone(),
        Value::Array(items) if field == "roles" => items
            .iter()
            .filter_map(|r| r.as_str().and_then(|r| r.parse::<Role>().ok()))
            .map(|r| ctx.lang.role(r))
            .collect::<Vec<_>>()
            .join("、"),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.get("file_name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned()
            })
            .collect::<Vec<_>>()
            .join("、"),
        Value::Object(item) => item
            .get("file_name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        other => other.to_string(),
    }
}

#[derive(Template)]
#[template(path = "filings.html")]
struct ListPage {
    page: Page,
    shortcuts: Vec<Shortcut>,
    kind_options: Vec<Choice>,
    status_options: Vec<Choice>,
    filter_q: String,
    filter_hs: String,
    awaiting: bool,
    mine: bool,
    error: Option<String>,
    rows: Vec<Row>,
    total: i64,
    next_href: Option<String>,
    export_csv: String,
    export_xlsx: String,
}

struct Shortcut {
    href: &'static str,
    label: &'static str,
    primary: bool,
}

struct Row {
    id: String,
    kind_label: &'static str,
    title: String,
    subject_key: String,
    owner: String,
    hs_code: String,
    status_label: &'static str,
    status_class: &'static str,
    approvals: Vec<(&'static str, bool)>,
    updated_at_local: String,
}

fn approvals_of(ctx: &Ctx, view: &FilingView) -> Vec<(&'static str, bool)> {
    view.approvals_needed
        .iter()
        .filter_map(|r| r.parse::<Role>().ok())
        .map(|r| {
            (
                ctx.lang.role(r),
                view.approvals_given.iter().any(|g| g == r.as_str()),
            )
        })
        .collect()
}

fn shortcuts(ctx: &Ctx, t: &'static Texts) -> Vec<Shortcut> {
    let Some(actor) = &ctx.actor else {
        return Vec::new();
    };
    let mut links = Vec::new();
    if actor.roles.has_agency_role() {
        links.push(Shortcut {
            href: "/filings?awaiting=true",
            label: t.awaiting_my_decision,
            primary: true,
        });
    }
    links.push(Shortcut {
        href: "/filings/enterprise",
        label: t.my_enterprise_filing,
        primary: false,
    });
    links.push(Shortcut {
        href: "/filings?mine=true&kind=commodity",
        label: t.my_commodities,
        primary: false,
    });
    links.push(Shortcut {
        href: "/filings/commodities/new",
        label: t.new_commodity,
        primary: !actor.roles.has_agency_role(),
    });
    links
}

/// The search page and the review queue.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<crate::extract::ApiQuery<FilingQuery>, crate::error::WebError>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let crate::extract::ApiQuery(raw) = query.map_err(|e| ctx.fail(e.0))?;
    let t = ctx.lang.texts();
    let parsed = raw.parse();
    let (page_result, error) = match parsed {
        Ok(query) => match filing::list(state.store(), actor, &query).await {
            Ok(found) => (Some((found, query)), None),
            Err(e) if e.is_correctable() => (None, Some(ctx.message(&e))),
            Err(e) => return Err(ctx.fail(e)),
        },
        Err(e) => (None, Some(ctx.message(&e))),
    };
    let (rows, total, next_href) = match page_result {
        Some((found, query)) => {
            let rows = found
                .filings
                .iter()
                .map(|view| {
                    let (status_label, status_class) = status_label(t, &view.status);
                    Row {
                        id: view.id.clone(),
                        kind_label: kind_label(t, &view.kind),
                        title: view.title.clone(),
                        subject_key: view.subject_key.clone(),
                        owner: view.owner.clone(),
                        hs_code: view
                            .record
                            .get("hs_code")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                        status_label,
                        status_class,
                        approvals: approvals_of(&ctx, view),
                        updated_at_local: view
                            .updated_at
                            .parse()
                            .map(|at| ctx.local_time(at))
                            .unwrap_or_default(),
                    }
                })
                .collect::<Vec<_>>();
            let shown = query.offset + rows.len() as i64;
            let next = (shown < found.total).then(|| next_page(&raw, shown));
            (rows, found.total, next)
        }
        None => (Vec::new(), 0, None),
    };
    let kind = raw.kind.clone().unwrap_or_default();
    let status = raw.status.clone().unwrap_or_default();
    let page = ListPage {
        shortcuts: shortcuts(&ctx, t),
        kind_options: vec![
            Choice {
                value: "enterprise",
                label: t.kind_enterprise,
                selected: kind == "enterprise",
            },
            Choice {
                value: "commodity",
                label: t.kind_commodity,
                selected: kind == "commodity",
            },
        ],
        status_options: FilingStatus::ALL
            .iter()
            .map(|s| Choice {
                value: s.as_str(),
                label: status_label(t, s.as_str()).0,
                selected: status == s.as_str(),
            })
            .collect(),
        filter_q: raw.q.clone().unwrap_or_default(),
        filter_hs: raw.hs_code.clone().unwrap_or_default(),
        awaiting: raw.awaiting.unwrap_or(false),
        mine: raw.mine.unwrap_or(false),
        error,
        rows,
        total,
        next_href,
        export_csv: export_link(&raw, "csv"),
        export_xlsx: export_link(&raw, "xlsx"),
        page: ctx.page(Section::Filings),
    };
    Ok(render(StatusCode::OK, &page))
}

/// The export of the current search.
fn export_link(query: &FilingQuery, format: &str) -> String {
    let mut link = form_urlencoded::Serializer::new(String::new());
    link.append_pair("format", format);
    let text = [
        ("kind", &query.kind),
        ("status", &query.status),
        ("owner", &query.owner),
        ("hs_code", &query.hs_code),
        ("q", &query.q),
    ];
    for (name, value) in text {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            link.append_pair(name, value);
        }
    }
    if query.mine == Some(true) {
        link.append_pair("mine", "true");
    }
    format!("/api/filings/export?{}", link.finish())
}

fn next_page(query: &FilingQuery, offset: i64) -> String {
    let mut link = form_urlencoded::Serializer::new(String::new());
    let text = [
        ("kind", &query.kind),
        ("status", &query.status),
        ("owner", &query.owner),
        ("hs_code", &query.hs_code),
        ("q", &query.q),
    ];
    for (name, value) in text {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            link.append_pair(name, value);
        }
    }
    for (name, flag) in [("mine", query.mine), ("awaiting", query.awaiting)] {
        if flag == Some(true) {
            link.append_pair(name, "true");
        }
    }
    link.append_pair("offset", &offset.to_string());
    format!("/filings?{}", link.finish())
}

#[derive(Template)]
#[template(path = "filing.html")]
struct DetailPage {
    page: Page,
    id: String,
    title: String,
    kind_label: &'static str,
    subject_key: String,
    owner: String,
    version_no: i64,
    active_version_no: Option<i64>,
    status_label: &'static str,
    status_class: &'static str,
    restricted: bool,
    notice: Option<&'static str>,
    error: Option<String>,
    facts: Vec<Fact>,
    approvals: Vec<(&'static str, bool)>,
    actions: Vec<StepAction>,
    edit_href: Option<String>,
    attachments: Vec<kuajing_registry::filing::record::AttachmentRef>,
    can_upload: bool,
    purposes: Vec<Choice>,
    versions: Vec<VersionRow>,
    events: Vec<EventRow>,
}

struct Fact {
    label: &'static str,
    value: String,
    code: bool,
}

struct StepAction {
    step: &'static str,
    label: &'static str,
    needs_reason: bool,
    danger: bool,
}

struct VersionRow {
    version_no: i64,
    created_by: String,
    created_at_local: String,
    changes: Vec<ChangeRow>,
}

struct ChangeRow {
    label: &'static str,
    before: String,
    after: String,
}

struct EventRow {
    at_local: String,
    label: &'static str,
    role: Option<&'static str>,
    actor: String,
    organisation: String,
    version_no: i64,
    reason: String,
}

fn step_label(t: &'static Texts, step: &str) -> &'static str {
    match step {
        "edit" => t.edit,
        "submit" => t.step_submit,
        "approve" => t.step_approve,
        "return" => t.step_return,
        "suspend" => t.step_suspend,
        "reinstate" => t.step_reinstate,
        _ => t.step_revoke,
    }
}

/// One filing, as the visitor may see it.
pub async fn show_one(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, PortalError> {
    let notice = query.notice(&ctx);
    detail(&state, &ctx, &id, StatusCode::OK, notice, None).await
}

async fn detail(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    status: StatusCode,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let t = ctx.lang.texts();
    let view = filing::read(state.store(), actor, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let history = filing::history(state.store(), actor, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let is_owner = actor.organisation_code.as_deref() == Some(view.owner.as_str());
    let fields: &[&str] = if view.kind == "enterprise" {
        ENTERPRISE_FIELDS
    } else {
        COMMODITY_FIELDS
    };
    let mut field_list: Vec<&str> = fields.to_vec();
    if view.kind == "enterprise" {
        field_list.insert(1, "foreign");
    }
    let shown_fields = field_list
        .iter()
        .filter(|f| view.record.get(**f).is_some())
        .count();
    let restricted = !is_owner && shown_fields < field_list.len();
    let facts = field_list
        .iter()
        .filter(|f| **f != "attachments" && **f != "photo")
        .filter_map(|f| view.record.get(*f).map(|v| (*f, v)))
        .map(|(f, v)| Fact {
            label: field_label(t, f),
            value: show(ctx, f, v),
            code: f.ends_with("code") || ["uscc", "item_no", "barcode"].contains(&f),
        })
        .collect();
    let attachments: Vec<kuajing_registry::filing::record::AttachmentRef> =
        match (view.record.get("attachments"), view.record.get("photo")) {
            (Some(list), _) => serde_json::from_value(list.clone()).unwrap_or_default(),
            (None, Some(photo)) => serde_json::from_value(photo.clone())
                .map(|p: Option<_>| p.into_iter().collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
    let status_now = FilingStatus::parse(&view.status).unwrap_or(FilingStatus::Draft);
    let actions = available_steps(actor, &view, status_now)
        .into_iter()
        .map(|step| StepAction {
            step: step.as_str(),
            label: step_label(t, step.as_str()),
            needs_reason: step.needs_reason(),
            danger: matches!(step, Step::Return | Step::Suspend | Step::Revoke),
        })
        .collect();
    let editable = is_owner && rules::next(status_now, Step::Edit).is_ok();
    let edit_href = editable.then(|| {
        if view.kind == "enterprise" {
            "/filings/enterprise/edit".to_owned()
        } else {
            format!("/filings/{id}/edit")
        }
    });
    let purposes = if view.kind == "enterprise" {
        vec![
            Choice {
                value: "business_licence",
                label: t.purpose_business_licence,
                selected: true,
            },
            Choice {
                value: "other",
                label: t.purpose_other,
                selected: false,
            },
        ]
    } else {
        vec![Choice {
            value: "photo",
            label: t.purpose_photo,
            selected: true,
        }]
    };
    let versions = history
        .versions
        .iter()
        .rev()
        .map(|v| VersionRow {
            version_no: v.version_no,
            created_by: v.created_by.clone(),
            created_at_local: v
                .created_at
                .parse()
                .map(|at| ctx.local_time(at))
                .unwrap_or_default(),
            changes: v
                .changes
                .iter()
                .map(|c| ChangeRow {
                    label: field_label(t, &c.field),
                    before: c
                        .before
                        .as_ref()
                        .map(|b| show(ctx, &c.field, b))
                        .unwrap_or_else(|| "—".to_owned()),
                    after: c
                        .after
                        .as_ref()
                        .map(|a| show(ctx, &c.field, a))
                        .unwrap_or_else(|| "—".to_owned()),
                })
                .collect(),
        })
        .collect();
    let events = history
        .events
        .iter()
        .rev()
        .map(|e| EventRow {
            at_local: e
                .at
                .parse()
                .map(|at| ctx.local_time(at))
                .unwrap_or_default(),
            label: step_label(t, &e.event),
            role: e
                .agency_role
                .as_deref()
                .and_then(|r| r.parse::<Role>().ok())
                .map(|r| ctx.lang.role(r)),
            actor: e.actor.clone(),
            organisation: e.actor_organisation.clone().unwrap_or_default(),
            version_no: e.version_no,
            reason: e.reason.clone().unwrap_or_default(),
        })
        .collect();
    let (status_label, status_class) = status_label(t, &view.status);
    let page = DetailPage {
        id: view.id.clone(),
        title: view.title.clone(),
        kind_label: kind_label(t, &view.kind),
        subject_key: view.subject_key.clone(),
        owner: view.owner.clone(),
        version_no: view.version_no,
        active_version_no: view.active_version_no,
        status_label,
        status_class,
        restricted,
        notice,
        error,
        facts,
        approvals: approvals_of(ctx, &view),
        actions,
        edit_href,
        attachments,
        can_upload: editable,
        purposes,
        versions,
        events,
        page: ctx.page(Section::Filings),
    };
    Ok(render(status, &page))
}

/// The steps the visitor may take now (the use case checks again).
fn available_steps(
    actor: &kuajing_registry::actor::Actor,
    view: &FilingView,
    status: FilingStatus,
) -> Vec<Step> {
    let is_owner = actor.organisation_code.as_deref() == Some(view.owner.as_str());
    let needed: Vec<Role> = view
        .approvals_needed
        .iter()
        .filter_map(|r| r.parse().ok())
        .collect();
    let deciding: Vec<Role> = actor.roles.iter().filter(|r| needed.contains(r)).collect();
    let pending = deciding
        .iter()
        .any(|r| !view.approvals_given.iter().any(|g| g == r.as_str()));
    let authority = !deciding.is_empty() || actor.roles.contains(Role::ZoneAdmin);
    let in_force = view.active_version_no.is_some();
    let allowed = |step: Step| rules::next(status, step).is_ok();
    let mut steps = Vec::new();
    if is_owner && allowed(Step::Submit) {
        steps.push(Step::Submit);
    }
    if pending && allowed(Step::Approve) && actor.may(Action::DecideFilings, &view.owner).is_ok() {
        steps.push(Step::Approve);
        steps.push(Step::Return);
    }
    if authority && actor.may(Action::DecideFilings, &view.owner).is_ok() {
        for step in [Step::Suspend, Step::Reinstate, Step::Revoke] {
            if allowed(step) && (in_force || !rules::needs_version_in_force(step)) {
                steps.push(step);
            }
        }
    }
    steps
}

/// Takes a workflow step from the detail page.
pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let step = Step::ALL
        .into_iter()
        .find(|s| s.as_str() == form.text("step"));
    let result = match step {
        Some(step) if step != Step::Edit => {
            filing::act(state.store(), actor, &id, step, form.get("reason"))
                .await
                .map(|_| ())
        }
        _ => Err(Error::invalid(
            "step",
            "FILING_STEP_UNKNOWN",
            "未知操作",
            "unknown step",
        )),
    };
    back_to_detail(&state, &ctx, &id, result, Error::is_correctable).await
}

/// Uploads an attachment from the detail page.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let upload = read_upload(multipart, state.config().body_limit).await;
    let result = match upload {
        Ok(upload) => {
            ctx.check_csrf(&FormBody(vec![("csrf".to_owned(), upload.csrf.clone())]))?;
            match Purpose::parse(&upload.purpose) {
                Ok(purpose) => attachments::upload(
                    state.store(),
                    actor,
                    &id,
                    purpose,
                    &upload.file_name,
                    &upload.bytes,
                )
                .await
                .map(|_| ()),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    };
    back_to_detail(&state, &ctx, &id, result, |e| {
        e.is_correctable() || matches!(e, Error::MalformedBody { .. } | Error::BodyTooLarge { .. })
    })
    .await
}

/// After an action on the detail page: back to it with "saved", or the page
/// again with the reason where the visitor can put it right (`shown`), or
/// the error page.
async fn back_to_detail(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    result: Result<(), Error>,
    shown: impl Fn(&Error) -> bool,
) -> Result<Response, PortalError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/filings/{id}?saved=1")).into_response()),
        Err(e) if shown(&e) => {
            let message = ctx.message(&e);
            detail(state, ctx, id, e.status(), None, Some(message)).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// The visitor's enterprise filing, or the form to write the first one.
pub async fn own_enterprise(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    match filing::own_enterprise_filing(state.store(), actor)
        .await
        .map_err(|e| ctx.fail(e))?
    {
        Some(found) => Ok(Redirect::to(&format!("/filings/{}", found.id)).into_response()),
        None => Ok(Redirect::to("/filings/enterprise/edit").into_response()),
    }
}

#[derive(Template)]
#[template(path = "filing_form.html")]
struct FormPage {
    page: Page,
    heading: &'static str,
    lead: &'static str,
    back_href: String,
    action: &'static str,
    /// Every refusal of the submitted form: the field's id and the message.
    errors: Vec<(String, String)>,
    inputs: Vec<Input>,
    lists: Vec<CodeList>,
    role_options: Vec<Choice>,
    roles_invalid: bool,
}

struct Input {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    required: bool,
    readonly: bool,
    max: usize,
    /// Why the field was refused, if it was.
    message: Option<String>,
    /// The searchable list of codes the field takes, if it is a code field.
    list: Option<&'static str>,
}

/// (name, type, required, max length) of the enterprise form's fields.
const ENTERPRISE_INPUTS: [(&str, &str, bool, usize); 13] = [
    ("name", "text", true, 100),
    ("name_en", "text", false, 200),
    ("foreign", "checkbox", false, 5),
    ("uscc", "text", false, 18),
    ("domestic_agent", "text", false, 10),
    ("park", "text", false, 100),
    ("registered_address", "text", false, 200),
    ("business_address", "text", false, 200),
    ("legal_representative", "text", false, 50),
    ("contact_name", "text", false, 50),
    ("contact_phone", "tel", false, 20),
    ("email", "email", false, 100),
    ("roles", "hidden", false, 0),
];

/// (name, type, required, max length) of the commodity form's fields.
const COMMODITY_INPUTS: [(&str, &str, bool, usize); 13] = [
    ("item_no", "text", true, 50),
    ("name", "text", true, 250),
    ("specification", "text", false, 250),
    ("brand", "text", false, 100),
    ("hs_code", "text", true, 10),
    ("origin_country", "text", true, 3),
    ("declared_elements", "text", false, 500),
    ("unit1", "text", true, 3),
    ("unit2", "text", false, 3),
    ("reference_price", "text", true, 25),
    ("currency", "text", true, 3),
    ("barcode", "text", false, 14),
    ("regional_brand", "checkbox", false, 5),
];

fn inputs(
    ctx: &Ctx,
    spec: &[(&'static str, &'static str, bool, usize)],
    form: &FormBody,
    error: Option<&Error>,
    readonly: &[&str],
) -> Vec<Input> {
    let t = ctx.lang.texts();
    spec.iter()
        .filter(|(_, kind, _, _)| *kind != "hidden")
        .map(|&(name, kind, required, max)| Input {
            name,
            label: field_label(t, name),
            kind,
            value: form.text(name).to_owned(),
            required,
            readonly: readonly.contains(&name),
            max,
            message: field_message(ctx, error, name),
            list: None,
        })
        .collect()
}

fn form_from_json(value: &Value) -> FormBody {
    let mut pairs = Vec::new();
    if let Value::Object(fields) = value {
        for (name, v) in fields {
            match v {
                Value::String(s) => pairs.push((name.clone(), s.clone())),
                Value::Bool(b) => pairs.push((name.clone(), b.to_string())),
                Value::Array(items) if name == "roles" => {
                    pairs.extend(
                        items
                            .iter()
                            .filter_map(Value::as_str)
                            .map(|r| ("roles".to_owned(), r.to_owned())),
                    );
                }
                _ => {}
            }
        }
    }
    FormBody(pairs)
}

fn enterprise_form(ctx: &Ctx, form: &FormBody, error: Option<&Error>) -> Response {
    let t = ctx.lang.texts();
    let chosen = form.all("roles");
    let enterprise_roles = Role::ALL
        .iter()
        .filter(|r| r.kind() == kuajing_core::role::RoleKind::Enterprise);
    let page = FormPage {
        heading: t.my_enterprise_filing,
        lead: t.enterprise_form_lead,
        back_href: "/filings/enterprise".to_owned(),
        action: "/filings/enterprise",
        errors: error_summary(ctx, error),
        inputs: inputs(ctx, &ENTERPRISE_INPUTS, form, error, &[]),
        lists: Vec::new(),
        role_options: enterprise_roles
            .map(|&r| Choice {
                value: r.as_str(),
                label: ctx.lang.role(r),
                selected: chosen.iter().any(|c| c == r.as_str()),
            })
            .collect(),
        roles_invalid: any_field_starts_with(error, "roles"),
        page: ctx.page(Section::Filings),
    };
    render(error.map_or(StatusCode::OK, Error::status), &page)
}

/// The enterprise filing form, filled with the latest version or the
/// organisation's current record.
pub async fn edit_enterprise(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let form = match filing::own_enterprise_filing(state.store(), actor)
        .await
        .map_err(|e| ctx.fail(e))?
    {
        Some(found) => form_from_json(&serde_json::from_str(&found.data).unwrap_or(Value::Null)),
        None => {
            let input = filing::enterprise_input_from_registry(state.store(), actor)
                .await
                .map_err(|e| ctx.fail(e))?;
            form_from_json(
                &serde_json::to_value(EnterpriseRecordForm::from(&input)).unwrap_or(Value::Null),
            )
        }
    };
    Ok(enterprise_form(&ctx, &form, None))
}

/// The input's fields as a form would post them.
#[derive(serde::Serialize)]
struct EnterpriseRecordForm {
    name: String,
    name_en: Option<String>,
    uscc: Option<String>,
    foreign: bool,
    roles: Vec<String>,
    park: Option<String>,
    registered_address: Option<String>,
    business_address: Option<String>,
    legal_representative: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    email: Option<String>,
    domestic_agent: Option<String>,
}

impl From<&EnterpriseInput> for EnterpriseRecordForm {
    fn from(i: &EnterpriseInput) -> Self {
        EnterpriseRecordForm {
            name: i.name.clone(),
            name_en: i.name_en.clone(),
            uscc: i.uscc.clone(),
            foreign: i.foreign,
            roles: i.roles.clone(),
            park: i.park.clone(),
            registered_address: i.registered_address.clone(),
            business_address: i.business_address.clone(),
            legal_representative: i.legal_representative.clone(),
            contact_name: i.contact_name.clone(),
            contact_phone: i.contact_phone.clone(),
            email: i.email.clone(),
            domestic_agent: i.domestic_agent.clone(),
        }
    }
}

/// Saves the enterprise filing from the form.
pub async fn save_enterprise(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = EnterpriseInput {
        name: form.text("name").to_owned(),
        name_en: form.get("name_en").map(str::to_owned),
        uscc: form.get("uscc").map(str::to_owned),
        foreign: form.get("foreign") == Some("true"),
        roles: form.all("roles"),
        park: form.get("park").map(str::to_owned),
        registered_address: form.get("registered_address").map(str::to_owned),
        business_address: form.get("business_address").map(str::to_owned),
        legal_representative: form.get("legal_representative").map(str::to_owned),
        contact_name: form.get("contact_name").map(str::to_owned),
        contact_phone: form.get("contact_phone").map(str::to_owned),
        email: form.get("email").map(str::to_owned),
        domestic_agent: form.get("domestic_agent").map(str::to_owned),
    };
    match filing::save_enterprise(state.store(), actor, &input).await {
        Ok(saved) => Ok(Redirect::to(&format!("/filings/{}?saved=1", saved.id)).into_response()),
        Err(e) if e.is_correctable() => Ok(enterprise_form(&ctx, &form, Some(&e))),
        Err(e) => Err(ctx.fail(e)),
    }
}

/// The commodity form's code fields and the reference table each takes its
/// codes from.
const COMMODITY_CODE_FIELDS: [(&str, ReferenceKind); 4] = [
    ("origin_country", ReferenceKind::Country),
    ("unit1", ReferenceKind::Unit),
    ("unit2", ReferenceKind::Unit),
    ("currency", ReferenceKind::Currency),
];

async fn commodity_form(
    state: &AppState,
    ctx: &Ctx,
    form: &FormBody,
    error: Option<&Error>,
    back: String,
    existing: bool,
) -> Result<Response, PortalError> {
    let t = ctx.lang.texts();
    let readonly: &[&str] = if existing { &["item_no"] } else { &[] };
    let kinds: Vec<ReferenceKind> = COMMODITY_CODE_FIELDS.iter().map(|f| f.1).collect();
    let lists = code_lists(state, ctx, &kinds).await?;
    let mut inputs = inputs(ctx, &COMMODITY_INPUTS, form, error, readonly);
    for input in &mut inputs {
        if let Some((_, kind)) = COMMODITY_CODE_FIELDS.iter().find(|f| f.0 == input.name) {
            input.list = Some(code_list_id(*kind));
        }
    }
    let page = FormPage {
        heading: if existing {
            t.edit_commodity
        } else {
            t.new_commodity
        },
        lead: t.commodity_form_lead,
        back_href: back,
        action: "/filings/commodities",
        errors: error_summary(ctx, error),
        inputs,
        lists,
        role_options: Vec::new(),
        roles_invalid: false,
        page: ctx.page(Section::Filings),
    };
    Ok(render(error.map_or(StatusCode::OK, Error::status), &page))
}

/// An empty commodity form (currency CNY by default).
pub async fn new_commodity(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Response, PortalError> {
    ctx.member()?;
    let form = FormBody(vec![("currency".to_owned(), "142".to_owned())]);
    commodity_form(
        &state,
        &ctx,
        &form,
        None,
        "/filings?mine=true&kind=commodity".to_owned(),
        false,
    )
    .await
}

/// The form of a filing: the commodity form filled with its latest version,
/// or the enterprise form.
pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let view = filing::read(state.store(), actor, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    if view.kind == "enterprise" {
        return Ok(Redirect::to("/filings/enterprise/edit").into_response());
    }
    if actor.organisation_code.as_deref() != Some(view.owner.as_str()) {
        return Err(ctx.fail(Error::NotFound {
            what: "filing",
            key: id,
        }));
    }
    let form = form_from_json(&view.record);
    commodity_form(&state, &ctx, &form, None, format!("/filings/{id}"), true).await
}

/// Saves a commodity filing from the form.
pub async fn save_commodity(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = CommodityInput {
        item_no: form.text("item_no").to_owned(),
        name: form.text("name").to_owned(),
        specification: form.get("specification").map(str::to_owned),
        brand: form.get("brand").map(str::to_owned),
        hs_code: form.text("hs_code").to_owned(),
        origin_country: form.text("origin_country").to_owned(),
        declared_elements: form.get("declared_elements").map(str::to_owned),
        unit1: form.text("unit1").to_owned(),
        unit2: form.get("unit2").map(str::to_owned),
        reference_price: form.text("reference_price").to_owned(),
        currency: form.text("currency").to_owned(),
        barcode: form.get("barcode").map(str::to_owned),
        regional_brand: form.get("regional_brand") == Some("true"),
    };
    match filing::save_commodity(state.store(), actor, &input).await {
        Ok(saved) => Ok(Redirect::to(&format!("/filings/{}?saved=1", saved.id)).into_response()),
        Err(e) if e.is_correctable() => {
            commodity_form(
                &state,
                &ctx,
                &form,
                Some(&e),
                "/filings?mine=true&kind=commodity".to_owned(),
                false,
            )
            .await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "bulk.html")]
struct BulkPage {
    page: Page,
    columns: String,
    error: Option<String>,
    job: Option<JobView>,
}

struct JobView {
    file_name: String,
    status: String,
    total_rows: i64,
    processed_rows: i64,
    succeeded_rows: i64,
    failed_rows: i64,
    report: Vec<ReportRow>,
    /// Why a failed job failed, in the reader's language.
    failure: Option<String>,
}

struct ReportRow {
    line: u64,
    item_no: String,
    field: String,
    code: String,
    message: String,
}

fn bulk_page(
    ctx: &Ctx,
    status: StatusCode,
    job: Option<JobView>,
    error: Option<String>,
) -> Response {
    let mut page = ctx.page(Section::Filings);
    if job.as_ref().is_some_and(|j| j.status == "running") {
        page.refresh = Some(2);
    }
    render(
        status,
        &BulkPage {
            page,
            columns: kuajing_registry::bulk::columns().join(","),
            error,
            job,
        },
    )
}

/// The bulk upload form.
pub async fn bulk_form(ctx: Ctx) -> Result<Response, PortalError> {
    ctx.member()?;
    Ok(bulk_page(&ctx, StatusCode::OK, None, None))
}

/// Starts a bulk job from the form and goes to its progress page.
pub async fn bulk_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Multipart,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let upload = match read_upload(multipart, state.config().body_limit).await {
        Ok(upload) => upload,
        Err(e) => return Ok(bulk_page(&ctx, e.status(), None, Some(ctx.message(&e)))),
    };
    ctx.check_csrf(&FormBody(vec![("csrf".to_owned(), upload.csrf.clone())]))?;
    match kuajing_registry::bulk::start(
        state.store(),
        actor,
        &upload.file_name,
        &upload.bytes,
        upload.submit,
        state.config().bulk_job_lease,
    )
    .await
    {
        Ok(job) => Ok(Redirect::to(&format!("/filings/bulk/{}", job.id)).into_response()),
        Err(e) if e.is_correctable() => {
            Ok(bulk_page(&ctx, e.status(), None, Some(ctx.message(&e))))
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// A bulk job's progress (refreshing itself while it runs) and report.
pub async fn bulk_job(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let job = kuajing_registry::bulk::job(state.store(), actor, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let view = crate::api::filings::BulkJobView::from(job);
    let zh = ctx.lang == crate::portal::i18n::Lang::ZhCn;
    let failure = view
        .failure
        .map(|f| if zh { f.message_zh } else { f.message_en });
    let job = JobView {
        failure,
        report: view
            .report
            .into_iter()
            .map(|r| ReportRow {
                line: r.line,
                item_no: r.item_no,
                field: r.field.unwrap_or_default(),
                code: r.code,
                message: if zh { r.message_zh } else { r.message_en },
            })
            .collect(),
        file_name: view.file_name,
        status: view.status,
        total_rows: view.total_rows,
        processed_rows: view.processed_rows,
        succeeded_rows: view.succeeded_rows,
        failed_rows: view.failed_rows,
    };
    Ok(bulk_page(&ctx, StatusCode::OK, Some(job), None))
}
