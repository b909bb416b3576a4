//! The service actions' part of the state ([`Activities`]): the lists a snapshot holds
//! ([`ActivityRecords`]), the indices rebuilt from them, and the invariants checked when they
//! are loaded ([`Activities::load`]).

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use jiff::civil::Date;
use serde::{Deserialize, Serialize, Serializer};

use super::tenure::{self, Held};
use super::{
    ActivityRecord, ContactPoint, Donation, HomeVisit, HotlineCase, HotlineCaseIdx,
    InstructorAssignment, InstructorTarget, MAX_AID_YUAN, MAX_COUNT, MAX_DONATION_YUAN,
    MAX_OUTPUTS, MAX_PROBLEMS_SOLVED, MAX_TEAM_MEMBERS, Membership, Pairing, Partner, PartnerKind,
    TeamIdx, Tenure, VolunteerActivity, VolunteerTeam,
};
use crate::model::fast::{IdMap, IdxHasher};
use crate::model::keyed::Rows;
use crate::model::{Amount, MemberIdx, OrgIdx, OrgKind, UnitIdx};
use crate::org::{ByScope, Registry, Scope};

/// The records as a snapshot holds them (each list left out when empty). Entities refer to
/// organizations, members, units and teams by index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityRecords {
    /// Hotline cases, in the order received (index = [`HotlineCaseIdx`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hotline_cases: Vec<HotlineCase>,
    /// Donations, in the order recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub donations: Vec<Donation>,
    /// Home visits, in the order recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub home_visits: Vec<HomeVisit>,
    /// Volunteer teams with their memberships, in the order founded (index = [`TeamIdx`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<VolunteerTeam>,
    /// Volunteer activities, in the order recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volunteer_activities: Vec<VolunteerActivity>,
    /// Contact points, in the order linked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact_points: Vec<ContactPoint>,
    /// Instructor assignments, in the order made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instructors: Vec<InstructorAssignment>,
    /// Other activities, in the order recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<ActivityRecord>,
    /// Pairings with villages (结对共建), in the order made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairings: Vec<Pairing>,
}

impl ActivityRecords {
    /// Whether there is no record at all.
    pub fn is_empty(&self) -> bool {
        self == &ActivityRecords::default()
    }
}

/// Lookups by identifier and by who or what a record names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Index {
    case_by_id: IdMap<HotlineCaseIdx>,
    team_by_id: IdMap<TeamIdx>,
    donation_ids: IdMap<u32>,
    home_visit_ids: IdMap<u32>,
    volunteer_activity_ids: IdMap<u32>,
    activity_ids: IdMap<u32>,
    /// Per leader: their contact points, by position, in order.
    contacts_of: ByIdx<MemberIdx>,
    /// Per target: its instructor assignments, by position, in order.
    instructors_of: ByIdx<InstructorTarget>,
    /// Per partner: their pairings, by position, in order.
    pairings_of: ByIdx<Partner>,
    /// Each list's records by the organizations and members a report places them by.
    scoped: Scoped,
}

/// Positions in a list by a key made of the state's indexes.
type ByIdx<K> = HashMap<K, Vec<u32>, BuildHasherDefault<IdxHasher>>;

impl Index {
    /// An empty index whose maps by identifier have room for `records`' identifiers.
    fn with_room(records: &ActivityRecords) -> Index {
        let mut index = Index::default();
        index.case_by_id.reserve(records.hotline_cases.len());
        index.team_by_id.reserve(records.teams.len());
        index.donation_ids.reserve(records.donations.len());
        index.home_visit_ids.reserve(records.home_visits.len());
        let volunteer = records.volunteer_activities.len();
        index.volunteer_activity_ids.reserve(volunteer);
        index.activity_ids.reserve(records.activities.len());
        index
    }
}

/// Each list's records by the organizations and members a report places them by (see
/// [`crate::org::Scope`]): a hotline case, donation, home visit or other activity by its
/// organization and its member, a team by its organization and its members, a volunteer
/// activity by its team's organization, a contact point by its leader and the leader's
/// organization, an instructor by the organization and the member, a pairing by its village
/// and its partner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Scoped {
    cases: ByScope,
    donations: ByScope,
    home_visits: ByScope,
    teams: ByScope,
    volunteer_activities: ByScope,
    contact_points: ByScope,
    instructors: ByScope,
    activities: ByScope,
    pairings: ByScope,
}

