//! The ledger: a [`Campaign`] holds the state; every change is a [`Command`] that is checked,
//! journaled, then applied.
//!
//! # How a command is handled
//!
//! 1. **Checked** against the state and the rules: every identifier resolved, the actor's
//!    authority in the tree (an organization acts on itself and its subtree; a member on their
//!    own records; creating the root is done by the root itself), every invariant the change
//!    could break. A refused command returns a [`LedgerError`] and changes nothing.
//! 2. **Journaled**: sealed into a hash-chained record and, if the campaign has a journal file,
//!    written and synced before the command is acknowledged (see [`journal`]).
//! 3. **Applied** to the state; this step cannot fail.
//!
//! Replaying the records in order through the same steps rebuilds exactly the same state. Host
//! systems that keep events in their own database store each [`Receipt::line`] and replay them
//! with [`Campaign::replay`].
//!
//! ```
//! use chuangzheng::ledger::{Actor, Campaign, CampaignInfo, Command, Event};
//! use chuangzheng::model::{ExtId, Name, OrgKind, Stamp};
//! use chuangzheng::rules::RuleSet;
//! use jiff::civil::date;
//!
//! let info = CampaignInfo {
//!     id: ExtId::new("campaign.id", "dg-2010").unwrap(),
//!     name: Name::new("campaign.name", "东港市创先争优").unwrap(),
//! };
//! let mut campaign = Campaign::in_memory(info, RuleSet::default()).unwrap();
//! let city = ExtId::new("id", "city").unwrap();
//! let at = Stamp::on(date(2010, 6, 1));
//! campaign.execute(&Command::new(at, Actor::org(&city), Event::CreateOrg(chuangzheng::org::CreateOrg {
//!     id: city.clone(),
//!     name: Name::new("name", "市委").unwrap(),
//!     kind: OrgKind::CityCommittee,
//!     parent: None,
//! }))).unwrap();
//!
//! // A village cannot sit directly under the city committee: refused, nothing changes.
//! let before = campaign.state_json();
//! let err = campaign.execute(&Command::new(at, Actor::org(&city), Event::CreateOrg(chuangzheng::org::CreateOrg {
//!     id: ExtId::new("id", "v-1").unwrap(),
//!     name: Name::new("name", "大鹿村党支部").unwrap(),
//!     kind: OrgKind::Village,
//!     parent: Some(city.clone()),
//! }))).unwrap_err();
//! assert_eq!(chuangzheng::Coded::code(&err), 3007);
//! assert_eq!(campaign.state_json(), before);
//! ```

mod apply;
pub mod checkpoint;
mod command;
mod error;
#[cfg(feature = "fault-injection")]
pub mod faults;
pub mod import;
pub mod journal;
mod replay;
mod sm3x;
mod snapshot;
mod snapshot_blocks;
mod snapshot_file;
mod state;
mod verify;

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

pub use checkpoint::{
    Alg, Checkpoint, CheckpointRecord, KeyError, KeyKind, KeyProblem, SigningKey, VerifyingKey,
};
pub use command::{Actor, Command, Event, MAX_COMMAND_BYTES, MAX_IMPORT_COMMANDS, parse_jsonl};

pub use crate::activity::{Activities, ActivityRecords};
pub use error::{EntityKind, JournalError, LedgerError, io_zh};
pub use import::{
    ImportCause, ImportCheck, ImportError, ImportOptions, ImportPhase, ImportProgress,
    ImportReport, Refusal, check_jsonl, import_jsonl, import_jsonl_signed,
};
pub use journal::{
    CampaignInfo, DroppedTail, Hash, JOURNAL_FORMAT, JOURNAL_VERSION, OpenOptions, ReplayReport,
    hash_from_hex, hash_hex,
};
pub use snapshot::{SNAPSHOT_FORMAT, SNAPSHOT_VERSION};
#[doc(hidden)]
pub use snapshot_file::reseal_snapshot;
pub use snapshot_file::{SNAPSHOT_FILE_MAGIC, SNAPSHOT_FILE_VERSION, SnapshotSaved, snapshot_path};
pub use state::{MAX_DEPTH, MAX_ENTITIES, State, StateParts};
pub use verify::{Anchors, Mismatch, Signatures, Verification};

use journal::{HeaderIn, HeaderOut, JournalWriter, RecordOut};

use crate::rules::RuleSet;

/// What an accepted command left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The record's sequence number.
    pub seq: u64,
    /// The record's hash, which vouches for it and every record before it.
    pub hash: Hash,
    /// The sealed journal line, newline included, for hosts that store events themselves.
    pub line: String,
}

/// What a batch left behind.
#[derive(Debug)]
pub struct BatchReceipt {
    /// Per command, in order: its sequence number, or why it was refused.
    pub outcomes: Vec<Result<u64, LedgerError>>,
    /// The sealed journal lines of the accepted commands and of the checkpoints written among
    /// them ([`Campaign::execute_batch_signed`]), in order, each ending in a newline.
    pub lines: String,
    /// The sequence numbers of the checkpoints written, in order (none unless signed).
    pub checkpoints: Vec<u64>,
}

/// How a batch is signed ([`Campaign::execute_batch_signed`]): with this key, a checkpoint
/// after every `every` records since the last checkpoint, and one at the batch's end after any
/// record not yet covered.
#[derive(Debug, Clone, Copy)]
pub struct Signing<'a> {
    /// The key; borrowed for the call, never kept.
    pub key: &'a SigningKey,
    /// Records between checkpoints inside a batch; `None`: one checkpoint at the batch's end.
    pub every: Option<std::num::NonZeroU64>,
}

impl BatchReceipt {
    /// Whether every command was accepted.
    pub fn all_accepted(&self) -> bool {
        self.outcomes.iter().all(Result::is_ok)
    }

    /// The first refusal, with the command's position in the batch.
    pub fn first_refusal(&self) -> Option<(usize, &LedgerError)> {
        self.outcomes
            .iter()
            .enumerate()
            .find_map(|(i, o)| o.as_ref().err().map(|e| (i, e)))
    }
}

