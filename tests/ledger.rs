//! The ledger's rules, through its public API: the tree's shape, authority, every refusal, and
//! that a refused command changes nothing.

use chuangzheng::Coded;
use chuangzheng::ledger::{Actor, Campaign, CampaignInfo, Command, Event, LedgerError};
use chuangzheng::model::{
    ExtId, LeaderLevel, MemberCategory, Name, OrgKind, Role, Stamp, UnitKind,
};
use chuangzheng::rules::RuleSet;
use jiff::civil::{Date, date};

fn id(s: &str) -> ExtId {
    ExtId::new("test", s).unwrap()
}

fn name(s: &str) -> Name {
    Name::new("test", s).unwrap()
}

const D0: Date = date(2010, 5, 1);

fn org_actor(s: &str) -> Actor {
    Actor::org(&id(s))
}

fn cmd(at: Date, actor: Actor, event: Event) -> Command {
    Command::new(Stamp::on(at), actor, event)
}

fn create(actor: &str, new: &str, kind: OrgKind, parent: &str) -> Command {
    cmd(
        D0,
        org_actor(actor),
        Event::CreateOrg(chuangzheng::org::CreateOrg {
            id: id(new),
            name: name(new),
            kind,
            parent: Some(id(parent)),
        }),
    )
}

fn add_member(actor: &str, m: &str, org: &str, role: Role) -> Command {
    cmd(
        D0,
        org_actor(actor),
        Event::AddMember(chuangzheng::org::AddMember {
            id: id(m),
            org: id(org),
            category: MemberCategory::Farmer,
            role,
            leader_level: LeaderLevel::None,
        }),
    )
}

fn info() -> CampaignInfo {
    CampaignInfo {
        id: id("test-campaign"),
        name: name("测试"),
    }
}

/// city ─┬ t-01 ─┬ v-1 (m-1 secretary, m-2 committee, m-3 ordinary)
///       │       ├ e-1 (enterprise) ── covers u-1
///       │       └ co-1 (cooperative)
///       ├ t-02 ── v-2 (m-4 secretary)
///       ├ s-01 ── c-1 (community)
///       └ d-01 ── o-1 (organ)
fn campaign() -> Campaign {
    let mut c = Campaign::in_memory(info(), RuleSet::default()).unwrap();
    let root = cmd(
        D0,
        org_actor("city"),
        Event::CreateOrg(chuangzheng::org::CreateOrg {
            id: id("city"),
            name: name("市委"),
            kind: OrgKind::CityCommittee,
            parent: None,
        }),
    );
    let mut cmds = vec![
        root,
        create("city", "t-01", OrgKind::TownshipCommittee, "city"),
        create("city", "t-02", OrgKind::TownshipCommittee, "city"),
        create("city", "s-01", OrgKind::StreetCommittee, "city"),
        create("city", "d-01", OrgKind::CityDepartment, "city"),
        create("t-01", "v-1", OrgKind::Village, "t-01"),
        create("t-01", "e-1", OrgKind::Enterprise, "t-01"),
        create("t-01", "co-1", OrgKind::Cooperative, "t-01"),
        create("t-02", "v-2", OrgKind::Village, "t-02"),
        create("s-01", "c-1", OrgKind::Community, "s-01"),
        create("d-01", "o-1", OrgKind::Organ, "d-01"),
        add_member("t-01", "m-1", "v-1", Role::Secretary),
        add_member("v-1", "m-2", "v-1", Role::CommitteeMember),
        add_member("v-1", "m-3", "v-1", Role::Ordinary),
        add_member("t-02", "m-4", "v-2", Role::Secretary),
    ];
    cmds.push(cmd(
        D0,
        org_actor("t-01"),
        Event::RegisterUnit(chuangzheng::org::RegisterUnit {
            id: id("u-1"),
            name: name("某某有限公司"),
            kind: UnitKind::NonPublicEnterprise,
            area: id("t-01"),
            eligible: true,
        }),
    ));
    cmds.push(cmd(
        D0,
        org_actor("t-01"),
        Event::CoverUnit(chuangzheng::org::CoverUnit {
            unit: id("u-1"),
            org: Some(id("e-1")),
        }),
    ));
    for c_ in &cmds {
        c.execute(c_).unwrap_or_else(|e| panic!("{c_:?}: {e}"));
    }
    c
}

