//! The campaign's state: organizations, members and units, with the indices that make lookups
//! by external id and by tree position cheap.
//!
//! Only the entity lists are serialized; the indices are derived and rebuilt on load, where
//! every invariant is checked again ([`State::from_parts`]).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::state_activity::{Activities, ActivityRecords};
use crate::method123::{Concern, ConcernIdx, Household, HouseholdIdx, Reception, Visit};
use crate::model::{DatedTree, ExtId, Member, MemberIdx, Org, OrgIdx, Role, Unit, UnitIdx};
use crate::pledge::{Owner, Pledge, PledgeIdx};

/// Most organizations, members or units a campaign holds (dense `u32` indices).
pub const MAX_ENTITIES: u32 = u32::MAX - 1;

/// Deepest organization tree; the kind table allows 3 levels, this bounds every walk up.
pub const MAX_DEPTH: usize = 16;

/// The state of a campaign.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct State {
    orgs: Vec<Org>,
    members: Vec<Member>,
    units: Vec<Unit>,
    pledges: Vec<Pledge>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    households: Vec<Household>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    receptions: Vec<Reception>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    visits: Vec<Visit>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    concerns: Vec<Concern>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    member_evaluations: Vec<crate::evaluation::MemberEvaluationInputs>,
    /// Village decisions (四议一审), with their index (see `state_deliberation`).
    #[serde(skip_serializing_if = "super::state_deliberation::Matters::is_empty")]
    pub(super) matters: super::state_deliberation::Matters,
    #[serde(skip_serializing_if = "Activities::is_empty")]
    activity: Activities,
    /// Times of day of the facts whose commands gave one (see `times`).
    #[serde(skip_serializing_if = "crate::model::times::Times::is_empty")]
    times: crate::model::times::Times,
    #[serde(skip)]
    derived: Derived,
}

/// FxHash (the multiply-rotate hash rustc uses): several times faster than SipHash on short
/// identifiers. It is not keyed, so a host able to choose identifiers at will could make lookups
/// slow; identifiers come from authenticated host systems, and every length is bounded.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(26) ^ word).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(26) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }
    fn finish(&self) -> u64 {
        // The high bits carry the mixing; hashbrown takes its control bits from the top.
        self.0.rotate_left(20)
    }
}

pub(super) type IdMap<V> = HashMap<ExtId, V, BuildHasherDefault<FxHasher>>;

/// Indices rebuilt from the entity lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Derived {
    org_by_id: IdMap<OrgIdx>,
    member_by_id: IdMap<MemberIdx>,
    unit_by_id: IdMap<UnitIdx>,
    pledge_by_id: IdMap<PledgeIdx>,
    household_by_id: IdMap<HouseholdIdx>,
    concern_by_id: IdMap<ConcernIdx>,
    children: Vec<Vec<OrgIdx>>,
    secretary: Vec<Option<MemberIdx>>,
    units_covered: Vec<u32>,
    /// Per organization: members posted to it now.
    org_members: Vec<u32>,
    /// Per organization: every member who has held its secretary's role, on any date.
    secretaries_ever: Vec<Vec<MemberIdx>>,
    /// Per organization: every unit it has covered, on any date.
    covered_ever: Vec<Vec<UnitIdx>>,
    /// Per member: their evaluations' positions in `member_evaluations`, in order.
    evaluations_of: Vec<Vec<u32>>,
    /// Per member named in a 123 record (a reception's cadre, a visit's cadre, a resolution's
    /// handler): the latest such record's date.
    latest_123_of: HashMap<MemberIdx, Date, BuildHasherDefault<FxHasher>>,
}

