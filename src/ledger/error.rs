//! The ledger's errors: a refused command ([`LedgerError`]) and a journal or snapshot that
//! cannot be read or written ([`JournalError`]).

use std::path::PathBuf;

use crate::error::Coded;
use crate::model::ModelError;
pub use crate::org::{EntityKind, OrgError};

/// A command was refused. The campaign's state is exactly as it was before the command.
///
/// Codes are stable: `3001`–`3099` for refusals; a refused value carries the model's code
/// (`1xxx`); a journal failure carries the journal's (`4xxx`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// The command's JSON could not be read (3001).
    #[error("command cannot be read, field {path}: {message}")]
    Parse {
        /// Dotted path of the field at fault (for a missing field, the object that lacks it).
        path: String,
        /// The parser's message, in English.
        message: String,
        /// The same in Chinese, naming the field path (`缺少字段 event.create_org.name`).
        message_zh: String,
    },
    /// A value in the command was refused (the model's code).
    #[error(transparent)]
    Invalid(#[from] ModelError),
    /// A rule of the organization tree, or one every domain shares, refused it (3002–3015).
    #[error(transparent)]
    Org(OrgError),
    /// A rule of public pledges refused it (3016–3021, 3023, 3028, 3029).
    #[error(transparent)]
    Pledge(crate::pledge::PledgeError),
    /// A rule of the 123 work method refused it (3024–3026).
    #[error(transparent)]
    Method123(crate::method123::Method123Error),
    /// The command is dated outside the campaign's window (rules.window) (3027).
    #[error("field at: {at} is outside the campaign, which runs {window}")]
    OutsideCampaign {
        /// The command's date.
        at: String,
        /// The window, as text.
        window: String,
    },
    /// A rule of the service actions refused it (3060–3066).
    #[error(transparent)]
    Activity(crate::activity::ActivityError),
    /// The command was valid but could not be made durable (the journal's code).
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// A rule of village decisions (四议一审) refused it (3040–3047).
    #[error(transparent)]
    Deliberation(crate::deliberation::DeliberationError),
    /// The command's journal record would make a line longer than the journal's reader takes
    /// (`journal::MAX_LINE_BYTES`), so it is not recorded (3030): an accepted record must
    /// reopen. Every field is bounded well below it (docs/limits.md); this is the last guard.
    #[error(
        "field event: the record would be a journal line of {bytes} bytes, more than the {max} a line holds, so it is not recorded"
    )]
    RecordTooLong {
        /// The length the line would have had, newline included, in bytes.
        bytes: usize,
        /// The longest line a journal holds, in bytes.
        max: usize,
    },
}

impl Coded for LedgerError {
    fn code(&self) -> u32 {
        match self {
            LedgerError::Parse { .. } => 3001,
            LedgerError::Invalid(e) => e.code(),
            LedgerError::Org(e) => e.code(),
            LedgerError::Pledge(e) => e.code(),
            LedgerError::Method123(e) => e.code(),
            LedgerError::OutsideCampaign { .. } => 3027,
            LedgerError::Activity(e) => e.code(),
            LedgerError::Journal(e) => e.code(),
            LedgerError::Deliberation(e) => e.code(),
            LedgerError::RecordTooLong { .. } => 3030,
        }
    }

