//! Webhooks (订阅推送): an organisation subscribes a URL to topics; every
//! change it may see is POSTed there as JSON, signed with HMAC-SHA256 under a
//! secret shown once at subscription; failures are retried with exponential
//! backoff; after the last attempt a delivery is dead, and any delivery can
//! be replayed.
//!
//! The signature header is `Kuajing-Signature: t=<unix seconds>,v1=<hex>`
//! where `<hex>` is HMAC-SHA256(secret, "<t>.<body>"); receivers recompute it
//! and reject old timestamps. `Kuajing-Event-Id` (also sent as
//! `Idempotency-Key`) names the change: delivery is at least once.
//!
//! Targets must be public HTTPS addresses unless the operator allows
//! private ones ([`targets`]); deliveries are sent fairly per subscriber,
//! concurrently, with a back-off per subscriber ([`dispatch`]).

pub mod dispatch;
pub mod targets;

use std::time::Duration;

use hmac::{Hmac, Mac};
use kuajing_core::access::{Action, Scope};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::webhooks::{self, Delivery, NewSubscription, Subscription};
use kuajing_store::{Store, organisations, outbox};
use serde::Serialize;
use sha2::Sha256;

pub use dispatch::{WebhookClient, fan_out, run, send_due};
pub use targets::HostLookup;

use crate::actor::Actor;
use crate::auth::secret;
use crate::error::{Error, Result};
use crate::feed::parse_topics;

/// A subscription as its owner sees it (the secret only once, at creation).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubscriptionView {
    /// Id.
    pub id: String,
    /// Subscribing organisation.
    pub organisation: String,
    /// Where changes are POSTed.
    pub url: String,
    /// Topics (`enterprise`, `commodity`).
    pub topics: Vec<String>,
    /// Whether deliveries are made.
    pub active: bool,
    /// Last outbox position turned into deliveries.
    pub cursor: i64,
    /// Who created it.
    pub created_by: String,
    /// When (UTC).
    pub created_at: String,
    /// Failed attempts in a row (reset by a delivery or a replay).
    pub consecutive_failures: i64,
    /// While its endpoint fails, no delivery is attempted before this time
    /// (UTC); others' deliveries go on meanwhile.
    pub backoff_until: Option<String>,
}

impl From<Subscription> for SubscriptionView {
    fn from(s: Subscription) -> Self {
        SubscriptionView {
            id: s.id,
            organisation: s.organisation_code,
            url: s.url,
            topics: s.topics,
            active: s.active,
            cursor: s.cursor_seq,
            created_by: s.created_by,
            created_at: s.created_at.to_string(),
            consecutive_failures: s.consecutive_failures,
            backoff_until: s.backoff_until.map(|t| t.to_string()),
        }
    }
}

/// Subscribes the actor's organisation; returns the subscription and the
/// signing secret, which is shown this once. Deliveries start with changes
/// made from now on. The URL must be a public HTTPS target unless
/// `settings` allow private ones ([`targets::check_target`]).
pub async fn subscribe(
    store: &Store,
    settings: &DispatchSettings,
    actor: &Actor,
    url: &str,
    topics: &[String],
) -> Result<(SubscriptionView, String)> {
    let own = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::Subscribe, &own, "webhook.subscribe", &own)
        .await?;
    let url =
        targets::check_target(url.trim(), settings.allow_private_targets, &settings.lookup).await?;
    let topics = if topics.is_empty() {
        crate::feed::TOPICS
            .iter()
            .map(|t| (*t).to_owned())
            .collect()
    } else {
        parse_topics(topics)?
    };
    let signing_secret = secret::new_secret("whsec_")?;
    let mut tx = store.begin().await?;
    let org = organisations::find_by_code(&mut tx, &own)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: "organisation",
            key: own.clone(),
        })?;
    let cursor_seq = outbox::last_seq(&mut tx).await?;
    let new = NewSubscription {
        organisation_id: &org.id,
        url: url.as_str(),
        secret: &signing_secret,
        topics: &topics,
        cursor_seq,
        by: &actor.name,
    };
    let subscription = webhooks::subscribe(&mut tx, &new, Timestamp::now()).await?;
    actor
        .commit(
            tx,
            "webhook.subscribe",
            Some(&subscription.id),
            Some(url.as_str()),
        )
        .await?;
    Ok((subscription.into(), signing_secret))
}

/// The subscription `id` if the actor may manage it (its organisation's, or
/// any for the zone administration); otherwise not found.
async fn owned(store: &Store, actor: &Actor, id: &str) -> Result<Subscription> {
    let mut conn = store.reader().await?;
    let found = webhooks::subscription(&mut conn, id).await?;
    drop(conn);
    match found {
        Some(s) if actor.may(Action::Subscribe, &s.organisation_code).is_ok() => Ok(s),
        _ => Err(Error::NotFound {
            what: "webhook subscription",
            key: id.to_owned(),
        }),
    }
}

/// The actor's organisation's subscriptions (all for the zone administration).
pub async fn list(store: &Store, actor: &Actor) -> Result<Vec<SubscriptionView>> {
    let mut conn = store.reader().await?;
    let organisation_id = match actor.scope(Action::Subscribe) {
        Some(Scope::All) => None,
        Some(Scope::Own) => {
            let own = actor.organisation_code.clone().unwrap_or_default();
            Some(
                organisations::find_by_code(&mut conn, &own)
                    .await?
                    .map(|o| o.id)
                    .unwrap_or_default(),
            )
        }
        None => return Ok(Vec::new()),
    };
    let list = webhooks::subscriptions(&mut conn, organisation_id.as_deref(), false).await?;
    Ok(list.into_iter().map(Into::into).collect())
}