/// The serialized parts of a state, as a snapshot holds them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateParts {
    /// Organizations, in order of creation (index = [`OrgIdx`]).
    pub orgs: Vec<Org>,
    /// Members, in order of creation (index = [`MemberIdx`]).
    pub members: Vec<Member>,
    /// Units, in order of registration (index = [`UnitIdx`]).
    pub units: Vec<Unit>,
    /// Pledges, in order of drafting (index = [`PledgeIdx`]).
    #[serde(default)]
    pub pledges: Vec<Pledge>,
    /// Poor households, in order of registration (index = [`HouseholdIdx`]).
    #[serde(default)]
    pub households: Vec<Household>,
    /// Receptions, in order of recording.
    #[serde(default)]
    pub receptions: Vec<Reception>,
    /// Household visits, in order of recording.
    #[serde(default)]
    pub visits: Vec<Visit>,
    /// Villagers' concerns, in order of raising (index = [`ConcernIdx`]).
    #[serde(default)]
    pub concerns: Vec<Concern>,
    /// Inputs of member evaluations, in the order recorded.
    #[serde(default)]
    pub member_evaluations: Vec<crate::evaluation::MemberEvaluationInputs>,
    /// Major village matters (四议一审), in order of proposal (index = `MatterIdx`).
    #[serde(default)]
    pub matters: Vec<crate::deliberation::Matter>,
    /// Service actions, volunteer teams, contact points, instructors and other activities.
    #[serde(default)]
    pub activity: ActivityRecords,
    /// Times of day of the facts whose commands gave one.
    #[serde(default)]
    pub times: Vec<crate::model::times::TimeEntry>,
}

impl State {
    /// An empty state.
    pub fn new() -> State {
        State::default()
    }

    /// The times of day of the facts whose commands gave one.
    pub fn times(&self) -> &crate::model::times::Times {
        &self.times
    }

    pub(crate) fn times_mut(&mut self) -> &mut crate::model::times::Times {
        &mut self.times
    }

    /// Every organization, in order of creation.
    pub fn orgs(&self) -> &[Org] {
        &self.orgs
    }

    /// Every member, in order of creation.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// Every unit, in order of registration.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// Every pledge, in order of drafting.
    pub fn pledges(&self) -> &[Pledge] {
        &self.pledges
    }

    /// The pledge at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state (indices are only ever handed out by it).
    pub fn pledge(&self, idx: PledgeIdx) -> &Pledge {
        &self.pledges[idx.0 as usize]
    }

    /// The pledge with external id `id`.
    pub fn pledge_by_id(&self, id: &str) -> Option<PledgeIdx> {
        self.derived.pledge_by_id.get(id).copied()
    }

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

