//! The service actions' and instructors' records in a state: the lists a snapshot holds, the
//! indices rebuilt from them, and the invariants checked when they are loaded.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize, Serializer};

use super::state::State;
use crate::activity::{
    ActivityRecord, ContactPoint, Donation, HomeVisit, HotlineCase, HotlineCaseIdx,
    InstructorAssignment, InstructorTarget, MAX_AID_YUAN, MAX_COUNT, MAX_DONATION_YUAN,
    MAX_OUTPUTS, MAX_PROBLEMS_SOLVED, MAX_TEAM_MEMBERS, TeamIdx, Tenure, VolunteerActivity,
    VolunteerTeam,
};
use crate::model::{Amount, ExtId, MemberIdx, OrgIdx, OrgKind, UnitIdx};

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
    case_by_id: HashMap<ExtId, HotlineCaseIdx>,
    team_by_id: HashMap<ExtId, TeamIdx>,
    donation_ids: HashMap<ExtId, u32>,
    home_visit_ids: HashMap<ExtId, u32>,
    volunteer_activity_ids: HashMap<ExtId, u32>,
    activity_ids: HashMap<ExtId, u32>,
    /// Per leader: their contact points, by position, in order.
    contacts_of: HashMap<MemberIdx, Vec<u32>>,
    /// Per target: its instructor assignments, by position, in order.
    instructors_of: HashMap<InstructorTarget, Vec<u32>>,
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

    // ---- mutations: called by the ledger after a command is checked ----

    pub(crate) fn push_hotline_case(&mut self, c: HotlineCase) {
        let idx = HotlineCaseIdx(self.records.hotline_cases.len() as u32);
        self.index.case_by_id.insert(c.id.clone(), idx);
        self.records.hotline_cases.push(c);
    }

    pub(crate) fn hotline_case_mut(&mut self, idx: HotlineCaseIdx) -> &mut HotlineCase {
        &mut self.records.hotline_cases[idx.0 as usize]
    }

    pub(crate) fn push_donation(&mut self, d: Donation) {
        let at = self.records.donations.len() as u32;
        self.index.donation_ids.insert(d.id.clone(), at);
        self.records.donations.push(d);
    }

    pub(crate) fn push_home_visit(&mut self, v: HomeVisit) {
        let at = self.records.home_visits.len() as u32;
        self.index.home_visit_ids.insert(v.id.clone(), at);
        self.records.home_visits.push(v);
    }

    pub(crate) fn push_team(&mut self, t: VolunteerTeam) {
        let idx = TeamIdx(self.records.teams.len() as u32);
        self.index.team_by_id.insert(t.id.clone(), idx);
        self.records.teams.push(t);
    }

    pub(crate) fn team_mut(&mut self, idx: TeamIdx) -> &mut VolunteerTeam {
        &mut self.records.teams[idx.0 as usize]
    }

    pub(crate) fn push_volunteer_activity(&mut self, v: VolunteerActivity) {
        let at = self.records.volunteer_activities.len() as u32;
        self.index.volunteer_activity_ids.insert(v.id.clone(), at);
        self.records.volunteer_activities.push(v);
    }

    pub(crate) fn push_contact_point(&mut self, c: ContactPoint) {
        let at = self.records.contact_points.len() as u32;
        self.index.contacts_of.entry(c.leader).or_default().push(at);
        self.records.contact_points.push(c);
    }

    pub(crate) fn contact_point_mut(&mut self, at: usize) -> &mut ContactPoint {
        &mut self.records.contact_points[at]
    }

    /// The position of `leader`'s open contact point at `org`, if any.
    pub(crate) fn open_contact_point(&self, leader: MemberIdx, org: OrgIdx) -> Option<usize> {
        let at = self.index.contacts_of.get(&leader)?;
        at.iter().map(|i| *i as usize).find(|i| {
            let c = &self.records.contact_points[*i];
            c.org == org && c.tenure.is_open()
        })
    }

    pub(crate) fn push_instructor(&mut self, i: InstructorAssignment) {
        let at = self.records.instructors.len() as u32;
        self.index
            .instructors_of
            .entry(i.target)
            .or_default()
            .push(at);
        self.records.instructors.push(i);
    }

    pub(crate) fn instructor_mut(&mut self, at: usize) -> &mut InstructorAssignment {
        &mut self.records.instructors[at]
    }

    /// The position of `member`'s open assignment to `target`, if any.
    pub(crate) fn open_assignment(
        &self,
        member: MemberIdx,
        target: InstructorTarget,
    ) -> Option<usize> {
        let at = self.index.instructors_of.get(&target)?;
        at.iter().map(|i| *i as usize).find(|i| {
            let a = &self.records.instructors[*i];
            a.instructor == member && a.tenure.is_open()
        })
    }

    pub(crate) fn push_activity(&mut self, r: ActivityRecord) {
        let at = self.records.activities.len() as u32;
        self.index.activity_ids.insert(r.id.clone(), at);
        self.records.activities.push(r);
    }

    /// The records, for a state's invariant check.
    pub(crate) fn records(&self) -> &ActivityRecords {
        &self.records
    }
}

