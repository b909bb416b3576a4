//! Member evaluation (一报告四评议): the inputs of a round, and the grade they give, explained.
//!
//! Each round (a year), a member submits a party-spirit analysis report (党性分析报告) and is
//! evaluated four ways: by themself (个人自评), by fellow members (党员互评), by the masses
//! (群众评议) and by the organization's committee (班子集中评议). Each evaluation is either
//! ballots counted per grade or a score out of 100. The grade follows the rules
//! ([`crate::rules::MemberEvaluationRules`]), step by step:
//!
//! 1. A member missing any of the four evaluations is **pending**, not graded.
//! 2. Each evaluation's score: its score, or the average points of its ballots.
//! 3. The member's score: the four scores weighted by the rules' percentages.
//! 4. The grade of the score's band.
//! 5. Vetoes: a disciplinary sanction in the round gives the rules' sanction grade; no report
//!    caps the grade at the rules' no-report grade.
//! 6. The cap ([`apply_excellent_cap`]): at most the rules' percentage of an organization's
//!    graded members are 优秀; the highest scores keep it, ties broken by the member's
//!    identifier; the others become 合格.
//!
//! Every step is kept, with the rule that fired, in Chinese and English ([`Step`]), so an
//! official can explain a grade to the member. Scores are exact decimals.
//!
//! Pledges are rated (评诺) by a decision table of the rules too, with the same kind of steps:
//! that is the pledge's own rule ([`crate::pledge::rate_pledge`]).
//!
//! | file | what |
//! |---|---|
//! | `events.rs` | the round's event ([`RecordMemberEvaluation`]) |
//! | `check.rs` | what makes it acceptable: the member posted that day, one per round, ballots within each electorate |
//! | `state.rs` | its part of the state ([`Evaluations`]), indexed by member |
//! | `apply.rs` | how an accepted round is recorded |
//! | `mod.rs`, `fast.rs` | the grade, step by step, and its compiled form for whole cities |
//! | `grades.rs` | an organization's round graded, the cap applied ([`member_grades`]), and every organization's at once ([`all_member_grades`]) |
//!
//! Its refusals are the seam's ([`crate::org::OrgError`]): it has no rule of its own to refuse by.

mod apply;
mod check;
mod events;
mod fast;
mod grades;
mod state;

use std::fmt;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::{ExtId, MemberIdx, OrgIdx, Period};
use crate::rules::{Grade, MemberEvaluationRules};

pub use crate::rules::Step;
pub(crate) use apply::apply;
pub use events::RecordMemberEvaluation;
pub use fast::CompiledMemberRules;
pub use grades::{all_member_grades, member_grades};
pub use state::Evaluations;

/// One evaluation's result: ballots per grade, or a score out of 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Ballots {
    /// Ballots counted per grade.
    Counts {
        /// 优秀.
        #[serde(default)]
        excellent: u64,
        /// 合格.
        #[serde(default)]
        qualified: u64,
        /// 基本合格.
        #[serde(default)]
        basically_qualified: u64,
        /// 不合格.
        #[serde(default)]
        unqualified: u64,
    },
    /// A score out of 100 (at most 2 decimal places).
    Score(#[serde(with = "crate::pledge::decimal_exact")] Decimal),
}

impl Ballots {
    /// Ballots cast (1 for a score).
    pub fn total(&self) -> u64 {
        match *self {
            Ballots::Counts {
                excellent,
                qualified,
                basically_qualified,
                unqualified,
            } => excellent
                .saturating_add(qualified)
                .saturating_add(basically_qualified)
                .saturating_add(unqualified),
            Ballots::Score(_) => 1,
        }
    }

    /// The score out of 100 these ballots give under `rules`: the score, or the average points.
    pub fn score(&self, rules: &MemberEvaluationRules) -> Decimal {
        match *self {
            Ballots::Score(s) => s,
            Ballots::Counts {
                excellent,
                qualified,
                basically_qualified,
                unqualified,
            } => {
                let p = &rules.grade_points;
                let sum: u128 = [
                    (excellent, p.excellent),
                    (qualified, p.qualified),
                    (basically_qualified, p.basically_qualified),
                    (unqualified, p.unqualified),
                ]
                .iter()
                .map(|(n, pts)| u128::from(*n) * u128::from(*pts))
                .sum();
                let total = u128::from(self.total()).max(1);
                // Ballot counts are bounded when recorded (10⁷ each), so both fit a Decimal.
                let sum = Decimal::from_i128_with_scale(i128::try_from(sum).unwrap_or(0), 0);
                let total = Decimal::from_i128_with_scale(i128::try_from(total).unwrap_or(1), 0);
                sum.checked_div(total).unwrap_or(Decimal::ZERO).normalize()
            }
        }
    }
}

