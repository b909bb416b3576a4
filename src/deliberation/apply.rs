//! How each accepted step of a village matter changes the matters. Applying cannot fail: a
//! [`Change`] holds resolved indexes only, made by the checks from the state it applies to.

use super::{Matter, MatterIdx, Matters, StepRecord};
use crate::model::times::{Fact, Mark};

/// A checked change to the matters.
#[derive(Debug)]
pub(crate) enum Change {
    /// 党支部提议: a new matter.
    Propose(Matter),
    /// Any later step of a matter.
    Step {
        matter: MatterIdx,
        record: StepRecord,
    },
}

/// The fact `change` is about to record that a later command may be ordered against, as
/// [`times`](crate::model::times) keys it (positions are the lists' lengths before the change).
pub(crate) fn mark_of(matters: &Matters, change: &Change) -> Option<Mark> {
    Some(match change {
        Change::Propose(_) => Mark(Fact::MatterProposed, matters.list().len() as u32, 0),
        Change::Step { matter, .. } => Mark(
            Fact::MatterStep,
            matter.0,
            matters.matter(*matter).steps.len() as u32,
        ),
    })
}

/// Applies `change` to `matters`.
pub(crate) fn apply(matters: &mut Matters, change: Change) {
    match change {
        Change::Propose(matter) => {
            let idx = matters.push(matter);
            debug_assert!(
                matters.matter(idx).steps.is_empty(),
                "a matter starts at its proposal"
            );
        }
        Change::Step { matter, record } => {
            let m = matters.matter_mut(matter);
            m.steps.push(record);
            // The reviewer was resolved by the checks; only the steps' order is asserted here.
            debug_assert!(
                super::state::check_steps(m, usize::MAX).is_ok(),
                "a matter's steps follow one of the rules' orders, dated in order"
            );
        }
    }
}
