//! Public pledges through the ledger: the lifecycle, who may take each step, every refusal,
//! replay from the journal, and the figures.

use chuangzheng::Coded;
use chuangzheng::ledger::{Actor, Campaign, CampaignInfo, Command, Event};
use chuangzheng::model::{ExtId, LeaderLevel, MemberCategory, Name, OrgKind, Role, Stamp};
use chuangzheng::pledge::{
    Carrier, Focus, Goal, OwnerRef, PledgeContent, PledgeKind, PledgeStatus, ReviewDecision, Target,
};
use chuangzheng::report::PledgeFigures;
use chuangzheng::rules::RuleSet;
use jiff::civil::{Date, date};

fn id(s: &str) -> ExtId {
    ExtId::new("test", s).unwrap()
}

fn name(s: &str) -> Name {
    Name::new("test", s).unwrap()
}

const D0: Date = date(2010, 5, 1);

fn on(d: Date, actor: Actor, event: Event) -> Command {
    Command::new(Stamp::on(d), actor, event)
}

fn org(s: &str) -> Actor {
    Actor::org(&id(s))
}

fn member(s: &str) -> Actor {
    Actor::Member { member: id(s) }
}

fn content(title: &str, deadline: Date) -> PledgeContent {
    PledgeContent::new(
        name(title),
        "带动30户群众种植保护地甜瓜, 每户增收1万元",
        deadline,
        vec![
            Target::new("带动种植户数", "户", Goal::exact("g", "30").unwrap()).unwrap(),
            Target::new("每户增收", "元", Goal::exact("g", "10000").unwrap()).unwrap(),
        ],
    )
    .unwrap()
}

fn draft(d: Date, actor: Actor, pledge: &str, owner: OwnerRef) -> Command {
    on(
        d,
        actor,
        Event::DraftPledge(chuangzheng::pledge::DraftPledge {
            id: id(pledge),
            owner,
            kind: PledgeKind::PracticalMatter,
            focus: Focus::OwnSituation,
            carrier: None,
            content: content("甜瓜增收", date(2010, 12, 31)),
        }),
    )
}

fn submit(d: Date, actor: Actor, pledge: &str) -> Command {
    on(
        d,
        actor,
        Event::SubmitPledge(chuangzheng::pledge::SubmitPledge { pledge: id(pledge) }),
    )
}

fn review(d: Date, actor: Actor, pledge: &str, decision: ReviewDecision) -> Command {
    on(
        d,
        actor,
        Event::ReviewPledge(chuangzheng::pledge::ReviewPledge {
            pledge: id(pledge),
            decision,
        }),
    )
}

fn approve(d: Date, actor: Actor, pledge: &str) -> Command {
    review(d, actor, pledge, ReviewDecision::Approve)
}

fn give_back(d: Date, actor: Actor, pledge: &str) -> Command {
    review(
        d,
        actor,
        pledge,
        ReviewDecision::Return {
            reasons: long_text("目标不够具体, 请写明品种"),
        },
    )
}

fn publish(d: Date, actor: Actor, pledge: &str) -> Command {
    on(
        d,
        actor,
        Event::PublishPledge(chuangzheng::pledge::PublishPledge { pledge: id(pledge) }),
    )
}

fn revise(d: Date, actor: Actor, pledge: &str, title: &str) -> Command {
    on(
        d,
        actor,
        Event::RevisePledge(chuangzheng::pledge::RevisePledge {
            pledge: id(pledge),
            content: content(title, date(2010, 12, 31)),
        }),
    )
}

/// city ─┬ t-01 ─┬ v-1 (m-1 secretary, m-2 committee, m-3 ordinary farmer)
///       │       └ v-2 (m-4 secretary)
///       └ d-01 ── o-1 (m-5 organ member)
fn campaign() -> Campaign {
    campaign_with_journal().0
}

/// The campaign and its journal so far (header and records), as a host would store them.
fn campaign_with_journal() -> (Campaign, String) {
    let mut c = Campaign::in_memory(
        CampaignInfo {
            id: id("p"),
            name: name("承诺测试"),
        },
        RuleSet::default(),
    )
    .unwrap();
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
    let add = |actor: &str, m: &str, o: &str, category, role| {
        on(
            D0,
            org(actor),
            Event::AddMember(chuangzheng::org::AddMember {
                id: id(m),
                org: id(o),
                category,
                role,
                leader_level: LeaderLevel::None,
            }),
        )
    };
    let cmds = [
        create("city", "city", OrgKind::CityCommittee, None),
        create("city", "t-01", OrgKind::TownshipCommittee, Some("city")),
        create("city", "d-01", OrgKind::CityDepartment, Some("city")),
        create("t-01", "v-1", OrgKind::Village, Some("t-01")),
        create("t-01", "v-2", OrgKind::Village, Some("t-01")),
        create("d-01", "o-1", OrgKind::Organ, Some("d-01")),
        add("v-1", "m-1", "v-1", MemberCategory::Farmer, Role::Secretary),
        add(
            "v-1",
            "m-2",
            "v-1",
            MemberCategory::Farmer,
            Role::CommitteeMember,
        ),
        add("v-1", "m-3", "v-1", MemberCategory::Farmer, Role::Ordinary),
        add("v-2", "m-4", "v-2", MemberCategory::Farmer, Role::Secretary),
        add("o-1", "m-5", "o-1", MemberCategory::Organ, Role::Ordinary),
    ];
    let mut journal = c.header_line();
    for cmd in &cmds {
        journal.push_str(&c.execute(cmd).unwrap().line);
    }
    (c, journal)
}

#[track_caller]
fn refused(c: &mut Campaign, cmd: Command, code: u32) {
    let before = (c.state_json(), c.seq(), c.last_hash());
    let err = c.execute(&cmd).expect_err("accepted");
    assert_eq!(err.code(), code, "{err}");
    assert!(!err.message_zh().is_empty());
    assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
}

fn day(d: i8) -> Date {
    date(2010, 5, d)
}

#[test]
fn a_members_pledge_goes_from_draft_to_published_with_its_whole_history() {
    let (mut c, mut journal) = campaign_with_journal();
    let steps = [
        draft(day(2), member("m-3"), "p-1", OwnerRef::Member(id("m-3"))),
        submit(day(3), member("m-3"), "p-1"),
        // Returned by the member's organization (the rules: 0 levels up).
        give_back(day(4), org("v-1"), "p-1"),
        revise(day(5), member("m-3"), "p-1", "甜瓜增收 (修改)"),
        submit(day(6), member("m-3"), "p-1"),
        // Approved by a cadre acting for the organization.
        approve(
            day(7),
            Actor::Org {
                org: id("v-1"),
                by: Some(id("m-1")),
            },
            "p-1",
        ),
        publish(day(8), org("v-1"), "p-1"),
    ];
    for cmd in &steps {
        journal.push_str(
            &c.execute(cmd)
                .unwrap_or_else(|e| panic!("{cmd:?}: {e}"))
                .line,
        );
    }
    let s = c.state();
    let p = s.pledge(s.pledge_by_id("p-1").unwrap());
    assert_eq!(
        p.carrier,
        Some(Carrier::SetPostDuty),
        "the farmer's usual carrier"
    );
    assert_eq!(p.versions.len(), 2);
    assert_eq!(p.reviews.len(), 2);
    assert_eq!(p.reviews[0].version, 0);
    assert_eq!(p.reviews[1].version, 1);
    assert_eq!(s.org(p.reviews[0].reviewer).id.as_str(), "v-1");
    let statuses: Vec<_> = p.status.iter().map(|s| s.status).collect();
    assert_eq!(
        statuses,
        [
            PledgeStatus::Draft,
            PledgeStatus::Submitted,
            PledgeStatus::Returned,
            PledgeStatus::Submitted,
            PledgeStatus::Approved,
            PledgeStatus::Published
        ]
    );
    assert_eq!(p.status_on(day(4)), Some(PledgeStatus::Returned));
    assert_eq!(p.status_on(day(1)), None);
    assert_eq!(p.published_on(), Some(day(8)));
    assert!(!p.returned_by(day(3)) && p.returned_by(day(4)));
    s.check_invariants(5).unwrap();

    // Replayed from its journal lines, and through a snapshot, it is the same campaign.
    let (replayed, report) = Campaign::replay(journal.as_bytes()).unwrap();
    assert_eq!(report.records, c.seq());
    assert_eq!(replayed.state_json(), c.state_json());
    assert_eq!(replayed.last_hash(), c.last_hash());
    let loaded = Campaign::from_snapshot_json(&c.snapshot_json()).unwrap();
    assert_eq!(loaded.state_json(), c.state_json());
}

