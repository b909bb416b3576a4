//! The org domain's refusals, which every other domain's checks also give through the seam: an
//! identifier unknown or already taken, no authority in the tree, a date out of order, a change
//! that changes nothing, a list at its capacity; and the tree's own rules (kinds, cycles, one
//! secretary, coverage). Codes `3002`–`3015`, and `3022` (one record per period, shared by the
//! pledge and evaluation domains).

use std::fmt;

use crate::error::Coded;
use crate::model::{ModelError, OrgKind, UnitKind};

/// What kind of entity an identifier names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    /// An organization.
    Org,
    /// A member.
    Member,
    /// A unit.
    Unit,
    /// A pledge.
    Pledge,
    /// A poor household.
    Household,
    /// A villager's concern.
    Concern,
    /// A major village matter (四议一审).
    Matter,
    /// A hotline case.
    HotlineCase,
    /// A donation.
    Donation,
    /// A home visit.
    HomeVisit,
    /// A volunteer team.
    VolunteerTeam,
    /// A volunteer activity.
    VolunteerActivity,
    /// An other activity.
    Activity,
    /// A contact point.
    ContactPoint,
    /// An instructor's assignment.
    InstructorAssignment,
    /// A pairing of a partner with a village (结对共建).
    Pairing,
}

impl EntityKind {
    pub(crate) fn en(self) -> &'static str {
        match self {
            EntityKind::Org => "organization",
            EntityKind::Member => "member",
            EntityKind::Unit => "unit",
            EntityKind::Pledge => "pledge",
            EntityKind::Household => "household",
            EntityKind::Concern => "concern",
            EntityKind::Matter => "matter",
            EntityKind::HotlineCase => "hotline case",
            EntityKind::Donation => "donation",
            EntityKind::HomeVisit => "home visit",
            EntityKind::VolunteerTeam => "volunteer team",
            EntityKind::VolunteerActivity => "volunteer activity",
            EntityKind::Activity => "activity",
            EntityKind::ContactPoint => "contact point",
            EntityKind::InstructorAssignment => "instructor assignment",
            EntityKind::Pairing => "pairing",
        }
    }
    pub(crate) fn zh(self) -> &'static str {
        match self {
            EntityKind::Org => "党组织",
            EntityKind::Member => "党员",
            EntityKind::Unit => "单位",
            EntityKind::Pledge => "承诺",
            EntityKind::Household => "困难户",
            EntityKind::Concern => "群众反映问题",
            EntityKind::Matter => "村级重大事项",
            EntityKind::HotlineCase => "热线受理问题",
            EntityKind::Donation => "捐款记录",
            EntityKind::HomeVisit => "走访记录",
            EntityKind::VolunteerTeam => "党员义工队伍",
            EntityKind::VolunteerActivity => "义工活动",
            EntityKind::Activity => "活动记录",
            EntityKind::ContactPoint => "联系点",
            EntityKind::InstructorAssignment => "指导员派驻",
            EntityKind::Pairing => "结对共建",
        }
    }
}