    /// Gives back the spare capacity of the entity lists and their indexes (after a replay,
    /// which grows them by doubling). Changes nothing that can be read.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.orgs.shrink_to_fit();
        self.members.shrink_to_fit();
        self.units.shrink_to_fit();
        self.pledges.shrink_to_fit();
        self.households.shrink_to_fit();
        self.receptions.shrink_to_fit();
        self.visits.shrink_to_fit();
        self.concerns.shrink_to_fit();
        self.member_evaluations.shrink_to_fit();
        let d = &mut self.derived;
        d.org_by_id.shrink_to_fit();
        d.member_by_id.shrink_to_fit();
        d.unit_by_id.shrink_to_fit();
        d.pledge_by_id.shrink_to_fit();
        d.household_by_id.shrink_to_fit();
        d.concern_by_id.shrink_to_fit();
        d.evaluations_of.shrink_to_fit();
        d.latest_123_of.shrink_to_fit();
    }

    /// Every member evaluation's inputs, in the order recorded.
    pub fn member_evaluations(&self) -> &[crate::evaluation::MemberEvaluationInputs] {
        &self.member_evaluations
    }

    /// The evaluations of `member`, in the order recorded (none for an unknown member).
    pub fn member_evaluations_of(
        &self,
        member: MemberIdx,
    ) -> impl DoubleEndedIterator<Item = &crate::evaluation::MemberEvaluationInputs> {
        self.derived
            .evaluations_of
            .get(member.0 as usize)
            .into_iter()
            .flatten()
            .filter_map(|i| self.member_evaluations.get(*i as usize))
    }

    /// The date of the latest 123 record naming `member` (as a reception's or a visit's cadre,
    /// or as a resolution's handler), if any.
    pub fn latest_123_record_of(&self, member: MemberIdx) -> Option<Date> {
        self.derived.latest_123_of.get(&member).copied()
    }

    fn note_123_record(&mut self, member: MemberIdx, on: Date) {
        let latest = self.derived.latest_123_of.entry(member).or_insert(on);
        *latest = (*latest).max(on);
    }

    /// How many members are posted to `org` now.
    pub fn members_now(&self, org: OrgIdx) -> u32 {
        self.derived.org_members[org.0 as usize]
    }

    /// The service actions' and instructors' records ([`crate::activity`]).
    pub fn activity(&self) -> &Activities {
        &self.activity
    }

    pub(crate) fn activity_mut(&mut self) -> &mut Activities {
        &mut self.activity
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

    /// The organization a pledge's owner belonged to on `date`: the owning organization, or the
    /// member's organization then (their first one, before their first posting).
    pub fn owner_org_on(&self, owner: Owner, date: Date) -> OrgIdx {
        match owner {
            Owner::Org(o) => o,
            Owner::Member(m) => {
                let member = self.member(m);
                member.posting_on(date).unwrap_or(member.postings[0]).org
            }
        }
    }

    /// The root organization (the city or province committee), once created.
    pub fn root(&self) -> Option<OrgIdx> {
        (!self.orgs.is_empty()).then_some(OrgIdx(0))
    }

    /// The organization at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state (indices are only ever handed out by it).
    pub fn org(&self, idx: OrgIdx) -> &Org {
        &self.orgs[idx.0 as usize]
    }

    /// The member at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state (indices are only ever handed out by it).
    pub fn member(&self, idx: MemberIdx) -> &Member {
        &self.members[idx.0 as usize]
    }

    /// The unit at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state (indices are only ever handed out by it).
    pub fn unit(&self, idx: UnitIdx) -> &Unit {
        &self.units[idx.0 as usize]
    }

    /// The organization with external id `id`.
    pub fn org_by_id(&self, id: &str) -> Option<OrgIdx> {
        self.derived.org_by_id.get(id).copied()
    }

    /// The member with external id `id`.
    pub fn member_by_id(&self, id: &str) -> Option<MemberIdx> {
        self.derived.member_by_id.get(id).copied()
    }

    /// The unit with external id `id`.
    pub fn unit_by_id(&self, id: &str) -> Option<UnitIdx> {
        self.derived.unit_by_id.get(id).copied()
    }

    /// The organizations directly under `idx`, in index (creation) order.
    pub fn children(&self, idx: OrgIdx) -> &[OrgIdx] {
        &self.derived.children[idx.0 as usize]
    }

    /// The current secretary of `idx`, if any.
    pub fn secretary(&self, idx: OrgIdx) -> Option<MemberIdx> {
        self.derived.secretary[idx.0 as usize]
    }

    /// How many units `idx` covers now.
    pub fn units_covered(&self, idx: OrgIdx) -> u32 {
        self.derived.units_covered[idx.0 as usize]
    }

    /// A member other than `except` who holds the secretary's role in `org` on some day from
    /// `from` on, if any. Histories only grow at their end, so a new secretary from `from` on
    /// is allowed exactly when this is `None`.
    pub fn secretary_from(
        &self,
        org: OrgIdx,
        from: Date,
        except: Option<MemberIdx>,
    ) -> Option<MemberIdx> {
        self.secretary_during(org, from, None, except)
    }

    /// A member other than `except` who holds the secretary's role in `org` on some day of
    /// `[from, until)` (`until` `None`: no end), if any.
    fn secretary_during(
        &self,
        org: OrgIdx,
        from: Date,
        until: Option<Date>,
        except: Option<MemberIdx>,
    ) -> Option<MemberIdx> {
        self.derived.secretaries_ever[org.0 as usize]
            .iter()
            .copied()
            .filter(|m| Some(*m) != except)
            .find(|&m| {
                secretary_spans(self.member(m), org).any(|(start, end)| {
                    until.is_none_or(|u| start < u) && end.is_none_or(|e| from < e)
                })
            })
    }

    /// The most units `org` covers on any one day from `from` on, leaving `except` out.
    pub fn most_units_covered_from(&self, org: OrgIdx, from: Date, except: Option<UnitIdx>) -> u32 {
        // +1 where a coverage starts, -1 where it ends (ends first on the same day, since an
        // end date is the first day without it).
        let mut changes: Vec<(Date, i32)> = Vec::new();
        for &u in &self.derived.covered_ever[org.0 as usize] {
            if Some(u) == except {
                continue;
            }
            for (s, end) in self.unit(u).standings.spans() {
                if s.covered_by != Some(org) || end.is_some_and(|e| e <= from) {
                    continue;
                }
                changes.push((s.from.max(from), 1));
                if let Some(e) = end {
                    changes.push((e, -1));
                }
            }
        }
        changes.sort_unstable();
        let (mut now, mut most) = (0i32, 0i32);
        for (_, delta) in changes {
            now += delta;
            most = most.max(now);
        }
        most.unsigned_abs()
    }

    /// Whether `ancestor` is `org` or above it in the tree.
    pub fn is_at_or_above(&self, ancestor: OrgIdx, org: OrgIdx) -> bool {
        let mut at = Some(org);
        for _ in 0..=MAX_DEPTH {
            match at {
                Some(i) if i == ancestor => return true,
                Some(i) => at = self.org(i).parent,
                None => return false,
            }
        }
        false
    }

    /// The organization `levels` above `org`, if the tree is that deep.
    pub fn ancestor(&self, org: OrgIdx, levels: u32) -> Option<OrgIdx> {
        let mut at = org;
        for _ in 0..levels {
            at = self.org(at).parent?;
        }
        Some(at)
    }

    /// The organization tree as it stood on `date` (see [`DatedTree`]).
    pub fn tree_on(&self, date: Date) -> DatedTree {
        DatedTree::of(&self.orgs, date)
    }

    /// Whether `ancestor` was `org` or above it in the tree as it stood on `date`.
    pub fn is_at_or_above_on(&self, ancestor: OrgIdx, org: OrgIdx, date: Date) -> bool {
        let mut at = Some(org);
        for _ in 0..=MAX_DEPTH {
            match at {
                Some(i) if i == ancestor => return true,
                Some(i) => at = self.org(i).parent_on(date),
                None => return false,
            }
        }
        false
    }

    /// `org` and every organization below it, parents before children.
    pub fn subtree(&self, org: OrgIdx) -> Vec<OrgIdx> {
        let mut out = vec![org];
        let mut next = 0;
        while next < out.len() {
            let at = out[next];
            out.extend_from_slice(self.children(at));
            next += 1;
        }
        out
    }

    /// The members posted to `org` on `date` with a cadre's role (书记 or 支委).
    pub fn cadres_on(&self, org: OrgIdx, date: Date) -> impl Iterator<Item = (MemberIdx, Role)> {
        self.members.iter().enumerate().filter_map(move |(i, m)| {
            let p = m.posting_on(date)?;
            (p.org == org && p.role.is_cadre()).then_some((MemberIdx(i as u32), p.role))
        })
    }

    // ---- mutations: called by the ledger after a command is checked ----

    pub(crate) fn push_org(&mut self, org: Org) -> OrgIdx {
        let idx = OrgIdx(self.orgs.len() as u32);
        if let Some(p) = org.parent {
            self.derived.children[p.0 as usize].push(idx);
        }
        self.derived.org_by_id.insert(org.id.clone(), idx);
        self.derived.children.push(Vec::new());
        self.derived.secretary.push(None);
        self.derived.units_covered.push(0);
        self.derived.org_members.push(0);
        self.derived.secretaries_ever.push(Vec::new());
        self.derived.covered_ever.push(Vec::new());
        self.orgs.push(org);
        idx
    }

    pub(crate) fn move_org(&mut self, idx: OrgIdx, parent: OrgIdx, date: Date) {
        let org = &mut self.orgs[idx.0 as usize];
        if let Some(old) = org.parent.replace(parent) {
            org.former_parents.push((date, old));
            self.derived.children[old.0 as usize].retain(|c| *c != idx);
        }
        // Children stay in index order, so a state rebuilt from its entities is identical.
        let siblings = &mut self.derived.children[parent.0 as usize];
        let at = siblings.partition_point(|c| *c < idx);
        siblings.insert(at, idx);
    }

    pub(crate) fn rename_org(&mut self, idx: OrgIdx, name: crate::model::Name, date: Date) {
        let org = &mut self.orgs[idx.0 as usize];
        let old = std::mem::replace(&mut org.name, name);
        org.former_names.push((date, old));
    }

    pub(crate) fn set_leader_level(
        &mut self,
        idx: MemberIdx,
        level: crate::model::LeaderLevel,
        date: Date,
    ) {
        let member = &mut self.members[idx.0 as usize];
        let old = std::mem::replace(&mut member.leader_level, level);
        member.former_levels.push((date, old));
    }

    pub(crate) fn push_member(&mut self, member: Member) -> MemberIdx {
        let idx = MemberIdx(self.members.len() as u32);
        let p = member.current();
        if p.role == Role::Secretary {
            self.derived.secretary[p.org.0 as usize] = Some(idx);
        }
        for p in &member.postings {
            self.note_secretary(p, idx);
        }
        self.derived.org_members[p.org.0 as usize] += 1;
        self.derived.member_by_id.insert(member.id.clone(), idx);
        self.derived.evaluations_of.push(Vec::new());
        self.members.push(member);
        idx
    }

    pub(crate) fn post_member(&mut self, idx: MemberIdx, posting: crate::model::Posting) {
        let member = &mut self.members[idx.0 as usize];
        let old = member.current();
        if old.role == Role::Secretary {
            self.derived.secretary[old.org.0 as usize] = None;
        }
        self.derived.org_members[old.org.0 as usize] -= 1;
        self.derived.org_members[posting.org.0 as usize] += 1;
        if posting.role == Role::Secretary {
            self.derived.secretary[posting.org.0 as usize] = Some(idx);
        }
        // Two changes on one day: the later replaces the earlier, so `posting_on` stays a
        // function of the date.
        let replaced = member.postings.record(posting);
        if let Some(replaced) = replaced {
            self.unnote_secretary(&replaced, idx);
        }
        self.note_secretary(&posting, idx);
    }

    // The "ever" lists stay sorted and exact (a same-day replacement can take a member or unit
    // out again), so a state rebuilt from its entities is identical.

    fn note_secretary(&mut self, p: &crate::model::Posting, idx: MemberIdx) {
        if p.role == Role::Secretary {
            insert_sorted(&mut self.derived.secretaries_ever[p.org.0 as usize], idx);
        }
    }

    fn unnote_secretary(&mut self, replaced: &crate::model::Posting, idx: MemberIdx) {
        let org = replaced.org;
        if replaced.role == Role::Secretary
            && secretary_spans(self.member(idx), org).next().is_none()
        {
            self.derived.secretaries_ever[org.0 as usize].retain(|m| *m != idx);
        }
    }

    fn note_covered(&mut self, s: &crate::model::UnitStanding, idx: UnitIdx) {
        if let Some(org) = s.covered_by {
            insert_sorted(&mut self.derived.covered_ever[org.0 as usize], idx);
        }
    }

    fn unnote_covered(&mut self, replaced: &crate::model::UnitStanding, idx: UnitIdx) {
        if let Some(org) = replaced.covered_by {
            let still = self
                .unit(idx)
                .standings
                .iter()
                .any(|s| s.covered_by == Some(org));
            if !still {
                self.derived.covered_ever[org.0 as usize].retain(|u| *u != idx);
            }
        }
    }

    pub(crate) fn push_pledge(&mut self, pledge: Pledge) -> PledgeIdx {
        let idx = PledgeIdx(self.pledges.len() as u32);
        self.derived.pledge_by_id.insert(pledge.id.clone(), idx);
        self.pledges.push(pledge);
        idx
    }

    pub(crate) fn push_household(&mut self, h: Household) {
        let idx = HouseholdIdx(self.households.len() as u32);
        self.derived.household_by_id.insert(h.id.clone(), idx);
        self.households.push(h);
    }

    pub(crate) fn household_mut(&mut self, idx: HouseholdIdx) -> &mut Household {
        &mut self.households[idx.0 as usize]
    }

    pub(crate) fn push_reception(&mut self, r: Reception) {
        for m in &r.cadres {
            self.note_123_record(*m, r.on);
        }
        self.receptions.push(r);
    }

    pub(crate) fn push_visit(&mut self, v: Visit) {
        self.note_123_record(v.cadre, v.on);
        self.visits.push(v);
    }

    pub(crate) fn push_member_evaluation(&mut self, e: crate::evaluation::MemberEvaluationInputs) {
        if let Some(of) = self.derived.evaluations_of.get_mut(e.member.0 as usize) {
            of.push(self.member_evaluations.len() as u32);
        }
        self.member_evaluations.push(e);
    }

    pub(crate) fn push_concern(&mut self, c: Concern) {
        let idx = ConcernIdx(self.concerns.len() as u32);
        self.derived.concern_by_id.insert(c.id.clone(), idx);
        if let Some(r) = &c.resolution
            && let Some(h) = r.handler
        {
            self.note_123_record(h, r.on);
        }
        self.concerns.push(c);
    }

    pub(crate) fn concern_mut(&mut self, idx: ConcernIdx) -> &mut Concern {
        &mut self.concerns[idx.0 as usize]
    }

    pub(crate) fn resolve_concern(
        &mut self,
        idx: ConcernIdx,
        resolution: crate::method123::Resolution,
    ) {
        if let Some(h) = resolution.handler {
            self.note_123_record(h, resolution.on);
        }
        self.concerns[idx.0 as usize].resolution = Some(resolution);
    }

    pub(crate) fn pledge_mut(&mut self, idx: PledgeIdx) -> &mut Pledge {
        &mut self.pledges[idx.0 as usize]
    }

    pub(crate) fn push_unit(&mut self, unit: Unit) -> UnitIdx {
        let idx = UnitIdx(self.units.len() as u32);
        self.derived.unit_by_id.insert(unit.id.clone(), idx);
        if let Some(org) = unit.current().covered_by {
            self.derived.units_covered[org.0 as usize] += 1;
        }
        for s in &unit.standings {
            self.note_covered(s, idx);
        }
        self.units.push(unit);
        idx
    }

    pub(crate) fn set_unit_standing(&mut self, idx: UnitIdx, standing: crate::model::UnitStanding) {
        let unit = &mut self.units[idx.0 as usize];
        let old = unit.current();
        if let Some(org) = old.covered_by {
            self.derived.units_covered[org.0 as usize] -= 1;
        }
        if let Some(org) = standing.covered_by {
            self.derived.units_covered[org.0 as usize] += 1;
        }
        let replaced = unit.standings.record(standing);
        if let Some(replaced) = replaced {
            self.unnote_covered(&replaced, idx);
        }
        self.note_covered(&standing, idx);
    }

    /// Rebuilds a state from its serialized parts, checking every invariant: identifiers
    /// unique, one root at index 0, parents valid and of an allowed kind, no cycles, histories
    /// non-empty and in date order, members in grassroots organizations, at most one secretary
    /// per organization, units under a committee and covered by organizations of the matching
    /// kind, no more than `max_units_per_org` units per organization.
    pub fn from_parts(parts: StateParts, max_units_per_org: u32) -> Result<State, String> {
        let mut state = State::new();
        let n = parts.orgs.len();
        if n > MAX_ENTITIES as usize {
            return Err("too many organizations".into());
        }
        for (i, org) in parts.orgs.iter().enumerate() {
            check_org(&state, i, n, org)?;
            state
                .derived
                .org_by_id
                .insert(org.id.clone(), OrgIdx(i as u32));
        }
        state.orgs = parts.orgs;
        state.derived.children = vec![Vec::new(); n];
        state.derived.secretary = vec![None; n];
        state.derived.units_covered = vec![0; n];
        state.derived.org_members = vec![0; n];
        state.derived.secretaries_ever = vec![Vec::new(); n];
        state.derived.covered_ever = vec![Vec::new(); n];
        for i in 0..n {
            let org = &state.orgs[i];
            if let Some(p) = org.parent {
                let parent = state.org(p);
                if !org.kind.may_sit_under(parent.kind) {
                    return Err(format!(
                        "orgs[{i}] ({}): a {} may not sit under a {}",
                        org.id, org.kind, parent.kind
                    ));
                }
                state.derived.children[p.0 as usize].push(OrgIdx(i as u32));
            }
        }
        for i in 0..n {
            if !state.is_at_or_above(OrgIdx(0), OrgIdx(i as u32)) {
                return Err(format!(
                    "orgs[{i}] ({}): not connected to the root (a cycle)",
                    state.orgs[i].id
                ));
            }
        }
        for (i, member) in parts.members.into_iter().enumerate() {
            check_member(&state, i, &member)?;
            state.push_member(member);
        }
        for (i, unit) in parts.units.into_iter().enumerate() {
            check_unit(&state, i, &unit, max_units_per_org)?;
            state.push_unit(unit);
        }
        for (i, pledge) in parts.pledges.into_iter().enumerate() {
            check_pledge(&state, i, &pledge)?;
            state.push_pledge(pledge);
        }
        crate::ledger::state_method123::load(
            &mut state,
            parts.households,
            parts.receptions,
            parts.visits,
            parts.concerns,
        )?;
        for (i, e) in parts.member_evaluations.into_iter().enumerate() {
            let ok = (e.member.0 as usize) < state.members.len()
                && state
                    .member(e.member)
                    .posting_on(e.on)
                    .is_some_and(|p| p.org == e.org);
            if !ok {
                return Err(format!(
                    "member_evaluations[{i}]: not a member of the organization then"
                ));
            }
            state.push_member_evaluation(e);
        }
        state.matters = super::state_deliberation::load(&state, parts.matters)?;
        crate::ledger::state_activity::load(&mut state, parts.activity)?;
        state.times = crate::model::times::Times::from_entries(parts.times);
        for i in 0..n {
            let most = state.most_units_covered_from(OrgIdx(i as u32), Date::MIN, None);
            if most > max_units_per_org {
                return Err(format!(
                    "orgs[{i}] ({}): covers {most} units on one day, more than {max_units_per_org}",
                    state.orgs[i].id
                ));
            }
        }
        Ok(state)
    }

    /// Checks every invariant of this state; `Err` names the first one broken. Used by tests
    /// and after loading; the ledger keeps them by construction.
    pub fn check_invariants(&self, max_units_per_org: u32) -> Result<(), String> {
        let parts = StateParts {
            orgs: self.orgs.clone(),
            members: self.members.clone(),
            units: self.units.clone(),
            pledges: self.pledges.clone(),
            households: self.households.clone(),
            receptions: self.receptions.clone(),
            visits: self.visits.clone(),
            concerns: self.concerns.clone(),
            member_evaluations: self.member_evaluations.clone(),
            matters: self.matters().to_vec(),
            activity: self.activity.records().clone(),
            times: self.times.entries(),
        };
        let rebuilt = State::from_parts(parts, max_units_per_org)?;
        if rebuilt.derived != self.derived
            || rebuilt.matters != self.matters
            || rebuilt.activity != self.activity
        {
            return Err("derived indices differ from those rebuilt from the entities".into());
        }
        Ok(())
    }
}

