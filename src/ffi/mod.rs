//! The C ABI: campaign handles, commands in (JSON, JSON Lines, or typed fast paths for the
//! highest-volume records), pledges, evaluations, the stage report and the audit out; errors
//! with stable codes and a readable last-error message.
//!
//! Conventions (after rustls-ffi):
//!
//! - Every function is `cz_`-prefixed. Handles are opaque (`cz_campaign`), created by a
//!   `_new`/`_open`/`_open_read_only`/`_create`/`_replay`/`_from_snapshot` function and released by exactly one
//!   `cz_campaign_free`; `_free(NULL)` does nothing.
//! - Fallible functions return a `uint32_t` result: `0` (`CZ_OK`) on success, else a code.
//!   Codes below 1000 are the ABI's own (a NULL pointer, invalid UTF-8, a panic, unreadable
//!   JSON, a bad argument); codes from 1000 up are the library's error codes
//!   (docs/events.md). Outputs go through `*_out` pointers, written only on success.
//! - `cz_last_error_code` and `cz_last_error_message` tell of the last fallible call on the
//!   calling thread: after a failure, its code and message (Chinese, a newline, English);
//!   after a success, `CZ_OK` and an empty message. Reading either changes nothing (reading
//!   the code does not invalidate the message). `cz_version`, `cz_string_free`,
//!   `cz_campaign_free` and the two readers themselves leave them as they were.
//! - `CZ_REFUSED_LINES` is the one code that comes with its output written: an import whose
//!   result lists refused lines.
//! - Keys (checkpoints: `cz_campaign_checkpoint`, `cz_campaign_import_signed`,
//!   `cz_journal_verify_signed`) are passed to each call as `alg` (`"sm2"` or `"hmac-sm3"`),
//!   `key` and `key_len`, borrowed for the call and never stored. Their codes: 4012 a key that
//!   cannot be used, 4013 a checkpoint whose signature fails, 4014 records after the last
//!   checkpoint that verifies, 4015 a checkpoint before any record.
//! - Strings are NUL-terminated UTF-8; a string the library returns is freed with
//!   `cz_string_free` and nothing else; strings the caller passes are only borrowed, never
//!   freed or kept.
//! - Dates are `cz_date` values (year, month, day) or `"YYYY-MM-DD"` strings; decimals are
//!   decimal strings (`"12.5"`), never doubles.
//! - No panic crosses the boundary: every body runs inside `catch_unwind`, and a panic becomes
//!   `CZ_PANIC`.
//! - Thread safety: a `cz_campaign` is internally synchronized. Any number of threads may call
//!   functions on one handle at once; each call runs alone on it (a mutex), in the order the
//!   calls take the lock. Freeing a handle while another thread uses it is undefined.

use std::cell::{Cell, RefCell};
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, MutexGuard};

use crate::Coded;
use crate::ledger::{Campaign, CampaignInfo, OpenOptions};
use crate::rules::RuleSet;

mod checkpoint;
mod integrity;
mod queries;
mod records;
mod rollup;
mod workbook;

pub use checkpoint::*;
pub use integrity::*;
pub use queries::*;
pub use records::*;
pub use rollup::*;

/// The major version of the library (the header's copy is tested against Cargo.toml).
pub const CZ_VERSION_MAJOR: u32 = 0;
/// The minor version.
pub const CZ_VERSION_MINOR: u32 = 1;
/// The patch version.
pub const CZ_VERSION_PATCH: u32 = 0;

/// The result of every fallible call: `CZ_OK`, one of the ABI's own codes below, or a library
/// error code from 1000 up (docs/events.md). After a failure, `cz_last_error_code` returns it
/// again and `cz_last_error_message` says why.
#[allow(non_camel_case_types)]
pub type cz_result = u32;

/// Success.
pub const CZ_OK: cz_result = 0;
/// A required pointer argument was NULL.
pub const CZ_NULL_ARGUMENT: cz_result = 1;
/// A string argument was not valid UTF-8.
pub const CZ_INVALID_UTF8: cz_result = 2;
/// The library panicked: a bug. A handle a panic interrupted refuses every later call with this
/// code; free it and reopen from the journal.
pub const CZ_PANIC: cz_result = 3;
/// A JSON argument without a library code of its own could not be read (the campaign info; the
/// message names the field). Commands, rule sets, snapshots and claims have theirs: 3001, 2001,
/// 4008 and 5001.
pub const CZ_INVALID_JSON: cz_result = 4;
/// An argument is out of its range: a date that does not exist, an unknown format (the message
/// names the argument).
pub const CZ_INVALID_ARGUMENT: cz_result = 5;

