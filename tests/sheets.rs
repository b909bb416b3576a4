//! Workbooks clerks fill (issue 20, in): the demo city's commands of every kind written into
//! filled templates (`fill`, a test helper), read back, give the very commands, and imported in
//! the stream's order the same state and report as the JSON Lines import; and every way a
//! workbook or a cell can be wrong is refused by sheet, row and column.

use std::io::Cursor;

use chuangzheng::Coded;
use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Campaign, Command, ImportOptions, import_jsonl};
use chuangzheng::report::{Span, StageReport};
use chuangzheng::rules::RuleSet;
use chuangzheng::sheets::{Kind, SheetRows, Target, Value, read_workbook, template};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use serde_json::Value as Json;

fn commands() -> Vec<Command> {
    let spec = DemoSpec::small();
    let mut cmds = demo::commands(&spec);
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    c.execute_batch(&cmds).unwrap();
    cmds.extend(demo::records(c.state(), &spec));
    cmds
}

/// The kind a command's event is entered on, if any.
fn kind_of(cmd: &Json) -> Option<Kind> {
    let event = cmd["event"].as_object()?.keys().next()?.clone();
    Kind::ALL
        .into_iter()
        .find(|k| k.stages().iter().any(|s| s.event == event))
}

/// Writes one cell of a command into its column, as a clerk would have: dates as date cells on
/// even rows and as `2010/7/5` text on odd ones, counts as numbers, choices by their label,
/// member lists joined by 、, flags as 是/否.
fn put(ws: &mut Worksheet, row: u32, col: u16, column: &chuangzheng::sheets::Column, cmd: &Json) {
    let event = cmd["event"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let fields = &cmd["event"][&event];
    let value = match column.target {
        Target::At => cmd["at"].clone(),
        Target::Actor => cmd["actor"]["org"].clone(),
        Target::Stage => {
            let kind = kind_of(cmd).unwrap();
            let stage = kind.stages().iter().find(|s| s.event == event).unwrap();
            Json::String(stage.label.to_string())
        }
        Target::Field(pairs) => match pairs.iter().find(|(e, _)| *e == event) {
            Some((_, f)) => fields[*f].clone(),
            None => Json::Null,
        },
        Target::Achieved(i) => fields["achieved"]
            .as_array()
            .and_then(|a| a.iter().find(|t| t["target"] == i))
            .map_or(Json::Null, |t| t["value"].clone()),
    };
    let text = match (&value, column.value) {
        (Json::Null, _) => return,
        (Json::String(d), Value::Date) => {
            let day: jiff::civil::Date = d.parse().unwrap();
            if row.is_multiple_of(2) {
                let cell =
                    ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)
                        .unwrap();
                let format = Format::new().set_num_format("yyyy-mm-dd");
                ws.write_datetime_with_format(row, col, &cell, &format)
                    .unwrap();
                return;
            }
            format!("{}/{}/{}", day.year(), day.month(), day.day())
        }
        (Json::Number(n), _) => {
            ws.write_number(row, col, n.as_f64().unwrap()).unwrap();
            return;
        }
        (Json::Bool(b), _) => (if *b { "是" } else { "否" }).to_string(),
        (Json::Array(ids), Value::Members(_)) => ids
            .iter()
            .map(|i| i.as_str().unwrap())
            .collect::<Vec<_>>()
            .join("、"),
        (Json::String(key), Value::Choice(choices)) => choices
            .iter()
            .find(|(_, k)| k == key)
            .unwrap()
            .0
            .to_string(),
        (Json::String(s), _) => s.clone(),
        (other, _) => panic!("{other} in {}", column.header),
    };
    ws.write_string(row, col, text).unwrap();
}

