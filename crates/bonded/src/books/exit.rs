//! The 1210 exit flow of a bonded book (issue #6 item 3; policy-rules.md
//! §5, outbound: "after CEB621 release the company files a verification
//! list generated from the released lists, then the exit release list
//! (核放单); gate inspection by instruction; vehicle leaves"). The
//! warehouse generates a day's exit verification list (出区核注清单) from
//! the lists released that China day and not yet verified, files the gate
//! release list for the vehicle, and customs at the gate records it passed.

use kuajing_core::access::Action;
use kuajing_core::quantity::display_units;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Store;
use kuajing_store::ems_verifications::{self as exits, GateRelease, NewVerification, Verification};
use serde::{Deserialize, Serialize};
use time::Date;

use super::{own_book, text};
use kuajing_exchange::time_format::{china_date, china_day_start};
use kuajing_registry::actor::Actor;
use kuajing_registry::error::{Error, Result};

/// The day whose released lists to verify.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationInput {
    /// The China day, `yyyy-mm-dd`, today or earlier.
    pub business_day: String,
}

/// The vehicle a gate release list lets out.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GateReleaseInput {
    /// The vehicle's plate (1–32 characters, e.g. `吉H12345`).
    pub vehicle_no: String,
}

/// A verification list as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VerificationView {
    /// Its number (`QD` + zone + day + sequence).
    pub number: String,
    /// The book.
    pub ems_no: String,
    /// The China day it covers.
    pub business_day: String,
    /// How many released lists it covers.
    pub lists: i64,
    /// Quantity per item, in each line's unit.
    pub lines: Vec<VerificationLineView>,
    /// Who generated it.
    pub created_by: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// Its gate release list, once filed.
    pub gate_release: Option<GateReleaseView>,
}

/// A line of a verification list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VerificationLineView {
    /// Item record number.
    pub item_no: String,
    /// Quantity.
    pub quantity: String,
}

/// A gate release list as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GateReleaseView {
    /// Its number (`HF` + the verification list's).
    pub number: String,
    /// The verification list it releases.
    pub verification: String,
    /// The vehicle.
    pub vehicle_no: String,
    /// Who filed it.
    pub created_by: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// The officer who recorded the vehicle passing the gate.
    pub passed_by: Option<String>,
    /// When it passed (RFC 3339).
    pub passed_at: Option<String>,
}

/// Generates the exit verification list of a day for one of the caller's
/// books: every list released that day and not yet on one, summed per
/// item. A day with nothing left to verify is refused, nothing written.
pub async fn generate(
    store: &Store,
    actor: &Actor,
    ems_no: &str,
    input: &VerificationInput,
) -> Result<VerificationView> {
    let book = own_book(store, actor, ems_no, Action::KeepBooks, "ems.verify").await?;
    let now = Timestamp::now();
    let day = past_day("business_day", &input.business_day, now)?;
    let (from, to) = day_bounds(day)?;
    let mut tx = store.begin().await?;
    let released = exits::unverified(&mut tx, &book.ems_no, from, to).await?;
    if released.is_empty() {
        return Err(Error::invalid(
            "business_day",
            "EMS_NOTHING_TO_VERIFY",
            format!("账册 {} 在 {day} 没有未核注的放行清单", book.ems_no),
            format!(
                "book {} has no released list left to verify on {day}",
                book.ems_no
            ),
        ));
    }
    // Numbered in the day's sequence of every book (two generations of the
    // same moment: the second finds the number taken, 409, and retries).
    let sequence = exits::count_of_day(&mut tx, &day.to_string()).await? + 1;
    let number = format!("QD{}{}{sequence:04}", book.zone_code, compact(day));
    let new = NewVerification {
        number: &number,
        ems_no: &book.ems_no,
        business_day: &day.to_string(),
        created_by: &actor.name,
        released: &released,
    };
    // A generation racing this one for the same lists makes one of them
    // fail on the lists' claims (409, nothing written): the other has them.
    let created = exits::create(&mut tx, &new, now).await?;
    actor
        .commit(tx, "ems.verify", Some(&number), Some(&book.ems_no))
        .await?;
    Ok(verification_view(created))
}

/// The verification lists of a book, newest first.
pub async fn verifications(
    store: &Store,
    actor: &Actor,
    ems_no: &str,
    limit: i64,
) -> Result<Vec<VerificationView>> {
    let book = own_book(store, actor, ems_no, Action::ReadBooks, "ems.read").await?;
    let mut conn = store.reader().await?;
    read_verifications(&mut conn, &book.ems_no, limit).await
}

/// A book's verification lists as shown (the caller checked access).
pub(crate) async fn read_verifications(
    conn: &mut kuajing_store::Conn,
    ems_no: &str,
    limit: i64,
) -> Result<Vec<VerificationView>> {
    let found = exits::verifications_of(conn, ems_no, limit.clamp(1, 200)).await?;
    Ok(found.into_iter().map(verification_view).collect())
}

