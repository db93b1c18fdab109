//! Signing people in and out of the web portal.
//!
//! Defences, in the order they apply: a per-address throttle
//! ([`super::throttle`]); the same answer and the same work whether or not the
//! login exists; a per-account lockout after repeated failures; a fresh
//! session secret at every sign-in (no fixation). Every attempt is audited.

use std::net::IpAddr;

use kuajing_core::timestamp::Timestamp;
use kuajing_store::audit::{self, ActorKind, NewAuditEntry, Outcome};
use kuajing_store::organisations::{self, OrganisationStatus};
use kuajing_store::sessions::{self, Session};
use kuajing_store::{Store, StoreError, users};

use crate::actor::record;
use crate::auth::password::Hashing;
use crate::auth::secret;
use crate::auth::throttle::SignInThrottle;
use crate::error::{Error, Result};

/// What signing in needs: the store, the per-address throttle, the bound
/// on password work, and the lockout and session settings
/// (`kuajing serve`'s).
#[derive(Clone, Copy)]
pub struct Gate<'a> {
    /// The database.
    pub store: &'a Store,
    /// The per-address throttle.
    pub throttle: &'a SignInThrottle,
    /// The bound on Argon2 work.
    pub passwords: &'a Hashing,
    /// Consecutive failures that lock an account.
    pub lockout_threshold: i64,
    /// How long a locked account stays locked.
    pub lockout_duration: std::time::Duration,
    /// How long a session lasts without use.
    pub session_idle: std::time::Duration,
}

/// A successful sign-in: the cookie secret to hand to the browser.
#[derive(Debug)]
pub struct SignedIn {
    /// The session cookie's value (only its hash is stored).
    pub cookie_secret: String,
    /// The signed-in user's login.
    pub login: String,
}

/// Checks a login and password and opens a session.
pub async fn sign_in(
    gate: Gate<'_>,
    login: &str,
    pass: &str,
    ip: Option<IpAddr>,
) -> Result<SignedIn> {
    if let Some(Err(retry_after_secs)) = ip.map(|ip| gate.throttle.check(ip)) {
        metrics::counter!("kuajing_sign_ins_total", "outcome" => "throttled").increment(1);
        return Err(Error::TooManyRequests { retry_after_secs });
    }
    let ip_text = ip.map(|ip| ip.to_string());
    let store = gate.store;
    let now = Timestamp::now();
    let mut conn = store.reader().await?;
    let user = users::find_by_login(&mut conn, login).await?;
    drop(conn);

    let Some(user) = user else {
        gate.passwords.verify_against_dummy(pass).await?;
        refuse(
            gate.store,
            login,
            None,
            None,
            ip_text.as_deref(),
            "unknown login",
        )
        .await?;
        return Err(Error::SignInFailed);
    };
    if let Some(until) = user.locked_until.filter(|until| *until > now) {
        gate.passwords.verify_against_dummy(pass).await?;
        let detail = format!("locked until {until}");
        refuse(
            gate.store,
            login,
            Some(&user.id),
            Some(&user.organisation_code),
            ip_text.as_deref(),
            &detail,
        )
        .await?;
        return Err(Error::SignInFailed);
    }
    if !gate.passwords.verify(pass, &user.password_hash).await? {
        let lock_until = now.plus(gate.lockout_duration);
        let mut tx = store.begin().await?;
        let failures =
            users::record_failed_sign_in(&mut tx, &user.id, gate.lockout_threshold, lock_until)
                .await?;
        let detail = if failures >= gate.lockout_threshold {
            format!("wrong password ({failures} in a row); locked until {lock_until}")
        } else {
            format!("wrong password ({failures} in a row)")
        };
        let entry = attempt(
            login,
            Some(&user.id),
            Some(&user.organisation_code),
            ip_text.as_deref(),
            Outcome::Denied,
            &detail,
        );
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        metrics::counter!("kuajing_sign_ins_total", "outcome" => "denied").increment(1);
        return Err(Error::SignInFailed);
    }
    let mut conn = store.reader().await?;
    let org = organisations::find_by_code(&mut conn, &user.organisation_code).await?;
    drop(conn);
    let suspended = org.is_none_or(|o| o.status != OrganisationStatus::Active);
    if suspended || !user.active {
        refuse(
            gate.store,
            login,
            Some(&user.id),
            Some(&user.organisation_code),
            ip_text.as_deref(),
            "organisation suspended or user disabled",
        )
        .await?;
        return Err(Error::Suspended(user.organisation_code));
    }

    let cookie_secret = secret::new_secret("")?;
    let session = Session {
        token_hash: secret::hash_secret(&cookie_secret),
        user_id: user.id.clone(),
        csrf_token: secret::new_secret("")?,
        created_at: now,
        last_seen_at: now,
        expires_at: now.plus(gate.session_idle),
    };
    let mut tx = store.begin().await?;
    users::record_successful_sign_in(&mut tx, &user.id).await?;
    sessions::insert(&mut tx, &session, ip_text.as_deref()).await?;
    let entry = attempt(
        login,
        Some(&user.id),
        Some(&user.organisation_code),
        ip_text.as_deref(),
        Outcome::Success,
        "",
    );
    audit::append(
        &mut tx,
        &NewAuditEntry {
            detail: None,
            ..entry
        },
        now,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    metrics::counter!("kuajing_sign_ins_total", "outcome" => "success").increment(1);
    Ok(SignedIn {
        cookie_secret,
        login: user.login,
    })
}

/// Ends the session whose cookie hash is `token_hash`.
pub async fn sign_out(store: &Store, actor: &crate::actor::Actor) -> Result<()> {
    let Some(session) = &actor.session else {
        return Ok(());
    };
    let mut tx = store.begin().await?;
    sessions::delete(&mut tx, &session.token_hash).await?;
    actor.commit(tx, "sign_out", None, None).await?;
    Ok(())
}

fn attempt<'a>(
    login: &'a str,
    user_id: Option<&'a str>,
    organisation_code: Option<&'a str>,
    ip: Option<&'a str>,
    outcome: Outcome,
    detail: &'a str,
) -> NewAuditEntry<'a> {
    NewAuditEntry {
        actor_kind: if user_id.is_some() {
            ActorKind::User
        } else {
            ActorKind::Anonymous
        },
        actor_id: user_id,
        actor_name: Some(login),
        organisation_code,
        action: "sign_in",
        target: Some(login),
        outcome,
        ip,
        detail: Some(detail),
    }
}

async fn refuse(
    store: &Store,
    login: &str,
    user_id: Option<&str>,
    organisation_code: Option<&str>,
    ip: Option<&str>,
    detail: &str,
) -> Result<()> {
    metrics::counter!("kuajing_sign_ins_total", "outcome" => "denied").increment(1);
    // An attacker may send any text as a login; keep the trail readable.
    let login: String = login.chars().take(64).collect();
    record(
        store,
        &attempt(
            &login,
            user_id,
            organisation_code,
            ip,
            Outcome::Denied,
            detail,
        ),
    )
    .await
}
