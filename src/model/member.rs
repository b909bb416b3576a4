//! Party members: category, role and leader level, with their dated history.
//!
//! A member is posted to one grassroots organization at a time, with one [`Role`] there. Each
//! change of organization or role is a new [`Posting`] dated when it took effect, so the cadres
//! of a village on any date (the 123 work method counts them) are a filter over the history.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Dated, ExtId, History, OrgIdx, OrgKind};

/// The category of a member, which decides the default pledge carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberCategory {
    /// 农民党员: a farmer member (carrier 设岗定责).
    Farmer,
    /// 机关党员: an organ member (carrier 双岗双责).
    Organ,
    /// 社区党员: a community member (carrier 责任进楼院).
    Community,
    /// 企业党员: an enterprise member (carrier 先锋岗).
    Enterprise,
    /// 其他党员: any other member (schools, clinics, social organizations, retirees).
    Other,
}

impl MemberCategory {
    /// Every category, in report order.
    pub const ALL: [MemberCategory; 5] = [
        MemberCategory::Farmer,
        MemberCategory::Organ,
        MemberCategory::Community,
        MemberCategory::Enterprise,
        MemberCategory::Other,
    ];

    /// The usual category of a member of an organization of `kind`; hosts may say otherwise.
    ///
    /// ```
    /// use chuangzheng::model::{MemberCategory, OrgKind};
    ///
    /// assert_eq!(MemberCategory::usual_for(OrgKind::Village), MemberCategory::Farmer);
    /// assert_eq!(MemberCategory::usual_for(OrgKind::School), MemberCategory::Other);
    /// ```
    pub fn usual_for(kind: OrgKind) -> MemberCategory {
        match kind {
            OrgKind::Village | OrgKind::Cooperative => MemberCategory::Farmer,
            OrgKind::Organ => MemberCategory::Organ,
            OrgKind::Community => MemberCategory::Community,
            OrgKind::Enterprise => MemberCategory::Enterprise,
            _ => MemberCategory::Other,
        }
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            MemberCategory::Farmer => "农民党员",
            MemberCategory::Organ => "机关党员",
            MemberCategory::Community => "社区党员",
            MemberCategory::Enterprise => "企业党员",
            MemberCategory::Other => "其他党员",
        }
    }

    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MemberCategory::Farmer => "farmer",
            MemberCategory::Organ => "organ",
            MemberCategory::Community => "community",
            MemberCategory::Enterprise => "enterprise",
            MemberCategory::Other => "other",
        }
    }
}

/// A member's role in their organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 书记: the secretary; at most one per organization at a time.
    Secretary,
    /// 支委: a committee member.
    CommitteeMember,
    /// 普通党员: an ordinary member.
    Ordinary,
}

impl Role {
    /// Every role, in report order.
    pub const ALL: [Role; 3] = [Role::Secretary, Role::CommitteeMember, Role::Ordinary];

    /// Whether the role is a cadre's (书记 or 支委), who may act for the organization.
    pub fn is_cadre(self) -> bool {
        matches!(self, Role::Secretary | Role::CommitteeMember)
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Secretary => "书记",
            Role::CommitteeMember => "支委",
            Role::Ordinary => "普通党员",
        }
    }

    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Secretary => "secretary",
            Role::CommitteeMember => "committee_member",
            Role::Ordinary => "ordinary",
        }
    }
}

/// A member's rank as a leading cadre (党员领导干部), if any.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum LeaderLevel {
    /// Not a leading cadre.
    #[default]
    None,
    /// 科级: section level.
    Section,
    /// 市级: city level.
    City,
}

impl LeaderLevel {
    /// Whether this is [`LeaderLevel::None`].
    pub fn is_none(&self) -> bool {
        *self == LeaderLevel::None
    }

    /// Every level, in report order.
    pub const ALL: [LeaderLevel; 3] = [LeaderLevel::None, LeaderLevel::Section, LeaderLevel::City];

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            LeaderLevel::None => "非领导干部",
            LeaderLevel::Section => "科级党员领导干部",
            LeaderLevel::City => "市级党员领导干部",
        }
    }
}

/// Dense index of a member inside one campaign's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MemberIdx(pub u32);

/// Where a member was posted and in which role, from a date on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    /// The first day of this posting.
    pub from: Date,
    /// The organization.
    pub org: OrgIdx,
    /// The role held there.
    pub role: Role,
}

/// A member as the state holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The host's identifier.
    pub id: ExtId,
    /// The category.
    pub category: MemberCategory,
    /// The leader level (current).
    pub leader_level: LeaderLevel,
    /// Postings, oldest first; the last is current.
    pub postings: History<Posting>,
    /// Earlier leader levels, each with the date it stopped being the level (oldest first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_levels: Vec<(Date, LeaderLevel)>,
}

impl Dated for Posting {
    fn from(&self) -> Date {
        self.from
    }
}

impl Member {
    /// The current posting.
    pub fn current(&self) -> Posting {
        self.postings.current()
    }

    /// The posting in force on `date`, or `None` before the member's first posting.
    ///
    /// ```
    /// use chuangzheng::model::{ExtId, History, LeaderLevel, Member, MemberCategory, OrgIdx, Posting, Role};
    /// use jiff::civil::date;
    ///
    /// let m = Member {
    ///     id: ExtId::new("id", "m-1").unwrap(),
    ///     category: MemberCategory::Farmer,
    ///     leader_level: LeaderLevel::None,
    ///     postings: vec![
    ///         Posting { from: date(2026, 1, 1), org: OrgIdx(3), role: Role::Ordinary },
    ///         Posting { from: date(2026, 4, 1), org: OrgIdx(3), role: Role::Secretary },
    ///     ]
    ///     .try_into()
    ///     .unwrap(),
    ///     former_levels: Vec::new(),
    /// };
    /// assert_eq!(m.posting_on(date(2025, 12, 31)), None);
    /// assert_eq!(m.posting_on(date(2026, 3, 31)).unwrap().role, Role::Ordinary);
    /// assert_eq!(m.posting_on(date(2026, 4, 1)).unwrap().role, Role::Secretary);
    /// ```
    pub fn posting_on(&self, date: Date) -> Option<Posting> {
        self.postings.on(date)
    }

    /// The leader level on `date`: the one set by then, whatever changes came after.
    ///
    /// ```
    /// use chuangzheng::model::{ExtId, History, LeaderLevel, Member, MemberCategory, OrgIdx, Posting, Role};
    /// use jiff::civil::date;
    ///
    /// let first = Posting { from: date(2026, 1, 1), org: OrgIdx(3), role: Role::Ordinary };
    /// let m = Member {
    ///     id: ExtId::new("id", "m-1").unwrap(),
    ///     category: MemberCategory::Organ,
    ///     // Section level until 2026-12-31, city level from that day.
    ///     leader_level: LeaderLevel::City,
    ///     postings: History::new(first),
    ///     former_levels: vec![(date(2026, 12, 31), LeaderLevel::Section)],
    /// };
    /// assert_eq!(m.level_on(date(2026, 12, 30)), LeaderLevel::Section);
    /// assert_eq!(m.level_on(date(2026, 12, 31)), LeaderLevel::City);
    /// ```
    pub fn level_on(&self, date: Date) -> LeaderLevel {
        match self.former_levels.iter().find(|(until, _)| *until > date) {
            Some((_, level)) => *level,
            None => self.leader_level,
        }
    }
}
