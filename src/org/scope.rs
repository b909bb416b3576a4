//! A report's scope: the organizations and members whose records its parts can count, and the
//! domains' indexes of their records by organization and by member, so that a subtree's report
//! reads the records of the subtree (and of the people in it) rather than every record of the
//! campaign. Its cost grows with the scope, not with the province.

use super::Registry;
use crate::model::keyed::{ByKey, Rows};
use crate::model::{MemberIdx, OrgIdx};

/// The organizations and members whose records can count in some part of an attribution: a
/// pass over a domain's records reads theirs alone, through the domain's index by organization
/// and by member, instead of every record. A superset: each record read is still placed by
/// the attribution, so what is counted is the same either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scope {
    /// Every organization counted in some part on some day (under the historical reading,
    /// every organization that ever moved or sits under one that did, as well), and every
    /// organization a member of `members` was ever posted to: sorted, distinct.
    orgs: Vec<u32>,
    /// Every member ever posted to an organization counted in some part: sorted, distinct.
    members: Vec<u32>,
}

impl Scope {
    /// A scope is kept when its organizations are at most this share of all (1 / n).
    const AT_MOST_ONE_IN: usize = 4;

    /// The scope of the organizations `counted` (sorted, distinct), or `None` when they are too
    /// large a share of the tree for it to be worth it.
    pub(super) fn of(reg: &Registry, counted: Vec<u32>) -> Option<Scope> {
        let n = reg.orgs().len();
        if counted.len().saturating_mul(Scope::AT_MOST_ONE_IN) > n {
            return None;
        }
        let mut members: Vec<u32> = counted
            .iter()
            .flat_map(|&o| reg.members_ever(OrgIdx(o)))
            .map(|m| m.0)
            .collect();
        members.sort_unstable();
        members.dedup();
        let mut orgs = counted;
        for &m in &members {
            orgs.extend(reg.member(MemberIdx(m)).postings.iter().map(|p| p.org.0));
        }
        orgs.sort_unstable();
        orgs.dedup();
        Some(Scope { orgs, members })
    }

    /// The organizations whose records can count (and then some), in index order.
    pub(crate) fn orgs(&self) -> impl Iterator<Item = u32> + '_ {
        self.orgs.iter().copied()
    }

    /// The members whose records can count (and then some), in index order.
    pub(crate) fn members(&self) -> impl Iterator<Item = u32> + '_ {
        self.members.iter().copied()
    }
}

/// Records' positions by organization and by member: what a domain keeps for each list a
/// report reads, so a scope's records are found through their keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ByScope {
    orgs: ByKey,
    members: ByKey,
}

impl ByScope {
    /// An empty index with room for what notes `orgs` and `members` will make: under the
    /// organizations, keys below `orgs.0` and `orgs.1` notes; likewise under the members.
    pub(crate) fn with_room(orgs: (usize, usize), members: (usize, usize)) -> ByScope {
        ByScope {
            orgs: ByKey::with_room(orgs.0, orgs.1),
            members: ByKey::with_room(members.0, members.1),
        }
    }

    /// Notes the record at `at` under organization `org`.
    pub(crate) fn org(&mut self, org: OrgIdx, at: usize) {
        self.orgs.add(org.0, position(at));
    }

    /// Notes the record at `at` under member `member`.
    pub(crate) fn member(&mut self, member: MemberIdx, at: usize) {
        self.members.add(member.0, position(at));
    }

    /// The records of `list` noted under `scope`'s organizations or members, in list order;
    /// every record without a scope.
    pub(crate) fn rows<'a, T>(&self, list: &'a [T], scope: Option<&Scope>) -> Rows<'a, T> {
        let positions = scope.map(|s| {
            let mut out = Vec::new();
            self.orgs.gather(s.orgs(), &mut out);
            self.members.gather(s.members(), &mut out);
            out
        });
        Rows::of(list, positions)
    }

    /// How many notes the index holds.
    pub(crate) fn len(&self) -> usize {
        self.orgs.len() + self.members.len()
    }

    /// Gives back spare capacity. Changes nothing readable.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.orgs.shrink_to_fit();
        self.members.shrink_to_fit();
    }
}

/// A list's position as the index keeps it (lists are indexed by u32).
fn position(at: usize) -> u32 {
    debug_assert!(u32::try_from(at).is_ok(), "list positions fit a u32");
    at as u32
}
