//! The sharing policy (共享策略): which fields of a filed record each agency
//! may see. One record is filed once and shared with every agency entitled
//! to it — each sees its fields and no others.
//!
//! The owner and the zone administration see every field. Customs, commerce
//! and market regulation, which approve and supervise filings, see every
//! field. The others see what their work needs: tax the fiscal identity and
//! addresses; forex the payment-relevant identity (and for goods the price
//! and currency); banks and insurers the identity; post and transport the
//! operational contact of logistics firms. This is the platform's named
//! policy, to be agreed with each agency.

use crate::role::{Role, RoleSet};

/// A kind of shared record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// An enterprise's filing.
    Enterprise,
    /// A commodity's filing.
    Commodity,
}

/// Every field of an enterprise record, in display order.
pub const ENTERPRISE_FIELDS: &[&str] = &[
    "customs_code",
    "uscc",
    "name",
    "name_en",
    "roles",
    "park",
    "registered_address",
    "business_address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "email",
    "domestic_agent",
    "attachments",
];

/// Every field of a commodity record, in display order.
pub const COMMODITY_FIELDS: &[&str] = &[
    "item_no",
    "name",
    "specification",
    "brand",
    "hs_code",
    "origin_country",
    "declared_elements",
    "unit1",
    "unit2",
    "reference_price",
    "currency",
    "barcode",
    "photo",
    "regional_brand",
];

/// Fields every viewer of a record sees: who owns it and where it stands.
pub const ALWAYS_VISIBLE: &[&str] = &["owner", "status", "version"];

/// Which fields of `kind` an agency with `role` sees, or `None` for all.
fn agency_fields(kind: RecordKind, role: Role) -> Option<&'static [&'static str]> {
    use Role::*;
    match (kind, role) {
        (_, Customs | Commerce | MarketRegulation | ZoneAdmin) => None,
        (RecordKind::Enterprise, Tax) => Some(&[
            "customs_code",
            "uscc",
            "name",
            "name_en",
            "roles",
            "park",
            "registered_address",
            "business_address",
            "legal_representative",
            "domestic_agent",
        ]),
        (RecordKind::Enterprise, Forex) => Some(&[
            "customs_code",
            "uscc",
            "name",
            "name_en",
            "roles",
            "domestic_agent",
        ]),
        (RecordKind::Enterprise, Bank | Insurance) => {
            Some(&["customs_code", "uscc", "name", "name_en", "roles"])
        }
        (RecordKind::Enterprise, Post | Transport) => Some(&[
            "customs_code",
            "uscc",
            "name",
            "name_en",
            "roles",
            "business_address",
            "contact_name",
            "contact_phone",
        ]),
        (RecordKind::Commodity, Tax) => Some(&[
            "item_no",
            "name",
            "hs_code",
            "origin_country",
            "unit1",
            "unit2",
            "reference_price",
            "currency",
        ]),
        (RecordKind::Commodity, Forex) => Some(&[
            "item_no",
            "name",
            "origin_country",
            "reference_price",
            "currency",
        ]),
        (RecordKind::Commodity, Bank | Insurance) => {
            Some(&["item_no", "name", "hs_code", "reference_price", "currency"])
        }
        (RecordKind::Commodity, Post | Transport) => Some(&["item_no", "name", "hs_code", "unit1"]),
        _ => Some(&[]),
    }
}

/// What a viewer may see of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Every field.
    All,
    /// These fields (besides [`ALWAYS_VISIBLE`]).
    Fields(Vec<&'static str>),
    /// Not the record at all.
    None,
}

impl Visibility {
    /// Whether `field` is visible.
    pub fn shows(&self, field: &str) -> bool {
        match self {
            Visibility::All => true,
            Visibility::Fields(fields) => {
                ALWAYS_VISIBLE.contains(&field) || fields.contains(&field)
            }
            Visibility::None => false,
        }
    }
}

/// What a viewer with `roles` sees of a record of `kind`; `is_owner` when the
/// viewer's organisation filed it. Several agency roles see the union of
/// their fields.
pub fn visibility(kind: RecordKind, roles: RoleSet, is_owner: bool) -> Visibility {
    if is_owner {
        return Visibility::All;
    }
    let mut fields: Vec<&'static str> = Vec::new();
    let mut any_agency = false;
    for role in roles
        .iter()
        .filter(|r| r.kind() == crate::role::RoleKind::Agency)
    {
        any_agency = true;
        match agency_fields(kind, role) {
            None => return Visibility::All,
            Some(list) => {
                for field in list {
                    if !fields.contains(field) {
                        fields.push(field);
                    }
                }
            }
        }
    }
    if any_agency {
        Visibility::Fields(fields)
    } else {
        Visibility::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::RoleKind;

    fn only(role: Role) -> RoleSet {
        RoleSet::EMPTY.with(role)
    }

    #[test]
    fn every_listed_field_exists() {
        for role in Role::ALL.iter().filter(|r| r.kind() == RoleKind::Agency) {
            for (kind, all) in [
                (RecordKind::Enterprise, ENTERPRISE_FIELDS),
                (RecordKind::Commodity, COMMODITY_FIELDS),
            ] {
                if let Some(fields) = agency_fields(kind, *role) {
                    for field in fields {
                        assert!(all.contains(field), "{role} {kind:?} {field}");
                    }
                }
            }
        }
    }

    #[test]
    fn forex_sees_payment_relevant_fields_and_not_contacts() {
        let forex = visibility(RecordKind::Enterprise, only(Role::Forex), false);
        assert!(forex.shows("uscc") && forex.shows("domestic_agent") && forex.shows("status"));
        assert!(!forex.shows("contact_phone") && !forex.shows("legal_representative"));
        let goods = visibility(RecordKind::Commodity, only(Role::Forex), false);
        assert!(goods.shows("reference_price") && goods.shows("currency"));
        assert!(!goods.shows("declared_elements") && !goods.shows("barcode"));
    }

    #[test]
    fn owners_and_supervisors_see_all_enterprises_see_nothing_of_others() {
        for role in [
            Role::Customs,
            Role::Commerce,
            Role::MarketRegulation,
            Role::ZoneAdmin,
        ] {
            assert_eq!(
                visibility(RecordKind::Commodity, only(role), false),
                Visibility::All
            );
        }
        assert_eq!(
            visibility(RecordKind::Enterprise, only(Role::Ebc), true),
            Visibility::All
        );
        assert_eq!(
            visibility(RecordKind::Enterprise, only(Role::Ebc), false),
            Visibility::None
        );
        let union = visibility(
            RecordKind::Enterprise,
            only(Role::Bank).with(Role::Post),
            false,
        );
        assert!(union.shows("contact_phone") && union.shows("uscc"));
    }
}
