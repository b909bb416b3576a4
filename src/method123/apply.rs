//! How each accepted event of the 123 work method changes its records. Applying cannot fail: a
//! [`Change`] holds resolved indexes only, made by the checks from the state it applies to.

use jiff::civil::Date;

use super::{
    Concern, ConcernIdx, Escalation, Household, HouseholdIdx, Reception, Records, Resolution, Visit,
};
use crate::model::times::{Fact, Mark};

/// A checked change to the 123 work method's records.
#[derive(Debug)]
pub(crate) enum Change {
    RegisterHousehold(Household),
    RemoveHousehold {
        household: HouseholdIdx,
        on: Date,
    },
    Reception(Reception),
    Visit(Visit),
    RaiseConcern(Concern),
    Escalate {
        concern: ConcernIdx,
        escalation: Escalation,
    },
    Resolve {
        concern: ConcernIdx,
        resolution: Resolution,
    },
}

/// The fact `change` is about to record that a later command may be ordered against, as
/// [`times`](crate::model::times) keys it (positions are the lists' lengths before the change).
pub(crate) fn mark_of(records: &Records, change: &Change) -> Option<Mark> {
    match change {
        Change::RaiseConcern(_) => Some(Mark(
            Fact::ConcernRaised,
            records.concerns().len() as u32,
            0,
        )),
        Change::Escalate { concern, .. } => Some(Mark(
            Fact::ConcernEscalation,
            concern.0,
            records.concern(*concern).escalations.len() as u32,
        )),
        _ => None,
    }
}

/// Applies `change` to `records`.
pub(crate) fn apply(records: &mut Records, change: Change) {
    match change {
        Change::RegisterHousehold(h) => records.push_household(h),
        Change::RemoveHousehold { household, on } => {
            let h = records.household_mut(household);
            h.until = Some(on);
            debug_assert!(h.since < on, "a household leaves after the day it joined");
        }
        Change::Reception(r) => records.push_reception(r),
        Change::Visit(v) => records.push_visit(v),
        Change::RaiseConcern(c) => records.push_concern(c),
        Change::Escalate {
            concern,
            escalation,
        } => {
            let c = records.concern_mut(concern);
            c.escalations.push(escalation);
            debug_assert!(
                super::state::in_order(c),
                "a concern's tiers go up in order"
            );
        }
        Change::Resolve {
            concern,
            resolution,
        } => {
            records.resolve_concern(concern, resolution);
            debug_assert!(super::state::in_order(records.concern(concern)));
        }
    }
}