/// A campaign: its identity, its rules, its state, and (optionally) the journal file it writes.
///
/// Thread safety: a `Campaign` is `Send` and `Sync`; it needs `&mut` to change, so share it
/// behind a lock.
#[derive(Debug)]
pub struct Campaign {
    info: CampaignInfo,
    rules: RuleSet,
    state: State,
    seq: u64,
    last_hash: Hash,
    header_hash: Hash,
    writer: Option<JournalWriter>,
    poisoned: bool,
    /// The latest effective date among the recorded commands.
    latest: Option<jiff::civil::Date>,
    /// Reused for sealing records; keeps an allocation per command off the hot path.
    scratch: Vec<u8>,
    /// The longest line a record may make, newline included: the reader's bound,
    /// [`journal::MAX_LINE_BYTES`] (lowered only by tests, to reach it with small records).
    max_line: usize,
    /// The checkpoint records replayed or written, in order.
    checkpoints: Vec<CheckpointRecord>,
    /// Opened with [`Campaign::open_read_only`]: the journal it was read from, which it never
    /// writes; every command is refused (4016).
    read_only: Option<std::path::PathBuf>,
    /// Snapshots written as records come in ([`Campaign::set_snapshot_every`]).
    snapshots: snapshot_file::AutoSnapshots,
}

impl Campaign {
    fn start(info: CampaignInfo, rules: RuleSet) -> Result<(Campaign, Vec<u8>), crate::Error> {
        rules.validate()?;
        let mut header = serde_json::to_vec(&HeaderOut {
            format: JOURNAL_FORMAT,
            version: JOURNAL_VERSION,
            campaign: &info,
            rules: &rules,
        })
        .map_err(|e| JournalError::Header { why: e.to_string() })?;
        let hash = journal::seal_within(&[0; 32], &mut header, 0, journal::MAX_LINE_BYTES)
            .map_err(|len| JournalError::Header {
                why: format!(
                    "the header would be {len} bytes long, more than a journal line holds ({})",
                    journal::MAX_LINE_BYTES
                ),
            })?;
        let campaign = Campaign {
            info,
            rules,
            state: State::new(),
            seq: 0,
            last_hash: hash,
            header_hash: hash,
            writer: None,
            poisoned: false,
            latest: None,
            scratch: Vec::new(),
            max_line: journal::MAX_LINE_BYTES,
            checkpoints: Vec::new(),
            read_only: None,
            snapshots: snapshot_file::AutoSnapshots::default(),
        };
        Ok((campaign, header))
    }

    /// A campaign without a journal file. Hosts that keep events in their own database store
    /// [`Campaign::header_line`] and each [`Receipt::line`], and replay them with
    /// [`Campaign::replay`].
    pub fn in_memory(info: CampaignInfo, rules: RuleSet) -> Result<Campaign, crate::Error> {
        Ok(Campaign::start(info, rules)?.0)
    }

