//! What makes each of the tree's events acceptable: kinds that may sit under each other, no
//! cycles, one secretary at a time, members in grassroots organizations, units under a
//! township-level committee or city department and covered by an organization of the matching
//! kind, up to the rules' limit; every dated fact after the one it follows.

use jiff::civil::Date;

use super::apply::Change;
use super::events::{
    AddMember, CoverUnit, CreateOrg, MoveOrg, PostMember, RegisterUnit, RenameOrg, SetLeaderLevel,
    SetUnitEligibility,
};
use super::{
    Actor, Ctx, EntityKind, OrgError, Registry, capacity, checks, out_of_order, wrong_kind,
};
use crate::model::times::{Fact, Mark};
use crate::model::{
    History, Member, MemberIdx, Org, OrgIdx, OrgKind, Posting, Role, Stamp, Unit, UnitIdx,
    UnitStanding,
};

type Checked = Result<Change, OrgError>;

/// What other domains recorded about a member that a change of posting must not contradict:
/// the ledger answers for them, so the tree need not know their records.
pub(crate) trait MemberRecords {
    /// The date of the latest 123 work method record naming `member`, if any.
    fn latest_123_record(&self, member: MemberIdx) -> Option<Date>;
    /// The date of the latest evaluation of `member`, if any.
    fn latest_evaluation(&self, member: MemberIdx) -> Option<Date>;
}

/// The root organization: created first, by itself, a city or province committee.
pub(crate) fn create_root(reg: &Registry, at: Stamp, actor: &Actor, e: &CreateOrg) -> Checked {
    if reg.root().is_some() {
        return Err(OrgError::Root {
            why: "the campaign already has its root; every other organization names a parent",
        });
    }
    if !matches!(e.kind, OrgKind::CityCommittee | OrgKind::ProvinceCommittee) {
        return Err(OrgError::Root {
            why: "the root organization must be a city or province committee",
        });
    }
    match actor {
        Actor::Org { org, by: None } if *org == e.id => {}
        _ => {
            return Err(OrgError::NotAuthorized {
                actor: super::actor_text(actor),
                target: format!("organization {:?}", e.id.as_str()),
                why: "the root organization is created by itself as actor, with no member named",
            });
        }
    }
    Ok(Change::CreateOrg(Org {
        id: e.id.clone(),
        name: e.name.clone(),
        kind: e.kind,
        parent: None,
        since: at.date,
        former_parents: Vec::new(),
        former_names: Vec::new(),
    }))
}

fn parent_kind(reg: &Registry, child: OrgKind, parent: OrgIdx) -> Result<(), OrgError> {
    let parent_kind = reg.org(parent).kind;
    if !child.may_sit_under(parent_kind) {
        return Err(OrgError::ParentKind {
            field: "event.parent",
            child,
            parent: parent_kind,
        });
    }
    Ok(())
}

pub(crate) fn create_org(ctx: &Ctx, e: &CreateOrg) -> Checked {
    let Some(parent) = &e.parent else {
        // The root is created before any actor can be resolved; kept as a refusal here.
        return Err(OrgError::Root {
            why: "the campaign already has its root; every other organization names a parent",
        });
    };
    let p = ctx.org_on("event.parent", parent)?;
    ctx.authority(p, false)?;
    if ctx.reg.org_by_id(e.id.as_str()).is_some() {
        return Err(OrgError::Duplicate {
            field: "event.id",
            kind: EntityKind::Org,
            id: e.id.to_string(),
        });
    }
    parent_kind(ctx.reg, e.kind, p)?;
    capacity(ctx.reg.orgs().len(), EntityKind::Org)?;
    Ok(Change::CreateOrg(Org {
        id: e.id.clone(),
        name: e.name.clone(),
        kind: e.kind,
        parent: Some(p),
        since: ctx.date(),
        former_parents: Vec::new(),
        former_names: Vec::new(),
    }))
}

pub(crate) fn move_org(ctx: &Ctx, e: &MoveOrg) -> Checked {
    let o = ctx.org_on("event.org", &e.org)?;
    let p = ctx.org_on("event.parent", &e.parent)?;
    ctx.authority(o, true)?;
    ctx.authority(p, false)?;
    let org = ctx.reg.org(o);
    if org.parent == Some(p) {
        return Err(OrgError::NoChange {
            field: "event.parent",
            value: e.parent.to_string(),
        });
    }
    if let Some(i) = org.former_parents.len().checked_sub(1) {
        let moved = (Mark(Fact::OrgMove, o.0, i as u32), org.former_parents[i].0);
        ctx.not_before("org.parent", moved)?;
    }
    if ctx.reg.is_at_or_above(o, p) {
        return Err(OrgError::Cycle {
            org: e.org.to_string(),
            parent: e.parent.to_string(),
        });
    }
    parent_kind(ctx.reg, org.kind, p)?;
    Ok(Change::MoveOrg {
        org: o,
        parent: p,
        date: ctx.date(),
    })
}

