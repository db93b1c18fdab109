//! Customs messages as received and the documents they carry (orders,
//! payments, waybills, declaration lists), keyed and linked for the
//! three-document match (ceb-messages.md §3.1). Every function takes the
//! caller's connection, so a message, its documents and its receipt commit
//! together.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::dynamic::Statement;
use crate::error::StoreError;
use crate::organisations::{parse_optional_time, parse_time};

/// A message to keep.
#[derive(Debug, Clone, Copy)]
pub struct NewMessage<'a> {
    /// Customs code of the sending organisation.
    pub sender_code: &'a str,
    /// Its type (`CEB311`).
    pub message_type: &'a str,
    /// Its guid attribute, in any letter case (kept upper case:
    /// [`guid_key`]).
    pub guid: &'a str,
    /// SHA-256 of the bytes, hex.
    pub sha256: &'a str,
    /// The exact bytes received.
    pub body: &'a [u8],
}

/// A kept message (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    /// Id (UUID v7).
    pub id: String,
    /// Sender's customs code.
    pub sender_code: String,
    /// Type.
    pub message_type: String,
    /// guid, upper case ([`guid_key`]).
    pub guid: String,
    /// SHA-256, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// When it arrived.
    pub received_at: Timestamp,
    /// The receipt's type and XML, once answered.
    pub receipt: Option<(String, String)>,
}

/// What keeping a message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// New: kept now.
    New(StoredMessage),
    /// Sent before (same sender, type and guid in any letter case): the
    /// earlier one, with its receipt and SHA-256; nothing changed. Whether
    /// it is the same message sent again or other content under a guid
    /// used before is the caller's to judge (issue #14, finding 12).
    Resent(StoredMessage),
}

/// The kind of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Order (CEB311).
    Order,
    /// Payment (CEB411).
    Payment,
    /// Waybill (CEB511).
    Waybill,
    /// Declaration list (CEB621).
    List,
    /// Export order (CEB303): a retail sale (`orderType` E), a B2B sale (B)
    /// or an overseas-warehouse booking (W).
    ExportOrder,
    /// Receipt of payment for an export order (CEB403 收款单).
    Collection,
    /// Export waybill (CEB505).
    ExportWaybill,
    /// Export declaration list (CEB603 出口清单).
    ExportList,
}

impl Kind {
    /// The stored name (`order`, `payment`, `waybill`, `list`,
    /// `export-order`, `collection`, `export-waybill`, `export-list`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Order => "order",
            Kind::Payment => "payment",
            Kind::Waybill => "waybill",
            Kind::List => "list",
            Kind::ExportOrder => "export-order",
            Kind::Collection => "collection",
            Kind::ExportWaybill => "export-waybill",
            Kind::ExportList => "export-list",
        }
    }

    /// Whether it is a declaration list (import or export): what waits
    /// for its documents and is decided.
    pub fn is_list(self) -> bool {
        matches!(self, Kind::List | Kind::ExportList)
    }

    /// Whether it is a document of an export (CEB303, 403, 505, 603).
    pub fn is_export(self) -> bool {
        matches!(
            self,
            Kind::ExportOrder | Kind::Collection | Kind::ExportWaybill | Kind::ExportList
        )
    }

    /// Every kind.
    pub const ALL: [Kind; 8] = [
        Kind::Order,
        Kind::Payment,
        Kind::Waybill,
        Kind::List,
        Kind::ExportOrder,
        Kind::Collection,
        Kind::ExportWaybill,
        Kind::ExportList,
    ];

    /// The kind stored as `text`, if any.
    pub fn from_name(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub(crate) fn parse(text: &str) -> Result<Kind, StoreError> {
        match text {
            "order" => Ok(Kind::Order),
            "payment" => Ok(Kind::Payment),
            "waybill" => Ok(Kind::Waybill),
            "list" => Ok(Kind::List),
            "export-order" => Ok(Kind::ExportOrder),
            "collection" => Ok(Kind::Collection),
            "export-waybill" => Ok(Kind::ExportWaybill),
            "export-list" => Ok(Kind::ExportList),
            other => Err(StoreError::corrupt("document kind", other)),
        }
    }
}

