//! Organizations and the kinds of tree they form.
//!
//! A campaign's organizations form one tree under the city committee (市委), or under a
//! province committee (省委) whose cities each head such a tree:
//!
//! ```text
//! city_committee (市委)
//! ├── township_committee / street_committee / farm_committee (乡镇、街道、农场党委)
//! │   └── village, community, organ, school, clinic, enterprise, social_organization, cooperative
//! └── city_department (市直部门党委)
//!     └── organ, school, clinic, enterprise, social_organization
//! ```
//!
//! [`OrgKind::may_sit_under`] is the table of which kind may sit under which; the ledger checks
//! it on every change to the tree. Members belong to grassroots organizations only
//! ([`OrgKind::is_grassroots`]).

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{ExtId, Name};

/// The kind of an organization.
///
/// ```
/// use chuangzheng::model::OrgKind;
///
/// assert!(OrgKind::Village.may_sit_under(OrgKind::TownshipCommittee));
/// assert!(!OrgKind::Village.may_sit_under(OrgKind::Village));
/// assert!(!OrgKind::Village.may_sit_under(OrgKind::CityDepartment));
/// assert_eq!(OrgKind::Village.label_zh(), "村党组织");
/// // A province's cities sit under it; nothing sits above a province, and no city under a city.
/// assert!(OrgKind::CityCommittee.may_sit_under(OrgKind::ProvinceCommittee));
/// assert!(!OrgKind::CityCommittee.may_sit_under(OrgKind::CityCommittee));
/// assert!(!OrgKind::ProvinceCommittee.may_sit_under(OrgKind::CityCommittee));
/// assert!(!OrgKind::TownshipCommittee.may_sit_under(OrgKind::ProvinceCommittee));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 省委: a province committee, the root of a province's tree, above its cities.
    ProvinceCommittee,
    /// 市委: the city committee, the root of a city's tree (or a city under a province).
    CityCommittee,
    /// 乡镇党委: a township committee.
    TownshipCommittee,
    /// 街道党委 (党工委): a street committee.
    StreetCommittee,
    /// 农场党委: a farm committee.
    FarmCommittee,
    /// 市直部门党委: the committee of a city department.
    CityDepartment,
    /// 村党组织: a village organization.
    Village,
    /// 社区党组织: a community organization.
    Community,
    /// 机关党组织: an organ (government office) organization.
    Organ,
    /// 学校党组织: a school organization.
    School,
    /// 卫生院党组织: a clinic organization.
    Clinic,
    /// 非公企业党组织: a non-public enterprise organization (may be a joint one).
    Enterprise,
    /// 新社会组织党组织: a social organization's organization (may be a joint one).
    SocialOrganization,
    /// 农民专业合作社党组织: a farmers' cooperative organization.
    Cooperative,
}

