//! The service actions' events: what a host sends, and what the journal records. Each is the
//! payload of one [`Event`](crate::ledger::Event) variant; its JSON is
//! `{"<event name>": {fields}}`.

use serde::{Deserialize, Serialize};

use super::{Code, MAX_OUTPUTS, Output, PartnerRef, TargetRef};
use crate::model::{Amount, Bounded, ExtId, LongText, Name};

/// 民生热线: a case received by the hotline, attributed to the organization that handles it;
/// by that organization or above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiveHotlineCase {
    /// The case's identifier (unused among hotline cases).
    pub id: ExtId,
    /// The organization it is attributed to.
    pub org: ExtId,
    /// What it is about: a code (1 to 32 bytes of `a`–`z`, `0`–`9`, `_`, starting with a
    /// letter).
    pub category: Code,
    /// The case in words (1 to 2000 bytes).
    pub text: LongText,
}

/// Resolve a hotline case (解决), once, not before the day it was received; by the case's
/// organization or above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveHotlineCase {
    /// The case.
    pub case: ExtId,
    /// The outcome (1 to 2000 bytes).
    pub outcome: LongText,
}

/// Reply to a hotline case's caller (回复), once, not before the day it was received; by the
/// case's organization or above. A case may be replied to before it is resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyHotlineCase {
    /// The case.
    pub case: ExtId,
    /// The reply (1 to 2000 bytes), if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<LongText>,
}

/// 捐款: a member's donation, counted under the member's organization on the command's date;
/// by that organization or above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordDonation {
    /// The donation's identifier (unused among donations).
    pub id: ExtId,
    /// The donor, posted on the day.
    pub member: ExtId,
    /// The amount in yuan, as a decimal string (`"200"`, `"50.5"`): more than 0, at most
    /// 10,000,000, whole fen.
    pub amount_yuan: Amount,
    /// The drive it was given to, if named (1 to 120 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drive: Option<Name>,
}

/// 党员干部走进千家万户: a member's visit of the masses, counted under the member's
/// organization on the command's date; by that organization or above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordHomeVisit {
    /// The visit's identifier (unused among home visits).
    pub id: ExtId,
    /// The member visiting, posted on the day.
    pub cadre: ExtId,
    /// Problems solved, 0 to 1000.
    pub problems_solved: u32,
    /// Aid handed over in money and kind, in yuan as a decimal string; 0 to 1,000,000,
    /// whole fen (absent: none).
    #[serde(default, skip_serializing_if = "is_zero_amount")]
    pub aid_yuan: Amount,
}

/// 党员义工: found a volunteer team owned by an organization; by that organization or above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FoundVolunteerTeam {
    /// The team's identifier (unused among teams).
    pub id: ExtId,
    /// Its name.
    pub name: Name,
    /// The organization that owns it.
    pub org: ExtId,
}

/// A member joins a volunteer team; by the team's organization or above. The member, posted
/// on the day to the team's organization or one below it, is not in the team already, and
/// the team has fewer than 5000 members. Not before the team was founded, nor before the
/// member last left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinVolunteerTeam {
    /// The team.
    pub team: ExtId,
    /// The member.
    pub member: ExtId,
}

/// A member leaves a volunteer team, from the command's date on; by the team's organization
/// or above. Not before the member joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaveVolunteerTeam {
    /// The team.
    pub team: ExtId,
    /// The member.
    pub member: ExtId,
}

/// An activity of a volunteer team (义诊, 宣传, 清扫 …); by the team's organization or above,
/// not before the team was founded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordVolunteerActivity {
    /// The activity's identifier (unused among volunteer activities).
    pub id: ExtId,
    /// The team.
    pub team: ExtId,
    /// What kind of activity: a code.
    pub kind: Code,
    /// People served (人次), 0 to 1,000,000.
    pub people_served: u32,
    /// Other counted outputs (at most 8, each `what` once, each count 1 to 1,000,000):
    /// `[{"what": "leaflets", "count": 5400}]`.
    #[serde(default, skip_serializing_if = "<[Output]>::is_empty")]
    pub outputs: Bounded<Output, { MAX_OUTPUTS }>,
}

/// 联系点: link a leading cadre (leader level `city` or `section`) to an organization (not
/// the root) from the command's date on; by the leader's organization or above. Not linked
/// there already, nor before the leader was last unlinked from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkContactPoint {
    /// The leading cadre, posted on the day.
    pub leader: ExtId,
    /// The organization linked.
    pub org: ExtId,
}

/// Unlink a leading cadre's contact point from the command's date on; by the organization
/// the contact point counts under (the leader's when linked) or above. Not before it was
/// linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnlinkContactPoint {
    /// The leading cadre.
    pub leader: ExtId,
    /// The organization linked.
    pub org: ExtId,
}

/// 派驻指导员: assign a member as instructor to a unit or a village organization from the
/// command's date on; by the unit's area (or the village) or above. Not assigned there
/// already, nor before they were last unassigned from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignInstructor {
    /// The instructor, posted on the day.
    pub instructor: ExtId,
    /// Where: `{"unit": id}` (registered by the day) or `{"village": id}`.
    pub target: TargetRef,
}

/// End an instructor's assignment from the command's date on; by the unit's area (or the
/// village) or above. Not before it began.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnassignInstructor {
    /// The instructor.
    pub instructor: ExtId,
    /// Where: `{"unit": id}` or `{"village": id}`.
    pub target: TargetRef,
}

/// 结对共建 (双包双联): pair a partner with a village organization from the command's date on:
/// a city department's committee or an institution's organization (a school, a clinic), or a
/// party cadre posted on the day. By an organization at or above both the village and the
/// partner (a cadre's: their organization). Not paired with the village already, nor before
/// their last pairing with it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairVillage {
    /// The partner: `{"org": id}` or `{"member": id}`.
    pub partner: PartnerRef,
    /// The village organization.
    pub village: ExtId,
}

/// End a pairing from the command's date on; by an organization at or above both the village
/// and the organization the pairing counts under. Not before it began.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnpairVillage {
    /// The partner: `{"org": id}` or `{"member": id}`.
    pub partner: PartnerRef,
    /// The village organization.
    pub village: ExtId,
}

/// Any other activity of an organization (走进直播间, 惠民大篷车 …); by the organization or
/// above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordActivity {
    /// The activity's identifier (unused among other activities).
    pub id: ExtId,
    /// The organization that held it.
    pub org: ExtId,
    /// What kind of activity: a code.
    pub kind: Code,
    /// Its title (1 to 120 bytes).
    pub title: Name,
    /// Participants, 0 to 1,000,000.
    pub participants: u32,
    /// People served (人次), 0 to 1,000,000.
    pub people_served: u32,
}

fn is_zero_amount(a: &Amount) -> bool {
    a.is_zero()
}
