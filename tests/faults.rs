//! Storage faults under the journal (feature `fault-injection`): failed and short writes, a
//! full disk, failed syncs, files that cannot be cut back, at every point of a campaign. After
//! any failed append the in-memory state equals what the journal holds, nothing acknowledged is
//! lost, nothing unacknowledged is applied, and the campaign either goes on or refuses every
//! write with 4007 until reopened.
//!
//! Run: `cargo test --features fault-injection --test faults`.

use std::path::{Path, PathBuf};

use chuangzheng::Coded;
use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::faults::Faults;
use chuangzheng::ledger::{Campaign, Command, OpenOptions};
use chuangzheng::rules::RuleSet;
use proptest::prelude::*;

/// The small demo city and its records: every command accepted in this order.
fn commands() -> &'static [Command] {
    static CMDS: std::sync::OnceLock<Vec<Command>> = std::sync::OnceLock::new();
    CMDS.get_or_init(|| {
        let spec = DemoSpec::small();
        let mut cmds = demo::commands(&spec);
        let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
        c.execute_batch(&cmds).unwrap();
        cmds.extend(demo::records(c.state(), &spec));
        cmds
    })
}

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("cz-faults-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn journal(&self) -> PathBuf {
        self.0.join("j.jsonl")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What the journal on disk holds, read without disturbing the writer: (state, seq).
fn on_disk(path: &Path) -> (String, u64) {
    let file = std::fs::File::open(path).unwrap();
    let (c, _) = Campaign::replay(std::io::BufReader::new(file)).unwrap();
    (c.state_json(), c.seq())
}

fn consistent(c: &Campaign, path: &Path) {
    let (state, seq) = on_disk(path);
    assert_eq!(
        seq,
        c.seq(),
        "the journal holds exactly what was acknowledged"
    );
    assert!(
        state == c.state_json(),
        "the state is what the journal holds"
    );
}

fn started(s: &Scratch, faults: &Faults, n: usize) -> Campaign {
    let mut c = Campaign::create_with_faults(s.journal(), demo::info(), RuleSet::default(), faults)
        .unwrap();
    assert!(c.execute_batch(&commands()[..n]).unwrap().all_accepted());
    c
}

#[test]
fn a_failed_write_changes_nothing_and_the_campaign_goes_on() {
    let s = Scratch::new("write");
    let faults = Faults::new();
    let mut c = started(&s, &faults, 40);
    let before = (c.state_json(), c.seq(), c.last_hash());
    faults.short_write_next(0);
    let e = c.execute(&commands()[40]).unwrap_err();
    assert_eq!(e.code(), 4001);
    assert!(
        e.message_en().contains("injected write failure"),
        "{}",
        e.message_en()
    );
    assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
    assert!(!c.is_poisoned());
    consistent(&c, &s.journal());
    // The same command again, now that the disk behaves.
    assert_eq!(c.execute(&commands()[40]).unwrap().seq, 41);
    consistent(&c, &s.journal());
    assert_eq!(faults.injected(), 1);
}

#[test]
fn a_short_write_is_cut_back() {
    let s = Scratch::new("short");
    let faults = Faults::new();
    let mut c = started(&s, &faults, 40);
    let len = std::fs::metadata(s.journal()).unwrap().len();
    faults.short_write_next(17);
    assert_eq!(c.execute(&commands()[40]).unwrap_err().code(), 4001);
    assert_eq!(
        std::fs::metadata(s.journal()).unwrap().len(),
        len,
        "no half record left"
    );
    consistent(&c, &s.journal());
    c.execute(&commands()[40]).unwrap();
    drop(c);
    let (c, report) = Campaign::open(s.journal(), OpenOptions::default()).unwrap();
    assert!(report.torn_tail.is_none());
    assert_eq!(c.seq(), 41);
}

#[test]
fn a_full_disk_fails_the_batch_and_puts_the_state_back() {
    let s = Scratch::new("full");
    let faults = Faults::new();
    let mut c = started(&s, &faults, 40);
    let before = (c.state_json(), c.seq(), c.last_hash());
    faults.disk_full_after(5_000);
    let e = c.execute_batch(&commands()[40..400]).unwrap_err();
    assert_eq!(e.code(), 4001);
    assert!(
        e.message_en().contains("no space left"),
        "{}",
        e.message_en()
    );
    assert!(!c.is_poisoned(), "the journal was cut back and read back");
    assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
    consistent(&c, &s.journal());
    // Still full: a single command fails too, and changes nothing.
    assert_eq!(c.execute(&commands()[40]).unwrap_err().code(), 4001);
    consistent(&c, &s.journal());
    faults.heal();
    assert!(
        c.execute_batch(&commands()[40..400])
            .unwrap()
            .all_accepted()
    );
    consistent(&c, &s.journal());
    assert_eq!(c.seq(), 400);
}

#[test]
fn a_failed_sync_poisons_until_reopened() {
    let s = Scratch::new("sync");
    let faults = Faults::new();
    let mut c = started(&s, &faults, 40);
    let acknowledged = (c.state_json(), c.seq(), c.last_hash());
    faults.fail_next_sync();
    assert_eq!(c.execute(&commands()[40]).unwrap_err().code(), 4001);
    assert!(c.is_poisoned());
    assert_eq!(c.execute(&commands()[40]).unwrap_err().code(), 4007);
    assert_eq!(
        c.execute_batch(&commands()[40..41]).unwrap_err().code(),
        4007
    );
    // What was acknowledged is what the campaign shows, and what the reopened journal holds.
    assert_eq!((c.state_json(), c.seq(), c.last_hash()), acknowledged);
    drop(c);
    let (c, _) = Campaign::open(s.journal(), OpenOptions::default()).unwrap();
    assert_eq!((c.state_json(), c.seq(), c.last_hash()), acknowledged);
}

#[test]
fn a_batch_whose_sync_fails_is_not_shown() {
    let s = Scratch::new("batch-sync");
    let faults = Faults::new();
    let mut c = started(&s, &faults, 40);
    let acknowledged = (c.state_json(), c.seq(), c.last_hash());
    faults.fail_next_sync();
    assert_eq!(
        c.execute_batch(&commands()[40..100]).unwrap_err().code(),
        4001
    );
    assert!(c.is_poisoned());
    drop(c);
    let (c, _) = Campaign::open(s.journal(), OpenOptions::default()).unwrap();
    assert_eq!((c.state_json(), c.seq(), c.last_hash()), acknowledged);
}

#[test]
fn a_write_that_cannot_be_cut_back_poisons_and_reopening_drops_the_torn_tail() {
    let s = Scratch::new("truncate");
    let faults = Faults::new();
    let mut c = started(&s, &faults, 40);
    let acknowledged = (c.state_json(), c.seq(), c.last_hash());
    faults.fail_truncate();
    faults.short_write_next(30);
    assert_eq!(c.execute(&commands()[40]).unwrap_err().code(), 4001);
    assert!(c.is_poisoned());
    assert_eq!(c.execute(&commands()[40]).unwrap_err().code(), 4007);
    drop(c);
    let (c, report) = Campaign::open(s.journal(), OpenOptions::default()).unwrap();
    let torn = report
        .torn_tail
        .expect("the half-written record is reported");
    assert_eq!(torn.len, 30);
    assert_eq!((c.state_json(), c.seq(), c.last_hash()), acknowledged);
}

/// One step of a random schedule.
#[derive(Debug, Clone)]
enum Step {
    One,
    Batch(usize),
    ShortWrite(usize),
    DiskFull(u64),
    FailSync,
    FailTruncate,
    Heal,
    Reopen,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => Just(Step::One),
        4 => (1usize..80).prop_map(Step::Batch),
        2 => (0usize..400).prop_map(Step::ShortWrite),
        1 => (0u64..20_000).prop_map(Step::DiskFull),
        1 => Just(Step::FailSync),
        1 => Just(Step::FailTruncate),
        2 => Just(Step::Heal),
        1 => Just(Step::Reopen),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any schedule of writes and faults: after every step the campaign shows exactly what its
    /// journal holds (or is poisoned, and shows what was acknowledged); reopening never loses an
    /// acknowledged record; in the end every command is recorded once, in order.
    #[test]
    fn no_schedule_of_faults_loses_or_invents_a_record(steps in prop::collection::vec(step(), 1..40)) {
        let s = Scratch::new("schedule");
        let all = commands();
        let faults = Faults::new();
        let mut c = started(&s, &faults, 10);
        let mut acked = (c.seq(), c.last_hash());
        for st in steps {
            let next = usize::try_from(c.seq()).unwrap();
            match st {
                Step::One if next < all.len() => {
                    if let Ok(r) = c.execute(&all[next]) {
                        acked = (r.seq, r.hash);
                    }
                }
                Step::Batch(n) if next < all.len() => {
                    let end = (next + n).min(all.len());
                    if let Ok(b) = c.execute_batch(&all[next..end]) {
                        prop_assert!(b.all_accepted());
                        acked = (c.seq(), c.last_hash());
                    }
                }
                Step::ShortWrite(n) => faults.short_write_next(n),
                Step::DiskFull(n) => faults.disk_full_after(n),
                Step::FailSync => faults.fail_next_sync(),
                Step::FailTruncate => faults.fail_truncate(),
                Step::Heal => faults.heal(),
                Step::Reopen => {
                    drop(c);
                    faults.heal();
                    c = reopen(&s, &faults, acked)?;
                    acked = (c.seq(), c.last_hash());
                }
                _ => {}
            }
            if c.is_poisoned() {
                prop_assert_eq!((c.seq(), c.last_hash()), acked, "a poisoned campaign shows what was acknowledged");
                drop(c);
                faults.heal();
                c = reopen(&s, &faults, acked)?;
                acked = (c.seq(), c.last_hash());
            } else {
                prop_assert_eq!((c.seq(), c.last_hash()), acked);
                let (state, seq) = on_disk(&s.journal());
                prop_assert_eq!(seq, c.seq());
                prop_assert!(state == c.state_json());
            }
        }
        faults.heal();
        let next = usize::try_from(c.seq()).unwrap();
        prop_assert!(c.execute_batch(&all[next..]).unwrap().all_accepted());
        drop(c);
        let (c, report) = Campaign::open(s.journal(), OpenOptions::default()).unwrap();
        prop_assert!(report.torn_tail.is_none());
        prop_assert_eq!(c.seq(), all.len() as u64);
        let mut whole = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
        whole.execute_batch(all).unwrap();
        prop_assert!(whole.state_json() == c.state_json(), "every command recorded once, in order");
    }
}

/// Reopens after a failure: every acknowledged record is there. A record whose sync failed
/// and whose cut-back failed too may have reached the disk whole; it was never acknowledged,
/// and it is the next command of the list, so the campaign continues after it.
fn reopen(s: &Scratch, faults: &Faults, acked: (u64, [u8; 32])) -> Result<Campaign, TestCaseError> {
    let (c, _) = Campaign::open_with_faults(s.journal(), OpenOptions::default(), faults).unwrap();
    prop_assert!(c.seq() >= acked.0, "an acknowledged record was lost");
    if c.seq() == acked.0 {
        prop_assert_eq!(c.last_hash(), acked.1);
    }
    Ok(c)
}

#[test]
fn a_journal_failure_part_way_through_an_import_leaves_the_state_the_journals() {
    use chuangzheng::ledger::{ImportCause, ImportOptions, ImportPhase, import_jsonl};
    let s = Scratch::new("import");
    let faults = Faults::new();
    let mut c = started(&s, &faults, 0);
    let cmds = &commands()[..250];
    let text: String = cmds.iter().map(|c| c.to_json() + "\n").collect();
    // The disk takes the records of the first two chunks of 50, and 10 bytes more.
    let mut sizer = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    let two_chunks = sizer.execute_batch(&cmds[..100]).unwrap().lines.len() as u64;
    faults.disk_full_after(two_chunks + 10);
    let options = ImportOptions::new().chunk_commands(50).unwrap();
    let mut acked = Vec::new();
    let e = import_jsonl(&mut c, std::io::Cursor::new(&text), &options, &mut |p| {
        acked.push((p.phase, p.seq))
    })
    .unwrap_err();
    assert_eq!(e.code(), 4001);
    assert!(matches!(e.cause(), ImportCause::Ledger(_)));
    assert_eq!(
        (e.report().recorded, e.report().seq, c.seq()),
        (100, 100, 100)
    );
    assert!(
        e.message_en()
            .contains("after recording 100 commands, up to seq 100"),
        "{}",
        e.message_en()
    );
    let record: Vec<u64> = acked
        .iter()
        .filter(|(phase, _)| *phase == ImportPhase::Record)
        .map(|(_, seq)| *seq)
        .collect();
    assert_eq!(record, [50, 100], "every chunk told was durable");
    assert!(!c.is_poisoned());
    consistent(&c, &s.journal());
    // The rest, once the disk has room again: the import goes on from where the journal ends.
    faults.heal();
    let rest: String = cmds[100..].iter().map(|c| c.to_json() + "\n").collect();
    let report = import_jsonl(&mut c, std::io::Cursor::new(&rest), &options, &mut |_| {}).unwrap();
    assert_eq!((report.recorded, c.seq()), (150, 250));
    consistent(&c, &s.journal());
}
