//! What the targets share: the small demo city, built once per process, and the checks that
//! the stable replay (`tests/fuzz_corpus.rs`) repeats.
#![allow(dead_code)]

pub mod paths;
pub mod sequence;
pub mod sheets;
pub mod snapshot;

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Actor, Campaign, Command, Event};
use chuangzheng::model::Stamp;
use chuangzheng::rules::RuleSet;
use sm3::{Digest, Sm3};

/// The small demo city's organizations, members and units (142 commands), executed in memory.
pub fn city() -> Campaign {
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).expect("demo info");
    for cmd in demo::commands(&DemoSpec::small()) {
        c.execute(&cmd).expect("demo command");
    }
    c
}

/// The whole small demo (the city and its ~1,800 records).
pub fn full_demo() -> Campaign {
    demo::build(&DemoSpec::small()).expect("small demo")
}

/// A short valid journal (the first `n` city commands) and the state after each prefix.
pub fn small_journal(n: usize) -> (Vec<u8>, Vec<String>) {
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).expect("demo info");
    let mut text = c.header_line();
    let mut states = vec![c.state_json()];
    for cmd in demo::commands(&DemoSpec::small()).iter().take(n) {
        text.push_str(&c.execute(cmd).expect("demo command").line);
        states.push(c.state_json());
    }
    (text.into_bytes(), states)
}

/// Seals `body` (a JSON object) as the journal does: the hash field replaces the closing
/// brace, covering the bytes before it, chained to `prev`.
pub fn seal(prev: &[u8; 32], body: &[u8], out: &mut Vec<u8>) -> [u8; 32] {
    let body = body.strip_suffix(b"}").unwrap_or(body);
    let mut h = Sm3::new();
    h.update(prev);
    h.update(body);
    let hash: [u8; 32] = h.finalize().into();
    out.extend_from_slice(body);
    out.extend_from_slice(b",\"h\":\"");
    for b in hash {
        out.extend_from_slice(format!("{b:02x}").as_bytes());
    }
    out.extend_from_slice(b"\"}\n");
    hash
}

/// A journal record as serde reads it: the reference for the library's hand parser.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordRef {
    seq: u64,
    at: Stamp,
    actor: Actor,
    event: Event,
    #[allow(dead_code)]
    h: serde::de::IgnoredAny,
}

/// `journal_replay` mode "reseal": every line of `lines` sealed into a valid chain after a
/// header (the demo campaign's, or the first line when `own_header`), optionally with a torn
/// tail. Replay must agree with a reference that parses each sealed line with serde and
/// executes it: both succeed with the same state, or both fail.
pub fn check_resealed(lines: &[u8], own_header: bool, torn: bool) {
    let mut parts: Vec<&[u8]> = lines.split(|&b| b == b'\n').collect();
    let tail = if torn { parts.pop() } else { None };
    let mut journal = Vec::new();
    let mut prev;
    let mut reference: Option<Campaign>;
    if own_header {
        let first = if parts.is_empty() {
            &b"{}"[..]
        } else {
            parts.remove(0)
        };
        prev = seal(&[0; 32], first, &mut journal);
        reference = None;
    } else {
        let c = Campaign::in_memory(demo::info(), RuleSet::default()).expect("demo info");
        journal.extend_from_slice(c.header_line().as_bytes());
        prev = c.header_hash();
        reference = Some(c);
    }
    let mut expect_ok = true;
    for (i, part) in parts.iter().enumerate() {
        let start = journal.len();
        prev = seal(&prev, part, &mut journal);
        let sealed = &journal[start..journal.len() - 1];
        if let Some(c) = reference.as_mut().filter(|_| expect_ok) {
            let ok = serde_json::from_slice::<RecordRef>(sealed).is_ok_and(|r| {
                r.seq == i as u64 + 1 && c.execute(&Command::new(r.at, r.actor, r.event)).is_ok()
            });
            expect_ok = ok;
        }
    }
    if let Some(t) = tail {
        journal.extend_from_slice(t);
    }
    let replayed = Campaign::replay(&journal[..]);
    if let Some(c) = reference {
        match (&replayed, expect_ok) {
            (Ok((r, report)), true) => {
                assert_eq!(
                    r.state_json(),
                    c.state_json(),
                    "replay and reference differ"
                );
                assert_eq!(r.seq(), c.seq());
                // The chain is over the lines as sealed here, not the reference's own lines.
                assert_eq!(r.last_hash(), prev);
                assert_eq!(report.records, c.seq());
            }
            (Err(_), false) => {}
            (Ok(_), false) => panic!("replay accepted a journal the serde reference refuses"),
            (Err(e), true) => panic!("replay refused a journal the serde reference accepts: {e}"),
        }
    }
}