/// The inputs of one member's evaluation in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEvaluationInputs {
    /// The member.
    pub member: MemberIdx,
    /// The organization that evaluated them (their posting on the day recorded).
    pub org: OrgIdx,
    /// The round (a year).
    pub round: Period,
    /// The day recorded.
    pub on: Date,
    /// The day the party-spirit analysis report was submitted, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_submitted: Option<Date>,
    /// 个人自评.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_review: Option<Ballots>,
    /// 党员互评.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peers: Option<Ballots>,
    /// 群众评议.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masses: Option<Ballots>,
    /// 班子集中评议.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<Ballots>,
    /// Whether the member was under a disciplinary sanction in the round.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sanctioned: bool,
    /// Whether this record corrects the round's earlier one (which is kept).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub correction: bool,
}

/// A grade, or pending when an evaluation is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Graded.
    Graded(Grade),
    /// Not graded: an evaluation is missing.
    Pending,
}

/// A member's verdict with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberVerdict {
    /// The member's identifier.
    pub member: ExtId,
    /// The outcome.
    pub outcome: Outcome,
    /// The weighted score, if every evaluation was there.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "score_text")]
    pub score: Option<Decimal>,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl fmt::Display for MemberVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.steps {
            writeln!(f, "[{}] {} / {}", s.rule, s.zh, s.en)?;
        }
        Ok(())
    }
}

fn score_text<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(&d.normalize()),
        None => s.serialize_none(),
    }
}

fn step(rule: &'static str, zh: String, en: String) -> Step {
    Step { rule, zh, en }
}

/// Grades one member's inputs under `rules`, before the organization's cap.
pub fn grade(
    id: &ExtId,
    inputs: &MemberEvaluationInputs,
    rules: &MemberEvaluationRules,
) -> MemberVerdict {
    let sources = sources(inputs, rules);
    let mut steps = Vec::new();
    if let Some(missing) = missing(&sources) {
        steps.push(missing);
        return MemberVerdict {
            member: id.clone(),
            outcome: Outcome::Pending,
            score: None,
            steps,
        };
    }
    let total = weighted_total(&sources, rules, &mut steps);
    let band = band_of(total, inputs, rules);
    steps.push(step(
        "member_evaluation.bands",
        format!("总分 {total}，属{}档", band.label_zh()),
        format!("total {total}: the {} band", band.as_str()),
    ));
    let grade = vetoes(band, inputs, rules, &mut steps);
    MemberVerdict {
        member: id.clone(),
        outcome: Outcome::Graded(grade),
        score: Some(total),
        steps,
    }
}

/// One of the four evaluations: its Chinese and English names, its ballots, its weight.
type Source = (&'static str, &'static str, Option<Ballots>, u32);

fn sources(inputs: &MemberEvaluationInputs, rules: &MemberEvaluationRules) -> [Source; 4] {
    let w = &rules.weights_percent;
    [
        ("个人自评", "self-review", inputs.self_review, w.self_review),
        ("党员互评", "peers", inputs.peers, w.peers),
        ("群众评议", "masses", inputs.masses, w.masses),
        ("班子评议", "committee", inputs.committee, w.committee),
    ]
}

/// Step 1: the step that leaves the member pending, if an evaluation is missing.
fn missing(sources: &[Source]) -> Option<Step> {
    let absent = || sources.iter().filter(|s| s.2.is_none());
    absent().next()?;
    let zh: Vec<&str> = absent().map(|s| s.0).collect();
    let en: Vec<&str> = absent().map(|s| s.1).collect();
    Some(step(
        "member_evaluation.weights_percent",
        format!("缺少{}，暂不评定等次", zh.join("、")),
        format!("missing {}: pending, not graded", en.join(", ")),
    ))
}

/// Steps 2 and 3: each evaluation's score, weighted, and their sum.
fn weighted_total(
    sources: &[Source],
    rules: &MemberEvaluationRules,
    steps: &mut Vec<Step>,
) -> Decimal {
    let mut total = Decimal::ZERO;
    for &(zh, en, ballots, weight) in sources {
        let Some(b) = ballots else { continue };
        let s = b.score(rules);
        // Recorded scores are at most 100 and weights at most 100: these cannot overflow; the
        // fallbacks guard values built by hand.
        let part = s
            .checked_mul(Decimal::from(weight))
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .unwrap_or(Decimal::ZERO)
            .normalize();
        total = total.checked_add(part).unwrap_or(total);
        steps.push(step(
            "member_evaluation.grade_points",
            format!("{zh}得分 {s}，权重 {weight}%，计 {part}"),
            format!("{en} scores {s}, weight {weight}%, counts {part}"),
        ));
    }
    total.normalize()
}

