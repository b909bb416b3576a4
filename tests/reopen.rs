//! Every command sequence that `execute` accepts reopens: the journal it leaves opens with
//! `Campaign::open` to the same state, sequence number and last hash, and so does a binary
//! snapshot of it (`Campaign::save_snapshot`). So no acknowledged
//! command can make a journal unopenable (issue 17: a Rust-built pledge text of 2,001 bytes
//! passed `execute` and then `open` refused the journal).
//!
//! Commands come from the fuzz crate's sequence decoder (`fuzz/fuzz_targets/common/
//! sequence.rs`, the `command_sequence` target's), read from JSON, then changed in Rust the
//! way a host linking the library may: texts at their bound and written to swell most in JSON
//! (quotes and backslashes, escaped to two bytes each), lists filled to their bound, a pledge
//! content's public fields changed after it was built. Over-long values cannot be built at all.
//!
//! CI runs 32 cases of up to 64 operations each, every command synced to its journal;
//! `REOPEN_CASES=500 cargo test --release --test reopen` runs more.

#[path = "../fuzz/fuzz_targets/common/sequence.rs"]
#[allow(dead_code)]
mod sequence;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chuangzheng::Coded;
use chuangzheng::activity::{Code, MAX_COUNT, MAX_OUTPUTS, Output};
use chuangzheng::deliberation::ReviewVerdict;
use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::journal::OpenOptions;
use chuangzheng::ledger::{Campaign, Command, Event};
use chuangzheng::method123::MAX_CADRES_ON_DUTY;
use chuangzheng::model::{Bounded, ExtId, LongText, MAX_TEXT_BYTES, Name};
use chuangzheng::pledge::{
    Achieved, Goal, MAX_MILESTONES, MAX_TARGETS, Milestone, PledgeContent, ReviewDecision,
    SpotCheck, Target,
};
use chuangzheng::rules::RuleSet;
use proptest::prelude::*;
use proptest::test_runner::Config;
use rust_decimal::Decimal;

/// A fresh path for a journal in the temporary directory (removed by [`Journal`]'s drop).
struct Journal(PathBuf);