pub(crate) fn rename_org(ctx: &Ctx, e: &RenameOrg) -> Checked {
    let o = ctx.org_on("event.org", &e.org)?;
    ctx.authority(o, false)?;
    let org = ctx.reg.org(o);
    if org.name == e.name {
        return Err(OrgError::NoChange {
            field: "event.name",
            value: e.name.to_string(),
        });
    }
    // A name is a dated fact: reports as of an earlier day show the name then.
    if let Some((latest, _)) = org.former_names.last()
        && ctx.date() < *latest
    {
        return Err(out_of_order("org.name", ctx.date(), *latest));
    }
    Ok(Change::RenameOrg {
        org: o,
        name: e.name.clone(),
        date: ctx.date(),
    })
}

fn grassroots(ctx: &Ctx, o: OrgIdx) -> Result<(), OrgError> {
    if !ctx.reg.org(o).kind.is_grassroots() {
        return Err(wrong_kind(
            "event.org",
            ctx.reg,
            o,
            "is not a grassroots organization, where members belong",
        ));
    }
    Ok(())
}

pub(crate) fn add_member(ctx: &Ctx, e: &AddMember) -> Checked {
    let o = ctx.org_on("event.org", &e.org)?;
    ctx.authority(o, false)?;
    if ctx.reg.member_by_id(e.id.as_str()).is_some() {
        return Err(OrgError::Duplicate {
            field: "event.id",
            kind: EntityKind::Member,
            id: e.id.to_string(),
        });
    }
    grassroots(ctx, o)?;
    secretary_free(ctx.reg, o, e.role, None, ctx.date())?;
    capacity(ctx.reg.members().len(), EntityKind::Member)?;
    Ok(Change::AddMember(Member {
        id: e.id.clone(),
        category: e.category,
        leader_level: e.leader_level,
        postings: History::new(Posting {
            from: ctx.date(),
            org: o,
            role: e.role,
        }),
        former_levels: Vec::new(),
    }))
}

pub(crate) fn post_member(ctx: &Ctx, records: &dyn MemberRecords, e: &PostMember) -> Checked {
    let date = ctx.date();
    let m = ctx.member_of("event.member", &e.member)?;
    let o = ctx.org_on("event.org", &e.org)?;
    let member = ctx.reg.member(m);
    let current = member.current();
    ctx.authority(current.org, false)?;
    ctx.authority(o, false)?;
    grassroots(ctx, o)?;
    let last = member.postings.len().saturating_sub(1) as u32;
    ctx.not_before(
        "member.postings",
        (Mark(Fact::Posting, m.0, last), current.from),
    )?;
    if current.org == o && current.role == e.role {
        return Err(OrgError::NoChange {
            field: "event.role",
            value: format!("{} in {}", e.role.as_str(), e.org),
        });
    }
    // The 123 work method's records dated from `date` on were made by a cadre of the current
    // organization; unless they stay one, those records forbid the change.
    let stays_cadre = o == current.org && e.role.is_cadre();
    if !stays_cadre && let Some(latest) = records.latest_123_record(m).filter(|d| *d >= date) {
        return Err(out_of_order("member.method123_records", date, latest));
    }
    // A member evaluation names the organization the member belonged to on its date; moving
    // them from that date on would leave it naming the wrong one.
    if o != current.org
        && let Some(latest) = records.latest_evaluation(m).filter(|d| *d >= date)
    {
        return Err(out_of_order("member.evaluations", date, latest));
    }
    secretary_free(ctx.reg, o, e.role, Some(m), date)?;
    Ok(Change::PostMember {
        member: m,
        posting: Posting {
            from: date,
            org: o,
            role: e.role,
        },
    })
}

pub(crate) fn set_leader_level(ctx: &Ctx, e: &SetLeaderLevel) -> Checked {
    let m = super::member_on(ctx.reg, "event.member", &e.member, ctx.date())?;
    let member = ctx.reg.member(m);
    ctx.authority(member.current().org, false)?;
    if member.leader_level == e.leader_level {
        return Err(OrgError::NoChange {
            field: "event.leader_level",
            value: format!("{:?}", e.leader_level),
        });
    }
    // A leader level is a dated fact: reports as of an earlier day read the level then.
    if let Some((latest, _)) = member.former_levels.last()
        && ctx.date() < *latest
    {
        return Err(out_of_order("member.leader_level", ctx.date(), *latest));
    }
    Ok(Change::SetLeaderLevel {
        member: m,
        level: e.leader_level,
        date: ctx.date(),
    })
}

