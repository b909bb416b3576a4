//! Bounded lists: a list that cannot hold more than its limit.
//!
//! Every list a command carries has a bound (docs/limits.md): a pledge's targets and
//! milestones, a reception's cadres on duty, a volunteer activity's outputs. [`Bounded`] holds
//! the bound in its type and checks it when the list is built and when it is read from JSON,
//! so the rest of the code, and the journal's reader, can trust it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ModelError;
use crate::error::Reason;

/// A list of at most `MAX` items. In JSON, a plain array.
///
/// ```
/// use chuangzheng::model::Bounded;
/// use chuangzheng::Coded;
///
/// let two: Bounded<u32, 2> = Bounded::new("event.cadres", vec![1, 2]).unwrap();
/// assert_eq!(two.len(), 2);
/// assert_eq!(two[1], 2);
/// let err = Bounded::<u32, 2>::new("event.cadres", vec![1, 2, 3]).unwrap_err();
/// assert_eq!((err.code(), err.field()), (1002, "event.cadres"));
/// assert!(serde_json::from_str::<Bounded<u32, 2>>("[1,2,3]").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bounded<T, const MAX: usize>(Vec<T>);

impl<T, const MAX: usize> Bounded<T, MAX> {
    /// The most items the list holds.
    pub const MAX: usize = MAX;

    /// Checks the length of `items` and makes them a bounded list; `field` names it in the
    /// error.
    pub fn new(field: &'static str, items: Vec<T>) -> Result<Self, ModelError> {
        if items.len() > MAX {
            return Err(ModelError::new(
                field,
                Reason::TooLong {
                    max: MAX,
                    actual: items.len(),
                },
            ));
        }
        Ok(Bounded(items))
    }

    /// An empty list.
    pub fn empty() -> Self {
        Bounded(Vec::new())
    }

    /// The items.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// The items, as a vector.
    pub fn into_vec(self) -> Vec<T> {
        self.0
    }
}

impl<T, const MAX: usize> Default for Bounded<T, MAX> {
    fn default() -> Self {
        Bounded::empty()
    }
}

impl<T, const MAX: usize> std::ops::Deref for Bounded<T, MAX> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T, const MAX: usize> AsRef<[T]> for Bounded<T, MAX> {
    fn as_ref(&self) -> &[T] {
        &self.0
    }
}

impl<'a, T, const MAX: usize> IntoIterator for &'a Bounded<T, MAX> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T, const MAX: usize> IntoIterator for Bounded<T, MAX> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Checks the length; the error names the list by its type's own name, `list`.
impl<T, const MAX: usize> TryFrom<Vec<T>> for Bounded<T, MAX> {
    type Error = ModelError;
    fn try_from(items: Vec<T>) -> Result<Self, ModelError> {
        Bounded::new("list", items)
    }
}

impl<T, const MAX: usize> From<Bounded<T, MAX>> for Vec<T> {
    fn from(b: Bounded<T, MAX>) -> Vec<T> {
        b.0
    }
}

impl<T: Serialize, const MAX: usize> Serialize for Bounded<T, MAX> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>, const MAX: usize> Deserialize<'de> for Bounded<T, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(BoundedVisitor(std::marker::PhantomData))
    }
}

/// Keeps at most `MAX` items; past them, only counts the rest (skipped, never kept), so a list
/// far past its bound is refused with its length without being held.
struct BoundedVisitor<T, const MAX: usize>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>, const MAX: usize> serde::de::Visitor<'de>
    for BoundedVisitor<T, MAX>
{
    type Value = Bounded<T, MAX>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of at most {MAX} items")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX));
        while let Some(item) = seq.next_element()? {
            if items.len() == MAX {
                let mut actual = MAX + 1;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    actual += 1;
                }
                return Err(serde::de::Error::custom(ModelError::new(
                    "list",
                    Reason::TooLong { max: MAX, actual },
                )));
            }
            items.push(item);
        }
        Ok(Bounded(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_bound_is_read_and_past_it_refused() {
        let at: Bounded<u8, 3> = serde_json::from_str("[1,2,3]").unwrap();
        assert_eq!(serde_json::to_string(&at).unwrap(), "[1,2,3]");
        let err = serde_json::from_str::<Bounded<u8, 3>>("[1,2,3,4]").unwrap_err();
        assert!(
            err.to_string().contains("length 4 exceeds the limit of 3"),
            "{err}"
        );
        let err = serde_json::from_str::<Bounded<u8, 3>>("[1,2,3,4,5,\"x\"]").unwrap_err();
        assert!(err.to_string().contains("length 6 exceeds"), "{err}");
        let empty: Bounded<u8, 3> = serde_json::from_str("[]").unwrap();
        assert!(empty.is_empty());
        assert_eq!(empty, Bounded::default());
        assert!(serde_json::from_str::<Bounded<u8, 3>>("{}").is_err());
    }
}