#[test]
fn an_organizations_pledge_is_reviewed_one_level_up() {
    let mut c = campaign();
    c.execute(&draft(day(2), org("v-1"), "p-v1", OwnerRef::Org(id("v-1"))))
        .unwrap();
    c.execute(&submit(day(2), org("v-1"), "p-v1")).unwrap();
    // The village cannot approve its own pledge, nor can a sibling village.
    refused(&mut c, approve(day(3), org("v-1"), "p-v1"), 3004);
    refused(&mut c, approve(day(3), org("v-2"), "p-v1"), 3004);
    // Its township can; so can the city above it.
    c.check(&approve(day(3), org("city"), "p-v1")).unwrap();
    c.execute(&approve(day(3), org("t-01"), "p-v1")).unwrap();
    // The owner publishes.
    c.execute(&publish(day(4), org("v-1"), "p-v1")).unwrap();
    let s = c.state();
    let p = s.pledge(s.pledge_by_id("p-v1").unwrap());
    assert_eq!(p.carrier, None);
    assert_eq!(s.org(p.reviews[0].reviewer).id.as_str(), "t-01");
}

#[test]
fn the_city_committees_own_pledge_has_no_reviewer_above_it() {
    // 分级审核: the superior level reviews, and the root has none; a pledge that could never
    // be reviewed is refused at draft rather than left stuck at `submitted`.
    let mut c = campaign();
    refused(
        &mut c,
        draft(day(2), org("city"), "p-c", OwnerRef::Org(id("city"))),
        3028,
    );
}

#[test]
fn review_levels_come_from_the_rules() {
    // Members' pledges reviewed one level above their organization: by the township.
    let mut rules = RuleSet::default();
    rules.pledge_review.member_levels_up = 1;
    let (base, journal) = campaign_with_journal();
    let mut c = Campaign::in_memory(base.info().clone(), rules).unwrap();
    for line in journal.lines().skip(1) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let cmd = serde_json::json!({"at": v["at"], "actor": v["actor"], "event": v["event"]});
        c.execute(&Command::from_json(&cmd.to_string()).unwrap())
            .unwrap();
    }
    c.execute(&draft(
        day(2),
        member("m-3"),
        "p-1",
        OwnerRef::Member(id("m-3")),
    ))
    .unwrap();
    c.execute(&submit(day(2), member("m-3"), "p-1")).unwrap();
    refused(&mut c, approve(day(3), org("v-1"), "p-1"), 3004);
    c.execute(&approve(day(3), org("t-01"), "p-1")).unwrap();
}

#[test]
fn a_member_may_not_review_their_own_pledge() {
    let mut c = campaign();
    c.execute(&draft(
        day(2),
        member("m-1"),
        "p-1",
        OwnerRef::Member(id("m-1")),
    ))
    .unwrap();
    c.execute(&submit(day(2), member("m-1"), "p-1")).unwrap();
    let by_self = Actor::Org {
        org: id("v-1"),
        by: Some(id("m-1")),
    };
    refused(&mut c, approve(day(3), by_self, "p-1"), 3017);
    // Another cadre of the same organization may.
    let by_other = Actor::Org {
        org: id("v-1"),
        by: Some(id("m-2")),
    };
    c.execute(&approve(day(3), by_other, "p-1")).unwrap();
}

#[test]
fn who_may_draft() {
    let mut c = campaign();
    // A member drafts only their own; another member cannot draft for them.
    refused(
        &mut c,
        draft(day(2), member("m-2"), "p-1", OwnerRef::Member(id("m-3"))),
        3004,
    );
    // An organization not above the member's cannot.
    refused(
        &mut c,
        draft(day(2), org("v-2"), "p-1", OwnerRef::Member(id("m-3"))),
        3004,
    );
    // A member cannot draft an organization's pledge.
    refused(
        &mut c,
        draft(day(2), member("m-1"), "p-1", OwnerRef::Org(id("v-1"))),
        3004,
    );
    // Unknown owners are named.
    refused(
        &mut c,
        draft(day(2), org("city"), "p-1", OwnerRef::Member(id("m-99"))),
        3002,
    );
    refused(
        &mut c,
        draft(day(2), org("city"), "p-1", OwnerRef::Org(id("v-99"))),
        3002,
    );
    // The member's organization may draft for them.
    c.execute(&draft(
        day(2),
        org("v-1"),
        "p-1",
        OwnerRef::Member(id("m-3")),
    ))
    .unwrap();
    // The id is then taken.
    refused(
        &mut c,
        draft(day(2), member("m-2"), "p-1", OwnerRef::Member(id("m-2"))),
        3003,
    );
}

#[test]
fn carriers_are_members_and_may_be_overridden() {
    let mut c = campaign();
    let with_carrier = |owner: OwnerRef, pledge: &str, carrier| {
        on(
            day(2),
            org("city"),
            Event::DraftPledge(chuangzheng::pledge::DraftPledge {
                id: id(pledge),
                owner,
                kind: PledgeKind::Work,
                focus: Focus::CentralWork,
                carrier,
                content: content("工作承诺", date(2010, 12, 31)),
            }),
        )
    };
    refused(
        &mut c,
        with_carrier(OwnerRef::Org(id("v-1")), "p-1", Some(Carrier::DualPost)),
        3020,
    );
    c.execute(&with_carrier(OwnerRef::Member(id("m-5")), "p-2", None))
        .unwrap();
    c.execute(&with_carrier(
        OwnerRef::Member(id("m-3")),
        "p-3",
        Some(Carrier::VanguardPost),
    ))
    .unwrap();
    let s = c.state();
    assert_eq!(
        s.pledge(s.pledge_by_id("p-2").unwrap()).carrier,
        Some(Carrier::DualPost)
    );
    assert_eq!(
        s.pledge(s.pledge_by_id("p-3").unwrap()).carrier,
        Some(Carrier::VanguardPost)
    );
}

