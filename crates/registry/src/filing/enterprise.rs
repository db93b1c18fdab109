//! Enterprise filing (企业备案): what an enterprise says about itself, checked
//! field by field; once approved, it becomes the organisation's record that
//! every agency reads.

use kuajing_core::ids::Uscc;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Conn;
use kuajing_store::organisations::{self, FiledFacts, Organisation};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::filing::record::{AttachmentRef, EnterpriseRecord};
use crate::validate::{self, Findings, parse_roles, passed};

/// An enterprise filing as submitted by the enterprise.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseInput {
    /// Name in Chinese.
    pub name: String,
    /// Name in English.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Unified social credit code (required unless `foreign`).
    #[serde(default)]
    pub uscc: Option<String>,
    /// A foreign seller (境外企业): no USCC; a domestic agent is required.
    #[serde(default)]
    pub foreign: bool,
    /// Roles applied for, e.g. `["ebp", "ebc"]`.
    pub roles: Vec<String>,
    /// Park or area of the zone.
    #[serde(default)]
    pub park: Option<String>,
    /// Registered address.
    #[serde(default)]
    pub registered_address: Option<String>,
    /// Business address.
    #[serde(default)]
    pub business_address: Option<String>,
    /// Legal representative.
    #[serde(default)]
    pub legal_representative: Option<String>,
    /// Contact person.
    #[serde(default)]
    pub contact_name: Option<String>,
    /// Contact phone.
    #[serde(default)]
    pub contact_phone: Option<String>,
    /// Contact e-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Customs code of the domestic agent (境内代理人), for a foreign seller.
    #[serde(default)]
    pub domestic_agent: Option<String>,
}

impl EnterpriseInput {
    /// The form of an organisation's current record, to start a filing from.
    pub fn from_organisation(org: &Organisation) -> EnterpriseInput {
        let record = EnterpriseRecord::from_organisation(org);
        EnterpriseInput {
            name: record.name,
            name_en: record.name_en,
            uscc: record.uscc,
            foreign: record.foreign,
            roles: record.roles,
            park: record.park,
            registered_address: record.registered_address,
            business_address: record.business_address,
            legal_representative: record.legal_representative,
            contact_name: record.contact_name,
            contact_phone: record.contact_phone,
            email: record.email,
            domestic_agent: record.domestic_agent,
        }
    }

    /// Checks every field; the domestic agent must be an organisation with an
    /// active filing. Returns the record to store.
    pub async fn check(
        &self,
        conn: &mut Conn,
        customs_code: &str,
        attachments: Vec<AttachmentRef>,
    ) -> Result<EnterpriseRecord> {
        let mut found = Findings::default();
        let name = found.check(validate::required("name", &self.name, 100))?;
        let name_en = found.check(validate::optional("name_en", self.name_en.as_deref(), 200))?;
        let uscc = found.check(self.uscc())?;
        let domestic_agent = found.check(self.agent(conn, customs_code).await)?;
        let park = found.check(validate::optional("park", self.park.as_deref(), 100))?;
        let registered_address = found.check(validate::optional(
            "registered_address",
            self.registered_address.as_deref(),
            200,
        ))?;
        let business_address = found.check(validate::optional(
            "business_address",
            self.business_address.as_deref(),
            200,
        ))?;
        let legal_representative = found.check(validate::optional(
            "legal_representative",
            self.legal_representative.as_deref(),
            50,
        ))?;
        let contact_name = found.check(validate::optional(
            "contact_name",
            self.contact_name.as_deref(),
            50,
        ))?;
        let contact_phone = found.check(validate::phone(
            "contact_phone",
            self.contact_phone.as_deref(),
        ))?;
        let email = found.check(validate::email("email", self.email.as_deref()))?;
        let roles = found.check(parse_roles(&self.roles))?;
        found.finish()?;
        Ok(EnterpriseRecord {
            customs_code: customs_code.to_owned(),
            uscc: passed(uscc)?,
            foreign: self.foreign,
            name: passed(name)?,
            name_en: passed(name_en)?,
            roles: passed(roles)?
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
            park: passed(park)?,
            registered_address: passed(registered_address)?,
            business_address: passed(business_address)?,
            legal_representative: passed(legal_representative)?,
            contact_name: passed(contact_name)?,
            contact_phone: passed(contact_phone)?,
            email: passed(email)?,
            domestic_agent: passed(domestic_agent)?,
            attachments,
        })
    }

