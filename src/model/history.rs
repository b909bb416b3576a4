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
///
/// Most histories never change (a member posted once, a unit's standing recorded once): a
/// history of one value keeps it inline, with no allocation, and reading it touches no other
/// memory. Only a second value moves the history to the heap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "Vec<T>",
    into = "Vec<T>",
    bound(deserialize = "T: Deserialize<'de>")
)]
pub struct History<T: Dated>(Values<T>);

/// One value inline, or two and more (never fewer) on the heap: so equal histories are equal.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Values<T> {
    One(T),
    Many(Vec<T>),
}

impl<T: Dated> History<T> {
    /// A history that starts with `first`.
    pub fn new(first: T) -> History<T> {
        History(Values::One(first))
    }

    /// The value in force now (the last one).
    pub fn current(&self) -> T {
        match &self.0 {
            Values::One(v) => *v,
            // Never empty: two or more values once on the heap.
            Values::Many(vs) => vs[vs.len() - 1],
        }
    }

    /// The value in force on `date`, or `None` before the first.
    pub fn on(&self, date: Date) -> Option<T> {
        let after = self.partition_point(|v| v.from() <= date);
        after.checked_sub(1).map(|i| self[i])
    }

    /// Each value with the day after its last day (`None` for the current one): the spans
    /// `[from, until)` it held.
    pub fn spans(&self) -> impl Iterator<Item = (T, Option<Date>)> + '_ {
        let values: &[T] = self;
        values
            .iter()
            .enumerate()
            .map(move |(i, v)| (*v, values.get(i + 1).map(Dated::from)))
    }

    /// Records `value` from its date on. Its date must not be before the current value's (the
    /// ledger checks this first); on the same date it replaces the current value, which is
    /// returned.
    pub(crate) fn record(&mut self, value: T) -> Option<T> {
        match &mut self.0 {
            Values::One(v) if v.from() == value.from() => Some(std::mem::replace(v, value)),
            Values::One(v) => {
                self.0 = Values::Many(vec![*v, value]);
                None
            }
            Values::Many(vs) => {
                let last = vs.len() - 1;
                if vs[last].from() == value.from() {
                    Some(std::mem::replace(&mut vs[last], value))
                } else {
                    vs.push(value);
                    None
                }
            }
        }
    }
}

impl<T: Dated> Deref for History<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match &self.0 {
            Values::One(v) => std::slice::from_ref(v),
            Values::Many(vs) => vs,
        }
    }
}

impl<T: Dated> TryFrom<Vec<T>> for History<T> {
    type Error = &'static str;
    fn try_from(mut values: Vec<T>) -> Result<History<T>, &'static str> {
        if !values.windows(2).all(|w| w[0].from() < w[1].from()) {
            return Err("a history's dates must strictly increase");
        }
        match values.len() {
            0 => Err("a history holds at least one value"),
            1 => Ok(History(Values::One(values.remove(0)))),
            _ => Ok(History(Values::Many(values))),
        }
    }
}

impl<T: Dated> From<History<T>> for Vec<T> {
    fn from(h: History<T>) -> Vec<T> {
        match h.0 {
            Values::One(v) => vec![v],
            Values::Many(vs) => vs,
        }
    }
}

impl<'a, T: Dated> IntoIterator for &'a History<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        let values: &'a [T] = self;
        values.iter()
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

    #[test]
    fn one_value_or_many_reads_the_same() {
        let one = History::new(p(5, 1, Role::Ordinary));
        let from_vec = History::try_from(vec![p(5, 1, Role::Ordinary)]).unwrap();
        assert_eq!(one, from_vec);
        assert_eq!(one.len(), 1);
        assert_eq!(one.on(date(2010, 4, 30)), None);
        assert_eq!(
            one.spans().collect::<Vec<_>>(),
            vec![(p(5, 1, Role::Ordinary), None)]
        );
        let mut two = one.clone();
        two.record(p(7, 1, Role::Secretary));
        let read = History::try_from(Vec::from(two.clone())).unwrap();
        assert_eq!(read, two);
        assert_eq!(two.on(date(2010, 6, 30)).unwrap().role, Role::Ordinary);
        assert_eq!(two.current().role, Role::Secretary);
        // Replacing the only value keeps it inline.
        let mut same_day = History::new(p(5, 1, Role::Ordinary));
        assert_eq!(
            same_day.record(p(5, 1, Role::Secretary)),
            Some(p(5, 1, Role::Ordinary))
        );
        assert_eq!(same_day, History::new(p(5, 1, Role::Secretary)));
    }
}
