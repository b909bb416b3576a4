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
            Event::CreateOrg {
                id: id(new),
                name: name(new),
                kind,
                parent: parent.map(id),
            },
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
            Event::AddMember {
                id: id(&format!("m-{}", i + 1)),
                org: id("v-1"),
                category: MemberCategory::Farmer,
                role,
                leader_level: LeaderLevel::None,
            },
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
        Event::RecordMemberEvaluation {
            member: id(m),
            round: round.parse().unwrap(),
            report_submitted: report,
            self_review,
            peers,
            masses,
            committee,
            sanctioned,
            correction,
        },
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
