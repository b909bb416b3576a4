//! The data for `benches/duckdb/check.sh`: small demo provinces loaded into SQLite files (the
//! tables of `benches/sql/schema.sql`, by `benches/sqlite/mod.rs`, the same load
//! `tests/sqlite.rs` checks), each with the engine's figures beside it as JSON, so that DuckDB
//! running `benches/sql/report.sql` over the same tables can be checked against the engine
//! outside Rust.
//!
//! Ignored: it writes files and the check runs it itself:
//! `CZ_DUCKDB_OUT=<dir> cargo test --test duckdb_export -- --ignored --exact export`.
//! `<dir>` defaults to `target/duckdb`. For each province it writes `<name>.sqlite` and
//! `<name>.expected.json`:
//!
//! ```json
//! {"name": "...", "rules": {"receptions_per_week": 1, ...},
//!  "figures": {"pledge.work.total": "count", "service.hotline.reply_rate": "rate", ...},
//!  "cases": [{"scope": 0, "scope_id": "prov", "from": null, "as_of": 14913,
//!             "total": {"pledge.work.total": "123", ...},
//!             "parts": [{"org": 1, "id": "k000", "figures": {...}}]}]}
//! ```
//!
//! Days are day numbers (days since 1970-01-01) as the tables hold them; each figure is the
//! engine's `Figure::exact()` as a decimal string (`null` for a rate over zero), for the 93
//! figures the SQL computes; a part is each of the engine report's parts.

#[path = "../benches/sqlite/mod.rs"]
mod sqlite;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::Campaign;
use chuangzheng::model::OrgIdx;
use chuangzheng::report::{Figure, Span, StageReport};
use serde_json::{Map, Value, json};

fn out_dir() -> PathBuf {
    let dir = std::env::var_os("CZ_DUCKDB_OUT").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/duckdb"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).expect("output directory");
    dir
}

fn kind(f: &Figure) -> &'static str {
    match f {
        Figure::Count(_) => "count",
        Figure::Rate(_) => "rate",
        Figure::Yuan(_) => "yuan",
    }
}

fn exact(f: &Figure) -> Value {
    f.exact()
        .map_or(Value::Null, |d| Value::from(d.to_string()))
}

/// The engine's figures of `scope` over `span`, for the whole and each part, limited to `keys`.
fn case(c: &Campaign, scope: OrgIdx, span: Span, keys: &[String]) -> Value {
    let report = StageReport::build(c, scope, span);
    let pick = |figures: Vec<(String, Figure)>| -> Map<String, Value> {
        let all: BTreeMap<String, Figure> = figures.into_iter().collect();
        keys.iter()
            .map(|k| {
                let f = all
                    .get(k)
                    .unwrap_or_else(|| panic!("the engine has no {k}"));
                (k.clone(), exact(f))
            })
            .collect()
    };
    let s = c.state();
    let parts: Vec<Value> = report
        .parts
        .iter()
        .map(|p| {
            let idx = s.org_by_id(p.org.as_str()).expect("a part's organization");
            json!({
                "org": idx.0,
                "id": p.org.as_str(),
                "figures": pick(p.figures.figures()),
            })
        })
        .collect();
    json!({
        "scope": scope.0,
        "scope_id": s.org(scope).id.as_str(),
        "from": span.from.map(sqlite::day),
        "as_of": sqlite::day(span.as_of),
        "span": format!(
            "{} to {}",
            span.from.map_or("start".to_string(), |d| d.to_string()),
            span.as_of
        ),
        "total": pick(report.totals.figures()),
        "parts": parts,
    })
}

/// Writes `<name>.sqlite` and `<name>.expected.json` for `c`, its root and first township over
/// each of `spans`.
fn write_province(dir: &Path, name: &str, c: &Campaign, spans: &[Span]) {
    // The figures the SQL computes: those `sqlite::figures` gives for no counts at all.
    let keys: Vec<String> = sqlite::figures(&sqlite::Counts::new())
        .into_keys()
        .collect();
    assert_eq!(keys.len(), 93, "{keys:?}");
    let s = c.state();
    let root = s.root().expect("root");
    let township = s.org_by_id("k000.t-01").expect("a township");
    let mut cases = Vec::new();
    for &span in spans {
        for scope in [root, township] {
            cases.push(case(c, scope, span, &keys));
        }
    }
    let sample = StageReport::build(c, root, spans[0]);
    let all: BTreeMap<String, Figure> = sample.totals.figures().into_iter().collect();
    let kinds: Map<String, Value> = keys
        .iter()
        .map(|k| (k.clone(), Value::from(kind(&all[k]))))
        .collect();
    let m = &c.rules().method123;
    let doc = json!({
        "name": name,
        "records": c.seq(),
        "rules": {
            "receptions_per_week": m.receptions_per_week,
            "visits_per_month": m.poor_household_visits_per_month,
            "concerns_per_quarter": m.concerns_handled_per_quarter,
        },
        "figures": kinds,
        "cases": cases,
    });
    let db = dir.join(format!("{name}.sqlite"));
    let _ = std::fs::remove_file(&db);
    let mut conn = rusqlite::Connection::open(&db).expect("database");
    let rows = sqlite::load(&mut conn, s).expect("the load");
    drop(conn);
    let json = dir.join(format!("{name}.expected.json"));
    std::fs::write(&json, serde_json::to_string_pretty(&doc).expect("JSON")).expect("written");
    eprintln!(
        "{name}: {} records, {rows} rows into {}, {} cases into {}",
        c.seq(),
        db.display(),
        doc["cases"].as_array().map_or(0, Vec::len),
        json.display()
    );
}

/// The small provinces of `tests/sqlite.rs`: three small cities, over the spans its small-city
/// test takes; and two small cities with a year of 123 records, as of its last day.
#[test]
#[ignore = "writes the data of benches/duckdb/check.sh, which runs it"]
fn export() {
    let dir = out_dir();
    let mut c = Campaign::in_memory(demo::info(), Default::default()).unwrap();
    demo::populate_province(&mut c, &DemoSpec::small(), 3, 4096, |_, _| {}).unwrap();
    let spans = sqlite::small_city_spans();
    write_province(&dir, "small-province-3", &c, &spans);

    let small = DemoSpec::small();
    let spec = DemoSpec {
        method123: small.method123.for_a_year(),
        ..small
    };
    let mut c = Campaign::in_memory(demo::info(), Default::default()).unwrap();
    demo::populate_province(&mut c, &spec, 2, 4096, |_, _| {}).unwrap();
    write_province(
        &dir,
        "small-province-2-year",
        &c,
        &[Span::as_of(spec.method123.until)],
    );
}
