//! What the clearance of declaration lists writes besides the documents:
//! the receipts each enterprise is owed (the pull feed), the decisions with
//! their reasons, the buyers customs watches, the counts the risk rules
//! need, and the counters that number lists and tax bills. Every function
//! takes the caller's connection, so a decision, its receipts and its quota
//! change commit together.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::dynamic::Statement;
use crate::error::StoreError;
use crate::organisations::parse_time;

/// The advisory-lock key that orders receipt appends on PostgreSQL, so
/// that a reader who has seen `seq = 10` can never later miss a `seq = 9`
/// committed after it. It is the outbox's key: receipts and outbox events
/// are appended together at the end of a transaction, and two keys taken
/// in different orders by two transactions would deadlock.
const RECEIPTS_LOCK: i64 = crate::outbox::ORDER_LOCK;

/// A receipt to deliver.
#[derive(Debug, Clone, Copy)]
pub struct NewReceipt<'a> {
    /// Customs code of the enterprise owed it.
    pub recipient_code: &'a str,
    /// Its type (`CEB622`).
    pub receipt_type: &'a str,
    /// The message it answers, for a synchronous receipt.
    pub message_id: Option<&'a str>,
    /// The document it is about, for a later one.
    pub document_id: Option<&'a str>,
    /// The receipt message.
    pub xml: &'a str,
}

/// A receipt as delivered by the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Position in the feed; strictly increasing.
    pub seq: i64,
    /// Recipient's customs code.
    pub recipient_code: String,
    /// Type.
    pub receipt_type: String,
    /// The receipt message.
    pub xml: String,
    /// When it was owed.
    pub created_at: Timestamp,
}

