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
        if bytes.len() >= 19 && bytes[10] == b'T' {
            let dt = s.parse::<DateTime>().map_err(|_| invalid())?;
            return Ok(Stamp {
                date: dt.date(),
                time: Some(dt.time()),
            });
        }
        Err(invalid())
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
