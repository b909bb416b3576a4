//! Village decisions (四议一审) through the ledger: every step in order, the meetings'
//! thresholds, every refusal (with nothing changed), replay, snapshots, the figures and the
//! seed city's demo.

use chuangzheng::Coded;
use chuangzheng::deliberation::{DeliberationFigures, MatterCategory, ReviewVerdict, Status};
use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{
    Actor, Campaign, CampaignInfo, Command, Event, LedgerError, OpenOptions,
};
use chuangzheng::model::{ExtId, LeaderLevel, MemberCategory, Name, OrgKind, Role, Stamp};
use chuangzheng::rules::{DeliberationRules, RuleSet};
use jiff::civil::{Date, date};

fn id(s: &str) -> ExtId {
    ExtId::new("test", s).unwrap()
}

fn name(s: &str) -> Name {
    Name::new("test", s).unwrap()
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

/// city ─┬ t-01 ─┬ v-1 (m-1 secretary)
///       │       ├ v-2
///       │       └ o-1 (an organ)
///       └ t-02 ── v-3
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
    vec![
        create("city", "city", OrgKind::CityCommittee, None),
        create("city", "t-01", OrgKind::TownshipCommittee, Some("city")),
        create("city", "t-02", OrgKind::TownshipCommittee, Some("city")),
        create("t-01", "v-1", OrgKind::Village, Some("t-01")),
        create("t-01", "v-2", OrgKind::Village, Some("t-01")),
        create("t-01", "o-1", OrgKind::Organ, Some("t-01")),
        create("t-02", "v-3", OrgKind::Village, Some("t-02")),
        on(
            D0,
            org("city"),
            Event::AddMember(chuangzheng::org::AddMember {
                id: id("m-1"),
                org: id("v-1"),
                category: MemberCategory::Farmer,
                role: Role::Secretary,
                leader_level: LeaderLevel::None,
            }),
        ),
    ]
}

