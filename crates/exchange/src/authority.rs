//! Who may declare a document (申报权限, issue #14 finding 1).
//!
//! The token's enterprise must be the message's `BaseTransfer/copCode`, the
//! transmitting enterprise (ceb-messages.md §2.1). That alone says nothing
//! about the documents inside: an enterprise holding the `ebc` role could
//! send another enterprise's order with its own `copCode` and change,
//! delete or squat it. So a document may be declared only by an enterprise
//! it names in the sender's role —
//!
//! | documents | named as |
//! | --- | --- |
//! | orders, export orders (CEB311, CEB303) | `ebpCode` or `ebcCode` |
//! | payments, receipts of payment (CEB411, CEB403) | `payCode` |
//! | waybills, their statuses, departures (CEB511, CEB505, CEB513, CEB509) | `logisticsCode` |
//! | lists, cancellations, returns, summaries (CEB621, CEB603, CEB623, CEB625, CEB605, CEB213, CEB701) | `agentCode` or `ebcCode` |
//! | master/sub-waybill lists (CEB607) | `agentCode` |
//! | a site's arrivals, entry lists, tallies (CEB507, CEB711, CEB215) | `operatorCode` |
//!
//! — or by an enterprise that party delegated the documents' scope to
//! (`kuajing_registry::delegations`). A document already kept may be changed or
//! deleted (`appType` 2/3), and a list cancelled or returned, only by the
//! enterprise that declared it or by a party it names itself
//! ([`Authority::may_change`]). A refusal is a business receipt with a
//! negative status naming the fields, and nothing changes.

use kuajing_ceb::model::{export, import};
use kuajing_ceb::{Message, MessageType};
use kuajing_core::delegation::Scope;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Store;
use kuajing_store::ceb_documents::Kind;
use kuajing_store::delegations;

use super::documents::Doc;
use super::record::from_body;
use kuajing_registry::error::Result;

/// What the sender of one message may declare: its own documents, and
/// those of the principals that delegated a scope to it.
#[derive(Debug, Clone)]
pub struct Authority {
    sender: String,
    delegated: Vec<(String, Scope)>,
}

impl Authority {
    /// The sender's authority when no delegation is looked up (every party
    /// the message names is the sender itself).
    pub fn sender_only(sender: &str) -> Authority {
        Authority {
            sender: sender.to_owned(),
            delegated: Vec::new(),
        }
    }

    /// The sender's authority for a message naming `parties`: the
    /// delegations in force to the sender are read (one indexed query)
    /// only if some party is not the sender.
    pub async fn load(
        store: &Store,
        sender: &str,
        parties: &[&str],
        at: Timestamp,
    ) -> Result<Authority> {
        if parties.iter().all(|p| *p == sender) {
            return Ok(Authority::sender_only(sender));
        }
        let mut conn = store.reader().await?;
        let delegated = delegations::in_force_for_agent(&mut conn, sender, at).await?;
        Ok(Authority {
            sender: sender.to_owned(),
            delegated,
        })
    }

    /// The transmitting enterprise.
    pub fn sender(&self) -> &str {
        &self.sender
    }

    /// Whether the sender may declare `scope`'s documents naming `party`:
    /// it is the party, or the party delegated the scope to it.
    pub fn may_act_for(&self, scope: Scope, party: &str) -> bool {
        !party.is_empty()
            && (party == self.sender
                || self
                    .delegated
                    .iter()
                    .any(|(principal, s)| *s == scope && principal == party))
    }

    /// Whether some principal delegated `scope` to the sender: then it may
    /// transmit the scope's messages without holding their role itself (a
    /// customs broker sending a platform's orders).
    pub fn acts_for_someone(&self, scope: Scope) -> bool {
        self.delegated.iter().any(|(_, s)| *s == scope)
    }

    /// Checks that one of `named` — (field, code) pairs of the document in
    /// the sender's role — is the sender or delegated `scope` to it; the
    /// refusal text (Chinese / English) names every field and value
    /// otherwise.
    pub fn check(&self, scope: Scope, named: &[(&str, &str)]) -> std::result::Result<(), String> {
        if named.iter().any(|(_, code)| self.may_act_for(scope, code)) {
            return Ok(());
        }
        let listed_zh: Vec<String> = named
            .iter()
            .map(|(field, code)| format!("{field} {}", shown(code)))
            .collect();
        let sender = &self.sender;
        Err(format!(
            "发送企业 {sender} 不是单证所列的 {}，也未获其委托申报（{scope}） / the sender {sender} is not {} of the document and holds no delegation from it to declare {scope}",
            listed_zh.join(" 或 "),
            listed_zh.join(" or "),
        ))
    }

