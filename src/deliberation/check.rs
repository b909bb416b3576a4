//! What makes each step of a village matter (四议一审) acceptable: who may take it (the village
//! or above for its own steps, the township-level committee or above for the review), in which
//! order, on which day, with which counts.

use super::apply::Change;
use super::events::{
    DeliberateMatter, DiscussMatter, ProposeMatter, PublishResolution, PublishResult,
    ResolveMatter, ReviewMatter,
};
use super::{
    Action, CommitteeVote, DeliberationError, MAX_COMMITTEE_MEMBERS, MAX_MEETING, Matter,
    MatterIdx, Matters, MembersMeeting, Next, Step, StepRecord, TownshipReview, VillagersMeeting,
};
use crate::model::times::{Fact, Mark};
use crate::model::{ExtId, ModelError, OrgIdx, OrgKind};
use crate::org::{Acting, Ctx, EntityKind, OrgError, actor_text, capacity, found};

type Checked = Result<Change, DeliberationError>;

/// The acting organization, if it may take `step` of a matter of `village`: the village's own
/// steps by the village or an organization above it; the review by the village's
/// township-level committee (its parent) or an organization above that, never by the village.
fn may_take(ctx: &Ctx, village: OrgIdx, step: Step) -> Result<OrgIdx, DeliberationError> {
    let reg = ctx.reg;
    let target = if step.by_township() {
        reg.org(village).parent
    } else {
        Some(village)
    };
    match (ctx.acting, target) {
        (Acting::Org(o, _), Some(t)) if reg.is_at_or_above(o, t) => Ok(o),
        _ => Err(DeliberationError::StepActor {
            actor: actor_text(ctx.actor),
            step,
            village: reg.org(village).id.to_string(),
            target: target.map_or_else(String::new, |t| reg.org(t).id.to_string()),
        }),
    }
}

pub(crate) fn propose(ctx: &Ctx, matters: &Matters, e: &ProposeMatter) -> Checked {
    let v = ctx.org_on("event.village", &e.village)?;
    let kind = ctx.reg.org(v).kind;
    if kind != OrgKind::Village {
        return Err(DeliberationError::NotVillage {
            field: "event.village",
            org: e.village.to_string(),
            kind,
        });
    }
    may_take(ctx, v, Step::Proposal)?;
    if matters.matter_by_id(e.id.as_str()).is_some() {
        return Err(OrgError::Duplicate {
            field: "event.id",
            kind: EntityKind::Matter,
            id: e.id.to_string(),
        }
        .into());
    }
    capacity(matters.list().len(), EntityKind::Matter)?;
    Ok(Change::Propose(Matter {
        id: e.id.clone(),
        village: v,
        title: e.title.clone(),
        text: e.text.to_string(),
        category: e.category,
        proposed: ctx.date(),
        steps: Vec::new(),
    }))
}

/// The matter `id` names, once every check common to the steps holds: the actor may take
/// `step`, it was not taken already, the matter is open, `step` is the next one in the rules'
/// order, and the command is dated on or after the previous step (and, for a deliberative
/// step, at least `min_days_between_steps` after it). With it, the acting organization.
fn next_step(
    ctx: &Ctx,
    matters: &Matters,
    id: &ExtId,
    step: Step,
) -> Result<(MatterIdx, OrgIdx), DeliberationError> {
    let idx = found(
        matters.matter_by_id(id.as_str()),
        "event.matter",
        EntityKind::Matter,
        id,
    )?;
    let m = matters.matter(idx);
    let by = may_take(ctx, m.village, step)?;
    in_turn(ctx, m, id, step)?;
    in_time(ctx, idx, m, id, step)?;
    Ok((idx, by))
}

/// `step` was not taken already, the matter is open, and `step` is the next one in the rules'
/// order.
fn in_turn(ctx: &Ctx, m: &Matter, id: &ExtId, step: Step) -> Result<(), DeliberationError> {
    if let Some(on) = m.day_of(step) {
        return Err(DeliberationError::StepRepeated {
            matter: id.to_string(),
            step,
            on: on.to_string(),
        });
    }
    match m.next(&ctx.rules.deliberation) {
        Next::Closed(status) => Err(DeliberationError::MatterClosed {
            matter: id.to_string(),
            status,
            step,
        }),
        Next::Step(next) if next != step => Err(DeliberationError::StepOutOfOrder {
            matter: id.to_string(),
            step,
            next,
        }),
        Next::Step(_) => Ok(()),
    }
}

/// The command is dated on or after the matter's previous step (and, for a deliberative step,
/// at least `min_days_between_steps` days after it).
fn in_time(
    ctx: &Ctx,
    idx: MatterIdx,
    m: &Matter,
    id: &ExtId,
    step: Step,
) -> Result<(), DeliberationError> {
    let previous_step = m.steps.last().map_or(Step::Proposal, |s| s.action.step());
    let previous = m.last_day();
    let mark = match m.steps.len().checked_sub(1) {
        Some(i) => Mark(Fact::MatterStep, idx.0, i as u32),
        None => Mark(Fact::MatterProposed, idx.0, 0),
    };
    if ctx.times.before(ctx.at, mark, previous) {
        return Err(DeliberationError::StepBeforePrevious {
            matter: id.to_string(),
            step,
            at: ctx.at.to_string(),
            previous_step,
            previous: ctx.times.stamp(mark, previous).to_string(),
        });
    }
    if let Some(days) = ctx.rules.deliberation.min_days_between_steps
        && step.is_deliberative()
    {
        let earliest = previous.saturating_add(jiff::Span::new().days(i64::from(days)));
        if ctx.date() < earliest {
            return Err(DeliberationError::StepTooSoon {
                matter: id.to_string(),
                step,
                at: ctx.date().to_string(),
                previous_step,
                min_days: days,
                earliest: earliest.to_string(),
            });
        }
    }
    Ok(())
}

