//! The manifests that move export parcels out (issue #7; ceb-messages.md
//! §1.2): the arrival at the supervised site (CEB507 运抵单), the
//! departure (CEB509 离境单) and the master/sub-waybill list (CEB607 清单
//! 总分单). Each is kept once per sender and copNo with the waybills it
//! names; a waybill has exited (离境) when an arrival and a departure both
//! name it.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::dynamic::Statement;
use crate::error::StoreError;
use crate::organisations::parse_time;

/// Which manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestKind {
    /// Arrival at the supervised site (CEB507).
    Arrival,
    /// Departure (CEB509).
    Departure,
    /// Master/sub-waybill list (CEB607).
    Bill,
}

impl ManifestKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ManifestKind::Arrival => "arrival",
            ManifestKind::Departure => "departure",
            ManifestKind::Bill => "bill",
        }
    }
}

/// A manifest to keep.
#[derive(Debug, Clone, Copy)]
pub struct NewManifest<'a> {
    /// Which.
    pub kind: ManifestKind,
    /// The sender's customs code.
    pub sender_code: &'a str,
    /// The sender's own number (copNo).
    pub cop_no: &'a str,
    /// The pre-entry number the platform gives it.
    pub pre_no: &'a str,
    /// The customs it is declared to (customsCode).
    pub customs_code: &'a str,
    /// The logistics enterprise (logisticsCode).
    pub logistics_code: &'a str,
    /// The master bill of lading or waybill (billNo), if any.
    pub bill_no: Option<&'a str>,
    /// Transport mode (trafMode).
    pub traf_mode: &'a str,
    /// Conveyance name (trafName), if any.
    pub traf_name: Option<&'a str>,
    /// Voyage (voyageNo), if any.
    pub voyage_no: Option<&'a str>,
    /// When the conveyance left (leaveTime, a departure), as sent.
    pub leave_time: Option<&'a str>,
    /// The message it came in.
    pub message_id: &'a str,
}

/// A waybill a manifest names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedWaybill {
    /// Its line number in the manifest.
    pub gnum: i64,
    /// `logisticsCode/logisticsNo`.
    pub waybill_key: String,
    /// The list number a master/sub-waybill list gives with it.
    pub invt_no: Option<String>,
}

/// Where a waybill stands on its way out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitState {
    /// `logisticsCode/logisticsNo`.
    pub waybill_key: String,
    /// When its arrival at the supervised site was received.
    pub arrived_at: Option<Timestamp>,
    /// The departure's reported leave time (`yyyyMMddHHmmss`), once
    /// received.
    pub left_at: Option<String>,
    /// The master bill it travels under, if a manifest gave one.
    pub bill_no: Option<String>,
}

impl ExitState {
    /// Whether both an arrival and a departure named it: the goods have
    /// exited.
    pub fn exited(&self) -> bool {
        self.arrived_at.is_some() && self.left_at.is_some()
    }
}

/// Keeps `manifest` with `waybills` (each once); `None` if its sender kept
/// one of that kind and copNo before (nothing written).
pub async fn keep(
    conn: &mut Conn,
    manifest: &NewManifest<'_>,
    waybills: &[NamedWaybill],
    now: Timestamp,
) -> Result<Option<String>, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    let inserted: Option<String> = crate::sql::query_scalar(
        "INSERT INTO export_manifests (id, kind, sender_code, cop_no, pre_no, customs_code, \
         logistics_code, bill_no, traf_mode, traf_name, voyage_no, leave_time, message_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (kind, sender_code, cop_no) DO NOTHING RETURNING id",
    )
    .bind(&id)
    .bind(manifest.kind.as_str())
    .bind(manifest.sender_code)
    .bind(manifest.cop_no)
    .bind(manifest.pre_no)
    .bind(manifest.customs_code)
    .bind(manifest.logistics_code)
    .bind(manifest.bill_no)
    .bind(manifest.traf_mode)
    .bind(manifest.traf_name)
    .bind(manifest.voyage_no)
    .bind(manifest.leave_time)
    .bind(manifest.message_id)
    .bind(now.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    if inserted.is_none() {
        return Ok(None);
    }
    for chunk in waybills.chunks(crate::outbox::MAX_ROWS_PER_STATEMENT / 4) {
        let mut statement = Statement::new(
            "INSERT INTO export_manifest_waybills (manifest_id, waybill_key, gnum, invt_no) VALUES ",
        );
        for (i, waybill) in chunk.iter().enumerate() {
            statement.push(if i == 0 { "(" } else { ", (" });
            statement
                .bind(id.clone())
                .push(", ")
                .bind(waybill.waybill_key.clone())
                .push(", ")
                .bind(waybill.gnum)
                .push(", ")
                .bind(waybill.invt_no.clone())
                .push(")");
        }
        statement.push(" ON CONFLICT (manifest_id, waybill_key) DO NOTHING");
        statement.execute(&mut *conn).await?;
    }
    Ok(Some(id))
}

