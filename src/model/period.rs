//! Periods of the calendar: days, ISO weeks, months, quarters and years.
//!
//! Statistics are counted per [`Period`]: one day, one ISO week, one month, one quarter or one
//! year. A period is a closed range of civil days, from [`Period::first_day`] to
//! [`Period::last_day`].
//!
//! # Civil dates
//!
//! Every date is a [`jiff::civil::Date`]: a day of the proleptic Gregorian calendar with no time
//! of day and no time zone. All the dates of this crate are read in one fixed zone, China
//! Standard Time (UTC+8), so a date never has to be converted between zones.
//!
//! # ISO 8601 weeks
//!
//! A week runs from Monday to Sunday and is numbered within an *ISO year*. A week belongs to the
//! ISO year of its Thursday, so:
//!
//! - week 1 is the week holding the year's first Thursday (equivalently, holding 4 January);
//! - an ISO year has 52 weeks, or 53 when it starts on a Thursday (or is a leap year starting on
//!   a Wednesday);
//! - the first and last weeks may hold days of the neighbouring calendar year: 2024-12-30 (a
//!   Monday) is in 2025-W01, 2021-01-03 (a Sunday) is in 2020-W53, and both 2026-12-31 and
//!   2027-01-01 are in 2026-W53.
//!
//! # Quarters
//!
//! Q1 is January to March, Q2 April to June, Q3 July to September and Q4 October to December.
//!
//! # Text
//!
//! Each period has one canonical text, which [`Period::parse`] reads back and serde uses:
//!
//! | period  | text         |
//! |---------|--------------|
//! | day     | `2026-03-05` |
//! | week    | `2026-W05`   |
//! | month   | `2026-03`    |
//! | quarter | `2026-Q1`    |
//! | year    | `2026`       |
//!
//! Years 0 to 9999 are written with four digits; years before 0 (which jiff supports) are
//! written as ISO 8601 expanded years, a minus sign and six digits (`-000001-W01`).
//!
//! # Range
//!
//! jiff supports the days from -9999-01-01 to 9999-12-31. Every period of those years exists,
//! with one exception at the end: 9999-W52 would end on 10000-01-02, so it is cut at 9999-12-31
//! and has 5 days.
//!
//! ```
//! use chuangzheng::model::{Granularity, Period};
//! use jiff::civil::date;
//!
//! let week = Period::containing(date(2026, 12, 31), Granularity::Week);
//! assert_eq!(week.to_string(), "2026-W53");
//! assert!(week.contains(date(2027, 1, 1)));
//! assert_eq!(week.next().map(|p| p.to_string()).as_deref(), Some("2027-W01"));
//! ```

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, ISOWeekDate, Weekday};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Reason;
use crate::model::ModelError;

/// The first year jiff supports.
const MIN_YEAR: i16 = -9999;
/// The last year jiff supports.
const MAX_YEAR: i16 = 9999;

/// The length of a [`Period`]: day, ISO week, month, quarter or year.
///
/// Serialized in snake case: `"day"`, `"week"`, `"month"`, `"quarter"`, `"year"`.
///
/// ```
/// use chuangzheng::model::Granularity;
///
/// assert!(Granularity::Day < Granularity::Year);
/// assert_eq!(Granularity::Quarter.to_string(), "quarter");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// One civil day.
    Day,
    /// One ISO 8601 week, Monday to Sunday.
    Week,
    /// One calendar month.
    Month,
    /// One quarter of a year: three calendar months.
    Quarter,
    /// One calendar year.
    Year,
}

impl Granularity {
    /// Every granularity, from the shortest to the longest.
    pub const ALL: [Granularity; 5] = [
        Granularity::Day,
        Granularity::Week,
        Granularity::Month,
        Granularity::Quarter,
        Granularity::Year,
    ];

    /// The snake-case name, as serde writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Quarter => "quarter",
            Granularity::Year => "year",
        }
    }
}

