//! What every page needs: the visitor's language, who is signed in, the
//! navigation, and how failures become pages.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kuajing_core::access::{Action, Scope};
use kuajing_core::error::Localized;
use kuajing_core::role::Role;
use kuajing_core::timestamp::Timestamp;

use crate::auth::{cookies, identify};
use crate::error::{Error, HttpError};
use crate::extract::FormBody;
use crate::portal::assets;
use crate::portal::i18n::{Lang, Texts};
use crate::state::AppState;
use kuajing_registry::actor::Actor;
use kuajing_registry::auth::secret;

/// The request as the portal sees it.
pub struct Ctx {
    /// Language chosen (cookie), Chinese by default.
    pub lang: Lang,
    /// Who is signed in, if anyone.
    pub actor: Option<Actor>,
    /// Path and query of this request, to come back to after sign-in or a
    /// language switch.
    pub here: String,
    /// Whether the database holds demo data.
    pub demo: bool,
    /// Whether signed messages are accepted unverified (a sandbox).
    pub unsigned: bool,
    /// Minutes east of UTC in which to show times.
    pub offset_minutes: i16,
    /// How many things wait for the signed-in organisation (the menu's
    /// inbox badge; counted for pages, not for form posts).
    pub inbox: i64,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PortalError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PortalError> {
        let lang = cookies::get(&parts.headers, cookies::LANG)
            .and_then(Lang::from_tag)
            .unwrap_or_default();
        let here = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        let mut ctx = Ctx {
            lang,
            actor: None,
            here,
            demo: state.demo(),
            unsigned: state.config().clearance.allow_unsigned_messages,
            offset_minutes: state.config().display_utc_offset_minutes,
            inbox: 0,
        };
        ctx.actor = match identify::identify(state, parts).await {
            Ok(actor) => actor,
            // A suspended organisation's session ends here: show why.
            Err(error) => return Err(ctx.fail(error)),
        };
        if parts.method == axum::http::Method::GET
            && let Some(actor) = &ctx.actor
        {
            // The badge is a convenience: a failure to count shows the page
            // without it (and is logged), never an error page.
            ctx.inbox = match super::inbox_counts::waiting(state, actor).await {
                Ok(waiting) => waiting.iter().map(|(_, n)| n).sum(),
                Err(error) => {
                    tracing::warn!(error = ?error, "inbox count failed");
                    0
                }
            };
        }
        Ok(ctx)
    }
}

/// A failure, as a page or as a trip to the sign-in page.
pub enum PortalError {
    /// Not signed in: go to the sign-in page, then come back.
    SignIn {
        /// Where to come back to.
        next: String,
    },
    /// An error page.
    Page(Box<Response>),
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        match self {
            PortalError::SignIn { next } => {
                let query = form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", &next)
                    .finish();
                Redirect::to(&format!("/login?{query}")).into_response()
            }
            PortalError::Page(response) => *response,
        }
    }
}

/// A link in the main navigation.
pub struct NavItem {
    /// Target.
    pub href: &'static str,
    /// Text.
    pub label: &'static str,
    /// Whether it is the current section.
    pub current: bool,
    /// A count beside it (the inbox's), if any.
    pub badge: Option<i64>,
}

/// A link of the language switch.
pub struct LangLink {
    /// Target (`/lang/{tag}?next=…`).
    pub href: String,
    /// BCP 47 tag.
    pub tag: &'static str,
    /// The language's own name.
    pub name: &'static str,
    /// Whether it is the language in use.
    pub current: bool,
}

/// The signed-in user as the header shows them.
pub struct NavUser {
    /// The person's name (or the login).
    pub display_name: String,
    /// The organisation's name.
    pub organisation_name: String,
}

