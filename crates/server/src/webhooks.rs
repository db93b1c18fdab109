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

use std::time::Duration;

use hmac::{Hmac, Mac};
use kuajing_core::access::{Action, Scope};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::webhooks::{self, Delivery, NewSubscription, Subscription};
use kuajing_store::{Store, StoreError, organisations, outbox};
use serde::Serialize;
use sha2::Sha256;

use crate::actor::Actor;
use crate::auth::secret;
use crate::error::{Error, Result};
use crate::feed::{Viewer, parse_topics};
use crate::state::AppState;

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
        }
    }
}

/// Checks a webhook URL: `https://`, or `http://` to the loopback host
/// (local receivers and tests), at most 500 characters.
pub fn check_url(url: &str) -> Result<reqwest::Url> {
    let refuse = |why_zh: &str, why_en: &str| {
        Error::invalid(
            "url",
            "WEBHOOK_URL",
            format!("推送地址“{url}”{why_zh}"),
            format!("webhook URL '{url}' {why_en}"),
        )
    };
    if url.len() > 500 {
        return Err(refuse("过长", "is too long"));
    }
    let parsed =
        reqwest::Url::parse(url).map_err(|_| refuse("不是有效的网址", "is not a valid URL"))?;
    let host = parsed
        .host_str()
        .unwrap_or("")
        .trim_start_matches('[')
        .trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if loopback => Ok(parsed),
        _ => Err(refuse(
            "必须使用 https（本机地址可用 http）",
            "must use https (http only to localhost)",
        )),
    }
}

/// Subscribes the actor's organisation; returns the subscription and the
/// signing secret, which is shown this once. Deliveries start with changes
/// made from now on.
pub async fn subscribe(
    store: &Store,
    actor: &Actor,
    url: &str,
    topics: &[String],
) -> Result<(SubscriptionView, String)> {
    let own = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::Subscribe, &own, "webhook.subscribe", &own)
        .await?;
    let url = check_url(url.trim())?;
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

/// Sends a delivered or dead delivery again.
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
}

impl Default for DispatchSettings {
    fn default() -> Self {
        DispatchSettings {
            tick: Duration::from_secs(1),
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(6 * 3600),
            max_attempts: 10,
            timeout: Duration::from_secs(10),
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

/// The dispatcher: runs until the process stops.
pub async fn run(state: AppState) {
    let settings = state.config().webhooks.clone();
    let client = match reqwest::Client::builder()
        .timeout(settings.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "webhook client cannot start; no webhooks will be sent");
            return;
        }
    };
    let mut tick = tokio::time::interval(settings.tick);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(error) = fan_out(state.store()).await {
            tracing::warn!(%error, "webhook fan-out failed");
        }
        if let Err(error) = send_due(state.store(), &client, &settings).await {
            tracing::warn!(%error, "webhook delivery round failed");
        }
    }
}

