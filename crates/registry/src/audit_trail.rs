//! Reading the audit trail (zone administration only). The read itself is
//! audited: the trail holds logins and addresses.

use kuajing_core::access::Action;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Store;
use kuajing_store::audit::{self, AuditEntry, AuditFilter, Outcome};
use serde::Deserialize;

use crate::actor::{Actor, record};
use crate::error::{Error, Result};
use crate::validate;

/// Default and largest page sizes.
pub const DEFAULT_LIMIT: i64 = 50;
/// Largest page size accepted.
pub const MAX_LIMIT: i64 = 500;

/// Filters as they arrive in a query string or a form; all optional.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Customs code of the organisation acted for.
    pub organisation: Option<String>,
    /// Action or its start, e.g. `sign_in` or `organisation.`.
    pub action: Option<String>,
    /// `success`, `denied` or `failed`.
    pub outcome: Option<String>,
    /// Login or token prefix of the actor.
    pub actor: Option<String>,
    /// At or after this instant (RFC 3339) or date (YYYY-MM-DD, UTC).
    pub from: Option<String>,
    /// Before this instant or date.
    pub to: Option<String>,
    /// Cursor: only entries older than this `seq` (from the previous page).
    pub before: Option<i64>,
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
}

impl AuditQuery {
    /// Checks the filters, naming the field of the first bad one.
    pub fn parse(&self) -> Result<AuditFilter> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(Error::invalid(
                "limit",
                "LIMIT_RANGE",
                format!("limit 应在 1 到 {MAX_LIMIT} 之间，当前为 {limit}"),
                format!("limit must be between 1 and {MAX_LIMIT}, got {limit}"),
            ));
        }
        let outcome = match validate::optional("outcome", self.outcome.as_deref(), 20)? {
            Some(text) => Some(Outcome::parse(&text).ok_or_else(|| {
                Error::invalid(
                    "outcome",
                    "OUTCOME_UNKNOWN",
                    format!("未知结果“{text}”，应为 success、denied 或 failed"),
                    format!("unknown outcome '{text}'; use success, denied or failed"),
                )
            })?),
            None => None,
        };
        Ok(AuditFilter {
            organisation_code: validate::optional(
                "organisation",
                self.organisation.as_deref(),
                18,
            )?,
            action_prefix: validate::optional("action", self.action.as_deref(), 64)?,
            outcome,
            actor_name: validate::optional("actor", self.actor.as_deref(), 64)?,
            from: instant("from", self.from.as_deref())?,
            to: instant("to", self.to.as_deref())?,
            before_seq: self.before,
            limit,
        })
    }
}

fn instant(field: &str, value: Option<&str>) -> Result<Option<Timestamp>> {
    match validate::optional(field, value, 40)? {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            Error::invalid(
                field,
                "TIME_FORMAT",
                format!("“{text}”不是有效时间，应为 2026-11-27 或 2026-11-27T10:00:00Z 格式"),
                format!("'{text}' is not a time like 2026-11-27 or 2026-11-27T10:00:00Z"),
            )
        }),
    }
}

/// Reads a page of the trail, newest first.
pub async fn read(store: &Store, actor: &Actor, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
    let filter = query.parse()?;
    let own = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::ReadAudit, &own, "audit.read", "audit_log")
        .await?;
    let mut conn = store.reader().await?;
    let entries = audit::list(&mut conn, &filter).await?;
    drop(conn);
    record(
        store,
        &actor.entry(
            "audit.read",
            Some("audit_log"),
            kuajing_store::audit::Outcome::Success,
            None,
        ),
    )
    .await?;
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_filters_name_their_field() {
        let bad = |q: AuditQuery| match q.parse() {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            bad(AuditQuery {
                limit: Some(0),
                ..Default::default()
            }),
            "limit"
        );
        assert_eq!(
            bad(AuditQuery {
                outcome: Some("maybe".into()),
                ..Default::default()
            }),
            "outcome"
        );
        assert_eq!(
            bad(AuditQuery {
                from: Some("yesterday".into()),
                ..Default::default()
            }),
            "from"
        );
        let ok = AuditQuery {
            from: Some("2026-11-27".into()),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.limit, DEFAULT_LIMIT);
    }
}
