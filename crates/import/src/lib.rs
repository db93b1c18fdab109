/*!
The import clearance system of Kuajing (跨境电商零售进口, 9610 / 1210):
the engine that decides a declaration list once its order, payment and
waybill are in, the officers' review, cancellations and returns after
release, waybill statuses, the events agencies learn releases from, and the
consumer's quota look-up.

- [`engine`]: [`engine::ClearanceEngine`] (the decision behind a trait, so a
  relay to the national system can take its place) and the database work
  around it: documents, tariff, risk facts, quota, statuses, receipts.
- [`review`]: the officers' queue, a list's detail, their decisions and the
  watch list.
- [`after_release`]: cancellations (CEB623) and returns (CEB625).
- [`waybill_status`]: parcels signed for (CEB513).
- [`events`]: what a release tells customs, tax and forex.
- [`overview`]: an enterprise's own documents, customs' board.
- [`quota_lookup`]: a buyer's year, for the buyer.
*/

pub mod after_release;
pub mod engine;
pub mod events;
pub mod lookup;
pub mod overview;
pub mod quota_lookup;
pub mod review;
pub mod waybill_status;
