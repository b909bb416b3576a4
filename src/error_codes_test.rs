//! Every error code the crate gives is in docs/events.md's tables, no code there is one the
//! crate does not give, and no two distinct errors share a code.
//!
//! The library's codes come from one sample of every variant of every [`Coded`] error
//! (error_messages_test.rs builds them; exhaustive `match`es there and here make a new variant
//! fail to compile until it has a sample). Wrappers that pass an inner error's code through
//! (`LedgerError::Invalid`, `LedgerError::Journal`) are that inner error. The command-line
//! tool's own codes are read from cli/src (`code: N`; 0 marks a usage error, which is shown
//! without a code), the C ABI's from src/ffi (`const CZ_…: cz_result = N`, and codes written
//! literally in `fail(N, …)`); both may reuse a library code for the same meaning.

use std::collections::{BTreeMap, BTreeSet};

use crate::Coded;
use crate::error::Reason;
use crate::error_messages_test::{
    LEDGER_VARIANTS, journal_samples, journal_variant, ledger_samples, ledger_variant, reasons,
    rules_samples,
};
use crate::ledger::{JournalError, LedgerError};
use crate::model::ModelError;
use crate::rules::RulesError;

/// The variant's name, from its `Debug` form.
fn variant(e: &impl std::fmt::Debug) -> String {
    let debug = format!("{e:?}");
    let end = debug
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(debug.len());
    debug[..end].to_string()
}

/// The position of a reason, by an exhaustive match: a new reason must be given here and in
/// `reasons()`.
fn reason_variant(r: &Reason) -> usize {
    match r {
        Reason::Empty => 0,
        Reason::TooLong { .. } => 1,
        Reason::ControlCharacter => 2,
        Reason::NotADecimal => 3,
        Reason::Negative => 4,
        Reason::TooManyDecimalPlaces { .. } => 5,
        Reason::TooLarge { .. } => 6,
        Reason::InvalidDate => 7,
        Reason::OutOfRange { .. } => 8,
        Reason::UnknownName { .. } => 9,
        Reason::SurroundingWhitespace => 10,
        Reason::Overflow => 11,
        Reason::Malformed { .. } => 12,
    }
}

const REASONS: usize = 13;

fn rules_variant(e: &RulesError) -> usize {
    match e {
        RulesError::Parse { .. } => 0,
        RulesError::UnsupportedVersion { .. } => 1,
        RulesError::Invalid { .. } => 2,
    }
}

fn model_key(e: &ModelError) -> String {
    format!("ModelError({})", variant(e.reason()))
}

fn journal_key(e: &JournalError) -> String {
    format!("JournalError::{}", variant(e))
}

fn ledger_key(e: &LedgerError) -> String {
    match e {
        LedgerError::Invalid(inner) => model_key(inner),
        LedgerError::Journal(inner) => journal_key(inner),
        // A domain's own error: named by the domain and its variant.
        LedgerError::Org(inner) => format!("OrgError::{}", variant(inner)),
        LedgerError::Pledge(inner) => format!("PledgeError::{}", variant(inner)),
        LedgerError::Method123(inner) => format!("Method123Error::{}", variant(inner)),
        LedgerError::Deliberation(inner) => format!("DeliberationError::{}", variant(inner)),
        LedgerError::Activity(inner) => format!("ActivityError::{}", variant(inner)),
        other => format!("LedgerError::{}", variant(other)),
    }
}

fn rules_key(e: &RulesError) -> String {
    match e {
        RulesError::Invalid { reason, .. } => format!("RulesError::Invalid({})", variant(reason)),
        other => format!("RulesError::{}", variant(other)),
    }
}

