//! Importing commands from JSON Lines, chunk by chunk: the one import behind `chuangzheng
//! import` and `cz_campaign_import`, with one refusal report for both.
//!
//! # Lines
//!
//! One command per line ([`Command::from_json`]). Blank lines and lines whose first non-blank
//! character is `#` are skipped. Lines are numbered from 1, as an editor numbers them, and every
//! refusal names its line. A line that is not UTF-8, or longer than
//! [`MAX_LINE_BYTES`] (1 MiB; a command may hold at most
//! [`MAX_COMMAND_BYTES`](super::MAX_COMMAND_BYTES), 512 KiB), is refused by its number (3001)
//! like any line that is not a command, without being held whole. An import holds at most
//! [`MAX_IMPORT_COMMANDS`] commands (or fewer, [`ImportOptions::max_commands`]): one more is an
//! error (3001) naming its line, and nothing is recorded.
//!
//! # Two passes: checked, then recorded
//!
//! 1. **Check** ([`check_jsonl`]): the lines are read once; each command is parsed and checked,
//!    in order, against a copy of the campaign's state that the accepted commands before it
//!    build, as [`Campaign::execute_batch`] would, and nothing is written. With
//!    [`ImportOptions::keep_going`] this pass only counts the commands, for the limit.
//! 2. **Record** ([`ImportCheck::record`]): if nothing was refused (or with `keep_going`), the
//!    lines are read again from the start and recorded in chunks of
//!    [`ImportOptions::chunk_commands`] commands (default [`DEFAULT_CHUNK_COMMANDS`]), one
//!    group commit each ([`Campaign::execute_batch`]): written and synced once per chunk.
//!
//! [`import_jsonl`] runs both on any input that can be read twice (`BufRead + Seek`: a file, a
//! `Cursor` over a text).
//!
//! All or nothing, then, by default: one refused line and nothing is recorded. What a check
//! cannot promise is that the journal will take the writes: if it fails part way (a full disk),
//! the chunks committed before stay recorded, nothing of the failing chunk is, and the state is
//! the journal's (see [`Campaign::execute_batch`]); the [`ImportError`] says how many commands
//! were recorded. The record pass also fingerprints the bytes of each chunk and compares them
//! with the check's: input that changed between the passes (a file rewritten meanwhile) stops
//! the import (4009) before the chunk that differs is written.
//!
//! # Memory
//!
//! Bounded whatever the input's size, because no pass holds more than one chunk:
//!
//! - the line being read: at most 1 MiB (`MAX_LINE_BYTES`); a longer line is skipped to its end
//!   and refused;
//! - the record pass's chunk: its parsed commands and their sealed records. A chunk closes at
//!   `chunk_commands` commands or at [`MAX_CHUNK_BYTES`] (16 MiB) of lines, whichever comes
//!   first, so it holds at most `min(chunk_commands × 512 KiB, 16 MiB + 1 MiB)` of command text,
//!   about twice that once parsed and sealed: some 50 MiB at worst, about 2 MiB for the
//!   default 4,096 commands of a few hundred bytes each;
//! - the check pass's copy of the state (as large as the state) and one 8-byte fingerprint per
//!   chunk (20 KiB for 10,000,000 commands in chunks of 4,096);
//! - the refusal report: the first [`MAX_REFUSALS_LISTED`] refused lines or 16 MiB of their
//!   messages, whichever comes first; the rest are counted ([`ImportReport::refused_total`]).
//!
//! ```
//! use std::io::Cursor;
//! use chuangzheng::ledger::{Campaign, ImportOptions, import_jsonl};
//! use chuangzheng::demo;
//! use chuangzheng::rules::RuleSet;
//!
//! let mut campaign = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
//! let root = r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"city_committee"}}}"#;
//! let text = format!("# the root, then the root again\n{root}\n{root}\n");
//!
//! // All or nothing: the second root is refused, so the first is not recorded either.
//! let report = import_jsonl(&mut campaign, Cursor::new(&text), &ImportOptions::new(), &mut |_| {})
//!     .unwrap();
//! assert_eq!((report.recorded, report.refused_total), (0, 1));
//! assert_eq!(report.refused[0].line, 3);
//! assert_eq!(report.refused[0].code, 3006);
//! assert!(report.refused[0].to_string().starts_with("第 3 行 [3006]："));
//! assert_eq!(campaign.seq(), 0);
//!
//! // Keep going: the first is recorded, the second listed.
//! let options = ImportOptions::new().keep_going(true);
//! let report = import_jsonl(&mut campaign, Cursor::new(&text), &options, &mut |_| {}).unwrap();
//! assert_eq!((report.recorded, report.seq, report.refused_total), (1, 1, 1));
//! ```

use std::fmt;
use std::hash::{DefaultHasher, Hasher};
use std::io::{self, BufRead, Seek};

use super::journal::MAX_LINE_BYTES;
use super::{Campaign, Command, LedgerError, MAX_IMPORT_COMMANDS, Signing, apply, io_zh};
use crate::Coded;
use crate::Reason;
use crate::model::ModelError;

