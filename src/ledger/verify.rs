//! Verifying a journal as an auditor does: every record's seal and every event replayed, every
//! byte of the file accounted for, and its end compared with anchors kept apart from it.
//!
//! The hash chain proves that no record was altered, dropped, swapped or inserted before the
//! last one. It cannot tell a journal cut at a record boundary, or rewritten and resealed end to
//! end, from a whole one: an anchor can, the last hash (or seq) published or kept elsewhere
//! when the journal was last known good.

use std::io::BufRead;

use super::journal::{DroppedTail, Hash, hash_hex};
use super::{Campaign, JournalError};
use crate::Coded;

/// What a verifier holds apart from the journal: its last hash and its last seq as they were
/// published or kept elsewhere. Either may be left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Anchors {
    /// The last record's hash (`h`) expected.
    pub last_hash: Option<Hash>,
    /// The last record's `seq` expected (0: the header alone).
    pub seq: Option<u64>,
}

/// What verifying a whole journal found.
#[derive(Debug)]
pub struct Verification {
    /// The last record's seq (0: the header alone), which is also how many records were
    /// verified and replayed, the header excluded.
    pub last_seq: u64,
    /// The last record's hash (the header's with no record).
    pub last_hash: Hash,
    /// Bytes at the end no verified record covers (a last line without its newline), if any.
    pub uncovered: Option<DroppedTail>,
    /// Each anchor that differs.
    pub mismatches: Vec<Mismatch>,
}

/// An anchor the journal's end does not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Which: `last hash` or `last seq`.
    pub what: &'static str,
    /// The value expected.
    pub expected: String,
    /// The journal's.
    pub found: String,
}

impl Verification {
    /// Whether every byte is covered by a verified record and every anchor holds.
    pub fn is_whole(&self) -> bool {
        self.uncovered.is_none() && self.mismatches.is_empty()
    }

    /// What falls short, as errors: the anchors that differ (4011), then the bytes not
    /// covered (4010). Empty when [`Verification::is_whole`].
    pub fn problems(&self) -> Vec<JournalError> {
        let mut out: Vec<JournalError> = self
            .mismatches
            .iter()
            .map(|m| JournalError::AnchorMismatch {
                what: m.what,
                expected: m.expected.clone(),
                found: m.found.clone(),
            })
            .collect();
        if let Some(t) = &self.uncovered {
            out.push(JournalError::Uncovered {
                offset: t.offset,
                len: t.len,
            });
        }
        out
    }

    /// Every problem in one message, as the CLI and the C ABI give it: the first problem's
    /// code, then the messages joined, Chinese and English; `None` when the journal is whole.
    pub fn problems_message(&self) -> Option<(u32, String, String)> {
        let problems = self.problems();
        let first = problems.first()?.code();
        let join = |f: fn(&JournalError) -> String, sep: &str| {
            problems.iter().map(f).collect::<Vec<_>>().join(sep)
        };
        Some((
            first,
            join(Coded::message_zh, "；"),
            join(Coded::message_en, "; "),
        ))
    }
}

impl Campaign {
    /// Verifies the journal `reader` holds, reading only: every seal checked and every event
    /// replayed under its rules (as [`Campaign::replay`]), the bytes after the last whole line
    /// reported rather than dropped, and the end compared with `anchors`. A record that fails
    /// is an error, as on replay; bytes not covered and anchors that differ are findings in
    /// the [`Verification`], for the caller to judge ([`Verification::problems`]).
    ///
    /// ```
    /// use chuangzheng::demo::{self, DemoSpec};
    /// use chuangzheng::ledger::{Anchors, Campaign};
    ///
    /// let path = std::env::temp_dir().join(format!("cz-verify-doc-{}.jsonl", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut city = Campaign::create(&path, demo::info(), Default::default())?;
    /// demo::populate(&mut city, &DemoSpec::small(), 4096)?;
    /// let anchors = Anchors { last_hash: Some(city.last_hash()), seq: Some(city.seq()) };
    /// drop(city);
    /// let journal = std::fs::read_to_string(&path)?;
    /// # std::fs::remove_file(&path)?;
    /// let (_, v) = Campaign::verify(journal.as_bytes(), &anchors)?;
    /// assert!(v.is_whole());
    ///
    /// // Cut at a record boundary: the chain still verifies, the anchors do not.
    /// let cut: String = journal.split_inclusive('\n').take(10).collect();
    /// let (_, v) = Campaign::verify(cut.as_bytes(), &anchors)?;
    /// assert_eq!(v.problems().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify<R: BufRead + Send>(
        reader: R,
        anchors: &Anchors,
    ) -> Result<(Campaign, Verification), crate::Error> {
        let (campaign, report) = Campaign::replay(reader)?;
        let mut mismatches = Vec::new();
        if let Some(expected) = anchors.last_hash
            && expected != campaign.last_hash()
        {
            mismatches.push(Mismatch {
                what: "last hash",
                expected: hash_hex(&expected),
                found: hash_hex(&campaign.last_hash()),
            });
        }
        if let Some(expected) = anchors.seq
            && expected != campaign.seq()
        {
            mismatches.push(Mismatch {
                what: "last seq",
                expected: expected.to_string(),
                found: campaign.seq().to_string(),
            });
        }
        let verification = Verification {
            last_seq: campaign.seq(),
            last_hash: campaign.last_hash(),
            uncovered: report.torn_tail,
            mismatches,
        };
        debug_assert_eq!(report.records, verification.last_seq);
        Ok((campaign, verification))
    }
}