/// Step 4: the band of the score. It is decided exactly (fractions in integers), not on the
/// 28-digit decimal shown, so a score of exactly 90 is 90 even when an average like 215/3 is in
/// it; the decimal decides only where the exact form cannot be built.
fn band_of(
    total: Decimal,
    inputs: &MemberEvaluationInputs,
    rules: &MemberEvaluationRules,
) -> Grade {
    if let Some(band) = CompiledMemberRules::compile(rules).band(inputs) {
        return band;
    }
    let b = &rules.bands;
    if total >= Decimal::from(b.excellent_from) {
        Grade::Excellent
    } else if total >= Decimal::from(b.qualified_from) {
        Grade::Qualified
    } else if total >= Decimal::from(b.basically_qualified_from) {
        Grade::BasicallyQualified
    } else {
        Grade::Unqualified
    }
}

/// Step 5: the vetoes (a sanction, a missing report) lower the band's grade.
fn vetoes(
    band: Grade,
    inputs: &MemberEvaluationInputs,
    rules: &MemberEvaluationRules,
    steps: &mut Vec<Step>,
) -> Grade {
    let mut grade = band;
    if inputs.sanctioned {
        grade = rules.sanction_grade;
        steps.push(step(
            "member_evaluation.sanction_grade",
            format!("本年度受到纪律处分，评定为{}", grade.label_zh()),
            format!(
                "under a disciplinary sanction in the round: {}",
                grade.as_str()
            ),
        ));
    }
    if inputs.report_submitted.is_none() && grade < rules.no_report_max_grade {
        grade = rules.no_report_max_grade;
        steps.push(step(
            "member_evaluation.no_report_max_grade",
            format!("未提交党性分析报告，最高评定为{}", grade.label_zh()),
            format!("no party-spirit report: at most {}", grade.as_str()),
        ));
    }
    grade
}

/// Applies the organization's cap on 优秀 to its members' verdicts: at most
/// `excellent_cap_percent` % of the graded members (rounded down) keep 优秀, highest scores
/// first, ties broken by identifier (ascending); the others become 合格.
pub fn apply_excellent_cap(verdicts: &mut [MemberVerdict], rules: &MemberEvaluationRules) {
    let graded = verdicts
        .iter()
        .filter(|v| matches!(v.outcome, Outcome::Graded(_)))
        .count() as u64;
    let cap = graded * u64::from(rules.excellent_cap_percent) / 100;
    let mut excellent: Vec<usize> = verdicts
        .iter()
        .enumerate()
        .filter(|(_, v)| v.outcome == Outcome::Graded(Grade::Excellent))
        .map(|(i, _)| i)
        .collect();
    excellent.sort_by(|a, b| {
        let (va, vb) = (&verdicts[*a], &verdicts[*b]);
        vb.score
            .cmp(&va.score)
            .then_with(|| va.member.cmp(&vb.member))
    });
    for (rank, &i) in excellent.iter().enumerate() {
        let v = &mut verdicts[i];
        if (rank as u64) < cap {
            v.steps.push(step(
                "member_evaluation.excellent_cap_percent",
                format!(
                    "优秀名额 {cap} 名（{graded} 名的 {}%），排名第 {}，保留优秀",
                    rules.excellent_cap_percent,
                    rank + 1
                ),
                format!(
                    "{cap} places for excellent ({}% of {graded}); ranked {}: stays excellent",
                    rules.excellent_cap_percent,
                    rank + 1
                ),
            ));
        } else {
            v.outcome = Outcome::Graded(Grade::Qualified);
            v.steps.push(step(
                "member_evaluation.excellent_cap_percent",
                format!("优秀名额 {cap} 名（{graded} 名的 {}%），排名第 {}（同分按编号），评定为合格", rules.excellent_cap_percent, rank + 1),
                format!("{cap} places for excellent ({}% of {graded}); ranked {} (ties by id): qualified", rules.excellent_cap_percent, rank + 1),
            ));
        }
    }
}

// The binary layout of snapshots ([`crate::model::binary`]).
use crate::model::binary::{binary_struct, binary_union};

binary_union!(Ballots { 0 => Counts { excellent, qualified, basically_qualified, unqualified }, 1 => Score(a) });
binary_struct!(MemberEvaluationInputs {
    member,
    org,
    round,
    on,
    report_submitted,
    self_review,
    peers,
    masses,
    committee,
    sanctioned,
    correction
});
