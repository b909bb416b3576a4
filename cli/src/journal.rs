//! Reading a journal for a command: replayed or verified with a progress bar, and the scope and
//! span a report counts over.

use std::io::BufReader;
use std::mem::ManuallyDrop;
use std::path::Path;

use chuangzheng::ledger::{Campaign, EntityKind, LedgerError, ReplayReport};
use chuangzheng::model::OrgIdx;
use chuangzheng::org::OrgError;
use chuangzheng::report::Span;
use indicatif::ProgressBarIter;

use crate::args::Window;
use crate::failure::{Failure, io_failure, usage};
use crate::progress;

/// A journal file being read, its progress shown by bytes. The bar counts the file's reads
/// (a megabyte each), not each line the buffer hands out: a bar updated per line cost the
/// verifying thread a clock read for every record.
pub type JournalReader = BufReader<ProgressBarIter<std::fs::File>>;

/// Replays the journal at `path` read-only, with a progress bar.
/// With a snapshot beside it (`chuangzheng snapshot`), from the snapshot and the records after
/// it, without a bar.
///
/// The campaign is never freed: each command reads it and the process ends soon after, and
/// freeing the state one record at a time is work for nothing (3 s of a province's 12 s report).
pub fn replay(path: &Path) -> Result<(ManuallyDrop<Campaign>, ReplayReport), Failure> {
    let (campaign, opened) = if chuangzheng::ledger::snapshot_path(path).exists() {
        let (campaign, opened) = Campaign::open_read_only(path)?;
        note_snapshot(&opened);
        (campaign, opened)
    } else {
        read_journal(path, "回放 replay", |r| Campaign::replay(r))?
    };
    Ok((ManuallyDrop::new(campaign), opened))
}

/// Says why a snapshot beside the journal was not used.
pub fn note_snapshot(opened: &ReplayReport) {
    if let Some(why) = &opened.snapshot_skipped {
        eprintln!("注意：日志旁的快照未采用，已从头回放日志（{why}）");
        eprintln!(
            "note: the snapshot beside the journal was not used; the journal was replayed whole ({why})"
        );
    }
}

/// Runs `read` over the journal at `path`, with a progress bar labelled `label`.
pub fn read_journal<T>(
    path: &Path,
    label: &str,
    read: impl FnOnce(&mut JournalReader) -> Result<T, chuangzheng::Error>,
) -> Result<T, Failure> {
    let file = std::fs::File::open(path).map_err(|e| io_failure("读取", path, &e))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = progress::bytes(label, total);
    let mut reader = BufReader::with_capacity(1 << 20, bar.wrap_read(file));
    let result = read(&mut reader);
    bar.finish_and_clear();
    Ok(result?)
}

/// The organization `scope` names (by the host's id), or the root.
pub fn scope_of(campaign: &Campaign, scope: Option<&str>) -> Result<OrgIdx, Failure> {
    let state = campaign.state();
    match scope {
        None => state.root().ok_or_else(|| Failure {
            code: 3002,
            zh: "日志中没有组织".into(),
            en: "the journal holds no organization".into(),
        }),
        Some(id) => state.org_by_id(id).ok_or_else(|| {
            LedgerError::from(OrgError::Unknown {
                field: "--scope",
                kind: EntityKind::Org,
                id: id.to_string(),
            })
            .into()
        }),
    }
}

/// The span the options name: from `--from` (or the start) to `--as-of` (or the latest date
/// recorded).
pub fn span_of(campaign: &Campaign, window: &Window) -> Result<Span, Failure> {
    let as_of = window.as_of.or(campaign.latest_date()).ok_or_else(|| {
        usage(
            "日志中没有记录，请给出 --as-of",
            "the journal holds no record: give --as-of",
        )
    })?;
    if let Some(from) = window.from
        && from > as_of
    {
        return Err(usage(
            format!("--from {from} 晚于截止日期 {as_of}"),
            format!("--from {from} is after the as-of date {as_of}"),
        ));
    }
    Ok(Span {
        from: window.from,
        as_of,
    })
}

/// Opening a journal for writing drops a torn last record (a write cut short, never
/// acknowledged) and saves its bytes beside the journal: say so, and where.
pub fn note_torn_tail(journal: &Path, opened: &ReplayReport) {
    let Some(t) = &opened.torn_tail else {
        return;
    };
    let journal = journal.display();
    let (len, at) = (t.len, t.offset);
    let saved = t.saved_to.as_ref().map(|p| p.display().to_string());
    let (saved_zh, saved_en) = match &saved {
        Some(p) => (format!("，已另存为 {p}"), format!(", saved to {p}")),
        None => (String::new(), String::new()),
    };
    eprintln!(
        "注意：日志 {journal} 末尾有一条残缺记录，写入时中断，从未确认；已截去 {len} 字节，位于字节 {at}{saved_zh}"
    );
    eprintln!(
        "note: journal {journal} ended with a torn record (a write cut short, never acknowledged): {len} bytes at byte {at} dropped{saved_en}"
    );
}