impl OrgKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [OrgKind; 14] = [
        OrgKind::ProvinceCommittee,
        OrgKind::CityCommittee,
        OrgKind::TownshipCommittee,
        OrgKind::StreetCommittee,
        OrgKind::FarmCommittee,
        OrgKind::CityDepartment,
        OrgKind::Village,
        OrgKind::Community,
        OrgKind::Organ,
        OrgKind::School,
        OrgKind::Clinic,
        OrgKind::Enterprise,
        OrgKind::SocialOrganization,
        OrgKind::Cooperative,
    ];

    /// The names accepted in JSON, for error messages.
    pub const NAMES: &'static str = "province_committee, city_committee, township_committee, street_committee, \
        farm_committee, city_department, village, community, organ, school, clinic, enterprise, \
        social_organization, cooperative";

    /// Whether this is a township-level committee (乡镇、街道、农场党委).
    pub fn is_township_level(self) -> bool {
        matches!(
            self,
            OrgKind::TownshipCommittee | OrgKind::StreetCommittee | OrgKind::FarmCommittee
        )
    }

    /// Whether this is a grassroots organization (基层党组织), the kind members belong to.
    pub fn is_grassroots(self) -> bool {
        !self.is_township_level()
            && !matches!(
                self,
                OrgKind::ProvinceCommittee | OrgKind::CityCommittee | OrgKind::CityDepartment
            )
    }

    /// Whether an organization of this kind may sit directly under one of kind `parent`.
    /// A province committee sits under nothing; a city committee is a root or sits under a
    /// province committee.
    pub fn may_sit_under(self, parent: OrgKind) -> bool {
        use OrgKind::*;
        match self {
            ProvinceCommittee => false,
            CityCommittee => parent == ProvinceCommittee,
            TownshipCommittee | StreetCommittee | FarmCommittee | CityDepartment => {
                parent == CityCommittee
            }
            // Villages, communities and cooperatives are territorial: a township-level
            // committee leads them, never a department.
            Village | Community | Cooperative => parent.is_township_level(),
            Organ | School | Clinic | Enterprise | SocialOrganization => {
                parent.is_township_level() || parent == CityDepartment
            }
        }
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            OrgKind::ProvinceCommittee => "省委",
            OrgKind::CityCommittee => "市委",
            OrgKind::TownshipCommittee => "乡镇党委",
            OrgKind::StreetCommittee => "街道党工委",
            OrgKind::FarmCommittee => "农场党委",
            OrgKind::CityDepartment => "市直部门党委",
            OrgKind::Village => "村党组织",
            OrgKind::Community => "社区党组织",
            OrgKind::Organ => "机关党组织",
            OrgKind::School => "学校党组织",
            OrgKind::Clinic => "卫生院党组织",
            OrgKind::Enterprise => "非公企业党组织",
            OrgKind::SocialOrganization => "新社会组织党组织",
            OrgKind::Cooperative => "农民专业合作社党组织",
        }
    }

    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::ProvinceCommittee => "province_committee",
            OrgKind::CityCommittee => "city_committee",
            OrgKind::TownshipCommittee => "township_committee",
            OrgKind::StreetCommittee => "street_committee",
            OrgKind::FarmCommittee => "farm_committee",
            OrgKind::CityDepartment => "city_department",
            OrgKind::Village => "village",
            OrgKind::Community => "community",
            OrgKind::Organ => "organ",
            OrgKind::School => "school",
            OrgKind::Clinic => "clinic",
            OrgKind::Enterprise => "enterprise",
            OrgKind::SocialOrganization => "social_organization",
            OrgKind::Cooperative => "cooperative",
        }
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Dense index of an organization inside one campaign's state. Stable for the life of the
/// campaign (organizations are never removed), but meaningless outside it: hosts use [`ExtId`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrgIdx(pub u32);

/// An organization as the state holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    /// The host's identifier.
    pub id: ExtId,
    /// The name shown in reports.
    pub name: Name,
    /// The kind, which fixes where it may sit in the tree.
    pub kind: OrgKind,
    /// The parent organization; `None` only for the root.
    pub parent: Option<OrgIdx>,
    /// The date it was recorded as established.
    pub since: Date,
    /// Earlier parents, each with the date it stopped being the parent (oldest first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_parents: Vec<(Date, OrgIdx)>,
    /// Earlier names, each with the date it stopped being the name (oldest first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_names: Vec<(Date, Name)>,
}

impl Org {
    /// The parent on `date`: the one it had then, whatever moves came after (`None` for the
    /// root). Before the organization was established, the parent it was established under.
    ///
    /// ```
    /// use chuangzheng::model::{ExtId, Name, Org, OrgIdx, OrgKind};
    /// use jiff::civil::date;
    ///
    /// let village = Org {
    ///     id: ExtId::new("id", "v-1").unwrap(),
    ///     name: Name::new("name", "新村").unwrap(),
    ///     kind: OrgKind::Village,
    ///     parent: Some(OrgIdx(2)),
    ///     since: date(2026, 1, 1),
    ///     // Under township 1 until 2026-07-01, under township 2 from that day.
    ///     former_parents: vec![(date(2026, 7, 1), OrgIdx(1))],
    ///     former_names: vec![(date(2026, 3, 1), Name::new("name", "老村").unwrap())],
    /// };
    /// assert_eq!(village.parent_on(date(2026, 6, 30)), Some(OrgIdx(1)));
    /// assert_eq!(village.parent_on(date(2026, 7, 1)), Some(OrgIdx(2)));
    /// assert_eq!(village.name_on(date(2026, 2, 28)).as_str(), "老村");
    /// assert_eq!(village.name_on(date(2026, 3, 1)).as_str(), "新村");
    /// ```
    pub fn parent_on(&self, date: Date) -> Option<OrgIdx> {
        match self.former_parents.iter().find(|(until, _)| *until > date) {
            Some((_, p)) => Some(*p),
            None => self.parent,
        }
    }

