//! The stage-review report (阶段点评): every figure of the seed's kind for an organization's
//! subtree, as of a date or over a span, from one computation.
//!
//! [`StageFigures`] is the partial aggregate: counts and exact sums only, so the figures of the
//! parts of a partition of the tree merge ([`StageFigures::merge`]) into the figures of the
//! whole, and a province can compute each city apart. [`StageFigures::figures`] names each
//! published figure with a stable key (the seed's 42 figures of `docs/seed.md`, and more).
//! [`StageReport`] adds the scope, the parts (the scope's direct subordinates, for the charts)
//! and the 123 method's month-by-month compliance of every village, and renders as JSON
//! ([`StageReport::to_json`]), Chinese text ([`StageReport::to_text`]) and a printable HTML page
//! ([`StageReport::to_html`]).
//!
//! ```
//! use chuangzheng::demo::{self, DemoSpec};
//! use chuangzheng::ledger::Campaign;
//! use chuangzheng::report::{Figure, StageReport, Span};
//!
//! let campaign = demo::build(&DemoSpec::small()).unwrap();
//! let root = campaign.state().root().unwrap();
//! let report = StageReport::build(&campaign, root, Span::as_of(demo::AS_OF));
//! let made = report.figure("pledge.practical.total");
//! assert!(matches!(made, Some(Figure::Count(n)) if n > 0));
//! assert!(report.to_text().contains("实事承诺"));
//! ```

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::display::{DisplayRules, display_json};
use super::{
    Attribution, Compliance, CoverageFigures, Method123Figures, PledgeFigures, Quota, Reading,
    Tally,
};
use crate::activity::ActivityFigures;
use crate::deliberation::DeliberationFigures;
use crate::ledger::{Campaign, State};
use crate::method123::{Judgement, compliance_and_villages};
use crate::model::{ExtId, Granularity, Name, OrgIdx, OrgKind, Period, Ratio, UnitKind};
use crate::pledge::{Carrier, PledgeKind};
use crate::rules::RuleSet;

/// The span a report covers: records dated from `from` (the start when `None`) to `as_of`,
/// and the standing of everything as of `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// The first day counted; `None`: since the campaign began.
    pub from: Option<Date>,
    /// The last day counted, and the day standings are taken on.
    pub as_of: Date,
}

impl Span {
    /// Everything up to and including `as_of`.
    pub fn as_of(as_of: Date) -> Span {
        Span { from: None, as_of }
    }

    /// Whether `date` falls in the span.
    pub fn contains(&self, date: Date) -> bool {
        date <= self.as_of && self.from.is_none_or(|f| date >= f)
    }
}

/// The short key of a unit kind in figure keys (`coverage.non_public.rate`).
pub fn unit_key(k: UnitKind) -> &'static str {
    match k {
        UnitKind::NonPublicEnterprise => "non_public",
        UnitKind::SocialOrganization => "social",
        UnitKind::Cooperative => "cooperative",
    }
}

/// The partial aggregate of a stage review: every count the report publishes, for one part of
/// the tree. Merging the parts of a partition gives the whole's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageFigures {
    /// Public pledges.
    pub pledges: PledgeFigures,
    /// The 123 work method's records.
    pub method123: Method123Figures,
    /// The 123 work method's quotas, judged over the periods wholly inside the span (from the
    /// method's first record in the campaign at the earliest).
    pub compliance: Compliance,
    /// Coverage of units.
    pub coverage: CoverageFigures,
    /// Village decisions (四议一审).
    #[serde(default)]
    pub deliberation: DeliberationFigures,
    /// Service actions, volunteers, contact points, instructors.
    #[serde(default)]
    pub activity: ActivityFigures,
}

impl StageFigures {
    /// The figures of `root`'s subtree over `span`.
    pub fn of(state: &State, rules: &RuleSet, root: OrgIdx, span: Span) -> StageFigures {
        let parts = Attribution::subtree(state, root, span.as_of);
        StageFigures::of_parts(state, rules, &parts, span)
            .pop()
            .unwrap_or_default()
    }

