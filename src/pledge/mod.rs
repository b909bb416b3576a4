//! Public pledges (公开承诺): what a pledge is, and the states it goes through.
//!
//! A pledge is made by an organization or a member, as a work pledge (工作承诺) or a
//! practical-matter pledge (实事承诺), with a focus (central work, the owner's own situation,
//! the masses' wishes) and, for a member, the carrier it is fulfilled through (设岗定责,
//! 双岗双责, 责任进楼院, 先锋岗). Its content is a title, a text, a deadline and quantitative
//! targets, each an exact goal or a range ("2-3 品种").
//!
//! The lifecycle, as the ledger enforces it:
//!
//! ```text
//! 定诺 draft ──submit──▶ 审诺 submitted ──approve──▶ approved ──publish──▶ 公开 published
//!    ▲                        │
//!    └──── revise ◀── returned ◀── return (with reasons)
//! ```
//!
//! A returned pledge is revised and submitted again; every version of its content and every
//! review is kept. Only published pledges count as made. The reviewer is given by the tree and
//! the rules ([`crate::rules::PledgeReviewRules`]): by default a member's pledge is reviewed by
//! the member's organization, an organization's by its superior committee.
//!
//! ```
//! use chuangzheng::pledge::{Goal, PledgeContent, Target};
//! use chuangzheng::model::{MeasureUnit, Name};
//! use jiff::civil::date;
//!
//! // 草莓研究所党支部: 推广2-3个优质生物菌肥和10个优质草莓品种.
//! let content = PledgeContent::new(
//!     Name::new("title", "推广优质生物菌肥和草莓品种").unwrap(),
//!     "推广2-3个优质生物菌肥和10个优质草莓品种, 推动全市草莓产业发展",
//!     date(2010, 12, 31),
//!     vec![
//!         Target::new("菌肥", "个", Goal::range("goal", "2", "3").unwrap()).unwrap(),
//!         Target::new("草莓品种", "个", Goal::exact("goal", "10").unwrap()).unwrap(),
//!     ],
//! )
//! .unwrap();
//! assert_eq!(content.targets[0].goal.lower_bound().to_string(), "2");
//! ```

mod content;

pub(crate) use content::check_long_text;
pub use content::{Goal, MAX_TARGETS, MAX_TEXT_BYTES, PledgeContent, Target};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::model::{Dated, ExtId, History, MemberCategory, MemberIdx, OrgIdx};

/// The kind of a pledge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PledgeKind {
    /// 工作承诺: a pledge about the owner's work.
    Work,
    /// 实事承诺: a pledge to do a practical matter for the masses.
    PracticalMatter,
}

impl PledgeKind {
    /// Every kind, in report order.
    pub const ALL: [PledgeKind; 2] = [PledgeKind::Work, PledgeKind::PracticalMatter];

    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PledgeKind::Work => "work",
            PledgeKind::PracticalMatter => "practical_matter",
        }
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            PledgeKind::Work => "工作承诺",
            PledgeKind::PracticalMatter => "实事承诺",
        }
    }
}

/// What a pledge is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Focus {
    /// 围绕中心工作: the central work.
    CentralWork,
    /// 围绕自身实际: the owner's own situation.
    OwnSituation,
    /// 围绕群众愿望: the masses' wishes.
    MassesWishes,
}

impl Focus {
    /// Every focus, in report order.
    pub const ALL: [Focus; 3] = [Focus::CentralWork, Focus::OwnSituation, Focus::MassesWishes];

    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Focus::CentralWork => "central_work",
            Focus::OwnSituation => "own_situation",
            Focus::MassesWishes => "masses_wishes",
        }
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Focus::CentralWork => "围绕中心工作",
            Focus::OwnSituation => "围绕自身实际",
            Focus::MassesWishes => "围绕群众愿望",
        }
    }
}

/// The activity a member's pledge is fulfilled through (践诺载体).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// 设岗定责: posts and duties, for farmer members.
    SetPostDuty,
    /// 双岗双责: two posts, two duties, for organ members.
    DualPost,
    /// 责任进楼院: duties in the residential buildings, for community members.
    BuildingDuty,
    /// 先锋岗: vanguard posts, for enterprise members.
    VanguardPost,
}

impl Carrier {
    /// Every carrier, in report order.
    pub const ALL: [Carrier; 4] = [
        Carrier::SetPostDuty,
        Carrier::DualPost,
        Carrier::BuildingDuty,
        Carrier::VanguardPost,
    ];

    /// The carrier of a member of `category` unless the pledge says otherwise; other members
    /// have none.
    ///
    /// ```
    /// use chuangzheng::model::MemberCategory;
    /// use chuangzheng::pledge::Carrier;
    ///
    /// assert_eq!(Carrier::usual_for(MemberCategory::Farmer), Some(Carrier::SetPostDuty));
    /// assert_eq!(Carrier::usual_for(MemberCategory::Other), None);
    /// ```
    pub fn usual_for(category: MemberCategory) -> Option<Carrier> {
        match category {
            MemberCategory::Farmer => Some(Carrier::SetPostDuty),
            MemberCategory::Organ => Some(Carrier::DualPost),
            MemberCategory::Community => Some(Carrier::BuildingDuty),
            MemberCategory::Enterprise => Some(Carrier::VanguardPost),
            MemberCategory::Other => None,
        }
    }

