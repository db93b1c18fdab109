//! The settings of the retail import rules: every point that
//! policy-rules.md marks uncertain ([M] or [I]) is a named setting here, with
//! the documented default, so that an operator can follow a customs ruling
//! without a code change.

use rust_decimal::Decimal;
use time::Date;
use time::macros::date;

/// The transaction limits (交易限值) in force from a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The first day these limits apply to (by the China day the platform
    /// received the list: `crate::declaration_day`).
    pub effective_from: Date,
    /// Single-transaction limit (单次交易限值), CNY, dutiable value of one
    /// list; a list of exactly this value is within it (policy-rules.md
    /// §1.2, "boundary").
    pub single_transaction: Decimal,
    /// Personal annual limit (个人年度交易限值), CNY per buyer ID number per
    /// calendar year; reaching it exactly is within it.
    pub annual: Decimal,
}

/// The limits over time, newest last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitSchedule {
    periods: Vec<Limits>,
}

impl LimitSchedule {
    /// A schedule from its periods, in any order; `None` if empty or if two
    /// periods start on the same day (which one applies would be a guess).
    pub fn new(mut periods: Vec<Limits>) -> Option<LimitSchedule> {
        periods.sort_by_key(|p| p.effective_from);
        let distinct = periods
            .windows(2)
            .all(|w| w[0].effective_from < w[1].effective_from);
        (!periods.is_empty() && distinct).then_some(LimitSchedule { periods })
    }

    /// The published schedule: CNY 2,000 / 20,000 from 2016-04-08 (财关税
    /// 〔2016〕18号), CNY 5,000 / 26,000 from 2019-01-01 (财关税〔2018〕49号);
    /// policy-rules.md §1.2.
    pub fn published() -> LimitSchedule {
        LimitSchedule {
            periods: vec![
                Limits {
                    effective_from: date!(2016 - 04 - 08),
                    single_transaction: Decimal::from(2_000),
                    annual: Decimal::from(20_000),
                },
                Limits {
                    effective_from: date!(2019 - 01 - 01),
                    single_transaction: Decimal::from(5_000),
                    annual: Decimal::from(26_000),
                },
            ],
        }
    }

    /// The limits in force on `day`; `None` before the first period (the
    /// retail import regime did not exist).
    pub fn on(&self, day: Date) -> Option<&Limits> {
        self.periods.iter().rev().find(|p| p.effective_from <= day)
    }
}

/// How far a list's declaration date (CEB621 `declTime`, the date of a
/// CEB603 `appTime`) may be from the China day the platform receives it
/// before the list is refused naming the field (issue #14; the rule is
/// `crate::declaration_day`). Nothing the platform decides follows the
/// declared date — the quota year, the limits and tariff in force and every
/// period follow the day of receipt — so the tolerance only decides how
/// wrong a date the platform takes and keeps on its record.
///
/// The sources give no number: the XSD makes `declTime` the day the customs
/// system accepts the list, and CEB times carry no zone ("local China time
/// assumed", ceb-messages.md §2.1). Default: one day after, for a sender's
/// clock running ahead or a sender writing the local date of a zone east of
/// China (Korea and Japan, UTC+9, where the zone's ships sail) around
/// midnight — nothing honest is two days ahead; three days before, for a
/// list prepared and dated one day and transmitted later (a message queued
/// by the sender or the e-port relay over a weekend outage, resent on the
/// Monday) — beyond that the date is not when the list was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeclarationTolerance {
    /// How many days before the day of receipt the date may be.
    pub days_before: u32,
    /// How many days after the day of receipt the date may be.
    pub days_after: u32,
}

impl Default for DeclarationTolerance {
    fn default() -> Self {
        DeclarationTolerance {
            days_before: 3,
            days_after: 1,
        }
    }
}

/// How a list's head freight and insurance are spread over its lines to
/// make each line's dutiable value (完税价格). The sources do not say
/// (policy-rules.md §1.7, [M]); proportional to line value is the usual
/// practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Allocator {
    /// In proportion to each line's declared value, to the fen, with the
    /// fen left over by rounding given to the lines with the largest
    /// remainders (so the shares always add up to the head amount).
    #[default]
    ProportionalToValue,
}

/// Where rounding to the fen happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaxRounding {
    /// Each tax kind of each line rounded half up to the fen once, from the
    /// exact amount after the 70 % factor; head totals are sums of the
    /// rounded lines (policy-rules.md §1.7, the engine choice; example E).
    #[default]
    PerLinePerKind,
}

/// What "only one item" (仅一件商品, 财关税〔2018〕49号) means for the
/// over-limit single-item path; the text does not settle whether two of the
/// same article are one item (policy-rules.md §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OneItemRule {
    /// One goods line with quantity 1 (the default reading).
    #[default]
    OneLineQuantityOne,
    /// One goods line, whatever its quantity.
    OneLine,
}

/// The tax settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxSettings {
    /// Share of the statutory VAT and consumption tax payable within the
    /// limits: 70 % (财关税〔2016〕18号; policy-rules.md §1.2).
    pub within_limits_factor: Decimal,
    /// Where rounding happens.
    pub rounding: TaxRounding,
    /// How head freight and insurance reach the lines.
    pub allocator: Allocator,
    /// What counts as one item.
    pub one_item: OneItemRule,
}

impl Default for TaxSettings {
    fn default() -> Self {
        TaxSettings {
            within_limits_factor: Decimal::new(7, 1),
            rounding: TaxRounding::default(),
            allocator: Allocator::default(),
            one_item: OneItemRule::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_limits_change_on_new_year_2019() {
        let schedule = LimitSchedule::published();
        let before = schedule.on(date!(2018 - 12 - 31)).unwrap();
        let after = schedule.on(date!(2019 - 01 - 01)).unwrap();
        assert_eq!(before.single_transaction, Decimal::from(2_000));
        assert_eq!(after.single_transaction, Decimal::from(5_000));
        assert_eq!(after.annual, Decimal::from(26_000));
        assert!(schedule.on(date!(2016 - 04 - 07)).is_none());
    }

    #[test]
    fn a_schedule_refuses_two_periods_on_one_day() {
        let period = LimitSchedule::published().periods[1];
        assert!(LimitSchedule::new(vec![period, period]).is_none());
        assert!(LimitSchedule::new(vec![]).is_none());
        assert!(LimitSchedule::new(vec![period]).is_some());
    }
}
