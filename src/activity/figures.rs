//! The service actions and instructors in figures, for a subtree and a date range, as a
//! mergeable partial aggregate.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Activities, InstructorTarget, Partner, PartnerKind, dated_in};
use crate::model::fast::{Bits, IdxSet};
use crate::model::{LeaderLevel, MemberIdx, ModelError, OrgIdx, Ratio, UnitIdx, UnitKind};
use crate::org::Attribution;
use crate::org::Registry;

/// Counts per leader level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByLeaderLevel {
    /// 市级: city level.
    pub city: u64,
    /// 科级: section level.
    pub section: u64,
}

impl ByLeaderLevel {
    fn add(&mut self, level: LeaderLevel) {
        match level {
            LeaderLevel::City => self.city += 1,
            LeaderLevel::Section => self.section += 1,
            LeaderLevel::None => {}
        }
    }

    fn merge(&mut self, other: &ByLeaderLevel) {
        self.city += other.city;
        self.section += other.section;
    }

    /// Both levels together.
    pub fn total(&self) -> u64 {
        self.city + self.section
    }
}

/// Counts per unit kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByUnitKind {
    /// 非公有制经济组织.
    pub non_public_enterprise: u64,
    /// 新社会组织.
    pub social_organization: u64,
    /// 农民专业合作社.
    pub cooperative: u64,
}

impl ByUnitKind {
    fn add(&mut self, kind: UnitKind) {
        match kind {
            UnitKind::NonPublicEnterprise => self.non_public_enterprise += 1,
            UnitKind::SocialOrganization => self.social_organization += 1,
            UnitKind::Cooperative => self.cooperative += 1,
        }
    }

    fn merge(&mut self, other: &ByUnitKind) {
        self.non_public_enterprise += other.non_public_enterprise;
        self.social_organization += other.social_organization;
        self.cooperative += other.cooperative;
    }

    /// Every kind together.
    pub fn total(&self) -> u64 {
        self.non_public_enterprise + self.social_organization + self.cooperative
    }
}

/// The activities of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindTally {
    /// Activities held.
    pub activities: u64,
    /// Participants, summed.
    pub participants: u64,
    /// People served, summed.
    pub people_served: u64,
}

/// Service actions, volunteer teams, contact points and instructors in figures: counts, and
/// money as whole fen, merged by adding.
///
/// What is counted, for the records attributed to an organization in the subtree (as the
/// tree stood on the as-of date; see [`crate::org::Reading`] for where records go under the
/// historical reading):
///
/// - **Flows** (records, 件次/人次) dated in `[from, as_of]`: hotline cases received (and, of
///   those, the ones resolved and replied by `as_of`, so the rates never pass 100%),
///   donations, home visits, volunteer activities, other activities.
/// - **Stocks** in force on some day of `[from, as_of]`: teams founded by `as_of`, contact
///   points, instructor assignments; counted under their organization's position on the as-of
///   date in both readings.
/// - **Distinct entities** (人, 个): donors, visiting cadres, volunteers, leaders with a
///   contact point, instructors, each counted once, in the part of the organization they were
///   posted to on the as-of date, when they have a qualifying record anywhere in the span;
///   units and villages with an instructor, each once, under their own organization. So a
///   person who donated twice under two organizations is one donor, and the figures of
///   disjoint parts still add up to their union's.
///
/// Records attributed to `root` itself count in `root`'s figures and in no child's, so the
/// figures of a root equal the merge of its children's plus its own records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityFigures {
    /// Hotline cases received (受理).
    pub hotline_cases_received: u64,
    /// Of them, resolved (解决) by the as-of date.
    pub hotline_cases_resolved: u64,
    /// Of them, replied to (回复) by the as-of date.
    pub hotline_cases_replied: u64,
    /// Donations made.
    pub donations: u64,
    /// Distinct donors (人), each in the part of their organization on the as-of date.
    pub donation_donors: u64,
    /// Money donated, in fen.
    pub donation_amount_fen: u64,
    /// Home visits made.
    pub home_visits: u64,
    /// Distinct members visiting (人), each in the part of their organization on the as-of
    /// date.
    pub home_visit_cadres: u64,
    /// Problems solved on home visits.
    pub home_visit_problems_solved: u64,
    /// Aid handed over on home visits, in fen.
    pub home_visit_aid_fen: u64,
    /// Volunteer teams founded by the as-of date.
    pub volunteer_teams: u64,
    /// Distinct members in a team on some day of the range (人), each in the part of their
    /// organization on the as-of date.
    pub volunteer_members: u64,
    /// Volunteer activities held.
    pub volunteer_activities: u64,
    /// People served by volunteer activities.
    pub volunteer_people_served: u64,
    /// Other outputs of volunteer activities, summed per code.
    pub volunteer_outputs: BTreeMap<String, u64>,
    /// Contact points in force, by the leader's level when linked.
    pub contact_points: ByLeaderLevel,
    /// Distinct leaders with a contact point in force (人), each in the part of their
    /// organization on the as-of date, by their level then (or, if no longer a leader, by the
    /// level of their latest such point).
    pub contact_leaders: ByLeaderLevel,
    /// Distinct units with an instructor assigned on some day of the range (家), by kind.
    pub instructed_units: ByUnitKind,
    /// Distinct villages with an instructor assigned on some day of the range (个).
    pub instructed_villages: u64,
    /// Distinct instructor members (人), each in the part of their organization on the as-of
    /// date.
    pub instructors: u64,
    /// Other activities, per kind code.
    pub activities: BTreeMap<String, KindTally>,
    /// Distinct partners paired with a village on some day of the range (结对共建), by kind:
    /// departments and institutions in their own part, cadres in the part of their
    /// organization on the as-of date.
    #[serde(default)]
    pub pairing_partners: ByPartnerKind,
    /// Distinct villages paired with a partner on some day of the range (个), each under
    /// itself.
    #[serde(default)]
    pub paired_villages: u64,
}

