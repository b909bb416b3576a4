//! The table of docs/rules.md, "The rules object in a journal's header", lists every field a
//! journal's header can hold, in the order the header writes them, with the library's defaults:
//! a new rule fails here until it is documented.

use std::path::PathBuf;

use chuangzheng::rules::RuleSet;

fn path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The table of docs/rules.md, "The rules object in a journal's header": its rows' fields and
/// their defaults, in order.
fn rules_table() -> Vec<(String, String)> {
    let p = path("docs/rules.md");
    let doc = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let heading = "\n## The rules object in a journal's header\n";
    let start = doc.find(heading).expect("the section in docs/rules.md");
    let section = &doc[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            (
                cells[0].trim_end_matches('`').to_string(),
                cells[2].to_string(),
            )
        })
        .collect()
}

/// The fields of a rules object, by dotted path: every value but a fraction's two numbers and the
/// items of a list; a row of the rating table's fields under `pledge_rating.rows[]`.
fn field_paths(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    let join = |key: &str| match path {
        "" => key.to_string(),
        _ => format!("{path}.{key}"),
    };
    match value {
        serde_json::Value::Object(o) if !o.contains_key("denominator") => {
            for (key, v) in o {
                field_paths(v, &join(key), out);
            }
        }
        serde_json::Value::Array(rows) if path == "pledge_rating.rows" => {
            out.push(path.to_string());
            for row in rows {
                field_paths(row, "pledge_rating.rows[]", out);
            }
        }
        _ => out.push(path.to_string()),
    }
}

/// Every field a journal's header can hold has its row in docs/rules.md, in the order the header
/// writes them, with the default the library has.
#[test]
fn the_rules_table_lists_every_header_field_in_order_with_its_default() {
    // A rule set with every field that may be left out of a header given a value.
    let full = RuleSet::from_json(
        r#"{"version":1,"name":"t","window":{"starts":"2010-05-01","ends":"2011-12-31"},
        "deliberation":{"min_days_between_steps":7},"pledge_rating":{"rows":[{"when":{
        "completion":["fulfilled_in_time"],"masses_satisfied_percent":90,
        "members_satisfied_percent":80,"organization_satisfied_percent":80,
        "spot_check":"passed"},"rating":"good"},{"rating":"poor"}]}}"#,
    )
    .unwrap();
    let json = full.to_json();
    let mut fields = Vec::new();
    field_paths(&serde_json::from_str(&json).unwrap(), "", &mut fields);
    fields.sort();
    fields.dedup();
    let table = rules_table();
    let mut documented: Vec<String> = table.iter().map(|(f, _)| f.clone()).collect();
    documented.sort();
    assert_eq!(documented, fields, "the table's fields are the header's");
    // In order: each row's field, found key by key from the start, comes after the row before.
    let mut last = 0;
    for (field, _) in &table {
        let at = field.split('.').try_fold(0, |from, key| {
            let key = format!("\"{}\":", key.trim_end_matches("[]"));
            json[from..].find(&key).map(|i| from + i + key.len())
        });
        let at = at.unwrap_or_else(|| panic!("{field} is not in the header"));
        assert!(at > last, "{field}: out of the header's order");
        last = at;
    }
    // The defaults, where the table gives one as a value.
    let defaults: serde_json::Value = serde_json::from_str(&RuleSet::default().to_json()).unwrap();
    for (field, cell) in &table {
        let Some(value) = field.split('.').try_fold(&defaults, |v, k| v.get(k)) else {
            continue;
        };
        let Some(shown) = cell.strip_prefix('`').and_then(|c| c.split('`').next()) else {
            continue;
        };
        let expected = match (value.get("numerator"), value.get("denominator")) {
            (Some(n), Some(d)) => format!("{n}/{d}"),
            _ => value.to_string(),
        };
        assert_eq!(shown, expected, "the default of {field}");
    }
}