    /// A campaign journaled to a new file at `path`. Fails if anything exists there: a journal
    /// is never overwritten. The header is written and synced to a temporary file beside it,
    /// then linked into place, so a crash never leaves a journal without its whole header. The
    /// file is locked against other writers while the campaign lives.
    pub fn create(
        path: impl AsRef<Path>,
        info: CampaignInfo,
        rules: RuleSet,
    ) -> Result<Campaign, crate::Error> {
        let path = path.as_ref();
        let (mut campaign, header) = Campaign::start(info, rules)?;
        journal::publish_new(path, &header)?;
        let file = File::options()
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| JournalError::io("open", path, e))?;
        lock(&file, path)?;
        campaign.writer = Some(JournalWriter::new(
            file,
            path.to_path_buf(),
            header.len() as u64,
        ));
        Ok(campaign)
    }

    /// Opens the journal at `path`, verifies every record's hash and replays it. A torn last
    /// line is dropped, saved beside the journal (`<journal>.torn-<offset>`) and reported; any
    /// other failure is an error naming the record, unless `options` asks to keep the valid
    /// prefix. The file is locked against other writers while the campaign lives.
    ///
    /// When a snapshot written by [`Campaign::save_snapshot`] stands beside the journal and
    /// meets it, the state is read from it (on the calling thread and one more) and only the
    /// records after it are replayed; one that cannot be used is skipped, and said why in the
    /// report. The replay runs as [`Campaign::replay`] says.
    pub fn open(
        path: impl AsRef<Path>,
        options: OpenOptions,
    ) -> Result<(Campaign, ReplayReport), crate::Error> {
        let path = path.as_ref();
        let mut file = File::options()
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| JournalError::io("open", path, e))?;
        lock(&file, path)?;
        let file_len = file
            .metadata()
            .map_err(|e| JournalError::io("read metadata of", path, e))?
            .len();
        let (mut campaign, mut report, valid_len) =
            Campaign::replay_file(&file, path, file_len, options)?;
        if valid_len < file_len {
            let tail = read_tail(&mut file, path, valid_len)?;
            let what = if report.torn_tail.is_some() {
                "torn"
            } else {
                "corrupt"
            };
            let saved = journal::save_dropped(path, what, valid_len, &tail)?;
            file.set_len(valid_len)
                .and_then(|()| file.sync_all())
                .map_err(|e| JournalError::io("truncate", path, e))?;
            let dropped = match (&mut report.torn_tail, &mut report.dropped_after_corruption) {
                (Some(t), _) => Some(t),
                (None, Some((t, _))) => Some(t),
                (None, None) => None,
            };
            if let Some(t) = dropped {
                t.len = file_len - valid_len;
                t.saved_to = Some(saved);
            }
        }
        campaign.writer = Some(JournalWriter::new(file, path.to_path_buf(), valid_len));
        Ok((campaign, report))
    }

    /// Opens the journal at `path` to read it only, streaming it from the file: every record's
    /// hash verified and replayed, nothing ever written. A torn last line is reported in the
    /// [`ReplayReport`], not cut; a corrupt record fails as [`Campaign::open`] fails. The
    /// campaign refuses every command and checkpoint (4016).
    ///
    /// It takes a shared lock while it reads, so no writer opens the journal (and cuts a torn
    /// tail) meanwhile; when a writer already holds it, it reads without a lock up to the
    /// journal's length when opened: a writer only appends, so that prefix does not change.
    ///
    /// ```
    /// use chuangzheng::ledger::{Campaign, OpenOptions};
    /// # let dir = std::env::temp_dir().join(format!("cz-ro-doc-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir)?;
    /// # let path = dir.join("city.jsonl");
    /// # let _ = std::fs::remove_file(&path);
    /// # let mut c = Campaign::create(&path, chuangzheng::demo::info(), Default::default())?;
    /// # c.execute_batch(&chuangzheng::demo::commands(&chuangzheng::demo::DemoSpec::small())[..10])?;
    /// # drop(c);
    /// let (campaign, report) = Campaign::open_read_only(&path)?;
    /// assert_eq!(report.records, campaign.seq());
    /// assert!(report.torn_tail.is_none());
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_read_only(
        path: impl AsRef<Path>,
    ) -> Result<(Campaign, ReplayReport), crate::Error> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| JournalError::io("open", path, e))?;
        match file.try_lock_shared() {
            Ok(()) | Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(JournalError::io("lock", path, e).into());
            }
        }
        let len = file
            .metadata()
            .map_err(|e| JournalError::io("read metadata of", path, e))?
            .len();
        let (mut campaign, report, _) =
            Campaign::replay_file(&file, path, len, OpenOptions::default())?;
        campaign.read_only = Some(path.to_path_buf());
        Ok((campaign, report))
    }

    /// Whether commands may be recorded: not on a poisoned campaign (4007), nor on one opened
    /// read-only (4016).
    fn writable(&self) -> Result<(), JournalError> {
        if self.poisoned {
            return Err(JournalError::Poisoned);
        }
        match &self.read_only {
            Some(path) => Err(JournalError::ReadOnly { path: path.clone() }),
            None => Ok(()),
        }
    }

    /// Replays a journal from any reader (a file, or lines a host kept in its database, joined
    /// with newlines), verifying every hash, into an in-memory campaign. Reads only; a torn
    /// last line is reported, not repaired.
    ///
    /// On a machine with two cores or more, a thread reads the journal and one per core checks
    /// the seals and parses the records, while the calling thread applies them in order; all
    /// have ended when this returns. On one core, the calling thread does everything.
    pub fn replay<R: BufRead + Send>(reader: R) -> Result<(Campaign, ReplayReport), crate::Error> {
        let (campaign, report, _) =
            Campaign::replay_inner(reader, false, replay::Pipeline::for_this_machine())?;
        Ok((campaign, report))
    }

    fn replay_inner<R: BufRead + Send>(
        mut reader: R,
        keep_valid_prefix: bool,
        pipeline: replay::Pipeline,
    ) -> Result<(Campaign, ReplayReport, u64), crate::Error> {
        let (campaign, header_len) = Campaign::replay_header(&mut reader)?;
        let at = Cursor {
            offset: header_len,
            line: 1,
        };
        campaign.replay_rest(
            reader,
            at,
            ReplayReport::default(),
            (keep_valid_prefix, pipeline),
        )
    }

    /// Replays the first `len` bytes of the journal file at `path`: from the snapshot beside
    /// it and the records after it when there is a snapshot that meets the journal (unless
    /// `options` says to ignore it), else from the start. A snapshot that cannot be used is
    /// reported ([`ReplayReport::snapshot_skipped`]) and the journal replayed whole.
    fn replay_file(
        file: &File,
        path: &Path,
        len: u64,
        options: OpenOptions,
    ) -> Result<(Campaign, ReplayReport, u64), crate::Error> {
        use std::io::{Read, Seek};
        let mut reader = BufReader::with_capacity(1 << 20, file.take(len));
        let (mut campaign, header_len) = Campaign::replay_header(&mut reader)?;
        let mut report = ReplayReport::default();
        let keep = options.keep_valid_prefix;
        let pipeline = replay::Pipeline::for_this_machine();
        if !options.ignore_snapshot {
            let snapshot = snapshot_path(path);
            let max_units = campaign.rules.coverage.max_units_per_org;
            match snapshot_file::load(&snapshot, &campaign.header_hash, file, len, max_units) {
                Ok(Some(loaded)) => {
                    let at = campaign.continue_from(loaded, &mut report);
                    let mut rest = file;
                    rest.seek(std::io::SeekFrom::Start(at.offset))
                        .map_err(|e| JournalError::io("seek", path, e))?;
                    let reader = BufReader::with_capacity(1 << 20, rest.take(len - at.offset));
                    return campaign.replay_rest(reader, at, report, (keep, pipeline));
                }
                Ok(None) => {}
                Err(why) => {
                    report.snapshot_skipped = Some(format!("{}: {why}", snapshot.display()));
                }
            }
        }
        let at = Cursor {
            offset: header_len,
            line: 1,
        };
        campaign.replay_rest(reader, at, report, (keep, pipeline))
    }

    /// Takes a loaded snapshot's state; where the journal's next record starts.
    fn continue_from(
        &mut self,
        loaded: snapshot_file::Loaded,
        report: &mut ReplayReport,
    ) -> Cursor {
        self.state = loaded.state;
        self.checkpoints = loaded.checkpoints;
        self.seq = loaded.seq;
        self.last_hash = loaded.last_hash;
        self.latest = loaded.latest;
        self.snapshots.at = loaded.seq;
        report.records = loaded.seq;
        report.snapshot = Some(loaded.seq);
        Cursor {
            offset: loaded.journal_len,
            line: loaded.seq + 1,
        }
    }

    /// Replays the records after `at` from `reader`, the campaign standing at the record
    /// before.
    fn replay_rest<R: BufRead + Send>(
        self,
        reader: R,
        mut at: Cursor,
        mut report: ReplayReport,
        (keep_valid_prefix, pipeline): (bool, replay::Pipeline),
    ) -> Result<(Campaign, ReplayReport, u64), crate::Error> {
        let mut campaign = self;
        let prev = campaign.last_hash;
        let before = report.records;
        let outcome = replay::run(reader, prev, pipeline, |chunk| {
            at.apply(&mut campaign, &mut report, chunk)
        });
        match outcome {
            Ok(()) => {
                // The lists grew by doubling while records came in; a replayed campaign keeps
                // only what it holds. A snapshot's lists are exact: with no record after it,
                // there is nothing to give back (nor a walk over every pledge to find so).
                if report.records > before {
                    campaign.state.shrink_to_fit();
                }
                campaign.debug_assert_replayed(&report, &at);
                Ok((campaign, report, at.offset))
            }
            Err(JournalError::Io { op, path, source }) => {
                Err(JournalError::Io { op, path, source }.into())
            }
            Err(err) => finish_corrupt(campaign, report, at.offset, err, keep_valid_prefix),
        }
    }

    /// Reads and checks a journal's header line (sealed, canonical, of this format and
    /// version) and starts the campaign it describes; also the header line's length in bytes.
    fn replay_header<R: BufRead>(reader: &mut R) -> Result<(Campaign, u64), crate::Error> {
        let mut buf = Vec::with_capacity(4096);
        let n = journal::read_line(reader, &mut buf)
            .map_err(|e| JournalError::io("read", Path::new("<journal>"), e))?;
        let header_err = |why: String| JournalError::Header { why };
        if n == 0 {
            return Err(header_err("the journal is empty".into()).into());
        }
        if buf.last() != Some(&b'\n') {
            return Err(header_err("the header line is torn or too long".into()).into());
        }
        let line = &buf[..buf.len() - 1];
        if line.starts_with(b"\xEF\xBB\xBF") {
            let why = "the journal starts with a byte-order mark (EF BB BF); a journal is UTF-8 without one";
            return Err(header_err(why.into()).into());
        }
        journal::unseal(&[0; 32], line).map_err(|why| header_err(why.into()))?;
        let de = &mut serde_json::Deserializer::from_slice(line);
        let header: HeaderIn = crate::json_error::read_whole(de, "日志头")
            .map_err(|d| header_err(format!("field {}: {}{}", d.path, d.en, d.en_column())))?;
        if header.format != JOURNAL_FORMAT {
            return Err(header_err(format!("format {:?} is not a journal", header.format)).into());
        }
        if header.version != JOURNAL_VERSION {
            return Err(header_err(format!(
                "format version {} is not supported (this build reads {JOURNAL_VERSION})",
                header.version
            ))
            .into());
        }
        let (campaign, sealed) = Campaign::start(header.campaign, header.rules)?;
        if sealed.as_slice() != buf.as_slice() {
            return Err(header_err("the header is not in canonical form".into()).into());
        }
        Ok((campaign, n as u64))
    }

    /// Checks and applies one verified, parsed journal record (`line`, its bytes without the
    /// newline). The record is borrowed: what it holds is dropped with its chunk, on a
    /// verifier's thread (see [`replay::Chunk`]).
    fn apply_record(
        &mut self,
        record: &Result<replay::Record, String>,
        (hash, line): (Hash, &[u8]),
        line_no: u64,
        offset: u64,
    ) -> Result<(), JournalError> {
        let record = record
            .as_ref()
            .map_err(|why| corrupt(self, line_no, offset, why))?;
        debug_assert_eq!(
            line_no,
            self.seq + 2,
            "record n is the journal's line n + 1"
        );
        let expected = self.seq + 1;
        let seq = match record {
            replay::Record::Command(r) => r.seq,
            replay::Record::Checkpoint(r) => r.seq,
        };
        if seq != expected {
            let why = format!("sequence number {seq} out of order");
            return Err(corrupt(self, line_no, offset, &why));
        }
        match record {
            replay::Record::Command(record) => {
                let cmd = &record.command;
                let effect = apply::check(&self.state, &self.rules, cmd).map_err(|e| {
                    JournalError::Refused {
                        seq: expected,
                        error: Box::new(e),
                    }
                })?;
                apply::apply(&mut self.state, effect);
                self.note_date(cmd.at.date);
            }
            replay::Record::Checkpoint(record) => {
                record
                    .check_place(self.seq, &self.last_hash, line)
                    .map_err(|why| corrupt(self, line_no, offset, &why))?;
                self.checkpoints.push(record.clone());
            }
        }
        self.seq = expected;
        self.last_hash = hash;
        Ok(())
    }

    /// Post-conditions of a replay (debug and test builds): one record per line after the
    /// header, every one applied, and a state whose indexes are what its records rebuild.
    fn debug_assert_replayed(&self, report: &ReplayReport, at: &Cursor) {
        debug_assert_eq!(self.seq, report.records, "every record read was applied");
        debug_assert_eq!(
            at.line,
            report.records + 1,
            "one record per line after the header"
        );
        #[cfg(debug_assertions)]
        if let Err(why) = self
            .state
            .check_invariants(self.rules.coverage.max_units_per_org)
        {
            panic!("a replayed state keeps its invariants: {why}");
        }
    }

    fn note_date(&mut self, date: jiff::civil::Date) {
        self.latest = Some(self.latest.map_or(date, |l| l.max(date)));
    }

    /// The latest effective date among the recorded commands (`None` before the first): the
    /// natural "as of" of a report on everything recorded.
    pub fn latest_date(&self) -> Option<jiff::civil::Date> {
        self.latest
    }

    /// Checks `cmds` in order as [`Campaign::execute_batch`] would, each against the state left
    /// by the accepted ones before it, without recording or changing anything: the dry run
    /// behind an all-or-nothing import. Returns, per command, whether it would be accepted.
    pub fn dry_run<'a, I>(&self, cmds: I) -> Vec<Result<(), LedgerError>>
    where
        I: IntoIterator<Item = &'a Command>,
    {
        let mut state = self.state.clone();
        cmds.into_iter()
            .map(|cmd| {
                let effect = apply::check(&state, &self.rules, cmd)?;
                apply::apply(&mut state, effect);
                Ok(())
            })
            .collect()
    }

    /// Checks `cmd` without recording it: `Ok` means [`Campaign::execute`] would accept it now.
    pub fn check(&self, cmd: &Command) -> Result<(), LedgerError> {
        apply::check(&self.state, &self.rules, cmd).map(|_| ())
    }

    /// Checks `cmd`, journals it (synced before this returns) and applies it. A refused command,
    /// or one whose journal write fails, changes nothing.
    pub fn execute(&mut self, cmd: &Command) -> Result<Receipt, LedgerError> {
        self.writable()?;
        let effect = apply::check(&self.state, &self.rules, cmd)?;
        let seq = self.seq + 1;
        let mut line = std::mem::take(&mut self.scratch);
        let hash = match self.seal_record(seq, cmd, &mut line) {
            Ok(hash) => hash,
            Err(e) => {
                // Nothing was written or applied; the buffer was cut back.
                self.scratch = line;
                return Err(e);
            }
        };
        if let Some(w) = self.writer.as_mut()
            && let Err(e) = w.append(&line)
        {
            self.poisoned = w.broken;
            // The buffer is reused for the next record: it must not carry this one along.
            line.clear();
            self.scratch = line;
            return Err(e.into());
        }
        apply::apply(&mut self.state, effect);
        self.note_date(cmd.at.date);
        self.seq = seq;
        self.last_hash = hash;
        debug_assert!(
            self.writer.as_ref().is_none_or(|w| !w.broken),
            "an acknowledged record leaves the writer whole"
        );
        let text = String::from_utf8_lossy(&line).into_owned();
        line.clear();
        self.scratch = line;
        self.snapshot_if_due();
        Ok(Receipt {
            seq,
            hash,
            line: text,
        })
    }

    /// Checks and applies each command in order, then writes all accepted records and syncs
    /// once (group commit). Each command is checked against the state left by those before it;
    /// a refused command changes nothing and the rest go on. Returns, per command, its sequence
    /// number or why it was refused, and the sealed lines of the accepted ones (for hosts that
    /// store events themselves).
    ///
    /// Nothing in the batch is durable before this returns `Ok`. If the write fails (an error,
    /// a short write, a full disk), the file is cut back to before the batch, the state is
    /// rebuilt from the journal (so nothing of the batch is applied), the error is returned, and
    /// the campaign goes on. If the file cannot be cut back or read back, or the sync fails
    /// (after a failed fsync nothing about the file can be trusted), the campaign is poisoned:
    /// it refuses further commands until it is reopened from the journal, which then holds
    /// exactly what was acknowledged before the batch.
    pub fn execute_batch<'a, I>(&mut self, cmds: I) -> Result<BatchReceipt, JournalError>
    where
        I: IntoIterator<Item = &'a Command>,
    {
        self.execute_batch_signed(cmds, None)
    }

    /// [`Campaign::execute_batch`], with checkpoints signed by `signing`'s key among the
    /// records: one after every `signing.every` records since the last checkpoint (or since
    /// the journal's start), and one at the end after any record not yet covered, all in the
    /// same group commit. The receipt lists their sequence numbers; their lines are among the
    /// batch's.
    ///
    /// ```
    /// use chuangzheng::demo::{self, DemoSpec};
    /// use chuangzheng::ledger::{Campaign, Signing, SigningKey};
    ///
    /// let key = SigningKey::hmac_sm3(&[42u8; 32], "ops-2026")?;
    /// let mut city = Campaign::in_memory(demo::info(), Default::default())?;
    /// let cmds = demo::commands(&DemoSpec::small());
    /// let every = std::num::NonZeroU64::new(50);
    /// let receipt = city.execute_batch_signed(&cmds[..120], Some(Signing { key: &key, every }))?;
    /// assert!(receipt.all_accepted());
    /// // After records 1–50, after 52–101, and at the end, after 103–122.
    /// assert_eq!(receipt.checkpoints, [51, 102, 123]);
    /// assert_eq!(city.seq(), 123);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn execute_batch_signed<'a, I>(
        &mut self,
        cmds: I,
        signing: Option<Signing<'_>>,
    ) -> Result<BatchReceipt, JournalError>
    where
        I: IntoIterator<Item = &'a Command>,
    {
        self.writable()?;
        let before = (self.seq, self.last_hash);
        let mut lines = Vec::new();
        let mut outcomes = Vec::new();
        let mut checkpoints = Vec::new();
        for cmd in cmds {
            outcomes.push(self.batch_one(cmd, &mut lines));
            let due = signing.and_then(|s| {
                let every = s.every?.get();
                (self.seq - self.last_checkpoint_seq() >= every).then_some(s.key)
            });
            if let Some(key) = due {
                let seq = self.batch_checkpoint(key, &mut lines, before)?;
                checkpoints.push(seq);
            }
        }
        if let Some(s) = signing
            && self.seq > self.last_checkpoint_seq()
        {
            let seq = self.batch_checkpoint(s.key, &mut lines, before)?;
            checkpoints.push(seq);
        }
        if let Some(w) = self.writer.as_mut()
            && !lines.is_empty()
            && let Err(e) = w.append(&lines)
        {
            // The batch is in the state but not in the journal: put the state back to what the
            // journal holds, or refuse everything until the journal is reopened.
            let broken = w.broken;
            self.abandon_batch(before, broken);
            return Err(e);
        }
        // Every line was serialized by serde_json from strings and numbers: valid UTF-8.
        let lines = String::from_utf8(lines).unwrap_or_default();
        self.snapshot_if_due();
        Ok(BatchReceipt {
            outcomes,
            lines,
            checkpoints,
        })
    }

    /// One command of a batch: checked, sealed onto `lines` and applied, or refused.
    fn batch_one(&mut self, cmd: &Command, lines: &mut Vec<u8>) -> Result<u64, LedgerError> {
        let effect = apply::check(&self.state, &self.rules, cmd)?;
        let seq = self.seq + 1;
        // Refused like a failed check when too long: `lines` holds none of it.
        let hash = self.seal_record(seq, cmd, lines)?;
        apply::apply(&mut self.state, effect);
        self.note_date(cmd.at.date);
        self.seq = seq;
        self.last_hash = hash;
        Ok(seq)
    }

    /// A checkpoint inside a batch, sealed onto `lines`. If it cannot be made, the batch so
    /// far is undone as after a failed write ([`Campaign::abandon_batch`]).
    fn batch_checkpoint(
        &mut self,
        key: &SigningKey,
        lines: &mut Vec<u8>,
        before: (u64, Hash),
    ) -> Result<u64, JournalError> {
        match self.seal_checkpoint(key, lines) {
            Ok((record, hash)) => Ok(self.note_checkpoint(record, hash)),
            Err(e) => {
                self.abandon_batch(before, false);
                Err(e)
            }
        }
    }

    /// After a batch failed before it reached the journal: the state rebuilt from the journal
    /// as it stood `before` the batch, or, where that cannot be done (no journal file, a
    /// `broken` writer, a journal that cannot be read back), the campaign poisoned.
    fn abandon_batch(&mut self, before: (u64, Hash), broken: bool) {
        // Even a writer that could not cut the file back left the acknowledged records intact
        // at its start: the state is rebuilt from them either way.
        let restored = match self.writer.as_ref().map(|w| w.path().to_path_buf()) {
            Some(path) => self.restore_from(&path, before).is_ok(),
            None => false,
        };
        if broken || !restored {
            self.poisoned = true;
        }
    }

    /// Writes a checkpoint record signed by `key`: the hash of the chain through the last
    /// record, signed (see [`checkpoint`]), sealed into the chain and synced like any record.
    /// The key is used for this call only.
    ///
    /// Fails with 4015 before any record, 4007 on a poisoned campaign, 4001 when the journal
    /// cannot be written (nothing changes).
    ///
    /// ```
    /// use chuangzheng::demo::{self, DemoSpec};
    /// use chuangzheng::ledger::{Anchors, Campaign, SigningKey};
    ///
    /// let key = SigningKey::hmac_sm3(&[42u8; 32], "ops-2026")?;
    /// let mut city = Campaign::in_memory(demo::info(), Default::default())?;
    /// let mut journal = city.header_line();
    /// for cmd in &demo::commands(&DemoSpec::small())[..20] {
    ///     journal += &city.execute(cmd)?.line;
    /// }
    /// let receipt = city.checkpoint(&key)?;
    /// assert_eq!(receipt.seq, 21);
    /// assert!(receipt.line.contains(r#""checkpoint":{"through":20,"#));
    /// journal += &receipt.line;
    ///
    /// let keys = [key.verifying_key()];
    /// let (_, v) = Campaign::verify_signed(journal.as_bytes(), &Anchors::default(), &keys)?;
    /// assert!(v.is_whole());
    /// assert_eq!(v.signatures.map(|s| s.last_signed), Some(Some(21)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn checkpoint(&mut self, key: &SigningKey) -> Result<Receipt, JournalError> {
        self.writable()?;
        let mut line = std::mem::take(&mut self.scratch);
        line.clear();
        let sealed = self.seal_checkpoint(key, &mut line);
        let written = sealed.and_then(|sealed| match self.writer.as_mut() {
            Some(w) => w.append(&line).map(|()| sealed).inspect_err(|_| {
                self.poisoned = w.broken;
            }),
            None => Ok(sealed),
        });
        let text = written
            .is_ok()
            .then(|| String::from_utf8_lossy(&line).into_owned());
        line.clear();
        self.scratch = line;
        let (record, hash) = written?;
        let seq = self.note_checkpoint(record, hash);
        self.snapshot_if_due();
        Ok(Receipt {
            seq,
            hash,
            line: text.unwrap_or_default(),
        })
    }

    /// A checkpoint record sealed (and written, if the campaign has a journal): it is the last
    /// record now. Returns its seq.
    fn note_checkpoint(&mut self, record: CheckpointRecord, hash: Hash) -> u64 {
        let seq = record.seq;
        debug_assert_eq!(seq, self.seq + 1, "a checkpoint is the next record");
        self.checkpoints.push(record);
        self.seq = seq;
        self.last_hash = hash;
        seq
    }

    /// Signs the next record, a checkpoint through the last one, and seals it onto `out`.
    fn seal_checkpoint(
        &self,
        key: &SigningKey,
        out: &mut Vec<u8>,
    ) -> Result<(CheckpointRecord, Hash), JournalError> {
        let latest = self.latest.ok_or(JournalError::NothingToCheckpoint)?;
        let seq = self.seq + 1;
        let at = crate::model::Stamp::on(latest);
        let record = CheckpointRecord::sign(seq, at, self.last_hash, key)?;
        let start = out.len();
        // Writing into a Vec cannot fail, and every field serializes to plain JSON.
        let _ = serde_json::to_writer(&mut *out, &record);
        // A checkpoint's line is a few hundred bytes (a key id is at most 64): always within.
        let hash = journal::seal_within(&self.last_hash, out, start, journal::MAX_LINE_BYTES)
            .map_err(|len| JournalError::Corrupt {
                seq,
                line: seq + 1,
                offset: 0,
                why: format!("checkpoint line of {len} bytes"),
            })?;
        debug_assert!(
            record
                .check_place(self.seq, &self.last_hash, &out[start..out.len() - 1])
                .is_ok(),
            "the reader takes the checkpoint the writer sealed"
        );
        Ok((record, hash))
    }

    /// The seq of the last checkpoint record replayed or written (0: none).
    fn last_checkpoint_seq(&self) -> u64 {
        self.checkpoints.last().map_or(0, |c| c.seq)
    }

    /// The checkpoint records this campaign replayed or wrote, in order. A campaign loaded
    /// from a snapshot starts with none: verifying reads them from the journal.
    pub fn checkpoints(&self) -> &[CheckpointRecord] {
        &self.checkpoints
    }

    /// Rebuilds the state from the journal at `path` after a batch failed to reach it: from the
    /// header and the first `before.0` records only (whatever of the batch the file may hold
    /// after it was never acknowledged), checking that they end with the hash the campaign had
    /// before the batch.
    fn restore_from(&mut self, path: &Path, before: (u64, Hash)) -> Result<(), crate::Error> {
        let file = File::open(path).map_err(|e| JournalError::io("reopen", path, e))?;
        // Never read past the file's length (a device such as /dev/full never ends).
        let len = file
            .metadata()
            .map_err(|e| JournalError::io("read metadata of", path, e))?
            .len();
        let mut reader = BufReader::with_capacity(1 << 20, file.take(len));
        let mut prefix = Vec::new();
        for _ in 0..=before.0 {
            if reader
                .read_until(b'\n', &mut prefix)
                .map_err(|e| JournalError::io("read", path, e))?
                == 0
            {
                break;
            }
        }
        let (replayed, _, _) = Campaign::replay_inner(
            prefix.as_slice(),
            false,
            replay::Pipeline::for_this_machine(),
        )?;
        if (replayed.seq, replayed.last_hash) != before {
            return Err(JournalError::Corrupt {
                seq: replayed.seq,
                line: replayed.seq + 1,
                offset: 0,
                why: "the journal does not end where the campaign stood before the batch".into(),
            }
            .into());
        }
        self.state = replayed.state;
        self.checkpoints = replayed.checkpoints;
        self.latest = replayed.latest;
        self.seq = replayed.seq;
        self.last_hash = replayed.last_hash;
        Ok(())
    }

    /// Serializes the record for `cmd` at `seq` onto the end of `out` and seals it. A record
    /// whose line would be longer than the reader takes is refused (3030) and `out` is left as
    /// it was: every accepted record reopens.
    fn seal_record(&self, seq: u64, cmd: &Command, out: &mut Vec<u8>) -> Result<Hash, LedgerError> {
        let start = out.len();
        let record = RecordOut {
            seq,
            at: &cmd.at,
            actor: &cmd.actor,
            event: &cmd.event,
        };
        // Writing into a Vec cannot fail, and every field serializes to plain JSON.
        let _ = serde_json::to_writer(&mut *out, &record);
        journal::seal_within(&self.last_hash, out, start, self.max_line).map_err(|bytes| {
            LedgerError::RecordTooLong {
                bytes,
                max: self.max_line,
            }
        })
    }

    /// The campaign's identity.
    pub fn info(&self) -> &CampaignInfo {
        &self.info
    }

    /// The rules it runs under.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Its state.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The sequence number of the last record (0 before any).
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The hash of the last record (or of the header, before any record).
    pub fn last_hash(&self) -> Hash {
        self.last_hash
    }

    /// The journal file, if the campaign writes one.
    pub fn journal_path(&self) -> Option<&Path> {
        self.writer.as_ref().map(JournalWriter::path)
    }

    /// The sealed header line (newline included) that starts this campaign's journal.
    pub fn header_line(&self) -> String {
        match Campaign::start(self.info.clone(), self.rules.clone()) {
            Ok((_, header)) => String::from_utf8_lossy(&header).into_owned(),
            Err(_) => String::new(),
        }
    }

    /// The state as JSON: the entity lists only, in a stable order. Two campaigns with equal
    /// `state_json` hold the same state.
    pub fn state_json(&self) -> String {
        // Plain data; serializing cannot fail.
        serde_json::to_string(&self.state).unwrap_or_default()
    }

    /// Whether an earlier journal failure left the campaign unable to accept commands.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned
    }

    /// The hash of the header (the chain's first link).
    pub fn header_hash(&self) -> Hash {
        self.header_hash
    }
}

