//! The campaign's state: each domain's part, side by side.
//!
//! The organization tree, members and units are the [`Registry`] (the `org` domain); pledges,
//! the 123 work method's records, member evaluations, village matters and service activities
//! sit beside it. Only the entity lists are serialized; the indices are derived and rebuilt on
//! load, where every invariant is checked again ([`State::from_parts`]).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::activity::{Activities, ActivityRecords};
use crate::method123::{Concern, ConcernIdx, Household, HouseholdIdx, Reception, Visit};
use crate::model::{DatedTree, Member, MemberIdx, Org, OrgIdx, Role, Unit, UnitIdx};
use crate::org::Registry;
use crate::pledge::{Owner, Pledge, PledgeIdx, Pledges};

pub use crate::org::{MAX_DEPTH, MAX_ENTITIES};

/// The state of a campaign.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct State {
    /// Organizations, members and units (serialized as `orgs`, `members`, `units`).
    #[serde(flatten)]
    registry: Registry,
    /// The pledges (serialized as `pledges`).
    #[serde(flatten)]
    pledges: Pledges,
    /// The 123 work method's records (serialized as `households`, `receptions`, `visits`,
    /// `concerns`).
    #[serde(flatten)]
    method123: crate::method123::Records,
    /// Member evaluations (serialized as `member_evaluations`).
    #[serde(flatten)]
    evaluations: crate::evaluation::Evaluations,
    /// Village decisions (四议一审), with their index (serialized as the list `matters`).
    #[serde(skip_serializing_if = "crate::deliberation::Matters::is_empty")]
    matters: crate::deliberation::Matters,
    #[serde(skip_serializing_if = "Activities::is_empty")]
    activity: Activities,
    /// Times of day of the facts whose commands gave one (see `times`).
    #[serde(skip_serializing_if = "crate::model::times::Times::is_empty")]
    times: crate::model::times::Times,
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

/// The parts of a state besides the registry and the pledges, each loaded and checked.
pub(crate) struct Loaded {
    pub method123: crate::method123::Records,
    pub evaluations: crate::evaluation::Evaluations,
    pub matters: crate::deliberation::Matters,
    pub activity: Activities,
    pub times: crate::model::times::Times,
}

/// The lists of a state besides the registry's and the pledges, as a snapshot (JSON or
/// binary) holds them.
pub(crate) struct RestParts {
    pub households: Vec<Household>,
    pub receptions: Vec<Reception>,
    pub visits: Vec<Visit>,
    pub concerns: Vec<Concern>,
    pub member_evaluations: Vec<crate::evaluation::MemberEvaluationInputs>,
    pub matters: Vec<crate::deliberation::Matter>,
    pub activity: ActivityRecords,
    pub times: Vec<crate::model::times::TimeEntry>,
}

impl Loaded {
    /// Loads each domain's lists, checking them against `reg`; `Err` names the first record
    /// that breaks an invariant.
    pub(crate) fn load(reg: &Registry, parts: RestParts) -> Result<Loaded, String> {
        let method123 = crate::method123::Records::load(
            reg,
            parts.households,
            parts.receptions,
            parts.visits,
            parts.concerns,
        )?;
        Ok(Loaded {
            method123,
            evaluations: crate::evaluation::Evaluations::load(reg, parts.member_evaluations)?,
            matters: crate::deliberation::Matters::load(reg, parts.matters)?,
            activity: Activities::load(reg, parts.activity)?,
            times: crate::model::times::Times::from_entries(parts.times),
        })
    }
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

    /// The organizations, members and units (the `org` domain's part).
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub(crate) fn registry_mut(&mut self) -> &mut Registry {
        &mut self.registry
    }

    /// The 123 work method's records ([`crate::method123::Records`]).
    pub fn method123(&self) -> &crate::method123::Records {
        &self.method123
    }

    pub(crate) fn method123_mut(&mut self) -> &mut crate::method123::Records {
        &mut self.method123
    }

    /// Village decisions (四议一审): the matters and their index
    /// ([`crate::deliberation::Matters`]).
    pub fn deliberation(&self) -> &crate::deliberation::Matters {
        &self.matters
    }

    pub(crate) fn deliberation_mut(&mut self) -> &mut crate::deliberation::Matters {
        &mut self.matters
    }

    /// Every major village matter (四议一审), in order of proposal.
    pub fn matters(&self) -> &[crate::deliberation::Matter] {
        self.matters.list()
    }

