//! The command-line tool, run as a user would: the demo and its files, reports, the audit,
//! imports (all or nothing, and --keep-going), verification, rules, and every kind of error
//! with its exit status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use chuangzheng::demo::{self, DemoSpec};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chuangzheng"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cz-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `demo --out DIR`, run once for the tests that read its files.
fn demo_dir() -> &'static (PathBuf, String) {
    static DEMO: OnceLock<(PathBuf, String)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = scratch("demo");
        let out = bin().arg("demo").arg("--out").arg(&dir).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        (dir, stdout(&out))
    })
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn demo_writes_the_journal_and_the_report_in_four_formats() {
    let (dir, printed) = demo_dir();
    for f in [
        "journal.jsonl",
        "report.json",
        "report.txt",
        "report.html",
        "report.xlsx",
    ] {
        assert!(dir.join(f).exists(), "{f}");
    }
    let text = std::fs::read_to_string(dir.join("report.txt")).unwrap();
    assert!(printed.ends_with(&text), "the printed report is the file's");
    assert!(text.contains("共做出实事承诺24768件"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["figures"]["pledge.practical.total"], 24768);
    assert_eq!(json["figures"]["coverage.non_public.rate"], "0.8661");
    assert_eq!(json["as_of"], "2010-10-31");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // The workbook: the report of the journal, as `report --format xlsx` writes it to a pipe
    // and to a file, byte for byte (its contents: tests/xlsx/check_workbook.py).
    let xlsx = std::fs::read(dir.join("report.xlsx")).unwrap();
    assert!(xlsx.starts_with(b"PK\x03\x04"));
    let journal = dir.join("journal.jsonl");
    let piped = run(&["report", path(&journal), "--format", "xlsx"]);
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert_eq!(piped.stdout, xlsx);
    let file = dir.join("again.xlsx");
    let out = run(&[
        "report",
        path(&journal),
        "--format",
        "xlsx",
        "--out",
        path(&file),
    ]);
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&file).unwrap(), xlsx);
}

