//! The registry of who is on the platform: organisations (enterprises and
//! agencies) and their users. The JSON API, the portal and the command line
//! all go through these functions, so each rule, access check and audit
//! entry exists once.

use kuajing_core::access::{Action, Denied, Scope};
use kuajing_core::ids::{CustomsCode, Uscc};
use kuajing_core::role::Role;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::audit::Outcome;
use kuajing_store::certificates;
use kuajing_store::organisations::{
    self, NewOrganisation, Organisation, OrganisationFilter, OrganisationStatus,
};
use kuajing_store::users::{self, NewUser, User};
use kuajing_store::{Store, StoreError};
use serde::Deserialize;

use crate::actor::{Actor, record};
use crate::auth::password;
use crate::error::{Error, Result};
pub use crate::validate::parse_roles;
use crate::validate::{self, Findings, passed};

/// An organisation as submitted, before any rule is checked.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    /// Customs registration code (海关注册编码), 10 characters.
    pub customs_code: String,
    /// Name in Chinese.
    pub name: String,
    /// Name in English.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Unified social credit code, 18 characters (GB 32100 check character).
    #[serde(default)]
    pub uscc: Option<String>,
    /// Role names, e.g. `["ebp", "ebc"]`.
    pub roles: Vec<String>,
    /// Park or area of the zone.
    #[serde(default)]
    pub park: Option<String>,
    /// Registered address.
    #[serde(default)]
    pub address: Option<String>,
    /// Contact person's name.
    #[serde(default)]
    pub contact_name: Option<String>,
    /// Contact person's phone.
    #[serde(default)]
    pub contact_phone: Option<String>,
}

impl OrganisationInput {
    /// Checks every rule and returns the parsed organisation, or the first
    /// refusal naming its field.
    pub fn parse(&self, is_demo: bool) -> Result<NewOrganisation> {
        let mut found = Findings::default();
        let customs_code = found.check(
            CustomsCode::parse(self.customs_code.trim())
                .map_err(|e| Error::invalid_id("customs_code", &e)),
        )?;
        let name = found.check(validate::required("name", &self.name, 100))?;
        let name_en = found.check(validate::optional("name_en", self.name_en.as_deref(), 200))?;
        let uscc = match found.check(validate::optional("uscc", self.uscc.as_deref(), 18))? {
            Some(Some(text)) => found
                .check(Uscc::parse(&text).map_err(|e| Error::invalid_id("uscc", &e)))?
                .map(Some),
            Some(None) => Some(None),
            None => None,
        };
        let roles = found.check(parse_roles(&self.roles))?;
        let park = found.check(validate::optional("park", self.park.as_deref(), 100))?;
        let address = found.check(validate::optional("address", self.address.as_deref(), 200))?;
        let contact_name = found.check(validate::optional(
            "contact_name",
            self.contact_name.as_deref(),
            50,
        ))?;
        let contact_phone = found.check(validate::phone(
            "contact_phone",
            self.contact_phone.as_deref(),
        ))?;
        found.finish()?;
        Ok(NewOrganisation {
            customs_code: passed(customs_code)?,
            name: passed(name)?,
            name_en: passed(name_en)?,
            uscc: passed(uscc)?,
            roles: passed(roles)?,
            park: passed(park)?,
            address: passed(address)?,
            contact_name: passed(contact_name)?,
            contact_phone: passed(contact_phone)?,
            is_demo,
        })
    }
}

/// Parses `active` / `suspended`, naming `field` otherwise.
pub fn parse_status(field: &str, text: &str) -> Result<OrganisationStatus> {
    OrganisationStatus::parse(text).ok_or_else(|| {
        Error::invalid(
            field,
            "STATUS_UNKNOWN",
            format!("未知状态“{text}”，应为 active 或 suspended"),
            format!("unknown status '{text}'; use active or suspended"),
        )
    })
}

/// Files and approves an organisation (zone administration or operator),
/// with an active enterprise filing approved by the same authority.
pub async fn file_organisation(
    store: &Store,
    actor: &Actor,
    new: &NewOrganisation,
) -> Result<Organisation> {
    let code = new.customs_code.as_str();
    actor
        .authorize(
            store,
            Action::ManageOrganisations,
            code,
            "organisation.create",
            code,
        )
        .await?;
    let mut tx = store.begin().await?;
    let org = match organisations::insert(&mut tx, new, Timestamp::now()).await {
        Ok(org) => org,
        Err(error) => {
            drop(tx);
            if let StoreError::Duplicate { .. } = error {
                let detail = error.to_string();
                let entry = actor.entry(
                    "organisation.create",
                    Some(code),
                    Outcome::Failed,
                    Some(&detail),
                );
                record(store, &entry).await?;
            }
            return Err(error.into());
        }
    };
    // Filed by an authority: its enterprise filing is approved at once, so
    // the registry and the agencies' feeds know it like any other.
    crate::filing::file_approved_enterprise(&mut tx, actor, &org, Timestamp::now()).await?;
    let detail = format!("roles={}", org.roles);
    actor
        .commit(tx, "organisation.create", Some(code), Some(&detail))
        .await?;
    Ok(org)
}

