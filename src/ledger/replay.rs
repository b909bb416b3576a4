//! Replay on every core: one thread reads the journal into batches of whole lines, a verifier
//! on each core checks a batch's seals and parses its records, and the caller's thread checks
//! and applies the verified records in the journal's order.
//!
//! Each line carries its own hash, so line n can be checked against the hash line n-1
//! *carries*, on any core, without waiting for line n-1 to be checked: if every line's seal
//! holds against the hash written on the line before, the written hashes are the chain's, and
//! the last one vouches for the whole journal as a check in order would. A line that fails ends
//! its batch; the applier applies the lines before it and stops there, so nothing after a bad
//! line is applied, whatever the verifiers found later on. Batches come back out of order and
//! are applied in order; a fixed number of tokens, each held by one batch from its reading to
//! its applying, bounds the memory in flight. On a machine with one core the same batches are
//! read, verified and applied on the caller's thread alone.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

use super::checkpoint::{CheckpointIn, CheckpointRecord};
use super::journal::{self, Hash, RecordIn};
use super::sm3x;
use super::{Actor, Command, Event, JournalError};
use crate::model::{ExtId, Stamp};

/// Most lines in a batch.
const BATCH_LINES: usize = 2048;
/// Batches in flight (read, being verified, or waiting to be applied) per verifier.
const BATCHES_PER_VERIFIER: usize = 3;

/// A batch of whole lines on its way through the pipeline: read, then verified and parsed,
/// then applied. Its buffers go back to the reader once applied, so the pipeline allocates
/// them once, not once a batch.
pub(crate) struct Chunk {
    /// Its place among the journal's batches, from 0.
    index: u64,
    /// The lines' bytes, newlines included.
    pub bytes: Vec<u8>,
    /// Each line read: its start and end in `bytes` (newline excluded).
    read: Vec<(usize, usize)>,
    /// The hash the line before the first one carries (for the first batch, the campaign's
    /// last hash, already verified); `None` when that line carries none, so it fails its own
    /// check and nothing after it is applied.
    prev: Option<Hash>,
    /// The lines that verified, from the first up to the first that does not: start, end and
    /// hash.
    pub lines: Vec<(usize, usize, Hash)>,
    /// Each verified line's record (or the parser's error), one per line. The applier only
    /// borrows them; they stay until a verifier takes the chunk again, so what they hold is
    /// freed on the verifiers' threads, where it was allocated, not on the applier's (a free
    /// from another thread takes glibc's slow path, and the applier sets the pace).
    pub parsed: Vec<Result<Record, String>>,
    /// Set on the last chunk: why reading stopped, or which line failed its seal.
    pub end: Option<End>,
}

/// Why the reading stopped.
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

/// How a replay spreads its work: how many verifier threads, how many lines a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pipeline {
    /// Verifier threads beside the reader and the applier; 0: everything on the caller's
    /// thread.
    pub verifiers: usize,
    /// Most lines in a batch.
    pub batch_lines: usize,
}

impl Pipeline {
    /// A verifier per core on a machine with two or more, else the caller's thread alone.
    pub(crate) fn for_this_machine() -> Pipeline {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Pipeline {
            verifiers: if cores < 2 { 0 } else { cores },
            batch_lines: BATCH_LINES,
        }
    }
}

/// Reads, verifies and parses the journal's lines after the one whose hash is `prev`, and
/// hands each chunk to `apply` in order until it returns `false` (the end, or a torn tail) or
/// an error, spread as `pipeline` says. `apply` takes the chunk's records
/// ([`Chunk::parsed`]) and leaves its buffers.
pub(crate) fn run<R: BufRead + Send>(
    reader: R,
    prev: Hash,
    pipeline: Pipeline,
    mut apply: impl FnMut(&mut Chunk) -> Result<bool, JournalError>,
) -> Result<(), JournalError> {
    assert!(pipeline.batch_lines > 0, "a batch holds a line at least");
    if pipeline.verifiers == 0 {
        return run_here(reader, prev, pipeline.batch_lines, &mut apply);
    }
    run_parallel(reader, prev, pipeline, &mut apply)
}

