//! Reading and writing the few cookies the portal uses.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, header};

use crate::config::CookieSecurity;

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

/// Whether cookies set in answer to this request should be `Secure`: always,
/// unless the policy is [`CookieSecurity::Auto`] and the request is addressed
/// to the loopback host (the quick start over plain HTTP).
pub fn secure(headers: &HeaderMap, policy: CookieSecurity) -> bool {
    match policy {
        CookieSecurity::Always => true,
        CookieSecurity::Auto => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            !is_loopback_host(host)
        }
    }
}

fn is_loopback_host(host: &str) -> bool {
    let name = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| h.trim_start_matches('['))
            .unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
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
    fn secure_except_on_loopback_in_auto_mode() {
        let with_host = |host: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_static(host));
            h
        };
        for host in ["127.0.0.1:8080", "localhost", "[::1]:8080", "LOCALHOST:80"] {
            assert!(!secure(&with_host(host), CookieSecurity::Auto), "{host}");
            assert!(secure(&with_host(host), CookieSecurity::Always), "{host}");
        }
        assert!(secure(
            &with_host("kuajing.hunchun.gov.cn"),
            CookieSecurity::Auto
        ));
        assert!(secure(&HeaderMap::new(), CookieSecurity::Auto));
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
