//! How the stage report writes its figures for people: the rule set's rounding
//! (`rules.rounding`), applied at display only, and the Chinese label of every figure key.
//!
//! The figures themselves stay exact (counts, ratios, yuan); these functions only write them.
//! Where each rounding rule applies:
//!
//! - `percent_places`: every percentage the text, the HTML page and the JSON `display.figures`
//!   write (`56.0%`), trailing zeros kept;
//! - `wan_places`: every amount written in 万元 (`274.741万元`), trailing zeros dropped as the
//!   seed writes them (`1050万元`); amounts below ten thousand yuan are written in 元, exactly;
//! - `rate_places`: every rate written as a fraction, in the JSON `display.rates` (`0.5602`),
//!   trailing zeros kept;
//! - `mode`: how a value halfway between two is rounded in all three; 四舍五入 by default.
//!
//! The JSON `figures` object is not a display: its rates keep four places whatever the rules
//! (its contract since the first report format), its amounts are exact.
//!
//! ```
//! use chuangzheng::model::Ratio;
//! use chuangzheng::report::{percent, wan_yuan};
//! use chuangzheng::rules::RoundingRules;
//! use rust_decimal::Decimal;
//!
//! let rules = RoundingRules { wan_places: 3, percent_places: 2, ..RoundingRules::default() };
//! assert_eq!(wan_yuan(Decimal::from(12_345), &rules), "1.235万元");
//! assert_eq!(percent(Ratio::new("r", 1, 16).ok(), &rules), "6.25%");
//! assert_eq!(percent(None, &rules), "—");
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::stage::{Figure, StageFigures, quota_key, unit_key};
use super::{Quota, text};
use crate::model::{Ratio, UnitKind};
use crate::pledge::Carrier;
use crate::rules::{RoundingMode, RoundingRules, RuleSet};

/// What the renderers need of the rule set a report was built under: its name and version
/// as the page names them, and how figures are rounded for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayRules {
    /// The rule set's name (`default`).
    pub rules_name: String,
    /// The rule set's format version.
    pub rules_version: u32,
    /// How figures are rounded for display.
    pub rounding: RoundingRules,
}

impl Default for DisplayRules {
    /// The default rule set's.
    fn default() -> Self {
        DisplayRules::from(&RuleSet::default())
    }
}

impl From<&RuleSet> for DisplayRules {
    fn from(rules: &RuleSet) -> Self {
        DisplayRules {
            rules_name: rules.name.clone(),
            rules_version: rules.version,
            rounding: rules.rounding.clone(),
        }
    }
}

impl DisplayRules {
    /// The rule set as the page names it: `默认规则（第1版）`, or its own name.
    pub fn label_zh(&self) -> String {
        let name = if self.rules_name == RuleSet::default().name {
            "默认规则"
        } else {
            self.rules_name.as_str()
        };
        format!("{name}（第{}版）", self.rules_version)
    }
}

/// `r` (times 100 when `percent`) rounded to `places` by the rules' mode, from the exact
/// quotient: [`Ratio`] rounds half up; half to even steps back from an exact tie whose kept
/// digit came out odd.
fn ratio_rounded(r: Ratio, percent: bool, places: u32, rounding: &RoundingRules) -> Decimal {
    let up = if percent {
        r.percent(places)
    } else {
        r.to_decimal(places)
    };
    if rounding.mode == RoundingMode::HalfUp || !is_tie(r, percent, places) {
        return up;
    }
    let mut kept = up;
    kept.rescale(places);
    if kept.mantissa() % 2 == 0 {
        return up;
    }
    up.checked_sub(Decimal::new(1, places)).unwrap_or(up)
}

/// Whether `r` (times 100 when `percent`) lies exactly halfway between two values of
/// `places` places: `2·n·10^e / d` is an odd whole number.
fn is_tie(r: Ratio, percent: bool, places: u32) -> bool {
    let exponent = places + if percent { 2 } else { 0 };
    let twice = 10u128
        .checked_pow(exponent)
        .and_then(|p| u128::from(r.numerator()).checked_mul(p))
        .and_then(|n| n.checked_mul(2));
    let d = u128::from(r.denominator());
    twice.is_some_and(|n| n % d == 0 && (n / d) % 2 == 1)
}