#[test]
fn a_member_of_category_other_names_a_carrier_and_counts_under_it() {
    // `other` members (schools, clinics, social organizations) have no usual carrier; an
    // unnamed one is refused, so every made member's pledge counts under one of the four.
    let mut c = campaign();
    c.execute(&on(
        D0,
        org("v-1"),
        Event::AddMember(chuangzheng::org::AddMember {
            id: id("m-9"),
            org: id("v-1"),
            category: MemberCategory::Other,
            role: Role::Ordinary,
            leader_level: LeaderLevel::None,
        }),
    ))
    .unwrap();
    let drafted = |pledge: &str, carrier| {
        on(
            day(2),
            member("m-9"),
            Event::DraftPledge(chuangzheng::pledge::DraftPledge {
                id: id(pledge),
                owner: OwnerRef::Member(id("m-9")),
                kind: PledgeKind::PracticalMatter,
                focus: Focus::MassesWishes,
                carrier,
                content: content("楼院保洁", date(2010, 12, 31)),
            }),
        )
    };
    let before = c.state_json();
    let err = c.execute(&drafted("p-9", None)).expect_err("no carrier");
    assert_eq!(err.code(), 3029);
    let zh = err.message_zh();
    assert!(
        zh.starts_with("字段 event.carrier：") && zh.contains("其他党员"),
        "{zh}"
    );
    assert!(zh.contains("；") && !zh.contains(", "), "{zh}");
    assert!(err.message_en().contains("field event.carrier"));
    assert!(err.message_en().contains("\"m-9\""));
    assert_eq!(c.state_json(), before);
    // Someone without authority over the member hears that first.
    refused(
        &mut c,
        on(day(2), member("m-3"), drafted("p-9", None).event),
        3004,
    );

    c.execute(&drafted("p-9", Some(Carrier::BuildingDuty)))
        .unwrap();
    c.execute(&submit(day(3), member("m-9"), "p-9")).unwrap();
    c.execute(&approve(day(4), org("v-1"), "p-9")).unwrap();
    c.execute(&publish(day(5), member("m-9"), "p-9")).unwrap();
    let s = c.state();
    let f = PledgeFigures::of(s, s.root().unwrap(), day(5));
    let building = Carrier::ALL
        .iter()
        .position(|x| *x == Carrier::BuildingDuty)
        .unwrap();
    assert_eq!(f.made_by_carrier[building], 1);
    assert_eq!(f.members_by_carrier[building], 1);
    assert_eq!(f.made_by_carrier.iter().sum::<u64>(), 1);
}

#[test]
fn transitions_out_of_order_are_refused() {
    let mut c = campaign();
    let me = || member("m-3");
    refused(&mut c, submit(day(2), me(), "p-1"), 3002);
    c.execute(&draft(day(2), me(), "p-1", OwnerRef::Member(id("m-3"))))
        .unwrap();
    // Not submitted: cannot be reviewed or published.
    refused(&mut c, approve(day(3), org("v-1"), "p-1"), 3016);
    refused(&mut c, publish(day(3), org("v-1"), "p-1"), 3016);
    c.execute(&submit(day(3), me(), "p-1")).unwrap();
    // Submitted: cannot be submitted again, revised or published.
    refused(&mut c, submit(day(3), me(), "p-1"), 3016);
    refused(&mut c, revise(day(3), me(), "p-1", "改"), 3016);
    refused(&mut c, publish(day(3), org("v-1"), "p-1"), 3016);
    // Dated before the last step.
    refused(&mut c, approve(day(2), org("v-1"), "p-1"), 3013);
    c.execute(&give_back(day(4), org("v-1"), "p-1")).unwrap();
    // Returned: must be revised before it goes back; a revision must change something.
    refused(&mut c, submit(day(4), me(), "p-1"), 3016);
    refused(&mut c, revise(day(4), me(), "p-1", "甜瓜增收"), 3014);
    refused(&mut c, revise(day(3), me(), "p-1", "改"), 3013);
    c.execute(&revise(day(4), me(), "p-1", "改")).unwrap();
    c.execute(&submit(day(5), me(), "p-1")).unwrap();
    c.execute(&approve(day(6), org("v-1"), "p-1")).unwrap();
    refused(&mut c, approve(day(6), org("v-1"), "p-1"), 3016);
    c.execute(&publish(day(7), me(), "p-1")).unwrap();
    refused(&mut c, publish(day(8), me(), "p-1"), 3016);
    // Published: its content is what was made public (an approved one may still be revised,
    // which lapses the approval: tests/pledge_walk.rs).
    refused(&mut c, revise(day(8), me(), "p-1", "再改"), 3016);
}

#[test]
fn deadlines_must_not_be_passed() {
    let mut c = campaign();
    let drafted = |d: Date, deadline: Date| {
        on(
            d,
            member("m-3"),
            Event::DraftPledge(chuangzheng::pledge::DraftPledge {
                id: id("p-1"),
                owner: OwnerRef::Member(id("m-3")),
                kind: PledgeKind::Work,
                focus: Focus::CentralWork,
                carrier: None,
                content: content("期限", deadline),
            }),
        )
    };
    refused(&mut c, drafted(day(10), day(9)), 3019);
    // A deadline that passes before publication.
    c.execute(&drafted(day(2), day(5))).unwrap();
    c.execute(&submit(day(3), member("m-3"), "p-1")).unwrap();
    c.execute(&approve(day(4), org("v-1"), "p-1")).unwrap();
    refused(&mut c, publish(day(6), member("m-3"), "p-1"), 3019);
    c.execute(&publish(day(5), member("m-3"), "p-1")).unwrap();
}

#[test]
fn return_reasons_are_required_and_bounded() {
    let mut c = campaign();
    c.execute(&draft(
        day(2),
        member("m-3"),
        "p-1",
        OwnerRef::Member(id("m-3")),
    ))
    .unwrap();
    c.execute(&submit(day(2), member("m-3"), "p-1")).unwrap();
    // Reasons that are blank, too long or hold a control character cannot be built.
    for (reasons, code) in [
        ("  ".into(), 1001),
        ("长".repeat(700), 1002),
        ("a\u{0}b".into(), 1003),
    ] {
        let e = chuangzheng::model::LongText::new("event.decision.return.reasons", &reasons)
            .unwrap_err();
        assert_eq!(e.code(), code, "{reasons:?}");
    }
}

#[test]
fn pledge_commands_read_from_json() {
    let json = r#"{"at":"2010-05-02","actor":{"member":"m-3"},"event":{"draft_pledge":{
        "id":"p-9","owner":{"member":"m-3"},"kind":"practical_matter","focus":"masses_wishes",
        "content":{"title":"资助学生","text":"拿出500元资助小学一名困难学生","deadline":"2010-12-31",
          "targets":[{"metric":"资助金额","unit":"元","goal":"500"},
                     {"metric":"菌肥","unit":"个","goal":{"min":"2","max":"3"}}]}}}}"#;
    let cmd = Command::from_json(json).unwrap();
    let mut c = campaign();
    c.execute(&cmd).unwrap();
    assert_eq!(Command::from_json(&cmd.to_json()).unwrap(), cmd);
    let bad = json.replace(r#"{"min":"2","max":"3"}"#, r#"{"min":"3","max":"2"}"#);
    let err = Command::from_json(&bad).unwrap_err();
    assert_eq!(err.code(), 3001);
    assert!(
        err.message_en().contains("event.draft_pledge.content"),
        "{err}"
    );
    let give_back = r#"{"at":"2010-05-03","actor":{"org":"v-1"},"event":{"review_pledge":{"pledge":"p-9","decision":{"return":{"reasons":"请补充"}}}}}"#;
    assert!(Command::from_json(give_back).is_ok());
    let approve = r#"{"at":"2010-05-03","actor":{"org":"v-1"},"event":{"review_pledge":{"pledge":"p-9","decision":"approve"}}}"#;
    assert!(Command::from_json(approve).is_ok());
}

