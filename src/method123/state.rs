//! The 123 work method's part of the state: the households' registers, receptions, visits and
//! concerns, with the indexes its checks need. Only the lists are serialized; the indexes are
//! rebuilt on load ([`Records::load`]), where every invariant is checked again.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use jiff::civil::Date;
use serde::Serialize;

use super::{Concern, ConcernIdx, Household, HouseholdIdx, Reception, Resolution, Visit};
use crate::model::fast::{FxHasher, IdMap};
use crate::model::keyed::Rows;
use crate::model::{MemberIdx, OrgIdx, OrgKind};
use crate::org::{ByScope, Registry, Scope};

/// The 123 work method's records of a campaign, in the order recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Records {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    households: Vec<Household>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    receptions: Vec<Reception>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    visits: Vec<Visit>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    concerns: Vec<Concern>,
    #[serde(skip)]
    derived: Derived,
}

/// Indexes rebuilt from the lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Derived {
    household_by_id: IdMap<HouseholdIdx>,
    concern_by_id: IdMap<ConcernIdx>,
    /// Per member named in a record (a reception's cadre, a visit's cadre, a resolution's
    /// handler): the latest such record's date.
    latest_of: HashMap<MemberIdx, Date, BuildHasherDefault<FxHasher>>,
    /// Receptions, visits (by their household's village) and concerns, by village.
    receptions_of: ByScope,
    visits_of: ByScope,
    concerns_of: ByScope,
    /// The earliest day of any record (a household's registration, a reception, a visit, a
    /// concern raised).
    first_day: Option<Date>,
}

impl Records {
    /// Every poor household ever registered, in order.
    pub fn households(&self) -> &[Household] {
        &self.households
    }

    /// The household at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state.
    pub fn household(&self, idx: HouseholdIdx) -> &Household {
        &self.households[idx.0 as usize]
    }

    /// The household with external id `id`.
    pub fn household_by_id(&self, id: &str) -> Option<HouseholdIdx> {
        self.derived.household_by_id.get(id).copied()
    }

    /// Every reception, in the order recorded.
    pub fn receptions(&self) -> &[Reception] {
        &self.receptions
    }

    /// Every household visit, in the order recorded.
    pub fn visits(&self) -> &[Visit] {
        &self.visits
    }

    /// Every concern, in the order raised.
    pub fn concerns(&self) -> &[Concern] {
        &self.concerns
    }

    /// The concern at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state.
    pub fn concern(&self, idx: ConcernIdx) -> &Concern {
        &self.concerns[idx.0 as usize]
    }

    /// The concern with external id `id`.
    pub fn concern_by_id(&self, id: &str) -> Option<ConcernIdx> {
        self.derived.concern_by_id.get(id).copied()
    }

    /// The earliest day of any of the method's records: a household registered, a reception,
    /// a visit or a concern raised. `None` before the first.
    pub fn first_day(&self) -> Option<Date> {
        self.derived.first_day
    }

    /// The date of the latest record naming `member` (as a reception's or a visit's cadre, or
    /// as a resolution's handler), if any.
    pub fn latest_record_of(&self, member: MemberIdx) -> Option<Date> {
        self.derived.latest_of.get(&member).copied()
    }

