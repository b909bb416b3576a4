//! Checking a command against the state and the rules, then applying it.
//!
//! [`check`] is pure: it reads the state, resolves every identifier, checks the actor's
//! authority and every invariant the change could break, and returns an [`Effect`] holding
//! resolved indices. [`apply`] cannot fail. So a refused command changes nothing, and an
//! accepted one is applied whole.

use crate::org::OrgError;
use jiff::civil::Date;

use super::state::State;
use super::{Command, Event, LedgerError};
use crate::method123;
use crate::model::times::Mark;
use crate::org::Ctx;
use crate::rules::RuleSet;

/// A checked change, with every identifier resolved.
#[derive(Debug)]
pub(crate) enum Effect {
    Org(crate::org::Change),
    Pledge(crate::pledge::Change),
    MemberEvaluation(crate::evaluation::MemberEvaluationInputs),
    Method123(crate::method123::Change),
    Deliberation(crate::deliberation::Change),
    Activity(crate::activity::Change),
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
/// [`times`](crate::model::times) keys it (positions are the lists' lengths before the change).
fn mark_of(state: &State, effect: &Effect) -> Option<Mark> {
    match effect {
        Effect::Org(change) => crate::org::mark_of(state.registry(), change),
        Effect::Pledge(change) => crate::pledge::mark_of(state.pledge_records(), change),
        Effect::Deliberation(change) => crate::deliberation::mark_of(state.deliberation(), change),
        Effect::Method123(change) => crate::method123::mark_of(state.method123(), change),
        Effect::Activity(change) => crate::activity::mark_of(state.activity(), change),
        Effect::MemberEvaluation(_) => None,
    }
}

fn apply_effect(state: &mut State, effect: Effect) {
    match effect {
        Effect::Org(change) => crate::org::apply(state.registry_mut(), change),
        Effect::Pledge(change) => crate::pledge::apply(state.pledges_mut(), change),
        Effect::MemberEvaluation(e) => crate::evaluation::apply(state.evaluations_mut(), e),
        Effect::Method123(change) => crate::method123::apply(state.method123_mut(), change),
        Effect::Deliberation(change) => {
            crate::deliberation::apply(state.deliberation_mut(), change);
        }
        Effect::Activity(change) => crate::activity::apply(state.activity_mut(), change),
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
    in_window(rules, cmd.at.date)?;
    if let Event::CreateOrg(e) = &cmd.event
        && e.parent.is_none()
    {
        return org(crate::org::create_root(
            state.registry(),
            cmd.at,
            &cmd.actor,
            e,
        ));
    }
    if state.root().is_none() {
        return Err(LedgerError::from(OrgError::Root {
            why: "the first command of a campaign must create its root organization",
        }));
    }
    let ctx = crate::org::Ctx::new(state.registry(), state.times(), rules, cmd.at, &cmd.actor)?;
    dispatch(&ctx, state, &cmd.event)
}

/// The command's date must fall in the campaign's window (`rules.window`).
fn in_window(rules: &RuleSet, date: Date) -> Result<(), LedgerError> {
    if rules.window.contains(date) {
        return Ok(());
    }
    let bound = |d: Option<Date>| d.map_or("…".to_string(), |d| d.to_string());
    Err(LedgerError::OutsideCampaign {
        at: date.to_string(),
        window: format!(
            "{} – {}",
            bound(rules.window.starts),
            bound(rules.window.ends)
        ),
    })
}

/// Each event to its domain's check, with the domain's part of the state: one line each.
fn dispatch(ctx: &Ctx, state: &State, event: &Event) -> Result<Effect, LedgerError> {
    use crate::{activity as act, deliberation as dl, evaluation as ev, org as tree, pledge as pl};
    let (p, m, d, a) = (
        state.pledge_records(),
        state.method123(),
        state.deliberation(),
        state.activity(),
    );
    match event {
        Event::CreateOrg(e) => org(tree::create_org(ctx, e)),
        Event::MoveOrg(e) => org(tree::move_org(ctx, e)),
        Event::RenameOrg(e) => org(tree::rename_org(ctx, e)),
        Event::AddMember(e) => org(tree::add_member(ctx, e)),
        Event::PostMember(e) => org(tree::post_member(ctx, state, e)),
        Event::SetLeaderLevel(e) => org(tree::set_leader_level(ctx, e)),
        Event::RegisterUnit(e) => org(tree::register_unit(ctx, e)),
        Event::SetUnitEligibility(e) => org(tree::set_unit_eligibility(ctx, e)),
        Event::CoverUnit(e) => org(tree::cover_unit(ctx, e)),
        Event::DraftPledge(e) => pledge(pl::draft(ctx, p, e)),
        Event::RevisePledge(e) => pledge(pl::revise(ctx, p, e)),
        Event::SubmitPledge(e) => pledge(pl::submit(ctx, p, e)),
        Event::ReviewPledge(e) => pledge(pl::review(ctx, p, e)),
        Event::PublishPledge(e) => pledge(pl::publish(ctx, p, e)),
        Event::ReportProgress(e) => pledge(pl::report_progress(ctx, p, e)),
        Event::RecordFulfilment(e) => pledge(pl::record_fulfilment(ctx, p, e)),
        Event::FulfilPledge(e) => pledge(pl::fulfil(ctx, p, e)),
        Event::ClosePledge(e) => pledge(pl::close(ctx, p, e)),
        Event::UrgePledge(e) => pledge(pl::urge(ctx, p, e)),
        Event::RecordEvaluation(e) => pledge(pl::record_evaluation(ctx, p, e)),
        Event::RecordMemberEvaluation(e) => {
            evaluation(ev::record_member_evaluation(ctx, state.evaluations(), e))
        }
        Event::RegisterHousehold(e) => m123(method123::register_household(ctx, m, e)),
        Event::RemoveHousehold(e) => m123(method123::remove_household(ctx, m, e)),
        Event::RecordReception(e) => m123(method123::record_reception(ctx, e)),
        Event::RecordVisit(e) => m123(method123::record_visit(ctx, m, e)),
        Event::RaiseConcern(e) => m123(method123::raise_concern(ctx, m, e)),
        Event::EscalateConcern(e) => m123(method123::escalate(ctx, m, e)),
        Event::ResolveConcern(e) => m123(method123::resolve(ctx, m, e)),
        Event::ProposeMatter(e) => deliberation(dl::propose(ctx, d, e)),
        Event::DiscussMatter(e) => deliberation(dl::discuss(ctx, d, e)),
        Event::DeliberateMatter(e) => deliberation(dl::deliberate(ctx, d, e)),
        Event::ReviewMatter(e) => deliberation(dl::review(ctx, d, e)),
        Event::ResolveMatter(e) => deliberation(dl::resolve(ctx, d, e)),
        Event::PublishResolution(e) => deliberation(dl::publish_resolution(ctx, d, e)),
        Event::PublishResult(e) => deliberation(dl::publish_result(ctx, d, e)),
        Event::ReceiveHotlineCase(e) => activity(act::receive_case(ctx, a, e)),
        Event::ResolveHotlineCase(e) => activity(act::resolve_case(ctx, a, e)),
        Event::ReplyHotlineCase(e) => activity(act::reply_case(ctx, a, e)),
        Event::RecordDonation(e) => activity(act::donation(ctx, a, e)),
        Event::RecordHomeVisit(e) => activity(act::home_visit(ctx, a, e)),
        Event::FoundVolunteerTeam(e) => activity(act::found_team(ctx, a, e)),
        Event::JoinVolunteerTeam(e) => activity(act::join_team(ctx, a, e)),
        Event::LeaveVolunteerTeam(e) => activity(act::leave_team(ctx, a, e)),
        Event::RecordVolunteerActivity(e) => activity(act::team_activity(ctx, a, e)),
        Event::LinkContactPoint(e) => activity(act::link(ctx, a, e)),
        Event::UnlinkContactPoint(e) => activity(act::unlink(ctx, a, e)),
        Event::AssignInstructor(e) => activity(act::assign(ctx, a, e)),
        Event::UnassignInstructor(e) => activity(act::unassign(ctx, a, e)),
        Event::RecordActivity(e) => activity(act::activity(ctx, a, e)),
    }
}

/// A domain's checked change as the ledger's effect, or its refusal as the ledger's error.
fn m123(
    r: Result<crate::method123::Change, crate::method123::Method123Error>,
) -> Result<Effect, LedgerError> {
    r.map(Effect::Method123).map_err(LedgerError::from)
}

fn pledge(
    r: Result<crate::pledge::Change, crate::pledge::PledgeError>,
) -> Result<Effect, LedgerError> {
    r.map(Effect::Pledge).map_err(LedgerError::from)
}

fn org(r: Result<crate::org::Change, OrgError>) -> Result<Effect, LedgerError> {
    r.map(Effect::Org).map_err(LedgerError::from)
}

fn deliberation(
    r: Result<crate::deliberation::Change, crate::deliberation::DeliberationError>,
) -> Result<Effect, LedgerError> {
    r.map(Effect::Deliberation).map_err(LedgerError::from)
}

fn activity(
    r: Result<crate::activity::Change, crate::activity::ActivityError>,
) -> Result<Effect, LedgerError> {
    r.map(Effect::Activity).map_err(LedgerError::from)
}

fn evaluation(
    r: Result<crate::evaluation::MemberEvaluationInputs, OrgError>,
) -> Result<Effect, LedgerError> {
    r.map(Effect::MemberEvaluation).map_err(LedgerError::from)
}