/// The campaign holds nothing to answer with yet: no record (so no latest date, and no default
/// as-of date for a report), or no organization to report on.
pub const CZ_NO_RECORD: cz_result = 6;
/// `cz_campaign_import`: lines were refused. Its result JSON is written all the same and lists
/// them; with `CZ_IMPORT_KEEP_GOING` the other lines were recorded, without it none was.
pub const CZ_REFUSED_LINES: cz_result = 7;

/// A civil date, as the typed functions take it. The library checks it (2010-02-30 is refused
/// with `CZ_INVALID_ARGUMENT`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct cz_date {
    /// The year, e.g. 2010.
    pub year: i16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
}

/// A campaign: its rules, its state and (when opened or created on a file) its journal.
///
/// Internally synchronized: any number of threads may use one handle at once, each call
/// running alone on it. Free it once, with `cz_campaign_free`, when no thread uses it.
#[allow(non_camel_case_types)]
pub struct cz_campaign {
    _private: [u8; 0],
}

/// What a `cz_campaign` points to.
struct Handle {
    campaign: Mutex<Campaign>,
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
    static LAST_CODE: Cell<u32> = const { Cell::new(0) };
}

fn set_last_error(code: u32, message: &str) {
    // A message can quote the caller's input (a JSON key decoded from `\u0000`, say), and a C
    // string ends at its first NUL: cutting there would drop the rest of the message, the
    // English line with it. Each NUL is written as JSON would write it instead.
    let text = CString::new(message.replace('\0', "\\u0000")).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = text);
    LAST_CODE.with(|c| c.set(code));
}

fn fail(code: u32, message: String) -> u32 {
    set_last_error(code, &message);
    code
}

fn coded<E: Coded>(e: &E) -> u32 {
    fail(e.code(), format!("{}\n{}", e.message_zh(), e.message_en()))
}

fn null(name: &str) -> u32 {
    fail(
        CZ_NULL_ARGUMENT,
        format!("参数 {name} 为空指针\nargument {name} is NULL"),
    )
}

/// Runs `body` inside the panic boundary. A call that succeeds clears the thread's last error,
/// so `cz_last_error_code` always tells of the last call.
fn boundary(body: impl FnOnce() -> u32) -> u32 {
    let code = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(code) => code,
        Err(_) => fail(
            CZ_PANIC,
            "内部错误（panic），请报告\ninternal error (panic); please report it".into(),
        ),
    };
    if code == CZ_OK {
        set_last_error(CZ_OK, "");
    }
    code
}

/// Runs `body` inside the panic boundary and, on success, writes its value to `out` (checked
/// for NULL first, and written only on success).
///
/// # Safety
///
/// `out` is NULL or a valid pointer to write to.
unsafe fn with_out<T>(out: *mut T, name: &str, body: impl FnOnce() -> Result<T, u32>) -> u32 {
    boundary(|| {
        if out.is_null() {
            return null(name);
        }
        match body() {
            Ok(v) => {
                // SAFETY: checked non-NULL; valid per the caller's contract.
                unsafe { out.write(v) };
                CZ_OK
            }
            Err(code) => code,
        }
    })
}

/// Reads a borrowed C string as UTF-8.
///
/// # Safety
///
/// `s` is NULL or a valid NUL-terminated string.
unsafe fn text<'a>(s: *const c_char, name: &str) -> Result<&'a str, u32> {
    if s.is_null() {
        return Err(null(name));
    }
    // SAFETY: the caller guarantees a valid NUL-terminated string.
    let c = unsafe { CStr::from_ptr(s) };
    c.to_str().map_err(|_| {
        fail(
            CZ_INVALID_UTF8,
            format!("参数 {name} 不是有效的 UTF-8\nargument {name} is not valid UTF-8"),
        )
    })
}

/// Reads an optional borrowed C string (NULL: `None`).
///
/// # Safety
///
/// `s` is NULL or a valid NUL-terminated string.
unsafe fn opt_text<'a>(s: *const c_char, name: &str) -> Result<Option<&'a str>, u32> {
    if s.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded.
        unsafe { text(s, name) }.map(Some)
    }
}

/// A string for the caller, to be freed with `cz_string_free`.
fn owned(s: String) -> *mut c_char {
    // The library's JSON and text never hold NUL; if some did, cut there rather than fail.
    let s = match s.find('\0') {
        Some(i) => s[..i].to_string(),
        None => s,
    };
    CString::new(s).unwrap_or_default().into_raw()
}

