//! Member evaluation (一报告四评议) through the ledger: inputs, refusals, and grades worked out
//! by hand.

use chuangzheng::Coded;
use chuangzheng::evaluation::{Ballots, Outcome};
use chuangzheng::ledger::{Actor, Campaign, CampaignInfo, Command, Event};
use chuangzheng::model::{ExtId, LeaderLevel, MemberCategory, Name, OrgKind, Role, Stamp};
use chuangzheng::report::member_grades;
use chuangzheng::rules::{Grade, RuleSet};
use jiff::civil::{Date, date};
use rust_decimal::Decimal;

fn id(s: &str) -> ExtId {
    ExtId::new("test", s).unwrap()
}

fn name(s: &str) -> Name {
    Name::new("test", s).unwrap()
}

const D0: Date = date(2010, 5, 1);
const END: Date = date(2010, 12, 20);

fn on(d: Date, actor: &str, event: Event) -> Command {
    Command::new(Stamp::on(d), Actor::org(&id(actor)), event)
}

/// city ── t-01 ── v-1 with m-1 (secretary), m-2 (committee member), m-3 … m-6.
fn campaign() -> Campaign {
    let mut c = Campaign::in_memory(
        CampaignInfo {
            id: id("eval"),
            name: name("评议测试"),
        },
        RuleSet::default(),
    )
    .unwrap();
    let create = |new: &str, kind, parent: Option<&str>| {
        on(
            D0,
            "city",
            Event::CreateOrg(chuangzheng::org::CreateOrg {
                id: id(new),
                name: name(new),
                kind,
                parent: parent.map(id),
            }),
        )
    };
    let mut cmds = vec![
        create("city", OrgKind::CityCommittee, None),
        create("t-01", OrgKind::TownshipCommittee, Some("city")),
        create("v-1", OrgKind::Village, Some("t-01")),
    ];
    for (i, role) in [
        Role::Secretary,
        Role::CommitteeMember,
        Role::Ordinary,
        Role::Ordinary,
        Role::Ordinary,
        Role::Ordinary,
    ]
    .into_iter()
    .enumerate()
    {
        cmds.push(on(
            D0,
            "v-1",
            Event::AddMember(chuangzheng::org::AddMember {
                id: id(&format!("m-{}", i + 1)),
                org: id("v-1"),
                category: MemberCategory::Farmer,
                role,
                leader_level: LeaderLevel::None,
            }),
        ));
    }
    for cmd in &cmds {
        c.execute(cmd).unwrap();
    }
    c
}

fn score(s: &str) -> Option<Ballots> {
    Some(Ballots::Score(s.parse().unwrap()))
}

fn counts(e: u64, q: u64, b: u64, u: u64) -> Option<Ballots> {
    Some(Ballots::Counts {
        excellent: e,
        qualified: q,
        basically_qualified: b,
        unqualified: u,
    })
}

#[allow(clippy::too_many_arguments)]
fn evaluation(
    m: &str,
    round: &str,
    report: Option<Date>,
    ballots: [Option<Ballots>; 4],
    sanctioned: bool,
    correction: bool,
) -> Command {
    let [self_review, peers, masses, committee] = ballots;
    on(
        END,
        "v-1",
        Event::RecordMemberEvaluation(chuangzheng::evaluation::RecordMemberEvaluation {
            member: id(m),
            round: round.parse().unwrap(),
            report_submitted: report,
            self_review,
            peers,
            masses,
            committee,
            sanctioned,
            correction,
        }),
    )
}

fn all(s: &str) -> [Option<Ballots>; 4] {
    [score(s), score(s), score(s), score(s)]
}

const REPORT: Option<Date> = Some(date(2010, 12, 1));