/// How long opening or creating a journal waits for its lock before calling it held by another
/// writer (4003): a tenth of a second or so. The lock (`flock`) belongs to the open file, and a
/// child process that another thread of this process is starting shares that file until its
/// program begins; so a journal just closed here can stay locked for that moment.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

fn lock(file: &File, path: &Path) -> Result<(), JournalError> {
    lock_within(file, path, LOCK_WAIT)
}

/// Takes the journal's lock, trying again after 1, 2, 4 … ms (at most 50 between tries) until
/// `wait` has passed.
fn lock_within(file: &File, path: &Path, wait: std::time::Duration) -> Result<(), JournalError> {
    use std::time::{Duration, Instant};
    let start = Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::Error(e)) => return Err(JournalError::io("lock", path, e)),
            Err(std::fs::TryLockError::WouldBlock) => {}
        }
        let left = wait.saturating_sub(start.elapsed());
        if left.is_zero() {
            return Err(JournalError::Locked {
                path: path.to_path_buf(),
            });
        }
        std::thread::sleep(pause.min(left));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

fn read_tail(file: &mut File, path: &Path, from: u64) -> Result<Vec<u8>, JournalError> {
    use std::io::Read;
    let mut tail = Vec::new();
    file.seek(SeekFrom::Start(from))
        .and_then(|_| file.read_to_end(&mut tail))
        .map_err(|e| JournalError::io("read", path, e))?;
    Ok(tail)
}

