//! `figures`, `merge` and `report --figures`, run as a user would: the figures of two townships
//! merged and reported, equal to the journal's own counts; every refusal with its code, the file
//! it was found in, and its exit status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chuangzheng"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The small demo's journal, and a directory for the test's files.
fn demo() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("cz-cli-rollup-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = run(&["demo", "--small", "--out", s(&dir)]);
        assert!(out.status.success(), "{}", stderr(&out));
        dir
    })
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `figures` of `scope` (with `extra` options) into `name` in the demo's directory.
fn figures(scope: &str, name: &str, extra: &[&str]) -> PathBuf {
    let dir = demo();
    let out = dir.join(name);
    let journal = dir.join("journal.jsonl");
    let mut args = vec!["figures", s(&journal), "--scope", scope, "--out", s(&out)];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn two_townships_merge_and_report_as_the_city_s_parts() {
    let (t1, t2) = (
        figures("t-01", "t1.json", &[]),
        figures("t-02", "t2.json", &[]),
    );
    let both = demo().join("both.json");
    let o = run(&["merge", s(&t1), s(&t2), "--out", s(&both)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let merged = json(&both);
    assert_eq!(merged["format"], "chuangzheng.stage_figures");
    assert_eq!(merged["scopes"].as_array().unwrap().len(), 2);
    // Each count is the sum of the two townships'.
    let made = |v: &serde_json::Value| v["totals"]["pledges"]["revised_orgs"].as_u64().unwrap();
    assert_eq!(made(&merged), made(&json(&t1)) + made(&json(&t2)));
    // The report of the merge: the two townships as parts, under their city.
    let o = run(&["report", "--figures", s(&both)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("范围：东港市委"), "{text:.300}");
    assert!(
        text.contains("第1镇党委") && text.contains("第2镇党委"),
        "{text}"
    );
    // Its JSON figures match the journal's report of the same township, one scope alone.
    let o = run(&["report", "--figures", s(&t1), "--format", "json"]);
    let from_figures: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let journal = demo().join("journal.jsonl");
    let o = run(&["report", s(&journal), "--scope", "t-01", "--format", "json"]);
    let from_journal: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(from_figures["figures"], from_journal["figures"]);
    assert_eq!(from_figures["display"], from_journal["display"]);
    // And as a workbook.
    let xlsx = demo().join("both.xlsx");
    let o = run(&[
        "report",
        "--figures",
        s(&both),
        "--format",
        "xlsx",
        "--out",
        s(&xlsx),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
}

#[test]
fn merges_of_overlapping_or_different_figures_are_refused() {
    let t1 = figures("t-01", "r-t1.json", &[]);
    let city = figures("city", "r-city.json", &[]);
    let early = figures("t-02", "r-t2-early.json", &["--as-of", "2010-09-30"]);
    for (files, code, words) in [
        (vec![&t1, &t1], "5006", "重复计数"),
        (vec![&city, &t1], "5006", "东港市委"),
        (vec![&t1, &early], "5005", "统计截止日"),
    ] {
        let mut args = vec!["merge"];
        args.extend(files.iter().map(|p| s(p)));
        let o = run(&args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(&format!("[{code}]")) && err.contains(words),
            "{err}"
        );
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn a_broken_figures_file_is_named_in_the_refusal() {
    let t1 = figures("t-01", "b-t1.json", &[]);
    let broken = demo().join("broken.json");
    let text = std::fs::read_to_string(&t1).unwrap();
    std::fs::write(
        &broken,
        text.replacen("\"version\": 1", "\"version\": 9", 1),
    )
    .unwrap();
    let o = run(&["merge", s(&t1), s(&broken)]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("[5004]") && err.contains("broken.json") && err.contains("version"),
        "{err}"
    );
    // Past the size bound it is refused from its size, before it is read (a sparse file).
    let huge = demo().join("huge.json");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len((256 << 20) + 1).unwrap();
    let o = run(&["report", "--figures", s(&huge)]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("[5004]") && err.contains("256 MiB"), "{err}");
    let missing = demo().join("missing.json");
    let o = run(&["report", "--figures", s(&missing)]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

#[test]
fn report_takes_a_journal_or_figures_not_both() {
    let t1 = figures("t-01", "u-t1.json", &[]);
    let journal = demo().join("journal.jsonl");
    for args in [
        vec!["report"],
        vec!["report", s(&journal), "--figures", s(&t1)],
        vec!["report", "--figures", s(&t1), "--scope", "t-01"],
        vec!["merge"],
        vec!["merge", s(&t1), "--title", ""],
    ] {
        let o = run(&args);
        let code = o.status.code();
        assert!(
            code == Some(2) || code == Some(1),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).is_empty(), "{args:?}");
    }
}

/// `demo --province 3 --small`, once.
fn shards() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("cz-cli-shards-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let o = run(&["demo", "--province", "3", "--small", "--out", s(&dir)]);
        assert!(o.status.success(), "{}", stderr(&o));
        dir
    })
}

#[test]
fn the_cities_journals_merge_into_the_province_s_figures() {
    let dir = shards();
    let province = dir.join("province.jsonl");
    let mut own = Vec::new();
    let mut scoped = Vec::new();
    for k in 0..3 {
        let city = format!("k{k:03}.city");
        let f = dir.join(format!("{city}.own.json"));
        let journal = dir.join(format!("{city}.jsonl"));
        let o = run(&["figures", s(&journal), "--out", s(&f)]);
        assert!(o.status.success(), "{}", stderr(&o));
        own.push(f);
        let f = dir.join(format!("{city}.scoped.json"));
        let o = run(&["figures", s(&province), "--scope", &city, "--out", s(&f)]);
        assert!(o.status.success(), "{}", stderr(&o));
        scoped.push(f);
    }
    let whole = dir.join("whole.json");
    let o = run(&["figures", s(&province), "--out", s(&whole)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let merge = |files: &[PathBuf], out: &str, title: &[&str]| {
        let out = dir.join(out);
        let mut args = vec!["merge"];
        args.extend(files.iter().map(|p| s(p)));
        args.extend_from_slice(&["--out", s(&out)]);
        args.extend_from_slice(title);
        let o = run(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        json(&out)
    };
    let from_own = merge(&own, "own.json", &["--title", "演示省"]);
    let from_scoped = merge(&scoped, "scoped.json", &[]);
    let whole = json(&whole);
    assert_eq!(from_own["totals"], whole["totals"]);
    assert_eq!(from_scoped["totals"], whole["totals"]);
    for (a, b) in own.iter().zip(&scoped) {
        assert_eq!(json(a)["totals"], json(b)["totals"], "{}", a.display());
    }
    // The scoped merge is the province's by its common parent; the own one by its title. Both
    // report the province's figures, key for key.
    let report = |f: &str| {
        let o = run(&["report", "--figures", s(&dir.join(f)), "--format", "json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let o = run(&["report", s(&province), "--format", "json"]);
    let journal_report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for f in ["own.json", "scoped.json"] {
        let r = report(f);
        assert_eq!(r["figures"], journal_report["figures"], "{f}");
        assert_eq!(r["parts"].as_array().unwrap().len(), 3, "{f}");
    }
    assert_eq!(report("scoped.json")["scope"]["org"], "prov");
    // The province's figures and a city's from its own journal overlap.
    let o = run(&["merge", s(&dir.join("whole.json")), s(&own[0])]);
    assert!(stderr(&o).contains("[5006]"), "{}", stderr(&o));
}