fn campaign_info(json: &str) -> Result<CampaignInfo, u32> {
    let de = &mut serde_json::Deserializer::from_str(json);
    crate::json_error::read_whole(de, "活动信息").map_err(|d| {
        fail(
            CZ_INVALID_JSON,
            format!(
                "活动信息无法解析，{}\ncampaign info cannot be read, field {}: {}{}",
                d.zh,
                d.path,
                d.en,
                d.en_column()
            ),
        )
    })
}

/// # Safety
///
/// `rules` is NULL or a valid NUL-terminated string.
unsafe fn rules_from(rules: *const c_char) -> Result<RuleSet, u32> {
    if rules.is_null() {
        return Ok(RuleSet::default());
    }
    // SAFETY: forwarded from the caller.
    let json = unsafe { text(rules, "rules_json") }?;
    RuleSet::from_json(json).map_err(|e| coded(&e))
}

/// Wraps a campaign made in Rust in a C handle, to be freed with `cz_campaign_free`: for Rust
/// hosts that hand a campaign to C code, and for measuring the ABI from Rust.
pub fn into_raw_handle(c: Campaign) -> *mut cz_campaign {
    into_handle(c)
}

fn into_handle(c: Campaign) -> *mut cz_campaign {
    Box::into_raw(Box::new(Handle {
        campaign: Mutex::new(c),
    }))
    .cast()
}

/// Makes a campaign with `make` and writes its new handle to `out`, inside the panic boundary;
/// `out` is checked first and written only on success.
///
/// # Safety
///
/// `out` is NULL or a valid pointer to write to.
unsafe fn new_handle(
    out: *mut *mut cz_campaign,
    make: impl FnOnce() -> Result<Campaign, u32>,
) -> u32 {
    // SAFETY: forwarded.
    unsafe { with_out(out, "campaign_out", || make().map(into_handle)) }
}

/// Locks the campaign behind a handle.
///
/// # Safety
///
/// `c` is NULL or a live handle from this library, not freed while in use.
unsafe fn lock<'a>(c: *const cz_campaign) -> Result<MutexGuard<'a, Campaign>, u32> {
    if c.is_null() {
        return Err(null("campaign"));
    }
    // SAFETY: the caller guarantees a live handle made by `into_handle`.
    let handle = unsafe { &*c.cast::<Handle>() };
    handle.campaign.lock().map_err(|_| {
        fail(
            CZ_PANIC,
            "此句柄曾在内部错误中中断，不能再用；请释放后从日志重新打开\nthis handle was \
             interrupted by an internal error and cannot be used again; free it and reopen the \
             journal"
                .into(),
        )
    })
}

/// The library's version, e.g. `"0.1.0"`: a static string, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn cz_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// The message of the last fallible call on this thread if it failed (Chinese, a newline,
/// English); an empty string after a success or before any call. Where it quotes input holding
/// a NUL character, the NUL is written `\u0000`. Valid until the next fallible call into the
/// library on this thread (reading `cz_last_error_code` does not end it); never freed.
#[unsafe(no_mangle)]
pub extern "C" fn cz_last_error_message() -> *const c_char {
    LAST_ERROR.with(|e| e.borrow().as_ptr())
}

/// The code of the last fallible call on this thread: `CZ_OK` after a success (or before any
/// call), else the code it failed with.
#[unsafe(no_mangle)]
pub extern "C" fn cz_last_error_code() -> cz_result {
    LAST_CODE.with(Cell::get)
}

/// A campaign without a journal file. `info_json` is `{"id": "…", "name": "…"}`; `rules_json`
/// is a rule set (docs/rules.md) or NULL for the defaults. On success `*campaign_out` is a new
/// handle, to be freed with `cz_campaign_free`.
///
/// # Safety
///
/// `info_json` is a valid NUL-terminated string; `rules_json` is NULL or one;
/// `campaign_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_new(
    info_json: *const c_char,
    rules_json: *const c_char,
    campaign_out: *mut *mut cz_campaign,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        new_handle(campaign_out, || {
            let info = campaign_info(text(info_json, "info_json")?)?;
            let rules = rules_from(rules_json)?;
            Campaign::in_memory(info, rules).map_err(|e| coded(&e))
        })
    }
}

