//! Reports read the organization tree as it stood on their as-of date, and the two readings
//! of where a record counts (issue 16 §1).
//!
//! A province with two cities; a village moves between townships on 31 December, is renamed
//! on 1 January, and its township moves to the other city on 2 January; a leading cadre is
//! promoted on 1 January. Each test names the day and the scope it looks at and what the
//! report must say there, computed by the engine from the records.

use chuangzheng::ledger::{Campaign, CampaignInfo, Command};
use chuangzheng::model::{ExtId, Name, OrgIdx};
use chuangzheng::report::{Figure, Reading, Span, StageReport, TreeSummary};
use chuangzheng::rules::RuleSet;
use jiff::civil::{Date, date};

const SETUP: &[&str] = &[
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"create_org":{"id":"p","name":"省委","kind":"province_committee"}}}"#,
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"create_org":{"id":"a","name":"甲市委","kind":"city_committee","parent":"p"}}}"#,
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"create_org":{"id":"b","name":"乙市委","kind":"city_committee","parent":"p"}}}"#,
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"create_org":{"id":"t-1","name":"一镇党委","kind":"township_committee","parent":"a"}}}"#,
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"create_org":{"id":"t-2","name":"二镇党委","kind":"township_committee","parent":"a"}}}"#,
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"create_org":{"id":"t-3","name":"三镇党委","kind":"township_committee","parent":"b"}}}"#,
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"create_org":{"id":"v-1","name":"一村党支部","kind":"village","parent":"t-1"}}}"#,
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"create_org":{"id":"v-2","name":"二村党支部","kind":"village","parent":"t-1"}}}"#,
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"create_org":{"id":"d-1","name":"市直机关工委","kind":"city_department","parent":"a"}}}"#,
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"create_org":{"id":"o-1","name":"机关一支部","kind":"organ","parent":"d-1"}}}"#,
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"add_member":{"id":"m-1","org":"v-1","category":"farmer","role":"secretary"}}}"#,
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"add_member":{"id":"m-2","org":"v-2","category":"farmer","role":"secretary"}}}"#,
    r#"{"at":"2026-11-01","actor":{"org":"p"},"event":{"add_member":{"id":"m-3","org":"o-1","category":"organ","role":"ordinary","leader_level":"section"}}}"#,
];

/// Records before and after each change, and the changes themselves.
const STORY: &[&str] = &[
    r#"{"at":"2026-12-10","actor":{"org":"p"},"event":{"record_reception":{"village":"v-1","cadres":["m-1"],"visitors":3}}}"#,
    r#"{"at":"2026-12-10","actor":{"org":"p"},"event":{"receive_hotline_case":{"id":"hl-1","org":"v-1","category":"roads","text":"修路"}}}"#,
    r#"{"at":"2026-12-20","actor":{"org":"p"},"event":{"record_reception":{"village":"v-2","cadres":["m-2"],"visitors":2}}}"#,
    r#"{"at":"2026-12-31","actor":{"org":"p"},"event":{"move_org":{"org":"v-1","parent":"t-2"}}}"#,
    r#"{"at":"2027-01-01","actor":{"org":"p"},"event":{"rename_org":{"org":"v-1","name":"新一村党支部"}}}"#,
    r#"{"at":"2027-01-01","actor":{"org":"p"},"event":{"set_leader_level":{"member":"m-3","leader_level":"city"}}}"#,
    r#"{"at":"2027-01-01","actor":{"org":"p"},"event":{"record_reception":{"village":"v-1","cadres":["m-1"],"visitors":4}}}"#,
    r#"{"at":"2027-01-02","actor":{"org":"p"},"event":{"move_org":{"org":"t-1","parent":"b"}}}"#,
];

