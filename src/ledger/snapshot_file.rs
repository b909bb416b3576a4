//! Binary snapshots: the whole state in a file beside the journal (`<journal>.snapshot`), so
//! that opening reads the snapshot and replays only the journal's records after it.
//!
//! The layout (docs/events.md, "Binary snapshots"): the magic `CZ-SNAP\n` and the format
//! version (`u32`); the state's lists one after the other, each in blocks of about a
//! megabyte that end at an item's end, the items in the layout of [`crate::model::binary`];
//! the footer (where the snapshot stands in the journal, and each list's blocks: offset,
//! length, item count and CRC-32); then the footer's length, its CRC-32 and the magic again.
//! Every block is checked against its CRC before it is read, every value through its
//! constructor, and the whole state through the checks [`State::from_parts`] makes, as a JSON
//! snapshot is. A snapshot that fails any of these, or that does not meet its journal, is
//! skipped and the journal replayed whole: a snapshot is never trusted over the journal.
//! Reading keeps one block in memory beside the state ([`super::snapshot_blocks`]).

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::num::{NonZeroU64, NonZeroUsize};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::checkpoint::CheckpointRecord;
use super::journal::{self, Hash};
use super::snapshot_blocks::{Block, Blocks, List, Skip, read_shared};
use super::state::State;
use super::{Campaign, JournalError};
use crate::model::binary::{Binary, Reader, binary_struct};
use crate::org::Registry;
use crate::pledge::{Pledge, Pledges};

/// The magic at the start and at the end of every snapshot file.
pub const SNAPSHOT_FILE_MAGIC: &[u8; 8] = b"CZ-SNAP\n";
/// The binary snapshot format version this build writes and reads. A snapshot of any other
/// version is not read: the journal is replayed whole instead. Version 1 wrote each list as
/// one section (the pledges as two); version 2 writes each in blocks.
pub const SNAPSHOT_FILE_VERSION: u32 = 2;
/// The lists, in file order; the activity's nine lists are lists of their own.
const LISTS: [&str; 21] = [
    "orgs",
    "members",
    "units",
    "pledges",
    "households",
    "receptions",
    "visits",
    "concerns",
    "member_evaluations",
    "matters",
    "hotline_cases",
    "donations",
    "home_visits",
    "teams",
    "volunteer_activities",
    "contact_points",
    "instructors",
    "activities",
    "pairings",
    "times",
    "checkpoints",
];
const ORGS: usize = 0;
const MEMBERS: usize = 1;
const UNITS: usize = 2;
const PLEDGES: usize = 3;
/// The first of the lists after the pledges, which are read in this order.
const HOUSEHOLDS: usize = 4;
/// The trailer: the footer's length (`u32`), its CRC-32 (`u32`) and the magic.
const TRAILER_LEN: u64 = 16;
/// Bytes encoded before they are written and summed: a block ends at the first item's end at
/// or past it.
const BLOCK_BYTES: NonZeroUsize = NonZeroUsize::new(1 << 20).unwrap();

/// The snapshot file of the journal at `journal`: `<journal>.snapshot`.
pub fn snapshot_path(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".snapshot");
    PathBuf::from(name)
}

/// Where the snapshot stands in its journal, and its lists' blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Footer {
    /// Records included (the last one's sequence number).
    seq: u64,
    /// The journal's length through the last included record, newline included.
    journal_len: u64,
    /// The last included record's hash.
    last_hash: Hash,
    /// The journal header's hash.
    header_hash: Hash,
    /// The latest effective date among the included records.
    latest: Option<Date>,
    /// Each list's blocks, in the order of [`LISTS`].
    lists: Vec<Vec<Block>>,
}

binary_struct!(Footer {
    seq,
    journal_len,
    last_hash,
    header_hash,
    latest,
    lists
});

/// What a snapshot written holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotSaved {
    /// The file written.
    pub path: PathBuf,
    /// The records it includes (the last one's sequence number).
    pub seq: u64,
    /// Its size in bytes.
    pub bytes: u64,
}

