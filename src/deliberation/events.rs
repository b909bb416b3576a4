//! The village decisions' (四议一审) events: what a host sends, and what the journal records.
//! Each is the payload of one [`Event`](crate::ledger::Event) variant; its JSON is
//! `{"<event name>": {fields}}`.

use serde::{Deserialize, Serialize};

use super::{MatterCategory, ReviewVerdict};
use crate::model::{ExtId, LongText, Name};

/// 四议一审, step 1 — 党支部提议: the village party organization proposes a major village
/// matter; by the village or an organization above it. JSON:
/// `{"id": "dm-1", "village": "v-1", "title": "…", "text": "…", "category": "land"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposeMatter {
    /// The matter's identifier (unused among matters).
    pub id: ExtId,
    /// The village organization (kind `village`) deciding it.
    pub village: ExtId,
    /// Its title (1 to 120 bytes).
    pub title: Name,
    /// The proposal in words (1 to 2000 bytes).
    pub text: LongText,
    /// What it is about, if the host says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<MatterCategory>,
}

/// Step 2 — 两委会商议: the two committees' vote; by the village or above. Passes with more
/// than `rules.deliberation.committees_approval_above` of `total`; a failed vote ends the
/// matter. JSON: `{"matter": "dm-1", "for": 5, "against": 1, "total": 7}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscussMatter {
    /// The matter.
    pub matter: ExtId,
    /// Members of the two committees voting for (with `against`, at most `total`).
    #[serde(rename = "for")]
    pub votes_for: u32,
    /// Members voting against.
    pub against: u32,
    /// Members of the two committees, 1 to 100.
    pub total: u32,
}

/// Step 3 — 党员大会审议: the members' meeting; by the village or above. Refused without
/// a quorum (`attending` at least `rules.deliberation.members_attendance_min` of
/// `expected`); passes with more than `members_approval_above` of `expected` voting for;
/// a failed vote ends the matter. JSON:
/// `{"matter": "dm-1", "expected": 45, "attending": 38, "for": 30}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliberateMatter {
    /// The matter.
    pub matter: ExtId,
    /// Members expected to attend (应到), 1 to 100,000.
    pub expected: u32,
    /// Members attending (实到), at most `expected`.
    pub attending: u32,
    /// Members voting for, at most `attending`.
    #[serde(rename = "for")]
    pub votes_for: u32,
}

/// Step 4 — 一审: the review; by the village's township-level committee or an
/// organization above it (not the village). A veto ends the matter. Before or after the
/// resolution, as `rules.deliberation.review_before_resolution` says. JSON:
/// `{"matter": "dm-1", "decision": "approve"}` or
/// `{"matter": "dm-1", "decision": {"veto": {"reasons": "…"}}}` (reasons 1 to 2000 bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewMatter {
    /// The matter.
    pub matter: ExtId,
    /// Approve, or veto with reasons.
    pub decision: ReviewVerdict,
}

/// Step 5 — 村民(代表)会议决议: the villagers' (representatives') meeting; by the village
/// or above. Passes with more than `rules.deliberation.villagers_approval_above` of those
/// attending; a failed vote ends the matter. JSON:
/// `{"matter": "dm-1", "attending": 52, "for": 40}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveMatter {
    /// The matter.
    pub matter: ExtId,
    /// Villagers or representatives attending, 1 to 100,000.
    pub attending: u32,
    /// Those voting for, at most `attending`.
    #[serde(rename = "for")]
    pub votes_for: u32,
}

/// 决议公开: publish a resolved matter's resolution; by the village or above. JSON:
/// `{"matter": "dm-1"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishResolution {
    /// The matter.
    pub matter: ExtId,
}

/// 实施结果公开: publish the result of a published resolution's implementation; by the
/// village or above. JSON: `{"matter": "dm-1", "result": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishResult {
    /// The matter.
    pub matter: ExtId,
    /// The result, as published (1 to 2000 bytes).
    pub result: LongText,
}
