//! File names that say one thing (rule 4): within a crate no module is the
//! singular or plural twin of another (`export.rs` for downloads beside
//! `exports.rs` for the trade flow was the case that named this rule), and
//! no module carries a name that says nothing (`utils`, `helpers`, `misc`).

use std::collections::BTreeMap;

use crate::modules::ModuleTree;

/// Names that say nothing of what a module holds.
pub const VAGUE: [&str; 6] = ["utils", "util", "helpers", "helper", "misc", "stuff"];

/// A name that breaks the rule, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadName {
    /// The module (`crate::a::b`).
    pub module: String,
    /// What is wrong with it.
    pub why: String,
}

/// The bad names among a crate's modules (all its trees together).
pub fn bad_names(trees: &[ModuleTree]) -> Vec<BadName> {
    let mut by_stem: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut bad = Vec::new();
    for tree in trees {
        for (at, module) in tree.modules.iter().enumerate() {
            let Some(name) = module.path.last() else {
                continue;
            };
            if VAGUE.contains(&name.as_str()) {
                bad.push(BadName {
                    module: tree.name(at),
                    why: format!("`{name}` says nothing of what it holds"),
                });
            }
            by_stem.entry(stem(name)).or_default().push(tree.name(at));
        }
    }
    for (stem, modules) in by_stem {
        let names: std::collections::BTreeSet<&str> = modules
            .iter()
            .filter_map(|module| module.rsplit("::").next())
            .collect();
        if names.len() > 1 {
            bad.push(BadName {
                module: modules.join(", "),
                why: format!("singular and plural of `{stem}` name different things"),
            });
        }
    }
    bad
}

/// A name without its plural ending (`exports` → `export`, `summaries` →
/// `summary`, `boxes` → `box`).
pub fn stem(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["sses", "uses", "xes", "ches", "shes"] {
        if name.ends_with(ending) {
            return name[..name.len() - 2].to_owned();
        }
    }
    match name.strip_suffix('s') {
        Some(stem) if !name.ends_with("ss") && !name.ends_with("us") => stem.to_owned(),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn plurals_meet_their_singulars() {
        assert_eq!(stem("exports"), "export");
        assert_eq!(stem("export"), "export");
        assert_eq!(stem("boxes"), "box");
        assert_eq!(stem("process"), "process");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("statuses"), "status");
        assert_eq!(stem("summaries"), "summary");
        assert_eq!(stem("summary"), "summary");
    }
}
