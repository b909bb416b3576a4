//! The stage report as an Excel workbook (.xlsx): the form in which offices pass tables up the
//! hierarchy, read by Excel, WPS and LibreOffice alike.
//!
//! Four sheets, each with a merged title and frozen header rows:
//!
//! - 汇总: every figure of the report by its Chinese label, grouped under the text's three
//!   sections, below the heading's scope line (scope, span, reading, rule set and rounding);
//! - 附表: one row per direct subordinate with the main figures (the text's 附表一);
//! - 图表: the page's figure 1, practical pledges made and fulfilled by subordinate, as a column
//!   chart beside its data (only when the scope has subordinates);
//! - 123工作法: one row per village, one column per month, each cell the share of the village's
//!   weekly-reception and monthly-visit periods of the month that were met, coloured as the
//!   page colours it (conditional formats, so the colours follow the values); only when the
//!   report has villages (a report of merged figures has none).
//!
//! Numbers are numbers, not text. A spreadsheet cell holds a binary double, so: a count is the
//! count (exact below 2^53); an amount is in yuan, exactly as recorded to the yuan, shown in 万元
//! to four places by the format `0"."0000"万元"` (the yuan integer stays exact, and Excel, WPS and
//! LibreOffice all show it the same); a rate is the double nearest to the exact ratio
//! (numerator over denominator, both exact), shown as a percentage to the rule set's
//! `percent_places`; a rate with a zero denominator is the text `—`. Spreadsheets round a
//! displayed value half away from zero, which is 四舍五入; under the `half_even` mode a rate
//! exactly halfway may show rounded up where the text rounds it to even. No cell holds a formula.
//!
//! The workbook is reproducible: its creation date is the report's as-of date, so the same
//! report gives the same bytes.

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormatBlank, ConditionalFormatCell,
    ConditionalFormatCellRule, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet, XlsxError,
};

use super::display::figure_label_zh;
use super::html::{month_zh, shade, village_groups};
use super::stage::{Figure, StageReport, VillageMonths};
use super::text::PART_COLUMNS;
use crate::Coded;
use crate::model::Ratio;
use crate::rules::RoundingRules;

/// The summary sheet's name.
pub const SUMMARY_SHEET: &str = "汇总";
/// The subordinates' sheet's name.
pub const PARTS_SHEET: &str = "附表";
/// The chart's sheet's name.
pub const CHART_SHEET: &str = "图表";
/// The 123 grid's sheet's name.
pub const GRID_SHEET: &str = "123工作法";

/// The number format of an amount: yuan in the cell, 万元 to four places on the screen.
pub const WAN_YUAN_FORMAT: &str = "0\".\"0000\"万元\"";

/// What is written in a cell for a rate whose denominator is zero.
pub const NO_RATE: &str = "—";

/// The report could not be written as a workbook: a limit of the format was passed (more rows
/// than a sheet holds, a text longer than a cell holds). Code 5003.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the report cannot be written as a workbook: {message}")]
pub struct WorkbookError {
    /// Which limit, in Chinese.
    pub limit_zh: String,
    /// What the writer said, in English.
    pub message: String,
}

impl From<XlsxError> for WorkbookError {
    fn from(e: XlsxError) -> WorkbookError {
        let limit_zh = match &e {
            XlsxError::RowColumnLimitError => "行数或列数超出工作表的上限（1048576行、16384列）",
            XlsxError::MaxStringLengthExceeded => "文字超出单元格的上限（32767个字符）",
            XlsxError::DateTimeRangeError(_) => "日期超出电子表格能表示的范围",
            _ => "电子表格写入程序报告了错误",
        };
        WorkbookError {
            limit_zh: limit_zh.to_string(),
            message: e.to_string(),
        }
    }
}

impl Coded for WorkbookError {
    fn code(&self) -> u32 {
        5003
    }
    fn message_zh(&self) -> String {
        format!("报告无法写成电子表格（xlsx）：{}", self.limit_zh)
    }
    fn message_en(&self) -> String {
        format!(
            "the report cannot be written as a workbook (xlsx), past a limit of the format: {}",
            self.message
        )
    }
}

