//! The web portal (门户): server-rendered HTML in Chinese, English and
//! Russian; forms that work without JavaScript; one embedded stylesheet.

mod assets;
mod audit;
mod context;
mod home;
pub mod i18n;
mod organisations;
mod sign_in;
mod tokens;
mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub use context::{Ctx, PortalError};

/// The portal's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(sign_in::root))
        .route("/login", get(sign_in::form).post(sign_in::submit))
        .route("/logout", post(sign_in::sign_out))
        .route("/lang/{tag}", get(sign_in::switch_language))
        .route("/home", get(home::home))
        .route(
            "/organisations",
            get(organisations::directory).post(organisations::create),
        )
        .route("/organisations/new", get(organisations::new_form))
        .route("/organisations/{code}", get(organisations::show))
        .route(
            "/organisations/{code}/status",
            post(organisations::change_status),
        )
        .route("/organisations/{code}/users", post(organisations::add_user))
        .route("/tokens", get(tokens::list).post(tokens::issue))
        .route("/tokens/{id}/revoke", post(tokens::revoke))
        .route("/audit", get(audit::page))
        .route(assets::css_path(), get(assets::css))
}
