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
        let root = crate::org::create_root(state.registry(), cmd.at, &cmd.actor, e);
        return to(root, Effect::Org);
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
        Event::CreateOrg(e) => to(tree::create_org(ctx, e), Effect::Org),
        Event::MoveOrg(e) => to(tree::move_org(ctx, e), Effect::Org),
        Event::RenameOrg(e) => to(tree::rename_org(ctx, e), Effect::Org),
        Event::AddMember(e) => to(tree::add_member(ctx, e), Effect::Org),
        Event::PostMember(e) => to(tree::post_member(ctx, state, e), Effect::Org),
        Event::SetLeaderLevel(e) => to(tree::set_leader_level(ctx, e), Effect::Org),
        Event::RegisterUnit(e) => to(tree::register_unit(ctx, e), Effect::Org),
        Event::SetUnitEligibility(e) => to(tree::set_unit_eligibility(ctx, e), Effect::Org),
        Event::CoverUnit(e) => to(tree::cover_unit(ctx, e), Effect::Org),
        Event::DraftPledge(e) => to(pl::draft(ctx, p, e), Effect::Pledge),
        Event::RevisePledge(e) => to(pl::revise(ctx, p, e), Effect::Pledge),
        Event::SubmitPledge(e) => to(pl::submit(ctx, p, e), Effect::Pledge),
        Event::ReviewPledge(e) => to(pl::review(ctx, p, e), Effect::Pledge),
        Event::PublishPledge(e) => to(pl::publish(ctx, p, e), Effect::Pledge),
        Event::ReportProgress(e) => to(pl::report_progress(ctx, p, e), Effect::Pledge),
        Event::RecordFulfilment(e) => to(pl::record_fulfilment(ctx, p, e), Effect::Pledge),
        Event::FulfilPledge(e) => to(pl::fulfil(ctx, p, e), Effect::Pledge),
        Event::ClosePledge(e) => to(pl::close(ctx, p, e), Effect::Pledge),
        Event::UrgePledge(e) => to(pl::urge(ctx, p, e), Effect::Pledge),
        Event::RecordEvaluation(e) => to(pl::record_evaluation(ctx, p, e), Effect::Pledge),
        Event::RecordMemberEvaluation(e) => to(
            ev::record_member_evaluation(ctx, state.evaluations(), e),
            Effect::MemberEvaluation,
        ),
        Event::RegisterHousehold(e) => {
            to(method123::register_household(ctx, m, e), Effect::Method123)
        }
        Event::RemoveHousehold(e) => to(method123::remove_household(ctx, m, e), Effect::Method123),
        Event::RecordReception(e) => to(method123::record_reception(ctx, e), Effect::Method123),
        Event::RecordVisit(e) => to(method123::record_visit(ctx, m, e), Effect::Method123),
        Event::RaiseConcern(e) => to(method123::raise_concern(ctx, m, e), Effect::Method123),
        Event::EscalateConcern(e) => to(method123::escalate(ctx, m, e), Effect::Method123),
        Event::ResolveConcern(e) => to(method123::resolve(ctx, m, e), Effect::Method123),
        Event::ProposeMatter(e) => to(dl::propose(ctx, d, e), Effect::Deliberation),
        Event::DiscussMatter(e) => to(dl::discuss(ctx, d, e), Effect::Deliberation),
        Event::DeliberateMatter(e) => to(dl::deliberate(ctx, d, e), Effect::Deliberation),
        Event::ReviewMatter(e) => to(dl::review(ctx, d, e), Effect::Deliberation),
        Event::ResolveMatter(e) => to(dl::resolve(ctx, d, e), Effect::Deliberation),
        Event::PublishResolution(e) => to(dl::publish_resolution(ctx, d, e), Effect::Deliberation),
        Event::PublishResult(e) => to(dl::publish_result(ctx, d, e), Effect::Deliberation),
        Event::ReceiveHotlineCase(e) => to(act::receive_case(ctx, a, e), Effect::Activity),
        Event::ResolveHotlineCase(e) => to(act::resolve_case(ctx, a, e), Effect::Activity),
        Event::ReplyHotlineCase(e) => to(act::reply_case(ctx, a, e), Effect::Activity),
        Event::RecordDonation(e) => to(act::donation(ctx, a, e), Effect::Activity),
        Event::RecordHomeVisit(e) => to(act::home_visit(ctx, a, e), Effect::Activity),
        Event::FoundVolunteerTeam(e) => to(act::found_team(ctx, a, e), Effect::Activity),
        Event::JoinVolunteerTeam(e) => to(act::join_team(ctx, a, e), Effect::Activity),
        Event::LeaveVolunteerTeam(e) => to(act::leave_team(ctx, a, e), Effect::Activity),
        Event::RecordVolunteerActivity(e) => to(act::team_activity(ctx, a, e), Effect::Activity),
        Event::LinkContactPoint(e) => to(act::link(ctx, a, e), Effect::Activity),
        Event::UnlinkContactPoint(e) => to(act::unlink(ctx, a, e), Effect::Activity),
        Event::AssignInstructor(e) => to(act::assign(ctx, a, e), Effect::Activity),
        Event::UnassignInstructor(e) => to(act::unassign(ctx, a, e), Effect::Activity),
        Event::RecordActivity(e) => to(act::activity(ctx, a, e), Effect::Activity),
    }
}

/// A domain's checked change as the ledger's effect (`wrap`), or its refusal as the ledger's
/// error.
fn to<C, E>(r: Result<C, E>, wrap: fn(C) -> Effect) -> Result<Effect, LedgerError>
where
    LedgerError: From<E>,
{
    r.map(wrap).map_err(LedgerError::from)
}
