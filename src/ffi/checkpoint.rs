//! Checkpoints: journal records a host's key vouches for (`ledger::checkpoint`), written one
//! at a time or among an import's records, and checked when a journal is verified; and the
//! binary snapshots written beside a journal, on request or every so many records.
//!
//! A key is passed to each call as three flat arguments, `alg` (`"sm2"` or `"hmac-sm3"`),
//! `key` and `key_len`, and only borrowed: the library reads it into a key of its own for the
//! call, zeroed when the call returns, and never stores it in the campaign or the journal.
//! Zeroing the caller's buffer is the caller's business.

use std::ffi::c_char;
use std::num::NonZeroU64;

use super::records::{import_with, with_seq};
use super::{
    CZ_INVALID_ARGUMENT, CZ_OK, boundary, coded, cz_campaign, cz_result, fail, lock, null, text,
};
use crate::ledger::{Alg, SigningKey, VerifyingKey};

/// The algorithm named by `alg`, or `CZ_INVALID_ARGUMENT` naming it.
///
/// # Safety
///
/// `alg` is NULL or a valid NUL-terminated string.
unsafe fn alg_of(alg: *const c_char) -> Result<Alg, u32> {
    // SAFETY: forwarded.
    let name = unsafe { text(alg, "alg") }?;
    Alg::from_name(name).ok_or_else(|| {
        fail(
            CZ_INVALID_ARGUMENT,
            format!(
                "参数 alg {name:?} 须为 \"sm2\" 或 \"hmac-sm3\"\nargument alg {name:?}: \"sm2\" or \"hmac-sm3\""
            ),
        )
    })
}

/// The caller's key bytes, borrowed (not copied: the key made from them is the one copy).
///
/// # Safety
///
/// `key` is NULL (then `key_len` is 0) or points to `key_len` readable bytes.
unsafe fn key_bytes<'a>(key: *const u8, key_len: usize) -> Result<&'a [u8], u32> {
    if key_len == 0 {
        return Ok(&[]);
    }
    if key.is_null() {
        return Err(null("key"));
    }
    // SAFETY: `key_len` readable bytes per the contract.
    Ok(unsafe { std::slice::from_raw_parts(key, key_len) })
}

/// The key that signs: an SM2 private key (PKCS#8, PEM or DER) or an HMAC-SM3 key, named
/// `key_id`; 4012 when it cannot be used.
///
/// # Safety
///
/// As `cz_campaign_checkpoint`'s `alg`, `key`, `key_len` and `key_id`.
unsafe fn signing_key(
    alg: *const c_char,
    key: *const u8,
    key_len: usize,
    key_id: *const c_char,
) -> Result<SigningKey, u32> {
    // SAFETY: forwarded.
    let (alg, bytes, key_id) = unsafe {
        (
            alg_of(alg)?,
            key_bytes(key, key_len)?,
            text(key_id, "key_id")?,
        )
    };
    match alg {
        Alg::Sm2 => SigningKey::sm2_pkcs8(bytes, key_id),
        Alg::HmacSm3 => SigningKey::hmac_sm3(bytes, key_id),
    }
    .map_err(|e| coded(&e))
}

/// The key that checks: an SM2 public key (SPKI, PEM or DER) or the HMAC-SM3 key; 4012 when
/// it cannot be used.
///
/// # Safety
///
/// As `cz_journal_verify_signed`'s `alg`, `key` and `key_len`.
unsafe fn verifying_key(
    alg: *const c_char,
    key: *const u8,
    key_len: usize,
) -> Result<VerifyingKey, u32> {
    // SAFETY: forwarded.
    let (alg, bytes) = unsafe { (alg_of(alg)?, key_bytes(key, key_len)?) };
    match alg {
        Alg::Sm2 => VerifyingKey::sm2_spki(bytes),
        Alg::HmacSm3 => VerifyingKey::hmac_sm3(bytes),
    }
    .map_err(|e| coded(&e))
}