    /// The name on `date`; before the first rename, the first name.
    pub fn name_on(&self, date: Date) -> &Name {
        match self.former_names.iter().find(|(until, _)| *until > date) {
            Some((_, n)) => n,
            None => &self.name,
        }
    }

    /// Whether the organization had been established by `date`.
    pub fn exists_on(&self, date: Date) -> bool {
        self.since <= date
    }
}

/// The organization tree as it stood on one day: the organizations established by then, each
/// under the parent it had that day. Reports read the tree so, never the tree of today: a
/// village that moved into a township after that day is not in its subtree yet.
///
/// ```
/// use chuangzheng::model::{DatedTree, ExtId, Name, Org, OrgIdx, OrgKind};
/// use jiff::civil::date;
///
/// let org = |id: &str, kind, parent: Option<u32>, since| Org {
///     id: ExtId::new("id", id).unwrap(),
///     name: Name::new("name", id).unwrap(),
///     kind,
///     parent: parent.map(OrgIdx),
///     since,
///     former_parents: Vec::new(),
///     former_names: Vec::new(),
/// };
/// let mut village = org("v", OrgKind::Village, Some(2), date(2026, 1, 1));
/// village.former_parents = vec![(date(2026, 7, 1), OrgIdx(1))];
/// let orgs = [
///     org("city", OrgKind::CityCommittee, None, date(2026, 1, 1)),
///     org("t-1", OrgKind::TownshipCommittee, Some(0), date(2026, 1, 1)),
///     org("t-2", OrgKind::TownshipCommittee, Some(0), date(2026, 1, 1)),
///     village,
/// ];
/// let june = DatedTree::of(&orgs, date(2026, 6, 30));
/// assert_eq!(june.children(OrgIdx(1)), &[OrgIdx(3)]);
/// assert_eq!(june.subtree(OrgIdx(2)), vec![OrgIdx(2)]);
/// let july = DatedTree::of(&orgs, date(2026, 7, 1));
/// assert_eq!(july.subtree(OrgIdx(2)), vec![OrgIdx(2), OrgIdx(3)]);
/// assert!(DatedTree::of(&orgs, date(2025, 12, 31)).subtree(OrgIdx(0)).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedTree {
    on: Date,
    /// Per organization: established by `on`.
    exists: Vec<bool>,
    /// Per organization: its children on `on`, in index order.
    children: Vec<Vec<OrgIdx>>,
}

impl DatedTree {
    /// The tree of `orgs` (indexed by [`OrgIdx`]) as it stood on `on`.
    pub fn of(orgs: &[Org], on: Date) -> DatedTree {
        let mut children = vec![Vec::new(); orgs.len()];
        let mut exists = vec![false; orgs.len()];
        for (i, org) in orgs.iter().enumerate().filter(|(_, o)| o.exists_on(on)) {
            exists[i] = true;
            if let Some(list) = org
                .parent_on(on)
                .and_then(|p| children.get_mut(p.0 as usize))
            {
                list.push(OrgIdx(i as u32));
            }
        }
        DatedTree {
            on,
            exists,
            children,
        }
    }

    /// The day the tree stood so.
    pub fn on(&self) -> Date {
        self.on
    }

    /// Whether `org` was established by the tree's day.
    pub fn contains(&self, org: OrgIdx) -> bool {
        self.exists.get(org.0 as usize).copied().unwrap_or(false)
    }

    /// The organizations directly under `org` that day, in index (creation) order.
    pub fn children(&self, org: OrgIdx) -> &[OrgIdx] {
        self.children.get(org.0 as usize).map_or(&[], Vec::as_slice)
    }

    /// `org` and every organization below it that day, parents before children; empty if
    /// `org` was not established yet.
    pub fn subtree(&self, org: OrgIdx) -> Vec<OrgIdx> {
        if !self.contains(org) {
            return Vec::new();
        }
        let mut out = vec![org];
        let mut next = 0;
        while next < out.len() {
            out.extend_from_slice(self.children(out[next]));
            next += 1;
        }
        out
    }
}
