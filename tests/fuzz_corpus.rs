//! Replays the fuzzing corpora, regressions and hand-written cases (`fuzz/corpus/<target>/`,
//! `fuzz/regressions/<target>/`, `fuzz/cases/<target>/`) on stable Rust, through the same properties as the fuzz
//! targets in `fuzz/fuzz_targets/` (see RELIABILITY.md, "Fuzzing"). The checks are the fuzz
//! crate's own plain-Rust module (`fuzz/fuzz_targets/common/`), included here by path: no
//! fuzzing dependency, and one copy of each check.

#[path = "../fuzz/fuzz_targets/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use common::*;

// ---------------------------------------------------------------------------------------
// The replay: every file of a target's corpus and regressions through its check.

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    // `cases`: hand-written inputs for paths the automatic pick of the corpus may drop.
    for dir in ["corpus", "regressions", "cases"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries {
            let path = e.expect("directory entry").path();
            if path.is_file() {
                let data = std::fs::read(&path).expect("corpus file");
                out.push((path, data));
            }
        }
    }
    out.sort();
    out
}

/// Runs `check` on every input of `target`, naming the file that fails.
fn replay(target: &str, min: usize, mut check: impl FnMut(&[u8])) {
    let files = inputs(target);
    assert!(
        files.len() >= min,
        "{target}: {} corpus files, expected at least {min}",
        files.len()
    );
    for (path, data) in &files {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(data)));
        if let Err(e) = outcome {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{target}: {} fails: {why}", path.display());
        }
    }
}

#[test]
fn journal_replay_corpus() {
    let (journal, states) = small_journal(40);
    replay("journal_replay", 10, |data| {
        check_journal(data, &journal, &states)
    });
}

#[test]
fn command_json_corpus() {
    let mut c = full_demo();
    let snap = c.snapshot_json();
    replay("command_json", 10, |data| {
        check_command(&mut c, &snap, data, true)
    });
}

#[test]
fn command_sequence_corpus() {
    replay("command_sequence", 5, |data| {
        check_sequence(&sequence::command_lines(data))
    });
}

#[test]
fn import_jsonl_corpus() {
    let city = city().snapshot_json();
    replay("import_jsonl", 3, |data| check_import(&city, data));
}

#[test]
fn rules_json_corpus() {
    replay("rules_json", 2, |data| {
        if let Ok(text) = std::str::from_utf8(data) {
            check_rules(text);
        }
    });
}

#[test]
fn ffi_strings_corpus() {
    let handles = FfiHandles::new();
    replay("ffi_strings", 10, |data| handles.check(data));
}

#[test]
fn ffi_paths_corpus() {
    let paths = paths::Paths::new();
    replay("ffi_paths", 10, |data| paths.check(data));
}

#[test]
fn read_workbook_corpus() {
    replay("read_workbook", 5, sheets::check_workbook);
}

#[test]
fn snapshot_read_corpus() {
    let case = snapshot::SnapshotCase::new();
    replay("snapshot_read", 30, |data| case.check(data));
}
