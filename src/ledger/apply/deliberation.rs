//! Checks for village decisions (四议一审): who may take which step of a matter, in which
//! order, on which day, with which counts.

use super::{Acting, Effect, actor_text, capacity, found, org_on};
use crate::deliberation::{
    Action, CommitteeVote, DeliberationError, MAX_COMMITTEE_MEMBERS, MAX_MEETING, Matter,
    MatterCategory, MatterIdx, MembersMeeting, Next, ReviewVerdict, Step, StepRecord,
    TownshipReview, VillagersMeeting,
};
use crate::ledger::state::State;
use crate::ledger::{Command, EntityKind, LedgerError};
use crate::model::times::{Fact, Mark};
use crate::model::{ExtId, ModelError, Name, OrgIdx, OrgKind};
use crate::org::OrgError;
use crate::rules::RuleSet;

/// The acting organization, if it may take `step` of a matter of `village`: the village's own
/// steps by the village or an organization above it; the review by the village's
/// township-level committee (its parent) or an organization above that, never by the village.
fn may_take(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    village: OrgIdx,
    step: Step,
) -> Result<OrgIdx, LedgerError> {
    let target = if step.by_township() {
        state.org(village).parent
    } else {
        Some(village)
    };
    match (acting, target) {
        (Acting::Org(o, _), Some(t)) if state.is_at_or_above(*o, t) => Ok(*o),
        _ => Err(LedgerError::from(DeliberationError::StepActor {
            actor: actor_text(&cmd.actor),
            step,
            village: state.org(village).id.to_string(),
            target: target.map_or_else(String::new, |t| state.org(t).id.to_string()),
        })),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn propose(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    id: &ExtId,
    village: &ExtId,
    title: &Name,
    text: &str,
    category: Option<MatterCategory>,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let v = org_on(state, "event.village", village, date)?;
    let kind = state.org(v).kind;
    if kind != OrgKind::Village {
        return Err(LedgerError::from(DeliberationError::NotVillage {
            field: "event.village",
            org: village.to_string(),
            kind,
        }));
    }
    may_take(state, cmd, acting, v, Step::Proposal)?;
    if state.matter_by_id(id.as_str()).is_some() {
        return Err(LedgerError::from(OrgError::Duplicate {
            field: "event.id",
            kind: EntityKind::Matter,
            id: id.to_string(),
        }));
    }
    capacity(state.matters().len(), EntityKind::Matter)?;
    Ok(Effect::Deliberation(crate::deliberation::Change::Propose(
        Matter {
            id: id.clone(),
            village: v,
            title: title.clone(),
            text: text.to_string(),
            category,
            proposed: date,
            steps: Vec::new(),
        },
    )))
}

/// The matter `id` names, once every check common to the steps holds: the actor may take
/// `step`, it was not taken already, the matter is open, `step` is the next one in the rules'
/// order, and the command is dated on or after the previous step (and, for a deliberative
/// step, at least `min_days_between_steps` after it). With it, the acting organization.
fn next_step(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    id: &ExtId,
    step: Step,
) -> Result<(MatterIdx, OrgIdx), LedgerError> {
    let idx = found(
        state.matter_by_id(id.as_str()),
        "event.matter",
        EntityKind::Matter,
        id,
    )?;
    let m = state.matter(idx);
    let by = may_take(state, cmd, acting, m.village, step)?;
    if let Some(on) = m.day_of(step) {
        return Err(LedgerError::from(DeliberationError::StepRepeated {
            matter: id.to_string(),
            step,
            on: on.to_string(),
        }));
    }
    match m.next(&rules.deliberation) {
        Next::Closed(status) => {
            return Err(LedgerError::from(DeliberationError::MatterClosed {
                matter: id.to_string(),
                status,
                step,
            }));
        }
        Next::Step(next) if next != step => {
            return Err(LedgerError::from(DeliberationError::StepOutOfOrder {
                matter: id.to_string(),
                step,
                next,
            }));
        }
        Next::Step(_) => {}
    }
    let date = cmd.at.date;
    let previous_step = m.steps.last().map_or(Step::Proposal, |s| s.action.step());
    let previous = m.last_day();
    let mark = match m.steps.len().checked_sub(1) {
        Some(i) => Mark(Fact::MatterStep, idx.0, i as u32),
        None => Mark(Fact::MatterProposed, idx.0, 0),
    };
    if state.times().before(cmd.at, mark, previous) {
        return Err(LedgerError::from(DeliberationError::StepBeforePrevious {
            matter: id.to_string(),
            step,
            at: cmd.at.to_string(),
            previous_step,
            previous: state.times().stamp(mark, previous).to_string(),
        }));
    }
    if let Some(days) = rules.deliberation.min_days_between_steps
        && step.is_deliberative()
    {
        let earliest = previous.saturating_add(jiff::Span::new().days(i64::from(days)));
        if date < earliest {
            return Err(LedgerError::from(DeliberationError::StepTooSoon {
                matter: id.to_string(),
                step,
                at: date.to_string(),
                previous_step,
                min_days: days,
                earliest: earliest.to_string(),
            }));
        }
    }
    Ok((idx, by))
}

/// `value` must lie in `min..=max`; `max_is` says what the bound is (Chinese, English), for
/// the message.
fn bounded(
    field: &'static str,
    value: u32,
    min: u32,
    max: u32,
    max_is: (&str, &str),
) -> Result<(), LedgerError> {
    if (min..=max).contains(&value) {
        return Ok(());
    }
    Err(LedgerError::Invalid(ModelError::new(
        field,
        crate::Reason::OutOfRange {
            min: min.to_string(),
            max: format!("{max} ({} / {})", max_is.0, max_is.1),
        },
    )))
}

fn record(idx: MatterIdx, cmd: &Command, action: Action) -> Effect {
    Effect::Deliberation(crate::deliberation::Change::Step {
        matter: idx,
        record: StepRecord {
            on: cmd.at.date,
            action,
        },
    })
}

#[allow(clippy::too_many_arguments)]
pub(super) fn discuss(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    matter: &ExtId,
    votes_for: u32,
    against: u32,
    total: u32,
) -> Result<Effect, LedgerError> {
    let (idx, _) = next_step(state, rules, cmd, acting, matter, Step::CommitteeDiscussion)?;
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
        total - votes_for,
        (
            "两委成员数减赞成票",
            "the committees' members not voting for",
        ),
    )?;
    let passed = CommitteeVote::passes(&rules.deliberation, votes_for, total);
    Ok(record(
        idx,
        cmd,
        Action::CommitteeDiscussion(CommitteeVote {
            votes_for,
            against,
            total,
            passed,
        }),
    ))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn deliberate(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    matter: &ExtId,
    expected: u32,
    attending: u32,
    votes_for: u32,
) -> Result<Effect, LedgerError> {
    let (idx, _) = next_step(state, rules, cmd, acting, matter, Step::MembersDeliberation)?;
    let r = &rules.deliberation;
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
        return Err(LedgerError::from(DeliberationError::NoQuorum {
            attending,
            expected,
            required: r.members_attendance_min.least_at_least(expected),
        }));
    }
    let passed = MembersMeeting::passes(r, expected, votes_for);
    Ok(record(
        idx,
        cmd,
        Action::MembersDeliberation(MembersMeeting {
            expected,
            attending,
            votes_for,
            passed,
        }),
    ))
}

pub(super) fn review(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    matter: &ExtId,
    decision: &ReviewVerdict,
) -> Result<Effect, LedgerError> {
    let (idx, by) = next_step(state, rules, cmd, acting, matter, Step::TownshipReview)?;
    Ok(record(
        idx,
        cmd,
        Action::TownshipReview(TownshipReview {
            by,
            decision: decision.clone(),
        }),
    ))
}

pub(super) fn resolve(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    matter: &ExtId,
    attending: u32,
    votes_for: u32,
) -> Result<Effect, LedgerError> {
    let (idx, _) = next_step(state, rules, cmd, acting, matter, Step::VillagersResolution)?;
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
    let passed = VillagersMeeting::passes(&rules.deliberation, attending, votes_for);
    Ok(record(
        idx,
        cmd,
        Action::VillagersResolution(VillagersMeeting {
            attending,
            votes_for,
            passed,
        }),
    ))
}

pub(super) fn publish_resolution(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    matter: &ExtId,
) -> Result<Effect, LedgerError> {
    let (idx, _) = next_step(
        state,
        rules,
        cmd,
        acting,
        matter,
        Step::ResolutionPublication,
    )?;
    Ok(record(idx, cmd, Action::ResolutionPublication))
}

pub(super) fn publish_result(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    matter: &ExtId,
    result: &str,
) -> Result<Effect, LedgerError> {
    let (idx, _) = next_step(state, rules, cmd, acting, matter, Step::ResultPublication)?;
    Ok(record(
        idx,
        cmd,
        Action::ResultPublication {
            result: result.to_string(),
        },
    ))
}