/// [`run`] on the caller's thread.
fn run_here<R: BufRead>(
    mut reader: R,
    prev: Hash,
    batch_lines: usize,
    apply: &mut impl FnMut(&mut Chunk) -> Result<bool, JournalError>,
) -> Result<(), JournalError> {
    let mut prev = Some(prev);
    let mut chunk = Chunk::new(batch_lines);
    for index in 0.. {
        chunk.read(&mut reader, index, batch_lines, prev);
        prev = chunk.last_carried().unwrap_or(prev);
        chunk.verify();
        let last = chunk.end.is_some();
        if !apply(&mut chunk)? || last {
            break;
        }
    }
    Ok(())
}

/// [`run`] with a reader thread and the pipeline's verifier threads beside the caller's,
/// which applies. The reader reads into the chunks the applier gives back: as many as may be
/// in flight, no more.
fn run_parallel<R: BufRead + Send>(
    reader: R,
    prev: Hash,
    pipeline: Pipeline,
    apply: &mut impl FnMut(&mut Chunk) -> Result<bool, JournalError>,
) -> Result<(), JournalError> {
    let in_flight = pipeline.verifiers * BATCHES_PER_VERIFIER;
    let (free_tx, free_rx) = sync_channel::<Chunk>(in_flight);
    for _ in 0..in_flight {
        // Cannot fail: the channel has room for every chunk and its receiver is here.
        let _ = free_tx.send(Chunk::new(pipeline.batch_lines));
    }
    let (read_tx, read_rx) = sync_channel::<Chunk>(in_flight);
    let read_rx = &Mutex::new(read_rx);
    let (verified_tx, verified_rx) = channel::<Chunk>();
    let batch_lines = pipeline.batch_lines;
    std::thread::scope(move |scope| {
        scope.spawn(move || read_batches(reader, prev, batch_lines, free_rx, read_tx));
        for _ in 0..pipeline.verifiers {
            let verified_tx = verified_tx.clone();
            scope.spawn(move || verify_batches(read_rx, verified_tx));
        }
        drop(verified_tx);
        // Returning drops the free chunks' sender and the verified ones' receiver: the reader's
        // next wait for a chunk fails and it stops, and so do the verifiers once the batches
        // run out.
        apply_in_order(verified_rx, free_tx, apply)
    })
}

/// The reader thread's loop: reads a batch into each free chunk, until the input ends or the
/// applier stops (the free chunks' sender is gone).
fn read_batches<R: BufRead>(
    mut reader: R,
    prev: Hash,
    batch_lines: usize,
    free: Receiver<Chunk>,
    read: SyncSender<Chunk>,
) {
    let mut prev = Some(prev);
    for index in 0.. {
        let Ok(mut chunk) = free.recv() else { return };
        chunk.read(&mut reader, index, batch_lines, prev);
        prev = chunk.last_carried().unwrap_or(prev);
        let last = chunk.end.is_some();
        if read.send(chunk).is_err() || last {
            return;
        }
    }
}

/// A verifier thread's loop: verifies batches until there are no more or the applier stops.
fn verify_batches(read: &Mutex<Receiver<Chunk>>, verified: Sender<Chunk>) {
    loop {
        let next = read
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .recv();
        let Ok(mut chunk) = next else { return };
        chunk.verify();
        if verified.send(chunk).is_err() {
            return;
        }
    }
}

/// The applier's loop: takes the chunks as they come, applies them in their batches' order,
/// and gives each one applied back to the reader.
fn apply_in_order(
    verified: Receiver<Chunk>,
    free: SyncSender<Chunk>,
    apply: &mut impl FnMut(&mut Chunk) -> Result<bool, JournalError>,
) -> Result<(), JournalError> {
    let mut waiting = BTreeMap::new();
    let mut next = 0u64;
    for chunk in verified.iter() {
        waiting.insert(chunk.index, chunk);
        while let Some(mut chunk) = waiting.remove(&next) {
            debug_assert_eq!(chunk.index, next, "chunks are applied in order");
            next += 1;
            let last = chunk.end.is_some();
            if !apply(&mut chunk)? || last {
                return Ok(());
            }
            // The reader may have stopped already (it read the last batch).
            let _ = free.send(chunk);
        }
    }
    // Every batch reaches the applier unless a verifier died; never end as if the journal did.
    let why = std::io::Error::other("a verifier thread stopped before the journal's end");
    Err(JournalError::io(
        "read",
        std::path::Path::new("<journal>"),
        why,
    ))
}