/// Writes a checkpoint record: the hash of the chain through the campaign's last record,
/// signed with the key given, sealed into the chain and synced like any record (see
/// `chuangzheng checkpoint`). On success `*seq_out` (if not NULL) is its sequence number.
///
/// `alg` is `"sm2"` (then `key` is an SM2 private key, PKCS#8 as PEM text or DER bytes, as
/// `openssl genpkey -algorithm SM2` writes it) or `"hmac-sm3"` (then `key` is the HMAC key's
/// bytes, 16 to 1024 of them). `key_id` names the key in the checkpoint (1 to 64 bytes, no
/// control characters, no surrounding white space). The key is used for this call only.
///
/// Fails with `CZ_INVALID_ARGUMENT` for an unknown `alg`, 4012 for a key or key id that cannot
/// be used (the message says which and why), 4015 before any record, 4007 on a campaign an
/// earlier write failure left unusable, 4001 when the journal cannot be written (nothing
/// changes).
///
/// # Safety
///
/// `campaign` is a live handle; `alg` and `key_id` are valid NUL-terminated strings; `key`
/// points to `key_len` readable bytes (or is NULL with `key_len` 0); `seq_out` is NULL or a
/// valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_checkpoint(
    campaign: *mut cz_campaign,
    alg: *const c_char,
    key: *const u8,
    key_len: usize,
    key_id: *const c_char,
    seq_out: *mut u64,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_seq(seq_out, || {
            let key = signing_key(alg, key, key_len, key_id)?;
            let mut c = lock(campaign)?;
            c.checkpoint(&key).map(|r| r.seq).map_err(|e| coded(&e))
        })
    }
}

/// Writes the campaign's whole state to a binary snapshot beside its journal
/// (`<journal>.snapshot`, replacing the one there; docs/events.md, "Binary snapshots"), so that
/// the next `cz_campaign_open` or `cz_campaign_open_read_only` loads it and replays only the
/// records after it. The journal is synced first; the snapshot is written beside it and renamed
/// into place. On success `*seq_out` (if not NULL) is the number of records it holds.
///
/// Fails with 4017 for a campaign without a journal file (`cz_campaign_new`,
/// `cz_campaign_from_snapshot`, `cz_campaign_replay`: take `cz_campaign_snapshot_json`), 4016
/// for one opened read-only, 4007 for one an earlier write failure left unusable, 4001 when the
/// snapshot cannot be written (the old one, if any, is left in place).
///
/// # Safety
///
/// `campaign` is a live handle; `seq_out` is NULL or a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_save_snapshot(
    campaign: *mut cz_campaign,
    seq_out: *mut u64,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_seq(seq_out, || {
            let c = lock(campaign)?;
            c.save_snapshot().map(|s| s.seq).map_err(|e| coded(&e))
        })
    }
}

/// Writes a snapshot by itself after every `every` records (0: only when
/// `cz_campaign_save_snapshot` is called, the default), counted from the snapshot the campaign
/// was opened from (or the last one it wrote so), in the call that records the record that
/// makes one due. That call then takes as long as a snapshot takes to write (seconds at
/// province scale). A snapshot that cannot be written does not fail the call, whose records
/// are recorded: `cz_campaign_take_snapshot_error` tells of it.
///
/// # Safety
///
/// `campaign` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_set_snapshot_every(
    campaign: *mut cz_campaign,
    every: u64,
) -> cz_result {
    boundary(|| {
        // SAFETY: forwarded from the caller.
        match unsafe { lock(campaign) } {
            Ok(mut c) => {
                c.set_snapshot_every(NonZeroU64::new(every));
                CZ_OK
            }
            Err(code) => code,
        }
    })
}

/// Why the last snapshot written by itself (`cz_campaign_set_snapshot_every`) failed, told
/// once: returns its code, its message in `cz_last_error_message` as any failure's; `CZ_OK`
/// when none failed since the last call.
///
/// # Safety
///
/// `campaign` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_take_snapshot_error(campaign: *mut cz_campaign) -> cz_result {
    boundary(|| {
        // SAFETY: forwarded from the caller.
        match unsafe { lock(campaign) } {
            Ok(mut c) => c.take_snapshot_error().map_or(CZ_OK, |e| coded(&e)),
            Err(code) => code,
        }
    })
}