/// Executes `command`, expects it refused with `code`, and checks nothing changed.
#[track_caller]
fn refused(c: &mut Campaign, command: Command, code: u32) -> LedgerError {
    let before = (c.state_json(), c.seq(), c.last_hash(), c.snapshot_json());
    assert!(c.check(&command).is_err(), "check accepted {command:?}");
    let err = c.execute(&command).expect_err("command was accepted");
    assert_eq!(err.code(), code, "{err}");
    assert!(!err.message_zh().is_empty() && !err.message_en().is_empty());
    let after = (c.state_json(), c.seq(), c.last_hash(), c.snapshot_json());
    assert_eq!(before, after, "a refused command changed the state");
    c.state()
        .check_invariants(c.rules().coverage.max_units_per_org)
        .unwrap();
    err
}

#[test]
fn the_fixture_builds_and_keeps_its_invariants() {
    let c = campaign();
    let s = c.state();
    s.check_invariants(5).unwrap();
    assert_eq!(s.orgs().len(), 11);
    let t1 = s.org_by_id("t-01").unwrap();
    let v1 = s.org_by_id("v-1").unwrap();
    assert!(s.is_at_or_above(s.root().unwrap(), v1));
    assert!(s.is_at_or_above(t1, v1));
    assert!(!s.is_at_or_above(v1, t1));
    assert_eq!(s.ancestor(v1, 1), Some(t1));
    assert_eq!(s.ancestor(v1, 2), s.root());
    assert_eq!(s.ancestor(v1, 3), None);
    assert_eq!(s.subtree(t1).len(), 4);
    assert_eq!(s.secretary(v1), s.member_by_id("m-1"));
    assert_eq!(s.cadres_on(v1, D0).count(), 2);
    let e1 = s.org_by_id("e-1").unwrap();
    assert_eq!(s.units_covered(e1), 1);
}

#[test]
fn the_first_command_must_create_the_root_by_itself() {
    let mut c = Campaign::in_memory(info(), RuleSet::default()).unwrap();
    let err = refused(
        &mut c,
        create("city", "t-01", OrgKind::TownshipCommittee, "city"),
        3006,
    );
    assert!(err.message_en().contains("root"));
    // The root must be a city committee.
    let not_city = cmd(
        D0,
        org_actor("t-01"),
        Event::CreateOrg(chuangzheng::org::CreateOrg {
            id: id("t-01"),
            name: name("镇"),
            kind: OrgKind::TownshipCommittee,
            parent: None,
        }),
    );
    refused(&mut c, not_city, 3006);
    // Created by itself, not by another actor or through a member.
    let by_other = cmd(
        D0,
        org_actor("someone"),
        Event::CreateOrg(chuangzheng::org::CreateOrg {
            id: id("city"),
            name: name("市委"),
            kind: OrgKind::CityCommittee,
            parent: None,
        }),
    );
    refused(&mut c, by_other, 3004);
    let by_member = cmd(
        D0,
        Actor::Member { member: id("m-1") },
        Event::CreateOrg(chuangzheng::org::CreateOrg {
            id: id("city"),
            name: name("市委"),
            kind: OrgKind::CityCommittee,
            parent: None,
        }),
    );
    refused(&mut c, by_member, 3004);
}

#[test]
fn one_root_per_campaign() {
    let mut c = campaign();
    let second = cmd(
        D0,
        org_actor("city2"),
        Event::CreateOrg(chuangzheng::org::CreateOrg {
            id: id("city2"),
            name: name("另一市委"),
            kind: OrgKind::CityCommittee,
            parent: None,
        }),
    );
    refused(&mut c, second, 3006);
}

#[test]
fn parent_and_child_kinds_are_checked() {
    let mut c = campaign();
    // A village under another village, under the city, under a department.
    refused(&mut c, create("t-01", "v-9", OrgKind::Village, "v-1"), 3007);
    refused(
        &mut c,
        create("city", "v-9", OrgKind::Village, "city"),
        3007,
    );
    refused(
        &mut c,
        create("d-01", "v-9", OrgKind::Village, "d-01"),
        3007,
    );
    // A township under a township; a second city committee under the city.
    refused(
        &mut c,
        create("city", "t-9", OrgKind::TownshipCommittee, "t-01"),
        3007,
    );
    refused(
        &mut c,
        create("city", "x", OrgKind::CityCommittee, "city"),
        3007,
    );
    // Allowed: an organ under a township, a school under a department, a community under a
    // street.
    c.execute(&create("t-01", "o-t1", OrgKind::Organ, "t-01"))
        .unwrap();
    c.execute(&create("d-01", "sch-1", OrgKind::School, "d-01"))
        .unwrap();
    c.execute(&create("s-01", "c-2", OrgKind::Community, "s-01"))
        .unwrap();
}