/// Writes lists to a file in blocks, summing each.
struct ListWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    offset: u64,
    /// Bytes at which a block ends (at the end of the item that reaches it).
    block_bytes: usize,
    lists: Vec<Vec<Block>>,
}

impl<W: Write> ListWriter<W> {
    /// Writes the buffer as a block of `items` items.
    fn block(&mut self, items: u64, blocks: &mut Vec<Block>) -> io::Result<()> {
        if items == 0 {
            return Ok(());
        }
        self.out.write_all(&self.buf)?;
        let len = self.buf.len() as u64;
        blocks.push(Block {
            offset: self.offset,
            len,
            items,
            crc: crc32fast::hash(&self.buf),
        });
        self.offset += len;
        self.buf.clear();
        Ok(())
    }

    fn list<T: Binary>(&mut self, items: &[T]) -> io::Result<()> {
        let (mut blocks, mut n) = (Vec::new(), 0);
        for item in items {
            item.put(&mut self.buf);
            n += 1;
            if self.buf.len() >= self.block_bytes {
                self.block(n, &mut blocks)?;
                n = 0;
            }
        }
        self.block(n, &mut blocks)?;
        debug_assert_eq!(
            blocks.iter().map(|b| b.items).sum::<u64>(),
            items.len() as u64
        );
        self.lists.push(blocks);
        Ok(())
    }
}

/// Snapshots written as records come in ([`Campaign::set_snapshot_every`]).
#[derive(Debug, Default)]
pub(crate) struct AutoSnapshots {
    /// Records between snapshots; `None`: only when asked.
    every: Option<NonZeroU64>,
    /// The records the last snapshot loaded or written automatically held.
    pub(crate) at: u64,
    /// Why the last automatic snapshot failed, until taken.
    error: Option<crate::Error>,
}

impl Campaign {
    /// Writes the whole state to `<journal>.snapshot` (replacing the one there), so that the
    /// next [`Campaign::open`] or [`Campaign::open_read_only`] loads it and replays only the
    /// records after it. It stands at the journal's length (every acknowledged record is
    /// synced); it is written to a temporary file beside it, synced and renamed into place, so
    /// a crash leaves the old snapshot or the new one, never half of one. Only a campaign with
    /// a journal file has one (4017), and not one opened read-only (4016).
    ///
    /// ```
    /// use chuangzheng::ledger::{Campaign, OpenOptions};
    /// # let dir = std::env::temp_dir().join(format!("cz-snap-doc-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir)?;
    /// # let path = dir.join("city.jsonl");
    /// # let _ = std::fs::remove_file(&path);
    /// let mut c = Campaign::create(&path, chuangzheng::demo::info(), Default::default())?;
    /// c.execute_batch(&chuangzheng::demo::commands(&chuangzheng::demo::DemoSpec::small())[..10])?;
    /// let saved = c.save_snapshot()?;
    /// assert_eq!(saved.seq, 10);
    /// drop(c);
    /// let (c, report) = Campaign::open(&path, OpenOptions::default())?;
    /// assert_eq!((report.snapshot, c.seq()), (Some(10), 10));
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn save_snapshot(&self) -> Result<SnapshotSaved, crate::Error> {
        self.save_snapshot_in_blocks(BLOCK_BYTES)
    }

