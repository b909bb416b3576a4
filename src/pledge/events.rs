//! The pledge events: what a host sends, and what the journal records. Each is the payload of
//! one [`Event`](crate::ledger::Event) variant; its JSON is `{"<event name>": {fields}}`, e.g.
//! `{"submit_pledge": {"pledge": "p-1"}}`.

use serde::{Deserialize, Serialize};

use super::{
    Achieved, Carrier, Closing, Focus, Outputs, OwnerRef, PledgeContent, PledgeKind,
    ReviewDecision, SpotCheck, Standing, Survey,
};
use crate::model::{Bounded, ExtId, LongText, Period};

/// 定诺: draft a pledge. By the owner: an organization (or one above it), or a member
/// (or an organization at or above the member's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftPledge {
    /// The pledge's identifier.
    pub id: ExtId,
    /// Who makes it.
    pub owner: OwnerRef,
    /// Work or practical matter.
    pub kind: PledgeKind,
    /// What it is about.
    pub focus: Focus,
    /// For a member's pledge, the carrier; absent: the usual one for the member's
    /// category. Not allowed for an organization's pledge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<Carrier>,
    /// The content.
    pub content: PledgeContent,
}

/// Revise a drafted or returned pledge's content; the earlier versions are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevisePledge {
    /// The pledge.
    pub pledge: ExtId,
    /// The new content.
    pub content: PledgeContent,
}

/// 审诺: submit a drafted or returned pledge to its reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitPledge {
    /// The pledge.
    pub pledge: ExtId,
}

/// The reviewer approves a submitted pledge or returns it for revision with reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewPledge {
    /// The pledge.
    pub pledge: ExtId,
    /// The decision.
    pub decision: ReviewDecision,
}

/// 公开: publish an approved pledge; from this date on it counts as made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishPledge {
    /// The pledge.
    pub pledge: ExtId,
}

/// 月报: report a published pledge's progress for a month (not after the command's month,
/// not before the publication's). One report per month; a second one for the same month
/// must say `"correction": true`, and the first is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportProgress {
    /// The pledge.
    pub pledge: ExtId,
    /// The month reported on (`"2010-06"`).
    pub month: Period,
    /// Values achieved so far, per target (each target at most once, so at most
    /// [`MAX_TARGETS`](crate::pledge::MAX_TARGETS)).
    #[serde(default)]
    pub achieved: Bounded<Achieved, { super::MAX_TARGETS }>,
    /// What was done, in words (1 to 2000 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<LongText>,
    /// Whether it corrects the month's earlier report.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub correction: bool,
}

/// 践诺: record outputs of a published (or fulfilled) pledge's carrier activities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordFulfilment {
    /// The pledge.
    pub pledge: ExtId,
    /// What was produced (at least one output; each count at most 10⁹).
    pub outputs: Outputs,
    /// What was done, in words (1 to 2000 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<LongText>,
}

/// Declare a published pledge fulfilled: by its owner's side when every target is met by
/// the latest report; a pledge without targets only by its reviewer (or above).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FulfilPledge {
    /// The pledge.
    pub pledge: ExtId,
}

/// Withdraw a published pledge or declare it unfulfilled, with a public explanation; by its
/// reviewer (or above) only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosePledge {
    /// The pledge.
    pub pledge: ExtId,
    /// Withdrawn or unfulfilled.
    pub closing: Closing,
    /// The public explanation (1 to 2000 bytes).
    pub explanation: LongText,
}

/// 促诺: urge a pledge found lagging or stalled at a quarter's end; by its reviewer (or
/// above), on or after the quarter's last day, once per quarter. The standing given must be
/// the one the library computes ([`crate::pledge::assess`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrgePledge {
    /// The pledge.
    pub pledge: ExtId,
    /// The quarter assessed (`"2010-Q3"`).
    pub quarter: Period,
    /// `lagging` or `stalled`.
    pub standing: Standing,
}

/// 评诺: record the inputs of a made pledge's annual evaluation (the masses' satisfaction
/// survey, a spot check); by its reviewer (or above). One record per year; a second must
/// say `"correction": true`, and the first is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordEvaluation {
    /// The pledge.
    pub pledge: ExtId,
    /// The year evaluated (`"2010"`), from the publication's year to the command's.
    pub year: Period,
    /// The masses' satisfaction survey (群众评), if one was held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<Survey>,
    /// The members' evaluation (党员评), as a survey, if one was held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Survey>,
    /// The organization's evaluation (组织评), as a survey, if one was held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Survey>,
    /// The spot check, if one was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_check: Option<SpotCheck>,
    /// Whether it corrects the year's earlier record.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub correction: bool,
}
