//! docs/sheets.md's table of kinds holds every kind's sheet name, command-line name and every
//! column header the library reads and writes, and every choice's label.

use chuangzheng::sheets::{Kind, Target, Value};

#[test]
fn the_doc_names_every_kind_column_and_choice() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/sheets.md"))
        .expect("docs/sheets.md");
    let table = doc
        .split("## The kinds and their columns")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the kinds' section");
    for kind in Kind::ALL {
        let row = table
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` | {} |", kind.name(), kind.sheet())))
            .unwrap_or_else(|| panic!("no row for {}", kind.name()));
        for stage in kind.stages() {
            assert!(
                row.contains(&format!("`{}`", stage.event)),
                "{}",
                stage.event
            );
            assert!(row.contains(stage.label), "{}", stage.label);
        }
        let columns = kind.columns();
        let targets: Vec<_> = columns
            .iter()
            .filter(|c| matches!(c.target, Target::Achieved(_)))
            .collect();
        if let (Some(first), Some(last)) = (targets.first(), targets.last()) {
            let range = format!("{} … {}", first.header, last.header);
            assert!(row.contains(&range), "{range}");
        }
        for c in columns
            .iter()
            .filter(|c| !matches!(c.target, Target::Achieved(_)))
        {
            // 日期, 填报单位编号 and 环节 are named once, above the table.
            let named = row.contains(c.header) || doc.contains(&format!("has {}", c.header));
            let shared = ["日期", "填报单位编号", "环节"].contains(&c.header);
            assert!(named || (shared && doc.contains(c.header)), "{}", c.header);
            if let Value::Choice(choices) = c.value {
                for (label, _) in choices {
                    assert!(row.contains(label), "{} {label}", c.header);
                }
            }
        }
    }
}
