//! Summary declarations of retail exports (汇总申报, issue #7;
//! policy-rules.md §2.3 "清单核放、汇总申报"; CEB701/702/792,
//! ceb-messages.md §2.6; migration 0015): the released export lists an
//! exporter's declarer has to summarise, the applications accepted, the
//! declarations each was grouped into and the lists each claimed — a list
//! in one accepted summary at most.
//!
//! Export lists are `ceb_documents` rows of kind `export-list` (owner: the
//! declarer that sent the CEB603); released means status 800 (清单放行) or
//! `exited` (arrival and departure covered its waybill).

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::ceb_documents::{Document, document_from_row, select_documents};
use crate::db::has_nul;
use crate::dynamic::Statement;
use crate::error::StoreError;
use crate::organisations::parse_time;

/// The statuses of a released export list: released (800) or exited.
pub const RELEASED: [&str; 2] = ["800", "exited"];

/// One declaration of an application to keep (one CEB792).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeclaration {
    /// The platform's number for it (`declSeqNo`, 汇总统一编号).
    pub decl_seq_no: String,
    /// Its place in the application, from 1 (the CEB792 `msgSeqNo`).
    pub seq: i64,
    /// Consignor (发货人, `ebcCode`).
    pub consignor: String,
    /// Transport mode (`trafMode`).
    pub transport_mode: String,
    /// Producer or seller (生产销售单位, `ownerCode`).
    pub producer: String,
    /// Country of arrival (运抵国).
    pub arrival_country: String,
    /// Exit customs (出境关别, `portCode`).
    pub exit_customs: String,
    /// The declaration's state as the CEB792 says it (`decState`).
    pub dec_state: String,
    /// Gross weight in kg, summed over its lists (decimal text).
    pub gross_weight: String,
    /// Net weight in kg, summed (decimal text).
    pub net_weight: String,
    /// How many merged lines it has.
    pub lines: i64,
    /// Its lists: (document id, `invtNo`).
    pub lists: Vec<(String, String)>,
}

/// An accepted application to keep (CEB701 `SummaryApplyHead`).
#[derive(Debug, Clone, Copy)]
pub struct NewSummary<'a> {
    /// The sender (the declarer, `agentCode`).
    pub sender_code: &'a str,
    /// The sender's own number for it (`copNo`), unique per sender.
    pub cop_no: &'a str,
    /// The platform's pre-entry number (`preNo`).
    pub pre_no: &'a str,
    /// The platform's summary number (`sumNo`).
    pub sum_no: &'a str,
    /// Declaring customs (`customsCode`).
    pub customs_code: &'a str,
    /// The consignor (`ebcCode`).
    pub ebc_code: &'a str,
    /// The consignor's name (`ebcName`).
    pub ebc_name: &'a str,
    /// The customs broker of the declarations (`declAgentCode`).
    pub decl_agent_code: &'a str,
    /// The period's first instant.
    pub period_start: Timestamp,
    /// The instant after the period.
    pub period_end: Timestamp,
    /// The message it came in.
    pub message_id: &'a str,
    /// Its declarations.
    pub declarations: &'a [NewDeclaration],
}

/// A kept declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    /// `declSeqNo`.
    pub decl_seq_no: String,
    /// Place in the application.
    pub seq: i64,
    /// Consignor.
    pub consignor: String,
    /// Transport mode.
    pub transport_mode: String,
    /// Producer or seller.
    pub producer: String,
    /// Country of arrival.
    pub arrival_country: String,
    /// Exit customs.
    pub exit_customs: String,
    /// `decState`.
    pub dec_state: String,
    /// Gross weight, kg.
    pub gross_weight: String,
    /// Net weight, kg.
    pub net_weight: String,
    /// Merged lines.
    pub lines: i64,
    /// How many lists it merges.
    pub lists: i64,
}

/// A kept application with its declarations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Id (UUID v7).
    pub id: String,
    /// The sender.
    pub sender_code: String,
    /// `copNo`.
    pub cop_no: String,
    /// `preNo`.
    pub pre_no: String,
    /// `sumNo`.
    pub sum_no: String,
    /// Declaring customs.
    pub customs_code: String,
    /// Consignor.
    pub ebc_code: String,
    /// Consignor's name.
    pub ebc_name: String,
    /// Customs broker.
    pub decl_agent_code: String,
    /// The period's first instant.
    pub period_start: Timestamp,
    /// The instant after the period.
    pub period_end: Timestamp,
    /// `accepted`.
    pub state: String,
    /// When accepted.
    pub created_at: Timestamp,
    /// Its declarations, in order.
    pub declarations: Vec<Declaration>,
}