    fn message_zh(&self) -> String {
        match self {
            LedgerError::Parse { message_zh, .. } => format!("命令无法解析，{message_zh}"),
            LedgerError::Invalid(e) => e.message_zh(),
            LedgerError::Org(e) => e.message_zh(),
            LedgerError::Pledge(e) => e.message_zh(),
            LedgerError::Method123(e) => e.message_zh(),
            LedgerError::OutsideCampaign { at, window } => {
                format!("字段 at：日期 {at} 不在活动期间（{window}）之内")
            }
            LedgerError::Activity(e) => e.message_zh(),
            LedgerError::Journal(e) => e.message_zh(),
            LedgerError::Deliberation(e) => e.message_zh(),
            LedgerError::RecordTooLong { bytes, max } => format!(
                "字段 event：该命令的日志记录长 {bytes} 字节，超过日志单行上限 {max} 字节，未予记录"
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            LedgerError::Invalid(e) => e.message_en(),
            LedgerError::Org(e) => e.message_en(),
            LedgerError::Pledge(e) => e.message_en(),
            LedgerError::Method123(e) => e.message_en(),
            LedgerError::Activity(e) => e.message_en(),
            LedgerError::Journal(e) => e.message_en(),
            LedgerError::Deliberation(e) => e.message_en(),
            other => other.to_string(),
        }
    }
}

/// A journal or snapshot could not be created, read, verified or written. Codes `4xxx`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// An operating-system call failed (4001).
    #[error("journal {path}: cannot {op}: {source}")]
    Io {
        /// What was being done.
        op: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// `create` found a file already at the path; journals are never overwritten (4002).
    #[error("journal {path}: a file already exists there; journals are never overwritten")]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// Another process, or another campaign in this one, holds the journal open for writing
    /// (4003); said after waiting [`crate::ledger::LOCK_WAIT`] for it.
    #[error("journal {path}: another process holds it open for writing")]
    Locked {
        /// The file.
        path: PathBuf,
    },
    /// The journal's header record is missing, torn, or not a journal of this format (4004).
    #[error("journal header: {why}")]
    Header {
        /// Why, in English.
        why: String,
    },
    /// A record fails verification: its hash, framing, JSON or sequence number (4005).
    /// Nothing from it on is trusted.
    #[error("journal record seq {seq} (line {line}, byte {offset}): {why}")]
    Corrupt {
        /// The sequence number the record should have had.
        seq: u64,
        /// Its line number (1-based; the header is line 1).
        line: u64,
        /// Its byte offset in the file.
        offset: u64,
        /// Why, in English.
        why: String,
    },
    /// A record verifies but its event is refused by the rules on replay (4006): the journal was
    /// written by other rules or another program.
    #[error("journal record seq {seq}: its event is refused on replay: {error}")]
    Refused {
        /// The record's sequence number.
        seq: u64,
        /// Why it was refused.
        error: Box<LedgerError>,
    },
    /// An earlier write or sync failed; the in-memory campaign may be ahead of the journal and
    /// refuses further commands. Reopen the journal, which holds what was acknowledged (4007).
    #[error("the journal failed earlier and the campaign must be reopened from it")]
    Poisoned,
    /// A snapshot cannot be read or breaks an invariant (4008).
    #[error("snapshot: {why}")]
    Snapshot {
        /// Why, in English.
        why: String,
    },
    /// Bytes at the end of the journal that no verified record covers: a last line cut short
    /// (4010). Opening a journal drops them as a crash's leftovers; verifying reports them.
    #[error(
        "journal: {len} bytes from byte {offset} on are not covered by a verified record (a last line without its end)"
    )]
    Uncovered {
        /// Byte offset of the first byte not covered.
        offset: u64,
        /// How many bytes.
        len: u64,
    },
    /// The journal verifies, but its end is not the one held apart from it (4011): it was cut
    /// at a record boundary, resealed, or is another journal.
    #[error("journal: its {what} is {found}, not the {expected} expected")]
    AnchorMismatch {
        /// Which anchor: `last hash` or `last seq`.
        what: &'static str,
        /// The value expected.
        expected: String,
        /// The journal's.
        found: String,
    },
    /// A checkpoint key cannot be read or used (4012).
    #[error("{0}")]
    Key(super::checkpoint::KeyError),
    /// A checkpoint's signature does not verify under the keys given for its algorithm
    /// (4013): what it covers was rewritten and resealed, or it was signed by another key.
    #[error(
        "journal checkpoint seq {seq} ({alg}, key id {key_id:?}): its signature does not verify under the key given"
    )]
    BadSignature {
        /// The checkpoint's sequence number.
        seq: u64,
        /// Its algorithm.
        alg: super::checkpoint::Alg,
        /// The key id it names.
        key_id: String,
    },
    /// Records after the last checkpoint a given key verifies (4014): written after it, or
    /// rewritten and resealed after it.
    #[error(
        "journal: records {from} to {to} are not covered by a checkpoint the key verifies{}",
        match last_signed { Some(s) => format!(" (the last one is seq {s})"), None => " (there is none)".into() }
    )]
    UnsignedTail {
        /// The first record not covered.
        from: u64,
        /// The last record.
        to: u64,
        /// The last checkpoint that verifies, if any.
        last_signed: Option<u64>,
    },
    /// A checkpoint was asked for before the journal holds any record (4015).
    #[error("journal: no record to checkpoint yet; a checkpoint follows at least one record")]
    NothingToCheckpoint,
    /// A command or checkpoint sent to a campaign opened read-only (4016).
    #[error("journal {path:?}: opened read-only; reopen it with open to record")]
    ReadOnly {
        /// The journal.
        path: std::path::PathBuf,
    },
    /// A snapshot file was asked of a campaign without a journal file (4017): an in-memory
    /// campaign keeps its snapshot as JSON ([`crate::ledger::Campaign::snapshot_json`]).
    #[error(
        "journal: the campaign has no journal file to write a snapshot beside; an in-memory campaign takes snapshot_json"
    )]
    NoJournalFile,
}