/// `d` with exactly `places` decimal places written (`0.5000`).
fn with_places(mut d: Decimal, places: u32) -> String {
    d.rescale(places);
    d.to_string()
}

/// A rate as a fraction, to `rate_places` by the rules, trailing zeros kept (`0.5602`,
/// `1.0000`).
pub fn rate_text(r: Ratio, rounding: &RoundingRules) -> String {
    let places = rounding.rate_places;
    with_places(ratio_rounded(r, false, places, rounding), places)
}

/// A rate in percent without the sign, to `percent_places` by the rules, trailing zeros kept
/// (`56.0`).
pub fn percent_text(r: Ratio, rounding: &RoundingRules) -> String {
    let places = rounding.percent_places;
    with_places(ratio_rounded(r, true, places, rounding), places)
}

/// A rate as `56.0%` (see [`percent_text`]), or `—` when it is undefined.
pub fn percent(r: Option<Ratio>, rounding: &RoundingRules) -> String {
    r.map_or("—".to_string(), |r| {
        format!("{}%", percent_text(r, rounding))
    })
}

/// An amount in yuan as 万元, to `wan_places` by the rules, trailing zeros dropped
/// (`274.741万元`, `1050万元`); amounts below ten thousand yuan stay in 元, exact (`6561元`).
pub fn wan_yuan(yuan: Decimal, rounding: &RoundingRules) -> String {
    if yuan.abs() < Decimal::from(10_000) {
        return format!("{}元", yuan.normalize());
    }
    // Dividing by 10⁴ is exact: it only moves the decimal point.
    let mut wan = yuan;
    if wan.set_scale(yuan.scale() + 4).is_err() {
        return format!("{}元", yuan.normalize());
    }
    let shown = rounding.round(wan, rounding.wan_places);
    format!("{}万元", shown.normalize())
}

impl Figure {
    /// The value as the report's text and page write it: a count as is, a rate in percent, an
    /// amount in 万元 (or 元), rounded by `rounding`.
    pub fn display(&self, rounding: &RoundingRules) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Rate(r) => percent(*r, rounding),
            Figure::Yuan(y) => wan_yuan(*y, rounding),
        }
    }
}

/// The JSON `display` object: the rounding rules, and each figure's Chinese label, its value as
/// the text and page write it, and each rate as a fraction to `rate_places`.
pub fn display_json(figures: &StageFigures, rounding: &RoundingRules) -> serde_json::Value {
    let mut labels = serde_json::Map::new();
    let mut shown = serde_json::Map::new();
    let mut rates = serde_json::Map::new();
    for (key, f) in figures.figures() {
        let label = figure_label_zh(&key).unwrap_or_default();
        labels.insert(key.clone(), label.into());
        shown.insert(key.clone(), f.display(rounding).into());
        if let Figure::Rate(r) = f {
            let fraction = r.map(|r| rate_text(r, rounding));
            rates.insert(key, fraction.map_or(serde_json::Value::Null, Into::into));
        }
    }
    serde_json::json!({
        "rounding": rounding,
        "labels": labels,
        "figures": shown,
        "rates": rates,
    })
}

/// The Chinese label of a figure key, with its measure word (`实事承诺（件）`); `None` for a
/// key the report does not publish.
pub fn figure_label_zh(key: &str) -> Option<String> {
    let (head, rest) = key.split_once('.')?;
    match head {
        "pledge" => pledge_label(rest),
        "carrier" => carrier_label(rest),
        "m123" => m123_label(rest),
        "coverage" => coverage_label(rest),
        _ => fixed_label(key),
    }
}

fn pledge_label(rest: &str) -> Option<String> {
    let label = match rest {
        "practical.total" => "实事承诺（件）",
        "practical.completed" => "实事承诺已完成（件）",
        "practical.completion_rate" => "实事承诺完成率",
        "work.total" => "工作承诺（件）",
        "work.completed" => "工作承诺已完成（件）",
        "work.completion_rate" => "工作承诺完成率",
        "completed_in_time" => "按期完成的承诺（件）",
        "review.revised_orgs" => "承诺书经修改完善的党组织（个）",
        "review.revised_members" => "承诺书经修改完善的党员（名）",
        _ => return None,
    };
    Some(label.to_string())
}

