//! The reference tables shipped with the platform (`seed/*.csv`): enough for
//! the demo zone's goods and the common cross-border retail categories, each
//! row naming the public source it came from (`seed/SOURCES.md`). Operators
//! load the full official tables with `kuajing reference import`.

use crate::ReferenceKind;
use crate::csv_import::{self, Format, ImportError, Rows, Table};
use crate::tariff::TariffLine;

/// The seed file of each kind.
pub fn file(kind: ReferenceKind) -> &'static str {
    match kind {
        ReferenceKind::Tariff => include_str!("../seed/tariff.csv"),
        ReferenceKind::Country => include_str!("../seed/country.csv"),
        ReferenceKind::Currency => include_str!("../seed/currency.csv"),
        ReferenceKind::Unit => include_str!("../seed/unit.csv"),
        ReferenceKind::Customs => include_str!("../seed/customs.csv"),
        ReferenceKind::Division => include_str!("../seed/division.csv"),
    }
}

/// Every seed table, parsed, in loading order.
pub fn tables() -> Result<Vec<Table>, (ReferenceKind, ImportError)> {
    ReferenceKind::ALL
        .into_iter()
        .map(|kind| {
            csv_import::parse(kind, file(kind).as_bytes(), Format::Seed).map_err(|e| (kind, e))
        })
        .collect()
}

/// The seed tariff table's lines (for tests, benchmarks and the demo).
pub fn tariff_lines() -> Result<Vec<TariffLine>, ImportError> {
    let table = csv_import::parse(
        ReferenceKind::Tariff,
        file(ReferenceKind::Tariff).as_bytes(),
        Format::Seed,
    )?;
    Ok(match table.rows {
        Rows::Tariff(lines) => lines,
        Rows::Codes(_) => Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_import::Rows;

    #[test]
    fn every_seed_table_parses_and_names_its_sources() {
        let tables = tables().unwrap_or_else(|(kind, e)| panic!("{kind}: {e}"));
        for table in &tables {
            assert!(!table.rows.is_empty(), "{}", table.kind);
            for (source, line) in table.sources.iter().zip(&table.lines) {
                let source = source.as_deref().unwrap_or("");
                assert!(
                    !source.is_empty(),
                    "{} line {line} has no source",
                    table.kind
                );
            }
        }
    }

    #[test]
    fn tariff_units_exist_in_the_unit_table() {
        let tables = tables().unwrap_or_else(|(kind, e)| panic!("{kind}: {e}"));
        let units: Vec<&str> = tables
            .iter()
            .filter_map(|t| match (&t.kind, &t.rows) {
                (ReferenceKind::Unit, Rows::Codes(entries)) => {
                    Some(entries.iter().map(|e| e.code.as_str()))
                }
                _ => None,
            })
            .flatten()
            .collect();
        for table in &tables {
            if let Rows::Tariff(lines) = &table.rows {
                for line in lines {
                    for (field, unit) in line.unit_codes() {
                        assert!(
                            units.contains(&unit),
                            "{} {field} {unit} not in unit.csv",
                            line.hs_code
                        );
                    }
                }
            }
        }
    }
}
