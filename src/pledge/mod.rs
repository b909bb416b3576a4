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
//!    ▲                        │                             │
//!    └──── revise ◀── returned ◀── return (with reasons)     │
//!    ▲                                                       │
//!    └──────────── revise (the approval lapses) ◀────────────┘
//! ```
//!
//! A returned pledge is revised and submitted again; every version of its content and every
//! review is kept. Only published pledges count as made. The reviewer is given by the tree and
//! the rules ([`crate::rules::PledgeReviewRules`]): by default a member's pledge is reviewed by
//! the member's organization, an organization's by its superior committee.
//!
//! This folder holds the whole lifecycle:
//!
//! | file | what |
//! |---|---|
//! | `mod.rs` | pledges, owners, statuses, reviews, progress reports, fulfilment records, evaluation inputs |
//! | `content.rs` | a pledge's content: title, text, deadline, targets with exact or ranged goals, milestones |
//! | `assess.rs` | the quarterly assessment (季度考核促诺): actual against expected progress |
//! | `monitoring.rs` | a subtree's pledges monitored: monthly reports missing or late (月报制, [`report_gaps`]), the quarter's assessments and those to urge ([`to_urge`]) |
//! | `events.rs` | the events' payloads, as hosts send them and the journal records them |
//! | `check.rs` | what makes each event acceptable: the owner's side or the reviewer, the status, the order of dates, one report a month and one evaluation a year |
//! | `state.rs` | its part of the state ([`Pledges`]) and the index by identifier |
//! | `apply.rs` | how an accepted event changes that state, with the invariants asserted after |
//! | `error.rs` | its refusals ([`PledgeError`], codes 3016–3021, 3023, 3028, 3029) |
//! | `rating.rs` | the year's rating (评诺) by the rules' decision table, every step explained |
//! | `figures.rs` | its part of the stage figures, mergeable ([`PledgeFigures`]) |
//!
//! The refusals every domain shares (an unknown id, no authority, a date out of order, a second
//! record for a period without `correction`) are the org seam's ([`crate::org::OrgError`]).
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

mod apply;
mod assess;
mod check;
mod content;
mod error;
mod events;
mod figures;
mod monitoring;
mod rating;
mod state;

pub(crate) use apply::{Change, apply, mark_of};

pub use assess::{Assessment, Standing, Urge, actual_progress, assess, expected_progress};
pub use content::{
    Goal, MAX_MILESTONES, MAX_TARGETS, MAX_TEXT_BYTES, Milestone, PledgeContent, Target,
};
pub use error::PledgeError;
pub use events::{
    ClosePledge, DraftPledge, FulfilPledge, PublishPledge, RecordEvaluation, RecordFulfilment,
    ReportProgress, ReviewPledge, RevisePledge, SubmitPledge, UrgePledge,
};
pub use figures::{CarrierOutputs, PledgeFigures};
pub use monitoring::{ReportGap, quarter_assessments, report_due, report_gaps, to_urge};
pub use rating::{PledgeRating, completion_at, decide, rate_pledge};
pub use state::Pledges;
pub(crate) use state::owner_org_on;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::model::{ExtId, MemberCategory, MemberIdx, OrgIdx};

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
    /// 公开: published; from now on it counts as made, and is being fulfilled (践诺).
    Published,
    /// Fulfilled: every target met (ranges at their lower bound).
    Fulfilled,
    /// Withdrawn, with a public explanation approved by the reviewer.
    Withdrawn,
    /// Declared unfulfilled, with a public explanation approved by the reviewer.
    Unfulfilled,
}

