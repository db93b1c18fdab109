//! Sending webhooks (issue #14, finding 9): fairly per subscriber,
//! concurrently, with a back-off per subscriber.
//!
//! Before, deliveries were one global queue, oldest first, at most 20 per
//! round, and each round waited for its slowest POST (10 s): a subscriber
//! with thousands of deliveries due and a slow endpoint held everyone
//! else's for minutes. Now:
//!
//! - **Fair claims.** [`kuajing_store::webhooks::claim_due`] takes the due
//!   deliveries round-robin across subscriptions (each one's oldest first,
//!   then each one's second, …), at most `per_subscriber` in flight per
//!   subscription across every server, so a newcomer's delivery is claimed
//!   in the first round whatever another subscriber has waiting. Claims
//!   keep their lease, so several servers share one PostgreSQL.
//! - **Concurrent sends.** [`run`] keeps up to `concurrency` POSTs in flight;
//!   each finishes on its own and frees its slot, which the next tick fills.
//!   No round waits for its slowest POST.
//! - **Back-off per subscriber.** A failed attempt (an error or a non-2xx
//!   answer) backs its subscription off, doubling with each failure in a
//!   row ([`super::backoff`]); until then none of its deliveries is
//!   claimed, and nobody else waits for it. A success or a replay lifts it.
//! - **Checked targets.** The client resolves names through
//!   [`GuardedResolver`] and literal addresses are checked before the POST
//!   ([`targets::check_delivery`]): the address connected to is public
//!   unless private targets are allowed.

use std::sync::Arc;

use kuajing_core::timestamp::Timestamp;
use kuajing_store::webhooks::{self, Delivery};
use kuajing_store::{Store, StoreError, organisations, outbox};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::targets::{self, GuardedResolver};
use super::{DispatchSettings, backoff, signature};
use crate::feed::Viewer;

/// The HTTP client webhooks are sent with: the per-POST timeout, no
/// redirects, no proxy (the address checked is the address connected to),
/// and names resolved through [`GuardedResolver`].
#[derive(Debug, Clone)]
pub struct WebhookClient {
    client: reqwest::Client,
    allow_private: bool,
}

impl WebhookClient {
    /// The client for `settings`.
    pub fn new(settings: &DispatchSettings) -> Result<WebhookClient, reqwest::Error> {
        let resolver = GuardedResolver {
            lookup: settings.lookup.clone(),
            allow_private: settings.allow_private_targets,
        };
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(resolver)
            .build()?;
        Ok(WebhookClient {
            client,
            allow_private: settings.allow_private_targets,
        })
    }
}

/// The dispatcher: runs until the process stops. Every tick it turns new
/// outbox events into deliveries, reaps the POSTs that finished, and claims
/// as many due deliveries as it has free slots.
pub async fn run(store: Store, settings: DispatchSettings) {
    let client = match WebhookClient::new(&settings) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "webhook client cannot start; no webhooks will be sent");
            return;
        }
    };
    let slots = Arc::new(Semaphore::new(settings.concurrency.max(1)));
    let mut sends = JoinSet::new();
    let mut tick = tokio::time::interval(settings.tick);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        while let Some(done) = sends.try_join_next() {
            report(done);
        }
        if let Err(error) = fan_out(&store).await {
            tracing::warn!(%error, "webhook fan-out failed");
        }
        let free = slots.available_permits();
        if free == 0 {
            continue;
        }
        let claimed = match claim(&store, &settings, free).await {
            Ok(claimed) => claimed,
            Err(error) => {
                tracing::warn!(%error, "claiming webhook deliveries failed");
                continue;
            }
        };
        for delivery in claimed {
            // Never more are claimed than there are free slots, and only
            // this loop takes them: a permit is always there.
            let Ok(permit) = slots.clone().try_acquire_owned() else {
                break;
            };
            let (store, client, settings) = (store.clone(), client.clone(), settings.clone());
            sends.spawn(async move {
                let _slot = permit;
                send_one(&store, &client, &settings, delivery).await
            });
        }
    }
}

/// Logs how a finished send went, if badly.
fn report(done: Result<Result<(), StoreError>, tokio::task::JoinError>) {
    match done {
        Ok(Err(error)) => tracing::warn!(%error, "recording a webhook attempt failed"),
        Err(error) => tracing::warn!(%error, "a webhook send task failed"),
        Ok(Ok(())) => {}
    }
}

/// Claims up to `limit` due deliveries, fairly across subscriptions.
async fn claim(
    store: &Store,
    settings: &DispatchSettings,
    limit: usize,
) -> Result<Vec<Delivery>, StoreError> {
    let now = Timestamp::now();
    let lease = now.plus(settings.timeout * 3);
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut tx = store.begin().await?;
    let claimed =
        webhooks::claim_due(&mut tx, now, lease, settings.per_subscriber.max(1), limit).await?;
    tx.commit().await?;
    Ok(claimed)
}

