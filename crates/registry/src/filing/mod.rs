//! Filing (备案): enterprises file themselves and their goods once; the
//! agencies their roles need approve or return them; every agency then reads
//! the approved record through the sharing policy.
//!
//! - [`enterprise`] and [`commodity`]: what is filed and its checks.
//! - [`record`]: the stored data, projection per viewer, version differences.
//! - this module: the workflow shared by both kinds — saving drafts,
//!   submitting, deciding, suspending — each step checked against
//!   `kuajing_core::filing`, written with its event, its audit entry and its
//!   outbox event in one transaction.

pub mod attachments;
pub mod commodity;
pub mod enterprise;
pub mod record;

use kuajing_core::access::{Action, Scope};
use kuajing_core::filing::{self as rules, FilingKind, FilingStatus, Step};
use kuajing_core::role::{Role, RoleSet};
use kuajing_core::sharing::Visibility;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::filings::{
    self, Filing, FilingFilter, NewEvent, NewFiling, State, Summary, VersionWrite,
};
use kuajing_store::organisations::{self, Organisation};
use kuajing_store::outbox::{self, NewOutboxEvent};
use kuajing_store::{Conn, Store, WriteTx};
use serde::Serialize;
use serde_json::Value;

use crate::actor::{Actor, record as audit_record};
use crate::error::{Error, Result};
use commodity::CommodityInput;
use enterprise::EnterpriseInput;
use record::{AttachmentRef, Change, CommodityRecord, EnterpriseRecord, diff, project, seen_by};

/// A filing as one viewer sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FilingView {
    /// Id.
    pub id: String,
    /// `enterprise` or `commodity`.
    pub kind: String,
    /// Owner's customs code.
    pub owner: String,
    /// Customs code (enterprise) or item number (commodity).
    pub subject_key: String,
    /// Name.
    pub title: String,
    /// Workflow status of the latest version.
    pub status: String,
    /// Latest version.
    pub version_no: i64,
    /// The version in force, if any.
    pub active_version_no: Option<i64>,
    /// Agency roles that must approve the latest version.
    pub approvals_needed: Vec<String>,
    /// Agency roles that have approved it.
    pub approvals_given: Vec<String>,
    /// The record's fields this viewer may see.
    #[schema(value_type = Object)]
    pub record: Value,
    /// When first written (UTC).
    pub created_at: String,
    /// When last changed (UTC).
    pub updated_at: String,
}

/// The data of a filing, typed by kind.
enum Data {
    Enterprise(EnterpriseRecord),
    Commodity(CommodityRecord),
}

impl Data {
    fn parse(filing: &Filing) -> Result<Data> {
        let corrupt =
            |e: serde_json::Error| Error::Internal(format!("filing {} data: {e}", filing.id));
        Ok(match filing.kind {
            FilingKind::Enterprise => {
                Data::Enterprise(serde_json::from_str(&filing.data).map_err(corrupt)?)
            }
            FilingKind::Commodity => {
                Data::Commodity(serde_json::from_str(&filing.data).map_err(corrupt)?)
            }
        })
    }

    /// The agencies that must approve this data.
    fn approvers(&self) -> Result<RoleSet> {
        Ok(match self {
            Data::Enterprise(record) => {
                rules::enterprise_approvers(crate::validate::parse_roles(&record.roles)?)
            }
            Data::Commodity(record) => rules::commodity_approvers(record.regional_brand),
        })
    }
}

fn summary_text(data: &Data) -> (String, Option<String>, String) {
    match data {
        Data::Enterprise(r) => (r.name.clone(), None, enterprise::search_text(r)),
        Data::Commodity(r) => (
            r.name.clone(),
            Some(r.hs_code.clone()),
            commodity::search_text(r),
        ),
    }
}

fn to_json(data: &Data) -> Result<String> {
    let text = match data {
        Data::Enterprise(r) => serde_json::to_string(r),
        Data::Commodity(r) => serde_json::to_string(r),
    };
    text.map_err(|e| Error::Internal(format!("filing data: {e}")))
}

fn event<'a>(
    actor: &'a Actor,
    version_no: i64,
    step: Step,
    role: Option<&'a str>,
    reason: Option<&'a str>,
) -> NewEvent<'a> {
    NewEvent {
        version_no,
        event: step.as_str(),
        agency_role: role,
        actor_kind: actor.kind.as_str(),
        actor_name: &actor.name,
        actor_organisation: actor.organisation_code.as_deref(),
        reason,
    }
}

