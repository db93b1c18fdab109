//! The portal's stylesheet, embedded in the binary (nothing is fetched at run
//! time) and served under a name that changes with its content, so browsers
//! may cache it for a year.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};

/// The stylesheet.
pub const CSS: &str = include_str!("../../assets/portal.css");

/// `/static/portal.<hash>.css`.
pub fn css_path() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let digest = hex::encode(Sha256::digest(CSS.as_bytes()));
        format!("/static/portal.{}.css", &digest[..12])
    })
}

/// Serves the stylesheet.
pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
}