/// Up to 8 byte edits of 4 bytes each (kind, position as a fraction of the length, byte):
/// overwrite, insert, delete, truncate.
pub fn edit(j: &mut Vec<u8>, edits: &[u8]) {
    for e in edits.chunks_exact(4).take(8) {
        let pos = (usize::from(u16::from_le_bytes([e[1], e[2]])) * (j.len() + 1)) >> 16;
        match e[0] % 4 {
            0 if pos < j.len() => j[pos] = e[3],
            1 => j.insert(pos.min(j.len()), e[3]),
            2 if pos < j.len() => {
                j.remove(pos);
            }
            3 => j.truncate(pos),
            _ => {}
        }
    }
}

/// `journal_replay` mode "edit": byte edits on a valid journal. Replay either fails or gives
/// the state of a prefix of the original records (only a torn or dropped tail can pass the
/// hash chain); with no effective edit, exactly the original state.
pub fn check_edited(journal: &[u8], states: &[String], edits: &[u8]) {
    let mut j = journal.to_vec();
    edit(&mut j, edits);
    if let Ok((c, report)) = Campaign::replay(&j[..]) {
        let n = usize::try_from(report.records).expect("records");
        assert!(n < states.len(), "more records than the original journal");
        assert_eq!(c.seq(), report.records);
        assert_eq!(
            c.state_json(),
            states[n],
            "an edited journal replayed to another state"
        );
        if j == journal {
            assert_eq!(n + 1, states.len());
            assert!(report.torn_tail.is_none());
        }
    } else {
        assert_ne!(j, journal, "the original journal failed to replay");
    }
}

/// The whole `journal_replay` body: the first byte picks the mode.
pub fn check_journal(data: &[u8], journal: &[u8], states: &[String]) {
    let Some((&mode, rest)) = data.split_first() else {
        let _ = Campaign::replay(data);
        return;
    };
    match mode % 4 {
        0 => {
            let _ = Campaign::replay(rest);
        }
        1 => check_edited(journal, states, rest),
        2 => check_resealed(rest, false, mode & 0x80 != 0),
        _ => check_resealed(rest, true, mode & 0x80 != 0),
    }
}

/// `command_sequence`'s invariants over command lines (see the target).
pub fn check_sequence(lines: &[String]) {
    let new = || Campaign::in_memory(demo::info(), RuleSet::default()).expect("demo info");
    let mut c = new();
    let mut journal = c.header_line();
    let mut cmds = Vec::new();
    let mut outcomes = Vec::new();
    for line in lines {
        let Ok(cmd) = Command::from_json(line) else {
            continue;
        };
        let before = (c.state_json(), c.seq(), c.last_hash());
        match c.execute(&cmd) {
            Ok(r) => {
                assert!(r.line.ends_with('\n'));
                journal.push_str(&r.line);
                outcomes.push(true);
            }
            Err(_) => {
                assert_eq!(
                    (c.state_json(), c.seq(), c.last_hash()),
                    before,
                    "a refused command changed the campaign"
                );
                outcomes.push(false);
            }
        }
        cmds.push(cmd);
    }
    let max = c.rules().coverage.max_units_per_org;
    c.state().check_invariants(max).expect("invariants");

    let snap = Campaign::from_snapshot_json(&c.snapshot_json()).expect("snapshot round trip");
    assert_eq!(
        snap.state_json(),
        c.state_json(),
        "snapshot round trip changed the state"
    );
    assert_eq!((snap.seq(), snap.last_hash()), (c.seq(), c.last_hash()));

    let (replayed, report) = Campaign::replay(journal.as_bytes()).expect("replay of the journal");
    assert_eq!(
        replayed.state_json(),
        c.state_json(),
        "replay changed the state"
    );
    assert_eq!(
        (replayed.seq(), replayed.last_hash()),
        (c.seq(), c.last_hash())
    );
    assert_eq!(report.records, c.seq());

    let dry: Vec<bool> = new().dry_run(&cmds).iter().map(Result::is_ok).collect();
    assert_eq!(dry, outcomes, "dry_run disagrees with execute");
    let mut b = new();
    let batch = b.execute_batch(&cmds).expect("in-memory batch");
    let accepted: Vec<bool> = batch.outcomes.iter().map(Result::is_ok).collect();
    assert_eq!(accepted, outcomes, "execute_batch disagrees with execute");
    assert_eq!(
        c.header_line() + &batch.lines,
        journal,
        "execute_batch wrote other lines"
    );
    check_checkpoint(&mut c, journal);
}