/// The round of 2010 as the tests record it.
fn graded() -> Campaign {
    let mut c = campaign();
    for cmd in [
        // m-3: self 1 × 优秀 = 95; peers (4 × 95 + 80) / 5 = 92; masses (8 × 95 + 2 × 80) / 10
        // = 92; committee 94. Weighted 25 % each: (95 + 92 + 92 + 94) / 4 = 93.25 → 优秀 band.
        evaluation(
            "m-3",
            "2010",
            REPORT,
            [
                counts(1, 0, 0, 0),
                counts(4, 1, 0, 0),
                counts(8, 2, 0, 0),
                score("94"),
            ],
            false,
            false,
        ),
        // m-4 and m-5: 91 each → 优秀 band, a tie.
        evaluation("m-4", "2010", REPORT, all("91"), false, false),
        evaluation("m-5", "2010", REPORT, all("91"), false, false),
        // m-6: 95, but no report: at most 基本合格.
        evaluation("m-6", "2010", None, all("95"), false, false),
        // m-2: 95, but sanctioned: 不合格.
        evaluation("m-2", "2010", REPORT, all("95"), true, false),
        // m-1: no committee evaluation: pending.
        evaluation(
            "m-1",
            "2010",
            REPORT,
            [score("95"), score("95"), score("95"), None],
            false,
            false,
        ),
    ] {
        c.execute(&cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    }
    c
}

fn outcome_of(verdicts: &[chuangzheng::evaluation::MemberVerdict], m: &str) -> Outcome {
    verdicts
        .iter()
        .find(|v| v.member.as_str() == m)
        .unwrap()
        .outcome
}

#[test]
fn grades_follow_the_weights_bands_vetoes_and_cap() {
    let c = graded();
    let s = c.state();
    let v1 = s.org_by_id("v-1").unwrap();
    let verdicts = member_grades(s, c.rules(), v1, "2010".parse().unwrap());
    assert_eq!(verdicts.len(), 6);
    let m3 = verdicts
        .iter()
        .find(|v| v.member.as_str() == "m-3")
        .unwrap();
    assert_eq!(m3.score, Some("93.25".parse::<Decimal>().unwrap()));
    // Five graded (m-1 is pending): 33 % of 5 rounded down is 1 place for 优秀, which the
    // highest score (m-3) keeps; m-4 and m-5 become 合格.
    assert_eq!(
        outcome_of(&verdicts, "m-3"),
        Outcome::Graded(Grade::Excellent)
    );
    assert_eq!(
        outcome_of(&verdicts, "m-4"),
        Outcome::Graded(Grade::Qualified)
    );
    assert_eq!(
        outcome_of(&verdicts, "m-5"),
        Outcome::Graded(Grade::Qualified)
    );
    assert_eq!(
        outcome_of(&verdicts, "m-6"),
        Outcome::Graded(Grade::BasicallyQualified)
    );
    assert_eq!(
        outcome_of(&verdicts, "m-2"),
        Outcome::Graded(Grade::Unqualified)
    );
    assert_eq!(outcome_of(&verdicts, "m-1"), Outcome::Pending);
    // Each verdict names the rules that fired, in order.
    let rules_of = |m: &str| -> Vec<&str> {
        verdicts
            .iter()
            .find(|v| v.member.as_str() == m)
            .unwrap()
            .steps
            .iter()
            .map(|s| s.rule)
            .collect()
    };
    assert_eq!(
        rules_of("m-4"),
        [
            "member_evaluation.grade_points",
            "member_evaluation.grade_points",
            "member_evaluation.grade_points",
            "member_evaluation.grade_points",
            "member_evaluation.bands",
            "member_evaluation.excellent_cap_percent"
        ]
    );
    assert!(rules_of("m-2").contains(&"member_evaluation.sanction_grade"));
    assert!(rules_of("m-6").contains(&"member_evaluation.no_report_max_grade"));
    assert_eq!(rules_of("m-1"), ["member_evaluation.weights_percent"]);
    let m6 = verdicts
        .iter()
        .find(|v| v.member.as_str() == "m-6")
        .unwrap();
    assert!(m6.to_string().contains("未提交党性分析报告"));
    assert!(m6.to_string().contains("no party-spirit report"));
    // Every step's Chinese is written with full-width punctuation, as a 公文 writes it.
    for v in &verdicts {
        for step in &v.steps {
            assert!(
                !step.zh.contains([',', ';', '(', ')']),
                "{}: {}",
                v.member,
                step.zh
            );
        }
    }
}

#[test]
fn ties_for_the_last_place_go_by_identifier_and_what_if_changes_nothing() {
    let c = graded();
    let s = c.state();
    let v1 = s.org_by_id("v-1").unwrap();
    let before = c.state_json();
    // Under a 50 % cap: 2 places: m-3 (93.25), then m-4 and m-5 tie at 91 — m-4 first by id.
    let mut generous = RuleSet::default();
    generous.member_evaluation.excellent_cap_percent = 50;
    let verdicts = member_grades(s, &generous, v1, "2010".parse().unwrap());
    assert_eq!(
        outcome_of(&verdicts, "m-3"),
        Outcome::Graded(Grade::Excellent)
    );
    assert_eq!(
        outcome_of(&verdicts, "m-4"),
        Outcome::Graded(Grade::Excellent)
    );
    assert_eq!(
        outcome_of(&verdicts, "m-5"),
        Outcome::Graded(Grade::Qualified)
    );
    let m5 = verdicts
        .iter()
        .find(|v| v.member.as_str() == "m-5")
        .unwrap();
    assert!(m5.steps.last().unwrap().en.contains("ties by id"));
    // Other weights: the committee alone decides: m-3 scores 94.
    let mut committee_only = RuleSet::default();
    committee_only.member_evaluation.weights_percent.self_review = 0;
    committee_only.member_evaluation.weights_percent.peers = 0;
    committee_only.member_evaluation.weights_percent.masses = 0;
    committee_only.member_evaluation.weights_percent.committee = 100;
    let verdicts = member_grades(s, &committee_only, v1, "2010".parse().unwrap());
    let m3 = verdicts
        .iter()
        .find(|v| v.member.as_str() == "m-3")
        .unwrap();
    assert_eq!(m3.score, Some(Decimal::from(94)));
    // The campaign is untouched by what-ifs.
    assert_eq!(c.state_json(), before);
}

#[test]
fn corrections_replace_the_inputs_graded_and_keep_the_first() {
    let mut c = graded();
    c.execute(&evaluation("m-6", "2010", REPORT, all("95"), false, true))
        .unwrap();
    let s = c.state();
    let v1 = s.org_by_id("v-1").unwrap();
    let verdicts = member_grades(s, c.rules(), v1, "2010".parse().unwrap());
    // With the report now in, m-6 (95) outranks m-3 (93.25) for the one place.
    assert_eq!(
        outcome_of(&verdicts, "m-6"),
        Outcome::Graded(Grade::Excellent)
    );
    assert_eq!(
        outcome_of(&verdicts, "m-3"),
        Outcome::Graded(Grade::Qualified)
    );
    assert_eq!(s.member_evaluations().len(), 7);
}

#[test]
fn bad_inputs_are_refused_and_change_nothing() {
    let mut c = graded();
    let cases: Vec<(Command, u32)> = vec![
        // Already recorded for the round; a correction with nothing to correct.
        (
            evaluation("m-3", "2010", REPORT, all("90"), false, false),
            3022,
        ),
        (
            evaluation("m-3", "2009", REPORT, all("90"), false, true),
            3022,
        ),
        // Ballots beyond the electorate: one self ballot; five fellow members.
        (
            evaluation(
                "m-3",
                "2009",
                REPORT,
                [counts(2, 0, 0, 0), score("90"), score("90"), score("90")],
                false,
                false,
            ),
            1009,
        ),
        (
            evaluation(
                "m-3",
                "2009",
                REPORT,
                [score("90"), counts(6, 0, 0, 0), score("90"), score("90")],
                false,
                false,
            ),
            1009,
        ),
        (
            evaluation(
                "m-3",
                "2009",
                REPORT,
                [score("90"), counts(0, 0, 0, 0), score("90"), score("90")],
                false,
                false,
            ),
            1009,
        ),
        // Scores out of range or too precise.
        (
            evaluation("m-3", "2009", REPORT, all("100.5"), false, false),
            1009,
        ),
        (
            evaluation("m-3", "2009", REPORT, all("90.125"), false, false),
            1006,
        ),
        // A round that is not a year, or after the command's year; a report from the future.
        (
            evaluation("m-3", "2010-Q4", REPORT, all("90"), false, false),
            1013,
        ),
        (
            evaluation("m-3", "2011", REPORT, all("90"), false, false),
            1013,
        ),
        (
            evaluation(
                "m-3",
                "2009",
                Some(date(2010, 12, 21)),
                all("90"),
                false,
                false,
            ),
            3013,
        ),
        (
            evaluation("m-99", "2009", REPORT, all("90"), false, false),
            3002,
        ),
    ];
    for (cmd, code) in cases {
        let before = (c.state_json(), c.seq(), c.last_hash());
        let err = c.execute(&cmd).expect_err("accepted");
        assert_eq!(err.code(), code, "{err}");
        assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
    }
    // The township above may record it too.
    let mut other = evaluation("m-3", "2009", REPORT, all("90"), false, false);
    other.actor = Actor::org(&id("t-01"));
    c.execute(&other).unwrap();
    // The records survive a snapshot.
    let loaded = Campaign::from_snapshot_json(&c.snapshot_json()).unwrap();
    assert_eq!(loaded.state_json(), c.state_json());
}

#[test]
fn ballots_read_from_json() {
    let json = r#"{"at":"2010-12-20","actor":{"org":"v-1"},"event":{"record_member_evaluation":{"member":"m-3","round":"2010","report_submitted":"2010-12-01","self_review":{"score":"95"},"peers":{"counts":{"excellent":4,"qualified":1}},"masses":{"counts":{"excellent":8,"qualified":2}},"committee":{"score":"94"}}}}"#;
    let cmd = Command::from_json(json).unwrap();
    assert_eq!(Command::from_json(&cmd.to_json()).unwrap(), cmd);
    let mut c = campaign();
    c.execute(&cmd).unwrap();
    let s = c.state();
    let verdicts = member_grades(
        s,
        c.rules(),
        s.org_by_id("v-1").unwrap(),
        "2010".parse().unwrap(),
    );
    assert_eq!(verdicts[0].score, Some("93.25".parse::<Decimal>().unwrap()));
    let float = json.replace(r#"{"score":"94"}"#, r#"{"score":94}"#);
    assert_eq!(Command::from_json(&float).unwrap_err().code(), 3001);
}

// ---------------------------------------------------------------- pledge rating (评诺)

use chuangzheng::pledge::rate_pledge;
use chuangzheng::pledge::{Focus, Goal, OwnerRef, PledgeContent, PledgeKind, Survey, Target};
use chuangzheng::rules::{Completion, Rating};

fn pledge_steps(fulfil_on: Option<Date>) -> Vec<Command> {
    let member =
        |d: Date, event| Command::new(Stamp::on(d), Actor::Member { member: id("m-3") }, event);
    let content = PledgeContent::new(
        name("甜瓜"),
        "带动群众种植保护地甜瓜",
        date(2010, 10, 31),
        vec![Target::new("户数", "户", Goal::exact("g", "30").unwrap()).unwrap()],
    )
    .unwrap();
    let mut cmds = vec![
        member(
            date(2010, 5, 2),
            Event::DraftPledge(chuangzheng::pledge::DraftPledge {
                id: id("p-1"),
                owner: OwnerRef::Member(id("m-3")),
                kind: PledgeKind::PracticalMatter,
                focus: Focus::OwnSituation,
                carrier: None,
                content,
            }),
        ),
        member(
            date(2010, 5, 3),
            Event::SubmitPledge(chuangzheng::pledge::SubmitPledge { pledge: id("p-1") }),
        ),
        on(
            date(2010, 5, 4),
            "v-1",
            Event::ReviewPledge(chuangzheng::pledge::ReviewPledge {
                pledge: id("p-1"),
                decision: chuangzheng::pledge::ReviewDecision::Approve,
            }),
        ),
        member(
            date(2010, 5, 8),
            Event::PublishPledge(chuangzheng::pledge::PublishPledge { pledge: id("p-1") }),
        ),
    ];
    if let Some(d) = fulfil_on {
        cmds.push(member(
            d,
            Event::ReportProgress(chuangzheng::pledge::ReportProgress {
                pledge: id("p-1"),
                month: chuangzheng::model::Period::containing(
                    d,
                    chuangzheng::model::Granularity::Month,
                ),
                achieved: vec![chuangzheng::pledge::Achieved {
                    target: 0,
                    value: Decimal::from(30),
                }]
                .try_into()
                .unwrap(),
                note: None,
                correction: false,
            }),
        ));
        cmds.push(member(
            d,
            Event::FulfilPledge(chuangzheng::pledge::FulfilPledge { pledge: id("p-1") }),
        ));
    }
    cmds
}

fn masses(a: u64, b: u64, c: u64, d: u64) -> Option<Survey> {
    Some(Survey {
        satisfied: a,
        fairly_satisfied: b,
        basically_satisfied: c,
        dissatisfied: d,
    })
}

/// Rates p-1 for 2010 after the given fulfilment and evaluation inputs.
fn rating(
    fulfil_on: Option<Date>,
    survey: Option<Survey>,
    spot: Option<bool>,
    rules: &RuleSet,
) -> Option<(Rating, usize, Completion)> {
    let mut c = campaign();
    for cmd in pledge_steps(fulfil_on) {
        c.execute(&cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    }
    if survey.is_some() || spot.is_some() {
        c.execute(&on(
            END,
            "v-1",
            Event::RecordEvaluation(chuangzheng::pledge::RecordEvaluation {
                pledge: id("p-1"),
                year: "2010".parse().unwrap(),
                survey,
                members: None,
                organization: None,
                spot_check: spot
                    .map(|passed| chuangzheng::pledge::SpotCheck { passed, note: None }),
                correction: false,
            }),
        ))
        .unwrap();
    }
    let s = c.state();
    let p = s.pledge(s.pledge_by_id("p-1").unwrap());
    rate_pledge(p, "2010".parse().unwrap(), &rules.pledge_rating).map(|r| {
        assert_eq!(r.steps.len(), 2);
        assert!(r.steps[1].zh.contains(&format!("第 {} 行", r.row + 1)));
        (r.rating, r.row, r.completion)
    })
}

#[test]
fn the_default_table_rates_by_completion_satisfaction_and_spot_checks() {
    let rules = RuleSet::default();
    let in_time = Some(date(2010, 9, 1));
    let late = Some(date(2010, 11, 15));
    // 45 + 4 of 50 satisfied = 98 %, in time, spot check passed: row 1, 好.
    assert_eq!(
        rating(in_time, masses(45, 4, 1, 0), Some(true), &rules),
        Some((Rating::Good, 0, Completion::FulfilledInTime))
    );
    // Exactly 90 % (45 of 50) is enough: 45 × 100 = 4500 ≥ 90 × 50 = 4500.
    assert_eq!(
        rating(in_time, masses(45, 0, 5, 0), None, &rules).map(|r| r.0),
        Some(Rating::Good)
    );
    // 44 of 50 = 88 %: not 好; fulfilled and ≥ 75 %: 较好.
    assert_eq!(
        rating(in_time, masses(44, 0, 6, 0), None, &rules).map(|r| (r.0, r.1)),
        Some((Rating::FairlyGood, 1))
    );
    // A failed spot check blocks rows 1 and 2; 98 % ≥ 60 %: 一般.
    assert_eq!(
        rating(in_time, masses(45, 4, 1, 0), Some(false), &rules).map(|r| (r.0, r.1)),
        Some((Rating::Fair, 2))
    );
    // Fulfilled late with 98 %: 较好.
    assert_eq!(
        rating(late, masses(45, 4, 1, 0), None, &rules),
        Some((Rating::FairlyGood, 1, Completion::FulfilledLate))
    );
    // Still in progress at the year's end, 98 %: 一般.
    assert_eq!(
        rating(None, masses(45, 4, 1, 0), None, &rules),
        Some((Rating::Fair, 2, Completion::InProgress))
    );
    // 20 + 9 of 50 = 58 %: below every row's threshold: the default row, 差.
    assert_eq!(
        rating(in_time, masses(20, 9, 11, 10), None, &rules).map(|r| (r.0, r.1)),
        Some((Rating::Poor, 3))
    );
    // A spot check alone, no survey: the survey conditions do not hold: 差.
    assert_eq!(
        rating(in_time, None, Some(true), &rules).map(|r| r.0),
        Some(Rating::Poor)
    );
    // No evaluation inputs recorded: not rated.
    assert_eq!(rating(in_time, None, None, &rules), None);
}

#[test]
fn a_citys_own_table_is_a_what_if() {
    let table = r#"{"version":1,"name":"t","pledge_rating":{"rows":[
        {"when":{"spot_check":"failed"},"rating":"poor"},
        {"when":{"members_satisfied_percent":50},"rating":"good"},
        {"rating":"fair"}]}}"#;
    let rules = RuleSet::from_json(table).unwrap();
    let in_time = Some(date(2010, 9, 1));
    assert_eq!(
        rating(in_time, masses(45, 4, 1, 0), Some(false), &rules).map(|r| (r.0, r.1)),
        Some((Rating::Poor, 0))
    );
    // No members' survey: row 2's condition does not hold; the default: 一般.
    assert_eq!(
        rating(in_time, masses(45, 4, 1, 0), Some(true), &rules).map(|r| (r.0, r.1)),
        Some((Rating::Fair, 2))
    );
}

