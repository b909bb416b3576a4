//! Pledge figures for a subtree, as of a date, as mergeable partial aggregates.
//!
//! Every field is a count, so figures for disjoint parts of the tree add up exactly to the
//! figures of their union ([`PledgeFigures::merge`] is associative and commutative): a province
//! can compute each city apart, or a data platform each partition, and merge.
//!
//! Under the as-of reading ([`crate::org::Reading`]) a pledge is counted in the subtree of its
//! owner's organization on the as-of date (an organization's own, a member's posting then);
//! under the historical reading, in the subtree its owner stood under on the day it was
//! drafted, and each fulfilment record's outputs under the one on the record's day. Owners
//! (members with a pledge under a carrier, organizations and members with a pledge returned)
//! count where they stood on the as-of date in both. So every pledge, record and owner falls in
//! exactly one part of a partition of the tree.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::state::Facts;
use super::{Carrier, Focus, Outputs, Owner, PledgeKind, PledgeStatus, owner_org_on};
use super::{Pledge, Pledges};
use crate::model::OrgIdx;
use crate::model::Ratio;
use crate::model::fast::Bits;
use crate::org::{Attribution, Reading, Registry};

/// The outputs of one carrier's fulfilment records, summed: counts, and the benefit in fen
/// (exact integers, so sums merge without rounding).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierOutputs {
    /// Counts in the order of [`Outputs::counts`].
    pub counts: [u64; 9],
    /// The benefit, in fen (0.01 yuan).
    pub benefit_fen: u128,
}

impl CarrierOutputs {
    fn add(&mut self, o: &Outputs) {
        for (sum, (_, n)) in self.counts.iter_mut().zip(o.counts()) {
            *sum = sum.saturating_add(n);
        }
        self.benefit_fen = self
            .benefit_fen
            .saturating_add(u128::try_from(o.benefit_yuan.fen()).unwrap_or(0));
    }

    fn merge(&mut self, other: &CarrierOutputs) {
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a = a.saturating_add(b);
        }
        self.benefit_fen = self.benefit_fen.saturating_add(other.benefit_fen);
    }

    /// The count of the output named `name` (as in [`Outputs::counts`]), if there is one.
    pub fn count(&self, name: &str) -> Option<u64> {
        let names = Outputs::default().counts().map(|(n, _)| n);
        names
            .iter()
            .position(|n| *n == name)
            .map(|i| self.counts[i])
    }

    /// The benefit in yuan, exact.
    pub fn benefit_yuan(&self) -> rust_decimal::Decimal {
        // 10⁻² × a u128 below 2⁹⁶ is exact; saturate beyond (unreachable: every record is
        // bounded).
        let fen = i128::try_from(self.benefit_fen).unwrap_or(i128::MAX);
        rust_decimal::Decimal::try_from_i128_with_scale(fen, 2)
            .unwrap_or(rust_decimal::Decimal::MAX)
            .normalize()
    }
}