impl Scoped {
    fn shrink_to_fit(&mut self) {
        for i in [
            &mut self.cases,
            &mut self.donations,
            &mut self.home_visits,
            &mut self.teams,
            &mut self.volunteer_activities,
            &mut self.contact_points,
            &mut self.instructors,
            &mut self.activities,
            &mut self.pairings,
        ] {
            i.shrink_to_fit();
        }
    }
}

/// The service actions' and instructors' records, with their indices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activities {
    records: ActivityRecords,
    index: Index,
}

impl Serialize for Activities {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.records.serialize(s)
    }
}

impl Activities {
    /// Whether there is no record at all.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Every hotline case, in the order received.
    pub fn hotline_cases(&self) -> &[HotlineCase] {
        &self.records.hotline_cases
    }

    /// The hotline case at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state.
    pub fn hotline_case(&self, idx: HotlineCaseIdx) -> &HotlineCase {
        &self.records.hotline_cases[idx.0 as usize]
    }

    /// The hotline case with external id `id`.
    pub fn hotline_case_by_id(&self, id: &str) -> Option<HotlineCaseIdx> {
        self.index.case_by_id.get(id).copied()
    }

    /// Every donation, in the order recorded.
    pub fn donations(&self) -> &[Donation] {
        &self.records.donations
    }

    /// Whether a donation has external id `id`.
    pub fn has_donation(&self, id: &str) -> bool {
        self.index.donation_ids.contains_key(id)
    }

    /// Every home visit, in the order recorded.
    pub fn home_visits(&self) -> &[HomeVisit] {
        &self.records.home_visits
    }

    /// Whether a home visit has external id `id`.
    pub fn has_home_visit(&self, id: &str) -> bool {
        self.index.home_visit_ids.contains_key(id)
    }

    /// Every volunteer team, in the order founded.
    pub fn teams(&self) -> &[VolunteerTeam] {
        &self.records.teams
    }

    /// The team at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state.
    pub fn team(&self, idx: TeamIdx) -> &VolunteerTeam {
        &self.records.teams[idx.0 as usize]
    }

    /// The team with external id `id`.
    pub fn team_by_id(&self, id: &str) -> Option<TeamIdx> {
        self.index.team_by_id.get(id).copied()
    }

    /// Every volunteer activity, in the order recorded.
    pub fn volunteer_activities(&self) -> &[VolunteerActivity] {
        &self.records.volunteer_activities
    }

    /// Whether a volunteer activity has external id `id`.
    pub fn has_volunteer_activity(&self, id: &str) -> bool {
        self.index.volunteer_activity_ids.contains_key(id)
    }

    /// Every contact point, in the order linked.
    pub fn contact_points(&self) -> &[ContactPoint] {
        &self.records.contact_points
    }

    /// The contact points of `leader`, in the order linked.
    pub fn contact_points_of(&self, leader: MemberIdx) -> impl Iterator<Item = &ContactPoint> {
        let at = self
            .index
            .contacts_of
            .get(&leader)
            .map_or(&[][..], Vec::as_slice);
        at.iter().map(|i| &self.records.contact_points[*i as usize])
    }

    /// Every instructor assignment, in the order made.
    pub fn instructors(&self) -> &[InstructorAssignment] {
        &self.records.instructors
    }

    /// The instructor assignments to `target`, in the order made.
    pub fn instructors_of(
        &self,
        target: InstructorTarget,
    ) -> impl Iterator<Item = &InstructorAssignment> {
        let at = self
            .index
            .instructors_of
            .get(&target)
            .map_or(&[][..], Vec::as_slice);
        at.iter().map(|i| &self.records.instructors[*i as usize])
    }

    /// Every other activity, in the order recorded.
    pub fn activities(&self) -> &[ActivityRecord] {
        &self.records.activities
    }

    /// Whether an other activity has external id `id`.
    pub fn has_activity(&self, id: &str) -> bool {
        self.index.activity_ids.contains_key(id)
    }

    // ---- what a report's scope reads (see `Scoped`) ----

