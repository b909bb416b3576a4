//! A major village matter and its steps: what each step records, the order the rules give,
//! and where a matter stands.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::model::{ExtId, Name, OrgIdx};
use crate::rules::DeliberationRules;

/// Most members the two committees may have, in a [`CommitteeVote`].
pub const MAX_COMMITTEE_MEMBERS: u32 = 100;

/// Most people a meeting may count (members expected, villagers attending).
pub const MAX_MEETING: u32 = 100_000;

/// Dense index of a matter inside one campaign's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MatterIdx(pub u32);

/// What a matter is about (optional; for reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatterCategory {
    /// 集体资产、资源的处置 (contracting, leasing, selling collective assets).
    CollectiveAssets,
    /// 土地承包、调整、征用补偿.
    Land,
    /// 公益事业、建设项目 (roads, water, public buildings).
    Project,
    /// 村级财务收支、债务.
    Finance,
    /// 惠民政策的落实 (allowances, aid).
    Welfare,
    /// Anything else.
    Other,
}

impl MatterCategory {
    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            MatterCategory::CollectiveAssets => "集体资产资源",
            MatterCategory::Land => "土地",
            MatterCategory::Project => "公益事业与建设项目",
            MatterCategory::Finance => "村级财务",
            MatterCategory::Welfare => "惠民政策",
            MatterCategory::Other => "其他",
        }
    }
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 党支部提议: the village party organization proposes the matter.
    Proposal,
    /// 两委会商议: the two committees discuss it and vote.
    CommitteeDiscussion,
    /// 党员大会审议: the members' meeting deliberates.
    MembersDeliberation,
    /// 一审: the township-level committee reviews it.
    TownshipReview,
    /// 村民(代表)会议决议: the villagers' (representatives') meeting resolves.
    VillagersResolution,
    /// 决议公开: the resolution is published.
    ResolutionPublication,
    /// 实施结果公开: the result of its implementation is published.
    ResultPublication,
}

impl Step {
    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Proposal => "proposal",
            Step::CommitteeDiscussion => "committee_discussion",
            Step::MembersDeliberation => "members_deliberation",
            Step::TownshipReview => "township_review",
            Step::VillagersResolution => "villagers_resolution",
            Step::ResolutionPublication => "resolution_publication",
            Step::ResultPublication => "result_publication",
        }
    }

    /// The Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Step::Proposal => "党支部提议",
            Step::CommitteeDiscussion => "两委会商议",
            Step::MembersDeliberation => "党员大会审议",
            Step::TownshipReview => "乡镇审核",
            Step::VillagersResolution => "村民（代表）会议决议",
            Step::ResolutionPublication => "决议公开",
            Step::ResultPublication => "实施结果公开",
        }
    }

    /// Whether the step is one of the deliberation's (discussion, deliberation, review,
    /// resolution), which `min_days_between_steps` spaces; the proposal starts the matter and
    /// the publications follow as soon as they can.
    pub fn is_deliberative(self) -> bool {
        matches!(
            self,
            Step::CommitteeDiscussion
                | Step::MembersDeliberation
                | Step::TownshipReview
                | Step::VillagersResolution
        )
    }

    /// Whether the township-level committee takes this step; the village takes the others.
    pub fn by_township(self) -> bool {
        self == Step::TownshipReview
    }
}

/// The steps in the order the rules give.
pub fn order(rules: &DeliberationRules) -> [Step; 7] {
    let (fourth, fifth) = if rules.review_before_resolution {
        (Step::TownshipReview, Step::VillagersResolution)
    } else {
        (Step::VillagersResolution, Step::TownshipReview)
    };
    [
        Step::Proposal,
        Step::CommitteeDiscussion,
        Step::MembersDeliberation,
        fourth,
        fifth,
        Step::ResolutionPublication,
        Step::ResultPublication,
    ]
}