fn check_org(state: &State, i: usize, n: usize, org: &Org) -> Result<(), String> {
    let at = || format!("orgs[{i}] ({})", org.id);
    if state.org_by_id(org.id.as_str()).is_some() {
        return Err(format!("{}: duplicate id", at()));
    }
    match (i, org.parent) {
        (0, None)
            if matches!(
                org.kind,
                crate::model::OrgKind::CityCommittee | crate::model::OrgKind::ProvinceCommittee
            ) => {}
        (0, _) => {
            return Err(format!(
                "{}: the root must be a city or province committee without parent",
                at()
            ));
        }
        (_, None) => {
            return Err(format!(
                "{}: only the first organization may be a root",
                at()
            ));
        }
        (_, Some(p)) if p.0 as usize >= n || p.0 as usize == i => {
            return Err(format!(
                "{}: parent index {} is not another organization",
                at(),
                p.0
            ));
        }
        (_, Some(_)) => {}
    }
    if org.former_parents.iter().any(|(_, p)| p.0 as usize >= n) {
        return Err(format!("{}: a former parent index is out of range", at()));
    }
    if !org.former_parents.windows(2).all(|w| w[0].0 <= w[1].0) {
        return Err(format!("{}: former parents out of date order", at()));
    }
    if !org.former_names.windows(2).all(|w| w[0].0 <= w[1].0) {
        return Err(format!("{}: former names out of date order", at()));
    }
    Ok(())
}

