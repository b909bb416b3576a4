//! `demo --province N --out DIR`, run as a user would: the province's journal and each city's
//! own, the shards of a cross-machine rollup. Each city's figures from its own journal are its
//! figures in the province's, and their merge is the province's, over the whole span and from
//! a date inside it; the 123 quotas are judged from the same day in both.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use chuangzheng::demo;
use chuangzheng::ledger::{Campaign, hash_hex};
use chuangzheng::report::{Span, StageFigures, method123_start};
use jiff::civil::date;

const CITIES: u32 = 3;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chuangzheng"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cz-province-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `demo --province 3 --small --out DIR` into `dir`.
fn shards_into(dir: &Path) -> Output {
    let out = bin()
        .args([
            "demo",
            "--province",
            &CITIES.to_string(),
            "--small",
            "--out",
        ])
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

/// The shards, written once for the tests that read them, and what the command printed.
fn shards() -> &'static (PathBuf, String) {
    static SHARDS: OnceLock<(PathBuf, String)> = OnceLock::new();
    SHARDS.get_or_init(|| {
        let dir = scratch("shards");
        let out = shards_into(&dir);
        (dir, stdout(&out))
    })
}

fn replay(path: &Path) -> Campaign {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (campaign, report) = Campaign::replay(BufReader::new(file)).unwrap();
    assert_eq!(report.records, campaign.seq());
    assert!(report.torn_tail.is_none());
    campaign
}

/// The province's journal and each city's, by city.
fn journals() -> (Campaign, Vec<Campaign>) {
    let (dir, _) = shards();
    let cities = (0..CITIES)
        .map(|k| replay(&dir.join(format!("{}.jsonl", demo::city_id(k)))))
        .collect();
    (replay(&dir.join("province.jsonl")), cities)
}

#[test]
fn the_files_are_named_after_the_cities_and_said_with_their_records_and_last_hash() {
    let (dir, printed) = shards();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "k000.city.jsonl",
            "k001.city.jsonl",
            "k002.city.jsonl",
            "province.jsonl"
        ]
    );
    let (province, cities) = journals();
    // The root, then every city's records.
    let city_records: u64 = cities.iter().map(Campaign::seq).sum();
    assert_eq!(province.seq(), 1 + city_records);
    let files = std::iter::once(("province".to_string(), &province)).chain(
        (0..CITIES)
            .map(|k| demo::city_id(k).as_str().to_string())
            .zip(&cities),
    );
    for (name, c) in files {
        let shown = dir.join(format!("{name}.jsonl")).display().to_string();
        let (records, hash) = (c.seq(), hash_hex(&c.last_hash()));
        let zh = format!("已写入 {shown}：{records} 条记录，SM3 链末端哈希 {hash}");
        let en = format!("wrote {shown}: {records} records, SM3 last hash {hash}");
        assert!(printed.contains(&zh), "{zh}\n{printed}");
        assert!(printed.contains(&en), "{en}\n{printed}");
    }
}

#[test]
fn each_city_is_rooted_at_itself_and_under_the_province_with_the_same_ids() {
    let (province, cities) = journals();
    let p = province.state();
    let root = p.root().unwrap();
    assert_eq!(p.org(root).id.as_str(), "prov");
    assert_eq!(p.children(root).len(), CITIES as usize);
    for (k, city) in (0..CITIES).zip(&cities) {
        let s = city.state();
        let city_root = s.root().unwrap();
        assert_eq!(s.org(city_root).id, demo::city_id(k));
        assert_eq!(s.org(city_root).parent, None);
        let in_province = p.org_by_id(demo::city_id(k).as_str()).unwrap();
        assert_eq!(p.org(in_province).parent, Some(root));
        // Every organization of the city's journal is in the province's, under the city.
        for o in s.orgs() {
            let there = p.org_by_id(o.id.as_str()).unwrap();
            assert_eq!(p.org(there).kind, o.kind, "{}", o.id);
        }
        assert_eq!(city.info(), province.info());
        assert_eq!(city.rules(), province.rules());
    }
}

/// A journal's records (its header left out) without their sequence numbers and hashes: the
/// commands as they were accepted.
fn commands_of(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            let record = v.as_object_mut().unwrap();
            assert!(record.remove("seq").is_some() && record.remove("h").is_some());
            v
        })
        .collect()
}

