//! 123 work method compliance: each village organization and each of its cadres against the
//! rules' quotas, period by period.
//!
//! | quota | period | counted for a cadre | counted for the organization |
//! |---|---|---|---|
//! | `method123.receptions_per_week` | ISO week | receptions they were on duty at | its receptions |
//! | `method123.poor_household_visits_per_month` | month | distinct households they visited | distinct households of its register visited |
//! | `method123.concerns_handled_per_quarter` | quarter | concerns resolved with them named as handler | its concerns resolved (at any tier) |
//!
//! A period is judged only when it lies wholly inside the range asked for, and, for a cadre,
//! wholly inside one span of their holding a cadre's role in one village (the documented rule for
//! periods only partly inside a tenure: they are skipped, not pro-rated); for an organization,
//! wholly on or after the day it was established. A period is met when the count reaches the
//! quota (a quota of 0 is always met).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Attribution;
use super::fast::{Bits, IdxMap, IdxSet};
use crate::ledger::State;
use crate::method123::HouseholdIdx;
use crate::model::{Granularity, MemberIdx, OrgIdx, OrgKind, Period, Ratio, periods_between};
use crate::rules::RuleSet;

/// The three quotas of the 123 work method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quota {
    /// Receptions per ISO week.
    Receptions,
    /// Poor households visited per month.
    Visits,
    /// Concerns handled per quarter.
    Concerns,
}

impl Quota {
    /// Every quota, in report order.
    pub const ALL: [Quota; 3] = [Quota::Receptions, Quota::Visits, Quota::Concerns];

    /// The period it is counted over.
    pub fn granularity(self) -> Granularity {
        match self {
            Quota::Receptions => Granularity::Week,
            Quota::Visits => Granularity::Month,
            Quota::Concerns => Granularity::Quarter,
        }
    }

    /// The rule that sets it, by its path in the rule set.
    pub fn rule(self) -> &'static str {
        match self {
            Quota::Receptions => "method123.receptions_per_week",
            Quota::Visits => "method123.poor_household_visits_per_month",
            Quota::Concerns => "method123.concerns_handled_per_quarter",
        }
    }

    /// The count required per period under `rules`.
    pub fn required(self, rules: &RuleSet) -> u32 {
        match self {
            Quota::Receptions => rules.method123.receptions_per_week,
            Quota::Visits => rules.method123.poor_household_visits_per_month,
            Quota::Concerns => rules.method123.concerns_handled_per_quarter,
        }
    }

    fn index(self) -> usize {
        match self {
            Quota::Receptions => 0,
            Quota::Visits => 1,
            Quota::Concerns => 2,
        }
    }
}

/// Periods judged and met.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Periods judged.
    pub judged: u64,
    /// Of those, periods met.
    pub met: u64,
}

impl Tally {
    /// The compliance rate, exact; `None` when nothing was judged.
    pub fn rate(&self) -> Option<Ratio> {
        Ratio::new("compliance", self.met, self.judged).ok()
    }

    fn add(&mut self, met: bool) {
        self.judged += 1;
        self.met += u64::from(met);
    }

    fn merge(&mut self, o: &Tally) {
        self.judged += o.judged;
        self.met += o.met;
    }
}

/// Compliance of a subtree's village organizations and cadres, by quota; merged by adding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliance {
    /// Cadre-periods, by quota in [`Quota::ALL`] order.
    pub cadres: [Tally; 3],
    /// Organization-periods, by quota in [`Quota::ALL`] order.
    pub orgs: [Tally; 3],
}

impl Compliance {
    /// The cadres' tally for `quota`.
    pub fn cadres_for(&self, quota: Quota) -> Tally {
        self.cadres[quota.index()]
    }

    /// The organizations' tally for `quota`.
    pub fn orgs_for(&self, quota: Quota) -> Tally {
        self.orgs[quota.index()]
    }

    /// Adds `other`'s tallies to these.
    pub fn merge(&mut self, other: &Compliance) {
        for i in 0..3 {
            self.cadres[i].merge(&other.cadres[i]);
            self.orgs[i].merge(&other.orgs[i]);
        }
    }
}

