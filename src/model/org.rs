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
}
