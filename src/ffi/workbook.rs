//! The stage report as an Excel workbook: bytes out, with their length, freed by
//! `cz_bytes_free`.

use std::ffi::c_char;

use super::queries::{reading_arg, report_of};
use super::{CZ_OK, boundary, coded, cz_campaign, cz_result, null};

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
    boundary(|| {
        if bytes_out.is_null() {
            return null("bytes_out");
        }
        if len_out.is_null() {
            return null("len_out");
        }
        let body = || {
            let reading = reading_arg(attribution)?;
            // SAFETY: forwarded from the caller.
            let report = unsafe { report_of(campaign, scope, from, as_of, reading) }?;
            report.to_xlsx().map_err(|e| coded(&e))
        };
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