/// Figures of a small city: drafted by every member and both villages, some returned, most
/// published, counted for the whole tree and for its parts.
#[test]
fn figures_count_the_made_and_the_revised_and_merge_by_subtree() {
    let mut c = campaign();
    let members = ["m-1", "m-2", "m-3", "m-4", "m-5"];
    for (i, m) in members.iter().enumerate() {
        let p = format!("pm-{i}");
        c.execute(&draft(day(2), member(m), &p, OwnerRef::Member(id(m))))
            .unwrap();
        c.execute(&submit(day(2), member(m), &p)).unwrap();
        let reviewer = match *m {
            "m-5" => "o-1",
            "m-4" => "v-2",
            _ => "v-1",
        };
        if i % 2 == 0 {
            // Returned once, revised, submitted again.
            c.execute(&give_back(day(3), org(reviewer), &p)).unwrap();
            c.execute(&revise(day(4), member(m), &p, "修改后")).unwrap();
            c.execute(&submit(day(4), member(m), &p)).unwrap();
        }
        c.execute(&approve(day(5), org(reviewer), &p)).unwrap();
        if *m != "m-2" {
            c.execute(&publish(day(6), member(m), &p)).unwrap();
        }
    }
    for v in ["v-1", "v-2"] {
        let p = format!("po-{v}");
        c.execute(&draft(day(2), org(v), &p, OwnerRef::Org(id(v))))
            .unwrap();
        c.execute(&submit(day(2), org(v), &p)).unwrap();
        if v == "v-2" {
            c.execute(&give_back(day(3), org("t-01"), &p)).unwrap();
        } else {
            c.execute(&approve(day(3), org("t-01"), &p)).unwrap();
            c.execute(&publish(day(6), org(v), &p)).unwrap();
        }
    }
    let s = c.state();
    let city = s.root().unwrap();
    let whole = PledgeFigures::of(s, city, day(6));
    // Expected values counted by hand from the steps above.
    assert_eq!(whole.made(), 5, "four members' and one village's");
    assert_eq!(whole.made_of(PledgeKind::PracticalMatter), 5);
    assert_eq!(whole.in_status(PledgeStatus::Published), 5);
    assert_eq!(whole.in_status(PledgeStatus::Approved), 1);
    assert_eq!(whole.in_status(PledgeStatus::Returned), 1);
    assert_eq!(whole.revised_members, 3, "m-1, m-3, m-5");
    assert_eq!(whole.revised_orgs, 1, "v-2");
    assert_eq!(whole.members_with(Carrier::SetPostDuty), 3, "m-1, m-3, m-4");
    assert_eq!(whole.members_with(Carrier::DualPost), 1, "m-5");
    // As of earlier dates: nothing made before publication day; returns counted from day 3.
    let before = PledgeFigures::of(s, city, day(5));
    assert_eq!(before.made(), 0);
    assert_eq!(before.revised_members, 3);
    assert_eq!(PledgeFigures::of(s, city, day(2)).revised_members, 0);
    assert_eq!(PledgeFigures::of(s, city, day(1)), PledgeFigures::default());
    // The parts: the township's subtree and the department's (the city holds none itself).
    let mut merged = PledgeFigures::default();
    for &child in s.children(city) {
        merged.merge(&PledgeFigures::of(s, child, day(6)));
    }
    assert_eq!(merged, whole);
    let t01 = PledgeFigures::of(s, s.org_by_id("t-01").unwrap(), day(6));
    assert_eq!(t01.made(), 4);
    assert_eq!(t01.revised_orgs, 1);
    // Serialized figures read back equal (a data platform's partitions travel as JSON).
    let json = serde_json::to_string(&t01).unwrap();
    assert_eq!(serde_json::from_str::<PledgeFigures>(&json).unwrap(), t01);
}

// ---------------------------------------------------------------- fulfilment (践诺)

fn month(s: &str) -> chuangzheng::model::Period {
    s.parse().unwrap()
}

fn progress(d: Date, actor: Actor, pledge: &str, m: &str, achieved: &[(u32, &str)]) -> Command {
    report(d, actor, pledge, m, achieved, false)
}

fn report(
    d: Date,
    actor: Actor,
    pledge: &str,
    m: &str,
    achieved: &[(u32, &str)],
    correction: bool,
) -> Command {
    on(
        d,
        actor,
        Event::ReportProgress(chuangzheng::pledge::ReportProgress {
            pledge: id(pledge),
            month: month(m),
            achieved: achieved
                .iter()
                .map(|(t, v)| chuangzheng::pledge::Achieved {
                    target: *t,
                    value: v.parse().unwrap(),
                })
                .collect::<Vec<_>>()
                .try_into()
                .unwrap(),
            note: Some(long_text("按计划推进")),
            correction,
        }),
    )
}

fn outputs(problems: u64, benefit: &str) -> chuangzheng::pledge::Outputs {
    chuangzheng::pledge::Outputs {
        problems_solved: problems,
        benefit_yuan: chuangzheng::model::Amount::parse("benefit", benefit).unwrap(),
        ..Default::default()
    }
}

fn record(d: Date, actor: Actor, pledge: &str, o: chuangzheng::pledge::Outputs) -> Command {
    on(
        d,
        actor,
        Event::RecordFulfilment(chuangzheng::pledge::RecordFulfilment {
            pledge: id(pledge),
            outputs: o,
            note: None,
        }),
    )
}

fn fulfil(d: Date, actor: Actor, pledge: &str) -> Command {
    on(
        d,
        actor,
        Event::FulfilPledge(chuangzheng::pledge::FulfilPledge { pledge: id(pledge) }),
    )
}

fn close(d: Date, actor: Actor, pledge: &str, how: chuangzheng::pledge::Closing) -> Command {
    on(
        d,
        actor,
        Event::ClosePledge(chuangzheng::pledge::ClosePledge {
            pledge: id(pledge),
            closing: how,
            explanation: long_text("因天气原因无法按期完成, 已向群众说明"),
        }),
    )
}

/// m-3's pledge p-1 (30 households, 10,000 yuan each, deadline 2010-12-31), published 05-08.
fn published() -> Campaign {
    let mut c = campaign();
    for cmd in [
        draft(day(2), member("m-3"), "p-1", OwnerRef::Member(id("m-3"))),
        submit(day(3), member("m-3"), "p-1"),
        approve(day(4), org("v-1"), "p-1"),
        publish(day(8), member("m-3"), "p-1"),
    ] {
        c.execute(&cmd).unwrap();
    }
    c
}

