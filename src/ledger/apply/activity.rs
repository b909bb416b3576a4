//! Checks for the service actions, volunteer teams, contact points, instructors and other
//! activities: who may record what, and when.
//!
//! Every record is attributed to one organization (the case's, the donor's on the day, the
//! team's, the leader's on the day, the unit's area or the village, the activity's), and only
//! that organization or one above it may record it.

use crate::org::OrgError;
use jiff::civil::Date;

use super::{
    Acting, Effect, authority, capacity, found, member_of, not_before, org_on, out_of_order,
    unit_of,
};
use crate::activity::{
    ActivityRecord, CaseStep, Code, ContactPoint, Donation, HomeVisit, HotlineCase, HotlineCaseIdx,
    InstructorAssignment, InstructorTarget, MAX_AID_YUAN, MAX_COUNT, MAX_DONATION_YUAN,
    MAX_OUTPUTS, MAX_PROBLEMS_SOLVED, MAX_TEAM_MEMBERS, Membership, Output, TargetRef, TeamIdx,
    Tenure, VolunteerActivity, VolunteerTeam,
};
use crate::error::Reason;
use crate::ledger::state::State;
use crate::ledger::{Command, EntityKind, LedgerError};
use crate::model::times::{Fact, Mark};
use crate::model::{Amount, ExtId, MemberIdx, ModelError, Name, OrgIdx, OrgKind};

/// A checked change to the activity records.
#[derive(Debug)]
pub(crate) enum Change {
    ReceiveCase(HotlineCase),
    ResolveCase(HotlineCaseIdx, CaseStep),
    ReplyCase(HotlineCaseIdx, CaseStep),
    Donation(Donation),
    HomeVisit(HomeVisit),
    FoundTeam(VolunteerTeam),
    Join(TeamIdx, Membership),
    Leave(TeamIdx, usize, Date),
    TeamActivity(VolunteerActivity),
    Link(ContactPoint),
    Unlink(usize, Date),
    Assign(InstructorAssignment),
    Unassign(usize, Date),
    Activity(ActivityRecord),
}

/// The fact `change` records that a later command may be ordered against (see
/// [`super::mark_of`]).
pub(super) fn mark_of(state: &State, change: &Change) -> Option<Mark> {
    let a = state.activity();
    let n = |len: usize| len as u32;
    Some(match change {
        Change::ReceiveCase(_) => Mark(Fact::CaseReceived, n(a.hotline_cases().len()), 0),
        Change::FoundTeam(_) => Mark(Fact::TeamFounded, n(a.teams().len()), 0),
        Change::Join(t, _) => Mark(Fact::TeamJoined, t.0, n(a.team(*t).members.len())),
        Change::Leave(t, at, _) => Mark(Fact::TeamLeft, t.0, n(*at)),
        Change::Link(_) => Mark(Fact::ContactLinked, n(a.contact_points().len()), 0),
        Change::Unlink(at, _) => Mark(Fact::ContactUnlinked, n(*at), 0),
        Change::Assign(_) => Mark(Fact::InstructorAssigned, n(a.instructors().len()), 0),
        Change::Unassign(at, _) => Mark(Fact::InstructorUnassigned, n(*at), 0),
        _ => return None,
    })
}

pub(crate) fn apply(state: &mut State, change: Change) {
    let a = state.activity_mut();
    match change {
        Change::ReceiveCase(c) => a.push_hotline_case(c),
        Change::ResolveCase(c, step) => a.hotline_case_mut(c).resolved = Some(step),
        Change::ReplyCase(c, step) => a.hotline_case_mut(c).replied = Some(step),
        Change::Donation(d) => a.push_donation(d),
        Change::HomeVisit(v) => a.push_home_visit(v),
        Change::FoundTeam(t) => a.push_team(t),
        Change::Join(t, m) => a.team_mut(t).members.push(m),
        Change::Leave(t, at, on) => {
            if let Some(m) = a.team_mut(t).members.get_mut(at) {
                m.tenure.until = Some(on);
            }
        }
        Change::TeamActivity(v) => a.push_volunteer_activity(v),
        Change::Link(c) => a.push_contact_point(c),
        Change::Unlink(at, on) => a.contact_point_mut(at).tenure.until = Some(on),
        Change::Assign(i) => a.push_instructor(i),
        Change::Unassign(at, on) => a.instructor_mut(at).tenure.until = Some(on),
        Change::Activity(r) => a.push_activity(r),
    }
}

