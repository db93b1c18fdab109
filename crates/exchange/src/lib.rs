/*!
The CEB exchange (单一窗口的报文交换) as every clearance system shares it:
what a kept document is keyed by and who may declare it, the receipts each
party is owed and the pull feed they are read from, the group committer that
makes each message durable before it is answered, the bound on work in
flight, the numbers the platform gives, the decision record, and the
clearance settings and clock. The systems that decide — import
(`kuajing-import`), export (`kuajing-export`), bonded (`kuajing-bonded`) —
and the intake that dispatches to them (`kuajing-intake`) build on it.

- [`settings`], [`clock`], [`time_format`]: how clearance behaves, the
  platform's clock, CEB times and China days.
- [`documents`], [`authority`]: the documents of a message and whose they are.
- [`record`], [`lookups`], [`reference_cache`]: the decision record, what a
  message's lists look up, and the shared cache of what changes rarely.
- [`receipts_out`], [`receipts_feed`]: receipts owed, delivered and read.
- [`committer`], [`gate`]: group commit and overload.
*/

pub mod authority;
pub mod clock;
pub mod committer;
pub mod documents;
pub mod gate;
pub mod lookups;
pub mod receipts_feed;
pub mod receipts_out;
pub mod record;
pub mod reference_cache;
pub mod settings;
pub mod time_format;

pub use settings::ClearanceSettings;