#[test]
fn progress_reports_are_monthly_and_corrections_keep_the_original() {
    let mut c = published();
    let me = || member("m-3");
    c.execute(&progress(
        date(2010, 6, 2),
        me(),
        "p-1",
        "2010-05",
        &[(0, "5")],
    ))
    .unwrap();
    // The same month again: only as a correction; a correction needs something to correct.
    refused(
        &mut c,
        progress(date(2010, 6, 3), me(), "p-1", "2010-05", &[(0, "6")]),
        3022,
    );
    refused(
        &mut c,
        report(date(2010, 6, 3), me(), "p-1", "2010-06", &[(0, "6")], true),
        3022,
    );
    c.execute(&report(
        date(2010, 6, 3),
        me(),
        "p-1",
        "2010-05",
        &[(0, "6")],
        true,
    ))
    .unwrap();
    // Not a month; a month after the filing date's; a month before publication.
    let week = on(
        date(2010, 6, 4),
        me(),
        Event::ReportProgress(chuangzheng::pledge::ReportProgress {
            pledge: id("p-1"),
            month: "2010-W22".parse().unwrap(),
            achieved: bounded(vec![]),
            note: None,
            correction: false,
        }),
    );
    refused(&mut c, week, 1013);
    refused(
        &mut c,
        progress(date(2010, 6, 4), me(), "p-1", "2010-07", &[]),
        1013,
    );
    refused(
        &mut c,
        progress(date(2010, 6, 4), me(), "p-1", "2010-04", &[]),
        1013,
    );
    // Targets out of range or repeated; values negative or too precise.
    refused(
        &mut c,
        progress(date(2010, 7, 1), me(), "p-1", "2010-06", &[(2, "1")]),
        1013,
    );
    refused(
        &mut c,
        progress(
            date(2010, 7, 1),
            me(),
            "p-1",
            "2010-06",
            &[(0, "1"), (0, "2")],
        ),
        1013,
    );
    let negative = Command::from_json(
        r#"{"at":"2010-07-01","actor":{"member":"m-3"},"event":{"report_progress":{"pledge":"p-1","month":"2010-06","achieved":[{"target":0,"value":"-1"}]}}}"#,
    );
    assert_eq!(negative.unwrap_err().code(), 3001);
    // Filed before the last report: out of order.
    refused(
        &mut c,
        progress(date(2010, 6, 1), me(), "p-1", "2010-06", &[]),
        3013,
    );
    // Someone else's pledge: refused.
    refused(
        &mut c,
        progress(date(2010, 7, 1), member("m-2"), "p-1", "2010-06", &[]),
        3004,
    );
    c.execute(&progress(
        date(2010, 7, 1),
        org("v-1"),
        "p-1",
        "2010-06",
        &[(0, "12"), (1, "4000")],
    ))
    .unwrap();
    let s = c.state();
    let p = s.pledge(s.pledge_by_id("p-1").unwrap());
    assert_eq!(p.reports.len(), 3, "the corrected report is kept");
    let v = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
    assert_eq!(p.achieved_by(date(2010, 6, 2)), vec![Some(v("5")), None]);
    assert_eq!(p.achieved_by(date(2010, 6, 3)), vec![Some(v("6")), None]);
    assert_eq!(
        p.achieved_by(date(2010, 7, 1)),
        vec![Some(v("12")), Some(v("4000"))]
    );
}

#[test]
fn a_pledge_is_fulfilled_only_when_every_target_is_met() {
    let mut c = published();
    let me = || member("m-3");
    let err = c
        .execute(&fulfil(date(2010, 6, 1), me(), "p-1"))
        .unwrap_err();
    assert_eq!(err.code(), 3021);
    assert!(err.message_en().contains("no progress report"), "{err}");
    c.execute(&progress(
        date(2010, 9, 1),
        me(),
        "p-1",
        "2010-08",
        &[(0, "30"), (1, "9999.99")],
    ))
    .unwrap();
    let err = c
        .execute(&fulfil(date(2010, 9, 1), me(), "p-1"))
        .unwrap_err();
    assert_eq!(err.code(), 3021);
    assert!(err.message_en().contains("target 1"), "{err}");
    c.execute(&progress(
        date(2010, 10, 1),
        me(),
        "p-1",
        "2010-09",
        &[(0, "31"), (1, "10000")],
    ))
    .unwrap();
    // Only the owner's side declares it.
    refused(
        &mut c,
        fulfil(date(2010, 10, 2), member("m-2"), "p-1"),
        3004,
    );
    c.execute(&fulfil(date(2010, 10, 2), me(), "p-1")).unwrap();
    let s = c.state();
    let p = s.pledge(s.pledge_by_id("p-1").unwrap());
    assert_eq!(p.fulfilled_on(), Some(date(2010, 10, 2)));
    assert_eq!(p.fulfilled_in_time(), Some(true));
    // Fulfilled: no more reports, no second fulfilment, but fulfilment records still.
    refused(
        &mut c,
        progress(date(2010, 11, 1), me(), "p-1", "2010-10", &[]),
        3016,
    );
    refused(&mut c, fulfil(date(2010, 11, 1), me(), "p-1"), 3016);
    c.execute(&record(date(2010, 11, 1), me(), "p-1", outputs(2, "0")))
        .unwrap();
}