impl PledgeStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [PledgeStatus; 8] = [
        PledgeStatus::Draft,
        PledgeStatus::Submitted,
        PledgeStatus::Returned,
        PledgeStatus::Approved,
        PledgeStatus::Published,
        PledgeStatus::Fulfilled,
        PledgeStatus::Withdrawn,
        PledgeStatus::Unfulfilled,
    ];

    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PledgeStatus::Draft => "draft",
            PledgeStatus::Submitted => "submitted",
            PledgeStatus::Returned => "returned",
            PledgeStatus::Approved => "approved",
            PledgeStatus::Published => "published",
            PledgeStatus::Fulfilled => "fulfilled",
            PledgeStatus::Withdrawn => "withdrawn",
            PledgeStatus::Unfulfilled => "unfulfilled",
        }
    }

    /// Whether a pledge in this status counts as made: published, and whatever came after.
    pub fn is_made(self) -> bool {
        matches!(
            self,
            PledgeStatus::Published
                | PledgeStatus::Fulfilled
                | PledgeStatus::Withdrawn
                | PledgeStatus::Unfulfilled
        )
    }

    /// Whether the content may be revised: while drafted or returned, or approved and not yet
    /// published (the approval then lapses: the revised pledge is a draft again, to be
    /// submitted and reviewed anew). Without the last, an approved pledge whose deadline passed
    /// before it was published could never move again.
    pub fn may_revise(self) -> bool {
        matches!(
            self,
            PledgeStatus::Draft | PledgeStatus::Returned | PledgeStatus::Approved
        )
    }
}

/// A pledge's changes of status, in order: never empty, starting with `draft`, dates never
/// going back. Unlike a [`History`](crate::model::History), several changes may fall on one day (drafted and submitted
/// the same day, published and fulfilled the same day) and all are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<StatusChange>", into = "Vec<StatusChange>")]
pub struct StatusLog {
    changes: Vec<StatusChange>,
    /// The first and the last change again, inline: reports ask "drafted when, and where does
    /// it stand now" of every pledge, and this answers without reading the list.
    first: StatusChange,
    last: StatusChange,
}

impl StatusLog {
    /// A log that starts with a draft on `date`.
    pub fn drafted(date: Date) -> StatusLog {
        let draft = StatusChange {
            from: date,
            status: PledgeStatus::Draft,
        };
        StatusLog {
            changes: vec![draft],
            first: draft,
            last: draft,
        }
    }

    /// The latest change.
    pub fn current(&self) -> StatusChange {
        self.last
    }

    /// The status at the end of `date` (the last change made on or before it), or `None`
    /// before the draft.
    pub fn on(&self, date: Date) -> Option<StatusChange> {
        if self.last.from <= date {
            return Some(self.last);
        }
        let after = self.changes.partition_point(|c| c.from <= date);
        after.checked_sub(1).map(|i| self.changes[i])
    }

    /// The day the pledge was drafted (the first change).
    pub fn drafted_on(&self) -> Date {
        self.first.from
    }

    pub(crate) fn push(&mut self, change: StatusChange) {
        self.changes.push(change);
        self.last = change;
    }
}

impl std::ops::Deref for StatusLog {
    type Target = [StatusChange];
    fn deref(&self) -> &[StatusChange] {
        &self.changes
    }
}

impl TryFrom<Vec<StatusChange>> for StatusLog {
    type Error = &'static str;
    fn try_from(v: Vec<StatusChange>) -> Result<StatusLog, &'static str> {
        match v.first() {
            Some(first) if first.status == PledgeStatus::Draft => {}
            _ => return Err("a pledge's status log starts with its draft"),
        }
        if !v.windows(2).all(|w| w[0].from <= w[1].from) {
            return Err("a pledge's status changes must not go back in time");
        }
        match (v.first(), v.last()) {
            (Some(&first), Some(&last)) => Ok(StatusLog {
                changes: v,
                first,
                last,
            }),
            _ => Err("a pledge's status log starts with its draft"),
        }
    }
}

