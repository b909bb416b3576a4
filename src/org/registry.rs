//! The registry: every organization, member and unit, with the indexes that make lookups by
//! external id and by tree position cheap, and the tree's dated reads.
//!
//! Only the entity lists are serialized; the indexes are derived and rebuilt on load, where every
//! invariant is checked again ([`Registry::load`]).

use jiff::civil::Date;
use serde::Serialize;

use super::scope::Scope;
use crate::model::fast::IdMap;
use crate::model::keyed::ByKey;
use crate::model::{DatedTree, Member, MemberIdx, Org, OrgIdx, Role, Unit, UnitIdx};

/// Most organizations, members or units a campaign holds (dense `u32` indices).
pub const MAX_ENTITIES: u32 = u32::MAX - 1;

/// Deepest organization tree; the kind table allows 3 levels, this bounds every walk up.
pub const MAX_DEPTH: usize = 16;

/// Every organization, member and unit of a campaign, in the order they were recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Registry {
    orgs: Vec<Org>,
    members: Vec<Member>,
    units: Vec<Unit>,
    #[serde(skip)]
    derived: Derived,
}

/// Indexes rebuilt from the entity lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Derived {
    org_by_id: IdMap<OrgIdx>,
    member_by_id: IdMap<MemberIdx>,
    unit_by_id: IdMap<UnitIdx>,
    children: Vec<Vec<OrgIdx>>,
    secretary: Vec<Option<MemberIdx>>,
    units_covered: Vec<u32>,
    /// Per organization: members posted to it now.
    org_members: Vec<u32>,
    /// Per organization: every member who has held its secretary's role, on any date.
    secretaries_ever: Vec<Vec<MemberIdx>>,
    /// Per organization: every unit it has covered, on any date.
    covered_ever: Vec<Vec<UnitIdx>>,
    /// Per organization: every member posted to it, on any date (sorted).
    posted_ever: Vec<Vec<MemberIdx>>,
    /// The units by their area's committee.
    units_by_area: ByKey,
    /// Per organization: neither it nor any organization above it ever moved.
    settled: Vec<bool>,
    /// The day of the latest move of an organization, if one moved.
    last_move: Option<Date>,
}

impl Derived {
    /// Indexes `member`, at `idx` of the members' list.
    fn index_member(&mut self, member: &Member, idx: MemberIdx) {
        let p = member.current();
        if p.role == Role::Secretary {
            self.secretary[p.org.0 as usize] = Some(idx);
        }
        for p in &member.postings {
            self.note_secretary(p, idx);
            insert_sorted(&mut self.posted_ever[p.org.0 as usize], idx);
        }
        self.org_members[p.org.0 as usize] += 1;
        self.member_by_id.insert(member.id.clone(), idx);
    }

    fn note_secretary(&mut self, p: &crate::model::Posting, idx: MemberIdx) {
        if p.role == Role::Secretary {
            insert_sorted(&mut self.secretaries_ever[p.org.0 as usize], idx);
        }
    }
}

/// A registry is its own, so what reads the tree takes a registry or a whole state alike.
impl AsRef<Registry> for Registry {
    fn as_ref(&self) -> &Registry {
        self
    }
}

impl Registry {
    /// Every organization, in order of creation.
    pub fn orgs(&self) -> &[Org] {
        &self.orgs
    }

    /// Every member, in order of creation.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// Every unit, in order of registration.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// How many members are posted to `org` now.
    pub fn members_now(&self, org: OrgIdx) -> u32 {
        self.derived.org_members[org.0 as usize]
    }

    /// The root organization (the city or province committee), once created.
    pub fn root(&self) -> Option<OrgIdx> {
        (!self.orgs.is_empty()).then_some(OrgIdx(0))
    }

    /// The organization at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state (indices are only ever handed out by it).
    pub fn org(&self, idx: OrgIdx) -> &Org {
        &self.orgs[idx.0 as usize]
    }

