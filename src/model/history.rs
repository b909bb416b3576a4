//! Dated histories: a value that changes over time, kept whole.
//!
//! A member's postings and a unit's standings are [`History`]s: never empty, each entry dated
//! strictly after the one before, the last one current. Figures "as of" a date read
//! [`History::on`]; nothing is ever overwritten except a change on the same day as the last,
//! which replaces it (two changes on one day leave the later).

use std::ops::Deref;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A value with the first day it holds from.
pub trait Dated: Copy {
    /// The first day this value holds.
    fn from(&self) -> Date;
}

/// A non-empty history of dated values in strictly increasing date order.
///
/// ```
/// use chuangzheng::model::{History, OrgIdx, Posting, Role};
/// use jiff::civil::date;
///
/// let first = Posting { from: date(2026, 1, 1), org: OrgIdx(3), role: Role::Ordinary };
/// let history = History::new(first);
/// assert_eq!(history.current(), first);
/// assert_eq!(history.on(date(2025, 12, 31)), None);
/// assert_eq!(history.on(date(2026, 6, 1)), Some(first));
/// // Read from JSON, a history is checked: empty or out-of-order lists are refused.
/// assert!(serde_json::from_str::<History<Posting>>("[]").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "Vec<T>",
    into = "Vec<T>",
    bound(deserialize = "T: Deserialize<'de>")
)]
pub struct History<T: Dated>(Vec<T>);

impl<T: Dated> History<T> {
    /// A history that starts with `first`.
    pub fn new(first: T) -> History<T> {
        History(vec![first])
    }

    /// The value in force now (the last one).
    pub fn current(&self) -> T {
        // Never empty: built from one value, only ever appended to, checked when read.
        self.0[self.0.len() - 1]
    }

    /// The value in force on `date`, or `None` before the first.
    pub fn on(&self, date: Date) -> Option<T> {
        let after = self.0.partition_point(|v| v.from() <= date);
        after.checked_sub(1).map(|i| self.0[i])
    }

    /// Each value with the day after its last day (`None` for the current one): the spans
    /// `[from, until)` it held.
    pub fn spans(&self) -> impl Iterator<Item = (T, Option<Date>)> + '_ {
        self.0
            .iter()
            .enumerate()
            .map(|(i, v)| (*v, self.0.get(i + 1).map(Dated::from)))
    }

    /// Records `value` from its date on. Its date must not be before the current value's (the
    /// ledger checks this first); on the same date it replaces the current value, which is
    /// returned.
    pub(crate) fn record(&mut self, value: T) -> Option<T> {
        let last = self.0.len() - 1;
        if self.0[last].from() == value.from() {
            Some(std::mem::replace(&mut self.0[last], value))
        } else {
            self.0.push(value);
            None
        }
    }
}

impl<T: Dated> Deref for History<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T: Dated> TryFrom<Vec<T>> for History<T> {
    type Error = &'static str;
    fn try_from(values: Vec<T>) -> Result<History<T>, &'static str> {
        if values.is_empty() {
            return Err("a history holds at least one value");
        }
        if !values.windows(2).all(|w| w[0].from() < w[1].from()) {
            return Err("a history's dates must strictly increase");
        }
        Ok(History(values))
    }
}

impl<T: Dated> From<History<T>> for Vec<T> {
    fn from(h: History<T>) -> Vec<T> {
        h.0
    }
}

impl<'a, T: Dated> IntoIterator for &'a History<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OrgIdx, Posting, Role};
    use jiff::civil::date;

    fn p(m: i8, d: i8, role: Role) -> Posting {
        Posting {
            from: date(2010, m, d),
            org: OrgIdx(1),
            role,
        }
    }

    #[test]
    fn records_append_or_replace_the_same_day() {
        let mut h = History::new(p(5, 1, Role::Ordinary));
        assert_eq!(h.record(p(6, 1, Role::CommitteeMember)), None);
        assert_eq!(
            h.record(p(6, 1, Role::Secretary)),
            Some(p(6, 1, Role::CommitteeMember))
        );
        assert_eq!(h.len(), 2);
        assert_eq!(h.current().role, Role::Secretary);
        assert_eq!(h.on(date(2010, 5, 31)).unwrap().role, Role::Ordinary);
        let spans: Vec<_> = h.spans().map(|(v, until)| (v.role, until)).collect();
        assert_eq!(
            spans,
            vec![
                (Role::Ordinary, Some(date(2010, 6, 1))),
                (Role::Secretary, None)
            ]
        );
    }

    #[test]
    fn json_round_trips_and_is_checked() {
        let mut h = History::new(p(5, 1, Role::Ordinary));
        h.record(p(6, 1, Role::Secretary));
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(serde_json::from_str::<History<Posting>>(&json).unwrap(), h);
        let reversed: Vec<Posting> = h.iter().rev().copied().collect();
        let json = serde_json::to_string(&reversed).unwrap();
        let err = serde_json::from_str::<History<Posting>>(&json).unwrap_err();
        assert!(err.to_string().contains("strictly increase"));
        let same_day = vec![p(5, 1, Role::Ordinary), p(5, 1, Role::Secretary)];
        assert!(History::try_from(same_day).is_err());
        assert!(History::<Posting>::try_from(Vec::new()).is_err());
    }
}