/// The organisation the actor files for.
async fn own_organisation(conn: &mut Conn, actor: &Actor) -> Result<Organisation> {
    let code = actor.organisation_code.clone().unwrap_or_default();
    organisations::find_by_code(conn, &code)
        .await?
        .ok_or(Error::NotFound {
            what: "organisation",
            key: code,
        })
}

/// Saves the actor's organisation's enterprise filing as a draft: the first
/// one, or a change to the one in force, or an edit of the current draft.
pub async fn save_enterprise(
    store: &Store,
    actor: &Actor,
    input: &EnterpriseInput,
) -> Result<Filing> {
    let own = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::File, &own, "filing.edit", &own)
        .await?;
    let mut tx = store.begin().await?;
    let org = own_organisation(&mut tx, actor).await?;
    let existing = filings::find_by_subject(&mut tx, FilingKind::Enterprise, &org.id, &own).await?;
    let attachments = match &existing {
        Some(f) => match Data::parse(f)? {
            Data::Enterprise(r) => r.attachments,
            Data::Commodity(_) => Vec::new(),
        },
        None => Vec::new(),
    };
    let record = input.check(&mut tx, &own, attachments).await?;
    let filing = save(
        &mut tx,
        actor,
        &org,
        existing,
        Data::Enterprise(record),
        &own,
    )
    .await?;
    actor
        .commit(tx, "filing.edit", Some(&filing.id), Some("enterprise"))
        .await?;
    Ok(filing)
}

/// Saves a commodity filing of the actor's organisation as a draft (new, or
/// a change, or an edit of the draft). The item number is the key.
pub async fn save_commodity(
    store: &Store,
    actor: &Actor,
    input: &CommodityInput,
) -> Result<Filing> {
    let own = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::File, &own, "filing.edit", &own)
        .await?;
    let mut tx = store.begin().await?;
    let org = own_organisation(&mut tx, actor).await?;
    let key = input.item_no.trim().to_owned();
    let existing = filings::find_by_subject(&mut tx, FilingKind::Commodity, &org.id, &key).await?;
    let photo = match &existing {
        Some(f) => match Data::parse(f)? {
            Data::Commodity(r) => r.photo,
            Data::Enterprise(_) => None,
        },
        None => None,
    };
    let record = input.check(&mut tx, Timestamp::now(), photo).await?;
    let key = record.item_no.clone();
    let filing = save(
        &mut tx,
        actor,
        &org,
        existing,
        Data::Commodity(record),
        &key,
    )
    .await?;
    actor
        .commit(tx, "filing.edit", Some(&filing.id), Some("commodity"))
        .await?;
    Ok(filing)
}

/// Writes `data` as the draft of a new filing or the next version of an
/// existing one, as the workflow allows.
async fn save(
    tx: &mut WriteTx,
    actor: &Actor,
    org: &Organisation,
    existing: Option<Filing>,
    data: Data,
    key: &str,
) -> Result<Filing> {
    let json = to_json(&data)?;
    let (title, hs_code, search) = summary_text(&data);
    let summary = Summary {
        title: &title,
        hs_code: hs_code.as_deref(),
        search_text: &search,
    };
    let now = Timestamp::now();
    let kind = match data {
        Data::Enterprise(_) => FilingKind::Enterprise,
        Data::Commodity(_) => FilingKind::Commodity,
    };
    let Some(filing) = existing else {
        let new = NewFiling {
            kind,
            organisation_id: &org.id,
            subject_key: key,
            data: &json,
            summary,
        };
        return Ok(filings::insert(tx, &new, &event(actor, 1, Step::Edit, None, None), now).await?);
    };
    let status = rules::next(filing.status, Step::Edit).map_err(not_allowed)?;
    // A draft is edited in place; a returned or active filing gets a new version.
    let version_no = if filing.status == FilingStatus::Draft {
        filing.version_no
    } else {
        filing.version_no + 1
    };
    let write = VersionWrite {
        version_no,
        status,
        data: &json,
        summary,
        by: &actor.name,
    };
    filings::save_data(tx, &filing.id, &write, now).await?;
    filings::append_event(
        tx,
        &filing.id,
        &event(actor, version_no, Step::Edit, None, None),
        now,
    )
    .await?;
    filings::find(tx, &filing.id)
        .await?
        .ok_or_else(|| missing(&filing.id))
}

fn not_allowed(e: rules::NotAllowed) -> Error {
    Error::invalid(
        "status",
        "FILING_STEP_NOT_ALLOWED",
        format!("当前状态为“{}”的备案不能执行“{}”", e.from, e.step.as_str()),
        e.to_string(),
    )
}

