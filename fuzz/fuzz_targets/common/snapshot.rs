//! `snapshot_read`: bytes as the binary snapshot beside a valid journal (the small demo's),
//! raw, as byte edits on the journal's own snapshot, or as such edits with every checksum made
//! to match again (so the decoding of each block is reached). The snapshot is written in
//! blocks of 512 bytes, so the pledges are read in many blocks by two threads. Opening the journal never
//! panics and never fails because of its snapshot: a snapshot it uses gives a state that
//! passes every invariant check and stands at the journal's end; one it skips says why, and
//! the journal is replayed whole to the state it holds.

use std::path::PathBuf;

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Campaign, reseal_snapshot, snapshot_path};
use chuangzheng::rules::RuleSet;

use super::edit;

/// The small demo's journal in a directory of this process, its snapshot's bytes, and what a
/// whole replay of it gives.
pub struct SnapshotCase {
    journal: PathBuf,
    good: Vec<u8>,
    whole: String,
    seq: u64,
    max_units: u32,
}

impl SnapshotCase {
    pub fn new() -> SnapshotCase {
        let dir = std::env::temp_dir().join(format!("cz-fuzz-snapshot-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a directory of its own");
        let journal = dir.join("city.jsonl");
        let spec = DemoSpec::small();
        let rules = RuleSet::default();
        let max_units = rules.coverage.max_units_per_org;
        let mut c = Campaign::create(&journal, demo::info(), rules).expect("a journal");
        let setup = c.execute_batch(&demo::commands(&spec)).expect("the city");
        assert!(setup.all_accepted());
        let records = demo::records(c.state(), &spec);
        assert!(c.execute_batch(&records).expect("records").all_accepted());
        // Small blocks, so that edits reach lists read in many blocks, from both ends.
        let block = std::num::NonZeroUsize::new(512).expect("not zero");
        c.save_snapshot_in_blocks(block).expect("a snapshot");
        let good = std::fs::read(snapshot_path(&journal)).expect("its bytes");
        SnapshotCase {
            journal,
            good,
            whole: c.state_json(),
            seq: c.seq(),
            max_units,
        }
    }

    /// The first byte picks the mode: raw bytes, edits resealed, edits as they are.
    pub fn check(&self, data: &[u8]) {
        let Some((&mode, rest)) = data.split_first() else {
            return;
        };
        let bytes = match mode % 3 {
            0 => rest.to_vec(),
            1 => {
                let mut b = self.good.clone();
                edit(&mut b, rest);
                reseal_snapshot(&b).unwrap_or(b)
            }
            _ => {
                let mut b = self.good.clone();
                edit(&mut b, rest);
                b
            }
        };
        std::fs::write(snapshot_path(&self.journal), &bytes).expect("the snapshot written");
        let (c, report) = Campaign::open_read_only(&self.journal)
            .expect("a sound journal opens whatever its snapshot holds");
        assert_eq!(
            c.seq(),
            self.seq,
            "the campaign stands at the journal's end"
        );
        match report.snapshot {
            Some(_) => {
                c.state()
                    .check_invariants(self.max_units)
                    .expect("a snapshot that loads is sound");
                if bytes == self.good {
                    assert_eq!(c.state_json(), self.whole);
                }
            }
            None => {
                assert!(
                    report.snapshot_skipped.is_some(),
                    "a skipped snapshot says why"
                );
                assert_ne!(bytes, self.good, "the journal's own snapshot was skipped");
                assert_eq!(
                    c.state_json(),
                    self.whole,
                    "skipped: the journal replayed whole"
                );
            }
        }
    }
}

impl Drop for SnapshotCase {
    fn drop(&mut self) {
        if let Some(dir) = self.journal.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
