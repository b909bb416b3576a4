//! `chuangzheng import` of a filled workbook, as a clerk's office runs it: refusals by sheet,
//! row and column, all or nothing unless told to keep going, a CSV renamed .xlsx refused whole,
//! and `template` writing what `import` reads.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rust_xlsxwriter::Workbook;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chuangzheng"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cz-sheets-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The number of records in a journal (its lines after the header).
fn records(journal: &Path) -> usize {
    std::fs::read_to_string(journal).unwrap().lines().count() - 1
}

fn visits(rows: &[[&str; 4]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("走访登记").unwrap();
    let head = ["日期", "填报单位编号", "走访干部编号", "困难户编号"];
    for (r, row) in std::iter::once(&head).chain(rows).enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_imports_all_or_nothing_and_names_sheet_row_and_column() {
    let dir = scratch("import");
    let out = run(&["demo", "--small", "--out", path(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let journal = dir.join("journal.jsonl");
    let before = records(&journal);
    let book = dir.join("走访登记.xlsx");
    let good = ["2010-11-02", "v-001", "m-000001", "h-v-001-00"];
    std::fs::write(
        &book,
        visits(&[good, ["2010-02-30", "v-001", "m-000001", "h-v-001-00"]]),
    )
    .unwrap();
    let out = run(&["import", path(&journal), path(&book)]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("「走访登记」第3行「日期」 [6004]：2010-02-30 不是有效日期"),
        "{err}"
    );
    assert!(err.contains("拒绝 1 行，未记录任何一行"), "{err}");
    assert_eq!(
        records(&journal),
        before,
        "all or nothing: nothing recorded"
    );
    let out = run(&["import", path(&journal), path(&book), "--keep-going"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("已记录 1 行，拒绝 1 行"),
        "{}",
        stderr(&out)
    );
    assert_eq!(records(&journal), before + 1);
    // A row the ledger refuses is told by its column too: a household not on the register.
    std::fs::write(
        &book,
        visits(&[["2010-11-03", "v-001", "m-000001", "h-nowhere"]]),
    )
    .unwrap();
    let out = run(&["import", path(&journal), path(&book)]);
    let err = stderr(&out);
    assert!(
        err.contains("「走访登记」第2行「困难户编号」 [3002]"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_csv_named_xlsx_is_refused_whole_and_actor_is_for_workbooks() {
    let dir = scratch("csv");
    let out = run(&[
        "demo",
        "--small",
        "--out",
        path(&dir),
        "--commands",
        path(&dir.join("c.jsonl")),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let journal = dir.join("journal.jsonl");
    let csv = dir.join("visits.xlsx");
    std::fs::write(
        &csv,
        "日期,填报单位编号,走访干部编号,困难户编号\n2010-11-02,v-001,m-000001,h-v-001-00\n",
    )
    .unwrap();
    let out = run(&["import", path(&journal), path(&csv)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("错误 [6001]：不是可以读取的 xlsx 工作簿"),
        "{}",
        stderr(&out)
    );
    let out = run(&[
        "import",
        path(&journal),
        path(&dir.join("c.jsonl")),
        "--actor",
        "t-01",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--actor 只用于导入工作簿"),
        "{}",
        stderr(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_template_is_read_back_by_import_with_only_its_example() {
    let dir = scratch("template");
    let out = run(&["demo", "--small", "--out", path(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let journal = dir.join("journal.jsonl");
    let book = dir.join("t.xlsx");
    let out = run(&[
        "template",
        "concerns",
        "--journal",
        path(&journal),
        "--scope",
        "t-01",
        "--out",
        path(&book),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = records(&journal);
    let out = run(&["import", path(&journal), path(&book)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("已记录 0 条命令"));
    assert_eq!(records(&journal), before);
    let out = run(&[
        "template",
        "visits",
        "--scope",
        "t-01",
        "--out",
        path(&book),
    ]);
    assert_eq!(out.status.code(), Some(2), "--scope needs --journal");
    let _ = std::fs::remove_dir_all(&dir);
}
