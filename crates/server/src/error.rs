//! The one mapping of the platform's errors to HTTP.
//!
//! Use cases fail with [`Error`] (`kuajing_registry::error`), which carries
//! no HTTP type. Here, once, each becomes a status ([`HttpError::status`])
//! and the JSON `{code, message_zh, message_en, field?}` ([`ErrorBody`]);
//! handlers return [`WebResult`], whose error ([`WebError`]) answers so.
//! Internal causes (database errors, bugs) are logged once, with the
//! request's span, and never echoed to the client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kuajing_core::access::Denied;
use kuajing_core::error::Localized;
use kuajing_store::StoreError;
use serde::Serialize;

pub use kuajing_registry::error::{Error, Result};

/// Seconds a client is asked to wait after a storage fault (full disk,
/// read-only database): long enough for an operator's fix, short enough
/// that writes resume soon after it.
pub const STORAGE_RETRY_AFTER_SECS: u64 = 10;

/// The JSON shape of every error answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine code, e.g. `ACCESS_DENIED`, `ID_CHECK_CHARACTER`.
    pub code: String,
    /// Message in Chinese.
    pub message_zh: String,
    /// Message in English.
    pub message_en: String,
    /// The field the error is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field's refusal, when a request broke more than one rule
    /// (the fields above are the first of them), in the form's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(no_recursion)]
    pub errors: Vec<ErrorBody>,
}

/// What HTTP makes of an [`Error`].
pub trait HttpError {
    /// The HTTP status.
    fn status(&self) -> StatusCode;
    /// The JSON body.
    fn body(&self) -> ErrorBody;
}

impl HttpError for Error {
    fn status(&self) -> StatusCode {
        match self {
            Error::Unauthenticated | Error::SignInFailed => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) | Error::Suspended(_) | Error::Csrf | Error::OperatorsOnly => {
                StatusCode::FORBIDDEN
            }
            Error::NotFound { .. } => StatusCode::NOT_FOUND,
            Error::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Error::Invalid { .. } | Error::InvalidFields(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::MalformedBody { .. } => StatusCode::BAD_REQUEST,
            Error::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Conflict { .. } => StatusCode::CONFLICT,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Overloaded { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Error::Store(StoreError::Database(_) | StoreError::Storage { .. }) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Error::Store(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code().to_owned(),
            message_zh: self.message_zh(),
            message_en: self.message_en(),
            field: self.field().map(str::to_owned),
            errors: match self {
                Error::InvalidFields(all) => all.iter().map(HttpError::body).collect(),
                _ => Vec::new(),
            },
        }
    }
}

/// An [`Error`] on its way to the client: what handlers fail with.
#[derive(Debug)]
pub struct WebError(pub Error);

/// Result of a handler.
pub type WebResult<T> = std::result::Result<T, WebError>;

impl From<Error> for WebError {
    fn from(error: Error) -> Self {
        WebError(error)
    }
}

impl From<StoreError> for WebError {
    fn from(error: StoreError) -> Self {
        WebError(error.into())
    }
}

impl From<Denied> for WebError {
    fn from(denied: Denied) -> Self {
        WebError(denied.into())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        response(self.0)
    }
}

/// The answer an [`Error`] gives: status, JSON body, and the headers that
/// say when to come back.
pub fn response(error: Error) -> Response {
    let status = error.status();
    if status.is_server_error() {
        tracing::error!(error = ?error, "request failed");
    }
    let mut response = (status, Json(error.body())).into_response();
    let retry_after = match &error {
        // The database is momentarily unavailable: say when to resend.
        Error::Store(StoreError::Database(_)) => Some(1),
        // The operator has to act (free space, make the database
        // writable): a resend within the second would fail the same.
        Error::Store(StoreError::Storage { .. }) => Some(STORAGE_RETRY_AFTER_SECS),
        Error::TooManyRequests { retry_after_secs } | Error::Overloaded { retry_after_secs } => {
            Some(*retry_after_secs)
        }
        _ => None,
    };
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if let Error::Store(StoreError::Storage { fault, .. }) = error {
        // For the layer that marks the server unready (ops.rs).
        response.extensions_mut().insert(fault);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_never_reach_the_client() {
        let error = Error::Store(StoreError::Database(kuajing_store::SqlxError::Protocol(
            "connection to secret-host refused".into(),
        )));
        let body = error.body();
        assert_eq!(error.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            !body.message_en.contains("secret-host"),
            "{}",
            body.message_en
        );
        let internal = Error::Internal("stack trace with secret-host".into()).body();
        assert!(!internal.message_en.contains("secret-host"));
    }

    #[test]
    fn a_bad_identifier_names_its_field_and_rule() {
        let id_error = kuajing_core::ids::Uscc::parse("91330100716105852G").unwrap_err();
        let body = Error::invalid_id("uscc", &id_error).body();
        assert_eq!(body.code, "ID_CHECK_CHARACTER");
        assert_eq!(body.field.as_deref(), Some("uscc"));
        assert!(body.message_zh.contains("校验码"), "{}", body.message_zh);
    }
}