/// `value` must lie in `min..=max`; `max_is` says what the bound is (Chinese, English), for
/// the message.
fn bounded(
    field: &'static str,
    value: u32,
    min: u32,
    max: u32,
    max_is: (&str, &str),
) -> Result<(), DeliberationError> {
    if (min..=max).contains(&value) {
        return Ok(());
    }
    Err(ModelError::new(
        field,
        crate::Reason::OutOfRange {
            min: min.to_string(),
            max: format!("{max} ({} / {})", max_is.0, max_is.1),
        },
    )
    .into())
}

fn record(ctx: &Ctx, idx: MatterIdx, action: Action) -> Change {
    Change::Step {
        matter: idx,
        record: StepRecord {
            on: ctx.date(),
            action,
        },
    }
}

pub(crate) fn discuss(ctx: &Ctx, matters: &Matters, e: &DiscussMatter) -> Checked {
    let (idx, _) = next_step(ctx, matters, &e.matter, Step::CommitteeDiscussion)?;
    let (votes_for, against, total) = (e.votes_for, e.against, e.total);
    bounded(
        "event.total",
        total,
        1,
        MAX_COMMITTEE_MEMBERS,
        ("两委成员上限", "the most members two committees may have"),
    )?;
    bounded(
        "event.for",
        votes_for,
        0,
        total,
        ("两委成员数", "the committees' members"),
    )?;
    bounded(
        "event.against",
        against,
        0,
        // `votes_for` is at most `total`, checked just above.
        total.saturating_sub(votes_for),
        (
            "两委成员数减赞成票",
            "the committees' members not voting for",
        ),
    )?;
    let passed = CommitteeVote::passes(&ctx.rules.deliberation, votes_for, total);
    Ok(record(
        ctx,
        idx,
        Action::CommitteeDiscussion(CommitteeVote {
            votes_for,
            against,
            total,
            passed,
        }),
    ))
}

pub(crate) fn deliberate(ctx: &Ctx, matters: &Matters, e: &DeliberateMatter) -> Checked {
    let (idx, _) = next_step(ctx, matters, &e.matter, Step::MembersDeliberation)?;
    let r = &ctx.rules.deliberation;
    let (expected, attending, votes_for) = (e.expected, e.attending, e.votes_for);
    bounded(
        "event.expected",
        expected,
        1,
        MAX_MEETING,
        ("会议人数上限", "the most a meeting counts"),
    )?;
    bounded(
        "event.attending",
        attending,
        0,
        expected,
        ("应到党员数", "the members expected"),
    )?;
    bounded(
        "event.for",
        votes_for,
        0,
        attending,
        ("实到党员数", "the members attending"),
    )?;
    if !MembersMeeting::has_quorum(r, expected, attending) {
        return Err(DeliberationError::NoQuorum {
            attending,
            expected,
            required: r.members_attendance_min.least_at_least(expected),
        });
    }
    let passed = MembersMeeting::passes(r, expected, votes_for);
    Ok(record(
        ctx,
        idx,
        Action::MembersDeliberation(MembersMeeting {
            expected,
            attending,
            votes_for,
            passed,
        }),
    ))
}

pub(crate) fn review(ctx: &Ctx, matters: &Matters, e: &ReviewMatter) -> Checked {
    let (idx, by) = next_step(ctx, matters, &e.matter, Step::TownshipReview)?;
    Ok(record(
        ctx,
        idx,
        Action::TownshipReview(TownshipReview {
            by,
            decision: e.decision.clone(),
        }),
    ))
}

pub(crate) fn resolve(ctx: &Ctx, matters: &Matters, e: &ResolveMatter) -> Checked {
    let (idx, _) = next_step(ctx, matters, &e.matter, Step::VillagersResolution)?;
    let (attending, votes_for) = (e.attending, e.votes_for);
    bounded(
        "event.attending",
        attending,
        1,
        MAX_MEETING,
        ("会议人数上限", "the most a meeting counts"),
    )?;
    bounded(
        "event.for",
        votes_for,
        0,
        attending,
        ("实到人数", "those attending"),
    )?;
    let passed = VillagersMeeting::passes(&ctx.rules.deliberation, attending, votes_for);
    Ok(record(
        ctx,
        idx,
        Action::VillagersResolution(VillagersMeeting {
            attending,
            votes_for,
            passed,
        }),
    ))
}

pub(crate) fn publish_resolution(ctx: &Ctx, matters: &Matters, e: &PublishResolution) -> Checked {
    let (idx, _) = next_step(ctx, matters, &e.matter, Step::ResolutionPublication)?;
    Ok(record(ctx, idx, Action::ResolutionPublication))
}

pub(crate) fn publish_result(ctx: &Ctx, matters: &Matters, e: &PublishResult) -> Checked {
    let (idx, _) = next_step(ctx, matters, &e.matter, Step::ResultPublication)?;
    Ok(record(
        ctx,
        idx,
        Action::ResultPublication {
            result: e.result.to_string(),
        },
    ))
}

crate::org::checks! {
    records: Matters, change: Change, error: DeliberationError;
    ProposeMatter => propose,
    DiscussMatter => discuss,
    DeliberateMatter => deliberate,
    ReviewMatter => review,
    ResolveMatter => resolve,
    PublishResolution => publish_resolution,
    PublishResult => publish_result,
}
