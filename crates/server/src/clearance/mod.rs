//! Retail import clearance (跨境电商零售进口通关), the platform playing the
//! customs side (issue #5): the intake of CEB messages, the engine that
//! decides each declaration list once its order, payment and waybill are
//! in, the officers' decisions on what the rules send them, and the
//! receipts every party is owed.
//!
//! - [`intake`]: `POST /api/ceb` — read, identify, keep, answer; each
//!   document on its own merits, one receipt message per message.
//! - [`documents`]: what each kind of document is keyed by, which official
//!   codes it is refused with, and what `appType` / `appStatus` allow.
//! - [`engine`]: the decision behind a trait ([`engine::ClearanceEngine`]),
//!   so a relay to the national customs system can take the built-in
//!   engine's place; around it, the database work (documents, tariff, the
//!   quota reserved in the same transaction, the status life cycle and the
//!   receipts owed).
//! - [`resends`]: a message sent again under a guid used before: the first
//!   receipt, or other content refused.
//! - [`review`]: the officers' queue and decisions.
//! - [`receipts_feed`]: the pull feed of receipts per enterprise.

pub mod intake;
pub mod resends;

use std::time::Duration;

pub use kuajing_exchange::ClearanceSettings;

/// Every minute: refuse the lists that waited too long for their documents
/// ("三单不齐"), a batch at a time.
pub async fn run_timeouts(state: crate::AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        match refuse_overdue(&state).await {
            Ok(0) => {}
            Ok(refused) => tracing::info!(refused, "lists refused as incomplete"),
            Err(error) => tracing::warn!(%error, "incomplete-list timeout failed"),
        }
    }
}

/// Refuses up to 500 lists whose documents did not all arrive in time;
/// returns how many.
pub async fn refuse_overdue(state: &crate::AppState) -> crate::error::Result<usize> {
    let now = state.config().clearance.clock.now();
    let context = kuajing_import::engine::Context {
        engine: state.engine(),
        settings: &state.config().clearance,
        now,
    };
    let mut tx = state.store().begin().await?;
    let mut owed = Vec::new();
    let before = now.minus(context.settings.incomplete_after);
    let waiting = kuajing_store::ceb_documents::awaiting_since(&mut tx, before, 500).await?;
    for list in &waiting {
        if list.kind == kuajing_store::ceb_documents::Kind::ExportList {
            let rule_set = context.engine.rule_set();
            kuajing_export::decision::refuse_incomplete(
                &mut tx,
                context.settings,
                now,
                &rule_set,
                list,
                &mut owed,
            )
            .await?;
        } else {
            kuajing_import::engine::refuse_incomplete(&mut tx, &context, list, &mut owed).await?;
        }
    }
    let refused = waiting.len();
    kuajing_exchange::receipts_out::deliver(&mut tx, &owed, now).await?;
    tx.commit().await.map_err(kuajing_store::StoreError::from)?;
    Ok(refused)
}