/// The cell formats of a workbook, made once.
struct Styles {
    title: Format,
    scope: Format,
    header: Format,
    section: Format,
    label: Format,
    count: Format,
    rate: Format,
    yuan: Format,
    none: Format,
    share: Format,
}

impl Styles {
    fn new(rounding: &RoundingRules) -> Styles {
        let cell = Format::new().set_border(FormatBorder::Thin);
        let grey = Color::RGB(0x00F2_F3F5);
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            scope: Format::new()
                .set_text_wrap()
                .set_font_size(10)
                .set_align(FormatAlign::Top),
            header: cell
                .clone()
                .set_bold()
                .set_background_color(grey)
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            section: cell.clone().set_bold().set_background_color(grey),
            label: cell.clone(),
            count: cell.clone().set_num_format("0"),
            rate: cell
                .clone()
                .set_num_format(percent_format(rounding.percent_places)),
            yuan: cell.clone().set_num_format(WAN_YUAN_FORMAT),
            none: cell.clone().set_align(FormatAlign::Right),
            share: cell.set_num_format("0%").set_align(FormatAlign::Center),
        }
    }
}

/// The number format of a percentage to `places` places: `0%`, `0.0%`, `0.00%`, …
pub fn percent_format(places: u32) -> String {
    match places {
        0 => "0%".to_string(),
        n => format!("0.{}%", "0".repeat(n as usize)),
    }
}

/// The double nearest to a rate's exact value. Both counts below 2^53 convert exactly, and one
/// IEEE division of exact operands is correctly rounded; past that, the 28-place decimal is
/// parsed, which Rust also rounds correctly.
pub fn rate_value(r: Ratio) -> f64 {
    const EXACT: u64 = 1 << 53;
    if r.numerator() < EXACT && r.denominator() < EXACT {
        r.numerator() as f64 / r.denominator() as f64
    } else {
        decimal_value(r.to_decimal(28))
    }
}

/// The double nearest to a decimal (an amount in yuan: exact below 2^53 whole yuan).
fn decimal_value(d: Decimal) -> f64 {
    d.to_string().parse::<f64>().unwrap_or(f64::NAN)
}

/// The section of the text (0, 1, 2) a figure key belongs to; `None` for a key the text does
/// not place (none today: a test keeps it so).
pub fn section_of(key: &str) -> Option<usize> {
    match key.split('.').next()? {
        "pledge" | "carrier" => Some(0),
        "coverage" | "deliberation" | "instructors" | "contact_points" | "pairing" => Some(1),
        "m123" | "service" | "volunteer" => Some(2),
        _ => None,
    }
}

