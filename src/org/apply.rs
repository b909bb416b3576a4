//! How each accepted event of the tree changes the registry. Applying cannot fail: a
//! [`Change`] holds resolved indexes only, made by the checks from the registry it applies to.

use jiff::civil::Date;

use super::Registry;
use crate::model::UnitStanding;
use crate::model::times::{Fact, Mark};
use crate::model::{LeaderLevel, Member, MemberIdx, Name, Org, OrgIdx, Posting, Unit, UnitIdx};

/// A checked change to the registry.
#[derive(Debug)]
pub(crate) enum Change {
    CreateOrg(Org),
    MoveOrg {
        org: OrgIdx,
        parent: OrgIdx,
        date: Date,
    },
    RenameOrg {
        org: OrgIdx,
        name: Name,
        date: Date,
    },
    AddMember(Member),
    PostMember {
        member: MemberIdx,
        posting: Posting,
    },
    SetLeaderLevel {
        member: MemberIdx,
        level: LeaderLevel,
        date: Date,
    },
    RegisterUnit(Unit),
    SetStanding {
        unit: UnitIdx,
        standing: UnitStanding,
    },
}

/// The fact `change` is about to record that a later command may be ordered against, as
/// [`times`](crate::model::times) keys it (positions are the lists' lengths before the change).
pub(crate) fn mark_of(reg: &Registry, change: &Change) -> Option<Mark> {
    let n = |len: usize| len as u32;
    Some(match change {
        Change::MoveOrg { org, .. } => {
            Mark(Fact::OrgMove, org.0, n(reg.org(*org).former_parents.len()))
        }
        Change::AddMember(_) => Mark(Fact::Posting, n(reg.members().len()), 0),
        // A history keeps one entry a day: a change on the day of the last replaces it.
        Change::PostMember { member, posting } => {
            let h = &reg.member(*member).postings;
            let replaces = h.current().from == posting.from;
            Mark(Fact::Posting, member.0, n(h.len() - usize::from(replaces)))
        }
        Change::RegisterUnit(_) => Mark(Fact::Standing, n(reg.units().len()), 0),
        Change::SetStanding { unit, standing } => {
            let h = &reg.unit(*unit).standings;
            let replaces = h.current().from == standing.from;
            Mark(Fact::Standing, unit.0, n(h.len() - usize::from(replaces)))
        }
        Change::CreateOrg(_) | Change::RenameOrg { .. } | Change::SetLeaderLevel { .. } => {
            return None;
        }
    })
}

/// Applies `change` to `reg`.
pub(crate) fn apply(reg: &mut Registry, change: Change) {
    match change {
        Change::CreateOrg(org) => {
            let idx = reg.push_org(org);
            debug_assert!(reg.org(idx).parent.is_none_or(|p| p < idx));
        }
        Change::MoveOrg { org, parent, date } => {
            reg.move_org(org, parent, date);
            debug_assert!(!reg.is_at_or_above(org, parent), "a move makes no cycle");
        }
        Change::RenameOrg { org, name, date } => reg.rename_org(org, name, date),
        Change::AddMember(member) => {
            reg.push_member(member);
        }
        Change::PostMember { member, posting } => {
            reg.post_member(member, posting);
            debug_assert_eq!(reg.member(member).current(), posting);
        }
        Change::SetLeaderLevel {
            member,
            level,
            date,
        } => reg.set_leader_level(member, level, date),
        Change::RegisterUnit(unit) => {
            reg.push_unit(unit);
        }
        Change::SetStanding { unit, standing } => {
            reg.set_unit_standing(unit, standing);
            debug_assert_eq!(reg.unit(unit).current(), standing);
        }
    }
}