/// The released export lists of `owner_code` released in `[from, to)`,
/// oldest release first (the index `ceb_documents_by_release`).
pub async fn released_lists(
    conn: &mut Conn,
    owner_code: &str,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Document>, StoreError> {
    if has_nul(owner_code) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_documents!(
        "WHERE kind = 'export-list' AND owner_code = $1 AND released_at >= $2 AND released_at < $3 \
         AND status IN ('800', 'exited') ORDER BY released_at, id"
    ))
    .bind(owner_code)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(document_from_row).collect()
}

/// The released export lists in no summary yet, released before `before`
/// (and from `since` if given), of `owner_code` or (customs) of every
/// exporter, oldest release first, at most `limit`: what is still to be
/// declared.
pub async fn unsummarised_lists(
    conn: &mut Conn,
    owner_code: Option<&str>,
    since: Option<Timestamp>,
    before: Timestamp,
    limit: i64,
) -> Result<Vec<Document>, StoreError> {
    if owner_code.is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_documents!(
        "WHERE kind = 'export-list' AND (CAST($1 AS TEXT) IS NULL OR owner_code = $1) \
         AND released_at >= $2 AND released_at < $3 AND status IN ('800', 'exited') \
         AND NOT EXISTS (SELECT 1 FROM export_summary_lists s WHERE s.document_id = ceb_documents.id) \
         ORDER BY released_at, id LIMIT $4"
    ))
    .bind(owner_code)
    .bind(since.map_or_else(|| String::from("0000"), |t| t.to_string()))
    .bind(before.to_string())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(document_from_row).collect()
}

/// The export lists numbered `invt_nos` (any owner, any status), in no
/// particular order; numbers not found are left out.
pub async fn export_lists_numbered(
    conn: &mut Conn,
    invt_nos: &[&str],
) -> Result<Vec<Document>, StoreError> {
    let numbers: Vec<String> = invt_nos
        .iter()
        .filter(|n| !has_nul(n))
        .map(|n| (*n).to_owned())
        .collect();
    let mut found = Vec::with_capacity(numbers.len());
    for chunk in numbers.chunks(500) {
        let mut statement = Statement::new(select_documents!(
            "WHERE kind = 'export-list' AND invt_no IN ("
        ));
        statement.bind_list(chunk.iter().cloned()).push(")");
        for row in statement.fetch_all(conn).await? {
            found.push(document_from_row(&row)?);
        }
    }
    Ok(found)
}

/// Which of the documents `document_ids` are in a summary already: each
/// as (document id, the summary's `sumNo`).
pub async fn summarised(
    conn: &mut Conn,
    document_ids: &[&str],
) -> Result<Vec<(String, String)>, StoreError> {
    let ids: Vec<String> = document_ids
        .iter()
        .filter(|n| !has_nul(n))
        .map(|n| (*n).to_owned())
        .collect();
    let mut found = Vec::new();
    for chunk in ids.chunks(500) {
        let mut statement = Statement::new(
            "SELECT l.document_id, s.sum_no FROM export_summary_lists l \
             JOIN export_summaries s ON s.id = l.summary_id WHERE l.document_id IN (",
        );
        statement.bind_list(chunk.iter().cloned()).push(")");
        for row in statement.fetch_all(conn).await? {
            found.push((row.try_get("document_id")?, row.try_get("sum_no")?));
        }
    }
    Ok(found)
}