#[test]
fn every_org_kind_pair_follows_the_table() {
    // Build one parent of each kind that can have children, then try every child kind.
    let c = campaign();
    let parents = [
        ("city", OrgKind::CityCommittee),
        ("t-01", OrgKind::TownshipCommittee),
        ("s-01", OrgKind::StreetCommittee),
        ("d-01", OrgKind::CityDepartment),
        ("v-1", OrgKind::Village),
        ("e-1", OrgKind::Enterprise),
    ];
    let mut n = 0;
    for (parent, parent_kind) in parents {
        for kind in OrgKind::ALL {
            n += 1;
            let new = format!("x-{n}");
            let command = create("city", &new, kind, parent);
            let result = c.check(&command);
            if kind.may_sit_under(parent_kind) {
                assert!(result.is_ok(), "{kind} under {parent_kind}: {result:?}");
            } else {
                let code = result.map(|_| 0).unwrap_or_else(|e| e.code());
                assert_eq!(code, 3007, "{kind} under {parent_kind}");
            }
        }
    }
}

#[test]
fn identifiers_are_unique_within_their_kind() {
    let mut c = campaign();
    refused(
        &mut c,
        create("t-01", "v-1", OrgKind::Village, "t-01"),
        3003,
    );
    refused(
        &mut c,
        add_member("v-1", "m-3", "v-1", Role::Ordinary),
        3003,
    );
    let dup_unit = cmd(
        D0,
        org_actor("t-01"),
        Event::RegisterUnit(chuangzheng::org::RegisterUnit {
            id: id("u-1"),
            name: name("重复"),
            kind: UnitKind::Cooperative,
            area: id("t-01"),
            eligible: true,
        }),
    );
    refused(&mut c, dup_unit, 3003);
    // The same text may name entities of different kinds.
    c.execute(&add_member("v-1", "v-1", "v-1", Role::Ordinary))
        .unwrap();
}

#[test]
fn unknown_identifiers_are_named() {
    let mut c = campaign();
    let err = refused(
        &mut c,
        create("t-01", "v-9", OrgKind::Village, "t-99"),
        3002,
    );
    assert!(err.message_en().contains("event.parent"));
    assert!(err.message_en().contains("t-99"));
    let err = refused(
        &mut c,
        create("nobody", "v-9", OrgKind::Village, "t-01"),
        3002,
    );
    assert!(err.message_en().contains("actor.org"));
    let post = cmd(
        D0,
        org_actor("t-01"),
        Event::PostMember(chuangzheng::org::PostMember {
            member: id("m-99"),
            org: id("v-1"),
            role: Role::Ordinary,
        }),
    );
    let err = refused(&mut c, post, 3002);
    assert!(err.message_zh().contains("m-99"));
    let cover = cmd(
        D0,
        org_actor("t-01"),
        Event::CoverUnit(chuangzheng::org::CoverUnit {
            unit: id("u-99"),
            org: None,
        }),
    );
    refused(&mut c, cover, 3002);
    let by_unknown = cmd(
        D0,
        Actor::Org {
            org: id("v-1"),
            by: Some(id("m-99")),
        },
        Event::RenameOrg(chuangzheng::org::RenameOrg {
            org: id("v-1"),
            name: name("新名"),
        }),
    );
    let err = refused(&mut c, by_unknown, 3002);
    assert!(err.message_en().contains("actor.by"));
    let unknown_member_actor = cmd(
        D0,
        Actor::Member { member: id("m-99") },
        Event::RenameOrg(chuangzheng::org::RenameOrg {
            org: id("v-1"),
            name: name("新名"),
        }),
    );
    refused(&mut c, unknown_member_actor, 3002);
}

