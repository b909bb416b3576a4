//! The service actions' refusals, codes `3060`–`3067`; the refusals they share with every
//! domain (unknown ids, duplicates, authority, order, capacity) are the org seam's
//! ([`OrgError`]).

use crate::error::Coded;
use crate::org::{OrgError, entity_zh};

/// A command was refused by a rule of the service actions, volunteer teams, contact points or
/// instructors. The campaign's state is exactly as it was before the command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ActivityError {
    /// A refusal the org seam gives (its own codes, 3002–3015, or the model's).
    #[error(transparent)]
    Org(#[from] OrgError),
    /// The hotline case has had this step already: resolved or replied to (3060).
    #[error("field event.case: hotline case {case:?} is {step} already; a step is taken once")]
    HotlineCaseState {
        /// The case.
        case: String,
        /// The step taken already: `resolved` or `replied`.
        step: &'static str,
    },
    /// The member named as a leading cadre has no leader level (3061).
    #[error("field event.leader: member {member:?} is not a leading cadre (leader_level none)")]
    NotLeadingCadre {
        /// The member.
        member: String,
    },
    /// The member's organization on the day is not the volunteer team's organization or below
    /// it (3062).
    #[error(
        "field event.member: member {member:?} belongs to {org:?}, outside the organization of team {team:?}"
    )]
    OutsideTeamOrg {
        /// The member.
        member: String,
        /// The member's organization on the day.
        org: String,
        /// The team.
        team: String,
    },
    /// The member is in the team already (joining), or not in it (leaving) (3063).
    #[error("field event.member: member {member:?} is {} team {team:?}", if *already { "already in" } else { "not in" })]
    TeamMembership {
        /// The member.
        member: String,
        /// The team.
        team: String,
        /// In the team already (joining), or not in it (leaving).
        already: bool,
    },
    /// The partner is paired with the village already (pairing), or not paired (unpairing)
    /// (3067).
    #[error("field event.village: {partner} {} paired with village {village:?}", if *already { "is already" } else { "is not" })]
    PairingState {
        /// The partner, as the command names it.
        partner: String,
        /// The village.
        village: String,
        /// Paired already (pairing), or not paired (unpairing).
        already: bool,
    },
    /// The leader is linked to the organization already (linking), or not linked (unlinking)
    /// (3064).
    #[error("field event.org: leader {leader:?} {} a contact point at {org:?}", if *already { "has already" } else { "has no" })]
    ContactPointState {
        /// The leader.
        leader: String,
        /// The organization.
        org: String,
        /// Linked already (linking), or not linked (unlinking).
        already: bool,
    },
    /// The member is assigned to the target already (assigning), or not assigned (unassigning)
    /// (3065).
    #[error("field event.target: member {instructor:?} is {} instructor of {target}", if *already { "already an" } else { "not an" })]
    InstructorState {
        /// The instructor.
        instructor: String,
        /// The target, as `unit "id"` or `village "id"`.
        target: String,
        /// Assigned already (assigning), or not assigned (unassigning).
        already: bool,
    },
    /// The volunteer team holds as many members as it can (3066).
    #[error("field event.team: team {team:?} already has {max} members, the most a team holds")]
    TeamFull {
        /// The team.
        team: String,
        /// The limit.
        max: u32,
    },
}

impl From<crate::model::ModelError> for ActivityError {
    fn from(e: crate::model::ModelError) -> ActivityError {
        ActivityError::Org(OrgError::Invalid(e))
    }
}

impl Coded for ActivityError {
    fn code(&self) -> u32 {
        match self {
            ActivityError::Org(e) => e.code(),
            ActivityError::HotlineCaseState { .. } => 3060,
            ActivityError::NotLeadingCadre { .. } => 3061,
            ActivityError::OutsideTeamOrg { .. } => 3062,
            ActivityError::TeamMembership { .. } => 3063,
            ActivityError::ContactPointState { .. } => 3064,
            ActivityError::InstructorState { .. } => 3065,
            ActivityError::TeamFull { .. } => 3066,
            ActivityError::PairingState { .. } => 3067,
        }
    }

    fn message_zh(&self) -> String {
        match self {
            ActivityError::Org(e) => e.message_zh(),
            ActivityError::HotlineCaseState { case, step } => {
                let what = if *step == "replied" {
                    "已回复"
                } else {
                    "已解决"
                };
                format!("字段 event.case：热线受理问题 {case:?} {what}，不能重复办理")
            }
            ActivityError::NotLeadingCadre { member } => {
                format!("字段 event.leader：党员 {member:?} 不是党员领导干部（领导职级为无）")
            }
            ActivityError::OutsideTeamOrg { member, org, team } => format!(
                "字段 event.member：党员 {member:?} 当日所在党组织 {org:?} 不在义工队伍 {team:?} 所属党组织之内"
            ),
            ActivityError::TeamMembership {
                member,
                team,
                already,
            } => {
                let what = if *already { "已在" } else { "不在" };
                format!("字段 event.member：党员 {member:?} {what}义工队伍 {team:?} 中")
            }
            ActivityError::ContactPointState {
                leader,
                org,
                already,
            } => {
                let what = if *already { "已在" } else { "未在" };
                format!("字段 event.org：领导干部 {leader:?} {what}党组织 {org:?} 建立联系点")
            }
            ActivityError::InstructorState {
                instructor,
                target,
                already,
            } => {
                let what = if *already {
                    "已派驻到"
                } else {
                    "未派驻到"
                };
                format!(
                    "字段 event.target：党员 {instructor:?} {what} {} 担任指导员",
                    entity_zh(target)
                )
            }
            ActivityError::PairingState {
                partner,
                village,
                already,
            } => {
                let what = if *already { "已与" } else { "未与" };
                format!("字段 event.village：{partner}{what}村党组织 {village:?} 结对共建")
            }
            ActivityError::TeamFull { team, max } => {
                format!("字段 event.team：义工队伍 {team:?} 已有 {max} 名成员，达到上限")
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            ActivityError::Org(e) => e.message_en(),
            other => other.to_string(),
        }
    }
}
