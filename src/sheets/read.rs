//! A filled workbook read into commands: each row of each sheet of a known kind becomes the
//! command the JSON Lines import would take, or a refusal naming its sheet, row and column.
//!
//! Sheets are known by name or, renamed, by their headers; columns by their header, in any
//! order. Hidden sheets, blank rows and the template's example row left as it was are skipped;
//! a merged cell's value stands for every cell it covers; a formula gives its cached value (one
//! without is refused). Dates arrive as date cells, Excel serial numbers, or text written
//! year first (`2010-07-01`, `2010/7/1`, `2010.7.1`, `2010年7月1日`, with or without a time);
//! anything else is refused by name.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, SheetVisible, Xlsx};
use jiff::ToSpan;
use jiff::civil::Date;
use serde_json::{Map, Value as Json, json};

use super::kinds::{Column, Kind, Target, Value};
use super::limits::{self, SheetError};
use crate::Coded;
use crate::ledger::import::Refusal;

/// Where a command read from a workbook came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowAt {
    /// The sheet's name.
    pub sheet: String,
    /// The row, from 1, as the spreadsheet numbers it.
    pub row: u32,
    /// The sheet's kind.
    pub kind: Kind,
    /// The event the row became.
    pub event: &'static str,
}

/// A row refused, by sheet, row and (when one is at fault) column header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRefusal {
    /// The sheet's name.
    pub sheet: String,
    /// The row, from 1.
    pub row: u32,
    /// The column at fault, by its header.
    pub column: Option<String>,
    /// The error's stable code: 6004 for a cell, else the command's refusal's.
    pub code: u32,
    /// Why, in Chinese.
    pub message_zh: String,
    /// Why, in English.
    pub message_en: String,
}

impl std::fmt::Display for SheetRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (sheet, row, code) = (&self.sheet, self.row, self.code);
        let (col_zh, col_en) = match &self.column {
            Some(c) => (format!("「{c}」"), format!(" column {c}")),
            None => (String::new(), String::new()),
        };
        write!(
            f,
            "「{sheet}」第{row}行{col_zh} [{code}]：{} / sheet {sheet} row {row}{col_en}: [{code}] {}",
            self.message_zh, self.message_en
        )
    }
}

/// A workbook read: the commands as JSON Lines, where each line came from, and the rows refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetRows {
    /// One command per line, in sheet and row order.
    pub jsonl: Vec<u8>,
    /// Line `i + 1` of `jsonl` came from `lines[i]`.
    pub lines: Vec<RowAt>,
    /// Rows refused as they were read (cells that cannot become a command): the first
    /// [`MAX_REFUSALS_LISTED`](crate::ledger::import::MAX_REFUSALS_LISTED).
    pub refused: Vec<SheetRefusal>,
    /// Rows refused as they were read past those listed: counted only.
    pub refused_unlisted: usize,
    /// The sheets read: name, kind, rows read.
    pub sheets: Vec<(String, Kind, usize)>,
    /// Visible sheets of no known kind, skipped.
    pub skipped: Vec<String>,
}

impl SheetRows {
    /// Rows refused as they were read, listed or not.
    pub fn refused_count(&self) -> usize {
        self.refused.len() + self.refused_unlisted
    }

    /// Every refusal of the workbook's import: the rows refused as read and those the JSON
    /// Lines import of its lines refused (`refused`), by sheet and row.
    pub fn refusals(&self, refused: &[Refusal]) -> Vec<SheetRefusal> {
        let mut all = self.refused.clone();
        all.extend(refused.iter().map(|r| self.locate(r)));
        all.sort_by_key(|r| (self.sheets.iter().position(|(n, ..)| *n == r.sheet), r.row));
        all
    }

    /// A refusal of the JSON Lines import (by line) said by sheet, row and column: the column
    /// found from the field the message names.
    pub fn locate(&self, r: &Refusal) -> SheetRefusal {
        let at = r.line.checked_sub(1).and_then(|i| self.lines.get(i));
        let (sheet, row) = at.map_or((String::new(), 0), |a| (a.sheet.clone(), a.row));
        let column = at.and_then(|a| column_of_field(a, &r.message_zh));
        SheetRefusal {
            sheet,
            row,
            column,
            code: r.code,
            message_zh: r.message_zh.clone(),
            message_en: r.message_en.clone(),
        }
    }
}

