//! Retail import clearance (跨境电商零售进口通关), the platform playing the
//! customs side (issue #5): the intake of CEB messages, the engine that
//! decides each declaration list once its order, payment and waybill are
//! in, the officers' decisions on what the rules send them, and the
//! receipts every party is owed.
//!
//! - [`intake`]: `POST /api/ceb` — read, identify, keep, answer; each
//!   document on its own merits, one receipt message per message.
//! - [`documents`]: what each kind of document is keyed by, which official
//!   codes it is refused with, and what `appType` / `appStatus` allow.
//! - [`engine`]: the decision behind a trait ([`engine::ClearanceEngine`]),
//!   so a relay to the national customs system can take the built-in
//!   engine's place; around it, the database work (documents, tariff, the
//!   quota reserved in the same transaction, the status life cycle and the
//!   receipts owed).
//! - [`resends`]: a message sent again under a guid used before: the first
//!   receipt, or other content refused.
//! - [`review`]: the officers' queue and decisions.
//! - [`receipts_feed`]: the pull feed of receipts per enterprise.

pub mod after_release;
pub mod authority;
pub mod bonded_stock;
pub mod clock;
pub mod committer;
pub mod documents;
pub mod engine;
pub mod entry_lists;
pub mod events;
pub mod export_exits;
pub mod export_returns;
pub mod exports;
pub mod gate;
pub mod intake;
pub mod lookups;
pub mod quota_lookup;
pub mod receipts_feed;
pub mod receipts_out;
pub mod record;
pub mod resends;
pub mod review;
pub mod summaries;
pub mod time_format;
pub mod waybill_status;

use std::time::Duration;

use kuajing_clearance::decision::RuleSettings;
use kuajing_clearance::export::ExportSettings;
use kuajing_clearance::risk::RiskSettings;
use kuajing_clearance::settings::DeclarationTolerance;
use kuajing_clearance::settings::LimitSchedule;

/// How clearance behaves: every point the sources leave open, with its
/// documented default.
#[derive(Debug, Clone)]
pub struct ClearanceSettings {
    /// Accept CEB621/623/625/711 without a verifiable signature (sandboxes
    /// only: `kuajing serve --allow-unsigned-messages`; the log warns and
    /// the portal shows a banner).
    pub allow_unsigned_messages: bool,
    /// The platform's clock: every receipt, release and period counts by
    /// it (the system clock; tests may set it).
    pub clock: clock::Clock,
    /// How far a list's declaration date (CEB621 `declTime`, CEB603
    /// `appTime`) may be from the China day the platform receives it
    /// before the list is refused naming the field (default: 3 days
    /// before, 1 day after; the reasons are on
    /// [`DeclarationTolerance`]).
    pub declaration_tolerance: DeclarationTolerance,
    /// How long a list waits for its order, payment and waybill before it
    /// is refused as "三单不齐" (ceb-messages.md A14: a 24-hour window is
    /// reported, unverified; default 24 h), counted from when the platform
    /// received the message that declared it.
    pub incomplete_after: Duration,
    /// How many days after release a cancellation (CEB623, and an export
    /// list's CEB605) is still accepted, on China days from the day after
    /// the platform released it (the sources say "after release within the
    /// rules" without a number: default 30, as returns; an inference).
    pub cancel_after_release: u32,
    /// How many days after release a return (CEB625) may be applied for,
    /// on China days from the day after the platform released it (GACC
    /// 2020 No. 45: "自放行之日起30日内", 30).
    pub return_window: u32,
    /// Whether returned goods wait for inspection before they can be sold
    /// again (policy-rules.md §7.1: returned parcels "re-enter, are
    /// inspected, tallied", and "can be sold again after customs release";
    /// default true; `kuajing serve --returns-sellable-at-once` makes them
    /// available on return, for zones whose customs releases on tally).
    pub returns_quarantined: bool,
    /// How many calendar months after its release an export list's goods
    /// may be asked back (CEB213, 出口退货; policy-rules.md §7.2: returned
    /// "within 6 months of export"; counted on China dates, the day
    /// clamped to the month's end; default 6).
    pub export_return_months: u32,
    /// The export-return tax policies by export date (policy-rules.md
    /// §7.2; default [`export_returns::ReturnPolicy::published`]: 2026
    /// No. 16 and 财关税〔2023〕4号); a return of non-food goods exported in
    /// none of them is taxable.
    pub export_return_policies: Vec<export_returns::ReturnPolicy>,
    /// The rules' settings (tax, matching).
    pub rules: RuleSettings,
    /// How export lists are checked (the receipt of payment a 9610 list
    /// waits for, simplified goods codes).
    pub export: ExportSettings,
    /// The risk rules' thresholds and modes (`--risk-mode monitor` puts
    /// every rule in monitor mode).
    pub risk: RiskSettings,
    /// The single-transaction and annual limits, effective-dated.
    pub limits: LimitSchedule,
    /// How many messages the intake takes on at once and in its queue.
    pub gate: gate::GateSettings,
}

impl Default for ClearanceSettings {
    fn default() -> Self {
        ClearanceSettings {
            allow_unsigned_messages: false,
            clock: clock::Clock::system(),
            declaration_tolerance: DeclarationTolerance::default(),
            incomplete_after: Duration::from_secs(24 * 3600),
            cancel_after_release: 30,
            return_window: 30,
            returns_quarantined: true,
            export_return_months: 6,
            export_return_policies: export_returns::ReturnPolicy::published(),
            rules: RuleSettings::default(),
            export: ExportSettings::default(),
            risk: RiskSettings::default(),
            limits: LimitSchedule::published(),
            gate: gate::GateSettings::default(),
        }
    }
}

/// Every minute: refuse the lists that waited too long for their documents
/// ("三单不齐"), a batch at a time.
pub async fn run_timeouts(state: crate::AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        match refuse_overdue(&state).await {
            Ok(0) => {}
            Ok(refused) => tracing::info!(refused, "lists refused as incomplete"),
            Err(error) => tracing::warn!(%error, "incomplete-list timeout failed"),
        }
    }
}

/// Refuses up to 500 lists whose documents did not all arrive in time;
/// returns how many.
pub async fn refuse_overdue(state: &crate::AppState) -> crate::error::Result<usize> {
    let now = state.config().clearance.clock.now();
    let context = engine::Context {
        engine: state.engine(),
        settings: &state.config().clearance,
        now,
    };
    let mut tx = state.store().begin().await?;
    let mut owed = Vec::new();
    let before = now.minus(context.settings.incomplete_after);
    let waiting = kuajing_store::ceb_documents::awaiting_since(&mut tx, before, 500).await?;
    for list in &waiting {
        if list.kind == kuajing_store::ceb_documents::Kind::ExportList {
            let rule_set = context.engine.rule_set();
            exports::refuse_incomplete(&mut tx, context.settings, now, &rule_set, list, &mut owed)
                .await?;
        } else {
            engine::refuse_incomplete(&mut tx, &context, list, &mut owed).await?;
        }
    }
    let refused = waiting.len();
    receipts_out::deliver(&mut tx, &owed, now).await?;
    tx.commit().await.map_err(kuajing_store::StoreError::from)?;
    Ok(refused)
}
