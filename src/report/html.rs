//! The stage report as one self-contained HTML page with SVG charts, made to print on A4.
//!
//! No scripts, fonts or images are fetched: the page is the file. The charts are drawn from the
//! report's figures with integer geometry (a bar's length is its count's share of the longest
//! bar, in whole pixels); the numbers written beside them are the report's own, rounded for
//! display by the rule set (see the `display` module).
//!
//! The page is what an official signs: its visible text is Chinese with full-width
//! punctuation, organizations by name and kinds by their Chinese label, every figure by its
//! Chinese label; no figure key or identifier appears (they are in the JSON report only).
//! `tests/html/render.sh` checks the rendered page's text for that.

use std::fmt::Write as _;

use super::display::{figure_label_zh, percent};
use super::stage::{Part, StageReport, VillageMonths};
use super::text::{PART_COLUMNS, columns, span_zh};
use crate::model::{Period, UnitKind};
use crate::pledge::PledgeKind;

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #1d2430; --muted: #5b6575; --line: #d5d9e0; --accent: #b3261e; --good: #1a7f4b; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 960px; padding: 24px; line-height: 1.7; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; color: var(--accent); }
h2 { font-size: 19px; border-bottom: 2px solid var(--accent); padding-bottom: 2px; margin-top: 28px; }
.scope { color: var(--muted); font-size: 13px; margin: 0 0 16px; text-indent: 0; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 12px 0 8px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.card .v { font-size: 22px; font-weight: 700; }
.card .k { font-size: 12px; color: var(--muted); }
p { margin: 6px 0; text-indent: 2em; }
figure { margin: 16px 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 13px; color: var(--muted); margin-bottom: 4px; }
svg text { font-family: inherit; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 2px 6px; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.parts td { white-space: nowrap; }
table.parts tr { break-inside: avoid; }
.keys { columns: 2; column-gap: 24px; }
.keys table { break-inside: auto; }
footer { color: var(--muted); font-size: 11px; margin-top: 24px; }
@page { size: A4; margin: 14mm; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } .cards { grid-template-columns: repeat(4, 1fr); } }
"#;

/// A month of the 123 grid as the page labels it: `2010年7月`.
pub(super) fn month_zh(m: &Period) -> String {
    let first = m.first_day();
    format!("{}年{}月", first.year(), first.month())
}

/// The villages of the 123 grid in runs of the same parent (their township), in tree order.
pub(super) fn village_groups(villages: &[VillageMonths]) -> Vec<&[VillageMonths]> {
    let mut groups = Vec::new();
    let mut start = 0;
    for i in 1..=villages.len() {
        if i == villages.len() || villages[i].parent != villages[i - 1].parent {
            groups.push(&villages[start..i]);
            start = i;
        }
    }
    groups
}

/// Geometry of the 123 grid: one small block per township, one cell per village and month.
const CELL_W: u64 = 6;
const CELL_H: u64 = 12;
const PITCH_X: u64 = CELL_W + 1;
const PITCH_Y: u64 = CELL_H + 1;
const GRID_LEFT: u64 = 70;
const GRID_WIDTH: u64 = 720;
const BLOCK_GAP: u64 = 14;
const LABEL_H: u64 = 16;

impl StageReport {
    /// The report as a self-contained HTML page: the text's sections, three SVG charts
    /// (practical-pledge completion by subordinate, 123 compliance by village and month,
    /// coverage by unit kind), the table of direct subordinates (附表一) and every figure by
    /// its Chinese label (附表二).
    pub fn to_html(&self) -> String {
        let mut h = String::with_capacity(64 * 1024);
        let (title, scope) = self.heading();
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n\
             <p class=\"scope\">{}</p>\n",
            escape(&title),
            escape(&title),
            escape(&scope)
        );
        self.cards(&mut h);
        for (i, s) in self.sections().iter().enumerate() {
            let _ = writeln!(h, "<section>\n<h2>{}</h2>", escape(&s.title));
            for p in &s.paragraphs {
                let _ = writeln!(h, "<p>{}</p>", escape(p));
            }
            match i {
                0 => self.completion_chart(&mut h),
                1 => self.coverage_chart(&mut h),
                2 => self.compliance_chart(&mut h),
                _ => {}
            }
            h.push_str("</section>\n");
        }
        self.parts_table(&mut h);
        self.figures_table(&mut h);
        let r = &self.display.rounding;
        let _ = write!(
            h,
            "<footer>本报告由 chuangzheng {} 根据日志记录计算生成。比率按精确分数计算，\
             仅在显示时{}（百分比保留{}位小数、万元保留{}位小数）。</footer>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION"),
            r.mode.label_zh(),
            r.percent_places,
            r.wan_places,
        );
        h
    }

    fn cards(&self, h: &mut String) {
        let p = &self.totals.pledges;
        let m = &self.totals.method123;
        let practical = PledgeKind::PracticalMatter;
        let r = &self.display.rounding;
        let np = UnitKind::NonPublicEnterprise;
        let cards = [
            ("实事承诺（件）", p.made_of(practical).to_string()),
            ("实事承诺完成率", percent(p.completion_rate(practical), r)),
            ("123工作法接待群众（人次）", m.visitors_received.to_string()),
            (
                "非公有制经济组织建组率",
                percent(self.totals.coverage.of_kind(np).rate(), r),
            ),
        ];
        h.push_str("<div class=\"cards\">\n");
        for (k, v) in cards {
            let _ = writeln!(
                h,
                "<div class=\"card\"><div class=\"v\">{}</div><div class=\"k\">{}</div></div>",
                escape(&v),
                escape(k)
            );
        }
        h.push_str("</div>\n");
    }

    /// The parts figure 1 draws, and its caption: the township-level parts when there are
    /// any (the others are in 附表一), else every part.
    pub(super) fn completion_rows(&self) -> (Vec<&Part>, String) {
        let townships: Vec<&Part> = self
            .parts
            .iter()
            .filter(|p| p.kind.is_township_level())
            .collect();
        let legend = "浅色为已做出，深色为已完成，右侧为已完成/已做出及完成率";
        if townships.is_empty() {
            let rows = self.parts.iter().collect();
            return (
                rows,
                format!("图1 各下级党组织实事承诺完成情况（{legend}）"),
            );
        }
        let others = self.parts.len() - townships.len();
        let rest = if others > 0 {
            format!("；其余{others}个下级党组织见附表一")
        } else {
            String::new()
        };
        let caption = format!("图1 各乡镇（街道、农场）实事承诺完成情况（{legend}{rest}）");
        (townships, caption)
    }

    /// Horizontal bars: practical pledges made and fulfilled per part; nothing when no part
    /// made one.
    fn completion_chart(&self, h: &mut String) {
        let (rows, caption) = self.completion_rows();
        if rows.is_empty() {
            return;
        }
        let kind = PledgeKind::PracticalMatter;
        let max = rows
            .iter()
            .map(|p| p.figures.pledges.made_of(kind))
            .max()
            .unwrap_or(0);
        if max == 0 {
            // No pledge made in the span: bars of nothing would only repeat the sentence.
            return;
        }
        // Room for the longest name at 11px (about 5.5px a column), within bounds.
        let longest = rows.iter().map(|p| columns(p.name.as_str())).max();
        let label_w = (longest.unwrap_or(0) as u64 * 6 + 12).clamp(80, 260);
        let (bar_w, row_h) = (GRID_WIDTH - label_w - 150, 18u64);
        let height = 30 + row_h * rows.len() as u64;
        let _ = writeln!(
            h,
            "<figure>\n<figcaption>{}</figcaption>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"{height}\" \
             viewBox=\"0 0 720 {height}\" role=\"img\" aria-label=\"实事承诺完成情况\">",
            escape(&caption)
        );
        for (i, p) in rows.iter().enumerate() {
            let f = &p.figures.pledges;
            let y = 10 + row_h * i as u64;
            let made = f.made_of(kind) * bar_w / max;
            let done = f.fulfilled_of(kind) * bar_w / max;
            let rate = percent(f.completion_rate(kind), &self.display.rounding);
            let _ = writeln!(
                h,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>\
                 <rect x=\"{label_w}\" y=\"{y}\" width=\"{made}\" height=\"{}\" fill=\"#f2c4c0\"/>\
                 <rect x=\"{label_w}\" y=\"{y}\" width=\"{done}\" height=\"{}\" fill=\"#b3261e\"/>\
                 <text x=\"{}\" y=\"{}\" font-size=\"11\">{}/{} · {}</text>",
                label_w - 6,
                y + 12,
                escape(p.name.as_str()),
                row_h - 4,
                row_h - 4,
                label_w + made + 6,
                y + 12,
                f.fulfilled_of(kind),
                f.made_of(kind),
                escape(&rate)
            );
        }
        h.push_str("</svg>\n</figure>\n");
    }

    /// The name a group of villages of the 123 grid is labelled with: its parent's, when the
    /// parent is the scope or one of its parts; else the number of villages.
    pub(super) fn group_label(&self, group: &[VillageMonths]) -> String {
        let parent = group.first().and_then(|v| v.parent.as_ref());
        let name = parent.and_then(|id| {
            if *id == self.scope_org {
                return Some(self.scope_name.to_string());
            }
            let part = self.parts.iter().find(|p| p.org == *id);
            part.map(|p| p.name.to_string())
        });
        name.unwrap_or_else(|| format!("{}个村", group.len()))
    }

    /// Where each group's block of the 123 grid sits: its left edge, its line, its width;
    /// blocks flow left to right and wrap at the figure's width.
    fn grid_layout(&self, groups: &[&[VillageMonths]]) -> Vec<(u64, u64, u64)> {
        let mut out = Vec::with_capacity(groups.len());
        let (mut x, mut line) = (GRID_LEFT, 0u64);
        for g in groups {
            let label = columns(&self.group_label(g)) as u64 * 5 + 4;
            let w = (g.len() as u64 * PITCH_X).max(label);
            if x > GRID_LEFT && x + w > GRID_WIDTH {
                x = GRID_LEFT;
                line += 1;
            }
            out.push((x, line, w));
            x += w + BLOCK_GAP;
        }
        out
    }

    /// Small multiples: one block per township, in it one column per village and one row per
    /// month; each cell's shade is the share of the village's weekly-reception and
    /// monthly-visit periods of that month that were met.
    fn compliance_chart(&self, h: &mut String) {
        let (Some(first), Some(last)) = (self.months.first(), self.months.last()) else {
            return;
        };
        if self.villages.is_empty() {
            return;
        }
        let groups = village_groups(&self.villages);
        let layout = self.grid_layout(&groups);
        let lines = layout.iter().map(|(_, l, _)| l + 1).max().unwrap_or(1);
        let line_h = LABEL_H + PITCH_Y * self.months.len() as u64 + 12;
        let height = 10 + line_h * lines + 30;
        let _ = writeln!(
            h,
            "<figure>\n<figcaption>图3 123工作法各村逐月达标情况（共{}个村，按所属{}个党组织分组；\
             每个小格为一个村一个月，组内自左至右为各村，自上而下为{}至{}；格色为该村当月每周接待、\
             每月走访考核周期中达标的比例：深绿为全部达标，红色为全未达标，灰色为当月无考核周期）\
             </figcaption>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{GRID_WIDTH}\" height=\"{height}\" \
             viewBox=\"0 0 {GRID_WIDTH} {height}\" role=\"img\" aria-label=\"123工作法达标情况\">",
            self.villages.len(),
            groups.len(),
            month_zh(first),
            month_zh(last),
        );
        for line in 0..lines {
            self.month_labels(h, 10 + line_h * line);
        }
        for (g, (x, line, _)) in groups.iter().zip(&layout) {
            self.grid_block(h, g, *x, 10 + line_h * line);
        }
        legend(h, 10 + line_h * lines + 6);
        h.push_str("</svg>\n</figure>\n");
    }

    /// The months down the left of one line of blocks.
    fn month_labels(&self, h: &mut String, top: u64) {
        for (r, m) in self.months.iter().enumerate() {
            let y = top + LABEL_H + PITCH_Y * r as u64 + CELL_H - 2;
            let _ = write!(
                h,
                "<text x=\"{}\" y=\"{y}\" font-size=\"10\" text-anchor=\"end\">{}</text>",
                GRID_LEFT - 6,
                escape(&month_zh(m))
            );
        }
        h.push('\n');
    }

    /// One township's block: its name above, a column of cells per village.
    fn grid_block(&self, h: &mut String, group: &[VillageMonths], x0: u64, top: u64) {
        let _ = write!(
            h,
            "<text x=\"{x0}\" y=\"{}\" font-size=\"10\">{}</text>",
            top + LABEL_H - 4,
            escape(&self.group_label(group))
        );
        for (c, v) in group.iter().enumerate() {
            let x = x0 + PITCH_X * c as u64;
            for r in 0..self.months.len() {
                let t = v.months.get(r).copied().unwrap_or_default();
                let y = top + LABEL_H + PITCH_Y * r as u64;
                let _ = write!(
                    h,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{CELL_W}\" height=\"{CELL_H}\" fill=\"{}\"/>",
                    shade(t.met, t.judged)
                );
            }
        }
        h.push('\n');
    }

    /// Grouped bars per unit kind: units, eligible, covered, organizations; the rate beside.
    fn coverage_chart(&self, h: &mut String) {
        let kinds: Vec<_> = UnitKind::ALL
            .iter()
            .map(|k| (*k, *self.totals.coverage.of_kind(*k)))
            .collect();
        let max = kinds.iter().map(|(_, c)| c.units).max().unwrap_or(0).max(1);
        let (label_w, bar_w, bar_h) = (130u64, 420u64, 12u64);
        let group_h = bar_h * 4 + 14;
        let height = 20 + group_h * kinds.len() as u64 + 20;
        let _ = writeln!(
            h,
            "<figure>\n<figcaption>图2 各类单位党组织覆盖情况（每类自上而下为单位数、\
             符合建组条件的单位数、已覆盖的单位数、已建立的党组织数；\
             建组率＝已覆盖单位÷符合条件单位）</figcaption>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"{height}\" \
             viewBox=\"0 0 720 {height}\" role=\"img\" aria-label=\"党组织覆盖情况\">"
        );
        let colors = ["#c9ced6", "#8d97a5", "#b3261e", "#1d2430"];
        for (g, (k, c)) in kinds.iter().enumerate() {
            let y0 = 10 + group_h * g as u64;
            let _ = write!(
                h,
                "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>\
                 <text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">建组率{}</text>",
                label_w - 6,
                y0 + 16,
                escape(k.label_zh()),
                label_w - 6,
                y0 + 32,
                escape(&percent(c.rate(), &self.display.rounding))
            );
            for (i, n) in [c.units, c.eligible, c.covered, c.orgs].iter().enumerate() {
                let y = y0 + bar_h * i as u64;
                let w = n * bar_w / max;
                let _ = write!(
                    h,
                    "<rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"{}\"/>\
                     <text x=\"{}\" y=\"{}\" font-size=\"10\">{n}</text>",
                    bar_h - 2,
                    colors[i],
                    label_w + w + 4,
                    y + 9
                );
            }
            h.push('\n');
        }
        h.push_str("</svg>\n</figure>\n");
    }

    /// 附表一: every direct subordinate, its kind and its main figures.
    fn parts_table(&self, h: &mut String) {
        if self.parts.is_empty() {
            return;
        }
        let r = &self.display.rounding;
        let _ = write!(
            h,
            "<section>\n<h2>附表一　各下级党组织主要数据（{}个）</h2>\n<table class=\"parts\">\n\
             <tr><th>党组织</th><th>类别</th>",
            self.parts.len()
        );
        for c in &PART_COLUMNS {
            let _ = write!(h, "<th class=\"n\">{}</th>", escape(c.heading));
        }
        h.push_str("</tr>\n");
        for p in &self.parts {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td>",
                escape(&p.label_zh()),
                escape(p.kind.label_zh())
            );
            for c in &PART_COLUMNS {
                let _ = write!(
                    h,
                    "<td class=\"n\">{}</td>",
                    escape(&(c.figure)(&p.figures).display(r))
                );
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n</section>\n");
    }

    /// 附表二: every figure of the report by its Chinese label, as displayed.
    fn figures_table(&self, h: &mut String) {
        let _ = writeln!(
            h,
            "<section>\n<h2>附表二　数据项一览（{}）</h2>\n<div class=\"keys\"><table>\n\
             <tr><th>数据项</th><th class=\"n\">数值</th></tr>",
            escape(&span_zh(self.span))
        );
        for (k, v) in self.totals.figures() {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
                escape(&figure_label_zh(&k).unwrap_or_default()),
                escape(&v.display(&self.display.rounding))
            );
        }
        h.push_str("</table></div>\n</section>\n");
    }
}