/// Suspends or reinstates an organisation; `reason` goes to the audit trail.
pub async fn set_organisation_status(
    store: &Store,
    actor: &Actor,
    customs_code: &str,
    status: OrganisationStatus,
    reason: &str,
) -> Result<Organisation> {
    let reason = validate::required("reason", reason, 500)?;
    actor
        .authorize(
            store,
            Action::ManageOrganisations,
            customs_code,
            "organisation.status",
            customs_code,
        )
        .await?;
    let mut tx = store.begin().await?;
    let org = organisations::set_status(&mut tx, customs_code, status, Timestamp::now())
        .await?
        .ok_or_else(|| not_found_organisation(customs_code))?;
    let detail = format!("status={}; reason={reason}", status.as_str());
    actor
        .commit(tx, "organisation.status", Some(customs_code), Some(&detail))
        .await?;
    Ok(org)
}

/// Reads one organisation with its contact person. The read of personal data
/// is audited; if the audit entry cannot be written, nothing is shown.
pub async fn read_organisation(
    store: &Store,
    actor: &Actor,
    customs_code: &str,
) -> Result<Organisation> {
    actor
        .authorize(
            store,
            Action::ReadOrganisation,
            customs_code,
            "organisation.read",
            customs_code,
        )
        .await?;
    let mut conn = store.reader().await?;
    let org = organisations::find_by_code(&mut conn, customs_code)
        .await?
        .ok_or_else(|| not_found_organisation(customs_code))?;
    drop(conn);
    if org.contact_name.is_some() || org.contact_phone.is_some() {
        let entry = actor.entry(
            "organisation.read_personal",
            Some(customs_code),
            Outcome::Success,
            None,
        );
        record(store, &entry).await?;
    }
    Ok(org)
}

/// Lists organisations the actor may see: all of them for agencies and the
/// zone administration, only its own for an enterprise. Lists carry no
/// personal data.
pub async fn list_organisations(
    store: &Store,
    actor: &Actor,
    mut filter: OrganisationFilter,
) -> Result<Vec<Organisation>> {
    match actor.scope(Action::ListOrganisations) {
        Some(Scope::All) => {}
        Some(Scope::Own) => filter.customs_code = actor.organisation_code.clone(),
        None => return Ok(Vec::new()),
    }
    let mut conn = store.reader().await?;
    let mut list = organisations::list(&mut conn, &filter).await?;
    for org in &mut list {
        org.contact_name = None;
        org.contact_phone = None;
    }
    Ok(list)
}

/// How many organisations hold each role, active and suspended: the zone's
/// registry at a glance, for those who may list every organisation.
pub async fn count_by_role(store: &Store, actor: &Actor) -> Result<Vec<(Role, i64, i64)>> {
    if actor.scope(Action::ListOrganisations) != Some(Scope::All) {
        return Err(Error::Forbidden(Denied {
            organisation: actor.organisation_code.clone().unwrap_or_default(),
            action: Action::ListOrganisations,
            owner: String::new(),
        }));
    }
    let mut conn = store.reader().await?;
    Ok(organisations::count_by_role(&mut conn).await?)
}

/// A user as submitted.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    /// Sign-in name.
    pub login: String,
    /// The person's name.
    pub display_name: String,
    /// Initial password (at least 10 characters).
    pub password: String,
}

/// Creates a user for an organisation (zone administration or operator);
/// the password is hashed within `passwords`' bound.
pub async fn add_user(
    store: &Store,
    passwords: &password::Hashing,
    actor: &Actor,
    customs_code: &str,
    input: &UserInput,
) -> Result<User> {
    // Who may add users is settled before what they sent is judged.
    actor
        .authorize(
            store,
            Action::ManageUsers,
            customs_code,
            "user.create",
            customs_code,
        )
        .await?;
    let login = validate::login("login", input.login.trim())?;
    let display_name = validate::required("display_name", &input.display_name, 50)?;
    password::check_rules(&input.password)?;
    let mut conn = store.reader().await?;
    let org = organisations::find_by_code(&mut conn, customs_code)
        .await?
        .ok_or_else(|| not_found_organisation(customs_code))?;
    drop(conn);
    let password_hash = passwords.hash(&input.password).await?;
    let mut tx = store.begin().await?;
    let new = NewUser {
        organisation_id: org.id,
        login: login.clone(),
        display_name,
        password_hash,
    };
    let user = users::insert(&mut tx, &new, Timestamp::now()).await?;
    actor
        .commit(tx, "user.create", Some(&login), Some(customs_code))
        .await?;
    Ok(user)
}

