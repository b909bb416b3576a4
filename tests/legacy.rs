//! Issue 17's guard rail for the restructuring: journals written by release 0.1 replay to the
//! same chain and the same state, and the demo city is journaled byte for byte as 0.1 did,
//! followed by the one kind of record added since: the pairings with villages (`pair_village`,
//! session 8), which the demo sends last for this reason.
//!
//! - `tests/data/release-0.1-small.jsonl` is `chuangzheng demo --small --out DIR`'s
//!   `journal.jsonl` as release 0.1 (commit 845a4e0) wrote it. It is the oldest journal we
//!   promise to read; never regenerate it. If the format must change, add a new file beside it
//!   and keep this one replaying.
//! - The pinned digests below were taken from that release: the state's with this file's
//!   replay, the full demo's with `openssl dgst -sm3` over the journal `chuangzheng demo --out`
//!   wrote (76,174,619 bytes). A change to any of them is a change of behaviour: if it is meant,
//!   say so in the commit and in CHANGELOG.md, and record the new value here; never just
//!   update the number.
//!
//! The full demo runs in the debug build in about 3 s (opt-level 1; `[profile.dev]`), so it is
//! not ignored.

use std::io::BufReader;
use std::path::{Path, PathBuf};

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Campaign, hash_hex};
use chuangzheng::rules::RuleSet;
use sm3::{Digest, Sm3};

/// The journal release 0.1 wrote for the small demo.
const SMALL_JOURNAL: &str = "tests/data/release-0.1-small.jsonl";
/// Its records (the header excluded) and its last record's hash.
const SMALL_SEQ: u64 = 1957;
const SMALL_LAST_HASH: &str = "bfbaa771875f00d55a9e363ff12e46d50b3f2cdd4c831162f663a40b97a3aff6";
/// SM3 of `Campaign::state_json()` after replaying it.
const SMALL_STATE_SM3: &str = "e9c5553c3938b2daaba2d8778a9dabbb4aee4062424c9328430f8d95e11a6e1d";

/// The full (seed-shaped) demo's journal: its records, its last record's hash, and the SM3 of
/// the whole file.
const FULL_SEQ: u64 = 314_458;
const FULL_LAST_HASH: &str = "54ec59f8a45ef8ffa2a0eee14db9cdce7657c103f6139bffe42a63eefdfa1554";
const FULL_FILE_SM3: &str = "429ca0968e55d82f8a5b004a3ae446d6a8e839cdf904f98af77b389c6bea38e5";
const FULL_FILE_BYTES: u64 = 76_174_619;

fn sm3_hex(bytes: &[u8]) -> String {
    hash_hex(&Sm3::digest(bytes).into())
}

fn small_journal() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SMALL_JOURNAL);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The last record's `seq` and `h`, read as plain JSON (not through the library under test).
fn last_record(journal: &[u8]) -> (u64, String) {
    let text = std::str::from_utf8(journal).expect("a journal is UTF-8");
    let last = text.lines().last().expect("a journal has a header");
    let v: serde_json::Value = serde_json::from_str(last).expect("the last line is JSON");
    (
        v["seq"].as_u64().expect("the last line is a record"),
        v["h"]
            .as_str()
            .expect("every line ends with its hash")
            .to_string(),
    )
}

/// The demo city journaled as `chuangzheng demo` does it (group commit, 8192 a batch), read
/// back as bytes; the file is removed.
fn demo_journal(spec: &DemoSpec, name: &str) -> Vec<u8> {
    let path: PathBuf =
        std::env::temp_dir().join(format!("cz-legacy-{}-{name}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&path);
    {
        let mut campaign =
            Campaign::create(&path, demo::info(), RuleSet::default()).expect("create");
        demo::populate(&mut campaign, spec, 8192).expect("the demo is accepted");
    }
    let bytes = std::fs::read(&path).expect("read the demo journal back");
    let _ = std::fs::remove_file(&path);
    bytes
}

/// The first line where two journals differ, for a readable failure.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  0.1:   {x}\n  today: {y}", i + 1);
        }
    }
    format!(
        "one is a prefix of the other: {} lines in 0.1, {} today",
        a.lines().count(),
        b.lines().count()
    )
}

#[test]
fn the_release_journal_replays_to_its_chain_and_its_state() {
    let journal = small_journal();
    let (seq, h) = last_record(&journal);
    assert_eq!((seq, h.as_str()), (SMALL_SEQ, SMALL_LAST_HASH));
    let (campaign, report) =
        Campaign::replay(BufReader::new(&journal[..])).expect("release 0.1's journal replays");
    assert!(report.torn_tail.is_none() && report.dropped_after_corruption.is_none());
    assert_eq!(report.records, seq);
    assert_eq!(campaign.seq(), seq);
    assert_eq!(hash_hex(&campaign.last_hash()), h);
    assert_eq!(
        sm3_hex(campaign.state_json().as_bytes()),
        SMALL_STATE_SM3,
        "the state release 0.1's journal replays to has changed"
    );
}

/// What today's demo journal adds after release 0.1's: every line past `release`'s bytes is a
/// record of `pair_village` (the pairings with villages, added in session 8 and sent last for
/// this reason), numbered on from release 0.1's last. Returns how many there are.
fn added_after(release_len: usize, release_seq: u64, today: &[u8]) -> u64 {
    let tail = std::str::from_utf8(&today[release_len..]).expect("a journal is UTF-8");
    let mut n = 0;
    for line in tail.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        n += 1;
        assert_eq!(v["seq"].as_u64(), Some(release_seq + n), "{line}");
        let event = v["event"].as_object().expect("a record has an event");
        assert!(
            event.contains_key("pair_village"),
            "only pairings are added: {line}"
        );
    }
    n
}

/// The demo's pairings: every department, school and clinic (one clinic per township-level
/// committee), and the planned cadres.
fn pairings(spec: &DemoSpec) -> u64 {
    let clinics = spec.townships + spec.streets + spec.farms;
    u64::from(spec.departments + spec.schools + clinics + spec.activity.paired_cadres)
}

#[test]
fn the_small_demo_is_journaled_byte_for_byte_as_release_0_1_did_then_its_pairings() {
    let today = demo_journal(&DemoSpec::small(), "small");
    let release = small_journal();
    assert!(
        today.starts_with(&release),
        "the small demo's journal does not begin with {SMALL_JOURNAL}: {}",
        first_difference(&release, &today)
    );
    assert_eq!(
        added_after(release.len(), SMALL_SEQ, &today),
        pairings(&DemoSpec::small())
    );
}

#[test]
fn the_full_demo_is_journaled_byte_for_byte_as_release_0_1_did_then_its_pairings() {
    let today = demo_journal(&DemoSpec::seed(), "full");
    let len = FULL_FILE_BYTES as usize;
    assert!(
        today.len() > len,
        "today's full demo journal is shorter than 0.1's"
    );
    let release = &today[..len];
    let (seq, h) = last_record(release);
    assert_eq!(
        (seq, h.as_str()),
        (FULL_SEQ, FULL_LAST_HASH),
        "the full demo's journal as 0.1 wrote it: (records, last hash)"
    );
    assert_eq!(sm3_hex(release), FULL_FILE_SM3);
    assert_eq!(
        added_after(len, FULL_SEQ, &today),
        pairings(&DemoSpec::seed())
    );
}
