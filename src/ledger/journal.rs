//! The journal file: JSON Lines, every record chained to the one before by an SM3 hash.
//!
//! # Format (version 1)
//!
//! Line 1 is the header; every later line is one accepted command, in order, or a checkpoint
//! ([`super::checkpoint`]):
//!
//! ```text
//! {"format":"chuangzheng-journal","version":1,"campaign":{"id":"dg","name":"东港市"},"rules":{…},"h":"<64 hex>"}
//! {"seq":1,"at":"2026-01-05","actor":{"org":"city"},"event":{"create_org":{…}},"h":"<64 hex>"}
//! ```
//!
//! Each line ends `,"h":"<hash>"}` and a newline. The hash is SM3 (GB/T 32905) of the previous
//! line's hash (32 raw bytes; 32 zero bytes before the header) followed by the line's bytes up
//! to, not including, its last `,"h":"` (a checkpoint record holds an inner `"h"` too: see
//! [`super::checkpoint`]). So editing, dropping, inserting or reordering any line breaks the
//! chain at that line, and the last hash vouches for the whole journal.
//!
//! # Durability
//!
//! A command is acknowledged only after its line is written and the file is synced
//! (`fsync`/`fdatasync`). A batch ([`Campaign::execute_batch`](super::Campaign::execute_batch))
//! writes all its lines and syncs once (group commit): none of the batch is acknowledged before
//! that one sync. The newline is the last byte of a record, so a crash mid-write leaves a last
//! line without one: a torn tail, never acknowledged, which opening drops, reports and saves
//! beside the journal. A complete line that fails verification is corruption, never a torn
//! write: opening fails and names its sequence number, unless the caller asks to keep the valid
//! prefix.

use std::fs::File;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};

use super::{Actor, Event, JournalError};
use crate::model::{ExtId, Name, Stamp};
use crate::rules::RuleSet;

/// The format name in every journal's header.
pub const JOURNAL_FORMAT: &str = "chuangzheng-journal";
/// The journal format version this build writes and reads.
pub const JOURNAL_VERSION: u32 = 1;
/// Longest line a journal may hold, in bytes (a bound on every read).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// An SM3 hash.
pub type Hash = [u8; 32];

const HASH_FIELD: &[u8] = b",\"h\":\"";
/// `,"h":"` + 64 hex digits + `"}`.
pub(crate) const SEAL_LEN: usize = HASH_FIELD.len() + 64 + 2;

/// The campaign a journal belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignInfo {
    /// The host's identifier of the campaign.
    pub id: ExtId,
    /// Its name, shown in reports.
    pub name: Name,
}

#[derive(Serialize)]
pub(crate) struct HeaderOut<'a> {
    pub format: &'a str,
    pub version: u32,
    pub campaign: &'a CampaignInfo,
    pub rules: &'a RuleSet,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HeaderIn {
    pub format: String,
    pub version: u32,
    pub campaign: CampaignInfo,
    pub rules: RuleSet,
    #[allow(dead_code)]
    h: serde::de::IgnoredAny,
}

#[derive(Serialize)]
pub(crate) struct RecordOut<'a> {
    pub seq: u64,
    pub at: &'a Stamp,
    pub actor: &'a Actor,
    pub event: &'a Event,
}

/// One journal record, as read back (its hash already verified).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecordIn {
    pub seq: u64,
    pub at: Stamp,
    pub actor: Actor,
    pub event: Event,
    #[allow(dead_code)]
    h: serde::de::IgnoredAny,
}

fn hex(hash: &Hash) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (i, b) in hash.iter().enumerate() {
        out[2 * i] = DIGITS[(b >> 4) as usize];
        out[2 * i + 1] = DIGITS[(b & 0x0f) as usize];
    }
    out
}

/// The hash as 64 lowercase hex digits.
pub fn hash_hex(hash: &Hash) -> String {
    hex(hash).iter().map(|&b| b as char).collect()
}

/// A hash from its 64 lowercase hex digits, as the journal writes it; `None` for anything else.
///
/// ```
/// use chuangzheng::ledger::{hash_from_hex, hash_hex};
///
/// let h = [0xab; 32];
/// assert_eq!(hash_from_hex(&hash_hex(&h)), Some(h));
/// assert_eq!(hash_from_hex(&hash_hex(&h).to_uppercase()), None);
/// assert_eq!(hash_from_hex("ab"), None);
/// ```
pub fn hash_from_hex(s: &str) -> Option<Hash> {
    hash_from_hex_bytes(s.as_bytes())
}

