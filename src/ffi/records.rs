//! Recording: one JSON command, a JSON Lines batch, and typed fast paths for the
//! highest-volume records (123 receptions and visits, monthly pledge progress reports).

use std::ffi::c_char;
use std::num::NonZeroU64;

use jiff::civil::Date;

use super::{
    CZ_INVALID_ARGUMENT, CZ_OK, CZ_REFUSED_LINES, boundary, coded, cz_campaign, cz_date, cz_result,
    fail, lock, null, opt_text, owned, text, with_out,
};
use crate::ledger::{
    Actor, Campaign, Command, Event, ImportOptions, Signing, SigningKey, import_jsonl_signed,
};
use crate::model::{Bounded, ExtId, ModelError, Period, Quantity, Stamp};
use crate::pledge::Achieved;

/// With `cz_campaign_import`: record the lines that pass and list the refused ones, instead of
/// all or nothing.
pub const CZ_IMPORT_KEEP_GOING: u32 = 1;

/// With `cz_campaign_report_progress`: the report corrects the month's earlier one (kept).
pub const CZ_PROGRESS_CORRECTION: u32 = 1;

/// A `cz_date` as a civil date, or `CZ_INVALID_ARGUMENT` naming `name`.
pub(super) fn civil(d: cz_date, name: &str) -> Result<Date, u32> {
    let month = i8::try_from(d.month).unwrap_or(i8::MAX);
    let day = i8::try_from(d.day).unwrap_or(i8::MAX);
    Date::new(d.year, month, day).map_err(|e| {
        fail(
            CZ_INVALID_ARGUMENT,
            format!(
                "参数 {name} 不是有效日期 {:04}-{:02}-{:02}\nargument {name} is not a date: {e}",
                d.year, d.month, d.day
            ),
        )
    })
}

fn id(field: &'static str, s: &str) -> Result<ExtId, u32> {
    ExtId::new(field, s).map_err(|e| coded(&e))
}

/// The acting organization (and the cadre acting for it, if named).
///
/// # Safety
///
/// `org` and `by` are NULL or valid NUL-terminated strings.
unsafe fn actor(org: *const c_char, by: *const c_char) -> Result<Actor, u32> {
    // SAFETY: forwarded.
    let org = id("actor.org", unsafe { text(org, "actor_org") }?)?;
    // SAFETY: forwarded.
    let by = match unsafe { opt_text(by, "actor_by") }? {
        Some(b) => Some(id("actor.by", b)?),
        None => None,
    };
    Ok(Actor::Org { org, by })
}

/// Executes `cmd`, writing its sequence number to `seq_out` if that is not NULL.
///
/// # Safety
///
/// `campaign` is NULL or a live handle; `seq_out` is NULL or valid to write to.
unsafe fn run(
    campaign: *mut cz_campaign,
    seq_out: *mut u64,
    make: impl FnOnce() -> Result<Command, u32>,
) -> u32 {
    // SAFETY: forwarded.
    unsafe {
        with_seq(seq_out, || {
            let cmd = make()?;
            let mut c = lock(campaign)?;
            c.execute(&cmd).map(|r| r.seq).map_err(|e| coded(&e))
        })
    }
}

/// Runs `body` inside the panic boundary and, on success, writes the sequence number it gives
/// to `seq_out` if that is not NULL (an optional output, unlike `with_out`'s).
///
/// # Safety
///
/// `seq_out` is NULL or valid to write to.
pub(super) unsafe fn with_seq(seq_out: *mut u64, body: impl FnOnce() -> Result<u64, u32>) -> u32 {
    boundary(|| match body() {
        Ok(seq) => {
            if !seq_out.is_null() {
                // SAFETY: non-NULL, valid per the contract.
                unsafe { *seq_out = seq };
            }
            CZ_OK
        }
        Err(code) => code,
    })
}