fn check_member(state: &State, i: usize, m: &Member) -> Result<(), String> {
    let at = || format!("members[{i}] ({})", m.id);
    if state.member_by_id(m.id.as_str()).is_some() {
        return Err(format!("{}: duplicate id", at()));
    }
    for p in &m.postings {
        if p.org.0 as usize >= state.orgs.len() {
            return Err(format!(
                "{}: posting org index {} out of range",
                at(),
                p.org.0
            ));
        }
        if !state.org(p.org).kind.is_grassroots() {
            return Err(format!("{}: posted to a non-grassroots organization", at()));
        }
        if p.from < state.org(p.org).since {
            return Err(format!("{}: posted before the organization existed", at()));
        }
    }
    if !m.former_levels.windows(2).all(|w| w[0].0 <= w[1].0) {
        return Err(format!("{}: former leader levels out of date order", at()));
    }
    for p in m.postings.iter().filter(|p| p.role == Role::Secretary) {
        let org = p.org;
        for (start, end) in secretary_spans(m, org) {
            if let Some(other) = state.secretary_during(org, start, end, None) {
                return Err(format!(
                    "{}: secretary of {} at the same time as {}",
                    at(),
                    state.org(org).id,
                    state.member(other).id
                ));
            }
        }
    }
    Ok(())
}

