/*!
The shared vocabulary of Kuajing (跨境): the identifiers every other crate speaks
of, the roles an organisation can hold in the zone, and the one table of access
rules that every handler goes through.

Nothing here does I/O. Business rules live in plain functions over plain data so
that they can be tested exhaustively (see `DESIGN.md`, "Business rules live in pure
functions").

- [`ids`]: parsed identifiers — the unified social credit code ([`ids::Uscc`],
  GB 32100-2015), the organisation code ([`ids::OrganisationCode`], GB 11714-1997)
  and the customs registration code ([`ids::CustomsCode`], 海关注册编码).
- [`money`]: exact amounts with their currency ([`money::Money`]) and the
  customs rounding to the fen.
- [`role`]: the enterprise and agency roles ([`role::Role`]) and sets of them.
- [`access`]: who may do what ([`access::authorize`]).
- [`delegation`]: delegated declaration (委托申报): the scopes an enterprise
  may delegate and who may delegate them.
- [`filing`]: the filing workflow (备案) and which agencies approve.
- [`sharing`]: which fields of a shared record each agency sees.
- [`text`]: the characters a reader cannot see (controls, bidirectional
  formatting), refused in every free text.
- [`timestamp`]: UTC instants and their one text form, used in storage and APIs.
- [`error`]: the bilingual error contract ([`error::Localized`]) that every crate's
  error type implements so the server can answer in Chinese and English.
*/

pub mod access;
pub mod delegation;
pub mod error;
pub mod filing;
pub mod ids;
pub mod money;
pub mod personal;
pub mod quantity;
pub mod role;
pub mod sharing;
pub mod text;
pub mod timestamp;
