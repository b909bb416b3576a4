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

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;

use super::{HouseholdIdx, Records, View};
use crate::model::fast::IdxHasher;
use crate::model::{Granularity, MemberIdx, OrgIdx, OrgKind, Period, Ratio, periods_between};
use crate::org::Registry;
use crate::org::{Attribution, Scope};
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

/// Counts per (who, whole period), built once over the records in a range: one row per cadre
/// or village being judged, one column per whole period of the quota (a province's year is
/// about five million cells; hash maps of them cost seconds).
#[derive(Default)]
struct Counts {
    cadre: [Grid; 3],
    org: [Grid; 3],
    /// Per quota: the whole periods of the range, in order, with their first and last days
    /// (worked out once: every cadre and village is judged over a part of them). A column of a
    /// grid is a position in this list.
    periods: [Vec<(Period, Date, Date)>; 3],
}

/// Counts by row and column: a flat array over the rows and the columns the records fall in,
/// unless that would take more than [`Grid::CELLS_PER_COUNT`] cells for each count (records
/// spread over decades), then a map of the cells counted. Either way the memory stays
/// proportional to the records, never to the range asked for.
enum Grid {
    Dense {
        first: usize,
        columns: usize,
        cells: Vec<u32>,
    },
    Sparse(HashMap<(u32, usize), u32, BuildHasherDefault<IdxHasher>>),
}

impl Default for Grid {
    fn default() -> Grid {
        Grid::Sparse(HashMap::default())
    }
}

impl Grid {
    /// Cells a dense grid may take for each count it holds (beyond a first million).
    const CELLS_PER_COUNT: usize = 16;

    /// The grid of `counts` ((row, column) each, a cell counted once for each time it appears)
    /// over `rows` rows.
    fn of(rows: u32, counts: &[(u32, u32)]) -> Grid {
        let first = counts.iter().map(|c| c.1).min().unwrap_or(0) as usize;
        let last = counts.iter().map(|c| c.1).max().unwrap_or(0) as usize;
        let columns = last - first + 1;
        let cells = (rows as usize).saturating_mul(columns);
        let budget = (1 << 20) + counts.len().saturating_mul(Self::CELLS_PER_COUNT);
        let mut grid = if cells <= budget {
            Grid::Dense {
                first,
                columns,
                cells: vec![0; cells],
            }
        } else {
            Grid::default()
        };
        for &(row, column) in counts {
            grid.add(row, column as usize);
        }
        grid
    }

    fn add(&mut self, row: u32, column: usize) {
        match self {
            Grid::Dense {
                first,
                columns,
                cells,
            } => {
                if let Some(c) = column
                    .checked_sub(*first)
                    .filter(|c| c < columns)
                    .and_then(|c| cells.get_mut(row as usize * *columns + c))
                {
                    *c = c.saturating_add(1);
                }
            }
            Grid::Sparse(map) => {
                let c = map.entry((row, column)).or_default();
                *c = c.saturating_add(1);
            }
        }
    }

    fn get(&self, row: u32, column: usize) -> u32 {
        match self {
            Grid::Dense {
                first,
                columns,
                cells,
            } => column
                .checked_sub(*first)
                .filter(|c| c < columns)
                .and_then(|c| cells.get(row as usize * *columns + c))
                .copied()
                .unwrap_or(0),
            Grid::Sparse(map) => map.get(&(row, column)).copied().unwrap_or(0),
        }
    }
}

/// The column of the whole period of `periods` holding `d`, if one does (a day in a period only
/// partly inside the range holds none).
fn column(periods: &[(Period, Date, Date)], d: Date) -> Option<u32> {
    let i = periods
        .partition_point(|(_, first, _)| *first <= d)
        .checked_sub(1)?;
    (d <= periods[i].2).then_some(i as u32)
}

/// Whose counts [`Counts::build`] keeps, and in which row: the cadres and villages about to be
/// judged. Every record in the range is still read, but only theirs are counted, so judging one
/// township, one cadre or one village costs a read of the records rather than a count of them
/// all.
struct Judged {
    /// Per member: 0, or their row + 1.
    cadre_row: Vec<u32>,
    /// Per organization: 0, or its row + 1.
    village_row: Vec<u32>,
    cadres: u32,
    villages: u32,
}

impl Judged {
    fn new(state: &View) -> Judged {
        Judged {
            cadre_row: vec![0; state.members().len()],
            village_row: vec![0; state.orgs().len()],
            cadres: 0,
            villages: 0,
        }
    }

