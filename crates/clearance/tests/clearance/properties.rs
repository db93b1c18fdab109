//! Properties of the money rules over generated lists: nothing lost or
//! invented by allocation and rounding, totals that are sums of lines, the
//! 70 % regime never dearer than full tax, and limits that are monotone.

use kuajing_clearance::allocation::allocate;
use kuajing_clearance::limits::{Eligibility, Purchase, classify};
use kuajing_clearance::settings::{Allocator, LimitSchedule, TaxSettings};
use kuajing_clearance::tax::{LineRates, Quantity, Regime, TaxLine, TaxList, assess};
use kuajing_core::money::round_to_fen;
use kuajing_reference::rate::Rate;
use kuajing_reference::tariff::ConsumptionTax;
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::macros::date;

/// An amount in fen up to 10,000,000 yuan, as yuan.
fn yuan() -> impl Strategy<Value = Decimal> {
    (0i64..1_000_000_000).prop_map(|fen| Decimal::new(fen, 2))
}

/// A rate in thousandths below `max_thousandths`.
fn rate(max_thousandths: i64) -> impl Strategy<Value = Decimal> {
    (0..max_thousandths).prop_map(|t| Decimal::new(t, 3))
}

fn consumption() -> impl Strategy<Value = ConsumptionTax> {
    let as_rate = |r: Decimal| Rate::parse_below(&r.to_string(), Decimal::ONE).unwrap();
    prop_oneof![
        Just(ConsumptionTax::None),
        rate(600).prop_map(move |r| ConsumptionTax::AdValorem { rate: as_rate(r) }),
        (0i64..100_000).prop_map(|a| ConsumptionTax::Specific {
            amount: Decimal::new(a, 3),
            unit: "095".to_owned(),
        }),
        (rate(600), 0i64..100_000).prop_map(move |(r, a)| ConsumptionTax::Compound {
            rate: as_rate(r),
            amount: Decimal::new(a, 3),
            unit: "095".to_owned(),
        }),
    ]
}

fn line() -> impl Strategy<Value = (Decimal, LineRates, Decimal)> {
    (
        yuan(),
        rate(500),
        prop_oneof![Just(Decimal::new(13, 2)), Just(Decimal::new(9, 2))],
        consumption(),
        (0i64..100_000).prop_map(|q| Decimal::new(q, 2)),
    )
        .prop_map(|(value, duty, vat, consumption, litres)| {
            (
                value,
                LineRates {
                    duty,
                    vat,
                    consumption,
                },
                litres,
            )
        })
}

fn list() -> impl Strategy<Value = TaxList> {
    (prop::collection::vec(line(), 1..8), yuan(), yuan()).prop_map(|(lines, freight, insurance)| {
        TaxList {
            lines: lines
                .into_iter()
                .enumerate()
                .map(|(i, (value, rates, litres))| TaxLine {
                    gnum: u32::try_from(i + 1).unwrap(),
                    value,
                    quantities: vec![Quantity {
                        unit: "095".to_owned(),
                        amount: litres,
                    }],
                    rates,
                })
                .collect(),
            freight,
            insurance,
        }
    })
}

proptest! {
    #[test]
    fn allocation_hands_out_exactly_the_total_close_to_proportion(
        total in yuan(),
        values in prop::collection::vec(yuan(), 1..12),
    ) {
        let shares = allocate(Allocator::ProportionalToValue, total, &values).unwrap();
        prop_assert_eq!(shares.len(), values.len());
        prop_assert_eq!(shares.iter().sum::<Decimal>(), round_to_fen(total));
        let sum: Decimal = values.iter().sum();
        for (share, value) in shares.iter().zip(&values) {
            prop_assert!(!share.is_sign_negative());
            prop_assert_eq!(*share, round_to_fen(*share));
            if !sum.is_zero() {
                let exact = total * *value / sum;
                prop_assert!((*share - exact).abs() < Decimal::new(1, 2));
            }
        }
    }

    #[test]
    fn a_bill_is_the_sum_of_its_lines_and_the_70_percent_regime_is_never_dearer(
        list in list(),
    ) {
        let settings = TaxSettings::default();
        let within = assess(&list, Regime::WithinLimits, &settings).unwrap();
        let full = assess(&list, Regime::Full, &settings).unwrap();
        for bill in [&within, &full] {
            prop_assert_eq!(bill.lines.len(), list.lines.len());
            prop_assert_eq!(bill.duty, bill.lines.iter().map(|l| l.duty).sum::<Decimal>());
            prop_assert_eq!(bill.vat, bill.lines.iter().map(|l| l.vat).sum::<Decimal>());
            prop_assert_eq!(
                bill.consumption,
                bill.lines.iter().map(|l| l.consumption).sum::<Decimal>()
            );
            prop_assert_eq!(bill.total, bill.duty + bill.consumption + bill.vat);
            let declared: Decimal =
                list.lines.iter().map(|l| l.value).sum::<Decimal>() + list.freight + list.insurance;
            prop_assert_eq!(bill.dutiable_value, round_to_fen(declared));
            for line in &bill.lines {
                for amount in [line.duty, line.consumption, line.vat] {
                    prop_assert!(!amount.is_sign_negative());
                    prop_assert_eq!(amount, round_to_fen(amount));
                }
            }
        }
        prop_assert!(within.duty.is_zero());
        for (w, f) in within.lines.iter().zip(&full.lines) {
            prop_assert!(w.total() <= f.total());
        }
    }

    #[test]
    fn ad_valorem_tax_within_limits_matches_the_comprehensive_rate_to_a_fen_a_kind(
        value in yuan(),
        c in rate(600),
        vat in prop_oneof![Just(Decimal::new(13, 2)), Just(Decimal::new(9, 2))],
    ) {
        let consumption = if c.is_zero() {
            ConsumptionTax::None
        } else {
            ConsumptionTax::AdValorem { rate: Rate::parse_below(&c.to_string(), Decimal::ONE).unwrap() }
        };
        let list = TaxList {
            lines: vec![TaxLine {
                gnum: 1,
                value,
                quantities: vec![],
                rates: LineRates { duty: Decimal::ZERO, vat, consumption },
            }],
            freight: Decimal::ZERO,
            insurance: Decimal::ZERO,
        };
        let bill = assess(&list, Regime::WithinLimits, &TaxSettings::default()).unwrap();
        // r = (c + v) / (1 − c) × 70 % (policy-rules.md §1.6).
        let comprehensive = value * (c + vat) / (Decimal::ONE - c) * Decimal::new(7, 1);
        prop_assert!((bill.total - comprehensive).abs() <= Decimal::new(1, 2));
    }

    #[test]
    fn a_buyer_who_has_used_less_is_never_refused_where_one_who_used_more_passes(
        value in yuan(),
        lines in 1usize..4,
        used in yuan(),
        less in yuan(),
    ) {
        let limits = *LimitSchedule::published().on(date!(2026 - 01 - 01)).unwrap();
        let settings = TaxSettings::default();
        let purchase = Purchase { value, lines, first_line_quantity: Decimal::ONE };
        let lower = used.min(less);
        let passes = |u| !matches!(classify(&purchase, u, &limits, &settings), Eligibility::Refused(_));
        if passes(used) {
            prop_assert!(passes(lower));
        }
        let within = value <= limits.single_transaction && used + value <= limits.annual;
        prop_assert_eq!(
            classify(&purchase, used, &limits, &settings) == Eligibility::WithinLimits,
            within
        );
    }
}
