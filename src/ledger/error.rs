//! The ledger's errors: a refused command ([`LedgerError`]) and a journal or snapshot that
//! cannot be read or written ([`JournalError`]).

use std::path::PathBuf;

use crate::deliberation::{Status, Step};
use crate::error::Coded;
use crate::model::{ModelError, OrgKind};
use crate::org::entity_zh;
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
    /// The pledge is not in a status that allows this step (3016).
    #[error("field event.pledge: pledge {pledge:?} is {status}, so it cannot be {action}")]
    PledgeStatus {
        /// The pledge.
        pledge: String,
        /// Its status.
        status: &'static str,
        /// What was asked, in English (`submitted`, `reviewed`, …).
        action: &'static str,
    },
    /// A member may not review their own pledge (3017).
    #[error("field actor.by: member {member:?} may not review their own pledge")]
    SelfReview {
        /// The member.
        member: String,
    },
    /// The tree has no organization as far above the owner as the rules' review levels ask
    /// (3018).
    #[error(
        "field event.pledge: pledge {pledge:?} has no reviewer {levels} level(s) above its owner"
    )]
    NoReviewer {
        /// The pledge.
        pledge: String,
        /// The levels asked (rules.pledge_review).
        levels: u32,
    },
    /// A deadline before the day of the step (3019).
    #[error("field {field}: the deadline {deadline} is before {date}")]
    Deadline {
        /// The field.
        field: &'static str,
        /// The deadline.
        deadline: String,
        /// The command's date.
        date: String,
    },
    /// A carrier was given for an organization's pledge; carriers are members' (3020).
    #[error("field event.carrier: only a member's pledge has a carrier")]
    CarrierNotApplicable,
    /// A pledge is declared fulfilled before every target is met (3021).
    #[error(
        "field event.pledge: target {target} ({metric}) of pledge {pledge:?} is not met: {why}"
    )]
    TargetNotMet {
        /// The pledge.
        pledge: String,
        /// The target's position.
        target: usize,
        /// What it measures.
        metric: String,
        /// Why, in English.
        why: String,
    },
    /// A progress report for a month already reported without `correction`, or a correction
    /// with nothing to correct (3022).
    #[error("field event.correction: {why}")]
    Correction {
        /// Why, in English.
        why: String,
    },
    /// The standing given for an urge is not the one computed, or the pledge is not assessed
    /// for that quarter (3023).
    #[error("field event.standing: {why}")]
    Assessment {
        /// Why, in English.
        why: String,
    },
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
    /// A village matter's step is not the next one the rules' order allows (3040).
    #[error(
        "field event: matter {matter:?} cannot have its {} yet; its next step is the {}",
        step.as_str(), next.as_str()
    )]
    StepOutOfOrder {
        /// The matter.
        matter: String,
        /// The step asked for.
        step: Step,
        /// The step that must come first.
        next: Step,
    },
    /// A village matter's step was already taken (3041).
    #[error("field event: matter {matter:?} already had its {} on {on}", step.as_str())]
    StepRepeated {
        /// The matter.
        matter: String,
        /// The step asked for.
        step: Step,
        /// The day it was taken.
        on: String,
    },
    /// A village matter is closed: rejected, vetoed, or resolved and published (3042).
    #[error(
        "field event.matter: matter {matter:?} is closed ({}), so it cannot have a {}",
        status.as_str(), step.as_str()
    )]
    MatterClosed {
        /// The matter.
        matter: String,
        /// Its status.
        status: Status,
        /// The step asked for.
        step: Step,
    },
    /// A village matter's step is dated before the step it follows (3043).
    #[error(
        "field at: the {} of matter {matter:?} on {at} is before its {} on {previous}",
        step.as_str(), previous_step.as_str()
    )]
    StepBeforePrevious {
        /// The matter.
        matter: String,
        /// The step asked for.
        step: Step,
        /// The command's date.
        at: String,
        /// The step it follows.
        previous_step: Step,
        /// That step's date.
        previous: String,
    },
    /// A village matter's step comes sooner after the previous one than the rules allow
    /// (rules.deliberation.min_days_between_steps) (3044).
    #[error(
        "field at: the {} of matter {matter:?} on {at} comes less than {min_days} days after its {}; the earliest day is {earliest}",
        step.as_str(), previous_step.as_str()
    )]
    StepTooSoon {
        /// The matter.
        matter: String,
        /// The step asked for.
        step: Step,
        /// The command's date.
        at: String,
        /// The step it follows.
        previous_step: Step,
        /// The rule's days.
        min_days: u32,
        /// The earliest day allowed.
        earliest: String,
    },
    /// Village matters are decided by village organizations only (3045).
    #[error(
        "field {field}: organization {org:?} is of kind {kind}, not a village organization, which decides village matters"
    )]
    NotVillage {
        /// The field naming the organization.
        field: &'static str,
        /// The organization.
        org: String,
        /// Its kind.
        kind: OrgKind,
    },
    /// The actor may not take this step of a village matter (3046): the village (or an
    /// organization above it) takes its own steps; the village's township-level committee (or
    /// an organization above it) reviews.
    #[error(
        "field actor: {actor} may not take the {} of a matter of {village:?}: only {}",
        step.as_str(),
        if step.by_township() {
            format!("the village's township-level committee {target:?} or an organization above it may")
        } else {
            format!("the village organization {target:?} or an organization above it may")
        }
    )]
    StepActor {
        /// The actor, as given.
        actor: String,
        /// The step asked for.
        step: Step,
        /// The matter's village.
        village: String,
        /// The organization the actor must be at or above.
        target: String,
    },
    /// The members' meeting lacks its quorum (rules.deliberation.members_attendance_min)
    /// (3047).
    #[error(
        "field event.attending: {attending} of {expected} members attending is below the quorum of {required}; the meeting cannot deliberate"
    )]
    NoQuorum {
        /// Members attending.
        attending: u32,
        /// Members expected.
        expected: u32,
        /// The least attendance that holds the meeting.
        required: u64,
    },
    /// A pledge would be drafted with no reviewer above its owner, so it could never be
    /// reviewed (3028): 分级审核 means the superior level reviews, and the root has none.
    #[error(
        "field event.owner: no organization {levels} level(s) above organization {org:?}{} reviews pledges (rules.pledge_review; 分级审核: the superior level reviews), so the pledge could never be reviewed and is not drafted",
        member.as_ref().map_or(String::new(), |m| format!(" (member {m:?}'s organization)"))
    )]
    Unreviewable {
        /// The owning organization, or the owning member's organization that day.
        org: String,
        /// The owning member, for a member's pledge.
        member: Option<String>,
        /// The levels the rules ask (rules.pledge_review).
        levels: u32,
    },
    /// A member of a category with no usual carrier (`other`) drafted a pledge without naming
    /// one (3029): every member's pledge counts under one of the four carriers.
    #[error(
        "field event.carrier: member {member:?} is of category {category}, which has no usual carrier; name one of set_post_duty, dual_post, building_duty, vanguard_post"
    )]
    CarrierRequired {
        /// The owning member.
        member: String,
        /// The member's category (`other`).
        category: &'static str,
    },
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
            LedgerError::PledgeStatus { .. } => 3016,
            LedgerError::SelfReview { .. } => 3017,
            LedgerError::NoReviewer { .. } => 3018,
            LedgerError::Deadline { .. } => 3019,
            LedgerError::CarrierNotApplicable => 3020,
            LedgerError::TargetNotMet { .. } => 3021,
            LedgerError::Correction { .. } => 3022,
            LedgerError::Assessment { .. } => 3023,
            LedgerError::Method123(e) => e.code(),
            LedgerError::OutsideCampaign { .. } => 3027,
            LedgerError::Activity(e) => e.code(),
            LedgerError::Journal(e) => e.code(),
            LedgerError::StepOutOfOrder { .. } => 3040,
            LedgerError::StepRepeated { .. } => 3041,
            LedgerError::MatterClosed { .. } => 3042,
            LedgerError::StepBeforePrevious { .. } => 3043,
            LedgerError::StepTooSoon { .. } => 3044,
            LedgerError::NotVillage { .. } => 3045,
            LedgerError::StepActor { .. } => 3046,
            LedgerError::NoQuorum { .. } => 3047,
            LedgerError::Unreviewable { .. } => 3028,
            LedgerError::CarrierRequired { .. } => 3029,
            LedgerError::RecordTooLong { .. } => 3030,
        }
    }

    fn message_zh(&self) -> String {
        match self {
            LedgerError::Parse { message_zh, .. } => format!("命令无法解析，{message_zh}"),
            LedgerError::Invalid(e) => e.message_zh(),
            LedgerError::Org(e) => e.message_zh(),
            LedgerError::PledgeStatus {
                pledge,
                status,
                action,
            } => {
                format!("字段 event.pledge：承诺 {pledge:?} 当前状态为 {status}，不能执行 {action}")
            }
            LedgerError::SelfReview { member } => {
                format!("字段 actor.by：党员 {member:?} 不能审核本人的承诺")
            }
            LedgerError::NoReviewer { pledge, levels } => {
                format!("字段 event.pledge：承诺 {pledge:?} 的承诺人之上没有第 {levels} 级审核组织")
            }
            LedgerError::Deadline {
                field,
                deadline,
                date,
            } => format!("字段 {field}：承诺期限 {deadline} 早于 {date}"),
            LedgerError::CarrierNotApplicable => {
                "字段 event.carrier：只有党员的承诺才有践诺载体".into()
            }
            LedgerError::TargetNotMet {
                pledge,
                target,
                metric,
                ..
            } => format!("字段 event.pledge：承诺 {pledge:?} 的第 {target} 项目标 {metric:?} 尚未达成"),
            LedgerError::Correction { .. } => {
                "字段 event.correction：同一月份只能有一份月报；再次报送须标明为更正，且须有可更正的月报"
                    .into()
            }
            LedgerError::Assessment { why } => {
                // `why` is English, in the English half; the Chinese half says it in words.
                let _ = why;
                "字段 event.standing：与本库的季度考核结果不符，或该季度不予考核".to_string()
            }
            LedgerError::Method123(e) => e.message_zh(),
            LedgerError::OutsideCampaign { at, window } => {
                format!("字段 at：日期 {at} 不在活动期间（{window}）之内")
            }
            LedgerError::Activity(e) => e.message_zh(),
            LedgerError::Journal(e) => e.message_zh(),
            LedgerError::StepOutOfOrder { matter, step, next } => format!(
                "字段 event：村级重大事项 {matter:?} 尚不能进行{}，下一步应为{}",
                step.label_zh(),
                next.label_zh()
            ),
            LedgerError::StepRepeated { matter, step, on } => format!(
                "字段 event：村级重大事项 {matter:?} 已于 {on} 进行过{}，不能重复",
                step.label_zh()
            ),
            LedgerError::MatterClosed {
                matter,
                status,
                step,
            } => format!(
                "字段 event.matter：村级重大事项 {matter:?} 已办结（{}），不能再进行{}",
                status.label_zh(),
                step.label_zh()
            ),
            LedgerError::StepBeforePrevious {
                matter,
                step,
                at,
                previous_step,
                previous,
            } => format!(
                "字段 at：村级重大事项 {matter:?} 的{}日期 {at} 早于其{}日期 {previous}",
                step.label_zh(),
                previous_step.label_zh()
            ),
            LedgerError::StepTooSoon {
                matter,
                step,
                at,
                previous_step,
                min_days,
                earliest,
            } => format!(
                "字段 at：村级重大事项 {matter:?} 的{}日期 {at} 距{}不足 {min_days} 天，最早应为 {earliest}",
                step.label_zh(),
                previous_step.label_zh()
            ),
            LedgerError::NotVillage { field, org, kind } => format!(
                "字段 {field}：党组织 {org:?} 是{}，不是村党组织，不能决策村级重大事项",
                kind.label_zh()
            ),
            LedgerError::StepActor {
                actor,
                step,
                village,
                target,
            } => format!(
                "字段 actor：{} 无权对 {village:?} 的村级重大事项进行{}，只有{} {target:?} 或其上级组织可以",
                entity_zh(actor),
                step.label_zh(),
                if step.by_township() {
                    "该村所属乡镇（街道、农场）党委"
                } else {
                    "该村党组织"
                }
            ),
            LedgerError::NoQuorum {
                attending,
                expected,
                required,
            } => format!(
                "字段 event.attending：应到党员 {expected} 名，实到 {attending} 名，不足法定人数 {required} 名，党员大会不能审议"
            ),
            LedgerError::Unreviewable {
                org,
                member,
                levels,
            } => {
                let whose = member
                    .as_ref()
                    .map_or(String::new(), |m| format!("（党员 {m:?} 所在党组织）"));
                format!(
                    "字段 event.owner：党组织 {org:?}{whose}之上没有第 {levels} 级党组织审核承诺（分级审核由上级审核），承诺将无人审核，不能定诺"
                )
            }
            LedgerError::CarrierRequired { member, .. } => format!(
                "字段 event.carrier：党员 {member:?} 属于其他党员，没有默认的践诺载体；请指明设岗定责、双岗双责、责任进楼院或先锋岗之一"
            ),
            LedgerError::RecordTooLong { bytes, max } => format!(
                "字段 event：该命令的日志记录长 {bytes} 字节，超过日志单行上限 {max} 字节，未予记录"
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            LedgerError::Invalid(e) => e.message_en(),
            LedgerError::Org(e) => e.message_en(),
            LedgerError::Method123(e) => e.message_en(),
            LedgerError::Activity(e) => e.message_en(),
            LedgerError::Journal(e) => e.message_en(),
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
    /// Another process holds the journal open for writing (4003).
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
        "the journal does not end where the campaign stood before the batch" => {
            "日志末尾与本批命令之前的活动状态不一致"
        }
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.into();
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

impl From<OrgError> for LedgerError {
    /// A refused value keeps its one place ([`LedgerError::Invalid`]), whichever domain found it.
    fn from(e: OrgError) -> LedgerError {
        match e {
            OrgError::Invalid(m) => LedgerError::Invalid(m),
            other => LedgerError::Org(other),
        }
    }
}

impl From<crate::method123::Method123Error> for LedgerError {
    /// The seam's refusals keep their one place ([`LedgerError::Org`]), whichever domain found
    /// them.
    fn from(e: crate::method123::Method123Error) -> LedgerError {
        match e {
            crate::method123::Method123Error::Org(e) => e.into(),
            other => LedgerError::Method123(other),
        }
    }
}

impl From<crate::activity::ActivityError> for LedgerError {
    /// The seam's refusals keep their one place ([`LedgerError::Org`]), whichever domain found
    /// them.
    fn from(e: crate::activity::ActivityError) -> LedgerError {
        match e {
            crate::activity::ActivityError::Org(e) => e.into(),
            other => LedgerError::Activity(other),
        }
    }
}
