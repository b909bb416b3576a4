//! Rules as data: the [`RuleSet`] a campaign runs under.
//!
//! The seed's practice is the default ([`RuleSet::default`]); a host may load its own from JSON
//! ([`RuleSet::from_json`]). Every field is checked, and an error names the field by its dotted
//! path (`method123.receptions_per_week`). The journal records the rule set in its header, so a
//! replay always runs under the rules the events were accepted under.
//!
//! ```
//! use chuangzheng::rules::RuleSet;
//!
//! let rules = RuleSet::from_json(r#"{"version": 1, "name": "东港 2010",
//!     "method123": {"receptions_per_week": 2}}"#).unwrap();
//! assert_eq!(rules.method123.receptions_per_week, 2);
//! // Fields left out keep the seed's defaults.
//! assert_eq!(rules.method123.poor_household_visits_per_month, 2);
//!
//! let err = RuleSet::from_json(r#"{"version": 1, "name": "x",
//!     "method123": {"receptions_per_week": 9}}"#).unwrap_err();
//! assert_eq!(err.field(), Some("method123.receptions_per_week"));
//! ```

mod check;
mod deliberation;
mod error;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

pub use deliberation::{DeliberationRules, Fraction};
pub use error::RulesError;

use crate::error::Reason;

/// The only rule-set format version this build reads.
pub const RULES_FORMAT_VERSION: u32 = 1;

/// The rules a campaign runs under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// The format version of this document; must be [`RULES_FORMAT_VERSION`].
    pub version: u32,
    /// A name for this rule set, shown in reports (1 to 120 bytes).
    pub name: String,
    /// The days the campaign runs; commands dated outside are refused.
    #[serde(default, skip_serializing_if = "CampaignWindow::is_open")]
    pub window: CampaignWindow,
    /// Quotas of the 123 work method.
    #[serde(default)]
    pub method123: Method123Rules,
    /// Deadlines for escalating villagers' concerns (接办 → 联办 → 督办).
    #[serde(default)]
    pub escalation: EscalationRules,
    /// Who reviews a pledge (分级审核).
    #[serde(default)]
    pub pledge_review: PledgeReviewRules,
    /// How pledges are monitored (月报制).
    #[serde(default)]
    pub pledge_monitoring: PledgeMonitoringRules,
    /// How units are covered by organizations.
    #[serde(default)]
    pub coverage: CoverageRules,
    /// How figures are rounded for display.
    #[serde(default)]
    pub rounding: RoundingRules,
    /// How members are graded in the annual evaluation (一报告四评议).
    #[serde(default)]
    pub member_evaluation: MemberEvaluationRules,
    /// How pledges are rated in the annual evaluation (评诺): a decision table.
    #[serde(default)]
    pub pledge_rating: PledgeRatingRules,
    /// How organizations are ranked (争先进位).
    #[serde(default)]
    pub ranking: RankingRules,
    /// Village decisions (四议一审): the order of the steps, the meetings' thresholds.
    /// Left out of older rule files, it takes the defaults.
    #[serde(default)]
    pub deliberation: DeliberationRules,
}

/// The weight of each component of an organization's composite index, in percent; they sum
/// to 100. A component that does not apply to an organization (no pledges made, not a village,
/// no units, no members graded) is left out and the others' weights scaled up to fill its share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankingWeights {
    /// Pledge completion: fulfilled over made, in the subtree.
    pub pledges: u32,
    /// 123 work method compliance of the subtree's villages.
    pub method123: u32,
    /// Coverage: eligible units covered, among the units counted under the subtree.
    pub coverage: u32,
    /// Member evaluation: members graded 优秀 or 合格 among those graded, in the subtree.
    pub members: u32,
}

/// How organizations are ranked (争先进位): a composite index of their figures, ranked within
/// peers of the same kind; the top `top_n` is the list one enters (进得去), stays on (稳得住) or
/// climbs (有进步). Equal weights and a top 10 are this library's choice, for each city to set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RankingRules {
    /// The weights of the index's components; they must sum to 100.
    pub weights_percent: RankingWeights,
    /// The size of the top list (1 to 10,000).
    pub top_n: u32,
}

impl Default for RankingRules {
    fn default() -> Self {
        RankingRules {
            weights_percent: RankingWeights {
                pledges: 25,
                method123: 25,
                coverage: 25,
                members: 25,
            },
            top_n: 10,
        }
    }
}

/// A pledge's rating (评诺等次).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 好.
    Good,
    /// 较好.
    FairlyGood,
    /// 一般.
    Fair,
    /// 差.
    Poor,
}