    fn add_cadre(&mut self, m: MemberIdx) {
        if let Some(r) = self.cadre_row.get_mut(m.0 as usize)
            && *r == 0
        {
            self.cadres += 1;
            *r = self.cadres;
        }
    }

    fn add_village(&mut self, o: OrgIdx) {
        if let Some(r) = self.village_row.get_mut(o.0 as usize)
            && *r == 0
        {
            self.villages += 1;
            *r = self.villages;
        }
    }

    fn cadre(&self, m: MemberIdx) -> Option<u32> {
        self.cadre_row.get(m.0 as usize)?.checked_sub(1)
    }

    fn village(&self, o: OrgIdx) -> Option<u32> {
        self.village_row.get(o.0 as usize)?.checked_sub(1)
    }
}

impl Counts {
    /// The counts of the cadres and villages of `judged` over the records dated in
    /// `[from, to]`.
    fn build(state: &View, scope: Option<&Scope>, from: Date, to: Date, judged: &Judged) -> Counts {
        let mut c = Counts::default();
        for q in Quota::ALL {
            c.periods[q.index()] = periods_between(from, to, q.granularity())
                .map(|p| (p, p.first_day(), p.last_day()))
                .filter(|(_, first, last)| from <= *first && *last <= to)
                .collect();
        }
        let [weeks, months, quarters] = &c.periods;
        // (row, column) once for each count, by quota, for the cadres and the villages.
        let mut cadre: [Vec<(u32, u32)>; 3] = Default::default();
        let mut org: [Vec<(u32, u32)>; 3] = Default::default();
        for r in state.reception_rows(scope) {
            let Some(week) = column(weeks, r.on) else {
                continue;
            };
            for row in r.cadres.iter().filter_map(|m| judged.cadre(*m)) {
                cadre[0].push((row, week));
            }
            if let Some(row) = judged.village(r.village) {
                org[0].push((row, week));
            }
        }
        // Distinct households a month: each (row, month, household) once.
        let households = state.households().len();
        let mut cadre_visits = Visited::new(months.len(), households);
        let mut village_visits = Visited::new(months.len(), households);
        for v in state.visit_rows(scope) {
            let Some(month) = column(months, v.on) else {
                continue;
            };
            if let Some(row) = judged.cadre(v.cadre) {
                cadre_visits.add(row, month, v.household);
            }
            // A household's village is looked up only when villages are judged at all.
            if judged.villages > 0
                && let Some(row) = judged.village(state.household(v.household).village)
            {
                village_visits.add(row, month, v.household);
            }
        }
        cadre_visits.distinct(&mut cadre[1]);
        village_visits.distinct(&mut org[1]);
        for concern in state.concern_rows(scope) {
            let Some(r) = concern.resolution.as_ref() else {
                continue;
            };
            let Some(quarter) = column(quarters, r.on) else {
                continue;
            };
            if let Some(row) = r.handler.and_then(|h| judged.cadre(h)) {
                cadre[2].push((row, quarter));
            }
            if let Some(row) = judged.village(concern.village) {
                org[2].push((row, quarter));
            }
        }
        for q in 0..3 {
            c.cadre[q] = Grid::of(judged.cadres, &cadre[q]);
            c.org[q] = Grid::of(judged.villages, &org[q]);
        }
        c
    }
}

/// Visits by (row, column, household), to be counted once each: a household visited twice in a
/// month by the same cadre (or in the same village) counts once. The visits are kept by column,
/// each as one integer, the row above the household's bits (both are below 2³², so it fits),
/// so finding the distinct ones is a sort of plain integers, a month at a time.
struct Visited {
    /// The bits a household's index takes.
    household_bits: u32,
    by_column: Vec<Vec<u64>>,
}

impl Visited {
    fn new(columns: usize, households: usize) -> Visited {
        let last = households.saturating_sub(1) as u64;
        Visited {
            household_bits: u64::BITS - last.leading_zeros(),
            by_column: vec![Vec::new(); columns],
        }
    }

    /// A visit to `household` counted in `row`, `column`. `household` is one of the campaign's
    /// and `column` one of the range's (as [`column`] gives them).
    fn add(&mut self, row: u32, column: u32, household: HouseholdIdx) {
        debug_assert!(u64::from(household.0) >> self.household_bits == 0);
        if let Some(keys) = self.by_column.get_mut(column as usize) {
            keys.push(u64::from(row) << self.household_bits | u64::from(household.0));
        }
    }

