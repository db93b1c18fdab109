//! Money (金额): an exact decimal amount with its currency beside it, never a
//! float (DESIGN.md, "Storage and scale"), and the one rounding rule for
//! customs money.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

/// A currency by its ISO 4217 alphabetic code (`CNY`, `RUB`, `KRW`, …).
///
/// The customs messages carry the numeric customs code instead (`142` for
/// CNY, ceb-messages.md code list 币制); the mapping between the two lives
/// with the code lists in `kuajing-reference`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The renminbi, the currency of every dutiable value and tax amount.
    pub const CNY: Currency = Currency(*b"CNY");

    /// Parses three upper-case ASCII letters.
    pub fn parse(code: &str) -> Option<Currency> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Currency(bytes))
    }

    /// The alphabetic code.
    pub fn code(&self) -> &str {
        // Only ASCII letters are ever stored (see `parse` and `CNY`).
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount of money in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// `amount` of `currency`, exactly as given.
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// `amount` yuan.
    pub fn cny(amount: Decimal) -> Money {
        Money::new(amount, Currency::CNY)
    }

    /// Zero yuan.
    pub fn zero_cny() -> Money {
        Money::cny(Decimal::ZERO)
    }

    /// The amount.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The sum, if both are in the same currency (adding yuan to roubles is
    /// a bug, never a number).
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.amount.checked_add(other.amount))
            .flatten()
            .map(|amount| Money::new(amount, self.currency))
    }

    /// The amount rounded to the fen (0.01), half up: see [`round_to_fen`].
    pub fn round_to_fen(self) -> Money {
        Money::new(round_to_fen(self.amount), self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Rounds to the fen (分, 0.01), half up (四舍五入): dutiable values and tax
/// amounts are "computed to the fen, rounded half up" (GACC Order 124
/// art. 16; policy-rules.md §1.7). Amounts here are never negative, so
/// half-up and half-away-from-zero agree.
pub fn round_to_fen(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// An amount in whole fen (分), for storage as an integer (the store keeps
/// money as integer minor units): `None` if it has a fraction of a fen or
/// does not fit.
pub fn to_fen(amount: Decimal) -> Option<i64> {
    let fen = amount.checked_mul(Decimal::ONE_HUNDRED)?;
    if !fen.fract().is_zero() {
        return None;
    }
    i64::try_from(fen).ok()
}

/// An amount of whole fen as yuan with two decimals.
pub fn from_fen(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn fen_rounding_is_half_up() {
        assert_eq!(round_to_fen(d("38.88889")), d("38.89"));
        assert_eq!(round_to_fen(d("45.579625")), d("45.58"));
        assert_eq!(round_to_fen(d("0.005")), d("0.01"));
        assert_eq!(round_to_fen(d("0.00499")), d("0.00"));
        assert_eq!(round_to_fen(d("12.6")), d("12.60"));
    }

    #[test]
    fn fen_are_exact_or_refused() {
        assert_eq!(to_fen(d("26000")), Some(2_600_000));
        assert_eq!(to_fen(d("0.01")), Some(1));
        assert_eq!(to_fen(d("12.345")), None);
        assert_eq!(to_fen(Decimal::MAX), None);
        assert_eq!(from_fen(2_600_001), d("26000.01"));
        assert_eq!(to_fen(from_fen(-5)), Some(-5));
    }

    #[test]
    fn currencies_do_not_mix() {
        let rub = Currency::parse("RUB").unwrap();
        assert_eq!(Currency::parse("rub"), None);
        assert_eq!(Currency::parse("CNYX"), None);
        let yuan = Money::cny(d("1.50"));
        assert_eq!(
            yuan.checked_add(Money::cny(d("2"))),
            Some(Money::cny(d("3.50")))
        );
        assert_eq!(yuan.checked_add(Money::new(d("2"), rub)), None);
        assert_eq!(yuan.to_string(), "1.50 CNY");
    }
}
