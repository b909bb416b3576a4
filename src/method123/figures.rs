//! Figures of the 123 work method for a subtree, as of a date, as mergeable partial aggregates.
//!
//! Records count in the subtree of their village (as the tree stood on the as-of date, or on
//! the record's date under the historical reading, see [`crate::org::Reading`]); cadres in the
//! subtree of the village they held their role in on the as-of date; households in their
//! village's on the as-of date. So the parts of a partition of the tree add up to the whole
//! ([`Method123Figures::merge`]).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Records, View};
use super::{Tier, escalation_due};
use crate::model::fast::Bits;
use crate::model::{OrgIdx, OrgKind, Role};
use crate::org::Attribution;
use crate::org::Registry;
use crate::rules::RuleSet;

/// The 123 work method in figures: counts only, merged by adding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Method123Figures {
    /// Village secretaries on the as-of date (村党组织书记).
    pub secretaries: u64,
    /// Village committee members on the as-of date (支委成员).
    pub committee_members: u64,
    /// Of those cadres, the ones with a reception, a visit or a resolution recorded by then.
    pub cadres_taking_part: u64,
    /// Receptions held.
    pub receptions: u64,
    /// Visitors received (接待群众人次).
    pub visitors_received: u64,
    /// Household visits made (走访).
    pub household_visits: u64,
    /// Distinct households visited (走访困难群众户数).
    pub households_visited: u64,
    /// Concerns collected (收集问题).
    pub concerns_collected: u64,
    /// Concerns resolved (已解决), by the tier that resolved them, in [`Tier::ALL`] order.
    pub concerns_resolved_by_tier: [u64; 3],
    /// Concerns open on the as-of date, by the tier handling them, in [`Tier::ALL`] order.
    pub concerns_open_by_tier: [u64; 3],
    /// Open concerns whose escalation is due by the rules' deadlines but not recorded.
    pub concerns_overdue: u64,
}

impl Method123Figures {
    /// The figures of the villages in `root`'s subtree, as of `as_of`.
    pub fn of<S: AsRef<Registry> + AsRef<Records>>(
        state: &S,
        rules: &RuleSet,
        root: OrgIdx,
        as_of: Date,
    ) -> Method123Figures {
        let state = &View::of(state);
        Method123Figures::over(state, rules, root, None, as_of)
    }

    /// The figures of the villages in `root`'s subtree for the records dated from `from` (the
    /// start when `None`) to `as_of`: receptions and visits held, concerns raised and cadres
    /// taking part in that span; cadres counted, and the standing of those concerns, as of
    /// `as_of`.
    pub fn over<S: AsRef<Registry> + AsRef<Records>>(
        state: &S,
        rules: &RuleSet,
        root: OrgIdx,
        from: Option<Date>,
        as_of: Date,
    ) -> Method123Figures {
        let state = &View::of(state);
        let parts = Attribution::subtree(state, root, as_of);
        Method123Figures::over_parts(state, rules, &parts, from, as_of)
            .pop()
            .unwrap_or_default()
    }

    /// [`Method123Figures::over`] for each part of `parts`, in one pass over the records.
    pub fn over_parts<S: AsRef<Registry> + AsRef<Records>>(
        state: &S,
        rules: &RuleSet,
        parts: &Attribution,
        from: Option<Date>,
        as_of: Date,
    ) -> Vec<Method123Figures> {
        let state = &View::of(state);
        let mut pass = Pass {
            state,
            parts,
            from,
            as_of,
            fs: parts.fresh(),
            active: Bits::new(state.members().len()),
        };
        pass.receptions();
        pass.visits();
        pass.concerns(rules);
        pass.cadres();
        pass.fs
    }

    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: &Method123Figures) {
        self.secretaries += other.secretaries;
        self.committee_members += other.committee_members;
        self.cadres_taking_part += other.cadres_taking_part;
        self.receptions += other.receptions;
        self.visitors_received += other.visitors_received;
        self.household_visits += other.household_visits;
        self.households_visited += other.households_visited;
        self.concerns_collected += other.concerns_collected;
        self.concerns_overdue += other.concerns_overdue;
        for i in 0..3 {
            self.concerns_resolved_by_tier[i] += other.concerns_resolved_by_tier[i];
            self.concerns_open_by_tier[i] += other.concerns_open_by_tier[i];
        }
    }

    /// Concerns resolved at any tier.
    pub fn concerns_resolved(&self) -> u64 {
        self.concerns_resolved_by_tier.iter().sum()
    }

    /// Concerns open at any tier.
    pub fn concerns_open(&self) -> u64 {
        self.concerns_open_by_tier.iter().sum()
    }
}

