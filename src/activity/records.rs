//! What the service actions record: hotline cases, donations, home visits, volunteer teams and
//! their activities, contact points, instructors' assignments and other activities, with the
//! limits that bound them; the kind codes ([`Code`]) and the days a tenure is in force
//! ([`Tenure`]).

use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Reason;
use crate::model::{
    Amount, ExtId, LeaderLevel, MemberIdx, ModelError, Name, OrgIdx, OrgKind, UnitIdx,
};

/// Most people served or participants one record counts.
pub const MAX_COUNT: u32 = 1_000_000;
/// Most problems one home visit solves.
pub const MAX_PROBLEMS_SOLVED: u32 = 1_000;
/// Largest single donation, in yuan.
pub const MAX_DONATION_YUAN: i64 = 10_000_000;
/// Largest aid handed over on one home visit, in yuan.
pub const MAX_AID_YUAN: i64 = 1_000_000;
/// Most counted outputs one volunteer activity lists.
pub const MAX_OUTPUTS: usize = 8;
/// Most members a volunteer team holds at once.
pub const MAX_TEAM_MEMBERS: u32 = 5_000;
/// Longest [`Code`], in bytes.
pub const MAX_CODE_BYTES: usize = 32;

/// A short stable code naming a kind of thing (an activity's kind, a hotline category, an
/// output counted): 1 to 32 bytes of `a`–`z`, `0`–`9` and `_`, starting with a letter.
/// Codes are the host's vocabulary; figures group by them.
///
/// ```
/// use chuangzheng::activity::Code;
///
/// assert!(Code::new("kind", "live_studio").is_ok());
/// assert!(Code::new("kind", "9lives").is_err());
/// assert!(Code::new("kind", "").is_err());
/// assert!(Code::new("kind", &"a".repeat(33)).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(Arc<str>);

impl Code {
    /// Checks `s` and makes it a code; `field` names it in the error.
    ///
    /// # Errors
    ///
    /// On `field`: [`Reason::Empty`], [`Reason::TooLong`] past 32 bytes, [`Reason::Malformed`]
    /// for any other character or a first character that is not a letter.
    pub fn new(field: &'static str, s: &str) -> Result<Code, ModelError> {
        if s.is_empty() {
            return Err(ModelError::new(field, Reason::Empty));
        }
        if s.len() > MAX_CODE_BYTES {
            return Err(ModelError::new(
                field,
                Reason::TooLong {
                    max: MAX_CODE_BYTES,
                    actual: s.len(),
                },
            ));
        }
        let ok = s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            return Err(ModelError::new(
                field,
                Reason::Malformed {
                    zh: "代码只能由小写字母、数字和下划线组成，且以字母开头".into(),
                    en: "a code is lowercase letters, digits and underscores, starting with a letter"
                        .into(),
                },
            ));
        }
        Ok(Code(s.into()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Code::new("code", &s).map_err(serde::de::Error::custom)
    }
}

/// The days something is in force: from `from`, up to but not including `until` (`None`: still
/// in force).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenure {
    /// The first day.
    pub from: Date,
    /// The first day no longer in force, if it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

impl Tenure {
    /// Whether it is in force on `date`.
    pub fn on(&self, date: Date) -> bool {
        self.from <= date && self.until.is_none_or(|u| date < u)
    }

    /// Whether it has not ended.
    pub fn is_open(&self) -> bool {
        self.until.is_none()
    }

    /// Whether it was in force on some day of `[from, as_of]` (`from` `None`: since the start).
    /// A tenure ended on the day it began (`until == from`) holds no day, yet it was recorded:
    /// it counts in a range holding that day.
    pub fn overlaps(&self, from: Option<Date>, as_of: Date) -> bool {
        if self.from > as_of {
            return false;
        }
        let Some(f) = from else { return true };
        match self.until {
            None => true,
            Some(u) if u == self.from => self.from >= f,
            Some(u) => u > f,
        }
    }
}

/// Whether `date` lies in `[from, as_of]` (`from` `None`: since the start).
pub(crate) fn dated_in(date: Date, from: Option<Date>, as_of: Date) -> bool {
    date <= as_of && from.is_none_or(|f| f <= date)
}

/// Dense index of a hotline case inside one campaign's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HotlineCaseIdx(pub u32);

/// Dense index of a volunteer team inside one campaign's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TeamIdx(pub u32);

/// A dated step on a hotline case, with its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseStep {
    /// The day.
    pub on: Date,
    /// What was done or said (1 to 2000 bytes), if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A case received by the livelihood hotline (民生热线受理的问题).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotlineCase {
    /// The host's identifier.
    pub id: ExtId,
    /// The organization it is attributed to (the department or committee that handles it).
    pub org: OrgIdx,
    /// The day it was received.
    pub received: Date,
    /// What it is about, in the host's categories.
    pub category: Code,
    /// The case in words (1 to 2000 bytes).
    pub text: String,
    /// Its resolution (解决), with the outcome, once resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<CaseStep>,
    /// The reply given to the caller (回复), once replied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replied: Option<CaseStep>,
}