/// The commands in a chunk unless told otherwise: one sync per 4,096 commands keeps the syncs'
/// cost small beside the checks' and a chunk's memory a few MiB.
pub const DEFAULT_CHUNK_COMMANDS: usize = 4096;

/// The most commands [`ImportOptions::chunk_commands`] accepts.
pub const MAX_CHUNK_COMMANDS: usize = 1_000_000;

/// A chunk closes once its lines reach this many bytes, whatever its number of commands: the
/// bound on a chunk's memory when commands are long.
pub const MAX_CHUNK_BYTES: usize = 16 << 20;

/// The most refused lines a report lists; the rest are counted.
pub const MAX_REFUSALS_LISTED: usize = 10_000;

/// The most bytes of messages a report lists (a message quotes the value at fault, which may be
/// long); the refusals past it are counted.
const MAX_REFUSAL_TEXT_BYTES: usize = 16 << 20;

/// How to import: the chunk size, all or nothing or keep going, and the most commands.
///
/// ```
/// use chuangzheng::ledger::ImportOptions;
///
/// let options = ImportOptions::new().keep_going(true).chunk_commands(100).unwrap();
/// assert_eq!(options.chunk_size(), 100);
/// assert_eq!(ImportOptions::new().chunk_commands(0).unwrap_err().code(), 1009);
/// # use chuangzheng::Coded;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOptions {
    chunk_commands: usize,
    keep_going: bool,
    max_commands: usize,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions::new()
    }
}

impl ImportOptions {
    /// All or nothing, in chunks of [`DEFAULT_CHUNK_COMMANDS`], at most
    /// [`MAX_IMPORT_COMMANDS`] commands.
    pub fn new() -> ImportOptions {
        ImportOptions {
            chunk_commands: DEFAULT_CHUNK_COMMANDS,
            keep_going: false,
            max_commands: MAX_IMPORT_COMMANDS,
        }
    }

    /// With `true`, the commands that pass are recorded and the refused ones listed, instead of
    /// all or nothing.
    pub fn keep_going(self, keep_going: bool) -> ImportOptions {
        ImportOptions { keep_going, ..self }
    }

    /// Commands per chunk (one group commit each), 1 to [`MAX_CHUNK_COMMANDS`]; out of that
    /// range, 1009 naming `chunk_commands`.
    pub fn chunk_commands(self, n: usize) -> Result<ImportOptions, ModelError> {
        if !(1..=MAX_CHUNK_COMMANDS).contains(&n) {
            return Err(ModelError::new(
                "chunk_commands",
                Reason::OutOfRange {
                    min: "1".into(),
                    max: MAX_CHUNK_COMMANDS.to_string(),
                },
            ));
        }
        Ok(ImportOptions {
            chunk_commands: n,
            ..self
        })
    }

    /// The most commands the import may hold, lowered from [`MAX_IMPORT_COMMANDS`] (a larger
    /// number is taken as that).
    pub fn max_commands(self, n: usize) -> ImportOptions {
        ImportOptions {
            max_commands: n.min(MAX_IMPORT_COMMANDS),
            ..self
        }
    }

    /// Commands per chunk.
    pub fn chunk_size(&self) -> usize {
        self.chunk_commands
    }

    /// Whether the import keeps going past refused commands.
    pub fn is_keep_going(&self) -> bool {
        self.keep_going
    }
}

/// A refused line: its number, the error's code and its messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The line in the input, from 1.
    pub line: usize,
    /// The error's stable code.
    pub code: u32,
    /// Why, in Chinese.
    pub message_zh: String,
    /// Why, in English.
    pub message_en: String,
}

impl Refusal {
    fn new(line: usize, e: &impl Coded) -> Refusal {
        Refusal {
            line,
            code: e.code(),
            message_zh: e.message_zh(),
            message_en: e.message_en(),
        }
    }

    /// The refusal as the C ABI gives it: `{"code": 3002, "line": 3, "message": "…",
    /// "message_zh": "…", "message_en": "…"}`, the message Chinese, a newline, English, then
    /// each half alone.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "line": self.line,
            "code": self.code,
            "message": format!("{}\n{}", self.message_zh, self.message_en),
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        })
    }
}

/// One line, as the command-line tool prints it:
/// `第 3 行 [3002]：… / line 3: [3002] …`.
impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, code) = (self.line, self.code);
        write!(
            f,
            "第 {line} 行 [{code}]：{} / line {line}: [{code}] {}",
            self.message_zh, self.message_en
        )
    }
}

/// What an import did: the commands read, recorded and refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Commands read (blank and comment lines not counted).
    pub commands: u64,
    /// Commands recorded (0 when all or nothing refused the import).
    pub recorded: u64,
    /// The campaign's sequence number after the import.
    pub seq: u64,
    /// The refused lines in order, the first [`MAX_REFUSALS_LISTED`] (fewer if their messages
    /// pass 16 MiB).
    pub refused: Vec<Refusal>,
    /// How many lines were refused, listed or not.
    pub refused_total: u64,
    /// Checkpoint records written among the commands (a signed import:
    /// [`ImportCheck::record_signed`]).
    pub checkpoints: u64,
}

