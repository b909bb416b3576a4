//! Member grades of an organization for a round, with the cap applied and every step explained.

use super::{Evaluations, MemberVerdict, apply_excellent_cap, grade};
use crate::model::{OrgIdx, Period};
use crate::org::Registry;
use crate::rules::RuleSet;

/// The verdicts of the members `org` evaluated in `round` (the latest record of each, a
/// correction over what it corrects), graded under `rules` — which need not be the campaign's:
/// grading under another rule set is a what-if that changes nothing. In member order.
///
/// `state` holds the tree (for the members' identifiers) and the evaluations: a ledger's
/// `State` does.
pub fn member_grades<S: AsRef<Registry> + AsRef<Evaluations>>(
    state: &S,
    rules: &RuleSet,
    org: OrgIdx,
    round: Period,
) -> Vec<MemberVerdict> {
    let (reg, evaluations): (&Registry, &Evaluations) = (state.as_ref(), state.as_ref());
    let mut latest = std::collections::BTreeMap::new();
    for e in evaluations.all() {
        if e.org == org && e.round == round {
            latest.insert(e.member, e);
        }
    }
    let mut verdicts: Vec<MemberVerdict> = latest
        .into_iter()
        .map(|(m, e)| grade(&reg.member(m).id, e, &rules.member_evaluation))
        .collect();
    apply_excellent_cap(&mut verdicts, &rules.member_evaluation);
    verdicts
}

/// [`member_grades`] of every organization that evaluated a member in `round`, in one pass over
/// the evaluations: `(organization, verdicts)` in organization order, each organization's
/// verdicts in member order with its cap applied.
pub fn all_member_grades<S: AsRef<Registry> + AsRef<Evaluations>>(
    state: &S,
    rules: &RuleSet,
    round: Period,
) -> Vec<(OrgIdx, Vec<MemberVerdict>)> {
    let (reg, evaluations): (&Registry, &Evaluations) = (state.as_ref(), state.as_ref());
    let mut latest = std::collections::BTreeMap::new();
    for e in evaluations.all() {
        if e.round == round {
            latest.insert((e.org, e.member), e);
        }
    }
    let mut out: Vec<(OrgIdx, Vec<MemberVerdict>)> = Vec::new();
    for ((org, m), e) in latest {
        let verdict = grade(&reg.member(m).id, e, &rules.member_evaluation);
        match out.last_mut() {
            Some((o, verdicts)) if *o == org => verdicts.push(verdict),
            _ => out.push((org, vec![verdict])),
        }
    }
    for (_, verdicts) in &mut out {
        apply_excellent_cap(verdicts, &rules.member_evaluation);
    }
    out
}
