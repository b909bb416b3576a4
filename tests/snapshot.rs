//! Binary snapshots (issue 22): a journal opened from the snapshot beside it and the records
//! after it is the journal replayed whole; a snapshot that is corrupt, stale, of another
//! journal or of another format version is skipped with its reason, never trusted.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use chuangzheng::Coded;
use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{
    Campaign, Command, OpenOptions, ReplayReport, SNAPSHOT_FILE_VERSION, snapshot_path,
};
use chuangzheng::rules::RuleSet;
use proptest::prelude::*;

fn commands() -> &'static [Command] {
    static CMDS: OnceLock<Vec<Command>> = OnceLock::new();
    CMDS.get_or_init(|| {
        let spec = DemoSpec::small();
        let mut cmds = demo::commands(&spec);
        let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).expect("campaign");
        assert!(c.execute_batch(&cmds).expect("setup").all_accepted());
        cmds.extend(demo::records(c.state(), &spec));
        cmds
    })
}

/// A journal in a directory of its own, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("cz-snapshot-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temporary directory");
        Dir(dir)
    }

    fn journal(&self) -> PathBuf {
        self.0.join("city.jsonl")
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A journal of the first `n` demo commands, in batches.
fn journal_of(path: &Path, n: usize) -> Campaign {
    let mut c = Campaign::create(path, demo::info(), RuleSet::default()).expect("create");
    for batch in commands()[..n].chunks(4096) {
        assert!(c.execute_batch(batch).expect("batch").all_accepted());
    }
    c
}

fn open(path: &Path) -> (Campaign, ReplayReport) {
    Campaign::open(path, OpenOptions::default()).expect("open")
}

/// The journal replayed whole, from its file (no lock taken, no snapshot read).
fn whole(path: &Path) -> Campaign {
    let file = std::fs::File::open(path).expect("journal");
    let (c, report) = Campaign::replay(std::io::BufReader::new(file)).expect("replay");
    assert_eq!(report.snapshot, None);
    c
}

/// The same campaign: state, sequence, last hash, checkpoints, latest date.
fn assert_same(a: &Campaign, b: &Campaign) {
    assert_eq!(a.seq(), b.seq());
    assert_eq!(a.last_hash(), b.last_hash());
    assert_eq!(a.latest_date(), b.latest_date());
    assert_eq!(a.checkpoints(), b.checkpoints());
    assert!(a.state() == b.state(), "the states differ");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// A snapshot taken after any record, then the records after it: the state of the journal
    /// replayed whole, whether opened for writing or read-only.
    /// The snapshot's lists in blocks of the usual megabyte, or of a few hundred bytes (so
    /// the pledges are read by both threads from both ends).
    #[test]
    fn a_snapshot_and_the_tail_after_it_are_the_whole_journal(
        cut in 0.0..1.0_f64,
        block in proptest::option::of(64..4096_usize),
    ) {
        let dir = Dir::new();
        let path = dir.journal();
        let all = commands().len();
        let at = ((all as f64) * cut) as usize;
        let mut c = journal_of(&path, at);
        let saved = match block.and_then(NonZeroUsize::new) {
            Some(bytes) => c.save_snapshot_in_blocks(bytes),
            None => c.save_snapshot(),
        }
        .expect("snapshot");
        prop_assert_eq!(saved.seq, c.seq());
        prop_assert_eq!(saved.path, snapshot_path(&path));
        for batch in commands()[at..].chunks(4096) {
            prop_assert!(c.execute_batch(batch).expect("batch").all_accepted());
        }
        drop(c);
        let expected = whole(&path);
        let (opened, report) = open(&path);
        prop_assert_eq!(report.snapshot, Some(saved.seq));
        prop_assert_eq!(report.snapshot_skipped, None);
        prop_assert_eq!(report.records, expected.seq());
        assert_same(&opened, &expected);
        drop(opened);
        let (read_only, report) = Campaign::open_read_only(&path).expect("read-only");
        prop_assert_eq!(report.snapshot, Some(saved.seq));
        assert_same(&read_only, &expected);
    }
}

/// `ignore_snapshot` replays the journal whole.
#[test]
fn a_host_may_ignore_the_snapshot() {
    let dir = Dir::new();
    let c = journal_of(&dir.journal(), 800);
    c.save_snapshot().expect("snapshot");
    drop(c);
    let options = OpenOptions {
        ignore_snapshot: true,
        ..OpenOptions::default()
    };
    let (c, report) = Campaign::open(dir.journal(), options).expect("open whole");
    assert_eq!((report.snapshot, report.snapshot_skipped), (None, None));
    assert_eq!(report.records, 800);
    assert_same(&c, &whole(&dir.journal()));
}

/// A campaign opened from a snapshot goes on recording, and reopens to the same state.
#[test]
fn a_campaign_opened_from_a_snapshot_records_on() {
    let dir = Dir::new();
    let path = dir.journal();
    let half = commands().len() / 2;
    let c = journal_of(&path, half);
    c.save_snapshot().expect("snapshot");
    drop(c);
    let (mut c, report) = open(&path);
    assert_eq!(report.snapshot, Some(half as u64));
    for batch in commands()[half..].chunks(4096) {
        assert!(c.execute_batch(batch).expect("batch").all_accepted());
    }
    let saved = c
        .save_snapshot()
        .expect("a second snapshot replaces the first");
    assert_eq!(saved.seq, commands().len() as u64);
    drop(c);
    let (opened, report) = open(&path);
    assert_eq!(report.snapshot, Some(commands().len() as u64));
    assert_same(&opened, &whole(&path));
}

/// A journal with a snapshot of `n` records beside it; the snapshot's bytes.
fn with_snapshot(dir: &Dir, n: usize) -> Vec<u8> {
    let c = journal_of(&dir.journal(), n);
    c.save_snapshot().expect("snapshot");
    std::fs::read(snapshot_path(&dir.journal())).expect("snapshot bytes")
}

/// Opens the journal with `bytes` as its snapshot: the snapshot is skipped for a reason
/// containing `why`, the journal replayed whole, and the snapshot file left as it was.
fn skipped(dir: &Dir, bytes: &[u8], why: &str) {
    let path = dir.journal();
    std::fs::write(snapshot_path(&path), bytes).expect("write snapshot");
    let (opened, report) = open(&path);
    assert_eq!(report.snapshot, None);
    let reason = report.snapshot_skipped.expect("the snapshot is skipped");
    assert!(reason.contains(why), "{reason}");
    assert!(reason.contains("city.jsonl.snapshot"), "{reason}");
    assert_same(&opened, &whole(&path));
    assert_eq!(std::fs::read(snapshot_path(&path)).expect("left"), bytes);
}

#[test]
fn a_corrupt_snapshot_is_skipped_and_the_journal_replayed() {
    let dir = Dir::new();
    let good = with_snapshot(&dir, 1_500);
    // A byte changed in the first section, in the middle, in the footer.
    for at in [20, good.len() / 2, good.len() - 40] {
        let mut bad = good.clone();
        bad[at] ^= 0x20;
        skipped(&dir, &bad, "checksum");
    }
    skipped(
        &dir,
        &good[..good.len() - 1],
        "does not end as a snapshot file does",
    );
    skipped(
        &dir,
        &good[..good.len() / 2],
        "does not end as a snapshot file does",
    );
    skipped(&dir, &good[..5], "failed to fill whole buffer");
    skipped(
        &dir,
        b"{\"format\":\"chuangzheng-snapshot\"}",
        "does not start as a snapshot",
    );
}

#[test]
fn a_snapshot_of_another_format_version_is_rebuilt_from_the_journal() {
    let dir = Dir::new();
    let mut other = with_snapshot(&dir, 1_000);
    let version = SNAPSHOT_FILE_VERSION + 1;
    other[8..12].copy_from_slice(&version.to_le_bytes());
    let why = format!("format version {version}; this build reads version {SNAPSHOT_FILE_VERSION}");
    skipped(&dir, &other, &why);
    // The next snapshot written replaces it with this build's version.
    let (c, _) = open(&dir.journal());
    c.save_snapshot().expect("snapshot");
    drop(c);
    assert_eq!(open(&dir.journal()).1.snapshot, Some(1_000));
}

/// A snapshot written by the previous version of the format (version 1, each list in one
/// section: `chuangzheng snapshot` of release 0.1's small journal, built at 196cd87) is
/// skipped for its version and rebuilt from the journal, never mis-read.
#[test]
fn a_snapshot_of_format_version_1_is_rebuilt_from_the_journal() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let v1 = std::fs::read(data.join("release-0.1-small.snapshot-v1")).expect("the v1 snapshot");
    assert_eq!(&v1[..12], b"CZ-SNAP\n\x01\0\0\0", "a snapshot of version 1");
    let dir = Dir::new();
    std::fs::copy(data.join("release-0.1-small.jsonl"), dir.journal()).expect("the journal");
    let why = format!("format version 1; this build reads version {SNAPSHOT_FILE_VERSION}");
    skipped(&dir, &v1, &why);
    let (c, report) = open(&dir.journal());
    assert_eq!(report.records, 1957);
    c.save_snapshot().expect("snapshot");
    drop(c);
    let (c, report) = open(&dir.journal());
    assert_eq!(
        (report.snapshot, report.snapshot_skipped),
        (Some(1957), None)
    );
    assert_same(&c, &whole(&dir.journal()));
}

