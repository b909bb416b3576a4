//! Which part of a report each record and each entity counts in, so a report's parts are
//! counted in one pass over the records rather than one pass per part.
//!
//! A report is as of a day, and reads the organization tree as it stood that day
//! ([`crate::model::DatedTree`]): its scope is the subtree of its organization then, whatever
//! moves were recorded after. Two readings place the records of that scope:
//!
//! - [`Reading::AsOf`] (按截止日口径, the default): every record counts under the position its
//!   organization had in the tree on the as-of day, for the whole span. A village that moved
//!   from one township to another brings its past records with it.
//! - [`Reading::Historical`] (按发生时口径): each record (a flow: a reception, a visit, a
//!   pledge by its drafting day, a fulfilment record, a case, a donation …) counts under the
//!   organization its author stood under on the record's own day. Counts of distinct entities
//!   and stocks (members taking part, secretaries, coverage, teams, instructors) stay with the
//!   organization each entity stood in on the as-of day, in both readings, so the parts of a
//!   scope still add up to it and figures still merge.
//!
//! At the root both readings count every record once, so their totals there agree.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::scope::Scope;
use super::{MAX_DEPTH, Registry};
use crate::model::{DatedTree, MemberIdx, OrgIdx};

/// Which day places a record in the organization tree (统计口径).
///
/// ```
/// use chuangzheng::org::Reading;
///
/// assert_eq!("historical".parse::<Reading>(), Ok(Reading::Historical));
/// assert_eq!("as-of".parse::<Reading>(), Ok(Reading::AsOf));
/// assert_eq!(Reading::default(), Reading::AsOf);
/// assert_eq!(Reading::Historical.label_zh(), "按发生时所属组织统计");
/// assert!("history".parse::<Reading>().is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// Every record under its organization's position on the as-of day.
    #[default]
    AsOf,
    /// Each record under the organization its author stood under on the record's own day.
    Historical,
}

impl Reading {
    /// The stable name used in JSON (`as_of`, `historical`).
    pub fn as_str(self) -> &'static str {
        match self {
            Reading::AsOf => "as_of",
            Reading::Historical => "historical",
        }
    }

    /// How the report's page names the reading.
    pub fn label_zh(self) -> &'static str {
        match self {
            Reading::AsOf => "按截止日组织隶属关系统计",
            Reading::Historical => "按发生时所属组织统计",
        }
    }
}

impl std::str::FromStr for Reading {
    type Err = String;

    /// `as_of` (or `as-of`) and `historical`.
    fn from_str(s: &str) -> Result<Reading, String> {
        match s {
            "as_of" | "as-of" => Ok(Reading::AsOf),
            "historical" => Ok(Reading::Historical),
            _ => Err(format!(
                "统计口径只能是 as-of 或 historical，而不是 {s:?} / the attribution must be as-of or historical, not {s:?}"
            )),
        }
    }
}

/// An attribution of organizations to the parts of a report, on a day: each organization
/// counts in at most one part, so the parts' figures merge into the figures of their union.
///
/// ```
/// use chuangzheng::demo::{self, DemoSpec};
/// use chuangzheng::org::Attribution;
///
/// let city = demo::build(&DemoSpec::small()).unwrap();
/// let s = city.state();
/// let root = s.root().unwrap();
/// let split = Attribution::split(s, root, demo::AS_OF);
/// // The root's own records, then one part per organization directly under it.
/// assert_eq!(split.len(), 1 + s.children(root).len());
/// assert_eq!(split.part(root), Some(0));
/// let first = s.children(root)[0];
/// assert_eq!(split.part(first), Some(1));
/// assert_eq!(split.heads()[1], first);
/// assert_eq!(Attribution::subtree(s, first, demo::AS_OF).part(root), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// Per organization: its part on `on`, or [`Attribution::NONE`].
    part: Vec<u32>,
    /// Per part: the organization at its head.
    heads: Vec<OrgIdx>,
    /// Per organization: the part it heads, or [`Attribution::NONE`].
    head: Vec<u32>,
    /// Per organization: whether it and every organization above it never moved, so that its
    /// part is the same on every day (the historical reading's fast path).
    settled: Vec<bool>,
    on: Date,
    reading: Reading,
    /// Whether part 0 is the root alone and the others its children's subtrees.
    split: bool,
    /// How many heads the attribution was built with (the rest: former children, added by
    /// the historical reading).
    built_heads: usize,
    /// The organizations and members whose records can count, when they are few enough that
    /// reading theirs alone beats reading every record.
    scope: Option<Scope>,
}

impl Attribution {
    const NONE: u32 = u32::MAX;

    /// One part: `root`'s subtree as it stood on `on`.
    pub fn subtree(reg: &impl AsRef<Registry>, root: OrgIdx, on: Date) -> Attribution {
        Attribution::of_roots(reg, &[root], on)
    }

