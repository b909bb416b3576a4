//! The model: identifiers, the organization tree's kinds, members, units, periods, amounts.
//!
//! Everything here is plain validated data. Constructors check their input and name the field
//! in a [`ModelError`]; the rest of the crate trusts the types. The ledger holds these values in
//! its state and enforces the invariants that span several of them (the tree has no cycles, an
//! organization has at most one secretary, …).

mod amount;
pub(crate) mod binary;
mod bounded;
mod error;
pub(crate) mod fast;
mod history;
pub(crate) mod keyed;
mod member;
mod org;
mod period;
mod stamp;
mod text;
pub mod times;
mod unit;

pub use amount::*;
pub use bounded::Bounded;
pub use error::ModelError;
pub use history::{Dated, History};
pub use member::*;
pub use org::*;
pub use period::*;
pub use stamp::Stamp;
pub use text::*;
pub use unit::*;
