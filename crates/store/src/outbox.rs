//! The outbox (发件箱): every change to a shared record, written in the same
//! transaction as the change, read in order by pull feeds and the webhook
//! dispatcher.
//!
//! Sequence numbers must become visible in order, or a reader that has seen
//! `seq = 10` could later miss a `seq = 9` committed after it. SQLite has one
//! writer, so that holds. On PostgreSQL, concurrent writers take a
//! transaction-scoped advisory lock before appending, so outbox appends
//! commit one after another in sequence order.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Conn;

use crate::dynamic::Statement;
use crate::error::StoreError;
use crate::organisations::parse_time;

/// The advisory-lock key that orders outbox appends on PostgreSQL
/// ("kuajing" + 1 in ASCII, arbitrary but fixed).
const OUTBOX_LOCK: i64 = 0x6b75_616a_696e_6701;

/// The key, for the other feeds that append in the same transactions
/// (`clearance::append_receipts`).
pub(crate) const ORDER_LOCK: i64 = OUTBOX_LOCK;

/// An event to append.
#[derive(Debug, Clone)]
pub struct NewOutboxEvent<'a> {
    /// `enterprise` or `commodity`.
    pub topic: &'a str,
    /// What happened: `submitted`, `approved`, `activated`, `returned`, …
    pub event: &'a str,
    /// The record's id (a filing id).
    pub record_id: &'a str,
    /// Its business key (customs code, item number).
    pub record_key: &'a str,
    /// Owning organisation's customs code.
    pub owner_code: &'a str,
    /// Version of the record.
    pub version_no: i64,
    /// The whole record (JSON); readers see the fields their role may.
    /// Empty for a receipt kept in the pull feed (`receipt_seq`).
    pub payload: &'a str,
    /// The receipt in the pull feed (`ceb_receipts.seq`) this event
    /// carries: the payload is then composed from that row when read, so
    /// the receipt's XML is stored once (issue #16, item 4).
    pub receipt_seq: Option<i64>,
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEvent {
    /// Position; strictly increasing.
    pub seq: i64,
    /// Unique id, the consumers' idempotency key.
    pub event_id: String,
    /// Topic.
    pub topic: String,
    /// What happened.
    pub event: String,
    /// Record id.
    pub record_id: String,
    /// Record key.
    pub record_key: String,
    /// Owner's customs code.
    pub owner_code: String,
    /// Record version.
    pub version_no: i64,
    /// The whole record (JSON).
    pub payload: String,
    /// When.
    pub created_at: Timestamp,
}

