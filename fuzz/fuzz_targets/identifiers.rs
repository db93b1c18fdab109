//! Any text given to the identifier parsers either parses or is refused with
//! an error — never a panic — and what parses writes back unchanged.
#![no_main]

use kuajing_core::ids::{CustomsCode, OrganisationCode, Uscc};
use kuajing_core::role::RoleSet;
use kuajing_core::timestamp::Timestamp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(uscc) = Uscc::parse(text) {
        assert_eq!(uscc.as_str(), text);
        assert!(OrganisationCode::parse(uscc.organisation_code()).is_ok());
    }
    if let Ok(code) = OrganisationCode::parse(text) {
        assert_eq!(code.as_str(), text);
    }
    if let Ok(code) = CustomsCode::parse(text) {
        assert_eq!(code.as_str(), text);
    }
    if let Ok(at) = text.parse::<Timestamp>() {
        assert_eq!(at.to_string().parse::<Timestamp>(), Ok(at));
    }
    if let Ok(roles) = RoleSet::parse_list(text) {
        assert_eq!(RoleSet::parse_list(&roles.to_string()), Ok(roles));
    }
});