    /// Whether the sender may change, delete, cancel or return a document
    /// kept earlier: it declared it (`declared_by`), or it is one of the
    /// parties the document names in its role (`parties`). A delegate that
    /// did not declare it may not.
    pub fn may_change(&self, declared_by: &str, parties: &[&str]) -> bool {
        declared_by == self.sender || parties.contains(&self.sender.as_str())
    }

    /// The refusal text for a change of the document keyed `key` that
    /// [`Authority::may_change`] does not allow.
    pub fn change_refusal(&self, key: &str) -> String {
        let sender = &self.sender;
        format!(
            "单证 {key} 由其他企业申报，发送企业 {sender} 既不是其申报企业也不是其所列当事人 / document {key} was declared by another enterprise; the sender {sender} neither declared it nor is named in it"
        )
    }
}

fn shown(code: &str) -> &str {
    if code.is_empty() {
        "(空 / empty)"
    } else {
        code
    }
}

/// The scope of a message type's documents, for the messages the intake
/// takes.
pub fn scope_of(message_type: MessageType) -> Option<Scope> {
    Some(match message_type {
        MessageType::Ceb311 | MessageType::Ceb303 => Scope::Orders,
        MessageType::Ceb411 | MessageType::Ceb403 => Scope::Payments,
        MessageType::Ceb511 | MessageType::Ceb505 | MessageType::Ceb513 | MessageType::Ceb509 => {
            Scope::Waybills
        }
        MessageType::Ceb621
        | MessageType::Ceb603
        | MessageType::Ceb623
        | MessageType::Ceb625
        | MessageType::Ceb605
        | MessageType::Ceb607
        | MessageType::Ceb213
        | MessageType::Ceb701 => Scope::Lists,
        MessageType::Ceb507 | MessageType::Ceb711 | MessageType::Ceb215 => Scope::Site,
        _ => return None,
    })
}

/// The (field, code) pairs that name the sender's party in one document.
pub fn named_in<'m>(document: &Doc<'m>) -> Vec<(&'static str, &'m str)> {
    match document {
        Doc::Order(o) => vec![
            ("ebpCode", o.order_head.ebp_code.as_str()),
            ("ebcCode", o.order_head.ebc_code.as_str()),
        ],
        Doc::ExportOrder(o) => vec![
            ("ebpCode", o.order_head.ebp_code.as_str()),
            ("ebcCode", o.order_head.ebc_code.as_str()),
        ],
        Doc::Payment(p) => vec![("payCode", p.payment_head.pay_code.as_str())],
        Doc::Collection(r) => vec![("payCode", r.pay_code.as_deref().unwrap_or(""))],
        Doc::Waybill(w) => vec![("logisticsCode", w.logistics_head.logistics_code.as_str())],
        Doc::ExportWaybill(w) => vec![("logisticsCode", w.logistics_code.as_str())],
        Doc::List(l) => vec![
            ("agentCode", l.inventory_head.agent_code.as_str()),
            ("ebcCode", l.inventory_head.ebc_code.as_str()),
        ],
        Doc::ExportList(l) => vec![
            ("agentCode", l.inventory_head.agent_code.as_str()),
            ("ebcCode", l.inventory_head.ebc_code.as_str()),
        ],
    }
}

/// The parties a kept document names in its declarer's role, read back
/// from its stored form (what [`Authority::may_change`] compares with).
pub fn parties_of_stored(kind: Kind, body: &str) -> Result<Vec<String>> {
    fn codes(document: Doc<'_>) -> Vec<String> {
        named_in(&document)
            .into_iter()
            .map(|(_, code)| code.to_owned())
            .collect()
    }
    Ok(match kind {
        Kind::Order => codes(Doc::Order(&from_body::<import::Order>(body)?)),
        Kind::Payment => codes(Doc::Payment(&from_body::<import::Payment>(body)?)),
        Kind::Waybill => codes(Doc::Waybill(&from_body::<import::Logistics>(body)?)),
        Kind::List => codes(Doc::List(&from_body::<import::Inventory>(body)?)),
        Kind::ExportOrder => codes(Doc::ExportOrder(&from_body::<export::Order>(body)?)),
        Kind::Collection => codes(Doc::Collection(&from_body::<export::Receipts>(body)?)),
        Kind::ExportWaybill => codes(Doc::ExportWaybill(&from_body::<export::Logistics>(body)?)),
        Kind::ExportList => codes(Doc::ExportList(&from_body::<export::Inventory>(body)?)),
    })
}

/// Every party code a message names in its sender's role, across its
/// documents or heads: if all are the sender, no delegation is looked up.
pub fn parties_named(message: &Message) -> Vec<&str> {
    if let Some(documents) = super::documents::documents_of(message) {
        return documents
            .iter()
            .flat_map(|d| named_in(d).into_iter().map(|(_, code)| code))
            .collect();
    }
    heads_named(message)
        .into_iter()
        .flatten()
        .map(|(_, code)| code)
        .collect()
}