    /// The matter at `idx` ([`crate::deliberation::Matters::matter`]).
    pub fn matter(&self, idx: crate::deliberation::MatterIdx) -> &crate::deliberation::Matter {
        self.matters.matter(idx)
    }

    /// The matter with external id `id`.
    pub fn matter_by_id(&self, id: &str) -> Option<crate::deliberation::MatterIdx> {
        self.matters.matter_by_id(id)
    }

    /// Every poor household ever registered ([`crate::method123::Records::households`]).
    pub fn households(&self) -> &[Household] {
        self.method123.households()
    }

    /// The household at `idx` ([`crate::method123::Records::household`]).
    pub fn household(&self, idx: HouseholdIdx) -> &Household {
        self.method123.household(idx)
    }

    /// The household with external id `id`.
    pub fn household_by_id(&self, id: &str) -> Option<HouseholdIdx> {
        self.method123.household_by_id(id)
    }

    /// Every reception, in the order recorded.
    pub fn receptions(&self) -> &[Reception] {
        self.method123.receptions()
    }

    /// Every household visit, in the order recorded.
    pub fn visits(&self) -> &[Visit] {
        self.method123.visits()
    }

    /// Every concern, in the order raised.
    pub fn concerns(&self) -> &[Concern] {
        self.method123.concerns()
    }

    /// The concern at `idx` ([`crate::method123::Records::concern`]).
    pub fn concern(&self, idx: ConcernIdx) -> &Concern {
        self.method123.concern(idx)
    }

    /// The concern with external id `id`.
    pub fn concern_by_id(&self, id: &str) -> Option<ConcernIdx> {
        self.method123.concern_by_id(id)
    }

    /// The date of the latest 123 record naming `member` (as a reception's or a visit's cadre,
    /// or as a resolution's handler), if any.
    pub fn latest_123_record_of(&self, member: MemberIdx) -> Option<Date> {
        self.method123.latest_record_of(member)
    }

    /// Every organization, in order of creation ([`Registry::orgs`]).
    pub fn orgs(&self) -> &[Org] {
        self.registry.orgs()
    }

    /// Every member, in order of creation ([`Registry::members`]).
    pub fn members(&self) -> &[Member] {
        self.registry.members()
    }

    /// Every unit, in order of registration ([`Registry::units`]).
    pub fn units(&self) -> &[Unit] {
        self.registry.units()
    }

    /// The root organization, once created ([`Registry::root`]).
    pub fn root(&self) -> Option<OrgIdx> {
        self.registry.root()
    }

    /// The organization at `idx` ([`Registry::org`]).
    pub fn org(&self, idx: OrgIdx) -> &Org {
        self.registry.org(idx)
    }

    /// The member at `idx` ([`Registry::member`]).
    pub fn member(&self, idx: MemberIdx) -> &Member {
        self.registry.member(idx)
    }

    /// The unit at `idx` ([`Registry::unit`]).
    pub fn unit(&self, idx: UnitIdx) -> &Unit {
        self.registry.unit(idx)
    }

    /// The organization with external id `id` ([`Registry::org_by_id`]).
    pub fn org_by_id(&self, id: &str) -> Option<OrgIdx> {
        self.registry.org_by_id(id)
    }

    /// The member with external id `id` ([`Registry::member_by_id`]).
    pub fn member_by_id(&self, id: &str) -> Option<MemberIdx> {
        self.registry.member_by_id(id)
    }

    /// The unit with external id `id` ([`Registry::unit_by_id`]).
    pub fn unit_by_id(&self, id: &str) -> Option<UnitIdx> {
        self.registry.unit_by_id(id)
    }

    /// The organizations directly under `idx` ([`Registry::children`]).
    pub fn children(&self, idx: OrgIdx) -> &[OrgIdx] {
        self.registry.children(idx)
    }

    /// The current secretary of `idx` ([`Registry::secretary`]).
    pub fn secretary(&self, idx: OrgIdx) -> Option<MemberIdx> {
        self.registry.secretary(idx)
    }

    /// How many units `idx` covers now ([`Registry::units_covered`]).
    pub fn units_covered(&self, idx: OrgIdx) -> u32 {
        self.registry.units_covered(idx)
    }

    /// How many members are posted to `org` now ([`Registry::members_now`]).
    pub fn members_now(&self, org: OrgIdx) -> u32 {
        self.registry.members_now(org)
    }

    /// Whether `ancestor` is `org` or above it ([`Registry::is_at_or_above`]).
    pub fn is_at_or_above(&self, ancestor: OrgIdx, org: OrgIdx) -> bool {
        self.registry.is_at_or_above(ancestor, org)
    }

