//! What makes each pledge event acceptable: who may take each step of the lifecycle (定诺 →
//! 审诺 → 公开 → 践诺 → 评诺), in which status, and when. The order of the checks in each is
//! behaviour: when several refusals apply, the first one found is given.

use jiff::civil::Date;

use super::apply::Change;
use super::events::{
    ClosePledge, DraftPledge, FulfilPledge, PublishPledge, RecordEvaluation, RecordFulfilment,
    ReportProgress, ReviewPledge, RevisePledge, SubmitPledge, UrgePledge,
};
use super::state::owner_org_on;
use super::{
    Carrier, Closing, EvaluationInputs, FulfilmentRecord, Owner, OwnerRef, Pledge, PledgeContent,
    PledgeError, PledgeIdx, PledgeStatus, Pledges, ProgressReport, Review, ReviewDecision,
    Standing, StatusChange, StatusLog, Survey, Urge, Versions,
};
use crate::Reason;
use crate::model::times::{Fact, Mark};
use crate::model::{ExtId, Granularity, MemberIdx, ModelError, OrgIdx, Period};
use crate::org::{
    Acting, Ctx, EntityKind, OrgError, actor_text, capacity, found, member_on, one_per_period,
    out_of_order,
};
use crate::rules::RuleSet;

type Checked = Result<Change, PledgeError>;

/// Most of one output a single fulfilment record may count; bounds every sum.
pub(crate) const MAX_OUTPUT_COUNT: u64 = 1_000_000_000;

fn pledge_of(records: &Pledges, id: &ExtId) -> Result<PledgeIdx, OrgError> {
    found(
        records.by_id(id.as_str()),
        "event.pledge",
        EntityKind::Pledge,
        id,
    )
}

fn invalid(field: &'static str, reason: Reason) -> PledgeError {
    ModelError::new(field, reason).into()
}

fn malformed(field: &'static str, zh: String, en: String) -> PledgeError {
    invalid(
        field,
        Reason::Malformed {
            zh: zh.into(),
            en: en.into(),
        },
    )
}

/// The owner's side may draft, revise, submit and publish: a member for their own pledge, an
/// organization at or above the owner (or the owning member's organization).
fn owner_side(ctx: &Ctx, owner: Owner) -> Result<(), OrgError> {
    match (ctx.acting, owner) {
        (Acting::Member(m), Owner::Member(o)) if m == o => Ok(()),
        (Acting::Member(_), _) => Err(OrgError::NotAuthorized {
            actor: actor_text(ctx.actor),
            target: "this pledge".into(),
            why: "a member acts only on their own pledges",
        }),
        (Acting::Org(..), owner) => ctx.authority(owner_org_on(ctx.reg, owner, ctx.date()), false),
    }
}

/// How many levels above its owner's organization a pledge of `owner` is reviewed.
fn review_levels(rules: &RuleSet, owner: Owner) -> u32 {
    match owner {
        Owner::Org(_) => rules.pledge_review.org_levels_up,
        Owner::Member(_) => rules.pledge_review.member_levels_up,
    }
}

/// A pledge of `owner` must have a reviewer on the day, or it could never move past
/// `submitted`: the root's own pledge (分级审核: the superior level reviews, and the root has
/// none) and any owner fewer levels below the root than the rules ask.
fn reviewable(ctx: &Ctx, owner: Owner) -> Result<(), PledgeError> {
    let levels = review_levels(ctx.rules, owner);
    let org = owner_org_on(ctx.reg, owner, ctx.date());
    if ctx.reg.ancestor(org, levels).is_some() {
        return Ok(());
    }
    Err(PledgeError::Unreviewable {
        org: ctx.reg.org(org).id.to_string(),
        member: match owner {
            Owner::Member(m) => Some(ctx.reg.member(m).id.to_string()),
            Owner::Org(_) => None,
        },
        levels,
    })
}