#[test]
fn an_organization_acts_only_on_itself_and_below() {
    let mut c = campaign();
    // A township cannot create under another township, nor add members there.
    refused(
        &mut c,
        create("t-01", "v-9", OrgKind::Village, "t-02"),
        3004,
    );
    refused(
        &mut c,
        add_member("t-01", "m-9", "v-2", Role::Ordinary),
        3004,
    );
    // A village cannot act on its township or its sibling.
    let rename_up = cmd(
        D0,
        org_actor("v-1"),
        Event::RenameOrg(chuangzheng::org::RenameOrg {
            org: id("t-01"),
            name: name("改名"),
        }),
    );
    refused(&mut c, rename_up, 3004);
    // A department cannot register units in a township's area.
    let unit = cmd(
        D0,
        org_actor("d-01"),
        Event::RegisterUnit(chuangzheng::org::RegisterUnit {
            id: id("u-9"),
            name: name("外单位"),
            kind: UnitKind::NonPublicEnterprise,
            area: id("t-01"),
            eligible: true,
        }),
    );
    refused(&mut c, unit, 3004);
    // The city may do all of it; an organization may rename itself.
    c.execute(&add_member("city", "m-9", "v-2", Role::Ordinary))
        .unwrap();
    let rename_self = cmd(
        D0,
        org_actor("v-1"),
        Event::RenameOrg(chuangzheng::org::RenameOrg {
            org: id("v-1"),
            name: name("大鹿岛村党支部"),
        }),
    );
    c.execute(&rename_self).unwrap();
}

#[test]
fn a_member_acts_only_on_their_own_records() {
    let mut c = campaign();
    let as_member = |event| cmd(D0, Actor::Member { member: id("m-1") }, event);
    refused(
        &mut c,
        as_member(Event::RenameOrg(chuangzheng::org::RenameOrg {
            org: id("v-1"),
            name: name("x"),
        })),
        3004,
    );
    // Not even their own leader level: that is the organization's record of them.
    refused(
        &mut c,
        as_member(Event::SetLeaderLevel(chuangzheng::org::SetLeaderLevel {
            member: id("m-1"),
            leader_level: LeaderLevel::Section,
        })),
        3004,
    );
}

#[test]
fn acting_through_a_member_needs_a_cadre_of_that_organization() {
    let mut c = campaign();
    let rename = |by: &str| {
        cmd(
            D0,
            Actor::Org {
                org: id("v-1"),
                by: Some(id(by)),
            },
            Event::RenameOrg(chuangzheng::org::RenameOrg {
                org: id("v-1"),
                name: name("新村名"),
            }),
        )
    };
    // An ordinary member, and a secretary of another village, are refused.
    refused(&mut c, rename("m-3"), 3005);
    refused(&mut c, rename("m-4"), 3005);
    // The committee member may act for it.
    c.execute(&rename("m-2")).unwrap();
}

#[test]
fn moves_check_authority_kinds_and_cycles() {
    let mut c = campaign();
    let mv = |actor: &str, org: &str, parent: &str| {
        cmd(
            D0,
            org_actor(actor),
            Event::MoveOrg(chuangzheng::org::MoveOrg {
                org: id(org),
                parent: id(parent),
            }),
        )
    };
    // A township moving its own village to another township: no authority there.
    refused(&mut c, mv("t-01", "v-1", "t-02"), 3004);
    // An organization cannot move itself.
    refused(&mut c, mv("v-1", "v-1", "t-01"), 3004);
    // Kinds: a village under a department; a township under a village.
    refused(&mut c, mv("city", "v-1", "d-01"), 3007);
    refused(&mut c, mv("city", "t-01", "v-1"), 3008);
    // The root cannot be moved (nobody is above it).
    refused(&mut c, mv("city", "city", "t-01"), 3004);
    // Same parent: nothing to change.
    refused(&mut c, mv("city", "v-1", "t-01"), 3014);
    // The city moves v-1 to t-02; the tree follows.
    c.execute(&mv("city", "v-1", "t-02")).unwrap();
    let s = c.state();
    let v1 = s.org_by_id("v-1").unwrap();
    let t2 = s.org_by_id("t-02").unwrap();
    assert_eq!(s.org(v1).parent, Some(t2));
    assert!(s.children(t2).contains(&v1));
    assert!(!s.children(s.org_by_id("t-01").unwrap()).contains(&v1));
    assert_eq!(s.org(v1).former_parents.len(), 1);
    s.check_invariants(5).unwrap();
    // Now t-02 has authority over v-1 and its members; t-01 has none.
    refused(
        &mut c,
        add_member("t-01", "m-9", "v-1", Role::Ordinary),
        3004,
    );
    c.execute(&add_member("t-02", "m-9", "v-1", Role::Ordinary))
        .unwrap();
    // A move back dated before the last one is out of order.
    let back = cmd(
        date(2010, 4, 1),
        org_actor("city"),
        Event::MoveOrg(chuangzheng::org::MoveOrg {
            org: id("v-1"),
            parent: id("t-01"),
        }),
    );
    refused(&mut c, back, 3013);
}

