//! What makes each service-action event acceptable: who may record what, and when.
//!
//! Every record is attributed to one organization (the case's, the donor's on the day, the
//! team's, the leader's on the day, the unit's area or the village, the activity's), and only
//! that organization or one above it may record it. Tenures (team memberships, contact points,
//! instructors' assignments, pairings with villages) open and close by the one rule of [`super::tenure`].

use super::apply::Change;
use super::events::{
    AssignInstructor, FoundVolunteerTeam, JoinVolunteerTeam, LeaveVolunteerTeam, LinkContactPoint,
    PairVillage, ReceiveHotlineCase, RecordActivity, RecordDonation, RecordHomeVisit,
    RecordVolunteerActivity, ReplyHotlineCase, ResolveHotlineCase, UnassignInstructor,
    UnlinkContactPoint, UnpairVillage,
};
use super::tenure::{self, Held};
use super::{
    Activities, ActivityError, ActivityRecord, CaseStep, ContactPoint, Donation, HomeVisit,
    HotlineCase, InstructorAssignment, InstructorTarget, MAX_AID_YUAN, MAX_COUNT,
    MAX_DONATION_YUAN, MAX_OUTPUTS, MAX_PROBLEMS_SOLVED, MAX_TEAM_MEMBERS, Membership, Output,
    Pairing, Partner, PartnerKind, PartnerRef, TargetRef, TeamIdx, VolunteerActivity,
    VolunteerTeam,
};
use crate::error::Reason;
use crate::model::times::{Fact, Mark};
use crate::model::{Amount, ExtId, MemberIdx, ModelError, OrgIdx, OrgKind};
use crate::org::{Ctx, EntityKind, OrgError, capacity, found, out_of_order, unit_of, wrong_kind};

type Checked = Result<Change, ActivityError>;

fn out_of_range(field: &'static str, min: &str, max: String) -> ModelError {
    ModelError::new(
        field,
        Reason::OutOfRange {
            min: min.into(),
            max,
        },
    )
}

fn count_at_most(field: &'static str, n: u32, max: u32) -> Result<(), ModelError> {
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
) -> Result<(), ModelError> {
    if (!zero_ok && a.is_zero()) || a.fen() > max_yuan.saturating_mul(100) {
        let min = if zero_ok { "0" } else { "0.01" };
        return Err(out_of_range(field, min, max_yuan.to_string()));
    }
    Ok(())
}

fn duplicate(taken: bool, kind: EntityKind, id: &ExtId) -> Result<(), OrgError> {
    if taken {
        return Err(OrgError::Duplicate {
            field: "event.id",
            kind,
            id: id.to_string(),
        });
    }
    Ok(())
}

/// The member `id` names, posted on the command's day, with their organization that day.
fn posted_on(ctx: &Ctx, field: &'static str, id: &ExtId) -> Result<(MemberIdx, OrgIdx), OrgError> {
    let m = ctx.member_of(field, id)?;
    let member = ctx.reg.member(m);
    match member.posting_on(ctx.date()) {
        Some(p) => Ok((m, p.org)),
        None => Err(out_of_order(field, ctx.date(), member.postings[0].from)),
    }
}

// ---------------------------------------------------------------- hotline cases

pub(crate) fn receive_case(ctx: &Ctx, a: &Activities, e: &ReceiveHotlineCase) -> Checked {
    let o = ctx.org_on("event.org", &e.org)?;
    ctx.authority(o, false)?;
    duplicate(
        a.hotline_case_by_id(e.id.as_str()).is_some(),
        EntityKind::HotlineCase,
        &e.id,
    )?;
    capacity(a.hotline_cases().len(), EntityKind::HotlineCase)?;
    Ok(Change::ReceiveCase(HotlineCase {
        id: e.id.clone(),
        org: o,
        received: ctx.date(),
        category: e.category.clone(),
        text: e.text.to_string(),
        resolved: None,
        replied: None,
    }))
}

pub(crate) fn resolve_case(ctx: &Ctx, a: &Activities, e: &ResolveHotlineCase) -> Checked {
    case_step(ctx, a, &e.case, Some(&e.outcome), false)
}

pub(crate) fn reply_case(ctx: &Ctx, a: &Activities, e: &ReplyHotlineCase) -> Checked {
    case_step(ctx, a, &e.case, e.reply.as_deref(), true)
}