/// `cz_campaign_import`, with checkpoints signed by the key given (as `cz_campaign_checkpoint`
/// takes it) among the records: one after every `every` records since the last checkpoint,
/// and one at the end of each chunk of 4096 commands after any
/// record not yet covered, each in its chunk's group commit; `every` 0: only the one at each
/// chunk's end. The same import as `chuangzheng import --sign-key/--hmac-key --key-id
/// [--every N]`.
///
/// Returns as `cz_campaign_import` (`CZ_REFUSED_LINES` with the result written all the same);
/// the result JSON gains `"checkpoints": n` when any was written. Fails as it does, and as
/// `cz_campaign_checkpoint` on the key (checked before anything is read or recorded).
///
/// # Safety
///
/// `campaign` is a live handle; `commands_jsonl`, `alg` and `key_id` are valid NUL-terminated
/// strings; `key` points to `key_len` readable bytes (or is NULL with `key_len` 0);
/// `result_json_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_import_signed(
    campaign: *mut cz_campaign,
    commands_jsonl: *const c_char,
    flags: u32,
    alg: *const c_char,
    key: *const u8,
    key_len: usize,
    key_id: *const c_char,
    every: u64,
    result_json_out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        import_with(campaign, commands_jsonl, flags, result_json_out, || {
            let key = signing_key(alg, key, key_len, key_id)?;
            Ok(Some((key, NonZeroU64::new(every))))
        })
    }
}

