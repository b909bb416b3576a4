//! Units that party organizations should cover: non-public enterprises, social organizations
//! and farmers' cooperatives.
//!
//! Coverage counts units, not organizations: one joint organization (联合党组织) may cover
//! several units, so 353 organizations can cover 427 of 493 enterprises. A unit's eligibility
//! (符合建组条件: e.g. fixed premises, enough staff, real operations) decides whether it is in
//! the denominator. Both facts are dated, so coverage on any date is a filter.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Dated, ExtId, History, Name, OrgIdx, OrgKind};

/// The kind of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 非公有制经济组织: a non-public enterprise.
    NonPublicEnterprise,
    /// 新社会组织: a social organization.
    SocialOrganization,
    /// 农民专业合作社: a farmers' cooperative.
    Cooperative,
}

impl UnitKind {
    /// Every kind, in report order.
    pub const ALL: [UnitKind; 3] = [
        UnitKind::NonPublicEnterprise,
        UnitKind::SocialOrganization,
        UnitKind::Cooperative,
    ];

    /// The kind of organization that covers units of this kind.
    ///
    /// ```
    /// use chuangzheng::model::{OrgKind, UnitKind};
    ///
    /// assert_eq!(UnitKind::NonPublicEnterprise.covering_org_kind(), OrgKind::Enterprise);
    /// ```
    pub fn covering_org_kind(self) -> OrgKind {
        match self {
            UnitKind::NonPublicEnterprise => OrgKind::Enterprise,
            UnitKind::SocialOrganization => OrgKind::SocialOrganization,
            UnitKind::Cooperative => OrgKind::Cooperative,
        }
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            UnitKind::NonPublicEnterprise => "非公有制经济组织",
            UnitKind::SocialOrganization => "新社会组织",
            UnitKind::Cooperative => "农民专业合作社",
        }
    }

    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::NonPublicEnterprise => "non_public_enterprise",
            UnitKind::SocialOrganization => "social_organization",
            UnitKind::Cooperative => "cooperative",
        }
    }
}

/// Dense index of a unit inside one campaign's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitIdx(pub u32);

/// A unit's standing from a date on: eligible or not, covered by which organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitStanding {
    /// The first day of this standing.
    pub from: Date,
    /// Whether the unit meets the conditions to set up an organization (in the denominator).
    pub eligible: bool,
    /// The organization covering it, if any.
    pub covered_by: Option<OrgIdx>,
}

/// A unit as the state holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// The host's identifier.
    pub id: ExtId,
    /// The name shown in reports.
    pub name: Name,
    /// The kind.
    pub kind: UnitKind,
    /// The committee of the area or sector it belongs to (township-level or city department),
    /// which decides the subtree it is counted in.
    pub area: OrgIdx,
    /// Standings, oldest first; the last is current.
    pub standings: History<UnitStanding>,
}

impl Dated for UnitStanding {
    fn from(&self) -> Date {
        self.from
    }
}

impl Unit {
    /// The current standing.
    pub fn current(&self) -> UnitStanding {
        self.standings.current()
    }

    /// The standing in force on `date`, or `None` before the unit was registered.
    pub fn standing_on(&self, date: Date) -> Option<UnitStanding> {
        self.standings.on(date)
    }
}
