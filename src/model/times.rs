//! Times of day of recorded facts, so that ordering checks compare times within a day.
//!
//! A command's `at` may carry a time of day. The facts it records keep their date (what every
//! report reads); the time, when there is one, is kept here beside them, keyed by which fact it
//! dates. An ordering check that compares a command with an earlier fact of the same thing
//! ([`Times::before`]) refuses a command on the same day only when both carry a time and the
//! command's is earlier: a date without a time stands for the whole day, and so is neither
//! before nor after a time on it. Most hosts send dates only, so this map is usually empty.

use std::collections::BTreeMap;

use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

use crate::model::Stamp;

/// Which dated fact of which thing a time belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// An organization's move (position in its former parents).
    OrgMove,
    /// A member's posting (position in the postings).
    Posting,
    /// A unit's standing (position in its standings).
    Standing,
    /// A pledge's change of status (position in its status log).
    PledgeStatus,
    /// A pledge's progress report (position in its reports).
    PledgeReport,
    /// A pledge's fulfilment record (position in its records).
    PledgeFulfilment,
    /// A pledge's evaluation record (position in its evaluations).
    PledgeEvaluation,
    /// A concern raised (position 0).
    ConcernRaised,
    /// A concern's escalation (position in its escalations).
    ConcernEscalation,
    /// A village matter's step (position in its steps; the proposal is the matter's own day).
    MatterStep,
    /// A village matter proposed (position 0).
    MatterProposed,
    /// A hotline case received (position 0).
    CaseReceived,
    /// A volunteer team founded (position 0).
    TeamFounded,
    /// A member joined a volunteer team (position in its members).
    TeamJoined,
    /// A member left a volunteer team (position in its members).
    TeamLeft,
    /// A contact point linked (position 0; the thing is the contact point's index).
    ContactLinked,
    /// A contact point unlinked (position 0).
    ContactUnlinked,
    /// An instructor assigned (position 0; the thing is the assignment's index).
    InstructorAssigned,
    /// An instructor unassigned (position 0).
    InstructorUnassigned,
    /// A partner paired with a village (position 0; the thing is the pairing's index).
    VillagePaired,
    /// A pairing ended (position 0).
    VillageUnpaired,
}

/// A dated fact: its kind, the index of its thing, its position among the thing's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Mark(pub Fact, pub u32, pub u32);

/// One entry, as a snapshot holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeEntry {
    /// The fact.
    pub fact: Fact,
    /// Its thing's index.
    pub of: u32,
    /// Its position among the thing's facts.
    pub at: u32,
    /// The time of day.
    pub time: Time,
}

/// The times of day of the facts whose commands carried one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Times(BTreeMap<Mark, Time>);

impl Times {
    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn insert(&mut self, mark: Mark, time: Time) {
        self.0.insert(mark, time);
    }

    /// The fact `mark` dated `date`, as a stamp: with its time if it had one.
    pub fn stamp(&self, mark: Mark, date: Date) -> Stamp {
        Stamp {
            date,
            time: self.0.get(&mark).copied(),
        }
    }

    /// Whether a command at `at` comes before the fact `mark` dated `date`: an earlier day, or
    /// the same day with both times known and the command's earlier.
    pub fn before(&self, at: Stamp, mark: Mark, date: Date) -> bool {
        earlier(at, self.stamp(mark, date))
    }

    /// The entries, in order, for a snapshot.
    pub fn entries(&self) -> Vec<TimeEntry> {
        self.0
            .iter()
            .map(|(Mark(fact, of, at), time)| TimeEntry {
                fact: *fact,
                of: *of,
                at: *at,
                time: *time,
            })
            .collect()
    }

    /// From a snapshot's entries.
    pub fn from_entries(entries: Vec<TimeEntry>) -> Times {
        Times(
            entries
                .into_iter()
                .map(|e| (Mark(e.fact, e.of, e.at), e.time))
                .collect(),
        )
    }
}

impl Serialize for Times {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.entries().serialize(s)
    }
}

/// Whether `a` is strictly before `b`: an earlier day, or the same day with both times known
/// and `a`'s earlier. A date without a time is the whole day.
pub fn earlier(a: Stamp, b: Stamp) -> bool {
    match (a.time, b.time) {
        (Some(x), Some(y)) if a.date == b.date => x < y,
        _ => a.date < b.date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Stamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_time_orders_within_its_day_only_against_another_time() {
        assert!(earlier(s("2010-05-01T09:00:00"), s("2010-05-01T15:00:00")));
        assert!(!earlier(s("2010-05-01T15:00:00"), s("2010-05-01T09:00:00")));
        assert!(!earlier(s("2010-05-01T15:00:00"), s("2010-05-01T15:00:00")));
        // A date alone is the whole day: neither before nor after a time on it.
        assert!(!earlier(s("2010-05-01"), s("2010-05-01T15:00:00")));
        assert!(!earlier(s("2010-05-01T09:00:00"), s("2010-05-01")));
        // Other days order by date whatever the times.
        assert!(earlier(s("2010-04-30T23:59:59"), s("2010-05-01")));
        assert!(!earlier(s("2010-05-02T00:00:00"), s("2010-05-01T23:00:00")));
    }

    #[test]
    fn times_round_trip_through_their_entries() {
        let mut t = Times::default();
        let mark = Mark(Fact::CaseReceived, 3, 0);
        t.insert(mark, Time::constant(15, 0, 0, 0));
        let json = serde_json::to_string(&t).unwrap();
        let back: Vec<TimeEntry> = serde_json::from_str(&json).unwrap();
        assert_eq!(Times::from_entries(back), t);
        let day = jiff::civil::date(2010, 5, 1);
        assert!(t.before(s("2010-05-01T09:00:00"), mark, day));
        assert!(!t.before(s("2010-05-01T16:00:00"), mark, day));
        assert!(!t.before(s("2010-05-01"), mark, day));
        assert!(!t.before(
            s("2010-05-01T09:00:00"),
            Mark(Fact::CaseReceived, 4, 0),
            day
        ));
    }
}