    /// The hotline cases `scope` can count, in order; every one without a scope.
    pub(crate) fn case_rows(&self, scope: Option<&Scope>) -> Rows<'_, HotlineCase> {
        self.index
            .scoped
            .cases
            .rows(&self.records.hotline_cases, scope)
    }

    /// The donations `scope` can count, in order; every one without a scope.
    pub(crate) fn donation_rows(&self, scope: Option<&Scope>) -> Rows<'_, Donation> {
        self.index
            .scoped
            .donations
            .rows(&self.records.donations, scope)
    }

    /// The home visits `scope` can count, in order; every one without a scope.
    pub(crate) fn home_visit_rows(&self, scope: Option<&Scope>) -> Rows<'_, HomeVisit> {
        self.index
            .scoped
            .home_visits
            .rows(&self.records.home_visits, scope)
    }

    /// The volunteer teams `scope` can count, in order; every one without a scope.
    pub(crate) fn team_rows(&self, scope: Option<&Scope>) -> Rows<'_, VolunteerTeam> {
        self.index.scoped.teams.rows(&self.records.teams, scope)
    }

    /// The volunteer activities `scope` can count, in order; every one without a scope.
    pub(crate) fn volunteer_activity_rows(
        &self,
        scope: Option<&Scope>,
    ) -> Rows<'_, VolunteerActivity> {
        self.index
            .scoped
            .volunteer_activities
            .rows(&self.records.volunteer_activities, scope)
    }

    /// The contact points `scope` can count, in order; every one without a scope.
    pub(crate) fn contact_point_rows(&self, scope: Option<&Scope>) -> Rows<'_, ContactPoint> {
        self.index
            .scoped
            .contact_points
            .rows(&self.records.contact_points, scope)
    }

    /// The instructor assignments `scope` can count, in order; every one without a scope.
    pub(crate) fn instructor_rows(&self, scope: Option<&Scope>) -> Rows<'_, InstructorAssignment> {
        self.index
            .scoped
            .instructors
            .rows(&self.records.instructors, scope)
    }

    /// The other activities `scope` can count, in order; every one without a scope.
    pub(crate) fn activity_rows(&self, scope: Option<&Scope>) -> Rows<'_, ActivityRecord> {
        self.index
            .scoped
            .activities
            .rows(&self.records.activities, scope)
    }

    /// The pairings `scope` can count, in order; every one without a scope.
    pub(crate) fn pairing_rows(&self, scope: Option<&Scope>) -> Rows<'_, Pairing> {
        self.index
            .scoped
            .pairings
            .rows(&self.records.pairings, scope)
    }

    // ---- changes: made by `apply` after a command is checked ----

    pub(super) fn push_hotline_case(&mut self, c: HotlineCase) {
        self.records.hotline_cases.push(c);
        self.index_hotline_case(self.records.hotline_cases.len() - 1);
    }

    /// Notes the hotline case at `at` in the index (it and those before it are in the list).
    fn index_hotline_case(&mut self, at: usize) {
        let c = &self.records.hotline_cases[at];
        let taken = self
            .index
            .case_by_id
            .insert(c.id.clone(), HotlineCaseIdx(at as u32));
        debug_assert!(taken.is_none(), "ids are unique in their kind");
        self.index.scoped.cases.org(c.org, at);
    }

    pub(super) fn hotline_case_mut(&mut self, idx: HotlineCaseIdx) -> &mut HotlineCase {
        &mut self.records.hotline_cases[idx.0 as usize]
    }

    pub(super) fn push_donation(&mut self, d: Donation) {
        self.records.donations.push(d);
        self.index_donation(self.records.donations.len() - 1);
    }

    /// Notes the donation at `at` in the index.
    fn index_donation(&mut self, at: usize) {
        let d = &self.records.donations[at];
        let taken = self.index.donation_ids.insert(d.id.clone(), at as u32);
        debug_assert!(taken.is_none(), "ids are unique in their kind");
        let scoped = &mut self.index.scoped.donations;
        scoped.org(d.org, at);
        scoped.member(d.member, at);
    }

    pub(super) fn push_home_visit(&mut self, v: HomeVisit) {
        self.records.home_visits.push(v);
        self.index_home_visit(self.records.home_visits.len() - 1);
    }

    /// Notes the home visit at `at` in the index.
    fn index_home_visit(&mut self, at: usize) {
        let v = &self.records.home_visits[at];
        let taken = self.index.home_visit_ids.insert(v.id.clone(), at as u32);
        debug_assert!(taken.is_none(), "ids are unique in their kind");
        let scoped = &mut self.index.scoped.home_visits;
        scoped.org(v.org, at);
        scoped.member(v.cadre, at);
    }

    pub(super) fn push_team(&mut self, t: VolunteerTeam) {
        self.records.teams.push(t);
        self.index_team(self.records.teams.len() - 1);
    }

    /// Notes the team at `at` in the index, with its members.
    fn index_team(&mut self, at: usize) {
        let t = &self.records.teams[at];
        let taken = self
            .index
            .team_by_id
            .insert(t.id.clone(), TeamIdx(at as u32));
        debug_assert!(taken.is_none(), "ids are unique in their kind");
        let scoped = &mut self.index.scoped.teams;
        scoped.org(t.org, at);
        for m in &t.members {
            scoped.member(m.member, at);
        }
    }

    /// Adds membership `m` to team `idx`.
    pub(super) fn join_team(&mut self, idx: TeamIdx, m: Membership) -> &VolunteerTeam {
        self.index.scoped.teams.member(m.member, idx.0 as usize);
        let team = &mut self.records.teams[idx.0 as usize];
        team.members.push(m);
        team
    }

    /// The tenure of `held` at position `at`, if there is one.
    pub(super) fn tenure_mut(&mut self, held: Held, at: usize) -> Option<&mut Tenure> {
        let r = &mut self.records;
        match held {
            Held::Team(t) => r
                .teams
                .get_mut(t.0 as usize)?
                .members
                .get_mut(at)
                .map(|m| &mut m.tenure),
            Held::Contact => r.contact_points.get_mut(at).map(|c| &mut c.tenure),
            Held::Instructor => r.instructors.get_mut(at).map(|i| &mut i.tenure),
            Held::Pairing => r.pairings.get_mut(at).map(|p| &mut p.tenure),
        }
    }

    pub(super) fn push_volunteer_activity(&mut self, v: VolunteerActivity) {
        self.records.volunteer_activities.push(v);
        self.index_volunteer_activity(self.records.volunteer_activities.len() - 1);
    }

    /// Notes the volunteer activity at `at` in the index, under its team's organization.
    fn index_volunteer_activity(&mut self, at: usize) {
        let v = &self.records.volunteer_activities[at];
        let taken = self
            .index
            .volunteer_activity_ids
            .insert(v.id.clone(), at as u32);
        debug_assert!(taken.is_none(), "ids are unique in their kind");
        let org = self.records.teams[v.team.0 as usize].org;
        self.index.scoped.volunteer_activities.org(org, at);
    }

    pub(super) fn push_contact_point(&mut self, c: ContactPoint) {
        self.records.contact_points.push(c);
        self.index_contact_point(self.records.contact_points.len() - 1);
    }

    /// Notes the contact point at `at` in the index.
    fn index_contact_point(&mut self, at: usize) {
        let c = &self.records.contact_points[at];
        let i = &mut self.index;
        i.contacts_of.entry(c.leader).or_default().push(at as u32);
        i.scoped.contact_points.org(c.leader_org, at);
        i.scoped.contact_points.member(c.leader, at);
    }

    /// `leader`'s contact points at `org`, by position, with their tenures, in order.
    pub(crate) fn contact_tenures(
        &self,
        leader: MemberIdx,
        org: OrgIdx,
    ) -> impl Iterator<Item = (usize, &Tenure)> + Clone {
        let at = self.index.contacts_of.get(&leader);
        keyed_tenures(
            &self.records.contact_points,
            at,
            move |c| c.org == org,
            |c| &c.tenure,
        )
    }

    /// Every pairing with a village, in the order made.
    pub fn pairings(&self) -> &[Pairing] {
        &self.records.pairings
    }

    pub(super) fn push_pairing(&mut self, p: Pairing) {
        self.records.pairings.push(p);
        self.index_pairing(self.records.pairings.len() - 1);
    }

    /// Notes the pairing at `at` in the index, under its village and its partner.
    fn index_pairing(&mut self, at: usize) {
        let p = &self.records.pairings[at];
        let i = &mut self.index;
        i.pairings_of.entry(p.partner).or_default().push(at as u32);
        i.scoped.pairings.org(p.village, at);
        match p.partner {
            Partner::Org(o) => i.scoped.pairings.org(o, at),
            Partner::Member(m) => i.scoped.pairings.member(m, at),
        }
    }

    /// `partner`'s pairings with `village`, by position, with their tenures, in order.
    pub(crate) fn pairing_tenures(
        &self,
        partner: Partner,
        village: OrgIdx,
    ) -> impl Iterator<Item = (usize, &Tenure)> + Clone {
        let at = self.index.pairings_of.get(&partner);
        keyed_tenures(
            &self.records.pairings,
            at,
            move |p| p.village == village,
            |p| &p.tenure,
        )
    }

    pub(super) fn push_instructor(&mut self, i: InstructorAssignment) {
        self.records.instructors.push(i);
        self.index_instructor(self.records.instructors.len() - 1);
    }

    /// Notes the instructor assignment at `at` in the index.
    fn index_instructor(&mut self, at: usize) {
        let a = &self.records.instructors[at];
        let i = &mut self.index;
        i.instructors_of
            .entry(a.target)
            .or_default()
            .push(at as u32);
        i.scoped.instructors.org(a.org, at);
        i.scoped.instructors.member(a.instructor, at);
    }

    /// `member`'s assignments to `target`, by position, with their tenures, in order.
    pub(crate) fn instructor_tenures(
        &self,
        member: MemberIdx,
        target: InstructorTarget,
    ) -> impl Iterator<Item = (usize, &Tenure)> + Clone {
        let at = self.index.instructors_of.get(&target);
        keyed_tenures(
            &self.records.instructors,
            at,
            move |a| a.instructor == member,
            |a| &a.tenure,
        )
    }

    pub(super) fn push_activity(&mut self, r: ActivityRecord) {
        self.records.activities.push(r);
        self.index_activity(self.records.activities.len() - 1);
    }

    /// Notes the other activity at `at` in the index.
    fn index_activity(&mut self, at: usize) {
        let r = &self.records.activities[at];
        let taken = self.index.activity_ids.insert(r.id.clone(), at as u32);
        debug_assert!(taken.is_none(), "ids are unique in their kind");
        self.index.scoped.activities.org(r.org, at);
    }

    /// The serialized lists, as a snapshot holds them (for a state's invariant check).
    pub(crate) fn records(&self) -> &ActivityRecords {
        &self.records
    }

    /// Gives back the spare capacity of the lists and their indices. Changes nothing readable.
    pub(crate) fn shrink_to_fit(&mut self) {
        let r = &mut self.records;
        r.hotline_cases.shrink_to_fit();
        r.donations.shrink_to_fit();
        r.home_visits.shrink_to_fit();
        r.teams.shrink_to_fit();
        r.volunteer_activities.shrink_to_fit();
        r.contact_points.shrink_to_fit();
        r.instructors.shrink_to_fit();
        r.activities.shrink_to_fit();
        r.pairings.shrink_to_fit();
        let i = &mut self.index;
        i.case_by_id.shrink_to_fit();
        i.team_by_id.shrink_to_fit();
        i.donation_ids.shrink_to_fit();
        i.home_visit_ids.shrink_to_fit();
        i.volunteer_activity_ids.shrink_to_fit();
        i.activity_ids.shrink_to_fit();
        i.contacts_of.shrink_to_fit();
        i.instructors_of.shrink_to_fit();
        i.pairings_of.shrink_to_fit();
        i.scoped.shrink_to_fit();
    }

    /// The instructor assigned to `unit` on `date`, if any (the first one assigned, when there
    /// are several). With [`crate::model::UnitStanding::covered_by`], it gives work coverage
    /// (工作覆盖面): see [`work_covered_on`](super::work_covered_on).
    pub fn instructor_on(&self, unit: UnitIdx, date: Date) -> Option<MemberIdx> {
        self.instructors_of(InstructorTarget::Unit(unit))
            .find(|a| a.tenure.on(date))
            .map(|a| a.instructor)
    }

    /// The instructor assigned to the village organization `village` on `date`, if any (the
    /// first one assigned, when there are several).
    pub fn village_instructor_on(&self, village: OrgIdx, date: Date) -> Option<MemberIdx> {
        self.instructors_of(InstructorTarget::Village(village))
            .find(|a| a.tenure.on(date))
            .map(|a| a.instructor)
    }
}