/// [`Method123Figures::over_parts`]'s pass over the records: each part's figures, and the
/// cadres with any record in the span, as they are counted.
struct Pass<'a> {
    state: &'a View<'a>,
    parts: &'a Attribution,
    from: Option<Date>,
    as_of: Date,
    fs: Vec<Method123Figures>,
    /// Cadres with any record in the span, wherever it was: a cadre counts in the part of the
    /// village they are in on the as-of date.
    active: Bits,
}

impl Pass<'_> {
    /// Whether a record of day `d` is in the span (from `from`, if any, to `as_of`).
    fn in_span(&self) -> impl Fn(Date) -> bool + use<> {
        let (from, as_of) = (self.from, self.as_of);
        move |d| d <= as_of && from.is_none_or(|f| d >= f)
    }

    /// Receptions held and visitors received, where each reception's record falls; the cadres
    /// on duty take part.
    fn receptions(&mut self) {
        let (state, parts, in_span) = (self.state, self.parts, self.in_span());
        let rows = state.reception_rows(parts.scope());
        for r in rows.filter(|r| in_span(r.on)) {
            for m in &r.cadres {
                self.active.insert(m.0 as usize);
            }
            if let Some(part) = parts.part_of_record(state, r.village, r.on) {
                self.fs[part].receptions += 1;
                self.fs[part].visitors_received += u64::from(r.visitors);
            }
        }
    }

    /// Visits: a household (户) falls in its village's part on the as-of date, counted there
    /// once however often it was visited; each visit (户次) where its record falls. The
    /// visiting cadres take part.
    fn visits(&mut self) {
        let (state, parts, in_span) = (self.state, self.parts, self.in_span());
        let mut households = Bits::new(state.households().len());
        for v in state.visit_rows(parts.scope()).filter(|v| in_span(v.on)) {
            self.active.insert(v.cadre.0 as usize);
            let village = state.household(v.household).village;
            if let Some(part) = parts.part_of_record(state, village, v.on) {
                self.fs[part].household_visits += 1;
            }
            if let Some(part) = parts.part(village)
                && households.insert(v.household.0 as usize)
            {
                self.fs[part].households_visited += 1;
            }
        }
    }

    /// Concerns raised in the span, where their record falls: resolved by tier, or open by
    /// tier and overdue under `rules`. A resolution's handler in the span takes part.
    fn concerns(&mut self, rules: &RuleSet) {
        let (state, parts, in_span, as_of) = (self.state, self.parts, self.in_span(), self.as_of);
        for c in state.concern_rows(parts.scope()) {
            if let Some(h) = c
                .resolution
                .as_ref()
                .filter(|r| in_span(r.on))
                .and_then(|r| r.handler)
            {
                self.active.insert(h.0 as usize);
            }
            if !in_span(c.raised) {
                continue;
            }
            let Some(part) = parts.part_of_record(state, c.village, c.raised) else {
                continue;
            };
            let f = &mut self.fs[part];
            f.concerns_collected += 1;
            match &c.resolution {
                Some(r) if r.on <= as_of => f.concerns_resolved_by_tier[tier_index(r.tier)] += 1,
                _ => {
                    f.concerns_open_by_tier[tier_index(c.tier_on(as_of))] += 1;
                    if !escalation_due(c, as_of, &rules.escalation).is_empty() {
                        f.concerns_overdue += 1;
                    }
                }
            }
        }
    }

    /// Village cadres, where they held their role on the as-of date whatever village their
    /// records were in, so every cadre falls in one part of a partition; and those taking part.
    fn cadres(&mut self) {
        let (state, parts, as_of) = (self.state, self.parts, self.as_of);
        for (i, m) in members_of(state, parts) {
            let Some(p) = m.posting_on(as_of) else {
                continue;
            };
            if !p.role.is_cadre() || state.org(p.org).kind != OrgKind::Village {
                continue;
            }
            let Some(part) = parts.part(p.org) else {
                continue;
            };
            let f = &mut self.fs[part];
            match p.role {
                Role::Secretary => f.secretaries += 1,
                _ => f.committee_members += 1,
            }
            if self.active.contains(i) {
                f.cadres_taking_part += 1;
            }
        }
    }
}

/// The members `parts` can count with their index: its scope's, or every member.
pub(crate) fn members_of<'a>(
    state: &'a View<'a>,
    parts: &'a Attribution,
) -> Box<dyn Iterator<Item = (usize, &'a crate::model::Member)> + 'a> {
    match parts.scope() {
        Some(scope) => Box::new(
            scope
                .members()
                .map(|m| (m as usize, state.member(crate::model::MemberIdx(m)))),
        ),
        None => Box::new(state.members().iter().enumerate()),
    }
}

fn tier_index(t: Tier) -> usize {
    Tier::ALL.iter().position(|x| *x == t).unwrap_or(0)
}