/// One judged period, with the rule that judged it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The quota.
    pub quota: Quota,
    /// The rule that sets it (`method123.receptions_per_week`, …).
    pub rule: &'static str,
    /// The period.
    pub period: Period,
    /// The count in it.
    pub count: u32,
    /// The count required.
    pub required: u32,
    /// Whether it was met.
    pub met: bool,
}

/// Counts per (who, period), built once over the records in a range.
#[derive(Default)]
struct Counts {
    cadre: [IdxMap<(MemberIdx, Period), u32>; 3],
    org: [IdxMap<(OrgIdx, Period), u32>; 3],
    /// Per quota: the whole periods of the range, in order, with their first and last days
    /// (worked out once: every cadre and village is judged over a part of them).
    periods: [Vec<(Period, Date, Date)>; 3],
}

/// Whose counts [`Counts::build`] keeps: the cadres and villages about to be judged. Every
/// record in the range is still read, but only theirs are counted, so judging one township, one
/// cadre or one village costs a read of the records rather than a count of them all.
struct Judged {
    cadres: Bits,
    villages: Bits,
}

impl Judged {
    fn new(state: &State) -> Judged {
        Judged {
            cadres: Bits::new(state.members().len()),
            villages: Bits::new(state.orgs().len()),
        }
    }

    fn cadre(&self, m: MemberIdx) -> bool {
        self.cadres.contains(m.0 as usize)
    }

    fn village(&self, o: OrgIdx) -> bool {
        self.villages.contains(o.0 as usize)
    }
}

impl Counts {
    /// The counts of the cadres and villages of `judged` over the records dated in
    /// `[from, to]`.
    fn build(state: &State, from: Date, to: Date, judged: &Judged) -> Counts {
        let mut c = Counts::default();
        for q in Quota::ALL {
            c.periods[q.index()] = periods_between(from, to, q.granularity())
                .map(|p| (p, p.first_day(), p.last_day()))
                .filter(|(_, first, last)| from <= *first && *last <= to)
                .collect();
        }
        let in_range = |d: Date| from <= d && d <= to;
        for r in state.receptions().iter().filter(|r| in_range(r.on)) {
            let village = judged.village(r.village);
            if !village && !r.cadres.iter().any(|m| judged.cadre(*m)) {
                continue;
            }
            let week = Period::containing(r.on, Granularity::Week);
            for m in r.cadres.iter().filter(|m| judged.cadre(**m)) {
                *c.cadre[0].entry((*m, week)).or_default() += 1;
            }
            if village {
                *c.org[0].entry((r.village, week)).or_default() += 1;
            }
        }
        let mut seen_cadre: IdxSet<(MemberIdx, Period, HouseholdIdx)> = IdxSet::default();
        let mut seen_org: IdxSet<(OrgIdx, Period, HouseholdIdx)> = IdxSet::default();
        for v in state.visits().iter().filter(|v| in_range(v.on)) {
            let cadre = judged.cadre(v.cadre);
            let village = state.household(v.household).village;
            let org = judged.village(village);
            if !cadre && !org {
                continue;
            }
            let month = Period::containing(v.on, Granularity::Month);
            if cadre && seen_cadre.insert((v.cadre, month, v.household)) {
                *c.cadre[1].entry((v.cadre, month)).or_default() += 1;
            }
            if org && seen_org.insert((village, month, v.household)) {
                *c.org[1].entry((village, month)).or_default() += 1;
            }
        }
        for concern in state.concerns() {
            let Some(r) = concern.resolution.as_ref().filter(|r| in_range(r.on)) else {
                continue;
            };
            let quarter = Period::containing(r.on, Granularity::Quarter);
            if let Some(h) = r.handler.filter(|h| judged.cadre(*h)) {
                *c.cadre[2].entry((h, quarter)).or_default() += 1;
            }
            if judged.village(concern.village) {
                *c.org[2].entry((concern.village, quarter)).or_default() += 1;
            }
        }
        c
    }
}

/// A cadre's tenure in a village: the village, the first and the last day (inclusive).
type Tenure = (OrgIdx, Date, Date);

