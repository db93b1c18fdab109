/*!
The `kuajing` command: runs the platform and does the operator's chores.

- `kuajing serve` runs the HTTP server (API and portal) on SQLite by default
  or PostgreSQL, optionally loading the [`demo`] data set.
- `kuajing migrate` brings a database to the current schema.
- `kuajing enterprise add`, `kuajing user add`, `kuajing token issue|list|revoke`
  bootstrap organisations, people and system access.
- `kuajing reference import|versions` loads the tariff table and code lists.
- `kuajing ceb validate|convert|sample|sign|verify|wrap` works with customs CEB
  messages ([`ceb`]).

Exit codes: 0 success, 2 bad usage or input, 1 any other failure.
*/

pub mod bench;
pub mod ceb;
pub mod cli;
pub mod demo;
pub mod demo_clearance;
pub mod demo_exports;
mod demo_parties;
pub mod descriptors;
pub mod error;