/// Resolving (`replied` false) or replying to (`replied` true) a case: once each, not before
/// the day it was received.
fn case_step(
    ctx: &Ctx,
    a: &Activities,
    case: &ExtId,
    text: Option<&str>,
    replied: bool,
) -> Checked {
    let idx = found(
        a.hotline_case_by_id(case.as_str()),
        "event.case",
        EntityKind::HotlineCase,
        case,
    )?;
    let c = a.hotline_case(idx);
    ctx.authority(c.org, false)?;
    let (taken, step) = if replied {
        (c.replied.is_some(), "replied")
    } else {
        (c.resolved.is_some(), "resolved")
    };
    if taken {
        return Err(ActivityError::HotlineCaseState {
            case: case.to_string(),
            step,
        });
    }
    let received = (Mark(Fact::CaseReceived, idx.0, 0), c.received);
    ctx.not_before("hotline_case.received", received)?;
    let step = CaseStep {
        on: ctx.date(),
        text: text.map(str::to_string),
    };
    Ok(if replied {
        Change::ReplyCase(idx, step)
    } else {
        Change::ResolveCase(idx, step)
    })
}

// ---------------------------------------------------------------- donations and visits

pub(crate) fn donation(ctx: &Ctx, a: &Activities, e: &RecordDonation) -> Checked {
    let (m, org) = posted_on(ctx, "event.member", &e.member)?;
    ctx.authority(org, false)?;
    duplicate(a.has_donation(e.id.as_str()), EntityKind::Donation, &e.id)?;
    amount_within("event.amount_yuan", e.amount_yuan, MAX_DONATION_YUAN, false)?;
    capacity(a.donations().len(), EntityKind::Donation)?;
    Ok(Change::Donation(Donation {
        id: e.id.clone(),
        on: ctx.date(),
        member: m,
        org,
        amount_yuan: e.amount_yuan,
        drive: e.drive.clone(),
    }))
}

pub(crate) fn home_visit(ctx: &Ctx, a: &Activities, e: &RecordHomeVisit) -> Checked {
    let (m, org) = posted_on(ctx, "event.cadre", &e.cadre)?;
    ctx.authority(org, false)?;
    duplicate(
        a.has_home_visit(e.id.as_str()),
        EntityKind::HomeVisit,
        &e.id,
    )?;
    count_at_most(
        "event.problems_solved",
        e.problems_solved,
        MAX_PROBLEMS_SOLVED,
    )?;
    amount_within("event.aid_yuan", e.aid_yuan, MAX_AID_YUAN, true)?;
    capacity(a.home_visits().len(), EntityKind::HomeVisit)?;
    Ok(Change::HomeVisit(HomeVisit {
        id: e.id.clone(),
        on: ctx.date(),
        cadre: m,
        org,
        problems_solved: e.problems_solved,
        aid_yuan: e.aid_yuan,
    }))
}

// ---------------------------------------------------------------- volunteer teams

pub(crate) fn found_team(ctx: &Ctx, a: &Activities, e: &FoundVolunteerTeam) -> Checked {
    let o = ctx.org_on("event.org", &e.org)?;
    ctx.authority(o, false)?;
    duplicate(
        a.team_by_id(e.id.as_str()).is_some(),
        EntityKind::VolunteerTeam,
        &e.id,
    )?;
    capacity(a.teams().len(), EntityKind::VolunteerTeam)?;
    Ok(Change::FoundTeam(VolunteerTeam {
        id: e.id.clone(),
        name: e.name.clone(),
        org: o,
        founded: ctx.date(),
        members: Vec::new(),
    }))
}

/// The team `id` names, after checking the actor's authority over its organization and that
/// the command is not dated before it was founded.
fn team_for(ctx: &Ctx, a: &Activities, id: &ExtId) -> Result<TeamIdx, OrgError> {
    let t = found(
        a.team_by_id(id.as_str()),
        "event.team",
        EntityKind::VolunteerTeam,
        id,
    )?;
    let team = a.team(t);
    ctx.authority(team.org, false)?;
    let founded = (Mark(Fact::TeamFounded, t.0, 0), team.founded);
    ctx.not_before("volunteer_team.founded", founded)?;
    Ok(t)
}

