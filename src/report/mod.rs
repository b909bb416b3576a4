//! Reports computed from a campaign's state: what composes several domains, and how figures are
//! laid out for officials.
//!
//! The stage-review report ([`StageReport`], its mergeable [`StageFigures`]) puts every domain's
//! figures side by side; the ranking (争先进位) weighs several domains into one index; the audit
//! checks published claims against the figures; the text, the page and the display rounding lay
//! them out; [`TreeSummary`] is the summary of the tree the `demo` command prints;
//! [`escalation_commands`] turns the 123 method's due escalations into the ledger's commands.
//!
//! Each domain's own verdicts and figures live in its folder (coverage in [`crate::org`], member
//! grades in [`crate::evaluation`], report gaps and urging in [`crate::pledge`], the 123 quotas
//! in [`crate::method123`]); they are re-exported here under the paths they had. Every figure
//! is counted from the state, as of a date.

mod audit;
mod display;
mod html;
mod method123;
mod ranking;
mod rollup;
mod stage;
mod text;
pub(crate) mod xlsx;

pub use crate::evaluation::{all_member_grades, member_grades};
pub use crate::method123::{
    Compliance, Method123Figures, Quota, Tally, Verdict, cadre_verdicts, compliance,
    compliance_parts, org_verdicts, village_verdicts,
};
pub use crate::org::{Attribution, CoverageFigures, KindCoverage, Reading};
pub use crate::pledge::{
    CarrierOutputs, PledgeFigures, ReportGap, quarter_assessments, report_due, report_gaps, to_urge,
};
pub use audit::{
    Claim, Claims, ClaimsError, Finding, RateClaim, RatePart, Support, audit, findings_text,
};
pub use display::{
    DisplayRules, display_json, figure_label_zh, percent, percent_text, rate_text, wan_yuan,
};
pub use html::escape;
pub use method123::escalation_commands;
pub use ranking::{Component, Movement, Ranked, components, index, movement, rank};
pub use rollup::{
    CampaignRef, FIGURES_FORMAT, FIGURES_VERSION, FiguresDoc, FiguresError, MAX_FIGURE, MAX_SCOPES,
    OrgRef, RulesRef, ScopeFigures,
};
pub use stage::{
    FIGURES_RATE_PLACES, Figure, Part, Span, StageFigures, StageReport, VillageMonths,
    method123_start, quota_key, unit_key,
};
pub use text::{area_word, date_zh};
pub use xlsx::{
    CHART_SHEET, GRID_SHEET, NO_RATE, PARTS_SHEET, SUMMARY_SHEET, WAN_YUAN_FORMAT, WorkbookError,
    percent_format, rate_value, section_of,
};

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::civil::Date;
use serde::Serialize;

use crate::ledger::State;
use crate::model::{LeaderLevel, MemberCategory, OrgKind, Role, UnitKind};

/// Counts of units of one kind on a date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UnitCounts {
    /// Units registered.
    pub registered: u64,
    /// Units that meet the conditions to set up an organization (the coverage denominator).
    pub eligible: u64,
    /// Eligible units covered by an organization (the coverage numerator).
    pub eligible_covered: u64,
    /// Distinct organizations covering at least one unit.
    pub covering_orgs: u64,
}

/// The organization tree in figures, as of a date: organizations by kind, members by category,
/// role and leader level, units by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeSummary {
    /// The date the figures are as of.
    pub as_of: Date,
    /// Organizations established on or before `as_of`, by kind.
    pub orgs_by_kind: BTreeMap<&'static str, u64>,
    /// Members posted on `as_of`, by category.
    pub members_by_category: BTreeMap<&'static str, u64>,
    /// Members posted on `as_of`, by role.
    pub members_by_role: BTreeMap<&'static str, u64>,
    /// Village secretaries and committee members on `as_of` (the 123 method's cadres).
    pub village_cadres: BTreeMap<&'static str, u64>,
    /// Leading cadres posted on `as_of`, by their level then.
    pub leaders_by_level: BTreeMap<&'static str, u64>,
    /// Units on `as_of`, by kind.
    pub units_by_kind: BTreeMap<&'static str, UnitCounts>,
    /// Members posted on `as_of`, all categories.
    pub members_total: u64,
    /// Organizations established on or before `as_of`, all kinds.
    pub orgs_total: u64,
}

impl TreeSummary {
    /// Counts the state's figures as of `as_of`.
    pub fn of(state: &State, as_of: Date) -> TreeSummary {
        let orgs_by_kind = orgs_by_kind(state, as_of);
        let members = MemberCounts::of(state, as_of);
        let units_by_kind = units_by_kind(state, as_of);
        let orgs_total = orgs_by_kind.values().sum();
        TreeSummary {
            as_of,
            orgs_by_kind,
            members_by_category: members.by_category,
            members_by_role: members.by_role,
            village_cadres: members.village_cadres,
            leaders_by_level: members.leaders_by_level,
            units_by_kind,
            members_total: members.total,
            orgs_total,
        }
    }

