//! Checks for the pledge lifecycle (定诺 → 审诺 → 公开): who may take each step, and when.

use crate::org::OrgError;
use jiff::civil::Date;

use super::{
    Acting, Effect, actor_text, authority, found, member_on, not_before, org_on, out_of_order,
};
use crate::ledger::state::{MAX_ENTITIES, State};
use crate::ledger::{Command, EntityKind, LedgerError};
use crate::model::Stamp;
use crate::model::times::{Fact, Mark};
use crate::model::{ExtId, OrgIdx};
use crate::pledge::{
    Carrier, Owner, OwnerRef, Pledge, PledgeContent, PledgeIdx, PledgeStatus, Review,
    ReviewDecision, StatusChange, Versions,
};
use crate::rules::RuleSet;

fn pledge_of(state: &State, id: &ExtId) -> Result<PledgeIdx, LedgerError> {
    found(
        state.pledge_by_id(id.as_str()),
        "event.pledge",
        EntityKind::Pledge,
        id,
    )
}

/// The owner's side may draft, revise, submit and publish: a member for their own pledge, an
/// organization at or above the owner (or the owning member's organization).
fn owner_side(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    owner: Owner,
) -> Result<(), LedgerError> {
    match (acting, owner) {
        (Acting::Member(m), Owner::Member(o)) if *m == o => Ok(()),
        (Acting::Member(_), _) => Err(LedgerError::from(OrgError::NotAuthorized {
            actor: actor_text(&cmd.actor),
            target: "this pledge".into(),
            why: "a member acts only on their own pledges",
        })),
        (Acting::Org(..), owner) => {
            let org = state.owner_org_on(owner, cmd.at.date);
            authority(state, cmd, acting, org, false)
        }
    }
}

/// How many levels above its owner's organization a pledge of `owner` is reviewed.
fn review_levels(rules: &RuleSet, owner: Owner) -> u32 {
    match owner {
        Owner::Org(_) => rules.pledge_review.org_levels_up,
        Owner::Member(_) => rules.pledge_review.member_levels_up,
    }
}

/// A pledge of `owner` must have a reviewer on `date`, or it could never move past `submitted`:
/// the root's own pledge (分级审核: the superior level reviews, and the root has none) and any
/// owner fewer levels below the root than the rules ask.
fn reviewable(state: &State, rules: &RuleSet, owner: Owner, date: Date) -> Result<(), LedgerError> {
    let levels = review_levels(rules, owner);
    let org = state.owner_org_on(owner, date);
    if state.ancestor(org, levels).is_some() {
        return Ok(());
    }
    Err(LedgerError::Unreviewable {
        org: state.org(org).id.to_string(),
        member: match owner {
            Owner::Member(m) => Some(state.member(m).id.to_string()),
            Owner::Org(_) => None,
        },
        levels,
    })
}

/// The carrier of a member's pledge: the one named, or the usual one of the member's category;
/// a member of a category without one (`other`) must name it, so that every member's pledge
/// counts under one of the four carriers.
fn member_carrier(
    state: &State,
    m: crate::model::MemberIdx,
    named: Option<Carrier>,
) -> Result<Carrier, LedgerError> {
    let member = state.member(m);
    named
        .or(Carrier::usual_for(member.category))
        .ok_or_else(|| LedgerError::CarrierRequired {
            member: member.id.to_string(),
            category: member.category.as_str(),
        })
}

/// The organization that reviews `pledge`: `levels` above its owner, per the rules.
pub(super) fn reviewer_of(
    state: &State,
    rules: &RuleSet,
    pledge: &Pledge,
    date: Date,
) -> Result<OrgIdx, LedgerError> {
    let levels = review_levels(rules, pledge.owner);
    state
        .ancestor(state.owner_org_on(pledge.owner, date), levels)
        .ok_or_else(|| LedgerError::NoReviewer {
            pledge: pledge.id.to_string(),
            levels,
        })
}

/// A member acting for the reviewer may not judge their own pledge.
fn not_own(state: &State, acting: &Acting, owner: Owner) -> Result<(), LedgerError> {
    match (acting, owner) {
        (Acting::Org(_, Some(by)), Owner::Member(m)) if *by == m => Err(LedgerError::SelfReview {
            member: state.member(m).id.to_string(),
        }),
        _ => Ok(()),
    }
}

