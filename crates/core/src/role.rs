//! Roles an organisation holds in the zone. Enterprises (企业) file and send
//! business documents; agencies (监管部门及服务机构) read what their role entitles
//! them to; the zone administration (综试区管委会) manages organisations.
//!
//! The names (`ebp`, `market-regulation`, …) are the contract used by the
//! `kuajing enterprise add --roles` flag and the JSON API.

use std::fmt;
use std::str::FromStr;

/// Whether a role belongs to an enterprise or to an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoleKind {
    /// A business that files and sends documents.
    Enterprise,
    /// A government agency or regulated service body that reads shared records.
    Agency,
}

macro_rules! roles {
    ($( $variant:ident = $name:literal, $kind:ident, $zh:literal, $en:literal, $ru:literal; )*) => {
        /// A role an organisation can hold.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Role {
            $(
                #[doc = concat!($zh, " — ", $en)]
                $variant,
            )*
        }

        impl Role {
            /// Every role, enterprises first, in a stable order.
            pub const ALL: &'static [Role] = &[$(Role::$variant),*];

            /// The contract name, e.g. `market-regulation`.
            pub fn as_str(self) -> &'static str {
                match self { $(Role::$variant => $name),* }
            }

            /// Enterprise or agency.
            pub fn kind(self) -> RoleKind {
                match self { $(Role::$variant => RoleKind::$kind),* }
            }

            /// Name in Chinese.
            pub fn label_zh(self) -> &'static str {
                match self { $(Role::$variant => $zh),* }
            }

            /// Name in English.
            pub fn label_en(self) -> &'static str {
                match self { $(Role::$variant => $en),* }
            }

            /// Name in Russian.
            pub fn label_ru(self) -> &'static str {
                match self { $(Role::$variant => $ru),* }
            }
        }

        impl FromStr for Role {
            type Err = UnknownRole;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok(Role::$variant),)*
                    other => Err(UnknownRole(other.to_owned())),
                }
            }
        }
    };
}

roles! {
    Ebp = "ebp", Enterprise, "电商平台", "E-commerce platform", "Платформа электронной торговли";
    Ebc = "ebc", Enterprise, "电商企业", "E-commerce enterprise", "Предприятие электронной торговли";
    Payment = "payment", Enterprise, "支付企业", "Payment company", "Платёжная компания";
    Logistics = "logistics", Enterprise, "物流企业", "Logistics company", "Логистическая компания";
    Declarer = "declarer", Enterprise, "申报企业", "Customs declarer", "Таможенный представитель";
    Warehouse = "warehouse", Enterprise, "区内仓储企业", "Bonded warehouse operator", "Оператор таможенного склада";
    BorderTrader = "border-trader", Enterprise, "互市商户", "Border trader", "Участник приграничной торговли";
    Customs = "customs", Agency, "海关", "Customs", "Таможня";
    Tax = "tax", Agency, "税务", "Taxation", "Налоговая служба";
    Forex = "forex", Agency, "外汇管理", "Foreign exchange", "Валютный контроль";
    Commerce = "commerce", Agency, "商务", "Commerce", "Коммерция";
    MarketRegulation = "market-regulation", Agency, "市场监管", "Market regulation", "Надзор за рынком";
    Post = "post", Agency, "邮政管理", "Postal administration", "Почтовое управление";
    Transport = "transport", Agency, "交通运输", "Transport", "Транспорт";
    Bank = "bank", Agency, "银行", "Bank", "Банк";
    Insurance = "insurance", Agency, "保险", "Insurance", "Страхование";
    ZoneAdmin = "zone-admin", Agency, "综试区管委会", "Zone administration", "Администрация зоны";
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Role {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Role {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// A role name that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{0}'; known roles: {known}", known = known_roles())]
pub struct UnknownRole(pub String);

fn known_roles() -> String {
    Role::ALL
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl crate::error::Localized for UnknownRole {
    fn code(&self) -> &'static str {
        "ROLE_UNKNOWN"
    }
    fn message_zh(&self) -> String {
        format!("未知角色“{}”；可用角色：{}", self.0, known_roles())
    }
    fn message_en(&self) -> String {
        self.to_string()
    }
}

/// A set of roles, as an organisation holds them. Small and `Copy`: a bit per
/// role.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RoleSet(u32);

impl RoleSet {
    /// The empty set.
    pub const EMPTY: RoleSet = RoleSet(0);

    /// Whether the set holds `role`.
    pub fn contains(self, role: Role) -> bool {
        self.0 & bit(role) != 0
    }

    /// The set with `role` added.
    #[must_use]
    pub fn with(self, role: Role) -> RoleSet {
        RoleSet(self.0 | bit(role))
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether any role in the set is an agency role.
    pub fn has_agency_role(self) -> bool {
        self.iter().any(|r| r.kind() == RoleKind::Agency)
    }

    /// The roles in [`Role::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.iter().copied().filter(move |r| self.contains(*r))
    }

    /// Parses a comma-separated list such as `ebp,ebc`. Spaces around names
    /// are ignored; an empty list or an unknown name is an error.
    pub fn parse_list(list: &str) -> Result<RoleSet, UnknownRole> {
        let mut set = RoleSet::EMPTY;
        for name in list.split(',') {
            set = set.with(name.trim().parse()?);
        }
        Ok(set)
    }
}

fn bit(role: Role) -> u32 {
    1 << (role as u32)
}

impl FromIterator<Role> for RoleSet {
    fn from_iter<I: IntoIterator<Item = Role>>(iter: I) -> Self {
        iter.into_iter().fold(RoleSet::EMPTY, RoleSet::with)
    }
}

impl fmt::Debug for RoleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for RoleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Role::as_str).collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for &role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert_eq!(Role::ALL.len(), 17);
    }

    #[test]
    fn parses_a_list_and_names_the_unknown_role() {
        let set = RoleSet::parse_list("ebp, ebc").unwrap();
        assert!(set.contains(Role::Ebp) && set.contains(Role::Ebc));
        assert!(!set.contains(Role::Customs));
        assert_eq!(set.to_string(), "ebp,ebc");
        assert_eq!(
            RoleSet::parse_list("ebp,admin").unwrap_err(),
            UnknownRole("admin".into())
        );
        assert!(RoleSet::parse_list("").is_err());
    }

    #[test]
    fn kinds_follow_the_issue() {
        let agencies: Vec<&str> = Role::ALL
            .iter()
            .filter(|r| r.kind() == RoleKind::Agency)
            .map(|r| r.as_str())
            .collect();
        assert_eq!(
            agencies,
            [
                "customs",
                "tax",
                "forex",
                "commerce",
                "market-regulation",
                "post",
                "transport",
                "bank",
                "insurance",
                "zone-admin"
            ]
        );
    }
}