impl Chunk {
    /// An empty chunk with room for `batch_lines` lines.
    fn new(batch_lines: usize) -> Chunk {
        Chunk {
            index: 0,
            bytes: Vec::with_capacity(batch_lines * 256),
            read: Vec::with_capacity(batch_lines),
            prev: None,
            lines: Vec::with_capacity(batch_lines),
            parsed: Vec::with_capacity(batch_lines),
            end: None,
        }
    }

    /// Reads the next batch of whole lines from `reader` into this chunk, emptied first:
    /// `batch_lines`, fewer at the end of the input, a torn last line, a line longer than the
    /// limit, or a read error.
    fn read<R: BufRead>(
        &mut self,
        reader: &mut R,
        index: u64,
        batch_lines: usize,
        prev: Option<Hash>,
    ) {
        self.index = index;
        self.prev = prev;
        self.end = None;
        self.bytes.clear();
        self.read.clear();
        self.lines.clear();
        while self.read.len() < batch_lines && self.end.is_none() {
            self.end = self.read_line(reader);
        }
    }

    /// Reads one line into the chunk; why reading stops, if it does.
    fn read_line<R: BufRead>(&mut self, reader: &mut R) -> Option<End> {
        let start = self.bytes.len();
        let mut limited = std::io::Read::take(&mut *reader, journal::MAX_LINE_BYTES as u64 + 1);
        let n = match limited.read_until(b'\n', &mut self.bytes) {
            Ok(n) => n,
            Err(e) => return Some(End::Io(e)),
        };
        match (n, self.bytes.last()) {
            (0, _) => Some(End::Eof),
            (n, _) if n > journal::MAX_LINE_BYTES => Some(End::Bad("line longer than the limit")),
            (n, Some(b'\n')) => {
                self.read.push((start, start + n - 1));
                None
            }
            (n, _) => Some(End::Torn(n as u64)),
        }
    }

    /// The hash this chunk's last line carries, for the next batch: `None` when it has no
    /// line, `Some(None)` when its last line carries none.
    fn last_carried(&self) -> Option<Option<Hash>> {
        let &(start, end) = self.read.last()?;
        Some(journal::stored_hash(&self.bytes[start..end]))
    }

    /// Checks each line read against the hash the line before carries, up to the first that
    /// fails (which ends the chunk), and parses the lines that hold.
    fn verify(&mut self) {
        let hashes = check_seals(&self.bytes, &self.read, self.prev);
        if hashes.len() < self.read.len() {
            let why = why_unsealed(&self.bytes, &self.read, self.prev, hashes.len());
            self.end = Some(End::Bad(why));
        }
        let verified = self.read.iter().zip(hashes);
        self.lines.clear();
        self.lines
            .extend(verified.map(|(&(start, stop), hash)| (start, stop, hash)));
        // The records of the batch this chunk held before are freed here, off the applier.
        self.parsed.clear();
        let bytes = &self.bytes;
        self.parsed.extend(
            self.lines
                .iter()
                .map(|&(start, stop, _)| parse_record(&bytes[start..stop])),
        );
        debug_assert_eq!(self.parsed.len(), self.lines.len(), "a record per line");
    }
}

/// The hashes of the lines whose seals hold, from the first up to the first that does not:
/// every line hashed against the hash the line before carries, all at once
/// ([`sm3x::chain_many`]).
fn check_seals(bytes: &[u8], lines: &[(usize, usize)], prev: Option<Hash>) -> Vec<Hash> {
    let Some(first) = prev else {
        return Vec::new();
    };
    let parts: Vec<(&[u8], Hash)> = lines
        .iter()
        .map_while(|&(start, stop)| journal::sealed_parts(&bytes[start..stop]))
        .collect();
    let prevs = std::iter::once(&first).chain(parts.iter().map(|(_, carried)| carried));
    let jobs: Vec<(&Hash, &[u8])> = prevs.zip(&parts).map(|(p, &(body, _))| (p, body)).collect();
    let mut hashes = Vec::with_capacity(jobs.len());
    sm3x::chain_many(&jobs, &mut hashes);
    let holding = hashes
        .iter()
        .zip(&parts)
        .take_while(|(hash, (_, carried))| hash == &carried)
        .count();
    hashes.truncate(holding);
    hashes
}

