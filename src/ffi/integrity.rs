//! Integrity: the last hash of a campaign (the anchor a host keeps apart from its journal), and
//! verifying a journal file against the anchors it kept.

use std::ffi::c_char;

use super::{
    CZ_INVALID_ARGUMENT, coded, cz_campaign, cz_result, fail, lock, opt_text, owned, text, with_out,
};
use crate::ledger::{Anchors, Campaign, Hash, VerifyingKey, hash_from_hex, hash_hex};

/// The hash of the campaign's last record (its header's before any record), as 64 lowercase hex
/// digits: the anchor to keep apart from the journal and pass to `cz_journal_verify` later.
/// On success `*hash_out` is a new string, to be freed with `cz_string_free`.
///
/// # Safety
///
/// `campaign` is a live handle; `hash_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_last_hash(
    campaign: *mut cz_campaign,
    hash_out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_out(hash_out, "hash_out", || {
            Ok(owned(hash_hex(&lock(campaign)?.last_hash())))
        })
    }
}

/// Verifies the journal file at `path`, reading only (no lock taken, nothing written): every
/// seal checked, every record replayed under its rules, every byte of the file accounted for,
/// and its end compared with the anchors given: `expect_last_hash` (64 lowercase hex digits,
/// or NULL) and `*expect_seq` (or NULL).
///
/// On success (the journal is whole and every anchor holds) `*report_out` is a new JSON string,
/// `{"records":…,"last_seq":…,"last_hash":"…","latest_date":"…"|null}`, to be freed with
/// `cz_string_free`. Fails with 4011 when an anchor differs (a journal cut at a record boundary,
/// resealed, or another one), 4010 when bytes at its end belong to no record (a last line cut
/// short), 4004–4006 when a record fails, 4001 when the file cannot be read; the message names
/// every problem found, in Chinese then English. `CZ_INVALID_ARGUMENT` for an anchor hash that
/// is not 64 lowercase hex digits.
///
/// # Safety
///
/// `path` is a valid NUL-terminated string; `expect_last_hash` is NULL or one; `expect_seq` is
/// NULL or a valid pointer to read; `report_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_journal_verify(
    path: *const c_char,
    expect_last_hash: *const c_char,
    expect_seq: *const u64,
    report_out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe { verify_with(path, expect_last_hash, expect_seq, report_out, || Ok(None)) }
}

/// The body of `cz_journal_verify` and `cz_journal_verify_signed`: the arguments read, the key
/// made by `key` (if any), the journal verified, its report written.
///
/// # Safety
///
/// As `cz_journal_verify`.
pub(super) unsafe fn verify_with(
    path: *const c_char,
    expect_last_hash: *const c_char,
    expect_seq: *const u64,
    report_out: *mut *mut c_char,
    key: impl FnOnce() -> Result<Option<VerifyingKey>, u32>,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_out(report_out, "report_out", || {
            let path = text(path, "path")?;
            let last_hash = match opt_text(expect_last_hash, "expect_last_hash")? {
                None => None,
                Some(h) => Some(anchor_hash(h)?),
            };
            // SAFETY: NULL or valid to read, per the contract.
            let seq = (!expect_seq.is_null()).then(|| expect_seq.read());
            let keys: Vec<VerifyingKey> = key()?.into_iter().collect();
            verify_file(path, &Anchors { last_hash, seq }, &keys).map(owned)
        })
    }
}

fn anchor_hash(h: &str) -> Result<Hash, u32> {
    hash_from_hex(h).ok_or_else(|| {
        fail(
            CZ_INVALID_ARGUMENT,
            format!(
                "参数 expect_last_hash {h:?} 须为 64 位小写十六进制数字\nargument expect_last_hash {h:?}: 64 lowercase hex digits"
            ),
        )
    })
}

/// Verifies the journal at `path` against `anchors` and, when `keys` are given, its
/// checkpoints under them. Its report as JSON when the journal is whole; else every problem in
/// one message, with the first one's code.
fn verify_file(path: &str, anchors: &Anchors, keys: &[VerifyingKey]) -> Result<String, u32> {
    let file = std::fs::File::open(path).map_err(|e| {
        coded(&crate::ledger::JournalError::Io {
            op: "read",
            path: path.into(),
            source: e,
        })
    })?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    let (campaign, v) = Campaign::verify_signed(reader, anchors, keys).map_err(|e| coded(&e))?;
    if let Some((code, zh, en)) = v.problems_message() {
        return Err(fail(code, format!("{zh}\n{en}")));
    }
    let mut report = serde_json::json!({
        "records": v.last_seq,
        "last_seq": v.last_seq,
        "last_hash": hash_hex(&v.last_hash),
        "latest_date": campaign.latest_date(),
    });
    if let Some(s) = &v.signatures {
        report["checkpoints"] = v.checkpoints.into();
        report["last_signed"] = s.last_signed.into();
    }
    Ok(report.to_string())
}
