//! Finding lists (清单查询) by what a person has in hand: the list number
//! (`invtNo`), the order number, the waybill number or the buyer's ID
//! number. Customs and the zone administration find any list; a declaring
//! enterprise finds only its own. Each way is an index seek, never a scan:
//! the list number is unique; an order number is sought under each
//! platform filed with the platform, a waybill number under each logistics
//! company; a buyer by the (buyer, time) index.

use kuajing_core::access::{Action, Scope};
use kuajing_core::ids::ResidentId;
use kuajing_core::personal::PersonalKind;
use kuajing_core::role::Role;
use kuajing_registry::actor::{Actor, record};
use kuajing_registry::error::{Error, Result};
use kuajing_store::Store;
use kuajing_store::audit::Outcome;
use kuajing_store::ceb_documents::{self as store_docs, Document, Kind};
use kuajing_store::organisations::{self as store_orgs, OrganisationFilter};

use crate::review::ListView;

/// The most lists one look-up returns (a buyer's newest).
pub const MAX_FOUND: i64 = 50;

/// What the text was taken to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FoundBy {
    /// The list number (清单编号).
    ListNumber,
    /// The order number (订单编号).
    OrderNumber,
    /// The waybill number (物流运单编号).
    WaybillNumber,
    /// The buyer's ID number (订购人证件号码).
    Buyer,
}

/// The lists found, and how.
#[derive(Debug, Clone)]
pub struct Found {
    /// What the text matched; `None` when nothing did.
    pub by: Option<FoundBy>,
    /// The lists, newest first.
    pub lists: Vec<ListView>,
}

/// Finds the lists `text` names: a resident ID number is taken as a buyer
/// (the look-up is audited, the number masked in the trail); otherwise the
/// list number, then the order number, then the waybill number.
pub async fn find_lists(store: &Store, actor: &Actor, text: &str) -> Result<Found> {
    let own = actor.organisation_code.clone().unwrap_or_default();
    let only_own = match actor.scope(Action::ReadClearance) {
        Some(Scope::All) => None,
        _ => {
            actor
                .authorize(store, Action::Declare, &own, "clearance.find", "")
                .await?;
            Some(own)
        }
    };
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 64 || text.chars().any(char::is_control) {
        return Err(Error::invalid(
            "find",
            "FIND_TEXT",
            "请输入清单编号、订单编号、运单编号或订购人证件号码（至多 64 个字符）",
            "give a list number, order number, waybill number or buyer's ID number (at most 64 characters)",
        ));
    }
    let mut conn = store.reader().await?;
    let (by, documents) = if ResidentId::parse(text).is_ok() {
        let buyer = text.to_ascii_uppercase();
        let masked = PersonalKind::IdNumber.mask(&buyer);
        let lists = store_docs::lists_of_buyer_id(&mut conn, &buyer, MAX_FOUND).await?;
        drop(conn);
        let detail = format!("{} lists", lists.len());
        let entry = actor.entry(
            "clearance.find_buyer",
            Some(&masked),
            Outcome::Success,
            Some(&detail),
        );
        record(store, &entry).await?;
        (FoundBy::Buyer, lists)
    } else if let Some(list) = store_docs::find_by_invt_no(&mut conn, Kind::List, text).await? {
        (FoundBy::ListNumber, vec![list])
    } else {
        let platforms = codes_of(&mut conn, Role::Ebp).await?;
        let platforms: Vec<&str> = platforms.iter().map(String::as_str).collect();
        let by_order = store_docs::lists_of_order_on(&mut conn, &platforms, text).await?;
        if by_order.is_empty() {
            let carriers = codes_of(&mut conn, Role::Logistics).await?;
            let keys: Vec<String> = carriers
                .iter()
                .map(|code| kuajing_exchange::documents::waybill_key(code, text))
                .collect();
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            (
                FoundBy::WaybillNumber,
                store_docs::lists_of_waybills(&mut conn, &keys).await?,
            )
        } else {
            (FoundBy::OrderNumber, by_order)
        }
    };
    let mut lists: Vec<&Document> = documents
        .iter()
        .filter(|d| only_own.as_deref().is_none_or(|own| d.owner_code == own))
        .collect();
    lists.sort_by_key(|d| std::cmp::Reverse(d.created_at));
    Ok(Found {
        by: (!lists.is_empty()).then_some(by),
        lists: lists.into_iter().map(ListView::from).collect(),
    })
}

/// The customs codes of the organisations holding `role`.
async fn codes_of(conn: &mut kuajing_store::Conn, role: Role) -> Result<Vec<String>> {
    let filter = OrganisationFilter {
        role: Some(role),
        ..Default::default()
    };
    Ok(store_orgs::list(conn, &filter)
        .await?
        .into_iter()
        .map(|o| o.customs_code.to_string())
        .collect())
}