    /// The figures of each part of `parts` over `span`, each kind of record read once for all
    /// the parts, the kinds on the machine's cores. Part `i`'s figures equal
    /// [`StageFigures::of`] its subtree's, and the parts of a partition merge into the whole's.
    pub fn of_parts(
        state: &State,
        rules: &RuleSet,
        parts: &Attribution,
        span: Span,
    ) -> Vec<StageFigures> {
        let start = method123_start(state, span);
        StageFigures::with_villages(state, rules, parts, span, start, false).0
    }

    /// [`StageFigures::of_parts`] with the 123 quotas judged from `method123_from` (as
    /// [`method123_start`] gives it), and when `with_villages` every village's 123 verdicts from
    /// the same count of the records (for the report's month-by-month grid).
    fn with_villages(
        state: &State,
        rules: &RuleSet,
        parts: &Attribution,
        span: Span,
        method123_from: Option<Date>,
        with_villages: bool,
    ) -> (Vec<StageFigures>, Vec<(OrgIdx, Vec<Judgement>)>) {
        let (from, as_of) = (span.from, span.as_of);
        let compliance_of = || match method123_from {
            Some(start) => {
                compliance_and_villages(state, rules, parts, start, as_of, with_villages)
            }
            None => (parts.fresh(), Vec::new()),
        };
        // The pledges and the 123 compliance are the two heavy kinds: one thread each beside
        // this one, which counts the rest.
        let (pledges, compliance, (method123, coverage, deliberation, activity)) =
            std::thread::scope(|s| {
                let pledges = s.spawn(|| PledgeFigures::over_parts(state, parts, from, as_of));
                let compliance = s.spawn(compliance_of);
                let rest = (
                    Method123Figures::over_parts(state, rules, parts, from, as_of),
                    CoverageFigures::of_parts(state, parts, as_of),
                    DeliberationFigures::of_parts(
                        state.deliberation(),
                        state.registry(),
                        parts,
                        from,
                        as_of,
                    ),
                    ActivityFigures::of_parts(
                        state.activity(),
                        state.registry(),
                        parts,
                        from,
                        as_of,
                    ),
                );
                (joined(pledges), joined(compliance), rest)
            });
        let (compliance, villages) = compliance;
        let figures = pledges
            .into_iter()
            .zip(compliance)
            .zip(method123)
            .zip(coverage)
            .zip(deliberation)
            .zip(activity)
            .map(
                |(((((pledges, compliance), method123), coverage), deliberation), activity)| {
                    StageFigures {
                        pledges,
                        method123,
                        compliance,
                        coverage,
                        deliberation,
                        activity,
                    }
                },
            )
            .collect();
        (figures, villages)
    }

    /// Adds `other`'s figures to these: the figures of two disjoint parts make their union's.
    pub fn merge(&mut self, other: &StageFigures) {
        self.pledges.merge(&other.pledges);
        self.method123.merge(&other.method123);
        self.compliance.merge(&other.compliance);
        self.coverage.merge(&other.coverage);
        self.deliberation.merge(&other.deliberation);
        self.activity.merge(&other.activity);
    }

    /// Every published figure, keyed, in report order.
    pub fn figures(&self) -> Vec<(String, Figure)> {
        let mut out = Figures(Vec::new());
        self.pledge_figures(&mut out);
        self.method123_figures(&mut out);
        self.coverage_figures(&mut out);
        self.deliberation_figures(&mut out);
        self.service_figures(&mut out);
        out.0
    }