/// A document to keep.
#[derive(Debug, Clone, Copy)]
pub struct NewDocument<'a> {
    /// Its kind.
    pub kind: Kind,
    /// Its key (ceb-messages.md §3.1), its parts joined by `/`.
    pub business_key: &'a str,
    /// The sender's customs code.
    pub owner_code: &'a str,
    /// The platform's code (none on a waybill).
    pub ebp_code: Option<&'a str>,
    /// The order number it belongs to.
    pub order_no: &'a str,
    /// `logisticsCode/logisticsNo` (waybill, list).
    pub waybill_key: Option<&'a str>,
    /// The message it came in.
    pub message_id: &'a str,
    /// Its place in the message, from 1.
    pub position: i64,
    /// The receipt status it starts at (`2`).
    pub status: &'a str,
    /// Whether it waits for other documents (a list before its match).
    pub awaiting: bool,
    /// Its JSON form.
    pub body: &'a str,
    /// The buyer's ID number (a list), upper-case `X`.
    pub buyer_id: Option<&'a str>,
    /// The consignee's address (a list).
    pub consignee_address: Option<&'a str>,
    /// The buyer's telephone (a list).
    pub buyer_telephone: Option<&'a str>,
    /// The pre-entry number the platform gives a list.
    pub pre_no: Option<&'a str>,
}

/// A kept document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Id (UUID v7).
    pub id: String,
    /// Kind.
    pub kind: Kind,
    /// Key.
    pub business_key: String,
    /// Sender's customs code.
    pub owner_code: String,
    /// Platform code.
    pub ebp_code: Option<String>,
    /// Order number.
    pub order_no: String,
    /// Waybill key.
    pub waybill_key: Option<String>,
    /// Message id.
    pub message_id: String,
    /// Place in the message.
    pub position: i64,
    /// Status code.
    pub status: String,
    /// Whether it waits for other documents.
    pub awaiting: bool,
    /// JSON form.
    pub body: String,
    /// The pre-entry number the platform gave a list on acceptance.
    pub pre_no: Option<String>,
    /// The list number customs gave it (once numbered).
    pub invt_no: Option<String>,
    /// The buyer's ID number (a list).
    pub buyer_id: Option<String>,
    /// The consignee's address (a list).
    pub consignee_address: Option<String>,
    /// The buyer's telephone (a list).
    pub buyer_telephone: Option<String>,
    /// When a list was released (800).
    pub released_at: Option<Timestamp>,
    /// When it arrived.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// When the platform received the message that declared its current
    /// content (`message_id`'s `received_at`: the first message, or the
    /// change that replaced it): the platform's own record of when it was
    /// declared, which every rule on it counts from (issue #14) — never a
    /// date its sender wrote.
    pub declared_at: Timestamp,
}

/// A query of documents: the columns, then `$rest` (a literal).
macro_rules! select_documents {
    ($rest:literal) => {
        concat!(
            "SELECT id, kind, business_key, owner_code, ebp_code, order_no, waybill_key, ",
            "message_id, position, status, awaiting, body, pre_no, invt_no, buyer_id, ",
            "consignee_address, buyer_telephone, released_at, created_at, updated_at, ",
            "(SELECT m.received_at FROM ceb_messages m WHERE m.id = ceb_documents.message_id) ",
            "AS declared_at ",
            "FROM ceb_documents ",
            $rest
        )
    };
}
pub(crate) use select_documents;

/// A guid as the store keeps and compares it: upper case (ASCII letters
/// only). The specification writes guids upper case ("36位系统唯一序号（英文
/// 字母大写）"); clients and the official samples also send lower case, and
/// `abc…` and `ABC…` are one guid (issue #14, finding 13; the codec's
/// `kuajing_ceb::rules::fields::guid_key` is the same rule). Migration 0019
/// brought the messages kept before into line.
pub fn guid_key(guid: &str) -> String {
    guid.to_ascii_uppercase()
}