#[test]
fn a_snapshot_ahead_of_its_journal_is_skipped() {
    let dir = Dir::new();
    let ahead = with_snapshot(&dir, 1_200);
    // The journal rebuilt shorter: the snapshot stands past its end.
    std::fs::remove_file(dir.journal()).expect("remove");
    drop(journal_of(&dir.journal(), 800));
    skipped(&dir, &ahead, "stands at byte");
}

#[test]
fn a_snapshot_of_another_journal_is_skipped() {
    let (a, b) = (Dir::new(), Dir::new());
    let of_a = with_snapshot(&a, 900);
    // Another campaign (another name, so another header).
    let mut info = demo::info();
    info.name =
        chuangzheng::model::Name::new("name", &format!("{}（副本）", info.name)).expect("name");
    let mut c = Campaign::create(b.journal(), info, RuleSet::default()).expect("create");
    assert!(
        c.execute_batch(&commands()[..900])
            .expect("batch")
            .all_accepted()
    );
    drop(c);
    skipped(&b, &of_a, "of another journal");
    // The same campaign, whose journal differs where the snapshot stands.
    let mut c = Campaign::create(b.0.join("other.jsonl"), demo::info(), RuleSet::default())
        .expect("create");
    assert!(
        c.execute_batch(&commands()[..899])
            .expect("batch")
            .all_accepted()
    );
    assert!(
        c.execute_batch(&commands()[901..960])
            .expect("batch")
            .all_accepted()
    );
    drop(c);
    std::fs::rename(b.0.join("other.jsonl"), b.journal()).expect("rename");
    skipped(&b, &of_a, "is not the one it was taken after");
}

