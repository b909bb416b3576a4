//! Storage fault injection for tests (feature `fault-injection`): a seam under the journal
//! writer that fails on command, the way a disk does.
//!
//! [`Faults`] is a shared switchboard; [`Campaign::create_with_faults`] and
//! [`Campaign::open_with_faults`] put it between the campaign and its journal file. Each
//! injected fault hits the next write, sync or cut-back and then clears, except a full disk,
//! which lasts until [`Faults::heal`].
//!
//! ```
//! # #[cfg(feature = "fault-injection")] {
//! use chuangzheng::ledger::faults::Faults;
//! let faults = Faults::new();
//! faults.short_write_next(10); // the next append writes 10 bytes, then fails
//! faults.fail_next_sync();
//! # }
//! ```

use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use super::journal::{JournalWriter, Storage};
use super::{Campaign, CampaignInfo, OpenOptions, ReplayReport};
use crate::rules::RuleSet;

/// What goes wrong next; shared between a test and the storage it controls.
#[derive(Debug, Clone, Default)]
pub struct Faults(Arc<Mutex<Plan>>);

#[derive(Debug, Default)]
struct Plan {
    /// The next write writes this many bytes (at most), then fails.
    short_write: Option<usize>,
    /// Bytes the disk still takes; a write beyond them writes what fits and fails, until healed.
    space_left: Option<u64>,
    /// The next sync fails.
    fail_sync: bool,
    /// Cutting the file back fails, until healed.
    fail_set_len: bool,
    /// Faults injected so far.
    injected: u64,
}

impl Faults {
    /// No fault planned.
    pub fn new() -> Faults {
        Faults::default()
    }

    fn plan(&self) -> MutexGuard<'_, Plan> {
        // A test thread that panicked while holding the plan leaves it usable.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next write writes at most `bytes` bytes, then fails (0: fails outright).
    pub fn short_write_next(&self, bytes: usize) {
        self.plan().short_write = Some(bytes);
    }

    /// The disk takes `bytes` more bytes, then every write fails with "no space left" until
    /// [`Faults::heal`].
    pub fn disk_full_after(&self, bytes: u64) {
        self.plan().space_left = Some(bytes);
    }

    /// The next sync fails.
    pub fn fail_next_sync(&self) {
        self.plan().fail_sync = true;
    }

    /// Cutting the file back fails until [`Faults::heal`].
    pub fn fail_truncate(&self) {
        self.plan().fail_set_len = true;
    }

    /// Clears every planned fault.
    pub fn heal(&self) {
        let mut p = self.plan();
        let injected = p.injected;
        *p = Plan {
            injected,
            ..Plan::default()
        };
    }

    /// Faults injected so far.
    pub fn injected(&self) -> u64 {
        self.plan().injected
    }
}

/// A journal file behind the fault switchboard.
#[derive(Debug)]
struct FaultyStorage {
    inner: Box<dyn Storage>,
    faults: Faults,
}

impl Storage for FaultyStorage {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut p = self.faults.plan();
        let mut allowed = bytes.len();
        let mut error = None;
        if let Some(n) = p.short_write.take() {
            allowed = allowed.min(n);
            error = Some(io::Error::other("injected write failure"));
        }
        if let Some(space) = p.space_left {
            let fits = usize::try_from(space).unwrap_or(usize::MAX);
            if fits < allowed || (fits < bytes.len() && error.is_none()) {
                allowed = allowed.min(fits);
                error = Some(io::Error::new(
                    io::ErrorKind::StorageFull,
                    "injected: no space left on device",
                ));
            }
            p.space_left = Some(space.saturating_sub(allowed as u64));
        }
        if error.is_some() {
            p.injected += 1;
        }
        drop(p);
        self.inner.write_all(&bytes[..allowed])?;
        match error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn sync_data(&mut self) -> io::Result<()> {
        let mut p = self.faults.plan();
        if std::mem::take(&mut p.fail_sync) {
            p.injected += 1;
            return Err(io::Error::other("injected fsync failure"));
        }
        drop(p);
        self.inner.sync_data()
    }

    fn set_len(&mut self, len: u64) -> io::Result<()> {
        let mut p = self.faults.plan();
        if p.fail_set_len {
            p.injected += 1;
            return Err(io::Error::other("injected truncate failure"));
        }
        drop(p);
        self.inner.set_len(len)
    }
}

impl JournalWriter {
    fn with_faults(self, faults: &Faults) -> JournalWriter {
        self.wrap(|inner| {
            Box::new(FaultyStorage {
                inner,
                faults: faults.clone(),
            })
        })
    }
}

impl Campaign {
    /// [`Campaign::create`], with the journal's writes going through `faults`.
    pub fn create_with_faults(
        path: impl AsRef<Path>,
        info: CampaignInfo,
        rules: RuleSet,
        faults: &Faults,
    ) -> Result<Campaign, crate::Error> {
        let mut c = Campaign::create(path, info, rules)?;
        c.writer = c.writer.take().map(|w| w.with_faults(faults));
        Ok(c)
    }

    /// [`Campaign::open`], with the journal's writes going through `faults`.
    pub fn open_with_faults(
        path: impl AsRef<Path>,
        options: OpenOptions,
        faults: &Faults,
    ) -> Result<(Campaign, ReplayReport), crate::Error> {
        let (mut c, report) = Campaign::open(path, options)?;
        c.writer = c.writer.take().map(|w| w.with_faults(faults));
        Ok((c, report))
    }
}
