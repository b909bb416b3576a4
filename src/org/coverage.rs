//! Coverage of units (建组率, 工作覆盖面) for a subtree, as of a date, as mergeable partial
//! aggregates.
//!
//! Units are the tree's: registered under an area's committee, found eligible to set up an
//! organization (符合建组条件), covered by an organization of the matching kind. A unit counts
//! in the part of its area's committee on the as-of date, a covering organization in the part
//! where it sits (once, whatever units it covers), in both readings ([`super::Reading`]: a
//! standing is a stock, not a flow). So the parts of a partition of the tree add up to the
//! whole ([`CoverageFigures::merge`]).
//!
//! Work coverage (工作覆盖) counts an eligible unit reached by an organization *or* by an
//! instructor (指导员). Instructors are the activity domain's records, which the tree does not
//! read: it asks through [`Instructors`], which the activity records and the ledger's state
//! answer.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Attribution, Registry};
use crate::model::{OrgIdx, Ratio, UnitIdx, UnitKind};

/// What work coverage needs to know of another domain's records: whether an instructor is
/// assigned to a unit on a day. The activity domain's records answer it (instructors are
/// theirs), and the ledger's state through them, so the tree need not know those records.
pub trait Instructors {
    /// Whether an instructor (指导员) is assigned to `unit` on `date`.
    fn instructed_on(&self, unit: UnitIdx, date: Date) -> bool;
}

/// Whether party work reaches `unit` on `date` (工作覆盖): an organization covers it (its
/// standing in `reg`), or an instructor is assigned to it (`instructors`).
pub fn work_covered_on(
    reg: &Registry,
    instructors: &(impl Instructors + ?Sized),
    unit: UnitIdx,
    date: Date,
) -> bool {
    let covered = reg
        .unit(unit)
        .standing_on(date)
        .is_some_and(|s| s.covered_by.is_some());
    covered || instructors.instructed_on(unit, date)
}

/// Coverage of one kind of unit (建组率), as of a date: counts only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCoverage {
    /// Units registered.
    pub units: u64,
    /// Units that meet the conditions to set up an organization (符合建组条件): the rate's
    /// denominator.
    pub eligible: u64,
    /// Eligible units covered by an organization, their own or a joint one: the numerator.
    pub covered: u64,
    /// Organizations covering at least one unit of the kind (已建立党组织), counted where the
    /// organization sits, so a joint organization counts once whatever units it covers.
    pub orgs: u64,
    /// Eligible units reached by party work (工作覆盖): covered by an organization, or with an
    /// instructor (指导员) assigned.
    #[serde(default)]
    pub work_covered: u64,
}

impl KindCoverage {
    /// The coverage rate: eligible units covered over eligible units (not organizations over
    /// units: a joint organization covers several units).
    pub fn rate(&self) -> Option<Ratio> {
        Ratio::new("coverage", self.covered, self.eligible).ok()
    }

    /// The work-coverage rate (工作覆盖面): eligible units reached by an organization or an
    /// instructor, over eligible units.
    pub fn work_rate(&self) -> Option<Ratio> {
        Ratio::new("work_coverage", self.work_covered, self.eligible).ok()
    }

    fn merge(&mut self, o: &KindCoverage) {
        self.units += o.units;
        self.eligible += o.eligible;
        self.covered += o.covered;
        self.orgs += o.orgs;
        self.work_covered += o.work_covered;
    }
}

/// Coverage of units by kind, in [`UnitKind::ALL`] order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageFigures {
    /// By unit kind.
    pub by_kind: [KindCoverage; 3],
}

impl CoverageFigures {
    /// Coverage in `root`'s subtree on `as_of`: units counted under their area's committee,
    /// covering organizations where they sit. `state` holds the tree and answers for the
    /// instructors (a ledger's `State` does).
    pub fn of<S: AsRef<Registry> + Instructors>(
        state: &S,
        root: OrgIdx,
        as_of: Date,
    ) -> CoverageFigures {
        let parts = Attribution::subtree(state, root, as_of);
        CoverageFigures::of_parts(state, &parts, as_of)
            .pop()
            .unwrap_or_default()
    }

    /// [`CoverageFigures::of`] for each part of `parts`, in one pass over the units.
    pub fn of_parts<S: AsRef<Registry> + Instructors>(
        state: &S,
        parts: &Attribution,
        as_of: Date,
    ) -> Vec<CoverageFigures> {
        let reg: &Registry = state.as_ref();
        let mut fs: Vec<CoverageFigures> = parts.fresh();
        let mut covering = std::collections::BTreeSet::new();
        let all = || 0..reg.units().len() as u32;
        let units: Vec<u32> = parts
            .scope()
            .map_or_else(|| all().collect(), |s| reg.unit_positions(s));
        for i in units {
            let u = reg.unit(UnitIdx(i));
            let Some(s) = u.standing_on(as_of) else {
                continue;
            };
            let k = unit_index(u.kind);
            if let Some(part) = parts.part(u.area) {
                let c = &mut fs[part].by_kind[k];
                c.units += 1;
                if s.eligible {
                    c.eligible += 1;
                    c.covered += u64::from(s.covered_by.is_some());
                    c.work_covered += u64::from(work_covered_on(reg, state, UnitIdx(i), as_of));
                }
            }
            if let Some(org) = s.covered_by
                && let Some(part) = parts.part(org)
                && covering.insert(org)
            {
                fs[part].by_kind[k].orgs += 1;
            }
        }
        fs
    }

    /// Coverage of units of `kind`.
    pub fn of_kind(&self, kind: UnitKind) -> &KindCoverage {
        &self.by_kind[unit_index(kind)]
    }

    /// Adds `other`'s counts to these: the figures of two disjoint parts make their union's.
    pub fn merge(&mut self, o: &CoverageFigures) {
        for (a, b) in self.by_kind.iter_mut().zip(&o.by_kind) {
            a.merge(b);
        }
    }
}

fn unit_index(k: UnitKind) -> usize {
    UnitKind::ALL.iter().position(|x| *x == k).unwrap_or(0)
}
