//! `chuangzheng import`: a JSON Lines file of commands checked, then recorded in chunks, all or
//! nothing unless told to keep going; signed checkpoints on request.

use std::io::{BufRead, BufReader, Cursor, Read, Seek};

use chuangzheng::ledger::import::ImportPhase;
use chuangzheng::ledger::{
    Campaign, CampaignInfo, ImportOptions, ImportProgress, ImportReport, JournalError, OpenOptions,
    Signing, check_jsonl,
};
use chuangzheng::model::{ExtId, Name};
use chuangzheng::rules::RuleSet;
use chuangzheng::sheets::{SheetRows, limits, read_workbook};
use indicatif::ProgressBar;

use crate::args::ImportArgs;
use crate::cmd::keys::signing_key;
use crate::failure::{Failure, io_failure, say, usage};
use crate::journal::note_torn_tail;
use crate::progress;

pub fn run(a: &ImportArgs) -> Result<(), Failure> {
    let (options, info) = import_args(a)?;
    let key = signing_key(&a.signing, a.every.is_some())?;
    let signing = key.as_ref().map(|key| Signing {
        key,
        every: a.every,
    });
    let rules = match &a.rules {
        Some(f) => {
            let text = std::fs::read_to_string(f).map_err(|e| io_failure("读取", f, &e))?;
            Some(RuleSet::from_json(&text)?)
        }
        None => None,
    };
    let path = a.commands.as_path();
    let Commands {
        mut input,
        size,
        sheets,
    } = open_commands(a)?;
    // The check runs against the state the commands will meet: a new campaign's for --create
    // (the journal is made only once the check passed), else the journal's.
    let mut campaign = match &info {
        Some(info) => Campaign::in_memory(info.clone(), rules.clone().unwrap_or_default())?,
        None => {
            let (campaign, opened) = Campaign::open(&a.journal, OpenOptions::default())?;
            note_torn_tail(&a.journal, &opened);
            campaign
        }
    };
    // Rows of a workbook refused as they were read: all or nothing refuses the import, after
    // the other rows were checked too so that every problem is listed at once.
    let cells_refused = sheets.as_ref().is_some_and(|s| s.refused_count() > 0);
    let mut shown = ImportShown::new(size, a.ack);
    let report = (|| {
        let check = check_jsonl(&campaign, &mut input, &options, &mut |p| shown.show(p))?;
        if cells_refused && !a.keep_going {
            return Ok(check.report().clone());
        }
        if check.passed() {
            if let Some(info) = info {
                campaign = Campaign::create(&a.journal, info, rules.unwrap_or_default())?;
            }
            input.rewind().map_err(|e| io_failure("读取", path, &e))?;
        }
        let report =
            check.record_signed(&mut campaign, &mut input, signing, &mut |p| shown.show(p))?;
        Ok::<_, Failure>(report)
    })();
    shown.done();
    let report = report?;
    match &sheets {
        Some(rows) => {
            say_sheets_recorded(&report, rows, a, key.as_ref().map(|k| k.key_id().as_str()))
        }
        None => say_recorded(&report, a, key.as_ref().map(|k| k.key_id().as_str())),
    }
}

/// The commands to import: where they are read from, their size in bytes (for the progress
/// bar) and, for a workbook, its rows as read.
struct Commands {
    input: Box<dyn Source>,
    size: u64,
    sheets: Option<SheetRows>,
}

/// The commands file opened: a workbook (.xlsx, or any file that is a zip archive) read into
/// JSON Lines in memory, a JSON Lines file as it is.
fn open_commands(a: &ImportArgs) -> Result<Commands, Failure> {
    let path = a.commands.as_path();
    let file = std::fs::File::open(path).map_err(|e| io_failure("读取", path, &e))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut input = BufReader::with_capacity(1 << 20, file);
    let zip = input
        .fill_buf()
        .map_err(|e| io_failure("读取", path, &e))?
        .starts_with(b"PK\x03\x04");
    let named = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["xlsx", "xlsm"].contains(&e.to_ascii_lowercase().as_str()));
    if !(zip || named) {
        if a.actor.is_some() {
            return Err(usage(
                "--actor 只用于导入工作簿（xlsx）",
                "--actor applies to workbooks (xlsx) only",
            ));
        }
        return Ok(Commands {
            input: Box::new(input),
            size,
            sheets: None,
        });
    }
    // One byte past the bound is enough for the reader to refuse the file by its size (6002).
    let mut bytes = Vec::new();
    input
        .take(limits::MAX_WORKBOOK_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_failure("读取", path, &e))?;
    let rows = read_workbook(&bytes, a.actor.as_deref())?;
    for sheet in &rows.skipped {
        eprintln!(
            "注意：跳过工作表「{sheet}」，其表头不是模板的表头 / note: sheet {sheet} skipped: its headers are no template's"
        );
    }
    let lines = rows.jsonl.clone();
    let size = lines.len() as u64;
    Ok(Commands {
        input: Box::new(Cursor::new(lines)),
        size,
        sheets: Some(rows),
    })
}

