//! Monitoring the published pledges of a subtree, by the rules' `pledge_monitoring`:
//!
//! - 月报制: which monthly progress reports are missing or were filed late, as of a date
//!   ([`report_gaps`]). A published pledge owes a report for every month on whose last day it
//!   was still being fulfilled (status `published`). The report for a month is due by
//!   `rules.pledge_monitoring.report_due_day` of the following month ([`report_due`]). As of a
//!   date after the due day, a month with no report filed is *missing*; one whose first report
//!   was filed after the due day is *late*. Corrections do not make a late report timely.
//! - 季度考核促诺制: the quarter's assessments of the subtree's pledges
//!   ([`quarter_assessments`], each by [`assess`]), and which of them to urge ([`to_urge`]).
//!
//! Both read the tree and the pledges from anything that holds both (a ledger's `State` does).

use jiff::civil::Date;
use serde::Serialize;

use super::{Assessment, PledgeIdx, PledgeStatus, Pledges, Standing, assess, owner_org_on};
use crate::model::{Granularity, OrgIdx, Period};
use crate::org::Registry;
use crate::rules::RuleSet;

/// A monthly report missing or late.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportGap {
    /// The pledge.
    pub pledge: PledgeIdx,
    /// The month whose report it is.
    pub month: Period,
    /// The day it was due.
    pub due: Date,
    /// When it was filed, if it was (then it was late); `None`: missing.
    pub filed: Option<Date>,
}

/// The day the report for `month` is due.
pub fn report_due(month: Period, rules: &RuleSet) -> Option<Date> {
    let next = month.next()?.first_day();
    // report_due_day is validated to 1–28, so the date exists in every month.
    let day = i8::try_from(rules.pledge_monitoring.report_due_day).ok()?;
    Date::new(next.year(), next.month(), day).ok()
}

/// Missing and late monthly reports of the pledges whose owner sat in `root`'s subtree on
/// `as_of`, in pledge then month order.
pub fn report_gaps<S: AsRef<Registry> + AsRef<Pledges>>(
    state: &S,
    rules: &RuleSet,
    root: OrgIdx,
    as_of: Date,
) -> Vec<ReportGap> {
    let (reg, pledges): (&Registry, &Pledges) = (state.as_ref(), state.as_ref());
    let mut gaps = Vec::new();
    for (i, p) in pledges.all().iter().enumerate() {
        let Some(published) = p.published_on().filter(|d| *d <= as_of) else {
            continue;
        };
        if !reg.is_at_or_above_on(root, owner_org_on(reg, p.owner, as_of), as_of) {
            continue;
        }
        let mut month = Period::containing(published, Granularity::Month);
        while let Some(due) = report_due(month, rules) {
            if due >= as_of || p.status_on(month.last_day()) != Some(PledgeStatus::Published) {
                break;
            }
            let filed = p
                .reports
                .iter()
                .find(|r| r.month == month && r.filed <= as_of)
                .map(|r| r.filed);
            if filed.is_none_or(|f| f > due) {
                gaps.push(ReportGap {
                    pledge: PledgeIdx(i as u32),
                    month,
                    due,
                    filed,
                });
            }
            match month.next() {
                Some(next) => month = next,
                None => break,
            }
        }
    }
    gaps
}

/// The assessments at the end of `quarter`, made on `as_of`, of the pledges whose owner sat in
/// `root`'s subtree then, in pledge order. Pledges not assessed (not being fulfilled at the
/// quarter's end, or without targets) are left out.
pub fn quarter_assessments<S: AsRef<Registry> + AsRef<Pledges>>(
    state: &S,
    rules: &RuleSet,
    root: OrgIdx,
    quarter: Period,
    as_of: Date,
) -> Vec<(PledgeIdx, Assessment)> {
    let (reg, pledges): (&Registry, &Pledges) = (state.as_ref(), state.as_ref());
    pledges
        .all()
        .iter()
        .enumerate()
        .filter(|(_, p)| reg.is_at_or_above_on(root, owner_org_on(reg, p.owner, as_of), as_of))
        .filter_map(|(i, p)| {
            assess(p, quarter, as_of, &rules.pledge_monitoring).map(|a| (PledgeIdx(i as u32), a))
        })
        .collect()
}

/// Of those, the lagging and stalled ones not yet urged for the quarter: the urging notices
/// (`urge_pledge`) a reviewer should record.
pub fn to_urge<S: AsRef<Registry> + AsRef<Pledges>>(
    state: &S,
    rules: &RuleSet,
    root: OrgIdx,
    quarter: Period,
    as_of: Date,
) -> Vec<(PledgeIdx, Assessment)> {
    let pledges: &Pledges = state.as_ref();
    quarter_assessments(state, rules, root, quarter, as_of)
        .into_iter()
        .filter(|(i, a)| {
            a.standing != Standing::OnTrack
                && !pledges
                    .get(*i)
                    .urges
                    .iter()
                    .any(|u| u.assessment.quarter == quarter)
        })
        .collect()
}
