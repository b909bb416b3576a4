//! Verifying a journal as an auditor does: every record's seal and every event replayed, every
//! byte of the file accounted for, and its end compared with anchors kept apart from it.
//!
//! The hash chain proves that no record was altered, dropped, swapped or inserted before the
//! last one. It cannot tell a journal cut at a record boundary, or rewritten and resealed end to
//! end, from a whole one: an anchor can, the last hash (or seq) published or kept elsewhere
//! when the journal was last known good.

use std::io::BufRead;

use super::checkpoint::{Alg, VerifyingKey};
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
    /// How many checkpoint records the journal holds.
    pub checkpoints: u64,
    /// The checkpoints checked under the keys given ([`Campaign::verify_signed`]); `None`
    /// when no key was given.
    pub signatures: Option<Signatures>,
}

/// What checking a journal's checkpoints under the keys given found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signatures {
    /// Checkpoints whose signature verifies.
    pub verified: u64,
    /// Checkpoints of an algorithm no key was given for (not checked).
    pub unchecked: u64,
    /// Checkpoints whose signature does not verify: seq, algorithm, key id.
    pub bad: Vec<(u64, Alg, String)>,
    /// The seq of the last checkpoint that verifies, if any. Records after it are the
    /// unsigned tail.
    pub last_signed: Option<u64>,
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
    /// Whether every byte is covered by a verified record, every anchor holds, and (with
    /// keys) every checkpoint of a key's algorithm verifies and the last record is one.
    pub fn is_whole(&self) -> bool {
        self.problems().is_empty()
    }

    /// The records after the last checkpoint that verifies, `(first, last)`; `None` without
    /// keys, or when the last record is a verified checkpoint.
    pub fn unsigned_tail(&self) -> Option<(u64, u64)> {
        let signed = self.signatures.as_ref()?.last_signed.unwrap_or(0);
        (signed < self.last_seq).then_some((signed + 1, self.last_seq))
    }

    /// What falls short, as errors: the anchors that differ (4011), the checkpoints whose
    /// signature fails (4013), the records no verified checkpoint covers (4014), then the bytes
    /// not covered (4010). Empty when [`Verification::is_whole`].
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
        if let Some(signatures) = &self.signatures {
            let bad = signatures.bad.iter().map(|(seq, alg, key_id)| {
                let (seq, alg, key_id) = (*seq, *alg, key_id.clone());
                JournalError::BadSignature { seq, alg, key_id }
            });
            out.extend(bad);
        }
        if let Some((from, to)) = self.unsigned_tail() {
            out.push(JournalError::UnsignedTail {
                from,
                to,
                last_signed: self.signatures.as_ref().and_then(|s| s.last_signed),
            });
        }
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
        Campaign::verify_signed(reader, anchors, &[])
    }

    /// [`Campaign::verify`], and every checkpoint checked under `keys`: each one of an
    /// algorithm a key is given for must verify under one of them (4013 otherwise), and the
    /// records after the last one that does are an unsigned tail (4014). With no key, as
    /// [`Campaign::verify`]: checkpoints are checked for their place in the chain only.
    pub fn verify_signed<R: BufRead + Send>(
        reader: R,
        anchors: &Anchors,
        keys: &[VerifyingKey],
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
            checkpoints: campaign.checkpoints().len() as u64,
            signatures: (!keys.is_empty()).then(|| check_signatures(&campaign, keys)),
        };
        debug_assert_eq!(report.records, verification.last_seq);
        Ok((campaign, verification))
    }
}

/// Checks every checkpoint of `campaign` under `keys`, on all the machine's cores (an SM2
/// check costs about 160 µs: BENCHMARKS.md).
fn check_signatures(campaign: &Campaign, keys: &[VerifyingKey]) -> Signatures {
    let records = campaign.checkpoints();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_core = records.len().div_ceil(cores).max(1);
    let verdicts: Vec<Option<bool>> = std::thread::scope(|scope| {
        let parts: Vec<_> = records
            .chunks(per_core)
            .map(|part| {
                scope.spawn(move || {
                    let verdicts: Vec<Option<bool>> =
                        part.iter().map(|r| r.verifies_under(keys)).collect();
                    verdicts
                })
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect::<Vec<Option<bool>>>()
    });
    debug_assert_eq!(verdicts.len(), records.len(), "one verdict per checkpoint");
    let mut out = Signatures::default();
    for (record, verdict) in records.iter().zip(verdicts) {
        match verdict {
            None => out.unchecked += 1,
            Some(true) => {
                out.verified += 1;
                out.last_signed = Some(record.seq);
            }
            Some(false) => {
                let cp = &record.checkpoint;
                out.bad.push((record.seq, cp.alg, cp.key_id.to_string()));
            }
        }
    }
    out
}