impl Rating {
    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Good => "good",
            Rating::FairlyGood => "fairly_good",
            Rating::Fair => "fair",
            Rating::Poor => "poor",
        }
    }

    /// The Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Rating::Good => "好",
            Rating::FairlyGood => "较好",
            Rating::Fair => "一般",
            Rating::Poor => "差",
        }
    }
}

/// Where a pledge stands at the end of the year evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Completion {
    /// Fulfilled by its deadline.
    FulfilledInTime,
    /// Fulfilled after its deadline.
    FulfilledLate,
    /// Still being fulfilled.
    InProgress,
    /// Withdrawn with a public explanation.
    Withdrawn,
    /// Declared unfulfilled.
    Unfulfilled,
}

/// What a spot check must have found for a row to match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpotCheckCondition {
    /// Anything, or no spot check.
    #[default]
    Any,
    /// A spot check that passed.
    Passed,
    /// A spot check that failed.
    Failed,
    /// No failed spot check (passed, or none made).
    NotFailed,
}

/// The conditions of a decision-table row; all must hold. A condition on a survey that was not
/// held does not hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RatingConditions {
    /// The completion must be one of these (any if empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub completion: Vec<Completion>,
    /// At least this percentage of the masses satisfied (满意 + 比较满意) (0–100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub masses_satisfied_percent: Option<u32>,
    /// At least this percentage of the members satisfied (0–100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members_satisfied_percent: Option<u32>,
    /// At least this percentage of the organization's evaluators satisfied (0–100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_satisfied_percent: Option<u32>,
    /// What the spot check must have found.
    #[serde(skip_serializing_if = "is_any")]
    pub spot_check: SpotCheckCondition,
}

fn is_any(c: &SpotCheckCondition) -> bool {
    *c == SpotCheckCondition::Any
}

impl RatingConditions {
    /// Whether the row has no condition (a default row).
    pub fn is_unconditional(&self) -> bool {
        *self == RatingConditions::default()
    }
}

/// A row of the decision table: when its conditions hold, this rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingRow {
    /// The conditions (none: the default row).
    #[serde(default)]
    pub when: RatingConditions,
    /// The rating.
    pub rating: Rating,
}

/// The decision table that rates pledges (评诺): rows tried in order, the first whose
/// conditions hold gives the rating; the last row must be an unconditional default, and no
/// earlier row may be (the rows after it could never match).
///
/// The default table is this library's reading of practice (`docs/practice.md` §2.4:
/// satisfaction below 60 % means the work is redone; 满意/比较满意 count as satisfied), for each
/// city to set:
/// 好 when fulfilled in time, ≥ 90 % of the masses satisfied and no failed spot check; 较好
/// when fulfilled, ≥ 75 % satisfied and no failed spot check; 一般 when ≥ 60 % satisfied;
/// else 差.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PledgeRatingRules {
    /// The rows, in order (1 to 32).
    pub rows: Vec<RatingRow>,
}

impl Default for PledgeRatingRules {
    fn default() -> Self {
        let row = |when: RatingConditions, rating| RatingRow { when, rating };
        PledgeRatingRules {
            rows: vec![
                row(
                    RatingConditions {
                        completion: vec![Completion::FulfilledInTime],
                        masses_satisfied_percent: Some(90),
                        spot_check: SpotCheckCondition::NotFailed,
                        ..RatingConditions::default()
                    },
                    Rating::Good,
                ),
                row(
                    RatingConditions {
                        completion: vec![Completion::FulfilledInTime, Completion::FulfilledLate],
                        masses_satisfied_percent: Some(75),
                        spot_check: SpotCheckCondition::NotFailed,
                        ..RatingConditions::default()
                    },
                    Rating::FairlyGood,
                ),
                row(
                    RatingConditions {
                        masses_satisfied_percent: Some(60),
                        ..RatingConditions::default()
                    },
                    Rating::Fair,
                ),
                row(RatingConditions::default(), Rating::Poor),
            ],
        }
    }
}