fn missing(id: &str) -> Error {
    Error::NotFound {
        what: "filing",
        key: id.to_owned(),
    }
}

/// Takes a workflow step on a filing: `Submit` by its owner; `Approve` and
/// `Return` by an agency whose role it needs; `Suspend`, `Reinstate` and
/// `Revoke` by those agencies or the zone administration. Returns the filing
/// afterwards.
pub async fn act(
    store: &Store,
    actor: &Actor,
    id: &str,
    step: Step,
    reason: Option<&str>,
) -> Result<Filing> {
    let reason = match (
        step.needs_reason(),
        reason.map(str::trim).filter(|r| !r.is_empty()),
    ) {
        (true, None) => {
            return Err(Error::invalid(
                "reason",
                "REASON_REQUIRED",
                "此操作须填写原因",
                "this step needs a reason",
            ));
        }
        (_, Some(text)) => Some(crate::validate::required("reason", text, 500)?),
        (false, None) => None,
    };
    if step == Step::Edit {
        return Err(not_allowed(rules::NotAllowed {
            from: FilingStatus::Draft,
            step,
        }));
    }
    // Who may act is settled first, outside the write transaction (a refusal
    // is audited, which writes).
    let mut conn = store.reader().await?;
    let seen = filings::find(&mut conn, id)
        .await?
        .ok_or_else(|| missing(id))?;
    drop(conn);
    // A filing the actor may not see does not exist for it (as `read` says).
    if visibility_of(actor, &seen) == Visibility::None {
        let action = format!("filing.{}", step.as_str());
        let entry = actor.entry(
            &action,
            Some(id),
            kuajing_store::audit::Outcome::Denied,
            None,
        );
        audit_record(store, &entry).await?;
        return Err(missing(id));
    }
    let needed = Data::parse(&seen)?.approvers()?;
    let decided_as = check_actor(store, actor, &seen, step, needed).await?;
    let mut tx = store.begin().await?;
    let filing = filings::find_for_update(&mut tx, id)
        .await?
        .ok_or_else(|| missing(id))?;
    if (filing.status, filing.version_no) != (seen.status, seen.version_no) {
        return Err(Error::Conflict {
            field: "version_no",
            value: format!("{} changed while you decided; reload it", filing.version_no),
        });
    }
    let (after, detail) =
        apply_step(&mut tx, actor, &filing, step, decided_as, reason.as_deref()).await?;
    let action = format!("filing.{}", step.as_str());
    actor.commit(tx, &action, Some(id), Some(&detail)).await?;
    Ok(after)
}

/// Applies a step already allowed to `actor` (deciding as `decided_as`)
/// inside `tx`: events, status, the organisation's record, the outbox.
/// Returns the filing afterwards and a one-line summary for the audit trail.
async fn apply_step(
    tx: &mut WriteTx,
    actor: &Actor,
    filing: &Filing,
    step: Step,
    decided_as: RoleSet,
    reason: Option<&str>,
) -> Result<(Filing, String)> {
    let id = filing.id.as_str();
    let needed = Data::parse(filing)?.approvers()?;
    let mut next = rules::next(filing.status, step).map_err(not_allowed)?;
    if rules::needs_version_in_force(step) && filing.active_version_no.is_none() {
        return Err(not_allowed(rules::NotAllowed {
            from: filing.status,
            step,
        }));
    }
    let now = Timestamp::now();
    let version_no = filing.version_no;
    let roles: Vec<Option<&str>> = if decided_as.is_empty() {
        vec![None]
    } else {
        decided_as.iter().map(|r| Some(r.as_str())).collect()
    };
    for role in roles {
        filings::append_event(tx, id, &event(actor, version_no, step, role, reason), now).await?;
    }
    let mut active_version_no = filing.active_version_no;
    let mut shown_version = version_no;
    let given = given_approvals(tx, id, version_no).await?;
    match step {
        Step::Approve => {
            next = rules::after_approval(needed, given);
            if next == FilingStatus::Active {
                active_version_no = Some(version_no);
            }
        }
        Step::Reinstate => {
            // The version in force comes back; a change that was pending when
            // the filing was suspended stays in the history only.
            shown_version = filing.active_version_no.unwrap_or(version_no);
        }
        _ => {}
    }
    let state = State {
        status: next,
        version_no: shown_version,
        active_version_no,
        awaiting: awaiting(next, needed, given),
    };
    filings::set_state(tx, id, state, now).await?;
    let after = filings::find(tx, id).await?.ok_or_else(|| missing(id))?;
    apply_to_organisation(tx, &after, next, now).await?;
    publish(tx, &after, outbox_event(step, next), now).await?;
    let detail = match reason {
        Some(r) => format!("{} → {}; {r}", filing.status, next),
        None => format!("{} → {}", filing.status, next),
    };
    Ok((after, detail))
}

