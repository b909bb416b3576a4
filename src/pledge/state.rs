//! The pledges' part of the state: every pledge in order of drafting, with the index by
//! identifier the checks need, the index by owner a subtree's report reads, and the facts a
//! report asks of every pledge ([`Facts`]). Only the list is serialized; the rest is rebuilt
//! on load ([`Pledges::load`]), where every pledge is checked against the tree again.

use jiff::civil::Date;
use serde::Serialize;

use super::{Owner, Pledge, PledgeIdx, ReviewDecision};
use crate::model::OrgIdx;
use crate::model::fast::IdMap;
use crate::model::keyed::Rows;
use crate::org::{ByScope, Registry, Scope};

/// The pledges of a campaign, in order of drafting (index = [`PledgeIdx`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pledges {
    pledges: Vec<Pledge>,
    #[serde(skip)]
    by_id: IdMap<PledgeIdx>,
    /// The pledges by owner.
    #[serde(skip)]
    by_owner: ByScope,
    /// Each pledge's [`Facts`], by position.
    #[serde(skip)]
    facts: Vec<Facts>,
}

/// What a report asks of every pledge that the pledge keeps in its lists (its reviews, status
/// changes and versions), kept beside the list so that a pass over every pledge reads none of
/// them: a province's pass spent most of its time fetching those lists. Derived, rebuilt on
/// load and after every change to the pledge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Facts {
    /// The day it was first returned for revision.
    returned: Option<Date>,
    /// Whether it was fulfilled by its deadline; `None` if it was never fulfilled.
    pub in_time: Option<bool>,
}

impl Facts {
    fn of(p: &Pledge) -> Facts {
        Facts {
            returned: p
                .reviews
                .iter()
                .filter(|r| matches!(r.decision, ReviewDecision::Return { .. }))
                .map(|r| r.on)
                .min(),
            in_time: p.fulfilled_in_time(),
        }
    }

    /// [`Pledge::returned_by`].
    pub fn returned_by(&self, date: Date) -> bool {
        self.returned.is_some_and(|d| d <= date)
    }
}

impl Pledges {
    /// Every pledge, in order of drafting.
    pub fn all(&self) -> &[Pledge] {
        &self.pledges
    }

    /// The pledge at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state (indices are only ever handed out by it).
    pub fn get(&self, idx: PledgeIdx) -> &Pledge {
        &self.pledges[idx.0 as usize]
    }

    /// The pledge with external id `id`.
    pub fn by_id(&self, id: &str) -> Option<PledgeIdx> {
        self.by_id.get(id).copied()
    }