/// A record of a list kept in date order (not dated before the `latest` one of `field`) and
/// one per period (the seam's `one_per_period`).
fn one_per_period_in_order(
    state: &State,
    (field, at, latest): (&'static str, Stamp, Option<(Mark, Date)>),
    exists: bool,
    correction: bool,
    period: &str,
) -> Result<(), LedgerError> {
    if let Some(latest) = latest {
        not_before(state, field, at, latest)?;
    }
    Ok(crate::org::one_per_period(exists, correction, period)?)
}

/// The pledge's latest change of status, as an ordering check keys it.
fn last_status(idx: PledgeIdx, p: &Pledge) -> (Mark, Date) {
    let last = p.status.len().saturating_sub(1) as u32;
    (
        Mark(Fact::PledgeStatus, idx.0, last),
        p.status.current().from,
    )
}

/// The pledge's publication, as an ordering check keys it.
fn publication(idx: PledgeIdx, p: &Pledge) -> Option<(Mark, Date)> {
    let at = p
        .status
        .iter()
        .position(|s| s.status == PledgeStatus::Published)?;
    Some((
        Mark(Fact::PledgeStatus, idx.0, at as u32),
        p.status[at].from,
    ))
}

/// The last record of one of the pledge's lists, as an ordering check keys it.
fn last_of(
    fact: Fact,
    idx: PledgeIdx,
    dates: impl ExactSizeIterator<Item = Date>,
) -> Option<(Mark, Date)> {
    let n = dates.len();
    let last = dates.last()?;
    Some((Mark(fact, idx.0, (n - 1) as u32), last))
}

fn wrong_status(pledge: &Pledge, action: &'static str) -> LedgerError {
    LedgerError::PledgeStatus {
        pledge: pledge.id.to_string(),
        status: pledge.status.current().status.as_str(),
        action,
    }
}

/// A status change at `at`, which must not be before the pledge's last one.
fn change(
    state: &State,
    idx: PledgeIdx,
    at: Stamp,
    status: PledgeStatus,
) -> Result<StatusChange, LedgerError> {
    let pledge = state.pledge(idx);
    not_before(state, "pledge.status", at, last_status(idx, pledge))?;
    Ok(StatusChange {
        from: at.date,
        status,
    })
}

fn deadline_not_before(
    field: &'static str,
    content: &PledgeContent,
    date: Date,
) -> Result<(), LedgerError> {
    if content.deadline < date {
        return Err(LedgerError::Deadline {
            field,
            deadline: content.deadline.to_string(),
            date: date.to_string(),
        });
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(super) fn draft(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    id: &ExtId,
    owner: &OwnerRef,
    kind: crate::pledge::PledgeKind,
    focus: crate::pledge::Focus,
    carrier: Option<Carrier>,
    content: &PledgeContent,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let owner = match owner {
        OwnerRef::Org(o) => Owner::Org(org_on(state, "event.owner.org", o, date)?),
        OwnerRef::Member(m) => Owner::Member(member_on(state, "event.owner.member", m, date)?),
    };
    owner_side(state, cmd, acting, owner)?;
    let carrier = match owner {
        Owner::Org(_) if carrier.is_some() => return Err(LedgerError::CarrierNotApplicable),
        Owner::Org(_) => None,
        Owner::Member(m) => Some(member_carrier(state, m, carrier)?),
    };
    reviewable(state, rules, owner, date)?;
    if state.pledge_by_id(id.as_str()).is_some() {
        return Err(LedgerError::from(OrgError::Duplicate {
            field: "event.id",
            kind: EntityKind::Pledge,
            id: id.to_string(),
        }));
    }
    deadline_not_before("event.content.deadline", content, date)?;
    if state.pledges().len() as u64 >= MAX_ENTITIES as u64 {
        return Err(LedgerError::from(OrgError::Capacity {
            kind: EntityKind::Pledge,
            max: MAX_ENTITIES,
        }));
    }
    Ok(Effect::DraftPledge(Pledge {
        id: id.clone(),
        owner,
        kind,
        focus,
        carrier,
        versions: Versions::new(content.clone()),
        reviews: Vec::new(),
        status: crate::pledge::StatusLog::drafted(date),
        reports: Vec::new(),
        fulfilments: Vec::new(),
        evaluations: Vec::new(),
        urges: Vec::new(),
        explanation: None,
    }))
}

pub(super) fn revise(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    pledge: &ExtId,
    content: &PledgeContent,
) -> Result<Effect, LedgerError> {
    let idx = pledge_of(state, pledge)?;
    let p = state.pledge(idx);
    owner_side(state, cmd, acting, p.owner)?;
    if !p.status.current().status.may_revise() {
        return Err(wrong_status(p, "revised"));
    }
    // Dated like a status change, so versions follow the status history's order.
    let current = p.status.current().status;
    let same = change(state, idx, cmd.at, current)?;
    if p.content() == content {
        return Err(LedgerError::from(OrgError::NoChange {
            field: "event.content",
            value: "the current version".into(),
        }));
    }
    deadline_not_before("event.content.deadline", content, cmd.at.date)?;
    // Revising an approved pledge lapses the approval: it is a draft again.
    let reopen = (current == PledgeStatus::Approved).then_some(StatusChange {
        status: PledgeStatus::Draft,
        ..same
    });
    Ok(Effect::RevisePledge {
        pledge: idx,
        content: content.clone(),
        reopen,
    })
}

pub(super) fn submit(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    pledge: &ExtId,
) -> Result<Effect, LedgerError> {
    let idx = pledge_of(state, pledge)?;
    let p = state.pledge(idx);
    owner_side(state, cmd, acting, p.owner)?;
    match p.status.current().status {
        PledgeStatus::Draft => {}
        // A returned pledge goes back only after it was revised.
        PledgeStatus::Returned => {
            let returned_version = p.reviews.last().map_or(0, |r| r.version);
            if p.versions.len() as u32 <= returned_version + 1 {
                return Err(wrong_status(p, "submitted again before it is revised"));
            }
        }
        _ => return Err(wrong_status(p, "submitted")),
    }
    Ok(Effect::SetPledgeStatus {
        pledge: idx,
        change: change(state, idx, cmd.at, PledgeStatus::Submitted)?,
        review: None,
    })
}

pub(super) fn review(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    pledge: &ExtId,
    decision: &ReviewDecision,
) -> Result<Effect, LedgerError> {
    let idx = pledge_of(state, pledge)?;
    let p = state.pledge(idx);
    let date = cmd.at.date;
    let reviewer = reviewer_of(state, rules, p, date)?;
    authority(state, cmd, acting, reviewer, false)?;
    not_own(state, acting, p.owner)?;
    if p.status.current().status != PledgeStatus::Submitted {
        return Err(wrong_status(p, "reviewed"));
    }
    let status = match decision {
        ReviewDecision::Approve => PledgeStatus::Approved,
        ReviewDecision::Return { .. } => PledgeStatus::Returned,
    };
    Ok(Effect::SetPledgeStatus {
        pledge: idx,
        change: change(state, idx, cmd.at, status)?,
        review: Some(Review {
            on: date,
            reviewer,
            version: (p.versions.len() - 1) as u32,
            decision: decision.clone(),
        }),
    })
}

pub(super) fn publish(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    pledge: &ExtId,
) -> Result<Effect, LedgerError> {
    let idx = pledge_of(state, pledge)?;
    let p = state.pledge(idx);
    let date = cmd.at.date;
    // The owner publishes (公示); the reviewer, or any organization above it, may too.
    let by_owner = owner_side(state, cmd, acting, p.owner);
    if by_owner.is_err() {
        let reviewer = reviewer_of(state, rules, p, date)?;
        authority(state, cmd, acting, reviewer, false).map_err(|_| {
            by_owner
                .err()
                .unwrap_or(LedgerError::from(OrgError::NotAuthorized {
                    actor: actor_text(&cmd.actor),
                    target: "this pledge".into(),
                    why: "only the owner's side or the reviewer publishes a pledge",
                }))
        })?;
    }
    if p.status.current().status != PledgeStatus::Approved {
        return Err(wrong_status(p, "published"));
    }
    deadline_not_before("pledge.content.deadline", p.content(), date)?;
    Ok(Effect::SetPledgeStatus {
        pledge: idx,
        change: change(state, idx, cmd.at, PledgeStatus::Published)?,
        review: None,
    })
}

/// Most of one output a single fulfilment record may count; bounds every sum.
pub(crate) const MAX_OUTPUT_COUNT: u64 = 1_000_000_000;

/// The pledge must be published (being fulfilled) at `at`.
fn active(
    state: &State,
    idx: PledgeIdx,
    at: Stamp,
    action: &'static str,
) -> Result<(), LedgerError> {
    let p = state.pledge(idx);
    if p.status.current().status != PledgeStatus::Published {
        return Err(wrong_status(p, action));
    }
    not_before(state, "pledge.status", at, last_status(idx, p))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn report_progress(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    pledge: &ExtId,
    month: crate::model::Period,
    achieved: &[crate::pledge::Achieved],
    note: Option<&str>,
    correction: bool,
) -> Result<Effect, LedgerError> {
    use crate::model::{Granularity, Period};
    let idx = pledge_of(state, pledge)?;
    let p = state.pledge(idx);
    let date = cmd.at.date;
    owner_side(state, cmd, acting, p.owner)?;
    active(state, idx, cmd.at, "reported on")?;
    let malformed = |zh: String, en: String| {
        LedgerError::Invalid(crate::model::ModelError::new(
            "event.month",
            crate::Reason::Malformed {
                zh: zh.into(),
                en: en.into(),
            },
        ))
    };
    if month.granularity() != Granularity::Month {
        return Err(malformed(
            format!("{month} 不是月份"),
            format!("{month} is not a month"),
        ));
    }
    let this_month = Period::containing(date, Granularity::Month);
    let published = Period::containing(p.status.current().from, Granularity::Month);
    if month > this_month || month < published {
        return Err(malformed(
            format!("月报月份 {month} 须在发布月份 {published} 与本月 {this_month} 之间"),
            format!(
                "the month {month} must be between the publication month {published} and this month {this_month}"
            ),
        ));
    }
    one_per_period_in_order(
        state,
        (
            "pledge.reports",
            cmd.at,
            last_of(Fact::PledgeReport, idx, p.reports.iter().map(|r| r.filed)),
        ),
        p.reports.iter().any(|r| r.month == month),
        correction,
        "month",
    )?;
    let targets = p.content().targets.len();
    let mut seen = vec![false; targets];
    for a in achieved {
        let i = a.target as usize;
        let Some(slot) = seen.get_mut(i) else {
            return Err(malformed_target(i, targets));
        };
        if std::mem::replace(slot, true) {
            return Err(malformed_target(i, targets));
        }
        crate::model::Quantity::check_value("event.achieved.value", a.value)?;
    }
    Ok(Effect::AddReport {
        pledge: idx,
        report: crate::pledge::ProgressReport {
            month,
            filed: date,
            achieved: achieved.to_vec(),
            note: note.map(str::to_string),
            correction,
        },
    })
}

fn malformed_target(i: usize, targets: usize) -> LedgerError {
    LedgerError::Invalid(crate::model::ModelError::new(
        "event.achieved.target",
        crate::Reason::Malformed {
            zh: format!("目标序号 {i} 重复或超出范围 (共 {targets} 项目标)").into(),
            en: format!("target {i} is repeated or out of range (the pledge has {targets})").into(),
        },
    ))
}

pub(super) fn record_fulfilment(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    pledge: &ExtId,
    outputs: &crate::pledge::Outputs,
    note: Option<&str>,
) -> Result<Effect, LedgerError> {
    let idx = pledge_of(state, pledge)?;
    let p = state.pledge(idx);
    let date = cmd.at.date;
    owner_side(state, cmd, acting, p.owner)?;
    let current = p.status.current();
    let fulfilling = matches!(
        current.status,
        PledgeStatus::Published | PledgeStatus::Fulfilled
    );
    if !fulfilling {
        return Err(wrong_status(p, "given fulfilment records"));
    }
    let published = publication(idx, p).unwrap_or(last_status(idx, p));
    not_before(state, "pledge.status", cmd.at, published)?;
    let records = p.fulfilments.iter().map(|r| r.on);
    if let Some(last) = last_of(Fact::PledgeFulfilment, idx, records) {
        not_before(state, "pledge.fulfilments", cmd.at, last)?;
    }
    if outputs.is_empty() {
        return Err(LedgerError::Invalid(crate::model::ModelError::new(
            "event.outputs",
            crate::Reason::Empty,
        )));
    }
    for (name, n) in outputs.counts() {
        if n > MAX_OUTPUT_COUNT {
            return Err(LedgerError::Invalid(crate::model::ModelError::new(
                "event.outputs",
                crate::Reason::Malformed {
                    zh: format!("{name} 为 {n}, 超过单条记录上限 {MAX_OUTPUT_COUNT}").into(),
                    en: format!("{name} is {n}, above the limit of {MAX_OUTPUT_COUNT} per record")
                        .into(),
                },
            )));
        }
    }
    // The sum over the pledge's records must stay within an amount's bound.
    p.outputs_by(date)?.checked_add(outputs)?;
    Ok(Effect::AddFulfilment {
        pledge: idx,
        record: crate::pledge::FulfilmentRecord {
            on: date,
            outputs: *outputs,
            note: note.map(str::to_string),
        },
    })
}

pub(super) fn fulfil(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    pledge: &ExtId,
) -> Result<Effect, LedgerError> {
    let idx = pledge_of(state, pledge)?;
    let p = state.pledge(idx);
    let date = cmd.at.date;
    let targets = &p.content().targets;
    if targets.is_empty() {
        // Judged by its text: the reviewer decides.
        let reviewer = reviewer_of(state, rules, p, date)?;
        authority(state, cmd, acting, reviewer, false)?;
    } else {
        owner_side(state, cmd, acting, p.owner)?;
    }
    active(state, idx, cmd.at, "fulfilled")?;
    let achieved = p.achieved_by(date);
    for (i, (t, a)) in targets.iter().zip(&achieved).enumerate() {
        let need = t.goal.lower_bound();
        let why = match a {
            None => "no progress report gives it".to_string(),
            Some(v) if *v < need => format!("{v} {} achieved of {need}", t.unit),
            Some(_) => continue,
        };
        return Err(LedgerError::TargetNotMet {
            pledge: p.id.to_string(),
            target: i,
            metric: t.metric.to_string(),
            why,
        });
    }
    Ok(Effect::SetPledgeStatus {
        pledge: idx,
        change: change(state, idx, cmd.at, PledgeStatus::Fulfilled)?,
        review: None,
    })
}

pub(super) fn close(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    pledge: &ExtId,
    closing: crate::pledge::Closing,
    explanation: &str,
) -> Result<Effect, LedgerError> {
    let idx = pledge_of(state, pledge)?;
    let p = state.pledge(idx);
    let date = cmd.at.date;
    let reviewer = reviewer_of(state, rules, p, date)?;
    authority(state, cmd, acting, reviewer, false)?;
    not_own(state, acting, p.owner)?;
    active(state, idx, cmd.at, "closed")?;
    let status = match closing {
        crate::pledge::Closing::Withdrawn => PledgeStatus::Withdrawn,
        crate::pledge::Closing::Unfulfilled => PledgeStatus::Unfulfilled,
    };
    Ok(Effect::ClosePledge {
        pledge: idx,
        change: change(state, idx, cmd.at, status)?,
        explanation: explanation.to_string(),
    })
}

pub(super) fn urge(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    pledge: &ExtId,
    quarter: crate::model::Period,
    standing: crate::pledge::Standing,
) -> Result<Effect, LedgerError> {
    let idx = pledge_of(state, pledge)?;
    let p = state.pledge(idx);
    let date = cmd.at.date;
    let reviewer = reviewer_of(state, rules, p, date)?;
    authority(state, cmd, acting, reviewer, false)?;
    if quarter.granularity() == crate::model::Granularity::Quarter && date < quarter.last_day() {
        return Err(out_of_order("event.quarter", date, quarter.last_day()));
    }
    let Some(assessment) = crate::pledge::assess(p, quarter, date, &rules.pledge_monitoring) else {
        return Err(LedgerError::Assessment {
            why: format!(
                "{quarter} is not a quarter, or the pledge was not being fulfilled at its end, or has no targets"
            ),
        });
    };
    if assessment.standing != standing || standing == crate::pledge::Standing::OnTrack {
        return Err(LedgerError::Assessment {
            why: format!(
                "the pledge is {} at the end of {quarter} (actual {}, expected {}), not {}",
                assessment.standing.as_str(),
                assessment.actual.round_dp(4),
                assessment.expected.round_dp(4),
                standing.as_str()
            ),
        });
    }
    if p.urges.iter().any(|u| u.assessment.quarter == quarter) {
        return Err(LedgerError::from(OrgError::NoChange {
            field: "event.quarter",
            value: format!("urged for {quarter}"),
        }));
    }
    Ok(Effect::Urge {
        pledge: idx,
        urge: crate::pledge::Urge {
            on: date,
            assessment,
        },
    })
}

#[allow(clippy::too_many_arguments)]
pub(super) fn record_evaluation(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    pledge: &ExtId,
    year: crate::model::Period,
    surveys: [Option<crate::pledge::Survey>; 3],
    spot_check: Option<&crate::pledge::SpotCheck>,
    correction: bool,
) -> Result<Effect, LedgerError> {
    use crate::model::{Granularity, Period};
    let [survey, members, organization] = surveys;
    let idx = pledge_of(state, pledge)?;
    let p = state.pledge(idx);
    let date = cmd.at.date;
    let reviewer = reviewer_of(state, rules, p, date)?;
    authority(state, cmd, acting, reviewer, false)?;
    not_own(state, acting, p.owner)?;
    let Some((mark, published)) = publication(idx, p) else {
        return Err(wrong_status(p, "evaluated before it is published"));
    };
    not_before(state, "pledge.status", cmd.at, (mark, published))?;
    let first = Period::containing(published, Granularity::Year);
    let last = Period::containing(date, Granularity::Year);
    if year.granularity() != Granularity::Year || year < first || year > last {
        return Err(LedgerError::Invalid(crate::model::ModelError::new(
            "event.year",
            crate::Reason::Malformed {
                zh: format!("评诺年度 {year} 须为 {first} 至 {last} 之间的年份").into(),
                en: format!("the year {year} must be a year from {first} to {last}").into(),
            },
        )));
    }
    one_per_period_in_order(
        state,
        (
            "pledge.evaluations",
            cmd.at,
            last_of(
                Fact::PledgeEvaluation,
                idx,
                p.evaluations.iter().map(|e| e.on),
            ),
        ),
        p.evaluations.iter().any(|e| e.year == year),
        correction,
        "year",
    )?;
    if surveys.iter().all(Option::is_none) && spot_check.is_none() {
        return Err(LedgerError::Invalid(crate::model::ModelError::new(
            "event.survey",
            crate::Reason::Empty,
        )));
    }
    for (field, survey) in [
        ("event.survey", survey),
        ("event.members", members),
        ("event.organization", organization),
    ] {
        let Some(s) = survey else { continue };
        let counts = [
            s.satisfied,
            s.fairly_satisfied,
            s.basically_satisfied,
            s.dissatisfied,
        ];
        let too_many = counts
            .iter()
            .any(|n| *n > crate::pledge::Survey::MAX_ANSWERS);
        if s.total() == 0 || too_many {
            return Err(LedgerError::Invalid(crate::model::ModelError::new(
                field,
                crate::Reason::OutOfRange {
                    min: "1 answer in all".into(),
                    max: format!("{} of each kind", crate::pledge::Survey::MAX_ANSWERS),
                },
            )));
        }
    }
    Ok(Effect::Evaluate {
        pledge: idx,
        inputs: crate::pledge::EvaluationInputs {
            year,
            on: date,
            survey,
            members,
            organization,
            spot_check: spot_check.cloned(),
            correction,
        },
    })
}