impl PledgeRatingRules {
    fn validate(&self) -> Result<(), RulesError> {
        let malformed = |field, zh: &'static str, en: &'static str| RulesError::Invalid {
            field,
            reason: Reason::Malformed {
                zh: zh.into(),
                en: en.into(),
            },
        };
        if self.rows.is_empty() || self.rows.len() > 32 {
            return Err(RulesError::Invalid {
                field: "pledge_rating.rows",
                reason: Reason::OutOfRange {
                    min: "1 row".into(),
                    max: "32 rows".into(),
                },
            });
        }
        let last = self.rows.len() - 1;
        if !self.rows[last].when.is_unconditional() {
            return Err(malformed(
                "pledge_rating.rows",
                "决策表缺少默认行: 最后一行须无条件",
                "the decision table has no default row: its last row must have no conditions",
            ));
        }
        if self.rows[..last].iter().any(|r| r.when.is_unconditional()) {
            return Err(malformed(
                "pledge_rating.rows",
                "无条件行只能是最后一行, 否则其后各行永远不会被采用",
                "only the last row may have no conditions; the rows after an earlier one could never match",
            ));
        }
        for r in &self.rows {
            let percents = [
                r.when.masses_satisfied_percent,
                r.when.members_satisfied_percent,
                r.when.organization_satisfied_percent,
            ];
            if percents.iter().flatten().any(|p| *p > 100) {
                return Err(RulesError::Invalid {
                    field: "pledge_rating.rows.when",
                    reason: Reason::OutOfRange {
                        min: "0".into(),
                        max: "100".into(),
                    },
                });
            }
        }
        Ok(())
    }
}

/// A member's grade in the annual evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 优秀.
    Excellent,
    /// 合格.
    Qualified,
    /// 基本合格.
    BasicallyQualified,
    /// 不合格.
    Unqualified,
}

impl Grade {
    /// Every grade, best first.
    pub const ALL: [Grade; 4] = [
        Grade::Excellent,
        Grade::Qualified,
        Grade::BasicallyQualified,
        Grade::Unqualified,
    ];

    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Qualified => "qualified",
            Grade::BasicallyQualified => "basically_qualified",
            Grade::Unqualified => "unqualified",
        }
    }

    /// The Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Qualified => "合格",
            Grade::BasicallyQualified => "基本合格",
            Grade::Unqualified => "不合格",
        }
    }
}

/// Points per grade, 0 to 100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradePoints {
    /// Points of a ballot for 优秀.
    pub excellent: u32,
    /// Points of a ballot for 合格.
    pub qualified: u32,
    /// Points of a ballot for 基本合格.
    pub basically_qualified: u32,
    /// Points of a ballot for 不合格.
    pub unqualified: u32,
}

/// The weight of each of the four evaluations, in percent; they sum to 100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceWeights {
    /// 个人自评: the member's own evaluation.
    pub self_review: u32,
    /// 党员互评: fellow members.
    pub peers: u32,
    /// 群众评议: the masses.
    pub masses: u32,
    /// 班子集中评议: the organization's committee.
    pub committee: u32,
}

/// The lowest score of each grade but the last (scores 0 to 100).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeBands {
    /// 优秀 from this score on.
    pub excellent_from: u32,
    /// 合格 from this score on.
    pub qualified_from: u32,
    /// 基本合格 from this score on; below it, 不合格.
    pub basically_qualified_from: u32,
}

/// How members are graded in the annual evaluation (一报告四评议).
///
/// Practice (`docs/practice.md` §1): four grades; 优秀 generally at most a third of the members
/// (the default cap, 33 % rounded down, is this library's reading of it); one town's 100-point
/// scale put ≥90 good, 70–89 合格, 60–69 基本合格. The weights of the four evaluations are not
/// set by national rules ("以票取人" is discouraged); the default gives them equal weight — this
/// library's choice, for each city to set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MemberEvaluationRules {
    /// The weight of each evaluation; they must sum to 100.
    pub weights_percent: SourceWeights,
    /// Points per ballot grade, strictly decreasing from 优秀 to 不合格, each 0 to 100.
    pub grade_points: GradePoints,
    /// Score bands of the grades, strictly decreasing, each 1 to 100.
    pub bands: GradeBands,
    /// At most this percentage of an organization's graded members are 优秀 (rounded down);
    /// range 0–100.
    pub excellent_cap_percent: u32,
    /// A member who submitted no party-spirit analysis report gets at most this grade.
    pub no_report_max_grade: Grade,
    /// A member under a disciplinary sanction in the round gets this grade.
    pub sanction_grade: Grade,
}

impl Default for MemberEvaluationRules {
    fn default() -> Self {
        MemberEvaluationRules {
            weights_percent: SourceWeights {
                self_review: 25,
                peers: 25,
                masses: 25,
                committee: 25,
            },
            grade_points: GradePoints {
                excellent: 95,
                qualified: 80,
                basically_qualified: 65,
                unqualified: 40,
            },
            bands: GradeBands {
                excellent_from: 90,
                qualified_from: 70,
                basically_qualified_from: 60,
            },
            excellent_cap_percent: 33,
            no_report_max_grade: Grade::BasicallyQualified,
            sanction_grade: Grade::Unqualified,
        }
    }
}

/// The days a campaign runs: from `starts` to `ends`, both included; either may be left open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CampaignWindow {
    /// The first day commands may be dated, if bounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts: Option<jiff::civil::Date>,
    /// The last day commands may be dated, if bounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends: Option<jiff::civil::Date>,
}