impl ImportReport {
    /// Whether no line was refused.
    pub fn is_clean(&self) -> bool {
        self.refused_total == 0
    }

    /// Refused lines beyond those listed.
    pub fn refused_unlisted(&self) -> u64 {
        self.refused_total - self.refused.len() as u64
    }

    /// The report as `cz_campaign_import` returns it:
    /// `{"recorded": n, "refused": [{"code", "line", "message", "message_zh", "message_en"}, …],
    /// "seq": s}`, and
    /// `"refused_total"` when more lines were refused than are listed.
    pub fn to_json(&self) -> String {
        let mut doc = serde_json::json!({
            "recorded": self.recorded,
            "seq": self.seq,
            "refused": self.refused.iter().map(Refusal::to_json).collect::<Vec<_>>(),
        });
        if self.refused_unlisted() > 0 {
            doc["refused_total"] = self.refused_total.into();
        }
        if self.checkpoints > 0 {
            doc["checkpoints"] = self.checkpoints.into();
        }
        doc.to_string()
    }

    fn refuse(&mut self, line: usize, e: &impl Coded, text_bytes: &mut usize) {
        self.refused_total += 1;
        if self.refused.len() == MAX_REFUSALS_LISTED || *text_bytes > MAX_REFUSAL_TEXT_BYTES {
            return;
        }
        let refusal = Refusal::new(line, e);
        *text_bytes += refusal.message_zh.len() + refusal.message_en.len();
        self.refused.push(refusal);
    }
}

/// Which pass an import is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportPhase {
    /// Reading and checking, nothing written.
    Check,
    /// Recording, one group commit per chunk.
    Record,
}

/// How far an import has gone, given after each chunk. In [`ImportPhase::Record`] it comes
/// after the chunk's group commit: every record up to `seq` is durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    /// The pass.
    pub phase: ImportPhase,
    /// Bytes of input read in this pass.
    pub bytes_read: u64,
    /// Commands read in this pass.
    pub commands: u64,
    /// Commands in the chunk just finished: its command lines in the check pass; in the record
    /// pass, those read as commands and sent to its group commit.
    pub chunk_commands: u64,
    /// Commands recorded so far.
    pub recorded: u64,
    /// The campaign's sequence number.
    pub seq: u64,
}

/// Why an import stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportCause {
    /// The input could not be read (4001).
    #[error("cannot read the commands: {0}")]
    Read(#[source] io::Error),
    /// The input changed between the check and the record pass (4009).
    #[error(
        "the commands changed after they were checked (from line {line}); nothing from there on \
         is recorded"
    )]
    Changed {
        /// The first line of the chunk that differs.
        line: usize,
    },
    /// Too many commands (3001), or the journal could not be written (4xxx).
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl Coded for ImportCause {
    fn code(&self) -> u32 {
        match self {
            ImportCause::Read(_) => 4001,
            ImportCause::Changed { .. } => 4009,
            ImportCause::Ledger(e) => e.code(),
        }
    }

    fn message_zh(&self) -> String {
        match self {
            ImportCause::Read(e) => format!("无法读取命令：{}", io_zh(e)),
            ImportCause::Changed { line } => {
                format!("命令在检查之后被改动（自第 {line} 行起），此后各行未记录")
            }
            ImportCause::Ledger(e) => e.message_zh(),
        }
    }

    fn message_en(&self) -> String {
        match self {
            ImportCause::Ledger(e) => e.message_en(),
            other => other.to_string(),
        }
    }
}

/// An import that stopped: why, and what it had done before (chunks committed before a journal
/// failure stay recorded). Its code is its cause's; its messages add how many commands were
/// recorded, if any.
#[derive(Debug)]
pub struct ImportError {
    cause: ImportCause,
    done: Box<ImportReport>,
}

impl ImportError {
    fn new(cause: impl Into<ImportCause>, done: &ImportReport) -> ImportError {
        ImportError {
            cause: cause.into(),
            done: Box::new(done.clone()),
        }
    }

    /// Why the import stopped.
    pub fn cause(&self) -> &ImportCause {
        &self.cause
    }

    /// What the import had done when it stopped.
    pub fn report(&self) -> &ImportReport {
        &self.done
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.cause)
    }
}

impl Coded for ImportError {
    fn code(&self) -> u32 {
        self.cause.code()
    }

    fn message_zh(&self) -> String {
        let (n, seq) = (self.done.recorded, self.done.seq);
        match n {
            0 => self.cause.message_zh(),
            _ => format!(
                "{}；导入就此停止，此前已记录 {n} 条命令，至 seq {seq}",
                self.cause.message_zh()
            ),
        }
    }

    fn message_en(&self) -> String {
        let (n, seq) = (self.done.recorded, self.done.seq);
        match n {
            0 => self.cause.message_en(),
            _ => format!(
                "{}; the import stopped there, after recording {n} commands, up to seq {seq}",
                self.cause.message_en()
            ),
        }
    }
}

