//! Issue 17: which top-level module may use which. Every `src/**/*.rs` is read; the paths it
//! names (`crate::X…`, `crate::{X, …}`, and `super::X` where
//! the `super`s climb out of the file's top-level module) are arrows from the file's top-level
//! module to `X`. Comments, strings and `#[cfg(test)]` items (unit tests and test-only files)
//! are left out: a test may build its fixtures from any layer.
//!
//! The order, bottom to top:
//!
//! 1. `model`, then `rules` (rules may use model);
//! 2. the domains `org`, `pledge`, `method123`, `deliberation`, `activity`, `evaluation`: each
//!    may use `model`, `rules` and the seam `org`, and no other domain;
//! 3. `ledger` and `report` (report may use ledger; ledger may not use report);
//! 4. `demo`, and `sheets` (the templates clerks fill);
//! 5. `ffi`, on top.
//!
//! The command-line tool is a crate of its own (`cli/`, over the library's public API only), so
//! the compiler keeps it on top.
//!
//! `error` and `json_error` are crate-wide utilities: every module may use them, and what they
//! use is not checked (`error::Error` is the sum of every layer's error, so it names them all).
//!
//! An arrow that points up fails the test unless it is in [`TODAY`]; an arrow in [`TODAY`] that
//! no longer occurs fails it too, so the list is shortened as the arrows go.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The upward arrows the code has today, (from, to). This list must only shrink: remove an
/// arrow once the code no longer has it (the test says when), never add one.
const TODAY: &[(&str, &str)] = &[];

/// Used from anywhere; their own arrows are not checked.
const UTILITIES: &[&str] = &["error", "json_error"];

const DOMAINS: &[&str] = &[
    "org",
    "pledge",
    "method123",
    "deliberation",
    "activity",
    "evaluation",
];

/// The layer of a top-level module, or `None` for a module the order
/// does not know yet.
fn layer(module: &str) -> Option<u8> {
    Some(match module {
        "model" => 0,
        "rules" => 1,
        m if DOMAINS.contains(&m) => 2,
        "ledger" | "report" => 3,
        "demo" | "sheets" => 4,
        "ffi" => 5,
        _ => return None,
    })
}

/// Whether `from` may use `to`.
fn allowed(from: &str, to: &str) -> bool {
    if UTILITIES.contains(&to) || UTILITIES.contains(&from) {
        return true;
    }
    let (Some(f), Some(t)) = (layer(from), layer(to)) else {
        return false;
    };
    match (f, t) {
        _ if f > t => true,
        (2, 2) => to == "org",
        (3, 3) => from == "report" && to == "ledger",
        _ => false,
    }
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The source with comments removed and every string and character literal emptied (`""`,
/// `' '`), so that only code is left to scan; line breaks are kept.
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '/' if c.get(i + 1) == Some(&'/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if c[i] == '\n' {
                            out.push('\n');
                        }
                        i += 1;
                    }
                }
            }
            'r' | 'b' if raw_string_start(&c, i).is_some() => {
                let (hashes, body) = raw_string_start(&c, i).unwrap_or_default();
                i = body;
                while i < c.len() {
                    if c[i] == '"' && (1..=hashes).all(|k| c.get(i + k) == Some(&'#')) {
                        i += 1 + hashes;
                        break;
                    }
                    if c[i] == '\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
                out.push_str("\"\"");
            }
            '"' => {
                i += 1;
                while i < c.len() && c[i] != '"' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    if c.get(i) == Some(&'\n') {
                        out.push('\n');
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            '\'' if c.get(i + 1) == Some(&'\\') => {
                // An escaped character literal: '\n', '\'', '\u{…}'.
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            }
            '\'' if c.get(i + 2) == Some(&'\'') => {
                i += 3;
                out.push_str("' '");
            }
            ch => {
                // Part of an identifier before a literal prefix (`for`, `br`) is code too.
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

/// At `i`, a raw string's start (`r"`, `r#"`, `br##"` …): its number of `#`s and where its
/// body starts. An identifier ending in `r` or `b` is not one.
fn raw_string_start(c: &[char], i: usize) -> Option<(usize, usize)> {
    if i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_') {
        return None;
    }
    let mut j = i;
    if c[j] == 'b' {
        j += 1;
    }
    if c.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while c.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (c.get(j) == Some(&'"')).then_some((hashes, j + 1))
}

/// The code with every `#[cfg(test)]` item cut out: up to its `;`, or its block's closing
/// brace.
fn without_test_items(code: &str) -> String {
    const MARK: &str = "#[cfg(test)]";
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let item = &rest[at + MARK.len()..];
        let mut depth = 0usize;
        let mut end = item.len();
        for (k, ch) in item.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = k + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// The names of modules declared `#[cfg(test)] mod NAME;` in `code`: test-only files.
fn test_only_modules(code: &str) -> Vec<String> {
    let words: Vec<&str> = code.split_whitespace().collect();
    words
        .windows(3)
        .filter(|w| w[0] == "#[cfg(test)]" && w[1] == "mod")
        .map(|w| w[2].trim_end_matches(';').to_string())
        .collect()
}

/// The identifier at the start of `s`.
fn ident(s: &str) -> &str {
    let end = s
        .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first segments of the paths under `crate::` (or `chuangzheng::`) in `code`, grouped
/// imports (`crate::{a::X, b}`) included.
fn crate_paths(code: &str, root: &str) -> Vec<String> {
    let prefix = format!("{root}::");
    let mut out = Vec::new();
    for (at, _) in code.match_indices(&prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|ch| ch.is_alphanumeric() || ch == '_' || ch == '$') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut start = 0;
            for (k, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        out.push(ident(group[start..].trim_start()).to_string());
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(ident(group[start..].trim_start()).to_string());
                        start = k + 1;
                    }
                    _ => {}
                }
            }
        } else {
            out.push(ident(rest).to_string());
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// The first segments after a `super::` chain that climbs to the crate root from a file whose
/// module path has `depth` segments (`src/ledger/state.rs`: 2; `src/ledger/mod.rs`: 1).
fn super_escapes(code: &str, depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("super::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|ch| ch.is_alphanumeric() || ch == '_' || ch == ':') {
            continue;
        }
        let mut rest = &code[at..];
        let mut climbs = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            climbs += 1;
            rest = r;
        }
        if climbs >= depth {
            out.push(ident(rest).to_string());
        }
    }
    out
}

/// (from, to) → the files that draw the arrow.
type Graph = BTreeMap<(String, String), BTreeSet<String>>;

fn graph() -> (Graph, BTreeSet<String>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let lib = code_only(&std::fs::read_to_string(src.join("lib.rs")).expect("src/lib.rs"));
    let test_only = test_only_modules(&lib);
    let tops: BTreeSet<String> = files
        .iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(&src).ok()?;
            let first = rel.components().next()?.as_os_str().to_str()?;
            Some(first.trim_end_matches(".rs").to_string())
        })
        .filter(|m| m != "lib" && m != "main" && !test_only.contains(m))
        .collect();
    let mut graph = Graph::new();
    for path in &files {
        let rel = path.strip_prefix(&src).expect("under src");
        let segments: Vec<String> = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let from = segments[0].clone();
        if from == "lib" || test_only.contains(&from) {
            continue;
        }
        let depth = segments.len() - usize::from(segments.last().is_some_and(|s| s == "mod"));
        let text = std::fs::read_to_string(path).expect("a source file");
        let code = without_test_items(&code_only(&text));
        let root = if from == "main" {
            "chuangzheng"
        } else {
            "crate"
        };
        let mut targets = crate_paths(&code, root);
        targets.extend(super_escapes(&code, depth));
        for to in targets {
            if to != from && tops.contains(&to) {
                graph
                    .entry((from.clone(), to))
                    .or_default()
                    .insert(rel.display().to_string());
            }
        }
    }
    (graph, tops)
}

