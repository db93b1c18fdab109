/*!
The export system of Kuajing (跨境电商出口, 9610 / 9710 / 9810): how an
export list is decided, how its goods leave, the monthly summary declaration,
export returns, the overseas-warehouse registry and the 无票免税 purchase
record.

- [`decision`]: an export list waits for what its mode needs and is released
  (清单核放) or refused.
- [`exits`]: arrivals, departures, master/sub-waybill lists and cancellations
  (CEB507/509/607/605).
- [`summaries`]: the summary declaration (汇总申报, CEB701 → CEB702/792) and
  what is due.
- [`returns`]: export returns (出口退货, CEB213/215); [`return_views`] their
  listing.
- [`views`]: export lists and manifests as their readers see them.
- [`overseas_warehouses`]: the overseas-warehouse registry (海外仓备案).
- [`purchase_records`]: the 无票免税 purchase record.
*/

pub mod decision;
pub mod exits;
pub mod overseas_warehouses;
pub mod purchase_records;
pub mod return_views;
pub mod returns;
pub mod summaries;
pub mod views;