impl From<StatusLog> for Vec<StatusChange> {
    fn from(l: StatusLog) -> Vec<StatusChange> {
        l.changes
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

/// A reviewer's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ReviewDecision {
    /// Approved as it stands.
    Approve,
    /// Returned for revision, with the reasons (1 to 2000 bytes).
    Return {
        /// Why, for the owner to act on.
        reasons: crate::model::LongText,
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
    /// Every change of status, in order.
    pub status: StatusLog,
    /// Monthly progress reports (月报), in the order filed; corrections follow what they
    /// correct.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<ProgressReport>,
    /// Fulfilment records (践诺记录) with the carrier's outputs, in the order recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fulfilments: Vec<FulfilmentRecord>,
    /// Inputs of the annual evaluation (评诺), in the order recorded; corrections follow what
    /// they correct.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evaluations: Vec<EvaluationInputs>,
    /// Urging notices (促诺) after quarterly assessments, in the order recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urges: Vec<Urge>,
    /// The public explanation of a withdrawal or a declared failure, once closed so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

/// The value achieved so far on one target, as a progress report gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Achieved {
    /// The target's position in the pledge's content (0-based).
    pub target: u32,
    /// The value achieved so far (cumulative), a non-negative exact decimal.
    #[serde(with = "decimal_text")]
    pub value: rust_decimal::Decimal,
}

/// The values a progress report gives, one per target it reports on; read as a slice
/// (`&report.achieved[..]`, `report.achieved.iter()`), made from a `Vec` (`vec![..].into()`).
/// In JSON, a plain array.
///
/// One value is kept inline: most pledges have one target, and a province's millions of
/// monthly reports would otherwise each allocate a list of one.
///
/// ```
/// use chuangzheng::pledge::{Achieved, AchievedValues};
/// use rust_decimal::Decimal;
///
/// let one: AchievedValues = vec![Achieved { target: 0, value: Decimal::new(35, 1) }].into();
/// assert_eq!(one.len(), 1);
/// assert_eq!(one[0].value.to_string(), "3.5");
/// assert_eq!(serde_json::to_string(&one).unwrap(), r#"[{"target":0,"value":"3.5"}]"#);
/// assert!(AchievedValues::default().is_empty());
/// ```
#[derive(Clone)]
pub struct AchievedValues(Values);

/// How [`AchievedValues`] holds its values.
#[derive(Clone)]
enum Values {
    One(Achieved),
    Other(Box<[Achieved]>),
}

impl Default for AchievedValues {
    fn default() -> Self {
        AchievedValues(Values::Other(Box::default()))
    }
}

impl std::ops::Deref for AchievedValues {
    type Target = [Achieved];
    fn deref(&self) -> &[Achieved] {
        match &self.0 {
            Values::One(a) => std::slice::from_ref(a),
            Values::Other(list) => list,
        }
    }
}

impl From<Vec<Achieved>> for AchievedValues {
    fn from(values: Vec<Achieved>) -> Self {
        match values[..] {
            [one] => AchievedValues(Values::One(one)),
            _ => AchievedValues(Values::Other(values.into_boxed_slice())),
        }
    }
}

impl From<&[Achieved]> for AchievedValues {
    fn from(values: &[Achieved]) -> Self {
        match values {
            [one] => AchievedValues(Values::One(*one)),
            _ => AchievedValues(Values::Other(values.into())),
        }
    }
}

impl<'a> IntoIterator for &'a AchievedValues {
    type Item = &'a Achieved;
    type IntoIter = std::slice::Iter<'a, Achieved>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Equal when the values are, however they are held.
impl PartialEq for AchievedValues {
    fn eq(&self, other: &Self) -> bool {
        self[..] == other[..]
    }
}

impl Eq for AchievedValues {}

impl std::fmt::Debug for AchievedValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for AchievedValues {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for AchievedValues {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<Achieved>::deserialize(d).map(AchievedValues::from)
    }
}

/// A monthly progress report (月报).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressReport {
    /// The month reported on.
    pub month: crate::model::Period,
    /// The day it was filed.
    pub filed: Date,
    /// Values achieved so far, per target.
    pub achieved: AchievedValues,
    /// What was done, in words (optional, up to 2000 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether it corrects an earlier report for the same month (which is kept).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub correction: bool,
}

/// What a carrier's activities produced (践诺成效), as counted in the seed's figures. Every
/// field defaults to zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Outputs {
    /// Problems solved for the masses (生产难题, 生活难题, 技术难题).
    pub problems_solved: u64,
    /// Practical matters done for the masses (办实事).
    pub matters_done: u64,
    /// Free clinics held (义诊).
    pub clinics_held: u64,
    /// Clean-ups organized (卫生保洁).
    pub cleanups_held: u64,
    /// Volunteer teams formed (党员义工服务队).
    pub volunteer_teams: u64,
    /// Supervision actions (e.g. 健康网吧监督行动).
    pub supervision_actions: u64,
    /// Residents' activities organized (居民联欢活动).
    pub resident_events: u64,
    /// Technical groups and vanguard vehicles set up (技术攻关小组、红旗车).
    pub tech_groups: u64,
    /// Technical-renovation projects completed (技改项目).
    pub projects_completed: u64,
    /// Economic benefit, in yuan (增加效益).
    pub benefit_yuan: crate::model::Amount,
}

impl Outputs {
    /// The counts, with their stable names, in report order.
    pub fn counts(&self) -> [(&'static str, u64); 9] {
        [
            ("problems_solved", self.problems_solved),
            ("matters_done", self.matters_done),
            ("clinics_held", self.clinics_held),
            ("cleanups_held", self.cleanups_held),
            ("volunteer_teams", self.volunteer_teams),
            ("supervision_actions", self.supervision_actions),
            ("resident_events", self.resident_events),
            ("tech_groups", self.tech_groups),
            ("projects_completed", self.projects_completed),
        ]
    }

    /// Whether every count is zero and there is no benefit.
    pub fn is_empty(&self) -> bool {
        self.counts().iter().all(|(_, n)| *n == 0) && self.benefit_yuan.is_zero()
    }
}

/// A fulfilment record (践诺记录): outputs of the pledge's carrier activities on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FulfilmentRecord {
    /// The day recorded.
    pub on: Date,
    /// What was produced.
    pub outputs: Outputs,
    /// What was done, in words (optional, up to 2000 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Answers to a satisfaction survey of the masses (满意度测评).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Survey {
    /// 满意.
    pub satisfied: u64,
    /// 比较满意.
    pub fairly_satisfied: u64,
    /// 基本满意.
    pub basically_satisfied: u64,
    /// 不满意.
    pub dissatisfied: u64,
}

impl Survey {
    /// Most answers of one kind a survey may count.
    pub const MAX_ANSWERS: u64 = 10_000_000;