    /// The member at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state (indices are only ever handed out by it).
    pub fn member(&self, idx: MemberIdx) -> &Member {
        &self.members[idx.0 as usize]
    }

    /// The unit at `idx`.
    ///
    /// # Panics
    ///
    /// If `idx` does not come from this state (indices are only ever handed out by it).
    pub fn unit(&self, idx: UnitIdx) -> &Unit {
        &self.units[idx.0 as usize]
    }

    /// The organization with external id `id`.
    pub fn org_by_id(&self, id: &str) -> Option<OrgIdx> {
        self.derived.org_by_id.get(id).copied()
    }

    /// The member with external id `id`.
    pub fn member_by_id(&self, id: &str) -> Option<MemberIdx> {
        self.derived.member_by_id.get(id).copied()
    }

    /// The unit with external id `id`.
    pub fn unit_by_id(&self, id: &str) -> Option<UnitIdx> {
        self.derived.unit_by_id.get(id).copied()
    }

    /// The organizations directly under `idx`, in index (creation) order.
    pub fn children(&self, idx: OrgIdx) -> &[OrgIdx] {
        &self.derived.children[idx.0 as usize]
    }

    /// Every member posted to `idx` on some date, in index order.
    pub fn members_ever(&self, idx: OrgIdx) -> &[MemberIdx] {
        &self.derived.posted_ever[idx.0 as usize]
    }

    /// Per organization: whether neither it nor any organization above it ever moved, so that
    /// its place in the tree is the same on every day it exists.
    pub fn settled(&self) -> &[bool] {
        &self.derived.settled
    }

    /// The day of the latest move of an organization (`move_org`), if one ever moved: on any
    /// day from then on, the tree is today's (restricted to the organizations established).
    pub fn last_move(&self) -> Option<Date> {
        self.derived.last_move
    }