#[test]
fn ranges_are_met_at_their_lower_bound_and_late_fulfilment_is_marked() {
    let mut c = campaign();
    let mut content = content("菌肥", date(2010, 6, 30));
    content.targets = bounded(vec![
        Target::new("菌肥", "个", Goal::range("g", "2", "3").unwrap()).unwrap(),
    ]);
    for cmd in [
        on(
            day(2),
            org("v-1"),
            Event::DraftPledge(chuangzheng::pledge::DraftPledge {
                id: id("p-r"),
                owner: OwnerRef::Org(id("v-1")),
                kind: PledgeKind::Work,
                focus: Focus::MassesWishes,
                carrier: None,
                content,
            }),
        ),
        submit(day(2), org("v-1"), "p-r"),
        approve(day(3), org("t-01"), "p-r"),
        publish(day(4), org("v-1"), "p-r"),
        progress(date(2010, 7, 2), org("v-1"), "p-r", "2010-06", &[(0, "2")]),
        fulfil(date(2010, 7, 2), org("v-1"), "p-r"),
    ] {
        c.execute(&cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    }
    let s = c.state();
    let p = s.pledge(s.pledge_by_id("p-r").unwrap());
    assert_eq!(
        p.fulfilled_in_time(),
        Some(false),
        "fulfilled after its deadline"
    );
    let f = PledgeFigures::of(s, s.root().unwrap(), date(2010, 7, 2));
    assert_eq!(f.fulfilled_of(PledgeKind::Work), 1);
    assert_eq!(f.fulfilled_in_time, 0);
}

#[test]
fn a_pledge_without_targets_is_declared_fulfilled_by_its_reviewer() {
    let mut c = campaign();
    let mut content = content("义务劳动", date(2010, 12, 31));
    content.targets = Default::default();
    for cmd in [
        on(
            day(2),
            member("m-3"),
            Event::DraftPledge(chuangzheng::pledge::DraftPledge {
                id: id("p-t"),
                owner: OwnerRef::Member(id("m-3")),
                kind: PledgeKind::PracticalMatter,
                focus: Focus::MassesWishes,
                carrier: None,
                content,
            }),
        ),
        submit(day(2), member("m-3"), "p-t"),
        approve(day(3), org("v-1"), "p-t"),
        publish(day(4), member("m-3"), "p-t"),
    ] {
        c.execute(&cmd).unwrap();
    }
    refused(&mut c, fulfil(day(9), member("m-3"), "p-t"), 3004);
    c.execute(&fulfil(day(9), org("v-1"), "p-t")).unwrap();
}

#[test]
fn fulfilment_records_carry_bounded_outputs() {
    let mut c = published();
    let me = || member("m-3");
    refused(
        &mut c,
        record(date(2010, 6, 1), me(), "p-1", outputs(0, "0")),
        1001,
    );
    refused(
        &mut c,
        record(date(2010, 6, 1), me(), "p-1", outputs(1_000_000_001, "0")),
        1013,
    );
    refused(&mut c, record(day(7), me(), "p-1", outputs(1, "0")), 3013);
    c.execute(&record(
        date(2010, 6, 1),
        me(),
        "p-1",
        outputs(3, "1500.50"),
    ))
    .unwrap();
    refused(
        &mut c,
        record(date(2010, 5, 31), me(), "p-1", outputs(1, "0")),
        3013,
    );
    // An amount as a JSON number is refused when the command is read.
    let json = r#"{"at":"2010-06-02","actor":{"member":"m-3"},"event":{"record_fulfilment":{"pledge":"p-1","outputs":{"benefit_yuan":12.5}}}}"#;
    assert_eq!(Command::from_json(json).unwrap_err().code(), 3001);
    let json = r#"{"at":"2010-06-02","actor":{"member":"m-3"},"event":{"record_fulfilment":{"pledge":"p-1","outputs":{"benefit_yuan":"12.5","clinics_held":1}}}}"#;
    c.execute(&Command::from_json(json).unwrap()).unwrap();
    let s = c.state();
    let p = s.pledge(s.pledge_by_id("p-1").unwrap());
    let sum = p.outputs_by(date(2010, 6, 2)).unwrap();
    assert_eq!(sum.problems_solved, 3);
    assert_eq!(sum.clinics_held, 1);
    assert_eq!(sum.benefit_yuan.to_string(), "1513");
}

#[test]
fn closing_needs_the_reviewer_and_a_public_explanation() {
    use chuangzheng::pledge::Closing;
    let mut c = published();
    refused(
        &mut c,
        close(day(20), member("m-3"), "p-1", Closing::Withdrawn),
        3004,
    );
    refused(
        &mut c,
        close(day(20), org("v-2"), "p-1", Closing::Withdrawn),
        3004,
    );
    let by_owner = Actor::Org {
        org: id("v-1"),
        by: Some(id("m-3")),
    };
    // m-3 is not a cadre, so acting for v-1 is refused before anything else.
    refused(
        &mut c,
        close(day(20), by_owner, "p-1", Closing::Withdrawn),
        3005,
    );
    // A blank explanation cannot be built, nor read from a host's JSON.
    let e = chuangzheng::model::LongText::new("event.explanation", " ").unwrap_err();
    assert_eq!(e.code(), 1001);
    let json = r#"{"at":"2010-05-20","actor":{"org":"v-1"},"event":{"close_pledge":{"pledge":"p-1","closing":"unfulfilled","explanation":" "}}}"#;
    let e = Command::from_json(json).unwrap_err();
    assert_eq!(e.code(), 3001);
    assert!(
        e.message_en().contains("event.close_pledge.explanation"),
        "{e}"
    );
    refused(
        &mut c,
        close(day(7), org("v-1"), "p-1", Closing::Withdrawn),
        3013,
    );
    c.execute(&close(day(20), org("v-1"), "p-1", Closing::Unfulfilled))
        .unwrap();
    refused(
        &mut c,
        close(day(21), org("v-1"), "p-1", Closing::Withdrawn),
        3016,
    );
    let s = c.state();
    let p = s.pledge(s.pledge_by_id("p-1").unwrap());
    assert_eq!(p.status.current().status, PledgeStatus::Unfulfilled);
    assert!(p.explanation.as_deref().unwrap().contains("说明"));
    // Still counted as made, not as fulfilled.
    let f = PledgeFigures::of(s, s.root().unwrap(), day(20));
    assert_eq!(f.made(), 1);
    assert_eq!(f.fulfilled_of(PledgeKind::PracticalMatter), 0);
    assert_eq!(f.in_status(PledgeStatus::Unfulfilled), 1);
}

#[test]
fn monthly_report_gaps_list_missing_and_late_months() {
    use chuangzheng::report::report_gaps;
    let mut c = published();
    let me = || member("m-3");
    // May reported on time (due 06-05), June late (due 07-05, filed 07-09), July never.
    c.execute(&progress(
        date(2010, 6, 5),
        me(),
        "p-1",
        "2010-05",
        &[(0, "1")],
    ))
    .unwrap();
    c.execute(&progress(
        date(2010, 7, 9),
        me(),
        "p-1",
        "2010-06",
        &[(0, "2")],
    ))
    .unwrap();
    let s = c.state();
    let rules = c.rules();
    let root = s.root().unwrap();
    let gaps = |d: Date| -> Vec<(String, Option<Date>)> {
        report_gaps(s, rules, root, d)
            .into_iter()
            .map(|g| (g.month.to_string(), g.filed))
            .collect()
    };
    // Before June's due day nothing is owed; on it, still not (due means by that day).
    assert_eq!(gaps(date(2010, 7, 5)), vec![]);
    // After it, June is missing until filed, then late.
    assert_eq!(gaps(date(2010, 7, 6)), vec![("2010-06".into(), None)]);
    assert_eq!(
        gaps(date(2010, 7, 9)),
        vec![("2010-06".into(), Some(date(2010, 7, 9)))]
    );
    assert_eq!(
        gaps(date(2010, 8, 6)),
        vec![
            ("2010-06".into(), Some(date(2010, 7, 9))),
            ("2010-07".into(), None)
        ]
    );
    // A due day from the rules.
    let mut rules = RuleSet::default();
    rules.pledge_monitoring.report_due_day = 10;
    assert!(report_gaps(s, &rules, root, date(2010, 7, 10)).is_empty());
    // Only the subtree asked for.
    let d01 = s.org_by_id("d-01").unwrap();
    assert!(report_gaps(s, c.rules(), d01, date(2010, 8, 6)).is_empty());
    // Once fulfilled, later months are not owed.
    let mut c2 = published();
    c2.execute(&progress(
        date(2010, 6, 1),
        me(),
        "p-1",
        "2010-05",
        &[(0, "30"), (1, "10000")],
    ))
    .unwrap();
    c2.execute(&fulfil(date(2010, 6, 1), me(), "p-1")).unwrap();
    let s2 = c2.state();
    assert!(report_gaps(s2, c2.rules(), s2.root().unwrap(), date(2010, 12, 1)).is_empty());
}

#[test]
fn carrier_outputs_and_completion_roll_up_and_merge() {
    let mut c = campaign();
    // m-3 (farmer, 设岗定责) and m-5 (organ, 双岗双责) each make two practical pledges; one of
    // each is fulfilled; each records outputs.
    for (m, reviewer) in [("m-3", "v-1"), ("m-5", "o-1")] {
        for n in 0..2 {
            let p = format!("{m}-{n}");
            for cmd in [
                draft(day(2), member(m), &p, OwnerRef::Member(id(m))),
                submit(day(2), member(m), &p),
                approve(day(3), org(reviewer), &p),
                publish(day(4), member(m), &p),
                record(day(10), member(m), &p, outputs(2 + n, "100")),
            ] {
                c.execute(&cmd).unwrap();
            }
        }
        let done = format!("{m}-0");
        c.execute(&progress(
            day(20),
            member(m),
            &done,
            "2010-05",
            &[(0, "30"), (1, "10000")],
        ))
        .unwrap();
        c.execute(&fulfil(day(20), member(m), &done)).unwrap();
    }
    let s = c.state();
    let root = s.root().unwrap();
    let f = PledgeFigures::of(s, root, day(20));
    assert_eq!(f.made_of(PledgeKind::PracticalMatter), 4);
    assert_eq!(f.fulfilled_of(PledgeKind::PracticalMatter), 2);
    let rate = f.completion_rate(PledgeKind::PracticalMatter).unwrap();
    assert_eq!((rate.numerator(), rate.denominator()), (2, 4));
    assert_eq!(rate.to_decimal(4).to_string(), "0.5");
    assert_eq!(f.completion_rate(PledgeKind::Work), None);
    let farm = f.outputs_of(Carrier::SetPostDuty);
    assert_eq!(farm.count("problems_solved"), Some(5));
    assert_eq!(farm.benefit_yuan().to_string(), "200");
    assert_eq!(
        f.outputs_of(Carrier::DualPost).count("problems_solved"),
        Some(5)
    );
    assert_eq!(
        f.outputs_of(Carrier::VanguardPost).count("problems_solved"),
        Some(0)
    );
    assert_eq!(farm.count("no_such_output"), None);
    // Records dated after the as-of date are not counted.
    let early = PledgeFigures::of(s, root, day(9));
    assert_eq!(
        early
            .outputs_of(Carrier::SetPostDuty)
            .count("problems_solved"),
        Some(0)
    );
    // The parts merge into the whole.
    let mut merged = PledgeFigures::default();
    for &child in s.children(root) {
        merged.merge(&PledgeFigures::of(s, child, day(20)));
    }
    assert_eq!(merged, f);
}

// ---------------------------------------------------------------- quarterly assessment (促诺)

fn urge(
    d: Date,
    actor: Actor,
    pledge: &str,
    quarter: &str,
    standing: chuangzheng::pledge::Standing,
) -> Command {
    on(
        d,
        actor,
        Event::UrgePledge(chuangzheng::pledge::UrgePledge {
            pledge: id(pledge),
            quarter: quarter.parse().unwrap(),
            standing,
        }),
    )
}

/// p-1 published on 05-08 with deadline 12-31 (237 days); June's report at 30 %.
fn reported_in_june() -> Campaign {
    let mut c = published();
    c.execute(&progress(
        date(2010, 7, 2),
        member("m-3"),
        "p-1",
        "2010-06",
        &[(0, "9"), (1, "3000")],
    ))
    .unwrap();
    c
}

fn assessment(c: &Campaign, quarter: &str, as_of: Date) -> chuangzheng::pledge::Assessment {
    let s = c.state();
    let p = s.pledge(s.pledge_by_id("p-1").unwrap());
    chuangzheng::pledge::assess(
        p,
        quarter.parse().unwrap(),
        as_of,
        &c.rules().pledge_monitoring,
    )
    .expect("assessed")
}

#[test]
fn quarter_ends_judge_progress_against_the_linear_expectation() {
    use chuangzheng::pledge::Standing;
    let c = reported_in_june();
    // Q2: expected 53/237 of the way; actual min(9/30, 3000/10000) = 0.3: on track.
    let q2 = assessment(&c, "2010-Q2", date(2010, 7, 5));
    assert_eq!(q2.actual.to_string(), "0.3");
    assert_eq!(
        q2.expected,
        rust_decimal::Decimal::from(53) / rust_decimal::Decimal::from(237)
    );
    assert_eq!(q2.standing, Standing::OnTrack);
    // Q3 with no report since June: expected 145/237 ≈ 0.61, actual still 0.3: stalled.
    let q3 = assessment(&c, "2010-Q3", date(2010, 10, 6));
    assert_eq!(q3.standing, Standing::Stalled);
    // Some progress in the quarter, still below 80 % of the expectation: lagging.
    let mut c2 = reported_in_june();
    c2.execute(&progress(
        date(2010, 10, 3),
        member("m-3"),
        "p-1",
        "2010-09",
        &[(0, "12"), (1, "4000")],
    ))
    .unwrap();
    let q3 = assessment(&c2, "2010-Q3", date(2010, 10, 6));
    assert_eq!(q3.actual.to_string(), "0.4");
    assert_eq!(q3.standing, Standing::Lagging);
    // September's report filed in October counts for Q3; a report for October does not.
    c2.execute(&progress(
        date(2010, 11, 2),
        member("m-3"),
        "p-1",
        "2010-10",
        &[(0, "30"), (1, "10000")],
    ))
    .unwrap();
    assert_eq!(
        assessment(&c2, "2010-Q3", date(2010, 11, 2)).standing,
        Standing::Lagging
    );
    // Not assessed: a month, before the quarter's end, before publication.
    let s = c2.state();
    let p = s.pledge(s.pledge_by_id("p-1").unwrap());
    let rules = &c2.rules().pledge_monitoring;
    let q = |t: &str| t.parse().unwrap();
    assert!(chuangzheng::pledge::assess(p, q("2010-09"), date(2010, 10, 6), rules).is_none());
    assert!(chuangzheng::pledge::assess(p, q("2010-Q3"), date(2010, 9, 29), rules).is_none());
    assert!(chuangzheng::pledge::assess(p, q("2010-Q1"), date(2010, 10, 6), rules).is_none());
}

#[test]
fn milestones_set_the_expectation() {
    use chuangzheng::pledge::{Milestone, Standing};
    let mut c = campaign();
    let content = content("甜瓜", date(2010, 12, 31))
        .with_milestones(vec![
            Milestone {
                by: date(2010, 9, 30),
                percent: 50,
            },
            Milestone {
                by: date(2010, 12, 31),
                percent: 100,
            },
        ])
        .unwrap();
    for cmd in [
        on(
            day(2),
            member("m-3"),
            Event::DraftPledge(chuangzheng::pledge::DraftPledge {
                id: id("p-1"),
                owner: OwnerRef::Member(id("m-3")),
                kind: PledgeKind::PracticalMatter,
                focus: Focus::OwnSituation,
                carrier: None,
                content,
            }),
        ),
        submit(day(3), member("m-3"), "p-1"),
        approve(day(4), org("v-1"), "p-1"),
        publish(day(8), member("m-3"), "p-1"),
        progress(
            date(2010, 7, 2),
            member("m-3"),
            "p-1",
            "2010-06",
            &[(0, "3"), (1, "1000")],
        ),
        progress(
            date(2010, 10, 3),
            member("m-3"),
            "p-1",
            "2010-09",
            &[(0, "12"), (1, "4000")],
        ),
    ] {
        c.execute(&cmd).unwrap();
    }
    // Q2: no milestone passed yet, nothing expected: on track.
    let q2 = assessment(&c, "2010-Q2", date(2010, 7, 5));
    assert_eq!(q2.expected.to_string(), "0");
    assert_eq!(q2.standing, Standing::OnTrack);
    // Q3: 50 % expected, 0.4 done: 0.4 ≥ 0.8 × 0.5, on track (linearly it would lag).
    let q3 = assessment(&c, "2010-Q3", date(2010, 10, 6));
    assert_eq!(q3.expected.to_string(), "0.5");
    assert_eq!(q3.standing, Standing::OnTrack);
}

#[test]
fn urging_records_the_computed_standing_once_per_quarter() {
    use chuangzheng::pledge::Standing;
    use chuangzheng::report::{quarter_assessments, to_urge};
    let mut c = reported_in_june();
    let after = date(2010, 10, 6);
    // The list of pledges to urge, computed by the library.
    let s = c.state();
    let root = s.root().unwrap();
    let q3: chuangzheng::model::Period = "2010-Q3".parse().unwrap();
    assert_eq!(quarter_assessments(s, c.rules(), root, q3, after).len(), 1);
    let list = to_urge(s, c.rules(), root, q3, after);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].1.standing, Standing::Stalled);
    // Only the reviewer (or above) urges; the standing must be the computed one; not before
    // the quarter's end; a quarter, not a month; once.
    refused(
        &mut c,
        urge(after, member("m-3"), "p-1", "2010-Q3", Standing::Stalled),
        3004,
    );
    refused(
        &mut c,
        urge(after, org("v-2"), "p-1", "2010-Q3", Standing::Stalled),
        3004,
    );
    refused(
        &mut c,
        urge(after, org("v-1"), "p-1", "2010-Q3", Standing::Lagging),
        3023,
    );
    refused(
        &mut c,
        urge(after, org("v-1"), "p-1", "2010-Q2", Standing::Stalled),
        3023,
    );
    refused(
        &mut c,
        urge(after, org("v-1"), "p-1", "2010-09", Standing::Stalled),
        3023,
    );
    refused(
        &mut c,
        urge(
            date(2010, 9, 29),
            org("v-1"),
            "p-1",
            "2010-Q3",
            Standing::Stalled,
        ),
        3013,
    );
    c.execute(&urge(
        after,
        org("t-01"),
        "p-1",
        "2010-Q3",
        Standing::Stalled,
    ))
    .unwrap();
    refused(
        &mut c,
        urge(after, org("v-1"), "p-1", "2010-Q3", Standing::Stalled),
        3014,
    );
    let s = c.state();
    let p = s.pledge(s.pledge_by_id("p-1").unwrap());
    assert_eq!(p.urges.len(), 1);
    assert_eq!(p.urges[0].assessment.standing, Standing::Stalled);
    assert!(to_urge(s, c.rules(), root, q3, after).is_empty());
    // The urge survives replay through a snapshot.
    let loaded = Campaign::from_snapshot_json(&c.snapshot_json()).unwrap();
    assert_eq!(loaded.state_json(), c.state_json());
}

