//! Identity: proving who is calling.
//!
//! - [`password`]: Argon2id hashes, computed off the request threads.
//! - [`secret`]: random secrets and their stored hashes.
//! - [`sign_in`]: sessions for people (throttling, lockout).
//! - [`throttle`]: the per-address sign-in throttle.
//! - [`tokens`]: API tokens for systems (Bearer).
//!
//! Turning a request into an [`Actor`](crate::actor::Actor) is the web
//! crate's; what an identified actor may then do is decided in one place,
//! `kuajing_core::access`.

pub mod password;
pub mod secret;
pub mod sign_in;
pub mod throttle;
pub mod tokens;