/// The agency roles that have approved a version.
async fn given_approvals(conn: &mut Conn, id: &str, version_no: i64) -> Result<RoleSet> {
    Ok(roles_of(&filings::approvals(conn, id, version_no).await?))
}

fn roles_of(names: &[String]) -> RoleSet {
    names
        .iter()
        .filter_map(|r| r.parse::<Role>().ok())
        .collect()
}

/// Whose approval a filing in `status` still awaits: the approvers not yet
/// heard from while it is submitted, nobody otherwise.
fn awaiting(status: FilingStatus, needed: RoleSet, given: RoleSet) -> RoleSet {
    if status != FilingStatus::Submitted {
        return RoleSet::EMPTY;
    }
    needed.iter().filter(|r| !given.contains(*r)).collect()
}

/// Marks the approvals awaited by filings submitted before the store kept
/// them (migration 0003); a no-op once every submitted filing is marked.
pub async fn mark_awaited_approvals(store: &Store) -> Result<usize> {
    let mut conn = store.reader().await?;
    let unmarked = filings::unmarked_in_review(&mut conn).await?;
    drop(conn);
    if unmarked.is_empty() {
        return Ok(0);
    }
    // Each is read again under the write lock: a step taken since (by
    // another server on the same database) has marked it already.
    let mut tx = store.begin().await?;
    for unmarked in &unmarked {
        let Some(filing) = filings::find_for_update(&mut tx, &unmarked.id).await? else {
            continue;
        };
        let needed = Data::parse(&filing)?.approvers()?;
        let given = given_approvals(&mut tx, &filing.id, filing.version_no).await?;
        let waiting = awaiting(filing.status, needed, given);
        filings::set_awaiting(&mut tx, &filing.id, waiting).await?;
    }
    tx.commit().await.map_err(kuajing_store::StoreError::from)?;
    Ok(unmarked.len())
}

/// Checks who may take `step`; returns the agency roles the actor decides as
/// (empty for the owner's steps).
async fn check_actor(
    store: &Store,
    actor: &Actor,
    filing: &Filing,
    step: Step,
    needed: RoleSet,
) -> Result<RoleSet> {
    let audit_action = format!("filing.{}", step.as_str());
    match step {
        Step::Edit | Step::Submit => {
            actor
                .authorize(
                    store,
                    Action::File,
                    &filing.owner_code,
                    &audit_action,
                    &filing.id,
                )
                .await?;
            Ok(RoleSet::EMPTY)
        }
        Step::Approve | Step::Return | Step::Suspend | Step::Reinstate | Step::Revoke => {
            actor
                .authorize(
                    store,
                    Action::DecideFilings,
                    &filing.owner_code,
                    &audit_action,
                    &filing.id,
                )
                .await?;
            let entitled = match step {
                Step::Approve | Step::Return => needed,
                _ => rules::authorities(needed),
            };
            let mut conn = store.reader().await?;
            let already = given_approvals(&mut conn, &filing.id, filing.version_no).await?;
            drop(conn);
            let mine: RoleSet = actor
                .roles
                .iter()
                .filter(|r| entitled.contains(*r))
                .filter(|r| step != Step::Approve || !already.contains(*r))
                .collect();
            if mine.is_empty()
                && !matches!(
                    actor.kind,
                    kuajing_store::audit::ActorKind::Operator
                        | kuajing_store::audit::ActorKind::System
                )
            {
                let denied = kuajing_core::access::Denied {
                    organisation: actor.organisation_code.clone().unwrap_or_default(),
                    action: Action::DecideFilings,
                    owner: filing.owner_code.clone(),
                };
                let entry = actor.entry(
                    &audit_action,
                    Some(&filing.id),
                    kuajing_store::audit::Outcome::Denied,
                    Some("not an approving agency of this filing, or already approved"),
                );
                audit_record(store, &entry).await?;
                return Err(Error::Forbidden(denied));
            }
            Ok(mine)
        }
    }
}