/// Opens the journal at `path`, verifying and replaying it (a torn last record is dropped and
/// saved beside it). On success `*campaign_out` is a new handle holding the journal locked.
///
/// # Safety
///
/// `path` is a valid NUL-terminated string; `campaign_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_open(
    path: *const c_char,
    campaign_out: *mut *mut cz_campaign,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        new_handle(campaign_out, || {
            let p = text(path, "path")?;
            Campaign::open(p, OpenOptions::default())
                .map(|(c, _)| c)
                .map_err(|e| coded(&e))
        })
    }
}

/// Creates a journal at `path` (never overwriting a file) for the campaign `info_json` under
/// `rules_json` (NULL: the defaults). On success `*campaign_out` is a new handle.
///
/// # Safety
///
/// `path` and `info_json` are valid NUL-terminated strings; `rules_json` is NULL or one;
/// `campaign_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_create(
    path: *const c_char,
    info_json: *const c_char,
    rules_json: *const c_char,
    campaign_out: *mut *mut cz_campaign,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        new_handle(campaign_out, || {
            let p = text(path, "path")?;
            let info = campaign_info(text(info_json, "info_json")?)?;
            let rules = rules_from(rules_json)?;
            Campaign::create(p, info, rules).map_err(|e| coded(&e))
        })
    }
}

/// The sequence number of the campaign's last record (0 before any), written to `*seq_out`.
/// Fails with `CZ_NULL_ARGUMENT` for a NULL handle or `seq_out`, and `CZ_PANIC` for a handle an
/// earlier panic made unusable, so an empty campaign (0) is never mistaken for a broken one.
///
/// # Safety
///
/// `campaign` is NULL or a live handle; `seq_out` is NULL or a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_seq(
    campaign: *const cz_campaign,
    seq_out: *mut u64,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe { with_out(seq_out, "seq_out", || Ok(lock(campaign)?.seq())) }
}

/// Frees a campaign (closing and unlocking its journal). NULL does nothing.
///
/// # Safety
///
/// `campaign` is NULL or a live handle, not used again afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_free(campaign: *mut cz_campaign) {
    if campaign.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: made by `into_handle`, freed once per the contract.
        drop(unsafe { Box::from_raw(campaign.cast::<Handle>()) });
    }));
}