/// Why line `bad` of the batch fails its seal, as [`journal::unseal`] says it.
fn why_unsealed(
    bytes: &[u8],
    lines: &[(usize, usize)],
    prev: Option<Hash>,
    bad: usize,
) -> &'static str {
    const ALTERED: &str = "hash does not match: the record or one before it was altered";
    let line = |i: usize| &bytes[lines[i].0..lines[i].1];
    let prev = match bad {
        0 => prev,
        _ => journal::stored_hash(line(bad - 1)),
    };
    let Some(prev) = prev else {
        return ALTERED;
    };
    let why = journal::unseal(&prev, line(bad));
    debug_assert!(why.is_err(), "a line that failed its check fails unseal");
    why.err().unwrap_or(ALTERED)
}

/// A journal record, parsed: a command's or a checkpoint.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Record {
    /// An accepted command.
    Command(Parsed),
    /// A checkpoint (`checkpoint` in place of `actor` and `event`).
    Checkpoint(CheckpointRecord),
}

/// A command's journal record, parsed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub seq: u64,
    pub command: Command,
}

/// Parses one verified line: the canonical form the library writes by hand (the envelope
/// only; the event through serde), anything else through serde whole. Checking the line's
/// UTF-8 once (fast on ASCII) lets serde_json skip checking each string again.
pub(crate) fn parse_record(line: &[u8]) -> Result<Record, String> {
    let text = std::str::from_utf8(line).map_err(|e| e.to_string())?;
    if let Some(parsed) = parse_canonical(text) {
        return Ok(Record::Command(parsed));
    }
    if is_checkpoint(text) {
        let r: CheckpointIn = serde_json::from_str(text).map_err(|e| e.to_string())?;
        return Ok(Record::Checkpoint(r.into()));
    }
    let r: RecordIn = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(Record::Command(Parsed {
        seq: r.seq,
        command: Command::new(r.at, r.actor, r.event),
    }))
}

/// Whether a line holds a checkpoint: `"checkpoint":` as a key of the record. Inside JSON
/// strings a `"` is always escaped, and no event has a field of that name, so the text can
/// only be the envelope's key.
fn is_checkpoint(text: &str) -> bool {
    text.contains("\"checkpoint\":")
}

/// The envelope `{"seq":N,"at":"…","actor":{…},"event":{…},"h":"…"}` exactly as the library
/// writes it. Inside JSON strings a `"` is always escaped, so `,"event":` can only be the
/// structural key, and an actor's ids are read only when they hold no escape at all; anything
/// else returns `None` and is left to serde, which also gives the error messages.
fn parse_canonical(text: &str) -> Option<Parsed> {
    let rest = text.strip_prefix("{\"seq\":")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 19 || rest.as_bytes().first() == Some(&b'0') && digits > 1 {
        return None;
    }
    let seq: u64 = rest[..digits].parse().ok()?;
    let rest = rest[digits..].strip_prefix(",\"at\":\"")?;
    let end = rest.find('"')?;
    let at = Stamp::parse("at", &rest[..end]).ok()?;
    let rest = rest[end..].strip_prefix("\",\"actor\":")?;
    let (actor, rest) = parse_actor(rest)?;
    let event_text = rest.strip_prefix(",\"event\":")?.strip_suffix('}')?;
    // The seal was verified: the line ends `,"h":"<64 hex>"`.
    let event_text = event_text.get(..event_text.len().checked_sub(71)?)?;
    let event: Event = serde_json::from_str(event_text).ok()?;
    Some(Parsed {
        seq,
        command: Command::new(at, actor, event),
    })
}