/// The column a refusal's field (`字段 event.household：…`) belongs to.
fn column_of_field(at: &RowAt, message_zh: &str) -> Option<String> {
    let path = message_zh.split("字段 ").nth(1)?.split('：').next()?;
    let segments: Vec<&str> = path.split(['.', '[', ']']).collect();
    let columns = at.kind.columns();
    let found = columns.iter().find(|c| match c.target {
        Target::At => segments.first() == Some(&"at"),
        Target::Actor => segments.first() == Some(&"actor"),
        Target::Field(pairs) => pairs
            .iter()
            .any(|(e, f)| *e == at.event && segments[1..].contains(f)),
        Target::Achieved(_) | Target::Stage => false,
    });
    found.map(|c| c.header.to_string())
}

/// Reads the workbook `bytes` into commands; `actor` is the acting organization of rows that
/// leave 填报单位编号 blank.
///
/// # Errors
///
/// [`SheetError`]: 6001 when the bytes are not a workbook that can be read (a CSV renamed, a
/// truncated or encrypted file), 6002 past a limit (docs/limits.md), 6003 when no sheet is of a
/// known kind, 6005 when a sheet lacks a column every row needs.
pub fn read_workbook(bytes: &[u8], actor: Option<&str>) -> Result<SheetRows, SheetError> {
    limits::check_archive(bytes)?;
    // The XML reader (calamine) has panicked on references out of range where overflow is
    // checked (fuzz/regressions/read_workbook/): whatever it does with hostile XML, a panic there
    // is an unreadable workbook, never a crash of the host.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_sheets(bytes, actor)));
    read.unwrap_or_else(|_| {
        Err(SheetError::unreadable(
            "the reader failed on the workbook's XML (a reference out of range)",
        ))
    })
}

/// [`read_workbook`] past the archive's check.
fn read_sheets(bytes: &[u8], actor: Option<&str>) -> Result<SheetRows, SheetError> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(SheetError::unreadable)?;
    let mut out = SheetRows::default();
    let sheets: Vec<_> = wb.sheets_metadata().to_vec();
    for sheet in sheets {
        if sheet.visible != SheetVisible::Visible {
            continue;
        }
        if sheet.name.trim().is_empty() {
            // No spreadsheet program saves one: a refusal could not say where it is.
            return Err(SheetError::unreadable("a sheet without a name"));
        }
        let mut grid = Grid::read(&mut wb, &sheet.name)?;
        let regions = wb
            .merge_cells_by_sheet_name(&sheet.name)
            .map_err(SheetError::unreadable)?;
        grid.merged = merged_cells(&regions);
        read_sheet(&sheet.name, &grid, actor, &mut out)?;
    }
    if out.sheets.is_empty() {
        return Err(SheetError::NoKnownSheet {
            skipped: out.skipped.clone(),
        });
    }
    Ok(out)
}

/// Each merged region's cells, pointing at the region's top-left cell. A region is filled at
/// most [`limits::MAX_MERGED_ROWS`] rows down and 64 columns across, and all regions together at
/// most [`limits::MAX_MERGED_CELLS`] cells: a region down a whole column costs no more.
fn merged_cells(regions: &[calamine::Dimensions]) -> HashMap<(u32, u32), (u32, u32)> {
    let mut cells = HashMap::new();
    for d in regions {
        let last_row = d
            .end
            .0
            .min(d.start.0.saturating_add(limits::MAX_MERGED_ROWS));
        for r in d.start.0..=last_row {
            for c in d.start.1..=d.end.1.min(d.start.1.saturating_add(64)) {
                if cells.len() >= limits::MAX_MERGED_CELLS {
                    return cells;
                }
                cells.insert((r, c), d.start);
            }
        }
    }
    cells
}