impl fmt::Display for Granularity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A day, ISO week, month, quarter or year: a closed range of civil days.
///
/// Build periods with the constructors ([`Period::week`], [`Period::month`], ...),
/// [`Period::containing`] or [`Period::parse`], which only ever give existing periods. The
/// variants are public for matching; a value built by hand with parts out of range (month 13,
/// week 54, year 20000) is never a cause of panic: every method treats it as the nearest
/// existing period.
///
/// The order groups periods by granularity first (every day before every week), then
/// chronologically within a granularity; it exists so that periods can be map keys.
///
/// ```
/// use chuangzheng::model::{Granularity, Period};
/// use jiff::civil::date;
///
/// let q1 = Period::quarter(2024, 1)?;
/// assert_eq!(q1.first_day(), date(2024, 1, 1));
/// assert_eq!(q1.last_day(), date(2024, 3, 31));
/// assert_eq!(q1.days_in(), 91); // 2024 is a leap year
/// assert!(q1.contains_period(&Period::month(2024, 2)?));
/// assert_eq!(Period::containing(date(2024, 12, 30), Granularity::Week).to_string(), "2025-W01");
/// assert_eq!("2026-Q1".parse::<Period>()?, Period::quarter(2026, 1)?);
/// # Ok::<(), chuangzheng::model::ModelError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// One civil day.
    Day(Date),
    /// One ISO 8601 week, Monday to Sunday.
    Week {
        /// The ISO year: the calendar year of the week's Thursday.
        year: i16,
        /// The week within the ISO year, 1 to 52 or 53.
        week: i8,
    },
    /// One calendar month.
    Month {
        /// The calendar year.
        year: i16,
        /// The month, 1 to 12.
        month: i8,
    },
    /// One quarter: Q1 is January to March, and so on.
    Quarter {
        /// The calendar year.
        year: i16,
        /// The quarter, 1 to 4.
        quarter: i8,
    },
    /// One calendar year.
    Year(i16),
}

impl Period {
    /// The period of one day. Every [`Date`] is a valid day, so this cannot fail.
    pub const fn day(date: Date) -> Period {
        Period::Day(date)
    }

    /// ISO week `week` of ISO year `year`; the week must exist (52 or 53 weeks a year).
    ///
    /// # Errors
    ///
    /// [`Reason::InvalidDate`] on field `period` when that year has no such week, or the year is
    /// outside jiff's range.
    pub fn week(year: i16, week: i8) -> Result<Period, ModelError> {
        Period::checked_week("period", year, week)
    }

    /// Month `month` (1 to 12) of `year`.
    ///
    /// # Errors
    ///
    /// [`Reason::InvalidDate`] on field `period` when the month or the year is out of range.
    pub fn month(year: i16, month: i8) -> Result<Period, ModelError> {
        Period::checked_month("period", year, month)
    }

    /// Quarter `quarter` (1 to 4) of `year`.
    ///
    /// # Errors
    ///
    /// [`Reason::InvalidDate`] on field `period` when the quarter or the year is out of range.
    pub fn quarter(year: i16, quarter: i8) -> Result<Period, ModelError> {
        Period::checked_quarter("period", year, quarter)
    }

    /// The calendar year `year`.
    ///
    /// # Errors
    ///
    /// [`Reason::InvalidDate`] on field `period` when the year is outside jiff's range
    /// (-9999 to 9999).
    pub fn year(year: i16) -> Result<Period, ModelError> {
        Period::checked_year("period", year)
    }

    fn checked_week(field: &'static str, year: i16, week: i8) -> Result<Period, ModelError> {
        // jiff refuses week 53 in a 52-week year, and weeks outside its range of days.
        ISOWeekDate::new(year, week, Weekday::Monday)
            .map(|_| Period::Week { year, week })
            .map_err(|_| invalid(field))
    }

    fn checked_month(field: &'static str, year: i16, month: i8) -> Result<Period, ModelError> {
        Date::new(year, month, 1)
            .map(|_| Period::Month { year, month })
            .map_err(|_| invalid(field))
    }

    fn checked_quarter(field: &'static str, year: i16, quarter: i8) -> Result<Period, ModelError> {
        if (1..=4).contains(&quarter) && Date::new(year, 1, 1).is_ok() {
            Ok(Period::Quarter { year, quarter })
        } else {
            Err(invalid(field))
        }
    }