// ---------------------------------------------------------------- order independence

use proptest::prelude::*;

type Inputs = ([Option<u32>; 4], bool, bool);

fn inputs() -> impl Strategy<Value = Inputs> {
    // Scores in half points from 0 to 100; one evaluation in eight missing.
    let source = prop_oneof![1 => Just(None), 7 => (0u32..=200).prop_map(Some)];
    (
        [source.clone(), source.clone(), source.clone(), source],
        any::<bool>(),
        prop::bool::weighted(0.1),
    )
}

fn record(c: &mut Campaign, m: &str, (sources, report, sanctioned): &Inputs) {
    let b = |s: Option<u32>| s.map(|half| Ballots::Score(Decimal::new(i64::from(half) * 5, 1)));
    let cmd = evaluation(
        m,
        "2010",
        report.then_some(date(2010, 12, 1)),
        [b(sources[0]), b(sources[1]), b(sources[2]), b(sources[3])],
        *sanctioned,
        false,
    );
    c.execute(&cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// The grades do not depend on the order the inputs were recorded in; pending exactly when
    /// an evaluation is missing; no more 优秀 than the cap allows.
    #[test]
    fn grades_do_not_depend_on_input_order(
        all in prop::collection::vec(inputs(), 6),
        order in Just((0..6usize).collect::<Vec<_>>()).prop_shuffle(),
        cap in 0u32..=100,
    ) {
        let mut rules = RuleSet::default();
        rules.member_evaluation.excellent_cap_percent = cap;
        let grade_in = |order: &[usize]| {
            let mut c = campaign();
            for &i in order {
                record(&mut c, &format!("m-{}", i + 1), &all[i]);
            }
            let s = c.state();
            member_grades(s, &rules, s.org_by_id("v-1").unwrap(), "2010".parse().unwrap())
        };
        let straight = grade_in(&(0..6).collect::<Vec<_>>());
        let shuffled = grade_in(&order);
        prop_assert_eq!(&straight, &shuffled);
        let graded = straight.iter().filter(|v| v.outcome != Outcome::Pending).count() as u64;
        let excellent = straight
            .iter()
            .filter(|v| v.outcome == Outcome::Graded(Grade::Excellent))
            .count() as u64;
        prop_assert!(excellent <= graded * u64::from(cap) / 100);
        for (v, (sources, _, _)) in straight.iter().zip(&all) {
            prop_assert_eq!(v.outcome == Outcome::Pending, sources.iter().any(Option::is_none));
        }
    }
}

fn ballots() -> impl Strategy<Value = Option<Ballots>> {
    prop_oneof![
        1 => Just(None),
        4 => (0i64..=10_000).prop_map(|h| Some(Ballots::Score(Decimal::new(h, 2)))),
        4 => (0u64..50, 0u64..50, 0u64..50, 0u64..50).prop_filter_map("no ballots", |(e, q, b, u)| {
            (e + q + b + u > 0).then_some(Some(Ballots::Counts {
                excellent: e,
                qualified: q,
                basically_qualified: b,
                unqualified: u,
            }))
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    /// The compiled integer grading gives exactly the explained grading's outcome (before the
    /// cap), under the default rules and under other weights and bands.
    #[test]
    fn compiled_grading_equals_the_explained_one(
        sources in [ballots(), ballots(), ballots(), ballots()],
        report in any::<bool>(),
        sanctioned in prop::bool::weighted(0.1),
        weights in (0u32..=100, 0u32..=100, 0u32..=100).prop_filter("sum", |(a, b, c)| a + b + c <= 100),
        bands in (61u32..=100, 31u32..=60, 1u32..=30),
    ) {
        use chuangzheng::evaluation::{CompiledMemberRules, MemberEvaluationInputs, grade};
        let mut rules = RuleSet::default().member_evaluation;
        rules.weights_percent.self_review = weights.0;
        rules.weights_percent.peers = weights.1;
        rules.weights_percent.masses = weights.2;
        rules.weights_percent.committee = 100 - weights.0 - weights.1 - weights.2;
        rules.bands.excellent_from = bands.0;
        rules.bands.qualified_from = bands.1;
        rules.bands.basically_qualified_from = bands.2;
        let [self_review, peers, masses, committee] = sources;
        let inputs = MemberEvaluationInputs {
            member: chuangzheng::model::MemberIdx(0),
            org: chuangzheng::model::OrgIdx(0),
            round: "2010".parse().unwrap(),
            on: END,
            report_submitted: report.then_some(END),
            self_review,
            peers,
            masses,
            committee,
            sanctioned,
            correction: false,
        };
        let explained = grade(&id("m"), &inputs, &rules).outcome;
        let compiled = CompiledMemberRules::compile(&rules).grade(&inputs);
        prop_assert_eq!(compiled, Some(explained));
    }
}
