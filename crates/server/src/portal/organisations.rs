//! Organisation pages: the directory, one organisation, filing a new one,
//! suspending and reinstating, adding users.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kuajing_core::access::Action;
use kuajing_core::role::Role;
use kuajing_store::organisations::OrganisationFilter;
use serde::Deserialize;

use crate::error::{Error, HttpError};
use crate::extract::FormBody;
use crate::portal::context::{Ctx, Page, PortalError, SavedQuery, Section, render};
use crate::portal::form_errors::{any_field_starts_with, error_summary, field_message};
use crate::portal::i18n::Lang;
use crate::portal::list_tools::{self, ListParams, SortHeader};
use crate::portal::views::{Choice, OrgFacts, status};
use crate::state::AppState;
use kuajing_registry::organisations::{
    self as registry, OrganisationInput, UserInput, parse_status,
};

#[derive(Template)]
#[template(path = "organisations.html")]
struct DirectoryPage {
    page: Page,
    can_manage: bool,
    role_options: Vec<Choice>,
    status_options: Vec<Choice>,
    rows: Vec<Row>,
    /// The search text.
    q: String,
    /// The sortable columns' headers.
    headers: Vec<SortHeader>,
    /// The list as CSV and as XLSX, as filtered and sorted.
    csv_href: String,
    xlsx_href: String,
}

struct Row {
    customs_code: String,
    /// The name in the visitor's language where filed (English for English
    /// and Russian readers), else the Chinese name.
    name: String,
    /// The Chinese name, when `name` is another.
    name_zh: Option<String>,
    roles: Vec<&'static str>,
    park: String,
    status_label: &'static str,
    status_class: &'static str,
    is_demo: bool,
}

/// Directory filters.
#[derive(Debug, Deserialize)]
pub struct DirectoryQuery {
    role: Option<String>,
    status: Option<String>,
    q: Option<String>,
}

/// The directory of organisations the visitor may see.
pub async fn directory(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<DirectoryQuery>,
    Query(list): Query<ListParams>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let role = query
        .role
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(|r| r.parse::<Role>().map_err(|_| unknown_role(r)))
        .transpose()
        .map_err(|e| ctx.fail(e))?;
    let wanted_status = query
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| parse_status("status", s))
        .transpose()
        .map_err(|e| ctx.fail(e))?;
    let filter = OrganisationFilter {
        customs_code: None,
        role,
        status: wanted_status,
        search: query.q.clone().filter(|q| !q.trim().is_empty()),
    };
    let organisations = registry::list_organisations(state.store(), actor, filter)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.lang.texts();
    let mut rows: Vec<Row> = organisations
        .into_iter()
        .map(|org| {
            let (status_label, status_class) = status(&ctx, org.status);
            let (name, name_zh) = match (ctx.lang, org.name_en) {
                (Lang::En | Lang::Ru, Some(english)) => (english, Some(org.name)),
                _ => (org.name, None),
            };
            Row {
                customs_code: org.customs_code.to_string(),
                roles: org.roles.iter().map(|r| ctx.lang.role(r)).collect(),
                park: org.park.unwrap_or_default(),
                name,
                name_zh,
                status_label,
                status_class,
                is_demo: org.is_demo,
            }
        })
        .collect();
    sort_rows(&mut rows, &list);
    let kept = [
        ("role", query.role.clone().unwrap_or_default()),
        ("status", query.status.clone().unwrap_or_default()),
        ("q", query.q.clone().unwrap_or_default()),
    ];
    let columns = [
        ("code", t.customs_code),
        ("name", t.name),
        ("park", t.park),
        ("status", t.status),
    ];
    if let Some(format) = list.format.as_deref() {
        return download(&ctx, &rows, format);
    }
    let page = DirectoryPage {
        q: query.q.clone().unwrap_or_default(),
        headers: list.headers("/organisations", &kept, &columns),
        csv_href: list.download_href("/organisations", &kept, "csv"),
        xlsx_href: list.download_href("/organisations", &kept, "xlsx"),
        can_manage: actor.scope(Action::ManageOrganisations).is_some(),
        role_options: role_choices(&ctx, |r| Some(r) == role),
        status_options: vec![
            Choice {
                value: "active",
                label: t.status_active,
                selected: wanted_status.is_some_and(|s| s.as_str() == "active"),
            },
            Choice {
                value: "suspended",
                label: t.status_suspended,
                selected: wanted_status.is_some_and(|s| s.as_str() == "suspended"),
            },
        ],
        rows,
        page: ctx.page(Section::Organisations),
    };
    Ok(render(StatusCode::OK, &page))
}