/// Keeps `new` unless its sender sent a message of that type and guid (in
/// any letter case) before, in which case the earlier one is returned
/// untouched. Of two first sends racing on PostgreSQL, the later waits for
/// the earlier's transaction and then finds it as a resend.
pub async fn keep_message(
    conn: &mut Conn,
    new: &NewMessage<'_>,
    now: Timestamp,
) -> Result<Kept, StoreError> {
    let guid = guid_key(new.guid);
    let id = uuid::Uuid::now_v7().to_string();
    let size = i64::try_from(new.body.len()).unwrap_or(i64::MAX);
    // One round trip for a new message (the common case): the insert
    // claims the guid or finds it taken.
    let inserted: Option<String> = crate::sql::query_scalar(
        "INSERT INTO ceb_messages (id, sender_code, message_type, guid, sha256, size_bytes, body, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (sender_code, message_type, guid) DO NOTHING RETURNING id",
    )
    .bind(&id)
    .bind(new.sender_code)
    .bind(new.message_type)
    .bind(&guid)
    .bind(new.sha256)
    .bind(size)
    .bind(new.body.to_vec())
    .bind(now.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    if inserted.is_none() {
        return match find_message(conn, new.sender_code, new.message_type, &guid).await? {
            Some(earlier) => Ok(Kept::Resent(earlier)),
            // Taken by a first send not yet committed (PostgreSQL waits
            // for it; this is only reached if it rolled back meanwhile).
            None => Err(StoreError::Duplicate {
                field: "guid",
                value: guid,
            }),
        };
    }
    Ok(Kept::New(StoredMessage {
        id,
        sender_code: new.sender_code.to_owned(),
        message_type: new.message_type.to_owned(),
        guid,
        sha256: new.sha256.to_owned(),
        size_bytes: size,
        received_at: now,
        receipt: None,
    }))
}

/// The message `sender_code` sent with this type and guid (in any letter
/// case), if any, with
/// the receipt it was answered with: the receipts feed's row for the
/// message (migration 0009), or for a message answered before it, the copy
/// kept with the message.
pub async fn find_message(
    conn: &mut Conn,
    sender_code: &str,
    message_type: &str,
    guid: &str,
) -> Result<Option<StoredMessage>, StoreError> {
    if [sender_code, message_type, guid].iter().any(|t| has_nul(t)) {
        return Ok(None);
    }
    let row = crate::sql::query(
        "SELECT m.id, m.sender_code, m.message_type, m.guid, m.sha256, m.size_bytes, m.received_at, \
         COALESCE(m.receipt_type, (SELECT r.receipt_type FROM ceb_receipts r \
           WHERE r.message_id = m.id ORDER BY r.seq LIMIT 1)) AS receipt_type, \
         COALESCE(m.receipt_xml, (SELECT r.xml FROM ceb_receipts r \
           WHERE r.message_id = m.id ORDER BY r.seq LIMIT 1)) AS receipt_xml \
         FROM ceb_messages m WHERE m.sender_code = $1 AND m.message_type = $2 AND m.guid = $3",
    )
        .bind(sender_code)
        .bind(message_type)
        .bind(guid_key(guid))
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| message_from_row(&row)).transpose()
}