/// The instructors the tree's work coverage asks about ([`crate::org::CoverageFigures`]).
impl crate::org::Instructors for Activities {
    fn instructed_on(&self, unit: UnitIdx, date: Date) -> bool {
        self.instructor_on(unit, date).is_some()
    }
}

/// One key's tenures, as every tenure lookup reads them: of the records of `list` at the
/// positions `at` (the key's index entry, if any), those that `keep`, with their positions.
fn keyed_tenures<'a, T>(
    list: &'a [T],
    at: Option<&'a Vec<u32>>,
    keep: impl Fn(&T) -> bool + Clone + 'a,
    tenure: fn(&T) -> &Tenure,
) -> impl Iterator<Item = (usize, &'a Tenure)> + Clone + 'a {
    at.map_or(&[][..], Vec::as_slice)
        .iter()
        .map(move |i| (*i as usize, &list[*i as usize]))
        .filter(move |(_, r)| keep(r))
        .map(move |(i, r)| (i, tenure(r)))
}

/// The registry's reads a loaded record is checked against: an organization existing by a day,
/// a member posted by a day.
struct Known<'a> {
    reg: &'a Registry,
}

impl Known<'_> {
    fn org(&self, o: OrgIdx, on: Date) -> bool {
        (o.0 as usize) < self.reg.orgs().len() && self.reg.org(o).since <= on
    }

    fn member(&self, m: MemberIdx, on: Date) -> bool {
        (m.0 as usize) < self.reg.members().len() && self.reg.member(m).postings[0].from <= on
    }
}

