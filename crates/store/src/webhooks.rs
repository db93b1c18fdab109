//! Webhook subscriptions and their deliveries.
//!
//! A subscription belongs to an organisation and follows the outbox with its
//! own cursor. The dispatcher turns new outbox events into deliveries (one
//! per subscription and event, at most once thanks to a unique key), then
//! claims due deliveries with a lease so that several servers never send the
//! same one at the same time, and records each attempt: delivered, retry
//! later, or dead after too many failures. A dead or delivered delivery can
//! be replayed.
//!
//! Claims are fair (issue #14, finding 9): round-robin across
//! subscriptions, a bound on each one's deliveries in flight, and none of a
//! subscription backed off after its endpoint failed ([`claim_due`]).

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Conn;

use crate::error::StoreError;
use crate::organisations::{parse_optional_time, parse_time};

/// A subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Id.
    pub id: String,
    /// Subscribing organisation's id.
    pub organisation_id: String,
    /// Its customs code.
    pub organisation_code: String,
    /// Where to POST.
    pub url: String,
    /// HMAC key for the signature header.
    pub secret: String,
    /// Topics followed (`enterprise`, `commodity`).
    pub topics: Vec<String>,
    /// Whether deliveries are made.
    pub active: bool,
    /// Last outbox position turned into deliveries.
    pub cursor_seq: i64,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// Failed attempts in a row.
    pub consecutive_failures: i64,
    /// No delivery is claimed before this time (its endpoint failed).
    pub backoff_until: Option<Timestamp>,
}

/// A delivery of one event to one subscription.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Delivery {
    /// Id.
    pub id: String,
    /// The subscription.
    pub subscription_id: String,
    /// The outbox event.
    pub outbox_seq: i64,
    /// `pending`, `sending`, `delivered` or `dead`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i64,
    /// Not before.
    pub next_attempt_at: Timestamp,
    /// HTTP status of the last attempt.
    pub last_status: Option<i64>,
    /// What went wrong last.
    pub last_error: Option<String>,
    /// When delivered.
    pub delivered_at: Option<Timestamp>,
}

const SUBSCRIPTION_COLUMNS: &str = "s.id, s.organisation_id, o.customs_code, s.url, s.secret, s.topics, s.active, \
     s.cursor_seq, s.created_by, s.created_at, s.consecutive_failures, s.backoff_until";

/// A subscription to create.
#[derive(Debug, Clone)]
pub struct NewSubscription<'a> {
    /// Subscribing organisation's id.
    pub organisation_id: &'a str,
    /// Where to POST.
    pub url: &'a str,
    /// HMAC key.
    pub secret: &'a str,
    /// Topics followed.
    pub topics: &'a [String],
    /// Start after this outbox position.
    pub cursor_seq: i64,
    /// Who creates it.
    pub by: &'a str,
}

/// Creates an active subscription.
pub async fn subscribe(
    conn: &mut Conn,
    new: &NewSubscription<'_>,
    now: Timestamp,
) -> Result<Subscription, StoreError> {
    let NewSubscription {
        organisation_id,
        url,
        secret,
        topics,
        cursor_seq,
        by,
    } = *new;
    let id = uuid::Uuid::now_v7().to_string();
    crate::sql::query(
        "INSERT INTO webhook_subscriptions (id, organisation_id, url, secret, topics, active, cursor_seq, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8)",
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(url)
    .bind(secret)
    .bind(topics.join(","))
    .bind(cursor_seq)
    .bind(by)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    subscription(conn, &id).await?.ok_or(StoreError::NotFound {
        what: "webhook subscription",
        key: id,
    })
}

/// One subscription.
pub async fn subscription(conn: &mut Conn, id: &str) -> Result<Option<Subscription>, StoreError> {
    if crate::db::has_nul(id) {
        return Ok(None);
    }
    let sql = format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions s JOIN organisations o ON o.id = s.organisation_id WHERE s.id = $1"
    );
    let row = crate::sql::query_text(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(subscription_from_row).transpose()
}

/// Subscriptions of one organisation (by id), or all; newest first.
pub async fn subscriptions(
    conn: &mut Conn,
    organisation_id: Option<&str>,
    only_active: bool,
) -> Result<Vec<Subscription>, StoreError> {
    let mut sql = format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions s JOIN organisations o ON o.id = s.organisation_id WHERE 1 = 1"
    );
    if only_active {
        sql.push_str(" AND s.active = 1");
    }
    let rows = match organisation_id {
        Some(org) => {
            sql.push_str(" AND s.organisation_id = $1 ORDER BY s.created_at DESC");
            crate::sql::query_text(sql)
                .bind(org)
                .fetch_all(conn)
                .await?
        }
        None => {
            sql.push_str(" ORDER BY s.created_at DESC");
            crate::sql::query_text(sql).fetch_all(conn).await?
        }
    };
    rows.iter().map(subscription_from_row).collect()
}

