//! The province-scale benches (issue 8), with SQLite over the same data in the same run.
//!
//! The data: `demo::populate_province` (a province committee over `CZ_BENCH_CITIES` copies of
//! the seed city, its 123 method carried on for a year from July 2010; 100 cities by default:
//! 35.9 million records, 2.4 million members, 2.6 million pledges with 11.4 million monthly
//! reports, 20,600 villages' receptions, visits and concerns over the year, every member's
//! evaluation; the exact counts are printed and kept in `province-<n>-year.data`), written once
//! as a journal under `target/bench-data/` and reused while it exists. Writing it is the
//! province-scale ingest figure; it is printed and kept beside the journal
//! (`province-<n>.ingest`). The same state is loaded once into an SQLite file
//! (`province-<n>.sqlite`, the tables of `benches/sql/schema.sql`), whose load time is kept the
//! same way.
//!
//! Criterion then measures:
//! - `ingest/city`: one city's commands (4,096 per batch, group-committed) into a new journal;
//! - `replay/province`: opening the province's journal (SM3 chain verified, every record
//!   applied); `replay/province_*_from_snapshot`: opening it from its binary snapshot (written
//!   once before, its time and size printed and kept in `province-<n>-year.snapshot-written`);
//!   `replay/first_city_*`: the first city's lines replayed from memory, and the SM3
//!   chain alone over them (under `taskset -c 0`, the one-core figures);
//! - `report/*`: the stage report of the province, and of one township, by the engine and by
//!   SQLite (`benches/sql/report.sql`, which `tests/sqlite.rs` checks against the engine);
//! - `method123/compliance_province`, `evaluation/grades_province`.
//!
//! Memory: a counting allocator is switched on around two more openings of the journal, one
//! replaying it whole and one from its snapshot; the heap each leaves (the state), per record,
//! and the peak, are printed and kept in `province-<n>.memory`, with the process's peak
//! resident size (`VmHWM`).
//!
//! Run: `cargo bench --bench province` (`CZ_BENCH_CITIES=10` for a tenth of it). The first run
//! writes the data: several minutes and about 10 GB of disk at 100 cities.

#[path = "sqlite/mod.rs"]
mod sqlite;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::evaluation::CompiledMemberRules;
use chuangzheng::ledger::{Campaign, OpenOptions};
use chuangzheng::model::{Granularity, Period};
use chuangzheng::report::{
    Attribution, Span, StageFigures, StageReport, all_member_grades, compliance, method123_start,
};
use chuangzheng::rules::RuleSet;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Counts the heap's live bytes and their peak while switched on.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    if COUNTING.load(Relaxed) {
        let live = LIVE.fetch_add(n, Relaxed) + n;
        PEAK.fetch_max(live, Relaxed);
    }
}

fn shrank(n: usize) {
    if COUNTING.load(Relaxed) {
        LIVE.fetch_sub(n, Relaxed);
    }
}

// SAFETY: every call is forwarded to the system allocator unchanged; the counters only watch.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: forwarded.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grew(new_size);
        shrank(layout.size());
        // SAFETY: forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// `CZ_BENCH_CITIES`, else 100 under `cargo bench` and 1 under `cargo test --all-targets` (which
/// runs each bench once as a smoke test, without `--bench`).
fn cities() -> u32 {
    let benching = std::env::args().any(|a| a == "--bench");
    std::env::var("CZ_BENCH_CITIES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if benching { 100 } else { 1 })
}

fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data directory");
    dir
}

/// The process's peak resident size, from `/proc/self/status`, in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Each city of the province: the seed city, its 123 method carried on for a year (1 July 2010
/// to 30 June 2011), as issue 8 asks.
fn spec() -> DemoSpec {
    let seed = DemoSpec::seed();
    DemoSpec {
        method123: seed.method123.for_a_year(),
        ..seed
    }
}

/// The province's journal, written if it is not there yet. (Files named `province-<n>.*`,
/// without `-year`, are from before the 123 records covered a year.)
fn journal(n: u32) -> PathBuf {
    let path = data_dir().join(format!("province-{n}-year.journal"));
    if path.exists() {
        return path;
    }
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let mut c = Campaign::create(&partial, demo::info(), RuleSet::default()).expect("journal");
    let started = Instant::now();
    let done = demo::populate_province(&mut c, &spec(), n, 4096, |k, done| {
        if k % 10 == 0 || k == n {
            eprintln!("province: {k}/{n} cities, {done} commands");
        }
    })
    .expect("the province builds");
    let took = started.elapsed();
    drop(c);
    let bytes = std::fs::metadata(&partial).map(|m| m.len()).unwrap_or(0);
    let line = format!(
        "ingest: {done} commands in {:.1} s ({:.0} commands/s), journaled with group commit \
         (4,096 per batch), journal {bytes} bytes ({:.0} bytes/record)\n",
        took.as_secs_f64(),
        done as f64 / took.as_secs_f64(),
        bytes as f64 / done as f64
    );
    eprint!("{line}");
    std::fs::write(path.with_extension("ingest"), line).expect("ingest note");
    std::fs::rename(&partial, &path).expect("journal in place");
    path
}