    /// The unified social credit code: required and checked for a domestic
    /// enterprise, absent for a foreign seller.
    fn uscc(&self) -> Result<Option<String>> {
        let uscc = validate::optional("uscc", self.uscc.as_deref(), 18)?;
        match (&uscc, self.foreign) {
            (Some(text), false) => Ok(Some(
                Uscc::parse(text)
                    .map_err(|e| Error::invalid_id("uscc", &e))?
                    .to_string(),
            )),
            (None, false) => Err(Error::invalid(
                "uscc",
                "USCC_REQUIRED",
                "境内企业须填写统一社会信用代码",
                "a domestic enterprise must give its unified social credit code",
            )),
            (Some(_), true) => Err(Error::invalid(
                "uscc",
                "USCC_FOREIGN",
                "境外企业没有统一社会信用代码，请留空并填写境内代理人",
                "a foreign seller has no unified social credit code: leave it empty and name the domestic agent",
            )),
            (None, true) => Ok(None),
        }
    }

    /// A foreign seller names a filed, active domestic agent; a domestic
    /// enterprise names none.
    async fn agent(&self, conn: &mut Conn, own_code: &str) -> Result<Option<String>> {
        let agent = validate::optional("domestic_agent", self.domestic_agent.as_deref(), 10)?;
        match (agent, self.foreign) {
            (None, false) => Ok(None),
            (Some(_), false) => Err(Error::invalid(
                "domestic_agent",
                "AGENT_NOT_FOREIGN",
                "只有境外企业需要境内代理人",
                "only a foreign seller has a domestic agent",
            )),
            (None, true) => Err(Error::invalid(
                "domestic_agent",
                "AGENT_REQUIRED",
                "境外企业须由已备案的境内代理人代为备案",
                "a foreign seller must name a filed domestic agent",
            )),
            (Some(code), true) => {
                let filed = organisations::find_by_code(conn, &code)
                    .await?
                    .filter(|org| org.filing_status == "active" && code != own_code);
                match filed {
                    Some(org) => Ok(Some(org.customs_code.to_string())),
                    None => Err(Error::invalid(
                        "domestic_agent",
                        "AGENT_NOT_FILED",
                        format!("境内代理人“{code}”不是已备案且有效的企业"),
                        format!("domestic agent '{code}' is not a filed, active enterprise"),
                    )),
                }
            }
        }
    }
}

/// Writes an approved enterprise record onto its organisation.
pub async fn apply(
    conn: &mut Conn,
    organisation_id: &str,
    record: &EnterpriseRecord,
    now: Timestamp,
) -> Result<()> {
    let agent_id = match &record.domestic_agent {
        Some(code) => organisations::find_by_code(conn, code).await?.map(|o| o.id),
        None => None,
    };
    let roles = parse_roles(&record.roles)?;
    let facts = FiledFacts {
        name: &record.name,
        name_en: record.name_en.as_deref(),
        uscc: record.uscc.as_deref(),
        roles,
        park: record.park.as_deref(),
        address: record.registered_address.as_deref(),
        business_address: record.business_address.as_deref(),
        legal_representative: record.legal_representative.as_deref(),
        contact_name: record.contact_name.as_deref(),
        contact_phone: record.contact_phone.as_deref(),
        email: record.email.as_deref(),
        agent_organisation_id: agent_id.as_deref(),
    };
    organisations::apply_filing(conn, organisation_id, &facts, now).await?;
    Ok(())
}

/// Lower-cased text a search matches: names, codes, contact.
pub fn search_text(record: &EnterpriseRecord) -> String {
    [
        Some(record.customs_code.as_str()),
        record.uscc.as_deref(),
        Some(record.name.as_str()),
        record.name_en.as_deref(),
        record.park.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase()
}