pub(crate) fn register_unit(ctx: &Ctx, e: &RegisterUnit) -> Checked {
    let a = ctx.org_on("event.area", &e.area)?;
    ctx.authority(a, false)?;
    if ctx.reg.unit_by_id(e.id.as_str()).is_some() {
        return Err(OrgError::Duplicate {
            field: "event.id",
            kind: EntityKind::Unit,
            id: e.id.to_string(),
        });
    }
    let area_kind = ctx.reg.org(a).kind;
    if !(area_kind.is_township_level() || area_kind == OrgKind::CityDepartment) {
        return Err(wrong_kind(
            "event.area",
            ctx.reg,
            a,
            "is not a township-level committee or city department, under which units are counted",
        ));
    }
    capacity(ctx.reg.units().len(), EntityKind::Unit)?;
    Ok(Change::RegisterUnit(Unit {
        id: e.id.clone(),
        name: e.name.clone(),
        kind: e.kind,
        area: a,
        standings: History::new(UnitStanding {
            from: ctx.date(),
            eligible: e.eligible,
            covered_by: None,
        }),
    }))
}

/// A unit's latest standing, as ordering checks key it.
fn last_standing(unit: &Unit, u: UnitIdx) -> (Mark, Date) {
    let last = unit.standings.len().saturating_sub(1) as u32;
    (Mark(Fact::Standing, u.0, last), unit.current().from)
}

pub(crate) fn set_unit_eligibility(ctx: &Ctx, e: &SetUnitEligibility) -> Checked {
    let u = super::unit_of(ctx.reg, "event.unit", &e.unit)?;
    let unit = ctx.reg.unit(u);
    ctx.authority(unit.area, false)?;
    let current = unit.current();
    ctx.not_before("unit.standings", last_standing(unit, u))?;
    if current.eligible == e.eligible {
        return Err(OrgError::NoChange {
            field: "event.eligible",
            value: e.eligible.to_string(),
        });
    }
    Ok(Change::SetStanding {
        unit: u,
        standing: UnitStanding {
            from: ctx.date(),
            eligible: e.eligible,
            covered_by: current.covered_by,
        },
    })
}

pub(crate) fn cover_unit(ctx: &Ctx, e: &CoverUnit) -> Checked {
    let u = super::unit_of(ctx.reg, "event.unit", &e.unit)?;
    let unit = ctx.reg.unit(u);
    ctx.authority(unit.area, false)?;
    let current = unit.current();
    ctx.not_before("unit.standings", last_standing(unit, u))?;
    let covered_by = match &e.org {
        None => None,
        Some(org) => Some(coverer(ctx, u, org)?),
    };
    if current.covered_by == covered_by {
        return Err(OrgError::NoChange {
            field: "event.org",
            value: e
                .org
                .as_ref()
                .map_or("none".to_string(), ToString::to_string),
        });
    }
    Ok(Change::SetStanding {
        unit: u,
        standing: UnitStanding {
            from: ctx.date(),
            eligible: current.eligible,
            covered_by,
        },
    })
}

/// The organization `org` names, as one that may cover unit `u` from the command's date on:
/// of the kind the unit's kind calls for, and with room under the rules' limit.
fn coverer(ctx: &Ctx, u: UnitIdx, org: &crate::model::ExtId) -> Result<OrgIdx, OrgError> {
    let unit = ctx.reg.unit(u);
    let o = ctx.org_on("event.org", org)?;
    ctx.authority(o, false)?;
    let found = ctx.reg.org(o).kind;
    let expected = unit.kind.covering_org_kind();
    if found != expected {
        return Err(OrgError::CoverageKind {
            unit_kind: unit.kind,
            expected,
            found,
        });
    }
    // Counted on every day from the command's date on, so a backdated cover cannot overfill a
    // past day.
    let max = ctx.rules.coverage.max_units_per_org;
    if unit.current().covered_by != Some(o)
        && ctx.reg.most_units_covered_from(o, ctx.date(), Some(u)) >= max
    {
        return Err(OrgError::CoverageFull {
            org: org.to_string(),
            max,
        });
    }
    Ok(o)
}

/// A new secretary from `from` on must not overlap any other secretary's days, including one
/// who stepped down after `from` (a backdated appointment).
fn secretary_free(
    reg: &Registry,
    org: OrgIdx,
    role: Role,
    member: Option<MemberIdx>,
    from: Date,
) -> Result<(), OrgError> {
    if role != Role::Secretary {
        return Ok(());
    }
    match reg.secretary_from(org, from, member) {
        Some(s) => Err(OrgError::SecretaryTaken {
            org: reg.org(org).id.to_string(),
            secretary: reg.member(s).id.to_string(),
        }),
        None => Ok(()),
    }
}

checks! {
    records: Registry, change: Change, error: OrgError;
    ; ctx only:
    CreateOrg => create_org,
    MoveOrg => move_org,
    RenameOrg => rename_org,
    AddMember => add_member,
    SetLeaderLevel => set_leader_level,
    RegisterUnit => register_unit,
    SetUnitEligibility => set_unit_eligibility,
    CoverUnit => cover_unit,
}

/// A change of posting reads what the other domains recorded of the member.
impl<S: MemberRecords> super::Rule<S> for PostMember {
    type Change = Change;
    type Error = OrgError;
    fn check(&self, ctx: &Ctx, state: &S) -> Checked {
        post_member(ctx, state, self)
    }
}
