//! Workbooks: the stage report as an Excel workbook (bytes out, with their length, freed by
//! `cz_bytes_free`), and a filled template imported (bytes in).

use std::ffi::c_char;

use super::queries::{reading_arg, report_of};
use super::records::{CZ_IMPORT_KEEP_GOING, known_flags};
use super::{
    CZ_OK, CZ_REFUSED_LINES, boundary, coded, cz_campaign, cz_result, fail, lock, null, opt_text,
    owned, with_out,
};
use crate::ledger::ImportOptions;
use crate::sheets::import_workbook;

/// The stage report of `scope`'s subtree (NULL: the root) over `from`–`as_of` (as
/// `cz_campaign_report`), records placed by `attribution` (`CZ_ATTRIBUTION_AS_OF` or
/// `CZ_ATTRIBUTION_HISTORICAL`), as an Excel workbook (.xlsx; docs/report.md, "The workbook").
/// On success `*bytes_out` points to `*len_out` bytes, to be freed with `cz_bytes_free` (with
/// that length); on failure both are left as they were. Fails as `cz_campaign_report_with`
/// does, and with 5003 when the report passes a limit of the format (more villages than a
/// sheet has rows).
///
/// # Safety
///
/// `campaign` is a live handle; `scope`, `from` and `as_of` are NULL or valid NUL-terminated
/// strings; `bytes_out` and `len_out` are valid pointers to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_report_xlsx(
    campaign: *mut cz_campaign,
    scope: *const c_char,
    from: *const c_char,
    as_of: *const c_char,
    attribution: u32,
    bytes_out: *mut *mut u8,
    len_out: *mut usize,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_bytes_out(bytes_out, len_out, || {
            let reading = reading_arg(attribution)?;
            let report = report_of(campaign, scope, from, as_of, reading)?;
            report.to_xlsx().map_err(|e| coded(&e))
        })
    }
}

/// Runs `body` inside the panic boundary and, on success, hands its bytes to the caller:
/// `*bytes_out` and `*len_out` (both checked for NULL first, written only on success), to be
/// freed with `cz_bytes_free`.
///
/// # Safety
///
/// `bytes_out` and `len_out` are NULL or valid pointers to write to.
pub(super) unsafe fn with_bytes_out(
    bytes_out: *mut *mut u8,
    len_out: *mut usize,
    body: impl FnOnce() -> Result<Vec<u8>, u32>,
) -> cz_result {
    boundary(|| {
        if bytes_out.is_null() {
            return null("bytes_out");
        }
        if len_out.is_null() {
            return null("len_out");
        }
        match body() {
            Ok(bytes) => {
                let len = bytes.len();
                let raw = Box::into_raw(bytes.into_boxed_slice()).cast::<u8>();
                // SAFETY: both checked non-NULL; valid per the caller's contract.
                unsafe {
                    bytes_out.write(raw);
                    len_out.write(len);
                }
                CZ_OK
            }
            Err(code) => code,
        }
    })
}

/// Frees bytes returned by this library, given with the length returned beside them. NULL does
/// nothing.
///
/// # Safety
///
/// `bytes` is NULL or a pointer this library returned with `len`, not freed before, not used
/// afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_bytes_free(bytes: *mut u8, len: usize) {
    if bytes.is_null() {
        return;
    }
    // SAFETY: made by `Box::into_raw` of a boxed slice of `len` bytes, freed once per the
    // contract.
    drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(bytes, len)) });
}

/// Imports a filled workbook (.xlsx: `len` bytes at `bytes`; docs/sheets.md) into the campaign:
/// each row of each sheet of a known kind becomes a command, checked and recorded as
/// `cz_campaign_import` does; rows that leave 填报单位编号 blank act as `actor` (NULL: such rows
/// are refused). All or nothing by default; `CZ_IMPORT_KEEP_GOING` in `flags` records the rows
/// that pass.
///
/// When the workbook was read, `*result_json_out` is a new string, freed with
/// `cz_string_free`: `{"recorded": n, "seq": s, "refused": [{"sheet": "走访登记", "row": 12,
/// "column": "日期", "code": 6004, "message": "…", "message_zh": "…", "message_en": "…"}],
/// "refused_total": n, "sheets": [{"name", "kind", "rows"}], "skipped": [...]}` (at most 10000
/// refusals of the rows read and 10000 of the ledger's listed, all counted); the call returns
/// `CZ_OK` when no row was refused and `CZ_REFUSED_LINES` (the result written all the same) when
/// any was. It fails
/// with 6001 (not a workbook that can be read: a CSV renamed, a truncated or encrypted file),
/// 6002 (past a limit, docs/limits.md), 6003 (no sheet of a known kind), 6005 (a sheet lacks a
/// column every row needs), or a journal failure; the journal is untouched by a workbook that
/// cannot be read.
///
/// # Safety
///
/// `campaign` is a live handle; `bytes` points to `len` readable bytes (or is NULL with `len`
/// 0); `actor` is NULL or a valid NUL-terminated string; `result_json_out` is a valid pointer to
/// write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_import_xlsx(
    campaign: *mut cz_campaign,
    bytes: *const u8,
    len: usize,
    actor: *const c_char,
    flags: u32,
    result_json_out: *mut *mut c_char,
) -> cz_result {
    let mut refused = 0;
    // SAFETY: forwarded from the caller.
    let code = unsafe {
        with_out(result_json_out, "result_json_out", || {
            if bytes.is_null() && len > 0 {
                return Err(null("bytes"));
            }
            let data: &[u8] = match len {
                0 => &[],
                // SAFETY: `len` readable bytes per the contract.
                _ => std::slice::from_raw_parts(bytes, len),
            };
            let actor = opt_text(actor, "actor")?;
            known_flags(flags, CZ_IMPORT_KEEP_GOING)?;
            let options = ImportOptions::new().keep_going(flags & CZ_IMPORT_KEEP_GOING != 0);
            let mut c = lock(campaign)?;
            let report = import_workbook(&mut c, data, actor, &options).map_err(|e| coded(&e))?;
            refused = report.refused_total;
            Ok(owned(report.to_json()))
        })
    };
    if code != CZ_OK || refused == 0 {
        return code;
    }
    fail(
        CZ_REFUSED_LINES,
        format!(
            "工作簿中有 {refused} 行被拒绝，详见结果中的 refused\n{refused} rows of the workbook were refused: see the result's refused list"
        ),
    )
}
