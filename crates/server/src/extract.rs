//! Request-body extractors that answer in the platform's error format:
//! JSON whose errors name the field, forms with repeated keys, both under the
//! body-size limit (413) and with the right media type (415).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use crate::error::{Error, WebError};

/// A JSON body of type `T`. Malformed JSON or a wrong field gives 400 naming
/// the field (`roles[1]`, `name`); unknown fields are refused where `T` says
/// `deny_unknown_fields`.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Self, WebError> {
        require_media_type(request.headers(), "application/json")?;
        let bytes = body(request, state).await?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|e| json_error(&e))?;
        deserializer.end().map_err(|e| Error::MalformedBody {
            field: None,
            detail: e.to_string(),
        })?;
        Ok(ApiJson(value))
    }
}

/// Names the field a JSON error is about: its path, completed with the name
/// of a missing field (serde reports those at the parent's path).
fn json_error(error: &serde_path_to_error::Error<serde_json::Error>) -> Error {
    let detail = error.inner().to_string();
    let path = error.path().to_string();
    let missing = detail
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    // serde_path_to_error writes "." for the root and "?" where the input
    // ended before a key was complete.
    let field = match (path.as_str(), missing) {
        ("." | "?", Some(name)) => Some(name.to_owned()),
        ("." | "?", None) => None,
        (path, Some(name)) => Some(format!("{path}.{name}")),
        (path, None) => Some(path.to_owned()),
    };
    Error::MalformedBody { field, detail }
}

/// A query string of type `T`; a bad parameter gives 400 naming it.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, WebError> {
        let query = parts.uri.query().unwrap_or("");
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|e| {
                let detail = e.inner().to_string();
                let path = e.path().to_string();
                let field = (path != "." && path != "?").then_some(path);
                WebError(Error::MalformedBody { field, detail })
            })
    }
}

/// A path parameter; a malformed one (e.g. invalid UTF-8) gives 400 in the
/// platform's format rather than axum's plain text.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|rejection| {
                WebError(Error::MalformedBody {
                    field: Some("path".to_owned()),
                    detail: rejection.body_text(),
                })
            })
    }
}

/// A body taken as it is (CSV uploads), under the body limit.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Self, WebError> {
        Ok(RawBody(body(request, state).await?))
    }
}

/// A `application/x-www-form-urlencoded` body as ordered pairs, so that
/// repeated keys (checkbox groups) keep every value.
pub struct FormBody(pub Vec<(String, String)>);

impl FormBody {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, or empty.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl<S: Send + Sync> FromRequest<S> for FormBody {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Self, WebError> {
        require_media_type(request.headers(), "application/x-www-form-urlencoded")?;
        let bytes = body(request, state).await?;
        let pairs = serde_urlencoded::from_bytes(&bytes).map_err(|e| Error::MalformedBody {
            field: None,
            detail: e.to_string(),
        })?;
        Ok(FormBody(pairs))
    }
}

fn require_media_type(headers: &HeaderMap, expected: &'static str) -> Result<(), Error> {
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim)
        .unwrap_or("");
    if given.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(Error::UnsupportedMediaType { expected })
    }
}

/// Reads the body under the router's `DefaultBodyLimit`.
async fn body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, Error> {
    let limit = request
        .extensions()
        .get::<BodyLimit>()
        .map_or(usize::MAX, |l| l.0);
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Error::BodyTooLarge { limit },
            _ => Error::MalformedBody {
                field: None,
                detail: rejection.body_text(),
            },
        })
}

/// The configured body limit, put in each request's extensions so that the
/// 413 message can state it.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Probe {
        name: String,
        roles: Vec<String>,
    }

    fn field_of(json: &str) -> Option<String> {
        let mut de = serde_json::Deserializer::from_str(json);
        let err = serde_path_to_error::deserialize::<_, Probe>(&mut de).unwrap_err();
        match json_error(&err) {
            Error::MalformedBody { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn json_errors_name_the_field() {
        assert_eq!(field_of(r#"{"roles": []}"#).as_deref(), Some("name"));
        assert_eq!(
            field_of(r#"{"name": "x", "roles": ["a", 7]}"#).as_deref(),
            Some("roles[1]")
        );
        assert_eq!(
            field_of(r#"{"name": 1, "roles": []}"#).as_deref(),
            Some("name")
        );
        assert_eq!(
            field_of(r#"{"name": "x", "roles": [], "admin": true}"#).as_deref(),
            Some("admin")
        );
        assert_eq!(field_of(r#"{"name": "x", "#), None);
    }
}