    /// The summary as Chinese text with English labels beside.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "组织与党员概况 (截至 {}) / tree summary as of {}",
            self.as_of, self.as_of
        );
        let _ = writeln!(out, "党组织 organizations: {}", self.orgs_total);
        for kind in OrgKind::ALL {
            let n = self.orgs_by_kind.get(kind.as_str()).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "  {:<12} {:>6}  ({})",
                kind.label_zh(),
                n,
                kind.as_str()
            );
        }
        let _ = writeln!(out, "党员 members: {}", self.members_total);
        for c in MemberCategory::ALL {
            let n = self
                .members_by_category
                .get(c.as_str())
                .copied()
                .unwrap_or(0);
            let _ = writeln!(out, "  {:<12} {:>6}  ({})", c.label_zh(), n, c.as_str());
        }
        for r in Role::ALL {
            let n = self.members_by_role.get(r.as_str()).copied().unwrap_or(0);
            let _ = writeln!(out, "  {:<12} {:>6}  ({})", r.label_zh(), n, r.as_str());
        }
        let sec = self.village_cadres.get("secretary").copied().unwrap_or(0);
        let com = self
            .village_cadres
            .get("committee_member")
            .copied()
            .unwrap_or(0);
        let _ = writeln!(
            out,
            "  村党组织书记 {sec}, 支委成员 {com}  (village secretaries, committee members)"
        );
        let city = self.leaders_by_level.get("city").copied().unwrap_or(0);
        let section = self.leaders_by_level.get("section").copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "  市级党员领导干部 {city}, 科级 {section}  (city-level, section-level leaders)"
        );
        let _ = writeln!(
            out,
            "单位 units (registered / eligible / eligible covered / covering orgs):"
        );
        for k in UnitKind::ALL {
            let c = self
                .units_by_kind
                .get(k.as_str())
                .cloned()
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:<12} {:>4} / {:>4} / {:>4} / {:>4}  ({})",
                k.label_zh(),
                c.registered,
                c.eligible,
                c.eligible_covered,
                c.covering_orgs,
                k.as_str()
            );
        }
        out
    }
}

/// Organizations established on or before `as_of`, by kind (every kind listed).
fn orgs_by_kind(state: &State, as_of: Date) -> BTreeMap<&'static str, u64> {
    let mut orgs_by_kind: BTreeMap<&'static str, u64> =
        OrgKind::ALL.iter().map(|k| (k.as_str(), 0)).collect();
    for org in state.orgs().iter().filter(|o| o.since <= as_of) {
        *orgs_by_kind.entry(org.kind.as_str()).or_default() += 1;
    }
    orgs_by_kind
}

/// Members posted on a date, counted as [`TreeSummary`] shows them.
struct MemberCounts {
    by_category: BTreeMap<&'static str, u64>,
    by_role: BTreeMap<&'static str, u64>,
    village_cadres: BTreeMap<&'static str, u64>,
    leaders_by_level: BTreeMap<&'static str, u64>,
    total: u64,
}

impl MemberCounts {
    /// Counts the members posted on `as_of`: by category, role and leader level (every
    /// category and role listed), and the village cadres among them.
    fn of(state: &State, as_of: Date) -> MemberCounts {
        let mut c = MemberCounts {
            by_category: MemberCategory::ALL
                .iter()
                .map(|c| (c.as_str(), 0))
                .collect(),
            by_role: Role::ALL.iter().map(|r| (r.as_str(), 0)).collect(),
            village_cadres: [Role::Secretary, Role::CommitteeMember]
                .iter()
                .map(|r| (r.as_str(), 0))
                .collect(),
            leaders_by_level: BTreeMap::new(),
            total: 0,
        };
        for m in state.members() {
            let Some(p) = m.posting_on(as_of) else {
                continue;
            };
            c.total += 1;
            *c.by_category.entry(m.category.as_str()).or_default() += 1;
            *c.by_role.entry(p.role.as_str()).or_default() += 1;
            if p.role.is_cadre() && state.org(p.org).kind == OrgKind::Village {
                *c.village_cadres.entry(p.role.as_str()).or_default() += 1;
            }
            let level = match m.level_on(as_of) {
                LeaderLevel::None => continue,
                LeaderLevel::Section => "section",
                LeaderLevel::City => "city",
            };
            *c.leaders_by_level.entry(level).or_default() += 1;
        }
        c
    }
}

/// Units on `as_of`, by kind (every kind listed): registered, eligible, eligible and covered,
/// and the distinct organizations covering them.
fn units_by_kind(state: &State, as_of: Date) -> BTreeMap<&'static str, UnitCounts> {
    let mut units_by_kind: BTreeMap<&'static str, UnitCounts> = UnitKind::ALL
        .iter()
        .map(|k| (k.as_str(), UnitCounts::default()))
        .collect();
    let mut covering = std::collections::BTreeSet::new();
    for u in state.units() {
        let Some(s) = u.standing_on(as_of) else {
            continue;
        };
        let c = units_by_kind.entry(u.kind.as_str()).or_default();
        c.registered += 1;
        if s.eligible {
            c.eligible += 1;
            if s.covered_by.is_some() {
                c.eligible_covered += 1;
            }
        }
        if let Some(org) = s.covered_by
            && covering.insert(org)
        {
            c.covering_orgs += 1;
        }
    }
    units_by_kind
}
