//! A submitted form's refusals as people read them: every one in a summary
//! at the top (each linking to its field) and each again at its field.

use crate::error::Error;
use crate::portal::context::Ctx;

/// Every refusal of a submitted form, for the summary at its top: the
/// field's id (the summary links to it) and the message.
pub fn error_summary(ctx: &Ctx, error: Option<&Error>) -> Vec<(String, String)> {
    error
        .map(Error::parts)
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let field = e.field().unwrap_or_default();
            let anchor = field.split(['[', '.']).next().unwrap_or(field).to_owned();
            (anchor, ctx.message(e))
        })
        .collect()
}

/// Why the field `name` was refused, if it was, in the reader's language.
pub fn field_message(ctx: &Ctx, error: Option<&Error>, name: &str) -> Option<String> {
    error
        .map(Error::parts)
        .unwrap_or_default()
        .iter()
        .find(|e| e.field() == Some(name))
        .map(|e| ctx.message(e))
}

/// Whether any refusal is about a field whose path starts with `prefix`
/// (`roles` for `roles[1]`).
pub fn any_field_starts_with(error: Option<&Error>, prefix: &str) -> bool {
    error
        .map(Error::parts)
        .unwrap_or_default()
        .iter()
        .any(|e| e.field().is_some_and(|f| f.starts_with(prefix)))
}