/// Checks and records one command given as JSON (docs/events.md), synced to the journal if the
/// campaign has one. On success `*seq_out` (if not NULL) is the record's sequence number; a
/// refused command changes nothing and returns its code.
///
/// # Safety
///
/// `campaign` is a live handle; `command_json` is a valid NUL-terminated string; `seq_out` is
/// NULL or a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_execute(
    campaign: *mut cz_campaign,
    command_json: *const c_char,
    seq_out: *mut u64,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        run(campaign, seq_out, || {
            let json = text(command_json, "command_json")?;
            Command::from_json(json).map_err(|e| coded(&e))
        })
    }
}

/// Records a JSON Lines text of commands (one per line; blank lines and lines starting with
/// `#` skipped), in chunks of 4096 commands, one journal sync per chunk (group commit); the same
/// import as `chuangzheng import`. All or nothing by default: every line is checked first, in
/// order, and if any is refused nothing is recorded. With `CZ_IMPORT_KEEP_GOING` in `flags`,
/// the lines that pass are recorded and the others listed.
///
/// When the text was processed `*result_json_out` is a new string, freed with
/// `cz_string_free`:
/// `{"recorded": n, "seq": last_seq, "refused": [{"line": 3, "code": 3002, "message": "…",
/// "message_zh": "…", "message_en": "…"}]}`, listing the first 10000 refused lines in order,
/// each with its error code and its message (both languages, then each alone), and, only
/// when more were refused, `"refused_total"` counting them all. The call returns `CZ_OK` when
/// no line was refused, and `CZ_REFUSED_LINES` (with the result written all the same, and the
/// last error saying how many) when any was. It fails on its arguments; on more than 10000000
/// commands (3001, nothing recorded); or when the journal cannot be written: then the chunks
/// synced before stay recorded (the message says how many; `cz_campaign_seq` how far) and
/// nothing of the failing chunk is.
///
/// # Safety
///
/// `campaign` is a live handle; `commands_jsonl` is a valid NUL-terminated string;
/// `result_json_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_import(
    campaign: *mut cz_campaign,
    commands_jsonl: *const c_char,
    flags: u32,
    result_json_out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        import_with(campaign, commands_jsonl, flags, result_json_out, || {
            Ok(None)
        })
    }
}

/// The key an import signs its checkpoints with, and how many records apart (`None`: one at
/// each chunk's end).
pub(super) type ImportSigning = Option<(SigningKey, Option<NonZeroU64>)>;

/// The body of `cz_campaign_import` and `cz_campaign_import_signed`: the arguments read, the
/// key made by `signing` (before the campaign is locked), the import run, and
/// `CZ_REFUSED_LINES` when lines were refused (the result written all the same).
///
/// # Safety
///
/// As `cz_campaign_import`.
pub(super) unsafe fn import_with(
    campaign: *mut cz_campaign,
    commands_jsonl: *const c_char,
    flags: u32,
    result_json_out: *mut *mut c_char,
    signing: impl FnOnce() -> Result<ImportSigning, u32>,
) -> cz_result {
    let mut refused = 0;
    // SAFETY: forwarded from the caller.
    let code = unsafe {
        with_out(result_json_out, "result_json_out", || {
            let jsonl = text(commands_jsonl, "commands_jsonl")?;
            known_flags(flags, CZ_IMPORT_KEEP_GOING)?;
            let key = signing()?;
            let signing = key
                .as_ref()
                .map(|(key, every)| Signing { key, every: *every });
            let mut c = lock(campaign)?;
            let keep_going = flags & CZ_IMPORT_KEEP_GOING != 0;
            let (json, n) = import(&mut c, jsonl, keep_going, signing)?;
            refused = n;
            Ok(owned(json))
        })
    };
    if code != CZ_OK || refused == 0 {
        return code;
    }
    fail(
        CZ_REFUSED_LINES,
        format!(
            "导入中有 {refused} 行被拒绝，详见结果中的 refused\n{refused} lines of the import were refused: see the result's refused list"
        ),
    )
}

