//! The organization tree, its members and the units it covers: the domain every other one reads.
//!
//! A campaign's organizations form one tree under a city (or province) committee; members are
//! posted to grassroots organizations with a role; units (enterprises, social organizations) are
//! counted under a township-level committee and covered by an organization of the matching kind.
//! Every one of these facts is dated, so a report reads the tree as it stood on its date.
//!
//! This folder holds the tree's rules:
//!
//! | file | what |
//! |---|---|
//! | `events.rs` | the events' payloads: create, move and rename organizations; add and post members; leader levels; register, qualify and cover units |
//! | `check.rs` | what makes each acceptable: kinds, cycles, one secretary, coverage's kind and limit, dates in order |
//! | `registry.rs` | its part of the state ([`Registry`]): the entities, their indexes, the tree's dated reads |
//! | `apply.rs` | how an accepted event changes the registry, with invariants asserted after |
//! | `error.rs` | its refusals ([`OrgError`], codes 3002–3015) |
//! | `seam.rs` | what every domain's checks are given: the actor resolved, authority in the tree, lookups, ordering |
//! | `attribution.rs` | what every domain's figures are given: which part of a report each organization's records count in, by the tree of the as-of day or of the record's own day |
//! | `coverage.rs` | its figures: coverage of units by organizations (建组率) and by party work (工作覆盖面), mergeable ([`CoverageFigures`]); the instructors it asks another domain about ([`Instructors`]) |
//!
//! Other domains read the tree through the registry, the seam and the attribution, and through
//! nothing else.

mod apply;
mod attribution;
mod check;
mod coverage;
mod error;
mod events;
mod registry;
mod scope;
mod seam;

pub(crate) use apply::{Change, apply, mark_of};
pub use attribution::{Attribution, Reading};
pub(crate) use check::{MemberRecords, create_root};
pub use coverage::{CoverageFigures, Instructors, KindCoverage, work_covered_on};
pub(crate) use error::entity_zh;
pub use error::{EntityKind, OrgError};
pub use events::{
    AddMember, CoverUnit, CreateOrg, MoveOrg, PostMember, RegisterUnit, RenameOrg, SetLeaderLevel,
    SetUnitEligibility,
};
pub use registry::{MAX_DEPTH, MAX_ENTITIES, Registry};
pub(crate) use scope::{ByScope, Scope};
pub use seam::Actor;
pub(crate) use seam::{
    Acting, Ctx, Rule, actor_text, capacity, checks, found, member_on, one_per_period,
    out_of_order, unit_of, wrong_kind,
};