fn carrier_label(rest: &str) -> Option<String> {
    let (key, what) = rest.split_once('.')?;
    let c = Carrier::ALL.into_iter().find(|c| c.as_str() == key)?;
    let name = c.label_zh();
    match what {
        "members" => Some(format!("\u{201c}{name}\u{201d}参与党员（名）")),
        "benefit_yuan" => Some(format!("\u{201c}{name}\u{201d}增加效益")),
        output => crate::pledge::Outputs::default()
            .counts()
            .iter()
            .any(|(n, _)| *n == output)
            .then(|| {
                let (phrase, unit) = text::output_phrase(output);
                // 个（台） inside the label's brackets reads 个/台.
                let unit = unit.replace('（', "/").replace('）', "");
                format!("\u{201c}{name}\u{201d}{phrase}（{unit}）")
            }),
    }
}

fn m123_label(rest: &str) -> Option<String> {
    if let Some(q) = rest.strip_prefix("compliance.") {
        let (quota, of) = q.split_once('.')?;
        let quota = Quota::ALL.into_iter().find(|x| quota_key(*x) == quota)?;
        let whose = match of {
            "villages" => "村级达标率",
            "cadres" => "班子成员达标率",
            _ => return None,
        };
        return Some(format!("{}{whose}", text::quota_label(quota)));
    }
    let label = match rest {
        "secretaries" => "村党组织书记（名）",
        "committee_members" => "支委成员（名）",
        "cadres_taking_part" => "有工作记录的村干部（人）",
        "receptions" => "接待来访（次）",
        "visitors_received" => "接待群众（人次）",
        "household_visits" => "走访困难群众（户次）",
        "households_visited" => "走访困难群众（户）",
        "concerns_collected" => "收集群众反映的实际问题（件）",
        "concerns_resolved" => "已解决的问题（件）",
        "concerns_open" => "在办的问题（件）",
        "concerns_overdue" => "逾期未升级办理的问题（件）",
        _ => return None,
    };
    Some(label.to_string())
}

fn coverage_label(rest: &str) -> Option<String> {
    let (kind, what) = rest.split_once('.')?;
    let k = UnitKind::ALL.into_iter().find(|k| unit_key(*k) == kind)?;
    let name = k.label_zh();
    let label = match what {
        "units" => format!("{name}（家）"),
        "eligible" => format!("符合建组条件的{name}（家）"),
        "covered" => format!("党组织覆盖的{name}（家）"),
        "orgs" => format!("{name}已建立党组织（个）"),
        "rate" => format!("{name}建组率"),
        "work_covered" => format!("党的工作覆盖的{name}（家）"),
        "work_rate" => format!("{name}党的工作覆盖面"),
        _ => return None,
    };
    Some(label)
}

