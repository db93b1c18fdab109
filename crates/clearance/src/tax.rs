//! The tax on a retail import list (电子税单, sent as CEB816): duty (关税),
//! consumption tax (消费税: ad valorem, specific or compound) and import VAT
//! (增值税), per goods line, from the tariff table.
//!
//! Formulas: policy-rules.md §1.6. Within the limits duty is 0 and the VAT
//! and consumption tax payable are 70 % of the statutory amounts, the VAT
//! base including the *full* statutory consumption tax (财关税〔2016〕18号);
//! the over-limit single item pays everything in full (财关税〔2018〕49号).
//! Rounding: each tax kind of each line once, half up to the fen, and head
//! totals as sums of lines (§1.7 and [`TaxRounding`]).

use kuajing_core::money::round_to_fen;
use kuajing_reference::tariff::{ConsumptionTax, TariffLine};
use rust_decimal::Decimal;

use crate::allocation::{allocate, checked_sum};
use crate::error::TaxError;
use crate::settings::{TaxRounding, TaxSettings};

/// The rates that tax one goods line, as the tariff table gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRates {
    /// Duty rate (ad valorem; the most-favoured-nation rate of the line).
    pub duty: Decimal,
    /// Import VAT rate (13 % general, 9 % lower rate).
    pub vat: Decimal,
    /// How consumption tax is levied.
    pub consumption: ConsumptionTax,
}

impl From<&TariffLine> for LineRates {
    fn from(line: &TariffLine) -> Self {
        LineRates {
            duty: line.mfn_duty_rate.value(),
            vat: line.vat_rate.value(),
            consumption: line.consumption_tax.clone(),
        }
    }
}

/// A quantity declared on a line, in one unit (the declared unit and the
/// legal first and second units: `unit`/`qty`, `unit1`/`qty1`,
/// `unit2`/`qty2` of CEB621).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// Measurement-unit code (计量单位代码, e.g. `095` litre, `035` kilogram).
    pub unit: String,
    /// How many.
    pub amount: Decimal,
}

/// One goods line to tax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxLine {
    /// The line's number in the list (gnum).
    pub gnum: u32,
    /// Its declared total price in CNY (totalPrice), before freight and
    /// insurance.
    pub value: Decimal,
    /// Its declared quantities, for a consumption tax per unit.
    pub quantities: Vec<Quantity>,
    /// Its rates.
    pub rates: LineRates,
}

/// A list to tax: its lines and the head amounts spread over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxList {
    /// The goods lines, in list order.
    pub lines: Vec<TaxLine>,
    /// Freight declared at the list head, CNY.
    pub freight: Decimal,
    /// Insurance declared at the list head, CNY.
    pub insurance: Decimal,
}

/// Which tax regime a list falls under (decided by [`crate::limits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regime {
    /// Within the limits: duty 0, VAT and consumption tax at the settings'
    /// factor (70 %) of the statutory amounts.
    WithinLimits,
    /// The over-limit single item: everything at the full statutory amount.
    Full,
}

/// The tax of one line, each kind rounded to the fen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTax {
    /// The line's number.
    pub gnum: u32,
    /// Dutiable value (完税价格, taxPrice): value + its share of freight and
    /// insurance, to the fen.
    pub dutiable_value: Decimal,
    /// Duty payable (customsTax).
    pub duty: Decimal,
    /// Consumption tax payable (consumptionTax).
    pub consumption: Decimal,
    /// Import VAT payable (valueAddedTax).
    pub vat: Decimal,
}

impl LineTax {
    /// Duty + consumption tax + VAT (saturating: each was computed with
    /// overflow checks, their sum cannot reasonably reach the limit).
    pub fn total(&self) -> Decimal {
        self.duty
            .saturating_add(self.consumption)
            .saturating_add(self.vat)
    }
}

/// A list's tax bill: per line, and the head totals (sums of the lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxBill {
    /// The regime it was computed under.
    pub regime: Regime,
    /// One entry per goods line, in list order.
    pub lines: Vec<LineTax>,
    /// Dutiable value of the list (sum of the lines'); what the annual
    /// quota counts (policy-rules.md §1.2, "what is counted").
    pub dutiable_value: Decimal,
    /// Total duty (customsTax of the CEB816 head).
    pub duty: Decimal,
    /// Total consumption tax.
    pub consumption: Decimal,
    /// Total VAT.
    pub vat: Decimal,
    /// Duty + consumption tax + VAT (taxTotal).
    pub total: Decimal,
}

/// The dutiable value of each line: its value plus its shares of freight
/// and insurance, to the fen.
pub fn dutiable_values(list: &TaxList, settings: &TaxSettings) -> Result<Vec<Decimal>, TaxError> {
    let values: Vec<Decimal> = list.lines.iter().map(|line| line.value).collect();
    let freight = allocate(settings.allocator, list.freight, &values)?;
    let insurance = allocate(settings.allocator, list.insurance, &values)?;
    values
        .iter()
        .zip(freight.iter().zip(&insurance))
        .map(|(value, (freight, insurance))| {
            let sum = checked_sum(&[*value, *freight, *insurance])?;
            Ok(round_to_fen(sum))
        })
        .collect()
}