#[test]
fn the_province_holds_each_citys_records_in_turn_only_its_root_placed_under_prov() {
    let (dir, _) = shards();
    let province = commands_of(&dir.join("province.jsonl"));
    let mut rest = &province[1..];
    for k in 0..CITIES {
        let city = commands_of(&dir.join(format!("{}.jsonl", demo::city_id(k))));
        let (there, after) = rest.split_at(city.len());
        assert_eq!(city[1..], there[1..], "city {k}");
        let id = demo::city_id(k);
        let id = id.as_str();
        assert_eq!(city[0]["actor"]["org"], id);
        assert_eq!(city[0]["event"]["create_org"]["id"], id);
        assert_eq!(city[0]["event"]["create_org"].get("parent"), None);
        assert_eq!(there[0]["actor"]["org"], "prov");
        assert_eq!(there[0]["event"]["create_org"]["parent"], "prov");
        rest = after;
    }
    assert!(rest.is_empty());
}

/// Each city's figures over `span` from its own journal equal its figures in the province's,
/// the 123 quotas judged from the same day; their merge is the province's.
fn check_rollup(span: Span) {
    let (province, cities) = journals();
    let p = province.state();
    let start = method123_start(p, span);
    assert!(start.is_some(), "{span:?}");
    let mut merged = StageFigures::default();
    for (k, city) in (0..CITIES).zip(&cities) {
        let s = city.state();
        assert_eq!(method123_start(s, span), start, "city {k}, {span:?}");
        let alone = StageFigures::of(s, city.rules(), s.root().unwrap(), span);
        let in_province = p.org_by_id(demo::city_id(k).as_str()).unwrap();
        let there = StageFigures::of(p, province.rules(), in_province, span);
        assert_eq!(alone, there, "city {k}, {span:?}");
        assert!(alone.compliance != Default::default(), "city {k}, {span:?}");
        merged.merge(&alone);
    }
    let whole = StageFigures::of(p, province.rules(), p.root().unwrap(), span);
    assert_eq!(merged, whole, "{span:?}");
}

#[test]
fn the_cities_figures_from_their_own_journals_merge_into_the_provinces() {
    check_rollup(Span::as_of(demo::AS_OF));
}

#[test]
fn so_do_they_from_a_date_inside_the_span() {
    let (province, _) = journals();
    let first = method123_start(province.state(), Span::as_of(demo::AS_OF));
    assert_eq!(first, Some(date(2010, 7, 1)));
    // Before the 123 method's first record, and two days after it: its quotas judged from
    // that record, then from the date given.
    for from in [date(2010, 6, 1), date(2010, 7, 15), date(2010, 9, 6)] {
        let span = Span {
            from: Some(from),
            as_of: demo::AS_OF,
        };
        assert_eq!(
            method123_start(province.state(), span),
            first.max(Some(from))
        );
        check_rollup(span);
    }
}

#[test]
fn a_second_run_into_the_same_directory_writes_the_same_files_again() {
    let dir = scratch("twice");
    let first = shards_into(&dir);
    let sizes = |dir: &Path| {
        let mut s: Vec<(String, u64)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().unwrap().len(),
                )
            })
            .collect();
        s.sort();
        s
    };
    let before = sizes(&dir);
    let second = shards_into(&dir);
    // Deterministic: the same records, the same hashes, nothing appended.
    assert_eq!(stdout(&first), stdout(&second));
    assert_eq!(sizes(&dir), before);
    assert_eq!(before.len(), CITIES as usize + 1);
}

#[test]
fn bad_usage_exits_2_in_both_languages_and_writes_nothing() {
    let dir = scratch("usage");
    let out = dir.join("never");
    let out = out.to_str().unwrap();
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &["--province", "0", "--out", out],
            "--province \"0\" 应为城市个数，1 到 1000",
            "a number of cities, 1 to 1000",
        ),
        (
            &["--province", "1001", "--out", out],
            "--province \"1001\" 应为城市个数",
            "a number of cities, 1 to 1000",
        ),
        (
            &["--province", "-3", "--out", out],
            "--province \"-3\" 应为城市个数",
            "a number of cities, 1 to 1000",
        ),
        (
            &["--province", "3"],
            "demo 缺少参数 --out <DIR>",
            "demo: missing --out <DIR>",
        ),
        (
            &["--province", "3", "--out", out, "--json"],
            "--province 不能与 --json 同时使用",
            "--province cannot be used with --json",
        ),
        (
            &["--province", "3", "--out", out, "--commands", out],
            "--province 不能与 --commands 同时使用",
            "--province cannot be used with --commands",
        ),
    ];
    for (args, zh, en) in cases {
        let o = bin().arg("demo").args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("用法错误：{zh}")), "{args:?}: {err}");
        assert!(err.contains(en), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    assert!(!Path::new(out).exists());
}