/// Counts by kind of partner (结对共建).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByPartnerKind {
    /// City departments (市直部门).
    pub department: u64,
    /// Institutions (事业单位).
    pub institution: u64,
    /// Party cadres (党员干部).
    pub cadre: u64,
}

impl ByPartnerKind {
    fn add(&mut self, kind: PartnerKind) {
        match kind {
            PartnerKind::Department => self.department += 1,
            PartnerKind::Institution => self.institution += 1,
            PartnerKind::Cadre => self.cadre += 1,
        }
    }

    fn merge(&mut self, o: &ByPartnerKind) {
        self.department = self.department.saturating_add(o.department);
        self.institution = self.institution.saturating_add(o.institution);
        self.cadre = self.cadre.saturating_add(o.cadre);
    }
}

impl ActivityFigures {
    /// The figures of the records attributed to organizations in `root`'s subtree, dated in
    /// (or, for stocks, in force on some day of) `[from, as_of]`; `from` `None`: since the
    /// start. `records` are a campaign's activities, `reg` its organizations, members and
    /// units (`state.activity()` and `state.registry()`).
    pub fn of(
        records: &Activities,
        reg: &Registry,
        root: OrgIdx,
        from: Option<Date>,
        as_of: Date,
    ) -> ActivityFigures {
        let parts = Attribution::subtree(reg, root, as_of);
        ActivityFigures::of_parts(records, reg, &parts, from, as_of)
            .pop()
            .unwrap_or_default()
    }

    /// [`ActivityFigures::of`] for each part of `parts`, in one pass over the records.
    pub fn of_parts(
        records: &Activities,
        reg: &Registry,
        parts: &Attribution,
        from: Option<Date>,
        as_of: Date,
    ) -> Vec<ActivityFigures> {
        let src = Src { a: records, reg };
        let mut fs: Vec<ActivityFigures> = parts.fresh();
        count_cases(&mut fs, &src, parts, from, as_of);
        count_donations(&mut fs, &src, parts, from, as_of);
        count_home_visits(&mut fs, &src, parts, from, as_of);
        count_teams(&mut fs, &src, parts, from, as_of);
        count_contacts(&mut fs, &src, parts, from, as_of);
        count_instructors(&mut fs, &src, parts, from, as_of);
        count_activities(&mut fs, &src, parts, from, as_of);
        count_pairings(&mut fs, &src, parts, from, as_of);
        fs
    }

