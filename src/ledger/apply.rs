//! Checking a command against the state and the rules, then applying it.
//!
//! [`check`] is pure: it reads the state, resolves every identifier, checks the actor's
//! authority and every invariant the change could break, and returns an [`Effect`] holding
//! resolved indices. [`apply`] cannot fail. So a refused command changes nothing, and an
//! accepted one is applied whole.

use jiff::civil::Date;

use super::state::{MAX_ENTITIES, State};
use super::times::{Fact, Mark};
use super::{Actor, Command, EntityKind, Event, LedgerError};
use crate::model::Stamp;
use crate::model::{
    ExtId, History, Member, MemberIdx, Name, Org, OrgIdx, OrgKind, Posting, Role, Unit, UnitIdx,
    UnitStanding,
};
use crate::rules::RuleSet;

mod activity;
mod deliberation;
mod method123;
mod pledge;

/// A checked change, with every identifier resolved.
#[derive(Debug)]
pub(crate) enum Effect {
    CreateOrg(Org),
    MoveOrg {
        org: OrgIdx,
        parent: OrgIdx,
        date: Date,
    },
    RenameOrg {
        org: OrgIdx,
        name: Name,
        date: Date,
    },
    AddMember(Member),
    PostMember {
        member: MemberIdx,
        posting: Posting,
    },
    SetLeaderLevel {
        member: MemberIdx,
        level: crate::model::LeaderLevel,
        date: Date,
    },
    RegisterUnit(Unit),
    SetStanding {
        unit: UnitIdx,
        standing: UnitStanding,
    },
    DraftPledge(crate::pledge::Pledge),
    RevisePledge {
        pledge: crate::pledge::PledgeIdx,
        content: crate::pledge::PledgeContent,
        /// Back to draft, when an approved pledge is revised.
        reopen: Option<crate::pledge::StatusChange>,
    },
    SetPledgeStatus {
        pledge: crate::pledge::PledgeIdx,
        change: crate::pledge::StatusChange,
        review: Option<crate::pledge::Review>,
    },
    AddReport {
        pledge: crate::pledge::PledgeIdx,
        report: crate::pledge::ProgressReport,
    },
    AddFulfilment {
        pledge: crate::pledge::PledgeIdx,
        record: crate::pledge::FulfilmentRecord,
    },
    ClosePledge {
        pledge: crate::pledge::PledgeIdx,
        change: crate::pledge::StatusChange,
        explanation: String,
    },
    Urge {
        pledge: crate::pledge::PledgeIdx,
        urge: crate::pledge::Urge,
    },
    Evaluate {
        pledge: crate::pledge::PledgeIdx,
        inputs: crate::pledge::EvaluationInputs,
    },
    MemberEvaluation(crate::evaluation::MemberEvaluationInputs),
    RegisterHousehold(crate::method123::Household),
    RemoveHousehold {
        household: crate::method123::HouseholdIdx,
        on: Date,
    },
    Reception(crate::method123::Reception),
    Visit(crate::method123::Visit),
    RaiseConcern(crate::method123::Concern),
    Escalate {
        concern: crate::method123::ConcernIdx,
        escalation: crate::method123::Escalation,
    },
    Resolve {
        concern: crate::method123::ConcernIdx,
        resolution: crate::method123::Resolution,
    },
    ProposeMatter(crate::deliberation::Matter),
    MatterStep {
        matter: crate::deliberation::MatterIdx,
        record: crate::deliberation::StepRecord,
    },
    Activity(activity::Change),
}

/// A checked command: its effect, and the time of day its `at` gave, if any.
#[derive(Debug)]
pub(crate) struct Checked {
    effect: Effect,
    time: Option<jiff::civil::Time>,
}

/// Applies a checked command: its effect, and the time of day of the fact it records.
pub(crate) fn apply(state: &mut State, checked: Checked) {
    let Checked { effect, time } = checked;
    if let Some(time) = time
        && let Some(mark) = mark_of(state, &effect)
    {
        state.times_mut().insert(mark, time);
    }
    apply_effect(state, effect);
}