#[test]
fn members_belong_to_grassroots_organizations() {
    let mut c = campaign();
    refused(
        &mut c,
        add_member("city", "m-9", "t-01", Role::Ordinary),
        3010,
    );
    refused(
        &mut c,
        add_member("city", "m-9", "city", Role::Ordinary),
        3010,
    );
    let post = cmd(
        D0,
        org_actor("city"),
        Event::PostMember(chuangzheng::org::PostMember {
            member: id("m-3"),
            org: id("d-01"),
            role: Role::Ordinary,
        }),
    );
    refused(&mut c, post, 3010);
}

#[test]
fn one_secretary_per_organization() {
    let mut c = campaign();
    let err = refused(
        &mut c,
        add_member("v-1", "m-9", "v-1", Role::Secretary),
        3009,
    );
    assert!(err.message_en().contains("m-1"));
    let promote = |m: &str, at: Date| {
        cmd(
            at,
            org_actor("t-01"),
            Event::PostMember(chuangzheng::org::PostMember {
                member: id(m),
                org: id("v-1"),
                role: Role::Secretary,
            }),
        )
    };
    refused(&mut c, promote("m-2", D0), 3009);
    // Step the secretary down, then promote the committee member; history keeps both.
    let step_down = cmd(
        date(2010, 9, 1),
        org_actor("t-01"),
        Event::PostMember(chuangzheng::org::PostMember {
            member: id("m-1"),
            org: id("v-1"),
            role: Role::Ordinary,
        }),
    );
    c.execute(&step_down).unwrap();
    c.execute(&promote("m-2", date(2010, 9, 1))).unwrap();
    let s = c.state();
    let v1 = s.org_by_id("v-1").unwrap();
    let m1 = s.member_by_id("m-1").unwrap();
    let m2 = s.member_by_id("m-2").unwrap();
    assert_eq!(s.secretary(v1), Some(m2));
    assert_eq!(
        s.member(m1).posting_on(date(2010, 8, 31)).unwrap().role,
        Role::Secretary
    );
    assert_eq!(
        s.member(m1).posting_on(date(2010, 9, 1)).unwrap().role,
        Role::Ordinary
    );
    let cadres_before: Vec<_> = s.cadres_on(v1, date(2010, 8, 31)).collect();
    assert_eq!(
        cadres_before,
        vec![(m1, Role::Secretary), (m2, Role::CommitteeMember)]
    );
    s.check_invariants(5).unwrap();
}

#[test]
fn postings_are_dated_in_order_and_must_change_something() {
    let mut c = campaign();
    let post = |at: Date, org: &str, role: Role| {
        cmd(
            at,
            org_actor("city"),
            Event::PostMember(chuangzheng::org::PostMember {
                member: id("m-3"),
                org: id(org),
                role,
            }),
        )
    };
    refused(&mut c, post(date(2010, 4, 30), "v-2", Role::Ordinary), 3013);
    refused(&mut c, post(D0, "v-1", Role::Ordinary), 3014);
    // A transfer to another village, dated: the member's history answers by date.
    c.execute(&post(date(2010, 7, 1), "v-2", Role::CommitteeMember))
        .unwrap();
    let s = c.state();
    let m3 = s.member(s.member_by_id("m-3").unwrap());
    assert_eq!(m3.postings.len(), 2);
    assert_eq!(
        m3.posting_on(date(2010, 6, 30)).unwrap().org,
        s.org_by_id("v-1").unwrap()
    );
    assert_eq!(
        m3.posting_on(date(2010, 7, 1)).unwrap().org,
        s.org_by_id("v-2").unwrap()
    );
    // Two changes on one day: the later replaces the earlier.
    c.execute(&post(date(2010, 7, 1), "v-2", Role::Ordinary))
        .unwrap();
    let s = c.state();
    let m3 = s.member(s.member_by_id("m-3").unwrap());
    assert_eq!(m3.postings.len(), 2);
    assert_eq!(m3.current().role, Role::Ordinary);
}