impl Activities {
    /// Rebuilds the records from their serialized lists, checking every invariant against
    /// `reg`: identifiers unique per kind, indices in range, every record dated on or after its
    /// organization existed and its member's first posting, amounts and counts within bounds,
    /// texts bounded, hotline steps not before the case, tenures ordered and at most one open
    /// per leader and organization (per instructor and target, per team and member).
    pub fn load(reg: &Registry, records: ActivityRecords) -> Result<Activities, String> {
        // The lists are kept as given: each record is checked where it stands against those
        // before it (already indexed), then indexed.
        let mut a = Activities {
            index: Index::with_room(&records),
            records,
        };
        let known = Known { reg };
        a.load_cases(&known)?;
        a.load_gifts(&known)?;
        a.load_teams(&known)?;
        a.load_contact_points(&known)?;
        a.load_instructors(&known)?;
        a.load_activities(&known)?;
        a.load_pairings(&known)?;
        // What grew as the records were indexed.
        a.shrink_to_fit();
        Ok(a)
    }

    fn load_cases(&mut self, known: &Known) -> Result<(), String> {
        for i in 0..self.records.hotline_cases.len() {
            let c = &self.records.hotline_cases[i];
            let steps_ok = [&c.resolved, &c.replied]
                .into_iter()
                .flatten()
                .all(|s| s.on >= c.received && s.text.as_deref().is_none_or(long_text_ok));
            if self.hotline_case_by_id(c.id.as_str()).is_some()
                || !known.org(c.org, c.received)
                || !long_text_ok(&c.text)
                || !steps_ok
            {
                return Err(format!(
                    "hotline_cases[{i}] ({}): duplicate id, unknown organization, bad text or out of order",
                    c.id
                ));
            }
            self.index_hotline_case(i);
        }
        Ok(())
    }