/// Per head of a message answered head by head (cancellations, returns,
/// statuses, manifests, entry lists, summaries, tallies), the (field,
/// code) pairs naming the sender's party.
pub fn heads_named(message: &Message) -> Vec<Vec<(&'static str, &str)>> {
    fn agent_or_ebc<'a>(agent: &'a str, ebc: &'a str) -> Vec<(&'static str, &'a str)> {
        vec![("agentCode", agent), ("ebcCode", ebc)]
    }
    match message {
        Message::Ceb623(m) => m
            .invt_cancel
            .iter()
            .map(|c| agent_or_ebc(&c.agent_code, &c.ebc_code))
            .collect(),
        Message::Ceb625(m) => m
            .invt_refund
            .iter()
            .map(|r| agent_or_ebc(&r.invt_refund_head.agent_code, &r.invt_refund_head.ebc_code))
            .collect(),
        Message::Ceb605(m) => m
            .invt_cancel
            .iter()
            .map(|c| agent_or_ebc(&c.agent_code, &c.ebc_code))
            .collect(),
        Message::Ceb213(m) => m
            .invt_refund
            .iter()
            .map(|r| agent_or_ebc(&r.invt_refund_head.agent_code, &r.invt_refund_head.ebc_code))
            .collect(),
        Message::Ceb701(m) => m
            .summary_apply
            .iter()
            .map(|s| {
                agent_or_ebc(
                    &s.summary_apply_head.agent_code,
                    &s.summary_apply_head.ebc_code,
                )
            })
            .collect(),
        Message::Ceb607(m) => m
            .way_bill
            .iter()
            .map(|b| vec![("agentCode", b.way_bill_head.agent_code.as_str())])
            .collect(),
        Message::Ceb513(m) => m
            .logistics_status
            .iter()
            .map(|s| vec![("logisticsCode", s.logistics_code.as_str())])
            .collect(),
        Message::Ceb509(m) => m
            .departure
            .iter()
            .map(|d| vec![("logisticsCode", d.departure_head.logistics_code.as_str())])
            .collect(),
        Message::Ceb507(m) => m
            .arrival
            .iter()
            .map(|a| vec![("operatorCode", a.arrival_head.operator_code.as_str())])
            .collect(),
        Message::Ceb711(m) => vec![vec![(
            "operatorCode",
            m.delivery.delivery_head.operator_code.as_str(),
        )]],
        Message::Ceb215(m) => m
            .invt_refund_detail
            .iter()
            .map(|d| vec![("operatorCode", d.operator_code.as_str())])
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delegated(sender: &str, delegated: &[(&str, Scope)]) -> Authority {
        Authority {
            sender: sender.to_owned(),
            delegated: delegated
                .iter()
                .map(|(p, s)| ((*p).to_owned(), *s))
                .collect(),
        }
    }

    #[test]
    fn the_sender_acts_for_itself_and_its_principals_in_their_scope() {
        let broker = delegated("2224960301", &[("2224960004", Scope::Lists)]);
        assert!(broker.may_act_for(Scope::Orders, "2224960301"));
        assert!(broker.may_act_for(Scope::Lists, "2224960004"));
        assert!(
            !broker.may_act_for(Scope::Orders, "2224960004"),
            "another scope"
        );
        assert!(
            !broker.may_act_for(Scope::Lists, "2224960005"),
            "another principal"
        );
        assert!(
            !broker.may_act_for(Scope::Lists, ""),
            "an empty code names nobody"
        );
        assert!(broker.acts_for_someone(Scope::Lists));
        assert!(!broker.acts_for_someone(Scope::Payments));
    }

    #[test]
    fn a_refusal_names_every_field_and_value() {
        let bystander = Authority::sender_only("2224960005");
        let info = bystander
            .check(
                Scope::Orders,
                &[("ebpCode", "2224960001"), ("ebcCode", "2224960004")],
            )
            .unwrap_err();
        for part in [
            "ebpCode 2224960001",
            "ebcCode 2224960004",
            "2224960005",
            "orders",
        ] {
            assert!(info.contains(part), "{info}");
        }
        assert!(
            bystander
                .check(
                    Scope::Orders,
                    &[("ebpCode", "2224960001"), ("ebcCode", "2224960005")]
                )
                .is_ok()
        );
    }

    #[test]
    fn only_the_declarer_or_a_named_party_changes_a_document() {
        let agent = delegated("2224960301", &[("2224960004", Scope::Lists)]);
        let parties = ["2224960302", "2224960004"];
        assert!(
            !agent.may_change("2224960302", &parties),
            "a delegate that did not declare it"
        );
        assert!(agent.may_change("2224960301", &parties), "the declarer");
        let ebc = Authority::sender_only("2224960004");
        assert!(ebc.may_change("2224960302", &parties), "the party itself");
    }
}