/// Every library error, as (its code, which error it is), each variant at least once.
fn library_errors() -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut seen = [false; LEDGER_VARIANTS];
    for e in ledger_samples() {
        seen[ledger_variant(&e)] = true;
        out.push((e.code(), ledger_key(&e)));
    }
    assert!(seen.iter().all(|s| *s), "a ledger variant without a sample");
    let journal = journal_samples();
    let mut seen = BTreeSet::new();
    for e in &journal {
        seen.insert(journal_variant(e));
        out.push((e.code(), journal_key(e)));
    }
    assert_eq!(
        seen.len(),
        seen.last().map_or(0, |n| n + 1),
        "journal samples"
    );
    let mut seen = [false; REASONS];
    for r in reasons() {
        seen[reason_variant(&r)] = true;
        let e = ModelError::new("field", r);
        out.push((e.code(), model_key(&e)));
    }
    assert!(seen.iter().all(|s| *s), "a reason without a sample");
    let mut seen = [false; 3];
    let mut invalid = [false; REASONS];
    for e in rules_samples() {
        seen[rules_variant(&e)] = true;
        if let RulesError::Invalid { reason, .. } = &e {
            invalid[reason_variant(reason)] = true;
        }
        out.push((e.code(), rules_key(&e)));
    }
    assert!(seen.iter().all(|s| *s), "a rules variant without a sample");
    assert!(
        invalid.iter().all(|s| *s),
        "a rule bound's reason without a sample"
    );
    let claims = crate::report::Claims::from_json(r#"{"claims": [{"claimed": 1}]}"#);
    let claims = claims.expect_err("a claim without a figure is refused");
    out.push((claims.code(), "ClaimsError".to_string()));
    let workbook =
        crate::report::WorkbookError::from(rust_xlsxwriter::XlsxError::RowColumnLimitError);
    out.push((workbook.code(), "WorkbookError".to_string()));
    for e in sheet_samples() {
        out.push((e.code(), format!("SheetError {e}")));
    }
    for e in figures_samples() {
        out.push((e.code(), format!("FiguresError {e}")));
    }
    let csv = "日期,填报单位编号\n2010-07-01,v-001\n";
    let unreadable = crate::sheets::read_workbook(csv.as_bytes(), None).expect_err("a CSV");
    out.push((unreadable.code(), "SheetError::Unreadable".to_string()));
    out.push((
        crate::sheets::limits::CELL_REFUSED,
        "SheetRefusal (a cell)".to_string(),
    ));
    // An import's own cause; its reading failure reuses the journal's I/O code (4001, the same
    // meaning) and its ledger failures are the ledger's, so only the change has a code of its own.
    let changed = crate::ledger::ImportCause::Changed { line: 3 };
    out.push((changed.code(), "ImportCause::Changed".to_string()));
    out
}