/// Sections of the portal, for marking the current one in the navigation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Sign-in and error pages: no section.
    None,
    /// Home.
    Home,
    /// Organisations.
    Organisations,
    /// API tokens.
    Tokens,
    /// Audit trail.
    Audit,
    /// Filings.
    Filings,
    /// Reference data.
    Reference,
    /// Webhook subscriptions.
    Webhooks,
    /// Clearance: documents, receipts, the review queue, the board.
    Clearance,
    /// Bonded e-account books.
    Bonded,
    /// The repair desk (bonded after-sales repair).
    Repair,
    /// Exports: export lists and manifests.
    Exports,
    /// The overseas-warehouse registry (海外仓备案).
    Warehouses,
    /// The 无票免税 purchase record.
    Purchases,
    /// Export summary declarations (汇总申报).
    Summaries,
    /// Delegated declaration (委托申报).
    Delegations,
    /// Help and glossary (帮助).
    Help,
    /// What waits for the organisation (待办).
    Inbox,
}

/// The frame of every page (base.html).
pub struct Page {
    /// Language.
    pub lang: Lang,
    /// Texts in that language.
    pub t: &'static Texts,
    /// Stylesheet URL (content-hashed).
    pub css: &'static str,
    /// Language switch.
    pub languages: Vec<LangLink>,
    /// Main navigation (empty when signed out).
    pub nav: Vec<NavItem>,
    /// Signed-in user.
    pub user: Option<NavUser>,
    /// The session's CSRF token for forms (empty when signed out).
    pub csrf: String,
    /// Demo data loaded.
    pub demo: bool,
    /// Signed messages accepted unverified (`--allow-unsigned-messages`).
    pub unsigned: bool,
    /// Build version.
    pub version: &'static str,
    /// Reload the page after this many seconds (progress pages; no script).
    pub refresh: Option<u32>,
}

impl Page {
    /// A text the platform stored in Chinese and English, in the reader's
    /// language (`glossary::in_reader_language`); other text as it is.
    pub fn reader<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        super::glossary::in_reader_language(self.lang, text)
    }
}

impl Ctx {
    /// The signed-in actor, or a trip to the sign-in page.
    pub fn member(&self) -> Result<&Actor, PortalError> {
        self.actor.as_ref().ok_or_else(|| PortalError::SignIn {
            next: self.here.clone(),
        })
    }

