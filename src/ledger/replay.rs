//! Replay on two cores: one thread reads the journal and verifies every line's seal, the
//! caller's thread parses, checks and applies the verified lines in order.
//!
//! Each line carries its own hash, so verifying line n needs only line n-1's hash, which the
//! verifying thread has just checked; the applying thread never waits for SM3 except when it
//! outruns the verifier. Lines reach the applier only after they verified.
//!
//! Hashing a record costs less than parsing, checking and applying it, so the verifier also
//! parses the first [`PARSE_SHARE_PERCENT`] of each chunk's lines, to balance the two threads.
//! On a machine with one core, the same chunks are read, verified and applied on the caller's
//! thread alone.

use std::io::BufRead;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use super::journal::{self, Hash, RecordIn};

/// Lines per chunk handed from the verifier to the applier.
const CHUNK_LINES: usize = 2048;
/// Chunks in flight between the two threads.
const CHUNKS_IN_FLIGHT: usize = 4;
/// Share of each chunk's lines the verifier parses too (measured: see BENCHMARKS.md).
pub(crate) const PARSE_SHARE_PERCENT: usize = 10;

/// Verified lines, in order.
pub(crate) struct Chunk {
    /// The lines' bytes, newlines included.
    pub bytes: Vec<u8>,
    /// For each verified line: its start and end in `bytes` (newline excluded) and its hash.
    pub lines: Vec<(usize, usize, Hash)>,
    /// The first lines, already parsed (or the parser's error).
    pub parsed: Vec<Result<RecordIn, String>>,
    /// Set on the last chunk: why reading stopped.
    pub end: Option<End>,
}

/// Why the verifier stopped.
pub(crate) enum End {
    /// The input ended after a complete line.
    Eof,
    /// The input ended inside a line: a torn last record of this many bytes.
    Torn(u64),
    /// The line after the verified ones is longer than the limit or fails its seal.
    Bad(&'static str),
    /// Reading failed.
    Io(std::io::Error),
}

/// Reads the next chunk of lines from `reader`, verifying each one's seal against the one
/// before (`prev`, updated), and parsing the first `parse_share_percent` % of them.
pub(crate) fn next_chunk<R: BufRead>(
    reader: &mut R,
    prev: &mut Hash,
    parse_share_percent: usize,
) -> Chunk {
    let mut chunk = Chunk {
        bytes: Vec::with_capacity(CHUNK_LINES * 256),
        lines: Vec::with_capacity(CHUNK_LINES),
        parsed: Vec::with_capacity(CHUNK_LINES * parse_share_percent / 100),
        end: None,
    };
    while chunk.lines.len() < CHUNK_LINES && chunk.end.is_none() {
        let start = chunk.bytes.len();
        let mut limited = std::io::Read::take(&mut *reader, journal::MAX_LINE_BYTES as u64 + 1);
        let n = match limited.read_until(b'\n', &mut chunk.bytes) {
            Ok(n) => n,
            Err(e) => {
                chunk.end = Some(End::Io(e));
                break;
            }
        };
        let line = &chunk.bytes[start..];
        chunk.end = match (n, line.last()) {
            (0, _) => Some(End::Eof),
            (n, _) if n > journal::MAX_LINE_BYTES => Some(End::Bad("line longer than the limit")),
            (n, Some(b'\n')) => match journal::unseal(prev, &line[..n - 1]) {
                Ok(hash) => {
                    *prev = hash;
                    chunk.lines.push((start, start + n - 1, hash));
                    None
                }
                Err(why) => Some(End::Bad(why)),
            },
            (n, _) => Some(End::Torn(n as u64)),
        };
    }
    let share = chunk.lines.len() * parse_share_percent / 100;
    for &(start, end, _) in &chunk.lines[..share] {
        let parsed = parse_record(&chunk.bytes[start..end]);
        chunk.parsed.push(parsed);
    }
    chunk
}

/// Reads, verifies and sends chunks until the input ends, a line fails, or the receiver hangs
/// up: the verifier thread's loop.
pub(crate) fn verify_lines<R: BufRead>(mut reader: R, mut prev: Hash, tx: SyncSender<Chunk>) {
    loop {
        let chunk = next_chunk(&mut reader, &mut prev, PARSE_SHARE_PERCENT);
        let last = chunk.end.is_some();
        if tx.send(chunk).is_err() || last {
            return;
        }
    }
}

/// Whether a second thread can run beside this one.
pub(crate) fn two_cores() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2)
}

/// Parses one verified line. Checking the line's UTF-8 once (fast on ASCII) lets serde_json
/// skip checking each string again.
pub(crate) fn parse_record(line: &[u8]) -> Result<RecordIn, String> {
    let text = std::str::from_utf8(line).map_err(|e| e.to_string())?;
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// A channel for [`verify_lines`].
pub(crate) fn channel() -> (SyncSender<Chunk>, Receiver<Chunk>) {
    sync_channel(CHUNKS_IN_FLIGHT)
}