#[test]
fn leader_levels_change_and_refuse_no_ops() {
    let mut c = campaign();
    let set = |level| {
        cmd(
            D0,
            org_actor("v-1"),
            Event::SetLeaderLevel(chuangzheng::org::SetLeaderLevel {
                member: id("m-3"),
                leader_level: level,
            }),
        )
    };
    refused(&mut c, set(LeaderLevel::None), 3014);
    c.execute(&set(LeaderLevel::Section)).unwrap();
    let s = c.state();
    assert_eq!(
        s.member(s.member_by_id("m-3").unwrap()).leader_level,
        LeaderLevel::Section
    );
}

#[test]
fn units_sit_under_a_committee_and_are_covered_by_the_matching_kind() {
    let mut c = campaign();
    let register = |u: &str, kind, area: &str| {
        cmd(
            D0,
            org_actor("city"),
            Event::RegisterUnit(chuangzheng::org::RegisterUnit {
                id: id(u),
                name: name(u),
                kind,
                area: id(area),
                eligible: true,
            }),
        )
    };
    refused(&mut c, register("u-9", UnitKind::Cooperative, "v-1"), 3010);
    refused(&mut c, register("u-9", UnitKind::Cooperative, "city"), 3010);
    c.execute(&register("u-2", UnitKind::Cooperative, "t-01"))
        .unwrap();
    c.execute(&register("u-3", UnitKind::NonPublicEnterprise, "d-01"))
        .unwrap();
    let cover = |unit: &str, org: Option<&str>| {
        cmd(
            D0,
            org_actor("city"),
            Event::CoverUnit(chuangzheng::org::CoverUnit {
                unit: id(unit),
                org: org.map(id),
            }),
        )
    };
    // A cooperative is covered by a cooperative organization, not an enterprise one.
    let err = refused(&mut c, cover("u-2", Some("e-1")), 3011);
    assert!(err.message_zh().contains("农民专业合作社"));
    c.execute(&cover("u-2", Some("co-1"))).unwrap();
    refused(&mut c, cover("u-2", Some("co-1")), 3014);
    // Covering by a non-unit org kind.
    refused(&mut c, cover("u-3", Some("v-1")), 3011);
    // Uncover, and uncovering again changes nothing.
    c.execute(&cover("u-2", None)).unwrap();
    refused(&mut c, cover("u-2", None), 3014);
    let s = c.state();
    let u2 = s.unit(s.unit_by_id("u-2").unwrap());
    assert_eq!(u2.standings.len(), 1, "same-day changes replace each other");
    assert_eq!(u2.current().covered_by, None);
    s.check_invariants(5).unwrap();
}

#[test]
fn a_joint_organization_covers_up_to_the_rules_limit() {
    let mut rules = RuleSet::default();
    rules.coverage.max_units_per_org = 2;
    let mut c = Campaign::in_memory(info(), rules).unwrap();
    c.execute(&cmd(
        D0,
        org_actor("city"),
        Event::CreateOrg(chuangzheng::org::CreateOrg {
            id: id("city"),
            name: name("市委"),
            kind: OrgKind::CityCommittee,
            parent: None,
        }),
    ))
    .unwrap();
    c.execute(&create("city", "t-01", OrgKind::TownshipCommittee, "city"))
        .unwrap();
    c.execute(&create("t-01", "e-1", OrgKind::Enterprise, "t-01"))
        .unwrap();
    for i in 1..=3 {
        c.execute(&cmd(
            D0,
            org_actor("t-01"),
            Event::RegisterUnit(chuangzheng::org::RegisterUnit {
                id: id(&format!("u-{i}")),
                name: name("企业"),
                kind: UnitKind::NonPublicEnterprise,
                area: id("t-01"),
                eligible: true,
            }),
        ))
        .unwrap();
    }
    let cover = |u: &str| {
        cmd(
            D0,
            org_actor("t-01"),
            Event::CoverUnit(chuangzheng::org::CoverUnit {
                unit: id(u),
                org: Some(id("e-1")),
            }),
        )
    };
    c.execute(&cover("u-1")).unwrap();
    c.execute(&cover("u-2")).unwrap();
    let err = refused(&mut c, cover("u-3"), 3012);
    assert!(err.message_en().contains("2 units"));
    assert_eq!(
        c.state().units_covered(c.state().org_by_id("e-1").unwrap()),
        2
    );
}