/// The fact `effect` is about to record that a later command may be ordered against, as
/// [`times`](super::times) keys it (positions are the lists' lengths before the change).
fn mark_of(state: &State, effect: &Effect) -> Option<Mark> {
    let n = |len: usize| len as u32;
    Some(match effect {
        Effect::MoveOrg { org, .. } => Mark(
            Fact::OrgMove,
            org.0,
            n(state.org(*org).former_parents.len()),
        ),
        Effect::AddMember(_) => Mark(Fact::Posting, n(state.members().len()), 0),
        // A history keeps one entry a day: a change on the day of the last replaces it.
        Effect::PostMember { member, posting } => {
            let h = &state.member(*member).postings;
            let replaces = h.current().from == posting.from;
            Mark(Fact::Posting, member.0, n(h.len() - usize::from(replaces)))
        }
        Effect::RegisterUnit(_) => Mark(Fact::Standing, n(state.units().len()), 0),
        Effect::SetStanding { unit, standing } => {
            let h = &state.unit(*unit).standings;
            let replaces = h.current().from == standing.from;
            Mark(Fact::Standing, unit.0, n(h.len() - usize::from(replaces)))
        }
        Effect::DraftPledge(_) => Mark(Fact::PledgeStatus, n(state.pledges().len()), 0),
        // A revision changes no status unless it lapses an approval.
        Effect::RevisePledge { reopen: None, .. } => return None,
        Effect::SetPledgeStatus { pledge, .. }
        | Effect::ClosePledge { pledge, .. }
        | Effect::RevisePledge { pledge, .. } => {
            let p = state.pledge(*pledge);
            Mark(Fact::PledgeStatus, pledge.0, n(p.status.len()))
        }
        Effect::AddReport { pledge, .. } => Mark(
            Fact::PledgeReport,
            pledge.0,
            n(state.pledge(*pledge).reports.len()),
        ),
        Effect::AddFulfilment { pledge, .. } => Mark(
            Fact::PledgeFulfilment,
            pledge.0,
            n(state.pledge(*pledge).fulfilments.len()),
        ),
        Effect::Evaluate { pledge, .. } => Mark(
            Fact::PledgeEvaluation,
            pledge.0,
            n(state.pledge(*pledge).evaluations.len()),
        ),
        Effect::RaiseConcern(_) => Mark(Fact::ConcernRaised, n(state.concerns().len()), 0),
        Effect::Escalate { concern, .. } => Mark(
            Fact::ConcernEscalation,
            concern.0,
            n(state.concern(*concern).escalations.len()),
        ),
        Effect::ProposeMatter(_) => Mark(Fact::MatterProposed, n(state.matters().len()), 0),
        Effect::MatterStep { matter, .. } => Mark(
            Fact::MatterStep,
            matter.0,
            n(state.matter(*matter).steps.len()),
        ),
        Effect::Activity(change) => return activity::mark_of(state, change),
        _ => return None,
    })
}

fn apply_effect(state: &mut State, effect: Effect) {
    match effect {
        Effect::CreateOrg(org) => {
            state.push_org(org);
        }
        Effect::MoveOrg { org, parent, date } => state.move_org(org, parent, date),
        Effect::RenameOrg { org, name, date } => state.rename_org(org, name, date),
        Effect::AddMember(member) => {
            state.push_member(member);
        }
        Effect::PostMember { member, posting } => state.post_member(member, posting),
        Effect::SetLeaderLevel {
            member,
            level,
            date,
        } => state.set_leader_level(member, level, date),
        Effect::RegisterUnit(unit) => {
            state.push_unit(unit);
        }
        Effect::SetStanding { unit, standing } => state.set_unit_standing(unit, standing),
        Effect::DraftPledge(pledge) => {
            state.push_pledge(pledge);
        }
        Effect::RevisePledge {
            pledge,
            content,
            reopen,
        } => {
            let p = state.pledge_mut(pledge);
            p.versions.push(content);
            if let Some(change) = reopen {
                p.status.push(change);
            }
        }
        Effect::SetPledgeStatus {
            pledge,
            change,
            review,
        } => {
            let p = state.pledge_mut(pledge);
            p.status.push(change);
            p.reviews.extend(review);
        }
        Effect::AddReport { pledge, report } => state.pledge_mut(pledge).reports.push(report),
        Effect::AddFulfilment { pledge, record } => {
            state.pledge_mut(pledge).fulfilments.push(record);
        }
        Effect::ClosePledge {
            pledge,
            change,
            explanation,
        } => {
            let p = state.pledge_mut(pledge);
            p.status.push(change);
            p.explanation = Some(explanation);
        }
        Effect::Urge { pledge, urge } => state.pledge_mut(pledge).urges.push(urge),
        Effect::Evaluate { pledge, inputs } => state.pledge_mut(pledge).evaluations.push(inputs),
        Effect::MemberEvaluation(e) => state.push_member_evaluation(e),
        Effect::RegisterHousehold(h) => state.push_household(h),
        Effect::RemoveHousehold { household, on } => {
            state.household_mut(household).until = Some(on)
        }
        Effect::Reception(r) => state.push_reception(r),
        Effect::Visit(v) => state.push_visit(v),
        Effect::RaiseConcern(c) => state.push_concern(c),
        Effect::Escalate {
            concern,
            escalation,
        } => state.concern_mut(concern).escalations.push(escalation),
        Effect::Resolve {
            concern,
            resolution,
        } => state.resolve_concern(concern, resolution),
        Effect::ProposeMatter(matter) => {
            state.push_matter(matter);
        }
        Effect::MatterStep { matter, record } => state.matter_mut(matter).steps.push(record),
        Effect::Activity(change) => activity::apply(state, change),
    }
}