    /// Adds `other`'s counts to these (saturating, so no input makes it panic).
    pub fn merge(&mut self, other: &ActivityFigures) {
        let add = |a: &mut u64, b: u64| *a = a.saturating_add(b);
        add(
            &mut self.hotline_cases_received,
            other.hotline_cases_received,
        );
        add(
            &mut self.hotline_cases_resolved,
            other.hotline_cases_resolved,
        );
        add(&mut self.hotline_cases_replied, other.hotline_cases_replied);
        add(&mut self.donations, other.donations);
        add(&mut self.donation_donors, other.donation_donors);
        add(&mut self.donation_amount_fen, other.donation_amount_fen);
        add(&mut self.home_visits, other.home_visits);
        add(&mut self.home_visit_cadres, other.home_visit_cadres);
        add(
            &mut self.home_visit_problems_solved,
            other.home_visit_problems_solved,
        );
        add(&mut self.home_visit_aid_fen, other.home_visit_aid_fen);
        add(&mut self.volunteer_teams, other.volunteer_teams);
        add(&mut self.volunteer_members, other.volunteer_members);
        add(&mut self.volunteer_activities, other.volunteer_activities);
        add(
            &mut self.volunteer_people_served,
            other.volunteer_people_served,
        );
        for (k, v) in &other.volunteer_outputs {
            add(self.volunteer_outputs.entry(k.clone()).or_default(), *v);
        }
        self.contact_points.merge(&other.contact_points);
        self.contact_leaders.merge(&other.contact_leaders);
        self.instructed_units.merge(&other.instructed_units);
        add(&mut self.instructed_villages, other.instructed_villages);
        add(&mut self.instructors, other.instructors);
        self.pairing_partners.merge(&other.pairing_partners);
        add(&mut self.paired_villages, other.paired_villages);
        for (k, t) in &other.activities {
            let mine = self.activities.entry(k.clone()).or_default();
            add(&mut mine.activities, t.activities);
            add(&mut mine.participants, t.participants);
            add(&mut mine.people_served, t.people_served);
        }
    }

    /// The reply rate (回复率): cases replied over cases received; `Err` when none was
    /// received.
    pub fn hotline_reply_rate(&self) -> Result<Ratio, ModelError> {
        Ratio::new(
            "hotline_cases_received",
            self.hotline_cases_replied,
            self.hotline_cases_received,
        )
    }

    /// The resolution rate: cases resolved over cases received; `Err` when none was received.
    pub fn hotline_resolution_rate(&self) -> Result<Ratio, ModelError> {
        Ratio::new(
            "hotline_cases_received",
            self.hotline_cases_resolved,
            self.hotline_cases_received,
        )
    }

    /// Money donated, in yuan, exact and normalized.
    pub fn donation_amount_yuan(&self) -> Decimal {
        yuan(self.donation_amount_fen)
    }

    /// Aid handed over on home visits, in yuan, exact and normalized.
    pub fn home_visit_aid_yuan(&self) -> Decimal {
        yuan(self.home_visit_aid_fen)
    }
}

/// What the figures read: a campaign's activities and its registry.
struct Src<'a> {
    a: &'a Activities,
    reg: &'a Registry,
}

impl AsRef<Registry> for Src<'_> {
    fn as_ref(&self) -> &Registry {
        self.reg
    }
}

/// Whether party work reaches `unit` on `date` (工作覆盖): an organization covers it, or an
/// instructor is assigned to it ([`Activities::instructor_on`]). `records` are a campaign's
/// activities, `reg` its registry. The rule is the tree's coverage
/// ([`crate::org::work_covered_on`]), asking these records for the instructors.
pub fn work_covered_on(records: &Activities, reg: &Registry, unit: UnitIdx, date: Date) -> bool {
    crate::org::work_covered_on(reg, records, unit, date)
}

fn fen(a: crate::model::Amount) -> u64 {
    // An Amount is never negative.
    a.fen().unsigned_abs()
}

fn yuan(fen: u64) -> Decimal {
    Decimal::from_i128_with_scale(i128::from(fen), 2).normalize()
}