// ---------------------------------------------------------------- evaluation inputs (评诺)

fn evaluate(
    d: Date,
    actor: Actor,
    year: &str,
    survey: Option<chuangzheng::pledge::Survey>,
    spot_check: Option<bool>,
    correction: bool,
) -> Command {
    on(
        d,
        actor,
        Event::RecordEvaluation(chuangzheng::pledge::RecordEvaluation {
            pledge: id("p-1"),
            year: year.parse().unwrap(),
            survey,
            members: None,
            organization: None,
            spot_check: spot_check.map(|passed| chuangzheng::pledge::SpotCheck {
                passed,
                note: Some(long_text("入户核实")),
            }),
            correction,
        }),
    )
}

fn survey(a: u64, b: u64, c: u64, d: u64) -> Option<chuangzheng::pledge::Survey> {
    Some(chuangzheng::pledge::Survey {
        satisfied: a,
        fairly_satisfied: b,
        basically_satisfied: c,
        dissatisfied: d,
    })
}

#[test]
fn evaluation_inputs_are_recorded_by_the_reviewer_once_a_year() {
    let end = date(2010, 12, 20);
    // Not before publication.
    let mut draft_only = campaign();
    draft_only
        .execute(&draft(
            day(2),
            member("m-3"),
            "p-1",
            OwnerRef::Member(id("m-3")),
        ))
        .unwrap();
    refused(
        &mut draft_only,
        evaluate(end, org("v-1"), "2010", survey(1, 0, 0, 0), None, false),
        3016,
    );

    let mut c = published();
    // The reviewer, not the owner, not a sibling.
    refused(
        &mut c,
        evaluate(end, member("m-3"), "2010", survey(1, 0, 0, 0), None, false),
        3004,
    );
    refused(
        &mut c,
        evaluate(end, org("v-2"), "2010", survey(1, 0, 0, 0), None, false),
        3004,
    );
    // Something must be recorded; a survey with answers, bounded.
    refused(
        &mut c,
        evaluate(end, org("v-1"), "2010", None, None, false),
        1001,
    );
    refused(
        &mut c,
        evaluate(end, org("v-1"), "2010", survey(0, 0, 0, 0), None, false),
        1009,
    );
    refused(
        &mut c,
        evaluate(
            end,
            org("v-1"),
            "2010",
            survey(10_000_001, 0, 0, 0),
            None,
            false,
        ),
        1009,
    );
    // A year, between publication's and the command's.
    refused(
        &mut c,
        evaluate(end, org("v-1"), "2011", survey(1, 0, 0, 0), None, false),
        1013,
    );
    refused(
        &mut c,
        evaluate(end, org("v-1"), "2009", survey(1, 0, 0, 0), None, false),
        1013,
    );
    refused(
        &mut c,
        evaluate(end, org("v-1"), "2010-Q4", survey(1, 0, 0, 0), None, false),
        1013,
    );
    refused(
        &mut c,
        evaluate(end, org("v-1"), "2010", survey(1, 0, 0, 0), None, true),
        3022,
    );
    c.execute(&evaluate(
        end,
        org("v-1"),
        "2010",
        survey(40, 8, 2, 0),
        Some(true),
        false,
    ))
    .unwrap();
    refused(
        &mut c,
        evaluate(end, org("v-1"), "2010", survey(1, 0, 0, 0), None, false),
        3022,
    );
    c.execute(&evaluate(
        date(2010, 12, 21),
        org("t-01"),
        "2010",
        survey(41, 8, 1, 0),
        Some(true),
        true,
    ))
    .unwrap();
    let s = c.state();
    let p = s.pledge(s.pledge_by_id("p-1").unwrap());
    assert_eq!(p.evaluations.len(), 2, "the corrected record is kept");
    let e = p.evaluation_for("2010".parse().unwrap()).unwrap();
    assert_eq!(e.survey.unwrap().satisfied, 41);
    assert_eq!(e.survey.unwrap().total(), 50);
    assert!(e.spot_check.as_ref().unwrap().passed);
    assert!(p.evaluation_for("2011".parse().unwrap()).is_none());
    // Read from JSON too.
    let json = r#"{"at":"2011-01-05","actor":{"org":"v-1"},"event":{"record_evaluation":{"pledge":"p-1","year":"2011","spot_check":{"passed":false}}}}"#;
    c.execute(&Command::from_json(json).unwrap()).unwrap();
}

