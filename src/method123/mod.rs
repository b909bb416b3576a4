//! The 123 work method (123工作法) of village organizations: all of its rules.
//!
//! Each village organization and its cadres (the secretary and committee members, from the
//! members' postings) receive villagers at least once a week (接待来访), visit at least two poor
//! households a month (走访困难群众), and handle three concerns a quarter (办理热点难点问题);
//! the quotas are rules ([`crate::rules::Method123Rules`]). Recorded here:
//!
//! - the register of poor households of each village ([`Household`]);
//! - receptions: the day, the cadres on duty, the visitors received (人次) ([`Reception`]);
//! - household visits: the day, the cadre, the household ([`Visit`]);
//! - villagers' concerns ([`Concern`]): raised on a day, through a channel, of a category, and
//!   handled in three tiers — the village takes the case (村级组织接办), unresolved cases go to
//!   the township stations (乡镇站所联办), then the township party committee supervises
//!   (党委考核督办) — until resolved, with the outcome and the feedback given to the villager.
//!
//! Escalation is by the rules' deadlines ([`crate::rules::EscalationRules`]): a concern still
//! unresolved `village_days` after it was raised is due to go to the township; `township_days`
//! after that, to the party committee. [`escalation_due`] says which tier a concern should be
//! at on a day; nothing reads the clock.
//!
//! This folder holds the whole method:
//!
//! | file | what |
//! |---|---|
//! | `records.rs` | households, receptions, visits, concerns, tiers; the escalation deadlines |
//! | `events.rs` | the events' payloads, as hosts send them and the journal records them |
//! | `check.rs` | what makes each event acceptable: the cadre on duty, the household on the cadre's register, deadlines |
//! | `state.rs` | its part of the state ([`Records`]) and the indexes the checks need |
//! | `apply.rs` | how an accepted event changes that state, with the invariants asserted after |
//! | `error.rs` | its refusals ([`Method123Error`], codes 3024–3026) |
//! | `quota.rs` | the quotas' verdicts per cadre, village and period ([`compliance`], [`Verdict`]); the day they are judged from ([`quotas_start`]) |
//! | `figures.rs` | its part of the stage figures, mergeable ([`Method123Figures`]) |

mod apply;
mod check;
mod error;
mod events;
mod figures;
mod quota;
mod records;
mod state;

pub(crate) use apply::{Change, apply, mark_of};
pub use check::MAX_CADRES_ON_DUTY;
pub use error::Method123Error;
pub use events::{
    EscalateConcern, RaiseConcern, RecordReception, RecordVisit, RegisterHousehold,
    RemoveHousehold, ResolveConcern,
};
pub use figures::Method123Figures;
pub use quota::{
    Compliance, Quota, Tally, Verdict, cadre_verdicts, compliance, compliance_parts, org_verdicts,
    quotas_start, village_verdicts,
};
pub(crate) use quota::{Judgement, compliance_and_villages};
pub use records::*;
pub use state::Records;
pub(crate) use state::View;