#[test]
fn verify_and_report_read_the_demo_journal_back() {
    let (dir, printed) = demo_dir();
    let journal = dir.join("journal.jsonl");
    let out = run(&["verify", "--json", path(&journal)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let records = v["records"].as_u64().unwrap();
    assert!(
        printed.contains(&format!("已校验 {records} 条记录")),
        "{printed}"
    );
    assert!(printed.contains(&format!("({records} records verified")));
    assert_eq!(v["last_seq"], records);
    assert_eq!(v["latest_date"], "2010-10-31");
    // The report from the journal, as of its latest date, is the demo's.
    let out = run(&["report", path(&journal), "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let from_journal: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let demo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(from_journal["figures"], demo["figures"]);
    assert_eq!(from_journal["aggregates"], demo["aggregates"]);
    // A township's report over a span, as an HTML file.
    let page = dir.join("t-01.html");
    let out = run(&[
        "report",
        path(&journal),
        "--scope",
        "t-01",
        "--from",
        "2010-07-01",
        "--as-of",
        "2010-09-30",
        "--format",
        "html",
        "--out",
        path(&page),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("第1镇党委") && html.contains("2010年9月30日"));
    let out = run(&["report", path(&journal), "--scope", "t-01"]);
    assert!(stdout(&out).contains("全镇"));
    assert!(stdout(&out).contains("统计口径：按截止日组织隶属关系统计。"));
    // The historical reading: named on the page and in the JSON; at the root both readings
    // count every record once, so its figures are the as-of reading's.
    let out = run(&["report", path(&journal), "--attribution", "historical"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("统计口径：按发生时所属组织统计。"));
    let out = run(&[
        "report",
        path(&journal),
        "--attribution",
        "historical",
        "--format",
        "json",
    ]);
    let historical: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(historical["attribution"], "historical");
    assert_eq!(from_journal["attribution"], "as_of");
    assert_eq!(historical["figures"], demo["figures"]);
}

#[test]
fn report_errors_name_what_is_wrong() {
    let (dir, _) = demo_dir();
    let journal = dir.join("journal.jsonl");
    let j = path(&journal);
    let out = run(&["report", j, "--scope", "nowhere"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("[3002]") && stderr(&out).contains("nowhere"),
        "{}",
        stderr(&out)
    );
    for args in [
        &["report", j, "--format", "pdf"][..],
        &["report", j, "--as-of", "2010-13-01"][..],
        &["report", j, "--as-of"][..],
        &["report", j, "--from", "2010-11-01", "--as-of", "2010-10-01"][..],
        &["report"][..],
        &["report", j, "--bogus"][..],
        &["report", j, "--attribution", "history"][..],
        &["report", j, "--attribution"][..],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        usage_error_is_one_line_and_a_hint(&stderr(&out), "report");
    }
    let out = run(&["report", "/nonexistent/journal.jsonl"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("[4001]"));
}

#[test]
fn audit_checks_the_seeds_claims_against_the_journal() {
    let (dir, _) = demo_dir();
    let journal = dir.join("journal.jsonl");
    let claims = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/seed-claims.json");
    let out = run(&["audit", claims, path(&journal)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("[non-public-rate] 另一口径下有据"), "{text}");
    assert!(
        text.contains("无据 0，") && text.contains("unsupported 0,"),
        "{text}"
    );
    assert!(!text.contains("SupportedUnderReading"), "{text}");
    assert!(
        text.contains("另一口径下有据 / supported under a reading"),
        "{text}"
    );
    let out = run(&["audit", claims, path(&journal), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["findings"][0]["verdict"], "supported");
    // A claim the records do not support fails the audit with exit status 1.
    let wrong = dir.join("wrong.json");
    std::fs::write(
        &wrong,
        r#"{"claims":[{"id":"x","text":"实事承诺25000件","figure":"pledge.practical.total","claimed":"25000"}]}"#,
    )
    .unwrap();
    let out = run(&["audit", path(&wrong), path(&journal)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("差额（声明值减重算值）：232 / difference (claimed − computed): 232"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("[5002]"));
    // An unreadable claims file names the field.
    std::fs::write(&wrong, r#"{"claims":[{"figure":"x"}]}"#).unwrap();
    let out = run(&["audit", path(&wrong), path(&journal)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("[5001]") && stderr(&out).contains("claims[0]"));
    let out = run(&["audit", path(&wrong)]);
    assert_eq!(out.status.code(), Some(2));
}

/// The small demo city and its records as a JSON Lines file, with a leading comment.
fn small_city_file(dir: &Path) -> (PathBuf, usize) {
    let spec = DemoSpec::small();
    let campaign = demo::build(&spec).unwrap();
    let mut cmds = demo::commands(&spec);
    let city = {
        let mut c = chuangzheng::ledger::Campaign::in_memory(
            demo::info(),
            chuangzheng::rules::RuleSet::default(),
        )
        .unwrap();
        c.execute_batch(&cmds).unwrap();
        c
    };
    cmds.extend(demo::records(city.state(), &spec));
    assert_eq!(cmds.len() as u64, campaign.seq());
    let mut text = String::from("# the small demo city\n\n");
    for c in &cmds {
        text.push_str(&c.to_json());
        text.push('\n');
    }
    let file = dir.join("city.jsonl");
    std::fs::write(&file, text).unwrap();
    (file, cmds.len())
}

#[test]
fn import_is_all_or_nothing_unless_told_to_keep_going() {
    let dir = scratch("import");
    let (file, n) = small_city_file(&dir);
    let mut text = std::fs::read_to_string(&file).unwrap();
    // Two header lines, then the commands; then a malformed line and a duplicate.
    let malformed = n + 3;
    let duplicate = n + 4;
    text.push_str("{\"at\":\"2010-05-01\"}\n");
    text.push_str(text.lines().nth(3).unwrap().to_string().as_str());
    text.push('\n');
    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, &text).unwrap();
    let journal = dir.join("j.jsonl");
    let create = ["--create", "small-city", "小城"];
    // All or nothing: refused, nothing recorded, no journal left behind.
    let out = bin()
        .arg("import")
        .arg(&journal)
        .arg(&bad)
        .args(create)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&format!("line {malformed}: [3001]")), "{err}");
    assert!(err.contains(&format!("line {duplicate}: [3003]")), "{err}");
    assert!(err.contains("nothing recorded"), "{err}");
    assert!(!journal.exists());
    // The same file into a journal holding the good lines: only the duplicate is refused
    // (checked against the state the earlier lines build), and nothing is added.
    let out = bin()
        .arg("import")
        .arg(&journal)
        .arg(&file)
        .args(create)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("seq {n}")));
    let more = dir.join("more.jsonl");
    let rename = r#"{"at":"2010-06-01","actor":{"org":"city"},"event":{"rename_org":{"org":"city","name":"东港市委 (新)"}}}"#;
    let refused_line = r#"{"at":"2010-06-01","actor":{"org":"city"},"event":{"rename_org":{"org":"nowhere","name":"无"}}}"#;
    std::fs::write(&more, format!("{rename}\n{refused_line}\n")).unwrap();
    let out = run(&["import", path(&journal), path(&more)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("line 2: [3002]") && stderr(&out).contains("event.org"),
        "{}",
        stderr(&out)
    );
    let seq = |j: &Path| {
        let v: serde_json::Value =
            serde_json::from_str(&stdout(&run(&["verify", "--json", path(j)]))).unwrap();
        v["last_seq"].as_u64().unwrap()
    };
    assert_eq!(
        seq(&journal),
        n as u64,
        "all or nothing: the good line waited"
    );
    // --keep-going records the good line and lists the bad one.
    let out = run(&["import", path(&journal), path(&more), "--keep-going"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("recorded 1, refused 1"),
        "{}",
        stderr(&out)
    );
    assert_eq!(seq(&journal), n as u64 + 1);
    // Usage.
    assert_eq!(run(&["import", path(&journal)]).status.code(), Some(2));
    assert_eq!(
        run(&["import", path(&journal), path(&more), "--rules", "x.json"])
            .status
            .code(),
        Some(2)
    );
    let out = run(&["import", path(&journal), "/nonexistent.jsonl"]);
    assert_eq!(out.status.code(), Some(3));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn verify_names_the_corrupt_record() {
    let (dir, journal, text, _, _) = small_journal("verify");
    // Change one record: line 31 is the header plus 30 records, so record seq 30.
    let lines: Vec<&str> = text.lines().collect();
    let tampered_line = lines[30].replacen("\"org\"", "\"org \"", 1);
    assert_ne!(tampered_line, lines[30]);
    let mut tampered = lines.clone();
    tampered[30] = &tampered_line;
    std::fs::write(&journal, tampered.join("\n") + "\n").unwrap();
    let out = run(&["verify", path(&journal)]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("[4005]") && err.contains("seq 30"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A journal of the small city, imported; its text and last record's hash and seq, read as
/// plain JSON.
fn small_journal(name: &str) -> (PathBuf, PathBuf, String, String, u64) {
    let dir = scratch(name);
    let (file, _) = small_city_file(&dir);
    let journal = dir.join("j.jsonl");
    let out = bin()
        .arg("import")
        .arg(&journal)
        .arg(&file)
        .args(["--create", "small-city", "小城"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&journal).unwrap();
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let (h, seq) = (
        last["h"].as_str().unwrap().to_string(),
        last["seq"].as_u64().unwrap(),
    );
    (dir, journal, text, h, seq)
}

#[test]
fn verify_exits_4_when_bytes_belong_to_no_record() {
    let (dir, journal, text, _, seq) = small_journal("verify-torn");
    let torn = dir.join("torn.jsonl");
    // The last 40 bytes cut off, then half the file: each leaves a line without its end.
    for keep in [text.len() - 40, text.len() / 2] {
        std::fs::write(&torn, &text.as_bytes()[..keep]).unwrap();
        let whole_lines = text[..keep].matches('\n').count() as u64;
        let out = run(&["verify", path(&torn)]);
        assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
        let err = stderr(&out);
        let offset = text[..keep].rfind('\n').unwrap() + 1;
        assert!(err.contains("[4010]"), "{err}");
        assert!(
            err.contains(&format!("{} bytes from byte {offset}", keep - offset)),
            "{err}"
        );
        assert!(stdout(&out).contains("日志不完整"));
        let out = run(&["verify", "--json", path(&torn)]);
        assert_eq!(out.status.code(), Some(4));
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v["whole"], false);
        assert_eq!(v["records"], whole_lines - 1);
        assert_eq!(v["uncovered"]["offset"], offset as u64);
        assert_eq!(v["uncovered"]["bytes"], (keep - offset) as u64);
        assert_eq!(v["problems"][0]["code"], 4010);
    }
    // The whole journal is whole.
    let out = run(&["verify", "--json", path(&journal)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (v["whole"].clone(), v["last_seq"].clone()),
        (true.into(), seq.into())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `text` with the first record naming a 党 renamed 团 and every seal from it on recomputed as
/// docs/events.md describes them (SM3 of the previous hash's 32 bytes and the line up to its
/// last `,"h":"`).
fn reseal(text: &str) -> String {
    use sm3::{Digest, Sm3};
    let mut prev = [0u8; 32];
    let mut changed = false;
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let at = line.rfind(",\"h\":\"").unwrap();
        let mut body = line[..at].to_string();
        if i > 0 && !changed && body.contains('党') {
            body = body.replacen('党', "团", 1);
            changed = true;
        }
        let mut h = Sm3::new();
        h.update(prev);
        h.update(body.as_bytes());
        prev = h.finalize().into();
        let hex: String = prev.iter().map(|b| format!("{b:02x}")).collect();
        out.push_str(&format!("{body},\"h\":\"{hex}\"}}\n"));
    }
    assert!(changed, "a record names a 党");
    out
}

#[test]
fn verify_anchors_catch_a_cut_at_a_record_boundary_and_a_reseal() {
    let (dir, journal, text, h, seq) = small_journal("verify-anchors");
    let anchored = |j: &Path, h: &str, seq: u64| {
        run(&[
            "verify",
            path(j),
            "--expect-last-hash",
            h,
            "--expect-seq",
            &seq.to_string(),
        ])
    };
    let out = anchored(&journal, &h, seq);
    assert!(out.status.success(), "{}", stderr(&out));
    // Cut after the 20th line: every remaining record verifies, the anchors do not hold.
    let cut = dir.join("cut.jsonl");
    let lines: String = text.split_inclusive('\n').take(20).collect();
    std::fs::write(&cut, &lines).unwrap();
    assert!(run(&["verify", path(&cut)]).status.success());
    let out = anchored(&cut, &h, seq);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("[4011]") && err.contains("its last hash is"),
        "{err}"
    );
    assert!(
        err.contains(&format!("its last seq is 19, not the {seq} expected")),
        "{err}"
    );
    assert!(
        err.contains("末端哈希") && err.contains("末条记录序号"),
        "{err}"
    );
    // Only the seq anchor given, and it holds: a journal resealed to the same length would
    // pass it, which is why the hash is the anchor to keep.
    let out = run(&["verify", path(&cut), "--expect-seq", "19"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // One record's text changed and every seal from it on recomputed (a reseal end to end):
    // the chain verifies, the kept anchor does not.
    let resealed = dir.join("resealed.jsonl");
    std::fs::write(&resealed, reseal(&text)).unwrap();
    assert!(run(&["verify", path(&resealed)]).status.success());
    let out = anchored(&resealed, &h, seq);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("its last hash is"),
        "{}",
        stderr(&out)
    );
    // An anchor that is not 64 lowercase hex digits is a usage error.
    let out = run(&[
        "verify",
        path(&journal),
        "--expect-last-hash",
        &h.to_uppercase(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["verify", path(&journal), "--expect-seq", "-1"]);
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn verify_names_an_uppercase_hash_a_bom_and_a_crlf() {
    let (dir, _, text, _, _) = small_journal("verify-format");
    let bad = dir.join("bad.jsonl");
    let line5 = text.lines().nth(4).unwrap();
    let at = line5.rfind("\"h\":\"").unwrap() + 5;
    let upper = format!("{}{}", &line5[..at], line5[at..].to_uppercase());
    let cases = [
        (text.replacen(line5, &upper, 1), "[4005]", "uppercase hex"),
        (format!("\u{feff}{text}"), "[4004]", "byte-order mark"),
        (
            text.replacen(line5, &format!("{line5}\r"), 1),
            "[4005]",
            "CR LF",
        ),
    ];
    for (journal, code, why) in cases {
        std::fs::write(&bad, journal).unwrap();
        let out = run(&["verify", path(&bad)]);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(err.contains(code) && err.contains(why), "{why}: {err}");
        assert!(!err.contains("does not match"), "{err}");
        chinese_is_full_width(&err);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_exit_2_and_help_explains() {
    for args in [
        &[][..],
        &["fly"][..],
        &["demo", "--bogus"][..],
        &["demo", "extra"][..],
        &["verify"][..],
        &["demo", "--out"][..],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let command = match args.first() {
            Some(c) if *c != "fly" => *c,
            _ => "",
        };
        usage_error_is_one_line_and_a_hint(&stderr(&out), command);
    }
    let out = run(&["--version"]);
    assert!(stdout(&out).contains(env!("CARGO_PKG_VERSION")));
    let help = stdout(&run(&["--help"]));
    for word in [
        "demo",
        "report",
        "import",
        "verify",
        "audit",
        "rules",
        "EXIT STATUS",
    ] {
        assert!(help.contains(word), "{word}");
    }
}

#[test]
fn rules_prints_the_defaults_and_checks_a_citys_file() {
    use chuangzheng::rules::RuleSet;
    let out = run(&["rules"]);
    assert!(out.status.success());
    let printed = RuleSet::from_json(&stdout(&out)).unwrap();
    assert_eq!(printed, RuleSet::default());
    // The reference in docs/rules.md shows exactly the defaults.
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rules.md")).unwrap();
    let block = doc
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .unwrap();
    assert_eq!(RuleSet::from_json(block).unwrap(), RuleSet::default());
    // A city's file: valid, and invalid with the field named.
    let dir = scratch("rules");
    let good = dir.join("good.json");
    std::fs::write(
        &good,
        r#"{"version":1,"name":"东港","method123":{"receptions_per_week":2}}"#,
    )
    .unwrap();
    for verb in ["check", "--check"] {
        let out = run(&["rules", verb, path(&good)]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"version":1,"name":"东港","ranking":{"weights_percent":{"pledges":50,"method123":50,"coverage":50,"members":0}}}"#).unwrap();
    let out = run(&["rules", "check", path(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("ranking.weights_percent") && err.contains("[2113]"),
        "{err}"
    );
    assert_eq!(run(&["rules", "--bogus"]).status.code(), Some(2));
    assert_eq!(
        run(&["rules", "check", "/nonexistent.json"]).status.code(),
        Some(3)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The first ASCII `,` `;` `:` `(` `)` of a Chinese message outside quoted values (`"…"`,
/// `` `…` ``), numbers and times: a Chinese sentence takes full-width `，；：（）`.
fn ascii_punctuation(zh: &str) -> Option<char> {
    let chars: Vec<char> = zh.chars().collect();
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some('"') if c == '\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '`' => quote = Some(c),
            None if matches!(c, ',' | ';' | ':' | '(' | ')') => {
                let digits = i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if !digits {
                    return Some(c);
                }
            }
            None => {}
        }
        i += 1;
    }
    None
}

/// The Chinese half of each message on stderr: an `错误 [code]：` line, or the part of a
/// `第 N 行` or `用法错误` line before ` / `.
fn chinese_halves(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("错误 [") || l.starts_with("第 ") || l.starts_with("用法错误"))
        .map(|l| l.split(" / ").next().unwrap_or(l))
        .collect()
}

fn chinese_is_full_width(stderr: &str) {
    for zh in chinese_halves(stderr) {
        assert_eq!(ascii_punctuation(zh), None, "{zh}");
    }
}

/// A usage error is one line in both languages and a hint naming the command's `--help`, not
/// the whole help.
fn usage_error_is_one_line_and_a_hint(err: &str, command: &str) {
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with("用法错误：") && lines[0].contains(" / usage: "),
        "{err}"
    );
    let help = if command.is_empty() {
        "chuangzheng --help".to_string()
    } else {
        format!("chuangzheng {command} --help")
    };
    assert!(
        lines[1].starts_with("提示：") && lines[1].contains(&help),
        "{err}"
    );
    assert!(!err.contains("USAGE"), "{err}");
    chinese_is_full_width(err);
}

#[test]
fn every_command_has_its_own_help() {
    for command in ["demo", "report", "import", "verify", "audit", "rules"] {
        for flag in ["--help", "-h"] {
            let out = run(&[command, flag]);
            assert!(out.status.success(), "{command} {flag}: {}", stderr(&out));
            let help = stdout(&out);
            assert!(help.contains(&format!("chuangzheng {command}")), "{help}");
            let others = ["demo", "report", "import", "verify", "audit"]
                .into_iter()
                .filter(|c| *c != command && !(command == "import" && *c == "demo"));
            for other in others {
                assert!(!help.contains(&format!("chuangzheng {other} ")), "{help}");
            }
        }
    }
    // `report JOURNAL --help` and `help report` too.
    let out = run(&["report", "/nonexistent.jsonl", "--help"]);
    assert!(out.status.success() && stdout(&out).contains("--scope"));
    assert_eq!(
        stdout(&run(&["help", "audit"])),
        stdout(&run(&["audit", "--help"]))
    );
}

#[test]
fn an_import_line_that_is_not_a_command_is_told_in_chinese_with_its_file_line() {
    let dir = scratch("parse");
    let file = dir.join("bad.jsonl");
    let lines = [
        "# two bad lines",
        r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","kind":"city_committee"}}}"#,
        r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"villge"}}}"#,
        r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"city_committee","parent":7}}}"#,
        r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city""#,
    ];
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let journal = dir.join("j.jsonl");
    let out = run(&[
        "import",
        path(&journal),
        path(&file),
        "--create",
        "c",
        "测试",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for expected in [
        "第 2 行 [3001]：命令无法解析，缺少字段 event.create_org.name / line 2: [3001]",
        "第 3 行 [3001]：命令无法解析，字段 event.create_org.kind：未知的取值 \"villge\"，可选：",
        "第 4 行 [3001]：命令无法解析，字段 event.create_org.parent：类型不符，应为字符串，实为整数 7",
        "第 5 行 [3001]：命令无法解析，命令意外结束",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    // The record's own "line 1" is not given: the line is the file's.
    assert!(!err.contains("at line 1"), "{err}");
    assert!(err.contains("(column "), "{err}");
    chinese_is_full_width(&err);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rules_check_names_every_fault_of_the_file() {
    let dir = scratch("rules-all");
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"version\": 1,\n  \"name\": \"东港\",\n  \"method123\": {\"receptions_per_week\": 9},\n  \"escalation\": {\"village_days\": \"seven\"},\n  \"rounding\": {\"mode\": \"up\", \"digits\": 2},\n  \"ranking\": {\"weights_percent\": {\"pledges\": 50, \"method123\": 50, \"coverage\": 50, \"members\": 0}}\n}\n",
    )
    .unwrap();
    let out = run(&["rules", "check", path(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for expected in [
        "错误 [2001]：规则集无法解析，第 5 行，字段 escalation.village_days：类型不符，应为非负整数，实为字符串 \"seven\"",
        "error [2001]: rule set cannot be read, field escalation.village_days: invalid type: string \"seven\", expected u32 (line 5, column",
        "错误 [2001]：规则集无法解析，第 6 行，字段 rounding.mode：未知的取值 \"up\"",
        "错误 [2001]：规则集无法解析，第 6 行，未知的字段 rounding.digits",
        "错误 [2109]：规则集字段 method123.receptions_per_week：必须在 1 到 7 之间",
        "错误 [2113]：规则集字段 ranking.weights_percent：各项权重之和为 150，应为 100",
        "错误 [2000]：规则文件有 5 处错误",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    chinese_is_full_width(&err);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn import_create_onto_an_existing_journal_says_4002_first() {
    let dir = scratch("exists");
    let journal = dir.join("j.jsonl");
    std::fs::write(&journal, "not a journal\n").unwrap();
    // The commands file does not exist: 4002 comes before any reading.
    let out = run(&[
        "import",
        path(&journal),
        "/nonexistent.jsonl",
        "--create",
        "c",
        "测试",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("错误 [4002]：日志 ") && err.contains("文件已存在"),
        "{err}"
    );
    chinese_is_full_width(&err);
    assert_eq!(
        std::fs::read_to_string(&journal).unwrap(),
        "not a journal\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn import_onto_a_torn_journal_says_what_it_dropped_and_where_it_saved_it() {
    let dir = scratch("torn");
    let journal = dir.join("j.jsonl");
    let first = dir.join("first.jsonl");
    std::fs::write(
        &first,
        r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"city_committee"}}}"#,
    )
    .unwrap();
    let out = run(&[
        "import",
        path(&journal),
        path(&first),
        "--create",
        "c",
        "测试",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let whole = std::fs::read(&journal).unwrap();
    let mut torn = whole.clone();
    torn.extend_from_slice(br#"{"seq":2,"at":"2010-05-02""#);
    std::fs::write(&journal, &torn).unwrap();
    let dropped = torn.len() - whole.len();
    let more = dir.join("more.jsonl");
    std::fs::write(
        &more,
        r#"{"at":"2010-05-02","actor":{"org":"city"},"event":{"rename_org":{"org":"city","name":"市委会"}}}"#,
    )
    .unwrap();
    let out = run(&["import", path(&journal), path(&more)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let at = whole.len();
    assert!(
        err.contains(&format!("已截去 {dropped} 字节，位于字节 {at}，已另存为 ")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{dropped} bytes at byte {at} dropped, saved to ")),
        "{err}"
    );
    let saved = err
        .lines()
        .find_map(|l| l.split("saved to ").nth(1))
        .unwrap();
    assert_eq!(std::fs::read(saved.trim()).unwrap(), torn[at..]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_audit_says_percentage_points_for_a_difference_of_rates() {
    let dir = scratch("points");
    let claims = dir.join("claims.json");
    std::fs::write(
        &claims,
        r#"{"claims":[{"id":"rate","figure":"coverage.non_public.rate","claimed":"70.0%"}]}"#,
    )
    .unwrap();
    let out = run(&["audit", path(&claims), "--demo"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("个百分点 / difference (claimed − computed): -16.6 percentage points"),
        "{text}"
    );
    assert!(text.contains("：-16.6个百分点"), "{text}");
    assert!(!text.contains("-16.6%"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The C ABI's import of `text` into a new in-memory campaign `c`/`测试`: its result document.
fn c_abi_import(text: &str, flags: u32) -> serde_json::Value {
    use chuangzheng::ffi::{
        CZ_OK, CZ_REFUSED_LINES, cz_campaign_free, cz_campaign_import, cz_campaign_new,
        cz_string_free,
    };
    use std::ffi::{CStr, CString};
    let info = CString::new(r#"{"id":"c","name":"测试"}"#).unwrap();
    let text = CString::new(text).unwrap();
    let mut c = std::ptr::null_mut();
    let mut out = std::ptr::null_mut();
    // SAFETY: valid strings and out-pointers; the handle and the result are freed once.
    unsafe {
        assert_eq!(
            cz_campaign_new(info.as_ptr(), std::ptr::null(), &mut c),
            CZ_OK
        );
        // Lines are refused here: the result comes with CZ_REFUSED_LINES, written all the same.
        assert_eq!(
            cz_campaign_import(c, text.as_ptr(), flags, &mut out),
            CZ_REFUSED_LINES
        );
        let result = CStr::from_ptr(out).to_str().unwrap().to_string();
        cz_string_free(out);
        cz_campaign_free(c);
        serde_json::from_str(&result).unwrap()
    }
}

#[test]
fn the_cli_and_the_c_abi_give_the_same_refusal_report_for_one_file() {
    let dir = scratch("same-report");
    let file = dir.join("bad.jsonl");
    let root = r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"city_committee"}}}"#;
    let text = [
        "# a malformed line, an unknown organization, the root twice, a missing field",
        root,
        "{not json",
        r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"rename_org":{"org":"nowhere","name":"无"}}}"#,
        "",
        root,
        r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"t-1","kind":"township_committee","parent":"city"}}}"#,
        r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"rename_org":{"org":"city","name":"市委会"}}}"#,
    ]
    .join("\n");
    std::fs::write(&file, &text).unwrap();
    for (keep_going, flags) in [(false, 0), (true, chuangzheng::ffi::CZ_IMPORT_KEEP_GOING)] {
        let journal = dir.join(format!("j-{keep_going}.jsonl"));
        let mut args = vec![
            "import",
            path(&journal),
            path(&file),
            "--create",
            "c",
            "测试",
        ];
        if keep_going {
            args.push("--keep-going");
        }
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1));
        let printed: Vec<String> = stderr(&out)
            .lines()
            .filter(|l| l.starts_with("第 "))
            .map(str::to_string)
            .collect();
        let result = c_abi_import(&text, flags);
        let from_c: Vec<String> = result["refused"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let (line, code) = (&r["line"], &r["code"]);
                let message = r["message"].as_str().unwrap();
                let (zh, en) = message.split_once('\n').unwrap();
                format!("第 {line} 行 [{code}]：{zh} / line {line}: [{code}] {en}")
            })
            .collect();
        assert_eq!(printed, from_c, "keep going: {keep_going}");
        let lines: Vec<&str> = printed
            .iter()
            .map(|l| &l[..l.find(']').unwrap() + 1])
            .collect();
        assert_eq!(
            lines,
            [
                "第 3 行 [3001]",
                "第 4 行 [3002]",
                "第 6 行 [3006]",
                "第 7 行 [3001]"
            ]
        );
        let recorded = if keep_going { 2 } else { 0 };
        assert_eq!(result["recorded"], recorded);
        assert!(
            stderr(&out).contains(if keep_going {
                "recorded 2, refused 4"
            } else {
                "4 refused, nothing recorded"
            }),
            "{}",
            stderr(&out)
        );
        assert_eq!(journal.exists(), keep_going);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn test_key(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("tests/data/keys")
        .join(name);
    p.to_str().unwrap().to_string()
}

/// Signed imports, the checkpoint command, and verify with keys: exit 0 when every checkpoint
/// verifies and the last record is one, 1 for a signature that fails, 5 for an unsigned tail.
#[test]
fn checkpoints_signed_by_import_and_checkpoint_are_checked_by_verify_with_the_key() {
    let dir = scratch("checkpoints");
    let (file, n) = small_city_file(&dir);
    let journal = dir.join("j.jsonl");
    let j = path(&journal);
    let (private, public) = (test_key("sm2-test-a.pem"), test_key("sm2-test-a.pub.pem"));
    let out = run(&[
        "import",
        j,
        path(&file),
        "--create",
        "c",
        "小城",
        "--sign-key",
        &private,
        "--key-id",
        "ops-a",
        "--every",
        "500",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let checkpoints = n / 500 + 1;
    assert!(
        stdout(&out).contains(&format!("已写入检查点 {checkpoints} 个，密钥标识 ops-a")),
        "{}",
        stdout(&out)
    );
    let out = run(&["verify", j, "--public-key", &public, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let seq = (n + checkpoints) as u64;
    assert_eq!(v["checkpoints"], checkpoints);
    assert_eq!(v["signatures"]["verified"], checkpoints);
    assert_eq!(v["signatures"]["last_signed"], seq);
    assert_eq!(v["unsigned_tail"], serde_json::Value::Null);

    // Another key: every checkpoint fails, exit 1, code 4013 first.
    let out = run(&["verify", j, "--public-key", &test_key("sm2-test-b.pub.pem")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.starts_with("错误 [4013]："), "{err}");
    chinese_is_full_width(&err);

    // Records after the last checkpoint: exit 5, until the checkpoint command signs them.
    let more = dir.join("more.jsonl");
    let extra = r#"{"at":"2010-11-01","actor":{"org":"city"},"event":{"rename_org":{"org":"city","name":"小城市委（新）"}}}"#;
    std::fs::write(&more, format!("{extra}\n")).unwrap();
    let out = run(&["import", j, path(&more)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&["verify", j, "--public-key", &public]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("[4014]：日志记录 {} 至 {}", seq + 1, seq + 1)));
    let hmac = dir.join("hmac.key");
    std::fs::write(&hmac, [7u8; 32]).unwrap();
    let out = run(&[
        "checkpoint",
        j,
        "--hmac-key",
        path(&hmac),
        "--key-id",
        "h-1",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("seq {}（hmac-sm3，密钥标识 h-1）", seq + 2)));
    let both = [
        "verify",
        j,
        "--public-key",
        &public,
        "--hmac-key",
        path(&hmac),
    ];
    let out = run(&both);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("签名验证通过 {} 个", checkpoints + 1)));
    // Without a key, checkpoints are checked for their place only.
    let out = run(&["verify", j]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("未给密钥，只核对其在链中的位置"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn signing_options_that_cannot_work_are_usage_errors_or_name_the_key() {
    let dir = scratch("checkpoint-usage");
    let (file, _) = small_city_file(&dir);
    let j = dir.join("j.jsonl");
    let (j, f) = (path(&j), path(&file));
    let private = test_key("sm2-test-a.pem");
    for (args, zh) in [
        (vec!["--sign-key", &private], "须用 --key-id 给出密钥标识"),
        (
            vec!["--key-id", "k"],
            "--key-id 与 --every 须与 --sign-key 或 --hmac-key 一起使用",
        ),
        (
            vec![
                "--sign-key",
                &private,
                "--hmac-key",
                &private,
                "--key-id",
                "k",
            ],
            "只能给一个签名密钥",
        ),
        (
            vec!["--sign-key", &private, "--key-id", "k", "--every", "0"],
            "--every \"0\" 应为记录条数",
        ),
    ] {
        let mut all = vec!["import", j, f, "--create", "c", "小城"];
        all.extend(args);
        let out = run(&all);
        assert_eq!(out.status.code(), Some(2), "{all:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(zh), "{all:?}: {}", stderr(&out));
        assert!(!Path::new(j).exists(), "nothing written");
    }
    // A key in the wrong form: refused with 4012 before anything is written.
    let sec1 = test_key("sm2-test-a.sec1.pem");
    let out = run(&[
        "import",
        j,
        f,
        "--create",
        "c",
        "小城",
        "--sign-key",
        &sec1,
        "--key-id",
        "k",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("[4012]：SM2 私钥无法使用") && err.contains("openssl pkcs8"),
        "{err}"
    );
    assert!(!Path::new(j).exists(), "nothing written");
    let out = run(&["verify", f, "--public-key", &private]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("openssl pkey -pubout"),
        "{}",
        stderr(&out)
    );
    let out = run(&["checkpoint", j]);
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
