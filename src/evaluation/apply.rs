//! How an accepted member evaluation changes the state: it joins the list, and its member's
//! index. Applying cannot fail.

use super::{Evaluations, MemberEvaluationInputs};

/// Applies an accepted evaluation: it joins the list, and its member's index.
pub(crate) fn apply(evaluations: &mut Evaluations, e: MemberEvaluationInputs) {
    let (member, round) = (e.member, e.round);
    evaluations.push(e);
    debug_assert!(evaluations.of(member).any(|x| x.round == round));
}