fn read(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// The number after each `marker` in `text` (whitespace between them skipped).
fn numbers_after(text: &str, marker: &str) -> Vec<u32> {
    text.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = text[at + marker.len()..].trim_start();
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// One of each workbook error that has no natural sample (6001 has: a CSV).
pub(crate) fn sheet_samples() -> Vec<crate::sheets::SheetError> {
    use crate::sheets::SheetError;
    vec![
        SheetError::TooLarge {
            what_zh: "数据行数",
            what: "the data rows",
            actual: 1_000_001,
            limit: 1_000_000,
        },
        SheetError::NoKnownSheet {
            skipped: vec!["备注".into()],
        },
        SheetError::MissingColumns {
            sheet: "走访登记".into(),
            columns: vec!["日期".into()],
        },
    ]
}

/// One of each figures error.
pub(crate) fn figures_samples() -> Vec<crate::report::FiguresError> {
    use crate::report::{FiguresDoc, FiguresError};
    let unreadable = FiguresDoc::from_json(r#"{"format": 1}"#).expect_err("not a document");
    vec![
        unreadable,
        FiguresError::Incompatible {
            field: "as_of",
            left: "2010-09-30".into(),
            left_scope: "第1镇党委".into(),
            right: "2010-10-31".into(),
            right_scope: "第2镇党委".into(),
        },
        FiguresError::Overlap {
            left: "东港市委".into(),
            left_id: "city".into(),
            right: "第1镇党委".into(),
            right_id: "t-01".into(),
        },
        FiguresError::NoTitle { scopes: 4 },
    ]
}

/// The command-line tool's codes (usage errors, 0, left out), from every file of `cli/src`.
fn cli_codes() -> BTreeSet<u32> {
    let mut files = Vec::new();
    rust_files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cli/src"),
        &mut files,
    );
    assert!(files.len() >= 5, "{files:?}");
    let codes: BTreeSet<u32> = files
        .iter()
        .flat_map(|f| {
            let text =
                std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            numbers_after(&text, "code: ")
        })
        .collect();
    assert!(codes.contains(&0) && codes.contains(&2000), "{codes:?}");
    codes.into_iter().filter(|c| *c != 0).collect()
}

/// Every `.rs` file under `dir`, in its subfolders too.
fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The C ABI's result constants (name → code) and the codes it writes literally.
fn ffi_codes() -> (BTreeMap<String, u32>, BTreeSet<u32>) {
    let mut consts = BTreeMap::new();
    let mut literal = BTreeSet::new();
    // Every file of the layer, so a new one cannot give a code unseen.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ffi");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").file_name())
        .filter_map(|name| Some(format!("src/ffi/{}", name.to_str()?)))
        .filter(|name| name.ends_with(".rs"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    for file in &files {
        let text = read(file);
        for line in text.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("pub const ")
                && let Some((name, value)) = rest.split_once(": cz_result = ")
            {
                let value = value.trim_end_matches(';').parse().expect("a number");
                assert!(
                    consts.insert(name.to_string(), value).is_none(),
                    "{name} twice"
                );
            }
        }
        literal.extend(numbers_after(&text, "fail("));
    }
    assert!(consts.len() >= 7, "{consts:?}");
    (consts, literal)
}

/// The codes docs/events.md gives a table row to (`| 3002 | …`), and whether it has the row for
/// the rule bounds (`| 2100 + n | …`).
fn documented() -> (BTreeSet<u32>, bool, String) {
    let doc = read("docs/events.md");
    let mut codes = BTreeSet::new();
    let mut bounds = false;
    for line in doc.lines() {
        let Some(cell) = line.strip_prefix('|').and_then(|l| l.split('|').next()) else {
            continue;
        };
        let cell = cell.trim();
        if cell == "2100 + n" {
            bounds = true;
        } else if let Ok(code) = cell.parse::<u32>() {
            assert!(codes.insert(code), "docs/events.md: two rows for {code}");
        }
    }
    (codes, bounds, doc)
}

#[test]
fn no_two_errors_share_a_code() {
    let mut by_code: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
    let mut keys = BTreeSet::new();
    for (code, key) in library_errors() {
        by_code.entry(code).or_default().insert(key.clone());
        keys.insert(key);
    }
    // One code per error and one error per code: also proves the keys tell variants apart.
    assert_eq!(keys.len(), by_code.len(), "{by_code:?}");
    let shared: Vec<_> = by_code.iter().filter(|(_, keys)| keys.len() > 1).collect();
    assert!(
        shared.is_empty(),
        "codes given to more than one error: {shared:?}"
    );
    let (ffi, _) = ffi_codes();
    let mut values = BTreeMap::new();
    for (name, code) in &ffi {
        if let Some(other) = values.insert(*code, name) {
            panic!("{other} and {name} are both {code}");
        }
        assert!(*code < 1000, "{name}: the ABI's own codes are below 1000");
    }
}

#[test]
fn every_code_has_its_row_in_docs_events_md_and_every_row_a_code() {
    let (rows, bounds_row, doc) = documented();
    let library: BTreeSet<u32> = library_errors().into_iter().map(|(c, _)| c).collect();
    let cli = cli_codes();
    let (ffi, ffi_literal) = ffi_codes();
    let mut missing = Vec::new();
    for code in library.iter().chain(&cli).chain(&ffi_literal) {
        let by_bounds_row =
            (2101..2200).contains(code) && bounds_row && rows.contains(&(code - 1100));
        if !rows.contains(code) && !by_bounds_row {
            missing.push(*code);
        }
    }
    for (name, code) in &ffi {
        if !doc.contains(&format!("| {code} | `{name}` |")) {
            missing.push(*code);
        }
    }
    assert!(
        missing.is_empty(),
        "codes without a row in docs/events.md: {missing:?}"
    );
    let known: BTreeSet<u32> = library
        .iter()
        .chain(&cli)
        .chain(ffi.values())
        .copied()
        .collect();
    let stale: Vec<_> = rows.difference(&known).collect();
    assert!(
        stale.is_empty(),
        "rows in docs/events.md for codes nothing gives: {stale:?}"
    );
}
