//! Importing a filled workbook against importing the same commands as JSON Lines: the demo
//! city's 123 receptions and visits (9,094 rows) into the city as it stands without them.
//! `cargo bench --bench sheets`; figures in BENCHMARKS.md.

use std::hint::black_box;
use std::io::Cursor;

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Campaign, Command, ImportOptions, import_jsonl};
use chuangzheng::rules::RuleSet;
use chuangzheng::sheets::{import_workbook, read_workbook};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rust_xlsxwriter::Workbook;
use serde_json::Value;

/// The city without its receptions and visits (as a snapshot), and those as JSON.
fn city() -> (String, Vec<Value>) {
    let spec = DemoSpec::seed();
    let cmds = demo::commands(&spec);
    let mut base = Campaign::in_memory(demo::info(), RuleSet::default()).expect("campaign");
    base.execute_batch(&cmds).expect("the city");
    let records = demo::records(base.state(), &spec);
    let (rows, rest): (Vec<Command>, Vec<Command>) = records.into_iter().partition(|c| {
        let json = c.to_json();
        json.contains("\"record_reception\"") || json.contains("\"record_visit\"")
    });
    base.execute_batch(&rest).expect("the other records");
    let rows = rows
        .iter()
        .map(|c| serde_json::from_str(&c.to_json()).expect("JSON"))
        .collect();
    (base.snapshot_json(), rows)
}

/// The rows as a workbook of two sheets, 接待登记 and 走访登记, as a clerk fills them.
fn workbook(rows: &[Value]) -> Vec<u8> {
    let mut wb = Workbook::new();
    for (event, sheet, heads) in [
        (
            "record_reception",
            "接待登记",
            &[
                "日期",
                "填报单位编号",
                "村党组织编号",
                "值班干部编号",
                "接待群众人数",
            ][..],
        ),
        (
            "record_visit",
            "走访登记",
            &["日期", "填报单位编号", "走访干部编号", "困难户编号"][..],
        ),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).expect("name");
        for (c, h) in heads.iter().enumerate() {
            ws.write_string(0, c as u16, *h).expect("header");
        }
        let of_kind = rows.iter().filter(|r| r["event"].get(event).is_some());
        for (i, r) in of_kind.enumerate() {
            let row = 1 + i as u32;
            let e = &r["event"][event];
            let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
            ws.write_string(row, 0, text(&r["at"])).expect("cell");
            ws.write_string(row, 1, text(&r["actor"]["org"]))
                .expect("cell");
            if event == "record_reception" {
                let cadres: Vec<String> = e["cadres"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(text)
                    .collect();
                ws.write_string(row, 2, text(&e["village"])).expect("cell");
                ws.write_string(row, 3, cadres.join("、")).expect("cell");
                ws.write_number(row, 4, e["visitors"].as_f64().unwrap_or(1.0))
                    .expect("cell");
            } else {
                ws.write_string(row, 2, text(&e["cadre"])).expect("cell");
                ws.write_string(row, 3, text(&e["household"]))
                    .expect("cell");
            }
        }
    }
    wb.save_to_buffer().expect("workbook")
}

fn sheets(c: &mut Criterion) {
    let (snapshot, rows) = city();
    let jsonl: String = rows.iter().map(|r| format!("{r}\n")).collect();
    let xlsx = workbook(&rows);
    let fresh = || Campaign::from_snapshot_json(&snapshot).expect("snapshot");
    let options = ImportOptions::new();
    // The workbook reads back to exactly the JSON Lines' commands, and both import cleanly.
    let read = read_workbook(&xlsx, None).expect("read");
    assert!(read.refused.is_empty() && read.lines.len() == rows.len());
    let mut g = c.benchmark_group("sheets");
    g.sample_size(10);
    g.throughput(Throughput::Elements(rows.len() as u64));
    g.bench_function("import_jsonl_123_rows", |b| {
        b.iter_batched(
            fresh,
            |mut city| {
                let r = import_jsonl(
                    &mut city,
                    Cursor::new(jsonl.as_bytes()),
                    &options,
                    &mut |_| {},
                );
                assert!(r.expect("import").is_clean());
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("import_xlsx_123_rows", |b| {
        b.iter_batched(
            fresh,
            |mut city| {
                let r = import_workbook(&mut city, &xlsx, None, &options);
                assert!(r.expect("import").is_clean());
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("read_xlsx_123_rows", |b| {
        b.iter(|| black_box(read_workbook(&xlsx, None).expect("read")))
    });
    g.finish();
}

criterion_group!(benches, sheets);
criterion_main!(benches);