/// A checkpoint at the end of a sequence's journal: refused only before any record (4015,
/// nothing changed); else the journal verifies under the key, to the same state, and the
/// checkpoint is its last record.
fn check_checkpoint(c: &mut Campaign, mut journal: String) {
    use chuangzheng::Coded;
    use chuangzheng::ledger::{Anchors, SigningKey};
    let key = SigningKey::hmac_sm3(&[7; 32], "fuzz").expect("a 32-byte key");
    let before = (c.state_json(), c.seq(), c.last_hash());
    match c.checkpoint(&key) {
        Ok(receipt) => journal.push_str(&receipt.line),
        Err(e) => {
            assert_eq!((e.code(), before.1), (4015, 0), "{e}");
            assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
            return;
        }
    }
    let keys = [key.verifying_key()];
    let (replayed, v) = Campaign::verify_signed(journal.as_bytes(), &Anchors::default(), &keys)
        .expect("a signed journal replays");
    assert!(v.is_whole(), "{:?}", v.problems());
    assert_eq!(
        replayed.state_json(),
        before.0,
        "a checkpoint changed the state"
    );
    assert_eq!(
        (replayed.seq(), replayed.last_hash()),
        (c.seq(), c.last_hash())
    );
}

/// `rules_json`: accepted rules are valid and survive `to_json`.
pub fn check_rules(text: &str) {
    if let Ok(rules) = RuleSet::from_json(text) {
        rules.validate().expect("accepted rules validate");
        let again = RuleSet::from_json(&rules.to_json()).expect("to_json reads back");
        assert_eq!(again, rules, "rules changed through to_json");
    }
}

use chuangzheng::ffi::{self, cz_campaign, cz_date};
use std::ffi::{CStr, CString, c_char};
use std::ptr::{null, null_mut};

/// Bytes as a C string: cut at the first NUL.
pub fn c_string(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).expect("no NUL")
}

/// A handle from a snapshot, through the C ABI.
pub fn handle_from(snapshot: &str) -> *mut cz_campaign {
    let s = CString::new(snapshot).expect("snapshot without NUL");
    let mut h = null_mut();
    // SAFETY: valid string and out pointer.
    let rc = unsafe { ffi::cz_campaign_from_snapshot(s.as_ptr(), &mut h) };
    assert_eq!(rc, ffi::CZ_OK);
    h
}

/// Takes a returned string and frees it with `cz_string_free`.
fn take(s: *mut c_char) -> Option<String> {
    if s.is_null() {
        return None;
    }
    // SAFETY: a string from the library, freed once here.
    let text = unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned();
    unsafe { ffi::cz_string_free(s) };
    Some(text)
}