/// Where commands are read from: a file, or a workbook's rows in memory.
trait Source: BufRead + Seek {}

impl<T: BufRead + Seek> Source for T {}

/// A workbook's import: every refused row listed by sheet, row and column, or what was
/// recorded.
fn say_sheets_recorded(
    report: &ImportReport,
    rows: &SheetRows,
    a: &ImportArgs,
    key_id: Option<&str>,
) -> Result<(), Failure> {
    let refused = rows.refusals(&report.refused);
    for r in &refused {
        eprintln!("{r}");
    }
    let total = rows.refused_count() as u64 + report.refused_total;
    let more = report.refused_unlisted() + rows.refused_unlisted as u64;
    if more > 0 {
        eprintln!("另有 {more} 行被拒绝，未逐一列出 / {more} more refused rows not listed");
    }
    if total == 0 {
        return say_recorded(report, a, key_id);
    }
    let journal = a.journal.display().to_string();
    let (accepted, seq) = (report.recorded, report.seq);
    let (zh, en) = if a.keep_going {
        (
            format!("已记录 {accepted} 行，拒绝 {total} 行，日志 {journal} seq {seq}"),
            format!("recorded {accepted} rows, refused {total} (journal {journal} seq {seq})"),
        )
    } else {
        (
            format!("拒绝 {total} 行，未记录任何一行，全部或全不；--keep-going 可记录其余各行"),
            format!(
                "{total} rows refused, nothing recorded (all or nothing; --keep-going records the good rows)"
            ),
        )
    };
    Err(Failure { code: 3000, zh, en })
}

/// Says what was recorded, or returns the refusal that ends the import.
fn say_recorded(
    report: &ImportReport,
    a: &ImportArgs,
    key_id: Option<&str>,
) -> Result<(), Failure> {
    let journal = a.journal.display().to_string();
    if !report.is_clean() {
        return Err(report_refused(report, &journal, a.keep_going));
    }
    let (recorded, seq) = (report.recorded, report.seq);
    say!(
        "已记录 {recorded} 条命令，日志 {journal} seq {seq} / recorded {recorded} commands, journal {journal} seq {seq}"
    );
    if let Some(id) = key_id {
        let n = report.checkpoints;
        say!("已写入检查点 {n} 个，密钥标识 {id} / {n} checkpoints signed, key id {id}");
    }
    Ok(())
}

/// The checked arguments of `import`: the import's options and the campaign `--create` starts.
/// A journal is never overwritten: `--create` onto an existing path says so (4002) before
/// anything is read, not after a long check of the commands.
fn import_args(a: &ImportArgs) -> Result<(ImportOptions, Option<CampaignInfo>), Failure> {
    let mut options = ImportOptions::new().keep_going(a.keep_going);
    if let Some(n) = a.batch {
        options = options.chunk_commands(n)?;
    }
    let info = match a.create.as_deref() {
        None if a.rules.is_some() => {
            return Err(usage(
                "--rules 只能与 --create 一起使用，已有的日志沿用其规则",
                "--rules applies only with --create (a journal keeps its rules)",
            ));
        }
        None => None,
        Some([id, name]) => Some(CampaignInfo {
            id: ExtId::new("--create id", id)?,
            name: Name::new("--create name", name)?,
        }),
        Some(_) => {
            return Err(usage(
                "--create 需要标识和名称两个值",
                "--create needs an id and a name",
            ));
        }
    };
    if info.is_some() && std::fs::symlink_metadata(&a.journal).is_ok() {
        return Err(JournalError::Exists {
            path: a.journal.clone(),
        }
        .into());
    }
    Ok((options, info))
}

/// What an import shows as it goes: a progress bar per pass on stderr (by bytes of the
/// commands file read), and with `--ack`, `ack SEQ` on stdout once each chunk is durable.
struct ImportShown {
    size: u64,
    ack: bool,
    phase: Option<ImportPhase>,
    bar: Option<ProgressBar>,
}

impl ImportShown {
    fn new(size: u64, ack: bool) -> ImportShown {
        ImportShown {
            size,
            ack,
            phase: None,
            bar: None,
        }
    }

    fn show(&mut self, p: &ImportProgress) {
        if self.phase != Some(p.phase) {
            self.done();
            let label = match p.phase {
                ImportPhase::Check => "检查 check",
                ImportPhase::Record => "导入 import",
            };
            self.bar = Some(progress::bytes(label, self.size));
            self.phase = Some(p.phase);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(p.bytes_read);
        }
        if self.ack && p.phase == ImportPhase::Record && p.chunk_commands > 0 {
            // Durable now: a supervising process may count on every record up to here.
            say!("ack {}", p.seq);
        }
    }

    fn done(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
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
