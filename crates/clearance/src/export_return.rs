//! Export returns (出口退货, policy-rules.md §7.2) as pure rules: how long
//! after release an export list's goods may be asked back, and whether the
//! returned goods are taxed, by the notice in force on the export date.

use time::{Date, Month};

/// Whether a return's goods are free of import taxes (`exempt`) or not
/// (`taxable`), with the basis (policy-rules.md §7.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxConsequence {
    /// `exempt` or `taxable`.
    pub tax: &'static str,
    /// Why, citing the rule (Chinese / English).
    pub basis: String,
}

/// One export-return tax policy (出口退货税收政策): the goods of exports
/// released from `from` to `to` (China dates, both included) returned
/// within the window are exempt from import duty, import VAT and
/// consumption tax, and their export duty is refunded (policy-rules.md
/// §7.2). A later notice is added to
/// the clearance settings' `export_return_policies` without a code change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnPolicy {
    /// The first export date it covers.
    pub from: Date,
    /// The last export date it covers.
    pub to: Date,
    /// The notice, as cited in the basis (Chinese / English).
    pub notice: String,
}

impl ReturnPolicy {
    /// The policies in force by the sources (policy-rules.md §7.2): 财政部
    /// 海关总署 税务总局公告2026年第16号 for exports 2026‑01‑01 … 2027‑12‑31,
    /// and the earlier 财关税〔2023〕4号, taken here as 2023‑01‑30 … 2025‑12‑31
    /// (its period's end is not in the sources: until the next notice).
    pub fn published() -> Vec<ReturnPolicy> {
        let date = |y, m, d| Date::from_calendar_date(y, m, d).unwrap_or(Date::MIN);
        vec![
            ReturnPolicy {
                from: date(2026, Month::January, 1),
                to: date(2027, Month::December, 31),
                notice: "财政部 海关总署 税务总局公告2026年第16号 / MOF, GACC and STA Announcement 2026 No. 16".to_owned(),
            },
            ReturnPolicy {
                from: date(2023, Month::January, 30),
                to: date(2025, Month::December, 31),
                notice: "财关税〔2023〕4号 / Caiguanshui [2023] No. 4".to_owned(),
            },
        ]
    }
}

/// The tax consequence of returning goods of `gcodes` exported (released)
/// on the China date `exported` (policy-rules.md §7.2): food (HS chapters
/// 01–24, "food excluded") is taxable; otherwise exempt when one of
/// `policies` covers the export date, taxable when none was in force.
pub fn tax_consequence(
    exported: Date,
    gcodes: &[&str],
    policies: &[ReturnPolicy],
) -> TaxConsequence {
    let food = gcodes.iter().find_map(|code| {
        let chapter: u8 = code.get(..2)?.parse().ok()?;
        (1..=24).contains(&chapter).then_some(chapter)
    });
    if let Some(chapter) = food {
        return TaxConsequence {
            tax: "taxable",
            basis: format!(
                "第{chapter:02}章商品属食品，不适用出口退货免税（政策规则 §7.2：食品除外） / HS chapter {chapter:02} is food, excluded from the export-return exemption (policy-rules.md §7.2)"
            ),
        };
    }
    if let Some(policy) = policies
        .iter()
        .find(|p| p.from <= exported && exported <= p.to)
    {
        let (from, to, notice) = (policy.from, policy.to, &policy.notice);
        return TaxConsequence {
            tax: "exempt",
            basis: format!(
                "免征进口关税和进口环节增值税、消费税，出口关税予以退还 / import duty, VAT and consumption tax exempt, export duty refunded: {notice} (exports {from} – {to}; policy-rules.md §7.2)"
            ),
        };
    }
    TaxConsequence {
        tax: "taxable",
        basis: format!(
            "出口日期 {exported} 不在任何出口退货税收政策期内 / no return policy in force for exports on {exported} (policy-rules.md §7.2)"
        ),
    }
}

/// The last China date on which goods released on `released` may still be
/// asked back: `months` calendar months later, the day clamped to the end
/// of that month (31 August + 6 months = 28 or 29 February).
pub fn last_return_day(released: Date, months: u32) -> Date {
    let index = i64::from(released.year()) * 12 + i64::from(u8::from(released.month())) - 1
        + i64::from(months);
    let year = i32::try_from(index.div_euclid(12)).unwrap_or(i32::MAX);
    let month = u8::try_from(index.rem_euclid(12) + 1)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .unwrap_or(Month::December);
    let day = released.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_window_counts_calendar_months_clamped_to_the_month_end() {
        assert_eq!(
            last_return_day(date!(2026 - 03 - 15), 6),
            date!(2026 - 09 - 15)
        );
        assert_eq!(
            last_return_day(date!(2026 - 08 - 31), 6),
            date!(2027 - 02 - 28)
        );
        assert_eq!(
            last_return_day(date!(2027 - 08 - 31), 6),
            date!(2028 - 02 - 29)
        );
        assert_eq!(
            last_return_day(date!(2026 - 11 - 30), 0),
            date!(2026 - 11 - 30)
        );
    }

    #[test]
    fn food_is_taxable_and_other_goods_exempt_in_a_policy_period() {
        let policies = ReturnPolicy::published();
        let honey = tax_consequence(date!(2026 - 05 - 01), &["0409000000"], &policies);
        assert_eq!(honey.tax, "taxable");
        assert!(honey.basis.contains("§7.2"), "{}", honey.basis);
        let shirt = tax_consequence(date!(2026 - 05 - 01), &["6109100021"], &policies);
        assert_eq!(shirt.tax, "exempt");
        assert!(shirt.basis.contains("2026年第16号"), "{}", shirt.basis);
        let earlier = tax_consequence(date!(2024 - 05 - 01), &["6109100021"], &policies);
        assert_eq!(earlier.tax, "exempt");
        assert!(
            earlier.basis.contains("财关税〔2023〕4号"),
            "{}",
            earlier.basis
        );
        let none = tax_consequence(date!(2022 - 05 - 01), &["6109100021"], &policies);
        assert_eq!(none.tax, "taxable");
        assert!(none.basis.contains("no return policy"), "{}", none.basis);
        let later = tax_consequence(date!(2028 - 01 - 01), &["6109100021"], &policies);
        assert_eq!(later.tax, "taxable");
    }
}
