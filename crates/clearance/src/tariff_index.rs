//! The tariff table in force, indexed by commodity code for the engine:
//! every list line looks its code up, so the lookup is a hash probe, not a
//! scan of the table's thousands of lines (DESIGN.md, "No repeated work":
//! reference data kept in memory with its version).

use std::collections::HashMap;

use kuajing_core::ids::HsCode;
use kuajing_reference::tariff::TariffLine;

/// One version of the tariff table, by code.
#[derive(Debug, Clone, Default)]
pub struct TariffIndex {
    /// The version's label (recorded with every decision that used it).
    version: String,
    lines: HashMap<HsCode, TariffLine>,
}

impl TariffIndex {
    /// Indexes `lines` as version `version`; a code given twice keeps its
    /// last line (a table import refuses duplicates before this).
    pub fn new(version: impl Into<String>, lines: impl IntoIterator<Item = TariffLine>) -> Self {
        TariffIndex {
            version: version.into(),
            lines: lines
                .into_iter()
                .map(|line| (line.hs_code.clone(), line))
                .collect(),
        }
    }

    /// The version's label.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The line of `code`, if the table has it.
    pub fn get(&self, code: &HsCode) -> Option<&TariffLine> {
        self.lines.get(code)
    }

    /// How many lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}
