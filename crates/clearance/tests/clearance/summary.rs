//! The summary declaration's grouping (汇总申报, issue #7) on a hand-checked
//! month of released export lists, the deadline, and properties over
//! generated months: every summary-path list is in exactly one group, heads
//! are distinct, and no quantity or price is lost or invented.

use kuajing_ceb::model::export::Inventory;
use kuajing_ceb::{Message, MessageType, sample};
use kuajing_clearance::summary::{Released, deadline, group, weekdays};
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::{Date, Month};

use super::d;

/// Russia, Korea (customs country codes); CNY, USD; road, sea.
const RUS: &str = "344";
const KOR: &str = "133";
const CNY: &str = "142";
const USD: &str = "502";
const ROAD: &str = "4";
const SEA: &str = "2";
const HONEY: &str = "0409000000";
const SAUCE: &str = "2103909000";

/// A released list with this head and these goods lines (destination,
/// HS code, currency, quantity, total price).
fn list(
    consignor: &str,
    transport: &str,
    country: &str,
    flag: &str,
    lines: &[(&str, &str, &str, &str, &str)],
) -> Inventory {
    let Message::Ceb603(m) = sample::sample(MessageType::Ceb603) else {
        unreachable!()
    };
    let mut list = m.inventory[0].clone();
    let head = &mut list.inventory_head;
    head.ebc_code = consignor.to_owned();
    head.owner_code = consignor.to_owned();
    head.traf_mode = transport.to_owned();
    head.country = country.to_owned();
    head.port_code = "1909".to_owned();
    head.statistics_flag = flag.to_owned();
    let template = list.inventory_list[0].clone();
    list.inventory_list = lines
        .iter()
        .map(|(destination, hs, currency, qty, total)| {
            let mut line = template.clone();
            line.country = (*destination).to_owned();
            line.gcode = (*hs).to_owned();
            line.currency = (*currency).to_owned();
            line.unit1 = "035".to_owned();
            line.qty1 = d(qty);
            line.total_price = d(total);
            line
        })
        .collect();
    list
}

fn date(year: i32, month: Month, day: u8) -> Date {
    Date::from_calendar_date(year, month, day).unwrap()
}

