//! The data of a filing as it is stored in each version, shown to each
//! viewer through the sharing policy, and compared between versions.

use kuajing_core::sharing::{Visibility, visibility};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A stored file attached to a filing, as a version refers to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttachmentRef {
    /// Id (download at `/api/attachments/{id}`).
    pub id: String,
    /// `business_licence`, `photo` or `other`.
    pub purpose: String,
    /// File name as uploaded.
    pub file_name: String,
    /// Media type detected from the content.
    pub media_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
}

/// An enterprise filing's data (企业备案信息).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EnterpriseRecord {
    /// Customs registration code (the organisation's key; not editable).
    pub customs_code: String,
    /// Unified social credit code (domestic enterprises).
    pub uscc: Option<String>,
    /// A foreign seller (境外企业), filed through a domestic agent.
    pub foreign: bool,
    /// Name in Chinese.
    pub name: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Roles applied for.
    pub roles: Vec<String>,
    /// Park or area of the zone.
    pub park: Option<String>,
    /// Registered address.
    pub registered_address: Option<String>,
    /// Business (operating) address.
    pub business_address: Option<String>,
    /// Legal representative.
    pub legal_representative: Option<String>,
    /// Contact person.
    pub contact_name: Option<String>,
    /// Contact phone.
    pub contact_phone: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Customs code of the domestic agent (境内代理人), for a foreign seller.
    pub domestic_agent: Option<String>,
    /// Business licence and other documents.
    pub attachments: Vec<AttachmentRef>,
}

impl EnterpriseRecord {
    /// The record an organisation's current registry entry amounts to (no
    /// attachments): what an authority files when it files the
    /// organisation itself, and where an enterprise's first filing starts.
    pub fn from_organisation(org: &kuajing_store::organisations::Organisation) -> EnterpriseRecord {
        EnterpriseRecord {
            customs_code: org.customs_code.to_string(),
            uscc: org.uscc.as_ref().map(ToString::to_string),
            foreign: org.uscc.is_none() && org.agent_code.is_some(),
            name: org.name.clone(),
            name_en: org.name_en.clone(),
            roles: org.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            park: org.park.clone(),
            registered_address: org.address.clone(),
            business_address: org.business_address.clone(),
            legal_representative: org.legal_representative.clone(),
            contact_name: org.contact_name.clone(),
            contact_phone: org.contact_phone.clone(),
            email: org.email.clone(),
            domestic_agent: org.agent_code.clone(),
            attachments: Vec::new(),
        }
    }
}

/// A commodity filing's data (商品备案信息).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CommodityRecord {
    /// The enterprise's item number (企业商品货号), unique per enterprise.
    pub item_no: String,
    /// Name in Chinese.
    pub name: String,
    /// Specification or model (规格型号).
    pub specification: Option<String>,
    /// Brand.
    pub brand: Option<String>,
    /// 10-digit commodity code, in the tariff table.
    pub hs_code: String,
    /// Origin country, customs country code.
    pub origin_country: String,
    /// Declared elements (申报要素).
    pub declared_elements: Option<String>,
    /// Legal first unit, unit code.
    pub unit1: String,
    /// Legal second unit, unit code.
    pub unit2: Option<String>,
    /// Reference unit price, exact decimal.
    pub reference_price: String,
    /// Currency of the price, customs currency code.
    pub currency: String,
    /// GTIN barcode.
    pub barcode: Option<String>,
    /// Product photo.
    pub photo: Option<AttachmentRef>,
    /// Claims the regional brand (珲字号).
    pub regional_brand: bool,
}