/// Opening the journal by replaying it whole, not from its snapshot.
fn whole() -> OpenOptions {
    OpenOptions {
        ignore_snapshot: true,
        ..OpenOptions::default()
    }
}

/// Writes the journal's snapshot, its time and size printed and kept beside the journal.
fn write_snapshot(campaign: &Campaign, path: &Path) {
    let started = Instant::now();
    let saved = campaign.save_snapshot().expect("the snapshot is written");
    let line = format!(
        "snapshot: {} records in {} bytes ({:.1} bytes/record), written in {:.2} s\n",
        saved.seq,
        saved.bytes,
        saved.bytes as f64 / saved.seq as f64,
        started.elapsed().as_secs_f64()
    );
    eprint!("{line}");
    std::fs::write(path.with_extension("snapshot-written"), line).expect("snapshot note");
}

/// The journal's header and its lines up to the first of the second city (`k001.`), or the
/// whole journal for a province of one city.
fn first_city_lines(path: &Path) -> Vec<u8> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).expect("journal");
    let mut reader = std::io::BufReader::new(file);
    let mut out = Vec::new();
    let mut line = Vec::new();
    while reader.read_until(b'\n', &mut line).expect("read") > 0 {
        if line.windows(6).any(|w| w == b"\"k001.") {
            break;
        }
        out.extend_from_slice(&line);
        line.clear();
    }
    out
}

/// The bytes of text a state holds per record: every string in its JSON that is not a date, a
/// period or a number (identifiers, names, free text), for a province of one city (the cities
/// are copies, so the figure is the province's).
fn text_per_record() -> f64 {
    fn is_text(s: &str) -> bool {
        let numeric = |c: char| c.is_ascii_digit() || matches!(c, '-' | '.' | 'Q' | 'W');
        !(s.chars().all(numeric) && s.starts_with(|c: char| c.is_ascii_digit() || c == '-'))
    }
    fn walk(v: &serde_json::Value) -> u64 {
        match v {
            serde_json::Value::String(s) if is_text(s) => s.len() as u64,
            serde_json::Value::Array(a) => a.iter().map(walk).sum(),
            serde_json::Value::Object(o) => o.values().map(walk).sum(),
            _ => 0,
        }
    }
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).expect("campaign");
    demo::populate_province(&mut c, &spec(), 1, 4096, |_, _| {}).expect("a city");
    let state: serde_json::Value = serde_json::from_str(&c.state_json()).expect("state JSON");
    walk(&state) as f64 / c.seq() as f64
}

/// Opens the journal with `options`, the allocator counting: the campaign, the heap it
/// leaves, the heap's peak while opening, and the time taken.
fn counted(path: &Path, options: OpenOptions) -> (Campaign, usize, usize, Duration) {
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    let started = Instant::now();
    let (campaign, _) = Campaign::open(path, options).expect("the journal opens");
    let took = started.elapsed();
    COUNTING.store(false, Relaxed);
    (campaign, LIVE.load(Relaxed), PEAK.load(Relaxed), took)
}

/// Opens the journal with the allocator counting, replaying it whole and then from its
/// snapshot: the heap left per record, and the peak, for each.
fn memory(path: &Path) -> Campaign {
    let text = text_per_record();
    let (campaign, live, peak, took) = counted(path, whole());
    let records = campaign.seq();
    drop(campaign);
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let per = |n: usize| n as f64 / records as f64;
    let mut line = format!(
        "memory: {records} records; heap after opening {live} bytes ({:.1} bytes/record, of \
         which text {text:.1}, beyond it {:.1}), peak while opening {peak} bytes ({:.1} \
         bytes/record); journal {:.1} bytes/record; process peak RSS {} bytes; opened in {:.1} s\n",
        per(live),
        per(live) - text,
        per(peak),
        per(bytes as usize),
        peak_rss().unwrap_or(0),
        took.as_secs_f64(),
    );
    let (campaign, live, peak, took) = counted(path, OpenOptions::default());
    line += &format!(
        "memory from the snapshot: heap after opening {live} bytes ({:.1} bytes/record, beyond \
         the text {:.1}), peak while opening {peak} bytes ({:.1} bytes/record); opened in {:.1} s\n",
        per(live),
        per(live) - text,
        per(peak),
        took.as_secs_f64(),
    );
    eprint!("{line}");
    std::fs::write(path.with_extension("memory"), line).expect("memory note");
    campaign
}