fn out_of_range(field: &'static str, min: &str, max: String) -> LedgerError {
    LedgerError::Invalid(ModelError::new(
        field,
        Reason::OutOfRange {
            min: min.into(),
            max,
        },
    ))
}

fn count_at_most(field: &'static str, n: u32, max: u32) -> Result<(), LedgerError> {
    if n > max {
        return Err(out_of_range(field, "0", max.to_string()));
    }
    Ok(())
}

/// An amount of at most `max_yuan` yuan, and more than zero unless `zero_ok`.
fn amount_within(
    field: &'static str,
    a: Amount,
    max_yuan: i64,
    zero_ok: bool,
) -> Result<(), LedgerError> {
    if (!zero_ok && a.is_zero()) || a.fen() > max_yuan.saturating_mul(100) {
        let min = if zero_ok { "0" } else { "0.01" };
        return Err(out_of_range(field, min, max_yuan.to_string()));
    }
    Ok(())
}

fn duplicate(taken: bool, kind: EntityKind, id: &ExtId) -> Result<(), LedgerError> {
    if taken {
        return Err(LedgerError::from(OrgError::Duplicate {
            field: "event.id",
            kind,
            id: id.to_string(),
        }));
    }
    Ok(())
}

/// The member `id` names, posted on `date`, with their organization that day.
fn posted_on(
    state: &State,
    field: &'static str,
    id: &ExtId,
    date: Date,
) -> Result<(MemberIdx, OrgIdx), LedgerError> {
    let m = member_of(state, field, id)?;
    let member = state.member(m);
    match member.posting_on(date) {
        Some(p) => Ok((m, p.org)),
        None => Err(out_of_order(field, date, member.postings[0].from)),
    }
}

// ---------------------------------------------------------------- hotline cases

pub(super) fn receive_case(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    id: &ExtId,
    org: &ExtId,
    category: &Code,
    text: &str,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let o = org_on(state, "event.org", org, date)?;
    authority(state, cmd, acting, o, false)?;
    let a = state.activity();
    duplicate(
        a.hotline_case_by_id(id.as_str()).is_some(),
        EntityKind::HotlineCase,
        id,
    )?;
    capacity(a.hotline_cases().len(), EntityKind::HotlineCase)?;
    Ok(Effect::Activity(Change::ReceiveCase(HotlineCase {
        id: id.clone(),
        org: o,
        received: date,
        category: category.clone(),
        text: text.to_string(),
        resolved: None,
        replied: None,
    })))
}

/// Resolving (`replied` false) or replying to (`replied` true) a case: once each, not before
/// the day it was received.
pub(super) fn case_step(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    case: &ExtId,
    text: Option<&str>,
    replied: bool,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let idx = found(
        state.activity().hotline_case_by_id(case.as_str()),
        "event.case",
        EntityKind::HotlineCase,
        case,
    )?;
    let c = state.activity().hotline_case(idx);
    authority(state, cmd, acting, c.org, false)?;
    let (taken, step) = if replied {
        (c.replied.is_some(), "replied")
    } else {
        (c.resolved.is_some(), "resolved")
    };
    if taken {
        return Err(LedgerError::from(
            crate::activity::ActivityError::HotlineCaseState {
                case: case.to_string(),
                step,
            },
        ));
    }
    let received = (Mark(Fact::CaseReceived, idx.0, 0), c.received);
    not_before(state, "hotline_case.received", cmd.at, received)?;
    let step = CaseStep {
        on: date,
        text: text.map(str::to_string),
    };
    Ok(Effect::Activity(if replied {
        Change::ReplyCase(idx, step)
    } else {
        Change::ResolveCase(idx, step)
    }))
}

// ---------------------------------------------------------------- donations and visits

pub(super) fn donation(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    id: &ExtId,
    member: &ExtId,
    amount: Amount,
    drive: Option<&Name>,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let (m, org) = posted_on(state, "event.member", member, date)?;
    authority(state, cmd, acting, org, false)?;
    let a = state.activity();
    duplicate(a.has_donation(id.as_str()), EntityKind::Donation, id)?;
    amount_within("event.amount_yuan", amount, MAX_DONATION_YUAN, false)?;
    capacity(a.donations().len(), EntityKind::Donation)?;
    Ok(Effect::Activity(Change::Donation(Donation {
        id: id.clone(),
        on: date,
        member: m,
        org,
        amount_yuan: amount,
        drive: drive.cloned(),
    })))
}