    fn checked_year(field: &'static str, year: i16) -> Result<Period, ModelError> {
        Date::new(year, 1, 1)
            .map(|_| Period::Year(year))
            .map_err(|_| invalid(field))
    }

    /// The period of granularity `granularity` that contains `date`.
    ///
    /// Weeks are ISO weeks: the week of 2021-01-03 is 2020-W53.
    pub fn containing(date: Date, granularity: Granularity) -> Period {
        match granularity {
            Granularity::Day => Period::Day(date),
            Granularity::Week => {
                let week = date.iso_week_date();
                Period::Week {
                    year: week.year(),
                    week: week.week(),
                }
            }
            Granularity::Month => Period::Month {
                year: date.year(),
                month: date.month(),
            },
            Granularity::Quarter => Period::Quarter {
                year: date.year(),
                quarter: (date.month() - 1) / 3 + 1,
            },
            Granularity::Year => Period::Year(date.year()),
        }
    }

    /// The granularity of this period.
    pub const fn granularity(&self) -> Granularity {
        match self {
            Period::Day(_) => Granularity::Day,
            Period::Week { .. } => Granularity::Week,
            Period::Month { .. } => Granularity::Month,
            Period::Quarter { .. } => Granularity::Quarter,
            Period::Year(_) => Granularity::Year,
        }
    }

    /// The first day of the period.
    pub fn first_day(&self) -> Date {
        match self.clamped() {
            Period::Day(date) => date,
            Period::Week { year, week } => {
                ISOWeekDate::new(year, week, Weekday::Monday).map_or(Date::MIN, |w| w.date())
            }
            Period::Month { year, month } => ymd(year, month, 1),
            Period::Quarter { year, quarter } => ymd(year, quarter * 3 - 2, 1),
            Period::Year(year) => ymd(year, 1, 1),
        }
    }

    /// The last day of the period (9999-12-31 for 9999-W52, which jiff cannot finish).
    pub fn last_day(&self) -> Date {
        match self.clamped() {
            Period::Day(date) => date,
            Period::Week { year, week } => {
                // Only the Sunday of 9999-W52 lies past jiff's last day.
                ISOWeekDate::new(year, week, Weekday::Sunday).map_or(Date::MAX, |w| w.date())
            }
            Period::Month { year, month } => ymd(year, month, 1).last_of_month(),
            Period::Quarter { year, quarter } => ymd(year, quarter * 3, 1).last_of_month(),
            Period::Year(year) => ymd(year, 12, 31),
        }
    }

