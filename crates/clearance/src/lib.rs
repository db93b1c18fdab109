/*!
Retail import clearance rules (跨境电商零售进口, 9610 直购进口 and the list
flow shared with 1210 网购保税进口), as pure functions over plain data: no
database, no HTTP (DESIGN.md, "Business rules live in pure functions").

This first slice of issue #5 holds the money rules a list is decided by:

- [`bonded`]: what a 1210 list draws from its bonded e-account book.
- [`tax`]: duty, consumption tax and VAT per goods line, the 70 % rule within
  the limits and full tax for the over-limit single item, rounded half up to
  the fen per tax kind per line (policy-rules.md §1.6–1.7, worked examples
  §1.10); [`allocation`] spreads head freight and insurance over the lines.
- [`limits`]: the single-transaction and annual limits, with the official
  refusal codes -621005 and -621018 (policy-rules.md §1.2–1.3).
- [`list_checks`]: a list on its own merits: the buyer's ID number, the
  currency, each line against its tariff line (positive list and remark,
  legal units); each finding refuses or sends to an officer.
- [`matching`]: the three-document match (三单对碰) of a list with its order,
  payment and waybill, every disagreement naming both documents and values
  (ceb-messages.md §3.2).
- [`declaration_day`]: the day a declaration counts on is the day the
  platform received it (China time); a declared date far from it is refused
  naming the field (issue #14).
- [`decision`]: the engine's decision on a list whose documents are all in:
  refused with every reason, for an officer, or passed with its tax bill.
- [`receipts`]: the status codes and the return entities of CEB312, 412,
  512 and 622, keyed as the specification keys each receipt.
- [`risk`]: the first risk rules (under-valuation, buyer frequency, shared
  contacts, watch list), each in enforce or monitor mode; a hit sends a list
  to an officer, never refuses it.
- [`export`]: what an export list (CEB603) of each mode (9610, 9710,
  9810) needs and the checks that release or refuse it (issue #7);
  [`export_receipts`] the return entities of the export messages;
  [`export_return`] the export-return window and its tax consequence.
- [`summary`]: the monthly summary declaration of retail exports (汇总申报):
  last month's released export lists grouped by the head and line rules, and
  the deadline (issue #7's first piece).
- [`tariff_index`]: the tariff version in force, indexed by code.
- [`settings`]: every point the sources leave open (allocator, rounding, what
  "one item" means, the limit schedule) as a named setting with its
  documented default.

The quota ledger these feed is `kuajing_store::quota`; the intake of
messages, the list checks and the decisions build on them in the next slices.
*/

pub mod allocation;
pub mod bonded;
pub mod decision;
pub mod declaration_day;
pub mod error;
pub mod export;
pub mod export_receipts;
pub mod export_return;
pub mod limits;
pub mod list_checks;
pub mod matching;
pub mod receipts;
pub mod risk;
pub mod settings;
pub mod summary;
pub mod tariff_index;
pub mod tax;

pub use error::TaxError;