#[test]
fn unit_eligibility_is_dated() {
    let mut c = campaign();
    let set = |at: Date, eligible| {
        cmd(
            at,
            org_actor("t-01"),
            Event::SetUnitEligibility(chuangzheng::org::SetUnitEligibility {
                unit: id("u-1"),
                eligible,
            }),
        )
    };
    refused(&mut c, set(D0, true), 3014);
    refused(&mut c, set(date(2010, 1, 1), false), 3013);
    c.execute(&set(date(2010, 10, 1), false)).unwrap();
    let s = c.state();
    let u1 = s.unit(s.unit_by_id("u-1").unwrap());
    assert!(u1.standing_on(date(2010, 9, 30)).unwrap().eligible);
    assert!(!u1.standing_on(date(2010, 10, 1)).unwrap().eligible);
    assert!(u1.standing_on(date(2010, 4, 30)).is_none());
    // Coverage is kept across the eligibility change.
    assert!(u1.current().covered_by.is_some());
}

#[test]
fn renaming_to_the_same_name_changes_nothing() {
    let mut c = campaign();
    let rename = cmd(
        D0,
        org_actor("t-01"),
        Event::RenameOrg(chuangzheng::org::RenameOrg {
            org: id("v-1"),
            name: name("v-1"),
        }),
    );
    refused(&mut c, rename, 3014);
}

#[test]
fn commands_from_json_name_the_field_at_fault() {
    let cases = [
        (
            r#"{"at":"2010-13-01","actor":{"org":"city"},"event":{"rename_org":{"org":"v-1","name":"x"}}}"#,
            "at",
        ),
        (
            r#"{"at":"2010-05-01","actor":{"org":""},"event":{"rename_org":{"org":"v-1","name":"x"}}}"#,
            "actor.org",
        ),
        (
            r#"{"at":"2010-05-01","actor":{"org":"a","member":"b"},"event":{"rename_org":{"org":"v-1","name":"x"}}}"#,
            "actor",
        ),
        (
            r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"rename_org":{"org":"v-1","name":" x"}}}"#,
            "event.rename_org.name",
        ),
        (
            r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"rename_org":{"org":"v-1"}}}"#,
            "event.rename_org",
        ),
        (
            r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"x","name":"x","kind":"hamlet","parent":"city"}}}"#,
            "event.create_org.kind",
        ),
        (
            r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"fly":{}}}"#,
            "event",
        ),
        (
            r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"rename_org":{"org":"v-1","name":"x","extra":1}}}"#,
            "event.rename_org.extra",
        ),
        (r#"{"at":"2010-05-01","actor":{"org":"city"}}"#, "."),
    ];
    for (json, path) in cases {
        let err = Command::from_json(json).unwrap_err();
        assert_eq!(err.code(), 3001, "{json}");
        match &err {
            LedgerError::Parse { path: p, .. } => assert_eq!(p, path, "{json}: {err}"),
            other => panic!("{json}: {other}"),
        }
        assert!(err.message_zh().contains("命令无法解析"));
    }
}

#[test]
fn replay_of_receipts_rebuilds_the_same_state() {
    let mut c = Campaign::in_memory(info(), RuleSet::default()).unwrap();
    let mut journal = c.header_line();
    let commands = chuangzheng::demo::commands(&chuangzheng::demo::DemoSpec::small());
    for command in &commands {
        journal.push_str(&c.execute(command).unwrap().line);
    }
    let (replayed, report) = Campaign::replay(journal.as_bytes()).unwrap();
    assert_eq!(report.records, commands.len() as u64);
    assert!(report.torn_tail.is_none());
    assert_eq!(replayed.state_json(), c.state_json());
    assert_eq!(replayed.last_hash(), c.last_hash());
    assert_eq!(replayed.seq(), c.seq());
}

#[test]
fn snapshots_round_trip() {
    let c = campaign();
    let snapshot = c.snapshot_json();
    let loaded = Campaign::from_snapshot_json(&snapshot).unwrap();
    assert_eq!(loaded.state_json(), c.state_json());
    assert_eq!(loaded.seq(), c.seq());
    assert_eq!(loaded.last_hash(), c.last_hash());
}