/// The spans `[start, end]` (inclusive) of `member` holding a cadre's role in a village
/// counted in some part of `parts`, clipped to `[from, to]`, with the village.
fn cadre_spans(
    state: &State,
    parts: &Attribution,
    member: MemberIdx,
    from: Date,
    to: Date,
) -> Vec<Tenure> {
    let mut spans: Vec<Tenure> = Vec::new();
    for (p, until) in state.member(member).postings.spans() {
        let village = state.org(p.org).kind == OrgKind::Village;
        if !p.role.is_cadre() || !village || parts.part(p.org).is_none() {
            continue;
        }
        let end = until.and_then(|u| u.yesterday().ok()).unwrap_or(to).min(to);
        let start = p.from.max(from);
        if start > end {
            continue;
        }
        // A change of role within the village (committee member to secretary) does not break
        // the tenure: join it to the span before.
        match spans.last_mut() {
            Some((v, _, last_end)) if *v == p.org && last_end.tomorrow().ok() == Some(start) => {
                *last_end = end;
            }
            _ => spans.push((p.org, start, end)),
        }
    }
    spans
}

/// The verdicts of one cadre or organization (`who`) over `[start, end]` (inside the range
/// `periods` were taken over), from the counts of its kind, for every quota and every whole
/// period.
fn judge<'a, K: std::hash::Hash + Eq + Copy + 'a>(
    counts: &'a [IdxMap<(K, Period), u32>; 3],
    periods: &'a [Vec<(Period, Date, Date)>; 3],
    rules: &'a RuleSet,
    who: K,
    start: Date,
    end: Date,
) -> impl Iterator<Item = Verdict> + 'a {
    Quota::ALL.into_iter().flat_map(move |quota| {
        let required = quota.required(rules);
        let list = &periods[quota.index()];
        let first = list.partition_point(|(_, f, _)| *f < start);
        let whole = list[first..].iter().take_while(move |(_, _, l)| *l <= end);
        whole.map(move |&(period, _, _)| {
            let count = counts[quota.index()]
                .get(&(who, period))
                .copied()
                .unwrap_or(0);
            Verdict {
                quota,
                rule: quota.rule(),
                period,
                count,
                required,
                met: count >= required,
            }
        })
    })
}

/// The villages of `root`'s subtree that existed by `to`, with the first day they are judged.
fn villages_from(state: &State, root: OrgIdx, from: Date, to: Date) -> Vec<(OrgIdx, Date)> {
    state
        .subtree(root)
        .into_iter()
        .filter(|o| state.org(*o).kind == OrgKind::Village && state.org(*o).since <= to)
        .map(|o| (o, state.org(o).since.max(from)))
        .collect()
}

/// Compliance of the village organizations and cadres in `root`'s subtree over the periods
/// wholly inside `[from, to]`.
pub fn compliance(
    state: &State,
    rules: &RuleSet,
    root: OrgIdx,
    from: Date,
    to: Date,
) -> Compliance {
    let parts = Attribution::subtree(state, root);
    compliance_parts(state, rules, &parts, from, to)
        .pop()
        .unwrap_or_default()
}

/// [`compliance`] for each part of `parts`, counting the records once: a cadre's tenure counts
/// in its village's part, a village in its own.
pub fn compliance_parts(
    state: &State,
    rules: &RuleSet,
    parts: &Attribution,
    from: Date,
    to: Date,
) -> Vec<Compliance> {
    compliance_and_villages(state, rules, parts, from, to, false).0
}

