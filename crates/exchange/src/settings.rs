//! How clearance behaves: every point the sources leave open, with its
//! documented default (`kuajing serve`'s flags set some).

use std::time::Duration;

use kuajing_clearance::export_return::ReturnPolicy;

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
    pub clock: crate::clock::Clock,
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
    /// §7.2; default [`ReturnPolicy::published`]: 2026
    /// No. 16 and 财关税〔2023〕4号); a return of non-food goods exported in
    /// none of them is taxable.
    pub export_return_policies: Vec<ReturnPolicy>,
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
    pub gate: crate::gate::GateSettings,
}

impl Default for ClearanceSettings {
    fn default() -> Self {
        ClearanceSettings {
            allow_unsigned_messages: false,
            clock: crate::clock::Clock::system(),
            declaration_tolerance: DeclarationTolerance::default(),
            incomplete_after: Duration::from_secs(24 * 3600),
            cancel_after_release: 30,
            return_window: 30,
            returns_quarantined: true,
            export_return_months: 6,
            export_return_policies: ReturnPolicy::published(),
            rules: RuleSettings::default(),
            export: ExportSettings::default(),
            risk: RiskSettings::default(),
            limits: LimitSchedule::published(),
            gate: crate::gate::GateSettings::default(),
        }
    }
}