/// [`hash_from_hex`] of bytes.
fn hash_from_hex_bytes(digits: &[u8]) -> Option<Hash> {
    let digits: &[u8; 64] = digits.try_into().ok()?;
    let mut out = [0u8; 32];
    // Without a branch per digit: a journal's hex digits are random, so branches on them
    // mispredict half the time. A byte that is no digit maps to 0xff, which `bad` keeps.
    let mut bad = 0u8;
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let (high, low) = (HEX_VALUES[pair[0] as usize], HEX_VALUES[pair[1] as usize]);
        bad |= high | low;
        *byte = high << 4 | low;
    }
    (bad < 16).then_some(out)
}

/// Each byte's value as a lowercase hex digit; 0xff for any other byte.
const HEX_VALUES: [u8; 256] = {
    let mut table = [0xff; 256];
    let mut i = 0;
    while i < 16 {
        table[b"0123456789abcdef"[i] as usize] = i as u8;
        i += 1;
    }
    table
};

fn chain(prev: &Hash, body: &[u8]) -> Hash {
    let mut h = Sm3::new();
    h.update(prev);
    h.update(body);
    h.finalize().into()
}

/// The length, newline included, of the line that sealing `json[start..]` (one serialized
/// JSON object) would make.
pub(crate) fn sealed_len(json: &[u8], start: usize) -> usize {
    // The closing `}` gives way to the hash field, which ends with its own, and the newline.
    json.len().saturating_sub(start).saturating_sub(1) + SEAL_LEN + 1
}

/// Turns `json[start..]` (one serialized JSON object) into a sealed journal line of at most
/// `max_line` bytes, newline included: appends the hash field and the newline, and returns the
/// new hash. A line that would be longer is not sealed: `json` is cut back to `start` and the
/// error is the length the line would have had. So nothing is written that the reader, which
/// refuses a line past [`MAX_LINE_BYTES`], could not read back.
pub(crate) fn seal_within(
    prev: &Hash,
    json: &mut Vec<u8>,
    start: usize,
    max_line: usize,
) -> Result<Hash, usize> {
    let len = sealed_len(json, start);
    if len > max_line {
        json.truncate(start);
        return Err(len);
    }
    let hash = seal(prev, json, start);
    debug_assert_eq!(
        json.len() - start,
        len,
        "the sealed line is as long as foretold"
    );
    debug_assert!(
        json.ends_with(b"\n") && !json[start..json.len() - 1].contains(&b'\n'),
        "a sealed record is one line"
    );
    debug_assert_eq!(
        unseal(prev, &json[start..json.len() - 1]),
        Ok(hash),
        "the reader unseals what the writer sealed"
    );
    Ok(hash)
}

/// Turns `json[start..]` (one serialized JSON object) into a sealed journal line: appends the
/// hash field and the newline. Returns the new hash. Writers go through [`seal_within`].
fn seal(prev: &Hash, json: &mut Vec<u8>, start: usize) -> Hash {
    // A serialized object ends with `}`; the hash covers everything before it.
    json.pop();
    let hash = chain(prev, &json[start..]);
    json.extend_from_slice(HASH_FIELD);
    json.extend_from_slice(&hex(&hash));
    json.extend_from_slice(b"\"}\n");
    hash
}

/// Checks a line's seal against `prev`; returns its hash. `line` excludes the newline.
pub(crate) fn unseal(prev: &Hash, line: &[u8]) -> Result<Hash, &'static str> {
    if line.last() == Some(&b'\r') {
        return Err("line ends with CR LF; journal lines end with LF alone");
    }
    if line.len() < SEAL_LEN + 2 {
        return Err("line too short to hold a record and its hash");
    }
    let body_len = line.len() - SEAL_LEN;
    let (body, seal) = line.split_at(body_len);
    if &seal[..HASH_FIELD.len()] != HASH_FIELD || &seal[SEAL_LEN - 2..] != b"\"}" {
        return Err("line does not end with its hash field");
    }
    let hash = chain(prev, body);
    let written = &seal[HASH_FIELD.len()..SEAL_LEN - 2];
    if written != hex(&hash) {
        if written.iter().any(u8::is_ascii_uppercase) {
            return Err("hash field in uppercase hex; the journal writes lowercase");
        }
        return Err("hash does not match: the record or one before it was altered");
    }
    Ok(hash)
}

/// The hash a sealed line carries in its last field, unchecked; `None` when the line does not
/// end with one.
pub(crate) fn stored_hash(line: &[u8]) -> Option<Hash> {
    let seal = line.get(line.len().checked_sub(SEAL_LEN)?..)?;
    if &seal[..HASH_FIELD.len()] != HASH_FIELD || &seal[SEAL_LEN - 2..] != b"\"}" {
        return None;
    }
    hash_from_hex_bytes(&seal[HASH_FIELD.len()..SEAL_LEN - 2])
}

