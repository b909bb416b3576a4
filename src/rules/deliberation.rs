//! Rules of village decisions (四议一审 / 四议两公开): the order of the steps and the meetings'
//! thresholds. The workflow itself is in [`crate::deliberation`].

use serde::{Deserialize, Serialize};

use super::{RulesError, in_range};
use crate::error::Reason;

/// A fraction of whole numbers, `numerator / denominator`, compared exactly by
/// cross-multiplication (never through floating point).
///
/// ```
/// use chuangzheng::rules::Fraction;
///
/// let two_thirds = Fraction { numerator: 2, denominator: 3 };
/// assert!(two_thirds.at_least(30, 45)); // 30/45 = 2/3 exactly
/// assert!(!two_thirds.at_least(29, 45));
/// assert_eq!(two_thirds.least_at_least(45), 30);
/// let half = Fraction { numerator: 1, denominator: 2 };
/// assert!(!half.more_than(20, 40)); // half is not more than half
/// assert_eq!(half.least_more_than(40), 21);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fraction {
    /// The numerator, 0 up to the denominator.
    pub numerator: u32,
    /// The denominator, 1 to 1000.
    pub denominator: u32,
}

impl Fraction {
    /// Whether `part / whole` is at least this fraction.
    pub fn at_least(self, part: u32, whole: u32) -> bool {
        u64::from(part) * u64::from(self.denominator)
            >= u64::from(whole) * u64::from(self.numerator)
    }

    /// Whether `part / whole` is more than this fraction.
    pub fn more_than(self, part: u32, whole: u32) -> bool {
        u64::from(part) * u64::from(self.denominator) > u64::from(whole) * u64::from(self.numerator)
    }

    /// The least `part` with `part / whole` at least this fraction.
    pub fn least_at_least(self, whole: u32) -> u64 {
        let product = u64::from(whole) * u64::from(self.numerator);
        product.div_ceil(u64::from(self.denominator.max(1)))
    }

    /// The least `part` with `part / whole` more than this fraction.
    pub fn least_more_than(self, whole: u32) -> u64 {
        u64::from(whole) * u64::from(self.numerator) / u64::from(self.denominator.max(1)) + 1
    }

    fn check(self, field: &'static str, strict: bool) -> Result<(), RulesError> {
        in_range(field, self.denominator, 1, 1000)?;
        // A strict threshold of the whole could never be passed.
        let max = if strict {
            self.denominator - 1
        } else {
            self.denominator
        };
        if self.numerator > max {
            return Err(RulesError::Invalid {
                field,
                reason: Reason::Malformed {
                    zh: format!(
                        "分子 {} 须不大于{}分母 {}",
                        self.numerator,
                        if strict { "且小于" } else { "" },
                        self.denominator
                    )
                    .into(),
                    en: format!(
                        "the numerator {} must be {} the denominator {}",
                        self.numerator,
                        if strict { "less than" } else { "at most" },
                        self.denominator
                    )
                    .into(),
                },
            });
        }
        Ok(())
    }
}

/// Village decisions (四议一审): the order of the steps and the thresholds of the meetings.
///
/// Practice (`docs/practice.md` §4): the party branch proposes (党支部提议), the two committees
/// discuss by a majority vote (两委会商议), the members' meeting deliberates (党员大会审议: attendance
/// at least 2/3 of the members, approval by more than half of those expected), the villagers'
/// (representatives') meeting resolves by a majority of those attending (村民(代表)会议决议);
/// then the resolution and the result of its implementation are published (两公开). The
/// township reviews (一审); the seed counts its vetoes (审核否决12件) before the resolutions
/// passed (决议通过663件), so by default the review comes before the resolution. A minimum
/// of days between steps (≥ 7 days) is found only on a weak page, so it is off by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliberationRules {
    /// Whether the township review (一审) comes before the villagers' resolution (`true`) or
    /// after it (`false`: a resolution passed still waits for the review).
    pub review_before_resolution: bool,
    /// 两委会商议: a matter passes with more than this fraction of the two committees' members
    /// voting for it. Default 1/2.
    pub committees_approval_above: Fraction,
    /// 党员大会审议: the meeting holds only with at least this fraction of the members
    /// expected attending. Default 2/3.
    pub members_attendance_min: Fraction,
    /// 党员大会审议: a matter passes with more than this fraction of the members expected
    /// (not only of those attending) voting for it. Default 1/2.
    pub members_approval_above: Fraction,
    /// 村民(代表)会议决议: a matter passes with more than this fraction of those attending
    /// voting for it. Default 1/2.
    pub villagers_approval_above: Fraction,
    /// Least days between a deliberative step (discussion, deliberation, review, resolution)
    /// and the step before it; `null`: none. Range 1–60. Off by default: the only source
    /// (≥ 7 days) is weak.
    pub min_days_between_steps: Option<u32>,
}

