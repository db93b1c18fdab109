//! The incomplete-list timeout (三单不齐): lists that waited longer than
//! the settings allow for their documents are refused, import lists by the
//! engine and export lists by the export system.

use std::time::Duration;

use kuajing_registry::error::Result;

use crate::Intake;

/// Every minute: refuse the lists that waited too long for their documents
/// ("三单不齐"), a batch at a time.
pub async fn run(intake: Intake) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        match refuse_overdue(&intake).await {
            Ok(0) => {}
            Ok(refused) => tracing::info!(refused, "lists refused as incomplete"),
            Err(error) => tracing::warn!(%error, "incomplete-list timeout failed"),
        }
    }
}

/// Refuses up to 500 lists whose documents did not all arrive in time;
/// returns how many.
pub async fn refuse_overdue(intake: &Intake) -> Result<usize> {
    let now = intake.settings().clock.now();
    let context = kuajing_import::engine::Context {
        engine: intake.engine(),
        settings: intake.settings(),
        now,
        reference: intake.reference_cache(),
    };
    let mut tx = intake.store().begin().await?;
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