    fn pledge_figures(&self, out: &mut Figures) {
        let p = &self.pledges;
        for (kind, key) in [
            (PledgeKind::PracticalMatter, "practical"),
            (PledgeKind::Work, "work"),
        ] {
            out.count(format!("pledge.{key}.total"), p.made_of(kind));
            out.count(format!("pledge.{key}.completed"), p.fulfilled_of(kind));
            out.rate(
                format!("pledge.{key}.completion_rate"),
                p.completion_rate(kind),
            );
        }
        out.count("pledge.completed_in_time", p.fulfilled_in_time);
        out.count("pledge.review.revised_orgs", p.revised_orgs);
        out.count("pledge.review.revised_members", p.revised_members);
        for c in Carrier::ALL {
            let key = c.as_str();
            out.count(format!("carrier.{key}.members"), p.members_with(c));
            let outputs = p.outputs_of(c);
            for (name, _) in crate::pledge::Outputs::default().counts() {
                out.count(
                    format!("carrier.{key}.{name}"),
                    outputs.count(name).unwrap_or(0),
                );
            }
            out.yuan(
                format!("carrier.{key}.benefit_yuan"),
                outputs.benefit_yuan(),
            );
        }
    }

    fn method123_figures(&self, out: &mut Figures) {
        let m = &self.method123;
        out.count("m123.secretaries", m.secretaries);
        out.count("m123.committee_members", m.committee_members);
        out.count("m123.cadres_taking_part", m.cadres_taking_part);
        out.count("m123.receptions", m.receptions);
        out.count("m123.visitors_received", m.visitors_received);
        out.count("m123.household_visits", m.household_visits);
        out.count("m123.households_visited", m.households_visited);
        out.count("m123.concerns_collected", m.concerns_collected);
        out.count("m123.concerns_resolved", m.concerns_resolved());
        out.count("m123.concerns_open", m.concerns_open());
        out.count("m123.concerns_overdue", m.concerns_overdue);
        for q in Quota::ALL {
            let key = quota_key(q);
            out.rate(
                format!("m123.compliance.{key}.villages"),
                self.compliance.orgs_for(q).rate(),
            );
            out.rate(
                format!("m123.compliance.{key}.cadres"),
                self.compliance.cadres_for(q).rate(),
            );
        }
    }

    fn coverage_figures(&self, out: &mut Figures) {
        for k in UnitKind::ALL {
            let c = self.coverage.of_kind(k);
            let key = unit_key(k);
            out.count(format!("coverage.{key}.units"), c.units);
            out.count(format!("coverage.{key}.eligible"), c.eligible);
            out.count(format!("coverage.{key}.covered"), c.covered);
            out.count(format!("coverage.{key}.orgs"), c.orgs);
            out.rate(format!("coverage.{key}.rate"), c.rate());
            out.count(format!("coverage.{key}.work_covered"), c.work_covered);
            out.rate(format!("coverage.{key}.work_rate"), c.work_rate());
        }
    }

    fn deliberation_figures(&self, out: &mut Figures) {
        let d = &self.deliberation;
        out.count("deliberation.proposed", d.proposed);
        out.count("deliberation.in_progress", d.in_progress);
        out.count(
            "deliberation.rejected_by_committees",
            d.rejected_by_committees,
        );
        out.count("deliberation.rejected_by_members", d.rejected_by_members);
        out.count("deliberation.vetoed", d.vetoed);
        out.count(
            "deliberation.rejected_by_villagers",
            d.rejected_by_villagers,
        );
        out.count("deliberation.resolved", d.resolved);
        out.count(
            "deliberation.resolutions_published",
            d.resolutions_published,
        );
        out.count("deliberation.results_published", d.results_published);
    }