/// How a sheet prints: A4, one page wide (as many long as it takes), its header rows repeated
/// on every page, the page number at the foot.
fn print_setup(ws: &mut Worksheet, landscape: bool, header_row: u32) -> Result<(), XlsxError> {
    const A4: u8 = 9;
    ws.set_paper_size(A4);
    if landscape {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第&P页，共&N页");
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

/// A day as a spreadsheet's date.
pub(crate) fn excel_day(day: jiff::civil::Date) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(
        u16::try_from(day.year()).unwrap_or(1900),
        day.month().unsigned_abs(),
        day.day().unsigned_abs(),
    )
}

/// A workbook's title and author, and its creation date set to `made`: the same inputs give
/// the same bytes.
pub(crate) fn set_properties(
    wb: &mut Workbook,
    title: &str,
    made: jiff::civil::Date,
) -> Result<(), XlsxError> {
    let properties = DocProperties::new()
        .set_title(title)
        .set_author("chuangzheng")
        .set_creation_datetime(&excel_day(made)?);
    wb.set_properties(&properties);
    Ok(())
}

/// Writes one figure as a number with its format (or `—` for an undefined rate).
fn write_figure(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    f: &Figure,
    st: &Styles,
) -> Result<(), XlsxError> {
    match f {
        Figure::Count(n) => ws.write_number_with_format(row, col, *n as f64, &st.count)?,
        Figure::Rate(Some(r)) => ws.write_number_with_format(row, col, rate_value(*r), &st.rate)?,
        Figure::Rate(None) => ws.write_string_with_format(row, col, NO_RATE, &st.none)?,
        Figure::Yuan(y) => ws.write_number_with_format(row, col, decimal_value(*y), &st.yuan)?,
    };
    Ok(())
}

impl StageReport {
    /// The report as an Excel workbook (.xlsx), its bytes: the summary of every figure, the
    /// table of direct subordinates with its chart, and the 123 grid (see the module's docs for
    /// what each cell holds).
    ///
    /// ```
    /// use chuangzheng::demo::{self, DemoSpec};
    /// use chuangzheng::report::{Span, StageReport};
    ///
    /// let city = demo::build(&DemoSpec::small())?;
    /// let root = city.state().root().expect("the demo city has a root");
    /// let report = StageReport::build(&city, root, Span::as_of(demo::AS_OF));
    /// let xlsx = report.to_xlsx()?;
    /// assert!(xlsx.starts_with(b"PK\x03\x04"), "an xlsx file is a zip archive");
    /// assert_eq!(report.to_xlsx()?, xlsx, "the same report gives the same bytes");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`WorkbookError`] (5003) when a limit of the format is passed: more than 1,048,576 rows
    /// on a sheet (villages in the grid), or a name longer than a cell holds.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, WorkbookError> {
        let mut wb = Workbook::new();
        let st = Styles::new(&self.display.rounding);
        let (title, _) = self.heading();
        set_properties(&mut wb, &title, self.span.as_of)?;
        self.summary_sheet(wb.add_worksheet(), &st)?;
        self.parts_sheet(wb.add_worksheet(), &st)?;
        if !self.parts.is_empty() {
            self.chart_sheet(wb.add_worksheet(), &st)?;
        }
        // Without villages (a report of merged figures: the grid is each scope's own report's)
        // no empty sheet is printed, as the page draws no empty grid.
        if !self.villages.is_empty() {
            self.grid_sheet(wb.add_worksheet(), &st)?;
        }
        Ok(wb.save_to_buffer()?)
    }

    /// 汇总: the title and scope line merged over both columns, the header frozen, then each
    /// section's figures by label.
    fn summary_sheet(&self, ws: &mut Worksheet, st: &Styles) -> Result<(), XlsxError> {
        ws.set_name(SUMMARY_SHEET)?;
        let (title, scope) = self.heading();
        ws.merge_range(0, 0, 0, 1, &title, &st.title)?;
        ws.set_row_height(0, 30)?;
        ws.merge_range(1, 0, 1, 1, &scope, &st.scope)?;
        ws.set_row_height(1, 54)?;
        ws.write_string_with_format(2, 0, "数据项", &st.header)?;
        ws.write_string_with_format(2, 1, "数值", &st.header)?;
        ws.set_freeze_panes(3, 0)?;
        ws.set_column_width(0, 44)?;
        ws.set_column_width(1, 16)?;
        print_setup(ws, false, 2)?;
        let figures = self.totals.figures();
        let mut row = 3;
        for (i, s) in self.sections().iter().enumerate() {
            ws.merge_range(row, 0, row, 1, &s.title, &st.section)?;
            row += 1;
            for (key, f) in figures.iter().filter(|(k, _)| section_of(k) == Some(i)) {
                let label = figure_label_zh(key).unwrap_or_default();
                ws.write_string_with_format(row, 0, &label, &st.label)?;
                write_figure(ws, row, 1, f, st)?;
                row += 1;
            }
        }
        Ok(())
    }

    /// 附表: one row per direct subordinate, its kind and the main figures; a column chart of
    /// practical pledges made and fulfilled beside it.
    fn parts_sheet(&self, ws: &mut Worksheet, st: &Styles) -> Result<(), XlsxError> {
        ws.set_name(PARTS_SHEET)?;
        let last_col = 1 + PART_COLUMNS.len() as u16;
        let title = format!("附表一　各下级党组织主要数据（{}个）", self.parts.len());
        ws.merge_range(0, 0, 0, last_col, &title, &st.title)?;
        ws.set_row_height(0, 30)?;
        ws.write_string_with_format(1, 0, "党组织", &st.header)?;
        ws.write_string_with_format(1, 1, "类别", &st.header)?;
        for (c, col) in PART_COLUMNS.iter().enumerate() {
            ws.write_string_with_format(1, 2 + c as u16, col.heading, &st.header)?;
        }
        ws.set_row_height(1, 32)?;
        ws.set_freeze_panes(2, 1)?;
        ws.set_column_width(0, 30)?;
        ws.set_column_width(1, 14)?;
        ws.set_column_range_width(2, last_col, 14)?;
        print_setup(ws, true, 1)?;
        for (i, p) in self.parts.iter().enumerate() {
            let row = 2 + i as u32;
            ws.write_string_with_format(row, 0, p.label_zh(), &st.label)?;
            ws.write_string_with_format(row, 1, p.kind.label_zh(), &st.label)?;
            for (c, col) in PART_COLUMNS.iter().enumerate() {
                write_figure(ws, row, 2 + c as u16, &(col.figure)(&p.figures), st)?;
            }
        }
        Ok(())
    }

    /// 图表: figure 1 of the page as a column chart, with its data: the parts it draws (the
    /// township-level ones when there are any, as on the page), practical pledges made and
    /// fulfilled.
    fn chart_sheet(&self, ws: &mut Worksheet, st: &Styles) -> Result<(), XlsxError> {
        ws.set_name(CHART_SHEET)?;
        let (rows, _) = self.completion_rows();
        let townships = !rows.is_empty() && rows.iter().all(|p| p.kind.is_township_level());
        let whose = match townships {
            true => "各乡镇（街道、农场）",
            false => "各下级党组织",
        };
        let rest = match self.parts.len() - rows.len() {
            0 => String::new(),
            n => format!("（其余{n}个下级党组织见附表）"),
        };
        let caption = format!("图1 {whose}实事承诺完成情况{rest}");
        let top = 0;
        ws.set_column_width(0, 30)?;
        ws.set_column_range_width(1, 2, 16)?;
        print_setup(ws, true, 1)?;
        ws.merge_range(top, 0, top, 8, &caption, &st.scope)?;
        ws.set_row_height(top, 30)?;
        ws.set_freeze_panes(top + 2, 0)?;
        let heads = ["党组织", "实事承诺（件）", "已完成（件）"];
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(top + 1, c as u16, *h, &st.header)?;
        }
        for (i, p) in rows.iter().enumerate() {
            let row = top + 2 + i as u32;
            ws.write_string_with_format(row, 0, p.label_zh(), &st.label)?;
            let practical = crate::pledge::PledgeKind::PracticalMatter;
            let made = Figure::Count(p.figures.pledges.made_of(practical));
            let done = Figure::Count(p.figures.pledges.fulfilled_of(practical));
            write_figure(ws, row, 1, &made, st)?;
            write_figure(ws, row, 2, &done, st)?;
        }
        let (first, last) = (top + 2, top + 1 + rows.len() as u32);
        let mut chart = Chart::new(ChartType::Column);
        for col in [1, 2] {
            chart
                .add_series()
                .set_categories((CHART_SHEET, first, 0, last, 0))
                .set_values((CHART_SHEET, first, col, last, col))
                .set_name((CHART_SHEET, top + 1, col));
        }
        chart.title().set_name(&format!("{whose}实事承诺完成情况"));
        chart.y_axis().set_name("件");
        // Beside its data, about a landscape page wide; more columns than fit squeeze.
        let width = (rows.len() as u32 * 40).clamp(480, 760);
        chart.set_width(width).set_height(360);
        ws.insert_chart(top + 1, 4, &chart)?;
        Ok(())
    }

    /// 123工作法: a row per village (its township, its name), a column per month, each cell
    /// the share of the month's periods met; colours by the page's five steps.
    fn grid_sheet(&self, ws: &mut Worksheet, st: &Styles) -> Result<(), XlsxError> {
        ws.set_name(GRID_SHEET)?;
        let last_col = 1 + self.months.len().max(1) as u16;
        let title = format!("123工作法各村逐月达标情况（共{}个村）", self.villages.len());
        ws.merge_range(0, 0, 0, last_col, &title, &st.title)?;
        ws.set_row_height(0, 30)?;
        let note = "每格为该村当月每周接待、每月走访考核周期中达标的比例；\
                    深绿为全部达标，红色为全未达标，空白（灰色）为当月无考核周期。";
        ws.merge_range(1, 0, 1, last_col, note, &st.scope)?;
        ws.set_row_height(1, 30)?;
        ws.write_string_with_format(2, 0, "所属党组织", &st.header)?;
        ws.write_string_with_format(2, 1, "村", &st.header)?;
        for (m, month) in self.months.iter().enumerate() {
            ws.write_string_with_format(2, 2 + m as u16, month_zh(month), &st.header)?;
        }
        ws.set_freeze_panes(3, 2)?;
        ws.set_column_width(0, 20)?;
        ws.set_column_width(1, 22)?;
        ws.set_column_range_width(2, last_col, 11)?;
        print_setup(ws, false, 2)?;
        let mut row = 3;
        for group in village_groups(&self.villages) {
            let township = self.group_label(group);
            for v in group {
                self.grid_row(ws, row, &township, v, st)?;
                row += 1;
            }
        }
        if row > 3 && !self.months.is_empty() {
            grid_colours(ws, 3, row - 1, 2, last_col)?;
        }
        Ok(())
    }

    /// One village's row of the 123 grid: a share per month, blank when nothing was judged.
    fn grid_row(
        &self,
        ws: &mut Worksheet,
        row: u32,
        township: &str,
        v: &VillageMonths,
        st: &Styles,
    ) -> Result<(), XlsxError> {
        ws.write_string_with_format(row, 0, township, &st.label)?;
        ws.write_string_with_format(row, 1, v.name.as_str(), &st.label)?;
        for m in 0..self.months.len() {
            let col = 2 + m as u16;
            let t = v.months.get(m).copied().unwrap_or_default();
            match t.rate() {
                Some(r) => ws.write_number_with_format(row, col, rate_value(r), &st.share)?,
                None => ws.write_blank(row, col, &st.share)?,
            };
        }
        Ok(())
    }
}