pub(crate) fn join_team(ctx: &Ctx, a: &Activities, e: &JoinVolunteerTeam) -> Checked {
    let t = team_for(ctx, a, &e.team)?;
    let (m, org) = posted_on(ctx, "event.member", &e.member)?;
    let team = a.team(t);
    if !ctx.reg.is_at_or_above(team.org, org) {
        return Err(ActivityError::OutsideTeamOrg {
            member: e.member.to_string(),
            org: ctx.reg.org(org).id.to_string(),
            team: e.team.to_string(),
        });
    }
    let tenure = tenure::open(ctx, Held::Team(t), team.tenures_of(m), || {
        ActivityError::TeamMembership {
            member: e.member.to_string(),
            team: e.team.to_string(),
            already: true,
        }
    })?;
    if team.members_now() >= MAX_TEAM_MEMBERS as usize {
        return Err(ActivityError::TeamFull {
            team: e.team.to_string(),
            max: MAX_TEAM_MEMBERS,
        });
    }
    Ok(Change::Join(t, Membership { member: m, tenure }))
}

pub(crate) fn leave_team(ctx: &Ctx, a: &Activities, e: &LeaveVolunteerTeam) -> Checked {
    let t = team_for(ctx, a, &e.team)?;
    let m = ctx.member_of("event.member", &e.member)?;
    let team = a.team(t);
    let Some(at) = team.open_membership(m) else {
        return Err(ActivityError::TeamMembership {
            member: e.member.to_string(),
            team: e.team.to_string(),
            already: false,
        });
    };
    let held = Held::Team(t);
    let on = tenure::close(ctx, held, at, &team.members[at].tenure)?;
    Ok(Change::Close { held, at, on })
}

pub(crate) fn team_activity(ctx: &Ctx, a: &Activities, e: &RecordVolunteerActivity) -> Checked {
    let t = team_for(ctx, a, &e.team)?;
    duplicate(
        a.has_volunteer_activity(e.id.as_str()),
        EntityKind::VolunteerActivity,
        &e.id,
    )?;
    count_at_most("event.people_served", e.people_served, MAX_COUNT)?;
    check_outputs(&e.outputs)?;
    capacity(
        a.volunteer_activities().len(),
        EntityKind::VolunteerActivity,
    )?;
    Ok(Change::TeamActivity(VolunteerActivity {
        id: e.id.clone(),
        on: ctx.date(),
        team: t,
        kind: e.kind.clone(),
        people_served: e.people_served,
        outputs: e.outputs.to_vec(),
    }))
}