impl Journal {
    fn new(what: &str) -> Journal {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        // A directory per journal: tests run on several threads, and each removes its own.
        let dir = std::env::temp_dir().join(format!("cz-reopen-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        let path = dir.join(format!("{what}.jsonl"));
        let _ = std::fs::remove_file(&path);
        Journal(path)
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        // The directory is this journal's own (the lock file, if any, goes with it).
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Texts at the bound, or written to make the longest JSON, or otherwise odd; each is a
/// valid [`LongText`].
fn edge_texts() -> Vec<LongText> {
    let text = |s: String| LongText::new("test", &s).expect("an edge text within bounds");
    vec![
        // Every byte escaped in JSON: the longest a text's JSON can be.
        text("\"".repeat(MAX_TEXT_BYTES)),
        text("\\".repeat(MAX_TEXT_BYTES)),
        // Multi-byte characters, exactly at the bound.
        text(format!("{}xx", "长".repeat(666))),
        text("😀".repeat(MAX_TEXT_BYTES / 4)),
        // Line breaks and tabs are text; a journal line must still be one line.
        text(format!("a{}b", "\n\t".repeat(999))),
        // Unicode line and paragraph separators, which JSON leaves unescaped.
        text(format!("x{}", "\u{2028}\u{2029}".repeat(333))),
        text(" 前后留白 ".into()),
        text("x".into()),
    ]
}

/// A name of 120 bytes that swells in JSON: quotes within, not at its edges.
fn edge_name(i: usize) -> Name {
    Name::new("test", &format!("m{i:02}{}x", "\"".repeat(116))).expect("a name at its bound")
}

fn bounded<T, const MAX: usize>(items: Vec<T>) -> Bounded<T, MAX> {
    Bounded::new("test", items).expect("a list within its bound")
}

/// Changes `content` in place through its public fields, as a Rust caller may after building
/// it; `k` picks how. Some changes make it invalid (milestones out of order or after the
/// deadline, a range upside down): the ledger must refuse those, not journal them.
fn change_content(content: &mut PledgeContent, k: u8, texts: &[LongText]) {
    content.text = texts[usize::from(k) % texts.len()].clone();
    if k & 0x08 != 0 {
        let targets = (0..MAX_TARGETS)
            .map(|i| Target {
                metric: edge_name(i),
                unit: chuangzheng::model::MeasureUnit::new("unit", "公里公里公x")
                    .expect("a unit of 16 bytes"),
                goal: Goal::Exact(Decimal::new(999_999_999_999_999, 6)),
            })
            .collect();
        content.targets = bounded(targets);
    }
    if k & 0x10 != 0 {
        let start = content.deadline.saturating_sub(jiff::Span::new().days(200));
        let milestones = (0..MAX_MILESTONES)
            .map(|i| Milestone {
                by: start.saturating_add(jiff::Span::new().days(i as i64 * 16)),
                percent: (i as u32 + 1) * 8,
            })
            .collect();
        content.milestones = bounded(milestones);
    }
    if k & 0x20 != 0 {
        // Moved before its milestones, or an out-of-order milestone list.
        content.deadline = content.deadline.saturating_sub(jiff::Span::new().days(150));
    }
    if k & 0x40 != 0
        && let Some(t) = content.targets.first().cloned()
    {
        let mut targets = content.targets.to_vec();
        targets[0] = Target {
            goal: Goal::Range {
                min: Decimal::from(3),
                max: Decimal::from(2),
            },
            ..t
        };
        content.targets = bounded(targets);
    }
}

/// Changes `cmd`'s free texts and lists in Rust; `k` picks the text and the change.
fn change(cmd: &mut Command, k: u8, texts: &[LongText]) {
    let t = || texts[usize::from(k) % texts.len()].clone();
    match &mut cmd.event {
        Event::ReportProgress(chuangzheng::pledge::ReportProgress { achieved, note, .. }) => {
            *note = Some(t());
            if k & 0x08 != 0 {
                let all = (0..MAX_TARGETS as u32)
                    .map(|target| Achieved {
                        target,
                        value: Decimal::new(999_999_999_999_999, 6),
                    })
                    .collect();
                *achieved = bounded(all);
            }
        }
        Event::RecordFulfilment(chuangzheng::pledge::RecordFulfilment { note, .. }) => {
            *note = Some(t())
        }
        Event::RaiseConcern(chuangzheng::method123::RaiseConcern { text, .. })
        | Event::ProposeMatter(chuangzheng::deliberation::ProposeMatter { text, .. })
        | Event::ReceiveHotlineCase(chuangzheng::activity::ReceiveHotlineCase { text, .. }) => {
            *text = t()
        }
        Event::ResolveConcern(chuangzheng::method123::ResolveConcern {
            outcome, feedback, ..
        }) => {
            *outcome = t();
            *feedback = Some(texts[usize::from(k / 2) % texts.len()].clone());
        }
        Event::ResolveHotlineCase(chuangzheng::activity::ResolveHotlineCase {
            outcome, ..
        }) => *outcome = t(),
        Event::ReplyHotlineCase(chuangzheng::activity::ReplyHotlineCase { reply, .. }) => {
            *reply = Some(t())
        }
        Event::ClosePledge(chuangzheng::pledge::ClosePledge { explanation, .. }) => {
            *explanation = t()
        }
        Event::PublishResult(chuangzheng::deliberation::PublishResult { result, .. }) => {
            *result = t()
        }
        Event::ReviewPledge(chuangzheng::pledge::ReviewPledge { decision, .. })
            if k & 0x80 != 0 =>
        {
            *decision = ReviewDecision::Return { reasons: t() };
        }
        Event::ReviewMatter(chuangzheng::deliberation::ReviewMatter { decision, .. })
            if k & 0x80 != 0 =>
        {
            *decision = ReviewVerdict::Veto { reasons: t() };
        }
        Event::RecordEvaluation(chuangzheng::pledge::RecordEvaluation { spot_check, .. }) => {
            *spot_check = Some(SpotCheck {
                passed: k & 1 == 0,
                note: Some(t()),
            });
        }
        Event::DraftPledge(chuangzheng::pledge::DraftPledge { content, .. })
        | Event::RevisePledge(chuangzheng::pledge::RevisePledge { content, .. }) => {
            change_content(content, k, texts);
        }
        Event::RecordReception(chuangzheng::method123::RecordReception { cadres, .. })
            if k & 0x08 != 0 =>
        {
            // Filled to the bound, from the cadres named and the decoder's member pool.
            let mut all = cadres.to_vec();
            for i in 1.. {
                if all.len() == MAX_CADRES_ON_DUTY {
                    break;
                }
                all.push(ExtId::new("test", &format!("m-{i}")).expect("an id"));
            }
            *cadres = bounded(all);
        }
        Event::RecordVolunteerActivity(chuangzheng::activity::RecordVolunteerActivity {
            outputs,
            ..
        }) => {
            let all = (0..MAX_OUTPUTS)
                .map(|i| Output {
                    what: Code::new("test", &format!("o{i}_{}", "x".repeat(28))).expect("a code"),
                    count: MAX_COUNT,
                })
                .collect();
            *outputs = bounded(all);
        }
        _ => {}
    }
}

/// Executes `cmds` into a new journal, one by one (each synced), then reopens it: the same
/// state, sequence number and last hash. Returns how many were accepted.
fn executes_and_reopens(what: &str, cmds: &[Command]) -> u64 {
    let journal = Journal::new(what);
    let mut c = Campaign::create(&journal.0, demo::info(), RuleSet::default()).expect("create");
    for cmd in cmds {
        let before = (c.seq(), c.last_hash());
        let r = c.execute(cmd);
        if std::env::var("REOPEN_DEBUG").is_ok() {
            eprintln!(
                "{} {}",
                cmd.event.name(),
                r.as_ref()
                    .map_or_else(|e| e.code().to_string(), |_| "ok".into())
            );
        }
        if r.is_err() {
            assert_eq!(
                (c.seq(), c.last_hash()),
                before,
                "a refusal changed the campaign"
            );
        }
    }
    let expected = (c.state_json(), c.seq(), c.last_hash());
    drop(c);
    let (reopened, report) = Campaign::open(&journal.0, OpenOptions::default())
        .unwrap_or_else(|e| panic!("the journal of accepted commands reopens: {e}"));
    assert!(report.torn_tail.is_none());
    assert_eq!(
        (reopened.state_json(), reopened.seq(), reopened.last_hash()),
        expected,
        "reopened to another state"
    );
    // The same from a binary snapshot: every value the ledger accepted reads back from it.
    reopened.save_snapshot().expect("snapshot written");
    drop(reopened);
    let (from_snapshot, report) = Campaign::open(&journal.0, OpenOptions::default())
        .unwrap_or_else(|e| panic!("the journal reopens from its snapshot: {e}"));
    assert_eq!(report.snapshot_skipped, None);
    assert_eq!(report.snapshot, Some(expected.1));
    assert_eq!(
        (
            from_snapshot.state_json(),
            from_snapshot.seq(),
            from_snapshot.last_hash()
        ),
        expected,
        "reopened from the snapshot to another state"
    );
    expected.1
}

fn cases() -> u32 {
    std::env::var("REOPEN_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(32)
}

/// The `command_sequence` target's corpus and hand-written cases: inputs whose commands reach
/// deep into the ledger (pledges reviewed, reported on and closed; matters through their
/// steps), where random bytes are mostly refused early.
fn seeds() -> Vec<Vec<u8>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = vec![Vec::new()];
    for dir in ["corpus", "cases"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join("command_sequence")) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .map(|e| e.expect("directory entry").path())
            .collect();
        files.sort();
        out.extend(files.iter().map(|f| std::fs::read(f).expect("corpus file")));
    }
    out
}

/// The commands for fuzz input `data`, changed in Rust by `changes` (one byte per command,
/// cycled; a byte whose low two bits are zero leaves its command as the JSON wrote it).
fn commands(data: &[u8], changes: &[u8], texts: &[LongText]) -> Vec<Command> {
    let mut cmds: Vec<Command> = sequence::command_lines(data)
        .iter()
        .filter_map(|line| Command::from_json(line).ok())
        .collect();
    if changes.is_empty() {
        return cmds;
    }
    for (cmd, k) in cmds.iter_mut().zip(changes.iter().cycle()) {
        if k & 0x03 != 0 {
            change(cmd, *k, texts);
        }
    }
    cmds
}

proptest! {
    #![proptest_config(Config {
        cases: cases(),
        // Failures are reported, not written into the source tree.
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn every_accepted_sequence_reopens(
        seed in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        tail in proptest::collection::vec(any::<u8>(), 0..40),
        changes in proptest::collection::vec(any::<u8>(), 1..96),
    ) {
        let seeds = seeds();
        let mut data = seeds[seed.index(seeds.len())].clone();
        // A few bytes of the seed changed, a few operations added: near the corpus, not on it.
        for (at, byte) in edits {
            if !data.is_empty() {
                let i = at.index(data.len());
                data[i] = byte;
            }
        }
        data.extend(tail);
        executes_and_reopens("prop", &commands(&data, &changes, &edge_texts()));
    }
}

/// Every seed, unchanged and with each kind of change: all reopen.
#[test]
fn every_seed_reopens_with_every_change() {
    let texts = edge_texts();
    for data in seeds() {
        for changes in [&[][..], &[0x01], &[0x8b], &[0x1a, 0x3b, 0x59, 0xf7]] {
            executes_and_reopens("seed", &commands(&data, changes, &texts));
        }
    }
}

/// The small demo city with every free text at its bound, each byte escaped in JSON (pledge
/// texts, reasons, notes, concerns, outcomes, feedback, results, hotline texts and replies,
/// spot checks), and volunteer activities' outputs filled: every command is still accepted,
/// and the journal reopens.
#[test]
fn the_demo_at_its_bounds_reopens() {
    let texts = edge_texts();
    let mut cmds = demo::commands(&DemoSpec::small());
    for cmd in &mut cmds {
        change(cmd, 0, &texts);
    }
    let recorded = executes_and_reopens("demo", &cmds);
    assert_eq!(
        recorded,
        cmds.len() as u64,
        "every changed demo command is accepted"
    );
}

#[test]
fn out_of_limit_values_cannot_be_built() {
    let at = format!("{}xx", "长".repeat(666));
    assert_eq!(at.len(), MAX_TEXT_BYTES);
    let title = Name::new("t", "承诺").unwrap();
    let deadline = jiff::civil::date(2010, 12, 31);
    assert!(PledgeContent::new(title.clone(), &at, deadline, vec![]).is_ok());
    // 2,001 bytes: the content cannot be built, nor the text alone.
    let e = PledgeContent::new(title.clone(), &format!("{at}x"), deadline, vec![]).unwrap_err();
    assert_eq!((e.code(), e.field()), (1002, "content.text"));
    assert!(
        e.message_en()
            .contains("length 2001 exceeds the limit of 2000"),
        "{e}"
    );
    assert!(e.message_zh().contains("长度 2001 超过上限 2000"), "{e}");
    assert_eq!(
        LongText::new("event.note", &format!("{at}x"))
            .unwrap_err()
            .code(),
        1002
    );
    // A 2 MB note: the same, never near a journal line's bound.
    let e = LongText::new("event.note", &"x".repeat(2 << 20)).unwrap_err();
    assert_eq!((e.code(), e.field()), (1002, "event.note"));
    // Lists one past their bound.
    let target = Target::new("m", "个", Goal::exact("g", "1").unwrap()).unwrap();
    let e = PledgeContent::new(title, "t", deadline, vec![target; MAX_TARGETS + 1]).unwrap_err();
    assert_eq!((e.code(), e.field()), (1002, "content.targets"));
    let cadres = vec![ExtId::new("id", "m-1").unwrap(); MAX_CADRES_ON_DUTY + 1];
    let e = Bounded::<ExtId, MAX_CADRES_ON_DUTY>::new("event.cadres", cadres).unwrap_err();
    assert_eq!((e.code(), e.field()), (1002, "event.cadres"));
}

#[test]
fn a_content_changed_after_it_was_built_is_checked_again() {
    // The preamble of the decoder's sequences, then a draft whose content is made invalid
    // through its public fields: refused, with the field named, nothing recorded.
    let mut cmds: Vec<Command> = sequence::command_lines(&[])
        .iter()
        .map(|line| Command::from_json(line).unwrap())
        .collect();
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    for cmd in &cmds {
        c.execute(cmd).unwrap();
    }
    let texts = edge_texts();
    let owner = cmds
        .iter()
        .find_map(|cmd| match &cmd.event {
            Event::AddMember(chuangzheng::org::AddMember { id, .. }) => Some(id.clone()),
            _ => None,
        })
        .expect("a member in the preamble");
    let json = format!(
        r#"{{"at":"2010-05-02","actor":{{"member":"{owner}"}},"event":{{"draft_pledge":{{"id":"p-x","owner":{{"member":"{owner}"}},"kind":"practical_matter","focus":"masses_wishes","content":{{"title":"资助学生","text":"资助","deadline":"2010-12-31","targets":[{{"metric":"m","unit":"元","goal":"500"}}],"milestones":[{{"by":"2010-08-31","percent":50}}]}}}}}}}}"#
    );
    let valid = Command::from_json(&json).unwrap();
    let before = (c.state_json(), c.seq(), c.last_hash());
    for (k, field) in [(0x20, "content.milestones"), (0x40, "content.targets.goal")] {
        let mut cmd = valid.clone();
        if let Event::DraftPledge(chuangzheng::pledge::DraftPledge { content, .. }) = &mut cmd.event
        {
            change_content(content, k, &texts);
        }
        let e = c.execute(&cmd).unwrap_err();
        assert_eq!(e.code(), 1013, "{e}");
        assert!(e.message_en().contains(field), "{e}");
        assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
    }
    cmds.push(valid);
    assert!(c.execute(cmds.last().unwrap()).is_ok());
}