/// An approved, suspended or revoked enterprise filing changes its
/// organisation's record and standing.
async fn apply_to_organisation(
    tx: &mut WriteTx,
    filing: &Filing,
    status: FilingStatus,
    now: Timestamp,
) -> Result<()> {
    if filing.kind != FilingKind::Enterprise {
        return Ok(());
    }
    match status {
        FilingStatus::Active => {
            if let Data::Enterprise(record) = Data::parse(filing)? {
                enterprise::apply(tx, &filing.organisation_id, &record, now).await?;
            }
        }
        FilingStatus::Suspended | FilingStatus::Revoked => {
            organisations::set_filing_status(tx, &filing.organisation_id, status.as_str(), now)
                .await?;
        }
        _ => {}
    }
    Ok(())
}

/// The outbox event name for a step that ended in `status`.
fn outbox_event(step: Step, status: FilingStatus) -> &'static str {
    match (step, status) {
        (Step::Approve, FilingStatus::Active) => "activated",
        (Step::Approve, _) => "approved",
        (Step::Submit, _) => "submitted",
        (Step::Return, _) => "returned",
        (Step::Suspend, _) => "suspended",
        (Step::Reinstate, _) => "reinstated",
        (Step::Revoke, _) => "revoked",
        (Step::Edit, _) => "edited",
    }
}

/// Writes the filing's change to the outbox, in the same transaction.
async fn publish(tx: &mut WriteTx, filing: &Filing, event: &str, now: Timestamp) -> Result<()> {
    let payload = serde_json::json!({
        "kind": filing.kind.as_str(),
        "id": filing.id,
        "owner": filing.owner_code,
        "subject_key": filing.subject_key,
        "status": filing.status.as_str(),
        "version": filing.version_no,
        "active_version": filing.active_version_no,
        "record": serde_json::from_str::<Value>(&filing.data).unwrap_or(Value::Null),
    });
    let new = NewOutboxEvent {
        topic: filing.kind.as_str(),
        event,
        record_id: &filing.id,
        record_key: &filing.subject_key,
        owner_code: &filing.owner_code,
        version_no: filing.version_no,
        payload: &payload.to_string(),
        receipt_seq: None,
    };
    outbox::append(tx, &new, now).await?;
    Ok(())
}

/// Who may see a filing at all: its owner, and agencies the sharing policy
/// gives fields of it. Drafts are the owner's alone.
fn visibility_of(actor: &Actor, filing: &Filing) -> Visibility {
    let is_local = matches!(
        actor.kind,
        kuajing_store::audit::ActorKind::Operator | kuajing_store::audit::ActorKind::System
    );
    if is_local {
        return Visibility::All;
    }
    let seen = seen_by(
        filing.kind,
        actor.roles,
        actor.organisation_code.as_deref(),
        &filing.owner_code,
    );
    let owner = actor.organisation_code.as_deref() == Some(filing.owner_code.as_str());
    if !owner && filing.status == FilingStatus::Draft && filing.active_version_no.is_none() {
        return Visibility::None;
    }
    seen
}

/// Whether a projected record holds personal data (names and phones of
/// people), whose reading is audited.
fn holds_personal_data(record: &Value) -> bool {
    [
        "legal_representative",
        "contact_name",
        "contact_phone",
        "email",
    ]
    .iter()
    .any(|f| record.get(*f).is_some_and(|v| !v.is_null()))
}

/// What a viewer is shown of a filing: its owner sees the latest version;
/// others see a change only once it is sent — until then the version in
/// force, as it stands.
async fn shown_state(
    conn: &mut Conn,
    actor: &Actor,
    filing: &Filing,
) -> Result<(String, FilingStatus, i64)> {
    let owner = actor.organisation_code.as_deref() == Some(filing.owner_code.as_str());
    let unsent = matches!(filing.status, FilingStatus::Draft | FilingStatus::Returned);
    match filing.active_version_no {
        Some(active) if unsent && !owner => {
            let version = filings::version(conn, &filing.id, active)
                .await?
                .ok_or_else(|| missing(&filing.id))?;
            Ok((version.data, FilingStatus::Active, active))
        }
        _ => Ok((filing.data.clone(), filing.status, filing.version_no)),
    }
}

