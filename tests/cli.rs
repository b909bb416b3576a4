//! The command-line tool, run as a user would: the demo, verification, and its errors.

use std::path::PathBuf;
use std::process::Command;

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::Event;
use chuangzheng::model::OrgKind;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chuangzheng"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cz-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn count_created(kind: OrgKind) -> u64 {
    demo::commands(&DemoSpec::seed())
        .iter()
        .filter(|c| matches!(&c.event, Event::CreateOrg { kind: k, .. } if *k == kind))
        .count() as u64
}

#[test]
fn demo_builds_verifies_and_summarizes_the_seed_city() {
    let dir = scratch("demo");
    let journal = dir.join("demo.jsonl");
    let out = bin()
        .args(["demo", "--json", "--journal"])
        .arg(&journal)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let commands = demo::commands(&DemoSpec::seed()).len() as u64;
    assert_eq!(json["journal"]["records"], commands);
    assert_eq!(json["journal"]["last_seq"], commands);
    let summary = &json["summary"];
    // The seed's shape, counted by the engine from the replayed journal, checked here against
    // the commands themselves.
    for kind in [
        OrgKind::Village,
        OrgKind::Community,
        OrgKind::CityDepartment,
    ] {
        assert_eq!(
            summary["orgs_by_kind"][kind.as_str()],
            count_created(kind),
            "{kind}"
        );
    }
    assert_eq!(summary["orgs_by_kind"]["village"], 206);
    let township_level: u64 = ["township_committee", "street_committee", "farm_committee"]
        .iter()
        .map(|k| summary["orgs_by_kind"][k].as_u64().unwrap())
        .sum();
    assert_eq!(township_level, 23);
    assert_eq!(summary["orgs_by_kind"]["city_department"], 63);
    assert_eq!(summary["orgs_by_kind"]["community"], 17);
    assert_eq!(summary["village_cadres"]["secretary"], 206);
    assert_eq!(summary["village_cadres"]["committee_member"], 493);
    let units = &summary["units_by_kind"]["non_public_enterprise"];
    assert_eq!(units["eligible"], 493);
    assert_eq!(units["eligible_covered"], 427);
    assert_eq!(units["covering_orgs"], 353);

    // The journal it left verifies on its own and gives the same hash.
    let out2 = bin()
        .args(["verify", "--json"])
        .arg(&journal)
        .output()
        .unwrap();
    assert!(out2.status.success());
    let json2: serde_json::Value = serde_json::from_slice(&out2.stdout).unwrap();
    assert_eq!(json2["journal"]["last_hash"], json["journal"]["last_hash"]);
    assert_eq!(json2["summary"], json["summary"]);

    // Refuses to overwrite it.
    let again = bin()
        .args(["demo", "--journal"])
        .arg(&journal)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("[4002]"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn demo_without_a_path_cleans_up_and_prints_chinese_text() {
    let out = bin().arg("demo").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("村党组织"), "{text}");
    assert!(text.contains("已校验 verified"));
    let path = text
        .lines()
        .find_map(|l| l.strip_prefix("日志 journal: "))
        .and_then(|l| l.split(" (").next())
        .unwrap();
    assert!(
        !std::path::Path::new(path).exists(),
        "temporary journal left at {path}"
    );
}

#[test]
fn verify_names_the_corrupt_record() {
    let dir = scratch("verify");
    let journal = dir.join("j.jsonl");
    assert!(
        bin()
            .args(["demo", "--journal"])
            .arg(&journal)
            .output()
            .unwrap()
            .status
            .success()
    );
    let text = std::fs::read_to_string(&journal).unwrap();
    // Change one village's name in record 300.
    let lines: Vec<&str> = text.lines().collect();
    let tampered_line = lines[300].replacen("\"org\"", "\"org \"", 1);
    assert_ne!(tampered_line, lines[300]);
    let mut tampered = lines.clone();
    tampered[300] = &tampered_line;
    std::fs::write(&journal, tampered.join("\n") + "\n").unwrap();
    let out = bin().arg("verify").arg(&journal).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[4005]"), "{err}");
    assert!(err.contains("seq 300"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["fly"][..],
        &["demo", "--bogus"][..],
        &["verify"][..],
        &["demo", "--journal"][..],
    ] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("USAGE"));
    }
    let out = bin().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn rules_prints_the_defaults_and_checks_a_citys_file() {
    use chuangzheng::rules::RuleSet;
    let out = bin().arg("rules").output().unwrap();
    assert!(out.status.success());
    let printed = RuleSet::from_json(&String::from_utf8_lossy(&out.stdout)).unwrap();
    assert_eq!(printed, RuleSet::default());
    // The reference in docs/rules.md shows exactly the defaults.
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
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
    let out = bin()
        .args(["rules", "--check"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"version":1,"name":"东港","ranking":{"weights_percent":{"pledges":50,"method123":50,"coverage":50,"members":0}}}"#).unwrap();
    let out = bin().args(["rules", "--check"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ranking.weights_percent") && err.contains("[2113]"),
        "{err}"
    );
    let out = bin().args(["rules", "--bogus"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn import_records_a_command_file_and_reports_refused_lines() {
    let dir = scratch("import");
    let journal = dir.join("city.jsonl");
    let commands = demo::commands(&DemoSpec::small());
    let mut text = String::from("# the small demo city\n\n");
    for cmd in &commands {
        text.push_str(&cmd.to_json());
        text.push('\n');
    }
    // Line numbers: 2 header lines, then the commands; then a malformed line and a duplicate.
    let malformed_line = commands.len() + 3;
    let duplicate_line = commands.len() + 4;
    text.push_str("{\"at\":\"2010-05-01\"}\n");
    text.push_str(&commands[1].to_json());
    text.push('\n');
    let file = dir.join("commands.jsonl");
    std::fs::write(&file, &text).unwrap();
    let out = bin()
        .args(["import"])
        .arg(&journal)
        .arg(&file)
        .args(["--create", "small-city", "小城"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("line {malformed_line}: [3001]")),
        "{err}"
    );
    assert!(
        err.contains(&format!("line {duplicate_line}: [3003]")),
        "{err}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("recorded: {} ", commands.len())),
        "{stdout}"
    );
    // The accepted commands are durable: the journal verifies with every one of them.
    let out = bin()
        .args(["verify", "--json"])
        .arg(&journal)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["journal"]["last_seq"], commands.len() as u64);
    // A second file appends to the existing journal.
    let more = dir.join("more.jsonl");
    let rename = r#"{"at":"2010-06-01","actor":{"org":"city"},"event":{"rename_org":{"org":"city","name":"东港市委 (新)"}}}"#;
    std::fs::write(&more, format!("{rename}\n")).unwrap();
    let out = bin()
        .arg("import")
        .arg(&journal)
        .arg(&more)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("seq {}", commands.len() + 1)));
    let out = bin().args(["import"]).arg(&journal).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
