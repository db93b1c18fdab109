//! The four rules run over a workspace, with what they found.

use std::fmt;
use std::path::Path;

use crate::Error;
use crate::cycles::circles;
use crate::dependencies::{Member, is_http_stack, members};
use crate::lines::{self, Count};
use crate::modules::ModuleTree;
use crate::names::bad_names;

/// Rule 1: the largest share of the workspace's code one crate may hold.
pub const MAX_SHARE_PERCENT: usize = 25;

/// Rule 2: the crates that may know HTTP — the web crate and the binary.
pub const EDGE_CRATES: [&str; 2] = ["kuajing-server", "kuajing"];

/// Crates that are tooling for tests and checks, not the platform: listed,
/// but not counted in the workspace's total.
pub const TOOLING_CRATES: [&str; 2] = ["kuajing-testkit", "kuajing-layout"];

/// A broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    /// Rule 1: a crate holds more than its share.
    Share {
        /// The crate.
        krate: String,
        /// Its lines.
        lines: usize,
        /// The workspace's lines.
        total: usize,
    },
    /// Rule 2: a system crate depends on the HTTP stack.
    Http {
        /// The crate.
        krate: String,
        /// The package it should not depend on.
        dependency: String,
    },
    /// Rule 3: modules of a crate import each other in a circle.
    Circle {
        /// The crate.
        krate: String,
        /// The modules in the circle.
        modules: Vec<String>,
        /// One reference per edge inside the circle: `from → to (file:line: path)`.
        references: Vec<String>,
    },
    /// Rule 4: a file name that does not say one thing.
    Name {
        /// The crate.
        krate: String,
        /// The module(s).
        module: String,
        /// Why.
        why: String,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::Share {
                krate,
                lines,
                total,
            } => write!(
                f,
                "rule 1: {krate} holds {lines} of {total} lines ({:.1} %), over {MAX_SHARE_PERCENT} %",
                percent(*lines, *total)
            ),
            Violation::Http { krate, dependency } => {
                write!(
                    f,
                    "rule 2: {krate} depends on {dependency}; only {} may",
                    EDGE_CRATES.join(" and ")
                )
            }
            Violation::Circle {
                krate,
                modules,
                references,
            } => {
                writeln!(
                    f,
                    "rule 3: in {krate}, {} import each other in a circle:",
                    modules.join(", ")
                )?;
                for reference in references {
                    writeln!(f, "    {reference}")?;
                }
                Ok(())
            }
            Violation::Name { krate, module, why } => {
                write!(f, "rule 4: in {krate}, {module}: {why}")
            }
        }
    }
}

/// What the check found: each crate's lines and every broken rule.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Each crate with its lines, the largest first.
    pub crates: Vec<(String, Count)>,
    /// The lines of the platform's crates (tooling left out).
    pub total: usize,
    /// Every broken rule.
    pub violations: Vec<Violation>,
}

/// `part` of `whole` in per cent.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// Runs the four rules over the workspace at `root`.
pub fn check(root: &Path) -> Result<Report, Error> {
    let mut report = Report::default();
    for member in members(root)? {
        let trees = member
            .roots
            .iter()
            .map(|root| ModuleTree::read(root))
            .collect::<Result<Vec<_>, _>>()?;
        let count = lines::count(&trees)?;
        if !TOOLING_CRATES.contains(&member.name.as_str()) {
            report.total += count.code;
        }
        report.violations.extend(http_dependencies(&member));
        for tree in &trees {
            report.violations.extend(circles_in(&member.name, tree));
        }
        report
            .violations
            .extend(bad_names(&trees).into_iter().map(|bad| Violation::Name {
                krate: member.name.clone(),
                module: bad.module,
                why: bad.why,
            }));
        report.crates.push((member.name, count));
    }
    report
        .crates
        .sort_by(|a, b| b.1.code.cmp(&a.1.code).then(a.0.cmp(&b.0)));
    let shares = report.crates.iter().filter(|(name, count)| {
        !TOOLING_CRATES.contains(&name.as_str())
            && count.code * 100 > report.total * MAX_SHARE_PERCENT
    });
    let shares: Vec<Violation> = shares
        .map(|(name, count)| Violation::Share {
            krate: name.clone(),
            lines: count.code,
            total: report.total,
        })
        .collect();
    report.violations.splice(0..0, shares);
    Ok(report)
}

/// Rule 2 for one crate.
pub fn http_dependencies(member: &Member) -> Vec<Violation> {
    if EDGE_CRATES.contains(&member.name.as_str()) {
        return Vec::new();
    }
    member
        .dependencies
        .iter()
        .filter(|dependency| is_http_stack(&dependency.name))
        .map(|dependency| Violation::Http {
            krate: member.name.clone(),
            dependency: format!("{} ({})", dependency.name, dependency.kind),
        })
        .collect()
}

/// Rule 3 for one module tree of a crate.
pub fn circles_in(krate: &str, tree: &ModuleTree) -> Vec<Violation> {
    let edges = tree.edges();
    let pairs: Vec<(usize, usize)> = edges.iter().map(|edge| (edge.from, edge.to)).collect();
    circles(tree.modules.len(), &pairs)
        .into_iter()
        .map(|circle| Violation::Circle {
            krate: krate.to_owned(),
            modules: circle.iter().map(|&module| tree.name(module)).collect(),
            references: edges
                .iter()
                .filter(|edge| circle.contains(&edge.from) && circle.contains(&edge.to))
                .map(|edge| {
                    format!(
                        "{} → {} ({}:{}: {})",
                        tree.name(edge.from),
                        tree.name(edge.to),
                        edge.file.display(),
                        edge.line,
                        edge.written
                    )
                })
                .collect(),
        })
        .collect()
}
