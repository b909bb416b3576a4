//! The 123 work method's events: what a host sends, and what the journal records. Each is the
//! payload of one [`Event`](crate::ledger::Event) variant; its JSON is
//! `{"<event name>": {fields}}`.

use serde::{Deserialize, Serialize};

use super::{Channel, ConcernCategory, Tier};
use crate::model::{Bounded, ExtId, LongText, Name};

/// 123工作法: put a poor household on a village's register; by the village or above.
/// JSON: `{"register_household": {"id": "h-1", "village": "v-1"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterHousehold {
    /// The household's identifier.
    pub id: ExtId,
    /// The village organization.
    pub village: ExtId,
}

/// Take a household off its village's register from the command's date on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveHousehold {
    /// The household.
    pub household: ExtId,
}

/// 接待来访: a reception of villagers; by the village (or above), or by one of the cadres on
/// duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordReception {
    /// The village organization.
    pub village: ExtId,
    /// The cadres on duty (1 to 20, each a secretary or committee member of the village that
    /// day).
    pub cadres: Bounded<ExtId, { super::MAX_CADRES_ON_DUTY }>,
    /// Visitors received (人次), 1 to 10,000.
    pub visitors: u32,
}

/// 走访: a cadre's visit of a poor household on the register of the cadre's village; by the
/// village (or above), or by the cadre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordVisit {
    /// The cadre.
    pub cadre: ExtId,
    /// The household.
    pub household: ExtId,
}

/// A villager's concern raised with the village; by the village (or above), or a cadre of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RaiseConcern {
    /// The concern's identifier.
    pub id: ExtId,
    /// The village organization.
    pub village: ExtId,
    /// Who raised it, as the host describes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raised_by: Option<Name>,
    /// How it reached the village.
    pub channel: Channel,
    /// What it is about.
    pub category: ConcernCategory,
    /// The concern in words (1 to 2000 bytes).
    pub text: LongText,
}

/// Move an unresolved concern to the next tier once the rules' deadline has passed (联办, then
/// 督办); by the village's township committee or above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalateConcern {
    /// The concern.
    pub concern: ExtId,
    /// The next tier: `township`, then `party_committee`.
    pub to: Tier,
}

/// Resolve a concern, with the outcome and the feedback given to the villager; by the tier
/// handling it (the village or a cadre of it at the first tier, its township committee or above
/// after), on or after the day it was raised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveConcern {
    /// The concern.
    pub concern: ExtId,
    /// The outcome (1 to 2000 bytes).
    pub outcome: LongText,
    /// The feedback given to the villager (1 to 2000 bytes), if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<LongText>,
    /// The village cadre who handled it, if named (it counts towards their quota).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<ExtId>,
}