/// What the check pass found, ready for the record pass.
#[derive(Debug)]
pub struct ImportCheck {
    options: ImportOptions,
    report: ImportReport,
    text_bytes: usize,
    fingerprints: Vec<u64>,
}

impl ImportCheck {
    /// Whether the record pass will record anything: nothing was refused, or the import keeps
    /// going.
    pub fn passed(&self) -> bool {
        self.options.keep_going || self.report.is_clean()
    }

    /// What the check found: the commands read and the refused lines (none recorded yet).
    pub fn report(&self) -> &ImportReport {
        &self.report
    }

    /// The record pass: reads `input` again from its start, the same lines the check read, and
    /// records them in chunks, one group commit each; `progress` is told after each. If the
    /// check did not pass, records nothing and returns its report.
    ///
    /// # Errors
    ///
    /// The input cannot be read (4001), differs from what was checked (4009), or the journal
    /// cannot be written (4xxx): the chunks committed before stay recorded.
    pub fn record<R: BufRead>(
        self,
        campaign: &mut Campaign,
        input: R,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> Result<ImportReport, ImportError> {
        self.record_signed(campaign, input, None, progress)
    }

    /// [`ImportCheck::record`], each chunk recorded with
    /// [`Campaign::execute_batch_signed`]: checkpoints signed by `signing`'s key every
    /// `signing.every` records and at the end of each chunk, in the chunk's group commit.
    pub fn record_signed<R: BufRead>(
        self,
        campaign: &mut Campaign,
        input: R,
        signing: Option<Signing<'_>>,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> Result<ImportReport, ImportError> {
        let ImportCheck {
            options,
            mut report,
            mut text_bytes,
            fingerprints,
        } = self;
        report.seq = campaign.seq();
        if !(options.keep_going || report.is_clean()) {
            return Ok(report);
        }
        let mut lines = Lines::new(input, &options);
        let mut fingerprints = fingerprints.into_iter();
        let mut chunk: Vec<(usize, Command)> = Vec::new();
        let mut unread: Vec<(usize, LedgerError)> = Vec::new();
        loop {
            let step = lines.step().map_err(|c| ImportError::new(c, &report))?;
            match step {
                Step::Command(line, read) => match read.and_then(Command::from_json) {
                    Ok(cmd) => chunk.push((line, cmd)),
                    // Only with keep_going: all or nothing, the check refused nothing, and a
                    // chunk that reads otherwise now fails its fingerprint before it is written.
                    Err(e) if options.keep_going => unread.push((line, e)),
                    Err(_) => {}
                },
                Step::ChunkEnd {
                    fingerprint,
                    first_line,
                    last,
                } => {
                    if !options.keep_going && fingerprints.next() != Some(fingerprint) {
                        let changed = ImportCause::Changed { line: first_line };
                        return Err(ImportError::new(changed, &report));
                    }
                    let refusals = (&mut unread, &mut text_bytes);
                    record_chunk(campaign, &chunk, signing, refusals, &mut report)?;
                    progress(&ImportProgress {
                        phase: ImportPhase::Record,
                        bytes_read: lines.bytes_read,
                        commands: lines.commands as u64,
                        chunk_commands: chunk.len() as u64,
                        recorded: report.recorded,
                        seq: report.seq,
                    });
                    chunk.clear();
                    if last {
                        break;
                    }
                }
            }
        }
        Ok(report)
    }
}

/// Records one chunk with one group commit. Its refusals, those read (`unread`) and those the
/// ledger refused, go to `report` in the order of their lines.
fn record_chunk(
    campaign: &mut Campaign,
    chunk: &[(usize, Command)],
    signing: Option<Signing<'_>>,
    (unread, text_bytes): (&mut Vec<(usize, LedgerError)>, &mut usize),
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let mut refused = std::mem::take(unread);
    if !chunk.is_empty() {
        let receipt = campaign
            .execute_batch_signed(chunk.iter().map(|(_, c)| c), signing)
            .map_err(|e| {
                report.seq = campaign.seq();
                ImportError::new(LedgerError::from(e), report)
            })?;
        report.checkpoints += receipt.checkpoints.len() as u64;
        for ((line, _), outcome) in chunk.iter().zip(receipt.outcomes) {
            match outcome {
                Ok(_) => report.recorded += 1,
                Err(e) => refused.push((*line, e)),
            }
        }
        report.seq = campaign.seq();
    }
    refused.sort_by_key(|(line, _)| *line);
    for (line, e) in &refused {
        report.refuse(*line, e, text_bytes);
    }
    Ok(())
}

/// The check pass: reads `input` once and checks every command, in order, against a copy of
/// `campaign`'s state that the accepted ones before it build, writing nothing (with
/// `keep_going`, only counts the commands). `progress` is told after each chunk.
///
/// # Errors
///
/// The input cannot be read (4001), or holds more commands than the options allow (3001,
/// naming the first line past the limit).
pub fn check_jsonl<R: BufRead>(
    campaign: &Campaign,
    input: R,
    options: &ImportOptions,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<ImportCheck, ImportError> {
    let mut report = ImportReport {
        seq: campaign.seq(),
        ..ImportReport::default()
    };
    let mut text_bytes = 0;
    let mut fingerprints = Vec::new();
    // The rehearsal: what `execute_batch` would do, on a copy.
    let mut state = (!options.keep_going).then(|| campaign.state.clone());
    let mut lines = Lines::new(input, options);
    loop {
        let step = lines.step().map_err(|c| ImportError::new(c, &report))?;
        match step {
            Step::Command(line, read) => {
                let Some(state) = state.as_mut() else {
                    continue;
                };
                let checked = read.and_then(Command::from_json).and_then(|cmd| {
                    let effect = apply::check(state, &campaign.rules, &cmd)?;
                    apply::apply(state, effect);
                    Ok(())
                });
                if let Err(e) = checked {
                    report.refuse(line, &e, &mut text_bytes);
                }
            }
            Step::ChunkEnd {
                fingerprint, last, ..
            } => {
                fingerprints.push(fingerprint);
                progress(&ImportProgress {
                    phase: ImportPhase::Check,
                    bytes_read: lines.bytes_read,
                    commands: lines.commands as u64,
                    chunk_commands: lines.last_chunk as u64,
                    recorded: 0,
                    seq: campaign.seq(),
                });
                if last {
                    break;
                }
            }
        }
    }
    report.commands = lines.commands as u64;
    Ok(ImportCheck {
        options: *options,
        report,
        text_bytes,
        fingerprints,
    })
}

/// Imports the JSON Lines `input` into `campaign`: the check pass, then (if it passed) the
/// record pass over the input again from its start. See the [module docs](self).
///
/// # Errors
///
/// As [`check_jsonl`] and [`ImportCheck::record`]; a refused line is not an error but part of
/// the report.
pub fn import_jsonl<R: BufRead + Seek>(
    campaign: &mut Campaign,
    input: R,
    options: &ImportOptions,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<ImportReport, ImportError> {
    import_jsonl_signed(campaign, input, options, None, progress)
}

/// [`import_jsonl`], recording with [`ImportCheck::record_signed`]: checkpoints signed by
/// `signing`'s key among the records.
///
/// # Errors
///
/// As [`import_jsonl`].
pub fn import_jsonl_signed<R: BufRead + Seek>(
    campaign: &mut Campaign,
    mut input: R,
    options: &ImportOptions,
    signing: Option<Signing<'_>>,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<ImportReport, ImportError> {
    let check = check_jsonl(campaign, &mut input, options, progress)?;
    if check.passed() {
        input
            .rewind()
            .map_err(|e| ImportError::new(ImportCause::Read(e), check.report()))?;
    }
    check.record_signed(campaign, input, signing, progress)
}

/// The commands of a whole text with their line numbers, each read or refused: what
/// [`parse_jsonl`](super::parse_jsonl) returns, by the same reading of lines as an import.
pub(super) fn parse_all(
    text: &str,
    max: usize,
) -> Result<super::command::ImportLines, LedgerError> {
    let options = ImportOptions::new().max_commands(max);
    let mut lines = Lines::new(text.as_bytes(), &options);
    let mut out = Vec::new();
    loop {
        match lines.step() {
            Ok(Step::Command(line, read)) => out.push((line, read.and_then(Command::from_json))),
            Ok(Step::ChunkEnd { last: true, .. }) => return Ok(out),
            Ok(Step::ChunkEnd { .. }) => {}
            Err(ImportCause::Ledger(e)) => return Err(e),
            // A text in memory cannot fail to be read, nor change.
            Err(_) => return Ok(out),
        }
    }
}

/// What the line reader found next.
enum Step<'a> {
    /// A command line: its number, and its text or why it cannot be one.
    Command(usize, Result<&'a str, LedgerError>),
    /// The end of a chunk: a fingerprint of its bytes, its first line, and whether the input
    /// ended with it.
    ChunkEnd {
        fingerprint: u64,
        first_line: usize,
        last: bool,
    },
}

/// Reads an input line by line, each bounded, and cuts it into chunks the same way on every
/// pass, so that the passes can compare them.
struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    chunk_commands: usize,
    max_commands: usize,
    /// Lines read.
    line: usize,
    /// Command lines read.
    commands: usize,
    bytes_read: u64,
    /// The chunk being read: its commands, bytes, first line, and its fingerprint so far.
    in_chunk: usize,
    chunk_bytes: usize,
    first_line: usize,
    hasher: DefaultHasher,
    /// Commands in the chunk last ended.
    last_chunk: usize,
}

impl<R: BufRead> Lines<R> {
    fn new(reader: R, options: &ImportOptions) -> Lines<R> {
        Lines {
            reader,
            buf: Vec::new(),
            chunk_commands: options.chunk_commands,
            max_commands: options.max_commands,
            line: 0,
            commands: 0,
            bytes_read: 0,
            in_chunk: 0,
            chunk_bytes: 0,
            first_line: 1,
            hasher: DefaultHasher::new(),
            last_chunk: 0,
        }
    }

    fn step(&mut self) -> Result<Step<'_>, ImportCause> {
        if self.in_chunk == self.chunk_commands || self.chunk_bytes >= MAX_CHUNK_BYTES {
            return Ok(self.end_chunk(false));
        }
        match self.next_command()? {
            Some(line) => {
                self.in_chunk += 1;
                Ok(Step::Command(line, self.text()))
            }
            None => Ok(self.end_chunk(true)),
        }
    }

    fn end_chunk(&mut self, last: bool) -> Step<'static> {
        let fingerprint = std::mem::take(&mut self.hasher).finish();
        let first_line = self.first_line;
        self.first_line = self.line + 1;
        self.last_chunk = std::mem::take(&mut self.in_chunk);
        self.chunk_bytes = 0;
        Step::ChunkEnd {
            fingerprint,
            first_line,
            last,
        }
    }