fn check_unit(state: &State, i: usize, u: &Unit, max_units_per_org: u32) -> Result<(), String> {
    let at = || format!("units[{i}] ({})", u.id);
    if state.unit_by_id(u.id.as_str()).is_some() {
        return Err(format!("{}: duplicate id", at()));
    }
    if u.area.0 as usize >= state.orgs.len() {
        return Err(format!("{}: area index out of range", at()));
    }
    let area = state.org(u.area).kind;
    if !(area.is_township_level() || area == crate::model::OrgKind::CityDepartment) {
        return Err(format!("{}: area is a {area}", at()));
    }
    for s in u.standings.iter() {
        if let Some(org) = s.covered_by {
            if org.0 as usize >= state.orgs.len() {
                return Err(format!("{}: covering org index out of range", at()));
            }
            if state.org(org).kind != u.kind.covering_org_kind() {
                return Err(format!(
                    "{}: covered by an organization of the wrong kind",
                    at()
                ));
            }
            if s.from < state.org(org).since {
                return Err(format!("{}: covered before the organization existed", at()));
            }
        }
    }
    let _ = max_units_per_org; // checked over all dates once every unit is loaded
    Ok(())
}

fn check_pledge(state: &State, i: usize, p: &Pledge) -> Result<(), String> {
    let at = || format!("pledges[{i}] ({})", p.id);
    if state.pledge_by_id(p.id.as_str()).is_some() {
        return Err(format!("{}: duplicate id", at()));
    }
    match p.owner {
        Owner::Org(o) if (o.0 as usize) < state.orgs.len() => {
            if p.carrier.is_some() {
                return Err(format!("{}: an organization's pledge with a carrier", at()));
            }
            if p.status[0].from < state.org(o).since {
                return Err(format!("{}: drafted before its owner existed", at()));
            }
        }
        Owner::Member(m) if (m.0 as usize) < state.members.len() => {}
        _ => return Err(format!("{}: owner index out of range", at())),
    }
    for r in &p.reviews {
        if r.reviewer.0 as usize >= state.orgs.len() || r.version as usize >= p.versions.len() {
            return Err(format!(
                "{}: a review refers to an unknown reviewer or version",
                at()
            ));
        }
    }
    Ok(())
}

fn insert_sorted<T: Ord + Copy>(list: &mut Vec<T>, item: T) {
    if let Err(at) = list.binary_search(&item) {
        list.insert(at, item);
    }
}

/// The spans `[start, end)` during which `m` is secretary of `org` (`end` `None`: still is).
fn secretary_spans(m: &Member, org: OrgIdx) -> impl Iterator<Item = (Date, Option<Date>)> + '_ {
    m.postings
        .spans()
        .filter(move |(p, _)| p.org == org && p.role == Role::Secretary)
        .map(|(p, until)| (p.from, until))
}