/// Stops or restarts deliveries.
pub async fn set_active(
    store: &Store,
    actor: &Actor,
    id: &str,
    active: bool,
) -> Result<SubscriptionView> {
    let subscription = owned(store, actor, id).await?;
    let mut tx = store.begin().await?;
    webhooks::set_active(&mut tx, &subscription.id, active, Timestamp::now()).await?;
    let after = webhooks::subscription(&mut tx, id)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: "webhook subscription",
            key: id.to_owned(),
        })?;
    let action = if active {
        "webhook.resume"
    } else {
        "webhook.pause"
    };
    actor.commit(tx, action, Some(id), None).await?;
    Ok(after.into())
}

/// The newest deliveries of a subscription.
pub async fn deliveries(
    store: &Store,
    actor: &Actor,
    id: &str,
    limit: i64,
) -> Result<Vec<Delivery>> {
    let subscription = owned(store, actor, id).await?;
    let mut conn = store.reader().await?;
    Ok(webhooks::deliveries(&mut conn, &subscription.id, limit).await?)
}

/// Sends a delivered or dead delivery again, now: the subscription's
/// back-off is lifted (replaying says the endpoint is expected to answer).
pub async fn replay(store: &Store, actor: &Actor, delivery_id: &str) -> Result<Delivery> {
    let not_found = || Error::NotFound {
        what: "webhook delivery",
        key: delivery_id.to_owned(),
    };
    let mut conn = store.reader().await?;
    let delivery = webhooks::delivery(&mut conn, delivery_id)
        .await?
        .ok_or_else(not_found)?;
    drop(conn);
    owned(store, actor, &delivery.subscription_id)
        .await
        .map_err(|_| not_found())?;
    let mut tx = store.begin().await?;
    if !webhooks::replay(&mut tx, delivery_id, Timestamp::now()).await? {
        return Err(Error::invalid(
            "status",
            "DELIVERY_NOT_REPLAYABLE",
            "只能重发已送达或已失效的推送",
            "only a delivered or dead delivery can be replayed",
        ));
    }
    let after = webhooks::delivery(&mut tx, delivery_id)
        .await?
        .ok_or_else(not_found)?;
    actor
        .commit(tx, "webhook.replay", Some(delivery_id), None)
        .await?;
    Ok(after)
}

/// How webhooks are sent.
#[derive(Debug, Clone)]
pub struct DispatchSettings {
    /// How often the dispatcher looks for work.
    pub tick: Duration,
    /// Delay before the first retry; doubled for each further one.
    pub base_delay: Duration,
    /// Longest delay between attempts.
    pub max_delay: Duration,
    /// Attempts before a delivery is dead.
    pub max_attempts: i64,
    /// How long one POST may take.
    pub timeout: Duration,
    /// POSTs in flight at once on this server; each finishes on its own,
    /// and a free slot is filled at the next tick.
    pub concurrency: usize,
    /// Deliveries of one subscription in flight at once, across every
    /// server sharing the database: a slow endpoint holds this many slots,
    /// no more.
    pub per_subscriber: i64,
    /// Allow targets at internal addresses (loopback, private, link-local,
    /// …) and plain HTTP: for tests and closed networks only
    /// (`kuajing serve --webhooks-allow-private`). Off by default.
    pub allow_private_targets: bool,
    /// How target host names are looked up (the system's resolver).
    pub lookup: HostLookup,
}

impl Default for DispatchSettings {
    fn default() -> Self {
        DispatchSettings {
            tick: Duration::from_secs(1),
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(6 * 3600),
            max_attempts: 10,
            timeout: Duration::from_secs(10),
            concurrency: 32,
            per_subscriber: 2,
            allow_private_targets: false,
            lookup: HostLookup::system(),
        }
    }
}

/// The delay after `attempts` failed attempts: base × 2^(attempts−1), capped.
pub fn backoff(settings: &DispatchSettings, attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    settings
        .base_delay
        .checked_mul(2u32.saturating_pow(exponent))
        .unwrap_or(settings.max_delay)
        .min(settings.max_delay)
}

/// `t=<unix>,v1=<hex>` for `body` signed with `secret` at `unix`.
pub fn signature(secret: &str, unix: i64, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this cannot fail.
        Err(_) => return String::new(),
    };
    mac.update(unix.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={unix},v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let settings = DispatchSettings {
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(60),
            ..Default::default()
        };
        let delays: Vec<u64> = (1..=6).map(|n| backoff(&settings, n).as_secs()).collect();
        assert_eq!(delays, [5, 10, 20, 40, 60, 60]);
    }

    #[test]
    fn signatures_follow_the_documented_form() {
        // HMAC-SHA256("key", "1700000000.{}") computed independently with
        // `printf '1700000000.{}' | openssl dgst -sha256 -hmac key`.
        assert_eq!(
            signature("key", 1_700_000_000, b"{}"),
            "t=1700000000,v1=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae"
        );
    }
}