/// The tax bill of `list` under `regime`.
pub fn assess(list: &TaxList, regime: Regime, settings: &TaxSettings) -> Result<TaxBill, TaxError> {
    let dutiable = dutiable_values(list, settings)?;
    bill(list, dutiable, regime, settings)
}

/// The tax bill of `list` under `regime`, its lines' dutiable values
/// already computed by [`dutiable_values`] (the limits need them first to
/// choose the regime: no need to spread freight twice).
pub fn bill(
    list: &TaxList,
    dutiable: Vec<Decimal>,
    regime: Regime,
    settings: &TaxSettings,
) -> Result<TaxBill, TaxError> {
    let lines = list
        .lines
        .iter()
        .zip(dutiable)
        .map(|(line, dutiable_value)| line_tax(line, dutiable_value, regime, settings))
        .collect::<Result<Vec<_>, _>>()?;
    let sum_of =
        |kind: fn(&LineTax) -> Decimal| checked_sum(&lines.iter().map(kind).collect::<Vec<_>>());
    let duty = sum_of(|l| l.duty)?;
    let consumption = sum_of(|l| l.consumption)?;
    let vat = sum_of(|l| l.vat)?;
    Ok(TaxBill {
        regime,
        dutiable_value: sum_of(|l| l.dutiable_value)?,
        total: checked_sum(&[duty, consumption, vat])?,
        duty,
        consumption,
        vat,
        lines,
    })
}

/// The statutory amounts of one line (exact, before any factor or rounding).
struct Statutory {
    duty: Decimal,
    consumption: Decimal,
    vat: Decimal,
}

/// The tax of one line with dutiable value `p`.
fn line_tax(
    line: &TaxLine,
    p: Decimal,
    regime: Regime,
    settings: &TaxSettings,
) -> Result<LineTax, TaxError> {
    if line.value.is_sign_negative() {
        return Err(TaxError::Negative {
            field: "line value",
            value: line.value,
        });
    }
    let (duty, consumption, vat) = match regime {
        Regime::Full => {
            let full = statutory(line, p, line.rates.duty)?;
            (full.duty, full.consumption, full.vat)
        }
        Regime::WithinLimits => {
            // Duty 0 %; VAT base = P + the full statutory consumption tax.
            let full = statutory(line, p, Decimal::ZERO)?;
            let factor = settings.within_limits_factor;
            (
                Decimal::ZERO,
                mul(full.consumption, factor)?,
                mul(full.vat, factor)?,
            )
        }
    };
    let round = match settings.rounding {
        TaxRounding::PerLinePerKind => round_to_fen,
    };
    Ok(LineTax {
        gnum: line.gnum,
        dutiable_value: p,
        duty: round(duty),
        consumption: round(consumption),
        vat: round(vat),
    })
}

/// Duty `P × d`; consumption tax ad valorem `(P + D) / (1 − c) × c`,
/// specific `q × u`, compound `(P + D + q×u) / (1 − c) × c + q×u`; VAT
/// `(P + D + CT) × v` (policy-rules.md §1.6).
fn statutory(line: &TaxLine, p: Decimal, duty_rate: Decimal) -> Result<Statutory, TaxError> {
    let duty = mul(p, duty_rate)?;
    let base = add(p, duty)?;
    let consumption = match &line.rates.consumption {
        ConsumptionTax::None => Decimal::ZERO,
        ConsumptionTax::AdValorem { rate } => ad_valorem(line.gnum, base, rate.value())?,
        ConsumptionTax::Specific { amount, unit } => specific(line, *amount, unit)?,
        ConsumptionTax::Compound { rate, amount, unit } => {
            let specific = specific(line, *amount, unit)?;
            add(
                ad_valorem(line.gnum, add(base, specific)?, rate.value())?,
                specific,
            )?
        }
    };
    let vat = mul(add(base, consumption)?, line.rates.vat)?;
    Ok(Statutory {
        duty,
        consumption,
        vat,
    })
}

/// `base / (1 − c) × c`: the consumption tax on a composite price.
fn ad_valorem(gnum: u32, base: Decimal, rate: Decimal) -> Result<Decimal, TaxError> {
    let keep = Decimal::ONE - rate;
    if keep <= Decimal::ZERO {
        return Err(TaxError::RateNotBelowOne { gnum, rate });
    }
    mul(base.checked_div(keep).ok_or(TaxError::Overflow)?, rate)
}

/// `q × u`, with `q` the line's quantity in the unit `u` is per.
fn specific(line: &TaxLine, amount: Decimal, unit: &str) -> Result<Decimal, TaxError> {
    let quantity = line
        .quantities
        .iter()
        .find(|q| q.unit == unit)
        .ok_or_else(|| TaxError::NoQuantityInUnit {
            gnum: line.gnum,
            unit: unit.to_owned(),
        })?;
    if quantity.amount.is_sign_negative() {
        return Err(TaxError::Negative {
            field: "quantity",
            value: quantity.amount,
        });
    }
    mul(quantity.amount, amount)
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, TaxError> {
    a.checked_mul(b).ok_or(TaxError::Overflow)
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, TaxError> {
    a.checked_add(b).ok_or(TaxError::Overflow)
}
