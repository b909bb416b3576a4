//! Member grading compiled once per rule set into integer arithmetic, for bulk grading: the
//! same outcome as [`grade`](super::grade) before the organization's cap, without the
//! explanation, exactly (no rounding anywhere).
//!
//! Each evaluation is a fraction `num / den`: a score `s` (at most 2 places) is `100·s / 100`;
//! ballots are the sum of their points over their count. The weighted score reaches a band's
//! lower bound `B` exactly when `Σ wᵢ·numᵢ·(D/denᵢ) ≥ 100·B·D` with `D = Π denᵢ`; with
//! counts bounded when recorded (≤ 10⁷), every term fits in 128 bits.

use super::{Ballots, MemberEvaluationInputs, Outcome};
use crate::rules::{Grade, MemberEvaluationRules};

/// Member-evaluation rules compiled for bulk grading.
#[derive(Debug, Clone, Copy)]
pub struct CompiledMemberRules {
    weights: [u128; 4],
    points: [u128; 4],
    /// Band lower bounds × 100 (excellent, qualified, basically qualified).
    bands: [u128; 3],
    no_report_max: Grade,
    sanction: Grade,
}

impl CompiledMemberRules {
    /// Compiles `rules` (already validated, as every rule set in a campaign is).
    pub fn compile(rules: &MemberEvaluationRules) -> CompiledMemberRules {
        let w = &rules.weights_percent;
        let p = &rules.grade_points;
        let b = &rules.bands;
        CompiledMemberRules {
            weights: [w.self_review, w.peers, w.masses, w.committee].map(u128::from),
            points: [
                p.excellent,
                p.qualified,
                p.basically_qualified,
                p.unqualified,
            ]
            .map(u128::from),
            bands: [
                b.excellent_from,
                b.qualified_from,
                b.basically_qualified_from,
            ]
            .map(|x| u128::from(x) * 100),
            no_report_max: rules.no_report_max_grade,
            sanction: rules.sanction_grade,
        }
    }

    /// The fraction of one evaluation, or `None` when it cannot be graded exactly this way
    /// (a score with more than 2 places, or counts beyond the recorded bounds).
    #[inline]
    fn fraction(&self, b: &Ballots) -> Option<(u128, u128)> {
        match *b {
            Ballots::Score(s) => {
                // mantissa × 10^-scale; at most 2 places (trailing zeros aside).
                let s = if s.scale() > 2 { s.normalize() } else { s };
                let m = u128::try_from(s.mantissa()).ok()?;
                let n = match s.scale() {
                    0 => m * 100,
                    1 => m * 10,
                    2 => m,
                    _ => return None,
                };
                Some((n, 100))
            }
            Ballots::Counts {
                excellent,
                qualified,
                basically_qualified,
                unqualified,
            } => {
                let counts = [excellent, qualified, basically_qualified, unqualified];
                if counts.iter().any(|n| *n > 10_000_000) {
                    return None;
                }
                let den: u128 = counts.iter().map(|n| u128::from(*n)).sum();
                let num: u128 = counts
                    .iter()
                    .zip(self.points)
                    .map(|(n, p)| u128::from(*n) * p)
                    .sum();
                (den > 0).then_some((num, den))
            }
        }
    }

    /// The band of the weighted score of `inputs`, exactly, before vetoes; `None` when an
    /// evaluation is missing or outside what a campaign records.
    #[inline]
    pub fn band(&self, inputs: &MemberEvaluationInputs) -> Option<Grade> {
        self.exact_band(inputs).flatten()
    }

    /// The grade of `inputs` before the organization's cap; `Pending` when an evaluation is
    /// missing. `None` only for inputs outside what a campaign records (a score with more than 2
    /// places, or more than 10⁷ ballots of a grade).
    #[inline]
    pub fn grade(&self, inputs: &MemberEvaluationInputs) -> Option<Outcome> {
        let Some(mut grade) = self.exact_band(inputs)? else {
            return Some(Outcome::Pending);
        };
        if inputs.sanctioned {
            grade = self.sanction;
        }
        if inputs.report_submitted.is_none() && grade < self.no_report_max {
            grade = self.no_report_max;
        }
        Some(Outcome::Graded(grade))
    }

    /// The band (inner `None`: pending), or `None` for inputs outside the recorded bounds.
    #[inline]
    fn exact_band(&self, inputs: &MemberEvaluationInputs) -> Option<Option<Grade>> {
        let sources = [
            inputs.self_review.as_ref(),
            inputs.peers.as_ref(),
            inputs.masses.as_ref(),
            inputs.committee.as_ref(),
        ];
        let mut fr = [(0u128, 1u128); 4];
        for (slot, s) in fr.iter_mut().zip(sources) {
            match s {
                None => return Some(None),
                Some(b) => *slot = self.fraction(b)?,
            }
        }
        let [a, b, c, e] = fr.map(|(_, den)| den);
        let d = a * b * c * e;
        // Each term's other denominators, by multiplication only.
        let others = [b * c * e, a * c * e, a * b * e, a * b * c];
        let lhs: u128 = fr
            .iter()
            .zip(self.weights)
            .zip(others)
            .map(|(((num, _), w), o)| w * num * o)
            .sum();
        let at_least = |band: u128| lhs >= band * d;
        let band = if at_least(self.bands[0]) {
            Grade::Excellent
        } else if at_least(self.bands[1]) {
            Grade::Qualified
        } else if at_least(self.bands[2]) {
            Grade::BasicallyQualified
        } else {
            Grade::Unqualified
        };
        Some(Some(band))
    }
}