    /// Whether `date` is one of the period's days.
    pub fn contains(&self, date: Date) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }

    /// Whether every day of `other` is a day of this period.
    ///
    /// A month contains its days and its quarter contains it; a week that straddles two months
    /// is contained in neither.
    pub fn contains_period(&self, other: &Period) -> bool {
        self.first_day() <= other.first_day() && other.last_day() <= self.last_day()
    }

    /// Whether the two periods have at least one day in common.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.first_day() <= other.last_day() && other.first_day() <= self.last_day()
    }

    /// The number of days in the period.
    pub fn days_in(&self) -> u32 {
        // Civil days carry no time zone, so each is exactly 86 400 seconds long.
        let seconds = self.first_day().duration_until(self.last_day()).as_secs();
        u32::try_from(seconds / 86_400 + 1).unwrap_or(0)
    }

    /// The period of the same granularity that follows this one, or `None` past 9999-12-31.
    pub fn next(&self) -> Option<Period> {
        let day = self.last_day().tomorrow().ok()?;
        Some(Period::containing(day, self.granularity()))
    }

    /// The period of the same granularity that precedes this one, or `None` before -9999-01-01.
    pub fn prev(&self) -> Option<Period> {
        let day = self.first_day().yesterday().ok()?;
        Some(Period::containing(day, self.granularity()))
    }

    /// The days of the period, in order.
    pub fn days(&self) -> impl Iterator<Item = Date> + use<> {
        let last = self.last_day();
        std::iter::successors(Some(self.first_day()), move |day| {
            if *day < last {
                day.tomorrow().ok()
            } else {
                None
            }
        })
    }

    /// Parses the canonical text of a period (see the module docs); nothing else is accepted.
    ///
    /// # Errors
    ///
    /// [`Reason::InvalidDate`] on `field` when the text is not one of the canonical forms or
    /// names a period that does not exist (`2026-W54`, `2025-W53`, `2026-Q5`, `2026-13`,
    /// `2026-02-29`).
    ///
    /// ```
    /// use chuangzheng::model::Period;
    /// use chuangzheng::Coded;
    ///
    /// assert_eq!(Period::parse("report.period", "2026-W05")?, Period::week(2026, 5)?);
    /// let err = Period::parse("report.period", "2025-W53").unwrap_err();
    /// assert_eq!((err.code(), err.field()), (1008, "report.period"));
    /// # Ok::<(), chuangzheng::model::ModelError>(())
    /// ```
    pub fn parse(field: &'static str, s: &str) -> Result<Period, ModelError> {
        let (year, rest) = split_year(s.as_bytes()).ok_or_else(|| invalid(field))?;
        let two = |hi: u8, lo: u8| two_digits(hi, lo).ok_or_else(|| invalid(field));
        match *rest {
            [] => Period::checked_year(field, year),
            [b'-', b'W', w1, w2] => Period::checked_week(field, year, two(w1, w2)?),
            [b'-', b'Q', q] => Period::checked_quarter(field, year, two(b'0', q)?),
            [b'-', m1, m2] => Period::checked_month(field, year, two(m1, m2)?),
            [b'-', m1, m2, b'-', d1, d2] => Date::new(year, two(m1, m2)?, two(d1, d2)?)
                .map(Period::Day)
                .map_err(|_| invalid(field)),
            _ => Err(invalid(field)),
        }
    }

    /// The nearest existing period: parts of a hand-built value that are out of range are
    /// brought to the closest bound, so no method has to fail on them.
    fn clamped(self) -> Period {
        let year = |y: i16| y.clamp(MIN_YEAR, MAX_YEAR);
        match self {
            Period::Day(_) => self,
            Period::Week { year: y, week } => {
                let y = year(y);
                Period::Week {
                    year: y,
                    week: week.clamp(1, weeks_in_iso_year(y)),
                }
            }
            Period::Month { year: y, month } => Period::Month {
                year: year(y),
                month: month.clamp(1, 12),
            },
            Period::Quarter { year: y, quarter } => Period::Quarter {
                year: year(y),
                quarter: quarter.clamp(1, 4),
            },
            Period::Year(y) => Period::Year(year(y)),
        }
    }
}

/// The periods of `granularity` that hold at least one day of the range `from..=to`, in
/// order; none when `from` is after `to`.
///
/// ```
/// use chuangzheng::model::{periods_between, Granularity};
/// use jiff::civil::date;
///
/// let quarters: Vec<String> = periods_between(date(2025, 11, 15), date(2026, 4, 1), Granularity::Quarter)
///     .map(|p| p.to_string())
///     .collect();
/// assert_eq!(quarters, ["2025-Q4", "2026-Q1", "2026-Q2"]);
/// ```
pub fn periods_between(
    from: Date,
    to: Date,
    granularity: Granularity,
) -> impl Iterator<Item = Period> {
    let first = (from <= to).then(|| Period::containing(from, granularity));
    std::iter::successors(first, move |period| {
        if period.last_day() < to {
            period.next()
        } else {
            None
        }
    })
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.clamped() {
            Period::Day(date) => write!(
                f,
                "{}-{:02}-{:02}",
                YearText(date.year()),
                date.month(),
                date.day()
            ),
            Period::Week { year, week } => write!(f, "{}-W{week:02}", YearText(year)),
            Period::Month { year, month } => write!(f, "{}-{month:02}", YearText(year)),
            Period::Quarter { year, quarter } => write!(f, "{}-Q{quarter}", YearText(year)),
            Period::Year(year) => write!(f, "{}", YearText(year)),
        }
    }
}

impl FromStr for Period {
    type Err = ModelError;

    /// [`Period::parse`] with the field name `period`.
    fn from_str(s: &str) -> Result<Period, ModelError> {
        Period::parse("period", s)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Period, D::Error> {
        deserializer.deserialize_str(PeriodVisitor)
    }
}

struct PeriodVisitor;

impl Visitor<'_> for PeriodVisitor {
    type Value = Period;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a period written as 2026-03-05, 2026-W05, 2026-03, 2026-Q1 or 2026")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Period, E> {
        Period::parse("period", s).map_err(E::custom)
    }
}

