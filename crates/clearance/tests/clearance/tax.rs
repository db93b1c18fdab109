//! The worked examples of policy-rules.md §1.10, computed by hand there and
//! by the engine here, and the line checks around them.

use kuajing_clearance::TaxError;
use kuajing_clearance::settings::TaxSettings;
use kuajing_clearance::tax::{LineRates, Quantity, Regime, TaxBill, TaxLine, TaxList, assess};
use kuajing_reference::tariff::ConsumptionTax;
use rust_decimal::Decimal;

use crate::{d, one_line, plain, rate};

fn within(list: &TaxList) -> TaxBill {
    assess(list, Regime::WithinLimits, &TaxSettings::default()).unwrap()
}

/// (duty, consumption tax, VAT, total) of a bill, as text.
fn amounts(bill: &TaxBill) -> [String; 4] {
    [bill.duty, bill.consumption, bill.vat, bill.total].map(|a| format!("{a:.2}"))
}

#[test]
fn a_general_goods_within_limits_pay_70_percent_of_vat() {
    // Retail 300 + freight 20 = 320; VAT 41.60 statutory, 29.12 payable.
    let bill = within(&one_line("300", "20", plain("0.05", "0.13"), vec![]));
    assert_eq!(bill.lines[0].dutiable_value, d("320"));
    assert_eq!(amounts(&bill), ["0.00", "0.00", "29.12", "29.12"]);
}

#[test]
fn b_high_end_skin_care_pays_consumption_tax_and_vat_on_it() {
    let rates = LineRates {
        consumption: ConsumptionTax::AdValorem { rate: rate("0.15") },
        ..plain("0", "0.13")
    };
    let bill = within(&one_line("425", "0", rates, vec![]));
    assert_eq!(amounts(&bill), ["0.00", "52.50", "45.50", "98.00"]);
}

#[test]
fn c_lower_rate_goods_pay_70_percent_of_nine_percent() {
    let bill = within(&one_line("200", "0", plain("0", "0.09"), vec![]));
    assert_eq!(amounts(&bill), ["0.00", "0.00", "12.60", "12.60"]);
}

#[test]
fn d_the_over_limit_single_item_pays_everything_in_full() {
    let list = one_line("6000", "0", plain("0.10", "0.13"), vec![]);
    let bill = assess(&list, Regime::Full, &TaxSettings::default()).unwrap();
    assert_eq!(amounts(&bill), ["600.00", "0.00", "858.00", "1458.00"]);
}

#[test]
fn e_wine_rounds_each_tax_on_its_own() {
    // Per-kind rounding gives 89.45; the comprehensive-rate shortcut would
    // give 89.44 (policy-rules.md §1.10 E): the engine rounds per kind.
    let rates = LineRates {
        consumption: ConsumptionTax::AdValorem { rate: rate("0.10") },
        ..plain("0.14", "0.13")
    };
    let bill = within(&one_line("500", "0", rates, vec![]));
    assert_eq!(amounts(&bill), ["0.00", "38.89", "50.56", "89.45"]);
}

#[test]
fn f_spirits_pay_a_compound_consumption_tax() {
    // 700 ml at 1.0 yuan a litre = 0.70 specific (the example's 0.5 per
    // 500 ml); ad valorem 20 % on (400 + 0.70) / 0.8.
    let rates = LineRates {
        consumption: ConsumptionTax::Compound {
            rate: rate("0.20"),
            amount: d("1.0"),
            unit: "095".to_owned(),
        },
        ..plain("0.10", "0.13")
    };
    let litres = vec![
        Quantity {
            unit: "140".to_owned(),
            amount: d("1"),
        },
        Quantity {
            unit: "095".to_owned(),
            amount: d("0.7"),
        },
    ];
    let bill = within(&one_line("400", "0", rates, litres));
    assert_eq!(amounts(&bill), ["0.00", "70.61", "45.58", "116.19"]);
}

#[test]
fn g_beer_pays_a_specific_consumption_tax_per_tonne() {
    // 24 × 0.5 L = 12 L; 988 L = 1 t; 250 yuan a tonne.
    let rates = LineRates {
        consumption: ConsumptionTax::Specific {
            amount: d("250"),
            unit: "070".to_owned(),
        },
        ..plain("0", "0.13")
    };
    let tonnes = vec![Quantity {
        unit: "070".to_owned(),
        amount: d("12") / d("988"),
    }];
    let bill = within(&one_line("150", "0", rates, tonnes));
    assert_eq!(amounts(&bill), ["0.00", "2.13", "13.93", "16.06"]);
}

#[test]
fn freight_and_insurance_reach_every_line_and_totals_are_sums_of_lines() {
    let line = |gnum, value: &str| TaxLine {
        gnum,
        value: d(value),
        quantities: vec![],
        rates: plain("0", "0.13"),
    };
    let list = TaxList {
        lines: vec![line(1, "100"), line(2, "300")],
        freight: d("20"),
        insurance: d("1"),
    };
    let bill = within(&list);
    let dutiable: Vec<Decimal> = bill.lines.iter().map(|l| l.dutiable_value).collect();
    assert_eq!(dutiable, [d("105.25"), d("315.75")]);
    assert_eq!(bill.dutiable_value, d("421"));
    // 105.25 × 0.091 = 9.57775 → 9.58; 315.75 × 0.091 = 28.73325 → 28.73.
    assert_eq!(bill.lines[0].vat, d("9.58"));
    assert_eq!(bill.lines[1].vat, d("28.73"));
    assert_eq!(bill.vat, d("38.31"));
}

#[test]
fn a_specific_tax_without_a_quantity_in_its_unit_is_an_error() {
    let rates = LineRates {
        consumption: ConsumptionTax::Specific {
            amount: d("250"),
            unit: "070".to_owned(),
        },
        ..plain("0", "0.13")
    };
    let litres = vec![Quantity {
        unit: "095".to_owned(),
        amount: d("12"),
    }];
    let list = one_line("150", "0", rates, litres);
    assert_eq!(
        assess(&list, Regime::WithinLimits, &TaxSettings::default()),
        Err(TaxError::NoQuantityInUnit {
            gnum: 1,
            unit: "070".to_owned()
        })
    );
}

#[test]
fn negative_and_overflowing_amounts_are_errors() {
    let negative = one_line("-1", "0", plain("0", "0.13"), vec![]);
    assert!(matches!(
        assess(&negative, Regime::WithinLimits, &TaxSettings::default()),
        Err(TaxError::Negative { .. })
    ));
    let rates = LineRates {
        consumption: ConsumptionTax::Specific {
            amount: Decimal::MAX,
            unit: "070".to_owned(),
        },
        ..plain("0", "0.13")
    };
    let huge = one_line(
        "1",
        "0",
        rates,
        vec![Quantity {
            unit: "070".to_owned(),
            amount: Decimal::MAX,
        }],
    );
    assert_eq!(
        assess(&huge, Regime::Full, &TaxSettings::default()),
        Err(TaxError::Overflow)
    );
}