/// The record of a filing as JSON fields, with the fields `visibility`
/// allows and the ones every viewer sees (owner, status, version) added.
pub fn project(
    record: &Value,
    seen: &Visibility,
    owner: &str,
    status: &str,
    version: i64,
) -> Value {
    let mut out = Map::new();
    out.insert("owner".to_owned(), Value::from(owner));
    out.insert("status".to_owned(), Value::from(status));
    out.insert("version".to_owned(), Value::from(version));
    if let Value::Object(fields) = record {
        for (name, value) in fields {
            let shown = if name == "foreign" {
                seen.shows("uscc")
            } else {
                seen.shows(name)
            };
            if shown {
                out.insert(name.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

/// What a viewer with `roles` (acting for `viewer`) sees of a record of
/// `kind` owned by `owner`.
pub fn seen_by(
    kind: kuajing_core::filing::FilingKind,
    roles: kuajing_core::role::RoleSet,
    viewer: Option<&str>,
    owner: &str,
) -> Visibility {
    let record_kind = match kind {
        kuajing_core::filing::FilingKind::Enterprise => {
            kuajing_core::sharing::RecordKind::Enterprise
        }
        kuajing_core::filing::FilingKind::Commodity => kuajing_core::sharing::RecordKind::Commodity,
    };
    visibility(record_kind, roles, viewer == Some(owner))
}

/// One field that differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Change {
    /// The field.
    pub field: String,
    /// Its value before (absent if the field is new).
    pub before: Option<Value>,
    /// Its value after (absent if the field was removed).
    pub after: Option<Value>,
}

/// The fields that differ from `before` to `after`, in `after`'s order, then
/// removed ones. Both are JSON objects; an absent field and a `null` one are
/// the same (nothing filed).
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let empty = Map::new();
    let old = before.as_object().unwrap_or(&empty);
    let new = after.as_object().unwrap_or(&empty);
    let same = |a: Option<&Value>, b: Option<&Value>| {
        a.unwrap_or(&Value::Null) == b.unwrap_or(&Value::Null)
    };
    let mut changes: Vec<Change> = new
        .iter()
        .filter(|(field, value)| !same(old.get(*field), Some(*value)))
        .map(|(field, value)| Change {
            field: field.clone(),
            before: old.get(field).cloned(),
            after: Some(value.clone()),
        })
        .collect();
    changes.extend(
        old.iter()
            .filter(|(field, value)| !new.contains_key(*field) && !value.is_null())
            .map(|(field, value)| Change {
                field: field.clone(),
                before: Some(value.clone()),
                after: None,
            }),
    );
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use kuajing_core::filing::FilingKind;
    use kuajing_core::role::{Role, RoleSet};
    use serde_json::json;

    #[test]
    fn a_diff_names_changed_new_and_removed_fields() {
        let before = json!({"name": "甲", "park": "综保区", "email": null, "phone": "0433"});
        let after = json!({"name": "乙", "park": "综保区", "brand": "珲字号", "barcode": null});
        let changes = diff(&before, &after);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "brand", "phone"],
            "in the new version's order, then removed; null and absent are the same"
        );
        assert_eq!(changes[0].before, Some(json!("甲")));
        assert_eq!(changes[2].after, None);
        assert!(diff(&after, &after).is_empty());
    }

    #[test]
    fn projection_keeps_only_what_the_viewer_may_see() {
        let record = json!({"customs_code": "2224960001", "uscc": "91330100716105852F", "foreign": false,
            "contact_phone": "13904331234", "domestic_agent": null});
        let forex = RoleSet::EMPTY.with(Role::Forex);
        let seen = seen_by(
            FilingKind::Enterprise,
            forex,
            Some("2224G10003"),
            "2224960001",
        );
        let shown = project(&record, &seen, "2224960001", "active", 2);
        assert_eq!(shown["uscc"], "91330100716105852F");
        assert_eq!(shown["status"], "active");
        assert!(shown.get("contact_phone").is_none(), "{shown}");
        let owner = seen_by(
            FilingKind::Enterprise,
            RoleSet::EMPTY.with(Role::Ebc),
            Some("2224960001"),
            "2224960001",
        );
        assert!(
            project(&record, &owner, "2224960001", "active", 2)
                .get("contact_phone")
                .is_some()
        );
    }
}
