//! The decision record every kind of list shares (import and export): a
//! kept document read back, the parties' standing, the numbers the
//! platform gives (pre-entry `preNo`, list `invtNo`), the reasons and risk
//! hits as kept JSON, and the tax bill as kept with a decision.

use kuajing_ceb::Path;
use kuajing_ceb::entity::{Entity, entity_from_json};
use kuajing_ceb::model::import::Inventory;
use kuajing_clearance::decision::Reason;
use kuajing_clearance::risk::{RiskHit, RuleMode};
use kuajing_clearance::tax::{Regime, TaxBill};
use kuajing_core::role::Role;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Conn;
use kuajing_store::ceb_documents::Document;
use kuajing_store::clearance as store_clearance;
use kuajing_store::organisations::OrganisationStatus;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::lookups::Lookups;
use super::time_format::{china_date, compact_day};
use kuajing_registry::error::{Error, Result};

/// A document from its kept JSON form.
pub fn from_body<E: Entity>(body: &str) -> Result<E> {
    let value: serde_json::Value = serde_json::from_str(body)
        .map_err(|e| Error::Internal(format!("kept document is not JSON: {e}")))?;
    let mut issues = Vec::new();
    let entity = entity_from_json::<E>(&value, &Path::root(E::NAME), &mut issues);
    if let Some(issue) = issues.first() {
        return Err(Error::Internal(format!(
            "kept document does not read back: {}",
            issue.message_en()
        )));
    }
    Ok(entity)
}

/// The refusals of every party in `parties` (field, customs code, the
/// roles any of which it must hold) that is not filed and active with a
/// role it needs: -10102 not filed or not active, -10101 filed without the
/// role (table 7-2).
pub async fn unfiled_parties(
    conn: &mut Conn,
    lookups: &mut Lookups,
    parties: &[(&str, &str, &[Role])],
) -> Result<Vec<Reason>> {
    let codes: Vec<&str> = parties.iter().map(|(_, code, _)| *code).collect();
    let standings = lookups.standings(conn, &codes).await?;
    let mut reasons = Vec::new();
    for &(field, code, roles) in parties {
        match standings.iter().find(|s| s.customs_code == code) {
            Some(o) if o.status == OrganisationStatus::Active => {
                if !roles.iter().any(|r| o.roles.contains(*r)) {
                    let wanted: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                    reasons.push(Reason {
                        code: -10101,
                        message_zh: format!("{field} {code} 未备案为{}", wanted.join("或")),
                        message_en: format!(
                            "{field} {code} is not filed as {}",
                            wanted.join(" or ")
                        ),
                    });
                }
            }
            _ => reasons.push(Reason {
                code: -10102,
                message_zh: format!("{field} {code} 未在本平台备案或已暂停"),
                message_en: format!(
                    "{field} {code} is not filed with the platform or is suspended"
                ),
            }),
        }
    }
    Ok(reasons)
}

/// What every recorded decision carries.
pub struct Record {
    /// The rule set's name and version.
    pub rule_set: String,
    /// The tariff version used.
    pub tariff_version: String,
    /// Every risk rule that fired.
    pub risk_hits: Vec<RiskHit>,
}

/// The list with its list number (4-digit customs + year + 1 + 9-digit
/// serial, the CEB816 annotation of `invtNo`), given now unless it has
/// one; written with the list's final status. The annotation says customs
/// generates it at conclusion; the platform gives it on storing (120)
/// because a cancellation before release must name it (CEB623 `invtNo` is
/// 1..18 characters, required).
pub async fn number_list(
    conn: &mut Conn,
    lookups: &mut Lookups,
    now: Timestamp,
    list: &Document,
    customs_code: &str,
) -> Result<Document> {
    if list.invt_no.is_some() {
        return Ok(list.clone());
    }
    let year = china_date(now).year();
    let customs: String = customs_code.chars().take(4).collect();
    let serial = lookups
        .next_number(conn, &format!("invtNo/{customs}/{year}"))
        .await?;
    let mut numbered = list.clone();
    numbered.invt_no = Some(format!("{customs}{year:04}1{serial:09}"));
    Ok(numbered)
}

/// The pre-entry numbers the platform gives `count` lists it accepts, in
/// one statement: `B` + the day in China + a 9-digit serial of that day
/// (the form of the official samples' preNo; the e-port generates it,
/// ceb-messages.md §2.5).
pub async fn pre_numbers(conn: &mut Conn, now: Timestamp, count: usize) -> Result<Vec<String>> {
    let day = compact_day(china_date(now));
    let serials = store_clearance::next_numbers(conn, &format!("preNo/{day}"), count).await?;
    Ok(serials
        .into_iter()
        .map(|serial| format!("B{day}{serial:09}"))
        .collect())
}

/// The reasons as kept with a decision (JSON).
pub fn reasons_json(reasons: &[Reason]) -> String {
    serde_json::Value::Array(
        reasons
            .iter()
            .map(|r| serde_json::json!({"code": r.code, "message_zh": r.message_zh, "message_en": r.message_en}))
            .collect(),
    )
    .to_string()
}

/// The risk hits as kept with a decision (JSON).
pub fn risk_json(hits: &[RiskHit]) -> String {
    serde_json::Value::Array(
        hits.iter()
            .map(|h| {
                serde_json::json!({
                    "rule": h.rule.id(),
                    "mode": match h.mode { RuleMode::Enforce => "enforce", RuleMode::Monitor => "monitor" },
                    "message_zh": h.reason.message_zh,
                    "message_en": h.reason.message_en,
                })
            })
            .collect(),
    )
    .to_string()
}

/// A tax bill as kept with a decision (JSON, decimals as strings), so an
/// officer's later release issues exactly the bill the rules computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredBill {
    /// `within-limits` or `full`.
    pub regime: String,
    /// Dutiable value of the list.
    pub dutiable_value: Decimal,
    /// Total duty.
    pub duty: Decimal,
    /// Total consumption tax.
    pub consumption: Decimal,
    /// Total VAT.
    pub vat: Decimal,
    /// The sum.
    pub total: Decimal,
    /// Per line.
    pub lines: Vec<StoredLine>,
}

/// One line of a [`StoredBill`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredLine {
    /// Line number.
    pub gnum: u32,
    /// Commodity code.
    pub gcode: String,
    /// Dutiable value.
    pub dutiable_value: Decimal,
    /// Duty.
    pub duty: Decimal,
    /// Consumption tax.
    pub consumption: Decimal,
    /// VAT.
    pub vat: Decimal,
}

impl StoredBill {
    /// The bill of `list`.
    pub fn from(bill: &TaxBill, list: &Inventory) -> StoredBill {
        StoredBill {
            regime: match bill.regime {
                Regime::WithinLimits => "within-limits",
                Regime::Full => "full",
            }
            .to_owned(),
            dutiable_value: bill.dutiable_value,
            duty: bill.duty,
            consumption: bill.consumption,
            vat: bill.vat,
            total: bill.total,
            lines: bill
                .lines
                .iter()
                .map(|line| StoredLine {
                    gnum: line.gnum,
                    gcode: list
                        .inventory_list
                        .iter()
                        .find(|l| u32::try_from(l.gnum).ok() == Some(line.gnum))
                        .map(|l| l.gcode.clone())
                        .unwrap_or_default(),
                    dutiable_value: line.dutiable_value,
                    duty: line.duty,
                    consumption: line.consumption,
                    vat: line.vat,
                })
                .collect(),
        }
    }
}