    fn service_figures(&self, out: &mut Figures) {
        let a = &self.activity;
        out.count("service.hotline.cases", a.hotline_cases_received);
        out.count("service.hotline.resolved", a.hotline_cases_resolved);
        out.count("service.hotline.replied", a.hotline_cases_replied);
        out.rate("service.hotline.reply_rate", a.hotline_reply_rate().ok());
        out.count("service.donation.donations", a.donations);
        out.count("service.donation.members", a.donation_donors);
        out.yuan("service.donation.amount_yuan", a.donation_amount_yuan());
        out.count("service.home_visits.visits", a.home_visits);
        out.count("service.home_visits.cadres", a.home_visit_cadres);
        out.count(
            "service.home_visits.problems_solved",
            a.home_visit_problems_solved,
        );
        out.yuan("service.home_visits.aid_yuan", a.home_visit_aid_yuan());
        out.count("volunteer.teams", a.volunteer_teams);
        out.count("volunteer.members", a.volunteer_members);
        out.count("volunteer.activities", a.volunteer_activities);
        out.count("volunteer.people_served", a.volunteer_people_served);
        out.count("contact_points.city_leaders", a.contact_leaders.city);
        out.count("contact_points.section_leaders", a.contact_leaders.section);
        out.count(
            "contact_points.points",
            a.contact_points.city + a.contact_points.section,
        );
        out.count("instructors.members", a.instructors);
        out.count(
            "instructors.units",
            a.instructed_units.non_public_enterprise
                + a.instructed_units.social_organization
                + a.instructed_units.cooperative,
        );
        out.count("instructors.villages", a.instructed_villages);
        out.count("pairing.departments", a.pairing_partners.department);
        out.count("pairing.institutions", a.pairing_partners.institution);
        out.count("pairing.cadres", a.pairing_partners.cadre);
        out.count("pairing.villages", a.paired_villages);
    }
}

/// The short key of a 123 quota in figure keys.
pub fn quota_key(q: Quota) -> &'static str {
    match q {
        Quota::Receptions => "receptions",
        Quota::Visits => "visits",
        Quota::Concerns => "concerns",
    }
}

/// The first day the 123 quotas are judged for `span`: the span's start, but not before the
/// method's first record in the campaign, so the weeks before a city adopted the method are not
/// counted against it (the method's rule: [`crate::method123::quotas_start`]). `None` when the
/// method has no record by the span's end.
pub fn method123_start(state: &State, span: Span) -> Option<Date> {
    crate::method123::quotas_start(state.method123(), span.from, span.as_of)
}

/// One published figure's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// A count.
    Count(u64),
    /// A rate, exact; `None` when its denominator is zero (shown as `null`).
    Rate(Option<Ratio>),
    /// An amount in yuan, exact.
    Yuan(Decimal),
}

impl Figure {
    /// The value as the report's JSON shows it: counts as numbers; rates as decimal strings
    /// rounded half up (四舍五入) to 4 places; amounts in yuan as decimal strings.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Figure::Count(n) => serde_json::Value::from(*n),
            Figure::Rate(None) => serde_json::Value::Null,
            Figure::Rate(Some(r)) => serde_json::Value::from(figures_rate_text(*r)),
            Figure::Yuan(y) => serde_json::Value::from(y.normalize().to_string()),
        }
    }

    /// The value as plain text (`24768`, `0.5602`, `10500000`; `-` for an undefined rate).
    pub fn text(&self) -> String {
        match self.to_json() {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => "-".to_string(),
            v => v.to_string(),
        }
    }

    /// The exact value, when there is one.
    pub fn exact(&self) -> Option<Decimal> {
        match self {
            Figure::Count(n) => Some(Decimal::from(*n)),
            Figure::Rate(r) => r.map(|r| r.to_decimal(28)),
            Figure::Yuan(y) => Some(*y),
        }
    }
}

/// Decimal places of a rate in the JSON `figures` object: fixed by its format, whatever the
/// rule set's `rounding.rate_places` (which governs `display.rates`).
pub const FIGURES_RATE_PLACES: u32 = 4;

/// A rate as the JSON `figures` object writes it: rounded half up (四舍五入) to
/// [`FIGURES_RATE_PLACES`], with its trailing zeros (`0.5602`, `1.0000`).
fn figures_rate_text(r: Ratio) -> String {
    let mut d = r.to_decimal(FIGURES_RATE_PLACES);
    d.rescale(FIGURES_RATE_PLACES);
    d.to_string()
}

struct Figures(Vec<(String, Figure)>);

impl Figures {
    fn count(&mut self, key: impl Into<String>, n: u64) {
        self.0.push((key.into(), Figure::Count(n)));
    }
    fn rate(&mut self, key: impl Into<String>, r: Option<Ratio>) {
        self.0.push((key.into(), Figure::Rate(r)));
    }
    fn yuan(&mut self, key: impl Into<String>, y: Decimal) {
        self.0.push((key.into(), Figure::Yuan(y)));
    }
}

