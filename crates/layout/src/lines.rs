//! How much code each crate holds (rule 1: no crate over a quarter).
//!
//! A line counts when it is not blank, lies in a file of the crate's module
//! tree (so `tests/`, `benches/` and `#[cfg(test)] mod tests;` files are out),
//! is not inside a `#[cfg(test)]` item and is not in a generated file (one
//! whose first lines say `@generated`, like the CEB message model produced
//! from the official XSDs).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use syn::spanned::Spanned;

use crate::Error;
use crate::modules::{ModuleTree, attributes, is_test};

/// The lines of one crate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    /// Non-blank, non-test lines written by hand.
    pub code: usize,
    /// Non-blank lines of generated files (not counted against the rule).
    pub generated: usize,
}

/// Counts the lines of the files of these module trees (a crate's library
/// and binary), each file once.
pub fn count(trees: &[ModuleTree]) -> Result<Count, Error> {
    let files: BTreeSet<PathBuf> = trees
        .iter()
        .flat_map(|tree| tree.modules.iter().map(|module| module.file.clone()))
        .collect();
    let mut total = Count::default();
    for file in files {
        let counted = count_file(&file)?;
        total.code += counted.code;
        total.generated += counted.generated;
    }
    Ok(total)
}

/// Counts one file.
pub fn count_file(path: &Path) -> Result<Count, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let non_blank = |lines: &mut dyn Iterator<Item = (usize, &str)>| {
        lines.filter(|(_, line)| !line.trim().is_empty()).count()
    };
    if text.lines().take(3).any(|line| line.contains("@generated")) {
        return Ok(Count {
            code: 0,
            generated: non_blank(&mut text.lines().enumerate()),
        });
    }
    let file = syn::parse_file(&text).map_err(|error| Error::Parse {
        path: path.to_path_buf(),
        message: error.to_string(),
    })?;
    let mut test_lines = BTreeSet::new();
    collect_test_lines(&file.items, &mut test_lines);
    let code = non_blank(
        &mut text
            .lines()
            .enumerate()
            .filter(|(number, _)| !test_lines.contains(&(number + 1))),
    );
    Ok(Count { code, generated: 0 })
}

/// The (1-based) lines of every `#[cfg(test)]` item, looking into inline
/// modules and impl blocks.
fn collect_test_lines(items: &[syn::Item], lines: &mut BTreeSet<usize>) {
    for item in items {
        if is_test(attributes(item)) {
            lines.extend(spanned_lines(attributes(item), item.span()));
            continue;
        }
        match item {
            syn::Item::Mod(module) => {
                if let Some((_, inner)) = &module.content {
                    collect_test_lines(inner, lines);
                }
            }
            syn::Item::Impl(block) => {
                for member in &block.items {
                    if let syn::ImplItem::Fn(function) = member
                        && is_test(&function.attrs)
                    {
                        lines.extend(spanned_lines(&function.attrs, function.span()));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The lines an item covers, from its first attribute to its end.
fn spanned_lines(
    attributes: &[syn::Attribute],
    span: proc_macro2::Span,
) -> std::ops::RangeInclusive<usize> {
    let first = attributes
        .first()
        .map_or(span.start().line, |attribute| attribute.span().start().line);
    first..=span.end().line
}