impl State {
    /// The instructor assigned to `unit` on `date`, if any (the first one assigned, when there
    /// are several). With [`crate::model::UnitStanding::covered_by`], it gives work coverage
    /// (工作覆盖面): see [`crate::activity::work_covered_on`].
    pub fn instructor_on(&self, unit: UnitIdx, date: Date) -> Option<MemberIdx> {
        self.activity()
            .instructors_of(InstructorTarget::Unit(unit))
            .find(|a| a.tenure.on(date))
            .map(|a| a.instructor)
    }

    /// The instructor assigned to the village organization `village` on `date`, if any (the
    /// first one assigned, when there are several).
    pub fn village_instructor_on(&self, village: OrgIdx, date: Date) -> Option<MemberIdx> {
        self.activity()
            .instructors_of(InstructorTarget::Village(village))
            .find(|a| a.tenure.on(date))
            .map(|a| a.instructor)
    }
}

/// Loads `records` into `state`'s activities, checking every invariant: identifiers unique
/// per kind, indices in range, every record dated on or after its organization existed and its
/// member's first posting, amounts and counts within bounds, texts bounded, hotline steps not
/// before the case, tenures ordered and at most one open per leader and organization (per
/// instructor and target, per team and member).
pub(crate) fn load(state: &mut State, records: ActivityRecords) -> Result<(), String> {
    let mut a = Activities::default();
    let orgs = state.orgs().len();
    let members = state.members().len();
    let org_ok = |o: OrgIdx, on: Date| (o.0 as usize) < orgs && state.org(o).since <= on;
    let member_ok =
        |m: MemberIdx, on: Date| (m.0 as usize) < members && state.member(m).postings[0].from <= on;
    for (i, c) in records.hotline_cases.into_iter().enumerate() {
        let steps_ok = [&c.resolved, &c.replied]
            .into_iter()
            .flatten()
            .all(|s| s.on >= c.received && s.text.as_deref().is_none_or(long_text_ok));
        if a.hotline_case_by_id(c.id.as_str()).is_some()
            || !org_ok(c.org, c.received)
            || !long_text_ok(&c.text)
            || !steps_ok
        {
            return Err(format!(
                "hotline_cases[{i}] ({}): duplicate id, unknown organization, bad text or out of order",
                c.id
            ));
        }
        a.push_hotline_case(c);
    }
    for (i, d) in records.donations.into_iter().enumerate() {
        if a.has_donation(d.id.as_str())
            || !org_ok(d.org, d.on)
            || !member_ok(d.member, d.on)
            || !amount_ok(d.amount_yuan, MAX_DONATION_YUAN, false)
        {
            return Err(format!(
                "donations[{i}] ({}): duplicate id, unknown donor or organization, or amount out of range",
                d.id
            ));
        }
        a.push_donation(d);
    }
    for (i, v) in records.home_visits.into_iter().enumerate() {
        if a.has_home_visit(v.id.as_str())
            || !org_ok(v.org, v.on)
            || !member_ok(v.cadre, v.on)
            || v.problems_solved > MAX_PROBLEMS_SOLVED
            || !amount_ok(v.aid_yuan, MAX_AID_YUAN, true)
        {
            return Err(format!(
                "home_visits[{i}] ({}): duplicate id, unknown member or organization, or a count out of range",
                v.id
            ));
        }
        a.push_home_visit(v);
    }
    for (i, t) in records.teams.into_iter().enumerate() {
        let members_ok = t.members.iter().enumerate().all(|(j, m)| {
            member_ok(m.member, m.tenure.from)
                && m.tenure.from >= t.founded
                && tenure_ok(&m.tenure)
                && t.members[..j]
                    .iter()
                    .filter(|e| e.member == m.member)
                    .all(|e| e.tenure.until.is_some_and(|u| u <= m.tenure.from))
        });
        let size_ok = t.members_now() <= MAX_TEAM_MEMBERS as usize;
        if a.team_by_id(t.id.as_str()).is_some()
            || !org_ok(t.org, t.founded)
            || !members_ok
            || !size_ok
        {
            return Err(format!(
                "teams[{i}] ({}): duplicate id, unknown organization, or memberships out of order",
                t.id
            ));
        }
        a.push_team(t);
    }
    for (i, v) in records.volunteer_activities.into_iter().enumerate() {
        let team_ok = (v.team.0 as usize) < a.teams().len() && a.team(v.team).founded <= v.on;
        let mut whats: Vec<&str> = v.outputs.iter().map(|o| o.what.as_str()).collect();
        whats.sort_unstable();
        whats.dedup();
        let outputs_ok = v.outputs.len() <= MAX_OUTPUTS
            && whats.len() == v.outputs.len()
            && v.outputs.iter().all(|o| (1..=MAX_COUNT).contains(&o.count));
        if a.has_volunteer_activity(v.id.as_str())
            || !team_ok
            || v.people_served > MAX_COUNT
            || !outputs_ok
        {
            return Err(format!(
                "volunteer_activities[{i}] ({}): duplicate id, unknown team, or a count out of range",
                v.id
            ));
        }
        a.push_volunteer_activity(v);
    }
    for (i, c) in records.contact_points.into_iter().enumerate() {
        let ok = member_ok(c.leader, c.tenure.from)
            && org_ok(c.leader_org, c.tenure.from)
            && org_ok(c.org, c.tenure.from)
            && c.org != OrgIdx(0)
            && !c.level.is_none()
            && tenure_ok(&c.tenure)
            && a.contact_points_of(c.leader)
                .filter(|e| e.org == c.org)
                .all(|e| e.tenure.until.is_some_and(|u| u <= c.tenure.from));
        if !ok {
            return Err(format!(
                "contact_points[{i}]: unknown leader or organization, not a leading cadre, or overlapping another"
            ));
        }
        a.push_contact_point(c);
    }
    for (i, t) in records.instructors.into_iter().enumerate() {
        let target_ok = match t.target {
            InstructorTarget::Unit(u) => {
                (u.0 as usize) < state.units().len() && {
                    let unit = state.unit(u);
                    unit.area == t.org && unit.standings[0].from <= t.tenure.from
                }
            }
            InstructorTarget::Village(v) => {
                v == t.org && org_ok(v, t.tenure.from) && state.org(v).kind == OrgKind::Village
            }
        };
        let ok = target_ok
            && member_ok(t.instructor, t.tenure.from)
            && tenure_ok(&t.tenure)
            && a.instructors_of(t.target)
                .filter(|e| e.instructor == t.instructor)
                .all(|e| e.tenure.until.is_some_and(|u| u <= t.tenure.from));
        if !ok {
            return Err(format!(
                "instructors[{i}]: unknown instructor or target, or overlapping another"
            ));
        }
        a.push_instructor(t);
    }
    for (i, r) in records.activities.into_iter().enumerate() {
        if a.has_activity(r.id.as_str())
            || !org_ok(r.org, r.on)
            || r.participants > MAX_COUNT
            || r.people_served > MAX_COUNT
        {
            return Err(format!(
                "activities[{i}] ({}): duplicate id, unknown organization, or a count out of range",
                r.id
            ));
        }
        a.push_activity(r);
    }
    *state.activity_mut() = a;
    Ok(())
}

fn long_text_ok(text: &str) -> bool {
    crate::model::LongText::new("text", text).is_ok()
}

fn tenure_ok(t: &Tenure) -> bool {
    t.until.is_none_or(|u| u >= t.from)
}

fn amount_ok(a: Amount, max_yuan: i64, zero_ok: bool) -> bool {
    (zero_ok || !a.is_zero()) && a.fen() <= max_yuan.saturating_mul(100)
}
