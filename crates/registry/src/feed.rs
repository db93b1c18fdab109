//! The information-sharing feed (共享数据推送): every change to a shared
//! record, in order, as each subscriber may see it. Agencies pull it with a
//! cursor (`GET /api/feed?after=…`) or receive it by webhook (`webhooks`);
//! both show the same events, projected through the sharing policy, each with
//! an id that consumers use as their idempotency key (delivery is at least
//! once).

use kuajing_core::access::Action;
use kuajing_core::filing::FilingKind;
use kuajing_core::role::{Role, RoleKind, RoleSet};
use kuajing_core::sharing::Visibility;
use kuajing_store::Store;
use kuajing_store::outbox::{self, OutboxEvent};
use serde::Serialize;
use serde_json::Value;

use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::filing::record::{project, seen_by};

/// The topics there are: filings (`enterprise`, `commodity`), and what
/// clearance shares — released lists (`release`, for statistics), tax
/// bills (`tax-bill`), the payments of released parcels (`payment`, for
/// forex), every receipt an enterprise is owed (`receipt`, its own only:
/// how receipts are pushed by webhook), and the bonded warehouses' monthly
/// reports to customs (`bonded-report`).
pub const TOPICS: [&str; 7] = [
    "enterprise",
    "commodity",
    "release",
    "tax-bill",
    "payment",
    "receipt",
    "bonded-report",
];

/// The agencies a clearance topic is shared with (besides the event's
/// owner, who always sees its own): customs and the zone administration
/// everything; commerce the releases (the zone's statistics); tax the tax
/// bills; forex the payments. Receipts go to their owner alone.
fn clearance_readers(topic: &str) -> Option<&'static [Role]> {
    match topic {
        "release" => Some(&[Role::Customs, Role::Commerce, Role::ZoneAdmin]),
        "tax-bill" => Some(&[Role::Tax, Role::Customs, Role::ZoneAdmin]),
        "payment" => Some(&[Role::Forex, Role::Customs, Role::ZoneAdmin]),
        "bonded-report" => Some(&[Role::Customs, Role::ZoneAdmin]),
        "receipt" => Some(&[]),
        _ => None,
    }
}

/// One change as a subscriber sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FeedEvent {
    /// Position in the feed; pass the last one as `after`.
    pub seq: i64,
    /// Unique id: the idempotency key of this change.
    pub event_id: String,
    /// `enterprise`, `commodity`, `release`, `tax-bill`, `payment` or `receipt`.
    pub topic: String,
    /// `submitted`, `approved`, `activated`, `returned`, `suspended`, `reinstated`, `revoked`.
    pub event: String,
    /// The filing's id.
    pub record_id: String,
    /// Customs code (enterprise) or item number (commodity).
    pub record_key: String,
    /// Owner's customs code.
    pub owner: String,
    /// The record's version.
    pub version: i64,
    /// When (UTC).
    pub at: String,
    /// The record's fields this subscriber may see.
    #[schema(value_type = Object)]
    pub record: Value,
}

/// A page of the feed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FeedPage {
    /// Events after the cursor that the caller may see, oldest first.
    pub events: Vec<FeedEvent>,
    /// The cursor for the next page (the last position looked at, which may
    /// be past the last event shown).
    pub next_after: i64,
}

/// Who looks at the feed: an organisation and its roles.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// Customs code.
    pub organisation: String,
    /// Roles.
    pub roles: RoleSet,
}

impl Viewer {
    /// Whether the viewer is only an enterprise (sees only its own records).
    pub fn own_only(&self) -> bool {
        !self.roles.iter().any(|r| r.kind() == RoleKind::Agency)
    }

    /// The event as this viewer sees it, or `None` if it may not.
    pub fn see(&self, event: &OutboxEvent) -> Option<FeedEvent> {
        if let Some(readers) = clearance_readers(&event.topic) {
            let allowed = event.owner_code == self.organisation
                || readers.iter().any(|r| self.roles.contains(*r));
            return allowed.then(|| {
                self.shown(
                    event,
                    serde_json::from_str(&event.payload).unwrap_or(Value::Null),
                )
            });
        }
        let kind = FilingKind::parse(&event.topic)?;
        let seen = seen_by(
            kind,
            self.roles,
            Some(&self.organisation),
            &event.owner_code,
        );
        if seen == Visibility::None {
            return None;
        }
        let payload: Value = serde_json::from_str(&event.payload).ok()?;
        let record = payload.get("record").cloned().unwrap_or(Value::Null);
        let status = payload.get("status").and_then(Value::as_str).unwrap_or("");
        let record = project(&record, &seen, &event.owner_code, status, event.version_no);
        Some(self.shown(event, record))
    }

    fn shown(&self, event: &OutboxEvent, record: Value) -> FeedEvent {
        FeedEvent {
            seq: event.seq,
            event_id: event.event_id.clone(),
            topic: event.topic.clone(),
            event: event.event.clone(),
            record_id: event.record_id.clone(),
            record_key: event.record_key.clone(),
            owner: event.owner_code.clone(),
            version: event.version_no,
            at: event.created_at.to_string(),
            record,
        }
    }
}

/// Checks a topic list (empty = all topics).
pub fn parse_topics(topics: &[String]) -> Result<Vec<String>> {
    for (i, topic) in topics.iter().enumerate() {
        if !TOPICS.contains(&topic.as_str()) {
            return Err(Error::invalid(
                &format!("topics[{i}]"),
                "TOPIC_UNKNOWN",
                format!("未知主题“{topic}”，应为 {} 之一", TOPICS.join("、")),
                format!("unknown topic '{topic}'; use one of {}", TOPICS.join(", ")),
            ));
        }
    }
    Ok(topics.to_vec())
}

/// Reads the feed after `after` as the actor may see it.
pub async fn read(
    store: &Store,
    actor: &Actor,
    after: i64,
    limit: i64,
    topics: &[String],
) -> Result<FeedPage> {
    let own = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::Subscribe, &own, "feed.read", &own)
        .await?;
    let topics = parse_topics(topics)?;
    let viewer = Viewer {
        organisation: own.clone(),
        roles: actor.roles,
    };
    let owner = viewer.own_only().then_some(own.as_str());
    let mut conn = store.reader().await?;
    let scanned =
        outbox::after(&mut conn, after.max(0), owner, &topics, limit.clamp(1, 500)).await?;
    let next_after = scanned.last().map_or(after.max(0), |e| e.seq);
    let events = scanned.iter().filter_map(|e| viewer.see(e)).collect();
    Ok(FeedPage { events, next_after })
}
