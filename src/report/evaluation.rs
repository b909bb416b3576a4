//! Member grades of an organization for a round, with the cap applied and every step explained.

use crate::evaluation::{MemberVerdict, apply_excellent_cap, grade};
use crate::ledger::State;
use crate::model::{OrgIdx, Period};
use crate::rules::RuleSet;

/// The verdicts of the members `org` evaluated in `round` (the latest record of each, a
/// correction over what it corrects), graded under `rules` — which need not be the campaign's:
/// grading under another rule set is a what-if that changes nothing. In member order.
pub fn member_grades(
    state: &State,
    rules: &RuleSet,
    org: OrgIdx,
    round: Period,
) -> Vec<MemberVerdict> {
    let mut latest = std::collections::BTreeMap::new();
    for e in state.member_evaluations() {
        if e.org == org && e.round == round {
            latest.insert(e.member, e);
        }
    }
    let mut verdicts: Vec<MemberVerdict> = latest
        .into_iter()
        .map(|(m, e)| grade(&state.member(m).id, e, &rules.member_evaluation))
        .collect();
    apply_excellent_cap(&mut verdicts, &rules.member_evaluation);
    verdicts
}