    /// [`Campaign::save_snapshot`] with blocks ending at `block_bytes` instead of a megabyte:
    /// for tests and fuzzing, which reach reading a list in many blocks with small data.
    #[doc(hidden)]
    pub fn save_snapshot_in_blocks(
        &self,
        block_bytes: NonZeroUsize,
    ) -> Result<SnapshotSaved, crate::Error> {
        self.writable()?;
        let Some(writer) = self.writer.as_ref() else {
            return Err(JournalError::NoJournalFile.into());
        };
        if writer.broken {
            return Err(JournalError::Poisoned.into());
        }
        let (journal_len, path) = (writer.len(), snapshot_path(writer.path()));
        let tmp = {
            let mut name = path.as_os_str().to_owned();
            name.push(".tmp");
            PathBuf::from(name)
        };
        let written = self.write_snapshot_to(&tmp, journal_len, block_bytes.get());
        let bytes = written
            .and_then(|bytes| {
                std::fs::rename(&tmp, &path)?;
                journal::sync_parent_dir(&path).map_err(io::Error::other)?;
                Ok(bytes)
            })
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                JournalError::io("write snapshot", &path, e)
            })?;
        Ok(SnapshotSaved {
            path,
            seq: self.seq,
            bytes,
        })
    }

    /// Writes a snapshot by itself after every `every` records (counted from the snapshot it
    /// was opened from, or the last one it wrote so; from the journal's start if none), in the
    /// call that records the record that makes it due; `None`: only when
    /// [`Campaign::save_snapshot`] is called. At province scale a snapshot takes seconds to
    /// write (BENCHMARKS.md), which that call then takes longer. A snapshot that cannot be
    /// written does not fail the command, which is recorded: the error is kept for
    /// [`Campaign::take_snapshot_error`], and the next one is tried `every` records later.
    pub fn set_snapshot_every(&mut self, every: Option<NonZeroU64>) {
        self.snapshots.every = every;
    }

    /// Why the last snapshot written by itself ([`Campaign::set_snapshot_every`]) failed, if it
    /// did; taken once.
    pub fn take_snapshot_error(&mut self) -> Option<crate::Error> {
        self.snapshots.error.take()
    }

    /// After records were acknowledged: a snapshot if one is due.
    pub(crate) fn snapshot_if_due(&mut self) {
        let Some(every) = self.snapshots.every else {
            return;
        };
        if self.seq.saturating_sub(self.snapshots.at) < every.get() {
            return;
        }
        self.snapshots.at = self.seq;
        if let Err(e) = self.save_snapshot() {
            self.snapshots.error = Some(e);
        }
    }

    fn write_snapshot_to(
        &self,
        tmp: &Path,
        journal_len: u64,
        block_bytes: usize,
    ) -> io::Result<u64> {
        let file = File::create(tmp)?;
        let mut w = ListWriter {
            out: BufWriter::with_capacity(BLOCK_BYTES.get(), file),
            buf: Vec::with_capacity(block_bytes.min(BLOCK_BYTES.get()) * 2),
            offset: 0,
            block_bytes,
            lists: Vec::with_capacity(LISTS.len()),
        };
        w.out.write_all(SNAPSHOT_FILE_MAGIC)?;
        w.out.write_all(&SNAPSHOT_FILE_VERSION.to_le_bytes())?;
        w.offset = 12;
        self.write_lists(&mut w)?;
        let footer = Footer {
            seq: self.seq,
            journal_len,
            last_hash: self.last_hash,
            header_hash: self.header_hash,
            latest: self.latest,
            lists: std::mem::take(&mut w.lists),
        };
        let mut bytes = Vec::new();
        footer.put(&mut bytes);
        (bytes.len() as u32).put(&mut bytes);
        crc32fast::hash(&bytes).put(&mut bytes);
        bytes.extend_from_slice(SNAPSHOT_FILE_MAGIC);
        w.out.write_all(&bytes)?;
        let file = w.out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(w.offset + bytes.len() as u64)
    }

    fn write_lists<W: Write>(&self, w: &mut ListWriter<W>) -> io::Result<()> {
        let s = &self.state;
        w.list(s.orgs())?;
        w.list(s.members())?;
        w.list(s.units())?;
        w.list(s.pledges())?;
        w.list(s.households())?;
        w.list(s.receptions())?;
        w.list(s.visits())?;
        w.list(s.concerns())?;
        w.list(s.member_evaluations())?;
        w.list(s.matters())?;
        let a = s.activity().records();
        w.list(&a.hotline_cases)?;
        w.list(&a.donations)?;
        w.list(&a.home_visits)?;
        w.list(&a.teams)?;
        w.list(&a.volunteer_activities)?;
        w.list(&a.contact_points)?;
        w.list(&a.instructors)?;
        w.list(&a.activities)?;
        w.list(&a.pairings)?;
        w.list(&s.times().entries())?;
        w.list(&self.checkpoints)?;
        debug_assert_eq!(w.lists.len(), LISTS.len());
        Ok(())
    }
}