    /// The units `scope` can count: those of its areas, and those its organizations ever
    /// covered; sorted.
    pub(crate) fn unit_positions(&self, scope: &Scope) -> Vec<u32> {
        let mut out = Vec::new();
        self.derived.units_by_area.gather(scope.orgs(), &mut out);
        for o in scope.orgs() {
            out.extend(self.derived.covered_ever[o as usize].iter().map(|u| u.0));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The current secretary of `idx`, if any.
    pub fn secretary(&self, idx: OrgIdx) -> Option<MemberIdx> {
        self.derived.secretary[idx.0 as usize]
    }

    /// How many units `idx` covers now.
    pub fn units_covered(&self, idx: OrgIdx) -> u32 {
        self.derived.units_covered[idx.0 as usize]
    }

    /// A member other than `except` who holds the secretary's role in `org` on some day from
    /// `from` on, if any. Histories only grow at their end, so a new secretary from `from` on
    /// is allowed exactly when this is `None`.
    pub fn secretary_from(
        &self,
        org: OrgIdx,
        from: Date,
        except: Option<MemberIdx>,
    ) -> Option<MemberIdx> {
        self.secretary_during(org, from, None, except)
    }

    /// A member other than `except` who holds the secretary's role in `org` on some day of
    /// `[from, until)` (`until` `None`: no end), if any.
    fn secretary_during(
        &self,
        org: OrgIdx,
        from: Date,
        until: Option<Date>,
        except: Option<MemberIdx>,
    ) -> Option<MemberIdx> {
        self.derived.secretaries_ever[org.0 as usize]
            .iter()
            .copied()
            .filter(|m| Some(*m) != except)
            .find(|&m| {
                secretary_spans(self.member(m), org).any(|(start, end)| {
                    until.is_none_or(|u| start < u) && end.is_none_or(|e| from < e)
                })
            })
    }

    /// The most units `org` covers on any one day from `from` on, leaving `except` out.
    pub fn most_units_covered_from(&self, org: OrgIdx, from: Date, except: Option<UnitIdx>) -> u32 {
        // +1 where a coverage starts, -1 where it ends (ends first on the same day, since an
        // end date is the first day without it).
        let mut changes: Vec<(Date, i32)> = Vec::new();
        for &u in &self.derived.covered_ever[org.0 as usize] {
            if Some(u) == except {
                continue;
            }
            for (s, end) in self.unit(u).standings.spans() {
                if s.covered_by != Some(org) || end.is_some_and(|e| e <= from) {
                    continue;
                }
                changes.push((s.from.max(from), 1));
                if let Some(e) = end {
                    changes.push((e, -1));
                }
            }
        }
        changes.sort_unstable();
        let (mut now, mut most) = (0i32, 0i32);
        for (_, delta) in changes {
            now += delta;
            most = most.max(now);
        }
        most.unsigned_abs()
    }

    /// Whether `ancestor` is `org` or above it in the tree.
    pub fn is_at_or_above(&self, ancestor: OrgIdx, org: OrgIdx) -> bool {
        let mut at = Some(org);
        for _ in 0..=MAX_DEPTH {
            match at {
                Some(i) if i == ancestor => return true,
                Some(i) => at = self.org(i).parent,
                None => return false,
            }
        }
        false
    }

    /// The organization `levels` above `org`, if the tree is that deep.
    pub fn ancestor(&self, org: OrgIdx, levels: u32) -> Option<OrgIdx> {
        let mut at = org;
        for _ in 0..levels {
            at = self.org(at).parent?;
        }
        Some(at)
    }

    /// The organization tree as it stood on `date` (see [`DatedTree`]).
    pub fn tree_on(&self, date: Date) -> DatedTree {
        DatedTree::of(&self.orgs, date)
    }

    /// `org` and every organization below it in the tree as it stood on `date`, parents before
    /// children (breadth first, children in index order): [`DatedTree::subtree`], without
    /// rebuilding the whole tree when no organization moved after `date`.
    pub fn subtree_on(&self, org: OrgIdx, date: Date) -> Vec<OrgIdx> {
        if self.last_move().is_some_and(|d| d > date) {
            return self.tree_on(date).subtree(org);
        }
        let exists = |o: OrgIdx| {
            self.orgs
                .get(o.0 as usize)
                .is_some_and(|x| x.exists_on(date))
        };
        if !exists(org) {
            return Vec::new();
        }
        let mut out = vec![org];
        let mut next = 0;
        while next < out.len() {
            let below = self
                .children(out[next])
                .iter()
                .copied()
                .filter(|c| exists(*c));
            out.extend(below);
            next += 1;
        }
        out
    }

    /// Whether `ancestor` was `org` or above it in the tree as it stood on `date`.
    pub fn is_at_or_above_on(&self, ancestor: OrgIdx, org: OrgIdx, date: Date) -> bool {
        let mut at = Some(org);
        for _ in 0..=MAX_DEPTH {
            match at {
                Some(i) if i == ancestor => return true,
                Some(i) => at = self.org(i).parent_on(date),
                None => return false,
            }
        }
        false
    }

    /// `org` and every organization below it, parents before children.
    pub fn subtree(&self, org: OrgIdx) -> Vec<OrgIdx> {
        let mut out = vec![org];
        let mut next = 0;
        while next < out.len() {
            let at = out[next];
            out.extend_from_slice(self.children(at));
            next += 1;
        }
        out
    }

    /// The members posted to `org` on `date` with a cadre's role (书记 or 支委).
    pub fn cadres_on(&self, org: OrgIdx, date: Date) -> impl Iterator<Item = (MemberIdx, Role)> {
        self.members.iter().enumerate().filter_map(move |(i, m)| {
            let p = m.posting_on(date)?;
            (p.org == org && p.role.is_cadre()).then_some((MemberIdx(i as u32), p.role))
        })
    }

    // ---- changes: made by the org domain's apply after a command is checked ----

    /// Gives back the spare capacity of the lists and their indexes (after a replay, which grows
    /// them by doubling). Changes nothing that can be read.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.orgs.shrink_to_fit();
        self.members.shrink_to_fit();
        self.units.shrink_to_fit();
        let d = &mut self.derived;
        d.org_by_id.shrink_to_fit();
        d.member_by_id.shrink_to_fit();
        d.unit_by_id.shrink_to_fit();
    }

    pub(crate) fn push_org(&mut self, org: Org) -> OrgIdx {
        let idx = OrgIdx(self.orgs.len() as u32);
        if let Some(p) = org.parent {
            self.derived.children[p.0 as usize].push(idx);
        }
        self.derived.org_by_id.insert(org.id.clone(), idx);
        self.derived.children.push(Vec::new());
        self.derived.secretary.push(None);
        self.derived.units_covered.push(0);
        self.derived.org_members.push(0);
        self.derived.secretaries_ever.push(Vec::new());
        self.derived.covered_ever.push(Vec::new());
        self.derived.posted_ever.push(Vec::new());
        let settled = org.former_parents.is_empty()
            && org
                .parent
                .is_none_or(|p| self.derived.settled[p.0 as usize]);
        self.derived.settled.push(settled);
        self.orgs.push(org);
        idx
    }

    pub(crate) fn move_org(&mut self, idx: OrgIdx, parent: OrgIdx, date: Date) {
        let org = &mut self.orgs[idx.0 as usize];
        if let Some(old) = org.parent.replace(parent) {
            org.former_parents.push((date, old));
            self.derived.children[old.0 as usize].retain(|c| *c != idx);
            self.derived.last_move = self.derived.last_move.max(Some(date));
            // It and everything under it no longer has one place on every day.
            for o in self.subtree(idx) {
                self.derived.settled[o.0 as usize] = false;
            }
        }
        // Children stay in index order, so a state rebuilt from its entities is identical.
        let siblings = &mut self.derived.children[parent.0 as usize];
        let at = siblings.partition_point(|c| *c < idx);
        siblings.insert(at, idx);
    }

    pub(crate) fn rename_org(&mut self, idx: OrgIdx, name: crate::model::Name, date: Date) {
        let org = &mut self.orgs[idx.0 as usize];
        let old = std::mem::replace(&mut org.name, name);
        org.former_names.push((date, old));
    }

    pub(crate) fn set_leader_level(
        &mut self,
        idx: MemberIdx,
        level: crate::model::LeaderLevel,
        date: Date,
    ) {
        let member = &mut self.members[idx.0 as usize];
        let old = std::mem::replace(&mut member.leader_level, level);
        member.former_levels.push((date, old));
    }

    pub(crate) fn push_member(&mut self, member: Member) -> MemberIdx {
        let idx = MemberIdx(self.members.len() as u32);
        self.derived.index_member(&member, idx);
        self.members.push(member);
        idx
    }

    pub(crate) fn post_member(&mut self, idx: MemberIdx, posting: crate::model::Posting) {
        let member = &mut self.members[idx.0 as usize];
        let old = member.current();
        if old.role == Role::Secretary {
            self.derived.secretary[old.org.0 as usize] = None;
        }
        self.derived.org_members[old.org.0 as usize] -= 1;
        self.derived.org_members[posting.org.0 as usize] += 1;
        if posting.role == Role::Secretary {
            self.derived.secretary[posting.org.0 as usize] = Some(idx);
        }
        // Two changes on one day: the later replaces the earlier, so `posting_on` stays a
        // function of the date.
        let replaced = member.postings.record(posting);
        if let Some(replaced) = replaced {
            self.unnote_secretary(&replaced, idx);
            self.unnote_posted(&replaced, idx);
        }
        self.derived.note_secretary(&posting, idx);
        insert_sorted(&mut self.derived.posted_ever[posting.org.0 as usize], idx);
    }

    // The "ever" lists stay sorted and exact (a same-day replacement can take a member or unit
    // out again), so a state rebuilt from its entities is identical.

    fn unnote_secretary(&mut self, replaced: &crate::model::Posting, idx: MemberIdx) {
        let org = replaced.org;
        if replaced.role == Role::Secretary
            && secretary_spans(self.member(idx), org).next().is_none()
        {
            self.derived.secretaries_ever[org.0 as usize].retain(|m| *m != idx);
        }
    }

    fn unnote_posted(&mut self, replaced: &crate::model::Posting, idx: MemberIdx) {
        let org = replaced.org;
        if !self.member(idx).postings.iter().any(|p| p.org == org) {
            self.derived.posted_ever[org.0 as usize].retain(|m| *m != idx);
        }
    }

    fn note_covered(&mut self, s: &crate::model::UnitStanding, idx: UnitIdx) {
        if let Some(org) = s.covered_by {
            insert_sorted(&mut self.derived.covered_ever[org.0 as usize], idx);
        }
    }

    fn unnote_covered(&mut self, replaced: &crate::model::UnitStanding, idx: UnitIdx) {
        if let Some(org) = replaced.covered_by {
            let still = self
                .unit(idx)
                .standings
                .iter()
                .any(|s| s.covered_by == Some(org));
            if !still {
                self.derived.covered_ever[org.0 as usize].retain(|u| *u != idx);
            }
        }
    }

    pub(crate) fn push_unit(&mut self, unit: Unit) -> UnitIdx {
        let idx = UnitIdx(self.units.len() as u32);
        self.derived.unit_by_id.insert(unit.id.clone(), idx);
        self.derived.units_by_area.add(unit.area.0, idx.0);
        if let Some(org) = unit.current().covered_by {
            self.derived.units_covered[org.0 as usize] += 1;
        }
        for s in &unit.standings {
            self.note_covered(s, idx);
        }
        self.units.push(unit);
        idx
    }

    pub(crate) fn set_unit_standing(&mut self, idx: UnitIdx, standing: crate::model::UnitStanding) {
        let unit = &mut self.units[idx.0 as usize];
        let old = unit.current();
        if let Some(org) = old.covered_by {
            self.derived.units_covered[org.0 as usize] -= 1;
        }
        if let Some(org) = standing.covered_by {
            self.derived.units_covered[org.0 as usize] += 1;
        }
        let replaced = unit.standings.record(standing);
        if let Some(replaced) = replaced {
            self.unnote_covered(&replaced, idx);
        }
        self.note_covered(&standing, idx);
    }

    /// Rebuilds a registry from its serialized lists, checking every invariant: identifiers
    /// unique, one root at index 0, parents valid and of an allowed kind, no cycles, histories
    /// non-empty and in date order, members in grassroots organizations, at most one secretary
    /// per organization, units under a committee and covered by organizations of the matching
    /// kind, no more than `max_units_per_org` units per organization on any day.
    pub fn load(
        orgs: Vec<Org>,
        members: Vec<Member>,
        units: Vec<Unit>,
        max_units_per_org: u32,
    ) -> Result<Registry, String> {
        let mut reg = Registry::load_orgs(orgs)?;
        // The members' list is kept as given (moved into a new one, both would be held at
        // once); each is checked against those before it, then indexed. Sized once.
        reg.derived.member_by_id.reserve(members.len());
        reg.units.reserve_exact(units.len());
        reg.derived.unit_by_id.reserve(units.len());
        reg.members = members;
        for i in 0..reg.members.len() {
            let member = &reg.members[i];
            check_member(&reg, i, member)?;
            reg.derived.index_member(member, MemberIdx(i as u32));
        }
        for (i, unit) in units.into_iter().enumerate() {
            check_unit(&reg, i, &unit)?;
            reg.push_unit(unit);
        }
        for i in 0..reg.orgs.len() {
            let most = reg.most_units_covered_from(OrgIdx(i as u32), Date::MIN, None);
            if most > max_units_per_org {
                return Err(format!(
                    "orgs[{i}] ({}): covers {most} units on one day, more than {max_units_per_org}",
                    reg.orgs[i].id
                ));
            }
        }
        Ok(reg)
    }

    fn load_orgs(orgs: Vec<Org>) -> Result<Registry, String> {
        let mut reg = Registry::default();
        let n = orgs.len();
        if n > MAX_ENTITIES as usize {
            return Err("too many organizations".into());
        }
        reg.derived.org_by_id.reserve(n);
        for (i, org) in orgs.iter().enumerate() {
            check_org(&reg, i, n, org)?;
            reg.derived
                .org_by_id
                .insert(org.id.clone(), OrgIdx(i as u32));
        }
        reg.orgs = orgs;
        let d = &mut reg.derived;
        d.children = vec![Vec::new(); n];
        d.secretary = vec![None; n];
        d.units_covered = vec![0; n];
        d.org_members = vec![0; n];
        d.secretaries_ever = vec![Vec::new(); n];
        d.covered_ever = vec![Vec::new(); n];
        d.posted_ever = vec![Vec::new(); n];
        d.settled = settled_flags(&reg.orgs);
        d.last_move = reg
            .orgs
            .iter()
            .flat_map(|o| o.former_parents.iter().map(|(d, _)| *d))
            .max();
        for i in 0..n {
            let org = &reg.orgs[i];
            if let Some(p) = org.parent {
                let parent = reg.org(p);
                if !org.kind.may_sit_under(parent.kind) {
                    return Err(format!(
                        "orgs[{i}] ({}): a {} may not sit under a {}",
                        org.id, org.kind, parent.kind
                    ));
                }
                reg.derived.children[p.0 as usize].push(OrgIdx(i as u32));
            }
        }
        for i in 0..n {
            if !reg.is_at_or_above(OrgIdx(0), OrgIdx(i as u32)) {
                return Err(format!(
                    "orgs[{i}] ({}): not connected to the root (a cycle)",
                    reg.orgs[i].id
                ));
            }
        }
        Ok(reg)
    }
}

fn check_org(reg: &Registry, i: usize, n: usize, org: &Org) -> Result<(), String> {
    let at = || format!("orgs[{i}] ({})", org.id);
    if reg.org_by_id(org.id.as_str()).is_some() {
        return Err(format!("{}: duplicate id", at()));
    }
    match (i, org.parent) {
        (0, None)
            if matches!(
                org.kind,
                crate::model::OrgKind::CityCommittee | crate::model::OrgKind::ProvinceCommittee
            ) => {}
        (0, _) => {
            return Err(format!(
                "{}: the root must be a city or province committee without parent",
                at()
            ));
        }
        (_, None) => {
            return Err(format!(
                "{}: only the first organization may be a root",
                at()
            ));
        }
        (_, Some(p)) if p.0 as usize >= n || p.0 as usize == i => {
            return Err(format!(
                "{}: parent index {} is not another organization",
                at(),
                p.0
            ));
        }
        (_, Some(_)) => {}
    }
    if org.former_parents.iter().any(|(_, p)| p.0 as usize >= n) {
        return Err(format!("{}: a former parent index is out of range", at()));
    }
    if !org.former_parents.windows(2).all(|w| w[0].0 <= w[1].0) {
        return Err(format!("{}: former parents out of date order", at()));
    }
    if !org.former_names.windows(2).all(|w| w[0].0 <= w[1].0) {
        return Err(format!("{}: former names out of date order", at()));
    }
    Ok(())
}

fn check_member(reg: &Registry, i: usize, m: &Member) -> Result<(), String> {
    let at = || format!("members[{i}] ({})", m.id);
    if reg.member_by_id(m.id.as_str()).is_some() {
        return Err(format!("{}: duplicate id", at()));
    }
    for p in &m.postings {
        if p.org.0 as usize >= reg.orgs.len() {
            return Err(format!(
                "{}: posting org index {} out of range",
                at(),
                p.org.0
            ));
        }
        if !reg.org(p.org).kind.is_grassroots() {
            return Err(format!("{}: posted to a non-grassroots organization", at()));
        }
        if p.from < reg.org(p.org).since {
            return Err(format!("{}: posted before the organization existed", at()));
        }
    }
    if !m.former_levels.windows(2).all(|w| w[0].0 <= w[1].0) {
        return Err(format!("{}: former leader levels out of date order", at()));
    }
    for p in m.postings.iter().filter(|p| p.role == Role::Secretary) {
        let org = p.org;
        for (start, end) in secretary_spans(m, org) {
            if let Some(other) = reg.secretary_during(org, start, end, None) {
                return Err(format!(
                    "{}: secretary of {} at the same time as {}",
                    at(),
                    reg.org(org).id,
                    reg.member(other).id
                ));
            }
        }
    }
    Ok(())
}

fn check_unit(reg: &Registry, i: usize, u: &Unit) -> Result<(), String> {
    let at = || format!("units[{i}] ({})", u.id);
    if reg.unit_by_id(u.id.as_str()).is_some() {
        return Err(format!("{}: duplicate id", at()));
    }
    if u.area.0 as usize >= reg.orgs.len() {
        return Err(format!("{}: area index out of range", at()));
    }
    let area = reg.org(u.area).kind;
    if !(area.is_township_level() || area == crate::model::OrgKind::CityDepartment) {
        return Err(format!("{}: area is a {area}", at()));
    }
    for s in u.standings.iter() {
        if let Some(org) = s.covered_by {
            if org.0 as usize >= reg.orgs.len() {
                return Err(format!("{}: covering org index out of range", at()));
            }
            if reg.org(org).kind != u.kind.covering_org_kind() {
                return Err(format!(
                    "{}: covered by an organization of the wrong kind",
                    at()
                ));
            }
            if s.from < reg.org(org).since {
                return Err(format!("{}: covered before the organization existed", at()));
            }
        }
    }
    Ok(())
}

/// Per organization of `orgs`: whether neither it nor any organization above it ever moved
/// (an organization too deep for the tree counts as moved).
fn settled_flags(orgs: &[Org]) -> Vec<bool> {
    let mut known: Vec<Option<bool>> = vec![None; orgs.len()];
    let mut chain = Vec::new();
    for start in 0..orgs.len() {
        chain.clear();
        let mut at = Some(start);
        let mut settled = true;
        while let Some(i) = at {
            if let Some(k) = known.get(i).copied().flatten() {
                settled = k;
                break;
            }
            chain.push(i);
            if !orgs[i].former_parents.is_empty() || chain.len() > MAX_DEPTH + 1 {
                settled = false;
                break;
            }
            at = orgs[i].parent.map(|p| p.0 as usize);
        }
        // Every organization walked is below the one that decided: it shares its verdict.
        for &i in &chain {
            known[i] = Some(settled);
        }
    }
    known.into_iter().map(|k| k.unwrap_or(false)).collect()
}

fn insert_sorted<T: Ord + Copy>(list: &mut Vec<T>, item: T) {
    if let Err(at) = list.binary_search(&item) {
        list.insert(at, item);
    }
}

/// The spans `[start, end)` during which `m` is secretary of `org` (`end` `None`: still is).
fn secretary_spans(m: &Member, org: OrgIdx) -> impl Iterator<Item = (Date, Option<Date>)> + '_ {
    m.postings
        .spans()
        .filter(move |(p, _)| p.org == org && p.role == Role::Secretary)
        .map(|(p, until)| (p.from, until))
}