/// `{"org":"X"}`, `{"org":"X","by":"Y"}` or `{"member":"X"}` with ids free of escapes, read
/// from the front of `text`; returns the actor and what follows it.
fn parse_actor(text: &str) -> Option<(Actor, &str)> {
    // An id runs to the next quote: with no escape in it, that quote ends the string.
    let id = |s: &str| -> Option<(ExtId, usize)> {
        let end = s.find('"')?;
        let raw = &s[..end];
        if raw.contains('\\') {
            return None;
        }
        Some((ExtId::new("id", raw).ok()?, end))
    };
    if let Some(rest) = text.strip_prefix("{\"member\":\"") {
        let (member, end) = id(rest)?;
        let rest = rest[end..].strip_prefix("\"}")?;
        return Some((Actor::Member { member }, rest));
    }
    let rest = text.strip_prefix("{\"org\":\"")?;
    let (org, end) = id(rest)?;
    let rest = &rest[end..];
    if let Some(rest) = rest.strip_prefix("\"}") {
        return Some((Actor::Org { org, by: None }, rest));
    }
    let rest = rest.strip_prefix("\",\"by\":\"")?;
    let (by, end) = id(rest)?;
    let rest = rest[end..].strip_prefix("\"}")?;
    Some((Actor::Org { org, by: Some(by) }, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ledger::{Campaign, Command};
    use crate::model::{LeaderLevel, MemberCategory, Name, OrgKind, Role};
    use crate::rules::RuleSet;

    fn serde_parse(line: &str) -> Parsed {
        let r: RecordIn = serde_json::from_str(line).unwrap();
        Parsed {
            seq: r.seq,
            command: Command::new(r.at, r.actor, r.event),
        }
    }

    /// Records whose ids hold quotes, backslashes, braces and the text of the event key: the
    /// hand parser must read them as serde does, or leave them to serde.
    #[test]
    fn the_canonical_parser_reads_what_serde_reads() {
        let id = |s: &str| ExtId::new("id", s).unwrap();
        let name = |s: &str| Name::new("name", s).unwrap();
        let info = crate::ledger::CampaignInfo {
            id: id("c"),
            name: name("c"),
        };
        let mut c = Campaign::in_memory(info, RuleSet::default()).unwrap();
        let tricky_city = r#"市委,"event":{"x"}"#;
        let tricky_town = r#"t\1}{"#;
        let at = Stamp::parse("at", "2010-05-01T08:30:00").unwrap();
        let cmds = [
            Command::new(
                at,
                Actor::org(&id(tricky_city)),
                Event::CreateOrg(crate::org::CreateOrg {
                    id: id(tricky_city),
                    name: name("市委"),
                    kind: OrgKind::CityCommittee,
                    parent: None,
                }),
            ),
            Command::new(
                at,
                Actor::org(&id(tricky_city)),
                Event::CreateOrg(crate::org::CreateOrg {
                    id: id(tricky_town),
                    name: name(r#"镇 "一" \ 镇"#),
                    kind: OrgKind::TownshipCommittee,
                    parent: Some(id(tricky_city)),
                }),
            ),
            Command::new(
                at,
                Actor::org(&id(tricky_town)),
                Event::CreateOrg(crate::org::CreateOrg {
                    id: id("v"),
                    name: name("村"),
                    kind: OrgKind::Village,
                    parent: Some(id(tricky_town)),
                }),
            ),
            Command::new(
                at,
                Actor::org(&id("v")),
                Event::AddMember(crate::org::AddMember {
                    id: id("m-1"),
                    org: id("v"),
                    category: MemberCategory::Farmer,
                    role: Role::Secretary,
                    leader_level: LeaderLevel::None,
                }),
            ),
            Command::new(
                at,
                Actor::Org {
                    org: id("v"),
                    by: Some(id("m-1")),
                },
                Event::RenameOrg(crate::org::RenameOrg {
                    org: id("v"),
                    name: name("新村"),
                }),
            ),
        ];
        let mut fast = 0;
        for cmd in &cmds {
            let line = c.execute(cmd).unwrap().line;
            let line = line.trim_end_matches('\n');
            let expected = serde_parse(line);
            match parse_canonical(line) {
                Some(parsed) => {
                    assert_eq!(parsed, expected, "{line}");
                    fast += 1;
                }
                None => assert!(line.contains('\\'), "only escapes fall back: {line}"),
            }
            assert_eq!(
                parse_record(line.as_bytes()).unwrap(),
                Record::Command(expected)
            );
        }
        assert!(fast >= 2, "the plain records take the fast path");
        // Non-canonical spacing and unknown envelope fields go to serde.
        assert!(parse_canonical(r#"{ "seq":1,"at":"2010-05-01","actor":{"org":"v"},"event":{"rename_org":{"org":"v","name":"x"}},"h":"0000000000000000000000000000000000000000000000000000000000000000"}"#).is_none());
        assert!(parse_canonical(r#"{"seq":01,"at":"2010-05-01","actor":{"org":"v"},"event":{},"h":"0000000000000000000000000000000000000000000000000000000000000000"}"#).is_none());
    }
}
