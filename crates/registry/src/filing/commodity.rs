//! Commodity filing (商品备案): what an enterprise sells, checked against the
//! reference tables in force — the commodity code must be in the tariff, the
//! units, origin country and currency in their code lists — and the barcode's
//! check digit.

use std::str::FromStr;

use kuajing_core::ids::{Gtin, HsCode};
use kuajing_core::timestamp::Timestamp;
use kuajing_reference::ReferenceKind;
use kuajing_store::Conn;
use kuajing_store::reference;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::filing::record::{AttachmentRef, CommodityRecord};
use crate::validate::{self, Findings, passed};

/// A commodity filing as submitted.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommodityInput {
    /// Enterprise item number (企业商品货号): letters, digits, `-`, `_`, `.`.
    pub item_no: String,
    /// Name in Chinese.
    pub name: String,
    /// Specification or model.
    #[serde(default)]
    pub specification: Option<String>,
    /// Brand.
    #[serde(default)]
    pub brand: Option<String>,
    /// 10-digit commodity code.
    pub hs_code: String,
    /// Origin country (customs country code, 3 digits).
    pub origin_country: String,
    /// Declared elements (申报要素).
    #[serde(default)]
    pub declared_elements: Option<String>,
    /// Legal first unit (unit code); must be the tariff line's.
    pub unit1: String,
    /// Legal second unit (unit code), when the tariff line has one.
    #[serde(default)]
    pub unit2: Option<String>,
    /// Reference unit price, e.g. `128.50`.
    pub reference_price: String,
    /// Currency (customs currency code, 3 digits), e.g. `142` for CNY.
    pub currency: String,
    /// GTIN barcode (8, 12, 13 or 14 digits).
    #[serde(default)]
    pub barcode: Option<String>,
    /// Claims the regional brand (珲字号).
    #[serde(default)]
    pub regional_brand: bool,
}

impl CommodityInput {
    /// The form of a stored record, to start a change from.
    pub fn from_record(record: &CommodityRecord) -> CommodityInput {
        CommodityInput {
            item_no: record.item_no.clone(),
            name: record.name.clone(),
            specification: record.specification.clone(),
            brand: record.brand.clone(),
            hs_code: record.hs_code.clone(),
            origin_country: record.origin_country.clone(),
            declared_elements: record.declared_elements.clone(),
            unit1: record.unit1.clone(),
            unit2: record.unit2.clone(),
            reference_price: record.reference_price.clone(),
            currency: record.currency.clone(),
            barcode: record.barcode.clone(),
            regional_brand: record.regional_brand,
        }
    }

    /// Checks every field against its rule and the reference tables in force
    /// at `at`; returns the record to store, or every refusal found
    /// ([`Error::InvalidFields`] when more than one), in the form's order.
    pub async fn check(
        &self,
        conn: &mut Conn,
        at: Timestamp,
        photo: Option<AttachmentRef>,
    ) -> Result<CommodityRecord> {
        let mut found = Findings::default();
        let item_no = found.check(item_no(&self.item_no))?;
        let name = found.check(validate::required("name", &self.name, 250))?;
        let specification = found.check(validate::optional(
            "specification",
            self.specification.as_deref(),
            250,
        ))?;
        let brand = found.check(validate::optional("brand", self.brand.as_deref(), 100))?;
        let hs_code = found.check(
            HsCode::parse(self.hs_code.trim()).map_err(|e| Error::invalid_id("hs_code", &e)),
        )?;
        let line = match &hs_code {
            Some(hs_code) => found.check(
                reference::tariff_line(conn, hs_code.as_str(), at)
                    .await?
                    .map(|stored| stored.line)
                    .ok_or_else(|| {
                        Error::invalid(
                            "hs_code",
                            "HS_CODE_NOT_IN_TARIFF",
                            format!("商品编码 {hs_code} 不在现行税则中"),
                            format!("commodity code {hs_code} is not in the tariff in force"),
                        )
                    }),
            )?,
            None => None,
        };
        let origin_country = found.check(
            known_code(
                conn,
                ReferenceKind::Country,
                "origin_country",
                &self.origin_country,
                at,
            )
            .await,
        )?;
        let declared_elements = found.check(validate::optional(
            "declared_elements",
            self.declared_elements.as_deref(),
            500,
        ))?;
        let unit1 =
            found.check(known_code(conn, ReferenceKind::Unit, "unit1", &self.unit1, at).await)?;
        if let (Some(unit1), Some(line)) = (&unit1, &line)
            && *unit1 != line.unit1
        {
            found.refuse(unit_mismatch("unit1", unit1, &line.unit1));
        }
        let unit2 = match found.check(validate::optional("unit2", self.unit2.as_deref(), 3))? {
            Some(Some(code)) => found
                .check(known_code(conn, ReferenceKind::Unit, "unit2", &code, at).await)?
                .map(Some),
            Some(None) => Some(None),
            None => None,
        };
        if let (Some(unit2), Some(line)) = (&unit2, &line)
            && *unit2 != line.unit2
        {
            let want = line.unit2.as_deref().unwrap_or("—");
            found.refuse(unit_mismatch(
                "unit2",
                unit2.as_deref().unwrap_or("—"),
                want,
            ));
        }
        let reference_price = found.check(price(&self.reference_price))?;
        let currency = found.check(
            known_code(
                conn,
                ReferenceKind::Currency,
                "currency",
                &self.currency,
                at,
            )
            .await,
        )?;
        let barcode =
            match found.check(validate::optional("barcode", self.barcode.as_deref(), 14))? {
                Some(Some(code)) => found
                    .check(
                        Gtin::parse(&code)
                            .map(|gtin| gtin.to_string())
                            .map_err(|e| Error::invalid_id("barcode", &e)),
                    )?
                    .map(Some),
                Some(None) => Some(None),
                None => None,
            };
        found.finish()?;
        Ok(CommodityRecord {
            item_no: passed(item_no)?,
            name: passed(name)?,
            specification: passed(specification)?,
            brand: passed(brand)?,
            hs_code: passed(hs_code)?.to_string(),
            origin_country: passed(origin_country)?,
            declared_elements: passed(declared_elements)?,
            unit1: passed(unit1)?,
            unit2: passed(unit2)?,
            reference_price: passed(reference_price)?,
            currency: passed(currency)?,
            barcode: passed(barcode)?,
            photo,
            regional_brand: self.regional_brand,
        })
    }
}