const HALF: Fraction = Fraction {
    numerator: 1,
    denominator: 2,
};

impl Default for DeliberationRules {
    fn default() -> Self {
        DeliberationRules {
            review_before_resolution: true,
            committees_approval_above: HALF,
            members_attendance_min: Fraction {
                numerator: 2,
                denominator: 3,
            },
            members_approval_above: HALF,
            villagers_approval_above: HALF,
            min_days_between_steps: None,
        }
    }
}

impl DeliberationRules {
    /// Every fault of the section, each check on its own (so `rules check` names them all).
    pub(super) fn faults(&self) -> Vec<RulesError> {
        let checks = [
            self.committees_approval_above
                .check("deliberation.committees_approval_above", true),
            self.members_attendance_min
                .check("deliberation.members_attendance_min", false),
            self.members_approval_above
                .check("deliberation.members_approval_above", true),
            self.villagers_approval_above
                .check("deliberation.villagers_approval_above", true),
            self.min_days_between_steps.map_or(Ok(()), |days| {
                in_range("deliberation.min_days_between_steps", days, 1, 60)
            }),
        ];
        checks.into_iter().filter_map(Result::err).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;
    use crate::rules::RuleSet;

    #[test]
    fn older_rule_files_take_the_defaults() {
        let rules = RuleSet::from_json(r#"{"version":1,"name":"t"}"#).unwrap();
        assert_eq!(rules.deliberation, DeliberationRules::default());
        let rules = RuleSet::from_json(
            r#"{"version":1,"name":"t","deliberation":{"review_before_resolution":false,"min_days_between_steps":7}}"#,
        )
        .unwrap();
        assert!(!rules.deliberation.review_before_resolution);
        assert_eq!(rules.deliberation.min_days_between_steps, Some(7));
        assert_eq!(rules.deliberation.members_attendance_min.denominator, 3);
    }

    #[test]
    fn every_fraction_and_bound_is_checked_and_named() {
        let cases = [
            (
                r#""committees_approval_above":{"numerator":1,"denominator":1}"#,
                "deliberation.committees_approval_above",
                2113,
            ),
            (
                r#""members_attendance_min":{"numerator":4,"denominator":3}"#,
                "deliberation.members_attendance_min",
                2113,
            ),
            (
                r#""members_attendance_min":{"numerator":0,"denominator":0}"#,
                "deliberation.members_attendance_min",
                2109,
            ),
            (
                r#""members_approval_above":{"numerator":2,"denominator":2}"#,
                "deliberation.members_approval_above",
                2113,
            ),
            (
                r#""villagers_approval_above":{"numerator":1,"denominator":1001}"#,
                "deliberation.villagers_approval_above",
                2109,
            ),
            (
                r#""min_days_between_steps":0"#,
                "deliberation.min_days_between_steps",
                2109,
            ),
            (
                r#""min_days_between_steps":61"#,
                "deliberation.min_days_between_steps",
                2109,
            ),
        ];
        for (section, field, code) in cases {
            let json = format!(r#"{{"version":1,"name":"t","deliberation":{{{section}}}}}"#);
            let err = RuleSet::from_json(&json).unwrap_err();
            assert_eq!(err.field(), Some(field), "{json}");
            assert_eq!(err.code(), code, "{json}");
            assert!(err.message_zh().contains(field));
            assert!(err.message_en().contains(field));
        }
        // All of the members may be required to attend; a unanimous 2/2 "more than" may not.
        RuleSet::from_json(
            r#"{"version":1,"name":"t","deliberation":{"members_attendance_min":{"numerator":3,"denominator":3}}}"#,
        )
        .unwrap();
        let err = RuleSet::from_json(r#"{"version":1,"name":"t","deliberation":{"order":"any"}}"#)
            .unwrap_err();
        assert_eq!(err.code(), 2001);
    }

    #[test]
    fn thresholds_compare_exactly() {
        let two_thirds = Fraction {
            numerator: 2,
            denominator: 3,
        };
        for whole in 0..200u32 {
            let least = two_thirds.least_at_least(whole);
            assert!(two_thirds.at_least(least as u32, whole));
            assert!(least == 0 || !two_thirds.at_least(least as u32 - 1, whole));
            let least = HALF.least_more_than(whole);
            assert!(HALF.more_than(least as u32, whole));
            assert!(!HALF.more_than(least as u32 - 1, whole));
        }
        // No overflow at the extremes.
        let f = Fraction {
            numerator: 999,
            denominator: 1000,
        };
        assert!(f.at_least(u32::MAX, u32::MAX));
        assert!(!f.more_than(0, u32::MAX));
    }
}