impl CampaignWindow {
    /// Whether neither end is bounded.
    pub fn is_open(&self) -> bool {
        self.starts.is_none() && self.ends.is_none()
    }

    /// Whether `date` lies inside the window.
    pub fn contains(&self, date: jiff::civil::Date) -> bool {
        self.starts.is_none_or(|s| s <= date) && self.ends.is_none_or(|e| date <= e)
    }
}

/// Quotas of the 123 work method (123工作法): per village organization and per cadre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Method123Rules {
    /// Receptions of villagers (接待来访) per ISO week; the seed: 1. Range 1–7.
    pub receptions_per_week: u32,
    /// Poor households visited (走访困难群众) per month; the seed: at least 2. Range 0–100.
    pub poor_household_visits_per_month: u32,
    /// Concerns handled (办理热点难点问题) per quarter; the seed: 3. Range 0–100.
    pub concerns_handled_per_quarter: u32,
}

impl Default for Method123Rules {
    fn default() -> Self {
        Method123Rules {
            receptions_per_week: 1,
            poor_household_visits_per_month: 2,
            concerns_handled_per_quarter: 3,
        }
    }
}

/// Deadlines for escalating a villager's concern through the three tiers.
///
/// The seed names the tiers (村级组织接办, 乡镇站所联办, 党委考核督办) but no deadlines; the
/// defaults (15 days, then 15 more) are this library's choice, to be set by each host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EscalationRules {
    /// Days a concern may stay unresolved with the village before the township stations take it
    /// up jointly. Range 1–365.
    pub village_days: u32,
    /// Further days unresolved with the township stations before the party committee
    /// supervises. Range 1–365.
    pub township_days: u32,
}

impl Default for EscalationRules {
    fn default() -> Self {
        EscalationRules {
            village_days: 15,
            township_days: 15,
        }
    }
}

/// Who reviews a pledge: the organization this many levels above the pledge's owner.
///
/// The seed says 分级审核 (review by level); the levels are practice's (`docs/practice.md`
/// §2.2): a member's pledge is reviewed by the member's own organization (0 levels up); an
/// organization's by its superior committee (1 level up): a village's by its township, a
/// township's by the city committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PledgeReviewRules {
    /// Levels above the member's organization for a member's pledge. Range 0–3.
    pub member_levels_up: u32,
    /// Levels above the owning organization for an organization's pledge. Range 1–3.
    pub org_levels_up: u32,
}

impl Default for PledgeReviewRules {
    fn default() -> Self {
        PledgeReviewRules {
            member_levels_up: 0,
            org_levels_up: 1,
        }
    }
}

/// How pledges are monitored while they are fulfilled.
///
/// Practice (月报季查, `docs/practice.md` §2.3): a progress report every month. When it is due is
/// not in the seed nor in practice; the default (the 5th of the following month) is this
/// library's choice, for each host to set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PledgeMonitoringRules {
    /// The report for a month is due by this day of the following month. Range 1–28.
    pub report_due_day: u32,
    /// At a quarter's end a pledge is on track when its actual progress is at least this
    /// percentage of the expected progress, else lagging or stalled (季度考核促诺). The default
    /// (80) is this library's choice. Range 1–100.
    pub lagging_below_percent: u32,
}

impl Default for PledgeMonitoringRules {
    fn default() -> Self {
        PledgeMonitoringRules {
            report_due_day: 5,
            lagging_below_percent: 80,
        }
    }
}

/// How units are covered by organizations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoverageRules {
    /// Most units one (joint) organization may cover; local practice (`docs/practice.md` §5):
    /// 5. Range 1–100.
    pub max_units_per_org: u32,
}

impl Default for CoverageRules {
    fn default() -> Self {
        CoverageRules {
            max_units_per_org: 5,
        }
    }
}

/// How a value is rounded for display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// 四舍五入: halves away from zero (0.5 → 1, 2.5 → 3). The seed's rule.
    #[default]
    HalfUp,
    /// Halves to the even neighbour (2.5 → 2); offered for hosts whose statistics require it.
    HalfEven,
}

/// How figures are rounded; only at display, never inside a computation. The stage report
/// keeps them ([`crate::report::DisplayRules`]) and writes every figure by them (docs/rules.md,
/// "Rounding", says where each applies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoundingRules {
    /// The rounding mode, in all three below.
    pub mode: RoundingMode,
    /// Decimal places of a rate written as a fraction (0.5602): the JSON report's
    /// `display.rates`. Range 0–10.
    pub rate_places: u32,
    /// Decimal places of a rate written as a percentage (56.0%): every percentage of the
    /// report's text and page, and its JSON `display.figures`. Range 0–8.
    pub percent_places: u32,
    /// Decimal places of an amount written in 万元 (274.741万元), trailing zeros dropped: the
    /// same places as percentages. Range 0–6.
    pub wan_places: u32,
}

