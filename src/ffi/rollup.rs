//! Rollups across machines: a journal opened read-only from its path, a scope's figures alone
//! (JSON, docs/report.md "Figures alone"), their merge, and the report of merged figures.

use std::ffi::c_char;

use super::queries::{format_arg, reading_arg, rendered, with_scope};
use super::{
    CZ_OK, coded, cz_campaign, cz_result, fail, new_handle, null, opt_text, owned, text, with_out,
};
use crate::ledger::Campaign;
use crate::model::Name;
use crate::report::{FiguresDoc, StageReport};

/// Opens the journal at `path` to read it only, streaming it from the file (never loading it
/// whole): every record verified and replayed, nothing ever written. A torn last line is
/// reported, not cut. The campaign refuses every command and checkpoint (4016). It takes a
/// shared lock while it reads; when a writer holds the journal it reads, without a lock, the
/// records there when it opened. On success `*campaign_out` is a new handle and, when
/// `report_out` is not NULL, `*report_out` a new string: `{"records": N, "torn_tail": null,
/// "snapshot": null, "snapshot_skipped": null}`, with `"torn_tail": {"offset": O, "len": L}` for
/// the bytes of a last line without its newline, `"snapshot": S` when it was opened from the
/// snapshot beside the journal (`cz_campaign_save_snapshot`) holding its first S records, and
/// `"snapshot_skipped": "why"` when a snapshot there could not be used (the journal was then
/// replayed whole).
///
/// # Safety
///
/// `path` is a valid NUL-terminated string; `campaign_out` is a valid pointer to write to;
/// `report_out` is NULL or one.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_open_read_only(
    path: *const c_char,
    campaign_out: *mut *mut cz_campaign,
    report_out: *mut *mut c_char,
) -> cz_result {
    let mut report = None;
    // SAFETY: forwarded from the caller.
    let code = unsafe {
        new_handle(campaign_out, || {
            let p = text(path, "path")?;
            let (campaign, replayed) = Campaign::open_read_only(p).map_err(|e| coded(&e))?;
            let torn = replayed
                .torn_tail
                .map(|t| serde_json::json!({"offset": t.offset, "len": t.len}));
            report = Some(serde_json::json!({
                "records": replayed.records,
                "torn_tail": torn,
                "snapshot": replayed.snapshot,
                "snapshot_skipped": replayed.snapshot_skipped,
            }));
            Ok(campaign)
        })
    };
    if code == CZ_OK
        && !report_out.is_null()
        && let Some(r) = report
    {
        // SAFETY: checked non-NULL; valid per the caller's contract.
        unsafe { report_out.write(owned(r.to_string())) };
    }
    code
}

/// The figures of `scope`'s subtree (NULL: the root) over `from`–`as_of` (as
/// `cz_campaign_report`), records placed by `attribution`, alone: the mergeable counts and what
/// they were computed under (docs/report.md, "Figures alone"). On success `*json_out` is a new
/// string.
///
/// # Safety
///
/// `campaign` is a live handle; `scope`, `from` and `as_of` are NULL or valid NUL-terminated
/// strings; `json_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_figures(
    campaign: *mut cz_campaign,
    scope: *const c_char,
    from: *const c_char,
    as_of: *const c_char,
    attribution: u32,
    json_out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_out(json_out, "json_out", || {
            let reading = reading_arg(attribution)?;
            with_scope(campaign, (scope, from, as_of), |c, root, span| {
                owned(FiguresDoc::of(c, root, span, reading).to_json())
            })
        })
    }
}

/// Adds up `count` figures documents (`docs[0]`…`docs[count - 1]`, each as
/// `cz_campaign_figures` or an earlier merge writes it) into one; `title` (NULL: none) names the
/// whole for its report. Fails with 5004 for a document that cannot be read (naming which),
/// 5005 for figures computed under different terms, 5006 for scopes that overlap, and a title
/// that is not a name with the name's codes (1001 empty, 1002 too long, 1003 a control
/// character, 1011 surrounding white space). A merge of scopes without a common parent and no
/// title succeeds; only its report needs a name (5007). On success
/// `*json_out` is a new string.
///
/// # Safety
///
/// `docs` points to `count` valid NUL-terminated strings (NULL only when `count` is 0);
/// `title` is NULL or a valid NUL-terminated string; `json_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_figures_merge(
    docs: *const *const c_char,
    count: usize,
    title: *const c_char,
    json_out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_out(json_out, "json_out", || {
            if docs.is_null() && count > 0 {
                return Err(null("docs"));
            }
            let title = match opt_text(title, "title")? {
                Some(t) => Some(Name::new("title", t).map_err(|e| coded(&e))?),
                None => None,
            };
            let mut read = Vec::with_capacity(count.min(1 << 16));
            for i in 0..count {
                let json = text(*docs.add(i), &format!("docs[{i}]"))?;
                read.push(FiguresDoc::from_json(json).map_err(|e| in_doc(i, &e))?);
            }
            let merged = FiguresDoc::merge(&read, title).map_err(|e| coded(&e))?;
            Ok(owned(merged.to_json()))
        })
    }
}

/// `e`, found in `docs[i]`.
fn in_doc(i: usize, e: &crate::report::FiguresError) -> u32 {
    use crate::Coded;
    fail(
        e.code(),
        format!(
            "docs[{i}]：{}\ndocs[{i}]: {}",
            e.message_zh(),
            e.message_en()
        ),
    )
}

/// The report of a figures document (one scope, or a merge) in `format` (`CZ_FORMAT_JSON`,
/// `CZ_FORMAT_TEXT` or `CZ_FORMAT_HTML`): its rates and amounts computed from its counts, each
/// scope of a merge a row of 附表一. Fails with 5004 for a document that cannot be read, 5007
/// for a merge of scopes without a common parent and no title. On success `*out` is a new
/// string.
///
/// # Safety
///
/// `figures_json` is a valid NUL-terminated string; `out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_figures_report(
    figures_json: *const c_char,
    format: u32,
    out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_out(out, "out", || {
            format_arg(format)?;
            Ok(rendered(&figures_report(figures_json)?, format))
        })
    }
}

/// The report of a figures document as an Excel workbook (as `cz_campaign_report_xlsx`): on
/// success `*bytes_out` points to `*len_out` bytes, to be freed with `cz_bytes_free`.
///
/// # Safety
///
/// `figures_json` is a valid NUL-terminated string; `bytes_out` and `len_out` are valid
/// pointers to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_figures_report_xlsx(
    figures_json: *const c_char,
    bytes_out: *mut *mut u8,
    len_out: *mut usize,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        super::workbook::with_bytes_out(bytes_out, len_out, || {
            figures_report(figures_json)?
                .to_xlsx()
                .map_err(|e| coded(&e))
        })
    }
}

/// The report of the figures document `figures_json`.
///
/// # Safety
///
/// `figures_json` is NULL or a valid NUL-terminated string.
unsafe fn figures_report(figures_json: *const c_char) -> Result<StageReport, u32> {
    // SAFETY: forwarded from the caller.
    let json = unsafe { text(figures_json, "figures_json") }?;
    let doc = FiguresDoc::from_json(json).map_err(|e| coded(&e))?;
    StageReport::from_figures(&doc).map_err(|e| coded(&e))
}
