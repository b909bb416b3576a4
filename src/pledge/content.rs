//! A pledge's content: title, text, deadline and quantitative targets.

use std::fmt;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Reason;
use crate::model::{Bounded, LongText, MeasureUnit, ModelError, Name, Quantity};

/// Most targets one pledge holds.
pub const MAX_TARGETS: usize = 10;
pub use crate::model::MAX_TEXT_BYTES;

/// A target's goal: an exact value or a range, each a non-negative exact decimal (at most 6
/// places, below 10¹⁵). JSON: `"89.7"`, or `{"min": "2", "max": "3"}`.
///
/// ```
/// use chuangzheng::pledge::Goal;
///
/// assert!(Goal::range("goal", "3", "2").is_err());
/// assert_eq!(Goal::exact("goal", "200000").unwrap().to_string(), "200000");
/// assert_eq!(Goal::range("goal", "2", "3").unwrap().to_string(), "2-3");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Goal {
    /// Exactly this much.
    Exact(Decimal),
    /// From `min` to `max` (inclusive, `min < max`); met at `min`.
    Range {
        /// The lower bound.
        min: Decimal,
        /// The upper bound.
        max: Decimal,
    },
}

impl Goal {
    /// An exact goal read from text.
    pub fn exact(field: &'static str, value: &str) -> Result<Goal, ModelError> {
        Ok(Goal::Exact(Quantity::parse_value(field, value)?))
    }

    /// A range read from text; `min` must be below `max`.
    pub fn range(field: &'static str, min: &str, max: &str) -> Result<Goal, ModelError> {
        let min = Quantity::parse_value(field, min)?;
        let max = Quantity::parse_value(field, max)?;
        Goal::checked(field, Goal::Range { min, max })
    }

    /// Checks a goal built from decimals: bounds, and `min < max` for a range.
    pub fn checked(field: &'static str, goal: Goal) -> Result<Goal, ModelError> {
        match goal {
            Goal::Exact(v) => Ok(Goal::Exact(Quantity::check_value(field, v)?)),
            Goal::Range { min, max } => {
                let min = Quantity::check_value(field, min)?;
                let max = Quantity::check_value(field, max)?;
                if min >= max {
                    return Err(ModelError::new(
                        field,
                        Reason::Malformed {
                            zh: format!("范围下限 {min} 必须小于上限 {max}").into(),
                            en: format!("the range's min {min} must be below its max {max}").into(),
                        },
                    ));
                }
                Ok(Goal::Range { min, max })
            }
        }
    }

    /// The value that meets the goal: the exact value, or a range's lower bound.
    pub fn lower_bound(&self) -> Decimal {
        match *self {
            Goal::Exact(v) => v,
            Goal::Range { min, .. } => min,
        }
    }
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Goal::Exact(v) => write!(f, "{v}"),
            Goal::Range { min, max } => write!(f, "{min}-{max}"),
        }
    }
}

impl Serialize for Goal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        match self {
            Goal::Exact(v) => s.collect_str(v),
            Goal::Range { min, max } => {
                let mut st = s.serialize_struct("Goal", 2)?;
                st.serialize_field("min", &min.to_string())?;
                st.serialize_field("max", &max.to_string())?;
                st.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Goal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Goal, D::Error> {
        struct GoalVisitor;
        impl<'de> Visitor<'de> for GoalVisitor {
            type Value = Goal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a decimal string such as "89.7", or {"min": "2", "max": "3"}"#)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Goal, E> {
                Goal::exact("goal", v).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Goal, A::Error> {
                let (mut min, mut max): (Option<String>, Option<String>) = (None, None);
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "min" if min.is_none() => min = Some(map.next_value()?),
                        "max" if max.is_none() => max = Some(map.next_value()?),
                        "min" | "max" => return Err(de::Error::duplicate_field("min/max")),
                        other => return Err(de::Error::unknown_field(other, &["min", "max"])),
                    }
                }
                let min = min.ok_or_else(|| de::Error::missing_field("min"))?;
                let max = max.ok_or_else(|| de::Error::missing_field("max"))?;
                Goal::range("goal", &min, &max).map_err(de::Error::custom)
            }
        }
        d.deserialize_any(GoalVisitor)
    }
}

/// A quantitative target: what is measured, in which unit, and the goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// What is measured: `公路新建改造里程`, `带动种植户数`.
    pub metric: Name,
    /// The unit: `km`, `户`, `元`.
    pub unit: MeasureUnit,
    /// The goal.
    pub goal: Goal,
}

impl Target {
    /// A target; `metric` and `unit` are checked.
    pub fn new(metric: &str, unit: &str, goal: Goal) -> Result<Target, ModelError> {
        Ok(Target {
            metric: Name::new("metric", metric)?,
            unit: MeasureUnit::new("unit", unit)?,
            goal,
        })
    }
}

