//! The member evaluation's part of the state: every round's inputs in the order recorded, and
//! per member the positions of theirs.

use jiff::civil::Date;
use serde::Serialize;

use super::MemberEvaluationInputs;
use crate::model::MemberIdx;
use crate::org::Registry;

/// Every member evaluation's inputs of a campaign, in the order recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evaluations {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    member_evaluations: Vec<MemberEvaluationInputs>,
    /// Per member: their evaluations' positions, in order (rebuilt on load).
    #[serde(skip)]
    of: Vec<Vec<u32>>,
}

impl Evaluations {
    /// Every member evaluation's inputs, in the order recorded.
    pub fn all(&self) -> &[MemberEvaluationInputs] {
        &self.member_evaluations
    }

    /// The evaluations of `member`, in the order recorded (none for an unknown member).
    pub fn of(
        &self,
        member: MemberIdx,
    ) -> impl DoubleEndedIterator<Item = &MemberEvaluationInputs> {
        self.of
            .get(member.0 as usize)
            .into_iter()
            .flatten()
            .filter_map(|i| self.member_evaluations.get(*i as usize))
    }

    /// The date of `member`'s latest evaluation, if any.
    pub fn latest_of(&self, member: MemberIdx) -> Option<Date> {
        self.of(member).map(|e| e.on).max()
    }

    pub(super) fn push(&mut self, e: MemberEvaluationInputs) {
        self.note(self.member_evaluations.len(), e.member);
        self.member_evaluations.push(e);
    }

    /// Notes the evaluation at `at` under `member`.
    fn note(&mut self, at: usize, member: MemberIdx) {
        let m = member.0 as usize;
        if self.of.len() <= m {
            self.of.resize_with(m + 1, Vec::new);
        }
        self.of[m].push(at as u32);
    }

    /// Gives back the spare capacity of the list and its index. Changes nothing readable.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.member_evaluations.shrink_to_fit();
        self.of.shrink_to_fit();
    }

    /// Rebuilds the evaluations from their serialized list, checking each against `reg`: the
    /// member posted, on the evaluation's day, to the organization it names.
    pub fn load(reg: &Registry, list: Vec<MemberEvaluationInputs>) -> Result<Evaluations, String> {
        // The list is kept as given: moved into a new one, both would be held at once.
        let mut members = 0;
        for (i, e) in list.iter().enumerate() {
            let ok = (e.member.0 as usize) < reg.members().len()
                && reg
                    .member(e.member)
                    .posting_on(e.on)
                    .is_some_and(|p| p.org == e.org);
            if !ok {
                return Err(format!(
                    "member_evaluations[{i}]: not a member of the organization then"
                ));
            }
            members = members.max(e.member.0 as usize + 1);
        }
        // Sized once: an entry for each member up to the last one evaluated.
        let mut out = Evaluations {
            member_evaluations: Vec::new(),
            of: Vec::with_capacity(members),
        };
        for (i, e) in list.iter().enumerate() {
            out.note(i, e.member);
        }
        out.member_evaluations = list;
        Ok(out)
    }
}
