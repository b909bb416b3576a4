//! `chuangzheng demo`: the bundled demo city built from raw records, journaled, reopened and
//! verified, and its stage report; or, with `--province N`, a province of N such cities written
//! as shards for a cross-machine rollup.

use std::io::Write;
use std::path::{Path, PathBuf};

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Campaign, OpenOptions, hash_hex};
use chuangzheng::report::{Span, StageReport};
use chuangzheng::rules::RuleSet;

use crate::args::DemoArgs;
use crate::failure::{Failure, io_failure, say, say_raw, write_file};
use crate::journal::scope_of;
use crate::progress;

/// Commands per group commit: one sync per batch, as a host importing a file would.
const BATCH: usize = 8192;

pub fn run(a: &DemoArgs) -> Result<(), Failure> {
    let spec = if a.small {
        DemoSpec::small()
    } else {
        DemoSpec::seed()
    };
    // clap requires --out with --province.
    if let (Some(cities), Some(dir)) = (a.province, &a.out) {
        return run_province(dir, &spec, cities);
    }
    let (path, guard) = demo_journal_path(a.out.as_deref())?;
    let built = progress::spinner("生成演示城市 building the demo city");
    let written_hash = {
        let mut campaign = Campaign::create(&path, demo::info(), RuleSet::default())?;
        demo::populate(&mut campaign, &spec, BATCH)?;
        campaign.last_hash()
    };
    if let Some(file) = &a.commands {
        write_commands(file, &spec)?;
    }
    built.set_message("重新打开并校验 reopening and verifying the journal");
    let (campaign, replayed) = Campaign::open(&path, OpenOptions::default())?;
    if campaign.last_hash() != written_hash {
        return Err(Failure {
            code: 4005,
            zh: "重新打开后哈希链末端不一致".into(),
            en: "the reopened journal's last hash differs".into(),
        });
    }
    built.set_message("统计 building the report");
    let root = scope_of(&campaign, None)?;
    let report = StageReport::build(&campaign, root, Span::as_of(demo::AS_OF));
    built.finish_and_clear();
    if let Some(dir) = &a.out {
        write_file(&dir.join("report.json"), &report.to_json())?;
        write_file(&dir.join("report.txt"), &report.to_text())?;
        write_file(&dir.join("report.html"), &report.to_html())?;
        let xlsx = dir.join("report.xlsx");
        let bytes = report.to_xlsx()?;
        std::fs::write(&xlsx, bytes).map_err(|e| io_failure("写入", &xlsx, &e))?;
    }
    if a.json {
        say!("{}", report.to_json());
    } else {
        let hash = hash_hex(&campaign.last_hash());
        let temporary = guard.0.is_some();
        say_demo_journal(&path, replayed.records, &hash, temporary, a.out.as_deref());
        say!();
        say_raw!("{}", report.to_text());
    }
    Ok(())
}

/// Where the demo's journal goes: `journal.jsonl` in `out` (an older one there removed), or a
/// temporary file removed when the returned guard drops.
fn demo_journal_path(out: Option<&Path>) -> Result<(PathBuf, TempJournal), Failure> {
    match out {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| io_failure("创建", dir, &e))?;
            Ok((fresh(dir.join("journal.jsonl"))?, TempJournal(None)))
        }
        None => {
            let p = std::env::temp_dir().join(format!(
                "chuangzheng-demo-{}.journal.jsonl",
                std::process::id()
            ));
            Ok((p.clone(), TempJournal(Some(p))))
        }
    }
}

/// `path`, with an older file there removed: a journal is never overwritten, and the demo's
/// files are made again on every run. A snapshot of the older journal goes with it.
fn fresh(path: PathBuf) -> Result<PathBuf, Failure> {
    for old in [chuangzheng::ledger::snapshot_path(&path), path.clone()] {
        if old.exists() {
            std::fs::remove_file(&old).map_err(|e| io_failure("写入", &old, &e))?;
        }
    }
    Ok(path)
}

