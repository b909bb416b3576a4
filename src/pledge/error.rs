//! The pledge domain's refusals, codes `3016`–`3021`, `3023`, `3028` and `3029`; the refusals
//! it shares with every domain (unknown ids, authority, order, one record per period) are the
//! org seam's ([`OrgError`]).

use crate::error::Coded;
use crate::org::OrgError;

/// A command was refused by a rule of public pledges. The campaign's state is exactly as it was
/// before the command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PledgeError {
    /// A refusal the org seam gives (its own codes, 3002–3015 and 3022, or the model's).
    #[error(transparent)]
    Org(#[from] OrgError),
    /// The pledge is not in a status that allows this step (3016).
    #[error("field event.pledge: pledge {pledge:?} is {status}, so it cannot be {action}")]
    PledgeStatus {
        /// The pledge.
        pledge: String,
        /// Its status.
        status: &'static str,
        /// What was asked, in English (`submitted`, `reviewed`, …).
        action: &'static str,
    },
    /// A member may not review their own pledge (3017).
    #[error("field actor.by: member {member:?} may not review their own pledge")]
    SelfReview {
        /// The member.
        member: String,
    },
    /// The tree has no organization as far above the owner as the rules' review levels ask
    /// (3018).
    #[error(
        "field event.pledge: pledge {pledge:?} has no reviewer {levels} level(s) above its owner"
    )]
    NoReviewer {
        /// The pledge.
        pledge: String,
        /// The levels asked (rules.pledge_review).
        levels: u32,
    },
    /// A deadline before the day of the step (3019).
    #[error("field {field}: the deadline {deadline} is before {date}")]
    Deadline {
        /// The field.
        field: &'static str,
        /// The deadline.
        deadline: String,
        /// The command's date.
        date: String,
    },
    /// A carrier was given for an organization's pledge; carriers are members' (3020).
    #[error("field event.carrier: only a member's pledge has a carrier")]
    CarrierNotApplicable,
    /// A pledge is declared fulfilled before every target is met (3021).
    #[error(
        "field event.pledge: target {target} ({metric}) of pledge {pledge:?} is not met: {why}"
    )]
    TargetNotMet {
        /// The pledge.
        pledge: String,
        /// The target's position.
        target: usize,
        /// What it measures.
        metric: String,
        /// Why, in English.
        why: String,
    },
    /// The standing given for an urge is not the one computed, or the pledge is not assessed
    /// for that quarter (3023).
    #[error("field event.standing: {why}")]
    Assessment {
        /// Why, in English.
        why: String,
    },
    /// A pledge would be drafted with no reviewer above its owner, so it could never be
    /// reviewed (3028): 分级审核 means the superior level reviews, and the root has none.
    #[error(
        "field event.owner: no organization {levels} level(s) above organization {org:?}{} reviews pledges (rules.pledge_review; 分级审核: the superior level reviews), so the pledge could never be reviewed and is not drafted",
        member.as_ref().map_or(String::new(), |m| format!(" (member {m:?}'s organization)"))
    )]
    Unreviewable {
        /// The owning organization, or the owning member's organization that day.
        org: String,
        /// The owning member, for a member's pledge.
        member: Option<String>,
        /// The levels the rules ask (rules.pledge_review).
        levels: u32,
    },
    /// A member of a category with no usual carrier (`other`) drafted a pledge without naming
    /// one (3029): every member's pledge counts under one of the four carriers.
    #[error(
        "field event.carrier: member {member:?} is of category {category}, which has no usual carrier; name one of set_post_duty, dual_post, building_duty, vanguard_post"
    )]
    CarrierRequired {
        /// The owning member.
        member: String,
        /// The member's category (`other`).
        category: &'static str,
    },
}

impl From<crate::model::ModelError> for PledgeError {
    fn from(e: crate::model::ModelError) -> PledgeError {
        PledgeError::Org(OrgError::Invalid(e))
    }
}

impl Coded for PledgeError {
    fn code(&self) -> u32 {
        match self {
            PledgeError::Org(e) => e.code(),
            PledgeError::PledgeStatus { .. } => 3016,
            PledgeError::SelfReview { .. } => 3017,
            PledgeError::NoReviewer { .. } => 3018,
            PledgeError::Deadline { .. } => 3019,
            PledgeError::CarrierNotApplicable => 3020,
            PledgeError::TargetNotMet { .. } => 3021,
            PledgeError::Assessment { .. } => 3023,
            PledgeError::Unreviewable { .. } => 3028,
            PledgeError::CarrierRequired { .. } => 3029,
        }
    }

    fn message_zh(&self) -> String {
        match self {
            PledgeError::Org(e) => e.message_zh(),
            PledgeError::PledgeStatus {
                pledge,
                status,
                action,
            } => {
                format!("字段 event.pledge：承诺 {pledge:?} 当前状态为 {status}，不能执行 {action}")
            }
            PledgeError::SelfReview { member } => {
                format!("字段 actor.by：党员 {member:?} 不能审核本人的承诺")
            }
            PledgeError::NoReviewer { pledge, levels } => {
                format!("字段 event.pledge：承诺 {pledge:?} 的承诺人之上没有第 {levels} 级审核组织")
            }
            PledgeError::Deadline {
                field,
                deadline,
                date,
            } => format!("字段 {field}：承诺期限 {deadline} 早于 {date}"),
            PledgeError::CarrierNotApplicable => {
                "字段 event.carrier：只有党员的承诺才有践诺载体".into()
            }
            PledgeError::TargetNotMet {
                pledge,
                target,
                metric,
                ..
            } => format!(
                "字段 event.pledge：承诺 {pledge:?} 的第 {target} 项目标 {metric:?} 尚未达成"
            ),
            PledgeError::Assessment { why } => {
                // `why` is English, in the English half; the Chinese half says it in words.
                let _ = why;
                "字段 event.standing：与本库的季度考核结果不符，或该季度不予考核".to_string()
            }
            PledgeError::Unreviewable {
                org,
                member,
                levels,
            } => {
                let whose = member
                    .as_ref()
                    .map_or(String::new(), |m| format!("（党员 {m:?} 所在党组织）"));
                format!(
                    "字段 event.owner：党组织 {org:?}{whose}之上没有第 {levels} 级党组织审核承诺（分级审核由上级审核），承诺将无人审核，不能定诺"
                )
            }
            PledgeError::CarrierRequired { member, .. } => format!(
                "字段 event.carrier：党员 {member:?} 属于其他党员，没有默认的践诺载体；请指明设岗定责、双岗双责、责任进楼院或先锋岗之一"
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            PledgeError::Org(e) => e.message_en(),
            other => other.to_string(),
        }
    }
}