/// `import_jsonl`: the first byte picks the mode (bit 0: keep going), the rest is the text,
/// cut at a NUL. Never a panic; the result's counts add up; all or nothing leaves the sequence
/// unchanged when any line was refused.
pub fn check_import(city_snapshot: &str, data: &[u8]) {
    let (mode, text) = data.split_first().map_or((0, &[][..]), |(m, t)| (*m, t));
    let keep_going = mode & 1 == 1;
    let text = c_string(text);
    let h = handle_from(city_snapshot);
    let seq0 = seq_of(h);
    let mut out = null_mut();
    let flags = if keep_going {
        ffi::CZ_IMPORT_KEEP_GOING
    } else {
        0
    };
    // SAFETY: live handle, valid string, valid out pointer.
    let rc = unsafe { ffi::cz_campaign_import(h, text.as_ptr(), flags, &mut out) };
    let seq1 = seq_of(h);
    assert_ne!(rc, ffi::CZ_PANIC, "cz_campaign_import panicked");
    let result = take(out);
    if rc == ffi::CZ_OK || rc == ffi::CZ_REFUSED_LINES {
        let doc: serde_json::Value =
            serde_json::from_str(&result.expect("a result on CZ_OK")).expect("result JSON");
        let recorded = doc["recorded"].as_u64().expect("recorded");
        let refused = doc["refused"].as_array().expect("refused");
        assert_eq!(
            rc == ffi::CZ_REFUSED_LINES,
            !refused.is_empty(),
            "CZ_REFUSED_LINES exactly when lines were refused"
        );
        assert_eq!(doc["seq"].as_u64(), Some(seq1));
        assert_eq!(
            seq1,
            seq0 + recorded,
            "recorded does not match the sequence"
        );
        if !keep_going && !refused.is_empty() {
            assert_eq!(
                seq1, seq0,
                "all or nothing recorded something despite a refusal"
            );
        }
        let lines = text
            .to_str()
            .expect("CZ_OK means UTF-8")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim().starts_with('#'))
            .count();
        if keep_going || refused.is_empty() {
            assert_eq!(
                recorded as usize + refused.len(),
                lines,
                "lines unaccounted for"
            );
        }
        let mut last = 0;
        for r in refused {
            let line = r["line"].as_u64().expect("line");
            assert!(line >= last, "refusals out of order");
            last = line;
            assert!(r["code"].as_u64().is_some() && r["message"].as_str().is_some());
        }
    } else {
        assert!(result.is_none());
        assert_eq!(seq1, seq0, "a failed import recorded something");
    }
    // SAFETY: freed once.
    unsafe { ffi::cz_campaign_free(h) };
}

/// The handles `ffi_strings` works on: the whole small demo (queries only) and the city (for
/// the commands; replaced whenever one is accepted).
pub struct FfiHandles {
    demo: *mut cz_campaign,
    city: std::cell::Cell<*mut cz_campaign>,
    city_snapshot: String,
}

impl Default for FfiHandles {
    fn default() -> Self {
        Self::new()
    }
}

impl FfiHandles {
    pub fn new() -> FfiHandles {
        let city_snapshot = city().snapshot_json();
        FfiHandles {
            demo: handle_from(&full_demo().snapshot_json()),
            city: std::cell::Cell::new(handle_from(&city_snapshot)),
            city_snapshot,
        }
    }

    /// `ffi_strings`: byte 0 picks the entry point, bytes 1–2 a year, 3 a month, 4 a day, 5 a
    /// small number (format, flags, visitors); the rest is split at NUL into the string
    /// arguments (a missing one is passed as NULL).
    pub fn check(&self, data: &[u8]) {
        let g = |i: usize| data.get(i).copied().unwrap_or(0);
        let date = cz_date {
            year: i16::from_le_bytes([g(1), g(2)]),
            month: g(3),
            day: g(4),
        };
        let n = g(5);
        let parts: Vec<CString> = data
            .get(6..)
            .unwrap_or_default()
            .split(|&b| b == 0)
            .map(c_string)
            .collect();
        let s = |i: usize| parts.get(i).map_or(null(), |c| c.as_ptr());
        let demo = self.demo;
        let city = self.city.get();
        let mut out: *mut c_char = null_mut();
        let mut handle: *mut cz_campaign = null_mut();
        let mut seq = 0u64;
        let cadres: Vec<*const c_char> = (1..parts.len()).map(s).collect();
        // SAFETY: live handles, NUL-terminated strings or NULL, valid out pointers; `cadres`
        // holds `cadres.len()` pointers.
        let rc = unsafe {
            match g(0) % 13 {
                0 => ffi::cz_campaign_new(s(0), s(1), &mut handle),
                1 => ffi::cz_campaign_execute(city, s(0), &mut seq),
                2 => ffi::cz_campaign_pledge_json(demo, s(0), &mut out),
                3 => ffi::cz_campaign_member_evaluation_json(demo, s(0), s(1), &mut out),
                4 => ffi::cz_campaign_report(demo, s(0), s(1), s(2), u32::from(n % 4), &mut out),
                5 => ffi::cz_campaign_audit_json(demo, s(0), s(1), s(2), s(3), &mut out),
                6 => ffi::cz_campaign_from_snapshot(s(0), &mut handle),
                7 => ffi::cz_campaign_replay(s(0), &mut handle),
                8 => ffi::cz_campaign_record_reception(
                    city,
                    date,
                    s(0),
                    if n & 0x80 != 0 { null() } else { s(1) },
                    s(2),
                    cadres.as_ptr(),
                    cadres.len().min(usize::from(n & 7)),
                    u32::from(n),
                    &mut seq,
                ),
                9 => ffi::cz_campaign_record_visit(city, date, s(0), s(1), s(2), s(3), &mut seq),
                10 => ffi::cz_campaign_report_progress(
                    city,
                    date,
                    s(0),
                    s(1),
                    s(2),
                    date.year,
                    date.month,
                    cadres.as_ptr(),
                    cadres.len().min(usize::from(n & 7)),
                    u32::from(n >> 6),
                    &mut seq,
                ),
                11 => ffi::cz_campaign_import(city, s(0), u32::from(n & 3), &mut out),
                _ => {
                    let mut o = null_mut();
                    let rc = ffi::cz_campaign_state_json(demo, &mut o);
                    take(o);
                    rc
                }
            }
        };
        assert_ne!(rc, ffi::CZ_PANIC, "a C ABI call panicked: {}", last_error());
        if rc != ffi::CZ_OK && rc != ffi::CZ_REFUSED_LINES {
            assert!(out.is_null() && handle.is_null());
            assert_eq!(ffi::cz_last_error_code(), rc, "last error code");
            assert_in_both_languages("a failed call", &last_error());
        }
        take(out);
        if !handle.is_null() {
            // SAFETY: a new handle, freed once.
            unsafe { ffi::cz_campaign_free(handle) };
        }
        let accepted = rc == ffi::CZ_OK || rc == ffi::CZ_REFUSED_LINES;
        if seq_of(city) != 0 && accepted && g(0) % 13 != 12 {
            // A command may have been accepted: start the next input from the city again.
            self.reset_city();
        }
    }

