//! The demo zone's parties (all fictitious) and how they send: through the
//! intake exactly as `POST /api/ceb` does, acting through the use cases.

use kuajing_ceb::{Message, encode};
use kuajing_core::role::{Role, RoleSet};
use kuajing_intake::receive as intake;
use kuajing_registry::actor::Actor;
use kuajing_server::AppState;

/// The demo's platform (also an e-commerce enterprise).
pub(crate) const EBP: &str = "2224960001";
/// The demo's e-commerce enterprise, which declares its own lists.
pub(crate) const EBC: &str = "2224960004";
/// The demo's payment company.
pub(crate) const PAY: &str = "2224960101";
/// The demo's logistics company.
pub(crate) const LOGISTICS: &str = "2224960201";
/// The demo's zone warehouse, which keeps the bonded account book the
/// demo's 1210 lists draw on.
pub(crate) const WAREHOUSE: &str = "2224560401";
/// The supply-chain company (logistics, customs declarer) the e-commerce
/// enterprise delegates its lists to.
pub(crate) const SUPPLY_CHAIN_DECLARER: &str = "2224960206";
/// Sends `message` as the enterprise `code` holding `roles`, through the
/// intake exactly as `POST /api/ceb` does.
pub(crate) async fn send(
    state: &AppState,
    code: &str,
    roles: &[Role],
    message: &Message,
) -> Result<(), String> {
    let actor = acting(code, roles);
    let reply = intake::receive(state.intake(), &actor, encode(message).as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    if !reply.outcome.is_read() {
        return Err(format!(
            "{} answered {:?}: {}",
            message.message_type().code(),
            reply.outcome,
            reply.xml
        ));
    }
    Ok(())
}

/// The demo enterprise `code` holding `roles`, acting through the use
/// cases.
pub(crate) fn acting(code: &str, roles: &[Role]) -> Actor {
    Actor {
        organisation_code: Some(code.to_owned()),
        roles: roles.iter().fold(RoleSet::EMPTY, |set, r| set.with(*r)),
        name: "demo".to_owned(),
        ..Actor::system()
    }
}