    /// All answers.
    pub fn total(&self) -> u64 {
        self.satisfied
            .saturating_add(self.fairly_satisfied)
            .saturating_add(self.basically_satisfied)
            .saturating_add(self.dissatisfied)
    }
}

/// The result of a spot check (抽查) of a pledge's fulfilment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpotCheck {
    /// Whether what was checked matched what was reported.
    pub passed: bool,
    /// What was found (optional, up to 2000 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<crate::model::LongText>,
}

/// The recorded inputs of a pledge's annual evaluation (评诺). Completion and timeliness are
/// not recorded: they follow from the pledge's status history ([`Pledge::fulfilled_on`],
/// [`Pledge::fulfilled_in_time`]). The rating rules that weigh these come with the evaluation
/// rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationInputs {
    /// The year evaluated.
    pub year: crate::model::Period,
    /// The day recorded.
    pub on: Date,
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
    /// Whether it corrects the year's earlier record (which is kept).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub correction: bool,
}

/// How a pledge is closed without being fulfilled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Closing {
    /// Withdrawn (for objective reasons, explained to the masses).
    Withdrawn,
    /// Declared unfulfilled.
    Unfulfilled,
}

/// Computed decimals (shares, ratios) as exact strings in JSON, any scale a Decimal holds.
pub(crate) mod decimal_exact {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&d.normalize())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Decimal::from_str_exact(&text).map_err(serde::de::Error::custom)
    }
}

