//! Quantities of goods as exact integers: 1/[`UNIT_SCALE`] of the unit.
//! CEB quantities (`qty`, decimal 19,5) carry at most five decimals, so a
//! bonded account book (电子账册) keeps stock as such integers and compares
//! it in SQL, exactly, with no rounding anywhere.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Quantities are integers of 1/`UNIT_SCALE` of their unit.
pub const UNIT_SCALE: i64 = 100_000;

/// A positive quantity in 1/[`UNIT_SCALE`] units; `None` for zero, a
/// negative quantity, more than five decimals, or one out of range.
pub fn units(qty: Decimal) -> Option<i64> {
    if qty <= Decimal::ZERO {
        return None;
    }
    let scaled = qty.checked_mul(Decimal::from(UNIT_SCALE))?;
    if !scaled.fract().is_zero() {
        return None;
    }
    scaled.to_i64()
}

/// A quantity in 1/[`UNIT_SCALE`] units as a decimal of the unit, without
/// trailing zeros (`250000` → `2.5`).
pub fn display_units(quantity: i64) -> String {
    (Decimal::from(quantity) / Decimal::from(UNIT_SCALE))
        .normalize()
        .to_string()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn quantities_are_exact_in_hundred_thousandths() {
        assert_eq!(units(Decimal::new(2, 0)), Some(200_000));
        assert_eq!(units(Decimal::new(123_456, 5)), Some(123_456));
        assert_eq!(units(Decimal::new(1, 6)), None, "six decimals");
        assert_eq!(units(Decimal::ZERO), None);
        assert_eq!(units(Decimal::new(-1, 0)), None);
        assert_eq!(display_units(250_000), "2.5");
        assert_eq!(display_units(-50_000), "-0.5");
    }

    proptest! {
        #[test]
        fn units_and_display_round_trip(n in 1_i64..1_000_000_000_000) {
            let qty: Decimal = display_units(n).parse().unwrap();
            prop_assert_eq!(units(qty), Some(n));
        }
    }
}
