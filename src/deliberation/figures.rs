//! Village decisions in figures, as mergeable partial aggregates.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Matters, Status, Step};
use crate::model::OrgIdx;
use crate::org::Registry;

/// Village decisions (四议一审) in figures: counts only, merged by adding.
///
/// A matter counts in the subtree of its village (as the tree stood on the as-of date, or on
/// the day it was proposed under the historical reading) when it was proposed within
/// `[from, as_of]`;
/// its outcome is its status at the end of `as_of`, and it counts as published when the
/// publication is dated on or before `as_of`. The outcomes partition the matters proposed:
/// `proposed` is the sum of the six outcome counts.
///
/// ```
/// use chuangzheng::deliberation::DeliberationFigures;
///
/// let mut a = DeliberationFigures { proposed: 3, resolved: 2, vetoed: 1, ..Default::default() };
/// let b = DeliberationFigures { proposed: 1, in_progress: 1, ..Default::default() };
/// a.merge(&b);
/// assert_eq!((a.proposed, a.resolved, a.vetoed, a.in_progress), (4, 2, 1, 1));
/// assert!(a.outcomes_add_up());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliberationFigures {
    /// Matters proposed (动议村级重大事项).
    pub proposed: u64,
    /// Of them, still in progress.
    pub in_progress: u64,
    /// Voted down by the two committees.
    pub rejected_by_committees: u64,
    /// Voted down by the members' meeting.
    pub rejected_by_members: u64,
    /// Vetoed by the township-level review (审核否决).
    pub vetoed: u64,
    /// Voted down by the villagers' (representatives') meeting.
    pub rejected_by_villagers: u64,
    /// Resolved (决议通过).
    pub resolved: u64,
    /// Resolutions published (决议公开).
    pub resolutions_published: u64,
    /// Results of implementation published (实施结果公开).
    pub results_published: u64,
}

impl DeliberationFigures {
    /// The figures of the matters of the villages in `root`'s subtree proposed within
    /// `[from, as_of]` (`from` `None`: since the start), with their status as of `as_of`; the
    /// tree is `reg`'s.
    pub fn of(
        matters: &Matters,
        reg: &Registry,
        root: OrgIdx,
        from: Option<Date>,
        as_of: Date,
    ) -> Self {
        let parts = crate::org::Attribution::subtree(reg, root, as_of);
        Self::of_parts(matters, reg, &parts, from, as_of)
            .pop()
            .unwrap_or_default()
    }

    /// [`DeliberationFigures::of`] for each part of `parts`, in one pass over the matters.
    pub fn of_parts(
        matters: &Matters,
        reg: &Registry,
        parts: &crate::org::Attribution,
        from: Option<Date>,
        as_of: Date,
    ) -> Vec<Self> {
        let mut fs: Vec<Self> = parts.fresh();
        for m in matters.rows(parts.scope()) {
            let in_range = from.is_none_or(|d| d <= m.proposed) && m.proposed <= as_of;
            if !in_range {
                continue;
            }
            // A matter is a record of its village, dated the day it was proposed.
            let Some(part) = parts.part_of_record(reg, m.village, m.proposed) else {
                continue;
            };
            let f = &mut fs[part];
            f.proposed += 1;
            *f.outcome_mut(m.status_on(as_of)) += 1;
            let published = |step| m.day_of(step).is_some_and(|d| d <= as_of);
            f.resolutions_published += u64::from(published(Step::ResolutionPublication));
            f.results_published += u64::from(published(Step::ResultPublication));
        }
        fs
    }

    /// Adds `other`'s counts (the figures of a disjoint subtree) to these.
    pub fn merge(&mut self, other: &Self) {
        // Saturating: figures never come near 2^64, and a merge must not panic on any input.
        let pairs = [
            (&mut self.proposed, other.proposed),
            (&mut self.in_progress, other.in_progress),
            (
                &mut self.rejected_by_committees,
                other.rejected_by_committees,
            ),
            (&mut self.rejected_by_members, other.rejected_by_members),
            (&mut self.vetoed, other.vetoed),
            (&mut self.rejected_by_villagers, other.rejected_by_villagers),
            (&mut self.resolved, other.resolved),
            (&mut self.resolutions_published, other.resolutions_published),
            (&mut self.results_published, other.results_published),
        ];
        for (mine, theirs) in pairs {
            *mine = mine.saturating_add(theirs);
        }
    }

    /// The count of matters with `status`.
    pub fn outcome(&self, status: Status) -> u64 {
        match status {
            Status::InProgress => self.in_progress,
            Status::RejectedByCommittees => self.rejected_by_committees,
            Status::RejectedByMembers => self.rejected_by_members,
            Status::VetoedByTownship => self.vetoed,
            Status::RejectedByVillagers => self.rejected_by_villagers,
            Status::Resolved => self.resolved,
        }
    }

    fn outcome_mut(&mut self, status: Status) -> &mut u64 {
        match status {
            Status::InProgress => &mut self.in_progress,
            Status::RejectedByCommittees => &mut self.rejected_by_committees,
            Status::RejectedByMembers => &mut self.rejected_by_members,
            Status::VetoedByTownship => &mut self.vetoed,
            Status::RejectedByVillagers => &mut self.rejected_by_villagers,
            Status::Resolved => &mut self.resolved,
        }
    }

    /// Whether the outcome counts add up to the matters proposed (they always do for figures
    /// computed by [`DeliberationFigures::of`] and merged; an audit of published figures can
    /// check it).
    pub fn outcomes_add_up(&self) -> bool {
        let outcomes = [
            self.in_progress,
            self.rejected_by_committees,
            self.rejected_by_members,
            self.vetoed,
            self.rejected_by_villagers,
            self.resolved,
        ];
        outcomes.iter().try_fold(0u64, |sum, n| sum.checked_add(*n)) == Some(self.proposed)
    }
}