/// Decimals as exact strings in JSON, read with the bounds of a quantity.
mod decimal_text {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&d.normalize())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        crate::model::Quantity::parse_value("value", &text).map_err(serde::de::Error::custom)
    }
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
    /// Gives back the spare capacity of its lists (after a replay, which grows them by
    /// doubling). Changes nothing that can be read.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.versions.0.shrink_to_fit();
        self.reviews.shrink_to_fit();
        self.status.changes.shrink_to_fit();
        self.reports.shrink_to_fit();
        self.fulfilments.shrink_to_fit();
        self.evaluations.shrink_to_fit();
        self.urges.shrink_to_fit();
    }

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

    /// The value achieved on each target by `date`, from the latest report filed by then (a
    /// correction counts over what it corrects); targets never reported are absent.
    pub fn achieved_by(&self, date: Date) -> Vec<Option<rust_decimal::Decimal>> {
        self.achieved_through(None, date)
    }

    /// The values achieved as the latest report for a month up to `last_month` (any month if
    /// `None`) filed by `filed_by` gives them.
    pub fn achieved_through(
        &self,
        last_month: Option<crate::model::Period>,
        filed_by: Date,
    ) -> Vec<Option<rust_decimal::Decimal>> {
        let mut out = vec![None; self.content().targets.len()];
        let mut latest: Option<&ProgressReport> = None;
        let in_range =
            |r: &&ProgressReport| r.filed <= filed_by && last_month.is_none_or(|m| r.month <= m);
        for r in self.reports.iter().filter(in_range) {
            // Reports are filed in date order; the latest month wins, and a correction of the
            // same month replaces it.
            if latest.is_none_or(|l| r.month >= l.month) {
                latest = Some(r);
            }
        }
        if let Some(r) = latest {
            for a in &r.achieved {
                if let Some(slot) = out.get_mut(a.target as usize) {
                    *slot = Some(a.value);
                }
            }
        }
        out
    }

    /// Whether every target is met by the values achieved by `date` (ranges at their lower
    /// bound). A pledge without targets is never met this way.
    pub fn targets_met_by(&self, date: Date) -> bool {
        let targets = &self.content().targets;
        !targets.is_empty()
            && self
                .achieved_by(date)
                .iter()
                .zip(targets)
                .all(|(a, t)| a.is_some_and(|v| v >= t.goal.lower_bound()))
    }

    /// The day it was fulfilled, if it was.
    pub fn fulfilled_on(&self) -> Option<Date> {
        self.status
            .iter()
            .find(|s| s.status == PledgeStatus::Fulfilled)
            .map(|s| s.from)
    }

    /// Whether it was fulfilled on or before `date`, and by its deadline.
    pub fn fulfilled_in_time(&self) -> Option<bool> {
        self.fulfilled_on().map(|d| d <= self.content().deadline)
    }

    /// The carrier outputs recorded on or before `date`, summed.
    pub fn outputs_by(&self, date: Date) -> Result<Outputs, crate::model::ModelError> {
        let mut sum = Outputs::default();
        for r in self.fulfilments.iter().filter(|r| r.on <= date) {
            sum = sum.checked_add(&r.outputs)?;
        }
        Ok(sum)
    }

    /// The evaluation inputs in force for `year`: the latest record (or correction) for it.
    pub fn evaluation_for(&self, year: crate::model::Period) -> Option<&EvaluationInputs> {
        self.evaluations.iter().rev().find(|e| e.year == year)
    }

    /// Whether it was returned for revision on or before `date`.
    pub fn returned_by(&self, date: Date) -> bool {
        self.reviews
            .iter()
            .any(|r| r.on <= date && matches!(r.decision, ReviewDecision::Return { .. }))
    }
}

impl Outputs {
    /// The sum of two outputs; counts saturate at `u64::MAX` (unreachable in practice), the
    /// benefit is checked against the amount's bound.
    pub fn checked_add(&self, o: &Outputs) -> Result<Outputs, crate::model::ModelError> {
        Ok(Outputs {
            problems_solved: self.problems_solved.saturating_add(o.problems_solved),
            matters_done: self.matters_done.saturating_add(o.matters_done),
            clinics_held: self.clinics_held.saturating_add(o.clinics_held),
            cleanups_held: self.cleanups_held.saturating_add(o.cleanups_held),
            volunteer_teams: self.volunteer_teams.saturating_add(o.volunteer_teams),
            supervision_actions: self
                .supervision_actions
                .saturating_add(o.supervision_actions),
            resident_events: self.resident_events.saturating_add(o.resident_events),
            tech_groups: self.tech_groups.saturating_add(o.tech_groups),
            projects_completed: self.projects_completed.saturating_add(o.projects_completed),
            benefit_yuan: self.benefit_yuan.checked_add(o.benefit_yuan)?,
        })
    }
}