#[test]
fn snapshots_that_break_an_invariant_are_refused() {
    let c = campaign();
    let snapshot = c.snapshot_json();
    // Point v-1's parent at itself, duplicate an id, and tamper with the chain's header.
    let v1 = c.state().org_by_id("v-1").unwrap().0;
    let tampered = [
        snapshot.replacen(r#""id":"t-02""#, r#""id":"t-01""#, 1),
        snapshot.replacen(
            r#""id":"v-1","name":"v-1","kind":"village","parent":1"#,
            &format!(r#""id":"v-1","name":"v-1","kind":"village","parent":{v1}"#),
            1,
        ),
        snapshot.replacen(r#""kind":"village""#, r#""kind":"township_committee""#, 1),
        snapshot.replacen(r#""name":"测试""#, r#""name":"改过""#, 1),
        snapshot.replacen(r#""role":"ordinary""#, r#""role":"secretary""#, 1),
        snapshot.replacen(r#""version":1"#, r#""version":9"#, 1),
        snapshot.replacen(r#""seq":"#, r#""sequence":"#, 1),
    ];
    for (i, t) in tampered.iter().enumerate() {
        assert_ne!(t, &snapshot, "case {i} did not tamper");
        let err = Campaign::from_snapshot_json(t).expect_err(&format!("case {i} loaded"));
        assert!(
            matches!(err.code(), 4008 | 2002),
            "case {i}: {}",
            err.message_en()
        );
    }
}

#[test]
fn no_fact_is_dated_before_its_organization_existed() {
    let mut c = campaign();
    let later = date(2010, 6, 1);
    c.execute(&cmd(
        later,
        org_actor("t-01"),
        Event::CreateOrg(chuangzheng::org::CreateOrg {
            id: id("v-new"),
            name: name("新村"),
            kind: OrgKind::Village,
            parent: Some(id("t-01")),
        }),
    ))
    .unwrap();
    let before = date(2010, 5, 31);
    // Acting as it, adding a member to it, creating under it, covering with it: not before
    // it existed.
    let rename = cmd(
        before,
        org_actor("v-new"),
        Event::RenameOrg(chuangzheng::org::RenameOrg {
            org: id("v-new"),
            name: name("改名"),
        }),
    );
    let err = refused(&mut c, rename, 3013);
    assert!(err.message_en().contains("actor.org"), "{err}");
    let mut add = add_member("t-01", "m-9", "v-new", Role::Ordinary);
    add.at = Stamp::on(before);
    refused(&mut c, add.clone(), 3013);
    add.at = Stamp::on(later);
    c.execute(&add).unwrap();
    // A member acts only from their first posting on.
    let early_member = cmd(
        before,
        Actor::Member { member: id("m-9") },
        Event::RenameOrg(chuangzheng::org::RenameOrg {
            org: id("v-new"),
            name: name("改名"),
        }),
    );
    refused(&mut c, early_member, 3013);
    // A township created later is no parent for earlier facts either.
    let mut t9 = create("city", "t-09", OrgKind::TownshipCommittee, "city");
    t9.at = Stamp::on(later);
    c.execute(&t9).unwrap();
    let mut under = create("city", "v-10", OrgKind::Village, "t-09");
    under.at = Stamp::on(before);
    refused(&mut c, under, 3013);
    let mut mv = cmd(
        before,
        org_actor("city"),
        Event::MoveOrg(chuangzheng::org::MoveOrg {
            org: id("v-1"),
            parent: id("t-09"),
        }),
    );
    refused(&mut c, mv.clone(), 3013);
    mv.at = Stamp::on(later);
    c.execute(&mv).unwrap();
    c.state().check_invariants(5).unwrap();
}

#[test]
fn commands_outside_the_campaign_window_are_refused() {
    let mut rules = RuleSet::default();
    rules.window.starts = Some(date(2010, 5, 1));
    rules.window.ends = Some(date(2011, 12, 31));
    let mut c = Campaign::in_memory(info(), rules).unwrap();
    let root = |d: Date| {
        cmd(
            d,
            org_actor("city"),
            Event::CreateOrg(chuangzheng::org::CreateOrg {
                id: id("city"),
                name: name("市委"),
                kind: OrgKind::CityCommittee,
                parent: None,
            }),
        )
    };
    let err = refused(&mut c, root(date(2010, 4, 30)), 3027);
    assert!(err.message_en().contains("2010-05-01"), "{err}");
    c.execute(&root(date(2010, 5, 1))).unwrap();
    let mut late = create("city", "t-01", OrgKind::TownshipCommittee, "city");
    late.at = Stamp::on(date(2012, 1, 1));
    refused(&mut c, late.clone(), 3027);
    late.at = Stamp::on(date(2011, 12, 31));
    c.execute(&late).unwrap();
}