/// The page's five steps as conditional formats over the grid, the first that applies winning:
/// blank grey, 100% deep green, 0 red, from 75% light green, from 50% yellow, below orange. The
/// thresholds are exact in binary, and a share of two small counts is never within a rounding
/// error of them, so a cell's colour is the page's.
fn grid_colours(
    ws: &mut Worksheet,
    first_row: u32,
    last_row: u32,
    first_col: u16,
    last_col: u16,
) -> Result<(), XlsxError> {
    let fill = |met: u64, judged: u64| {
        let hex = shade(met, judged).trim_start_matches('#');
        let rgb = u32::from_str_radix(hex, 16).unwrap_or(0x00E3_E6EA);
        Format::new().set_background_color(Color::RGB(rgb))
    };
    let blank = ConditionalFormatBlank::new()
        .set_format(fill(0, 0))
        .set_stop_if_true(true);
    ws.add_conditional_format(first_row, first_col, last_row, last_col, &blank)?;
    let steps = [
        (ConditionalFormatCellRule::EqualTo(1.0), fill(1, 1)),
        (ConditionalFormatCellRule::EqualTo(0.0), fill(0, 1)),
        (
            ConditionalFormatCellRule::GreaterThanOrEqualTo(0.75),
            fill(3, 4),
        ),
        (
            ConditionalFormatCellRule::GreaterThanOrEqualTo(0.5),
            fill(1, 2),
        ),
        (ConditionalFormatCellRule::LessThan(0.5), fill(1, 4)),
    ];
    for (rule, format) in steps {
        let cf = ConditionalFormatCell::new()
            .set_rule(rule)
            .set_format(format)
            .set_stop_if_true(true);
        ws.add_conditional_format(first_row, first_col, last_row, last_col, &cf)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::StageFigures;

    #[test]
    fn every_figure_has_its_section() {
        for (key, _) in StageFigures::default().figures() {
            assert!(section_of(&key).is_some(), "{key}");
        }
    }

    #[test]
    fn a_rate_is_the_nearest_double_to_its_ratio() {
        let r = |n, d| Ratio::new("r", n, d).expect("a denominator");
        assert_eq!(rate_value(r(13876, 24768)), 13876.0 / 24768.0);
        assert_eq!(rate_value(r(1, 3)), 1.0 / 3.0);
        let big = r(u64::MAX / 3, u64::MAX);
        assert_eq!(rate_value(big), 1.0 / 3.0);
        assert_eq!(percent_format(0), "0%");
        assert_eq!(percent_format(2), "0.00%");
    }
}
