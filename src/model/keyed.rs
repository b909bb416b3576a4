//! Records' positions grouped by a key (an organization, a member), kept as records are added,
//! so that a report on a subtree reads the records of its organizations and members alone
//! instead of every record of the campaign (see [`crate::org::Scope`]).
//!
//! Each key holds a chain of its entries, newest first: adding is one push and one store, and
//! the index costs 4 bytes a key and 8 an entry, whatever the keys' spread.

/// No entry.
const NONE: u32 = u32::MAX;

/// The positions of records by key: each key's positions, in the order they were added.
///
/// Two indexes are equal when they hold the same (key, position) pairs, in whatever order they
/// were added: an index kept as records come and one rebuilt from the lists are the same index.
#[derive(Debug, Clone, Default)]
pub(crate) struct ByKey {
    /// Per key: its newest entry, or [`NONE`].
    newest: Vec<u32>,
    /// Per entry: the record's position, and the key's entry before it (or [`NONE`]).
    entries: Vec<(u32, u32)>,
}

impl ByKey {
    /// An empty index with room for keys below `keys` and for `entries` entries.
    pub(crate) fn with_room(keys: usize, entries: usize) -> ByKey {
        ByKey {
            newest: Vec::with_capacity(keys),
            entries: Vec::with_capacity(entries),
        }
    }

    /// Adds the record at `position` under `key`.
    pub(crate) fn add(&mut self, key: u32, position: u32) {
        let k = key as usize;
        if self.newest.len() <= k {
            self.newest.resize(k + 1, NONE);
        }
        let entry = u32::try_from(self.entries.len()).unwrap_or(NONE);
        // Positions are indexes below u32::MAX (the lists' indexes are u32): one more entry
        // than that cannot be reached; if it were, the key's older entries would be lost from
        // the index, never the records.
        debug_assert!(entry != NONE, "more entries than a u32 counts");
        self.entries.push((position, self.newest[k]));
        self.newest[k] = entry;
    }

    /// Appends the positions of every key of `keys` to `out` (in no particular order; a
    /// position under two keys appears twice).
    pub(crate) fn gather(&self, keys: impl IntoIterator<Item = u32>, out: &mut Vec<u32>) {
        for key in keys {
            let mut at = self.newest.get(key as usize).copied().unwrap_or(NONE);
            while let Some(&(position, before)) = self.entries.get(at as usize) {
                out.push(position);
                at = before;
            }
        }
    }

    /// Every (key, position) pair, sorted.
    fn pairs(&self) -> Vec<(u32, u32)> {
        let mut out = Vec::with_capacity(self.entries.len());
        for key in 0..self.newest.len() as u32 {
            let mut at = self.newest[key as usize];
            while let Some(&(position, before)) = self.entries.get(at as usize) {
                out.push((key, position));
                at = before;
            }
        }
        out.sort_unstable();
        out
    }

    /// How many entries the index holds.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Gives back spare capacity. Changes nothing readable.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.newest.shrink_to_fit();
        self.entries.shrink_to_fit();
    }
}

impl PartialEq for ByKey {
    fn eq(&self, other: &ByKey) -> bool {
        self.entries.len() == other.entries.len() && self.pairs() == other.pairs()
    }
}

impl Eq for ByKey {}

/// The records of `list` at `positions`, or all of them: what a pass over a report's records
/// reads.
pub(crate) enum Rows<'a, T> {
    /// Every record, in order.
    All(std::slice::Iter<'a, T>),
    /// The records at these positions (sorted, distinct), in order.
    Some(&'a [T], std::vec::IntoIter<u32>),
}

impl<'a, T> Rows<'a, T> {
    /// The records of `list` at `positions` (any order, repeats allowed), in list order; every
    /// record when `positions` is `None`.
    pub(crate) fn of(list: &'a [T], positions: Option<Vec<u32>>) -> Rows<'a, T> {
        match positions {
            None => Rows::All(list.iter()),
            Some(mut p) => {
                p.sort_unstable();
                p.dedup();
                Rows::Some(list, p.into_iter())
            }
        }
    }
}

/// [`Rows`] with each record's position in its list ([`Rows::indexed`]).
pub(crate) enum Indexed<'a, T> {
    /// Every record, in order.
    All(std::iter::Enumerate<std::slice::Iter<'a, T>>),
    /// The records at these positions (sorted, distinct), in order.
    Some(&'a [T], std::vec::IntoIter<u32>),
}

impl<'a, T> Rows<'a, T> {
    /// The same records with their positions. Called on rows as [`Rows::of`] made them, before
    /// any is read (a pass over every record counts positions from where it stands).
    pub(crate) fn indexed(self) -> Indexed<'a, T> {
        match self {
            Rows::All(it) => Indexed::All(it.enumerate()),
            Rows::Some(list, it) => Indexed::Some(list, it),
        }
    }
}

impl<'a, T> Iterator for Indexed<'a, T> {
    type Item = (usize, &'a T);

    fn next(&mut self) -> Option<(usize, &'a T)> {
        match self {
            Indexed::All(it) => it.next(),
            Indexed::Some(list, it) => it.find_map(|i| Some((i as usize, list.get(i as usize)?))),
        }
    }
}

impl<'a, T> Iterator for Rows<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        match self {
            Rows::All(it) => it.next(),
            Rows::Some(list, it) => it.find_map(|i| list.get(i as usize)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(index: &ByKey, keys: impl IntoIterator<Item = u32>) -> Vec<u32> {
        let mut out = Vec::new();
        index.gather(keys, &mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn each_key_gives_back_its_positions() {
        let mut ix = ByKey::default();
        for (key, pos) in [(3, 0), (1, 1), (3, 2), (7, 3), (3, 4)] {
            ix.add(key, pos);
        }
        assert_eq!(ix.len(), 5);
        assert_eq!(positions(&ix, [3]), vec![0, 2, 4]);
        assert_eq!(positions(&ix, [1, 7, 3, 3]), vec![0, 1, 2, 3, 4]);
        assert!(positions(&ix, [0, 2, 100]).is_empty());
        let list = ["a", "b", "c", "d", "e"];
        let picked: Vec<_> = Rows::of(&list, Some(vec![4, 2, 2, 9])).collect();
        assert_eq!(picked, [&"c", &"e"]);
        assert_eq!(Rows::of(&list, None).count(), 5);
        let indexed: Vec<_> = Rows::of(&list, Some(vec![4, 2, 9])).indexed().collect();
        assert_eq!(indexed, [(2, &"c"), (4, &"e")]);
        let every: Vec<_> = Rows::of(&list, None).indexed().map(|(i, _)| i).collect();
        assert_eq!(every, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn indexes_with_the_same_pairs_are_equal_whatever_their_order() {
        let (mut a, mut b) = (ByKey::default(), ByKey::default());
        for (key, pos) in [(3, 0), (1, 1), (3, 2)] {
            a.add(key, pos);
        }
        for (key, pos) in [(3, 2), (3, 0), (1, 1)] {
            b.add(key, pos);
        }
        assert_eq!(a, b);
        b.add(0, 5);
        assert_ne!(a, b);
    }
}