/// A snapshot read and checked, ready to continue its journal.
pub(crate) struct Loaded {
    pub state: State,
    pub checkpoints: Vec<CheckpointRecord>,
    pub seq: u64,
    pub journal_len: u64,
    pub last_hash: Hash,
    pub latest: Option<Date>,
}

/// Reads the snapshot at `path` for a journal whose header hashes to `header_hash` and
/// whose file is `journal_len_now` bytes long: `Ok(None)` when there is none, `Err` (why)
/// when there is one that cannot be used.
pub(crate) fn load(
    path: &Path,
    header_hash: &Hash,
    journal: &File,
    journal_len_now: u64,
    max_units_per_org: u32,
) -> Result<Option<Loaded>, Skip> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot open it: {e}")),
    };
    let footer = read_footer(&mut file)?;
    if &footer.header_hash != header_hash {
        return Err("it is of another journal (its header hash differs)".into());
    }
    if footer.journal_len > journal_len_now {
        return Err(format!(
            "it stands at byte {} of the journal, which is {journal_len_now} bytes long",
            footer.journal_len
        ));
    }
    check_meets_journal(journal, &footer)?;
    let (state, checkpoints) = read_state(path, &footer, max_units_per_org)?;
    Ok(Some(Loaded {
        state,
        checkpoints,
        seq: footer.seq,
        journal_len: footer.journal_len,
        last_hash: footer.last_hash,
        latest: footer.latest,
    }))
}

fn io_skip(what: &str) -> impl Fn(io::Error) -> Skip + '_ {
    move |e| format!("cannot read its {what}: {e}")
}

/// Reads and checks the version, the trailer and the footer.
fn read_footer(file: &mut File) -> Result<Footer, Skip> {
    let len = file.metadata().map_err(io_skip("length"))?.len();
    let mut head = [0_u8; 12];
    file.read_exact(&mut head).map_err(io_skip("head"))?;
    if &head[..8] != SNAPSHOT_FILE_MAGIC {
        return Err("it does not start as a snapshot file does".into());
    }
    let version = u32::from_le_bytes([head[8], head[9], head[10], head[11]]);
    if version != SNAPSHOT_FILE_VERSION {
        return Err(format!(
            "it is of format version {version}; this build reads version {SNAPSHOT_FILE_VERSION}"
        ));
    }
    if len < 12 + TRAILER_LEN {
        return Err("it is too short to hold its footer".into());
    }
    let mut trailer = [0_u8; TRAILER_LEN as usize];
    file.seek(SeekFrom::Start(len - TRAILER_LEN))
        .and_then(|_| file.read_exact(&mut trailer))
        .map_err(io_skip("trailer"))?;
    if &trailer[8..] != SNAPSHOT_FILE_MAGIC {
        return Err("it does not end as a snapshot file does: cut short?".into());
    }
    let footer_len = u64::from(u32::from_le_bytes([
        trailer[0], trailer[1], trailer[2], trailer[3],
    ]));
    let crc = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    if footer_len > len - TRAILER_LEN - 12 {
        return Err("its footer is longer than the file".into());
    }
    let mut footer = vec![0_u8; footer_len as usize + 4];
    file.seek(SeekFrom::Start(len - TRAILER_LEN - footer_len))
        .and_then(|_| file.read_exact(&mut footer[..footer_len as usize]))
        .map_err(io_skip("footer"))?;
    footer[footer_len as usize..].copy_from_slice(&trailer[..4]);
    if crc32fast::hash(&footer) != crc {
        return Err("its footer does not match its checksum".into());
    }
    let mut r = Reader::new(&footer[..footer_len as usize]);
    let footer = Footer::get(&mut r).map_err(|e| format!("its footer is unreadable {e}"))?;
    check_blocks(&footer, len - TRAILER_LEN - footer_len)?;
    Ok(footer)
}