/// Where a matter stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Still going through the steps.
    InProgress,
    /// The two committees voted it down.
    RejectedByCommittees,
    /// The members' meeting voted it down.
    RejectedByMembers,
    /// The township-level committee vetoed it (审核否决).
    VetoedByTownship,
    /// The villagers' (representatives') meeting voted it down.
    RejectedByVillagers,
    /// Resolved (决议通过): passed by the villagers and approved by the township.
    Resolved,
}

impl Status {
    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InProgress => "in_progress",
            Status::RejectedByCommittees => "rejected_by_committees",
            Status::RejectedByMembers => "rejected_by_members",
            Status::VetoedByTownship => "vetoed_by_township",
            Status::RejectedByVillagers => "rejected_by_villagers",
            Status::Resolved => "resolved",
        }
    }

    /// The Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::InProgress => "办理中",
            Status::RejectedByCommittees => "两委会未通过",
            Status::RejectedByMembers => "党员大会未通过",
            Status::VetoedByTownship => "乡镇审核否决",
            Status::RejectedByVillagers => "村民（代表）会议未通过",
            Status::Resolved => "决议通过",
        }
    }

    /// Whether the matter ended without a resolution.
    pub fn is_rejection(self) -> bool {
        !matches!(self, Status::InProgress | Status::Resolved)
    }
}

/// 两委会商议: the vote of the two committees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitteeVote {
    /// Members of the two committees voting for.
    #[serde(rename = "for")]
    pub votes_for: u32,
    /// Members voting against.
    pub against: u32,
    /// Members of the two committees (those abstaining or absent included), 1 to 100.
    pub total: u32,
    /// Whether it passed, under the rules it was taken under.
    pub passed: bool,
}

impl CommitteeVote {
    /// Whether `votes_for` of `total` pass under `rules` (more than
    /// `committees_approval_above` of the committees' members).
    pub fn passes(rules: &DeliberationRules, votes_for: u32, total: u32) -> bool {
        rules.committees_approval_above.more_than(votes_for, total)
    }
}

/// 党员大会审议: the members' meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembersMeeting {
    /// Members expected to attend (应到), 1 to 100,000.
    pub expected: u32,
    /// Members attending (实到), at most those expected.
    pub attending: u32,
    /// Members voting for, at most those attending.
    #[serde(rename = "for")]
    pub votes_for: u32,
    /// Whether it passed, under the rules it was taken under.
    pub passed: bool,
}

impl MembersMeeting {
    /// Whether the meeting holds: at least `members_attendance_min` of the members expected
    /// attend.
    pub fn has_quorum(rules: &DeliberationRules, expected: u32, attending: u32) -> bool {
        rules.members_attendance_min.at_least(attending, expected)
    }

    /// Whether `votes_for` pass: more than `members_approval_above` of the members expected
    /// (not of those attending).
    pub fn passes(rules: &DeliberationRules, expected: u32, votes_for: u32) -> bool {
        rules.members_approval_above.more_than(votes_for, expected)
    }
}

/// The township-level committee's decision (一审).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ReviewVerdict {
    /// Approved: lawful and in order.
    Approve,
    /// Vetoed (审核否决), with the reasons (1 to 2000 bytes).
    Veto {
        /// Why, for the village and the villagers.
        reasons: crate::model::LongText,
    },
}

/// 一审: the review by the village's township-level committee (or an organization above).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TownshipReview {
    /// The reviewing organization.
    pub by: OrgIdx,
    /// The decision.
    pub decision: ReviewVerdict,
}

/// 村民(代表)会议决议: the villagers' (representatives') meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VillagersMeeting {
    /// Villagers or representatives attending, 1 to 100,000.
    pub attending: u32,
    /// Those voting for, at most those attending.
    #[serde(rename = "for")]
    pub votes_for: u32,
    /// Whether it passed, under the rules it was taken under.
    pub passed: bool,
}

impl VillagersMeeting {
    /// Whether `votes_for` pass: more than `villagers_approval_above` of those attending.
    pub fn passes(rules: &DeliberationRules, attending: u32, votes_for: u32) -> bool {
        rules
            .villagers_approval_above
            .more_than(votes_for, attending)
    }
}