/// The entity `id` names, or an error naming `field`.
fn found<I>(
    found: Option<I>,
    field: &'static str,
    kind: EntityKind,
    id: &ExtId,
) -> Result<I, LedgerError> {
    found.ok_or_else(|| LedgerError::Unknown {
        field,
        kind,
        id: id.to_string(),
    })
}

fn org_of(state: &State, field: &'static str, id: &ExtId) -> Result<OrgIdx, LedgerError> {
    found(state.org_by_id(id.as_str()), field, EntityKind::Org, id)
}

/// The organization `id` names, which must have been established by `date`: no fact about an
/// organization is dated before it existed.
fn org_on(
    state: &State,
    field: &'static str,
    id: &ExtId,
    date: Date,
) -> Result<OrgIdx, LedgerError> {
    let o = org_of(state, field, id)?;
    let since = state.org(o).since;
    if date < since {
        return Err(out_of_order(field, date, since));
    }
    Ok(o)
}

/// The member `id` names, who must have been posted by `date`.
fn member_on(
    state: &State,
    field: &'static str,
    id: &ExtId,
    date: Date,
) -> Result<MemberIdx, LedgerError> {
    let m = member_of(state, field, id)?;
    let first = state.member(m).postings[0].from;
    if date < first {
        return Err(out_of_order(field, date, first));
    }
    Ok(m)
}

fn member_of(state: &State, field: &'static str, id: &ExtId) -> Result<MemberIdx, LedgerError> {
    found(
        state.member_by_id(id.as_str()),
        field,
        EntityKind::Member,
        id,
    )
}

fn unit_of(state: &State, field: &'static str, id: &ExtId) -> Result<UnitIdx, LedgerError> {
    found(state.unit_by_id(id.as_str()), field, EntityKind::Unit, id)
}

/// The actor, resolved: an organization (checked that `by` is one of its cadres), or a member.
enum Acting {
    /// An organization, and the member acting for it if one was named.
    Org(OrgIdx, Option<MemberIdx>),
    /// A member, acting on their own records.
    Member(MemberIdx),
}

fn resolve_actor(state: &State, actor: &Actor, date: Date) -> Result<Acting, LedgerError> {
    match actor {
        Actor::Org { org, by } => {
            let o = org_on(state, "actor.org", org, date)?;
            let mut by_member = None;
            if let Some(by) = by {
                let m = member_of(state, "actor.by", by)?;
                by_member = Some(m);
                let cadre = state
                    .member(m)
                    .posting_on(date)
                    .is_some_and(|p| p.org == o && p.role.is_cadre());
                if !cadre {
                    return Err(LedgerError::NotCadre {
                        member: by.to_string(),
                        org: org.to_string(),
                    });
                }
            }
            Ok(Acting::Org(o, by_member))
        }
        Actor::Member { member } => Ok(Acting::Member(member_on(
            state,
            "actor.member",
            member,
            date,
        )?)),
    }
}

fn actor_text(actor: &Actor) -> String {
    match actor {
        Actor::Org { org, by: None } => format!("organization {:?}", org.as_str()),
        Actor::Org { org, by: Some(m) } => {
            format!(
                "organization {:?} (by member {:?})",
                org.as_str(),
                m.as_str()
            )
        }
        Actor::Member { member } => format!("member {:?}", member.as_str()),
    }
}

/// The actor must be an organization at or above `target` (or strictly above, if `strict`).
fn authority(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    target: OrgIdx,
    strict: bool,
) -> Result<(), LedgerError> {
    let denied = |why| LedgerError::NotAuthorized {
        actor: actor_text(&cmd.actor),
        target: format!("organization {:?}", state.org(target).id.as_str()),
        why,
    };
    match *acting {
        Acting::Member(_) => Err(denied(
            "a member acts only on their own records, and this is an organization's",
        )),
        Acting::Org(o, _) if strict && o == target => Err(denied(
            "an organization cannot do this to itself; its superior must",
        )),
        Acting::Org(o, _) if state.is_at_or_above(o, target) => Ok(()),
        Acting::Org(..) => Err(denied(
            "an organization acts only on itself and the organizations below it",
        )),
    }
}