fn invalid(field: &'static str) -> ModelError {
    ModelError::new(field, Reason::InvalidDate)
}

/// A date from parts already brought into range by [`Period::clamped`]; the fallback is never
/// taken, it only spares a panic.
fn ymd(year: i16, month: i8, day: i8) -> Date {
    Date::new(year, month, day).unwrap_or(Date::MIN)
}

/// 52 or 53. The Thursday of week 1 always lies in `year` itself, so it exists for every year
/// in jiff's range.
fn weeks_in_iso_year(year: i16) -> i8 {
    ISOWeekDate::new(year, 1, Weekday::Thursday).map_or(52, |w| w.weeks_in_year())
}

/// A year as the canonical text writes it: four digits, or a minus sign and six digits.
struct YearText(i16);

impl fmt::Display for YearText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 >= 0 {
            write!(f, "{:04}", self.0)
        } else {
            write!(f, "-{:06}", self.0.unsigned_abs())
        }
    }
}

/// Splits the leading year off a period's text, accepting only the forms [`YearText`] writes.
fn split_year(text: &[u8]) -> Option<(i16, &[u8])> {
    match text {
        [b'-', rest @ ..] => {
            let (digits, rest) = rest.split_at_checked(6)?;
            let year = decimal_digits(digits)?;
            // "-000000" is not a year: ISO 8601 writes year 0 without a sign.
            if year == 0 {
                return None;
            }
            Some((i16::try_from(year).ok()?.checked_neg()?, rest))
        }
        _ => {
            let (digits, rest) = text.split_at_checked(4)?;
            Some((i16::try_from(decimal_digits(digits)?).ok()?, rest))
        }
    }
}

/// The value of a run of ASCII digits (at most 9, so it cannot overflow).
fn decimal_digits(digits: &[u8]) -> Option<u32> {
    if digits.len() > 9 {
        return None;
    }
    digits.iter().try_fold(0u32, |value, &c| {
        c.is_ascii_digit().then(|| value * 10 + u32::from(c - b'0'))
    })
}