fn corrupt(campaign: &Campaign, line: u64, offset: u64, why: &str) -> JournalError {
    JournalError::Corrupt {
        seq: campaign.seq + 1,
        line,
        offset,
        why: why.to_string(),
    }
}

fn finish_corrupt(
    campaign: Campaign,
    mut report: ReplayReport,
    offset: u64,
    err: JournalError,
    keep_valid_prefix: bool,
) -> Result<(Campaign, ReplayReport, u64), crate::Error> {
    if !keep_valid_prefix {
        return Err(err.into());
    }
    report.dropped_after_corruption = Some((
        DroppedTail {
            offset,
            len: 0,
            saved_to: None,
        },
        err,
    ));
    Ok((campaign, report, offset))
}

/// Where a replay stands in the journal: the next record's byte offset and the last line read.
struct Cursor {
    offset: u64,
    line: u64,
}

impl Cursor {
    /// Applies a verified chunk's records; whether to read on (`false` at the end or a torn
    /// tail, which is reported).
    fn apply(
        &mut self,
        campaign: &mut Campaign,
        report: &mut ReplayReport,
        chunk: &mut replay::Chunk,
    ) -> Result<bool, JournalError> {
        debug_assert_eq!(chunk.parsed.len(), chunk.lines.len(), "a record per line");
        for (&(start, end, hash), record) in chunk.lines.iter().zip(&chunk.parsed) {
            self.line += 1;
            let line = &chunk.bytes[start..end];
            campaign.apply_record(record, (hash, line), self.line, self.offset)?;
            report.records += 1;
            self.offset += (end - start + 1) as u64;
        }
        match chunk.end.take() {
            None => Ok(true),
            Some(replay::End::Eof) => Ok(false),
            Some(replay::End::Torn(len)) => {
                report.torn_tail = Some(DroppedTail {
                    offset: self.offset,
                    len,
                    saved_to: None,
                });
                Ok(false)
            }
            Some(replay::End::Bad(why)) => Err(corrupt(campaign, self.line + 1, self.offset, why)),
            Some(replay::End::Io(e)) => Err(JournalError::io("read", Path::new("<journal>"), e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;
    use crate::demo::{self, DemoSpec};

    /// A campaign whose journal is `/dev/full`: every write fails with "no space left", and the
    /// file cannot be cut back either, so the failure poisons the campaign.
    #[cfg(target_os = "linux")]
    fn on_a_full_disk(cmds: &[Command]) -> Campaign {
        let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
        for cmd in cmds {
            c.execute(cmd).unwrap();
        }
        let full = File::options().append(true).open("/dev/full").unwrap();
        c.writer = Some(JournalWriter::new(full, "/dev/full".into(), 0));
        c
    }

    /// A file of its own under the temporary directory, and a second open of it.
    fn two_opens(name: &str) -> (std::path::PathBuf, File, File) {
        let path = std::env::temp_dir().join(format!("cz-lock-{}-{name}", std::process::id()));
        std::fs::write(&path, b"").unwrap();
        let open = || File::options().read(true).append(true).open(&path).unwrap();
        let (a, b) = (open(), open());
        (path, a, b)
    }

    #[test]
    fn a_lock_let_go_while_waiting_is_taken() {
        let (path, holder, opener) = two_opens("released");
        holder.try_lock().unwrap();
        // The holder lets go 20 ms after the opener starts waiting.
        let (waiting, opener_waits) = std::sync::mpsc::channel();
        let release = std::thread::spawn(move || {
            opener_waits.recv().unwrap();
            std::thread::sleep(std::time::Duration::from_millis(20));
            drop(holder);
        });
        // The lock is still held when the wait begins: a first try fails.
        assert!(matches!(
            lock_within(&opener, &path, std::time::Duration::ZERO),
            Err(JournalError::Locked { .. })
        ));
        waiting.send(()).unwrap();
        lock_within(&opener, &path, std::time::Duration::from_secs(60)).unwrap();
        release.join().unwrap();
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn a_lock_held_past_the_wait_is_refused_with_4003() {
        let (path, holder, opener) = two_opens("held");
        holder.try_lock().unwrap();
        let err = lock_within(&opener, &path, std::time::Duration::from_millis(30)).unwrap_err();
        assert_eq!(err.code(), 4003);
        assert!(err.message_en().contains("another process"), "{err}");
        let _ = std::fs::remove_file(&path);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_failed_append_changes_nothing_and_poisons_the_campaign() {
        let cmds = demo::commands(&DemoSpec::small());
        let mut c = on_a_full_disk(&cmds[..10]);
        let before = (c.state_json(), c.seq(), c.last_hash());
        let err = c.execute(&cmds[10]).unwrap_err();
        assert_eq!(err.code(), 4001);
        assert!(err.message_en().contains("/dev/full"));
        assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
        assert!(c.is_poisoned());
        // Poisoned: refused without trying, and the state still unchanged.
        assert_eq!(c.execute(&cmds[10]).unwrap_err().code(), 4007);
        assert_eq!(c.execute_batch(&cmds[10..12]).unwrap_err().code(), 4007);
        assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
    }

    #[test]
    fn a_record_past_the_line_limit_is_refused_and_changes_nothing() {
        let cmds = demo::commands(&DemoSpec::small());
        let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
        for cmd in &cmds[..10] {
            c.execute(cmd).unwrap();
        }
        let next = &cmds[10];
        let mut probe = Vec::new();
        c.seal_record(c.seq + 1, next, &mut probe).unwrap();
        let len = probe.len();
        // One byte short of the line the record makes: refused, by `execute` and in a batch.
        c.max_line = len - 1;
        let before = (c.state_json(), c.seq(), c.last_hash());
        let err = c.execute(next).unwrap_err();
        assert_eq!(err.code(), 3030);
        assert!(err.message_en().contains(&format!("{len} bytes")), "{err}");
        assert!(err.message_zh().contains(&format!("{len} 字节")), "{err}");
        assert!(
            c.scratch.is_empty(),
            "the refused record is not carried along"
        );
        let batch = c.execute_batch([next, next]).unwrap();
        let codes: Vec<u32> = batch
            .outcomes
            .iter()
            .map(|o| o.as_ref().map_or_else(Coded::code, |_| 0))
            .collect();
        assert_eq!(codes, [3030, 3030]);
        assert!(batch.lines.is_empty());
        assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
        // At the limit exactly: accepted, the line as long as foretold.
        c.max_line = len;
        let receipt = c.execute(next).unwrap();
        assert_eq!(receipt.line.len(), len);
        assert_eq!(receipt.line.as_bytes(), probe.as_slice());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_failed_group_commit_poisons_the_campaign() {
        let cmds = demo::commands(&DemoSpec::small());
        let mut c = on_a_full_disk(&cmds[..10]);
        let err = c.execute_batch(&cmds[10..20]).unwrap_err();
        assert_eq!(err.code(), 4001);
        assert!(c.is_poisoned());
        assert_eq!(c.execute(&cmds[20]).unwrap_err().code(), 4007);
    }

    /// What replaying `journal` gives, as a comparable value: the state, seq, last hash and
    /// torn tail, or the error's code and message.
    fn replayed(journal: &[u8], keep: bool, pipeline: replay::Pipeline) -> Result<String, String> {
        match Campaign::replay_inner(journal, keep, pipeline) {
            Ok((c, report, len)) => Ok(format!(
                "{} {} {len} {:?} {}",
                c.seq(),
                journal::hash_hex(&c.last_hash()),
                report.torn_tail,
                c.state_json()
            )),
            Err(e) => Err(format!("{} {}", e.code(), e.message_en())),
        }
    }

    /// The demo's first records as journal lines (the header first), each with its newline.
    fn journal_lines(records: usize) -> Vec<Vec<u8>> {
        let cmds = demo::commands(&DemoSpec::small());
        let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
        let mut lines = vec![c.header_line().into_bytes()];
        for cmd in &cmds[..records] {
            lines.push(c.execute(cmd).unwrap().line.into_bytes());
        }
        lines
    }

    /// Every way of spreading a replay (one thread; verifiers out of order over batches of a
    /// few lines) finds what one thread finds, on a whole journal and on journals altered at
    /// every line: a byte changed, a line dropped, two swapped, a hash in uppercase, a torn
    /// tail, a line past the limit; with and without keeping the valid prefix.
    #[test]
    fn every_pipeline_finds_what_one_thread_finds() {
        let lines = journal_lines(23);
        let mut journals: Vec<Vec<u8>> = vec![lines.concat()];
        for k in 1..lines.len() {
            let mut changed = lines.clone();
            let mid = changed[k].len() / 2;
            changed[k][mid] ^= 0x01;
            journals.push(changed.concat());
            let mut dropped = lines.clone();
            dropped.remove(k);
            journals.push(dropped.concat());
            let mut swapped = lines.clone();
            swapped.swap(k, (k + 1) % lines.len().max(2));
            journals.push(swapped.concat());
            let mut upper = lines.clone();
            let n = upper[k].len();
            upper[k][n - 66..n - 3].make_ascii_uppercase();
            journals.push(upper.concat());
            let mut torn = lines[..=k].concat();
            torn.truncate(torn.len() - lines[k].len() / 3);
            journals.push(torn);
        }
        let mut long = lines[..4].concat();
        long.extend(std::iter::repeat_n(b'x', journal::MAX_LINE_BYTES + 2));
        long.extend_from_slice(&lines[4..].concat());
        journals.push(long);
        let one = replay::Pipeline {
            verifiers: 0,
            batch_lines: 2048,
        };
        let spread = [(0, 3), (1, 1), (2, 3), (4, 2), (3, 5), (2, 2048)];
        let mut refused = 0;
        for (i, journal) in journals.iter().enumerate() {
            for keep in [false, true] {
                let expected = replayed(journal, keep, one);
                refused += usize::from(!keep && expected.is_err());
                for (verifiers, batch_lines) in spread {
                    let pipeline = replay::Pipeline {
                        verifiers,
                        batch_lines,
                    };
                    let found = replayed(journal, keep, pipeline);
                    assert_eq!(found, expected, "journal {i}, keep {keep}, {pipeline:?}");
                }
            }
        }
        // Changed, swapped, uppercase: refused at every line; dropped: all but the last.
        assert!(
            refused >= 4 * (lines.len() - 1) - 1,
            "altered journals are refused: {refused}"
        );
        let whole = replayed(&journals[0], false, one).unwrap();
        assert!(
            whole.starts_with("23 "),
            "the whole journal replays: {whole}"
        );
    }
}
