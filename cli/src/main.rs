//! The `chuangzheng` command-line tool: the demo city, the stage report, imports, journal
//! verification, the audit of published claims, and rule files. `chuangzheng --help` says it
//! all; exit statuses are documented there.

use chuangzheng::org::OrgError;
use std::io::{BufRead, IsTerminal, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chuangzheng::Coded;
use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::import::{ImportPhase, MAX_CHUNK_COMMANDS};
use chuangzheng::ledger::{
    Anchors, Campaign, CampaignInfo, EntityKind, ImportOptions, ImportProgress, ImportReport,
    JournalError, LedgerError, OpenOptions, ReplayReport, Signing, SigningKey, Verification,
    VerifyingKey, check_jsonl, checkpoint, hash_from_hex, hash_hex, io_zh,
};
use chuangzheng::model::{ExtId, Name, OrgIdx};
use chuangzheng::report::{Claims, Reading, Span, StageReport, Support, audit, findings_text};
use chuangzheng::rules::RuleSet;
use jiff::civil::Date;
use std::num::NonZeroU64;
use zeroize::Zeroizing;

/// Writes a line to stdout. A closed stdout (`… | head`) ends the output quietly: there is no
/// one left to tell.
macro_rules! say {
    ($($t:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

/// Writes to stdout without a newline; as [`say!`].
macro_rules! say_raw {
    ($($t:tt)*) => {{
        let _ = write!(std::io::stdout().lock(), $($t)*);
    }};
}

const HEADER: &str = "\
chuangzheng — 创先争优 rules engine: public pledges, the 123 work method, evaluations, the
stage-review report (阶段点评). Every figure is computed from a journal of dated commands.

USAGE:
";

/// Each command's usage: what `chuangzheng COMMAND --help` prints, and a part of `--help`.
const COMMANDS: [(&str, &str); 7] = [
    (
        "demo",
        "    chuangzheng demo [--out DIR] [--json] [--small] [--commands FILE]
        Build the bundled demo city (the seed's shape: 905 organizations, 24,128 members,
        about 300,000 dated records sent through the ledger), journal it, reopen and verify the
        journal, and print the stage report in Chinese (with --json: the JSON report).
        With --out DIR, also write DIR/journal.jsonl, DIR/report.json, DIR/report.txt and
        DIR/report.html (the page prints on A4). --small builds a small city of the same
        shape instead; --commands FILE writes the demo's commands as JSON Lines (what `import`
        reads, and what a host would send).
",
    ),
    (
        "report",
        "    chuangzheng report JOURNAL [--scope ORG] [--as-of DATE] [--from DATE]
                               [--attribution as-of|historical]
                               [--format text|json|html] [--out FILE]
        The stage report of a journal: for the subtree of ORG as it stood on the as-of date
        (default: the root), over the records dated from DATE (default: the start) to the
        as-of date (default: the latest date recorded), as Chinese text (default), JSON or an
        HTML page; to FILE or stdout. --attribution historical counts each record under the
        organization its author stood under on the record's own date (default as-of: under
        the organizations' places on the as-of date); see docs/report.md.
",
    ),
    (
        "import",
        "    chuangzheng import JOURNAL COMMANDS [--create ID NAME] [--rules FILE] [--keep-going]
                                        [--batch N] [--ack]
                                        [(--sign-key FILE | --hmac-key FILE) --key-id ID
                                         [--every N]]
        Run a JSON Lines file of commands (one per line; blank lines and lines starting with #
        are skipped) against the journal. All or nothing by default: every line is checked
        first, in order, and if any is refused nothing is recorded. With --keep-going the
        good lines are recorded and the refused ones listed (the first 10000; the rest are
        counted). Each refusal names its line, code, field and reason; a line that is not
        UTF-8 or longer than 1 MiB is refused like a malformed one. At most 10000000 commands
        (3001 naming the first line past it, nothing recorded). --create starts a new journal
        for campaign ID named NAME, under the rules in FILE (default: the built-in rules),
        once the check passed; a file already at JOURNAL is refused (4002) before anything is
        read. The file is read twice, checked then recorded, in chunks of N commands (default
        4096), one sync each, so memory does not grow with the file; --ack prints `ack SEQ`
        once each chunk is durable. If the journal fails part way, the chunks synced before
        stay recorded and the error says how many; a file changed between the check and the
        recording stops the import (4009) before the chunk that differs. A torn last record
        of the journal (a write cut short) is dropped, saved beside it and reported on stderr.
        The same import as the C ABI's cz_campaign_import, with the same refusals.
        --sign-key FILE (an SM2 private key, PKCS#8 PEM or DER) or --hmac-key FILE (an
        HMAC-SM3 key: the file's bytes) signs checkpoints named --key-id ID into the journal:
        one every N records with --every N, and one at the end of each chunk.
",
    ),
    (
        "checkpoint",
        "    chuangzheng checkpoint JOURNAL (--sign-key FILE | --hmac-key FILE) --key-id ID
        Write one checkpoint record at the journal's end: the hash of the chain through its
        last record, signed with the key (SM2 private key, PKCS#8 PEM or DER; or an HMAC-SM3
        key, the file's bytes), named ID. `verify --public-key` or `--hmac-key` checks it.
",
    ),
    (
        "verify",
        "    chuangzheng verify JOURNAL [--expect-last-hash HEX] [--expect-seq N]
                               [--public-key FILE]... [--hmac-key FILE]... [--json]
        Verify a journal's SM3 hash chain, replay every record, print a summary. Reads only.
        Every byte of the file must belong to a verified record: a last line cut short exits 4.
        --expect-last-hash and --expect-seq compare the journal's end with anchors kept apart
        from it (a journal cut at a record boundary, or resealed, verifies without them);
        a difference exits 1. --public-key (SM2, SPKI PEM or DER) and --hmac-key check every
        checkpoint of their algorithm: one that does not verify exits 1; records after the
        last one that does (an unsigned tail) exit 5.
",
    ),
    (
        "audit",
        "    chuangzheng audit CLAIMS (JOURNAL | --demo) [--scope ORG] [--as-of DATE] [--from DATE]
                      [--json]
        Recompute each published claim in CLAIMS (see examples/seed-claims.json) from the
        journal's records (or the demo city's) and say whether they support it, under which
        reading, or by how much it differs.
",
    ),
    (
        "rules",
        "    chuangzheng rules [check FILE]
        Print the built-in rule set as JSON (a starting point for a city's own file), or check
        a rule file: every fault of the file is listed, each with its code, field and line.
        (`rules --check FILE` also works.)
",
    ),
];

const FOOTER: &str = "    chuangzheng help [COMMAND] | --help | --version
        COMMAND --help prints that command's usage only.

DATES are YYYY-MM-DD. ORG is an organization's id as the host gave it (e.g. t-01).

EXIT STATUS:
    0  done
    1  the input was refused: a command, a rule file, a claim not supported by the records,
       or a journal that fails verification (the message gives the error's code)
    2  usage: an unknown command or option, a missing or malformed argument
    3  a file could not be read or written
    4  verify: the journal's records verify, but bytes at its end belong to no record (4010)
    5  verify with a key: records after the last checkpoint the key verifies (4014)

Error messages are in Chinese and English and start with the error's stable code, listed in
docs/events.md.
";

/// The whole help: every command's usage.
fn usage_text() -> String {
    let mut out = HEADER.to_string();
    for (_, text) in COMMANDS {
        out.push_str(text);
    }
    out.push_str(FOOTER);
    out
}

/// One command's usage, or `None` for a name that is no command.
fn command_usage(name: &str) -> Option<String> {
    let (_, text) = COMMANDS.iter().find(|(n, _)| *n == name)?;
    Some(format!(
        "USAGE:\n{text}\nDATES are YYYY-MM-DD. Exit statuses and error codes: chuangzheng --help\n"
    ))
}

/// A failure: its error code (0 for usage errors), its message in Chinese and in English.
struct Failure {
    code: u32,
    zh: String,
    en: String,
}

impl<E: Coded> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure {
            code: e.code(),
            zh: e.message_zh(),
            en: e.message_en(),
        }
    }
}

impl Failure {
    fn exit_status(&self) -> u8 {
        match self.code {
            0 => 2,
            4001 => 3,
            4010 => 4,
            4014 => 5,
            _ => 1,
        }
    }

    /// The failure as two lines, Chinese then English, each with the code.
    fn lines(&self) -> String {
        format!(
            "错误 [{}]：{}\nerror [{}]: {}",
            self.code, self.zh, self.code, self.en
        )
    }
}

/// A usage error: the command line is wrong. One line in each language; `main` adds a hint.
fn usage(zh: impl Into<String>, en: impl Into<String>) -> Failure {
    Failure {
        code: 0,
        zh: zh.into(),
        en: en.into(),
    }
}

fn io_failure(what: &str, path: &Path, e: &std::io::Error) -> Failure {
    let what_en = match what {
        "读取" => "read",
        "写入" => "write",
        _ => "create",
    };
    let shown = path.display().to_string();
    Failure {
        code: 4001,
        zh: format!("无法{what} {shown:?}：{}", io_zh(e)),
        en: format!("cannot {what_en} {shown}: {e}"),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) if f.code == 0 => {
            let command = args
                .first()
                .filter(|c| command_usage(c).is_some())
                .map_or(String::new(), |c| format!(" {c}"));
            eprintln!("用法错误：{} / usage: {}", f.zh, f.en);
            eprintln!(
                "提示：运行 chuangzheng{command} --help 查看用法 / hint: chuangzheng{command} --help"
            );
            ExitCode::from(2)
        }
        Err(f) => {
            eprintln!("{}", f.lines());
            ExitCode::from(f.exit_status())
        }
    }
}

/// `--help` or `-h` among a command's arguments.
fn wants_help(args: &[String]) -> bool {
    args.iter().any(|a| a == "--help" || a == "-h")
}

fn run(args: &[String]) -> Result<(), Failure> {
    let Some((command, rest)) = args.split_first() else {
        return Err(usage("未给出命令", "no command given"));
    };
    if let Some(text) = command_usage(command).filter(|_| wants_help(rest)) {
        say_raw!("{text}");
        return Ok(());
    }
    match command.as_str() {
        "demo" => cmd_demo(rest),
        "report" => cmd_report(rest),
        "verify" => cmd_verify(rest),
        "rules" => cmd_rules(rest),
        "import" => cmd_import(rest),
        "checkpoint" => cmd_checkpoint(rest),
        "audit" => cmd_audit(rest),
        "--version" | "-V" => {
            say!("chuangzheng {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        "--help" | "-h" | "help" => {
            match rest.first().and_then(|c| command_usage(c)) {
                Some(text) => say_raw!("{text}"),
                None => say_raw!("{}", usage_text()),
            }
            Ok(())
        }
        other => Err(usage(
            format!("未知的命令 {other:?}"),
            format!("unknown command {other:?}"),
        )),
    }
}

/// Options common to the commands; each command says which it takes.
#[derive(Default)]
struct Opts {
    positional: Vec<String>,
    json: bool,
    demo: bool,
    keep_going: bool,
    ack: bool,
    batch: Option<String>,
    small: bool,
    commands: Option<PathBuf>,
    out: Option<PathBuf>,
    scope: Option<String>,
    as_of: Option<Date>,
    from: Option<Date>,
    format: Option<String>,
    attribution: Option<Reading>,
    create: Option<(String, String)>,
    rules: Option<PathBuf>,
    expect_last_hash: Option<String>,
    expect_seq: Option<String>,
    public_keys: Vec<PathBuf>,
    hmac_keys: Vec<PathBuf>,
    sign_key: Option<PathBuf>,
    key_id: Option<String>,
    every: Option<String>,
}

fn parse(args: &[String], allowed: &[&str]) -> Result<Opts, Failure> {
    let mut o = Opts::default();
    let mut it = args.iter();
    let date = |flag: &str, v: Option<&String>| -> Result<Date, Failure> {
        let v = v.ok_or_else(|| {
            usage(
                format!("{flag} 需要一个日期（YYYY-MM-DD）"),
                format!("{flag} needs a date (YYYY-MM-DD)"),
            )
        })?;
        v.parse::<Date>().map_err(|e| {
            usage(
                format!("{flag} {v:?} 不是日期，应写作 YYYY-MM-DD"),
                format!("{flag} {v:?}: not a date (YYYY-MM-DD): {e}"),
            )
        })
    };
    while let Some(a) = it.next() {
        if a.starts_with("--") && !allowed.contains(&a.as_str()) {
            return Err(usage(
                format!("未知的选项 {a:?}"),
                format!("unknown option {a:?}"),
            ));
        }
        let mut value = |name: &str| {
            it.next().cloned().ok_or_else(|| {
                usage(
                    format!("{name} 需要一个值"),
                    format!("{name} needs a value"),
                )
            })
        };
        match a.as_str() {
            "--json" => o.json = true,
            "--demo" => o.demo = true,
            "--keep-going" => o.keep_going = true,
            "--ack" => o.ack = true,
            "--batch" => o.batch = Some(value("--batch")?),
            "--small" => o.small = true,
            "--commands" => o.commands = Some(PathBuf::from(value("--commands")?)),
            "--out" => o.out = Some(PathBuf::from(value("--out")?)),
            "--scope" => o.scope = Some(value("--scope")?),
            "--format" => o.format = Some(value("--format")?),
            "--attribution" => o.attribution = Some(reading(&value("--attribution")?)?),
            "--rules" => o.rules = Some(PathBuf::from(value("--rules")?)),
            "--expect-last-hash" => o.expect_last_hash = Some(value("--expect-last-hash")?),
            "--expect-seq" => o.expect_seq = Some(value("--expect-seq")?),
            "--public-key" => o.public_keys.push(PathBuf::from(value("--public-key")?)),
            "--hmac-key" => o.hmac_keys.push(PathBuf::from(value("--hmac-key")?)),
            "--sign-key" => o.sign_key = Some(PathBuf::from(value("--sign-key")?)),
            "--key-id" => o.key_id = Some(value("--key-id")?),
            "--every" => o.every = Some(value("--every")?),
            "--as-of" => o.as_of = Some(date("--as-of", it.next())?),
            "--from" => o.from = Some(date("--from", it.next())?),
            "--create" => {
                let (Some(id), Some(name)) = (it.next(), it.next()) else {
                    return Err(usage(
                        "--create 需要标识和名称两个值",
                        "--create needs an id and a name",
                    ));
                };
                o.create = Some((id.clone(), name.clone()));
            }
            _ => o.positional.push(a.clone()),
        }
    }
    Ok(o)
}

/// `--attribution`: `as-of` or `historical`.
fn reading(v: &str) -> Result<Reading, Failure> {
    v.parse::<Reading>().map_err(|_| {
        usage(
            format!("--attribution {v:?} 只能是 as-of 或 historical"),
            format!("--attribution {v:?}: one of as-of, historical"),
        )
    })
}

/// A progress line on stderr for long jobs, shown only when stderr is a terminal.
struct Progress {
    label: &'static str,
    total: u64,
    shown: u64,
    on: bool,
}

impl Progress {
    fn new(label: &'static str, total: u64) -> Progress {
        Progress {
            label,
            total,
            shown: u64::MAX,
            on: std::io::stderr().is_terminal() && total > 0,
        }
    }

    fn set(&mut self, done: u64) {
        if !self.on {
            return;
        }
        let percent = done.min(self.total) * 100 / self.total.max(1);
        if percent != self.shown {
            self.shown = percent;
            let bar = "#".repeat((percent / 4) as usize);
            eprint!("\r{} [{bar:<25}] {percent:>3}%", self.label);
            let _ = std::io::stderr().flush();
        }
    }

    fn done(&mut self) {
        if self.on && self.shown != u64::MAX {
            eprintln!();
        }
        self.on = false;
    }
}

/// A reader that reports how far it has read into a file.
struct ProgressReader<R> {
    inner: R,
    read: u64,
    progress: Progress,
}

impl<R: BufRead> Read for ProgressReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        self.progress.set(self.read);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for ProgressReader<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
        self.read += amt as u64;
        self.progress.set(self.read);
    }
}

/// Replays a journal read-only, with a progress line.
fn replay(path: &Path) -> Result<(Campaign, ReplayReport), Failure> {
    read_journal(path, "回放 replay", |r| Campaign::replay(r))
}

/// Runs `read` over the journal at `path`, with a progress line labelled `label`.
fn read_journal<T>(
    path: &Path,
    label: &'static str,
    read: impl FnOnce(
        &mut ProgressReader<std::io::BufReader<std::fs::File>>,
    ) -> Result<T, chuangzheng::Error>,
) -> Result<T, Failure> {
    let file = std::fs::File::open(path).map_err(|e| io_failure("读取", path, &e))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = ProgressReader {
        inner: std::io::BufReader::with_capacity(1 << 20, file),
        read: 0,
        progress: Progress::new(label, total),
    };
    let result = read(&mut reader);
    reader.progress.done();
    Ok(result?)
}

fn scope_of(campaign: &Campaign, scope: Option<&str>) -> Result<OrgIdx, Failure> {
    let state = campaign.state();
    match scope {
        None => state.root().ok_or_else(|| Failure {
            code: 3002,
            zh: "日志中没有组织".into(),
            en: "the journal holds no organization".into(),
        }),
        Some(id) => state.org_by_id(id).ok_or_else(|| {
            LedgerError::from(OrgError::Unknown {
                field: "--scope",
                kind: EntityKind::Org,
                id: id.to_string(),
            })
            .into()
        }),
    }
}

fn span_of(campaign: &Campaign, o: &Opts) -> Result<Span, Failure> {
    let as_of = o.as_of.or(campaign.latest_date()).ok_or_else(|| {
        usage(
            "日志中没有记录，请给出 --as-of",
            "the journal holds no record: give --as-of",
        )
    })?;
    if let Some(from) = o.from
        && from > as_of
    {
        return Err(usage(
            format!("--from {from} 晚于截止日期 {as_of}"),
            format!("--from {from} is after the as-of date {as_of}"),
        ));
    }
    Ok(Span {
        from: o.from,
        as_of,
    })
}

fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(|e| io_failure("写入", path, &e))
}

fn cmd_demo(args: &[String]) -> Result<(), Failure> {
    let o = parse(args, &["--out", "--json", "--small", "--commands"])?;
    if !o.positional.is_empty() {
        return Err(usage(
            "demo 不接受位置参数",
            "demo takes no positional arguments",
        ));
    }
    let (path, guard) = demo_journal_path(o.out.as_deref())?;
    let spec = if o.small {
        DemoSpec::small()
    } else {
        DemoSpec::seed()
    };
    let written_hash = {
        let mut campaign = Campaign::create(&path, demo::info(), RuleSet::default())?;
        // Group commit in batches: one sync per batch, as a host importing a file would.
        demo::populate(&mut campaign, &spec, 8192)?;
        campaign.last_hash()
    };
    if let Some(file) = &o.commands {
        write_commands(file, &spec)?;
    }
    let (campaign, replayed) = Campaign::open(&path, OpenOptions::default())?;
    if campaign.last_hash() != written_hash {
        return Err(Failure {
            code: 4005,
            zh: "重新打开后哈希链末端不一致".into(),
            en: "the reopened journal's last hash differs".into(),
        });
    }
    let root = scope_of(&campaign, None)?;
    let report = StageReport::build(&campaign, root, Span::as_of(demo::AS_OF));
    if let Some(dir) = &o.out {
        write_file(&dir.join("report.json"), &report.to_json())?;
        write_file(&dir.join("report.txt"), &report.to_text())?;
        write_file(&dir.join("report.html"), &report.to_html())?;
    }
    if o.json {
        say!("{}", report.to_json());
    } else {
        let hash = hash_hex(&campaign.last_hash());
        say_demo_journal(
            &path,
            replayed.records,
            &hash,
            guard.0.is_some(),
            o.out.as_deref(),
        );
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
            let p = dir.join("journal.jsonl");
            if p.exists() {
                std::fs::remove_file(&p).map_err(|e| io_failure("写入", &p, &e))?;
            }
            Ok((p, TempJournal(None)))
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

/// Says where the demo's journal is, how many records were verified and its last hash, in
/// Chinese then English, and which files were written to `out`.
fn say_demo_journal(path: &Path, records: u64, hash: &str, temporary: bool, out: Option<&Path>) {
    let shown = path.display();
    say!(
        "日志：{shown}，已校验 {records} 条记录，SM3 链末端哈希 {hash}{}",
        if temporary {
            "；临时文件，结束后删除"
        } else {
            ""
        }
    );
    say!(
        "journal: {shown} ({records} records verified, SM3 last hash {hash}){}",
        if temporary {
            " — temporary, removed at exit"
        } else {
            ""
        }
    );
    if let Some(dir) = out {
        let dir = dir.display();
        say!("已写入：{dir}/report.json、report.txt、report.html、journal.jsonl");
        say!("written: {dir}/report.json, report.txt, report.html, journal.jsonl");
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

fn cmd_report(args: &[String]) -> Result<(), Failure> {
    let o = parse(
        args,
        &[
            "--scope",
            "--as-of",
            "--from",
            "--attribution",
            "--format",
            "--out",
        ],
    )?;
    let [journal] = o.positional.as_slice() else {
        return Err(usage(
            "report 只接受一个日志路径",
            "report takes one journal path",
        ));
    };
    let format = o.format.as_deref().unwrap_or("text");
    if !["text", "json", "html"].contains(&format) {
        return Err(usage(
            format!("--format {format:?} 应为 text、json、html 之一"),
            format!("--format {format:?}: one of text, json, html"),
        ));
    }
    let (campaign, _) = replay(Path::new(journal))?;
    let root = scope_of(&campaign, o.scope.as_deref())?;
    let span = span_of(&campaign, &o)?;
    let reading = o.attribution.unwrap_or_default();
    let report = StageReport::build_with(&campaign, root, span, reading);
    let text = match format {
        "json" => report.to_json(),
        "html" => report.to_html(),
        _ => report.to_text(),
    };
    match &o.out {
        Some(path) => write_file(path, &text),
        None => {
            say_raw!("{text}");
            Ok(())
        }
    }
}

fn cmd_verify(args: &[String]) -> Result<(), Failure> {
    let o = parse(
        args,
        &[
            "--json",
            "--expect-last-hash",
            "--expect-seq",
            "--public-key",
            "--hmac-key",
        ],
    )?;
    let [path] = o.positional.as_slice() else {
        return Err(usage(
            "verify 只接受一个日志路径",
            "verify takes one journal path",
        ));
    };
    let anchors = anchors(&o)?;
    let keys = verifying_keys(&o)?;
    let (campaign, v) = verify(Path::new(path), &anchors, &keys)?;
    if o.json {
        let json = verification_json(path, &campaign, &v);
        say!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
    } else {
        say_verification(path, &campaign, &v);
    }
    // Every problem, in one message; its code is the first's: an anchor that differs (4011)
    // or a checkpoint that fails its key (4013) is a refusal (exit 1), an unsigned tail (4014,
    // exit 5) and bytes outside every record (4010, exit 4) findings.
    match v.problems_message() {
        None => Ok(()),
        Some((code, zh, en)) => Err(Failure { code, zh, en }),
    }
}

/// `--expect-last-hash` (64 lowercase hex digits) and `--expect-seq` (a count).
fn anchors(o: &Opts) -> Result<Anchors, Failure> {
    let last_hash = match &o.expect_last_hash {
        None => None,
        Some(h) => Some(hash_from_hex(h).ok_or_else(|| {
            usage(
                format!("--expect-last-hash {h:?} 须为 64 位小写十六进制数字"),
                format!("--expect-last-hash {h:?}: 64 lowercase hex digits"),
            )
        })?),
    };
    let seq = match &o.expect_seq {
        None => None,
        Some(n) => Some(n.parse::<u64>().map_err(|_| {
            usage(
                format!("--expect-seq {n:?} 须为非负整数"),
                format!("--expect-seq {n:?}: a whole number, 0 or more"),
            )
        })?),
    };
    Ok(Anchors { last_hash, seq })
}

fn verify(
    path: &Path,
    anchors: &Anchors,
    keys: &[VerifyingKey],
) -> Result<(Campaign, Verification), Failure> {
    read_journal(path, "校验 verify", |r| {
        Campaign::verify_signed(r, anchors, keys)
    })
}

/// A key file's bytes, bounded; zeroed when dropped.
fn read_key(path: &Path) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let mut bytes = Zeroizing::new(Vec::new());
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(checkpoint::MAX_KEY_FILE_BYTES)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| io_failure("读取", path, &e))?;
    Ok(bytes)
}

/// The keys `verify` checks checkpoints with: `--public-key` (SM2) and `--hmac-key` files.
fn verifying_keys(o: &Opts) -> Result<Vec<VerifyingKey>, Failure> {
    let sm2 = o
        .public_keys
        .iter()
        .map(|p| Ok(VerifyingKey::sm2_spki(&read_key(p)?)?));
    let hmac = o
        .hmac_keys
        .iter()
        .map(|p| Ok(VerifyingKey::hmac_sm3(&read_key(p)?)?));
    sm2.chain(hmac).collect()
}

/// The key that signs checkpoints: `--sign-key` (SM2) or `--hmac-key`, named `--key-id`;
/// `None` when neither is given.
fn signing_key(o: &Opts) -> Result<Option<SigningKey>, Failure> {
    let key_file = match (&o.sign_key, o.hmac_keys.as_slice()) {
        (None, []) => {
            return match o.key_id.is_some() || o.every.is_some() {
                true => Err(usage(
                    "--key-id 与 --every 须与 --sign-key 或 --hmac-key 一起使用",
                    "--key-id and --every need --sign-key or --hmac-key",
                )),
                false => Ok(None),
            };
        }
        (Some(p), []) => (p, true),
        (None, [p]) => (p, false),
        _ => {
            return Err(usage(
                "只能给一个签名密钥：--sign-key 或 --hmac-key",
                "one signing key: --sign-key or --hmac-key",
            ));
        }
    };
    let Some(key_id) = &o.key_id else {
        return Err(usage(
            "签名须用 --key-id 给出密钥标识（写入检查点，供核验时辨认）",
            "signing needs --key-id, the key's name written in each checkpoint",
        ));
    };
    let bytes = read_key(key_file.0)?;
    let key = match key_file.1 {
        true => SigningKey::sm2_pkcs8(&bytes, key_id)?,
        false => SigningKey::hmac_sm3(&bytes, key_id)?,
    };
    Ok(Some(key))
}

/// `--every N`: records between checkpoints, 1 or more.
fn every(o: &Opts) -> Result<Option<NonZeroU64>, Failure> {
    let Some(n) = &o.every else {
        return Ok(None);
    };
    match n.parse::<NonZeroU64>() {
        Ok(n) => Ok(Some(n)),
        Err(_) => Err(usage(
            format!("--every {n:?} 应为记录条数，1 或以上"),
            format!("--every {n:?}: a number of records, 1 or more"),
        )),
    }
}

fn cmd_checkpoint(args: &[String]) -> Result<(), Failure> {
    let o = parse(args, &["--sign-key", "--hmac-key", "--key-id"])?;
    let [journal] = o.positional.as_slice() else {
        return Err(usage(
            "checkpoint 只接受一个日志路径",
            "checkpoint takes one journal path",
        ));
    };
    let Some(key) = signing_key(&o)? else {
        return Err(usage(
            "须给出签名密钥：--sign-key 或 --hmac-key",
            "a signing key is needed: --sign-key or --hmac-key",
        ));
    };
    let (mut campaign, opened) = Campaign::open(journal, OpenOptions::default())?;
    note_torn_tail(journal, &opened);
    let receipt = campaign.checkpoint(&key)?;
    let (seq, hash) = (receipt.seq, hash_hex(&receipt.hash));
    let (alg, id) = (key.alg(), key.key_id());
    say!("已写入检查点：日志 {journal} seq {seq}（{alg}，密钥标识 {id}），SM3 链末端哈希 {hash}");
    say!(
        "checkpoint written: journal {journal} seq {seq} ({alg}, key id {id}), SM3 last hash {hash}"
    );
    Ok(())
}

fn verification_json(path: &str, campaign: &Campaign, v: &Verification) -> serde_json::Value {
    let state = campaign.state();
    serde_json::json!({
        "path": path,
        "campaign": campaign.info(),
        "whole": v.is_whole(),
        "records": v.last_seq,
        "last_seq": v.last_seq,
        "last_hash": hash_hex(&v.last_hash),
        "latest_date": campaign.latest_date(),
        "uncovered": v.uncovered.as_ref().map(|t| serde_json::json!({"offset": t.offset, "bytes": t.len})),
        "checkpoints": v.checkpoints,
        "signatures": v.signatures.as_ref().map(|s| serde_json::json!({
            "verified": s.verified,
            "unchecked": s.unchecked,
            "last_signed": s.last_signed,
            "bad": s.bad.iter().map(|(seq, alg, key_id)| serde_json::json!({
                "seq": seq, "alg": alg.name(), "key_id": key_id,
            })).collect::<Vec<_>>(),
        })),
        "unsigned_tail": v.unsigned_tail().map(|(from, to)| serde_json::json!({"from": from, "to": to})),
        "anchor_mismatches": v.mismatches.iter().map(|m| serde_json::json!({
            "anchor": m.what, "expected": m.expected, "found": m.found,
        })).collect::<Vec<_>>(),
        "problems": v.problems().iter().map(|p| serde_json::json!({
            "code": p.code(), "message_zh": p.message_zh(), "message_en": p.message_en(),
        })).collect::<Vec<_>>(),
        "orgs": state.orgs().len(),
        "members": state.members().len(),
        "pledges": state.pledges().len(),
    })
}

fn say_verification(path: &str, campaign: &Campaign, v: &Verification) {
    let (records, seq) = (v.last_seq, v.last_seq);
    let hash = hash_hex(&v.last_hash);
    say!("{}（{}）", campaign.info().name, campaign.info().id);
    if v.is_whole() {
        say!("已校验：{path}，共 {records} 条记录，seq 1..={seq}，SM3 链末端哈希 {hash}");
        say!("verified: {path}: {records} records, seq 1..={seq}, SM3 last hash {hash}");
    } else {
        say!(
            "记录已校验，但日志不完整：{path}，共 {records} 条记录，seq 1..={seq}，SM3 链末端哈希 {hash}"
        );
        say!(
            "records verified, but the journal is not whole: {path}: {records} records, seq 1..={seq}, SM3 last hash {hash}"
        );
    }
    if let Some(d) = campaign.latest_date() {
        say!("  最新记录日期：{d} / latest date recorded: {d}");
    }
    say_signatures(v);
    let state = campaign.state();
    let (orgs, members, pledges) = (
        state.orgs().len(),
        state.members().len(),
        state.pledges().len(),
    );
    say!(
        "  组织 {orgs} 个，党员 {members} 名，承诺 {pledges} 件 / orgs {orgs}, members {members}, pledges {pledges}"
    );
}

/// The checkpoints a verification found, and with keys what they showed.
fn say_signatures(v: &Verification) {
    let n = v.checkpoints;
    let Some(s) = &v.signatures else {
        if n > 0 {
            say!(
                "  检查点 {n} 个（未给密钥，只核对其在链中的位置）/ checkpoints {n} (no key given: their place in the chain checked only)"
            );
        }
        return;
    };
    let (ok, bad, unchecked) = (s.verified, s.bad.len(), s.unchecked);
    let (last_zh, last_en) = match s.last_signed {
        Some(seq) => (
            format!("最后签名 seq {seq}"),
            format!("last signed seq {seq}"),
        ),
        None => ("没有通过验证的签名".into(), "none signed".into()),
    };
    say!(
        "  检查点 {n} 个：签名验证通过 {ok} 个，不通过 {bad} 个，无对应密钥未核 {unchecked} 个；{last_zh}"
    );
    say!(
        "  checkpoints {n}: {ok} verified, {bad} failed, {unchecked} of an algorithm with no key; {last_en}"
    );
}

/// The options `import` takes.
const IMPORT_FLAGS: &[&str] = &[
    "--create",
    "--rules",
    "--keep-going",
    "--batch",
    "--ack",
    "--sign-key",
    "--hmac-key",
    "--key-id",
    "--every",
];

fn cmd_import(args: &[String]) -> Result<(), Failure> {
    let o = parse(args, IMPORT_FLAGS)?;
    let (options, journal, commands) = import_args(&o)?;
    let key = signing_key(&o)?;
    let every = every(&o)?;
    let signing = key.as_ref().map(|key| Signing { key, every });
    let read =
        |path: &Path| std::fs::read_to_string(path).map_err(|e| io_failure("读取", path, &e));
    let rules = match &o.rules {
        Some(f) => Some(RuleSet::from_json(&read(f)?)?),
        None => None,
    };
    let info = match &o.create {
        Some((id, name)) => Some(CampaignInfo {
            id: ExtId::new("--create id", id)?,
            name: Name::new("--create name", name)?,
        }),
        None => None,
    };
    let path = Path::new(commands);
    let file = std::fs::File::open(path).map_err(|e| io_failure("读取", path, &e))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut input = std::io::BufReader::with_capacity(1 << 20, file);
    // The check runs against the state the commands will meet: a new campaign's for --create
    // (the journal is made only once the check passed), else the journal's.
    let mut campaign = match &info {
        Some(info) => Campaign::in_memory(info.clone(), rules.clone().unwrap_or_default())?,
        None => {
            let (campaign, opened) = Campaign::open(journal, OpenOptions::default())?;
            note_torn_tail(journal, &opened);
            campaign
        }
    };
    let mut shown = ImportShown::new(size, o.ack);
    let report = (|| {
        let check = check_jsonl(&campaign, &mut input, &options, &mut |p| shown.show(p))?;
        if check.passed() {
            if let Some(info) = info {
                campaign = Campaign::create(journal, info, rules.unwrap_or_default())?;
            }
            input.rewind().map_err(|e| io_failure("读取", path, &e))?;
        }
        let report =
            check.record_signed(&mut campaign, &mut input, signing, &mut |p| shown.show(p))?;
        Ok::<_, Failure>(report)
    })();
    shown.done();
    let report = report?;
    let seq = report.seq;
    if !report.is_clean() {
        return Err(report_refused(&report, journal, options.is_keep_going()));
    }
    let recorded = report.recorded;
    say!(
        "已记录 {recorded} 条命令，日志 {journal} seq {seq} / recorded {recorded} commands, journal {journal} seq {seq}"
    );
    if let Some(key) = &key {
        let (n, id) = (report.checkpoints, key.key_id());
        say!("已写入检查点 {n} 个，密钥标识 {id} / {n} checkpoints signed, key id {id}");
    }
    Ok(())
}

/// The checked arguments of `import`: the import's options, the journal and the commands
/// file. A journal is never overwritten: `--create` onto an existing path says so (4002) before
/// anything is read, not after a long check of the commands.
fn import_args(o: &Opts) -> Result<(ImportOptions, &str, &str), Failure> {
    let mut options = ImportOptions::new().keep_going(o.keep_going);
    if let Some(b) = &o.batch {
        let wrong = || {
            usage(
                format!("--batch {b:?} 应为命令条数，1 到 {MAX_CHUNK_COMMANDS}"),
                format!("--batch {b:?}: a number of commands, 1 to {MAX_CHUNK_COMMANDS}"),
            )
        };
        let n = b.parse::<usize>().map_err(|_| wrong())?;
        options = options.chunk_commands(n).map_err(|_| wrong())?;
    }
    let [journal, commands] = o.positional.as_slice() else {
        return Err(usage(
            "import 需要一个日志路径和一个命令文件",
            "import takes a journal and a commands file",
        ));
    };
    if o.rules.is_some() && o.create.is_none() {
        return Err(usage(
            "--rules 只能与 --create 一起使用，已有的日志沿用其规则",
            "--rules applies only with --create (a journal keeps its rules)",
        ));
    }
    if o.create.is_some() && std::fs::symlink_metadata(journal).is_ok() {
        return Err(JournalError::Exists {
            path: PathBuf::from(journal),
        }
        .into());
    }
    Ok((options, journal, commands))
}

/// What an import shows as it goes: a progress line per pass on stderr (by bytes of the
/// commands file read), and with `--ack`, `ack SEQ` on stdout once each chunk is durable.
struct ImportShown {
    size: u64,
    ack: bool,
    phase: Option<ImportPhase>,
    progress: Progress,
}

impl ImportShown {
    fn new(size: u64, ack: bool) -> ImportShown {
        ImportShown {
            size,
            ack,
            phase: None,
            progress: Progress::new("", 0),
        }
    }

    fn show(&mut self, p: &ImportProgress) {
        if self.phase != Some(p.phase) {
            self.progress.done();
            let label = match p.phase {
                ImportPhase::Check => "检查 check",
                ImportPhase::Record => "导入 import",
            };
            self.progress = Progress::new(label, self.size);
            self.phase = Some(p.phase);
        }
        self.progress.set(p.bytes_read);
        if self.ack && p.phase == ImportPhase::Record && p.chunk_commands > 0 {
            // Durable now: a supervising process may count on every record up to here.
            say!("ack {}", p.seq);
        }
    }

    fn done(&mut self) {
        self.progress.done();
    }
}

/// Opening a journal for writing drops a torn last record (a write cut short, never
/// acknowledged) and saves its bytes beside the journal: say so, and where.
fn note_torn_tail(journal: &str, opened: &ReplayReport) {
    let Some(t) = &opened.torn_tail else {
        return;
    };
    let (len, at) = (t.len, t.offset);
    let saved = t.saved_to.as_ref().map(|p| p.display().to_string());
    let (saved_zh, saved_en) = match &saved {
        Some(p) => (format!("，已另存为 {p}"), format!(", saved to {p}")),
        None => (String::new(), String::new()),
    };
    eprintln!(
        "注意：日志 {journal} 末尾有一条残缺记录，写入时中断，从未确认；已截去 {len} 字节，位于字节 {at}{saved_zh}"
    );
    eprintln!(
        "note: journal {journal} ended with a torn record (a write cut short, never acknowledged): {len} bytes at byte {at} dropped{saved_en}"
    );
}

/// Lists refused lines on stderr, as the library renders them, and returns the failure that
/// ends the import.
fn report_refused(report: &ImportReport, journal: &str, kept_going: bool) -> Failure {
    for refusal in &report.refused {
        eprintln!("{refusal}");
    }
    let more = report.refused_unlisted();
    if more > 0 {
        eprintln!("另有 {more} 行被拒绝，未逐一列出 / {more} more refused lines not listed");
    }
    let (n, accepted, seq) = (report.refused_total, report.recorded, report.seq);
    let (zh, en) = if kept_going {
        (
            format!("已记录 {accepted} 条，拒绝 {n} 条，日志 {journal} seq {seq}"),
            format!("recorded {accepted}, refused {n} (journal {journal} seq {seq})"),
        )
    } else {
        (
            format!("拒绝 {n} 条，未记录任何命令，全部或全不；--keep-going 可记录其余各行"),
            format!(
                "{n} refused, nothing recorded (all or nothing; --keep-going records the good lines)"
            ),
        )
    };
    Failure { code: 3000, zh, en }
}

fn cmd_audit(args: &[String]) -> Result<(), Failure> {
    let o = parse(args, &["--demo", "--scope", "--as-of", "--from", "--json"])?;
    let (claims_path, journal) = match (o.positional.as_slice(), o.demo) {
        ([c], true) => (c, None),
        ([c, j], false) => (c, Some(j)),
        _ => {
            return Err(usage(
                "audit 需要一个声明文件和一个日志，或一个声明文件和 --demo",
                "audit takes a claims file and a journal, or a claims file and --demo",
            ));
        }
    };
    let claims_path = Path::new(claims_path);
    let text =
        std::fs::read_to_string(claims_path).map_err(|e| io_failure("读取", claims_path, &e))?;
    let claims = Claims::from_json(&text)?;
    let campaign = match journal {
        Some(j) => replay(Path::new(j))?.0,
        None => demo::build(&DemoSpec::seed())?,
    };
    let root = scope_of(&campaign, o.scope.as_deref())?;
    let mut span = span_of(&campaign, &o)?;
    if journal.is_none() && o.as_of.is_none() {
        span.as_of = demo::AS_OF;
    }
    let report = StageReport::build(&campaign, root, span);
    let findings = audit(&report, &claims);
    if o.json {
        let doc = serde_json::json!({
            "source": claims.source,
            "scope": report.scope_org,
            "as_of": span.as_of,
            "findings": findings,
        });
        say!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        if let Some(s) = &claims.source {
            say!("来源：{s} / source: {s}");
        }
        let (name, org, as_of) = (&report.scope_name, &report.scope_org, span.as_of);
        say!("核对范围：{name}，截至 {as_of} / scope: {name} ({org}), as of {as_of}\n");
        say_raw!("{}", findings_text(&findings));
    }
    let failing = findings
        .iter()
        .filter(|f| matches!(f.verdict, Support::Unsupported | Support::Invalid))
        .count();
    if failing == 0 {
        Ok(())
    } else {
        Err(Failure {
            code: 5002,
            zh: format!("{failing} 项声明无据或无法核对"),
            en: format!("{failing} claims unsupported or invalid"),
        })
    }
}

fn cmd_rules(args: &[String]) -> Result<(), Failure> {
    match args {
        [] => {
            say!("{}", RuleSet::default().to_json());
            Ok(())
        }
        [flag, path] if flag == "--check" || flag == "check" => {
            let path = Path::new(path);
            let text = std::fs::read_to_string(path).map_err(|e| io_failure("读取", path, &e))?;
            let rules = RuleSet::check_all(&text).map_err(|faults| rule_faults(&faults))?;
            let (name, version) = (&rules.name, rules.version);
            say!(
                "规则集有效：{name}，版本 {version} / rule set is valid: {name} (version {version})"
            );
            Ok(())
        }
        _ => Err(usage(
            "rules 不接受参数，或接受 check FILE",
            "rules takes no argument, or check FILE",
        )),
    }
}

/// Lists every fault of a rule file on stderr and returns the failure that ends the check.
fn rule_faults(faults: &[chuangzheng::rules::RulesError]) -> Failure {
    for fault in faults {
        eprintln!("{}", Failure::from(fault.clone()).lines());
    }
    let n = faults.len();
    Failure {
        code: 2000,
        zh: format!("规则文件有 {n} 处错误，均列于上方"),
        en: format!("the rule file has {n} faults, each listed above"),
    }
}
