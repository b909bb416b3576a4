//! Which part of a report each organization's records count in, so a report's parts are
//! counted in one pass over the records rather than one pass per part.

use crate::ledger::State;
use crate::model::OrgIdx;

/// An attribution of organizations to the parts of a report: each organization counts in at
/// most one part, so the parts' figures merge into the figures of their union.
///
/// ```
/// use chuangzheng::demo::{self, DemoSpec};
/// use chuangzheng::report::Attribution;
///
/// let city = demo::build(&DemoSpec::small()).unwrap();
/// let s = city.state();
/// let root = s.root().unwrap();
/// let split = Attribution::split(s, root);
/// // The root's own records, then one part per organization directly under it.
/// assert_eq!(split.len(), 1 + s.children(root).len());
/// assert_eq!(split.part(root), Some(0));
/// let first = s.children(root)[0];
/// assert_eq!(split.part(first), Some(1));
/// assert_eq!(Attribution::subtree(s, first).part(root), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// Per organization: its part, or [`Attribution::NONE`].
    part: Vec<u32>,
    parts: usize,
}

impl Attribution {
    const NONE: u32 = u32::MAX;

    /// One part: `root`'s subtree.
    pub fn subtree(state: &State, root: OrgIdx) -> Attribution {
        Attribution::of_roots(state, &[root])
    }

    /// `root`'s subtree in parts: part 0 holds the records of `root` itself, part `i + 1` the
    /// subtree of `root`'s `i`-th child (in [`State::children`] order).
    pub fn split(state: &State, root: OrgIdx) -> Attribution {
        let mut a = Attribution::of_roots(state, state.children(root));
        // Shift the children's parts up by one and give `root` itself part 0.
        for p in a.part.iter_mut().filter(|p| **p != Attribution::NONE) {
            *p += 1;
        }
        if let Some(p) = a.part.get_mut(root.0 as usize) {
            *p = 0;
        }
        a.parts += 1;
        a
    }

    /// One part per root, each holding that root's subtree. The roots are meant to be disjoint
    /// subtrees; where one holds another, an organization counts in the last root listed that
    /// holds it.
    pub fn of_roots(state: &State, roots: &[OrgIdx]) -> Attribution {
        let mut part = vec![Attribution::NONE; state.orgs().len()];
        for (i, r) in roots.iter().enumerate() {
            for o in state.subtree(*r) {
                if let Some(p) = part.get_mut(o.0 as usize) {
                    *p = i as u32;
                }
            }
        }
        Attribution {
            part,
            parts: roots.len(),
        }
    }

    /// The part `org`'s records count in, if any.
    #[inline]
    pub fn part(&self, org: OrgIdx) -> Option<usize> {
        match self.part.get(org.0 as usize) {
            Some(&p) if p != Attribution::NONE => Some(p as usize),
            _ => None,
        }
    }

    /// How many parts there are.
    pub fn len(&self) -> usize {
        self.parts
    }

    /// Whether there are no parts.
    pub fn is_empty(&self) -> bool {
        self.parts == 0
    }

    /// `len()` default values, one per part.
    pub(crate) fn fresh<T: Default>(&self) -> Vec<T> {
        std::iter::repeat_with(T::default)
            .take(self.parts)
            .collect()
    }
}
