//! 月报制: which monthly progress reports are missing or were filed late, as of a date.
//!
//! A published pledge owes a report for every month on whose last day it was still being
//! fulfilled (status `published`). The report for a month is due by
//! `rules.pledge_monitoring.report_due_day` of the following month. As of a date after the due
//! day, a month with no report filed is *missing*; one whose first report was filed after the
//! due day is *late*. Corrections do not make a late report timely.

use jiff::civil::Date;
use serde::Serialize;

use crate::ledger::State;
use crate::model::{Granularity, OrgIdx, Period};
use crate::pledge::{PledgeIdx, PledgeStatus};
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
pub fn report_gaps(state: &State, rules: &RuleSet, root: OrgIdx, as_of: Date) -> Vec<ReportGap> {
    let mut gaps = Vec::new();
    for (i, p) in state.pledges().iter().enumerate() {
        let Some(published) = p.published_on().filter(|d| *d <= as_of) else {
            continue;
        };
        if !state.is_at_or_above_on(root, state.owner_org_on(p.owner, as_of), as_of) {
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