/// One part of the scope: a direct subordinate organization and its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The organization.
    pub org: ExtId,
    /// Its name.
    pub name: Name,
    /// Its kind.
    pub kind: OrgKind,
    /// Its subtree's figures.
    pub figures: StageFigures,
    /// Under the historical reading, an organization that sat directly under the scope on
    /// some day up to the as-of date but no longer did then: its figures are the records of
    /// those days.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub former: bool,
}

impl Part {
    /// The name as the page shows it: a former subordinate marked （已划出）.
    pub fn label_zh(&self) -> String {
        if self.former {
            format!("{}（已划出）", self.name)
        } else {
            self.name.to_string()
        }
    }
}

/// One village's 123 compliance month by month: the weekly reception and monthly visit quotas'
/// judged periods, each counted in the month its last day falls in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VillageMonths {
    /// The village organization.
    pub org: ExtId,
    /// Its name.
    pub name: Name,
    /// The organization it sits under (its township).
    pub parent: Option<ExtId>,
    /// Per month of [`StageReport::months`]: periods judged and met.
    pub months: Vec<Tally>,
}

/// The stage-review report of one scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageReport {
    /// The campaign's identifier.
    pub campaign_id: ExtId,
    /// The campaign's name.
    pub campaign_name: Name,
    /// The scope's organization.
    pub scope_org: ExtId,
    /// Its name.
    pub scope_name: Name,
    /// Its kind.
    pub scope_kind: OrgKind,
    /// The span.
    pub span: Span,
    /// How records are placed in the tree (统计口径).
    #[serde(default)]
    pub reading: Reading,
    /// The day the 123 quotas are judged from, if the method has records.
    pub method123_from: Option<Date>,
    /// The rule set's name and version.
    pub rules: String,
    /// What the text and the page need of the rule set: its name, and how figures are
    /// rounded for display.
    #[serde(default)]
    pub display: DisplayRules,
    /// The scope's figures.
    pub totals: StageFigures,
    /// The scope's direct subordinates, in the tree's order.
    pub parts: Vec<Part>,
    /// The months of the 123 grid.
    pub months: Vec<Period>,
    /// The villages' 123 compliance by month.
    pub villages: Vec<VillageMonths>,
    /// A report of merged figures ([`StageReport::from_figures`]) named after its parts'
    /// common parent: its parts are some of that parent's subordinates, which the scope line
    /// names, not necessarily all of them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub parts_of_parent: bool,
}

impl StageReport {
    /// The report of `root`'s subtree in `campaign` over `span`, under the as-of reading: the
    /// tree, names, postings and standings as they stood on `span.as_of`.
    pub fn build(campaign: &Campaign, root: OrgIdx, span: Span) -> StageReport {
        StageReport::build_with(campaign, root, span, Reading::AsOf)
    }

    /// [`StageReport::build`] with records placed by `reading`.
    pub fn build_with(
        campaign: &Campaign,
        root: OrgIdx,
        span: Span,
        reading: Reading,
    ) -> StageReport {
        let state = campaign.state();
        let rules = campaign.rules();
        let as_of = span.as_of;
        // One pass: the root's own records, then each child's subtree; the whole is their
        // merge.
        let split = Attribution::split(state, root, as_of).with_reading(state, reading);
        let method123_from = method123_start(state, span);
        let (by_part, verdicts) =
            StageFigures::with_villages(state, rules, &split, span, method123_from, true);
        let mut totals = StageFigures::default();
        for f in &by_part {
            totals.merge(f);
        }
        let parts = split
            .heads()
            .iter()
            .zip(by_part)
            .enumerate()
            .skip(1)
            .map(|(i, (o, figures))| {
                let org = state.org(*o);
                Part {
                    org: org.id.clone(),
                    name: org.name_on(as_of).clone(),
                    kind: org.kind,
                    figures,
                    former: split.is_former(i),
                }
            })
            .collect();
        let (months, villages) = match method123_from {
            Some(start) => village_grid(state, root, verdicts, start, as_of),
            None => (Vec::new(), Vec::new()),
        };
        let scope = state.org(root);
        StageReport {
            campaign_id: campaign.info().id.clone(),
            campaign_name: campaign.info().name.clone(),
            scope_org: scope.id.clone(),
            scope_name: scope.name_on(as_of).clone(),
            scope_kind: scope.kind,
            span,
            reading,
            method123_from,
            rules: format!("{} v{}", rules.name, rules.version),
            display: DisplayRules::from(rules),
            totals,
            parts,
            months,
            villages,
            parts_of_parent: false,
        }
    }