/// The exact bytes of a kept message.
pub async fn message_body(
    conn: &mut Conn,
    message_id: &str,
) -> Result<Option<Vec<u8>>, StoreError> {
    if has_nul(message_id) {
        return Ok(None);
    }
    let body: Option<Vec<u8>> =
        crate::sql::query_scalar("SELECT body FROM ceb_messages WHERE id = $1")
            .bind(message_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(body)
}

/// Keeps a document; a second document of the same kind and key is
/// [`StoreError::Duplicate`] (the caller answers with the official code,
/// e.g. -301010 for an order). The key is claimed with `ON CONFLICT DO
/// NOTHING`, not by catching the violation, so the caller's transaction
/// stays usable on PostgreSQL for the message's other documents.
pub async fn keep_document(
    conn: &mut Conn,
    new: &NewDocument<'_>,
    now: Timestamp,
) -> Result<Document, StoreError> {
    keep_documents(conn, std::slice::from_ref(new), now)
        .await?
        .pop()
        .unwrap_or_else(|| Err(StoreError::corrupt("kept document", new.business_key)))
}

/// Keeps new documents, in their order, each unless its key is taken
/// (then `Err(Duplicate)` in its place; within the batch the first of a
/// key wins): a multi-row insert per chunk instead of one statement per
/// document — a 100-document message's documents in four round trips.
pub async fn keep_documents(
    conn: &mut Conn,
    news: &[NewDocument<'_>],
    now: Timestamp,
) -> Result<Vec<Result<Document, StoreError>>, StoreError> {
    let ids: Vec<String> = news
        .iter()
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let mut inserted = std::collections::HashMap::new();
    for (chunk, chunk_ids) in news
        .chunks(crate::outbox::MAX_ROWS_PER_STATEMENT)
        .zip(ids.chunks(crate::outbox::MAX_ROWS_PER_STATEMENT))
    {
        for row in insert_documents(chunk, chunk_ids, now)
            .fetch_all(&mut *conn)
            .await?
        {
            let declared_at = parse_time(&row, "declared_at")?;
            inserted.insert(row.try_get::<String, _>("id")?, declared_at);
        }
    }
    Ok(news
        .iter()
        .zip(ids)
        .map(|(new, id)| {
            if let Some(declared_at) = inserted.get(&id).copied() {
                Ok(written(new, id, now, declared_at))
            } else {
                Err(StoreError::Duplicate {
                    field: "business_key",
                    value: new.business_key.to_owned(),
                })
            }
        })
        .collect())
}

/// One multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` the id and when its
/// message was received.
fn insert_documents(news: &[NewDocument<'_>], ids: &[String], now: Timestamp) -> Statement {
    let now = now.to_string();
    let mut statement = Statement::new(
        "INSERT INTO ceb_documents (id, kind, business_key, owner_code, ebp_code, order_no, \
         waybill_key, message_id, position, status, awaiting, body, buyer_id, consignee_address, \
         buyer_telephone, pre_no, created_at, updated_at) VALUES ",
    );
    let text = |t: &str| t.to_owned();
    let optional = |t: Option<&str>| t.map(str::to_owned);
    for (i, (new, id)) in news.iter().zip(ids).enumerate() {
        statement.push(if i == 0 { "(" } else { ", (" });
        statement.bind(id.clone()).push(", ");
        statement.bind(text(new.kind.as_str())).push(", ");
        statement.bind(text(new.business_key)).push(", ");
        statement.bind(text(new.owner_code)).push(", ");
        statement.bind(optional(new.ebp_code)).push(", ");
        statement.bind(text(new.order_no)).push(", ");
        statement.bind(optional(new.waybill_key)).push(", ");
        statement.bind(text(new.message_id)).push(", ");
        statement.bind(new.position).push(", ");
        statement.bind(text(new.status)).push(", ");
        statement.bind(i64::from(new.awaiting)).push(", ");
        statement.bind(text(new.body)).push(", ");
        statement.bind(optional(new.buyer_id)).push(", ");
        statement.bind(optional(new.consignee_address)).push(", ");
        statement.bind(optional(new.buyer_telephone)).push(", ");
        statement.bind(optional(new.pre_no)).push(", ");
        statement.bind(now.clone()).push(", ");
        statement.bind(now.clone()).push(")");
    }
    statement.push(
        " ON CONFLICT (kind, business_key) DO NOTHING RETURNING id, \
         (SELECT m.received_at FROM ceb_messages m WHERE m.id = ceb_documents.message_id) \
         AS declared_at",
    );
    statement
}

/// What was written, without reading it back (one round trip less per
/// document on the intake's path); `declared_at` as the insert returned it.
fn written(new: &NewDocument<'_>, id: String, now: Timestamp, declared_at: Timestamp) -> Document {
    Document {
        id,
        kind: new.kind,
        business_key: new.business_key.to_owned(),
        owner_code: new.owner_code.to_owned(),
        ebp_code: new.ebp_code.map(str::to_owned),
        order_no: new.order_no.to_owned(),
        waybill_key: new.waybill_key.map(str::to_owned),
        message_id: new.message_id.to_owned(),
        position: new.position,
        status: new.status.to_owned(),
        awaiting: new.awaiting,
        body: new.body.to_owned(),
        pre_no: new.pre_no.map(str::to_owned),
        invt_no: None,
        buyer_id: new.buyer_id.map(str::to_owned),
        consignee_address: new.consignee_address.map(str::to_owned),
        buyer_telephone: new.buyer_telephone.map(str::to_owned),
        released_at: None,
        created_at: now,
        updated_at: now,
        declared_at,
    }
}

/// Replaces a document's content (a change, `appType` 2): its JSON form,
/// status and the list's buyer facts; the key stays.
pub async fn replace_document(
    conn: &mut Conn,
    document_id: &str,
    new: &NewDocument<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query(
        "UPDATE ceb_documents SET message_id = $2, position = $3, status = $4, awaiting = $5, \
         body = $6, buyer_id = $7, consignee_address = $8, buyer_telephone = $9, updated_at = $10 \
         WHERE id = $1",
    )
    .bind(document_id)
    .bind(new.message_id)
    .bind(new.position)
    .bind(new.status)
    .bind(i64::from(new.awaiting))
    .bind(new.body)
    .bind(new.buyer_id)
    .bind(new.consignee_address)
    .bind(new.buyer_telephone)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes a document that never went further than a draft or a refusal
/// (a deletion, `appType` 3), with the receipts that name it.
pub async fn delete_document(conn: &mut Conn, document_id: &str) -> Result<(), StoreError> {
    crate::sql::query("UPDATE ceb_receipts SET document_id = NULL WHERE document_id = $1")
        .bind(document_id)
        .execute(&mut *conn)
        .await?;
    crate::sql::query("DELETE FROM clearance_decisions WHERE list_id = $1")
        .bind(document_id)
        .execute(&mut *conn)
        .await?;
    crate::sql::query("DELETE FROM ceb_documents WHERE id = $1")
        .bind(document_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The document with `id`.
pub async fn get_document(conn: &mut Conn, id: &str) -> Result<Option<Document>, StoreError> {
    if has_nul(id) {
        return Ok(None);
    }
    let row = crate::sql::query(select_documents!("WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| document_from_row(&row)).transpose()
}

/// The documents a list names, in one query: the order with
/// `order_key`, the payments of `ebp_code` + `order_no`, the waybill with
/// `waybill_key` (the three-document match's lookup).
pub async fn documents_of_parcel(
    conn: &mut Conn,
    order_key: &str,
    ebp_code: &str,
    order_no: &str,
    waybill_key: &str,
) -> Result<Vec<Document>, StoreError> {
    if [order_key, ebp_code, order_no, waybill_key]
        .iter()
        .any(|t| has_nul(t))
    {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_documents!(
        "WHERE (kind = 'order' AND business_key = $1) \
         OR (kind = 'payment' AND ebp_code = $2 AND order_no = $3) \
         OR (kind = 'waybill' AND business_key = $4) ORDER BY created_at, id"
    ))
    .bind(order_key)
    .bind(ebp_code)
    .bind(order_no)
    .bind(waybill_key)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(document_from_row).collect()
}

/// The documents an export list names, in one query: the order (or
/// booking) and the receipt of payment keyed by `order_key`, the export
/// waybill keyed by `waybill_key`.
pub async fn documents_of_shipment(
    conn: &mut Conn,
    order_key: &str,
    waybill_key: &str,
) -> Result<Vec<Document>, StoreError> {
    if has_nul(order_key) || has_nul(waybill_key) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_documents!(
        "WHERE (kind IN ('export-order', 'collection') AND business_key = $1) \
         OR (kind = 'export-waybill' AND business_key = $2) ORDER BY created_at, id"
    ))
    .bind(order_key)
    .bind(waybill_key)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(document_from_row).collect()
}

/// The export lists of `waybill_keys` standing at any of `statuses` (the
/// lists an arrival or departure may see out), in one statement per
/// chunk.
pub async fn export_lists_of_waybills(
    conn: &mut Conn,
    waybill_keys: &[&str],
    statuses: &[&str],
) -> Result<Vec<Document>, StoreError> {
    let keys: Vec<String> = waybill_keys
        .iter()
        .filter(|k| !has_nul(k))
        .map(|k| (*k).to_owned())
        .collect();
    let mut found = Vec::new();
    for chunk in keys.chunks(crate::outbox::MAX_ROWS_PER_STATEMENT) {
        let mut statement = Statement::new(select_documents!(
            "WHERE kind = 'export-list' AND status IN ("
        ));
        statement
            .bind_list(statuses.iter().map(|s| (*s).to_owned()))
            .push(") AND waybill_key IN (")
            .bind_list(chunk.iter().cloned())
            .push(") ORDER BY created_at, id");
        for row in statement.fetch_all(&mut *conn).await? {
            found.push(document_from_row(&row)?);
        }
    }
    Ok(found)
}

/// The export lists an organisation declared, newest first, at most
/// `limit`; with `statuses`, only those standing at one of them.
pub async fn export_lists_of_owner(
    conn: &mut Conn,
    owner_code: Option<&str>,
    statuses: &[&str],
    limit: i64,
) -> Result<Vec<Document>, StoreError> {
    if owner_code.is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let mut statement = Statement::new(select_documents!("WHERE kind = 'export-list'"));
    if let Some(owner) = owner_code {
        statement.push(" AND owner_code = ").bind(owner.to_owned());
    }
    if !statuses.is_empty() {
        statement
            .push(" AND status IN (")
            .bind_list(statuses.iter().map(|s| (*s).to_owned()))
            .push(")");
    }
    statement
        .push(" ORDER BY created_at DESC, id DESC LIMIT ")
        .bind(limit);
    let rows = statement.fetch_all(conn).await?;
    rows.iter().map(document_from_row).collect()
}

/// The document of `kind` numbered `invt_no` (a list), if any.
pub async fn find_by_invt_no(
    conn: &mut Conn,
    kind: Kind,
    invt_no: &str,
) -> Result<Option<Document>, StoreError> {
    if has_nul(invt_no) {
        return Ok(None);
    }
    let row = crate::sql::query(select_documents!("WHERE kind = $1 AND invt_no = $2"))
        .bind(kind.as_str())
        .bind(invt_no)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| document_from_row(&row)).transpose()
}

/// Moves the documents `ids` to `status` (no longer waiting), in one
/// statement.
pub async fn set_statuses(
    conn: &mut Conn,
    ids: &[&str],
    status: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut statement = Statement::new("UPDATE ceb_documents SET status = ");
    statement
        .bind(status.to_owned())
        .push(", awaiting = 0, updated_at = ")
        .bind(now.to_string())
        .push(" WHERE id IN (")
        .bind_list(ids.iter().map(|id| (*id).to_owned()))
        .push(")");
    statement.execute(conn).await?;
    Ok(())
}

/// Where a decision leaves a list: its status, its list number once
/// numbered and when it was released, in one statement; an unknown
/// document is [`StoreError::NotFound`].
pub async fn finish_list(
    conn: &mut Conn,
    document_id: &str,
    status: &str,
    invt_no: Option<&str>,
    released_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let changed = crate::sql::query(
        "UPDATE ceb_documents SET status = $2, awaiting = 0, invt_no = COALESCE($3, invt_no), \
         released_at = COALESCE($4, released_at), updated_at = $5 WHERE id = $1",
    )
    .bind(document_id)
    .bind(status)
    .bind(invt_no)
    .bind(released_at.map(|t| t.to_string()))
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "CEB document",
            key: document_id.to_owned(),
        });
    }
    Ok(())
}

/// Lists standing at any of `statuses`, oldest change first, at most
/// `limit`, in one query (the officers' queue: 300, 500, 50x, 599).
pub async fn lists_in_status(
    conn: &mut Conn,
    statuses: &[&str],
    limit: i64,
) -> Result<Vec<Document>, StoreError> {
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let mut statement = Statement::new(select_documents!("WHERE kind = 'list' AND status IN ("));
    statement
        .bind_list(statuses.iter().map(|s| (*s).to_owned()))
        .push(") ORDER BY updated_at, id LIMIT ")
        .bind(limit);
    let rows = statement.fetch_all(conn).await?;
    rows.iter().map(document_from_row).collect()
}

/// How many lists stand at any of `statuses` (the (kind, status) index):
/// the officers' queue as a number, cheap enough for every page's menu.
pub async fn count_lists_in_status(conn: &mut Conn, statuses: &[&str]) -> Result<i64, StoreError> {
    if statuses.is_empty() {
        return Ok(0);
    }
    let mut statement = Statement::new(
        "SELECT COUNT(*) AS n FROM ceb_documents WHERE kind = 'list' AND status IN (",
    );
    statement
        .bind_list(statuses.iter().map(|s| (*s).to_owned()))
        .push(")");
    let rows = statement.fetch_all(conn).await?;
    Ok(rows
        .first()
        .map(|row| row.try_get("n"))
        .transpose()?
        .unwrap_or(0))
}

/// The documents an organisation sent, newest first, at most `limit`.
pub async fn documents_of_owner(
    conn: &mut Conn,
    owner_code: &str,
    limit: i64,
) -> Result<Vec<Document>, StoreError> {
    if has_nul(owner_code) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_documents!(
        "WHERE owner_code = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    ))
    .bind(owner_code)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(document_from_row).collect()
}

/// Which of an organisation's documents a list shows.
#[derive(Debug, Clone, Default)]
pub struct OwnerFilter {
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Only documents at one of these statuses.
    pub statuses: Vec<String>,
    /// Text in the business key (order number, waybill number, …).
    pub key: Option<String>,
}

/// The documents an organisation sent that `filter` keeps, newest first,
/// `limit` of them from `offset`.
pub async fn documents_of_owner_filtered(
    conn: &mut Conn,
    owner_code: &str,
    filter: &OwnerFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<Document>, StoreError> {
    if has_nul(owner_code) || filter.key.as_deref().is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let mut statement = Statement::new(select_documents!("WHERE owner_code = "));
    statement.bind(owner_code.to_owned());
    if let Some(kind) = filter.kind {
        statement
            .push(" AND kind = ")
            .bind(kind.as_str().to_owned());
    }
    if !filter.statuses.is_empty() {
        statement
            .push(" AND status IN (")
            .bind_list(filter.statuses.iter().cloned())
            .push(")");
    }
    if let Some(key) = &filter.key {
        statement
            .push(" AND business_key LIKE ")
            .bind(format!("%{}%", crate::dynamic::escape_like(key)))
            .push(" ESCAPE '\\'");
    }
    statement
        .push(" ORDER BY created_at DESC, id DESC LIMIT ")
        .bind(limit)
        .push(" OFFSET ")
        .bind(offset);
    let rows = statement.fetch_all(conn).await?;
    rows.iter().map(document_from_row).collect()
}

/// How many documents of each kind stand at each status: the live board.
pub async fn status_counts(conn: &mut Conn) -> Result<Vec<(Kind, String, i64)>, StoreError> {
    let rows = crate::sql::query(
        "SELECT kind, status, COUNT(*) AS n FROM ceb_documents GROUP BY kind, status ORDER BY kind, status",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                Kind::parse(&row.try_get::<String, _>("kind")?)?,
                row.try_get("status")?,
                row.try_get("n")?,
            ))
        })
        .collect()
}

/// The document of `kind` with `business_key`, if any.
pub async fn find_document(
    conn: &mut Conn,
    kind: Kind,
    business_key: &str,
) -> Result<Option<Document>, StoreError> {
    if has_nul(business_key) {
        return Ok(None);
    }
    let row = crate::sql::query(select_documents!("WHERE kind = $1 AND business_key = $2"))
        .bind(kind.as_str())
        .bind(business_key)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| document_from_row(&row)).transpose()
}

/// The documents of `kind` with any of these business keys (a manifest's or
/// an entry list's waybills), one statement per chunk of keys rather than
/// one per key; in no particular order, each at most once.
pub async fn find_documents(
    conn: &mut Conn,
    kind: Kind,
    business_keys: &[&str],
) -> Result<Vec<Document>, StoreError> {
    find_by_any(conn, kind, "business_key", business_keys).await
}

/// The documents of `kind` with any of these list numbers (`invtNo`), one
/// statement per chunk; in no particular order.
pub async fn find_by_invt_nos(
    conn: &mut Conn,
    kind: Kind,
    invt_nos: &[&str],
) -> Result<Vec<Document>, StoreError> {
    find_by_any(conn, kind, "invt_no", invt_nos).await
}

/// The lists of order `order_no` on any of the platforms `ebp_codes`:
/// one seek of the (kind, ebp_code, order_no) index per platform, for an
/// officer who has the order number but not the platform.
pub async fn lists_of_order_on(
    conn: &mut Conn,
    ebp_codes: &[&str],
    order_no: &str,
) -> Result<Vec<Document>, StoreError> {
    if has_nul(order_no) || ebp_codes.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for chunk in ebp_codes.chunks(crate::outbox::MAX_ROWS_PER_STATEMENT) {
        let mut statement = Statement::new(select_documents!("WHERE kind = "));
        statement
            .bind(Kind::List.as_str().to_owned())
            .push(" AND ebp_code IN (")
            .bind_list(chunk.iter().map(|c| (*c).to_owned()))
            .push(") AND order_no = ")
            .bind(order_no.to_owned());
        for row in statement.fetch_all(&mut *conn).await? {
            found.push(document_from_row(&row)?);
        }
    }
    Ok(found)
}

/// The lists whose waybill key (`logisticsCode/logisticsNo`) is one of
/// `keys`.
pub async fn lists_of_waybills(
    conn: &mut Conn,
    keys: &[&str],
) -> Result<Vec<Document>, StoreError> {
    find_by_any(conn, Kind::List, "waybill_key", keys).await
}

/// The newest lists (at most `limit`) of buyer `buyer_id` (the
/// (buyer_id, created_at) index).
pub async fn lists_of_buyer_id(
    conn: &mut Conn,
    buyer_id: &str,
    limit: i64,
) -> Result<Vec<Document>, StoreError> {
    if has_nul(buyer_id) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_documents!(
        "WHERE buyer_id = $1 AND kind = 'list' ORDER BY created_at DESC LIMIT $2"
    ))
    .bind(buyer_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(document_from_row).collect()
}

/// The documents of `kind` whose `column` (a fixed column name, never
/// input) holds one of `values`.
async fn find_by_any(
    conn: &mut Conn,
    kind: Kind,
    column: &'static str,
    values: &[&str],
) -> Result<Vec<Document>, StoreError> {
    let mut values: Vec<String> = values
        .iter()
        .filter(|v| !has_nul(v))
        .map(|v| (*v).to_owned())
        .collect();
    values.sort_unstable();
    values.dedup();
    let mut found = Vec::new();
    for chunk in values.chunks(crate::outbox::MAX_ROWS_PER_STATEMENT) {
        let mut statement = Statement::new(select_documents!("WHERE kind = "));
        statement
            .bind(kind.as_str().to_owned())
            .push(" AND ")
            .push(column)
            .push(" IN (")
            .bind_list(chunk.iter().cloned())
            .push(")");
        for row in statement.fetch_all(&mut *conn).await? {
            found.push(document_from_row(&row)?);
        }
    }
    Ok(found)
}

/// The documents of `kind` for the order `order_no` of platform `ebp_code`
/// (payments for an order; lists waiting for it).
pub async fn documents_of_order(
    conn: &mut Conn,
    kind: Kind,
    ebp_code: &str,
    order_no: &str,
) -> Result<Vec<Document>, StoreError> {
    if has_nul(ebp_code) || has_nul(order_no) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_documents!(
        "WHERE kind = $1 AND ebp_code = $2 AND order_no = $3 ORDER BY created_at, id"
    ))
    .bind(kind.as_str())
    .bind(ebp_code)
    .bind(order_no)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(document_from_row).collect()
}