/// Appends receipts owed, in order, inside the caller's transaction; their
/// positions in the feed, in the same order (so that their outbox events
/// can name them).
pub async fn append_receipts(
    conn: &mut Conn,
    receipts: &[NewReceipt<'_>],
    now: Timestamp,
) -> Result<Vec<i64>, StoreError> {
    if receipts.is_empty() {
        return Ok(Vec::new());
    }
    if conn.backend_name() == "PostgreSQL" {
        crate::sql::query("SELECT pg_advisory_xact_lock($1)")
            .bind(RECEIPTS_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    // Multi-row inserts, a chunk of rows each (see outbox::append_all).
    let now = now.to_string();
    let mut positions = Vec::with_capacity(receipts.len());
    for chunk in receipts.chunks(crate::outbox::MAX_ROWS_PER_STATEMENT) {
        positions.extend(insert_receipts(conn, chunk, &now).await?);
    }
    Ok(positions)
}

async fn insert_receipts(
    conn: &mut Conn,
    receipts: &[NewReceipt<'_>],
    now: &str,
) -> Result<Vec<i64>, StoreError> {
    let mut statement = Statement::new(
        "INSERT INTO ceb_receipts (recipient_code, receipt_type, message_id, document_id, xml, created_at) VALUES ",
    );
    for (i, receipt) in receipts.iter().enumerate() {
        statement
            .push(if i == 0 { "(" } else { ", (" })
            .bind(receipt.recipient_code.to_owned())
            .push(", ")
            .bind(receipt.receipt_type.to_owned())
            .push(", ")
            .bind(receipt.message_id.map(str::to_owned))
            .push(", ")
            .bind(receipt.document_id.map(str::to_owned))
            .push(", ")
            .bind(receipt.xml.to_owned())
            .push(", ")
            .bind(now.to_owned())
            .push(")");
    }
    statement.push(" RETURNING seq");
    // Positions are taken in the rows' order within the statement (an
    // increasing sequence on both backends); RETURNING need not list them
    // in that order, so they are sorted.
    let mut positions = statement
        .fetch_all(conn)
        .await?
        .iter()
        .map(|row| row.try_get::<i64, _>("seq"))
        .collect::<Result<Vec<_>, _>>()?;
    positions.sort_unstable();
    Ok(positions)
}

/// The receipts owed to `recipient_code` after `after`, oldest first, at
/// most `limit`.
pub async fn receipts_after(
    conn: &mut Conn,
    recipient_code: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<Receipt>, StoreError> {
    if has_nul(recipient_code) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT seq, recipient_code, receipt_type, xml, created_at FROM ceb_receipts \
         WHERE recipient_code = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(recipient_code)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(receipt_from_row).collect()
}

/// The receipts about one document, oldest first (its receipt history).
pub async fn receipts_of_document(
    conn: &mut Conn,
    document_id: &str,
) -> Result<Vec<Receipt>, StoreError> {
    if has_nul(document_id) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT seq, recipient_code, receipt_type, xml, created_at FROM ceb_receipts \
         WHERE document_id = $1 ORDER BY seq",
    )
    .bind(document_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(receipt_from_row).collect()
}

fn receipt_from_row(row: &sqlx::any::AnyRow) -> Result<Receipt, StoreError> {
    Ok(Receipt {
        seq: row.try_get("seq")?,
        recipient_code: row.try_get("recipient_code")?,
        receipt_type: row.try_get("receipt_type")?,
        xml: row.try_get("xml")?,
        created_at: parse_time(row, "created_at")?,
    })
}

/// A decision to record.
#[derive(Debug, Clone, Copy)]
pub struct NewDecision<'a> {
    /// The list decided.
    pub list_id: &'a str,
    /// The list's declaring enterprise (partition key).
    pub owner_code: &'a str,
    /// The status it set (`800`, `300`, `100`, …).
    pub status: &'a str,
    /// `engine`, or the officer's login.
    pub decided_by: &'a str,
    /// The rule set's version.
    pub rule_set: &'a str,
    /// The tariff version used.
    pub tariff_version: &'a str,
    /// Reasons, JSON array.
    pub reasons: &'a str,
    /// Risk rules that fired, monitored ones too, JSON array.
    pub risk_hits: &'a str,
    /// The explanation a person reads.
    pub explanation: &'a str,
    /// The tax bill, JSON.
    pub tax_bill: Option<&'a str>,
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    /// Id (UUID v7).
    pub id: String,
    /// The list.
    pub list_id: String,
    /// Status set.
    pub status: String,
    /// Who decided.
    pub decided_by: String,
    /// Rule set version.
    pub rule_set: String,
    /// Tariff version.
    pub tariff_version: String,
    /// Reasons, JSON.
    pub reasons: String,
    /// Risk hits, JSON.
    pub risk_hits: String,
    /// Explanation.
    pub explanation: String,
    /// Tax bill, JSON.
    pub tax_bill: Option<String>,
    /// When.
    pub created_at: Timestamp,
}

/// Records a decision.
pub async fn record_decision(
    conn: &mut Conn,
    new: &NewDecision<'_>,
    now: Timestamp,
) -> Result<String, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    crate::sql::query(
        "INSERT INTO clearance_decisions (id, list_id, owner_code, status, decided_by, rule_set, \
         tariff_version, reasons, risk_hits, explanation, tax_bill, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(new.list_id)
    .bind(new.owner_code)
    .bind(new.status)
    .bind(new.decided_by)
    .bind(new.rule_set)
    .bind(new.tariff_version)
    .bind(new.reasons)
    .bind(new.risk_hits)
    .bind(new.explanation)
    .bind(new.tax_bill)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// The decisions on a list, oldest first.
pub async fn decisions_of(
    conn: &mut Conn,
    list_id: &str,
) -> Result<Vec<DecisionRecord>, StoreError> {
    if has_nul(list_id) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT id, list_id, status, decided_by, rule_set, tariff_version, reasons, risk_hits, \
         explanation, tax_bill, created_at FROM clearance_decisions WHERE list_id = $1 \
         ORDER BY created_at, id",
    )
    .bind(list_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(DecisionRecord {
                id: row.try_get("id")?,
                list_id: row.try_get("list_id")?,
                status: row.try_get("status")?,
                decided_by: row.try_get("decided_by")?,
                rule_set: row.try_get("rule_set")?,
                tariff_version: row.try_get("tariff_version")?,
                reasons: row.try_get("reasons")?,
                risk_hits: row.try_get("risk_hits")?,
                explanation: row.try_get("explanation")?,
                tax_bill: row.try_get("tax_bill")?,
                created_at: parse_time(row, "created_at")?,
            })
        })
        .collect()
}

/// The next number of the counter `name`, unique under concurrency. On
/// SQLite (one writer) one upsert of the name's row, counting from 1; on
/// PostgreSQL the shared sequence `ceb_number_seq`, which takes no row lock
/// (numbers are then unique across names and have gaps).
pub async fn next_number(conn: &mut Conn, name: &str) -> Result<i64, StoreError> {
    next_numbers(conn, name, 1)
        .await?
        .pop()
        .ok_or_else(|| StoreError::corrupt("number counter", name))
}

/// The next `count` numbers of the counter `name` in one statement, in
/// increasing order (see [`next_number`]): a message's new lists numbered
/// in one round trip.
pub async fn next_numbers(
    conn: &mut Conn,
    name: &str,
    count: usize,
) -> Result<Vec<i64>, StoreError> {
    let count = i64::try_from(count).map_err(|_| StoreError::corrupt("number count", name))?;
    if count == 0 {
        return Ok(Vec::new());
    }
    if conn.backend_name() == "PostgreSQL" {
        let values: Vec<i64> = crate::sql::query_scalar(
            "SELECT nextval('ceb_number_seq') FROM generate_series(1, $1::BIGINT) ORDER BY 1",
        )
        .bind(count)
        .fetch_all(&mut *conn)
        .await?;
        return Ok(values);
    }
    let last: i64 = crate::sql::query_scalar(
        "INSERT INTO number_sequences (name, last) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET last = number_sequences.last + $2 RETURNING last",
    )
    .bind(name)
    .bind(count)
    .fetch_one(&mut *conn)
    .await?;
    Ok((last - count + 1..=last).collect())
}

/// Puts a buyer ID number on the watch list (again: the reason is updated).
pub async fn watch_buyer(
    conn: &mut Conn,
    buyer_id: &str,
    reason: &str,
    added_by: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    if has_nul(buyer_id) || has_nul(reason) {
        return Err(StoreError::corrupt("watch list entry", buyer_id));
    }
    crate::sql::query(
        "INSERT INTO watch_list (buyer_id, reason, added_by, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (buyer_id) DO UPDATE SET reason = $2, added_by = $3, added_at = $4",
    )
    .bind(buyer_id)
    .bind(reason)
    .bind(added_by)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One entry of the watch list (布控名单).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchEntry {
    /// The buyer's ID number (never shown in full).
    pub buyer_id: String,
    /// The written reason.
    pub reason: String,
    /// Who put it on (or last changed the reason).
    pub added_by: String,
    /// When.
    pub added_at: Timestamp,
}

/// The watch list, the newest first.
pub async fn watch_list(conn: &mut Conn) -> Result<Vec<WatchEntry>, StoreError> {
    let rows = crate::sql::query(
        "SELECT buyer_id, reason, added_by, added_at FROM watch_list ORDER BY added_at DESC, buyer_id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let at: String = row.try_get("added_at")?;
            Ok(WatchEntry {
                buyer_id: row.try_get("buyer_id")?,
                reason: row.try_get("reason")?,
                added_by: row.try_get("added_by")?,
                added_at: at
                    .parse()
                    .map_err(|_| StoreError::corrupt("watch list time", &at))?,
            })
        })
        .collect()
}

/// Takes a buyer ID number off the watch list; whether it was on.
pub async fn unwatch_buyer(conn: &mut Conn, buyer_id: &str) -> Result<bool, StoreError> {
    if has_nul(buyer_id) {
        return Ok(false);
    }
    let removed = crate::sql::query("DELETE FROM watch_list WHERE buyer_id = $1")
        .bind(buyer_id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(removed == 1)
}

/// Whether a buyer ID number is on the watch list.
pub async fn is_watched(conn: &mut Conn, buyer_id: &str) -> Result<bool, StoreError> {
    if has_nul(buyer_id) {
        return Ok(false);
    }
    let found: Option<String> =
        crate::sql::query_scalar("SELECT buyer_id FROM watch_list WHERE buyer_id = $1")
            .bind(buyer_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

/// What the decision on one list needs to know of the past, read in one
/// query: what the risk rules count (its own row included), whether the
/// buyer is watched, and what the buyer has used of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListFacts {
    /// Lists of the buyer that arrived since the window's start.
    pub buyer_lists_since: i64,
    /// Distinct buyers of lists with this consignee address.
    pub buyers_at_address: i64,
    /// Distinct buyers of lists with this buyer telephone.
    pub buyers_with_phone: i64,
    /// Whether the buyer's ID number is on the watch list.
    pub watched: bool,
    /// What the buyer has used of `year`'s quota, fen.
    pub used_fen: i64,
}

/// Reads [`ListFacts`] for a list of `buyer_id` to `address` with
/// `telephone`, the window starting at `since`, the quota year `year`.
pub async fn list_facts(
    conn: &mut Conn,
    buyer_id: &str,
    since: Timestamp,
    address: &str,
    telephone: &str,
    year: i32,
) -> Result<ListFacts, StoreError> {
    if [buyer_id, address, telephone].iter().any(|t| has_nul(t)) {
        return Ok(ListFacts::default());
    }
    let row = crate::sql::query(
        "SELECT \
         (SELECT COUNT(*) FROM ceb_documents WHERE buyer_id = $1 AND created_at >= $2 AND kind = 'list') AS lists, \
         (SELECT COUNT(DISTINCT buyer_id) FROM ceb_documents WHERE consignee_address = $3 AND kind = 'list') AS at_address, \
         (SELECT COUNT(DISTINCT buyer_id) FROM ceb_documents WHERE buyer_telephone = $4 AND kind = 'list') AS with_phone, \
         (SELECT COUNT(*) FROM watch_list WHERE buyer_id = $1) AS watched, \
         (SELECT COALESCE(MAX(used_fen), 0) FROM quota_years WHERE buyer_id = $1 AND year = $5) AS used_fen",
    )
    .bind(buyer_id)
    .bind(since.to_string())
    .bind(address)
    .bind(telephone)
    .bind(i64::from(year))
    .fetch_one(&mut *conn)
    .await?;
    let watched: i64 = row.try_get("watched")?;
    Ok(ListFacts {
        buyer_lists_since: row.try_get("lists")?,
        buyers_at_address: row.try_get("at_address")?,
        buyers_with_phone: row.try_get("with_phone")?,
        watched: watched > 0,
        used_fen: row.try_get("used_fen")?,
    })
}

/// A cancellation or return request to keep.
#[derive(Debug, Clone, Copy)]
pub struct NewRequest<'a> {
    /// `cancel` or `return`.
    pub kind: &'a str,
    /// The list it is about, if found.
    pub list_id: Option<&'a str>,
    /// The sender.
    pub owner_code: &'a str,
    /// The message it came in.
    pub message_id: &'a str,
    /// Its place in the message, from 1.
    pub position: i64,
    /// The status it got (`399` accepted, or a negative code).
    pub status: &'a str,
    /// What a return gave back to the quota, fen.
    pub refund_fen: i64,
    /// Its JSON form.
    pub body: &'a str,
}

/// A kept request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRequest {
    /// `cancel` or `return`.
    pub kind: String,
    /// Status.
    pub status: String,
    /// Quota given back, fen.
    pub refund_fen: i64,
    /// JSON form.
    pub body: String,
    /// When.
    pub created_at: Timestamp,
}

/// Keeps a cancellation or return request.
pub async fn keep_request(
    conn: &mut Conn,
    new: &NewRequest<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query(
        "INSERT INTO ceb_requests (id, kind, list_id, owner_code, message_id, position, status, \
         refund_fen, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(new.kind)
    .bind(new.list_id)
    .bind(new.owner_code)
    .bind(new.message_id)
    .bind(new.position)
    .bind(new.status)
    .bind(new.refund_fen)
    .bind(new.body)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The accepted requests about a list, oldest first (what was returned
/// before, whether it was cancelled).
pub async fn accepted_requests(
    conn: &mut Conn,
    list_id: &str,
) -> Result<Vec<StoredRequest>, StoreError> {
    let rows = crate::sql::query(
        "SELECT kind, status, refund_fen, body, created_at FROM ceb_requests \
         WHERE list_id = $1 AND status = '399' ORDER BY created_at",
    )
    .bind(list_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StoredRequest {
                kind: row.try_get("kind")?,
                status: row.try_get("status")?,
                refund_fen: row.try_get("refund_fen")?,
                body: row.try_get("body")?,
                created_at: parse_time(row, "created_at")?,
            })
        })
        .collect()
}

/// Decisions per minute (`YYYY-MM-DDTHH:MM`, UTC) and status since
/// `since`, oldest first: the live board.
pub async fn decisions_per_minute(
    conn: &mut Conn,
    since: Timestamp,
) -> Result<Vec<(String, String, i64)>, StoreError> {
    let rows = crate::sql::query(
        "SELECT substr(created_at, 1, 16) AS minute, status, COUNT(*) AS n FROM clearance_decisions \
         WHERE created_at >= $1 GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .bind(since.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("minute")?,
                row.try_get("status")?,
                row.try_get("n")?,
            ))
        })
        .collect()
}

/// Decisions per hour (`YYYY-MM-DDTHH`, UTC) and status since `since`, of
/// one organisation's lists or of all: what the home pages chart per day
/// (an hour is the finest step any zone's day boundary needs).
pub async fn decisions_per_hour(
    conn: &mut Conn,
    since: Timestamp,
    owner_code: Option<&str>,
) -> Result<Vec<(String, String, i64)>, StoreError> {
    let mut query = crate::dynamic::Statement::new(
        "SELECT substr(created_at, 1, 13) AS hour, status, COUNT(*) AS n FROM clearance_decisions \
         WHERE created_at >= ",
    );
    query.bind(since.to_string());
    if let Some(owner) = owner_code {
        query.push(" AND owner_code = ").bind(owner.to_owned());
    }
    query.push(" GROUP BY 1, 2 ORDER BY 1, 2");
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("hour")?,
                row.try_get("status")?,
                row.try_get("n")?,
            ))
        })
        .collect()
}