    /// Donations and home visits.
    fn load_gifts(&mut self, known: &Known) -> Result<(), String> {
        for i in 0..self.records.donations.len() {
            let d = &self.records.donations[i];
            if self.has_donation(d.id.as_str())
                || !known.org(d.org, d.on)
                || !known.member(d.member, d.on)
                || !amount_ok(d.amount_yuan, MAX_DONATION_YUAN, false)
            {
                return Err(format!(
                    "donations[{i}] ({}): duplicate id, unknown donor or organization, or amount out of range",
                    d.id
                ));
            }
            self.index_donation(i);
        }
        for i in 0..self.records.home_visits.len() {
            let v = &self.records.home_visits[i];
            if self.has_home_visit(v.id.as_str())
                || !known.org(v.org, v.on)
                || !known.member(v.cadre, v.on)
                || v.problems_solved > MAX_PROBLEMS_SOLVED
                || !amount_ok(v.aid_yuan, MAX_AID_YUAN, true)
            {
                return Err(format!(
                    "home_visits[{i}] ({}): duplicate id, unknown member or organization, or a count out of range",
                    v.id
                ));
            }
            self.index_home_visit(i);
        }
        Ok(())
    }

    /// Volunteer teams with their memberships, and their activities.
    fn load_teams(&mut self, known: &Known) -> Result<(), String> {
        for i in 0..self.records.teams.len() {
            let t = &self.records.teams[i];
            let members_ok = t.members.iter().enumerate().all(|(j, m)| {
                let earlier = t.members[..j].iter().filter(|e| e.member == m.member);
                known.member(m.member, m.tenure.from)
                    && m.tenure.from >= t.founded
                    && tenure::follows(earlier.map(|e| &e.tenure), &m.tenure)
            });
            let size_ok = t.members_now() <= MAX_TEAM_MEMBERS as usize;
            if self.team_by_id(t.id.as_str()).is_some()
                || !known.org(t.org, t.founded)
                || !members_ok
                || !size_ok
            {
                return Err(format!(
                    "teams[{i}] ({}): duplicate id, unknown organization, or memberships out of order",
                    t.id
                ));
            }
            self.index_team(i);
        }
        for i in 0..self.records.volunteer_activities.len() {
            let v = &self.records.volunteer_activities[i];
            if self.has_volunteer_activity(v.id.as_str()) || !self.volunteer_activity_ok(v) {
                return Err(format!(
                    "volunteer_activities[{i}] ({}): duplicate id, unknown team, or a count out of range",
                    v.id
                ));
            }
            self.index_volunteer_activity(i);
        }
        Ok(())
    }