fn campaign(lines: &[&str]) -> Campaign {
    let info = CampaignInfo {
        id: ExtId::new("id", "prov-2026").unwrap(),
        name: Name::new("name", "全省创先争优").unwrap(),
    };
    let mut c = Campaign::in_memory(info, RuleSet::default()).unwrap();
    for line in SETUP.iter().chain(lines) {
        let cmd = Command::from_json(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        c.execute(&cmd)
            .unwrap_or_else(|e| panic!("{line} refused: {e}"));
    }
    c
}

fn org(c: &Campaign, id: &str) -> OrgIdx {
    c.state().org_by_id(id).unwrap_or_else(|| panic!("no {id}"))
}

fn report(c: &Campaign, scope: &str, as_of: Date, reading: Reading) -> StageReport {
    StageReport::build_with(c, org(c, scope), Span::as_of(as_of), reading)
}

fn count(r: &StageReport, key: &str) -> u64 {
    match r.figure(key) {
        Some(Figure::Count(n)) => n,
        other => panic!("{key}: {other:?}"),
    }
}

/// (receptions, visitors, hotline cases) of a scope.
fn flows(c: &Campaign, scope: &str, as_of: Date, reading: Reading) -> (u64, u64, u64) {
    let r = report(c, scope, as_of, reading);
    (
        count(&r, "m123.receptions"),
        count(&r, "m123.visitors_received"),
        count(&r, "service.hotline.cases"),
    )
}

#[test]
fn a_report_before_a_move_sees_the_tree_of_its_day() {
    let c = campaign(STORY);
    let eve = date(2026, 12, 30);
    for reading in [Reading::AsOf, Reading::Historical] {
        assert_eq!(flows(&c, "t-1", eve, reading), (2, 5, 1), "{reading:?}");
        assert_eq!(flows(&c, "t-2", eve, reading), (0, 0, 0), "{reading:?}");
        // Its township's secretaries are v-1's and v-2's, under city a.
        let t1 = report(&c, "t-1", eve, reading);
        assert_eq!(count(&t1, "m123.secretaries"), 2);
        let a = report(&c, "a", eve, reading);
        let names: Vec<&str> = a.parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["一镇党委", "二镇党委", "市直机关工委"]);
        let v1 = a.villages.iter().find(|v| v.org.as_str() == "v-1").unwrap();
        assert_eq!(v1.parent.as_ref().map(|p| p.as_str()), Some("t-1"));
    }
}

#[test]
fn the_two_readings_place_a_moved_villages_records() {
    let c = campaign(STORY);
    let new_year = date(2027, 1, 1);
    // As of the as-of date: v-1 sits under t-2 and brings its December records along.
    assert_eq!(flows(&c, "t-1", new_year, Reading::AsOf), (1, 2, 0));
    assert_eq!(flows(&c, "t-2", new_year, Reading::AsOf), (2, 7, 1));
    // Historically: December's records stay with t-1, January's go to t-2.
    assert_eq!(flows(&c, "t-1", new_year, Reading::Historical), (2, 5, 1));
    assert_eq!(flows(&c, "t-2", new_year, Reading::Historical), (1, 4, 0));
    // Entities stay as of the as-of date in both readings: m-1 is t-2's secretary.
    for reading in [Reading::AsOf, Reading::Historical] {
        assert_eq!(
            count(&report(&c, "t-2", new_year, reading), "m123.secretaries"),
            1
        );
    }
    // At the root both readings count every record once.
    let root_as_of = report(&c, "p", new_year, Reading::AsOf);
    let root_hist = report(&c, "p", new_year, Reading::Historical);
    assert_eq!(root_as_of.totals, root_hist.totals);
    assert_eq!(count(&root_as_of, "m123.receptions"), 3);
}

#[test]
fn names_and_leader_levels_are_read_on_the_report_date() {
    let c = campaign(STORY);
    let name_of_v1 = |d: Date| {
        let r = report(&c, "t-2", d, Reading::AsOf);
        let v1 = r.villages.iter().find(|v| v.org.as_str() == "v-1").unwrap();
        v1.name.as_str().to_string()
    };
    assert_eq!(name_of_v1(date(2026, 12, 31)), "一村党支部");
    assert_eq!(name_of_v1(date(2027, 1, 1)), "新一村党支部");
    let t2 = report(&c, "t-2", date(2026, 12, 31), Reading::AsOf);
    assert_eq!(t2.parts[0].name.as_str(), "一村党支部");
    let leaders = |d: Date| TreeSummary::of(c.state(), d).leaders_by_level;
    assert_eq!(leaders(date(2026, 12, 31)).get("section"), Some(&1));
    assert_eq!(leaders(date(2026, 12, 31)).get("city"), None);
    assert_eq!(leaders(date(2027, 1, 1)).get("city"), Some(&1));
    assert_eq!(leaders(date(2027, 1, 1)).get("section"), None);
    // The current name and level are unchanged by reading the past.
    assert_eq!(c.state().org(org(&c, "v-1")).name.as_str(), "新一村党支部");
}