/// Turns new outbox events into deliveries for every active subscription
/// that may see them, and moves each subscription's cursor.
pub async fn fan_out(store: &Store) -> std::result::Result<(), StoreError> {
    let mut conn = store.reader().await?;
    let subscriptions = webhooks::subscriptions(&mut conn, None, true).await?;
    for subscription in subscriptions {
        let Some(org) =
            organisations::find_by_code(&mut conn, &subscription.organisation_code).await?
        else {
            continue;
        };
        let viewer = Viewer {
            organisation: subscription.organisation_code.clone(),
            roles: org.roles,
        };
        let owner = viewer
            .own_only()
            .then_some(subscription.organisation_code.as_str());
        let events = outbox::after(
            &mut conn,
            subscription.cursor_seq,
            owner,
            &subscription.topics,
            500,
        )
        .await?;
        let Some(last) = events.last().map(|e| e.seq) else {
            continue;
        };
        let visible: Vec<i64> = events
            .iter()
            .filter(|e| viewer.see(e).is_some())
            .map(|e| e.seq)
            .collect();
        let mut tx = store.begin().await?;
        webhooks::enqueue(&mut tx, &subscription.id, &visible, last, Timestamp::now()).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Claims the deliveries that are due and sends them, at most 20 at once.
pub async fn send_due(
    store: &Store,
    client: &reqwest::Client,
    settings: &DispatchSettings,
) -> std::result::Result<usize, StoreError> {
    let now = Timestamp::now();
    let lease = now.plus(settings.timeout * 3);
    let mut tx = store.begin().await?;
    let claimed = webhooks::claim_due(&mut tx, now, lease, 20).await?;
    tx.commit().await?;
    let count = claimed.len();
    let mut sends = tokio::task::JoinSet::new();
    for delivery in claimed {
        let store = store.clone();
        let client = client.clone();
        let settings = settings.clone();
        sends.spawn(async move { send_one(&store, &client, &settings, delivery).await });
    }
    while let Some(result) = sends.join_next().await {
        match result {
            Ok(Err(error)) => tracing::warn!(%error, "recording a webhook attempt failed"),
            Err(error) => tracing::warn!(%error, "a webhook send task failed"),
            Ok(Ok(())) => {}
        }
    }
    Ok(count)
}

/// Sends one delivery and records how it went.
async fn send_one(
    store: &Store,
    client: &reqwest::Client,
    settings: &DispatchSettings,
    delivery: Delivery,
) -> std::result::Result<(), StoreError> {
    let mut conn = store.reader().await?;
    let subscription = webhooks::subscription(&mut conn, &delivery.subscription_id).await?;
    let event = outbox::by_seq(&mut conn, delivery.outbox_seq).await?;
    let org = match &subscription {
        Some(s) => organisations::find_by_code(&mut conn, &s.organisation_code).await?,
        None => None,
    };
    drop(conn);
    let (Some(subscription), Some(event), Some(org)) = (subscription, event, org) else {
        return record_failure(
            store,
            settings,
            &delivery,
            None,
            "subscription or event no longer exists",
        )
        .await;
    };
    let viewer = Viewer {
        organisation: subscription.organisation_code.clone(),
        roles: org.roles,
    };
    let Some(shown) = viewer.see(&event) else {
        return record_failure(
            store,
            settings,
            &delivery,
            None,
            "the subscriber may no longer see this record",
        )
        .await;
    };
    let body = serde_json::to_vec(&shown).unwrap_or_default();
    let unix = Timestamp::now().datetime().unix_timestamp();
    let answer = client
        .post(&subscription.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("Kuajing-Event-Id", &event.event_id)
        .header("Idempotency-Key", &event.event_id)
        .header("Kuajing-Delivery-Id", &delivery.id)
        .header(
            "Kuajing-Signature",
            signature(&subscription.secret, unix, &body),
        )
        .body(body)
        .send()
        .await;
    match answer {
        Ok(response) if response.status().is_success() => {
            let status = i64::from(response.status().as_u16());
            let mut tx = store.begin().await?;
            webhooks::delivered(&mut tx, &delivery.id, status, Timestamp::now()).await?;
            tx.commit().await?;
            Ok(())
        }
        Ok(response) => {
            let status = response.status();
            record_failure(
                store,
                settings,
                &delivery,
                Some(i64::from(status.as_u16())),
                &format!("HTTP {status}"),
            )
            .await
        }
        Err(error) => record_failure(store, settings, &delivery, None, &error.to_string()).await,
    }
}

async fn record_failure(
    store: &Store,
    settings: &DispatchSettings,
    delivery: &Delivery,
    status: Option<i64>,
    error: &str,
) -> std::result::Result<(), StoreError> {
    let attempts = delivery.attempts + 1;
    let retry_at = (attempts < settings.max_attempts)
        .then(|| Timestamp::now().plus(backoff(settings, attempts)));
    let error: String = error.chars().take(500).collect();
    let mut tx = store.begin().await?;
    webhooks::failed(&mut tx, &delivery.id, status, &error, retry_at).await?;
    tx.commit().await?;
    Ok(())
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

    #[test]
    fn urls_must_be_https_except_to_localhost() {
        assert!(check_url("https://forex.example.gov.cn/hooks/kuajing").is_ok());
        assert!(check_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(check_url("http://localhost/hook").is_ok());
        assert!(check_url("http://forex.example.gov.cn/hook").is_err());
        assert!(check_url("ftp://127.0.0.1/hook").is_err());
        assert!(check_url("not a url").is_err());
    }
}
