//! Server settings. Defaults suit the embedded quick start; every one can be
//! set from the command line or the environment (`kuajing serve --help`).

use std::net::SocketAddr;
use std::time::Duration;

/// When cookies carry the `Secure` attribute: decided by the configuration
/// alone ([`ServerConfig::secure_cookies`]), never by the request's `Host`
/// header, which a proxy or a client may set to anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CookieSecurity {
    /// Always, unless the server listens on a loopback address
    /// (`127.0.0.1`, `[::1]`) and no proxy is declared
    /// ([`ServerConfig::trust_forwarded_for`]): the quick start, which
    /// browsers reach over plain HTTP on the same machine.
    #[default]
    Auto,
    /// Always (the server sits behind TLS).
    Always,
}

/// The bearer token that lets a scraper read `/metrics` from anywhere.
/// Its `Debug` form hides it, so that a logged configuration does not leak
/// it.
#[derive(Clone, PartialEq, Eq)]
pub struct MetricsToken(pub String);

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(…)")
    }
}

/// Settings of one server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Longest a request may take before it is answered with 408.
    pub request_timeout: Duration,
    /// A web session lapses after this long without use.
    pub session_idle: Duration,
    /// When cookies are marked `Secure`.
    pub cookie_security: CookieSecurity,
    /// Who may read `/metrics` besides a direct connection from the
    /// server's own host: whoever presents this token as
    /// `Authorization: Bearer …`. `None`: nobody else.
    pub metrics_token: Option<MetricsToken>,
    /// Consecutive failed sign-ins that lock an account.
    pub lockout_threshold: i64,
    /// How long a locked account stays locked.
    pub lockout_duration: Duration,
    /// Sign-in attempts allowed from one address in a burst; refilled at one
    /// per [`ServerConfig::sign_in_refill`].
    pub sign_in_burst: u32,
    /// Time to regain one sign-in attempt per address.
    pub sign_in_refill: Duration,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted
    /// reverse proxy).
    pub trust_forwarded_for: bool,
    /// Offset from UTC, in minutes, in which the portal shows times: the
    /// zone's local time (China Standard Time, UTC+8, for Hunchun). Stored
    /// and API times stay UTC.
    pub display_utc_offset_minutes: i16,
    /// How long a running bulk job's heartbeat may be silent before the job
    /// is taken to have lost its server and is failed as interrupted (its
    /// server writes the heartbeat at least every quarter of this).
    pub bulk_job_lease: Duration,
    /// How webhooks are sent and retried.
    pub webhooks: kuajing_registry::webhooks::DispatchSettings,
    /// Retail import clearance: signatures, timeouts, rules, risk modes,
    /// limits.
    pub clearance: kuajing_exchange::ClearanceSettings,
    /// Caps on connections (total, per address) and the header-read
    /// timeout that cuts off slow and idle clients.
    pub connections: crate::connections::ConnectionLimits,
    /// How many password hashes run at once and how many may wait (sign-in
    /// and user creation); beyond, 503 with Retry-After.
    pub password_hashing: kuajing_registry::auth::password::HashingSettings,
    /// Mounts `POST /bench/store-floor`, the store's floor that
    /// `kuajing bench clearance` measures the intake against (issue #16): a
    /// message scanned, hashed and kept through the intake's group commit,
    /// with a fixed answer. For the bench's own database only.
    pub bench_store_floor: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            // A CEB message may carry 100 documents; 10 MiB leaves room.
            body_limit: 10 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            session_idle: Duration::from_secs(30 * 60),
            cookie_security: CookieSecurity::Auto,
            metrics_token: None,
            lockout_threshold: 5,
            lockout_duration: Duration::from_secs(15 * 60),
            sign_in_burst: 10,
            sign_in_refill: Duration::from_secs(6),
            trust_forwarded_for: false,
            display_utc_offset_minutes: 8 * 60,
            bulk_job_lease: Duration::from_secs(60),
            webhooks: kuajing_registry::webhooks::DispatchSettings::default(),
            clearance: kuajing_exchange::ClearanceSettings::default(),
            connections: crate::connections::ConnectionLimits::default(),
            password_hashing: kuajing_registry::auth::password::HashingSettings::default(),
            bench_store_floor: false,
        }
    }
}

impl ServerConfig {
    /// Whether cookies are marked `Secure`: with [`CookieSecurity::Always`];
    /// with [`CookieSecurity::Auto`] unless the listening address is a
    /// loopback one and no trusted proxy is declared. A request's `Host`
    /// header plays no part: behind a proxy that sends `Host: localhost`
    /// the cookies stay `Secure`.
    pub fn secure_cookies(&self) -> bool {
        match self.cookie_security {
            CookieSecurity::Always => true,
            CookieSecurity::Auto => !self.addr.ip().is_loopback() || self.trust_forwarded_for,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_cookies_follow_the_configuration() {
        let on = |addr: &str, policy, proxy| {
            ServerConfig {
                addr: addr.parse().unwrap(),
                cookie_security: policy,
                trust_forwarded_for: proxy,
                ..ServerConfig::default()
            }
            .secure_cookies()
        };
        use CookieSecurity::{Always, Auto};
        assert!(!on("127.0.0.1:8080", Auto, false), "the quick start");
        assert!(!on("[::1]:8080", Auto, false));
        assert!(
            on("127.0.0.1:8080", Auto, true),
            "behind a proxy on the same host"
        );
        assert!(on("0.0.0.0:8080", Auto, false));
        assert!(on("[::]:8080", Auto, false));
        assert!(on("10.0.0.5:8080", Auto, false));
        assert!(on("127.0.0.1:8080", Always, false));
    }

    #[test]
    fn the_metrics_token_is_not_logged() {
        let token = MetricsToken("s3cret-scrape".to_owned());
        assert!(!format!("{token:?}").contains("s3cret"));
    }
}
