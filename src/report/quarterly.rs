//! 季度考核促诺制: the quarter's assessments of a subtree's pledges, and which to urge.

use jiff::civil::Date;

use crate::ledger::State;
use crate::model::{OrgIdx, Period};
use crate::pledge::{Assessment, PledgeIdx, Standing, assess};
use crate::rules::RuleSet;

/// The assessments at the end of `quarter`, made on `as_of`, of the pledges whose owner sat in
/// `root`'s subtree then, in pledge order. Pledges not assessed (not being fulfilled at the
/// quarter's end, or without targets) are left out.
pub fn quarter_assessments(
    state: &State,
    rules: &RuleSet,
    root: OrgIdx,
    quarter: Period,
    as_of: Date,
) -> Vec<(PledgeIdx, Assessment)> {
    state
        .pledges()
        .iter()
        .enumerate()
        .filter(|(_, p)| state.is_at_or_above_on(root, state.owner_org_on(p.owner, as_of), as_of))
        .filter_map(|(i, p)| {
            assess(p, quarter, as_of, &rules.pledge_monitoring).map(|a| (PledgeIdx(i as u32), a))
        })
        .collect()
}

/// Of those, the lagging and stalled ones not yet urged for the quarter: the urging notices
/// (`urge_pledge`) a reviewer should record.
pub fn to_urge(
    state: &State,
    rules: &RuleSet,
    root: OrgIdx,
    quarter: Period,
    as_of: Date,
) -> Vec<(PledgeIdx, Assessment)> {
    quarter_assessments(state, rules, root, quarter, as_of)
        .into_iter()
        .filter(|(i, a)| {
            a.standing != Standing::OnTrack
                && !state
                    .pledge(*i)
                    .urges
                    .iter()
                    .any(|u| u.assessment.quarter == quarter)
        })
        .collect()
}
