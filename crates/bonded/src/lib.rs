/*!
The bonded system of Kuajing (保税): the zone warehouse's e-account books
(电子账册) and everything that moves stock through them — the holds 1210
lists take, the exit flow, returns waiting for inspection, reconciliation and
the monthly report — the warehouse-entry detail lists of a supervised site
(CEB711), and bonded after-sales repair (保税维修).

- [`books`]: books, stock lines and their ledger; [`books::exit`],
  [`books::quarantine`], [`books::reconciliation`].
- [`stock_holds`]: what a 1210 list holds, takes and frees.
- [`entry_lists`]: CEB711 warehouse-entry detail lists (→ CEB712).
- [`repair`]: repair orders and the repair book.
*/

pub mod books;
pub mod entry_lists;
pub mod repair;
pub mod stock_holds;