async fn view(
    conn: &mut Conn,
    actor: &Actor,
    filing: &Filing,
    seen: &Visibility,
    approvals: &[(String, i64, String)],
) -> Result<FilingView> {
    let (data, status, version_no) = shown_state(conn, actor, filing).await?;
    let shown = Filing {
        data,
        status,
        version_no,
        ..filing.clone()
    };
    let needed = Data::parse(&shown)?.approvers()?;
    let given = approvals
        .iter()
        .filter(|(id, version, _)| *id == filing.id && *version == version_no)
        .map(|(_, _, role)| role.clone())
        .collect();
    let record =
        serde_json::from_str::<Value>(&shown.data).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(FilingView {
        id: filing.id.clone(),
        kind: filing.kind.as_str().to_owned(),
        owner: filing.owner_code.clone(),
        subject_key: filing.subject_key.clone(),
        title: filing.title.clone(),
        status: status.as_str().to_owned(),
        version_no,
        active_version_no: filing.active_version_no,
        approvals_needed: needed.iter().map(|r| r.as_str().to_owned()).collect(),
        approvals_given: given,
        record: project(
            &record,
            seen,
            &filing.owner_code,
            status.as_str(),
            version_no,
        ),
        created_at: filing.created_at.to_string(),
        updated_at: filing.updated_at.to_string(),
    })
}

/// Reads one filing as the actor may see it; a filing the actor may not see
/// is reported as not found (its existence is the owner's business).
pub async fn read(store: &Store, actor: &Actor, id: &str) -> Result<FilingView> {
    let mut conn = store.reader().await?;
    let filing = filings::find(&mut conn, id)
        .await?
        .ok_or_else(|| missing(id))?;
    let seen = visibility_of(actor, &filing);
    if seen == Visibility::None || actor.scope(Action::ReadFilings).is_none() {
        drop(conn);
        let entry = actor.entry(
            "filing.read",
            Some(id),
            kuajing_store::audit::Outcome::Denied,
            None,
        );
        audit_record(store, &entry).await?;
        return Err(missing(id));
    }
    let approvals = filings::approvals_of(&mut conn, std::slice::from_ref(&filing.id)).await?;
    let shown = view(&mut conn, actor, &filing, &seen, &approvals).await?;
    drop(conn);
    if holds_personal_data(&shown.record) {
        let entry = actor.entry(
            "filing.read_personal",
            Some(id),
            kuajing_store::audit::Outcome::Success,
            None,
        );
        audit_record(store, &entry).await?;
    }
    Ok(shown)
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Enterprise or commodity.
    pub kind: Option<FilingKind>,
    /// Status.
    pub status: Option<FilingStatus>,
    /// Only the actor's own.
    pub mine: bool,
    /// Only filings waiting for the actor's agency's decision.
    pub awaiting_me: bool,
    /// Owner's customs code.
    pub owner: Option<String>,
    /// Commodity code prefix.
    pub hs_code: Option<String>,
    /// Text search.
    pub search: Option<String>,
    /// Page size.
    pub limit: i64,
    /// Offset.
    pub offset: i64,
}

/// A page of filings.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct FilingPage {
    /// The filings, most recently changed first.
    pub filings: Vec<FilingView>,
    /// How many match in all.
    pub total: i64,
}

/// Lists and searches filings the actor may see. Lists carry no personal
/// data: contact fields are left out whatever the policy allows (open one
/// filing to see them, which is audited).
pub async fn list(store: &Store, actor: &Actor, query: &ListQuery) -> Result<FilingPage> {
    let mut filter = FilingFilter {
        kind: query.kind,
        statuses: query.status.into_iter().collect(),
        hs_code_prefix: query.hs_code.clone(),
        search: query.search.clone(),
        limit: query.limit.clamp(1, 500),
        offset: query.offset.max(0),
        ..Default::default()
    };
    let mut conn = store.reader().await?;
    let own = actor.organisation_code.clone().unwrap_or_default();
    let scope = actor.scope(Action::ReadFilings);
    let own_only = query.mine || scope == Some(Scope::Own) || scope.is_none();
    if own_only {
        let org = organisations::find_by_code(&mut conn, &own).await?;
        filter.organisation_id = Some(org.map(|o| o.id).unwrap_or_default());
    } else if let Some(owner) = &query.owner {
        let org = organisations::find_by_code(&mut conn, owner).await?;
        filter.organisation_id = Some(org.map(|o| o.id).unwrap_or_default());
    }
    // Others never see a first draft (a change in progress shows them the
    // version in force; see `shown_state`).
    filter.shared = !own_only;
    if query.awaiting_me {
        // An officer's queue: what awaits one of the officer's roles. Nobody
        // else's (an enterprise has no approving role, so its queue is empty).
        filter.awaiting_any = actor.roles;
        if filter.awaiting_any.is_empty() {
            return Ok(FilingPage::default());
        }
    }
    let found = filings::list(&mut conn, &filter).await?;
    let ids: Vec<String> = found.iter().map(|f| f.id.clone()).collect();
    let approvals = filings::approvals_of(&mut conn, &ids).await?;
    let mut views = Vec::new();
    for filing in &found {
        let seen = visibility_of(actor, filing);
        if seen == Visibility::None {
            continue;
        }
        let mut shown = view(&mut conn, actor, filing, &seen, &approvals).await?;
        if let Value::Object(fields) = &mut shown.record {
            for personal in [
                "legal_representative",
                "contact_name",
                "contact_phone",
                "email",
            ] {
                fields.remove(personal);
            }
        }
        views.push(shown);
    }
    let total = filings::count(&mut conn, &filter).await?;
    Ok(FilingPage {
        filings: views,
        total,
    })
}