/// What a step after the proposal recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// 两委会商议.
    CommitteeDiscussion(CommitteeVote),
    /// 党员大会审议.
    MembersDeliberation(MembersMeeting),
    /// 一审.
    TownshipReview(TownshipReview),
    /// 村民(代表)会议决议.
    VillagersResolution(VillagersMeeting),
    /// 决议公开.
    ResolutionPublication,
    /// 实施结果公开, with the result published (1 to 2000 bytes).
    ResultPublication {
        /// The result of the implementation, as published.
        result: String,
    },
}

impl Action {
    /// The step this action is.
    pub fn step(&self) -> Step {
        match self {
            Action::CommitteeDiscussion(_) => Step::CommitteeDiscussion,
            Action::MembersDeliberation(_) => Step::MembersDeliberation,
            Action::TownshipReview(_) => Step::TownshipReview,
            Action::VillagersResolution(_) => Step::VillagersResolution,
            Action::ResolutionPublication => Step::ResolutionPublication,
            Action::ResultPublication { .. } => Step::ResultPublication,
        }
    }

    /// Whether its counts and texts are within their bounds and agree with each other (for
    /// instead of a vote, at most those attending; attending, at most those expected …).
    pub fn is_well_formed(&self) -> bool {
        // A veto's reasons are a LongText, checked as they are read.
        let text_ok = |t: &str| crate::model::LongText::new("text", t).is_ok();
        match self {
            Action::CommitteeDiscussion(v) => {
                (1..=MAX_COMMITTEE_MEMBERS).contains(&v.total)
                    && u64::from(v.votes_for) + u64::from(v.against) <= u64::from(v.total)
            }
            Action::MembersDeliberation(m) => {
                (1..=MAX_MEETING).contains(&m.expected)
                    && m.attending <= m.expected
                    && m.votes_for <= m.attending
            }
            Action::VillagersResolution(m) => {
                (1..=MAX_MEETING).contains(&m.attending) && m.votes_for <= m.attending
            }
            Action::ResultPublication { result } => text_ok(result),
            Action::TownshipReview(_) | Action::ResolutionPublication => true,
        }
    }

    /// The status this action leaves the matter in, given whether the other decision (the
    /// review or the resolution) has already gone the matter's way.
    fn ends(&self) -> Option<Status> {
        match self {
            Action::CommitteeDiscussion(v) if !v.passed => Some(Status::RejectedByCommittees),
            Action::MembersDeliberation(m) if !m.passed => Some(Status::RejectedByMembers),
            Action::TownshipReview(TownshipReview {
                decision: ReviewVerdict::Veto { .. },
                ..
            }) => Some(Status::VetoedByTownship),
            Action::VillagersResolution(m) if !m.passed => Some(Status::RejectedByVillagers),
            _ => None,
        }
    }
}

/// A step after the proposal, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRecord {
    /// The day of the step.
    pub on: Date,
    /// What it recorded.
    pub action: Action,
}

/// A major village matter (村级重大事项).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matter {
    /// The host's identifier.
    pub id: ExtId,
    /// The village organization deciding it.
    pub village: OrgIdx,
    /// Its title (1 to 120 bytes).
    pub title: Name,
    /// The proposal in words (1 to 2000 bytes).
    pub text: String,
    /// What it is about, if the host says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<MatterCategory>,
    /// The day the village party organization proposed it (党支部提议).
    pub proposed: Date,
    /// The steps after the proposal, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepRecord>,
}

/// What may happen next to a matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// This step, and no other.
    Step(Step),
    /// Nothing: the matter ended (rejected or vetoed), or was resolved and both publications
    /// are recorded.
    Closed(Status),
}

impl Matter {
    /// The day of the latest step (the proposal if none followed).
    pub fn last_day(&self) -> Date {
        self.steps.last().map_or(self.proposed, |s| s.on)
    }

    /// The record of `step`, if it was taken (the proposal is not a record).
    pub fn record(&self, step: Step) -> Option<&StepRecord> {
        self.steps.iter().find(|s| s.action.step() == step)
    }