/// Ballots: at least one and at most `electorate` cast; a score 0 to 100 with at most 2 places.
fn check_ballots(
    field: &'static str,
    ballots: &crate::evaluation::Ballots,
    electorate: u64,
) -> Result<(), LedgerError> {
    use crate::evaluation::Ballots;
    let bad = |reason| {
        Err(LedgerError::Invalid(crate::model::ModelError::new(
            field, reason,
        )))
    };
    match ballots {
        Ballots::Score(s) => {
            let s = s.normalize();
            if s.is_sign_negative() || s > rust_decimal::Decimal::ONE_HUNDRED {
                return bad(crate::Reason::OutOfRange {
                    min: "0".into(),
                    max: "100".into(),
                });
            }
            if s.scale() > 2 {
                return bad(crate::Reason::TooManyDecimalPlaces { max: 2 });
            }
        }
        Ballots::Counts { .. } => {
            let total = ballots.total();
            if total == 0 || total > electorate {
                return bad(crate::Reason::OutOfRange {
                    min: "1 ballot".into(),
                    max: format!("{electorate} ballots (the electorate)"),
                });
            }
        }
    }
    Ok(())
}

fn capacity(len: usize, kind: EntityKind) -> Result<(), LedgerError> {
    if len as u64 >= MAX_ENTITIES as u64 {
        return Err(LedgerError::Capacity {
            kind,
            max: MAX_ENTITIES,
        });
    }
    Ok(())
}

fn wrong_kind(field: &'static str, state: &State, org: OrgIdx, why: &'static str) -> LedgerError {
    let o = state.org(org);
    LedgerError::WrongOrgKind {
        field,
        org: o.id.to_string(),
        kind: o.kind,
        why,
    }
}

/// Checks `cmd` against `state` and `rules`; on success, what to apply.
pub(crate) fn check(state: &State, rules: &RuleSet, cmd: &Command) -> Result<Checked, LedgerError> {
    check_effect(state, rules, cmd).map(|effect| Checked {
        effect,
        time: cmd.at.time,
    })
}