impl JournalError {
    pub(crate) fn io(op: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        JournalError::Io {
            op,
            path: path.to_path_buf(),
            source,
        }
    }
}

impl Coded for JournalError {
    fn code(&self) -> u32 {
        match self {
            JournalError::Io { .. } => 4001,
            JournalError::Exists { .. } => 4002,
            JournalError::Locked { .. } => 4003,
            JournalError::Header { .. } => 4004,
            JournalError::Corrupt { .. } => 4005,
            JournalError::Refused { .. } => 4006,
            JournalError::Poisoned => 4007,
            JournalError::Snapshot { .. } => 4008,
            JournalError::Uncovered { .. } => 4010,
            JournalError::AnchorMismatch { .. } => 4011,
            JournalError::Key(_) => 4012,
            JournalError::BadSignature { .. } => 4013,
            JournalError::UnsignedTail { .. } => 4014,
            JournalError::NothingToCheckpoint => 4015,
            JournalError::ReadOnly { .. } => 4016,
            JournalError::NoJournalFile => 4017,
        }
    }

    fn message_zh(&self) -> String {
        match self {
            JournalError::Io { op, path, source } => format!(
                "日志 {:?}：{}失败，{}",
                path.display().to_string(),
                op_zh(op),
                io_zh(source)
            ),
            JournalError::Exists { path } => format!(
                "日志 {:?}：文件已存在，日志不可覆盖",
                path.display().to_string()
            ),
            JournalError::Locked { path } => format!(
                "日志 {:?}：另一进程正在写入该日志",
                path.display().to_string()
            ),
            JournalError::Header { why } => format!("日志头记录无效：{}", why_zh(why)),
            JournalError::Corrupt {
                seq,
                line,
                offset,
                why,
            } => format!(
                "日志记录 seq {seq}（第 {line} 行，字节 {offset}）校验失败：{}",
                why_zh(why)
            ),
            JournalError::Refused { seq, error } => {
                format!("日志记录 seq {seq} 重放时被拒绝：{}", error.message_zh())
            }
            JournalError::Poisoned => "日志此前写入失败，须从日志重新打开活动".into(),
            JournalError::Snapshot { why } => format!("快照无效：{}", why_zh(why)),
            JournalError::Uncovered { offset, len } => format!(
                "日志自字节 {offset} 起的 {len} 字节不在任何已校验的记录之内（末行残缺，没有行尾）"
            ),
            JournalError::AnchorMismatch {
                what,
                expected,
                found,
            } => {
                let what = if *what == "last hash" {
                    "末端哈希"
                } else {
                    "末条记录序号"
                };
                format!("日志{what}为 {found}，与预期的 {expected} 不符")
            }
            JournalError::Key(e) => e.message_zh(),
            JournalError::BadSignature { seq, alg, key_id } => format!(
                "日志检查点 seq {seq}（{alg}，密钥标识 {key_id:?}）的签名用所给密钥验证不通过"
            ),
            JournalError::UnsignedTail {
                from,
                to,
                last_signed,
            } => {
                let last = match last_signed {
                    Some(s) => format!("最后一个为 seq {s}"),
                    None => "没有任何一个".into(),
                };
                format!("日志记录 {from} 至 {to} 不在所给密钥验证通过的检查点之内（{last}）")
            }
            JournalError::NothingToCheckpoint => {
                "日志尚无记录，无从设检查点；检查点须在至少一条记录之后".into()
            }
            JournalError::ReadOnly { path } => format!(
                "日志 {:?} 以只读方式打开，不能记录；须以写入方式重新打开",
                path.display().to_string()
            ),
            JournalError::NoJournalFile => {
                "该活动没有日志文件，无处写快照文件；内存中的活动请用 JSON 快照".into()
            }
        }
    }