/// What the province holds, by kind of record: printed and kept in `province-<n>-year.data`.
fn describe(campaign: &Campaign, path: &Path) {
    use chuangzheng::model::OrgKind;
    let s = campaign.state();
    let villages = s
        .orgs()
        .iter()
        .filter(|o| o.kind == OrgKind::Village)
        .count();
    let reports: usize = s.pledges().iter().map(|p| p.reports.len()).sum();
    let first = |d: Option<jiff::civil::Date>| d.map_or("-".to_string(), |d| d.to_string());
    let line = format!(
        "data: {} records; {} organizations ({villages} villages), {} members, {} member \
         evaluations, {} pledges with {reports} monthly reports, {} households, {} receptions \
         ({} to {}), {} visits, {} concerns\n",
        campaign.seq(),
        s.orgs().len(),
        s.members().len(),
        s.member_evaluations().len(),
        s.pledges().len(),
        s.households().len(),
        s.receptions().len(),
        first(s.receptions().iter().map(|r| r.on).min()),
        first(s.receptions().iter().map(|r| r.on).max()),
        s.visits().len(),
        s.concerns().len(),
    );
    eprint!("{line}");
    std::fs::write(path.with_extension("data"), line).expect("data note");
}

/// The SQLite database of the same state, loaded if it is not there yet.
fn database(n: u32, campaign: &Campaign) -> rusqlite::Connection {
    let path = data_dir().join(format!("province-{n}-year.sqlite"));
    if !path.exists() {
        let partial = path.with_extension("sqlite-partial");
        let _ = std::fs::remove_file(&partial);
        let mut conn = rusqlite::Connection::open(&partial).expect("database");
        let started = Instant::now();
        let rows = sqlite::load(&mut conn, campaign.state()).expect("the load");
        let took = started.elapsed();
        drop(conn);
        let bytes = std::fs::metadata(&partial).map(|m| m.len()).unwrap_or(0);
        let line = format!(
            "sqlite load: {rows} rows in {:.1} s with indexes, file {bytes} bytes\n",
            took.as_secs_f64()
        );
        eprint!("{line}");
        std::fs::write(path.with_extension("sqlite-load"), line).expect("load note");
        std::fs::rename(&partial, &path).expect("database in place");
    }
    let conn = rusqlite::Connection::open(&path).expect("database");
    // Indexes added since the file was loaded (each is created only if missing, then
    // analysed).
    let wanted = sqlite::INDEXES.matches("CREATE INDEX").count();
    let present: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .expect("indexes present");
    if present < wanted as i64 {
        conn.execute_batch(sqlite::INDEXES).expect("indexes");
    }
    // What a competent engineer gives SQLite for a reporting job on a 24 GiB machine: a page
    // cache that holds the file, memory-mapped reads, temporary tables in memory, helper
    // threads for sorting.
    conn.execute_batch(
        "PRAGMA cache_size = -8000000; PRAGMA mmap_size = 17179869184; \
         PRAGMA temp_store = MEMORY; PRAGMA threads = 2;",
    )
    .expect("pragmas");
    conn
}