/// A filled workbook: one sheet per run of commands of one kind, in order; a kind's second run
/// on a sheet named otherwise (found by its headers), its columns in reverse order.
fn fill(runs: &[(Kind, Vec<Json>)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let mut used: Vec<Kind> = Vec::new();
    for (i, (kind, cmds)) in runs.iter().enumerate() {
        let ws = wb.add_worksheet();
        let renamed = used.contains(kind);
        ws.set_name(if renamed {
            format!("第{i}批")
        } else {
            kind.sheet().to_string()
        })
        .unwrap();
        used.push(*kind);
        let mut columns = kind.columns();
        if renamed {
            columns.reverse();
        }
        for (c, column) in columns.iter().enumerate() {
            ws.write_string(0, c as u16, column.header).unwrap();
            for (r, cmd) in cmds.iter().enumerate() {
                put(ws, 1 + r as u32, c as u16, column, cmd);
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn import(campaign: &mut Campaign, jsonl: &[u8]) {
    let report = import_jsonl(
        campaign,
        Cursor::new(jsonl),
        &ImportOptions::new(),
        &mut |_| {},
    )
    .unwrap();
    assert!(
        report.is_clean(),
        "{:?}",
        report.refused.first().map(ToString::to_string)
    );
}

/// Splits the stream into JSON Lines and runs of commands entered on sheets, in order.
fn segments(cmds: &[Command]) -> Vec<(Option<Kind>, Vec<Json>)> {
    let mut out: Vec<(Option<Kind>, Vec<Json>)> = Vec::new();
    for cmd in cmds {
        let json: Json = serde_json::from_str(&cmd.to_json()).unwrap();
        let kind = kind_of(&json);
        match out.last_mut() {
            Some((k, run)) if *k == kind => run.push(json),
            _ => out.push((kind, vec![json])),
        }
    }
    out
}

#[test]
fn every_kind_read_from_filled_templates_gives_the_same_commands_state_and_report() {
    let cmds = commands();
    let mut expected = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    expected.execute_batch(&cmds).unwrap();
    let mut campaign = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    let (mut rows_read, mut kinds_seen) = (0, std::collections::HashSet::new());
    let parts = segments(&cmds);
    let mut i = 0;
    while i < parts.len() {
        if parts[i].0.is_none() {
            let lines: String = parts[i].1.iter().map(|j| format!("{j}\n")).collect();
            import(&mut campaign, lines.as_bytes());
            i += 1;
            continue;
        }
        // Consecutive runs of sheet kinds go into one workbook, a sheet each.
        let mut runs = Vec::new();
        while let Some((Some(kind), run)) = parts.get(i) {
            runs.push((*kind, run.clone()));
            kinds_seen.insert(*kind);
            i += 1;
        }
        let read = read_workbook(&fill(&runs), None).unwrap();
        assert!(read.refused.is_empty(), "{}", read.refused[0]);
        let want: Vec<Command> = runs
            .iter()
            .flat_map(|(_, r)| {
                r.iter()
                    .map(|j| Command::from_json(&j.to_string()).unwrap())
            })
            .collect();
        let got: Vec<Command> = String::from_utf8(read.jsonl.clone())
            .unwrap()
            .lines()
            .map(|l| Command::from_json(l).unwrap())
            .collect();
        assert_eq!(
            got,
            want,
            "a workbook of {:?}",
            runs.iter().map(|(k, _)| k.sheet()).collect::<Vec<_>>()
        );
        rows_read += got.len();
        import(&mut campaign, &read.jsonl);
    }
    assert_eq!(
        kinds_seen.len(),
        Kind::ALL.len(),
        "every kind has rows in the demo"
    );
    assert!(rows_read > 1000, "{rows_read}");
    assert_eq!(campaign.snapshot_json(), expected.snapshot_json());
    let root = campaign.state().root().unwrap();
    let span = Span::as_of(demo::AS_OF);
    assert_eq!(
        StageReport::build(&campaign, root, span).to_json(),
        StageReport::build(&expected, root, span).to_json()
    );
}

/// A workbook of one sheet: `rows[0]` the headers, each cell text.
fn sheet(name: &str, rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                ws.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn refusals(read: &SheetRows) -> Vec<String> {
    read.refused.iter().map(ToString::to_string).collect()
}

#[test]
fn a_bad_cell_is_refused_by_sheet_row_and_column_in_both_languages() {
    let head: &[&str] = &["日期", "填报单位编号", "走访干部编号", "困难户编号"];
    let bytes = sheet(
        "走访登记",
        &[
            head,
            &["2010-02-30", "v-001", "m-1", "h-1"],
            &["7/5/2010", "v-001", "m-1", "h-1"],
            &["2010年7月5日", "", "m-1", "h-1"],
            &["2010-07-05", "v-001", "", "h-1"],
        ],
    );
    let read = read_workbook(&bytes, None).unwrap();
    let said = refusals(&read);
    assert_eq!(said.len(), 4, "{said:#?}");
    assert!(
        said[0].starts_with("「走访登记」第2行「日期」 [6004]：2010-02-30 不是有效日期"),
        "{}",
        said[0]
    );
    assert!(
        said[0].contains("/ sheet 走访登记 row 2 column 日期: [6004] 2010-02-30: not a valid date"),
        "{}",
        said[0]
    );
    assert!(
        said[1].contains("第3行「日期」") && said[1].contains("7/5/2010 不是有效日期"),
        "{}",
        said[1]
    );
    assert!(
        said[2].contains("第4行「填报单位编号」") && said[2].contains("--actor"),
        "{}",
        said[2]
    );
    assert!(
        said[3].contains("第5行「走访干部编号」") && said[3].contains("必填"),
        "{}",
        said[3]
    );
    // With an acting organization given, the row without one is read.
    let read = read_workbook(&bytes, Some("t-01")).unwrap();
    assert_eq!(read.lines.len(), 1);
    assert_eq!(read.lines[0].row, 4);
}

#[test]
fn a_stage_takes_only_its_own_columns_and_choices_are_labels() {
    let head: &[&str] = &[
        "日期",
        "填报单位编号",
        "环节",
        "问题编号",
        "村党组织编号",
        "反映渠道",
        "问题类别",
        "问题内容",
        "升级至",
        "办理结果",
    ];
    let bytes = sheet(
        "问题办理",
        &[
            head,
            &[
                "2010-07-01",
                "v-001",
                "反映",
                "q-1",
                "v-001",
                "接待",
                "修路",
                "路坏了",
                "",
                "",
            ],
            &[
                "2010-07-02",
                "v-001",
                "反映",
                "q-2",
                "v-001",
                "接待",
                "基础设施",
                "路坏了",
                "",
                "已修好",
            ],
            &[
                "2010-07-03",
                "v-001",
                "上报",
                "q-1",
                "",
                "",
                "",
                "",
                "乡镇",
                "",
            ],
            &[
                "2010-07-16",
                "t-01",
                "升级",
                "q-1",
                "",
                "",
                "",
                "",
                "乡镇",
                "",
            ],
        ],
    );
    let read = read_workbook(&bytes, None).unwrap();
    let said = refusals(&read);
    assert_eq!(said.len(), 3, "{said:#?}");
    assert!(
        said[0].contains("「问题类别」")
            && said[0].contains("\"修路\" 不是可选的值，应为地边地头纠纷、"),
        "{}",
        said[0]
    );
    assert!(
        said[1].contains("「办理结果」") && said[1].contains("反映环节应留空"),
        "{}",
        said[1]
    );
    assert!(
        said[2].contains("「环节」") && said[2].contains("应为反映、升级、办结之一"),
        "{}",
        said[2]
    );
    let line = String::from_utf8(read.jsonl).unwrap();
    assert_eq!(
        line.trim(),
        r#"{"actor":{"org":"t-01"},"at":"2010-07-16","event":{"escalate_concern":{"concern":"q-1","to":"township"}}}"#
    );
}

#[test]
fn a_refusal_of_the_ledger_is_told_by_sheet_row_and_column() {
    let spec = DemoSpec::small();
    let mut city = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    city.execute_batch(&demo::commands(&spec)).unwrap();
    let head: &[&str] = &["走访干部编号", "困难户编号", "日期", "填报单位编号"];
    let bytes = sheet(
        "随手记",
        &[head, &["m-000001", "h-nowhere", "2010-07-04", "v-001"]],
    );
    let read = read_workbook(&bytes, None).unwrap();
    assert_eq!(
        read.sheets[0].1,
        Kind::Visits,
        "a renamed sheet, found by its headers"
    );
    let report = import_jsonl(
        &mut city,
        Cursor::new(&read.jsonl),
        &ImportOptions::new(),
        &mut |_| {},
    )
    .unwrap();
    let refusal = read.locate(&report.refused[0]);
    let said = refusal.to_string();
    assert!(
        said.starts_with("「随手记」第2行「困难户编号」 [3002]："),
        "{said}"
    );
    assert_eq!(refusal.code(), 3002);
}

#[test]
fn the_templates_example_row_is_skipped_left_as_it_was() {
    let made = template(Kind::Visits, None, jiff::civil::date(2010, 1, 1)).unwrap();
    let err = read_workbook(&made, None);
    // Only the example: a sheet with no row to import is read, and gives nothing.
    let read = err.unwrap();
    assert_eq!((read.lines.len(), read.refused.len()), (0, 0));
    assert_eq!(read.skipped, ["填写说明"], "the instructions are no kind");
}

#[test]
fn workbooks_that_cannot_be_read_are_refused_whole() {
    let csv = "日期,填报单位编号,走访干部编号,困难户编号\n2010-07-04,v-001,m-1,h-1\n";
    for (what, bytes, code) in [
        ("a CSV", csv.as_bytes().to_vec(), 6001),
        (
            "truncated",
            sheet("走访登记", &[&["日期"]])[..400].to_vec(),
            6001,
        ),
        (
            "no known sheet",
            sheet("备注", &[&["姓名", "电话"], &["张三", "123"]]),
            6003,
        ),
        (
            "a column every row needs",
            sheet(
                "走访登记",
                &[&["填报单位编号", "走访干部编号", "困难户编号"]],
            ),
            6005,
        ),
    ] {
        let e = read_workbook(&bytes, None).expect_err(what);
        assert_eq!(e.code(), code, "{what}: {}", e.message_zh());
        assert!(!e.message_zh().is_empty() && !e.message_en().is_empty());
    }
    let e = read_workbook(csv.as_bytes(), None).unwrap_err();
    assert!(
        e.message_zh().contains("不是可以读取的 xlsx 工作簿"),
        "{}",
        e.message_zh()
    );
    let e = read_workbook(&sheet("走访登记", &[&["填报单位编号"]]), None).unwrap_err();
    assert!(e.message_zh().contains("「日期」"), "{}", e.message_zh());
}

/// A zip archive of the entries given, deflated, as a hostile workbook would be built.
fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        std::io::Write::write_all(&mut zip, bytes).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

/// A workbook's parts zipped.
fn book(parts: &[(&'static str, Vec<u8>)]) -> Vec<u8> {
    let entries: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    archive(&entries)
}

/// Sets every declared uncompressed size of `name` in the archive (its local header and its
/// central directory entry) to `size`, as a zip bomb lies about it.
fn lie_about_size(bytes: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for at in 0..bytes.len().saturating_sub(46) {
        let (sig, size_at, name_len_at, name_at) = match &bytes[at..at + 4] {
            [0x50, 0x4b, 0x03, 0x04] => ("local", 22, 26, 30),
            [0x50, 0x4b, 0x01, 0x02] => ("central", 24, 28, 46),
            _ => continue,
        };
        let len =
            u16::from_le_bytes([bytes[at + name_len_at], bytes[at + name_len_at + 1]]) as usize;
        if bytes.get(at + name_at..at + name_at + len) == Some(name.as_bytes()) {
            bytes[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
            let _ = sig;
        }
    }
    assert_eq!(patched, 2, "{name}: local header and central directory");
}

/// A workbook's parts, one sheet of visits with `strings` shared strings of `fill` each.
fn visits_book(strings: usize, fill: &str) -> Vec<(&'static str, Vec<u8>)> {
    visits_book_with(strings, fill, "")
}

/// [`visits_book`] with `rows` (sheet XML) after the header row.
fn visits_book_with(strings: usize, fill: &str, rows: &str) -> Vec<(&'static str, Vec<u8>)> {
    let sst: String = std::iter::repeat_n(format!("<si><t>{fill}</t></si>"), strings).collect();
    let head = ["日期", "填报单位编号", "走访干部编号", "困难户编号"];
    let head_sst: String = head
        .iter()
        .map(|h| format!("<si><t>{h}</t></si>"))
        .collect();
    let cells: String = (0..4)
        .map(|c| {
            format!(
                r#"<c r="{}1" t="s"><v>{c}</v></c>"#,
                (b'A' + c as u8) as char
            )
        })
        .collect();
    vec![
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#.to_vec()),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="走访登记" sheetId="1" r:id="rId1"/></sheets></workbook>"#.as_bytes().to_vec()),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_vec()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">{cells}</row>{rows}</sheetData></worksheet>"#).into_bytes()),
        ("xl/sharedStrings.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{head_sst}{sst}</sst>"#).into_bytes()),
    ]
}

#[test]
fn hostile_archives_are_refused_before_they_unpack() {
    // The hand-built workbook reads: a sheet of visits without rows.
    let small = book(&visits_book(10, "x"));
    let read = read_workbook(&small, None).unwrap();
    assert_eq!(read.sheets.len(), 1);
    // A table of shared strings of 80 MiB (it deflates to well under a megabyte): refused from
    // its declared size, before anything is unpacked.
    let bomb = book(&visits_book(80 << 10, &"甲".repeat(340)));
    assert!(bomb.len() < 4 << 20, "{}", bomb.len());
    let e = read_workbook(&bomb, None).unwrap_err();
    assert_eq!(e.code(), 6002, "{}", e.message_zh());
    assert!(
        e.message_zh().contains("解压后的大小"),
        "{}",
        e.message_zh()
    );
    // The same table declaring 1 KiB: the reader stops at the declared size and fails.
    let mut liar = book(&visits_book(80 << 10, &"甲".repeat(340)));
    lie_about_size(&mut liar, "xl/sharedStrings.xml", 1024);
    let e = read_workbook(&liar, None).unwrap_err();
    assert_eq!(e.code(), 6001, "{}", e.message_zh());
    // More rows than the bound: refused by count.
    let e = chuangzheng::sheets::limits::check_rows(1_000_001).unwrap_err();
    assert_eq!(e.code(), 6002);
    assert!(chuangzheng::sheets::limits::check_rows(1_000_000).is_ok());
}

#[test]
fn formulas_give_their_saved_value_and_one_without_is_refused() {
    let cell = |r: &str, t: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>{t}</t></is></c>"#);
    let rows = format!(
        r#"<row r="2">{}{}{}<c r="D2" t="str"><f>"h-"&amp;"1"</f><v>h-1</v></c></row><row r="3">{}{}{}<c r="D3"><f>D2</f></c></row>"#,
        cell("A2", "2010-07-04"),
        cell("B2", "v-001"),
        cell("C2", "m-1"),
        cell("A3", "2010-07-04"),
        cell("B3", "v-001"),
        cell("C3", "m-1"),
    );
    let parts = visits_book_with(0, "", &rows);
    let read = read_workbook(&book(&parts), None).unwrap();
    let line = String::from_utf8(read.jsonl.clone()).unwrap();
    assert!(line.contains(r#""household":"h-1""#), "{line}");
    let said = refusals(&read);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains("第3行「困难户编号」") && said[0].contains("公式没有保存计算结果"),
        "{}",
        said[0]
    );
}

#[test]
fn merged_dates_date_every_row_and_hidden_sheets_are_not_read() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("走访登记").unwrap();
    for (c, h) in ["日期", "填报单位编号", "走访干部编号", "困难户编号"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.merge_range(1, 0, 2, 0, "2010-07-04", &Format::new())
        .unwrap();
    for r in 1..=2 {
        ws.write_string(r, 1, "v-001").unwrap();
        ws.write_string(r, 2, "m-1").unwrap();
        ws.write_string(r, 3, format!("h-{r}")).unwrap();
    }
    let hidden = wb.add_worksheet();
    hidden.set_name("旧表").unwrap();
    hidden.write_string(0, 0, "日期").unwrap();
    hidden.write_string(1, 0, "不是日期").unwrap();
    hidden.set_hidden(true);
    let read = read_workbook(&wb.save_to_buffer().unwrap(), None).unwrap();
    assert!(read.refused.is_empty(), "{:?}", refusals(&read));
    let lines = String::from_utf8(read.jsonl).unwrap();
    assert_eq!(lines.matches(r#""at":"2010-07-04""#).count(), 2, "{lines}");
    assert_eq!(read.sheets.len(), 1);
    assert!(
        read.skipped.is_empty(),
        "a hidden sheet is not even looked at"
    );
}

#[test]
fn a_million_and_one_rows_are_refused_by_count_in_bounded_time() {
    // One cell a row, as small as a row gets (positions left implicit, a shared string):
    // 1,000,001 rows under the headers, 33 MB of XML.
    let rows = r#"<row><c t="s"><v>4</v></c></row>"#.repeat(1_000_001);
    let parts = visits_book_with(1, "x", &rows);
    let bytes = book(&parts);
    let e = read_workbook(&bytes, None).unwrap_err();
    assert_eq!(e.code(), 6002, "{}", e.message_zh());
    assert!(
        e.message_zh()
            .contains("数据行数为 1000001，超过上限 1000000"),
        "{}",
        e.message_zh()
    );
}

#[test]
fn a_cell_at_the_sheets_last_position_costs_nothing_and_a_reference_past_it_is_refused() {
    // One stray cell at XFD1048576 beside the headers: read sparsely, nothing allocated for the
    // positions between (found by the read_workbook fuzz target's review: calamine's dense range
    // would allocate 512 GiB and abort the process).
    let stray = r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#;
    let parts = visits_book_with(0, "", stray);
    let read = read_workbook(&book(&parts), None).unwrap();
    assert_eq!(
        (read.lines.len(), read.refused.len()),
        (0, 0),
        "a row of no known column is blank"
    );
    // Past Excel's last row (a reference that wraps where overflow is not checked): refused.
    let past = r#"<row><c r="C5555555553" t="inlineStr"><is><t>x</t></is></c></row>"#;
    let parts = visits_book_with(0, "", past);
    let e = read_workbook(&book(&parts), None).unwrap_err();
    assert_eq!(e.code(), 6001, "{}", e.message_zh());
}
