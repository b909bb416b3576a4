//! `read_workbook`: `sheets::read_workbook` on fuzzed workbooks, raw or packed by the harness.
//!
//! Byte 0 is the mode. Bit 0 clear (**raw**): the rest of the bytes are the workbook. Bit 0 set
//! (**structured**): the rest is split at NUL into the rows of sheet 1 (XML put inside its
//! `<sheetData>`), the shared strings (XML put inside `<sst>`) and the sheet's name (text,
//! XML-escaped; missing, the kind's sheet name, else 走访登记), and packed into a valid zip
//! with a fixed content-types part, relationships, workbook and styles, so that every input
//! reaches calamine's XML parsing and the reader's rows instead of the zip's CRC checks. In
//! that mode bit 2 deflates the entries (else stored), bit 3 sets the 1904 date system, and
//! bits 5–7 give a fixed header row before the fuzzed rows: 0 none, `n` the headers of
//! `Kind::ALL[n - 1]`, in the template's order, as inline strings. In both modes bit 1 gives
//! the acting organization `t-01`.
//!
//! The styles give cell formats 0 (general), 1 (a date), 2 (`yyyy-mm`, custom) and 3 (a
//! duration), so a fuzzed `s="1"` reaches date cells.

use std::io::{Cursor, Write};

use chuangzheng::Coded;
use chuangzheng::ledger::Command;
use chuangzheng::sheets::{Kind, SheetError, SheetRows, read_workbook};

/// The acting organization bit 1 gives.
pub const ACTOR: &str = "t-01";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="46" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"#;

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// `text` escaped for an XML attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The column letters of a 0-based column (A, …, Z, AA, …).
fn column_letters(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII")
}

/// The header row (row 1) of `kind`'s columns, as inline strings.
fn header_row(kind: Kind) -> String {
    let cells: String = kind
        .columns()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let r = column_letters(i);
            format!(
                r#"<c r="{r}1" t="inlineStr"><is><t>{}</t></is></c>"#,
                escape(c.header)
            )
        })
        .collect();
    format!(r#"<row r="1">{cells}</row>"#)
}

/// A zip archive of `entries`, stored or deflated.
pub fn archive(entries: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, options).expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

/// The structured mode's workbook: one sheet, its rows, shared strings and name fuzzed.
pub fn pack(mode: u8, rest: &[u8]) -> Vec<u8> {
    let mut parts = rest.splitn(3, |&b| b == 0);
    let rows = parts.next().unwrap_or_default();
    let sst = parts.next().unwrap_or_default();
    let name = parts.next();
    let header = match mode >> 5 {
        0 => None,
        n => Some(Kind::ALL[usize::from(n - 1) % Kind::ALL.len()]),
    };
    let name = match name {
        Some(n) => String::from_utf8_lossy(n).into_owned(),
        None => header.map_or("走访登记", Kind::sheet).to_string(),
    };
    let date1904 = if mode & 8 != 0 {
        r#"<workbookPr date1904="1"/>"#
    } else {
        ""
    };
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{date1904}<sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        escape(&name)
    );
    let mut sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN_NS}"><sheetData>{}"#,
        header.map(header_row).unwrap_or_default()
    )
    .into_bytes();
    sheet.extend_from_slice(rows);
    sheet.extend_from_slice(b"</sheetData></worksheet>");
    let mut strings = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{MAIN_NS}">"#
    )
    .into_bytes();
    strings.extend_from_slice(sst);
    strings.extend_from_slice(b"</sst>");
    archive(
        &[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", RELS.as_bytes()),
            ("xl/workbook.xml", workbook.as_bytes()),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
            ("xl/styles.xml", STYLES.as_bytes()),
            ("xl/worksheets/sheet1.xml", &sheet),
            ("xl/sharedStrings.xml", &strings),
        ],
        mode & 4 != 0,
    )
}

/// The workbook and the acting organization an input stands for (`None` for no input).
pub fn workbook(data: &[u8]) -> Option<(Vec<u8>, Option<&'static str>)> {
    let (&mode, rest) = data.split_first()?;
    let actor = (mode & 2 != 0).then_some(ACTOR);
    let bytes = match mode & 1 {
        0 => rest.to_vec(),
        _ => pack(mode, rest),
    };
    Some((bytes, actor))
}

/// Whether `s` is written `YYYY-MM-DD` and is that day.
fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && s.parse::<jiff::civil::Date>()
            .is_ok_and(|d| d.to_string() == s)
}

