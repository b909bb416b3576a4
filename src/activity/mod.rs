//! Service actions (惠民行动) and party-building instructors: what is recorded, and the figures.
//!
//! The stage review counts the party's service to the masses in several kinds of record, each
//! attributed to one organization so it is counted in that organization's subtree:
//!
//! - **Hotline cases** (民生热线, [`HotlineCase`]): a case received and attributed to an
//!   organization (the department it concerns), later resolved (解决) with an outcome and
//!   replied to (回复); each step once, never before the case was received. The reply rate
//!   (回复率) is replied over received.
//! - **Donations** (捐款, [`Donation`]): a member gives an exact [`Amount`](crate::model::Amount) of yuan, counted under
//!   the member's organization on the day, optionally for a named drive.
//! - **Home visits** (党员干部走进千家万户, [`HomeVisit`]): a member visits the masses, solves
//!   problems (a count) and hands over aid (an [`Amount`](crate::model::Amount)). These are not the 123 work method's
//!   household visits ([`crate::method123::Visit`]), which are a village cadre's visits of the
//!   village's registered poor households.
//! - **Volunteer teams** (党员义工, [`VolunteerTeam`]): a team owned by an organization, its
//!   members joining and leaving on dated days, and its activities ([`VolunteerActivity`]) with
//!   the people served and other counted outputs.
//! - **Contact points** (联系点, [`ContactPoint`]): a leading cadre ([`LeaderLevel`](crate::model::LeaderLevel) city or
//!   section) linked to an organization from a day, until unlinked.
//! - **Instructors** (创先争优活动指导员, [`InstructorAssignment`]): a member assigned to a unit
//!   (enterprise, social organization, cooperative) or a village organization from a day, until
//!   unassigned. Work coverage (工作覆盖面) counts a unit that has an organization *or* an
//!   instructor ([`work_covered_on`]); coverage by an organization
//!   ([`crate::model::UnitStanding::covered_by`]) keeps its own meaning.
//! - **Pairings with villages** (结对共建, 双包双联, [`Pairing`]): a city department's committee,
//!   an institution's organization (事业单位: a school, a clinic) or a party cadre paired with a
//!   village organization from a day, until the pairing ends. The partner counts in its own
//!   part (a cadre in their organization's), the village under itself.
//! - **Other activities** ([`ActivityRecord`]): any other activity of an organization, with a
//!   short stable kind code ([`Code`]), a title, and the participants and people served.
//!
//! [`ActivityFigures`] counts them for a subtree and a date range, as a mergeable partial
//! aggregate.
//!
//! This folder holds the whole domain:
//!
//! | file | what |
//! |---|---|
//! | `records.rs` | what is recorded: cases, donations, visits, teams, contact points, instructors, pairings, other activities; kind codes and tenures; the limits |
//! | `events.rs` | the events' payloads, as hosts send them and the journal records them |
//! | `check.rs` | what makes each event acceptable: the organization it counts under and the actor's authority over it, bounds, dates in order |
//! | `tenure.rs` | opening and closing a tenure, one rule for team memberships, contact points, instructors and pairings |
//! | `state.rs` | its part of the state ([`Activities`]) and the indices the checks need; the invariants checked on load |
//! | `apply.rs` | how an accepted event changes that state, with the invariants asserted after |
//! | `error.rs` | its refusals ([`ActivityError`], codes 3060–3067) |
//! | `figures.rs` | the figures of a subtree and a date range ([`ActivityFigures`]); work coverage ([`work_covered_on`]) |
//!
//! ```
//! use chuangzheng::activity::{Code, Tenure};
//! use jiff::civil::date;
//!
//! let kind = Code::new("kind", "medical_clinic")?;
//! assert_eq!(kind.as_str(), "medical_clinic");
//! assert!(Code::new("kind", "Medical Clinic").is_err());
//!
//! // An instructor assigned on 1 June and unassigned on 1 September was in force in August,
//! // not in October.
//! let t = Tenure { from: date(2010, 6, 1), until: Some(date(2010, 9, 1)) };
//! assert!(t.overlaps(Some(date(2010, 8, 1)), date(2010, 8, 31)));
//! assert!(!t.overlaps(Some(date(2010, 10, 1)), date(2010, 10, 31)));
//! # Ok::<(), chuangzheng::model::ModelError>(())
//! ```

mod apply;
mod check;
mod error;
mod events;
mod figures;
mod records;
mod state;
mod tenure;

pub(crate) use apply::{Change, apply, mark_of};
pub use error::ActivityError;
pub use events::{
    AssignInstructor, FoundVolunteerTeam, JoinVolunteerTeam, LeaveVolunteerTeam, LinkContactPoint,
    PairVillage, ReceiveHotlineCase, RecordActivity, RecordDonation, RecordHomeVisit,
    RecordVolunteerActivity, ReplyHotlineCase, ResolveHotlineCase, UnassignInstructor,
    UnlinkContactPoint, UnpairVillage,
};
pub use figures::{
    ActivityFigures, ByLeaderLevel, ByPartnerKind, ByUnitKind, KindTally, work_covered_on,
};
pub use records::*;
pub use state::{Activities, ActivityRecords};