/// The `sumNo` of the sender's application numbered `cop_no`, if it has one.
pub async fn by_cop_no(
    conn: &mut Conn,
    sender_code: &str,
    cop_no: &str,
) -> Result<Option<String>, StoreError> {
    if has_nul(sender_code) || has_nul(cop_no) {
        return Ok(None);
    }
    Ok(crate::sql::query_scalar(
        "SELECT sum_no FROM export_summaries WHERE sender_code = $1 AND cop_no = $2",
    )
    .bind(sender_code)
    .bind(cop_no)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Keeps an accepted application, its declarations and the lists each
/// claims; its id. A `copNo` the sender used before, or a list already in
/// a summary, is [`StoreError::Duplicate`] (the caller checks first, in the
/// same transaction; the keys are what make it so under a race).
pub async fn keep(
    conn: &mut Conn,
    new: &NewSummary<'_>,
    now: Timestamp,
) -> Result<String, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    crate::sql::query(
        "INSERT INTO export_summaries (id, sender_code, cop_no, pre_no, sum_no, customs_code, \
         ebc_code, ebc_name, decl_agent_code, period_start, period_end, state, message_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'accepted', $12, $13)",
    )
    .bind(&id)
    .bind(new.sender_code)
    .bind(new.cop_no)
    .bind(new.pre_no)
    .bind(new.sum_no)
    .bind(new.customs_code)
    .bind(new.ebc_code)
    .bind(new.ebc_name)
    .bind(new.decl_agent_code)
    .bind(new.period_start.to_string())
    .bind(new.period_end.to_string())
    .bind(new.message_id)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique("copNo", new.cop_no))?;
    for declaration in new.declarations {
        crate::sql::query(
            "INSERT INTO export_summary_declarations (decl_seq_no, summary_id, seq, consignor, \
             transport_mode, producer, arrival_country, exit_customs, dec_state, gross_weight, \
             net_weight, lines) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&declaration.decl_seq_no)
        .bind(&id)
        .bind(declaration.seq)
        .bind(&declaration.consignor)
        .bind(&declaration.transport_mode)
        .bind(&declaration.producer)
        .bind(&declaration.arrival_country)
        .bind(&declaration.exit_customs)
        .bind(&declaration.dec_state)
        .bind(&declaration.gross_weight)
        .bind(&declaration.net_weight)
        .bind(declaration.lines)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::on_unique("declSeqNo", &declaration.decl_seq_no))?;
        for (document_id, invt_no) in &declaration.lists {
            crate::sql::query(
                "INSERT INTO export_summary_lists (document_id, summary_id, decl_seq_no, invt_no) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(document_id)
            .bind(&id)
            .bind(&declaration.decl_seq_no)
            .bind(invt_no)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::on_unique("invtNo", invt_no))?;
        }
    }
    Ok(id)
}

/// The applications of `sender_code` or (customs) of every sender, newest
/// first, at most `limit`, each with its declarations.
pub async fn summaries(
    conn: &mut Conn,
    sender_code: Option<&str>,
    limit: i64,
) -> Result<Vec<Summary>, StoreError> {
    if sender_code.is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT id, sender_code, cop_no, pre_no, sum_no, customs_code, ebc_code, ebc_name, \
         decl_agent_code, period_start, period_end, state, created_at FROM export_summaries \
         WHERE (CAST($1 AS TEXT) IS NULL OR sender_code = $1) \
         ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(sender_code)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut summaries = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: String = row.try_get("id")?;
        let declarations = crate::sql::query(
            "SELECT d.decl_seq_no, d.seq, d.consignor, d.transport_mode, d.producer, \
             d.arrival_country, d.exit_customs, d.dec_state, d.gross_weight, d.net_weight, d.lines, \
             (SELECT COUNT(*) FROM export_summary_lists l WHERE l.decl_seq_no = d.decl_seq_no) AS lists \
             FROM export_summary_declarations d WHERE d.summary_id = $1 ORDER BY d.seq",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|d| {
            Ok(Declaration {
                decl_seq_no: d.try_get("decl_seq_no")?,
                seq: d.try_get("seq")?,
                consignor: d.try_get("consignor")?,
                transport_mode: d.try_get("transport_mode")?,
                producer: d.try_get("producer")?,
                arrival_country: d.try_get("arrival_country")?,
                exit_customs: d.try_get("exit_customs")?,
                dec_state: d.try_get("dec_state")?,
                gross_weight: d.try_get("gross_weight")?,
                net_weight: d.try_get("net_weight")?,
                lines: d.try_get("lines")?,
                lists: d.try_get("lists")?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
        summaries.push(Summary {
            id,
            sender_code: row.try_get("sender_code")?,
            cop_no: row.try_get("cop_no")?,
            pre_no: row.try_get("pre_no")?,
            sum_no: row.try_get("sum_no")?,
            customs_code: row.try_get("customs_code")?,
            ebc_code: row.try_get("ebc_code")?,
            ebc_name: row.try_get("ebc_name")?,
            decl_agent_code: row.try_get("decl_agent_code")?,
            period_start: parse_time(row, "period_start")?,
            period_end: parse_time(row, "period_end")?,
            state: row.try_get("state")?,
            created_at: parse_time(row, "created_at")?,
            declarations,
        });
    }
    Ok(summaries)
}
