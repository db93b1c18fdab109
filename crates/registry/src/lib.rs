/*!
The information-sharing system of Kuajing (信息共享体系, DESIGN.md): one
record of every enterprise, agency and good, filed once and shared with every
agency by its policy, and the identity and access every other system acts
through.

- [`actor`]: who is acting ([`actor::Actor`]), the access check against
  `kuajing_core::access`, and the audit entry each write commits with.
- [`error`]: the typed error every use case of the platform returns (no HTTP:
  the web crate maps it once to status, code and bilingual message).
- [`organisations`], [`auth`]: organisations and their users, passwords,
  sessions and sign-in, API tokens.
- [`filing`]: enterprise and commodity filings (备案) and their workflow;
  [`bulk`] bulk commodity filing; [`downloads`] CSV/XLSX files of what a
  reader may see.
- [`reference_data`]: the tariff and code lists as versioned data.
- [`delegations`]: who may declare customs documents for whom (委托申报).
- [`feed`], [`webhooks`]: the shared pull feed and signed pushes.
- [`audit_trail`]: reading the audit trail; [`validate`]: the free-text
  rules every form and API shares.
*/

pub mod actor;
pub mod audit_trail;
pub mod auth;
pub mod bulk;
pub mod delegations;
pub mod downloads;
pub mod error;
pub mod feed;
pub mod filing;
pub mod organisations;
pub mod reference_data;
pub mod validate;
pub mod webhooks;

pub use actor::Actor;
pub use error::{Error, Result};