#[test]
fn a_township_handed_to_another_city_shows_as_a_former_part_historically() {
    let c = campaign(STORY);
    let d = date(2027, 1, 2);
    let as_of = report(&c, "a", d, Reading::AsOf);
    assert!(as_of.parts.iter().all(|p| !p.former));
    assert!(as_of.parts.iter().all(|p| p.org.as_str() != "t-1"));
    // Under the as-of reading, t-1 (now in city b) takes v-2's reception to b; v-1 (under
    // t-2) stays in a with its three.
    assert_eq!(flows(&c, "a", d, Reading::AsOf), (2, 7, 1));
    assert_eq!(flows(&c, "b", d, Reading::AsOf), (1, 2, 0));
    let hist = report(&c, "a", d, Reading::Historical);
    let former: Vec<(&str, bool)> = hist
        .parts
        .iter()
        .map(|p| (p.org.as_str(), p.former))
        .collect();
    assert_eq!(former, [("t-2", false), ("d-1", false), ("t-1", true)]);
    // Every record was made in city a: they all count there historically, in its parts.
    assert_eq!(flows(&c, "a", d, Reading::Historical), (3, 9, 1));
    assert_eq!(flows(&c, "b", d, Reading::Historical), (0, 0, 0));
    let t1 = &hist.parts[2].figures;
    assert_eq!(
        (t1.method123.receptions, t1.activity.hotline_cases_received),
        (2, 1)
    );
    // The page names the reading and marks the former subordinate.
    let text = hist.to_text();
    assert!(text.contains("统计口径：按发生时所属组织统计。"), "{text}");
    assert!(text.contains("一镇党委（已划出）"), "{text}");
    assert!(hist.to_html().contains("一镇党委（已划出）"));
    assert!(
        as_of
            .to_text()
            .contains("统计口径：按截止日组织隶属关系统计。")
    );
    // The parts add up to the scope in both readings.
    for r in [&as_of, &hist] {
        let sum: u64 = r.parts.iter().map(|p| p.figures.method123.receptions).sum();
        assert_eq!(sum, r.totals.method123.receptions);
    }
}

#[test]
fn a_report_does_not_depend_on_what_was_recorded_after_its_date() {
    let full = campaign(STORY);
    for (i, line) in STORY.iter().enumerate() {
        let day: Date = line[7..17].parse().unwrap();
        // The journal cut after its last record dated on or before `day`.
        let last = STORY
            .iter()
            .rposition(|l| l[7..17].parse::<Date>().unwrap() <= day);
        let cut = campaign(&STORY[..=last.unwrap_or(i)]);
        for scope in ["p", "a", "b", "t-1", "t-2", "t-3", "d-1"] {
            for reading in [Reading::AsOf, Reading::Historical] {
                let (x, y) = (
                    report(&full, scope, day, reading),
                    report(&cut, scope, day, reading),
                );
                assert_eq!(x.to_json(), y.to_json(), "{scope} on {day}, {reading:?}");
            }
        }
    }
}

#[test]
fn renames_and_level_changes_are_not_backdated() {
    let mut c = campaign(STORY);
    for (line, code) in [
        (
            r#"{"at":"2026-12-31","actor":{"org":"p"},"event":{"rename_org":{"org":"v-1","name":"旧一村党支部"}}}"#,
            3013,
        ),
        (
            r#"{"at":"2026-12-31","actor":{"org":"p"},"event":{"set_leader_level":{"member":"m-3","leader_level":"none"}}}"#,
            3013,
        ),
    ] {
        let cmd = Command::from_json(line).unwrap();
        let before = c.state_json();
        let err = c.execute(&cmd).unwrap_err();
        assert_eq!(chuangzheng::Coded::code(&err), code, "{line}: {err}");
        assert_eq!(c.state_json(), before);
    }
}
