//! Service actions, volunteer teams, contact points, instructors and other activities through
//! the ledger: every refusal, the happy paths, snapshots and replay, the figures, and the demo
//! city's seed figures.

use std::sync::OnceLock;

use chuangzheng::Coded;
use chuangzheng::activity::{
    ActivityFigures, Code, InstructorTarget, Output, TargetRef, work_covered_on,
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
            Event::CreateOrg {
                id: id(new),
                name: name(new),
                kind,
                parent: parent.map(id),
            },
        )
    };
    let add = |d: Date, m: &str, o: &str, role, level| {
        on(
            d,
            org("city"),
            Event::AddMember {
                id: id(m),
                org: id(o),
                category: MemberCategory::Organ,
                role,
                leader_level: level,
            },
        )
    };
    let unit = |d: Date, u: &str, kind, area: &str| {
        on(
            d,
            org("city"),
            Event::RegisterUnit {
                id: id(u),
                name: name(u),
                kind,
                area: id(area),
                eligible: true,
            },
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
            Event::CoverUnit {
                unit: id("u-1"),
                org: Some(id("e-1")),
            },
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
    ActivityFigures::of(s, s.org_by_id(root).unwrap(), from, as_of)
}

fn receive(d: Date, actor: Actor, case: &str, o: &str) -> Command {
    on(
        d,
        actor,
        Event::ReceiveHotlineCase {
            id: id(case),
            org: id(o),
            category: code("road"),
            text: "路灯不亮".into(),
        },
    )
}

fn resolve(d: Date, actor: Actor, case: &str) -> Command {
    on(
        d,
        actor,
        Event::ResolveHotlineCase {
            case: id(case),
            outcome: "已修复".into(),
        },
    )
}

fn reply(d: Date, actor: Actor, case: &str) -> Command {
    on(
        d,
        actor,
        Event::ReplyHotlineCase {
            case: id(case),
            reply: Some("已电话告知".into()),
        },
    )
}

fn donate(d: Date, actor: Actor, donation: &str, m: &str, amount: &str) -> Command {
    on(
        d,
        actor,
        Event::RecordDonation {
            id: id(donation),
            member: id(m),
            amount_yuan: yuan(amount),
            drive: Some(name("防汛救灾、重建家园")),
        },
    )
}

fn home_visit(d: Date, actor: Actor, v: &str, m: &str, problems: u32, aid: &str) -> Command {
    on(
        d,
        actor,
        Event::RecordHomeVisit {
            id: id(v),
            cadre: id(m),
            problems_solved: problems,
            aid_yuan: yuan(aid),
        },
    )
}

fn found_team(d: Date, actor: Actor, team: &str, o: &str) -> Command {
    on(
        d,
        actor,
        Event::FoundVolunteerTeam {
            id: id(team),
            name: name("党员义工服务队"),
            org: id(o),
        },
    )
}

fn join(d: Date, actor: Actor, team: &str, m: &str) -> Command {
    on(
        d,
        actor,
        Event::JoinVolunteerTeam {
            team: id(team),
            member: id(m),
        },
    )
}

fn leave(d: Date, actor: Actor, team: &str, m: &str) -> Command {
    on(
        d,
        actor,
        Event::LeaveVolunteerTeam {
            team: id(team),
            member: id(m),
        },
    )
}

fn team_activity(d: Date, actor: Actor, a: &str, team: &str, outputs: Vec<Output>) -> Command {
    on(
        d,
        actor,
        Event::RecordVolunteerActivity {
            id: id(a),
            team: id(team),
            kind: code("medical_clinic"),
            people_served: 30,
            outputs,
        },
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
        Event::LinkContactPoint {
            leader: id(leader),
            org: id(o),
        },
    )
}

fn unlink(d: Date, actor: Actor, leader: &str, o: &str) -> Command {
    on(
        d,
        actor,
        Event::UnlinkContactPoint {
            leader: id(leader),
            org: id(o),
        },
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
        Event::AssignInstructor {
            instructor: id(m),
            target,
        },
    )
}

fn unassign(d: Date, actor: Actor, m: &str, target: TargetRef) -> Command {
    on(
        d,
        actor,
        Event::UnassignInstructor {
            instructor: id(m),
            target,
        },
    )
}

fn activity(d: Date, actor: Actor, a: &str, o: &str, participants: u32, served: u32) -> Command {
    on(
        d,
        actor,
        Event::RecordActivity {
            id: id(a),
            org: id(o),
            kind: code("live_studio"),
            title: name("走进直播间"),
            participants,
            people_served: served,
        },
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
        let cmds = demo::activity::commands(c.state());
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
        let whole = ActivityFigures::of(s, root, from, demo::AS_OF);
        let mut merged = ActivityFigures::default();
        for &child in s.children(root) {
            merged.merge(&ActivityFigures::of(s, child, from, demo::AS_OF));
        }
        assert_eq!(merged, whole);
    }
    // In force on 31 October: every enterprise and social organization is reached by party
    // work (an organization or an instructor); cooperatives without an organization are not.
    let reached = |kind| {
        (0..s.units().len() as u32)
            .map(chuangzheng::model::UnitIdx)
            .filter(|u| s.unit(*u).kind == kind && work_covered_on(s, *u, demo::AS_OF))
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
