//! The template a clerk fills for a kind of record: the kind's sheet (Chinese headers, the
//! required ones in red, one example row in grey, dates formatted as dates, ids kept as text,
//! a drop-down list for every choice), a sheet of instructions, and, when the campaign is
//! given, the ids of the scope's organizations and members for the id columns' drop-downs.

use jiff::civil::Date;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder, Formula,
    Workbook, Worksheet, XlsxError,
};

use super::kinds::{Column, Kind, Target, Value};
use crate::ledger::State;
use crate::model::OrgIdx;
use crate::report::WorkbookError;
use crate::report::xlsx::{excel_day, set_properties};

/// The sheet of instructions' name.
pub const GUIDE_SHEET: &str = "填写说明";
/// The sheet of the scope's ids' name.
pub const IDS_SHEET: &str = "可选编号";

/// The last row (from 0) the template's formats and drop-downs reach: room for a large
/// township's year of records.
const LAST_ROW: u32 = 65_535;

/// The organizations and members a template's id columns offer: the scope's, as they stood on
/// a day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ids {
    /// Organizations: id, name, kind (Chinese).
    pub orgs: Vec<(String, String, String)>,
    /// Members posted in the scope: id, their organization's id, their role (Chinese).
    pub members: Vec<(String, String, String)>,
}

impl Ids {
    /// The ids of `root`'s subtree in `state` as it stood on `on`: every organization, and every
    /// member posted in one of them that day.
    pub fn of(state: &State, root: OrgIdx, on: Date) -> Ids {
        let subtree = state.subtree(root);
        let orgs = subtree
            .iter()
            .map(|o| {
                let org = state.org(*o);
                let name = org.name_on(on).to_string();
                (org.id.to_string(), name, org.kind.label_zh().to_string())
            })
            .collect();
        let members = state
            .members()
            .iter()
            .filter_map(|m| {
                let p = m.posting_on(on)?;
                subtree.contains(&p.org).then(|| {
                    let org = state.org(p.org).id.to_string();
                    (m.id.to_string(), org, p.role.label_zh().to_string())
                })
            })
            .collect();
        Ids { orgs, members }
    }
}

/// The cell formats of a template.
struct Styles {
    header: Format,
    required: Format,
    example: Format,
    date: Format,
    text: Format,
    plain: Format,
}

impl Styles {
    fn new() -> Styles {
        let header = Format::new()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_background_color(Color::RGB(0x00F2_F3F5))
            .set_align(FormatAlign::Center);
        Styles {
            required: header.clone().set_font_color(Color::RGB(0x00B3_261E)),
            header,
            example: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x0080_8080)),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            text: Format::new().set_num_format("@"),
            plain: Format::new(),
        }
    }
}

/// The template for `kind`, its bytes; with `ids`, their sheet and drop-downs for the id
/// columns. `made` is the workbook's creation date, so the same inputs give the same bytes.
///
/// # Errors
///
/// [`WorkbookError`] (5003) when a limit of the format is passed (more ids than a sheet's rows).
pub fn template(kind: Kind, ids: Option<&Ids>, made: Date) -> Result<Vec<u8>, WorkbookError> {
    let mut wb = Workbook::new();
    set_properties(&mut wb, &format!("{}模板", kind.sheet()), made)?;
    let st = Styles::new();
    kind_sheet(wb.add_worksheet(), kind, ids, &st)?;
    guide_sheet(wb.add_worksheet(), kind, &st)?;
    if let Some(ids) = ids {
        ids_sheet(wb.add_worksheet(), ids, &st)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The kind's sheet: headers, the example row, each column's format and drop-down.
fn kind_sheet(
    ws: &mut Worksheet,
    kind: Kind,
    ids: Option<&Ids>,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(kind.sheet())?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    for (i, c) in kind.columns().iter().enumerate() {
        let col = i as u16;
        let header = if c.required { &st.required } else { &st.header };
        ws.write_string_with_format(0, col, c.header, header)?;
        ws.set_column_width(col, f64::from(c.width) * 1.2)?;
        let format = match c.value {
            Value::Date => &st.date,
            Value::Count | Value::Decimal => &st.plain,
            _ => &st.text,
        };
        ws.set_column_format(col, format)?;
        write_example(ws, col, kind, c, st)?;
        if let Some(v) = validation(kind, c, ids)? {
            ws.add_data_validation(1, col, LAST_ROW, col, &v)?;
        }
    }
    Ok(())
}

/// A column's example in the example row: a date as a date cell, a number as a number, the
/// rest as text.
fn write_example(
    ws: &mut Worksheet,
    col: u16,
    kind: Kind,
    c: &Column,
    st: &Styles,
) -> Result<(), XlsxError> {
    let example = example_of(kind, c);
    if example.is_empty() {
        return Ok(());
    }
    match (c.value, example.parse::<Date>(), example.parse::<f64>()) {
        (Value::Date, Ok(d), _) => {
            let format = st.example.clone().set_num_format("yyyy-mm-dd");
            ws.write_datetime_with_format(1, col, &excel_day(d)?, &format)?;
        }
        (Value::Count | Value::Decimal, _, Ok(n)) => {
            ws.write_number_with_format(1, col, n, &st.example)?;
        }
        _ => {
            ws.write_string_with_format(1, col, &example, &st.example)?;
        }
    }
    Ok(())
}

/// A column's example: its own, or for the stage column the kind's first stage.
fn example_of(kind: Kind, c: &Column) -> String {
    match c.target {
        Target::Stage => kind.stages()[0].label.to_string(),
        _ => c.example.to_string(),
    }
}

/// The drop-down or bound a column's cells get, if any.
fn validation(
    kind: Kind,
    c: &Column,
    ids: Option<&Ids>,
) -> Result<Option<DataValidation>, XlsxError> {
    let labels: Vec<&str> = match (c.target, c.value) {
        (Target::Stage, _) => kind.stages().iter().map(|s| s.label).collect(),
        (_, Value::Choice(choices)) => choices.iter().map(|(label, _)| *label).collect(),
        (_, Value::YesNo) => vec!["是", "否"],
        (_, Value::Org) => return Ok(ids.map(|ids| id_list("A", ids.orgs.len()))),
        (_, Value::Member) => return Ok(ids.map(|ids| id_list("E", ids.members.len()))),
        (_, Value::Count) => {
            let v = DataValidation::new()
                .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(1))
                .set_error_message("应为1或以上的整数")?;
            return Ok(Some(v));
        }
        _ => return Ok(None),
    };
    let v = DataValidation::new()
        .allow_list_strings(&labels)?
        .set_error_message(format!("请从列表中选择：{}", labels.join("、")))?;
    Ok(Some(v))
}

/// A drop-down of the ids in column `col` of the ids sheet, rows 2 to `n + 1`; a warning, not a
/// refusal, for an id not listed (one added after the template was made).
fn id_list(col: &str, n: usize) -> DataValidation {
    let last = n.max(1) + 1;
    DataValidation::new()
        .allow_list_formula(Formula::new(format!(
            "='{IDS_SHEET}'!${col}$2:${col}${last}"
        )))
        .set_error_style(rust_xlsxwriter::DataValidationErrorStyle::Warning)
}

/// The instructions: one row per column, what to write in it.
fn guide_sheet(ws: &mut Worksheet, kind: Kind, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(GUIDE_SHEET)?;
    for (col, (head, width)) in [("列名", 16.0), ("是否必填", 10.0), ("填写要求", 72.0)]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, col as u16, *head, &st.header)?;
        ws.set_column_width(col as u16, *width)?;
    }
    let columns = kind.columns();
    for (i, c) in columns.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, c.header)?;
        ws.write_string(row, 1, if c.required { "必填" } else { "选填" })?;
        ws.write_string(row, 2, guide_text(kind, c))?;
    }
    let notes = [
        "第2行灰色斜体为示例，原样保留时导入会跳过；改动后按一行数据导入。",
        "列的先后可以调整，按列名识别；空白行跳过。",
        "日期可填日期格式，或写作2010-07-01、2010/7/1、2010年7月1日。",
        "填报单位编号留空时，按导入时给出的单位（--actor）填报。",
    ];
    for (i, note) in notes.iter().enumerate() {
        ws.write_string(columns.len() as u32 + 2 + i as u32, 0, *note)?;
    }
    Ok(())
}