/// The lists still awaiting their documents that belong to any of
/// `orders` (`ebpCode`, `orderNo`) or `waybills` (waybill keys), oldest
/// first: the lists a message's new documents may complete, found in one
/// statement per chunk instead of one per document.
pub async fn awaiting_lists(
    conn: &mut Conn,
    orders: &[(&str, &str)],
    waybills: &[&str],
) -> Result<Vec<Document>, StoreError> {
    let orders: Vec<_> = orders
        .iter()
        .filter(|(ebp, no)| !has_nul(ebp) && !has_nul(no))
        .collect();
    let waybills: Vec<_> = waybills.iter().filter(|w| !has_nul(w)).collect();
    let mut found: Vec<Document> = Vec::new();
    let per_chunk = crate::outbox::MAX_ROWS_PER_STATEMENT;
    for (orders, waybills) in orders
        .chunks(per_chunk)
        .map(|o| (o, &[][..]))
        .chain(waybills.chunks(per_chunk).map(|w| (&[][..], w)))
    {
        let mut statement = Statement::new(select_documents!(
            "WHERE kind IN ('list', 'export-list') AND awaiting = 1 AND ("
        ));
        for (i, (ebp, no)) in orders.iter().enumerate() {
            statement.push(if i == 0 { "(" } else { " OR (" });
            statement.push("ebp_code = ").bind((*ebp).to_owned());
            statement
                .push(" AND order_no = ")
                .bind((*no).to_owned())
                .push(")");
        }
        if !waybills.is_empty() {
            statement.push("waybill_key IN (");
            statement.bind_list(waybills.iter().map(|w| (**w).to_owned()));
            statement.push(")");
        }
        statement.push(")");
        for row in statement.fetch_all(&mut *conn).await? {
            let document = document_from_row(&row)?;
            if !found.iter().any(|d| d.id == document.id) {
                found.push(document);
            }
        }
    }
    found.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(found)
}