    fn reset_city(&self) {
        let old = self.city.replace(handle_from(&self.city_snapshot));
        // SAFETY: the old handle, freed once.
        unsafe { ffi::cz_campaign_free(old) };
    }
}

impl Drop for FfiHandles {
    fn drop(&mut self) {
        // SAFETY: freed once.
        unsafe {
            ffi::cz_campaign_free(self.demo);
            ffi::cz_campaign_free(self.city.get());
        }
    }
}

/// A failure's message: Chinese, a newline, English. Either line may quote a path, the input or
/// the JSON parser's own words, so only the shape is checked: a first line that is not all
/// ASCII, a second with a Latin letter.
pub fn assert_in_both_languages(what: &str, msg: &str) {
    let (zh, en) = msg
        .split_once('\n')
        .unwrap_or_else(|| panic!("{what}: message not in both languages: {msg:?}"));
    assert!(
        !zh.is_ascii() && en.bytes().any(|b| b.is_ascii_alphabetic()),
        "{what}: message not in both languages: {msg:?}"
    );
}

/// The last error message of this thread.
pub fn last_error() -> String {
    // SAFETY: a string the library owns, valid until the next call on this thread.
    let p = ffi::cz_last_error_message();
    if p.is_null() {
        return String::new();
    }
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// The `command_json` property: `data` as UTF-8 parsed as a command survives `to_json`; executed
/// on `c`, an accepted command gets the next sequence number (and `c` is put back to `snapshot`),
/// a refused one leaves the sequence and, when `compare_state`, the state unchanged.
pub fn check_command(c: &mut Campaign, snapshot: &str, data: &[u8], compare_state: bool) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(cmd) = Command::from_json(text) else {
        return;
    };
    assert_eq!(
        Command::from_json(&cmd.to_json()).ok().as_ref(),
        Some(&cmd),
        "a parsed command does not survive to_json"
    );
    let before = compare_state.then(|| c.state_json());
    let seq = c.seq();
    match c.execute(&cmd) {
        Ok(receipt) => {
            assert_eq!(receipt.seq, seq + 1);
            *c = Campaign::from_snapshot_json(snapshot).expect("demo snapshot");
        }
        Err(_) => {
            assert_eq!(c.seq(), seq, "a refused command moved the sequence");
            if let Some(before) = before {
                assert_eq!(
                    c.state_json(),
                    before,
                    "a refused command changed the state"
                );
            }
        }
    }
}

/// The handle's seq, checked to be read.
pub fn seq_of(h: *mut cz_campaign) -> u64 {
    let mut seq = u64::MAX;
    // SAFETY: a live handle and a local to write to.
    let rc = unsafe { ffi::cz_campaign_seq(h, &mut seq) };
    assert_eq!(rc, ffi::CZ_OK, "cz_campaign_seq");
    seq
}