/// `cz_journal_verify`, and every checkpoint of the journal checked under one key: `alg`
/// `"sm2"` with the SM2 public key (SubjectPublicKeyInfo as PEM text or DER bytes, as `openssl
/// pkey -pubout` writes it), or `"hmac-sm3"` with the HMAC key. Every checkpoint of that
/// algorithm must verify under it, and the journal's last record must be one that does.
/// Checkpoints of the other algorithm are not checked (and do not cover the records before
/// them).
///
/// On success `*report_out` is a new JSON string, `cz_journal_verify`'s report with
/// `"checkpoints"` (how many the journal holds) and `"last_signed"` (the seq of the last one
/// that verifies, which is the last record's; `null` for a journal without records), to be
/// freed with `cz_string_free`. Fails with 4013 when a checkpoint's signature does not verify
/// (what it covers was rewritten and resealed, or another key signed it), 4014 when records
/// follow the last checkpoint that verifies (an unsigned tail), and as `cz_journal_verify`
/// (4011, 4010, 4004–4006, 4001); the message names every problem found, in Chinese then
/// English, and the code is the first one's. `CZ_INVALID_ARGUMENT` for an unknown `alg`, 4012
/// for a key that cannot be used.
///
/// # Safety
///
/// `path` and `alg` are valid NUL-terminated strings; `expect_last_hash` is NULL or one;
/// `expect_seq` is NULL or a valid pointer to read; `key` points to `key_len` readable bytes
/// (or is NULL with `key_len` 0); `report_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_journal_verify_signed(
    path: *const c_char,
    expect_last_hash: *const c_char,
    expect_seq: *const u64,
    alg: *const c_char,
    key: *const u8,
    key_len: usize,
    report_out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        super::integrity::verify_with(path, expect_last_hash, expect_seq, report_out, || {
            verifying_key(alg, key, key_len).map(Some)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::{CStr, CString};
    use std::ptr::{null, null_mut};

    use super::*;
    use crate::ffi::{CZ_NULL_ARGUMENT, CZ_OK, cz_campaign_create, cz_campaign_execute};
    use crate::ffi::{cz_campaign_free, cz_last_error_message, cz_string_free};

    const HMAC: &[u8] = b"0123456789abcdef0123456789abcdef";
    /// A key pair made for the tests alone (`openssl genpkey -algorithm SM2`), never for use.
    const SM2_PRIVATE: &[u8] = include_bytes!("../../bindings/c/tests/test-only-sm2-private.pem");
    const SM2_PUBLIC: &[u8] = include_bytes!("../../bindings/c/tests/test-only-sm2-public.pem");

    fn s(t: &str) -> CString {
        CString::new(t).unwrap()
    }

    fn last() -> String {
        // SAFETY: the thread's last-error string, read before the next call.
        unsafe { CStr::from_ptr(cz_last_error_message()) }
            .to_string_lossy()
            .into_owned()
    }

    /// Verifies `path` under (`alg`, `key`): the code, and the report on success.
    fn verify(path: &CStr, alg: &str, key: &[u8]) -> (u32, String) {
        let mut out = null_mut();
        let alg = s(alg);
        // SAFETY: valid strings, key and out pointer.
        let rc = unsafe {
            cz_journal_verify_signed(
                path.as_ptr(),
                null(),
                null(),
                alg.as_ptr(),
                key.as_ptr(),
                key.len(),
                &mut out,
            )
        };
        if rc != CZ_OK {
            return (rc, last());
        }
        // SAFETY: a string from the library, freed once.
        let report = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_string();
        unsafe { cz_string_free(out) };
        (rc, report)
    }

    /// A journal at a fresh path, the small demo's commands imported, each
    /// `every` records signed by (`alg`, `key`); its handle, how many checkpoints and its seq.
    fn signed_journal(
        name: &str,
        alg: &str,
        key: &[u8],
        every: u64,
    ) -> (CString, *mut cz_campaign, u64, u64) {
        let path =
            std::env::temp_dir().join(format!("cz-ffi-cp-{name}-{}.jsonl", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let path = s(path.to_str().unwrap());
        let info = s(r#"{"id":"c","name":"测试"}"#);
        let mut c = null_mut();
        // SAFETY: valid strings and out pointer.
        assert_eq!(
            unsafe { cz_campaign_create(path.as_ptr(), info.as_ptr(), null(), &mut c) },
            CZ_OK
        );
        let cmds = crate::demo::commands(&crate::demo::DemoSpec::small());
        let jsonl: Vec<String> = cmds.iter().map(|c| c.to_json()).collect();
        let (jsonl, alg, id) = (s(&jsonl.join("\n")), s(alg), s("test-key"));
        let mut result = null_mut();
        // SAFETY: a live handle, valid strings, key and out pointer.
        let rc = unsafe {
            cz_campaign_import_signed(
                c,
                jsonl.as_ptr(),
                0,
                alg.as_ptr(),
                key.as_ptr(),
                key.len(),
                id.as_ptr(),
                every,
                &mut result,
            )
        };
        assert_eq!(rc, CZ_OK, "{}", last());
        let text = unsafe { CStr::from_ptr(result) }
            .to_str()
            .unwrap()
            .to_string();
        unsafe { cz_string_free(result) };
        let result: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(result["recorded"], cmds.len(), "{text}");
        // With `every`, the ones among the records and the one at the end; else that one.
        let checkpoints = result["checkpoints"].as_u64().unwrap();
        let seq = result["seq"].as_u64().unwrap();
        assert_eq!(seq, cmds.len() as u64 + checkpoints);
        assert!((checkpoints > 1) == (every > 0), "{text}");
        (path, c, checkpoints, seq)
    }

    #[test]
    fn signed_with_hmac_verifies_and_a_wrong_key_or_a_tail_does_not() {
        let (path, c, checkpoints, end) = signed_journal("hmac", "hmac-sm3", HMAC, 50);
        let (rc, report) = verify(&path, "hmac-sm3", HMAC);
        assert_eq!(rc, CZ_OK, "{report}");
        assert!(
            report.contains(&format!(r#""checkpoints":{checkpoints},"#))
                && report.contains(&format!(r#""last_signed":{end}"#)),
            "{report}"
        );
        let (rc, msg) = verify(&path, "hmac-sm3", &[b'x'; 32]);
        assert_eq!(rc, 4013, "{msg}");
        assert_eq!(
            msg.matches("（hmac-sm3，").count() as u64,
            checkpoints,
            "every bad checkpoint named: {msg}"
        );
        let cmd = s(
            r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"t-x","name":"镇","kind":"township_committee","parent":"city"}}}"#,
        );
        // SAFETY: a live handle, a valid string.
        assert_eq!(
            unsafe { cz_campaign_execute(c, cmd.as_ptr(), null_mut()) },
            CZ_OK,
            "{}",
            last()
        );
        assert_eq!(verify(&path, "hmac-sm3", HMAC).0, 4014);
        let (alg, id) = (s("hmac-sm3"), s("test-key"));
        let mut seq = 0;
        // SAFETY: as above.
        let rc = unsafe {
            cz_campaign_checkpoint(
                c,
                alg.as_ptr(),
                HMAC.as_ptr(),
                HMAC.len(),
                id.as_ptr(),
                &mut seq,
            )
        };
        assert_eq!((rc, seq), (CZ_OK, end + 2));
        assert_eq!(verify(&path, "hmac-sm3", HMAC).0, CZ_OK);
        // SAFETY: the handle, once.
        unsafe { cz_campaign_free(c) };
        let _ = std::fs::remove_file(path.to_str().unwrap());
    }

    #[test]
    fn signed_with_sm2_verifies_under_its_public_key() {
        let (path, c, _, _) = signed_journal("sm2", "sm2", SM2_PRIVATE, 50);
        let (rc, report) = verify(&path, "sm2", SM2_PUBLIC);
        assert_eq!(rc, CZ_OK, "{report}");
        // The private key where the public one is asked for; HMAC-SM3 checkpoints sought.
        let (rc, msg) = verify(&path, "sm2", SM2_PRIVATE);
        assert!(rc == 4012 && msg.contains("pubout"), "{msg}");
        assert_eq!(verify(&path, "hmac-sm3", HMAC).0, 4014);
        // SAFETY: the handle, once.
        unsafe { cz_campaign_free(c) };
        let _ = std::fs::remove_file(path.to_str().unwrap());
    }

    #[test]
    fn bad_arguments_are_named() {
        let (path, c, _, _) = signed_journal("args", "hmac-sm3", HMAC, 0);
        let (alg, id, bad) = (s("hmac-sm3"), s("test-key"), s("rsa"));
        let mut seq = 0;
        // SAFETY: a live handle, valid strings; a NULL key with a length is refused unread.
        let rc = unsafe {
            cz_campaign_checkpoint(
                c,
                bad.as_ptr(),
                HMAC.as_ptr(),
                HMAC.len(),
                id.as_ptr(),
                &mut seq,
            )
        };
        assert!(
            rc == CZ_INVALID_ARGUMENT && last().contains("argument alg \"rsa\""),
            "{}",
            last()
        );
        let rc =
            unsafe { cz_campaign_checkpoint(c, alg.as_ptr(), null(), 32, id.as_ptr(), &mut seq) };
        assert!(
            rc == CZ_NULL_ARGUMENT && last().contains("key"),
            "{}",
            last()
        );
        let rc =
            unsafe { cz_campaign_checkpoint(c, alg.as_ptr(), null(), 0, id.as_ptr(), &mut seq) };
        assert!(
            rc == 4012 && last().contains("HMAC-SM3 key: 0 bytes"),
            "{}",
            last()
        );
        let rc = unsafe {
            cz_campaign_checkpoint(c, alg.as_ptr(), HMAC.as_ptr(), HMAC.len(), null(), &mut seq)
        };
        assert!(
            rc == CZ_NULL_ARGUMENT && last().contains("key_id"),
            "{}",
            last()
        );
        assert_eq!(seq, 0, "written only on success");
        assert_eq!(verify(&path, "hmac-sm3", &HMAC[..8]).0, 4012);
        assert_eq!(verify(&path, "sm2", b"not a key").0, 4012);
        // SAFETY: the handle, once.
        unsafe { cz_campaign_free(c) };
        let _ = std::fs::remove_file(path.to_str().unwrap());
    }
}
