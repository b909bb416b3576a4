//! Every bound of docs/limits.md, at the limit (accepted) and one past it (a typed error naming
//! the field), through the command schema hosts use. Nothing past a limit changes the state.

use chuangzheng::Coded;
use chuangzheng::ledger::{Campaign, CampaignInfo, Command, MAX_COMMAND_BYTES};
use chuangzheng::model::{ExtId, Name};
use chuangzheng::rules::RuleSet;

const SETUP: [&str; 7] = [
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"city_committee"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"t-1","name":"镇","kind":"township_committee","parent":"city"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"t-1"},"event":{"create_org":{"id":"v-1","name":"村","kind":"village","parent":"t-1"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"t-1"},"event":{"add_member":{"id":"m-1","org":"v-1","category":"farmer","role":"secretary"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"t-1"},"event":{"register_household":{"id":"h-1","village":"v-1"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"v-1"},"event":{"propose_matter":{"id":"dm-1","village":"v-1","title":"修路","text":"修建通组水泥路"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"t-1"},"event":{"found_volunteer_team":{"id":"vt-1","name":"义工队","org":"v-1"}}}"#,
];

fn campaign() -> Campaign {
    let info = CampaignInfo {
        id: ExtId::new("id", "limits").unwrap(),
        name: Name::new("name", "界限").unwrap(),
    };
    let mut c = Campaign::in_memory(info, RuleSet::default()).unwrap();
    for json in SETUP {
        c.execute(&Command::from_json(json).unwrap())
            .unwrap_or_else(|e| panic!("{json}: {e}"));
    }
    c
}

/// `at` is accepted, `past` refused with `code`, its message naming `field`, the state as it
/// was. Each runs on a fresh campaign.
fn bound(at: &str, past: &str, code: u32, field: &str) {
    let mut c = campaign();
    let cmd = Command::from_json(at).unwrap_or_else(|e| panic!("at the limit: {e}\n{at:.300}"));
    c.execute(&cmd)
        .unwrap_or_else(|e| panic!("at the limit: {e}\n{at:.300}"));
    let mut c = campaign();
    let before = (c.state_json(), c.seq());
    let e = match Command::from_json(past) {
        Err(e) => e,
        Ok(cmd) => c.execute(&cmd).expect_err("one past the limit is refused"),
    };
    assert_eq!(e.code(), code, "{past:.200}: {e}");
    let message = format!("{}\n{}", e.message_zh(), e.message_en());
    assert!(
        message.contains(field),
        "the message names {field}: {message}"
    );
    assert_eq!((c.state_json(), c.seq()), before);
}

fn cmd(actor: &str, event: &str) -> String {
    format!(r#"{{"at":"2010-06-01","actor":{{"org":"{actor}"}},"event":{event}}}"#)
}

#[test]
fn identifiers_and_names() {
    let id = |n: usize| "x".repeat(n);
    let create = |id: &str, name: &str| {
        cmd(
            "city",
            &format!(
                r#"{{"create_org":{{"id":"{id}","name":"{name}","kind":"township_committee","parent":"city"}}}}"#
            ),
        )
    };
    bound(
        &create(&id(64), "镇"),
        &create(&id(65), "镇"),
        3001,
        "event.create_org.id",
    );
    // 40 CJK characters are 120 bytes.
    bound(
        &create("t-2", &"镇".repeat(40)),
        &create("t-2", &format!("{}x", "镇".repeat(40))),
        3001,
        "event.create_org.name",
    );
}

#[test]
fn texts_targets_and_milestones() {
    let pledge = |text: &str, targets: usize, milestones: usize| {
        let targets: Vec<String> = (0..targets)
            .map(|i| format!(r#"{{"metric":"指标{i}","unit":"件","goal":"3"}}"#))
            .collect();
        let milestones: Vec<String> = (0..milestones)
            .map(|i| {
                format!(
                    r#"{{"by":"2010-{:02}-01","percent":{}}}"#,
                    1 + i % 12,
                    1 + i
                )
            })
            .collect();
        cmd(
            "v-1",
            &format!(
                r#"{{"draft_pledge":{{"id":"p-1","owner":{{"member":"m-1"}},"kind":"practical_matter","focus":"masses_wishes","content":{{"title":"承诺","text":"{text}","deadline":"2010-12-31","targets":[{}],"milestones":[{}]}}}}}}"#,
                targets.join(","),
                milestones.join(",")
            ),
        )
    };
    bound(
        &pledge(&"x".repeat(2000), 1, 0),
        &pledge(&"x".repeat(2001), 1, 0),
        3001,
        "text",
    );
    bound(&pledge("t", 10, 0), &pledge("t", 11, 0), 3001, "targets");
}

#[test]
fn receptions() {
    let reception = |cadres: usize, visitors: u32| {
        let list: Vec<String> = (0..cadres).map(|_| "\"m-1\"".to_string()).collect();
        cmd(
            "v-1",
            &format!(
                r#"{{"record_reception":{{"village":"v-1","cadres":[{}],"visitors":{visitors}}}}}"#,
                list.join(",")
            ),
        )
    };
    bound(
        &reception(1, 10_000),
        &reception(1, 10_001),
        1009,
        "visitors",
    );
    // 21 cadres on duty are refused whatever they are (20 is the most), as the command is
    // read; 20 copies of one cadre are refused as a repeat, so the bound is checked one past
    // it only.
    let e = Command::from_json(&reception(21, 1)).unwrap_err();
    assert_eq!(e.code(), 3001);
    assert!(
        e.message_en()
            .contains("event.record_reception.cadres: length 21 exceeds the limit of 20"),
        "{e}"
    );
    assert!(
        e.message_zh()
            .contains("字段 event.record_reception.cadres：长度 21 超过上限 20"),
        "{}",
        e.message_zh()
    );
}

#[test]
fn meetings_and_counts() {
    let discuss = |total: u32| {
        cmd(
            "v-1",
            &format!(
                r#"{{"discuss_matter":{{"matter":"dm-1","for":{total},"against":0,"total":{total}}}}}"#
            ),
        )
    };
    bound(&discuss(100), &discuss(101), 1009, "total");
    let activity = |served: u32| {
        cmd(
            "t-1",
            &format!(
                r#"{{"record_volunteer_activity":{{"id":"va-1","team":"vt-1","kind":"clinic","people_served":{served}}}}}"#
            ),
        )
    };
    bound(
        &activity(1_000_000),
        &activity(1_000_001),
        1009,
        "people_served",
    );
    let code = |kind: &str| {
        cmd(
            "t-1",
            &format!(
                r#"{{"record_activity":{{"id":"a-1","org":"v-1","kind":"{kind}","title":"活动","participants":1,"people_served":1}}}}"#
            ),
        )
    };
    bound(
        &code(&format!("a{}", "b".repeat(31))),
        &code(&format!("a{}", "b".repeat(32))),
        3001,
        "kind",
    );
}

#[test]
fn amounts() {
    let donation = |yuan: &str| {
        cmd(
            "t-1",
            &format!(
                r#"{{"record_donation":{{"id":"d-1","member":"m-1","amount_yuan":"{yuan}"}}}}"#
            ),
        )
    };
    bound(
        &donation("10000000"),
        &donation("10000000.01"),
        1009,
        "amount_yuan",
    );
}

#[test]
fn whole_commands_and_nesting() {
    // A command past MAX_COMMAND_BYTES is refused before it is parsed, whatever it holds.
    let padding = " ".repeat(MAX_COMMAND_BYTES);
    let long = format!("{}{padding}", SETUP[0]);
    let e = Command::from_json(&long).unwrap_err();
    assert_eq!(e.code(), 3001);
    assert!(e.message_en().contains("limit"), "{}", e.message_en());
    let just = format!(
        "{}{}",
        SETUP[0],
        " ".repeat(MAX_COMMAND_BYTES - SETUP[0].len())
    );
    assert!(
        Command::from_json(&just).is_ok(),
        "a command of exactly the limit is read"
    );
    // Nesting deeper than the JSON reader allows is a typed error, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = Command::from_json(&deep).unwrap_err();
    assert_eq!(e.code(), 3001);
}

#[test]
fn journal_lines() {
    // A journal line longer than the limit is corrupt (4005 or a torn tail), never read whole.
    let mut c = campaign();
    let mut text = c.header_line();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&"x".repeat(chuangzheng::ledger::journal::MAX_LINE_BYTES + 1));
    text.push('\n');
    let e = Campaign::replay(text.as_bytes()).unwrap_err();
    assert_eq!(e.code(), 4005, "{e}");
    assert!(e.to_string().contains("limit"), "{e}");
    let _ = c.execute(&Command::from_json(SETUP[0]).unwrap());
}