/// A command was refused by a rule of the organization tree, or by one every domain shares. The
/// campaign's state is exactly as it was before the command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OrgError {
    /// A value in the command was refused (the model's code).
    #[error(transparent)]
    Invalid(#[from] ModelError),
    /// An identifier names no entity of its kind (3002).
    #[error("field {field}: no {} with id {id:?}", kind.en())]
    Unknown {
        /// The field holding the identifier.
        field: &'static str,
        /// The kind of entity looked for.
        kind: EntityKind,
        /// The identifier.
        id: String,
    },
    /// An identifier is already taken within its kind (3003).
    #[error("field {field}: a {} with id {id:?} already exists", kind.en())]
    Duplicate {
        /// The field holding the identifier.
        field: &'static str,
        /// The kind of entity.
        kind: EntityKind,
        /// The identifier.
        id: String,
    },
    /// The actor has no authority over the command's target (3004).
    #[error("field actor: {actor} has no authority over {target}: {why}")]
    NotAuthorized {
        /// The actor, as given.
        actor: String,
        /// The target, as `kind id`.
        target: String,
        /// Why, in English.
        why: &'static str,
    },
    /// The member named as acting for an organization holds no cadre's role in it (3005).
    #[error("field actor.by: member {member:?} is not a secretary or committee member of {org:?}")]
    NotCadre {
        /// The member.
        member: String,
        /// The organization.
        org: String,
    },
    /// The first command of a campaign must create its root, and only once (3006).
    #[error("field event: {why}")]
    Root {
        /// Why, in English.
        why: &'static str,
    },
    /// An organization of this kind may not sit under one of that kind (3007).
    #[error("field {field}: a {child} may not sit under a {parent}")]
    ParentKind {
        /// The field naming the parent.
        field: &'static str,
        /// The kind of the organization placed.
        child: OrgKind,
        /// The kind of the parent.
        parent: OrgKind,
    },
    /// The move would make an organization its own ancestor (3008).
    #[error("field parent: moving {org:?} under {parent:?} would make a cycle")]
    Cycle {
        /// The organization moved.
        org: String,
        /// The new parent.
        parent: String,
    },
    /// The organization already has a secretary (3009).
    #[error("field role: organization {org:?} already has secretary {secretary:?}")]
    SecretaryTaken {
        /// The organization.
        org: String,
        /// Its current secretary.
        secretary: String,
    },
    /// Members belong to grassroots organizations only; units are counted under a
    /// township-level committee or a city department (3010).
    #[error("field {field}: organization {org:?} is a {kind}, which {why}")]
    WrongOrgKind {
        /// The field naming the organization.
        field: &'static str,
        /// The organization.
        org: String,
        /// Its kind.
        kind: OrgKind,
        /// What was needed, in English.
        why: &'static str,
    },
    /// The covering organization's kind does not match the unit's kind (3011).
    #[error("field org: a {unit_kind} unit is covered by a {expected} organization, not a {found}", unit_kind = unit_kind.as_str())]
    CoverageKind {
        /// The unit's kind.
        unit_kind: UnitKind,
        /// The kind needed.
        expected: OrgKind,
        /// The kind given.
        found: OrgKind,
    },
    /// The organization already covers as many units as the rules allow (3012).
    #[error("field org: organization {org:?} already covers {max} units, the most the rules allow")]
    CoverageFull {
        /// The organization.
        org: String,
        /// The limit (rules.coverage.max_units_per_org).
        max: u32,
    },
    /// The command's date is before the latest dated fact it would follow (3013).
    #[error("field at: {at} is before the latest recorded change of {field} on {latest}")]
    OutOfOrder {
        /// What history it would join.
        field: &'static str,
        /// The command's date.
        at: String,
        /// The latest recorded date.
        latest: String,
    },
    /// The command would change nothing (3014).
    #[error("field {field}: the value is already {value}; nothing to change")]
    NoChange {
        /// The field.
        field: &'static str,
        /// The current value.
        value: String,
    },
    /// A second record for a period (a month's progress report, a year's pledge evaluation, a
    /// round's member evaluation) without `correction`, or a correction with nothing to
    /// correct (3022). A refusal several domains share, so it is the seam's (its
    /// `one_per_period`).
    #[error("field event.correction: {why}")]
    Correction {
        /// Why, in English.
        why: String,
    },
    /// The campaign holds as many entities of a kind as it can (3015).
    #[error("field event: the campaign already holds the most {}s it can ({max})", kind.en())]
    Capacity {
        /// The kind of entity.
        kind: EntityKind,
        /// The limit.
        max: u32,
    },
}