/// A sheet's cells, their formulas and merged regions, by absolute position: only the cells
/// the sheet holds (calamine's cell reader, not its dense range: a single cell at XFD1048576
/// would make that allocate for every position before it).
#[derive(Default)]
struct Grid {
    cells: HashMap<(u32, u32), Data>,
    formulas: std::collections::HashSet<(u32, u32)>,
    merged: HashMap<(u32, u32), (u32, u32)>,
    /// The rows holding a value or a formula, in order.
    rows: std::collections::BTreeSet<u32>,
}

/// Excel's last row and column, from 0: a reference past them is no workbook a program saved.
const LAST_ROW: u32 = 1_048_575;
const LAST_COL: u32 = 16_383;

/// A cell's position, refused (6001) past Excel's last row or column.
fn within_sheet((row, col): (u32, u32)) -> Result<(u32, u32), SheetError> {
    if row > LAST_ROW || col > LAST_COL {
        return Err(SheetError::unreadable(format!(
            "a cell reference out of range (row {}, column {})",
            u64::from(row) + 1,
            u64::from(col) + 1
        )));
    }
    Ok((row, col))
}

impl Grid {
    /// The cells and formulas of the sheet `name`.
    fn read(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Grid, SheetError> {
        let mut grid = Grid::default();
        let mut reader = wb
            .worksheet_cells_reader(name)
            .map_err(SheetError::unreadable)?;
        while let Some(cell) = reader.next_cell().map_err(SheetError::unreadable)? {
            let at = within_sheet(cell.get_position())?;
            let value = Data::from(cell.get_value().clone());
            if value != Data::Empty {
                grid.rows.insert(at.0);
                grid.cells.insert(at, value);
            }
        }
        drop(reader);
        let mut reader = wb
            .worksheet_cells_reader(name)
            .map_err(SheetError::unreadable)?;
        while let Some(formula) = reader.next_formula().map_err(SheetError::unreadable)? {
            let at = within_sheet(formula.get_position())?;
            if !formula.get_value().is_empty() {
                grid.rows.insert(at.0);
                grid.formulas.insert(at);
            }
        }
        Ok(grid)
    }

    /// The cell at (row, col), a merged region's value for each of its cells.
    fn cell(&self, row: u32, col: u32) -> &Data {
        let at = self.merged.get(&(row, col)).copied().unwrap_or((row, col));
        self.cells.get(&at).unwrap_or(&Data::Empty)
    }

    /// Whether (row, col) holds a formula.
    fn has_formula(&self, row: u32, col: u32) -> bool {
        self.formulas.contains(&(row, col))
    }

    /// The header row: the first holding anything; and its cells' columns, in order.
    fn header(&self) -> Option<(u32, Vec<u32>)> {
        let first = *self.rows.first()?;
        let mut cols: Vec<u32> = self
            .cells
            .keys()
            .filter(|(r, _)| *r == first)
            .map(|(_, c)| *c)
            .collect();
        cols.sort_unstable();
        Some((first, cols))
    }
}

/// One sheet: its kind found, its header row read, each data row turned into a command or a
/// refusal.
fn read_sheet(
    name: &str,
    grid: &Grid,
    actor: Option<&str>,
    out: &mut SheetRows,
) -> Result<(), SheetError> {
    let Some((first, header_cols)) = grid.header() else {
        out.skipped.push(name.to_string());
        return Ok(());
    };
    // Past the bound whatever the rows hold: refused before any row is read.
    limits::check_rows(out.lines.len() + out.refused_count() + grid.rows.len() - 1)?;
    let headers: Vec<(u32, String)> = header_cols
        .into_iter()
        .filter_map(|c| Some((c, text_of(grid.cell(first, c))?)))
        .collect();
    let Some(kind) = kind_of(name, &headers) else {
        out.skipped.push(name.to_string());
        return Ok(());
    };
    let found = columns_found(name, kind, &headers)?;
    let sheet = Sheet {
        name,
        kind,
        columns: &found,
        actor,
    };
    let mut rows = 0;
    // Rows a merged region reaches without a cell of their own are blank but for it: read.
    let merged_rows = grid.merged.keys().map(|(r, _)| *r);
    let all_rows: std::collections::BTreeSet<u32> =
        grid.rows.iter().copied().chain(merged_rows).collect();
    for row in all_rows.into_iter().filter(|r| *r > first) {
        if is_blank(grid, row, &found) || (row == first + 1 && sheet.is_example(grid, row)) {
            continue;
        }
        rows += 1;
        limits::check_rows(out.lines.len() + out.refused_count() + 1)?;
        match sheet.command(grid, row) {
            Ok((line, event)) => {
                out.jsonl.extend_from_slice(line.as_bytes());
                out.jsonl.push(b'\n');
                out.lines.push(sheet.at(row, event));
            }
            Err(_) if out.refused.len() >= crate::ledger::import::MAX_REFUSALS_LISTED => {
                out.refused_unlisted += 1;
            }
            Err(refusal) => out.refused.push(*refusal),
        }
    }
    out.sheets.push((name.to_string(), kind, rows));
    Ok(())
}

/// The kind's columns the sheet has, by header, with their positions; refused (6005) when one
/// every row needs is missing.
fn columns_found(
    name: &str,
    kind: Kind,
    headers: &[(u32, String)],
) -> Result<Vec<(u32, Column)>, SheetError> {
    let columns = kind.columns();
    let found: Vec<(u32, Column)> = columns
        .iter()
        .filter_map(|c| {
            let col = headers.iter().find(|(_, h)| h == c.header)?.0;
            Some((col, *c))
        })
        .collect();
    let missing: Vec<String> = columns
        .iter()
        .filter(|c| always_required(kind, c) && !found.iter().any(|(_, f)| f == *c))
        .map(|c| c.header.to_string())
        .collect();
    match missing.is_empty() {
        true => Ok(found),
        false => Err(SheetError::MissingColumns {
            sheet: name.to_string(),
            columns: missing,
        }),
    }
}

/// A column every row of the kind needs, whatever its stage.
fn always_required(kind: Kind, c: &Column) -> bool {
    match c.target {
        Target::At | Target::Stage => true,
        Target::Field(pairs) => {
            c.required
                && kind
                    .stages()
                    .iter()
                    .all(|s| pairs.iter().any(|(e, _)| *e == s.event))
        }
        Target::Actor | Target::Achieved(_) => false,
    }
}

/// The kind of a sheet: by its name, else the kind whose headers it has most of (at least every
/// one a row always needs).
fn kind_of(name: &str, headers: &[(u32, String)]) -> Option<Kind> {
    if let Some(kind) = Kind::ALL.into_iter().find(|k| k.sheet() == name) {
        return Some(kind);
    }
    let has = |h: &str| headers.iter().any(|(_, x)| x == h);
    Kind::ALL
        .into_iter()
        .filter(|k| {
            let columns = k.columns();
            let needed: Vec<&Column> = columns.iter().filter(|c| always_required(*k, c)).collect();
            needed.iter().all(|c| has(c.header)) && needed.len() > 1
        })
        .max_by_key(|k| k.columns().iter().filter(|c| has(c.header)).count())
}

/// Whether every known column of the row is empty.
fn is_blank(grid: &Grid, row: u32, columns: &[(u32, Column)]) -> bool {
    columns
        .iter()
        .all(|(c, _)| text_of(grid.cell(row, *c)).is_none() && !grid.has_formula(row, *c))
}

/// A cell as text: trimmed (empty is `None`); a whole number without a point; a date cell as
/// `YYYY-MM-DD`.
fn text_of(d: &Data) -> Option<String> {
    let text = match d {
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f)?,
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Error(_) | Data::Empty => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// A number cell as the shortest text that reads back as it (`486.5`, `3`).
fn float_text(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        return Some(format!("{}", f as i64));
    }
    Some(format!("{f}"))
}

/// One sheet being read: its kind and the columns it has.
struct Sheet<'a> {
    name: &'a str,
    kind: Kind,
    columns: &'a [(u32, Column)],
    actor: Option<&'a str>,
}