/// The rows in the order the address asks (by code when it asks none).
fn sort_rows(rows: &mut [Row], list: &ListParams) {
    match list.sorted_by(&["code", "name", "park", "status"]) {
        Some("name") => rows.sort_by(|a, b| a.name.cmp(&b.name)),
        Some("park") => rows.sort_by(|a, b| a.park.cmp(&b.park)),
        Some("status") => rows.sort_by(|a, b| a.status_label.cmp(b.status_label)),
        _ => rows.sort_by(|a, b| a.customs_code.cmp(&b.customs_code)),
    }
    if list.descending() {
        rows.reverse();
    }
}

/// The directory as shown (filtered, sorted, names in the reader's
/// language) as a CSV or XLSX file.
fn download(ctx: &Ctx, rows: &[Row], format: &str) -> Result<Response, PortalError> {
    let t = ctx.lang.texts();
    let columns = [t.customs_code, t.name, t.name_zh, t.roles, t.park, t.status];
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.customs_code.clone(),
                r.name.clone(),
                r.name_zh.clone().unwrap_or_else(|| r.name.clone()),
                r.roles.join(" "),
                r.park.clone(),
                r.status_label.to_owned(),
            ]
        })
        .collect();
    list_tools::download(ctx, format, "organisations", &columns, &body)
}

fn unknown_role(name: &str) -> Error {
    Error::invalid(
        "role",
        "ROLE_UNKNOWN",
        format!("未知角色“{name}”"),
        format!("unknown role '{name}'"),
    )
}

fn role_choices(ctx: &Ctx, selected: impl Fn(Role) -> bool) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|&r| Choice {
            value: r.as_str(),
            label: ctx.lang.role(r),
            selected: selected(r),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    page: Page,
    org: OrgFacts,
    can_manage: bool,
    users: Option<Vec<UserRow>>,
    notice: Option<&'static str>,
    error: Option<String>,
}

struct UserRow {
    login: String,
    display_name: String,
    status_label: &'static str,
    status_class: &'static str,
}

/// One organisation, with its users where the visitor may see them.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, PortalError> {
    let notice = query.notice(&ctx);
    organisation_page(&state, &ctx, &code, StatusCode::OK, notice, None).await
}

async fn organisation_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    status_code: StatusCode,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let store = state.store();
    let org = registry::read_organisation(store, actor, code)
        .await
        .map_err(|e| ctx.fail(e))?;
    let t = ctx.lang.texts();
    let users = if actor.may(Action::ReadUsers, code).is_ok() {
        let list = registry::list_users(store, actor, code)
            .await
            .map_err(|e| ctx.fail(e))?;
        Some(
            list.into_iter()
                .map(|u| UserRow {
                    login: u.login,
                    display_name: u.display_name,
                    status_label: if u.active {
                        t.status_active
                    } else {
                        t.status_suspended
                    },
                    status_class: if u.active { "tag-ok" } else { "tag-bad" },
                })
                .collect(),
        )
    } else {
        None
    };
    let page = OrganisationPage {
        page: ctx.page(Section::Organisations),
        org: OrgFacts::new(ctx, org),
        can_manage: actor.may(Action::ManageOrganisations, code).is_ok(),
        users,
        notice,
        error,
    };
    Ok(render(status_code, &page))
}

/// Suspends or reinstates (zone administration).
pub async fn change_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let result = match parse_status("status", form.text("status")) {
        Ok(new_status) => {
            let reason = form.text("reason");
            registry::set_organisation_status(state.store(), actor, &code, new_status, reason).await
        }
        Err(e) => Err(e),
    };
    after_change(&state, &ctx, &code, result).await
}