/// Hotline cases received in the range, and of them those resolved and replied by `as_of`.
fn count_cases(
    fs: &mut [ActivityFigures],
    src: &Src,
    parts: &Attribution,
    from: Option<Date>,
    as_of: Date,
) {
    let by = |step: &Option<super::CaseStep>| step.as_ref().is_some_and(|s| s.on <= as_of);
    for c in src.a.case_rows(parts.scope()) {
        if !dated_in(c.received, from, as_of) {
            continue;
        }
        if let Some(p) = parts.part_of_record(src, c.org, c.received) {
            let f = &mut fs[p];
            f.hotline_cases_received += 1;
            f.hotline_cases_resolved += u64::from(by(&c.resolved));
            f.hotline_cases_replied += u64::from(by(&c.replied));
        }
    }
}

/// Donations in the range, and distinct donors.
fn count_donations(
    fs: &mut [ActivityFigures],
    src: &Src,
    parts: &Attribution,
    from: Option<Date>,
    as_of: Date,
) {
    let mut donors = Bits::new(src.reg.members().len());
    for d in src.a.donation_rows(parts.scope()) {
        if !dated_in(d.on, from, as_of) {
            continue;
        }
        if let Some(p) = parts.part_of_record(src, d.org, d.on) {
            fs[p].donations += 1;
            fs[p].donation_amount_fen += fen(d.amount_yuan);
        }
        if let Some(p) = person_part(src, parts, &mut donors, d.member) {
            fs[p].donation_donors += 1;
        }
    }
}

/// Home visits in the range, and distinct visiting cadres.
fn count_home_visits(
    fs: &mut [ActivityFigures],
    src: &Src,
    parts: &Attribution,
    from: Option<Date>,
    as_of: Date,
) {
    let mut cadres = Bits::new(src.reg.members().len());
    for v in src.a.home_visit_rows(parts.scope()) {
        if !dated_in(v.on, from, as_of) {
            continue;
        }
        if let Some(p) = parts.part_of_record(src, v.org, v.on) {
            let f = &mut fs[p];
            f.home_visits += 1;
            f.home_visit_problems_solved += u64::from(v.problems_solved);
            f.home_visit_aid_fen += fen(v.aid_yuan);
        }
        if let Some(p) = person_part(src, parts, &mut cadres, v.cadre) {
            fs[p].home_visit_cadres += 1;
        }
    }
}

/// The part member `m` counts in as a person, the first time they are `seen`; `None` after,
/// or when their organization on the as-of date is in no part.
fn person_part(src: &Src, parts: &Attribution, seen: &mut Bits, m: MemberIdx) -> Option<usize> {
    if !seen.insert(m.0 as usize) {
        return None;
    }
    parts.part_of_member(src, m)
}

/// Volunteer teams, their distinct members, and their activities, per part.
fn count_teams(
    fs: &mut [ActivityFigures],
    src: &Src,
    parts: &Attribution,
    from: Option<Date>,
    as_of: Date,
) {
    let a = src.a;
    let mut volunteers = Bits::new(src.reg.members().len());
    for t in a.team_rows(parts.scope()).filter(|t| t.founded <= as_of) {
        if let Some(p) = parts.part(t.org) {
            fs[p].volunteer_teams += 1;
        }
        for m in t.members.iter().filter(|m| m.tenure.overlaps(from, as_of)) {
            if let Some(p) = person_part(src, parts, &mut volunteers, m.member) {
                fs[p].volunteer_members += 1;
            }
        }
    }
    for v in a.volunteer_activity_rows(parts.scope()) {
        if !dated_in(v.on, from, as_of) {
            continue;
        }
        let org = a.team(v.team).org;
        let Some(p) = parts.part_of_record(src, org, v.on) else {
            continue;
        };
        let f = &mut fs[p];
        f.volunteer_activities += 1;
        f.volunteer_people_served += u64::from(v.people_served);
        for o in &v.outputs {
            *f.volunteer_outputs.entry(o.what.to_string()).or_default() += u64::from(o.count);
        }
    }
}