    /// Reads up to the next command line, skipping blank and comment lines; its number, or
    /// `None` at the end. The line is left in `buf`, its newline removed, cut at
    /// `MAX_LINE_BYTES + 1` bytes if it is longer.
    fn next_command(&mut self) -> Result<Option<usize>, ImportCause> {
        loop {
            self.buf.clear();
            let limit = MAX_LINE_BYTES as u64 + 1;
            let n = io::Read::take(&mut self.reader, limit)
                .read_until(b'\n', &mut self.buf)
                .map_err(ImportCause::Read)?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            self.hasher.write(&self.buf);
            let mut len = n;
            if self.buf.last() == Some(&b'\n') {
                self.buf.pop();
            } else if n > MAX_LINE_BYTES {
                // Too long to hold: skipped to its end, and only its length kept.
                len += skip_line(&mut self.reader).map_err(ImportCause::Read)?;
                self.hasher.write_usize(len);
            }
            self.bytes_read += len as u64;
            self.chunk_bytes += len;
            if self.is_blank_or_comment() {
                continue;
            }
            if self.commands == self.max_commands {
                return Err(too_many(self.line, self.max_commands).into());
            }
            self.commands += 1;
            return Ok(Some(self.line));
        }
    }

    fn is_too_long(&self) -> bool {
        self.buf.len() > MAX_LINE_BYTES
    }