impl RoundingMode {
    /// The [`RoundingStrategy`] of the mode. 四舍五入 is `MidpointAwayFromZero`; never
    /// `Decimal::round_dp`, which rounds half to even.
    pub fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        }
    }

    /// The mode's name in a report: 四舍五入, 四舍六入五成双.
    pub fn label_zh(self) -> &'static str {
        match self {
            RoundingMode::HalfUp => "四舍五入",
            RoundingMode::HalfEven => "四舍六入五成双",
        }
    }
}

impl RoundingRules {
    /// `value` rounded to `places` decimal places by the mode, for display only.
    ///
    /// ```
    /// use chuangzheng::rules::{RoundingMode, RoundingRules};
    /// use rust_decimal::Decimal;
    ///
    /// let d = |s: &str| Decimal::from_str_exact(s).unwrap();
    /// let half_up = RoundingRules::default();
    /// assert_eq!(half_up.round(d("1.2345"), 3), d("1.235"));
    /// let half_even = RoundingRules { mode: RoundingMode::HalfEven, ..RoundingRules::default() };
    /// assert_eq!(half_even.round(d("1.2345"), 3), d("1.234"));
    /// ```
    pub fn round(&self, value: Decimal, places: u32) -> Decimal {
        value.round_dp_with_strategy(places, self.mode.strategy())
    }
}

impl Default for RoundingRules {
    fn default() -> Self {
        RoundingRules {
            mode: RoundingMode::HalfUp,
            rate_places: 4,
            percent_places: 1,
            wan_places: 3,
        }
    }
}

impl Default for RuleSet {
    /// The seed's rules.
    fn default() -> Self {
        RuleSet {
            version: RULES_FORMAT_VERSION,
            name: "default".to_string(),
            window: CampaignWindow::default(),
            method123: Method123Rules::default(),
            escalation: EscalationRules::default(),
            pledge_review: PledgeReviewRules::default(),
            pledge_monitoring: PledgeMonitoringRules::default(),
            coverage: CoverageRules::default(),
            rounding: RoundingRules::default(),
            member_evaluation: MemberEvaluationRules::default(),
            pledge_rating: PledgeRatingRules::default(),
            ranking: RankingRules::default(),
            deliberation: DeliberationRules::default(),
        }
    }
}

fn in_range(field: &'static str, value: u32, min: u32, max: u32) -> Result<(), RulesError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(RulesError::Invalid {
            field,
            reason: Reason::OutOfRange {
                min: min.to_string(),
                max: max.to_string(),
            },
        })
    }
}

/// A rule file that is not the JSON of a rule set, with the file's line in both languages.
fn parse_error(d: crate::json_error::Described) -> RulesError {
    RulesError::Parse {
        message: format!("{}{}", d.en, d.en_position()),
        message_zh: format!("{}{}", d.zh_line_prefix(), d.zh),
        path: d.path,
    }
}

