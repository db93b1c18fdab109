//! API tokens: issue (the secret is shown once), list, revoke.

use kuajing_core::access::{Action, Scope};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::audit::Outcome;
use kuajing_store::tokens::{self, ApiToken, NewApiToken};
use kuajing_store::{Store, organisations};

use crate::actor::Actor;
use crate::auth::secret;
use crate::error::{Error, Result};
use crate::validate;

/// Prefix of every API token, so that leaked tokens are recognisable (e.g. by
/// secret scanners).
pub const TOKEN_PREFIX: &str = "kj_";

/// Issues a token for organisation `customs_code`; returns the record and the
/// secret, which is not stored and cannot be shown again.
pub async fn issue(
    store: &Store,
    actor: &Actor,
    customs_code: &str,
    label: &str,
) -> Result<(ApiToken, String)> {
    let label = validate::required("label", label, 100)?;
    actor
        .authorize(
            store,
            Action::ManageTokens,
            customs_code,
            "token.issue",
            customs_code,
        )
        .await?;
    let mut conn = store.reader().await?;
    let org = organisations::find_by_code(&mut conn, customs_code)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: "organisation",
            key: customs_code.to_owned(),
        })?;
    drop(conn);
    let secret = secret::new_secret(TOKEN_PREFIX)?;
    let hash = secret::hash_secret(&secret);
    let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 6).collect();
    let mut tx = store.begin().await?;
    let new = NewApiToken {
        organisation_id: &org.id,
        token_hash: &hash,
        prefix: &prefix,
        label: &label,
        created_by: &actor.name,
    };
    let token = tokens::insert(&mut tx, &new, Timestamp::now()).await?;
    actor
        .commit(tx, "token.issue", Some(&token.id), Some(customs_code))
        .await?;
    Ok((token, secret))
}

/// Lists tokens the actor may manage: its own organisation's, or with
/// `customs_code` another's for the zone administration (all if `None`).
pub async fn list(
    store: &Store,
    actor: &Actor,
    customs_code: Option<&str>,
) -> Result<Vec<ApiToken>> {
    let own = actor.organisation_code.as_deref();
    let wanted = match (actor.scope(Action::ManageTokens), customs_code) {
        (Some(Scope::All), wanted) => wanted,
        (Some(Scope::Own), Some(code)) if Some(code) != own => {
            actor
                .authorize(store, Action::ManageTokens, code, "token.list", code)
                .await?;
            Some(code)
        }
        (Some(Scope::Own), _) => own,
        (None, _) => return Ok(Vec::new()),
    };
    let mut conn = store.reader().await?;
    Ok(tokens::list(&mut conn, wanted).await?)
}

/// Revokes a token. Another organisation's token is reported as not found, so
/// that token ids cannot be probed. Revoking a revoked token changes nothing
/// (and records nothing) and answers with the token as it is.
pub async fn revoke(store: &Store, actor: &Actor, id: &str) -> Result<ApiToken> {
    let not_found = || Error::NotFound {
        what: "API token",
        key: id.to_owned(),
    };
    let mut conn = store.reader().await?;
    let token = tokens::find_by_id(&mut conn, id)
        .await?
        .ok_or_else(not_found)?;
    drop(conn);
    if actor
        .may(Action::ManageTokens, &token.organisation_code)
        .is_err()
    {
        let entry = actor.entry("token.revoke", Some(id), Outcome::Denied, None);
        crate::actor::record(store, &entry).await?;
        return Err(not_found());
    }
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let mut tx = store.begin().await?;
    let changed = tokens::revoke(&mut tx, id, &actor.name, Timestamp::now()).await?;
    let revoked = tokens::find_by_id(&mut tx, id)
        .await?
        .ok_or_else(not_found)?;
    if changed {
        let owner = Some(token.organisation_code.as_str());
        actor.commit(tx, "token.revoke", Some(id), owner).await?;
    }
    Ok(revoked)
}