/// The content of a pledge, one version of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "ContentFields")]
pub struct PledgeContent {
    /// A short title (1 to 120 bytes).
    pub title: Name,
    /// The full text (1 to 2000 bytes, no control characters but line breaks).
    pub text: LongText,
    /// The day by which it is to be fulfilled.
    pub deadline: Date,
    /// Quantitative targets (0 to 10); a pledge without targets is judged by its text.
    pub targets: Bounded<Target, MAX_TARGETS>,
    /// The pledge's own milestones (0 to 12): the share of every target expected done by each
    /// date. Without them, progress is expected to grow linearly from publication to the
    /// deadline.
    #[serde(default, skip_serializing_if = "<[Milestone]>::is_empty")]
    pub milestones: Bounded<Milestone, MAX_MILESTONES>,
}

/// A milestone: by this date, this percentage of every target is expected done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// The date.
    pub by: Date,
    /// The percentage expected done by then (0 to 100).
    pub percent: u32,
}

/// Most milestones one pledge holds.
pub const MAX_MILESTONES: usize = 12;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContentFields {
    title: Name,
    text: LongText,
    deadline: Date,
    #[serde(default)]
    targets: Bounded<Target, MAX_TARGETS>,
    #[serde(default)]
    milestones: Bounded<Milestone, MAX_MILESTONES>,
}

impl TryFrom<ContentFields> for PledgeContent {
    type Error = ModelError;
    fn try_from(f: ContentFields) -> Result<PledgeContent, ModelError> {
        let content = PledgeContent {
            title: f.title,
            text: f.text,
            deadline: f.deadline,
            targets: f.targets,
            milestones: f.milestones,
        };
        content.check()?;
        Ok(content)
    }
}

impl PledgeContent {
    /// Checks and builds a content.
    pub fn new(
        title: Name,
        text: &str,
        deadline: Date,
        targets: Vec<Target>,
    ) -> Result<PledgeContent, ModelError> {
        Ok(PledgeContent {
            title,
            text: LongText::new("content.text", text)?,
            deadline,
            targets: Bounded::new("content.targets", targets)?,
            milestones: Bounded::empty(),
        })
    }

    /// The same content with `milestones`: dates strictly increasing and not after the
    /// deadline, percentages not decreasing and at most 100.
    pub fn with_milestones(
        mut self,
        milestones: Vec<Milestone>,
    ) -> Result<PledgeContent, ModelError> {
        self.milestones = Bounded::new("content.milestones", milestones)?;
        self.check()?;
        Ok(self)
    }

    /// Checks what relates the content's parts, which its fields' types cannot: every target's
    /// goal within its bounds, and the milestones (dates strictly increasing and not after the
    /// deadline, percentages not decreasing and at most 100). Reading a content from JSON runs
    /// it; the ledger runs it on every content a command carries, as a Rust caller may have
    /// changed a public field since the content was built.
    pub fn check(&self) -> Result<(), ModelError> {
        for t in &self.targets {
            Goal::checked("content.targets.goal", t.goal)?;
        }
        let field = "content.milestones";
        let milestones = &self.milestones;
        let malformed = |zh: &'static str, en: &'static str| {
            ModelError::new(
                field,
                Reason::Malformed {
                    zh: zh.into(),
                    en: en.into(),
                },
            )
        };
        if milestones
            .iter()
            .any(|m| m.percent > 100 || m.by > self.deadline)
        {
            return Err(malformed(
                "节点百分比不能超过100，日期不能晚于承诺期限",
                "a milestone's percent must be at most 100 and its date not after the deadline",
            ));
        }
        let ordered = milestones
            .windows(2)
            .all(|w| w[0].by < w[1].by && w[0].percent <= w[1].percent);
        if !ordered {
            return Err(malformed(
                "节点日期须递增，百分比不得递减",
                "milestones' dates must increase and their percentages must not decrease",
            ));
        }
        Ok(())
    }
}

// The binary layout of snapshots ([`crate::model::binary`]).
use crate::model::binary::{Binary, Reader, binary_struct};

binary_struct!(Target { metric, unit, goal });
binary_struct!(Milestone { by, percent });

impl crate::model::binary::Binary for Goal {
    fn put(&self, out: &mut Vec<u8>) {
        match *self {
            Goal::Exact(v) => (0_u8, v).put(out),
            Goal::Range { min, max } => (1_u8, (min, max)).put(out),
        }
    }
    fn get(
        r: &mut crate::model::binary::Reader<'_>,
    ) -> Result<Self, crate::model::binary::BinaryError> {
        let at = r.at();
        let goal = match u8::get(r)? {
            0 => Goal::Exact(Decimal::get(r)?),
            1 => Goal::Range {
                min: Decimal::get(r)?,
                max: Decimal::get(r)?,
            },
            b => return Err(r.error(format!("variant {b} of Goal"))),
        };
        Reader::checked(at, Goal::checked("goal", goal))
    }
}

