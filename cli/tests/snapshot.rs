//! `snapshot`, run as a user would: later commands read the journal from the snapshot and give
//! the same figures; a damaged snapshot is skipped with a note, never trusted.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chuangzheng"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn figures(journal: &Path, out: &Path) -> (Vec<u8>, String) {
    let o = run(&["figures", s(journal), "--out", s(out)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    (std::fs::read(out).unwrap(), text(&o.stderr))
}

#[test]
fn a_snapshot_gives_the_same_figures_and_a_damaged_one_is_skipped() {
    let dir: PathBuf = std::env::temp_dir().join(format!("cz-cli-snapshot-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = run(&["demo", "--small", "--out", s(&dir)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let journal = dir.join("journal.jsonl");
    let (whole, _) = figures(&journal, &dir.join("whole.json"));

    let o = run(&["snapshot", s(&journal)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let said = text(&o.stdout);
    assert!(
        said.contains("已写入快照") && said.contains("journal.jsonl.snapshot"),
        "{said}"
    );
    let snapshot = dir.join("journal.jsonl.snapshot");
    let bytes = std::fs::read(&snapshot).unwrap();
    assert!(said.contains(&format!("{} 字节", bytes.len())), "{said}");

    let (from_snapshot, note) = figures(&journal, &dir.join("snapshot.json"));
    assert_eq!(from_snapshot, whole);
    assert!(!note.contains("快照"), "{note}");

    let mut bad = bytes.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 1;
    std::fs::write(&snapshot, &bad).unwrap();
    let (skipped, note) = figures(&journal, &dir.join("skipped.json"));
    assert_eq!(skipped, whole);
    assert!(
        note.contains("快照未采用") && note.contains("checksum"),
        "{note}"
    );

    // Writing a snapshot again replaces the damaged one.
    let o = run(&["snapshot", s(&journal)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("快照未采用"),
        "the damage is reported"
    );
    assert_eq!(std::fs::read(&snapshot).unwrap(), bytes);
    let _ = std::fs::remove_dir_all(&dir);
}
