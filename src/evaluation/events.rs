//! The member evaluation's event: what a host sends, and what the journal records. It is the
//! payload of one [`Event`](crate::ledger::Event) variant; its JSON is
//! `{"<event name>": {fields}}`.

use serde::{Deserialize, Serialize};

use super::Ballots;
use crate::model::{ExtId, Period};

/// 一报告四评议: record a member's evaluation for a round (a year): the party-spirit report's
/// day, and the four evaluations (ballots per grade or a score). By the member's
/// organization or above. One per member and round; a second must say
/// `"correction": true`, and the first is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordMemberEvaluation {
    /// The member.
    pub member: ExtId,
    /// The round (`"2010"`), not after the command's year.
    pub round: Period,
    /// The day the party-spirit analysis report was submitted, if it was (not after the
    /// command's date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_submitted: Option<jiff::civil::Date>,
    /// 个人自评: one ballot, or a score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_review: Option<Ballots>,
    /// 党员互评: at most one ballot per fellow member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peers: Option<Ballots>,
    /// 群众评议.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masses: Option<Ballots>,
    /// 班子集中评议: at most one ballot per member of the organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<Ballots>,
    /// Whether the member was under a disciplinary sanction in the round.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sanctioned: bool,
    /// Whether it corrects the round's earlier record.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub correction: bool,
}