fn ingest(c: &mut Criterion) {
    let mut cmds = vec![demo::province_root()];
    cmds.extend(demo::province_city(&spec(), 0).expect("a city"));
    let dir = std::env::temp_dir().join(format!("cz-province-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch");
    let mut g = c.benchmark_group("ingest");
    g.sample_size(10);
    g.throughput(Throughput::Elements(cmds.len() as u64));
    g.bench_function("city_journaled_group_commit", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let path = dir.join(format!("city-{i}.journal"));
                let _ = std::fs::remove_file(&path);
                let mut campaign =
                    Campaign::create(&path, demo::info(), RuleSet::default()).expect("journal");
                let started = Instant::now();
                for chunk in cmds.chunks(4096) {
                    let receipt = campaign.execute_batch(chunk).expect("batch");
                    assert!(receipt.all_accepted());
                }
                total += started.elapsed();
                drop(campaign);
                let _ = std::fs::remove_file(&path);
            }
            total
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

fn province(c: &mut Criterion) {
    let n = cities();
    let path = journal(n);
    // Replay first, while nothing else is held in memory.
    let records = {
        let (campaign, _) = Campaign::open(&path, whole()).expect("opens");
        write_snapshot(&campaign, &path);
        campaign.seq()
    };
    let mut g = c.benchmark_group("replay");
    g.sample_size(10);
    g.throughput(Throughput::Elements(records));
    // Each opening's state is dropped outside the timing, before the next opening: one
    // province's state in memory at a time.
    g.bench_function(format!("province_{n}_cities"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                let (campaign, report) = Campaign::open(&path, whole()).expect("opens");
                total += started.elapsed();
                assert_eq!(report.records, records);
                drop(campaign);
            }
            total
        })
    });
    g.bench_function(format!("province_{n}_cities_from_snapshot"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                let (campaign, report) =
                    Campaign::open(&path, OpenOptions::default()).expect("opens");
                total += started.elapsed();
                assert_eq!(
                    report.snapshot,
                    Some(records),
                    "{:?}",
                    report.snapshot_skipped
                );
                drop(campaign);
            }
            total
        })
    });
    // The first city's records (the header and the lines up to the second city), from memory:
    // the whole replay, and the SM3 chain alone over the same lines, its floor. Under
    // `taskset -c 0` both run on one core.
    let prefix = first_city_lines(&path);
    let lines = prefix.iter().filter(|b| **b == b'\n').count() as u64 - 1;
    g.throughput(Throughput::Elements(lines));
    g.bench_function("first_city_from_memory", |b| {
        b.iter_with_large_drop(|| {
            let (campaign, report) = Campaign::replay(prefix.as_slice()).expect("replays");
            assert_eq!(report.records, lines);
            campaign
        })
    });
    g.bench_function("first_city_sm3_chain_only", |b| {
        use sm3::{Digest, Sm3};
        b.iter(|| {
            let mut prev = [0u8; 32];
            for line in prefix.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let mut h = Sm3::new();
                h.update(prev);
                h.update(&line[..line.len().saturating_sub(72)]);
                prev = h.finalize().into();
            }
            black_box(prev)
        })
    });
    g.finish();

    let campaign = memory(&path);
    describe(&campaign, &path);
    let state = campaign.state();
    let rules = campaign.rules();
    let root = state.root().expect("root");
    let township = state.org_by_id("k000.t-01").expect("a township");
    // The stage review as of the 123 year's last day.
    let span = Span::as_of(spec().method123.until);
    let conn = database(n, &campaign);

    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.throughput(Throughput::Elements(records));
    g.bench_function("engine_province", |b| {
        b.iter(|| black_box(StageReport::build(&campaign, root, span)))
    });
    g.bench_function("engine_province_figures_by_city", |b| {
        b.iter(|| {
            let split = Attribution::split(state, root, span.as_of);
            black_box(StageFigures::of_parts(state, rules, &split, span))
        })
    });
    g.bench_function("engine_township", |b| {
        b.iter(|| black_box(StageReport::build(&campaign, township, span)))
    });
    g.bench_function("sqlite_province", |b| {
        b.iter(|| black_box(sqlite::report(&conn, rules, root, span).expect("sql")))
    });
    g.bench_function("sqlite_township", |b| {
        b.iter(|| black_box(sqlite::report(&conn, rules, township, span).expect("sql")))
    });
    g.finish();

    let mut g = c.benchmark_group("method123");
    g.sample_size(10);
    let start = method123_start(state, span).expect("123 records");
    g.throughput(Throughput::Elements(state.receptions().len() as u64));
    g.bench_function("compliance_province", |b| {
        b.iter(|| black_box(compliance(state, rules, root, start, span.as_of)))
    });
    g.finish();

    let mut g = c.benchmark_group("evaluation");
    g.sample_size(10);
    g.throughput(Throughput::Elements(state.member_evaluations().len() as u64));
    let round = Period::containing(demo::AS_OF, Granularity::Year);
    // Every member's grade with each step explained, the cap applied per organization (what
    // the C ABI's member_evaluation_json returns, for everyone)...
    g.bench_function("grades_province_explained", |b| {
        b.iter(|| black_box(all_member_grades(state, rules, round)))
    });
    // ...and the grade alone, by the compiled integer rules, for a tally.
    let compiled = CompiledMemberRules::compile(&rules.member_evaluation);
    g.bench_function("grades_province_compiled", |b| {
        b.iter(|| {
            let mut bands = [0u64; 5];
            for e in state.member_evaluations() {
                let i = compiled.band(e).map_or(4, |g| g as usize);
                bands[i.min(4)] += 1;
            }
            black_box(bands)
        })
    });
    g.finish();
}

criterion_group!(benches, ingest, province);
criterion_main!(benches);
