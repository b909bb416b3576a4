//! The stage report as one self-contained HTML page with SVG charts, made to print on A4.
//!
//! No scripts, fonts or images are fetched: the page is the file. The charts are drawn from the
//! report's figures with integer geometry (a bar's length is its count's share of the longest
//! bar, in whole pixels); the numbers written beside them are the report's own.

use std::fmt::Write as _;

use super::display::percent;
use super::stage::StageReport;
use super::text::date_zh;
use crate::model::{OrgKind, UnitKind};
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
.scope { color: var(--muted); font-size: 13px; margin: 0 0 16px; }
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
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.keys { columns: 2; column-gap: 24px; }
.keys table { break-inside: auto; }
footer { color: var(--muted); font-size: 11px; margin-top: 24px; }
@page { size: A4; margin: 14mm; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } .cards { grid-template-columns: repeat(4, 1fr); } }
"#;

impl StageReport {
    /// The report as a self-contained HTML page: the text's sections, three SVG charts
    /// (practical-pledge completion by township, 123 compliance by village and month, coverage
    /// by unit kind) and the table of figure keys.
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
        self.keys_table(&mut h);
        let _ = write!(
            h,
            "<footer>由 chuangzheng {} 从日志记录计算生成;比率四舍五入显示,计算按精确分数。\
             Computed from the journal's records by chuangzheng; rates are exact fractions, \
             rounded half up only for display.</footer>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION")
        );
        h
    }

    fn cards(&self, h: &mut String) {
        let p = &self.totals.pledges;
        let m = &self.totals.method123;
        let practical = PledgeKind::PracticalMatter;
        let np = self.totals.coverage.of_kind(UnitKind::NonPublicEnterprise);
        let cards = [
            ("实事承诺 (件)", p.made_of(practical).to_string()),
            (
                "承诺完成率",
                percent(p.completion_rate(practical), &self.display.rounding),
            ),
            ("123工作法接待群众 (人次)", m.visitors_received.to_string()),
            ("非公企业建组率", percent(np.rate(), &self.display.rounding)),
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

    /// Horizontal bars: practical pledges made and fulfilled per township-level part.
    fn completion_chart(&self, h: &mut String) {
        let township = |k: OrgKind| {
            matches!(
                k,
                OrgKind::TownshipCommittee | OrgKind::StreetCommittee | OrgKind::FarmCommittee
            )
        };
        let mut rows: Vec<_> = self.parts.iter().filter(|p| township(p.kind)).collect();
        if rows.is_empty() {
            rows = self.parts.iter().collect();
        }
        if rows.is_empty() {
            return;
        }
        let kind = PledgeKind::PracticalMatter;
        let max = rows
            .iter()
            .map(|p| p.figures.pledges.made_of(kind))
            .max()
            .unwrap_or(0)
            .max(1);
        let (label_w, bar_w, row_h) = (130u64, 460u64, 18u64);
        let height = 30 + row_h * rows.len() as u64;
        let _ = writeln!(
            h,
            "<figure>\n<figcaption>图1 各乡镇(街道、农场)实事承诺完成情况 \
             (浅色: 已做出;深色: 已完成;右侧: 完成率)</figcaption>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"{height}\" \
             viewBox=\"0 0 720 {height}\" role=\"img\" aria-label=\"实事承诺完成情况\">"
        );
        for (i, p) in rows.iter().enumerate() {
            let f = &p.figures.pledges;
            let y = 10 + row_h * i as u64;
            let made = f.made_of(kind) * bar_w / max;
            let done = f.fulfilled_of(kind) * bar_w / max;
            let _ = writeln!(
                h,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>\
                 <rect x=\"{label_w}\" y=\"{y}\" width=\"{made}\" height=\"{}\" fill=\"#f2c4c0\"/>\
                 <rect x=\"{label_w}\" y=\"{y}\" width=\"{done}\" height=\"{}\" fill=\"#b3261e\"/>\
                 <text x=\"{}\" y=\"{}\" font-size=\"11\">{} / {} · {}</text>",
                label_w - 6,
                y + 12,
                escape(p.name.as_str()),
                row_h - 4,
                row_h - 4,
                label_w + made + 6,
                y + 12,
                f.fulfilled_of(kind),
                f.made_of(kind),
                escape(&percent(f.completion_rate(kind), &self.display.rounding))
            );
        }
        h.push_str("</svg>\n</figure>\n");
    }

    /// A grid: one column per village (grouped by township), one row per month; each cell's
    /// shade is the share of the village's weekly-reception and monthly-visit periods met.
    fn compliance_chart(&self, h: &mut String) {
        if self.villages.is_empty() || self.months.is_empty() {
            return;
        }
        let (left, cell_w, cell_h, gap) = (80u64, 3u64, 22u64, 3u64);
        let mut xs = Vec::with_capacity(self.villages.len());
        let mut x = left;
        let mut groups = 0u64;
        for (i, v) in self.villages.iter().enumerate() {
            if i > 0 && self.villages[i - 1].parent != v.parent {
                x += gap;
                groups += 1;
            }
            xs.push(x);
            x += cell_w;
        }
        let width = x + 20;
        let height = 40 + cell_h * self.months.len() as u64 + 30;
        let _ = writeln!(
            h,
            "<figure>\n<figcaption>图3 123工作法按村、按月达标情况 ({} 个村,按乡镇分组 {} 组;\
             每格为该村当月每周接待、每月走访考核周期中达标的比例:深绿全部达标,红色全未达标,\
             灰色无考核周期)</figcaption>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
             viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"123工作法达标情况\">",
            self.villages.len(),
            groups + 1
        );
        for (r, m) in self.months.iter().enumerate() {
            let y = 20 + cell_h * r as u64;
            let _ = writeln!(
                h,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
                left - 6,
                y + 15,
                escape(&m.to_string())
            );
            for (v, x) in self.villages.iter().zip(&xs) {
                let t = v.months.get(r).copied().unwrap_or_default();
                let fill = shade(t.met, t.judged);
                let _ = write!(
                    h,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{cell_w}\" height=\"{}\" fill=\"{fill}\"/>",
                    cell_h - 2
                );
            }
            h.push('\n');
        }
        // Legend.
        let ly = 20 + cell_h * self.months.len() as u64 + 12;
        for (i, (label, met, judged)) in [
            ("0%", 0, 1),
            ("50%", 1, 2),
            ("75%", 3, 4),
            ("100%", 1, 1),
            ("无考核", 0, 0),
        ]
        .iter()
        .enumerate()
        {
            let lx = left + 90 * i as u64;
            let _ = write!(
                h,
                "<rect x=\"{lx}\" y=\"{ly}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
                 <text x=\"{}\" y=\"{}\" font-size=\"11\">{label}</text>",
                shade(*met, *judged),
                lx + 16,
                ly + 10
            );
        }
        h.push_str("\n</svg>\n</figure>\n");
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
            "<figure>\n<figcaption>图2 各类单位党组织覆盖情况 (自上而下: 单位数、符合建组条件、\
             已覆盖单位、党组织数;建组率 = 已覆盖单位 ÷ 符合条件单位)</figcaption>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"{height}\" \
             viewBox=\"0 0 720 {height}\" role=\"img\" aria-label=\"党组织覆盖情况\">"
        );
        let colors = ["#c9ced6", "#8d97a5", "#b3261e", "#1d2430"];
        for (g, (k, c)) in kinds.iter().enumerate() {
            let y0 = 10 + group_h * g as u64;
            let _ = write!(
                h,
                "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>\
                 <text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">建组率 {}</text>",
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

    fn keys_table(&self, h: &mut String) {
        let _ = writeln!(
            h,
            "<section>\n<h2>附、数据项 (figures, {})</h2>\n<div class=\"keys\"><table>\n\
             <tr><th>key</th><th>value</th></tr>",
            escape(&date_zh(self.span.as_of))
        );
        for (k, v) in self.totals.figures() {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
                escape(&k),
                escape(&v.text())
            );
        }
        h.push_str("</table></div>\n</section>\n");
    }
}

/// The shade of a compliance cell: grey when nothing was judged, else from red (none met) to
/// deep green (all met) in five steps, by the exact share.
fn shade(met: u64, judged: u64) -> &'static str {
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