/// The lists' blocks follow each other from byte 12 to the footer.
fn check_blocks(footer: &Footer, footer_at: u64) -> Result<(), Skip> {
    if footer.lists.len() != LISTS.len() {
        return Err(format!(
            "it has {} lists, not {}",
            footer.lists.len(),
            LISTS.len()
        ));
    }
    let mut at = 12;
    for (blocks, name) in footer.lists.iter().zip(LISTS) {
        for b in blocks {
            if b.offset != at || b.len > footer_at - at {
                return Err(format!("a block of its list {name} lies outside its place"));
            }
            at += b.len;
        }
    }
    if at != footer_at {
        return Err("its lists do not reach its footer".into());
    }
    Ok(())
}

/// The journal's record that ends at the snapshot's offset carries the snapshot's last hash
/// (or the snapshot stands at the header, whose hash it carries).
fn check_meets_journal(mut journal: &File, footer: &Footer) -> Result<(), Skip> {
    let seal = journal::SEAL_LEN as u64 + 1;
    let wrong = || {
        format!(
            "the journal's record {} ending at byte {} is not the one it was taken after",
            footer.seq, footer.journal_len
        )
    };
    if footer.journal_len < seal {
        return Err(wrong());
    }
    let mut end = vec![0_u8; seal as usize];
    journal
        .seek(SeekFrom::Start(footer.journal_len - seal))
        .and_then(|_| journal.read_exact(&mut end))
        .map_err(|e| format!("cannot read the journal where it stands: {e}"))?;
    if end.last() != Some(&b'\n')
        || journal::stored_hash(&end[..end.len() - 1]) != Some(footer.last_hash)
    {
        return Err(wrong());
    }
    if seq_ending_at(journal, footer.journal_len)? != Some(footer.seq) {
        return Err(wrong());
    }
    Ok(())
}

/// The seq of the journal's line ending (with its newline) at byte `end`: 0 for the header
/// (the first line), `None` when the line holds no seq or is not whole within the line limit.
fn seq_ending_at(mut journal: &File, end: u64) -> Result<Option<u64>, Skip> {
    #[derive(serde::Deserialize)]
    struct Seq {
        seq: u64,
    }
    let window = end.min(journal::MAX_LINE_BYTES as u64 + 1);
    let mut bytes = vec![0_u8; window as usize];
    journal
        .seek(SeekFrom::Start(end - window))
        .and_then(|_| journal.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read the journal where it stands: {e}"))?;
    let body = &bytes[..bytes.len().saturating_sub(1)];
    let (line, first) = match body.iter().rposition(|b| *b == b'\n') {
        Some(i) => (&body[i + 1..], false),
        None if window == end => (body, true),
        None => return Ok(None),
    };
    Ok(match serde_json::from_slice::<Seq>(line) {
        Ok(s) => Some(s.seq),
        Err(_) => first.then_some(0),
    })
}

/// List `i` of the footer.
fn list(footer: &Footer, i: usize) -> List<'_> {
    List {
        name: LISTS[i],
        blocks: &footer.lists[i],
    }
}

/// The footer of `bytes` (a whole snapshot file's) and where it starts, if its trailer can
/// be read.
fn footer_of(bytes: &[u8]) -> Option<(Footer, usize)> {
    let n = bytes.len();
    let len = u32::from_le_bytes(bytes.get(n.checked_sub(16)?..n - 12)?.try_into().ok()?);
    let at = (n - 16).checked_sub(len as usize)?;
    let footer = Footer::get(&mut Reader::new(&bytes[at..n - 16])).ok()?;
    Some((footer, at))
}

/// `bytes[..at]` followed by `footer` and a trailer made anew (its length, its CRC, the magic).
fn with_footer(bytes: &[u8], at: usize, footer: &Footer) -> Vec<u8> {
    let mut out = bytes[..at].to_vec();
    let mut tail = Vec::new();
    footer.put(&mut tail);
    (tail.len() as u32).put(&mut tail);
    crc32fast::hash(&tail).put(&mut tail);
    tail.extend_from_slice(SNAPSHOT_FILE_MAGIC);
    out.extend_from_slice(&tail);
    out
}