/// A sealed line's body (what its hash covers) and the hash it carries, unchecked; `None` for
/// any line [`unseal`] would refuse whatever the hash: too short, or not ending with a hash
/// field of lowercase hex.
pub(crate) fn sealed_parts(line: &[u8]) -> Option<(&[u8], Hash)> {
    if line.len() < SEAL_LEN + 2 {
        return None;
    }
    let stored = stored_hash(line)?;
    Some((&line[..line.len() - SEAL_LEN], stored))
}

/// A dropped tail of a journal: where it started, how long it was, where it was saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedTail {
    /// Byte offset of the first dropped byte.
    pub offset: u64,
    /// How many bytes were dropped.
    pub len: u64,
    /// The file the dropped bytes were saved to, if they were saved.
    pub saved_to: Option<PathBuf>,
}

/// What replaying a journal found besides its records.
#[derive(Debug, Default)]
pub struct ReplayReport {
    /// Records in the journal read (the header excluded), those a snapshot held included.
    pub records: u64,
    /// A last line without its newline: a write cut short, never acknowledged; dropped.
    pub torn_tail: Option<DroppedTail>,
    /// With [`OpenOptions::keep_valid_prefix`], the first record that failed verification and
    /// everything after it, dropped; the error says why.
    pub dropped_after_corruption: Option<(DroppedTail, JournalError)>,
    /// Opened from the snapshot beside the journal ([`crate::ledger::Campaign::save_snapshot`]):
    /// the records it held, replayed only after it (`records` counts them all).
    pub snapshot: Option<u64>,
    /// A snapshot beside the journal that was not used, and why (it is left in place; the
    /// journal was replayed whole, and the next snapshot written replaces it).
    pub snapshot_skipped: Option<String>,
}

/// How to open a journal.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    /// On a corrupted record, keep the valid records before it, save the rest to a file beside
    /// the journal (`<journal>.corrupt-<offset>`) and truncate the journal there, instead of
    /// failing. Use only after a person has looked at the failure.
    pub keep_valid_prefix: bool,
    /// Replay the journal whole even when a snapshot beside it could be loaded.
    pub ignore_snapshot: bool,
}

/// Reads one line (up to and including `\n`) into `buf`, bounded by [`MAX_LINE_BYTES`].
/// Returns the bytes read; 0 at end of input.
pub(crate) fn read_line<R: BufRead>(r: &mut R, buf: &mut Vec<u8>) -> io::Result<usize> {
    buf.clear();
    let mut limited = io::Read::take(&mut *r, MAX_LINE_BYTES as u64 + 1);
    limited.read_until(b'\n', buf)
}

/// The file for saving dropped bytes: `<journal>.<what>-<offset>`, never overwriting.
pub(crate) fn save_dropped(
    path: &Path,
    what: &str,
    offset: u64,
    bytes: &[u8],
) -> Result<PathBuf, JournalError> {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{what}-{offset}"));
    let mut target = PathBuf::from(name);
    let mut n = 1;
    while target.exists() {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{what}-{offset}.{n}"));
        target = PathBuf::from(name);
        n += 1;
    }
    let mut f = File::create_new(&target).map_err(|e| JournalError::io("save", &target, e))?;
    Write::write_all(&mut f, bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| JournalError::io("save", &target, e))?;
    Ok(target)
}

/// Makes a new journal at `path` holding exactly `header`, atomically: written and synced to
/// `<path>.creating-<pid>`, then hard-linked to `path` (which fails if anything is there), so
/// `path` never holds a partial header. Where the file system has no hard links, the file is
/// created in place instead.
pub(crate) fn publish_new(path: &Path, header: &[u8]) -> Result<(), JournalError> {
    let exists = || JournalError::Exists {
        path: path.to_path_buf(),
    };
    if path.as_os_str().is_empty() {
        // Refused before anything is made: the temporary's name would be
        // `.creating-<pid>` in the working directory.
        let why = io::Error::new(io::ErrorKind::InvalidInput, "the path is empty");
        return Err(JournalError::io("create", path, why));
    }
    if path.exists() {
        return Err(exists());
    }
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(format!(".creating-{}", std::process::id()));
    let tmp = PathBuf::from(tmp_name);
    // `made`: whether `target` was created here (and so may be removed on failure).
    let write = |target: &Path, made: &mut bool| -> Result<(), JournalError> {
        let mut f = File::create_new(target).map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists if target == path => exists(),
            _ => JournalError::io("create", target, e),
        })?;
        *made = true;
        Write::write_all(&mut f, header)
            .and_then(|()| f.sync_all())
            .map_err(|e| JournalError::io("write header to", target, e))
    };
    let mut made = false;
    if let Err(e) = write(&tmp, &mut made) {
        // A file already at the temporary's name is not ours to remove.
        if made {
            let _ = std::fs::remove_file(&tmp);
        }
        return Err(e);
    }
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(exists()),
        // No hard links here (some network or FAT file systems): create in place.
        Err(_) => write(path, &mut made)?,
    }
    sync_parent_dir(path)
}

