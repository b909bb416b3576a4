//! When a command takes effect: a civil date in the campaign's fixed zone (UTC+8), with a time
//! of day if the host has one.
//!
//! Time always comes from the caller; nothing in the library reads the wall clock, so replay and
//! reports are deterministic.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, DateTime, Time};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ModelError;
use crate::error::Reason;

/// The effective date (and optionally time) of a command, in UTC+8.
///
/// Written `2026-03-05` or `2026-03-05T09:30:00`.
///
/// ```
/// use chuangzheng::model::Stamp;
///
/// let s: Stamp = "2026-03-05T09:30:00".parse().unwrap();
/// assert_eq!(s.date.to_string(), "2026-03-05");
/// assert_eq!(s.to_string(), "2026-03-05T09:30:00");
/// assert_eq!("2026-03-05".parse::<Stamp>().unwrap().time, None);
/// assert!("2026-02-30".parse::<Stamp>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Stamp {
    /// The civil date.
    pub date: Date,
    /// The time of day, if known.
    pub time: Option<Time>,
}

impl Stamp {
    /// A stamp with a date only.
    pub fn on(date: Date) -> Stamp {
        Stamp { date, time: None }
    }

    /// Parses `s`, naming `field` in the error.
    pub fn parse(field: &'static str, s: &str) -> Result<Stamp, ModelError> {
        let invalid = || ModelError::new(field, Reason::InvalidDate);
        // jiff accepts forms beyond the two documented; keep the interchange format narrow.
        let bytes = s.as_bytes();
        let is_date_shape = bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-';
        if is_date_shape {
            // The common case on replay: digits at fixed places, checked by Date::new.
            let num = |r: std::ops::Range<usize>| -> Option<i16> {
                let part = &bytes[r];
                part.iter()
                    .all(u8::is_ascii_digit)
                    .then(|| part.iter().fold(0i16, |n, d| n * 10 + i16::from(d - b'0')))
            };
            let (y, m, d) = (num(0..4), num(5..7), num(8..10));
            let date = match (y, m, d) {
                (Some(y), Some(m), Some(d)) => Date::new(y, m as i8, d as i8).ok(),
                _ => None,
            };
            return date.map(Stamp::on).ok_or_else(invalid);
        }
        if is_date_time_shape(bytes) {
            let dt = s.parse::<DateTime>().map_err(|_| invalid())?;
            return Ok(Stamp {
                date: dt.date(),
                time: Some(dt.time()),
            });
        }
        Err(invalid())
    }
}

/// `YYYY-MM-DDTHH:MM:SS` with an optional fraction of 1 to 9 digits, nothing else (no offset:
/// the zone is fixed).
fn is_date_time_shape(b: &[u8]) -> bool {
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let base = b.len() >= 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    base && match b.len() {
        19 => true,
        21..=29 => b[19] == b'.' && digits(20..b.len()),
        _ => false,
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.time {
            None => write!(f, "{}", self.date),
            Some(t) => write!(f, "{}T{}", self.date, t),
        }
    }
}

impl FromStr for Stamp {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Stamp, ModelError> {
        Stamp::parse("at", s)
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Stamp, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Stamp::parse("at", &s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;
    use jiff::civil::date;

    #[test]
    fn dates_and_date_times_parse_and_print_back() {
        for text in [
            "2010-05-01",
            "2024-02-29",
            "2026-12-31T23:59:59",
            "2010-06-05T09:30:00",
        ] {
            let stamp: Stamp = text.parse().unwrap();
            assert_eq!(stamp.to_string(), text);
            let json = serde_json::to_string(&stamp).unwrap();
            assert_eq!(serde_json::from_str::<Stamp>(&json).unwrap(), stamp);
        }
        assert_eq!(
            Stamp::parse("at", "2010-05-01").unwrap(),
            Stamp::on(date(2010, 5, 1))
        );
        // Fractional seconds are kept.
        let s = Stamp::parse("at", "2010-05-01T09:30:00.5").unwrap();
        assert_eq!(s.to_string(), "2010-05-01T09:30:00.5");
    }

    #[test]
    fn everything_else_is_refused_with_the_field_named() {
        let bad = [
            "",
            "2010-5-01",
            "2010-05-1",
            "2010/05/01",
            "2023-02-29",
            "2010-13-01",
            "2010-00-10",
            "2010-05-32",
            "+2010-05-01",
            "2010-05-01 09:30:00",
            "2010-05-01T25:00:00",
            "2010-05-01T09:30",
            "2010-05-01Z",
            "２０１０-05-01",
            "2010-05-01T09:30:00+08:00",
            "-010-05-01",
        ];
        for text in bad {
            let err = Stamp::parse("event.at", text).unwrap_err();
            assert_eq!(err.code(), 1008, "{text:?}");
            assert_eq!(err.field(), "event.at");
        }
        assert!(serde_json::from_str::<Stamp>("20100501").is_err());
    }

    #[test]
    fn order_is_by_date_then_time() {
        let a: Stamp = "2010-05-01".parse().unwrap();
        let b: Stamp = "2010-05-01T08:00:00".parse().unwrap();
        let c: Stamp = "2010-05-02".parse().unwrap();
        assert!(a < b && b < c);
    }
}
