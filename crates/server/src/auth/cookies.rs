//! Reading and writing the few cookies the portal uses. Whether they are
//! `Secure` is the configuration's to say (`ServerConfig::secure_cookies`),
//! never the request's.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, header};

/// The session cookie: a random secret, `HttpOnly`.
pub const SESSION: &str = "kj_session";
/// The language choice, kept for a year.
pub const LANG: &str = "kj_lang";
/// The sign-in form's CSRF token (double-submit: cookie and hidden field must
/// match), since there is no session yet to hold it.
pub const SIGN_IN_CSRF: &str = "kj_signin_csrf";

/// The value of cookie `name` in the request, if present.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value. `max_age` of `None` makes a browser-session cookie;
/// zero deletes the cookie.
pub fn set(
    name: &str,
    value: &str,
    max_age: Option<Duration>,
    http_only: bool,
    secure: bool,
) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; SameSite=Lax");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={}", age.as_secs()));
    }
    if http_only {
        cookie.push_str("; HttpOnly");
    }
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A `Set-Cookie` value that deletes cookie `name`.
pub fn clear(name: &str, secure: bool) -> HeaderValue {
    set(name, "", Some(Duration::ZERO), true, secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; kj_session=xyz; b=2"),
        );
        assert_eq!(get(&headers, SESSION), Some("xyz"));
        assert_eq!(get(&headers, "c"), None);
    }

    #[test]
    fn set_cookie_attributes() {
        let v = set(SESSION, "s", Some(Duration::from_secs(60)), true, true);
        assert_eq!(
            v,
            "kj_session=s; Path=/; SameSite=Lax; Max-Age=60; HttpOnly; Secure"
        );
    }
}