    /// The organization `levels` above `org` ([`Registry::ancestor`]).
    pub fn ancestor(&self, org: OrgIdx, levels: u32) -> Option<OrgIdx> {
        self.registry.ancestor(org, levels)
    }

    /// The organization tree as it stood on `date` ([`Registry::tree_on`]).
    pub fn tree_on(&self, date: Date) -> DatedTree {
        self.registry.tree_on(date)
    }

    /// Whether `ancestor` was `org` or above it on `date` ([`Registry::is_at_or_above_on`]).
    pub fn is_at_or_above_on(&self, ancestor: OrgIdx, org: OrgIdx, date: Date) -> bool {
        self.registry.is_at_or_above_on(ancestor, org, date)
    }

    /// `org` and every organization below it ([`Registry::subtree`]).
    pub fn subtree(&self, org: OrgIdx) -> Vec<OrgIdx> {
        self.registry.subtree(org)
    }

    /// The cadres of `org` on `date` ([`Registry::cadres_on`]).
    pub fn cadres_on(&self, org: OrgIdx, date: Date) -> impl Iterator<Item = (MemberIdx, Role)> {
        self.registry.cadres_on(org, date)
    }

    /// The pledges ([`crate::pledge::Pledges`]).
    pub fn pledge_records(&self) -> &Pledges {
        &self.pledges
    }

    pub(crate) fn pledges_mut(&mut self) -> &mut Pledges {
        &mut self.pledges
    }

    /// Every pledge, in order of drafting ([`Pledges::all`]).
    pub fn pledges(&self) -> &[Pledge] {
        self.pledges.all()
    }

    /// The pledge at `idx` ([`Pledges::get`]).
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state (indices are only ever handed out by it).
    pub fn pledge(&self, idx: PledgeIdx) -> &Pledge {
        self.pledges.get(idx)
    }

    /// The pledge with external id `id` ([`Pledges::by_id`]).
    pub fn pledge_by_id(&self, id: &str) -> Option<PledgeIdx> {
        self.pledges.by_id(id)
    }

