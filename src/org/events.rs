//! The events of this domain: what a host sends, and what the journal records. Each is the
//! payload of one [`Event`](crate::ledger::Event) variant; its JSON is
//! `{"<event name>": {fields}}`.

use serde::{Deserialize, Serialize};

use crate::model::{ExtId, LeaderLevel, MemberCategory, Name, OrgKind, Role, UnitKind};

/// Establish an organization. The first event of a campaign creates its root (the city
/// committee) with no parent, by the root itself as actor; every later one names a parent
/// within the actor's subtree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateOrg {
    /// The new organization's identifier.
    pub id: ExtId,
    /// Its name.
    pub name: Name,
    /// Its kind; must be allowed under the parent's kind.
    pub kind: OrgKind,
    /// The parent; absent only for the root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<ExtId>,
}

/// Move an organization under another parent. The actor must be strictly above the
/// organization and at or above the new parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveOrg {
    /// The organization to move.
    pub org: ExtId,
    /// Its new parent.
    pub parent: ExtId,
}

/// Rename an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenameOrg {
    /// The organization.
    pub org: ExtId,
    /// Its new name.
    pub name: Name,
}

/// Add a member to a grassroots organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddMember {
    /// The new member's identifier.
    pub id: ExtId,
    /// The grassroots organization.
    pub org: ExtId,
    /// The member's category.
    pub category: MemberCategory,
    /// The role in the organization; at most one secretary per organization.
    pub role: Role,
    /// The leader level; none if absent (and left out when none).
    #[serde(default, skip_serializing_if = "LeaderLevel::is_none")]
    pub leader_level: LeaderLevel,
}

/// Post a member to an organization and role (a transfer, a change of role, or both), from
/// the command's date on. The actor needs authority over both the old and the new
/// organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostMember {
    /// The member.
    pub member: ExtId,
    /// The grassroots organization from now on.
    pub org: ExtId,
    /// The role from now on.
    pub role: Role,
}

/// Set a member's leader level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetLeaderLevel {
    /// The member.
    pub member: ExtId,
    /// The new level.
    pub leader_level: LeaderLevel,
}

/// Register a unit (enterprise, social organization, cooperative) under the committee of
/// its area or sector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterUnit {
    /// The unit's identifier.
    pub id: ExtId,
    /// Its name.
    pub name: Name,
    /// Its kind.
    pub kind: UnitKind,
    /// The township-level committee or city department it is counted under.
    pub area: ExtId,
    /// Whether it meets the conditions to set up an organization.
    pub eligible: bool,
}

/// Record whether a unit meets the conditions to set up an organization, from the
/// command's date on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetUnitEligibility {
    /// The unit.
    pub unit: ExtId,
    /// Eligible or not.
    pub eligible: bool,
}

/// Record which organization covers a unit from the command's date on (`null` or absent:
/// none). A joint organization may cover several units, up to the rules' limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverUnit {
    /// The unit.
    pub unit: ExtId,
    /// The covering organization, of the kind that matches the unit's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<ExtId>,
}