    fn message_en(&self) -> String {
        self.to_string()
    }
}

/// What a journal operation was doing, in Chinese.
fn op_zh(op: &str) -> String {
    match op {
        "read" => "读取".into(),
        "write" => "写入".into(),
        "create" => "创建".into(),
        "open" => "打开".into(),
        "sync" => "同步到磁盘".into(),
        "lock" => "加锁".into(),
        "append to" => "追加写入".into(),
        "write header to" => "写入头记录".into(),
        "sync directory of" => "同步所在目录".into(),
        "read metadata of" => "读取文件信息".into(),
        "reopen" => "重新打开".into(),
        "save" => "保存".into(),
        "truncate" => "截断".into(),
        other => format!("操作 {other} "),
    }
}

/// An operating-system error in Chinese, by its kind; its own words stay in the English half.
///
/// ```
/// use chuangzheng::ledger::io_zh;
///
/// let e = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
/// assert_eq!(io_zh(&e), "文件或目录不存在");
/// ```
pub fn io_zh(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "文件或目录不存在",
        ErrorKind::PermissionDenied => "没有权限",
        ErrorKind::AlreadyExists => "文件已存在",
        ErrorKind::IsADirectory => "这是一个目录",
        ErrorKind::StorageFull => "磁盘已满",
        ErrorKind::InvalidData => "内容不是有效的 UTF-8 文本",
        ErrorKind::UnexpectedEof => "文件意外结束",
        _ => "系统错误，详见英文说明",
    }
}

