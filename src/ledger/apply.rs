//! Checking a command against the state and the rules, then applying it.
//!
//! [`check`] is pure: it reads the state, resolves every identifier, checks the actor's
//! authority and every invariant the change could break, and returns an [`Effect`] holding
//! resolved indices. [`apply`] cannot fail. So a refused command changes nothing, and an
//! accepted one is applied whole.

use crate::org::OrgError;
use jiff::civil::Date;

use super::state::State;
use super::{Command, EntityKind, Event, LedgerError};
use crate::method123;
use crate::model::Stamp;
use crate::model::times::{Fact, Mark};
use crate::model::{ExtId, MemberIdx, OrgIdx};
use crate::rules::RuleSet;

mod deliberation;
mod pledge;

/// A checked change, with every identifier resolved.
#[derive(Debug)]
pub(crate) enum Effect {
    Org(crate::org::Change),
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
    Method123(crate::method123::Change),
    ProposeMatter(crate::deliberation::Matter),
    MatterStep {
        matter: crate::deliberation::MatterIdx,
        record: crate::deliberation::StepRecord,
    },
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
    let n = |len: usize| len as u32;
    Some(match effect {
        Effect::Org(change) => return crate::org::mark_of(state.registry(), change),
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
        Effect::ProposeMatter(_) => Mark(Fact::MatterProposed, n(state.matters().len()), 0),
        Effect::MatterStep { matter, .. } => Mark(
            Fact::MatterStep,
            matter.0,
            n(state.matter(*matter).steps.len()),
        ),
        Effect::Method123(change) => return crate::method123::mark_of(state.method123(), change),
        Effect::Activity(change) => return crate::activity::mark_of(state.activity(), change),
        _ => return None,
    })
}

fn apply_effect(state: &mut State, effect: Effect) {
    match effect {
        Effect::Org(change) => crate::org::apply(state.registry_mut(), change),
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
        Effect::Method123(change) => crate::method123::apply(state.method123_mut(), change),
        Effect::ProposeMatter(matter) => {
            state.push_matter(matter);
        }
        Effect::MatterStep { matter, record } => state.matter_mut(matter).steps.push(record),
        Effect::Activity(change) => crate::activity::apply(state.activity_mut(), change),
    }
}

// The org seam's lookups, authority and ordering, as the checks not yet moved into their
// domains call them (with the ledger's error).

use crate::org::{Acting, actor_text};

fn found<I>(
    found: Option<I>,
    field: &'static str,
    kind: EntityKind,
    id: &ExtId,
) -> Result<I, LedgerError> {
    Ok(crate::org::found(found, field, kind, id)?)
}

fn org_on(
    state: &State,
    field: &'static str,
    id: &ExtId,
    date: Date,
) -> Result<OrgIdx, LedgerError> {
    Ok(crate::org::org_on(state.registry(), field, id, date)?)
}

fn member_on(
    state: &State,
    field: &'static str,
    id: &ExtId,
    date: Date,
) -> Result<MemberIdx, LedgerError> {
    Ok(crate::org::member_on(state.registry(), field, id, date)?)
}

fn member_of(state: &State, field: &'static str, id: &ExtId) -> Result<MemberIdx, LedgerError> {
    Ok(crate::org::member_of(state.registry(), field, id)?)
}

fn authority(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    target: OrgIdx,
    strict: bool,
) -> Result<(), LedgerError> {
    Ok(crate::org::authority(
        state.registry(),
        &cmd.actor,
        *acting,
        target,
        strict,
    )?)
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
    Ok(crate::org::capacity(len, kind)?)
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
    let acting = ctx.acting;
    match &cmd.event {
        Event::CreateOrg(e) => org(crate::org::create_org(&ctx, e)),
        Event::MoveOrg(e) => org(crate::org::move_org(&ctx, e)),
        Event::RenameOrg(e) => org(crate::org::rename_org(&ctx, e)),
        Event::AddMember(e) => org(crate::org::add_member(&ctx, e)),
        Event::PostMember(e) => org(crate::org::post_member(&ctx, state, e)),
        Event::SetLeaderLevel(e) => org(crate::org::set_leader_level(&ctx, e)),
        Event::RegisterUnit(e) => org(crate::org::register_unit(&ctx, e)),
        Event::SetUnitEligibility(e) => org(crate::org::set_unit_eligibility(&ctx, e)),
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
        Event::RegisterHousehold(e) => {
            m123(method123::register_household(&ctx, state.method123(), e))
        }
        Event::RemoveHousehold(e) => m123(method123::remove_household(&ctx, state.method123(), e)),
        Event::RecordReception(e) => m123(method123::record_reception(&ctx, e)),
        Event::RecordVisit(e) => m123(method123::record_visit(&ctx, state.method123(), e)),
        Event::RaiseConcern(e) => m123(method123::raise_concern(&ctx, state.method123(), e)),
        Event::EscalateConcern(e) => m123(method123::escalate(&ctx, state.method123(), e)),
        Event::ResolveConcern(e) => m123(method123::resolve(&ctx, state.method123(), e)),
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

fn out_of_order(field: &'static str, at: Date, latest: Date) -> LedgerError {
    crate::org::out_of_order(field, at, latest).into()
}

/// The command at `cmd.at` must not come before the fact `mark` of `field`, dated `date`.
fn not_before(
    state: &State,
    field: &'static str,
    at: Stamp,
    fact: (Mark, Date),
) -> Result<(), LedgerError> {
    Ok(crate::org::not_before(state.times(), field, at, fact)?)
}

/// A domain's checked change as the ledger's effect, or its refusal as the ledger's error.
fn m123(
    r: Result<crate::method123::Change, crate::method123::Method123Error>,
) -> Result<Effect, LedgerError> {
    r.map(Effect::Method123).map_err(LedgerError::from)
}

fn org(r: Result<crate::org::Change, OrgError>) -> Result<Effect, LedgerError> {
    r.map(Effect::Org).map_err(LedgerError::from)
}

fn activity(
    r: Result<crate::activity::Change, crate::activity::ActivityError>,
) -> Result<Effect, LedgerError> {
    r.map(Effect::Activity).map_err(LedgerError::from)
}
