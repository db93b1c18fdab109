/*!
The intake of the CEB exchange (`POST /api/ceb`): a message read, checked
and identified, made durable in a group commit, each document taken on its
own merits and dispatched to the system that decides it — import lists to
the engine (`kuajing-import`), export lists and manifests to the export
system (`kuajing-export`), entry lists to the bonded system
(`kuajing-bonded`) — and answered with its receipt; resends answered with the
first receipt; lists that wait too long refused.

- [`Intake`]: what the intake needs (store, engine, bound on work, group
  committer, settings), cheap to clone.
- [`receive`]: one message in, its receipt out ([`reply`]: what the
  sender is told).
- [`resends`]: a guid used before.
- [`timeouts`]: the incomplete-list timeout.
- [`floor`]: the store's floor the bench measures clearance against.
*/

mod envelope;
pub mod floor;
mod handle;
pub mod receive;
pub mod reply;
pub mod resends;
pub mod timeouts;

pub use handle::Intake;
