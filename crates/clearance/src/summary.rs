//! The monthly summary declaration of retail exports (汇总申报, issue #7;
//! policy-rules.md §2.3, "清单核放、汇总申报"): by the 15th of each month
//! (the next working day if it is not one) the declaring agent merges last
//! month's released export lists into export declarations, one per group of
//! lists with the same head — consignor (发货人, `ebcCode`), transport mode
//! (`trafMode`), producer or seller (生产销售单位, `ownerCode`), country of
//! arrival (运抵国, `country`) and exit customs (出境关别, `portCode`) — and
//! within a group one line per final destination country, 10-digit HS code
//! and currency (source S22, ssopdot p=6357). Lists flagged for the
//! simplified path (`statisticsFlag` A, "清单核放、汇总统计" in a
//! comprehensive pilot zone) are compiled into no declaration: they are
//! counted for statistics only.
//!
//! Pure functions over the released lists; the store query that finds them
//! and the CEB701/792 messages are the caller's (not built yet: see
//! docs/architecture.md, "Exports (issue #7)").

use std::collections::BTreeMap;

use kuajing_ceb::model::export::Inventory;
use rust_decimal::Decimal;
use time::{Date, Month, Weekday};

/// A released export list: its number and the list as declared.
#[derive(Debug, Clone, Copy)]
pub struct Released<'a> {
    /// The customs list number (`invtNo`).
    pub invt_no: &'a str,
    /// The list.
    pub list: &'a Inventory,
}

/// What makes lists one declaration (the head rule).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HeadKey {
    /// Consignor (发货人): the e-commerce enterprise (`ebcCode`).
    pub consignor: String,
    /// Transport mode (`trafMode`).
    pub transport_mode: String,
    /// Producer or seller (生产销售单位, `ownerCode`).
    pub producer: String,
    /// Country of arrival (运抵国, head `country`).
    pub arrival_country: String,
    /// Exit customs (出境关别, `portCode`).
    pub exit_customs: String,
}

/// What makes goods lines one line of a declaration.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineKey {
    /// Final destination country (line `country`).
    pub destination: String,
    /// 10-digit HS code (`gcode`).
    pub hs_code: String,
    /// Currency (`currency`).
    pub currency: String,
    /// First legal unit (`unit1`): the HS code fixes it; kept in the key so
    /// that quantities in different units are never added.
    pub unit: String,
}

/// One line of a summary declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryLine {
    /// Its key.
    pub key: LineKey,
    /// Quantity in the first legal unit (`qty1`), summed.
    pub quantity: Decimal,
    /// Total price (`totalPrice`), summed, in the line's currency.
    pub total_price: Decimal,
    /// How many goods lines it merges.
    pub merged: usize,
}

/// One summary declaration: its head, its lists and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryGroup {
    /// The head all its lists share.
    pub head: HeadKey,
    /// Its lists' numbers, in the order given.
    pub lists: Vec<String>,
    /// Its lines, by key.
    pub lines: Vec<SummaryLine>,
}

/// A month's released lists, grouped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The declarations to compile (`statisticsFlag` B), by head.
    pub groups: Vec<SummaryGroup>,
    /// The lists counted for statistics only (`statisticsFlag` A).
    pub statistics_only: Vec<String>,
}

/// The `statisticsFlag` of a list taking the simplified path (汇总统计).
pub const STATISTICS_ONLY: &str = "A";

/// Groups released lists by the head rule and their lines by the line rule.
pub fn group(released: &[Released<'_>]) -> Summary {
    let mut groups: BTreeMap<HeadKey, (Vec<String>, BTreeMap<LineKey, SummaryLine>)> =
        BTreeMap::new();
    let mut statistics_only = Vec::new();
    for r in released {
        let head = &r.list.inventory_head;
        if head.statistics_flag == STATISTICS_ONLY {
            statistics_only.push(r.invt_no.to_owned());
            continue;
        }
        let (lists, lines) = groups.entry(head_key(r.list)).or_default();
        lists.push(r.invt_no.to_owned());
        for goods in &r.list.inventory_list {
            let key = LineKey {
                destination: goods.country.clone(),
                hs_code: goods.gcode.clone(),
                currency: goods.currency.clone(),
                unit: goods.unit1.clone(),
            };
            let line = lines.entry(key.clone()).or_insert(SummaryLine {
                key,
                quantity: Decimal::ZERO,
                total_price: Decimal::ZERO,
                merged: 0,
            });
            line.quantity += goods.qty1;
            line.total_price += goods.total_price;
            line.merged += 1;
        }
    }
    Summary {
        groups: groups
            .into_iter()
            .map(|(head, (lists, lines))| SummaryGroup {
                head,
                lists,
                lines: lines.into_values().collect(),
            })
            .collect(),
        statistics_only,
    }
}

/// The head key of a list.
pub fn head_key(list: &Inventory) -> HeadKey {
    let head = &list.inventory_head;
    HeadKey {
        consignor: head.ebc_code.clone(),
        transport_mode: head.traf_mode.clone(),
        producer: head.owner_code.clone(),
        arrival_country: head.country.clone(),
        exit_customs: head.port_code.clone(),
    }
}

/// The day by which the lists released in the month of `released_in` must
/// be declared: the 15th of the following month, or the first working day
/// after it when it is not one. `is_working_day` is the calendar's (the
/// State Council's holiday calendar changes yearly: it is data, not code);
/// [`weekdays`] is the calendar without public holidays.
pub fn deadline(released_in: Date, is_working_day: impl Fn(Date) -> bool) -> Option<Date> {
    let (year, month) = match released_in.month() {
        Month::December => (released_in.year() + 1, Month::January),
        other => (released_in.year(), other.next()),
    };
    let mut day = Date::from_calendar_date(year, month, 15).ok()?;
    // A month has fewer than 31 days off in a row.
    for _ in 0..31 {
        if is_working_day(day) {
            return Some(day);
        }
        day = day.next_day()?;
    }
    None
}

/// Monday to Friday: a calendar without public holidays.
pub fn weekdays(day: Date) -> bool {
    !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
}