    /// The stable snake_case name used in JSON and in the report's figure keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Carrier::SetPostDuty => "set_post_duty",
            Carrier::DualPost => "dual_post",
            Carrier::BuildingDuty => "building_duty",
            Carrier::VanguardPost => "vanguard_post",
        }
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Carrier::SetPostDuty => "设岗定责",
            Carrier::DualPost => "双岗双责",
            Carrier::BuildingDuty => "责任进楼院",
            Carrier::VanguardPost => "先锋岗",
        }
    }
}

/// Who makes a pledge, as a command names it: `{"org": "v-1"}` or `{"member": "m-7"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum OwnerRef {
    /// An organization.
    Org(ExtId),
    /// A member.
    Member(ExtId),
}

/// Dense index of a pledge inside one campaign's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PledgeIdx(pub u32);

/// Who made a pledge, resolved in the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// An organization.
    Org(OrgIdx),
    /// A member.
    Member(MemberIdx),
}

/// Where a pledge stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PledgeStatus {
    /// 定诺: being drafted; may be revised and submitted.
    Draft,
    /// 审诺: submitted to its reviewer.
    Submitted,
    /// Returned by the reviewer for revision (修改完善).
    Returned,
    /// Approved by the reviewer, not yet published.
    Approved,
    /// 公开: published; from now on it counts as made.
    Published,
}

impl PledgeStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [PledgeStatus; 5] = [
        PledgeStatus::Draft,
        PledgeStatus::Submitted,
        PledgeStatus::Returned,
        PledgeStatus::Approved,
        PledgeStatus::Published,
    ];

    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PledgeStatus::Draft => "draft",
            PledgeStatus::Submitted => "submitted",
            PledgeStatus::Returned => "returned",
            PledgeStatus::Approved => "approved",
            PledgeStatus::Published => "published",
        }
    }

    /// Whether the content may be revised: while drafted or returned.
    pub fn may_revise(self) -> bool {
        matches!(self, PledgeStatus::Draft | PledgeStatus::Returned)
    }
}

/// A status from a date on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The first day of this status.
    pub from: Date,
    /// The status.
    pub status: PledgeStatus,
}

impl Dated for StatusChange {
    fn from(&self) -> Date {
        self.from
    }
}

/// A reviewer's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ReviewDecision {
    /// Approved as it stands.
    Approve,
    /// Returned for revision, with the reasons (1 to 2000 bytes).
    Return {
        /// Why, for the owner to act on.
        reasons: String,
    },
}

/// One review of a pledge, kept forever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// The day of the review.
    pub on: Date,
    /// The reviewing organization.
    pub reviewer: OrgIdx,
    /// Which version of the content was reviewed (index into [`Pledge::versions`]).
    pub version: u32,
    /// The decision.
    pub decision: ReviewDecision,
}

/// A pledge as the state holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pledge {
    /// The host's identifier.
    pub id: ExtId,
    /// Who made it.
    pub owner: Owner,
    /// Work or practical matter.
    pub kind: PledgeKind,
    /// What it is about.
    pub focus: Focus,
    /// The carrier, for a member's pledge (none for an organization's).
    pub carrier: Option<Carrier>,
    /// Every version of the content, oldest first; the last is current.
    pub versions: Versions,
    /// Every review, oldest first.
    pub reviews: Vec<Review>,
    /// The status over time.
    pub status: History<StatusChange>,
}

/// The versions of a pledge's content: never empty, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<PledgeContent>", into = "Vec<PledgeContent>")]
pub struct Versions(Vec<PledgeContent>);

impl Versions {
    /// Versions that start with `first`.
    pub fn new(first: PledgeContent) -> Versions {
        Versions(vec![first])
    }

    /// The current (last) version.
    pub fn current(&self) -> &PledgeContent {
        // Never empty: built from one version, only appended to, checked when read.
        &self.0[self.0.len() - 1]
    }

    pub(crate) fn push(&mut self, content: PledgeContent) {
        self.0.push(content);
    }
}

impl std::ops::Deref for Versions {
    type Target = [PledgeContent];
    fn deref(&self) -> &[PledgeContent] {
        &self.0
    }
}

impl TryFrom<Vec<PledgeContent>> for Versions {
    type Error = &'static str;
    fn try_from(v: Vec<PledgeContent>) -> Result<Versions, &'static str> {
        if v.is_empty() {
            Err("a pledge has at least one version of its content")
        } else {
            Ok(Versions(v))
        }
    }
}

impl From<Versions> for Vec<PledgeContent> {
    fn from(v: Versions) -> Vec<PledgeContent> {
        v.0
    }
}

impl Pledge {
    /// The current content.
    pub fn content(&self) -> &PledgeContent {
        self.versions.current()
    }

    /// The status on `date` (`None` before it was drafted).
    pub fn status_on(&self, date: Date) -> Option<PledgeStatus> {
        self.status.on(date).map(|s| s.status)
    }

    /// The day it was published, if it has been.
    pub fn published_on(&self) -> Option<Date> {
        self.status
            .iter()
            .find(|s| s.status == PledgeStatus::Published)
            .map(|s| s.from)
    }

    /// Whether it was returned for revision on or before `date`.
    pub fn returned_by(&self, date: Date) -> bool {
        self.reviews
            .iter()
            .any(|r| r.on <= date && matches!(r.decision, ReviewDecision::Return { .. }))
    }
}
