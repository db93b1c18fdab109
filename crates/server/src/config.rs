//! Server settings. Defaults suit the embedded quick start; every one can be
//! set from the command line or the environment (`kuajing serve --help`).

use std::net::SocketAddr;
use std::time::Duration;

/// When session cookies carry the `Secure` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CookieSecurity {
    /// Always, except for requests addressed to the loopback host
    /// (`localhost`, `127.0.0.1`, `[::1]`), which browsers reach over plain
    /// HTTP during the quick start.
    #[default]
    Auto,
    /// Always (the server sits behind TLS).
    Always,
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
    /// How webhooks are sent and retried.
    pub webhooks: crate::webhooks::DispatchSettings,
    /// Retail import clearance: signatures, timeouts, rules, risk modes,
    /// limits.
    pub clearance: crate::clearance::ClearanceSettings,
    /// Caps on connections (total, per address) and the header-read
    /// timeout that cuts off slow and idle clients.
    pub connections: crate::connections::ConnectionLimits,
    /// How many password hashes run at once and how many may wait (sign-in
    /// and user creation); beyond, 503 with Retry-After.
    pub password_hashing: crate::auth::password::HashingSettings,
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
            lockout_threshold: 5,
            lockout_duration: Duration::from_secs(15 * 60),
            sign_in_burst: 10,
            sign_in_refill: Duration::from_secs(6),
            trust_forwarded_for: false,
            display_utc_offset_minutes: 8 * 60,
            webhooks: crate::webhooks::DispatchSettings::default(),
            clearance: crate::clearance::ClearanceSettings::default(),
            connections: crate::connections::ConnectionLimits::default(),
            password_hashing: crate::auth::password::HashingSettings::default(),
        }
    }
}
