//! Identity at the edge: turning a request into an
//! [`Actor`](kuajing_registry::Actor).
//!
//! - [`cookies`]: the session and CSRF cookies.
//! - [`identify`]: a Bearer token or the session cookie → the actor, with
//!   the CSRF check every session write passes.
//!
//! Passwords, sessions, sign-in and tokens are the registry's
//! (`kuajing_registry::auth`); what an identified actor may then do is
//! decided in one place, `kuajing_core::access`.

pub mod cookies;
pub mod identify;
