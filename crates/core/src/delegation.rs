//! Delegated declaration (委托申报): which customs documents an enterprise
//! may transmit for another.
//!
//! A customs document may be declared only by an enterprise it names in
//! the sender's role — an order by its platform (`ebpCode`) or e-commerce
//! enterprise (`ebcCode`), a payment by its payment company (`payCode`), a
//! waybill by its logistics company (`logisticsCode`), a list by its
//! declarer (`agentCode`) or e-commerce enterprise (`ebcCode`), a site's
//! report by its operator (`operatorCode`) — or by an enterprise that party
//! has delegated to (issue #14, finding 1). The CEB `copCode` is the
//! transmitting enterprise (ceb-messages.md §2.1: "must match the identity
//! of the access client"), which is why a delegate transmits under its own
//! code and names the party in the document.
//!
//! A delegation is granted and revoked by the party (the principal, 委托方)
//! for one [`Scope`]; this module says which scopes there are and which
//! roles a principal must hold to delegate each.

use std::fmt;
use std::str::FromStr;

use crate::role::{Role, RoleSet};

/// What a delegation lets the agent declare for the principal: a family of
/// documents in which the principal is named in one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Orders and export orders or bookings (CEB311, CEB303) naming the
    /// principal as `ebpCode` or `ebcCode`.
    Orders,
    /// Payments and export receipts of payment (CEB411, CEB403) naming the
    /// principal as `payCode`.
    Payments,
    /// Waybills, export waybills, waybill statuses and departures (CEB511,
    /// CEB505, CEB513, CEB509) naming the principal as `logisticsCode`.
    Waybills,
    /// Declaration lists, export lists, their cancellations and returns,
    /// master/sub-waybill lists and summary applications (CEB621, CEB603,
    /// CEB623, CEB625, CEB605, CEB607, CEB213, CEB701) naming the principal
    /// as `agentCode` or `ebcCode`.
    Lists,
    /// A supervised site's reports — arrivals, warehouse-entry lists, tally
    /// details (CEB507, CEB711, CEB215) — naming the principal as
    /// `operatorCode`.
    Site,
}

impl Scope {
    /// Every scope, in the order pages show them.
    pub const ALL: [Scope; 5] = [
        Scope::Orders,
        Scope::Payments,
        Scope::Waybills,
        Scope::Lists,
        Scope::Site,
    ];

    /// The stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Orders => "orders",
            Scope::Payments => "payments",
            Scope::Waybills => "waybills",
            Scope::Lists => "lists",
            Scope::Site => "site",
        }
    }

    /// The roles that name an enterprise in this scope's documents: a
    /// principal must hold one of them to delegate the scope (a payment
    /// company delegates payments, not lists).
    pub fn principal_roles(self) -> &'static [Role] {
        match self {
            Scope::Orders => &[Role::Ebp, Role::Ebc],
            Scope::Payments => &[Role::Payment],
            Scope::Waybills => &[Role::Logistics],
            Scope::Lists => &[Role::Declarer, Role::Ebc],
            Scope::Site => &[Role::Warehouse, Role::Logistics],
        }
    }

    /// Whether an organisation holding `roles` may delegate this scope.
    pub fn delegable_by(self, roles: RoleSet) -> bool {
        self.principal_roles().iter().any(|r| roles.contains(*r))
    }

    /// The name in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            Scope::Orders => "订单（CEB311/CEB303）",
            Scope::Payments => "支付单、收款单（CEB411/CEB403）",
            Scope::Waybills => "运单及其状态、离境单（CEB511/513/505/509）",
            Scope::Lists => "清单及其撤销、退货、汇总（CEB621/603/623/625/605/607/213/701）",
            Scope::Site => "场所报文：运抵、入库明细、理货（CEB507/711/215）",
        }
    }

    /// The name in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Scope::Orders => "Orders (CEB311/CEB303)",
            Scope::Payments => "Payments and receipts of payment (CEB411/CEB403)",
            Scope::Waybills => "Waybills, their statuses and departures (CEB511/513/505/509)",
            Scope::Lists => {
                "Lists, their cancellations, returns and summaries (CEB621/603/623/625/605/607/213/701)"
            }
            Scope::Site => "Site reports: arrivals, entry lists, tallies (CEB507/711/215)",
        }
    }

    /// The name in Russian.
    pub fn label_ru(self) -> &'static str {
        match self {
            Scope::Orders => "Заказы (CEB311/CEB303)",
            Scope::Payments => "Платежи и подтверждения оплаты (CEB411/CEB403)",
            Scope::Waybills => "Накладные, их статусы и убытие (CEB511/513/505/509)",
            Scope::Lists => {
                "Перечни, их отмены, возвраты и сводные декларации (CEB621/603/623/625/605/607/213/701)"
            }
            Scope::Site => "Сообщения площадки: прибытие, приёмка, сверка (CEB507/711/215)",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scope name that is not one of [`Scope::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown delegation scope '{0}' (orders, payments, waybills, lists, site)")]
pub struct UnknownScope(pub String);

impl FromStr for Scope {
    type Err = UnknownScope;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s)
            .ok_or_else(|| UnknownScope(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for scope in Scope::ALL {
            assert_eq!(scope.as_str().parse::<Scope>(), Ok(scope));
        }
        assert!("Orders".parse::<Scope>().is_err());
        assert!("".parse::<Scope>().is_err());
    }

    #[test]
    fn only_a_party_of_the_role_delegates_it() {
        let payment = RoleSet::EMPTY.with(Role::Payment);
        assert!(Scope::Payments.delegable_by(payment));
        assert!(!Scope::Lists.delegable_by(payment));
        let ebc = RoleSet::EMPTY.with(Role::Ebc);
        assert!(Scope::Orders.delegable_by(ebc));
        assert!(Scope::Lists.delegable_by(ebc));
        assert!(!Scope::Waybills.delegable_by(ebc));
        assert!(!Scope::Site.delegable_by(RoleSet::EMPTY.with(Role::Customs)));
    }
}