/// Stops (or restarts) deliveries of a subscription.
pub async fn set_active(
    conn: &mut Conn,
    id: &str,
    active: bool,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = crate::sql::query(
        "UPDATE webhook_subscriptions SET active = $1, disabled_at = CASE WHEN $1 = 1 THEN NULL ELSE $2 END WHERE id = $3",
    )
    .bind(i64::from(active))
    .bind(now.to_string())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Creates deliveries for `seqs` (already chosen as visible to the
/// subscription) and moves its cursor to `cursor_seq`, in the caller's
/// transaction.
pub async fn enqueue(
    conn: &mut Conn,
    subscription_id: &str,
    seqs: &[i64],
    cursor_seq: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    for seq in seqs {
        crate::sql::query(
            "INSERT INTO webhook_deliveries (id, subscription_id, outbox_seq, status, attempts, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, 'pending', 0, $4, $4) ON CONFLICT (subscription_id, outbox_seq) DO NOTHING",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(subscription_id)
        .bind(*seq)
        .bind(now.to_string())
        .execute(&mut *conn)
        .await?;
    }
    crate::sql::query(
        "UPDATE webhook_subscriptions SET cursor_seq = $1 WHERE id = $2 AND cursor_seq < $1",
    )
    .bind(cursor_seq)
    .bind(subscription_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Claims up to `limit` due deliveries (pending and due, or sending with
/// an expired lease) until `lease_until`; returns them. Fair across
/// subscriptions: each active one's due deliveries are ranked oldest first,
/// and the claim takes every subscription's first before anyone's second
/// (round-robin), never more than `per_subscriber` of one subscription in
/// flight (those already `sending` under a live lease, on any server,
/// count), and none of a subscription backed off until `backoff_until`.
/// A subscription with thousands waiting thus delays another's new
/// delivery by nothing.
pub async fn claim_due(
    conn: &mut Conn,
    now: Timestamp,
    lease_until: Timestamp,
    per_subscriber: i64,
    limit: i64,
) -> Result<Vec<Delivery>, StoreError> {
    let rows = crate::sql::query(
        "UPDATE webhook_deliveries SET status = 'sending', lease_until = $1 WHERE id IN ( \
           SELECT r.id FROM ( \
             SELECT d.id, d.subscription_id, d.next_attempt_at, d.outbox_seq, \
               ROW_NUMBER() OVER (PARTITION BY d.subscription_id ORDER BY d.next_attempt_at, d.outbox_seq) AS place \
             FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id \
             WHERE ((d.status = 'pending' AND d.next_attempt_at <= $2) OR (d.status = 'sending' AND d.lease_until <= $2)) \
               AND s.active = 1 AND (s.backoff_until IS NULL OR s.backoff_until <= $2) \
           ) r \
           LEFT JOIN ( \
             SELECT subscription_id, COUNT(*) AS busy FROM webhook_deliveries \
             WHERE status = 'sending' AND lease_until > $2 GROUP BY subscription_id \
           ) b ON b.subscription_id = r.subscription_id \
           WHERE r.place + COALESCE(b.busy, 0) <= $3 \
           ORDER BY r.place, r.next_attempt_at, r.outbox_seq LIMIT $4) \
         AND ((status = 'pending' AND next_attempt_at <= $2) OR (status = 'sending' AND lease_until <= $2)) \
         RETURNING id, subscription_id, outbox_seq, status, attempts, next_attempt_at, last_status, last_error, delivered_at",
    )
    .bind(lease_until.to_string())
    .bind(now.to_string())
    .bind(per_subscriber)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(delivery_from_row).collect()
}

/// Counts a failed attempt against subscription `id`'s endpoint; returns
/// its failures in a row.
pub async fn subscriber_failed(conn: &mut Conn, id: &str) -> Result<i64, StoreError> {
    let row = crate::sql::query(
        "UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1 \
         WHERE id = $1 RETURNING consecutive_failures",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some(row) => row.try_get("consecutive_failures")?,
        None => 0,
    })
}

/// Claims none of subscription `id`'s deliveries before `until`.
pub async fn back_off(conn: &mut Conn, id: &str, until: Timestamp) -> Result<(), StoreError> {
    crate::sql::query("UPDATE webhook_subscriptions SET backoff_until = $1 WHERE id = $2")
        .bind(until.to_string())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Lifts subscription `id`'s back-off: its endpoint answered.
pub async fn subscriber_recovered(conn: &mut Conn, id: &str) -> Result<(), StoreError> {
    crate::sql::query(
        "UPDATE webhook_subscriptions SET consecutive_failures = 0, backoff_until = NULL \
         WHERE id = $1 AND (consecutive_failures <> 0 OR backoff_until IS NOT NULL)",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a successful attempt.
pub async fn delivered(
    conn: &mut Conn,
    id: &str,
    http_status: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query(
        "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = $1, \
         last_error = NULL, delivered_at = $2, lease_until = NULL WHERE id = $3",
    )
    .bind(http_status)
    .bind(now.to_string())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a failed attempt: retry at `retry_at`, or dead when `None`.
pub async fn failed(
    conn: &mut Conn,
    id: &str,
    http_status: Option<i64>,
    error: &str,
    retry_at: Option<Timestamp>,
) -> Result<(), StoreError> {
    let (status, next) = match retry_at {
        Some(at) => ("pending", Some(at.to_string())),
        None => ("dead", None),
    };
    crate::sql::query(
        "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, last_status = $2, last_error = $3, \
         next_attempt_at = COALESCE($4, next_attempt_at), lease_until = NULL WHERE id = $5",
    )
    .bind(status)
    .bind(http_status)
    .bind(error)
    .bind(next)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts a delivered or dead delivery back in the queue, due now, with its
/// attempts reset, and lifts its subscription's back-off (a replay says the
/// endpoint is expected to answer); returns whether it was replayable.
pub async fn replay(conn: &mut Conn, id: &str, now: Timestamp) -> Result<bool, StoreError> {
    let done = crate::sql::query(
        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $1, lease_until = NULL \
         WHERE id = $2 AND status IN ('delivered', 'dead')",
    )
    .bind(now.to_string())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    crate::sql::query(
        "UPDATE webhook_subscriptions SET consecutive_failures = 0, backoff_until = NULL \
         WHERE id = (SELECT subscription_id FROM webhook_deliveries WHERE id = $1)",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(true)
}

/// Deliveries of a subscription, newest first, at most `limit`.
pub async fn deliveries(
    conn: &mut Conn,
    subscription_id: &str,
    limit: i64,
) -> Result<Vec<Delivery>, StoreError> {
    let rows = crate::sql::query(
        "SELECT id, subscription_id, outbox_seq, status, attempts, next_attempt_at, last_status, last_error, delivered_at \
         FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY outbox_seq DESC LIMIT $2",
    )
    .bind(subscription_id)
    .bind(limit.clamp(1, 1000))
    .fetch_all(conn)
    .await?;
    rows.iter().map(delivery_from_row).collect()
}

/// One delivery.
pub async fn delivery(conn: &mut Conn, id: &str) -> Result<Option<Delivery>, StoreError> {
    if crate::db::has_nul(id) {
        return Ok(None);
    }
    let row = crate::sql::query(
        "SELECT id, subscription_id, outbox_seq, status, attempts, next_attempt_at, last_status, last_error, delivered_at \
         FROM webhook_deliveries WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(delivery_from_row).transpose()
}

fn subscription_from_row(row: &AnyRow) -> Result<Subscription, StoreError> {
    let topics: String = row.try_get("topics")?;
    Ok(Subscription {
        id: row.try_get("id")?,
        organisation_id: row.try_get("organisation_id")?,
        organisation_code: row.try_get("customs_code")?,
        url: row.try_get("url")?,
        secret: row.try_get("secret")?,
        topics: topics
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        active: row.try_get::<i64, _>("active")? != 0,
        cursor_seq: row.try_get("cursor_seq")?,
        created_by: row.try_get("created_by")?,
        created_at: parse_time(row, "created_at")?,
        consecutive_failures: row.try_get("consecutive_failures")?,
        backoff_until: parse_optional_time(row, "backoff_until")?,
    })
}

fn delivery_from_row(row: &AnyRow) -> Result<Delivery, StoreError> {
    Ok(Delivery {
        id: row.try_get("id")?,
        subscription_id: row.try_get("subscription_id")?,
        outbox_seq: row.try_get("outbox_seq")?,
        status: row.try_get("status")?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: parse_time(row, "next_attempt_at")?,
        last_status: row.try_get("last_status")?,
        last_error: row.try_get("last_error")?,
        delivered_at: parse_optional_time(row, "delivered_at")?,
    })
}
