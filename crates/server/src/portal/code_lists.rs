//! Code fields as searchable lists (an `<input list>` and its `<datalist>`:
//! the browser filters the names as one types, no script), fed by the
//! reference tables in force, named in the reader's language.

use kuajing_core::timestamp::Timestamp;
use kuajing_reference::ReferenceKind;
use kuajing_registry::reference_data;

use crate::portal::context::{Ctx, PortalError};
use crate::portal::glossary;
use crate::state::AppState;

/// A reference table's codes and names, for a code field to search.
pub struct CodeList {
    /// The `<datalist>`'s id.
    pub id: &'static str,
    /// Each code and its name.
    pub options: Vec<(String, String)>,
}

impl CodeList {
    /// The code shown as its name with the code (`Russia (344)`), or as it
    /// is when the table has no such code.
    pub fn named(&self, code: &str) -> String {
        match self.options.iter().find(|(c, _)| c == code) {
            Some((_, name)) => format!("{name} ({code})"),
            None => code.to_owned(),
        }
    }
}

/// The codes in force of each table the form's code fields use, as
/// searchable lists (an `<input list>` and its `<datalist>`: the browser
/// filters the names as one types, no script needed).
pub async fn code_lists(
    state: &AppState,
    ctx: &Ctx,
    kinds: &[ReferenceKind],
) -> Result<Vec<CodeList>, PortalError> {
    let actor = ctx.member()?;
    let mut lists = Vec::new();
    for &kind in kinds {
        if lists.iter().any(|l: &CodeList| l.id == code_list_id(kind)) {
            continue;
        }
        let options = reference_data::codes_in_force(state.store(), actor, kind, Timestamp::now())
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .map(|c| {
                let name = glossary::reference_name(ctx.lang, &c.entry).to_owned();
                (c.entry.code, name)
            })
            .collect();
        lists.push(CodeList {
            id: code_list_id(kind),
            options,
        });
    }
    Ok(lists)
}

pub fn code_list_id(kind: ReferenceKind) -> &'static str {
    match kind {
        ReferenceKind::Country => "codes-country",
        ReferenceKind::Currency => "codes-currency",
        ReferenceKind::Unit => "codes-unit",
        ReferenceKind::Customs => "codes-customs",
        ReferenceKind::Division => "codes-division",
        ReferenceKind::Tariff => "codes-tariff",
    }
}
