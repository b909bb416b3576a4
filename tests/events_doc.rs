//! Every event of the command schema has its row in docs/events.md, and every row of the
//! events' tables names an event. The event names are serde's own list of `Event`'s variants
//! (what an unknown name is told to choose from), so a new variant is in it without anyone
//! writing it down, and fails here until it is documented.

use chuangzheng::ledger::Event;

fn doc() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/events.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The names serde accepts for an `Event`, in declaration order.
fn event_names() -> Vec<String> {
    let err = serde_json::from_str::<Event>(r#"{"no_such_event": {}}"#)
        .expect_err("no event has that name")
        .to_string();
    let (_, list) = err
        .split_once("expected one of ")
        .unwrap_or_else(|| panic!("serde's message changed: {err}"));
    let names: Vec<String> = list
        .split(", ")
        .map(|n| {
            let n = n.split_once(" at line").map_or(n, |(n, _)| n);
            n.trim_matches('`').to_string()
        })
        .collect();
    assert!(
        names.len() >= 49
            && names.iter().all(|n| n
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())),
        "{names:?}"
    );
    names
}

/// The names in the first column of the tables headed `| event | fields | checked |`.
fn documented_events(doc: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_table = false;
    for line in doc.lines() {
        if line.starts_with("| event | fields | checked |") {
            in_table = true;
            continue;
        }
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        if in_table && let Some(first) = line.split('|').nth(1) {
            let name = first.trim().trim_matches('`');
            if !name.starts_with("---") {
                out.push(name.to_string());
            }
        }
    }
    out
}

#[test]
fn every_event_has_its_row_and_every_row_is_an_event() {
    let names = event_names();
    let doc = doc();
    let rows = documented_events(&doc);
    let missing: Vec<&String> = names.iter().filter(|n| !rows.contains(n)).collect();
    assert!(
        missing.is_empty(),
        "events without a row in docs/events.md: {missing:?}"
    );
    let unknown: Vec<&String> = rows.iter().filter(|r| !names.contains(r)).collect();
    assert!(
        unknown.is_empty(),
        "rows of docs/events.md naming no event: {unknown:?}"
    );
    let mut twice = rows.clone();
    twice.sort();
    twice.dedup();
    assert_eq!(twice.len(), rows.len(), "an event with two rows");
}

/// `Event::name` (what logs and errors print) is the name the JSON carries, for every event the
/// release journal holds.
#[test]
fn event_name_is_its_json_name() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/release-0.1-small.jsonl");
    let text = std::fs::read_to_string(path).expect("the release journal");
    let mut seen = std::collections::BTreeSet::new();
    for line in text.lines().skip(1) {
        let record: serde_json::Value = serde_json::from_str(line).expect("a record");
        let json = &record["event"];
        let key = json
            .as_object()
            .and_then(|o| o.keys().next())
            .expect("a tagged event");
        let event: Event = serde_json::from_value(json.clone()).expect("an event");
        assert_eq!(event.name(), key);
        seen.insert(key.clone());
    }
    assert!(seen.len() >= 30, "{seen:?}");
}