/// Syncs the directory holding `path`, so a newly created file's entry is durable.
pub(crate) fn sync_parent_dir(path: &Path) -> Result<(), JournalError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| JournalError::io("sync directory of", path, e))
}

/// The journal's storage as the writer sees it: append, sync, cut back. A `File` in production;
/// under the `fault-injection` feature, tests put a seam here that fails on command
/// ([`crate::ledger::faults`]).
pub(crate) trait Storage: std::fmt::Debug + Send + Sync {
    /// Appends all of `bytes`, or fails (possibly after writing part of them).
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Makes what was written durable.
    fn sync_data(&mut self) -> io::Result<()>;
    /// Cuts the file back to `len` bytes.
    fn set_len(&mut self, len: u64) -> io::Result<()>;
}

impl Storage for File {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        Write::write_all(self, bytes)
    }
    fn sync_data(&mut self) -> io::Result<()> {
        File::sync_data(self)
    }
    fn set_len(&mut self, len: u64) -> io::Result<()> {
        File::set_len(self, len)
    }
}

/// Appends records to a journal file: each batch written whole and synced, or cut back.
#[derive(Debug)]
pub(crate) struct JournalWriter {
    file: Box<dyn Storage>,
    path: PathBuf,
    len: u64,
    /// A failed write could not be undone, or a sync failed: the file may hold bytes the state
    /// does not, and what is durable is unknown until the journal is reopened.
    pub broken: bool,
}

impl JournalWriter {
    pub fn new(file: impl Storage + 'static, path: PathBuf, len: u64) -> JournalWriter {
        JournalWriter {
            file: Box::new(file),
            path,
            len,
            broken: false,
        }
    }

    /// Writes `bytes` (whole lines) and syncs.
    ///
    /// - A failed or short write: the file is cut back to where it was and synced; the writer
    ///   goes on (nothing was acknowledged, nothing is applied). If the file cannot be cut back,
    ///   the writer is broken.
    /// - A failed sync: the writer is broken. After a failed fsync the kernel may have dropped
    ///   the dirty pages, so neither "written" nor "not written" can be trusted (PostgreSQL's
    ///   fsync lesson); the file is still cut back, and the campaign must be reopened, which
    ///   verifies what the disk holds.
    pub fn append(&mut self, bytes: &[u8]) -> Result<(), JournalError> {
        if self.broken {
            return Err(JournalError::Poisoned);
        }
        debug_assert!(
            bytes.ends_with(b"\n"),
            "the journal is appended whole lines only"
        );
        let err = match self.file.write_all(bytes) {
            Ok(()) => match self.file.sync_data() {
                Ok(()) => {
                    self.len += bytes.len() as u64;
                    return Ok(());
                }
                Err(e) => {
                    self.broken = true;
                    e
                }
            },
            Err(e) => e,
        };
        let undone = self
            .file
            .set_len(self.len)
            .and_then(|()| self.file.sync_data());
        if undone.is_err() {
            self.broken = true;
        }
        Err(JournalError::io("append to", &self.path, err))
    }

    /// Puts `f` around the storage (fault injection).
    #[cfg(feature = "fault-injection")]
    pub(crate) fn wrap(
        self,
        f: impl FnOnce(Box<dyn Storage>) -> Box<dyn Storage>,
    ) -> JournalWriter {
        JournalWriter {
            file: f(self.file),
            ..self
        }
    }

    /// The journal's length: every byte of it written and synced, unless the writer is broken.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_sealed_within_its_bound_or_not_at_all() {
        let body = br#"{"seq":1,"event":"x"}"#;
        let mut buf = b"kept".to_vec();
        buf.extend_from_slice(body);
        let len = sealed_len(&buf, 4);
        assert_eq!(len, body.len() + SEAL_LEN);
        // One byte short: nothing sealed, the buffer cut back to where the record began.
        assert_eq!(seal_within(&[0; 32], &mut buf, 4, len - 1), Err(len));
        assert_eq!(buf, b"kept");
        buf.extend_from_slice(body);
        let hash = seal_within(&[0; 32], &mut buf, 4, len).unwrap();
        assert_eq!(buf.len() - 4, len);
        assert_eq!(buf.last(), Some(&b'\n'));
        assert_eq!(unseal(&[0; 32], &buf[4..buf.len() - 1]), Ok(hash));
    }
}