/// One version in a filing's history, with what changed from the one before.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = FilingVersionView)]
pub struct VersionView {
    /// Version number.
    pub version_no: i64,
    /// When written (UTC).
    pub created_at: String,
    /// By whom.
    pub created_by: String,
    /// Fields that differ from the previous version (all fields for the first).
    pub changes: Vec<Change>,
}

/// A filing's history: versions with differences, and every workflow event.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct History {
    /// Versions, oldest first.
    pub versions: Vec<VersionView>,
    /// Events, oldest first.
    pub events: Vec<EventView>,
}

/// One workflow step as it happened: who, for which organisation, when, why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EventView {
    /// The version it concerned.
    pub version_no: i64,
    /// `edit`, `submit`, `approve`, `return`, `suspend`, `reinstate`, `revoke`.
    pub event: String,
    /// For agency decisions: the role decided as.
    pub agency_role: Option<String>,
    /// Login or token prefix.
    pub actor: String,
    /// The actor's organisation.
    pub actor_organisation: Option<String>,
    /// When (UTC).
    pub at: String,
    /// Why.
    pub reason: Option<String>,
}

impl From<kuajing_store::filings::FilingEvent> for EventView {
    fn from(e: kuajing_store::filings::FilingEvent) -> Self {
        EventView {
            version_no: e.version_no,
            event: e.event,
            agency_role: e.agency_role,
            actor: e.actor_name,
            actor_organisation: e.actor_organisation,
            at: e.at.to_string(),
            reason: e.reason,
        }
    }
}

/// The history of a filing, each version projected for the viewer before it
/// is compared, so a difference never reveals a hidden field.
pub async fn history(store: &Store, actor: &Actor, id: &str) -> Result<History> {
    let view = read(store, actor, id).await?;
    let mut conn = store.reader().await?;
    let filing = filings::find(&mut conn, id)
        .await?
        .ok_or_else(|| missing(id))?;
    let seen = visibility_of(actor, &filing);
    let owner = actor.organisation_code.as_deref() == Some(filing.owner_code.as_str());
    let unsent = (!owner && filing.status == FilingStatus::Draft).then_some(filing.version_no);
    // A draft not yet sent is its owner's alone, in the history as elsewhere.
    let versions: Vec<_> = filings::versions(&mut conn, id)
        .await?
        .into_iter()
        .filter(|v| Some(v.version_no) != unsent)
        .collect();
    let events: Vec<_> = filings::events(&mut conn, id)
        .await?
        .into_iter()
        .filter(|e| Some(e.version_no) != unsent)
        .collect();
    let mut previous = Value::Object(Default::default());
    let mut shown = Vec::new();
    for version in versions {
        let data: Value =
            serde_json::from_str(&version.data).map_err(|e| Error::Internal(e.to_string()))?;
        let projected = strip_envelope(project(&data, &seen, &view.owner, "", 0));
        shown.push(VersionView {
            version_no: version.version_no,
            created_at: version.created_at.to_string(),
            created_by: version.created_by,
            changes: diff(&previous, &projected),
        });
        previous = projected;
    }
    Ok(History {
        versions: shown,
        events: events.into_iter().map(Into::into).collect(),
    })
}

fn strip_envelope(mut value: Value) -> Value {
    if let Value::Object(fields) = &mut value {
        for key in ["owner", "status", "version"] {
            fields.remove(key);
        }
    }
    value
}