    /// The value of the figure `key` for the whole scope.
    pub fn figure(&self, key: &str) -> Option<Figure> {
        self.totals
            .figures()
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, f)| f)
    }

    /// The report as JSON: the scope, a `figures` object (key → value, see [`Figure::to_json`]),
    /// beside it a `display` object (each figure as the text and page write it under the rule
    /// set's rounding, see [`display_json`]), and the mergeable aggregates of the whole and of
    /// each part.
    pub fn to_json(&self) -> String {
        let mut figures = serde_json::Map::new();
        for (k, f) in self.totals.figures() {
            figures.insert(k, f.to_json());
        }
        let doc = serde_json::json!({
            "format": "chuangzheng.stage_report/1",
            "campaign": {"id": self.campaign_id, "name": self.campaign_name},
            "scope": {"org": self.scope_org, "name": self.scope_name, "kind": self.scope_kind},
            "from": self.span.from,
            "as_of": self.span.as_of,
            "attribution": self.reading,
            "method123_from": self.method123_from,
            "rules": self.rules,
            "figures": figures,
            "display": display_json(&self.totals, &self.display.rounding),
            "aggregates": self.totals,
            "parts": self.parts,
            "months": self.months,
            "villages": self.villages,
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }
}

/// A scoped thread's result; a panic in it is a bug, surfaced rather than hidden.
fn joined<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match h.join() {
        Ok(t) => t,
        Err(e) => std::panic::resume_unwind(e),
    }
}

/// Every village of `root`'s subtree with its months, in the tree's order: the weekly and
/// monthly quotas' judged periods (by village) from `start` to `to`, counted in the month of each
/// period's last day.
fn village_grid(
    state: &State,
    root: OrgIdx,
    judged: Vec<(OrgIdx, Vec<Judgement>)>,
    start: Date,
    to: Date,
) -> (Vec<Period>, Vec<VillageMonths>) {
    let months: Vec<Period> =
        crate::model::periods_between(start, to, Granularity::Month).collect();
    // The month holding a day, counted in months from the first (the grid's months follow one
    // another): arithmetic on the day's year and month, no search.
    let first = months.first().map(Period::first_day);
    let month_of = |day: Date| {
        let first = first?;
        let since = (i32::from(day.year()) - i32::from(first.year())) * 12 + i32::from(day.month())
            - i32::from(first.month());
        usize::try_from(since).ok().filter(|m| *m < months.len())
    };
    let mut by_village: std::collections::HashMap<OrgIdx, Vec<Judgement>> =
        judged.into_iter().collect();
    let in_tree_order = state
        .registry()
        .subtree_on(root, to)
        .into_iter()
        .filter_map(|o| by_village.remove(&o).map(|v| (o, v)));
    let villages = in_tree_order
        .into_iter()
        .map(|(o, judgements)| {
            let mut tallies = vec![Tally::default(); months.len()];
            for j in judgements.iter().filter(|j| j.quota != Quota::Concerns) {
                if let Some(m) = month_of(j.last) {
                    tallies[m].judged += 1;
                    tallies[m].met += u64::from(j.met);
                }
            }
            let org = state.org(o);
            VillageMonths {
                org: org.id.clone(),
                name: org.name_on(to).clone(),
                parent: org.parent_on(to).map(|p| state.org(p).id.clone()),
                months: tallies,
            }
        })
        .collect();
    (months, villages)
}
