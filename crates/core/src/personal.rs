//! Personal information (个人信息) on customs documents and how it is shown
//! masked (去标识化显示): one rule for every page. A declaration list's
//! documents carry the buyer's and payer's ID number, name and telephone
//! and the consignee's name, telephone and address; a page shows them
//! masked unless the reader may see them in full
//! ([`crate::access::Action::RevealPersonal`]) and asked to, and each such
//! showing is audited (Personal Information Protection Law art. 51:
//! de-identification and access control; GB/T 35273-2020 §3.14 and annex
//! A on de-identification by masking).

use crate::ids::ResidentId;

/// What kind of personal information a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalKind {
    /// An identity document number: first six and last four kept.
    IdNumber,
    /// A person's name: the first character kept.
    Name,
    /// A telephone number: first three and last four kept (the last two
    /// of a number shorter than nine digits).
    Telephone,
    /// An address: the first six characters kept (province and city).
    Address,
}

impl PersonalKind {
    /// The kind of personal information a CEB document field holds, by its
    /// element name (CEB 202205 specification, import order, payment,
    /// waybill and list heads); `None` for a field that holds none.
    pub fn of_field(element: &str) -> Option<PersonalKind> {
        match element {
            "buyerIdNumber" | "payerIdNumber" => Some(PersonalKind::IdNumber),
            "buyerName" | "payerName" | "consignee" | "consingee" => Some(PersonalKind::Name),
            "buyerTelephone" | "consigneeTelephone" | "telephone" => Some(PersonalKind::Telephone),
            "consigneeAddress" => Some(PersonalKind::Address),
            _ => None,
        }
    }

    /// `value` as it may be shown.
    pub fn mask(self, value: &str) -> String {
        match self {
            PersonalKind::IdNumber => ResidentId::mask(value),
            PersonalKind::Name => keep(value, 1, 0),
            PersonalKind::Telephone if value.chars().count() >= 9 => keep(value, 3, 4),
            PersonalKind::Telephone => keep(value, 0, 2),
            PersonalKind::Address => keep(value, 6, 0),
        }
    }
}

/// `value` with all but its first `head` and last `tail` characters
/// replaced by `*` (at least one character masked, whatever its length).
fn keep(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let (head, tail) = if head + tail >= chars.len() {
        (chars.len().saturating_sub(1).min(head), 0)
    } else {
        (head, tail)
    };
    let hidden = chars.len() - head - tail;
    chars[..head]
        .iter()
        .chain(std::iter::repeat_n(&'*', hidden))
        .chain(chars[chars.len() - tail..].iter())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_kind_keeps_what_it_may() {
        assert_eq!(
            PersonalKind::IdNumber.mask("330106199001010245"),
            "330106********0245"
        );
        assert_eq!(PersonalKind::Name.mask("张三丰"), "张**");
        assert_eq!(PersonalKind::Name.mask("Ivanov"), "I*****");
        assert_eq!(PersonalKind::Telephone.mask("13904331234"), "139****1234");
        assert_eq!(PersonalKind::Telephone.mask("4331234"), "*****34");
        assert_eq!(
            PersonalKind::Address.mask("吉林省珲春市新安街道100号"),
            "吉林省珲春市********"
        );
        assert_eq!(PersonalKind::Name.mask("张"), "*");
        assert_eq!(PersonalKind::Address.mask(""), "");
    }

    #[test]
    fn the_documents_personal_fields_are_known() {
        for field in [
            "buyerIdNumber",
            "payerIdNumber",
            "buyerName",
            "payerName",
            "consignee",
            "buyerTelephone",
            "consigneeTelephone",
            "telephone",
            "consigneeAddress",
        ] {
            assert!(PersonalKind::of_field(field).is_some(), "{field}");
        }
        for field in ["orderNo", "ebcCode", "buyerIdType", "consigneeDistrict"] {
            assert!(PersonalKind::of_field(field).is_none(), "{field}");
        }
    }

    proptest! {
        /// A masked value is as long as the value, hides at least one
        /// character of any non-empty value, and shows no character the
        /// rule does not keep.
        #[test]
        fn masking_hides_and_keeps_the_length(value in "\\PC{0,40}") {
            for kind in [PersonalKind::Name, PersonalKind::Telephone, PersonalKind::Address] {
                let masked = kind.mask(&value);
                prop_assert_eq!(masked.chars().count(), value.chars().count());
                if !value.is_empty() {
                    prop_assert!(masked.contains('*'));
                }
                if !value.is_empty() && !value.contains('*') {
                    prop_assert_ne!(&masked, &value);
                }
            }
        }
    }
}
