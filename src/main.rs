//! The `chuangzheng` command-line tool.
//!
//! ```text
//! chuangzheng demo [--journal PATH] [--json]   build the demo city, journal it, verify, summarize
//! chuangzheng verify PATH [--json]             verify a journal's hash chain and replay it
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use chuangzheng::Coded;
use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Campaign, OpenOptions, ReplayReport, hash_hex};
use chuangzheng::report::TreeSummary;
use chuangzheng::rules::RuleSet;

const USAGE: &str = "\
chuangzheng — 创先争优 rules engine

USAGE:
    chuangzheng demo [--journal PATH] [--json]
        Build the demo city (the seed's shape), write its journal to PATH (default: a new file
        in the temporary directory, removed afterwards), reopen and verify it, print a summary.
    chuangzheng verify PATH [--json]
        Verify a journal's hash chain, replay it, print a summary. Reads only.
    chuangzheng import JOURNAL COMMANDS [--create ID NAME] [--rules FILE]
        Execute a JSON Lines file of commands (one per line; blank lines and lines starting
        with # are skipped) against the journal, in order, with group commit; with --create,
        start a new journal for campaign ID named NAME (under the rules in FILE, or the
        defaults). Every refused line is reported with its number and error; the others are
        recorded. Exit status 1 if any line was refused.
    chuangzheng rules [--check FILE]
        Print the default rule set as JSON (a starting point for a city's own file), or check a
        rule file: every error names the field at fault.
    chuangzheng --version | --help
";

/// A failure: its code (0 for usage errors) and message.
struct Failure {
    code: u32,
    message: String,
}

impl<E: Coded> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure {
            code: e.code(),
            message: format!("{}\n{}", e.message_zh(), e.message_en()),
        }
    }
}

fn usage(message: &str) -> Failure {
    Failure {
        code: 0,
        message: format!("{message}\n\n{USAGE}"),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) if f.code == 0 => {
            eprintln!("{}", f.message);
            ExitCode::from(2)
        }
        Err(f) => {
            eprintln!("错误 error [{}]: {}", f.code, f.message);
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), Failure> {
    let Some((command, rest)) = args.split_first() else {
        return Err(usage("no command given"));
    };
    match command.as_str() {
        "demo" => cmd_demo(rest),
        "verify" => cmd_verify(rest),
        "rules" => cmd_rules(rest),
        "import" => cmd_import(rest),
        "--version" | "-V" => {
            println!("chuangzheng {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        "--help" | "-h" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(usage(&format!("unknown command {other:?}"))),
    }
}

struct Flags {
    journal: Option<PathBuf>,
    json: bool,
    positional: Vec<String>,
}

fn parse_flags(args: &[String]) -> Result<Flags, Failure> {
    let mut flags = Flags {
        journal: None,
        json: false,
        positional: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => flags.json = true,
            "--journal" => {
                let path = it.next().ok_or_else(|| usage("--journal needs a path"))?;
                flags.journal = Some(PathBuf::from(path));
            }
            s if s.starts_with("--") => return Err(usage(&format!("unknown option {s:?}"))),
            s => flags.positional.push(s.to_string()),
        }
    }
    Ok(flags)
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

fn cmd_demo(args: &[String]) -> Result<(), Failure> {
    let flags = parse_flags(args)?;
    if !flags.positional.is_empty() {
        return Err(usage("demo takes no positional arguments"));
    }
    let (path, _guard) = match flags.journal {
        Some(p) => (p, TempJournal(None)),
        None => {
            let p = std::env::temp_dir().join(format!(
                "chuangzheng-demo-{}.journal.jsonl",
                std::process::id()
            ));
            (p.clone(), TempJournal(Some(p)))
        }
    };
    let written_hash = {
        let mut campaign = Campaign::create(&path, demo::info(), RuleSet::default())?;
        // Group commit in batches: one sync per batch, as a host importing a file would.
        demo::populate(&mut campaign, &DemoSpec::seed(), 4096)?;
        campaign.last_hash()
    };
    let (campaign, report) = Campaign::open(&path, OpenOptions::default())?;
    if campaign.last_hash() != written_hash {
        return Err(Failure {
            code: 4005,
            message: "重新打开后哈希链末端不一致 / the reopened journal's last hash differs".into(),
        });
    }
    print_result(&campaign, &report, &path, flags.json, _guard.0.is_some());
    if let Some(root) = campaign.state().root() {
        let r = chuangzheng::report::StageReport::build(
            &campaign,
            root,
            chuangzheng::report::Span::as_of(demo::AS_OF),
        );
        print!("{}", r.to_text());
    }
    Ok(())
}

fn cmd_verify(args: &[String]) -> Result<(), Failure> {
    let flags = parse_flags(args)?;
    let [path] = flags.positional.as_slice() else {
        return Err(usage("verify takes one journal path"));
    };
    let file = std::fs::File::open(path).map_err(|e| Failure {
        code: 4001,
        message: format!("无法打开日志 {path}: {e}\ncannot open journal {path}: {e}"),
    })?;
    let (campaign, report) = Campaign::replay(std::io::BufReader::with_capacity(1 << 20, file))?;
    print_result(&campaign, &report, &PathBuf::from(path), flags.json, false);
    Ok(())
}

fn cmd_import(args: &[String]) -> Result<(), Failure> {
    use chuangzheng::ledger::{CampaignInfo, Command};
    use chuangzheng::model::{ExtId, Name};
    let mut positional = Vec::new();
    let mut create = None;
    let mut rules_file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--create" => {
                let (Some(id), Some(name)) = (it.next(), it.next()) else {
                    return Err(usage("--create needs an id and a name"));
                };
                create = Some((id.clone(), name.clone()));
            }
            "--rules" => {
                rules_file = Some(
                    it.next()
                        .ok_or_else(|| usage("--rules needs a file"))?
                        .clone(),
                );
            }
            s if s.starts_with("--") => return Err(usage(&format!("unknown option {s:?}"))),
            s => positional.push(s.to_string()),
        }
    }
    let [journal, commands] = positional.as_slice() else {
        return Err(usage("import takes a journal and a commands file"));
    };
    let read = |path: &str| {
        std::fs::read_to_string(path).map_err(|e| Failure {
            code: 4001,
            message: format!("无法读取 {path}: {e}\ncannot read {path}: {e}"),
        })
    };
    let text = read(commands)?;
    let mut campaign = match create {
        Some((id, name)) => {
            let rules = match &rules_file {
                Some(f) => RuleSet::from_json(&read(f)?)?,
                None => RuleSet::default(),
            };
            let info = CampaignInfo {
                id: ExtId::new("campaign.id", &id)?,
                name: Name::new("campaign.name", &name)?,
            };
            Campaign::create(journal, info, rules)?
        }
        None => Campaign::open(journal, OpenOptions::default())?.0,
    };
    // Parse every line first; refused lines are reported by number, the rest run in order.
    let mut refused: Vec<(usize, Failure)> = Vec::new();
    let mut valid: Vec<(usize, Command)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match Command::from_json(trimmed) {
            Ok(cmd) => valid.push((line_no, cmd)),
            Err(e) => refused.push((line_no, e.into())),
        }
    }
    let mut accepted = 0usize;
    for chunk in valid.chunks(1000) {
        let batch = campaign.execute_batch(chunk.iter().map(|(_, c)| c))?;
        for ((line_no, _), outcome) in chunk.iter().zip(batch.outcomes) {
            match outcome {
                Ok(_) => accepted += 1,
                Err(e) => refused.push((*line_no, e.into())),
            }
        }
    }
    refused.sort_by_key(|(n, _)| *n);
    for (line_no, f) in &refused {
        eprintln!(
            "第 {line_no} 行 line {line_no}: [{}] {}",
            f.code,
            f.message.replace('\n', " / ")
        );
    }
    println!(
        "已记录 recorded: {accepted} 条 commands; 拒绝 refused: {} 条; 日志 journal {} seq {}",
        refused.len(),
        journal,
        campaign.seq()
    );
    if refused.is_empty() {
        Ok(())
    } else {
        Err(Failure {
            code: 3000,
            message: format!(
                "{} 条命令被拒绝 / {} commands refused",
                refused.len(),
                refused.len()
            ),
        })
    }
}

