//! The names of the form fields the portal's forms share (a filing's, a
//! user's), in the reader's language: for labels, and for naming a field in
//! an error message instead of its key.

use crate::portal::i18n::Texts;

/// A field's label.
pub fn field_label(t: &'static Texts, field: &str) -> &'static str {
    known_field_label(t, field).unwrap_or(t.value)
}

/// The label of a form field the portal knows, in the reader's language.
pub fn known_field_label(t: &'static Texts, field: &str) -> Option<&'static str> {
    Some(match field {
        "customs_code" => t.customs_code,
        "uscc" => t.field_uscc,
        "foreign" => t.field_foreign,
        "name" => t.name,
        "name_en" => t.name_en,
        "roles" => t.roles,
        "park" => t.park,
        "registered_address" => t.field_registered_address,
        "business_address" => t.field_business_address,
        "legal_representative" => t.field_legal_representative,
        "contact_name" => t.contact,
        "contact_phone" => t.contact_phone,
        "email" => t.field_email,
        "domestic_agent" => t.field_domestic_agent,
        "attachments" => t.attachments,
        "item_no" => t.field_item_no,
        "specification" => t.field_specification,
        "brand" => t.field_brand,
        "hs_code" => t.field_hs_code,
        "origin_country" => t.field_origin_country,
        "declared_elements" => t.field_declared_elements,
        "unit1" => t.field_unit1,
        "unit2" => t.field_unit2,
        "reference_price" => t.field_reference_price,
        "currency" => t.field_currency,
        "barcode" => t.field_barcode,
        "photo" => t.field_photo,
        "regional_brand" => t.field_regional_brand,
        "password" => t.password_label,
        "login" => t.login_label,
        "display_name" => t.display_name,
        "reason" => t.reason,
        _ => return None,
    })
}