#[test]
fn a_month_of_released_lists_groups_as_checked_by_hand() {
    let a = "2224960004";
    let b = "2224960009";
    let lists = [
        (
            "L1",
            list(a, ROAD, RUS, "B", &[(RUS, HONEY, CNY, "2", "100")]),
        ),
        (
            "L2",
            list(
                a,
                ROAD,
                RUS,
                "B",
                &[(RUS, HONEY, CNY, "3", "150"), (RUS, SAUCE, CNY, "1", "80")],
            ),
        ),
        (
            "L3",
            list(a, SEA, RUS, "B", &[(RUS, HONEY, CNY, "1", "50")]),
        ),
        (
            "L4",
            list(a, ROAD, KOR, "B", &[(KOR, HONEY, CNY, "1", "60")]),
        ),
        (
            "L5",
            list(b, ROAD, RUS, "B", &[(RUS, HONEY, CNY, "4", "200")]),
        ),
        (
            "L6",
            list(a, ROAD, RUS, "B", &[(RUS, HONEY, USD, "1", "20")]),
        ),
        (
            "L7",
            list(a, ROAD, RUS, "A", &[(RUS, HONEY, CNY, "9", "450")]),
        ),
        (
            "L8",
            list(a, ROAD, KOR, "B", &[(KOR, HONEY, CNY, "1", "50")]),
        ),
    ];
    let released: Vec<Released<'_>> = lists
        .iter()
        .map(|(invt_no, list)| Released { invt_no, list })
        .collect();
    let summary = group(&released);

    assert_eq!(
        summary.statistics_only,
        ["L7"],
        "the simplified path compiles no declaration"
    );
    let heads: Vec<(&str, &str, &str, Vec<&str>)> = summary
        .groups
        .iter()
        .map(|g| {
            let lists = g.lists.iter().map(String::as_str).collect();
            (
                g.head.consignor.as_str(),
                g.head.transport_mode.as_str(),
                g.head.arrival_country.as_str(),
                lists,
            )
        })
        .collect();
    assert_eq!(
        heads,
        [
            (a, SEA, RUS, vec!["L3"]),
            (a, ROAD, KOR, vec!["L4", "L8"]),
            (a, ROAD, RUS, vec!["L1", "L2", "L6"]),
            (b, ROAD, RUS, vec!["L5"]),
        ]
    );
    let russia_by_road = &summary.groups[2];
    let lines: Vec<(&str, &str, Decimal, Decimal, usize)> = russia_by_road
        .lines
        .iter()
        .map(|l| {
            (
                l.key.hs_code.as_str(),
                l.key.currency.as_str(),
                l.quantity,
                l.total_price,
                l.merged,
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (HONEY, CNY, d("5"), d("250"), 2),
            (HONEY, USD, d("1"), d("20"), 1),
            (SAUCE, CNY, d("1"), d("80"), 1),
        ]
    );
}

#[test]
fn the_deadline_is_the_15th_of_the_next_month_or_the_next_working_day() {
    // 2026-12-15 is a Tuesday.
    assert_eq!(
        deadline(date(2026, Month::November, 3), weekdays),
        Some(date(2026, Month::December, 15))
    );
    // 2026-08-15 is a Saturday: Monday the 17th.
    assert_eq!(
        deadline(date(2026, Month::July, 31), weekdays),
        Some(date(2026, Month::August, 17))
    );
    // December's lists are declared in January of the next year.
    assert_eq!(
        deadline(date(2026, Month::December, 31), weekdays),
        Some(date(2027, Month::January, 15))
    );
    // A holiday on the Monday moves it on again.
    let holiday = date(2026, Month::August, 17);
    let calendar = |day: Date| weekdays(day) && day != holiday;
    assert_eq!(
        deadline(date(2026, Month::July, 1), calendar),
        Some(date(2026, Month::August, 18))
    );
}

/// A generated goods line: destination, HS code, currency, quantity, price.
type GeneratedLine = (String, String, String, u32, u32);

/// A generated list: consignor, transport, country, flag and its lines.
type Generated = (String, String, String, String, Vec<GeneratedLine>);

/// A generated list: head fields and lines from small alphabets, so that
/// groups and merged lines happen often.
fn generated() -> impl Strategy<Value = Generated> {
    let code =
        |choices: &'static [&'static str]| prop::sample::select(choices).prop_map(str::to_owned);
    (
        code(&["2224960004", "2224960009"]),
        code(&[ROAD, SEA]),
        code(&[RUS, KOR]),
        code(&["A", "B", "B"]),
        prop::collection::vec(
            (
                code(&[RUS, KOR]),
                code(&[HONEY, SAUCE]),
                code(&[CNY, USD]),
                1u32..50,
                1u32..5000,
            ),
            1..5,
        ),
    )
}

proptest! {
    #[test]
    fn every_summary_list_is_in_one_group_and_nothing_is_lost(months in prop::collection::vec(generated(), 0..40)) {
        let lists: Vec<(String, Inventory)> = months
            .iter()
            .enumerate()
            .map(|(n, (consignor, transport, country, flag, lines))| {
                let lines: Vec<(String, String, String, String, String)> = lines
                    .iter()
                    .map(|(dest, hs, cur, qty, total)| (dest.clone(), hs.clone(), cur.clone(), qty.to_string(), total.to_string()))
                    .collect();
                let borrowed: Vec<(&str, &str, &str, &str, &str)> = lines
                    .iter()
                    .map(|(a, b, c, q, t)| (a.as_str(), b.as_str(), c.as_str(), q.as_str(), t.as_str()))
                    .collect();
                (format!("L{n}"), list(consignor, transport, country, flag, &borrowed))
            })
            .collect();
        let released: Vec<Released<'_>> = lists.iter().map(|(n, l)| Released { invt_no: n, list: l }).collect();
        let summary = group(&released);

        let mut seen: Vec<&str> = summary.groups.iter().flat_map(|g| g.lists.iter().map(String::as_str)).collect();
        seen.extend(summary.statistics_only.iter().map(String::as_str));
        seen.sort_unstable();
        let mut all: Vec<&str> = lists.iter().map(|(n, _)| n.as_str()).collect();
        all.sort_unstable();
        prop_assert_eq!(seen, all, "each list exactly once");

        let mut heads: Vec<_> = summary.groups.iter().map(|g| g.head.clone()).collect();
        heads.dedup();
        prop_assert_eq!(heads.len(), summary.groups.len(), "one group per head");

        let declared: Decimal = lists
            .iter()
            .filter(|(_, l)| l.inventory_head.statistics_flag != "A")
            .flat_map(|(_, l)| l.inventory_list.iter().map(|g| g.total_price))
            .sum();
        let summed: Decimal = summary.groups.iter().flat_map(|g| g.lines.iter().map(|l| l.total_price)).sum();
        prop_assert_eq!(declared, summed, "no price lost or invented");
    }
}
