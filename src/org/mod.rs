//! The organization tree, its members and the units it covers: the domain every other one reads.
//!
//! A campaign's organizations form one tree under a city (or province) committee; members are
//! posted to grassroots organizations with a role; units (enterprises, social organizations) are
//! counted under a township-level committee and covered by an organization of the matching kind.
//! Every one of these facts is dated, so a report reads the tree as it stood on its date.
//!
//! This folder holds the [`Registry`] (the entities, their indexes and the tree's reads). Other
//! domains read the tree through it: that is the one seam they share.

mod check;
mod error;
mod registry;

pub use check::Actor;
pub(crate) use check::{
    Acting, Ctx, actor_text, authority, capacity, found, member_of, member_on, not_before, org_on,
    out_of_order, unit_of, wrong_kind,
};
pub(crate) use error::entity_zh;
pub use error::{EntityKind, OrgError};
pub use registry::{MAX_DEPTH, MAX_ENTITIES, Registry};