/// A member's donation (捐款).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Donation {
    /// The host's identifier.
    pub id: ExtId,
    /// The day.
    pub on: Date,
    /// The donor.
    pub member: MemberIdx,
    /// The donor's organization on the day, which the donation counts under.
    pub org: OrgIdx,
    /// The amount, more than zero and at most [`MAX_DONATION_YUAN`].
    pub amount_yuan: Amount,
    /// The drive it was given to, if named (e.g. 防汛救灾、重建家园).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drive: Option<Name>,
}

/// A member's visit of the masses (党员干部走进千家万户).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeVisit {
    /// The host's identifier.
    pub id: ExtId,
    /// The day.
    pub on: Date,
    /// The member visiting.
    pub cadre: MemberIdx,
    /// The member's organization on the day, which the visit counts under.
    pub org: OrgIdx,
    /// Problems solved (解决问题), at most [`MAX_PROBLEMS_SOLVED`].
    pub problems_solved: u32,
    /// Aid handed over in money and kind, in yuan (帮扶款物折合人民币), at most
    /// [`MAX_AID_YUAN`].
    pub aid_yuan: Amount,
}

/// A member's time in a volunteer team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The member.
    pub member: MemberIdx,
    /// The days in the team.
    pub tenure: Tenure,
}

/// A party-member volunteer team (党员义工服务队).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerTeam {
    /// The host's identifier.
    pub id: ExtId,
    /// Its name.
    pub name: Name,
    /// The organization that owns it; its members come from this organization's subtree.
    pub org: OrgIdx,
    /// The day it was founded.
    pub founded: Date,
    /// Every membership, in the order recorded.
    #[serde(default)]
    pub members: Vec<Membership>,
}

impl VolunteerTeam {
    /// The member's open membership, if they are in the team now.
    pub fn open_membership(&self, member: MemberIdx) -> Option<usize> {
        super::tenure::open_of(self.tenures_of(member))
    }

    /// The member's memberships, by position, with their tenures, in order.
    pub(crate) fn tenures_of(
        &self,
        member: MemberIdx,
    ) -> impl Iterator<Item = (usize, &Tenure)> + Clone {
        self.members
            .iter()
            .enumerate()
            .filter(move |(_, m)| m.member == member)
            .map(|(i, m)| (i, &m.tenure))
    }

    /// How many members are in the team now.
    pub fn members_now(&self) -> usize {
        self.members.iter().filter(|m| m.tenure.is_open()).count()
    }
}

/// One counted output of a volunteer activity (e.g. `leaflets`: 5400).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    /// What was counted.
    pub what: Code,
    /// How many, 1 to [`MAX_COUNT`].
    pub count: u32,
}

/// An activity of a volunteer team (义诊, 宣传, 清扫 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerActivity {
    /// The host's identifier.
    pub id: ExtId,
    /// The day.
    pub on: Date,
    /// The team.
    pub team: TeamIdx,
    /// What kind of activity.
    pub kind: Code,
    /// People served (服务群众人次), at most [`MAX_COUNT`].
    pub people_served: u32,
    /// Other counted outputs, each `what` at most once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<Output>,
}

/// A leading cadre's contact point (联系点) at an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPoint {
    /// The leading cadre.
    pub leader: MemberIdx,
    /// The leader's organization on the day it was linked, which it counts under.
    pub leader_org: OrgIdx,
    /// The leader's level on the day it was linked.
    pub level: LeaderLevel,
    /// The organization linked.
    pub org: OrgIdx,
    /// The days linked.
    pub tenure: Tenure,
}

/// Who is paired with a village (结对共建's partner), as a command names it.
///
/// JSON: `{"org": "<org id>"}` (a city department's committee, or the organization of an
/// institution: a school or a clinic) or `{"member": "<member id>"}` (a party cadre).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum PartnerRef {
    /// An organization: a city department's committee (市直部门) or an institution's
    /// organization (事业单位: a school or a clinic).
    Org(ExtId),
    /// A party cadre (党员干部).
    Member(ExtId),
}

impl fmt::Display for PartnerRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartnerRef::Org(o) => write!(f, "organization {:?}", o.as_str()),
            PartnerRef::Member(m) => write!(f, "member {:?}", m.as_str()),
        }
    }
}

