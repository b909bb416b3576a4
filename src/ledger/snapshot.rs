//! Snapshots: the whole state of a campaign in one JSON document, loaded back with every
//! invariant checked again.
//!
//! A snapshot records the sequence number and hash of the last record it includes, so a
//! campaign loaded from it continues the same hash chain.

use serde::{Deserialize, Serialize};

use super::journal::{CampaignInfo, Hash, hash_hex};
use super::state::{State, StateParts};
use super::{Campaign, JournalError};
use crate::rules::RuleSet;

/// The format name in every snapshot.
pub const SNAPSHOT_FORMAT: &str = "chuangzheng-snapshot";
/// The snapshot format version this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

#[derive(Serialize)]
struct SnapshotOut<'a> {
    format: &'a str,
    version: u32,
    campaign: &'a CampaignInfo,
    rules: &'a RuleSet,
    seq: u64,
    last_hash: String,
    header_hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    latest: Option<jiff::civil::Date>,
    state: &'a State,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotIn {
    format: String,
    version: u32,
    campaign: CampaignInfo,
    rules: RuleSet,
    seq: u64,
    last_hash: String,
    header_hash: String,
    #[serde(default)]
    latest: Option<jiff::civil::Date>,
    state: StateParts,
}

fn parse_hash(field: &str, s: &str) -> Result<Hash, JournalError> {
    let bad = || JournalError::Snapshot {
        why: format!("field {field}: not 64 lowercase hex digits"),
    };
    super::journal::hash_from_hex(s).ok_or_else(bad)
}

impl Campaign {
    /// The whole campaign as a snapshot (JSON).
    pub fn snapshot_json(&self) -> String {
        let out = SnapshotOut {
            format: super::SNAPSHOT_FORMAT,
            version: SNAPSHOT_VERSION,
            campaign: &self.info,
            rules: &self.rules,
            seq: self.seq,
            last_hash: hash_hex(&self.last_hash),
            header_hash: hash_hex(&self.header_hash),
            latest: self.latest,
            state: &self.state,
        };
        // Plain data; serializing cannot fail.
        serde_json::to_string(&out).unwrap_or_default()
    }

    /// Loads a snapshot into an in-memory campaign, checking the rules and every invariant of
    /// the state. The campaign continues the snapshot's hash chain.
    pub fn from_snapshot_json(json: &str) -> Result<Campaign, crate::Error> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let snap: SnapshotIn =
            crate::json_error::read_whole(de, "快照").map_err(|d| JournalError::Snapshot {
                why: format!("field {}: {}{}", d.path, d.en, d.en_position()),
            })?;
        if snap.format != SNAPSHOT_FORMAT || snap.version != SNAPSHOT_VERSION {
            return Err(JournalError::Snapshot {
                why: format!(
                    "format {:?} version {} is not a snapshot this build reads",
                    snap.format, snap.version
                ),
            }
            .into());
        }
        let last_hash = parse_hash("last_hash", &snap.last_hash)?;
        let header_hash = parse_hash("header_hash", &snap.header_hash)?;
        let mut campaign = Campaign::in_memory(snap.campaign, snap.rules)?;
        if campaign.header_hash != header_hash {
            return Err(JournalError::Snapshot {
                why: "field header_hash: does not match the campaign and rules in the snapshot"
                    .into(),
            }
            .into());
        }
        let max = campaign.rules.coverage.max_units_per_org;
        campaign.state =
            State::from_parts(snap.state, max).map_err(|why| JournalError::Snapshot {
                why: format!("field state: {why}"),
            })?;
        campaign.seq = snap.seq;
        campaign.last_hash = last_hash;
        campaign.latest = snap.latest;
        Ok(campaign)
    }
}
