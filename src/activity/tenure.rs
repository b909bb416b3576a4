//! Opening and closing a tenure, the one rule behind joining and leaving a volunteer team,
//! linking and unlinking a contact point, assigning and unassigning an instructor, pairing a
//! partner with a village and ending it.
//!
//! A key (a member in a team, a leader at an organization, an instructor at a target) holds at
//! most one open tenure. A new one opens on the command's day, not before the key's last one
//! closed; the open one closes on the command's day, not before it opened. Each opening and
//! closing is a fact a later command is ordered against ([`Held::opened`], [`Held::closed`]).

use jiff::civil::Date;

use super::{TeamIdx, Tenure};
use crate::model::times::{Fact, Mark};
use crate::org::{Ctx, OrgError};

/// Which kind of tenure: a membership of a team, a contact point, an instructor's assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Held {
    /// A membership of the team (positions are in the team's members).
    Team(TeamIdx),
    /// A contact point (positions are in the contact points).
    Contact,
    /// An instructor's assignment (positions are in the assignments).
    Instructor,
    /// A pairing with a village (positions are in the pairings).
    Pairing,
}

impl Held {
    /// The fact of opening the tenure at position `at`.
    pub(crate) fn opened(self, at: usize) -> Mark {
        let at = at as u32;
        match self {
            Held::Team(t) => Mark(Fact::TeamJoined, t.0, at),
            Held::Contact => Mark(Fact::ContactLinked, at, 0),
            Held::Instructor => Mark(Fact::InstructorAssigned, at, 0),
            Held::Pairing => Mark(Fact::VillagePaired, at, 0),
        }
    }

    /// The fact of closing the tenure at position `at`.
    pub(crate) fn closed(self, at: usize) -> Mark {
        let at = at as u32;
        match self {
            Held::Team(t) => Mark(Fact::TeamLeft, t.0, at),
            Held::Contact => Mark(Fact::ContactUnlinked, at, 0),
            Held::Instructor => Mark(Fact::InstructorUnassigned, at, 0),
            Held::Pairing => Mark(Fact::VillageUnpaired, at, 0),
        }
    }

    /// The fields a refusal for order names: (a tenure's start, its end).
    fn fields(self) -> (&'static str, &'static str) {
        match self {
            Held::Team(_) => ("volunteer_team.members", "volunteer_team.members"),
            Held::Contact => ("contact_point.from", "contact_point.until"),
            Held::Instructor => ("instructor.from", "instructor.until"),
            Held::Pairing => ("pairing.from", "pairing.until"),
        }
    }
}

/// The position of the open tenure among `held` (one key's tenures, with their positions).
pub(crate) fn open_of<'a>(held: impl IntoIterator<Item = (usize, &'a Tenure)>) -> Option<usize> {
    held.into_iter()
        .find(|(_, t)| t.is_open())
        .map(|(at, _)| at)
}

/// Opens a tenure of `kind` on the command's day for a key holding `held`: none open
/// (`already()` otherwise), and the day not before the latest end of the closed ones.
pub(crate) fn open<'a, E: From<OrgError>>(
    ctx: &Ctx,
    kind: Held,
    held: impl IntoIterator<Item = (usize, &'a Tenure)> + Clone,
    already: impl FnOnce() -> E,
) -> Result<Tenure, E> {
    if open_of(held.clone()).is_some() {
        return Err(already());
    }
    // The latest end; of several on that day, the last recorded.
    let last = held
        .into_iter()
        .filter_map(|(at, t)| t.until.map(|u| (u, at)))
        .max();
    if let Some((until, at)) = last {
        ctx.not_before(kind.fields().1, (kind.closed(at), until))?;
    }
    Ok(Tenure {
        from: ctx.date(),
        until: None,
    })
}

/// Closes `tenure`, the open one at position `at`, on the command's day: not before it opened.
/// The day it closes on.
pub(crate) fn close(ctx: &Ctx, kind: Held, at: usize, tenure: &Tenure) -> Result<Date, OrgError> {
    debug_assert!(tenure.is_open(), "only an open tenure closes");
    ctx.not_before(kind.fields().0, (kind.opened(at), tenure.from))?;
    Ok(ctx.date())
}

/// Ends `tenure` on `on`, as a checked close allows.
pub(crate) fn end(tenure: &mut Tenure, on: Date) {
    debug_assert!(
        tenure.is_open() && tenure.from <= on,
        "a tenure closes once, after it opened"
    );
    tenure.until = Some(on);
}

/// Whether `tenure` is ordered (it ends on or after it starts) and follows every `earlier`
/// tenure of its key, each closed by the day it starts: at most one is open, none overlap.
pub(crate) fn follows<'a>(earlier: impl IntoIterator<Item = &'a Tenure>, tenure: &Tenure) -> bool {
    tenure.until.is_none_or(|u| u >= tenure.from)
        && earlier
            .into_iter()
            .all(|e| e.until.is_some_and(|u| u <= tenure.from))
}
