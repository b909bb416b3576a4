//! Village decisions (四议一审 / 四议两公开): a major village matter and the steps it goes
//! through.
//!
//! A village's major matter ([`Matter`]: collective assets, land, projects, finances …) is
//! decided in fixed steps ([`Step`]):
//!
//! 1. 党支部提议 — the village party organization proposes it (the matter is created);
//! 2. 两委会商议 — the two committees discuss it and vote ([`CommitteeVote`]);
//! 3. 党员大会审议 — the members' meeting deliberates ([`MembersMeeting`]): it holds only with
//!    a quorum of the members expected, and passes a matter only with more than half of them;
//! 4. 一审 — the village's township-level committee reviews it and approves or vetoes it
//!    ([`TownshipReview`]);
//! 5. 村民(代表)会议决议 — the villagers' (representatives') meeting resolves
//!    ([`VillagersMeeting`]), by a majority of those attending;
//! 6. 决议公开, then 实施结果公开 — the resolution, then the result of its implementation, are
//!    published.
//!
//! Whether the review comes before the resolution (the default, as the seed counts vetoes
//! before resolutions) or after it is a rule ([`crate::rules::DeliberationRules`]), as are
//! the thresholds. A vote that fails ends the matter ([`Status`]); so does a veto. Each step
//! is checked against [`Matter::next`] and recorded; the outcome of each vote is computed
//! once, under the rules it was taken under, and kept ([`CommitteeVote::passed`] …), so the
//! history never changes with the rules.
//!
//! This folder holds the whole of it:
//!
//! | file | what |
//! |---|---|
//! | `matter.rs` | matters, steps, votes, the review, statuses; the steps' order under the rules |
//! | `events.rs` | the seven events' payloads, as hosts send them and the journal records them |
//! | `check.rs` | what makes each step acceptable: who takes it, its turn, its day, its counts and quorum |
//! | `state.rs` | its part of the state ([`Matters`]) and the index the checks need |
//! | `apply.rs` | how an accepted step changes the matters, with the steps' order asserted after |
//! | `error.rs` | its refusals ([`DeliberationError`], codes 3040–3047) |
//! | `figures.rs` | the matters in figures per subtree ([`DeliberationFigures`]) |
//!
//! The checks are given the org seam ([`crate::org`]'s context: the actor, the tree, the
//! times of day, the rules) and the matters, and nothing else of the campaign.
//!
//! ```
//! use chuangzheng::deliberation::{Step, Status, order};
//! use chuangzheng::rules::DeliberationRules;
//!
//! let rules = DeliberationRules::default();
//! let steps = order(&rules);
//! assert_eq!(steps[0], Step::Proposal);
//! assert_eq!(steps[3], Step::TownshipReview);
//! assert_eq!(steps[4], Step::VillagersResolution);
//! assert_eq!(Status::VetoedByTownship.label_zh(), "乡镇审核否决");
//! ```

mod apply;
mod check;
mod error;
mod events;
mod figures;
mod matter;
mod state;

pub(crate) use apply::{Change, apply, mark_of};
pub use error::DeliberationError;
pub use events::{
    DeliberateMatter, DiscussMatter, ProposeMatter, PublishResolution, PublishResult,
    ResolveMatter, ReviewMatter,
};
pub use figures::DeliberationFigures;
pub use matter::*;
pub use state::Matters;