/// Lists still waiting for their documents that were declared before
/// `before` (the "三单不齐" timeout: by the message that declared their
/// current content, so a list declared again by a change waits its full
/// time), oldest first, at most `limit`. A list is never declared before it
/// arrived, so `created_at` bounds the scan by its index.
pub async fn awaiting_since(
    conn: &mut Conn,
    before: Timestamp,
    limit: i64,
) -> Result<Vec<Document>, StoreError> {
    let rows = crate::sql::query(select_documents!(
        "WHERE awaiting = 1 AND created_at < $1 AND (SELECT m.received_at FROM ceb_messages m \
         WHERE m.id = ceb_documents.message_id) < $1 ORDER BY created_at, id LIMIT $2"
    ))
    .bind(before.to_string())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(document_from_row).collect()
}

fn message_from_row(row: &sqlx::any::AnyRow) -> Result<StoredMessage, StoreError> {
    let receipt_type: Option<String> = row.try_get("receipt_type")?;
    let receipt_xml: Option<String> = row.try_get("receipt_xml")?;
    Ok(StoredMessage {
        id: row.try_get("id")?,
        sender_code: row.try_get("sender_code")?,
        message_type: row.try_get("message_type")?,
        guid: row.try_get("guid")?,
        sha256: row.try_get("sha256")?,
        size_bytes: row.try_get("size_bytes")?,
        received_at: parse_time(row, "received_at")?,
        receipt: receipt_type.zip(receipt_xml),
    })
}

