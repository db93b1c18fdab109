//! The consumer's own quota (个人年度交易额度查询, policy-rules.md §4:
//! "consumers can check used/remaining annual quota"): after proving the ID
//! number and the name — both must match a declaration list the platform
//! holds — the used and remaining value of the current calendar year.
//! Throttled per address like sign-in, so ID numbers cannot be tried in
//! bulk.

use std::net::IpAddr;

use kuajing_core::ids::ResidentId;
use kuajing_core::money::from_fen;
use kuajing_store::Store;
use kuajing_store::clearance as store_clearance;
use kuajing_store::quota;
use rust_decimal::Decimal;

use kuajing_exchange::ClearanceSettings;
use kuajing_exchange::time_format::china_date;
use kuajing_registry::auth::throttle::SignInThrottle;
use kuajing_registry::error::{Error, Result};

/// What a consumer sees of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaView {
    /// The calendar year.
    pub year: i32,
    /// The annual limit, CNY.
    pub limit: Decimal,
    /// Used (reserved and committed, less returns), CNY.
    pub used: Decimal,
    /// What remains, CNY (never below zero).
    pub remaining: Decimal,
}

/// The quota of the buyer with `id_number` and `name` this year, or `None`
/// when no list of the platform has both.
pub async fn look_up(
    store: &Store,
    throttle: &SignInThrottle,
    settings: &ClearanceSettings,
    id_number: &str,
    name: &str,
    ip: Option<IpAddr>,
) -> Result<Option<QuotaView>> {
    if let Some(Err(retry_after_secs)) = ip.map(|ip| throttle.check(ip)) {
        return Err(Error::TooManyRequests { retry_after_secs });
    }
    let id = ResidentId::parse(id_number.trim()).map_err(|e| Error::invalid_id("id_number", &e))?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(Error::invalid(
            "name",
            "QUOTA_NAME",
            "请填写姓名（1至60个字符）",
            "enter the name (1 to 60 characters)",
        ));
    }
    let buyer = id.expose().to_ascii_uppercase();
    let mut conn = store.reader().await?;
    let bodies = store_clearance::lists_of_buyer(&mut conn, &buyer).await?;
    let proven = bodies.iter().any(|body| {
        serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .and_then(|v| {
                v.get("InventoryHead")
                    .and_then(|h| h.get("buyerName"))
                    .and_then(|n| n.as_str())
                    .map(|n| n.trim() == name)
            })
            .unwrap_or(false)
    });
    if !proven {
        return Ok(None);
    }
    // The year by the platform's clock, as the lists' quota years are.
    let today = china_date(settings.clock.now());
    let limits = settings
        .limits
        .on(today)
        .copied()
        .ok_or_else(|| Error::Internal(format!("no limits in force on {today}")))?;
    let used = from_fen(quota::used_fen(&mut conn, &buyer, today.year()).await?);
    Ok(Some(QuotaView {
        year: today.year(),
        limit: limits.annual,
        used,
        remaining: (limits.annual - used).max(Decimal::ZERO),
    }))
}