/// The import behind `cz_campaign_import`, the same as the command-line tool's
/// (`ledger::import`): checked, then recorded in chunks (signed by `signing`'s key if given).
/// Its report as JSON, and how many lines were refused.
fn import(
    c: &mut Campaign,
    jsonl: &str,
    keep_going: bool,
    signing: Option<Signing<'_>>,
) -> Result<(String, u64), u32> {
    let options = ImportOptions::new().keep_going(keep_going);
    let input = std::io::Cursor::new(jsonl.as_bytes());
    let report =
        import_jsonl_signed(c, input, &options, signing, &mut |_| {}).map_err(|e| coded(&e))?;
    Ok((report.to_json(), report.refused_total))
}

/// `flags` holds no bit outside `known`, or `CZ_INVALID_ARGUMENT`.
pub(super) fn known_flags(flags: u32, known: u32) -> Result<(), u32> {
    if flags & !known == 0 {
        return Ok(());
    }
    Err(fail(
        CZ_INVALID_ARGUMENT,
        format!("参数 flags 含未知位 {flags:#x}\nargument flags has unknown bits {flags:#x}"),
    ))
}

/// Reads `len` borrowed C strings from `items`, each checked.
///
/// # Safety
///
/// `items` is NULL (then `len` is 0) or points to `len` pointers, each NULL or a valid
/// NUL-terminated string.
unsafe fn strings<'a>(
    items: *const *const c_char,
    len: usize,
    name: &str,
) -> Result<Vec<Option<&'a str>>, u32> {
    if len == 0 {
        return Ok(Vec::new());
    }
    if items.is_null() {
        return Err(null(name));
    }
    // SAFETY: `len` readable pointers per the contract.
    let slice = unsafe { std::slice::from_raw_parts(items, len) };
    let mut out = Vec::with_capacity(len);
    for (i, p) in slice.iter().enumerate() {
        if p.is_null() {
            out.push(None);
            continue;
        }
        // SAFETY: a valid NUL-terminated string per the contract.
        let c = unsafe { std::ffi::CStr::from_ptr(*p) };
        match c.to_str() {
            Ok(s) => out.push(Some(s)),
            // The argument's name is spelled out only on failure: no allocation per item.
            Err(_) => {
                return Err(fail(
                    super::CZ_INVALID_UTF8,
                    format!(
                        "参数 {name}[{i}] 不是有效的 UTF-8\nargument {name}[{i}] is not valid UTF-8"
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// Typed fast path for `record_reception` (接待来访): the same checks and record as the JSON
/// command, without JSON. `cadres` holds `cadres_len` member ids (the cadres on duty);
/// `actor_by` may be NULL. On success `*seq_out` (if not NULL) is the record's sequence number.
///
/// # Safety
///
/// `campaign` is a live handle; `actor_org` and `village` are valid NUL-terminated strings,
/// `actor_by` NULL or one; `cadres` points to `cadres_len` valid strings (or is NULL with
/// `cadres_len` 0); `seq_out` is NULL or valid to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_record_reception(
    campaign: *mut cz_campaign,
    at: cz_date,
    actor_org: *const c_char,
    actor_by: *const c_char,
    village: *const c_char,
    cadres: *const *const c_char,
    cadres_len: usize,
    visitors: u32,
    seq_out: *mut u64,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        run(campaign, seq_out, || {
            let at = civil(at, "at")?;
            let actor = actor(actor_org, actor_by)?;
            let village = id("event.village", text(village, "village")?)?;
            let cadres = strings(cadres, cadres_len, "cadres")?
                .into_iter()
                .enumerate()
                .map(|(i, s)| match s {
                    Some(s) => id("event.cadres", s),
                    None => Err(null(&format!("cadres[{i}]"))),
                })
                .collect::<Result<Vec<_>, u32>>()?;
            // Past the bound, the refusal this function gave before the list's type held it.
            let cadres = Bounded::new("event.cadres", cadres).map_err(|_| {
                coded(&ModelError::new(
                    "event.cadres",
                    crate::Reason::OutOfRange {
                        min: "1".into(),
                        max: crate::method123::MAX_CADRES_ON_DUTY.to_string(),
                    },
                ))
            })?;
            Ok(Command::new(
                Stamp::on(at),
                actor,
                Event::RecordReception(crate::method123::RecordReception {
                    village,
                    cadres,
                    visitors,
                }),
            ))
        })
    }
}

/// Typed fast path for `record_visit` (走访): a cadre's visit of a poor household.
///
/// # Safety
///
/// `campaign` is a live handle; `actor_org`, `cadre` and `household` are valid NUL-terminated
/// strings, `actor_by` NULL or one; `seq_out` is NULL or valid to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_record_visit(
    campaign: *mut cz_campaign,
    at: cz_date,
    actor_org: *const c_char,
    actor_by: *const c_char,
    cadre: *const c_char,
    household: *const c_char,
    seq_out: *mut u64,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        run(campaign, seq_out, || {
            let at = civil(at, "at")?;
            let actor = actor(actor_org, actor_by)?;
            let cadre = id("event.cadre", text(cadre, "cadre")?)?;
            let household = id("event.household", text(household, "household")?)?;
            Ok(Command::new(
                Stamp::on(at),
                actor,
                Event::RecordVisit(crate::method123::RecordVisit { cadre, household }),
            ))
        })
    }
}

/// Typed fast path for `report_progress` (月报): a published pledge's progress for the month
/// `year`-`month`. `achieved[i]` is the value achieved so far for target `i`, as a decimal
/// string (`"12.5"`), or NULL for a target not reported; `achieved_len` targets in all.
/// `flags` may hold `CZ_PROGRESS_CORRECTION`.
///
/// # Safety
///
/// `campaign` is a live handle; `actor_org` and `pledge` are valid NUL-terminated strings,
/// `actor_by` NULL or one; `achieved` points to `achieved_len` pointers, each NULL or a valid
/// string (or is NULL with `achieved_len` 0); `seq_out` is NULL or valid to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_report_progress(
    campaign: *mut cz_campaign,
    at: cz_date,
    actor_org: *const c_char,
    actor_by: *const c_char,
    pledge: *const c_char,
    year: i16,
    month: u8,
    achieved: *const *const c_char,
    achieved_len: usize,
    flags: u32,
    seq_out: *mut u64,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        run(campaign, seq_out, || {
            let at = civil(at, "at")?;
            let actor = actor(actor_org, actor_by)?;
            let pledge = id("event.pledge", text(pledge, "pledge")?)?;
            known_flags(flags, CZ_PROGRESS_CORRECTION)?;
            let month = Period::month(year, i8::try_from(month).unwrap_or(i8::MAX)).map_err(|e| {
                fail(
                    CZ_INVALID_ARGUMENT,
                    format!("参数 year/month 不是有效月份\narguments year/month are not a month: {e}"),
                )
            })?;
            let mut values = Vec::new();
            for (i, v) in strings(achieved, achieved_len, "achieved")?
                .into_iter()
                .enumerate()
            {
                let Some(v) = v else { continue };
                let value =
                    Quantity::parse_value("event.achieved.value", v).map_err(|e| coded(&e))?;
                values.push(Achieved {
                    target: u32::try_from(i).unwrap_or(u32::MAX),
                    value,
                });
            }
            Ok(Command::new(
                Stamp::on(at),
                actor,
                Event::ReportProgress(crate::pledge::ReportProgress {
                    pledge,
                    month,
                    achieved: Bounded::new("event.achieved", values).map_err(|e| coded(&e))?,
                    note: None,
                    correction: flags & CZ_PROGRESS_CORRECTION != 0,
                }),
            ))
        })
    }
}