/// The properties of a workbook read.
pub fn check_rows(read: &SheetRows, actor: Option<&str>) {
    assert!(!read.sheets.is_empty(), "read, but no sheet read");
    let text = std::str::from_utf8(&read.jsonl).expect("jsonl is UTF-8");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "jsonl ends mid-line"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        read.lines.len(),
        "jsonl has {} lines, `lines` {}",
        lines.len(),
        read.lines.len()
    );
    assert_eq!(
        text.matches('\n').count(),
        read.lines.len(),
        "a line of jsonl holds a newline"
    );
    let kind_of = |sheet: &str| -> Vec<Kind> {
        read.sheets
            .iter()
            .filter(|(n, ..)| n == sheet)
            .map(|(_, k, _)| *k)
            .collect()
    };
    for (line, at) in lines.iter().zip(&read.lines) {
        let json: serde_json::Value = serde_json::from_str(line).expect("a line is JSON");
        let obj = json.as_object().expect("a line is a JSON object");
        assert_eq!(obj.len(), 3, "at, actor and event only: {line}");
        let day = obj["at"].as_str().expect("at is a string");
        assert!(is_day(day), "at {day:?} is no YYYY-MM-DD day: {line}");
        let org = json["actor"]["org"].as_str().expect("actor.org a string");
        assert!(!org.is_empty(), "empty actor.org: {line}");
        assert_eq!(
            json["actor"].as_object().map(|a| a.len()),
            Some(1),
            "{line}"
        );
        let event = obj["event"].as_object().expect("event is an object");
        assert_eq!(event.len(), 1, "one event a line: {line}");
        let name = event.keys().next().expect("one event");
        assert_eq!(name, at.event, "line and its RowAt name another event");
        assert!(at.row >= 2, "a data row below the header: {at:?}");
        assert!(!at.sheet.is_empty(), "a line's sheet has no name: {at:?}");
        assert!(
            kind_of(&at.sheet).contains(&at.kind),
            "{at:?} is of no sheet read"
        );
        assert!(
            at.kind.stages().iter().any(|s| s.event == at.event),
            "{at:?}: no stage of its kind"
        );
        // The ledger may refuse the line, but only as a command it cannot take.
        if let Err(e) = Command::from_json(line) {
            let code = e.code();
            assert!(
                code / 1000 == 1 || code / 1000 == 3,
                "from_json refused with {code}: {line}"
            );
            assert!(!e.message_zh().is_empty() && !e.message_en().is_empty());
        }
    }
    for r in &read.refused {
        assert!(r.row >= 1, "refusal row {}", r.row);
        assert!(!r.sheet.is_empty(), "a refusal names no sheet: {r:?}");
        assert_eq!(r.code, 6004, "{r:?}");
        assert!(
            !r.message_zh.is_empty() && !r.message_en.is_empty(),
            "{r:?}"
        );
        let column = r
            .column
            .as_deref()
            .expect("a cell refusal names its column");
        if actor.is_some() {
            assert!(
                !(column == "填报单位编号" && r.message_en.contains("no acting organization")),
                "an acting organization was given: {r:?}"
            );
        }
        assert!(
            kind_of(&r.sheet)
                .iter()
                .any(|k| k.columns().iter().any(|c| c.header == column)),
            "refusal's column {column} is no column of its sheet's kind: {r:?}"
        );
    }
    let rows: usize = read.sheets.iter().map(|(_, _, n)| n).sum();
    assert_eq!(
        rows,
        read.lines.len() + read.refused.len(),
        "rows read are neither lines nor refusals"
    );
}

/// The properties of a workbook refused whole.
pub fn check_error(e: &SheetError) {
    assert!(
        matches!(e.code(), 6001 | 6002 | 6003 | 6005),
        "error code {}",
        e.code()
    );
    assert!(!e.message_zh().is_empty(), "{e:?}");
    assert!(!e.message_en().is_empty(), "{e:?}");
}

/// The whole `read_workbook` body.
pub fn check_workbook(data: &[u8]) {
    let Some((bytes, actor)) = workbook(data) else {
        return;
    };
    let first = read_workbook(&bytes, actor);
    match &first {
        Ok(read) => check_rows(read, actor),
        Err(e) => check_error(e),
    }
    let second = read_workbook(&bytes, actor);
    assert_eq!(first, second, "the same bytes read twice differ");
}
