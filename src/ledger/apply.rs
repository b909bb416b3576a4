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
use crate::model::times::Mark;
use crate::org::{Ctx, Rule};
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
        return root.map(Effect::Org).map_err(LedgerError::from);
    }
    if state.root().is_none() {
        return Err(LedgerError::from(OrgError::Root {
            why: "the first command of a campaign must create its root organization",
        }));
    }
    let ctx = crate::org::Ctx::new(state.registry(), state.times(), rules, cmd.at, &cmd.actor)?;
    cmd.event.check(&ctx, state)
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

/// An event to its domain's rule (the arms of [`Event::check`], one per event, come from the
/// event table): the domain's checked change as the ledger's effect, or its refusal as the
/// ledger's error.
pub(super) fn run<E>(ctx: &Ctx, state: &State, event: &E) -> Result<Effect, LedgerError>
where
    E: Rule<State>,
    Effect: From<E::Change>,
    LedgerError: From<E::Error>,
{
    event
        .check(ctx, state)
        .map(Effect::from)
        .map_err(LedgerError::from)
}

/// Each domain's change is one kind of effect.
macro_rules! effects {
    ($($change:ty => $variant:ident,)*) => {
        $(impl From<$change> for Effect {
            fn from(change: $change) -> Effect {
                Effect::$variant(change)
            }
        })*
    };
}

effects! {
    crate::org::Change => Org,
    crate::pledge::Change => Pledge,
    crate::evaluation::MemberEvaluationInputs => MemberEvaluation,
    crate::method123::Change => Method123,
    crate::deliberation::Change => Deliberation,
    crate::activity::Change => Activity,
}