fn campaign_with(rules: RuleSet) -> Campaign {
    let mut c = Campaign::in_memory(
        CampaignInfo {
            id: id("dl"),
            name: name("四议一审测试"),
        },
        rules,
    )
    .unwrap();
    for cmd in &fixture_commands() {
        c.execute(cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    }
    c
}

fn campaign() -> Campaign {
    campaign_with(RuleSet::default())
}

fn rules_with(f: impl FnOnce(&mut DeliberationRules)) -> RuleSet {
    let mut rules = RuleSet::default();
    f(&mut rules.deliberation);
    rules
}

#[track_caller]
fn refused(c: &mut Campaign, cmd: Command, code: u32) -> LedgerError {
    let before = (c.state_json(), c.seq(), c.last_hash());
    let err = c.execute(&cmd).expect_err("accepted");
    assert_eq!(err.code(), code, "{err}");
    assert!(!err.message_zh().is_empty());
    assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
    err
}

#[track_caller]
fn accepted(c: &mut Campaign, cmd: Command) {
    c.execute(&cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
}

fn propose(d: Date, actor: Actor, matter: &str, village: &str) -> Command {
    on(
        d,
        actor,
        Event::ProposeMatter(chuangzheng::deliberation::ProposeMatter {
            id: id(matter),
            village: id(village),
            title: name("村集体鱼塘对外发包"),
            text: long_text("鱼塘公开发包三年, 收益归村集体"),
            category: Some(MatterCategory::CollectiveAssets),
        }),
    )
}

fn discuss(
    d: Date,
    actor: Actor,
    matter: &str,
    votes_for: u32,
    against: u32,
    total: u32,
) -> Command {
    on(
        d,
        actor,
        Event::DiscussMatter(chuangzheng::deliberation::DiscussMatter {
            matter: id(matter),
            votes_for,
            against,
            total,
        }),
    )
}

fn deliberate(
    d: Date,
    actor: Actor,
    matter: &str,
    expected: u32,
    attending: u32,
    votes_for: u32,
) -> Command {
    on(
        d,
        actor,
        Event::DeliberateMatter(chuangzheng::deliberation::DeliberateMatter {
            matter: id(matter),
            expected,
            attending,
            votes_for,
        }),
    )
}

fn review(d: Date, actor: Actor, matter: &str, veto: Option<&str>) -> Command {
    on(
        d,
        actor,
        Event::ReviewMatter(chuangzheng::deliberation::ReviewMatter {
            matter: id(matter),
            decision: match veto {
                None => ReviewVerdict::Approve,
                Some(r) => ReviewVerdict::Veto {
                    reasons: long_text(r),
                },
            },
        }),
    )
}

fn resolve(d: Date, actor: Actor, matter: &str, attending: u32, votes_for: u32) -> Command {
    on(
        d,
        actor,
        Event::ResolveMatter(chuangzheng::deliberation::ResolveMatter {
            matter: id(matter),
            attending,
            votes_for,
        }),
    )
}

fn publish_resolution(d: Date, actor: Actor, matter: &str) -> Command {
    on(
        d,
        actor,
        Event::PublishResolution(chuangzheng::deliberation::PublishResolution {
            matter: id(matter),
        }),
    )
}

fn publish_result(d: Date, actor: Actor, matter: &str, result: &str) -> Command {
    on(
        d,
        actor,
        Event::PublishResult(chuangzheng::deliberation::PublishResult {
            matter: id(matter),
            result: long_text(result),
        }),
    )
}

fn status(c: &Campaign, matter: &str) -> Status {
    let s = c.state();
    s.matter(s.matter_by_id(matter).unwrap()).status()
}

/// A matter of v-1 taken through the steps before the review (passing each).
fn up_to_review(c: &mut Campaign, matter: &str) {
    accepted(c, propose(day(6, 1), org("v-1"), matter, "v-1"));
    accepted(c, discuss(day(6, 3), org("v-1"), matter, 5, 1, 7));
    accepted(c, deliberate(day(6, 8), org("v-1"), matter, 45, 38, 30));
}

fn root_figures(c: &Campaign, as_of: Date) -> DeliberationFigures {
    let s = c.state();
    DeliberationFigures::of(
        s.deliberation(),
        s.registry(),
        s.root().unwrap(),
        None,
        as_of,
    )
}

// ---------------------------------------------------------------- the steps in order

#[test]
fn a_matter_goes_through_every_step_and_both_publications() {
    let mut c = campaign();
    up_to_review(&mut c, "dm-1");
    assert_eq!(status(&c, "dm-1"), Status::InProgress);
    accepted(&mut c, review(day(6, 10), org("t-01"), "dm-1", None));
    assert_eq!(status(&c, "dm-1"), Status::InProgress);
    accepted(&mut c, resolve(day(6, 12), org("v-1"), "dm-1", 52, 40));
    assert_eq!(status(&c, "dm-1"), Status::Resolved);
    accepted(&mut c, publish_resolution(day(6, 12), org("v-1"), "dm-1"));
    accepted(
        &mut c,
        publish_result(day(7, 20), org("v-1"), "dm-1", "已发包, 年收益2万元"),
    );
    // A closed matter takes no further step.
    let err = refused(
        &mut c,
        publish_result(day(7, 21), org("v-1"), "dm-1", "again"),
        3041,
    );
    assert!(err.message_en().contains("result_publication"));

    let s = c.state();
    let m = s.matter(s.matter_by_id("dm-1").unwrap());
    assert_eq!(m.steps.len(), 6);
    assert_eq!(m.status_on(day(6, 11)), Status::InProgress);
    assert_eq!(m.status_on(day(6, 12)), Status::Resolved);
    // Figures as of each day follow the dated steps.
    let f = root_figures(&c, day(6, 11));
    assert_eq!((f.proposed, f.in_progress, f.resolved), (1, 1, 0));
    let f = root_figures(&c, day(6, 30));
    assert_eq!(
        f,
        DeliberationFigures {
            proposed: 1,
            resolved: 1,
            resolutions_published: 1,
            ..Default::default()
        }
    );
    assert_eq!(root_figures(&c, day(7, 20)).results_published, 1);
    assert_eq!(root_figures(&c, day(5, 31)), DeliberationFigures::default());
    // The vote records say who reviewed and what passed.
    let json = c.state_json();
    assert!(
        json.contains(r#""township_review":{"by":1,"decision":"approve"}"#),
        "{json}"
    );
    assert!(
        json.contains(r#""committee_discussion":{"for":5,"against":1,"total":7,"passed":true}"#)
    );
}

#[test]
fn superiors_may_take_a_villages_steps_and_the_city_may_review() {
    let mut c = campaign();
    accepted(&mut c, propose(day(6, 1), org("t-01"), "dm-1", "v-1"));
    accepted(&mut c, discuss(day(6, 2), org("city"), "dm-1", 4, 0, 7));
    let by_cadre = Actor::Org {
        org: id("v-1"),
        by: Some(id("m-1")),
    };
    accepted(&mut c, deliberate(day(6, 3), by_cadre, "dm-1", 10, 7, 6));
    accepted(&mut c, review(day(6, 4), org("city"), "dm-1", None));
    let s = c.state();
    let json = c.state_json();
    let city = s.root().unwrap().0;
    assert!(json.contains(&format!(r#""township_review":{{"by":{city},"#)));
}

#[test]
fn a_veto_ends_the_matter_before_the_villagers_meet() {
    let mut c = campaign();
    up_to_review(&mut c, "dm-1");
    accepted(
        &mut c,
        review(day(6, 10), org("t-01"), "dm-1", Some("违反土地管理法")),
    );
    assert_eq!(status(&c, "dm-1"), Status::VetoedByTownship);
    let err = refused(
        &mut c,
        resolve(day(6, 12), org("v-1"), "dm-1", 52, 40),
        3042,
    );
    assert!(err.message_en().contains("vetoed_by_township"), "{err}");
    assert!(err.message_zh().contains("乡镇审核否决"));
    refused(
        &mut c,
        publish_resolution(day(6, 12), org("v-1"), "dm-1"),
        3042,
    );
    let f = root_figures(&c, day(6, 30));
    assert_eq!((f.proposed, f.vetoed, f.resolved), (1, 1, 0));
}

#[test]
fn failed_votes_end_the_matter_at_their_step() {
    let mut c = campaign();
    // Committees: 3 of 7 is not more than half.
    accepted(&mut c, propose(day(6, 1), org("v-1"), "dm-1", "v-1"));
    accepted(&mut c, discuss(day(6, 2), org("v-1"), "dm-1", 3, 0, 7));
    assert_eq!(status(&c, "dm-1"), Status::RejectedByCommittees);
    refused(
        &mut c,
        deliberate(day(6, 3), org("v-1"), "dm-1", 10, 10, 10),
        3042,
    );
    // Members: 5 of 10 expected is not more than half, though 5 of 7 attending would be.
    accepted(&mut c, propose(day(6, 1), org("v-1"), "dm-2", "v-1"));
    accepted(&mut c, discuss(day(6, 2), org("v-1"), "dm-2", 4, 3, 7));
    accepted(&mut c, deliberate(day(6, 3), org("v-1"), "dm-2", 10, 7, 5));
    assert_eq!(status(&c, "dm-2"), Status::RejectedByMembers);
    refused(&mut c, review(day(6, 4), org("t-01"), "dm-2", None), 3042);
    // 6 of 10 expected passes.
    accepted(&mut c, propose(day(6, 1), org("v-2"), "dm-3", "v-2"));
    accepted(&mut c, discuss(day(6, 2), org("v-2"), "dm-3", 4, 3, 7));
    accepted(&mut c, deliberate(day(6, 3), org("v-2"), "dm-3", 10, 7, 6));
    accepted(&mut c, review(day(6, 4), org("t-01"), "dm-3", None));
    // Villagers: 5 of 10 attending is not more than half.
    accepted(&mut c, resolve(day(6, 5), org("v-2"), "dm-3", 10, 5));
    assert_eq!(status(&c, "dm-3"), Status::RejectedByVillagers);
    refused(
        &mut c,
        publish_resolution(day(6, 6), org("v-2"), "dm-3"),
        3042,
    );
    // A matter of another township, still in progress.
    accepted(&mut c, propose(day(6, 1), org("v-3"), "dm-4", "v-3"));

    let f = root_figures(&c, day(6, 30));
    assert_eq!(
        f,
        DeliberationFigures {
            proposed: 4,
            in_progress: 1,
            rejected_by_committees: 1,
            rejected_by_members: 1,
            rejected_by_villagers: 1,
            ..Default::default()
        }
    );
    assert!(f.outcomes_add_up());
    // Shards: the two townships' figures merge into the city's.
    let s = c.state();
    let mut merged = DeliberationFigures::default();
    for &t in s.children(s.root().unwrap()) {
        merged.merge(&DeliberationFigures::of(
            s.deliberation(),
            s.registry(),
            t,
            None,
            day(6, 30),
        ));
    }
    assert_eq!(merged, f);
    // Only matters proposed within [from, as_of] count.
    let later = DeliberationFigures::of(
        s.deliberation(),
        s.registry(),
        s.root().unwrap(),
        Some(day(6, 2)),
        day(6, 30),
    );
    assert_eq!(later, DeliberationFigures::default());
    let t02 = s.org_by_id("t-02").unwrap();
    assert_eq!(
        DeliberationFigures::of(s.deliberation(), s.registry(), t02, None, day(6, 30)).in_progress,
        1
    );
}

#[test]
fn the_thresholds_are_exact_at_their_bounds() {
    let mut c = campaign();
    // Quorum: 2/3 of 45 is 30 exactly; 29 is refused, 30 holds.
    up_to_review(&mut c, "dm-x"); // 38 of 45 attending
    accepted(&mut c, propose(day(6, 1), org("v-1"), "dm-1", "v-1"));
    accepted(&mut c, discuss(day(6, 2), org("v-1"), "dm-1", 4, 0, 7));
    let err = refused(
        &mut c,
        deliberate(day(6, 3), org("v-1"), "dm-1", 45, 29, 29),
        3047,
    );
    assert!(err.message_en().contains("event.attending"), "{err}");
    assert!(err.message_en().contains("quorum of 30"), "{err}");
    assert!(err.message_zh().contains("event.attending"));
    assert!(err.message_zh().contains("法定人数 30"));
    accepted(
        &mut c,
        deliberate(day(6, 3), org("v-1"), "dm-1", 45, 30, 23),
    );
    assert_eq!(status(&c, "dm-1"), Status::InProgress);
    // More than half of 45 is 23; 22 fails.
    accepted(&mut c, propose(day(6, 1), org("v-1"), "dm-2", "v-1"));
    accepted(&mut c, discuss(day(6, 2), org("v-1"), "dm-2", 4, 0, 7));
    accepted(
        &mut c,
        deliberate(day(6, 3), org("v-1"), "dm-2", 45, 30, 22),
    );
    assert_eq!(status(&c, "dm-2"), Status::RejectedByMembers);
}

#[test]
fn rules_set_the_thresholds_and_the_order() {
    // The review after the resolution: a passed resolution waits for it, and may be vetoed.
    let mut c = campaign_with(rules_with(|d| d.review_before_resolution = false));
    up_to_review(&mut c, "dm-1");
    refused(&mut c, review(day(6, 9), org("t-01"), "dm-1", None), 3040);
    accepted(&mut c, resolve(day(6, 10), org("v-1"), "dm-1", 52, 40));
    assert_eq!(status(&c, "dm-1"), Status::InProgress);
    refused(
        &mut c,
        publish_resolution(day(6, 10), org("v-1"), "dm-1"),
        3040,
    );
    accepted(
        &mut c,
        review(
            day(6, 11),
            org("t-01"),
            "dm-1",
            Some("事后审查: 程序不合法"),
        ),
    );
    assert_eq!(status(&c, "dm-1"), Status::VetoedByTownship);
    // A failed resolution is never reviewed.
    up_to_review(&mut c, "dm-2");
    accepted(&mut c, resolve(day(6, 10), org("v-1"), "dm-2", 52, 10));
    refused(&mut c, review(day(6, 11), org("t-01"), "dm-2", None), 3042);
    up_to_review(&mut c, "dm-3");
    accepted(&mut c, resolve(day(6, 10), org("v-1"), "dm-3", 52, 40));
    accepted(&mut c, review(day(6, 11), org("t-01"), "dm-3", None));
    assert_eq!(status(&c, "dm-3"), Status::Resolved);

    // A quorum of all members; approval by three quarters of those attending.
    let mut c = campaign_with(rules_with(|d| {
        d.members_attendance_min.numerator = 3;
        d.villagers_approval_above.numerator = 3;
        d.villagers_approval_above.denominator = 4;
    }));
    accepted(&mut c, propose(day(6, 1), org("v-1"), "dm-1", "v-1"));
    accepted(&mut c, discuss(day(6, 2), org("v-1"), "dm-1", 4, 0, 7));
    refused(
        &mut c,
        deliberate(day(6, 3), org("v-1"), "dm-1", 10, 9, 9),
        3047,
    );
    accepted(&mut c, deliberate(day(6, 3), org("v-1"), "dm-1", 10, 10, 9));
    accepted(&mut c, review(day(6, 4), org("t-01"), "dm-1", None));
    accepted(&mut c, resolve(day(6, 5), org("v-1"), "dm-1", 40, 30));
    assert_eq!(status(&c, "dm-1"), Status::RejectedByVillagers);
}

#[test]
fn the_least_days_between_steps_apply_to_the_deliberative_steps_only() {
    let mut c = campaign_with(rules_with(|d| d.min_days_between_steps = Some(7)));
    accepted(&mut c, propose(day(6, 1), org("v-1"), "dm-1", "v-1"));
    let err = refused(
        &mut c,
        discuss(day(6, 7), org("v-1"), "dm-1", 5, 0, 7),
        3044,
    );
    assert!(err.message_en().contains("2010-06-08"), "{err}");
    assert!(err.message_en().contains("field at"));
    assert!(err.message_zh().contains("2010-06-08"));
    accepted(&mut c, discuss(day(6, 8), org("v-1"), "dm-1", 5, 0, 7));
    refused(
        &mut c,
        deliberate(day(6, 14), org("v-1"), "dm-1", 10, 10, 10),
        3044,
    );
    accepted(
        &mut c,
        deliberate(day(6, 15), org("v-1"), "dm-1", 10, 10, 10),
    );
    accepted(&mut c, review(day(6, 22), org("t-01"), "dm-1", None));
    accepted(&mut c, resolve(day(6, 29), org("v-1"), "dm-1", 30, 20));
    // Publication follows the same day.
    accepted(&mut c, publish_resolution(day(6, 29), org("v-1"), "dm-1"));
    accepted(
        &mut c,
        publish_result(day(6, 29), org("v-1"), "dm-1", "已实施"),
    );
}

// ---------------------------------------------------------------- refusals

#[test]
fn proposals_are_refused_with_the_field_named() {
    let mut c = campaign();
    let err = refused(&mut c, propose(day(6, 1), org("t-01"), "dm-1", "v-9"), 3002);
    assert!(err.message_en().contains("event.village"));
    let err = refused(&mut c, propose(day(6, 1), org("t-01"), "dm-1", "o-1"), 3045);
    assert!(err.message_en().contains("event.village"), "{err}");
    assert!(err.message_zh().contains("event.village"));
    assert!(err.message_zh().contains("不是村党组织"));
    refused(
        &mut c,
        propose(day(6, 1), org("city"), "dm-1", "t-01"),
        3045,
    );
    // Dated before the village existed.
    refused(
        &mut c,
        propose(date(2010, 4, 30), org("v-1"), "dm-1", "v-1"),
        3013,
    );
    // Another village, another township, a member: no authority.
    let err = refused(&mut c, propose(day(6, 1), org("v-2"), "dm-1", "v-1"), 3046);
    assert!(err.message_en().contains("field actor"), "{err}");
    assert!(err.message_en().contains("proposal"));
    assert!(err.message_zh().contains("党支部提议"));
    refused(&mut c, propose(day(6, 1), org("t-02"), "dm-1", "v-1"), 3046);
    let member = Actor::Member { member: id("m-1") };
    refused(&mut c, propose(day(6, 1), member, "dm-1", "v-1"), 3046);
    // Text must be given: a blank one cannot be built, nor read from a host's JSON.
    let err = chuangzheng::model::LongText::new("event.text", "  ").unwrap_err();
    assert_eq!(err.code(), 1001);
    assert!(err.message_en().contains("event.text"));
    let json = r#"{"at":"2010-06-01","actor":{"org":"v-1"},"event":{"propose_matter":{"id":"dm-1","village":"v-1","title":"修路","text":"  "}}}"#;
    let err = Command::from_json(json).unwrap_err();
    assert_eq!(err.code(), 3001);
    assert!(
        err.message_zh()
            .contains("字段 event.propose_matter.text：不能为空"),
        "{}",
        err.message_zh()
    );
    accepted(&mut c, propose(day(6, 1), org("v-1"), "dm-1", "v-1"));
    let err = refused(&mut c, propose(day(6, 1), org("v-2"), "dm-1", "v-2"), 3003);
    assert!(err.message_zh().contains("村级重大事项"));
}

#[test]
fn steps_are_refused_out_of_order_repeated_or_misdated() {
    let mut c = campaign();
    refused(
        &mut c,
        discuss(day(6, 2), org("v-1"), "dm-9", 5, 0, 7),
        3002,
    );
    accepted(&mut c, propose(day(6, 1), org("v-1"), "dm-1", "v-1"));
    let err = refused(
        &mut c,
        deliberate(day(6, 2), org("v-1"), "dm-1", 10, 10, 10),
        3040,
    );
    assert!(err.message_en().contains("committee_discussion"), "{err}");
    assert!(err.message_zh().contains("两委会商议"));
    refused(&mut c, review(day(6, 2), org("t-01"), "dm-1", None), 3040);
    refused(
        &mut c,
        publish_resolution(day(6, 2), org("v-1"), "dm-1"),
        3040,
    );
    let err = refused(
        &mut c,
        discuss(day(5, 31), org("v-1"), "dm-1", 5, 0, 7),
        3043,
    );
    assert!(err.message_en().contains("2010-06-01"), "{err}");
    assert!(err.message_en().contains("proposal"));
    accepted(&mut c, discuss(day(6, 1), org("v-1"), "dm-1", 5, 0, 7));
    let err = refused(
        &mut c,
        discuss(day(6, 2), org("v-1"), "dm-1", 5, 0, 7),
        3041,
    );
    assert!(err.message_en().contains("2010-06-01"), "{err}");
    assert!(err.message_zh().contains("不能重复"));
    accepted(
        &mut c,
        deliberate(day(6, 5), org("v-1"), "dm-1", 10, 10, 10),
    );
    refused(&mut c, review(day(6, 4), org("t-01"), "dm-1", None), 3043);
    accepted(&mut c, review(day(6, 5), org("t-01"), "dm-1", None));
    refused(&mut c, review(day(6, 6), org("t-01"), "dm-1", None), 3041);
    accepted(&mut c, resolve(day(6, 6), org("v-1"), "dm-1", 30, 16));
    refused(
        &mut c,
        publish_result(day(6, 7), org("v-1"), "dm-1", "已实施"),
        3040,
    );
    accepted(&mut c, publish_resolution(day(6, 7), org("v-1"), "dm-1"));
    refused(
        &mut c,
        publish_result(day(6, 6), org("v-1"), "dm-1", "已实施"),
        3043,
    );
    // An empty result cannot be built, nor read from a host's JSON.
    let err = chuangzheng::model::LongText::new("event.result", "").unwrap_err();
    assert_eq!(err.code(), 1001);
    let json = r#"{"at":"2010-06-08","actor":{"org":"v-1"},"event":{"publish_result":{"matter":"dm-1","result":""}}}"#;
    let err = Command::from_json(json).unwrap_err();
    assert_eq!(err.code(), 3001);
    assert!(
        err.message_en().contains("event.publish_result.result"),
        "{err}"
    );
}

#[test]
fn only_the_village_side_and_the_township_side_may_act() {
    let mut c = campaign();
    up_to_review(&mut c, "dm-1");
    // The village may not review its own matter; nor may another township.
    let err = refused(&mut c, review(day(6, 10), org("v-1"), "dm-1", None), 3046);
    assert!(
        err.message_en()
            .contains("township-level committee \"t-01\""),
        "{err}"
    );
    assert!(err.message_zh().contains("乡镇"));
    refused(&mut c, review(day(6, 10), org("t-02"), "dm-1", None), 3046);
    let cadre = Actor::Org {
        org: id("v-1"),
        by: Some(id("m-1")),
    };
    refused(&mut c, review(day(6, 10), cadre, "dm-1", None), 3046);
    // Another village may not take v-1's steps.
    accepted(&mut c, review(day(6, 10), org("t-01"), "dm-1", None));
    refused(
        &mut c,
        resolve(day(6, 11), org("v-2"), "dm-1", 30, 20),
        3046,
    );
    refused(
        &mut c,
        resolve(day(6, 11), org("o-1"), "dm-1", 30, 20),
        3046,
    );
    let member = Actor::Member { member: id("m-1") };
    refused(&mut c, resolve(day(6, 11), member, "dm-1", 30, 20), 3046);
    accepted(&mut c, resolve(day(6, 11), org("v-1"), "dm-1", 30, 20));
}

#[test]
fn counts_are_checked_and_name_their_field() {
    let mut c = campaign();
    accepted(&mut c, propose(day(6, 1), org("v-1"), "dm-1", "v-1"));
    for (cmd, field) in [
        (
            discuss(day(6, 2), org("v-1"), "dm-1", 0, 0, 0),
            "event.total",
        ),
        (
            discuss(day(6, 2), org("v-1"), "dm-1", 0, 0, 101),
            "event.total",
        ),
        (discuss(day(6, 2), org("v-1"), "dm-1", 8, 0, 7), "event.for"),
        (
            discuss(day(6, 2), org("v-1"), "dm-1", 4, 4, 7),
            "event.against",
        ),
    ] {
        let err = refused(&mut c, cmd, 1009);
        assert!(err.message_en().contains(field), "{err}");
        assert!(err.message_zh().contains(field), "{err}");
    }
    accepted(&mut c, discuss(day(6, 2), org("v-1"), "dm-1", 4, 3, 7));
    for (cmd, field) in [
        (
            deliberate(day(6, 3), org("v-1"), "dm-1", 0, 0, 0),
            "event.expected",
        ),
        (
            deliberate(day(6, 3), org("v-1"), "dm-1", 100_001, 100_001, 0),
            "event.expected",
        ),
        (
            deliberate(day(6, 3), org("v-1"), "dm-1", 10, 11, 10),
            "event.attending",
        ),
        (
            deliberate(day(6, 3), org("v-1"), "dm-1", 10, 9, 10),
            "event.for",
        ),
    ] {
        let err = refused(&mut c, cmd, 1009);
        assert!(err.message_en().contains(field), "{err}");
    }
    accepted(&mut c, deliberate(day(6, 3), org("v-1"), "dm-1", 10, 9, 9));
    // Empty reasons cannot be built, nor read from a host's JSON.
    let err = chuangzheng::model::LongText::new("event.decision.veto.reasons", "").unwrap_err();
    assert_eq!(err.code(), 1001);
    assert!(
        err.message_en().contains("event.decision.veto.reasons"),
        "{err}"
    );
    let json = r#"{"at":"2010-06-04","actor":{"org":"t-01"},"event":{"review_matter":{"matter":"dm-1","decision":{"veto":{"reasons":""}}}}}"#;
    let err = Command::from_json(json).unwrap_err();
    assert_eq!(err.code(), 3001);
    assert!(
        err.message_en()
            .contains("event.review_matter.decision.veto.reasons"),
        "{err}"
    );
    accepted(&mut c, review(day(6, 4), org("t-01"), "dm-1", None));
    for (cmd, field) in [
        (
            resolve(day(6, 5), org("v-1"), "dm-1", 0, 0),
            "event.attending",
        ),
        (resolve(day(6, 5), org("v-1"), "dm-1", 10, 11), "event.for"),
    ] {
        let err = refused(&mut c, cmd, 1009);
        assert!(err.message_en().contains(field), "{err}");
    }
    accepted(&mut c, resolve(day(6, 5), org("v-1"), "dm-1", 10, 6));
    assert_eq!(status(&c, "dm-1"), Status::Resolved);
}

// ---------------------------------------------------------------- JSON, replay, snapshots

#[test]
fn events_read_from_json_and_write_back_the_same() {
    let mut c = campaign();
    let lines = [
        r#"{"at":"2010-06-01","actor":{"org":"v-1"},"event":{"propose_matter":{"id":"dm-1","village":"v-1","title":"修建通组水泥路","text":"修建三组至五组水泥路1.2公里","category":"project"}}}"#,
        r#"{"at":"2010-06-02","actor":{"org":"v-1"},"event":{"discuss_matter":{"matter":"dm-1","for":5,"against":1,"total":7}}}"#,
        r#"{"at":"2010-06-05","actor":{"org":"v-1","by":"m-1"},"event":{"deliberate_matter":{"matter":"dm-1","expected":45,"attending":38,"for":30}}}"#,
        r#"{"at":"2010-06-07","actor":{"org":"t-01"},"event":{"review_matter":{"matter":"dm-1","decision":"approve"}}}"#,
        r#"{"at":"2010-06-09","actor":{"org":"v-1"},"event":{"resolve_matter":{"matter":"dm-1","attending":52,"for":40}}}"#,
        r#"{"at":"2010-06-09","actor":{"org":"v-1"},"event":{"publish_resolution":{"matter":"dm-1"}}}"#,
        r#"{"at":"2010-08-01","actor":{"org":"v-1"},"event":{"publish_result":{"matter":"dm-1","result":"已完工并通过验收"}}}"#,
        r#"{"at":"2010-06-01","actor":{"org":"v-2"},"event":{"propose_matter":{"id":"dm-2","village":"v-2","title":"土地调整","text":"调整二组承包地"}}}"#,
        r#"{"at":"2010-06-02","actor":{"org":"v-2"},"event":{"discuss_matter":{"matter":"dm-2","for":4,"against":0,"total":5}}}"#,
        r#"{"at":"2010-06-05","actor":{"org":"v-2"},"event":{"deliberate_matter":{"matter":"dm-2","expected":12,"attending":12,"for":12}}}"#,
        r#"{"at":"2010-06-07","actor":{"org":"t-01"},"event":{"review_matter":{"matter":"dm-2","decision":{"veto":{"reasons":"与土地承包法不符"}}}}}"#,
    ];
    for line in lines {
        let cmd = Command::from_json(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(Command::from_json(&cmd.to_json()).unwrap(), cmd);
        assert_eq!(cmd.to_json(), line);
        accepted(&mut c, cmd);
    }
    assert_eq!(status(&c, "dm-1"), Status::Resolved);
    assert_eq!(status(&c, "dm-2"), Status::VetoedByTownship);
    // Misspelt fields are refused with their path.
    let err = Command::from_json(
        r#"{"at":"2010-06-02","actor":{"org":"v-1"},"event":{"discuss_matter":{"matter":"dm-1","votes_for":5,"against":1,"total":7}}}"#,
    )
    .unwrap_err();
    assert_eq!(err.code(), 3001);
    let err = Command::from_json(
        r#"{"at":"2010-06-02","actor":{"org":"t-01"},"event":{"review_matter":{"matter":"dm-1","decision":"reject"}}}"#,
    )
    .unwrap_err();
    assert_eq!(err.code(), 3001);
    assert!(
        err.message_en().contains("event.review_matter.decision"),
        "{err}"
    );
}

fn all_steps() -> Vec<Command> {
    vec![
        propose(day(6, 1), org("v-1"), "dm-1", "v-1"),
        discuss(day(6, 3), org("v-1"), "dm-1", 5, 1, 7),
        deliberate(day(6, 8), org("v-1"), "dm-1", 45, 38, 30),
        review(day(6, 10), org("t-01"), "dm-1", None),
        resolve(day(6, 12), org("v-1"), "dm-1", 52, 40),
        publish_resolution(day(6, 12), org("v-1"), "dm-1"),
        publish_result(day(7, 20), org("v-1"), "dm-1", "已实施"),
        propose(day(6, 2), org("v-3"), "dm-2", "v-3"),
        discuss(day(6, 3), org("v-3"), "dm-2", 5, 1, 7),
        deliberate(day(6, 8), org("v-3"), "dm-2", 9, 6, 5),
        review(day(6, 10), org("t-02"), "dm-2", Some("违反规定")),
        propose(day(6, 2), org("v-2"), "dm-3", "v-2"),
    ]
}

#[test]
fn matters_replay_from_a_journal_file_and_survive_a_snapshot() {
    let dir = std::env::temp_dir().join(format!("cz-deliberation-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("journal.jsonl");
    let info = CampaignInfo {
        id: id("dl"),
        name: name("四议一审测试"),
    };
    let rules = rules_with(|d| d.review_before_resolution = true);
    let (state, seq, hash) = {
        let mut c = Campaign::create(&path, info, rules).unwrap();
        for cmd in fixture_commands().iter().chain(&all_steps()) {
            c.execute(cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
        }
        (c.state_json(), c.seq(), c.last_hash())
    };
    let (c, report) = Campaign::open(&path, OpenOptions::default()).unwrap();
    assert_eq!(report.records, seq);
    assert_eq!(
        (c.state_json(), c.seq(), c.last_hash()),
        (state.clone(), seq, hash)
    );
    assert_eq!(status(&c, "dm-1"), Status::Resolved);
    assert_eq!(status(&c, "dm-2"), Status::VetoedByTownship);
    // Through a snapshot, the same state and the same figures.
    let loaded = Campaign::from_snapshot_json(&c.snapshot_json()).unwrap();
    assert_eq!(loaded.state_json(), state);
    assert_eq!(
        root_figures(&loaded, day(7, 31)),
        root_figures(&c, day(7, 31))
    );
    c.state().check_invariants(5).unwrap();
    drop(c);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn snapshots_breaking_a_matters_invariants_are_refused() {
    let mut c = campaign();
    for cmd in &all_steps() {
        accepted(&mut c, cmd.clone());
    }
    let snap = c.snapshot_json();
    let broken = [
        (
            "out of order",
            snap.replacen(
                r#""action":{"committee_discussion":{"for":5,"against":1,"total":7,"passed":true}}"#,
                r#""action":"resolution_publication""#,
                1,
            ),
        ),
        (
            "dated before",
            snap.replacen(r#"{"on":"2010-06-03""#, r#"{"on":"2010-05-03""#, 1),
        ),
        (
            "out of bounds",
            snap.replacen(r#""attending":38,"for":30"#, r#""attending":38,"for":39"#, 1),
        ),
        (
            "not a village",
            snap.replacen(r#""id":"dm-1","village":3"#, r#""id":"dm-1","village":1"#, 1),
        ),
        (
            "duplicate id",
            snap.replacen(r#""id":"dm-3""#, r#""id":"dm-1""#, 1),
        ),
        (
            "after the matter ended",
            snap.replacen(
                r#""reasons":"违反规定"}}}}}"#,
                r#""reasons":"违反规定"}}}}},{"on":"2010-06-11","action":"resolution_publication"}"#,
                1,
            ),
        ),
    ];
    for (why, json) in &broken {
        assert_ne!(json, &snap, "{why}: changed nothing");
        let err = Campaign::from_snapshot_json(json)
            .err()
            .unwrap_or_else(|| panic!("{why}: loaded"));
        assert_eq!(err.code(), 4008, "{why}: {err}");
        assert!(err.message_en().contains(why), "{why}: {err}");
    }
    Campaign::from_snapshot_json(&snap).unwrap();
}

// ---------------------------------------------------------------- the seed city's demo

#[test]
fn the_demo_reproduces_the_seeds_village_decisions() {
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    assert!(
        c.execute_batch(&demo::commands(&DemoSpec::seed()))
            .unwrap()
            .all_accepted()
    );
    let cmds =
        demo::deliberation::commands(c.state(), &demo::deliberation::DeliberationPlan::seed());
    assert!(
        cmds.iter()
            .all(|c| (demo::START..=demo::AS_OF).contains(&c.at.date)),
        "a command outside the demo's dates"
    );
    let batch = c.execute_batch(&cmds).unwrap();
    if let Some((i, e)) = batch.first_refusal() {
        panic!("{:?}: {e}", cmds[i]);
    }
    let s = c.state();
    let root = s.root().unwrap();
    let f = DeliberationFigures::of(s.deliberation(), s.registry(), root, None, demo::AS_OF);
    // 共动议村级重大事项675件, 乡镇党委政府审核否决12件, 村民代表大会决议通过663件.
    assert_eq!((f.proposed, f.vetoed, f.resolved), (675, 12, 663));
    assert_eq!(
        (
            f.in_progress,
            f.rejected_by_committees,
            f.rejected_by_members,
            f.rejected_by_villagers
        ),
        (0, 0, 0, 0)
    );
    assert!(f.resolutions_published > 0 && f.resolutions_published < f.resolved);
    assert!(f.results_published > 0 && f.results_published < f.resolutions_published);
    // Spread over the villages: every one of the 206 has some.
    let villages: std::collections::BTreeSet<_> = s.matters().iter().map(|m| m.village).collect();
    assert_eq!(villages.len(), 206);
    // Shard by township-level committee (and department), merge: the city's figures.
    let mut merged = DeliberationFigures::default();
    for &child in s.children(root) {
        merged.merge(&DeliberationFigures::of(
            s.deliberation(),
            s.registry(),
            child,
            None,
            demo::AS_OF,
        ));
    }
    assert_eq!(merged, f);
    // Deterministic.
    assert_eq!(
        demo::deliberation::commands(s, &demo::deliberation::DeliberationPlan::seed()),
        cmds
    );
}

/// A long text for a command built in Rust; the tests' texts are within bounds.
fn long_text(s: &str) -> chuangzheng::model::LongText {
    chuangzheng::model::LongText::new("test", s).unwrap()
}
