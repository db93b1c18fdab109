//! The engine's decision on one declaration list whose documents are all
//! in: its own checks, the three-document match, the limits and the tax, in
//! the order of policy-rules.md §10.1, as one pure function.
//!
//! What it does not do is what needs the database: finding the documents,
//! reserving the quota (the ledger re-checks the annual limit atomically,
//! `kuajing_store::quota::reserve`) and recording the decision.

use kuajing_ceb::model::import::{Inventory, InventoryList};
use kuajing_core::ids::HsCode;
use kuajing_reference::tariff::TariffLine;
use rust_decimal::Decimal;
use time::Date;

use crate::allocation::checked_sum;
use crate::error::TaxError;
use crate::limits::{Eligibility, Purchase, Refusal, classify};
use crate::list_checks::{
    Finding, LIST_CHECK_CODE, Outcome, check_list, not_in_tariff, tariff_line_of,
};
use crate::matching::{MISMATCH_CODE, MatchSettings, Mismatch, Parcel, match_parcel};
use crate::settings::{Limits, TaxSettings};
use crate::tax::{LineRates, Quantity, Regime, TaxBill, TaxLine, TaxList, bill, dutiable_values};

/// Everything the engine's rules are tuned by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RuleSettings {
    /// Tax.
    pub tax: TaxSettings,
    /// The three-document match.
    pub matching: MatchSettings,
}

/// One reason of a decision, in both languages, with its official code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// Official receipt code (negative) for a refusal; 0 for a reason to
    /// review.
    pub code: i32,
    /// In Chinese (the receipt's returnInfo).
    pub message_zh: String,
    /// In English.
    pub message_en: String,
}

/// What the engine decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Refused (status 100), with every reason found.
    Refused(Vec<Reason>),
    /// For an officer (status 300): the reasons, and the tax as it would
    /// be if released.
    Review {
        /// Why an officer must look.
        reasons: Vec<Reason>,
        /// The tax bill under the list's regime.
        bill: TaxBill,
    },
    /// Passes every rule: reserve the quota, then release (120 → 399 →
    /// 800) with this tax bill.
    Pass(TaxBill),
}

/// Decides `parcel`, received by the platform on the China day
/// `received_on` (the day it counts as declared, whatever its `declTime`
/// says: `crate::declaration_day`), for a buyer who has used
/// `used_this_year` of the annual limit, with `tariff` the table in force.
pub fn decide<'t>(
    parcel: &Parcel<'_>,
    received_on: Date,
    tariff: impl Fn(&HsCode) -> Option<&'t TariffLine>,
    used_this_year: Decimal,
    limits: &Limits,
    settings: &RuleSettings,
) -> Decision {
    let findings = check_list(parcel.list, received_on, &tariff);
    let mismatches = match_parcel(parcel, &settings.matching);
    let mut refusals: Vec<Reason> = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Refuse)
        .map(finding_reason)
        .chain(mismatches.iter().map(mismatch_reason))
        .collect();
    if !refusals.is_empty() {
        return Decision::Refused(refusals);
    }
    let tax_list = match tax_list(parcel.list, &tariff) {
        Ok(list) => list,
        Err(reason) => return Decision::Refused(vec![reason]),
    };
    let bill = match regime_and_bill(&tax_list, parcel.list, used_this_year, limits, settings) {
        Ok(bill) => bill,
        Err(reason) => {
            refusals.push(reason);
            return Decision::Refused(refusals);
        }
    };
    let reviews: Vec<Reason> = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Review)
        .map(finding_reason)
        .collect();
    if reviews.is_empty() {
        Decision::Pass(bill)
    } else {
        Decision::Review {
            reasons: reviews,
            bill,
        }
    }
}

/// The limits decide the regime; the tax follows.
fn regime_and_bill(
    tax_list: &TaxList,
    list: &Inventory,
    used_this_year: Decimal,
    limits: &Limits,
    settings: &RuleSettings,
) -> Result<TaxBill, Reason> {
    let dutiable = dutiable_values(tax_list, &settings.tax).map_err(tax_reason)?;
    let purchase = Purchase {
        value: checked_sum(&dutiable).map_err(tax_reason)?,
        lines: list.inventory_list.len(),
        first_line_quantity: list.inventory_list.first().map_or(Decimal::ZERO, |l| l.qty),
    };
    let regime = match classify(&purchase, used_this_year, limits, &settings.tax) {
        Eligibility::WithinLimits => Regime::WithinLimits,
        Eligibility::SingleItemInFull => Regime::Full,
        Eligibility::Refused(refusal) => return Err(limit_reason(&refusal)),
    };
    bill(tax_list, dutiable, regime, &settings.tax).map_err(tax_reason)
}

/// The list's lines as the tax sees them (the tariff lines exist: the list
/// checks passed).
fn tax_list<'t>(
    list: &Inventory,
    tariff: &impl Fn(&HsCode) -> Option<&'t TariffLine>,
) -> Result<TaxList, Reason> {
    let lines = list
        .inventory_list
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let rates = tariff_line_of(line, tariff)
                .map(LineRates::from)
                .ok_or_else(|| finding_reason(&not_in_tariff(index + 1, line)))?;
            Ok(TaxLine {
                gnum: u32::try_from(line.gnum).unwrap_or(0),
                value: line.total_price,
                quantities: quantities(line),
                rates,
            })
        })
        .collect::<Result<Vec<_>, Reason>>()?;
    Ok(TaxList {
        lines,
        freight: list.inventory_head.freight,
        insurance: list.inventory_head.insured_fee,
    })
}

/// The declared unit and the legal first and second units, with their
/// quantities.
fn quantities(line: &InventoryList) -> Vec<Quantity> {
    let mut quantities = vec![
        Quantity {
            unit: line.unit.clone(),
            amount: line.qty,
        },
        Quantity {
            unit: line.unit1.clone(),
            amount: line.qty1,
        },
    ];
    if let (Some(unit), Some(amount)) = (&line.unit2, line.qty2) {
        quantities.push(Quantity {
            unit: unit.clone(),
            amount,
        });
    }
    quantities
}

fn finding_reason(finding: &Finding) -> Reason {
    Reason {
        code: match finding.outcome {
            Outcome::Refuse => LIST_CHECK_CODE,
            Outcome::Review => 0,
        },
        message_zh: format!("{}：{}", finding.field, finding.message_zh),
        message_en: format!("{}: {}", finding.field, finding.message_en),
    }
}

fn mismatch_reason(mismatch: &Mismatch) -> Reason {
    Reason {
        code: MISMATCH_CODE,
        message_zh: mismatch.message_zh(),
        message_en: mismatch.message_en(),
    }
}

fn limit_reason(refusal: &Refusal) -> Reason {
    Reason {
        code: refusal.code,
        message_zh: refusal.message_zh(),
        message_en: refusal.message_en(),
    }
}

fn tax_reason(error: TaxError) -> Reason {
    use kuajing_core::error::Localized;
    Reason {
        code: LIST_CHECK_CODE,
        message_zh: error.message_zh(),
        message_en: error.message_en(),
    }
}
