//! The commands a deterministic escalation would record: the ledger's side of the 123 work
//! method's deadlines ([`crate::method123::escalation_due`]).

use jiff::civil::Date;

use crate::ledger::State;
use crate::method123::escalation_due;
use crate::model::OrgIdx;
use crate::rules::RuleSet;

/// The escalations due on `as_of` for the concerns of `root`'s subtree, as the commands that
/// record them (`escalate_concern`, dated `as_of`, by each village's township committee): the
/// deterministic `escalate(as_of)` of the 123 work method. Executing them in order brings every
/// unresolved concern to the tier its deadlines call for.
pub fn escalation_commands(
    state: &State,
    rules: &RuleSet,
    root: OrgIdx,
    as_of: Date,
) -> Vec<crate::ledger::Command> {
    use crate::ledger::{Actor, Command, Event};
    let mut out = Vec::new();
    for c in state.concerns() {
        if !state.is_at_or_above(root, c.village) {
            continue;
        }
        let Some(township) = state.org(c.village).parent else {
            continue;
        };
        for e in escalation_due(c, as_of, &rules.escalation) {
            out.push(Command::new(
                crate::model::Stamp::on(as_of),
                Actor::org(&state.org(township).id),
                Event::EscalateConcern(crate::method123::EscalateConcern {
                    concern: c.id.clone(),
                    to: e.to,
                }),
            ));
        }
    }
    out
}