/// `bytes` (a snapshot file's, changed) with every block's CRC and the footer's trailer made
/// to match again; `None` when the footer cannot be read. For tests and fuzzing, which reach
/// the decoding of changed bytes this way. A snapshot is a cache the journal rebuilds, never
/// evidence: a resealed one proves nothing, and `verify` never reads one.
#[doc(hidden)]
pub fn reseal_snapshot(bytes: &[u8]) -> Option<Vec<u8>> {
    let (mut footer, at) = footer_of(bytes)?;
    for s in footer.lists.iter_mut().flatten() {
        let start = usize::try_from(s.offset).ok()?;
        let end = start.checked_add(usize::try_from(s.len).ok()?)?;
        if let Some(block) = bytes.get(start..end.min(at)) {
            s.crc = crc32fast::hash(block);
        }
    }
    Some(with_footer(bytes, at, &footer))
}

fn broken(why: String) -> Skip {
    format!("its state breaks an invariant: {why}")
}

/// The state and the checkpoints, on two threads: one reads the pledges' blocks from the
/// front; the other reads the organizations, members and units and makes the registry, reads
/// and checks everything but the pledges, then reads the pledges' blocks from the back. The
/// pledges are checked last. Each part is checked as [`State::from_parts`] checks it.
fn read_state(
    path: &Path,
    footer: &Footer,
    max_units_per_org: u32,
) -> Result<(State, Vec<CheckpointRecord>), Skip> {
    let open = || File::open(path).map_err(|e| format!("cannot open it: {e}"));
    let (front, back) = (Blocks::new(open()?), Blocks::new(open()?));
    let (pledges, (reg, rest, checkpoints)) =
        read_shared::<Pledge, _>(list(footer, PLEDGES), front, back, |f| {
            let reg = read_registry(f, footer, max_units_per_org)?;
            let (rest, checkpoints) = read_rest(f, footer, &reg)?;
            Ok((reg, rest, checkpoints))
        })?;
    let pledges = Pledges::load(&reg, pledges).map_err(broken)?;
    Ok((State::from_loaded(reg, pledges, rest), checkpoints))
}

fn read_registry(
    f: &mut Blocks,
    footer: &Footer,
    max_units_per_org: u32,
) -> Result<Registry, Skip> {
    let orgs = f.list(list(footer, ORGS))?;
    let members = f.list(list(footer, MEMBERS))?;
    let units = f.list(list(footer, UNITS))?;
    Registry::load(orgs, members, units, max_units_per_org).map_err(broken)
}

