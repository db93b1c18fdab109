//! The first set of risk rules (风险规则) over a declaration list, from the
//! patterns of policy-rules.md §10: they never refuse a list, they send it to
//! an officer (status 300) with a reason a person can read.
//!
//! Each rule runs in [`RuleMode::Enforce`] (a hit holds the list) or
//! [`RuleMode::Monitor`] (a hit is evaluated and recorded, never holds:
//! how a new rule is tried safely). The facts that need history (how many
//! lists a buyer declared lately, how many buyers share an address) are
//! counted by the caller from the store and passed in, so the rules stay
//! pure.

use kuajing_ceb::model::import::Inventory;
use rust_decimal::Decimal;

use crate::decision::{Decision, Reason};

/// Whether a rule's hits hold the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RuleMode {
    /// A hit sends the list to an officer.
    #[default]
    Enforce,
    /// A hit is recorded only.
    Monitor,
}

/// The rules of this set, by their pattern id in policy-rules.md §10.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskRule {
    /// R05 under-valuation: a line's unit price far below the goods'
    /// reference price.
    LowValue,
    /// R01 order splitting: many lists for one buyer in a short time.
    BuyerFrequency,
    /// R02 quota farming: one address or phone shared by many buyers.
    SharedContact,
    /// A buyer ID on the zone's watch list.
    WatchList,
}

impl RiskRule {
    /// Every rule of the set.
    pub const ALL: [RiskRule; 4] = [
        RiskRule::LowValue,
        RiskRule::BuyerFrequency,
        RiskRule::SharedContact,
        RiskRule::WatchList,
    ];

    /// The rule's id: the pattern and this rule's version, recorded with
    /// every decision it took part in.
    pub fn id(self) -> &'static str {
        match self {
            RiskRule::LowValue => "R05-low-value/1",
            RiskRule::BuyerFrequency => "R01-buyer-frequency/1",
            RiskRule::SharedContact => "R02-shared-contact/1",
            RiskRule::WatchList => "watch-list/1",
        }
    }
}

/// The thresholds and modes of the rules (settings, with defaults chosen
/// as starting points for a zone's risk officers to tune: the sources give
/// patterns, not numbers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskSettings {
    /// A unit price below this share of the reference price is low (R05).
    pub low_value_ratio: Decimal,
    /// This many lists or more for one buyer within the window is many
    /// (R01), this one included.
    pub lists_per_buyer: u32,
    /// The window of R01, in hours.
    pub window_hours: u32,
    /// This many distinct buyers or more at one address or phone is many
    /// (R02), this list's buyer included.
    pub buyers_per_contact: u32,
    /// Each rule's mode.
    pub modes: Vec<(RiskRule, RuleMode)>,
}

impl Default for RiskSettings {
    fn default() -> Self {
        RiskSettings {
            low_value_ratio: Decimal::new(3, 1),
            lists_per_buyer: 5,
            window_hours: 24,
            buyers_per_contact: 4,
            modes: RiskRule::ALL.map(|r| (r, RuleMode::Enforce)).to_vec(),
        }
    }
}

impl RiskSettings {
    /// Every rule in monitor mode (`kuajing serve --risk-mode monitor`).
    pub fn all_monitoring(mut self) -> Self {
        for (_, mode) in &mut self.modes {
            *mode = RuleMode::Monitor;
        }
        self
    }

    /// The mode of `rule` (enforce if not set).
    pub fn mode(&self, rule: RiskRule) -> RuleMode {
        self.modes
            .iter()
            .find(|(r, _)| *r == rule)
            .map_or(RuleMode::Enforce, |(_, m)| *m)
    }
}

/// What the rules are evaluated on besides the list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RiskFacts {
    /// Reference unit price (CNY per declared unit) of each line, in list
    /// order; `None` where the goods have none.
    pub reference_prices: Vec<Option<Decimal>>,
    /// Lists declared for this buyer within the window, this one included.
    pub buyer_lists_in_window: u32,
    /// Distinct buyers with this list's consignee address, its buyer
    /// included.
    pub buyers_at_address: u32,
    /// Distinct buyers with this list's buyer telephone, its buyer included.
    pub buyers_with_phone: u32,
    /// Whether the buyer's ID number is on the watch list.
    pub buyer_on_watch_list: bool,
}

/// One rule that fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskHit {
    /// The rule.
    pub rule: RiskRule,
    /// Its mode when it fired.
    pub mode: RuleMode,
    /// Why, in both languages.
    pub reason: Reason,
}

/// Every rule that fires on `list` with `facts`.
pub fn assess_risk(list: &Inventory, facts: &RiskFacts, settings: &RiskSettings) -> Vec<RiskHit> {
    let mut hits = Vec::new();
    let mut hit = |rule: RiskRule, zh: String, en: String| {
        hits.push(RiskHit {
            rule,
            mode: settings.mode(rule),
            reason: Reason {
                code: 0,
                message_zh: format!("风险规则 {}：{zh}", rule.id()),
                message_en: format!("risk rule {}: {en}", rule.id()),
            },
        });
    };
    for (index, (line, reference)) in list
        .inventory_list
        .iter()
        .zip(&facts.reference_prices)
        .enumerate()
    {
        if let Some(reference) = reference
            && line.price < *reference * settings.low_value_ratio
        {
            hit(
                RiskRule::LowValue,
                format!(
                    "第{}项单价 {} 元低于参考价 {} 元的 {}",
                    index + 1,
                    line.price,
                    reference,
                    settings.low_value_ratio
                ),
                format!(
                    "line {} unit price CNY {} is below {} of the reference price CNY {}",
                    index + 1,
                    line.price,
                    settings.low_value_ratio,
                    reference
                ),
            );
        }
    }
    if facts.buyer_lists_in_window >= settings.lists_per_buyer {
        hit(
            RiskRule::BuyerFrequency,
            format!(
                "订购人 {} 小时内已申报 {} 票清单",
                settings.window_hours, facts.buyer_lists_in_window
            ),
            format!(
                "the buyer has {} lists within {} hours",
                facts.buyer_lists_in_window, settings.window_hours
            ),
        );
    }
    for (what_zh, what_en, buyers) in [
        ("收货地址", "consignee address", facts.buyers_at_address),
        ("电话", "telephone", facts.buyers_with_phone),
    ] {
        if buyers >= settings.buyers_per_contact {
            hit(
                RiskRule::SharedContact,
                format!("同一{what_zh}对应 {buyers} 名订购人"),
                format!("one {what_en} is shared by {buyers} buyers"),
            );
        }
    }
    if facts.buyer_on_watch_list {
        hit(
            RiskRule::WatchList,
            "订购人身份证件号码在布控名单上".to_owned(),
            "the buyer's ID number is on the watch list".to_owned(),
        );
    }
    hits
}

/// The decision with the risk hits applied: enforced hits turn a pass into
/// a review (and join an existing review's reasons); a refusal stands.
/// Monitored hits change nothing (the caller records them all).
pub fn apply_risk(decision: Decision, hits: &[RiskHit]) -> Decision {
    let enforced: Vec<Reason> = hits
        .iter()
        .filter(|h| h.mode == RuleMode::Enforce)
        .map(|h| h.reason.clone())
        .collect();
    if enforced.is_empty() {
        return decision;
    }
    match decision {
        Decision::Pass(bill) => Decision::Review {
            reasons: enforced,
            bill,
        },
        Decision::Review { mut reasons, bill } => {
            reasons.extend(enforced);
            Decision::Review { reasons, bill }
        }
        refused @ Decision::Refused(_) => refused,
    }
}
