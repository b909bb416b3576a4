//! A filled workbook imported into a campaign in one call: read ([`read_workbook`]), then the
//! JSON Lines import of its rows, all or nothing unless told to keep going, every refusal told
//! by sheet, row and column. The C ABI's `cz_campaign_import_xlsx` is this; the command-line
//! tool runs the same steps with its progress bars.

use std::io::Cursor;

use super::limits::SheetError;
use super::read::{SheetRefusal, SheetRows, read_workbook};
use crate::Coded;
use crate::ledger::{Campaign, ImportError, ImportOptions, import_jsonl};

/// What a workbook's import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkbookReport {
    /// Rows recorded (0 when all or nothing refused the import).
    pub recorded: u64,
    /// The campaign's sequence number after the import.
    pub seq: u64,
    /// The refused rows, by sheet and row: cells refused as read (6004) and commands the ledger
    /// refused (their own codes); at most 10000 of each are listed.
    pub refused: Vec<SheetRefusal>,
    /// Refused rows, listed or not.
    pub refused_total: u64,
    /// The sheets read: name, kind's name, rows.
    pub sheets: Vec<(String, &'static str, usize)>,
    /// Visible sheets of no known kind, skipped.
    pub skipped: Vec<String>,
}

impl WorkbookReport {
    /// Whether no row was refused.
    pub fn is_clean(&self) -> bool {
        self.refused_total == 0
    }

    /// The report as JSON: `{"recorded", "seq", "refused": [{"sheet", "row", "column",
    /// "code", "message", "message_zh", "message_en"}], "sheets": [{"name", "kind", "rows"}],
    /// "skipped": [..]}`.
    pub fn to_json(&self) -> String {
        let refused: Vec<serde_json::Value> = self
            .refused
            .iter()
            .map(|r| {
                serde_json::json!({
                    "sheet": r.sheet, "row": r.row, "column": r.column, "code": r.code,
                    "message": format!("{}\n{}", r.message_zh, r.message_en),
                    "message_zh": r.message_zh, "message_en": r.message_en,
                })
            })
            .collect();
        let sheets: Vec<serde_json::Value> = self
            .sheets
            .iter()
            .map(|(name, kind, rows)| serde_json::json!({"name": name, "kind": kind, "rows": rows}))
            .collect();
        serde_json::json!({
            "recorded": self.recorded, "seq": self.seq, "refused": refused,
            "refused_total": self.refused_total,
            "sheets": sheets, "skipped": self.skipped,
        })
        .to_string()
    }
}

/// Why a workbook's import could not run: the workbook could not be read, or the journal
/// failed.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookImportError {
    /// The workbook as a whole (6001–6003, 6005).
    #[error(transparent)]
    Sheet(#[from] SheetError),
    /// The import (a journal failure part way: the chunks synced before stay recorded).
    #[error(transparent)]
    Import(#[from] ImportError),
}

impl Coded for WorkbookImportError {
    fn code(&self) -> u32 {
        match self {
            WorkbookImportError::Sheet(e) => e.code(),
            WorkbookImportError::Import(e) => e.code(),
        }
    }
    fn message_zh(&self) -> String {
        match self {
            WorkbookImportError::Sheet(e) => e.message_zh(),
            WorkbookImportError::Import(e) => e.message_zh(),
        }
    }
    fn message_en(&self) -> String {
        match self {
            WorkbookImportError::Sheet(e) => e.message_en(),
            WorkbookImportError::Import(e) => e.message_en(),
        }
    }
}

/// Imports the workbook `bytes` into `campaign`: its rows read (rows leaving 填报单位编号 blank
/// acting as `actor`), then imported as JSON Lines with `options`. All or nothing (the
/// default): a row refused as read, or by the ledger, records nothing, after every row was
/// checked so that all are listed.
///
/// # Errors
///
/// [`WorkbookImportError`]: the workbook cannot be read as a whole, or the journal failed.
pub fn import_workbook(
    campaign: &mut Campaign,
    bytes: &[u8],
    actor: Option<&str>,
    options: &ImportOptions,
) -> Result<WorkbookReport, WorkbookImportError> {
    let rows = read_workbook(bytes, actor)?;
    let input = Cursor::new(rows.jsonl.as_slice());
    let report = if rows.refused_count() == 0 || options.is_keep_going() {
        import_jsonl(campaign, input, options, &mut |_| {})?
    } else {
        // Checked on the campaign as it is, nothing recorded: only to list every refusal.
        let check = crate::ledger::check_jsonl(campaign, input, options, &mut |_| {})?;
        check.report().clone()
    };
    Ok(report_of(&rows, &report, campaign.seq()))
}

/// The rows' and the import's refusals together, in sheet and row order.
fn report_of(rows: &SheetRows, report: &crate::ledger::ImportReport, seq: u64) -> WorkbookReport {
    let refused = rows.refusals(&report.refused);
    WorkbookReport {
        recorded: report.recorded,
        seq,
        refused,
        refused_total: rows.refused_count() as u64 + report.refused_total,
        sheets: rows
            .sheets
            .iter()
            .map(|(n, k, r)| (n.clone(), k.name(), *r))
            .collect(),
        skipped: rows.skipped.clone(),
    }
}
