//! Spreading a list's head amounts (freight 运费, insurance 保费) over its
//! goods lines, so that each line has its own dutiable value (完税价格 =
//! price + freight + insurance; 财关税〔2016〕18号, policy-rules.md §1.6).

use kuajing_core::money::round_to_fen;
use rust_decimal::Decimal;

use crate::error::TaxError;
use crate::settings::Allocator;

/// `total` spread over lines of the given `values`, to the fen: one share per
/// value, in order, adding up to `total` exactly.
///
/// Proportional shares are rounded down to the fen first; the fen left over
/// go one each to the lines with the largest remainders, earlier lines first
/// on a tie (the largest-remainder method, so no fen is lost or invented).
/// Lines of zero total value share `total` equally, by the same method.
pub fn allocate(
    allocator: Allocator,
    total: Decimal,
    values: &[Decimal],
) -> Result<Vec<Decimal>, TaxError> {
    match allocator {
        Allocator::ProportionalToValue => proportional(total, values),
    }
}

fn proportional(total: Decimal, values: &[Decimal]) -> Result<Vec<Decimal>, TaxError> {
    if total.is_sign_negative() {
        return Err(TaxError::Negative {
            field: "freight/insurance",
            value: total,
        });
    }
    if let Some(value) = values.iter().find(|v| v.is_sign_negative()) {
        return Err(TaxError::Negative {
            field: "line value",
            value: *value,
        });
    }
    if values.is_empty() {
        return if total.is_zero() {
            Ok(Vec::new())
        } else {
            Err(TaxError::NoLines)
        };
    }
    let total = round_to_fen(total);
    let sum = checked_sum(values)?;
    let weights: Vec<Decimal> = if sum.is_zero() {
        vec![Decimal::ONE; values.len()]
    } else {
        values.to_vec()
    };
    let weight_sum = checked_sum(&weights)?;
    let fen = Decimal::new(1, 2);
    let mut shares = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (index, weight) in weights.iter().enumerate() {
        let exact = total
            .checked_mul(*weight)
            .and_then(|x| x.checked_div(weight_sum))
            .ok_or(TaxError::Overflow)?;
        let floor = (exact / fen).floor() * fen;
        shares.push(floor);
        remainders.push((exact - floor, index));
    }
    let handed_out: Decimal = shares.iter().sum();
    let left_over = ((total - handed_out) / fen).round();
    // Largest remainder first; on a tie the earlier line.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut left = left_over;
    for (_, index) in remainders {
        if left <= Decimal::ZERO {
            break;
        }
        shares[index] += fen;
        left -= Decimal::ONE;
    }
    Ok(shares)
}

/// The sum of `values`, or [`TaxError::Overflow`].
pub(crate) fn checked_sum(values: &[Decimal]) -> Result<Decimal, TaxError> {
    values
        .iter()
        .try_fold(Decimal::ZERO, |sum, v| sum.checked_add(*v))
        .ok_or(TaxError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn spread(total: &str, values: &[&str]) -> Vec<String> {
        let values: Vec<Decimal> = values.iter().map(|v| d(v)).collect();
        allocate(Allocator::ProportionalToValue, d(total), &values)
            .unwrap()
            .iter()
            .map(|s| s.normalize().to_string())
            .collect()
    }

    #[test]
    fn shares_follow_value_and_add_up_exactly() {
        assert_eq!(spread("20", &["300"]), ["20"]);
        assert_eq!(spread("20", &["100", "300"]), ["5", "15"]);
        // 10 / 3 = 3.333…: one fen goes to the first of three equal lines.
        assert_eq!(spread("10", &["1", "1", "1"]), ["3.34", "3.33", "3.33"]);
        // Remainders .666… beat .333…: the larger lines get the fen.
        assert_eq!(spread("1", &["1", "2", "2"]), ["0.2", "0.4", "0.4"]);
        assert_eq!(spread("0.01", &["5", "7"]), ["0", "0.01"]);
    }

    #[test]
    fn zero_value_lines_share_equally_and_bad_input_is_refused() {
        assert_eq!(spread("1", &["0", "0"]), ["0.5", "0.5"]);
        assert_eq!(spread("0", &[]), Vec::<String>::new());
        assert!(allocate(Allocator::ProportionalToValue, d("1"), &[]).is_err());
        assert!(allocate(Allocator::ProportionalToValue, d("-1"), &[d("1")]).is_err());
        assert!(allocate(Allocator::ProportionalToValue, d("1"), &[d("-1")]).is_err());
    }
}