/// Labels of the keys without a kind in them.
const FIXED_LABELS: &[(&str, &str)] = &[
    ("deliberation.proposed", "动议村级重大事项（件）"),
    ("deliberation.in_progress", "尚在办理的事项（件）"),
    ("deliberation.rejected_by_committees", "两委会未通过（件）"),
    ("deliberation.rejected_by_members", "党员大会未通过（件）"),
    ("deliberation.vetoed", "乡镇党委政府审核否决（件）"),
    ("deliberation.rejected_by_villagers", "村民会议未通过（件）"),
    ("deliberation.resolved", "村民代表大会决议通过（件）"),
    ("deliberation.resolutions_published", "决议公开（件）"),
    ("deliberation.results_published", "实施结果公开（件）"),
    ("service.hotline.cases", "民生热线受理问题（件次）"),
    ("service.hotline.resolved", "民生热线已解决问题（件）"),
    ("service.hotline.replied", "民生热线已回复（件）"),
    ("service.hotline.reply_rate", "民生热线回复率"),
    ("service.donation.donations", "捐款（笔）"),
    ("service.donation.members", "捐款党员干部（名）"),
    ("service.donation.amount_yuan", "累计捐款"),
    ("service.home_visits.visits", "党员干部深入基层走访（次）"),
    ("service.home_visits.cadres", "深入基层走访的党员干部（名）"),
    (
        "service.home_visits.problems_solved",
        "走访中解决问题（件）",
    ),
    ("service.home_visits.aid_yuan", "帮扶款物折合人民币"),
    ("volunteer.teams", "党员义工队伍（支）"),
    ("volunteer.members", "参与活动的党员（名）"),
    ("volunteer.activities", "开展集中服务（次）"),
    ("volunteer.people_served", "服务群众（人次）"),
    (
        "contact_points.city_leaders",
        "建立联系点的市级党员领导干部（名）",
    ),
    (
        "contact_points.section_leaders",
        "建立联系点的科级党员领导干部（名）",
    ),
    ("contact_points.points", "联系点（个）"),
    ("instructors.members", "派驻的指导员（名）"),
    ("instructors.units", "派驻指导员的单位（家）"),
    ("instructors.villages", "派驻指导员的行政村（个）"),
    ("pairing.departments", "结对共建的市直部门（个）"),
    ("pairing.institutions", "结对共建的事业单位（个）"),
    ("pairing.cadres", "结对共建的党员干部（名）"),
    ("pairing.villages", "结对共建的农村党组织（个）"),
];