/// The JSON forms of up to 20 lists of a buyer (to check a name against
/// before showing the buyer's quota).
pub async fn lists_of_buyer(conn: &mut Conn, buyer_id: &str) -> Result<Vec<String>, StoreError> {
    if has_nul(buyer_id) {
        return Ok(Vec::new());
    }
    let bodies = crate::sql::query_scalar(
        "SELECT body FROM ceb_documents WHERE buyer_id = $1 AND kind = 'list' ORDER BY created_at DESC LIMIT 20",
    )
    .bind(buyer_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(bodies)
}

/// What would be wrong if clearance had ever left work half done: each
/// problem as a sentence (empty when the ledger and the lists agree). The
/// quota of each buyer's year must equal what its live entries count; an
/// entry is committed exactly when its list is released (800) or, once
/// released, cancelled or returned; a released list has its number, its
/// release time and a decision; only a list at status 2 waits; every
/// bonded account book line is the sum of its ledger and holds what its
/// live reservations hold.
pub async fn inconsistencies(conn: &mut Conn) -> Result<Vec<String>, StoreError> {
    let checks: [(&str, &str); 4] = [
        (
            "a buyer's year does not equal its live entries",
            "SELECT y.buyer_id || '/' || CAST(y.year AS TEXT) FROM quota_years y \
             WHERE y.used_fen <> (SELECT COALESCE(SUM(e.amount_fen - e.returned_fen), 0) FROM quota_entries e \
             WHERE e.buyer_id = y.buyer_id AND e.year = y.year AND e.state IN ('reserved', 'committed'))",
        ),
        (
            "a committed quota entry's list is not released",
            "SELECT e.list_key FROM quota_entries e LEFT JOIN ceb_documents d \
             ON d.kind = 'list' AND d.business_key = e.list_key \
             WHERE e.state = 'committed' AND (d.id IS NULL OR d.status <> '800')",
        ),
        (
            "a released list lacks its number, release time, committed quota or decision",
            "SELECT d.business_key FROM ceb_documents d WHERE d.kind = 'list' AND d.status = '800' AND \
             (d.invt_no IS NULL OR d.released_at IS NULL \
              OR NOT EXISTS (SELECT 1 FROM quota_entries e WHERE e.list_key = d.business_key AND e.state = 'committed') \
              OR NOT EXISTS (SELECT 1 FROM clearance_decisions c WHERE c.list_id = d.id AND c.status = '800'))",
        ),
        (
            "a list waits at a status other than 2",
            "SELECT d.business_key FROM ceb_documents d WHERE d.awaiting = 1 AND d.status <> '2'",
        ),
    ];
    let mut problems = Vec::new();
    for (what, sql) in checks {
        let keys: Vec<String> = crate::sql::query_scalar(sql).fetch_all(&mut *conn).await?;
        problems.extend(keys.into_iter().map(|key| format!("{what}: {key}")));
    }
    let unanswered: Vec<String> = crate::sql::query_scalar(
        "SELECT m.id FROM ceb_messages m WHERE m.receipt_xml IS NULL \
             AND NOT EXISTS (SELECT 1 FROM ceb_receipts r WHERE r.message_id = m.id)",
    )
    .fetch_all(&mut *conn)
    .await?;
    problems.extend(
        unanswered
            .into_iter()
            .map(|id| format!("a kept message has no receipt: {id}")),
    );
    problems.extend(
        crate::ems_books::ledger_differences(conn)
            .await?
            .into_iter()
            .map(|d| format!("a bonded account book line disagrees with its ledger: {d}")),
    );
    Ok(problems)
}