/// Pledge figures: counts only, so they merge by adding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgeFigures {
    /// Pledges by status on the as-of date (drafted on or before it), in
    /// [`PledgeStatus::ALL`] order.
    pub by_status: [u64; 8],
    /// Fulfilled by the as-of date, by kind, in [`PledgeKind::ALL`] order.
    pub fulfilled_by_kind: [u64; 2],
    /// Of those, fulfilled on or before their deadline.
    pub fulfilled_in_time: u64,
    /// Outputs of fulfilment records dated on or before the as-of date, by the pledge's
    /// carrier, in [`Carrier::ALL`] order.
    pub outputs_by_carrier: [CarrierOutputs; 4],
    /// Made (published on or before the as-of date, whatever came after), by kind, in
    /// [`PledgeKind::ALL`] order.
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
    pub fn of<S: AsRef<Registry> + AsRef<Pledges>>(
        state: &S,
        root: OrgIdx,
        as_of: Date,
    ) -> PledgeFigures {
        PledgeFigures::over(state, root, None, as_of)
    }

    /// The figures of the pledges set (drafted) from `from` (the start when `None`) to
    /// `as_of` whose owner sat in `root`'s subtree on `as_of`: their status as of `as_of`, and
    /// the outputs recorded from `from` to `as_of`.
    pub fn over<S: AsRef<Registry> + AsRef<Pledges>>(
        state: &S,
        root: OrgIdx,
        from: Option<Date>,
        as_of: Date,
    ) -> PledgeFigures {
        let parts = Attribution::subtree(state, root, as_of);
        PledgeFigures::over_parts(state, &parts, from, as_of)
            .pop()
            .unwrap_or_default()
    }

    /// [`PledgeFigures::over`] for each part of `parts`, in one pass over the pledges.
    pub fn over_parts<S: AsRef<Registry> + AsRef<Pledges>>(
        state: &S,
        parts: &Attribution,
        from: Option<Date>,
        as_of: Date,
    ) -> Vec<PledgeFigures> {
        let (reg, pledges): (&Registry, &Pledges) = (state.as_ref(), state.as_ref());
        let in_span = |d: Date| d <= as_of && from.is_none_or(|f| d >= f);
        let mut fs: Vec<PledgeFigures> = parts.fresh();
        // An owner, and a member under a carrier, fall in one part each (their organization on
        // the as-of date): each is counted where first seen.
        let mut revised_orgs = Bits::new(reg.orgs().len());
        let mut revised_members = Bits::new(reg.members().len());
        let carriers = Carrier::ALL.len();
        let mut members = Bits::new(reg.members().len() * carriers);
        for (p, facts) in pledges.rows_with_facts(parts.scope()) {
            let Some(status) = p.status_on(as_of) else {
                continue;
            };
            let drafted = p.status.drafted_on();
            if from.is_some_and(|f| drafted < f) {
                continue;
            }
            let owner_part = parts.part(owner_org_on(reg, p.owner, as_of));
            if let Some(part) = owner_part
                && facts.returned_by(as_of)
            {
                let f = &mut fs[part];
                match p.owner {
                    Owner::Org(o) if revised_orgs.insert(o.0 as usize) => f.revised_orgs += 1,
                    Owner::Member(m) if revised_members.insert(m.0 as usize) => {
                        f.revised_members += 1;
                    }
                    _ => {}
                }
            }
            if let (Some(part), Some(c), Owner::Member(m)) = (owner_part, p.carrier, p.owner)
                && status.is_made()
                && members.insert(m.0 as usize * carriers + carrier_index(c))
            {
                fs[part].members_by_carrier[carrier_index(c)] += 1;
            }
            // Under the as-of reading a pledge's records go where its owner stood on the
            // as-of date, already found; under the historical, each by its own day.
            let record_part = |date: Date| match parts.reading() {
                Reading::AsOf => owner_part,
                Reading::Historical => historical_part(reg, parts, p.owner, date),
            };
            if let Some(part) = record_part(drafted) {
                count_pledge(&mut fs[part], p, facts, status);
            }
            if let (Some(c), true) = (p.carrier, status.is_made()) {
                for r in p.fulfilments.iter().filter(|r| in_span(r.on)) {
                    if let Some(part) = record_part(r.on) {
                        fs[part].outputs_by_carrier[carrier_index(c)].add(&r.outputs);
                    }
                }
            }
        }
        fs
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
        add(&mut self.fulfilled_by_kind, &other.fulfilled_by_kind);
        self.fulfilled_in_time += other.fulfilled_in_time;
        for (a, b) in self
            .outputs_by_carrier
            .iter_mut()
            .zip(&other.outputs_by_carrier)
        {
            a.merge(b);
        }
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

    /// Pledges of `kind` fulfilled by the as-of date.
    pub fn fulfilled_of(&self, kind: PledgeKind) -> u64 {
        self.fulfilled_by_kind[kind_index(kind)]
    }

    /// The completion rate of pledges of `kind`: fulfilled over made, exact; `None` when none
    /// was made.
    pub fn completion_rate(&self, kind: PledgeKind) -> Option<Ratio> {
        Ratio::new(
            "completion_rate",
            self.fulfilled_of(kind),
            self.made_of(kind),
        )
        .ok()
    }

    /// The outputs of `carrier`'s fulfilment records.
    pub fn outputs_of(&self, carrier: Carrier) -> &CarrierOutputs {
        &self.outputs_by_carrier[carrier_index(carrier)]
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

/// The part a pledge's record dated `date` counts in under the historical reading: where its
/// owner stood on `date` (a member: their posting that day), in the tree of that day.
fn historical_part(reg: &Registry, parts: &Attribution, owner: Owner, date: Date) -> Option<usize> {
    parts.part_of_record(reg, owner_org_on(reg, owner, date), date)
}

/// Counts a pledge (drafted in the span) by its status on the as-of date.
fn count_pledge(f: &mut PledgeFigures, p: &Pledge, facts: Facts, status: PledgeStatus) {
    f.by_status[status_index(status)] += 1;
    if !status.is_made() {
        return;
    }
    f.made_by_kind[kind_index(p.kind)] += 1;
    if status == PledgeStatus::Fulfilled {
        f.fulfilled_by_kind[kind_index(p.kind)] += 1;
        if facts.in_time == Some(true) {
            f.fulfilled_in_time += 1;
        }
    }
    f.made_by_focus[focus_index(p.focus)] += 1;
    if let Some(c) = p.carrier {
        f.made_by_carrier[carrier_index(c)] += 1;
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