#[test]
fn only_a_writable_journal_file_takes_a_snapshot() {
    let mut mem = Campaign::in_memory(demo::info(), RuleSet::default()).expect("campaign");
    assert!(
        mem.execute_batch(&commands()[..10])
            .expect("batch")
            .all_accepted()
    );
    let e = mem.save_snapshot().expect_err("no journal file");
    assert_eq!(e.code(), 4017);
    assert!(e.message_zh().contains("没有日志文件"), "{e}");
    let dir = Dir::new();
    drop(journal_of(&dir.journal(), 10));
    let (ro, _) = Campaign::open_read_only(dir.journal()).expect("read-only");
    assert_eq!(ro.save_snapshot().expect_err("read-only").code(), 4016);
    assert!(!snapshot_path(&dir.journal()).exists());
}

/// With `set_snapshot_every`, a snapshot is written as records come in, and a failure to write
/// one is kept for the host, the records recorded all the same.
#[test]
fn snapshots_are_written_every_so_many_records() {
    let dir = Dir::new();
    let path = dir.journal();
    let mut c = Campaign::create(&path, demo::info(), RuleSet::default()).expect("create");
    c.set_snapshot_every(std::num::NonZeroU64::new(500));
    for batch in commands()[..1_700].chunks(300) {
        assert!(c.execute_batch(batch).expect("batch").all_accepted());
    }
    assert!(c.take_snapshot_error().is_none());
    drop(c);
    // Due 500 records after the last: written after the batches ending at 600, 1,200, 1,700.
    let (mut c, report) = open(&path);
    assert_eq!(report.snapshot, Some(1_700));
    assert_same(&c, &whole(&path));
    // Counted from the snapshot it was opened from: the next one 50 records after it.
    c.set_snapshot_every(std::num::NonZeroU64::new(50));
    for cmd in &commands()[1_700..1_760] {
        c.execute(cmd).expect("recorded");
    }
    drop(c);
    assert_eq!(open(&path).1.snapshot, Some(1_750));
    // A snapshot that cannot be written: the command is recorded, the error kept once.
    let (mut c, _) = open(&path);
    c.set_snapshot_every(std::num::NonZeroU64::new(1));
    let tmp = dir.0.join("city.jsonl.snapshot.tmp");
    std::fs::create_dir(&tmp).expect("a directory where the temporary file goes");
    let receipt = c.execute(&commands()[1_760]).expect("recorded");
    assert_eq!(receipt.seq, 1_761);
    let e = c.take_snapshot_error().expect("the failure is kept");
    assert_eq!(e.code(), 4001);
    assert!(e.message_en().contains("city.jsonl.snapshot"), "{e}");
    assert!(c.take_snapshot_error().is_none(), "told once");
    std::fs::remove_dir(&tmp).expect("remove");
    c.execute(&commands()[1_761]).expect("recorded");
    assert!(c.take_snapshot_error().is_none());
    drop(c);
    assert_eq!(open(&path).1.snapshot, Some(1_762));
}