/// A cell's problem: the column's header and why, in both languages.
struct Fault {
    header: &'static str,
    zh: String,
    en: String,
}

impl Fault {
    fn new(header: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Fault {
        Fault {
            header,
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl Sheet<'_> {
    fn at(&self, row: u32, event: &'static str) -> RowAt {
        RowAt {
            sheet: self.name.to_string(),
            row: row + 1,
            kind: self.kind,
            event,
        }
    }

    fn refusal(&self, row: u32, f: Fault) -> Box<SheetRefusal> {
        Box::new(SheetRefusal {
            sheet: self.name.to_string(),
            row: row + 1,
            column: Some(f.header.to_string()),
            code: limits::CELL_REFUSED,
            message_zh: f.zh,
            message_en: f.en,
        })
    }

    /// Whether the row is the template's example, left as it was.
    fn is_example(&self, grid: &Grid, row: u32) -> bool {
        self.columns.iter().all(|(c, col)| {
            let example = match col.target {
                Target::Stage => self.kind.stages()[0].label,
                _ => col.example,
            };
            text_of(grid.cell(row, *c)).unwrap_or_default() == example
        })
    }

    /// The row as a command's JSON line and the event it is, or the first fault found.
    fn command(&self, grid: &Grid, row: u32) -> Result<(String, &'static str), Box<SheetRefusal>> {
        let built = self.build(grid, row);
        built.map_err(|f| self.refusal(row, f))
    }

    fn build(&self, grid: &Grid, row: u32) -> Result<(String, &'static str), Fault> {
        let event = self.stage(grid, row)?;
        let mut at = None;
        let mut actor = self.actor.map(str::to_string);
        let mut fields = Map::new();
        let mut achieved = Vec::new();
        for (c, col) in self.columns {
            let cell = grid.cell(row, *c);
            if matches!(cell, Data::Empty) && grid.has_formula(row, *c) {
                return Err(Fault::new(
                    col.header,
                    "公式没有保存计算结果，请在表格软件中重新计算并保存",
                    "a formula without its computed value: recalculate and save the workbook",
                ));
            }
            if let Data::Error(e) = cell {
                return Err(Fault::new(
                    col.header,
                    format!("单元格是错误值 {e}"),
                    format!("the cell holds the error value {e}"),
                ));
            }
            let applies = applies(col, event);
            let Some(text) = text_of(cell) else {
                if applies && col.required && !matches!(col.target, Target::Actor) {
                    return Err(Fault::new(col.header, "必填，不能为空", "required, empty"));
                }
                continue;
            };
            if !applies {
                return Err(not_for_stage(self.kind, col, event));
            }
            match col.target {
                Target::At => {
                    at = Some(
                        date_of(cell, &text).map_err(|(zh, en)| Fault::new(col.header, zh, en))?,
                    )
                }
                Target::Actor => actor = Some(text),
                Target::Stage => {}
                Target::Achieved(i) => {
                    let value = value_of(col, cell, &text)?;
                    achieved.push(json!({"target": i, "value": value}));
                }
                Target::Field(pairs) => {
                    let name = pairs
                        .iter()
                        .find(|(e, _)| *e == event)
                        .map_or("", |(_, f)| *f);
                    fields.insert(name.to_string(), value_of(col, cell, &text)?);
                }
            }
        }
        if event == "report_progress" {
            fields.insert("achieved".into(), Json::Array(achieved));
        }
        let at = at.ok_or_else(|| Fault::new("日期", "必填，不能为空", "required, empty"))?;
        let actor = actor.ok_or_else(|| {
            Fault::new(
                "填报单位编号",
                "为空，导入时也未给出填报单位（--actor）",
                "empty, and no acting organization given for the import (--actor)",
            )
        })?;
        let command =
            json!({"at": at.to_string(), "actor": {"org": actor}, "event": {event: fields}});
        Ok((command.to_string(), event))
    }

    /// The event the row is: the kind's one, or the one its 环节 names.
    fn stage(&self, grid: &Grid, row: u32) -> Result<&'static str, Fault> {
        let stages = self.kind.stages();
        if stages.len() == 1 {
            return Ok(stages[0].event);
        }
        let cell = self
            .columns
            .iter()
            .find(|(_, c)| c.target == Target::Stage)
            .map(|(c, _)| text_of(grid.cell(row, *c)));
        let labels: Vec<&str> = stages.iter().map(|s| s.label).collect();
        match cell.flatten() {
            Some(t) => stages
                .iter()
                .find(|s| s.label == t || s.event == t)
                .map(|s| s.event)
                .ok_or_else(|| {
                    Fault::new(
                        "环节",
                        format!("{t:?} 不是可选的环节，应为{}之一", labels.join("、")),
                        format!("{t:?} is not a stage: one of {}", labels.join(", ")),
                    )
                }),
            None => Err(Fault::new("环节", "必填，不能为空", "required, empty")),
        }
    }
}

/// Whether a column applies to a row that is `event`.
fn applies(col: &Column, event: &str) -> bool {
    match col.target {
        Target::Field(pairs) => pairs.iter().any(|(e, _)| *e == event),
        Target::Achieved(_) => event == "report_progress",
        _ => true,
    }
}

/// A column filled on a row of a stage it does not belong to.
fn not_for_stage(kind: Kind, col: &Column, event: &str) -> Fault {
    let label = kind
        .stages()
        .iter()
        .find(|s| s.event == event)
        .map_or("", |s| s.label);
    Fault::new(
        col.header,
        format!("只在其他环节填写，{label}环节应留空"),
        format!("belongs to another stage: leave it blank on a {label} row"),
    )
}

/// A cell's value as the command takes it.
fn value_of(col: &Column, cell: &Data, text: &str) -> Result<Json, Fault> {
    let wrong = |zh: String, en: String| Fault::new(col.header, zh, en);
    match col.value {
        Value::Text | Value::Org | Value::Member => Ok(Json::String(text.to_string())),
        Value::Decimal => Ok(Json::String(text.to_string())),
        Value::Date => date_of(cell, text)
            .map(|d| Json::String(d.to_string()))
            .map_err(|(zh, en)| wrong(zh, en)),
        Value::Month => month_of(cell, text).map(Json::String).ok_or_else(|| {
            wrong(
                format!("{text:?} 不是月份，应写作2010-06"),
                format!("{text:?}: not a month (2010-06)"),
            )
        }),
        Value::Count => text
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= 1)
            .map(Json::from)
            .ok_or_else(|| {
                wrong(
                    format!("{text:?} 应为1或以上的整数"),
                    format!("{text:?}: a whole number, 1 or more"),
                )
            }),
        Value::Members(max) => {
            let ids: Vec<&str> = text
                .split(['、', ',', '，', ';', '；', ' ', '\n'])
                .filter(|s| !s.is_empty())
                .collect();
            if ids.len() > max {
                return Err(wrong(
                    format!("至多{max}个编号，给出了{}个", ids.len()),
                    format!("at most {max} ids, {} given", ids.len()),
                ));
            }
            Ok(json!(ids))
        }
        Value::Choice(choices) => choices
            .iter()
            .find(|(label, key)| *label == text || *key == text)
            .map(|(_, key)| Json::String((*key).to_string()))
            .ok_or_else(|| {
                let labels: Vec<&str> = choices.iter().map(|(l, _)| *l).collect();
                wrong(
                    format!("{text:?} 不是可选的值，应为{}之一", labels.join("、")),
                    format!("{text:?} is not one of the choices: {}", labels.join(", ")),
                )
            }),
        Value::YesNo => match text {
            "是" | "TRUE" | "true" => Ok(Json::Bool(true)),
            "否" | "FALSE" | "false" => Ok(Json::Bool(false)),
            _ => Err(wrong(
                format!("{text:?} 应为是或否"),
                format!("{text:?}: 是 or 否"),
            )),
        },
    }
}

/// A date from a date cell, an Excel serial number, or text written year first.
fn date_of(cell: &Data, text: &str) -> Result<Date, (String, String)> {
    let serial = match cell {
        Data::Int(i) => Some(*i as f64),
        Data::Float(f) => Some(*f),
        _ => None,
    };
    let found = match (cell, serial) {
        (Data::DateTime(dt), _) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Date::new(y as i16, m as i8, d as i8).ok()
        }
        (_, Some(s)) => from_serial(s),
        _ => date_text(text),
    };
    found.ok_or_else(|| {
        (
            format!("{text} 不是有效日期，应写作2010-07-01、2010/7/1或2010年7月1日"),
            format!("{text}: not a valid date (2010-07-01, 2010/7/1 or 2010年7月1日, year first)"),
        )
    })
}