impl Coded for OrgError {
    fn code(&self) -> u32 {
        match self {
            OrgError::Invalid(e) => e.code(),
            OrgError::Unknown { .. } => 3002,
            OrgError::Duplicate { .. } => 3003,
            OrgError::NotAuthorized { .. } => 3004,
            OrgError::NotCadre { .. } => 3005,
            OrgError::Root { .. } => 3006,
            OrgError::ParentKind { .. } => 3007,
            OrgError::Cycle { .. } => 3008,
            OrgError::SecretaryTaken { .. } => 3009,
            OrgError::WrongOrgKind { .. } => 3010,
            OrgError::CoverageKind { .. } => 3011,
            OrgError::CoverageFull { .. } => 3012,
            OrgError::OutOfOrder { .. } => 3013,
            OrgError::NoChange { .. } => 3014,
            OrgError::Capacity { .. } => 3015,
            OrgError::Correction { .. } => 3022,
        }
    }

    fn message_zh(&self) -> String {
        match self {
            OrgError::Invalid(e) => e.message_zh(),
            OrgError::Unknown { field, kind, id } => {
                format!("字段 {field}：不存在标识为 {id:?} 的{}", kind.zh())
            }
            OrgError::Duplicate { field, kind, id } => {
                format!("字段 {field}：标识为 {id:?} 的{}已存在", kind.zh())
            }
            OrgError::NotAuthorized { actor, target, .. } => {
                format!(
                    "字段 actor：{} 无权操作 {}（只能操作本组织及下级组织，党员只能操作本人记录）",
                    entity_zh(actor),
                    entity_zh(target)
                )
            }
            OrgError::NotCadre { member, org } => {
                format!("字段 actor.by：党员 {member:?} 不是党组织 {org:?} 的书记或支委")
            }
            OrgError::Root { .. } => {
                "字段 event：活动的第一条命令必须由市委自身创建根组织，且只能有一个根组织".into()
            }
            OrgError::ParentKind {
                field,
                child,
                parent,
            } => format!(
                "字段 {field}：{} 不能隶属于 {}",
                child.label_zh(),
                parent.label_zh()
            ),
            OrgError::Cycle { org, parent } => {
                format!("字段 parent：将 {org:?} 移到 {parent:?} 之下会形成循环")
            }
            OrgError::SecretaryTaken { org, secretary } => {
                format!("字段 role：党组织 {org:?} 已有书记 {secretary:?}")
            }
            OrgError::WrongOrgKind {
                field, org, kind, ..
            } => format!(
                "字段 {field}：党组织 {org:?} 是{}，不符合要求（党员只能属于基层党组织；单位只能归属乡镇级党委或市直部门）",
                kind.label_zh()
            ),
            OrgError::CoverageKind {
                unit_kind,
                expected,
                found,
            } => format!(
                "字段 org：{}应由{}覆盖，而不是{}",
                unit_kind.label_zh(),
                expected.label_zh(),
                found.label_zh()
            ),
            OrgError::CoverageFull { org, max } => {
                format!("字段 org：党组织 {org:?} 已覆盖 {max} 个单位，达到规则上限")
            }
            OrgError::OutOfOrder { field, at, latest } => {
                format!("字段 at：日期 {at} 早于 {field} 最近一次变更的日期 {latest}")
            }
            OrgError::NoChange { field, value } => {
                format!("字段 {field}：当前已是 {value}，无需变更")
            }
            OrgError::Capacity { kind, max } => {
                format!("字段 event：{}数量已达上限 {max}", kind.zh())
            }
            OrgError::Correction { .. } => {
                "字段 event.correction：同一月份只能有一份月报；再次报送须标明为更正，且须有可更正的月报"
                    .into()
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            OrgError::Invalid(e) => e.message_en(),
            other => other.to_string(),
        }
    }
}

/// An actor or a target as the checks write them in English (`organization "t-1" (by
/// member "m-1")`, `unit "u-1"`, `this pledge`), in Chinese; the ids stay as given.
pub(crate) fn entity_zh(text: &str) -> String {
    crate::json_error::map_unquoted(text, |plain| {
        plain
            .replace(" (by member ", "（由党员 ")
            .replace(')', " 代为）")
            .replace("organization ", "党组织 ")
            .replace("member ", "党员 ")
            .replace("unit ", "单位 ")
            .replace("village ", "村 ")
            .replace("this pledge", "该承诺")
    })
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.en())
    }
}
