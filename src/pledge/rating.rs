//! Pledge rating (评诺): the decision table of the rules over a pledge's year, explained.

use serde::Serialize;

use super::{Pledge, PledgeStatus, Survey};
use crate::model::Period;
use crate::rules::Step;
use crate::rules::{Completion, PledgeRatingRules, Rating, RatingConditions, SpotCheckCondition};

/// A pledge's rating for a year, with the facts it was judged on and the row that gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PledgeRating {
    /// The rating.
    pub rating: Rating,
    /// The decision-table row that matched (0-based).
    pub row: usize,
    /// Where the pledge stood at the year's end.
    pub completion: Completion,
    /// The steps: the facts, then the row.
    pub steps: Vec<Step>,
}

/// Where `p` stood at the end of `year`, if it was made by then.
pub fn completion_at(p: &Pledge, year: Period) -> Option<Completion> {
    Some(match p.status_on(year.last_day())? {
        PledgeStatus::Fulfilled => match p.fulfilled_in_time() {
            Some(true) => Completion::FulfilledInTime,
            _ => Completion::FulfilledLate,
        },
        PledgeStatus::Published => Completion::InProgress,
        PledgeStatus::Withdrawn => Completion::Withdrawn,
        PledgeStatus::Unfulfilled => Completion::Unfulfilled,
        _ => return None,
    })
}

/// Whether at least `percent` % of a survey's answers are 满意 or 比较满意 (exact).
fn satisfied_at_least(survey: Option<&Survey>, percent: u32) -> bool {
    survey.is_some_and(|s| {
        let satisfied = u128::from(s.satisfied) + u128::from(s.fairly_satisfied);
        satisfied * 100 >= u128::from(percent) * u128::from(s.total())
    })
}

fn survey_text(s: Option<&Survey>) -> String {
    match s {
        Some(s) => format!(
            "{}/{}/{}/{}",
            s.satisfied, s.fairly_satisfied, s.basically_satisfied, s.dissatisfied
        ),
        None => "-".into(),
    }
}

/// The decision alone, for bulk rating: where the pledge stood and the row that matched (its
/// rating is `rules.rows[row].rating`), without the explanation. `None` as for
/// [`rate_pledge`].
pub fn decide(p: &Pledge, year: Period, rules: &PledgeRatingRules) -> Option<(Completion, usize)> {
    let completion = completion_at(p, year)?;
    let inputs = p.evaluation_for(year)?;
    let spot = inputs.spot_check.as_ref().map(|c| c.passed);
    let holds = |w: &RatingConditions| {
        (w.completion.is_empty() || w.completion.contains(&completion))
            && w.masses_satisfied_percent
                .is_none_or(|pc| satisfied_at_least(inputs.survey.as_ref(), pc))
            && w.members_satisfied_percent
                .is_none_or(|pc| satisfied_at_least(inputs.members.as_ref(), pc))
            && w.organization_satisfied_percent
                .is_none_or(|pc| satisfied_at_least(inputs.organization.as_ref(), pc))
            && match w.spot_check {
                SpotCheckCondition::Any => true,
                SpotCheckCondition::Passed => spot == Some(true),
                SpotCheckCondition::Failed => spot == Some(false),
                SpotCheckCondition::NotFailed => spot != Some(false),
            }
    };
    // Validated rules end with an unconditional row; a hand-built table without one rates
    // nothing rather than guessing.
    let row = rules.rows.iter().position(|r| holds(&r.when))?;
    Some((completion, row))
}

/// Rates `p` for `year` under `rules`: `None` when it was not made by the year's end or no
/// evaluation inputs were recorded for the year.
pub fn rate_pledge(p: &Pledge, year: Period, rules: &PledgeRatingRules) -> Option<PledgeRating> {
    let (completion, row) = decide(p, year, rules)?;
    let matched = &rules.rows[row];
    let inputs = p.evaluation_for(year)?;
    let spot = inputs.spot_check.as_ref().map(|c| c.passed);
    let spot_zh = match spot {
        Some(true) => "抽查合格",
        Some(false) => "抽查不合格",
        None => "未抽查",
    };
    let spot_en = match spot {
        Some(true) => "spot check passed",
        Some(false) => "spot check failed",
        None => "no spot check",
    };
    let facts = Step {
        rule: "pledge_rating.rows",
        zh: format!(
            "{year}年末完成情况 {}；群众/党员/组织测评（满意/比较满意/基本满意/不满意） {} | {} | {}；{spot_zh}",
            completion_zh(completion),
            survey_text(inputs.survey.as_ref()),
            survey_text(inputs.members.as_ref()),
            survey_text(inputs.organization.as_ref()),
        ),
        en: format!(
            "at the end of {year}: {}; masses/members/organization surveys (satisfied/fairly/basically/dissatisfied) {} | {} | {}; {spot_en}",
            completion_en(completion),
            survey_text(inputs.survey.as_ref()),
            survey_text(inputs.members.as_ref()),
            survey_text(inputs.organization.as_ref()),
        ),
    };
    let decision = Step {
        rule: "pledge_rating.rows",
        zh: format!(
            "第 {} 行条件成立（前 {row} 行不成立），评为{}",
            row + 1,
            matched.rating.label_zh()
        ),
        en: format!(
            "row {} holds (the {row} before it do not): {}",
            row + 1,
            matched.rating.as_str()
        ),
    };
    Some(PledgeRating {
        rating: matched.rating,
        row,
        completion,
        steps: vec![facts, decision],
    })
}

fn completion_zh(c: Completion) -> &'static str {
    match c {
        Completion::FulfilledInTime => "按期完成",
        Completion::FulfilledLate => "逾期完成",
        Completion::InProgress => "正在践诺",
        Completion::Withdrawn => "已撤回",
        Completion::Unfulfilled => "未兑现",
    }
}

fn completion_en(c: Completion) -> &'static str {
    match c {
        Completion::FulfilledInTime => "fulfilled in time",
        Completion::FulfilledLate => "fulfilled late",
        Completion::InProgress => "in progress",
        Completion::Withdrawn => "withdrawn",
        Completion::Unfulfilled => "unfulfilled",
    }
}