fn check_effect(state: &State, rules: &RuleSet, cmd: &Command) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    if !rules.window.contains(date) {
        let bound = |d: Option<Date>| d.map_or("…".to_string(), |d| d.to_string());
        return Err(LedgerError::OutsideCampaign {
            at: date.to_string(),
            window: format!(
                "{} – {}",
                bound(rules.window.starts),
                bound(rules.window.ends)
            ),
        });
    }
    if let Event::CreateOrg {
        id,
        name,
        kind,
        parent: None,
    } = &cmd.event
    {
        return check_root(state, cmd, id, name, *kind);
    }
    if state.root().is_none() {
        return Err(LedgerError::Root {
            why: "the first command of a campaign must create its root organization",
        });
    }
    let acting = resolve_actor(state, &cmd.actor, date)?;
    match &cmd.event {
        Event::CreateOrg {
            id,
            name,
            kind,
            parent: Some(parent),
        } => {
            let p = org_on(state, "event.parent", parent, date)?;
            authority(state, cmd, &acting, p, false)?;
            if state.org_by_id(id.as_str()).is_some() {
                return Err(LedgerError::Duplicate {
                    field: "event.id",
                    kind: EntityKind::Org,
                    id: id.to_string(),
                });
            }
            let parent_kind = state.org(p).kind;
            if !kind.may_sit_under(parent_kind) {
                return Err(LedgerError::ParentKind {
                    field: "event.parent",
                    child: *kind,
                    parent: parent_kind,
                });
            }
            capacity(state.orgs().len(), EntityKind::Org)?;
            Ok(Effect::CreateOrg(Org {
                id: id.clone(),
                name: name.clone(),
                kind: *kind,
                parent: Some(p),
                since: date,
                former_parents: Vec::new(),
                former_names: Vec::new(),
            }))
        }
        // Handled before the actor was resolved; kept as a refusal rather than a panic.
        Event::CreateOrg { parent: None, .. } => Err(LedgerError::Root {
            why: "the campaign already has its root; every other organization names a parent",
        }),
        Event::MoveOrg { org, parent } => {
            let o = org_on(state, "event.org", org, date)?;
            let p = org_on(state, "event.parent", parent, date)?;
            authority(state, cmd, &acting, o, true)?;
            authority(state, cmd, &acting, p, false)?;
            let org_ref = state.org(o);
            if org_ref.parent == Some(p) {
                return Err(LedgerError::NoChange {
                    field: "event.parent",
                    value: parent.to_string(),
                });
            }
            if let Some(i) = org_ref.former_parents.len().checked_sub(1) {
                let moved = (
                    Mark(Fact::OrgMove, o.0, i as u32),
                    org_ref.former_parents[i].0,
                );
                not_before(state, "org.parent", cmd.at, moved)?;
            }
            if state.is_at_or_above(o, p) {
                return Err(LedgerError::Cycle {
                    org: org.to_string(),
                    parent: parent.to_string(),
                });
            }
            let parent_kind = state.org(p).kind;
            if !org_ref.kind.may_sit_under(parent_kind) {
                return Err(LedgerError::ParentKind {
                    field: "event.parent",
                    child: org_ref.kind,
                    parent: parent_kind,
                });
            }
            Ok(Effect::MoveOrg {
                org: o,
                parent: p,
                date,
            })
        }
        Event::RenameOrg { org, name } => {
            let o = org_on(state, "event.org", org, date)?;
            authority(state, cmd, &acting, o, false)?;
            let org_ref = state.org(o);
            if org_ref.name == *name {
                return Err(LedgerError::NoChange {
                    field: "event.name",
                    value: name.to_string(),
                });
            }
            // A name is a dated fact: reports as of an earlier day show the name then.
            if let Some((latest, _)) = org_ref.former_names.last()
                && date < *latest
            {
                return Err(out_of_order("org.name", date, *latest));
            }
            Ok(Effect::RenameOrg {
                org: o,
                name: name.clone(),
                date,
            })
        }
        Event::AddMember {
            id,
            org,
            category,
            role,
            leader_level,
        } => {
            let o = org_on(state, "event.org", org, date)?;
            authority(state, cmd, &acting, o, false)?;
            if state.member_by_id(id.as_str()).is_some() {
                return Err(LedgerError::Duplicate {
                    field: "event.id",
                    kind: EntityKind::Member,
                    id: id.to_string(),
                });
            }
            if !state.org(o).kind.is_grassroots() {
                return Err(wrong_kind(
                    "event.org",
                    state,
                    o,
                    "is not a grassroots organization, where members belong",
                ));
            }
            secretary_free(state, o, *role, None, date)?;
            capacity(state.members().len(), EntityKind::Member)?;
            Ok(Effect::AddMember(Member {
                id: id.clone(),
                category: *category,
                leader_level: *leader_level,
                postings: History::new(Posting {
                    from: date,
                    org: o,
                    role: *role,
                }),
                former_levels: Vec::new(),
            }))
        }
        Event::PostMember { member, org, role } => {
            let m = member_of(state, "event.member", member)?;
            let o = org_on(state, "event.org", org, date)?;
            let current = state.member(m).current();
            authority(state, cmd, &acting, current.org, false)?;
            authority(state, cmd, &acting, o, false)?;
            if !state.org(o).kind.is_grassroots() {
                return Err(wrong_kind(
                    "event.org",
                    state,
                    o,
                    "is not a grassroots organization, where members belong",
                ));
            }
            let last = state.member(m).postings.len().saturating_sub(1) as u32;
            let posted = (Mark(Fact::Posting, m.0, last), current.from);
            not_before(state, "member.postings", cmd.at, posted)?;
            if current.org == o && current.role == *role {
                return Err(LedgerError::NoChange {
                    field: "event.role",
                    value: format!("{} in {org}", role.as_str()),
                });
            }
            // The 123 work method's records dated from `date` on were made by a cadre of the
            // current organization; unless they stay one, those records forbid the change.
            let stays_cadre = o == current.org && role.is_cadre();
            if !stays_cadre
                && let Some(latest) = state.latest_123_record_of(m).filter(|d| *d >= date)
            {
                return Err(out_of_order("member.method123_records", date, latest));
            }
            // A member evaluation names the organization the member belonged to on its date;
            // moving them from that date on would leave it naming the wrong one.
            if o != current.org
                && let Some(latest) = state
                    .member_evaluations_of(m)
                    .filter(|e| e.on >= date)
                    .map(|e| e.on)
                    .max()
            {
                return Err(out_of_order("member.evaluations", date, latest));
            }
            secretary_free(state, o, *role, Some(m), date)?;
            Ok(Effect::PostMember {
                member: m,
                posting: Posting {
                    from: date,
                    org: o,
                    role: *role,
                },
            })
        }
        Event::SetLeaderLevel {
            member,
            leader_level,
        } => {
            let m = member_on(state, "event.member", member, date)?;
            authority(state, cmd, &acting, state.member(m).current().org, false)?;
            let member_ref = state.member(m);
            if member_ref.leader_level == *leader_level {
                return Err(LedgerError::NoChange {
                    field: "event.leader_level",
                    value: format!("{leader_level:?}"),
                });
            }
            // A leader level is a dated fact: reports as of an earlier day read the level then.
            if let Some((latest, _)) = member_ref.former_levels.last()
                && date < *latest
            {
                return Err(out_of_order("member.leader_level", date, *latest));
            }
            Ok(Effect::SetLeaderLevel {
                member: m,
                level: *leader_level,
                date,
            })
        }
        Event::RegisterUnit {
            id,
            name,
            kind,
            area,
            eligible,
        } => {
            let a = org_on(state, "event.area", area, date)?;
            authority(state, cmd, &acting, a, false)?;
            if state.unit_by_id(id.as_str()).is_some() {
                return Err(LedgerError::Duplicate {
                    field: "event.id",
                    kind: EntityKind::Unit,
                    id: id.to_string(),
                });
            }
            let area_kind = state.org(a).kind;
            if !(area_kind.is_township_level() || area_kind == OrgKind::CityDepartment) {
                return Err(wrong_kind(
                    "event.area",
                    state,
                    a,
                    "is not a township-level committee or city department, under which units are counted",
                ));
            }
            capacity(state.units().len(), EntityKind::Unit)?;
            Ok(Effect::RegisterUnit(Unit {
                id: id.clone(),
                name: name.clone(),
                kind: *kind,
                area: a,
                standings: History::new(UnitStanding {
                    from: date,
                    eligible: *eligible,
                    covered_by: None,
                }),
            }))
        }
        Event::SetUnitEligibility { unit, eligible } => {
            let u = unit_of(state, "event.unit", unit)?;
            let unit_ref = state.unit(u);
            authority(state, cmd, &acting, unit_ref.area, false)?;
            let current = unit_ref.current();
            not_before(state, "unit.standings", cmd.at, last_standing(unit_ref, u))?;
            if current.eligible == *eligible {
                return Err(LedgerError::NoChange {
                    field: "event.eligible",
                    value: eligible.to_string(),
                });
            }
            Ok(Effect::SetStanding {
                unit: u,
                standing: UnitStanding {
                    from: date,
                    eligible: *eligible,
                    covered_by: current.covered_by,
                },
            })
        }
        Event::DraftPledge {
            id,
            owner,
            kind,
            focus,
            carrier,
            content,
        } => {
            // Fields a Rust caller changed after building the content are checked again.
            content.check().map_err(|e| e.within("event"))?;
            pledge::draft(
                state, rules, cmd, &acting, id, owner, *kind, *focus, *carrier, content,
            )
        }
        Event::RevisePledge { pledge, content } => {
            content.check().map_err(|e| e.within("event"))?;
            pledge::revise(state, cmd, &acting, pledge, content)
        }
        Event::SubmitPledge { pledge } => pledge::submit(state, cmd, &acting, pledge),
        Event::ReviewPledge { pledge, decision } => {
            pledge::review(state, rules, cmd, &acting, pledge, decision)
        }
        Event::PublishPledge { pledge } => pledge::publish(state, rules, cmd, &acting, pledge),
        Event::ReportProgress {
            pledge,
            month,
            achieved,
            note,
            correction,
        } => pledge::report_progress(
            state,
            cmd,
            &acting,
            pledge,
            *month,
            achieved,
            note.as_deref(),
            *correction,
        ),
        Event::RecordFulfilment {
            pledge,
            outputs,
            note,
        } => pledge::record_fulfilment(state, cmd, &acting, pledge, outputs, note.as_deref()),
        Event::FulfilPledge { pledge } => pledge::fulfil(state, rules, cmd, &acting, pledge),
        Event::ClosePledge {
            pledge,
            closing,
            explanation,
        } => pledge::close(state, rules, cmd, &acting, pledge, *closing, explanation),
        Event::UrgePledge {
            pledge,
            quarter,
            standing,
        } => pledge::urge(state, rules, cmd, &acting, pledge, *quarter, *standing),
        Event::RecordMemberEvaluation {
            member,
            round,
            report_submitted,
            self_review,
            peers,
            masses,
            committee,
            sanctioned,
            correction,
        } => {
            let m = member_of(state, "event.member", member)?;
            let Some(posting) = state.member(m).posting_on(date) else {
                return Err(out_of_order(
                    "event.member",
                    date,
                    state.member(m).postings[0].from,
                ));
            };
            authority(state, cmd, &acting, posting.org, false)?;
            let year = crate::model::Period::containing(date, crate::model::Granularity::Year);
            if round.granularity() != crate::model::Granularity::Year || *round > year {
                return Err(LedgerError::Invalid(crate::model::ModelError::new(
                    "event.round",
                    crate::Reason::Malformed {
                        zh: format!("评议年度 {round} 须为不晚于 {year} 的年份").into(),
                        en: format!("the round {round} must be a year not after {year}").into(),
                    },
                )));
            }
            if let Some(d) = report_submitted
                && *d > date
            {
                return Err(out_of_order("event.report_submitted", date, *d));
            }
            let exists = state.member_evaluations_of(m).any(|e| e.round == *round);
            pledge::one_per_period(exists, *correction, "round")?;
            // Fellow members and the committee vote at most once each.
            let others = u64::from(state.members_now(posting.org).saturating_sub(1));
            let bounds = [
                ("event.self_review", self_review, 1),
                ("event.peers", peers, others),
                ("event.masses", masses, 10_000_000),
                ("event.committee", committee, others + 1),
            ];
            for (field, ballots, electorate) in bounds {
                if let Some(b) = ballots {
                    check_ballots(field, b, electorate)?;
                }
            }
            Ok(Effect::MemberEvaluation(
                crate::evaluation::MemberEvaluationInputs {
                    member: m,
                    org: posting.org,
                    round: *round,
                    on: date,
                    report_submitted: *report_submitted,
                    self_review: *self_review,
                    peers: *peers,
                    masses: *masses,
                    committee: *committee,
                    sanctioned: *sanctioned,
                    correction: *correction,
                },
            ))
        }
        Event::RegisterHousehold { id, village } => {
            method123::register_household(state, cmd, &acting, id, village)
        }
        Event::RemoveHousehold { household } => {
            method123::remove_household(state, cmd, &acting, household)
        }
        Event::RecordReception {
            village,
            cadres,
            visitors,
        } => method123::record_reception(state, cmd, &acting, village, cadres, *visitors),
        Event::RecordVisit { cadre, household } => {
            method123::record_visit(state, cmd, &acting, cadre, household)
        }
        Event::RaiseConcern {
            id,
            village,
            raised_by,
            channel,
            category,
            text,
        } => method123::raise_concern(
            state,
            cmd,
            &acting,
            id,
            village,
            raised_by.as_ref(),
            *channel,
            *category,
            text,
        ),
        Event::EscalateConcern { concern, to } => {
            method123::escalate(state, rules, cmd, &acting, concern, *to)
        }
        Event::ResolveConcern {
            concern,
            outcome,
            feedback,
            handler,
        } => method123::resolve(
            state,
            cmd,
            &acting,
            concern,
            outcome,
            feedback.as_deref(),
            handler.as_ref(),
        ),
        Event::RecordEvaluation {
            pledge,
            year,
            survey,
            members,
            organization,
            spot_check,
            correction,
        } => pledge::record_evaluation(
            state,
            rules,
            cmd,
            &acting,
            pledge,
            *year,
            [*survey, *members, *organization],
            spot_check.as_ref(),
            *correction,
        ),
        Event::ProposeMatter {
            id,
            village,
            title,
            text,
            category,
        } => deliberation::propose(state, cmd, &acting, id, village, title, text, *category),
        Event::DiscussMatter {
            matter,
            votes_for,
            against,
            total,
        } => deliberation::discuss(
            state, rules, cmd, &acting, matter, *votes_for, *against, *total,
        ),
        Event::DeliberateMatter {
            matter,
            expected,
            attending,
            votes_for,
        } => deliberation::deliberate(
            state, rules, cmd, &acting, matter, *expected, *attending, *votes_for,
        ),
        Event::ReviewMatter { matter, decision } => {
            deliberation::review(state, rules, cmd, &acting, matter, decision)
        }
        Event::ResolveMatter {
            matter,
            attending,
            votes_for,
        } => deliberation::resolve(state, rules, cmd, &acting, matter, *attending, *votes_for),
        Event::PublishResolution { matter } => {
            deliberation::publish_resolution(state, rules, cmd, &acting, matter)
        }
        Event::PublishResult { matter, result } => {
            deliberation::publish_result(state, rules, cmd, &acting, matter, result)
        }
        Event::CoverUnit { unit, org } => {
            let u = unit_of(state, "event.unit", unit)?;
            let unit_ref = state.unit(u);
            authority(state, cmd, &acting, unit_ref.area, false)?;
            let current = unit_ref.current();
            not_before(state, "unit.standings", cmd.at, last_standing(unit_ref, u))?;
            let covered_by = match org {
                None => None,
                Some(org) => {
                    let o = org_on(state, "event.org", org, date)?;
                    authority(state, cmd, &acting, o, false)?;
                    let found = state.org(o).kind;
                    let expected = unit_ref.kind.covering_org_kind();
                    if found != expected {
                        return Err(LedgerError::CoverageKind {
                            unit_kind: unit_ref.kind,
                            expected,
                            found,
                        });
                    }
                    // Counted on every day from the command's date on, so a backdated cover
                    // cannot overfill a past day.
                    let max = rules.coverage.max_units_per_org;
                    if current.covered_by != Some(o)
                        && state.most_units_covered_from(o, date, Some(u)) >= max
                    {
                        return Err(LedgerError::CoverageFull {
                            org: org.to_string(),
                            max,
                        });
                    }
                    Some(o)
                }
            };
            if current.covered_by == covered_by {
                return Err(LedgerError::NoChange {
                    field: "event.org",
                    value: org.as_ref().map_or("none".to_string(), ExtId::to_string),
                });
            }
            Ok(Effect::SetStanding {
                unit: u,
                standing: UnitStanding {
                    from: date,
                    eligible: current.eligible,
                    covered_by,
                },
            })
        }
        Event::ReceiveHotlineCase {
            id,
            org,
            category,
            text,
        } => activity::receive_case(state, cmd, &acting, id, org, category, text),
        Event::ResolveHotlineCase { case, outcome } => {
            activity::case_step(state, cmd, &acting, case, Some(outcome), false)
        }
        Event::ReplyHotlineCase { case, reply } => {
            activity::case_step(state, cmd, &acting, case, reply.as_deref(), true)
        }
        Event::RecordDonation {
            id,
            member,
            amount_yuan,
            drive,
        } => activity::donation(
            state,
            cmd,
            &acting,
            id,
            member,
            *amount_yuan,
            drive.as_ref(),
        ),
        Event::RecordHomeVisit {
            id,
            cadre,
            problems_solved,
            aid_yuan,
        } => activity::home_visit(state, cmd, &acting, id, cadre, *problems_solved, *aid_yuan),
        Event::FoundVolunteerTeam { id, name, org } => {
            activity::found_team(state, cmd, &acting, id, name, org)
        }
        Event::JoinVolunteerTeam { team, member } => {
            activity::join_team(state, cmd, &acting, team, member)
        }
        Event::LeaveVolunteerTeam { team, member } => {
            activity::leave_team(state, cmd, &acting, team, member)
        }
        Event::RecordVolunteerActivity {
            id,
            team,
            kind,
            people_served,
            outputs,
        } => activity::team_activity(state, cmd, &acting, id, team, kind, *people_served, outputs),
        Event::LinkContactPoint { leader, org } => activity::link(state, cmd, &acting, leader, org),
        Event::UnlinkContactPoint { leader, org } => {
            activity::unlink(state, cmd, &acting, leader, org)
        }
        Event::AssignInstructor { instructor, target } => {
            activity::assign(state, cmd, &acting, instructor, target)
        }
        Event::UnassignInstructor { instructor, target } => {
            activity::unassign(state, cmd, &acting, instructor, target)
        }
        Event::RecordActivity {
            id,
            org,
            kind,
            title,
            participants,
            people_served,
        } => activity::activity(
            state,
            cmd,
            &acting,
            id,
            org,
            kind,
            title,
            [*participants, *people_served],
        ),
    }
}