    /// Whether the line in `buf` is blank or a comment. A line too long to hold, or not UTF-8,
    /// is a comment if it reads as one; otherwise it is a command line, refused.
    fn is_blank_or_comment(&self) -> bool {
        match std::str::from_utf8(&self.buf) {
            Ok(t) if !self.is_too_long() => {
                let t = t.trim();
                t.is_empty() || t.starts_with('#')
            }
            _ => String::from_utf8_lossy(&self.buf)
                .trim_start()
                .starts_with('#'),
        }
    }

    /// The command line in `buf` as text, or why it cannot be a command.
    fn text(&self) -> Result<&str, LedgerError> {
        if self.is_too_long() {
            return Err(line_too_long());
        }
        match std::str::from_utf8(&self.buf) {
            Ok(t) => Ok(t.trim()),
            Err(e) => Err(not_utf8(e.valid_up_to())),
        }
    }
}

/// Consumes `reader` up to and including the next newline; the bytes consumed.
fn skip_line<R: BufRead>(reader: &mut R) -> io::Result<usize> {
    let mut skipped = 0;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(skipped);
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(skipped + i + 1);
            }
            None => {
                let n = buf.len();
                reader.consume(n);
                skipped += n;
            }
        }
    }
}

fn too_many(line: usize, max: usize) -> LedgerError {
    LedgerError::Parse {
        path: format!("line {line}"),
        message: format!("an import holds at most {max} commands"),
        message_zh: format!("第 {line} 行：一次导入最多 {max} 条命令"),
    }
}

fn line_too_long() -> LedgerError {
    LedgerError::Parse {
        path: ".".into(),
        message: format!("the line is longer than the limit of {MAX_LINE_BYTES} bytes"),
        message_zh: format!("该行超过上限 {MAX_LINE_BYTES} 字节"),
    }
}