/// A journal's or snapshot's refusal (`why`, English) in Chinese: the fixed reasons the
/// journal gives, a field path with a parse error, or a pointer to the English half.
fn why_zh(why: &str) -> String {
    let fixed = match why {
        "the journal is empty" => "日志为空",
        "the header line is torn or too long" => "头记录残缺或过长",
        "the header is not in canonical form" => "头记录不是规范格式",
        "line too short to hold a record and its hash" => "该行过短，容不下记录及其哈希",
        "line does not end with its hash field" => "该行不以哈希字段结尾",
        "hash does not match: the record or one before it was altered" => {
            "哈希不符，该记录或其前面的记录被改动过"
        }
        "line longer than the limit" => "该行超过长度上限",
        "line ends with CR LF; journal lines end with LF alone" => {
            "该行以 CR LF 结尾，日志各行只以 LF 结尾"
        }
        "hash field in uppercase hex; the journal writes lowercase" => {
            "哈希字段为大写十六进制，日志只写小写"
        }
        "the journal starts with a byte-order mark (EF BB BF); a journal is UTF-8 without one" => {
            "日志以字节顺序标记（EF BB BF）开头，日志为不带该标记的 UTF-8"
        }
        "the journal does not end where the campaign stood before the batch" => {
            "日志末尾与本批命令之前的活动状态不一致"
        }
        "a checkpoint before any record" => "检查点之前没有任何记录",
        "checkpoint record not in canonical form" => "检查点记录不是规范格式",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.into();
    }
    if let Some(zh) = checkpoint_why_zh(why) {
        return zh;
    }
    if why.starts_with("format version ") {
        return "格式版本不受本程序支持".into();
    }
    if why.starts_with("format ") {
        return "格式或版本不对，不是本程序所写的文件".into();
    }
    // `field PATH: serde's words (line L, column C)`: a snapshot or header that is not the JSON
    // it should be.
    let Some((path, en)) = why
        .strip_prefix("field ")
        .and_then(|rest| rest.split_once(": "))
    else {
        return "原因见英文说明".into();
    };
    let (en, line) = match en.rsplit_once(" (") {
        Some((words, pos)) if pos.starts_with("line ") || pos.starts_with("column ") => {
            let line = pos.strip_prefix("line ").and_then(|p| p.split_once(','));
            (words, line.map(|(l, _)| l))
        }
        _ => (en, None),
    };
    let zh = crate::json_error::zh_of_text(en, path, "文件");
    match line {
        Some(l) => format!("第 {l} 行，{zh}"),
        None => zh,
    }
}

/// A checkpoint's place in the chain refused (`checkpoint.rs`), in Chinese.
fn checkpoint_why_zh(why: &str) -> Option<String> {
    let rest = why.strip_prefix("checkpoint ")?;
    if let Some(rest) = rest.strip_prefix("through ") {
        let (through, prev) = rest.split_once(" is not the record before it (")?;
        let prev = prev.strip_suffix(')')?;
        return Some(format!(
            "检查点的 through 为 {through}，不是其前一条记录（{prev}）"
        ));
    }
    if let Some(rest) = rest.strip_prefix("h ") {
        let (h, rest) = rest.split_once(" is not the hash of record ")?;
        let (seq, _) = rest.split_once(':')?;
        return Some(format!(
            "检查点的 h {h} 不是记录 {seq} 的哈希：检查点被移动过，或抄自另一份日志"
        ));
    }
    let rest = rest.strip_prefix("sig is ")?;
    let (len, rest) = rest.split_once(" bytes; ")?;
    let (alg, want) = rest.split_once(" signs ")?;
    Some(format!(
        "检查点签名长 {len} 字节，{alg} 签名应为 {want} 字节"
    ))
}

impl From<OrgError> for LedgerError {
    /// A refused value keeps its one place ([`LedgerError::Invalid`]), whichever domain found it.
    fn from(e: OrgError) -> LedgerError {
        match e {
            OrgError::Invalid(m) => LedgerError::Invalid(m),
            other => LedgerError::Org(other),
        }
    }
}

/// A domain's refusal as the ledger's: its own variants under the domain's arm, and the seam's
/// refusals in their one place ([`LedgerError::Org`]), whichever domain found them.
macro_rules! from_domain {
    ($($($seg:ident)::+ => $arm:ident),* $(,)?) => {$(
        impl From<$($seg)::+> for LedgerError {
            fn from(e: $($seg)::+) -> LedgerError {
                match e {
                    $($seg)::+::Org(e) => e.into(),
                    other => LedgerError::$arm(other),
                }
            }
        }
    )*};
}

from_domain! {
    crate::method123::Method123Error => Method123,
    crate::pledge::PledgeError => Pledge,
    crate::deliberation::DeliberationError => Deliberation,
    crate::activity::ActivityError => Activity,
}