/// `demo --province N --out DIR`: the shards of a cross-machine rollup. DIR/province.jsonl holds
/// the province's root and its N cities; DIR/<city>.jsonl each city's own campaign with the
/// same commands, rooted at the city, so that each city's figures from its own journal are the
/// city's in the province's, and their merge the province's. Each city is generated once and
/// sent to both.
fn run_province(dir: &Path, spec: &DemoSpec, cities: u32) -> Result<(), Failure> {
    std::fs::create_dir_all(dir).map_err(|e| io_failure("创建", dir, &e))?;
    let bar = progress::spinner("生成演示省 building the demo province");
    let path = fresh(dir.join("province.jsonl"))?;
    let mut province = Campaign::create(&path, demo::info(), RuleSet::default())?;
    demo::run_batches(&mut province, &[demo::province_root()], BATCH)?;
    let mut shards = Vec::with_capacity(cities as usize);
    for k in 0..cities {
        let n = k + 1;
        bar.set_message(format!(
            "生成第 {n}/{cities} 个城市 building city {n} of {cities}"
        ));
        shards.push(write_city(dir, spec, k, &mut province)?);
    }
    bar.finish_and_clear();
    say_shard(&Shard::of(&path, &province));
    shards.iter().for_each(say_shard);
    Ok(())
}

/// City `k`'s commands, generated once: journaled to DIR/<city id>.jsonl as a campaign of its
/// own, then executed into `province` under its root.
fn write_city(
    dir: &Path,
    spec: &DemoSpec,
    k: u32,
    province: &mut Campaign,
) -> Result<Shard, Failure> {
    let mut cmds = demo::city_alone(spec, k)?;
    let path = fresh(dir.join(format!("{}.jsonl", demo::city_id(k))))?;
    let mut city = Campaign::create(&path, demo::info(), RuleSet::default())?;
    demo::run_batches(&mut city, &cmds, BATCH)?;
    demo::in_province(&mut cmds);
    demo::run_batches(province, &cmds, BATCH)?;
    Ok(Shard::of(&path, &city))
}

/// A journal written by `demo --province`: where, how many records, and its last hash.
struct Shard {
    path: PathBuf,
    records: u64,
    hash: String,
}

impl Shard {
    fn of(path: &Path, campaign: &Campaign) -> Shard {
        Shard {
            path: path.to_path_buf(),
            records: campaign.seq(),
            hash: hash_hex(&campaign.last_hash()),
        }
    }
}

/// Says a shard written, in Chinese then English.
fn say_shard(s: &Shard) {
    let (shown, records, hash) = (s.path.display(), s.records, &s.hash);
    say!("已写入 {shown}：{records} 条记录，SM3 链末端哈希 {hash}");
    say!("wrote {shown}: {records} records, SM3 last hash {hash}");
}

/// Says where the demo's journal is, how many records were verified and its last hash, in
/// Chinese then English, and which files were written to `out`.
fn say_demo_journal(path: &Path, records: u64, hash: &str, temporary: bool, out: Option<&Path>) {
    let shown = path.display();
    let (temp_zh, temp_en) = match temporary {
        true => ("；临时文件，结束后删除", " — temporary, removed at exit"),
        false => ("", ""),
    };
    say!("日志：{shown}，已校验 {records} 条记录，SM3 链末端哈希 {hash}{temp_zh}");
    say!("journal: {shown} ({records} records verified, SM3 last hash {hash}){temp_en}");
    if let Some(dir) = out {
        let dir = dir.display();
        say!("已写入：{dir}/report.json、report.txt、report.html、report.xlsx、journal.jsonl");
        say!("written: {dir}/report.json, report.txt, report.html, report.xlsx, journal.jsonl");
    }
}

/// Writes the demo's commands, as `import` reads them, to `file`.
fn write_commands(file: &Path, spec: &DemoSpec) -> Result<(), Failure> {
    let city = demo::commands(spec);
    let mut campaign = Campaign::in_memory(demo::info(), RuleSet::default())?;
    campaign.execute_batch(&city)?;
    let records = demo::records(campaign.state(), spec);
    let f = std::fs::File::create(file).map_err(|e| io_failure("写入", file, &e))?;
    let mut w = std::io::BufWriter::new(f);
    for cmd in city.iter().chain(&records) {
        writeln!(w, "{}", cmd.to_json()).map_err(|e| io_failure("写入", file, &e))?;
    }
    w.flush().map_err(|e| io_failure("写入", file, &e))
}

/// Removes the demo's temporary journal when the command ends, however it ends.
struct TempJournal(Option<PathBuf>);

impl Drop for TempJournal {
    fn drop(&mut self) {
        if let Some(p) = &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}