    /// `root`'s subtree on `on` in parts: part 0 holds the records of `root` itself, part
    /// `i + 1` the subtree of `root`'s `i`-th child that day (in index order).
    pub fn split(reg: &impl AsRef<Registry>, root: OrgIdx, on: Date) -> Attribution {
        let tree = Tree::on(reg.as_ref(), on);
        let mut heads = vec![root];
        heads.extend(tree.children(root));
        let mut a = Attribution::of_heads(reg, &tree, heads, true);
        // Part 0 is `root` alone, not its subtree: every other organization of the subtree
        // sits under one of the children.
        debug_assert!(a.part.iter().filter(|p| **p == 0).count() <= 1);
        a.settle(reg);
        a.scope = Scope::of(reg.as_ref(), a.counted());
        a
    }

    /// One part per root, each holding that root's subtree on `on`. The roots are meant to be
    /// disjoint subtrees; where one holds another, an organization counts in the nearest root
    /// above it.
    pub fn of_roots(reg: &impl AsRef<Registry>, roots: &[OrgIdx], on: Date) -> Attribution {
        let tree = Tree::on(reg.as_ref(), on);
        let mut a = Attribution::of_heads(reg, &tree, roots.to_vec(), false);
        a.settle(reg);
        a.scope = Scope::of(reg.as_ref(), a.counted());
        a
    }

    /// Each organization established on `tree`'s day in its part: the part of the nearest
    /// head at or above it (for a split, the root's own part holds the root alone, its
    /// children being heads), found by walking down from each head.
    fn of_heads(
        reg: &impl AsRef<Registry>,
        tree: &Tree,
        heads: Vec<OrgIdx>,
        split: bool,
    ) -> Attribution {
        let n = reg.as_ref().orgs().len();
        let mut head = vec![Attribution::NONE; n];
        for (i, h) in heads.iter().enumerate().filter(|(_, h)| tree.contains(**h)) {
            if let Some(slot) = head.get_mut(h.0 as usize) {
                *slot = i as u32;
            }
        }
        let mut part = vec![Attribution::NONE; n];
        let mut stack = Vec::new();
        for (i, h) in heads.iter().enumerate() {
            // Not established that day, or named again as a later head.
            if head.get(h.0 as usize) != Some(&(i as u32)) {
                continue;
            }
            stack.push(*h);
            while let Some(o) = stack.pop() {
                part[o.0 as usize] = i as u32;
                let below = tree.children(o).filter(|c| {
                    head[c.0 as usize] == Attribution::NONE
                        && part[c.0 as usize] == Attribution::NONE
                });
                stack.extend(below);
            }
        }
        let mut a = Attribution {
            part,
            heads,
            head,
            settled: vec![false; n],
            on: tree.on,
            reading: Reading::AsOf,
            split,
            built_heads: 0,
            scope: None,
        };
        a.built_heads = a.heads.len();
        a
    }

    /// The same parts, with records placed by `reading`. Under the historical reading, a
    /// [`Attribution::split`] gains a part for each organization that sat directly under its
    /// root on some day up to `on` but no longer did on `on` (a township handed to another
    /// city): their records of those days count there.
    pub fn with_reading(mut self, reg: &impl AsRef<Registry>, reading: Reading) -> Attribution {
        self.reading = reading;
        if reading == Reading::Historical && self.split {
            let root = self.heads[0];
            for (i, org) in reg.as_ref().orgs().iter().enumerate() {
                // Not a head: not directly under the root on `on`.
                if self.head[i] == Attribution::NONE && sat_under(org, root, self.on) {
                    self.head[i] = self.heads.len() as u32;
                    self.heads.push(OrgIdx(i as u32));
                }
            }
        }
        if reading == Reading::Historical && self.scope.is_some() {
            self.scope = Scope::of(reg.as_ref(), self.counted());
        }
        self
    }

    /// The organizations whose records can count: those in some part, and under the
    /// historical reading those whose part may differ from day to day. Sorted.
    fn counted(&self) -> Vec<u32> {
        let historical = self.reading == Reading::Historical;
        (0..self.part.len())
            .filter(|&i| self.part[i] != Attribution::NONE || (historical && !self.settled[i]))
            .map(|i| i as u32)
            .collect()
    }

    /// Marks the organizations whose part is the same on every day: neither they nor any
    /// organization above them ever moved.
    fn settle(&mut self, reg: &impl AsRef<Registry>) {
        self.settled = reg.as_ref().settled().to_vec();
        debug_assert_eq!(self.settled.len(), self.part.len());
    }

    /// The part `org` falls in by the tree as it stood on `date`: for a split, the part of
    /// the organization directly under the split's root on the way up (0 for the root
    /// itself), if the way reaches the root; otherwise the part of the nearest head at or
    /// above `org`.
    fn walk(&self, reg: &impl AsRef<Registry>, org: OrgIdx, date: Date) -> Option<usize> {
        let head_of = |o: OrgIdx| match self.head.get(o.0 as usize) {
            Some(&h) if h != Attribution::NONE => Some(h as usize),
            _ => None,
        };
        let mut at = org;
        let mut below = None;
        for _ in 0..=MAX_DEPTH {
            match (self.split, head_of(at)) {
                (true, Some(0)) => return below.map_or(Some(0), head_of),
                (false, Some(h)) => return Some(h),
                _ => {}
            }
            below = Some(at);
            at = reg.as_ref().org(at).parent_on(date)?;
        }
        None
    }