fn cmd_rules(args: &[String]) -> Result<(), Failure> {
    match args {
        [] => {
            println!("{}", RuleSet::default().to_json());
            Ok(())
        }
        [flag, path] if flag == "--check" => {
            let text = std::fs::read_to_string(path).map_err(|e| Failure {
                code: 4001,
                message: format!("无法读取规则文件 {path}: {e}\ncannot read rule file {path}: {e}"),
            })?;
            let rules = RuleSet::from_json(&text)?;
            println!(
                "规则集有效 rule set is valid: {} (version {})",
                rules.name, rules.version
            );
            Ok(())
        }
        _ => Err(usage("rules takes no argument, or --check FILE")),
    }
}

fn print_result(
    campaign: &Campaign,
    report: &ReplayReport,
    path: &std::path::Path,
    json: bool,
    temporary: bool,
) {
    let as_of = campaign
        .state()
        .orgs()
        .iter()
        .map(|o| o.since)
        .chain(campaign.state().members().iter().map(|m| m.current().from))
        .max()
        .unwrap_or(demo::START);
    let summary = TreeSummary::of(campaign.state(), as_of);
    if json {
        let out = serde_json::json!({
            "campaign": campaign.info(),
            "journal": {
                "path": path.display().to_string(),
                "records": report.records,
                "last_seq": campaign.seq(),
                "last_hash": hash_hex(&campaign.last_hash()),
                "torn_tail_bytes": report.torn_tail.as_ref().map(|t| t.len),
            },
            "summary": summary,
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return;
    }
    println!("{} ({})", campaign.info().name, campaign.info().id);
    println!(
        "日志 journal: {}{}",
        path.display(),
        if temporary {
            " (临时, 结束后删除 / temporary, removed at exit)"
        } else {
            ""
        }
    );
    println!(
        "  已校验 verified: {} 条记录 records, seq 1..={}, SM3 链末端 last hash {}",
        report.records,
        campaign.seq(),
        hash_hex(&campaign.last_hash())
    );
    if let Some(t) = &report.torn_tail {
        println!(
            "  注意 note: 末尾残缺记录已丢弃 torn tail dropped: {} 字节 bytes at {}",
            t.len, t.offset
        );
    }
    print!("{}", summary.to_text());
}