fn show(graph: &Graph) -> String {
    let mut out = String::new();
    for ((from, to), files) in graph {
        let mark = if allowed(from, to) { "  " } else { "↑ " };
        let files: Vec<&str> = files.iter().map(String::as_str).collect();
        out.push_str(&format!("{mark}{from} -> {to}   ({})\n", files.join(", ")));
    }
    out
}

#[test]
fn arrows_point_down_except_todays_which_only_go() {
    let (graph, tops) = graph();
    let unplaced: Vec<&String> = tops
        .iter()
        .filter(|m| layer(m).is_none() && !UTILITIES.contains(&m.as_str()))
        .collect();
    let upward: BTreeSet<(String, String)> = graph
        .keys()
        .filter(|(from, to)| !allowed(from, to))
        .cloned()
        .collect();
    let today: BTreeSet<(String, String)> = TODAY
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
    let new: Vec<_> = upward.difference(&today).collect();
    let gone: Vec<_> = today.difference(&upward).collect();
    assert!(
        unplaced.is_empty() && new.is_empty() && gone.is_empty(),
        "\nmodules without a place in the order (give them one in `layer`): {unplaced:?}\n\
         new upward arrows (not allowed; see the module docs): {new:?}\n\
         arrows of TODAY that no longer occur (remove them from TODAY): {gone:?}\n\
         the graph (↑: upward):\n{}",
        show(&graph)
    );
}

#[test]
fn the_scanner_sees_paths_and_skips_what_is_not_code() {
    let src = r##"
        use crate::ledger::State; // crate::report in a comment
        use crate::{model::Name, rules};
        /* crate::demo in /* a nested */ block comment */
        let s = "crate::ffi in a string";
        let r = r#"crate::ffi in a raw "string""#;
        let c = '"'; let q = '\''; fn f<'a>(x: &'a str) {}
        let t = crate::pledge::assess(x);
        #[cfg(test)]
        mod tests { use crate::demo::DemoSpec; fn g() { let _ = "{"; } }
        use super::super::activity::Team;
    "##;
    let code = without_test_items(&code_only(src));
    assert_eq!(
        crate_paths(&code, "crate"),
        ["ledger", "model", "rules", "pledge"]
    );
    assert_eq!(super_escapes(&code, 2), ["activity"]);
    assert!(super_escapes(&code, 3).is_empty());
    assert!(allowed("report", "ledger") && !allowed("ledger", "report"));
    assert!(allowed("pledge", "org") && !allowed("org", "pledge"));
    assert!(allowed("model", "error") && !allowed("model", "rules"));
}
