//! 季度考核促诺制: at each quarter's end, a published pledge's actual progress is set against
//! the progress expected by then, and the pledge is judged on track, lagging or stalled.
//!
//! - **Actual progress** at a quarter's end: over the pledge's targets, the smallest share
//!   achieved (value over the goal's lower bound, capped at 1; a target never reported counts
//!   0, a goal of 0 counts 1), as the latest report for a month of the quarter or before gives
//!   it, among the reports filed by the day of the assessment (so September's report, filed in
//!   October, counts for the third quarter).
//! - **Expected progress**: the percentage of the pledge's latest milestone passed by then, or,
//!   without milestones, the share of the span from publication to deadline that has passed.
//! - **On track** when actual ≥ expected × `rules.pledge_monitoring.lagging_below_percent` %.
//!   Otherwise **stalled** when actual progress did not grow during the quarter (since the
//!   previous quarter's end, or since publication), else **lagging**. Lagging and stalled
//!   pledges are urged (促诺): the ledger records an `urge_pledge` event.
//!
//! Only published pledges with targets are assessed; one without targets is judged by its text
//! at the annual evaluation.
//!
//! ```
//! use chuangzheng::pledge::Standing;
//!
//! assert_eq!(Standing::Lagging.as_str(), "lagging");
//! ```

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Pledge, PledgeStatus};
use crate::model::{Granularity, Period};
use crate::rules::PledgeMonitoringRules;

/// How a pledge stands at a quarter's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// At or above the expected progress (within the rules' tolerance).
    OnTrack,
    /// Below it, but progressing.
    Lagging,
    /// Below it, with no progress during the quarter.
    Stalled,
}

impl Standing {
    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::OnTrack => "on_track",
            Standing::Lagging => "lagging",
            Standing::Stalled => "stalled",
        }
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Standing::OnTrack => "进度正常",
            Standing::Lagging => "进度滞后",
            Standing::Stalled => "停滞不前",
        }
    }
}

/// A pledge's assessment at a quarter's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// The quarter.
    pub quarter: Period,
    /// Actual progress at its last day, 0 to 1, exact.
    #[serde(with = "super::decimal_exact")]
    pub actual: Decimal,
    /// Expected progress then, 0 to 1, exact.
    #[serde(with = "super::decimal_exact")]
    pub expected: Decimal,
    /// The judgement.
    pub standing: Standing,
}

/// The smallest share achieved over the pledge's targets, as the latest report for a month up
/// to `last_month` filed by `filed_by` gives it; 0 to 1.
pub fn actual_progress(p: &Pledge, last_month: Period, filed_by: Date) -> Decimal {
    let targets = &p.content().targets;
    let achieved = p.achieved_through(Some(last_month), filed_by);
    targets
        .iter()
        .zip(achieved)
        .map(|(t, a)| {
            let need = t.goal.lower_bound();
            match a {
                _ if need.is_zero() => Decimal::ONE,
                None => Decimal::ZERO,
                // Both are bounded quantities (below 10¹⁵, at most 6 places): the quotient
                // cannot overflow; anything at or above the goal counts 1.
                Some(v) => v
                    .checked_div(need)
                    .unwrap_or(Decimal::ONE)
                    .min(Decimal::ONE),
            }
        })
        .min()
        .unwrap_or(Decimal::ONE)
}

/// The progress expected by `date`, 0 to 1: by the latest milestone passed, or linearly from
/// `published` to the deadline.
pub fn expected_progress(p: &Pledge, published: Date, date: Date) -> Decimal {
    let content = p.content();
    if !content.milestones.is_empty() {
        let percent = content
            .milestones
            .iter()
            .take_while(|m| m.by <= date)
            .last()
            .map_or(0, |m| m.percent);
        return Decimal::from(percent)
            .checked_div(Decimal::ONE_HUNDRED)
            .unwrap_or(Decimal::ONE);
    }
    let span = (content.deadline - published).get_days();
    let passed = (date - published).get_days();
    if span <= 0 || passed >= span {
        return Decimal::ONE;
    }
    if passed <= 0 {
        return Decimal::ZERO;
    }
    Decimal::from(passed)
        .checked_div(Decimal::from(span))
        .unwrap_or(Decimal::ONE)
}

/// The last month of a quarter.
fn last_month(quarter: Period) -> Period {
    Period::containing(quarter.last_day(), Granularity::Month)
}

/// Assesses `p` at the end of `quarter`, on `as_of` (reports filed by then count): `None` when
/// it is not a quarter, `as_of` is before its end, the pledge was not published (and still
/// being fulfilled) on its last day, or has no targets.
pub fn assess(
    p: &Pledge,
    quarter: Period,
    as_of: Date,
    rules: &PledgeMonitoringRules,
) -> Option<Assessment> {
    if quarter.granularity() != Granularity::Quarter || p.content().targets.is_empty() {
        return None;
    }
    let end = quarter.last_day();
    if as_of < end {
        return None;
    }
    let published = p.published_on().filter(|d| *d <= end)?;
    if p.status_on(end) != Some(PledgeStatus::Published) {
        return None;
    }
    let actual = actual_progress(p, last_month(quarter), as_of);
    let expected = expected_progress(p, published, end);
    // Shares are at most 1, so these cannot overflow; the fallbacks are never taken.
    let tolerance = Decimal::from(rules.lagging_below_percent)
        .checked_div(Decimal::ONE_HUNDRED)
        .unwrap_or(Decimal::ONE);
    let needed = expected.checked_mul(tolerance).unwrap_or(expected);
    let standing = if actual >= needed {
        Standing::OnTrack
    } else {
        // Progress at the previous quarter's end, or nothing if published since.
        let before = match quarter.prev() {
            Some(prev) if prev.last_day() >= published => {
                actual_progress(p, last_month(prev), as_of)
            }
            _ => Decimal::ZERO,
        };
        if actual <= before {
            Standing::Stalled
        } else {
            Standing::Lagging
        }
    };
    Some(Assessment {
        quarter,
        actual: actual.normalize(),
        expected: expected.normalize(),
        standing,
    })
}

/// An urging notice (促诺) recorded for a lagging or stalled pledge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Urge {
    /// The day it was recorded.
    pub on: Date,
    /// The assessment it answers.
    pub assessment: Assessment,
}

// The binary layout of snapshots ([`crate::model::binary`]).
use crate::model::binary::{binary_enum, binary_struct};

binary_enum!(Standing {
    OnTrack,
    Lagging,
    Stalled
});
binary_struct!(Urge { on, assessment });
binary_struct!(Assessment {
    quarter,
    actual,
    expected,
    standing
});
