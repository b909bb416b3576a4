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
    match &cmd.event {
        Event::CreateOrg(e) => org(crate::org::create_org(&ctx, e)),
        Event::MoveOrg(e) => org(crate::org::move_org(&ctx, e)),
        Event::RenameOrg(e) => org(crate::org::rename_org(&ctx, e)),
        Event::AddMember(e) => org(crate::org::add_member(&ctx, e)),
        Event::PostMember(e) => org(crate::org::post_member(&ctx, state, e)),
        Event::SetLeaderLevel(e) => org(crate::org::set_leader_level(&ctx, e)),
        Event::RegisterUnit(e) => org(crate::org::register_unit(&ctx, e)),
        Event::SetUnitEligibility(e) => org(crate::org::set_unit_eligibility(&ctx, e)),
        Event::DraftPledge(e) => pledge(crate::pledge::draft(&ctx, state.pledge_records(), e)),
        Event::RevisePledge(e) => pledge(crate::pledge::revise(&ctx, state.pledge_records(), e)),
        Event::SubmitPledge(e) => pledge(crate::pledge::submit(&ctx, state.pledge_records(), e)),
        Event::ReviewPledge(e) => pledge(crate::pledge::review(&ctx, state.pledge_records(), e)),
        Event::PublishPledge(e) => pledge(crate::pledge::publish(&ctx, state.pledge_records(), e)),
        Event::ReportProgress(e) => pledge(crate::pledge::report_progress(
            &ctx,
            state.pledge_records(),
            e,
        )),
        Event::RecordFulfilment(e) => pledge(crate::pledge::record_fulfilment(
            &ctx,
            state.pledge_records(),
            e,
        )),
        Event::FulfilPledge(e) => pledge(crate::pledge::fulfil(&ctx, state.pledge_records(), e)),
        Event::ClosePledge(e) => pledge(crate::pledge::close(&ctx, state.pledge_records(), e)),
        Event::UrgePledge(e) => pledge(crate::pledge::urge(&ctx, state.pledge_records(), e)),
        Event::RecordMemberEvaluation(e) => {
            crate::evaluation::record_member_evaluation(&ctx, state.evaluations(), e)
                .map(Effect::MemberEvaluation)
                .map_err(LedgerError::from)
        }
        Event::RegisterHousehold(e) => {
            m123(method123::register_household(&ctx, state.method123(), e))
        }
        Event::RemoveHousehold(e) => m123(method123::remove_household(&ctx, state.method123(), e)),
        Event::RecordReception(e) => m123(method123::record_reception(&ctx, e)),
        Event::RecordVisit(e) => m123(method123::record_visit(&ctx, state.method123(), e)),
        Event::RaiseConcern(e) => m123(method123::raise_concern(&ctx, state.method123(), e)),
        Event::EscalateConcern(e) => m123(method123::escalate(&ctx, state.method123(), e)),
        Event::ResolveConcern(e) => m123(method123::resolve(&ctx, state.method123(), e)),
        Event::RecordEvaluation(e) => pledge(crate::pledge::record_evaluation(
            &ctx,
            state.pledge_records(),
            e,
        )),
        Event::ProposeMatter(e) => {
            deliberation(crate::deliberation::propose(&ctx, state.deliberation(), e))
        }
        Event::DiscussMatter(e) => {
            deliberation(crate::deliberation::discuss(&ctx, state.deliberation(), e))
        }
        Event::DeliberateMatter(e) => deliberation(crate::deliberation::deliberate(
            &ctx,
            state.deliberation(),
            e,
        )),
        Event::ReviewMatter(e) => {
            deliberation(crate::deliberation::review(&ctx, state.deliberation(), e))
        }
        Event::ResolveMatter(e) => {
            deliberation(crate::deliberation::resolve(&ctx, state.deliberation(), e))
        }
        Event::PublishResolution(e) => deliberation(crate::deliberation::publish_resolution(
            &ctx,
            state.deliberation(),
            e,
        )),
        Event::PublishResult(e) => deliberation(crate::deliberation::publish_result(
            &ctx,
            state.deliberation(),
            e,
        )),
        Event::CoverUnit(e) => org(crate::org::cover_unit(&ctx, e)),
        Event::ReceiveHotlineCase(e) => {
            activity(crate::activity::receive_case(&ctx, state.activity(), e))
        }
        Event::ResolveHotlineCase(e) => {
            activity(crate::activity::resolve_case(&ctx, state.activity(), e))
        }
        Event::ReplyHotlineCase(e) => {
            activity(crate::activity::reply_case(&ctx, state.activity(), e))
        }
        Event::RecordDonation(e) => activity(crate::activity::donation(&ctx, state.activity(), e)),
        Event::RecordHomeVisit(e) => {
            activity(crate::activity::home_visit(&ctx, state.activity(), e))
        }
        Event::FoundVolunteerTeam(e) => {
            activity(crate::activity::found_team(&ctx, state.activity(), e))
        }
        Event::JoinVolunteerTeam(e) => {
            activity(crate::activity::join_team(&ctx, state.activity(), e))
        }
        Event::LeaveVolunteerTeam(e) => {
            activity(crate::activity::leave_team(&ctx, state.activity(), e))
        }
        Event::RecordVolunteerActivity(e) => {
            activity(crate::activity::team_activity(&ctx, state.activity(), e))
        }
        Event::LinkContactPoint(e) => activity(crate::activity::link(&ctx, state.activity(), e)),
        Event::UnlinkContactPoint(e) => {
            activity(crate::activity::unlink(&ctx, state.activity(), e))
        }
        Event::AssignInstructor(e) => activity(crate::activity::assign(&ctx, state.activity(), e)),
        Event::UnassignInstructor(e) => {
            activity(crate::activity::unassign(&ctx, state.activity(), e))
        }
        Event::RecordActivity(e) => activity(crate::activity::activity(&ctx, state.activity(), e)),
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