/// What a column holds, for the instructions.
fn guide_text(kind: Kind, c: &Column) -> String {
    let what = match (c.target, c.value) {
        (Target::Stage, _) => {
            let labels: Vec<&str> = kind.stages().iter().map(|s| s.label).collect();
            format!(
                "办理环节，从{}中选择；各环节只填其适用的列",
                labels.join("、")
            )
        }
        (_, Value::Date) => "日期".to_string(),
        (_, Value::Month) => "月份，写作2010-06".to_string(),
        (_, Value::Text) => "文字".to_string(),
        (_, Value::Org) => format!("党组织编号（见「{IDS_SHEET}」）"),
        (_, Value::Member) => format!("党员编号（见「{IDS_SHEET}」）"),
        (_, Value::Members(n)) => format!("党员编号，多个用顿号分隔，至多{n}个"),
        (_, Value::Count) => "1或以上的整数".to_string(),
        (_, Value::Decimal) => "数字，按实际填写，不四舍五入".to_string(),
        (_, Value::Choice(choices)) => {
            let labels: Vec<&str> = choices.iter().map(|(l, _)| *l).collect();
            format!("从{}中选择", labels.join("、"))
        }
        (_, Value::YesNo) => "是或否".to_string(),
    };
    match applies_to(kind, c) {
        Some(stages) => format!("{what}（仅{stages}环节填写）"),
        None => what,
    }
}

/// The stages a column applies to, when it does not apply to every stage of its kind.
fn applies_to(kind: Kind, c: &Column) -> Option<String> {
    let Target::Field(pairs) = c.target else {
        return None;
    };
    let stages = kind.stages();
    let used: Vec<&str> = stages
        .iter()
        .filter(|s| pairs.iter().any(|(e, _)| *e == s.event))
        .map(|s| s.label)
        .collect();
    (stages.len() > 1 && used.len() < stages.len()).then(|| used.join("、"))
}

/// The scope's ids: organizations in columns A–C, members in E–G.
fn ids_sheet(ws: &mut Worksheet, ids: &Ids, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(IDS_SHEET)?;
    let heads = [
        "党组织编号",
        "党组织名称",
        "类别",
        "",
        "党员编号",
        "所在党组织编号",
        "职务",
    ];
    for (col, head) in heads.iter().enumerate().filter(|(_, h)| !h.is_empty()) {
        ws.write_string_with_format(0, col as u16, *head, &st.header)?;
        ws.set_column_width(col as u16, 16)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (i, (id, name, kind)) in ids.orgs.iter().enumerate() {
        let row = 1 + u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.write_string(row, 0, id)?;
        ws.write_string(row, 1, name)?;
        ws.write_string(row, 2, kind)?;
    }
    for (i, (id, org, role)) in ids.members.iter().enumerate() {
        let row = 1 + u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.write_string(row, 4, id)?;
        ws.write_string(row, 5, org)?;
        ws.write_string(row, 6, role)?;
    }
    Ok(())
}