/// Files the gate release list of one of the caller's verification lists.
pub async fn file_gate_release(
    store: &Store,
    actor: &Actor,
    verification_no: &str,
    input: &GateReleaseInput,
) -> Result<GateReleaseView> {
    let verification = verification_of(store, actor, verification_no, Action::KeepBooks).await?;
    let vehicle_no = text("vehicle_no", &input.vehicle_no, 32)?;
    let number = format!(
        "HF{}",
        verification
            .number
            .strip_prefix("QD")
            .unwrap_or(&verification.number)
    );
    let mut tx = store.begin().await?;
    let filed = exits::file_gate_release(
        &mut tx,
        &verification,
        &number,
        vehicle_no,
        &actor.name,
        Timestamp::now(),
    )
    .await?;
    actor
        .commit(tx, "ems.gate", Some(&number), Some(vehicle_no))
        .await?;
    Ok(gate_view(filed))
}

/// Customs records the vehicle of a gate release list passing the gate.
pub async fn pass_gate(
    store: &Store,
    actor: &Actor,
    verification_no: &str,
) -> Result<VerificationView> {
    let verification =
        verification_of(store, actor, verification_no, Action::SuperviseBooks).await?;
    let Some(gate) = verification.gate_release.as_ref() else {
        return Err(Error::invalid(
            "verification",
            "EMS_NO_GATE_RELEASE",
            format!("核注清单 {} 尚无核放单", verification.number),
            format!(
                "verification list {} has no gate release list yet",
                verification.number
            ),
        ));
    };
    let mut tx = store.begin().await?;
    let passed = exits::pass_gate(&mut tx, &gate.number, &actor.name, Timestamp::now()).await?;
    if !passed {
        // Passed already: the second record is refused as a taken key.
        return Err(Error::Conflict {
            field: "gate_release",
            value: gate.number.clone(),
        });
    }
    actor
        .commit(tx, "ems.gate.pass", Some(&gate.number), None)
        .await?;
    let mut conn = store.reader().await?;
    let updated = exits::find(&mut conn, &verification.number)
        .await?
        .ok_or_else(|| Error::Internal("verification list vanished".to_owned()))?;
    Ok(verification_view(updated))
}

/// A verification list the caller may do `action` on (an unknown one and
/// another warehouse's are both "not found").
async fn verification_of(
    store: &Store,
    actor: &Actor,
    number: &str,
    action: Action,
) -> Result<Verification> {
    let mut conn = store.reader().await?;
    let found = exits::find(&mut conn, number.trim()).await?;
    drop(conn);
    let verification = found.ok_or_else(|| Error::NotFound {
        what: "verification list",
        key: number.to_owned(),
    })?;
    own_book(
        store,
        actor,
        &verification.ems_no,
        action,
        "ems.verification",
    )
    .await
    .map_err(|_| Error::NotFound {
        what: "verification list",
        key: number.to_owned(),
    })?;
    Ok(verification)
}

/// A `yyyy-mm-dd` day not after today (China time).
pub(crate) fn past_day(field: &str, text: &str, now: Timestamp) -> Result<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(text.trim(), &format) {
        Ok(day) if day <= china_date(now) => Ok(day),
        _ => Err(Error::invalid(
            field,
            "EMS_DAY",
            format!("须为今天或之前的日期 yyyy-mm-dd（申报值“{text}”）"),
            format!("must be a day yyyy-mm-dd, today or earlier (given '{text}')"),
        )),
    }
}

/// The instants a China day begins and ends.
pub(crate) fn day_bounds(day: Date) -> Result<(Timestamp, Timestamp)> {
    let next = day
        .next_day()
        .ok_or_else(|| Error::Internal(format!("no day after {day}")))?;
    Ok((china_day_start(day), china_day_start(next)))
}

/// `yyyymmdd`.
fn compact(day: Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

fn verification_view(v: Verification) -> VerificationView {
    VerificationView {
        number: v.number,
        ems_no: v.ems_no,
        business_day: v.business_day,
        lists: v.lists,
        lines: v
            .lines
            .into_iter()
            .map(|(item_no, quantity)| VerificationLineView {
                item_no,
                quantity: display_units(quantity),
            })
            .collect(),
        created_by: v.created_by,
        created_at: v.created_at.to_string(),
        gate_release: v.gate_release.map(gate_view),
    }
}

fn gate_view(g: GateRelease) -> GateReleaseView {
    GateReleaseView {
        number: g.number,
        verification: g.verification,
        vehicle_no: g.vehicle_no,
        created_by: g.created_by,
        created_at: g.created_at.to_string(),
        passed_by: g.passed_by,
        passed_at: g.passed_at.map(|t| t.to_string()),
    }
}