/// Contact points in force, and distinct leaders, per part.
fn count_contacts(
    fs: &mut [ActivityFigures],
    src: &Src,
    parts: &Attribution,
    from: Option<Date>,
    as_of: Date,
) {
    // Per leader: the level of their point in force in the range linked last (by its day).
    let mut leaders: BTreeMap<MemberIdx, (Date, LeaderLevel)> = BTreeMap::new();
    for c in src.a.contact_point_rows(parts.scope()) {
        if !c.tenure.overlaps(from, as_of) {
            continue;
        }
        if let Some(p) = parts.part(c.leader_org) {
            fs[p].contact_points.add(c.level);
        }
        let latest = leaders.entry(c.leader).or_insert((c.tenure.from, c.level));
        if c.tenure.from >= latest.0 {
            *latest = (c.tenure.from, c.level);
        }
    }
    for (m, (_, latest)) in leaders {
        let Some(p) = parts.part_of_member(src, m) else {
            continue;
        };
        let level = match src.reg.member(m).level_on(as_of) {
            LeaderLevel::None => latest,
            now => now,
        };
        fs[p].contact_leaders.add(level);
    }
}

/// Instructors' assignments in force: distinct units and villages with one, and distinct
/// instructors, per part.
fn count_instructors(
    fs: &mut [ActivityFigures],
    src: &Src,
    parts: &Attribution,
    from: Option<Date>,
    as_of: Date,
) {
    let mut instructors = Bits::new(src.reg.members().len());
    let mut targets: IdxSet<InstructorTarget> = IdxSet::default();
    for i in src.a.instructor_rows(parts.scope()) {
        if !i.tenure.overlaps(from, as_of) {
            continue;
        }
        if let Some(p) = parts.part(i.org)
            && targets.insert(i.target)
        {
            match i.target {
                InstructorTarget::Unit(u) => fs[p].instructed_units.add(src.reg.unit(u).kind),
                InstructorTarget::Village(_) => fs[p].instructed_villages += 1,
            }
        }
        if let Some(p) = person_part(src, parts, &mut instructors, i.instructor) {
            fs[p].instructors += 1;
        }
    }
}

/// Pairings with villages in force on some day of the range: distinct partners by kind, and
/// distinct villages, per part.
fn count_pairings(
    fs: &mut [ActivityFigures],
    src: &Src,
    parts: &Attribution,
    from: Option<Date>,
    as_of: Date,
) {
    if src.a.pairings().is_empty() {
        return;
    }
    let mut cadres = Bits::new(src.reg.members().len());
    let mut orgs = Bits::new(src.reg.orgs().len());
    let mut villages = Bits::new(src.reg.orgs().len());
    for p in src.a.pairing_rows(parts.scope()) {
        if !p.tenure.overlaps(from, as_of) {
            continue;
        }
        if let Some(part) = parts.part(p.village)
            && villages.insert(p.village.0 as usize)
        {
            fs[part].paired_villages += 1;
        }
        let part = match p.partner {
            Partner::Org(o) if orgs.insert(o.0 as usize) => parts.part(o),
            Partner::Member(m) => person_part(src, parts, &mut cadres, m),
            Partner::Org(_) => None,
        };
        if let Some(part) = part {
            fs[part].pairing_partners.add(p.kind);
        }
    }
}

/// Other activities in the range, per kind.
fn count_activities(
    fs: &mut [ActivityFigures],
    src: &Src,
    parts: &Attribution,
    from: Option<Date>,
    as_of: Date,
) {
    for r in src.a.activity_rows(parts.scope()) {
        if !dated_in(r.on, from, as_of) {
            continue;
        }
        if let Some(p) = parts.part_of_record(src, r.org, r.on) {
            let t = fs[p].activities.entry(r.kind.to_string()).or_default();
            t.activities += 1;
            t.participants += u64::from(r.participants);
            t.people_served += u64::from(r.people_served);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_adds_every_field() {
        let mut a = ActivityFigures {
            donation_amount_fen: 150,
            volunteer_outputs: BTreeMap::from([("leaflets".to_string(), 5)]),
            ..ActivityFigures::default()
        };
        a.contact_points.city = 2;
        let mut b = a.clone();
        b.instructed_units.cooperative = 1;
        b.activities.insert(
            "live_studio".into(),
            KindTally {
                activities: 1,
                participants: 4,
                people_served: 5,
            },
        );
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.donation_amount_fen, 300);
        assert_eq!(ab.volunteer_outputs["leaflets"], 10);
        assert_eq!(ab.contact_points.total(), 4);
        assert_eq!(ab.instructed_units.total(), 1);
        assert_eq!(ab.donation_amount_yuan().to_string(), "3");
        assert!(ActivityFigures::default().hotline_reply_rate().is_err());
    }
}