pub(super) fn home_visit(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    id: &ExtId,
    cadre: &ExtId,
    problems_solved: u32,
    aid: Amount,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let (m, org) = posted_on(state, "event.cadre", cadre, date)?;
    authority(state, cmd, acting, org, false)?;
    let a = state.activity();
    duplicate(a.has_home_visit(id.as_str()), EntityKind::HomeVisit, id)?;
    count_at_most(
        "event.problems_solved",
        problems_solved,
        MAX_PROBLEMS_SOLVED,
    )?;
    amount_within("event.aid_yuan", aid, MAX_AID_YUAN, true)?;
    capacity(a.home_visits().len(), EntityKind::HomeVisit)?;
    Ok(Effect::Activity(Change::HomeVisit(HomeVisit {
        id: id.clone(),
        on: date,
        cadre: m,
        org,
        problems_solved,
        aid_yuan: aid,
    })))
}

// ---------------------------------------------------------------- volunteer teams

pub(super) fn found_team(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    id: &ExtId,
    name: &Name,
    org: &ExtId,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let o = org_on(state, "event.org", org, date)?;
    authority(state, cmd, acting, o, false)?;
    let a = state.activity();
    duplicate(
        a.team_by_id(id.as_str()).is_some(),
        EntityKind::VolunteerTeam,
        id,
    )?;
    capacity(a.teams().len(), EntityKind::VolunteerTeam)?;
    Ok(Effect::Activity(Change::FoundTeam(VolunteerTeam {
        id: id.clone(),
        name: name.clone(),
        org: o,
        founded: date,
        members: Vec::new(),
    })))
}

/// The team `id` names, after checking the actor's authority over its organization and that
/// the command is not dated before it was founded.
fn team_for(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    id: &ExtId,
) -> Result<TeamIdx, LedgerError> {
    let t = found(
        state.activity().team_by_id(id.as_str()),
        "event.team",
        EntityKind::VolunteerTeam,
        id,
    )?;
    let team = state.activity().team(t);
    authority(state, cmd, acting, team.org, false)?;
    let founded = (Mark(Fact::TeamFounded, t.0, 0), team.founded);
    not_before(state, "volunteer_team.founded", cmd.at, founded)?;
    Ok(t)
}

pub(super) fn join_team(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    team: &ExtId,
    member: &ExtId,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let t = team_for(state, cmd, acting, team)?;
    let (m, org) = posted_on(state, "event.member", member, date)?;
    let team_ref = state.activity().team(t);
    if !state.is_at_or_above(team_ref.org, org) {
        return Err(LedgerError::from(
            crate::activity::ActivityError::OutsideTeamOrg {
                member: member.to_string(),
                org: state.org(org).id.to_string(),
                team: team.to_string(),
            },
        ));
    }
    if team_ref.open_membership(m).is_some() {
        return Err(LedgerError::from(
            crate::activity::ActivityError::TeamMembership {
                member: member.to_string(),
                team: team.to_string(),
                already: true,
            },
        ));
    }
    let last_left = team_ref
        .members
        .iter()
        .enumerate()
        .filter(|(_, e)| e.member == m)
        .filter_map(|(i, e)| e.tenure.until.map(|u| (u, i)))
        .max();
    if let Some((left, i)) = last_left {
        let left = (Mark(Fact::TeamLeft, t.0, i as u32), left);
        not_before(state, "volunteer_team.members", cmd.at, left)?;
    }
    if team_ref.members_now() >= MAX_TEAM_MEMBERS as usize {
        return Err(LedgerError::from(
            crate::activity::ActivityError::TeamFull {
                team: team.to_string(),
                max: MAX_TEAM_MEMBERS,
            },
        ));
    }
    Ok(Effect::Activity(Change::Join(
        t,
        Membership {
            member: m,
            tenure: Tenure {
                from: date,
                until: None,
            },
        },
    )))
}