    /// Gives back the spare capacity of the entity lists and their indexes (after a replay,
    /// which grows them by doubling). Changes nothing that can be read.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.registry.shrink_to_fit();
        self.pledges.shrink_to_fit();
        self.method123.shrink_to_fit();
        self.activity.shrink_to_fit();
        self.evaluations.shrink_to_fit();
        self.matters.shrink_to_fit();
    }
    /// Every member evaluation's inputs, in the order recorded.
    pub fn member_evaluations(&self) -> &[crate::evaluation::MemberEvaluationInputs] {
        self.evaluations.all()
    }

    /// The evaluations of `member`, in the order recorded (none for an unknown member).
    pub fn member_evaluations_of(
        &self,
        member: MemberIdx,
    ) -> impl DoubleEndedIterator<Item = &crate::evaluation::MemberEvaluationInputs> {
        self.evaluations.of(member)
    }

    /// The member evaluations ([`crate::evaluation::Evaluations`]).
    pub fn evaluations(&self) -> &crate::evaluation::Evaluations {
        &self.evaluations
    }

    pub(crate) fn evaluations_mut(&mut self) -> &mut crate::evaluation::Evaluations {
        &mut self.evaluations
    }

    /// The service actions' and instructors' records ([`crate::activity`]).
    pub fn activity(&self) -> &Activities {
        &self.activity
    }

    pub(crate) fn activity_mut(&mut self) -> &mut Activities {
        &mut self.activity
    }

    /// The instructor assigned to `unit` on `date`, if any ([`Activities::instructor_on`]).
    pub fn instructor_on(&self, unit: UnitIdx, date: Date) -> Option<MemberIdx> {
        self.activity.instructor_on(unit, date)
    }

    /// The instructor assigned to the village organization `village` on `date`, if any
    /// ([`Activities::village_instructor_on`]).
    pub fn village_instructor_on(&self, village: OrgIdx, date: Date) -> Option<MemberIdx> {
        self.activity.village_instructor_on(village, date)
    }

    /// The organization a pledge's owner belonged to on `date`: the owning organization, or the
    /// member's organization then (their first one, before their first posting).
    pub fn owner_org_on(&self, owner: Owner, date: Date) -> OrgIdx {
        crate::pledge::owner_org_on(&self.registry, owner, date)
    }

    /// Rebuilds a state from its serialized parts, checking every invariant: the tree's
    /// ([`Registry::load`]: identifiers unique, one root, parents of an allowed kind, no
    /// cycles, histories in date order, at most one secretary, units covered by organizations
    /// of the matching kind, no more than `max_units_per_org` units per organization), then
    /// each domain's records against it.
    pub fn from_parts(parts: StateParts, max_units_per_org: u32) -> Result<State, String> {
        let registry = Registry::load(parts.orgs, parts.members, parts.units, max_units_per_org)?;
        let reg = &registry;
        // The pledges (the largest part) on a second thread, the rest on this one: each checks
        // its own records against the registry alone.
        let (pledges, rest) = std::thread::scope(|s| {
            let pledges = s.spawn(move || Pledges::load(reg, parts.pledges));
            let rest = Loaded::load(
                reg,
                RestParts {
                    households: parts.households,
                    receptions: parts.receptions,
                    visits: parts.visits,
                    concerns: parts.concerns,
                    member_evaluations: parts.member_evaluations,
                    matters: parts.matters,
                    activity: parts.activity,
                    times: parts.times,
                },
            );
            let pledges = pledges
                .join()
                .unwrap_or_else(|_| Err("checking the pledges failed".into()));
            (pledges, rest)
        });
        let rest = rest?;
        Ok(State::from_loaded(registry, pledges?, rest))
    }

    /// A state of parts each loaded and checked against `registry`.
    pub(crate) fn from_loaded(registry: Registry, pledges: Pledges, rest: Loaded) -> State {
        let Loaded {
            method123,
            evaluations,
            matters,
            activity,
            times,
        } = rest;
        State {
            registry,
            pledges,
            method123,
            evaluations,
            matters,
            activity,
            times,
        }
    }

    /// Checks every invariant of this state; `Err` names the first one broken. Used by tests
    /// and after loading; the ledger keeps them by construction.
    pub fn check_invariants(&self, max_units_per_org: u32) -> Result<(), String> {
        let (households, receptions, visits, concerns) = self.method123.parts();
        let parts = StateParts {
            orgs: self.orgs().to_vec(),
            members: self.members().to_vec(),
            units: self.units().to_vec(),
            pledges: self.pledges.parts(),
            households,
            receptions,
            visits,
            concerns,
            member_evaluations: self.evaluations.all().to_vec(),
            matters: self.matters.parts(),
            activity: self.activity.records().clone(),
            times: self.times.entries(),
        };
        let rebuilt = State::from_parts(parts, max_units_per_org)?;
        if rebuilt.registry != self.registry
            || rebuilt.pledges != self.pledges
            || rebuilt.method123 != self.method123
            || rebuilt.evaluations != self.evaluations
            || rebuilt.matters != self.matters
            || rebuilt.activity != self.activity
        {
            return Err("derived indices differ from those rebuilt from the entities".into());
        }
        Ok(())
    }
}

impl crate::org::MemberRecords for State {
    fn latest_123_record(&self, member: MemberIdx) -> Option<Date> {
        self.method123.latest_record_of(member)
    }

    fn latest_evaluation(&self, member: MemberIdx) -> Option<Date> {
        self.evaluations.latest_of(member)
    }
}

/// The registry of a state: what the org seam's reads ([`crate::org::Attribution`]) take.
impl AsRef<Registry> for State {
    fn as_ref(&self) -> &Registry {
        &self.registry
    }
}

/// The 123 work method's records of a state: what its verdicts and figures take.
impl AsRef<crate::method123::Records> for State {
    fn as_ref(&self) -> &crate::method123::Records {
        &self.method123
    }
}

/// The instructors of a state, through its activity records: what the tree's work coverage
/// asks ([`crate::org::CoverageFigures`]).
impl crate::org::Instructors for State {
    fn instructed_on(&self, unit: UnitIdx, date: Date) -> bool {
        crate::org::Instructors::instructed_on(&self.activity, unit, date)
    }
}

/// The member evaluations of a state: what their grades take.
impl AsRef<crate::evaluation::Evaluations> for State {
    fn as_ref(&self) -> &crate::evaluation::Evaluations {
        &self.evaluations
    }
}

/// The pledges of a state: what their figures take.
impl AsRef<crate::pledge::Pledges> for State {
    fn as_ref(&self) -> &crate::pledge::Pledges {
        &self.pledges
    }
}

/// The village matters of a state: what their checks take.
impl AsRef<crate::deliberation::Matters> for State {
    fn as_ref(&self) -> &crate::deliberation::Matters {
        &self.matters
    }
}

/// The service actions of a state: what their checks take.
impl AsRef<Activities> for State {
    fn as_ref(&self) -> &Activities {
        &self.activity
    }
}