    /// The frame for a page in `section`.
    pub fn page(&self, section: Section) -> Page {
        let t = self.lang.texts();
        let nav = match &self.actor {
            None => Vec::new(),
            Some(actor) => {
                let mut items = vec![
                    (Section::Home, "/home", t.nav_home),
                    (Section::Filings, "/filings", t.nav_filings),
                    (
                        Section::Organisations,
                        "/organisations",
                        t.nav_organisations,
                    ),
                    (Section::Reference, "/reference", t.nav_reference),
                    (Section::Webhooks, "/webhooks", t.nav_webhooks),
                    (Section::Tokens, "/tokens", t.nav_tokens),
                ];
                // Clearance: the enterprises that declare their own
                // documents, and who reads every list (customs, the zone
                // administration); the other agencies are refused there,
                // so their menu does not offer it (issue #17).
                if actor.scope(Action::Declare).is_some()
                    || actor.scope(Action::ReadClearance) == Some(Scope::All)
                {
                    items.insert(2, (Section::Clearance, "/clearance", t.nav_clearance));
                }
                if actor.scope(Action::ReadBooks).is_some() {
                    items.insert(3, (Section::Bonded, "/bonded", t.nav_bonded));
                    items.insert(4, (Section::Repair, "/repair", t.nav_repair));
                }
                if actor.scope(Action::Declare).is_some()
                    || actor.scope(Action::ReadClearance) == Some(Scope::All)
                {
                    items.insert(3, (Section::Exports, "/exports", t.nav_exports));
                }
                if actor.scope(Action::File).is_some()
                    || actor.scope(Action::DecideWarehouses).is_some()
                {
                    items.push((
                        Section::Warehouses,
                        "/overseas-warehouses",
                        t.nav_warehouses,
                    ));
                }
                if actor.scope(Action::ReadPurchases).is_some() {
                    items.push((Section::Purchases, "/purchase-records", t.nav_purchases));
                }
                // The exporter's summary declarations (its declarer or
                // e-commerce enterprise) and customs' view of them.
                if actor.scope(Action::ReadClearance) == Some(Scope::All)
                    || actor.roles.contains(Role::Declarer)
                    || actor.roles.contains(Role::Ebc)
                {
                    let at = items.len().min(3);
                    items.insert(
                        at,
                        (Section::Summaries, "/exports/summaries", t.nav_summaries),
                    );
                }
                // Enterprises that declare name their delegates; customs
                // reads every delegation.
                if actor.scope(Action::Delegate).is_some()
                    || actor.scope(Action::ReadDelegations) == Some(Scope::All)
                {
                    items.push((Section::Delegations, "/delegations", t.nav_delegations));
                }
                if actor.scope(Action::ReadAudit).is_some() {
                    items.push((Section::Audit, "/audit", t.nav_audit));
                }
                items.insert(1, (Section::Inbox, "/inbox", t.nav_inbox));
                items.push((Section::Help, "/help", t.nav_help));
                items
                    .into_iter()
                    .map(|(s, href, label)| NavItem {
                        href,
                        label,
                        current: s == section,
                        badge: (s == Section::Inbox && self.inbox > 0).then_some(self.inbox),
                    })
                    .collect()
            }
        };
        Page {
            lang: self.lang,
            t,
            css: assets::css_path(),
            languages: Lang::ALL
                .into_iter()
                .map(|lang| LangLink {
                    href: format!(
                        "/lang/{}?{}",
                        lang.tag(),
                        form_urlencoded::Serializer::new(String::new())
                            .append_pair("next", &self.here)
                            .finish()
                    ),
                    tag: lang.tag(),
                    name: lang.native_name(),
                    current: lang == self.lang,
                })
                .collect(),
            nav,
            user: self.actor.as_ref().map(|a| NavUser {
                display_name: a.display_name.clone().unwrap_or_else(|| a.name.clone()),
                organisation_name: a.organisation_name.clone().unwrap_or_default(),
            }),
            csrf: self
                .actor
                .as_ref()
                .and_then(|a| a.session.as_ref())
                .map(|s| s.csrf_token.clone())
                .unwrap_or_default(),
            demo: self.demo,
            unsigned: self.unsigned,
            version: env!("CARGO_PKG_VERSION"),
            refresh: None,
        }
    }

    /// What a page shows after a form: (status, what was done, the
    /// refusal) — 200 with the done text, or the form's status with the
    /// refusal when the person can put it right; any other error is the
    /// error page.
    pub fn after_form(
        &self,
        done: Result<String, Error>,
    ) -> Result<(StatusCode, Option<String>, Option<String>), PortalError> {
        match done {
            Ok(message) => Ok((StatusCode::OK, Some(message), None)),
            Err(e) if e.is_correctable() => Ok((e.status(), None, Some(self.message(&e)))),
            Err(e) => Err(self.fail(e)),
        }
    }

    /// An error's message in the visitor's language (Russian from the
    /// phrasebook of the platform's messages, `portal::russian`; English
    /// where the book lacks one), led by the field's name where the message
    /// does not say which field it is about.
    pub fn message(&self, error: &Error) -> String {
        let t = self.lang.texts();
        let label = |field: &str| super::form_fields::known_field_label(t, field);
        let text = match self.lang {
            Lang::ZhCn => error.message_zh(),
            Lang::En => error.message_en(),
            Lang::Ru => {
                let en = error.message_en();
                super::russian::error(&en, &label).unwrap_or(en)
            }
        };
        match error.field().and_then(|f| label(f).map(|name| (f, name))) {
            // The message names the field by its key (`reason 不能为空`):
            // by its label instead.
            Some((field, name)) if text.starts_with(field) => {
                format!("{name}{}", &text[field.len()..])
            }
            Some((field, name)) if !text.contains(field) && !text.contains(name) => {
                format!("{name}: {text}")
            }
            _ => text,
        }
    }