/// The carrier of a member's pledge: the one named, or the usual one of the member's category;
/// a member of a category without one (`other`) must name it, so that every member's pledge
/// counts under one of the four carriers.
fn member_carrier(ctx: &Ctx, m: MemberIdx, named: Option<Carrier>) -> Result<Carrier, PledgeError> {
    let member = ctx.reg.member(m);
    named
        .or(Carrier::usual_for(member.category))
        .ok_or_else(|| PledgeError::CarrierRequired {
            member: member.id.to_string(),
            category: member.category.as_str(),
        })
}

/// The organization that reviews `pledge`: the rules' levels above its owner, on the day.
fn reviewer_of(ctx: &Ctx, pledge: &Pledge) -> Result<OrgIdx, PledgeError> {
    let levels = review_levels(ctx.rules, pledge.owner);
    let owner_org = owner_org_on(ctx.reg, pledge.owner, ctx.date());
    ctx.reg
        .ancestor(owner_org, levels)
        .ok_or_else(|| PledgeError::NoReviewer {
            pledge: pledge.id.to_string(),
            levels,
        })
}

/// The actor must be the pledge's reviewer or an organization above it.
fn by_reviewer(ctx: &Ctx, pledge: &Pledge) -> Result<(), PledgeError> {
    let reviewer = reviewer_of(ctx, pledge)?;
    Ok(ctx.authority(reviewer, false)?)
}

/// A member acting for the reviewer may not judge their own pledge.
fn not_own(ctx: &Ctx, owner: Owner) -> Result<(), PledgeError> {
    match (ctx.acting, owner) {
        (Acting::Org(_, Some(by)), Owner::Member(m)) if by == m => Err(PledgeError::SelfReview {
            member: ctx.reg.member(m).id.to_string(),
        }),
        _ => Ok(()),
    }
}