    /// The receptions of `scope`'s villages, in order; every reception without a scope.
    pub(crate) fn reception_rows(&self, scope: Option<&Scope>) -> Rows<'_, Reception> {
        self.derived.receptions_of.rows(&self.receptions, scope)
    }

    /// The visits to households of `scope`'s villages, in order; every visit without a scope.
    pub(crate) fn visit_rows(&self, scope: Option<&Scope>) -> Rows<'_, Visit> {
        self.derived.visits_of.rows(&self.visits, scope)
    }

    /// The concerns of `scope`'s villages, in order; every concern without a scope.
    pub(crate) fn concern_rows(&self, scope: Option<&Scope>) -> Rows<'_, Concern> {
        self.derived.concerns_of.rows(&self.concerns, scope)
    }

    /// Gives back the spare capacity of the lists and their indexes. Changes nothing readable.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.households.shrink_to_fit();
        self.receptions.shrink_to_fit();
        self.visits.shrink_to_fit();
        self.concerns.shrink_to_fit();
        let d = &mut self.derived;
        d.household_by_id.shrink_to_fit();
        d.concern_by_id.shrink_to_fit();
        d.latest_of.shrink_to_fit();
        d.receptions_of.shrink_to_fit();
        d.visits_of.shrink_to_fit();
        d.concerns_of.shrink_to_fit();
    }

    // ---- changes: made by `apply` after a command is checked ----

    fn note_day(&mut self, on: Date) {
        let first = &mut self.derived.first_day;
        *first = Some(first.map_or(on, |f| f.min(on)));
    }

    fn note_record(&mut self, member: MemberIdx, on: Date) {
        let latest = self.derived.latest_of.entry(member).or_insert(on);
        *latest = (*latest).max(on);
    }

    pub(super) fn push_household(&mut self, h: Household) {
        let idx = HouseholdIdx(self.households.len() as u32);
        self.derived.household_by_id.insert(h.id.clone(), idx);
        self.note_day(h.since);
        self.households.push(h);
    }

    pub(super) fn household_mut(&mut self, idx: HouseholdIdx) -> &mut Household {
        &mut self.households[idx.0 as usize]
    }

    pub(super) fn push_reception(&mut self, r: Reception) {
        for m in &r.cadres {
            self.note_record(*m, r.on);
        }
        self.derived
            .receptions_of
            .org(r.village, self.receptions.len());
        self.note_day(r.on);
        self.receptions.push(r);
    }

    pub(super) fn push_visit(&mut self, v: Visit) {
        self.note_record(v.cadre, v.on);
        let village = self.household(v.household).village;
        self.derived.visits_of.org(village, self.visits.len());
        self.note_day(v.on);
        self.visits.push(v);
    }

    pub(super) fn push_concern(&mut self, c: Concern) {
        let idx = ConcernIdx(self.concerns.len() as u32);
        self.derived.concern_by_id.insert(c.id.clone(), idx);
        if let Some(r) = &c.resolution
            && let Some(h) = r.handler
        {
            self.note_record(h, r.on);
        }
        self.derived.concerns_of.org(c.village, self.concerns.len());
        self.note_day(c.raised);
        self.concerns.push(c);
    }

    pub(super) fn concern_mut(&mut self, idx: ConcernIdx) -> &mut Concern {
        &mut self.concerns[idx.0 as usize]
    }

    pub(super) fn resolve_concern(&mut self, idx: ConcernIdx, resolution: Resolution) {
        if let Some(h) = resolution.handler {
            self.note_record(h, resolution.on);
        }
        self.concerns[idx.0 as usize].resolution = Some(resolution);
    }

    /// The serialized lists, as a snapshot holds them.
    pub(crate) fn parts(&self) -> (Vec<Household>, Vec<Reception>, Vec<Visit>, Vec<Concern>) {
        (
            self.households.clone(),
            self.receptions.clone(),
            self.visits.clone(),
            self.concerns.clone(),
        )
    }

    /// Rebuilds the records from their serialized lists, checking each against `reg`: ids
    /// unique, households and concerns of villages, receptions and visits by cadres of the
    /// village that day, visits to households on its register, concerns' steps in order.
    pub fn load(
        reg: &Registry,
        households: Vec<Household>,
        receptions: Vec<Reception>,
        visits: Vec<Visit>,
        concerns: Vec<Concern>,
    ) -> Result<Records, String> {
        // The lists and the indexes by id sized once; a list grown by doubling would keep its
        // spare room, and hold its old copy while it doubles.
        let mut out = Records::default();
        out.households.reserve_exact(households.len());
        out.receptions.reserve_exact(receptions.len());
        out.visits.reserve_exact(visits.len());
        out.concerns.reserve_exact(concerns.len());
        out.derived.household_by_id.reserve(households.len());
        out.derived.concern_by_id.reserve(concerns.len());
        let village =
            |o: OrgIdx| (o.0 as usize) < reg.orgs().len() && reg.org(o).kind == OrgKind::Village;
        let cadre_of = |m: MemberIdx, village: OrgIdx, on: Date| {
            (m.0 as usize) < reg.members().len()
                && reg
                    .member(m)
                    .posting_on(on)
                    .is_some_and(|p| p.org == village && p.role.is_cadre())
        };
        for (i, h) in households.into_iter().enumerate() {
            if out.household_by_id(h.id.as_str()).is_some() || !village(h.village) {
                return Err(format!(
                    "households[{i}] ({}): duplicate id or not a village's",
                    h.id
                ));
            }
            if h.until.is_some_and(|u| u < h.since) {
                return Err(format!(
                    "households[{i}] ({}): leaves before it joins",
                    h.id
                ));
            }
            out.push_household(h);
        }
        for (i, r) in receptions.into_iter().enumerate() {
            let cadres_ok =
                !r.cadres.is_empty() && r.cadres.iter().all(|m| cadre_of(*m, r.village, r.on));
            if !village(r.village) || !cadres_ok || r.visitors == 0 {
                return Err(format!(
                    "receptions[{i}]: not a reception by cadres of a village"
                ));
            }
            out.push_reception(r);
        }
        for (i, v) in visits.into_iter().enumerate() {
            let ok = (v.household.0 as usize) < out.households.len() && {
                let h = out.household(v.household);
                h.registered_on(v.on) && cadre_of(v.cadre, h.village, v.on)
            };
            if !ok {
                return Err(format!(
                    "visits[{i}]: not a visit by a cadre of a registered household"
                ));
            }
            out.push_visit(v);
        }
        for (i, c) in concerns.into_iter().enumerate() {
            if out.concern_by_id(c.id.as_str()).is_some() || !village(c.village) || !in_order(&c) {
                return Err(format!(
                    "concerns[{i}] ({}): duplicate id, not a village's, or out of order",
                    c.id
                ));
            }
            out.push_concern(c);
        }
        // What grew as the records came in (the indexes by organization and by member).
        out.shrink_to_fit();
        Ok(out)
    }
}