fn check_root(
    state: &State,
    cmd: &Command,
    id: &ExtId,
    name: &Name,
    kind: OrgKind,
) -> Result<Effect, LedgerError> {
    if state.root().is_some() {
        return Err(LedgerError::Root {
            why: "the campaign already has its root; every other organization names a parent",
        });
    }
    if !matches!(kind, OrgKind::CityCommittee | OrgKind::ProvinceCommittee) {
        return Err(LedgerError::Root {
            why: "the root organization must be a city or province committee",
        });
    }
    match &cmd.actor {
        Actor::Org { org, by: None } if org == id => {}
        _ => {
            return Err(LedgerError::NotAuthorized {
                actor: actor_text(&cmd.actor),
                target: format!("organization {:?}", id.as_str()),
                why: "the root organization is created by itself as actor, with no member named",
            });
        }
    }
    Ok(Effect::CreateOrg(Org {
        id: id.clone(),
        name: name.clone(),
        kind,
        parent: None,
        since: cmd.at.date,
        former_parents: Vec::new(),
        former_names: Vec::new(),
    }))
}

/// A unit's latest standing, as ordering checks key it.
fn last_standing(unit: &Unit, u: UnitIdx) -> (Mark, Date) {
    let last = unit.standings.len().saturating_sub(1) as u32;
    (Mark(Fact::Standing, u.0, last), unit.current().from)
}

