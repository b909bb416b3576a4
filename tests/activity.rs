//! Service actions, volunteer teams, contact points, instructors and other activities through
//! the ledger: every refusal, the happy paths, snapshots and replay, the figures, and the demo
//! city's seed figures.

use std::sync::OnceLock;

use chuangzheng::Coded;
use chuangzheng::activity::{
    ActivityFigures, ByPartnerKind, Code, InstructorTarget, Output, PartnerRef, TargetRef,
    work_covered_on,
};
use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Actor, Campaign, CampaignInfo, Command, Event, LedgerError};
use chuangzheng::model::{
    Amount, ExtId, LeaderLevel, MemberCategory, Name, OrgKind, Role, Stamp, UnitKind,
};
use chuangzheng::rules::RuleSet;
use jiff::civil::{Date, date};

// ---------------------------------------------------------------- helpers

fn id(s: &str) -> ExtId {
    ExtId::new("test", s).unwrap()
}

fn name(s: &str) -> Name {
    Name::new("test", s).unwrap()
}

fn code(s: &str) -> Code {
    Code::new("test", s).unwrap()
}

fn yuan(s: &str) -> Amount {
    Amount::parse("test", s).unwrap()
}

const D0: Date = date(2010, 5, 1);

fn day(m: i8, d: i8) -> Date {
    date(2010, m, d)
}

fn on(d: Date, actor: Actor, event: Event) -> Command {
    Command::new(Stamp::on(d), actor, event)
}

fn org(s: &str) -> Actor {
    Actor::org(&id(s))
}

fn member(s: &str) -> Actor {
    Actor::Member { member: id(s) }
}

/// city ─┬ t-01 ─┬ v-1 (m-1 secretary, m-2 ordinary)
///       │       ├ v-2 (m-3 secretary)
///       │       └ o-1 organ (m-4 secretary, city leader; m-5 ordinary, section leader)
///       ├ t-02 ── v-3 (m-6 secretary)
///       └ d-01 ── o-2 organ (m-7 secretary; m-8 ordinary, added on 6 May)
/// Units: u-1 (enterprise, area t-01, covered by e-1 under t-01), u-2 (social organization,
/// area t-02, not covered), u-3 (enterprise, area t-01, registered 10 May).
fn fixture_commands() -> Vec<Command> {
    let create = |actor: &str, new: &str, kind, parent: Option<&str>| {
        on(
            D0,
            org(actor),
            Event::CreateOrg(chuangzheng::org::CreateOrg {
                id: id(new),
                name: name(new),
                kind,
                parent: parent.map(id),
            }),
        )
    };
    let add = |d: Date, m: &str, o: &str, role, level| {
        on(
            d,
            org("city"),
            Event::AddMember(chuangzheng::org::AddMember {
                id: id(m),
                org: id(o),
                category: MemberCategory::Organ,
                role,
                leader_level: level,
            }),
        )
    };
    let unit = |d: Date, u: &str, kind, area: &str| {
        on(
            d,
            org("city"),
            Event::RegisterUnit(chuangzheng::org::RegisterUnit {
                id: id(u),
                name: name(u),
                kind,
                area: id(area),
                eligible: true,
            }),
        )
    };
    use LeaderLevel as L;
    use OrgKind as K;
    vec![
        create("city", "city", K::CityCommittee, None),
        create("city", "t-01", K::TownshipCommittee, Some("city")),
        create("city", "t-02", K::TownshipCommittee, Some("city")),
        create("city", "d-01", K::CityDepartment, Some("city")),
        create("t-01", "v-1", K::Village, Some("t-01")),
        create("t-01", "v-2", K::Village, Some("t-01")),
        create("t-01", "o-1", K::Organ, Some("t-01")),
        create("t-01", "e-1", K::Enterprise, Some("t-01")),
        create("t-02", "v-3", K::Village, Some("t-02")),
        create("d-01", "o-2", K::Organ, Some("d-01")),
        add(D0, "m-1", "v-1", Role::Secretary, L::None),
        add(D0, "m-2", "v-1", Role::Ordinary, L::None),
        add(D0, "m-3", "v-2", Role::Secretary, L::None),
        add(D0, "m-4", "o-1", Role::Secretary, L::City),
        add(D0, "m-5", "o-1", Role::Ordinary, L::Section),
        add(D0, "m-6", "v-3", Role::Secretary, L::None),
        add(D0, "m-7", "o-2", Role::Secretary, L::None),
        add(day(5, 6), "m-8", "o-2", Role::Ordinary, L::None),
        unit(D0, "u-1", UnitKind::NonPublicEnterprise, "t-01"),
        unit(D0, "u-2", UnitKind::SocialOrganization, "t-02"),
        unit(day(5, 10), "u-3", UnitKind::NonPublicEnterprise, "t-01"),
        on(
            D0,
            org("t-01"),
            Event::CoverUnit(chuangzheng::org::CoverUnit {
                unit: id("u-1"),
                org: Some(id("e-1")),
            }),
        ),
    ]
}

fn new_campaign() -> Campaign {
    Campaign::in_memory(
        CampaignInfo {
            id: id("activity"),
            name: name("惠民行动测试"),
        },
        RuleSet::default(),
    )
    .unwrap()
}