/// An item number: 1–50 characters of letters, digits, `-`, `_`, `.`.
fn item_no(value: &str) -> Result<String> {
    let value = value.trim();
    let ok = (1..=50).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(value.to_owned())
    } else {
        Err(Error::invalid(
            "item_no",
            "ITEM_NO_FORMAT",
            format!("企业商品货号“{value}”应为 1–50 位字母、数字、-、_ 或 ."),
            format!("item number '{value}' must be 1–50 letters, digits, '-', '_' or '.'"),
        ))
    }
}

/// A positive price with at most 5 decimal places and 19 digits in all (the
/// CEB decimal format, ceb-messages.md).
fn price(value: &str) -> Result<String> {
    let value = value.trim();
    let parsed = Decimal::from_str(value).ok().filter(|d| {
        *d > Decimal::ZERO
            && d.scale() <= 5
            && value.chars().all(|c| c.is_ascii_digit() || c == '.')
            && value.chars().filter(char::is_ascii_digit).count() <= 19
    });
    match parsed {
        Some(d) => Ok(d.normalize().to_string()),
        None => Err(Error::invalid(
            "reference_price",
            "PRICE_FORMAT",
            format!("参考单价“{value}”应为大于 0 的数，最多 5 位小数"),
            format!(
                "reference price '{value}' must be a number above 0 with at most 5 decimal places"
            ),
        )),
    }
}

/// A code that must exist in the `kind` table in force at `at`.
pub async fn known_code(
    conn: &mut Conn,
    kind: ReferenceKind,
    field: &str,
    value: &str,
    at: Timestamp,
) -> Result<String> {
    let code = value.trim();
    match reference::code(conn, kind, code, at).await? {
        Some(found) => Ok(found.entry.code),
        None => Err(Error::invalid(
            field,
            "CODE_UNKNOWN",
            format!("{}中没有代码“{code}”", kind.label_zh()),
            format!("'{code}' is not in the {}", kind.label_en()),
        )),
    }
}

fn unit_mismatch(field: &str, given: &str, tariff: &str) -> Error {
    Error::invalid(
        field,
        "UNIT_NOT_LEGAL",
        format!("{field} 为 {given}，但该商品编码的法定计量单位为 {tariff}"),
        format!("{field} is {given} but the commodity code's legal unit is {tariff}"),
    )
}

/// Lower-cased text a search matches: item number, name, brand, code, barcode.
pub fn search_text(record: &CommodityRecord) -> String {
    [
        Some(record.item_no.as_str()),
        Some(record.name.as_str()),
        record.brand.as_deref(),
        record.specification.as_deref(),
        Some(record.hs_code.as_str()),
        record.barcode.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_exact_positive_decimals() {
        assert_eq!(price("128.50").unwrap(), "128.5");
        assert_eq!(price("0.00001").unwrap(), "0.00001");
        for bad in ["0", "-1", "1e3", "0.000001", "12,5", "abc", ""] {
            assert!(price(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn item_numbers_are_plain() {
        assert_eq!(item_no(" RU-POLLOCK-1kg ").unwrap(), "RU-POLLOCK-1kg");
        assert!(item_no("货号1").is_err());
        assert!(item_no("").is_err());
    }
}