// The binary layout of snapshots ([`crate::model::binary`]).
use crate::model::binary::{
    Binary, BinaryError, Reader, binary_checked_list, binary_enum, binary_struct, binary_union,
};

binary_enum!(PledgeKind {
    Work,
    PracticalMatter
});
binary_enum!(Focus {
    CentralWork,
    OwnSituation,
    MassesWishes
});
binary_enum!(Carrier {
    SetPostDuty,
    DualPost,
    BuildingDuty,
    VanguardPost
});
binary_enum!(PledgeStatus {
    Draft,
    Submitted,
    Returned,
    Approved,
    Published,
    Fulfilled,
    Withdrawn,
    Unfulfilled
});
binary_union!(Owner { 0 => Org(a), 1 => Member(a) });
binary_union!(ReviewDecision { 0 => Approve, 1 => Return { reasons } });
binary_struct!(StatusChange { from, status });
binary_struct!(Review {
    on,
    reviewer,
    version,
    decision
});
binary_struct!(Pledge {
    id,
    owner,
    kind,
    focus,
    carrier,
    versions,
    reviews,
    status,
    reports,
    fulfilments,
    evaluations,
    urges,
    explanation
});
binary_struct!(Achieved { target, value });

/// The layout of a list of values (as `Vec<Achieved>`'s), one kept inline.
impl Binary for AchievedValues {
    fn put(&self, out: &mut Vec<u8>) {
        crate::model::binary::put_slice(self, out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, BinaryError> {
        Ok(match r.one_or_list()? {
            Ok(one) => AchievedValues(Values::One(one)),
            Err(values) => AchievedValues::from(values),
        })
    }
}
binary_struct!(ProgressReport {
    month,
    filed,
    achieved,
    note,
    correction
});
binary_struct!(Outputs {
    problems_solved,
    matters_done,
    clinics_held,
    cleanups_held,
    volunteer_teams,
    supervision_actions,
    resident_events,
    tech_groups,
    projects_completed,
    benefit_yuan
});
binary_struct!(FulfilmentRecord { on, outputs, note });
binary_struct!(Survey {
    satisfied,
    fairly_satisfied,
    basically_satisfied,
    dissatisfied
});
binary_struct!(SpotCheck { passed, note });
binary_struct!(EvaluationInputs {
    year,
    on,
    survey,
    members,
    organization,
    spot_check,
    correction
});

binary_checked_list!(StatusLog, StatusChange);
binary_checked_list!(Versions, PledgeContent);

#[cfg(test)]
mod tests {
    use super::*;

    /// None, one (inline) or several values: written and read back, in the snapshot's layout
    /// (a `Vec`'s) and in JSON, equal however made.
    #[test]
    fn achieved_values_read_back_as_written() {
        let value = |target: u32, v: i64| Achieved {
            target,
            value: rust_decimal::Decimal::new(v, 1),
        };
        for list in [
            vec![],
            vec![value(0, 35)],
            vec![value(0, 1), value(2, 20), value(1, 0)],
        ] {
            let values = AchievedValues::from(list.clone());
            assert_eq!(values[..], list[..]);
            assert_eq!(values, AchievedValues::from(&list[..]));
            let (mut ours, mut vec) = (Vec::new(), Vec::new());
            values.put(&mut ours);
            list.put(&mut vec);
            assert_eq!(ours, vec, "the layout of a Vec");
            let mut r = Reader::new(&ours);
            assert_eq!(AchievedValues::get(&mut r).unwrap(), values);
            assert!(r.is_done());
            let json = serde_json::to_string(&values).unwrap();
            assert_eq!(json, serde_json::to_string(&list).unwrap());
            assert_eq!(
                serde_json::from_str::<AchievedValues>(&json).unwrap(),
                values
            );
        }
        let mut cut = Vec::new();
        AchievedValues::from(vec![value(0, 1), value(1, 1)]).put(&mut cut);
        cut.truncate(cut.len() - 1);
        assert!(AchievedValues::get(&mut Reader::new(&cut)).is_err());
    }
}