fn not_utf8(at: usize) -> LedgerError {
    LedgerError::Parse {
        path: ".".into(),
        message: format!("the line is not valid UTF-8 (at byte {})", at + 1),
        message_zh: format!("该行不是有效的 UTF-8（第 {} 字节）", at + 1),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::demo;
    use crate::rules::RuleSet;

    const ROOT: &str = r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"city_committee"}}}"#;
    const UNKNOWN: &str = r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"rename_org":{"org":"nowhere","name":"无"}}}"#;

    fn rename(i: usize) -> String {
        format!(
            r#"{{"at":"2010-05-01","actor":{{"org":"city"}},"event":{{"rename_org":{{"org":"city","name":"市委 {i}"}}}}}}"#
        )
    }

    fn campaign() -> Campaign {
        Campaign::in_memory(demo::info(), RuleSet::default()).unwrap()
    }

    /// The root and `n` renames, one per line, with `bad` put in before the rename numbered
    /// `at`; its line is `at + 2`.
    fn text(n: usize, bad: Option<(usize, &str)>) -> String {
        let mut lines = vec![ROOT.to_string()];
        for i in 1..=n {
            if let Some((at, line)) = bad
                && at == i
            {
                lines.push(line.to_string());
            }
            lines.push(rename(i));
        }
        lines.join("\n") + "\n"
    }

    fn run(
        c: &mut Campaign,
        text: &str,
        options: ImportOptions,
    ) -> (Result<ImportReport, ImportError>, Vec<ImportProgress>) {
        let mut seen = Vec::new();
        let r = import_jsonl(c, Cursor::new(text), &options, &mut |p| seen.push(*p));
        (r, seen)
    }

    fn chunks_of(n: usize) -> ImportOptions {
        ImportOptions::new().chunk_commands(n).unwrap()
    }

    #[test]
    fn a_refusal_in_the_second_chunk_records_nothing_all_or_nothing() {
        let mut c = campaign();
        // Chunks of 3: the bad line is the 5th command, in the second chunk.
        let text = text(8, Some((4, UNKNOWN)));
        let (report, seen) = run(&mut c, &text, chunks_of(3));
        let report = report.unwrap();
        assert_eq!((report.commands, report.recorded, report.seq), (10, 0, 0));
        assert_eq!(report.refused_total, 1);
        assert_eq!((report.refused[0].line, report.refused[0].code), (5, 3002));
        assert_eq!(c.seq(), 0);
        assert!(seen.iter().all(|p| p.phase == ImportPhase::Check));
        let sizes: Vec<u64> = seen.iter().map(|p| p.chunk_commands).collect();
        assert_eq!(sizes, [3, 3, 3, 1]);
    }

    #[test]
    fn keep_going_records_every_chunk_and_lists_the_refusal_by_its_line() {
        let mut c = campaign();
        // The unknown organization on line 5, a malformed line on line 6: in one chunk, listed
        // in the order of their lines although the second is refused before the chunk's commit.
        let text = text(8, Some((4, UNKNOWN))).replace(&rename(4), &format!("x\n{}", rename(4)));
        let (report, seen) = run(&mut c, &text, chunks_of(3).keep_going(true));
        let report = report.unwrap();
        assert_eq!((report.commands, report.recorded, report.seq), (11, 9, 9));
        let refused: Vec<(usize, u32)> = report.refused.iter().map(|r| (r.line, r.code)).collect();
        assert_eq!(refused, [(5, 3002), (6, 3001)]);
        assert_eq!(c.seq(), 9);
        // One progress per chunk after its commit: seq is durable there.
        let record: Vec<(u64, u64)> = seen
            .iter()
            .filter(|p| p.phase == ImportPhase::Record)
            .map(|p| (p.chunk_commands, p.seq))
            .collect();
        assert_eq!(record, [(3, 3), (2, 4), (3, 7), (2, 9)]);
        // The same as one batch of everything.
        let mut whole = campaign();
        let (one, _) = run(&mut whole, &text, chunks_of(1_000).keep_going(true));
        assert_eq!(one.unwrap().refused, report.refused);
        assert_eq!(whole.state_json(), c.state_json());
        assert_eq!(whole.last_hash(), c.last_hash());
    }

    #[test]
    fn all_or_nothing_that_passes_records_in_chunks() {
        let mut c = campaign();
        let (report, seen) = run(&mut c, &text(6, None), chunks_of(4));
        let report = report.unwrap();
        assert!(report.is_clean());
        assert_eq!((report.recorded, report.seq), (7, 7));
        let acks: Vec<u64> = seen
            .iter()
            .filter(|p| p.phase == ImportPhase::Record && p.chunk_commands > 0)
            .map(|p| p.seq)
            .collect();
        assert_eq!(acks, [4, 7]);
    }

    #[test]
    fn past_the_limit_nothing_is_recorded_even_keeping_going() {
        for keep_going in [false, true] {
            let mut c = campaign();
            let options = chunks_of(2).max_commands(4).keep_going(keep_going);
            let five = format!("# five\n{}", text(4, None));
            let (r, seen) = run(&mut c, &five, options);
            let e = r.unwrap_err();
            assert_eq!(e.code(), 3001);
            assert!(e.message_en().contains("line 6"), "{}", e.message_en());
            assert!(e.message_en().contains("at most 4 commands"));
            assert!(e.message_zh().contains("第 6 行：一次导入最多 4 条命令"));
            assert_eq!((c.seq(), e.report().recorded), (0, 0));
            assert!(seen.iter().all(|p| p.phase == ImportPhase::Check));
            // At the limit: recorded.
            let four = format!("# four\n{}", text(3, None));
            let (r, _) = run(&mut c, &four, options);
            assert_eq!(r.unwrap().recorded, 4);
        }
    }

    #[test]
    fn lines_that_are_no_commands_are_refused_by_their_number() {
        let long = format!("{{\"x\":\"{}\"}}", "a".repeat(MAX_LINE_BYTES));
        let long_comment = format!("  # {}", "b".repeat(MAX_LINE_BYTES));
        let mut input = Vec::new();
        for line in [
            b"# comment".as_slice(),
            b"   ",
            ROOT.as_bytes(),
            b"\t#indented comment\r",
            b"not json",
            long.as_bytes(),
            long_comment.as_bytes(),
            b"{\"at\":\"\xff\"}",
            rename(1).as_bytes(),
        ] {
            input.extend_from_slice(line);
            input.extend_from_slice(b"\r\n");
        }
        let mut c = campaign();
        let options = ImportOptions::new().keep_going(true);
        let report = import_jsonl(&mut c, Cursor::new(&input), &options, &mut |_| {}).unwrap();
        let refused: Vec<(usize, u32)> = report.refused.iter().map(|r| (r.line, r.code)).collect();
        assert_eq!(refused, [(5, 3001), (6, 3001), (8, 3001)]);
        assert!(
            report.refused[1]
                .message_en
                .contains("longer than the limit")
        );
        assert!(
            report.refused[2]
                .message_en
                .contains("not valid UTF-8 (at byte 8)")
        );
        assert!(report.refused[2].message_zh.contains("不是有效的 UTF-8"));
        assert_eq!((report.commands, report.recorded), (5, 2));
    }

    #[test]
    fn input_changed_between_the_passes_stops_before_the_chunk_that_differs() {
        let mut c = campaign();
        let options = chunks_of(3);
        let checked = text(6, None);
        let check = check_jsonl(&c, Cursor::new(&checked), &options, &mut |_| {}).unwrap();
        assert!(check.passed());
        // The 5th command (line 5, in the second chunk) is another one now.
        let changed = checked.replace(&rename(4), &rename(40));
        let e = check
            .record(&mut c, Cursor::new(&changed), &mut |_| {})
            .unwrap_err();
        assert_eq!(e.code(), 4009);
        assert!(matches!(e.cause(), ImportCause::Changed { line: 4 }));
        assert_eq!((e.report().recorded, c.seq()), (3, 3));
        assert!(
            e.message_en()
                .contains("after recording 3 commands, up to seq 3")
        );
        assert!(e.message_zh().contains("此前已记录 3 条命令"));
    }

    #[test]
    fn the_report_renders_for_the_c_abi_and_the_command_line() {
        let mut c = campaign();
        let (r, _) = run(
            &mut c,
            &format!("{ROOT}\n{UNKNOWN}\n"),
            ImportOptions::new(),
        );
        let report = r.unwrap();
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["recorded"], 0);
        assert_eq!(json["seq"], 0);
        assert_eq!(json["refused"][0]["line"], 2);
        assert_eq!(json["refused"][0]["code"], 3002);
        let r = &report.refused[0];
        assert_eq!(
            json["refused"][0]["message"],
            format!("{}\n{}", r.message_zh, r.message_en)
        );
        assert!(json.get("refused_total").is_none());
        assert_eq!(
            r.to_string(),
            format!(
                "第 2 行 [3002]：{} / line 2: [3002] {}",
                r.message_zh, r.message_en
            )
        );
    }

    #[test]
    fn a_report_lists_the_first_refusals_and_counts_the_rest() {
        let mut text = String::new();
        for _ in 0..=MAX_REFUSALS_LISTED {
            text.push_str("x\n");
        }
        let mut c = campaign();
        let (r, _) = run(&mut c, &text, ImportOptions::new());
        let report = r.unwrap();
        assert_eq!(report.refused.len(), MAX_REFUSALS_LISTED);
        assert_eq!(report.refused_unlisted(), 1);
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["refused_total"], MAX_REFUSALS_LISTED + 1);
    }

    #[test]
    fn a_chunk_size_out_of_range_is_refused() {
        for n in [0, MAX_CHUNK_COMMANDS + 1] {
            let e = ImportOptions::new().chunk_commands(n).unwrap_err();
            assert_eq!(e.code(), 1009);
            assert!(e.message_en().contains("chunk_commands"));
        }
    }

    #[test]
    fn every_import_message_is_full_width_in_chinese() {
        let done = ImportReport {
            recorded: 3,
            seq: 3,
            ..ImportReport::default()
        };
        let causes = [
            ImportCause::Read(io::Error::other("x")),
            ImportCause::Changed { line: 4 },
            ImportCause::Ledger(too_many(5, 4)),
            ImportCause::Ledger(line_too_long()),
            ImportCause::Ledger(not_utf8(0)),
        ];
        for cause in causes {
            let e = ImportError::new(cause, &done);
            let zh = e.message_zh();
            assert!(crate::json_error::ascii_punctuation(&zh).is_none(), "{zh}");
            assert!(!e.message_en().is_empty());
        }
    }
}