    /// The part an entity of `org` counts in (a member, a unit, a village, a team: whatever is
    /// counted as it stood on the as-of day), in both readings.
    #[inline]
    pub fn part(&self, org: OrgIdx) -> Option<usize> {
        match self.part.get(org.0 as usize) {
            Some(&p) if p != Attribution::NONE => Some(p as usize),
            _ => None,
        }
    }

    /// The part a record of `org` dated `date` counts in: [`Attribution::part`] under the
    /// as-of reading; under the historical reading, the part of the nearest head above `org`
    /// in the tree as it stood on `date`.
    #[inline]
    pub fn part_of_record(
        &self,
        reg: &impl AsRef<Registry>,
        org: OrgIdx,
        date: Date,
    ) -> Option<usize> {
        let i = org.0 as usize;
        if self.reading == Reading::AsOf || self.settled.get(i).copied().unwrap_or(false) {
            return self.part(org);
        }
        self.walk(reg, org, date)
    }

    /// The part member `m` counts in as a person (a donor, a volunteer, an instructor): the
    /// part of the organization they were posted to on the as-of day.
    pub fn part_of_member(&self, reg: &impl AsRef<Registry>, m: MemberIdx) -> Option<usize> {
        self.part(reg.as_ref().member(m).posting_on(self.on)?.org)
    }

    /// The day the tree is read on (the as-of day).
    pub fn on(&self) -> Date {
        self.on
    }

    /// How records are placed.
    pub fn reading(&self) -> Reading {
        self.reading
    }

    /// Whether part `i` heads a former child of a split's root (see
    /// [`Attribution::with_reading`]).
    pub fn is_former(&self, i: usize) -> bool {
        i >= self.built_heads && i < self.heads.len()
    }

    /// The organization at the head of each part, in part order.
    pub fn heads(&self) -> &[OrgIdx] {
        &self.heads
    }

    /// How many parts there are.
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// Whether there are no parts.
    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// The organizations and members whose records can count, when reading theirs alone is
    /// worth it; `None`: read every record.
    pub(crate) fn scope(&self) -> Option<&Scope> {
        self.scope.as_ref()
    }

    /// Whether passes over the records read only those of the organizations and members
    /// the parts can count (through each domain's index), rather than every record. Chosen
    /// when the attribution is built: a subtree of at most a quarter of the organizations.
    pub fn is_scoped(&self) -> bool {
        self.scope.is_some()
    }

    /// The same attribution, with passes reading every record: the figures are the same, and
    /// this is what the scoped reading is checked against.
    pub fn reading_every_record(mut self) -> Attribution {
        self.scope = None;
        self
    }

    /// `len()` default values, one per part.
    pub(crate) fn fresh<T: Default>(&self) -> Vec<T> {
        std::iter::repeat_with(T::default)
            .take(self.len())
            .collect()
    }
}

/// The organization tree on a day, as an attribution walks it: the registry's own when no
/// organization moved after that day (leaving out those established after it), or the tree
/// rebuilt as it stood then.
struct Tree<'a> {
    reg: &'a Registry,
    on: Date,
    dated: Option<DatedTree>,
}

impl<'a> Tree<'a> {
    fn on(reg: &'a Registry, on: Date) -> Tree<'a> {
        let moved_since = reg.last_move().is_some_and(|d| d > on);
        Tree {
            reg,
            on,
            dated: moved_since.then(|| reg.tree_on(on)),
        }
    }

    /// Whether `org` was established on the day.
    fn contains(&self, org: OrgIdx) -> bool {
        match &self.dated {
            Some(t) => t.contains(org),
            None => self
                .reg
                .orgs()
                .get(org.0 as usize)
                .is_some_and(|o| o.exists_on(self.on)),
        }
    }

    /// The organizations directly under `org` that day, in index order.
    fn children(&self, org: OrgIdx) -> impl Iterator<Item = OrgIdx> + '_ {
        let list = match &self.dated {
            Some(t) => t.children(org),
            None => self.reg.children(org),
        };
        list.iter().copied().filter(|c| self.contains(*c))
    }
}

/// Whether `org` sat directly under `root` on some day up to `on`.
fn sat_under(org: &crate::model::Org, root: OrgIdx, on: Date) -> bool {
    if org.since > on {
        return false;
    }
    // Each former parent held from the day the one before it ended (or the founding) to its
    // own end; an empty span (two moves on one day) holds no day.
    let mut start = org.since;
    for &(until, p) in &org.former_parents {
        if p == root && start < until && start <= on {
            return true;
        }
        start = until;
    }
    org.parent == Some(root) && start <= on
}