/// A new secretary from `from` on must not overlap any other secretary's days, including one
/// who stepped down after `from` (a backdated appointment).
fn secretary_free(
    state: &State,
    org: OrgIdx,
    role: Role,
    member: Option<MemberIdx>,
    from: Date,
) -> Result<(), LedgerError> {
    if role != Role::Secretary {
        return Ok(());
    }
    match state.secretary_from(org, from, member) {
        Some(s) => Err(LedgerError::SecretaryTaken {
            org: state.org(org).id.to_string(),
            secretary: state.member(s).id.to_string(),
        }),
        None => Ok(()),
    }
}

fn out_of_order(field: &'static str, at: Date, latest: Date) -> LedgerError {
    LedgerError::OutOfOrder {
        field,
        at: at.to_string(),
        latest: latest.to_string(),
    }
}

/// The command at `cmd.at` must not come before the fact `mark` of `field`, dated `date`: not
/// on an earlier day, nor earlier the same day when both have a time of day.
fn not_before(
    state: &State,
    field: &'static str,
    at: Stamp,
    (mark, date): (Mark, Date),
) -> Result<(), LedgerError> {
    if state.times().before(at, mark, date) {
        return Err(LedgerError::OutOfOrder {
            field,
            at: at.to_string(),
            latest: state.times().stamp(mark, date).to_string(),
        });
    }
    Ok(())
}
