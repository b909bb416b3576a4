//! Pledge figures for a subtree, as of a date, as mergeable partial aggregates.
//!
//! Every field is a count, so figures for disjoint parts of the tree add up exactly to the
//! figures of their union ([`PledgeFigures::merge`] is associative and commutative): a province
//! can compute each city apart, or a data platform each partition, and merge.
//!
//! A pledge is counted in the subtree of its owner's organization on the as-of date (an
//! organization's own, a member's posting then), so every pledge and every owner falls in
//! exactly one part of a partition of the tree.

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::ledger::State;
use crate::model::OrgIdx;
use crate::pledge::{Carrier, Focus, Owner, PledgeKind, PledgeStatus};

/// Pledge figures: counts only, so they merge by adding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgeFigures {
    /// Pledges by status on the as-of date (drafted on or before it), in
    /// [`PledgeStatus::ALL`] order.
    pub by_status: [u64; 5],
    /// Made (published on or before the as-of date), by kind, in [`PledgeKind::ALL`] order.
    pub made_by_kind: [u64; 2],
    /// Made, by focus, in [`Focus::ALL`] order.
    pub made_by_focus: [u64; 3],
    /// Made members' pledges, by carrier, in [`Carrier::ALL`] order.
    pub made_by_carrier: [u64; 4],
    /// Members with at least one made pledge, by its carrier (a member counts once per
    /// carrier), in [`Carrier::ALL`] order.
    pub members_by_carrier: [u64; 4],
    /// Organizations with a pledge returned for revision at least once (修改完善).
    pub revised_orgs: u64,
    /// Members with a pledge returned for revision at least once.
    pub revised_members: u64,
}

impl PledgeFigures {
    /// The figures of the pledges whose owner sat in `root`'s subtree on `as_of`.
    pub fn of(state: &State, root: OrgIdx, as_of: Date) -> PledgeFigures {
        let mut f = PledgeFigures::default();
        let mut revised = BTreeSet::new();
        let mut members = BTreeSet::new();
        for p in state.pledges() {
            let Some(status) = p.status_on(as_of) else {
                continue;
            };
            if !state.is_at_or_above(root, state.owner_org_on(p.owner, as_of)) {
                continue;
            }
            f.by_status[status_index(status)] += 1;
            if p.returned_by(as_of) {
                revised.insert(p.owner);
            }
            if status != PledgeStatus::Published {
                continue;
            }
            f.made_by_kind[kind_index(p.kind)] += 1;
            f.made_by_focus[focus_index(p.focus)] += 1;
            if let Some(c) = p.carrier {
                f.made_by_carrier[carrier_index(c)] += 1;
                if let Owner::Member(m) = p.owner {
                    members.insert((c, m));
                }
            }
        }
        for owner in revised {
            match owner {
                Owner::Org(_) => f.revised_orgs += 1,
                Owner::Member(_) => f.revised_members += 1,
            }
        }
        for (c, _) in members {
            f.members_by_carrier[carrier_index(c)] += 1;
        }
        f
    }

    /// Adds `other`'s counts to these: the figures of two disjoint parts make their union's.
    pub fn merge(&mut self, other: &PledgeFigures) {
        fn add<const N: usize>(a: &mut [u64; N], b: &[u64; N]) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        add(&mut self.by_status, &other.by_status);
        add(&mut self.made_by_kind, &other.made_by_kind);
        add(&mut self.made_by_focus, &other.made_by_focus);
        add(&mut self.made_by_carrier, &other.made_by_carrier);
        add(&mut self.members_by_carrier, &other.members_by_carrier);
        self.revised_orgs += other.revised_orgs;
        self.revised_members += other.revised_members;
    }

    /// Pledges made (published), all kinds.
    pub fn made(&self) -> u64 {
        self.made_by_kind.iter().sum()
    }

    /// Pledges made of `kind`.
    pub fn made_of(&self, kind: PledgeKind) -> u64 {
        self.made_by_kind[kind_index(kind)]
    }

    /// Pledges in `status` on the as-of date.
    pub fn in_status(&self, status: PledgeStatus) -> u64 {
        self.by_status[status_index(status)]
    }

    /// Members with a made pledge through `carrier`.
    pub fn members_with(&self, carrier: Carrier) -> u64 {
        self.members_by_carrier[carrier_index(carrier)]
    }
}

fn status_index(s: PledgeStatus) -> usize {
    PledgeStatus::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

fn kind_index(k: PledgeKind) -> usize {
    PledgeKind::ALL.iter().position(|x| *x == k).unwrap_or(0)
}

fn focus_index(f: Focus) -> usize {
    Focus::ALL.iter().position(|x| *x == f).unwrap_or(0)
}

fn carrier_index(c: Carrier) -> usize {
    Carrier::ALL.iter().position(|x| *x == c).unwrap_or(0)
}