#[test]
fn the_members_and_organizations_surveys_are_checked_too() {
    let mut c = published();
    let with = |members: Option<chuangzheng::pledge::Survey>, organization| {
        on(
            date(2010, 12, 20),
            org("v-1"),
            Event::RecordEvaluation(chuangzheng::pledge::RecordEvaluation {
                pledge: id("p-1"),
                year: "2010".parse().unwrap(),
                survey: None,
                members,
                organization,
                spot_check: None,
                correction: false,
            }),
        )
    };
    let err = c.execute(&with(survey(0, 0, 0, 0), None)).unwrap_err();
    assert_eq!(err.code(), 1009);
    assert!(err.message_en().contains("event.members"), "{err}");
    let err = c.execute(&with(None, survey(0, 0, 0, 0))).unwrap_err();
    assert!(err.message_en().contains("event.organization"), "{err}");
    // The members' survey alone is an evaluation input.
    c.execute(&with(survey(9, 1, 0, 0), None)).unwrap();
}

/// A long text for a command built in Rust; the tests' texts are within bounds.
fn long_text(s: &str) -> chuangzheng::model::LongText {
    chuangzheng::model::LongText::new("test", s).unwrap()
}

/// A bounded list for a command built in Rust; the tests' lists are within bounds.
fn bounded<T, const MAX: usize>(items: Vec<T>) -> chuangzheng::model::Bounded<T, MAX> {
    chuangzheng::model::Bounded::new("test", items).unwrap()
}