    /// The pledges whose owner is among `scope`'s organizations or members, in order; every
    /// pledge without a scope.
    pub(crate) fn rows(&self, scope: Option<&Scope>) -> Rows<'_, Pledge> {
        self.by_owner.rows(&self.pledges, scope)
    }

    /// [`Pledges::rows`], each with its [`Facts`].
    pub(crate) fn rows_with_facts(
        &self,
        scope: Option<&Scope>,
    ) -> impl Iterator<Item = (&Pledge, Facts)> {
        self.rows(scope).indexed().map(|(i, p)| {
            (
                p,
                self.facts.get(i).copied().unwrap_or_else(|| Facts::of(p)),
            )
        })
    }

    /// Gives back the spare capacity of the list, of each pledge's lists and of the indexes.
    /// Changes nothing readable.
    pub(crate) fn shrink_to_fit(&mut self) {
        for p in &mut self.pledges {
            p.shrink_to_fit();
        }
        self.pledges.shrink_to_fit();
        self.by_id.shrink_to_fit();
        self.by_owner.shrink_to_fit();
        self.facts.shrink_to_fit();
    }

    /// Notes pledge `idx` under its owner.
    fn index_owner(&mut self, idx: PledgeIdx, owner: Owner) {
        match owner {
            Owner::Org(o) => self.by_owner.org(o, idx.0 as usize),
            Owner::Member(m) => self.by_owner.member(m, idx.0 as usize),
        }
    }

    // ---- changes: made by `apply` after a command is checked ----

    pub(super) fn push(&mut self, pledge: Pledge) -> PledgeIdx {
        let idx = PledgeIdx(self.pledges.len() as u32);
        self.by_id.insert(pledge.id.clone(), idx);
        self.index_owner(idx, pledge.owner);
        self.facts.push(Facts::of(&pledge));
        self.pledges.push(pledge);
        debug_assert_eq!(self.by_owner.len(), self.pledges.len());
        debug_assert_eq!(self.facts.len(), self.pledges.len());
        idx
    }

    /// Changes pledge `idx` by `change`, then works out its [`Facts`] again.
    pub(super) fn change<R>(&mut self, idx: PledgeIdx, change: impl FnOnce(&mut Pledge) -> R) -> R {
        let i = idx.0 as usize;
        let out = change(&mut self.pledges[i]);
        self.facts[i] = Facts::of(&self.pledges[i]);
        out
    }

    /// Adds to pledge `idx`'s records that its [`Facts`] do not read (progress reports,
    /// fulfilment records, urges, evaluations), so they stand as they are: a province's
    /// replay adds millions of monthly reports.
    pub(super) fn append(&mut self, idx: PledgeIdx, add: impl FnOnce(&mut Pledge)) {
        let i = idx.0 as usize;
        add(&mut self.pledges[i]);
        debug_assert_eq!(self.facts[i], Facts::of(&self.pledges[i]));
    }

    /// The serialized list, as a snapshot holds it.
    pub(crate) fn parts(&self) -> Vec<Pledge> {
        self.pledges.clone()
    }

    /// Rebuilds the pledges from their serialized list, checking each against `reg`: ids
    /// unique, owners known, an organization's pledge without a carrier and not drafted before
    /// its owner existed, reviews by known organizations of known versions.
    pub fn load(reg: &Registry, pledges: Vec<Pledge>) -> Result<Pledges, String> {
        let threads = pledges.len() >= PARALLEL_LOAD;
        Pledges::load_with(reg, pledges, threads)
    }

    /// [`Pledges::load`]: when `threads`, checked and indexed by owner on a second thread
    /// while this one indexes them by id.
    fn load_with(reg: &Registry, pledges: Vec<Pledge>, threads: bool) -> Result<Pledges, String> {
        // The list is kept as given (not moved pledge by pledge into a new one).
        let (checked, by_id) = if !threads {
            (checked(reg, &pledges), by_id(&pledges))
        } else {
            std::thread::scope(|s| {
                let checked = s.spawn(|| checked(reg, &pledges));
                let by_id = by_id(&pledges);
                let failed = || Err((0, "checking the pledges failed".to_string()));
                (checked.join().unwrap_or_else(|_| failed()), by_id)
            })
        };
        let ((facts, by_owner), by_id) = match (checked, by_id) {
            (Ok(checked), Ok(by_id)) => (checked, by_id),
            // The first failure in the list's order, a pledge's check before its id (as one
            // pass checking and then indexing each pledge in turn finds it).
            (Err((i, why)), Err((j, dup))) => return Err(if i <= j { why } else { dup }),
            (Err((_, why)), Ok(_)) | (Ok(_), Err((_, why))) => return Err(why),
        };
        let out = Pledges {
            pledges,
            by_id,
            by_owner,
            facts,
        };
        debug_assert_eq!(out.by_owner.len(), out.pledges.len());
        debug_assert_eq!(out.facts.len(), out.pledges.len());
        Ok(out)
    }
}

/// Lists at least this long are checked and indexed on two threads.
const PARALLEL_LOAD: usize = 1 << 14;

/// A failure while loading: the pledge's position, and why.
type LoadFailure = (usize, String);

/// Each pledge checked against `reg` ([`check_loaded`]); their [`Facts`], and the index by
/// owner, sized once from the owners counted while checking (grown by doubling, it would be
/// held twice and keep spare room).
fn checked(reg: &Registry, pledges: &[Pledge]) -> Result<(Vec<Facts>, ByScope), LoadFailure> {
    let (mut orgs, mut members) = ((0, 0), (0, 0));
    let mut facts = Vec::with_capacity(pledges.len());
    for (i, pledge) in pledges.iter().enumerate() {
        check_loaded(reg, i, pledge).map_err(|why| (i, why))?;
        facts.push(Facts::of(pledge));
        match pledge.owner {
            Owner::Org(o) => orgs = (orgs.0.max(o.0 as usize + 1), orgs.1 + 1),
            Owner::Member(m) => members = (members.0.max(m.0 as usize + 1), members.1 + 1),
        }
    }
    let mut by_owner = ByScope::with_room(orgs, members);
    for (i, pledge) in pledges.iter().enumerate() {
        match pledge.owner {
            Owner::Org(o) => by_owner.org(o, i),
            Owner::Member(m) => by_owner.member(m, i),
        }
    }
    Ok((facts, by_owner))
}

