//! A time of day in `at` orders facts of the same thing within a day: when a command and the
//! fact it follows both carry a time, the command may not be earlier; a date without a time is
//! the whole day. Kept across replay and snapshots.

use chuangzheng::Coded;
use chuangzheng::ledger::{Campaign, CampaignInfo, Command};
use chuangzheng::model::{ExtId, Name};
use chuangzheng::rules::RuleSet;

fn id(s: &str) -> ExtId {
    ExtId::new("test", s).unwrap()
}

fn cmd(at: &str, actor: &str, event: &str) -> Command {
    let json = format!(r#"{{"at":"{at}","actor":{actor},"event":{event}}}"#);
    Command::from_json(&json).unwrap()
}

const CITY: &str = r#"{"org":"city"}"#;
const T01: &str = r#"{"org":"t-01"}"#;
const V1: &str = r#"{"org":"v-1"}"#;

/// city ── t-01 ── v-1, and the journal so far.
fn campaign() -> (Campaign, String) {
    let info = CampaignInfo {
        id: id("times"),
        name: Name::new("test", "时刻测试").unwrap(),
    };
    let mut c = Campaign::in_memory(info, RuleSet::default()).unwrap();
    let mut journal = c.header_line();
    let setup = [
        cmd(
            "2010-05-01",
            CITY,
            r#"{"create_org":{"id":"city","name":"市委","kind":"city_committee"}}"#,
        ),
        cmd(
            "2010-05-01",
            CITY,
            r#"{"create_org":{"id":"t-01","name":"一镇","kind":"township_committee","parent":"city"}}"#,
        ),
        cmd(
            "2010-05-01",
            T01,
            r#"{"create_org":{"id":"v-1","name":"一村","kind":"village","parent":"t-01"}}"#,
        ),
    ];
    for s in &setup {
        journal.push_str(&c.execute(s).unwrap().line);
    }
    (c, journal)
}

fn receive(at: &str, case: &str) -> Command {
    let event = format!(
        r#"{{"receive_hotline_case":{{"id":"{case}","org":"t-01","category":"roads","text":"路灯不亮"}}}}"#
    );
    cmd(at, T01, &event)
}

fn reply(at: &str, case: &str) -> Command {
    let event = format!(r#"{{"reply_hotline_case":{{"case":"{case}","reply":"已派人维修"}}}}"#);
    cmd(at, T01, &event)
}

#[track_caller]
fn refused_out_of_order(c: &mut Campaign, command: &Command, field: &str) {
    let before = (c.state_json(), c.seq(), c.last_hash());
    let err = c.execute(command).expect_err("accepted out of order");
    assert_eq!(err.code(), 3013, "{err}");
    assert!(err.message_en().contains(field), "{}", err.message_en());
    assert!(err.message_zh().contains(field), "{}", err.message_zh());
    assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
}

#[test]
fn a_reply_earlier_the_same_day_than_the_case_was_received_is_refused() {
    let (mut c, _) = campaign();
    c.execute(&receive("2010-06-01T15:00:00", "hl-1")).unwrap();
    let early = reply("2010-06-01T09:00:00", "hl-1");
    refused_out_of_order(&mut c, &early, "hotline_case.received");
    let err = c.execute(&early).unwrap_err();
    // Both times are named.
    let en = err.message_en();
    assert!(
        en.contains("2010-06-01T09:00:00") && en.contains("2010-06-01T15:00:00"),
        "{en}"
    );
    // The same minute, or later, is accepted.
    c.execute(&reply("2010-06-01T15:00:00", "hl-1")).unwrap();

    // Without a time on one side, the day is the whole day: accepted.
    c.execute(&receive("2010-06-01T15:00:00", "hl-2")).unwrap();
    c.execute(&reply("2010-06-01", "hl-2")).unwrap();
    c.execute(&receive("2010-06-01", "hl-3")).unwrap();
    c.execute(&reply("2010-06-01T09:00:00", "hl-3")).unwrap();
    // An earlier day stays refused whatever the times.
    c.execute(&receive("2010-06-02T08:00:00", "hl-4")).unwrap();
    refused_out_of_order(
        &mut c,
        &reply("2010-06-01T23:00:00", "hl-4"),
        "hotline_case",
    );
    refused_out_of_order(&mut c, &reply("2010-06-01", "hl-4"), "hotline_case");
}

fn pledge_step(at: &str, actor: &str, event: &str) -> Command {
    cmd(at, actor, event)
}

#[test]
fn a_pledge_step_earlier_the_same_day_than_the_last_is_refused() {
    let (mut c, _) = campaign();
    let draft = r#"{"draft_pledge":{"id":"p-1","owner":{"org":"v-1"},"kind":"practical_matter","focus":"masses_wishes","content":{"title":"修路","text":"修通村道","deadline":"2010-12-31","targets":[]}}}"#;
    let submit = r#"{"submit_pledge":{"pledge":"p-1"}}"#;
    let approve = r#"{"review_pledge":{"pledge":"p-1","decision":"approve"}}"#;
    let publish = r#"{"publish_pledge":{"pledge":"p-1"}}"#;
    c.execute(&pledge_step("2010-06-01T08:00:00", V1, draft))
        .unwrap();
    c.execute(&pledge_step("2010-06-01T15:00:00", V1, submit))
        .unwrap();
    refused_out_of_order(
        &mut c,
        &pledge_step("2010-06-01T09:00:00", T01, approve),
        "pledge.status",
    );
    c.execute(&pledge_step("2010-06-01T15:30:00", T01, approve))
        .unwrap();
    // No time: the whole day, so not before 15:30.
    c.execute(&pledge_step("2010-06-01", V1, publish)).unwrap();
    // A fulfilment record at 10:00 the day of a publication with no time is accepted; the next
    // record at 09:00 the same day is refused.
    let record = |at: &str| {
        pledge_step(
            at,
            V1,
            r#"{"record_fulfilment":{"pledge":"p-1","outputs":{"matters_done":1}}}"#,
        )
    };
    c.execute(&record("2010-06-01T10:00:00")).unwrap();
    refused_out_of_order(&mut c, &record("2010-06-01T09:00:00"), "pledge.fulfilments");
    c.execute(&record("2010-06-01T11:00:00")).unwrap();
}

#[test]
fn times_survive_replay_and_snapshots() {
    let (mut c, mut journal) = campaign();
    journal.push_str(
        &c.execute(&receive("2010-06-01T15:00:00", "hl-1"))
            .unwrap()
            .line,
    );
    let early = reply("2010-06-01T09:00:00", "hl-1");
    let (mut replayed, _) = Campaign::replay(journal.as_bytes()).unwrap();
    assert_eq!(replayed.state(), c.state());
    refused_out_of_order(&mut replayed, &early, "hotline_case.received");
    let snapshot = c.snapshot_json();
    assert!(snapshot.contains("\"times\""), "{snapshot}");
    let mut loaded = Campaign::from_snapshot_json(&snapshot).unwrap();
    assert_eq!(loaded.state(), c.state());
    refused_out_of_order(&mut loaded, &early, "hotline_case.received");
    loaded
        .execute(&reply("2010-06-01T16:00:00", "hl-1"))
        .unwrap();
}