/// A concern's escalations go up one tier at a time, in date order, from its raising on; its
/// resolution is at the tier it stood at, on or after its last step.
pub(super) fn in_order(c: &Concern) -> bool {
    c.escalations
        .windows(2)
        .all(|w| w[0].on <= w[1].on && w[0].to < w[1].to)
        && c.escalations.first().is_none_or(|e| e.on >= c.raised)
        && c.resolution.as_ref().is_none_or(|r| {
            r.on >= c.raised
                && r.tier == c.tier_on(r.on)
                && r.on >= c.escalations.last().map_or(c.raised, |e| e.on)
        })
}

/// What the 123 work method's verdicts and figures read: the tree and its own records. Built
/// from anything that holds both (the ledger's state does), so they need nothing else of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct View<'a> {
    reg: &'a Registry,
    records: &'a Records,
}

impl<'a> View<'a> {
    /// The view of `state`.
    pub(crate) fn of<S: AsRef<Registry> + AsRef<Records>>(state: &'a S) -> View<'a> {
        View {
            reg: state.as_ref(),
            records: state.as_ref(),
        }
    }

    pub(crate) fn orgs(&self) -> &'a [crate::model::Org] {
        self.reg.orgs()
    }

    pub(crate) fn members(&self) -> &'a [crate::model::Member] {
        self.reg.members()
    }

    pub(crate) fn org(&self, idx: OrgIdx) -> &'a crate::model::Org {
        self.reg.org(idx)
    }

    pub(crate) fn member(&self, idx: MemberIdx) -> &'a crate::model::Member {
        self.reg.member(idx)
    }

    pub(crate) fn root(&self) -> Option<OrgIdx> {
        self.reg.root()
    }

    pub(crate) fn households(&self) -> &'a [Household] {
        self.records.households()
    }

    pub(crate) fn household(&self, idx: HouseholdIdx) -> &'a Household {
        self.records.household(idx)
    }

    pub(crate) fn reception_rows(&self, scope: Option<&Scope>) -> Rows<'a, Reception> {
        self.records.reception_rows(scope)
    }

    pub(crate) fn visit_rows(&self, scope: Option<&Scope>) -> Rows<'a, Visit> {
        self.records.visit_rows(scope)
    }

    pub(crate) fn concern_rows(&self, scope: Option<&Scope>) -> Rows<'a, Concern> {
        self.records.concern_rows(scope)
    }
}

impl AsRef<Registry> for View<'_> {
    fn as_ref(&self) -> &Registry {
        self.reg
    }
}

impl AsRef<Records> for View<'_> {
    fn as_ref(&self) -> &Records {
        self.records
    }
}