fn two_digits(hi: u8, lo: u8) -> Option<i8> {
    decimal_digits(&[hi, lo]).and_then(|v| i8::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn p(s: &str) -> Period {
        Period::parse("t", s).unwrap()
    }

    fn assert_invalid(result: Result<Period, ModelError>, field: &str) {
        let err = result.unwrap_err();
        assert_eq!(err.code(), 1008, "{err}");
        assert_eq!(err.reason(), &Reason::InvalidDate);
        assert_eq!(err.field(), field);
    }

    #[test]
    fn iso_year_boundaries() {
        let week = |d| Period::containing(d, Granularity::Week).to_string();
        assert_eq!(week(date(2024, 12, 30)), "2025-W01");
        assert_eq!(week(date(2021, 1, 3)), "2020-W53");
        assert_eq!(week(date(2021, 1, 4)), "2021-W01");
        assert_eq!(week(date(2026, 12, 31)), "2026-W53");
        assert_eq!(week(date(2027, 1, 1)), "2026-W53");
        assert_eq!(week(date(2027, 1, 4)), "2027-W01");
        let w = p("2026-W53");
        assert_eq!(w.first_day(), date(2026, 12, 28));
        assert_eq!(w.last_day(), date(2027, 1, 3));
        assert_eq!(p("2025-W01").first_day(), date(2024, 12, 30));
    }

    #[test]
    fn week_numbers_per_year() {
        assert!(Period::week(2026, 53).is_ok());
        assert!(Period::week(2020, 53).is_ok());
        assert_invalid(Period::week(2025, 53), "period");
        assert_invalid(Period::week(2026, 54), "period");
        assert_invalid(Period::week(2026, 0), "period");
        assert_invalid(Period::week(2026, -1), "period");
        assert_eq!(p("2025-W52").next(), Some(p("2026-W01")));
        assert_eq!(p("2026-W01").prev(), Some(p("2025-W52")));
        assert_eq!(p("2021-W01").prev(), Some(p("2020-W53")));
    }

    #[test]
    fn leap_years_and_quarter_ends() {
        assert_eq!(p("2024-02").last_day(), date(2024, 2, 29));
        assert_eq!(p("2023-02").last_day(), date(2023, 2, 28));
        assert_eq!(p("2100-02").days_in(), 28);
        assert_eq!(p("2000-02").days_in(), 29);
        assert_eq!(p("2024").days_in(), 366);
        assert_eq!(p("2025").days_in(), 365);
        assert_eq!(p("2024-02-29"), Period::Day(date(2024, 2, 29)));
        assert_invalid(Period::parse("f", "2023-02-29"), "f");
        let ends = [
            (1, 3, 31, 90),
            (2, 6, 30, 91),
            (3, 9, 30, 92),
            (4, 12, 31, 92),
        ];
        for (q, month, day, days) in ends {
            let quarter = Period::quarter(2025, q).unwrap();
            assert_eq!(quarter.last_day(), date(2025, month, day));
            assert_eq!(quarter.days_in(), days);
            assert_eq!(
                Period::containing(date(2025, month, day), Granularity::Quarter),
                quarter
            );
        }
        assert_eq!(p("2024-Q1").days_in(), 91);
    }

    #[test]
    fn constructor_errors() {
        assert_invalid(Period::month(2026, 0), "period");
        assert_invalid(Period::month(2026, 13), "period");
        assert_invalid(Period::quarter(2026, 0), "period");
        assert_invalid(Period::quarter(2026, 5), "period");
        assert_invalid(Period::year(10000), "period");
        assert_invalid(Period::year(-10000), "period");
        assert_invalid(Period::year(i16::MAX), "period");
        assert_invalid(Period::month(i16::MIN, 1), "period");
        assert_invalid(Period::quarter(10000, 1), "period");
        assert_invalid(Period::week(10000, 1), "period");
        assert_invalid(Period::week(-10000, 52), "period");
        assert!(Period::year(9999).is_ok());
        assert!(Period::year(-9999).is_ok());
        assert!(Period::year(0).is_ok());
    }

    #[test]
    fn display_forms() {
        assert_eq!(Period::day(date(2026, 3, 5)).to_string(), "2026-03-05");
        assert_eq!(Period::week(2026, 5).unwrap().to_string(), "2026-W05");
        assert_eq!(Period::month(2026, 3).unwrap().to_string(), "2026-03");
        assert_eq!(Period::quarter(2026, 1).unwrap().to_string(), "2026-Q1");
        assert_eq!(Period::year(2026).unwrap().to_string(), "2026");
        assert_eq!(Period::year(33).unwrap().to_string(), "0033");
        assert_eq!(Period::year(-1).unwrap().to_string(), "-000001");
        assert_eq!(Period::day(Date::MIN).to_string(), "-009999-01-01");
        // The day form is the one jiff itself prints.
        let d = date(2026, 3, 5);
        assert_eq!(Period::day(d).to_string(), d.to_string());
    }

    #[test]
    fn parse_rejects_everything_else() {
        let bad = [
            "",
            " ",
            "2026 ",
            " 2026",
            "26",
            "20260",
            "2026-",
            "2026-W5",
            "2026-W054",
            "2026-w05",
            "2026-W54",
            "2025-W53",
            "2026-W00",
            "2026-Q5",
            "2026-Q0",
            "2026-Q",
            "2026-q1",
            "2026-Q01",
            "2026-13",
            "2026-00",
            "2026-3",
            "2026-003",
            "2026-03-5",
            "2026-03-32",
            "2026-02-29",
            "2026-03-05T00:00",
            "2026/03/05",
            "20260305",
            "+002026",
            "-000000",
            "-010000",
            "-2026",
            "-002026-",
            "10000",
            "２０２６",
            "2026-0३",
            "2026-W+5",
            "2026-1-",
            "-",
            "--",
            "2026-03-05-",
            "2026-03-",
        ];
        for text in bad {
            assert_invalid(Period::parse("q.period", text), "q.period");
        }
        assert_invalid("2026-13".parse::<Period>(), "period");
    }

    #[test]
    fn parse_accepts_canonical_forms() {
        assert_eq!(p("2026-03-05"), Period::Day(date(2026, 3, 5)));
        assert_eq!(
            p("2026-W05"),
            Period::Week {
                year: 2026,
                week: 5
            }
        );
        assert_eq!(
            p("2026-03"),
            Period::Month {
                year: 2026,
                month: 3
            }
        );
        assert_eq!(
            p("2026-Q1"),
            Period::Quarter {
                year: 2026,
                quarter: 1
            }
        );
        assert_eq!(p("2026"), Period::Year(2026));
        assert_eq!(p("-000001-W01"), Period::week(-1, 1).unwrap());
        assert_eq!(p("-009999-01-01"), Period::Day(Date::MIN));
        assert_eq!(p("9999-12-31"), Period::Day(Date::MAX));
    }

    #[test]
    fn serde_round_trip() {
        let periods = [
            p("2026-03-05"),
            p("2026-W53"),
            p("2026-03"),
            p("2026-Q4"),
            p("2026"),
        ];
        for period in periods {
            let json = serde_json::to_string(&period).unwrap();
            assert_eq!(json, format!("\"{period}\""));
            assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), period);
        }
        let err = serde_json::from_str::<Period>("\"2026-W54\"").unwrap_err();
        assert!(err.to_string().contains("field period"), "{err}");
        assert!(serde_json::from_str::<Period>("2026").is_err());
        assert!(serde_json::from_str::<Period>("null").is_err());
        let g = serde_json::to_string(&Granularity::Quarter).unwrap();
        assert_eq!(g, "\"quarter\"");
        assert_eq!(
            serde_json::from_str::<Granularity>(&g).unwrap(),
            Granularity::Quarter
        );
        assert!(serde_json::from_str::<Granularity>("\"Quarter\"").is_err());
    }

    #[test]
    fn relations() {
        let march = p("2026-03");
        assert!(p("2026-Q1").contains_period(&march));
        assert!(p("2026").contains_period(&march));
        assert!(march.contains_period(&march));
        assert!(!march.contains_period(&p("2026-Q1")));
        // 2026-W10 runs from 2 to 8 March; W09 straddles February and March.
        assert!(march.contains_period(&p("2026-W10")));
        assert!(!march.contains_period(&p("2026-W09")));
        assert!(march.overlaps(&p("2026-W09")));
        assert!(!march.overlaps(&p("2026-02")));
        assert!(p("2026-W53").overlaps(&p("2027")));
        assert!(!p("2026-03").contains(date(2026, 4, 1)));
    }

    #[test]
    fn jiff_range_edges() {
        let last_week = Period::containing(Date::MAX, Granularity::Week);
        assert_eq!(last_week.to_string(), "9999-W52");
        assert_eq!(last_week.last_day(), Date::MAX);
        assert_eq!(last_week.days_in(), 5);
        assert_eq!(last_week.days().count(), 5);
        assert_eq!(last_week.next(), None);
        let first_week = Period::containing(Date::MIN, Granularity::Week);
        assert_eq!(first_week.first_day(), Date::MIN);
        assert_eq!(first_week.prev(), None);
        for g in Granularity::ALL {
            assert_eq!(Period::containing(Date::MAX, g).next(), None);
            assert_eq!(Period::containing(Date::MIN, g).prev(), None);
        }
    }

    #[test]
    fn hand_built_values_do_not_panic() {
        let odd = [
            Period::Month {
                year: 2026,
                month: 13,
            },
            Period::Month {
                year: i16::MIN,
                month: i8::MIN,
            },
            Period::Week {
                year: 2025,
                week: 53,
            },
            Period::Week {
                year: i16::MAX,
                week: i8::MAX,
            },
            Period::Quarter {
                year: 2026,
                quarter: 0,
            },
            Period::Year(i16::MAX),
        ];
        for period in odd {
            assert!(period.first_day() <= period.last_day());
            assert!(period.days_in() >= 1);
            let _ = (period.next(), period.prev(), period.days().count());
            let text = period.to_string();
            assert_eq!(Period::parse("t", &text).unwrap().to_string(), text);
        }
        assert_eq!(
            Period::Month {
                year: 2026,
                month: 13
            }
            .to_string(),
            "2026-12"
        );
    }

    #[test]
    fn periods_between_ranges() {
        let weeks: Vec<_> =
            periods_between(date(2026, 12, 30), date(2027, 1, 18), Granularity::Week)
                .map(|p| p.to_string())
                .collect();
        assert_eq!(weeks, ["2026-W53", "2027-W01", "2027-W02", "2027-W03"]);
        let single = periods_between(date(2026, 3, 5), date(2026, 3, 5), Granularity::Day);
        assert_eq!(single.collect::<Vec<_>>(), [p("2026-03-05")]);
        assert_eq!(
            periods_between(date(2026, 3, 6), date(2026, 3, 5), Granularity::Year).count(),
            0
        );
        assert_eq!(
            periods_between(Date::MIN, Date::MAX, Granularity::Year).count(),
            19_999
        );
    }

    fn any_date() -> impl Strategy<Value = Date> {
        let any_day = (MIN_YEAR..=MAX_YEAR, 1i8..=12, 1i8..=31);
        let recent = (1990i16..=2100, 1i8..=12, 1i8..=31);
        prop_oneof![
            any_day,
            recent,
            Just((MIN_YEAR, 1, 1)),
            Just((MAX_YEAR, 12, 31))
        ]
        .prop_map(|(y, m, d)| {
            let first = date(y, m, 1);
            date(y, m, d.min(first.days_in_month()))
        })
    }

    fn any_granularity() -> impl Strategy<Value = Granularity> {
        prop::sample::select(Granularity::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn containing_contains(d in any_date(), g in any_granularity()) {
            let period = Period::containing(d, g);
            prop_assert!(period.contains(d));
            prop_assert!(period.first_day() <= d && d <= period.last_day());
            prop_assert_eq!(period.granularity(), g);
            prop_assert_eq!(Period::containing(period.first_day(), g), period);
            prop_assert_eq!(Period::containing(period.last_day(), g), period);
        }

        #[test]
        fn neighbours_are_adjacent(d in any_date(), g in any_granularity()) {
            let period = Period::containing(d, g);
            match period.next() {
                Some(next) => {
                    prop_assert_eq!(Some(next.first_day()), period.last_day().tomorrow().ok());
                    prop_assert_eq!(next.prev(), Some(period));
                    prop_assert!(period < next);
                }
                None => prop_assert_eq!(period.last_day(), Date::MAX),
            }
            match period.prev() {
                Some(prev) => {
                    prop_assert_eq!(Some(prev.last_day()), period.first_day().yesterday().ok());
                    prop_assert_eq!(prev.next(), Some(period));
                }
                None => prop_assert_eq!(period.first_day(), Date::MIN),
            }
        }

        #[test]
        fn text_round_trips(d in any_date(), g in any_granularity()) {
            let period = Period::containing(d, g);
            let text = period.to_string();
            prop_assert_eq!(Period::parse("t", &text), Ok(period));
            let json = serde_json::to_string(&period).unwrap();
            prop_assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), period);
        }

        #[test]
        fn days_agree(d in any_date(), g in any_granularity()) {
            let period = Period::containing(d, g);
            let days: Vec<Date> = period.days().collect();
            prop_assert_eq!(days.len(), period.days_in() as usize);
            prop_assert_eq!(days.first(), Some(&period.first_day()));
            prop_assert_eq!(days.last(), Some(&period.last_day()));
        }

        #[test]
        fn between_covers_range(from in any_date(), span in 0i64..800, g in any_granularity()) {
            let to = from.saturating_add(jiff::Span::new().days(span));
            let periods: Vec<Period> = periods_between(from, to, g).collect();
            prop_assert!(periods.first().is_some_and(|p| p.contains(from)));
            prop_assert!(periods.last().is_some_and(|p| p.contains(to)));
            for pair in periods.windows(2) {
                prop_assert_eq!(pair[0].next(), Some(pair[1]));
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,14}|-?[0-9W Q-]{0,12}") {
            if let Ok(period) = Period::parse("t", &s) {
                prop_assert_eq!(period.to_string(), s);
            }
        }
    }
}