impl RuleSet {
    /// The SM3 hash of the rule set's canonical JSON (as a journal's header holds it), as 64
    /// lowercase hex digits: two rule sets with the same hash judge alike. Figures documents
    /// carry it, so figures computed under different rules never merge.
    ///
    /// ```
    /// use chuangzheng::rules::RuleSet;
    ///
    /// let mut other = RuleSet::default();
    /// assert_eq!(other.hash_hex(), RuleSet::default().hash_hex());
    /// other.name = "某市细则".into();
    /// assert_ne!(other.hash_hex(), RuleSet::default().hash_hex());
    /// ```
    pub fn hash_hex(&self) -> String {
        use sm3::{Digest, Sm3};
        let json = serde_json::to_vec(self).unwrap_or_default();
        let hash: [u8; 32] = Sm3::digest(&json).into();
        hash.iter().fold(String::with_capacity(64), |mut hex, b| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{b:02x}");
            hex
        })
    }

    /// Reads a rule set from JSON and checks it. Sections and fields left out take the
    /// defaults; unknown fields are refused (a misspelt rule must not pass silently).
    pub fn from_json(json: &str) -> Result<RuleSet, RulesError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let rules: RuleSet = crate::json_error::read_whole(de, "文件").map_err(parse_error)?;
        rules.validate()?;
        Ok(rules)
    }

    /// The rule set as JSON (pretty-printed, stable field order).
    pub fn to_json(&self) -> String {
        // Serializing plain structs of integers and strings cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks every field; the first one out of bounds is named in the error.
    pub fn validate(&self) -> Result<(), RulesError> {
        match self.validate_all().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Checks every field and names each one out of bounds, in the order of the file (the
    /// pledge-rating decision table, whose rules relate its rows, names its first fault only).
    pub fn validate_all(&self) -> Vec<RulesError> {
        if self.version != RULES_FORMAT_VERSION {
            // Another format: its fields mean something else.
            return vec![RulesError::UnsupportedVersion {
                found: self.version,
            }];
        }
        let name = crate::model::Name::new("name", &self.name)
            .map(drop)
            .map_err(|e| RulesError::Invalid {
                field: "name",
                reason: e.reason().clone(),
            });
        let mut faults: Vec<RulesError> = [name, self.window_order()]
            .into_iter()
            .chain(self.bounds())
            .filter_map(Result::err)
            .collect();
        faults.extend(self.member_evaluation.faults());
        let r = &self.rounding;
        let rest = [
            self.pledge_rating.validate(),
            self.ranking_weights(),
            in_range("ranking.top_n", self.ranking.top_n, 1, 10_000),
            in_range("rounding.percent_places", r.percent_places, 0, 8),
            in_range("rounding.wan_places", r.wan_places, 0, 6),
        ];
        faults.extend(rest.into_iter().filter_map(Result::err));
        faults.extend(self.deliberation.faults());
        faults
    }

    fn window_order(&self) -> Result<(), RulesError> {
        match (self.window.starts, self.window.ends) {
            (Some(s), Some(e)) if e < s => Err(RulesError::Invalid {
                field: "window.ends",
                reason: Reason::OutOfRange {
                    min: s.to_string(),
                    max: "any later day".into(),
                },
            }),
            _ => Ok(()),
        }
    }

    /// The fields with a range of their own.
    fn bounds(&self) -> [Result<(), RulesError>; 11] {
        let m = &self.method123;
        let p = &self.pledge_review;
        let pm = &self.pledge_monitoring;
        [
            in_range("method123.receptions_per_week", m.receptions_per_week, 1, 7),
            in_range(
                "method123.poor_household_visits_per_month",
                m.poor_household_visits_per_month,
                0,
                100,
            ),
            in_range(
                "method123.concerns_handled_per_quarter",
                m.concerns_handled_per_quarter,
                0,
                100,
            ),
            in_range(
                "escalation.village_days",
                self.escalation.village_days,
                1,
                365,
            ),
            in_range(
                "escalation.township_days",
                self.escalation.township_days,
                1,
                365,
            ),
            in_range("pledge_review.member_levels_up", p.member_levels_up, 0, 3),
            in_range("pledge_review.org_levels_up", p.org_levels_up, 1, 3),
            in_range("pledge_monitoring.report_due_day", pm.report_due_day, 1, 28),
            in_range(
                "pledge_monitoring.lagging_below_percent",
                pm.lagging_below_percent,
                1,
                100,
            ),
            in_range(
                "coverage.max_units_per_org",
                self.coverage.max_units_per_org,
                1,
                100,
            ),
            in_range("rounding.rate_places", self.rounding.rate_places, 0, 10),
        ]
    }

    fn ranking_weights(&self) -> Result<(), RulesError> {
        let w = &self.ranking.weights_percent;
        let sum: u64 = [w.pledges, w.method123, w.coverage, w.members]
            .iter()
            .map(|n| u64::from(*n))
            .sum();
        if sum == 100 {
            return Ok(());
        }
        Err(RulesError::Invalid {
            field: "ranking.weights_percent",
            reason: Reason::Malformed {
                zh: format!("各项权重之和为 {sum}，应为 100").into(),
                en: format!("the weights sum to {sum}, not 100").into(),
            },
        })
    }
}

impl MemberEvaluationRules {
    /// Every fault of the section, each check on its own (so `rules check` names them all).
    fn faults(&self) -> Vec<RulesError> {
        let mut out = Vec::new();
        let w = &self.weights_percent;
        let sum = [w.self_review, w.peers, w.masses, w.committee]
            .iter()
            .map(|n| u64::from(*n))
            .sum::<u64>();
        if sum != 100 {
            out.push(RulesError::Invalid {
                field: "member_evaluation.weights_percent",
                reason: Reason::Malformed {
                    zh: format!("四项权重之和为 {sum}, 应为 100").into(),
                    en: format!("the four weights sum to {sum}, not 100").into(),
                },
            });
        }
        let p = &self.grade_points;
        let points = [
            p.excellent,
            p.qualified,
            p.basically_qualified,
            p.unqualified,
        ];
        if points.iter().any(|n| *n > 100) || !points.windows(2).all(|x| x[0] > x[1]) {
            out.push(RulesError::Invalid {
                field: "member_evaluation.grade_points",
                reason: Reason::Malformed {
                    zh: "各等次分值须在 0 到 100 之间, 且从优秀到不合格严格递减".into(),
                    en: "points must be 0 to 100 and strictly decrease from excellent to unqualified"
                        .into(),
                },
            });
        }
        let b = &self.bands;
        let bands = [
            b.excellent_from,
            b.qualified_from,
            b.basically_qualified_from,
        ];
        // Bands leave no gap and no overlap by construction: each grade runs from its lower
        // bound to the next grade's; they must be ordered and within the scale.
        if bands.iter().any(|n| *n == 0 || *n > 100) || !bands.windows(2).all(|x| x[0] > x[1]) {
            out.push(RulesError::Invalid {
                field: "member_evaluation.bands",
                reason: Reason::Malformed {
                    zh: "分数段下限须在 1 到 100 之间, 且严格递减".into(),
                    en: "band lower bounds must be 1 to 100 and strictly decrease".into(),
                },
            });
        }
        out.extend(
            in_range(
                "member_evaluation.excellent_cap_percent",
                self.excellent_cap_percent,
                0,
                100,
            )
            .err(),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn defaults_are_the_seeds_and_valid() {
        let rules = RuleSet::default();
        rules.validate().unwrap();
        assert_eq!(rules.method123.receptions_per_week, 1);
        assert_eq!(rules.method123.poor_household_visits_per_month, 2);
        assert_eq!(rules.method123.concerns_handled_per_quarter, 3);
        assert_eq!(rules.rounding.mode, RoundingMode::HalfUp);
    }

    #[test]
    fn json_round_trip() {
        let rules = RuleSet::default();
        assert_eq!(RuleSet::from_json(&rules.to_json()).unwrap(), rules);
    }

    #[test]
    fn every_bounded_field_is_named_when_out_of_range() {
        let cases = [
            ("method123", "receptions_per_week", 0),
            ("method123", "receptions_per_week", 8),
            ("method123", "poor_household_visits_per_month", 101),
            ("method123", "concerns_handled_per_quarter", 101),
            ("escalation", "village_days", 0),
            ("escalation", "township_days", 366),
            ("pledge_review", "member_levels_up", 4),
            ("pledge_review", "org_levels_up", 0),
            ("pledge_monitoring", "report_due_day", 29),
            ("pledge_monitoring", "report_due_day", 0),
            ("pledge_monitoring", "lagging_below_percent", 0),
            ("pledge_monitoring", "lagging_below_percent", 101),
            ("coverage", "max_units_per_org", 0),
            ("rounding", "rate_places", 11),
            ("rounding", "percent_places", 9),
            ("rounding", "wan_places", 7),
        ];
        for (section, field, value) in cases {
            let json = format!(r#"{{"version":1,"name":"t","{section}":{{"{field}":{value}}}}}"#);
            let err = RuleSet::from_json(&json).unwrap_err();
            let path = format!("{section}.{field}");
            assert_eq!(err.field(), Some(path.as_str()), "{json}");
            assert_eq!(err.code(), 2109);
            assert!(err.message_en().contains(&path));
            assert!(err.message_zh().contains(&path));
        }
    }

    #[test]
    fn parse_errors_name_the_path() {
        let err =
            RuleSet::from_json(r#"{"version":1,"name":"t","method123":{"receptions_per_wek":1}}"#)
                .unwrap_err();
        assert_eq!(err.code(), 2001);
        assert_eq!(err.field(), Some("method123.receptions_per_wek"));
        let err =
            RuleSet::from_json(r#"{"version":1,"name":"t","rounding":{"mode":"up"}}"#).unwrap_err();
        assert_eq!(err.field(), Some("rounding.mode"));
        let err =
            RuleSet::from_json(r#"{"version":1,"name":"t","escalation":{"village_days":-1}}"#)
                .unwrap_err();
        assert_eq!(err.field(), Some("escalation.village_days"));
        let err = RuleSet::from_json("{").unwrap_err();
        assert_eq!(err.code(), 2001);
    }

    #[test]
    fn member_evaluation_rules_are_checked() {
        let with = |section: &str| {
            RuleSet::from_json(&format!(
                r#"{{"version":1,"name":"t","member_evaluation":{{{section}}}}}"#
            ))
        };
        let err =
            with(r#""weights_percent":{"self_review":10,"peers":30,"masses":30,"committee":20}"#)
                .unwrap_err();
        assert_eq!(err.field(), Some("member_evaluation.weights_percent"));
        assert!(err.message_en().contains("sum to 90"));
        let err = with(r#""grade_points":{"excellent":90,"qualified":90,"basically_qualified":60,"unqualified":0}"#)
            .unwrap_err();
        assert_eq!(err.field(), Some("member_evaluation.grade_points"));
        let err = with(
            r#""bands":{"excellent_from":70,"qualified_from":80,"basically_qualified_from":60}"#,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("member_evaluation.bands"));
        let err = with(
            r#""bands":{"excellent_from":101,"qualified_from":80,"basically_qualified_from":60}"#,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("member_evaluation.bands"));
        let err = with(r#""excellent_cap_percent":101"#).unwrap_err();
        assert_eq!(err.field(), Some("member_evaluation.excellent_cap_percent"));
        let err = with(r#""no_report_max_grade":"good""#).unwrap_err();
        assert_eq!(err.field(), Some("member_evaluation.no_report_max_grade"));
        let ok =
            with(r#""excellent_cap_percent":20,"sanction_grade":"basically_qualified""#).unwrap();
        assert_eq!(ok.member_evaluation.excellent_cap_percent, 20);
        assert_eq!(ok.member_evaluation.bands.excellent_from, 90);
    }

    #[test]
    fn pledge_rating_tables_need_one_default_row_at_the_end() {
        let with = |rows: &str| {
            RuleSet::from_json(&format!(
                r#"{{"version":1,"name":"t","pledge_rating":{{"rows":{rows}}}}}"#
            ))
        };
        let err =
            with(r#"[{"when":{"masses_satisfied_percent":60},"rating":"fair"}]"#).unwrap_err();
        assert_eq!(err.field(), Some("pledge_rating.rows"));
        assert!(err.message_en().contains("no default row"));
        let err = with(r#"[{"rating":"fair"},{"rating":"poor"}]"#).unwrap_err();
        assert!(err.message_en().contains("could never match"));
        let err = with(r#"[]"#).unwrap_err();
        assert_eq!(err.code(), 2109);
        let err = with(
            r#"[{"when":{"masses_satisfied_percent":101},"rating":"good"},{"rating":"poor"}]"#,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("pledge_rating.rows.when"));
        let err = with(r#"[{"when":{"completion":["done"]},"rating":"good"},{"rating":"poor"}]"#)
            .unwrap_err();
        assert_eq!(err.code(), 2001);
        let ok = with(r#"[{"when":{"spot_check":"failed"},"rating":"poor"},{"rating":"fair"}]"#)
            .unwrap();
        assert_eq!(ok.pledge_rating.rows.len(), 2);
        RuleSet::from_json(&RuleSet::default().to_json()).unwrap();
    }

    #[test]
    fn ranking_weights_sum_to_100() {
        let err = RuleSet::from_json(
            r#"{"version":1,"name":"t","ranking":{"weights_percent":{"pledges":50,"method123":50,"coverage":50,"members":0}}}"#,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("ranking.weights_percent"));
        let err =
            RuleSet::from_json(r#"{"version":1,"name":"t","ranking":{"top_n":0}}"#).unwrap_err();
        assert_eq!(err.field(), Some("ranking.top_n"));
    }

    #[test]
    fn the_window_is_ordered_and_optional() {
        let rules = RuleSet::from_json(
            r#"{"version":1,"name":"t","window":{"starts":"2010-05-01","ends":"2011-12-31"}}"#,
        )
        .unwrap();
        assert!(rules.window.contains(jiff::civil::date(2010, 5, 1)));
        assert!(!rules.window.contains(jiff::civil::date(2012, 1, 1)));
        let err = RuleSet::from_json(
            r#"{"version":1,"name":"t","window":{"starts":"2011-05-01","ends":"2010-12-31"}}"#,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("window.ends"));
        // Left out, it is open, and left out of the JSON written back.
        assert!(RuleSet::default().window.is_open());
        assert!(!RuleSet::default().to_json().contains("window"));
    }

    #[test]
    fn version_and_name_are_checked() {
        let err = RuleSet::from_json(r#"{"version":2,"name":"t"}"#).unwrap_err();
        assert_eq!(err.code(), 2002);
        assert_eq!(err.field(), Some("version"));
        let err = RuleSet::from_json(r#"{"version":1,"name":""}"#).unwrap_err();
        assert_eq!(err.field(), Some("name"));
        assert_eq!(err.code(), 2101);
    }
}

/// One step of a verdict: the rule that fired and what it did. Every computed verdict (a
/// member's grade, a pledge's rating) explains itself in steps, so an official can say which
/// rule gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The rule, by its path in the rule set (`member_evaluation.bands`, …).
    pub rule: &'static str,
    /// What it did, in Chinese.
    pub zh: String,
    /// What it did, in English.
    pub en: String,
}