fn fixed_label(key: &str) -> Option<String> {
    FIXED_LABELS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, label)| (*label).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn r(n: u64, den: u64) -> Ratio {
        Ratio::new("r", n, den).unwrap()
    }

    fn rules(rate: u32, pct: u32, wan: u32, mode: RoundingMode) -> RoundingRules {
        RoundingRules {
            mode,
            rate_places: rate,
            percent_places: pct,
            wan_places: wan,
        }
    }

    #[test]
    fn the_defaults_write_the_seeds_forms() {
        let def = RoundingRules::default();
        assert_eq!(rate_text(r(13876, 24768), &def), "0.5602");
        assert_eq!(rate_text(r(1, 1), &def), "1.0000");
        assert_eq!(percent(Some(r(427, 493)), &def), "86.6%");
        assert_eq!(percent(Some(r(1, 1)), &def), "100.0%");
        assert_eq!(wan_yuan(d("2747410"), &def), "274.741万元");
        assert_eq!(wan_yuan(d("10500000"), &def), "1050万元");
        assert_eq!(wan_yuan(d("526000"), &def), "52.6万元");
        assert_eq!(wan_yuan(d("6561"), &def), "6561元");
    }

    #[test]
    fn wan_places_round_half_up_at_the_tie() {
        let yuan = d("12345"); // 1.2345万元
        let at = |wan| wan_yuan(yuan, &rules(4, 1, wan, RoundingMode::HalfUp));
        assert_eq!(at(4), "1.2345万元");
        assert_eq!(at(3), "1.235万元"); // the tie goes up
        assert_eq!(at(2), "1.23万元");
        assert_eq!(at(0), "1万元");
        let half_even = rules(4, 1, 3, RoundingMode::HalfEven);
        assert_eq!(wan_yuan(yuan, &half_even), "1.234万元");
        assert_eq!(
            wan_yuan(d("15000"), &rules(4, 1, 0, RoundingMode::HalfUp)),
            "2万元"
        );
        assert_eq!(wan_yuan(d("25000"), &half_even.clone()), "2.5万元");
        let half_even_0 = rules(4, 1, 0, RoundingMode::HalfEven);
        assert_eq!(wan_yuan(d("25000"), &half_even_0), "2万元");
        assert_eq!(
            wan_yuan(d("12344.99"), &rules(4, 1, 3, RoundingMode::HalfUp)),
            "1.234万元"
        );
    }

    #[test]
    fn percent_places_round_half_up_at_the_tie() {
        let sixteenth = r(1, 16); // 6.25%
        let at = |p, mode| percent(Some(sixteenth), &rules(4, p, 3, mode));
        assert_eq!(at(2, RoundingMode::HalfUp), "6.25%");
        assert_eq!(at(1, RoundingMode::HalfUp), "6.3%");
        assert_eq!(at(1, RoundingMode::HalfEven), "6.2%");
        assert_eq!(at(0, RoundingMode::HalfUp), "6%");
        assert_eq!(at(3, RoundingMode::HalfUp), "6.250%");
        // 0.125 = 12.5%: to 0 places, 13% half up, 12% half to even; 3/8 = 37.5% → 38% either way.
        assert_eq!(
            percent(Some(r(1, 8)), &rules(4, 0, 3, RoundingMode::HalfUp)),
            "13%"
        );
        assert_eq!(
            percent(Some(r(1, 8)), &rules(4, 0, 3, RoundingMode::HalfEven)),
            "12%"
        );
        assert_eq!(
            percent(Some(r(3, 8)), &rules(4, 0, 3, RoundingMode::HalfEven)),
            "38%"
        );
        // Just below a tie is no tie: 1249/10000 = 12.49% → 12%.
        assert_eq!(
            percent(Some(r(1249, 10000)), &rules(4, 0, 3, RoundingMode::HalfUp)),
            "12%"
        );
    }

    #[test]
    fn rate_places_round_half_up_at_the_tie() {
        let eighth = r(1, 8); // 0.125
        let at = |p, mode| rate_text(eighth, &rules(p, 1, 3, mode));
        assert_eq!(at(3, RoundingMode::HalfUp), "0.125");
        assert_eq!(at(2, RoundingMode::HalfUp), "0.13");
        assert_eq!(at(2, RoundingMode::HalfEven), "0.12");
        assert_eq!(at(0, RoundingMode::HalfUp), "0");
        assert_eq!(
            rate_text(r(1, 2), &rules(0, 1, 3, RoundingMode::HalfUp)),
            "1"
        );
        assert_eq!(
            rate_text(r(1, 2), &rules(0, 1, 3, RoundingMode::HalfEven)),
            "0"
        );
        assert_eq!(
            rate_text(r(3, 2), &rules(0, 1, 3, RoundingMode::HalfEven)),
            "2"
        );
        assert_eq!(
            rate_text(r(13876, 24768), &rules(10, 1, 3, RoundingMode::HalfUp)),
            "0.5602390181"
        );
    }

    #[test]
    fn a_tie_is_exact_even_for_the_largest_counts() {
        let big = r(u64::MAX, u64::MAX);
        assert!(!is_tie(big, true, 8));
        assert!(is_tie(r(1, 2), false, 0));
        assert!(!is_tie(r(1, 3), false, 4));
        assert_eq!(
            percent(Some(big), &rules(10, 8, 6, RoundingMode::HalfEven)),
            "100.00000000%"
        );
    }

    #[test]
    fn figures_display_by_kind() {
        let def = RoundingRules::default();
        assert_eq!(Figure::Count(24768).display(&def), "24768");
        assert_eq!(Figure::Rate(None).display(&def), "—");
        assert_eq!(Figure::Rate(Some(r(1, 3))).display(&def), "33.3%");
        assert_eq!(Figure::Yuan(d("2747410")).display(&def), "274.741万元");
    }

    #[test]
    fn every_published_key_has_a_chinese_label_and_no_other_does() {
        for (key, _) in StageFigures::default().figures() {
            let label = figure_label_zh(&key).unwrap_or_else(|| panic!("{key} has no label"));
            assert!(
                !label.is_ascii() && !label.contains(['.', '_']),
                "{key}: {label}"
            );
            assert!(!label.contains("（个（"), "{key}: brackets nest in {label}");
        }
        for key in [
            "pledge",
            "pledge.x",
            "carrier.dual_post.x",
            "m123.compliance.x.villages",
            "coverage.x.rate",
            "x.y",
        ] {
            assert_eq!(figure_label_zh(key), None, "{key}");
        }
    }

    #[test]
    fn the_rule_set_is_named_in_chinese() {
        assert_eq!(DisplayRules::default().label_zh(), "默认规则（第1版）");
        let own = DisplayRules {
            rules_name: "东港 2010".into(),
            ..DisplayRules::default()
        };
        assert_eq!(own.label_zh(), "东港 2010（第1版）");
    }
}