fn check_outputs(outputs: &[Output]) -> Result<(), ModelError> {
    if outputs.len() > MAX_OUTPUTS {
        return Err(ModelError::new(
            "event.outputs",
            Reason::TooLong {
                max: MAX_OUTPUTS,
                actual: outputs.len(),
            },
        ));
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
            return Err(ModelError::new(
                "event.outputs.what",
                Reason::Malformed {
                    zh: format!("产出 {} 重复列出", o.what).into(),
                    en: format!("output {} is listed twice", o.what).into(),
                },
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- contact points

pub(crate) fn link(ctx: &Ctx, a: &Activities, e: &LinkContactPoint) -> Checked {
    let (m, leader_org) = posted_on(ctx, "event.leader", &e.leader)?;
    ctx.authority(leader_org, false)?;
    // The level on the link's day: a level set later does not reach back.
    let level = ctx.reg.member(m).level_on(ctx.date());
    if level.is_none() {
        return Err(ActivityError::NotLeadingCadre {
            member: e.leader.to_string(),
        });
    }
    let o = ctx.org_on("event.org", &e.org)?;
    if Some(o) == ctx.reg.root() {
        return Err(wrong_kind(
            "event.org",
            ctx.reg,
            o,
            "is the root, which leads the contact points rather than being one",
        )
        .into());
    }
    let tenure = tenure::open(ctx, Held::Contact, a.contact_tenures(m, o), || {
        ActivityError::ContactPointState {
            leader: e.leader.to_string(),
            org: e.org.to_string(),
            already: true,
        }
    })?;
    capacity(a.contact_points().len(), EntityKind::ContactPoint)?;
    Ok(Change::Link(ContactPoint {
        leader: m,
        leader_org,
        level,
        org: o,
        tenure,
    }))
}

pub(crate) fn unlink(ctx: &Ctx, a: &Activities, e: &UnlinkContactPoint) -> Checked {
    let m = ctx.member_of("event.leader", &e.leader)?;
    let o = found(
        ctx.reg.org_by_id(e.org.as_str()),
        "event.org",
        EntityKind::Org,
        &e.org,
    )?;
    let Some(at) = tenure::open_of(a.contact_tenures(m, o)) else {
        return Err(ActivityError::ContactPointState {
            leader: e.leader.to_string(),
            org: e.org.to_string(),
            already: false,
        });
    };
    let c = &a.contact_points()[at];
    ctx.authority(c.leader_org, false)?;
    let on = tenure::close(ctx, Held::Contact, at, &c.tenure)?;
    Ok(Change::Close {
        held: Held::Contact,
        at,
        on,
    })
}

// ---------------------------------------------------------------- pairings with villages

/// The partner resolved on the command's day, with its kind and the organization it counts
/// under: a city department's committee or an institution's organization (itself), or a
/// member posted on the day (their organization).
fn partner_on(ctx: &Ctx, partner: &PartnerRef) -> Result<(Partner, PartnerKind, OrgIdx), OrgError> {
    match partner {
        PartnerRef::Org(id) => {
            let o = ctx.org_on("event.partner.org", id)?;
            let Some(kind) = PartnerKind::of_org(ctx.reg.org(o).kind) else {
                return Err(wrong_kind(
                    "event.partner.org",
                    ctx.reg,
                    o,
                    "is neither a city department's committee nor an institution's organization (a school or a clinic)",
                ));
            };
            Ok((Partner::Org(o), kind, o))
        }
        PartnerRef::Member(id) => {
            let (m, org) = posted_on(ctx, "event.partner.member", id)?;
            Ok((Partner::Member(m), PartnerKind::Cadre, org))
        }
    }
}

/// The village organization named, established on the command's day.
fn village_on(ctx: &Ctx, id: &ExtId) -> Result<OrgIdx, OrgError> {
    let v = ctx.org_on("event.village", id)?;
    if ctx.reg.org(v).kind != OrgKind::Village {
        return Err(wrong_kind(
            "event.village",
            ctx.reg,
            v,
            "is not a village organization",
        ));
    }
    Ok(v)
}

pub(crate) fn pair(ctx: &Ctx, a: &Activities, e: &PairVillage) -> Checked {
    let (partner, kind, partner_org) = partner_on(ctx, &e.partner)?;
    let village = village_on(ctx, &e.village)?;
    ctx.authority(village, false)?;
    ctx.authority(partner_org, false)?;
    let tenure = tenure::open(
        ctx,
        Held::Pairing,
        a.pairing_tenures(partner, village),
        || ActivityError::PairingState {
            partner: e.partner.to_string(),
            village: e.village.to_string(),
            already: true,
        },
    )?;
    capacity(a.pairings().len(), EntityKind::Pairing)?;
    Ok(Change::Pair(Pairing {
        partner,
        kind,
        partner_org,
        village,
        tenure,
    }))
}

pub(crate) fn unpair(ctx: &Ctx, a: &Activities, e: &UnpairVillage) -> Checked {
    let partner = match &e.partner {
        PartnerRef::Org(id) => Partner::Org(found(
            ctx.reg.org_by_id(id.as_str()),
            "event.partner.org",
            EntityKind::Org,
            id,
        )?),
        PartnerRef::Member(id) => Partner::Member(ctx.member_of("event.partner.member", id)?),
    };
    let village = found(
        ctx.reg.org_by_id(e.village.as_str()),
        "event.village",
        EntityKind::Org,
        &e.village,
    )?;
    let Some(at) = tenure::open_of(a.pairing_tenures(partner, village)) else {
        return Err(ActivityError::PairingState {
            partner: e.partner.to_string(),
            village: e.village.to_string(),
            already: false,
        });
    };
    let p = &a.pairings()[at];
    ctx.authority(p.village, false)?;
    ctx.authority(p.partner_org, false)?;
    let on = tenure::close(ctx, Held::Pairing, at, &p.tenure)?;
    Ok(Change::Close {
        held: Held::Pairing,
        at,
        on,
    })
}

// ---------------------------------------------------------------- instructors

/// The target resolved, with the organization it counts under: a unit registered by the
/// command's day (its area), or a village organization established by then (itself).
fn target_on(ctx: &Ctx, target: &TargetRef) -> Result<(InstructorTarget, OrgIdx), OrgError> {
    let date = ctx.date();
    match target {
        TargetRef::Unit(id) => {
            let u = unit_of(ctx.reg, "event.target.unit", id)?;
            let unit = ctx.reg.unit(u);
            let registered = unit.standings[0].from;
            if date < registered {
                return Err(out_of_order("event.target.unit", date, registered));
            }
            Ok((InstructorTarget::Unit(u), unit.area))
        }
        TargetRef::Village(id) => {
            let v = ctx.org_on("event.target.village", id)?;
            if ctx.reg.org(v).kind != OrgKind::Village {
                return Err(wrong_kind(
                    "event.target.village",
                    ctx.reg,
                    v,
                    "is not a village organization",
                ));
            }
            Ok((InstructorTarget::Village(v), v))
        }
    }
}

pub(crate) fn assign(ctx: &Ctx, a: &Activities, e: &AssignInstructor) -> Checked {
    let (t, org) = target_on(ctx, &e.target)?;
    ctx.authority(org, false)?;
    let (m, _) = posted_on(ctx, "event.instructor", &e.instructor)?;
    let tenure = tenure::open(ctx, Held::Instructor, a.instructor_tenures(m, t), || {
        ActivityError::InstructorState {
            instructor: e.instructor.to_string(),
            target: e.target.to_string(),
            already: true,
        }
    })?;
    capacity(a.instructors().len(), EntityKind::InstructorAssignment)?;
    Ok(Change::Assign(InstructorAssignment {
        instructor: m,
        target: t,
        org,
        tenure,
    }))
}

pub(crate) fn unassign(ctx: &Ctx, a: &Activities, e: &UnassignInstructor) -> Checked {
    let m = ctx.member_of("event.instructor", &e.instructor)?;
    let t = match &e.target {
        TargetRef::Unit(id) => InstructorTarget::Unit(unit_of(ctx.reg, "event.target.unit", id)?),
        TargetRef::Village(id) => InstructorTarget::Village(found(
            ctx.reg.org_by_id(id.as_str()),
            "event.target.village",
            EntityKind::Org,
            id,
        )?),
    };
    let Some(at) = tenure::open_of(a.instructor_tenures(m, t)) else {
        return Err(ActivityError::InstructorState {
            instructor: e.instructor.to_string(),
            target: e.target.to_string(),
            already: false,
        });
    };
    let i = &a.instructors()[at];
    ctx.authority(i.org, false)?;
    let on = tenure::close(ctx, Held::Instructor, at, &i.tenure)?;
    Ok(Change::Close {
        held: Held::Instructor,
        at,
        on,
    })
}

// ---------------------------------------------------------------- other activities

pub(crate) fn activity(ctx: &Ctx, a: &Activities, e: &RecordActivity) -> Checked {
    let o = ctx.org_on("event.org", &e.org)?;
    ctx.authority(o, false)?;
    duplicate(a.has_activity(e.id.as_str()), EntityKind::Activity, &e.id)?;
    count_at_most("event.participants", e.participants, MAX_COUNT)?;
    count_at_most("event.people_served", e.people_served, MAX_COUNT)?;
    capacity(a.activities().len(), EntityKind::Activity)?;
    Ok(Change::Activity(ActivityRecord {
        id: e.id.clone(),
        on: ctx.date(),
        org: o,
        kind: e.kind.clone(),
        title: e.title.clone(),
        participants: e.participants,
        people_served: e.people_served,
    }))
}

crate::org::checks! {
    records: Activities, change: Change, error: ActivityError;
    ReceiveHotlineCase => receive_case,
    ResolveHotlineCase => resolve_case,
    ReplyHotlineCase => reply_case,
    RecordDonation => donation,
    RecordHomeVisit => home_visit,
    FoundVolunteerTeam => found_team,
    JoinVolunteerTeam => join_team,
    LeaveVolunteerTeam => leave_team,
    RecordVolunteerActivity => team_activity,
    LinkContactPoint => link,
    UnlinkContactPoint => unlink,
    AssignInstructor => assign,
    PairVillage => pair,
    UnpairVillage => unpair,
    UnassignInstructor => unassign,
    RecordActivity => activity,
}
