//! The 123 work method's refusals, codes `3024`–`3026`; the refusals it shares with every
//! domain (unknown ids, authority, order) are the org seam's ([`OrgError`]).

use crate::error::Coded;
use crate::org::OrgError;

/// A command was refused by a rule of the 123 work method. The campaign's state is exactly as
/// it was before the command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Method123Error {
    /// A refusal the org seam gives (its own codes, 3002–3015, or the model's).
    #[error(transparent)]
    Org(#[from] OrgError),
    /// A member named as a village cadre is not a secretary or committee member of that village
    /// on the day (3024).
    #[error(
        "field {field}: member {member:?} is not a secretary or committee member of {village:?} on that day"
    )]
    NotVillageCadre {
        /// The field naming the member.
        field: &'static str,
        /// The member.
        member: String,
        /// The village.
        village: String,
    },
    /// The household is not on the register of that village on the day (3025).
    #[error(
        "field event.household: household {household:?} is not on the register of {village:?} on that day"
    )]
    NotRegistered {
        /// The household.
        household: String,
        /// The village whose register was looked at.
        village: String,
    },
    /// The concern is not in a state that allows this step: resolved already, escalated out of
    /// order or before its deadline (3026).
    #[error("field event.concern: concern {concern:?}: {why}")]
    ConcernState {
        /// The concern.
        concern: String,
        /// Why, in English.
        why: String,
    },
}

impl From<crate::model::ModelError> for Method123Error {
    fn from(e: crate::model::ModelError) -> Method123Error {
        Method123Error::Org(OrgError::Invalid(e))
    }
}

impl Coded for Method123Error {
    fn code(&self) -> u32 {
        match self {
            Method123Error::Org(e) => e.code(),
            Method123Error::NotVillageCadre { .. } => 3024,
            Method123Error::NotRegistered { .. } => 3025,
            Method123Error::ConcernState { .. } => 3026,
        }
    }

    fn message_zh(&self) -> String {
        match self {
            Method123Error::Org(e) => e.message_zh(),
            Method123Error::NotVillageCadre {
                field,
                member,
                village,
            } => format!("字段 {field}：党员 {member:?} 当日不是 {village:?} 的书记或支委"),
            Method123Error::NotRegistered { household, village } => {
                format!(
                    "字段 event.household：困难户 {household:?} 当日不在 {village:?} 的登记册上"
                )
            }
            Method123Error::ConcernState { concern, why } => {
                format!(
                    "字段 event.concern：群众反映问题 {concern:?} 当前不能执行此步骤，{}",
                    concern_why_zh(why)
                )
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            Method123Error::Org(e) => e.message_en(),
            other => other.to_string(),
        }
    }
}

/// A concern's refusal (`why`, English, written in `check`) in Chinese.
fn concern_why_zh(why: &str) -> String {
    let tier = |t: &str| match t.trim() {
        "village" => "村级接办",
        "township" => "乡镇联办",
        "party_committee" => "党委督办",
        _ => "无",
    };
    if why.starts_with("it is resolved") {
        return "该问题已解决".into();
    }
    if let Some(rest) = why.strip_prefix("it is at the ")
        && let Some((now, next)) = rest.split_once(" tier; the next is ")
    {
        return format!("当前处于{}，只能升级到{}", tier(now), tier(next));
    }
    if let Some(rest) = why.strip_prefix("escalation to ")
        && let Some((to, due)) = rest.split_once(" is due on ")
    {
        let due = due.trim_end_matches(", not before");
        return format!("升级到{}须在 {due} 或之后", tier(to));
    }
    "原因见英文说明".into()
}