/// The day an Excel serial number (1900 date system) stands for; its time of day dropped.
/// Serial 60 is Excel's 29 February 1900, a day that never was.
fn from_serial(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    match days {
        60 => None,
        1..=59 => jiff::civil::date(1899, 12, 31)
            .checked_add(days.days())
            .ok(),
        _ => jiff::civil::date(1899, 12, 30)
            .checked_add(days.days())
            .ok(),
    }
}

/// A date written year first: `2010-07-01`, `2010/7/1`, `2010.7.1`, `2010年7月1日`, a time
/// after it (`2010-07-01 08:30`, `2010-07-01T08:30:00`) dropped.
fn date_text(text: &str) -> Option<Date> {
    let day = text.split([' ', 'T']).next()?.trim_end_matches('日');
    let parts: Vec<&str> = day.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2)) {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// A month written `2010-06`, `2010/6`, `2010年6月`, or a date cell's month.
fn month_of(cell: &Data, text: &str) -> Option<String> {
    if let Data::DateTime(dt) = cell {
        let (y, m, ..) = dt.to_ymd_hms_milli();
        return Some(format!("{y:04}-{m:02}"));
    }
    let parts: Vec<&str> = text
        .trim_end_matches('月')
        .split(['-', '/', '.', '年'])
        .collect();
    let [y, m] = parts.as_slice() else {
        return None;
    };
    let year: i16 = y.parse().ok().filter(|_| y.len() == 4)?;
    let month: i8 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
    Some(format!("{year:04}-{month:02}"))
}

impl SheetRefusal {
    /// The refusal's code.
    pub fn code(&self) -> u32 {
        self.code
    }
}

impl Coded for SheetRefusal {
    fn code(&self) -> u32 {
        self.code
    }
    fn message_zh(&self) -> String {
        self.message_zh.clone()
    }
    fn message_en(&self) -> String {
        self.message_en.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_year_first_in_their_common_forms_and_nothing_ambiguous() {
        for (text, want) in [
            ("2010-07-01", Some(date(2010, 7, 1))),
            ("2010/7/1", Some(date(2010, 7, 1))),
            ("2010.7.1", Some(date(2010, 7, 1))),
            ("2010年7月1日", Some(date(2010, 7, 1))),
            ("2010-07-01 08:30", Some(date(2010, 7, 1))),
            ("2010-07-01T08:30:00", Some(date(2010, 7, 1))),
            ("2010-02-30", None),
            ("7/1/2010", None),
            ("10-7-1", None),
            ("2010-7", None),
            ("yesterday", None),
        ] {
            assert_eq!(date_text(text), want, "{text}");
        }
        assert_eq!(from_serial(40360.0), Some(date(2010, 7, 1)));
        assert_eq!(from_serial(40360.75), Some(date(2010, 7, 1)));
        assert_eq!(from_serial(1.0), Some(date(1900, 1, 1)));
        assert_eq!(from_serial(59.0), Some(date(1900, 2, 28)));
        assert_eq!(from_serial(60.0), None);
        assert_eq!(from_serial(61.0), Some(date(1900, 3, 1)));
        assert_eq!(from_serial(0.0), None);
    }

    #[test]
    fn numbers_read_as_their_shortest_text() {
        assert_eq!(float_text(3.0).as_deref(), Some("3"));
        assert_eq!(float_text(486.5).as_deref(), Some("486.5"));
        assert_eq!(
            float_text(0.1 + 0.2).as_deref(),
            Some("0.30000000000000004")
        );
        assert_eq!(float_text(f64::NAN), None);
    }
}