/// Files an enterprise on behalf of an authority (the operator's
/// `enterprise add`, the zone administration's form, the demo load): the
/// filing is active at once, with the authority's approval recorded.
pub async fn file_approved_enterprise(
    tx: &mut WriteTx,
    actor: &Actor,
    org: &Organisation,
    now: Timestamp,
) -> Result<Filing> {
    let code = org.customs_code.to_string();
    let record = EnterpriseRecord::from_organisation(org);
    let data = Data::Enterprise(record);
    let json = to_json(&data)?;
    let (title, _, search) = summary_text(&data);
    let new = NewFiling {
        kind: FilingKind::Enterprise,
        organisation_id: &org.id,
        subject_key: &code,
        data: &json,
        summary: Summary {
            title: &title,
            hs_code: None,
            search_text: &search,
        },
    };
    let filing = filings::insert(tx, &new, &event(actor, 1, Step::Edit, None, None), now).await?;
    let reason = Some("主管部门备案并批准 / filed and approved by an authority");
    filings::append_event(
        tx,
        &filing.id,
        &event(actor, 1, Step::Approve, None, reason),
        now,
    )
    .await?;
    let state = State {
        status: FilingStatus::Active,
        version_no: 1,
        active_version_no: Some(1),
        awaiting: RoleSet::EMPTY,
    };
    filings::set_state(tx, &filing.id, state, now).await?;
    let filing = filings::find(tx, &filing.id)
        .await?
        .ok_or_else(|| missing(&code))?;
    publish(tx, &filing, "activated", now).await?;
    Ok(filing)
}

/// Writes a commodity filing for `owner` and takes it through `steps` at
/// once, each by its actor, inside the caller's transaction: how the demo
/// data set files goods the way the platform's users would have.
pub async fn seed_commodity(
    tx: &mut WriteTx,
    owner: &Actor,
    org: &Organisation,
    input: &CommodityInput,
    steps: &[(&Actor, Step)],
) -> Result<Filing> {
    let record = input.check(tx, Timestamp::now(), None).await?;
    let key = record.item_no.clone();
    let mut filing = save(tx, owner, org, None, Data::Commodity(record), &key).await?;
    for (actor, step) in steps {
        let needed = Data::parse(&filing)?.approvers()?;
        let roles = match step {
            Step::Approve | Step::Return => {
                actor.roles.iter().filter(|r| needed.contains(*r)).collect()
            }
            _ => RoleSet::EMPTY,
        };
        filing = apply_step(tx, actor, &filing, *step, roles, None).await?.0;
    }
    Ok(filing)
}

/// The actor's organisation's enterprise filing, if any.
pub async fn own_enterprise_filing(store: &Store, actor: &Actor) -> Result<Option<Filing>> {
    let mut conn = store.reader().await?;
    let org = own_organisation(&mut conn, actor).await?;
    let code = org.customs_code.to_string();
    Ok(filings::find_by_subject(&mut conn, FilingKind::Enterprise, &org.id, &code).await?)
}

/// The enterprise filing form as the registry record of the actor's own
/// organisation fills it (names, USCC, address, contact), for a first
/// filing; empty when the actor has no organisation on record.
pub async fn enterprise_input_from_registry(
    store: &Store,
    actor: &Actor,
) -> Result<EnterpriseInput> {
    let mut conn = store.reader().await?;
    let code = actor.organisation_code.clone().unwrap_or_default();
    let org = organisations::find_by_code(&mut conn, &code).await?;
    Ok(org
        .as_ref()
        .map(EnterpriseInput::from_organisation)
        .unwrap_or_default())
}

/// The current record of a commodity filing as an input form (for editing).
pub fn commodity_input(filing: &Filing) -> Result<CommodityInput> {
    match Data::parse(filing)? {
        Data::Commodity(record) => Ok(CommodityInput::from_record(&record)),
        Data::Enterprise(_) => Err(Error::Internal("not a commodity filing".into())),
    }
}

/// Attaches a stored file to the latest version of a filing (a draft is
/// edited in place; otherwise a new draft version is made).
pub(crate) async fn attach(
    tx: &mut WriteTx,
    actor: &Actor,
    filing: &Filing,
    attachment: AttachmentRef,
) -> Result<Filing> {
    let org = organisations::find_by_code(tx, &filing.owner_code)
        .await?
        .ok_or_else(|| missing(&filing.id))?;
    let data = match Data::parse(filing)? {
        Data::Enterprise(mut r) => {
            r.attachments.push(attachment);
            Data::Enterprise(r)
        }
        Data::Commodity(mut r) => {
            r.photo = Some(attachment);
            Data::Commodity(r)
        }
    };
    save(
        tx,
        actor,
        &org,
        Some(filing.clone()),
        data,
        &filing.subject_key,
    )
    .await
}
