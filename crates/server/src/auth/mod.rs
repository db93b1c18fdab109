//! Identity and access: who is calling, and proving it.
//!
//! - [`password`]: Argon2id hashes.
//! - [`secret`]: random secrets and their stored hashes.
//! - [`sign_in`]: sessions for people (cookies, CSRF, throttling, lockout).
//! - [`tokens`]: API tokens for systems (Bearer).
//! - [`identify`]: turning a request into an [`Actor`](crate::actor::Actor).
//!
//! What an identified actor may then do is decided in one place,
//! `kuajing_core::access`.

pub mod cookies;
pub mod identify;
pub mod password;
pub mod secret;
pub mod sign_in;
pub mod throttle;
pub mod tokens;
