//! How each accepted service-action event changes the records. Applying cannot fail: a
//! [`Change`] holds resolved indices only, made by the checks from the records it applies to.

use jiff::civil::Date;

use super::tenure::{self, Held};
use super::{
    Activities, ActivityRecord, CaseStep, ContactPoint, Donation, HomeVisit, HotlineCase,
    HotlineCaseIdx, InstructorAssignment, MAX_TEAM_MEMBERS, Membership, Pairing, TeamIdx,
    VolunteerActivity, VolunteerTeam,
};
use crate::model::times::{Fact, Mark};

/// A checked change to the activity records.
#[derive(Debug)]
pub(crate) enum Change {
    ReceiveCase(HotlineCase),
    ResolveCase(HotlineCaseIdx, CaseStep),
    ReplyCase(HotlineCaseIdx, CaseStep),
    Donation(Donation),
    HomeVisit(HomeVisit),
    FoundTeam(VolunteerTeam),
    Join(TeamIdx, Membership),
    TeamActivity(VolunteerActivity),
    Link(ContactPoint),
    Assign(InstructorAssignment),
    Pair(Pairing),
    /// The open tenure of `held` at position `at` ends on `on` (leaving a team, unlinking a
    /// contact point, unassigning an instructor).
    Close {
        held: Held,
        at: usize,
        on: Date,
    },
    Activity(ActivityRecord),
}

/// The fact `change` is about to record that a later command may be ordered against, as
/// [`times`](crate::model::times) keys it (positions are the lists' lengths before the change).
pub(crate) fn mark_of(a: &Activities, change: &Change) -> Option<Mark> {
    let n = |len: usize| len as u32;
    Some(match change {
        Change::ReceiveCase(_) => Mark(Fact::CaseReceived, n(a.hotline_cases().len()), 0),
        Change::FoundTeam(_) => Mark(Fact::TeamFounded, n(a.teams().len()), 0),
        Change::Join(t, _) => Held::Team(*t).opened(a.team(*t).members.len()),
        Change::Link(_) => Held::Contact.opened(a.contact_points().len()),
        Change::Assign(_) => Held::Instructor.opened(a.instructors().len()),
        Change::Pair(_) => Held::Pairing.opened(a.pairings().len()),
        Change::Close { held, at, .. } => held.closed(*at),
        _ => return None,
    })
}

/// Applies `change` to `a`.
pub(crate) fn apply(a: &mut Activities, change: Change) {
    match change {
        Change::ReceiveCase(c) => a.push_hotline_case(c),
        Change::ResolveCase(c, step) => {
            let case = a.hotline_case_mut(c);
            debug_assert!(case.resolved.is_none() && step.on >= case.received);
            case.resolved = Some(step);
        }
        Change::ReplyCase(c, step) => {
            let case = a.hotline_case_mut(c);
            debug_assert!(case.replied.is_none() && step.on >= case.received);
            case.replied = Some(step);
        }
        Change::Donation(d) => a.push_donation(d),
        Change::HomeVisit(v) => a.push_home_visit(v),
        Change::FoundTeam(t) => a.push_team(t),
        Change::Join(t, m) => {
            let team = a.join_team(t, m);
            debug_assert!(
                team.members_now() <= MAX_TEAM_MEMBERS as usize,
                "a team holds at most its limit"
            );
            debug_assert!(one_open(team.tenures_of(m.member)));
        }
        Change::TeamActivity(v) => a.push_volunteer_activity(v),
        Change::Link(c) => {
            let (leader, org) = (c.leader, c.org);
            a.push_contact_point(c);
            debug_assert!(one_open(a.contact_tenures(leader, org)));
        }
        Change::Assign(i) => {
            let (instructor, target) = (i.instructor, i.target);
            a.push_instructor(i);
            debug_assert!(one_open(a.instructor_tenures(instructor, target)));
        }
        Change::Pair(p) => {
            let (partner, village) = (p.partner, p.village);
            a.push_pairing(p);
            debug_assert!(one_open(a.pairing_tenures(partner, village)));
        }
        Change::Close { held, at, on } => {
            if let Some(t) = a.tenure_mut(held, at) {
                tenure::end(t, on);
            }
        }
        Change::Activity(r) => a.push_activity(r),
    }
}

/// Whether exactly one of a key's tenures is open, as after one opens.
fn one_open<'a>(held: impl Iterator<Item = (usize, &'a super::Tenure)>) -> bool {
    held.filter(|(_, t)| t.is_open()).count() == 1
}