impl crate::model::binary::Binary for PledgeContent {
    fn put(&self, out: &mut Vec<u8>) {
        let PledgeContent {
            title,
            text,
            deadline,
            targets,
            milestones,
        } = self;
        title.put(out);
        text.put(out);
        deadline.put(out);
        targets.put(out);
        milestones.put(out);
    }
    fn get(
        r: &mut crate::model::binary::Reader<'_>,
    ) -> Result<Self, crate::model::binary::BinaryError> {
        let at = r.at();
        let content = PledgeContent {
            title: Binary::get(r)?,
            text: Binary::get(r)?,
            deadline: Binary::get(r)?,
            targets: Binary::get(r)?,
            milestones: Binary::get(r)?,
        };
        Reader::checked(at, content.check().map(|()| content))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;
    use jiff::civil::date;

    fn content_json(extra: &str) -> String {
        format!(r#"{{"title":"修路","text":"出资修建屯堡路","deadline":"2010-12-31"{extra}}}"#)
    }

    #[test]
    fn the_seeds_examples_are_expressible() {
        let examples = [
            ("公路新建改造里程", "km", Goal::exact("g", "89.7")),
            ("出资修路", "元", Goal::exact("g", "200000")),
            ("带动种植户数", "户", Goal::exact("g", "30")),
            ("每户增收", "元", Goal::exact("g", "10000")),
            ("优质生物菌肥", "个", Goal::range("g", "2", "3")),
            ("优质草莓品种", "个", Goal::exact("g", "10")),
            ("资助困难学生", "元", Goal::exact("g", "500")),
        ];
        let targets: Vec<Target> = examples
            .into_iter()
            .map(|(m, u, g)| Target::new(m, u, g.unwrap()).unwrap())
            .collect();
        let c = PledgeContent::new(
            Name::new("t", "承诺").unwrap(),
            "见目标",
            date(2010, 12, 31),
            targets,
        )
        .unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains(r#""goal":"89.7""#));
        assert!(json.contains(r#""goal":{"min":"2","max":"3"}"#));
        assert_eq!(serde_json::from_str::<PledgeContent>(&json).unwrap(), c);
    }

    #[test]
    fn goals_are_exact_bounded_and_ordered() {
        assert_eq!(Goal::exact("g", "-1").unwrap_err().code(), 1005);
        assert_eq!(Goal::exact("g", "1.1234567").unwrap_err().code(), 1006);
        assert_eq!(
            Goal::exact("g", "1000000000000000").unwrap_err().code(),
            1007
        );
        assert_eq!(Goal::exact("g", "1e3").unwrap_err().code(), 1004);
        assert_eq!(Goal::range("g", "3", "3").unwrap_err().code(), 1013);
        assert_eq!(Goal::range("g", "3", "2").unwrap_err().code(), 1013);
        assert_eq!(
            Goal::exact("g", "2.50").unwrap(),
            Goal::exact("g", "2.5").unwrap()
        );
        // JSON numbers and malformed ranges are refused.
        for bad in [
            "89.7",
            r#"{"min":"2"}"#,
            r#"{"min":"2","max":"3","x":"1"}"#,
            r#"{"min":"3","max":"2"}"#,
        ] {
            assert!(serde_json::from_str::<Goal>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn content_is_bounded() {
        let ok: PledgeContent = serde_json::from_str(&content_json("")).unwrap();
        assert!(ok.targets.is_empty());
        let long = format!(r#","text":"{}""#, "长".repeat(700));
        assert!(serde_json::from_str::<PledgeContent>(&content_json(&long)).is_err());
        let err = PledgeContent::new(
            Name::new("t", "x").unwrap(),
            " \n",
            date(2010, 1, 1),
            vec![],
        )
        .unwrap_err();
        assert_eq!(err.code(), 1001);
        let err = PledgeContent::new(
            Name::new("t", "x").unwrap(),
            "a\u{7}",
            date(2010, 1, 1),
            vec![],
        )
        .unwrap_err();
        assert_eq!(err.code(), 1003);
        let target = Target::new("m", "个", Goal::exact("g", "1").unwrap()).unwrap();
        let err = PledgeContent::new(
            Name::new("t", "x").unwrap(),
            "多行\n文本",
            date(2010, 1, 1),
            vec![target; MAX_TARGETS + 1],
        )
        .unwrap_err();
        assert_eq!(err.code(), 1002);
        assert_eq!(err.field(), "content.targets");
        let extra = serde_json::from_str::<PledgeContent>(&content_json(r#","extra":1"#));
        assert!(extra.is_err());
    }

    #[test]
    fn milestones_are_ordered_and_within_the_deadline() {
        let ok = content_json(
            r#","milestones":[{"by":"2010-08-31","percent":50},{"by":"2010-12-31","percent":100}]"#,
        );
        let c: PledgeContent = serde_json::from_str(&ok).unwrap();
        assert_eq!(c.milestones.len(), 2);
        assert_eq!(
            serde_json::from_str::<PledgeContent>(&serde_json::to_string(&c).unwrap()).unwrap(),
            c
        );
        for bad in [
            r#","milestones":[{"by":"2011-01-01","percent":50}]"#,
            r#","milestones":[{"by":"2010-08-31","percent":101}]"#,
            r#","milestones":[{"by":"2010-08-31","percent":60},{"by":"2010-09-30","percent":50}]"#,
            r#","milestones":[{"by":"2010-08-31","percent":50},{"by":"2010-08-31","percent":60}]"#,
        ] {
            assert!(
                serde_json::from_str::<PledgeContent>(&content_json(bad)).is_err(),
                "{bad}"
            );
        }
    }
}
