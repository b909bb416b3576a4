//! Replay on two cores: one thread reads the journal and verifies every line's seal, the
//! caller's thread parses, checks and applies the verified lines in order.
//!
//! Each line carries its own hash, so verifying line n needs only line n-1's hash, which the
//! verifying thread has just checked; the applying thread never waits for SM3 except when it
//! outruns the verifier. Lines reach the applier only after they verified.
//!
//! Hashing a record costs less than parsing, checking and applying it, so the verifier also
//! parses the first part of each chunk's lines, to balance the two threads. How large a part
//! depends on the records (a long line costs more to hash, a pledge's report more to check
//! than a reception), so the verifier adjusts it as it goes: it parses a larger share of the
//! next chunk when it finds the applier's queue full (the applier is the slower), a smaller
//! one when there is room (see [`ShareControl`]). On a machine with one core, the same chunks
//! are read, verified and applied on the caller's thread alone.

use std::io::BufRead;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

use super::checkpoint::{CheckpointIn, CheckpointRecord};
use super::journal::{self, Hash, RecordIn};
use super::{Actor, Event};
use crate::model::{ExtId, Stamp};

/// Lines per chunk handed from the verifier to the applier.
const CHUNK_LINES: usize = 2048;
/// Chunks in flight between the two threads.
const CHUNKS_IN_FLIGHT: usize = 4;
/// Share of each chunk's lines the verifier parses at the start, in percent (the best fixed
/// share over the demo city: see BENCHMARKS.md).
const PARSE_SHARE_START: usize = 10;
/// The most the verifier parses of a chunk, in percent: the applier always parses some, so a
/// full queue always means the verifier is ahead.
const PARSE_SHARE_MAX: usize = 90;
/// How far the share moves after each chunk, in percent.
const PARSE_SHARE_STEP: usize = 2;

/// The verifier's share of the parsing, moved after each chunk by what the queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShareControl {
    percent: usize,
}

impl ShareControl {
    pub(crate) fn new() -> ShareControl {
        ShareControl {
            percent: PARSE_SHARE_START,
        }
    }

    /// The share of the next chunk's lines to parse, in percent.
    pub(crate) fn percent(self) -> usize {
        self.percent
    }

    /// After a chunk: `queue_full` when the applier had not yet taken the chunks before it.
    pub(crate) fn after(&mut self, queue_full: bool) {
        self.percent = if queue_full {
            (self.percent + PARSE_SHARE_STEP).min(PARSE_SHARE_MAX)
        } else {
            self.percent.saturating_sub(PARSE_SHARE_STEP)
        };
    }
}

/// Verified lines, in order.
pub(crate) struct Chunk {
    /// The lines' bytes, newlines included.
    pub bytes: Vec<u8>,
    /// For each verified line: its start and end in `bytes` (newline excluded) and its hash.
    pub lines: Vec<(usize, usize, Hash)>,
    /// The first lines, already parsed (or the parser's error).
    pub parsed: Vec<Result<Record, String>>,
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
    let mut share = ShareControl::new();
    loop {
        let chunk = next_chunk(&mut reader, &mut prev, share.percent());
        let last = chunk.end.is_some();
        let sent = match tx.try_send(chunk) {
            Ok(()) => {
                share.after(false);
                Ok(())
            }
            Err(TrySendError::Full(chunk)) => {
                share.after(true);
                tx.send(chunk).map_err(drop)
            }
            Err(TrySendError::Disconnected(_)) => Err(()),
        };
        if sent.is_err() || last {
            return;
        }
    }
}

/// Whether a second thread can run beside this one.
pub(crate) fn two_cores() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2)
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
    pub at: Stamp,
    pub actor: Actor,
    pub event: Event,
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
        at: r.at,
        actor: r.actor,
        event: r.event,
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
        at,
        actor,
        event,
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

/// A channel for [`verify_lines`].
pub(crate) fn channel() -> (SyncSender<Chunk>, Receiver<Chunk>) {
    sync_channel(CHUNKS_IN_FLIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verifiers_share_rises_while_the_queue_is_full_and_falls_while_it_has_room() {
        let mut share = ShareControl::new();
        assert_eq!(share.percent(), PARSE_SHARE_START);
        share.after(true);
        assert_eq!(share.percent(), PARSE_SHARE_START + PARSE_SHARE_STEP);
        for _ in 0..100 {
            share.after(true);
        }
        assert_eq!(share.percent(), PARSE_SHARE_MAX);
        share.after(false);
        assert_eq!(share.percent(), PARSE_SHARE_MAX - PARSE_SHARE_STEP);
        for _ in 0..100 {
            share.after(false);
        }
        assert_eq!(share.percent(), 0);
    }
    use crate::ledger::{Campaign, Command};
    use crate::model::{LeaderLevel, MemberCategory, Name, OrgKind, Role};
    use crate::rules::RuleSet;

    fn serde_parse(line: &str) -> Parsed {
        let r: RecordIn = serde_json::from_str(line).unwrap();
        Parsed {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            event: r.event,
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