/// Resets the password of the user `login` of the organisation
/// `customs_code` (the zone administration, or the operator: no e-mail is
/// needed — the administration hands the new password over as it handed
/// the first). The user must belong to that organisation; its failure count
/// and lock are cleared and every session it had is ended. Audited
/// (`user.reset_password`), the password never.
pub async fn reset_password(
    store: &Store,
    passwords: &password::Hashing,
    actor: &Actor,
    customs_code: &str,
    login: &str,
    new_password: &str,
) -> Result<()> {
    actor
        .authorize(
            store,
            Action::ManageUsers,
            customs_code,
            "user.reset_password",
            login,
        )
        .await?;
    password::check_rules(new_password)?;
    let mut conn = store.reader().await?;
    let user = users::find_by_login(&mut conn, login.trim())
        .await?
        .filter(|u| u.organisation_code == customs_code)
        .ok_or_else(|| Error::NotFound {
            what: "user",
            key: login.to_owned(),
        })?;
    drop(conn);
    let password_hash = passwords.hash(new_password).await?;
    let mut tx = store.begin().await?;
    users::set_password(&mut tx, &user.id, &password_hash).await?;
    actor
        .commit(
            tx,
            "user.reset_password",
            Some(&user.login),
            Some(customs_code),
        )
        .await
}

/// Lists an organisation's users (names are personal data: audited).
pub async fn list_users(store: &Store, actor: &Actor, customs_code: &str) -> Result<Vec<User>> {
    actor
        .authorize(
            store,
            Action::ReadUsers,
            customs_code,
            "user.list",
            customs_code,
        )
        .await?;
    let mut conn = store.reader().await?;
    let org = organisations::find_by_code(&mut conn, customs_code)
        .await?
        .ok_or_else(|| not_found_organisation(customs_code))?;
    let list = users::list_for_organisation(&mut conn, &org.id).await?;
    drop(conn);
    record(
        store,
        &actor.entry("user.list", Some(customs_code), Outcome::Success, None),
    )
    .await?;
    Ok(list)
}

/// Registers a signing certificate (PEM) for the organisation with
/// `customs_code` (zone administration or operator): the lists,
/// cancellations, returns and entry lists it sends count as signed only
/// with a registered certificate (ceb-messages.md §4.4). Only SM2 and RSA
/// certificates are taken; the same one twice is a conflict.
pub async fn register_certificate(
    store: &Store,
    actor: &Actor,
    customs_code: &str,
    pem: &[u8],
) -> Result<certificates::Certificate> {
    actor
        .authorize(
            store,
            Action::ManageOrganisations,
            customs_code,
            "certificate.add",
            customs_code,
        )
        .await?;
    let info = kuajing_ceb::sign::read_certificate(pem).map_err(|error| {
        Error::invalid("cert", error.code(), error.message_zh(), error.to_string())
    })?;
    let mut tx = store.begin().await?;
    let org = organisations::find_by_code(&mut tx, customs_code)
        .await?
        .ok_or_else(|| not_found_organisation(customs_code))?;
    let new = certificates::NewCertificate {
        organisation_id: &org.id,
        serial: &info.serial,
        subject: &info.subject,
        issuer: &info.issuer,
        algorithm: info.algorithm.name(),
        not_after: &info.not_after,
        der: &info.der,
        added_by: &actor.name,
    };
    let certificate = certificates::insert(&mut tx, &new, Timestamp::now()).await?;
    let detail = format!(
        "serial={}; subject={}; algorithm={}",
        certificate.serial, certificate.subject, certificate.algorithm
    );
    actor
        .commit(tx, "certificate.add", Some(customs_code), Some(&detail))
        .await?;
    Ok(certificate)
}

fn not_found_organisation(code: &str) -> Error {
    Error::NotFound {
        what: "organisation",
        key: code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> OrganisationInput {
        OrganisationInput {
            customs_code: "2224960001".into(),
            name: "珲春市跨境优选电子商务有限公司".into(),
            uscc: Some("91330100716105852F".into()),
            roles: vec!["ebp".into(), "ebc".into()],
            contact_phone: Some("0433-7512345".into()),
            ..Default::default()
        }
    }

    fn field_and_code(result: Result<NewOrganisation>) -> (String, &'static str) {
        match result {
            Err(Error::Invalid { field, code, .. }) => (field, code),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_good_filing_parses() {
        let new = input().parse(false).unwrap();
        assert_eq!(new.customs_code.as_str(), "2224960001");
        assert_eq!(new.roles.to_string(), "ebp,ebc");
    }

    #[test]
    fn each_refusal_names_its_field() {
        let mut bad = input();
        bad.uscc = Some("91330100716105852G".into());
        assert_eq!(
            field_and_code(bad.parse(false)),
            ("uscc".into(), "ID_CHECK_CHARACTER")
        );

        let mut bad = input();
        bad.customs_code = "2224".into();
        assert_eq!(
            field_and_code(bad.parse(false)),
            ("customs_code".into(), "ID_LENGTH")
        );

        let mut bad = input();
        bad.roles = vec!["ebp".into(), "admin".into()];
        assert_eq!(
            field_and_code(bad.parse(false)),
            ("roles[1]".into(), "ROLE_UNKNOWN")
        );

        let mut bad = input();
        bad.roles.clear();
        assert_eq!(
            field_and_code(bad.parse(false)),
            ("roles".into(), "ROLES_REQUIRED")
        );

        let mut bad = input();
        bad.name = " ".into();
        assert_eq!(
            field_and_code(bad.parse(false)),
            ("name".into(), "FIELD_REQUIRED")
        );
    }
}