/// Frees a string returned by this library. NULL does nothing.
///
/// # Safety
///
/// `s` is NULL or a string from this library, not freed before, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    // SAFETY: made by `CString::into_raw` here, freed once per the contract.
    drop(unsafe { CString::from_raw(s) });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_constants_match_cargo_toml() {
        let v = |s: &str| s.parse::<u32>().unwrap();
        assert_eq!(CZ_VERSION_MAJOR, v(env!("CARGO_PKG_VERSION_MAJOR")));
        assert_eq!(CZ_VERSION_MINOR, v(env!("CARGO_PKG_VERSION_MINOR")));
        assert_eq!(CZ_VERSION_PATCH, v(env!("CARGO_PKG_VERSION_PATCH")));
        // SAFETY: a static NUL-terminated string.
        let text = unsafe { CStr::from_ptr(cz_version()) }.to_str().unwrap();
        assert_eq!(text, env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn a_campaign_through_the_abi() {
        let s = |t: &str| CString::new(t).unwrap();
        let info = s(r#"{"id":"c","name":"测试"}"#);
        let mut c: *mut cz_campaign = std::ptr::null_mut();
        // SAFETY: valid strings and out pointer.
        assert_eq!(
            unsafe { cz_campaign_new(info.as_ptr(), std::ptr::null(), &mut c) },
            CZ_OK
        );
        let root = s(
            r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"city_committee"}}}"#,
        );
        let mut seq = 0u64;
        // SAFETY: a live handle, valid strings.
        assert_eq!(
            unsafe { cz_campaign_execute(c, root.as_ptr(), &mut seq) },
            CZ_OK
        );
        assert_eq!(seq, 1);
        // A refused command: its code, its message, nothing changed.
        // SAFETY: as above.
        let code = unsafe { cz_campaign_execute(c, root.as_ptr(), &mut seq) };
        assert_eq!(code, 3006);
        // SAFETY: a static thread-local string.
        let msg = unsafe { CStr::from_ptr(cz_last_error_message()) }
            .to_str()
            .unwrap();
        assert!(msg.contains("root"), "{msg}");
        let mut now = 0;
        assert_eq!(unsafe { cz_campaign_seq(c, &mut now) }, CZ_OK);
        assert_eq!(now, 1);
        assert_eq!(
            cz_last_error_code(),
            CZ_OK,
            "a success clears the last error"
        );
        let bad = s("{");
        assert_eq!(
            unsafe { cz_campaign_execute(c, bad.as_ptr(), &mut seq) },
            3001
        );
        assert_eq!(
            unsafe { cz_campaign_execute(c, std::ptr::null(), &mut seq) },
            CZ_NULL_ARGUMENT
        );
        let invalid = [0xffu8, 0];
        assert_eq!(
            unsafe { cz_campaign_execute(c, invalid.as_ptr().cast(), &mut seq) },
            CZ_INVALID_UTF8
        );
        let mut json: *mut c_char = std::ptr::null_mut();
        assert_eq!(unsafe { cz_campaign_state_json(c, &mut json) }, CZ_OK);
        let state = unsafe { CStr::from_ptr(json) }
            .to_str()
            .unwrap()
            .to_string();
        assert!(state.contains("\"city\""));
        unsafe { cz_string_free(json) };
        unsafe { cz_campaign_free(c) };
        // NULLs do nothing.
        unsafe { cz_campaign_free(std::ptr::null_mut()) };
        unsafe { cz_string_free(std::ptr::null_mut()) };
        // Bad info and bad rules name their field.
        let bad_info = s(r#"{"id":""}"#);
        assert_eq!(
            unsafe { cz_campaign_new(bad_info.as_ptr(), std::ptr::null(), &mut c) },
            CZ_INVALID_JSON
        );
        let bad_rules = s(r#"{"version":1,"name":"t","method123":{"receptions_per_week":0}}"#);
        assert_eq!(
            unsafe { cz_campaign_new(info.as_ptr(), bad_rules.as_ptr(), &mut c) },
            2109
        );
        let msg = unsafe { CStr::from_ptr(cz_last_error_message()) }
            .to_str()
            .unwrap();
        assert!(msg.contains("method123.receptions_per_week"));
        let zh = msg.split('\n').next().unwrap_or("");
        assert_eq!(crate::json_error::ascii_punctuation(zh), None, "{msg}");
    }

    /// A message quoting input that decodes to a NUL (a JSON key `"a\u0000b"`) keeps both its
    /// lines: the NUL is written `\u0000`, not taken for the end of the C string.
    #[test]
    fn a_nul_in_quoted_input_does_not_cut_the_message() {
        let s = |t: &str| CString::new(t).unwrap();
        let last = || {
            // SAFETY: the thread's last-error string, read before the next call.
            unsafe { CStr::from_ptr(cz_last_error_message()) }
                .to_str()
                .unwrap()
                .to_string()
        };
        let whole = |msg: &str, en: &str| {
            let (zh, rest) = msg.split_once('\n').expect("two lines");
            assert!(!zh.is_ascii() && rest.contains(en), "{msg}");
            assert_eq!(crate::json_error::ascii_punctuation(zh), None, "{msg}");
            assert!(msg.contains(r"a\u0000b"), "the field is named: {msg}");
        };
        let mut c: *mut cz_campaign = std::ptr::null_mut();
        // A field of the campaign's info, of a command, of a rule set.
        let info = s(r#"{"id":"c","name":"n","a\u0000b":{"x":[}}"#);
        // SAFETY: valid strings and out pointer.
        let rc = unsafe { cz_campaign_new(info.as_ptr(), std::ptr::null(), &mut c) };
        assert_eq!(rc, CZ_INVALID_JSON);
        assert!(c.is_null());
        whole(&last(), "campaign info cannot be read");
        let good = s(r#"{"id":"c","name":"n"}"#);
        let rules = s(r#"{"version":1,"a\u0000b":{"x":[}}"#);
        // SAFETY: as above.
        let rc = unsafe { cz_campaign_new(good.as_ptr(), rules.as_ptr(), &mut c) };
        assert_ne!(rc, CZ_OK);
        assert_eq!(cz_last_error_code(), rc);
        whole(&last(), "");
        // SAFETY: as above.
        assert_eq!(
            unsafe { cz_campaign_new(good.as_ptr(), std::ptr::null(), &mut c) },
            CZ_OK
        );
        let command = s(r#"{"at":"2010-05-01","actor":{"org":"x"},"event":{"a\u0000b":[}}"#);
        let mut seq = 0u64;
        // SAFETY: a live handle, valid strings.
        let rc = unsafe { cz_campaign_execute(c, command.as_ptr(), &mut seq) };
        assert_ne!(rc, CZ_OK);
        whole(&last(), "");
        // SAFETY: the handle, once.
        unsafe { cz_campaign_free(c) };
    }
}