    /// Appends (row, column) to `out` once for each distinct (row, column, household).
    fn distinct(mut self, out: &mut Vec<(u32, u32)>) {
        for (column, keys) in self.by_column.iter_mut().enumerate() {
            keys.sort_unstable();
            keys.dedup();
            let row = |k: &u64| (k >> self.household_bits) as u32;
            out.extend(keys.iter().map(|k| (row(k), column as u32)));
        }
    }
}

/// A cadre's tenure in a village: the village, the first and the last day (inclusive).
type Tenure = (OrgIdx, Date, Date);

/// The spans `[start, end]` (inclusive) of `member` holding a cadre's role in a village
/// counted in some part of `parts`, clipped to `[from, to]`, with the village.
fn cadre_spans(
    state: &View,
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

impl Counts {
    /// The verdicts of cadre `m` (judged in `judged`) over `[start, end]`.
    fn cadre_verdicts<'a>(
        &'a self,
        rules: &'a RuleSet,
        judged: &Judged,
        m: MemberIdx,
        start: Date,
        end: Date,
    ) -> impl Iterator<Item = Verdict> + 'a {
        judge(
            &self.cadre,
            &self.periods,
            rules,
            judged.cadre(m),
            start,
            end,
        )
        .map(|(v, _)| v)
    }

    /// Cadre `m`'s verdicts over `[start, end]` (as [`Counts::cadre_verdicts`] gives them)
    /// tallied by quota, without building each verdict.
    fn cadre_tallies(
        &self,
        rules: &RuleSet,
        judged: &Judged,
        m: MemberIdx,
        start: Date,
        end: Date,
    ) -> [Tally; 3] {
        let row = judged.cadre(m);
        Quota::ALL.map(|quota| {
            let (required, grid) = (quota.required(rules), &self.cadre[quota.index()]);
            let mut tally = Tally::default();
            for column in whole_periods(&self.periods[quota.index()], start, end) {
                tally.add(row.map_or(0, |r| grid.get(r, column)) >= required);
            }
            tally
        })
    }

    /// The verdicts of village `o` (judged in `judged`) from `start` to `end`, each with its
    /// period's last day.
    fn village_verdicts<'a>(
        &'a self,
        rules: &'a RuleSet,
        judged: &Judged,
        o: OrgIdx,
        start: Date,
        end: Date,
    ) -> impl Iterator<Item = (Verdict, Date)> + 'a {
        judge(
            &self.org,
            &self.periods,
            rules,
            judged.village(o),
            start,
            end,
        )
    }
}

/// The verdicts of one cadre or organization (`who`) over `[start, end]` (inside the range
/// `periods` were taken over), from the counts of its kind, for every quota and every whole
/// period, each with its period's last day (worked out once, in `periods`).
fn judge<'a>(
    counts: &'a [Grid; 3],
    periods: &'a [Vec<(Period, Date, Date)>; 3],
    rules: &'a RuleSet,
    row: Option<u32>,
    start: Date,
    end: Date,
) -> impl Iterator<Item = (Verdict, Date)> + 'a {
    Quota::ALL.into_iter().flat_map(move |quota| {
        let required = quota.required(rules);
        let list = &periods[quota.index()];
        whole_periods(list, start, end).map(move |column| {
            let (period, _, last) = list[column];
            let count = row.map_or(0, |r| counts[quota.index()].get(r, column));
            let verdict = Verdict {
                quota,
                rule: quota.rule(),
                period,
                count,
                required,
                met: count >= required,
            };
            (verdict, last)
        })
    })
}

/// The columns of the periods of `list` (one quota's, in order) that lie wholly inside
/// `[start, end]`.
fn whole_periods(list: &[(Period, Date, Date)], start: Date, end: Date) -> Range<usize> {
    let first = list.partition_point(|(_, f, _)| *f < start);
    // The periods follow one another, so their last days are in order too.
    let past = list.partition_point(|(_, _, l)| *l <= end);
    first..past.max(first)
}

/// The villages of `root`'s subtree as it stood on `to`, with the first day they are judged.
fn villages_from(state: &View, root: OrgIdx, from: Date, to: Date) -> Vec<(OrgIdx, Date)> {
    AsRef::<Registry>::as_ref(state)
        .subtree_on(root, to)
        .into_iter()
        .filter(|o| state.org(*o).kind == OrgKind::Village)
        .map(|o| (o, state.org(o).since.max(from)))
        .collect()
}

