//! The business rules the XSD leaves to customs (ceb-messages.md §2.3,
//! §2.5, §3.2): code lists, date formats, conditional fields and the
//! arithmetic of each document; and [`validate`], which runs them after the
//! schema checks and attaches the official error codes (§3.4).

pub mod dates;
pub mod documents;
pub mod fields;
mod options;

use crate::entity::Entity;
use crate::issue::{Issue, Rule};
use crate::model::{Message, MessageType, check_schema};

pub use options::{Edition, Options};

/// Everything wrong with a message under the 202205 edition: schema
/// (lengths, digits, occurrences, the required signature) then business
/// rules (codes, formats, arithmetic, conditional fields).
pub fn validate(message: &Message) -> Vec<Issue> {
    validate_with(message, &Options::default())
}

/// [`validate`] with explicit options.
pub fn validate_with(message: &Message, options: &Options) -> Vec<Issue> {
    let mut issues = check_schema(message);
    if options.edition == Edition::Trial2018 {
        trial_edition(message, &mut issues);
    }
    let message_type = message.message_type();
    let mut fields = fields::FieldRules::new(message_type, &mut issues);
    message.visit(&mut fields);
    documents::DocumentRules::new(options, &mut issues).check(message);
    for issue in &mut issues {
        issue.code = issue.code.or_else(|| official_code(message_type, issue));
    }
    issues
}

/// The 2018 edition's two facets that differ from 202205.
fn trial_edition(message: &Message, issues: &mut Vec<Issue>) {
    let Message::Ceb621(m) = message else {
        return;
    };
    issues.retain(|issue| {
        !(issue.path.ends_with("/itemNo") && issue.path.contains("/InventoryList["))
    });
    issues.retain(|issue| {
        !(issue.path.ends_with("/tradeCountry") && issue.path.contains("/InventoryList["))
    });
    let root = crate::issue::Path::root(<crate::model::import::CEB621Message as Entity>::NAME);
    for (i, inventory) in m.inventory.iter().enumerate() {
        let inventory_path = root.nth("Inventory", i + 1);
        for (j, line) in inventory.inventory_list.iter().enumerate() {
            let line_path = inventory_path.nth("InventoryList", j + 1);
            if let Some(item_no) = &line.item_no
                && item_no.chars().count() > 30
            {
                issues.push(Issue::new(
                    &line_path.child("itemNo"),
                    Rule::Length { min: 0, max: 30 },
                    Some(item_no),
                ));
            }
            if let Some(country) = &line.trade_country
                && country.chars().count() != 3
            {
                issues.push(Issue::new(
                    &line_path.child("tradeCountry"),
                    Rule::Length { min: 3, max: 3 },
                    Some(country),
                ));
            }
        }
    }
}

/// The official error code customs would answer an issue with, where the
/// specification's table 7-2 has one (ceb-messages.md §3.4): an order with
/// no lines (-301001), repeated order line numbers (-301002), any other
/// order check (-301008), payment checks (-401009), an inventory with no
/// lines (-621000) or failing validation (-621001). Other schema issues are
/// answered with a CEB900 format receipt ([`crate::receipt`]).
fn official_code(message_type: MessageType, issue: &Issue) -> Option<i32> {
    match (message_type, &issue.rule) {
        (MessageType::Ceb311, Rule::TooFew { .. }) if issue.path.ends_with("/OrderList") => {
            Some(-301001)
        }
        (MessageType::Ceb311, Rule::Sequence) => Some(-301002),
        (MessageType::Ceb311, _) if !issue.is_schema() => Some(-301008),
        (MessageType::Ceb411, _) if !issue.is_schema() => Some(-401009),
        (MessageType::Ceb621, Rule::TooFew { .. }) if issue.path.ends_with("/InventoryList") => {
            Some(-621000)
        }
        (MessageType::Ceb621, _) if !issue.is_schema() => Some(-621001),
        _ => None,
    }
}