/// The 123 grid's legend, at `y`.
fn legend(h: &mut String, y: u64) {
    let steps = [
        ("0%", 0, 1),
        ("不足50%", 1, 4),
        ("50%至75%", 1, 2),
        ("75%至100%", 3, 4),
        ("100%", 1, 1),
        ("无考核周期", 0, 0),
    ];
    for (i, (label, met, judged)) in steps.iter().enumerate() {
        let x = GRID_LEFT + 100 * i as u64;
        let _ = write!(
            h,
            "<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\">{label}</text>",
            shade(*met, *judged),
            x + 16,
            y + 10
        );
    }
    h.push('\n');
}

/// The shade of a compliance cell: grey when nothing was judged, else from red (none met) to
/// deep green (all met) in five steps, by the exact share.
pub(super) fn shade(met: u64, judged: u64) -> &'static str {
    if judged == 0 {
        return "#e3e6ea";
    }
    // Steps at 0, (0, 50%), [50%, 75%), [75%, 100%), 100%: integer comparisons only.
    match met {
        0 => "#d73027",
        m if m >= judged => "#1a7f4b",
        m if m * 4 >= judged * 3 => "#7fbf6a",
        m if m * 2 >= judged => "#fee08b",
        _ => "#fc8d59",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn shades_by_exact_share() {
        assert_eq!(shade(0, 0), "#e3e6ea");
        assert_eq!(shade(0, 4), "#d73027");
        assert_eq!(shade(1, 4), "#fc8d59");
        assert_eq!(shade(2, 4), "#fee08b");
        assert_eq!(shade(3, 4), "#7fbf6a");
        assert_eq!(shade(4, 4), "#1a7f4b");
    }
}