/// Everything but the registry and the pledges, read and checked; and the checkpoints.
fn read_rest(
    f: &mut Blocks,
    footer: &Footer,
    reg: &Registry,
) -> Result<(super::state::Loaded, Vec<CheckpointRecord>), Skip> {
    let mut lists = (HOUSEHOLDS..LISTS.len()).map(|i| list(footer, i));
    let mut next = || {
        lists
            .next()
            .ok_or_else(|| "its lists end early".to_string())
    };
    let households = f.list(next()?)?;
    let receptions = f.list(next()?)?;
    let visits = f.list(next()?)?;
    let concerns = f.list(next()?)?;
    let member_evaluations = f.list(next()?)?;
    let matters = f.list(next()?)?;
    let activity = crate::activity::ActivityRecords {
        hotline_cases: f.list(next()?)?,
        donations: f.list(next()?)?,
        home_visits: f.list(next()?)?,
        teams: f.list(next()?)?,
        volunteer_activities: f.list(next()?)?,
        contact_points: f.list(next()?)?,
        instructors: f.list(next()?)?,
        activities: f.list(next()?)?,
        pairings: f.list(next()?)?,
    };
    let parts = super::state::RestParts {
        households,
        receptions,
        visits,
        concerns,
        member_evaluations,
        matters,
        activity,
        times: f.list(next()?)?,
    };
    let rest = super::state::Loaded::load(reg, parts).map_err(broken)?;
    Ok((rest, f.list(next()?)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    /// The small demo's journal in a directory of its own, with its snapshot's bytes (blocks
    /// ending at `block_bytes`).
    fn journal(name: &str, block_bytes: usize) -> (PathBuf, Campaign, Vec<u8>) {
        let dir = std::env::temp_dir().join(format!("cz-snapshot-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("directory");
        let path = dir.join("city.jsonl");
        let mut c = Campaign::create(&path, demo::info(), Default::default()).expect("create");
        demo::record_small(&mut c);
        let block_bytes = NonZeroUsize::new(block_bytes).expect("a block size");
        c.save_snapshot_in_blocks(block_bytes).expect("snapshot");
        let bytes = std::fs::read(snapshot_path(&path)).expect("bytes");
        (path, c, bytes)
    }

    /// A footer that names another seq than the journal's record at its offset, its trailer
    /// made to match, is skipped: a campaign opened from it would number its next record
    /// wrongly.
    #[test]
    fn a_footer_naming_another_seq_is_skipped() {
        let (path, c, good) = journal("seq", BLOCK_BYTES.get());
        let (footer, at) = footer_of(&good).expect("a footer");
        let journal = File::open(&path).expect("journal");
        let len = journal.metadata().expect("metadata").len();
        let max_units = c.rules.coverage.max_units_per_org;
        let snap = snapshot_path(&path);
        for seq in [footer.seq - 1, footer.seq + 1, 0] {
            let forged = Footer {
                seq,
                ..footer.clone()
            };
            std::fs::write(&snap, with_footer(&good, at, &forged)).expect("write");
            let why = match load(&snap, &c.header_hash, &journal, len, max_units) {
                Err(why) => why,
                Ok(_) => panic!("a snapshot naming seq {seq} was loaded"),
            };
            assert!(why.contains("is not the one it was taken after"), "{why}");
        }
        std::fs::write(&snap, reseal_snapshot(&good).expect("resealed")).expect("write");
        assert!(matches!(
            load(&snap, &c.header_hash, &journal, len, max_units),
            Ok(Some(_))
        ));
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    /// Bytes changed inside a block, its CRC made to match: whatever they decode to, the load
    /// never panics, and what it loads passes every invariant check of the state. The blocks
    /// are small, so a failure often comes while both threads read the pledges.
    #[test]
    fn changed_bytes_with_matching_checksums_never_panic() {
        let (path, c, good) = journal("bytes", 256);
        let (footer, at) = footer_of(&good).expect("a footer");
        assert!(
            footer.lists[PLEDGES].len() > 20,
            "the pledges in many blocks"
        );
        let journal = File::open(&path).expect("journal");
        let len = journal.metadata().expect("metadata").len();
        let max_units = c.rules.coverage.max_units_per_org;
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut loaded, mut skipped) = (0, 0);
        for _ in 0..300 {
            let mut bytes = good.clone();
            let mut footer = footer.clone();
            let blocks: Vec<(usize, usize)> = (0..footer.lists.len())
                .flat_map(|i| (0..footer.lists[i].len()).map(move |k| (i, k)))
                .collect();
            let (i, k) = blocks[(next() % blocks.len() as u64) as usize];
            let s = footer.lists[i][k];
            for _ in 0..1 + next() % 3 {
                let at = (s.offset + next() % s.len) as usize;
                bytes[at] ^= (1 + next() % 255) as u8;
            }
            let range = s.offset as usize..(s.offset + s.len) as usize;
            footer.lists[i][k].crc = crc32fast::hash(&bytes[range]);
            let bytes = with_footer(&bytes, at, &footer);
            let snap = snapshot_path(&path);
            std::fs::write(&snap, &bytes).expect("write");
            match load(&snap, &c.header_hash, &journal, len, max_units) {
                Ok(Some(l)) => {
                    l.state
                        .check_invariants(max_units)
                        .expect("a loaded state is sound");
                    loaded += 1;
                }
                Ok(None) => panic!("the snapshot is there"),
                Err(_) => skipped += 1,
            }
        }
        assert!(skipped > 100, "{skipped} skipped, {loaded} loaded");
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }
}