    /// A loaded volunteer activity's team known and founded by its day, its counts in range,
    /// its outputs distinct.
    fn volunteer_activity_ok(&self, v: &VolunteerActivity) -> bool {
        let team_ok = (v.team.0 as usize) < self.teams().len() && self.team(v.team).founded <= v.on;
        let mut whats: Vec<&str> = v.outputs.iter().map(|o| o.what.as_str()).collect();
        whats.sort_unstable();
        whats.dedup();
        let outputs_ok = v.outputs.len() <= MAX_OUTPUTS
            && whats.len() == v.outputs.len()
            && v.outputs.iter().all(|o| (1..=MAX_COUNT).contains(&o.count));
        team_ok && v.people_served <= MAX_COUNT && outputs_ok
    }

    fn load_contact_points(&mut self, known: &Known) -> Result<(), String> {
        for i in 0..self.records.contact_points.len() {
            let c = &self.records.contact_points[i];
            let ok = known.member(c.leader, c.tenure.from)
                && known.org(c.leader_org, c.tenure.from)
                && known.org(c.org, c.tenure.from)
                && c.org != OrgIdx(0)
                && !c.level.is_none()
                && tenure::follows(
                    self.contact_tenures(c.leader, c.org).map(|(_, t)| t),
                    &c.tenure,
                );
            if !ok {
                return Err(format!(
                    "contact_points[{i}]: unknown leader or organization, not a leading cadre, or overlapping another"
                ));
            }
            self.index_contact_point(i);
        }
        Ok(())
    }

    fn load_pairings(&mut self, known: &Known) -> Result<(), String> {
        let reg = known.reg;
        for i in 0..self.records.pairings.len() {
            let p = &self.records.pairings[i];
            let on = p.tenure.from;
            let partner_ok = match p.partner {
                Partner::Org(o) => {
                    o == p.partner_org
                        && known.org(o, on)
                        && PartnerKind::of_org(reg.org(o).kind) == Some(p.kind)
                }
                Partner::Member(m) => {
                    p.kind == PartnerKind::Cadre
                        && known.member(m, on)
                        && known.org(p.partner_org, on)
                }
            };
            let ok = partner_ok
                && known.org(p.village, on)
                && reg.org(p.village).kind == OrgKind::Village
                && tenure::follows(
                    self.pairing_tenures(p.partner, p.village).map(|(_, t)| t),
                    &p.tenure,
                );
            if !ok {
                return Err(format!(
                    "pairings[{i}]: unknown partner or village, a partner of the wrong kind, or overlapping another"
                ));
            }
            self.index_pairing(i);
        }
        Ok(())
    }