/// The first day the quotas are judged over the records from `from` (the start when `None`) to
/// `as_of`: `from`, but not before the method's first record in the campaign (a household
/// registered, a reception, a visit or a concern), so the weeks before a city adopted the
/// method are not counted against it. `None` when the method has no record by `as_of`.
pub fn quotas_start(records: &Records, from: Option<Date>, as_of: Date) -> Option<Date> {
    let first = records.first_day()?;
    let start = from.map_or(first, |f| f.max(first));
    (start <= as_of).then_some(start)
}

/// Compliance of the village organizations and cadres in `root`'s subtree over the periods
/// wholly inside `[from, to]`.
pub fn compliance<S: AsRef<Registry> + AsRef<Records>>(
    state: &S,
    rules: &RuleSet,
    root: OrgIdx,
    from: Date,
    to: Date,
) -> Compliance {
    let state = &View::of(state);
    let parts = Attribution::subtree(state, root, to);
    compliance_parts(state, rules, &parts, from, to)
        .pop()
        .unwrap_or_default()
}

/// [`compliance`] for each part of `parts`, counting the records once: a cadre's tenure counts
/// in its village's part, a village in its own.
pub fn compliance_parts<S: AsRef<Registry> + AsRef<Records>>(
    state: &S,
    rules: &RuleSet,
    parts: &Attribution,
    from: Date,
    to: Date,
) -> Vec<Compliance> {
    let state = &View::of(state);
    compliance_and_villages(state, rules, parts, from, to, false).0
}

/// One judged period of a village, as the report's month grid needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Judgement {
    /// The quota judged.
    pub quota: Quota,
    /// The period's last day.
    pub last: Date,
    /// Whether it was met.
    pub met: bool,
}

/// [`compliance_parts`], and when `with_villages` also every village's judged periods (those
/// [`village_verdicts`] gives, in index order), from one count of the records.
pub(crate) fn compliance_and_villages<S: AsRef<Registry> + AsRef<Records>>(
    state: &S,
    rules: &RuleSet,
    parts: &Attribution,
    from: Date,
    to: Date,
    with_villages: bool,
) -> (Vec<Compliance>, Vec<(OrgIdx, Vec<Judgement>)>) {
    let state = &View::of(state);
    let mut judged = Judged::new(state);
    let tenures: Vec<(MemberIdx, Vec<Tenure>)> = super::figures::members_of(state, parts)
        .map(|(i, _)| MemberIdx(i as u32))
        .map(|m| (m, cadre_spans(state, parts, m, from, to)))
        .filter(|(_, spans)| !spans.is_empty())
        .collect();
    for (m, _) in &tenures {
        judged.add_cadre(*m);
    }
    let villages_judged = villages_in(state, parts, from, to);
    for (o, _) in &villages_judged {
        judged.add_village(*o);
    }
    let counts = Counts::build(state, parts.scope(), from, to, &judged);
    let mut out: Vec<Compliance> = parts.fresh();
    let mut villages = Vec::new();
    for (m, spans) in tenures {
        for (village, start, end) in spans {
            let Some(part) = parts.part(village) else {
                continue;
            };
            let tallies = counts.cadre_tallies(rules, &judged, m, start, end);
            for (sum, t) in out[part].cadres.iter_mut().zip(&tallies) {
                sum.merge(t);
            }
        }
    }
    for (o, start) in villages_judged {
        let Some(part) = parts.part(o) else {
            continue;
        };
        let mut judgements = Vec::new();
        for (v, last) in counts.village_verdicts(rules, &judged, o, start, to) {
            out[part].orgs[v.quota.index()].add(v.met);
            if with_villages {
                judgements.push(Judgement {
                    quota: v.quota,
                    last,
                    met: v.met,
                });
            }
        }
        if with_villages {
            villages.push((o, judgements));
        }
    }
    (out, villages)
}

/// The villages counted in some part of `parts` that existed by `to`, in index order, with the
/// first day they are judged.
fn villages_in(state: &View, parts: &Attribution, from: Date, to: Date) -> Vec<(OrgIdx, Date)> {
    (0..state.orgs().len() as u32)
        .map(OrgIdx)
        .filter(|o| parts.part(*o).is_some())
        .filter(|o| state.org(*o).kind == OrgKind::Village && state.org(*o).since <= to)
        .map(|o| (o, state.org(o).since.max(from)))
        .collect()
}