/// A village's partner, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Partner {
    /// An organization.
    Org(OrgIdx),
    /// A member.
    Member(MemberIdx),
}

/// What kind of partner a pairing counts as, in the seed's words: 市直部门, 事业单位, 党员干部.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    /// A city department's committee (市直部门).
    Department,
    /// An institution's organization (事业单位): a school or a clinic.
    Institution,
    /// A party cadre (党员干部).
    Cadre,
}

impl PartnerKind {
    /// The kind of an organization as a partner, if it may be one.
    pub fn of_org(kind: OrgKind) -> Option<PartnerKind> {
        match kind {
            OrgKind::CityDepartment => Some(PartnerKind::Department),
            OrgKind::School | OrgKind::Clinic => Some(PartnerKind::Institution),
            _ => None,
        }
    }
}

/// 结对共建 (双包双联): a partner paired with a village organization for a tenure. It counts
/// under the partner's organization (a member's: the one they were posted to when paired);
/// the village counts under itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pairing {
    /// The partner.
    pub partner: Partner,
    /// The partner's kind.
    pub kind: PartnerKind,
    /// The organization it counts under: the partner organization itself, or the member's
    /// organization on the day paired.
    pub partner_org: OrgIdx,
    /// The village organization.
    pub village: OrgIdx,
    /// The days paired.
    pub tenure: Tenure,
}

/// Where an instructor is sent, as a command names it.
///
/// JSON: `{"unit": "<unit id>"}` or `{"village": "<org id>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum TargetRef {
    /// A unit (a non-public enterprise, social organization or cooperative).
    Unit(ExtId),
    /// A village organization (行政村).
    Village(ExtId),
}

impl fmt::Display for TargetRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetRef::Unit(u) => write!(f, "unit {:?}", u.as_str()),
            TargetRef::Village(v) => write!(f, "village {:?}", v.as_str()),
        }
    }
}

/// Where an instructor is sent, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstructorTarget {
    /// A unit.
    Unit(UnitIdx),
    /// A village organization.
    Village(OrgIdx),
}

/// An instructor's assignment (派驻创先争优活动指导员).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructorAssignment {
    /// The instructor.
    pub instructor: MemberIdx,
    /// Where they are sent.
    pub target: InstructorTarget,
    /// The organization it counts under: the unit's area, or the village.
    pub org: OrgIdx,
    /// The days assigned.
    pub tenure: Tenure,
}

/// Any other activity of an organization (走进直播间, 惠民大篷车 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityRecord {
    /// The host's identifier.
    pub id: ExtId,
    /// The day.
    pub on: Date,
    /// The organization that held it.
    pub org: OrgIdx,
    /// What kind of activity, in the host's codes.
    pub kind: Code,
    /// Its title.
    pub title: Name,
    /// Participants (参与人数), at most [`MAX_COUNT`].
    pub participants: u32,
    /// People served (服务群众人次), at most [`MAX_COUNT`].
    pub people_served: u32,
}

// The binary layout of snapshots ([`crate::model::binary`]).
use crate::model::binary::{binary_enum, binary_struct, binary_union, index_binary, text_binary};

index_binary!(HotlineCaseIdx, TeamIdx);
text_binary!(Code);
binary_struct!(Tenure { from, until });
binary_struct!(CaseStep { on, text });
binary_struct!(HotlineCase {
    id,
    org,
    received,
    category,
    text,
    resolved,
    replied
});
binary_struct!(Donation {
    id,
    on,
    member,
    org,
    amount_yuan,
    drive
});
binary_struct!(HomeVisit {
    id,
    on,
    cadre,
    org,
    problems_solved,
    aid_yuan
});
binary_struct!(Membership { member, tenure });
binary_struct!(VolunteerTeam {
    id,
    name,
    org,
    founded,
    members
});
binary_struct!(Output { what, count });
binary_struct!(VolunteerActivity {
    id,
    on,
    team,
    kind,
    people_served,
    outputs
});
binary_struct!(ContactPoint {
    leader,
    leader_org,
    level,
    org,
    tenure
});
binary_enum!(PartnerKind {
    Department,
    Institution,
    Cadre
});
binary_union!(Partner { 0 => Org(a), 1 => Member(a) });
binary_union!(InstructorTarget { 0 => Unit(a), 1 => Village(a) });
binary_struct!(Pairing {
    partner,
    kind,
    partner_org,
    village,
    tenure
});
binary_struct!(InstructorAssignment {
    instructor,
    target,
    org,
    tenure
});
binary_struct!(ActivityRecord {
    id,
    on,
    org,
    kind,
    title,
    participants,
    people_served
});