/// Where each of `waybill_keys` stands on its way out (one entry per key
/// asked, in order), in one statement per chunk.
pub async fn exit_states(
    conn: &mut Conn,
    waybill_keys: &[&str],
) -> Result<Vec<ExitState>, StoreError> {
    let mut states: Vec<ExitState> = waybill_keys
        .iter()
        .map(|key| ExitState {
            waybill_key: (*key).to_owned(),
            arrived_at: None,
            left_at: None,
            bill_no: None,
        })
        .collect();
    let keys: Vec<String> = waybill_keys
        .iter()
        .filter(|k| !has_nul(k))
        .map(|k| (*k).to_owned())
        .collect();
    for chunk in keys.chunks(crate::outbox::MAX_ROWS_PER_STATEMENT) {
        let mut statement = Statement::new(
            "SELECT w.waybill_key, m.kind, m.created_at, m.leave_time, m.bill_no \
             FROM export_manifest_waybills w JOIN export_manifests m ON m.id = w.manifest_id \
             WHERE w.waybill_key IN (",
        );
        statement
            .bind_list(chunk.iter().cloned())
            .push(") ORDER BY m.created_at, m.id");
        for row in statement.fetch_all(&mut *conn).await? {
            let key: String = row.try_get("waybill_key")?;
            let kind: String = row.try_get("kind")?;
            let bill_no: Option<String> = row.try_get("bill_no")?;
            for state in states.iter_mut().filter(|s| s.waybill_key == key) {
                match kind.as_str() {
                    "arrival" => {
                        state.arrived_at =
                            state.arrived_at.or(Some(parse_time(&row, "created_at")?));
                    }
                    "departure" => {
                        let left: Option<String> = row.try_get("leave_time")?;
                        state.left_at = state.left_at.take().or(left);
                    }
                    _ => {}
                }
                if state.bill_no.is_none() {
                    state.bill_no.clone_from(&bill_no);
                }
            }
        }
    }
    Ok(states)
}

/// A kept manifest, as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// Id.
    pub id: String,
    /// Which.
    pub kind: String,
    /// Sender.
    pub sender_code: String,
    /// copNo.
    pub cop_no: String,
    /// preNo.
    pub pre_no: String,
    /// billNo.
    pub bill_no: Option<String>,
    /// trafMode.
    pub traf_mode: String,
    /// leaveTime.
    pub leave_time: Option<String>,
    /// How many waybills it names.
    pub waybills: i64,
    /// When it arrived.
    pub created_at: Timestamp,
}

/// The latest manifests, newest first, at most `limit`; with
/// `logistics_or_sender`, only those an organisation sent or whose
/// logistics enterprise it is.
pub async fn latest(
    conn: &mut Conn,
    party: Option<&str>,
    limit: i64,
) -> Result<Vec<Manifest>, StoreError> {
    if party.is_some_and(has_nul) {
        return Ok(Vec::new());
    }
    let mut statement = Statement::new(
        "SELECT m.id, m.kind, m.sender_code, m.cop_no, m.pre_no, m.bill_no, m.traf_mode, \
         m.leave_time, m.created_at, \
         (SELECT COUNT(*) FROM export_manifest_waybills w WHERE w.manifest_id = m.id) AS waybills \
         FROM export_manifests m",
    );
    if let Some(party) = party {
        statement
            .push(" WHERE m.sender_code = ")
            .bind(party.to_owned())
            .push(" OR m.logistics_code = ")
            .bind(party.to_owned());
    }
    statement
        .push(" ORDER BY m.created_at DESC, m.id DESC LIMIT ")
        .bind(limit);
    let rows = statement.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok(Manifest {
                id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                sender_code: row.try_get("sender_code")?,
                cop_no: row.try_get("cop_no")?,
                pre_no: row.try_get("pre_no")?,
                bill_no: row.try_get("bill_no")?,
                traf_mode: row.try_get("traf_mode")?,
                leave_time: row.try_get("leave_time")?,
                waybills: row.try_get("waybills")?,
                created_at: parse_time(row, "created_at")?,
            })
        })
        .collect()
}
