//! Village decisions' part of the state: the matters, in order of proposal, and their index by
//! id. Only the list is serialized; the index is rebuilt on load ([`Matters::load`]), where
//! every invariant is checked again.

use serde::{Serialize, Serializer};

use super::{Action, Matter, MatterIdx, Next};
use crate::model::OrgKind;
use crate::model::fast::IdMap;
use crate::model::keyed::Rows;
use crate::org::{ByScope, MAX_ENTITIES, Registry, Scope};
use crate::rules::DeliberationRules;

/// The major village matters (四议一审) of a campaign, in order of proposal, and their index
/// by external id. Serializes as the list alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matters {
    list: Vec<Matter>,
    by_id: IdMap<MatterIdx>,
    /// The matters by village, for a report's scope.
    by_village: ByScope,
}

impl Serialize for Matters {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.list.serialize(s)
    }
}

impl Matters {
    /// Whether no matter was proposed.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every matter, in order of proposal.
    pub fn list(&self) -> &[Matter] {
        &self.list
    }

    /// The matter at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from these matters.
    pub fn matter(&self, idx: MatterIdx) -> &Matter {
        &self.list[idx.0 as usize]
    }

    /// The matter with external id `id`.
    pub fn matter_by_id(&self, id: &str) -> Option<MatterIdx> {
        self.by_id.get(id).copied()
    }

    /// The matters of `scope`'s villages, in order; every matter without a scope.
    pub(crate) fn rows(&self, scope: Option<&Scope>) -> Rows<'_, Matter> {
        self.by_village.rows(&self.list, scope)
    }

    /// Gives back the spare capacity of the list and its indexes. Changes nothing readable.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.list.shrink_to_fit();
        self.by_id.shrink_to_fit();
        self.by_village.shrink_to_fit();
    }

    // ---- changes: made by `apply` after a command is checked ----

    pub(super) fn push(&mut self, matter: Matter) -> MatterIdx {
        let idx = MatterIdx(self.list.len() as u32);
        self.by_id.insert(matter.id.clone(), idx);
        self.by_village.org(matter.village, idx.0 as usize);
        self.list.push(matter);
        idx
    }

    pub(super) fn matter_mut(&mut self, idx: MatterIdx) -> &mut Matter {
        &mut self.list[idx.0 as usize]
    }

    /// The serialized list, as a snapshot holds it.
    pub(crate) fn parts(&self) -> Vec<Matter> {
        self.list.clone()
    }

    /// Rebuilds the matters from their serialized list, checking each against `reg`: a unique
    /// id, a village organization existing on the day of the proposal, steps dated in order
    /// from the proposal on, each step the next one under one of the two orders the rules allow
    /// (the review before or after the resolution), nothing after a rejection or a veto, counts
    /// within bounds, a reviewer that exists. Whether each vote passed is kept as recorded: it
    /// was computed under the rules in force when it was taken.
    pub fn load(reg: &Registry, list: Vec<Matter>) -> Result<Matters, String> {
        if list.len() as u64 >= u64::from(MAX_ENTITIES) {
            return Err("too many matters".into());
        }
        let orgs = reg.orgs().len();
        let mut matters = Matters::default();
        for (i, m) in list.into_iter().enumerate() {
            let at = || format!("matters[{i}] ({})", m.id);
            if matters.by_id.contains_key(m.id.as_str()) {
                return Err(format!("{}: duplicate id", at()));
            }
            let village_ok = (m.village.0 as usize) < orgs && {
                let v = reg.org(m.village);
                v.kind == OrgKind::Village && v.since <= m.proposed
            };
            if !village_ok {
                return Err(format!(
                    "{}: not a village organization's, or proposed before it existed",
                    at()
                ));
            }
            if crate::model::LongText::new("text", &m.text).is_err() {
                return Err(format!(
                    "{}: text empty, too long or with control characters",
                    at()
                ));
            }
            check_steps(&m, orgs).map_err(|why| format!("{}: {why}", at()))?;
            matters.push(m);
        }
        // What grew as the matters came in.
        matters.shrink_to_fit();
        Ok(matters)
    }
}

/// `m`'s steps: dated in order from the proposal on, each the next one under one of the two
/// orders the rules allow, none after the matter ended, counts and texts within bounds, and a
/// reviewer among the first `orgs` organizations.
pub(super) fn check_steps(m: &Matter, orgs: usize) -> Result<(), &'static str> {
    let orders = [true, false].map(|review_before_resolution| DeliberationRules {
        review_before_resolution,
        ..DeliberationRules::default()
    });
    let mut so_far = Matter {
        steps: Vec::with_capacity(m.steps.len()),
        ..m.clone()
    };
    for s in &m.steps {
        if s.on < so_far.last_day() {
            return Err("a step is dated before the one it follows");
        }
        let step = s.action.step();
        if !orders
            .iter()
            .any(|rules| so_far.next(rules) == Next::Step(step))
        {
            return Err("a step out of order, repeated, or after the matter ended");
        }
        if !s.action.is_well_formed() {
            return Err("a step's counts or texts are out of bounds");
        }
        if let Action::TownshipReview(r) = &s.action
            && (r.by.0 as usize) >= orgs
        {
            return Err("a reviewer index out of range");
        }
        so_far.steps.push(s.clone());
    }
    Ok(())
}