/// [`compliance_parts`], and when `with_villages` also every village's verdicts (as
/// [`village_verdicts`] gives them, in index order), from one count of the records.
pub(crate) fn compliance_and_villages(
    state: &State,
    rules: &RuleSet,
    parts: &Attribution,
    from: Date,
    to: Date,
    with_villages: bool,
) -> (Vec<Compliance>, Vec<(OrgIdx, Vec<Verdict>)>) {
    let mut judged = Judged::new(state);
    let tenures: Vec<(MemberIdx, Vec<Tenure>)> = (0..state.members().len())
        .map(|i| MemberIdx(i as u32))
        .map(|m| (m, cadre_spans(state, parts, m, from, to)))
        .filter(|(_, spans)| !spans.is_empty())
        .collect();
    for (m, _) in &tenures {
        judged.cadres.insert(m.0 as usize);
    }
    let villages_judged = villages_in(state, parts, from, to);
    for (o, _) in &villages_judged {
        judged.villages.insert(o.0 as usize);
    }
    let counts = Counts::build(state, from, to, &judged);
    let mut out: Vec<Compliance> = parts.fresh();
    let mut villages = Vec::new();
    for (m, spans) in tenures {
        for (village, start, end) in spans {
            let Some(part) = parts.part(village) else {
                continue;
            };
            for v in judge(&counts.cadre, &counts.periods, rules, m, start, end) {
                out[part].cadres[v.quota.index()].add(v.met);
            }
        }
    }
    for (o, start) in villages_judged {
        let Some(part) = parts.part(o) else {
            continue;
        };
        let verdicts = judge(&counts.org, &counts.periods, rules, o, start, to);
        if with_villages {
            let verdicts: Vec<Verdict> = verdicts.collect();
            for v in &verdicts {
                out[part].orgs[v.quota.index()].add(v.met);
            }
            villages.push((o, verdicts));
        } else {
            for v in verdicts {
                out[part].orgs[v.quota.index()].add(v.met);
            }
        }
    }
    (out, villages)
}

/// The villages counted in some part of `parts` that existed by `to`, in index order, with the
/// first day they are judged.
fn villages_in(state: &State, parts: &Attribution, from: Date, to: Date) -> Vec<(OrgIdx, Date)> {
    (0..state.orgs().len() as u32)
        .map(OrgIdx)
        .filter(|o| parts.part(*o).is_some())
        .filter(|o| state.org(*o).kind == OrgKind::Village && state.org(*o).since <= to)
        .map(|o| (o, state.org(o).since.max(from)))
        .collect()
}

/// Every judged period of one cadre over `[from, to]`, with the rule and the counts: the
/// explanation behind their tallies.
pub fn cadre_verdicts(
    state: &State,
    rules: &RuleSet,
    member: MemberIdx,
    from: Date,
    to: Date,
) -> Vec<Verdict> {
    let Some(root) = state.root() else {
        return Vec::new();
    };
    let mut judged = Judged::new(state);
    judged.cadres.insert(member.0 as usize);
    let counts = Counts::build(state, from, to, &judged);
    cadre_spans(state, &Attribution::subtree(state, root), member, from, to)
        .into_iter()
        .flat_map(|(_, start, end)| {
            judge(&counts.cadre, &counts.periods, rules, member, start, end).collect::<Vec<_>>()
        })
        .collect()
}

/// Every judged period of every village organization in `root`'s subtree over `[from, to]`,
/// village by village in the tree's order: [`org_verdicts`] for them all, counting the records
/// once.
pub fn village_verdicts(
    state: &State,
    rules: &RuleSet,
    root: OrgIdx,
    from: Date,
    to: Date,
) -> Vec<(OrgIdx, Vec<Verdict>)> {
    let villages = villages_from(state, root, from, to);
    let mut judged = Judged::new(state);
    for (o, _) in &villages {
        judged.villages.insert(o.0 as usize);
    }
    let counts = Counts::build(state, from, to, &judged);
    villages
        .into_iter()
        .map(|(o, start)| {
            (
                o,
                judge(&counts.org, &counts.periods, rules, o, start, to).collect(),
            )
        })
        .collect()
}

/// Every judged period of one village organization over `[from, to]`, with the rule and the
/// counts: the explanation behind its tallies. Empty for an organization that is not a village.
pub fn org_verdicts(
    state: &State,
    rules: &RuleSet,
    village: OrgIdx,
    from: Date,
    to: Date,
) -> Vec<Verdict> {
    let org = state.org(village);
    if org.kind != OrgKind::Village || org.since > to {
        return Vec::new();
    }
    let mut judged = Judged::new(state);
    judged.villages.insert(village.0 as usize);
    let counts = Counts::build(state, from, to, &judged);
    judge(
        &counts.org,
        &counts.periods,
        rules,
        village,
        org.since.max(from),
        to,
    )
    .collect()
}