/// Appends an event inside the caller's transaction; returns its id.
pub async fn append(
    conn: &mut Conn,
    event: &NewOutboxEvent<'_>,
    now: Timestamp,
) -> Result<String, StoreError> {
    if conn.backend_name() == "PostgreSQL" {
        crate::sql::query("SELECT pg_advisory_xact_lock($1)")
            .bind(OUTBOX_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    let event_id = uuid::Uuid::now_v7().to_string();
    crate::sql::query(
        "INSERT INTO outbox (event_id, topic, event, record_id, record_key, owner_code, version_no, payload, receipt_seq, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&event_id)
    .bind(event.topic)
    .bind(event.event)
    .bind(event.record_id)
    .bind(event.record_key)
    .bind(event.owner_code)
    .bind(event.version_no)
    .bind(event.payload)
    .bind(event.receipt_seq)
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(event_id)
}

/// Appends several events in one statement (in their order) inside the
/// caller's transaction: what clearance owes per message, one round trip.
pub async fn append_all(
    conn: &mut Conn,
    events: &[NewOutboxEvent<'_>],
    now: Timestamp,
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    if conn.backend_name() == "PostgreSQL" {
        crate::sql::query("SELECT pg_advisory_xact_lock($1)")
            .bind(OUTBOX_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    let now = now.to_string();
    // In chunks: sqlx's SQLite driver looks up every parameter's name for
    // every bound value, so one statement of thousands of parameters costs
    // quadratic time (30 % of a 100-document message's profile).
    for chunk in events.chunks(MAX_ROWS_PER_STATEMENT) {
        insert_chunk(conn, chunk, &now).await?;
    }
    Ok(())
}

/// Rows per multi-row insert.
pub(crate) const MAX_ROWS_PER_STATEMENT: usize = 32;

async fn insert_chunk(
    conn: &mut Conn,
    events: &[NewOutboxEvent<'_>],
    now: &str,
) -> Result<(), StoreError> {
    let mut statement = Statement::new(
        "INSERT INTO outbox (event_id, topic, event, record_id, record_key, owner_code, version_no, payload, receipt_seq, created_at) VALUES ",
    );
    for (i, event) in events.iter().enumerate() {
        statement
            .push(if i == 0 { "(" } else { ", (" })
            .bind(uuid::Uuid::now_v7().to_string())
            .push(", ")
            .bind(event.topic.to_owned())
            .push(", ")
            .bind(event.event.to_owned())
            .push(", ")
            .bind(event.record_id.to_owned())
            .push(", ")
            .bind(event.record_key.to_owned())
            .push(", ")
            .bind(event.owner_code.to_owned())
            .push(", ")
            .bind(event.version_no)
            .push(", ")
            .bind(event.payload.to_owned())
            .push(", ")
            .bind(event.receipt_seq)
            .push(", ")
            .bind(now.to_owned())
            .push(")");
    }
    statement.execute(conn).await?;
    Ok(())
}

/// Events after `after_seq`, oldest first, at most `limit`; only of `owner`
/// when given, only of `topics` when not empty.
pub async fn after(
    conn: &mut Conn,
    after_seq: i64,
    owner: Option<&str>,
    topics: &[String],
    limit: i64,
) -> Result<Vec<OutboxEvent>, StoreError> {
    let mut query = Statement::new(SELECT_EVENTS);
    query.push(" WHERE o.seq > ").bind(after_seq);
    if let Some(owner) = owner {
        query.push(" AND o.owner_code = ").bind(owner.to_owned());
    }
    if !topics.is_empty() {
        query
            .push(" AND o.topic IN (")
            .bind_list(topics.iter().cloned())
            .push(")");
    }
    query
        .push(" ORDER BY o.seq LIMIT ")
        .bind(limit.clamp(1, 1000));
    let rows = query.fetch_all(conn).await?;
    rows.iter().map(from_row).collect()
}

/// One event by position.
pub async fn by_seq(conn: &mut Conn, seq: i64) -> Result<Option<OutboxEvent>, StoreError> {
    let mut query = Statement::new(SELECT_EVENTS);
    query.push(" WHERE o.seq = ").bind(seq);
    let row = query.fetch_all(conn).await?.into_iter().next();
    row.as_ref().map(from_row).transpose()
}

/// The events with, for a receipt's, the feed row it carries.
const SELECT_EVENTS: &str = "SELECT o.seq, o.event_id, o.topic, o.event, o.record_id, o.record_key, \
     o.owner_code, o.version_no, o.payload, o.created_at, r.receipt_type, r.xml AS receipt_xml \
     FROM outbox o LEFT JOIN ceb_receipts r ON r.seq = o.receipt_seq";

/// The newest position (0 when empty).
pub async fn last_seq(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(
        crate::sql::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM outbox")
            .fetch_one(conn)
            .await?,
    )
}

fn from_row(row: &AnyRow) -> Result<OutboxEvent, StoreError> {
    Ok(OutboxEvent {
        seq: row.try_get("seq")?,
        event_id: row.try_get("event_id")?,
        topic: row.try_get("topic")?,
        event: row.try_get("event")?,
        record_id: row.try_get("record_id")?,
        record_key: row.try_get("record_key")?,
        owner_code: row.try_get("owner_code")?,
        version_no: row.try_get("version_no")?,
        payload: match row.try_get::<Option<String>, _>("receipt_xml")? {
            // The same payload the event was written with before receipts
            // were stored once (receipts_out::deliver).
            Some(xml) => serde_json::json!({
                "type": row.try_get::<String, _>("receipt_type")?,
                "xml": xml,
            })
            .to_string(),
            None => row.try_get("payload")?,
        },
        created_at: parse_time(row, "created_at")?,
    })
}