/// Turns new outbox events into deliveries for every active subscription
/// that may see them, and moves each subscription's cursor.
pub async fn fan_out(store: &Store) -> Result<(), StoreError> {
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

/// One round, for tests and tools: claims the due deliveries (fairly, up to
/// `concurrency`), sends them concurrently and waits for all; how many.
pub async fn send_due(
    store: &Store,
    client: &WebhookClient,
    settings: &DispatchSettings,
) -> Result<usize, StoreError> {
    let claimed = claim(store, settings, settings.concurrency.max(1)).await?;
    let count = claimed.len();
    let mut sends = JoinSet::new();
    for delivery in claimed {
        let (store, client, settings) = (store.clone(), client.clone(), settings.clone());
        sends.spawn(async move { send_one(&store, &client, &settings, delivery).await });
    }
    while let Some(done) = sends.join_next().await {
        report(done);
    }
    Ok(count)
}

/// Why an attempt failed, as recorded on the delivery.
enum Failure {
    /// The endpoint failed: an error or a non-2xx answer. Backs the
    /// subscriber off.
    Endpoint(Option<i64>, String),
    /// The platform would not send it (the record is no longer the
    /// subscriber's to see, the subscription is gone).
    Platform(&'static str),
}

/// Sends one delivery and records how it went.
async fn send_one(
    store: &Store,
    client: &WebhookClient,
    settings: &DispatchSettings,
    delivery: Delivery,
) -> Result<(), StoreError> {
    let mut conn = store.reader().await?;
    let subscription = webhooks::subscription(&mut conn, &delivery.subscription_id).await?;
    let event = outbox::by_seq(&mut conn, delivery.outbox_seq).await?;
    let org = match &subscription {
        Some(s) => organisations::find_by_code(&mut conn, &s.organisation_code).await?,
        None => None,
    };
    drop(conn);
    let (Some(subscription), Some(event), Some(org)) = (subscription, event, org) else {
        let why = Failure::Platform("subscription or event no longer exists");
        return record_failure(store, settings, &delivery, why).await;
    };
    let viewer = Viewer {
        organisation: subscription.organisation_code.clone(),
        roles: org.roles,
    };
    let Some(shown) = viewer.see(&event) else {
        let why = Failure::Platform("the subscriber may no longer see this record");
        return record_failure(store, settings, &delivery, why).await;
    };
    let url = match reqwest::Url::parse(&subscription.url) {
        Ok(url) => url,
        Err(error) => {
            let why = Failure::Endpoint(None, format!("not a URL: {error}"));
            return record_failure(store, settings, &delivery, why).await;
        }
    };
    if let Err(refused) = targets::check_delivery(&url, client.allow_private) {
        let why = Failure::Endpoint(None, format!("refused: {refused}"));
        return record_failure(store, settings, &delivery, why).await;
    }
    let body = serde_json::to_vec(&shown).unwrap_or_default();
    let unix = Timestamp::now().datetime().unix_timestamp();
    let answer = client
        .client
        .post(url)
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
            webhooks::subscriber_recovered(&mut tx, &delivery.subscription_id).await?;
            tx.commit().await?;
            Ok(())
        }
        Ok(response) => {
            let status = response.status();
            let why = Failure::Endpoint(Some(i64::from(status.as_u16())), format!("HTTP {status}"));
            record_failure(store, settings, &delivery, why).await
        }
        Err(error) => {
            let why = Failure::Endpoint(None, chain(&error));
            record_failure(store, settings, &delivery, why).await
        }
    }
}

/// An error with its causes, `outer: inner: …` (reqwest's own message
/// leaves out why a connection failed, e.g. a refused target).
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Records a failed attempt: retried after the delivery's back-off, or dead
/// after the last attempt; an endpoint's failure also backs its
/// subscriber off.
async fn record_failure(
    store: &Store,
    settings: &DispatchSettings,
    delivery: &Delivery,
    why: Failure,
) -> Result<(), StoreError> {
    let now = Timestamp::now();
    let attempts = delivery.attempts + 1;
    let retry_at =
        (attempts < settings.max_attempts).then(|| now.plus(backoff(settings, attempts)));
    let (status, error, endpoint) = match why {
        Failure::Endpoint(status, error) => (status, error, true),
        Failure::Platform(error) => (None, error.to_owned(), false),
    };
    let error: String = error.chars().take(500).collect();
    let mut tx = store.begin().await?;
    webhooks::failed(&mut tx, &delivery.id, status, &error, retry_at).await?;
    if endpoint {
        let failures = webhooks::subscriber_failed(&mut tx, &delivery.subscription_id).await?;
        let until = now.plus(backoff(settings, failures));
        webhooks::back_off(&mut tx, &delivery.subscription_id, until).await?;
    }
    tx.commit().await?;
    Ok(())
}