/// Where a change to organisation `code` leads: back to its page saying it
/// was saved, or to the page again with what the user must put right.
async fn after_change<T>(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    result: Result<T, Error>,
) -> Result<Response, PortalError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/organisations/{code}?saved=1")).into_response()),
        Err(e) if e.is_correctable() => {
            let message = ctx.message(&e);
            organisation_page(state, ctx, code, e.status(), None, Some(message)).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// Adds a user to the organisation (zone administration).
pub async fn add_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = UserInput {
        login: form.text("login").to_owned(),
        display_name: form.text("display_name").to_owned(),
        password: form.text("password").to_owned(),
    };
    let result = registry::add_user(state.store(), state.passwords(), actor, &code, &input).await;
    after_change(&state, &ctx, &code, result).await
}

/// Resets a user's password (zone administration): the new password is
/// handed over as the first was; the user's sessions end.
pub async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, login)): Path<(String, String)>,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let result = registry::reset_password(
        state.store(),
        state.passwords(),
        actor,
        &code,
        &login,
        form.text("password"),
    )
    .await;
    after_change(&state, &ctx, &code, result).await
}

#[derive(Template)]
#[template(path = "organisation_new.html")]
struct NewOrganisationPage {
    page: Page,
    inputs: Vec<TextInput>,
    role_options: Vec<Choice>,
    roles_invalid: bool,
    /// Every refusal of the submitted form: the field's id and the message.
    errors: Vec<(String, String)>,
}

struct TextInput {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    required: bool,
    max: usize,
    /// Why the field was refused, if it was.
    message: Option<String>,
}

/// The filing form.
pub async fn new_form(ctx: Ctx) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    actor
        .may(Action::ManageOrganisations, "")
        .map_err(|denied| ctx.fail(denied.into()))?;
    Ok(new_page(&ctx, &FormBody(Vec::new()), None))
}

fn new_page(ctx: &Ctx, form: &FormBody, error: Option<&Error>) -> Response {
    let t = ctx.lang.texts();
    let fields: [(&'static str, &'static str, &'static str, bool, usize); 8] = [
        ("customs_code", t.customs_code, "text", true, 10),
        ("name", t.name_zh, "text", true, 100),
        ("name_en", t.name_en, "text", false, 200),
        ("uscc", t.uscc, "text", false, 18),
        ("park", t.park, "text", false, 100),
        ("address", t.address, "text", false, 200),
        ("contact_name", t.contact, "text", false, 50),
        ("contact_phone", t.contact_phone, "tel", false, 20),
    ];
    let inputs = fields
        .into_iter()
        .map(|(name, label, kind, required, max)| TextInput {
            name,
            label,
            kind,
            value: form.text(name).to_owned(),
            required,
            max,
            message: field_message(ctx, error, name),
        })
        .collect();
    let chosen = form.all("roles");
    let page = NewOrganisationPage {
        page: ctx.page(Section::Organisations),
        inputs,
        role_options: role_choices(ctx, |r| chosen.iter().any(|c| c == r.as_str())),
        roles_invalid: any_field_starts_with(error, "roles"),
        errors: error_summary(ctx, error),
    };
    render(error.map_or(StatusCode::OK, Error::status), &page)
}

/// Files the organisation from the form.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let input = OrganisationInput {
        customs_code: form.text("customs_code").to_owned(),
        name: form.text("name").to_owned(),
        name_en: form.get("name_en").map(str::to_owned),
        uscc: form.get("uscc").map(str::to_owned),
        roles: form.all("roles"),
        park: form.get("park").map(str::to_owned),
        address: form.get("address").map(str::to_owned),
        contact_name: form.get("contact_name").map(str::to_owned),
        contact_phone: form.get("contact_phone").map(str::to_owned),
    };
    let result = match input.parse(false) {
        Ok(new) => registry::file_organisation(state.store(), actor, &new).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(org) => Ok(
            Redirect::to(&format!("/organisations/{}?saved=1", org.customs_code)).into_response(),
        ),
        Err(e) if e.is_correctable() => Ok(new_page(&ctx, &form, Some(&e))),
        Err(e) => Err(ctx.fail(e)),
    }
}