    /// The day `step` was taken, if it was.
    pub fn day_of(&self, step: Step) -> Option<Date> {
        match step {
            Step::Proposal => Some(self.proposed),
            _ => self.record(step).map(|s| s.on),
        }
    }

    /// Where the matter stands at the end of `date` (in progress before its proposal, too).
    pub fn status_on(&self, date: Date) -> Status {
        Self::status_of(self.steps.iter().take_while(|s| s.on <= date))
    }

    /// Where the matter stands after every recorded step.
    pub fn status(&self) -> Status {
        Self::status_of(self.steps.iter())
    }

    fn status_of<'a>(steps: impl Iterator<Item = &'a StepRecord>) -> Status {
        let (mut reviewed, mut resolved) = (false, false);
        for s in steps {
            if let Some(end) = s.action.ends() {
                return end;
            }
            match s.action {
                Action::TownshipReview(_) => reviewed = true,
                Action::VillagersResolution(_) => resolved = true,
                _ => {}
            }
        }
        if reviewed && resolved {
            Status::Resolved
        } else {
            Status::InProgress
        }
    }

    /// The one step that may follow under `rules`, or why none may.
    ///
    /// ```
    /// use chuangzheng::deliberation::{Matter, Next, Step, Status};
    /// use chuangzheng::model::{ExtId, Name, OrgIdx};
    /// use chuangzheng::rules::DeliberationRules;
    /// use jiff::civil::date;
    ///
    /// let matter = Matter {
    ///     id: ExtId::new("id", "dm-1").unwrap(),
    ///     village: OrgIdx(3),
    ///     title: Name::new("title", "村集体鱼塘发包").unwrap(),
    ///     text: "鱼塘对外公开发包三年".into(),
    ///     category: None,
    ///     proposed: date(2010, 6, 1),
    ///     steps: Vec::new(),
    /// };
    /// let rules = DeliberationRules::default();
    /// assert_eq!(matter.next(&rules), Next::Step(Step::CommitteeDiscussion));
    /// assert_eq!(matter.status(), Status::InProgress);
    /// ```
    pub fn next(&self, rules: &DeliberationRules) -> Next {
        let status = self.status();
        if status.is_rejection() {
            return Next::Closed(status);
        }
        order(rules)
            .into_iter()
            .skip(1)
            .find(|step| self.record(*step).is_none())
            .map_or(Next::Closed(status), Next::Step)
    }
}

// The binary layout of snapshots ([`crate::model::binary`]).
use crate::model::binary::{binary_enum, binary_struct, binary_union};

binary_enum!(MatterCategory {
    CollectiveAssets,
    Land,
    Project,
    Finance,
    Welfare,
    Other
});
binary_enum!(Step {
    Proposal,
    CommitteeDiscussion,
    MembersDeliberation,
    TownshipReview,
    VillagersResolution,
    ResolutionPublication,
    ResultPublication
});
binary_enum!(Status {
    InProgress,
    RejectedByCommittees,
    RejectedByMembers,
    VetoedByTownship,
    RejectedByVillagers,
    Resolved
});
binary_struct!(CommitteeVote {
    votes_for,
    against,
    total,
    passed
});
binary_struct!(MembersMeeting {
    expected,
    attending,
    votes_for,
    passed
});
binary_union!(ReviewVerdict { 0 => Approve, 1 => Veto { reasons } });
binary_struct!(TownshipReview { by, decision });
binary_struct!(VillagersMeeting {
    attending,
    votes_for,
    passed
});
binary_union!(Action { 0 => CommitteeDiscussion(a), 1 => MembersDeliberation(a), 2 => TownshipReview(a), 3 => VillagersResolution(a), 4 => ResolutionPublication, 5 => ResultPublication { result } });
binary_struct!(StepRecord { on, action });
binary_struct!(Matter {
    id,
    village,
    title,
    text,
    category,
    proposed,
    steps
});