pub(super) fn leave_team(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    team: &ExtId,
    member: &ExtId,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let t = team_for(state, cmd, acting, team)?;
    let m = member_of(state, "event.member", member)?;
    let team_ref = state.activity().team(t);
    let Some(at) = team_ref.open_membership(m) else {
        return Err(LedgerError::from(
            crate::activity::ActivityError::TeamMembership {
                member: member.to_string(),
                team: team.to_string(),
                already: false,
            },
        ));
    };
    let joined = (
        Mark(Fact::TeamJoined, t.0, at as u32),
        team_ref.members[at].tenure.from,
    );
    not_before(state, "volunteer_team.members", cmd.at, joined)?;
    Ok(Effect::Activity(Change::Leave(t, at, date)))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn team_activity(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    id: &ExtId,
    team: &ExtId,
    kind: &Code,
    people_served: u32,
    outputs: &[Output],
) -> Result<Effect, LedgerError> {
    let t = team_for(state, cmd, acting, team)?;
    let a = state.activity();
    duplicate(
        a.has_volunteer_activity(id.as_str()),
        EntityKind::VolunteerActivity,
        id,
    )?;
    count_at_most("event.people_served", people_served, MAX_COUNT)?;
    check_outputs(outputs)?;
    capacity(
        a.volunteer_activities().len(),
        EntityKind::VolunteerActivity,
    )?;
    Ok(Effect::Activity(Change::TeamActivity(VolunteerActivity {
        id: id.clone(),
        on: cmd.at.date,
        team: t,
        kind: kind.clone(),
        people_served,
        outputs: outputs.to_vec(),
    })))
}

fn check_outputs(outputs: &[Output]) -> Result<(), LedgerError> {
    if outputs.len() > MAX_OUTPUTS {
        return Err(LedgerError::Invalid(ModelError::new(
            "event.outputs",
            Reason::TooLong {
                max: MAX_OUTPUTS,
                actual: outputs.len(),
            },
        )));
    }
    for (i, o) in outputs.iter().enumerate() {
        if o.count == 0 || o.count > MAX_COUNT {
            return Err(out_of_range(
                "event.outputs.count",
                "1",
                MAX_COUNT.to_string(),
            ));
        }
        if outputs[..i].iter().any(|p| p.what == o.what) {
            return Err(LedgerError::Invalid(ModelError::new(
                "event.outputs.what",
                Reason::Malformed {
                    zh: format!("产出 {} 重复列出", o.what).into(),
                    en: format!("output {} is listed twice", o.what).into(),
                },
            )));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- contact points

pub(super) fn link(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    leader: &ExtId,
    org: &ExtId,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let (m, leader_org) = posted_on(state, "event.leader", leader, date)?;
    authority(state, cmd, acting, leader_org, false)?;
    // The level on the link's day: a level set later does not reach back.
    let level = state.member(m).level_on(date);
    if level.is_none() {
        return Err(LedgerError::from(
            crate::activity::ActivityError::NotLeadingCadre {
                member: leader.to_string(),
            },
        ));
    }
    let o = org_on(state, "event.org", org, date)?;
    if Some(o) == state.root() {
        let r = state.org(o);
        return Err(LedgerError::from(OrgError::WrongOrgKind {
            field: "event.org",
            org: r.id.to_string(),
            kind: r.kind,
            why: "is the root, which leads the contact points rather than being one",
        }));
    }
    let a = state.activity();
    if a.open_contact_point(m, o).is_some() {
        return Err(LedgerError::from(
            crate::activity::ActivityError::ContactPointState {
                leader: leader.to_string(),
                org: org.to_string(),
                already: true,
            },
        ));
    }
    let last = a
        .contact_points()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.leader == m && c.org == o)
        .filter_map(|(i, c)| c.tenure.until.map(|u| (u, i)))
        .max();
    if let Some((u, i)) = last {
        let until = (Mark(Fact::ContactUnlinked, i as u32, 0), u);
        not_before(state, "contact_point.until", cmd.at, until)?;
    }
    capacity(a.contact_points().len(), EntityKind::ContactPoint)?;
    Ok(Effect::Activity(Change::Link(ContactPoint {
        leader: m,
        leader_org,
        level,
        org: o,
        tenure: Tenure {
            from: date,
            until: None,
        },
    })))
}

pub(super) fn unlink(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    leader: &ExtId,
    org: &ExtId,
) -> Result<Effect, LedgerError> {
    let m = member_of(state, "event.leader", leader)?;
    let o = found(
        state.org_by_id(org.as_str()),
        "event.org",
        EntityKind::Org,
        org,
    )?;
    let a = state.activity();
    let Some(at) = a.open_contact_point(m, o) else {
        return Err(LedgerError::from(
            crate::activity::ActivityError::ContactPointState {
                leader: leader.to_string(),
                org: org.to_string(),
                already: false,
            },
        ));
    };
    let c = &a.contact_points()[at];
    authority(state, cmd, acting, c.leader_org, false)?;
    let from = (Mark(Fact::ContactLinked, at as u32, 0), c.tenure.from);
    not_before(state, "contact_point.from", cmd.at, from)?;
    Ok(Effect::Activity(Change::Unlink(at, cmd.at.date)))
}

// ---------------------------------------------------------------- instructors

/// The target resolved, with the organization it counts under: a unit registered by `date`
/// (its area), or a village organization established by `date` (itself).
fn target_on(
    state: &State,
    target: &TargetRef,
    date: Date,
) -> Result<(InstructorTarget, OrgIdx), LedgerError> {
    match target {
        TargetRef::Unit(id) => {
            let u = unit_of(state, "event.target.unit", id)?;
            let unit = state.unit(u);
            let registered = unit.standings[0].from;
            if date < registered {
                return Err(out_of_order("event.target.unit", date, registered));
            }
            Ok((InstructorTarget::Unit(u), unit.area))
        }
        TargetRef::Village(id) => {
            let v = org_on(state, "event.target.village", id, date)?;
            let o = state.org(v);
            if o.kind != OrgKind::Village {
                return Err(LedgerError::from(OrgError::WrongOrgKind {
                    field: "event.target.village",
                    org: o.id.to_string(),
                    kind: o.kind,
                    why: "is not a village organization",
                }));
            }
            Ok((InstructorTarget::Village(v), v))
        }
    }
}

pub(super) fn assign(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    instructor: &ExtId,
    target: &TargetRef,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let (t, org) = target_on(state, target, date)?;
    authority(state, cmd, acting, org, false)?;
    let (m, _) = posted_on(state, "event.instructor", instructor, date)?;
    let a = state.activity();
    if a.open_assignment(m, t).is_some() {
        return Err(LedgerError::from(
            crate::activity::ActivityError::InstructorState {
                instructor: instructor.to_string(),
                target: target.to_string(),
                already: true,
            },
        ));
    }
    let last = a
        .instructors()
        .iter()
        .enumerate()
        .filter(|(_, i)| i.instructor == m && i.target == t)
        .filter_map(|(n, i)| i.tenure.until.map(|u| (u, n)))
        .max();
    if let Some((u, n)) = last {
        let until = (Mark(Fact::InstructorUnassigned, n as u32, 0), u);
        not_before(state, "instructor.until", cmd.at, until)?;
    }
    capacity(a.instructors().len(), EntityKind::InstructorAssignment)?;
    Ok(Effect::Activity(Change::Assign(InstructorAssignment {
        instructor: m,
        target: t,
        org,
        tenure: Tenure {
            from: date,
            until: None,
        },
    })))
}

pub(super) fn unassign(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    instructor: &ExtId,
    target: &TargetRef,
) -> Result<Effect, LedgerError> {
    let m = member_of(state, "event.instructor", instructor)?;
    let t = match target {
        TargetRef::Unit(id) => InstructorTarget::Unit(unit_of(state, "event.target.unit", id)?),
        TargetRef::Village(id) => InstructorTarget::Village(found(
            state.org_by_id(id.as_str()),
            "event.target.village",
            EntityKind::Org,
            id,
        )?),
    };
    let a = state.activity();
    let Some(at) = a.open_assignment(m, t) else {
        return Err(LedgerError::from(
            crate::activity::ActivityError::InstructorState {
                instructor: instructor.to_string(),
                target: target.to_string(),
                already: false,
            },
        ));
    };
    let i = &a.instructors()[at];
    authority(state, cmd, acting, i.org, false)?;
    let from = (Mark(Fact::InstructorAssigned, at as u32, 0), i.tenure.from);
    not_before(state, "instructor.from", cmd.at, from)?;
    Ok(Effect::Activity(Change::Unassign(at, cmd.at.date)))
}

// ---------------------------------------------------------------- other activities

#[allow(clippy::too_many_arguments)]
pub(super) fn activity(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    id: &ExtId,
    org: &ExtId,
    kind: &Code,
    title: &Name,
    counts: [u32; 2],
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let o = org_on(state, "event.org", org, date)?;
    authority(state, cmd, acting, o, false)?;
    let a = state.activity();
    duplicate(a.has_activity(id.as_str()), EntityKind::Activity, id)?;
    let [participants, people_served] = counts;
    count_at_most("event.participants", participants, MAX_COUNT)?;
    count_at_most("event.people_served", people_served, MAX_COUNT)?;
    capacity(a.activities().len(), EntityKind::Activity)?;
    Ok(Effect::Activity(Change::Activity(ActivityRecord {
        id: id.clone(),
        on: date,
        org: o,
        kind: kind.clone(),
        title: title.clone(),
        participants,
        people_served,
    })))
}
