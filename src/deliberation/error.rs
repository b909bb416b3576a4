//! Village decisions' refusals, codes `3040`–`3047`; the refusals it shares with every domain
//! (unknown ids, duplicates, capacity, order) are the org seam's ([`OrgError`]).

use super::{Status, Step};
use crate::error::Coded;
use crate::model::OrgKind;
use crate::org::{OrgError, entity_zh};

/// A command was refused by a rule of village decisions (四议一审). The campaign's state is
/// exactly as it was before the command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeliberationError {
    /// A refusal the org seam gives (its own codes, 3002–3015, or the model's).
    #[error(transparent)]
    Org(#[from] OrgError),
    /// A village matter's step is not the next one the rules' order allows (3040).
    #[error(
        "field event: matter {matter:?} cannot have its {} yet; its next step is the {}",
        step.as_str(), next.as_str()
    )]
    StepOutOfOrder {
        /// The matter.
        matter: String,
        /// The step asked for.
        step: Step,
        /// The step that must come first.
        next: Step,
    },
    /// A village matter's step was already taken (3041).
    #[error("field event: matter {matter:?} already had its {} on {on}", step.as_str())]
    StepRepeated {
        /// The matter.
        matter: String,
        /// The step asked for.
        step: Step,
        /// The day it was taken.
        on: String,
    },
    /// A village matter is closed: rejected, vetoed, or resolved and published (3042).
    #[error(
        "field event.matter: matter {matter:?} is closed ({}), so it cannot have a {}",
        status.as_str(), step.as_str()
    )]
    MatterClosed {
        /// The matter.
        matter: String,
        /// Its status.
        status: Status,
        /// The step asked for.
        step: Step,
    },
    /// A village matter's step is dated before the step it follows (3043).
    #[error(
        "field at: the {} of matter {matter:?} on {at} is before its {} on {previous}",
        step.as_str(), previous_step.as_str()
    )]
    StepBeforePrevious {
        /// The matter.
        matter: String,
        /// The step asked for.
        step: Step,
        /// The command's date.
        at: String,
        /// The step it follows.
        previous_step: Step,
        /// That step's date.
        previous: String,
    },
    /// A village matter's step comes sooner after the previous one than the rules allow
    /// (rules.deliberation.min_days_between_steps) (3044).
    #[error(
        "field at: the {} of matter {matter:?} on {at} comes less than {min_days} days after its {}; the earliest day is {earliest}",
        step.as_str(), previous_step.as_str()
    )]
    StepTooSoon {
        /// The matter.
        matter: String,
        /// The step asked for.
        step: Step,
        /// The command's date.
        at: String,
        /// The step it follows.
        previous_step: Step,
        /// The rule's days.
        min_days: u32,
        /// The earliest day allowed.
        earliest: String,
    },
    /// Village matters are decided by village organizations only (3045).
    #[error(
        "field {field}: organization {org:?} is of kind {kind}, not a village organization, which decides village matters"
    )]
    NotVillage {
        /// The field naming the organization.
        field: &'static str,
        /// The organization.
        org: String,
        /// Its kind.
        kind: OrgKind,
    },
    /// The actor may not take this step of a village matter (3046): the village (or an
    /// organization above it) takes its own steps; the village's township-level committee (or
    /// an organization above it) reviews.
    #[error(
        "field actor: {actor} may not take the {} of a matter of {village:?}: only {}",
        step.as_str(),
        if step.by_township() {
            format!("the village's township-level committee {target:?} or an organization above it may")
        } else {
            format!("the village organization {target:?} or an organization above it may")
        }
    )]
    StepActor {
        /// The actor, as given.
        actor: String,
        /// The step asked for.
        step: Step,
        /// The matter's village.
        village: String,
        /// The organization the actor must be at or above.
        target: String,
    },
    /// The members' meeting lacks its quorum (rules.deliberation.members_attendance_min)
    /// (3047).
    #[error(
        "field event.attending: {attending} of {expected} members attending is below the quorum of {required}; the meeting cannot deliberate"
    )]
    NoQuorum {
        /// Members attending.
        attending: u32,
        /// Members expected.
        expected: u32,
        /// The least attendance that holds the meeting.
        required: u64,
    },
}

impl From<crate::model::ModelError> for DeliberationError {
    fn from(e: crate::model::ModelError) -> DeliberationError {
        DeliberationError::Org(OrgError::Invalid(e))
    }
}

impl Coded for DeliberationError {
    fn code(&self) -> u32 {
        match self {
            DeliberationError::Org(e) => e.code(),
            DeliberationError::StepOutOfOrder { .. } => 3040,
            DeliberationError::StepRepeated { .. } => 3041,
            DeliberationError::MatterClosed { .. } => 3042,
            DeliberationError::StepBeforePrevious { .. } => 3043,
            DeliberationError::StepTooSoon { .. } => 3044,
            DeliberationError::NotVillage { .. } => 3045,
            DeliberationError::StepActor { .. } => 3046,
            DeliberationError::NoQuorum { .. } => 3047,
        }
    }

    fn message_zh(&self) -> String {
        match self {
            DeliberationError::Org(e) => e.message_zh(),
            DeliberationError::StepOutOfOrder { matter, step, next } => format!(
                "字段 event：村级重大事项 {matter:?} 尚不能进行{}，下一步应为{}",
                step.label_zh(),
                next.label_zh()
            ),
            DeliberationError::StepRepeated { matter, step, on } => format!(
                "字段 event：村级重大事项 {matter:?} 已于 {on} 进行过{}，不能重复",
                step.label_zh()
            ),
            DeliberationError::MatterClosed {
                matter,
                status,
                step,
            } => format!(
                "字段 event.matter：村级重大事项 {matter:?} 已办结（{}），不能再进行{}",
                status.label_zh(),
                step.label_zh()
            ),
            DeliberationError::StepBeforePrevious {
                matter,
                step,
                at,
                previous_step,
                previous,
            } => format!(
                "字段 at：村级重大事项 {matter:?} 的{}日期 {at} 早于其{}日期 {previous}",
                step.label_zh(),
                previous_step.label_zh()
            ),
            DeliberationError::StepTooSoon {
                matter,
                step,
                at,
                previous_step,
                min_days,
                earliest,
            } => format!(
                "字段 at：村级重大事项 {matter:?} 的{}日期 {at} 距{}不足 {min_days} 天，最早应为 {earliest}",
                step.label_zh(),
                previous_step.label_zh()
            ),
            DeliberationError::NotVillage { field, org, kind } => format!(
                "字段 {field}：党组织 {org:?} 是{}，不是村党组织，不能决策村级重大事项",
                kind.label_zh()
            ),
            DeliberationError::StepActor {
                actor,
                step,
                village,
                target,
            } => format!(
                "字段 actor：{} 无权对 {village:?} 的村级重大事项进行{}，只有{} {target:?} 或其上级组织可以",
                entity_zh(actor),
                step.label_zh(),
                who_takes_zh(*step)
            ),
            DeliberationError::NoQuorum {
                attending,
                expected,
                required,
            } => format!(
                "字段 event.attending：应到党员 {expected} 名，实到 {attending} 名，不足法定人数 {required} 名，党员大会不能审议"
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            DeliberationError::Org(e) => e.message_en(),
            other => other.to_string(),
        }
    }
}

/// Who may take `step` of a village matter, in Chinese (with the organization above it).
fn who_takes_zh(step: Step) -> &'static str {
    if step.by_township() {
        "该村所属乡镇（街道、农场）党委"
    } else {
        "该村党组织"
    }
}