pub(crate) fn document_from_row(row: &sqlx::any::AnyRow) -> Result<Document, StoreError> {
    let awaiting: i64 = row.try_get("awaiting")?;
    Ok(Document {
        id: row.try_get("id")?,
        kind: Kind::parse(&row.try_get::<String, _>("kind")?)?,
        business_key: row.try_get("business_key")?,
        owner_code: row.try_get("owner_code")?,
        ebp_code: row.try_get("ebp_code")?,
        order_no: row.try_get("order_no")?,
        waybill_key: row.try_get("waybill_key")?,
        message_id: row.try_get("message_id")?,
        position: row.try_get("position")?,
        status: row.try_get("status")?,
        awaiting: awaiting == 1,
        body: row.try_get("body")?,
        pre_no: row.try_get("pre_no")?,
        invt_no: row.try_get("invt_no")?,
        buyer_id: row.try_get("buyer_id")?,
        consignee_address: row.try_get("consignee_address")?,
        buyer_telephone: row.try_get("buyer_telephone")?,
        released_at: parse_optional_time(row, "released_at")?,
        created_at: parse_time(row, "created_at")?,
        updated_at: parse_time(row, "updated_at")?,
        declared_at: parse_time(row, "declared_at")?,
    })
}

/// Records that the waybill `waybill_id` reached `status` (CEB513) at
/// `time`; false if it had been reported at that status before (nothing
/// changed).
pub async fn keep_waybill_status(
    conn: &mut Conn,
    waybill_id: &str,
    status: &str,
    time: &str,
    message_id: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let inserted: Option<String> = crate::sql::query_scalar(
        "INSERT INTO ceb_waybill_statuses (id, waybill_id, logistics_status, logistics_time, message_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (waybill_id, logistics_status) DO NOTHING RETURNING id",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(waybill_id)
    .bind(status)
    .bind(time)
    .bind(message_id)
    .bind(now.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(inserted.is_some())
}