    /// Turns an error into an error page (or a sign-in trip).
    pub fn fail(&self, error: Error) -> PortalError {
        if matches!(error, Error::Unauthenticated) {
            return PortalError::SignIn {
                next: self.here.clone(),
            };
        }
        let status = error.status();
        if status.is_server_error() {
            tracing::error!(error = ?error, "page failed");
        }
        let t = self.lang.texts();
        let title = match status {
            StatusCode::NOT_FOUND => t.not_found_title,
            StatusCode::FORBIDDEN => t.forbidden_title,
            _ => t.error_title,
        };
        let page = ErrorPage {
            page: self.page(Section::None),
            title,
            message: self.message(&error),
            code: error.code(),
        };
        let mut response = render(status, &page);
        if let Error::Store(kuajing_store::StoreError::Storage { fault, .. }) = error {
            // As for the API (error.rs): marks the store's writes failing.
            response.extensions_mut().insert(fault);
        }
        PortalError::Page(Box::new(response))
    }

    /// Checks a posted form's CSRF token against the session's.
    pub fn check_csrf(&self, form: &FormBody) -> Result<(), PortalError> {
        let expected = self
            .actor
            .as_ref()
            .and_then(|a| a.session.as_ref())
            .map(|s| s.csrf_token.as_str());
        match expected {
            Some(expected) if secret::same_secret(form.text("csrf"), expected) => Ok(()),
            _ => Err(self.fail(Error::Csrf)),
        }
    }

    /// A time as the zone's local wall-clock time, `2026-11-27 18:11:45`.
    pub fn local_time(&self, at: Timestamp) -> String {
        let offset = time::UtcOffset::from_whole_seconds(i32::from(self.offset_minutes) * 60)
            .unwrap_or(time::UtcOffset::UTC);
        let local = at.datetime().to_offset(offset);
        let format =
            time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
        local.format(format).unwrap_or_else(|_| at.to_string())
    }

    /// A stored time (RFC 3339 text, UTC) as [`Ctx::local_time`] shows it;
    /// text that is not a time as it is.
    pub fn local_text(&self, text: &str) -> String {
        text.parse::<Timestamp>()
            .map(|at| self.local_time(at))
            .unwrap_or_else(|_| text.to_owned())
    }
}

/// The `?saved=1` a page is redirected to after a change.
#[derive(Debug, serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

impl SavedQuery {
    /// The "saved" notice, if a change was just saved.
    pub fn notice(&self, ctx: &Ctx) -> Option<&'static str> {
        self.saved.is_some().then_some(ctx.lang.texts().saved)
    }
}

/// Renders a template with a status, or a plain 500 if rendering fails.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            html,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    title: &'static str,
    message: String,
    code: &'static str,
}

/// A safe place to go back to: a local path, never another site (an open
/// redirect would let a phishing link borrow the portal's address).
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if local { next } else { "/home" }
}

/// Where to go after signing in: a safe local path other than the sign-in
/// page itself.
pub fn after_sign_in(next: &str) -> &str {
    let next = safe_next(next);
    if next.starts_with("/login") {
        "/home"
    } else {
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(
            safe_next("/organisations?role=ebp"),
            "/organisations?role=ebp"
        );
        assert_eq!(safe_next("https://evil.example/"), "/home");
        assert_eq!(safe_next("//evil.example/"), "/home");
        assert_eq!(safe_next("/\\evil.example"), "/home");
        assert_eq!(safe_next(""), "/home");
        assert_eq!(safe_next("/login?next=/home"), "/login?next=/home");
        assert_eq!(after_sign_in("/login?next=/login"), "/home");
        assert_eq!(after_sign_in("/audit"), "/audit");
    }
}
