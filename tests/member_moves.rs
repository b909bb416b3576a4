//! Posting a member (`post_member`) before, on or after the date of a record that took the
//! member's organization at its own date: a donation, a home visit, a member's pledge (drafted,
//! submitted, reviewed), a volunteer team membership, a contact point, an instructor
//! assignment, and (refused since the fuzzing finding) a member evaluation.
//!
//! Whatever the ledger decides (accept the move or refuse it), the campaign must stay sound:
//! `State::check_invariants` holds, `Campaign::from_snapshot_json(&c.snapshot_json())`
//! restores the same state, sequence and hash, replaying the journal gives the same, and the
//! stage report (which reads the derived indexes as well as the entities) is the same from
//! all three. These tests fail if a move ever leaves a state one of those rejects.

use chuangzheng::demo;
use chuangzheng::ledger::{Campaign, Command};
use chuangzheng::report::{Span, StageReport};
use chuangzheng::rules::RuleSet;

/// A small tree (city → township t-1 → villages v-1, v-2; township t-2 → village v-3), four
/// members (m-1 secretary of v-1 at section level, m-2 and m-3 ordinary in v-1, m-4
/// secretary of v-2) and a unit in t-1, all on 2010-05-01.
const SETUP: &[&str] = &[
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"city_committee"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"t-1","name":"一镇党委","kind":"township_committee","parent":"city"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"t-2","name":"二镇党委","kind":"township_committee","parent":"city"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"v-1","name":"一村党支部","kind":"village","parent":"t-1"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"v-2","name":"二村党支部","kind":"village","parent":"t-1"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"v-3","name":"三村党支部","kind":"village","parent":"t-2"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"add_member":{"id":"m-1","org":"v-1","category":"farmer","role":"secretary","leader_level":"section"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"add_member":{"id":"m-2","org":"v-1","category":"farmer","role":"ordinary"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"add_member":{"id":"m-3","org":"v-1","category":"farmer","role":"ordinary"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"add_member":{"id":"m-4","org":"v-2","category":"farmer","role":"secretary"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"register_unit":{"id":"u-1","name":"企业一","kind":"non_public_enterprise","area":"t-1","eligible":true}}}"#,
];

/// A campaign in memory with the journal lines it wrote.
struct Run {
    c: Campaign,
    journal: String,
}

impl Run {
    fn new() -> Run {
        let c = Campaign::in_memory(demo::info(), RuleSet::default()).expect("demo info");
        let journal = c.header_line();
        let mut run = Run { c, journal };
        for line in SETUP {
            run.ok(line);
        }
        run
    }

    /// Executes `json`: whether it was accepted. A refusal changes nothing.
    fn exec(&mut self, json: &str) -> bool {
        let cmd = Command::from_json(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        let before = (self.c.state_json(), self.c.seq(), self.c.last_hash());
        match self.c.execute(&cmd) {
            Ok(r) => {
                self.journal.push_str(&r.line);
                true
            }
            Err(_) => {
                let after = (self.c.state_json(), self.c.seq(), self.c.last_hash());
                assert_eq!(after, before, "a refused command changed the campaign");
                false
            }
        }
    }

    fn ok(&mut self, json: &str) {
        let cmd = Command::from_json(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        match self.c.execute(&cmd) {
            Ok(r) => self.journal.push_str(&r.line),
            Err(e) => panic!("{json} refused: {e}"),
        }
    }

    /// The campaign is sound: invariants, snapshot round trip, replay, and the same report
    /// from the live campaign, the restored one and the replayed one.
    fn assert_sound(&self, what: &str) {
        let max = self.c.rules().coverage.max_units_per_org;
        if let Err(e) = self.c.state().check_invariants(max) {
            panic!("{what}: invariants: {e}");
        }
        let snap = Campaign::from_snapshot_json(&self.c.snapshot_json())
            .unwrap_or_else(|e| panic!("{what}: the snapshot does not restore: {e}"));
        assert_eq!(
            snap.state_json(),
            self.c.state_json(),
            "{what}: snapshot state"
        );
        assert_eq!(
            (snap.seq(), snap.last_hash()),
            (self.c.seq(), self.c.last_hash()),
            "{what}: snapshot sequence"
        );
        let (replayed, report) = Campaign::replay(self.journal.as_bytes())
            .unwrap_or_else(|e| panic!("{what}: the journal does not replay: {e}"));
        assert_eq!(
            replayed.state_json(),
            self.c.state_json(),
            "{what}: replay state"
        );
        assert_eq!(
            (replayed.seq(), replayed.last_hash(), report.records),
            (self.c.seq(), self.c.last_hash(), self.c.seq()),
            "{what}: replay sequence"
        );
        let own = stage_report(&self.c);
        assert_eq!(own, stage_report(&replayed), "{what}: replay report");
        assert_eq!(own, stage_report(&snap), "{what}: snapshot report");
    }
}

/// The stage report of the whole tree up to 2011-12-31, as JSON.
fn stage_report(c: &Campaign) -> String {
    let span: Span = serde_json::from_str(r#"{"from":null,"as_of":"2011-12-31"}"#).unwrap();
    let root = c.state().root().expect("a root");
    StageReport::build(c, root, span).to_json()
}

fn post(member: &str, org: &str, role: &str, on: &str) -> String {
    format!(
        r#"{{"at":"{on}","actor":{{"org":"city"}},"event":{{"post_member":{{"member":"{member}","org":"{org}","role":"{role}"}}}}}}"#
    )
}

/// The dates a move is tried on, against a record dated 2010-06-15: well before, the day
/// before, the same day, the day after, later.
const MOVES: &[&str] = &[
    "2010-05-20",
    "2010-06-14",
    "2010-06-15",
    "2010-06-16",
    "2010-08-01",
];

/// For each move date: a fresh run, `records` (all dated 2010-06-15, naming `member`), then
/// the move of `member` to `to`; the run must be sound after the records and after the
/// move, whether the move was accepted or refused. Returns which moves were accepted.
fn moves_after(member: &str, to: &str, role: &str, records: &[&str]) -> Vec<bool> {
    MOVES
        .iter()
        .map(|&on| {
            let mut run = Run::new();
            for r in records {
                run.ok(r);
            }
            run.assert_sound("after the records");
            let accepted = run.exec(&post(member, to, role, on));
            run.assert_sound(&format!(
                "after moving {member} to {to} on {on} ({accepted})"
            ));
            accepted
        })
        .collect()
}

/// Records first, then a move. A move on or before a member evaluation is refused (the
/// fuzzing finding's fix). The records below take the member's organization at their date
/// too, but each keeps that organization in the record itself (`org`, `leader_org`) or names
/// none, and neither the invariants nor a snapshot's load tie it to the member's posting
/// history (only that the member existed by then): the moves are accepted, on every date, and
/// everything stays sound. The outcomes are asserted so that each test is known to reach the
/// accepted move; if a rule is ever added to refuse such moves, update them.
#[test]
fn donation_then_move() {
    let d = r#"{"at":"2010-06-15","actor":{"org":"v-1"},"event":{"record_donation":{"id":"dn-1","member":"m-2","amount_yuan":"100"}}}"#;
    let got = moves_after("m-2", "v-3", "ordinary", &[d]);
    assert_eq!(got, [true; 5]);
}

#[test]
fn home_visit_then_move() {
    let v = r#"{"at":"2010-06-15","actor":{"org":"v-1"},"event":{"record_home_visit":{"id":"hv-1","cadre":"m-1","problems_solved":2,"aid_yuan":"50"}}}"#;
    let got = moves_after("m-1", "v-3", "ordinary", &[v]);
    assert_eq!(got, [true; 5]);
}

#[test]
fn member_pledge_then_move() {
    let p = [
        r#"{"at":"2010-06-15","actor":{"member":"m-2"},"event":{"draft_pledge":{"id":"p-1","owner":{"member":"m-2"},"kind":"work","focus":"central_work","content":{"title":"承诺书","text":"带头修路","deadline":"2010-12-31","targets":[{"metric":"道路","unit":"米","goal":"100"}]}}}}"#,
        r#"{"at":"2010-06-15","actor":{"member":"m-2"},"event":{"submit_pledge":{"pledge":"p-1"}}}"#,
        r#"{"at":"2010-06-15","actor":{"org":"v-1"},"event":{"review_pledge":{"pledge":"p-1","decision":"approve"}}}"#,
    ];
    let got = moves_after("m-2", "v-3", "ordinary", &p);
    assert_eq!(got, [true; 5]);
}

#[test]
fn team_membership_then_move() {
    let t = [
        r#"{"at":"2010-06-01","actor":{"org":"v-1"},"event":{"found_volunteer_team":{"id":"vt-1","name":"义工队","org":"v-1"}}}"#,
        r#"{"at":"2010-06-15","actor":{"org":"v-1"},"event":{"join_volunteer_team":{"team":"vt-1","member":"m-3"}}}"#,
    ];
    let got = moves_after("m-3", "v-3", "ordinary", &t);
    assert_eq!(got, [true; 5]);
}

#[test]
fn contact_point_then_move() {
    let l = r#"{"at":"2010-06-15","actor":{"org":"city"},"event":{"link_contact_point":{"leader":"m-1","org":"v-2"}}}"#;
    let got = moves_after("m-1", "v-3", "ordinary", &[l]);
    assert_eq!(got, [true; 5]);
}

#[test]
fn instructor_then_move() {
    let a = r#"{"at":"2010-06-15","actor":{"org":"t-1"},"event":{"assign_instructor":{"instructor":"m-2","target":{"unit":"u-1"}}}}"#;
    let got = moves_after("m-2", "v-3", "ordinary", &[a]);
    assert_eq!(got, [true; 5]);
}

/// The fixed case, for contrast: moving a member away on or before one of their evaluations
/// is refused; after it, accepted.
#[test]
fn member_evaluation_then_move() {
    let e = r#"{"at":"2010-06-15","actor":{"org":"v-1"},"event":{"record_member_evaluation":{"member":"m-3","round":"2010","self_review":{"score":"95"},"committee":{"score":"94"}}}}"#;
    let got = moves_after("m-3", "v-3", "ordinary", &[e]);
    assert_eq!(got, [false, false, false, true, true]);
}

/// The other order: a back-dated move first (accepted: the member has no record yet), then
/// records on dates before, on and after the move; each is checked against the posting on its
/// own date, and the run stays sound.
#[test]
fn move_then_records_on_both_sides() {
    for on in ["2010-06-01", "2010-06-15", "2010-06-30"] {
        let mut run = Run::new();
        run.ok(&post("m-2", "v-3", "ordinary", "2010-06-15"));
        let records = [
            format!(
                r#"{{"at":"{on}","actor":{{"org":"city"}},"event":{{"record_donation":{{"id":"dn-1","member":"m-2","amount_yuan":"100"}}}}}}"#
            ),
            format!(
                r#"{{"at":"{on}","actor":{{"org":"city"}},"event":{{"assign_instructor":{{"instructor":"m-2","target":{{"village":"v-2"}}}}}}}}"#
            ),
            format!(
                r#"{{"at":"{on}","actor":{{"member":"m-2"}},"event":{{"draft_pledge":{{"id":"p-1","owner":{{"member":"m-2"}},"kind":"work","focus":"central_work","content":{{"title":"承诺书","text":"带头","deadline":"2010-12-31","targets":[{{"metric":"道路","unit":"米","goal":"1"}}]}}}}}}}}"#
            ),
        ];
        for r in &records {
            assert!(run.exec(r), "{r} refused");
            run.assert_sound(&format!("record on {on} after a move on 2010-06-15"));
        }
        // A second move, back-dated between the first and the records.
        let accepted = run.exec(&post("m-2", "v-2", "ordinary", "2010-06-20"));
        run.assert_sound(&format!("second move, records on {on} ({accepted})"));
    }
}