/// The index by id, sized once; ids unique.
fn by_id(pledges: &[Pledge]) -> Result<IdMap<PledgeIdx>, LoadFailure> {
    let mut by_id = IdMap::default();
    by_id.reserve(pledges.len());
    for (i, pledge) in pledges.iter().enumerate() {
        if by_id
            .insert(pledge.id.clone(), PledgeIdx(i as u32))
            .is_some()
        {
            return Err((i, format!("pledges[{i}] ({}): duplicate id", pledge.id)));
        }
    }
    Ok(by_id)
}

/// Pledge `i` as loaded, against `reg`: its owner known, an organization's pledge without a
/// carrier and not drafted before its owner existed, its reviews of known versions by known
/// organizations.
fn check_loaded(reg: &Registry, i: usize, p: &Pledge) -> Result<(), String> {
    let at = || format!("pledges[{i}] ({})", p.id);
    match p.owner {
        Owner::Org(o) if (o.0 as usize) < reg.orgs().len() => {
            if p.carrier.is_some() {
                return Err(format!("{}: an organization's pledge with a carrier", at()));
            }
            if p.status[0].from < reg.org(o).since {
                return Err(format!("{}: drafted before its owner existed", at()));
            }
        }
        Owner::Member(m) if (m.0 as usize) < reg.members().len() => {}
        _ => return Err(format!("{}: owner index out of range", at())),
    }
    for r in &p.reviews {
        if r.reviewer.0 as usize >= reg.orgs().len() || r.version as usize >= p.versions.len() {
            return Err(format!(
                "{}: a review refers to an unknown reviewer or version",
                at()
            ));
        }
    }
    Ok(())
}

/// The organization a pledge's owner belonged to on `date`: the owning organization, or the
/// member's organization then (their first one, before their first posting).
pub(crate) fn owner_org_on(reg: &Registry, owner: Owner, date: Date) -> OrgIdx {
    match owner {
        Owner::Org(o) => o,
        Owner::Member(m) => {
            let member = reg.member(m);
            member.posting_on(date).unwrap_or(member.postings[0]).org
        }
    }
}

/// A pledge's records keep their order: status changes, reports, fulfilment records and
/// evaluations dated never going back, every review of a version that exists.
pub(super) fn in_order(p: &Pledge) -> bool {
    fn dated<T>(list: &[T], on: impl Fn(&T) -> Date) -> bool {
        list.windows(2).all(|w| on(&w[0]) <= on(&w[1]))
    }
    dated(&p.status, |s| s.from)
        && dated(&p.reports, |r| r.filed)
        && dated(&p.fulfilments, |r| r.on)
        && dated(&p.evaluations, |e| e.on)
        && p.reviews
            .iter()
            .all(|r| (r.version as usize) < p.versions.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::model::{MemberIdx, OrgIdx};

    /// The small demo's registry and pledges.
    fn demo_pledges() -> (Registry, Vec<Pledge>) {
        let c = demo::small_in_memory();
        (c.state().registry().clone(), c.state().pledges().to_vec())
    }

    /// On two threads or on one, loading finds the same pledges, or the same first failure:
    /// a duplicate id, an owner out of range, or both, wherever they are.
    #[test]
    fn two_threads_load_what_one_loads() {
        let (reg, good) = demo_pledges();
        let n = good.len();
        assert!(n > 20, "{n} pledges");
        let same = |pledges: Vec<Pledge>| {
            let one = Pledges::load_with(&reg, pledges.clone(), false);
            let two = Pledges::load_with(&reg, pledges, true);
            assert_eq!(one, two);
            one
        };
        assert!(same(good.clone()).is_ok());
        let far = OrgIdx(reg.orgs().len() as u32 + 7);
        for (dup, bad) in [(3, n - 2), (n - 2, 3), (5, 5), (n - 1, 0)] {
            let mut pledges = good.clone();
            pledges[dup].id = pledges[dup - 1].id.clone();
            let Err(why) = same(pledges.clone()) else {
                panic!("a duplicate id at {dup} was loaded");
            };
            assert!(why.contains("duplicate id"), "{why}");
            pledges[bad].owner = if bad % 2 == 0 {
                Owner::Org(far)
            } else {
                Owner::Member(MemberIdx(u32::MAX))
            };
            let Err(why) = same(pledges) else {
                panic!("an owner out of range at {bad} was loaded");
            };
            let first = if bad <= dup {
                "out of range"
            } else {
                "duplicate id"
            };
            assert!(why.contains(first), "{why}");
        }
    }
}