    fn load_instructors(&mut self, known: &Known) -> Result<(), String> {
        let reg = known.reg;
        for i in 0..self.records.instructors.len() {
            let t = &self.records.instructors[i];
            let target_ok = match t.target {
                InstructorTarget::Unit(u) => {
                    (u.0 as usize) < reg.units().len() && {
                        let unit = reg.unit(u);
                        unit.area == t.org && unit.standings[0].from <= t.tenure.from
                    }
                }
                InstructorTarget::Village(v) => {
                    v == t.org && known.org(v, t.tenure.from) && reg.org(v).kind == OrgKind::Village
                }
            };
            let ok = target_ok
                && known.member(t.instructor, t.tenure.from)
                && tenure::follows(
                    self.instructor_tenures(t.instructor, t.target)
                        .map(|(_, e)| e),
                    &t.tenure,
                );
            if !ok {
                return Err(format!(
                    "instructors[{i}]: unknown instructor or target, or overlapping another"
                ));
            }
            self.index_instructor(i);
        }
        Ok(())
    }

    fn load_activities(&mut self, known: &Known) -> Result<(), String> {
        for i in 0..self.records.activities.len() {
            let r = &self.records.activities[i];
            if self.has_activity(r.id.as_str())
                || !known.org(r.org, r.on)
                || r.participants > MAX_COUNT
                || r.people_served > MAX_COUNT
            {
                return Err(format!(
                    "activities[{i}] ({}): duplicate id, unknown organization, or a count out of range",
                    r.id
                ));
            }
            self.index_activity(i);
        }
        Ok(())
    }
}

fn long_text_ok(text: &str) -> bool {
    crate::model::LongText::new("text", text).is_ok()
}

fn amount_ok(a: Amount, max_yuan: i64, zero_ok: bool) -> bool {
    (zero_ok || !a.is_zero()) && a.fen() <= max_yuan.saturating_mul(100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    /// The small demo's registry and service records.
    fn demo_records() -> (Registry, Activities) {
        let c = demo::small_in_memory();
        (c.state().registry().clone(), c.state().activity().clone())
    }

    /// Loading the lists as given rebuilds the index the records built as they came.
    #[test]
    fn the_lists_load_to_what_was_recorded() {
        let (reg, recorded) = demo_records();
        let r = recorded.records();
        let lens = [
            r.hotline_cases.len(),
            r.donations.len(),
            r.home_visits.len(),
            r.teams.len(),
            r.volunteer_activities.len(),
            r.contact_points.len(),
            r.instructors.len(),
            r.activities.len(),
            r.pairings.len(),
        ];
        assert!(
            lens.iter().all(|n| *n > 1),
            "every list has records: {lens:?}"
        );
        let loaded = Activities::load(&reg, r.clone()).expect("loads");
        assert_eq!(loaded, recorded);
    }

    /// A record that breaks an invariant is refused, named by its list and position, whatever
    /// list it is in.
    #[test]
    fn a_broken_record_is_refused_by_its_list_and_position() {
        let (reg, recorded) = demo_records();
        let good = recorded.records().clone();
        type Break = fn(&mut ActivityRecords);
        // Each copies a record onto the next (a duplicate id, or a tenure overlapping itself),
        // or points it at what does not exist.
        let breaks: [(&str, Break); 10] = [
            ("hotline_cases[1]", |r| {
                r.hotline_cases[1].id = r.hotline_cases[0].id.clone();
            }),
            ("donations[1]", |r| {
                r.donations[1].id = r.donations[0].id.clone();
            }),
            ("home_visits[1]", |r| {
                r.home_visits[1].id = r.home_visits[0].id.clone();
            }),
            ("teams[1]", |r| {
                r.teams[1].id = r.teams[0].id.clone();
            }),
            ("volunteer_activities[1]", |r| {
                r.volunteer_activities[1].team = TeamIdx(u32::MAX);
            }),
            ("contact_points[1]", |r| {
                r.contact_points[1] = r.contact_points[0];
            }),
            ("instructors[1]", |r| {
                r.instructors[1] = r.instructors[0];
            }),
            ("activities[1]", |r| {
                r.activities[1].id = r.activities[0].id.clone();
            }),
            ("pairings[1]", |r| {
                r.pairings[1] = r.pairings[0];
            }),
            ("donations[0]", |r| {
                r.donations[0].member = MemberIdx(u32::MAX);
            }),
        ];
        for (name, broken) in breaks {
            let mut records = good.clone();
            broken(&mut records);
            let Err(why) = Activities::load(&reg, records) else {
                panic!("{name}: loaded");
            };
            assert!(why.starts_with(name), "{name}: {why}");
        }
    }
}
