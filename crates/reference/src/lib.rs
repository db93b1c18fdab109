/*!
Reference data (参数表) as data, not code: the customs tariff table and the code
lists that every filing, message and decision refers to — countries,
currencies, measurement units, customs districts and ports, administrative
divisions.

- [`ReferenceKind`]: which table, and the exact CSV columns of each
  (`kuajing reference import KIND FILE.csv`).
- [`tariff::TariffLine`] and [`codes::CodeEntry`]: one parsed row.
- [`csv_import::parse`]: reads a whole file, checks every row and reports
  every bad one with its line number, field, rule and value — or returns the
  rows. Nothing partial: either all rows are good or none is used.
- [`seed`]: the tables shipped with the platform, each row with the public
  source it came from (`seed/SOURCES.md`).

Storage and versions (effective dates) live in `kuajing-store`; checks that
need other tables (a tariff line's units must exist) in the import use case.
*/

pub mod codes;
pub mod csv_import;
mod kind;
pub mod rate;
pub mod seed;
pub mod tariff;

pub use kind::{ReferenceKind, UnknownKind};
