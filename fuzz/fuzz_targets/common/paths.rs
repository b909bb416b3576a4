//! `ffi_paths`: the C ABI entry points that take a file path (`cz_campaign_create`,
//! `cz_campaign_open`), on fuzzed file contents and fuzzed names.
//!
//! The fuzzer runs as root, so every path it builds stays inside one scratch directory per
//! process (`<temp>/cz-fuzz-paths-<pid>`), emptied before every input: a fuzzed name is cut at
//! its first NUL, split at `/`, and joined under the scratch directory with every `..`
//! component dropped (a leading `/` only adds an empty component). No symbolic link is ever
//! made there, so nothing below it leads out of it.

use super::{assert_in_both_languages, c_string, last_error, seal, take};
use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ffi::{self, cz_campaign};
use chuangzheng::ledger::Command;
use chuangzheng::rules::RuleSet;
use std::collections::BTreeMap;
use std::ffi::{CString, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::ptr::{null, null_mut};

/// `Exists`: a file is already at the path (never overwritten).
const EXISTS: u32 = 4002;
/// `Locked`: another handle holds the journal.
const LOCKED: u32 = 4003;
/// `Io`: an operating-system call failed.
const IO: u32 = 4001;

/// The scratch directory and what every input reuses: a short valid journal, the state after
/// each of its prefixes, and the city's commands (the one valid next command for a prefix).
pub struct Paths {
    dir: PathBuf,
    journal: Vec<u8>,
    states: Vec<String>,
    commands: Vec<String>,
    info: CString,
    rules: CString,
}

impl Default for Paths {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Paths {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The failure contract: never a panic, no handle, the code again from
/// `cz_last_error_code`, and a message in both languages (Chinese, a newline, English; either
/// may quote a path or the JSON parser's own words, so only the shape is checked).
fn assert_failed(rc: u32, h: *mut cz_campaign, what: &str) {
    assert_ne!(rc, ffi::CZ_PANIC, "{what} panicked: {}", last_error());
    assert!(h.is_null(), "{what} failed ({rc}) but returned a handle");
    assert_eq!(ffi::cz_last_error_code(), rc, "{what}: last error code");
    assert_in_both_languages(what, &last_error());
}

fn open(path: &CString) -> (u32, *mut cz_campaign) {
    let mut h = null_mut();
    // SAFETY: a valid string and out pointer.
    let rc = unsafe { ffi::cz_campaign_open(path.as_ptr(), &mut h) };
    (rc, h)
}

fn seq(h: *mut cz_campaign) -> u64 {
    super::seq_of(h)
}

fn state(h: *mut cz_campaign) -> String {
    let mut out = null_mut();
    // SAFETY: a live handle and a valid out pointer.
    let rc = unsafe { ffi::cz_campaign_state_json(h, &mut out) };
    assert_eq!(rc, ffi::CZ_OK, "state_json: {}", last_error());
    take(out).expect("a state")
}

fn free(h: *mut cz_campaign) {
    // SAFETY: a live handle, freed once.
    unsafe { ffi::cz_campaign_free(h) };
}

/// Executes `cmd` on `h`: `Some(new seq)` if accepted. A refusal leaves the sequence alone.
fn execute(h: *mut cz_campaign, cmd: &str) -> Option<u64> {
    let before = seq(h);
    let c = CString::new(cmd).expect("command without NUL");
    let mut s = 0;
    // SAFETY: a live handle, a valid string and out pointer.
    let rc = unsafe { ffi::cz_campaign_execute(h, c.as_ptr(), &mut s) };
    if rc == ffi::CZ_OK {
        assert_eq!(s, before + 1, "an accepted command's sequence number");
        assert_eq!(seq(h), s);
        Some(s)
    } else {
        assert_failed(rc, null_mut(), "cz_campaign_execute");
        assert_eq!(seq(h), before, "a refused command moved the sequence");
        None
    }
}

/// Frees `h`, reopens `path`: the reopen succeeds with the same sequence and state.
fn reopen_same(h: *mut cz_campaign, path: &CString) {
    let (s, st) = (seq(h), state(h));
    free(h);
    let (rc, h2) = open(path);
    assert_eq!(rc, ffi::CZ_OK, "reopen failed: {}", last_error());
    assert_eq!(seq(h2), s, "the sequence changed across a reopen");
    assert_eq!(state(h2), st, "the state changed across a reopen");
    free(h2);
}

impl Paths {
    pub fn new() -> Paths {
        let dir = std::env::temp_dir().join(format!("cz-fuzz-paths-{}", std::process::id()));
        let (journal, states) = super::small_journal(40);
        let commands = demo::commands(&DemoSpec::small())
            .iter()
            .map(Command::to_json)
            .collect();
        let info = serde_json::to_string(&demo::info()).expect("demo info");
        Paths {
            dir,
            journal,
            states,
            commands,
            info: CString::new(info).expect("info"),
            rules: CString::new(RuleSet::default().to_json()).expect("rules"),
        }
    }

    /// `name` under the scratch directory (see the module's comment): cut at NUL, `..`
    /// components dropped, every other byte kept.
    pub fn path_for(&self, name: &[u8]) -> PathBuf {
        let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
        let mut p = self.dir.as_os_str().as_bytes().to_vec();
        for comp in name[..end].split(|&b| b == b'/') {
            if comp != b".." {
                p.push(b'/');
                p.extend_from_slice(comp);
            }
        }
        let p = PathBuf::from(OsString::from_vec(p));
        assert!(
            p.starts_with(&self.dir),
            "a path outside the scratch directory"
        );
        p
    }

    fn c_path(p: &Path) -> CString {
        CString::new(p.as_os_str().as_bytes()).expect("no NUL in a mapped path")
    }

    fn reset(&self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        std::fs::create_dir_all(&self.dir).expect("scratch directory");
    }

    /// The whole target: byte 0 picks the mode.
    pub fn check(&self, data: &[u8]) {
        self.reset();
        let Some((&mode, rest)) = data.split_first() else {
            return;
        };
        match mode % 4 {
            0 => self.check_file(rest, false),
            1 => {
                let mut j = self.journal.clone();
                super::edit(&mut j, rest);
                self.check_file(&j, true);
            }
            2 => self.check_file(&self.resealed(rest, mode & 0x80 != 0), false),
            _ => self.check_create(mode, rest),
        }
    }

    /// Each line of `lines` sealed into a valid chain behind the demo header, optionally
    /// with a torn tail: files that verify but hold any records.
    fn resealed(&self, lines: &[u8], torn: bool) -> Vec<u8> {
        let c = chuangzheng::ledger::Campaign::in_memory(demo::info(), RuleSet::default())
            .expect("demo info");
        let mut out = c.header_line().into_bytes();
        let mut prev = c.header_hash();
        let mut parts: Vec<&[u8]> = lines.split(|&b| b == b'\n').collect();
        let tail = if torn { parts.pop() } else { None };
        for part in parts {
            prev = seal(&prev, part, &mut out);
        }
        out.extend_from_slice(tail.unwrap_or_default());
        out
    }

    /// Open of fuzzed file contents. On success the sequence is the number of complete
    /// records (a torn tail is dropped, saved beside the file, and the file cut back); a
    /// second open while the first handle lives fails with `Locked`; one command, then free
    /// and reopen, keeps the sequence and the state.
    fn check_file(&self, contents: &[u8], prefix_of_demo: bool) {
        let path = self.dir.join("journal.jsonl");
        std::fs::write(&path, contents).expect("write the journal");
        let cpath = Self::c_path(&path);
        let (rc, h) = open(&cpath);
        if rc != ffi::CZ_OK {
            assert_failed(rc, h, "cz_campaign_open");
            assert_eq!(
                std::fs::read(&path).expect("read back"),
                contents,
                "a failed open changed the file"
            );
            return;
        }
        assert!(!h.is_null());
        let lines = contents.iter().filter(|&&b| b == b'\n').count() as u64;
        let complete = contents
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        assert_eq!(
            seq(h),
            lines - 1,
            "the sequence is not the number of records"
        );
        let now = std::fs::read(&path).expect("read back");
        assert_eq!(
            now,
            contents[..complete],
            "the file was not cut back to its records"
        );
        let tail = &contents[complete..];
        let saved = self.dir.join(format!("journal.jsonl.torn-{complete}"));
        if tail.is_empty() {
            assert!(!saved.exists(), "a tail saved from a file without one");
        } else {
            assert_eq!(
                std::fs::read(&saved).expect("the torn tail saved beside the journal"),
                tail
            );
        }
        let n = usize::try_from(seq(h)).expect("seq");
        if prefix_of_demo {
            assert_eq!(
                state(h),
                self.states[n],
                "an edited journal opened to another state"
            );
        }
        // Exclusive: a second handle on the same file is refused while this one lives.
        let (rc2, h2) = open(&cpath);
        assert_eq!(
            rc2,
            LOCKED,
            "a second open of a live journal: {}",
            last_error()
        );
        assert_failed(rc2, h2, "a second cz_campaign_open");
        // One command: the city's next one is valid on a prefix of the city.
        let cmd = self.commands.get(n).unwrap_or(&self.commands[0]);
        let accepted = execute(h, cmd);
        if prefix_of_demo && n < self.commands.len() {
            assert_eq!(
                accepted,
                Some(n as u64 + 1),
                "the next city command was refused"
            );
        }
        reopen_same(h, &cpath);
    }

    /// Create with a fuzzed name, info and rules. Byte `flags`: bit 0 the fuzzed info (else
    /// the demo's), bit 1 the fuzzed rules (else NULL), bit 2 the defaults' JSON for rules
    /// instead of NULL, bits 3–4 the situation: 0 plain (parents made), 1 a directory at the
    /// path, 2 a missing parent directory, 3 the empty path; bit 5 (plain only) a file of
    /// someone else's already at the name create uses for its temporary,
    /// `<path>.creating-<pid>`. The rest: name, info, rules, split at NUL. A failed create
    /// leaves the scratch directory exactly as it was; a successful one adds the journal
    /// only.
    fn check_create(&self, mode: u8, rest: &[u8]) {
        let flags = rest.first().copied().unwrap_or(0);
        let mut parts = rest.get(1..).unwrap_or_default().splitn(3, |&b| b == 0);
        let name = parts.next().unwrap_or_default();
        let info = c_string(parts.next().unwrap_or_default());
        let rules = c_string(parts.next().unwrap_or_default());
        let info = if flags & 1 != 0 { &info } else { &self.info };
        let rules_ptr = if flags & 2 != 0 {
            rules.as_ptr()
        } else if flags & 4 != 0 {
            self.rules.as_ptr()
        } else {
            null()
        };
        let situation = (flags >> 3) & 3;
        let path = match situation {
            2 => self.path_for(&[b"missing/", name].concat()),
            _ => self.path_for(name),
        };
        let cpath = if situation == 3 {
            CString::default()
        } else {
            Self::c_path(&path)
        };
        let valid_utf8 = situation == 3 || path.to_str().is_some();
        // The demo's info with no rules or the defaults' JSON: only the path can be wrong.
        let known_good = info == &self.info && flags & 2 == 0;
        match situation {
            0 => {
                if let Some(parent) = path.parent().filter(|p| p.starts_with(&self.dir)) {
                    let _ = std::fs::create_dir_all(parent);
                }
                if flags & 0x20 != 0 {
                    let mut tmp = path.as_os_str().to_owned();
                    tmp.push(format!(".creating-{}", std::process::id()));
                    let _ = std::fs::write(tmp, b"not the library's");
                }
            }
            1 => {
                let _ = std::fs::create_dir_all(&path);
            }
            _ => {}
        }
        let is_dir = situation != 3 && path.is_dir();
        let before = self.listing();
        let mut h = null_mut();
        // SAFETY: valid strings (or NULL rules) and out pointer.
        let rc =
            unsafe { ffi::cz_campaign_create(cpath.as_ptr(), info.as_ptr(), rules_ptr, &mut h) };
        if rc != ffi::CZ_OK {
            assert_failed(rc, h, "cz_campaign_create");
            if !valid_utf8 {
                // The path is read first.
                assert_eq!(rc, ffi::CZ_INVALID_UTF8);
            } else if known_good {
                // Nothing wrong but the path.
                if situation == 3 {
                    assert_eq!(rc, IO, "the empty path: {}", last_error());
                    // Refused before the file system is touched (not by a failed create).
                    assert!(
                        last_error().contains("the path is empty"),
                        "the empty path: {}",
                        last_error()
                    );
                } else {
                    assert!(rc == IO || rc == EXISTS, "create: {rc} {}", last_error());
                }
                if situation == 2 {
                    assert_eq!(rc, IO, "a missing parent: {}", last_error());
                }
                if is_dir {
                    assert_eq!(rc, EXISTS, "a directory at the path: {}", last_error());
                }
            }
            // Nothing was made, changed or removed: not at the path, not beside it.
            assert!(
                self.listing() == before,
                "a failed create changed the scratch directory"
            );
            if mode & 0x80 != 0 && situation != 3 {
                // Opening what is not a journal fails too, with a typed error.
                let (rc, h) = open(&cpath);
                assert_failed(rc, h, "cz_campaign_open of a failed create's path");
            }
            return;
        }
        assert!(!h.is_null() && valid_utf8 && situation != 3 && !is_dir);
        assert_eq!(seq(h), 0);
        // The journal, and nothing else, was added (no temporary stays behind).
        let mut after = self.listing();
        let made = path.components().collect::<PathBuf>();
        assert!(
            after.remove(&made).is_some() && after == before,
            "a create changed more than its journal"
        );
        let written = std::fs::read(&path).expect("the new journal");
        // Never overwrite: a second create at the same path fails and changes nothing.
        let mut h2 = null_mut();
        // SAFETY: as above.
        let rc2 =
            unsafe { ffi::cz_campaign_create(cpath.as_ptr(), self.info.as_ptr(), null(), &mut h2) };
        assert_eq!(
            rc2,
            EXISTS,
            "a second create at the same path: {}",
            last_error()
        );
        assert_failed(rc2, h2, "a second cz_campaign_create");
        assert_eq!(
            std::fs::read(&path).expect("journal"),
            written,
            "overwritten"
        );
        // Exclusive while the first handle lives.
        let (rc3, h3) = open(&cpath);
        assert_eq!(rc3, LOCKED, "open of a live journal: {}", last_error());
        assert_failed(rc3, h3, "cz_campaign_open of a live journal");
        // One command (the city's first: the root organization), then free and reopen.
        let accepted = execute(h, &self.commands[0]);
        if known_good {
            assert_eq!(accepted, Some(1), "the first city command was refused");
        }
        reopen_same(h, &cpath);
    }

    /// Every file (with its contents) and directory (`None`) under the scratch directory.
    fn listing(&self) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
        fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Option<Vec<u8>>>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                    out.insert(p, None);
                } else {
                    let data = std::fs::read(&p).unwrap_or_default();
                    out.insert(p, Some(data));
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.dir, &mut out);
        out
    }
}