/// A record of a list kept in date order (not dated before the `latest` one of `field`) and
/// one per period (the seam's `one_per_period`).
fn one_per_period_in_order(
    ctx: &Ctx,
    (field, latest): (&'static str, Option<(Mark, Date)>),
    exists: bool,
    correction: bool,
    period: &str,
) -> Result<(), OrgError> {
    if let Some(latest) = latest {
        ctx.not_before(field, latest)?;
    }
    one_per_period(exists, correction, period)
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

fn wrong_status(pledge: &Pledge, action: &'static str) -> PledgeError {
    PledgeError::PledgeStatus {
        pledge: pledge.id.to_string(),
        status: pledge.status.current().status.as_str(),
        action,
    }
}

/// A status change at the command's stamp, which must not be before the pledge's last one.
fn change(
    ctx: &Ctx,
    idx: PledgeIdx,
    p: &Pledge,
    status: PledgeStatus,
) -> Result<StatusChange, OrgError> {
    ctx.not_before("pledge.status", last_status(idx, p))?;
    Ok(StatusChange {
        from: ctx.date(),
        status,
    })
}

fn deadline_not_before(
    field: &'static str,
    content: &PledgeContent,
    date: Date,
) -> Result<(), PledgeError> {
    if content.deadline < date {
        return Err(PledgeError::Deadline {
            field,
            deadline: content.deadline.to_string(),
            date: date.to_string(),
        });
    }
    Ok(())
}

/// 定诺.
pub(crate) fn draft(ctx: &Ctx, records: &Pledges, e: &DraftPledge) -> Checked {
    // Fields a Rust caller changed after building the content are checked again.
    e.content.check().map_err(|e| e.within("event"))?;
    let date = ctx.date();
    let owner = match &e.owner {
        OwnerRef::Org(o) => Owner::Org(ctx.org_on("event.owner.org", o)?),
        OwnerRef::Member(m) => Owner::Member(member_on(ctx.reg, "event.owner.member", m, date)?),
    };
    owner_side(ctx, owner)?;
    let carrier = match owner {
        Owner::Org(_) if e.carrier.is_some() => return Err(PledgeError::CarrierNotApplicable),
        Owner::Org(_) => None,
        Owner::Member(m) => Some(member_carrier(ctx, m, e.carrier)?),
    };
    reviewable(ctx, owner)?;
    if records.by_id(e.id.as_str()).is_some() {
        return Err(OrgError::Duplicate {
            field: "event.id",
            kind: EntityKind::Pledge,
            id: e.id.to_string(),
        }
        .into());
    }
    deadline_not_before("event.content.deadline", &e.content, date)?;
    capacity(records.all().len(), EntityKind::Pledge)?;
    Ok(Change::Draft(Pledge {
        id: e.id.clone(),
        owner,
        kind: e.kind,
        focus: e.focus,
        carrier,
        versions: Versions::new(e.content.clone()),
        reviews: Vec::new(),
        status: StatusLog::drafted(date),
        reports: Vec::new(),
        fulfilments: Vec::new(),
        evaluations: Vec::new(),
        urges: Vec::new(),
        explanation: None,
    }))
}

/// A new version of a drafted, returned or approved pledge's content.
pub(crate) fn revise(ctx: &Ctx, records: &Pledges, e: &RevisePledge) -> Checked {
    e.content.check().map_err(|e| e.within("event"))?;
    let idx = pledge_of(records, &e.pledge)?;
    let p = records.get(idx);
    owner_side(ctx, p.owner)?;
    if !p.status.current().status.may_revise() {
        return Err(wrong_status(p, "revised"));
    }
    // Dated like a status change, so versions follow the status history's order.
    let current = p.status.current().status;
    let same = change(ctx, idx, p, current)?;
    if *p.content() == e.content {
        return Err(OrgError::NoChange {
            field: "event.content",
            value: "the current version".into(),
        }
        .into());
    }
    deadline_not_before("event.content.deadline", &e.content, ctx.date())?;
    // Revising an approved pledge lapses the approval: it is a draft again.
    let reopen = (current == PledgeStatus::Approved).then_some(StatusChange {
        status: PledgeStatus::Draft,
        ..same
    });
    Ok(Change::Revise {
        pledge: idx,
        content: e.content.clone(),
        reopen,
    })
}

/// 审诺: to the reviewer.
pub(crate) fn submit(ctx: &Ctx, records: &Pledges, e: &SubmitPledge) -> Checked {
    let idx = pledge_of(records, &e.pledge)?;
    let p = records.get(idx);
    owner_side(ctx, p.owner)?;
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
    Ok(Change::SetStatus {
        pledge: idx,
        change: change(ctx, idx, p, PledgeStatus::Submitted)?,
        review: None,
    })
}

/// The reviewer's decision on a submitted pledge.
pub(crate) fn review(ctx: &Ctx, records: &Pledges, e: &ReviewPledge) -> Checked {
    let idx = pledge_of(records, &e.pledge)?;
    let p = records.get(idx);
    let reviewer = reviewer_of(ctx, p)?;
    ctx.authority(reviewer, false)?;
    not_own(ctx, p.owner)?;
    if p.status.current().status != PledgeStatus::Submitted {
        return Err(wrong_status(p, "reviewed"));
    }
    let status = match e.decision {
        ReviewDecision::Approve => PledgeStatus::Approved,
        ReviewDecision::Return { .. } => PledgeStatus::Returned,
    };
    Ok(Change::SetStatus {
        pledge: idx,
        change: change(ctx, idx, p, status)?,
        review: Some(Review {
            on: ctx.date(),
            reviewer,
            version: (p.versions.len() - 1) as u32,
            decision: e.decision.clone(),
        }),
    })
}

/// 公开: by the owner's side, or the reviewer (or above).
pub(crate) fn publish(ctx: &Ctx, records: &Pledges, e: &PublishPledge) -> Checked {
    let idx = pledge_of(records, &e.pledge)?;
    let p = records.get(idx);
    // The owner publishes (公示); the reviewer, or any organization above it, may too.
    if let Err(by_owner) = owner_side(ctx, p.owner) {
        let reviewer = reviewer_of(ctx, p)?;
        ctx.authority(reviewer, false).map_err(|_| by_owner)?;
    }
    if p.status.current().status != PledgeStatus::Approved {
        return Err(wrong_status(p, "published"));
    }
    deadline_not_before("pledge.content.deadline", p.content(), ctx.date())?;
    Ok(Change::SetStatus {
        pledge: idx,
        change: change(ctx, idx, p, PledgeStatus::Published)?,
        review: None,
    })
}

/// The pledge must be published (being fulfilled) at the command's stamp.
fn active(ctx: &Ctx, idx: PledgeIdx, p: &Pledge, action: &'static str) -> Result<(), PledgeError> {
    if p.status.current().status != PledgeStatus::Published {
        return Err(wrong_status(p, action));
    }
    Ok(ctx.not_before("pledge.status", last_status(idx, p))?)
}

/// The month of a progress report: a month, from the publication's to the command's.
fn report_month(ctx: &Ctx, p: &Pledge, month: Period) -> Result<(), PledgeError> {
    if month.granularity() != Granularity::Month {
        return Err(malformed(
            "event.month",
            format!("{month} 不是月份"),
            format!("{month} is not a month"),
        ));
    }
    let this_month = Period::containing(ctx.date(), Granularity::Month);
    let published = Period::containing(p.status.current().from, Granularity::Month);
    if month > this_month || month < published {
        return Err(malformed(
            "event.month",
            format!("月报月份 {month} 须在发布月份 {published} 与本月 {this_month} 之间"),
            format!(
                "the month {month} must be between the publication month {published} and this month {this_month}"
            ),
        ));
    }
    Ok(())
}

/// Each target at most once, and only the pledge's; each value a quantity.
fn achieved_values(p: &Pledge, e: &ReportProgress) -> Result<(), PledgeError> {
    let targets = p.content().targets.len();
    let mut seen = vec![false; targets];
    for a in &e.achieved {
        let i = a.target as usize;
        let Some(slot) = seen.get_mut(i) else {
            return Err(malformed_target(i, targets));
        };
        if std::mem::replace(slot, true) {
            return Err(malformed_target(i, targets));
        }
        crate::model::Quantity::check_value("event.achieved.value", a.value)?;
    }
    Ok(())
}

fn malformed_target(i: usize, targets: usize) -> PledgeError {
    malformed(
        "event.achieved.target",
        format!("目标序号 {i} 重复或超出范围 (共 {targets} 项目标)"),
        format!("target {i} is repeated or out of range (the pledge has {targets})"),
    )
}

/// 月报.
pub(crate) fn report_progress(ctx: &Ctx, records: &Pledges, e: &ReportProgress) -> Checked {
    let idx = pledge_of(records, &e.pledge)?;
    let p = records.get(idx);
    owner_side(ctx, p.owner)?;
    active(ctx, idx, p, "reported on")?;
    report_month(ctx, p, e.month)?;
    one_per_period_in_order(
        ctx,
        (
            "pledge.reports",
            last_of(Fact::PledgeReport, idx, p.reports.iter().map(|r| r.filed)),
        ),
        p.reports.iter().any(|r| r.month == e.month),
        e.correction,
        "month",
    )?;
    achieved_values(p, e)?;
    Ok(Change::AddReport {
        pledge: idx,
        report: ProgressReport {
            month: e.month,
            filed: ctx.date(),
            achieved: e.achieved.as_slice().into(),
            note: e.note.as_deref().map(str::to_string),
            correction: e.correction,
        },
    })
}

/// 践诺: outputs of a published (or fulfilled) pledge's carrier activities.
pub(crate) fn record_fulfilment(ctx: &Ctx, records: &Pledges, e: &RecordFulfilment) -> Checked {
    let idx = pledge_of(records, &e.pledge)?;
    let p = records.get(idx);
    owner_side(ctx, p.owner)?;
    let fulfilling = matches!(
        p.status.current().status,
        PledgeStatus::Published | PledgeStatus::Fulfilled
    );
    if !fulfilling {
        return Err(wrong_status(p, "given fulfilment records"));
    }
    let published = publication(idx, p).unwrap_or(last_status(idx, p));
    ctx.not_before("pledge.status", published)?;
    let dates = p.fulfilments.iter().map(|r| r.on);
    if let Some(last) = last_of(Fact::PledgeFulfilment, idx, dates) {
        ctx.not_before("pledge.fulfilments", last)?;
    }
    if e.outputs.is_empty() {
        return Err(invalid("event.outputs", Reason::Empty));
    }
    for (name, n) in e.outputs.counts() {
        if n > MAX_OUTPUT_COUNT {
            return Err(malformed(
                "event.outputs",
                format!("{name} 为 {n}, 超过单条记录上限 {MAX_OUTPUT_COUNT}"),
                format!("{name} is {n}, above the limit of {MAX_OUTPUT_COUNT} per record"),
            ));
        }
    }
    // The sum over the pledge's records must stay within an amount's bound.
    p.outputs_by(ctx.date())?.checked_add(&e.outputs)?;
    Ok(Change::AddFulfilment {
        pledge: idx,
        record: FulfilmentRecord {
            on: ctx.date(),
            outputs: e.outputs,
            note: e.note.as_deref().map(str::to_string),
        },
    })
}

/// Declared fulfilled: every target met by the latest report; without targets, by the
/// reviewer.
pub(crate) fn fulfil(ctx: &Ctx, records: &Pledges, e: &FulfilPledge) -> Checked {
    let idx = pledge_of(records, &e.pledge)?;
    let p = records.get(idx);
    let targets = &p.content().targets;
    if targets.is_empty() {
        // Judged by its text: the reviewer decides.
        by_reviewer(ctx, p)?;
    } else {
        owner_side(ctx, p.owner)?;
    }
    active(ctx, idx, p, "fulfilled")?;
    let achieved = p.achieved_by(ctx.date());
    for (i, (t, a)) in targets.iter().zip(&achieved).enumerate() {
        let need = t.goal.lower_bound();
        let why = match a {
            None => "no progress report gives it".to_string(),
            Some(v) if *v < need => format!("{v} {} achieved of {need}", t.unit),
            Some(_) => continue,
        };
        return Err(PledgeError::TargetNotMet {
            pledge: p.id.to_string(),
            target: i,
            metric: t.metric.to_string(),
            why,
        });
    }
    Ok(Change::SetStatus {
        pledge: idx,
        change: change(ctx, idx, p, PledgeStatus::Fulfilled)?,
        review: None,
    })
}

/// Withdrawn or declared unfulfilled, by the reviewer (or above).
pub(crate) fn close(ctx: &Ctx, records: &Pledges, e: &ClosePledge) -> Checked {
    let idx = pledge_of(records, &e.pledge)?;
    let p = records.get(idx);
    by_reviewer(ctx, p)?;
    not_own(ctx, p.owner)?;
    active(ctx, idx, p, "closed")?;
    let status = match e.closing {
        Closing::Withdrawn => PledgeStatus::Withdrawn,
        Closing::Unfulfilled => PledgeStatus::Unfulfilled,
    };
    Ok(Change::Close {
        pledge: idx,
        change: change(ctx, idx, p, status)?,
        explanation: e.explanation.to_string(),
    })
}

/// 促诺: the standing must be the one [`super::assess`] computes, lagging or stalled, once a
/// quarter.
pub(crate) fn urge(ctx: &Ctx, records: &Pledges, e: &UrgePledge) -> Checked {
    let idx = pledge_of(records, &e.pledge)?;
    let p = records.get(idx);
    let (date, quarter, standing) = (ctx.date(), e.quarter, e.standing);
    by_reviewer(ctx, p)?;
    if quarter.granularity() == Granularity::Quarter && date < quarter.last_day() {
        return Err(out_of_order("event.quarter", date, quarter.last_day()).into());
    }
    let Some(assessment) = super::assess(p, quarter, date, &ctx.rules.pledge_monitoring) else {
        return Err(PledgeError::Assessment {
            why: format!(
                "{quarter} is not a quarter, or the pledge was not being fulfilled at its end, or has no targets"
            ),
        });
    };
    if assessment.standing != standing || standing == Standing::OnTrack {
        return Err(PledgeError::Assessment {
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
        return Err(OrgError::NoChange {
            field: "event.quarter",
            value: format!("urged for {quarter}"),
        }
        .into());
    }
    Ok(Change::Urge {
        pledge: idx,
        urge: Urge {
            on: date,
            assessment,
        },
    })
}

/// The year evaluated: a year, from the publication's to the command's.
fn evaluation_year(year: Period, published: Date, date: Date) -> Result<(), PledgeError> {
    let first = Period::containing(published, Granularity::Year);
    let last = Period::containing(date, Granularity::Year);
    if year.granularity() != Granularity::Year || year < first || year > last {
        return Err(malformed(
            "event.year",
            format!("评诺年度 {year} 须为 {first} 至 {last} 之间的年份"),
            format!("the year {year} must be a year from {first} to {last}"),
        ));
    }
    Ok(())
}

/// At least one survey or a spot check; each survey with an answer, none past the bound.
fn evaluation_surveys(e: &RecordEvaluation) -> Result<(), PledgeError> {
    let surveys = [
        ("event.survey", e.survey),
        ("event.members", e.members),
        ("event.organization", e.organization),
    ];
    if surveys.iter().all(|(_, s)| s.is_none()) && e.spot_check.is_none() {
        return Err(invalid("event.survey", Reason::Empty));
    }
    for (field, survey) in surveys {
        let Some(s) = survey else { continue };
        let counts = [
            s.satisfied,
            s.fairly_satisfied,
            s.basically_satisfied,
            s.dissatisfied,
        ];
        let too_many = counts.iter().any(|n| *n > Survey::MAX_ANSWERS);
        if s.total() == 0 || too_many {
            return Err(invalid(
                field,
                Reason::OutOfRange {
                    min: "1 answer in all".into(),
                    max: format!("{} of each kind", Survey::MAX_ANSWERS),
                },
            ));
        }
    }
    Ok(())
}

/// 评诺: the inputs of a made pledge's annual evaluation, by the reviewer (or above).
pub(crate) fn record_evaluation(ctx: &Ctx, records: &Pledges, e: &RecordEvaluation) -> Checked {
    let idx = pledge_of(records, &e.pledge)?;
    let p = records.get(idx);
    by_reviewer(ctx, p)?;
    not_own(ctx, p.owner)?;
    let Some((mark, published)) = publication(idx, p) else {
        return Err(wrong_status(p, "evaluated before it is published"));
    };
    ctx.not_before("pledge.status", (mark, published))?;
    evaluation_year(e.year, published, ctx.date())?;
    let dates = p.evaluations.iter().map(|e| e.on);
    one_per_period_in_order(
        ctx,
        (
            "pledge.evaluations",
            last_of(Fact::PledgeEvaluation, idx, dates),
        ),
        p.evaluations.iter().any(|r| r.year == e.year),
        e.correction,
        "year",
    )?;
    evaluation_surveys(e)?;
    Ok(Change::Evaluate {
        pledge: idx,
        inputs: EvaluationInputs {
            year: e.year,
            on: ctx.date(),
            survey: e.survey,
            members: e.members,
            organization: e.organization,
            spot_check: e.spot_check.clone(),
            correction: e.correction,
        },
    })
}

crate::org::checks! {
    records: Pledges, change: Change, error: PledgeError;
    DraftPledge => draft,
    RevisePledge => revise,
    SubmitPledge => submit,
    ReviewPledge => review,
    PublishPledge => publish,
    ReportProgress => report_progress,
    RecordFulfilment => record_fulfilment,
    FulfilPledge => fulfil,
    ClosePledge => close,
    UrgePledge => urge,
    RecordEvaluation => record_evaluation,
}