/// Every judged period of one cadre over `[from, to]`, with the rule and the counts: the
/// explanation behind their tallies.
pub fn cadre_verdicts<S: AsRef<Registry> + AsRef<Records>>(
    state: &S,
    rules: &RuleSet,
    member: MemberIdx,
    from: Date,
    to: Date,
) -> Vec<Verdict> {
    let state = &View::of(state);
    let Some(root) = state.root() else {
        return Vec::new();
    };
    let mut judged = Judged::new(state);
    judged.add_cadre(member);
    let counts = Counts::build(state, None, from, to, &judged);
    cadre_spans(
        state,
        &Attribution::subtree(state, root, to),
        member,
        from,
        to,
    )
    .into_iter()
    .flat_map(|(_, start, end)| {
        counts
            .cadre_verdicts(rules, &judged, member, start, end)
            .collect::<Vec<_>>()
    })
    .collect()
}

/// Every judged period of every village organization in `root`'s subtree over `[from, to]`,
/// village by village in the tree's order: [`org_verdicts`] for them all, counting the records
/// once.
pub fn village_verdicts<S: AsRef<Registry> + AsRef<Records>>(
    state: &S,
    rules: &RuleSet,
    root: OrgIdx,
    from: Date,
    to: Date,
) -> Vec<(OrgIdx, Vec<Verdict>)> {
    let state = &View::of(state);
    let villages = villages_from(state, root, from, to);
    let mut judged = Judged::new(state);
    for (o, _) in &villages {
        judged.add_village(*o);
    }
    let counts = Counts::build(state, None, from, to, &judged);
    villages
        .into_iter()
        .map(|(o, start)| {
            (
                o,
                counts
                    .village_verdicts(rules, &judged, o, start, to)
                    .map(|(v, _)| v)
                    .collect(),
            )
        })
        .collect()
}

/// Every judged period of one village organization over `[from, to]`, with the rule and the
/// counts: the explanation behind its tallies. Empty for an organization that is not a village.
pub fn org_verdicts<S: AsRef<Registry> + AsRef<Records>>(
    state: &S,
    rules: &RuleSet,
    village: OrgIdx,
    from: Date,
    to: Date,
) -> Vec<Verdict> {
    let state = &View::of(state);
    let org = state.org(village);
    if org.kind != OrgKind::Village || org.since > to {
        return Vec::new();
    }
    let mut judged = Judged::new(state);
    judged.add_village(village);
    let counts = Counts::build(state, None, from, to, &judged);
    counts
        .village_verdicts(rules, &judged, village, org.since.max(from), to)
        .map(|(v, _)| v)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(g: &Grid) -> Vec<u32> {
        [
            (0, 5),
            (2, 7),
            (1, 5),
            (0, 4),
            (0, 8),
            (9, 5),
            (1, 1_000_000),
        ]
        .iter()
        .map(|&(row, column)| g.get(row, column))
        .collect()
    }

    #[test]
    fn a_grid_counts_alike_dense_or_sparse() {
        let near = [(0, 5), (0, 5), (2, 7)];
        let dense = Grid::of(3, &near);
        assert!(matches!(
            dense,
            Grid::Dense {
                first: 5,
                columns: 3,
                ..
            }
        ));
        assert_eq!(cells(&dense), [2, 1, 0, 0, 0, 0, 0]);
        // A count far away would take three million cells for four counts: a map instead.
        let far = [(0, 5), (0, 5), (2, 7), (1, 1_000_000)];
        let sparse = Grid::of(3, &far);
        assert!(matches!(sparse, Grid::Sparse(_)));
        assert_eq!(cells(&sparse), [2, 1, 0, 0, 0, 0, 1]);
        assert!(matches!(Grid::of(0, &[]), Grid::Dense { columns: 1, .. }));
    }

    #[test]
    fn a_whole_period_holds_its_days_and_a_partial_one_none() {
        let (from, to) = (Date::constant(2010, 7, 1), Date::constant(2010, 9, 15));
        let months: Vec<(Period, Date, Date)> = periods_between(from, to, Granularity::Month)
            .map(|p| (p, p.first_day(), p.last_day()))
            .filter(|(_, first, last)| from <= *first && *last <= to)
            .collect();
        assert_eq!(months.len(), 2);
        assert_eq!(column(&months, Date::constant(2010, 6, 30)), None);
        assert_eq!(column(&months, Date::constant(2010, 7, 1)), Some(0));
        assert_eq!(column(&months, Date::constant(2010, 8, 31)), Some(1));
        assert_eq!(column(&months, Date::constant(2010, 9, 1)), None);
    }
}
