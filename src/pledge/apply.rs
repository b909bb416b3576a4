//! How each accepted pledge event changes the pledges. Applying cannot fail: a [`Change`] holds
//! resolved indexes only, made by the checks from the state it applies to.

use super::{
    EvaluationInputs, FulfilmentRecord, Pledge, PledgeContent, PledgeIdx, Pledges, ProgressReport,
    Review, StatusChange, Urge,
};
use crate::model::times::{Fact, Mark};

/// A checked change to the pledges.
#[derive(Debug)]
pub(crate) enum Change {
    Draft(Pledge),
    Revise {
        pledge: PledgeIdx,
        content: PledgeContent,
        /// Back to draft, when an approved pledge is revised.
        reopen: Option<StatusChange>,
    },
    SetStatus {
        pledge: PledgeIdx,
        change: StatusChange,
        review: Option<Review>,
    },
    AddReport {
        pledge: PledgeIdx,
        report: ProgressReport,
    },
    AddFulfilment {
        pledge: PledgeIdx,
        record: FulfilmentRecord,
    },
    Close {
        pledge: PledgeIdx,
        change: StatusChange,
        explanation: String,
    },
    Urge {
        pledge: PledgeIdx,
        urge: Urge,
    },
    Evaluate {
        pledge: PledgeIdx,
        inputs: EvaluationInputs,
    },
}

/// The fact `change` is about to record that a later command may be ordered against, as
/// [`times`](crate::model::times) keys it (positions are the lists' lengths before the change).
pub(crate) fn mark_of(records: &Pledges, change: &Change) -> Option<Mark> {
    let n = |len: usize| len as u32;
    Some(match change {
        Change::Draft(_) => Mark(Fact::PledgeStatus, n(records.all().len()), 0),
        // A revision changes no status unless it lapses an approval.
        Change::Revise { reopen: None, .. } => return None,
        Change::SetStatus { pledge, .. }
        | Change::Close { pledge, .. }
        | Change::Revise { pledge, .. } => {
            let p = records.get(*pledge);
            Mark(Fact::PledgeStatus, pledge.0, n(p.status.len()))
        }
        Change::AddReport { pledge, .. } => Mark(
            Fact::PledgeReport,
            pledge.0,
            n(records.get(*pledge).reports.len()),
        ),
        Change::AddFulfilment { pledge, .. } => Mark(
            Fact::PledgeFulfilment,
            pledge.0,
            n(records.get(*pledge).fulfilments.len()),
        ),
        Change::Evaluate { pledge, .. } => Mark(
            Fact::PledgeEvaluation,
            pledge.0,
            n(records.get(*pledge).evaluations.len()),
        ),
        Change::Urge { .. } => return None,
    })
}

/// Applies `change` to `records`.
pub(crate) fn apply(records: &mut Pledges, change: Change) {
    let idx = match change {
        Change::Draft(pledge) => records.push(pledge),
        Change::Revise {
            pledge,
            content,
            reopen,
        } => {
            records.change(pledge, |p| {
                p.versions.push(content);
                if let Some(change) = reopen {
                    p.status.push(change);
                }
            });
            pledge
        }
        Change::SetStatus {
            pledge,
            change,
            review,
        } => {
            records.change(pledge, |p| {
                p.status.push(change);
                p.reviews.extend(review);
            });
            pledge
        }
        Change::AddReport { pledge, report } => {
            records.append(pledge, |p| p.reports.push(report));
            pledge
        }
        Change::AddFulfilment { pledge, record } => {
            records.append(pledge, |p| p.fulfilments.push(record));
            pledge
        }
        Change::Close {
            pledge,
            change,
            explanation,
        } => {
            records.change(pledge, |p| {
                p.status.push(change);
                p.explanation = Some(explanation);
            });
            pledge
        }
        Change::Urge { pledge, urge } => {
            records.append(pledge, |p| p.urges.push(urge));
            pledge
        }
        Change::Evaluate { pledge, inputs } => {
            records.append(pledge, |p| p.evaluations.push(inputs));
            pledge
        }
    };
    debug_assert!(
        super::state::in_order(records.get(idx)),
        "a pledge's records keep their order"
    );
    debug_assert_eq!(
        records.by_id(records.get(idx).id.as_str()),
        Some(idx),
        "a pledge is found by its id"
    );
}