fn campaign() -> Campaign {
    let mut c = new_campaign();
    for cmd in &fixture_commands() {
        c.execute(cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    }
    c
}

#[track_caller]
fn ok(c: &mut Campaign, cmd: Command) {
    c.execute(&cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
}

#[track_caller]
fn refused(c: &mut Campaign, cmd: Command, code: u32) -> LedgerError {
    let before = (c.state_json(), c.seq(), c.last_hash());
    let err = c.execute(&cmd).expect_err("accepted");
    assert_eq!(err.code(), code, "{err}");
    assert!(!err.message_zh().is_empty());
    assert!(!err.message_en().is_empty());
    assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
    err
}

fn figures(c: &Campaign, root: &str, from: Option<Date>, as_of: Date) -> ActivityFigures {
    let s = c.state();
    ActivityFigures::of(
        s.activity(),
        s.registry(),
        s.org_by_id(root).unwrap(),
        from,
        as_of,
    )
}

fn receive(d: Date, actor: Actor, case: &str, o: &str) -> Command {
    on(
        d,
        actor,
        Event::ReceiveHotlineCase(chuangzheng::activity::ReceiveHotlineCase {
            id: id(case),
            org: id(o),
            category: code("road"),
            text: long_text("路灯不亮"),
        }),
    )
}

fn resolve(d: Date, actor: Actor, case: &str) -> Command {
    on(
        d,
        actor,
        Event::ResolveHotlineCase(chuangzheng::activity::ResolveHotlineCase {
            case: id(case),
            outcome: long_text("已修复"),
        }),
    )
}

fn reply(d: Date, actor: Actor, case: &str) -> Command {
    on(
        d,
        actor,
        Event::ReplyHotlineCase(chuangzheng::activity::ReplyHotlineCase {
            case: id(case),
            reply: Some(long_text("已电话告知")),
        }),
    )
}

fn donate(d: Date, actor: Actor, donation: &str, m: &str, amount: &str) -> Command {
    on(
        d,
        actor,
        Event::RecordDonation(chuangzheng::activity::RecordDonation {
            id: id(donation),
            member: id(m),
            amount_yuan: yuan(amount),
            drive: Some(name("防汛救灾、重建家园")),
        }),
    )
}

fn home_visit(d: Date, actor: Actor, v: &str, m: &str, problems: u32, aid: &str) -> Command {
    on(
        d,
        actor,
        Event::RecordHomeVisit(chuangzheng::activity::RecordHomeVisit {
            id: id(v),
            cadre: id(m),
            problems_solved: problems,
            aid_yuan: yuan(aid),
        }),
    )
}

fn found_team(d: Date, actor: Actor, team: &str, o: &str) -> Command {
    on(
        d,
        actor,
        Event::FoundVolunteerTeam(chuangzheng::activity::FoundVolunteerTeam {
            id: id(team),
            name: name("党员义工服务队"),
            org: id(o),
        }),
    )
}

fn join(d: Date, actor: Actor, team: &str, m: &str) -> Command {
    on(
        d,
        actor,
        Event::JoinVolunteerTeam(chuangzheng::activity::JoinVolunteerTeam {
            team: id(team),
            member: id(m),
        }),
    )
}

fn leave(d: Date, actor: Actor, team: &str, m: &str) -> Command {
    on(
        d,
        actor,
        Event::LeaveVolunteerTeam(chuangzheng::activity::LeaveVolunteerTeam {
            team: id(team),
            member: id(m),
        }),
    )
}

fn team_activity(d: Date, actor: Actor, a: &str, team: &str, outputs: Vec<Output>) -> Command {
    on(
        d,
        actor,
        Event::RecordVolunteerActivity(chuangzheng::activity::RecordVolunteerActivity {
            id: id(a),
            team: id(team),
            kind: code("medical_clinic"),
            people_served: 30,
            outputs: bounded(outputs),
        }),
    )
}

fn output(what: &str, count: u32) -> Output {
    Output {
        what: code(what),
        count,
    }
}

fn link(d: Date, actor: Actor, leader: &str, o: &str) -> Command {
    on(
        d,
        actor,
        Event::LinkContactPoint(chuangzheng::activity::LinkContactPoint {
            leader: id(leader),
            org: id(o),
        }),
    )
}

fn unlink(d: Date, actor: Actor, leader: &str, o: &str) -> Command {
    on(
        d,
        actor,
        Event::UnlinkContactPoint(chuangzheng::activity::UnlinkContactPoint {
            leader: id(leader),
            org: id(o),
        }),
    )
}

fn partner_org(o: &str) -> PartnerRef {
    PartnerRef::Org(id(o))
}

fn partner_member(m: &str) -> PartnerRef {
    PartnerRef::Member(id(m))
}

fn pair(d: Date, actor: Actor, partner: PartnerRef, v: &str) -> Command {
    on(
        d,
        actor,
        Event::PairVillage(chuangzheng::activity::PairVillage {
            partner,
            village: id(v),
        }),
    )
}

fn unpair(d: Date, actor: Actor, partner: PartnerRef, v: &str) -> Command {
    on(
        d,
        actor,
        Event::UnpairVillage(chuangzheng::activity::UnpairVillage {
            partner,
            village: id(v),
        }),
    )
}

fn unit_target(u: &str) -> TargetRef {
    TargetRef::Unit(id(u))
}

fn village_target(v: &str) -> TargetRef {
    TargetRef::Village(id(v))
}

fn assign(d: Date, actor: Actor, m: &str, target: TargetRef) -> Command {
    on(
        d,
        actor,
        Event::AssignInstructor(chuangzheng::activity::AssignInstructor {
            instructor: id(m),
            target,
        }),
    )
}

fn unassign(d: Date, actor: Actor, m: &str, target: TargetRef) -> Command {
    on(
        d,
        actor,
        Event::UnassignInstructor(chuangzheng::activity::UnassignInstructor {
            instructor: id(m),
            target,
        }),
    )
}

fn activity(d: Date, actor: Actor, a: &str, o: &str, participants: u32, served: u32) -> Command {
    on(
        d,
        actor,
        Event::RecordActivity(chuangzheng::activity::RecordActivity {
            id: id(a),
            org: id(o),
            kind: code("live_studio"),
            title: name("走进直播间"),
            participants,
            people_served: served,
        }),
    )
}

// ---------------------------------------------------------------- the demo city

/// The seed city with the demo's activity commands executed: built once for all tests.
fn demo_campaign() -> &'static Campaign {
    static CAMPAIGN: OnceLock<Campaign> = OnceLock::new();
    CAMPAIGN.get_or_init(|| {
        let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
        let city = c.execute_batch(&demo::commands(&DemoSpec::seed())).unwrap();
        assert!(city.all_accepted(), "{:?}", city.first_refusal());
        let cmds = demo::activity::commands(c.state(), &demo::activity::ActivityPlan::seed());
        assert!(
            cmds.iter()
                .all(|cmd| (demo::START..=demo::AS_OF).contains(&cmd.at.date))
        );
        let batch = c.execute_batch(&cmds).unwrap();
        assert!(batch.all_accepted(), "{:?}", batch.first_refusal());
        c
    })
}

#[test]
fn the_demo_city_reproduces_the_seed_figures() {
    let c = demo_campaign();
    let f = figures(c, "city", None, demo::AS_OF);
    assert_eq!(f.hotline_cases_received, 1950);
    assert_eq!(f.hotline_cases_resolved, 1289);
    assert_eq!(f.hotline_cases_replied, 1950);
    assert_eq!(
        f.hotline_reply_rate().unwrap().percent(0).to_string(),
        "100"
    );
    assert_eq!(f.donation_donors, 10267);
    assert_eq!(f.donations, 10267);
    assert_eq!(f.donation_amount_fen, 274_741_000);
    assert_eq!(f.donation_amount_yuan().to_string(), "2747410");
    assert_eq!(f.home_visit_cadres, 2391);
    assert_eq!(f.home_visit_problems_solved, 3599);
    assert_eq!(f.home_visit_aid_yuan().to_string(), "526000");
    assert_eq!(f.volunteer_teams, 421);
    assert_eq!(f.volunteer_members, 5937);
    assert_eq!(f.volunteer_activities, 842);
    assert_eq!(f.volunteer_people_served, 566);
    assert_eq!(f.volunteer_outputs["leaflets"], 5420);
    assert_eq!(f.volunteer_outputs["streets_cleaned"], 76);
    assert_eq!(f.volunteer_outputs["ads_removed"], 4630);
    assert_eq!((f.contact_leaders.city, f.contact_points.city), (24, 48));
    assert_eq!(
        (f.contact_leaders.section, f.contact_points.section),
        (795, 795)
    );
    assert_eq!(f.instructors, 798);
    assert_eq!(f.instructed_units.non_public_enterprise, 493);
    assert_eq!(f.instructed_units.social_organization, 99);
    assert_eq!(f.instructed_villages, 206);
    let studio = f.activities["live_studio"];
    assert_eq!(
        (studio.activities, studio.participants, studio.people_served),
        (41, 157, 203)
    );
    assert_eq!(f.activities["benefit_caravan"].activities, 62);
}

#[test]
fn the_demo_city_has_every_donation_within_bounds_and_varied() {
    let s = demo_campaign().state();
    let amounts: Vec<i64> = s
        .activity()
        .donations()
        .iter()
        .map(|d| d.amount_yuan.fen())
        .collect();
    assert!(amounts.iter().all(|a| *a >= 100));
    let distinct: std::collections::BTreeSet<_> = amounts.iter().collect();
    assert!(distinct.len() > 100, "amounts vary");
}

#[test]
fn the_demo_city_figures_merge_from_the_township_level_subtrees() {
    let c = demo_campaign();
    let s = c.state();
    let root = s.root().unwrap();
    for from in [None, Some(day(8, 1))] {
        let whole = ActivityFigures::of(s.activity(), s.registry(), root, from, demo::AS_OF);
        let mut merged = ActivityFigures::default();
        for &child in s.children(root) {
            merged.merge(&ActivityFigures::of(
                s.activity(),
                s.registry(),
                child,
                from,
                demo::AS_OF,
            ));
        }
        assert_eq!(merged, whole);
    }
    // In force on 31 October: every enterprise and social organization is reached by party
    // work (an organization or an instructor); cooperatives without an organization are not.
    let reached = |kind| {
        (0..s.units().len() as u32)
            .map(chuangzheng::model::UnitIdx)
            .filter(|u| {
                s.unit(*u).kind == kind
                    && work_covered_on(s.activity(), s.registry(), *u, demo::AS_OF)
            })
            .count()
    };
    assert_eq!(reached(UnitKind::NonPublicEnterprise), 493);
    assert_eq!(reached(UnitKind::SocialOrganization), 99);
    assert_eq!(reached(UnitKind::Cooperative), 26);
}

#[test]
fn the_demo_city_snapshot_loads_with_its_activity_records() {
    let c = demo_campaign();
    c.state()
        .check_invariants(c.rules().coverage.max_units_per_org)
        .unwrap();
    let loaded = Campaign::from_snapshot_json(&c.snapshot_json()).unwrap();
    assert_eq!(loaded.state_json(), c.state_json());
    assert_eq!(
        figures(&loaded, "city", None, demo::AS_OF),
        figures(c, "city", None, demo::AS_OF)
    );
}

// ---------------------------------------------------------------- hotline cases

#[test]
fn hotline_cases_are_received_resolved_and_replied_once_each() {
    let mut c = campaign();
    ok(&mut c, receive(day(6, 1), org("t-01"), "hl-1", "o-1"));
    ok(&mut c, reply(day(6, 2), org("o-1"), "hl-1"));
    ok(&mut c, resolve(day(6, 5), org("city"), "hl-1"));
    ok(&mut c, receive(day(6, 3), org("d-01"), "hl-2", "d-01"));
    let f = figures(&c, "city", None, day(6, 30));
    assert_eq!(
        (
            f.hotline_cases_received,
            f.hotline_cases_resolved,
            f.hotline_cases_replied
        ),
        (2, 1, 1)
    );
    assert_eq!(f.hotline_reply_rate().unwrap().percent(0).to_string(), "50");
    // As of 4 June the case was replied to but not yet resolved.
    let early = figures(&c, "city", None, day(6, 4));
    assert_eq!(
        (early.hotline_cases_resolved, early.hotline_cases_replied),
        (0, 1)
    );
    // Counted in the subtree of the organization it is attributed to, in the date range.
    assert_eq!(
        figures(&c, "t-01", None, day(6, 30)).hotline_cases_received,
        1
    );
    assert_eq!(
        figures(&c, "t-02", None, day(6, 30)).hotline_cases_received,
        0
    );
    assert_eq!(
        figures(&c, "city", Some(day(6, 2)), day(6, 30)).hotline_cases_received,
        1
    );
    let s = c.state();
    let hl = s.activity().hotline_case_by_id("hl-1").unwrap();
    assert_eq!(
        s.activity().hotline_case(hl).resolved.as_ref().unwrap().on,
        day(6, 5)
    );
}

#[test]
fn hotline_case_refusals() {
    let mut c = campaign();
    ok(&mut c, receive(day(6, 1), org("t-01"), "hl-1", "o-1"));
    // Unknown organization or case; authority; duplicate id.
    refused(
        &mut c,
        receive(day(6, 1), org("city"), "hl-2", "nope"),
        3002,
    );
    refused(&mut c, resolve(day(6, 2), org("city"), "nope"), 3002);
    refused(&mut c, receive(day(6, 1), org("t-02"), "hl-2", "o-1"), 3004);
    refused(
        &mut c,
        receive(day(6, 1), member("m-4"), "hl-2", "o-1"),
        3004,
    );
    refused(&mut c, receive(day(6, 1), org("t-01"), "hl-1", "o-1"), 3003);
    refused(&mut c, resolve(day(6, 2), org("t-02"), "hl-1"), 3004);
    refused(&mut c, reply(day(6, 2), org("v-1"), "hl-1"), 3004);
    // Not before it was received, nor before the organization existed.
    refused(&mut c, resolve(day(5, 31), org("t-01"), "hl-1"), 3013);
    refused(&mut c, reply(day(5, 31), org("t-01"), "hl-1"), 3013);
    refused(
        &mut c,
        receive(date(2010, 4, 30), org("city"), "hl-2", "o-1"),
        3013,
    );
    // Bounded text: an over-long, blank or empty text cannot be built in Rust (the type
    // refuses it, naming the field), and a host's JSON holding one is refused as it is read.
    for (text, code) in [
        ("x".repeat(2001), 1002),
        ("  ".into(), 1001),
        (String::new(), 1001),
    ] {
        let e = chuangzheng::model::LongText::new("event.text", &text).unwrap_err();
        assert_eq!((e.code(), e.field()), (code, "event.text"), "{text:?}");
    }
    let json = format!(
        r#"{{"at":"2010-06-01","actor":{{"org":"t-01"}},"event":{{"receive_hotline_case":{{"id":"hl-3","org":"o-1","category":"road","text":"{}"}}}}}}"#,
        "x".repeat(2001)
    );
    let e = Command::from_json(&json).unwrap_err();
    assert_eq!(e.code(), 3001);
    assert!(
        e.message_zh()
            .contains("字段 event.receive_hotline_case.text：长度 2001 超过上限 2000"),
        "{}",
        e.message_zh()
    );
    assert!(
        e.message_en()
            .contains("length 2001 exceeds the limit of 2000")
    );
    // Each step once.
    ok(&mut c, resolve(day(6, 2), org("t-01"), "hl-1"));
    ok(&mut c, reply(day(6, 2), org("t-01"), "hl-1"));
    let err = refused(&mut c, resolve(day(6, 3), org("t-01"), "hl-1"), 3060);
    assert!(err.message_zh().contains("已解决"), "{}", err.message_zh());
    let err = refused(&mut c, reply(day(6, 3), org("t-01"), "hl-1"), 3060);
    assert!(err.message_zh().contains("已回复"), "{}", err.message_zh());
    // A category is a code.
    let bad = r#"{"at":"2010-06-01","actor":{"org":"city"},"event":{"receive_hotline_case":{"id":"hl-9","org":"o-1","category":"Road Works","text":"x"}}}"#;
    assert_eq!(Command::from_json(bad).unwrap_err().code(), 3001);
}

// ---------------------------------------------------------------- donations and home visits

#[test]
fn donations_count_distinct_donors_under_their_organization() {
    let mut c = campaign();
    ok(&mut c, donate(day(8, 5), org("o-1"), "dn-1", "m-4", "500"));
    ok(&mut c, donate(day(8, 6), org("t-01"), "dn-2", "m-4", "0.5"));
    ok(&mut c, donate(day(8, 6), org("city"), "dn-3", "m-7", "200"));
    let f = figures(&c, "city", None, day(8, 31));
    assert_eq!((f.donations, f.donation_donors), (3, 2));
    assert_eq!(f.donation_amount_yuan().to_string(), "700.5");
    let t01 = figures(&c, "t-01", None, day(8, 31));
    assert_eq!((t01.donation_donors, t01.donation_amount_fen), (1, 50_050));
    // The donor moves to v-1; a later donation counts there, the earlier ones stay at o-1.
    ok(
        &mut c,
        on(
            day(9, 1),
            org("t-01"),
            Event::PostMember(chuangzheng::org::PostMember {
                member: id("m-4"),
                org: id("v-1"),
                role: Role::Ordinary,
            }),
        ),
    );
    ok(&mut c, donate(day(9, 2), org("v-1"), "dn-4", "m-4", "10"));
    let s = c.state();
    let d4 = &s.activity().donations()[3];
    assert_eq!(s.org(d4.org).id.as_str(), "v-1");
    assert_eq!(figures(&c, "v-1", None, day(9, 30)).donation_donors, 1);
    // A donor is one person however many organizations their donations fall under: m-4
    // counts once, where posted on the as-of date (v-1, under t-01), not at o-1 too.
    let sept = figures(&c, "t-01", None, day(9, 30));
    assert_eq!((sept.donations, sept.donation_donors), (3, 1));
    assert_eq!(figures(&c, "o-1", None, day(9, 30)).donation_donors, 0);
    assert_eq!(figures(&c, "o-1", None, day(9, 30)).donations, 2);
    assert_eq!(figures(&c, "city", None, day(9, 30)).donation_donors, 2);
}

#[test]
fn donation_refusals() {
    let mut c = campaign();
    refused(
        &mut c,
        donate(day(8, 5), org("city"), "dn-1", "nobody", "5"),
        3002,
    );
    // m-8 was added on 6 May.
    refused(
        &mut c,
        donate(day(5, 5), org("city"), "dn-1", "m-8", "5"),
        3013,
    );
    refused(
        &mut c,
        donate(day(8, 5), org("t-01"), "dn-1", "m-7", "5"),
        3004,
    );
    refused(
        &mut c,
        donate(day(8, 5), member("m-7"), "dn-1", "m-7", "5"),
        3004,
    );
    refused(
        &mut c,
        donate(day(8, 5), org("d-01"), "dn-1", "m-7", "0"),
        1009,
    );
    refused(
        &mut c,
        donate(day(8, 5), org("d-01"), "dn-1", "m-7", "10000000.01"),
        1009,
    );
    ok(
        &mut c,
        donate(day(8, 5), org("d-01"), "dn-1", "m-7", "10000000"),
    );
    refused(
        &mut c,
        donate(day(8, 6), org("d-01"), "dn-1", "m-7", "5"),
        3003,
    );
    // An amount is an exact decimal string.
    let json = r#"{"at":"2010-08-05","actor":{"org":"d-01"},"event":{"record_donation":{"id":"dn-2","member":"m-7","amount_yuan":12.5}}}"#;
    assert_eq!(Command::from_json(json).unwrap_err().code(), 3001);
}

#[test]
fn home_visits_count_cadres_problems_and_aid() {
    let mut c = campaign();
    ok(
        &mut c,
        home_visit(day(6, 1), org("o-1"), "hv-1", "m-5", 2, "300"),
    );
    ok(
        &mut c,
        home_visit(day(6, 9), org("o-1"), "hv-2", "m-5", 1, "0"),
    );
    ok(
        &mut c,
        home_visit(day(7, 1), org("d-01"), "hv-3", "m-7", 0, "1000000"),
    );
    let f = figures(&c, "city", None, day(7, 31));
    assert_eq!(
        (
            f.home_visits,
            f.home_visit_cadres,
            f.home_visit_problems_solved
        ),
        (3, 2, 3)
    );
    assert_eq!(f.home_visit_aid_yuan().to_string(), "1000300");
    let june = figures(&c, "city", Some(day(6, 5)), day(6, 30));
    assert_eq!((june.home_visits, june.home_visit_aid_fen), (1, 0));
    // Aid left out of the JSON is none.
    let json = r#"{"at":"2010-07-02","actor":{"org":"d-01"},"event":{"record_home_visit":{"id":"hv-9","cadre":"m-7","problems_solved":1}}}"#;
    let cmd = Command::from_json(json).unwrap();
    assert_eq!(Command::from_json(&cmd.to_json()).unwrap(), cmd);
    ok(&mut c, cmd);
}

#[test]
fn home_visit_refusals() {
    let mut c = campaign();
    ok(
        &mut c,
        home_visit(day(6, 1), org("o-1"), "hv-1", "m-5", 2, "300"),
    );
    refused(
        &mut c,
        home_visit(day(6, 1), org("o-1"), "hv-1", "m-4", 1, "1"),
        3003,
    );
    refused(
        &mut c,
        home_visit(day(6, 1), org("o-1"), "hv-2", "zz", 1, "1"),
        3002,
    );
    refused(
        &mut c,
        home_visit(day(6, 1), org("v-1"), "hv-2", "m-5", 1, "1"),
        3004,
    );
    refused(
        &mut c,
        home_visit(day(5, 2), org("d-01"), "hv-2", "m-8", 1, "1"),
        3013,
    );
    refused(
        &mut c,
        home_visit(day(6, 1), org("o-1"), "hv-2", "m-5", 1001, "1"),
        1009,
    );
    refused(
        &mut c,
        home_visit(day(6, 1), org("o-1"), "hv-2", "m-5", 1, "1000000.01"),
        1009,
    );
}

// ---------------------------------------------------------------- volunteer teams

#[test]
fn volunteer_teams_count_members_in_the_range_and_activities() {
    let mut c = campaign();
    ok(&mut c, found_team(day(6, 1), org("t-01"), "vt-1", "t-01"));
    ok(&mut c, join(day(6, 1), org("t-01"), "vt-1", "m-1"));
    ok(&mut c, join(day(6, 2), org("t-01"), "vt-1", "m-4"));
    ok(&mut c, leave(day(7, 1), org("t-01"), "vt-1", "m-4"));
    // Rejoining after leaving is a new membership.
    ok(&mut c, join(day(8, 1), org("city"), "vt-1", "m-4"));
    ok(&mut c, found_team(day(6, 1), org("v-3"), "vt-2", "v-3"));
    ok(&mut c, join(day(6, 3), org("v-3"), "vt-2", "m-6"));
    // Joining and leaving the same day is recorded, and counted once.
    ok(&mut c, join(day(6, 4), org("t-01"), "vt-1", "m-2"));
    ok(&mut c, leave(day(6, 4), org("t-01"), "vt-1", "m-2"));
    ok(
        &mut c,
        team_activity(
            day(6, 12),
            org("t-01"),
            "va-1",
            "vt-1",
            vec![output("leaflets", 200), output("streets_cleaned", 2)],
        ),
    );
    ok(
        &mut c,
        team_activity(day(6, 12), org("v-3"), "va-2", "vt-2", vec![]),
    );
    let f = figures(&c, "city", None, day(10, 31));
    assert_eq!((f.volunteer_teams, f.volunteer_members), (2, 4));
    assert_eq!((f.volunteer_activities, f.volunteer_people_served), (2, 60));
    assert_eq!(f.volunteer_outputs["leaflets"], 200);
    // In July only m-1 and m-6 are in a team; m-4 left on 1 July and rejoined in August.
    let july = figures(&c, "city", Some(day(7, 1)), day(7, 31));
    assert_eq!((july.volunteer_teams, july.volunteer_members), (2, 2));
    let june4 = figures(&c, "t-01", Some(day(6, 4)), day(6, 4));
    assert_eq!(june4.volunteer_members, 3);
    let before = figures(&c, "city", None, day(5, 31));
    assert_eq!((before.volunteer_teams, before.volunteer_members), (0, 0));
    assert_eq!(figures(&c, "t-02", None, day(10, 31)).volunteer_members, 1);
    let s = c.state();
    let vt1 = s.activity().team(s.activity().team_by_id("vt-1").unwrap());
    assert_eq!((vt1.members.len(), vt1.members_now()), (4, 2));
}

#[test]
fn volunteer_team_refusals() {
    let mut c = campaign();
    refused(
        &mut c,
        found_team(day(6, 1), org("t-02"), "vt-1", "t-01"),
        3004,
    );
    refused(
        &mut c,
        found_team(day(6, 1), org("t-01"), "vt-1", "nope"),
        3002,
    );
    refused(
        &mut c,
        found_team(date(2010, 4, 1), org("city"), "vt-1", "t-01"),
        3013,
    );
    ok(&mut c, found_team(day(6, 1), org("t-01"), "vt-1", "t-01"));
    refused(
        &mut c,
        found_team(day(6, 1), org("t-01"), "vt-1", "t-01"),
        3003,
    );
    // Joining: unknown team or member, authority, before founding, outside the team's
    // organization, twice.
    refused(&mut c, join(day(6, 2), org("t-01"), "vt-9", "m-1"), 3002);
    refused(&mut c, join(day(6, 2), org("t-01"), "vt-1", "zz"), 3002);
    refused(&mut c, join(day(6, 2), org("v-1"), "vt-1", "m-1"), 3004);
    refused(&mut c, join(day(6, 2), member("m-1"), "vt-1", "m-1"), 3004);
    refused(&mut c, join(day(5, 31), org("t-01"), "vt-1", "m-1"), 3013);
    let err = refused(&mut c, join(day(6, 2), org("city"), "vt-1", "m-6"), 3062);
    assert!(err.to_string().contains("v-3"), "{err}");
    ok(&mut c, join(day(6, 2), org("t-01"), "vt-1", "m-1"));
    refused(&mut c, join(day(6, 3), org("t-01"), "vt-1", "m-1"), 3063);
    // Leaving: not a member, before joining, authority.
    refused(&mut c, leave(day(6, 3), org("t-01"), "vt-1", "m-2"), 3063);
    refused(&mut c, leave(day(6, 1), org("t-01"), "vt-1", "m-1"), 3013);
    refused(&mut c, leave(day(6, 3), org("t-02"), "vt-1", "m-1"), 3004);
    ok(&mut c, leave(day(7, 1), org("t-01"), "vt-1", "m-1"));
    refused(&mut c, leave(day(7, 2), org("t-01"), "vt-1", "m-1"), 3063);
    // Rejoining before the last leave.
    refused(&mut c, join(day(6, 20), org("t-01"), "vt-1", "m-1"), 3013);
    // Activities: bounds, duplicates, authority, dates.
    let served = |people_served, outputs| {
        on(
            day(6, 12),
            org("t-01"),
            Event::RecordVolunteerActivity(chuangzheng::activity::RecordVolunteerActivity {
                id: id("va-1"),
                team: id("vt-1"),
                kind: code("publicity"),
                people_served,
                outputs,
            }),
        )
    };
    refused(&mut c, served(1_000_001, bounded(vec![])), 1009);
    refused(
        &mut c,
        served(1, bounded(vec![output("leaflets", 0)])),
        1009,
    );
    refused(
        &mut c,
        served(1, bounded(vec![output("leaflets", 1_000_001)])),
        1009,
    );
    refused(
        &mut c,
        served(
            1,
            bounded(vec![output("leaflets", 1), output("leaflets", 2)]),
        ),
        1013,
    );
    // Nine outputs cannot be built in Rust, and are refused as JSON is read.
    let nine: Vec<_> = (0..9).map(|i| output(&format!("o{i}"), 1)).collect();
    let e = chuangzheng::model::Bounded::<_, { chuangzheng::activity::MAX_OUTPUTS }>::new(
        "event.outputs",
        nine,
    )
    .unwrap_err();
    assert_eq!((e.code(), e.field()), (1002, "event.outputs"));
    refused(
        &mut c,
        team_activity(day(5, 31), org("t-01"), "va-1", "vt-1", vec![]),
        3013,
    );
    refused(
        &mut c,
        team_activity(day(6, 12), org("t-02"), "va-1", "vt-1", vec![]),
        3004,
    );
    refused(
        &mut c,
        team_activity(day(6, 12), org("t-01"), "va-1", "vt-9", vec![]),
        3002,
    );
    ok(
        &mut c,
        team_activity(day(6, 12), org("t-01"), "va-1", "vt-1", vec![]),
    );
    refused(
        &mut c,
        team_activity(day(6, 13), org("t-01"), "va-1", "vt-1", vec![]),
        3003,
    );
}

#[test]
fn a_volunteer_team_holds_at_most_5000_members() {
    let mut c = campaign();
    ok(&mut c, found_team(day(6, 1), org("t-01"), "vt-1", "v-1"));
    let extra: Vec<Command> = (0..5000)
        .flat_map(|i| {
            let m = format!("x-{i:04}");
            [
                on(
                    day(6, 1),
                    org("v-1"),
                    Event::AddMember(chuangzheng::org::AddMember {
                        id: id(&m),
                        org: id("v-1"),
                        category: MemberCategory::Farmer,
                        role: Role::Ordinary,
                        leader_level: LeaderLevel::None,
                    }),
                ),
                join(day(6, 1), org("v-1"), "vt-1", &m),
            ]
        })
        .collect();
    assert!(c.execute_batch(&extra).unwrap().all_accepted());
    let err = refused(&mut c, join(day(6, 2), org("v-1"), "vt-1", "m-1"), 3066);
    assert!(err.to_string().contains("5000"), "{err}");
    // Once one leaves, another may join.
    ok(&mut c, leave(day(6, 2), org("v-1"), "vt-1", "x-0000"));
    ok(&mut c, join(day(6, 2), org("v-1"), "vt-1", "m-1"));
}

// ---------------------------------------------------------------- contact points

#[test]
fn contact_points_count_by_the_leaders_level() {
    let mut c = campaign();
    // m-4 is a city-level leader: one township and one department.
    ok(&mut c, link(day(5, 20), org("o-1"), "m-4", "t-02"));
    ok(&mut c, link(day(5, 20), org("t-01"), "m-4", "d-01"));
    // m-5, section level: a village.
    ok(&mut c, link(day(5, 20), org("city"), "m-5", "v-1"));
    let f = figures(&c, "city", None, day(10, 31));
    assert_eq!((f.contact_points.city, f.contact_points.section), (2, 1));
    assert_eq!((f.contact_leaders.city, f.contact_leaders.section), (1, 1));
    // Counted under the leader's organization, not the one linked.
    assert_eq!(
        figures(&c, "t-02", None, day(10, 31))
            .contact_points
            .total(),
        0
    );
    assert_eq!(
        figures(&c, "t-01", None, day(10, 31))
            .contact_points
            .total(),
        3
    );
    ok(&mut c, unlink(day(7, 1), org("t-01"), "m-5", "v-1"));
    let aug = figures(&c, "city", Some(day(8, 1)), day(8, 31));
    assert_eq!(
        (aug.contact_points.section, aug.contact_leaders.section),
        (0, 0)
    );
    let june = figures(&c, "city", Some(day(6, 1)), day(6, 30));
    assert_eq!(june.contact_points.section, 1);
    // Linked again after the unlink.
    ok(&mut c, link(day(7, 1), org("t-01"), "m-5", "v-1"));
    let s = c.state();
    let m5 = s.member_by_id("m-5").unwrap();
    assert_eq!(s.activity().contact_points_of(m5).count(), 2);
}

#[test]
fn contact_point_refusals() {
    let mut c = campaign();
    refused(&mut c, link(day(5, 20), org("city"), "zz", "v-1"), 3002);
    refused(&mut c, link(day(5, 20), org("city"), "m-4", "zz"), 3002);
    refused(&mut c, link(day(5, 20), org("t-02"), "m-4", "v-3"), 3004);
    refused(&mut c, link(day(5, 20), member("m-4"), "m-4", "v-3"), 3004);
    refused(&mut c, link(day(5, 20), org("city"), "m-1", "v-3"), 3061);
    refused(&mut c, link(day(5, 20), org("city"), "m-4", "city"), 3010);
    refused(
        &mut c,
        link(date(2010, 4, 30), org("city"), "m-4", "v-3"),
        3013,
    );
    ok(&mut c, link(day(5, 20), org("city"), "m-4", "v-3"));
    let err = refused(&mut c, link(day(5, 21), org("city"), "m-4", "v-3"), 3064);
    assert!(err.message_zh().contains("已在"), "{}", err.message_zh());
    refused(&mut c, unlink(day(5, 21), org("city"), "m-4", "v-1"), 3064);
    refused(&mut c, unlink(day(5, 21), org("city"), "zz", "v-3"), 3002);
    refused(&mut c, unlink(day(5, 21), org("city"), "m-4", "zz"), 3002);
    refused(&mut c, unlink(day(5, 21), org("t-02"), "m-4", "v-3"), 3004);
    refused(&mut c, unlink(day(5, 19), org("city"), "m-4", "v-3"), 3013);
    ok(&mut c, unlink(day(6, 1), org("o-1"), "m-4", "v-3"));
    refused(&mut c, unlink(day(6, 2), org("city"), "m-4", "v-3"), 3064);
    refused(&mut c, link(day(5, 25), org("city"), "m-4", "v-3"), 3013);
}

// ---------------------------------------------------------------- pairings (结对共建)

/// The fixture with a school under t-02 (an institution, 事业单位) and a clinic under d-01.
fn campaign_with_institutions() -> Campaign {
    let mut c = campaign();
    for (actor, new, kind, parent) in [
        ("t-02", "s-1", OrgKind::School, "t-02"),
        ("d-01", "c-1", OrgKind::Clinic, "d-01"),
    ] {
        let create = chuangzheng::org::CreateOrg {
            id: id(new),
            name: name(new),
            kind,
            parent: Some(id(parent)),
        };
        ok(&mut c, on(D0, org(actor), Event::CreateOrg(create)));
    }
    c
}

fn partners(department: u64, institution: u64, cadre: u64) -> ByPartnerKind {
    ByPartnerKind {
        department,
        institution,
        cadre,
    }
}

#[test]
fn pairings_count_distinct_partners_by_kind_and_distinct_villages() {
    let mut c = campaign_with_institutions();
    // d-01 (a department) with two villages; the school and m-7 with v-3; m-4 with v-1.
    ok(
        &mut c,
        pair(day(5, 10), org("city"), partner_org("d-01"), "v-1"),
    );
    ok(
        &mut c,
        pair(day(5, 10), org("city"), partner_org("d-01"), "v-3"),
    );
    ok(
        &mut c,
        pair(day(5, 10), org("t-02"), partner_org("s-1"), "v-3"),
    );
    ok(
        &mut c,
        pair(day(5, 10), org("city"), partner_member("m-7"), "v-3"),
    );
    ok(
        &mut c,
        pair(day(5, 10), org("t-01"), partner_member("m-4"), "v-1"),
    );
    let f = figures(&c, "city", None, day(10, 31));
    assert_eq!(f.pairing_partners, partners(1, 1, 2));
    assert_eq!(f.paired_villages, 2);
    // Partners count in their own part (a cadre in their organization's); villages in theirs.
    let t01 = figures(&c, "t-01", None, day(10, 31));
    assert_eq!(
        (t01.pairing_partners, t01.paired_villages),
        (partners(0, 0, 1), 1)
    );
    let t02 = figures(&c, "t-02", None, day(10, 31));
    assert_eq!(
        (t02.pairing_partners, t02.paired_villages),
        (partners(0, 1, 0), 1)
    );
    let d01 = figures(&c, "d-01", None, day(10, 31));
    assert_eq!(
        (d01.pairing_partners, d01.paired_villages),
        (partners(1, 0, 1), 0)
    );
    // Ended on 1 July: not in force in August, in force in June.
    ok(
        &mut c,
        unpair(day(7, 1), org("t-01"), partner_member("m-4"), "v-1"),
    );
    let aug = figures(&c, "city", Some(day(8, 1)), day(8, 31));
    assert_eq!(
        (aug.pairing_partners, aug.paired_villages),
        (partners(1, 1, 1), 2)
    );
    let june = figures(&c, "city", Some(day(6, 1)), day(6, 30));
    assert_eq!(june.pairing_partners, partners(1, 1, 2));
    // Paired again after it ended.
    ok(
        &mut c,
        pair(day(7, 2), org("city"), partner_member("m-4"), "v-1"),
    );
    assert_eq!(c.state().activity().pairings().len(), 6);
}

#[test]
fn pairing_refusals() {
    let mut c = campaign_with_institutions();
    let d = day(5, 20);
    // Unknown partner or village; a partner or a village of the wrong kind.
    refused(&mut c, pair(d, org("city"), partner_org("zz"), "v-1"), 3002);
    refused(
        &mut c,
        pair(d, org("city"), partner_member("zz"), "v-1"),
        3002,
    );
    refused(
        &mut c,
        pair(d, org("city"), partner_org("d-01"), "zz"),
        3002,
    );
    let err = refused(
        &mut c,
        pair(d, org("city"), partner_org("o-2"), "v-1"),
        3010,
    );
    assert!(err.message_en().contains("institution"), "{err}");
    refused(
        &mut c,
        pair(d, org("city"), partner_org("d-01"), "t-01"),
        3010,
    );
    // Authority over both the village and the partner.
    refused(
        &mut c,
        pair(d, org("t-02"), partner_org("s-1"), "v-1"),
        3004,
    );
    refused(
        &mut c,
        pair(d, org("t-01"), partner_org("s-1"), "v-1"),
        3004,
    );
    refused(
        &mut c,
        pair(d, member("m-1"), partner_member("m-1"), "v-1"),
        3004,
    );
    // Not before the partner was posted, nor before the campaign's organizations existed.
    refused(
        &mut c,
        pair(day(5, 5), org("city"), partner_member("m-8"), "v-1"),
        3013,
    );
    ok(&mut c, pair(d, org("city"), partner_org("d-01"), "v-1"));
    let err = refused(
        &mut c,
        pair(day(5, 21), org("city"), partner_org("d-01"), "v-1"),
        3067,
    );
    assert!(err.message_zh().contains("已与"), "{}", err.message_zh());
    // Ending: paired, by one above both, not before it began; then not twice.
    refused(
        &mut c,
        unpair(day(5, 21), org("city"), partner_org("d-01"), "v-2"),
        3067,
    );
    refused(
        &mut c,
        unpair(day(5, 21), org("city"), partner_org("zz"), "v-1"),
        3002,
    );
    refused(
        &mut c,
        unpair(day(5, 21), org("t-01"), partner_org("d-01"), "v-1"),
        3004,
    );
    refused(
        &mut c,
        unpair(day(5, 19), org("city"), partner_org("d-01"), "v-1"),
        3013,
    );
    ok(
        &mut c,
        unpair(day(6, 1), org("city"), partner_org("d-01"), "v-1"),
    );
    let err = refused(
        &mut c,
        unpair(day(6, 2), org("city"), partner_org("d-01"), "v-1"),
        3067,
    );
    assert!(err.message_zh().contains("未与"), "{}", err.message_zh());
    // Not paired again before the last pairing ended.
    refused(
        &mut c,
        pair(day(5, 25), org("city"), partner_org("d-01"), "v-1"),
        3013,
    );
}

// ---------------------------------------------------------------- instructors

#[test]
fn instructors_reach_units_and_villages() {
    let mut c = campaign();
    ok(
        &mut c,
        assign(day(6, 15), org("t-02"), "m-7", unit_target("u-2")),
    );
    ok(
        &mut c,
        assign(day(6, 15), org("t-01"), "m-5", unit_target("u-1")),
    );
    ok(
        &mut c,
        assign(day(6, 15), org("city"), "m-5", village_target("v-3")),
    );
    // Two instructors in one village.
    ok(
        &mut c,
        assign(day(6, 16), org("t-02"), "m-8", village_target("v-3")),
    );
    let f = figures(&c, "city", None, day(10, 31));
    assert_eq!(f.instructed_units.social_organization, 1);
    assert_eq!(f.instructed_units.non_public_enterprise, 1);
    // v-3 has two instructors: one village with an instructor (个), not two.
    assert_eq!(f.instructed_villages, 1);
    // Three people (人): m-5 serves u-1 and v-3 and counts once.
    assert_eq!(f.instructors, 3);
    // An instructor counts where they are posted (m-7 and m-8 at o-2, under d-01), the units
    // and villages they serve under their own area (u-2 and v-3 under t-02).
    let t02 = figures(&c, "t-02", None, day(10, 31));
    assert_eq!((t02.instructors, t02.instructed_villages), (0, 1));
    assert_eq!(t02.instructed_units.social_organization, 1);
    assert_eq!(figures(&c, "d-01", None, day(10, 31)).instructors, 2);
    assert_eq!(figures(&c, "t-01", None, day(10, 31)).instructors, 1);
    let s = c.state();
    let u2 = s.unit_by_id("u-2").unwrap();
    let v3 = s.org_by_id("v-3").unwrap();
    assert_eq!(s.instructor_on(u2, day(6, 14)), None);
    assert_eq!(s.instructor_on(u2, day(6, 15)), s.member_by_id("m-7"));
    assert_eq!(
        s.village_instructor_on(v3, day(6, 20)),
        s.member_by_id("m-5")
    );
    // Work coverage: u-1 by its organization, u-2 by its instructor only, u-3 neither.
    let u1 = s.unit_by_id("u-1").unwrap();
    let u3 = s.unit_by_id("u-3").unwrap();
    assert!(work_covered_on(s.activity(), s.registry(), u1, day(5, 2)));
    assert!(!work_covered_on(s.activity(), s.registry(), u2, day(5, 2)));
    assert!(work_covered_on(s.activity(), s.registry(), u2, day(7, 1)));
    assert!(!work_covered_on(s.activity(), s.registry(), u3, day(7, 1)));
    assert_eq!(
        s.unit(u2).current().covered_by,
        None,
        "cover_unit keeps its meaning"
    );
    ok(
        &mut c,
        unassign(day(8, 1), org("t-02"), "m-7", unit_target("u-2")),
    );
    let s = c.state();
    assert_eq!(s.instructor_on(u2, day(8, 1)), None);
    assert!(!work_covered_on(s.activity(), s.registry(), u2, day(8, 1)));
    let sept = figures(&c, "city", Some(day(9, 1)), day(9, 30));
    assert_eq!(sept.instructed_units.social_organization, 0);
    let target = s.activity().instructors()[0].target;
    assert_eq!(target, InstructorTarget::Unit(u2));
    // Assigned again later.
    ok(
        &mut c,
        assign(day(9, 1), org("t-02"), "m-7", unit_target("u-2")),
    );
}

#[test]
fn instructor_refusals() {
    let mut c = campaign();
    refused(
        &mut c,
        assign(day(6, 15), org("city"), "zz", unit_target("u-1")),
        3002,
    );
    refused(
        &mut c,
        assign(day(6, 15), org("city"), "m-7", unit_target("zz")),
        3002,
    );
    refused(
        &mut c,
        assign(day(6, 15), org("city"), "m-7", village_target("zz")),
        3002,
    );
    refused(
        &mut c,
        assign(day(6, 15), org("city"), "m-7", village_target("o-1")),
        3010,
    );
    refused(
        &mut c,
        assign(day(6, 15), org("t-02"), "m-7", unit_target("u-1")),
        3004,
    );
    refused(
        &mut c,
        assign(day(6, 15), org("d-01"), "m-7", village_target("v-1")),
        3004,
    );
    refused(
        &mut c,
        assign(day(6, 15), member("m-7"), "m-7", unit_target("u-1")),
        3004,
    );
    // Before the unit was registered, before the instructor was posted.
    refused(
        &mut c,
        assign(day(5, 9), org("t-01"), "m-7", unit_target("u-3")),
        3013,
    );
    refused(
        &mut c,
        assign(day(5, 5), org("t-01"), "m-8", unit_target("u-1")),
        3013,
    );
    ok(
        &mut c,
        assign(day(6, 15), org("t-01"), "m-7", unit_target("u-1")),
    );
    let err = refused(
        &mut c,
        assign(day(6, 16), org("t-01"), "m-7", unit_target("u-1")),
        3065,
    );
    assert!(err.to_string().contains("u-1"), "{err}");
    refused(
        &mut c,
        unassign(day(6, 16), org("t-01"), "m-8", unit_target("u-1")),
        3065,
    );
    refused(
        &mut c,
        unassign(day(6, 16), org("t-01"), "m-7", unit_target("u-3")),
        3065,
    );
    refused(
        &mut c,
        unassign(day(6, 16), org("t-01"), "zz", unit_target("u-1")),
        3002,
    );
    refused(
        &mut c,
        unassign(day(6, 16), org("t-01"), "m-7", unit_target("zz")),
        3002,
    );
    refused(
        &mut c,
        unassign(day(6, 16), org("t-01"), "m-7", village_target("zz")),
        3002,
    );
    refused(
        &mut c,
        unassign(day(6, 16), org("d-01"), "m-7", unit_target("u-1")),
        3004,
    );
    refused(
        &mut c,
        unassign(day(6, 14), org("t-01"), "m-7", unit_target("u-1")),
        3013,
    );
    ok(
        &mut c,
        unassign(day(7, 1), org("t-01"), "m-7", unit_target("u-1")),
    );
    refused(
        &mut c,
        unassign(day(7, 2), org("t-01"), "m-7", unit_target("u-1")),
        3065,
    );
    refused(
        &mut c,
        assign(day(6, 30), org("t-01"), "m-7", unit_target("u-1")),
        3013,
    );
}

// ---------------------------------------------------------------- other activities

#[test]
fn other_activities_count_by_kind() {
    let mut c = campaign();
    ok(
        &mut c,
        activity(day(6, 1), org("d-01"), "ac-1", "d-01", 4, 5),
    );
    ok(
        &mut c,
        activity(day(6, 2), org("city"), "ac-2", "o-2", 3, 0),
    );
    let f = figures(&c, "city", None, day(6, 30));
    let t = f.activities["live_studio"];
    assert_eq!((t.activities, t.participants, t.people_served), (2, 7, 5));
    assert!(figures(&c, "t-01", None, day(6, 30)).activities.is_empty());
    refused(
        &mut c,
        activity(day(6, 3), org("city"), "ac-1", "d-01", 1, 1),
        3003,
    );
    refused(
        &mut c,
        activity(day(6, 3), org("city"), "ac-3", "zz", 1, 1),
        3002,
    );
    refused(
        &mut c,
        activity(day(6, 3), org("t-01"), "ac-3", "d-01", 1, 1),
        3004,
    );
    refused(
        &mut c,
        activity(date(2010, 4, 1), org("city"), "ac-3", "d-01", 1, 1),
        3013,
    );
    refused(
        &mut c,
        activity(day(6, 3), org("city"), "ac-3", "d-01", 1_000_001, 1),
        1009,
    );
    refused(
        &mut c,
        activity(day(6, 3), org("city"), "ac-3", "d-01", 1, 1_000_001),
        1009,
    );
}

// ---------------------------------------------------------------- journal and snapshot

fn one_of_each() -> Vec<Command> {
    vec![
        receive(day(6, 1), org("t-01"), "hl-1", "o-1"),
        reply(day(6, 2), org("t-01"), "hl-1"),
        resolve(day(6, 3), org("t-01"), "hl-1"),
        donate(day(8, 5), org("o-1"), "dn-1", "m-4", "500"),
        home_visit(day(6, 1), org("o-1"), "hv-1", "m-5", 2, "300"),
        found_team(day(6, 1), org("t-01"), "vt-1", "t-01"),
        join(day(6, 1), org("t-01"), "vt-1", "m-1"),
        join(day(6, 1), org("t-01"), "vt-1", "m-2"),
        leave(day(7, 1), org("t-01"), "vt-1", "m-2"),
        team_activity(
            day(6, 12),
            org("t-01"),
            "va-1",
            "vt-1",
            vec![output("leaflets", 9)],
        ),
        link(day(5, 20), org("t-01"), "m-4", "t-02"),
        link(day(5, 20), org("t-01"), "m-5", "v-1"),
        unlink(day(7, 1), org("t-01"), "m-5", "v-1"),
        assign(day(6, 15), org("t-02"), "m-7", unit_target("u-2")),
        assign(day(6, 15), org("t-02"), "m-7", village_target("v-3")),
        unassign(day(8, 1), org("t-02"), "m-7", village_target("v-3")),
        activity(day(6, 1), org("d-01"), "ac-1", "d-01", 4, 5),
        pair(day(5, 10), org("city"), partner_org("d-01"), "v-3"),
        pair(day(5, 10), org("t-01"), partner_member("m-4"), "v-1"),
        unpair(day(8, 1), org("t-01"), partner_member("m-4"), "v-1"),
    ]
}

#[test]
fn records_replay_from_a_journal_file_and_load_from_a_snapshot() {
    let dir = std::env::temp_dir().join(format!("chuangzheng-activity-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("journal.jsonl");
    let (state, hash, f) = {
        let mut c = Campaign::create(&path, demo::info(), RuleSet::default()).unwrap();
        for cmd in fixture_commands().iter().chain(&one_of_each()) {
            c.execute(cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
        }
        c.state()
            .check_invariants(c.rules().coverage.max_units_per_org)
            .unwrap();
        (
            c.state_json(),
            c.last_hash(),
            figures(&c, "city", None, day(10, 31)),
        )
    };
    let (reopened, _) = Campaign::open(&path, Default::default()).unwrap();
    assert_eq!(reopened.state_json(), state);
    assert_eq!(reopened.last_hash(), hash);
    assert_eq!(figures(&reopened, "city", None, day(10, 31)), f);
    let loaded = Campaign::from_snapshot_json(&reopened.snapshot_json()).unwrap();
    assert_eq!(loaded.state_json(), state);
    drop(reopened);
    std::fs::remove_dir_all(&dir).unwrap();
    // Every command reads back from its JSON unchanged.
    for cmd in one_of_each() {
        assert_eq!(Command::from_json(&cmd.to_json()).unwrap(), cmd);
    }
    let json = r#"{"at":"2010-06-15","actor":{"org":"t-01"},"event":{"assign_instructor":{"instructor":"m-7","target":{"unit":"u-1"}}}}"#;
    assert!(matches!(
        Command::from_json(json).unwrap().event,
        Event::AssignInstructor(chuangzheng::activity::AssignInstructor { .. })
    ));
    let both = r#"{"at":"2010-06-15","actor":{"org":"t-01"},"event":{"assign_instructor":{"instructor":"m-7","target":{"unit":"u-1","village":"v-1"}}}}"#;
    assert_eq!(Command::from_json(both).unwrap_err().code(), 3001);
}

#[test]
fn a_snapshot_breaking_an_activity_invariant_is_refused() {
    let mut c = campaign();
    for cmd in one_of_each() {
        ok(&mut c, cmd);
    }
    let snap: serde_json::Value = serde_json::from_str(&c.snapshot_json()).unwrap();
    let broken = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut s = snap.clone();
        edit(&mut s["state"]["activity"]);
        let err = Campaign::from_snapshot_json(&s.to_string()).unwrap_err();
        assert_eq!(err.code(), 4008, "{err}");
    };
    broken(&|a| a["donations"][0]["amount_yuan"] = "0".into());
    broken(&|a| a["donations"][0]["member"] = 999.into());
    broken(&|a| a["hotline_cases"][0]["resolved"]["on"] = "2010-05-01".into());
    broken(&|a| {
        let dup = a["home_visits"][0].clone();
        a["home_visits"].as_array_mut().unwrap().push(dup);
    });
    broken(&|a| a["teams"][0]["members"][0]["tenure"]["from"] = "2010-05-02".into());
    broken(&|a| {
        let m = a["teams"][0]["members"][0].clone();
        a["teams"][0]["members"].as_array_mut().unwrap().push(m);
    });
    broken(&|a| a["volunteer_activities"][0]["team"] = 7.into());
    broken(&|a| a["contact_points"][0]["level"] = "none".into());
    broken(&|a| a["contact_points"][0]["org"] = 0.into());
    broken(&|a| a["instructors"][0]["org"] = 1.into());
    broken(&|a| a["instructors"][1]["tenure"]["until"] = "2010-06-01".into());
    broken(&|a| a["activities"][0]["participants"] = 2_000_000.into());
    broken(&|a| a["pairings"][0]["village"] = 3.into());
    broken(&|a| a["pairings"][0]["kind"] = "institution".into());
    broken(&|a| a["pairings"][1]["tenure"]["until"] = "2010-05-01".into());
    broken(&|a| {
        let p = a["pairings"][0].clone();
        a["pairings"].as_array_mut().unwrap().push(p);
    });
    broken(&|a| a["unknown"] = serde_json::Value::Array(vec![]));
    // Untouched, it loads.
    assert!(Campaign::from_snapshot_json(&snap.to_string()).is_ok());
}

/// A long text for a command built in Rust; the tests' texts are within bounds.
fn long_text(s: &str) -> chuangzheng::model::LongText {
    chuangzheng::model::LongText::new("test", s).unwrap()
}

/// A bounded list for a command built in Rust; the tests' lists are within bounds.
fn bounded<T, const MAX: usize>(items: Vec<T>) -> chuangzheng::model::Bounded<T, MAX> {
    chuangzheng::model::Bounded::new("test", items).unwrap()
}
